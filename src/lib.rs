//! # forcegen
//!
//! Coalition force-generation planning: member states offer units, troops, equipment and
//! domain components; a mission states its requirements by domain, phase and priority.
//! forcegen turns the two into a linear program, solves it lexicographically (hard floors,
//! then priority 1 to 5, then fair burden, cost, troops and units) in whole units, checks
//! every plan with an independent plan checker, and reports who covers what, where the
//! shortfalls are, and which extra pledge would help most.
//!
//! The `forcegen` command line is one client of this crate; the items at the crate root
//! are the library's surface:
//!
//! - [`Scenario`]: read from files with [`Scenario::load`] (TOML with CSV tables, inline
//!   tables, or an Excel/ODS workbook), or built in code with [`ScenarioBuilder`]. Both are
//!   validated by the same rules with the same [`Diagnostic`]s; a value given in code is
//!   located by its field path (`offers[3].units`).
//! - [`solve()`]: one call, giving an [`Outcome`] that is data: a verified plan or the hard
//!   floors that cannot be met, as a [`ResultDoc`] that serialises to the documented JSON.
//! - [`stress()`], [`sweep()`] and [`compare()`]: the analyses, with typed results and an
//!   [`OnProgress`] callback in place of a progress bar; the asks come with [`solve()`].
//! - [`Error`]: why a call gave no result.
//!
//! Scenarios, plans and documents are `Send + Sync`: solve from as many threads as you
//! like. HiGHS runs with one thread per model, so parallel solves share the cores rather
//! than oversubscribe them; [`stress()`] and [`sweep()`] run on a rayon pool of their own
//! (`threads`), one solve per task.
//!
//! Modules hidden from these docs hold forcegen's internals, used by its command line,
//! tests and benchmarks: they are not part of the surface and change without notice.
//!
//! ## Example
//!
//! Two members, one requirement, built in code and solved in whole units:
//!
//! ```
//! use forcegen::{MemberSpec, OfferSpec, Outcome, RequirementSpec, ScenarioBuilder, SolveOptions};
//!
//! let loaded = ScenarioBuilder::new("two members")
//!     .member(MemberSpec::new("FRA"))
//!     .member(MemberSpec::new("DEU"))
//!     .offer(OfferSpec::new("FRA", "infantry_bn", "land", 2.0))
//!     .offer(OfferSpec::new("DEU", "infantry_bn", "land", 1.0))
//!     .requirement(RequirementSpec {
//!         max_share: Some(0.5), // no member provides more than half
//!         ..RequirementSpec::new("land-1", "land", "infantry_bn", 4.0)
//!     })
//!     .build()
//!     .expect("the scenario is valid");
//! assert!(loaded.warnings.is_empty());
//!
//! let outcome = forcegen::solve(&loaded.scenario, &SolveOptions::default())?;
//! let Outcome::Plan(plan) = outcome else { panic!("a plan exists") };
//! // FRA may give 2 of the 4 battalions, DEU its 1: 3 of 4 are covered.
//! let covered: f64 = plan.assignments.iter().map(|a| a.units.raw()).sum();
//! assert_eq!(covered, 3.0);
//! assert_eq!(plan.requirements[0].shortfall.raw(), 1.0);
//! # Ok::<(), forcegen::Error>(())
//! ```
//!
//! A value out of its range is an error located by its field path:
//!
//! ```
//! use forcegen::{MemberSpec, OfferSpec, RequirementSpec, ScenarioBuilder};
//!
//! let err = ScenarioBuilder::new("bad")
//!     .member(MemberSpec::new("FRA"))
//!     .offer(OfferSpec::new("FRA", "infantry_bn", "land", -2.0))
//!     .requirement(RequirementSpec::new("land-1", "land", "infantry_bn", 4.0))
//!     .build()
//!     .unwrap_err();
//! assert_eq!(err.diagnostics[0].location.to_string(), "offers[0].units");
//! ```
#![deny(unsafe_code)]
#![warn(missing_docs)]

#[doc(hidden)]
pub mod analysis;
mod api;
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod convert;
#[doc(hidden)]
pub mod generate;
#[doc(hidden)]
pub mod model;
#[doc(hidden)]
pub mod num;
#[doc(hidden)]
pub mod output;
#[doc(hidden)]
pub mod pipeline;
#[doc(hidden)]
pub mod plan;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod scenario;
#[doc(hidden)]
pub mod solve;

pub use analysis::sweep::{
    Axis, AxisValue, Mode, MonteCarlo, Row as SweepRow, RowOutcome, Sweep, SweepError, Variant,
};
pub use analysis::variant::{Change, Selector};
pub use api::{
    Error, OnProgress, Outcome, SolveOptions, StressOptions, SweepOptions, SweepRows, compare,
    solve, stress, sweep,
};
pub use model::StageKind;
pub use num::{Named, Num};
pub use plan::check::Violation;
pub use report::compare::{
    Comparison, CoverageDelta, MemberDelta, PriorityDelta, RequirementDelta, SideInfo, StageDelta,
};
pub use report::document::{
    AsksDoc, AssignmentDoc, BlockedMemberDoc, BlockerDoc, CoverageDoc, EligibleOfferDoc,
    ExtraUnitDoc, MemberDoc, RelaxationDoc, RelaxedStageDoc, RequirementDoc, ResultDoc,
    ScenarioInfo, SolverDoc, StageDoc, UnmetFloorDoc,
};
pub use report::fair_share::{FairShareDoc, FairShareEntry};
pub use report::stress::{
    BaseDoc, CoverageDoc as StressCoverageDoc, SinglePointDoc, StressDoc, WithdrawalDoc,
};
pub use scenario::{
    Backend, CapabilityWanted, Checks, Diagnostic, Fairness, LoadError, Loaded, Location, Measure,
    Member, MemberSpec, Offer, OfferSpec, Phase, PhaseSpec, ProblemKind, Requirement,
    RequirementSpec, Scenario, ScenarioBuilder, Severity, SolverSettings, Substitution,
    SubstitutionSpec,
};
pub use solve::{OnStage, SolveError, StageStatus, StageTiming, StageValue, Status};
