//! One offer's variant (one more unit) against the base: screened at a stage by the LP
//! relaxation with the earlier stages held, decided by an exact re-solve through the stage,
//! and, once listed, solved through the priorities for its coverage change. The base's
//! coverage for that comparison is here too. The documentation of `asks` states why each
//! step is exact.

use crate::model::{FormulationOptions, StageKind, formulate};
use crate::pipeline::{Planned, solve_stages};
use crate::scenario::{Scenario, SolverSettings};
use crate::solve::{SolveOptions, Status, relaxed_stage_bound};

/// An improving offer, with the overall coverage of its variant solved through `stages`
/// stages.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub(super) offer: usize,
    pub(super) stage: usize,
    pub(super) base_value: f64,
    pub(super) new_value: f64,
    pub(super) coverage: f64,
    pub(super) stages: usize,
}

impl Found {
    pub(super) fn improvement(&self) -> f64 {
        self.base_value - self.new_value
    }
}

/// What re-solving a variant through stage k tells.
pub(super) enum Decision {
    /// A stage up to k improves (the first one).
    Improves(Found),
    /// No stage up to k changes: the search goes on.
    Unchanged,
    /// A stage gets worse first (within the MIP gap, a plan can): no improvement, as a cold
    /// comparison of the two solves would say.
    Worse,
}

/// The base and what the search compares with it.
pub(super) struct Search<'a> {
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
    pub(super) fn new(
        scenario: &'a Scenario,
        settings: &'a SolverSettings,
        planned: &'a Planned,
    ) -> Self {
        let priorities = planned
            .plan
            .stages
            .iter()
            .take_while(|s| matches!(s.kind, StageKind::Priority(_)))
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
    /// the stages before it are at the base's values (see the documentation of `asks`).
    pub(super) fn cannot_improve(&self, o: usize, k: usize) -> Result<bool, String> {
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
    pub(super) fn decide(&self, o: usize, k: usize) -> Result<Decision, String> {
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
    pub(super) fn through_priorities(&self, found: &Found) -> Result<Found, String> {
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
    pub(super) fn base_coverage(&self, stages: usize) -> Result<f64, String> {
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
