//! What the handlers share: exit codes, the error that carries one, loading with
//! diagnostics, solver settings from flags, and writing results.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::output::write_all;
use crate::pipeline::{PlanError, UnmetFloor};
use crate::report::{Format, ResultDoc, json, readable, tables};
use crate::scenario::{Backend, Diagnostic, Loaded, Scenario, SolverSettings, load};
use crate::solve::SolveError;

use super::SolverArgs;

pub use super::error::{CliError, ExitCode};

/// Writes a line to stderr; a closed or full stderr is ignored rather than a panic.
pub fn note_line(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// How chatty to be on stderr.
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
}

impl Ui {
    pub fn note(&self, message: &str) {
        if !self.quiet {
            note_line(message);
        }
    }

    pub fn detail(&self, message: &str) {
        if self.verbose {
            note_line(message);
        }
    }
}

/// Loads a scenario, printing its warnings unless quiet; under `strict` (the flag or the
/// scenario's `[checks] strict = true`) a warning fails the load instead.
pub fn load_checked(ui: &Ui, path: &Path, strict: bool) -> Result<Loaded, CliError> {
    let loaded = load(path)?;
    strict_gate(
        ui,
        &loaded.warnings,
        strict || loaded.scenario.checks.strict,
    )?;
    Ok(loaded)
}

/// [`load_checked`], for the scenario alone.
pub fn load_scenario(ui: &Ui, path: &Path, strict: bool) -> Result<Scenario, CliError> {
    Ok(load_checked(ui, path, strict)?.scenario)
}

/// Prints `warnings` unless quiet, or under `strict` fails with them as errors (exit 65).
pub fn strict_gate(ui: &Ui, warnings: &[Diagnostic], strict: bool) -> Result<(), CliError> {
    if strict && !warnings.is_empty() {
        return Err(CliError::Strict(warnings.to_vec()));
    }
    for warning in warnings {
        ui.note(&warning.to_string());
    }
    Ok(())
}

/// The scenario's solver settings with the flags applied.
pub fn settings(scenario: &Scenario, args: &SolverArgs) -> Result<SolverSettings, CliError> {
    let mut settings = scenario.solver.clone();
    if let Some(backend) = args.solver {
        settings.backend = backend;
    }
    if args.integer {
        settings.integer = true;
    }
    if args.relax {
        settings.integer = false;
    }
    if let Some(limit) = args.time_limit {
        settings.time_limit_s = limit;
    }
    if let Some(gap) = args.mip_gap {
        settings.mip_gap = gap;
    }
    settings.reuse = !args.cold;
    if !crate::solve::is_available(settings.backend) {
        return Err(CliError::Usage(
            SolveError::Unavailable(settings.backend.name()).to_string(),
        ));
    }
    Ok(settings)
}

/// The explanation of an infeasible scenario: each floor that cannot be met, what is
/// reachable and what the eligible offers hold.
pub fn infeasible_message(scenario: &Scenario, floors: &[UnmetFloor]) -> String {
    let mut message = format!("infeasible: {} hard floor(s) cannot be met", floors.len());
    for floor in floors {
        let r = &scenario.requirements[floor.requirement];
        message.push_str(&format!(
            "\n  {}: minimum {} but at most {} reachable; eligible supply {} from {} offer(s)",
            r.id,
            readable(floor.minimum),
            readable(floor.reachable),
            readable(floor.eligible_supply),
            floor.eligible_offers.len()
        ));
    }
    message
}

/// What to try when microlp fails on a model: the built-in simplex is the one that breaks
/// down numerically on large or badly scaled models (README "Solvers").
const MICROLP_HINT: &str = "\nhint: microlp, the pure-Rust solver, can fail numerically on \
    large models; HiGHS is more robust (`--solver highs`, in the default build)";

/// Maps a failure to plan with `backend` to its exit code and message.
pub fn plan_failure(scenario: &Scenario, backend: Backend, err: PlanError) -> CliError {
    let hint = if backend == Backend::Microlp {
        MICROLP_HINT
    } else {
        ""
    };
    match err {
        PlanError::Infeasible(floors) => {
            CliError::Infeasible(infeasible_message(scenario, &floors))
        }
        PlanError::Solve(SolveError::Unavailable(_)) => CliError::Usage(err.to_string()),
        PlanError::Solve(err @ SolveError::Failed { .. }) => {
            CliError::Internal(format!("{err}{hint}"))
        }
        PlanError::Solve(err) => CliError::Internal(err.to_string()),
        PlanError::Unverified(violations) => {
            let mut message = format!(
                "internal error: the plan failed the independent check ({} violation(s)); no result is reported",
                violations.len()
            );
            for v in &violations {
                message.push_str(&format!("\n  {v}"));
            }
            message.push_str(hint);
            CliError::Internal(message)
        }
    }
}

/// The format to print in: the flag, or table on a terminal and JSON otherwise.
/// The worker threads of a parallel command: `--jobs N`, or one per core.
pub fn worker_pool(jobs: Option<u32>) -> Result<rayon::ThreadPool, CliError> {
    rayon::ThreadPoolBuilder::new()
        // 0: rayon's default, one per core (or RAYON_NUM_THREADS).
        .num_threads(jobs.map_or(0, |n| n as usize))
        .build()
        .map_err(|e| CliError::Internal(format!("cannot start the worker threads: {e}")))
}

pub fn format_or_default(format: Option<Format>) -> Format {
    format.unwrap_or_else(|| {
        if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        }
    })
}

/// Whether stdout took what was printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printed {
    Whole,
    /// The reader went away (`| head`): the command ends quietly, with exit 0.
    ReaderGone,
}

/// Writes `bytes` to stdout; a closed pipe is no error (see [`Printed::ReaderGone`]).
pub fn print(bytes: &[u8]) -> Result<Printed, CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(Printed::Whole),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Printed::ReaderGone),
        Err(e) => Err(CliError::CannotWrite(format!(
            "cannot write to stdout: {e}"
        ))),
    }
}

/// Writes every table of `doc` as CSV, `result.json` and `result.xlsx` (a summary sheet,
/// then the tables) into `dir`, atomically.
pub fn write_out(dir: &Path, doc: &ResultDoc) -> Result<(), CliError> {
    let mut files: Vec<(String, Vec<u8>)> = tables(doc)
        .iter()
        .map(|t| (format!("{}.csv", t.name), crate::report::csv(t)))
        .collect();
    files.push(("result.json".to_string(), json(doc)));
    let workbook = crate::report::xlsx::result_workbook(doc).map_err(CliError::Internal)?;
    files.push(("result.xlsx".to_string(), workbook));
    write_all(dir, &files)?;
    Ok(())
}
