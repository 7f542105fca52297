//! Scenario -> linear model: eligibility pairs, coverage with shortfall, capacities, caps,
//! shares, soft multinationality and lead, and the lexicographic stages (docs/spec.md,
//! "The model").

pub mod export;
mod linear;

pub use linear::{Column, Label, Labels, Linear, LinearModel, Name, Row, evaluate};

use std::collections::BTreeMap;

use crate::scenario::{Fairness, Offer, OfferIndex, Scenario};

/// A per-unit figure of an offer (troops, cost, ...).
type PerUnit = fn(&Offer) -> f64;

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

/// Builds the model of `scenario` exactly as docs/spec.md, "The model", states it.
pub fn formulate(scenario: &Scenario, options: FormulationOptions) -> Formulation {
    let mut lp = LinearModel::default();
    let offers = &scenario.offers;
    let requirements = &scenario.requirements;
    // The ids that names refer to.
    let offer_ids = lp.add_labels(offers.iter().map(|o| o.id.as_str()));
    let requirement_ids = lp.add_labels(requirements.iter().map(|r| r.id.as_str()));
    let member_ids = lp.add_labels(scenario.members.iter().map(|m| m.id.as_str()));
    let phase_ids = lp.add_labels(scenario.phases.iter().map(|p| p.id.as_str()));
    let named =
        |kind: &'static str, first: Label, second: Label| Name::Labelled(kind, first, Some(second));
    let named1 = |kind: &'static str, first: Label| Name::Labelled(kind, first, None);

    // Variables x(o, q) for eligible pairs, bounded by what the offer holds in that phase.
    let mut pairs = Vec::new();
    let index = OfferIndex::new(scenario);
    for (q, requirement) in requirements.iter().enumerate() {
        let sustained = scenario.phases[requirement.phase].sustained;
        for (o, coefficient) in index.eligible(scenario, requirement) {
            let offer = &offers[o];
            let rotation = if sustained { offer.rotation } else { 1.0 };
            let mut upper = offer.units / rotation;
            if options.integer {
                upper = (upper + 1e-9).floor();
            }
            let column = lp.add_column(
                named("x", offer_ids.at(o), requirement_ids.at(q)),
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
    // The pairs' columns come first, in pair order: pair i is column i, which the rows
    // below use instead of looking the pair up.
    debug_assert!(pairs.iter().enumerate().all(|(i, pair)| pair.column == i));
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
                let s = lp.add_column(named1("s", requirement_ids.at(q)), 0.0, r.target, false);
                let v = lp.add_column(
                    named1("floor_violation", requirement_ids.at(q)),
                    0.0,
                    f64::INFINITY,
                    false,
                );
                lp.add_row(
                    named1("floor", requirement_ids.at(q)),
                    vec![(s, 1.0), (v, -1.0)],
                    f64::NEG_INFINITY,
                    allowed,
                );
                floor_violations.push((q, v));
                s
            } else {
                lp.add_column(named1("s", requirement_ids.at(q)), 0.0, allowed, false)
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
            named1("coverage", requirement_ids.at(q)),
            terms,
            r.target,
            f64::INFINITY,
        );
    }

    // Pairs grouped by (offer, phase) and (member, phase), in index order, so that the
    // rows below are built in one pass each.
    let phases = scenario.phases.len();
    let by_offer_phase = Groups::new(
        pairs
            .iter()
            .map(|pair| (pair.offer, requirements[pair.requirement].phase)),
        offers.len(),
        phases,
    );
    let by_member_phase = Groups::new(
        pairs.iter().map(|pair| {
            (
                offers[pair.offer].member,
                requirements[pair.requirement].phase,
            )
        }),
        scenario.members.len(),
        phases,
    );

    // 3. Offer capacity per phase, with rotation in sustained phases. A single pair is
    // already held by its column bound. With whole units the row is stated divided by the
    // rotation and rounded down, sum x <= floor(units / rotation): the same whole-unit plans
    // (x integer), and a relaxation that no longer deploys the fraction of a unit that a
    // pool of 6 with rotation 4 cannot keep in place, which is most of what separates the
    // plain relaxation from whole units.
    for ((o, p), group) in by_offer_phase.iter() {
        if group.len() < 2 {
            continue;
        }
        let phase = &scenario.phases[p];
        let rotation = if phase.sustained {
            offers[o].rotation
        } else {
            1.0
        };
        let (coefficient, pool) = if options.integer {
            (1.0, (offers[o].units / rotation + 1e-9).floor())
        } else {
            (rotation, offers[o].units)
        };
        let terms: Linear = group.iter().map(|&i| (i, coefficient)).collect();
        lp.add_row(
            named("capacity", offer_ids.at(o), phase_ids.at(p)),
            terms,
            f64::NEG_INFINITY,
            pool,
        );
    }

    // 4. Member troop and cost caps per phase, on deployed units.
    for ((m, p), group) in by_member_phase.iter() {
        let member = &scenario.members[m];
        let caps: [(&'static str, Option<f64>, PerUnit); 2] = [
            ("max_troops", member.max_troops, |o| o.troops_per_unit),
            ("max_cost", member.max_cost, |o| o.cost_per_unit),
        ];
        for (what, cap, per_unit) in caps {
            let Some(cap) = cap else { continue };
            let terms: Linear = group
                .iter()
                .map(|&i| (pairs[i].column, per_unit(&offers[pairs[i].offer])))
                .filter(|&(_, a)| a > 0.0)
                .collect();
            if !terms.is_empty() {
                lp.add_row(
                    named(what, member_ids.at(m), phase_ids.at(p)),
                    terms,
                    f64::NEG_INFINITY,
                    cap,
                );
            }
        }
    }

    // 5. Share caps.
    for (q, r) in requirements.iter().enumerate() {
        if r.max_share >= 1.0 {
            continue;
        }
        for (m, terms) in by_member(&pairs, &pairs_of_requirement[q], offers, true) {
            lp.add_row(
                named("max_share", requirement_ids.at(q), member_ids.at(m)),
                terms,
                f64::NEG_INFINITY,
                r.max_share * r.target,
            );
        }
    }

    // 6. Soft multinationality: y(m, q) binary, a member counting with one whole unit.
    let mut multinational_slack = vec![None; requirements.len()];
    for (q, r) in requirements.iter().enumerate() {
        if r.min_members <= 1 {
            continue;
        }
        let mut count_terms = Vec::new();
        for (m, terms) in by_member(&pairs, &pairs_of_requirement[q], offers, false) {
            // A member whose eligible offers cannot keep one whole unit on the requirement
            // never counts: its binary is fixed at 0 (left free, it would sit at a fraction
            // in every relaxation and be branched on for nothing). It stays in the model so
            // that scaled variants keep the model's shape (see `solve::highs_warm`).
            let most: f64 = terms.iter().map(|&(c, _)| lp.columns[c].upper).sum();
            let upper = if most < 1.0 - 1e-9 { 0.0 } else { 1.0 };
            let y = lp.add_column(
                named("y", member_ids.at(m), requirement_ids.at(q)),
                0.0,
                upper,
                true,
            );
            let mut row = terms;
            row.push((y, -1.0));
            lp.add_row(
                named("contributes", member_ids.at(m), requirement_ids.at(q)),
                row,
                0.0,
                f64::INFINITY,
            );
            count_terms.push((y, 1.0));
        }
        let z = lp.add_column(
            named1("z", requirement_ids.at(q)),
            0.0,
            f64::from(r.min_members),
            false,
        );
        count_terms.push((z, 1.0));
        lp.add_row(
            named1("min_members", requirement_ids.at(q)),
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
        let l = lp.add_column(named1("l", requirement_ids.at(q)), 0.0, wanted, false);
        let mut terms = member_terms(&pairs, &pairs_of_requirement[q], offers, lead, true);
        terms.push((l, 1.0));
        lp.add_row(
            named1("lead", requirement_ids.at(q)),
            terms,
            wanted,
            f64::INFINITY,
        );
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
            let t = lp.add_column("burden_max", 0.0, f64::INFINITY, false);
            let rows: Vec<(usize, Linear)> = scenario
                .members
                .iter()
                .enumerate()
                .filter_map(|(m, member)| member.burden_key.map(|key| (m, keys / key)))
                .map(|(m, weight)| {
                    let terms = by_member_phase
                        .of_first(m)
                        .map(|i| &pairs[i])
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
                    (m, terms)
                })
                .collect();
            let scale = burden_scale(rows.iter().map(|(_, terms)| terms.as_slice()));
            for (m, mut terms) in rows {
                terms.push((t, scale));
                lp.add_row(
                    named1("burden", member_ids.at(m)),
                    terms,
                    0.0,
                    f64::INFINITY,
                );
            }
            stages.push(Stage {
                name: "burden".into(),
                objective: vec![(t, scale)],
            });
        }
    }

    // Stage 3: total cost; where no offer has a cost, troops; where neither, units.
    let (name, per_unit): (&str, PerUnit) = if offers.iter().any(|o| o.cost_per_unit > 0.0) {
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

/// The unit of the burden column: it holds t / S, S the geometric mean of the burden rows'
/// largest coefficients (K / k(m) times the member's largest b(o)), rounded to a power of
/// two. With t itself as the column, its coefficient of 1 sat beside weights of up to
/// millions: scaled to a largest coefficient of 1, the row of a small-key member gave t
/// 1e-7, and microlp's simplex broke down on singular bases (a generated 200x30x500
/// scenario failed after three minutes; scaled, it solves in under one). S puts the column
/// in the middle of the rows' range.
fn burden_scale<'a>(rows: impl Iterator<Item = &'a [(usize, f64)]>) -> f64 {
    let (sum, count) = rows
        .filter_map(|terms| {
            let largest = terms.iter().fold(0.0f64, |m, &(_, a)| m.max(a.abs()));
            (largest > 0.0).then(|| largest.ln())
        })
        .fold((0.0, 0usize), |(sum, count), ln| (sum + ln, count + 1));
    if count == 0 {
        return 1.0;
    }
    // A power of two, so that scaling rounds nothing.
    let exponent = (sum / count as f64 / std::f64::consts::LN_2).round();
    2f64.powi(exponent.clamp(-60.0, 60.0) as i32)
}

/// Indices grouped by a (usize, usize) key, keys ascending and indices ascending within a
/// group: one counting sort of a flat vector (linear time) instead of a map of small vectors.
struct Groups {
    /// Indices, ordered by (key, index).
    order: Vec<usize>,
    /// Each key and its range in `order`.
    groups: Vec<((usize, usize), std::ops::Range<usize>)>,
}

impl Groups {
    /// Groups the indices of `keys`, whose first parts are below `first` and second parts
    /// below `second`.
    fn new(keys: impl Iterator<Item = (usize, usize)>, first: usize, second: usize) -> Groups {
        let flat: Vec<usize> = keys.map(|(a, b)| a * second + b).collect();
        // Where each key's run starts in `order`: counts, then their running sums.
        let mut starts = vec![0usize; first * second + 1];
        for &k in &flat {
            starts[k + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut groups = Vec::new();
        for k in 0..first * second {
            if starts[k] < starts[k + 1] {
                groups.push(((k / second, k % second), starts[k]..starts[k + 1]));
            }
        }
        let mut order = vec![0; flat.len()];
        for (i, &k) in flat.iter().enumerate() {
            order[starts[k]] = i;
            starts[k] += 1;
        }
        Groups { order, groups }
    }

    fn iter(&self) -> impl Iterator<Item = ((usize, usize), &[usize])> {
        self.groups
            .iter()
            .map(|(key, range)| (*key, &self.order[range.clone()]))
    }

    /// The indices of every group whose key starts with `first`, in order.
    fn of_first(&self, first: usize) -> impl Iterator<Item = usize> + '_ {
        let start = self.groups.partition_point(|(key, _)| key.0 < first);
        let end = self.groups.partition_point(|(key, _)| key.0 <= first);
        let from = self.groups.get(start).map_or(0, |g| g.1.start);
        let to = if end > start {
            self.groups[end - 1].1.end
        } else {
            from
        };
        self.order[from..to].iter().copied()
    }
}

/// The terms of each member's offers among a requirement's pairs, by member index (members
/// without an eligible offer left out): a(o, q) x(o, q) when `weighted`, plain units
/// x(o, q) otherwise. One pass over the pairs, not one per member.
fn by_member(
    pairs: &[Pair],
    of_requirement: &[usize],
    offers: &[Offer],
    weighted: bool,
) -> BTreeMap<usize, Linear> {
    let mut grouped: BTreeMap<usize, Linear> = BTreeMap::new();
    for pair in of_requirement.iter().map(|&i| &pairs[i]) {
        let a = if weighted { pair.coefficient } else { 1.0 };
        grouped
            .entry(offers[pair.offer].member)
            .or_default()
            .push((pair.column, a));
    }
    grouped
}

/// The terms of member `m`'s offers among a requirement's pairs: a(o, q) x(o, q) when
/// `weighted`, plain units x(o, q) otherwise.
fn member_terms(
    pairs: &[Pair],
    of_requirement: &[usize],
    offers: &[Offer],
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests_support::tiny;
    use crate::scenario::{Member, Offer, Requirement};

    fn row<'a>(f: &'a Formulation, name: &str) -> &'a Row {
        f.lp.rows
            .iter()
            .find(|r| f.lp.name(&r.name) == name)
            .unwrap_or_else(|| panic!("no row {name}"))
    }

    fn second_requirement(s: &mut crate::scenario::Scenario, phase: usize) {
        let mut r: Requirement = s.requirements[0].clone();
        r.id = "land-2".into();
        r.phase = phase;
        s.requirements.push(r);
    }

    #[test]
    fn coverage_row_has_coefficients_and_the_shortfall() {
        let mut s = tiny();
        s.requirements[0].measure = crate::scenario::Measure::Troops;
        let f = formulate(&s, FormulationOptions::default());
        let coverage = row(&f, "coverage[land-1]");
        assert_eq!(coverage.lower, 4.0);
        assert_eq!(
            coverage.terms,
            vec![(f.pairs[0].column, 600.0), (f.shortfall[0], 1.0)]
        );
        // The floor bounds the shortfall: s <= target - minimum.
        assert_eq!(f.lp.columns[f.shortfall[0]].upper, 4.0);
    }

    #[test]
    fn capacity_applies_rotation_only_in_sustained_phases() {
        let mut s = tiny();
        s.offers[0].rotation = 3.0;
        second_requirement(&mut s, 0);
        let f = formulate(&s, FormulationOptions::default());
        let surge = row(&f, "capacity[AAA/mech_inf_bn/1,surge]");
        assert!(surge.terms.iter().all(|&(_, a)| a == 1.0));
        assert_eq!(surge.upper, 6.0);

        let mut s = tiny();
        s.offers[0].rotation = 3.0;
        s.requirements[0].phase = 1;
        second_requirement(&mut s, 1);
        let f = formulate(&s, FormulationOptions::default());
        let hold = row(&f, "capacity[AAA/mech_inf_bn/1,hold]");
        assert!(hold.terms.iter().all(|&(_, a)| a == 3.0));
        // A single pair is bounded by its column: units / rotation.
        assert_eq!(f.lp.columns[f.pairs[0].column].upper, 2.0);
    }

    #[test]
    fn member_caps_are_per_phase_on_deployed_units() {
        let mut s = tiny();
        s.members[0].max_troops = Some(1000.0);
        s.members[0].max_cost = Some(25.0);
        second_requirement(&mut s, 1);
        let f = formulate(&s, FormulationOptions::default());
        assert_eq!(row(&f, "max_troops[AAA,surge]").terms.len(), 1);
        assert_eq!(row(&f, "max_troops[AAA,surge]").upper, 1000.0);
        assert_eq!(row(&f, "max_troops[AAA,hold]").terms[0].1, 600.0);
        assert_eq!(row(&f, "max_cost[AAA,hold]").upper, 25.0);
    }

    #[test]
    fn share_caps_multinationality_and_lead_add_their_rows_and_slacks() {
        let mut s = tiny();
        s.members.push(Member {
            id: "BBB".into(),
            name: "Bravo".into(),
            ..s.members[0].clone()
        });
        s.offers.push(Offer {
            id: "BBB/mech_inf_bn/1".into(),
            member: 1,
            ..s.offers[0].clone()
        });
        let r = &mut s.requirements[0];
        r.max_share = 0.5;
        r.min_members = 2;
        r.lead = Some(0);
        r.lead_share = 0.25;
        let f = formulate(&s, FormulationOptions::default());
        assert_eq!(row(&f, "max_share[land-1,AAA]").upper, 2.0);
        assert_eq!(row(&f, "max_share[land-1,BBB]").upper, 2.0);
        assert_eq!(row(&f, "min_members[land-1]").lower, 2.0);
        let y =
            f.lp.columns
                .iter()
                .filter(|c| f.lp.name(&c.name).starts_with("y["))
                .count();
        assert_eq!(y, 2);
        assert!(f.lp.has_integers());
        assert_eq!(row(&f, "lead[land-1]").lower, 1.0);
        // Stage 1 weighs s / target + z / min_members + l / (lead_share target).
        let stage = &f.stages[0];
        assert_eq!(stage.name, "priority-1");
        let weights: Vec<f64> = stage.objective.iter().map(|&(_, w)| w).collect();
        assert_eq!(weights, vec![0.25, 0.5, 1.0]);
    }

    #[test]
    fn stages_follow_priorities_then_burden_then_cost() {
        let mut s = tiny();
        second_requirement(&mut s, 0);
        s.requirements[1].priority = 4;
        s.fairness = Some(crate::scenario::Fairness::Troops);
        let names: Vec<String> = formulate(&s, FormulationOptions::default())
            .stages
            .into_iter()
            .map(|st| st.name)
            .collect();
        assert_eq!(names, ["priority-1", "priority-4", "burden", "cost"]);
        s.offers[0].cost_per_unit = 0.0;
        let last = formulate(&s, FormulationOptions::default())
            .stages
            .pop()
            .unwrap();
        assert_eq!(last.name, "troops");
        s.offers[0].troops_per_unit = 0.0;
        let last = formulate(&s, FormulationOptions::default())
            .stages
            .pop()
            .unwrap();
        assert_eq!(last.name, "units");
    }

    #[test]
    fn groups_keep_keys_ascending_and_indices_in_order() {
        let keys = [(1, 0), (0, 2), (1, 0), (0, 0), (2, 1), (0, 2)];
        let g = Groups::new(keys.into_iter(), 3, 3);
        let groups: Vec<((usize, usize), Vec<usize>)> =
            g.iter().map(|(k, ix)| (k, ix.to_vec())).collect();
        assert_eq!(
            groups,
            [
                ((0, 0), vec![3]),
                ((0, 2), vec![1, 5]),
                ((1, 0), vec![0, 2]),
                ((2, 1), vec![4])
            ]
        );
        assert_eq!(g.of_first(0).collect::<Vec<_>>(), [3, 1, 5]);
        assert_eq!(g.of_first(1).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(g.of_first(2).collect::<Vec<_>>(), [4]);
    }

    #[test]
    fn the_burden_column_is_scaled_to_the_middle_of_its_rows() {
        // Largest coefficients 4 and 1024: geometric mean 64, a power of two.
        let rows: [&[(usize, f64)]; 3] = [&[(0, -4.0), (1, -2.0)], &[(2, -1024.0)], &[]];
        assert_eq!(burden_scale(rows.into_iter()), 64.0);
        // 3 and 100: geometric mean 17.3, rounded to the nearest power of two.
        let rows: [&[(usize, f64)]; 2] = [&[(0, -3.0)], &[(1, 100.0)]];
        assert_eq!(burden_scale(rows.into_iter()), 16.0);
        assert_eq!(burden_scale(std::iter::empty()), 1.0);

        // In the model: every burden row and the stage give the column the same scale,
        // so the stage's value is S times the column, the largest burden ratio itself.
        let mut s = tiny();
        s.fairness = Some(crate::scenario::Fairness::Troops);
        s.members[0].burden_key = Some(10.0);
        let f = formulate(&s, FormulationOptions::default());
        let burden = row(&f, "burden[AAA]");
        let (t, scale) = *burden.terms.last().unwrap();
        assert_eq!(f.lp.name(&f.lp.columns[t].name), "burden_max");
        // One member holds every key: weight 1, troops 600 a unit, so S = 512.
        assert_eq!(scale, 512.0);
        let stage = f.stages.iter().find(|st| st.name == "burden").unwrap();
        assert_eq!(stage.objective, vec![(t, scale)]);
    }

    #[test]
    fn soft_floors_add_a_violation_stage_first() {
        let mut s = tiny();
        s.requirements[0].minimum = 3.0;
        let f = formulate(
            &s,
            FormulationOptions {
                integer: false,
                soft_floors: true,
            },
        );
        assert_eq!(f.stages[0].name, "floor-violation");
        assert_eq!(f.floor_violations.len(), 1);
        assert_eq!(row(&f, "floor[land-1]").upper, 1.0);
    }
}
