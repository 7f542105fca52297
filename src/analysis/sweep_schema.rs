//! The JSON Schema (draft 2020-12) of sweep files, for editor completion and checks.
//!
//! Sweep files are read by serde (`sweep.rs`, `variant.rs`, all `deny_unknown_fields`), so
//! the keys here are written out; the tests load a sweep that sets every key this schema
//! names, and check the schema's axis kinds against the loader's.

use serde_json::{Value, json};

use crate::scenario::schema::DRAFT;

/// The axis kinds, as sweep files name them.
pub const AXIS_KINDS: [&str; 4] = [
    "remove_members",
    "scale_offers",
    "scale_requirements",
    "set_max_troops",
];

/// The selector keys (`select = { domain = "land" }`).
pub const SELECTOR_KEYS: [&str; 5] = ["domain", "phase", "capability", "member", "id"];

/// The sweep TOML's schema.
pub fn sweep_schema() -> Value {
    let selector: serde_json::Map<String, Value> = SELECTOR_KEYS
        .iter()
        .map(|&k| (k.to_string(), json!({"type": "string"})))
        .collect();
    let factor = json!({"type": "number", "minimum": 0});
    json!({
        "$schema": DRAFT,
        "title": "forcegen sweep",
        "description": "A forcegen sweep: a base scenario and axes of change, solved as a grid or side by side, optionally with Monte Carlo samples.",
        "type": "object",
        "additionalProperties": false,
        "required": ["base"],
        "properties": {
            "base": {"type": "string", "description": "The base scenario TOML, relative to this file."},
            "mode": {"enum": ["grid", "zip"], "description": "grid: every combination of the axes (default); zip: the axes side by side."},
            "axis": {
                "type": "array",
                "description": "The axes of change.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name", "kind", "values"],
                    "properties": {
                        "name": {"type": "string", "description": "Column name in result rows (axis:NAME)."},
                        "kind": {"enum": AXIS_KINDS, "description": "What each value changes."},
                        "select": {
                            "type": "object",
                            "additionalProperties": false,
                            "properties": selector,
                            "description": "Which offers, requirements or members the change applies to; every field set must match.",
                        },
                        "values": {"type": "array", "minItems": 1, "description": "One variant per value."},
                    },
                    "if": {"properties": {"kind": {"const": "remove_members"}}},
                    "then": {"properties": {"values": {"items": {"anyOf": [
                        {"type": "string"},
                        {"type": "array", "items": {"type": "string"}},
                    ]}}}},
                    "else": {"properties": {"values": {"items": factor}}},
                },
            },
            "monte_carlo": {
                "type": "object",
                "additionalProperties": false,
                "required": ["samples"],
                "description": "Samples per variant; each member delivers with its reliability.",
                "properties": {
                    "samples": {"type": "integer", "minimum": 1},
                    "seed": {"type": "integer", "minimum": 0},
                },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sweep::AxisKind;
    use crate::analysis::variant::Selector;

    #[test]
    fn axis_kinds_are_the_loaders() {
        for kind in AXIS_KINDS {
            let parsed: Result<AxisKind, _> = serde_json::from_value(json!(kind));
            assert!(parsed.is_ok(), "{kind}");
        }
        assert!(serde_json::from_value::<AxisKind>(json!("drop_members")).is_err());
    }

    #[test]
    fn selector_keys_are_the_loaders() {
        let every = Selector {
            domain: Some(String::new()),
            phase: Some(String::new()),
            capability: Some(String::new()),
            member: Some(String::new()),
            id: Some(String::new()),
        };
        let value = serde_json::to_value(every).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, SELECTOR_KEYS);
    }
}
