//! Typed reading of raw fields, with the range rules of the scenario format. Each getter
//! reports a bad value as a diagnostic and returns `None`, so that one pass finds every
//! problem in a row.

use super::diagnostic::{Diagnostic, Diagnostics, Location};
use super::source::{RawItem, RawRow, RawValue};

/// The allowed range of a number.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Range {
    /// > 0
    Positive,
    /// >= 0
    NonNegative,
    /// >= 1
    AtLeastOne,
    /// in (0, 1]
    Fraction,
    /// in [0, 1]
    Probability,
}

impl Range {
    fn holds(self, x: f64) -> bool {
        match self {
            Range::Positive => x > 0.0,
            Range::NonNegative => x >= 0.0,
            Range::AtLeastOne => x >= 1.0,
            Range::Fraction => x > 0.0 && x <= 1.0,
            Range::Probability => (0.0..=1.0).contains(&x),
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Range::Positive => "must be greater than 0",
            Range::NonNegative => "must not be negative",
            Range::AtLeastOne => "must be at least 1",
            Range::Fraction => "must be in (0, 1]",
            Range::Probability => "must be in [0, 1]",
        }
    }
}

/// Reads the fields of one row, pushing a diagnostic for each bad value.
pub(crate) struct Fields<'a> {
    pub row: &'a RawRow,
    pub diags: &'a mut Diagnostics,
}

impl<'a> Fields<'a> {
    pub fn new(row: &'a RawRow, diags: &'a mut Diagnostics) -> Self {
        Fields { row, diags }
    }

    pub fn location(&self, field: &str) -> Location {
        self.row
            .get(field)
            .map_or_else(|| self.row.location.clone(), |item| item.location.clone())
    }

    pub fn report(&mut self, field: &str, value: &str, message: impl Into<String>) {
        let location = self.location(field);
        let mut diagnostic = Diagnostic::error(location, message)
            .field(field)
            .value(value);
        if let Some(hint) = field_hint(field) {
            diagnostic = diagnostic.hint(hint);
        }
        self.diags.push(diagnostic);
    }

    pub fn report_hint(&mut self, field: &str, value: &str, message: &str, hint: String) {
        let location = self.location(field);
        self.diags.push(
            Diagnostic::error(location, message)
                .field(field)
                .value(value)
                .hint(hint),
        );
    }

    /// A text field; numbers written in TOML are accepted as their text.
    pub fn text(&mut self, field: &str) -> Option<String> {
        let item = self.row.get(field)?;
        match &item.value {
            RawValue::Text(s) => Some(s.trim().to_string()),
            RawValue::Integer(i) => Some(i.to_string()),
            other => {
                let message = format!("expected a string, found {}", other.type_name());
                self.report(field, &other.display(), message);
                None
            }
        }
    }

    /// An identifier-like text: not empty, no `;` or surrounding whitespace.
    pub fn name(&mut self, field: &str) -> Option<String> {
        let text = self.text(field)?;
        if text.is_empty() {
            self.report(field, &text, "must not be empty");
            return None;
        }
        if text.contains(';') || text.chars().any(char::is_control) {
            self.report(field, &text, "must not contain `;` or control characters");
            return None;
        }
        Some(text)
    }

    /// A number within `range`; `None` when absent or bad.
    pub fn number(&mut self, field: &str, range: Range) -> Option<f64> {
        let item = self.row.get(field)?;
        match checked_number(item, range) {
            Ok(value) => Some(value),
            Err((written, message)) => {
                self.report(field, &written, message);
                None
            }
        }
    }

    /// A whole number in `min..=max`.
    pub fn whole(&mut self, field: &str, min: i64, max: i64) -> Option<i64> {
        let item = self.row.get(field)?;
        let (value, written) = match number_of(item) {
            Ok(pair) => pair,
            Err(message) => {
                let shown = item.value.display();
                self.report(field, &shown, message);
                return None;
            }
        };
        if !value.is_finite() || value.fract() != 0.0 {
            self.report(field, &written, "must be a whole number");
            return None;
        }
        if value < min as f64 || value > max as f64 {
            let rule = if max == i64::MAX {
                format!("must be at least {min}")
            } else {
                format!("must be between {min} and {max}")
            };
            self.report(field, &written, rule);
            return None;
        }
        Some(value as i64)
    }

    pub fn boolean(&mut self, field: &str) -> Option<bool> {
        let item = self.row.get(field)?;
        match &item.value {
            RawValue::Bool(b) => Some(*b),
            RawValue::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" => Some(true),
                "false" | "no" | "0" => Some(false),
                _ => {
                    self.report(field, s, "expected true or false");
                    None
                }
            },
            other => {
                let message = format!("expected true or false, found {}", other.type_name());
                self.report(field, &other.display(), message);
                None
            }
        }
    }

    /// A list: `;`-separated text, or a TOML array of strings. Each item with its location.
    pub fn list(&mut self, field: &str) -> Vec<(String, Location)> {
        match self.row.get(field) {
            Some(item) => list_items(item, field, self.diags),
            None => Vec::new(),
        }
    }
}

/// A number within `range`, or the value as written and what is wrong with it.
pub(crate) fn checked_number(item: &RawItem, range: Range) -> Result<f64, (String, String)> {
    let (value, written) = number_of(item).map_err(|message| (item.value.display(), message))?;
    if !value.is_finite() {
        return Err((written, "must be a finite number".to_string()));
    }
    if !range.holds(value) {
        let mut rule = range.rule().to_string();
        if matches!(range, Range::Fraction | Range::Probability)
            && value > 1.0
            && value <= 100.0
            && value.fract() == 0.0
        {
            // 50 for 50%: shares and coverages are fractions.
            let share = format!("{:.6}", value / 100.0)
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string();
            rule.push_str(&format!(
                ": a share, not a percentage (write {share} for {written}%)"
            ));
        }
        return Err((written, rule));
    }
    if let Some(problem) = super::limits::magnitude_problem(value) {
        return Err((written, problem));
    }
    Ok(value)
}

/// The items of a list value (`;`-separated text, or an array of strings) with locations.
pub(crate) fn list_items(
    item: &RawItem,
    field: &str,
    diags: &mut Diagnostics,
) -> Vec<(String, Location)> {
    let mut out = Vec::new();
    match &item.value {
        RawValue::Text(s) => {
            for part in s.split(';') {
                let part = part.trim();
                if !part.is_empty() {
                    out.push((part.to_string(), item.location.clone()));
                }
            }
        }
        RawValue::List(items) => {
            for entry in items {
                match &entry.value {
                    RawValue::Text(s) if !s.trim().is_empty() => {
                        out.push((s.trim().to_string(), entry.location.clone()))
                    }
                    other => diags.push(
                        Diagnostic::error(
                            entry.location.clone(),
                            format!(
                                "list items must be non-empty strings, found {}",
                                other.type_name()
                            ),
                        )
                        .field(field)
                        .value(other.display()),
                    ),
                }
            }
        }
        other => diags.push(
            Diagnostic::error(
                item.location.clone(),
                format!(
                    "expected a `;`-separated string or an array, found {}",
                    other.type_name()
                ),
            )
            .field(field)
            .value(other.display()),
        ),
    }
    out
}

/// The number in a raw item, with the text the user wrote.
pub(crate) fn number_of(item: &RawItem) -> Result<(f64, String), String> {
    match &item.value {
        RawValue::Integer(i) => Ok((*i as f64, i.to_string())),
        RawValue::Float(x) => Ok((*x, x.to_string())),
        RawValue::Text(s) => {
            let written = s.trim();
            match written.parse::<f64>() {
                Ok(x) => Ok((x, written.to_string())),
                Err(_) => Err("expected a number".to_string()),
            }
        }
        other => Err(format!("expected a number, found {}", other.type_name())),
    }
}

/// What a field holds, as the hint of a message about a bad value.
pub(crate) fn field_hint(field: &str) -> Option<&'static str> {
    let field = field.rsplit('.').next().unwrap_or(field);
    Some(match field {
        "id" => "a short unique id without `;`, e.g. `FRA` or `land-1`",
        "member" | "lead" => "the id of a member in the members table",
        "capability" => "a capability name such as `mech_inf_bn`, or `*` in a requirement for any",
        "domain" => "one of the scenario's domains (default: land, sea, air)",
        "phase" | "phases" => "phase ids declared with [[phase]]; empty for every phase",
        "burden_key" => "a fair-share key such as GDP, > 0; leave empty for none",
        "max_troops" => "most troops deployed at once per phase, >= 0; leave empty for no cap",
        "max_cost" => "most cost per phase, >= 0; leave empty for no cap",
        "reliability" => "the probability that the member delivers, in [0, 1] (default 1)",
        "units" => "the number of units offered, > 0",
        "troops_per_unit" => "troops in one unit, >= 0 (default 0)",
        "cost_per_unit" => "cost of one deployed unit per phase, >= 0 (default 0)",
        "readiness_days" => "days to be ready to deploy, >= 0 (default 0)",
        "rotation" => {
            "units in the pool to keep one deployed in a sustained phase, >= 1 (3 for a 1:2 deploy:dwell cycle)"
        }
        "equipment" => "per-unit counts as `item:count;item:count`, e.g. `mbt:14;ifv:44`",
        "measure" => "`units`, `troops` or `equipment:ITEM`",
        "target" => "the amount wanted, > 0",
        "minimum" => "the hard floor, 0 <= minimum <= target (default 0)",
        "priority" => "a whole number from 1 (highest) to 5 (default 3)",
        "max_readiness_days" => "offers slower than this many days are not eligible, >= 0",
        "max_share" => "the most of the target one member may provide, in (0, 1] (default 1)",
        "min_members" => "the fewest members that should contribute, a whole number >= 1",
        "lead_share" => "the share of the target the lead should provide, in [0, 1]",
        "factor" => "how many required units one substitute unit counts as, > 0",
        "required" | "substitute" => "a capability name",
        "time_limit_s" => "seconds for the whole solve, > 0 (default 60)",
        "mip_gap" => "the relative MIP gap, >= 0 (default 0.0001)",
        "min_coverage" => "a coverage threshold in [0, 1]",
        _ => return None,
    })
}
