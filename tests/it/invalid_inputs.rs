//! The invalid-input corpus in `tests/invalid/`: one directory per fault, each holding a
//! `scenario.toml` (with CSVs), the exit code in `expected_code` and insta snapshots of
//! what forcegen prints. See `tests/invalid/README.md`.
//!
//! One test per case, listed in [`cases!`] below; `every_case_directory_is_listed` fails
//! when a directory of `tests/invalid/` is not listed (or a listed one is missing), so a
//! new case cannot be skipped silently.
//!
//! The snapshots sit beside each case: `validate_stderr.snap` (the exact stderr of
//! `forcegen validate`), and for a case whose `expected_code` is 0 (hostile but valid input:
//! a BOM, CRLF, quoted commas, a substitution cycle...) also `validate_stdout.snap` (its
//! summary) and `solve_tables.snap` (the tables of `solve`). After a deliberate change of
//! wording, `INSTA_UPDATE=always cargo test --test it invalid_inputs` rewrites them (exit
//! codes are still checked, never rewritten): read the diff before committing it, or use
//! `cargo insta review`.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{code, forcegen, panicked, root, stderr, stdout};

/// A case whose current output is known to be wrong: its `validate_stderr.snap` and
/// `expected_code` hold what forcegen should print, and this file says what is wrong.
const KNOWN_ISSUE: &str = "known_issue.txt";

/// The snapshot of `validate`'s stderr, in every case.
const VALIDATE_STDERR: &str = "validate_stderr";
/// The snapshot of `validate`'s stdout (its summary), in valid cases only.
const VALIDATE_STDOUT: &str = "validate_stdout";
/// The snapshot of `solve`'s tables ([`SOLVE_TABLES_ARGS`]), in valid cases only.
const SOLVE_TABLES: &str = "solve_tables";
/// The snapshot of `validate --strict`'s stderr, in valid cases with a warning only (there
/// it fails with exit 65; a valid case without warnings passes `--strict`).
const STRICT_STDERR: &str = "strict_stderr";

/// What a valid case's `solve` prints, after the scenario.
const SOLVE_TABLES_ARGS: [&str; 9] = [
    "--no-asks",
    "--format",
    "csv",
    "--table",
    "requirements",
    "--table",
    "assignments",
    "--table",
    "stages",
];

/// One `#[test]` per case directory, named `c` and the directory's name with `_` for
/// `-`, and [`LISTED`], the list `every_case_directory_is_listed` checks against the
/// directories.
macro_rules! cases {
    ($($test:ident => $dir:literal,)*) => {
        /// (test name, case directory) of every listed case.
        const LISTED: &[(&str, &str)] = &[$((stringify!($test), $dir)),*];
        $(
            #[test]
            fn $test() {
                check_case($dir);
            }
        )*
    };
}

cases! {
    c01_missing_members_csv => "01-missing-members-csv",
    c02_members_csv_is_a_directory => "02-members-csv-is-a-directory",
    c03_unknown_csv_column_typo => "03-unknown-csv-column-typo",
    c04_unknown_toml_key_typo => "04-unknown-toml-key-typo",
    c05_toml_string_for_time_limit => "05-toml-string-for-time-limit",
    c06_negative_units => "06-negative-units",
    c07_nan_troops_per_unit => "07-nan-troops-per-unit",
    c08_inf_cost_per_unit => "08-inf-cost-per-unit",
    c09_text_in_number_column => "09-text-in-number-column",
    c10_duplicate_offer_id => "10-duplicate-offer-id",
    c11_duplicate_member_id => "11-duplicate-member-id",
    c12_offer_unknown_member => "12-offer-unknown-member",
    c13_requirement_unknown_domain => "13-requirement-unknown-domain",
    c14_offer_unknown_phase => "14-offer-unknown-phase",
    c15_minimum_above_target => "15-minimum-above-target",
    c16_rotation_below_one => "16-rotation-below-one",
    c17_priority_7 => "17-priority-7",
    c18_max_share_above_one => "18-max-share-above-one",
    c19_unknown_lead_member => "19-unknown-lead-member",
    c20_lead_share_without_lead => "20-lead-share-without-lead",
    c21_self_substitution => "21-self-substitution",
    c22_substitute_not_offered => "22-substitute-not-offered",
    c23_empty_members_csv => "23-empty-members-csv",
    c24_header_only_requirements_csv => "24-header-only-requirements-csv",
    c25_row_with_too_many_fields => "25-row-with-too-many-fields",
    c26_invalid_toml_syntax => "26-invalid-toml-syntax",
    c27_non_utf8_csv => "27-non-utf8-csv",
    c28_table_in_tables_and_inline => "28-table-in-tables-and-inline",
    c29_unknown_measure => "29-unknown-measure",
    c30_equipment_without_count => "30-equipment-without-count",
    c31_several_faults_at_once => "31-several-faults-at-once",
    c32_missing_required_column => "32-missing-required-column",
    c33_empty_required_cell => "33-empty-required-cell",
    c34_unknown_solver_backend => "34-unknown-solver-backend",
    c35_requirement_unknown_phase => "35-requirement-unknown-phase",
    c36_checks_unknown_domain => "36-checks-unknown-domain",
    c37_unknown_member_cascades_to_substitution => "37-unknown-member-cascades-to-substitution",
    c38_unknown_member_far_from_known => "38-unknown-member-far-from-known",
    c39_truncated_offers_csv => "39-truncated-offers-csv",
    c40_truncated_toml => "40-truncated-toml",
    c41_unclosed_quote_in_csv => "41-unclosed-quote-in-csv",
    c42_bom_in_every_file => "42-bom-in-every-file",
    c43_crlf_line_endings => "43-crlf-line-endings",
    c44_quoted_fields_with_commas => "44-quoted-fields-with-commas",
    c45_huge_units => "45-huge-units",
    c46_tiny_target => "46-tiny-target",
    c47_toml_inf_time_limit => "47-toml-inf-time-limit",
    c48_zero_units => "48-zero-units",
    c49_duplicate_requirement_id => "49-duplicate-requirement-id",
    c50_substitution_cycle => "50-substitution-cycle",
    c51_duplicate_phase_id => "51-duplicate-phase-id",
    c52_empty_scenario_toml => "52-empty-scenario-toml",
    c53_non_utf8_toml => "53-non-utf8-toml",
    c54_utf16_members_csv => "54-utf16-members-csv",
    c55_nul_bytes_in_csv => "55-nul-bytes-in-csv",
    c56_empty_inline_offers => "56-empty-inline-offers",
    c57_thousands_separator => "57-thousands-separator",
    c58_toml_integer_overflow => "58-toml-integer-overflow",
    c59_blank_lines_comments_and_padding => "59-blank-lines-comments-and-padding",
    c60_unknown_phase_in_offer_list => "60-unknown-phase-in-offer-list",
    c61_huge_sweep_like_number_in_toml => "61-huge-sweep-like-number-in-toml",
    c62_negative_zero_and_exponent_units => "62-negative-zero-and-exponent-units",
    c63_excluded_caveat_typo => "63-excluded-caveat-typo",
    c64_offer_capability_typo => "64-offer-capability-typo",
    c65_equipment_measure_typo => "65-equipment-measure-typo",
    c66_caveats_joined_by_comma => "66-caveats-joined-by-comma",
    c67_substitution_capability_absent => "67-substitution-capability-absent",
    c68_share_as_percentage => "68-share-as-percentage",
    c69_semicolon_separated_csv => "69-semicolon-separated-csv",
    c70_lead_share_out_of_range => "70-lead-share-out-of-range",
    c71_coverage_threshold_as_percentage => "71-coverage-threshold-as-percentage",
    c72_strict_in_checks => "72-strict-in-checks",
}

struct Case {
    name: String,
    dir: PathBuf,
}

impl Case {
    fn new(name: &str) -> Case {
        Case {
            name: name.to_string(),
            dir: corpus_dir().join(name),
        }
    }

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

    fn snapshot_file(&self, snapshot: &str) -> PathBuf {
        self.dir.join(format!("{snapshot}.snap"))
    }

    /// Checks `text` against the case's snapshot `snapshot` (written by `command`); returns
    /// what is wrong, if anything. insta prints the diff; a failed snapshot does not stop
    /// the other checks, so that one run reports everything.
    fn snapshot(&self, snapshot: &str, command: &str, text: &str) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(problem) = shape_problem(text) {
            problems.push(format!("{snapshot}: {problem}"));
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&self.dir);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(command);
        settings.set_input_file(self.dir.join("scenario.toml"));
        let checked = catch_unwind(AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(snapshot, text));
        }));
        if checked.is_err() {
            problems.push(format!(
                "{command}: the output differs from {} (the diff is above; INSTA_UPDATE=always or `cargo insta review` accepts it, read it first)",
                shown(&self.snapshot_file(snapshot))
            ));
        }
        problems
    }

    /// The body of the case's snapshot `snapshot`, as insta compares it.
    fn snapshot_body(&self, snapshot: &str) -> Result<String, String> {
        let path = self.snapshot_file(snapshot);
        let loaded = insta::Snapshot::from_file(&path)
            .map_err(|e| format!("cannot read {}: {e}", shown(&path)))?;
        loaded
            .as_text()
            .map(|text| text.to_string())
            .ok_or_else(|| format!("{} is not a text snapshot", shown(&path)))
    }
}

fn corpus_dir() -> PathBuf {
    root().join("tests").join("invalid")
}

/// `path` relative to the repository root, for a message.
fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The case directories of `tests/invalid/`, sorted.
fn case_dirs() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(corpus_dir())
        .expect("tests/invalid exists")
        .map(|entry| entry.expect("tests/invalid is readable").path())
        .filter(|path| path.is_dir())
        .map(|dir| {
            dir.file_name()
                .expect("a directory has a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn cases() -> Vec<Case> {
    case_dirs().iter().map(|name| Case::new(name)).collect()
}

/// insta compares text with trailing whitespace trimmed and CRLF read as LF; forcegen's
/// output is checked exactly, so it must be empty or end in exactly one newline, with no
/// carriage return: then equal snapshots mean equal bytes.
fn shape_problem(text: &str) -> Option<String> {
    if text.contains('\r') {
        Some("the output holds a carriage return".to_string())
    } else if !text.is_empty() && format!("{}\n", text.trim_end()) != text {
        Some(format!(
            "the output does not end in exactly one newline after its last character: {:?}",
            excerpt_end(text)
        ))
    } else {
        None
    }
}

/// `text` as insta compares it (see [`shape_problem`]).
fn normalized(text: &str) -> String {
    text.trim_end().replace("\r\n", "\n")
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

/// The last characters of a text, for a failure message about its end.
fn excerpt_end(text: &str) -> &str {
    let mut start = text.len().saturating_sub(40);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    &text[start..]
}

/// Runs one case and fails with everything that is wrong with it.
fn check_case(name: &str) {
    let case = Case::new(name);
    assert!(
        case.dir.join("scenario.toml").is_file(),
        "{}: no scenario.toml",
        case.name
    );
    let scenario = case.scenario_arg();
    let validate = forcegen(&["validate", &scenario]);
    let problems = if case.expected_code() == Ok(0) {
        check_valid(&case, &validate)
    } else {
        let solve = forcegen(&["solve", "--format", "json", &scenario]);
        if case.dir.join(KNOWN_ISSUE).exists() {
            check_known_issue(&case, &validate, &solve)
        } else {
            check_pinned(&case, &validate, &solve)
        }
    };
    assert!(
        problems.is_empty(),
        "{} problem(s) in invalid-input case {}:\n\n{}",
        problems.len(),
        case.name,
        problems.join("\n\n")
    );
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
    problems.extend(case.snapshot(
        VALIDATE_STDERR,
        &format!("forcegen validate {}", case.scenario_arg()),
        &stderr(validate),
    ));
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
    let scenario = case.scenario_arg();
    let validate_command = format!("forcegen validate {scenario}");
    problems.extend(case.snapshot(VALIDATE_STDERR, &validate_command, &stderr(validate)));
    problems.extend(case.snapshot(VALIDATE_STDOUT, &validate_command, &stdout(validate)));
    let mut args = vec!["solve", scenario.as_str()];
    args.extend(SOLVE_TABLES_ARGS);
    let solve = forcegen(&args);
    if code(&solve) != 0 || panicked(&solve) {
        problems.push(format!(
            "solve exited {} (expected 0); stderr:\n{}",
            code(&solve),
            stderr(&solve)
        ));
    }
    problems.extend(case.snapshot(
        SOLVE_TABLES,
        &format!("forcegen {}", args.join(" ")),
        &stdout(&solve),
    ));
    problems.extend(check_strict(case, validate));
    problems
}

/// `validate --strict` on a valid case: with a warning, exit 65, nothing on stdout and the
/// warnings as errors (pinned); without one, exit 0 as plain `validate`. Notes never count.
fn check_strict(case: &Case, validate: &Output) -> Vec<String> {
    let mut problems = Vec::new();
    let scenario = case.scenario_arg();
    let strict = forcegen(&["validate", "--strict", &scenario]);
    let warned = stderr(validate).lines().any(|l| l.starts_with("warning: "));
    let wanted = if warned { 65 } else { 0 };
    if code(&strict) != wanted {
        problems.push(format!(
            "validate --strict exited {} (expected {wanted}: the case has {} warning); stderr:\n{}",
            code(&strict),
            if warned { "a" } else { "no" },
            stderr(&strict)
        ));
    }
    if warned {
        if !strict.stdout.is_empty() {
            problems.push(format!(
                "validate --strict printed a summary despite a warning:\n{}",
                stdout(&strict)
            ));
        }
        problems.extend(case.snapshot(
            STRICT_STDERR,
            &format!("forcegen validate --strict {scenario}"),
            &stderr(&strict),
        ));
    } else if case.dir.join(format!("{STRICT_STDERR}.snap")).exists() {
        problems.push(format!(
            "{STRICT_STDERR}.snap is stale: the case has no warning any more"
        ));
    }
    problems
}

/// Checks a case with a known issue: it must not panic, and it must still differ from
/// the wanted output (once it matches, the marker file is stale and must go). Its
/// snapshot is read, never asserted, so that `INSTA_UPDATE=always` leaves it alone.
fn check_known_issue(case: &Case, validate: &Output, solve: &Output) -> Vec<String> {
    let mut problems = Vec::new();
    if panicked(validate) {
        problems.push(format!("validate panicked:\n{}", stderr(validate)));
    }
    if panicked(solve) {
        problems.push(format!("solve panicked:\n{}", stderr(solve)));
    }
    let wanted = case.snapshot_body(VALIDATE_STDERR);
    let wanted_code = case.expected_code();
    let (Ok(wanted), Ok(wanted_code)) = (wanted, wanted_code) else {
        problems.push(format!(
            "a known-issue case needs the wanted {VALIDATE_STDERR}.snap and expected_code in {}",
            shown(&case.dir)
        ));
        return problems;
    };
    let actual = stderr(validate);
    let fixed = shape_problem(&actual).is_none()
        && normalized(&actual) == wanted
        && code(validate) == wanted_code
        && validate.stdout.is_empty()
        && code(solve) == wanted_code
        && solve.stdout.is_empty();
    if fixed {
        problems.push(format!(
            "the known issue is fixed: forcegen now prints {VALIDATE_STDERR}.snap; delete {}",
            shown(&case.dir.join(KNOWN_ISSUE))
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

/// Every directory of `tests/invalid/` has its test in [`cases!`], under the name made
/// from the directory's, and every listed case has its directory.
#[test]
fn every_case_directory_is_listed() {
    let dirs = case_dirs();
    assert!(
        dirs.len() >= 20,
        "the corpus should hold at least 20 cases, found {}",
        dirs.len()
    );
    let listed: Vec<&str> = LISTED.iter().map(|(_, dir)| *dir).collect();
    let unlisted: Vec<&String> = dirs
        .iter()
        .filter(|d| !listed.contains(&d.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "case directories without a test: add them to `cases!` in tests/it/invalid_inputs.rs: {unlisted:?}"
    );
    let missing: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|l| !dirs.iter().any(|d| d == l))
        .collect();
    assert!(
        missing.is_empty(),
        "listed in `cases!` but not a directory of tests/invalid: {missing:?}"
    );
    for (test, dir) in LISTED {
        assert_eq!(
            *test,
            format!("c{}", dir.replace('-', "_")),
            "the test of case {dir} is named after it"
        );
    }
}

/// Every case has its scenario, its expectations and a documented exit code, and is named
/// `NN-short-name`; it holds no expectation file of the old format and no snapshot its
/// kind does not check.
#[test]
fn invalid_corpus_cases_are_well_formed() {
    for case in cases() {
        for file in [
            "scenario.toml".to_string(),
            "expected_code".to_string(),
            format!("{VALIDATE_STDERR}.snap"),
        ] {
            assert!(
                Path::new(&case.dir.join(&file)).is_file(),
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
        for snapshot in [VALIDATE_STDOUT, SOLVE_TABLES] {
            let file = format!("{snapshot}.snap");
            assert_eq!(
                case.dir.join(&file).is_file(),
                code == 0,
                "case {}: a valid case needs {file}, an invalid one has none",
                case.name
            );
        }
        for old in ["expected.txt", "expected_stdout.txt", "expected_solve.csv"] {
            assert!(
                !case.dir.join(old).exists(),
                "case {}: {old} is the old format; the snapshots hold the expected output",
                case.name
            );
        }
        let number = case.name.split('-').next().unwrap_or("");
        assert!(
            number.len() == 2 && number.chars().all(|c| c.is_ascii_digit()),
            "case {}: the name must start with a two-digit number",
            case.name
        );
    }
}
