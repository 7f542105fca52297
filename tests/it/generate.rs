//! `forcegen generate`: deterministic, valid, solvable, of the size asked, with the
//! flagship's mix of features; and the phase timings of `solve -v`.

use forcegen::generate::{GenerateSpec, generate};
use forcegen::pipeline::solve_scenario;
use forcegen::scenario::{Measure, SolverSettings, load};

use crate::common::{code, forcegen, stderr};

fn spec(members: usize, offers_per_member: usize, requirements: usize, seed: u64) -> GenerateSpec {
    GenerateSpec {
        members,
        offers_per_member,
        requirements,
        phases: 3,
        seed,
        offers_per_capability: 40,
        lp: false,
    }
}

fn write(spec: &GenerateSpec) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    forcegen::output::write_all(dir.path(), &generate(spec)).unwrap();
    dir
}

/// The scenario `spec` generates with `--lp`, loaded.
fn generated_lp(mut spec: GenerateSpec) -> forcegen::scenario::Scenario {
    spec.lp = true;
    let dir = write(&spec);
    load(&dir.path().join("scenario.toml")).unwrap().scenario
}

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_data() {
    let args = |dir: &std::path::Path, seed: &str| {
        let out = dir.to_str().unwrap().to_string();
        let output = forcegen(&[
            "generate",
            "--members",
            "20",
            "--offers-per-member",
            "6",
            "--requirements",
            "30",
            "--phases",
            "2",
            "--seed",
            seed,
            "--out",
            &out,
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        files(dir)
    };
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let first = args(a.path(), "7");
    let second = args(b.path(), "7");
    let other = args(c.path(), "8");
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "members.csv",
            "offers.csv",
            "requirements.csv",
            "scenario.toml",
            "substitutions.csv"
        ]
    );
    assert_eq!(first, second);
    let offers = |files: &[(String, Vec<u8>)]| files[1].1.clone();
    assert_ne!(offers(&first), offers(&other));
}

#[test]
fn a_generated_scenario_loads_without_problems_at_the_size_asked_and_solves() {
    let spec = spec(35, 10, 50, 1);
    let dir = write(&spec);
    let loaded = load(&dir.path().join("scenario.toml")).expect("the scenario is valid");
    let s = loaded.scenario;
    assert_eq!(s.members.len(), 35);
    assert_eq!(s.offers.len(), 350);
    assert_eq!(s.requirements.len(), 50);
    assert_eq!(s.phases.len(), 3);
    assert!(!s.phases[0].sustained && s.phases[2].sustained);
    // Generated scenarios of this size are hard whole-unit models (random troop counts make
    // the caps knapsacks): the relaxation here, whole units on a small one below.
    let relaxed = SolverSettings {
        integer: false,
        ..SolverSettings::default()
    };
    let planned = solve_scenario(&s, &relaxed).expect("floors can be met");
    let overall = planned.figures.coverage.overall;
    assert!(overall > 0.3 && overall < 1.0, "{overall}");
    assert!(
        s.solver.integer,
        "generated scenarios plan in whole units unless --lp"
    );
}

#[test]
fn a_small_generated_scenario_solves_in_whole_units() {
    let dir = write(&spec(6, 3, 8, 2));
    let s = load(&dir.path().join("scenario.toml")).unwrap().scenario;
    let settings = crate::common::at_scale(&s.solver);
    let planned = solve_scenario(&s, &settings).expect("floors can be met");
    assert_eq!(planned.plan.status, forcegen::solve::Status::Optimal);
    if settings.integer {
        assert!(crate::common::in_whole_units(&planned));
    }
}

#[test]
fn a_generated_scenario_has_the_flagships_mix_of_features() {
    let dir = write(&spec(200, 10, 400, 3));
    let s = load(&dir.path().join("scenario.toml")).unwrap().scenario;
    let r = &s.requirements;
    assert!(!s.substitutions.is_empty());
    assert!(s.fairness.is_some());
    assert!(r.iter().any(|q| q.measure == Measure::Units));
    assert!(r.iter().any(|q| q.measure == Measure::Troops));
    assert!(r.iter().any(|q| matches!(q.measure, Measure::Equipment(_))));
    assert!(r.iter().any(|q| q.minimum > 0.0), "floors");
    assert!(r.iter().any(|q| q.max_share < 1.0), "share caps");
    assert!(r.iter().any(|q| q.min_members > 1), "min_members");
    assert!(
        r.iter().any(|q| q.lead.is_some() && q.lead_share > 0.0),
        "leads"
    );
    assert!(r.iter().any(|q| q.max_readiness_days.is_some()));
    assert!(r.iter().any(|q| !q.excluded_caveats.is_empty()));
    assert!(s.members.iter().any(|m| !m.caveats.is_empty()));
    assert!(s.members.iter().any(|m| m.max_troops.is_some()));
    assert!(s.members.iter().any(|m| m.max_cost.is_some()));
    assert!(s.members.iter().all(|m| m.burden_key.is_some()));
    assert!(s.offers.iter().any(|o| o.rotation > 1.0));
    assert!(s.offers.iter().any(|o| o.phases.len() < s.phases.len()));
    assert!(s.offers.iter().any(|o| !o.equipment.is_empty()));
    for domain in ["land", "sea", "air"] {
        let d = s.domain_index(domain).unwrap();
        assert!(s.offers.iter().any(|o| o.domain == d), "{domain}");
    }
}

#[test]
fn floors_can_be_met_together_for_many_seeds_in_whole_units_too() {
    for seed in 1..=6 {
        let mut spec = spec(12, 5, 25, seed);
        // Without binaries, so that the whole-unit solves stay quick.
        spec.lp = true;
        let dir = write(&spec);
        let s = load(&dir.path().join("scenario.toml")).unwrap().scenario;
        for integer in [false, true] {
            let settings = SolverSettings {
                integer,
                time_limit_s: 3.0,
                ..SolverSettings::default()
            };
            if let Err(err) = solve_scenario(&s, &settings) {
                panic!("seed {seed}, integer {integer}: {err}");
            }
        }
    }
}

#[test]
fn lp_leaves_out_min_members_so_the_model_has_no_integers() {
    let s = generated_lp(spec(200, 10, 400, 3));
    assert!(s.requirements.iter().all(|q| q.min_members == 1));
    assert!(!s.solver.integer, "--lp allows fractions of units");
    let f = forcegen::model::formulate(&s, Default::default());
    assert!(!f.lp.has_integers());
}

#[test]
fn bigger_scenarios_keep_about_the_same_pairs_per_requirement() {
    let pairs = |spec: GenerateSpec| {
        let dir = write(&spec);
        let s = load(&dir.path().join("scenario.toml")).unwrap().scenario;
        forcegen::model::formulate(&s, Default::default())
            .pairs
            .len() as f64
            / s.requirements.len() as f64
    };
    let small = pairs(spec(100, 20, 200, 1));
    let large = pairs(spec(400, 20, 800, 1));
    assert!(
        large < 2.0 * small && large > 0.5 * small,
        "{small} vs {large}"
    );
}

/// `generate` with these sizes, into a fresh directory: exit code, stderr, and whether
/// anything was written.
fn generate_sizes(members: &str, offers: &str, requirements: &str) -> (i32, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    let output = forcegen(&[
        "generate",
        "--members",
        members,
        "--offers-per-member",
        offers,
        "--requirements",
        requirements,
        "--out",
        out.to_str().unwrap(),
    ]);
    (code(&output), stderr(&output), out.exists())
}

#[test]
fn a_size_of_zero_is_a_usage_error() {
    let (code, _, written) = generate_sizes("0", "3", "5");
    assert_eq!(code, 2);
    assert!(!written);
}

/// A generated LP on which microlp's simplex broke down ("Singular matrix" in the burden
/// stage) while the burden column was t itself, its coefficient of 1 beside member weights
/// of up to millions; with the column scaled (see `model::burden::burden_scale`) it solves, and the
/// plan passes the independent check.
#[test]
fn microlp_solves_a_generated_lp_whose_burden_rows_once_broke_its_simplex() {
    let scenario = generated_lp(spec(30, 10, 60, 20));
    let settings = SolverSettings {
        backend: forcegen::scenario::Backend::Microlp,
        ..scenario.solver.clone()
    };
    let planned = solve_scenario(&scenario, &settings).expect("solved and verified");
    assert!(planned.plan.stages.iter().any(|s| s.name == "burden"));
}

/// A generated 40x10x80 LP (seed 3) on which microlp 0.6 put the burden optimum 3e-7 below
/// the true one (3,321,719.77, as HiGHS has it), so the cost stage was infeasible with its
/// holds. Loosening every hold let the cost stage trade 1e-5 of the priority stages for 4%
/// of burden and 13% of cost (16,843 instead of 19,274), and the checker refused the plan.
/// Only the last hold is loosened now. With one more unit of M001's fighter squadron, 0.6
/// ends every attempt at the cost stage in "Singular matrix"; microlp 0.7 solves it.
#[test]
fn microlp_solves_a_generated_lp_whose_burden_optimum_it_put_below_the_true_one() {
    // HiGHS's cost optimum for the scenario, recorded.
    const HIGHS_COST: f64 = 19_273.9;
    let scenario = generated_lp(spec(40, 10, 80, 3));
    let settings = SolverSettings {
        backend: forcegen::scenario::Backend::Microlp,
        ..scenario.solver.clone()
    };
    let cost = |planned: &forcegen::pipeline::Planned| {
        planned
            .plan
            .stages
            .iter()
            .find(|s| s.name == "cost")
            .expect("a cost stage")
            .value
    };
    let planned = solve_scenario(&scenario, &settings).expect("solved and verified");
    assert!(
        (cost(&planned) - HIGHS_COST).abs() < 1e-4 * HIGHS_COST,
        "{}",
        cost(&planned)
    );
    let mut more = scenario.clone();
    let fighters = more
        .offers
        .iter()
        .position(|o| o.id == "M001/fighter_sqn/1")
        .expect("the offer");
    more.offers[fighters].units += 1.0;
    let planned = solve_scenario(&more, &settings).expect("solved and verified");
    // One fighter squadron more moves the cost a little, not by the 13% a trade of the
    // holds gave.
    assert!(
        (cost(&planned) - HIGHS_COST).abs() < 0.01 * HIGHS_COST,
        "{}",
        cost(&planned)
    );
}

#[test]
fn sizes_past_the_loaders_row_limit_are_refused_before_anything_is_written() {
    // 2,000 x 60 = 120,000 offers: the loader takes at most 100,000 rows a table.
    let (code, err, written) = generate_sizes("2000", "60", "5");
    assert_eq!(code, 2);
    assert!(
        err.contains("--members x --offers-per-member") && err.contains("120000 offers"),
        "{err}"
    );
    assert!(!written);
}

#[test]
fn solve_verbose_reports_each_step_and_the_peak_memory() {
    let output = forcegen(&[
        "solve",
        "scenarios/tutorial/scenario.toml",
        "--no-asks",
        "--format",
        "json",
        "-v",
    ]);
    assert_eq!(code(&output), 0);
    let err = stderr(&output);
    for step in [
        "parse+validate",
        "formulate",
        "priority-1",
        "cost",
        "verify",
        "report",
        "own work",
        "peak memory",
    ] {
        assert!(err.contains(step), "{step} missing in:\n{err}");
    }
    // Each stage as it ends, before the breakdown.
    let told = err
        .find("stage priority-1 solved in")
        .expect("progress told");
    assert!(told < err.find("timings").unwrap(), "{err}");
}

/// The eligibility index (candidate lists with inline offer data, caveats and phases as
/// bits) finds exactly the pairs, and coefficients, of the rule applied to every offer and
/// requirement; also past 64 caveats or phases, where it falls back to the offers.
#[test]
fn the_offer_index_agrees_with_the_rule_on_every_pair() {
    use forcegen::scenario::{OfferIndex, Phase, Scenario};
    fn brute(s: &Scenario) -> Vec<Vec<(usize, f64)>> {
        s.requirements
            .iter()
            .map(|r| {
                (0..s.offers.len())
                    .filter_map(|o| s.coefficient(&s.offers[o], r).map(|a| (o, a)))
                    .collect()
            })
            .collect()
    }
    fn indexed(s: &Scenario) -> Vec<Vec<(usize, f64)>> {
        let index = OfferIndex::new(s);
        s.requirements
            .iter()
            .map(|r| index.eligible(s, r))
            .collect()
    }
    let dir = write(&spec(40, 6, 120, 11));
    let base = load(&dir.path().join("scenario.toml")).unwrap().scenario;
    let pairs: usize = brute(&base).iter().map(Vec::len).sum();
    assert!(pairs > 500, "{pairs} pairs");
    assert_eq!(indexed(&base), brute(&base));

    // 70 caveats: some members get extra ones, some requirements exclude them.
    let mut many_caveats = base.clone();
    for (m, member) in many_caveats.members.iter_mut().enumerate() {
        member.caveats.push(format!("extra_{}", m % 70));
    }
    for (q, r) in many_caveats.requirements.iter_mut().enumerate() {
        if q % 3 == 0 {
            r.excluded_caveats.push(format!("extra_{}", q % 70));
        }
    }
    assert_eq!(indexed(&many_caveats), brute(&many_caveats));
    assert_ne!(
        brute(&many_caveats),
        brute(&base),
        "the extra caveats exclude pairs"
    );

    // 70 phases: the scenario's phases moved past bit 63.
    let mut many_phases = base.clone();
    let shift = 67;
    let mut phases: Vec<Phase> = (0..shift)
        .map(|p| Phase {
            id: format!("early_{p}"),
            sustained: false,
        })
        .collect();
    phases.extend(base.phases.iter().cloned());
    many_phases.phases = phases;
    for offer in &mut many_phases.offers {
        offer.phases = offer.phases.iter().map(|p| p + shift).collect();
    }
    for r in &mut many_phases.requirements {
        r.phase += shift;
    }
    assert_eq!(indexed(&many_phases), brute(&many_phases));
    let pairs_moved: usize = brute(&many_phases).iter().map(Vec::len).sum();
    assert_eq!(pairs_moved, pairs);
}
