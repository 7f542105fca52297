//! The coverage checks of `forcegen check` as a document, and its renderings: JSON, CSV
//! (one row per check), a PASS/FAIL list, or a markdown table for CI job summaries.

use serde::Serialize;

use super::Format;

/// One threshold and how the plan fares against it.
#[derive(Clone, Debug, Serialize)]
pub struct CheckResult {
    pub check: String,
    pub threshold: f64,
    pub coverage: f64,
    pub passed: bool,
}

/// Every check of one scenario's plan.
#[derive(Clone, Debug, Serialize)]
pub struct CheckDoc {
    pub scenario: String,
    pub status: String,
    pub passed: bool,
    pub checks: Vec<CheckResult>,
}

/// The checks in `format`.
pub fn render(doc: &CheckDoc, format: Format) -> Vec<u8> {
    let results = &doc.checks;
    match format {
        Format::Json => {
            let mut bytes = serde_json::to_vec_pretty(doc).expect("check results serialise");
            bytes.push(b'\n');
            bytes
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for r in results {
                w.serialize(r).expect("writing to memory cannot fail");
            }
            w.into_inner().expect("writing to memory cannot fail")
        }
        format => {
            let markdown = format == Format::Markdown;
            let mut out = String::new();
            if markdown {
                out.push_str(&format!("## Coverage checks: {}\n\n| result | check | coverage | threshold |\n| --- | --- | ---: | ---: |\n", doc.scenario));
            }
            for r in results {
                let verdict = if r.passed { "PASS" } else { "FAIL" };
                let line = if markdown {
                    format!(
                        "| {verdict} | {} | {:.1}% | {:.1}% |\n",
                        r.check,
                        r.coverage * 100.0,
                        r.threshold * 100.0
                    )
                } else {
                    let op = if r.passed { ">=" } else { "<" };
                    format!(
                        "{verdict} {}: {:.1}% {op} {:.1}%\n",
                        r.check,
                        r.coverage * 100.0,
                        r.threshold * 100.0
                    )
                };
                out.push_str(&line);
            }
            let failed = results.iter().filter(|r| !r.passed).count();
            if markdown {
                out.push('\n');
            }
            out.push_str(&if failed == 0 {
                format!("all {} checks passed\n", results.len())
            } else {
                format!("{failed} of {} checks failed\n", results.len())
            });
            out.into_bytes()
        }
    }
}
