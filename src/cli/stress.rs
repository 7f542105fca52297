//! `forcegen stress`: withdraw every combination of k members, solve each variant, and rank
//! the withdrawals by the coverage they cost, overall and by domain; list the requirements
//! that a withdrawal leaves without any eligible offer (single points of failure).

use std::time::Instant;

use crate::analysis::stress::{combinations, stress};
use crate::output::write_all;
use crate::pipeline::solve_scenario;
use crate::report::stress::{SolverDoc, files as stress_files, render, stress_doc};
use crate::solve::Status;

use super::StressArgs;
use super::common::{
    CliError, ExitCode, Ui, format_or_default, load_scenario, plan_failure, print, settings,
    worker_pool,
};
use super::progress::Bar;

pub fn run(ui: &Ui, args: &StressArgs) -> Result<ExitCode, CliError> {
    let start = Instant::now();
    let scenario = load_scenario(ui, &args.scenario, args.strict)?;
    let settings = settings(&scenario, &args.solver)?;
    let format = format_or_default(args.output.format);
    let pool = worker_pool(args.jobs)?;
    let k = args.k as usize;

    let base = solve_scenario(&scenario, &settings)
        .map_err(|e| plan_failure(&scenario, settings.backend, e))?;
    if base.plan.status == Status::TimeLimit {
        ui.note("warning: the time limit cut the base solve short; losses are measured against the best plan found");
    }
    let total = combinations(scenario.members.len(), k).len();
    let bar = Bar::new(ui.quiet, &format!("stress k={k}"));
    let result = stress(&scenario, &settings, &base, k, &pool, &|d, t| {
        bar.tell(d, t)
    });
    drop(bar);
    let seconds = start.elapsed().as_secs_f64();
    ui.detail(&format!(
        "stress: {total} withdrawal(s) solved in {seconds:.3}s on {} thread(s)",
        pool.current_num_threads()
    ));

    let ranking = result.ranking(&scenario);
    let solver = SolverDoc {
        backend: settings.backend.name(),
        integer: settings.integer,
    };
    let doc = stress_doc(
        &scenario,
        &result,
        &ranking,
        solver,
        args.output.timings.then_some(seconds),
    );
    if let Some(dir) = &args.output.out {
        write_all(dir, &stress_files(&scenario, &result, &doc))?;
    }
    let bytes = render(&scenario, &result, &doc, format);
    print(&bytes)?;
    Ok(ExitCode::Success)
}
