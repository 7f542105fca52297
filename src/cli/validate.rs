//! `forcegen validate`: load, check, and summarise.

use super::ValidateArgs;
use super::common::{CliError, ExitCode, Ui, load_scenario, print};

pub fn run(ui: &Ui, args: &ValidateArgs) -> Result<ExitCode, CliError> {
    let scenario = load_scenario(ui, &args.scenario)?;
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
