//! The asks list (SPEC "Which extra pledge would close the most shortfall"), in two parts.
//!
//! **Extra units.** For each offer, the scenario is re-solved with one more unit of that
//! offer, with the same solver settings, and the stage values compared with the base
//! lexicographically. This is exact: every answer comes from a full re-solve, not from dual
//! values, which are only valid for a marginal change, hold for one stage at a time and do
//! not exist for integer models. A stage counts as improved when it drops by more than
//! 1e-7 max(1, |base value|) (the tolerance by which stages are held) with every earlier stage
//! no worse than that. Offers that improve are ranked by the earliest stage they improve,
//! then by how much they improve it (largest first), then by offer id.
//!
//! Re-solves are saved only where the answer is known without one:
//! - an offer eligible for no requirement has no variable, so an extra unit changes nothing;
//! - in a model without integer variables (no `--integer`, no `min_members` > 1), an offer
//!   whose pool is not used up in any phase (sum of rot x < units - 1e-6) leaves the base
//!   plan optimal at every stage: the added capacity is not binding there, and a linear
//!   program's local optimum is global. (With integer variables that argument fails, so such
//!   offers are re-solved.)
//!
//! Note that an offer can improve the plan through a requirement that has no shortfall: an
//! extra unit there frees another member's troops, units or budget for something else, or
//! lowers the cost. So offers are not screened by the shortfalls they are eligible for.
//!
//! **Blockers.** For each requirement short by more than 1e-6 of its target: every member
//! with an offer of a capability that could serve it (same domain, and capability equal, `*`,
//! or a substitution, with a coefficient > 0, phase, readiness and caveats aside), the offers,
//! and each reason the member does not give more: `caveat:<tag>` (the member has one of the
//! requirement's excluded caveats), `readiness` (an offer is slower than the requirement's
//! limit), `phase` (an offer is not available in the requirement's phase), `capacity` (an
//! eligible offer's pool is used up in that phase), `max_troops` / `max_cost` (the member's
//! cap binds in that phase, for an offer that carries troops / cost), `max_share` (the member
//! provides its share cap of the requirement already). "Used up" and "binds" mean within
//! 1e-6 max(1, bound); with `--integer`, that not one more whole unit fits.

use rayon::prelude::*;

use crate::pipeline::{Planned, solve_scenario};
use crate::report::round9;
use crate::scenario::{Offer, Requirement, Scenario, SolverSettings};
use crate::solve::Status;

use super::stress::progress_bar;

/// Above this many offers the extra-unit part is skipped (one re-solve per offer).
pub const MAX_OFFERS_FOR_EXTRA_UNITS: usize = 400;

/// One offer whose extra unit improves the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtraUnit {
    pub offer: usize,
    /// Index of the first improved stage in the plan's stages.
    pub stage: usize,
    pub base_value: f64,
    pub new_value: f64,
    /// New overall coverage minus the base's.
    pub coverage_change: f64,
}

impl ExtraUnit {
    pub fn improvement(&self) -> f64 {
        self.base_value - self.new_value
    }
}

/// A member that could serve a short requirement, and why it does not give more.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockedMember {
    pub member: usize,
    /// Its offers of a capability that could serve the requirement.
    pub offers: Vec<usize>,
    /// In the order: caveats, readiness, phase, capacity, max_troops, max_cost, max_share.
    pub reasons: Vec<String>,
}

/// A requirement with a shortfall and the members that could close it.
#[derive(Clone, Debug, PartialEq)]
pub struct Blocker {
    pub requirement: usize,
    pub shortfall: f64,
    pub members: Vec<BlockedMember>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Asks {
    /// Every improving offer, ranked.
    pub extra_units: Vec<ExtraUnit>,
    /// By requirement order.
    pub blockers: Vec<Blocker>,
    /// How many offers were re-solved with an extra unit.
    pub resolved: usize,
    /// Why part of the asks is missing, where it is.
    pub note: Option<String>,
}

/// The asks list of a verified, optimal plan. Re-solves run on the current rayon pool;
/// a progress bar (see [`progress_bar`]) shows them unless `quiet`.
pub fn asks(
    scenario: &Scenario,
    settings: &SolverSettings,
    planned: &Planned,
    quiet: bool,
) -> Asks {
    let blockers = blockers(scenario, settings, planned);
    if scenario.offers.len() > MAX_OFFERS_FOR_EXTRA_UNITS {
        return Asks {
            blockers,
            note: Some(format!(
                "extra-unit asks skipped: {} offers, more than {MAX_OFFERS_FOR_EXTRA_UNITS} (one re-solve each)",
                scenario.offers.len()
            )),
            ..Asks::default()
        };
    }
    let candidates = extra_unit_candidates(scenario, settings, planned);
    let bar = progress_bar(candidates.len() as u64, quiet);
    bar.set_message("asks: one extra unit per offer");
    // One offer per task: re-solve times vary widely.
    let outcomes: Vec<Result<Option<ExtraUnit>, String>> = candidates
        .par_iter()
        .with_max_len(1)
        .map(|&o| {
            let result = extra_unit(scenario, settings, planned, o);
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();
    let failures: Vec<&String> = outcomes.iter().filter_map(|r| r.as_ref().err()).collect();
    let note = failures.first().map(|first| {
        format!(
            "{} of {} re-solve(s) with an extra unit failed or were cut short and are not ranked (first: {first})",
            failures.len(),
            candidates.len()
        )
    });
    let mut extra_units: Vec<ExtraUnit> = outcomes
        .iter()
        .filter_map(|r| r.as_ref().ok().cloned().flatten())
        .collect();
    extra_units.sort_by(|a, b| {
        a.stage
            .cmp(&b.stage)
            .then(round9(b.improvement()).total_cmp(&round9(a.improvement())))
            .then_with(|| {
                scenario.offers[a.offer]
                    .id
                    .cmp(&scenario.offers[b.offer].id)
            })
    });
    Asks {
        extra_units,
        blockers,
        resolved: candidates.len(),
        note,
    }
}

/// Units of offer `o` used in phase `p`, rotation applied in a sustained phase.
fn pool_used(scenario: &Scenario, planned: &Planned, o: usize, p: usize) -> f64 {
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

fn binds(used: f64, bound: f64) -> bool {
    used >= bound - 1e-6 * bound.abs().max(1.0)
}

/// Whether a bound leaves no room: used up within 1e-6 max(1, bound) (continuous units), or
/// too little left for one more whole unit of `step` (integer units).
fn full(used: f64, step: f64, bound: f64, integer: bool) -> bool {
    if integer {
        used + step > bound + 1e-6 * bound.abs().max(1.0)
    } else {
        binds(used, bound)
    }
}

/// The offers worth re-solving with an extra unit (see the module documentation).
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

/// Re-solves with one more unit of offer `o`: the improvement at the first stage that
/// changes, `None` when no stage improves, an error when the re-solve failed or was cut
/// short by the time limit.
fn extra_unit(
    scenario: &Scenario,
    settings: &SolverSettings,
    planned: &Planned,
    o: usize,
) -> Result<Option<ExtraUnit>, String> {
    let mut variant = scenario.clone();
    variant.offers[o].units += 1.0;
    let id = &scenario.offers[o].id;
    let solved = solve_scenario(&variant, settings).map_err(|e| format!("{id}: {e}"))?;
    if solved.plan.status != Status::Optimal {
        return Err(format!("{id}: the time limit cut the re-solve short"));
    }
    let base = &planned.plan.stages;
    let new = &solved.plan.stages;
    for (i, (b, n)) in base.iter().zip(new).enumerate() {
        let tolerance = 1e-7 * b.value.abs().max(1.0);
        if n.value < b.value - tolerance {
            return Ok(Some(ExtraUnit {
                offer: o,
                stage: i,
                base_value: b.value,
                new_value: n.value,
                coverage_change: solved.figures.coverage.overall - planned.figures.coverage.overall,
            }));
        }
        if n.value > b.value + tolerance {
            break;
        }
    }
    Ok(None)
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
