//! Member caps (constraint 4): a member's deployed troops within `max_troops` and deployed
//! cost within `max_cost`, in each phase, counting deployed units, not the rotation pool.
//! In (member, phase) order, the troop row before the cost row.

use super::groups::Groups;
use super::{Build, Linear, PerUnit, named};

impl Build<'_> {
    /// Constraint 4, member troop and cost caps per phase, on deployed units.
    pub(super) fn caps(&mut self, by_member_phase: &Groups) {
        let offers = &self.scenario.offers;
        for ((m, p), group) in by_member_phase.iter() {
            let member = &self.scenario.members[m];
            let caps: [(&'static str, Option<f64>, PerUnit); 2] = [
                ("max_troops", member.max_troops, |o| o.troops_per_unit),
                ("max_cost", member.max_cost, |o| o.cost_per_unit),
            ];
            for (what, cap, per_unit) in caps {
                let Some(cap) = cap else { continue };
                let terms: Linear = group
                    .iter()
                    .map(|&i| (self.pairs[i].column, per_unit(&offers[self.pairs[i].offer])))
                    .filter(|&(_, a)| a > 0.0)
                    .collect();
                if !terms.is_empty() {
                    self.lp.add_row(
                        named(what, self.ids.member.at(m), self.ids.phase.at(p)),
                        terms,
                        f64::NEG_INFINITY,
                        cap,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::testing::{row, second_requirement};
    use crate::model::{FormulationOptions, formulate};
    use crate::scenario::tests_support::tiny;

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
}
