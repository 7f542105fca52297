//! Variants of a scenario: members withdrawn, offers or requirements scaled, troop caps
//! set. Every change yields a scenario that is valid by construction (references remapped,
//! scaled-to-zero rows dropped), so variants never need re-validation.

use serde::{Deserialize, Serialize};

use crate::scenario::{CapabilityWanted, Scenario};

/// Which offers, requirements or members a change applies to; every field set must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selector {
    /// The domain of the offer or requirement; `None` matches any.
    pub domain: Option<String>,
    /// The phase an offer is available in, or a requirement's phase; `None` matches any.
    pub phase: Option<String>,
    /// The offer's capability, or the requirement's (`*` for any capability); `None`
    /// matches any.
    pub capability: Option<String>,
    /// The offering member, a requirement's lead, or the member itself; `None` matches any.
    pub member: Option<String>,
    /// The id of the offer, requirement or member; `None` matches any.
    pub id: Option<String>,
}

impl Selector {
    /// Whether no field is set, so the selector matches everything.
    pub fn is_empty(&self) -> bool {
        self == &Selector::default()
    }

    fn offer(&self, s: &Scenario, o: usize) -> bool {
        let offer = &s.offers[o];
        self.domain
            .as_ref()
            .is_none_or(|d| &s.domains[offer.domain] == d)
            && self
                .phase
                .as_ref()
                .is_none_or(|p| s.phase_index(p).is_some_and(|p| offer.available_in(p)))
            && self
                .capability
                .as_ref()
                .is_none_or(|c| &offer.capability == c)
            && self
                .member
                .as_ref()
                .is_none_or(|m| &s.members[offer.member].id == m)
            && self.id.as_ref().is_none_or(|id| &offer.id == id)
    }

    fn requirement(&self, s: &Scenario, q: usize) -> bool {
        let r = &s.requirements[q];
        let capability = match &r.capability {
            CapabilityWanted::Any => "*",
            CapabilityWanted::Named(c) => c.as_str(),
        };
        self.domain
            .as_ref()
            .is_none_or(|d| &s.domains[r.domain] == d)
            && self
                .phase
                .as_ref()
                .is_none_or(|p| &s.phases[r.phase].id == p)
            && self.capability.as_ref().is_none_or(|c| c == capability)
            && self
                .member
                .as_ref()
                .is_none_or(|m| r.lead.is_some_and(|l| &s.members[l].id == m))
            && self.id.as_ref().is_none_or(|id| &r.id == id)
    }

    fn member(&self, s: &Scenario, m: usize) -> bool {
        self.member.as_ref().is_none_or(|id| &s.members[m].id == id)
            && self.id.as_ref().is_none_or(|id| &s.members[m].id == id)
    }

    /// Checks that every name in the selector exists in `s`.
    pub fn check(&self, s: &Scenario) -> Result<(), String> {
        if let Some(d) = &self.domain
            && s.domain_index(d).is_none()
        {
            return Err(format!("unknown domain `{d}`"));
        }
        if let Some(p) = &self.phase
            && s.phase_index(p).is_none()
        {
            return Err(format!("unknown phase `{p}`"));
        }
        if let Some(m) = &self.member
            && s.member_index(m).is_none()
        {
            return Err(format!("unknown member `{m}`"));
        }
        Ok(())
    }
}

/// One change to a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Withdraw members: their offers go, and they lead nothing.
    RemoveMembers(Vec<String>),
    /// Multiply the units of the selected offers; an offer scaled to zero is dropped. With
    /// whole units the product is rounded down to a whole number of units: a pledge cut to
    /// half of 3 battalions delivers 1, and one grown by a quarter from 2 still delivers 2.
    ScaleOffers { select: Selector, factor: f64 },
    /// Multiply target and minimum of the selected requirements; scaled to zero, dropped.
    /// With whole units, a requirement counted in `units` keeps whole numbers: the products
    /// are rounded to the nearest whole unit (halves up), so that 8 battalions grown by a
    /// tenth are 9 and a floor of 1 stays 1.
    ScaleRequirements { select: Selector, factor: f64 },
    /// Set the troop cap of the selected members (all when the selector is empty).
    SetMaxTroops { select: Selector, value: f64 },
}

/// Applies `changes` in order to a copy of `base`; `whole_units` when the variant is
/// planned in whole units (see [`Change::ScaleOffers`]).
pub fn apply(base: &Scenario, changes: &[Change], whole_units: bool) -> Scenario {
    let mut s = base.clone();
    for change in changes {
        match change {
            Change::RemoveMembers(ids) => remove_members(&mut s, ids),
            Change::ScaleOffers { select, factor } => {
                for o in 0..s.offers.len() {
                    if select.offer(&s, o) {
                        s.offers[o].units = scaled_units(s.offers[o].units, *factor, whole_units);
                    }
                }
                s.offers.retain(|o| o.units > 0.0);
            }
            Change::ScaleRequirements { select, factor } => {
                for q in 0..s.requirements.len() {
                    if select.requirement(&s, q) {
                        let r = &mut s.requirements[q];
                        let whole = whole_units && r.measure == crate::scenario::Measure::Units;
                        r.target = scaled_demand(r.target, *factor, whole);
                        r.minimum = scaled_demand(r.minimum, *factor, whole).min(r.target);
                    }
                }
                s.requirements.retain(|r| r.target > 0.0);
            }
            Change::SetMaxTroops { select, value } => {
                for m in 0..s.members.len() {
                    if select.member(&s, m) {
                        s.members[m].max_troops = Some(*value);
                    }
                }
            }
        }
    }
    s
}

/// `units` times `factor`, rounded down to whole units when `whole_units` (a product within
/// 1e-9 of the next whole number is that number: 3 x 0.1 x 10 is 3).
pub fn scaled_units(units: f64, factor: f64, whole_units: bool) -> f64 {
    let product = units * factor;
    if whole_units {
        (product + 1e-9 * product.abs().max(1.0)).floor()
    } else {
        product
    }
}

/// `amount` times `factor`, rounded to the nearest whole number (halves up) when `whole`.
pub fn scaled_demand(amount: f64, factor: f64, whole: bool) -> f64 {
    let product = amount * factor;
    if whole {
        (product + 0.5 + 1e-9 * product.abs().max(1.0)).floor()
    } else {
        product
    }
}

/// Removes members and everything that points at them, remapping indices.
pub fn remove_members(s: &mut Scenario, ids: &[String]) {
    let keep: Vec<bool> = s.members.iter().map(|m| !ids.contains(&m.id)).collect();
    if keep.iter().all(|&k| k) {
        return;
    }
    let mut new_index = vec![None; s.members.len()];
    let mut next = 0;
    for (m, &k) in keep.iter().enumerate() {
        if k {
            new_index[m] = Some(next);
            next += 1;
        }
    }
    s.offers.retain(|o| keep[o.member]);
    for o in &mut s.offers {
        o.member = new_index[o.member].expect("kept offers belong to kept members");
    }
    for r in &mut s.requirements {
        match r.lead.and_then(|l| new_index[l]) {
            Some(l) => r.lead = Some(l),
            None => {
                r.lead = None;
                r.lead_share = 0.0;
            }
        }
    }
    let mut m = 0;
    s.members.retain(|_| {
        m += 1;
        keep[m - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests_support::tiny;
    use crate::scenario::{Member, Offer};

    fn two_members() -> Scenario {
        let mut s = tiny();
        s.members.push(Member {
            id: "BBB".into(),
            ..s.members[0].clone()
        });
        s.offers.push(Offer {
            id: "BBB/mech_inf_bn/1".into(),
            member: 1,
            ..s.offers[0].clone()
        });
        s.requirements[0].lead = Some(1);
        s.requirements[0].lead_share = 0.5;
        s
    }

    #[test]
    fn removing_a_member_drops_its_offers_and_leads_and_remaps_indices() {
        let s = apply(
            &two_members(),
            &[Change::RemoveMembers(vec!["AAA".into()])],
            true,
        );
        assert_eq!(s.members.len(), 1);
        assert_eq!(s.offers.len(), 1);
        assert_eq!(s.offers[0].member, 0);
        assert_eq!(s.requirements[0].lead, Some(0));
        let s = apply(
            &two_members(),
            &[Change::RemoveMembers(vec!["BBB".into()])],
            true,
        );
        assert_eq!(s.requirements[0].lead, None);
        assert_eq!(s.requirements[0].lead_share, 0.0);
    }

    #[test]
    fn scaling_selects_by_member_and_drops_zeroes() {
        let select = Selector {
            member: Some("BBB".into()),
            ..Selector::default()
        };
        let s = apply(
            &two_members(),
            &[Change::ScaleOffers {
                select: select.clone(),
                factor: 0.5,
            }],
            true,
        );
        assert_eq!((s.offers[0].units, s.offers[1].units), (6.0, 3.0));
        let s = apply(
            &two_members(),
            &[Change::ScaleOffers {
                select,
                factor: 0.0,
            }],
            true,
        );
        assert_eq!(s.offers.len(), 1);
    }

    /// With whole units a scaled offer keeps the whole units it still covers; in the LP
    /// relaxation the product stands.
    #[test]
    fn scaled_offers_round_down_to_whole_units() {
        assert_eq!(scaled_units(3.0, 0.5, true), 1.0);
        assert_eq!(scaled_units(3.0, 0.5, false), 1.5);
        assert_eq!(scaled_units(2.0, 1.25, true), 2.0);
        assert_eq!(scaled_units(4.0, 1.25, true), 5.0);
        assert_eq!(scaled_units(1.0, 0.75, true), 0.0);
        // Round-off of the factor does not cost a unit.
        assert_eq!(scaled_units(10.0, 0.3 / 0.1 / 10.0, true), 3.0);
        let select = Selector {
            member: Some("BBB".into()),
            ..Selector::default()
        };
        let change = [Change::ScaleOffers {
            select,
            factor: 0.4,
        }];
        // 6 x 0.4 = 2.4 units: 2 whole ones, 2.4 in the relaxation.
        assert_eq!(apply(&two_members(), &change, true).offers[1].units, 2.0);
        let relaxed = apply(&two_members(), &change, false).offers[1].units;
        assert!((relaxed - 2.4).abs() < 1e-12, "{relaxed}");
    }

    #[test]
    fn scaling_requirements_scales_the_floor_too() {
        let mut base = tiny();
        base.requirements[0].minimum = 2.0;
        let s = apply(
            &base,
            &[Change::ScaleRequirements {
                select: Selector {
                    domain: Some("land".into()),
                    ..Selector::default()
                },
                factor: 1.5,
            }],
            true,
        );
        assert_eq!(
            (s.requirements[0].target, s.requirements[0].minimum),
            (6.0, 3.0)
        );
    }

    /// With whole units a demand counted in units stays whole, rounded to the nearest unit.
    #[test]
    fn scaled_unit_demand_rounds_to_whole_units() {
        assert_eq!(scaled_demand(8.0, 1.1, true), 9.0);
        assert_eq!(scaled_demand(1.0, 1.25, true), 1.0);
        assert_eq!(scaled_demand(2.0, 1.25, true), 3.0);
        assert_eq!(scaled_demand(12.0, 0.9, true), 11.0);
        assert_eq!(scaled_demand(3.0, 0.5, true), 2.0);
        assert_eq!(scaled_demand(1.0, 0.4, true), 0.0);
        assert!((scaled_demand(8.0, 1.1, false) - 8.8).abs() < 1e-12);
        let mut base = tiny();
        base.requirements[0].minimum = 1.0;
        let grow = [Change::ScaleRequirements {
            select: Selector::default(),
            factor: 1.1,
        }];
        // 4 units wanted, at least 1: 4.4 and 1.1 are 4 and 1.
        let s = apply(&base, &grow, true);
        let r = &s.requirements[0];
        assert_eq!((r.target, r.minimum), (4.0, 1.0));
        let s = apply(&base, &grow, false);
        assert!((s.requirements[0].minimum - 1.1).abs() < 1e-12);
    }

    #[test]
    fn max_troops_applies_to_all_members_without_a_selector() {
        let s = apply(
            &two_members(),
            &[Change::SetMaxTroops {
                select: Selector::default(),
                value: 900.0,
            }],
            true,
        );
        assert!(s.members.iter().all(|m| m.max_troops == Some(900.0)));
    }
}
