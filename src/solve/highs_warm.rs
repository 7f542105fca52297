//! HiGHS models kept alive between solves, one per thread (a HiGHS instance is not `Send`,
//! and rayon gives the parallelism).
//!
//! A sweep solves many variants of one scenario. Most of them differ from the last one a
//! worker solved only in bounds, right-hand sides and coefficients: a scaled offer moves a
//! capacity, a scaled requirement moves a target and the weights `1/target`. Such a variant
//! is loaded by changing those numbers in the worker's model, and every stage is solved
//! from the basis the last solve left, instead of building a model from scratch per stage.
//! A variant with another shape (other columns, or another sparsity pattern, as when a
//! member withdraws) rebuilds the model.
//!
//! The model holds every row of the formulation plus one row per stage objective, free
//! until its stage is held. A stage sets the column costs to its objective and tightens
//! the rows of earlier stages. After an LP stage, the columns its reduced costs pin to a
//! bound are fixed there for the rest of the solve (`fix_by_reduced_costs`): the later
//! stages price fewer columns and cannot trade the stage's hold. A mixed-integer stage is
//! settled by its relaxation where that proves optimal (`settle_by_relaxation`).
//!
//! good_lp builds a fresh model per solve and cannot change one, so this talks to the
//! HiGHS C API directly: the one place in the crate with `unsafe` (the crate denies it
//! everywhere else).
#![allow(unsafe_code)]

use std::cell::RefCell;
use std::ffi::{CStr, c_void};
use std::time::{Duration, Instant};

use highs_sys::*;

use super::backend::{BackendOutcome, BackendStatus, row_scale};
use crate::model::{Formulation, LinearModel, Row};

thread_local! {
    static WORKER: RefCell<Option<WarmModel>> = const { RefCell::new(None) };
}

/// Counts of how the models of this thread were loaded (for tests and `-v`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WarmStats {
    /// Models built from scratch.
    pub builds: u64,
    /// Variants loaded into an existing model by changing numbers only.
    pub reuses: u64,
    /// Solves that failed on the kept model and were done again from scratch.
    pub fallbacks: u64,
    /// Mixed-integer stages settled by their relaxation (see `settle_by_relaxation`).
    pub relaxed: u64,
    /// Mixed-integer stages that needed branch and bound.
    pub branched: u64,
}

thread_local! {
    static STATS: RefCell<WarmStats> = const {
        RefCell::new(WarmStats {
            builds: 0,
            reuses: 0,
            fallbacks: 0,
            relaxed: 0,
            branched: 0,
        })
    };
}

/// How this thread's models were loaded so far.
pub fn thread_stats() -> WarmStats {
    STATS.with(|s| *s.borrow())
}

/// Runs `f` with this thread's model loaded with `formulation`.
pub(crate) fn with_model<T>(
    formulation: &Formulation,
    mip_gap: f64,
    f: impl FnOnce(&mut WarmModel) -> T,
) -> T {
    WORKER.with(|cell| {
        let started = std::time::Instant::now();
        let mut slot = cell.borrow_mut();
        let reused = match slot.as_mut() {
            Some(model) => model.reload(formulation),
            None => false,
        };

        if !reused {
            // Drop the old instance before creating the next one.
            *slot = None;
            *slot = Some(WarmModel::build(formulation));
        }
        // Loading the model is our work, not the solver's (see `-v`).
        super::backend::add_build_time(started);
        STATS.with(|s| {
            let mut s = s.borrow_mut();
            if reused {
                s.reuses += 1;
            } else {
                s.builds += 1;
            }
        });
        let model = slot.as_mut().expect("just set");
        // Every solve starts from no basis and no incumbent, so that its result depends
        // on its own model only, not on what the thread solved before: sweeps give the
        // same rows whatever --jobs and shards are. (Keeping the last variant's basis was
        // measured no faster: the gain is in the stages re-solving each other's basis.)
        // SAFETY: a live instance.
        unsafe { Highs_clearSolver(model.ptr) };
        model.set_gap(mip_gap);
        f(model)
    })
}

/// Forgets this thread's model (after a failure, so the next solve starts clean).
pub(crate) fn discard() {
    WORKER.with(|cell| *cell.borrow_mut() = None);
    STATS.with(|s| s.borrow_mut().fallbacks += 1);
}

/// The part of a model a reload cannot change: columns, integrality and where the
/// non-zeros are.
#[derive(PartialEq)]
struct Shape {
    integer: Vec<bool>,
    /// Per row (model rows, then stage rows): the column of each term, in order.
    rows: Vec<Vec<usize>>,
}

impl Shape {
    fn of(formulation: &Formulation) -> Shape {
        Shape {
            integer: formulation.lp.columns.iter().map(|c| c.integer).collect(),
            rows: all_rows(formulation)
                .map(|terms| terms.iter().map(|&(c, _)| c).collect())
                .collect(),
        }
    }
}

fn all_rows(formulation: &Formulation) -> impl Iterator<Item = &[(usize, f64)]> {
    formulation
        .lp
        .rows
        .iter()
        .map(|r| r.terms.as_slice())
        .chain(formulation.stages.iter().map(|s| s.objective.as_slice()))
}

/// The bounds of row `r` divided by its scale; a stage row (past the model's rows) is free
/// until its stage is held.
fn scaled_bounds(lp: &LinearModel, r: usize, scale: f64) -> (f64, f64) {
    match lp.rows.get(r) {
        Some(row) => (row.lower / scale, row.upper / scale),
        None => (f64::NEG_INFINITY, f64::INFINITY),
    }
}

/// One thread's HiGHS instance and what is loaded in it.
pub(crate) struct WarmModel {
    ptr: *mut c_void,
    shape: Shape,
    column_bounds: Vec<(f64, f64)>,
    /// Scaled coefficients per row, in the order of `shape.rows`.
    coefficients: Vec<Vec<f64>>,
    row_bounds: Vec<(f64, f64)>,
    /// Scale of each row (model rows, then stage rows).
    scales: Vec<f64>,
    model_rows: usize,
    costs: Vec<f64>,
    gap: f64,
    strategy: HighsInt,
    /// The integer columns, ascending.
    integer: Vec<usize>,
    /// Whether HiGHS is told to solve the relaxation (`None` before the first set).
    relaxation: Option<bool>,
    /// Columns fixed by their reduced costs in this solve, ascending.
    fixed_columns: Vec<usize>,
}

/// How far from whole an integer column's value may be and count as whole (HiGHS's MIP
/// feasibility tolerance in this crate).
const WHOLE: f64 = 1e-9;
/// How far above the relaxation's bound, relative to it, a plan with whole integer columns
/// may be and count as optimal: far below any MIP gap, at the level of the solver's own
/// rounding of the objective.
const SETTLED: f64 = 1e-9;
/// A reduced cost clearly non-zero, relative to the stage's largest cost: ten times HiGHS's
/// dual feasibility tolerance.
const REDUCED_COST: f64 = 1e-6;
/// The most columns a dive fixes before it gives way to branch and bound.
const MAX_DIVE: usize = 64;

/// HiGHS `simplex_strategy` values.
const DUAL: HighsInt = 1;
const PRIMAL: HighsInt = 4;

impl Drop for WarmModel {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from Highs_create and is destroyed once.
        unsafe { Highs_destroy(self.ptr) }
    }
}

fn option_bool(ptr: *mut c_void, name: &CStr, value: bool) {
    // SAFETY: a live instance and a NUL-terminated option name.
    unsafe { Highs_setBoolOptionValue(ptr, name.as_ptr(), HighsInt::from(value)) };
}

fn option_int(ptr: *mut c_void, name: &CStr, value: HighsInt) {
    // SAFETY: as above.
    unsafe { Highs_setIntOptionValue(ptr, name.as_ptr(), value) };
}

fn option_double(ptr: *mut c_void, name: &CStr, value: f64) {
    // SAFETY: as above.
    unsafe { Highs_setDoubleOptionValue(ptr, name.as_ptr(), value) };
}

impl WarmModel {
    fn build(formulation: &Formulation) -> WarmModel {
        let lp: &LinearModel = &formulation.lp;
        let n = lp.columns.len();
        let shape = Shape::of(formulation);
        let mut coefficients = Vec::with_capacity(shape.rows.len());
        let mut scales = Vec::with_capacity(shape.rows.len());
        let mut row_bounds = Vec::with_capacity(shape.rows.len());
        for (i, terms) in all_rows(formulation).enumerate() {
            let scale = row_scale(terms);
            scales.push(scale);
            coefficients.push(terms.iter().map(|&(_, a)| a / scale).collect::<Vec<f64>>());
            row_bounds.push(scaled_bounds(lp, i, scale));
        }
        // Row-wise matrix.
        let mut start = Vec::with_capacity(shape.rows.len());
        let mut index = Vec::new();
        let mut value = Vec::new();
        for (cols, coefs) in shape.rows.iter().zip(&coefficients) {
            start.push(index.len() as HighsInt);
            index.extend(cols.iter().map(|&c| c as HighsInt));
            value.extend_from_slice(coefs);
        }
        let column_bounds: Vec<(f64, f64)> =
            lp.columns.iter().map(|c| (c.lower, c.upper)).collect();
        let col_lower: Vec<f64> = column_bounds.iter().map(|b| b.0).collect();
        let col_upper: Vec<f64> = column_bounds.iter().map(|b| b.1).collect();
        let row_lower: Vec<f64> = row_bounds.iter().map(|b| b.0).collect();
        let row_upper: Vec<f64> = row_bounds.iter().map(|b| b.1).collect();
        let costs = vec![0.0; n];
        let integer: Vec<usize> = (0..n).filter(|&c| shape.integer[c]).collect();
        let integrality: Vec<HighsInt> = shape.integer.iter().map(|&i| HighsInt::from(i)).collect();
        // SAFETY: every array has the length HiGHS is told; HiGHS copies them.
        let ptr = unsafe {
            let ptr = Highs_create();
            option_bool(ptr, c"output_flag", false);
            option_int(ptr, c"threads", 1);
            // As in the cold path: the hold of 1e-7 needs a finer MIP feasibility tolerance.
            option_double(ptr, c"mip_feasibility_tolerance", 1e-9);
            Highs_passModel(
                ptr,
                n as HighsInt,
                shape.rows.len() as HighsInt,
                index.len() as HighsInt,
                0,
                kHighsMatrixFormatRowwise,
                0,
                kHighsObjSenseMinimize,
                0.0,
                costs.as_ptr(),
                col_lower.as_ptr(),
                col_upper.as_ptr(),
                row_lower.as_ptr(),
                row_upper.as_ptr(),
                start.as_ptr(),
                index.as_ptr(),
                value.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null(),
                if lp.has_integers() {
                    integrality.as_ptr()
                } else {
                    std::ptr::null()
                },
            );
            ptr
        };
        WarmModel {
            ptr,
            shape,
            column_bounds,
            coefficients,
            row_bounds,
            scales,
            model_rows: lp.rows.len(),
            costs,
            gap: f64::NAN,
            strategy: -1,
            integer,
            relaxation: None,
            fixed_columns: Vec::new(),
        }
    }

    /// Loads `formulation` by changing numbers, if it has this model's shape.
    fn reload(&mut self, formulation: &Formulation) -> bool {
        if self.model_rows != formulation.lp.rows.len() || self.shape != Shape::of(formulation) {
            return false;
        }
        self.release_fixed();
        let ptr = self.ptr;
        for (c, column) in formulation.lp.columns.iter().enumerate() {
            let bounds = (column.lower, column.upper);
            if self.column_bounds[c] != bounds {
                // SAFETY: c is a column of the loaded model.
                unsafe { Highs_changeColBounds(ptr, c as HighsInt, bounds.0, bounds.1) };
                self.column_bounds[c] = bounds;
            }
        }
        for (r, terms) in all_rows(formulation).enumerate() {
            let scale = row_scale(terms);
            self.scales[r] = scale;
            for (k, &(c, a)) in terms.iter().enumerate() {
                let a = a / scale;
                if self.coefficients[r][k] != a {
                    // SAFETY: (r, c) is a non-zero of the loaded model.
                    unsafe { Highs_changeCoeff(ptr, r as HighsInt, c as HighsInt, a) };
                    self.coefficients[r][k] = a;
                }
            }
            self.set_row_bounds(r, scaled_bounds(&formulation.lp, r, scale));
        }
        true
    }

    fn set_row_bounds(&mut self, r: usize, bounds: (f64, f64)) {
        if self.row_bounds[r] != bounds {
            // SAFETY: r is a row of the loaded model.
            unsafe { Highs_changeRowBounds(self.ptr, r as HighsInt, bounds.0, bounds.1) };
            self.row_bounds[r] = bounds;
        }
    }

    fn set_gap(&mut self, gap: f64) {
        if self.gap != gap {
            option_double(self.ptr, c"mip_rel_gap", gap);
            self.gap = gap;
        }
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
    ) -> Result<BackendOutcome, String> {
        let ptr = self.ptr;
        let mut cost = vec![0.0; self.costs.len()];
        for &(c, a) in objective {
            cost[c] += a;
        }
        for (c, (&new, old)) in cost.iter().zip(self.costs.iter_mut()).enumerate() {
            if new != *old {
                // SAFETY: c is a column of the loaded model.
                unsafe { Highs_changeColCost(ptr, c as HighsInt, new) };
                *old = new;
            }
        }
        let stages = self.shape.rows.len() - self.model_rows;
        for s in 0..stages {
            let r = self.model_rows + s;
            let bounds = match holds.get(s) {
                Some(hold) if s < stage => (f64::NEG_INFINITY, hold.upper / self.scales[r]),
                _ => (f64::NEG_INFINITY, f64::INFINITY),
            };
            self.set_row_bounds(r, bounds);
        }
        let deadline = Instant::now() + time_limit;
        // After the first stage only the objective changed and the last plan still meets
        // every row (its own stage is held at its value): primal simplex goes on from it.
        // The first stage of a variant follows changed bounds: dual simplex.
        let strategy = if stage == 0 { DUAL } else { PRIMAL };
        if stage == 0 {
            self.release_fixed();
        }
        if self.integer.is_empty() {
            let status = self.run(strategy, deadline)?;
            let outcome = self.outcome(status)?;
            let stages = self.shape.rows.len() - self.model_rows;
            if status == MODEL_STATUS_OPTIMAL && stage + 1 < stages {
                self.fix_by_reduced_costs(objective)?;
            }
            return Ok(outcome);
        }
        // A mixed-integer stage: its relaxation first, on the kept basis (see the module
        // docs); branch and bound only when the relaxation and its roundings do not settle it.
        match self.settle_by_relaxation(strategy, deadline)? {
            Some(outcome) => {
                STATS.with(|s| s.borrow_mut().relaxed += 1);
                Ok(outcome)
            }
            None => {
                STATS.with(|s| s.borrow_mut().branched += 1);
                self.set_relaxation(false);
                let status = self.run(DUAL, deadline)?;
                self.outcome(status)
            }
        }
    }

    /// After an LP stage solved to optimality: fixes every column whose reduced cost is
    /// clearly non-zero at the bound it sits on. Every optimal plan of the stage keeps such
    /// a column there (complementary slackness holds between any optimal plan and any
    /// optimal dual), so the later stages, which must stay optimal for this one, lose
    /// nothing: the hold row keeps guarding the stage as before, and the fixed columns no
    /// longer enter the simplex's pricing. The fixings last until the next solve.
    fn fix_by_reduced_costs(&mut self, objective: &[(usize, f64)]) -> Result<(), String> {
        let n = self.costs.len();
        let mut values = vec![0.0; n];
        let mut reduced = vec![0.0; n];
        // SAFETY: both arrays have the model's column count; HiGHS skips the null ones.
        let got = unsafe {
            Highs_getSolution(
                self.ptr,
                values.as_mut_ptr(),
                reduced.as_mut_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        if got == STATUS_ERROR {
            return Err("HiGHS gave no duals for an optimal stage".into());
        }
        let largest = objective.iter().fold(1.0_f64, |m, &(_, a)| m.max(a.abs()));
        let clear = REDUCED_COST * largest;
        let mut set = Vec::new();
        let mut at = Vec::new();
        for c in 0..n {
            if self.fixed_columns.binary_search(&c).is_ok() {
                continue;
            }
            let (lower, upper) = self.column_bounds[c];
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
                set.push(c as HighsInt);
                at.push(bound);
            }
        }
        if !set.is_empty() {
            self.change_bounds(&set, &at, &at);
            self.fixed_columns.extend(set.iter().map(|&c| c as usize));
            self.fixed_columns.sort_unstable();
        }
        Ok(())
    }

    /// Gives the columns fixed by [`WarmModel::fix_by_reduced_costs`] their bounds back.
    fn release_fixed(&mut self) {
        self.restore_bounds(&self.fixed_columns);
        self.fixed_columns.clear();
    }

    /// Gives `columns` (ascending) the bounds the formulation gave them.
    fn restore_bounds(&self, columns: &[usize]) {
        if columns.is_empty() {
            return;
        }
        let set: Vec<HighsInt> = columns.iter().map(|&c| c as HighsInt).collect();
        let (lower, upper): (Vec<f64>, Vec<f64>) =
            columns.iter().map(|&c| self.column_bounds[c]).unzip();
        self.change_bounds(&set, &lower, &upper);
    }

    /// Sets the bounds of the columns `set` (ascending) in HiGHS.
    fn change_bounds(&self, set: &[HighsInt], lower: &[f64], upper: &[f64]) {
        assert!(lower.len() == set.len() && upper.len() == set.len());
        // SAFETY: `set` holds ascending columns of the loaded model, and the bound arrays
        // have its length (asserted).
        unsafe {
            Highs_changeColsBoundsBySet(
                self.ptr,
                set.len() as HighsInt,
                set.as_ptr(),
                lower.as_ptr(),
                upper.as_ptr(),
            )
        };
    }

    /// Tries to settle a mixed-integer stage without branch and bound. The relaxation's
    /// optimum is a bound no plan with whole integer columns can beat; a plan with whole
    /// integer columns that reaches it (within `SETTLED`) is therefore optimal: the
    /// relaxation's own plan when it comes out whole, else the end of a dive from it (see
    /// [`WarmModel::dive`]). `None` when neither reaches the bound: branch and bound decides.
    fn settle_by_relaxation(
        &mut self,
        strategy: HighsInt,
        deadline: Instant,
    ) -> Result<Option<BackendOutcome>, String> {
        self.set_relaxation(true);
        let status = self.run(strategy, deadline)?;
        match status {
            MODEL_STATUS_OPTIMAL => {}
            // No plan meets the rows even with fractional integer columns.
            MODEL_STATUS_INFEASIBLE => return Ok(Some(BackendOutcome::Infeasible)),
            _ => return Ok(None),
        }
        // SAFETY: a live instance that has just solved.
        let bound = unsafe { Highs_getObjectiveValue(self.ptr) };
        let relaxed = self.values()?;
        let whole = |v: f64| (v - v.round()).abs() <= WHOLE;
        if self.integer.iter().all(|&c| whole(relaxed[c])) {
            return Ok(Some(BackendOutcome::Solved {
                values: relaxed,
                status: BackendStatus::Optimal,
            }));
        }
        let settled = bound + SETTLED * bound.abs().max(1.0);
        let dived = self.dive(relaxed, settled, deadline);
        // Give the fixed columns their bounds back (after reading the plan: changing the
        // model drops HiGHS's solution).
        self.restore_bounds(&self.integer);
        Ok(dived?.map(|values| BackendOutcome::Solved {
            values,
            status: BackendStatus::Optimal,
        }))
    }

    /// A dive from the relaxation's plan `values`: the fractional integer column nearest a
    /// whole number is fixed there (or, if that breaks a row or lifts the objective above
    /// `settled`, at the whole number on its other side), the relaxation re-solved from the
    /// kept basis, and so on until every integer column is whole. The plan, or `None` when a
    /// column fits neither side or the dive runs long. Leaves columns fixed.
    fn dive(
        &mut self,
        mut values: Vec<f64>,
        settled: f64,
        deadline: Instant,
    ) -> Result<Option<Vec<f64>>, String> {
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
                return Ok(Some(values));
            };
            let v = values[c];
            let near = v.round();
            let far = if near > v { v.floor() } else { v.ceil() };
            let (lower, upper) = self.column_bounds[c];
            let mut next = None;
            for target in [near, far] {
                let target = target.clamp(lower, upper);
                // SAFETY: c is a column of the loaded model.
                unsafe { Highs_changeColBounds(self.ptr, c as HighsInt, target, target) };
                if self.run(DUAL, deadline)? == MODEL_STATUS_OPTIMAL
                    // SAFETY: a live instance that has just solved.
                    && unsafe { Highs_getObjectiveValue(self.ptr) } <= settled
                {
                    next = Some(self.values()?);
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

    fn set_relaxation(&mut self, relaxation: bool) {
        if self.relaxation != Some(relaxation) {
            option_bool(self.ptr, c"solve_relaxation", relaxation);
            self.relaxation = Some(relaxation);
        }
    }

    /// One run of HiGHS with the time left until `deadline`; the model status.
    fn run(&mut self, strategy: HighsInt, deadline: Instant) -> Result<HighsInt, String> {
        let ptr = self.ptr;
        let left = deadline.saturating_duration_since(Instant::now());
        option_double(ptr, c"time_limit", left.as_secs_f64().max(1e-3));
        if self.strategy != strategy {
            option_int(ptr, c"simplex_strategy", strategy);
            self.strategy = strategy;
        }
        // HiGHS's clock runs on across runs of one instance, and its time limit is checked
        // against that total: without a reset, a kept model would soon stop every solve at
        // once as "out of time".
        // SAFETY: a live, loaded instance.
        let run = unsafe {
            Highs_zeroAllClocks(ptr);
            Highs_run(ptr)
        };
        if run == STATUS_ERROR {
            return Err("HiGHS returned an error".into());
        }
        // SAFETY: as above.
        Ok(unsafe { Highs_getModelStatus(ptr) })
    }

    /// The column values of the last run.
    fn values(&self) -> Result<Vec<f64>, String> {
        let mut values = vec![0.0; self.costs.len()];
        // SAFETY: `values` has the model's column count; HiGHS skips the null arrays
        // (duals and row activities are not needed).
        let got = unsafe {
            Highs_getSolution(
                self.ptr,
                values.as_mut_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        if got == STATUS_ERROR {
            return Err("HiGHS reported a status with a plan but gave none".into());
        }
        Ok(values)
    }

    /// The outcome of a run that ended with `status`.
    fn outcome(&self, status: HighsInt) -> Result<BackendOutcome, String> {
        let solved = |status| -> Result<BackendOutcome, String> {
            Ok(BackendOutcome::Solved {
                values: self.values()?,
                status,
            })
        };
        match status {
            MODEL_STATUS_OPTIMAL => solved(BackendStatus::Optimal),
            MODEL_STATUS_INFEASIBLE => Ok(BackendOutcome::Infeasible),
            MODEL_STATUS_REACHED_TIME_LIMIT => {
                // SAFETY: reads an info value of a live instance.
                let mut primal: HighsInt = 0;
                let has = unsafe {
                    Highs_getIntInfoValue(self.ptr, c"primal_solution_status".as_ptr(), &mut primal)
                };
                if has == STATUS_OK && primal == SOLUTION_STATUS_FEASIBLE {
                    solved(BackendStatus::TimeLimit)
                } else {
                    Ok(BackendOutcome::Stopped)
                }
            }
            other => Err(format!("HiGHS model status {other}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FormulationOptions, Linear, Stage, formulate};

    /// A formulation of a bare model and its stages, for the solver alone.
    fn formulation(lp: LinearModel, stages: Vec<(&str, Linear)>) -> Formulation {
        Formulation {
            lp,
            stages: stages
                .into_iter()
                .map(|(name, objective)| Stage {
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
        let mut model = WarmModel::build(&f);
        model.set_gap(0.0);
        let before = thread_stats();
        let limit = Duration::from_secs(10);
        let outcome = model
            .solve_stage(0, &f.stages[0].objective, &[], limit)
            .unwrap();
        let BackendOutcome::Solved { values, status } = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(status, BackendStatus::Optimal);
        let picked: f64 = items.iter().map(|&c| values[c]).sum();
        assert!((picked - 1.0).abs() < 1e-9, "{values:?}");
        let after = thread_stats();
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
        let mut model = WarmModel::build(&f);
        model.set_gap(0.0);
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
        model.release_fixed();
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
        let mut model = WarmModel::build(&f);
        model.set_gap(1e-4);
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
