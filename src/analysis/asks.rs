//! The asks list (docs/spec.md, "The asks list"), in two parts.
//!
//! **Extra units.** What one more unit of an offer would improve: the scenario re-solved
//! with it, with the same solver settings, and the stage values compared with the base
//! lexicographically. A stage counts as improved when it drops by more than
//! 1e-7 max(1, |base value|) (the tolerance by which stages are held) with every earlier stage
//! no worse than that. Offers that improve are ranked by the earliest stage they improve,
//! then by how much they improve it (largest first), then by offer id; the list holds the
//! best [`LISTED`] (what the result reports).
//!
//! Every value in the list comes from an exact re-solve, never from dual values, which hold
//! only for a marginal change and do not exist for whole units. The re-solves are saved
//! where the answer is known without one, and the search runs stage by stage:
//! - an offer eligible for no requirement has no column: an extra unit changes nothing; with
//!   whole units, neither does one that no phase can deploy (a pool of 5 with rotation 4
//!   keeps one unit in place, and so does a pool of 6), when the offer serves sustained
//!   phases only; in a model without integer columns, neither does an offer whose pool is
//!   not used up in any phase (the base plan stays optimal: a local optimum of a linear
//!   program is global);
//! - at each stage k, every offer still in the running is screened by the LP relaxation of
//!   its variant at stage k, with the stages before k held at the base's values: a bound that
//!   no whole-unit plan of the variant beats. If the bound does not beat the base's value,
//!   the offer cannot improve stage k (exactly); otherwise its variant is re-solved, stages
//!   1 to k, to decide. This is the whole cost when the relaxation is tight, as for the
//!   priorities of the flagship;
//! - the stages are searched in order and the search stops once [`LISTED`] improving offers
//!   are known: an offer improving only a later stage ranks below all of them. The `note`
//!   then says which stages were searched.
//!
//! The coverage change of a listed ask compares the variant's plan with the base's, both
//! solved through the priority stages (and through the improved stage, if later): the
//! plan that closes the shortfall, whatever the later stages, which only choose among plans
//! that keep every priority, do with it.
//!
//! An offer can improve the plan through a requirement that has no shortfall: an extra
//! unit there frees another member's troops, units or budget for something else, or lowers
//! the cost. So offers are not screened by the shortfalls they are eligible for.
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
//! 1e-6 max(1, bound); with whole units, that not one more whole unit fits.

use rayon::prelude::*;

use crate::model::{FormulationOptions, formulate};
use crate::pipeline::{Planned, solve_stages};
use crate::report::round9;
use crate::scenario::{Offer, Requirement, Scenario, SolverSettings};
use crate::solve::{SolveOptions, Status, relaxed_stage_bound};

use super::progress::progress_bar;

/// Above this many offers the extra-unit part is skipped (a search over every offer).
pub const MAX_OFFERS_FOR_EXTRA_UNITS: usize = 400;

/// How many extra-unit asks the search ranks for certain (the JSON result lists them).
pub const LISTED: usize = 20;

/// One offer whose extra unit improves the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtraUnit {
    pub offer: usize,
    /// Index of the first improved stage in the plan's stages.
    pub stage: usize,
    pub base_value: f64,
    pub new_value: f64,
    /// New overall coverage minus the base's (see the module documentation).
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
    /// The improving offers found, ranked: the best [`LISTED`] for certain, or all of them
    /// when the search covered every stage.
    pub extra_units: Vec<ExtraUnit>,
    /// By requirement order.
    pub blockers: Vec<Blocker>,
    /// How many variants were re-solved (stages 1 to k) to decide an offer.
    pub resolved: usize,
    /// How many relaxations screened offers.
    pub screened: usize,
    /// Where the search stopped early (every listed ask is still exact): which stages it
    /// searched.
    pub searched: Option<String>,
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
                "extra-unit asks skipped: {} offers, more than {MAX_OFFERS_FOR_EXTRA_UNITS} (one search each)",
                scenario.offers.len()
            )),
            ..Asks::default()
        };
    }
    let search = Search::new(scenario, settings, planned);
    let candidates = extra_unit_candidates(scenario, settings, planned);
    let bar = progress_bar(candidates.len() as u64, quiet);
    bar.set_message("asks: one extra unit per offer");
    let mut alive = candidates.clone();
    let mut found: Vec<Found> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let (mut resolved, mut screened) = (0, 0);
    let stages = planned.plan.stages.len();
    let mut searched = 0;
    for k in 0..stages {
        if found.len() >= LISTED || alive.is_empty() {
            break;
        }
        // One offer per task: re-solve times vary widely.
        let screens: Vec<(usize, Result<bool, String>)> = alive
            .par_iter()
            .with_max_len(1)
            .map(|&o| (o, search.cannot_improve(o, k)))
            .collect();
        screened += screens.len();
        let mut next = Vec::new();
        let mut doubtful = Vec::new();
        for (o, screen) in screens {
            match screen {
                Ok(true) => next.push(o),
                Ok(false) => doubtful.push(o),
                Err(e) => failures.push(e),
            }
        }
        resolved += doubtful.len();
        let decided: Vec<(usize, Result<Decision, String>)> = doubtful
            .par_iter()
            .with_max_len(1)
            .map(|&o| (o, search.decide(o, k)))
            .collect();
        for (o, decision) in decided {
            match decision {
                Ok(Decision::Improves(f)) => found.push(f),
                Ok(Decision::Unchanged) => next.push(o),
                Ok(Decision::Worse) => {}
                Err(e) => failures.push(e),
            }
        }
        next.sort_unstable();
        bar.inc((alive.len() - next.len()) as u64);
        alive = next;
        searched = k + 1;
    }
    bar.finish_and_clear();
    found.sort_by(|a, b| {
        a.stage
            .cmp(&b.stage)
            .then(round9(b.improvement()).total_cmp(&round9(a.improvement())))
            .then_with(|| {
                scenario.offers[a.offer]
                    .id
                    .cmp(&scenario.offers[b.offer].id)
            })
    });
    let complete = searched == stages || alive.is_empty();
    if !complete {
        found.truncate(LISTED);
    }
    // The coverage change compares plans solved through the priorities (and the improved
    // stage): the asks kept that were decided on fewer stages are solved further.
    let completed: Vec<Result<Found, String>> = found
        .par_iter()
        .with_max_len(1)
        .map(|f| search.through_priorities(f))
        .collect();
    let mut found = Vec::new();
    for f in completed {
        match f {
            Ok(f) => found.push(f),
            Err(e) => failures.push(e),
        }
    }
    let mut kept = Vec::new();
    for f in &found {
        match search.base_coverage(f.stages) {
            Ok(base) => kept.push(ExtraUnit {
                offer: f.offer,
                stage: f.stage,
                base_value: f.base_value,
                new_value: f.new_value,
                coverage_change: f.coverage - base,
            }),
            Err(e) => failures.push(e),
        }
    }
    let searched = (!complete).then(|| {
        format!(
            "the search stopped after stage {} ({} of {stages}) with {LISTED} improving offers \
             found: an offer improving only a later stage would rank below them",
            planned.plan.stages[searched - 1].name,
            searched
        )
    });
    let note = failures.first().map(|first| {
        format!(
            "{} re-solve(s) with an extra unit failed or were cut short and are not ranked (first: {first})",
            failures.len()
        )
    });
    Asks {
        extra_units: kept,
        blockers,
        resolved,
        screened,
        searched,
        note,
    }
}

/// An improving offer, with the overall coverage of its variant solved through `stages`
/// stages.
#[derive(Clone, Debug)]
struct Found {
    offer: usize,
    stage: usize,
    base_value: f64,
    new_value: f64,
    coverage: f64,
    stages: usize,
}

impl Found {
    fn improvement(&self) -> f64 {
        self.base_value - self.new_value
    }
}

/// What re-solving a variant through stage k tells.
enum Decision {
    /// A stage up to k improves (the first one).
    Improves(Found),
    /// No stage up to k changes: the search goes on.
    Unchanged,
    /// A stage gets worse first (within the MIP gap, a plan can): no improvement, as a cold
    /// comparison of the two solves would say.
    Worse,
}

/// The base and what the search compares with it.
struct Search<'a> {
    scenario: &'a Scenario,
    settings: &'a SolverSettings,
    planned: &'a Planned,
    options: SolveOptions,
    /// How many stages are priorities (they come first).
    priorities: usize,
    /// The base's overall coverage through the priority stages, computed on first use.
    base_coverage: std::sync::OnceLock<Result<f64, String>>,
}

impl<'a> Search<'a> {
    fn new(scenario: &'a Scenario, settings: &'a SolverSettings, planned: &'a Planned) -> Self {
        let priorities = planned
            .plan
            .stages
            .iter()
            .take_while(|s| s.name.starts_with("priority-"))
            .count();
        Search {
            scenario,
            settings,
            planned,
            options: SolveOptions::from_settings(settings),
            priorities,
            base_coverage: std::sync::OnceLock::new(),
        }
    }

    fn variant(&self, o: usize) -> Scenario {
        let mut variant = self.scenario.clone();
        variant.offers[o].units += 1.0;
        variant
    }

    fn tolerance(value: f64) -> f64 {
        1e-7 * value.abs().max(1.0)
    }

    /// Whether the relaxation proves that an extra unit of `o` cannot improve stage `k` once
    /// the stages before it are at the base's values (see the module documentation).
    fn cannot_improve(&self, o: usize, k: usize) -> Result<bool, String> {
        let variant = self.variant(o);
        let formulation = formulate(
            &variant,
            FormulationOptions {
                integer: self.settings.integer,
                soft_floors: false,
            },
        );
        let base = &self.planned.plan.stages;
        // The variant's re-solve holds each earlier stage at its own value plus the hold;
        // its values are within the tolerance of the base's (else the search would have
        // decided the offer): these holds are looser than its own.
        let slack = |v: f64| (3e-7 + 2.0 * self.planned.plan.hold_tolerance) * v.abs().max(1.0);
        let held: Vec<f64> = base[..k].iter().map(|s| s.value + slack(s.value)).collect();
        let id = &self.scenario.offers[o].id;
        let bound = relaxed_stage_bound(&formulation, &self.options, k, &held)
            .map_err(|e| format!("{id}: {e}"))?;
        // Half the tolerance: the bound's own round-off decides nothing.
        Ok(bound >= base[k].value - Self::tolerance(base[k].value) / 2.0)
    }

    /// Re-solves the variant of `o` through stage `k` and compares it with the base.
    fn decide(&self, o: usize, k: usize) -> Result<Decision, String> {
        let id = &self.scenario.offers[o].id;
        let stages = k + 1;
        let solved = solve_stages(&self.variant(o), self.settings, stages)
            .map_err(|e| format!("{id}: {e}"))?;
        if solved.plan.status != Status::Optimal {
            return Err(format!("{id}: the time limit cut the re-solve short"));
        }
        let compared = self.planned.plan.stages.iter().zip(&solved.plan.stages);
        for (i, (b, n)) in compared.enumerate().take(k + 1) {
            let tolerance = Self::tolerance(b.value);
            if n.value < b.value - tolerance {
                return Ok(Decision::Improves(Found {
                    offer: o,
                    stage: i,
                    base_value: b.value,
                    new_value: n.value,
                    coverage: solved.figures.coverage.overall,
                    stages,
                }));
            }
            if n.value > b.value + tolerance {
                return Ok(Decision::Worse);
            }
        }
        Ok(Decision::Unchanged)
    }

    /// `found` with its variant's coverage through the priority stages and the improved
    /// stage (re-solved where it was decided on fewer).
    fn through_priorities(&self, found: &Found) -> Result<Found, String> {
        let stages = self.priorities.max(found.stage + 1);
        if found.stages >= stages {
            return Ok(found.clone());
        }
        let id = &self.scenario.offers[found.offer].id;
        let solved = solve_stages(&self.variant(found.offer), self.settings, stages)
            .map_err(|e| format!("{id}: {e}"))?;
        Ok(Found {
            coverage: solved.figures.coverage.overall,
            stages,
            ..found.clone()
        })
    }

    /// The base's overall coverage through the first `stages` stages.
    fn base_coverage(&self, stages: usize) -> Result<f64, String> {
        if stages >= self.planned.plan.stages.len() {
            return Ok(self.planned.figures.coverage.overall);
        }
        if stages != self.priorities {
            let solved =
                solve_stages(self.scenario, self.settings, stages).map_err(|e| e.to_string())?;
            return Ok(solved.figures.coverage.overall);
        }
        self.base_coverage
            .get_or_init(|| {
                solve_stages(self.scenario, self.settings, stages)
                    .map(|s| s.figures.coverage.overall)
                    .map_err(|e| format!("the base through the priorities: {e}"))
            })
            .clone()
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

/// Whether one more unit of `offer` lets phase `p` deploy more of it: in whole units, a
/// sustained phase keeps floor(units / rotation) in place.
fn deploys_more(scenario: &Scenario, offer: &Offer, p: usize) -> bool {
    if !scenario.phases[p].sustained {
        return true;
    }
    let kept = |units: f64| (units / offer.rotation + 1e-9).floor();
    kept(offer.units + 1.0) > kept(offer.units)
}

/// The offers worth searching with an extra unit (see the module documentation).
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
