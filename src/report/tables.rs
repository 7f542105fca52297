//! The result document as named tables: the one shape that the table, markdown and CSV
//! exporters all render.

use crate::num::Num;

use super::document::ResultDoc;

/// One cell: the exact value for CSV, and how a person reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub raw: String,
    pub shown: String,
}

/// What a numeric cell is made of: a document number, a plain value, or none (an empty
/// cell).
pub(crate) trait Numeric {
    fn value(self) -> Option<f64>;
}

impl Numeric for &Num {
    fn value(self) -> Option<f64> {
        self.as_f64()
    }
}

impl Numeric for Num {
    fn value(self) -> Option<f64> {
        self.as_f64()
    }
}

impl Numeric for Option<f64> {
    fn value(self) -> Option<f64> {
        self.filter(|x| x.is_finite())
    }
}

impl Numeric for f64 {
    fn value(self) -> Option<f64> {
        Some(self).value()
    }
}

impl Cell {
    pub(crate) fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        Cell {
            raw: s.clone(),
            shown: s,
        }
    }

    /// The cell of `x`: its exact value for CSV, and `shown` for people (empty for none).
    fn of(x: Option<f64>, shown: impl FnOnce(f64) -> String) -> Cell {
        Cell {
            raw: raw(x),
            shown: x.map_or_else(String::new, shown),
        }
    }

    pub(crate) fn number(v: impl Numeric) -> Cell {
        Cell::of(v.value(), readable)
    }

    /// A number with its sign shown when it is positive (+12, -3, 0).
    pub(crate) fn signed(v: impl Numeric) -> Cell {
        Cell::of(v.value(), |x| {
            let s = readable(x);
            if x > 0.0 && s != "0" {
                format!("+{s}")
            } else {
                s
            }
        })
    }

    /// A share as a percentage with one decimal (never `-0.0%`).
    pub(crate) fn percent(v: impl Numeric) -> Cell {
        Cell::of(v.value(), |x| {
            let shown = format!("{:.1}%", x * 100.0);
            if shown == "-0.0%" {
                "0.0%".into()
            } else {
                shown
            }
        })
    }

    /// A change of a share in percentage points, signed; `±0.0` when it rounds to nothing.
    pub(crate) fn points(v: impl Numeric) -> Cell {
        Cell::of(v.value(), points)
    }

    /// A stage value: up to six decimals, trailing zeros dropped; with `sign`, a positive
    /// value shows its `+`.
    pub(crate) fn precise(v: impl Numeric, sign: bool) -> Cell {
        Cell::of(v.value(), |x| {
            let s = precise(x);
            if sign && x > 0.0 && s != "0" {
                format!("+{s}")
            } else {
                s
            }
        })
    }

    pub(crate) fn empty() -> Cell {
        Cell::text("")
    }
}

/// A number as the JSON writes it (`1.0`, `0.25`), empty for none.
pub(crate) fn raw(v: impl Numeric) -> String {
    v.value().map_or_else(String::new, |x| {
        serde_json::to_string(&x).expect("a finite number serialises")
    })
}

/// A change of a share in percentage points, signed; `±0.0` when it rounds to nothing.
pub(crate) fn points(d: f64) -> String {
    let s = format!("{:+.1}", d * 100.0);
    if s == "+0.0" || s == "-0.0" {
        "±0.0".to_string()
    } else {
        s
    }
}

/// Up to six decimals, trailing zeros dropped, never `-0`.
pub(crate) fn precise(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A number for people: whole numbers plain, others to at most two decimals.
pub fn readable(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// File stem for `--out`, and the `--table` name.
    pub name: &'static str,
    pub title: &'static str,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The tables of a result document, by the name `--table` selects them with (and the CSV
/// file each is written to).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TableName {
    Coverage,
    Priorities,
    Relaxation,
    Shortfalls,
    Requirements,
    Assignments,
    Members,
    FairShare,
    Asks,
    Blockers,
    Stages,
    UnmetFloors,
}

impl TableName {
    /// Every table, in reading order.
    pub const ALL: [TableName; 12] = [
        TableName::Coverage,
        TableName::Priorities,
        TableName::Relaxation,
        TableName::Shortfalls,
        TableName::Requirements,
        TableName::Assignments,
        TableName::Members,
        TableName::FairShare,
        TableName::Asks,
        TableName::Blockers,
        TableName::Stages,
        TableName::UnmetFloors,
    ];

    /// The table called `name`, if any.
    pub fn from_name(name: &str) -> Option<TableName> {
        TableName::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            TableName::Coverage => "coverage",
            TableName::Priorities => "priorities",
            TableName::Relaxation => "relaxation",
            TableName::Shortfalls => "shortfalls",
            TableName::Requirements => "requirements",
            TableName::Assignments => "assignments",
            TableName::Members => "members",
            TableName::FairShare => "fair_share",
            TableName::Asks => "asks",
            TableName::Blockers => "blockers",
            TableName::Stages => "stages",
            TableName::UnmetFloors => "unmet_floors",
        }
    }
}

/// The extra-unit asks shown in the `asks` table.
const ASKS_IN_TABLES: usize = 10;

/// Every table of a result, in reading order. Tables without rows are left out.
pub fn tables(doc: &ResultDoc) -> Vec<Table> {
    let mut out = Vec::new();
    if let Some(coverage) = &doc.coverage {
        // Domain x phase matrix with totals: rows are domains then `all`.
        let mut headers = vec!["domain".to_string()];
        headers.extend(doc.scenario.phases.iter().cloned());
        headers.push("all".to_string());
        let mut rows = Vec::new();
        for domain in &doc.scenario.domains {
            let Some(total) = coverage.by_domain.get(domain) else {
                continue;
            };
            let mut row = vec![Cell::text(domain.clone())];
            let cells = coverage.by_domain_phase.get(domain);
            for phase in &doc.scenario.phases {
                row.push(
                    cells
                        .and_then(|c| c.get(phase))
                        .map_or_else(Cell::empty, Cell::percent),
                );
            }
            row.push(Cell::percent(total));
            rows.push(row);
        }
        let mut all = vec![Cell::text("all")];
        for phase in &doc.scenario.phases {
            all.push(
                coverage
                    .by_phase
                    .get(phase)
                    .map_or_else(Cell::empty, Cell::percent),
            );
        }
        all.push(Cell::percent(coverage.overall));
        rows.push(all);
        out.push(Table {
            name: "coverage",
            title: "Coverage by domain and phase",
            headers,
            rows,
        });
        out.push(Table {
            name: "priorities",
            title: "Coverage by priority",
            headers: names(&["priority", "coverage"]),
            rows: coverage
                .by_priority
                .iter()
                .map(|(level, v)| vec![Cell::text(level.clone()), Cell::percent(v)])
                .collect(),
        });
        if let Some(relaxation) = &doc.relaxation {
            out.push(relaxation_table(coverage, relaxation));
        }
    }

    let requirement_row = |r: &super::document::RequirementDoc| {
        vec![
            Cell::text(r.id.clone()),
            Cell::text(r.priority.to_string()),
            Cell::text(r.domain.clone()),
            Cell::text(r.phase.clone()),
            Cell::text(r.capability.clone()),
            Cell::text(r.measure.clone()),
            Cell::number(r.target),
            Cell::number(r.minimum),
            Cell::number(r.covered),
            Cell::number(r.shortfall),
            Cell::percent(r.coverage),
        ]
    };
    let requirement_headers = names(&[
        "requirement",
        "priority",
        "domain",
        "phase",
        "capability",
        "measure",
        "target",
        "minimum",
        "covered",
        "shortfall",
        "coverage",
    ]);
    let mut short: Vec<_> = doc
        .requirements
        .iter()
        // Shortfalls below a millionth of the target are solver round-off, not gaps.
        .filter(|r| {
            let target = r.target.as_f64().unwrap_or(1.0);
            r.shortfall.as_f64().unwrap_or(0.0) > 1e-6 * target.max(1.0)
        })
        .collect();
    short.sort_by(|a, b| {
        let key = |r: &super::document::RequirementDoc| r.coverage.as_f64().unwrap_or(0.0);
        a.priority
            .cmp(&b.priority)
            .then(key(a).total_cmp(&key(b)))
            .then(a.id.cmp(&b.id))
    });
    if doc.coverage.is_some() {
        out.push(Table {
            name: "shortfalls",
            title: "Shortfalls, by priority",
            headers: requirement_headers.clone(),
            rows: short.into_iter().map(requirement_row).collect(),
        });
    }
    out.push(Table {
        name: "requirements",
        title: "Requirements",
        headers: requirement_headers,
        rows: doc.requirements.iter().map(requirement_row).collect(),
    });
    out.push(Table {
        name: "assignments",
        title: "Assignments",
        headers: names(&["requirement", "member", "offer", "units", "amount"]),
        rows: doc
            .assignments
            .iter()
            .map(|a| {
                vec![
                    Cell::text(a.requirement.clone()),
                    Cell::text(a.member.clone()),
                    Cell::text(a.offer.clone()),
                    Cell::number(a.units),
                    Cell::number(a.amount),
                ]
            })
            .collect(),
    });
    let opt = |v: &Option<Num>, percent: bool| match v {
        Some(v) if percent => Cell::percent(v),
        Some(v) => Cell::number(v),
        None => Cell::empty(),
    };
    out.push(Table {
        name: "members",
        title: "Member burden",
        headers: names(&[
            "member",
            "name",
            "troops",
            "cost",
            "units",
            "burden_share",
            "key_share",
            "burden_ratio",
        ]),
        rows: doc
            .members
            .iter()
            .map(|m| {
                vec![
                    Cell::text(m.id.clone()),
                    Cell::text(m.name.clone()),
                    Cell::number(m.troops),
                    Cell::number(m.cost),
                    Cell::number(m.units),
                    opt(&m.burden_share, true),
                    opt(&m.key_share, true),
                    opt(&m.burden_ratio, false),
                ]
            })
            .collect(),
    });
    out.push(fair_share_table(doc));
    // The asks list: the top extra-unit asks (the JSON has up to 20), then who could close
    // each shortfall and what stops them.
    out.push(Table {
        name: "asks",
        title: "Asks: one more unit of an offer (exact re-solves), best first",
        headers: names(&[
            "rank",
            "offer",
            "member",
            "capability",
            "domain",
            "stage",
            "base_value",
            "new_value",
            "coverage_change",
        ]),
        rows: doc
            .asks
            .extra_units
            .iter()
            .take(ASKS_IN_TABLES)
            .map(|e| {
                let stage_value = |v: &Num| Cell {
                    raw: raw(v),
                    shown: v.as_f64().map_or_else(String::new, precise),
                };
                vec![
                    Cell::text(e.rank.to_string()),
                    Cell::text(e.offer.clone()),
                    Cell::text(e.member.clone()),
                    Cell::text(e.capability.clone()),
                    Cell::text(e.domain.clone()),
                    Cell::text(e.stage.clone()),
                    stage_value(&e.base_value),
                    stage_value(&e.new_value),
                    Cell {
                        raw: raw(e.coverage_change),
                        shown: e.coverage_change.as_f64().map_or_else(String::new, |x| {
                            match format!("{:+.1}%", x * 100.0) {
                                // No change reads as such, whatever the sign of the round-off.
                                z if z == "+0.0%" || z == "-0.0%" => "0.0%".to_string(),
                                shown => shown,
                            }
                        }),
                    },
                ]
            })
            .collect(),
    });
    out.push(Table {
        name: "blockers",
        title: "Shortfalls: who could close them, and what stops them",
        headers: names(&["requirement", "shortfall", "member", "offers", "reasons"]),
        rows: doc
            .asks
            .blockers
            .iter()
            .flat_map(|b| {
                b.members.iter().map(|m| {
                    vec![
                        Cell::text(b.requirement.clone()),
                        Cell::number(b.shortfall),
                        Cell::text(m.member.clone()),
                        Cell::text(m.offers.join(";")),
                        Cell::text(m.reasons.join(";")),
                    ]
                })
            })
            .collect(),
    });
    out.push(Table {
        name: "stages",
        title: "Objective stages",
        headers: names(&["stage", "value", "status", "gap", "meaning"]),
        rows: doc
            .stages
            .iter()
            .map(|s| {
                vec![
                    Cell::text(s.name.clone()),
                    Cell {
                        raw: raw(s.value),
                        shown: s.value.as_f64().map_or_else(String::new, precise),
                    },
                    Cell::text(s.status.clone()),
                    Cell {
                        raw: raw(s.gap),
                        shown: s
                            .gap
                            .as_f64()
                            .map_or_else(|| "unknown".into(), |g| format!("{:.4}%", g * 100.0)),
                    },
                    Cell::text(s.meaning.clone()),
                ]
            })
            .collect(),
    });
    out.push(Table {
        name: "unmet_floors",
        title: "Hard floors that cannot be met",
        headers: names(&[
            "requirement",
            "domain",
            "phase",
            "minimum",
            "reachable",
            "eligible_supply",
            "eligible_offers",
        ]),
        rows: doc
            .unmet_floors
            .iter()
            .map(|f| {
                let offers: Vec<String> = f
                    .eligible_offers
                    .iter()
                    .map(|o| format!("{} ({})", o.offer, Cell::number(o.amount).shown))
                    .collect();
                vec![
                    Cell::text(f.requirement.clone()),
                    Cell::text(f.domain.clone()),
                    Cell::text(f.phase.clone()),
                    Cell::number(f.minimum),
                    Cell::number(f.reachable),
                    Cell::number(f.eligible_supply),
                    Cell::text(offers.join("; ")),
                ]
            })
            .collect(),
    });
    let has_plan = doc.coverage.is_some();
    out.retain(|t| !t.rows.is_empty() || t.name == "shortfalls" || (has_plan && t.name == "asks"));
    out
}

/// Whole units against the LP relaxation, overall, by domain and by priority: what
/// indivisible units cost the plan.
fn relaxation_table(
    coverage: &super::document::CoverageDoc,
    relaxation: &super::document::RelaxationDoc,
) -> Table {
    let percent_points = |whole: &Num, relaxed: &Num| {
        let gap = relaxed.as_f64().zip(whole.as_f64()).map(|(r, w)| r - w);
        Cell {
            raw: gap.map_or_else(String::new, |g| crate::num::round9(g).to_string()),
            shown: gap.map_or_else(String::new, |g| match format!("{:.1}", g * 100.0) {
                z if z == "0.0" || z == "-0.0" => "0.0".to_string(),
                shown => shown,
            }),
        }
    };
    let row = |group: String, whole: &Num, relaxed: &Num| {
        vec![
            Cell::text(group),
            Cell::percent(whole),
            Cell::percent(relaxed),
            percent_points(whole, relaxed),
        ]
    };
    let mut rows = vec![row("all".into(), &coverage.overall, &relaxation.overall)];
    for (domain, whole) in &coverage.by_domain {
        if let Some(relaxed) = relaxation.by_domain.get(domain) {
            rows.push(row(domain.clone(), whole, relaxed));
        }
    }
    for (level, whole) in &coverage.by_priority {
        if let Some(relaxed) = relaxation.by_priority.get(level) {
            rows.push(row(format!("priority {level}"), whole, relaxed));
        }
    }
    Table {
        name: "relaxation",
        title: "Whole units against the LP relaxation (the most any split of units reaches)",
        headers: names(&["group", "whole_units", "relaxation", "points_lost"]),
        rows,
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

/// The `fair_share` table: the over list, then the under list.
fn fair_share_table(doc: &ResultDoc) -> Table {
    let f = &doc.fair_share;
    let rows = f
        .over
        .iter()
        .map(|e| ("over", e))
        .chain(f.under.iter().map(|e| ("under", e)))
        .map(|(side, e)| {
            vec![
                Cell::text(side),
                Cell::text(e.member.clone()),
                Cell::text(e.name.clone()),
                Cell::number(e.burden),
                Cell::number(e.fair),
                Cell::signed(e.difference),
                Cell::number(e.burden_ratio),
            ]
        })
        .collect();
    Table {
        name: "fair_share",
        title: "Burden against fair share: the members most over and under it",
        headers: [
            "side",
            "member",
            "name",
            &f.measure,
            &format!("fair_{}", f.measure),
            "difference",
            "burden_ratio",
        ]
        .iter()
        .map(ToString::to_string)
        .collect(),
        rows,
    }
}
