//! Removing solver round-off from a plan: values within 1e-6 of a whole number are snapped
//! to it, except where that would break a row of the model or make a held stage worse than
//! its hold allows.

use crate::model::{LinearModel, Row, evaluate};

/// How much worse than its hold snapping may make a held stage, relative (see `snap_within`).
const SNAP_STAGE: f64 = 5e-7;

/// Values within 1e-6 of a whole number are solver round-off of that number: units and
/// binaries are counts, and the simplex tolerance is about that size.
fn snap(values: &mut [f64]) {
    for v in values.iter_mut() {
        let nearest = v.round();
        if (*v - nearest).abs() <= 1e-6 {
            *v = if nearest == 0.0 { 0.0 } else { nearest };
        }
    }
}

/// Snaps `snapped` (a copy of `raw`) to whole numbers where that breaks no row of `lp` and
/// makes no held stage (`holds`) worse than its hold. A snap may move a value by 1e-6,
/// which times a large coefficient (500 troops a unit) is more than the hold of an earlier
/// stage: a later stage that used the hold to keep 5e-7 of a unit somewhere would see it
/// snapped away and its requirement short, or its own stage worse than reported. The
/// columns of a row that snapping made worse keep their solver values.
pub(super) fn snap_within(lp: &LinearModel, holds: &[Row], raw: &[f64], snapped: &mut [f64]) {
    snap(snapped);
    let violation = |row: &Row, values: &[f64]| {
        let x = evaluate(&row.terms, values);
        (row.lower - x).max(x - row.upper).max(0.0)
    };
    // Each pass restores at least one column, so this ends.
    loop {
        let mut restored = false;
        // A model row may not get worse. A held stage may, by the round-off snapping
        // removes, but by at most half of what the plan checker allows a stage over its
        // reported value (1e-6): a later stage that turned its hold into 1e-6 of a unit
        // somewhere keeps it.
        let model = lp.rows.iter().map(|row| (row, 1e-9));
        for (row, allowed) in model.chain(holds.iter().map(|row| (row, SNAP_STAGE))) {
            let before = violation(row, raw);
            let after = violation(row, snapped);
            let scale = [row.lower, row.upper]
                .into_iter()
                .filter(|b| b.is_finite())
                .fold(1.0, |m: f64, b| m.max(b.abs()));
            if after > before + allowed * scale {
                for &(c, _) in &row.terms {
                    if snapped[c] != raw[c] {
                        snapped[c] = raw[c];
                        restored = true;
                    }
                }
            }
        }
        if !restored {
            break;
        }
    }
}
