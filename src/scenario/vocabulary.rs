//! Tags compared across the tables: caveats (members against `excluded_caveats`),
//! capabilities (offers against requirements and substitutions) and equipment items (offers
//! against `equipment:ITEM` measures).
//!
//! A tag on one side that nothing on the other side uses is either a likely typo, when it is
//! close to a tag the other side does use (a **warning**, with that tag suggested), or a
//! planning fact (a **note**: a caveat no requirement excludes, an offer no requirement can
//! use, a substitution of a capability absent from this scenario). A requirement no offer
//! can serve is a warning that says why where it can: no offer has its capability, or none
//! carries its equipment item.
//!
//! Runs on a scenario without errors, so that each raw row made exactly one entity.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::diagnostic::{Diagnostic, Diagnostics, Location, closest};
use super::fields::list_items;
use super::source::{RawRow, RawTable};
use super::tables::TableSet;
use super::{CapabilityWanted, Measure, OfferIndex, Scenario};

/// The hint for a tag written with `,`.
fn comma_hint(tag: &str) -> String {
    format!(
        "tags in a list are separated by `;`: write `{}`",
        tag.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(";")
    )
}

/// The uses of the tags of one side, first use first: where each is written.
#[derive(Default)]
struct Side {
    tags: IndexMap<String, Vec<Location>>,
}

impl Side {
    fn add(&mut self, tag: &str, at: Location) {
        self.tags.entry(tag.to_string()).or_default().push(at);
    }

    /// Whether the side uses `tag`, also as a part of a tag written with `,` (that slip is
    /// reported on its own, not again from the other side).
    fn has(&self, tag: &str) -> bool {
        self.tags.contains_key(tag)
            || self
                .tags
                .keys()
                .any(|t| t.contains(',') && t.split(',').any(|part| part.trim() == tag))
    }

    /// The tags a typo on the other side could be close to (not those written with `,`).
    fn names(&self) -> Vec<&str> {
        self.tags
            .keys()
            .map(String::as_str)
            .filter(|t| !t.contains(','))
            .collect()
    }
}

/// " (and on 2 other rows)" when a tag is written more than once.
fn also(uses: &[Location]) -> String {
    match uses.len() {
        0 | 1 => String::new(),
        2 => " (also on 1 other row)".to_string(),
        n => format!(" (also on {} other rows)", n - 1),
    }
}

/// A tag of one side, checked against what the other side uses.
struct Check<'a> {
    /// The field the tag is written in, for messages.
    field: &'static str,
    side: &'a Side,
    /// Whether the tag is used by the other side.
    used: &'a dyn Fn(&str) -> bool,
    /// The other side's tags a typo would be close to.
    known: Vec<&'a str>,
    /// What is wrong with an unused tag, e.g. "no requirement excludes this caveat".
    unused: &'a str,
    /// The note for an unused tag that is close to nothing, if it is worth one.
    note: Option<&'a dyn Fn(&str) -> String>,
    /// A mutual pair (each tag the other's only close match, both unused) is reported by
    /// one side only: true on the side that reports it.
    reports_mutual: bool,
    /// Whether the other side's tag `t` is itself unused (for mutual pairs).
    other_unused: &'a dyn Fn(&str) -> bool,
}

impl Check<'_> {
    /// Reports the unused tags; returns those that were reported as likely typos (or left
    /// to the other side's report of the same pair).
    fn run(&self, diags: &mut Diagnostics) -> HashSet<String> {
        let mut typos = HashSet::new();
        let mine = self.side.names();
        for (tag, uses) in &self.side.tags {
            if tag.contains(',') || (self.used)(tag) {
                continue;
            }
            let at = uses[0].clone();
            match closest(tag, self.known.iter().copied()) {
                Some(best) => {
                    typos.insert(tag.clone());
                    let mutual = (self.other_unused)(best)
                        && closest(best, mine.iter().copied()) == Some(tag.as_str());
                    if mutual && !self.reports_mutual {
                        continue;
                    }
                    diags.push(
                        Diagnostic::warning(at, format!("{}{}", self.unused, also(uses)))
                            .field(self.field)
                            .value(tag.clone())
                            .hint(format!("did you mean `{best}`?")),
                    );
                }
                None => {
                    if let Some(note) = self.note {
                        diags.push(
                            Diagnostic::note(at, format!("{}{}", note(tag), also(uses)))
                                .field(self.field)
                                .value(tag.clone()),
                        );
                    }
                }
            }
        }
        typos
    }
}

/// The items of a list field of a raw row, with their locations.
fn items(row: &RawRow, field: &str) -> Vec<(String, Location)> {
    let mut scratch = Diagnostics::default();
    row.get(field)
        .map(|item| list_items(item, field, &mut scratch))
        .unwrap_or_default()
}

fn location(row: &RawRow, field: &str) -> Location {
    row.get(field)
        .map_or_else(|| row.location.clone(), |item| item.location.clone())
}

fn rows(table: &Option<RawTable>) -> &[RawRow] {
    table.as_ref().map_or(&[], |t| t.rows.as_slice())
}

/// Compares the tags of `scenario`'s tables, pushing warnings and notes.
pub(crate) fn check(scenario: &Scenario, tables: &TableSet, diags: &mut Diagnostics) {
    let members = rows(&tables.members);
    let offers = rows(&tables.offers);
    let requirements = rows(&tables.requirements);
    let substitutions = rows(&tables.substitutions);

    // Tags written with `,` are one tag each: say so once per place.
    for (table, field) in [(members, "caveats"), (requirements, "excluded_caveats")] {
        for row in table {
            for (tag, at) in items(row, field) {
                if tag.contains(',') {
                    diags.push(
                        Diagnostic::warning(at, "one tag holding `,`, so none of its parts apply")
                            .field(field)
                            .value(tag.clone())
                            .hint(comma_hint(&tag)),
                    );
                }
            }
        }
    }

    caveats(members, requirements, diags);
    let capability_typos = capabilities(scenario, offers, requirements, substitutions, diags);
    let equipment_typos = equipment(scenario, offers, diags);
    unservable(scenario, requirements, diags);
    unused_offers(
        scenario,
        offers,
        |o| {
            let offer = &scenario.offers[o];
            capability_typos.contains(&offer.capability)
                || offer
                    .equipment
                    .iter()
                    .any(|(item, _)| equipment_typos.contains(item))
        },
        diags,
    );
}

fn caveats(members: &[RawRow], requirements: &[RawRow], diags: &mut Diagnostics) {
    let mut declared = Side::default();
    for row in members {
        for (tag, at) in items(row, "caveats") {
            declared.add(&tag, at);
        }
    }
    let mut excluded = Side::default();
    for row in requirements {
        for (tag, at) in items(row, "excluded_caveats") {
            excluded.add(&tag, at);
        }
    }
    let excluded_used = |t: &str| declared.has(t);
    let declared_used = |t: &str| excluded.has(t);
    let excluded_unused = |t: &str| !excluded.has(t) || !declared.has(t);
    let declared_unused = |t: &str| !declared.has(t) || !excluded.has(t);
    let no_member =
        |_: &str| "no member declares this caveat, so excluding it changes nothing".into();
    let no_requirement = |_: &str| "no requirement excludes this caveat".into();
    Check {
        field: "excluded_caveats",
        side: &excluded,
        used: &excluded_used,
        known: declared.names(),
        unused: "no member declares this caveat, so the exclusion applies to no one",
        note: Some(&no_member),
        reports_mutual: true,
        other_unused: &declared_unused,
    }
    .run(diags);
    Check {
        field: "caveats",
        side: &declared,
        used: &declared_used,
        known: excluded.names(),
        unused: "no requirement excludes this caveat",
        note: Some(&no_requirement),
        reports_mutual: false,
        other_unused: &excluded_unused,
    }
    .run(diags);
}

/// Offers' capabilities against what requirements ask for (directly or through a
/// substitution); substitution rows against both. Returns the offers' capabilities taken
/// for typos.
fn capabilities(
    scenario: &Scenario,
    offers: &[RawRow],
    requirements: &[RawRow],
    substitutions: &[RawRow],
    diags: &mut Diagnostics,
) -> HashSet<String> {
    let mut offered = Side::default();
    for (row, offer) in offers.iter().zip(&scenario.offers) {
        offered.add(&offer.capability, location(row, "capability"));
    }
    let mut wanted = Side::default();
    for (row, requirement) in requirements.iter().zip(&scenario.requirements) {
        if let CapabilityWanted::Named(c) = &requirement.capability {
            wanted.add(c, location(row, "capability"));
        }
    }
    let mut required = Side::default();
    let mut substitute = Side::default();
    for (row, s) in substitutions.iter().zip(&scenario.substitutions) {
        required.add(&s.required, location(row, "required"));
        substitute.add(&s.substitute, location(row, "substitute"));
    }
    // A capability is asked for when a requirement names it, when a substitution lets it
    // count toward one that is, or when a `*` requirement takes any of its domain.
    let any_domains: HashSet<usize> = scenario
        .requirements
        .iter()
        .filter(|r| r.capability == CapabilityWanted::Any)
        .map(|r| r.domain)
        .collect();
    let asked: HashSet<&str> = wanted
        .names()
        .into_iter()
        .chain(
            scenario
                .substitutions
                .iter()
                .filter(|s| wanted.has(&s.required))
                .map(|s| s.substitute.as_str()),
        )
        .chain(
            scenario
                .offers
                .iter()
                .filter(|o| any_domains.contains(&o.domain))
                .map(|o| o.capability.as_str()),
        )
        .collect();
    let served = |t: &str| {
        offered.has(t)
            || scenario
                .substitutions
                .iter()
                .any(|s| s.required == t && offered.has(&s.substitute))
    };
    let offer_used = |t: &str| asked.contains(t);
    let mut known_for_offers = wanted.names();
    known_for_offers.extend(substitute.names());
    let offer_unused_other = |t: &str| {
        // The other side of an offer's capability: a requirement's (unused when no offer
        // serves it) or a substitution's substitute (unused when not offered).
        (wanted.has(t) && !served(t)) || (substitute.has(t) && !offered.has(t))
    };
    let typos = if asked.is_empty() {
        HashSet::new()
    } else {
        Check {
            field: "capability",
            side: &offered,
            used: &offer_used,
            known: known_for_offers,
            unused: "no requirement asks for this capability, nor for one it substitutes for",
            note: None,
            reports_mutual: false,
            other_unused: &offer_unused_other,
        }
        .run(diags)
    };

    // Substitution rows: a doctrine-wide table is shared between scenarios, so a
    // capability absent here is a note; one close to a capability in use, a warning.
    let required_used = |t: &str| wanted.has(t);
    let required_unused_other = |t: &str| !wanted.has(t);
    let absent_requirement = |_: &str| {
        "no requirement of this scenario asks for this capability, so the substitution has no effect here".to_string()
    };
    if !scenario.requirements.is_empty() {
        Check {
            field: "required",
            side: &required,
            used: &required_used,
            known: wanted.names(),
            unused: "no requirement asks for this capability",
            note: Some(&absent_requirement),
            reports_mutual: true,
            other_unused: &required_unused_other,
        }
        .run(diags);
    }
    let substitute_used = |t: &str| offered.has(t);
    let substitute_unused_other = |t: &str| !asked.contains(t);
    let absent_offer = |_: &str| {
        "no offer of this scenario has this capability, so the substitution has no effect here"
            .to_string()
    };
    if !scenario.offers.is_empty() {
        Check {
            field: "substitute",
            side: &substitute,
            used: &substitute_used,
            known: offered.names(),
            unused: "no offer has this capability",
            note: Some(&absent_offer),
            reports_mutual: true,
            other_unused: &substitute_unused_other,
        }
        .run(diags);
    }
    typos
}

/// Offers' equipment items against the items requirements measure; returns the items taken
/// for typos. (A measured item no offer carries makes its requirement unservable: that is
/// reported there.)
fn equipment(scenario: &Scenario, offers: &[RawRow], diags: &mut Diagnostics) -> HashSet<String> {
    let mut carried = Side::default();
    for (row, offer) in offers.iter().zip(&scenario.offers) {
        for (item, _) in &offer.equipment {
            carried.add(item, location(row, "equipment"));
        }
    }
    let measured: Vec<&str> = {
        let mut seen = Vec::new();
        for r in &scenario.requirements {
            if let Measure::Equipment(item) = &r.measure
                && !seen.contains(&item.as_str())
            {
                seen.push(item.as_str());
            }
        }
        seen
    };
    let used = |t: &str| measured.contains(&t);
    let other_unused = |t: &str| !carried.has(t);
    Check {
        field: "equipment",
        side: &carried,
        used: &used,
        known: measured.clone(),
        unused: "no requirement measures this equipment item",
        note: None,
        reports_mutual: false,
        other_unused: &other_unused,
    }
    .run(diags)
}

/// Warns about each requirement no offer could ever be eligible for, saying why where one
/// reason stands out: no offer has the capability (nor a substitute), or none carries the
/// equipment item.
fn unservable(scenario: &Scenario, requirements: &[RawRow], diags: &mut Diagnostics) {
    let index = OfferIndex::new(scenario);
    let offered: Vec<&str> = {
        let mut names: Vec<&str> = scenario
            .offers
            .iter()
            .map(|o| o.capability.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    };
    let carried: Vec<&str> = {
        let mut items: Vec<&str> = scenario
            .offers
            .iter()
            .flat_map(|o| o.equipment.iter().map(|(item, _)| item.as_str()))
            .collect();
        items.sort_unstable();
        items.dedup();
        items
    };
    let typo_hint =
        |name: &str, known: &[&str], otherwise: &str| match closest(name, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => otherwise.to_string(),
        };
    for (row, requirement) in requirements.iter().zip(&scenario.requirements) {
        if !index.eligible(scenario, requirement).is_empty() {
            continue;
        }
        let diagnostic = match (&requirement.capability, &requirement.measure) {
            (CapabilityWanted::Named(c), _)
                if offered.binary_search(&c.as_str()).is_err()
                    && !scenario.substitutions.iter().any(|s| {
                        s.required == *c && offered.binary_search(&s.substitute.as_str()).is_ok()
                    }) =>
            {
                Diagnostic::warning(
                    location(row, "capability"),
                    "no offer has this capability, nor a substitute for it, so nothing can cover this requirement",
                )
                .field("capability")
                .value(c.clone())
                .hint(typo_hint(
                    c,
                    &offered,
                    "check the offers' capabilities, or add a substitution",
                ))
            }
            (_, Measure::Equipment(item)) if carried.binary_search(&item.as_str()).is_err() => {
                Diagnostic::warning(
                    location(row, "measure"),
                    "no offer carries this equipment item, so nothing can cover this requirement",
                )
                .field("measure")
                .value(format!("equipment:{item}"))
                .hint(typo_hint(
                    item,
                    &carried,
                    "list it in the offers' equipment column, e.g. `sam_launcher:8`",
                ))
            }
            _ => Diagnostic::warning(
                row.location.clone(),
                "no offer is eligible for this requirement",
            )
            .field("id")
            .value(requirement.id.clone())
            .hint("check its domain, capability, phase, readiness and excluded caveats"),
        };
        diags.push(diagnostic);
    }
}

/// Notes each offer that no requirement can use, with why, unless `warned` (its
/// capability or equipment was already reported as a likely typo).
fn unused_offers(
    scenario: &Scenario,
    offers: &[RawRow],
    warned: impl Fn(usize) -> bool,
    diags: &mut Diagnostics,
) {
    if scenario.requirements.is_empty() {
        return;
    }
    let index = OfferIndex::new(scenario);
    let mut used = vec![false; scenario.offers.len()];
    for requirement in &scenario.requirements {
        for (o, _) in index.eligible(scenario, requirement) {
            used[o] = true;
        }
    }
    for (o, (row, offer)) in offers.iter().zip(&scenario.offers).enumerate() {
        if used[o] || warned(o) {
            continue;
        }
        diags.push(
            Diagnostic::note(
                row.location.clone(),
                format!(
                    "no requirement can use this offer: {}",
                    why_unused(scenario, o)
                ),
            )
            .field("id")
            .value(offer.id.clone()),
        );
    }
}

/// Why no requirement can use offer `o`: what keeps it from each requirement that asks for
/// its capability in its domain, or that none does.
fn why_unused(scenario: &Scenario, o: usize) -> String {
    let offer = &scenario.offers[o];
    let member = &scenario.members[offer.member];
    let asks_for = |r: &super::Requirement| match &r.capability {
        CapabilityWanted::Any => true,
        CapabilityWanted::Named(c) => scenario.substitution_factor(c, &offer.capability).is_some(),
    };
    let candidates: Vec<&super::Requirement> = scenario
        .requirements
        .iter()
        .filter(|r| r.domain == offer.domain && asks_for(r))
        .collect();
    if candidates.is_empty() {
        return format!(
            "no requirement in {} asks for `{}` (or a capability it substitutes for)",
            scenario.domains[offer.domain], offer.capability
        );
    }
    // Each reason once, with the requirements it keeps the offer from.
    let mut reasons: IndexMap<String, Vec<&str>> = IndexMap::new();
    for r in candidates {
        let reason = if !offer.available_in(r.phase) {
            format!("it is not offered in phase {}", scenario.phases[r.phase].id)
        } else if let Some(limit) = r.max_readiness_days
            && offer.readiness_days > limit
        {
            format!(
                "its readiness ({} days) is slower than {limit} days",
                offer.readiness_days
            )
        } else if let Some(caveat) = r
            .excluded_caveats
            .iter()
            .find(|c| member.caveats.contains(c))
        {
            format!("{}'s caveat `{caveat}` is excluded", member.id)
        } else {
            format!("it counts for nothing in the measure {}", r.measure)
        };
        reasons.entry(reason).or_default().push(r.id.as_str());
    }
    let reasons: Vec<String> = reasons
        .into_iter()
        .map(|(reason, ids)| format!("{reason} (by {})", ids.join(", ")))
        .collect();
    reasons.join("; ")
}
