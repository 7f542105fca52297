//! The scenario page's sections below the heatmap: requirement coverage by priority, the
//! shortfalls, member burden against fair share, the asks list, the stages and (for an
//! infeasible scenario) the floors that cannot be met.

use maud::{Markup, html};

use super::parts::{HATCH_SWATCH, WIDTH, f, is_short, legend, n};
use super::svg::{
    BLUE, INK, MUTED, ORANGE, SKY, c, clip, defs, fits, hatch, pct, points, text_width, ticks,
    x_grid,
};
use crate::num::Num;
use crate::report::document::{RequirementDoc, ResultDoc};

/// Requirements of one priority level, worst covered first.
fn by_priority(doc: &ResultDoc) -> Vec<(u8, Vec<&RequirementDoc>)> {
    let mut levels: Vec<u8> = doc.requirements.iter().map(|r| r.priority).collect();
    levels.sort_unstable();
    levels.dedup();
    levels
        .into_iter()
        .map(|level| {
            let mut rows: Vec<&RequirementDoc> = doc
                .requirements
                .iter()
                .filter(|r| r.priority == level)
                .collect();
            rows.sort_by(|a, b| {
                let (x, y) = (f(&a.coverage).unwrap_or(0.0), f(&b.coverage).unwrap_or(0.0));
                x.total_cmp(&y)
            });
            (level, rows)
        })
        .collect()
}

pub(super) fn requirements_section(doc: &ResultDoc) -> Markup {
    let id = "chart-requirements";
    let groups = by_priority(doc);
    let label_w = doc
        .requirements
        .iter()
        .map(|r| text_width(&r.id, 12.0))
        .fold(120.0, f64::max)
        .min(290.0);
    let bar_x = label_w + 12.0;
    let value_w = doc
        .requirements
        .iter()
        .map(|r| {
            text_width(
                &format!(
                    "100.0%  {}/{} {}, short {}",
                    n(&r.covered),
                    n(&r.target),
                    r.measure,
                    n(&r.shortfall)
                ),
                12.0,
            )
        })
        .fold(200.0, f64::max)
        .min(380.0)
        + 24.0;
    let bar_w = WIDTH - bar_x - value_w - 10.0;
    let row_h = 19.0;
    let head_h = 30.0;
    let top = 8.0;
    let mut y = top;
    let mut layout = Vec::new();
    for (level, rows) in &groups {
        let head_y = y + 20.0;
        y += head_h;
        let ys: Vec<f64> = rows
            .iter()
            .enumerate()
            .map(|(i, _)| y + i as f64 * row_h)
            .collect();
        y += rows.len() as f64 * row_h;
        layout.push((*level, head_y, rows, ys));
    }
    let axis_y = y + 6.0;
    let height = axis_y + 22.0;
    let priority_coverage = |level: u8| {
        doc.coverage
            .as_ref()
            .and_then(|c| c.by_priority.get(&level.to_string()))
            .and_then(Num::as_f64)
    };
    html! {
        section id="requirements" {
            h2 { "Requirements by priority" }
            p.note { "One bar per requirement: the covered part solid, the shortfall hatched, a black tick at a hard floor (minimum). "
                "Priority 1 is met first; within a priority, the worst covered come first." }
            (legend(&[(&format!("background:{BLUE}"), "covered"), (HATCH_SWATCH, "shortfall"),
                ("background:#1a1a1a;width:3px", "hard floor (minimum)")]))
            figure {
                svg.chart id=(id) role="img" viewBox=(format!("0 0 {WIDTH} {}", c(height)))
                    aria-label="Coverage of each requirement, grouped by priority" {
                    title { "Coverage of each requirement, grouped by priority" }
                    (defs(id))
                    @for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
                        (x_grid(bar_x + t * bar_w, top, axis_y, &pct(t).replace(".0", "")))
                    }
                    @for (level, head_y, rows, ys) in &layout {
                        @let short = rows.iter().filter(|r| is_short(r)).count();
                        text.head x="0" y=(c(*head_y)) {
                            "Priority " (level) ": " (rows.len()) " requirement(s), coverage "
                            (priority_coverage(*level).map_or_else(String::new, pct))
                            @if short > 0 { ", " (short) " with a shortfall" } @else { ", all met" }
                        }
                        @for (r, y) in rows.iter().zip(ys) {
                            (requirement_row(id, r, *y, label_w, bar_x, bar_w, row_h))
                        }
                    }
                }
            }
            (shortfall_table(doc))
        }
    }
}

fn requirement_row(
    id: &str,
    r: &RequirementDoc,
    y: f64,
    label_w: f64,
    bar_x: f64,
    bar_w: f64,
    row_h: f64,
) -> Markup {
    let coverage = f(&r.coverage).unwrap_or(0.0);
    let short = is_short(r);
    let target = f(&r.target).unwrap_or(0.0);
    let minimum = f(&r.minimum).unwrap_or(0.0);
    let bar_h = 12.0;
    let by = y + (row_h - bar_h) / 2.0;
    let covered_w = coverage * bar_w;
    let max_chars = fits(label_w, 12.0);
    let mut label = format!(
        "{}  {}/{} {}",
        pct(coverage),
        n(&r.covered),
        n(&r.target),
        r.measure
    );
    if short {
        label.push_str(&format!(", short {}", n(&r.shortfall)));
    }
    html! {
        g.requirement {
            title { (r.id) ": " (r.domain) ", " (r.phase) ", " (r.capability) ", priority " (r.priority)
                "; covered " (n(&r.covered)) " of " (n(&r.target)) " " (r.measure)
                @if minimum > 0.0 { "; hard floor " (n(&r.minimum)) } }
            text x=(c(label_w)) y=(c(y + row_h / 2.0 + 4.0)) text-anchor="end" { (clip(&r.id, max_chars)) }
            rect x=(c(bar_x)) y=(c(by)) width=(c(bar_w)) height=(c(bar_h)) fill="#f4f4f4" {}
            rect x=(c(bar_x)) y=(c(by)) width=(c(covered_w)) height=(c(bar_h)) fill=(BLUE) {}
            @if short {
                rect x=(c(bar_x + covered_w)) y=(c(by)) width=(c(bar_w - covered_w)) height=(c(bar_h))
                    fill=(hatch(id)) stroke="#D55E00" stroke-width="0.8" {}
            }
            @if minimum > 0.0 && target > 0.0 {
                line x1=(c(bar_x + minimum / target * bar_w)) x2=(c(bar_x + minimum / target * bar_w))
                    y1=(c(by - 3.0)) y2=(c(by + bar_h + 3.0)) stroke=(INK) stroke-width="2.5" {}
            }
            text.value x=(c(bar_x + bar_w + 8.0)) y=(c(y + row_h / 2.0 + 4.0))
                font-weight=(if short { "600" } else { "400" }) { (label) }
        }
    }
}

pub(super) fn shortfall_table(doc: &ResultDoc) -> Markup {
    let short: Vec<&RequirementDoc> = doc.requirements.iter().filter(|r| is_short(r)).collect();
    html! {
        h3 { "Shortfalls" }
        @if short.is_empty() {
            p.note { "None: every requirement is fully covered." }
        } @else {
            table {
                thead { tr { th { "requirement" } th.num { "priority" } th { "domain" } th { "phase" } th { "capability" }
                    th { "measure" } th.num { "target" } th.num { "covered" } th.num { "shortfall" } th.num { "coverage" } } }
                tbody { @for r in &short { tr {
                    td { (r.id) } td.num { (r.priority) } td { (r.domain) } td { (r.phase) } td { (r.capability) }
                    td { (r.measure) } td.num { (n(&r.target)) } td.num { (n(&r.covered)) } td.num { (n(&r.shortfall)) }
                    td.num { (f(&r.coverage).map_or_else(String::new, pct)) }
                } } }
            }
        }
    }
}

pub(super) fn burden_section(doc: &ResultDoc) -> Markup {
    let keyed = doc.members.iter().any(|m| m.key_share.is_some());
    let mut members: Vec<_> = doc.members.iter().collect();
    let share = |m: &crate::report::document::MemberDoc| {
        m.burden_share.as_ref().and_then(Num::as_f64).unwrap_or(0.0)
    };
    let key = |m: &crate::report::document::MemberDoc| m.key_share.as_ref().and_then(Num::as_f64);
    members.sort_by(|a, b| share(b).total_cmp(&share(a)).then(a.id.cmp(&b.id)));
    let ticks = ticks(
        members
            .iter()
            .map(|m| share(m).max(key(m).unwrap_or(0.0)))
            .fold(0.0, f64::max)
            .max(0.01),
    );
    let max = ticks.last().copied().unwrap_or(1.0);
    let label_w = members
        .iter()
        .map(|m| text_width(&format!("{} {}", m.id, m.name), 12.0))
        .fold(100.0, f64::max)
        .min(230.0);
    let bar_x = label_w + 12.0;
    let bar_w = WIDTH - bar_x - 280.0;
    let row_h = 19.0;
    let top = 6.0;
    let axis_y = top + members.len() as f64 * row_h + 4.0;
    let height = axis_y + 22.0;
    let x = |v: f64| bar_x + v / max * bar_w;
    let max_chars = fits(label_w, 12.0);
    html! {
        section id="burden" {
            h2 { "Member burden against fair share" }
            @if keyed {
                p.note { "Each member's share of the coalition's burden (bar) against its fair share by the burden key (black mark). "
                    "The ratio is burden share / fair share: above 1 the member carries more than its key, below 1 less." }
                (legend(&[(&format!("background:{ORANGE}"), "share of the burden"), ("background:#1a1a1a;width:3px", "fair share (burden key)")]))
            } @else {
                p.note { "No member has a burden key, so there is no fair share to compare with: the bars show each member's share of the burden." }
            }
            figure {
                svg.chart id="chart-burden" role="img" viewBox=(format!("0 0 {WIDTH} {}", c(height)))
                    aria-label="Member burden share against fair share" {
                    title { "Member burden share against fair share" }
                    @for t in &ticks { (x_grid(x(*t), top, axis_y, &format!("{:.0}%", t * 100.0))) }
                    @for (i, m) in members.iter().enumerate() {
                        @let y = top + i as f64 * row_h;
                        @let s = share(m);
                        g.member {
                            title { (m.id) " " (m.name) ": troops " (n(&m.troops)) ", cost " (n(&m.cost)) ", units " (n(&m.units)) }
                            text x=(c(label_w)) y=(c(y + 13.5)) text-anchor="end" {
                                tspan font-weight="600" { (m.id) } " " (clip(&m.name, max_chars.saturating_sub(m.id.len() + 1))) }
                            rect x=(c(bar_x)) y=(c(y + 3.5)) width=(c(x(s) - bar_x)) height="12" fill=(ORANGE) {}
                            @if let Some(k) = key(m) {
                                line x1=(c(x(k))) x2=(c(x(k))) y1=(c(y + 0.5)) y2=(c(y + 18.5)) stroke=(INK) stroke-width="2.5" {}
                            }
                            text.value x=(c(bar_x + bar_w + 8.0)) y=(c(y + 13.5)) {
                                (pct(s))
                                @if let Some(k) = key(m) { " vs fair " (pct(k)) }
                                @if let Some(r) = m.burden_ratio.as_ref().and_then(Num::as_f64) {
                                    tspan font-weight="600" { "  ×" (format!("{r:.2}")) }
                                }
                                tspan.muted { "  " (n(&m.troops)) " troops" }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn asks_section(doc: &ResultDoc) -> Markup {
    let asks = &doc.asks;
    let rows = &asks.extra_units;
    let gain = |e: &crate::report::document::ExtraUnitDoc| f(&e.coverage_change).unwrap_or(0.0);
    let max = rows.iter().map(gain).fold(0.0, f64::max).max(0.01);
    let label_w = rows
        .iter()
        .map(|e| text_width(&format!("{}. {}", e.rank, e.offer), 12.0))
        .fold(120.0, f64::max)
        .min(260.0);
    let bar_x = label_w + 12.0;
    let bar_w = (WIDTH - bar_x - 330.0).max(120.0);
    let row_h = 19.0;
    let top = 6.0;
    let height = top + rows.len().max(1) as f64 * row_h + 8.0;
    html! {
        section id="asks" {
            h2 { "Asks: one more unit of an offer" }
            p.note { "Each offer re-solved with one extra unit (exact re-solves, not estimates). Ranked are the asks that improve coverage "
                "(a priority stage): by the first priority stage they improve, then by how much. The bar is the overall coverage an ask adds. "
                "Extra units that change only the burden or the cost close no shortfall: they are listed apart, below the chart." }
            @if let Some(note) = &asks.note { p.note { strong { "Note: " } (note) } }
            figure {
                svg.chart id="chart-asks" role="img" viewBox=(format!("0 0 {WIDTH} {}", c(height)))
                    aria-label="Asks: what one extra unit of an offer improves" {
                    title { "Asks: what one extra unit of an offer improves" }
                    @if rows.is_empty() {
                        text.muted x="0" y="20" { "No extra unit of any offer improves the plan." }
                    }
                    @for (i, e) in rows.iter().enumerate() {
                        @let y = top + i as f64 * row_h;
                        @let g = gain(e);
                        g.ask {
                            title { (e.offer) " (" (e.member) ", " (e.capability) ", " (e.domain) "): " (e.stage) " "
                                (n(&e.base_value)) " → " (n(&e.new_value)) }
                            text x=(c(label_w)) y=(c(y + 13.5)) text-anchor="end" { (e.rank) ". " (clip(&e.offer, fits(label_w, 12.0).saturating_sub(format!("{}. ", e.rank).len()))) }
                            @if g > 1e-9 {
                                rect x=(c(bar_x)) y=(c(y + 3.5)) width=(c(g / max * bar_w)) height="12" fill=(SKY) stroke=(BLUE) stroke-width="0.8" {}
                            } @else {
                                line x1=(c(bar_x)) x2=(c(bar_x)) y1=(c(y + 2.0)) y2=(c(y + 17.0)) stroke=(MUTED) {}
                            }
                            text.value x=(c(bar_x + bar_w + 8.0)) y=(c(y + 13.5)) {
                                tspan font-weight="600" { (points(g)) } "  " (e.stage) " " (n(&e.base_value)) " → " (n(&e.new_value))
                                tspan.muted { "  " (e.member) ", " (e.domain) }
                            }
                        }
                    }
                }
            }
            @if !asks.other_gains.is_empty() {
                h3 { "Extra units that change only the burden or the cost" }
                table {
                    thead { tr { th { "offer" } th { "member" } th { "stage" } th.num { "now" } th.num { "with one more unit" } } }
                    tbody {
                        @for e in &asks.other_gains {
                            tr { td { (e.offer) } td { (e.member) } td { (e.stage) } td.num { (n(&e.base_value)) } td.num { (n(&e.new_value)) } }
                        }
                    }
                }
            }
            h3 { "Shortfalls: who could close them, and what stops them" }
            @if asks.blockers.is_empty() {
                p.note { "No requirement has a shortfall, or none was examined." }
            } @else {
                table {
                    thead { tr { th { "requirement" } th.num { "shortfall" } th { "what stops each member that offers a suitable capability" } } }
                    tbody {
                        @for b in &asks.blockers {
                            tr {
                                td { (b.requirement) } td.num { (n(&b.shortfall)) }
                                td {
                                    @if b.members.is_empty() { "no member offers a suitable capability" }
                                    @for (i, (reasons, members)) in by_reason(&b.members).iter().enumerate() {
                                        @if i > 0 { br; }
                                        strong { (reasons) } ": " (members)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Blocked members grouped by what stops them: (`capacity, max_troops`, `FRA, GBR`).
fn by_reason(members: &[crate::report::document::BlockedMemberDoc]) -> Vec<(String, String)> {
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for m in members {
        let reasons = if m.reasons.is_empty() {
            "nothing found".to_string()
        } else {
            m.reasons.join(", ")
        };
        match groups.iter_mut().find(|(r, _)| *r == reasons) {
            Some((_, ids)) => ids.push(&m.member),
            None => groups.push((reasons, vec![&m.member])),
        }
    }
    groups
        .into_iter()
        .map(|(r, ids)| (r, ids.join(", ")))
        .collect()
}

pub(super) fn stages_section(doc: &ResultDoc) -> Markup {
    html! {
        section id="stages" {
            h2 { "Objective stages" }
            p.note { "Solved in order, each holding the optima of the ones before: shortfalls by priority, then (if set) the burden, then cost." }
            table {
                thead { tr { th { "stage" } th.num { "value" } th { "status" } th.num { "proven gap" } th { "what it measures" } } }
                tbody { @for s in &doc.stages { tr { td { (s.name) } td.num { (n(&s.value)) } td { (s.status) }
                    td.num { (f(&s.gap).map_or_else(|| "unknown".to_string(), |g| format!("{:.4}%", g * 100.0))) } td { (s.meaning) } } } }
            }
        }
    }
}

pub(super) fn floors_section(doc: &ResultDoc) -> Markup {
    let id = "chart-floors";
    let floors = &doc.unmet_floors;
    let label_w = floors
        .iter()
        .map(|f| text_width(&f.requirement, 12.0))
        .fold(120.0, f64::max)
        .min(290.0);
    let bar_x = label_w + 12.0;
    let bar_w = WIDTH - bar_x - 300.0;
    let row_h = 24.0;
    let top = 6.0;
    let height = top + floors.len().max(1) as f64 * row_h + 8.0;
    html! {
        section id="floors" {
            h2 { "Hard floors that cannot be met" }
            p.note { "No plan exists: these requirements' minimums are more than the coalition can supply. Each bar is a floor "
                "(100% = its minimum): solid is what can be reached with the floors made soft, hatched is what is missing. "
                "The other floors can be met." }
            (legend(&[(&format!("background:{BLUE}"), "reachable"), (HATCH_SWATCH, "missing to the minimum")]))
            figure {
                svg.chart id=(id) role="img" viewBox=(format!("0 0 {WIDTH} {}", c(height)))
                    aria-label="Hard floors that cannot be met: reachable against minimum" {
                    title { "Hard floors that cannot be met" }
                    (defs(id))
                    @for (i, fl) in floors.iter().enumerate() {
                        @let y = top + i as f64 * row_h;
                        @let minimum = f(&fl.minimum).unwrap_or(0.0);
                        @let reach = if minimum > 0.0 { (f(&fl.reachable).unwrap_or(0.0) / minimum).clamp(0.0, 1.0) } else { 0.0 };
                        g.floor {
                            title { (fl.requirement) " (" (fl.domain) ", " (fl.phase) ")" }
                            text x=(c(label_w)) y=(c(y + 16.0)) text-anchor="end" { (clip(&fl.requirement, fits(label_w, 12.0))) }
                            rect x=(c(bar_x)) y=(c(y + 5.0)) width=(c(reach * bar_w)) height="14" fill=(BLUE) {}
                            rect x=(c(bar_x + reach * bar_w)) y=(c(y + 5.0)) width=(c((1.0 - reach) * bar_w)) height="14"
                                fill=(hatch(id)) stroke="#D55E00" stroke-width="0.8" {}
                            text.value x=(c(bar_x + bar_w + 8.0)) y=(c(y + 16.0)) {
                                "minimum " (n(&fl.minimum)) ", reachable " tspan font-weight="600" { (n(&fl.reachable)) }
                                ", eligible supply " (n(&fl.eligible_supply))
                            }
                        }
                    }
                }
            }
            table {
                thead { tr { th { "requirement" } th { "domain" } th { "phase" } th.num { "minimum" } th.num { "reachable" }
                    th.num { "eligible supply" } th { "eligible offers (amount)" } } }
                tbody { @for fl in floors { tr {
                    td { (fl.requirement) } td { (fl.domain) } td { (fl.phase) } td.num { (n(&fl.minimum)) }
                    td.num { (n(&fl.reachable)) } td.num { (n(&fl.eligible_supply)) }
                    td { @for (i, o) in fl.eligible_offers.iter().enumerate() {
                        @if i > 0 { "; " } (o.offer) " (" (n(&o.amount)) ")" } }
                } } }
            }
        }
    }
}
