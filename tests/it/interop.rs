//! Schema, init, completions, man pages, the fair-share list, and markdown fit for a CI job
//! summary.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::{code, forcegen, forcegen_in, root, scenario, stderr, stdout};

fn schema(sweep: bool) -> Value {
    let args: &[&str] = if sweep {
        &["schema", "--sweep"]
    } else {
        &["schema"]
    };
    let out = forcegen(args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("the schema is JSON")
}

fn toml_as_json(text: &str) -> Value {
    let value: toml::Value = toml::from_str(text).expect("valid TOML");
    serde_json::to_value(value).unwrap()
}

/// The schema's complaints about `text`, as strings (empty when it is valid).
fn problems(schema: &Value, text: &str) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("a usable schema");
    let instance = toml_as_json(text);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn shipped_tomls() -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut scenarios = Vec::new();
    let mut sweeps = Vec::new();
    for dir in std::fs::read_dir(root().join("scenarios")).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                if path.file_name().unwrap() == "scenario.toml" {
                    scenarios.push(path);
                } else {
                    sweeps.push(path);
                }
            }
        }
    }
    scenarios.sort();
    sweeps.sort();
    (scenarios, sweeps)
}

#[test]
fn the_schemas_are_valid_draft_2020_12() {
    for sweep in [false, true] {
        let s = schema(sweep);
        assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
        jsonschema::meta::validate(&s).expect("valid against the draft 2020-12 meta-schema");
    }
}

#[test]
fn every_shipped_scenario_and_sweep_validates_against_the_schema() {
    let (scenarios, sweeps) = shipped_tomls();
    assert!(
        scenarios.len() >= 3 && sweeps.len() >= 3,
        "{scenarios:?} {sweeps:?}"
    );
    let scenario_schema = schema(false);
    for path in &scenarios {
        let text = std::fs::read_to_string(path).unwrap();
        let found = problems(&scenario_schema, &text);
        assert!(found.is_empty(), "{}: {found:?}", path.display());
    }
    let sweep_schema = schema(true);
    for path in &sweeps {
        let text = std::fs::read_to_string(path).unwrap();
        let found = problems(&sweep_schema, &text);
        assert!(found.is_empty(), "{}: {found:?}", path.display());
    }
}

#[test]
fn invalid_scenarios_are_rejected_by_the_schema() {
    let s = schema(false);
    let cases = [
        ("[solver]\ntime_limit = 5\n", "time_limit"),
        ("[solver]\ntime_limit_s = \"60\"\n", "time_limit_s"),
        ("[solver]\nbackend = \"cplex\"\n", "backend"),
        ("[objective]\nfairness = \"gdp\"\n", "fairness"),
        ("[checks]\nmin_coverage = 1.5\n", "min_coverage"),
        ("[[phase]]\nsustained = true\n", "id"),
        (
            "[[offers]]\nmember = \"FRA\"\ncapability = \"frigate\"\ndomain = \"sea\"\n",
            "units",
        ),
        (
            "[[requirements]]\nid = \"r\"\ndomain = \"sea\"\ncapability = \"frigate\"\ntarget = 2\npriority = 7\n",
            "priority",
        ),
        (
            "[tables]\nmembers = \"m.csv\"\nmember = \"x.csv\"\n",
            "member",
        ),
        ("shedule = 1\n", "shedule"),
    ];
    for (text, named) in cases {
        let found = problems(&s, text);
        assert!(!found.is_empty(), "accepted: {text}");
        assert!(
            found.iter().any(|p| p.contains(named)),
            "{text}: {found:?} does not name {named}"
        );
    }
}

#[test]
fn invalid_sweeps_are_rejected_by_the_schema() {
    let s = schema(true);
    let cases = [
        "mode = \"grid\"\n",
        "base = \"s.toml\"\nmode = \"cross\"\n",
        "base = \"s.toml\"\n[[axis]]\nname = \"a\"\nkind = \"drop_members\"\nvalues = [[]]\n",
        "base = \"s.toml\"\n[[axis]]\nname = \"a\"\nkind = \"scale_offers\"\nvalues = [-1]\n",
        "base = \"s.toml\"\n[[axis]]\nname = \"a\"\nkind = \"remove_members\"\nvalues = [1]\n",
        "base = \"s.toml\"\n[[axis]]\nname = \"a\"\nkind = \"scale_offers\"\nselect = { region = \"x\" }\nvalues = [1]\n",
        "base = \"s.toml\"\n[monte_carlo]\nsamples = 0\n",
    ];
    for text in cases {
        assert!(!problems(&s, text).is_empty(), "accepted: {text}");
    }
}

/// Every key the sweep schema names, set at once, is accepted by the sweep loader: the
/// schema names no key the loader does not know.
#[test]
fn a_sweep_using_every_schema_key_loads() {
    let s = schema(true);
    let keys = |v: &Value| -> Vec<String> {
        v["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(keys(&s), ["base", "mode", "axis", "monte_carlo"]);
    let axis = &s["properties"]["axis"]["items"];
    assert_eq!(keys(axis), ["name", "kind", "select", "values"]);
    assert_eq!(
        keys(&axis["properties"]["select"]),
        ["domain", "phase", "capability", "member", "id"]
    );
    assert_eq!(keys(&s["properties"]["monte_carlo"]), ["samples", "seed"]);
    let kinds: Vec<String> = axis["properties"]["kind"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    for (i, kind) in kinds.iter().enumerate() {
        let values = if kind == "remove_members" {
            "[[], [\"FRA\"]]"
        } else {
            "[1.0, 0.5]"
        };
        let text = format!(
            "base = \"{}\"\nmode = \"zip\"\n\n[[axis]]\nname = \"a\"\nkind = \"{kind}\"\n\
             select = {{ domain = \"land\", phase = \"deployment\", capability = \"mech_inf_bn\", member = \"FRA\", id = \"FRA/mech_inf_bn/1\" }}\n\
             values = {values}\n\n[monte_carlo]\nsamples = 2\nseed = 3\n",
            scenario("tutorial").display()
        );
        assert!(problems(&s, &text).is_empty(), "{text}");
        let path = dir.path().join(format!("sweep-{i}.toml"));
        std::fs::write(&path, &text).unwrap();
        let loaded = forcegen::analysis::sweep::Sweep::load(&path);
        assert!(loaded.is_ok(), "{kind}: {:?}", loaded.err());
    }
}

/// `docs/schema/*.json` are what `forcegen schema` prints (FORCEGEN_BLESS=1 rewrites them).
#[test]
fn the_shipped_schema_files_are_current() {
    for (file, sweep) in [("scenario.schema.json", false), ("sweep.schema.json", true)] {
        let path = root().join("docs/schema").join(file);
        let mut generated = serde_json::to_string_pretty(&schema(sweep)).unwrap();
        generated.push('\n');
        if std::env::var_os("FORCEGEN_BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let shipped = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            shipped == generated,
            "{} is stale: regenerate with FORCEGEN_BLESS=1 cargo test --test it interop",
            path.display()
        );
    }
}

#[test]
fn schema_out_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = forcegen_in(dir.path(), &["schema", "--out", "s.json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("s.json")).unwrap()).unwrap();
    assert_eq!(written, schema(false));
}

fn init(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    forcegen_in(dir, &all)
}

#[test]
fn init_writes_a_scenario_that_validates_solves_and_passes_its_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), &["starter"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let starter = dir.path().join("starter");
    let mut names: Vec<String> = std::fs::read_dir(&starter)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "members.csv",
            "offers.csv",
            "requirements.csv",
            "scenario.schema.json",
            "scenario.toml",
            "substitutions.csv"
        ]
    );
    let toml = std::fs::read_to_string(starter.join("scenario.toml")).unwrap();
    assert!(toml.starts_with("#:schema ./scenario.schema.json\n"));
    // Commented: every key has a comment nearby, every CSV explains its columns.
    assert!(toml.matches('#').count() > 20, "{toml}");
    for csv in ["members.csv", "offers.csv", "requirements.csv"] {
        let text = std::fs::read_to_string(starter.join(csv)).unwrap();
        let header = text.lines().find(|l| !l.starts_with('#')).unwrap();
        for column in header.split(',') {
            assert!(
                text.lines()
                    .filter(|l| l.starts_with('#'))
                    .any(|l| l.contains(column)),
                "{csv}: column {column} is not explained"
            );
        }
    }
    let found = problems(&schema(false), &toml);
    assert!(found.is_empty(), "{found:?}");
    for args in [
        vec!["validate", "starter/scenario.toml"],
        vec!["solve", "starter/scenario.toml", "--format", "json"],
        vec!["check", "starter/scenario.toml", "--format", "table"],
        vec![
            "solve",
            "starter/scenario.toml",
            "--integer",
            "--format",
            "json",
            "--no-asks",
        ],
    ] {
        let out = forcegen_in(dir.path(), &args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    }
    let out = forcegen_in(
        dir.path(),
        &[
            "solve",
            "starter/scenario.toml",
            "--format",
            "json",
            "--no-asks",
        ],
    );
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["status"], "optimal");
    let stages: Vec<&str> = doc["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(stages.contains(&"burden"), "{stages:?}");
}

#[test]
fn init_refuses_to_overwrite_and_leaves_the_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("offers.csv"), "mine\n").unwrap();
    let out = init(dir.path(), &["."]);
    assert_eq!(code(&out), 74);
    assert!(
        stderr(&out).contains("refusing to overwrite ./offers.csv"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("nothing was written"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("offers.csv")).unwrap(),
        "mine\n"
    );
    assert!(
        !dir.path().join("scenario.toml").exists(),
        "nothing half-written"
    );
    let out = init(dir.path(), &[".", "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_ne!(
        std::fs::read_to_string(dir.path().join("offers.csv")).unwrap(),
        "mine\n"
    );
    // A file where the directory should be.
    std::fs::write(dir.path().join("blocked"), "").unwrap();
    assert_eq!(code(&init(dir.path(), &["blocked"])), 74);
}

const COMMANDS: [&str; 12] = [
    "validate",
    "solve",
    "check",
    "sweep",
    "merge",
    "stress",
    "compare",
    "export",
    "schema",
    "init",
    "completions",
    "man",
];

#[test]
fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = forcegen(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", stderr(&out));
        let text = stdout(&out);
        for command in COMMANDS {
            assert!(text.contains(command), "{shell}: no {command}");
        }
        assert!(text.contains("stage") && text.contains("mps"), "{shell}");
    }
    assert_eq!(code(&forcegen(&["completions", "tcsh"])), 2);
}

#[test]
fn man_pages_cover_every_command() {
    let out = forcegen(&["man"]);
    assert_eq!(code(&out), 0);
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH forcegen 1"),
        "{page}"
    );
    assert!(page.contains(".TH forcegen 1"));
    for command in COMMANDS {
        assert!(
            page.contains(command),
            "forcegen.1 does not mention {command}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = forcegen_in(dir.path(), &["man", "--out", "man"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for command in COMMANDS {
        let sub = std::fs::read_to_string(dir.path().join(format!("man/forcegen-{command}.1")))
            .unwrap_or_else(|_| panic!("no forcegen-{command}.1"));
        assert!(sub.contains(&format!(".TH forcegen-{command} 1")), "{sub}");
    }
    let export = std::fs::read_to_string(dir.path().join("man/forcegen-export.1")).unwrap();
    assert!(export.contains("mps") && export.contains("stage"));
}

/// The tutorial with burden keys (3000, 3000, 2000) and nothing else changed: the plan is the
/// tutorial's (EXPECTED.md), troops FRA 2000, GBR 1000, ITA 1550, 4550 in all. Key shares
/// 3/8, 3/8, 1/4 give fair shares 1706.25, 1706.25, 1137.5: FRA +293.75 (ratio
/// 2000/4550/0.375 = 1.172), ITA +412.5 (1.363) over; GBR -706.25 (0.586) under.
#[test]
fn fair_share_lists_the_members_most_over_and_under() {
    let dir = tempfile::tempdir().unwrap();
    let tutorial = root().join("scenarios/tutorial");
    for entry in std::fs::read_dir(&tutorial).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let members = std::fs::read_to_string(dir.path().join("members.csv")).unwrap();
    let members = members
        .replace("FRA,France,,", "FRA,France,3000,")
        .replace("GBR,United Kingdom,,", "GBR,United Kingdom,3000,")
        .replace("ITA,Italy,,", "ITA,Italy,2000,");
    assert_eq!(members.matches("000,").count(), 4, "{members}");
    std::fs::write(dir.path().join("members.csv"), members).unwrap();

    let out = forcegen_in(
        dir.path(),
        &["solve", "scenario.toml", "--format", "json", "--no-asks"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = &doc["fair_share"];
    assert_eq!(f["measure"], "troops");
    let entry = |e: &Value| {
        (
            e["member"].as_str().unwrap().to_string(),
            e["burden"].as_f64().unwrap(),
            e["fair"].as_f64().unwrap(),
            e["difference"].as_f64().unwrap(),
            (e["burden_ratio"].as_f64().unwrap() * 1000.0).round() / 1000.0,
        )
    };
    let over: Vec<_> = f["over"].as_array().unwrap().iter().map(entry).collect();
    let under: Vec<_> = f["under"].as_array().unwrap().iter().map(entry).collect();
    assert_eq!(
        over,
        [
            ("ITA".into(), 1550.0, 1137.5, 412.5, 1.363),
            ("FRA".into(), 2000.0, 1706.25, 293.75, 1.172)
        ]
    );
    assert_eq!(under, [("GBR".into(), 1000.0, 1706.25, -706.25, 0.586)]);

    let out = forcegen_in(
        dir.path(),
        &[
            "solve",
            "scenario.toml",
            "--format",
            "markdown",
            "--no-asks",
            "--table",
            "fair_share",
        ],
    );
    let text = stdout(&out);
    assert!(
        text.contains(
            "| side | member | name | troops | fair_troops | difference | burden_ratio |"
        ),
        "{text}"
    );
    assert!(
        text.contains("| over | ITA | Italy | 1550 | 1137.5 | +412.5 | 1.36 |"),
        "{text}"
    );
    assert!(
        text.contains("| under | GBR | United Kingdom | 1000 | 1706.25 | -706.25 | 0.59 |"),
        "{text}"
    );

    // Without burden keys (the tutorial itself) there is no list, in JSON or tables.
    let out = forcegen(&[
        "solve",
        scenario("tutorial").to_str().unwrap(),
        "--format",
        "json",
        "--no-asks",
    ]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc.get("fair_share"), None);
}

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
