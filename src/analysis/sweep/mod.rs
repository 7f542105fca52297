//! Sweeps: many variants of a base scenario, solved in parallel, one result row each.
//!
//! A sweep file names a base scenario and axes (withdraw members, scale offers or
//! requirements, set troop caps), combined as a grid (cartesian product) or zipped, and
//! optionally Monte Carlo samples in which each member delivers with its `reliability`.
//! Rows come out in variant order whatever the number of threads; a stable hash of the
//! variant id splits a sweep into shards.
//!
//! This file holds what a loaded sweep is; the rest, by step:
//!
//! - `load.rs`: reads and validates a sweep file: its axes and their values, the limit on
//!   variants ([`Sweep::load`], [`SweepError`]).
//! - `variants.rs`: the variants in order with their ids, the fingerprint, a variant's
//!   scenario with its Monte Carlo draw ([`Sweep::scenario`], [`fnv1a`]).
//! - `row.rs`: one variant solved into its result row ([`solve_variant`], [`Row`]).
//! - `run.rs`: the variants of a run (shard, resume) solved in parallel, rows emitted in
//!   order (`run`, [`Sweep::in_shard`]).

mod load;
mod row;
mod run;
mod variants;

use std::path::PathBuf;

use serde::Deserialize;

use super::variant::Change;
use crate::scenario::Scenario;

pub use load::{MAX_VARIANTS, SweepError};
pub use row::{Row, RowOutcome, solve_variant};
pub use run::{RunOptions, run};
pub(crate) use variants::SplitMix64;
pub use variants::fnv1a;

/// How a sweep combines its axes (the sweep file's `mode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Every combination of the axes' values (the cartesian product); the default.
    #[default]
    Grid,
    /// The axes side by side: the i-th value of every axis together; all axes have one length.
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

/// The sweep file's `[monte_carlo]` table: samples per variant, in each of which every
/// member delivers with its `reliability`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MonteCarlo {
    /// Samples drawn per variant; at least 1.
    pub samples: u32,
    /// Seed of the draws, so samples are reproducible; 0 when not given.
    #[serde(default)]
    pub seed: u64,
}

/// One value of an axis: its label in result rows and the change it makes.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisValue {
    /// The value as shown in the `axis:NAME` column: the factor or cap, or the withdrawn
    /// members joined with `+` (`none` when the list is empty).
    pub label: String,
    /// The change this value makes to the base scenario.
    pub change: Change,
}

/// One axis of change: its name and its values, in the sweep file's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The axis's name, unique and non-empty; its result column is `axis:NAME`.
    pub name: String,
    /// The axis's values, checked against the base scenario; never empty.
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
    /// The Monte Carlo sample, numbered from 1; `None` without `[monte_carlo]`.
    pub sample: Option<u32>,
}

/// A loaded sweep: the base scenario, its axes and every variant, in order.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// The base scenario's path: the sweep file's `base`, joined to the sweep file's folder.
    pub base_path: PathBuf,
    /// The base scenario, as loaded; every variant is a change of it.
    pub base: Scenario,
    /// The warnings of loading the base scenario (errors under `--strict`).
    pub base_warnings: Vec<crate::scenario::Diagnostic>,
    /// How the axes combine: `grid` (every combination, the default) or `zip` (side by side).
    pub mode: Mode,
    /// The axes of change, in the sweep file's order, each with its checked values.
    pub axes: Vec<Axis>,
    /// The Monte Carlo samples per variant and their seed; `None` without `[monte_carlo]`.
    pub monte_carlo: Option<MonteCarlo>,
    /// Every variant (and Monte Carlo sample), in the sweep's order.
    pub variants: Vec<Variant>,
    /// A fingerprint of the sweep file and the base scenario: shards of one sweep share it.
    pub fingerprint: String,
}
