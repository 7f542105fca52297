//! A comparison rendered: its JSON, its one-line heading, and its tables (a domain x phase
//! matrix or one row per cell, priorities, requirements, members, stages).

use super::{Comparison, SideInfo, union};
use crate::report::tables::{points, raw};
use crate::report::{Cell, Table};

/// The comparison as pretty JSON with a final newline.
pub fn json(comparison: &Comparison) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(comparison).expect("a comparison always serialises");
    bytes.push(b'\n');
    bytes
}

/// The heading line: `compare: A-name (path) vs B-name (path)`, with a side's status
/// when it is not optimal.
pub fn heading(comparison: &Comparison) -> String {
    let side = |s: &SideInfo| {
        if s.status == "optimal" {
            format!("{} ({})", s.name, s.source)
        } else {
            format!("{} ({}, {})", s.name, s.source, s.status)
        }
    };
    format!(
        "compare: {} vs {}",
        side(&comparison.a),
        side(&comparison.b)
    )
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

/// The coverage matrix for people: domains down, phases across, `all` last both ways;
/// each cell `A → B (±Δ)` with Δ in percentage points.
fn coverage_matrix(comparison: &Comparison) -> Table {
    let phases = union(
        comparison
            .coverage
            .iter()
            .filter(|c| c.phase != "all")
            .map(|c| c.phase.as_str()),
    );
    let domains = union(comparison.coverage.iter().map(|c| c.domain.as_str()));
    let mut headers = vec!["domain".to_string()];
    headers.extend(phases.iter().cloned());
    headers.push("all".to_string());
    let dash = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |x| format!("{:.1}%", x * 100.0));
    let rows = domains
        .iter()
        .map(|domain| {
            let mut row = vec![Cell::text(domain.clone())];
            for phase in phases.iter().map(String::as_str).chain(["all"]) {
                let found = comparison
                    .coverage
                    .iter()
                    .find(|c| &c.domain == domain && c.phase == phase);
                row.push(match found {
                    None => Cell::text(""),
                    Some(c) => Cell {
                        raw: raw(c.delta),
                        shown: match c.delta {
                            Some(d) => format!("{} → {} ({})", dash(c.a), dash(c.b), points(d)),
                            None => format!("{} → {}", dash(c.a), dash(c.b)),
                        },
                    },
                });
            }
            row
        })
        .collect();
    Table {
        name: "coverage",
        title: "Coverage by domain and phase: A → B (change in points)",
        headers,
        rows,
    }
}

/// The coverage cells one per row (`domain,phase,a,b,delta`), for CSV.
fn coverage_rows(comparison: &Comparison) -> Table {
    Table {
        name: "coverage",
        title: "Coverage by domain and phase",
        headers: names(&["domain", "phase", "a", "b", "delta"]),
        rows: comparison
            .coverage
            .iter()
            .map(|c| {
                vec![
                    Cell::text(c.domain.clone()),
                    Cell::text(c.phase.clone()),
                    Cell::percent(c.a),
                    Cell::percent(c.b),
                    Cell::points(c.delta),
                ]
            })
            .collect(),
    }
}

/// Every table of a comparison in reading order. `matrix`: the coverage table as a domain
/// x phase matrix (for the table and markdown formats) rather than one cell per row (CSV).
pub fn tables(comparison: &Comparison, matrix: bool) -> Vec<Table> {
    let coverage = if matrix {
        coverage_matrix(comparison)
    } else {
        coverage_rows(comparison)
    };
    let priorities = Table {
        name: "priorities",
        title: "Coverage by priority (change in points)",
        headers: names(&["priority", "a", "b", "delta"]),
        rows: comparison
            .priorities
            .iter()
            .map(|p| {
                vec![
                    Cell::text(p.priority.clone()),
                    Cell::percent(p.a),
                    Cell::percent(p.b),
                    Cell::points(p.delta),
                ]
            })
            .collect(),
    };
    let requirements = Table {
        name: "requirements",
        title: "Requirements whose coverage changed, worst loss first (change in points)",
        headers: names(&[
            "requirement",
            "change",
            "domain",
            "phase",
            "priority",
            "coverage_a",
            "coverage_b",
            "delta",
            "shortfall_a",
            "shortfall_b",
        ]),
        rows: comparison
            .requirements
            .iter()
            .map(|r| {
                vec![
                    Cell::text(r.id.clone()),
                    Cell::text(r.change),
                    Cell::text(r.domain.clone()),
                    Cell::text(r.phase.clone()),
                    Cell::text(r.priority.to_string()),
                    Cell::percent(r.coverage_a),
                    Cell::percent(r.coverage_b),
                    Cell::points(r.delta),
                    Cell::number(r.shortfall_a),
                    Cell::number(r.shortfall_b),
                ]
            })
            .collect(),
    };
    let members = Table {
        name: "members",
        title: "Members whose burden changed",
        headers: names(&[
            "member",
            "change",
            "troops_a",
            "troops_b",
            "troops_delta",
            "cost_a",
            "cost_b",
            "cost_delta",
            "burden_ratio_a",
            "burden_ratio_b",
        ]),
        rows: comparison
            .members
            .iter()
            .map(|m| {
                vec![
                    Cell::text(m.id.clone()),
                    Cell::text(m.change),
                    Cell::number(m.troops_a),
                    Cell::number(m.troops_b),
                    Cell::signed(m.troops_delta),
                    Cell::number(m.cost_a),
                    Cell::number(m.cost_b),
                    Cell::signed(m.cost_delta),
                    Cell::number(m.burden_ratio_a),
                    Cell::number(m.burden_ratio_b),
                ]
            })
            .collect(),
    };
    let stages = Table {
        name: "stages",
        title: "Objective stages",
        headers: names(&["stage", "a", "b", "delta"]),
        rows: comparison
            .stages
            .iter()
            .map(|s| {
                vec![
                    Cell::text(s.name.clone()),
                    Cell::precise(s.a, false),
                    Cell::precise(s.b, false),
                    Cell::precise(s.delta, true),
                ]
            })
            .collect(),
    };
    vec![coverage, priorities, requirements, members, stages]
}
