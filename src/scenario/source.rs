//! Reading input files into raw rows: CSV tables and TOML inline tables alike become
//! [`RawTable`]s whose every field knows its location, so that later checks can name the file,
//! line, column, field and value of any problem.

use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::DeValue;

use super::diagnostic::{Diagnostic, Diagnostics, Location, suggest};
use super::limits::{MAX_FILE_BYTES, MAX_ROWS};

/// A text file held in memory, with a line index for turning byte offsets into locations.
pub(crate) struct Text {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl Text {
    /// Takes the file's bytes; a UTF-8 byte-order mark is dropped (it is no visible column).
    pub fn new(path: PathBuf, bytes: Vec<u8>) -> Result<Text, Box<Diagnostic>> {
        let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let text = match String::from_utf8(bytes) {
            Ok(mut text) => {
                text.drain(..bom);
                text
            }
            Err(err) => {
                let bytes = err.as_bytes();
                let bad = err.utf8_error().valid_up_to();
                let line = 1 + bytes[..bad].iter().filter(|&&b| b == b'\n').count();
                let line_start = bytes[..bad]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1);
                let column = String::from_utf8_lossy(&bytes[line_start..bad])
                    .chars()
                    .count()
                    + 1;
                return Err(Box::new(
                    Diagnostic::error(
                        Location::at(&path, line, Some(column)),
                        format!("the file is not valid UTF-8 (byte 0x{:02X})", bytes[bad]),
                    )
                    .hint("save the file as UTF-8"),
                ));
            }
        };
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Ok(Text {
            path,
            text,
            line_starts,
        })
    }

    /// The 1-based line and column (in characters) of a byte offset into `text`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }

    pub fn location(&self, offset: usize) -> Location {
        let (line, column) = self.line_col(offset);
        Location::at(&self.path, line, Some(column))
    }
}

/// Reads a whole file, reporting a missing or unreadable file (exit 66) or non-UTF-8 text.
/// `named_at` is where the scenario names the file, if it does: problems are reported there,
/// with the file's path in the message.
pub(crate) fn read_text(
    path: &Path,
    named_at: Option<(&Location, &str)>,
    diags: &mut Diagnostics,
) -> Option<Text> {
    let unreadable = |message: String| match named_at {
        Some((location, field)) => Diagnostic::unreadable(
            location.clone(),
            format!("cannot read `{}`: {message}", path.display()),
        )
        .field(field),
        None => Diagnostic::unreadable(Location::file(path), message),
    };
    if path.is_dir() {
        diags.push(unreadable("is a directory, not a file".into()));
        return None;
    }
    match read_capped(path) {
        Ok(None) => {
            let diagnostic = Diagnostic::error(
                Location::file(path),
                format!(
                    "the file is larger than the limit of {} MiB",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )
            .hint("split the scenario, or check that this is the file you meant");
            diags.push(match named_at {
                Some((location, field)) => Diagnostic {
                    location: location.clone(),
                    message: format!("`{}`: {}", path.display(), diagnostic.message),
                    ..diagnostic.field(field)
                },
                None => diagnostic,
            });
            None
        }
        Ok(Some(bytes)) => match Text::new(path.to_path_buf(), bytes) {
            Ok(text) => Some(text),
            Err(diagnostic) => {
                diags.push(*diagnostic);
                None
            }
        },
        Err(err) => {
            let message = match err.kind() {
                std::io::ErrorKind::NotFound => "file not found".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => format!("cannot read the file: {err}"),
            };
            diags.push(unreadable(message));
            None
        }
    }
}

/// The file's bytes, or `None` when it holds more than [`MAX_FILE_BYTES`] (read no
/// further, so that a huge or endless file cannot exhaust memory).
fn read_capped(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_FILE_BYTES).then_some(bytes))
}

/// Reports a table with more than [`MAX_ROWS`] rows, at its first row beyond the limit;
/// true when the table is over the limit (and reading should stop).
pub(crate) fn too_many_rows(
    count: usize,
    location: &Location,
    table: &str,
    diags: &mut Diagnostics,
) -> bool {
    if count < MAX_ROWS {
        return false;
    }
    diags.push(
        Diagnostic::error(
            location.clone(),
            format!("the `{table}` table has more than the limit of {MAX_ROWS} rows"),
        )
        .hint("split the scenario into smaller ones"),
    );
    true
}

/// A raw value as written: CSV cells are always text; TOML keeps its types.
#[derive(Clone, Debug)]
pub(crate) enum RawValue {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    List(Vec<RawItem>),
    /// Any other TOML type (table, datetime), by its type name.
    Other(&'static str),
}

impl RawValue {
    pub fn type_name(&self) -> &'static str {
        match self {
            RawValue::Text(_) => "string",
            RawValue::Integer(_) => "integer",
            RawValue::Float(_) => "float",
            RawValue::Bool(_) => "boolean",
            RawValue::List(_) => "array",
            RawValue::Other(name) => name,
        }
    }

    /// The value as the user wrote it, for messages.
    pub fn display(&self) -> String {
        match self {
            RawValue::Text(s) => s.clone(),
            RawValue::Integer(i) => i.to_string(),
            RawValue::Float(x) => x.to_string(),
            RawValue::Bool(b) => b.to_string(),
            RawValue::List(items) => {
                let inner: Vec<String> = items.iter().map(|i| i.value.display()).collect();
                format!("[{}]", inner.join(", "))
            }
            RawValue::Other(name) => format!("<{name}>"),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct RawItem {
    pub value: RawValue,
    pub location: Location,
}

/// One row of a table: a CSV record or one `[[table]]` entry of the TOML file.
#[derive(Clone, Debug)]
pub(crate) struct RawRow {
    pub location: Location,
    /// Known fields only, in column order; empty CSV cells are left out (default).
    pub fields: Vec<(&'static str, RawItem)>,
}

impl RawRow {
    pub fn get(&self, field: &str) -> Option<&RawItem> {
        self.fields
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, item)| item)
    }
}

/// The columns of one table kind.
pub(crate) struct Columns {
    pub table: &'static str,
    pub known: &'static [&'static str],
    pub required: &'static [&'static str],
    /// The columns that hold numbers (a workbook writes them as numeric cells).
    pub numbers: &'static [&'static str],
}

/// Rows of one table, wherever they came from.
pub(crate) struct RawTable {
    pub rows: Vec<RawRow>,
}

/// Converts a TOML value into a raw value, keeping locations of list items.
pub(crate) fn raw_from_toml(text: &Text, value: &Spanned<DeValue<'_>>) -> RawItem {
    let location = text.location(value.span().start);
    let raw = match value.get_ref() {
        DeValue::String(s) => RawValue::Text(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            let digits = digits
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b");
            match i64::from_str_radix(digits, i.radix()) {
                Ok(n) => RawValue::Integer(n),
                Err(_) => RawValue::Float(i.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
            }
        }
        DeValue::Float(x) => {
            let written = x.as_str().replace('_', "");
            RawValue::Float(written.parse().unwrap_or(f64::NAN))
        }
        DeValue::Boolean(b) => RawValue::Bool(*b),
        DeValue::Array(items) => {
            RawValue::List(items.iter().map(|item| raw_from_toml(text, item)).collect())
        }
        DeValue::Table(_) => RawValue::Other("table"),
        DeValue::Datetime(_) => RawValue::Other("datetime"),
    };
    RawItem {
        value: raw,
        location,
    }
}

/// Reads `[[table]]` entries of the TOML file as rows.
pub(crate) fn rows_from_toml(
    text: &Text,
    entries: &Spanned<DeValue<'_>>,
    columns: &Columns,
    diags: &mut Diagnostics,
) -> RawTable {
    let mut rows = Vec::new();
    let Some(array) = entries.get_ref().as_array() else {
        diags.push(
            Diagnostic::error(
                text.location(entries.span().start),
                format!("`{}` must be an array of tables", columns.table),
            )
            .hint(format!("write each row as [[{}]]", columns.table)),
        );
        return RawTable { rows };
    };
    if array.is_empty() {
        // As for a CSV file with a header and no rows.
        diags.push(
            Diagnostic::error(
                text.location(entries.span().start),
                format!("the `{}` table has no rows", columns.table),
            )
            .hint(format!("add at least one [[{}]] row", columns.table)),
        );
        return RawTable { rows };
    }
    for entry in array.iter() {
        let location = text.location(entry.span().start);
        if too_many_rows(rows.len(), &location, columns.table, diags) {
            break;
        }
        let Some(table) = entry.get_ref().as_table() else {
            diags.push(Diagnostic::error(
                location,
                format!("each entry of `{}` must be a table", columns.table),
            ));
            continue;
        };
        let mut fields = Vec::new();
        for (key, value) in table.iter() {
            let key_location = text.location(key.span().start);
            match columns.known.iter().find(|k| **k == key.get_ref().as_ref()) {
                Some(known) => fields.push((*known, raw_from_toml(text, value))),
                None => diags.push(
                    Diagnostic::error(
                        key_location,
                        format!("unknown field in `{}`", columns.table),
                    )
                    .field(key.get_ref().to_string())
                    .hint(suggest("fields", key.get_ref(), columns.known)),
                ),
            }
        }
        // Column order, so that checks run in a stable order whatever the TOML map does.
        fields.sort_by_key(|(name, _)| columns.known.iter().position(|k| k == name));
        for required in columns.required {
            if !fields.iter().any(|(name, _)| name == required) {
                diags.push(
                    Diagnostic::error(
                        location.clone(),
                        format!("missing required field in `{}`", columns.table),
                    )
                    .field(*required),
                );
            }
        }
        rows.push(RawRow { location, fields });
    }
    RawTable { rows }
}

/// Reads a CSV table. The header must name known columns only; empty cells are defaults.
pub(crate) fn rows_from_csv(text: &Text, columns: &Columns, diags: &mut Diagnostics) -> RawTable {
    let mut rows = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.text.as_bytes());
    let headers = match reader.byte_headers() {
        Ok(headers) => headers.clone(),
        Err(err) => {
            diags.push(csv_error(text, &err));
            return RawTable { rows };
        }
    };
    if headers.is_empty() || (headers.len() == 1 && headers[0].iter().all(u8::is_ascii_whitespace))
    {
        diags.push(
            Diagnostic::error(Location::at(&text.path, 1, None), "the table is empty").hint(
                format!(
                    "the first line must name the columns, e.g. `{}`",
                    columns.required.join(",")
                ),
            ),
        );
        return RawTable { rows };
    }
    // A `;`-separated file (what Excel writes where `,` is the decimal mark): one column
    // whose name holds the known ones. Said once, instead of an error on every row.
    if headers.len() == 1 {
        let name = String::from_utf8_lossy(&headers[0]).to_string();
        let parts: Vec<&str> = name.split(';').map(str::trim).collect();
        if parts.len() > 1 && parts.iter().any(|p| columns.known.contains(p)) {
            let (_, header_line) = header_position(&text.text);
            diags.push(
                Diagnostic::error(
                    Location::at(&text.path, header_line, Some(1)),
                    "the columns are separated by `;`, not `,`",
                )
                .hint(
                    "Excel writes `;` where `,` is the decimal mark: save as \"CSV UTF-8 (comma delimited)\", with `.` for decimals",
                ),
            );
            return RawTable { rows };
        }
    }
    if let Some(offset) = unclosed_quote(&text.text) {
        diags.push(
            Diagnostic::error(text.location(offset), "a quoted value is never closed")
                .hint("close it with `\"` (a quote inside a quoted value is written `\"\"`)"),
        );
        return RawTable { rows };
    }
    // The header is the first line that is not a comment (a starter scenario opens every
    // table with comment lines).
    let (header_start, header_line) = header_position(&text.text);
    let header_offsets = field_offsets(&text.text, header_start, headers.len());
    // Column i of the file maps to a known column, or to None when unknown or repeated.
    let mut mapping: Vec<Option<&'static str>> = Vec::with_capacity(headers.len());
    for (i, name) in headers.iter().enumerate() {
        let name = String::from_utf8_lossy(name).trim().to_string();
        let location = text.location(header_offsets[i]);
        match columns.known.iter().find(|k| **k == name) {
            Some(known) if mapping.contains(&Some(*known)) => {
                diags.push(
                    Diagnostic::error(location, "column named twice in the header").field(name),
                );
                mapping.push(None);
            }
            Some(known) => mapping.push(Some(*known)),
            None => {
                let diagnostic = if name.is_empty() {
                    Diagnostic::error(location, "empty column name in the header")
                } else {
                    Diagnostic::error(location, "unknown column").field(name.clone())
                };
                diags.push(diagnostic.hint(suggest("columns", &name, columns.known)));
                mapping.push(None);
            }
        }
    }
    for required in columns.required {
        if !mapping.contains(&Some(*required)) {
            diags.push(
                Diagnostic::error(
                    Location::at(&text.path, header_line, None),
                    "missing required column in the header",
                )
                .field(*required),
            );
        }
    }
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                diags.push(csv_error(text, &err));
                break;
            }
        }
        let position = record.position().expect("csv records carry positions");
        let start = position.byte() as usize;
        let line = position.line() as usize;
        let row_location = Location::at(&text.path, line, Some(1));
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank line
        }
        if too_many_rows(rows.len(), &row_location, columns.table, diags) {
            break;
        }
        if record.len() != headers.len() {
            diags.push(
                Diagnostic::error(
                    row_location.clone(),
                    format!(
                        "the row has {} fields but the header has {}",
                        record.len(),
                        headers.len()
                    ),
                )
                .hint("a value containing a comma must be quoted, e.g. \"a, b\""),
            );
        }
        let offsets = field_offsets(&text.text, start, record.len());
        let mut fields = Vec::new();
        for (i, cell) in record.iter().enumerate() {
            let Some(Some(column)) = mapping.get(i) else {
                continue;
            };
            let cell = String::from_utf8_lossy(cell).trim().to_string();
            if cell.is_empty() {
                continue;
            }
            fields.push((
                *column,
                RawItem {
                    value: RawValue::Text(cell),
                    location: text.location(offsets[i]),
                },
            ));
        }
        for required in columns.required {
            let declared = mapping.contains(&Some(*required));
            if declared && !fields.iter().any(|(name, _)| name == required) {
                let column = mapping.iter().position(|c| *c == Some(*required));
                let location = column
                    .and_then(|c| offsets.get(c))
                    .map_or(row_location.clone(), |&o| text.location(o));
                diags.push(Diagnostic::error(location, "required value is empty").field(*required));
            }
        }
        rows.push(RawRow {
            location: row_location,
            fields,
        });
    }
    if rows.is_empty() && !diags.has_errors() {
        diags.push(
            Diagnostic::error(Location::at(&text.path, 1, None), "the table has no rows")
                .hint(format!("add at least one {} row", columns.table)),
        );
    }
    RawTable { rows }
}

fn csv_error(text: &Text, err: &csv::Error) -> Diagnostic {
    let location = match err.position() {
        Some(position) => Location::at(&text.path, position.line() as usize, None),
        None => Location::at(&text.path, 1, None),
    };
    Diagnostic::error(location, format!("cannot read CSV: {err}"))
}

/// Where the header is: the byte offset and the line (from 1) of the first line that is
/// neither a comment (`#`) nor blank, as the CSV reader skips both.
fn header_position(text: &str) -> (usize, usize) {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        if !content.starts_with('#') && !content.is_empty() {
            return (offset, i + 1);
        }
        offset += line.len();
    }
    (0, 1)
}

/// The offset of a quote that opens a value and is never closed. The CSV reader would take
/// everything after it, later rows included, as one value and lose those rows silently.
/// As in the reader, a quote opens a value only at its start, `""` inside is a quote, and a
/// line starting with `#` is a comment.
fn unclosed_quote(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut field_start = true;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if line_start && b == b'#' {
            i = bytes[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(bytes.len(), |p| i + p + 1);
            continue;
        }
        line_start = false;
        match b {
            b'"' if field_start => {
                let open = i;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return Some(open),
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                    }
                }
                field_start = false;
            }
            b',' => field_start = true,
            b'\n' => {
                field_start = true;
                line_start = true;
            }
            b'\r' => {}
            _ => field_start = false,
        }
        i += 1;
    }
    None
}

/// Byte offsets of the first `count` fields of the CSV record starting at `start`
/// (quotes respected), so that a cell's column can be reported.
fn field_offsets(text: &str, start: usize, count: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut offsets = Vec::with_capacity(count);
    let mut i = start;
    let mut quoted = false;
    offsets.push(i);
    while i < bytes.len() && offsets.len() < count {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b',' if !quoted => offsets.push(i + 1),
            b'\n' if !quoted => break,
            _ => {}
        }
        i += 1;
    }
    // Skip the spaces before a cell's first character.
    for offset in offsets.iter_mut() {
        while *offset < bytes.len() && bytes[*offset] == b' ' {
            *offset += 1;
        }
    }
    while offsets.len() < count {
        offsets.push(i);
    }
    offsets
}
