//! `forcegen stress` on the tutorial, against a hand computation, in whole units.
//!
//! Base (EXPECTED.md): overall 5.5/6; land 1, sea 0.75, air 1.
//!
//! Without FRA: GBR alone can serve the priority-1 land force (armoured battalions, 500
//! troops each) and air policing (one squadron), within its 1000-troop cap. In whole units
//! the choices are: two battalions (priority-1 shortfall 1000/2000 + 2/2 = 1.5), one
//! battalion and the squadron (1500/2000 + 1/2 = 1.25), the squadron alone (1 + 0.5 = 1.5):
//! one battalion and the squadron, land 0.25, air 0.5. That leaves 250 British troops: one
//! frigate, maritime 0.5; MCM 0.5 (Italy's one vessel). Italy's battalions cover the IFVs
//! and the sustained presence. Overall (0.25 + 0.5 + 0.5 + 0.5 + 1 + 1)/6 = 0.625; land
//! (0.25 + 1 + 1)/3, sea 0.5, air 0.5. (With fractions, 750 troops of armour would take
//! the whole cap: land 0.375 and no frigate, overall 0.5625.)
//!
//! Without GBR: France's 3 battalions give 1500 of 2000 troops (0.75), one squadron
//! (0.5), one frigate (0.5); MCM 0.5; Italy covers the IFVs, the presence is covered.
//! Overall 4.25/6; land (0.75 + 1 + 1)/3, sea 0.5, air 0.5.
//!
//! Without ITA: priority 1 and 2 as in the base except MCM, which nothing else can serve
//! (0); Britain's cap is used up by its armoured battalion, squadron and frigate and every
//! French battalion is on the land force, so no IFV at all (0). Overall 4/6; land 2/3,
//! sea 0.5, air 1. Cost: 120 + 60 + 100 + 50 (deployment) + 40 (a French battalion
//! sustained) = 370; troops 1500 + 250 + 250 + 500 (FRA) + 1000 (GBR) = 3500.

use forcegen::analysis::stress::{Outcome, Stress, single_points_of_failure, stress};
use forcegen::pipeline::solve_scenario;
use forcegen::scenario::{Scenario, load};

use crate::common::{code, entries, forcegen, scenario, stderr, stdout};

fn tutorial() -> Scenario {
    load(&scenario("tutorial"))
        .expect("the tutorial loads")
        .scenario
}

fn run(s: &Scenario, k: usize, threads: usize) -> Stress {
    let base = solve_scenario(s, &s.solver).expect("the tutorial solves");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    stress(s, &s.solver, &base, k, &pool, &|_, _| {})
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6
}

#[test]
fn single_withdrawals_lose_what_the_hand_computation_says() {
    let s = tutorial();
    let result = run(&s, 1, 1);
    let base = 5.5 / 6.0;
    // (member, overall loss, land, sea, air losses)
    let expected = [
        ("FRA", base - 0.625, 1.0 - 2.25 / 3.0, 0.75 - 0.5, 0.5),
        ("GBR", base - 4.25 / 6.0, 1.0 - 2.75 / 3.0, 0.25, 0.5),
        ("ITA", base - 4.0 / 6.0, 1.0 / 3.0, 0.25, 0.0),
    ];
    let (land, sea, air) = (
        s.domain_index("land").unwrap(),
        s.domain_index("sea").unwrap(),
        s.domain_index("air").unwrap(),
    );
    assert_eq!(result.withdrawals.len(), 3);
    for (w, (id, loss, l, se, a)) in result.withdrawals.iter().zip(expected) {
        assert_eq!(s.members[w.members[0]].id, id);
        assert_eq!(w.outcome.status(), "optimal");
        let got = result.loss(w).unwrap();
        assert!(close(got, loss), "{id}: loss {got} != {loss}");
        for (d, want) in [(land, l), (sea, se), (air, a)] {
            let got = result.domain_loss(w, d).unwrap();
            assert!(close(got, want), "{id} {}: {got} != {want}", s.domains[d]);
        }
    }
    let ita = result.withdrawals[2].outcome.summary().unwrap();
    assert!(
        close(ita.cost, 370.0) && close(ita.troops, 3500.0),
        "{ita:?}"
    );
    // Ranked by overall loss: FRA (3.5/12), ITA (3/12), GBR (2.5/12).
    let ranked: Vec<&str> = result
        .ranking(&s)
        .into_iter()
        .map(|i| s.members[result.withdrawals[i].members[0]].id.as_str())
        .collect();
    assert_eq!(ranked, ["FRA", "ITA", "GBR"]);
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let s = tutorial();
    let one = run(&s, 2, 1);
    let two = run(&s, 2, 2);
    assert_eq!(one.withdrawals, two.withdrawals);
    let pairs: Vec<Vec<&str>> = one
        .withdrawals
        .iter()
        .map(|w| {
            w.members
                .iter()
                .map(|&m| s.members[m].id.as_str())
                .collect()
        })
        .collect();
    assert_eq!(pairs, [["FRA", "GBR"], ["FRA", "ITA"], ["GBR", "ITA"]]);
    assert!(
        one.withdrawals
            .iter()
            .all(|w| matches!(w.outcome, Outcome::Solved(_)))
    );
}

#[test]
fn single_points_of_failure_are_the_requirements_held_by_k_members_or_fewer() {
    let s = tutorial();
    let named = |k| -> Vec<(String, Vec<Vec<String>>)> {
        single_points_of_failure(&s, k)
            .into_iter()
            .map(|p| {
                (
                    s.requirements[p.requirement].id.clone(),
                    p.withdrawn
                        .iter()
                        .map(|set| set.iter().map(|&m| s.members[m].id.clone()).collect())
                        .collect(),
                )
            })
            .collect()
    };
    let set = |ids: &[&str]| vec![ids.iter().map(ToString::to_string).collect::<Vec<_>>()];
    // Only Italy offers an MCM vessel.
    assert_eq!(
        named(1),
        vec![("mine-countermeasures-1".into(), set(&["ITA"]))]
    );
    // By priority: France and Britain alone hold the land force (Italy's battalions are too
    // slow), the fighters (Italy's caveat) and the frigates; France and Italy alone the
    // sustained presence (Britain's armour is for deployment only). The IFVs have three.
    assert_eq!(
        named(2),
        vec![
            ("land-reassurance-1".into(), set(&["FRA", "GBR"])),
            ("air-policing-1".into(), set(&["FRA", "GBR"])),
            ("maritime-security-1".into(), set(&["FRA", "GBR"])),
            ("mine-countermeasures-1".into(), set(&["ITA"])),
            ("land-presence-1".into(), set(&["FRA", "ITA"])),
        ]
    );
}

fn stress_cli(args: &[&str]) -> String {
    let mut all = vec!["stress", "scenarios/tutorial/scenario.toml"];
    all.extend_from_slice(args);
    let output = forcegen(&all);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn json_is_byte_identical_across_jobs_and_runs() {
    let one = stress_cli(&["--k", "2", "--jobs", "1", "--format", "json"]);
    let two = stress_cli(&["--k", "2", "--jobs", "2", "--format", "json"]);
    let again = stress_cli(&["--k", "2", "--jobs", "2", "--format", "json"]);
    assert_eq!(one, two);
    assert_eq!(two, again);
    let one = stress_cli(&["--k", "1", "--jobs", "1", "--format", "csv"]);
    let two = stress_cli(&["--k", "1", "--jobs", "2", "--format", "csv"]);
    assert_eq!(one, two);
}

#[test]
fn json_ranks_withdrawals_and_names_single_points_of_failure() {
    let doc: serde_json::Value =
        serde_json::from_str(&stress_cli(&["--k", "1", "--format", "json"])).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["k"], 1);
    assert_eq!(doc["base"]["coverage"]["overall"], 0.916666667);
    assert_eq!(doc["base"]["coverage"]["by_domain"]["sea"], 0.75);
    let w = doc["withdrawals"].as_array().unwrap();
    let members: Vec<&str> = w
        .iter()
        .map(|w| w["members"][0].as_str().unwrap())
        .collect();
    assert_eq!(members, ["FRA", "ITA", "GBR"]);
    assert_eq!(w[0]["rank"], 1);
    assert_eq!(w[0]["status"], "optimal");
    // Figures carry the solver's round-off (later stages may trade earlier ones by the hold
    // tolerance), so compare to 1e-6.
    let near = |v: &serde_json::Value, want: f64| {
        assert!(close(v.as_f64().unwrap(), want), "{v} != {want}");
    };
    near(&w[0]["coverage"], 0.625);
    near(&w[0]["loss"], 5.5 / 6.0 - 0.625);
    near(&w[0]["loss_by_domain"]["sea"], 0.25);
    near(&w[1]["cost"], 370.0);
    assert!(w[0].get("error").is_none());
    assert_eq!(
        doc["single_points_of_failure"],
        serde_json::json!([{
            "requirement": "mine-countermeasures-1",
            "domain": "sea",
            "phase": "deployment",
            "priority": 2,
            "withdrawn": [["ITA"]]
        }])
    );
}

#[test]
fn table_output() {
    insta::assert_snapshot!(stress_cli(&["--k", "1", "--format", "table"]));
}

#[test]
fn out_dir_gets_every_table_and_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let printed = stress_cli(&["--k", "2", "--format", "json", "--out", out]);
    let names = entries(dir.path());
    assert_eq!(
        names,
        [
            "single_points_of_failure.csv",
            "stress.json",
            "withdrawals.csv",
            "worst_by_domain.csv"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("stress.json")).unwrap(),
        printed
    );
    let withdrawals = std::fs::read_to_string(dir.path().join("withdrawals.csv")).unwrap();
    assert!(withdrawals.starts_with(
        "rank,withdrawn,status,coverage,loss,loss_land,loss_sea,loss_air,troops,cost,detail\n"
    ));
    assert_eq!(withdrawals.lines().count(), 4);
}

#[test]
fn an_infeasible_base_fails_like_solve_and_bad_flags_are_usage_errors() {
    let output = forcegen(&["stress", "scenarios/infeasible-floor/scenario.toml"]);
    assert_eq!(code(&output), 3);
    assert!(
        stderr(&output).contains("hard floor"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).is_empty());
    let output = forcegen(&["stress", "scenarios/tutorial/scenario.toml", "--k", "3"]);
    assert_eq!(code(&output), 2);
    let output = forcegen(&[
        "stress",
        "scenarios/tutorial/scenario.toml",
        "--table",
        "coverage",
    ]);
    assert_eq!(code(&output), 2);
}
