//! Problems found in scenario input, as data: where, which field, which value, and a hint.
//!
//! Every loader and validator pushes into one [`Diagnostics`] list so that all problems are
//! reported together, before any solve.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the input a problem sits: a file and, where known, a 1-based line and column;
/// in a workbook, the sheet, and the row and column of the cell.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file; for a value given in code, its field path.
    pub file: PathBuf,
    /// 1-based line (in a workbook, the row).
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// The sheet, in a workbook.
    pub sheet: Option<String>,
}

impl Location {
    /// A whole file.
    pub fn file(file: &Path) -> Self {
        Location {
            file: file.to_path_buf(),
            line: None,
            column: None,
            sheet: None,
        }
    }

    /// The location of a value given in code: its field path (`offers[3].units`), shown
    /// in place of a file.
    pub fn path(path: &str) -> Self {
        Location {
            file: PathBuf::from(path),
            line: None,
            column: None,
            sheet: None,
        }
    }

    /// A line (and column) of `file`.
    pub fn at(file: &Path, line: usize, column: Option<usize>) -> Self {
        Location {
            file: file.to_path_buf(),
            line: Some(line),
            column,
            sheet: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(sheet) = &self.sheet {
            write!(f, ": sheet {sheet}")?;
            return match (self.line, self.column) {
                (Some(row), Some(col)) => write!(
                    f,
                    ", cell {}{row}",
                    super::workbook::column_name(col as u32 - 1)
                ),
                (Some(row), None) => write!(f, ", row {row}"),
                _ => Ok(()),
            };
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the load: nothing is solved.
    Error,
    /// A likely slip that does not stop a solve (an error under `--strict`).
    Warning,
    /// A planning fact worth knowing, never an error (printed by `validate`).
    Note,
}

/// What kind of problem, which decides the exit code: a file that cannot be read is 66,
/// everything else is bad data (65).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A file is missing or cannot be read (exit 66).
    Unreadable,
    /// The input holds bad data (exit 65).
    Data,
}

/// One problem in the input.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// Unreadable input or bad data: decides the exit code.
    pub kind: ProblemKind,
    /// Where: file, line and column; workbook, sheet and cell; or a field path in code.
    pub location: Location,
    /// The field (column or key) at fault.
    pub field: Option<String>,
    /// The value as written.
    pub value: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to mend it (e.g. the close name meant).
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind: ProblemKind::Data,
            location,
            field: None,
            value: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    /// A note at `location`.
    pub fn note(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(location, message)
        }
    }

    /// An error of a file that cannot be read.
    pub fn unreadable(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            kind: ProblemKind::Unreadable,
            ..Diagnostic::error(location, message)
        }
    }

    /// With the field at fault.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// With the value as written.
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// With a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{label}: {}: ", self.location)?;
        match (&self.field, &self.value) {
            (Some(field), Some(value)) => {
                write!(f, "field `{}`, value `{}`: ", shown(field), shown(value))?
            }
            (Some(field), None) => write!(f, "field `{}`: ", shown(field))?,
            (None, Some(value)) => write!(f, "value `{}`: ", shown(value))?,
            (None, None) => {}
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Input text as shown in a message: control characters escaped (a NUL byte or an escape
/// sequence must not reach the terminal raw) and very long values cut short.
fn shown(text: &str) -> String {
    const MAX_CHARS: usize = 200;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX_CHARS {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// All problems found so far, errors and warnings.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems in reading order: files in the order they were read (the scenario TOML
    /// first), then by line and column, errors before warnings at one place. The sort is
    /// stable, so problems found at one place keep their order.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        let mut files: Vec<&Path> = Vec::new();
        for d in &self.items {
            if !files.contains(&d.location.file.as_path()) {
                files.push(&d.location.file);
            }
        }
        let rank: Vec<usize> = self
            .items
            .iter()
            .map(|d| {
                files
                    .iter()
                    .position(|f| *f == d.location.file)
                    .unwrap_or(0)
            })
            .collect();
        let mut order: Vec<usize> = (0..self.items.len()).collect();
        order.sort_by(|&i, &j| {
            let (a, b) = (&self.items[i], &self.items[j]);
            (rank[i], a.location.line, a.location.column, a.severity).cmp(&(
                rank[j],
                b.location.line,
                b.location.column,
                b.severity,
            ))
        });
        let mut items: Vec<Option<Diagnostic>> = self.items.drain(..).map(Some).collect();
        order.into_iter().filter_map(|i| items[i].take()).collect()
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }
}

/// The closest of `candidates` to `name`, if any is close enough to be a plausible typo:
/// one edit for short names (three-letter codes differ in two letters all the time), a third
/// of the length for longer ones, or a candidate that starts with what was written.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Edit distance is quadratic in the lengths: a long name is no typo of a short id.
    if name.len() > 64 {
        return None;
    }
    let lowered = name.to_ascii_lowercase();
    let candidates: Vec<&str> = candidates.into_iter().filter(|c| c.len() <= 64).collect();
    let by_edits = candidates
        .iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&lowered, &c.to_ascii_lowercase()),
                *c,
            )
        })
        .filter(|(distance, c)| *distance <= (c.len().max(name.len()) / 3).max(1))
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c);
    by_edits.or_else(|| {
        (lowered.len() >= 3)
            .then(|| {
                candidates
                    .iter()
                    .filter(|c| c.to_ascii_lowercase().starts_with(&lowered))
                    .min()
                    .copied()
            })
            .flatten()
    })
}

/// A hint naming the closest known name, or listing the known ones when none is close.
pub fn suggest(what: &str, name: &str, known: &[&str]) -> String {
    // First occurrences in order; a set, not a scan, so that a table of 100,000 ids with
    // an unknown reference stays linear.
    let mut seen = std::collections::HashSet::with_capacity(known.len());
    let known: Vec<&str> = known.iter().copied().filter(|k| seen.insert(*k)).collect();
    match closest(name, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if known.is_empty() => format!("there are no {what}"),
        None if known.len() <= 12 => {
            let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("known {what}: {}", list.join(", "))
        }
        None => format!("no known {what} is close to `{name}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::{closest, suggest};

    #[test]
    fn typos_find_their_name_but_other_codes_do_not() {
        assert_eq!(closest("GRB", ["FRA", "GBR"]), Some("GBR"));
        assert_eq!(closest("ITA", ["FRA", "GBR"]), None);
        assert_eq!(closest("lnd", ["land", "sea", "air"]), Some("land"));
        assert_eq!(closest("troop", ["units", "troops"]), Some("troops"));
        assert_eq!(
            closest("deploy", ["deployment", "sustainment"]),
            Some("deployment")
        );
        assert_eq!(
            closest("max_troop", ["max_troops", "max_cost"]),
            Some("max_troops")
        );
    }

    #[test]
    fn known_names_are_listed_once_each() {
        assert_eq!(
            suggest("members", "XYZ", &["GBR", "GBR", "FRA"]),
            "known members: `GBR`, `FRA`"
        );
    }
}
