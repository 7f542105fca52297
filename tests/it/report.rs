//! `forcegen report`: structural checks of the HTML page, without a browser. The page must
//! be one self-contained document (nothing fetched), every chart must be there with its
//! values in text, names from scenario files must be escaped, and output deterministic.

use std::path::Path;

use crate::common::{code, forcegen, root, scenario, stderr};

/// Runs `forcegen report ARGS... -o OUT` and returns (exit code, page, stderr).
fn report(args: &[&str], out: &Path) -> (i32, String, String) {
    let mut all: Vec<&str> = vec!["report"];
    all.extend_from_slice(args);
    let out_str = out.to_str().expect("a UTF-8 temp path");
    all.extend_from_slice(&["-o", out_str]);
    let output = forcegen(&all);
    let page = std::fs::read_to_string(out).unwrap_or_default();
    (code(&output), page, stderr(&output))
}

/// The `<svg>` element with this id, whole.
fn chart<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("chart {id} is missing"));
    let open = page[..start].rfind("<svg").expect("the id is on an <svg>");
    let end = start + page[start..].find("</svg>").expect("the svg is closed");
    &page[open..end + "</svg>".len()]
}

/// One HTML document that loads nothing: no URL, no `src`, no stylesheet link, no script.
fn assert_self_contained(page: &str) {
    assert!(page.starts_with("<!DOCTYPE html><html"), "{}", &page[..60]);
    assert!(page.trim_end().ends_with("</html>"));
    assert_eq!(page.matches("<html").count(), 1);
    assert_eq!(page.matches("<body").count(), 1);
    for banned in [
        "http:",
        "https:",
        "//",
        " src=",
        "<link",
        "<script",
        "@import",
        "url(http",
        "@font-face",
    ] {
        // `//` would be a protocol-relative URL; the CSS and SVG here never need one.
        assert!(!page.contains(banned), "the page contains `{banned}`");
    }
    assert!(page.contains("Content-Security-Policy"));
    assert!(page.contains("@media print"), "a print stylesheet");
}

#[test]
fn a_scenario_report_is_one_self_contained_page_with_every_chart_labelled() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tutorial.html");
    let tutorial = scenario("tutorial");
    let (status, page, err) = report(&[tutorial.to_str().unwrap(), "--stress"], &out);
    assert_eq!(status, 0, "{err}");
    assert_self_contained(&page);

    // The heatmap: every domain x phase cell with its value, the empty ones marked.
    let heatmap = chart(&page, "chart-heatmap");
    for label in [
        "land",
        "sea",
        "air",
        "deployment",
        "sustainment",
        "75.0%",
        "90.0%",
        "91.7%",
    ] {
        assert!(
            heatmap.contains(&format!(">{label}<")),
            "heatmap lacks {label}"
        );
    }
    assert!(
        heatmap.contains(">—<"),
        "the cells without requirements are marked"
    );

    // Requirements grouped by priority, the shortfall marked in text and hatched.
    let bars = chart(&page, "chart-requirements");
    assert!(bars.contains("Priority 1: 2 requirement(s), coverage 100.0%, all met"));
    assert!(bars.contains("Priority 2: 2 requirement(s), coverage 75.0%, 1 with a shortfall"));
    assert!(bars.contains("50.0%  1/2 units, short 1"));
    assert!(bars.contains("url(#chart-requirements-hatch)"));

    // Burden: no burden keys in the tutorial, so shares only (EXPECTED.md: FRA 44%).
    let burden = chart(&page, "chart-burden");
    assert!(burden.contains("44.0%") && burden.contains("2000 troops"));

    // Whole units, with the relaxation beside them (equal on the tutorial), and each
    // stage's proven gap.
    assert!(page.contains("overall coverage, whole units"));
    assert!(page.contains("if units could be split (LP relaxation)"));
    assert!(page.contains("Whole units against the LP relaxation"));
    assert!(page.contains("proven gap"));

    // Asks: the Italian MCM vessel first, +8.3 points, as `solve` finds.
    let asks = chart(&page, "chart-asks");
    assert!(asks.contains("1. ITA/mcm_vessel/1"));
    assert!(asks.contains("+8.3 pts"));
    assert!(page.contains("capacity"), "the blockers table");

    // Stress: FRA's withdrawal costs 29.2 points (tests/it/stress.rs works it out by hand).
    let tornado = chart(&page, "chart-tornado");
    let fra = tornado.find(">FRA<").expect("FRA in the tornado");
    let ita = tornado.find(">ITA<").expect("ITA in the tornado");
    assert!(fra < ita, "the worst withdrawal is drawn first");
    assert!(tornado.contains("-29.2 pts") && tornado.contains("62.5%"));
}

#[test]
fn the_report_is_byte_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let tutorial = scenario("tutorial");
    let t = tutorial.to_str().unwrap();
    let (a, b) = (dir.path().join("a.html"), dir.path().join("b.html"));
    let (s1, first, _) = report(&[t, "--stress", "--jobs", "1"], &a);
    let (s2, second, _) = report(&[t, "--stress", "--jobs", "3"], &b);
    assert_eq!((s1, s2), (0, 0));
    assert_eq!(first, second);
}

#[test]
fn names_from_scenario_files_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("scenarios/tutorial");
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let toml = dir.path().join("scenario.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let renamed = text.replacen(
        "name = \"",
        "name = \"<script>alert(1)</script> & <b>Co</b> ",
        1,
    );
    assert_ne!(text, renamed, "the tutorial has a scenario name to change");
    std::fs::write(&toml, renamed).unwrap();
    let members = dir.path().join("members.csv");
    let text = std::fs::read_to_string(&members).unwrap();
    std::fs::write(
        &members,
        text.replace("FRA,France,", "FRA,\"Fr<img onerror=alert(1)>\","),
    )
    .unwrap();

    let out = dir.path().join("escaped.html");
    let (status, page, err) = report(&[toml.to_str().unwrap()], &out);
    assert_eq!(status, 0, "{err}");
    assert_self_contained(&page);
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;"));
    assert!(page.contains("Fr&lt;img onerror=alert(1)&gt;"));
    assert!(!page.contains("<b>Co") && !page.contains("<img"));
}

#[test]
fn an_infeasible_scenario_gets_a_page_of_its_unmet_floors_and_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("infeasible.html");
    let s = scenario("infeasible-floor");
    let (status, page, err) = report(&[s.to_str().unwrap()], &out);
    assert_eq!(status, 3, "{err}");
    assert!(
        err.contains("infeasible: 2 hard floor(s) cannot be met"),
        "{err}"
    );
    assert_self_contained(&page);
    let floors = chart(&page, "chart-floors");
    assert!(floors.contains("maritime-escort-1") && floors.contains("land-presence-1"));
    assert!(
        floors.contains(">2<") && floors.contains(">1<") && !floors.contains(">1.5<"),
        "reachable amounts in text"
    );
    assert!(page.contains("GBR/frigate/1 (1)"));
    assert!(
        !page.contains("chart-heatmap"),
        "no plan, so no coverage charts"
    );
}

#[test]
fn a_sweep_report_charts_the_distribution_and_each_axis() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = root().join("scenarios/tutorial/sweep.toml");
    let out = dir.path().join("sweep.html");
    let (status, page, err) = report(&[sweep.to_str().unwrap(), "--jobs", "2"], &out);
    assert_eq!(status, 0, "{err}");
    assert_self_contained(&page);
    let distribution = chart(&page, "chart-distribution");
    for group in ["overall", "land", "sea", "air"] {
        assert!(distribution.contains(&format!(">{group}<")), "{group}");
    }
    // 12 variants: 12 dots per row with a plan.
    assert_eq!(distribution.matches("<circle").count(), 4 * 12);
    let withdrawn = chart(&page, "chart-axis-1");
    for value in ["none", "FRA", "GBR", "ITA"] {
        assert!(withdrawn.contains(&format!(">{value}<")), "{value}");
    }
    // Without France the coverage median is 62.5% (three variants: sea demand 0.5 gives
    // 4.75/6, 1 gives 0.625 as in tests/it/stress.rs, 1.5 gives 3.42/6).
    assert!(withdrawn.contains("62.5%"));
    assert!(page.contains("chart-axis-2"));
    assert!(!page.contains("chart-axis-3"));

    // The same charts from the rows of an earlier `forcegen sweep` run.
    let rows = dir.path().join("rows.csv");
    let run = forcegen(&[
        "sweep",
        sweep.to_str().unwrap(),
        "--out",
        rows.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let again = dir.path().join("again.html");
    let (status, from_rows, err) = report(
        &[sweep.to_str().unwrap(), "--rows", rows.to_str().unwrap()],
        &again,
    );
    assert_eq!(status, 0, "{err}");
    for id in ["chart-distribution", "chart-axis-1", "chart-axis-2"] {
        assert_eq!(chart(&page, id), chart(&from_rows, id), "{id}");
    }
}

#[test]
fn rows_of_another_sweep_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("rows.csv");
    let tutorial_sweep = root().join("scenarios/tutorial/sweep.toml");
    let run = forcegen(&[
        "sweep",
        tutorial_sweep.to_str().unwrap(),
        "--out",
        rows.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code(&run), 0);
    // Same columns, another fingerprint: the sweep file differs by a comment.
    let other = dir.path().join("other.toml");
    let text = std::fs::read_to_string(&tutorial_sweep).unwrap();
    let base = root().join("scenarios/tutorial/scenario.toml");
    let text = text.replace(
        "base = \"scenario.toml\"",
        &format!("base = {:?}\n# another sweep", base.to_str().unwrap()),
    );
    std::fs::write(&other, text).unwrap();
    let out = dir.path().join("r.html");
    let (status, _, err) = report(
        &[other.to_str().unwrap(), "--rows", rows.to_str().unwrap()],
        &out,
    );
    assert_eq!(status, 65, "{err}");
    assert!(
        err.contains("field `sweep`") && err.contains("another sweep's fingerprint"),
        "{err}"
    );
    assert!(!out.exists(), "no page is written");
}

#[test]
fn misused_flags_missing_input_and_unwritable_output_have_their_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let tutorial = scenario("tutorial");
    let sweep = root().join("scenarios/tutorial/sweep.toml");

    let (status, _, err) = report(&[tutorial.to_str().unwrap(), "--rows", "rows.csv"], &out);
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("`--rows` applies to a sweep file"));
    let (status, _, err) = report(&[sweep.to_str().unwrap(), "--stress"], &out);
    assert_eq!(status, 2, "{err}");
    let (status, _, err) = report(&["no/such/scenario.toml"], &out);
    assert_eq!(status, 66, "{err}");
    assert!(
        err.contains("no/such/scenario.toml: file not found"),
        "{err}"
    );
    assert!(!out.exists());

    // A directory where the file should go: exit 74 and nothing half-written.
    let blocked = dir.path().join("blocked.html");
    std::fs::create_dir(&blocked).unwrap();
    let (status, _, err) = report(&[tutorial.to_str().unwrap(), "--no-asks"], &blocked);
    assert_eq!(status, 74, "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("blocked.html")]);
}
