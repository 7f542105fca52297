//! `forcegen solve`: solve a scenario and report the verified plan, with its asks list.

use crate::analysis::asks::asks;
use crate::pipeline::{PlanError, solve_with_relaxation_telling};
use crate::report::document::{AsksDoc, asks_doc};
use crate::report::{infeasible_doc, render, result_doc};
use crate::solve::{OnStage, StageTiming, StageValue, Status};

use std::sync::Arc;
use std::time::Instant;

use super::SolveArgs;
use super::common::{
    CliError, ExitCode, Ui, format_or_default, infeasible_message, load_scenario, plan_failure,
    print, settings, write_out,
};
use super::timings;

pub fn run(ui: &Ui, args: &SolveArgs) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let scenario = load_scenario(ui, &args.scenario, args.strict)?;
    let mut outer = crate::report::timings::Outer {
        load: started.elapsed().as_secs_f64(),
        ..crate::report::timings::Outer::default()
    };
    let settings = settings(&scenario, &args.solver)?;
    let format = format_or_default(args.output.format);
    // With -v, each stage as it ends (the asks' re-solves below are not told).
    let on_stage = ui.verbose.then(|| Arc::new(tell_stage) as OnStage);
    let solved = solve_with_relaxation_telling(&scenario, &settings, on_stage);
    match solved {
        Ok(planned) => {
            ui.detail(&format!(
                "solved with {} in {:.3}s ({})",
                settings.backend.name(),
                planned.plan.seconds,
                planned.plan.status.name()
            ));
            if planned.plan.status == Status::TimeLimit {
                ui.note("warning: the time limit cut the solve short; the plan is the best found and verified");
            }
            let seconds = args.output.timings.then_some(planned.plan.seconds);
            let report_started = Instant::now();
            let mut doc = result_doc(&scenario, &planned, seconds);
            outer.report = report_started.elapsed().as_secs_f64();
            let asks_started = Instant::now();
            // The asks compare re-solves with the base stage by stage, which means something
            // only when the base is optimal.
            doc.asks = if args.no_asks {
                AsksDoc {
                    note: Some("not computed: --no-asks".into()),
                    ..AsksDoc::default()
                }
            } else if planned.plan.status == Status::Optimal {
                let bar = super::progress::Bar::new(ui.quiet, "asks: one extra unit per offer");
                let asks = asks(&scenario, &settings, &planned, &|d, t| bar.tell(d, t));
                drop(bar);
                ui.detail(&format!(
                    "asks: {} relaxation(s) screened, {} re-solve(s) with one extra unit, {} improving offer(s){}",
                    asks.screened,
                    asks.resolved,
                    asks.extra_units.len(),
                    asks.searched.as_ref().map_or(String::new(), |s| format!(" ({s})"))
                ));
                if let Some(note) = &asks.note {
                    ui.note(&format!("note: {note}"));
                }
                asks_doc(&scenario, &planned, &asks)
            } else {
                AsksDoc {
                    note: Some("not computed: the time limit cut the solve short".into()),
                    ..AsksDoc::default()
                }
            };
            outer.asks = asks_started.elapsed().as_secs_f64();
            let report_started = Instant::now();
            if let Some(dir) = &args.output.out {
                write_out(dir, &doc)?;
            }
            print(&render(&doc, format, &args.tables))?;
            outer.report += report_started.elapsed().as_secs_f64();
            outer.total = started.elapsed().as_secs_f64();
            if ui.verbose || args.output.timings {
                eprint!(
                    "{}",
                    crate::report::timings::breakdown(
                        &outer,
                        &planned.timings,
                        timings::peak_memory_bytes()
                    )
                );
            }
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
            print(&render(&doc, format, &args.tables))?;
            let message = infeasible_message(&scenario, &floors);
            Err(CliError::Infeasible(message))
        }
        Err(err) => Err(plan_failure(&scenario, settings.backend, err)),
    }
}

/// Tells a stage on stderr as it ends (`solve -v`: a solve of an hour shows its progress).
fn tell_stage(stage: &StageValue, timing: &StageTiming) {
    use std::io::Write;
    // A closed or full stderr is no reason to stop the solve.
    let _ = writeln!(
        std::io::stderr().lock(),
        "stage {} solved in {:.3} s: {}",
        stage.name,
        timing.build_seconds + timing.solve_seconds,
        stage.value
    );
}
