//! The asks list (docs/spec.md, "The asks list"), in two parts.
//!
//! **Extra units.** What one more unit of an offer would improve: the scenario re-solved
//! with it, with the same solver settings, and the stage values compared with the base
//! lexicographically. A stage counts as improved when it drops by more than
//! 1e-7 max(1, |base value|) (the tolerance by which stages are held) with every earlier stage
//! no worse than that. Offers that improve are ranked by the earliest stage they improve,
//! then by how much they improve it (largest first), then by offer id; the list holds the
//! best [`LISTED`] (what the result reports).
//!
//! Every value in the list comes from an exact re-solve, never from dual values, which hold
//! only for a marginal change and do not exist for whole units. The re-solves are saved
//! where the answer is known without one, and the search runs stage by stage:
//! - an offer eligible for no requirement has no column: an extra unit changes nothing; with
//!   whole units, neither does one that no phase can deploy (a pool of 5 with rotation 4
//!   keeps one unit in place, and so does a pool of 6), when the offer serves sustained
//!   phases only; in a model without integer columns, neither does an offer whose pool is
//!   not used up in any phase (the base plan stays optimal: a local optimum of a linear
//!   program is global);
//! - at each stage k, every offer still in the running is screened by the LP relaxation of
//!   its variant at stage k, with the stages before k held at the base's values: a bound that
//!   no whole-unit plan of the variant beats. If the bound does not beat the base's value,
//!   the offer cannot improve stage k (exactly); otherwise its variant is re-solved, stages
//!   1 to k, to decide. This is the whole cost when the relaxation is tight, as for the
//!   priorities of the flagship;
//! - the stages are searched in order and the search stops once [`LISTED`] improving offers
//!   are known: an offer improving only a later stage ranks below all of them. The `note`
//!   then says which stages were searched.
//!
//! The coverage change of a listed ask compares the variant's plan with the base's, both
//! solved through the priority stages (and through the improved stage, if later): the
//! plan that closes the shortfall, whatever the later stages, which only choose among plans
//! that keep every priority, do with it.
//!
//! An offer can improve the plan through a requirement that has no shortfall: an extra
//! unit there frees another member's troops, units or budget for something else, or lowers
//! the cost. So offers are not screened by the shortfalls they are eligible for.
//!
//! **Blockers.** For each requirement short by more than 1e-6 of its target: every member
//! with an offer of a capability that could serve it (same domain, and capability equal, `*`,
//! or a substitution, with a coefficient > 0, phase, readiness and caveats aside), the offers,
//! and each reason the member does not give more: `caveat:<tag>` (the member has one of the
//! requirement's excluded caveats), `readiness` (an offer is slower than the requirement's
//! limit), `phase` (an offer is not available in the requirement's phase), `capacity` (an
//! eligible offer's pool is used up in that phase), `max_troops` / `max_cost` (the member's
//! cap binds in that phase, for an offer that carries troops / cost), `max_share` (the member
//! provides its share cap of the requirement already). "Used up" and "binds" mean within
//! 1e-6 max(1, bound); with whole units, that not one more whole unit fits.
//!
//! This file holds the entry point, [`asks`], and what it returns; the parts, by file:
//!
//! - `search.rs`: the search driver: stage by stage, screens then re-solves, the ranking
//!   and the coverage changes.
//! - `screen.rs`: one offer's variant against the base: the relaxation's screen, the
//!   deciding re-solve, the solve through the priorities.
//! - `candidates.rs`: the offers worth searching, and what the base plan uses of an offer's
//!   pool.
//! - `blockers.rs`: who could close each shortfall and what stops them.

mod blockers;
mod candidates;
mod screen;
mod search;

use crate::analysis::progress::Progress;
use crate::pipeline::Planned;
use crate::scenario::{Scenario, SolverSettings};

pub use blockers::blockers;
pub use candidates::extra_unit_candidates;

/// Above this many offers the extra-unit part is skipped (a search over every offer).
pub const MAX_OFFERS_FOR_EXTRA_UNITS: usize = 400;

/// How many extra-unit asks the search ranks for certain (the JSON result lists them).
pub const LISTED: usize = 20;

/// One offer whose extra unit improves the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtraUnit {
    pub offer: usize,
    /// Index of the first improved stage in the plan's stages.
    pub stage: usize,
    pub base_value: f64,
    pub new_value: f64,
    /// New overall coverage minus the base's (see the module documentation).
    pub coverage_change: f64,
}

impl ExtraUnit {
    pub fn improvement(&self) -> f64 {
        self.base_value - self.new_value
    }
}

/// A member that could serve a short requirement, and why it does not give more.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockedMember {
    pub member: usize,
    /// Its offers of a capability that could serve the requirement.
    pub offers: Vec<usize>,
    /// In the order: caveats, readiness, phase, capacity, max_troops, max_cost, max_share.
    pub reasons: Vec<String>,
}

/// A requirement with a shortfall and the members that could close it.
#[derive(Clone, Debug, PartialEq)]
pub struct Blocker {
    pub requirement: usize,
    pub shortfall: f64,
    pub members: Vec<BlockedMember>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Asks {
    /// The improving offers found, ranked: the best [`LISTED`] for certain, or all of them
    /// when the search covered every stage.
    pub extra_units: Vec<ExtraUnit>,
    /// By requirement order.
    pub blockers: Vec<Blocker>,
    /// How many variants were re-solved (stages 1 to k) to decide an offer.
    pub resolved: usize,
    /// How many relaxations screened offers.
    pub screened: usize,
    /// Where the search stopped early (every listed ask is still exact): which stages it
    /// searched.
    pub searched: Option<String>,
    /// Why part of the asks is missing, where it is.
    pub note: Option<String>,
}

/// The asks list of a verified, optimal plan. Re-solves run on the current rayon pool;
/// `progress` is told the offers decided.
pub fn asks(
    scenario: &Scenario,
    settings: &SolverSettings,
    planned: &Planned,
    progress: Progress<'_>,
) -> Asks {
    let blockers = blockers(scenario, settings, planned);
    if scenario.offers.len() > MAX_OFFERS_FOR_EXTRA_UNITS {
        return Asks {
            blockers,
            note: Some(format!(
                "extra-unit asks skipped: {} offers, more than {MAX_OFFERS_FOR_EXTRA_UNITS} (one search each)",
                scenario.offers.len()
            )),
            ..Asks::default()
        };
    }
    Asks {
        blockers,
        ..search::extra_units(scenario, settings, planned, progress)
    }
}
