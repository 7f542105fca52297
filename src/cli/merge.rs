//! `forcegen merge`.

use super::MergeArgs;
use super::common::{CliError, ExitCode, Ui};

pub fn run(_ui: &Ui, _args: &MergeArgs) -> Result<ExitCode, CliError> {
    Err(CliError::new(
        ExitCode::Usage,
        "error: `merge` is being built",
    ))
}
