//! Sweeps: rows independent of --jobs, shards that merge back to the whole, resuming after
//! an interruption, failed variants recorded while the rest complete.

use std::path::Path;

use crate::common::{code, forcegen, forcegen_with_fault, stderr, stdout};

const SWEEP: &str = "scenarios/tutorial/sweep.toml";

fn sweep_to(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["sweep", SWEEP, "--out", out.to_str().unwrap(), "-q"];
    args.extend_from_slice(extra);
    forcegen(&args)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn rows_are_identical_for_one_and_two_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    assert_eq!(code(&sweep_to(&a, &["--jobs", "1"])), 0);
    assert_eq!(code(&sweep_to(&b, &["--jobs", "2"])), 0);
    assert_eq!(read(&a), read(&b));
    // 4 withdrawals x 3 sea demands, plus the header.
    assert_eq!(read(&a).lines().count(), 13);
}

#[test]
fn jsonl_rows_carry_the_same_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.jsonl");
    assert_eq!(code(&sweep_to(&path, &[])), 0);
    let text = read(&path);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["variant"], "v001");
    assert_eq!(first["axis:withdrawn"], "none");
    assert_eq!(first["status"], "optimal");
    assert_eq!(text.lines().count(), 12);
}

#[test]
fn the_unchanged_variant_matches_solve() {
    let output = forcegen(&["sweep", SWEEP, "-q"]);
    assert_eq!(code(&output), 0);
    let rows = stdout(&output);
    // v002 is the base scenario: nobody withdrawn, sea demand x1.
    let v002 = rows.lines().find(|l| l.contains(",v002,")).unwrap();
    assert!(v002.contains(",none,1,,optimal,0.916666667,"), "{v002}");
    assert!(v002.contains(",priority-1,0,"), "{v002}");
}

#[test]
fn shards_merge_into_the_unsharded_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.csv");
    assert_eq!(code(&sweep_to(&whole, &[])), 0);
    let mut shards = Vec::new();
    for i in 1..=3 {
        let path = dir.path().join(format!("shard{i}.csv"));
        let shard = format!("{i}/3");
        assert_eq!(code(&sweep_to(&path, &["--shard", &shard])), 0);
        shards.push(path);
    }
    let merged = dir.path().join("merged.csv");
    let mut args = vec!["merge", "--out", merged.to_str().unwrap()];
    args.extend(shards.iter().map(|p| p.to_str().unwrap()));
    let output = forcegen(&args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(read(&merged), read(&whole));

    // A missing shard, a doubled shard: refused.
    let output = forcegen(&[
        "merge",
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 65);
    assert!(stderr(&output).contains("missing"), "{}", stderr(&output));
    let args: Vec<&str> = ["merge"]
        .into_iter()
        .chain(shards.iter().map(|p| p.to_str().unwrap()))
        .chain([shards[0].to_str().unwrap()])
        .collect();
    let output = forcegen(&args);
    assert_eq!(code(&output), 65);
    assert!(
        stderr(&output).contains("is in both"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn shards_of_different_sweeps_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    assert_eq!(code(&sweep_to(&a, &["--shard", "1/2"])), 0);
    // The same sweep with one more value is a different sweep.
    let other_sweep = dir.path().join("other.toml");
    let text = read(&crate::common::root().join(SWEEP))
        .replace(
            "scenario.toml",
            crate::common::scenario("tutorial").to_str().unwrap(),
        )
        .replace("[0.5, 1.0, 1.5]", "[0.5, 1.0, 2.0]");
    std::fs::write(&other_sweep, text).unwrap();
    let b = dir.path().join("b.csv");
    let output = forcegen(&[
        "sweep",
        other_sweep.to_str().unwrap(),
        "--shard",
        "2/2",
        "--out",
        b.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = forcegen(&["merge", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code(&output), 65);
    assert!(
        stderr(&output).contains("different sweeps"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_resumed_sweep_ends_with_every_variant_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.csv");
    assert_eq!(code(&sweep_to(&whole, &[])), 0);
    // An interrupted run: the header, five rows, and half of the sixth.
    let full = read(&whole);
    let lines: Vec<&str> = full.lines().collect();
    let cut = format!("{}\n{}", lines[..6].join("\n"), &lines[6][..10]);
    let partial = dir.path().join("partial.csv");
    std::fs::write(&partial, cut).unwrap();
    let output = sweep_to(&partial, &["--resume"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(read(&partial), full);
    // Resuming a complete file solves nothing and changes nothing.
    let output = sweep_to(&partial, &["--resume"]);
    assert_eq!(code(&output), 0);
    assert_eq!(read(&partial), full);
}

#[test]
#[cfg_attr(
    not(feature = "fault-injection"),
    ignore = "breaks plans on purpose: needs --features fault-injection"
)]
fn failed_variants_are_rows_and_the_sweep_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.csv");
    // Corrupt the plans of the variants with two members left: the checker refuses them.
    let output = forcegen_with_fault(
        "corrupt-plan:members=2",
        &["sweep", SWEEP, "--out", path.to_str().unwrap(), "-q"],
    );
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("9 of 12 variants failed"),
        "{}",
        stderr(&output)
    );
    let rows = read(&path);
    assert_eq!(rows.lines().filter(|l| l.contains(",error,")).count(), 9);
    assert_eq!(rows.lines().filter(|l| l.contains(",optimal,")).count(), 3);
    assert!(
        rows.contains("independent check") || rows.contains("verification"),
        "{rows}"
    );

    // --fail-fast stops early: fewer rows, still exit 1.
    let path = dir.path().join("fast.csv");
    let output = forcegen_with_fault(
        "corrupt-plan:members=2",
        &[
            "sweep",
            SWEEP,
            "--out",
            path.to_str().unwrap(),
            "-q",
            "--fail-fast",
            "--jobs",
            "1",
        ],
    );
    assert_eq!(code(&output), 1);
    assert!(read(&path).lines().count() < 13);
}

#[test]
fn the_summary_gives_quantiles_and_the_worst_variants() {
    let output = forcegen(&["sweep", SWEEP, "--format", "markdown"]);
    assert_eq!(code(&output), 0);
    let md = stdout(&output);
    // Without France and with half again the sea demand: 3.42/6 (see report.rs).
    assert!(md.contains("| overall | 56.9% |"), "{md}");
    assert!(md.contains("### Worst variants"), "{md}");
    assert!(
        md.contains("| v006 | 56.9% | withdrawn=FRA, sea_demand=1.5 |"),
        "{md}"
    );
}

#[test]
fn bad_sweep_files_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    let base = crate::common::scenario("tutorial");
    std::fs::write(
        &path,
        format!(
            "base = {:?}\n[[axis]]\nname = \"w\"\nkind = \"remove_members\"\nvalues = [[\"XXX\"]]\n",
            base.to_str().unwrap()
        ),
    )
    .unwrap();
    let output = forcegen(&["sweep", path.to_str().unwrap()]);
    assert_eq!(code(&output), 65);
    assert!(
        stderr(&output).contains("bad.toml:5:"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("unknown member `XXX`"),
        "{}",
        stderr(&output)
    );
    let output = forcegen(&["sweep", "nope.toml"]);
    assert_eq!(code(&output), 66);
}

/// A copy of the tutorial whose members deliver with probability one half.
fn unreliable_tutorial(dir: &Path) -> std::path::PathBuf {
    let src = crate::common::root().join("scenarios/tutorial");
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    let members = read(&dir.join("members.csv"))
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_string()
            } else {
                format!("{l}0.5")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("members.csv"), members + "\n").unwrap();
    let sweep = dir.join("mc.toml");
    std::fs::write(
        &sweep,
        "base = \"scenario.toml\"\n[monte_carlo]\nsamples = 40\nseed = 7\n",
    )
    .unwrap();
    sweep
}

#[test]
fn monte_carlo_samples_are_seeded_and_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = unreliable_tutorial(dir.path());
    let run = |seed: &str| {
        let text = read(&sweep).replace("seed = 7", seed);
        std::fs::write(&sweep, text).unwrap();
        let output = forcegen(&["sweep", sweep.to_str().unwrap(), "-q", "--jobs", "2"]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        stdout(&output)
    };
    let a = run("seed = 7");
    assert_eq!(a, run("seed = 7"));
    assert_eq!(a.lines().count(), 41);
    assert!(a.contains(",v001-s040,"), "{a}");
    // With reliability 1/2, members drop in some samples and not in others.
    let column = a
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "dropped")
        .unwrap();
    let dropped: Vec<&str> = a
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(column).unwrap())
        .collect();
    assert!(dropped.iter().any(|d| d.is_empty()));
    assert!(dropped.iter().any(|d| d.contains("FRA")));
    assert!(dropped.iter().filter(|d| d.contains('+')).count() > 3);
    let b = run("seed = 8");
    assert_ne!(
        a.replace(|c: char| c.is_ascii_hexdigit(), ""),
        b.replace(|c: char| c.is_ascii_hexdigit(), "")
    );
}
