//! Which offer may serve which requirement, and how much one unit counts.
//!
//! This is the model's rule (SPEC "Eligibility" and "Coefficient"). The plan checker in
//! `plan::check` deliberately re-derives it with its own code rather than calling this.

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
        self.coefficient_with_factor(offer, requirement, factor)
    }

    /// [`Scenario::coefficient`] with the capability factor already known.
    fn coefficient_with_factor(
        &self,
        offer: &Offer,
        requirement: &Requirement,
        factor: f64,
    ) -> Option<f64> {
        if offer.domain != requirement.domain || !offer.available_in(requirement.phase) {
            return None;
        }
        if let Some(limit) = requirement.max_readiness_days
            && offer.readiness_days > limit
        {
            return None;
        }
        let member = &self.members[offer.member];
        if requirement
            .excluded_caveats
            .iter()
            .any(|c| member.caveats.contains(c))
        {
            return None;
        }
        let per_unit = match &requirement.measure {
            Measure::Units => 1.0,
            Measure::Troops => offer.troops_per_unit,
            Measure::Equipment(item) => offer.equipment_count(item),
        };
        let coefficient = factor * per_unit;
        (coefficient > 0.0).then_some(coefficient)
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

/// Offers by domain and by (domain, capability), and substitutes by required capability:
/// the candidates of a requirement are found without looking at every offer, which keeps
/// eligibility linear in the eligible pairs rather than in offers x requirements.
pub struct OfferIndex<'a> {
    by_domain: Vec<Vec<usize>>,
    by_capability: HashMap<(usize, &'a str), Vec<usize>>,
    substitutes: HashMap<&'a str, Vec<(&'a str, f64)>>,
}

impl<'a> OfferIndex<'a> {
    pub fn new(scenario: &'a Scenario) -> Self {
        let mut by_domain = vec![Vec::new(); scenario.domains.len()];
        let mut by_capability: HashMap<(usize, &str), Vec<usize>> = HashMap::new();
        for (o, offer) in scenario.offers.iter().enumerate() {
            by_domain[offer.domain].push(o);
            by_capability
                .entry((offer.domain, offer.capability.as_str()))
                .or_default()
                .push(o);
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
        }
    }

    /// The offers eligible for `requirement` and their coefficients a(o, q), by offer index.
    pub fn eligible(&self, scenario: &Scenario, requirement: &Requirement) -> Vec<(usize, f64)> {
        let d = requirement.domain;
        let mut candidates: Vec<(usize, f64)> = match &requirement.capability {
            CapabilityWanted::Any => self.by_domain[d].iter().map(|&o| (o, 1.0)).collect(),
            CapabilityWanted::Named(wanted) => {
                let mut list: Vec<(usize, f64)> = Vec::new();
                let own = std::iter::once((wanted.as_str(), 1.0));
                let others = self.substitutes.get(wanted.as_str()).into_iter().flatten();
                for (capability, factor) in own.chain(others.copied()) {
                    if let Some(offers) = self.by_capability.get(&(d, capability)) {
                        list.extend(offers.iter().map(|&o| (o, factor)));
                    }
                }
                list.sort_unstable_by_key(|&(o, _)| o);
                list
            }
        };
        candidates.retain_mut(|(o, factor)| {
            match scenario.coefficient_with_factor(&scenario.offers[*o], requirement, *factor) {
                Some(a) => {
                    *factor = a;
                    true
                }
                None => false,
            }
        });
        candidates
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
