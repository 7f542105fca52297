//! The generator's random draws: members (with caveats and reliability), their offers from
//! the catalogue, the members' caps, and the requirements, into the generator's own draft
//! structures. Every draw comes from one [`Rng`] in a fixed order, which is what makes the
//! same spec give the same files.

use std::collections::BTreeMap;

use crate::analysis::sweep::SplitMix64;

use super::GenerateSpec;
use super::catalogue::{KINDS, READINESS, capability, caveats_of};

/// A member state, as drawn.
pub(super) struct Member {
    pub id: String,
    pub burden_key: f64,
    pub max_troops: Option<f64>,
    pub max_cost: Option<f64>,
    pub caveats: Vec<&'static str>,
    pub reliability: f64,
}

/// An offer, as drawn.
pub(super) struct Offer {
    pub id: String,
    pub member: usize,
    /// Index into [`KINDS`].
    pub kind: usize,
    /// The capability variant: 0 for the plain name, v for `name_{v+1}`.
    pub variant: usize,
    pub units: f64,
    pub troops: f64,
    pub cost: f64,
    pub readiness: f64,
    pub rotation: f64,
    /// Empty: all phases.
    pub phases: Vec<usize>,
    pub equipment: Vec<(&'static str, f64)>,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Measure {
    Units,
    Troops,
    Equipment(&'static str),
}

/// A requirement, as drawn; [`super::floors`] sets its target and minimum.
pub(super) struct Requirement {
    pub id: String,
    /// Index into [`KINDS`].
    pub kind: usize,
    pub variant: usize,
    /// `*`: any capability of the domain.
    pub any: bool,
    pub phase: usize,
    pub measure: Measure,
    pub target: f64,
    pub minimum: f64,
    pub priority: u8,
    pub max_readiness: Option<f64>,
    pub max_share: Option<f64>,
    pub min_members: Option<u32>,
    pub excluded: Vec<&'static str>,
    /// (member, lead share).
    pub lead: Option<(usize, f64)>,
    pub region: u64,
}

pub(super) struct Rng(pub SplitMix64);

impl Rng {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n.max(1)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.0.next_f64() < p
    }
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.0.next_f64()
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }
}

/// Rounds to `step` (and keeps at least `step`).
pub(super) fn round_to(x: f64, step: f64) -> f64 {
    ((x / step).round() * step).max(step)
}

/// The members, without caps yet ([`set_caps`] sets them once their offers are drawn).
pub(super) fn draw_members(spec: &GenerateSpec, rng: &mut Rng) -> Vec<Member> {
    let width = spec.members.to_string().len().max(3);
    (0..spec.members)
        .map(|m| {
            let mut caveats = Vec::new();
            for (tag, p) in [
                ("no_combat", 0.1),
                ("no_deploy_east", 0.25),
                ("no_maritime_combat", 0.04),
            ] {
                if rng.chance(p) {
                    caveats.push(tag);
                }
            }
            Member {
                id: format!("M{:0width$}", m + 1),
                burden_key: round_to(10f64.powf(rng.uniform(1.5, 4.0)), 1.0),
                max_troops: None,
                max_cost: None,
                caveats,
                reliability: round_to(rng.uniform(0.7, 1.0), 0.01).min(1.0),
            }
        })
        .collect()
}

/// `spec.offers_per_member` offers of each member, member by member.
pub(super) fn draw_offers(
    spec: &GenerateSpec,
    rng: &mut Rng,
    members: &[Member],
    phases: usize,
    variants: usize,
) -> Vec<Offer> {
    let weights: Vec<u64> = KINDS.iter().map(|k| k.weight).collect();
    let mut offers = Vec::with_capacity(spec.members * spec.offers_per_member);
    let mut counters: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for (m, member) in members.iter().enumerate() {
        for _ in 0..spec.offers_per_member {
            let k = rng.weighted(&weights);
            let kind = &KINDS[k];
            let variant = rng.below(variants as u64) as usize;
            let cap = capability(k, variant);
            let n = counters.entry((m, cap.clone())).or_default();
            *n += 1;
            let scale = rng.uniform(0.8, 1.2);
            let phases_of = if phases > 1 && rng.chance(0.2) {
                let mut chosen: Vec<usize> = (0..phases).filter(|_| rng.chance(0.5)).collect();
                if chosen.is_empty() {
                    chosen.push(rng.below(phases as u64) as usize);
                }
                chosen
            } else {
                Vec::new()
            };
            offers.push(Offer {
                id: format!("{}/{cap}/{n}", member.id),
                member: m,
                kind: k,
                variant,
                units: (1 + rng.below(kind.units)) as f64,
                troops: if kind.troops > 0.0 {
                    round_to(kind.troops * scale, 1.0)
                } else {
                    0.0
                },
                cost: round_to(kind.cost * scale, 0.1),
                readiness: rng.pick(READINESS),
                rotation: if rng.chance(0.15) {
                    1.0
                } else {
                    kind.rotation + rng.below(2) as f64
                },
                phases: phases_of,
                equipment: kind
                    .equipment
                    .iter()
                    .map(|&(item, count)| (item, round_to(count * rng.uniform(0.7, 1.3), 1.0)))
                    .collect(),
            });
        }
    }
    offers
}

/// Caps: a share of what the member offers in one phase, so that some bind.
pub(super) fn set_caps(members: &mut [Member], offers: &[Offer], rng: &mut Rng) {
    for (m, member) in members.iter_mut().enumerate() {
        let (troops, cost) = offers
            .iter()
            .filter(|o| o.member == m)
            .fold((0.0, 0.0), |(t, c), o| {
                (t + o.troops * o.units, c + o.cost * o.units)
            });
        if troops > 0.0 && rng.chance(0.6) {
            member.max_troops = Some(round_to(troops * rng.uniform(0.4, 0.9), 10.0));
        }
        if cost > 0.0 && rng.chance(0.25) {
            member.max_cost = Some(round_to(cost * rng.uniform(0.3, 0.8), 1.0));
        }
    }
}

/// The requirements, each for the capability of a random offer; targets and minimums are
/// left at 0 for [`super::floors`].
pub(super) fn draw_requirements(
    spec: &GenerateSpec,
    rng: &mut Rng,
    offers: &[Offer],
    phases: usize,
    variants: usize,
) -> Vec<Requirement> {
    let mut requirements = Vec::with_capacity(spec.requirements);
    if offers.is_empty() {
        return requirements;
    }
    for q in 0..spec.requirements {
        // The capability of a random offer: every requirement asks for something offered.
        let sample = &offers[rng.below(offers.len() as u64) as usize];
        let kind = &KINDS[sample.kind];
        // Wildcards only while the catalogue has one variant: a `*` requirement is eligible for
        // every offer of its domain, which would not stay linear in the size.
        let any = variants == 1 && rng.chance(0.03);
        let measure = if any {
            Measure::Troops
        } else if !kind.equipment.is_empty() && (kind.troops == 0.0 || rng.chance(0.2)) {
            Measure::Equipment(rng.pick(kind.equipment).0)
        } else if kind.troops > 0.0 && rng.chance(0.15) {
            Measure::Troops
        } else {
            Measure::Units
        };
        let priority = [1u8, 2, 3, 4, 5][rng.weighted(&[15, 30, 30, 15, 10])];
        let max_readiness = rng.chance(0.3).then(|| rng.pick(&[30.0, 45.0, 60.0, 90.0]));
        let max_share = rng
            .chance(0.2)
            .then(|| round_to(rng.uniform(0.3, 0.6), 0.05));
        let min_members = (!spec.lp && rng.chance(0.05)).then(|| 2 + rng.below(2) as u32);
        let excluded = if rng.chance(0.3) {
            vec![rng.pick(caveats_of(kind.domain))]
        } else {
            Vec::new()
        };
        // A lead that offers the capability, as a flagship lead does.
        let lead =
            (rng.chance(0.1)).then(|| (sample.member, round_to(rng.uniform(0.2, 0.5), 0.05)));
        requirements.push(Requirement {
            id: format!("q{:05}-{}", q + 1, kind.name),
            kind: sample.kind,
            variant: sample.variant,
            any,
            phase: rng.below(phases as u64) as usize,
            measure,
            target: 0.0,
            minimum: 0.0,
            priority,
            max_readiness,
            max_share,
            min_members,
            excluded,
            lead,
            region: 1 + rng.below(12),
        });
    }
    requirements
}
