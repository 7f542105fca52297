//! `forcegen schema`: the JSON Schemas of scenarios and sweeps, checked against the
//! meta-schema, the shipped scenarios, invalid input and the loaders, and the copies
//! shipped in `docs/schema/`.

use std::path::PathBuf;

use serde_json::Value;

use crate::common::{code, forcegen, forcegen_in, root, scenario, stderr, stdout};

/// What `forcegen schema` (or `schema --sweep`) prints, parsed.
pub fn schema(sweep: bool) -> Value {
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
pub fn problems(schema: &Value, text: &str) -> Vec<String> {
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
            "{} is stale: regenerate with FORCEGEN_BLESS=1 cargo test --test it schema::",
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
