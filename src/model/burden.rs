//! The burden (constraint 8, with `fairness`): the column `burden_max` and a row for every
//! member with a key, t >= B(m) K / k(m), B(m) the member's troops or cost over all phases;
//! the stage minimises t. The last column and rows of the model. The column is scaled, see
//! [`burden_scale`].

use super::groups::Groups;
use super::{Build, Linear, Stage, StageKind, named1};
use crate::scenario::Fairness;

impl Build<'_> {
    /// Stage 2: the largest burden ratio B(m) / (key(m) / sum of keys), with its column and
    /// rows, where `fairness` is set and some member has a key.
    pub(super) fn burden(&mut self, by_member_phase: &Groups) -> Option<Stage> {
        let scenario = self.scenario;
        let offers = &scenario.offers;
        let fairness = scenario.fairness?;
        let keys: f64 = scenario.members.iter().filter_map(|m| m.burden_key).sum();
        if keys.is_nan() || keys <= 0.0 {
            return None;
        }
        let t = self.lp.add_column("burden_max", 0.0, f64::INFINITY, false);
        let rows: Vec<(usize, Linear)> = scenario
            .members
            .iter()
            .enumerate()
            .filter_map(|(m, member)| member.burden_key.map(|key| (m, keys / key)))
            .map(|(m, weight)| {
                let terms = by_member_phase
                    .of_first(m)
                    .map(|i| &self.pairs[i])
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
            self.lp.add_row(
                named1("burden", self.ids.member.at(m)),
                terms,
                0.0,
                f64::INFINITY,
            );
        }
        Some(Stage::new(StageKind::Burden, vec![(t, scale)]))
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

#[cfg(test)]
mod tests {
    use super::burden_scale;
    use crate::model::testing::row;
    use crate::model::{FormulationOptions, formulate};
    use crate::scenario::tests_support::tiny;

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
}
