//! The generator's catalogue: the kinds of unit it offers (with their domain, troops, cost,
//! rotation and equipment), the caveats that matter in each domain, the readiness times
//! offers are drawn from, and the substitutions of the flagship. Also how capabilities and
//! phases are named, and which substitutions a generated scenario lists.

use std::collections::BTreeSet;

use super::draw::{Offer, Requirement};

/// One kind of unit in the catalogue.
pub(super) struct Kind {
    pub name: &'static str,
    pub domain: &'static str,
    pub troops: f64,
    pub cost: f64,
    /// Typical units in one offer (drawn from 1 to this).
    pub units: u64,
    pub rotation: f64,
    pub equipment: &'static [(&'static str, f64)],
    /// Relative frequency among offers.
    pub weight: u64,
}

pub(super) const KINDS: &[Kind] = &[
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

/// (required, substitute, factor), as in the flagship. Each pair is of one domain.
pub(super) const SUBSTITUTIONS: &[(&str, &str, f64)] = &[
    ("mech_inf_bn", "armoured_bn", 1.0),
    ("mech_inf_bn", "light_inf_bn", 0.5),
    ("patrol_vessel", "frigate", 1.0),
    ("mcm_vessel", "mcm_drone_team", 0.5),
    ("isr_drone_flight", "isr_aircraft", 1.0),
    ("monitoring_team", "liaison_team", 0.5),
    ("demining_team", "engineer_coy", 2.0),
];

pub(super) const READINESS: &[f64] = &[5., 10., 20., 30., 45., 60., 90., 120.];

/// The caveats that matter in a domain.
pub(super) fn caveats_of(domain: &str) -> &'static [&'static str] {
    match domain {
        "land" => &["no_combat", "no_deploy_east"],
        "sea" => &["no_maritime_combat", "no_deploy_east"],
        _ => &["no_combat"],
    }
}

/// The name of a capability: the kind's name for variant 0, `name_{v+1}` for variant v.
pub(super) fn capability(kind: usize, variant: usize) -> String {
    if variant == 0 {
        KINDS[kind].name.to_string()
    } else {
        format!("{}_{}", KINDS[kind].name, variant + 1)
    }
}

pub(super) fn phase_id(p: usize) -> String {
    format!("phase-{}", p + 1)
}

/// The later half of the phases is sustained (at least one when there are two or more).
pub(super) fn sustained(p: usize, phases: usize) -> bool {
    phases > 1 && p >= phases / 2
}

/// The substitutions that apply, as (required, substitute, factor): within one variant,
/// `required` asked for by a requirement and `substitute` offered by an offer (as the rules
/// want), in the order of the variants and then of [`SUBSTITUTIONS`].
pub(super) fn applicable_substitutions(
    offers: &[Offer],
    requirements: &[Requirement],
    variants: usize,
) -> Vec<(String, String, f64)> {
    let offered: BTreeSet<String> = offers
        .iter()
        .map(|o| capability(o.kind, o.variant))
        .collect();
    let asked: BTreeSet<String> = requirements
        .iter()
        .filter(|r| !r.any)
        .map(|r| capability(r.kind, r.variant))
        .collect();
    let mut out = Vec::new();
    for v in 0..variants {
        for &(required, substitute, factor) in SUBSTITUTIONS {
            let kind_of = |name: &str| KINDS.iter().position(|k| k.name == name);
            let (Some(rk), Some(sk)) = (kind_of(required), kind_of(substitute)) else {
                continue;
            };
            let (required, substitute) = (capability(rk, v), capability(sk, v));
            if asked.contains(&required) && offered.contains(&substitute) {
                out.push((required, substitute, factor));
            }
        }
    }
    out
}
