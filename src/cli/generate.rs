//! `forcegen generate`: write a synthetic scenario of a given size and seed.

use crate::generate::{GenerateSpec, generate};
use crate::output::write_all;
use crate::scenario::limits::MAX_ROWS;

use super::GenerateArgs;
use super::common::{CliError, ExitCode, Ui};

pub fn run(ui: &Ui, args: &GenerateArgs) -> Result<ExitCode, CliError> {
    refuse_what_the_loader_would(args)?;
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

/// A scenario has to be one `forcegen` loads: sizes past the loader's row limit are refused
/// before anything is generated or written.
fn refuse_what_the_loader_would(args: &GenerateArgs) -> Result<(), CliError> {
    let limit = MAX_ROWS as u64;
    let offers = u64::from(args.members) * u64::from(args.offers_per_member);
    let tables = [
        ("members", "--members", u64::from(args.members)),
        ("offers", "--members x --offers-per-member", offers),
        (
            "requirements",
            "--requirements",
            u64::from(args.requirements),
        ),
    ];
    for (table, flags, rows) in tables {
        if rows > limit {
            return Err(CliError::Usage(format!(
                "{flags} would give {rows} {table}, past the loader's limit of \
                     {limit} rows a table; nothing was written"
            )));
        }
    }
    Ok(())
}
