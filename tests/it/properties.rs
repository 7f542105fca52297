//! Property tests on random small scenarios: every plan passes the independent checker
//! (the LP relaxation on microlp, and whole units with the default solver), a plan of the
//! default settings is never fractional, more supply never makes the lexicographic
//! objective worse and less never better, the LP relaxation is never worse than the integer
//! model, and (with the `highs` feature) both backends agree on every stage value.
//!
//! Scenarios are generated as TOML text with inline tables and go through the real loader
//! (`forcegen::scenario::load_str`), so every generated scenario is one a user could write.
//! Failing cases shrink to a small scenario, are kept in
//! `tests/proptest-regressions/properties.txt` and are replayed first on every run; each
//! bug they found is also a named `regression_*` test at the end of this file.

use std::fmt::Write as _;
use std::path::Path;

use forcegen::analysis::variant::remove_members;
use forcegen::pipeline::{PlanError, Planned, solve_scenario};
use forcegen::plan::check::check;
use forcegen::scenario::{Scenario, SolverSettings, load_str};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const CAPABILITIES: [&str; 3] = ["inf_bn", "armd_bn", "frigate"];
const DOMAINS: [&str; 2] = ["land", "sea"];

#[derive(Clone, Debug)]
struct MemberSpec {
    max_troops: Option<u32>,
    burden_key: Option<u32>,
    caveat: bool,
}

#[derive(Clone, Debug)]
struct OfferSpec {
    member: usize,
    capability: usize,
    domain: usize,
    /// In half units: 1 = 0.5 units.
    half_units: u32,
    troops_per_unit: u32,
    cost_per_unit: u32,
    readiness_days: u32,
    rotation: u32,
    /// Bit i set: available in phase i; 0 for every phase.
    phases: u8,
    ifv: u32,
}

#[derive(Clone, Debug)]
struct RequirementSpec {
    domain: usize,
    /// `CAPABILITIES.len()` for `*`.
    capability: usize,
    phase: usize,
    /// 0 units, 1 troops, 2 equipment:ifv.
    measure: u8,
    target: u32,
    /// Fraction of the target, in tenths, as a hard floor.
    minimum_tenths: u32,
    priority: u8,
    max_readiness_days: Option<u32>,
    max_share_tenths: Option<u32>,
    min_members: u32,
    exclude_caveat: bool,
    lead: Option<(usize, u32)>,
}

#[derive(Clone, Debug)]
struct ScenarioSpec {
    sustained: Vec<bool>,
    members: Vec<MemberSpec>,
    offers: Vec<OfferSpec>,
    requirements: Vec<RequirementSpec>,
    /// (required, substitute, factor in tenths)
    substitutions: Vec<(usize, usize, u32)>,
    fairness: Option<bool>,
}

/// What the generator may use: `rich` adds leads and fairness, which make "fewer members
/// is never better" untrue (a withdrawn lead's soft target and a withdrawn member's
/// burden go with them), so that property runs without them.
fn scenario_spec(rich: bool) -> impl Strategy<Value = ScenarioSpec> {
    let members = prop::collection::vec(
        (
            prop::option::weighted(0.3, 1u32..=8),
            prop::option::weighted(0.7, 1u32..=20),
            prop::bool::weighted(0.2),
        )
            .prop_map(move |(cap, key, caveat)| MemberSpec {
                max_troops: cap.map(|c| c * 250),
                burden_key: key.filter(|_| rich),
                caveat,
            }),
        1..=4,
    );
    (
        prop::collection::vec(any::<bool>(), 1..=2),
        members,
        prop::option::weighted(0.5, any::<bool>()),
    )
        .prop_flat_map(move |(sustained, members, fairness)| {
            let fairness = fairness.filter(|_| rich);
            let n_members = members.len();
            let n_phases = sustained.len();
            let offer = (
                0..n_members,
                0..CAPABILITIES.len(),
                0..DOMAINS.len(),
                1u32..=8,
                prop::sample::select(vec![0u32, 50, 250, 500]),
                0u32..=50,
                0u32..=60,
                1u32..=3,
                0u8..(1 << n_phases),
                prop::sample::select(vec![0u32, 0, 10, 40]),
            )
                .prop_map(
                    |(
                        member,
                        capability,
                        domain,
                        half_units,
                        troops_per_unit,
                        cost_per_unit,
                        readiness_days,
                        rotation,
                        phases,
                        ifv,
                    )| OfferSpec {
                        member,
                        capability,
                        domain,
                        half_units,
                        troops_per_unit,
                        cost_per_unit,
                        readiness_days,
                        rotation,
                        phases,
                        ifv,
                    },
                );
            let requirement = (
                (
                    0..DOMAINS.len(),
                    0..=CAPABILITIES.len(),
                    0..n_phases,
                    0u8..=2,
                    1u32..=6,
                    prop::sample::select(vec![0u32, 0, 0, 0, 3, 10]),
                    1u8..=3,
                ),
                (
                    prop::option::weighted(0.2, 0u32..=60),
                    prop::option::weighted(0.2, 3u32..=9),
                    prop::sample::select(vec![1u32, 1, 1, 1, 2]),
                    prop::bool::weighted(0.2),
                    prop::option::weighted(0.2, (0..n_members, 1u32..=10)),
                ),
            )
                .prop_map(
                    move |(
                        (domain, capability, phase, measure, target, minimum_tenths, priority),
                        (max_readiness_days, max_share_tenths, min_members, exclude_caveat, lead),
                    )| RequirementSpec {
                        domain,
                        capability,
                        phase,
                        measure,
                        target,
                        minimum_tenths,
                        priority,
                        max_readiness_days,
                        max_share_tenths,
                        min_members,
                        exclude_caveat,
                        lead: lead.filter(|_| rich),
                    },
                );
            (
                Just(sustained),
                Just(members),
                prop::collection::vec(offer, 1..=6),
                prop::collection::vec(requirement, 1..=5),
                prop::collection::vec(
                    (0..CAPABILITIES.len(), 0..CAPABILITIES.len(), 5u32..=20),
                    0..=2,
                ),
                Just(fairness),
            )
        })
        .prop_map(
            |(sustained, members, offers, requirements, substitutions, fairness)| ScenarioSpec {
                sustained,
                members,
                offers,
                requirements,
                substitutions,
                fairness,
            },
        )
}

fn member_id(m: usize) -> String {
    format!("M{m}")
}

/// The scenario as a TOML file with inline tables.
fn render(spec: &ScenarioSpec) -> String {
    let mut t = String::from("[scenario]\nname = \"generated\"\ndomains = [\"land\", \"sea\"]\n\n");
    for (p, sustained) in spec.sustained.iter().enumerate() {
        writeln!(t, "[[phase]]\nid = \"p{p}\"\nsustained = {sustained}\n").unwrap();
    }
    if let Some(cost) = spec.fairness {
        let fairness = if cost { "cost" } else { "troops" };
        writeln!(t, "[objective]\nfairness = \"{fairness}\"\n").unwrap();
    }
    for (m, member) in spec.members.iter().enumerate() {
        writeln!(t, "[[members]]\nid = \"{}\"", member_id(m)).unwrap();
        if let Some(cap) = member.max_troops {
            writeln!(t, "max_troops = {cap}").unwrap();
        }
        if let Some(key) = member.burden_key {
            writeln!(t, "burden_key = {key}").unwrap();
        }
        if member.caveat {
            writeln!(t, "caveats = [\"no_combat\"]").unwrap();
        }
        t.push('\n');
    }
    for o in &spec.offers {
        writeln!(
            t,
            "[[offers]]\nmember = \"{}\"\ncapability = \"{}\"\ndomain = \"{}\"\nunits = {}\ntroops_per_unit = {}\ncost_per_unit = {}\nreadiness_days = {}\nrotation = {}",
            member_id(o.member),
            CAPABILITIES[o.capability],
            DOMAINS[o.domain],
            f64::from(o.half_units) / 2.0,
            o.troops_per_unit,
            o.cost_per_unit,
            o.readiness_days,
            o.rotation
        )
        .unwrap();
        if o.phases != 0 {
            let phases: Vec<String> = (0..spec.sustained.len())
                .filter(|p| o.phases & (1 << p) != 0)
                .map(|p| format!("\"p{p}\""))
                .collect();
            writeln!(t, "phases = [{}]", phases.join(", ")).unwrap();
        }
        if o.ifv > 0 {
            writeln!(t, "equipment = [\"ifv:{}\"]", o.ifv).unwrap();
        }
        t.push('\n');
    }
    for (q, r) in spec.requirements.iter().enumerate() {
        let capability = CAPABILITIES.get(r.capability).copied().unwrap_or("*");
        let (measure, target) = match r.measure {
            0 => ("units", f64::from(r.target)),
            1 => ("troops", f64::from(r.target * 250)),
            _ => ("equipment:ifv", f64::from(r.target * 20)),
        };
        writeln!(
            t,
            "[[requirements]]\nid = \"r{q}\"\ndomain = \"{}\"\ncapability = \"{capability}\"\nphase = \"p{}\"\nmeasure = \"{measure}\"\ntarget = {target}\nminimum = {}\npriority = {}\nmin_members = {}",
            DOMAINS[r.domain],
            r.phase,
            target * f64::from(r.minimum_tenths) / 10.0,
            r.priority,
            r.min_members
        )
        .unwrap();
        if let Some(days) = r.max_readiness_days {
            writeln!(t, "max_readiness_days = {days}").unwrap();
        }
        if let Some(share) = r.max_share_tenths {
            writeln!(t, "max_share = {}", f64::from(share) / 10.0).unwrap();
        }
        if r.exclude_caveat {
            writeln!(t, "excluded_caveats = [\"no_combat\"]").unwrap();
        }
        if let Some((lead, share)) = r.lead {
            writeln!(
                t,
                "lead = \"{}\"\nlead_share = {}",
                member_id(lead),
                f64::from(share) / 10.0
            )
            .unwrap();
        }
        t.push('\n');
    }
    // Only substitutions the format allows: required asked for, substitute offered, not
    // the same capability, each pair once.
    let mut seen = Vec::new();
    for &(required, substitute, factor) in &spec.substitutions {
        let asked = spec.requirements.iter().any(|r| r.capability == required);
        let offered = spec.offers.iter().any(|o| o.capability == substitute);
        if required == substitute || !asked || !offered || seen.contains(&(required, substitute)) {
            continue;
        }
        seen.push((required, substitute));
        writeln!(
            t,
            "[[substitutions]]\nrequired = \"{}\"\nsubstitute = \"{}\"\nfactor = {}\n",
            CAPABILITIES[required],
            CAPABILITIES[substitute],
            f64::from(factor) / 10.0
        )
        .unwrap();
    }
    t
}

fn load(spec: &ScenarioSpec) -> Scenario {
    let text = render(spec);
    match load_str(&text, Path::new("generated.toml"), Path::new(".")) {
        Ok(loaded) => loaded.scenario,
        Err(err) => panic!("the generator wrote an invalid scenario:\n{err}\n\n{text}"),
    }
}

/// The LP relaxation on microlp (the defaults before whole units were). A requirement with
/// `min_members` > 1 makes even the LP a MIP: a gap of 0 makes its stages exact optima,
/// which the properties are about.
fn lp() -> SolverSettings {
    SolverSettings {
        backend: forcegen::scenario::Backend::Microlp,
        integer: false,
        mip_gap: 0.0,
        ..SolverSettings::default()
    }
}

/// The default settings (HiGHS and whole units in the default build) with exact optima.
fn whole() -> SolverSettings {
    SolverSettings {
        mip_gap: 0.0,
        time_limit_s: 20.0,
        ..SolverSettings::default()
    }
}

/// Solves; infeasibility is an outcome (None), any other failure fails the property.
fn solve(scenario: &Scenario, settings: &SolverSettings) -> Result<Option<Planned>, TestCaseError> {
    match solve_scenario(scenario, settings) {
        Ok(planned) => Ok(Some(planned)),
        Err(PlanError::Infeasible(_)) => Ok(None),
        Err(PlanError::Unverified(violations)) => {
            let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
            Err(TestCaseError::fail(format!(
                "the plan failed the checker:\n  {}\nin the scenario:\n{}",
                list.join("\n  "),
                describe(scenario)
            )))
        }
        Err(err) => Err(TestCaseError::fail(format!(
            "no plan: {err}\nin the scenario:\n{}",
            describe(scenario)
        ))),
    }
}

/// A scenario's offers and requirements, for failure messages.
fn describe(scenario: &Scenario) -> String {
    format!(
        "members {:?}\noffers {:?}\nrequirements {:?}\nsubstitutions {:?}\nfairness {:?}",
        scenario.members,
        scenario.offers,
        scenario.requirements,
        scenario.substitutions,
        scenario.fairness
    )
}

fn stage_values(planned: &Planned) -> Vec<(String, f64)> {
    planned
        .plan
        .stages
        .iter()
        .map(|s| (s.name.clone(), s.value))
        .collect()
}

/// Equal within 1e-5 relative. Each stage is held at its optimum + 1e-7 relative (see
/// `src/solve/mod.rs`), and a later stage may trade that hold for more than 1e-7 of its own
/// objective (at a rate of 10 troops per unit of priority, say): two solves that differ
/// only by such trades differ by a few 1e-6. The generated data are small whole numbers
/// and halves, so any real difference between two optima is far above 1e-5.
fn tolerance(x: f64) -> f64 {
    1e-5 * x.abs().max(1.0)
}

/// Fails unless `better` is lexicographically no worse than `worse`, stage by stage: the
/// first stage where `better` is better decides; `better` may be worse only within the
/// tolerance.
fn assert_lex_no_worse(
    better: &[(String, f64)],
    worse: &[(String, f64)],
    what: &str,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(better.len(), worse.len(), "{}: different stages", what);
    for (i, ((name, b), (other, w))) in better.iter().zip(worse).enumerate() {
        if name != other {
            // Only the tie-breaker can differ: `cost`, or `troops` / `units` when no offer
            // left has a cost. Different objectives are not comparable.
            prop_assert!(
                i + 1 == better.len(),
                "{}: stages {} and {}",
                what,
                name,
                other
            );
            return Ok(());
        }
        // Any real gain decides, however small: the holds let an earlier stage give up
        // 1e-7 of its value, which a fractional plan can turn into a gain of 1e-6 in a later
        // stage (a regression case), while whole units cannot.
        if *b < w - 1e-9 * w.abs().max(1.0) {
            return Ok(());
        }
        prop_assert!(
            *b <= w + tolerance(*w),
            "{}: stage {} is {} against {} (all stages: {:?} against {:?})",
            what,
            name,
            b,
            w,
            better,
            worse
        );
    }
    Ok(())
}

/// `cases` per property; `PROPTEST_CASES=N` runs N instead (a longer hunt).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(96))]

    /// Every plan forcegen reports passes the independent checker (the pipeline checks it;
    /// this checks again, and that nothing but infeasibility stops a plan).
    #[test]
    fn every_plan_passes_the_checker(spec in scenario_spec(true)) {
        let scenario = load(&spec);
        for settings in [lp(), whole()] {
            if let Some(planned) = solve(&scenario, &settings)? {
                let verdict = check(&scenario, &planned.plan, &planned.figures);
                prop_assert!(verdict.is_ok(), "{:?}", verdict.err());
            }
        }
    }

    /// The default settings plan in whole units: no assignment is a fraction of a unit.
    #[test]
    fn a_default_plan_is_never_fractional(spec in scenario_spec(true)) {
        let scenario = load(&spec);
        let settings = SolverSettings::default();
        prop_assert!(settings.integer);
        if let Some(planned) = solve(&scenario, &settings)? {
            prop_assert!(planned.plan.integer);
            for a in &planned.plan.assignments {
                prop_assert!(a.units == a.units.round() && a.units > 0.0, "{} units", a.units);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// More units in one offer: the feasible set only grows, so the lexicographic optimum
    /// cannot get worse (and a feasible scenario stays feasible).
    #[test]
    fn more_units_never_make_it_worse(
        spec in scenario_spec(true),
        pick in any::<prop::sample::Index>(),
        extra in 1u32..=4,
    ) {
        let base = load(&spec);
        let mut more = base.clone();
        let o = pick.index(more.offers.len());
        more.offers[o].units += f64::from(extra) / 2.0;
        let Some(before) = solve(&base, &lp())? else { return Ok(()) };
        let after = solve(&more, &lp())?;
        prop_assert!(after.is_some(), "more units made a feasible scenario infeasible");
        let after = after.unwrap();
        assert_lex_no_worse(&stage_values(&after), &stage_values(&before), "more units")?;
    }

    /// A member withdrawn (with its offers): never better. Leads and fairness are left out
    /// of these scenarios (see `scenario_spec`).
    #[test]
    fn fewer_members_never_make_it_better(
        spec in scenario_spec(false),
        pick in any::<prop::sample::Index>(),
    ) {
        let base = load(&spec);
        let mut fewer = base.clone();
        let m = pick.index(fewer.members.len());
        let id = fewer.members[m].id.clone();
        remove_members(&mut fewer, &[id]);
        let Some(after) = solve(&fewer, &lp())? else { return Ok(()) };
        let before = solve(&base, &lp())?;
        prop_assert!(before.is_some(), "withdrawing a member made an infeasible scenario feasible");
        let before = before.unwrap();
        assert_lex_no_worse(&stage_values(&before), &stage_values(&after), "fewer members")?;
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// Whole units only is a restriction: the LP relaxation is never lexicographically worse.
    #[test]
    fn lp_relaxation_is_never_worse_than_integer(spec in scenario_spec(true)) {
        let scenario = load(&spec);
        let integer = SolverSettings { integer: true, ..whole() };
        let Some(whole) = solve(&scenario, &integer)? else { return Ok(()) };
        prop_assume!(whole.plan.status == forcegen::solve::Status::Optimal);
        let relaxed = solve(&scenario, &lp())?;
        prop_assert!(relaxed.is_some(), "the LP relaxation is infeasible but the integer model is not");
        let relaxed = relaxed.unwrap();
        assert_lex_no_worse(&stage_values(&relaxed), &stage_values(&whole), "LP against integer")?;
    }
}

#[cfg(feature = "highs")]
proptest! {
    #![proptest_config(config(64))]

    /// microlp and HiGHS find the same optimum, stage by stage.
    #[test]
    fn microlp_and_highs_agree_on_every_stage(spec in scenario_spec(true)) {
        let scenario = load(&spec);
        let highs = SolverSettings { backend: forcegen::scenario::Backend::Highs, ..lp() };
        let a = solve(&scenario, &lp())?;
        let b = solve(&scenario, &highs)?;
        prop_assert_eq!(a.is_some(), b.is_some(), "one backend found the scenario infeasible");
        if let (Some(a), Some(b)) = (a, b) {
            // A solve that had to loosen its holds for round-off (1e-5 instead of 1e-7)
            // may trade that much of an earlier stage, at the rate of the later one.
            let hold = a.plan.hold_tolerance.max(b.plan.hold_tolerance);
            let (a, b) = (stage_values(&a), stage_values(&b));
            prop_assert_eq!(a.len(), b.len());
            for ((name, x), (_, y)) in a.iter().zip(&b) {
                prop_assert!(
                    (x - y).abs() <= tolerance(*x).max(1e3 * hold * x.abs().max(1.0)),
                    "stage {}: microlp {} HiGHS {} ({:?} against {:?})", name, x, y, a, b
                );
            }
        }
    }
}

/// Found by `more_units_never_make_it_worse`: the cost stage used its 1e-7 hold on
/// priority-1 to move 5e-7 of a 500-troop unit onto a troops requirement; snapping that
/// value to 0 left the requirement 0.00025 troops short, priority-1 1.1e-6 worse than
/// reported, and the plan was refused (exit 70). Snapping now keeps every row it would break.
#[test]
fn regression_snapping_a_held_trade_to_zero_broke_the_plan() {
    let text = r#"
[scenario]
domains = ["land", "sea"]
[[phase]]
id = "p0"
sustained = true
[[members]]
id = "M0"
[[offers]]
member = "M0"
capability = "armd_bn"
domain = "sea"
units = 2
troops_per_unit = 50
[[offers]]
member = "M0"
capability = "armd_bn"
domain = "sea"
units = 4
troops_per_unit = 50
cost_per_unit = 2
[[offers]]
member = "M0"
capability = "inf_bn"
domain = "sea"
units = 0.5
troops_per_unit = 500
[[requirements]]
id = "r0"
domain = "sea"
capability = "*"
measure = "troops"
target = 250
priority = 1
[[requirements]]
id = "r1"
domain = "sea"
capability = "inf_bn"
target = 5
priority = 1
"#;
    let scenario = load_str(text, Path::new("regression.toml"), Path::new("."))
        .expect("the scenario is valid")
        .scenario;
    let planned = solve_scenario(&scenario, &lp()).expect("a verified plan");
    let values = stage_values(&planned);
    assert_eq!(values[0].0, "priority-1");
    assert!((values[0].1 - 0.9).abs() < 1e-6, "{values:?}");
}

fn solve_text(text: &str) -> Planned {
    let scenario = load_str(text, Path::new("regression.toml"), Path::new("."))
        .expect("the scenario is valid")
        .scenario;
    match solve_scenario(&scenario, &lp()) {
        Ok(planned) => planned,
        Err(PlanError::Unverified(v)) => panic!("the plan failed the checker: {v:?}"),
        Err(err) => panic!("no plan: {err}"),
    }
}

/// Found by `every_plan_passes_the_checker`: a pure LP whose cost stage lowered the cost
/// burden 1.8e-6 below the burden stage's reported optimum (the simplex had stopped that
/// close to it). The checker took a plan better than reported for a wrong value; it now
/// allows the simplex's optimality tolerance on that side.
#[test]
fn regression_lp_plan_slightly_better_than_its_burden_stage() {
    let planned = solve_text(
        r#"
[scenario]
domains = ["land", "sea"]
[[phase]]
id = "p0"
[objective]
fairness = "cost"
[[members]]
id = "M0"
max_troops = 2000
caveats = ["no_combat"]
[[members]]
id = "M1"
burden_key = 6
[[offers]]
member = "M1"
capability = "frigate"
domain = "sea"
units = 0.5
troops_per_unit = 50
cost_per_unit = 2
[[requirements]]
id = "r0"
domain = "sea"
capability = "frigate"
target = 6
priority = 3
[[requirements]]
id = "r1"
domain = "sea"
capability = "frigate"
measure = "troops"
target = 750
priority = 1
"#,
    );
    let burden = stage_values(&planned)
        .into_iter()
        .find(|s| s.0 == "burden")
        .expect("a burden stage");
    assert!((burden.1 - 1.0).abs() < 1e-5, "{burden:?}");
}

/// Found by `every_plan_passes_the_checker`: `min_members` = 2 makes the LP a MIP (binary
/// "member contributes" columns), whose stages are optimal only within the MIP gap; a later
/// stage found a plan with a better burden than the burden stage reported, and the checker,
/// which took the model for a pure LP, refused it.
#[test]
fn regression_min_members_makes_stage_values_mip_values() {
    let text = r#"
[scenario]
domains = ["land", "sea"]
[[phase]]
id = "p0"
sustained = true
[objective]
fairness = "troops"
[[members]]
id = "M0"
burden_key = 1
[[offers]]
member = "M0"
capability = "frigate"
domain = "land"
units = 0.5
troops_per_unit = 50
cost_per_unit = 1
rotation = 2
equipment = ["ifv:10"]
[[offers]]
member = "M0"
capability = "inf_bn"
domain = "land"
units = 0.5
cost_per_unit = 1
[[requirements]]
id = "r0"
domain = "land"
capability = "inf_bn"
measure = "troops"
target = 250
priority = 3
[[requirements]]
id = "r1"
domain = "land"
capability = "frigate"
measure = "troops"
target = 250
priority = 2
[[requirements]]
id = "r2"
domain = "land"
capability = "inf_bn"
target = 1
priority = 1
min_members = 2
"#;
    let scenario = load_str(text, Path::new("regression.toml"), Path::new("."))
        .expect("the scenario is valid")
        .scenario;
    // With the default MIP gap, as a user would run it, in the LP relaxation on microlp.
    let settings = SolverSettings {
        mip_gap: SolverSettings::default().mip_gap,
        ..lp()
    };
    let planned = solve_scenario(&scenario, &settings);
    assert!(
        !matches!(planned, Err(PlanError::Unverified(_))),
        "{:?}",
        planned.err()
    );
}

/// Found by `microlp_and_highs_agree_on_every_stage` (with HiGHS): a stage retried with its
/// holds loosened to 1e-5 for round-off let the cost stage lower the cost burden 2e-5
/// (relative) below the burden stage's value, beyond what the checker allowed for a plan
/// better than reported. The allowance now scales with the hold the solve actually used.
#[test]
fn regression_loosened_hold_traded_below_the_burden_stage() {
    let text = r#"
[scenario]
domains = ["land", "sea"]
[[phase]]
id = "p0"
sustained = true
[objective]
fairness = "cost"
[[members]]
id = "M0"
burden_key = 2
[[offers]]
member = "M0"
capability = "armd_bn"
domain = "land"
units = 1.5
cost_per_unit = 22
rotation = 3
[[offers]]
member = "M0"
capability = "frigate"
domain = "land"
units = 3
troops_per_unit = 500
[[requirements]]
id = "r0"
domain = "land"
capability = "armd_bn"
target = 1
priority = 1
"#;
    let scenario = load_str(text, Path::new("regression.toml"), Path::new("."))
        .expect("the scenario is valid")
        .scenario;
    for backend in forcegen::scenario::Backend::ALL {
        if !forcegen::solve::is_available(backend) {
            continue;
        }
        let settings = SolverSettings { backend, ..lp() };
        let planned = solve_scenario(&scenario, &settings);
        assert!(
            !matches!(planned, Err(PlanError::Unverified(_))),
            "{}: {:?}",
            backend.name(),
            planned.err()
        );
    }
}

/// Found by `microlp_and_highs_agree_on_every_stage` (HiGHS): priority-2 used its hold on
/// priority-1 to cover 1.06e-6 of a unit; the burden and cost stages kept 0.96e-6 of it,
/// which the final snap took for round-off of 0, so the plan's priority-2 came out 1.06e-6
/// worse than reported and the checker refused it. Snapping may now make a held stage worse
/// by at most half of what the checker allows.
#[test]
fn regression_snapping_undid_a_later_stage_trade() {
    let member = |max_troops, burden_key, caveat| MemberSpec {
        max_troops,
        burden_key: Some(burden_key),
        caveat,
    };
    let requirement = |capability, target, priority, min_members| RequirementSpec {
        domain: 1,
        capability,
        phase: 0,
        measure: 0,
        target,
        minimum_tenths: 0,
        priority,
        max_readiness_days: None,
        max_share_tenths: None,
        min_members,
        exclude_caveat: false,
        lead: None,
    };
    let spec = ScenarioSpec {
        sustained: vec![true],
        members: vec![
            member(Some(1250), 6, true),
            member(None, 11, false),
            member(None, 6, false),
            member(None, 20, true),
        ],
        offers: vec![OfferSpec {
            member: 1,
            capability: 1,
            domain: 1,
            half_units: 1,
            troops_per_unit: 0,
            cost_per_unit: 0,
            readiness_days: 0,
            rotation: 1,
            phases: 0,
            ifv: 0,
        }],
        requirements: vec![requirement(0, 5, 1, 2), requirement(1, 1, 2, 1)],
        substitutions: vec![(0, 1, 9)],
        fairness: Some(true),
    };
    let scenario = load(&spec);
    let mut backends = vec![lp()];
    if cfg!(feature = "highs") {
        backends.push(SolverSettings {
            backend: forcegen::scenario::Backend::Highs,
            ..lp()
        });
    }
    for settings in backends {
        // `solve_scenario` runs the plan checker: a refused plan is an error.
        let planned = solve_scenario(&scenario, &settings).expect("a verified plan");
        let values = stage_values(&planned);
        assert_eq!(values[0].0, "priority-1");
        assert!((values[0].1 - 1.91).abs() < 1e-6, "{values:?}");
    }
}
