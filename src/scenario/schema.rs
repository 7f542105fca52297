//! The JSON Schema (draft 2020-12) of the scenario TOML, for editor completion and checks.
//!
//! The keys and required columns come from the loader's own lists (`load.rs`, `tables.rs`),
//! so the schema names exactly the keys the loader accepts; each key's type and help text
//! come from `key` below, and a unit test checks that every key of those lists has one
//! and that no entry is stale.

use serde_json::{Value, json};

use super::Backend;
use super::load::{
    CHECK_KEYS, OBJECTIVE_KEYS, PHASE_KEYS, SCENARIO_KEYS, SOLVER_KEYS, TABLE_KEYS, TOP_KEYS,
};
use super::source::Columns;
use super::tables::{MEMBER_COLUMNS, OFFER_COLUMNS, REQUIREMENT_COLUMNS, SUBSTITUTION_COLUMNS};

/// The draft the schemas follow.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The scenario TOML's schema.
pub fn scenario_schema() -> Value {
    let mut schema = object("", TOP_KEYS, &[]);
    let map = schema.as_object_mut().expect("an object schema");
    let mut head = serde_json::Map::new();
    head.insert("$schema".into(), json!(DRAFT));
    head.insert("title".into(), json!("forcegen scenario"));
    head.insert(
        "description".into(),
        json!(
            "A forcegen scenario: members, offers and requirements (CSV files named under [tables], or inline [[members]], [[offers]], ... tables), phases, objective, solver and checks."
        ),
    );
    head.extend(std::mem::take(map));
    Value::Object(head)
}

/// The `type`, limits and help text of one key, by the section (`""` for the top level)
/// it is in.
fn key(section: &str, name: &str) -> Option<Value> {
    let string = |d: &str| json!({"type": "string", "description": d});
    let number = |d: &str, min: f64| json!({"type": "number", "minimum": min, "description": d});
    let positive = |d: &str| json!({"type": "number", "exclusiveMinimum": 0, "description": d});
    let fraction =
        |d: &str| json!({"type": "number", "exclusiveMinimum": 0, "maximum": 1, "description": d});
    let probability =
        |d: &str| json!({"type": "number", "minimum": 0, "maximum": 1, "description": d});
    let list = |d: &str| {
        json!({
            "description": d,
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
        })
    };
    let rows = |columns: &Columns, d: &str| json!({"type": "array", "description": d, "items": object(columns.table, columns.known, columns.required)});
    let thresholds = |d: &str| json!({"type": "object", "description": d, "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}});
    let value = match (section, name) {
        ("", "scenario") => object("scenario", SCENARIO_KEYS, &[]),
        ("", "phase") => json!({
            "type": "array",
            "description": "The phases, in order (default: one phase \"all\", not sustained).",
            "items": object("phase", PHASE_KEYS, &["id"]),
        }),
        ("", "tables") => object("tables", TABLE_KEYS, &[]),
        ("", "objective") => object("objective", OBJECTIVE_KEYS, &[]),
        ("", "solver") => object("solver", SOLVER_KEYS, &[]),
        ("", "checks") => object("checks", CHECK_KEYS, &[]),
        ("", "members") => rows(
            &MEMBER_COLUMNS,
            "Members inline (instead of [tables] members).",
        ),
        ("", "offers") => rows(
            &OFFER_COLUMNS,
            "Offers inline (instead of [tables] offers).",
        ),
        ("", "requirements") => rows(
            &REQUIREMENT_COLUMNS,
            "Requirements inline (instead of [tables] requirements).",
        ),
        ("", "substitutions") => rows(
            &SUBSTITUTION_COLUMNS,
            "Substitutions inline (instead of [tables] substitutions).",
        ),
        ("scenario", "name") => string("Display name (default: the folder's name)."),
        ("scenario", "description") => string("Free text for reports."),
        ("scenario", "domains") => json!({
            "type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": true,
            "description": "The domains (default: land, sea, air).",
        }),
        ("phase", "id") => string("Phase id, unique."),
        ("phase", "sustained") => {
            json!({"type": "boolean", "description": "Long presence: offer rotation ratios apply (default false: a surge)."})
        }
        ("tables", "workbook") => string(
            "A workbook (.xlsx, .xlsm, .xls, .ods), relative to this file, whose sheets members, offers, requirements and (optional) substitutions hold the tables not named otherwise.",
        ),
        ("tables", table) => string(&format!(
            "The {table}: a CSV file, a workbook (its sheet `{table}`) or `FILE.xlsx#SHEET`, relative to this file."
        )),
        ("objective", "fairness") => json!({
            "enum": ["troops", "cost"],
            "description": "Adds the burden stage: a member's troops or cost against its burden_key.",
        }),
        ("solver", "backend") => json!({
            "enum": Backend::ALL.iter().map(|b| b.name()).collect::<Vec<_>>(),
            "description": "Solver backend: highs (built in, the default) or microlp (pure Rust; the only one in a --no-default-features build).",
        }),
        ("solver", "integer") => {
            json!({"type": "boolean", "description": "Whole units only, a MILP (default true); false: the LP relaxation, fractions of units allowed."})
        }
        ("solver", "time_limit_s") => {
            positive("Time limit for the whole solve, in seconds (default 60).")
        }
        ("solver", "mip_gap") => number("Relative MIP gap (default 0.0001).", 0.0),
        ("checks", "min_coverage") => probability("Least overall coverage, in [0, 1]."),
        ("checks", "strict") => {
            json!({"type": "boolean", "description": "Every warning of loading the scenario is an error (exit 65), as with --strict (default false)."})
        }
        ("checks", "min_domain_coverage") => {
            thresholds("Least coverage by domain, e.g. { land = 0.95 }.")
        }
        ("checks", "min_phase_coverage") => thresholds("Least coverage by phase id."),
        ("checks", "min_priority_coverage") => {
            thresholds("Least coverage by priority level, \"1\" to \"5\".")
        }
        ("members", "id") => string("Short unique id, e.g. FRA."),
        ("members", "name") => string("Display name (default: the id)."),
        ("members", "burden_key") => positive("Fair-share key, e.g. GDP."),
        ("members", "max_troops") => number("Most troops deployed at once, per phase.", 0.0),
        ("members", "max_cost") => number("Most cost per phase.", 0.0),
        ("members", "caveats") => list("Caveat tags, e.g. no_combat (`;`-separated or a list)."),
        ("members", "reliability") => {
            probability("Probability that the member delivers, for Monte Carlo sweeps (default 1).")
        }
        ("offers", "id") => string("Unique offer id (default MEMBER/capability/n)."),
        ("offers", "member") => string("A member id."),
        ("offers", "capability") => string("E.g. mech_inf_bn, frigate, fighter_sqn."),
        ("offers", "domain") => string("One of the scenario's domains."),
        ("offers", "units") => positive("Units offered."),
        ("offers", "troops_per_unit") => number("Troops in one unit (default 0).", 0.0),
        ("offers", "cost_per_unit") => {
            number("Cost of one deployed unit per phase (default 0).", 0.0)
        }
        ("offers", "readiness_days") => number("Days to be ready to deploy (default 0).", 0.0),
        ("offers", "rotation") => number(
            "Units in the pool to keep one deployed in a sustained phase (default 1).",
            1.0,
        ),
        ("offers", "phases") => list("Phase ids the offer is available for (default: all)."),
        ("offers", "equipment") => list("Per unit, item:count, e.g. mbt:14;ifv:44."),
        ("requirements", "id") => string("Unique id."),
        ("requirements", "domain") => string("One of the scenario's domains."),
        ("requirements", "capability") => {
            string("The capability that meets it, or * for any in the domain.")
        }
        ("requirements", "phase") => string("A phase id (default: the only phase)."),
        ("requirements", "measure") => json!({
            "type": "string", "pattern": "^(units|troops|equipment:.+)$",
            "description": "units, troops or equipment:ITEM (default units).",
        }),
        ("requirements", "target") => positive("Amount wanted."),
        ("requirements", "minimum") => number("Hard floor, at most the target (default 0).", 0.0),
        ("requirements", "priority") => {
            json!({"type": "integer", "minimum": 1, "maximum": 5, "description": "1 (highest) to 5 (default 3)."})
        }
        ("requirements", "max_readiness_days") => {
            number("Offers slower than this are not eligible.", 0.0)
        }
        ("requirements", "max_share") => {
            fraction("Most of the target one member may provide, in (0, 1].")
        }
        ("requirements", "min_members") => {
            json!({"type": "integer", "minimum": 1, "description": "Fewest members that must contribute (default 1)."})
        }
        ("requirements", "excluded_caveats") => list("Caveat tags that make a member ineligible."),
        ("requirements", "lead") => string("Member id expected to lead it."),
        ("requirements", "lead_share") => {
            fraction("Share of the target the lead should provide, in (0, 1].")
        }
        ("requirements", "region") => string("Free text for reports."),
        ("requirements", "description") => string("Free text for reports."),
        ("substitutions", "required") => string("The capability required."),
        ("substitutions", "substitute") => string("The capability that may stand in for it."),
        ("substitutions", "factor") => {
            positive("Units of the requirement one substitute unit counts for.")
        }
        _ => return None,
    };
    Some(value)
}

/// A closed object of the `keys` of `section` (an unknown key is an error, as in the
/// loader).
fn object(section: &str, keys: &[&str], required: &[&str]) -> Value {
    let properties: serde_json::Map<String, Value> = keys
        .iter()
        .map(|&k| {
            let value = key(section, k)
                .unwrap_or_else(|| panic!("no schema entry for key `{k}` of `{section}`"));
            (k.to_string(), value)
        })
        .collect();
    let mut schema = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTIONS: [(&str, &[&str]); 11] = [
        ("", TOP_KEYS),
        ("scenario", SCENARIO_KEYS),
        ("phase", PHASE_KEYS),
        ("tables", TABLE_KEYS),
        ("objective", OBJECTIVE_KEYS),
        ("solver", SOLVER_KEYS),
        ("checks", CHECK_KEYS),
        ("members", MEMBER_COLUMNS.known),
        ("offers", OFFER_COLUMNS.known),
        ("requirements", REQUIREMENT_COLUMNS.known),
        ("substitutions", SUBSTITUTION_COLUMNS.known),
    ];

    #[test]
    fn every_key_the_loader_knows_has_a_schema_entry() {
        for (section, keys) in SECTIONS {
            for k in keys {
                assert!(key(section, k).is_some(), "{section}.{k}");
            }
        }
    }

    #[test]
    fn no_schema_entry_is_for_a_key_the_loader_does_not_know() {
        let schema = scenario_schema();
        let top = schema["properties"].as_object().unwrap();
        assert_eq!(top.keys().collect::<Vec<_>>(), TOP_KEYS);
        for (section, keys) in &SECTIONS[1..] {
            let node = &top[*section];
            let node = if node["type"] == "array" {
                &node["items"]
            } else {
                node
            };
            let names: Vec<&String> = node["properties"].as_object().unwrap().keys().collect();
            assert_eq!(names, *keys, "{section}");
            assert_eq!(node["additionalProperties"], false);
        }
        // A made-up key has no entry anywhere.
        assert!(key("offers", "unit").is_none());
        assert!(key("solver", "threads").is_none());
    }

    #[test]
    fn required_columns_are_the_loaders() {
        let schema = scenario_schema();
        assert_eq!(
            schema["properties"]["offers"]["items"]["required"],
            json!(OFFER_COLUMNS.required)
        );
        assert_eq!(schema["$schema"], DRAFT);
    }
}
