//! The rows on each member's part of a requirement: share caps (constraint 5), soft
//! multinationality with its binaries y(m, q) and slack z(q) (constraint 6), and the soft
//! lead share with its slack l(q) (constraint 7). Each family in requirement order, members
//! ascending within a requirement.

use std::collections::BTreeMap;

use super::{Build, Linear, Pair, named, named1};
use crate::scenario::Offer;

impl Build<'_> {
    /// Constraint 5, share caps: no member provides more than `max_share` of the target.
    pub(super) fn share_caps(&mut self) {
        let offers = &self.scenario.offers;
        for (q, r) in self.scenario.requirements.iter().enumerate() {
            if r.max_share >= 1.0 {
                continue;
            }
            for (m, terms) in by_member(&self.pairs, &self.pairs_of_requirement[q], offers, true) {
                self.lp.add_row(
                    named(
                        "max_share",
                        self.ids.requirement.at(q),
                        self.ids.member.at(m),
                    ),
                    terms,
                    f64::NEG_INFINITY,
                    r.max_share * r.target,
                );
            }
        }
    }

    /// Constraint 6, soft multinationality: y(m, q) binary, a member counting with one
    /// whole unit. Returns z(q), by requirement (where `min_members` > 1).
    pub(super) fn multinationality(&mut self) -> Vec<Option<usize>> {
        let offers = &self.scenario.offers;
        let requirements = &self.scenario.requirements;
        let lp = &mut self.lp;
        let ids = &self.ids;
        let mut multinational_slack = vec![None; requirements.len()];
        for (q, r) in requirements.iter().enumerate() {
            if r.min_members <= 1 {
                continue;
            }
            let mut count_terms = Vec::new();
            for (m, terms) in by_member(&self.pairs, &self.pairs_of_requirement[q], offers, false) {
                // A member whose eligible offers cannot keep one whole unit on the requirement
                // never counts: its binary is fixed at 0 (left free, it would sit at a fraction
                // in every relaxation and be branched on for nothing). It stays in the model so
                // that scaled variants keep the model's shape (see `solve::highs_warm`).
                let most: f64 = terms.iter().map(|&(c, _)| lp.columns[c].upper).sum();
                let upper = if most < 1.0 - 1e-9 { 0.0 } else { 1.0 };
                let y = lp.add_column(
                    named("y", ids.member.at(m), ids.requirement.at(q)),
                    0.0,
                    upper,
                    true,
                );
                let mut row = terms;
                row.push((y, -1.0));
                lp.add_row(
                    named("contributes", ids.member.at(m), ids.requirement.at(q)),
                    row,
                    0.0,
                    f64::INFINITY,
                );
                count_terms.push((y, 1.0));
            }
            let z = lp.add_column(
                named1("z", ids.requirement.at(q)),
                0.0,
                f64::from(r.min_members),
                false,
            );
            count_terms.push((z, 1.0));
            lp.add_row(
                named1("min_members", ids.requirement.at(q)),
                count_terms,
                f64::from(r.min_members),
                f64::INFINITY,
            );
            multinational_slack[q] = Some(z);
        }
        multinational_slack
    }

    /// Constraint 7, soft lead share: the lead's contribution plus l(q) reaches
    /// `lead_share` of the target. Returns l(q), by requirement (where there is a lead with
    /// a positive share).
    pub(super) fn lead(&mut self) -> Vec<Option<usize>> {
        let offers = &self.scenario.offers;
        let requirements = &self.scenario.requirements;
        let mut lead_slack = vec![None; requirements.len()];
        for (q, r) in requirements.iter().enumerate() {
            let Some(lead) = r.lead else { continue };
            if r.lead_share <= 0.0 {
                continue;
            }
            let wanted = r.lead_share * r.target;
            let l = self
                .lp
                .add_column(named1("l", self.ids.requirement.at(q)), 0.0, wanted, false);
            let mut terms = member_terms(
                &self.pairs,
                &self.pairs_of_requirement[q],
                offers,
                lead,
                true,
            );
            terms.push((l, 1.0));
            self.lp.add_row(
                named1("lead", self.ids.requirement.at(q)),
                terms,
                wanted,
                f64::INFINITY,
            );
            lead_slack[q] = Some(l);
        }
        lead_slack
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
    use crate::model::testing::row;
    use crate::model::{FormulationOptions, formulate};
    use crate::scenario::tests_support::tiny;
    use crate::scenario::{Member, Offer};

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
}
