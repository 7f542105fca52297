//! `forcegen export`: one lexicographic stage's model, earlier stages held at their optima,
//! as free MPS and/or CPLEX LP for other solvers.

use crate::model::export::{ExportModel, lp, mps, number};
use crate::model::{FormulationOptions, formulate};
use crate::output::write_file;
use crate::solve::{SolveError, SolveOptions, stage_holds};

use super::ExportArgs;
use super::common::{CliError, ExitCode, Ui, load_scenario, settings};

pub fn run(ui: &Ui, args: &ExportArgs) -> Result<ExitCode, CliError> {
    let scenario = load_scenario(ui, &args.scenario, false)?;
    let settings = settings(&scenario, &args.solver)?;
    let formulation = formulate(
        &scenario,
        FormulationOptions {
            integer: settings.integer,
            soft_floors: false,
        },
    );
    let names: Vec<&str> = formulation.stages.iter().map(|s| s.name.as_str()).collect();
    let index = match args.stage.as_deref() {
        None => 0,
        Some(wanted) => names.iter().position(|&n| n == wanted).ok_or_else(|| {
            CliError::Usage(format!(
                "--stage: this scenario has no stage `{wanted}` (its stages: {})",
                names.join(", ")
            ))
        })?,
    };
    let stage = &formulation.stages[index];
    let options = SolveOptions::from_settings(&settings);
    let holds = stage_holds(&formulation, &options, index).map_err(|err| match err {
        SolveError::Infeasible => CliError::Infeasible(format!(
                "infeasible: a hard floor cannot be met, so no stage after `{}` exists; export the first stage (without --stage) to inspect the model",
                names[0]
        )),
        SolveError::Unavailable(_) => CliError::Usage(err.to_string()),
        other => CliError::Internal(other.to_string()),
    })?;
    let mut comments = vec![
        format!("forcegen model of `{}`", scenario.name),
        format!(
            "stage {} of {}: minimise `{}` ({})",
            index + 1,
            names.len(),
            stage.name,
            if formulation.lp.has_integers() {
                "mixed-integer"
            } else {
                "linear"
            }
        ),
    ];
    if !holds.rows.is_empty() && formulation.lp.has_integers() {
        comments.push(
            "the holds' slack is 1e-7: solve with a MIP feasibility tolerance of 1e-9 (HiGHS: mip_feasibility_tolerance), coarser ones may call the held model infeasible"
                .into(),
        );
    }
    if holds.loosened {
        comments.push(
            "holds loosened by 1e-5 relative (the last, or all): the solver found the 1e-7 holds infeasible by round-off"
                .into(),
        );
    }
    for (held, row) in formulation.stages.iter().zip(&holds.rows) {
        comments.push(format!(
            "held: `{}` <= {} (its optimum with the relative slack of the solver's hold)",
            held.name,
            number(row.upper)
        ));
    }
    comments.push(format!(
        "{} columns, {} rows; names made legal: [ ] -> ( ), / -> ., other characters -> _",
        formulation.lp.columns.len(),
        formulation.lp.rows.len() + holds.rows.len()
    ));
    let objective_name = format!("stage[{}]", stage.name);
    let model = ExportModel {
        lp: &formulation.lp,
        extra_rows: &holds.rows,
        objective: &stage.objective,
        objective_name: &objective_name,
        comments,
    };
    if let Some(path) = &args.mps {
        write_file(path, &mps(&model))?;
        ui.note(&format!(
            "wrote {} (free MPS, stage `{}`)",
            path.display(),
            stage.name
        ));
    }
    if let Some(path) = &args.lp {
        write_file(path, &lp(&model))?;
        ui.note(&format!(
            "wrote {} (CPLEX LP, stage `{}`)",
            path.display(),
            stage.name
        ));
    }
    Ok(ExitCode::Success)
}
