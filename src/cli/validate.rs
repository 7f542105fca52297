//! `forcegen validate`: load, check, and summarise.

use super::ValidateArgs;
use super::common::{CliError, ExitCode, Ui, load_scenario, print};

pub fn run(ui: &Ui, args: &ValidateArgs) -> Result<ExitCode, CliError> {
    let scenario = load_scenario(ui, &args.scenario)?;
    let pairs: usize = scenario
        .requirements
        .iter()
        .map(|r| {
            scenario
                .offers
                .iter()
                .filter(|o| scenario.coefficient(o, r).is_some())
                .count()
        })
        .sum();
    let summary = format!(
        "ok: {}: {} members, {} offers, {} requirements, {} phases, {} substitutions; {} eligible offer-requirement pairs\n",
        args.scenario.display(),
        scenario.members.len(),
        scenario.offers.len(),
        scenario.requirements.len(),
        scenario.phases.len(),
        scenario.substitutions.len(),
        pairs
    );
    print(summary.as_bytes())?;
    Ok(ExitCode::Success)
}
