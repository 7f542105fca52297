//! The functions of the public surface: solve, stress, sweep, compare. Each returns a typed
//! document that serialises to the JSON the CLI prints; the CLI's commands are built on the
//! same steps (`pipeline`, `analysis`, `report::document`), so a result here and the CLI's
//! `--format json` for the same scenario are the same bytes.

use std::sync::Arc;

use crate::analysis::asks::asks as compute_asks;
use crate::analysis::progress::{Progress, silent};
use crate::analysis::rows::{self, Format as RowFormat};
use crate::analysis::stress::stress as run_stress;
use crate::analysis::sweep::{Row, RunOptions, Sweep, SweepError, run as run_sweep};
use crate::pipeline::{PlanError, solve_scenario, solve_with_relaxation_telling};
use crate::plan::check::Violation;
use crate::report::compare::{Comparison, Side, compare as compare_sides};
use crate::report::document::{AsksDoc, ResultDoc, asks_doc, infeasible_doc, result_doc};
use crate::report::stress::{SolverDoc, StressDoc, stress_doc};
use crate::scenario::{LoadError, Scenario, SolverSettings};
use crate::solve::{OnStage, SolveError, Status, is_available};

/// A progress callback: told (steps done, steps in all) from the worker threads as a run
/// goes on. Steps are solves (a sweep's variants, a stress test's withdrawals) or, for the
/// asks, offers decided.
pub type OnProgress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Why a call of the public surface gave no result. A scenario without a feasible plan is
/// not an error: it is [`Outcome::Infeasible`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The scenario (or a file it names) does not load: every problem, located.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The sweep file does not load.
    #[error(transparent)]
    Sweep(#[from] SweepError),
    /// The solver failed (or is not compiled in, or ran out of time before any plan).
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// The independent plan checker rejected the solver's plan (a bug, never expected).
    #[error("the plan failed verification ({} violation(s)); this is a bug", .0.len())]
    Unverified(Vec<Violation>),
    /// An option out of its range (e.g. a stress test's `k`, a shard).
    #[error("{0}")]
    Invalid(String),
    /// The worker threads could not be started.
    #[error("cannot start the worker threads: {0}")]
    Threads(String),
}

impl Error {
    fn of_plan(err: PlanError) -> Self {
        match err {
            PlanError::Solve(e) => Error::Solve(e),
            PlanError::Unverified(v) => Error::Unverified(v),
            // Callers turn infeasibility into an outcome before this.
            PlanError::Infeasible(floors) => Error::Invalid(format!(
                "infeasible: {} hard floor(s) cannot be met",
                floors.len()
            )),
        }
    }
}

/// How [`solve`] solves.
#[derive(Clone)]
pub struct SolveOptions {
    /// The solver settings; `None`: the scenario's own.
    pub settings: Option<SolverSettings>,
    /// With whole units, also solve the LP relaxation and report it beside the plan (as
    /// `forcegen solve` does). Default: true.
    pub relaxation: bool,
    /// Compute the asks list (blockers and the extra units that would help most), as
    /// `forcegen solve` does; it costs a re-solve per candidate offer. Default: true.
    pub asks: bool,
    /// Told each stage of the plan's solve as it ends.
    pub on_stage: Option<OnStage>,
    /// Told the asks' progress.
    pub on_progress: Option<OnProgress>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            settings: None,
            relaxation: true,
            asks: true,
            on_stage: None,
            on_progress: None,
        }
    }
}

impl std::fmt::Debug for SolveOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SolveOptions")
            .field("settings", &self.settings)
            .field("relaxation", &self.relaxation)
            .field("asks", &self.asks)
            .field("on_stage", &self.on_stage.is_some())
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

/// What [`solve`] found: a verified plan, or the proof that the hard floors cannot all be
/// met. Either way the document is the one `forcegen solve --format json` prints.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// A plan, checked by the independent plan checker: assignments in whole units,
    /// coverage by every grouping, shortfalls, stages with status and gap, the relaxation,
    /// and the asks when asked for.
    Plan(Box<ResultDoc>),
    /// No plan meets every hard floor; `unmet_floors` says which floors and what their
    /// eligible offers could give.
    Infeasible(Box<ResultDoc>),
}

impl Outcome {
    /// The result document, plan or not.
    pub fn result(&self) -> &ResultDoc {
        match self {
            Outcome::Plan(doc) | Outcome::Infeasible(doc) => doc,
        }
    }

    /// Whether there is a plan.
    pub fn is_plan(&self) -> bool {
        matches!(self, Outcome::Plan(_))
    }

    /// The document as `forcegen solve --format json` prints it (pretty, with a final
    /// newline).
    pub fn to_json(&self) -> Vec<u8> {
        crate::report::json(self.result())
    }
}

fn settings_of(
    scenario: &Scenario,
    given: Option<&SolverSettings>,
) -> Result<SolverSettings, Error> {
    let settings = given.cloned().unwrap_or_else(|| scenario.solver.clone());
    if !is_available(settings.backend) {
        return Err(SolveError::Unavailable(settings.backend.name()).into());
    }
    Ok(settings)
}

/// The callback of `given`, or one that ignores every call.
fn progress_of(given: &Option<OnProgress>) -> Progress<'_> {
    match given {
        Some(tell) => tell.as_ref(),
        None => &silent,
    }
}

/// Solves `scenario`: the lexicographic stages (floors, priorities 1 to 5, burden, cost,
/// troops, units) in whole units unless the settings say otherwise, the plan verified by
/// the independent checker before it is returned.
///
/// The solve runs on the calling thread; the asks' re-solves on the current rayon pool.
/// HiGHS runs with one thread per model, so that many solves in parallel (from many
/// threads, or a rayon pool) do not oversubscribe the cores.
pub fn solve(scenario: &Scenario, options: &SolveOptions) -> Result<Outcome, Error> {
    let settings = settings_of(scenario, options.settings.as_ref())?;
    let solved = if options.relaxation {
        solve_with_relaxation_telling(scenario, &settings, options.on_stage.clone())
    } else {
        solve_scenario(scenario, &settings)
    };
    let planned = match solved {
        Ok(planned) => planned,
        Err(PlanError::Infeasible(floors)) => {
            let doc = infeasible_doc(scenario, &floors, settings.backend.name(), settings.integer);
            return Ok(Outcome::Infeasible(Box::new(doc)));
        }
        Err(err) => return Err(Error::of_plan(err)),
    };
    let mut doc = result_doc(scenario, &planned, None);
    doc.asks = if !options.asks {
        AsksDoc {
            note: Some("not computed: not asked for".into()),
            ..AsksDoc::default()
        }
    } else if planned.plan.status == Status::Optimal {
        let asks = compute_asks(
            scenario,
            &settings,
            &planned,
            progress_of(&options.on_progress),
        );
        asks_doc(scenario, &planned, &asks)
    } else {
        AsksDoc {
            note: Some("not computed: the time limit cut the solve short".into()),
            ..AsksDoc::default()
        }
    };
    Ok(Outcome::Plan(Box::new(doc)))
}

/// How [`stress`] runs.
#[derive(Clone, Default)]
pub struct StressOptions {
    /// The solver settings; `None`: the scenario's own.
    pub settings: Option<SolverSettings>,
    /// How many members withdraw together: 1 (the default when 0) or 2.
    pub k: usize,
    /// Worker threads; `None`: one per core.
    pub threads: Option<usize>,
    /// Told each withdrawal solved.
    pub on_progress: Option<OnProgress>,
}

fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Error> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Threads(e.to_string()))
}

/// The stress test of `scenario`: every combination of `k` members withdrawn, each variant
/// solved and verified, ranked by what it costs; and the requirements a withdrawal leaves
/// with no eligible offer. The document is `forcegen stress --format json`'s.
pub fn stress(scenario: &Scenario, options: &StressOptions) -> Result<StressDoc, Error> {
    let k = options.k.max(1);
    if k > 2 {
        return Err(Error::Invalid(format!(
            "k = {k}: a stress test withdraws 1 or 2 members together"
        )));
    }
    let settings = settings_of(scenario, options.settings.as_ref())?;
    let pool = pool(options.threads)?;
    let base = solve_scenario(scenario, &settings).map_err(Error::of_plan)?;
    let progress = progress_of(&options.on_progress);
    let result = run_stress(scenario, &settings, &base, k, &pool, progress);
    let ranking = result.ranking(scenario);
    let solver = SolverDoc {
        backend: settings.backend.name(),
        integer: settings.integer,
    };
    Ok(stress_doc(scenario, &result, &ranking, solver, None))
}

/// How [`sweep`] runs.
#[derive(Clone, Default)]
pub struct SweepOptions {
    /// The solver settings; `None`: the base scenario's own.
    pub settings: Option<SolverSettings>,
    /// Only shard `i` of `n` (1-based), as `--shard i/n`.
    pub shard: Option<(u32, u32)>,
    /// Stop handing out variants after the first failed one.
    pub fail_fast: bool,
    /// Worker threads; `None`: one per core.
    pub threads: Option<usize>,
    /// Told each variant solved.
    pub on_progress: Option<OnProgress>,
}

/// The rows of a sweep, in variant order, with the columns they are written in.
#[derive(Clone, Debug)]
pub struct SweepRows {
    header: Vec<String>,
    records: Vec<Vec<String>>,
    /// One row per variant solved.
    pub rows: Vec<Row>,
}

impl SweepRows {
    /// The column names of the CSV and the keys of each JSON line.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The rows as `forcegen sweep --format csv` writes them, header first.
    pub fn to_csv(&self) -> Vec<u8> {
        self.bytes(RowFormat::Csv)
    }

    /// The rows as `forcegen sweep --format jsonl` writes them, one JSON object a line.
    pub fn to_jsonl(&self) -> Vec<u8> {
        self.bytes(RowFormat::Jsonl)
    }

    fn bytes(&self, format: RowFormat) -> Vec<u8> {
        let mut out = rows::header_line(format, &self.header);
        for record in &self.records {
            out.extend(rows::line(format, &self.header, record));
        }
        out
    }
}

/// Runs `sweep`'s variants (or one shard of them) in parallel, each solved and verified;
/// an infeasible variant is a row, and so is a failed one (never a panic).
pub fn sweep(sweep: &Sweep, options: &SweepOptions) -> Result<SweepRows, Error> {
    if let Some((i, n)) = options.shard
        && (n == 0 || i == 0 || i > n)
    {
        return Err(Error::Invalid(format!(
            "shard {i}/{n}: give i/n with 1 <= i <= n"
        )));
    }
    let settings = settings_of(&sweep.base, options.settings.as_ref())?;
    let pool = pool(options.threads)?;
    let run = RunOptions {
        fail_fast: options.fail_fast,
        shard: options.shard,
        ..RunOptions::default()
    };
    let progress = progress_of(&options.on_progress);
    let rows = pool.install(|| run_sweep(sweep, &settings, &run, &mut |_| {}, progress));
    let records = rows.iter().map(|r| rows::record(sweep, r)).collect();
    Ok(SweepRows {
        header: rows::header(sweep),
        records,
        rows,
    })
}

/// Two results side by side (`forcegen compare`): coverage, priorities, requirements,
/// members and stages, each with B minus A. The sources name the sides in the document.
pub fn compare(a: &ResultDoc, source_a: &str, b: &ResultDoc, source_b: &str) -> Comparison {
    compare_sides(&Side::from_doc(a), source_a, &Side::from_doc(b), source_b)
}
