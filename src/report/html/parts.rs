//! What every page shares: the charts' width, the row of headline figures, legends, and
//! how numbers are shown.

use maud::{Markup, html};

use crate::num::Num;
use crate::report::document::RequirementDoc;
use crate::report::readable;

/// Width of every chart's coordinate system; the SVG scales to the page.
pub(super) const WIDTH: f64 = 900.0;

/// A row of headline figures.
pub(super) fn figures(items: &[(&str, String)]) -> Markup {
    html! {
        dl.figures {
            @for (name, value) in items {
                div { dt { (name) } dd { (value) } }
            }
        }
    }
}

/// A legend entry: a swatch (solid colour or the hatch of a chart, drawn as CSS) and text.
pub(super) fn legend(items: &[(&str, &str)]) -> Markup {
    html! {
        div.legend aria-hidden="true" {
            @for (style, label) in items {
                span { span.key style=(style) {} (label) }
            }
        }
    }
}

/// The CSS of a legend swatch that looks like the shortfall hatch.
pub(super) const HATCH_SWATCH: &str =
    "background: repeating-linear-gradient(45deg, #D55E00 0 2px, #fbe3d3 2px 5px);";

pub(super) fn f(v: &Num) -> Option<f64> {
    v.as_f64()
}

/// Whether a requirement is short by more than solver tolerance.
pub(super) fn is_short(r: &RequirementDoc) -> bool {
    let target = f(&r.target).unwrap_or(0.0).abs().max(1.0);
    f(&r.shortfall).is_some_and(|s| s > 1e-6 * target)
}

/// A whole number with thousands separators: `39,453`.
pub(super) fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if x < -0.5 { format!("-{out}") } else { out }
}

pub(super) fn n(v: &Num) -> String {
    v.as_f64().map_or_else(String::new, readable)
}
