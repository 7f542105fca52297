//! The sweep page: the distribution of coverage over the variants, overall and per domain,
//! and coverage against each axis value; the worst variants and those without a plan.

use maud::{Markup, html};

use super::parts::{WIDTH, figures, legend};
use super::svg::{GRID, INK, MUTED, SERIES, c, clip, fits, pct, text_width, x_grid};
use crate::analysis::rows::Record;
use crate::analysis::sweep::{RowOutcome, Sweep};

/// Variants listed in the worst-variants table.
const WORST: usize = 10;

/// One variant's row, as the report reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantView {
    pub variant: String,
    /// The label of each axis's value, in axis order.
    pub values: Vec<String>,
    pub dropped: String,
    pub status: String,
    pub coverage: Option<f64>,
    /// By the base scenario's domains.
    pub by_domain: Vec<Option<f64>>,
    pub error: String,
}

/// A sweep's rows ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepView {
    pub scenario: String,
    /// The sweep file as the user named it.
    pub file: String,
    /// Where the rows came from: solved now, or read from a file.
    pub source: String,
    pub fingerprint: String,
    pub total_variants: usize,
    /// (axis name, value labels in the sweep's order).
    pub axes: Vec<(String, Vec<String>)>,
    pub domains: Vec<String>,
    pub monte_carlo: Option<u32>,
    pub rows: Vec<VariantView>,
}

/// The view of `records` (rows with the columns of `header`, as `forcegen sweep` writes
/// them) of `sweep`.
pub fn sweep_view(
    sweep: &Sweep,
    file: &str,
    source: &str,
    header: &[String],
    records: &[Record],
) -> SweepView {
    let col = |name: &str| header.iter().position(|h| h == name);
    let get = |r: &Record, name: &str| col(name).map_or_else(String::new, |i| r[i].clone());
    let number = |r: &Record, name: &str| col(name).and_then(|i| r[i].parse::<f64>().ok());
    let rows = records
        .iter()
        .map(|r| VariantView {
            variant: get(r, "variant"),
            values: sweep
                .axes
                .iter()
                .map(|a| get(r, &format!("axis:{}", a.name)))
                .collect(),
            dropped: get(r, "dropped"),
            status: get(r, "status"),
            coverage: number(r, "coverage"),
            by_domain: sweep
                .base
                .domains
                .iter()
                .map(|d| number(r, &format!("domain:{d}")))
                .collect(),
            error: get(r, "error"),
        })
        .collect();
    SweepView {
        scenario: sweep.base.name.clone(),
        file: file.to_string(),
        source: source.to_string(),
        fingerprint: sweep.fingerprint.clone(),
        total_variants: sweep.variants.len(),
        axes: sweep
            .axes
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.values.iter().map(|v| v.label.clone()).collect(),
                )
            })
            .collect(),
        domains: sweep.base.domains.clone(),
        monte_carlo: sweep.monte_carlo.map(|m| m.samples),
        rows,
    }
}

/// The coverage of a row in a series: overall (`None`) or of a domain.
fn coverage_of(row: &VariantView, series: Option<usize>) -> Option<f64> {
    match series {
        None => row.coverage,
        Some(d) => row.by_domain.get(d).copied().flatten(),
    }
}

/// Five-number summary: min, P10, median, P90, max (nearest rank, as `sweep` prints).
fn summary(values: &[f64]) -> Option<[f64; 5]> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let q = |q: f64| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    Some([v[0], q(0.1), q(0.5), q(0.9), v[v.len() - 1]])
}

impl SweepView {
    /// The series drawn: overall (`None`) first, then each domain (its index).
    fn series(&self) -> Vec<(String, Option<usize>)> {
        std::iter::once(("overall".to_string(), None))
            .chain(
                self.domains
                    .iter()
                    .enumerate()
                    .map(|(d, n)| (n.clone(), Some(d))),
            )
            .collect()
    }

    fn count(&self, outcome: RowOutcome) -> usize {
        self.rows
            .iter()
            .filter(|r| RowOutcome::parse(&r.status) == Some(outcome))
            .count()
    }

    /// The variants whose solve failed (`error` rows).
    pub fn failed(&self) -> usize {
        self.count(RowOutcome::Error)
    }
}

pub(super) fn body(view: &SweepView) -> Markup {
    let solved = view.rows.iter().filter(|r| r.coverage.is_some()).count();
    html! {
        header {
            h1 { (view.scenario) ": sweep" }
            p.lead { "Sweep " code { (view.file) } " (fingerprint " (view.fingerprint) "): " (view.total_variants) " variant(s)"
                @if let Some(s) = view.monte_carlo { ", " (s) " Monte Carlo sample(s) each" }
                "; rows " (view.source) "." }
            (figures(&[
                ("variants reported", format!("{} of {}", view.rows.len(), view.total_variants)),
                ("solved", solved.to_string()),
                ("infeasible", view.count(RowOutcome::Infeasible).to_string()),
                ("failed", view.count(RowOutcome::Error).to_string()),
                ("median coverage", summary(&view.rows.iter().filter_map(|r| r.coverage).collect::<Vec<_>>())
                    .map_or_else(|| "—".into(), |s| pct(s[2]))),
            ]))
            nav.toc { a href="#distribution" { "Distribution" } a href="#axes" { "By axis value" } a href="#variants" { "Variants" } }
        }
        (distribution_section(view))
        (axes_section(view))
        (variants_section(view))
    }
}

fn distribution_section(view: &SweepView) -> Markup {
    let series = view.series();
    let label_w = 90.0;
    let plot_x = label_w + 10.0;
    let plot_w = WIDTH - plot_x - 290.0;
    let row_h = 46.0;
    let top = 24.0;
    let axis_y = top + series.len() as f64 * row_h;
    let height = axis_y + 22.0;
    let x = |v: f64| plot_x + v.clamp(0.0, 1.0) * plot_w;
    html! {
        section id="distribution" {
            h2 { "Coverage over the variants" }
            p.note { "One row per domain (and overall): each dot is a variant that has a plan; the box runs from the 10th to the 90th "
                "percentile, the thick mark is the median, the whiskers reach the minimum and maximum. Infeasible and failed variants have no coverage and are not drawn." }
            figure {
                svg.chart id="chart-distribution" role="img" viewBox=(format!("0 0 {WIDTH} {}", c(height)))
                    aria-label="Distribution of coverage over the variants, per domain" {
                    title { "Distribution of coverage over the variants, per domain" }
                    text.head x=(c(plot_x + plot_w + 10.0)) y="14" { "min · P10 · median · P90 · max" }
                    @for t in [0.0, 0.25, 0.5, 0.75, 1.0] { (x_grid(x(t), top - 4.0, axis_y, &pct(t).replace(".0", ""))) }
                    @for (i, (name, which)) in series.iter().enumerate() {
                        @let values: Vec<f64> = view.rows.iter().filter_map(|r| coverage_of(r, *which)).collect();
                        @let mid = top + i as f64 * row_h + row_h / 2.0;
                        g.distribution {
                            text.head x=(c(label_w)) y=(c(mid + 4.0)) text-anchor="end" { (name) }
                            @if let Some(s) = summary(&values) {
                                line x1=(c(x(s[0]))) x2=(c(x(s[4]))) y1=(c(mid)) y2=(c(mid)) stroke=(INK) stroke-width="1.2" {}
                                @for e in [s[0], s[4]] {
                                    line x1=(c(x(e))) x2=(c(x(e))) y1=(c(mid - 7.0)) y2=(c(mid + 7.0)) stroke=(INK) stroke-width="1.2" {}
                                }
                                rect x=(c(x(s[1]))) y=(c(mid - 11.0)) width=(c((x(s[3]) - x(s[1])).max(1.0))) height="22"
                                    fill="#dbeaf5" stroke=(SERIES[1]) stroke-width="1.2" {}
                                @for (k, v) in values.iter().enumerate() {
                                    // A fixed spread by position keeps dots apart without randomness.
                                    @let dy = ((k * 7) % 11) as f64 - 5.0;
                                    circle cx=(c(x(*v))) cy=(c(mid + dy)) r="2.4" fill=(SERIES[1]) fill-opacity="0.55" {}
                                }
                                line x1=(c(x(s[2]))) x2=(c(x(s[2]))) y1=(c(mid - 13.0)) y2=(c(mid + 13.0)) stroke=(INK) stroke-width="3" {}
                                text.value x=(c(plot_x + plot_w + 10.0)) y=(c(mid + 4.0)) {
                                    (pct(s[0])) " · " (pct(s[1])) " · " tspan font-weight="650" { (pct(s[2])) } " · " (pct(s[3])) " · " (pct(s[4]))
                                }
                            } @else {
                                text.muted x=(c(plot_x)) y=(c(mid + 4.0)) { "no variant has a plan" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The marker of series `i`: shape as well as colour tells the series apart.
fn marker(i: usize, x: f64, y: f64) -> Markup {
    let colour = SERIES[i % SERIES.len()];
    let r = 4.5;
    match i % 4 {
        0 => {
            html! { circle cx=(c(x)) cy=(c(y)) r=(c(r + 0.5)) fill=(colour) stroke="#ffffff" stroke-width="1" {} }
        }
        1 => {
            html! { rect x=(c(x - r)) y=(c(y - r)) width=(c(2.0 * r)) height=(c(2.0 * r)) fill=(colour) stroke="#ffffff" stroke-width="1" {} }
        }
        2 => {
            html! { polygon points=(format!("{},{} {},{} {},{}", c(x), c(y - r - 1.0), c(x + r + 0.5), c(y + r), c(x - r - 0.5), c(y + r)))
            fill=(colour) stroke="#ffffff" stroke-width="1" {} }
        }
        _ => {
            html! { polygon points=(format!("{},{} {},{} {},{} {},{}", c(x), c(y - r - 1.0), c(x + r + 1.0), c(y), c(x), c(y + r + 1.0), c(x - r - 1.0), c(y)))
            fill=(colour) stroke="#ffffff" stroke-width="1" {} }
        }
    }
}

fn marker_swatch(i: usize) -> String {
    let colour = SERIES[i % SERIES.len()];
    let shape = match i % 4 {
        0 => "border-radius:50%;width:10px",
        1 => "width:10px",
        2 => "clip-path:polygon(50% 0,100% 100%,0 100%);border:0;width:11px",
        _ => "transform:rotate(45deg) scale(0.8);width:10px",
    };
    format!("background:{colour};{shape}")
}

fn median(values: &[f64]) -> Option<f64> {
    summary(values).map(|s| s[2])
}

fn axes_section(view: &SweepView) -> Markup {
    let series = view.series();
    let swatches: Vec<(String, String)> = series
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (marker_swatch(i), format!("{name} (median)")))
        .collect();
    let legend_items: Vec<(&str, &str)> = swatches
        .iter()
        .map(|(s, l)| (s.as_str(), l.as_str()))
        .collect();
    html! {
        section id="axes" {
            h2 { "Coverage against each axis value" }
            @if view.axes.is_empty() {
                p.note { "The sweep has no axes: its variants differ only by Monte Carlo draws." }
            } @else {
                p.note { "For each value of an axis, over the variants that take it: the median coverage overall and per domain (markers), "
                    "and the range of overall coverage from minimum to maximum (grey bar). The text gives the overall median and range." }
                (legend(&legend_items))
            }
            @for (a, (name, values)) in view.axes.iter().enumerate() {
                h3 { "Axis " code { (name) } }
                (axis_chart(view, &series, a, values))
            }
        }
    }
}

fn axis_chart(
    view: &SweepView,
    series: &[(String, Option<usize>)],
    a: usize,
    values: &[String],
) -> Markup {
    let label_w = values
        .iter()
        .map(|v| text_width(v, 12.0))
        .fold(60.0, f64::max)
        .min(180.0)
        + 6.0;
    let plot_x = label_w + 10.0;
    let plot_w = WIDTH - plot_x - 260.0;
    let row_h = 24.0;
    let top = 22.0;
    let axis_y = top + values.len() as f64 * row_h;
    let height = axis_y + 22.0;
    let x = |v: f64| plot_x + v.clamp(0.0, 1.0) * plot_w;
    html! {
        figure {
            svg.chart id=(format!("chart-axis-{}", a + 1)) role="img" viewBox=(format!("0 0 {WIDTH} {}", c(height)))
                aria-label=(format!("Coverage against the values of axis {}", view.axes[a].0)) {
                title { "Coverage against the values of axis " (view.axes[a].0) }
                text.head x=(c(label_w)) y="14" text-anchor="end" { "value" }
                text.head x=(c(plot_x + plot_w + 16.0)) y="14" { "overall median (min–max) · variants" }
                @for t in [0.0, 0.25, 0.5, 0.75, 1.0] { (x_grid(x(t), top - 4.0, axis_y, &pct(t).replace(".0", ""))) }
                @for (j, value) in values.iter().enumerate() {
                    @let rows: Vec<&VariantView> = view.rows.iter().filter(|r| r.values.get(a) == Some(value)).collect();
                    @let overall: Vec<f64> = rows.iter().filter_map(|r| r.coverage).collect();
                    @let mid = top + j as f64 * row_h + row_h / 2.0;
                    g.axis-value {
                        title { (view.axes[a].0) " = " (value) ": " (rows.len()) " variant(s), " (overall.len()) " with a plan" }
                        line x1=(c(plot_x)) x2=(c(plot_x + plot_w)) y1=(c(mid)) y2=(c(mid)) stroke=(GRID) stroke-dasharray="2 3" {}
                        text x=(c(label_w)) y=(c(mid + 4.0)) text-anchor="end" font-weight="600" { (clip(value, fits(label_w, 12.0))) }
                        @if let Some(s) = summary(&overall) {
                            rect x=(c(x(s[0]))) y=(c(mid - 3.0)) width=(c((x(s[4]) - x(s[0])).max(2.0))) height="6" fill="#bdbdbd" {}
                        }
                        @for (i, (_, which)) in series.iter().enumerate().rev() {
                            @let vs: Vec<f64> = rows.iter().filter_map(|r| coverage_of(r, *which)).collect();
                            @if let Some(m) = median(&vs) { (marker(i, x(m), mid)) }
                        }
                        text.value x=(c(plot_x + plot_w + 16.0)) y=(c(mid + 4.0)) {
                            @match summary(&overall) {
                                Some(s) => {
                                    tspan font-weight="650" { (pct(s[2])) }
                                    @if overall.len() > 1 { " (" (pct(s[0])) "–" (pct(s[4])) ")" }
                                }
                                None => { tspan.muted { "no plan" } }
                            }
                            tspan.muted { " · " (rows.len()) }
                        }
                    }
                }
                line x1=(c(plot_x)) x2=(c(plot_x)) y1=(c(top - 4.0)) y2=(c(axis_y)) stroke=(MUTED) {}
            }
        }
        table {
            thead { tr { th { (view.axes[a].0) } th.num { "variants" }
                @for (name, _) in series { th.num { (name) " median" } } th.num { "infeasible" } th.num { "failed" } } }
            tbody { @for value in values {
                @let rows: Vec<&VariantView> = view.rows.iter().filter(|r| r.values.get(a) == Some(value)).collect();
                tr {
                    td { (value) } td.num { (rows.len()) }
                    @for (_, which) in series {
                        td.num { (median(&rows.iter().filter_map(|r| coverage_of(r, *which)).collect::<Vec<_>>()).map_or_else(|| "—".into(), pct)) }
                    }
                    td.num { (rows.iter().filter(|r| RowOutcome::parse(&r.status) == Some(RowOutcome::Infeasible)).count()) }
                    td.num { (rows.iter().filter(|r| RowOutcome::parse(&r.status) == Some(RowOutcome::Error)).count()) }
                }
            } }
        }
    }
}

fn variants_section(view: &SweepView) -> Markup {
    let mut worst: Vec<&VariantView> = view.rows.iter().filter(|r| r.coverage.is_some()).collect();
    worst.sort_by(|a, b| {
        a.coverage
            .unwrap_or(0.0)
            .total_cmp(&b.coverage.unwrap_or(0.0))
            .then(a.variant.cmp(&b.variant))
    });
    worst.truncate(WORST);
    let without: Vec<&VariantView> = view.rows.iter().filter(|r| r.coverage.is_none()).collect();
    let has_dropped = view.rows.iter().any(|r| !r.dropped.is_empty());
    let head = html! {
        th { "variant" } @for (name, _) in &view.axes { th { (name) } } @if has_dropped { th { "dropped" } }
    };
    let cells = |r: &VariantView| {
        html! {
            td { (r.variant) } @for v in &r.values { td { (v) } } @if has_dropped { td { (r.dropped) } }
        }
    };
    html! {
        section id="variants" {
            h2 { "Variants" }
            h3 { "Worst covered" }
            @if worst.is_empty() { p.note { "No variant has a plan." } } @else {
                table {
                    thead { tr { (head) th { "status" } th.num { "overall" } @for d in &view.domains { th.num { (d) } } } }
                    tbody { @for r in &worst { tr {
                        (cells(r)) td { (r.status) } td.num { (r.coverage.map_or_else(String::new, pct)) }
                        @for v in &r.by_domain { td.num { (v.map_or_else(|| "—".into(), pct)) } }
                    } } }
                }
            }
            h3 { "Without a plan" }
            @if without.is_empty() { p.note { "Every variant reported has a plan." } } @else {
                table {
                    thead { tr { (head) th { "status" } th { "why" } } }
                    tbody { @for r in &without { tr { (cells(r)) td { (r.status) } td { (r.error) } } } }
                }
            }
        }
    }
}
