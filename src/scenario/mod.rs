//! The scenario: what members offer and what the mission requires.
//!
//! Raw input (TOML and CSV, see `source`) becomes a validated [`Scenario`] in `load`, the
//! only place input is trusted. Every reference in a `Scenario` is an index that is known to
//! be valid, every number is finite and within its documented range.

pub mod diagnostic;
mod eligibility;
mod fields;
mod in_code;
pub mod limits;
mod load;
pub mod schema;
mod source;
mod tables;
#[cfg(test)]
pub(crate) mod tests_support;
mod vocabulary;
mod workbook;

pub use diagnostic::{Diagnostic, Diagnostics, Location, ProblemKind, Severity};
pub use eligibility::OfferIndex;
pub(crate) use eligibility::{Pair, capability_factor, coefficient_of};
pub use in_code::{
    MemberSpec, OfferSpec, PhaseSpec, RequirementSpec, ScenarioBuilder, SubstitutionSpec,
};
pub(crate) use load::raw_tables;
pub use load::{LoadError, Loaded, load, load_str};
pub(crate) use source::{Columns, RawTable, RawValue};
pub(crate) use tables::TableSet;
pub(crate) use tables::{MEMBER_COLUMNS, OFFER_COLUMNS, REQUIREMENT_COLUMNS, SUBSTITUTION_COLUMNS};

use std::collections::BTreeMap;

/// A member state of the coalition.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// Unique member id (e.g. `FRA`).
    pub id: String,
    /// Display name (the id where none was given).
    pub name: String,
    /// Fair-share key (e.g. GDP), > 0 where set.
    pub burden_key: Option<f64>,
    /// Most troops deployed at once, per phase.
    pub max_troops: Option<f64>,
    /// Most cost per phase.
    pub max_cost: Option<f64>,
    /// National caveats: tags a requirement may exclude.
    pub caveats: Vec<String>,
    /// Probability in [0, 1] that the member delivers (Monte Carlo sweeps).
    pub reliability: f64,
}

/// A phase of the mission, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    /// Unique phase id.
    pub id: String,
    /// In a sustained phase an offer's rotation ratio applies.
    pub sustained: bool,
}

/// One offer: units of one capability from one member.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    /// Unique offer id.
    pub id: String,
    /// Index into [`Scenario::members`].
    pub member: usize,
    /// The capability offered.
    pub capability: String,
    /// Index into [`Scenario::domains`].
    pub domain: usize,
    /// Units offered (positive).
    pub units: f64,
    /// Troops per unit.
    pub troops_per_unit: f64,
    /// Cost per unit, in the scenario's unit of cost.
    pub cost_per_unit: f64,
    /// Days until the offer is ready.
    pub readiness_days: f64,
    /// Units in the pool needed to keep one deployed in a sustained phase, >= 1.
    pub rotation: f64,
    /// Indices into [`Scenario::phases`], ascending.
    pub phases: Vec<usize>,
    /// Per-unit equipment counts, by item, sorted by item.
    pub equipment: Vec<(String, f64)>,
}

impl Offer {
    /// How many of `item` one unit carries (0 if none).
    pub fn equipment_count(&self, item: &str) -> f64 {
        self.equipment
            .iter()
            .find(|(name, _)| name == item)
            .map_or(0.0, |(_, count)| *count)
    }

    /// Whether the offer may serve in `phase` (an index).
    pub fn available_in(&self, phase: usize) -> bool {
        self.phases.binary_search(&phase).is_ok()
    }
}

/// The capability a requirement asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CapabilityWanted {
    /// `*`: any capability of the requirement's domain.
    Any,
    /// This capability (or one that substitutes for it).
    Named(String),
}

/// What a requirement's target counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Units (battalions, ships, squadrons...).
    Units,
    /// Troops deployed.
    Troops,
    /// Items of this equipment carried by the units deployed (`equipment:ITEM`).
    Equipment(String),
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Measure::Units => f.write_str("units"),
            Measure::Troops => f.write_str("troops"),
            Measure::Equipment(item) => write!(f, "equipment:{item}"),
        }
    }
}

/// One requirement of the mission, in one phase.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    /// Unique requirement id.
    pub id: String,
    /// Index into [`Scenario::domains`].
    pub domain: usize,
    /// The capability asked for.
    pub capability: CapabilityWanted,
    /// Index into [`Scenario::phases`].
    pub phase: usize,
    /// What the target counts.
    pub measure: Measure,
    /// The amount wanted, in [`measure`](Self::measure) (positive).
    pub target: f64,
    /// Hard floor on the covered amount, 0 <= minimum <= target.
    pub minimum: f64,
    /// 1 (highest) to 5.
    pub priority: u8,
    /// Only offers ready within this many days count.
    pub max_readiness_days: Option<f64>,
    /// Most of the target one member may provide, in (0, 1].
    pub max_share: f64,
    /// Fewest members that should contribute (soft), >= 1.
    pub min_members: u32,
    /// Member caveats that exclude a member's offers.
    pub excluded_caveats: Vec<String>,
    /// Member expected to lead, index into [`Scenario::members`].
    pub lead: Option<usize>,
    /// Share of the target the lead should provide (soft), in [0, 1].
    pub lead_share: f64,
    /// Free-text region.
    pub region: String,
    /// Free-text description.
    pub description: String,
}

/// An offer of capability `substitute` may meet a requirement for `required`, each unit
/// counting `factor` units. Substitutions do not chain.
#[derive(Clone, Debug, PartialEq)]
pub struct Substitution {
    /// The capability required.
    pub required: String,
    /// The capability that may stand in for it.
    pub substitute: String,
    /// How much one unit of the substitute counts, in (0, 1].
    pub factor: f64,
}

/// The measure in which member burden is counted for the fairness stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fairness {
    /// Burden counted in troops deployed.
    Troops,
    /// Burden counted in cost.
    Cost,
}

/// The solver backends forcegen knows; whether one is compiled in is checked at solve time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Backend {
    /// microlp, pure Rust (through good_lp): always compiled in.
    Microlp,
    /// HiGHS, built from source (the default feature `highs`).
    Highs,
}

impl Backend {
    /// Every backend forcegen knows, compiled in or not.
    pub const ALL: [Backend; 2] = [Backend::Microlp, Backend::Highs];

    /// The backend's name in files and on the command line (`microlp`, `highs`).
    pub fn name(self) -> &'static str {
        match self {
            Backend::Microlp => "microlp",
            Backend::Highs => "highs",
        }
    }

    /// The backend of a name, if forcegen knows it.
    pub fn from_name(name: &str) -> Option<Backend> {
        Backend::ALL.into_iter().find(|b| b.name() == name)
    }

    /// HiGHS where it is compiled in (the default build), else microlp.
    pub fn default_for_build() -> Backend {
        if cfg!(feature = "highs") {
            Backend::Highs
        } else {
            Backend::Microlp
        }
    }
}

/// How a scenario is solved: backend, whole units or not, time limit, MIP gap.
#[derive(Clone, Debug, PartialEq)]
pub struct SolverSettings {
    /// The solver backend.
    pub backend: Backend,
    /// Whole units only (a MILP; the default). Off: the LP relaxation.
    pub integer: bool,
    /// Wall-clock limit of each solve, in seconds.
    pub time_limit_s: f64,
    /// Relative MIP gap.
    pub mip_gap: f64,
    /// Keep one model through the stages of a solve, each stage going on from the last
    /// one's basis and bounds (HiGHS; not read from files). Off: every stage is built from
    /// scratch (`--cold`).
    pub reuse: bool,
}

impl Default for SolverSettings {
    fn default() -> Self {
        SolverSettings {
            backend: Backend::default_for_build(),
            integer: true,
            time_limit_s: 60.0,
            mip_gap: 1e-4,
            reuse: true,
        }
    }
}

/// Thresholds for `forcegen check`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checks {
    /// Overall coverage at least this share.
    pub min_coverage: Option<f64>,
    /// By domain name.
    pub min_domain_coverage: BTreeMap<String, f64>,
    /// By phase id.
    pub min_phase_coverage: BTreeMap<String, f64>,
    /// By priority level.
    pub min_priority_coverage: BTreeMap<u8, f64>,
    /// Every warning of loading is an error (as `--strict`).
    pub strict: bool,
}

/// A validated scenario: every reference an index known to be valid, every number finite
/// and in its range. Made by [`Scenario::load`] or [`ScenarioBuilder::build`]; to change one,
/// go through [`ScenarioBuilder::from_scenario`] so that the change is validated too (a
/// scenario changed by hand is solved as it stands).
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The scenario's name.
    pub name: String,
    /// Free-text description.
    pub description: String,
    /// Domain names, in order; requirements and offers refer to them by index.
    pub domains: Vec<String>,
    /// Phases, in order.
    pub phases: Vec<Phase>,
    /// Member states.
    pub members: Vec<Member>,
    /// Offers; each refers to its member, domain and phases by index.
    pub offers: Vec<Offer>,
    /// Requirements, in input order.
    pub requirements: Vec<Requirement>,
    /// Capability substitutions.
    pub substitutions: Vec<Substitution>,
    /// The burden measure of the fairness stage; no burden stage when `None`.
    pub fairness: Option<Fairness>,
    /// The scenario's solver settings.
    pub solver: SolverSettings,
    /// Thresholds for `forcegen check`.
    pub checks: Checks,
}

impl Scenario {
    /// Loads and validates the scenario file at `path` (TOML; its tables as CSV files, a
    /// workbook, or inline), with the warnings and notes found on the way.
    pub fn load(path: &std::path::Path) -> Result<Loaded, LoadError> {
        load(path)
    }

    /// An empty scenario to fill in code (see [`ScenarioBuilder`]).
    pub fn builder(name: impl Into<String>) -> ScenarioBuilder {
        ScenarioBuilder::new(name)
    }

    /// The substitution factor by which an offer of `offered` counts toward `required`:
    /// 1 when equal, the substitution's factor where one exists, none otherwise.
    pub fn substitution_factor(&self, required: &str, offered: &str) -> Option<f64> {
        eligibility::capability_factor(
            required,
            offered,
            self.substitutions
                .iter()
                .map(|s| (s.required.as_str(), s.substitute.as_str(), s.factor)),
        )
    }

    /// The index of the member with id `id`.
    pub fn member_index(&self, id: &str) -> Option<usize> {
        self.members.iter().position(|m| m.id == id)
    }

    /// The index of the domain named `name`.
    pub fn domain_index(&self, name: &str) -> Option<usize> {
        self.domains.iter().position(|d| d == name)
    }

    /// The index of the phase with id `id`.
    pub fn phase_index(&self, id: &str) -> Option<usize> {
        self.phases.iter().position(|p| p.id == id)
    }

    /// The priority levels present among the requirements, highest (1) first.
    pub fn priority_levels(&self) -> Vec<u8> {
        let mut levels: Vec<u8> = self.requirements.iter().map(|r| r.priority).collect();
        levels.sort_unstable();
        levels.dedup();
        levels
    }
}
