//! Helpers shared by the integration tests: running the `forcegen` binary
//! ([`forcegen`], [`forcegen_in`], [`forcegen_command`]), reading what it printed
//! ([`stdout`], [`stderr`], [`code`], [`json`]) and asserting on it ([`assert_code`]).

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The names of the entries of `dir`, sorted; none when `dir` does not exist.
pub fn entries(dir: &Path) -> Vec<String> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    let mut names: Vec<String> = listing
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Every file of the shipped scenario `name` copied into `dir`; the copy's scenario file.
pub fn copy_scenario(name: &str, dir: &Path) -> PathBuf {
    let source = root().join("scenarios").join(name);
    std::fs::create_dir_all(dir).expect("creating the copy's folder");
    for file in entries(&source) {
        let from = source.join(&file);
        if from.is_file() {
            std::fs::copy(&from, dir.join(&file)).expect("copying a scenario file");
        }
    }
    dir.join("scenario.toml")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A shipped scenario's TOML file.
pub fn scenario(name: &str) -> PathBuf {
    root().join("scenarios").join(name).join("scenario.toml")
}

/// The `forcegen` binary Cargo built for these tests.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_forcegen"))
}

/// A `forcegen` command with `args`, run from the repository root, without the
/// fault-injection variable of the environment; add arguments, variables or redirections,
/// then run it with [`run`] (or `.spawn()` it). Prefer [`forcegen`] and [`forcegen_in`]
/// when nothing is added.
pub fn forcegen_command<S: AsRef<OsStr>>(args: &[S]) -> Command {
    let mut command = Command::new(bin());
    command
        .args(args)
        .current_dir(root())
        .env_remove("FORCEGEN_FAULT");
    command
}

/// Runs `command` to the end and collects its output.
pub fn run(command: &mut Command) -> Output {
    command.output().expect("the forcegen binary runs")
}

/// Runs the `forcegen` binary with `args` in `dir`.
pub fn forcegen_in(dir: &Path, args: &[&str]) -> Output {
    run(forcegen_command(args).current_dir(dir))
}

/// Runs the `forcegen` binary with `args` from the repository root.
pub fn forcegen(args: &[&str]) -> Output {
    run(&mut forcegen_command(args))
}

/// Runs the `forcegen` binary with `args` from the repository root, with
/// `FORCEGEN_FAULT=fault` (a build with the `fault-injection` feature only).
pub fn forcegen_with_fault(fault: &str, args: &[&str]) -> Output {
    run(forcegen_command(args).env("FORCEGEN_FAULT", fault))
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("the process exited normally")
}

/// Whether forcegen panicked (its stderr says so).
pub fn panicked(output: &Output) -> bool {
    stderr(output).contains("panicked")
}

/// Asserts that forcegen exited with `expected` and did not panic; the failure message
/// shows both streams.
#[track_caller]
pub fn assert_code(output: &Output, expected: i32) {
    assert_eq!(
        code(output),
        expected,
        "exit code {} (expected {expected})\nstdout:\n{}\nstderr:\n{}",
        code(output),
        stdout(output),
        stderr(output)
    );
    assert!(!panicked(output), "forcegen panicked:\n{}", stderr(output));
}

/// Stdout parsed as JSON (the failure message shows both streams).
#[track_caller]
pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            stdout(output),
            stderr(output)
        )
    })
}

/// Extra flags for solving the flagship (or anything its size) in this build: none with
/// HiGHS; in a microlp-only build (`--no-default-features`) the LP relaxation, since
/// microlp's branch and bound does not finish the flagship in whole units.
pub const AT_SCALE: &[&str] = if cfg!(feature = "highs") {
    &[]
} else {
    &["--relax"]
};

/// The default solver settings, or the relaxation in a microlp-only build (see
/// [`AT_SCALE`]).
pub fn at_scale(
    settings: &forcegen::scenario::SolverSettings,
) -> forcegen::scenario::SolverSettings {
    forcegen::scenario::SolverSettings {
        integer: settings.integer && cfg!(feature = "highs"),
        ..settings.clone()
    }
}

/// The (name, value) of each stage of a JSON result.
pub fn stage_values(doc: &serde_json::Value) -> Vec<(String, f64)> {
    doc["stages"]
        .as_array()
        .expect("a stages array")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().expect("a stage name").to_string(),
                s["value"].as_f64().expect("a stage value"),
            )
        })
        .collect()
}

/// Whether every assignment of `planned` deploys whole units.
pub fn in_whole_units(planned: &forcegen::pipeline::Planned) -> bool {
    planned
        .plan
        .assignments
        .iter()
        .all(|a| a.units == a.units.round())
}
