//! Reading a sweep file: its TOML, its base scenario (relative to the sweep file), and every
//! check on its axes, each refusal pointing at the line and column of what it refuses. The
//! variants are counted against [`MAX_VARIANTS`] before any is built.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::variants::{combinations, fingerprint, variants};
use super::{Axis, AxisKind, AxisValue, Mode, MonteCarlo, Sweep};
use crate::analysis::variant::{Change, Selector};
use crate::scenario::{Diagnostic, Location, Scenario};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AxisFile {
    name: Spanned<String>,
    kind: AxisKind,
    #[serde(default)]
    select: Option<Spanned<Selector>>,
    values: Spanned<Vec<Spanned<toml::Value>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    base: Spanned<String>,
    #[serde(default)]
    mode: Mode,
    #[serde(default)]
    axis: Vec<AxisFile>,
    monte_carlo: Option<MonteCarlo>,
}

/// Why a sweep file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The sweep file is not valid TOML or fails a check (an unknown member, an axis
    /// without values, zip axes of different lengths, too many variants...); the diagnostic
    /// points at the line and column.
    #[error("{0}")]
    Invalid(Box<Diagnostic>),
    /// The sweep file cannot be read (not found, no permission...).
    #[error("{0}")]
    Unreadable(Box<Diagnostic>),
    /// The base scenario cannot be loaded.
    #[error(transparent)]
    Base(#[from] crate::scenario::LoadError),
}

/// The most variants (axis combinations times Monte Carlo samples) a sweep may have.
pub const MAX_VARIANTS: usize = 1_000_000;

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl Sweep {
    /// Loads a sweep file and its base scenario (relative to the sweep file).
    pub fn load(path: &Path) -> Result<Sweep, SweepError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                let message = match err.kind() {
                    std::io::ErrorKind::NotFound => "file not found".to_string(),
                    _ => format!("cannot read the file: {err}"),
                };
                return Err(SweepError::Unreadable(Box::new(Diagnostic::unreadable(
                    Location::file(path),
                    message,
                ))));
            }
        };
        let at = |offset: usize| {
            let (line, column) = line_col(&text, offset);
            Location::at(path, line, Some(column))
        };
        let invalid = |offset: usize, message: String| {
            SweepError::Invalid(Box::new(Diagnostic::error(at(offset), message)))
        };
        let file: SweepFile = toml::from_str(&text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            invalid(offset, e.message().trim().replace('\n', " "))
        })?;
        let base_path = path
            .parent()
            .unwrap_or_else(|| Path::new(""))
            .join(file.base.get_ref());
        let loaded = crate::scenario::load(&base_path)?;
        let (base, base_warnings) = (loaded.scenario, loaded.warnings);

        let mut axes = Vec::new();
        for axis in &file.axis {
            let name = axis.name.get_ref().clone();
            if name.is_empty() || axes.iter().any(|a: &Axis| a.name == name) {
                return Err(invalid(
                    axis.name.span().start,
                    format!("axis name `{name}` is empty or used twice"),
                ));
            }
            let select = axis
                .select
                .as_ref()
                .map(|s| s.get_ref().clone())
                .unwrap_or_default();
            if let Some(spanned) = &axis.select
                && let Err(message) = select.check(&base)
            {
                return Err(invalid(
                    spanned.span().start,
                    format!("axis `{name}`: {message}"),
                ));
            }
            if axis.values.get_ref().is_empty() {
                return Err(invalid(
                    axis.values.span().start,
                    format!("axis `{name}` has no values"),
                ));
            }
            let mut values = Vec::new();
            for value in axis.values.get_ref() {
                let value_at = value.span().start;
                let parsed = axis_value(axis.kind, &select, value.get_ref(), &base)
                    .map_err(|message| invalid(value_at, format!("axis `{name}`: {message}")))?;
                values.push(parsed);
            }
            axes.push(Axis { name, values });
        }
        if file.mode == Mode::Zip
            && let Some(first) = axes.first()
            && let Some(other) = axes.iter().find(|a| a.values.len() != first.values.len())
        {
            let span = file.axis[axes.iter().position(|a| a.name == other.name).unwrap_or(0)]
                .values
                .span()
                .start;
            return Err(invalid(
                span,
                format!(
                    "mode = \"zip\" needs axes of one length: `{}` has {}, `{}` has {}",
                    first.name,
                    first.values.len(),
                    other.name,
                    other.values.len()
                ),
            ));
        }
        if let Some(mc) = &file.monte_carlo
            && mc.samples == 0
        {
            return Err(invalid(0, "monte_carlo.samples must be at least 1".into()));
        }
        // Counted before anything is built: a grid of many long axes must be refused, not
        // exhaust memory.
        let samples = file.monte_carlo.map_or(1, |m| m.samples as usize);
        let count = match file.mode {
            Mode::Zip => axes.first().map_or(1, |a| a.values.len()),
            Mode::Grid => axes
                .iter()
                .fold(1usize, |n, a| n.saturating_mul(a.values.len())),
        };
        if count.saturating_mul(samples) > MAX_VARIANTS {
            return Err(invalid(
                0,
                format!(
                    "the sweep has {} variants, more than the limit of {MAX_VARIANTS}",
                    if count.saturating_mul(samples) == usize::MAX {
                        "too many".to_string()
                    } else {
                        count.saturating_mul(samples).to_string()
                    }
                ),
            ));
        }
        let variants = variants(combinations(file.mode, &axes), file.monte_carlo);
        let fingerprint = fingerprint(&text, &base_path);
        Ok(Sweep {
            base_path,
            base,
            base_warnings,
            mode: file.mode,
            axes,
            monte_carlo: file.monte_carlo,
            variants,
            fingerprint,
        })
    }
}

/// One value of an axis of `kind`, checked against the base scenario.
fn axis_value(
    kind: AxisKind,
    select: &Selector,
    value: &toml::Value,
    base: &Scenario,
) -> Result<AxisValue, String> {
    let number = |v: &toml::Value| -> Result<f64, String> {
        let x = match v {
            toml::Value::Integer(i) => *i as f64,
            toml::Value::Float(f) => *f,
            other => return Err(format!("expected a number, found {}", other.type_str())),
        };
        if !x.is_finite() || x < 0.0 {
            return Err(format!("`{x}` must be a finite number >= 0"));
        }
        Ok(x)
    };
    match kind {
        AxisKind::RemoveMembers => {
            let ids: Vec<String> = match value {
                toml::Value::String(s) => vec![s.clone()],
                toml::Value::Array(items) => items
                    .iter()
                    .map(|i| match i {
                        toml::Value::String(s) => Ok(s.clone()),
                        other => Err(format!(
                            "member ids are strings, found {}",
                            other.type_str()
                        )),
                    })
                    .collect::<Result<_, _>>()?,
                other => {
                    return Err(format!(
                        "expected a list of member ids, found {}",
                        other.type_str()
                    ));
                }
            };
            if let Some(unknown) = ids.iter().find(|id| base.member_index(id).is_none()) {
                return Err(format!("unknown member `{unknown}`"));
            }
            let label = if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join("+")
            };
            Ok(AxisValue {
                label,
                change: Change::RemoveMembers(ids),
            })
        }
        AxisKind::ScaleOffers => {
            let factor = number(value)?;
            Ok(AxisValue {
                label: factor.to_string(),
                change: Change::ScaleOffers {
                    select: select.clone(),
                    factor,
                },
            })
        }
        AxisKind::ScaleRequirements => {
            let factor = number(value)?;
            Ok(AxisValue {
                label: factor.to_string(),
                change: Change::ScaleRequirements {
                    select: select.clone(),
                    factor,
                },
            })
        }
        AxisKind::SetMaxTroops => {
            let cap = number(value)?;
            Ok(AxisValue {
                label: cap.to_string(),
                change: Change::SetMaxTroops {
                    select: select.clone(),
                    value: cap,
                },
            })
        }
    }
}
