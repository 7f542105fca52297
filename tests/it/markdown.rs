//! `--format markdown`: output fit for a CI job summary (GitHub-flavoured tables, no
//! terminal escapes), even with pipes and line breaks in names.

use serde_json::json;

use crate::common::{code, forcegen, forcegen_in, root, scenario, stderr, stdout};

/// Checks `text` is GitHub-flavoured markdown fit for a job summary: no terminal escapes,
/// a heading first, and every `|` line parsed as part of a table (so a header separator is
/// there and the column counts agree).
fn assert_job_summary_markdown(what: &str, text: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    assert!(!text.contains('\u{1b}'), "{what}: terminal escape codes");
    assert!(
        text.starts_with("## "),
        "{what}: starts with a heading:\n{text}"
    );
    let pipe_lines = text.lines().filter(|l| l.starts_with('|')).count();
    assert!(pipe_lines > 0, "{what}: no table");
    let mut tables = 0;
    let mut rows = 0;
    let mut cells_in_row = 0;
    let mut columns = Vec::new();
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                tables += 1;
                columns.push(alignments.len());
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => cells_in_row = 0,
            Event::Start(Tag::TableCell) => cells_in_row += 1,
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                rows += 1;
                assert_eq!(
                    Some(&cells_in_row),
                    columns.last(),
                    "{what}: a row with another number of cells"
                );
            }
            _ => {}
        }
    }
    // Every `|` line is a header, a separator or a row of a parsed table.
    assert_eq!(
        pipe_lines,
        rows + tables,
        "{what}: a `|` line outside a table:\n{text}"
    );
}

#[test]
fn markdown_output_of_every_command_is_fit_for_a_job_summary() {
    let tutorial = scenario("tutorial");
    let t = tutorial.to_str().unwrap();
    let sweep = root().join("scenarios/tutorial/sweep.toml");
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("solve", vec!["solve", t, "--format", "markdown"]),
        ("check", vec!["check", t, "--format", "markdown"]),
        ("stress", vec!["stress", t, "--format", "markdown"]),
        ("compare", vec!["compare", t, t, "--format", "markdown"]),
        (
            "sweep",
            vec![
                "sweep",
                sweep.to_str().unwrap(),
                "--format",
                "markdown",
                "-q",
            ],
        ),
    ];
    for (what, args) in runs {
        let out = forcegen(&args);
        assert!(code(&out) <= 1, "{what}: {}", stderr(&out));
        assert_job_summary_markdown(what, &stdout(&out));
    }
}

#[test]
fn markdown_cells_with_pipes_and_line_breaks_stay_in_their_cell() {
    let dir = tempfile::tempdir().unwrap();
    let tutorial = root().join("scenarios/tutorial");
    for entry in std::fs::read_dir(&tutorial).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let members = std::fs::read_to_string(dir.path().join("members.csv"))
        .unwrap()
        .replace("FRA,France,", "FRA,\"Fr|an\nce\",");
    std::fs::write(dir.path().join("members.csv"), members).unwrap();
    let toml = std::fs::read_to_string(dir.path().join("scenario.toml"))
        .unwrap()
        .replace(
            "name = \"Tutorial: three-nation reassurance force\"",
            "name = \"A | B\\nC\"",
        );
    std::fs::write(dir.path().join("scenario.toml"), toml).unwrap();
    let out = forcegen_in(
        dir.path(),
        &[
            "solve",
            "scenario.toml",
            "--format",
            "markdown",
            "--no-asks",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Fr\\|an ce"), "{text}");
    assert_job_summary_markdown("solve", &text);
    assert_eq!(
        json!(text.lines().next()),
        json!(
            "## A \\| B C: optimal, overall coverage 91.7% in whole units (91.7% if units could be split)"
        )
    );
}
