//! `forcegen report`: one self-contained HTML page for a scenario (optionally with its
//! stress test) or for a sweep, told apart by the file's content.

use std::path::Path;

use crate::analysis::asks::asks;
use crate::analysis::rows::{self, Record};
use crate::analysis::stress::stress;
use crate::analysis::sweep::{self as engine, RunOptions, Sweep};
use crate::output::write_file;
use crate::pipeline::{PlanError, solve_with_relaxation};
use crate::report::document::{AsksDoc, asks_doc};
use crate::report::html::{scenario_page, stress_view, sweep_page, sweep_view};
use crate::report::{infeasible_doc, result_doc};
use crate::solve::Status;

use super::ReportArgs;
use super::common::{
    CliError, ExitCode, Ui, infeasible_message, load_scenario, plan_failure, settings, strict_gate,
    worker_pool,
};
use super::progress::Bar;

/// What the input file is.
#[derive(Debug, PartialEq, Eq)]
enum Input {
    Scenario,
    Sweep,
}

/// A sweep file names its base scenario (`base = "..."`) and has no `[scenario]` table.
/// Anything that does not parse goes to the scenario loader, which explains the problem.
fn kind(path: &Path) -> Result<Input, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "file not found".to_string(),
            _ => format!("cannot read the file: {e}"),
        };
        CliError::NoInput(format!("{}: {why}", path.display()))
    })?;
    Ok(match text.parse::<toml::Table>() {
        Ok(table) if table.contains_key("base") && !table.contains_key("scenario") => Input::Sweep,
        _ => Input::Scenario,
    })
}

fn usage(message: &str) -> CliError {
    CliError::Usage(message.to_string())
}

pub fn run(ui: &Ui, args: &ReportArgs) -> Result<ExitCode, CliError> {
    let input = kind(&args.input)?;
    match input {
        Input::Scenario if args.rows.is_some() => Err(usage(
            "`--rows` applies to a sweep file; the input is a scenario",
        )),
        Input::Sweep if args.stress => Err(usage(
            "`--stress` applies to a scenario; run `forcegen report` on the sweep's base scenario for its stress test",
        )),
        Input::Sweep if args.no_asks => Err(usage(
            "`--no-asks` applies to a scenario; a sweep report has no asks list",
        )),
        _ => {
            let pool = worker_pool(args.jobs)?;
            match input {
                Input::Scenario => scenario_report(ui, args, &pool),
                Input::Sweep => sweep_report(ui, args, &pool),
            }
        }
    }
}

fn write(ui: &Ui, path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    write_file(path, bytes)?;
    ui.note(&format!("wrote {}", path.display()));
    Ok(())
}

fn scenario_report(
    ui: &Ui,
    args: &ReportArgs,
    pool: &rayon::ThreadPool,
) -> Result<ExitCode, CliError> {
    let scenario = load_scenario(ui, &args.input, args.strict)?;
    let settings = settings(&scenario, &args.solver)?;
    let planned = match solve_with_relaxation(&scenario, &settings) {
        Ok(planned) => planned,
        // An infeasible scenario still gets its page: the floors that cannot be met.
        Err(PlanError::Infeasible(floors)) => {
            let doc = infeasible_doc(
                &scenario,
                &floors,
                settings.backend.name(),
                settings.integer,
            );
            write(ui, &args.output, &scenario_page(&doc, None))?;
            return Err(CliError::Infeasible(infeasible_message(&scenario, &floors)));
        }
        Err(err) => return Err(plan_failure(&scenario, settings.backend, err)),
    };
    if planned.plan.status == Status::TimeLimit {
        ui.note(
            "warning: the time limit cut the solve short; the plan is the best found and verified",
        );
    }
    let mut doc = result_doc(&scenario, &planned, None);
    // As in `solve`: the asks compare re-solves stage by stage, meaningful only from an optimum.
    doc.asks = if args.no_asks {
        AsksDoc {
            note: Some("not computed: --no-asks".into()),
            ..AsksDoc::default()
        }
    } else if planned.plan.status == Status::Optimal {
        let bar = Bar::new(ui.quiet, "asks: one extra unit per offer");
        let asks = pool.install(|| asks(&scenario, &settings, &planned, &|d, t| bar.tell(d, t)));
        drop(bar);
        asks_doc(&scenario, &planned, &asks)
    } else {
        AsksDoc {
            note: Some("not computed: the time limit cut the solve short".into()),
            ..AsksDoc::default()
        }
    };
    let view = if args.stress {
        let k = args.k as usize;
        let bar = Bar::new(ui.quiet, &format!("stress k={k}"));
        let result = stress(&scenario, &settings, &planned, k, pool, &|d, t| {
            bar.tell(d, t)
        });
        drop(bar);
        Some(stress_view(&scenario, &result))
    } else {
        None
    };
    write(ui, &args.output, &scenario_page(&doc, view.as_ref()))?;
    Ok(ExitCode::Success)
}

fn load_sweep(path: &Path) -> Result<Sweep, CliError> {
    Ok(Sweep::load(path)?)
}

/// Rows of an earlier run of this sweep, checked to be this sweep's.
fn read_rows(sweep: &Sweep, path: &Path, header: &[String]) -> Result<Vec<Record>, CliError> {
    if !path.is_file() {
        return Err(CliError::NoInput(format!(
            "{}: file not found",
            path.display()
        )));
    }
    let file = rows::read(path, rows::Format::of_path(path)).map_err(CliError::Data)?;
    if file.header != header {
        return Err(CliError::Data(format!(
            "{}: its columns are not this sweep's (expected the header `{}`)",
            path.display(),
            header.join(",")
        )));
    }
    let column = file.column("sweep").unwrap_or(0);
    if let Some((i, other)) = file
        .records
        .iter()
        .enumerate()
        .find(|(_, r)| r[column] != sweep.fingerprint)
    {
        return Err(CliError::Data(format!(
            "{}: row {}: field `sweep`: `{}` is another sweep's fingerprint (this one is {}); rerun the sweep or pass its own rows",
            path.display(),
            i + 1,
            other[column],
            sweep.fingerprint
        )));
    }
    Ok(file.records)
}

fn sweep_report(
    ui: &Ui,
    args: &ReportArgs,
    pool: &rayon::ThreadPool,
) -> Result<ExitCode, CliError> {
    let sweep = load_sweep(&args.input)?;
    strict_gate(
        ui,
        &sweep.base_warnings,
        args.strict || sweep.base.checks.strict,
    )?;
    let settings = settings(&sweep.base, &args.solver)?;
    let header = rows::header(&sweep);
    let (records, source) = match &args.rows {
        Some(path) => (
            read_rows(&sweep, path, &header)?,
            format!("read from {}", path.display()),
        ),
        None => {
            let bar = Bar::new(ui.quiet, "");
            let mut emit = |_: &engine::Row| {};
            let tick = |d, t| bar.tell(d, t);
            let rows = pool.install(|| {
                engine::run(&sweep, &settings, &RunOptions::default(), &mut emit, &tick)
            });
            drop(bar);
            let records = rows.iter().map(|r| rows::record(&sweep, r)).collect();
            (
                records,
                format!("solved now ({} solver)", settings.backend.name()),
            )
        }
    };
    let file = args.input.display().to_string();
    let view = sweep_view(&sweep, &file, &source, &header, &records);
    write(ui, &args.output, &sweep_page(&view))?;
    let failed = view.failed();
    if failed > 0 {
        return Err(CliError::CheckFailed(format!(
            "{failed} of {} variants failed (listed in the report)",
            view.rows.len()
        )));
    }
    Ok(ExitCode::Success)
}
