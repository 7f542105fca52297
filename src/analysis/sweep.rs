//! Sweeps: many variants of a base scenario, solved in parallel, one result row each.
//!
//! A sweep file names a base scenario and axes (withdraw members, scale offers or
//! requirements, set troop caps), combined as a grid (cartesian product) or zipped, and
//! optionally Monte Carlo samples in which each member delivers with its `reliability`.
//! Rows come out in variant order whatever the number of threads; a stable hash of the
//! variant id splits a sweep into shards.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;

use super::variant::{Change, Selector, apply};
use crate::pipeline::{PlanError, solve_scenario};
use crate::scenario::{Diagnostic, Location, Scenario, SolverSettings};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Grid,
    Zip,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AxisKind {
    RemoveMembers,
    ScaleOffers,
    ScaleRequirements,
    SetMaxTroops,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AxisFile {
    name: Spanned<String>,
    kind: AxisKind,
    #[serde(default)]
    select: Option<Spanned<Selector>>,
    values: Spanned<Vec<Spanned<toml::Value>>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MonteCarlo {
    pub samples: u32,
    #[serde(default)]
    pub seed: u64,
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

/// One value of an axis: its label in result rows and the change it makes.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisValue {
    pub label: String,
    pub change: Change,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub name: String,
    pub values: Vec<AxisValue>,
}

/// One variant: which value of each axis, and (with Monte Carlo) which sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Stable id, e.g. `v007` or `v007-s012`.
    pub id: String,
    /// Position in the sweep's full order.
    pub index: usize,
    /// Index of the value of each axis.
    pub values: Vec<usize>,
    pub sample: Option<u32>,
}

/// A loaded sweep: the base scenario, its axes and every variant, in order.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub base_path: PathBuf,
    pub base: Scenario,
    pub mode: Mode,
    pub axes: Vec<Axis>,
    pub monte_carlo: Option<MonteCarlo>,
    pub variants: Vec<Variant>,
    /// A fingerprint of the sweep file and the base scenario: shards of one sweep share it.
    pub fingerprint: String,
}

/// Why a sweep file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("{0}")]
    Invalid(Box<Diagnostic>),
    #[error("{0}")]
    Unreadable(Box<Diagnostic>),
    #[error(transparent)]
    Base(#[from] crate::scenario::LoadError),
}

/// The most variants (axis combinations times Monte Carlo samples) a sweep may have.
pub const MAX_VARIANTS: usize = 1_000_000;

/// FNV-1a, 64 bits: stable across platforms and versions, for fingerprints and shards.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

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
        let base = crate::scenario::load(&base_path)?.scenario;

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
        let combinations = combinations(file.mode, &axes);
        let width = combinations.len().to_string().len().max(3);
        let sample_width = samples.to_string().len().max(3);
        let mut variants = Vec::with_capacity(combinations.len() * samples);
        for (i, values) in combinations.into_iter().enumerate() {
            match file.monte_carlo {
                None => variants.push(Variant {
                    id: format!("v{:0width$}", i + 1),
                    index: variants.len(),
                    values,
                    sample: None,
                }),
                Some(mc) => {
                    for s in 1..=mc.samples {
                        variants.push(Variant {
                            id: format!("v{:0width$}-s{:0sample_width$}", i + 1, s),
                            index: variants.len(),
                            values: values.clone(),
                            sample: Some(s),
                        });
                    }
                }
            }
        }
        let base_bytes = std::fs::read(&base_path).unwrap_or_default();
        let fingerprint = format!(
            "{:016x}",
            fnv1a(&[text.as_bytes(), b"\0", &base_bytes].concat())
        );
        Ok(Sweep {
            base_path,
            base,
            mode: file.mode,
            axes,
            monte_carlo: file.monte_carlo,
            variants,
            fingerprint,
        })
    }

    /// The scenario of one variant, planned in whole units or not (`whole_units`: see
    /// [`Change::ScaleOffers`]).
    pub fn scenario(&self, variant: &Variant, whole_units: bool) -> (Scenario, Vec<String>) {
        let changes: Vec<Change> = variant
            .values
            .iter()
            .zip(&self.axes)
            .map(|(&v, axis)| axis.values[v].change.clone())
            .collect();
        let mut scenario = apply(&self.base, &changes, whole_units);
        let mut dropped = Vec::new();
        if let (Some(mc), Some(sample)) = (self.monte_carlo, variant.sample) {
            let mut rng =
                SplitMix64::new(mc.seed ^ fnv1a(variant.id.as_bytes()) ^ (u64::from(sample) << 32));
            for member in &scenario.members {
                if rng.next_f64() >= member.reliability {
                    dropped.push(member.id.clone());
                }
            }
            super::variant::remove_members(&mut scenario, &dropped);
        }
        (scenario, dropped)
    }

    /// Whether `variant` belongs to shard `i` of `n` (1-based).
    pub fn in_shard(variant: &Variant, (i, n): (u32, u32)) -> bool {
        fnv1a(variant.id.as_bytes()) % u64::from(n) == u64::from(i - 1)
    }
}

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

/// Value indices of every variant, first axis outermost (grid) or side by side (zip).
fn combinations(mode: Mode, axes: &[Axis]) -> Vec<Vec<usize>> {
    if axes.is_empty() {
        return vec![Vec::new()];
    }
    match mode {
        Mode::Zip => (0..axes[0].values.len())
            .map(|i| vec![i; axes.len()])
            .collect(),
        Mode::Grid => {
            let mut out = vec![Vec::new()];
            for axis in axes {
                out = out
                    .into_iter()
                    .flat_map(|prefix| {
                        (0..axis.values.len()).map(move |v| {
                            let mut next = prefix.clone();
                            next.push(v);
                            next
                        })
                    })
                    .collect();
            }
            out
        }
    }
}

/// SplitMix64: a small, well-mixed generator whose output never changes with a crate
/// upgrade, so Monte Carlo samples stay reproducible.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// How a variant ended: a (verified) plan, no plan meeting the floors, or a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowOutcome {
    Solved(crate::solve::Status),
    Infeasible,
    Error,
}

impl RowOutcome {
    /// The `status` column's value: `optimal`, `time_limit`, `infeasible` or `error`.
    pub fn name(self) -> &'static str {
        match self {
            RowOutcome::Solved(status) => status.name(),
            RowOutcome::Infeasible => "infeasible",
            RowOutcome::Error => "error",
        }
    }

    /// The outcome a `status` column holds, if it is one.
    pub fn parse(text: &str) -> Option<RowOutcome> {
        use crate::solve::Status;
        [
            RowOutcome::Solved(Status::Optimal),
            RowOutcome::Solved(Status::TimeLimit),
            RowOutcome::Infeasible,
            RowOutcome::Error,
        ]
        .into_iter()
        .find(|o| o.name() == text)
    }
}

/// The result of one variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub variant: String,
    pub sample: Option<u32>,
    /// The label of each axis's value.
    pub axes: Vec<String>,
    /// Members dropped by the Monte Carlo draw.
    pub dropped: Vec<String>,
    pub status: RowOutcome,
    pub coverage: Option<f64>,
    /// By the base scenario's domains and phases (a group without requirements: none).
    pub by_domain: Vec<Option<f64>>,
    pub by_phase: Vec<Option<f64>>,
    pub troops: Option<f64>,
    pub cost: Option<f64>,
    pub first_stage: Option<(String, f64)>,
    pub error: Option<String>,
}

impl Row {
    pub fn failed(&self) -> bool {
        self.status == RowOutcome::Error
    }
}

/// Solves one variant into its row. Infeasibility is an outcome; any other failure is an
/// `error` row, never a panic or an abort of the sweep.
pub fn solve_variant(sweep: &Sweep, variant: &Variant, settings: &SolverSettings) -> Row {
    let (scenario, dropped) = sweep.scenario(variant, settings.integer);
    let axes = variant
        .values
        .iter()
        .zip(&sweep.axes)
        .map(|(&v, axis)| axis.values[v].label.clone())
        .collect();
    let mut row = Row {
        variant: variant.id.clone(),
        sample: variant.sample,
        axes,
        dropped,
        status: RowOutcome::Error,
        coverage: None,
        by_domain: vec![None; sweep.base.domains.len()],
        by_phase: vec![None; sweep.base.phases.len()],
        troops: None,
        cost: None,
        first_stage: None,
        error: None,
    };
    match solve_scenario(&scenario, settings) {
        Ok(planned) => {
            let c = &planned.figures.coverage;
            row.status = RowOutcome::Solved(planned.plan.status);
            row.coverage = Some(c.overall);
            // Variants keep the base's domains and phases, so indices line up.
            row.by_domain = c.by_domain.clone();
            row.by_phase = c.by_phase.clone();
            row.troops = Some(planned.figures.total_troops);
            row.cost = Some(planned.figures.total_cost);
            row.first_stage = planned
                .plan
                .stages
                .first()
                .map(|s| (s.name.clone(), s.value));
        }
        Err(PlanError::Infeasible(floors)) => {
            row.status = RowOutcome::Infeasible;
            let names: Vec<&str> = floors
                .iter()
                .map(|f| scenario.requirements[f.requirement].id.as_str())
                .collect();
            row.error = Some(format!("hard floors cannot be met: {}", names.join(", ")));
        }
        Err(err) => {
            row.status = RowOutcome::Error;
            row.error = Some(err.to_string());
        }
    }
    row
}

/// How to run a sweep.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub fail_fast: bool,
    pub shard: Option<(u32, u32)>,
    /// Variant ids already done (from `--resume`).
    pub skip: HashSet<String>,
    /// Non-zero (a signal number) once the run should stop handing out variants; the
    /// variants being solved are finished and emitted.
    pub interrupt: Option<Arc<AtomicUsize>>,
}

/// Runs the selected variants in parallel on the current rayon pool. `emit` receives rows
/// in variant order, each as soon as every earlier row is out; `progress` is called once
/// per solved variant. Returns the rows emitted.
pub fn run(
    sweep: &Sweep,
    settings: &SolverSettings,
    options: &RunOptions,
    emit: &mut (dyn FnMut(&Row) + Send),
    progress: &(dyn Fn() + Sync),
) -> Vec<Row> {
    let todo: Vec<&Variant> = sweep
        .variants
        .iter()
        .filter(|v| options.shard.is_none_or(|s| Sweep::in_shard(v, s)))
        .filter(|v| !options.skip.contains(&v.id))
        .collect();
    let stop = AtomicBool::new(false);
    struct Reorder<'a> {
        next: usize,
        pending: BTreeMap<usize, Row>,
        emit: &'a mut (dyn FnMut(&Row) + Send),
        done: Vec<Row>,
    }
    let state = Mutex::new(Reorder {
        next: 0,
        pending: BTreeMap::new(),
        emit,
        done: Vec::new(),
    });
    // One variant per task: solve times vary a hundredfold, so chunks would leave a thread idle.
    todo.par_iter()
        .with_max_len(1)
        .enumerate()
        .for_each(|(position, variant)| {
            let interrupted = options
                .interrupt
                .as_ref()
                .is_some_and(|s| s.load(Ordering::SeqCst) != 0);
            if interrupted || stop.load(Ordering::Relaxed) {
                return;
            }
            let row = solve_variant(sweep, variant, settings);
            if row.failed() && options.fail_fast {
                stop.store(true, Ordering::Relaxed);
            }
            progress();
            let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
            state.pending.insert(position, row);
            loop {
                let next = state.next;
                let Some(row) = state.pending.remove(&next) else {
                    break;
                };
                (state.emit)(&row);
                state.done.push(row);
                state.next += 1;
            }
        });
    // With --fail-fast or an interruption, later variants may be missing: what was solved
    // still goes out, in variant order.
    let mut state = state.into_inner().unwrap_or_else(|p| p.into_inner());
    let rest: Vec<Row> = std::mem::take(&mut state.pending).into_values().collect();
    for row in rest {
        (state.emit)(&row);
        state.done.push(row);
    }
    state.done
}
