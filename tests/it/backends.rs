//! With the `highs` feature (the default build): both backends agree on every stage value
//! of every shipped scenario where microlp can finish (the LP relaxations, and whole units
//! on the small scenarios), and HiGHS's kept model agrees with cold solves.

use forcegen::pipeline::solve_scenario;
use forcegen::scenario::{Backend, load};

use crate::common::root;

fn shipped() -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path().join("scenario.toml"))
        .filter(|p| p.exists())
        .collect();
    out.sort();
    out
}

fn stage_values(
    path: &std::path::Path,
    backend: Backend,
    integer: bool,
) -> Option<Vec<(String, f64)>> {
    let s = load(path).unwrap().scenario;
    let mut settings = s.solver.clone();
    settings.backend = backend;
    settings.integer = integer;
    settings.mip_gap = 0.0;
    match solve_scenario(&s, &settings) {
        Ok(p) => Some(
            p.plan
                .stages
                .iter()
                .map(|st| (st.name.clone(), st.value))
                .collect(),
        ),
        Err(forcegen::pipeline::PlanError::Infeasible(_)) => None,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

#[test]
fn microlp_and_highs_agree_on_every_stage_of_every_shipped_scenario() {
    for integer in [false, true] {
        for path in shipped() {
            // microlp's branch and bound does not finish the flagship's integer model in
            // reasonable time (that is what HiGHS is for), so whole units are compared on
            // the small scenarios only.
            if integer && path.to_string_lossy().contains("paris-2026") {
                continue;
            }
            let a = stage_values(&path, Backend::Microlp, integer);
            let b = stage_values(&path, Backend::Highs, integer);
            match (a, b) {
                (None, None) => {}
                (Some(a), Some(b)) => {
                    assert_eq!(a.len(), b.len());
                    for ((name, x), (_, y)) in a.iter().zip(&b) {
                        assert!(
                            (x - y).abs() <= 1e-6 * x.abs().max(y.abs()).max(1.0),
                            "{} (integer {integer}) stage {name}: microlp {x}, highs {y}",
                            path.display()
                        );
                    }
                }
                (a, b) => panic!("{}: feasibility differs: {a:?} vs {b:?}", path.display()),
            }
        }
    }
}

/// The stage values of `scenario` solved with HiGHS, kept model (`reuse`) or not.
/// The stage values of a HiGHS solve (kept model or cold), and how the solve went.
fn highs_solve(
    scenario: &forcegen::scenario::Scenario,
    reuse: bool,
) -> Result<(Vec<f64>, forcegen::solve::SolveStats), String> {
    let mut settings = scenario.solver.clone();
    settings.backend = Backend::Highs;
    settings.reuse = reuse;
    // Exact optima on both sides: with the default gap of 1e-4 a cold branch and bound may
    // stop at a plan that much worse, where the kept model settles on the exact optimum.
    settings.mip_gap = 0.0;
    match solve_scenario(scenario, &settings) {
        Ok(p) => Ok((
            p.plan.stages.iter().map(|s| s.value).collect(),
            p.plan.stats,
        )),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn highs_re_solving_a_kept_model_gives_the_stage_values_of_cold_solves() {
    use forcegen::analysis::sweep::Sweep;
    // The flagship's sweep in grid order, every 13th variant, solved one after the other on
    // this thread as a sweep worker does, then the CI sweep, in whole units.
    let mut checked = 0;
    let (mut kept, mut fell_back, mut relaxed, mut branched) = (0, 0, 0, 0);
    // The flagship's LP twin (min_members 1 everywhere) too: its stages are LPs, where the
    // kept model fixes the columns an optimal stage's reduced costs pin.
    for (file, step, lp) in [
        ("sweep.toml", 13, false),
        ("ci-sweep.toml", 1, false),
        ("sweep.toml", 13, true),
    ] {
        let sweep = Sweep::load(&root().join("scenarios/paris-2026").join(file)).unwrap();
        for variant in sweep.variants.iter().step_by(step) {
            let (mut scenario, _) = sweep.scenario(variant, sweep.base.solver.integer);
            if lp {
                for r in &mut scenario.requirements {
                    r.min_members = 1;
                }
            }
            let warm = highs_solve(&scenario, true).map(|(values, stats)| {
                kept += u32::from(stats.kept_model);
                fell_back += u32::from(stats.fell_back);
                relaxed += stats.relaxed;
                branched += stats.branched;
                values
            });
            let cold = highs_solve(&scenario, false).map(|(values, _)| values);
            match (&warm, &cold) {
                (Ok(w), Ok(c)) => {
                    assert_eq!(w.len(), c.len(), "{}", variant.id);
                    for (i, (x, y)) in w.iter().zip(c).enumerate() {
                        // A cold LP solve lets a later stage trade the 1e-7 hold of the earlier
                        // ones, at the later stage's rate (1e-7 of a priority bought 3 troops
                        // of burden on the flagship); the kept model holds an LP stage's optimum
                        // exactly where its reduced costs pin columns, and makes no such trade.
                        // The first stage holds nothing: there the two agree as closely as
                        // anywhere on the mixed-integer flagship.
                        let tolerance = if lp && i > 0 { 1e-4 } else { 1e-6 };
                        assert!(
                            (x - y).abs() <= tolerance * x.abs().max(y.abs()).max(1.0),
                            "{file} {}: kept model {w:?}, cold {c:?}",
                            variant.id
                        );
                    }
                }
                (Err(w), Err(c)) => assert_eq!(w, c, "{file} {}", variant.id),
                _ => panic!("{file} {}: kept model {warm:?}, cold {cold:?}", variant.id),
            }
            checked += 1;
        }
    }
    assert!(checked > 25);
    assert!(kept > 0);
    assert_eq!(fell_back, 0, "a kept-model solve failed");
    // The flagship's whole-unit stages are settled by their relaxation and a dive (the
    // first priorities, mostly) or by branch and bound (the later stages): both paths are
    // compared above.
    assert!(
        relaxed > 0 && branched > 0,
        "relaxed {relaxed}, branched {branched}"
    );
}

#[test]
fn highs_sweep_rows_are_identical_for_one_and_two_jobs() {
    // Each variant's solve starts from no basis, so what a worker solved before cannot
    // change its rows.
    let sweep = root().join("scenarios/paris-2026/ci-sweep.toml");
    let run = |jobs: &str| {
        let out = crate::common::forcegen(&[
            "sweep",
            sweep.to_str().unwrap(),
            "-q",
            "--solver",
            "highs",
            "--jobs",
            jobs,
        ]);
        assert_eq!(
            crate::common::code(&out),
            0,
            "{}",
            crate::common::stderr(&out)
        );
        crate::common::stdout(&out)
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn microlp_and_highs_agree_across_the_flagship_sweep() {
    use forcegen::analysis::sweep::Sweep;
    // Withdrawals, scaled demand and scaled pledges change which members can count
    // towards multinationality; both backends must still find the same stage values. In the
    // LP relaxation: microlp's branch and bound does not finish the flagship in whole units.
    let sweep = Sweep::load(&root().join("scenarios/paris-2026/sweep.toml")).unwrap();
    for variant in sweep.variants.iter().step_by(9) {
        let (scenario, _) = sweep.scenario(variant, false);
        let values = |backend| {
            let mut settings = scenario.solver.clone();
            settings.backend = backend;
            settings.integer = false;
            settings.mip_gap = 0.0;
            solve_scenario(&scenario, &settings)
                .map(|p| p.plan.stages.iter().map(|s| s.value).collect::<Vec<f64>>())
                .map_err(|e| e.to_string())
        };
        match (values(Backend::Microlp), values(Backend::Highs)) {
            (Ok(a), Ok(b)) => {
                let priorities = sweep.base.priority_levels().len();
                for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                    // The priorities agree closely. The burden and cost stages may trade the
                    // 1e-7 hold of a priority at their own rate, and the two backends trade
                    // differently: 1e-7 of a priority's shortfall has bought a hundred
                    // troop-shares of burden on this sweep (the kept HiGHS model holds an LP
                    // stage exactly where its reduced costs pin columns, microlp does not).
                    let tolerance = if i < priorities { 1e-6 } else { 2e-3 };
                    assert!(
                        (x - y).abs() <= tolerance * x.abs().max(y.abs()).max(1.0),
                        "{}: microlp {a:?}, highs {b:?}",
                        variant.id
                    );
                }
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{}", variant.id),
            (a, b) => panic!("{}: microlp {a:?}, highs {b:?}", variant.id),
        }
    }
}

#[test]
fn a_variant_solves_to_the_same_plan_whatever_its_thread_solved_before() {
    use forcegen::analysis::sweep::Sweep;
    // The flagship sweep's last 20 variants (withdrawals of the USA and Türkiye, across land
    // demand and air pledges), forwards and then backwards on this thread: each variant's
    // plan must not depend on what was solved before it. (A model loaded with the next
    // variant's numbers once told equally good plans apart differently.)
    let sweep = Sweep::load(&root().join("scenarios/paris-2026/sweep.toml")).unwrap();
    let variants = &sweep.variants[sweep.variants.len() - 20..];
    let plan = |variant| {
        let (scenario, _) = sweep.scenario(variant, true);
        match solve_scenario(&scenario, &scenario.solver) {
            Ok(p) => format!("{:?}", p.plan.assignments),
            Err(e) => e.to_string(),
        }
    };
    let forwards: Vec<String> = variants.iter().map(plan).collect();
    let backwards: Vec<String> = variants.iter().rev().map(plan).collect();
    for (i, (a, b)) in forwards.iter().zip(backwards.iter().rev()).enumerate() {
        assert_eq!(a, b, "{}", variants[i].id);
    }
}
