//! `forcegen convert`: a scenario's tables as CSV files or as one workbook, beside a
//! scenario TOML that names them.

use crate::convert::{ConvertError, Form, convert};
use crate::output::write_all;

use super::common::{CliError, ExitCode, Ui};
use super::{ConvertArgs, ConvertForm};

impl From<ConvertError> for CliError {
    fn from(err: ConvertError) -> Self {
        match err {
            ConvertError::Load(load) => CliError::Load(load),
            ConvertError::Write(message) => CliError::CannotWrite(message),
        }
    }
}

/// Refuses, unless `force`, to overwrite any of `files` in `dir`.
pub fn refuse_overwrite(
    dir: &std::path::Path,
    files: &[(String, Vec<u8>)],
    force: bool,
) -> Result<(), CliError> {
    if force {
        return Ok(());
    }
    let existing: Vec<String> = files
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if existing.is_empty() {
        Ok(())
    } else {
        Err(CliError::CannotWrite(format!(
            "refusing to overwrite {}; nothing was written (choose another directory, or --force)",
            existing.join(", ")
        )))
    }
}

pub fn run(ui: &Ui, args: &ConvertArgs) -> Result<ExitCode, CliError> {
    let form = match args.to {
        ConvertForm::Xlsx => Form::Xlsx,
        ConvertForm::Csv => Form::Csv,
    };
    // Its warnings, as every command that loads a scenario prints them (and refuses it
    // under `[checks] strict = true`).
    super::common::load_checked(ui, &args.scenario, false)?;
    let files = convert(&args.scenario, form)?;
    refuse_overwrite(&args.out, &files, args.force)?;
    write_all(&args.out, &files)?;
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    ui.note(&format!(
        "wrote {} into {}",
        names.join(", "),
        args.out.display()
    ));
    Ok(ExitCode::Success)
}
