//! Two results side by side (`forcegen compare`): coverage deltas by domain x phase and by
//! priority, the requirements whose coverage changed, the members whose burden changed and
//! the stage values. Both sides are read from the typed result document (docs/spec.md,
//! "JSON result"), just built or read back from a saved `result.json` (its numbers are
//! rounded when made, so a scenario and its saved result compare equal).

use std::collections::HashMap;

use serde::Serialize;

use crate::num::round9;
use crate::report::TableName;
use crate::report::document::SCHEMA_VERSION;

mod read;
mod render;
pub use read::{Side, SideCoverage, SideError, SideMember, SideRequirement, SideStage};
pub use render::{heading, json, tables};

/// The tables of a comparison, in reading order (also the `--table` names that apply).
pub const COMPARE_TABLES: &[TableName] = &[
    TableName::Coverage,
    TableName::Priorities,
    TableName::Requirements,
    TableName::Members,
    TableName::Stages,
];

/// Coverage changes up to this much are solver round-off, not changes.
const COVERAGE_TOLERANCE: f64 = 1e-6;

/// Which result a side is, as printed: its scenario name and the path the user gave.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SideInfo {
    /// The scenario name in the side's result.
    pub name: String,
    /// The path of the side as the user gave it.
    pub source: String,
    /// The side's status: `optimal`, `time_limit` or `infeasible`.
    pub status: String,
}

/// One coverage cell: a domain (or `all`) and a phase (or `all`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoverageDelta {
    /// The domain, or `all` for every domain.
    pub domain: String,
    /// The phase, or `all` for every phase.
    pub phase: String,
    /// Side A's coverage (0 to 1); `None` where A lacks the cell.
    pub a: Option<f64>,
    /// Side B's coverage (0 to 1); `None` where B lacks the cell.
    pub b: Option<f64>,
    /// Coverage of side B minus side A (none where either side lacks it).
    pub delta: Option<f64>,
}

/// Coverage of one priority level on both sides.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriorityDelta {
    /// The priority level, as named in the results (`1`, `2`, ...).
    pub priority: String,
    /// Side A's coverage (0 to 1) of the level; `None` where A lacks it.
    pub a: Option<f64>,
    /// Side B's coverage (0 to 1) of the level; `None` where B lacks it.
    pub b: Option<f64>,
    /// Coverage of side B minus side A (none where either side lacks it).
    pub delta: Option<f64>,
}

/// A requirement whose coverage changed (`changed`), or that one side lacks (`added`: in
/// B only, `removed`: in A only). Domain, phase and priority are B's where B has it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequirementDelta {
    /// The requirement's id.
    pub id: String,
    /// `changed`, `added` (in B only) or `removed` (in A only).
    pub change: &'static str,
    /// The requirement's domain.
    pub domain: String,
    /// The requirement's phase.
    pub phase: String,
    /// The requirement's priority level.
    pub priority: u64,
    /// Side A's coverage (0 to 1); `None` when added.
    pub coverage_a: Option<f64>,
    /// Side B's coverage (0 to 1); `None` when removed.
    pub coverage_b: Option<f64>,
    /// Coverage of side B minus side A (none where either side lacks it).
    pub delta: Option<f64>,
    /// Side A's shortfall (target minus covered, in the requirement's measure); `None`
    /// when added.
    pub shortfall_a: Option<f64>,
    /// Side B's shortfall (target minus covered, in the requirement's measure); `None`
    /// when removed.
    pub shortfall_b: Option<f64>,
}

/// A member whose burden changed (`changed`), or that one side lacks (`withdrawn`: in A
/// only, `joined`: in B only).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberDelta {
    /// The member's id.
    pub id: String,
    /// `changed`, `withdrawn` (in A only) or `joined` (in B only).
    pub change: &'static str,
    /// Troops the member deploys in A; `None` when joined.
    pub troops_a: Option<f64>,
    /// Troops the member deploys in B; `None` when withdrawn.
    pub troops_b: Option<f64>,
    /// Troops in B minus A (none where either side lacks the member).
    pub troops_delta: Option<f64>,
    /// The member's cost in A; `None` when joined.
    pub cost_a: Option<f64>,
    /// The member's cost in B; `None` when withdrawn.
    pub cost_b: Option<f64>,
    /// Cost in B minus A (none where either side lacks the member).
    pub cost_delta: Option<f64>,
    /// The member's burden ratio (burden over fair share) in A; `None` when joined or
    /// when A gives it none.
    pub burden_ratio_a: Option<f64>,
    /// The member's burden ratio (burden over fair share) in B; `None` when withdrawn or
    /// when B gives it none.
    pub burden_ratio_b: Option<f64>,
}

/// One stage's objective value on both sides.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageDelta {
    /// The stage's name, e.g. `priority-1`, `burden`, `cost`.
    pub name: String,
    /// Side A's value of the stage; `None` where A lacks it or has no value for it.
    pub a: Option<f64>,
    /// Side B's value of the stage; `None` where B lacks it or has no value for it.
    pub b: Option<f64>,
    /// B's value minus A's (none where either side lacks it).
    pub delta: Option<f64>,
}

/// The whole comparison; its JSON is the `--format json` output and `compare.json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Version of the document's JSON layout: `1`, the result's `SCHEMA_VERSION`.
    pub schema_version: u32,
    /// Side A, the baseline: its scenario name, source path and status.
    pub a: SideInfo,
    /// Side B, set against A.
    pub b: SideInfo,
    /// Coverage cells by domain x phase, with `all` rows and columns, A, B and B minus A;
    /// empty when neither side has coverage (both infeasible).
    pub coverage: Vec<CoverageDelta>,
    /// Coverage by priority level, lowest level first, A, B and B minus A; empty when
    /// neither side has coverage.
    pub priorities: Vec<PriorityDelta>,
    /// Requirements whose coverage changed (worst loss first), then the removed ones, then
    /// the added ones; empty unless both sides have a plan.
    pub requirements: Vec<RequirementDelta>,
    /// Members whose troops, cost or burden ratio changed or that withdrew, in A's order,
    /// then the ones that joined; empty unless both sides have a plan.
    pub members: Vec<MemberDelta>,
    /// Every stage of either side by name (A's first), with A's value, B's value and B
    /// minus A (`None` where a side lacks the stage).
    pub stages: Vec<StageDelta>,
}

impl Comparison {
    /// The document as `forcegen compare --format json` prints it.
    pub fn to_json(&self) -> Vec<u8> {
        json(self)
    }
}

fn r9(x: Option<f64>) -> Option<f64> {
    x.map(round9)
}

fn delta(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(round9(b? - a?))
}

/// Whether two amounts differ by more than round-off (relative to their size).
fn differs(a: f64, b: f64) -> bool {
    (b - a).abs() > 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn lookup(list: &[(String, f64)], key: &str) -> Option<f64> {
    list.iter().find(|(k, _)| k == key).map(|&(_, v)| v)
}

/// Names in first-seen order across both lists, without repeats.
pub(super) fn union<'a>(lists: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in lists {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

fn coverage_deltas(a: &Side, b: &Side) -> Vec<CoverageDelta> {
    let covs: Vec<&SideCoverage> = [a, b].iter().filter_map(|s| s.coverage.as_ref()).collect();
    if covs.is_empty() {
        return Vec::new();
    }
    // Declared order first; then any group that only the coverage names.
    let domains = union(
        a.domains
            .iter()
            .chain(&b.domains)
            .map(String::as_str)
            .chain(
                covs.iter()
                    .flat_map(|c| c.by_domain.iter().map(|(d, _)| d.as_str())),
            ),
    );
    let phases = union(
        a.phases.iter().chain(&b.phases).map(String::as_str).chain(
            covs.iter()
                .flat_map(|c| c.by_phase.iter().map(|(p, _)| p.as_str())),
        ),
    );
    let cell = |side: &Side, domain: Option<&str>, phase: Option<&str>| -> Option<f64> {
        let c = side.coverage.as_ref()?;
        match (domain, phase) {
            (None, None) => Some(c.overall),
            (Some(d), None) => lookup(&c.by_domain, d),
            (None, Some(p)) => lookup(&c.by_phase, p),
            (Some(d), Some(p)) => c
                .by_domain_phase
                .iter()
                .find(|(k, _)| k == d)
                .and_then(|(_, cells)| lookup(cells, p)),
        }
    };
    let mut out = Vec::new();
    let rows = domains
        .iter()
        .map(|d| Some(d.as_str()))
        .chain(std::iter::once(None));
    for domain in rows {
        let columns = phases
            .iter()
            .map(|p| Some(p.as_str()))
            .chain(std::iter::once(None));
        let row_present =
            domain.is_none() || cell(a, domain, None).is_some() || cell(b, domain, None).is_some();
        if !row_present {
            continue;
        }
        for phase in columns {
            let (x, y) = (cell(a, domain, phase), cell(b, domain, phase));
            if x.is_none() && y.is_none() {
                continue;
            }
            out.push(CoverageDelta {
                domain: domain.unwrap_or("all").to_string(),
                phase: phase.unwrap_or("all").to_string(),
                a: r9(x),
                b: r9(y),
                delta: delta(x, y),
            });
        }
    }
    out
}

fn priority_deltas(a: &Side, b: &Side) -> Vec<PriorityDelta> {
    let levels = |s: &'_ Side| -> Vec<(String, f64)> {
        s.coverage
            .as_ref()
            .map(|c| c.by_priority.clone())
            .unwrap_or_default()
    };
    let (la, lb) = (levels(a), levels(b));
    let mut names = union(la.iter().chain(&lb).map(|(k, _)| k.as_str()));
    names.sort_by(|x, y| {
        let n = |s: &str| s.parse::<u64>().unwrap_or(u64::MAX);
        n(x).cmp(&n(y)).then(x.cmp(y))
    });
    names
        .into_iter()
        .map(|level| {
            let (x, y) = (lookup(&la, &level), lookup(&lb, &level));
            PriorityDelta {
                priority: level,
                a: r9(x),
                b: r9(y),
                delta: delta(x, y),
            }
        })
        .collect()
}

fn requirement_deltas(a: &Side, b: &Side) -> Vec<RequirementDelta> {
    // A side without a plan lists no requirements: nothing to set against the other.
    if !a.has_plan() || !b.has_plan() {
        return Vec::new();
    }
    let in_a: HashMap<&str, &SideRequirement> =
        a.requirements.iter().map(|r| (r.id.as_str(), r)).collect();
    let in_b: HashMap<&str, &SideRequirement> =
        b.requirements.iter().map(|r| (r.id.as_str(), r)).collect();
    let row =
        |change, r: &SideRequirement, x: Option<&SideRequirement>, y: Option<&SideRequirement>| {
            let (ca, cb) = (x.map(|r| r.coverage), y.map(|r| r.coverage));
            RequirementDelta {
                id: r.id.clone(),
                change,
                domain: r.domain.clone(),
                phase: r.phase.clone(),
                priority: r.priority,
                coverage_a: r9(ca),
                coverage_b: r9(cb),
                delta: delta(ca, cb),
                shortfall_a: r9(x.map(|r| r.shortfall)),
                shortfall_b: r9(y.map(|r| r.shortfall)),
            }
        };
    let mut changed: Vec<RequirementDelta> = b
        .requirements
        .iter()
        .filter_map(|rb| {
            let ra = in_a.get(rb.id.as_str())?;
            ((rb.coverage - ra.coverage).abs() > COVERAGE_TOLERANCE)
                .then(|| row("changed", rb, Some(ra), Some(rb)))
        })
        .collect();
    changed.sort_by(|x, y| {
        let d = |r: &RequirementDelta| r.delta.unwrap_or(0.0);
        d(x).total_cmp(&d(y)).then_with(|| x.id.cmp(&y.id))
    });
    let removed = a
        .requirements
        .iter()
        .filter(|r| !in_b.contains_key(r.id.as_str()))
        .map(|r| row("removed", r, Some(r), None));
    let added = b
        .requirements
        .iter()
        .filter(|r| !in_a.contains_key(r.id.as_str()))
        .map(|r| row("added", r, None, Some(r)));
    changed.extend(removed);
    changed.extend(added);
    changed
}

fn member_deltas(a: &Side, b: &Side) -> Vec<MemberDelta> {
    if !a.has_plan() || !b.has_plan() {
        return Vec::new();
    }
    let in_a: HashMap<&str, &SideMember> = a.members.iter().map(|m| (m.id.as_str(), m)).collect();
    let in_b: HashMap<&str, &SideMember> = b.members.iter().map(|m| (m.id.as_str(), m)).collect();
    let row = |change, id: &str, x: Option<&SideMember>, y: Option<&SideMember>| {
        let (ta, tb) = (x.map(|m| m.troops), y.map(|m| m.troops));
        let (ca, cb) = (x.map(|m| m.cost), y.map(|m| m.cost));
        MemberDelta {
            id: id.to_string(),
            change,
            troops_a: r9(ta),
            troops_b: r9(tb),
            troops_delta: delta(ta, tb),
            cost_a: r9(ca),
            cost_b: r9(cb),
            cost_delta: delta(ca, cb),
            burden_ratio_a: r9(x.and_then(|m| m.burden_ratio)),
            burden_ratio_b: r9(y.and_then(|m| m.burden_ratio)),
        }
    };
    let mut out = Vec::new();
    for ma in &a.members {
        match in_b.get(ma.id.as_str()) {
            None => out.push(row("withdrawn", &ma.id, Some(ma), None)),
            Some(mb) => {
                let ratio_changed = match (ma.burden_ratio, mb.burden_ratio) {
                    (Some(x), Some(y)) => differs(x, y),
                    (None, None) => false,
                    _ => true,
                };
                if differs(ma.troops, mb.troops) || differs(ma.cost, mb.cost) || ratio_changed {
                    out.push(row("changed", &ma.id, Some(ma), Some(mb)));
                }
            }
        }
    }
    out.extend(
        b.members
            .iter()
            .filter(|m| !in_a.contains_key(m.id.as_str()))
            .map(|m| row("joined", &m.id, None, Some(m))),
    );
    out
}

fn stage_deltas(a: &Side, b: &Side) -> Vec<StageDelta> {
    let value = |s: &Side, name: &str| {
        s.stages
            .iter()
            .find(|st| st.name == name)
            .and_then(|st| st.value)
    };
    union(a.stages.iter().chain(&b.stages).map(|s| s.name.as_str()))
        .into_iter()
        .map(|name| {
            let (x, y) = (value(a, &name), value(b, &name));
            StageDelta {
                name,
                a: r9(x),
                b: r9(y),
                delta: delta(x, y),
            }
        })
        .collect()
}

/// Compares `a` (the baseline) with `b`; `source_*` are the paths as the user gave them.
pub fn compare(a: &Side, source_a: &str, b: &Side, source_b: &str) -> Comparison {
    let info = |s: &Side, source: &str| SideInfo {
        name: s.name.clone(),
        source: source.to_string(),
        status: s.status.clone(),
    };
    Comparison {
        schema_version: SCHEMA_VERSION,
        a: info(a, source_a),
        b: info(b, source_b),
        coverage: coverage_deltas(a, b),
        priorities: priority_deltas(a, b),
        requirements: requirement_deltas(a, b),
        members: member_deltas(a, b),
        stages: stage_deltas(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn doc() -> Value {
        serde_json::json!({
            "schema_version": SCHEMA_VERSION,
            "scenario": {"name": "S", "domains": ["land", "sea"], "phases": ["p1", "p2"]},
            "status": "optimal",
            "coverage": {
                "overall": 0.75,
                "by_domain": {"land": 1.0, "sea": 0.5},
                "by_phase": {"p1": 0.75},
                "by_domain_phase": {"land": {"p1": 1.0}, "sea": {"p1": 0.5}},
                "by_priority": {"1": 1.0, "2": 0.5}
            },
            "requirements": [
                {"id": "l", "domain": "land", "phase": "p1", "priority": 1, "target": 2.0,
                 "covered": 2.0, "shortfall": 0.0, "coverage": 1.0,
                 "capability": "infantry_bn", "measure": "units", "minimum": 0.0},
                {"id": "s", "domain": "sea", "phase": "p1", "priority": 2, "target": 2.0,
                 "covered": 1.0, "shortfall": 1.0, "coverage": 0.5,
                 "capability": "frigate", "measure": "units", "minimum": 0.0}
            ],
            "assignments": [],
            "members": [{"id": "X", "name": "Xland", "troops": 10.0, "cost": 5.0, "units": 1.0}],
            "asks": {"extra_units": [], "blockers": []},
            "stages": [
                {"name": "priority-1", "value": 0.0, "status": "optimal", "gap": 0.0},
                {"name": "cost", "value": 5.0, "status": "optimal", "gap": 0.0}
            ],
            "solver": {"backend": "highs", "integer": true}
        })
    }

    #[test]
    fn identical_sides_have_no_changes() {
        let side = Side::from_json(&doc()).unwrap();
        let c = compare(&side, "a.json", &side, "b.json");
        assert!(c.requirements.is_empty());
        assert!(c.members.is_empty());
        assert!(c.coverage.iter().all(|c| c.delta == Some(0.0)));
        // land x p1, land x all, sea x p1, sea x all, all x p1, all x all.
        assert_eq!(c.coverage.len(), 6);
        assert_eq!(c.stages.len(), 2);
    }

    #[test]
    fn changes_are_found_and_sorted() {
        let a = Side::from_json(&doc()).unwrap();
        let mut b = a.clone();
        b.requirements[0].coverage = 0.5;
        b.requirements[1].coverage = 1.0;
        b.requirements.push(SideRequirement {
            id: "new".into(),
            ..b.requirements[0].clone()
        });
        b.members[0].troops = 12.0;
        b.members.push(SideMember {
            id: "Y".into(),
            troops: 0.0,
            cost: 0.0,
            burden_ratio: None,
        });
        let c = compare(&a, "a", &b, "b");
        let ids: Vec<(&str, &str)> = c
            .requirements
            .iter()
            .map(|r| (r.id.as_str(), r.change))
            .collect();
        assert_eq!(ids, [("l", "changed"), ("s", "changed"), ("new", "added")]);
        assert_eq!(c.requirements[0].delta, Some(-0.5));
        let members: Vec<(&str, &str)> = c
            .members
            .iter()
            .map(|m| (m.id.as_str(), m.change))
            .collect();
        assert_eq!(members, [("X", "changed"), ("Y", "joined")]);
        assert_eq!(c.members[0].troops_delta, Some(2.0));
    }

    #[test]
    fn missing_fields_and_versions_are_named() {
        let mut d = doc();
        d["requirements"][1]
            .as_object_mut()
            .unwrap()
            .remove("shortfall");
        assert_eq!(
            Side::from_json(&d).unwrap_err(),
            SideError::Missing("requirements[1].shortfall".into())
        );
        let mut d = doc();
        d["schema_version"] = serde_json::json!(99);
        assert!(matches!(
            Side::from_json(&d),
            Err(SideError::SchemaVersion { .. })
        ));
        let mut d = doc();
        d["coverage"]["overall"] = serde_json::json!("high");
        assert_eq!(
            Side::from_json(&d).unwrap_err().to_string(),
            "field `coverage.overall` must be a number"
        );
    }

    #[test]
    fn an_infeasible_side_has_coverage_only_on_the_other() {
        let a = Side::from_json(&doc()).unwrap();
        let mut d = doc();
        d["status"] = serde_json::json!("infeasible");
        d["coverage"] = Value::Null;
        d["requirements"] = serde_json::json!([]);
        d["members"] = serde_json::json!([]);
        d["stages"] = serde_json::json!([]);
        let b = Side::from_json(&d).unwrap();
        let c = compare(&a, "a", &b, "b");
        assert!(
            c.coverage
                .iter()
                .all(|c| c.b.is_none() && c.delta.is_none())
        );
        assert!(c.requirements.is_empty() && c.members.is_empty());
        assert!(heading(&c).ends_with("(b, infeasible)"));
    }
}
