//! `forcegen sweep`.

use super::SweepArgs;
use super::common::{CliError, ExitCode, Ui};

pub fn run(_ui: &Ui, _args: &SweepArgs) -> Result<ExitCode, CliError> {
    Err(CliError::new(
        ExitCode::Usage,
        "error: `sweep` is being built",
    ))
}
