//! The offers worth searching with an extra unit: those with an eligible requirement in a
//! phase that one more unit lets them deploy more in (whole units) and, in a pure LP, whose
//! pool the base plan uses up in such a phase. What the plan uses of a pool is read here
//! for the blockers too.

use crate::pipeline::Planned;
use crate::scenario::{Offer, Scenario, SolverSettings};

/// The offers worth searching with an extra unit (see the documentation of `asks`).
pub fn extra_unit_candidates(
    scenario: &Scenario,
    settings: &SolverSettings,
    planned: &Planned,
) -> Vec<usize> {
    let pure_lp = !settings.integer && scenario.requirements.iter().all(|r| r.min_members <= 1);
    (0..scenario.offers.len())
        .filter(|&o| {
            let offer = &scenario.offers[o];
            let mut phases: Vec<usize> = scenario
                .requirements
                .iter()
                .filter(|r| scenario.coefficient(offer, r).is_some())
                .map(|r| r.phase)
                .collect();
            phases.sort_unstable();
            phases.dedup();
            if settings.integer {
                phases.retain(|&p| deploys_more(scenario, offer, p));
            }
            if phases.is_empty() {
                return false;
            }
            !pure_lp
                || phases
                    .iter()
                    .any(|&p| binds(pool_used(scenario, planned, o, p), offer.units))
        })
        .collect()
}

/// Units of offer `o` used in phase `p`, rotation applied in a sustained phase.
pub(super) fn pool_used(scenario: &Scenario, planned: &Planned, o: usize, p: usize) -> f64 {
    let offer = &scenario.offers[o];
    let rotation = if scenario.phases[p].sustained {
        offer.rotation
    } else {
        1.0
    };
    planned
        .plan
        .assignments
        .iter()
        .filter(|a| a.offer == o && scenario.requirements[a.requirement].phase == p)
        .map(|a| rotation * a.units)
        .sum()
}

/// Whether `used` reaches `bound`, within 1e-6 max(1, bound).
pub(super) fn binds(used: f64, bound: f64) -> bool {
    used >= bound - 1e-6 * bound.abs().max(1.0)
}

/// Whether one more unit of `offer` lets phase `p` deploy more of it: in whole units, a
/// sustained phase keeps floor(units / rotation) in place.
fn deploys_more(scenario: &Scenario, offer: &Offer, p: usize) -> bool {
    if !scenario.phases[p].sustained {
        return true;
    }
    let kept = |units: f64| (units / offer.rotation + 1e-9).floor();
    kept(offer.units + 1.0) > kept(offer.units)
}
