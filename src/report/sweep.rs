//! The summary of a sweep: what `sweep` prints when it ends, as text and as markdown.

use crate::analysis::rows::Record;
use crate::analysis::sweep::{RowOutcome, Sweep};

/// What `sweep` prints when it ends: a few lines for stderr, the same as markdown for a CI
/// job summary, and the count of failed variants.
pub struct Summary {
    pub text: String,
    pub markdown: String,
    pub failed: usize,
}

/// Value at quantile `q` of sorted values (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The summary of a sweep's rows (as records under `header`): counts, coverage quantiles
/// overall and by domain, and the five worst variants.
pub fn summarize(sweep: &Sweep, header: &[String], records: &[Record]) -> Summary {
    let col = |name: &str| header.iter().position(|h| h == name);
    let status = col("status").unwrap_or(0);
    let outcome = |r: &Record| RowOutcome::parse(&r[status]);
    let failed = records
        .iter()
        .filter(|r| outcome(r) == Some(RowOutcome::Error))
        .count();
    let infeasible = records
        .iter()
        .filter(|r| outcome(r) == Some(RowOutcome::Infeasible))
        .count();
    let mut groups: Vec<(String, usize)> = vec![("overall".into(), col("coverage").unwrap_or(0))];
    for d in &sweep.base.domains {
        if let Some(c) = col(&format!("domain:{d}")) {
            groups.push((d.clone(), c));
        }
    }
    let mut lines = Vec::new();
    let mut md = format!(
        "## Sweep summary\n\n{} variants: {} solved, {} infeasible, {} failed\n\n| coverage | min | P10 | median | P90 | max |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
        records.len(),
        records.len() - failed - infeasible,
        infeasible,
        failed
    );
    lines.push(format!(
        "sweep: {} variants: {} solved, {} infeasible, {} failed",
        records.len(),
        records.len() - failed - infeasible,
        infeasible,
        failed
    ));
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    for (name, c) in &groups {
        let mut values: Vec<f64> = records.iter().filter_map(|r| r[*c].parse().ok()).collect();
        if values.is_empty() {
            continue;
        }
        values.sort_by(f64::total_cmp);
        let stats = [
            values[0],
            quantile(&values, 0.1),
            quantile(&values, 0.5),
            quantile(&values, 0.9),
            values[values.len() - 1],
        ];
        lines.push(format!(
            "  {name:<8} min {} P10 {} median {} P90 {} max {}",
            pct(stats[0]),
            pct(stats[1]),
            pct(stats[2]),
            pct(stats[3]),
            pct(stats[4])
        ));
        let cells: Vec<String> = stats.iter().map(|&x| pct(x)).collect();
        md.push_str(&format!("| {name} | {} |\n", cells.join(" | ")));
    }
    let variant = col("variant").unwrap_or(0);
    let overall = col("coverage").unwrap_or(0);
    let axes: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("axis:") || *h == "dropped")
        .map(|(i, _)| i)
        .collect();
    let mut worst: Vec<&Record> = records
        .iter()
        .filter(|r| r[overall].parse::<f64>().is_ok())
        .collect();
    worst.sort_by(|a, b| {
        let x: f64 = a[overall].parse().unwrap_or(0.0);
        let y: f64 = b[overall].parse().unwrap_or(0.0);
        x.total_cmp(&y).then(a[variant].cmp(&b[variant]))
    });
    worst.truncate(5);
    if !worst.is_empty() {
        lines.push("  worst variants:".into());
        md.push_str(
            "\n### Worst variants\n\n| variant | coverage | values |\n| --- | ---: | --- |\n",
        );
    }
    for r in worst {
        let values: Vec<String> = axes
            .iter()
            .filter(|&&i| !r[i].is_empty())
            .map(|&i| format!("{}={}", header[i].trim_start_matches("axis:"), r[i]))
            .collect();
        let coverage = pct(r[overall].parse().unwrap_or(0.0));
        lines.push(format!(
            "    {} {} {}",
            r[variant],
            coverage,
            values.join(" ")
        ));
        md.push_str(&format!(
            "| {} | {} | {} |\n",
            r[variant],
            coverage,
            values.join(", ")
        ));
    }
    Summary {
        text: lines.join("\n"),
        markdown: md,
        failed,
    }
}
