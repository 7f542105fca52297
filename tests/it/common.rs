//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A shipped scenario's TOML file.
pub fn scenario(name: &str) -> PathBuf {
    root().join("scenarios").join(name).join("scenario.toml")
}

/// Runs the `forcegen` binary with `args` in `dir`.
pub fn forcegen_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_forcegen"))
        .args(args)
        .current_dir(dir)
        .env_remove("FORCEGEN_FAULT")
        .output()
        .expect("the forcegen binary runs")
}

/// Runs the `forcegen` binary with `args` from the repository root.
pub fn forcegen(args: &[&str]) -> Output {
    forcegen_in(&root(), args)
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
