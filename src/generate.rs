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

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::analysis::sweep::SplitMix64;

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

/// One kind of unit in the catalogue.
struct Kind {
    name: &'static str,
    domain: &'static str,
    troops: f64,
    cost: f64,
    /// Typical units in one offer (drawn from 1 to this).
    units: u64,
    rotation: f64,
    equipment: &'static [(&'static str, f64)],
    /// Relative frequency among offers.
    weight: u64,
}

const KINDS: &[Kind] = &[
    kind(
        "mech_inf_bn",
        "land",
        650.,
        75.,
        6,
        4.,
        &[("ifv", 44.), ("mortar_120", 8.)],
        6,
    ),
    kind(
        "armoured_bn",
        "land",
        600.,
        110.,
        3,
        4.,
        &[("mbt", 14.), ("ifv", 20.)],
        3,
    ),
    kind("light_inf_bn", "land", 500., 50., 4, 3., &[], 4),
    kind("engineer_coy", "land", 150., 14., 5, 3., &[], 5),
    kind("training_team", "land", 30., 2.5, 12, 3., &[], 8),
    kind("hq_staff", "land", 40., 6., 6, 2., &[], 5),
    kind("logistics_coy", "land", 160., 12., 4, 3., &[], 4),
    kind("medical_coy", "land", 90., 9., 4, 3., &[], 4),
    kind("monitoring_team", "land", 8., 0.8, 16, 2., &[], 5),
    kind("liaison_team", "land", 4., 0.4, 10, 2., &[], 5),
    kind("demining_team", "land", 12., 1.2, 10, 3., &[], 5),
    kind(
        "prepositioned_stock",
        "land",
        0.,
        20.,
        2,
        1.,
        &[("mbt", 20.), ("ifv", 30.), ("howitzer", 12.)],
        3,
    ),
    kind("frigate", "sea", 200., 35., 3, 3., &[("sam_cell", 32.)], 6),
    kind("patrol_vessel", "sea", 40., 6., 4, 3., &[], 3),
    kind("mcm_vessel", "sea", 45., 8., 4, 3., &[], 5),
    kind("mcm_drone_team", "sea", 12., 2., 4, 2., &[], 2),
    kind("mpa", "sea", 60., 15., 2, 3., &[], 2),
    kind("eod_diving_team", "sea", 10., 1., 6, 2., &[], 3),
    kind(
        "fighter_sqn",
        "air",
        250.,
        60.,
        2,
        3.,
        &[("fighter", 12.)],
        5,
    ),
    kind(
        "air_defence_bty",
        "air",
        120.,
        25.,
        3,
        3.,
        &[("sam_launcher", 6.)],
        4,
    ),
    kind("awacs", "air", 80., 30., 1, 3., &[], 1),
    kind("tanker", "air", 60., 20., 2, 3., &[], 2),
    kind("airlift_flight", "air", 70., 18., 3, 2., &[], 2),
    kind("isr_drone_flight", "air", 40., 8., 4, 2., &[], 3),
    kind("isr_aircraft", "air", 50., 15., 2, 2., &[], 2),
];

// A table row, positionally: the table above reads best one kind per line.
#[allow(clippy::too_many_arguments)]
const fn kind(
    name: &'static str,
    domain: &'static str,
    troops: f64,
    cost: f64,
    units: u64,
    rotation: f64,
    equipment: &'static [(&'static str, f64)],
    weight: u64,
) -> Kind {
    Kind {
        name,
        domain,
        troops,
        cost,
        units,
        rotation,
        equipment,
        weight,
    }
}

/// (required, substitute, factor), as in the flagship.
const SUBSTITUTIONS: &[(&str, &str, f64)] = &[
    ("mech_inf_bn", "armoured_bn", 1.0),
    ("mech_inf_bn", "light_inf_bn", 0.5),
    ("patrol_vessel", "frigate", 1.0),
    ("mcm_vessel", "mcm_drone_team", 0.5),
    ("isr_drone_flight", "isr_aircraft", 1.0),
    ("monitoring_team", "liaison_team", 0.5),
    ("demining_team", "engineer_coy", 2.0),
];

const READINESS: &[f64] = &[5., 10., 20., 30., 45., 60., 90., 120.];

/// The caveats that matter in a domain.
fn caveats_of(domain: &str) -> &'static [&'static str] {
    match domain {
        "land" => &["no_combat", "no_deploy_east"],
        "sea" => &["no_maritime_combat", "no_deploy_east"],
        _ => &["no_combat"],
    }
}

struct Member {
    id: String,
    burden_key: f64,
    max_troops: Option<f64>,
    max_cost: Option<f64>,
    caveats: Vec<&'static str>,
    reliability: f64,
}

struct Offer {
    id: String,
    member: usize,
    kind: usize,
    /// The capability variant: 0 for the plain name, v for `name_{v+1}`.
    variant: usize,
    units: f64,
    troops: f64,
    cost: f64,
    readiness: f64,
    rotation: f64,
    /// Empty: all phases.
    phases: Vec<usize>,
    equipment: Vec<(&'static str, f64)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Measure {
    Units,
    Troops,
    Equipment(&'static str),
}

struct Requirement {
    id: String,
    kind: usize,
    variant: usize,
    /// `*`: any capability of the domain.
    any: bool,
    phase: usize,
    measure: Measure,
    target: f64,
    minimum: f64,
    priority: u8,
    max_readiness: Option<f64>,
    max_share: Option<f64>,
    min_members: Option<u32>,
    excluded: Vec<&'static str>,
    lead: Option<(usize, f64)>,
    region: u64,
}

fn capability(kind: usize, variant: usize) -> String {
    if variant == 0 {
        KINDS[kind].name.to_string()
    } else {
        format!("{}_{}", KINDS[kind].name, variant + 1)
    }
}

fn phase_id(p: usize) -> String {
    format!("phase-{}", p + 1)
}

/// The later half of the phases is sustained (at least one when there are two or more).
fn sustained(p: usize, phases: usize) -> bool {
    phases > 1 && p >= phases / 2
}

struct Rng(SplitMix64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n.max(1)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.0.next_f64() < p
    }
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.0.next_f64()
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    fn weighted(&mut self, weights: &[u64]) -> usize {
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
fn round_to(x: f64, step: f64) -> f64 {
    ((x / step).round() * step).max(step)
}

/// The scenario's files, as (file name, bytes), `scenario.toml` first.
pub fn generate(spec: &GenerateSpec) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng(SplitMix64::new(spec.seed ^ 0x5eed_f07c_e6e0));
    let phases = spec.phases.max(1);
    let weights: Vec<u64> = KINDS.iter().map(|k| k.weight).collect();
    let total_offers = spec.members * spec.offers_per_member;
    let variants = total_offers
        .div_ceil(KINDS.len() * spec.offers_per_capability.max(1))
        .max(1);
    let width = spec.members.to_string().len().max(3);

    let mut members: Vec<Member> = (0..spec.members)
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
        .collect();

    let mut offers = Vec::with_capacity(total_offers);
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

    // Caps: a share of what the member offers in one phase, so that some bind.
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

    let mut requirements = draw_requirements(spec, &mut rng, &offers, phases, variants);
    set_targets(&mut requirements, &offers, phases);
    set_floors(&mut requirements, &offers, &members, phases, &mut rng);

    let substitutions = substitutions(&offers, &requirements, variants);
    // A small scenario may have no substitution that applies: then it has no such table
    // (the loader refuses a table without rows).
    let with_substitutions = substitutions.iter().filter(|&&b| b == b'\n').count() > 1;
    let mut files = vec![
        (
            "scenario.toml".to_string(),
            toml_text(spec, phases, with_substitutions),
        ),
        ("members.csv".to_string(), members_csv(&members)),
        ("offers.csv".to_string(), offers_csv(&offers)),
        (
            "requirements.csv".to_string(),
            requirements_csv(&requirements, &members),
        ),
    ];
    if with_substitutions {
        files.push(("substitutions.csv".to_string(), substitutions));
    }
    files
}

fn draw_requirements(
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

/// How much of `measure` one unit of `offer` gives toward `requirement` (the SPEC's
/// coefficient, restricted to what the generator produces), ignoring caveats and phases.
fn per_unit(offer: &Offer, requirement: &Requirement) -> f64 {
    let kind = &KINDS[offer.kind];
    let wanted = &KINDS[requirement.kind];
    let factor = if requirement.any {
        if kind.domain == wanted.domain {
            1.0
        } else {
            0.0
        }
    } else if offer.variant != requirement.variant {
        0.0
    } else if offer.kind == requirement.kind {
        1.0
    } else {
        SUBSTITUTIONS
            .iter()
            .find(|s| s.0 == wanted.name && s.1 == kind.name)
            .map_or(0.0, |s| s.2)
    };
    factor
        * match requirement.measure {
            Measure::Units => 1.0,
            Measure::Troops => offer.troops,
            Measure::Equipment(item) => offer
                .equipment
                .iter()
                .find(|e| e.0 == item)
                .map_or(0.0, |e| e.1),
        }
}

fn available(offer: &Offer, phase: usize) -> bool {
    offer.phases.is_empty() || offer.phases.contains(&phase)
}

/// Targets: a share of the supply of the capability in the phase, split among the
/// requirements that ask for it, so that some are short and some are covered.
fn set_targets(requirements: &mut [Requirement], offers: &[Offer], phases: usize) {
    // Offers by (kind's domain, variant) keep this linear in the size.
    let mut by_variant: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (o, offer) in offers.iter().enumerate() {
        by_variant.entry(offer.variant).or_default().push(o);
    }
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
            .filter(|o| available(o, r.phase))
            .map(|o| {
                let rotation = if rotation_applies { o.rotation } else { 1.0 };
                per_unit(o, r) * o.units / rotation
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
fn set_floors(
    requirements: &mut [Requirement],
    offers: &[Offer],
    members: &[Member],
    phases: usize,
    rng: &mut Rng,
) {
    let mut by_variant: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (o, offer) in offers.iter().enumerate() {
        by_variant.entry(offer.variant).or_default().push(o);
    }
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
            let a = per_unit(offer, r);
            if a <= 0.0
                || !available(offer, p)
                || r.max_readiness.is_some_and(|d| offer.readiness > d)
                || r.excluded.iter().any(|c| member.caveats.contains(c))
            {
                continue;
            }
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

/// The substitutions that apply: within one variant, `required` asked for by a
/// requirement and `substitute` offered by an offer (as the rules want).
fn substitutions(offers: &[Offer], requirements: &[Requirement], variants: usize) -> Vec<u8> {
    let offered: std::collections::BTreeSet<String> = offers
        .iter()
        .map(|o| capability(o.kind, o.variant))
        .collect();
    let asked: std::collections::BTreeSet<String> = requirements
        .iter()
        .filter(|r| !r.any)
        .map(|r| capability(r.kind, r.variant))
        .collect();
    let mut out = String::from("required,substitute,factor\n");
    for v in 0..variants {
        for &(required, substitute, factor) in SUBSTITUTIONS {
            let kind_of = |name: &str| KINDS.iter().position(|k| k.name == name);
            let (Some(rk), Some(sk)) = (kind_of(required), kind_of(substitute)) else {
                continue;
            };
            let (required, substitute) = (capability(rk, v), capability(sk, v));
            if asked.contains(&required) && offered.contains(&substitute) {
                let _ = writeln!(out, "{required},{substitute},{factor}");
            }
        }
    }
    out.into_bytes()
}

fn num(x: f64) -> String {
    // Whole numbers without a fraction; others with at most two decimals.
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').to_string()
    }
}

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

fn toml_text(spec: &GenerateSpec, phases: usize, with_substitutions: bool) -> Vec<u8> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Generated by `forcegen generate --members {} --offers-per-member {} --requirements {} \
         --phases {} --seed {} --offers-per-capability {}{}`.\n# Synthetic data for benchmarks: not a real coalition.\n",
        spec.members,
        spec.offers_per_member,
        spec.requirements,
        phases,
        spec.seed,
        spec.offers_per_capability,
        if spec.lp { " --lp" } else { "" }
    );
    let _ = writeln!(out, "[scenario]");
    let _ = writeln!(
        out,
        "name = \"Generated {}x{}x{} (seed {})\"",
        spec.members, spec.offers_per_member, spec.requirements, spec.seed
    );
    let _ = writeln!(
        out,
        "description = \"Synthetic scenario: {} members, {} offers each, {} requirements, {} phase(s).\"",
        spec.members, spec.offers_per_member, spec.requirements, phases
    );
    let _ = writeln!(out, "domains = [\"land\", \"sea\", \"air\"]\n");
    for p in 0..phases {
        let _ = writeln!(
            out,
            "[[phase]]\nid = \"{}\"\nsustained = {}\n",
            phase_id(p),
            sustained(p, phases)
        );
    }
    out.push_str(
        "[tables]\nmembers = \"members.csv\"\noffers = \"offers.csv\"\n\
         requirements = \"requirements.csv\"\n",
    );
    if with_substitutions {
        out.push_str("substitutions = \"substitutions.csv\"\n");
    }
    out.push_str("\n[objective]\nfairness = \"troops\"\n\n");
    // Whole units, as every scenario by default; `--lp` makes a pure LP: no binaries, and
    // fractions of units allowed.
    let _ = writeln!(
        out,
        "[solver]\ninteger = {}\ntime_limit_s = 600\nmip_gap = 0.0001",
        !spec.lp
    );
    out.into_bytes()
}

fn members_csv(members: &[Member]) -> Vec<u8> {
    let mut out = String::from("id,name,burden_key,max_troops,max_cost,caveats,reliability\n");
    for m in members {
        let _ = writeln!(
            out,
            "{},Member {},{},{},{},{},{}",
            m.id,
            &m.id[1..],
            num(m.burden_key),
            opt(m.max_troops),
            opt(m.max_cost),
            m.caveats.join(";"),
            num(m.reliability)
        );
    }
    out.into_bytes()
}

fn offers_csv(offers: &[Offer]) -> Vec<u8> {
    let mut out = String::from(
        "id,member,capability,domain,units,troops_per_unit,cost_per_unit,readiness_days,rotation,phases,equipment\n",
    );
    let member_of = |id: &str| id.split('/').next().unwrap_or_default().to_string();
    for o in offers {
        let phases_of: Vec<String> = o.phases.iter().map(|&p| phase_id(p)).collect();
        let equipment: Vec<String> = o
            .equipment
            .iter()
            .map(|(item, count)| format!("{item}:{}", num(*count)))
            .collect();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            o.id,
            member_of(&o.id),
            capability(o.kind, o.variant),
            KINDS[o.kind].domain,
            num(o.units),
            num(o.troops),
            num(o.cost),
            num(o.readiness),
            if o.rotation == 1.0 {
                String::new()
            } else {
                num(o.rotation)
            },
            phases_of.join(";"),
            equipment.join(";")
        );
    }
    out.into_bytes()
}

fn requirements_csv(requirements: &[Requirement], members: &[Member]) -> Vec<u8> {
    let mut out = String::from(
        "id,domain,capability,phase,measure,target,minimum,priority,max_readiness_days,max_share,min_members,excluded_caveats,lead,lead_share,region,description\n",
    );
    for r in requirements {
        let kind = &KINDS[r.kind];
        let measure = match r.measure {
            Measure::Units => "units".to_string(),
            Measure::Troops => "troops".to_string(),
            Measure::Equipment(item) => format!("equipment:{item}"),
        };
        let (lead, lead_share) = match r.lead {
            Some((m, share)) => (members[m].id.clone(), num(share)),
            None => (String::new(), String::new()),
        };
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},Sector {},",
            r.id,
            kind.domain,
            if r.any {
                "*".to_string()
            } else {
                capability(r.kind, r.variant)
            },
            phase_id(r.phase),
            measure,
            num(r.target),
            if r.minimum > 0.0 {
                num(r.minimum)
            } else {
                String::new()
            },
            r.priority,
            opt(r.max_readiness),
            opt(r.max_share),
            r.min_members.map(|n| n.to_string()).unwrap_or_default(),
            r.excluded.join(";"),
            lead,
            lead_share,
            r.region
        );
    }
    out.into_bytes()
}
