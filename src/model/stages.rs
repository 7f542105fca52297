//! The lexicographic objective: with soft floors, `floor-violation` first; then one stage
//! per priority level present, highest first; with `fairness`, `burden` (whose column and
//! rows come last in the model, see `burden.rs`); last `cost`, or `troops` or `units` where
//! no offer has a cost.

use super::coverage::Shortfall;
use super::groups::Groups;
use super::{Build, Linear, PerUnit, Stage, StageKind};

impl Build<'_> {
    /// The stages, in the order they are solved. `multinational` and `lead` hold z(q) and
    /// l(q) by requirement, where they exist.
    pub(super) fn stages(
        &mut self,
        shortfall: &Shortfall,
        multinational: &[Option<usize>],
        lead: &[Option<usize>],
        by_member_phase: &Groups,
    ) -> Vec<Stage> {
        // A copy of the reference, so that the burden can add to the model below.
        let scenario = self.scenario;
        let requirements = &scenario.requirements;
        let offers = &scenario.offers;
        let mut stages = Vec::new();
        if self.options.soft_floors {
            let objective = shortfall
                .floor_violations
                .iter()
                .map(|&(q, v)| (v, 1.0 / requirements[q].minimum))
                .collect();
            stages.push(Stage::new(StageKind::FloorViolation, objective));
        }

        // Stage 1: one per priority level present, highest first.
        for level in scenario.priority_levels() {
            let mut objective = Linear::new();
            for (q, r) in requirements.iter().enumerate() {
                if r.priority != level {
                    continue;
                }
                objective.push((shortfall.columns[q], 1.0 / r.target));
                if let Some(z) = multinational[q] {
                    objective.push((z, 1.0 / f64::from(r.min_members)));
                }
                if let Some(l) = lead[q] {
                    objective.push((l, 1.0 / (r.lead_share * r.target)));
                }
            }
            stages.push(Stage::new(StageKind::Priority(level), objective));
        }

        // Stage 2: the largest burden ratio B(m) / (key(m) / sum of keys).
        if let Some(burden) = self.burden(by_member_phase) {
            stages.push(burden);
        }

        // Stage 3: total cost; where no offer has a cost, troops; where neither, units.
        let (kind, per_unit): (StageKind, PerUnit) = if offers.iter().any(|o| o.cost_per_unit > 0.0)
        {
            (StageKind::Cost, |o| o.cost_per_unit)
        } else if offers.iter().any(|o| o.troops_per_unit > 0.0) {
            (StageKind::Troops, |o| o.troops_per_unit)
        } else {
            (StageKind::Units, |_| 1.0)
        };
        stages.push(Stage::new(
            kind,
            self.pairs
                .iter()
                .map(|pair| (pair.column, per_unit(&offers[pair.offer])))
                .filter(|&(_, a)| a != 0.0)
                .collect(),
        ));
        stages
    }
}

#[cfg(test)]
mod tests {
    use crate::model::testing::second_requirement;
    use crate::model::{FormulationOptions, formulate};
    use crate::scenario::tests_support::tiny;

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
}
