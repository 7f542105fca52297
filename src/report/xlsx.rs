//! Results and tables as workbooks, written with rust_xlsxwriter: a bold, frozen header
//! row, numbers as numeric cells (shares with a percent format), columns fitted to their
//! contents and an autofilter on every sheet.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::document::ResultDoc;
use super::tables::{Table, readable, tables};

/// One sheet to write: its name, header and rows of cells.
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<SheetCell>>,
}

/// A cell of a sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum SheetCell {
    Empty,
    Text(String),
    Number(f64),
    /// A share, shown as a percentage.
    Share(f64),
}

impl Sheet {
    /// A result table as a sheet: a cell shown as a percentage is a share, one whose value
    /// is a number a number, the rest text.
    pub fn of_table(table: &Table) -> Sheet {
        let rows = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| {
                        if cell.raw.is_empty() {
                            return SheetCell::Empty;
                        }
                        match cell.raw.parse::<f64>() {
                            Ok(x) if x.is_finite() && cell.shown.ends_with('%') => {
                                SheetCell::Share(x)
                            }
                            Ok(x) if x.is_finite() => SheetCell::Number(x),
                            _ => SheetCell::Text(cell.raw.clone()),
                        }
                    })
                    .collect()
            })
            .collect();
        Sheet {
            name: table.name.to_string(),
            headers: table.headers.clone(),
            rows,
        }
    }
}

/// The workbook of `sheets`, as bytes.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        // A fixed creation time: the same result gives the same bytes, run after run.
        let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let bold = Format::new().set_bold();
        let share = Format::new().set_num_format("0.0%");
        for sheet in sheets {
            let ws = book.add_worksheet();
            ws.set_name(&sheet.name)?;
            write_sheet(ws, sheet, &bold, &share)?;
        }
        book.save_to_buffer()
    };
    build().map_err(|e| format!("cannot write the workbook: {e}"))
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    bold: &Format,
    share: &Format,
) -> Result<(), XlsxError> {
    for (c, header) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, header, bold)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                SheetCell::Empty => {}
                SheetCell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                SheetCell::Number(x) => {
                    ws.write_number(r, c, *x)?;
                }
                SheetCell::Share(x) => {
                    ws.write_number_with_format(r, c, *x, share)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !sheet.headers.is_empty() {
        ws.autofilter(
            0,
            0,
            sheet.rows.len() as u32,
            sheet.headers.len() as u16 - 1,
        )?;
    }
    ws.autofit();
    Ok(())
}

/// `result.xlsx`: a summary sheet (scenario, status, coverage overall and by priority,
/// solver), then every table of the result, as in the CSV files.
pub fn result_workbook(doc: &ResultDoc) -> Result<Vec<u8>, String> {
    let mut summary = vec![
        vec![
            SheetCell::Text("scenario".into()),
            SheetCell::Text(doc.scenario.name.clone()),
        ],
        vec![
            SheetCell::Text("status".into()),
            SheetCell::Text(doc.status.clone()),
        ],
        vec![
            SheetCell::Text("solver".into()),
            SheetCell::Text(format!(
                "{}, {}",
                doc.solver.backend,
                if doc.solver.integer {
                    "whole units"
                } else {
                    "LP relaxation"
                }
            )),
        ],
    ];
    if let Some(coverage) = &doc.coverage {
        let mut push = |what: String, x: Option<f64>| {
            if let Some(x) = x {
                summary.push(vec![SheetCell::Text(what), SheetCell::Share(x)]);
            }
        };
        push("overall coverage".into(), coverage.overall.as_f64());
        for (level, x) in &coverage.by_priority {
            push(format!("priority {level} coverage"), x.as_f64());
        }
        for (domain, x) in &coverage.by_domain {
            push(format!("{domain} coverage"), x.as_f64());
        }
    }
    for s in &doc.stages {
        summary.push(vec![
            SheetCell::Text(format!("stage {}", s.name)),
            SheetCell::Text(format!(
                "{} ({}): {}",
                s.value.as_f64().map_or_else(String::new, readable),
                s.status,
                s.meaning
            )),
        ]);
    }
    let mut sheets = vec![Sheet {
        name: "summary".into(),
        headers: vec!["item".into(), "value".into()],
        rows: summary,
    }];
    sheets.extend(tables(doc).iter().map(Sheet::of_table));
    workbook(&sheets)
}
