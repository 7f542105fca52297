//! The renderings of a result document and of named tables: JSON, CSV (one table, or all
//! as sections), the terminal tables and markdown, each as bytes.

use crate::num::Num;
use crate::report::document::ResultDoc;
use crate::report::tables::{Cell, Table, TableName, tables};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement};

/// Output formats of commands that print results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

/// The JSON result, pretty-printed, with a final newline.
pub fn json(doc: &ResultDoc) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(doc).expect("a result document always serialises");
    bytes.push(b'\n');
    bytes
}

/// One table as CSV, headers first.
pub fn csv(table: &Table) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(&table.headers)
        .expect("writing to memory cannot fail");
    for row in &table.rows {
        writer
            .write_record(row.iter().map(|c| c.raw.as_str()))
            .expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("writing to memory cannot fail")
}

/// Several tables as CSV, each after a `# name` line and separated by a blank line.
pub fn csv_sections(tables: &[Table]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(format!("# {}\n", table.name).as_bytes());
        out.extend(csv(table));
    }
    out
}

fn is_numeric(cell: &Cell) -> bool {
    !cell.shown.is_empty() && cell.raw.parse::<f64>().is_ok()
}

/// Tables for a terminal, each under its title.
pub fn text(heading: &str, tables: &[Table]) -> Vec<u8> {
    let mut out = format!("{heading}\n");
    for table in tables {
        out.push('\n');
        out.push_str(table.title);
        out.push('\n');
        if table.rows.is_empty() {
            out.push_str("  (none)\n");
            continue;
        }
        let mut t = comfy_table::Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(&table.headers);
        for row in &table.rows {
            t.add_row(row.iter().map(|c| {
                let cell = comfy_table::Cell::new(&c.shown);
                if is_numeric(c) || c.shown.ends_with('%') {
                    cell.set_alignment(CellAlignment::Right)
                } else {
                    cell
                }
            }));
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out.into_bytes()
}

fn escape_markdown(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Tables as GitHub-flavoured markdown (fit for a CI job summary).
pub fn markdown(heading: &str, tables: &[Table]) -> Vec<u8> {
    let mut out = format!("## {}\n", escape_markdown(heading));
    for table in tables {
        out.push_str(&format!("\n### {}\n\n", table.title));
        if table.rows.is_empty() {
            out.push_str("_None._\n");
            continue;
        }
        let headers: Vec<String> = table.headers.iter().map(|h| escape_markdown(h)).collect();
        out.push_str(&format!("| {} |\n", headers.join(" | ")));
        let align: Vec<&str> = (0..table.headers.len())
            .map(|i| {
                let numeric = table.rows.iter().all(|r| {
                    r[i].shown.is_empty() || is_numeric(&r[i]) || r[i].shown.ends_with('%')
                });
                if numeric { "---:" } else { "---" }
            })
            .collect();
        out.push_str(&format!("| {} |\n", align.join(" | ")));
        for row in &table.rows {
            let cells: Vec<String> = row.iter().map(|c| escape_markdown(&c.shown)).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    out.into_bytes()
}

/// The one-line heading of a result: scenario, status and overall coverage.
pub fn heading(doc: &ResultDoc) -> String {
    match &doc.coverage {
        Some(c) => {
            let percent = |v: &Num| {
                v.as_f64()
                    .map_or_else(String::new, |x| format!("{:.1}%", x * 100.0))
            };
            let units = match &doc.relaxation {
                Some(r) => format!(
                    " in whole units ({} if units could be split)",
                    percent(&r.overall)
                ),
                None if doc.solver.integer => " in whole units".to_string(),
                None => " (LP relaxation: fractions of units allowed)".to_string(),
            };
            format!(
                "{}: {}, overall coverage {}{units}",
                doc.scenario.name,
                doc.status,
                percent(&c.overall)
            )
        }
        None => format!("{}: {}", doc.scenario.name, doc.status),
    }
}

/// Renders a document in `format`; `only` keeps the named tables (all when empty).
pub fn render(doc: &ResultDoc, format: Format, only: &[TableName]) -> Vec<u8> {
    if format == Format::Json {
        return json(doc);
    }
    let mut all = tables(doc);
    if !only.is_empty() {
        all.retain(|t| only.iter().any(|n| n.name() == t.name));
    }
    match format {
        Format::Json => unreachable!("handled above"),
        Format::Csv if all.len() == 1 => csv(&all[0]),
        Format::Csv => csv_sections(&all),
        Format::Markdown => markdown(&heading(doc), &all),
        Format::Table => text(&heading(doc), &all),
    }
}
