//! Raw table rows -> members, offers, requirements and substitutions, with every reference
//! resolved to an index and every cross-table rule checked.

use std::collections::HashMap;

use super::diagnostic::{Diagnostic, Diagnostics, Location, suggest};
use super::fields::{Fields, Range};
use super::limits::MAX_PAIRS;
use super::source::{Columns, RawTable};
use super::{CapabilityWanted, Measure, Member, Offer, Requirement, Scenario, Substitution};

pub(crate) const MEMBER_COLUMNS: Columns = Columns {
    table: "members",
    known: &[
        "id",
        "name",
        "burden_key",
        "max_troops",
        "max_cost",
        "caveats",
        "reliability",
    ],
    required: &["id"],
    numbers: &["burden_key", "max_troops", "max_cost", "reliability"],
};

pub(crate) const OFFER_COLUMNS: Columns = Columns {
    table: "offers",
    known: &[
        "id",
        "member",
        "capability",
        "domain",
        "units",
        "troops_per_unit",
        "cost_per_unit",
        "readiness_days",
        "rotation",
        "phases",
        "equipment",
    ],
    required: &["member", "capability", "domain", "units"],
    numbers: &[
        "units",
        "troops_per_unit",
        "cost_per_unit",
        "readiness_days",
        "rotation",
    ],
};

pub(crate) const REQUIREMENT_COLUMNS: Columns = Columns {
    table: "requirements",
    known: &[
        "id",
        "domain",
        "capability",
        "phase",
        "measure",
        "target",
        "minimum",
        "priority",
        "max_readiness_days",
        "max_share",
        "min_members",
        "excluded_caveats",
        "lead",
        "lead_share",
        "region",
        "description",
    ],
    required: &["id", "domain", "capability", "target"],
    numbers: &[
        "target",
        "minimum",
        "priority",
        "max_readiness_days",
        "max_share",
        "min_members",
        "lead_share",
    ],
};

pub(crate) const SUBSTITUTION_COLUMNS: Columns = Columns {
    table: "substitutions",
    known: &["required", "substitute", "factor"],
    required: &["required", "substitute", "factor"],
    numbers: &["factor"],
};

/// The raw tables of a scenario; a table is `None` when missing or unreadable.
pub(crate) struct TableSet {
    pub members: Option<RawTable>,
    pub offers: Option<RawTable>,
    pub requirements: Option<RawTable>,
    pub substitutions: Option<RawTable>,
}

/// Fills `scenario`'s tables from the raw rows, reporting every problem.
pub(crate) fn build(mut scenario: Scenario, tables: TableSet, diags: &mut Diagnostics) -> Scenario {
    // References into a table that could not be read are not checked: the one problem
    // with that table is reported, not a knock-on error on every row that names it.
    let members_read = tables.members.as_ref().is_some_and(|t| !t.rows.is_empty());
    if let Some(table) = &tables.members {
        scenario.members = members(table, diags);
    }
    if let Some(table) = &tables.offers {
        scenario.offers = offers(&scenario, members_read, table, diags);
    }
    if let Some(table) = &tables.requirements {
        scenario.requirements = requirements(&scenario, members_read, table, diags);
    }
    if let Some(table) = &tables.substitutions {
        scenario.substitutions = substitutions(table, diags);
    }
    // The model has a column per eligible pair: count them (through the offer index, so
    // in time linear in the pairs) and stop at the limit, before anything is built.
    if !diags.has_errors()
        && let Some(row) = tables.requirements.as_ref().and_then(|t| t.rows.last())
    {
        let index = super::OfferIndex::new(&scenario);
        let mut pairs = 0usize;
        for requirement in &scenario.requirements {
            pairs += index.eligible(&scenario, requirement).len();
            if pairs > MAX_PAIRS {
                break;
            }
        }
        if pairs > MAX_PAIRS {
            diags.push(
                Diagnostic::error(
                    Location::file(&row.location.file),
                    format!(
                        "more than {MAX_PAIRS} eligible offer-requirement pairs ({} offers, {} requirements): over the limit of the model's size",
                        scenario.offers.len(),
                        scenario.requirements.len()
                    ),
                )
                .hint("split the scenario, e.g. by phase or domain"),
            );
            return scenario;
        }
    }
    if !diags.has_errors() {
        super::vocabulary::check(&scenario, &tables, diags);
    }
    scenario
}

/// Known ids in their order, with a map for lookups: a table's references are resolved in
/// time linear in its rows, whatever the number of ids.
struct Ids<'a> {
    list: Vec<&'a str>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Ids<'a> {
    fn new(ids: impl Iterator<Item = &'a str>) -> Self {
        let list: Vec<&str> = ids.collect();
        let mut index = HashMap::with_capacity(list.len());
        for (i, id) in list.iter().enumerate() {
            // The first of duplicate ids wins, as a scan from the start would find it.
            index.entry(*id).or_insert(i);
        }
        Ids { list, index }
    }
}

/// Resolves a reference by id, reporting an unknown one with the closest known id.
fn resolve(
    fields: &mut Fields<'_>,
    field: &str,
    value: &str,
    what: &str,
    known: &Ids<'_>,
) -> Option<usize> {
    match known.index.get(value) {
        Some(&index) => Some(index),
        None => {
            let message = format!("unknown {what}");
            let hint = if value.contains(',') {
                "list items are separated by `;`, e.g. `deployment;sustainment`".to_string()
            } else {
                suggest(&format!("{what}s"), value, &known.list)
            };
            fields.report_hint(field, value, &message, hint);
            None
        }
    }
}

fn unique_id(fields: &mut Fields<'_>, seen: &mut HashMap<String, Location>, id: &str, what: &str) {
    let location = fields.location("id");
    if let Some(first) = seen.get(id) {
        let message = format!("duplicate {what} id");
        let hint = format!("first defined at {first}");
        fields.report_hint("id", id, &message, hint);
    } else {
        seen.insert(id.to_string(), location);
    }
}

fn members(table: &RawTable, diags: &mut Diagnostics) -> Vec<Member> {
    let mut out = Vec::with_capacity(table.rows.len());
    let mut seen = HashMap::new();
    for row in &table.rows {
        let mut f = Fields::new(row, diags);
        let Some(id) = f.name("id") else { continue };
        unique_id(&mut f, &mut seen, &id, "member");
        let name = f
            .text("name")
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| id.clone());
        let member = Member {
            burden_key: f.number("burden_key", Range::Positive),
            max_troops: f.number("max_troops", Range::NonNegative),
            max_cost: f.number("max_cost", Range::NonNegative),
            caveats: f.list("caveats").into_iter().map(|(c, _)| c).collect(),
            reliability: f.number("reliability", Range::Probability).unwrap_or(1.0),
            id,
            name,
        };
        out.push(member);
    }
    out
}

fn offers(
    scenario: &Scenario,
    members_read: bool,
    table: &RawTable,
    diags: &mut Diagnostics,
) -> Vec<Offer> {
    let member_ids = Ids::new(scenario.members.iter().map(|m| m.id.as_str()));
    let domains = Ids::new(scenario.domains.iter().map(String::as_str));
    let phase_ids = Ids::new(scenario.phases.iter().map(|p| p.id.as_str()));
    let mut out = Vec::with_capacity(table.rows.len());
    let mut seen = HashMap::new();
    let mut counters: HashMap<(String, String), usize> = HashMap::new();
    for row in &table.rows {
        let mut f = Fields::new(row, diags);
        let member_id = f.name("member");
        let member = member_id
            .as_deref()
            .filter(|_| members_read)
            .and_then(|m| resolve(&mut f, "member", m, "member", &member_ids));
        let capability = f.name("capability");
        let domain = f
            .name("domain")
            .and_then(|d| resolve(&mut f, "domain", &d, "domain", &domains));
        let units = f.number("units", Range::Positive);
        let troops_per_unit = f
            .number("troops_per_unit", Range::NonNegative)
            .unwrap_or(0.0);
        let cost_per_unit = f.number("cost_per_unit", Range::NonNegative).unwrap_or(0.0);
        let readiness_days = f
            .number("readiness_days", Range::NonNegative)
            .unwrap_or(0.0);
        let rotation = f.number("rotation", Range::AtLeastOne).unwrap_or(1.0);
        let mut phases = Vec::new();
        let listed = f.list("phases");
        for (phase, _) in &listed {
            if let Some(p) = resolve(&mut f, "phases", phase, "phase", &phase_ids) {
                if phases.contains(&p) {
                    f.report("phases", phase, "phase listed twice");
                }
                phases.push(p);
            }
        }
        if listed.is_empty() {
            phases = (0..scenario.phases.len()).collect();
        }
        phases.sort_unstable();
        phases.dedup();
        let equipment = equipment(&mut f);
        let id = match f.name("id") {
            Some(id) => id,
            None if f.row.get("id").is_some() => continue,
            None => {
                let key = (
                    member_id.clone().unwrap_or_default(),
                    capability.clone().unwrap_or_default(),
                );
                let n = counters.entry(key.clone()).or_insert(0);
                *n += 1;
                format!("{}/{}/{}", key.0, key.1, n)
            }
        };
        unique_id(&mut f, &mut seen, &id, "offer");
        let (Some(member), Some(capability), Some(domain), Some(units)) =
            (member, capability, domain, units)
        else {
            continue;
        };
        out.push(Offer {
            id,
            member,
            capability,
            domain,
            units,
            troops_per_unit,
            cost_per_unit,
            readiness_days,
            rotation,
            phases,
            equipment,
        });
    }
    out
}

/// Parses `item:count;item:count`, or a TOML array of such strings.
fn equipment(f: &mut Fields<'_>) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for (entry, _) in f.list("equipment") {
        let Some((item, count)) = entry.split_once(':') else {
            f.report_hint(
                "equipment",
                &entry,
                "expected `item:count`",
                "write e.g. `mbt:14;ifv:44`".into(),
            );
            continue;
        };
        let item = item.trim();
        if item.is_empty() {
            f.report("equipment", &entry, "the item name is empty");
            continue;
        }
        match count.trim().parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => {
                if out.iter().any(|(name, _)| name == item) {
                    f.report("equipment", &entry, "item listed twice");
                } else {
                    out.push((item.to_string(), n));
                }
            }
            Ok(_) => f.report(
                "equipment",
                &entry,
                "the count must be a finite number, not negative",
            ),
            Err(_) if count.contains(',') => f.report_hint(
                "equipment",
                &entry,
                "the count is not a number",
                "items are separated by `;`: write e.g. `mbt:14;ifv:44`".into(),
            ),
            Err(_) => f.report("equipment", &entry, "the count is not a number"),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn substitutions(table: &RawTable, diags: &mut Diagnostics) -> Vec<Substitution> {
    let mut out: Vec<Substitution> = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let mut f = Fields::new(row, diags);
        let required = f.name("required");
        let substitute = f.name("substitute");
        let factor = f.number("factor", Range::Positive);
        let (Some(required), Some(substitute), Some(factor)) = (required, substitute, factor)
        else {
            continue;
        };
        if required == substitute {
            f.report_hint(
                "substitute",
                &substitute,
                "a capability cannot substitute for itself",
                "an offer of the required capability always counts fully".into(),
            );
            continue;
        }
        if out
            .iter()
            .any(|s| s.required == required && s.substitute == substitute)
        {
            let message = format!("duplicate substitution of `{substitute}` for `{required}`");
            f.report("substitute", &substitute, message);
            continue;
        }
        out.push(Substitution {
            required,
            substitute,
            factor,
        });
    }
    out
}

fn measure(f: &mut Fields<'_>) -> Option<Measure> {
    let Some(text) = f.text("measure") else {
        return Some(Measure::Units);
    };
    match text.as_str() {
        "units" => Some(Measure::Units),
        "troops" => Some(Measure::Troops),
        _ => match text.strip_prefix("equipment:") {
            Some(item) if !item.trim().is_empty() => Some(Measure::Equipment(item.trim().into())),
            _ => {
                f.report_hint(
                    "measure",
                    &text,
                    "unknown measure",
                    "use `units`, `troops` or `equipment:ITEM`".into(),
                );
                None
            }
        },
    }
}

fn requirements(
    scenario: &Scenario,
    members_read: bool,
    table: &RawTable,
    diags: &mut Diagnostics,
) -> Vec<Requirement> {
    let member_ids = Ids::new(scenario.members.iter().map(|m| m.id.as_str()));
    let domains = Ids::new(scenario.domains.iter().map(String::as_str));
    let phase_ids = Ids::new(scenario.phases.iter().map(|p| p.id.as_str()));
    let mut out = Vec::with_capacity(table.rows.len());
    let mut seen = HashMap::new();
    for row in &table.rows {
        let mut f = Fields::new(row, diags);
        let id = f.name("id");
        if let Some(id) = &id {
            unique_id(&mut f, &mut seen, id, "requirement");
        }
        let domain = f
            .name("domain")
            .and_then(|d| resolve(&mut f, "domain", &d, "domain", &domains));
        let capability = f.name("capability").map(|c| {
            if c == "*" {
                CapabilityWanted::Any
            } else {
                CapabilityWanted::Named(c)
            }
        });
        let phase = match f.name("phase") {
            Some(p) => resolve(&mut f, "phase", &p, "phase", &phase_ids),
            None if scenario.phases.len() == 1 => Some(0),
            None => {
                let location = f.row.location.clone();
                f.diags.push(
                    Diagnostic::error(location, "the scenario has several phases; name one")
                        .field("phase")
                        .hint(suggest("phases", "", &phase_ids.list)),
                );
                None
            }
        };
        let measure = measure(&mut f);
        let target = f.number("target", Range::Positive);
        let minimum = f.number("minimum", Range::NonNegative).unwrap_or(0.0);
        if let Some(target) = target
            && minimum > target
        {
            let message = format!("the minimum is above the target ({target})");
            f.report("minimum", &minimum.to_string(), message);
        }
        let priority = f.whole("priority", 1, 5).unwrap_or(3) as u8;
        let max_readiness_days = f.number("max_readiness_days", Range::NonNegative);
        let max_share = f.number("max_share", Range::Fraction).unwrap_or(1.0);
        let min_members = f.whole("min_members", 1, i64::from(u32::MAX)).unwrap_or(1) as u32;
        if min_members as usize > scenario.members.len() && !scenario.members.is_empty() {
            let location = f.location("min_members");
            f.diags.push(
                Diagnostic::warning(
                    location,
                    format!(
                        "more members asked for than the scenario has ({})",
                        scenario.members.len()
                    ),
                )
                .field("min_members")
                .value(min_members.to_string()),
            );
        }
        let excluded_caveats = f
            .list("excluded_caveats")
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        let lead = f
            .name("lead")
            .filter(|_| members_read)
            .and_then(|m| resolve(&mut f, "lead", &m, "member", &member_ids));
        let lead_share_read = f.number("lead_share", Range::Probability);
        // A lead_share that was written but is bad is reported as such, not as missing.
        let lead_share_bad = lead_share_read.is_none() && f.row.get("lead_share").is_some();
        let lead_share = lead_share_read.unwrap_or(0.0);
        if lead_share == 0.0 && !lead_share_bad && f.row.get("lead").is_some() {
            let location = f.location("lead");
            f.diags.push(
                Diagnostic::warning(location, "a lead without a lead_share is not modelled")
                    .field("lead")
                    .hint("set lead_share, the share of the target the lead should provide"),
            );
        }
        if lead_share > 0.0 && f.row.get("lead").is_none() {
            f.report_hint(
                "lead_share",
                &lead_share.to_string(),
                "a lead share needs a lead member",
                "name the member in the `lead` column".into(),
            );
        }
        let region = f.text("region").unwrap_or_default();
        let description = f.text("description").unwrap_or_default();
        let (Some(id), Some(domain), Some(capability), Some(phase), Some(measure), Some(target)) =
            (id, domain, capability, phase, measure, target)
        else {
            continue;
        };
        out.push(Requirement {
            id,
            domain,
            capability,
            phase,
            measure,
            target,
            minimum,
            priority,
            max_readiness_days,
            max_share,
            min_members,
            excluded_caveats,
            lead,
            lead_share,
            region,
            description,
        });
    }
    out
}
