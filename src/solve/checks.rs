//! Whether a solver's plan is sound: no row of the model, held stage or column bound broken
//! by more than round-off. microlp has returned plans that break rows as optimal; the retry
//! ladder refuses them.

use super::backend::row_scale;
use crate::model::{LinearModel, Row, evaluate};

/// How far a solver's plan may break a row or a column bound: 1e-6 of the larger of the
/// bound and the row's largest coefficient (ten times the solvers' own primal tolerance on
/// a row scaled to a largest coefficient of 1).
const BROKEN: f64 = 1e-6;

/// The first row of `lp` or `holds`, or column bound, that `values` break by more than
/// round-off (`BROKEN`), described; `None` for a sound plan.
pub(super) fn broken_row(lp: &LinearModel, holds: &[Row], values: &[f64]) -> Option<String> {
    for (c, column) in lp.columns.iter().enumerate() {
        let v = values[c];
        let (off, bound) = if v < column.lower {
            (column.lower - v, column.lower)
        } else if v > column.upper {
            (v - column.upper, column.upper)
        } else if v.is_nan() {
            (f64::INFINITY, 0.0)
        } else {
            continue;
        };
        if off > BROKEN * bound.abs().max(1.0) {
            return Some(format!(
                "the solver's plan puts column {} at {v}, outside [{}, {}]",
                lp.name(&column.name),
                column.lower,
                column.upper
            ));
        }
    }
    for row in lp.rows.iter().chain(holds) {
        let x = evaluate(&row.terms, values);
        let (off, bound) = if x < row.lower {
            (row.lower - x, row.lower)
        } else if x > row.upper {
            (x - row.upper, row.upper)
        } else {
            continue;
        };
        let allowed = BROKEN * bound.abs().max(row_scale(&row.terms)).max(1.0);
        if off > allowed {
            return Some(format!(
                "the solver's plan breaks row {} by {off:e} (it gives {x}, the bounds are [{}, {}])",
                lp.name(&row.name),
                row.lower,
                row.upper
            ));
        }
    }
    None
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Two columns under one capacity row, `3a + b <= 1` (a in [0, 1], b >= 0): the model
    /// the solver's unit tests share.
    pub(in crate::solve) fn model() -> LinearModel {
        let mut lp = LinearModel::default();
        let a = lp.add_column("a", 0.0, 1.0, false);
        let b = lp.add_column("b", 0.0, f64::INFINITY, false);
        lp.add_row("capacity", vec![(a, 3.0), (b, 1.0)], f64::NEG_INFINITY, 1.0);
        lp
    }

    #[test]
    fn a_plan_that_breaks_a_row_or_bound_past_round_off_is_not_taken() {
        let lp = model();
        assert_eq!(broken_row(&lp, &[], &[0.2, 0.4]), None);
        // Round-off: 1e-9 over the capacity of 1.
        assert_eq!(broken_row(&lp, &[], &[0.2, 0.4 + 1e-9]), None);
        // 6e-5 units over it, as microlp once returned for an optimal plan.
        let broken = broken_row(&lp, &[], &[0.2, 0.40006]).expect("broken");
        assert!(broken.contains("row capacity"), "{broken}");
        // A column past its bound, and a hold broken.
        let broken = broken_row(&lp, &[], &[1.01, 0.0]).expect("broken");
        assert!(broken.contains("column a"), "{broken}");
        let hold = Row {
            name: "hold[cost]".into(),
            terms: vec![(1, 2.0)],
            lower: f64::NEG_INFINITY,
            upper: 0.5,
        };
        assert_eq!(
            broken_row(&lp, std::slice::from_ref(&hold), &[0.0, 0.25]),
            None
        );
        let broken = broken_row(&lp, &[hold], &[0.0, 0.3]).expect("broken");
        assert!(broken.contains("hold[cost]"), "{broken}");
        assert!(broken_row(&lp, &[], &[f64::NAN, 0.0]).is_some());
    }
}
