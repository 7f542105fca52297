//! The command line's promises: a closed stdout ends every command quietly with exit 0,
//! `--help` lists exactly the `--table` and `--solver` values a command accepts, every
//! listed value is accepted, and every exit code of the documented table has a test.

use std::fs;
use std::process::{Output, Stdio};

use crate::common::{assert_code, code, forcegen, forcegen_command, root, scenario, stderr};

fn tutorial() -> String {
    scenario("tutorial").display().to_string()
}

/// Runs forcegen with stdout a pipe whose reader is already gone, as `forcegen ... | head`
/// once head has exited.
fn with_closed_stdout(args: &[&str], dir: &std::path::Path) -> Output {
    let (reader, writer) = os_pipe::pipe().expect("a pipe");
    drop(reader);
    forcegen_command(args)
        .current_dir(dir)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("the forcegen binary runs")
}

#[test]
fn a_closed_stdout_ends_every_command_quietly_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let tutorial = tutorial();
    let sweep = root().join("scenarios/tutorial/sweep.toml");
    let sweep = sweep.display().to_string();
    // Two shards for `merge`.
    for shard in ["1/2", "2/2"] {
        let out = dir.path().join(format!("shard-{}.csv", &shard[..1]));
        let output = forcegen(&[
            "sweep",
            &sweep,
            "--shard",
            shard,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_code(&output, 0);
    }
    let shard_1 = dir.path().join("shard-1.csv").display().to_string();
    let shard_2 = dir.path().join("shard-2.csv").display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["validate", &tutorial],
        vec!["solve", &tutorial],
        vec!["solve", &tutorial, "--format", "table"],
        vec!["solve", &tutorial, "--format", "csv", "--no-asks"],
        vec!["check", &tutorial, "--min-coverage", "0.5"],
        vec!["sweep", &sweep],
        vec!["sweep", &sweep, "--format", "jsonl"],
        vec!["merge", &shard_1, &shard_2],
        vec!["stress", &tutorial],
        vec!["stress", &tutorial, "--format", "table"],
        vec!["compare", &tutorial, &tutorial],
        vec!["schema"],
        vec!["schema", "--sweep"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["--help"],
        vec!["solve", "--help"],
        vec!["--version"],
    ];
    for args in commands {
        let output = with_closed_stdout(&args, dir.path());
        assert_eq!(
            code(&output),
            0,
            "forcegen {} with a closed stdout exited {}; stderr:\n{}",
            args.join(" "),
            code(&output),
            stderr(&output)
        );
        // Quietly: no error (validate's notes on the tutorial are no error).
        let err = stderr(&output);
        assert!(
            err.lines().all(|l| l.starts_with("note: ")),
            "forcegen {} with a closed stdout printed to stderr:\n{err}",
            args.join(" ")
        );
    }
}

/// The `[possible values: ...]` of `flag` in `forcegen COMMAND --help`, if it lists any.
fn possible_values(command: &str, flag: &str) -> Option<Vec<String>> {
    let help = forcegen(&[command, "--help"]);
    assert_code(&help, 0);
    let text = String::from_utf8_lossy(&help.stdout).into_owned();
    // The flag's entry: its line and, where clap wraps the help onto the next lines, those
    // up to the next flag.
    let mut lines = text.lines().skip_while(|l| {
        !(l.trim_start().starts_with(&format!("{flag} "))
            || l.trim_start().starts_with(&format!("{flag}\n")))
    });
    let mut entry = lines.next()?.to_string();
    for line in lines.take_while(|l| !l.trim_start().starts_with('-')) {
        entry.push(' ');
        entry.push_str(line.trim());
    }
    let (_, values) = entry.split_once("[possible values: ")?;
    let values = values.split(']').next()?;
    Some(values.split(", ").map(str::to_string).collect())
}

#[test]
fn help_lists_exactly_the_tables_each_command_accepts_and_each_is_accepted() {
    let tutorial = tutorial();
    let solve = possible_values("solve", "--table").expect("solve lists its tables");
    assert_eq!(
        solve,
        [
            "coverage",
            "priorities",
            "relaxation",
            "shortfalls",
            "requirements",
            "assignments",
            "members",
            "fair_share",
            "asks",
            "blockers",
            "stages",
            "unmet_floors"
        ]
    );
    for table in &solve {
        let output = forcegen(&["solve", &tutorial, "--format", "csv", "--table", table]);
        assert_code(&output, 0);
    }
    let compare = possible_values("compare", "--table").expect("compare lists its tables");
    assert_eq!(
        compare,
        [
            "coverage",
            "priorities",
            "requirements",
            "members",
            "stages"
        ]
    );
    for table in &compare {
        let output = forcegen(&[
            "compare", &tutorial, &tutorial, "--format", "csv", "--table", table,
        ]);
        assert_code(&output, 0);
        assert!(
            !output.stdout.is_empty(),
            "compare --table {table} printed nothing"
        );
    }
    // Commands without table selection do not offer it.
    for command in ["stress", "check", "sweep", "validate", "report"] {
        assert_eq!(
            possible_values(command, "--table"),
            None,
            "{command} --help offers --table"
        );
        let output = forcegen(&[command, &tutorial, "--table", "coverage"]);
        assert_code(&output, 2);
    }
}

#[test]
fn help_lists_the_solver_backends() {
    for command in [
        "solve", "check", "sweep", "stress", "compare", "report", "export",
    ] {
        assert_eq!(
            possible_values(command, "--solver"),
            Some(vec!["microlp".to_string(), "highs".to_string()]),
            "{command} --help"
        );
    }
}

#[test]
fn sweep_markdown_prints_its_summary_once_on_stdout() {
    let sweep = root().join("scenarios/tutorial/sweep.toml");
    let output = forcegen(&["sweep", sweep.to_str().unwrap(), "--format", "markdown"]);
    assert_code(&output, 0);
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(out.matches("## Sweep summary").count(), 1, "{out}");
    assert!(out.contains("12 variants: 12 solved"), "{out}");
    let err = stderr(&output);
    assert!(
        !err.contains("12 variants"),
        "the summary again on stderr:\n{err}"
    );
}

/// Every code in the table of `docs/guide/exit-codes.md` has a test named `exit_CODE_...`
/// in this test binary's sources.
#[test]
fn every_documented_exit_code_has_a_test() {
    let table = fs::read_to_string(root().join("docs/guide/exit-codes.md")).unwrap();
    let codes: Vec<u32> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(' ').next()?.parse().ok())
        .collect();
    assert!(codes.len() >= 10, "the table lists {codes:?}");
    let mut sources = String::new();
    for entry in fs::read_dir(root().join("tests/it")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            sources.push_str(&fs::read_to_string(path).unwrap());
        }
    }
    for code in codes {
        assert!(
            sources.contains(&format!("fn exit_{code}_")),
            "exit code {code} is documented but no test `exit_{code}_...` exists"
        );
    }
}
