//! The independent plan checker. It re-derives eligibility, amounts, capacities, caps,
//! shares, floors, coverage arithmetic and stage values from the scenario alone, with code
//! that shares nothing with the formulation, so that a modelling bug cannot vouch for itself.
//! A plan that fails here is an internal error (exit 70), never a result.

use std::collections::HashMap;
use std::fmt;

use crate::model::StageKind;
use crate::scenario::{CapabilityWanted, Fairness, Measure, Scenario};
use crate::solve::StageStatus;

use super::{Figures, Plan};

/// Relative tolerance of every comparison.
const TOLERANCE: f64 = 1e-6;

fn within(value: f64, limit: f64) -> bool {
    value <= limit + TOLERANCE * limit.abs().max(1.0)
}

/// (shortfall, coverage) of a requirement as the spec defines them: a requirement covered
/// to within 1e-6 of its target (relative, absolute below a target of 1) is met.
fn met_or_short(covered: f64, target: f64) -> (f64, f64) {
    let gap = target - covered;
    if gap <= 1e-6 * target.max(1.0) {
        (0.0, 1.0)
    } else {
        (gap, covered / target)
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// One way a plan breaks the scenario's rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The rule broken: `reference`, `units`, `integer`, `eligibility`, `capacity`,
    /// `max_troops`, `max_cost`, `max_share`, `floor`, `arithmetic` or `stage`.
    pub rule: &'static str,
    /// What breaks it, in words, naming the offer, requirement, member or stage and the
    /// numbers.
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.detail)
    }
}

/// Per-unit amount of an offer toward a requirement, re-derived from the scenario's rules.
fn amount_per_unit(
    scenario: &Scenario,
    offer_index: usize,
    requirement_index: usize,
) -> Result<f64, String> {
    let offer = &scenario.offers[offer_index];
    let req = &scenario.requirements[requirement_index];
    if scenario.domains[offer.domain] != scenario.domains[req.domain] {
        return Err(format!(
            "domain {} is not {}",
            scenario.domains[offer.domain], scenario.domains[req.domain]
        ));
    }
    if !offer.phases.contains(&req.phase) {
        return Err(format!(
            "not offered for phase {}",
            scenario.phases[req.phase].id
        ));
    }
    if req
        .max_readiness_days
        .is_some_and(|max| offer.readiness_days > max)
    {
        return Err(format!(
            "{} readiness days is too slow",
            offer.readiness_days
        ));
    }
    let member = &scenario.members[offer.member];
    if let Some(caveat) = member
        .caveats
        .iter()
        .find(|c| req.excluded_caveats.iter().any(|e| e == *c))
    {
        return Err(format!("{} has the excluded caveat {caveat}", member.id));
    }
    let factor = match &req.capability {
        CapabilityWanted::Any => 1.0,
        CapabilityWanted::Named(wanted) if *wanted == offer.capability => 1.0,
        CapabilityWanted::Named(wanted) => {
            let mut factor = None;
            for s in &scenario.substitutions {
                if &s.required == wanted && s.substitute == offer.capability {
                    factor = Some(s.factor);
                }
            }
            factor.ok_or_else(|| format!("{} cannot serve {wanted}", offer.capability))?
        }
    };
    let per_unit = match &req.measure {
        Measure::Units => 1.0,
        Measure::Troops => offer.troops_per_unit,
        Measure::Equipment(item) => {
            let mut count = 0.0;
            for (name, n) in &offer.equipment {
                if name == item {
                    count += n;
                }
            }
            count
        }
    };
    if factor * per_unit <= 0.0 {
        return Err(format!("provides none of {}", req.measure));
    }
    Ok(factor * per_unit)
}

/// Checks `plan` against `scenario` and the figures reported with it.
pub fn check(scenario: &Scenario, plan: &Plan, figures: &Figures) -> Result<(), Vec<Violation>> {
    let mut violations = Vec::new();
    let mut fail = |rule: &'static str, detail: String| violations.push(Violation { rule, detail });

    let n_req = scenario.requirements.len();
    let mut covered = vec![0.0; n_req];
    // Units per (offer, phase), troops and cost per (member, phase), amount per (req, member).
    let mut pool: HashMap<(usize, usize), f64> = HashMap::new();
    let mut troops: HashMap<(usize, usize), f64> = HashMap::new();
    let mut cost: HashMap<(usize, usize), f64> = HashMap::new();
    let mut by_member: HashMap<(usize, usize), f64> = HashMap::new();
    let mut units_by_member: HashMap<(usize, usize), f64> = HashMap::new();
    let mut member_troops = vec![0.0; scenario.members.len()];
    let mut member_cost = vec![0.0; scenario.members.len()];
    let mut total_units = 0.0;

    for a in &plan.assignments {
        if a.offer >= scenario.offers.len() || a.requirement >= n_req {
            fail(
                "reference",
                format!(
                    "assignment to offer {} / requirement {} does not exist",
                    a.offer, a.requirement
                ),
            );
            continue;
        }
        let offer = &scenario.offers[a.offer];
        let req = &scenario.requirements[a.requirement];
        if !a.units.is_finite() || a.units < 0.0 {
            fail(
                "units",
                format!("{} units of {} on {}", a.units, offer.id, req.id),
            );
            continue;
        }
        if plan.integer && (a.units - a.units.round()).abs() > TOLERANCE {
            fail(
                "integer",
                format!(
                    "{} units of {} on {} is not whole",
                    a.units, offer.id, req.id
                ),
            );
        }
        let per_unit = match amount_per_unit(scenario, a.offer, a.requirement) {
            Ok(x) => x,
            Err(why) => {
                fail(
                    "eligibility",
                    format!("offer {} on {}: {why}", offer.id, req.id),
                );
                continue;
            }
        };
        let amount = per_unit * a.units;
        covered[a.requirement] += amount;
        let rotation = if scenario.phases[req.phase].sustained {
            offer.rotation
        } else {
            1.0
        };
        *pool.entry((a.offer, req.phase)).or_default() += rotation * a.units;
        *troops.entry((offer.member, req.phase)).or_default() += offer.troops_per_unit * a.units;
        *cost.entry((offer.member, req.phase)).or_default() += offer.cost_per_unit * a.units;
        *by_member.entry((a.requirement, offer.member)).or_default() += amount;
        *units_by_member
            .entry((a.requirement, offer.member))
            .or_default() += a.units;
        member_troops[offer.member] += offer.troops_per_unit * a.units;
        member_cost[offer.member] += offer.cost_per_unit * a.units;
        total_units += a.units;
    }

    let mut keys: Vec<_> = pool.keys().copied().collect();
    keys.sort_unstable();
    for (o, p) in keys {
        let offer = &scenario.offers[o];
        if !within(pool[&(o, p)], offer.units) {
            fail(
                "capacity",
                format!(
                    "offer {} uses {} units of pool in phase {} but offers {}",
                    offer.id,
                    pool[&(o, p)],
                    scenario.phases[p].id,
                    offer.units
                ),
            );
        }
    }
    for (m, member) in scenario.members.iter().enumerate() {
        for (p, phase) in scenario.phases.iter().enumerate() {
            let t = troops.get(&(m, p)).copied().unwrap_or(0.0);
            if let Some(max) = member.max_troops
                && !within(t, max)
            {
                fail(
                    "max_troops",
                    format!(
                        "{} deploys {t} troops in {} over its cap {max}",
                        member.id, phase.id
                    ),
                );
            }
            let c = cost.get(&(m, p)).copied().unwrap_or(0.0);
            if let Some(max) = member.max_cost
                && !within(c, max)
            {
                fail(
                    "max_cost",
                    format!(
                        "{} spends {c} in {} over its cap {max}",
                        member.id, phase.id
                    ),
                );
            }
        }
    }
    for (q, req) in scenario.requirements.iter().enumerate() {
        for (m, member) in scenario.members.iter().enumerate() {
            let provided = by_member.get(&(q, m)).copied().unwrap_or(0.0);
            // The model caps shares only where max_share < 1: covering more than the
            // target is allowed (coverage counts at most 1).
            if req.max_share < 1.0 && !within(provided, req.max_share * req.target) {
                fail(
                    "max_share",
                    format!(
                        "{} provides {provided} of {} over its share cap {}",
                        member.id,
                        req.id,
                        req.max_share * req.target
                    ),
                );
            }
        }
        if !within(req.minimum, covered[q]) {
            fail(
                "floor",
                format!(
                    "{} is covered {} under its floor {}",
                    req.id, covered[q], req.minimum
                ),
            );
        }
        match figures.requirements.get(q) {
            Some(f) => {
                let (shortfall, coverage) = met_or_short(covered[q], req.target);
                if !close(f.covered, covered[q])
                    || !close(f.shortfall, shortfall)
                    || !close(f.coverage, coverage)
                {
                    fail(
                        "arithmetic",
                        format!(
                            "{} reported covered {} shortfall {} coverage {}, recomputed {} {} {}",
                            req.id,
                            f.covered,
                            f.shortfall,
                            f.coverage,
                            covered[q],
                            shortfall,
                            coverage
                        ),
                    );
                }
            }
            None => fail("arithmetic", format!("no figures reported for {}", req.id)),
        }
    }
    let mean_coverage = if n_req == 0 {
        1.0
    } else {
        (0..n_req)
            .map(|q| met_or_short(covered[q], scenario.requirements[q].target).1)
            .sum::<f64>()
            / n_req as f64
    };
    if !close(figures.coverage.overall, mean_coverage) {
        fail(
            "arithmetic",
            format!(
                "overall coverage reported {}, recomputed {mean_coverage}",
                figures.coverage.overall
            ),
        );
    }

    /// How much better than a reported LP optimum the plan may be: the simplex's own
    /// optimality tolerance, well above the 1e-7 hold and well below any real difference.
    const OPTIMALITY: f64 = 1e-5;
    // Stage values, recomputed from the plan: never worse than reported, and for a pure LP
    // solved to optimality, equal. A requirement with min_members > 1 brings binaries into
    // the model even without --integer: stages are then within the MIP gap, and a later
    // stage may find a plan better than an earlier stage's reported value.
    let has_binaries = scenario.requirements.iter().any(|r| r.min_members > 1);
    let exact = plan.status == crate::solve::Status::Optimal && !plan.integer && !has_binaries;
    for stage in &plan.stages {
        let recomputed = if let StageKind::Priority(level) = stage.kind {
            let mut total = 0.0;
            for (q, req) in scenario.requirements.iter().enumerate() {
                if req.priority != level {
                    continue;
                }
                total += (req.target - covered[q]).max(0.0) / req.target;
                if req.min_members > 1 {
                    let counted = (0..scenario.members.len())
                        .filter(|&m| {
                            units_by_member.get(&(q, m)).copied().unwrap_or(0.0) >= 1.0 - TOLERANCE
                        })
                        .count() as f64;
                    total += (f64::from(req.min_members) - counted).max(0.0)
                        / f64::from(req.min_members);
                }
                if let Some(lead) = req.lead
                    && req.lead_share > 0.0
                {
                    let wanted = req.lead_share * req.target;
                    let given = by_member.get(&(q, lead)).copied().unwrap_or(0.0);
                    total += (wanted - given).max(0.0) / wanted;
                }
            }
            Some(total)
        } else if stage.kind == StageKind::Burden {
            let keys: f64 = scenario.members.iter().filter_map(|m| m.burden_key).sum();
            let burden = match scenario.fairness {
                Some(Fairness::Cost) => &member_cost,
                _ => &member_troops,
            };
            scenario
                .members
                .iter()
                .enumerate()
                .filter_map(|(m, member)| member.burden_key.map(|k| burden[m] * keys / k))
                .fold(None, |acc: Option<f64>, x| {
                    Some(acc.map_or(x, |a| a.max(x)))
                })
                .or(Some(0.0))
        } else {
            match stage.kind {
                StageKind::Cost => Some(member_cost.iter().sum()),
                StageKind::Troops => Some(member_troops.iter().sum()),
                StageKind::Units => Some(total_units),
                StageKind::FloorViolation | StageKind::Priority(_) | StageKind::Burden => None,
            }
        };
        match recomputed {
            None => fail("stage", format!("unknown stage {}", stage.name)),
            Some(value) => {
                // Later stages may trade this one by the hold tolerance.
                let slack = TOLERANCE.max(10.0 * plan.hold_tolerance);
                let agrees = if exact && stage.status == StageStatus::Optimal {
                    // Better than reported is within the solver's optimality tolerance
                    // (a later stage with the same direction, such as cost after a cost
                    // burden, may finish what this stage's simplex left at 1e-6).
                    let scale = value.abs().max(stage.value.abs()).max(1.0);
                    // A hold loosened for round-off (1e-5) may be traded at a rate of
                    // tens of units of cost per unit of shortfall: the better side scales
                    // with the hold actually given.
                    let better = OPTIMALITY.max(1e3 * plan.hold_tolerance);
                    value <= stage.value + slack * scale && value >= stage.value - better * scale
                } else {
                    // With integer columns, a branch and bound's plan may be off whole units
                    // by its integrality tolerance (1e-6 of a unit), which moves a stage
                    // proportional to those units by as much, relative: on top of the holds.
                    let whole = slack + TOLERANCE;
                    value <= stage.value + whole * stage.value.abs().max(1.0)
                        || stage.status == StageStatus::NotSolved
                };
                if !agrees {
                    fail(
                        "stage",
                        format!(
                            "{} reported {}, the plan gives {value}",
                            stage.name, stage.value
                        ),
                    );
                }
            }
        }
    }

    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}
