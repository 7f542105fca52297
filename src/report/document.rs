//! The result document: everything `solve` reports, as one serialisable value
//! (docs/spec.md, "JSON result"). Every exporter renders this; nothing renders the plan
//! directly.

use serde::Serialize;
use serde_json::{Map, Value};

use super::fair_share::{FairShareDoc, fair_share_doc};
use crate::analysis::asks::Asks;
use crate::pipeline::{Planned, Relaxation, UnmetFloor};
use crate::scenario::Scenario;

pub const SCHEMA_VERSION: u32 = 1;

/// Rounds to 1e-9 so that identical inputs give byte-identical output; never `-0`.
pub fn round9(x: f64) -> f64 {
    let y = (x * 1e9).round() / 1e9;
    if y == 0.0 { 0.0 } else { y }
}

pub(crate) fn num(x: f64) -> Value {
    serde_json::Number::from_f64(round9(x)).map_or(Value::Null, Value::Number)
}

#[derive(Clone, Debug, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: String,
    pub domains: Vec<String>,
    pub phases: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CoverageDoc {
    pub overall: Value,
    pub by_domain: Map<String, Value>,
    pub by_phase: Map<String, Value>,
    pub by_domain_phase: Map<String, Value>,
    pub by_priority: Map<String, Value>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RequirementDoc {
    pub id: String,
    pub domain: String,
    pub phase: String,
    pub priority: u8,
    pub capability: String,
    pub measure: String,
    pub target: Value,
    pub minimum: Value,
    pub covered: Value,
    pub shortfall: Value,
    pub coverage: Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct AssignmentDoc {
    pub requirement: String,
    pub member: String,
    pub offer: String,
    pub units: Value,
    pub amount: Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct MemberDoc {
    pub id: String,
    pub name: String,
    pub troops: Value,
    pub cost: Value,
    pub units: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burden_share: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_share: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burden_ratio: Option<Value>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StageDoc {
    pub name: String,
    pub value: Value,
    /// `optimal`, `time_limit` (cut short: best found) or `not_solved` (the time limit ran
    /// out before it; the value is the plan's).
    pub status: &'static str,
    /// The proven relative gap to the solver's bound, `(value - bound) / |value|`: 0 for LP
    /// stages, at most the MIP gap for whole-unit stages solved to optimality, `null` where
    /// no bound is known.
    pub gap: Value,
}

/// The coverage of the LP relaxation beside a whole-unit plan: the most any split of units
/// reaches under the same priorities (see `pipeline::Relaxation`).
#[derive(Clone, Debug, Serialize)]
pub struct RelaxationDoc {
    pub overall: Value,
    pub by_domain: Map<String, Value>,
    pub by_phase: Map<String, Value>,
    pub by_priority: Map<String, Value>,
    /// The relaxation's stage values: its priority stages bound the plan's from below.
    pub stages: Vec<RelaxedStageDoc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RelaxedStageDoc {
    pub name: String,
    pub value: Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct SolverDoc {
    pub backend: String,
    pub integer: bool,
    /// Wall-clock seconds; only with `--timings`, as it differs from run to run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<Value>,
}

#[derive(Clone, Debug, Serialize)]
pub struct UnmetFloorDoc {
    pub requirement: String,
    pub domain: String,
    pub phase: String,
    pub minimum: Value,
    pub reachable: Value,
    pub eligible_supply: Value,
    pub eligible_offers: Vec<EligibleOfferDoc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EligibleOfferDoc {
    pub offer: String,
    pub member: String,
    pub amount: Value,
}

/// The asks list of `solve` (see `analysis::asks`): what one extra unit of an offer would
/// improve, found by re-solving (exact, not dual values), and who could close each shortfall
/// and what stops them.
///
/// ```json
/// "asks": {
///   "extra_units": [{"rank": 1, "offer": "ITA/mcm_vessel/1", "member": "ITA",
///                    "capability": "mcm_vessel", "domain": "sea", "stage": "priority-2",
///                    "base_value": 0.5, "new_value": 0.0, "coverage_change": 0.083333333}],
///   "blockers": [{"requirement": "mine-countermeasures-1", "shortfall": 1.0,
///                 "members": [{"member": "ITA", "offers": ["ITA/mcm_vessel/1"],
///                              "reasons": ["capacity"]}]}],
///   "note": "..."
/// }
/// ```
///
/// `extra_units` holds the improving offers, best first, at most 20. `reasons` are
/// `caveat:<tag>`, `readiness`, `phase`, `capacity`, `max_troops`, `max_cost`, `max_share`.
/// `note` is present only when part of the asks was not computed (a solve cut short by the
/// time limit, too many offers to search, re-solves that failed) or the search stopped
/// once the listed asks were certain (it says after which stage).
#[derive(Clone, Debug, Default, Serialize)]
pub struct AsksDoc {
    pub extra_units: Vec<ExtraUnitDoc>,
    pub blockers: Vec<BlockerDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One offer whose extra unit improves the plan, at the first stage it improves.
#[derive(Clone, Debug, Serialize)]
pub struct ExtraUnitDoc {
    pub rank: usize,
    pub offer: String,
    pub member: String,
    pub capability: String,
    pub domain: String,
    /// The first stage that improves (all earlier ones are unchanged).
    pub stage: String,
    pub base_value: Value,
    pub new_value: Value,
    /// New overall coverage minus the base's.
    pub coverage_change: Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct BlockerDoc {
    pub requirement: String,
    pub shortfall: Value,
    pub members: Vec<BlockedMemberDoc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BlockedMemberDoc {
    pub member: String,
    pub offers: Vec<String>,
    pub reasons: Vec<String>,
}

/// At most this many extra-unit asks go into the JSON result.
pub const MAX_EXTRA_UNITS_IN_JSON: usize = 20;

/// The document of the asks list computed for `planned`, a plan of `scenario`.
pub fn asks_doc(scenario: &Scenario, planned: &Planned, asks: &Asks) -> AsksDoc {
    let extra_units = asks
        .extra_units
        .iter()
        .take(MAX_EXTRA_UNITS_IN_JSON)
        .enumerate()
        .map(|(i, e)| {
            let offer = &scenario.offers[e.offer];
            ExtraUnitDoc {
                rank: i + 1,
                offer: offer.id.clone(),
                member: scenario.members[offer.member].id.clone(),
                capability: offer.capability.clone(),
                domain: scenario.domains[offer.domain].clone(),
                stage: planned.plan.stages[e.stage].name.clone(),
                base_value: num(e.base_value),
                new_value: num(e.new_value),
                coverage_change: num(e.coverage_change),
            }
        })
        .collect();
    let blockers = asks
        .blockers
        .iter()
        .map(|b| BlockerDoc {
            requirement: scenario.requirements[b.requirement].id.clone(),
            shortfall: num(b.shortfall),
            members: b
                .members
                .iter()
                .map(|m| BlockedMemberDoc {
                    member: scenario.members[m.member].id.clone(),
                    offers: m
                        .offers
                        .iter()
                        .map(|&o| scenario.offers[o].id.clone())
                        .collect(),
                    reasons: m.reasons.clone(),
                })
                .collect(),
        })
        .collect();
    let notes: Vec<&str> = [&asks.searched, &asks.note]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    AsksDoc {
        extra_units,
        blockers,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

/// The whole result of `solve`.
#[derive(Clone, Debug, Serialize)]
pub struct ResultDoc {
    pub schema_version: u32,
    pub scenario: ScenarioInfo,
    /// `optimal`, `time_limit` or `infeasible`.
    pub status: String,
    /// `null` when infeasible: there is no plan to cover anything.
    pub coverage: Option<CoverageDoc>,
    pub requirements: Vec<RequirementDoc>,
    pub assignments: Vec<AssignmentDoc>,
    pub members: Vec<MemberDoc>,
    /// The members most over and under their fair share; left out when no member has a
    /// burden key.
    #[serde(skip_serializing_if = "FairShareDoc::is_empty")]
    pub fair_share: FairShareDoc,
    /// Empty unless computed and attached with [`asks_doc`] (only `solve` does).
    pub asks: AsksDoc,
    pub stages: Vec<StageDoc>,
    /// With whole units, the LP relaxation beside the plan; absent for an LP plan, which is
    /// its own relaxation, and where it was not computed (sweeps and stress tests).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relaxation: Option<RelaxationDoc>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmet_floors: Vec<UnmetFloorDoc>,
    pub solver: SolverDoc,
}

fn scenario_info(scenario: &Scenario) -> ScenarioInfo {
    ScenarioInfo {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        domains: scenario.domains.clone(),
        phases: scenario.phases.iter().map(|p| p.id.clone()).collect(),
    }
}

fn capability_name(r: &crate::scenario::Requirement) -> String {
    match &r.capability {
        crate::scenario::CapabilityWanted::Any => "*".into(),
        crate::scenario::CapabilityWanted::Named(c) => c.clone(),
    }
}

/// `values` by the names of their groups, groups without requirements left out.
fn named(names: &mut dyn Iterator<Item = String>, values: &[Option<f64>]) -> Map<String, Value> {
    names
        .zip(values)
        .filter_map(|(n, v)| v.map(|v| (n, num(v))))
        .collect()
}

fn priority_map(by_priority: &[(u8, f64)]) -> Map<String, Value> {
    by_priority
        .iter()
        .map(|(level, v)| (level.to_string(), num(*v)))
        .collect()
}

fn relaxation_doc(scenario: &Scenario, relaxation: &Relaxation) -> RelaxationDoc {
    let c = &relaxation.coverage;
    RelaxationDoc {
        overall: num(c.overall),
        by_domain: named(&mut scenario.domains.iter().cloned(), &c.by_domain),
        by_phase: named(
            &mut scenario.phases.iter().map(|p| p.id.clone()),
            &c.by_phase,
        ),
        by_priority: priority_map(&c.by_priority),
        stages: relaxation
            .stages
            .iter()
            .map(|s| RelaxedStageDoc {
                name: s.name.clone(),
                value: num(s.value),
            })
            .collect(),
    }
}

/// Builds the document of a verified plan. `seconds` is reported only when given.
pub fn result_doc(scenario: &Scenario, planned: &Planned, seconds: Option<f64>) -> ResultDoc {
    let (plan, figures) = (&planned.plan, &planned.figures);
    let c = &figures.coverage;
    let by_domain = named(&mut scenario.domains.iter().cloned(), &c.by_domain);
    let by_phase = named(
        &mut scenario.phases.iter().map(|p| p.id.clone()),
        &c.by_phase,
    );
    let by_domain_phase = scenario
        .domains
        .iter()
        .zip(&c.by_domain_phase)
        .filter(|(_, cells)| cells.iter().any(Option::is_some))
        .map(|(d, cells)| {
            let inner = named(&mut scenario.phases.iter().map(|p| p.id.clone()), cells);
            (d.clone(), Value::Object(inner))
        })
        .collect();
    let by_priority = priority_map(&c.by_priority);
    let requirements = scenario
        .requirements
        .iter()
        .zip(&figures.requirements)
        .map(|(r, f)| RequirementDoc {
            id: r.id.clone(),
            domain: scenario.domains[r.domain].clone(),
            phase: scenario.phases[r.phase].id.clone(),
            priority: r.priority,
            capability: capability_name(r),
            measure: r.measure.to_string(),
            target: num(r.target),
            minimum: num(r.minimum),
            covered: num(f.covered),
            shortfall: num(f.shortfall),
            coverage: num(f.coverage),
        })
        .collect();
    let assignments = plan
        .assignments
        .iter()
        .zip(&figures.amounts)
        .map(|(a, &amount)| {
            let offer = &scenario.offers[a.offer];
            AssignmentDoc {
                requirement: scenario.requirements[a.requirement].id.clone(),
                member: scenario.members[offer.member].id.clone(),
                offer: offer.id.clone(),
                units: num(a.units),
                amount: num(amount),
            }
        })
        .collect();
    let members = scenario
        .members
        .iter()
        .zip(&figures.members)
        .map(|(m, f)| MemberDoc {
            id: m.id.clone(),
            name: m.name.clone(),
            troops: num(f.troops),
            cost: num(f.cost),
            units: num(f.units),
            burden_share: f.burden_share.map(num),
            key_share: f.key_share.map(num),
            burden_ratio: f.burden_ratio.map(num),
        })
        .collect();
    let stages = plan
        .stages
        .iter()
        .map(|s| StageDoc {
            name: s.name.clone(),
            value: num(s.value),
            status: s.status.name(),
            gap: s.gap.map_or(Value::Null, num),
        })
        .collect();
    ResultDoc {
        schema_version: SCHEMA_VERSION,
        scenario: scenario_info(scenario),
        status: plan.status.name().into(),
        coverage: Some(CoverageDoc {
            overall: num(c.overall),
            by_domain,
            by_phase,
            by_domain_phase,
            by_priority,
        }),
        requirements,
        assignments,
        members,
        fair_share: fair_share_doc(scenario, figures),
        asks: AsksDoc::default(),
        stages,
        relaxation: planned
            .relaxation
            .as_ref()
            .map(|r| relaxation_doc(scenario, r)),
        unmet_floors: Vec::new(),
        solver: SolverDoc {
            backend: plan.backend.name().into(),
            integer: plan.integer,
            seconds: seconds.map(num),
        },
    }
}

/// The document of an infeasible scenario: no plan, the floors that cannot be met.
pub fn infeasible_doc(
    scenario: &Scenario,
    floors: &[UnmetFloor],
    backend: &str,
    integer: bool,
) -> ResultDoc {
    let unmet_floors = floors
        .iter()
        .map(|f| {
            let r = &scenario.requirements[f.requirement];
            UnmetFloorDoc {
                requirement: r.id.clone(),
                domain: scenario.domains[r.domain].clone(),
                phase: scenario.phases[r.phase].id.clone(),
                minimum: num(f.minimum),
                reachable: num(f.reachable),
                eligible_supply: num(f.eligible_supply),
                eligible_offers: f
                    .eligible_offers
                    .iter()
                    .map(|&(o, amount)| {
                        let offer = &scenario.offers[o];
                        EligibleOfferDoc {
                            offer: offer.id.clone(),
                            member: scenario.members[offer.member].id.clone(),
                            amount: num(amount),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    ResultDoc {
        schema_version: SCHEMA_VERSION,
        scenario: scenario_info(scenario),
        status: "infeasible".into(),
        coverage: None,
        requirements: Vec::new(),
        assignments: Vec::new(),
        members: Vec::new(),
        fair_share: FairShareDoc::default(),
        asks: AsksDoc {
            note: Some("not computed: the scenario is infeasible".into()),
            ..AsksDoc::default()
        },
        stages: Vec::new(),
        relaxation: None,
        unmet_floors,
        solver: SolverDoc {
            backend: backend.into(),
            integer,
            seconds: None,
        },
    }
}
