//! Every documented exit code (docs/spec.md, "Exit codes"), reached through the command line.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{
    assert_code, copy_scenario, entries, forcegen, forcegen_command, forcegen_with_fault, json,
    root, run, scenario, stderr, stdout,
};

fn tutorial() -> String {
    scenario("tutorial").display().to_string()
}

fn infeasible() -> String {
    scenario("infeasible-floor").display().to_string()
}

/// The tutorial scenario copied into `dir`, with its TOML passed through `edit`.
fn tutorial_copy(dir: &Path, edit: impl FnOnce(String) -> String) -> PathBuf {
    let target = copy_scenario("tutorial", dir);
    let toml = fs::read_to_string(&target).expect("the tutorial TOML");
    fs::write(&target, edit(toml)).expect("writing the scenario copy");
    target
}

/// The tutorial TOML without its `[checks]` section (the last section of the file).
fn without_checks(toml: String) -> String {
    let at = toml
        .find("\n[checks]")
        .expect("the tutorial has a [checks] section");
    toml[..at + 1].to_string()
}

const OUT_TABLES: &[&str] = &[
    "coverage.csv",
    "requirements.csv",
    "assignments.csv",
    "members.csv",
    "stages.csv",
    "shortfalls.csv",
];

// ---- 0: success -------------------------------------------------------------------------

#[test]
fn exit_0_solve_prints_json() {
    let out = forcegen(&["solve", &tutorial(), "--format", "json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["status"], "optimal", "{doc}");
    assert!(doc["coverage"]["overall"].is_number(), "{doc}");
    assert!(doc["schema_version"].is_number(), "{doc}");
}

#[test]
fn exit_0_validate_ok() {
    let out = forcegen(&["validate", &tutorial()]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.starts_with("ok: "), "{text}");
    assert!(
        text.contains("3 members, 9 offers, 6 requirements, 2 phases"),
        "{text}"
    );
    // A clean scenario gives no warnings; `validate` prints its notes (planning facts:
    // here ITA's fighters, which the no_combat caveat keeps from air policing).
    let notes = stderr(&out);
    assert!(
        notes.lines().all(|l| l.starts_with("note: ")),
        "a clean scenario gives no warnings:\n{notes}"
    );
    assert!(notes.contains("ITA/fighter_sqn/1"), "{notes}");
}

#[test]
fn exit_0_check_with_passing_thresholds() {
    // The tutorial's own [checks] pass: overall 0.917 >= 0.9, sea 0.75 >= 0.7.
    let out = forcegen(&["check", &tutorial(), "--format", "table"]);
    assert_code(&out, 0);
    assert!(!stdout(&out).contains("FAIL"), "{}", stdout(&out));

    let out = forcegen(&[
        "check",
        &tutorial(),
        "--format",
        "table",
        "--min-coverage",
        "0.9",
        "--min-domain-coverage",
        "land=1",
        "--min-domain-coverage",
        "sea=0.75",
    ]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("PASS overall coverage"), "{text}");
    assert!(text.contains("PASS domain sea coverage"), "{text}");
    assert!(!text.contains("FAIL"), "{text}");

    let out = forcegen(&["check", &tutorial(), "--format", "json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["passed"], true);
}

// ---- 1: a check failed ------------------------------------------------------------------

#[test]
fn exit_1_check_below_min_coverage() {
    let out = forcegen(&[
        "check",
        &tutorial(),
        "--format",
        "table",
        "--min-coverage",
        "0.99",
    ]);
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("FAIL overall coverage: 91.7% < 99.0%")),
        "{text}"
    );
    assert!(
        !stderr(&out).is_empty(),
        "the failure is also said on stderr"
    );

    let out = forcegen(&[
        "check",
        &tutorial(),
        "--format",
        "json",
        "--min-coverage",
        "0.99",
    ]);
    assert_code(&out, 1);
    let doc = json(&out);
    assert_eq!(doc["passed"], false, "{doc}");
}

#[test]
fn exit_1_check_below_min_domain_coverage() {
    // Sea coverage is 0.75: one MCM vessel of two.
    let out = forcegen(&[
        "check",
        &tutorial(),
        "--format",
        "table",
        "--min-domain-coverage",
        "sea=0.9",
    ]);
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("FAIL domain sea coverage: 75.0% < 90.0%")),
        "{text}"
    );
    assert!(
        text.lines().filter(|l| l.starts_with("FAIL")).count() == 1,
        "only the sea check fails: {text}"
    );
}

// ---- 2: usage error ---------------------------------------------------------------------

#[test]
fn exit_2_unknown_subcommand() {
    let out = forcegen(&["frobnicate", &tutorial()]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("frobnicate"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn exit_2_unknown_flag() {
    let out = forcegen(&["solve", &tutorial(), "--no-such-flag"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--no-such-flag"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn exit_2_min_coverage_out_of_range() {
    let out = forcegen(&["check", &tutorial(), "--min-coverage", "1.5"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("1.5"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn exit_2_check_without_any_threshold() {
    // The tutorial has a [checks] section, so check a copy without it.
    let tutorial_toml = fs::read_to_string(scenario("tutorial")).expect("the tutorial TOML");
    assert!(tutorial_toml.contains("\n[checks]"));
    let dir = tempfile::tempdir().expect("a temporary directory");
    let copy = tutorial_copy(dir.path(), without_checks);
    let copy = copy.display().to_string();
    assert_code(&forcegen(&["validate", &copy]), 0);

    let out = forcegen(&["check", &copy]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no thresholds"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

// ---- 3: infeasible ----------------------------------------------------------------------

#[test]
fn exit_3_infeasible_names_the_floors() {
    let out = forcegen(&["solve", &infeasible(), "--format", "table"]);
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("maritime-escort-1"), "{err}");
    assert!(err.contains("land-presence-1"), "{err}");
    for feasible in [
        "mine-countermeasures-1",
        "land-reassurance-1",
        "air-policing-1",
    ] {
        assert!(!err.contains(feasible), "{feasible} can be met: {err}");
    }
}

#[test]
fn exit_3_infeasible_json_lists_unmet_floors() {
    let out = forcegen(&["solve", &infeasible(), "--format", "json"]);
    assert_code(&out, 3);
    let doc = json(&out);
    assert_eq!(doc["status"], "infeasible", "{doc}");
    let floors = doc["unmet_floors"]
        .as_array()
        .expect("unmet_floors is a list");
    let names: Vec<&str> = floors
        .iter()
        .map(|f| f["requirement"].as_str().expect("a requirement id"))
        .collect();
    assert_eq!(names, ["maritime-escort-1", "land-presence-1"], "{doc}");
}

// ---- 65: invalid data -------------------------------------------------------------------

#[test]
fn exit_65_bad_scenario_data() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("scenario.toml");
    fs::write(
        &path,
        r#"[scenario]
name = "bad"

[[members]]
id = "FRA"

[[offers]]
member = "FRA"
capability = "frigate"
domain = "sea"
units = -1

[[requirements]]
id = "maritime-security-1"
domain = "sea"
capability = "frigate"
target = 1
"#,
    )
    .expect("writing the scenario");
    let path = path.display().to_string();
    for args in [
        vec!["validate", &path],
        vec!["solve", &path, "--format", "json"],
        vec!["check", &path, "--min-coverage", "0.5"],
    ] {
        let out = forcegen(&args);
        assert_code(&out, 65);
        let err = stderr(&out);
        assert!(
            err.contains("scenario.toml:11:9: field `units`, value `-1`: must be greater than 0"),
            "{args:?}: {err}"
        );
        assert_eq!(stdout(&out), "", "{args:?}: nothing on stdout");
    }
}

/// A likely slip (an offer's capability one letter off, so the offer drops out) loads
/// with a warning; under `--strict` every command that loads a scenario refuses it with
/// exit 65 and solves nothing.
#[test]
fn exit_65_a_warning_under_strict() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let toml = copy_scenario("tutorial", dir.path());
    let offers = dir.path().join("offers.csv");
    let text = fs::read_to_string(&offers).unwrap().replace(
        "GBR/fighter_sqn/1,GBR,fighter_sqn,",
        "GBR/fighter_sqn/1,GBR,fighter_sqdn,",
    );
    fs::write(&offers, text).unwrap();
    let toml = toml.display().to_string();
    let sweep_file = dir.path().join("sweep.toml").display().to_string();
    let html = dir.path().join("r.html").display().to_string();
    let warning =
        "field `capability`, value `fighter_sqdn`: no requirement asks for this capability";
    let plain = forcegen(&["validate", &toml]);
    assert_code(&plain, 0);
    assert!(stderr(&plain).contains("warning: "), "{}", stderr(&plain));
    assert!(stderr(&plain).contains(warning), "{}", stderr(&plain));
    for args in [
        vec!["validate", "--strict", &toml],
        vec!["solve", "--strict", &toml],
        vec!["check", "--strict", &toml, "--min-coverage", "0.5"],
        vec!["stress", "--strict", &toml],
        vec!["report", "--strict", &toml, "-o", &html],
        vec!["sweep", "--strict", &sweep_file],
        vec!["report", "--strict", &sweep_file, "-o", &html],
    ] {
        let out = forcegen(&args);
        assert_code(&out, 65);
        let err = stderr(&out);
        assert!(
            err.contains("error: ") && err.contains(warning),
            "{args:?}: {err}"
        );
        assert!(err.contains("errors under --strict"), "{args:?}: {err}");
        assert_eq!(stdout(&out), "", "{args:?}: nothing on stdout");
        assert!(
            !dir.path().join("r.html").exists(),
            "{args:?} wrote a report"
        );
    }
    // `[checks] strict = true` does the same without the flag.
    let scenario_text = fs::read_to_string(&toml).unwrap();
    fs::write(&toml, format!("{scenario_text}\n[checks]\nstrict = true\n")).unwrap();
    let out = forcegen(&["solve", &toml]);
    assert_code(&out, 65);
    let converted = dir.path().join("as-xlsx");
    let out = forcegen(&[
        "convert",
        &toml,
        "--to",
        "xlsx",
        "--out",
        converted.to_str().unwrap(),
    ]);
    assert_code(&out, 65);
    assert!(!converted.exists(), "convert wrote despite strict");
}

/// A requirement covered to within 1e-6 of its target is met everywhere (coverage 1,
/// shortfall 0), and a 100% threshold is met: the tutorial's land requirement asks for
/// 2000.001 troops, 2000 are deployable (a gap of 5e-7 of the target).
#[test]
fn exit_0_within_1e_6_of_the_target_is_met_and_passes_a_100_percent_check() {
    let dir = tempfile::tempdir().unwrap();
    let toml = copy_scenario("tutorial", dir.path());
    let requirements = dir.path().join("requirements.csv");
    let text = fs::read_to_string(&requirements)
        .unwrap()
        .replace("deployment,troops,2000,", "deployment,troops,2000.001,");
    fs::write(&requirements, text).unwrap();
    let toml = toml.display().to_string();
    let out = forcegen(&["solve", &toml, "--no-asks", "--format", "json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    let land = &doc["requirements"][0];
    assert_eq!(land["id"], "land-reassurance-1");
    assert_eq!(land["covered"], 2000.0);
    assert_eq!(land["shortfall"], 0.0);
    assert_eq!(land["coverage"], 1.0);
    assert_eq!(doc["coverage"]["by_priority"]["1"], 1.0);
    let csv = forcegen(&[
        "solve",
        &toml,
        "--no-asks",
        "--format",
        "csv",
        "--table",
        "shortfalls",
    ]);
    assert!(
        !stdout(&csv).contains("land-reassurance-1"),
        "{}",
        stdout(&csv)
    );
    let check = forcegen(&["check", &toml, "--min-priority-coverage", "1=1"]);
    assert_code(&check, 0);
}

/// The shipped scenarios are clean: `--strict` passes (notes are no warnings).
#[test]
fn exit_0_shipped_scenarios_pass_strict() {
    for name in ["tutorial", "paris-2026", "infeasible-floor"] {
        let out = forcegen(&["validate", "--strict", scenario(name).to_str().unwrap()]);
        assert_code(&out, 0);
        assert!(
            stderr(&out).lines().all(|l| l.starts_with("note: ")),
            "{name}: {}",
            stderr(&out)
        );
    }
}

// ---- 66: missing input ------------------------------------------------------------------

#[test]
fn exit_66_missing_scenario_file() {
    let missing = root().join("scenarios").join("no-such-scenario.toml");
    let missing = missing.display().to_string();
    for args in [
        vec!["validate", &missing],
        vec!["solve", &missing],
        vec!["check", &missing, "--min-coverage", "0.5"],
    ] {
        let out = forcegen(&args);
        assert_code(&out, 66);
        let err = stderr(&out);
        assert!(
            err.contains("no-such-scenario.toml") && err.contains("not found"),
            "{args:?}: {err}"
        );
        assert_eq!(stdout(&out), "");
    }
}

/// A directory or a table given where the scenario TOML is wanted: exit 66, with the
/// scenario file inside (beside) it suggested.
#[test]
fn exit_66_a_directory_or_a_table_given_as_the_scenario() {
    for (given, message) in [
        (
            "scenarios/tutorial",
            "is a directory, not a scenario TOML file",
        ),
        (
            "scenarios/tutorial/offers.csv",
            "is a table, not a scenario TOML file",
        ),
    ] {
        let out = forcegen(&["validate", given]);
        assert_code(&out, 66);
        let err = stderr(&out);
        assert!(err.contains(message), "{given}: {err}");
        assert!(
            err.contains("did you mean `scenarios/tutorial/scenario.toml`?"),
            "{given}: {err}"
        );
        assert_eq!(stdout(&out), "");
    }
}

// ---- 70: internal failure ---------------------------------------------------------------

#[test]
#[cfg_attr(
    not(feature = "fault-injection"),
    ignore = "breaks plans on purpose: needs --features fault-injection"
)]
fn exit_70_checker_refuses_a_corrupted_plan() {
    let out = forcegen_with_fault("corrupt-plan", &["solve", &tutorial(), "--format", "json"]);
    assert_code(&out, 70);
    assert_eq!(stdout(&out), "", "a refused plan is never printed");
    let err = stderr(&out);
    assert!(err.contains("failed the independent check"), "{err}");
    assert!(
        err.contains("capacity"),
        "the violated check is named: {err}"
    );
    // microlp's failures point to the more robust HiGHS.
    let out = forcegen_with_fault(
        "corrupt-plan",
        &[
            "solve",
            &tutorial(),
            "--format",
            "json",
            "--solver",
            "microlp",
        ],
    );
    assert_code(&out, 70);
    let err = stderr(&out);
    assert!(
        err.contains("hint:") && err.contains("--solver highs"),
        "{err}"
    );

    // The same scenario solves cleanly without the fault.
    assert_code(&forcegen(&["solve", &tutorial(), "--format", "json"]), 0);
}

#[test]
#[cfg_attr(
    not(feature = "fault-injection"),
    ignore = "breaks plans on purpose: needs --features fault-injection"
)]
fn exit_70_corrupted_plan_writes_no_out_files() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out_dir = dir.path().join("out");
    let out = run(
        forcegen_command(&["solve", &tutorial(), "--format", "json", "--out"])
            .arg(&out_dir)
            .env("FORCEGEN_FAULT", "corrupt-plan"),
    );
    assert_code(&out, 70);
    assert!(
        !out_dir.exists() || entries(&out_dir).is_empty(),
        "files of a refused plan: {:?}",
        entries(&out_dir)
    );
}

// ---- 74: cannot write -------------------------------------------------------------------

#[test]
fn exit_74_out_under_a_regular_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("plain-file");
    fs::write(&file, "not a directory\n").expect("writing a plain file");
    let target = file.join("sub");
    let out = forcegen(&[
        "solve",
        &tutorial(),
        "--format",
        "json",
        "--out",
        &target.display().to_string(),
    ]);
    assert_code(&out, 74);
    assert!(
        stderr(&out).contains("plain-file"),
        "the path is named: {}",
        stderr(&out)
    );
    assert_eq!(
        stdout(&out),
        "",
        "no result printed when it cannot be saved"
    );
    // Nothing was left beside the plain file.
    assert_eq!(entries(dir.path()), ["plain-file"]);
    assert_eq!(
        fs::read_to_string(&file).expect("the plain file"),
        "not a directory\n"
    );
}

#[test]
fn exit_74_out_under_proc() {
    let out = forcegen(&[
        "solve",
        &tutorial(),
        "--format",
        "json",
        "--out",
        "/proc/forcegen-test",
    ]);
    assert_code(&out, 74);
    assert!(
        stderr(&out).contains("/proc/forcegen-test"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
}

#[cfg(unix)]
#[test]
fn exit_74_out_in_a_read_only_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).expect("creating a directory");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).expect("chmod 555");
    // Root (as in many containers) may write anywhere: then there is nothing to test.
    let probe = locked.join("probe");
    if fs::write(&probe, "").is_ok() {
        fs::remove_file(&probe).expect("removing the probe");
        eprintln!("skipped: a read-only directory is writable for this user (root?)");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod 755");
        return;
    }
    let out = forcegen(&[
        "solve",
        &tutorial(),
        "--format",
        "json",
        "--out",
        &locked.join("results").display().to_string(),
    ]);
    let listing = entries(&locked);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod 755");
    assert_code(&out, 74);
    assert_eq!(stdout(&out), "");
    assert!(listing.is_empty(), "files were left: {listing:?}");
}

/// `--out` into a writable directory where one file cannot be placed (a directory holds
/// its name): exit 74 and, as docs/spec.md says that output files are written whole or not
/// at all, none of the other result files.
#[test]
fn exit_74_leaves_no_partial_out_files() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out_dir = dir.path().join("out");
    fs::create_dir_all(out_dir.join("result.json")).expect("a directory in the way");
    let out = forcegen(&[
        "solve",
        &tutorial(),
        "--format",
        "json",
        "--out",
        &out_dir.display().to_string(),
    ]);
    assert_code(&out, 74);
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("result.json"), "{}", stderr(&out));
    // Neither the other result files nor hidden staging files are left.
    assert_eq!(
        entries(&out_dir),
        ["result.json"],
        "only the obstacle may remain"
    );
}

// ---- --out writes every table --------------------------------------------------------------

#[test]
fn out_dir_holds_result_json_and_csv_tables() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out_dir = dir.path().join("results");
    let out = forcegen(&[
        "solve",
        &tutorial(),
        "--format",
        "json",
        "--out",
        &out_dir.display().to_string(),
    ]);
    assert_code(&out, 0);
    let names = entries(&out_dir);
    for expected in OUT_TABLES.iter().chain(&["result.json"]) {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "staging files were left: {names:?}"
    );
    let saved = fs::read(out_dir.join("result.json")).expect("result.json");
    assert!(
        saved == out.stdout,
        "result.json differs from the stdout of --format json"
    );
    for table in OUT_TABLES {
        let text = fs::read_to_string(out_dir.join(table)).expect("a CSV table");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().expect("a CSV header").clone();
        assert!(!headers.is_empty(), "{table} has a header");
        for record in reader.records() {
            let record = record.unwrap_or_else(|e| panic!("{table}: {e}"));
            assert_eq!(record.len(), headers.len(), "{table}: {record:?}");
        }
    }
    let requirements = fs::read_to_string(out_dir.join("requirements.csv")).expect("a table");
    assert_eq!(
        requirements.lines().count(),
        1 + 6,
        "a header and the tutorial's 6 requirements:\n{requirements}"
    );
}

#[test]
fn out_dir_is_replaced_whole_on_a_second_run() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out_dir = dir.path().join("results");
    let out_arg = out_dir.display().to_string();
    let first = forcegen(&["solve", &tutorial(), "--format", "json", "--out", &out_arg]);
    assert_code(&first, 0);
    let second = forcegen(&["solve", &tutorial(), "--format", "json", "--out", &out_arg]);
    assert_code(&second, 0);
    let saved = fs::read(out_dir.join("result.json")).expect("result.json");
    assert!(saved == second.stdout);
    assert!(
        entries(&out_dir).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        entries(&out_dir)
    );
}
