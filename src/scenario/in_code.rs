//! Scenarios built in code: members, offers, requirements and the rest given as Rust values,
//! validated by the very rules that check files.
//!
//! [`ScenarioBuilder::build`] writes the values as the scenario file a user could have
//! written (every table inline, one value per line), loads that text with the file loader,
//! and puts each diagnostic back on the value it came from: its location is the field path,
//! such as `offers[3].units` or `solver.mip_gap`, in place of a file, line and column. So a
//! scenario built in code and the same scenario in files load to equal [`Scenario`]s, with
//! the same warnings and the same errors.

use std::collections::BTreeMap;
use std::path::Path;

use super::{CapabilityWanted, Diagnostic, Location};
use super::{Checks, Fairness, LoadError, Loaded, Measure, Scenario, SolverSettings, load_str};

/// One phase of the mission.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhaseSpec {
    /// Unique phase id.
    pub id: String,
    /// A sustained phase draws on rotation: an offer with `rotation` r provides 1/r of its
    /// units there.
    pub sustained: bool,
}

/// One member state, as a row of the members table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemberSpec {
    /// Unique member id (e.g. `FRA`).
    pub id: String,
    /// Display name; the id when `None`.
    pub name: Option<String>,
    /// Weight of the member's fair share (e.g. GDP); no burden stage without one.
    pub burden_key: Option<f64>,
    /// Cap on the troops the member deploys in any one phase.
    pub max_troops: Option<f64>,
    /// Cap on the member's total cost.
    pub max_cost: Option<f64>,
    /// National caveats (tags a requirement may exclude).
    pub caveats: Vec<String>,
    /// Probability that the member delivers, for Monte Carlo sweeps; 1 when `None`.
    pub reliability: Option<f64>,
}

impl MemberSpec {
    /// A member with its id and every other field at its default.
    pub fn new(id: impl Into<String>) -> Self {
        MemberSpec {
            id: id.into(),
            ..MemberSpec::default()
        }
    }
}

/// One offer, as a row of the offers table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OfferSpec {
    /// Unique offer id; `MEMBER/CAPABILITY/N` when `None`.
    pub id: Option<String>,
    /// The offering member's id.
    pub member: String,
    /// The capability offered.
    pub capability: String,
    /// The domain's name.
    pub domain: String,
    /// Units offered (positive).
    pub units: f64,
    /// Troops per unit; 0 when `None`.
    pub troops_per_unit: Option<f64>,
    /// Cost per unit; 0 when `None`.
    pub cost_per_unit: Option<f64>,
    /// Days to readiness; 0 when `None`.
    pub readiness_days: Option<f64>,
    /// Rotation factor (at least 1) applied in sustained phases; 1 when `None`.
    pub rotation: Option<f64>,
    /// Phase ids the offer is available in; every phase when empty.
    pub phases: Vec<String>,
    /// Equipment carried per unit, as (item, count).
    pub equipment: Vec<(String, f64)>,
}

impl OfferSpec {
    /// An offer of `units` units of `capability` in `domain` by `member`; other fields at
    /// their defaults.
    pub fn new(
        member: impl Into<String>,
        capability: impl Into<String>,
        domain: impl Into<String>,
        units: f64,
    ) -> Self {
        OfferSpec {
            member: member.into(),
            capability: capability.into(),
            domain: domain.into(),
            units,
            ..OfferSpec::default()
        }
    }
}

/// One requirement, as a row of the requirements table.
#[derive(Clone, Debug, PartialEq)]
pub struct RequirementSpec {
    /// Unique requirement id.
    pub id: String,
    /// The domain's name.
    pub domain: String,
    /// The capability asked for; `*` for any capability of the domain.
    pub capability: String,
    /// The phase id; may be `None` only when the scenario has one phase.
    pub phase: Option<String>,
    /// What the target counts; units when `None`.
    pub measure: Option<Measure>,
    /// The target (positive).
    pub target: f64,
    /// A hard floor (at most the target); 0 when `None`.
    pub minimum: Option<f64>,
    /// Priority 1 (highest) to 5; 3 when `None`.
    pub priority: Option<u8>,
    /// Only offers ready within this many days count.
    pub max_readiness_days: Option<f64>,
    /// The most any one member may provide, as a share of the target; 1 when `None`.
    pub max_share: Option<f64>,
    /// The fewest members that must contribute; 1 when `None`.
    pub min_members: Option<u32>,
    /// Member caveats that exclude a member's offers from this requirement.
    pub excluded_caveats: Vec<String>,
    /// A lead member's id.
    pub lead: Option<String>,
    /// The share of the target the lead should provide.
    pub lead_share: Option<f64>,
    /// A free-text region.
    pub region: Option<String>,
    /// A free-text description.
    pub description: Option<String>,
}

impl RequirementSpec {
    /// A requirement for `target` of `capability` in `domain`; other fields at their
    /// defaults.
    pub fn new(
        id: impl Into<String>,
        domain: impl Into<String>,
        capability: impl Into<String>,
        target: f64,
    ) -> Self {
        RequirementSpec {
            id: id.into(),
            domain: domain.into(),
            capability: capability.into(),
            phase: None,
            measure: None,
            target,
            minimum: None,
            priority: None,
            max_readiness_days: None,
            max_share: None,
            min_members: None,
            excluded_caveats: Vec::new(),
            lead: None,
            lead_share: None,
            region: None,
            description: None,
        }
    }
}

/// One substitution: offers of `substitute` may meet a requirement for `required`, each
/// unit counting `factor` units.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SubstitutionSpec {
    /// The capability required.
    pub required: String,
    /// The capability that may stand in for it.
    pub substitute: String,
    /// How much one unit of the substitute counts (0 to 1].
    pub factor: f64,
}

/// A scenario given in code. Fill it (with the methods or the fields) and
/// [`build`](ScenarioBuilder::build) it into a validated [`Scenario`].
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioBuilder {
    /// The scenario's name.
    pub name: String,
    /// A free-text description.
    pub description: String,
    /// Domain names; `land`, `sea` and `air` when `None`.
    pub domains: Option<Vec<String>>,
    /// Phases in order; one phase `all` when empty.
    pub phases: Vec<PhaseSpec>,
    /// The members table.
    pub members: Vec<MemberSpec>,
    /// The offers table.
    pub offers: Vec<OfferSpec>,
    /// The requirements table.
    pub requirements: Vec<RequirementSpec>,
    /// The substitutions table.
    pub substitutions: Vec<SubstitutionSpec>,
    /// The burden measure of the fairness stage, if any.
    pub fairness: Option<Fairness>,
    /// Solver settings (`reuse` is kept as given; files cannot set it).
    pub solver: SolverSettings,
    /// Thresholds for `check`, and whether warnings are errors.
    pub checks: Checks,
}

/// The file name the generated text is loaded under, before locations are mapped back.
const IN_CODE: &str = "<in code>";

impl ScenarioBuilder {
    /// An empty scenario named `name`, with the default domains, one phase and the default
    /// solver settings.
    pub fn new(name: impl Into<String>) -> Self {
        ScenarioBuilder {
            name: name.into(),
            description: String::new(),
            domains: None,
            phases: Vec::new(),
            members: Vec::new(),
            offers: Vec::new(),
            requirements: Vec::new(),
            substitutions: Vec::new(),
            fairness: None,
            solver: SolverSettings::default(),
            checks: Checks::default(),
        }
    }

    /// The builder of an existing scenario: every value written out, so that a scenario
    /// read from files can be changed in code and validated again.
    pub fn from_scenario(s: &Scenario) -> Self {
        let member_id = |m: usize| s.members[m].id.clone();
        ScenarioBuilder {
            name: s.name.clone(),
            description: s.description.clone(),
            domains: Some(s.domains.clone()),
            phases: s
                .phases
                .iter()
                .map(|p| PhaseSpec {
                    id: p.id.clone(),
                    sustained: p.sustained,
                })
                .collect(),
            members: s
                .members
                .iter()
                .map(|m| MemberSpec {
                    id: m.id.clone(),
                    name: Some(m.name.clone()),
                    burden_key: m.burden_key,
                    max_troops: m.max_troops,
                    max_cost: m.max_cost,
                    caveats: m.caveats.clone(),
                    reliability: Some(m.reliability),
                })
                .collect(),
            offers: s
                .offers
                .iter()
                .map(|o| OfferSpec {
                    id: Some(o.id.clone()),
                    member: member_id(o.member),
                    capability: o.capability.clone(),
                    domain: s.domains[o.domain].clone(),
                    units: o.units,
                    troops_per_unit: Some(o.troops_per_unit),
                    cost_per_unit: Some(o.cost_per_unit),
                    readiness_days: Some(o.readiness_days),
                    rotation: Some(o.rotation),
                    phases: o.phases.iter().map(|&p| s.phases[p].id.clone()).collect(),
                    equipment: o.equipment.clone(),
                })
                .collect(),
            requirements: s
                .requirements
                .iter()
                .map(|r| RequirementSpec {
                    id: r.id.clone(),
                    domain: s.domains[r.domain].clone(),
                    capability: match &r.capability {
                        CapabilityWanted::Any => "*".into(),
                        CapabilityWanted::Named(c) => c.clone(),
                    },
                    phase: Some(s.phases[r.phase].id.clone()),
                    measure: Some(r.measure.clone()),
                    target: r.target,
                    minimum: Some(r.minimum),
                    priority: Some(r.priority),
                    max_readiness_days: r.max_readiness_days,
                    max_share: Some(r.max_share),
                    min_members: Some(r.min_members),
                    excluded_caveats: r.excluded_caveats.clone(),
                    lead: r.lead.map(member_id),
                    lead_share: (r.lead_share > 0.0 || r.lead.is_some()).then_some(r.lead_share),
                    region: Some(r.region.clone()),
                    description: Some(r.description.clone()),
                })
                .collect(),
            substitutions: s
                .substitutions
                .iter()
                .map(|x| SubstitutionSpec {
                    required: x.required.clone(),
                    substitute: x.substitute.clone(),
                    factor: x.factor,
                })
                .collect(),
            fairness: s.fairness,
            solver: s.solver.clone(),
            checks: s.checks.clone(),
        }
    }

    /// Sets the domain names.
    pub fn domains<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.domains = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Adds a phase.
    pub fn phase(mut self, id: impl Into<String>, sustained: bool) -> Self {
        self.phases.push(PhaseSpec {
            id: id.into(),
            sustained,
        });
        self
    }

    /// Adds a member.
    pub fn member(mut self, member: MemberSpec) -> Self {
        self.members.push(member);
        self
    }

    /// Adds an offer.
    pub fn offer(mut self, offer: OfferSpec) -> Self {
        self.offers.push(offer);
        self
    }

    /// Adds a requirement.
    pub fn requirement(mut self, requirement: RequirementSpec) -> Self {
        self.requirements.push(requirement);
        self
    }

    /// Adds a substitution.
    pub fn substitution(mut self, substitution: SubstitutionSpec) -> Self {
        self.substitutions.push(substitution);
        self
    }

    /// Sets the burden measure of the fairness stage.
    pub fn fairness(mut self, fairness: Fairness) -> Self {
        self.fairness = Some(fairness);
        self
    }

    /// Sets the solver settings.
    pub fn solver(mut self, solver: SolverSettings) -> Self {
        self.solver = solver;
        self
    }

    /// Sets the checks.
    pub fn checks(mut self, checks: Checks) -> Self {
        self.checks = checks;
        self
    }

    /// Validates the scenario by the rules of the file loader. Every diagnostic (errors,
    /// warnings and notes alike) is located by the field path of the value it is about:
    /// `offers[3].units`, `members[0].caveats`, `solver.mip_gap`; a problem of the whole
    /// scenario (a table with no rows) by `scenario`.
    pub fn build(&self) -> Result<Loaded, LoadError> {
        let text = Text::of(self);
        let place = |mut d: Diagnostic| {
            d.location = text.path_of(&d.location);
            d
        };
        match load_str(&text.toml, Path::new(IN_CODE), Path::new("")) {
            Ok(mut loaded) => {
                loaded.scenario.solver.reuse = self.solver.reuse;
                loaded.warnings = loaded.warnings.into_iter().map(place).collect();
                loaded.notes = loaded.notes.into_iter().map(place).collect();
                Ok(loaded)
            }
            Err(err) => Err(LoadError {
                diagnostics: err.diagnostics.into_iter().map(place).collect(),
            }),
        }
    }
}

/// The scenario file of a builder, and the field path of each of its lines.
struct Text {
    toml: String,
    /// `paths[i]` is the field path of line `i + 1`.
    paths: Vec<String>,
}

fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn float(x: f64) -> String {
    toml::Value::Float(x).to_string()
}

fn strings<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| string(s)).collect();
    format!("[{}]", items.join(", "))
}

impl Text {
    fn line(&mut self, path: impl Into<String>, line: String) {
        self.paths.push(path.into());
        self.toml.push_str(&line);
        self.toml.push('\n');
    }

    /// `key = value` at `prefix.key`.
    fn entry(&mut self, prefix: &str, key: &str, value: String) {
        self.line(format!("{prefix}.{key}"), format!("{key} = {value}"));
    }

    fn entry_opt(&mut self, prefix: &str, key: &str, value: Option<String>) {
        if let Some(value) = value {
            self.entry(prefix, key, value);
        }
    }

    fn thresholds(&mut self, section: &str, values: &BTreeMap<String, f64>) {
        if values.is_empty() {
            return;
        }
        let prefix = format!("checks.{section}");
        self.line(prefix.clone(), format!("[checks.{section}]"));
        for (name, value) in values {
            self.line(
                format!("{prefix}.{name}"),
                format!("{} = {}", string(name), float(*value)),
            );
        }
    }

    fn of(b: &ScenarioBuilder) -> Text {
        let mut t = Text {
            toml: String::new(),
            paths: Vec::new(),
        };
        t.line("scenario", "# a scenario built in code".into());
        t.line("scenario", "[scenario]".into());
        t.entry("scenario", "name", string(&b.name));
        t.entry("scenario", "description", string(&b.description));
        if let Some(domains) = &b.domains {
            t.entry("scenario", "domains", strings(domains));
        }
        if let Some(fairness) = b.fairness {
            t.line("objective", "[objective]".into());
            let name = match fairness {
                Fairness::Troops => "troops",
                Fairness::Cost => "cost",
            };
            t.entry("objective", "fairness", string(name));
        }
        let s = &b.solver;
        t.line("solver", "[solver]".into());
        t.entry("solver", "backend", string(s.backend.name()));
        t.entry("solver", "integer", s.integer.to_string());
        t.entry("solver", "time_limit_s", float(s.time_limit_s));
        t.entry("solver", "mip_gap", float(s.mip_gap));
        let c = &b.checks;
        t.line("checks", "[checks]".into());
        t.entry("checks", "strict", c.strict.to_string());
        t.entry_opt("checks", "min_coverage", c.min_coverage.map(float));
        t.thresholds("min_domain_coverage", &c.min_domain_coverage);
        t.thresholds("min_phase_coverage", &c.min_phase_coverage);
        let by_priority: BTreeMap<String, f64> = c
            .min_priority_coverage
            .iter()
            .map(|(level, v)| (level.to_string(), *v))
            .collect();
        t.thresholds("min_priority_coverage", &by_priority);

        for (i, p) in b.phases.iter().enumerate() {
            let at = format!("phase[{i}]");
            t.line(at.clone(), "[[phase]]".into());
            t.entry(&at, "id", string(&p.id));
            t.entry(&at, "sustained", p.sustained.to_string());
        }
        for (i, m) in b.members.iter().enumerate() {
            let at = format!("members[{i}]");
            t.line(at.clone(), "[[members]]".into());
            t.entry(&at, "id", string(&m.id));
            t.entry_opt(&at, "name", m.name.as_deref().map(string));
            t.entry_opt(&at, "burden_key", m.burden_key.map(float));
            t.entry_opt(&at, "max_troops", m.max_troops.map(float));
            t.entry_opt(&at, "max_cost", m.max_cost.map(float));
            if !m.caveats.is_empty() {
                t.entry(&at, "caveats", strings(&m.caveats));
            }
            t.entry_opt(&at, "reliability", m.reliability.map(float));
        }
        for (i, o) in b.offers.iter().enumerate() {
            let at = format!("offers[{i}]");
            t.line(at.clone(), "[[offers]]".into());
            t.entry_opt(&at, "id", o.id.as_deref().map(string));
            t.entry(&at, "member", string(&o.member));
            t.entry(&at, "capability", string(&o.capability));
            t.entry(&at, "domain", string(&o.domain));
            t.entry(&at, "units", float(o.units));
            t.entry_opt(&at, "troops_per_unit", o.troops_per_unit.map(float));
            t.entry_opt(&at, "cost_per_unit", o.cost_per_unit.map(float));
            t.entry_opt(&at, "readiness_days", o.readiness_days.map(float));
            t.entry_opt(&at, "rotation", o.rotation.map(float));
            if !o.phases.is_empty() {
                t.entry(&at, "phases", strings(&o.phases));
            }
            if !o.equipment.is_empty() {
                let items: Vec<String> = o
                    .equipment
                    .iter()
                    .map(|(item, count)| format!("{item}:{count}"))
                    .collect();
                t.entry(&at, "equipment", strings(&items));
            }
        }
        for (i, r) in b.requirements.iter().enumerate() {
            let at = format!("requirements[{i}]");
            t.line(at.clone(), "[[requirements]]".into());
            t.entry(&at, "id", string(&r.id));
            t.entry(&at, "domain", string(&r.domain));
            t.entry(&at, "capability", string(&r.capability));
            t.entry_opt(&at, "phase", r.phase.as_deref().map(string));
            t.entry_opt(
                &at,
                "measure",
                r.measure.as_ref().map(|m| string(&m.to_string())),
            );
            t.entry(&at, "target", float(r.target));
            t.entry_opt(&at, "minimum", r.minimum.map(float));
            t.entry_opt(&at, "priority", r.priority.map(|p| p.to_string()));
            t.entry_opt(&at, "max_readiness_days", r.max_readiness_days.map(float));
            t.entry_opt(&at, "max_share", r.max_share.map(float));
            t.entry_opt(&at, "min_members", r.min_members.map(|n| n.to_string()));
            if !r.excluded_caveats.is_empty() {
                t.entry(&at, "excluded_caveats", strings(&r.excluded_caveats));
            }
            t.entry_opt(&at, "lead", r.lead.as_deref().map(string));
            t.entry_opt(&at, "lead_share", r.lead_share.map(float));
            t.entry_opt(&at, "region", r.region.as_deref().map(string));
            t.entry_opt(&at, "description", r.description.as_deref().map(string));
        }
        for (i, x) in b.substitutions.iter().enumerate() {
            let at = format!("substitutions[{i}]");
            t.line(at.clone(), "[[substitutions]]".into());
            t.entry(&at, "required", string(&x.required));
            t.entry(&at, "substitute", string(&x.substitute));
            t.entry(&at, "factor", float(x.factor));
        }
        t
    }

    /// The field path of a location in the generated text.
    fn path_of(&self, location: &Location) -> Location {
        if location.file != Path::new(IN_CODE) {
            return location.clone();
        }
        let path = location
            .line
            .and_then(|line| self.paths.get(line.wrapping_sub(1)))
            .map_or("scenario", String::as_str);
        Location::path(path)
    }
}
