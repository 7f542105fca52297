//! Coverage with shortfall: a column s(q) for every requirement, the hard floor as its bound
//! (constraint 2) or, with soft floors, a violation column v(q) and a `floor` row; then the
//! coverage rows (constraint 1), in requirement order.

use super::{Build, Linear, named1};

/// The shortfall columns and, with soft floors, the floors' violation columns.
pub(super) struct Shortfall {
    /// s(q), by requirement.
    pub(super) columns: Vec<usize>,
    /// (requirement, v(q)) for each requirement with a floor, with soft floors.
    pub(super) floor_violations: Vec<(usize, usize)>,
}

impl Build<'_> {
    /// s(q) with the hard floor as its bound (constraint 2); soft floors get a violation v(q)
    /// and a row s(q) - v(q) <= target - minimum, right after their s(q).
    pub(super) fn shortfall(&mut self) -> Shortfall {
        let lp = &mut self.lp;
        let ids = &self.ids;
        let options = self.options;
        let mut floor_violations = Vec::new();
        let columns: Vec<usize> = self
            .scenario
            .requirements
            .iter()
            .enumerate()
            .map(|(q, r)| {
                let allowed = r.target - r.minimum;
                if options.soft_floors && r.minimum > 0.0 {
                    let s = lp.add_column(named1("s", ids.requirement.at(q)), 0.0, r.target, false);
                    let v = lp.add_column(
                        named1("floor_violation", ids.requirement.at(q)),
                        0.0,
                        f64::INFINITY,
                        false,
                    );
                    lp.add_row(
                        named1("floor", ids.requirement.at(q)),
                        vec![(s, 1.0), (v, -1.0)],
                        f64::NEG_INFINITY,
                        allowed,
                    );
                    floor_violations.push((q, v));
                    s
                } else {
                    lp.add_column(named1("s", ids.requirement.at(q)), 0.0, allowed, false)
                }
            })
            .collect();
        Shortfall {
            columns,
            floor_violations,
        }
    }

    /// Constraint 1, coverage: sum of a(o, q) x(o, q) + s(q) >= target, for every
    /// requirement.
    pub(super) fn coverage(&mut self, shortfall: &[usize]) {
        for (q, r) in self.scenario.requirements.iter().enumerate() {
            let mut terms: Linear = self.pairs_of_requirement[q]
                .iter()
                .map(|&i| (self.pairs[i].column, self.pairs[i].coefficient))
                .collect();
            terms.push((shortfall[q], 1.0));
            self.lp.add_row(
                named1("coverage", self.ids.requirement.at(q)),
                terms,
                r.target,
                f64::INFINITY,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::testing::row;
    use crate::model::{FormulationOptions, formulate};
    use crate::scenario::tests_support::tiny;

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
