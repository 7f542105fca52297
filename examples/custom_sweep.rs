//! A sweep loop of one's own: the flagship scenario read from its files, one member's
//! pledge scaled from nothing to all of it in steps, every variant validated again and
//! solved in parallel (rayon; HiGHS runs one thread per model), and the coverage it buys
//! printed per priority level.
//!
//! `cargo run --release --example custom_sweep [MEMBER]` (default: USA)

use rayon::prelude::*;

use forcegen::{Outcome, Scenario, ScenarioBuilder, SolveOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let member = std::env::args().nth(1).unwrap_or_else(|| "USA".into());
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/paris-2026/scenario.toml");
    let base = Scenario::load(&path)?.scenario;
    if base.member_index(&member).is_none() {
        return Err(format!("no member `{member}` in {}", path.display()).into());
    }

    let steps: Vec<f64> = (0..=4).map(|i| f64::from(i) / 4.0).collect();
    let options = SolveOptions {
        relaxation: false,
        asks: false,
        ..SolveOptions::default()
    };
    let results: Vec<(f64, Result<Outcome, String>)> = steps
        .par_iter()
        .map(|&share| {
            let mut variant = ScenarioBuilder::from_scenario(&base);
            // Whole units only: a pledge cut to a share keeps the units it rounds down to;
            // an offer cut to nothing leaves the table.
            variant.offers.retain_mut(|o| {
                if o.member == member {
                    o.units = (o.units * share).floor();
                }
                o.units > 0.0
            });
            let solved = variant
                .build()
                .map_err(|e| e.to_string())
                .and_then(|loaded| {
                    forcegen::solve(&loaded.scenario, &options).map_err(|e| e.to_string())
                });
            (share, solved)
        })
        .collect();

    println!("{member}'s pledge   overall   priority 1   priority 2   priority 3");
    for (share, result) in results {
        match result {
            Ok(Outcome::Plan(plan)) => {
                let c = plan.coverage.as_ref().expect("a plan has coverage");
                let level = |p: &str| c.by_priority.get(p).map_or(f64::NAN, |v| v.raw());
                println!(
                    "{:>13.0}%   {:>6.1}%   {:>9.1}%   {:>9.1}%   {:>9.1}%",
                    100.0 * share,
                    100.0 * c.overall.raw(),
                    100.0 * level("1"),
                    100.0 * level("2"),
                    100.0 * level("3"),
                );
            }
            Ok(Outcome::Infeasible(doc)) => println!(
                "{:>13.0}%   no plan: {} hard floor(s) cannot be met",
                100.0 * share,
                doc.unmet_floors.len()
            ),
            Err(e) => println!("{:>13.0}%   error: {e}", 100.0 * share),
        }
    }
    Ok(())
}
