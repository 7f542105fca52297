//! `-v` / `--timings`: where the time of a solve went, and the peak memory, as the text
//! printed to stderr.

use std::fmt::Write as _;

use crate::pipeline::Timings;

/// Seconds of the steps the pipeline does not time itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outer {
    /// Reading and validating the scenario.
    pub load: f64,
    /// The asks list (re-solves).
    pub asks: f64,
    /// Building the result document, rendering and writing it.
    pub report: f64,
    /// Everything, from the start of the command.
    pub total: f64,
}

/// The timing breakdown as printed. "Own work" is everything but the solver proper:
/// parse and validate, formulate, the translation of each stage for the solver, verify
/// and report; its share is of the end-to-end time without the asks list.
pub fn breakdown(outer: &Outer, timings: &Timings, peak_memory: Option<u64>) -> String {
    let build: f64 = timings.stages.iter().map(|s| s.build_seconds).sum();
    let solver: f64 = timings.stages.iter().map(|s| s.solve_seconds).sum();
    let own =
        outer.load + timings.formulate_seconds + build + timings.verify_seconds + outer.report;
    let end_to_end = (outer.total - outer.asks).max(f64::MIN_POSITIVE);
    let mut out = String::from("timings (seconds, wall clock):\n");
    let mut line = |name: &str, seconds: f64, extra: String| {
        let _ = writeln!(out, "  {name:<22} {seconds:>9.3}{extra}");
    };
    let split = |b: f64, s: f64| format!("  (translation {b:.3}, solver {s:.3})");
    line("parse+validate", outer.load, String::new());
    line("formulate", timings.formulate_seconds, String::new());
    line("solve", build + solver, split(build, solver));
    for stage in &timings.stages {
        line(
            &format!("  {}", stage.name),
            stage.build_seconds + stage.solve_seconds,
            split(stage.build_seconds, stage.solve_seconds),
        );
    }
    line("verify", timings.verify_seconds, String::new());
    line("asks", outer.asks, String::new());
    line("report", outer.report, String::new());
    line("total", outer.total, String::new());
    line(
        "own work",
        own,
        format!(
            "  ({:.1}% of end-to-end without the asks)",
            100.0 * own / end_to_end
        ),
    );
    match peak_memory {
        Some(bytes) => {
            let _ = writeln!(
                out,
                "peak memory: {:.1} MiB",
                bytes as f64 / (1024.0 * 1024.0)
            );
        }
        None => out.push_str("peak memory: unknown on this platform\n"),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::StageTiming;

    #[test]
    fn own_work_share_counts_everything_but_the_solver_and_asks() {
        let timings = Timings {
            formulate_seconds: 1.0,
            stages: vec![StageTiming {
                name: "priority-1".into(),
                build_seconds: 1.0,
                solve_seconds: 6.0,
            }],
            verify_seconds: 0.5,
        };
        let outer = Outer {
            load: 1.0,
            asks: 10.0,
            report: 0.5,
            total: 20.0,
        };
        let text = breakdown(&outer, &timings, Some(3 * 1024 * 1024));
        assert!(text.contains("(40.0% of end-to-end"), "{text}");
        assert!(text.contains("(translation 1.000, solver 6.000)"), "{text}");
        assert!(text.contains("peak memory: 3.0 MiB"), "{text}");
    }
}
