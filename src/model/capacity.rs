//! Offer capacity (constraint 3): the units an offer deploys in a phase, times the rotation
//! in a sustained phase, fit within its pool. A row for each (offer, phase) with two or more
//! pairs, in (offer, phase) order; a single pair is already held by its column's bound.

use super::groups::Groups;
use super::{Build, Linear, named};

impl Build<'_> {
    /// Constraint 3, offer capacity per phase, with rotation in sustained phases. A single
    /// pair is already held by its column bound. With whole units the row is stated divided
    /// by the rotation and rounded down, sum x <= floor(units / rotation): the same
    /// whole-unit plans (x integer), and a relaxation that no longer deploys the fraction
    /// of a unit that a pool of 6 with rotation 4 cannot keep in place, which is most of
    /// what separates the plain relaxation from whole units.
    pub(super) fn capacity(&mut self, by_offer_phase: &Groups) {
        let offers = &self.scenario.offers;
        for ((o, p), group) in by_offer_phase.iter() {
            if group.len() < 2 {
                continue;
            }
            let phase = &self.scenario.phases[p];
            let rotation = if phase.sustained {
                offers[o].rotation
            } else {
                1.0
            };
            let (coefficient, pool) = if self.options.integer {
                (1.0, (offers[o].units / rotation + 1e-9).floor())
            } else {
                (rotation, offers[o].units)
            };
            let terms: Linear = group.iter().map(|&i| (i, coefficient)).collect();
            self.lp.add_row(
                named("capacity", self.ids.offer.at(o), self.ids.phase.at(p)),
                terms,
                f64::NEG_INFINITY,
                pool,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::testing::{row, second_requirement};
    use crate::model::{FormulationOptions, formulate};
    use crate::scenario::tests_support::tiny;

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
}
