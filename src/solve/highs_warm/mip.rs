//! The mixed-integer stages of a kept HiGHS model (see `highs_warm`): settled by their
//! relaxation where that proves optimal (`settle_by_relaxation`, with a dive from the
//! relaxed plan where few columns are fractional), else left to branch and bound; and the
//! relaxation's reduced costs tightening the bounds of the later stages
//! (`tighten_after_stage`).

use std::time::Instant;

use super::{Strategy, WarmModel};
use crate::solve::backend::{BackendOutcome, BackendStatus};
use crate::solve::highs_api::{HighsError, ModelStatus};

/// The relaxation of a mixed-integer stage, as solved before the dive: its optimum, plan
/// and reduced costs.
pub(super) struct Relaxed {
    bound: f64,
    values: Vec<f64>,
    reduced: Vec<f64>,
}

/// How far from whole an integer column's value may be and count as whole (HiGHS's MIP
/// feasibility tolerance in this crate).
const WHOLE: f64 = 1e-9;
/// How far above the relaxation's bound, relative to it, a plan with whole integer columns
/// may be and count as optimal: far below any MIP gap, at the level of the solver's own
/// rounding of the objective.
const SETTLED: f64 = 1e-9;
/// The most columns a dive fixes before it gives way to branch and bound.
const MAX_DIVE: usize = 64;
/// The most fractional integer columns a relaxation may have for a dive to be tried
/// (measured on the flagship's sweep: 8 is fastest both in the relaxation, 1.3 s against
/// 6.7 s without dives, and in whole units, 28 s against 32 s with every dive tried).
const DIVE_FRACTIONAL: usize = 8;

/// The relative gap between a plan's objective `value` and a bound on it, as HiGHS
/// computes its `mip_gap`: `(value - bound) / |value|`, 0 when both are 0.
fn relative_gap(value: f64, bound: f64) -> Option<f64> {
    let gap = (value - bound).max(0.0);
    if gap <= 1e-12 * value.abs().max(1.0) {
        Some(0.0)
    } else if value == 0.0 {
        None
    } else {
        Some(gap / value.abs())
    }
}

impl WarmModel {
    /// After a mixed-integer stage: every later stage holds this one's objective at most
    /// `hold`, and the stage's relaxation (optimum `bound`, reduced costs `d`) shows that a
    /// plan moving integer column j by k units off the bound its relaxed plan sits on costs
    /// the objective at least `bound + |d_j| k` (LP duality: every other term of the
    /// objective's expansion around the relaxed optimum is non-negative). So no later plan
    /// moves it more than `(hold - bound) / |d_j|` units: its bounds are tightened to that,
    /// for the rest of this solve. Exact: no plan the later stages may choose is lost, and
    /// they branch on fewer columns (the burden stage, for one, no longer weighs a
    /// small member's battalion whose troops would wreck its ratio).
    pub(super) fn tighten_after_stage(
        &mut self,
        relaxed: &Relaxed,
        hold: f64,
    ) -> Result<(), HighsError> {
        // Slack for round-off, in the bound's favour: fewer columns tightened, never more.
        let room = hold - relaxed.bound + 1e-9 * hold.abs().max(1.0);
        if room < 0.0 {
            return Ok(());
        }
        let mut changes = Vec::new();
        for &c in &self.integer {
            let (lower, upper) = self.bounds[c];
            let (v, d) = (relaxed.values[c], relaxed.reduced[c]);
            let at = |bound: f64| bound.is_finite() && (v - bound).abs() <= WHOLE;
            if d > 0.0 && at(lower) {
                let most = lower + (room / d + 1e-9).floor();
                if most < upper {
                    changes.push((c, (lower, most)));
                }
            } else if d < 0.0 && at(upper) {
                let least = upper - (room / -d + 1e-9).floor();
                if least > lower {
                    changes.push((c, (least, upper)));
                }
            }
        }
        self.set_bounds(&changes)
    }

    /// Gives `columns` (ascending) the bounds of this solve back (after a dive).
    fn restore_bounds(&mut self, columns: &[usize]) -> Result<(), HighsError> {
        let bounds: Vec<(f64, f64)> = columns.iter().map(|&c| self.bounds[c]).collect();
        self.highs.change_columns_bounds(columns, &bounds)
    }

    /// Tries to settle a mixed-integer stage without branch and bound. The relaxation's
    /// optimum is a bound no plan with whole integer columns can beat; a plan with whole
    /// integer columns that reaches it (within `SETTLED`) is therefore optimal: the
    /// relaxation's own plan when it comes out whole, else the end of a dive from it (see
    /// [`WarmModel::dive`]). `None` when neither reaches the bound: branch and bound decides.
    /// The relaxation, as solved, comes back too (for `tighten_after_stage`), where it was
    /// solved to optimality.
    pub(super) fn settle_by_relaxation(
        &mut self,
        strategy: Strategy,
        deadline: Instant,
    ) -> Result<(Option<BackendOutcome>, Option<Relaxed>), HighsError> {
        self.set_relaxation(true)?;
        match self.run(strategy, deadline)? {
            ModelStatus::Optimal => {}
            // No plan meets the rows even with fractional integer columns.
            ModelStatus::Infeasible => return Ok((Some(BackendOutcome::Infeasible), None)),
            _ => return Ok((None, None)),
        }
        let bound = self.highs.objective_value();
        let (values, reduced) = self.highs.column_values_and_duals()?;
        let relaxed = Relaxed {
            bound,
            values,
            reduced,
        };
        let whole = |v: f64| (v - v.round()).abs() <= WHOLE;
        if self.integer.iter().all(|&c| whole(relaxed.values[c])) {
            let solved = BackendOutcome::Solved {
                values: relaxed.values.clone(),
                status: BackendStatus::Optimal,
                gap: Some(0.0),
            };
            return Ok((Some(solved), Some(relaxed)));
        }
        let settled = bound + SETTLED * bound.abs().max(1.0);
        // A dive pays where a few binaries are fractional (multinationality in the
        // relaxation); with whole units dozens of unit counts are, the dive runs long and
        // fails, and branch and bound (often settled at its root) does better.
        let fractional = self
            .integer
            .iter()
            .filter(|&&c| !whole(relaxed.values[c]))
            .count();
        if fractional > DIVE_FRACTIONAL {
            return Ok((None, Some(relaxed)));
        }
        let dived = self.dive(relaxed.values.clone(), settled, deadline);
        // Give the fixed columns their bounds back (after reading the plan: changing the
        // model drops HiGHS's solution).
        let integer = self.integer.clone();
        self.restore_bounds(&integer)?;
        let outcome = dived?.map(|(values, value)| BackendOutcome::Solved {
            values,
            status: BackendStatus::Optimal,
            gap: relative_gap(value, bound),
        });
        Ok((outcome, Some(relaxed)))
    }

    /// A dive from the relaxation's plan `values`: the fractional integer column nearest a
    /// whole number is fixed there (or, if that breaks a row or lifts the objective above
    /// `settled`, at the whole number on its other side), the relaxation re-solved from the
    /// kept basis, and so on until every integer column is whole. The plan and its
    /// objective, or `None` when a column fits neither side or the dive runs long. Leaves
    /// columns fixed.
    fn dive(
        &mut self,
        mut values: Vec<f64>,
        settled: f64,
        deadline: Instant,
    ) -> Result<Option<(Vec<f64>, f64)>, HighsError> {
        let mut objective = f64::NAN;
        for _ in 0..self.integer.len().min(MAX_DIVE) {
            let fractional = self
                .integer
                .iter()
                .copied()
                .filter(|&c| (values[c] - values[c].round()).abs() > WHOLE)
                .min_by(|&a, &b| {
                    let off = |c: usize| (values[c] - values[c].round()).abs();
                    off(a).total_cmp(&off(b)).then(a.cmp(&b))
                });
            let Some(c) = fractional else {
                return Ok(Some((values, objective)));
            };
            let v = values[c];
            let near = v.round();
            let far = if near > v { v.floor() } else { v.ceil() };
            let (lower, upper) = self.bounds[c];
            let mut next = None;
            for target in [near, far] {
                let target = target.clamp(lower, upper);
                self.highs.change_column_bounds(c, target, target)?;
                if self.run(Strategy::Dual, deadline)? == ModelStatus::Optimal
                    && self.highs.objective_value() <= settled
                {
                    objective = self.highs.objective_value();
                    next = Some(self.highs.column_values()?);
                    break;
                }
            }
            match next {
                Some(plan) => values = plan,
                None => return Ok(None),
            }
        }
        Ok(None)
    }
}
