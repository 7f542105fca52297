//! Solving a formulation stage by stage (lexicographic), on a chosen backend.
//!
//! Each stage minimises its objective with every earlier stage held at its optimum
//! (value <= optimum + 1e-7 max(1, |optimum|)). One time limit covers all stages of a solve;
//! a stage cut short keeps the best plan found and the solve reports `time_limit`.
//!
//! This file holds the public types and entry points. The rest, by purpose:
//! - `driver`: the stage loop ([`solve`], [`stage_holds`], [`relaxed_stage_bound`]).
//! - `retry`: one stage on a backend, retried with the model stated differently.
//! - `checks`: whether a solver's plan breaks a row or bound past round-off.
//! - `snap`: removing round-off from a plan without breaking a row or a hold.
//! - `backend`: what every backend shares; `microlp`, `microlp_next`, `highs` (from
//!   scratch) and `highs_warm` (one model kept through the stages of a solve) are the
//!   backends, `highs_api` the safe wrapper of the HiGHS C API.

mod backend;
mod checks;
mod driver;
#[cfg(feature = "highs")]
mod highs;
#[cfg(feature = "highs")]
mod highs_api;
#[cfg(feature = "highs")]
mod highs_warm;
mod microlp;
mod microlp_next;
mod retry;
mod snap;

#[cfg(feature = "highs")]
pub use highs::file_optimum;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::model::{Formulation, Row};
use crate::scenario::Backend;

pub use backend::{BackendOutcome, BackendStatus};
pub use driver::{relaxed_stage_bound, stage_holds};

/// Told of each stage of a solve as it ends: its value and where its time went.
pub type OnStage = Arc<dyn Fn(&StageValue, &StageTiming) + Send + Sync>;

/// How to solve.
#[derive(Clone)]
pub struct SolveOptions {
    pub backend: Backend,
    pub time_limit: Duration,
    /// Relative MIP gap.
    pub mip_gap: f64,
    /// Keep one model through the stages of a solve (HiGHS only; see `highs_warm`). Off:
    /// every stage builds its model from scratch.
    pub reuse: bool,
    /// Told of each stage solved, as it ends (`solve -v` prints them: a solve of an hour
    /// shows its progress); a stage the time limit left unsolved is not told. `None` for
    /// the many re-solves of sweeps and the asks list.
    pub on_stage: Option<OnStage>,
}

impl fmt::Debug for SolveOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SolveOptions")
            .field("backend", &self.backend)
            .field("time_limit", &self.time_limit)
            .field("mip_gap", &self.mip_gap)
            .field("reuse", &self.reuse)
            .field("on_stage", &self.on_stage.as_ref().map(|_| "Fn"))
            .finish()
    }
}

/// How a solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every stage solved to optimality (within the MIP gap where integers are involved).
    Optimal,
    /// The time limit cut a stage short; the plan is the best found, and verified.
    TimeLimit,
}

impl Status {
    /// The status as reports print it: `optimal` or `time_limit`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::TimeLimit => "time_limit",
        }
    }
}

/// How far one stage got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageStatus {
    /// Solved to optimality (within the MIP gap where integers are involved).
    Optimal,
    /// The time limit cut it short: the value is the best found, not proven optimal.
    TimeLimit,
    /// The time limit ran out before it: the value is the plan's, not optimised.
    NotSolved,
}

impl StageStatus {
    /// The stage status as reports print it: `optimal`, `time_limit` or `not_solved`.
    pub fn name(self) -> &'static str {
        match self {
            StageStatus::Optimal => "optimal",
            StageStatus::TimeLimit => "time_limit",
            StageStatus::NotSolved => "not_solved",
        }
    }
}

/// The value of one stage's objective.
#[derive(Clone, Debug, PartialEq)]
pub struct StageValue {
    /// The stage's name: `priority-N`, `burden`, `cost`, `troops`, `units` or
    /// `floor-violation`.
    pub name: String,
    /// What the stage minimises.
    pub kind: crate::model::StageKind,
    /// The objective's value on the stage's solution, with round-off snapped away; for a
    /// stage the time limit left unsolved, its value on the plan.
    pub value: f64,
    /// How far the stage got: optimal, cut short by the time limit, or not solved.
    pub status: StageStatus,
    /// The proven relative gap of the stage's value to the solver's bound on it: 0 for an
    /// LP stage solved to optimality, at most the MIP gap for a whole-unit stage solved to
    /// optimality; `None` where no bound is known (a stage cut short before a bound, or
    /// not solved).
    pub gap: Option<f64>,
}

/// Where one stage's time went: translating the model for the solver (our work) and the
/// solver itself (everything else, retries included).
#[derive(Clone, Debug, PartialEq)]
pub struct StageTiming {
    /// The stage's name, as in [`StageValue::name`].
    pub name: String,
    /// Wall-clock seconds spent translating the model for the solver.
    pub build_seconds: f64,
    /// The rest of the stage's wall-clock seconds: the solver's, retries included.
    pub solve_seconds: f64,
}

impl StageTiming {
    /// The stage begun at `started`, which spent `build_seconds` translating models for the
    /// solver: the rest of the wall clock is the solver's.
    fn since(name: &str, started: Instant, build_seconds: f64) -> StageTiming {
        StageTiming {
            name: name.to_string(),
            build_seconds,
            solve_seconds: (started.elapsed().as_secs_f64() - build_seconds).max(0.0),
        }
    }
}

/// A plan found by the solver: a value per column and the stage values.
#[derive(Clone, Debug)]
pub struct Solution {
    pub values: Vec<f64>,
    /// How the solve went on the backend (a kept model, its stages).
    pub stats: SolveStats,
    pub stages: Vec<StageValue>,
    pub status: Status,
    pub seconds: f64,
    /// The relative slack given to held stages: 1e-7, or more where a hold had to be
    /// loosened for round-off. Later stages may trade earlier ones by this much.
    pub hold_tolerance: f64,
    /// One per stage solved.
    pub timings: Vec<StageTiming>,
}

/// How one solve went on the backend, returned with it (for tests and diagnostics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SolveStats {
    /// A HiGHS model was built and kept through the stages.
    pub kept_model: bool,
    /// The kept model failed and the solve was done again from scratch.
    pub fell_back: bool,
    /// Mixed-integer stages the kept model settled by their relaxation.
    pub relaxed: u32,
    /// Mixed-integer stages the kept model needed branch and bound for.
    pub branched: u32,
}

/// Why a solve gave no plan.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// The hard constraints admit no plan (a floor cannot be met).
    #[error("the model is infeasible")]
    Infeasible,
    /// The chosen backend (its name given) is not compiled into this build: `highs` in a
    /// build without the `highs` feature.
    #[error(
        "solver backend `{0}` is not compiled into this build (a `--no-default-features` build); rebuild with the default features"
    )]
    Unavailable(&'static str),
    /// The time limit ran out before the first stage found any plan.
    #[error("the time limit ran out before the solver found any plan")]
    NoPlanInTime,
    /// The time limit ran out before the named stage was proven optimal, where an optimum
    /// is needed (the holds of a later stage, a screening bound of the asks list).
    #[error("the time limit ran out before stage `{0}` was solved to optimality")]
    NoOptimumInTime(String),
    /// The solver failed in stage `stage` after every retry (a backend error, or the stage
    /// infeasible with the earlier stages held even when loosened); `message` says why.
    #[error("solver failure in stage `{stage}`: {message}")]
    Failed { stage: String, message: String },
}

impl SolveError {
    fn failed(stage: &str, why: impl std::fmt::Display) -> SolveError {
        SolveError::Failed {
            stage: stage.to_string(),
            message: why.to_string(),
        }
    }
}

/// The relative slack of a held stage (docs/spec.md, "Objective": value <=
/// optimum + 1e-7 max(1, |optimum|)).
pub(crate) const HOLD: f64 = 1e-7;

/// Solves every stage of `formulation` in turn.
pub fn solve(formulation: &Formulation, options: &SolveOptions) -> Result<Solution, SolveError> {
    driver::solve_holding(formulation, options).map(|(solution, _)| solution)
}

/// The rows that held the earlier stages when [`solve`] solved one stage.
#[derive(Clone, Debug, PartialEq)]
pub struct StageHolds {
    /// One row per earlier stage: its objective <= its optimum plus a slack.
    pub rows: Vec<Row>,
    /// The slack is 1e-7 relative, or 1e-5 more where the stage was infeasible with the
    /// tighter holds (round-off) and the solver loosened the last of them, or all.
    pub loosened: bool,
}

/// Whether `backend` is compiled into this build.
pub fn is_available(backend: Backend) -> bool {
    match backend {
        Backend::Microlp => true,
        Backend::Highs => cfg!(feature = "highs"),
    }
}
