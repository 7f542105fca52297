//! Snapshots of what users read: table, markdown, CSV and JSON output of the tutorial.

use crate::common::{code, forcegen, stdout};

fn solve(format: &str) -> String {
    let output = forcegen(&[
        "solve",
        "scenarios/tutorial/scenario.toml",
        "--format",
        format,
    ]);
    assert_eq!(code(&output), 0);
    stdout(&output)
}

#[test]
fn tutorial_table() {
    insta::assert_snapshot!(solve("table"));
}

#[test]
fn tutorial_markdown() {
    insta::assert_snapshot!(solve("markdown"));
}

#[test]
fn tutorial_json() {
    insta::assert_snapshot!(solve("json"));
}

#[test]
fn tutorial_csv() {
    insta::assert_snapshot!(solve("csv"));
}

#[test]
fn infeasible_explanation_table() {
    let output = forcegen(&[
        "solve",
        "scenarios/infeasible-floor/scenario.toml",
        "--format",
        "table",
    ]);
    assert_eq!(code(&output), 3);
    insta::assert_snapshot!(format!(
        "{}\n--- stderr ---\n{}",
        stdout(&output),
        crate::common::stderr(&output)
    ));
}

#[test]
fn check_report_markdown() {
    let output = forcegen(&[
        "check",
        "scenarios/tutorial/scenario.toml",
        "--min-coverage",
        "0.9",
        "--min-domain-coverage",
        "sea=0.8",
        "--format",
        "markdown",
    ]);
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!(stdout(&output));
}
