//! The stress-test section of a scenario page: a tornado chart of the overall coverage lost
//! per withdrawal, worst at the top, with the loss by domain in text; the single points of
//! failure.

use maud::{Markup, html};

use super::parts::{HATCH_SWATCH, WIDTH, legend};
use super::svg::{
    GRID, INK, VERMILLION, c, clip, defs, fits, hatch, pct, points, text_width, ticks, x_grid,
};
use crate::analysis::stress::{Outcome, Stress};
use crate::scenario::Scenario;

/// Withdrawals drawn in the tornado; the table below it lists the same ones.
const SHOWN: usize = 30;

/// One withdrawal, as the report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct WithdrawalView {
    pub members: Vec<String>,
    /// `optimal`, `time_limit`, `infeasible` or `error`.
    pub status: String,
    pub coverage: Option<f64>,
    /// Base overall coverage minus this one's.
    pub loss: Option<f64>,
    /// By the scenario's domains; `None` where not solved or the domain is empty.
    pub domain_loss: Vec<Option<f64>>,
    /// The floors it breaks (infeasible) or the error (failed solve).
    pub detail: String,
}

/// A stress test ready to draw: withdrawals ranked worst first.
#[derive(Clone, Debug, PartialEq)]
pub struct StressView {
    pub k: usize,
    pub base_overall: f64,
    pub domains: Vec<String>,
    pub withdrawals: Vec<WithdrawalView>,
    /// (requirement, domain, phase, priority, the smallest withdrawals that leave it without
    /// any eligible offer).
    pub single_points: Vec<(String, String, String, u8, Vec<String>)>,
}

/// The view of a stress test of `scenario`, in the ranking of `stress`.
pub fn stress_view(scenario: &Scenario, stress: &Stress) -> StressView {
    let ids = |members: &[usize]| -> Vec<String> {
        members
            .iter()
            .map(|&m| scenario.members[m].id.clone())
            .collect()
    };
    let withdrawals = stress
        .ranking(scenario)
        .into_iter()
        .map(|i| {
            let w = &stress.withdrawals[i];
            WithdrawalView {
                members: ids(&w.members),
                status: w.outcome.status().to_string(),
                coverage: w.outcome.summary().map(|s| s.overall),
                loss: stress.loss(w),
                domain_loss: (0..scenario.domains.len())
                    .map(|d| stress.domain_loss(w, d))
                    .collect(),
                detail: match &w.outcome {
                    Outcome::Solved(_) => String::new(),
                    Outcome::Infeasible(floors) => {
                        let names: Vec<&str> = floors
                            .iter()
                            .map(|&q| scenario.requirements[q].id.as_str())
                            .collect();
                        format!("breaks hard floors: {}", names.join(", "))
                    }
                    Outcome::Error(message) => message.clone(),
                },
            }
        })
        .collect();
    let single_points = stress
        .single_points
        .iter()
        .map(|p| {
            let r = &scenario.requirements[p.requirement];
            let sets: Vec<String> = p.withdrawn.iter().map(|s| ids(s).join("+")).collect();
            (
                r.id.clone(),
                scenario.domains[r.domain].clone(),
                scenario.phases[r.phase].id.clone(),
                r.priority,
                sets,
            )
        })
        .collect();
    StressView {
        k: stress.k,
        base_overall: stress.base.overall,
        domains: scenario.domains.clone(),
        withdrawals,
        single_points,
    }
}

pub(super) fn section(view: &StressView) -> Markup {
    let id = "chart-tornado";
    let shown: Vec<&WithdrawalView> = view.withdrawals.iter().take(SHOWN).collect();
    let who = |w: &WithdrawalView| w.members.join("+");
    let label_w = shown
        .iter()
        .map(|w| text_width(&who(w), 12.0))
        .fold(text_width("withdrawn", 12.0), f64::max)
        .min(200.0)
        + 6.0;
    let bar_x = label_w + 10.0;
    let bar_w = WIDTH - bar_x - 370.0;
    let ticks = ticks(
        shown
            .iter()
            .filter_map(|w| w.loss)
            .fold(0.0, f64::max)
            .max(0.005),
    );
    let max = ticks.last().copied().unwrap_or(1.0);
    let row_h = 20.0;
    let top = 22.0;
    let axis_y = top + shown.len().max(1) as f64 * row_h + 4.0;
    let height = axis_y + 36.0;
    let infeasible = view
        .withdrawals
        .iter()
        .filter(|w| w.status == "infeasible")
        .count();
    html! {
        section id="stress" {
            h2 { "Stress test: " (view.k) " member(s) withdrawn at a time" }
            p.note { "Every combination of " (view.k) " member(s) withdrawn and the scenario solved again in full. The bar is the overall "
                "coverage lost against the base plan (" (pct(view.base_overall)) "), worst at the top; the loss by domain is given in text. "
                "A withdrawal that breaks a hard floor leaves no plan at all: it ranks first, hatched. "
                (view.withdrawals.len()) " withdrawal(s), " (infeasible) " infeasible"
                @if view.withdrawals.len() > SHOWN { "; the " (SHOWN) " worst are shown" } "." }
            (legend(&[(&format!("background:{VERMILLION}"), "overall coverage lost"), (HATCH_SWATCH, "infeasible: no plan")]))
            figure {
                svg.chart id=(id) role="img" viewBox=(format!("0 0 {WIDTH} {}", c(height)))
                    aria-label="Tornado chart of the coverage lost per withdrawal" {
                    title { "Coverage lost per withdrawal" }
                    (defs(id))
                    text.head x=(c(label_w)) y="14" text-anchor="end" { "withdrawn" }
                    text.head x=(c(bar_x + bar_w + 8.0)) y="14" { "lost → coverage left · by domain (pts)" }
                    @for t in &ticks { (x_grid(bar_x + t / max * bar_w, top - 4.0, axis_y, &crate::report::readable(t * 100.0))) }
                    text.tick x=(c(bar_x + bar_w / 2.0)) y=(c(axis_y + 30.0)) text-anchor="middle" { "overall coverage lost (percentage points)" }
                    @for (i, w) in shown.iter().enumerate() {
                        @let y = top + i as f64 * row_h;
                        g.withdrawal {
                            title { "without " (who(w)) ": " (w.status)
                                @if let Some(cov) = w.coverage { ", coverage " (pct(cov)) }
                                @if !w.detail.is_empty() { "; " (w.detail) } }
                            text x=(c(label_w)) y=(c(y + 14.5)) text-anchor="end" font-weight="600" { (clip(&who(w), fits(label_w, 12.0))) }
                            @match (w.status.as_str(), w.loss) {
                                ("infeasible", _) => {
                                    rect x=(c(bar_x)) y=(c(y + 3.0)) width=(c(bar_w)) height="14" fill=(hatch(id))
                                        stroke=(VERMILLION) stroke-width="0.8" {}
                                    text.value x=(c(bar_x + bar_w + 8.0)) y=(c(y + 14.5)) font-weight="600" {
                                        "infeasible: " (clip(&w.detail.replace("breaks hard floors: ", "breaks "), 44)) }
                                }
                                (_, Some(loss)) => {
                                    rect x=(c(bar_x)) y=(c(y + 3.0)) width=(c(loss.max(0.0) / max * bar_w)) height="14" fill=(VERMILLION) {}
                                    text.value x=(c(bar_x + bar_w + 8.0)) y=(c(y + 14.5)) {
                                        tspan font-weight="600" { (points(-loss)) }
                                        " → " (w.coverage.map_or_else(String::new, pct))
                                        tspan.muted font-size="11" { "  " (domain_text(&view.domains, &w.domain_loss)) }
                                    }
                                }
                                _ => {
                                    line x1=(c(bar_x)) x2=(c(bar_x + bar_w)) y1=(c(y + 10.0)) y2=(c(y + 10.0)) stroke=(GRID) stroke-dasharray="4 3" {}
                                    text.value x=(c(bar_x + bar_w + 8.0)) y=(c(y + 14.5)) { (w.status) ": " (clip(&w.detail, 40)) }
                                }
                            }
                        }
                    }
                    line x1=(c(bar_x)) x2=(c(bar_x)) y1=(c(top - 4.0)) y2=(c(axis_y)) stroke=(INK) stroke-width="1.2" {}
                }
            }
            table {
                thead { tr { th { "withdrawn" } th { "status" } th.num { "coverage" } th.num { "lost" }
                    @for d in &view.domains { th.num { "lost, " (d) } } th { "detail" } } }
                tbody { @for w in &shown { tr {
                    td { (who(w)) } td { (w.status) } td.num { (w.coverage.map_or_else(String::new, pct)) }
                    td.num { (w.loss.map_or_else(String::new, |l| points(-l))) }
                    @for l in &w.domain_loss { td.num { (l.map_or_else(String::new, |l| points(-l))) } }
                    td { (w.detail) }
                } } }
            }
            h3 { "Single points of failure" }
            @if view.single_points.is_empty() {
                p.note { "None: no withdrawal of " (view.k) " member(s) leaves a requirement without any eligible offer." }
            } @else {
                p.note { "Requirements that a withdrawal leaves with no eligible offer at all, and the smallest withdrawals that do it." }
                table {
                    thead { tr { th { "requirement" } th { "domain" } th { "phase" } th.num { "priority" } th { "withdrawn" } } }
                    tbody { @for (r, d, p, level, sets) in &view.single_points { tr {
                        td { (r) } td { (d) } td { (p) } td.num { (level) } td { (sets.join("; ")) }
                    } } }
                }
            }
        }
    }
}

/// `land -4.2 · sea 0.0 · air -1.0` (percentage points; only domains with requirements).
fn domain_text(domains: &[String], losses: &[Option<f64>]) -> String {
    domains
        .iter()
        .zip(losses)
        .filter_map(|(d, l)| {
            l.map(|l| {
                format!("{d} {:+.1}", -l * 100.0)
                    .replace("+0.0", "0.0")
                    .replace("-0.0", "0.0")
            })
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
