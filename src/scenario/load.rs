//! Scenario TOML + CSV tables -> validated [`Scenario`]. Every problem is collected before
//! anything is returned; a scenario is handed out only when there are no errors.

use std::collections::BTreeMap;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, Diagnostics, Location, ProblemKind, Severity, suggest};
use super::fields::{Fields, Range, checked_number, field_hint, list_items};
use super::source::{
    Columns, RawTable, RawValue, Text, raw_from_toml, read_text, rows_from_csv, rows_from_toml,
};
use super::tables::{self, TableSet};
use super::workbook::{Workbooks, is_workbook, rows_from_sheet};
use super::{Backend, Checks, Fairness, Phase, Scenario, SolverSettings};

/// Why a scenario could not be loaded: every problem found, warnings included.
#[derive(Debug, thiserror::Error)]
#[error("{}", render(.diagnostics))]
pub struct LoadError {
    /// Every problem found, sorted by location; errors, and the warnings found beside them.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// True when a file was missing or unreadable (exit 66) rather than holding bad data (65).
    pub fn is_unreadable(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && d.kind == ProblemKind::Unreadable)
    }

    /// How many of the diagnostics are errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

fn render(diagnostics: &[Diagnostic]) -> String {
    let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// A loaded scenario, the warnings found on the way (likely slips: errors under
/// `--strict`) and the notes (planning facts, such as a caveat no requirement excludes).
#[derive(Debug)]
pub struct Loaded {
    /// The validated scenario.
    pub scenario: Scenario,
    /// Likely slips that did not stop the load (errors under `--strict`).
    pub warnings: Vec<Diagnostic>,
    /// Planning facts worth knowing (printed by `validate`).
    pub notes: Vec<Diagnostic>,
}

pub(crate) const TOP_KEYS: &[&str] = &[
    "scenario",
    "phase",
    "tables",
    "objective",
    "solver",
    "checks",
    "members",
    "offers",
    "requirements",
    "substitutions",
];
pub(crate) const SCENARIO_KEYS: &[&str] = &["name", "description", "domains"];
pub(crate) const PHASE_KEYS: &[&str] = &["id", "sustained"];
pub(crate) const TABLE_KEYS: &[&str] = &[
    "workbook",
    "members",
    "offers",
    "requirements",
    "substitutions",
];
pub(crate) const OBJECTIVE_KEYS: &[&str] = &["fairness"];
pub(crate) const SOLVER_KEYS: &[&str] = &["backend", "integer", "time_limit_s", "mip_gap"];
pub(crate) const CHECK_KEYS: &[&str] = &[
    "min_coverage",
    "min_domain_coverage",
    "min_phase_coverage",
    "min_priority_coverage",
    "strict",
];

/// Loads and validates the scenario at `path` (a TOML file; tables relative to it).
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let mut diags = Diagnostics::default();
    if let Some(diagnostic) = not_a_scenario(path) {
        diags.push(diagnostic);
        return Err(LoadError {
            diagnostics: diags.sorted(),
        });
    }
    let Some(text) = read_text(path, None, &mut diags) else {
        return Err(LoadError {
            diagnostics: diags.sorted(),
        });
    };
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    load_text(&text, &base, diags)
}

/// The scenario at `path` loaded, and its tables as written (raw rows, wherever they come
/// from), with its TOML text: what `forcegen convert` writes in another form.
pub(crate) fn raw_tables(path: &Path) -> Result<(Loaded, String, TableSet), LoadError> {
    let loaded = load(path)?;
    let mut diags = Diagnostics::default();
    let text = read_text(path, None, &mut diags).ok_or_else(|| LoadError {
        diagnostics: diags.clone().sorted(),
    })?;
    let (document, _) = DeTable::parse_recoverable(&text.text);
    let document = document.into_inner();
    let top = Section::new(&text, "", &document);
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let tables = read_tables(&text, &base, &top, &mut diags);
    Ok((loaded, text.text.clone(), tables))
}

/// A directory or a table given where the scenario TOML is wanted: the problem, with the
/// scenario files inside (a directory) or beside it (a table) suggested.
fn not_a_scenario(path: &Path) -> Option<Diagnostic> {
    let is_dir = path.is_dir();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let is_table = !is_dir && matches!(extension.as_deref(), Some("csv" | "xlsx" | "ods"));
    if !is_dir && !is_table {
        return None;
    }
    let folder = if is_dir {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let folder_shown = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder.as_path()
    };
    // The scenario files there: TOML files with a [tables] section or inline tables, the
    // sweep files (with `base`) left out.
    let mut scenarios: Vec<std::path::PathBuf> = std::fs::read_dir(folder_shown)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| {
                let head: toml::Table = toml::from_str(&t).unwrap_or_default();
                !head.contains_key("base")
                    && (head.contains_key("tables") || head.contains_key("scenario"))
            })
        })
        .map(|p| {
            if folder.as_os_str().is_empty() {
                p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p)
            } else {
                p
            }
        })
        .collect();
    scenarios.sort_by_key(|p| (p.file_name() != Some("scenario.toml".as_ref()), p.clone()));
    let (message, place) = if is_dir {
        ("is a directory, not a scenario TOML file", "in it")
    } else {
        ("is a table, not a scenario TOML file", "beside it")
    };
    let hint = match scenarios.first() {
        Some(best) => format!("did you mean `{}`?", best.display()),
        None => format!(
            "give the scenario's TOML file (it names the tables); there is none {place} (`forcegen init DIR` writes a starter)"
        ),
    };
    Some(Diagnostic::unreadable(Location::file(path), message).hint(hint))
}

/// Loads a scenario from TOML text; `path` names it in messages and `base` resolves tables.
pub fn load_str(toml_text: &str, path: &Path, base: &Path) -> Result<Loaded, LoadError> {
    let mut diags = Diagnostics::default();
    match Text::new(path.to_path_buf(), toml_text.as_bytes().to_vec()) {
        Ok(text) => load_text(&text, base, diags),
        Err(diagnostic) => {
            diags.push(*diagnostic);
            Err(LoadError {
                diagnostics: diags.sorted(),
            })
        }
    }
}

fn load_text(text: &Text, base: &Path, mut diags: Diagnostics) -> Result<Loaded, LoadError> {
    let (document, errors) = DeTable::parse_recoverable(&text.text);
    if !errors.is_empty() {
        for error in errors {
            let location = match error.span() {
                Some(span) => text.location(span.start),
                None => Location::file(&text.path),
            };
            let message = error.message().trim().replace('\n', " ");
            diags.push(Diagnostic::error(
                location,
                format!("invalid TOML: {message}"),
            ));
        }
        return Err(LoadError {
            diagnostics: diags.sorted(),
        });
    }
    let document = document.into_inner();
    let top = Section::new(text, "", &document);
    top.check_keys(TOP_KEYS, &mut diags);

    let scenario_section = top.subsection("scenario", &mut diags);
    let default_name = text
        .path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "scenario".to_string());
    let (name, description, domains) = match &scenario_section {
        Some(section) => {
            section.check_keys(SCENARIO_KEYS, &mut diags);
            let name = section.string("name", &mut diags).unwrap_or(default_name);
            let description = section
                .string("description", &mut diags)
                .unwrap_or_default();
            let domains = section.string_list("domains", &mut diags).map(|list| {
                let at = section.entry("domains").map(|v| section.location_of(v));
                (list, at)
            });
            (name, description, domains)
        }
        None => (default_name, String::new(), None),
    };
    let domains = match domains {
        Some((list, at)) => check_unique_names(at, "domains", list, &mut diags),
        None => vec!["land".into(), "sea".into(), "air".into()],
    };

    let phases = read_phases(text, &top, &mut diags);

    let mut fairness_at = None;
    let fairness = top.subsection("objective", &mut diags).and_then(|section| {
        section.check_keys(OBJECTIVE_KEYS, &mut diags);
        fairness_at = section.entry("fairness").map(|v| section.location_of(v));
        let value = section.string("fairness", &mut diags)?;
        match value.as_str() {
            "troops" => Some(Fairness::Troops),
            "cost" => Some(Fairness::Cost),
            _ => {
                section.bad_value(
                    "fairness",
                    &value,
                    "must be \"troops\" or \"cost\"",
                    &mut diags,
                );
                None
            }
        }
    });

    let solver = read_solver(&top, &mut diags);
    let checks = read_checks(&top, &domains, &phases, &mut diags);

    let tables = read_tables(text, base, &top, &mut diags);
    let scenario = tables::build(
        Scenario {
            name,
            description,
            domains,
            phases,
            members: Vec::new(),
            offers: Vec::new(),
            requirements: Vec::new(),
            substitutions: Vec::new(),
            fairness,
            solver,
            checks,
        },
        tables,
        &mut diags,
    );
    // Without members (their table failed, which is reported), there is nothing to say of
    // their burden keys.
    if let (Some(_), Some(at)) = (scenario.fairness, fairness_at)
        && !scenario.members.is_empty()
        && !scenario.members.iter().any(|m| m.burden_key.is_some())
    {
        diags.push(
            Diagnostic::warning(
                at,
                "no member has a burden_key, so there is no burden stage",
            )
            .field("objective.fairness")
            .hint("give members a burden_key (e.g. GDP) in the members table"),
        );
    }
    if diags.has_errors() {
        let mut diagnostics = diags.sorted();
        diagnostics.retain(|d| d.severity != Severity::Note);
        return Err(LoadError { diagnostics });
    }
    let (notes, warnings) = diags
        .sorted()
        .into_iter()
        .partition(|d| d.severity == Severity::Note);
    Ok(Loaded {
        scenario,
        warnings,
        notes,
    })
}

/// One TOML table with the text it came from, for located messages.
struct Section<'a, 'i> {
    text: &'a Text,
    path: String,
    table: &'a DeTable<'i>,
}

impl<'a, 'i> Section<'a, 'i> {
    fn new(text: &'a Text, path: &str, table: &'a DeTable<'i>) -> Self {
        Section {
            text,
            path: path.to_string(),
            table,
        }
    }

    fn key_name(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn entry(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    fn location_of(&self, value: &Spanned<DeValue<'_>>) -> Location {
        self.text.location(value.span().start)
    }

    fn check_keys(&self, known: &[&str], diags: &mut Diagnostics) {
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if !known.contains(&name) {
                let what = if self.path.is_empty() {
                    "unknown top-level key".to_string()
                } else {
                    format!("unknown key in [{}]", self.path)
                };
                diags.push(
                    Diagnostic::error(self.text.location(key.span().start), what)
                        .field(self.key_name(name))
                        .hint(suggest("keys", name, known)),
                );
            }
        }
    }

    fn bad_value(&self, key: &str, value: &str, message: &str, diags: &mut Diagnostics) {
        let location = self
            .entry(key)
            .map_or_else(|| Location::file(&self.text.path), |v| self.location_of(v));
        diags.push(
            Diagnostic::error(location, message)
                .field(self.key_name(key))
                .value(value),
        );
    }

    fn subsection(&self, key: &str, diags: &mut Diagnostics) -> Option<Section<'a, 'i>> {
        let value = self.entry(key)?;
        match value.get_ref() {
            DeValue::Table(table) => Some(Section {
                text: self.text,
                path: self.key_name(key),
                table,
            }),
            other => {
                diags.push(
                    Diagnostic::error(
                        self.location_of(value),
                        format!("expected a table, found {}", other.type_str()),
                    )
                    .field(self.key_name(key)),
                );
                None
            }
        }
    }

    fn string(&self, key: &str, diags: &mut Diagnostics) -> Option<String> {
        let value = self.entry(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                let shown = raw_from_toml(self.text, value).value.display();
                diags.push(
                    Diagnostic::error(
                        self.location_of(value),
                        format!("expected a string, found {}", other.type_str()),
                    )
                    .field(self.key_name(key))
                    .value(shown),
                );
                None
            }
        }
    }

    fn boolean(&self, key: &str, diags: &mut Diagnostics) -> Option<bool> {
        let value = self.entry(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                let shown = raw_from_toml(self.text, value).value.display();
                diags.push(
                    Diagnostic::error(
                        self.location_of(value),
                        format!("expected true or false, found {}", other.type_str()),
                    )
                    .field(self.key_name(key))
                    .value(shown),
                );
                None
            }
        }
    }

    /// A number within `range`, read through the same rules as table fields.
    fn number(&self, key: &str, range: Range, diags: &mut Diagnostics) -> Option<f64> {
        let item = raw_from_toml(self.text, self.entry(key)?);
        // TOML has number types: a quoted number is a mistake worth naming.
        let checked = match &item.value {
            RawValue::Text(s) => Err((s.clone(), "expected a number, found string".to_string())),
            _ => checked_number(&item, range),
        };
        match checked {
            Ok(value) => Some(value),
            Err((written, message)) => {
                let mut diagnostic = Diagnostic::error(item.location, message)
                    .field(self.key_name(key))
                    .value(written);
                if let Some(hint) = field_hint(key) {
                    diagnostic = diagnostic.hint(hint);
                }
                diags.push(diagnostic);
                None
            }
        }
    }

    fn string_list(&self, key: &str, diags: &mut Diagnostics) -> Option<Vec<(String, Location)>> {
        let item = raw_from_toml(self.text, self.entry(key)?);
        Some(list_items(&item, &self.key_name(key), diags))
    }
}

fn check_unique_names(
    at: Option<Location>,
    what: &str,
    list: Vec<(String, Location)>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (name, location) in list {
        if out.contains(&name) {
            diags.push(
                Diagnostic::error(location, format!("listed twice in {what}"))
                    .field(format!("scenario.{what}"))
                    .value(name),
            );
        } else {
            out.push(name);
        }
    }
    if out.is_empty() {
        diags.push(
            Diagnostic::error(at.unwrap_or_default(), format!("no {what} declared"))
                .field(format!("scenario.{what}")),
        );
    }
    out
}

fn read_phases(text: &Text, top: &Section<'_, '_>, diags: &mut Diagnostics) -> Vec<Phase> {
    let Some(entries) = top.entry("phase") else {
        return vec![Phase {
            id: "all".into(),
            sustained: false,
        }];
    };
    let columns = Columns {
        table: "phase",
        known: PHASE_KEYS,
        required: &["id"],
        numbers: &[],
    };
    let table = rows_from_toml(text, entries, &columns, diags);
    let mut phases: Vec<Phase> = Vec::new();
    for row in &table.rows {
        let mut fields = Fields::new(row, diags);
        let id = fields.name("id");
        let sustained = fields.boolean("sustained").unwrap_or(false);
        if let Some(id) = id {
            if phases.iter().any(|p| p.id == id) {
                fields.report("id", &id, "duplicate phase id");
            } else {
                phases.push(Phase { id, sustained });
            }
        }
    }
    if phases.is_empty() && !diags.has_errors() {
        diags.push(Diagnostic::error(
            text.location(entries.span().start),
            "no phases declared",
        ));
    }
    phases
}

fn read_solver(top: &Section<'_, '_>, diags: &mut Diagnostics) -> SolverSettings {
    let mut solver = SolverSettings::default();
    let Some(section) = top.subsection("solver", diags) else {
        return solver;
    };
    section.check_keys(SOLVER_KEYS, diags);
    if let Some(name) = section.string("backend", diags) {
        match Backend::from_name(&name) {
            Some(backend) => solver.backend = backend,
            None => {
                let known: Vec<&str> = Backend::ALL.iter().map(|b| b.name()).collect();
                let location = section.entry("backend").map_or_else(
                    || Location::file(&section.text.path),
                    |v| section.location_of(v),
                );
                diags.push(
                    Diagnostic::error(location, "unknown solver backend")
                        .field("solver.backend")
                        .value(name.clone())
                        .hint(suggest("backends", &name, &known)),
                );
            }
        }
    }
    if let Some(integer) = section.boolean("integer", diags) {
        solver.integer = integer;
    }
    if let Some(limit) = section.number("time_limit_s", Range::Positive, diags) {
        solver.time_limit_s = limit;
    }
    if let Some(gap) = section.number("mip_gap", Range::NonNegative, diags) {
        solver.mip_gap = gap;
    }
    solver
}

fn read_checks(
    top: &Section<'_, '_>,
    domains: &[String],
    phases: &[Phase],
    diags: &mut Diagnostics,
) -> Checks {
    let mut checks = Checks::default();
    let Some(section) = top.subsection("checks", diags) else {
        return checks;
    };
    section.check_keys(CHECK_KEYS, diags);
    checks.min_coverage = section.number("min_coverage", Range::Probability, diags);
    checks.strict = section.boolean("strict", diags).unwrap_or(false);
    let domain_names: Vec<&str> = domains.iter().map(String::as_str).collect();
    checks.min_domain_coverage = read_threshold_table(
        &section,
        "min_domain_coverage",
        "domains",
        &domain_names,
        diags,
    );
    let phase_names: Vec<&str> = phases.iter().map(|p| p.id.as_str()).collect();
    checks.min_phase_coverage = read_threshold_table(
        &section,
        "min_phase_coverage",
        "phases",
        &phase_names,
        diags,
    );
    let levels = ["1", "2", "3", "4", "5"];
    checks.min_priority_coverage = read_threshold_table(
        &section,
        "min_priority_coverage",
        "priorities",
        &levels,
        diags,
    )
    .into_iter()
    .filter_map(|(k, v)| k.parse::<u8>().ok().map(|k| (k, v)))
    .collect();
    checks
}

fn read_threshold_table(
    section: &Section<'_, '_>,
    key: &str,
    what: &str,
    known: &[&str],
    diags: &mut Diagnostics,
) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let Some(sub) = section.subsection(key, diags) else {
        return out;
    };
    for (name, _) in sub.table.iter() {
        let name = name.get_ref().as_ref();
        if !known.contains(&name) {
            let location = sub
                .entry(name)
                .map_or_else(|| Location::file(&sub.text.path), |v| sub.location_of(v));
            diags.push(
                Diagnostic::error(location, format!("unknown {}", &what[..what.len() - 1]))
                    .field(sub.key_name(name))
                    .hint(suggest(what, name, known)),
            );
            continue;
        }
        if let Some(threshold) = sub.number(name, Range::Probability, diags) {
            out.insert(name.to_string(), threshold);
        }
    }
    out
}

/// Finds each table in `[tables]` (a CSV file) or inline (`[[members]]`...), never both.
fn read_tables(
    text: &Text,
    base: &Path,
    top: &Section<'_, '_>,
    diags: &mut Diagnostics,
) -> TableSet {
    let paths = top.subsection("tables", diags);
    if let Some(section) = &paths {
        section.check_keys(TABLE_KEYS, diags);
    }
    // `[tables] workbook = "FILE"`: the sheets named after the tables, for every table not
    // named on its own (as a file, a sheet or inline).
    let workbook = paths.as_ref().and_then(|s| {
        let file = s.string("workbook", diags)?;
        let at = s.entry("workbook").map(|v| text.location(v.span().start));
        Some((base.join(file), at))
    });
    let mut books = Workbooks::default();
    let mut read = |columns: &Columns, required: bool| -> Option<RawTable> {
        let file = paths.as_ref().and_then(|s| s.string(columns.table, diags));
        let inline = top.entry(columns.table);
        if let (None, None, Some((path, at))) = (&file, inline, &workbook) {
            let named_at = at.as_ref().map(|l| (l, "tables.workbook"));
            let book = books.get(path, named_at, diags)?;
            return rows_from_sheet(book, columns.table, columns, named_at, !required, diags);
        }
        match (file, inline) {
            (Some(_), Some(inline)) => {
                diags.push(
                    Diagnostic::error(
                        text.location(inline.span().start),
                        format!(
                            "table `{}` is given both as a file in [tables] and inline",
                            columns.table
                        ),
                    )
                    .hint("keep one of the two"),
                );
                None
            }
            (Some(file), None) => {
                let key = format!("tables.{}", columns.table);
                let named_at = paths
                    .as_ref()
                    .and_then(|s| s.entry(columns.table))
                    .map(|v| text.location(v.span().start));
                let named_at = named_at.as_ref().map(|l| (l, key.as_str()));
                // `FILE#SHEET`, or a workbook file alone (its sheet named after the table).
                let (file, sheet) = match file.rsplit_once('#') {
                    Some((file, sheet)) if is_workbook(Path::new(file)) => {
                        (file.to_string(), Some(sheet.to_string()))
                    }
                    _ => (file, None),
                };
                let path = base.join(&file);
                if sheet.is_some() || is_workbook(&path) {
                    let sheet = sheet.unwrap_or_else(|| columns.table.to_string());
                    let book = books.get(&path, named_at, diags)?;
                    return rows_from_sheet(book, &sheet, columns, named_at, false, diags);
                }
                let csv_text = read_text(&path, named_at, diags)?;
                Some(rows_from_csv(&csv_text, columns, diags))
            }
            (None, Some(inline)) => Some(rows_from_toml(text, inline, columns, diags)),
            (None, None) => {
                if required {
                    diags.push(
                        Diagnostic::error(
                            Location::at(&text.path, 1, None),
                            format!("no `{}` table", columns.table),
                        )
                        .hint(format!(
                            "name a CSV file as `{0} = \"{0}.csv\"` under [tables], or write [[{0}]] rows",
                            columns.table
                        )),
                    );
                }
                None
            }
        }
    };
    TableSet {
        members: read(&tables::MEMBER_COLUMNS, true),
        offers: read(&tables::OFFER_COLUMNS, true),
        requirements: read(&tables::REQUIREMENT_COLUMNS, true),
        substitutions: read(&tables::SUBSTITUTION_COLUMNS, false),
    }
}
