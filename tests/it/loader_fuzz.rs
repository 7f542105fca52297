//! The scenario loader against mutated and arbitrary input, on stable Rust (the cargo-fuzz
//! target in `tests/fuzz/` does the same for longer, on nightly): byte flips, truncations,
//! duplicated, deleted and spliced lines (from every shipped scenario file), inserted and
//! arbitrary bytes, in the TOML file or any CSV table of the tutorial scenario.
//!
//! Whatever the input: no panic, and either a scenario (which then solves to a verified
//! plan or is infeasible) or errors that each name a file of the scenario and, unless the
//! problem is the whole file, a line.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use forcegen::pipeline::{PlanError, solve_scenario};
use forcegen::scenario::{ProblemKind, Severity, SolverSettings, load};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;

use crate::common::root;

const FILES: [&str; 5] = [
    "scenario.toml",
    "members.csv",
    "offers.csv",
    "requirements.csv",
    "substitutions.csv",
];

fn tutorial(file: &str) -> Vec<u8> {
    std::fs::read(root().join("scenarios/tutorial").join(file)).expect("the tutorial is shipped")
}

/// Every line of every shipped scenario file, for splicing.
fn shipped_lines() -> &'static [Vec<u8>] {
    static LINES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    LINES.get_or_init(|| {
        let mut lines = Vec::new();
        let scenarios = std::fs::read_dir(root().join("scenarios")).expect("scenarios/");
        let mut files: Vec<PathBuf> = scenarios
            .flat_map(|d| {
                std::fs::read_dir(d.expect("an entry").path())
                    .into_iter()
                    .flatten()
            })
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "csv"))
            .collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).expect("a shipped file");
            lines.extend(bytes.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec));
        }
        lines
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    FlipByte(Index, u8),
    Truncate(Index),
    DuplicateLine(Index),
    DeleteLine(Index),
    SpliceLine { from: Index, at: Index },
    InsertBytes(Index, Vec<u8>),
    Replace(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), 1u8..=255).prop_map(|(i, x)| Mutation::FlipByte(i, x)),
        2 => any::<Index>().prop_map(Mutation::Truncate),
        2 => any::<Index>().prop_map(Mutation::DuplicateLine),
        2 => any::<Index>().prop_map(Mutation::DeleteLine),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(from, at)| Mutation::SpliceLine { from, at }),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, b)| Mutation::InsertBytes(i, b)),
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(Mutation::Replace),
    ]
}

fn lines_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    match m {
        Mutation::FlipByte(i, x) if !bytes.is_empty() => {
            let i = i.index(bytes.len());
            bytes[i] ^= x;
        }
        Mutation::Truncate(i) => {
            let len = i.index(bytes.len() + 1);
            bytes.truncate(len);
        }
        Mutation::DuplicateLine(i) | Mutation::DeleteLine(i) => {
            let mut lines = lines_of(bytes);
            if lines.is_empty() {
                return;
            }
            let i = i.index(lines.len());
            if matches!(m, Mutation::DuplicateLine(_)) {
                lines.insert(i, lines[i].clone());
            } else {
                lines.remove(i);
            }
            *bytes = lines.concat();
        }
        Mutation::SpliceLine { from, at } => {
            let pool = shipped_lines();
            let line = pool[from.index(pool.len())].clone();
            let mut lines = lines_of(bytes);
            let at = at.index(lines.len() + 1);
            lines.insert(at, line);
            *bytes = lines.concat();
        }
        Mutation::InsertBytes(i, extra) => {
            let i = i.index(bytes.len() + 1);
            bytes.splice(i..i, extra.iter().copied());
        }
        Mutation::Replace(new) => *bytes = new.clone(),
        Mutation::FlipByte(..) => {}
    }
}

/// Loads the tutorial with `file` replaced by `bytes`; checks the outcome.
fn check_load(file: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for name in FILES {
        let content = if name == file {
            bytes.to_vec()
        } else {
            tutorial(name)
        };
        std::fs::write(dir.path().join(name), content).expect("writable");
    }
    let path = dir.path().join("scenario.toml");
    match load(&path) {
        Ok(loaded) => {
            let settings = SolverSettings {
                time_limit_s: 10.0,
                ..SolverSettings::default()
            };
            match solve_scenario(&loaded.scenario, &settings) {
                Ok(_) | Err(PlanError::Infeasible(_)) => {}
                Err(err) => prop_assert!(false, "a loaded scenario did not solve: {}", err),
            }
        }
        Err(err) => {
            prop_assert!(err.error_count() > 0, "a load error without an error");
            for d in err
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                let in_scenario = d.location.file.parent() == Some(dir.path())
                    && FILES
                        .iter()
                        .any(|f| d.location.file.file_name() == Some(f.as_ref()));
                prop_assert!(in_scenario, "no file of the scenario in: {}", d);
                let whole_file = d.kind == ProblemKind::Unreadable
                    || d.message.contains("larger than the limit");
                prop_assert!(d.location.line.is_some() || whole_file, "no line in: {}", d);
            }
        }
    }
    Ok(())
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(384);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_scenario_files_never_panic_and_errors_are_located(
        file in prop::sample::select(FILES.to_vec()),
        mutations in prop::collection::vec(mutation(), 1..=4),
    ) {
        let mut bytes = tutorial(file);
        for m in &mutations {
            apply(&mut bytes, m);
        }
        check_load(file, &bytes)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_errors_are_located(
        file in prop::sample::select(FILES.to_vec()),
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        check_load(file, &bytes)?;
    }
}

/// The shipped files themselves load (the mutations start from valid input).
#[test]
fn the_unmutated_tutorial_loads() {
    assert!(load(Path::new(&root().join("scenarios/tutorial/scenario.toml"))).is_ok());
    assert!(shipped_lines().len() > 100);
}
