//! Scenario -> linear model: eligibility pairs, coverage with shortfall, capacities, caps,
//! shares, soft multinationality and lead, and the lexicographic stages (docs/spec.md,
//! "The model").
//!
//! [`formulate`] builds the model one family of columns and rows after another, each in a
//! file of its own; the order in which they come is the order of the model's columns and
//! rows, on which the exported files and the solvers' paths depend:
//!
//! - `pairs.rs`: the labels that names refer to, and the eligible pairs with their columns
//!   x(o, q).
//! - `coverage.rs`: the shortfalls s(q) with the hard floors (soft floors: v(q) and a row
//!   each), and the coverage rows (constraints 1 and 2).
//! - `groups.rs`: the pairs grouped by (offer, phase) and (member, phase), for the rows
//!   that sum over a phase.
//! - `capacity.rs`: offer capacity per phase, rotation applied (constraint 3).
//! - `caps.rs`: member troop and cost caps per phase (constraint 4).
//! - `shares.rs`: the rows on a member's part of a requirement: share caps, soft
//!   multinationality and the soft lead share (constraints 5 to 7).
//! - `stages.rs`: the lexicographic stages: floor violation, priorities, burden, cost.
//! - `burden.rs`: the burden column, its rows (constraint 8) and its scale.
//!
//! Beside the formulation: the solver-neutral linear model it builds (`linear.rs`) and the
//! MPS and LP writers ([`export`]).

mod burden;
mod capacity;
mod caps;
mod coverage;
pub mod export;
mod groups;
mod linear;
mod pairs;
mod shares;
mod stages;

pub use linear::{Column, Label, Labels, Linear, LinearModel, Name, Row, evaluate};

use crate::scenario::{Offer, Scenario};

/// A per-unit figure of an offer (troops, cost, ...).
type PerUnit = fn(&Offer) -> f64;

/// One eligible (offer, requirement) pair and its column x(o, q).
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    pub offer: usize,
    pub requirement: usize,
    /// a(o, q): the requirement's measure provided by one unit.
    pub coefficient: f64,
    pub column: usize,
}

/// One stage of the lexicographic objective.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub kind: StageKind,
    /// The kind's name: `priority-N`, `burden`, `cost`, `troops`, `units` or
    /// `floor-violation`.
    pub name: String,
    pub objective: Linear,
}

impl Stage {
    pub fn new(kind: StageKind, objective: Linear) -> Stage {
        Stage {
            kind,
            name: kind.name(),
            objective,
        }
    }
}

/// What a stage minimises (docs/spec.md, "Objective").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StageKind {
    /// The hard floors' violations, relative to each floor (explaining infeasibility).
    FloorViolation,
    /// The relative shortfalls of the requirements of one priority level.
    Priority(u8),
    /// The largest burden ratio.
    Burden,
    /// Total cost; where no offer has a cost, troops; where neither, units.
    Cost,
    /// Total troops deployed: the last stage where no offer has a cost.
    Troops,
    /// Total units deployed: the last stage where no offer has a cost or troops.
    Units,
}

impl StageKind {
    /// The name results give the stage.
    pub fn name(self) -> String {
        match self {
            StageKind::FloorViolation => "floor-violation".into(),
            StageKind::Priority(level) => format!("priority-{level}"),
            StageKind::Burden => "burden".into(),
            StageKind::Cost => "cost".into(),
            StageKind::Troops => "troops".into(),
            StageKind::Units => "units".into(),
        }
    }
}

/// How to formulate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FormulationOptions {
    /// Whole units only: x(o, q) integer.
    pub integer: bool,
    /// Hard floors become soft, with a violation column each and a first stage
    /// `floor-violation` minimising their sum relative to each floor: the infeasibility
    /// explanation's model.
    pub soft_floors: bool,
}

/// The model of a scenario, with the map back from columns to the domain.
#[derive(Clone, Debug)]
pub struct Formulation {
    pub lp: LinearModel,
    pub stages: Vec<Stage>,
    pub pairs: Vec<Pair>,
    /// s(q), by requirement.
    pub shortfall: Vec<usize>,
    /// With `soft_floors`: (requirement, violation column) for each requirement with a floor.
    pub floor_violations: Vec<(usize, usize)>,
}

/// Builds the model of `scenario` exactly as docs/spec.md, "The model", states it.
pub fn formulate(scenario: &Scenario, options: FormulationOptions) -> Formulation {
    // In the order of the model's columns and rows (see the module documentation).
    let mut build = Build::new(scenario, options); // the labels, x(o, q)
    let shortfall = build.shortfall(); // s(q); soft floors: v(q) and their rows
    build.coverage(&shortfall.columns); // constraint 1 (2 is the bound of s(q))
    let groups = build.groups();
    build.capacity(&groups.by_offer_phase); // constraint 3
    build.caps(&groups.by_member_phase); // constraint 4
    build.share_caps(); // constraint 5
    let multinational = build.multinationality(); // constraint 6: y(m, q), z(q)
    let lead = build.lead(); // constraint 7: l(q)
    // The stages; the burden's column and rows (constraint 8) come last, with its stage.
    let stages = build.stages(&shortfall, &multinational, &lead, &groups.by_member_phase);
    Formulation {
        lp: build.lp,
        stages,
        pairs: build.pairs,
        shortfall: shortfall.columns,
        floor_violations: shortfall.floor_violations,
    }
}

/// The model while [`formulate`] builds it, and what its families of rows share.
struct Build<'a> {
    scenario: &'a Scenario,
    options: FormulationOptions,
    lp: LinearModel,
    ids: Ids,
    /// The eligible pairs, in requirement order: pair i is column i, which the rows use
    /// instead of looking the pair up.
    pairs: Vec<Pair>,
    /// The pairs of each requirement, as indices into `pairs`, ascending.
    pairs_of_requirement: Vec<Vec<usize>>,
}

/// The labels of the scenario's ids, which names refer to.
struct Ids {
    offer: Labels,
    requirement: Labels,
    member: Labels,
    phase: Labels,
}

/// A name of two labels: `kind[first,second]`.
fn named(kind: &'static str, first: Label, second: Label) -> Name {
    Name::Labelled(kind, first, Some(second))
}

/// A name of one label: `kind[first]`.
fn named1(kind: &'static str, first: Label) -> Name {
    Name::Labelled(kind, first, None)
}

/// What the tests of the families share.
#[cfg(test)]
mod testing {
    use super::{Formulation, Row};
    use crate::scenario::{Requirement, Scenario};

    /// The row named `name`.
    pub(super) fn row<'a>(f: &'a Formulation, name: &str) -> &'a Row {
        f.lp.rows
            .iter()
            .find(|r| f.lp.name(&r.name) == name)
            .unwrap_or_else(|| panic!("no row {name}"))
    }

    /// Adds `land-2`, a copy of the first requirement, in `phase`.
    pub(super) fn second_requirement(s: &mut Scenario, phase: usize) {
        let mut r: Requirement = s.requirements[0].clone();
        r.id = "land-2".into();
        r.phase = phase;
        s.requirements.push(r);
    }
}
