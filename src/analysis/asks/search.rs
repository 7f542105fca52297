//! The search for extra-unit asks, stage by stage: at each stage the offers still in the
//! running are screened by their relaxations, the doubtful ones decided by re-solves, and
//! the search stops once [`LISTED`] improving offers are known; then the ranking, and the
//! coverage change of each ask kept. The rules are stated in the documentation of `asks`.

use rayon::prelude::*;

use super::candidates::extra_unit_candidates;
use super::screen::{Decision, Found, Search};
use super::{Asks, ExtraUnit, LISTED};
use crate::analysis::progress::{Counter, Progress};
use crate::num::round9;
use crate::pipeline::Planned;
use crate::scenario::{Scenario, SolverSettings};

/// The extra-unit part of the asks list (no blockers): the ranked asks, the counts of
/// re-solves and screens, where the search stopped and what failed. `progress` is told
/// the offers decided.
pub(super) fn extra_units(
    scenario: &Scenario,
    settings: &SolverSettings,
    planned: &Planned,
    progress: Progress<'_>,
) -> Asks {
    let search = Search::new(scenario, settings, planned);
    let candidates = extra_unit_candidates(scenario, settings, planned);
    let bar = Counter::new(candidates.len() as u64, progress);
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
        bar.advance((alive.len() - next.len()) as u64);
        alive = next;
        searched = k + 1;
    }
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
        blockers: Vec::new(),
        resolved,
        screened,
        searched,
        note,
    }
}
