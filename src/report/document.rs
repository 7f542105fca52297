//! The result document: everything `solve` reports, as one typed value that serialises to
//! the JSON result and reads back from it (docs/spec.md, "JSON result"). Every exporter
//! renders this; nothing renders the plan directly.

use serde::{Deserialize, Serialize};

use super::fair_share::{FairShareDoc, fair_share_doc};
use crate::analysis::asks::Asks;
use crate::pipeline::{Planned, Relaxation, UnmetFloor};
use crate::scenario::Scenario;

pub const SCHEMA_VERSION: u32 = 1;

pub use crate::num::{Named, Num, round9};

/// The scenario a document is about: its name, description, domains and phases.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScenarioInfo {
    /// The scenario's `name`.
    pub name: String,
    /// The scenario's `description`; empty when it has none.
    #[serde(default)]
    pub description: String,
    /// In the scenario's order (read as empty from a document that does not list them).
    #[serde(default)]
    pub domains: Vec<String>,
    /// The phase ids, in the scenario's order (read as empty from a document that does not
    /// list them).
    #[serde(default)]
    pub phases: Vec<String>,
}

/// The plan's coverage: plain means of requirement coverage (0 to 1), overall and by group.
/// A group without requirements is left out.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CoverageDoc {
    /// Mean coverage of all requirements (1 when there are none).
    pub overall: Num,
    /// Mean coverage by domain name, in the scenario's order.
    pub by_domain: Named<Num>,
    /// Mean coverage by phase id, in the scenario's order.
    pub by_phase: Named<Num>,
    /// Mean coverage by domain, then by phase (domain -> phase -> value).
    pub by_domain_phase: Named<Named<Num>>,
    /// Mean coverage by priority level (`"1"`..`"5"`), levels present only.
    pub by_priority: Named<Num>,
}

/// One requirement of the scenario and how far the plan covers it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RequirementDoc {
    /// The requirement's id.
    pub id: String,
    /// Its domain's name.
    pub domain: String,
    /// Its phase's id.
    pub phase: String,
    /// Its priority level, 1 (most important) to 5.
    pub priority: u8,
    /// The capability it asks for; `*` for any capability.
    pub capability: String,
    /// What it is counted in: `units`, `troops` or `equipment:ITEM`.
    pub measure: String,
    /// The target, in the requirement's measure.
    pub target: Num,
    /// The hard floor, in the requirement's measure (0 when it has none).
    pub minimum: Num,
    /// The exact amount the plan provides, in the requirement's measure (summed over its
    /// assignments).
    pub covered: Num,
    /// Shortfall: target minus covered, in the requirement's measure (0 when met, within a
    /// millionth of the target).
    pub shortfall: Num,
    /// Covered / target, 0 to 1 (1 when met, within a millionth of the target).
    pub coverage: Num,
}

/// Units of one offer deployed on one requirement.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AssignmentDoc {
    /// The requirement's id.
    pub requirement: String,
    /// The id of the member making the offer.
    pub member: String,
    /// The offer's id.
    pub offer: String,
    /// Units deployed on the requirement, whole with whole units (in a sustained phase they
    /// tie up `rotation` times as many of the offer's units).
    pub units: Num,
    /// What those units provide, in the requirement's measure.
    pub amount: Num,
}

/// One member's contribution to the plan, and its burden against its fair share.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MemberDoc {
    /// The member's id.
    pub id: String,
    /// The member's name.
    pub name: String,
    /// Troops deployed, summed over all phases.
    pub troops: Num,
    /// Cost of the deployed units, summed over all phases, in the scenario's currency unit.
    pub cost: Num,
    /// Units deployed, summed over all phases.
    pub units: Num,
    /// The member's share (0 to 1) of the coalition's burden: troops, or cost with
    /// `fairness = "cost"`; `None` when no burden is deployed at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burden_share: Option<Num>,
    /// Its `burden_key` over the sum of all members' keys; `None` when it has no key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_share: Option<Num>,
    /// Burden share / key share (1 is a fair share, 2 twice it); `None` when either share
    /// is `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burden_ratio: Option<Num>,
}

/// One stage of the lexicographic objective, as the plan leaves it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StageDoc {
    /// `priority-1`..`priority-5`, `burden`, `cost`, `troops`, `units` or
    /// `floor-violation`.
    pub name: String,
    /// The stage's objective value in the plan (see `meaning`).
    pub value: Num,
    /// `optimal`, `time_limit` (cut short: best found) or `not_solved` (the time limit ran
    /// out before it; the value is the plan's).
    pub status: String,
    /// The proven relative gap to the solver's bound, `(value - bound) / |value|`: 0 for LP
    /// stages, at most the MIP gap for whole-unit stages solved to optimality, `null` where
    /// no bound is known.
    pub gap: Num,
    /// What the stage measures, in words, with the plan's figure (e.g. "largest burden
    /// against fair share: ITA, 1.36x").
    #[serde(default)]
    pub meaning: String,
}

/// The coverage of the LP relaxation beside a whole-unit plan: the most any split of units
/// reaches under the same priorities (see `pipeline::Relaxation`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RelaxationDoc {
    /// The relaxation's mean coverage of all requirements, 0 to 1.
    pub overall: Num,
    /// Its mean coverage by domain name (domains without requirements left out).
    pub by_domain: Named<Num>,
    /// Its mean coverage by phase id (phases without requirements left out).
    pub by_phase: Named<Num>,
    /// Its mean coverage by priority level (`"1"`..`"5"`), levels present only.
    pub by_priority: Named<Num>,
    /// The relaxation's stage values: its priority stages bound the plan's from below.
    pub stages: Vec<RelaxedStageDoc>,
}

/// One stage of the LP relaxation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RelaxedStageDoc {
    /// The stage's name, as in [`StageDoc::name`].
    pub name: String,
    /// The relaxation's value of the stage.
    pub value: Num,
}

/// How the plan was solved.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SolverDoc {
    /// The solver backend: `highs` or `microlp`.
    pub backend: String,
    /// `true` with whole units (the default), `false` for the LP relaxation (`--relax`).
    pub integer: bool,
    /// Wall-clock seconds; only with `--timings`, as it differs from run to run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<Num>,
}

/// A hard floor that cannot be met (the scenario is infeasible).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UnmetFloorDoc {
    /// The requirement's id.
    pub requirement: String,
    /// Its domain's name.
    pub domain: String,
    /// Its phase's id.
    pub phase: String,
    /// The hard floor, in the requirement's measure.
    pub minimum: Num,
    /// The most of the floor reached when all floors are pursued together, in the
    /// requirement's measure.
    pub reachable: Num,
    /// Everything the eligible offers hold for it, each offer alone (caps and competition
    /// ignored; rotation applied in a sustained phase), in the requirement's measure.
    pub eligible_supply: Num,
    /// The eligible offers and what each could provide alone, largest first.
    pub eligible_offers: Vec<EligibleOfferDoc>,
}

/// An offer eligible for an unmet floor.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EligibleOfferDoc {
    /// The offer's id.
    pub offer: String,
    /// The id of the member making the offer.
    pub member: String,
    /// What the offer could provide alone, in the requirement's measure.
    pub amount: Num,
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
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AsksDoc {
    /// Extra units that improve coverage (a priority stage), ranked.
    pub extra_units: Vec<ExtraUnitDoc>,
    /// Extra units that change only a later stage (the burden or the cost), apart from the
    /// ranking: they close no shortfall.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_gains: Vec<ExtraUnitDoc>,
    /// Every requirement with a shortfall, in requirement order, with the members that
    /// could close it and what stops them.
    pub blockers: Vec<BlockerDoc>,
    /// Why part of the asks was not computed, or where the search stopped; `None` when
    /// everything was computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One offer whose extra unit improves the plan, at the first stage it improves.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExtraUnitDoc {
    /// Rank within its list, from 1 (best).
    pub rank: usize,
    /// The offer's id.
    pub offer: String,
    /// The id of the member making the offer.
    pub member: String,
    /// The offer's capability.
    pub capability: String,
    /// The offer's domain.
    pub domain: String,
    /// The first stage that improves (all earlier ones are unchanged).
    pub stage: String,
    /// The stage's value in the base plan.
    pub base_value: Num,
    /// The stage's value with the extra unit (exact re-solve).
    pub new_value: Num,
    /// New overall coverage minus the base's.
    pub coverage_change: Num,
}

/// A requirement with a shortfall, and the members that could close it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BlockerDoc {
    /// The requirement's id.
    pub requirement: String,
    /// Its shortfall, in the requirement's measure.
    pub shortfall: Num,
    /// The members with an offer of a suitable capability (empty when none has one).
    pub members: Vec<BlockedMemberDoc>,
}

/// A member that could serve a short requirement, and what stops it from giving more.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BlockedMemberDoc {
    /// The member's id.
    pub member: String,
    /// The ids of its offers of a capability that could serve the requirement.
    pub offers: Vec<String>,
    /// What stops it: `caveat:TAG`, `readiness`, `phase`, `capacity`, `max_troops`,
    /// `max_cost`, `max_share`, in that order.
    pub reasons: Vec<String>,
}

/// What a stage of `kind` measures, in words, with the plan's figure.
fn stage_meaning(
    scenario: &Scenario,
    figures: &crate::plan::Figures,
    kind: crate::model::StageKind,
) -> String {
    use crate::model::StageKind;
    let readable = super::readable;
    match kind {
        StageKind::FloorViolation => "how far the hard floors are missed (0: all met)".into(),
        StageKind::Priority(level) => {
            let (n, short) = scenario
                .requirements
                .iter()
                .zip(&figures.requirements)
                .filter(|(r, _)| r.priority == level)
                .fold((0, 0), |(n, short), (_, f)| {
                    (n + 1, short + usize::from(f.shortfall > 0.0))
                });
            let plural = if n == 1 { "" } else { "s" };
            format!(
                "shortfall / target summed over {n} priority-{level} requirement{plural}; {short} short"
            )
        }
        StageKind::Burden => {
            let worst = scenario
                .members
                .iter()
                .zip(&figures.members)
                .filter_map(|(m, f)| f.burden_ratio.map(|r| (m, r)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let measure = match scenario.fairness {
                Some(crate::scenario::Fairness::Cost) => "cost",
                _ => "troops",
            };
            match worst {
                Some((m, ratio)) => format!(
                    "largest burden ({measure}) against fair share: {}, {ratio:.2}x",
                    m.id
                ),
                None => format!("largest burden ({measure}) against fair share"),
            }
        }
        StageKind::Cost => format!(
            "total cost, summed over the phases: {}",
            readable(figures.total_cost)
        ),
        StageKind::Troops => format!(
            "troops deployed, summed over the phases: {}",
            readable(figures.total_troops)
        ),
        StageKind::Units => format!(
            "units deployed, summed over the phases: {}",
            readable(figures.members.iter().map(|m| m.units).sum())
        ),
    }
}

/// At most this many extra-unit asks go into the JSON result.
pub const MAX_EXTRA_UNITS_IN_JSON: usize = 20;

/// The document of the asks list computed for `planned`, a plan of `scenario`.
pub fn asks_doc(scenario: &Scenario, planned: &Planned, asks: &Asks) -> AsksDoc {
    let improves_coverage = |e: &&crate::analysis::asks::ExtraUnit| {
        matches!(
            planned.plan.stages[e.stage].kind,
            crate::model::StageKind::Priority(_)
        )
    };
    let (coverage, other): (Vec<_>, Vec<_>) = asks.extra_units.iter().partition(improves_coverage);
    let listed = |asks: Vec<&crate::analysis::asks::ExtraUnit>| -> Vec<ExtraUnitDoc> {
        asks.into_iter()
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
                    base_value: Num::new(e.base_value),
                    new_value: Num::new(e.new_value),
                    coverage_change: Num::new(e.coverage_change),
                }
            })
            .collect()
    };
    let extra_units = listed(coverage);
    let other_gains = listed(other);
    let blockers = asks
        .blockers
        .iter()
        .map(|b| BlockerDoc {
            requirement: scenario.requirements[b.requirement].id.clone(),
            shortfall: Num::new(b.shortfall),
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
        other_gains,
        blockers,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

/// The whole result of `solve`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResultDoc {
    /// Version of the result's JSON layout: `1` (`SCHEMA_VERSION`).
    pub schema_version: u32,
    /// The scenario solved.
    pub scenario: ScenarioInfo,
    /// `optimal`, `time_limit` or `infeasible`.
    pub status: String,
    /// `null` when infeasible: there is no plan to cover anything.
    pub coverage: Option<CoverageDoc>,
    /// Every requirement, in the scenario's order; empty when infeasible.
    pub requirements: Vec<RequirementDoc>,
    /// The plan's assignments, by requirement, then offer; empty when infeasible.
    pub assignments: Vec<AssignmentDoc>,
    /// Every member, in the scenario's order; empty when infeasible.
    pub members: Vec<MemberDoc>,
    /// The members most over and under their fair share; left out when no member has a
    /// burden key.
    #[serde(default, skip_serializing_if = "FairShareDoc::is_empty")]
    pub fair_share: FairShareDoc,
    /// Empty unless computed and attached with [`asks_doc`] (only `solve` does).
    pub asks: AsksDoc,
    /// The objective stages, in the order they were solved; empty when infeasible.
    pub stages: Vec<StageDoc>,
    /// With whole units, the LP relaxation beside the plan; absent for an LP plan, which is
    /// its own relaxation, and where it was not computed (sweeps and stress tests).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relaxation: Option<RelaxationDoc>,
    /// Only when infeasible: the hard floors that cannot be met; empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmet_floors: Vec<UnmetFloorDoc>,
    /// The solver used and how.
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
fn named(names: &mut dyn Iterator<Item = String>, values: &[Option<f64>]) -> Named<Num> {
    names
        .zip(values)
        .filter_map(|(n, v)| v.map(|v| (n, Num::new(v))))
        .collect()
}

fn priority_map(by_priority: &[(u8, f64)]) -> Named<Num> {
    by_priority
        .iter()
        .map(|(level, v)| (level.to_string(), Num::new(*v)))
        .collect()
}

fn relaxation_doc(scenario: &Scenario, relaxation: &Relaxation) -> RelaxationDoc {
    let c = &relaxation.coverage;
    RelaxationDoc {
        overall: Num::new(c.overall),
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
                value: Num::new(s.value),
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
            (d.clone(), inner)
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
            target: Num::new(r.target),
            minimum: Num::new(r.minimum),
            covered: Num::new(f.covered),
            shortfall: Num::new(f.shortfall),
            coverage: Num::new(f.coverage),
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
                units: Num::new(a.units),
                amount: Num::new(amount),
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
            troops: Num::new(f.troops),
            cost: Num::new(f.cost),
            units: Num::new(f.units),
            burden_share: f.burden_share.map(Num::new),
            key_share: f.key_share.map(Num::new),
            burden_ratio: f.burden_ratio.map(Num::new),
        })
        .collect();
    let stages = plan
        .stages
        .iter()
        .map(|s| StageDoc {
            name: s.name.clone(),
            value: Num::new(s.value),
            status: s.status.name().into(),
            gap: Num::from(s.gap),
            meaning: stage_meaning(scenario, figures, s.kind),
        })
        .collect();
    ResultDoc {
        schema_version: SCHEMA_VERSION,
        scenario: scenario_info(scenario),
        status: plan.status.name().into(),
        coverage: Some(CoverageDoc {
            overall: Num::new(c.overall),
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
            seconds: seconds.map(Num::new),
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
                minimum: Num::new(f.minimum),
                reachable: Num::new(f.reachable),
                eligible_supply: Num::new(f.eligible_supply),
                eligible_offers: f
                    .eligible_offers
                    .iter()
                    .map(|&(o, amount)| {
                        let offer = &scenario.offers[o];
                        EligibleOfferDoc {
                            offer: offer.id.clone(),
                            member: scenario.members[offer.member].id.clone(),
                            amount: Num::new(amount),
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
