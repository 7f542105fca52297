//! `forcegen compare`: scenarios and saved results side by side.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{
    assert_code, copy_scenario, entries, forcegen, forcegen_in, json, root, scenario, stderr,
    stdout,
};

const TUTORIAL: &str = "scenarios/tutorial/scenario.toml";

/// The tutorial folder copied to `dir/name`, each CSV passed through `edit(file, text)`.
fn tutorial_variant(dir: &Path, name: &str, edit: impl Fn(&str, String) -> String) -> PathBuf {
    let target = copy_scenario("tutorial", &dir.join(name));
    for file in entries(&dir.join(name)) {
        if file.ends_with(".csv") {
            let path = dir.join(name).join(&file);
            let text = fs::read_to_string(&path).expect("a tutorial file");
            fs::write(&path, edit(&file, text)).expect("writing the copy");
        }
    }
    target
}

/// Drops the lines starting with `prefix`, and checks that one did.
fn drop_line(text: &str, prefix: &str) -> String {
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(prefix)).collect();
    assert_eq!(kept.len() + 1, text.lines().count(), "one `{prefix}` line");
    kept.join("\n") + "\n"
}

fn compare_json(dir: &Path, a: &str, b: &str) -> Value {
    let output = forcegen_in(dir, &["compare", a, b, "--format", "json"]);
    assert_code(&output, 0);
    json(&output)
}

fn all_deltas_zero(doc: &Value) {
    for key in ["coverage", "priorities", "stages"] {
        let rows = doc[key].as_array().expect("an array");
        assert!(!rows.is_empty(), "{key} has rows");
        for row in rows {
            assert_eq!(row["delta"], 0.0, "{key}: {row}");
            assert_eq!(row["a"], row["b"], "{key}: {row}");
        }
    }
    assert_eq!(doc["requirements"], Value::Array(vec![]));
    assert_eq!(doc["members"], Value::Array(vec![]));
}

#[test]
fn a_scenario_against_itself_changes_nothing() {
    let doc = compare_json(&root(), TUTORIAL, TUTORIAL);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["a"]["source"], TUTORIAL);
    assert_eq!(doc["b"]["name"], "Tutorial: three-nation reassurance force");
    all_deltas_zero(&doc);
    // Every domain x phase cell with requirements, plus the `all` row and column.
    let cells: Vec<String> = doc["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}/{}",
                c["domain"].as_str().unwrap(),
                c["phase"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            "land/deployment",
            "land/sustainment",
            "land/all",
            "sea/deployment",
            "sea/all",
            "air/deployment",
            "air/all",
            "all/deployment",
            "all/sustainment",
            "all/all"
        ]
    );
    let overall = doc["coverage"].as_array().unwrap().last().unwrap();
    assert_eq!(overall["a"], 0.916666667);

    let table = forcegen(&["compare", TUTORIAL, TUTORIAL, "--format", "table"]);
    assert_code(&table, 0);
    let text = stdout(&table);
    assert!(text.starts_with(&format!(
        "compare: Tutorial: three-nation reassurance force ({TUTORIAL}) vs Tutorial: three-nation reassurance force ({TUTORIAL})\n"
    )));
    assert!(text.contains("91.7% → 91.7% (±0.0)"), "{text}");
}

#[test]
fn output_is_byte_identical_run_to_run() {
    let run = || {
        let output = forcegen(&["compare", TUTORIAL, TUTORIAL, "--format", "json"]);
        assert_code(&output, 0);
        output.stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn lifting_the_gbr_cap_swaps_a_frigate_and_lowers_cost() {
    // Without its 1,000-troop cap, GBR deploys both of its cheaper frigates (20 each)
    // instead of one of them and FRA's (30): coverage is unchanged, cost falls by 10.
    let dir = tempfile::tempdir().unwrap();
    let b = tutorial_variant(dir.path(), "uncapped", |file, text| {
        if file == "members.csv" {
            text.replace("GBR,United Kingdom,,1000,,,", "GBR,United Kingdom,,,,,")
        } else {
            text
        }
    });
    let doc = compare_json(&root(), TUTORIAL, b.to_str().unwrap());
    for key in ["coverage", "priorities"] {
        for row in doc[key].as_array().unwrap() {
            assert_eq!(row["delta"], 0.0, "{key}: {row}");
        }
    }
    assert_eq!(doc["requirements"], Value::Array(vec![]));
    let members = doc["members"].as_array().unwrap();
    let summary: Vec<(String, f64, f64, f64, f64)> = members
        .iter()
        .map(|m| {
            (
                format!(
                    "{} {}",
                    m["id"].as_str().unwrap(),
                    m["change"].as_str().unwrap()
                ),
                m["troops_a"].as_f64().unwrap(),
                m["troops_b"].as_f64().unwrap(),
                m["troops_delta"].as_f64().unwrap(),
                m["cost_delta"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("FRA changed".to_string(), 2000.0, 1750.0, -250.0, -30.0),
            ("GBR changed".to_string(), 1000.0, 1250.0, 250.0, 20.0),
        ]
    );
    let cost = doc["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "cost")
        .expect("a cost stage");
    assert_eq!(
        (cost["a"].as_f64(), cost["b"].as_f64()),
        (Some(430.0), Some(420.0))
    );
    assert_eq!(cost["delta"], -10.0);
}

/// B: FRA's frigate withdrawn, land-presence-1 dropped, air-policing-2 added.
fn changed_tutorial(dir: &Path) -> PathBuf {
    tutorial_variant(dir, "changed", |file, text| match file {
        "offers.csv" => drop_line(&text, "FRA/frigate/1,"),
        "requirements.csv" => {
            drop_line(&text, "land-presence-1,")
                + "air-policing-2,air,fighter_sqn,deployment,units,1,,3,,,,,,,Airspace,A second air policing squadron\n"
        }
        _ => text,
    })
}

#[test]
fn requirement_and_member_changes_are_listed_worst_first() {
    let dir = tempfile::tempdir().unwrap();
    changed_tutorial(dir.path());
    let doc = compare_json(
        dir.path(),
        &root().join(TUTORIAL).display().to_string(),
        "changed/scenario.toml",
    );
    assert_eq!(doc["b"]["source"], "changed/scenario.toml");
    let requirements: Vec<String> = doc["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {} {} {}",
                r["id"].as_str().unwrap(),
                r["change"].as_str().unwrap(),
                r["coverage_a"],
                r["coverage_b"],
                r["delta"],
                r["shortfall_a"],
                r["shortfall_b"]
            )
        })
        .collect();
    assert_eq!(
        requirements,
        [
            // GBR, at its cap, can add only one frigate of the two wanted.
            "maritime-security-1 changed 1.0 0.5 -0.5 0.0 1.0",
            "land-presence-1 removed 1.0 null null 0.0 null",
            "air-policing-2 added null 1.0 null null 0.0",
        ]
    );
    // Sea deployment: (1/2 + 1/2) / 2. Overall, over B's six requirements:
    // (1 + 1 + 0.5 + 0.5 + 1 + 1) / 6. B has no sustainment requirement left.
    let cell = |d: &str, p: &str| {
        doc["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["domain"] == d && c["phase"] == p)
            .cloned()
            .unwrap_or_else(|| panic!("a {d}/{p} cell"))
    };
    assert_eq!(cell("sea", "deployment")["b"], 0.5);
    assert_eq!(cell("sea", "deployment")["delta"], -0.25);
    assert_eq!(cell("all", "all")["b"], 0.833333333);
    assert_eq!(cell("land", "sustainment")["b"], Value::Null);
    assert_eq!(cell("land", "sustainment")["delta"], Value::Null);
    let members: Vec<String> = doc["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {} {} {}",
                m["id"].as_str().unwrap(),
                m["change"].as_str().unwrap(),
                m["troops_delta"],
                m["cost_delta"]
            )
        })
        .collect();
    // FRA loses its frigate (250 troops, 30); ITA moves its sustained battalion (500, 30)
    // to a fighter squadron on air-policing-2 (250, 40).
    assert_eq!(
        members,
        ["FRA changed -250.0 -30.0", "ITA changed -250.0 10.0"]
    );
}

#[test]
fn changed_pair_table_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    changed_tutorial(dir.path());
    // Both sides in the temporary folder so that the paths in the heading are stable.
    tutorial_variant(dir.path(), "base", |_, text| text);
    let output = forcegen_in(
        dir.path(),
        &[
            "compare",
            "base/scenario.toml",
            "changed/scenario.toml",
            "--format",
            "table",
        ],
    );
    assert_code(&output, 0);
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn a_saved_result_equals_the_scenario_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved");
    let solve = forcegen(&[
        "solve",
        TUTORIAL,
        "--out",
        saved.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_code(&solve, 0);
    let result = saved.join("result.json");
    let doc = compare_json(&root(), result.to_str().unwrap(), TUTORIAL);
    all_deltas_zero(&doc);
    // Detected by content too, whatever the file is called.
    let renamed = dir.path().join("result.txt");
    fs::copy(&result, &renamed).unwrap();
    let doc = compare_json(&root(), TUTORIAL, renamed.to_str().unwrap());
    all_deltas_zero(&doc);
}

#[test]
fn out_writes_every_table_and_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let output = forcegen(&[
        "compare",
        TUTORIAL,
        TUTORIAL,
        "--format",
        "csv",
        "--table",
        "stages",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_code(&output, 0);
    assert!(
        stdout(&output).starts_with("stage,a,b,delta\n"),
        "{}",
        stdout(&output)
    );
    let files = entries(&out);
    assert_eq!(
        files,
        [
            "compare.json",
            "coverage.csv",
            "members.csv",
            "priorities.csv",
            "requirements.csv",
            "stages.csv"
        ]
    );
    let coverage = fs::read_to_string(out.join("coverage.csv")).unwrap();
    assert!(
        coverage.starts_with("domain,phase,a,b,delta\nland,deployment,1.0,1.0,0.0\n"),
        "{coverage}"
    );
    let json = fs::read(out.join("compare.json")).unwrap();
    let printed = forcegen(&["compare", TUTORIAL, TUTORIAL, "--format", "json"]);
    assert_eq!(json, printed.stdout);
}

#[test]
fn an_infeasible_scenario_exits_3() {
    let infeasible = scenario("infeasible-floor");
    let output = forcegen(&["compare", TUTORIAL, infeasible.to_str().unwrap()]);
    assert_code(&output, 3);
    assert!(
        stderr(&output).contains("infeasible"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_saved_infeasible_result_is_compared_without_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("inf");
    let infeasible = scenario("infeasible-floor");
    let solve = forcegen(&[
        "solve",
        infeasible.to_str().unwrap(),
        "--out",
        saved.to_str().unwrap(),
    ]);
    assert_code(&solve, 3);
    let doc = compare_json(
        &root(),
        TUTORIAL,
        saved.join("result.json").to_str().unwrap(),
    );
    assert_eq!(doc["b"]["status"], "infeasible");
    for row in doc["coverage"].as_array().unwrap() {
        assert!(
            row["a"].is_number() && row["b"].is_null() && row["delta"].is_null(),
            "{row}"
        );
    }
    assert_eq!(doc["requirements"], Value::Array(vec![]));
}

#[test]
fn missing_files_exit_66() {
    for missing in ["nowhere/result.json", "nowhere/scenario.toml"] {
        let output = forcegen(&["compare", TUTORIAL, missing]);
        assert_code(&output, 66);
        assert!(stderr(&output).contains(missing), "{}", stderr(&output));
    }
}

#[test]
fn unreadable_results_exit_65_naming_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved");
    let solve = forcegen(&[
        "solve",
        TUTORIAL,
        "--out",
        saved.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_code(&solve, 0);
    let text = fs::read_to_string(saved.join("result.json")).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();

    doc["schema_version"] = Value::from(2);
    fs::write(dir.path().join("v2.json"), doc.to_string()).unwrap();
    let output = forcegen_in(
        dir.path(),
        &[
            "compare",
            "v2.json",
            &root().join(TUTORIAL).display().to_string(),
        ],
    );
    assert_code(&output, 65);
    assert!(
        stderr(&output).contains("v2.json: schema_version 2 is not supported"),
        "{}",
        stderr(&output)
    );

    doc["schema_version"] = Value::from(1);
    doc["members"][1].as_object_mut().unwrap().remove("cost");
    fs::write(dir.path().join("nocost.json"), doc.to_string()).unwrap();
    let output = forcegen_in(dir.path(), &["compare", "nocost.json", "nocost.json"]);
    assert_code(&output, 65);
    assert!(
        stderr(&output).contains("nocost.json: missing field `members[1].cost`"),
        "{}",
        stderr(&output)
    );

    fs::write(dir.path().join("broken.json"), "{ not json").unwrap();
    let output = forcegen_in(dir.path(), &["compare", "broken.json", "broken.json"]);
    assert_code(&output, 65);
    assert!(
        stderr(&output).contains("broken.json"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn table_selection_accepts_only_the_tables_compare_prints() {
    let output = forcegen(&[
        "compare", TUTORIAL, TUTORIAL, "--format", "csv", "--table", "stages",
    ]);
    assert_code(&output, 0);
    assert!(
        stdout(&output).starts_with("stage,a,b,delta\n"),
        "{}",
        stdout(&output)
    );
    // A table of `solve` that compare does not print is refused by the parser, which
    // lists the ones it has.
    let output = forcegen(&["compare", TUTORIAL, TUTORIAL, "--table", "assignments"]);
    assert_code(&output, 2);
    assert!(
        stderr(&output)
            .contains("[possible values: coverage, priorities, requirements, members, stages]"),
        "{}",
        stderr(&output)
    );
}
