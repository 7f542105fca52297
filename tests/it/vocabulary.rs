//! The vocabulary checks, as a property: in a random scenario, one character of a caveat or
//! capability tag that both sides use (members and `excluded_caveats`, offers and
//! requirements), changed into a tag no row uses, always gives a warning naming the new
//! tag. Scenarios go through the real loader (`load_str`) as TOML with inline tables.

use std::fmt::Write as _;
use std::path::Path;

use forcegen::scenario::{Severity, load_str};
use proptest::prelude::*;

const CAVEATS: [&str; 4] = ["no_combat", "no_night_ops", "no_deploy_east", "air_only"];
/// (capability, domain); the names are far apart, as real ones are.
const CAPABILITIES: [(&str, &str); 4] = [
    ("mech_inf_bn", "land"),
    ("armoured_bn", "land"),
    ("frigate", "sea"),
    ("fighter_sqn", "air"),
];

#[derive(Clone, Debug)]
struct Spec {
    /// Each member's caveats, as indices into [`CAVEATS`].
    members: Vec<Vec<usize>>,
    /// (member, capability)
    offers: Vec<(usize, usize)>,
    /// (capability, excluded caveats)
    requirements: Vec<(usize, Vec<usize>)>,
}

/// Which tag to change: a side, an occurrence on it and a character.
#[derive(Clone, Debug)]
struct Slip {
    caveat: bool,
    /// Change it on the members' (offers') side rather than the requirements'.
    declaring_side: bool,
    pick: usize,
    position: usize,
    letter: char,
}

fn spec() -> impl Strategy<Value = Spec> {
    (2usize..5)
        .prop_flat_map(|n| {
            (
                prop::collection::vec(prop::collection::vec(0..CAVEATS.len(), 0..3), n),
                prop::collection::vec((0..n, 0..CAPABILITIES.len()), 1..8),
                prop::collection::vec(
                    (
                        0..CAPABILITIES.len(),
                        prop::collection::vec(0..CAVEATS.len(), 0..2),
                    ),
                    1..6,
                ),
            )
        })
        .prop_map(|(mut members, offers, mut requirements)| {
            for caveats in members
                .iter_mut()
                .chain(requirements.iter_mut().map(|r| &mut r.1))
            {
                caveats.sort_unstable();
                caveats.dedup();
            }
            Spec {
                members,
                offers,
                requirements,
            }
        })
}

fn slip() -> impl Strategy<Value = Slip> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<usize>(),
        any::<usize>(),
        prop::sample::select(
            "abcdefghijklmnopqrstuvwxyz_0123456789"
                .chars()
                .collect::<Vec<_>>(),
        ),
    )
        .prop_map(|(caveat, declaring_side, pick, position, letter)| Slip {
            caveat,
            declaring_side,
            pick,
            position,
            letter,
        })
}

/// The scenario's tags as written, row by row: members' caveats, offers' capabilities,
/// requirements' capabilities and excluded caveats.
#[derive(Clone, Debug)]
struct Written {
    member_caveats: Vec<Vec<String>>,
    offer_capabilities: Vec<String>,
    requirement_capabilities: Vec<String>,
    excluded: Vec<Vec<String>>,
}

fn written(spec: &Spec) -> Written {
    let names = |list: &[usize]| list.iter().map(|&c| CAVEATS[c].to_string()).collect();
    Written {
        member_caveats: spec.members.iter().map(|c| names(c)).collect(),
        offer_capabilities: spec
            .offers
            .iter()
            .map(|&(_, c)| CAPABILITIES[c].0.to_string())
            .collect(),
        requirement_capabilities: spec
            .requirements
            .iter()
            .map(|(c, _)| CAPABILITIES[*c].0.to_string())
            .collect(),
        excluded: spec.requirements.iter().map(|(_, x)| names(x)).collect(),
    }
}

fn render(spec: &Spec, w: &Written) -> String {
    let mut t = String::from(
        "[scenario]\nname = \"vocabulary\"\n\n[[phase]]\nid = \"deployment\"\nsustained = false\n\n",
    );
    let list = |tags: &[String]| {
        let quoted: Vec<String> = tags.iter().map(|c| format!("\"{c}\"")).collect();
        format!("[{}]", quoted.join(", "))
    };
    for (m, caveats) in w.member_caveats.iter().enumerate() {
        writeln!(
            t,
            "[[members]]\nid = \"M{m}\"\ncaveats = {}\n",
            list(caveats)
        )
        .unwrap();
    }
    for (o, &(member, c)) in spec.offers.iter().enumerate() {
        writeln!(
            t,
            "[[offers]]\nid = \"o{o}\"\nmember = \"M{member}\"\ncapability = \"{}\"\ndomain = \"{}\"\nunits = 2\n",
            w.offer_capabilities[o], CAPABILITIES[c].1
        )
        .unwrap();
    }
    for (q, (c, _)) in spec.requirements.iter().enumerate() {
        writeln!(
            t,
            "[[requirements]]\nid = \"r{q}\"\ndomain = \"{}\"\ncapability = \"{}\"\ntarget = 1\nexcluded_caveats = {}\n",
            CAPABILITIES[*c].1,
            w.requirement_capabilities[q],
            list(&w.excluded[q])
        )
        .unwrap();
    }
    t
}

/// Every tag the scenario writes anywhere.
fn all_tags(w: &Written) -> Vec<String> {
    let mut tags: Vec<String> = w.member_caveats.iter().flatten().cloned().collect();
    tags.extend(w.excluded.iter().flatten().cloned());
    tags.extend(w.offer_capabilities.iter().cloned());
    tags.extend(w.requirement_capabilities.iter().cloned());
    tags
}

/// Applies `slip` to a tag used on both sides; returns the changed tags and the new tag,
/// or `None` when no tag is used on both sides or the change gives a tag already in use.
fn apply(w: &Written, slip: &Slip) -> Option<(Written, String)> {
    let mut out = w.clone();
    // The occurrences (row, item) on the chosen side of tags the other side uses.
    let (side, other): (Vec<Vec<String>>, Vec<String>) = match (slip.caveat, slip.declaring_side) {
        (true, true) => (w.member_caveats.clone(), w.excluded.concat()),
        (true, false) => (w.excluded.clone(), w.member_caveats.concat()),
        (false, true) => (
            w.offer_capabilities
                .iter()
                .map(|c| vec![c.clone()])
                .collect(),
            w.requirement_capabilities.clone(),
        ),
        (false, false) => (
            w.requirement_capabilities
                .iter()
                .map(|c| vec![c.clone()])
                .collect(),
            w.offer_capabilities.clone(),
        ),
    };
    let occurrences: Vec<(usize, usize)> = side
        .iter()
        .enumerate()
        .flat_map(|(row, tags)| {
            tags.iter()
                .enumerate()
                .filter(|(_, t)| other.contains(t))
                .map(move |(i, _)| (row, i))
        })
        .collect();
    if occurrences.is_empty() {
        return None;
    }
    let (row, item) = occurrences[slip.pick % occurrences.len()];
    let tag = &side[row][item];
    let mut chars: Vec<char> = tag.chars().collect();
    let position = slip.position % chars.len();
    chars[position] = slip.letter;
    let new: String = chars.into_iter().collect();
    if all_tags(w).iter().any(|t| t.eq_ignore_ascii_case(&new)) {
        return None;
    }
    match (slip.caveat, slip.declaring_side) {
        (true, true) => out.member_caveats[row][item] = new.clone(),
        (true, false) => out.excluded[row][item] = new.clone(),
        (false, true) => out.offer_capabilities[row] = new.clone(),
        (false, false) => out.requirement_capabilities[row] = new.clone(),
    }
    Some((out, new))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_one_character_slip_in_a_shared_tag_is_always_a_warning_naming_it(
        spec in spec(),
        slip in slip(),
    ) {
        let clean = written(&spec);
        let Some((slipped, new)) = apply(&clean, &slip) else {
            return Ok(());
        };
        let text = render(&spec, &slipped);
        let loaded = load_str(&text, Path::new("vocabulary.toml"), Path::new("."))
            .unwrap_or_else(|e| panic!("the slipped scenario does not load:\n{e}\n\n{text}"));
        let named = loaded
            .warnings
            .iter()
            .filter(|w| w.severity == Severity::Warning)
            .any(|w| w.to_string().contains(&format!("`{new}`")));
        prop_assert!(
            named,
            "no warning names `{}`; warnings: {:#?}\n\n{}",
            new,
            loaded.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
            text
        );
    }
}

/// The scenario without the slip gives no warning about these tags, so that the property
/// above is about the slip (a tag both sides use is never reported).
#[test]
fn shared_tags_alone_give_no_vocabulary_warning() {
    let spec = Spec {
        members: vec![vec![0], vec![1]],
        offers: vec![(0, 0), (1, 2), (1, 3)],
        requirements: vec![(0, vec![1]), (2, vec![]), (3, vec![0])],
    };
    let text = render(&spec, &written(&spec));
    let loaded = load_str(&text, Path::new("vocabulary.toml"), Path::new(".")).unwrap();
    assert!(
        loaded.warnings.is_empty(),
        "{:#?}",
        loaded
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    );
}
