//! `forcegen export`: the files' structure and names, the stage choice, errors; with the
//! `highs` feature, HiGHS reads every exported stage of the tutorial and the flagship and
//! finds the same optimum as `solve`.

use std::path::Path;

use crate::common::{code, forcegen, scenario, stderr};

fn export(scenario_name: &str, extra: &[&str], dir: &Path) -> (String, String) {
    let mps = dir.join("model.mps");
    let lp = dir.join("model.lp");
    let path = scenario(scenario_name);
    let mut args = vec![
        "export",
        path.to_str().unwrap(),
        "--mps",
        mps.to_str().unwrap(),
        "--lp",
        lp.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = forcegen(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    (
        std::fs::read_to_string(mps).unwrap(),
        std::fs::read_to_string(lp).unwrap(),
    )
}

#[test]
fn the_first_stage_is_the_default_and_holds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mps, lp) = export("tutorial", &["--relax"], dir.path());
    assert!(mps.contains(" N stage(priority_1)\n"), "{mps}");
    assert!(!mps.contains("hold("), "{mps}");
    assert!(lp.starts_with("\\ forcegen model of `Tutorial"), "{lp}");
    assert!(lp.contains("stage 1 of 4: minimise `priority-1` (linear)"));
    // priority-1: land-reassurance-1 (troops, target 2000) and air-policing-1 (units, 2).
    assert!(
        lp.contains(
            "Minimize\n stage(priority_1): + 0.0005 s(land_reassurance_1) + 0.5 s(air_policing_1)\n"
        ),
        "{lp}"
    );
}

#[test]
fn a_later_stage_holds_every_earlier_one_at_its_optimum() {
    let dir = tempfile::tempdir().unwrap();
    let (mps, lp) = export("tutorial", &["--stage", "cost", "--relax"], dir.path());
    // The tutorial's optimum (EXPECTED.md): priority-1 = 0, priority-2 = 0.5, priority-3 = 0,
    // held with the relative slack 1e-7 max(1, |value|).
    for line in [
        " hold(priority_1): + 0.0005 s(land_reassurance_1) + 0.5 s(air_policing_1) <= 1e-7\n",
        " hold(priority_2): + 0.5 s(maritime_security_1) + 0.5 s(mine_countermeasures_1) <= 0.5000001\n",
        " hold(priority_3): + 0.0125 s(ifv_in_theatre_1) + 1 s(land_presence_1) <= 1e-7\n",
    ] {
        assert!(lp.contains(line), "missing {line:?} in\n{lp}");
    }
    assert!(
        mps.contains("    RHS hold(priority_2) 0.5000001\n"),
        "{mps}"
    );
    // Readable names: offer and requirement, made legal.
    assert!(lp.contains(" + 500 x(GBR.armoured_bn.1,land_reassurance_1)"));
    assert!(lp.contains(" max_troops(GBR,deployment): "));
    assert!(lp.contains(" capacity(FRA.mech_inf_bn.1,deployment): "));
    assert!(mps.contains("    x(FRA.frigate.1,maritime_security_1) stage(cost) 30\n"));
    // The relaxation of a scenario without multinationality has no integer columns.
    assert!(!mps.contains("MARKER"));
    assert!(!lp.contains("General") && !lp.contains("Binary"));
    // Every name is legal in both formats: no token holds `[`, `]` or `/`, and a `-` is
    // only ever a minus sign or part of a number.
    for text in [&mps, &lp] {
        let body = text.lines().filter(|l| !l.starts_with(['*', '\\']));
        for token in body.flat_map(str::split_whitespace) {
            assert!(!token.contains(['[', ']', '/']), "{token:?}");
            assert!(
                !token.contains('-') || token == "-" || token.parse::<f64>().is_ok(),
                "{token:?}"
            );
        }
    }
}

#[test]
fn integer_models_mark_their_integer_columns() {
    let dir = tempfile::tempdir().unwrap();
    // Whole units are the default (`--integer` stays accepted).
    let (mps, lp) = export("tutorial", &[], dir.path());
    assert_eq!(
        export("tutorial", &["--integer"], dir.path()),
        (mps.clone(), lp.clone())
    );
    let start = mps.find("'MARKER' 'INTORG'").unwrap();
    let end = mps.find("'MARKER' 'INTEND'").unwrap();
    assert!(
        mps[start..end].contains("x(FRA.mech_inf_bn.1,land_reassurance_1)"),
        "{mps}"
    );
    assert!(
        !mps[start..end].contains("    s("),
        "shortfalls are continuous"
    );
    assert!(mps[end..].contains("    s(land_reassurance_1) "));
    assert!(mps.contains(" UP BND x(FRA.mech_inf_bn.1,land_reassurance_1) 3\n"));
    assert!(lp.contains("General\n x(FRA.mech_inf_bn.1,land_reassurance_1)\n"));
    assert!(lp.contains("(mixed-integer)"));
}

#[test]
fn the_flagship_has_binaries_for_multinationality() {
    let dir = tempfile::tempdir().unwrap();
    // In the relaxation the binaries are the only integer columns.
    let (mps, lp) = export("paris-2026", &["--relax"], dir.path());
    assert!(mps.contains("'MARKER' 'INTORG'"));
    assert!(
        lp.contains("\nBinary\n y("),
        "binaries y(member, requirement)"
    );
    assert!(mps.lines().count() > 1000);
}

#[test]
fn bad_stage_names_and_missing_files_are_usage_errors() {
    let path = scenario("tutorial");
    let out = forcegen(&[
        "export",
        path.to_str().unwrap(),
        "--lp",
        "x.lp",
        "--stage",
        "burden",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out)
            .contains("no stage `burden` (its stages: priority-1, priority-2, priority-3, cost)"),
        "{}",
        stderr(&out)
    );
    let out = forcegen(&["export", path.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
}

#[test]
fn an_unwritable_target_exits_74_and_an_infeasible_later_stage_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario("tutorial");
    let target = dir.path().join("no-such-dir/sub").join("m.lp");
    std::fs::write(dir.path().join("no-such-dir"), "a file in the way").unwrap();
    let out = forcegen(&[
        "export",
        path.to_str().unwrap(),
        "--lp",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 74, "{}", stderr(&out));

    let infeasible = scenario("infeasible-floor");
    let lp = dir.path().join("first.lp");
    let out = forcegen(&[
        "export",
        infeasible.to_str().unwrap(),
        "--lp",
        lp.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "the first stage exports: {}", stderr(&out));
    let out = forcegen(&[
        "export",
        infeasible.to_str().unwrap(),
        "--lp",
        lp.to_str().unwrap(),
        "--stage",
        "cost",
    ]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[cfg(feature = "highs")]
mod with_highs {
    //! HiGHS reads the exported files (free MPS and CPLEX LP) through its C API and solves
    //! them: each stage's optimum equals the stage value `forcegen solve` reports.

    use std::path::Path;

    use crate::common::{code, forcegen, scenario, stderr, stdout};

    /// Reads and solves `path` with HiGHS; returns the optimal objective, or panics naming
    /// the file.
    fn highs_optimum(path: &Path, column: &str) -> f64 {
        forcegen::solve::file_optimum(path, column).unwrap_or_else(|e| panic!("{e}"))
    }

    fn stage_values(path: &Path) -> Vec<(String, f64)> {
        let out = forcegen(&[
            "solve",
            path.to_str().unwrap(),
            "--format",
            "json",
            "--no-asks",
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        crate::common::stage_values(&doc)
    }

    fn every_stage_solves_to_the_reported_value(name: &str, column: &str) {
        let path = scenario(name);
        let dir = tempfile::tempdir().unwrap();
        let stages = stage_values(&path);
        assert!(stages.len() >= 3, "{stages:?}");
        for (stage, expected) in &stages {
            let mps = dir.path().join(format!("{stage}.mps"));
            let lp = dir.path().join(format!("{stage}.lp"));
            let out = forcegen(&[
                "export",
                path.to_str().unwrap(),
                "--stage",
                stage,
                "--mps",
                mps.to_str().unwrap(),
                "--lp",
                lp.to_str().unwrap(),
            ]);
            assert_eq!(code(&out), 0, "{}", stderr(&out));
            for file in [&mps, &lp] {
                let value = highs_optimum(file, column);
                let tolerance = 1e-6 * expected.abs().max(1.0);
                assert!(
                    (value - expected).abs() <= tolerance,
                    "{name} stage {stage}: HiGHS on {} gives {value}, solve reported {expected}",
                    file.display()
                );
            }
        }
    }

    #[test]
    fn highs_solves_every_exported_stage_of_the_tutorial_to_solves_value() {
        every_stage_solves_to_the_reported_value(
            "tutorial",
            "x(GBR.armoured_bn.1,land_reassurance_1)",
        );
    }

    #[test]
    fn highs_solves_every_exported_stage_of_the_flagship_to_solves_value() {
        every_stage_solves_to_the_reported_value("paris-2026", "s(cm_isr_drones)");
    }
}
