//! Criterion benches of each step of a solve, on the shipped scenarios and on generated
//! ones of three sizes (members x offers per member x requirements): load + validate,
//! formulate, solve (HiGHS in the default build, microlp in every build), the asks list,
//! verify (figures and the independent checker), and sweep throughput.
//!
//! `cargo bench --bench pipeline`. The shipped scenarios are solved as they ask, in whole
//! units, by HiGHS, and in their LP relaxation by microlp (its branch and bound does not
//! finish the flagship). The generated scenarios are pure LPs (`generate --lp`), seed 1:
//! generated whole-unit models of these sizes are hard MIPs (minutes). microlp solves the
//! shipped and the small generated scenarios (the medium takes minutes); HiGHS solves up
//! to the medium; the large is limited to load, formulate and verify (its plan from one
//! time-limited HiGHS solve). Ten samples each.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

use forcegen::analysis::sweep::{self, RunOptions, Sweep};
use forcegen::generate::{GenerateSpec, generate};
use forcegen::model::{FormulationOptions, formulate};
use forcegen::pipeline::solve_scenario;
use forcegen::plan::check::check;
use forcegen::plan::figures;
use forcegen::scenario::{Backend, Scenario, SolverSettings, load};

/// A scenario to bench: its name, TOML path and size class.
struct Case {
    name: String,
    path: PathBuf,
    size: Size,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Size {
    Small,
    Medium,
    Large,
}

fn shipped(name: &str) -> Case {
    Case {
        name: name.to_string(),
        path: Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name)
            .join("scenario.toml"),
        size: Size::Small,
    }
}

/// Writes a generated scenario into `dir` and returns its case.
fn generated(dir: &Path, (members, offers, requirements): (usize, usize, usize)) -> Case {
    let name = format!("gen-{members}x{offers}x{requirements}");
    let spec = GenerateSpec {
        members,
        offers_per_member: offers,
        requirements,
        phases: 3,
        seed: 1,
        offers_per_capability: 40,
        lp: true,
    };
    let out = dir.join(&name);
    forcegen::output::write_all(&out, &generate(&spec)).expect("writes the scenario");
    Case {
        name,
        path: out.join("scenario.toml"),
        size: match members {
            ..100 => Size::Small,
            100..1000 => Size::Medium,
            _ => Size::Large,
        },
    }
}

fn scenario(case: &Case) -> Scenario {
    load(&case.path).expect("valid scenario").scenario
}

/// The scenario's own settings on `backend`: whole units where it asks for them, except
/// on microlp, which solves the relaxation.
fn settings(backend: Backend, s: &Scenario) -> SolverSettings {
    SolverSettings {
        backend,
        integer: s.solver.integer && backend == Backend::Highs,
        time_limit_s: 600.0,
        ..SolverSettings::default()
    }
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
}

fn cases(dir: &Path) -> Vec<Case> {
    vec![
        shipped("tutorial"),
        shipped("paris-2026"),
        generated(dir, (35, 10, 50)),
        generated(dir, (200, 30, 500)),
        generated(dir, (1000, 50, 5000)),
    ]
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cases = cases(dir.path());

    let mut group = c.benchmark_group("load+validate");
    configure(&mut group);
    for case in &cases {
        group.bench_function(&case.name, |b| b.iter(|| load(&case.path).expect("valid")));
    }
    group.finish();

    let mut group = c.benchmark_group("formulate");
    configure(&mut group);
    for case in &cases {
        let s = scenario(case);
        group.bench_function(&case.name, |b| {
            b.iter(|| formulate(&s, FormulationOptions::default()))
        });
    }
    group.finish();

    // microlp: the shipped scenarios and the small generated one (the medium takes minutes).
    let mut group = c.benchmark_group("solve-microlp");
    configure(&mut group);
    for case in cases.iter().filter(|c| c.size == Size::Small) {
        let s = scenario(case);
        let settings = settings(Backend::Microlp, &s);
        group.bench_function(&case.name, |b| {
            b.iter(|| solve_scenario(&s, &settings).expect("solves"))
        });
    }
    group.finish();

    #[cfg(feature = "highs")]
    {
        // The large one takes minutes a solve: it is solved once, for `verify` below.
        let mut group = c.benchmark_group("solve-highs");
        configure(&mut group);
        for case in cases.iter().filter(|c| c.size <= Size::Medium) {
            let s = scenario(case);
            let settings = settings(Backend::Highs, &s);
            group.bench_function(&case.name, |b| {
                b.iter(|| solve_scenario(&s, &settings).expect("solves"))
            });
        }
        group.finish();

        // The asks list of the shipped scenarios (whole units, HiGHS), beside their solve
        // above: the README's figure is the ratio of the two.
        let mut group = c.benchmark_group("asks-highs");
        configure(&mut group);
        for case in cases
            .iter()
            .filter(|c| c.path.starts_with(env!("CARGO_MANIFEST_DIR")))
        {
            let s = scenario(case);
            let settings = settings(Backend::Highs, &s);
            let planned = solve_scenario(&s, &settings).expect("solves");
            group.bench_function(&case.name, |b| {
                b.iter(|| forcegen::analysis::asks::asks(&s, &settings, &planned, &|_, _| {}))
            });
        }
        group.finish();
    }

    // The checker needs a plan: HiGHS's where compiled in (the large one's cut at two
    // minutes: a time-limited plan is verified all the same), else microlp's (up to small).
    let (backend, largest) = if cfg!(feature = "highs") {
        (Backend::Highs, Size::Large)
    } else {
        (Backend::Microlp, Size::Small)
    };
    let mut group = c.benchmark_group("verify");
    configure(&mut group);
    for case in cases.iter().filter(|c| c.size <= largest) {
        let s = scenario(case);
        let mut settings = settings(backend, &s);
        if case.size == Size::Large {
            settings.time_limit_s = 120.0;
        }
        let planned = solve_scenario(&s, &settings).expect("solves");
        group.bench_function(&case.name, |b| {
            b.iter(|| {
                let f = figures(&s, &planned.plan);
                check(&s, &planned.plan, &f).expect("the plan checks");
            })
        });
    }
    group.finish();

    // Sweep throughput: the flagship's CI sweep (its 7 variants) on one thread.
    let ci = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/paris-2026/ci-sweep.toml");
    let sweep = Sweep::load(&ci).expect("valid sweep");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    let mut group = c.benchmark_group("sweep");
    configure(&mut group);
    group.throughput(Throughput::Elements(sweep.variants.len() as u64));
    let mut backends = vec![Backend::Microlp];
    if cfg!(feature = "highs") {
        backends.push(Backend::Highs);
    }
    for backend in backends {
        let settings = settings(backend, &sweep.base);
        group.bench_function(format!("paris-2026-ci/{}", backend.name()), |b| {
            b.iter(|| {
                pool.install(|| {
                    sweep::run(
                        &sweep,
                        &settings,
                        &RunOptions::default(),
                        &mut |_| {},
                        &|_, _| {},
                    )
                })
            })
        });
    }
    group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
