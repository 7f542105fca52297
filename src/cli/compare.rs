//! `forcegen compare`.

use super::CompareArgs;
use super::common::{CliError, ExitCode, Ui};

pub fn run(_ui: &Ui, _args: &CompareArgs) -> Result<ExitCode, CliError> {
    Err(CliError::new(
        ExitCode::Usage,
        "error: `compare` is being built",
    ))
}
