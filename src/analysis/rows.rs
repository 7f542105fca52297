//! Sweep rows as flat records: one header, one value per column, written as CSV or JSON
//! lines and read back (for `--resume` and `merge`) by the same code.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::sweep::{Row, Sweep};
use crate::num::{Named, round9};

/// Row file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    /// `.jsonl` / `.ndjson` files are JSON lines, anything else CSV.
    pub fn of_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl" | "ndjson") => Format::Jsonl,
            _ => Format::Csv,
        }
    }
}

/// A row as (column, value) strings, in header order; empty means none.
pub type Record = Vec<String>;

/// The columns of a sweep's rows.
pub fn header(sweep: &Sweep) -> Vec<String> {
    let mut h: Vec<String> = ["sweep", "variants", "variant", "sample"]
        .iter()
        .map(ToString::to_string)
        .collect();
    h.extend(sweep.axes.iter().map(|a| format!("axis:{}", a.name)));
    h.extend(
        ["dropped", "status", "coverage"]
            .iter()
            .map(ToString::to_string),
    );
    h.extend(sweep.base.domains.iter().map(|d| format!("domain:{d}")));
    h.extend(sweep.base.phases.iter().map(|p| format!("phase:{}", p.id)));
    h.extend(
        [
            "troops",
            "cost",
            "first_stage",
            "first_stage_value",
            "error",
        ]
        .iter()
        .map(ToString::to_string),
    );
    h
}

fn number(x: Option<f64>) -> String {
    x.map(|x| round9(x).to_string()).unwrap_or_default()
}

/// The record of a row, matching [`header`].
pub fn record(sweep: &Sweep, row: &Row) -> Record {
    let mut r = vec![
        sweep.fingerprint.clone(),
        sweep.variants.len().to_string(),
        row.variant.clone(),
        row.sample.map(|s| s.to_string()).unwrap_or_default(),
    ];
    r.extend(row.axes.iter().cloned());
    r.push(row.dropped.join("+"));
    r.push(row.status.name().to_string());
    r.push(number(row.coverage));
    r.extend(row.by_domain.iter().map(|&c| number(c)));
    r.extend(row.by_phase.iter().map(|&c| number(c)));
    r.push(number(row.troops));
    r.push(number(row.cost));
    r.push(
        row.first_stage
            .as_ref()
            .map(|s| s.0.clone())
            .unwrap_or_default(),
    );
    r.push(number(row.first_stage.as_ref().map(|s| s.1)));
    r.push(row.error.clone().unwrap_or_default());
    r
}

/// A field of a JSON line: empty (`null`), a number, or text.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum Field {
    Empty,
    Number(serde_json::Number),
    Text(String),
}

impl Field {
    /// The field as a record holds it: empty for `null`, a number as JSON writes it.
    fn into_text(self) -> String {
        match self {
            Field::Empty => String::new(),
            Field::Number(n) => n.to_string(),
            Field::Text(s) => s,
        }
    }
}

/// Columns holding numbers (written as JSON numbers in JSON lines).
fn is_numeric(column: &str) -> bool {
    matches!(
        column,
        "variants" | "sample" | "coverage" | "troops" | "cost" | "first_stage_value"
    ) || column.starts_with("domain:")
        || column.starts_with("phase:")
}

/// One line of output (with its newline) for a record.
pub fn line(format: Format, header: &[String], record: &Record) -> Vec<u8> {
    match format {
        Format::Csv => {
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            w.write_record(record)
                .expect("writing to memory cannot fail");
            w.into_inner().expect("writing to memory cannot fail")
        }
        Format::Jsonl => {
            let object: Named<Field> = header
                .iter()
                .zip(record)
                .map(|(k, v)| {
                    let value = if v.is_empty() {
                        Field::Empty
                    } else if is_numeric(k) {
                        v.parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                            .map_or_else(|| Field::Text(v.clone()), Field::Number)
                    } else {
                        Field::Text(v.clone())
                    };
                    (k.clone(), value)
                })
                .collect();
            let mut bytes = serde_json::to_vec(&object).expect("a record serialises");
            bytes.push(b'\n');
            bytes
        }
    }
}

/// The header line of a CSV file (JSON lines carry their keys on every line).
pub fn header_line(format: Format, header: &[String]) -> Vec<u8> {
    match format {
        Format::Csv => line(Format::Csv, header, &header.to_vec()),
        Format::Jsonl => Vec::new(),
    }
}

/// Rows read back from a file.
#[derive(Debug, Default)]
pub struct RowFile {
    pub header: Vec<String>,
    pub records: Vec<Record>,
    /// Bytes of complete lines; anything after (a line cut by an interruption) is not a row.
    pub complete_len: u64,
}

impl RowFile {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// Reads a row file. Errors name the file and line.
pub fn read(path: &Path, format: Format) -> Result<RowFile, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let complete_len = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let text = std::str::from_utf8(&bytes[..complete_len])
        .map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
    let mut file = RowFile {
        complete_len: complete_len as u64,
        ..RowFile::default()
    };
    match format {
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
            file.header = reader
                .headers()
                .map_err(|e| format!("{}: {e}", path.display()))?
                .iter()
                .map(ToString::to_string)
                .collect();
            for (i, record) in reader.records().enumerate() {
                let record = record.map_err(|e| format!("{}:{}: {e}", path.display(), i + 2))?;
                if record.len() != file.header.len() {
                    return Err(format!(
                        "{}:{}: {} fields, the header has {}",
                        path.display(),
                        i + 2,
                        record.len(),
                        file.header.len()
                    ));
                }
                file.records
                    .push(record.iter().map(ToString::to_string).collect());
            }
        }
        Format::Jsonl => {
            for (i, text_line) in text.lines().enumerate() {
                if text_line.trim().is_empty() {
                    continue;
                }
                let object: Named<Field> = serde_json::from_str(text_line)
                    .map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
                let keys: Vec<String> = object.keys().cloned().collect();
                if file.header.is_empty() {
                    file.header = keys;
                } else if keys != file.header {
                    return Err(format!(
                        "{}:{}: the keys differ from the first line's",
                        path.display(),
                        i + 1
                    ));
                }
                file.records
                    .push(object.into_values().map(Field::into_text).collect());
            }
        }
    }
    Ok(file)
}

/// Appends bytes to a file and flushes them, so that an interrupted sweep leaves whole rows.
pub fn append(file: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    file.write_all(bytes)?;
    file.flush()
}
