//! What every page shares: the charts' width, the row of headline figures, legends.

use maud::{Markup, html};

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
