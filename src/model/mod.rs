//! Scenario -> linear model: eligibility pairs, coverage with shortfall, capacities, caps,
//! shares, soft multinationality and lead, and the lexicographic stages (SPEC "The model").

mod linear;

pub use linear::{Column, Linear, LinearModel, Row, evaluate};

use crate::scenario::{Fairness, Scenario};

/// One eligible (offer, requirement) pair and its column x(o, q).
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    pub offer: usize,
    pub requirement: usize,
    /// a(o, q): the requirement's measure provided by one unit.
    pub coefficient: f64,
    pub column: usize,
}

/// One stage of the lexicographic objective.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    /// `priority-N`, `burden`, `cost`, `troops` or `units`.
    pub name: String,
    pub objective: Linear,
}

/// How to formulate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FormulationOptions {
    /// Whole units only: x(o, q) integer.
    pub integer: bool,
    /// Hard floors become soft, with a violation column each and a first stage
    /// `floor-violation` minimising their sum relative to each floor: the infeasibility
    /// explanation's model.
    pub soft_floors: bool,
}

/// The model of a scenario, with the map back from columns to the domain.
#[derive(Clone, Debug)]
pub struct Formulation {
    pub lp: LinearModel,
    pub stages: Vec<Stage>,
    pub pairs: Vec<Pair>,
    /// s(q), by requirement.
    pub shortfall: Vec<usize>,
    /// With `soft_floors`: (requirement, violation column) for each requirement with a floor.
    pub floor_violations: Vec<(usize, usize)>,
}

/// Builds the model of `scenario` exactly as SPEC "The model" states it.
pub fn formulate(scenario: &Scenario, options: FormulationOptions) -> Formulation {
    let mut lp = LinearModel::default();
    let offers = &scenario.offers;
    let requirements = &scenario.requirements;

    // Variables x(o, q) for eligible pairs, bounded by what the offer holds in that phase.
    let mut pairs = Vec::new();
    for (q, requirement) in requirements.iter().enumerate() {
        let sustained = scenario.phases[requirement.phase].sustained;
        for (o, offer) in offers.iter().enumerate() {
            let Some(coefficient) = scenario.coefficient(offer, requirement) else {
                continue;
            };
            let rotation = if sustained { offer.rotation } else { 1.0 };
            let mut upper = offer.units / rotation;
            if options.integer {
                upper = (upper + 1e-9).floor();
            }
            let column = lp.add_column(
                format!("x[{},{}]", offer.id, requirement.id),
                0.0,
                upper,
                options.integer,
            );
            pairs.push(Pair {
                offer: o,
                requirement: q,
                coefficient,
                column,
            });
        }
    }
    let mut pairs_of_requirement: Vec<Vec<usize>> = vec![Vec::new(); requirements.len()];
    for (i, pair) in pairs.iter().enumerate() {
        pairs_of_requirement[pair.requirement].push(i);
    }

    // s(q) with the hard floor as its bound (constraint 2); soft floors get a violation v(q).
    let mut floor_violations = Vec::new();
    let shortfall: Vec<usize> = requirements
        .iter()
        .enumerate()
        .map(|(q, r)| {
            let allowed = r.target - r.minimum;
            if options.soft_floors && r.minimum > 0.0 {
                let s = lp.add_column(format!("s[{}]", r.id), 0.0, r.target, false);
                let v = lp.add_column(
                    format!("floor_violation[{}]", r.id),
                    0.0,
                    f64::INFINITY,
                    false,
                );
                lp.add_row(
                    format!("floor[{}]", r.id),
                    vec![(s, 1.0), (v, -1.0)],
                    f64::NEG_INFINITY,
                    allowed,
                );
                floor_violations.push((q, v));
                s
            } else {
                lp.add_column(format!("s[{}]", r.id), 0.0, allowed, false)
            }
        })
        .collect();

    // 1. Coverage.
    for (q, r) in requirements.iter().enumerate() {
        let mut terms: Linear = pairs_of_requirement[q]
            .iter()
            .map(|&i| (pairs[i].column, pairs[i].coefficient))
            .collect();
        terms.push((shortfall[q], 1.0));
        lp.add_row(
            format!("coverage[{}]", r.id),
            terms,
            r.target,
            f64::INFINITY,
        );
    }

    // 3. Offer capacity per phase, with rotation in sustained phases. A single pair is
    // already held by its column bound.
    for (o, offer) in offers.iter().enumerate() {
        for (p, phase) in scenario.phases.iter().enumerate() {
            let rotation = if phase.sustained { offer.rotation } else { 1.0 };
            let terms: Linear = pairs
                .iter()
                .filter(|pair| pair.offer == o && requirements[pair.requirement].phase == p)
                .map(|pair| (pair.column, rotation))
                .collect();
            if terms.len() > 1 {
                lp.add_row(
                    format!("capacity[{},{}]", offer.id, phase.id),
                    terms,
                    f64::NEG_INFINITY,
                    offer.units,
                );
            }
        }
    }

    // 4. Member troop and cost caps per phase.
    for (m, member) in scenario.members.iter().enumerate() {
        for (p, phase) in scenario.phases.iter().enumerate() {
            let in_phase = || {
                pairs.iter().filter(move |pair| {
                    offers[pair.offer].member == m && requirements[pair.requirement].phase == p
                })
            };
            let caps = [
                ("troops", member.max_troops, 0),
                ("cost", member.max_cost, 1),
            ];
            for (what, cap, which) in caps {
                let Some(cap) = cap else { continue };
                let terms: Linear = in_phase()
                    .map(|pair| {
                        let offer = &offers[pair.offer];
                        let per_unit = if which == 0 {
                            offer.troops_per_unit
                        } else {
                            offer.cost_per_unit
                        };
                        (pair.column, per_unit)
                    })
                    .filter(|&(_, a)| a > 0.0)
                    .collect();
                if !terms.is_empty() {
                    lp.add_row(
                        format!("max_{what}[{},{}]", member.id, phase.id),
                        terms,
                        f64::NEG_INFINITY,
                        cap,
                    );
                }
            }
        }
    }

    // 5. Share caps.
    for (q, r) in requirements.iter().enumerate() {
        if r.max_share >= 1.0 {
            continue;
        }
        for (m, member) in scenario.members.iter().enumerate() {
            let terms = member_terms(&pairs, &pairs_of_requirement[q], offers, m, true);
            if !terms.is_empty() {
                lp.add_row(
                    format!("max_share[{},{}]", r.id, member.id),
                    terms,
                    f64::NEG_INFINITY,
                    r.max_share * r.target,
                );
            }
        }
    }

    // 6. Soft multinationality: y(m, q) binary, a member counting with one whole unit.
    let mut multinational_slack = vec![None; requirements.len()];
    for (q, r) in requirements.iter().enumerate() {
        if r.min_members <= 1 {
            continue;
        }
        let mut count_terms = Vec::new();
        for (m, member) in scenario.members.iter().enumerate() {
            let terms = member_terms(&pairs, &pairs_of_requirement[q], offers, m, false);
            if terms.is_empty() {
                continue;
            }
            let y = lp.add_column(format!("y[{},{}]", member.id, r.id), 0.0, 1.0, true);
            let mut row = terms;
            row.push((y, -1.0));
            lp.add_row(
                format!("contributes[{},{}]", member.id, r.id),
                row,
                0.0,
                f64::INFINITY,
            );
            count_terms.push((y, 1.0));
        }
        let z = lp.add_column(format!("z[{}]", r.id), 0.0, f64::from(r.min_members), false);
        count_terms.push((z, 1.0));
        lp.add_row(
            format!("min_members[{}]", r.id),
            count_terms,
            f64::from(r.min_members),
            f64::INFINITY,
        );
        multinational_slack[q] = Some(z);
    }

    // 7. Soft lead share.
    let mut lead_slack = vec![None; requirements.len()];
    for (q, r) in requirements.iter().enumerate() {
        let Some(lead) = r.lead else { continue };
        if r.lead_share <= 0.0 {
            continue;
        }
        let wanted = r.lead_share * r.target;
        let l = lp.add_column(format!("l[{}]", r.id), 0.0, wanted, false);
        let mut terms = member_terms(&pairs, &pairs_of_requirement[q], offers, lead, true);
        terms.push((l, 1.0));
        lp.add_row(format!("lead[{}]", r.id), terms, wanted, f64::INFINITY);
        lead_slack[q] = Some(l);
    }

    let mut stages = Vec::new();
    if options.soft_floors {
        let objective = floor_violations
            .iter()
            .map(|&(q, v)| (v, 1.0 / requirements[q].minimum))
            .collect();
        stages.push(Stage {
            name: "floor-violation".into(),
            objective,
        });
    }

    // Stage 1: one per priority level present, highest first.
    for level in scenario.priority_levels() {
        let mut objective = Linear::new();
        for (q, r) in requirements.iter().enumerate() {
            if r.priority != level {
                continue;
            }
            objective.push((shortfall[q], 1.0 / r.target));
            if let Some(z) = multinational_slack[q] {
                objective.push((z, 1.0 / f64::from(r.min_members)));
            }
            if let Some(l) = lead_slack[q] {
                objective.push((l, 1.0 / (r.lead_share * r.target)));
            }
        }
        stages.push(Stage {
            name: format!("priority-{level}"),
            objective,
        });
    }

    // Stage 2: the largest burden ratio B(m) / (key(m) / sum of keys).
    if let Some(fairness) = scenario.fairness {
        let keys: f64 = scenario.members.iter().filter_map(|m| m.burden_key).sum();
        if keys > 0.0 {
            let t = lp.add_column("burden_max".into(), 0.0, f64::INFINITY, false);
            for (m, member) in scenario.members.iter().enumerate() {
                let Some(key) = member.burden_key else {
                    continue;
                };
                let weight = keys / key;
                let mut terms: Linear = pairs
                    .iter()
                    .filter(|pair| offers[pair.offer].member == m)
                    .map(|pair| {
                        let offer = &offers[pair.offer];
                        let per_unit = match fairness {
                            Fairness::Troops => offer.troops_per_unit,
                            Fairness::Cost => offer.cost_per_unit,
                        };
                        (pair.column, -weight * per_unit)
                    })
                    .filter(|&(_, a)| a != 0.0)
                    .collect();
                terms.push((t, 1.0));
                lp.add_row(format!("burden[{}]", member.id), terms, 0.0, f64::INFINITY);
            }
            stages.push(Stage {
                name: "burden".into(),
                objective: vec![(t, 1.0)],
            });
        }
    }

    // Stage 3: total cost; where no offer has a cost, troops; where neither, units.
    let (name, per_unit): (&str, fn(&crate::scenario::Offer) -> f64) =
        if offers.iter().any(|o| o.cost_per_unit > 0.0) {
            ("cost", |o| o.cost_per_unit)
        } else if offers.iter().any(|o| o.troops_per_unit > 0.0) {
            ("troops", |o| o.troops_per_unit)
        } else {
            ("units", |_| 1.0)
        };
    stages.push(Stage {
        name: name.into(),
        objective: pairs
            .iter()
            .map(|pair| (pair.column, per_unit(&offers[pair.offer])))
            .filter(|&(_, a)| a != 0.0)
            .collect(),
    });

    Formulation {
        lp,
        stages,
        pairs,
        shortfall,
        floor_violations,
    }
}

/// The terms of member `m`'s offers among a requirement's pairs: a(o, q) x(o, q) when
/// `weighted`, plain units x(o, q) otherwise.
fn member_terms(
    pairs: &[Pair],
    of_requirement: &[usize],
    offers: &[crate::scenario::Offer],
    m: usize,
    weighted: bool,
) -> Linear {
    of_requirement
        .iter()
        .map(|&i| &pairs[i])
        .filter(|pair| offers[pair.offer].member == m)
        .map(|pair| {
            let a = if weighted { pair.coefficient } else { 1.0 };
            (pair.column, a)
        })
        .collect()
}
