//! `forcegen compare A B`: two scenarios, or saved `result.json` files, side by side.

use std::path::Path;

use crate::output::write_all;
use crate::pipeline::{PlanError, solve_scenario};
use crate::report::compare::{Side, compare, heading, json, tables};
use crate::report::{Format, TableName, result_doc};
use crate::scenario::Scenario;

use super::common::{
    CliError, ExitCode, Ui, format_or_default, infeasible_message, load_scenario, plan_failure,
    print, settings,
};
use super::{CompareArgs, SolverArgs};

/// One input, read but not yet solved: both inputs are read before anything is solved,
/// so that a bad second file fails at once.
enum Input {
    Saved(Box<Side>),
    Scenario(Box<Scenario>),
}

/// Whether `path` is a saved result: a `.json` name, or content that opens with `{`.
/// `Ok(None)` for anything else (a scenario, or a file `scenario::load` will report on).
fn saved_bytes(path: &Path) -> Result<Option<Vec<u8>>, CliError> {
    let by_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    match std::fs::read(path) {
        Ok(bytes) => {
            let opens_object = bytes
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|&b| b == b'{');
            Ok((by_name || opens_object).then_some(bytes))
        }
        Err(e) if by_name => {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "file not found".to_string()
            } else {
                format!("cannot read: {e}")
            };
            Err(CliError::NoInput(format!("{}: {why}", path.display())))
        }
        Err(_) => Ok(None),
    }
}

fn read(ui: &Ui, path: &Path) -> Result<Input, CliError> {
    let Some(bytes) = saved_bytes(path)? else {
        return Ok(Input::Scenario(Box::new(load_scenario(ui, path, false)?)));
    };
    let bad = |message: String| CliError::Data(format!("{}: {message}", path.display()));
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        bad(format!(
            "not a result JSON ({e}); give a scenario TOML or the JSON of `forcegen solve`"
        ))
    })?;
    let side = Side::from_json(&value).map_err(|e| bad(e.to_string()))?;
    Ok(Input::Saved(Box::new(side)))
}

fn solve(ui: &Ui, path: &Path, input: Input, solver: &SolverArgs) -> Result<Side, CliError> {
    let scenario = match input {
        Input::Saved(side) => return Ok(*side),
        Input::Scenario(scenario) => scenario,
    };
    let settings = settings(&scenario, solver)?;
    let planned = match solve_scenario(&scenario, &settings) {
        Ok(planned) => planned,
        Err(PlanError::Infeasible(floors)) => {
            let message = infeasible_message(&scenario, &floors);
            return Err(CliError::Infeasible(format!(
                "{}: {message}",
                path.display()
            )));
        }
        Err(err) => return Err(plan_failure(&scenario, settings.backend, err)),
    };
    ui.detail(&format!(
        "{}: solved with {} in {:.3}s ({})",
        path.display(),
        settings.backend.name(),
        planned.plan.seconds,
        planned.plan.status.name()
    ));
    if planned.plan.status == crate::solve::Status::TimeLimit {
        ui.note(&format!(
            "warning: {}: the time limit cut the solve short; the plan is the best found and verified",
            path.display()
        ));
    }
    // The document a saved result.json would hold: its numbers are rounded when made, so
    // that a scenario and its own result.json compare equal.
    Ok(Side::from_doc(&result_doc(&scenario, &planned, None)))
}

pub fn run(ui: &Ui, args: &CompareArgs) -> Result<ExitCode, CliError> {
    let format = format_or_default(args.output.format);
    let wanted: Vec<TableName> = args.tables.clone();
    let input_a = read(ui, &args.a)?;
    let input_b = read(ui, &args.b)?;
    let a = solve(ui, &args.a, input_a, &args.solver)?;
    let b = solve(ui, &args.b, input_b, &args.solver)?;
    let source_a = args.a.display().to_string();
    let source_b = args.b.display().to_string();
    for (side, source) in [(&a, &source_a), (&b, &source_b)] {
        if side.coverage.is_none() {
            ui.note(&format!(
                "note: {source} is {}: it has no plan, so only coverage and stages are set side by side",
                side.status
            ));
        }
    }
    let comparison = compare(&a, &source_a, &b, &source_b);
    if let Some(dir) = &args.output.out {
        let mut files: Vec<(String, Vec<u8>)> = tables(&comparison, false)
            .iter()
            .map(|t| (format!("{}.csv", t.name), crate::report::csv(t)))
            .collect();
        files.push(("compare.json".to_string(), json(&comparison)));
        write_all(dir, &files)?;
    }
    let bytes = if format == Format::Json {
        json(&comparison)
    } else {
        let mut all = tables(&comparison, format != Format::Csv);
        if !wanted.is_empty() {
            all.retain(|t| wanted.iter().any(|w| w.name() == t.name));
        }
        match format {
            Format::Csv if all.len() == 1 => crate::report::csv(&all[0]),
            Format::Csv => crate::report::csv_sections(&all),
            Format::Markdown => crate::report::markdown(&heading(&comparison), &all),
            _ => crate::report::text(&heading(&comparison), &all),
        }
    };
    print(&bytes)?;
    Ok(ExitCode::Success)
}
