//! One HiGHS model kept through the stages of a solve.
//!
//! The model holds every row of the formulation plus one row per stage objective, free
//! until its stage is held, and is built once per solve. A stage sets the column costs to
//! its objective and tightens the rows of earlier stages, so each stage goes on from the
//! basis the last one left. After an LP stage, the columns its reduced costs pin to a bound
//! are fixed there for the rest of the solve (`fix_by_reduced_costs`): the later stages
//! price fewer columns and cannot trade the stage's hold. A mixed-integer stage is settled
//! by its relaxation where that proves optimal (`settle_by_relaxation`), and its relaxation's
//! reduced costs tighten the bounds of the later stages (`tighten_after_stage`): both in
//! `highs_warm/mip.rs`. This file holds the model, its stage loop and the LP stages.
//!
//! A model is not carried over from one solve to the next (from one variant of a sweep to
//! the next, say). Loading a variant into the last one by changing its numbers was measured
//! to make results depend on what a worker thread had solved before: HiGHS keeps state
//! across such changes, and equally good plans were then told apart differently (the
//! flagship sweep gave other troop totals for `--jobs 1` and `--jobs 2`). Building costs
//! about a millisecond on the flagship; a whole-unit solve, a quarter of a second.
//!
//! Everything goes through the safe wrapper of `highs_api`.

mod mip;

use std::time::{Duration, Instant};

use super::SolveStats;
use super::backend::BackendOutcome;
use super::highs::{consistent, outcome};
use super::highs_api::{Highs, HighsError, ModelStatus};
use crate::model::{Formulation, LinearModel, Row};

/// A model of `formulation` with the MIP gap `mip_gap`, to be kept for the stages of one
/// solve, and the seconds building it took (our work, not the solver's: see `-v`).
pub(crate) fn build_model(
    formulation: &Formulation,
    mip_gap: f64,
) -> Result<(WarmModel, f64), HighsError> {
    let started = Instant::now();
    let mut model = WarmModel::build(formulation)?;
    model.set_gap(mip_gap)?;
    let build_seconds = started.elapsed().as_secs_f64();
    Ok((model, build_seconds))
}

fn all_rows(formulation: &Formulation) -> impl Iterator<Item = &[(usize, f64)]> {
    formulation
        .lp
        .rows
        .iter()
        .map(|r| r.terms.as_slice())
        .chain(formulation.stages.iter().map(|s| s.objective.as_slice()))
}

/// One HiGHS instance and what is loaded in it, for the stages of one solve.
pub(crate) struct WarmModel {
    highs: Highs,
    /// Rows in all: the model's, then one per stage.
    rows: usize,
    /// The formulation's column bounds.
    column_bounds: Vec<(f64, f64)>,
    /// The column bounds in HiGHS for this solve: the formulation's, tightened by the
    /// reduced costs of solved stages (see `tighten_after_stage`).
    bounds: Vec<(f64, f64)>,
    row_bounds: Vec<(f64, f64)>,
    /// Scale of each row (model rows, then stage rows).
    scales: Vec<f64>,
    model_rows: usize,
    costs: Vec<f64>,
    gap: f64,
    strategy: Option<Strategy>,
    /// The integer columns, ascending.
    integer: Vec<usize>,
    /// Whether HiGHS is told to solve the relaxation (`None` before the first set).
    relaxation: Option<bool>,
    /// Columns whose bounds this solve tightened, ascending.
    fixed_columns: Vec<usize>,
    /// How its stages were solved so far.
    pub stats: SolveStats,
}

/// A reduced cost clearly non-zero, relative to the stage's largest cost: ten times HiGHS's
/// dual feasibility tolerance.
const REDUCED_COST: f64 = 1e-6;

/// HiGHS's simplex strategies used here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strategy {
    Dual,
    Primal,
}

impl Strategy {
    /// HiGHS's `simplex_strategy` value.
    fn code(self) -> i32 {
        match self {
            Strategy::Dual => 1,
            Strategy::Primal => 4,
        }
    }
}

impl WarmModel {
    fn build(formulation: &Formulation) -> Result<WarmModel, HighsError> {
        let lp: &LinearModel = &formulation.lp;
        let n = lp.columns.len();
        let rows = lp.rows.len() + formulation.stages.len();
        // The stage rows are free until their stage is held.
        let all = all_rows(formulation).enumerate().map(|(r, terms)| {
            let bounds = lp
                .rows
                .get(r)
                .map_or((f64::NEG_INFINITY, f64::INFINITY), |row| {
                    (row.lower, row.upper)
                });
            (terms, bounds)
        });
        let costs = vec![0.0; n];
        let (highs, scaled) = super::highs::instance(lp, all, true, &costs)?;
        let (scales, row_bounds): (Vec<f64>, Vec<(f64, f64)>) = scaled.into_iter().unzip();
        let column_bounds: Vec<(f64, f64)> =
            lp.columns.iter().map(|c| (c.lower, c.upper)).collect();
        let integer: Vec<usize> = (0..n).filter(|&c| lp.columns[c].integer).collect();
        Ok(WarmModel {
            highs,
            rows,
            bounds: column_bounds.clone(),
            column_bounds,
            row_bounds,
            scales,
            model_rows: lp.rows.len(),
            costs,
            gap: f64::NAN,
            strategy: None,
            integer,
            relaxation: None,
            fixed_columns: Vec::new(),
            stats: SolveStats {
                kept_model: true,
                ..SolveStats::default()
            },
        })
    }

    fn set_row_bounds(&mut self, r: usize, bounds: (f64, f64)) -> Result<(), HighsError> {
        if self.row_bounds[r] != bounds {
            self.highs.change_row_bounds(r, bounds.0, bounds.1)?;
            self.row_bounds[r] = bounds;
        }
        Ok(())
    }

    fn set_gap(&mut self, gap: f64) -> Result<(), HighsError> {
        if self.gap != gap {
            self.highs.set_double_option(c"mip_rel_gap", gap)?;
            self.gap = gap;
        }
        Ok(())
    }

    /// Solves stage `stage` of the loaded formulation with the given holds: `holds[i]`
    /// is the held row of stage i (its terms are that stage's objective; only its upper
    /// bound is read). No MIP start is given: handing HiGHS the previous stage's plan made
    /// it settle for far worse plans and call them optimal (measured on the flagship sweep).
    pub(crate) fn solve_stage(
        &mut self,
        stage: usize,
        objective: &[(usize, f64)],
        holds: &[Row],
        time_limit: Duration,
    ) -> Result<BackendOutcome, HighsError> {
        let mut cost = vec![0.0; self.costs.len()];
        for &(c, a) in objective {
            cost[c] += a;
        }
        for (c, (&new, old)) in cost.iter().zip(self.costs.iter_mut()).enumerate() {
            if new != *old {
                self.highs.change_column_cost(c, new)?;
                *old = new;
            }
        }
        let stages = self.rows - self.model_rows;
        for s in 0..stages {
            let r = self.model_rows + s;
            let bounds = match holds.get(s) {
                Some(hold) if s < stage => (f64::NEG_INFINITY, hold.upper / self.scales[r]),
                _ => (f64::NEG_INFINITY, f64::INFINITY),
            };
            self.set_row_bounds(r, bounds)?;
        }
        let deadline = Instant::now() + time_limit;
        // After the first stage only the objective changed and the last plan still meets
        // every row (its own stage is held at its value): primal simplex goes on from it.
        // The first stage of a variant follows changed bounds: dual simplex.
        let strategy = if stage == 0 {
            Strategy::Dual
        } else {
            Strategy::Primal
        };
        if stage == 0 {
            self.release_fixed()?;
        }
        if self.integer.is_empty() {
            let status = self.run(strategy, deadline)?;
            let outcome = self.outcome(status)?;
            consistent(&self.highs, objective, &outcome)?;
            if status == ModelStatus::Optimal && stage + 1 < stages {
                self.fix_by_reduced_costs(objective)?;
            }
            return Ok(outcome);
        }
        // A mixed-integer stage: its relaxation first, on the kept basis (see the module
        // docs); branch and bound only when the relaxation and its roundings do not settle it.
        let (outcome, relaxed) = match self.settle_by_relaxation(strategy, deadline)? {
            (Some(outcome), relaxed) => {
                self.stats.relaxed += 1;
                (outcome, relaxed)
            }
            (None, relaxed) => {
                self.stats.branched += 1;
                self.set_relaxation(false)?;
                // Branch and bound from a clean slate: run straight after the relaxation, with
                // its solution still held, HiGHS 1.16 has reported a stage's optimum with the
                // columns of a worse plan (seen on a flagship sweep variant).
                self.highs.clear_solver()?;
                let status = self.run(Strategy::Dual, deadline)?;
                let outcome = self.outcome(status)?;
                consistent(&self.highs, objective, &outcome)?;
                (outcome, relaxed)
            }
        };
        if let (BackendOutcome::Solved { values, .. }, Some(relaxed)) = (&outcome, relaxed)
            && stage + 1 < stages
        {
            let value = crate::model::evaluate(objective, values);
            let hold = value + super::HOLD * value.abs().max(1.0);
            self.tighten_after_stage(&relaxed, hold)?;
        }
        Ok(outcome)
    }

    /// Sets the bounds of the columns in `changes` (ascending) for this solve.
    fn set_bounds(&mut self, changes: &[(usize, (f64, f64))]) -> Result<(), HighsError> {
        if changes.is_empty() {
            return Ok(());
        }
        let set: Vec<usize> = changes.iter().map(|&(c, _)| c).collect();
        let bounds: Vec<(f64, f64)> = changes.iter().map(|&(_, b)| b).collect();
        self.highs.change_columns_bounds(&set, &bounds)?;
        for &(c, b) in changes {
            self.bounds[c] = b;
            if b != self.column_bounds[c]
                && let Err(i) = self.fixed_columns.binary_search(&c)
            {
                self.fixed_columns.insert(i, c);
            }
        }
        Ok(())
    }

    /// After an LP stage solved to optimality: fixes every column whose reduced cost is
    /// clearly non-zero at the bound it sits on. Every optimal plan of the stage keeps such
    /// a column there (complementary slackness holds between any optimal plan and any
    /// optimal dual), so the later stages, which must stay optimal for this one, lose
    /// nothing: the hold row keeps guarding the stage as before, and the fixed columns no
    /// longer enter the simplex's pricing. The fixings last until the next solve.
    fn fix_by_reduced_costs(&mut self, objective: &[(usize, f64)]) -> Result<(), HighsError> {
        let (values, reduced) = self.highs.column_values_and_duals()?;
        let largest = objective.iter().fold(1.0_f64, |m, &(_, a)| m.max(a.abs()));
        let clear = REDUCED_COST * largest;
        let mut changes = Vec::new();
        for c in 0..values.len() {
            let (lower, upper) = self.bounds[c];
            let near = |bound: f64| {
                bound.is_finite() && (values[c] - bound).abs() <= 1e-9 * bound.abs().max(1.0)
            };
            let bound = if reduced[c] > clear && near(lower) {
                lower
            } else if reduced[c] < -clear && near(upper) {
                upper
            } else {
                continue;
            };
            if lower < upper {
                changes.push((c, (bound, bound)));
            }
        }
        self.set_bounds(&changes)
    }

    /// Gives the columns whose bounds this solve tightened the formulation's bounds back.
    fn release_fixed(&mut self) -> Result<(), HighsError> {
        let fixed = std::mem::take(&mut self.fixed_columns);
        let bounds: Vec<(f64, f64)> = fixed.iter().map(|&c| self.column_bounds[c]).collect();
        for &c in &fixed {
            self.bounds[c] = self.column_bounds[c];
        }
        self.highs.change_columns_bounds(&fixed, &bounds)
    }

    fn set_relaxation(&mut self, relaxation: bool) -> Result<(), HighsError> {
        if self.relaxation != Some(relaxation) {
            self.highs
                .set_bool_option(c"solve_relaxation", relaxation)?;
            self.relaxation = Some(relaxation);
        }
        Ok(())
    }

    /// One run of HiGHS with the time left until `deadline`; the model status.
    fn run(&mut self, strategy: Strategy, deadline: Instant) -> Result<ModelStatus, HighsError> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.highs
            .set_double_option(c"time_limit", left.as_secs_f64().max(1e-3))?;
        if self.strategy != Some(strategy) {
            self.highs
                .set_int_option(c"simplex_strategy", strategy.code())?;
            self.strategy = Some(strategy);
        }
        self.highs.run()
    }

    /// The outcome of a run that ended with `status`.
    fn outcome(&self, status: ModelStatus) -> Result<BackendOutcome, HighsError> {
        outcome(&self.highs, status, !self.integer.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FormulationOptions, Linear, Stage, formulate};
    use crate::solve::backend::BackendStatus;

    /// A formulation of a bare model and its stages, for the solver alone.
    fn formulation(lp: LinearModel, stages: Vec<(&str, Linear)>) -> Formulation {
        Formulation {
            lp,
            stages: stages
                .into_iter()
                .map(|(name, objective)| Stage {
                    kind: crate::model::StageKind::Units,
                    name: name.into(),
                    objective,
                })
                .collect(),
            pairs: Vec::new(),
            shortfall: Vec::new(),
            floor_violations: Vec::new(),
        }
    }

    /// A knapsack whose relaxation is fractional and beats every whole plan: the dive
    /// cannot reach the bound, branch and bound finds the optimum, and the columns the dive
    /// fixed get their bounds back for the next solve.
    #[test]
    fn a_stage_the_relaxation_cannot_settle_goes_to_branch_and_bound() {
        let mut lp = LinearModel::default();
        let items: Vec<usize> = (0..3)
            .map(|i| lp.add_column(format!("pick{i}"), 0.0, 1.0, true))
            .collect();
        lp.add_row(
            "weight",
            items.iter().map(|&c| (c, 3.0)).collect(),
            f64::NEG_INFINITY,
            5.0,
        );
        let f = formulation(
            lp,
            vec![
                ("value", items.iter().map(|&c| (c, -4.0)).collect()),
                ("last", vec![(items[2], -1.0)]),
            ],
        );
        let mut model = WarmModel::build(&f).unwrap();
        model.set_gap(0.0).unwrap();
        let before = model.stats;
        let limit = Duration::from_secs(10);
        let outcome = model
            .solve_stage(0, &f.stages[0].objective, &[], limit)
            .unwrap();
        let BackendOutcome::Solved { values, status, .. } = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(status, BackendStatus::Optimal);
        let picked: f64 = items.iter().map(|&c| values[c]).sum();
        assert!((picked - 1.0).abs() < 1e-9, "{values:?}");
        let after = model.stats;
        assert_eq!(after.branched - before.branched, 1);
        assert_eq!(after.relaxed, before.relaxed);
        // Unheld, the last item alone: its bound is 1 again, whatever the dive fixed.
        let outcome = model
            .solve_stage(1, &f.stages[1].objective, &[], limit)
            .unwrap();
        let BackendOutcome::Solved { values, .. } = outcome else {
            panic!("{outcome:?}");
        };
        assert!((values[items[2]] - 1.0).abs() < 1e-9, "{values:?}");
    }

    /// An LP stage's reduced costs pin a column for the later stages of the solve, and the
    /// next solve gets it back free.
    #[test]
    fn columns_pinned_by_reduced_costs_are_fixed_for_the_solve_only() {
        let mut lp = LinearModel::default();
        let a = lp.add_column("a", 0.0, 1.0, false);
        let b = lp.add_column("b", 0.0, 1.0, false);
        lp.add_row("cover", vec![(a, 1.0), (b, 1.0)], 1.0, f64::INFINITY);
        // Stage 0 prefers b (a costs 2, b costs 1): a's reduced cost is 1, so a is pinned
        // at 0. Stage 1 would like a, but may not have it.
        let f = formulation(
            lp,
            vec![
                ("first", vec![(a, 2.0), (b, 1.0)]),
                ("second", vec![(a, -1.0)]),
            ],
        );
        let mut model = WarmModel::build(&f).unwrap();
        model.set_gap(0.0).unwrap();
        let limit = Duration::from_secs(10);
        let solve = |model: &mut WarmModel, stage: usize, holds: &[Row]| match model.solve_stage(
            stage,
            &f.stages[stage].objective,
            holds,
            limit,
        ) {
            Ok(BackendOutcome::Solved { values, .. }) => values,
            other => panic!("{other:?}"),
        };
        let first = solve(&mut model, 0, &[]);
        assert_eq!((first[a], first[b]), (0.0, 1.0));
        assert_eq!(model.fixed_columns, vec![a]);
        // A generous hold (a could reach 1 and stage 0 stay within it): only the fixing
        // keeps a at 0.
        let hold = Row {
            name: "hold[first]".into(),
            terms: f.stages[0].objective.clone(),
            lower: f64::NEG_INFINITY,
            upper: 2.0,
        };
        let second = solve(&mut model, 1, std::slice::from_ref(&hold));
        assert_eq!(second[a], 0.0);
        // A new solve: stage 1's objective alone, nothing held, a free again.
        model.release_fixed().unwrap();
        assert!(model.fixed_columns.is_empty());
        let again = model
            .solve_stage(1, &f.stages[1].objective, &[], limit)
            .unwrap();
        let BackendOutcome::Solved { values, .. } = again else {
            panic!("{again:?}");
        };
        assert_eq!(values[a], 1.0);
    }

    #[test]
    fn each_run_of_a_kept_model_has_its_own_time_limit() {
        // HiGHS's clock adds up over the runs of one instance: without a reset, the runs
        // of a kept model would soon all stop at once as out of time.
        let scenario = crate::scenario::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/paris-2026/scenario.toml"
        )))
        .unwrap()
        .scenario;
        // Without multinationality the model is an LP, timed by the simplex's clock.
        let mut scenario = scenario;
        for r in &mut scenario.requirements {
            r.min_members = 1;
        }
        let f = formulate(&scenario, FormulationOptions::default());
        let mut model = WarmModel::build(&f).unwrap();
        model.set_gap(1e-4).unwrap();
        let limit = Duration::from_millis(150);
        let started = std::time::Instant::now();
        let mut runs = 0;
        while started.elapsed() < 4 * limit || runs < 6 {
            // Alternate the first and last objectives, nothing held: real work each time.
            let stage = if runs % 2 == 0 { 0 } else { f.stages.len() - 1 };
            let outcome = model
                .solve_stage(stage, &f.stages[stage].objective, &[], limit)
                .unwrap();
            assert!(
                matches!(
                    outcome,
                    BackendOutcome::Solved {
                        status: BackendStatus::Optimal,
                        ..
                    }
                ),
                "run {runs}, {:?} into the test: {outcome:?}",
                started.elapsed()
            );
            runs += 1;
        }
    }
}
