//! `forcegen init`: a commented starter scenario that validates, solves and passes its
//! checks, and never overwrites a user's files.

use std::path::Path;

use serde_json::Value;

use crate::common::{code, entries, forcegen_in, stderr, stdout};
use crate::schema::{problems, schema};

fn init(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    forcegen_in(dir, &all)
}

#[test]
fn init_writes_a_scenario_that_validates_solves_and_passes_its_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), &["starter"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let starter = dir.path().join("starter");
    let names = entries(&starter);
    assert_eq!(
        names,
        [
            "members.csv",
            "offers.csv",
            "requirements.csv",
            "scenario.schema.json",
            "scenario.toml",
            "substitutions.csv"
        ]
    );
    let toml = std::fs::read_to_string(starter.join("scenario.toml")).unwrap();
    assert!(toml.starts_with("#:schema ./scenario.schema.json\n"));
    // Commented: every key has a comment nearby, every CSV explains its columns.
    assert!(toml.matches('#').count() > 20, "{toml}");
    for csv in ["members.csv", "offers.csv", "requirements.csv"] {
        let text = std::fs::read_to_string(starter.join(csv)).unwrap();
        let header = text.lines().find(|l| !l.starts_with('#')).unwrap();
        for column in header.split(',') {
            assert!(
                text.lines()
                    .filter(|l| l.starts_with('#'))
                    .any(|l| l.contains(column)),
                "{csv}: column {column} is not explained"
            );
        }
    }
    let found = problems(&schema(false), &toml);
    assert!(found.is_empty(), "{found:?}");
    for args in [
        vec!["validate", "starter/scenario.toml"],
        vec!["solve", "starter/scenario.toml", "--format", "json"],
        vec!["check", "starter/scenario.toml", "--format", "table"],
        vec![
            "solve",
            "starter/scenario.toml",
            "--integer",
            "--format",
            "json",
            "--no-asks",
        ],
    ] {
        let out = forcegen_in(dir.path(), &args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    }
    let out = forcegen_in(
        dir.path(),
        &[
            "solve",
            "starter/scenario.toml",
            "--format",
            "json",
            "--no-asks",
        ],
    );
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["status"], "optimal");
    let stages: Vec<&str> = doc["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(stages.contains(&"burden"), "{stages:?}");
}

#[test]
fn init_refuses_to_overwrite_and_leaves_the_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("offers.csv"), "mine\n").unwrap();
    let out = init(dir.path(), &["."]);
    assert_eq!(code(&out), 74);
    assert!(
        stderr(&out).contains("refusing to overwrite ./offers.csv"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("nothing was written"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("offers.csv")).unwrap(),
        "mine\n"
    );
    assert!(
        !dir.path().join("scenario.toml").exists(),
        "nothing half-written"
    );
    let out = init(dir.path(), &[".", "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_ne!(
        std::fs::read_to_string(dir.path().join("offers.csv")).unwrap(),
        "mine\n"
    );
    // A file where the directory should be.
    std::fs::write(dir.path().join("blocked"), "").unwrap();
    assert_eq!(code(&init(dir.path(), &["blocked"])), 74);
}

/// The starter's tables open with comment lines: a slip in a header is located on the
/// header's own line and column, not on line 1.
#[test]
fn a_misspelled_header_column_after_comment_lines_is_located_on_the_header() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&init(dir.path(), &["starter"])), 0);
    let members = dir.path().join("starter/members.csv");
    let text = std::fs::read_to_string(&members).unwrap();
    let (line, header) = text
        .lines()
        .enumerate()
        .find(|(_, l)| !l.starts_with('#'))
        .unwrap();
    assert!(line > 0, "the starter's members.csv opens with comments");
    let column = header.find("burden_key").unwrap();
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == line {
                l.replacen("burden_key", "burden_kee", 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&members, broken.join("\n") + "\n").unwrap();
    let out = forcegen_in(dir.path(), &["validate", "starter/scenario.toml"]);
    assert_eq!(code(&out), 65, "{}", stderr(&out));
    let at = format!("members.csv:{}:{}", line + 1, column + 1);
    assert!(
        stderr(&out).contains(&at),
        "expected {at}: {}",
        stderr(&out)
    );
}

/// A members table that cannot be read is the one problem reported: the starter's fairness
/// stage is not also said to lack burden keys.
#[test]
fn a_members_table_that_cannot_be_read_brings_no_burden_key_warning() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&init(dir.path(), &["starter"])), 0);
    std::fs::remove_file(dir.path().join("starter/members.csv")).unwrap();
    let out = forcegen_in(dir.path(), &["validate", "starter/scenario.toml"]);
    assert_eq!(code(&out), 66, "{}", stderr(&out));
    assert!(stderr(&out).contains("members.csv"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("burden_key"), "{}", stderr(&out));
}
