//! Tables from spreadsheet workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`), read with calamine:
//! one sheet per table, the header in its first row, the same columns and rules as a CSV
//! file. Numbers may be numeric or text cells, an empty cell is the default, a formula cell
//! gives the value the spreadsheet saved with it. Every problem is located by workbook,
//! sheet and cell.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Sheets, open_workbook_auto};

use super::diagnostic::{Diagnostic, Diagnostics, Location, suggest};
use super::source::{Columns, RawItem, RawRow, RawTable, RawValue};

/// The extensions read as workbooks.
pub(crate) const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// The error values of spreadsheet formulas.
const ERROR_VALUES: [&str; 7] = [
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!",
];

/// Whether `path` names a workbook (by its extension).
pub(crate) fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// An open workbook and what is known of its sheets.
pub(crate) struct Workbook {
    path: PathBuf,
    sheets: Sheets<BufReader<File>>,
    names: Vec<String>,
}

/// The workbooks a scenario names, each opened once.
#[derive(Default)]
pub(crate) struct Workbooks {
    open: HashMap<PathBuf, Option<Workbook>>,
}

impl Workbooks {
    /// The workbook at `path`, opened on first use; `None` (reported once) when it cannot be.
    pub fn get(
        &mut self,
        path: &Path,
        named_at: Option<(&Location, &str)>,
        diags: &mut Diagnostics,
    ) -> Option<&mut Workbook> {
        self.open
            .entry(path.to_path_buf())
            .or_insert_with(|| open(path, named_at, diags))
            .as_mut()
    }
}

fn open(
    path: &Path,
    named_at: Option<(&Location, &str)>,
    diags: &mut Diagnostics,
) -> Option<Workbook> {
    let problem = |message: String, unreadable: bool| {
        let at = named_at.map_or_else(|| Location::file(path), |(l, _)| l.clone());
        let message = match named_at {
            Some(_) => format!("cannot read `{}`: {message}", path.display()),
            None => message,
        };
        let d = if unreadable {
            Diagnostic::unreadable(at, message)
        } else {
            Diagnostic::error(at, message)
        };
        match named_at {
            Some((_, field)) => d.field(field),
            None => d,
        }
    };
    if path.is_dir() {
        diags.push(problem("is a directory, not a workbook".into(), true));
        return None;
    }
    if !path.exists() {
        diags.push(problem("file not found".into(), true));
        return None;
    }
    match open_workbook_auto(path) {
        Ok(sheets) => {
            let names = sheets.sheet_names();
            Some(Workbook {
                path: path.to_path_buf(),
                sheets,
                names,
            })
        }
        Err(err) => {
            diags.push(
                problem(format!("not a workbook forcegen can read: {err}"), false)
                    .hint("save it as .xlsx (Excel) or .ods, or export the sheet as CSV"),
            );
            None
        }
    }
}

/// The spreadsheet name of a column, from 0: A, B, ..., Z, AA, ...
pub(crate) fn column_name(mut col: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// Where a cell is: row and column from 0, as a location `FILE: sheet S, cell E5`.
fn cell(path: &Path, sheet: &str, row: u32, col: u32) -> Location {
    Location {
        file: path.to_path_buf(),
        line: Some(row as usize + 1),
        column: Some(col as usize + 1),
        sheet: Some(sheet.to_string()),
    }
}

/// The rows of `sheet` of `book` as a table of `columns`. `optional`: a missing sheet is no
/// table, not an error (the substitutions of a `[tables] workbook`).
pub(crate) fn rows_from_sheet(
    book: &mut Workbook,
    sheet: &str,
    columns: &Columns,
    named_at: Option<(&Location, &str)>,
    optional: bool,
    diags: &mut Diagnostics,
) -> Option<RawTable> {
    let path = book.path.clone();
    let mut rows = Vec::new();
    if !book.names.iter().any(|n| n == sheet) {
        if optional {
            return None;
        }
        let at = named_at.map_or_else(|| Location::file(&path), |(l, _)| l.clone());
        let names: Vec<&str> = book.names.iter().map(String::as_str).collect();
        let mut d = Diagnostic::error(at, format!("`{}` has no sheet `{sheet}`", path.display()))
            .hint(suggest("sheets", sheet, &names));
        if let Some((_, field)) = named_at {
            d = d.field(field);
        }
        diags.push(d);
        return Some(RawTable { rows });
    }
    let range = match book.sheets.worksheet_range(sheet) {
        Ok(range) => range,
        Err(err) => {
            diags.push(Diagnostic::error(
                Location {
                    sheet: Some(sheet.to_string()),
                    ..Location::file(&path)
                },
                format!("cannot read the sheet: {err}"),
            ));
            return Some(RawTable { rows });
        }
    };
    let Some((top, left)) = range.start().filter(|_| !range.is_empty()) else {
        diags.push(
            Diagnostic::error(
                Location {
                    sheet: Some(sheet.to_string()),
                    ..Location::file(&path)
                },
                "the sheet is empty",
            )
            .hint(format!(
                "its first row must name the columns, e.g. {}",
                columns.required.join(", ")
            )),
        );
        return Some(RawTable { rows });
    };
    // A merged cell in the header hides a column name.
    if let Sheets::Xlsx(xlsx) = &mut book.sheets
        && xlsx.load_merged_regions().is_ok()
    {
        for (_, _, region) in xlsx.merged_regions_by_sheet(sheet) {
            if region.start.0 <= top && top <= region.end.0 {
                diags.push(
                    Diagnostic::error(
                        cell(&path, sheet, region.start.0, region.start.1),
                        format!(
                            "a merged cell in the header ({}{}:{}{})",
                            column_name(region.start.1),
                            region.start.0 + 1,
                            column_name(region.end.1),
                            region.end.0 + 1
                        ),
                    )
                    .hint("unmerge it: every column needs its own name in the first row"),
                );
                return Some(RawTable { rows });
            }
        }
    }
    let width = range.width();
    // Column i of the sheet maps to a known column, or to None when empty, unknown or
    // repeated.
    let mut mapping: Vec<Option<&'static str>> = Vec::with_capacity(width);
    for i in 0..width {
        let at = cell(&path, sheet, top, left + i as u32);
        let name = match range.get((0, i)) {
            Some(Data::String(s)) => s.trim().to_string(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        };
        if name.is_empty() {
            // Empty header cells are fine where the column holds nothing (checked below).
            mapping.push(None);
            continue;
        }
        match columns.known.iter().find(|k| **k == name) {
            Some(known) if mapping.contains(&Some(*known)) => {
                diags.push(Diagnostic::error(at, "column named twice in the header").field(name));
                mapping.push(None);
            }
            Some(known) => mapping.push(Some(*known)),
            None => {
                diags.push(
                    Diagnostic::error(at, "unknown column")
                        .field(name.clone())
                        .hint(suggest("columns", &name, columns.known)),
                );
                mapping.push(None);
            }
        }
    }
    for required in columns.required {
        if !mapping.contains(&Some(*required)) {
            diags.push(
                Diagnostic::error(
                    Location {
                        sheet: Some(sheet.to_string()),
                        line: Some(top as usize + 1),
                        ..Location::file(&path)
                    },
                    "missing required column in the header",
                )
                .field(*required),
            );
        }
    }
    for r in 1..range.height() {
        let row = top + r as u32;
        let mut fields = Vec::new();
        let mut blank = true;
        for (i, column) in mapping.iter().enumerate() {
            let at = cell(&path, sheet, row, left + i as u32);
            let value = match range.get((r, i)) {
                None | Some(Data::Empty) => continue,
                Some(Data::String(s)) if s.trim().is_empty() => continue,
                // An error value saved as text (as some writers do).
                Some(Data::String(s)) if ERROR_VALUES.contains(&s.trim()) => {
                    blank = false;
                    diags.push(
                        Diagnostic::error(at, format!("the cell holds the error {}", s.trim()))
                            .field(column.unwrap_or("?").to_string())
                            .hint(
                                "fix the formula: forcegen reads the value the spreadsheet saved",
                            ),
                    );
                    continue;
                }
                Some(Data::String(s)) => RawValue::Text(s.clone()),
                Some(Data::Int(n)) => RawValue::Integer(*n),
                // Spreadsheets store every number as a float: a whole one reads as an
                // integer, so that an id or a count written 12 reads as "12".
                Some(Data::Float(x)) if x.fract() == 0.0 && x.abs() < 9.0e15 => {
                    RawValue::Integer(*x as i64)
                }
                Some(Data::Float(x)) => RawValue::Float(*x),
                Some(Data::Bool(b)) => RawValue::Bool(*b),
                Some(Data::Error(e)) => {
                    blank = false;
                    diags.push(
                        Diagnostic::error(at, format!("the cell holds the error {e}"))
                            .field(column.unwrap_or("?").to_string())
                            .hint(
                                "fix the formula: forcegen reads the value the spreadsheet saved",
                            ),
                    );
                    continue;
                }
                Some(other) => {
                    blank = false;
                    diags.push(
                        Diagnostic::error(at, "a date or a time, not a number or text")
                            .field(column.unwrap_or("?").to_string())
                            .value(other.to_string())
                            .hint("format the cell as a number or as text"),
                    );
                    continue;
                }
            };
            blank = false;
            match column {
                Some(name) => fields.push((
                    *name,
                    RawItem {
                        value,
                        location: at,
                    },
                )),
                None if matches!(range.get((0, i)), None | Some(Data::Empty)) => {
                    diags.push(
                        Diagnostic::error(at, "a value in a column without a name")
                            .value(value.display())
                            .hint("name the column in the first row, or clear the cell"),
                    );
                }
                // An unknown or repeated column is reported at its header.
                None => {}
            }
        }
        if !blank {
            if super::source::too_many_rows(
                rows.len(),
                &cell(&path, sheet, row, left),
                columns.table,
                diags,
            ) {
                break;
            }
            rows.push(RawRow {
                location: cell(&path, sheet, row, left),
                fields,
            });
        }
    }
    Some(RawTable { rows })
}

#[cfg(test)]
mod tests {
    use super::column_name;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(4), "E");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
