//! `forcegen init`: a small, commented starter scenario that validates and solves.

use std::path::Path;

use crate::output::write_all;
use crate::scenario::schema::scenario_schema;

use super::InitArgs;
use super::common::{CliError, ExitCode, Ui};

/// The starter's files (the schema is generated, so that the `#:schema` line works).
const FILES: [(&str, &str); 5] = [
    ("scenario.toml", include_str!("init/scenario.toml")),
    ("members.csv", include_str!("init/members.csv")),
    ("offers.csv", include_str!("init/offers.csv")),
    ("requirements.csv", include_str!("init/requirements.csv")),
    ("substitutions.csv", include_str!("init/substitutions.csv")),
];

pub fn run(ui: &Ui, args: &InitArgs) -> Result<ExitCode, CliError> {
    let mut files: Vec<(String, Vec<u8>)> = FILES
        .iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
        .collect();
    let mut schema = serde_json::to_vec_pretty(&scenario_schema()).expect("JSON serialises");
    schema.push(b'\n');
    files.push(("scenario.schema.json".into(), schema));
    if !args.force {
        let existing: Vec<String> = files
            .iter()
            .map(|(name, _)| args.dir.join(name))
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(CliError::CannotWrite(format!(
                "refusing to overwrite {}; nothing was written (choose another directory, or --force)",
                existing.join(", ")
            )));
        }
    }
    write_all(&args.dir, &files)?;
    let toml = args.dir.join("scenario.toml");
    ui.note(&format!(
        "wrote a starter scenario to {}\nnext: forcegen validate {}  then  forcegen solve {}",
        display(&args.dir),
        toml.display(),
        toml.display()
    ));
    Ok(ExitCode::Success)
}

fn display(dir: &Path) -> String {
    let shown = dir.display().to_string();
    if shown.is_empty() { ".".into() } else { shown }
}
