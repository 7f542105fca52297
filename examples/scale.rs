//! Build cost of one generated scenario size: load + validate time, formulate time (best
//! of a few runs), eligible pairs and the process's peak memory after both (no solve).
//! One size per process, so that the peak memory is this size's own.
//!
//! `cargo run --release --example scale -- MEMBERS OFFERS_PER_MEMBER REQUIREMENTS [RUNS]`
//! prints one line: `members offers requirements pairs rows load_s formulate_s peak_mib`.
//! `benches/perf.sh 2` runs it at doubling sizes and prints the ratios.

use std::time::Instant;

use forcegen::generate::{GenerateSpec, generate};
use forcegen::model::{FormulationOptions, formulate};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| {
            a.parse()
                .expect("whole numbers: MEMBERS OFFERS REQUIREMENTS [RUNS]")
        })
        .collect();
    let [members, offers_per_member, requirements, ..] = args[..] else {
        eprintln!("usage: scale MEMBERS OFFERS_PER_MEMBER REQUIREMENTS [RUNS]");
        std::process::exit(2);
    };
    let runs = args.get(3).copied().unwrap_or(3).max(1);
    let spec = GenerateSpec {
        members,
        offers_per_member,
        requirements,
        phases: 3,
        seed: 1,
        offers_per_capability: 40,
        lp: true,
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    forcegen::output::write_all(dir.path(), &generate(&spec)).expect("writes the scenario");
    let path = dir.path().join("scenario.toml");

    let started = Instant::now();
    let scenario = forcegen::scenario::load(&path)
        .expect("a valid scenario")
        .scenario;
    let load_s = started.elapsed().as_secs_f64();

    let mut formulate_s = f64::INFINITY;
    let mut size = (0, 0);
    for _ in 0..runs {
        let started = Instant::now();
        let f = formulate(&scenario, FormulationOptions::default());
        formulate_s = formulate_s.min(started.elapsed().as_secs_f64());
        size = (f.pairs.len(), f.lp.rows.len());
    }
    let peak_mib = forcegen::cli::peak_memory_bytes().map_or(f64::NAN, |b| b as f64 / 1048576.0);
    println!(
        "{members} {offers_per_member} {requirements} {} {} {load_s:.4} {formulate_s:.4} {peak_mib:.1}",
        size.0, size.1
    );
}
