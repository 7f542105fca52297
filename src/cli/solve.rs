//! `forcegen solve`: solve a scenario and report the verified plan.

use crate::pipeline::{PlanError, solve_scenario};
use crate::report::{infeasible_doc, render, result_doc};

use super::SolveArgs;
use super::common::{
    CliError, ExitCode, Ui, format_or_default, load_scenario, plan_failure, print, settings,
    write_out,
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
            let mut message = format!(
                "error: infeasible: {} hard floor(s) cannot be met",
                floors.len()
            );
            for floor in &floors {
                let r = &scenario.requirements[floor.requirement];
                message.push_str(&format!(
                    "\n  {}: minimum {} but at most {} reachable; eligible supply {} from {} offer(s)",
                    r.id,
                    crate::report::readable(floor.minimum),
                    crate::report::readable(floor.reachable),
                    crate::report::readable(floor.eligible_supply),
                    floor.eligible_offers.len()
                ));
            }
            Err(CliError::new(ExitCode::Infeasible, message))
        }
        Err(err) => Err(plan_failure(err)),
    }
}
