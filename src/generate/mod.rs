//! Synthetic scenarios of a chosen size, for benchmarks and scale tests.
//!
//! [`generate`] turns a [`GenerateSpec`] into the files of a scenario (`scenario.toml` and
//! four CSV tables), byte for byte the same for the same spec. The scenario has the mix of
//! features of the flagship: land, sea and air capabilities with troops, cost, readiness,
//! rotation and equipment; caveats; substitutions; requirements in units, troops and
//! equipment with priorities, readiness limits, share caps, leads, `min_members`; troop
//! and cost caps; burden keys with a fairness stage; and hard floors that can all be met
//! together (each floor is no more than a feasible whole-unit plan, built greedily while
//! generating, provides).
//!
//! The steps, one module each:
//! - `catalogue`: the kinds of unit, caveats, readiness times and substitutions drawn from;
//! - `draw`: members, offers, caps and requirements, from one seeded random stream;
//! - `floors`: the requirements' targets and hard floors, by the scenario layer's
//!   eligibility rule;
//! - `write`: `scenario.toml` and the CSV tables, under the loader's column names.

mod catalogue;
mod draw;
mod floors;
mod write;

use crate::analysis::sweep::SplitMix64;

use catalogue::KINDS;
use draw::Rng;

/// The size and seed of a synthetic scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenerateSpec {
    pub members: usize,
    pub offers_per_member: usize,
    pub requirements: usize,
    pub phases: usize,
    pub seed: u64,
    /// About how many offers share one capability: the catalogue grows numbered variants
    /// (`frigate_2`, ...) so that each requirement is eligible for about this many offers
    /// whatever the size. More gives more eligible pairs per requirement.
    pub offers_per_capability: usize,
    /// Leave out `min_members` (the only feature that adds binaries): a pure LP.
    pub lp: bool,
}

/// The scenario's files, as (file name, bytes), `scenario.toml` first.
pub fn generate(spec: &GenerateSpec) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng(SplitMix64::new(spec.seed ^ 0x5eed_f07c_e6e0));
    let phases = spec.phases.max(1);
    let total_offers = spec.members * spec.offers_per_member;
    let variants = total_offers
        .div_ceil(KINDS.len() * spec.offers_per_capability.max(1))
        .max(1);

    let mut members = draw::draw_members(spec, &mut rng);
    let offers = draw::draw_offers(spec, &mut rng, &members, phases, variants);
    draw::set_caps(&mut members, &offers, &mut rng);
    let mut requirements = draw::draw_requirements(spec, &mut rng, &offers, phases, variants);
    floors::set_targets(&mut requirements, &offers, &members, phases);
    floors::set_floors(&mut requirements, &offers, &members, phases, &mut rng);

    let substitutions = catalogue::applicable_substitutions(&offers, &requirements, variants);
    // A small scenario may have no substitution that applies: then it has no such table
    // (the loader refuses a table without rows).
    let with_substitutions = !substitutions.is_empty();
    let mut files = vec![
        (
            "scenario.toml".to_string(),
            write::toml_text(spec, phases, with_substitutions),
        ),
        ("members.csv".to_string(), write::members_csv(&members)),
        ("offers.csv".to_string(), write::offers_csv(&offers)),
        (
            "requirements.csv".to_string(),
            write::requirements_csv(&requirements, &members),
        ),
    ];
    if with_substitutions {
        files.push((
            "substitutions.csv".to_string(),
            write::substitutions_csv(&substitutions),
        ));
    }
    files
}
