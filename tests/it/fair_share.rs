//! The fair-share list: the members most over and under their burden-key share, in JSON
//! and in the `fair_share` table.

use serde_json::Value;

use crate::common::{code, copy_scenario, forcegen, forcegen_in, scenario, stderr, stdout};

/// The tutorial with burden keys (3000, 3000, 2000) and nothing else changed: the plan is the
/// tutorial's (EXPECTED.md), troops FRA 2000, GBR 1000, ITA 1550, 4550 in all. Key shares
/// 3/8, 3/8, 1/4 give fair shares 1706.25, 1706.25, 1137.5: FRA +293.75 (ratio
/// 2000/4550/0.375 = 1.172), ITA +412.5 (1.363) over; GBR -706.25 (0.586) under.
#[test]
fn fair_share_lists_the_members_most_over_and_under() {
    let dir = tempfile::tempdir().unwrap();
    copy_scenario("tutorial", dir.path());
    let members = std::fs::read_to_string(dir.path().join("members.csv")).unwrap();
    let members = members
        .replace("FRA,France,,", "FRA,France,3000,")
        .replace("GBR,United Kingdom,,", "GBR,United Kingdom,3000,")
        .replace("ITA,Italy,,", "ITA,Italy,2000,");
    assert_eq!(members.matches("000,").count(), 4, "{members}");
    std::fs::write(dir.path().join("members.csv"), members).unwrap();

    let out = forcegen_in(
        dir.path(),
        &["solve", "scenario.toml", "--format", "json", "--no-asks"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = &doc["fair_share"];
    assert_eq!(f["measure"], "troops");
    let entry = |e: &Value| {
        (
            e["member"].as_str().unwrap().to_string(),
            e["burden"].as_f64().unwrap(),
            e["fair"].as_f64().unwrap(),
            e["difference"].as_f64().unwrap(),
            (e["burden_ratio"].as_f64().unwrap() * 1000.0).round() / 1000.0,
        )
    };
    let over: Vec<_> = f["over"].as_array().unwrap().iter().map(entry).collect();
    let under: Vec<_> = f["under"].as_array().unwrap().iter().map(entry).collect();
    assert_eq!(
        over,
        [
            ("ITA".into(), 1550.0, 1137.5, 412.5, 1.363),
            ("FRA".into(), 2000.0, 1706.25, 293.75, 1.172)
        ]
    );
    assert_eq!(under, [("GBR".into(), 1000.0, 1706.25, -706.25, 0.586)]);

    let out = forcegen_in(
        dir.path(),
        &[
            "solve",
            "scenario.toml",
            "--format",
            "markdown",
            "--no-asks",
            "--table",
            "fair_share",
        ],
    );
    let text = stdout(&out);
    assert!(
        text.contains(
            "| side | member | name | troops | fair_troops | difference | burden_ratio |"
        ),
        "{text}"
    );
    assert!(
        text.contains("| over | ITA | Italy | 1550 | 1137.5 | +412.5 | 1.36 |"),
        "{text}"
    );
    assert!(
        text.contains("| under | GBR | United Kingdom | 1000 | 1706.25 | -706.25 | 0.59 |"),
        "{text}"
    );

    // Without burden keys (the tutorial itself) there is no list, in JSON or tables.
    let out = forcegen(&[
        "solve",
        scenario("tutorial").to_str().unwrap(),
        "--format",
        "json",
        "--no-asks",
    ]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc.get("fair_share"), None);
}
