//! The stress test as a document and its renderings: the JSON document (withdrawals ranked,
//! single points of failure), its tables, and the table, markdown and CSV outputs.

use serde::Serialize;

use crate::analysis::stress::{Outcome, Stress, Withdrawal};
use crate::num::{Named, Num};
use crate::report::document::ScenarioInfo;
use crate::report::{Cell, Format, Table, csv, csv_sections, markdown, text};
use crate::scenario::Scenario;

/// Version of the `stress` JSON document.
pub const STRESS_SCHEMA_VERSION: u32 = 1;
/// Rows of the ranking shown in `table` and `markdown` output (CSV and JSON have all).
pub const RANKING_SHOWN: usize = 20;
/// Withdrawals listed per domain in the worst-by-domain table.
const WORST_PER_DOMAIN: usize = 5;

/// The base scenario's coverage: overall and by domain.
#[derive(Serialize)]
pub struct CoverageDoc {
    /// Overall coverage, a fraction from 0 to 1.
    pub overall: Num,
    /// Coverage (0 to 1) by domain, only domains with requirements.
    pub by_domain: Named<Num>,
}

/// The scenario with no one withdrawn.
#[derive(Serialize)]
pub struct BaseDoc {
    /// `optimal` or `time_limit`.
    pub status: &'static str,
    /// Its coverage, overall and by domain.
    pub coverage: CoverageDoc,
    /// Troops deployed, over all members and phases.
    pub troops: Num,
    /// Cost of the plan, over all members and phases.
    pub cost: Num,
}

#[derive(Serialize)]
pub struct SolverDoc {
    pub backend: &'static str,
    pub integer: bool,
}

/// One withdrawal. Figures are `null` where the variant has no plan (infeasible, error).
#[derive(Serialize)]
pub struct WithdrawalDoc {
    /// Position in the ranking, from 1.
    pub rank: usize,
    /// Ids of the members withdrawn (one, or two with `k = 2`).
    pub members: Vec<String>,
    /// `optimal`, `time_limit`, `infeasible` or `error`.
    pub status: &'static str,
    /// Overall coverage (0 to 1) without these members; `null` without a plan.
    pub coverage: Num,
    /// Base overall coverage minus this one's.
    pub loss: Num,
    /// By domain with requirements, base minus this one's.
    pub loss_by_domain: Option<Named<Num>>,
    /// Troops deployed without these members; `null` without a plan.
    pub troops: Num,
    /// Cost of the plan without these members; `null` without a plan.
    pub cost: Num,
    /// Only when infeasible: the hard floors that can no longer be met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmet_floors: Option<Vec<String>>,
    /// Only when the variant failed to solve (`error`): the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A single point of failure: a requirement that some withdrawal leaves without any
/// eligible offer.
#[derive(Serialize)]
pub struct SinglePointDoc {
    /// The requirement's id.
    pub requirement: String,
    /// The requirement's domain.
    pub domain: String,
    /// The requirement's phase.
    pub phase: String,
    /// The requirement's priority level.
    pub priority: u8,
    /// The smallest withdrawals that leave the requirement without any eligible offer.
    pub withdrawn: Vec<Vec<String>>,
}

/// The `stress` JSON document; byte-identical across runs and across `--jobs`.
#[derive(Serialize)]
pub struct StressDoc {
    /// Version of the document's JSON layout: `1` (`STRESS_SCHEMA_VERSION`).
    pub schema_version: u32,
    /// The scenario stressed.
    pub scenario: ScenarioInfo,
    /// Members withdrawn at a time: 1 (every member) or 2 (every pair).
    pub k: usize,
    /// The solver backend and whether whole units were planned.
    pub solver: SolverDoc,
    /// The scenario with no one withdrawn: its status, coverage, troops and cost.
    pub base: BaseDoc,
    /// Ranked: infeasible first, then by overall coverage lost, then errors.
    pub withdrawals: Vec<WithdrawalDoc>,
    /// The requirements that a withdrawal of at most `k` members leaves without any
    /// eligible offer, by priority, then requirement order; empty when there are none.
    pub single_points_of_failure: Vec<SinglePointDoc>,
    /// Wall-clock seconds of the whole run, only with `--timings`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<Num>,
}

fn ids(scenario: &Scenario, members: &[usize]) -> Vec<String> {
    members
        .iter()
        .map(|&m| scenario.members[m].id.clone())
        .collect()
}

fn by_domain(scenario: &Scenario, values: impl Fn(usize) -> Option<f64>) -> Named<Num> {
    scenario
        .domains
        .iter()
        .enumerate()
        .filter_map(|(d, name)| values(d).map(|v| (name.clone(), Num::new(v))))
        .collect()
}

fn withdrawal_doc(
    scenario: &Scenario,
    result: &Stress,
    rank: usize,
    w: &Withdrawal,
) -> WithdrawalDoc {
    let summary = w.outcome.summary();
    let figure = |f: fn(&crate::analysis::stress::Summary) -> f64| {
        summary.map_or(Num::NONE, |s| Num::new(f(s)))
    };
    WithdrawalDoc {
        rank,
        members: ids(scenario, &w.members),
        status: w.outcome.status(),
        coverage: figure(|s| s.overall),
        loss: result.loss(w).map_or(Num::NONE, Num::new),
        loss_by_domain: if summary.is_some() {
            Some(by_domain(scenario, |d| result.domain_loss(w, d)))
        } else {
            None
        },
        troops: figure(|s| s.troops),
        cost: figure(|s| s.cost),
        unmet_floors: match &w.outcome {
            Outcome::Infeasible(floors) => Some(
                floors
                    .iter()
                    .map(|&q| scenario.requirements[q].id.clone())
                    .collect(),
            ),
            _ => None,
        },
        error: match &w.outcome {
            Outcome::Error(message) => Some(message.clone()),
            _ => None,
        },
    }
}

pub fn stress_doc(
    scenario: &Scenario,
    result: &Stress,
    ranking: &[usize],
    solver: SolverDoc,
    seconds: Option<f64>,
) -> StressDoc {
    StressDoc {
        schema_version: STRESS_SCHEMA_VERSION,
        scenario: ScenarioInfo {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            domains: scenario.domains.clone(),
            phases: scenario.phases.iter().map(|p| p.id.clone()).collect(),
        },
        k: result.k,
        solver,
        base: BaseDoc {
            status: result.base.status.name(),
            coverage: CoverageDoc {
                overall: Num::new(result.base.overall),
                by_domain: by_domain(scenario, |d| result.base.by_domain[d]),
            },
            troops: Num::new(result.base.troops),
            cost: Num::new(result.base.cost),
        },
        withdrawals: ranking
            .iter()
            .enumerate()
            .map(|(rank, &i)| withdrawal_doc(scenario, result, rank + 1, &result.withdrawals[i]))
            .collect(),
        single_points_of_failure: result
            .single_points
            .iter()
            .map(|p| {
                let r = &scenario.requirements[p.requirement];
                SinglePointDoc {
                    requirement: r.id.clone(),
                    domain: scenario.domains[r.domain].clone(),
                    phase: scenario.phases[r.phase].id.clone(),
                    priority: r.priority,
                    withdrawn: p.withdrawn.iter().map(|set| ids(scenario, set)).collect(),
                }
            })
            .collect(),
        seconds: seconds.map(Num::new),
    }
}

/// Members of one withdrawal for a table cell: `FRA+GBR`.
fn joined(members: &[String]) -> String {
    members.join("+")
}

/// The tables of a stress document: the ranking, the worst withdrawals by domain, the
/// single points of failure.
pub fn stress_tables(scenario: &Scenario, result: &Stress, doc: &StressDoc) -> Vec<Table> {
    let mut headers: Vec<String> = ["rank", "withdrawn", "status", "coverage", "loss"]
        .iter()
        .map(ToString::to_string)
        .collect();
    headers.extend(scenario.domains.iter().map(|d| format!("loss_{d}")));
    headers.extend(["troops", "cost", "detail"].iter().map(ToString::to_string));
    let ranking = doc
        .withdrawals
        .iter()
        .map(|w| {
            let mut row = vec![
                Cell::text(w.rank.to_string()),
                Cell::text(joined(&w.members)),
                Cell::text(w.status),
                Cell::percent(w.coverage),
                Cell::percent(w.loss),
            ];
            for d in &scenario.domains {
                row.push(Cell::percent(
                    w.loss_by_domain
                        .as_ref()
                        .and_then(|by| by.get(d))
                        .copied()
                        .unwrap_or(Num::NONE),
                ));
            }
            row.push(Cell::number(w.troops));
            row.push(Cell::number(w.cost));
            let detail = match (&w.unmet_floors, &w.error) {
                (Some(floors), _) => format!("unmet floors: {}", floors.join("; ")),
                (_, Some(error)) => error.clone(),
                _ => String::new(),
            };
            row.push(Cell::text(detail));
            row
        })
        .collect();

    let mut worst = Vec::new();
    for (d, domain) in scenario.domains.iter().enumerate() {
        for (n, (i, loss)) in result
            .worst_in_domain(scenario, d, WORST_PER_DOMAIN)
            .into_iter()
            .enumerate()
        {
            let w = &result.withdrawals[i];
            let coverage = w
                .outcome
                .summary()
                .and_then(|s| s.by_domain[d])
                .map_or(Num::NONE, Num::new);
            worst.push(vec![
                Cell::text(domain.clone()),
                Cell::text((n + 1).to_string()),
                Cell::text(joined(&ids(scenario, &w.members))),
                Cell::percent(Num::new(loss)),
                Cell::percent(coverage),
            ]);
        }
    }

    let single_points = doc
        .single_points_of_failure
        .iter()
        .map(|p| {
            let sets: Vec<String> = p.withdrawn.iter().map(|s| joined(s)).collect();
            vec![
                Cell::text(p.requirement.clone()),
                Cell::text(p.domain.clone()),
                Cell::text(p.phase.clone()),
                Cell::text(p.priority.to_string()),
                Cell::text(sets.join("; ")),
            ]
        })
        .collect();

    vec![
        Table {
            name: "withdrawals",
            title: "Withdrawals, by overall coverage lost",
            headers,
            rows: ranking,
        },
        Table {
            name: "worst_by_domain",
            title: "Worst withdrawals by domain",
            headers: ["domain", "rank", "withdrawn", "loss", "coverage"]
                .iter()
                .map(ToString::to_string)
                .collect(),
            rows: worst,
        },
        Table {
            name: "single_points_of_failure",
            title: "Single points of failure: requirements left without any eligible offer",
            headers: ["requirement", "domain", "phase", "priority", "withdrawn"]
                .iter()
                .map(ToString::to_string)
                .collect(),
            rows: single_points,
        },
    ]
}

pub fn heading(scenario: &Scenario, result: &Stress) -> String {
    let count = |status: &str| {
        result
            .withdrawals
            .iter()
            .filter(|w| w.outcome.status() == status)
            .count()
    };
    format!(
        "{}: stress test, {} member(s) withdrawn at a time, {} withdrawal(s) ({} infeasible, {} failed); base {}, overall coverage {:.1}%",
        scenario.name,
        result.k,
        result.withdrawals.len(),
        count("infeasible"),
        count("error"),
        result.base.status.name(),
        result.base.overall * 100.0
    )
}

impl StressDoc {
    /// The document as `forcegen stress --format json` prints it.
    pub fn to_json(&self) -> Vec<u8> {
        json_bytes(self)
    }
}

pub fn json_bytes(doc: &StressDoc) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(doc).expect("a stress document always serialises");
    bytes.push(b'\n');
    bytes
}

/// The stress test in `format`: JSON, all tables as CSV, or (table, markdown) the heading,
/// the top of the ranking and the other tables.
pub fn render(scenario: &Scenario, result: &Stress, doc: &StressDoc, format: Format) -> Vec<u8> {
    let tables = stress_tables(scenario, result, doc);
    match format {
        Format::Json => json_bytes(doc),
        Format::Csv => csv_sections(&tables),
        Format::Table | Format::Markdown => {
            let mut shown = tables;
            let all = shown[0].rows.len();
            shown[0].rows.truncate(RANKING_SHOWN);
            // People do not need an empty `detail` column (CSV keeps it, for a fixed shape).
            if shown[0]
                .rows
                .iter()
                .all(|r| r.last().is_some_and(|c| c.raw.is_empty()))
            {
                shown[0].headers.pop();
                for row in &mut shown[0].rows {
                    row.pop();
                }
            }
            let heading = heading(scenario, result);
            let mut out = if format == Format::Table {
                text(&heading, &shown)
            } else {
                markdown(&heading, &shown)
            };
            if all > RANKING_SHOWN {
                out.extend_from_slice(
                    format!(
                        "\n(the ranking shows the top {RANKING_SHOWN} of {all} withdrawals; --format csv or json lists all)\n"
                    )
                    .as_bytes(),
                );
            }
            out
        }
    }
}

/// The files of `--out DIR`: each table as CSV, and `stress.json`.
pub fn files(scenario: &Scenario, result: &Stress, doc: &StressDoc) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = stress_tables(scenario, result, doc)
        .iter()
        .map(|t| (format!("{}.csv", t.name), csv(t)))
        .collect();
    files.push(("stress.json".to_string(), json_bytes(doc)));
    files
}
