//! `forcegen generate`: write a synthetic scenario of a given size and seed.

use crate::generate::{GenerateSpec, generate};
use crate::output::write_all;

use super::GenerateArgs;
use super::common::{CliError, ExitCode, Ui};

pub fn run(ui: &Ui, args: &GenerateArgs) -> Result<ExitCode, CliError> {
    let spec = GenerateSpec {
        members: args.members as usize,
        offers_per_member: args.offers_per_member as usize,
        requirements: args.requirements as usize,
        phases: args.phases as usize,
        seed: args.seed,
        offers_per_capability: args.offers_per_capability as usize,
        lp: args.lp,
    };
    let files = generate(&spec);
    write_all(&args.out, &files)?;
    ui.note(&format!(
        "wrote {}: {} members, {} offers, {} requirements, {} phase(s)",
        args.out.join("scenario.toml").display(),
        spec.members,
        spec.members * spec.offers_per_member,
        spec.requirements,
        spec.phases
    ));
    Ok(ExitCode::Success)
}
