//! Outputs that are whole or absent, interrupted sweeps that resume, byte-identical output
//! however the work is split, time limits honoured and absurd sizes refused.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use forcegen::analysis::sweep::Sweep;

use crate::common::{
    assert_code, bin, code, entries, forcegen, forcegen_command, root, run, stderr,
};

const TUTORIAL: &str = "scenarios/tutorial/scenario.toml";
const TUTORIAL_SWEEP: &str = "scenarios/tutorial/sweep.toml";
const PARIS_SWEEP: &str = "scenarios/paris-2026/sweep.toml";

/// Runs forcegen through `sh` with the file size limited to `kib` KiB and SIGXFSZ ignored:
/// a write past the limit fails with EFBIG, as one on a full disk fails with ENOSPC.
fn forcegen_with_small_disk(kib: u32, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {kib}; exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .current_dir(root())
        .env_remove("FORCEGEN_FAULT")
        .output()
        .expect("sh runs")
}

/// Every line of a row file is whole: it ends with a newline and every CSV line has the
/// header's field count.
fn assert_whole_rows(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).expect("a row file");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "a cut line:\n{text}"
    );
    let mut lines = text.lines();
    let fields = lines.next().map_or(0, |h| h.split(',').count());
    lines
        .map(|l| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(l.as_bytes());
            let record = reader.records().next().expect("a record").expect("CSV");
            assert_eq!(record.len(), fields, "a partial row: {l}");
            record[2].to_string()
        })
        .collect()
}

// ---- atomic outputs -------------------------------------------------------------------

#[test]
fn solve_to_dev_full_exits_74() {
    let full = fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    let output = run(
        forcegen_command(&["solve", TUTORIAL, "--format", "json", "--no-asks"])
            .stdout(Stdio::from(full)),
    );
    assert_code(&output, 74);
    assert!(
        stderr(&output).contains("cannot write to stdout"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn solve_out_on_a_full_disk_exits_74_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let output = forcegen_with_small_disk(
        1,
        &[
            "solve",
            TUTORIAL,
            "--format",
            "json",
            "--no-asks",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_code(&output, 74);
    assert!(
        stderr(&output).contains("cannot write"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        entries(&out),
        Vec::<String>::new(),
        "partial or temporary files left"
    );
}

#[test]
fn sweep_out_to_dev_full_exits_74() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full");
        return;
    }
    let output = forcegen(&["sweep", TUTORIAL_SWEEP, "--out", "/dev/full", "-q"]);
    assert_code(&output, 74);
    assert!(stderr(&output).contains("/dev/full"), "{}", stderr(&output));
}

#[test]
fn sweep_out_where_no_file_can_be_made_exits_74() {
    let output = forcegen(&[
        "sweep",
        TUTORIAL_SWEEP,
        "--out",
        "/proc/forcegen-no-such-dir/rows.csv",
        "-q",
    ]);
    assert_code(&output, 74);
}

/// A sweep whose disk fills up keeps whole rows only, and `--resume` then completes it to
/// exactly what an uninterrupted run writes.
#[test]
fn sweep_out_on_a_full_disk_keeps_whole_rows_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.csv");
    let cut = dir.path().join("cut.csv");
    assert_code(
        &forcegen(&[
            "sweep",
            TUTORIAL_SWEEP,
            "--out",
            whole.to_str().unwrap(),
            "-q",
        ]),
        0,
    );
    let size = fs::metadata(&whole).unwrap().len();
    assert!(size > 1024, "the test needs rows past 1 KiB ({size} bytes)");
    let output = forcegen_with_small_disk(
        1,
        &[
            "sweep",
            TUTORIAL_SWEEP,
            "--jobs",
            "1",
            "--out",
            cut.to_str().unwrap(),
            "-q",
        ],
    );
    assert_code(&output, 74);
    let kept = assert_whole_rows(&cut);
    assert!(!kept.is_empty() && kept.len() < 12, "{kept:?}");
    let resumed = forcegen(&[
        "sweep",
        TUTORIAL_SWEEP,
        "--resume",
        "--out",
        cut.to_str().unwrap(),
        "-q",
    ]);
    assert_code(&resumed, 0);
    assert_eq!(fs::read(&cut).unwrap(), fs::read(&whole).unwrap());
}

// ---- interrupted sweeps -----------------------------------------------------------------

fn shard_ids(shard: (u32, u32)) -> Vec<String> {
    let sweep = Sweep::load(&root().join(PARIS_SWEEP)).expect("the paris sweep loads");
    sweep
        .variants
        .iter()
        .filter(|v| Sweep::in_shard(v, shard))
        .map(|v| v.id.clone())
        .collect()
}

/// Starts a paris sweep, sends `signal` once a row is written, and checks the exit code and
/// that the file holds whole rows; then resumes it and checks every variant of the shard
/// is there exactly once, in order.
fn interrupt_and_resume(signal: &str, expected_code: i32, shard: (u32, u32)) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rows.csv");
    let shard_arg = format!("{}/{}", shard.0, shard.1);
    let args = [
        &[
            "sweep",
            PARIS_SWEEP,
            "--shard",
            &shard_arg,
            "--jobs",
            "2",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
        crate::common::AT_SCALE,
    ]
    .concat();
    let child = forcegen_command(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let started = Instant::now();
    loop {
        let rows = fs::read_to_string(&out).map_or(0, |t| t.lines().count().saturating_sub(1));
        if rows >= 1 || started.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let output = child.wait_with_output().expect("the sweep ends");
    assert_code(&output, expected_code);
    assert!(stderr(&output).contains("--resume"), "{}", stderr(&output));
    let expected = shard_ids(shard);
    let kept = assert_whole_rows(&out);
    assert!(
        kept.len() < expected.len(),
        "the signal came after the sweep was done: {kept:?}"
    );
    let resumed = forcegen(&[&args[..], &["--resume"]].concat());
    assert_code(&resumed, 0);
    let ids = assert_whole_rows(&out);
    assert_eq!(ids, expected, "every variant once, in order");
}

#[test]
fn exit_130_a_sweep_stopped_by_sigint_resumes() {
    interrupt_and_resume("INT", 130, (1, 8));
}

#[test]
fn exit_143_a_sweep_stopped_by_sigterm_resumes() {
    interrupt_and_resume("TERM", 143, (3, 16));
}

// ---- determinism ------------------------------------------------------------------------

fn run_ok(args: &[&str], threads: &str) -> Vec<u8> {
    let output = run(forcegen_command(args).env("RAYON_NUM_THREADS", threads));
    assert_code(&output, 0);
    output.stdout
}

fn dir_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    entries(dir)
        .into_iter()
        .map(|n| {
            let bytes = fs::read(dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

/// `solve` computes its asks in parallel: its output and `--out` files do not depend on
/// the number of threads.
#[test]
fn solve_out_files_are_identical_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    for threads in ["1", "3"] {
        let out = dir.path().join(format!("t{threads}"));
        let stdout = run_ok(
            &[
                "solve",
                TUTORIAL,
                "--format",
                "json",
                "--out",
                out.to_str().unwrap(),
            ],
            threads,
        );
        results.push((stdout, dir_bytes(&out)));
    }
    assert!(results[0].1.len() >= 8, "{:?}", results[0].1.len());
    assert_eq!(results[0], results[1]);
}

#[test]
fn stress_out_files_are_identical_across_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("j{jobs}"));
        let stdout = run_ok(
            &[
                "stress",
                TUTORIAL,
                "--k",
                "2",
                "--jobs",
                jobs,
                "--format",
                "json",
                "--out",
                out.to_str().unwrap(),
            ],
            "2",
        );
        results.push((stdout, dir_bytes(&out)));
    }
    assert!(!results[0].1.is_empty());
    assert_eq!(results[0], results[1]);
}

#[test]
fn compare_out_files_are_identical_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    for run in ["a", "b"] {
        let out = dir.path().join(run);
        let stdout = run_ok(
            &[
                "compare",
                TUTORIAL,
                TUTORIAL,
                "--format",
                "json",
                "--out",
                out.to_str().unwrap(),
            ],
            "2",
        );
        results.push((stdout, dir_bytes(&out)));
    }
    assert!(!results[0].1.is_empty());
    assert_eq!(results[0], results[1]);
}

fn sweep_file(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let mut args = vec![
        "sweep",
        TUTORIAL_SWEEP,
        "--out",
        path.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    assert_code(&forcegen(&args), 0);
    path
}

#[test]
fn sweep_jsonl_is_identical_across_jobs_and_shard_merge() {
    let dir = tempfile::tempdir().unwrap();
    let one = sweep_file(dir.path(), "one.jsonl", &["--jobs", "1"]);
    let two = sweep_file(dir.path(), "two.jsonl", &["--jobs", "2"]);
    assert_eq!(fs::read(&one).unwrap(), fs::read(&two).unwrap());
    let shards: Vec<PathBuf> = (1..=3)
        .map(|i| {
            sweep_file(
                dir.path(),
                &format!("s{i}.jsonl"),
                &["--shard", &format!("{i}/3")],
            )
        })
        .collect();
    let merged = dir.path().join("merged.jsonl");
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--out", merged.to_str().unwrap()]);
    assert_code(&forcegen(&args), 0);
    assert_eq!(fs::read(&merged).unwrap(), fs::read(&one).unwrap());
}

#[test]
fn sweep_stdout_is_identical_across_runs_and_jobs() {
    let a = run_ok(&["sweep", TUTORIAL_SWEEP, "-q", "--jobs", "1"], "1");
    let b = run_ok(&["sweep", TUTORIAL_SWEEP, "-q", "--jobs", "2"], "2");
    assert_eq!(a, b);
    assert_eq!(String::from_utf8_lossy(&a).lines().count(), 13);
}

// ---- limits -----------------------------------------------------------------------------

/// microlp cannot finish the flagship with whole units in a second: the solve stops, and
/// reports the best plan found, verified, with status `time_limit`.
#[test]
fn the_time_limit_is_honoured_with_a_verified_plan() {
    let started = Instant::now();
    let output = forcegen(&[
        "solve",
        "scenarios/paris-2026/scenario.toml",
        "--solver",
        "microlp",
        "--time-limit",
        "1",
        "--no-asks",
        "--format",
        "json",
    ]);
    let elapsed = started.elapsed();
    assert_code(&output, 0);
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(doc["status"], "time_limit");
    let statuses: Vec<&str> = doc["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"time_limit"), "{statuses:?}");
    assert!(!doc["assignments"].as_array().unwrap().is_empty());
    assert!(
        stderr(&output).contains("time limit"),
        "{}",
        stderr(&output)
    );
    // One second of solving plus loading, formulating and checking; generous for a shared
    // machine, far below the 60 s default.
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
}

/// HiGHS stops at the time limit too: with a fifth of a second, the flagship's later stages
/// are cut short or not solved, and the plan reported is the best found, verified.
#[cfg(feature = "highs")]
#[test]
fn highs_honours_the_time_limit_with_a_verified_plan() {
    let output = forcegen(&[
        "solve",
        "scenarios/paris-2026/scenario.toml",
        "--time-limit",
        "0.2",
        "--no-asks",
        "--format",
        "json",
    ]);
    assert_code(&output, 0);
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(doc["status"], "time_limit");
    assert_eq!(doc["solver"]["backend"], "highs");
    let stages = doc["stages"].as_array().unwrap();
    assert!(
        stages.iter().any(|s| s["status"] != "optimal"),
        "{stages:?}"
    );
    // A stage not proven optimal has no proven gap.
    for s in stages.iter().filter(|s| s["status"] == "not_solved") {
        assert!(s["gap"].is_null(), "{s}");
    }
    assert!(!doc["assignments"].as_array().unwrap().is_empty());
}

/// A copy of the tutorial in `dir` with `file` replaced.
fn tutorial_with(dir: &Path, file: &str, content: &[u8]) -> String {
    for name in [
        "scenario.toml",
        "members.csv",
        "offers.csv",
        "requirements.csv",
        "substitutions.csv",
    ] {
        fs::copy(root().join("scenarios/tutorial").join(name), dir.join(name)).unwrap();
    }
    fs::write(dir.join(file), content).unwrap();
    dir.join("scenario.toml").to_str().unwrap().to_string()
}

#[test]
fn a_file_over_64_mib_is_refused_without_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = tutorial_with(dir.path(), "offers.csv", b"");
    // Sparse: 65 MiB that take no disk space.
    let file = fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join("offers.csv"))
        .unwrap();
    file.set_len(65 * 1024 * 1024).unwrap();
    let output = forcegen(&["validate", &scenario]);
    assert_code(&output, 65);
    let err = stderr(&output);
    assert!(err.contains("offers.csv"), "{err}");
    assert!(err.contains("larger than the limit of 64 MiB"), "{err}");
}

#[test]
fn more_than_100000_rows_are_refused_at_the_first_row_over() {
    let dir = tempfile::tempdir().unwrap();
    let mut members = String::from("id\n");
    for i in 0..100_001 {
        members.push_str(&format!("M{i}\n"));
    }
    let scenario = tutorial_with(dir.path(), "members.csv", members.as_bytes());
    let started = Instant::now();
    let output = forcegen(&["validate", &scenario]);
    // The tutorial's offers name members (FRA, GBR, ITA) not among the 100,000: finding
    // the closest id for each was quadratic in the table and took minutes.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_code(&output, 65);
    let err = stderr(&output);
    assert!(
        err.contains(
            "members.csv:100002:1: the `members` table has more than the limit of 100000 rows"
        ),
        "{}",
        &err[..err.len().min(2000)]
    );
}

#[test]
fn more_than_ten_million_pairs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut offers = String::from("member,capability,domain,units\n");
    for _ in 0..3200 {
        offers.push_str("FRA,frigate,sea,1\n");
    }
    let mut requirements = String::from("id,domain,capability,phase,target\n");
    for q in 0..3200 {
        requirements.push_str(&format!("r{q},sea,frigate,deployment,1\n"));
    }
    let scenario = tutorial_with(dir.path(), "offers.csv", offers.as_bytes());
    fs::write(dir.path().join("requirements.csv"), requirements).unwrap();
    // The tutorial's substitution names capabilities no longer offered or asked for.
    fs::write(
        dir.path().join("substitutions.csv"),
        "required,substitute,factor\n",
    )
    .unwrap();
    let toml = fs::read_to_string(dir.path().join("scenario.toml")).unwrap();
    fs::write(
        dir.path().join("scenario.toml"),
        toml.replace("substitutions = \"substitutions.csv\"\n", ""),
    )
    .unwrap();
    let started = Instant::now();
    let output = forcegen(&["validate", &scenario]);
    assert_code(&output, 65);
    let err = stderr(&output);
    assert!(
        err.contains(
            "more than 10000000 eligible offer-requirement pairs (3200 offers, 3200 requirements)"
        ),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_sweep_of_more_than_a_million_variants_is_refused_before_it_is_built() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "scenario.toml",
        "members.csv",
        "offers.csv",
        "requirements.csv",
        "substitutions.csv",
    ] {
        fs::copy(
            root().join("scenarios/tutorial").join(name),
            dir.path().join(name),
        )
        .unwrap();
    }
    let values: Vec<String> = (0..1000).map(|i| format!("{}", 1000 + i)).collect();
    let mut sweep = String::from("base = \"scenario.toml\"\n");
    for axis in ["a", "b", "c"] {
        sweep.push_str(&format!(
            "[[axis]]\nname = \"{axis}\"\nkind = \"set_max_troops\"\nvalues = [{}]\n",
            values.join(", ")
        ));
    }
    let path = dir.path().join("sweep.toml");
    fs::write(&path, sweep).unwrap();
    let started = Instant::now();
    let output = forcegen(&["sweep", path.to_str().unwrap(), "-q"]);
    assert_code(&output, 65);
    let err = stderr(&output);
    assert!(
        err.contains("the sweep has 1000000000 variants, more than the limit of 1000000"),
        "{err}"
    );
    assert!(err.contains("sweep.toml:1:1"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn absurd_numbers_are_refused_on_the_command_line_too() {
    let output = forcegen(&["solve", TUTORIAL, "--time-limit", "1e300"]);
    assert_code(&output, 2);
    assert!(stderr(&output).contains("too large"), "{}", stderr(&output));
}

/// Messages to a full or closed stderr are dropped, not a panic: the exit code still
/// tells what happened.
#[test]
fn a_full_stderr_does_not_change_the_exit_code() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    let output = run(forcegen_command(&[
        "solve",
        "scenarios/infeasible-floor/scenario.toml",
        "--format",
        "json",
    ])
    .stderr(Stdio::from(full)));
    assert_eq!(code(&output), 3);
}
