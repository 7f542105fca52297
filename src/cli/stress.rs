//! `forcegen stress`.

use super::StressArgs;
use super::common::{CliError, ExitCode, Ui};

pub fn run(_ui: &Ui, _args: &StressArgs) -> Result<ExitCode, CliError> {
    Err(CliError::new(
        ExitCode::Usage,
        "error: `stress` is being built",
    ))
}
