//! Known-answer tests on the tutorial scenario, whose optimum is worked out by hand in
//! `scenarios/tutorial/EXPECTED.md`.

use forcegen::pipeline::{Planned, solve_scenario};
use forcegen::scenario::{Scenario, load};

use crate::common::scenario;

fn tutorial() -> Scenario {
    load(&scenario("tutorial"))
        .expect("the tutorial loads")
        .scenario
}

fn solved(s: &Scenario) -> Planned {
    solve_scenario(s, &s.solver).expect("the tutorial solves")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

#[test]
fn stage_values_match_the_hand_computation() {
    let s = tutorial();
    let planned = solved(&s);
    let stages: Vec<(&str, f64)> = planned
        .plan
        .stages
        .iter()
        .map(|st| (st.name.as_str(), st.value))
        .collect();
    let expected = [
        ("priority-1", 0.0),
        ("priority-2", 0.5),
        ("priority-3", 0.0),
        ("cost", 430.0),
    ];
    assert_eq!(stages.len(), expected.len(), "{stages:?}");
    for ((name, value), (want_name, want)) in stages.iter().zip(expected) {
        assert_eq!(*name, want_name);
        assert!(close(*value, want), "{name}: {value} != {want}");
    }
}

#[test]
fn coverage_matches_the_hand_computation() {
    let s = tutorial();
    let planned = solved(&s);
    let c = &planned.figures.coverage;
    assert!(close(c.overall, 5.5 / 6.0), "overall {}", c.overall);
    let land = s.domain_index("land").unwrap();
    let sea = s.domain_index("sea").unwrap();
    let air = s.domain_index("air").unwrap();
    assert!(close(c.by_domain[land].unwrap(), 1.0));
    assert!(close(c.by_domain[sea].unwrap(), 0.75));
    assert!(close(c.by_domain[air].unwrap(), 1.0));
    let deployment = s.phase_index("deployment").unwrap();
    let sustainment = s.phase_index("sustainment").unwrap();
    assert!(close(c.by_phase[deployment].unwrap(), 0.9));
    assert!(close(c.by_phase[sustainment].unwrap(), 1.0));
    for (r, f) in s.requirements.iter().zip(&planned.figures.requirements) {
        let want = if r.id == "mine-countermeasures-1" {
            0.5
        } else {
            1.0
        };
        assert!(close(f.coverage, want), "{}: {}", r.id, f.coverage);
    }
}

#[test]
fn the_gbr_troop_cap_binds_and_forces_the_dearer_french_frigate() {
    let s = tutorial();
    let planned = solved(&s);
    let units = |offer: &str, requirement: &str| -> f64 {
        planned
            .plan
            .assignments
            .iter()
            .filter(|a| {
                s.offers[a.offer].id == offer && s.requirements[a.requirement].id == requirement
            })
            .map(|a| a.units)
            .sum()
    };
    assert!(close(units("FRA/frigate/1", "maritime-security-1"), 1.0));
    assert!(close(units("GBR/frigate/1", "maritime-security-1"), 1.0));
    assert!(close(units("GBR/armoured_bn/1", "land-reassurance-1"), 1.0));
    assert!(close(units("FRA/mech_inf_bn/1", "land-reassurance-1"), 3.0));
    assert!(close(units("ITA/mech_inf_bn/1", "land-presence-1"), 1.0));
    let gbr = s.member_index("GBR").unwrap();
    assert!(close(planned.figures.members[gbr].troops, 1000.0));
}

#[test]
fn integer_mode_gives_the_same_optimum_on_whole_units() {
    let s = tutorial();
    let mut settings = s.solver.clone();
    settings.integer = true;
    let planned = solve_scenario(&s, &settings).expect("the integer tutorial solves");
    let values: Vec<f64> = planned.plan.stages.iter().map(|st| st.value).collect();
    let want = [0.0, 0.5, 0.0, 430.0];
    for (v, w) in values.iter().zip(want) {
        assert!(close(*v, w), "{values:?}");
    }
    assert!(crate::common::in_whole_units(&planned));
}
