//! A scenario from one form into the other: its tables as CSV files or as the sheets of one
//! workbook, beside a scenario TOML that names them. The rows are written as they were read
//! (the same columns and values), so that both forms load to the same scenario.

use std::path::Path;

use crate::report::xlsx::{Sheet, SheetCell, workbook};
use crate::scenario::{
    Columns, LoadError, MEMBER_COLUMNS, OFFER_COLUMNS, REQUIREMENT_COLUMNS, RawTable, RawValue,
    SUBSTITUTION_COLUMNS, TableSet, raw_tables,
};

/// The form to convert to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// One CSV file per table.
    Csv,
    /// One workbook, `scenario.xlsx`, with a sheet per table.
    Xlsx,
}

/// The name of the workbook a conversion to [`Form::Xlsx`] writes.
pub const WORKBOOK: &str = "scenario.xlsx";

/// Why a conversion failed.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{0}")]
    Write(String),
}

/// The columns a table's rows use, in the table's column order.
fn used_columns(table: &RawTable, known: &[&'static str]) -> Vec<&'static str> {
    known
        .iter()
        .copied()
        .filter(|c| table.rows.iter().any(|r| r.get(c).is_some()))
        .collect()
}

/// A raw value as CSV text: numbers as written, lists joined with `;`.
fn text_of(value: &RawValue) -> String {
    match value {
        RawValue::Text(s) => s.clone(),
        RawValue::Integer(i) => i.to_string(),
        RawValue::Float(x) => x.to_string(),
        RawValue::Bool(b) => b.to_string(),
        RawValue::List(items) => items
            .iter()
            .map(|i| text_of(&i.value))
            .collect::<Vec<_>>()
            .join(";"),
        RawValue::Other(name) => format!("<{name}>"),
    }
}

/// A raw value as a cell: numbers (and text that is a number in a number column) as
/// numbers, the rest as text.
fn cell_of(value: &RawValue, numeric: bool) -> SheetCell {
    match value {
        RawValue::Integer(i) => SheetCell::Number(*i as f64),
        RawValue::Float(x) => SheetCell::Number(*x),
        RawValue::Text(s) if numeric => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => SheetCell::Number(x),
            _ => SheetCell::Text(s.clone()),
        },
        other => SheetCell::Text(text_of(other)),
    }
}

/// The tables of a scenario with their columns, in the order of the format.
fn named_tables(tables: &TableSet) -> Vec<(&'static Columns, &RawTable, Vec<&'static str>)> {
    let mut out = Vec::new();
    for (columns, table) in [
        (&MEMBER_COLUMNS, &tables.members),
        (&OFFER_COLUMNS, &tables.offers),
        (&REQUIREMENT_COLUMNS, &tables.requirements),
        (&SUBSTITUTION_COLUMNS, &tables.substitutions),
    ] {
        if let Some(table) = table {
            out.push((columns, table, used_columns(table, columns.known)));
        }
    }
    out
}

/// The scenario TOML with its tables named in `[tables]` as `entries` (and any inline
/// table or earlier `[tables]` section left out); comments are not kept.
fn scenario_toml(text: &str, entries: &[(&str, String)]) -> Result<String, ConvertError> {
    let mut document: toml::Table = toml::from_str(text)
        .map_err(|e| ConvertError::Write(format!("cannot re-read the scenario TOML: {e}")))?;
    // The tables are named anew: no earlier [tables], no inline table.
    document.remove("tables");
    for columns in [
        &MEMBER_COLUMNS,
        &OFFER_COLUMNS,
        &REQUIREMENT_COLUMNS,
        &SUBSTITUTION_COLUMNS,
    ] {
        document.remove(columns.table);
    }
    let mut tables = toml::Table::new();
    for (key, value) in entries {
        tables.insert((*key).to_string(), toml::Value::String(value.clone()));
    }
    document.insert("tables".into(), toml::Value::Table(tables));
    // Section by section, in the order of the format (a table alone sorts its keys).
    let order = [
        "scenario",
        "phase",
        "tables",
        "objective",
        "solver",
        "checks",
    ];
    let mut keys: Vec<String> = document.keys().cloned().collect();
    keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(order.len()));
    let mut out = String::new();
    for key in keys {
        let mut one = toml::Table::new();
        one.insert(key.clone(), document[&key].clone());
        let text = toml::to_string(&one)
            .map_err(|e| ConvertError::Write(format!("cannot write the scenario TOML: {e}")))?;
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&text);
    }
    Ok(out)
}

/// The files of the scenario at `path` in `form`: `scenario.toml` and the tables.
pub fn convert(path: &Path, form: Form) -> Result<Vec<(String, Vec<u8>)>, ConvertError> {
    let (_, text, tables) = raw_tables(path)?;
    let tables = named_tables(&tables);
    let mut files = Vec::new();
    let entries: Vec<(&str, String)> = match form {
        Form::Csv => {
            for (spec, table, columns) in &tables {
                let name = spec.table;
                let mut writer = csv::Writer::from_writer(Vec::new());
                let write = |w: &mut csv::Writer<Vec<u8>>, record: Vec<String>| {
                    w.write_record(record)
                        .map_err(|e| ConvertError::Write(format!("cannot write {name}.csv: {e}")))
                };
                write(&mut writer, columns.iter().map(|c| c.to_string()).collect())?;
                for row in &table.rows {
                    let record = columns
                        .iter()
                        .map(|c| row.get(c).map(|i| text_of(&i.value)).unwrap_or_default())
                        .collect();
                    write(&mut writer, record)?;
                }
                let bytes = writer
                    .into_inner()
                    .map_err(|e| ConvertError::Write(format!("cannot write {name}.csv: {e}")))?;
                files.push((format!("{name}.csv"), bytes));
            }
            tables
                .iter()
                .map(|(spec, _, _)| (spec.table, format!("{}.csv", spec.table)))
                .collect()
        }
        Form::Xlsx => {
            let sheets: Vec<Sheet> = tables
                .iter()
                .map(|(spec, table, columns)| Sheet {
                    name: spec.table.to_string(),
                    headers: columns.iter().map(|c| c.to_string()).collect(),
                    rows: table
                        .rows
                        .iter()
                        .map(|row| {
                            columns
                                .iter()
                                .map(|c| {
                                    row.get(c).map_or(SheetCell::Empty, |i| {
                                        cell_of(&i.value, spec.numbers.contains(c))
                                    })
                                })
                                .collect()
                        })
                        .collect(),
                })
                .collect();
            files.push((
                WORKBOOK.to_string(),
                workbook(&sheets).map_err(ConvertError::Write)?,
            ));
            vec![("workbook", WORKBOOK.to_string())]
        }
    };
    files.insert(
        0,
        (
            "scenario.toml".to_string(),
            scenario_toml(&text, &entries)?.into_bytes(),
        ),
    );
    Ok(files)
}
