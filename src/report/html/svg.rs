//! What every chart shares: the colour-blind-safe palettes, number formats, a text-width
//! estimate for laying out labels, and the shortfall hatch.
//!
//! Colours: Okabe and Ito's palette for categories (distinguishable with every common
//! colour-vision deficiency) and viridis for the coverage scale (perceptually uniform,
//! readable in greyscale). No chart relies on colour alone: every value is also in text.

use maud::{Markup, html};

/// Okabe-Ito: blue, for what is covered.
pub const BLUE: &str = "#0072B2";
/// Okabe-Ito: vermillion, for shortfalls and losses.
pub const VERMILLION: &str = "#D55E00";
/// Okabe-Ito: orange, for burden.
pub const ORANGE: &str = "#E69F00";
/// Okabe-Ito: sky blue.
pub const SKY: &str = "#56B4E9";
/// Okabe-Ito: bluish green.
pub const GREEN: &str = "#009E73";
/// Okabe-Ito: reddish purple.
pub const PURPLE: &str = "#CC79A7";
/// Text and axes.
pub const INK: &str = "#1a1a1a";
/// Grid lines and empty cells.
pub const GRID: &str = "#d0d0d0";
pub const MUTED: &str = "#595959";

/// Series colours, in order (overall first).
pub const SERIES: [&str; 6] = [INK, BLUE, ORANGE, GREEN, PURPLE, SKY];

/// Viridis at nine stops, from 0 to 1.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// The viridis colour of `t` in [0, 1].
pub fn viridis(t: f64) -> String {
    let t = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let i = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// Text colour that reads on the viridis colour of `t`: white on the dark end.
pub fn ink_on_viridis(t: f64) -> &'static str {
    if t < 0.55 { "#ffffff" } else { INK }
}

/// A fraction as a percentage with one decimal: `83.5%`.
pub fn pct(x: f64) -> String {
    let s = format!("{:.1}%", x * 100.0);
    if s == "-0.0%" { "0.0%".into() } else { s }
}

/// A difference of fractions in percentage points with a sign: `+8.3 pts`, `-35.4 pts`.
pub fn points(x: f64) -> String {
    let s = format!("{:+.1} pts", x * 100.0);
    match s.as_str() {
        "-0.0 pts" | "+0.0 pts" => "0.0 pts".into(),
        _ => s,
    }
}

/// A coordinate for an SVG attribute.
pub fn c(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), ToString::to_string)
}

/// Roughly how wide `text` is at `size` px in a proportional sans-serif (for layout only).
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.62
}

/// How many characters fit in `width` px at `size` px (the inverse of [`text_width`]).
pub fn fits(width: f64, size: f64) -> usize {
    (width / (size * 0.62)).floor().max(4.0) as usize
}

/// Round tick values from 0 up to at least `max`: steps of 1, 2, 2.5 or 5 times a power
/// of ten, at most six ticks.
pub fn ticks(max: f64) -> Vec<f64> {
    let max = if max > 0.0 { max } else { 1.0 };
    let magnitude = 10f64.powf((max / 5.0).log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| max / step <= 5.0)
        .unwrap_or(10.0 * magnitude);
    let count = (max / step - 1e-9).ceil() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// `text` cut to `max` characters with an ellipsis (the full text goes in a `<title>`).
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let kept: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// Definitions every chart may use: the hatch that marks shortfalls, the one for infeasible
/// withdrawals. Ids are prefixed with the chart's id so that charts stay independent.
pub fn defs(id: &str) -> Markup {
    html! {
        defs {
            pattern id=(format!("{id}-hatch")) patternUnits="userSpaceOnUse" width="6" height="6"
                patternTransform="rotate(45)" {
                rect width="6" height="6" fill="#fbe3d3" {}
                line x1="0" y1="0" x2="0" y2="6" stroke=(VERMILLION) stroke-width="2.5" {}
            }
        }
    }
}

/// The fill that uses the hatch of chart `id`.
pub fn hatch(id: &str) -> String {
    format!("url(#{id}-hatch)")
}

/// A vertical grid line with its label at the foot, for a horizontal axis of fractions.
pub fn x_grid(x: f64, top: f64, bottom: f64, label: &str) -> Markup {
    html! {
        line x1=(c(x)) x2=(c(x)) y1=(c(top)) y2=(c(bottom)) stroke=(GRID) stroke-width="1" {}
        text x=(c(x)) y=(c(bottom + 14.0)) text-anchor="middle" class="tick" { (label) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_runs_from_dark_purple_to_yellow() {
        assert_eq!(viridis(0.0), "#440154");
        assert_eq!(viridis(1.0), "#fde725");
        assert_eq!(viridis(2.0), "#fde725");
        assert_eq!(ink_on_viridis(0.1), "#ffffff");
        assert_eq!(ink_on_viridis(0.9), INK);
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(pct(0.835), "83.5%");
        assert_eq!(pct(-0.0000001), "0.0%");
        assert_eq!(points(0.0833), "+8.3 pts");
        assert_eq!(points(-0.354), "-35.4 pts");
        assert_eq!(points(-0.00001), "0.0 pts");
        assert_eq!(c(12.0), "12");
        assert_eq!(c(12.25), "12.2");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
        assert_eq!(ticks(0.354), vec![0.0, 0.1, 0.2, 0.30000000000000004, 0.4]);
        assert_eq!(ticks(1.0).len(), 6);
        assert_eq!(ticks(0.44).last().copied(), Some(0.5));
    }
}
