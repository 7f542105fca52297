//! One scenario end to end: formulate, solve every stage, read the plan, derive its
//! figures and verify it. Everything that solves a scenario (the CLI, sweeps, stress
//! tests) goes through [`solve_scenario`].

use std::time::{Duration, Instant};

use crate::model::{FormulationOptions, formulate};
use crate::plan::Coverage;
use crate::plan::check::{Violation, check};
use crate::plan::{Figures, Plan, figures};
use crate::scenario::{Scenario, SolverSettings};
use crate::solve::{OnStage, SolveError, SolveOptions, StageTiming, StageValue, solve};

/// A verified plan and its figures.
#[derive(Clone, Debug)]
pub struct Planned {
    pub plan: Plan,
    pub figures: Figures,
    /// Where the time went (wall clock; differs from run to run).
    pub timings: Timings,
    /// The LP relaxation beside a whole-unit plan, where [`solve_with_relaxation`] was
    /// asked for it.
    pub relaxation: Option<Relaxation>,
}

/// The LP relaxation of a whole-unit plan: the same model and stages with fractions of
/// units allowed, solved and verified like the plan. Its coverage is what the best split of
/// units reaches under the same priorities; its priority stages bound the plan's from below,
/// so the difference is what indivisible units cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Relaxation {
    pub coverage: Coverage,
    pub stages: Vec<StageValue>,
}

/// Seconds spent in each step of [`solve_scenario`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timings {
    pub formulate_seconds: f64,
    /// One per stage solved: translation for the solver, and the solver.
    pub stages: Vec<StageTiming>,
    /// Reading the plan, its figures and the independent check.
    pub verify_seconds: f64,
}

/// A hard floor that cannot be met, and what it could draw on.
#[derive(Clone, Debug, PartialEq)]
pub struct UnmetFloor {
    pub requirement: usize,
    pub minimum: f64,
    /// The most of the floor reached when all floors are pursued together.
    pub reachable: f64,
    /// Everything the eligible offers hold for it, each offer alone (rotation applied in a
    /// sustained phase; whole units only with `--integer`).
    pub eligible_supply: f64,
    /// (offer, amount it could provide alone), largest first.
    pub eligible_offers: Vec<(usize, f64)>,
}

/// Why no plan is reported.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("infeasible: {} hard floor(s) cannot be met", .0.len())]
    Infeasible(Vec<UnmetFloor>),
    #[error(transparent)]
    Solve(#[from] SolveError),
    #[error("the plan failed verification ({} violation(s)); this is a bug", .0.len())]
    Unverified(Vec<Violation>),
}

impl SolveOptions {
    pub fn from_settings(settings: &SolverSettings) -> SolveOptions {
        SolveOptions {
            backend: settings.backend,
            time_limit: Duration::from_secs_f64(settings.time_limit_s),
            mip_gap: settings.mip_gap,
            reuse: settings.reuse,
            on_stage: None,
        }
    }
}

/// Solves `scenario` with `settings` (the scenario's own, possibly overridden by flags).
pub fn solve_scenario(
    scenario: &Scenario,
    settings: &SolverSettings,
) -> Result<Planned, PlanError> {
    solve_stages(scenario, settings, usize::MAX)
}

/// [`solve_scenario`] with the lexicographic objective cut after its first `stages` stages
/// (the priorities only, for the asks list): the plan those stages choose, verified.
pub fn solve_stages(
    scenario: &Scenario,
    settings: &SolverSettings,
    stages: usize,
) -> Result<Planned, PlanError> {
    let options = SolveOptions::from_settings(settings);
    solve_stages_with(scenario, settings, stages, options)
}

/// [`solve_stages`] with `options`: those of `settings`, and what settings do not hold (a
/// progress callback).
fn solve_stages_with(
    scenario: &Scenario,
    settings: &SolverSettings,
    stages: usize,
    options: SolveOptions,
) -> Result<Planned, PlanError> {
    let started = Instant::now();
    let mut formulation = formulate(
        scenario,
        FormulationOptions {
            integer: settings.integer,
            soft_floors: false,
        },
    );
    formulation.stages.truncate(stages);
    let formulate_seconds = started.elapsed().as_secs_f64();
    let mut solution = match solve(&formulation, &options) {
        Ok(solution) => solution,
        Err(SolveError::Infeasible) => {
            return Err(explain_infeasible(scenario, settings, &options));
        }
        Err(other) => return Err(other.into()),
    };
    let stages = std::mem::take(&mut solution.timings);
    let started = Instant::now();
    let plan = Plan::from_solution(&formulation, solution, settings.backend, settings.integer);
    #[cfg(feature = "fault-injection")]
    let plan = inject_fault(scenario, plan);
    let figures = figures(scenario, &plan);
    check(scenario, &plan, &figures).map_err(PlanError::Unverified)?;
    let timings = Timings {
        formulate_seconds,
        stages,
        verify_seconds: started.elapsed().as_secs_f64(),
    };
    Ok(Planned {
        plan,
        figures,
        timings,
        relaxation: None,
    })
}

/// [`solve_scenario`], and with whole units the LP relaxation beside the plan (one more
/// solve, of LPs only).
pub fn solve_with_relaxation(
    scenario: &Scenario,
    settings: &SolverSettings,
) -> Result<Planned, PlanError> {
    solve_with_relaxation_telling(scenario, settings, None)
}

/// [`solve_with_relaxation`], telling each stage of its solves (the plan's and the
/// relaxation's, side by side) to `on_stage` as it ends.
pub fn solve_with_relaxation_telling(
    scenario: &Scenario,
    settings: &SolverSettings,
    on_stage: Option<OnStage>,
) -> Result<Planned, PlanError> {
    let solve_one = |settings: &SolverSettings| {
        let options = SolveOptions {
            on_stage: on_stage.clone(),
            ..SolveOptions::from_settings(settings)
        };
        solve_stages_with(scenario, settings, usize::MAX, options)
    };
    if !settings.integer {
        return solve_one(settings);
    }
    let relaxed = SolverSettings {
        integer: false,
        ..settings.clone()
    };
    // Side by side on the current rayon pool: the two solves share nothing.
    let (planned, lp) = rayon::join(|| solve_one(settings), || solve_one(&relaxed));
    let (mut planned, lp) = (planned?, lp?);
    planned.relaxation = Some(Relaxation {
        coverage: lp.figures.coverage,
        stages: lp.plan.stages,
    });
    Ok(planned)
}

/// Re-solves with floors soft to find which floors cannot be met together.
fn explain_infeasible(
    scenario: &Scenario,
    settings: &SolverSettings,
    options: &SolveOptions,
) -> PlanError {
    let mut formulation = formulate(
        scenario,
        FormulationOptions {
            integer: settings.integer,
            soft_floors: true,
        },
    );
    formulation.stages.truncate(1);
    let solution = match solve(&formulation, options) {
        Ok(solution) => solution,
        Err(err) => return err.into(),
    };
    let mut floors = Vec::new();
    for &(q, column) in &formulation.floor_violations {
        let violation = solution.values[column];
        let requirement = &scenario.requirements[q];
        if violation <= 1e-7 * requirement.minimum.max(1.0) {
            continue;
        }
        let mut eligible_offers = scenario.eligible_amounts(requirement, settings.integer);
        eligible_offers.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let eligible_supply = eligible_offers.iter().map(|&(_, amount)| amount).sum();
        floors.push(UnmetFloor {
            requirement: q,
            minimum: requirement.minimum,
            reachable: (requirement.minimum - violation).max(0.0),
            eligible_supply,
            eligible_offers,
        });
    }
    if floors.is_empty() {
        // The soft model met every floor, so the hard one failed numerically.
        return PlanError::Solve(SolveError::Failed {
            stage: "priority".into(),
            message: "reported infeasible, but every floor can be met".into(),
        });
    }
    PlanError::Infeasible(floors)
}

/// Test hook, compiled only with the `fault-injection` feature: `FORCEGEN_FAULT=corrupt-plan`
/// breaks the plan before it is checked, so that the checker's refusal (exit 70) can be
/// exercised end to end; `corrupt-plan:members=N` breaks only scenarios with N members (one
/// variant of a sweep failing among others).
#[cfg(feature = "fault-injection")]
fn inject_fault(scenario: &Scenario, mut plan: Plan) -> Plan {
    let Some(fault) = std::env::var_os("FORCEGEN_FAULT") else {
        return plan;
    };
    let fault = fault.to_string_lossy();
    let applies = match fault.strip_prefix("corrupt-plan") {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix(":members=")
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n == scenario.members.len()),
        None => false,
    };
    if applies && let Some(first) = plan.assignments.first_mut() {
        first.units = first.units * 10.0 + 1000.0;
    }
    plan
}
