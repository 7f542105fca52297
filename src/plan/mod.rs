//! Solution -> Plan: who deploys what on which requirement, the coverage figures, and the
//! independent plan checker that every reported plan must pass.

pub mod check;
mod figures;

pub use figures::{
    Coverage, Figures, MET_TOLERANCE, MemberFigures, RequirementFigures, figures, is_met,
};

use crate::model::Formulation;
use crate::scenario::Backend;
use crate::solve::{Solution, SolveStats, StageValue, Status};

/// Units of one offer deployed on one requirement.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub offer: usize,
    pub requirement: usize,
    pub units: f64,
}

/// A solved plan, before any figure is derived from it.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Ordered by requirement, then offer.
    pub assignments: Vec<Assignment>,
    pub status: Status,
    pub stages: Vec<StageValue>,
    pub backend: Backend,
    pub integer: bool,
    pub seconds: f64,
    /// How much later stages may trade earlier ones (see `Solution::hold_tolerance`).
    pub hold_tolerance: f64,
    /// How the solve went on the backend.
    pub stats: SolveStats,
}

impl Plan {
    /// Reads the assignments out of a solution of `formulation`.
    pub fn from_solution(
        formulation: &Formulation,
        solution: Solution,
        backend: Backend,
        integer: bool,
    ) -> Plan {
        let mut assignments: Vec<Assignment> = formulation
            .pairs
            .iter()
            .filter_map(|pair| {
                let units = solution.values[pair.column];
                (units > 0.0).then_some(Assignment {
                    offer: pair.offer,
                    requirement: pair.requirement,
                    units,
                })
            })
            .collect();
        assignments.sort_by_key(|a| (a.requirement, a.offer));
        Plan {
            assignments,
            status: solution.status,
            stages: solution.stages,
            backend,
            integer,
            seconds: solution.seconds,
            hold_tolerance: solution.hold_tolerance,
            stats: solution.stats,
        }
    }
}
