//! The invalid-input corpus in `tests/invalid/`: one directory per fault, each holding a
//! `scenario.toml` (with CSVs), the exact stderr of `forcegen validate` in `expected.txt`
//! and the exit code in `expected_code`. See `tests/invalid/README.md`.
//!
//! A case whose `expected_code` is 0 is hostile but valid input (a BOM, CRLF, quoted commas,
//! a substitution cycle...): it must load with the messages in `expected.txt` and the
//! summary in `expected_stdout.txt`, and solve to the tables in `expected_solve.csv`.
//!
//! `FORCEGEN_BLESS=1 cargo test --test it -- invalid` rewrites `expected.txt` from what
//! forcegen prints now (exit codes are still checked): read every changed file before
//! committing it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{code, forcegen, root, stderr, stdout};

/// A case whose current output is known to be wrong: its `expected.txt` and
/// `expected_code` hold what forcegen should print, and this file says what is wrong.
const KNOWN_ISSUE: &str = "known_issue.txt";

struct Case {
    name: String,
    dir: PathBuf,
}

impl Case {
    /// The scenario path as given on the command line, relative to the repository root,
    /// so that the paths in messages read `tests/invalid/NN-name/...`.
    fn scenario_arg(&self) -> String {
        format!("tests/invalid/{}/scenario.toml", self.name)
    }

    fn read(&self, file: &str) -> Result<String, String> {
        fs::read_to_string(self.dir.join(file))
            .map_err(|e| format!("{}: cannot read {file}: {e}", self.name))
    }

    fn expected_code(&self) -> Result<i32, String> {
        let text = self.read("expected_code")?;
        text.trim()
            .parse()
            .map_err(|_| format!("{}: expected_code holds `{}`", self.name, text.trim()))
    }
}

fn corpus_dir() -> PathBuf {
    root().join("tests").join("invalid")
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = fs::read_dir(corpus_dir())
        .expect("tests/invalid exists")
        .map(|entry| entry.expect("tests/invalid is readable").path())
        .filter(|path| path.is_dir())
        .map(|dir| Case {
            name: dir
                .file_name()
                .expect("a directory has a name")
                .to_string_lossy()
                .into_owned(),
            dir,
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

fn blessing() -> bool {
    std::env::var_os("FORCEGEN_BLESS").is_some_and(|v| v == "1")
}

fn panicked(output: &Output) -> bool {
    stderr(output).contains("panicked")
}

/// A short excerpt of a text for a failure message.
fn excerpt(text: &str) -> String {
    const MAX: usize = 2000;
    if text.len() <= MAX {
        text.to_string()
    } else {
        let mut end = MAX;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &text[..end])
    }
}

/// Checks one pinned case; returns what is wrong, if anything.
fn check_pinned(case: &Case, validate: &Output, solve: &Output) -> Vec<String> {
    let mut problems = Vec::new();
    let expected_code = match case.expected_code() {
        Ok(c) => c,
        Err(e) => return vec![e],
    };
    if panicked(validate) {
        problems.push(format!("validate panicked:\n{}", stderr(validate)));
    }
    if !validate.stdout.is_empty() {
        problems.push(format!(
            "validate printed to stdout:\n{}",
            excerpt(&stdout(validate))
        ));
    }
    if code(validate) != expected_code {
        problems.push(format!(
            "validate exited {} (expected {expected_code}); stderr:\n{}",
            code(validate),
            stderr(validate)
        ));
    }
    let actual = stderr(validate);
    if blessing() {
        if let Err(e) = fs::write(case.dir.join("expected.txt"), actual.as_bytes()) {
            problems.push(format!("cannot write expected.txt: {e}"));
        }
    } else {
        match case.read("expected.txt") {
            Ok(expected) if expected == actual => {}
            Ok(expected) => problems.push(format!(
                "validate's stderr differs from expected.txt\n--- expected\n{expected}--- actual\n{actual}---\n(FORCEGEN_BLESS=1 rewrites expected.txt; read the diff first)"
            )),
            Err(e) => problems.push(e),
        }
    }
    if panicked(solve) {
        problems.push(format!("solve panicked:\n{}", stderr(solve)));
    }
    if code(solve) != expected_code {
        problems.push(format!(
            "solve exited {} (expected {expected_code}, as validate); stderr:\n{}",
            code(solve),
            stderr(solve)
        ));
    }
    if !solve.stdout.is_empty() {
        problems.push(format!(
            "solve printed a result for invalid input:\n{}",
            excerpt(&stdout(solve))
        ));
    }
    problems
}

/// Compares `actual` with the case's pinned `file` (or rewrites it when blessing).
fn pinned(case: &Case, file: &str, what: &str, actual: &str) -> Option<String> {
    if blessing() {
        return fs::write(case.dir.join(file), actual.as_bytes())
            .err()
            .map(|e| format!("cannot write {file}: {e}"));
    }
    match case.read(file) {
        Ok(expected) if expected == actual => None,
        Ok(expected) => Some(format!(
            "{what} differs from {file}\n--- expected\n{expected}--- actual\n{actual}---\n(FORCEGEN_BLESS=1 rewrites {file}; read the diff first)"
        )),
        Err(e) => Some(e),
    }
}

/// Checks a hostile but valid case (exit code 0): it loads with the pinned messages and
/// summary, and solves to the pinned requirements and assignments.
fn check_valid(case: &Case, validate: &Output) -> Vec<String> {
    let mut problems = Vec::new();
    if code(validate) != 0 {
        problems.push(format!(
            "validate exited {} (expected 0); stderr:\n{}",
            code(validate),
            stderr(validate)
        ));
    }
    problems.extend(pinned(
        case,
        "expected.txt",
        "validate's stderr",
        &stderr(validate),
    ));
    problems.extend(pinned(
        case,
        "expected_stdout.txt",
        "validate's stdout",
        &stdout(validate),
    ));
    let scenario = case.scenario_arg();
    let solve = forcegen(&[
        "solve",
        &scenario,
        "--no-asks",
        "--format",
        "csv",
        "--table",
        "requirements",
        "--table",
        "assignments",
        "--table",
        "stages",
    ]);
    if code(&solve) != 0 || panicked(&solve) {
        problems.push(format!(
            "solve exited {} (expected 0); stderr:\n{}",
            code(&solve),
            stderr(&solve)
        ));
    }
    problems.extend(pinned(
        case,
        "expected_solve.csv",
        "solve's tables",
        &stdout(&solve),
    ));
    problems
}

/// Checks a case with a known issue: it must not panic, and it must still differ from
/// the wanted output (once it matches, the marker file is stale and must go).
fn check_known_issue(case: &Case, validate: &Output, solve: &Output) -> Vec<String> {
    let mut problems = Vec::new();
    if panicked(validate) {
        problems.push(format!("validate panicked:\n{}", stderr(validate)));
    }
    if panicked(solve) {
        problems.push(format!("solve panicked:\n{}", stderr(solve)));
    }
    let wanted = case.read("expected.txt");
    let wanted_code = case.expected_code();
    let (Ok(wanted), Ok(wanted_code)) = (wanted, wanted_code) else {
        problems.push(format!(
            "a known-issue case needs the wanted expected.txt and expected_code in {}",
            case.dir.display()
        ));
        return problems;
    };
    let fixed = stderr(validate) == wanted
        && code(validate) == wanted_code
        && validate.stdout.is_empty()
        && code(solve) == wanted_code
        && solve.stdout.is_empty();
    if fixed {
        problems.push(format!(
            "the known issue is fixed: forcegen now prints expected.txt; delete {}",
            case.dir.join(KNOWN_ISSUE).display()
        ));
    } else {
        let issue = case.read(KNOWN_ISSUE).unwrap_or_default();
        eprintln!(
            "known issue, not failing: {}: {}",
            case.name,
            issue.lines().next().unwrap_or("")
        );
    }
    problems
}

#[test]
fn invalid_inputs_are_reported_exactly() {
    let cases = cases();
    assert!(
        cases.len() >= 20,
        "the corpus should hold at least 20 cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        assert!(
            case.dir.join("scenario.toml").is_file(),
            "{}: no scenario.toml",
            case.name
        );
        let scenario = case.scenario_arg();
        let validate = forcegen(&["validate", &scenario]);
        if case.expected_code() == Ok(0) {
            for problem in check_valid(case, &validate) {
                failures.push(format!("case {}: {problem}", case.name));
            }
            continue;
        }
        let solve = forcegen(&["solve", "--format", "json", &scenario]);
        let problems = if case.dir.join(KNOWN_ISSUE).exists() {
            check_known_issue(case, &validate, &solve)
        } else {
            check_pinned(case, &validate, &solve)
        };
        for problem in problems {
            failures.push(format!("case {}: {problem}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) in the invalid-input corpus:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every case has its scenario, its expectations and a documented exit code, and is named
/// `NN-short-name`.
#[test]
fn invalid_corpus_cases_are_well_formed() {
    for case in cases() {
        for file in ["scenario.toml", "expected.txt", "expected_code"] {
            assert!(
                Path::new(&case.dir.join(file)).is_file(),
                "case {}: {file} is missing",
                case.name
            );
        }
        let code = case.expected_code().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            code == 0 || code == 65 || code == 66,
            "case {}: expected_code {code} is neither 0 (hostile but valid), 65 (bad data) nor 66 (missing file)",
            case.name
        );
        if code == 0 {
            for file in ["expected_stdout.txt", "expected_solve.csv"] {
                assert!(
                    case.dir.join(file).is_file(),
                    "case {}: a valid case needs {file}",
                    case.name
                );
            }
        }
        let number = case.name.split('-').next().unwrap_or("");
        assert!(
            number.len() == 2 && number.chars().all(|c| c.is_ascii_digit()),
            "case {}: the name must start with a two-digit number",
            case.name
        );
    }
}
