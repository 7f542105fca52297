//! Coverage, shortfall and burden figures of a plan (docs/spec.md, "Results").

use crate::scenario::{Fairness, Scenario};

use super::Plan;

#[derive(Clone, Debug, PartialEq)]
pub struct RequirementFigures {
    /// sum over offers of a(o, q) x(o, q).
    pub covered: f64,
    /// target - covered; 0 when met (within [`MET_TOLERANCE`]).
    pub shortfall: f64,
    /// covered / target; 1 when met (within [`MET_TOLERANCE`]).
    pub coverage: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MemberFigures {
    /// Summed over all phases.
    pub troops: f64,
    pub cost: f64,
    pub units: f64,
    /// The member's share of the coalition's burden (troops, or cost with
    /// `fairness = "cost"`), where any burden is deployed.
    pub burden_share: Option<f64>,
    /// key / sum of keys, where a key is set.
    pub key_share: Option<f64>,
    /// burden share / key share: 1 is a fair share, 2 twice it.
    pub burden_ratio: Option<f64>,
}

/// Plain means of requirement coverage over groups; a group with no requirement is absent.
#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    pub overall: f64,
    /// By domain index.
    pub by_domain: Vec<Option<f64>>,
    /// By phase index.
    pub by_phase: Vec<Option<f64>>,
    /// By domain, then phase.
    pub by_domain_phase: Vec<Vec<Option<f64>>>,
    /// (level, coverage), levels present only, highest first.
    pub by_priority: Vec<(u8, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub requirements: Vec<RequirementFigures>,
    pub members: Vec<MemberFigures>,
    pub coverage: Coverage,
    /// Amount provided of each assignment, a(o, q) x(o, q), in plan order.
    pub amounts: Vec<f64>,
    pub total_troops: f64,
    pub total_cost: f64,
}

/// A requirement covered to within this share of its target (of 1, for targets below 1)
/// is met: coverage 1 and shortfall 0 wherever they are reported, so that solver noise
/// (a plan 1e-9 short) is never shown as a gap.
pub const MET_TOLERANCE: f64 = 1e-6;

/// Whether `covered` meets `target` within [`MET_TOLERANCE`].
pub fn is_met(covered: f64, target: f64) -> bool {
    target - covered <= MET_TOLERANCE * target.max(1.0)
}

/// Derives every figure from the plan's assignments.
pub fn figures(scenario: &Scenario, plan: &Plan) -> Figures {
    let mut covered = vec![0.0; scenario.requirements.len()];
    let mut amounts = Vec::with_capacity(plan.assignments.len());
    let mut members: Vec<MemberFigures> = scenario
        .members
        .iter()
        .map(|_| MemberFigures {
            troops: 0.0,
            cost: 0.0,
            units: 0.0,
            burden_share: None,
            key_share: None,
            burden_ratio: None,
        })
        .collect();
    for a in &plan.assignments {
        let offer = &scenario.offers[a.offer];
        let requirement = &scenario.requirements[a.requirement];
        let amount = scenario.coefficient(offer, requirement).unwrap_or(0.0) * a.units;
        amounts.push(amount);
        covered[a.requirement] += amount;
        let member = &mut members[offer.member];
        member.troops += offer.troops_per_unit * a.units;
        member.cost += offer.cost_per_unit * a.units;
        member.units += a.units;
    }
    let requirements: Vec<RequirementFigures> = scenario
        .requirements
        .iter()
        .zip(&covered)
        .map(|(r, &covered)| {
            let met = is_met(covered, r.target);
            RequirementFigures {
                covered,
                shortfall: if met { 0.0 } else { r.target - covered },
                coverage: if met { 1.0 } else { covered / r.target },
            }
        })
        .collect();

    let total_troops: f64 = members.iter().map(|m| m.troops).sum();
    let total_cost: f64 = members.iter().map(|m| m.cost).sum();
    let keys: f64 = scenario.members.iter().filter_map(|m| m.burden_key).sum();
    let (total_burden, burden_of): (f64, fn(&MemberFigures) -> f64) = match scenario.fairness {
        Some(Fairness::Cost) => (total_cost, |m| m.cost),
        _ => (total_troops, |m| m.troops),
    };
    for (figures, member) in members.iter_mut().zip(&scenario.members) {
        if total_burden > 0.0 {
            figures.burden_share = Some(burden_of(figures) / total_burden);
        }
        if let Some(key) = member.burden_key {
            figures.key_share = Some(key / keys);
            figures.burden_ratio = figures.burden_share.map(|share| share / (key / keys));
        }
    }

    let coverage = coverage(scenario, &requirements);
    Figures {
        requirements,
        members,
        coverage,
        amounts,
        total_troops,
        total_cost,
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn coverage(scenario: &Scenario, requirements: &[RequirementFigures]) -> Coverage {
    let of = |keep: &dyn Fn(usize) -> bool| {
        mean(
            requirements
                .iter()
                .enumerate()
                .filter(|(q, _)| keep(*q))
                .map(|(_, f)| f.coverage),
        )
    };
    let reqs = &scenario.requirements;
    Coverage {
        overall: of(&|_| true).unwrap_or(1.0),
        by_domain: (0..scenario.domains.len())
            .map(|d| of(&|q| reqs[q].domain == d))
            .collect(),
        by_phase: (0..scenario.phases.len())
            .map(|p| of(&|q| reqs[q].phase == p))
            .collect(),
        by_domain_phase: (0..scenario.domains.len())
            .map(|d| {
                (0..scenario.phases.len())
                    .map(|p| of(&|q| reqs[q].domain == d && reqs[q].phase == p))
                    .collect()
            })
            .collect(),
        by_priority: scenario
            .priority_levels()
            .into_iter()
            .filter_map(|level| of(&|q| reqs[q].priority == level).map(|c| (level, c)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_met;

    #[test]
    fn within_a_millionth_of_the_target_is_met() {
        assert!(is_met(2000.0, 2000.001));
        assert!(!is_met(2000.0, 2000.01));
        assert!(is_met(0.5 - 1e-7, 0.5), "absolute below a target of 1");
        assert!(!is_met(0.5 - 1e-5, 0.5));
        assert!(is_met(3.0, 2.0));
    }
}
