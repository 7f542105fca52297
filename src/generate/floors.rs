//! Targets and hard floors of the drawn requirements. Targets are a share of the supply of
//! the capability in the phase; floors (on about 15% of the requirements) are at most what
//! one greedy whole-unit plan, shared by all of them, provides, so that they can all be met
//! together. Which offer counts toward which requirement, and how much, is the scenario
//! layer's rule ([`crate::scenario::coefficient_of`]), applied to the draft structures.

use std::collections::BTreeMap;

use crate::analysis::sweep::SplitMix64;
use crate::scenario::{Pair, capability_factor, coefficient_of};

use super::catalogue::{KINDS, SUBSTITUTIONS, sustained};
use super::draw::{Measure, Member, Offer, Requirement, Rng, round_to};

/// How much of its measure one unit of `offer` (of `member`) gives toward `requirement`, or
/// `None` when it is not eligible: the rule of docs/spec.md ("Eligibility", "Coefficient").
/// Without `limits` the requirement's readiness limit and excluded caveats are left out:
/// a target is a share of what is offered of the capability, whoever may give it.
fn coefficient(
    offer: &Offer,
    member: &Member,
    requirement: &Requirement,
    limits: bool,
) -> Option<f64> {
    let kind = &KINDS[offer.kind];
    let wanted = &KINDS[requirement.kind];
    let factor = if requirement.any {
        1.0
    } else if offer.variant != requirement.variant {
        return None;
    } else {
        // Within one variant capabilities are named by their kinds (with one suffix), and
        // the scenario lists a catalogue substitution in each variant where its required
        // capability is asked for and its substitute offered: wherever this finds one.
        capability_factor(wanted.name, kind.name, SUBSTITUTIONS.iter().copied())?
    };
    coefficient_of(&Pair {
        factor,
        same_domain: kind.domain == wanted.domain,
        available: available(offer, requirement.phase),
        readiness_days: offer.readiness,
        max_readiness_days: if limits {
            requirement.max_readiness
        } else {
            None
        },
        caveats: &member.caveats,
        excluded_caveats: if limits { &requirement.excluded } else { &[] },
        per_unit: match requirement.measure {
            Measure::Units => 1.0,
            Measure::Troops => offer.troops,
            Measure::Equipment(item) => offer
                .equipment
                .iter()
                .find(|e| e.0 == item)
                .map_or(0.0, |e| e.1),
        },
    })
}

fn available(offer: &Offer, phase: usize) -> bool {
    offer.phases.is_empty() || offer.phases.contains(&phase)
}

/// Offers by variant: the candidates of a named requirement are those of its variant, which
/// keeps targets and floors linear in the size.
fn by_variant(offers: &[Offer]) -> BTreeMap<usize, Vec<usize>> {
    let mut by_variant: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (o, offer) in offers.iter().enumerate() {
        by_variant.entry(offer.variant).or_default().push(o);
    }
    by_variant
}

/// Targets: a share of the supply of the capability in the phase, split among the
/// requirements that ask for it, so that some are short and some are covered.
pub(super) fn set_targets(
    requirements: &mut [Requirement],
    offers: &[Offer],
    members: &[Member],
    phases: usize,
) {
    let by_variant = by_variant(offers);
    let mut sharing: BTreeMap<(usize, usize, bool, usize), usize> = BTreeMap::new();
    for r in requirements.iter() {
        *sharing
            .entry((r.kind, r.variant, r.any, r.phase))
            .or_default() += 1;
    }
    let mut draws = SplitMix64::new(requirements.len() as u64);
    for r in requirements.iter_mut() {
        let candidates: Box<dyn Iterator<Item = &usize>> = if r.any {
            Box::new(by_variant.values().flatten())
        } else {
            Box::new(by_variant.get(&r.variant).into_iter().flatten())
        };
        let rotation_applies = sustained(r.phase, phases);
        let supply: f64 = candidates
            .map(|&o| &offers[o])
            .filter_map(|o| {
                let a = coefficient(o, &members[o.member], r, false)?;
                let rotation = if rotation_applies { o.rotation } else { 1.0 };
                Some(a * o.units / rotation)
            })
            .sum();
        let n = sharing[&(r.kind, r.variant, r.any, r.phase)] as f64;
        let share = 0.3 + 0.6 * draws.next_f64();
        let step = match r.measure {
            Measure::Units => 1.0,
            Measure::Troops => 10.0,
            Measure::Equipment(_) => 2.0,
        };
        r.target = round_to(supply * share / n, step);
    }
}

/// Hard floors on about 15% of the requirements, each at most what a greedy whole-unit
/// plan (respecting capacities, rotation, member caps and share caps, shared by all the
/// floors) provides: the floors can always be met together.
pub(super) fn set_floors(
    requirements: &mut [Requirement],
    offers: &[Offer],
    members: &[Member],
    phases: usize,
    rng: &mut Rng,
) {
    let by_variant = by_variant(offers);
    // Pool used per (offer, phase); troops and cost per (member, phase).
    let mut pool = vec![0.0; offers.len() * phases];
    let mut troops = vec![0.0; members.len() * phases];
    let mut cost = vec![0.0; members.len() * phases];
    for r in requirements.iter_mut() {
        if r.any || !rng.chance(0.15) {
            continue;
        }
        let wanted = r.target * rng.uniform(0.2, 0.5);
        let p = r.phase;
        let rotation_applies = sustained(p, phases);
        let mut given = 0.0;
        let mut by_member: BTreeMap<usize, f64> = BTreeMap::new();
        for &o in by_variant.get(&r.variant).into_iter().flatten() {
            if given >= wanted {
                break;
            }
            let offer = &offers[o];
            let member = &members[offer.member];
            let Some(a) = coefficient(offer, member, r, true) else {
                continue;
            };
            let rotation = if rotation_applies {
                offer.rotation
            } else {
                1.0
            };
            let mp = offer.member * phases + p;
            let mut units = ((offer.units - pool[o * phases + p]) / rotation + 1e-9).floor();
            if let Some(cap) = member.max_troops
                && offer.troops > 0.0
            {
                units = units.min(((cap - troops[mp]) / offer.troops + 1e-9).floor());
            }
            if let Some(cap) = member.max_cost
                && offer.cost > 0.0
            {
                units = units.min(((cap - cost[mp]) / offer.cost + 1e-9).floor());
            }
            if let Some(share) = r.max_share {
                let room = share * r.target - by_member.get(&offer.member).copied().unwrap_or(0.0);
                units = units.min((room / a + 1e-9).floor());
            }
            units = units.min(((wanted - given) / a).ceil());
            if units < 1.0 {
                continue;
            }
            pool[o * phases + p] += units * rotation;
            troops[mp] += units * offer.troops;
            cost[mp] += units * offer.cost;
            *by_member.entry(offer.member).or_default() += units * a;
            given += units * a;
        }
        // Below what the plan provides (and the target), on a round number.
        let floor = (given.min(wanted).min(r.target) * 0.9).floor();
        if floor >= 1.0 {
            r.minimum = floor;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::catalogue::{KINDS, SUBSTITUTIONS};

    /// The generator's rule checks the domain of a named requirement, which its earlier copy
    /// did not: the same only because a capability and its substitutes share a domain.
    #[test]
    fn each_substitution_is_within_one_domain() {
        let domain = |name: &str| KINDS.iter().find(|k| k.name == name).map(|k| k.domain);
        for &(required, substitute, _) in SUBSTITUTIONS {
            assert!(domain(required).is_some(), "{required}");
            assert_eq!(domain(required), domain(substitute), "{required}");
        }
    }
}
