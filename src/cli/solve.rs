//! `forcegen solve`: solve a scenario and report the verified plan.

use crate::pipeline::{PlanError, solve_scenario};
use crate::report::{infeasible_doc, render, result_doc};

use super::SolveArgs;
use super::common::{
    CliError, ExitCode, Ui, format_or_default, infeasible_message, load_scenario, plan_failure,
    print, settings, write_out,
};

pub fn run(ui: &Ui, args: &SolveArgs) -> Result<ExitCode, CliError> {
    let scenario = load_scenario(ui, &args.scenario)?;
    let settings = settings(&scenario, &args.solver)?;
    let format = format_or_default(args.output.format);
    match solve_scenario(&scenario, &settings) {
        Ok(planned) => {
            ui.detail(&format!(
                "solved with {} in {:.3}s ({})",
                settings.backend.name(),
                planned.plan.seconds,
                planned.plan.status.name()
            ));
            if planned.plan.status == crate::solve::Status::TimeLimit {
                ui.note("warning: the time limit cut the solve short; the plan is the best found and verified");
            }
            let seconds = args.output.timings.then_some(planned.plan.seconds);
            let doc = result_doc(&scenario, &planned, seconds);
            if let Some(dir) = &args.output.out {
                write_out(dir, &doc)?;
            }
            print(&render(&doc, format, &args.output.tables))?;
            Ok(ExitCode::Success)
        }
        Err(PlanError::Infeasible(floors)) => {
            let doc = infeasible_doc(
                &scenario,
                &floors,
                settings.backend.name(),
                settings.integer,
            );
            if let Some(dir) = &args.output.out {
                write_out(dir, &doc)?;
            }
            print(&render(&doc, format, &args.output.tables))?;
            let message = infeasible_message(&scenario, &floors);
            Err(CliError::new(ExitCode::Infeasible, message))
        }
        Err(err) => Err(plan_failure(&scenario, err)),
    }
}
