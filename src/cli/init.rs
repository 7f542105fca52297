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
    if args.xlsx {
        files = as_workbook(files)?;
    }
    let mut schema = serde_json::to_vec_pretty(&scenario_schema()).expect("JSON serialises");
    schema.push(b'\n');
    files.push(("scenario.schema.json".into(), schema));
    super::convert::refuse_overwrite(&args.dir, &files, args.force)?;
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

/// The starter with its tables as one workbook: the sheets converted from the CSV files
/// (through a temporary copy), the TOML's comments kept and its `[tables]` naming the
/// workbook.
fn as_workbook(files: Vec<(String, Vec<u8>)>) -> Result<Vec<(String, Vec<u8>)>, CliError> {
    let scratch = tempfile::tempdir()
        .map_err(|e| CliError::CannotWrite(format!("cannot make a temporary directory: {e}")))?;
    write_all(scratch.path(), &files)?;
    let converted = crate::convert::convert(
        &scratch.path().join("scenario.toml"),
        crate::convert::Form::Xlsx,
    )?;
    let (_, workbook) = converted
        .into_iter()
        .find(|(name, _)| name == crate::convert::WORKBOOK)
        .expect("a conversion to xlsx writes the workbook");
    let toml = String::from_utf8(files[0].1.clone()).expect("the starter is UTF-8");
    let toml = toml
        .replace(CSV_COMMENT, WORKBOOK_COMMENT)
        .replace("(members.csv)", "(the members sheet)")
        .replace(
        TABLES_CSV,
        "workbook = \"scenario.xlsx\"             # sheets members, offers, requirements, substitutions (optional)\n",
    );
    Ok(vec![
        ("scenario.toml".into(), toml.into_bytes()),
        (crate::convert::WORKBOOK.into(), workbook),
    ])
}

/// The starter's comment on its CSV tables, and the one of the workbook starter.
const CSV_COMMENT: &str = "# The CSV tables, relative to this file. Each CSV explains its columns in its header\n# comments. A table may instead be written inline here as [[members]], [[offers]], ...\n";
const WORKBOOK_COMMENT: &str = "# The tables, as the sheets of one workbook beside this file (the column names in each\n# sheet's first row; `forcegen init` without --xlsx writes them as CSV files whose\n# comments explain every column). A table may instead be a CSV file or inline rows.\n";

/// The starter's `[tables]` entries for its CSV files.
const TABLES_CSV: &str = "members = \"members.csv\"\noffers = \"offers.csv\"\nrequirements = \"requirements.csv\"\nsubstitutions = \"substitutions.csv\"             # optional\n";

fn display(dir: &Path) -> String {
    let shown = dir.display().to_string();
    if shown.is_empty() { ".".into() } else { shown }
}
