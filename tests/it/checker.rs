//! The independent plan checker refuses hand-made bad plans.

use forcegen::pipeline::solve_scenario;
use forcegen::plan::check::{Violation, check};
use forcegen::plan::{Assignment, Figures, Plan, figures};
use forcegen::scenario::{Scenario, load};

use crate::common::scenario;

fn tutorial() -> (Scenario, Plan, Figures) {
    let s = load(&scenario("tutorial")).unwrap().scenario;
    let planned = solve_scenario(&s, &s.solver).unwrap();
    (s, planned.plan, planned.figures)
}

fn index(s: &Scenario, offer: &str, requirement: &str) -> (usize, usize) {
    let o = s.offers.iter().position(|x| x.id == offer).unwrap();
    let q = s
        .requirements
        .iter()
        .position(|x| x.id == requirement)
        .unwrap();
    (o, q)
}

/// Checks a modified plan with figures recomputed from it, so only the rule under test
/// can fail.
fn violations(s: &Scenario, plan: &Plan) -> Vec<Violation> {
    let f = figures(s, plan);
    check(s, plan, &f).err().unwrap_or_default()
}

fn rules(v: &[Violation]) -> Vec<&'static str> {
    v.iter().map(|v| v.rule).collect()
}

#[test]
fn the_solved_plan_passes() {
    let (s, plan, f) = tutorial();
    assert_eq!(check(&s, &plan, &f), Ok(()));
}

#[test]
fn an_ineligible_assignment_is_refused() {
    let (s, mut plan, _) = tutorial();
    // ITA's fighters are excluded from air policing by the `no_combat` caveat.
    let (o, q) = index(&s, "ITA/fighter_sqn/1", "air-policing-1");
    plan.assignments.push(Assignment {
        offer: o,
        requirement: q,
        units: 1.0,
    });
    let v = violations(&s, &plan);
    assert!(rules(&v).contains(&"eligibility"), "{v:?}");
    assert!(v[0].detail.contains("no_combat"), "{v:?}");
}

#[test]
fn a_slow_offer_is_refused_on_a_readiness_limited_requirement() {
    let (s, mut plan, _) = tutorial();
    let (o, q) = index(&s, "ITA/mech_inf_bn/1", "land-reassurance-1");
    plan.assignments.push(Assignment {
        offer: o,
        requirement: q,
        units: 0.5,
    });
    let v = violations(&s, &plan);
    assert!(
        v.iter()
            .any(|v| v.rule == "eligibility" && v.detail.contains("readiness")),
        "{v:?}"
    );
}

#[test]
fn capacity_with_rotation_is_enforced_in_the_sustained_phase() {
    let (s, mut plan, _) = tutorial();
    // FRA offers 3 battalions with rotation 3: one sustained battalion uses the whole pool.
    let (o, q) = index(&s, "FRA/mech_inf_bn/1", "land-presence-1");
    plan.assignments.push(Assignment {
        offer: o,
        requirement: q,
        units: 1.5,
    });
    let v = violations(&s, &plan);
    assert!(rules(&v).contains(&"capacity"), "{v:?}");
}

#[test]
fn a_member_troop_cap_is_enforced() {
    let (s, mut plan, _) = tutorial();
    // GBR is at its 1000-troop cap; one more frigate (250 crew) breaks it.
    let (o, q) = index(&s, "GBR/frigate/1", "maritime-security-1");
    let a = plan
        .assignments
        .iter_mut()
        .find(|a| a.offer == o && a.requirement == q)
        .unwrap();
    a.units += 1.0;
    let v = violations(&s, &plan);
    assert!(rules(&v).contains(&"max_troops"), "{v:?}");
}

#[test]
fn a_share_cap_is_enforced() {
    let (mut s, plan, _) = tutorial();
    let q = s
        .requirements
        .iter()
        .position(|r| r.id == "land-reassurance-1")
        .unwrap();
    s.requirements[q].max_share = 0.5;
    let v = violations(&s, &plan);
    assert!(rules(&v).contains(&"max_share"), "{v:?}");
}

#[test]
fn a_hard_floor_is_enforced() {
    let (mut s, mut plan, _) = tutorial();
    let (_, q) = index(&s, "FRA/frigate/1", "maritime-security-1");
    s.requirements[q].minimum = 2.0;
    plan.assignments.retain(|a| a.requirement != q);
    let v = violations(&s, &plan);
    assert!(rules(&v).contains(&"floor"), "{v:?}");
}

#[test]
fn wrong_coverage_arithmetic_is_refused() {
    let (s, plan, mut f) = tutorial();
    f.requirements[0].covered += 1.0;
    let v = check(&s, &plan, &f).unwrap_err();
    assert!(rules(&v).contains(&"arithmetic"), "{v:?}");
    let (s, plan, mut f) = tutorial();
    f.coverage.overall = 1.0;
    let v = check(&s, &plan, &f).unwrap_err();
    assert!(rules(&v).contains(&"arithmetic"), "{v:?}");
}

#[test]
fn a_stage_value_the_plan_does_not_reach_is_refused() {
    let (s, mut plan, f) = tutorial();
    let cost = plan.stages.iter_mut().find(|st| st.name == "cost").unwrap();
    cost.value -= 10.0;
    let v = check(&s, &plan, &f).unwrap_err();
    assert!(rules(&v).contains(&"stage"), "{v:?}");
}

#[test]
fn negative_and_fractional_integer_units_are_refused() {
    let (s, mut plan, _) = tutorial();
    plan.assignments[0].units = -1.0;
    assert!(rules(&violations(&s, &plan)).contains(&"units"));
    let (s, mut plan, _) = tutorial();
    plan.integer = true;
    plan.assignments[0].units += 0.5;
    assert!(rules(&violations(&s, &plan)).contains(&"integer"));
}
