//! `forcegen schema`: the JSON Schema of the scenario (or sweep) TOML, for editors.

use crate::analysis::sweep_schema::sweep_schema;
use crate::output::write_file;
use crate::scenario::schema::scenario_schema;

use super::SchemaArgs;
use super::common::{CliError, ExitCode, Ui, print};

pub fn run(ui: &Ui, args: &SchemaArgs) -> Result<ExitCode, CliError> {
    let schema = if args.sweep {
        sweep_schema()
    } else {
        scenario_schema()
    };
    let mut bytes = serde_json::to_vec_pretty(&schema).expect("a JSON value serialises");
    bytes.push(b'\n');
    match &args.out {
        Some(path) => {
            write_file(path, &bytes)?;
            ui.note(&format!("wrote {}", path.display()));
        }
        None => {
            print(&bytes)?;
        }
    }
    Ok(ExitCode::Success)
}
