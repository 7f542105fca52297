//! Which offer may serve which requirement, and how much one unit counts.
//!
//! This is the model's rule (docs/spec.md, "Eligibility" and "Coefficient"). The plan
//! checker in `plan::check` deliberately re-derives it with its own code rather than
//! calling this.
//!
//! [`coefficient_of`] and [`capability_factor`] state the rule over plain values: the
//! scenario's [`Scenario::coefficient`] and the generator (`crate::generate`, on its own
//! draft structures) both apply it through them.

use std::collections::HashMap;

use super::{CapabilityWanted, Measure, Offer, Requirement, Scenario};

impl Scenario {
    /// The coefficient a(o, q): how much of `requirement`'s measure one unit of `offer`
    /// provides, or `None` when the offer is not eligible for the requirement.
    pub fn coefficient(&self, offer: &Offer, requirement: &Requirement) -> Option<f64> {
        let factor = match &requirement.capability {
            CapabilityWanted::Any => 1.0,
            CapabilityWanted::Named(wanted) => {
                self.substitution_factor(wanted, &offer.capability)?
            }
        };
        coefficient_of(&Pair {
            factor,
            same_domain: offer.domain == requirement.domain,
            available: offer.available_in(requirement.phase),
            readiness_days: offer.readiness_days,
            max_readiness_days: requirement.max_readiness_days,
            caveats: &self.members[offer.member].caveats,
            excluded_caveats: &requirement.excluded_caveats,
            per_unit: match &requirement.measure {
                Measure::Units => 1.0,
                Measure::Troops => offer.troops_per_unit,
                Measure::Equipment(item) => offer.equipment_count(item),
            },
        })
    }

    /// What each eligible offer could provide of a requirement's measure, alone and in
    /// full: its pool per phase (divided by rotation in a sustained phase, whole units only
    /// with `whole_units`); caps and competition ignored. As (offer index, amount).
    pub fn eligible_amounts(
        &self,
        requirement: &Requirement,
        whole_units: bool,
    ) -> Vec<(usize, f64)> {
        let sustained = self.phases[requirement.phase].sustained;
        OfferIndex::new(self)
            .eligible(self, requirement)
            .into_iter()
            .map(|(o, a)| {
                let offer = &self.offers[o];
                let rotation = if sustained { offer.rotation } else { 1.0 };
                let mut units = offer.units / rotation;
                if whole_units {
                    units = (units + 1e-9).floor();
                }
                (o, a * units)
            })
            .collect()
    }

    /// The sum of [`Scenario::eligible_amounts`].
    pub fn eligible_supply(&self, requirement: &Requirement, whole_units: bool) -> f64 {
        self.eligible_amounts(requirement, whole_units)
            .iter()
            .map(|&(_, amount)| amount)
            .sum()
    }
}

/// What the rule reads of one (offer, requirement) pair, as plain values, whatever
/// structures they come from (`C`: how a caveat is written).
pub(crate) struct Pair<'a, C> {
    /// The capability factor: 1 for a `*` requirement, otherwise [`capability_factor`].
    pub factor: f64,
    /// The offer is of the requirement's domain.
    pub same_domain: bool,
    /// The offer is available in the requirement's phase.
    pub available: bool,
    pub readiness_days: f64,
    pub max_readiness_days: Option<f64>,
    /// The caveats of the offer's member.
    pub caveats: &'a [C],
    pub excluded_caveats: &'a [C],
    /// What one unit of the offer counts in the requirement's measure: 1 for units, its
    /// troops per unit, or its count of the equipment item.
    pub per_unit: f64,
}

/// The coefficient a(o, q) of a pair, or `None` when the offer is not eligible: it must be
/// of the requirement's domain, available in its phase, ready within its limit, of a member
/// with none of its excluded caveats, and count for something (factor x per unit > 0).
pub(crate) fn coefficient_of<C: PartialEq>(pair: &Pair<'_, C>) -> Option<f64> {
    if !pair.same_domain || !pair.available {
        return None;
    }
    if let Some(limit) = pair.max_readiness_days
        && pair.readiness_days > limit
    {
        return None;
    }
    if pair
        .excluded_caveats
        .iter()
        .any(|c| pair.caveats.contains(c))
    {
        return None;
    }
    let coefficient = pair.factor * pair.per_unit;
    (coefficient > 0.0).then_some(coefficient)
}

/// The factor by which an offer of capability `offered` counts toward a requirement for
/// `required`: 1 when equal, else the factor of the first (required, substitute, factor)
/// of `substitutions` that matches (substitutions do not chain), none otherwise.
pub(crate) fn capability_factor<'s>(
    required: &str,
    offered: &str,
    substitutions: impl IntoIterator<Item = (&'s str, &'s str, f64)>,
) -> Option<f64> {
    if required == offered {
        return Some(1.0);
    }
    substitutions
        .into_iter()
        .find(|&(r, s, _)| r == required && s == offered)
        .map(|(_, _, factor)| factor)
}

/// Offers by domain and by (domain, capability), and substitutes by required capability:
/// the candidates of a requirement are found without looking at every offer, which keeps
/// eligibility linear in the eligible pairs rather than in offers x requirements.
///
/// Each list holds what the eligibility test reads of an offer (`Candidate`) inline, so
/// that testing a requirement's candidates reads one run of memory rather than an offer,
/// its member and their strings scattered over the heap; this keeps the test's cost per
/// pair flat as scenarios outgrow the processor's caches.
pub struct OfferIndex<'a> {
    by_domain: Vec<Vec<Candidate>>,
    by_capability: HashMap<(usize, &'a str), Vec<Candidate>>,
    substitutes: HashMap<&'a str, Vec<(&'a str, f64)>>,
    /// Bit of each caveat some member has, when there are at most 64 of them.
    caveat_bits: Option<HashMap<&'a str, u64>>,
}

/// The part of an offer that eligibility reads.
#[derive(Clone, Copy)]
struct Candidate {
    offer: usize,
    readiness_days: f64,
    troops_per_unit: f64,
    /// Bit p set when the offer is available in phase p (phases past 63 fall back to
    /// the offer itself).
    phases: u64,
    /// The member's caveats as bits of `caveat_bits` (0 when there are too many to map).
    caveats: u64,
}

impl<'a> OfferIndex<'a> {
    pub fn new(scenario: &'a Scenario) -> Self {
        let mut bits: HashMap<&str, u64> = HashMap::new();
        for caveat in scenario.members.iter().flat_map(|m| &m.caveats) {
            let next = bits.len();
            if next < 64 {
                bits.entry(caveat.as_str()).or_insert(1 << next);
            } else if !bits.contains_key(caveat.as_str()) {
                bits.insert(caveat.as_str(), 0);
            }
        }
        let caveat_bits = (bits.len() <= 64).then_some(bits);
        let member_caveats: Vec<u64> = scenario
            .members
            .iter()
            .map(|m| match &caveat_bits {
                Some(bits) => m.caveats.iter().fold(0, |acc, c| acc | bits[c.as_str()]),
                None => 0,
            })
            .collect();

        let mut by_domain = vec![Vec::new(); scenario.domains.len()];
        let mut by_capability: HashMap<(usize, &str), Vec<Candidate>> = HashMap::new();
        for (o, offer) in scenario.offers.iter().enumerate() {
            let candidate = Candidate {
                offer: o,
                readiness_days: offer.readiness_days,
                troops_per_unit: offer.troops_per_unit,
                phases: offer
                    .phases
                    .iter()
                    .filter(|&&p| p < 64)
                    .fold(0, |acc, &p| acc | 1 << p),
                caveats: member_caveats[offer.member],
            };
            by_domain[offer.domain].push(candidate);
            by_capability
                .entry((offer.domain, offer.capability.as_str()))
                .or_default()
                .push(candidate);
        }
        let mut substitutes: HashMap<&str, Vec<(&str, f64)>> = HashMap::new();
        for s in &scenario.substitutions {
            // The first of a (required, substitute) pair wins, as in `substitution_factor`.
            let list = substitutes.entry(s.required.as_str()).or_default();
            if !list.iter().any(|(name, _)| *name == s.substitute) {
                list.push((s.substitute.as_str(), s.factor));
            }
        }
        OfferIndex {
            by_domain,
            by_capability,
            substitutes,
            caveat_bits,
        }
    }

    /// The offers eligible for `requirement` and their coefficients a(o, q), by offer index.
    /// The same rule as [`Scenario::coefficient`], read from the candidates' inline data.
    pub fn eligible(&self, scenario: &Scenario, requirement: &Requirement) -> Vec<(usize, f64)> {
        let d = requirement.domain;
        let phase = requirement.phase;
        // The requirement's excluded caveats as bits; `None` when they cannot be mapped
        // and each candidate's member is looked at instead.
        let excluded: Option<u64> = self.caveat_bits.as_ref().map(|bits| {
            requirement
                .excluded_caveats
                .iter()
                .filter_map(|c| bits.get(c.as_str()))
                .fold(0, |acc, b| acc | b)
        });
        let keep = |c: &Candidate, factor: f64| -> Option<(usize, f64)> {
            let available = if phase < 64 {
                c.phases & (1 << phase) != 0
            } else {
                scenario.offers[c.offer].available_in(phase)
            };
            if !available {
                return None;
            }
            if let Some(limit) = requirement.max_readiness_days
                && c.readiness_days > limit
            {
                return None;
            }
            let excluded = match excluded {
                Some(mask) => c.caveats & mask != 0,
                None => {
                    let member = &scenario.members[scenario.offers[c.offer].member];
                    requirement
                        .excluded_caveats
                        .iter()
                        .any(|x| member.caveats.contains(x))
                }
            };
            if excluded {
                return None;
            }
            let per_unit = match &requirement.measure {
                Measure::Units => 1.0,
                Measure::Troops => c.troops_per_unit,
                Measure::Equipment(item) => scenario.offers[c.offer].equipment_count(item),
            };
            let coefficient = factor * per_unit;
            (coefficient > 0.0).then_some((c.offer, coefficient))
        };
        match &requirement.capability {
            CapabilityWanted::Any => self.by_domain[d]
                .iter()
                .filter_map(|c| keep(c, 1.0))
                .collect(),
            CapabilityWanted::Named(wanted) => {
                let own = std::iter::once((wanted.as_str(), 1.0));
                let others = self.substitutes.get(wanted.as_str()).into_iter().flatten();
                let mut lists = own
                    .chain(others.copied())
                    .filter_map(|(capability, factor)| {
                        self.by_capability
                            .get(&(d, capability))
                            .map(|l| (l, factor))
                    });
                match (lists.next(), lists.next()) {
                    (None, _) => Vec::new(),
                    // One list is already in offer order.
                    (Some((list, factor)), None) => {
                        list.iter().filter_map(|c| keep(c, factor)).collect()
                    }
                    (Some(first), Some(second)) => {
                        let mut out: Vec<(usize, f64)> = [first, second]
                            .into_iter()
                            .chain(lists)
                            .flat_map(|(list, factor)| {
                                list.iter().filter_map(move |c| keep(c, factor))
                            })
                            .collect();
                        out.sort_unstable_by_key(|&(o, _)| o);
                        out
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::tests_support::tiny;
    use crate::scenario::{CapabilityWanted, Measure, Substitution};

    #[test]
    fn same_capability_counts_one_unit_per_unit() {
        let s = tiny();
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), Some(1.0));
    }

    #[test]
    fn other_domain_is_not_eligible() {
        let mut s = tiny();
        s.offers[0].domain = 1;
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), None);
    }

    #[test]
    fn star_takes_any_capability_of_the_domain() {
        let mut s = tiny();
        s.requirements[0].capability = CapabilityWanted::Any;
        s.offers[0].capability = "something_else".into();
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), Some(1.0));
    }

    #[test]
    fn substitution_applies_its_factor_and_does_not_chain() {
        let mut s = tiny();
        s.offers[0].capability = "armoured_bn".into();
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), None);
        s.substitutions.push(Substitution {
            required: "mech_inf_bn".into(),
            substitute: "armoured_bn".into(),
            factor: 0.5,
        });
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), Some(0.5));
        s.offers[0].capability = "tank_coy".into();
        s.substitutions.push(Substitution {
            required: "armoured_bn".into(),
            substitute: "tank_coy".into(),
            factor: 1.0,
        });
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), None);
    }

    #[test]
    fn phase_readiness_and_caveats_exclude() {
        let mut s = tiny();
        s.offers[0].phases = vec![1];
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), None);
        let mut s = tiny();
        s.offers[0].readiness_days = 31.0;
        s.requirements[0].max_readiness_days = Some(30.0);
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), None);
        s.offers[0].readiness_days = 30.0;
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), Some(1.0));
        s.members[0].caveats = vec!["no_combat".into()];
        s.requirements[0].excluded_caveats = vec!["no_combat".into()];
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), None);
    }

    #[test]
    fn measures_give_troops_and_equipment_coefficients() {
        let mut s = tiny();
        s.requirements[0].measure = Measure::Troops;
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), Some(600.0));
        s.requirements[0].measure = Measure::Equipment("ifv".into());
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), Some(44.0));
        s.requirements[0].measure = Measure::Equipment("mbt".into());
        assert_eq!(s.coefficient(&s.offers[0], &s.requirements[0]), None);
    }

    #[test]
    fn eligible_supply_divides_by_rotation_in_sustained_phases() {
        let mut s = tiny();
        s.offers[0].rotation = 3.0;
        assert_eq!(s.eligible_supply(&s.requirements[0], false), 6.0);
        s.phases[0].sustained = true;
        assert_eq!(s.eligible_supply(&s.requirements[0], false), 2.0);
        s.offers[0].rotation = 4.0;
        assert_eq!(s.eligible_supply(&s.requirements[0], true), 1.0);
    }
}
