//! The blockers: for each requirement short of its target, every member with an offer of a
//! capability that could serve it, and each reason the member does not give more (caveats,
//! readiness, phase, capacity, caps, share), read from the base plan without a re-solve.

use super::candidates::{binds, pool_used};
use super::{BlockedMember, Blocker};
use crate::pipeline::Planned;
use crate::scenario::{Offer, Requirement, Scenario, SolverSettings};

/// Whether a bound leaves no room: used up within 1e-6 max(1, bound) (continuous units), or
/// too little left for one more whole unit of `step` (integer units).
fn full(used: f64, step: f64, bound: f64, integer: bool) -> bool {
    if integer {
        used + step > bound + 1e-6 * bound.abs().max(1.0)
    } else {
        binds(used, bound)
    }
}

/// Whether `offer` is of a capability that could serve `requirement` (same domain, and
/// capability equal, `*` or a substitution, coefficient > 0), phase, readiness and caveats
/// aside.
fn could_serve(scenario: &Scenario, offer: &Offer, requirement: &Requirement) -> bool {
    let Some(&phase) = offer.phases.first() else {
        return false;
    };
    let relaxed = Requirement {
        phase,
        max_readiness_days: None,
        excluded_caveats: Vec::new(),
        ..requirement.clone()
    };
    scenario.coefficient(offer, &relaxed).is_some()
}

/// Reasons, in their reporting order (after the caveats).
const REASONS: [&str; 6] = [
    "readiness",
    "phase",
    "capacity",
    "max_troops",
    "max_cost",
    "max_share",
];

/// Who could close each shortfall and what stops them.
pub fn blockers(scenario: &Scenario, settings: &SolverSettings, planned: &Planned) -> Vec<Blocker> {
    let plan = &planned.plan;
    let integer = settings.integer;
    let mut out = Vec::new();
    for (q, r) in scenario.requirements.iter().enumerate() {
        let shortfall = planned.figures.requirements[q].shortfall;
        if shortfall <= 1e-6 * r.target {
            continue;
        }
        let p = r.phase;
        let sustained = scenario.phases[p].sustained;
        let mut members = Vec::new();
        for (m, member) in scenario.members.iter().enumerate() {
            let offers: Vec<usize> = (0..scenario.offers.len())
                .filter(|&o| {
                    let offer = &scenario.offers[o];
                    offer.member == m && could_serve(scenario, offer, r)
                })
                .collect();
            if offers.is_empty() {
                continue;
            }
            // The member's troops and cost deployed in the requirement's phase.
            let in_phase = |per_unit: fn(&Offer) -> f64| -> f64 {
                plan.assignments
                    .iter()
                    .filter(|a| {
                        scenario.offers[a.offer].member == m
                            && scenario.requirements[a.requirement].phase == p
                    })
                    .map(|a| per_unit(&scenario.offers[a.offer]) * a.units)
                    .sum()
            };
            let troops_used = in_phase(|o| o.troops_per_unit);
            let cost_used = in_phase(|o| o.cost_per_unit);
            // Flags in the order of REASONS.
            let mut found = [false; REASONS.len()];
            let mut smallest_coefficient = f64::INFINITY;
            for &o in &offers {
                let offer = &scenario.offers[o];
                found[0] |= r
                    .max_readiness_days
                    .is_some_and(|limit| offer.readiness_days > limit);
                found[1] |= !offer.available_in(p);
                let Some(a) = scenario.coefficient(offer, r) else {
                    continue;
                };
                smallest_coefficient = smallest_coefficient.min(a);
                let rotation = if sustained { offer.rotation } else { 1.0 };
                let used = pool_used(scenario, planned, o, p);
                found[2] |= full(used, rotation, offer.units, integer);
                found[3] |= offer.troops_per_unit > 0.0
                    && member
                        .max_troops
                        .is_some_and(|cap| full(troops_used, offer.troops_per_unit, cap, integer));
                found[4] |= offer.cost_per_unit > 0.0
                    && member
                        .max_cost
                        .is_some_and(|cap| full(cost_used, offer.cost_per_unit, cap, integer));
            }
            if r.max_share < 1.0 && smallest_coefficient.is_finite() {
                let provided: f64 = plan
                    .assignments
                    .iter()
                    .zip(&planned.figures.amounts)
                    .filter(|(a, _)| a.requirement == q && scenario.offers[a.offer].member == m)
                    .map(|(_, amount)| amount)
                    .sum();
                let cap = r.max_share * r.target;
                found[5] = full(provided, smallest_coefficient, cap, integer);
            }
            let mut reasons: Vec<String> = r
                .excluded_caveats
                .iter()
                .filter(|c| member.caveats.contains(c))
                .map(|c| format!("caveat:{c}"))
                .collect();
            reasons.extend(
                REASONS
                    .iter()
                    .zip(found)
                    .filter(|(_, set)| *set)
                    .map(|(name, _)| name.to_string()),
            );
            members.push(BlockedMember {
                member: m,
                offers,
                reasons,
            });
        }
        out.push(Blocker {
            requirement: q,
            shortfall,
            members,
        });
    }
    out
}
