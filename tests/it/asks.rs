//! The asks list of `solve`, on the tutorial, against a hand computation
//! (see `scenarios/tutorial/EXPECTED.md` for the base optimum).
//!
//! One extra unit of each offer, by hand (base stages: priority-1 0, priority-2 0.5,
//! priority-3 0, cost 430):
//! - ITA/mcm_vessel/1: a second MCM vessel closes mine-countermeasures-1, the only
//!   shortfall: priority-2 0.5 -> 0, overall coverage +1/12. First.
//! - FRA/mech_inf_bn/1: 4 x 500 troops cover land-reassurance-1 alone, so no British
//!   armoured battalion is needed there; Britain's 500 troops freed by it let its second,
//!   cheaper frigate replace France's (20 instead of 30), and 4 x 40 replaces 3 x 40 + 60:
//!   cost 430 -> 400. It improves the plan through a requirement with no shortfall.
//! - FRA/fighter_sqn/1: two French squadrons police the air, Britain's 250 fighter troops go
//!   to its second frigate: cost 430 -> 420.
//! - GBR/frigate/1, GBR/armoured_bn/1, GBR/fighter_sqn/1: Britain's troop cap (1000) is
//!   already used up, so more British units cannot deploy; no change.
//! - FRA/frigate/1: a second French frigate (30) is dearer than Britain's (20); no change.
//! - ITA/mech_inf_bn/1: too slow for land-reassurance-1, and ifv-in-theatre-1 and
//!   land-presence-1 are covered already at the lowest cost; no change.
//! - ITA/fighter_sqn/1: Italy's `no_combat` caveat excludes it from air policing, the only
//!   air requirement; no change (and not even re-solved).

use forcegen::analysis::asks::{Blocker, asks, blockers, extra_unit_candidates};
use forcegen::pipeline::{Planned, solve_scenario};
use forcegen::scenario::{Scenario, load};

use crate::common::{code, forcegen, scenario, stdout};

fn tutorial() -> Scenario {
    load(&scenario("tutorial"))
        .expect("the tutorial loads")
        .scenario
}

fn solved(s: &Scenario) -> Planned {
    solve_scenario(s, &s.solver).expect("the scenario solves")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

#[test]
fn extra_unit_asks_match_the_hand_computation() {
    let s = tutorial();
    let planned = solved(&s);
    let asks = asks(&s, &s.solver, &planned, &|_, _| {});
    assert_eq!(asks.note, None);
    let got: Vec<(&str, &str, f64, f64, f64)> = asks
        .extra_units
        .iter()
        .map(|e| {
            (
                s.offers[e.offer].id.as_str(),
                planned.plan.stages[e.stage].name.as_str(),
                e.base_value,
                e.new_value,
                e.coverage_change,
            )
        })
        .collect();
    let want = [
        ("ITA/mcm_vessel/1", "priority-2", 0.5, 0.0, 1.0 / 12.0),
        ("FRA/mech_inf_bn/1", "cost", 430.0, 400.0, 0.0),
        ("FRA/fighter_sqn/1", "cost", 430.0, 420.0, 0.0),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!((g.0, g.1), (w.0, w.1), "{got:?}");
        assert!(
            close(g.2, w.2) && close(g.3, w.3) && close(g.4, w.4),
            "{g:?} != {w:?}"
        );
    }
}

#[test]
fn offers_left_out_change_nothing_when_re_solved() {
    // The asks skip offers with no eligible requirement, and in a linear model (the
    // relaxation) offers whose pool is not used up; with whole units the stage-by-stage
    // search decides every other offer. Every offer not listed must really leave all stages
    // unchanged.
    let s = tutorial();
    let candidates = |s: &Scenario| -> Vec<String> {
        let planned = solved(s);
        extra_unit_candidates(s, &s.solver, &planned)
            .into_iter()
            .map(|o| s.offers[o].id.clone())
            .collect()
    };
    let whole = candidates(&s);
    assert!(
        !whole.contains(&"ITA/fighter_sqn/1".to_string()),
        "{whole:?}"
    );
    assert_eq!(whole.len(), s.offers.len() - 1, "{whole:?}");
    let mut relaxed = s.clone();
    relaxed.solver.integer = false;
    let lp = candidates(&relaxed);
    for skipped in ["GBR/armoured_bn/1", "GBR/frigate/1", "ITA/fighter_sqn/1"] {
        assert!(!lp.contains(&skipped.to_string()), "{lp:?}");
    }
    let planned = solved(&s);
    let listed = ["ITA/mcm_vessel/1", "FRA/mech_inf_bn/1", "FRA/fighter_sqn/1"];
    for o in 0..s.offers.len() {
        if listed.contains(&s.offers[o].id.as_str()) {
            continue;
        }
        let mut variant = s.clone();
        variant.offers[o].units += 1.0;
        let again = solved(&variant);
        for (a, b) in again.plan.stages.iter().zip(&planned.plan.stages) {
            assert!(
                close(a.value, b.value),
                "{}: stage {} {} != {}",
                s.offers[o].id,
                a.name,
                a.value,
                b.value
            );
        }
    }
}

/// A member that could close a shortfall: (member, offers, reasons).
type Named = (String, Vec<String>, Vec<String>);

/// (requirement, [(member, offers, reasons)]) for readable assertions.
fn named(s: &Scenario, blockers: &[Blocker]) -> Vec<(String, Vec<Named>)> {
    blockers
        .iter()
        .map(|b| {
            (
                s.requirements[b.requirement].id.clone(),
                b.members
                    .iter()
                    .map(|m| {
                        (
                            s.members[m.member].id.clone(),
                            m.offers.iter().map(|&o| s.offers[o].id.clone()).collect(),
                            m.reasons.clone(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

#[test]
fn the_mcm_shortfall_is_blocked_by_italys_capacity() {
    let s = tutorial();
    let planned = solved(&s);
    let got = blockers(&s, &s.solver, &planned);
    assert_eq!(got.len(), 1);
    assert!(close(got[0].shortfall, 1.0));
    assert_eq!(
        named(&s, &got),
        vec![(
            "mine-countermeasures-1".to_string(),
            vec![(
                "ITA".to_string(),
                strings(&["ITA/mcm_vessel/1"]),
                strings(&["capacity"])
            )]
        )]
    );
}

#[test]
fn blockers_name_caveats_caps_and_capacity() {
    // Three fighter squadrons wanted: France's and Britain's one each are deployed (pools
    // used up; Britain is also at its troop cap), Italy's are excluded by its caveat.
    let mut s = tutorial();
    let air = s
        .requirements
        .iter()
        .position(|r| r.id == "air-policing-1")
        .unwrap();
    s.requirements[air].target = 3.0;
    let planned = solved(&s);
    assert_eq!(
        named(&s, &blockers(&s, &s.solver, &planned)),
        vec![
            (
                "air-policing-1".to_string(),
                vec![
                    (
                        "FRA".to_string(),
                        strings(&["FRA/fighter_sqn/1"]),
                        strings(&["capacity"])
                    ),
                    (
                        "GBR".to_string(),
                        strings(&["GBR/fighter_sqn/1"]),
                        strings(&["capacity", "max_troops"])
                    ),
                    (
                        "ITA".to_string(),
                        strings(&["ITA/fighter_sqn/1"]),
                        strings(&["caveat:no_combat"])
                    ),
                ]
            ),
            (
                "mine-countermeasures-1".to_string(),
                vec![(
                    "ITA".to_string(),
                    strings(&["ITA/mcm_vessel/1"]),
                    strings(&["capacity"])
                )]
            ),
        ]
    );

    // 2500 land troops within 60 days, with fractions of units allowed (the relaxation):
    // France's three battalions are all deployed, Britain fills its troop cap with 1.5
    // armoured battalions (of 2), Italy's are too slow. Britain then has no troops left for a
    // frigate, and France's only frigate is deployed.
    let mut s = tutorial();
    s.solver.integer = false;
    let land = s
        .requirements
        .iter()
        .position(|r| r.id == "land-reassurance-1")
        .unwrap();
    s.requirements[land].target = 2500.0;
    let planned = solved(&s);
    let got = blockers(&s, &s.solver, &planned);
    let land_reassurance = (
        "land-reassurance-1".to_string(),
        vec![
            (
                "FRA".to_string(),
                strings(&["FRA/mech_inf_bn/1"]),
                strings(&["capacity"]),
            ),
            (
                "GBR".to_string(),
                strings(&["GBR/armoured_bn/1"]),
                strings(&["max_troops"]),
            ),
            (
                "ITA".to_string(),
                strings(&["ITA/mech_inf_bn/1"]),
                strings(&["readiness"]),
            ),
        ],
    );
    let maritime = (
        "maritime-security-1".to_string(),
        vec![
            (
                "FRA".to_string(),
                strings(&["FRA/frigate/1"]),
                strings(&["capacity"]),
            ),
            (
                "GBR".to_string(),
                strings(&["GBR/frigate/1"]),
                strings(&["max_troops"]),
            ),
        ],
    );
    let named = named(&s, &got);
    assert_eq!(named[0], land_reassurance);
    assert_eq!(named[1], maritime);
    // Later stages may trade the land force's coverage by the hold tolerance (1e-7 of the
    // stage value), a few ten-thousandths of a troop here.
    assert!(
        (got[0].shortfall - 250.0).abs() < 1e-6 * 2500.0,
        "{}",
        got[0].shortfall
    );
    assert!(close(got[1].shortfall, 1.0), "{}", got[1].shortfall);
}

#[test]
fn solve_json_carries_the_asks_and_csv_the_asks_tables() {
    let output = forcegen(&[
        "solve",
        "scenarios/tutorial/scenario.toml",
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let asks = &doc["asks"];
    let offers: Vec<&str> = asks["extra_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["offer"].as_str().unwrap())
        .collect();
    // Ranked: only what improves coverage; the extra units that change only the cost are
    // listed apart.
    let other: Vec<&str> = asks["other_gains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["offer"].as_str().unwrap())
        .collect();
    assert_eq!(other, ["FRA/mech_inf_bn/1", "FRA/fighter_sqn/1"]);
    assert_eq!(offers, ["ITA/mcm_vessel/1"]);
    let first = &asks["extra_units"][0];
    assert_eq!(first["rank"], 1);
    assert_eq!(first["member"], "ITA");
    assert_eq!(first["capability"], "mcm_vessel");
    assert_eq!(first["domain"], "sea");
    assert_eq!(first["stage"], "priority-2");
    assert_eq!(first["base_value"], 0.5);
    assert_eq!(first["new_value"], 0.0);
    assert_eq!(first["coverage_change"], 0.083333333);
    assert_eq!(asks["blockers"][0]["requirement"], "mine-countermeasures-1");
    assert_eq!(asks["blockers"][0]["members"][0]["reasons"][0], "capacity");
    assert!(asks.get("note").is_none());

    let output = forcegen(&[
        "solve",
        "scenarios/tutorial/scenario.toml",
        "--format",
        "csv",
        "--table",
        "asks",
        "--table",
        "blockers",
    ]);
    assert_eq!(code(&output), 0);
    assert_eq!(
        stdout(&output),
        "# asks\n\
         rank,offer,member,capability,domain,stage,base_value,new_value,coverage_change\n\
         1,ITA/mcm_vessel/1,ITA,mcm_vessel,sea,priority-2,0.5,0.0,0.083333333\n\
         \n\
         # blockers\n\
         requirement,shortfall,member,offers,reasons\n\
         mine-countermeasures-1,1.0,ITA,ITA/mcm_vessel/1,capacity\n"
    );
}

#[test]
fn an_infeasible_scenario_says_the_asks_were_not_computed() {
    let output = forcegen(&[
        "solve",
        "scenarios/infeasible-floor/scenario.toml",
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 3);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(doc["asks"]["extra_units"], serde_json::json!([]));
    assert!(doc["asks"]["note"].as_str().unwrap().contains("infeasible"));
}
