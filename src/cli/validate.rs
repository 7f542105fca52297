//! `forcegen validate`: load, check, and summarise.

use super::ValidateArgs;
use super::common::{CliError, ExitCode, Ui, load_checked, print};

pub fn run(ui: &Ui, args: &ValidateArgs) -> Result<ExitCode, CliError> {
    let loaded = load_checked(ui, &args.scenario, args.strict)?;
    // Notes are planning facts (a caveat no requirement excludes, an offer nothing can
    // use): `validate` is where a planner reads them; the other commands stay quiet.
    for note in &loaded.notes {
        ui.note(&note.to_string());
    }
    let scenario = loaded.scenario;
    let index = crate::scenario::OfferIndex::new(&scenario);
    let pairs: usize = scenario
        .requirements
        .iter()
        .map(|r| index.eligible(&scenario, r).len())
        .sum();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let summary = format!(
        "ok: {}: {}, {}, {}, {}, {}; {}\n",
        args.scenario.display(),
        count(scenario.members.len(), "member", "members"),
        count(scenario.offers.len(), "offer", "offers"),
        count(scenario.requirements.len(), "requirement", "requirements"),
        count(scenario.phases.len(), "phase", "phases"),
        count(
            scenario.substitutions.len(),
            "substitution",
            "substitutions"
        ),
        count(
            pairs,
            "eligible offer-requirement pair",
            "eligible offer-requirement pairs"
        ),
    );
    print(summary.as_bytes())?;
    Ok(ExitCode::Success)
}
