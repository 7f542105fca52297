//! `--relax` gives the LP results forcegen gave before whole units became the default:
//! the fixtures are the outputs of the earlier default (the LP relaxation, microlp) on the
//! shipped scenarios whose data have not changed since, kept byte for byte. The only
//! additions since are each stage's proven `gap` (0 for an LP stage solved to optimality),
//! left out before comparing.

use serde_json::Value;

use crate::common::{code, forcegen, root, stderr, stdout};

/// The fixture `name` under `tests/it/fixtures`.
fn fixture(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/it/fixtures").join(name)).unwrap()
}

fn without_gaps(mut doc: Value) -> Value {
    for stage in doc["stages"].as_array_mut().unwrap() {
        let gap = stage.as_object_mut().unwrap().remove("gap");
        assert_eq!(gap, Some(serde_json::json!(0.0)), "an LP stage has no gap");
    }
    doc
}

#[test]
fn the_tutorial_relaxation_is_the_lp_result_of_before() {
    let out = forcegen(&[
        "solve",
        "scenarios/tutorial/scenario.toml",
        "--relax",
        "--solver",
        "microlp",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let now: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        now.get("relaxation").is_none(),
        "an LP plan is its own relaxation"
    );
    let before: Value = serde_json::from_str(&fixture("tutorial-lp.json")).unwrap();
    assert_eq!(without_gaps(now), before);
}

#[test]
fn the_infeasible_explanation_in_the_relaxation_is_the_one_of_before() {
    let out = forcegen(&[
        "solve",
        "scenarios/infeasible-floor/scenario.toml",
        "--relax",
        "--solver",
        "microlp",
        "--format",
        "table",
    ]);
    assert_eq!(code(&out), 3);
    assert_eq!(
        format!("{}\n--- stderr ---\n{}", stdout(&out), stderr(&out)).trim_end(),
        fixture("infeasible-lp.txt").trim_end()
    );
}
