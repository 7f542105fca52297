//! The scenario page: headline figures, the domain x phase heatmap, requirement coverage
//! by priority, member burden against fair share, the asks list, the stages; for an
//! infeasible scenario, the floors that cannot be met.

use maud::{Markup, html};

use super::parts::{WIDTH, f, figures, is_short, thousands};
use super::sections::{
    asks_section, burden_section, floors_section, requirements_section, stages_section,
};
use super::stress::StressView;
use super::svg::{GRID, c, ink_on_viridis, pct, text_width, viridis};
use crate::num::Num;
use crate::report::document::ResultDoc;

pub(super) fn body(doc: &ResultDoc, stress: Option<&StressView>) -> Markup {
    let infeasible = doc.coverage.is_none();
    html! {
        header {
            h1 { (doc.scenario.name) }
            @if !doc.scenario.description.is_empty() {
                p.lead { (doc.scenario.description) }
            }
            (status_line(doc))
            (headline(doc))
            nav.toc {
                @if infeasible {
                    a href="#floors" { "Unmet floors" }
                } @else {
                    a href="#coverage" { "Coverage" }
                    a href="#requirements" { "Requirements" }
                    a href="#burden" { "Burden" }
                    a href="#asks" { "Asks" }
                    @if stress.is_some() { a href="#stress" { "Stress test" } }
                    a href="#stages" { "Stages" }
                }
            }
        }
        @if infeasible {
            (floors_section(doc))
            @if stress.is_none() {} @else {
                p.note { "The stress test was not run: the base scenario has no plan." }
            }
        } @else {
            (heatmap_section(doc))
            (requirements_section(doc))
            (burden_section(doc))
            (asks_section(doc))
            @if let Some(view) = stress { (super::stress::section(view)) }
            (stages_section(doc))
        }
    }
}

fn status_line(doc: &ResultDoc) -> Markup {
    let (class, text) = match doc.status.as_str() {
        "optimal" => ("ok", "optimal plan, verified"),
        "time_limit" => (
            "warn",
            "time limit reached: the best plan found, verified, may not be optimal",
        ),
        "infeasible" => ("bad", "infeasible: hard floors cannot be met"),
        _ => ("warn", doc.status.as_str()),
    };
    html! {
        p { span class=(format!("status {class}")) { (text) } " "
            span.muted { "solver " (doc.solver.backend)
                @if doc.solver.integer { ", whole units" } @else { ", fractional units allowed" } }
        }
    }
}

fn headline(doc: &ResultDoc) -> Markup {
    let Some(coverage) = &doc.coverage else {
        return figures(&[("hard floors unmet", doc.unmet_floors.len().to_string())]);
    };
    let short = doc.requirements.iter().filter(|r| is_short(r)).count();
    let sum = |get: fn(&crate::report::document::MemberDoc) -> &Num| -> f64 {
        doc.members.iter().filter_map(|m| get(m).as_f64()).sum()
    };
    let contributing = doc
        .members
        .iter()
        .filter(|m| f(&m.units).is_some_and(|u| u > 1e-9))
        .count();
    let mut tiles = vec![(
        if doc.solver.integer {
            "overall coverage, whole units"
        } else {
            "overall coverage, fractions of units"
        },
        f(&coverage.overall).map_or_else(String::new, pct),
    )];
    if let Some(relaxation) = &doc.relaxation {
        tiles.push((
            "if units could be split (LP relaxation)",
            f(&relaxation.overall).map_or_else(String::new, pct),
        ));
    }
    tiles.extend([
        (
            "requirements short",
            format!("{short} of {}", doc.requirements.len()),
        ),
        (
            "members contributing",
            format!("{contributing} of {}", doc.members.len()),
        ),
        ("troops (all phases)", thousands(sum(|m| &m.troops))),
        ("cost (all phases)", thousands(sum(|m| &m.cost))),
    ]);
    figures(&tiles)
}

/// Whole units against the LP relaxation, overall, by domain, phase and priority: what
/// indivisible units cost the plan. Empty without a relaxation (an LP plan is its own).
fn relaxation_table(doc: &ResultDoc) -> Markup {
    let (Some(coverage), Some(relaxation)) = (&doc.coverage, &doc.relaxation) else {
        return html! {};
    };
    let mut rows: Vec<(String, Option<f64>, Option<f64>)> =
        vec![("all".into(), f(&coverage.overall), f(&relaxation.overall))];
    for (name, whole) in &coverage.by_domain {
        rows.push((
            name.clone(),
            f(whole),
            relaxation.by_domain.get(name).and_then(f),
        ));
    }
    for (name, whole) in &coverage.by_phase {
        rows.push((
            name.clone(),
            f(whole),
            relaxation.by_phase.get(name).and_then(f),
        ));
    }
    for (level, whole) in &coverage.by_priority {
        rows.push((
            format!("priority {level}"),
            f(whole),
            relaxation.by_priority.get(level).and_then(f),
        ));
    }
    let shown = |v: Option<f64>| v.map_or_else(String::new, pct);
    html! {
        h3 { "Whole units against the LP relaxation" }
        p.note { "The relaxation lets units be split: it is the most any plan could reach under the same priorities, so the difference is what indivisible units cost." }
        table {
            caption { "Coverage in whole units and in the LP relaxation" }
            thead { tr { th { "group" } th.num { "whole units" } th.num { "relaxation" } th.num { "points lost" } } }
            tbody { @for (group, whole, relaxed) in &rows { tr {
                td { (group) } td.num { (shown(*whole)) } td.num { (shown(*relaxed)) }
                td.num { (whole.zip(*relaxed).map_or_else(String::new, |(w, r)| format!("{:.1}", (r - w) * 100.0 + 0.0))) }
            } } }
        }
    }
}

/// The coverage of domain `d` in phase `p` (`None` = the whole row or column).
fn cell(doc: &ResultDoc, d: Option<&str>, p: Option<&str>) -> Option<f64> {
    let c = doc.coverage.as_ref()?;
    match (d, p) {
        (Some(d), Some(p)) => c.by_domain_phase.get(d)?.get(p)?.as_f64(),
        (Some(d), None) => c.by_domain.get(d)?.as_f64(),
        (None, Some(p)) => c.by_phase.get(p)?.as_f64(),
        (None, None) => c.overall.as_f64(),
    }
}

fn heatmap_section(doc: &ResultDoc) -> Markup {
    let domains = &doc.scenario.domains;
    let phases = &doc.scenario.phases;
    let label_w = domains
        .iter()
        .map(|d| text_width(d, 13.0))
        .fold(text_width("all domains", 13.0), f64::max)
        + 16.0;
    let cols = phases.len() + 1;
    let cell_w = phases
        .iter()
        .map(|p| text_width(p, 12.0) + 16.0)
        .fold(100.0, f64::max)
        .min((WIDTH - label_w - 12.0) / cols as f64);
    let cell_h = 42.0;
    let top = 26.0;
    let gap = 8.0;
    let rows = domains.len() + 1;
    let grid_h = top + rows as f64 * cell_h + gap;
    let legend_y = grid_h + 22.0;
    let height = legend_y + 34.0;
    let x_of = |i: usize| label_w + i as f64 * cell_w + if i == cols - 1 { gap } else { 0.0 };
    let y_of = |j: usize| top + j as f64 * cell_h + if j == rows - 1 { gap } else { 0.0 };
    let row_names: Vec<Option<&str>> = domains
        .iter()
        .map(|d| Some(d.as_str()))
        .chain([None])
        .collect();
    let col_names: Vec<Option<&str>> = phases
        .iter()
        .map(|p| Some(p.as_str()))
        .chain([None])
        .collect();
    html! {
        section id="coverage" {
            h2 { "Coverage by domain and phase" }
            p.note { "Each cell is the mean coverage of the requirements of that domain in that phase; "
                "the last row and column are over all domains and all phases. A dash marks a cell without requirements." }
            figure {
                svg.chart id="chart-heatmap" role="img" viewBox=(format!("0 0 {WIDTH} {}", c(height)))
                    aria-label="Heatmap of coverage by domain and phase" {
                    title { "Coverage by domain and phase" }
                    @for (i, p) in col_names.iter().enumerate() {
                        text.head x=(c(x_of(i) + cell_w / 2.0)) y="16" text-anchor="middle" {
                            (p.unwrap_or("all phases"))
                        }
                    }
                    @for (j, d) in row_names.iter().enumerate() {
                        text.head x=(c(label_w - 10.0)) y=(c(y_of(j) + cell_h / 2.0 + 4.0)) text-anchor="end" {
                            (d.unwrap_or("all domains"))
                        }
                        @for (i, p) in col_names.iter().enumerate() {
                            @let value = cell(doc, *d, *p);
                            @let (x, y) = (x_of(i), y_of(j));
                            g.cell {
                                title { (d.unwrap_or("all domains")) " / " (p.unwrap_or("all phases")) ": "
                                    (value.map_or_else(|| "no requirements".to_string(), pct)) }
                                @match value {
                                    Some(v) => {
                                        rect x=(c(x + 1.0)) y=(c(y + 1.0)) width=(c(cell_w - 2.0)) height=(c(cell_h - 2.0))
                                            fill=(viridis(v)) {}
                                        text.value x=(c(x + cell_w / 2.0)) y=(c(y + cell_h / 2.0 + 5.0)) text-anchor="middle"
                                            font-size="14" font-weight="600" style=(format!("fill:{}", ink_on_viridis(v))) {
                                            (pct(v))
                                        }
                                    }
                                    None => {
                                        rect x=(c(x + 1.0)) y=(c(y + 1.0)) width=(c(cell_w - 2.0)) height=(c(cell_h - 2.0))
                                            fill="#f2f2f2" stroke=(GRID) {}
                                        text.muted x=(c(x + cell_w / 2.0)) y=(c(y + cell_h / 2.0 + 4.0)) text-anchor="middle" { "—" }
                                    }
                                }
                            }
                        }
                    }
                    (scale_legend(label_w, legend_y))
                }
                figcaption { "Colour: viridis scale from 0% (dark purple) to 100% (yellow); every cell is labelled with its value." }
            }
            (relaxation_table(doc))
        }
    }
}

fn scale_legend(x0: f64, y: f64) -> Markup {
    let steps = 20;
    let w = 240.0;
    html! {
        g.scale {
            text.tick x=(c(x0 - 10.0)) y=(c(y + 10.0)) text-anchor="end" { "scale" }
            @for i in 0..steps {
                @let t = (f64::from(i) + 0.5) / f64::from(steps);
                rect x=(c(x0 + f64::from(i) * w / f64::from(steps))) y=(c(y)) width=(c(w / f64::from(steps) + 0.5)) height="12"
                    fill=(viridis(t)) {}
            }
            @for (t, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
                text.tick x=(c(x0 + t * w)) y=(c(y + 26.0)) text-anchor="middle" { (label) }
            }
        }
    }
}
