//! `forcegen merge`: joins sweep shard outputs into one file in variant order, refusing
//! missing or doubled variants and shards of different sweeps.

use std::collections::BTreeMap;

use crate::analysis::rows::{self, Format};

use super::MergeArgs;
use super::common::{CliError, ExitCode, Printed, Ui, print};

fn bad(message: String) -> CliError {
    CliError::Data(message)
}

pub fn run(ui: &Ui, args: &MergeArgs) -> Result<ExitCode, CliError> {
    let format = Format::of_path(&args.files[0]);
    let mut header: Option<Vec<String>> = None;
    let mut fingerprint: Option<(String, String)> = None;
    let mut merged: BTreeMap<String, (rows::Record, String)> = BTreeMap::new();
    for path in &args.files {
        if !path.exists() {
            return Err(CliError::NoInput(format!(
                "{}: file not found",
                path.display()
            )));
        }
        if Format::of_path(path) != format {
            return Err(bad(format!(
                "{}: all files must be CSV or all JSON lines",
                path.display()
            )));
        }
        let file = rows::read(path, format).map_err(bad)?;
        match &header {
            None => header = Some(file.header.clone()),
            Some(h) if *h != file.header && !file.records.is_empty() => {
                return Err(bad(format!(
                    "{}: its columns differ from {}'s: shards of different sweeps",
                    path.display(),
                    args.files[0].display()
                )));
            }
            Some(_) => {}
        }
        let (Some(sweep), Some(total), Some(variant)) = (
            file.column("sweep"),
            file.column("variants"),
            file.column("variant"),
        ) else {
            if file.records.is_empty() {
                continue;
            }
            return Err(bad(format!(
                "{}: not a forcegen sweep output",
                path.display()
            )));
        };
        for record in file.records {
            let this = (record[sweep].clone(), record[total].clone());
            match &fingerprint {
                None => fingerprint = Some(this),
                Some(first) if *first != this => {
                    return Err(bad(format!(
                        "{}: variant {} is from sweep {} but earlier rows are from sweep {}: shards of different sweeps",
                        path.display(),
                        record[variant],
                        this.0,
                        first.0
                    )));
                }
                Some(_) => {}
            }
            let id = record[variant].clone();
            if let Some((_, first)) = merged.get(&id) {
                return Err(bad(format!(
                    "variant {id} is in both {first} and {}",
                    path.display()
                )));
            }
            merged.insert(id, (record, path.display().to_string()));
        }
    }
    let header = header.unwrap_or_default();
    if let Some((sweep, total)) = &fingerprint {
        // JSON lines write the count as a JSON number (`12.0`), CSV as `12`.
        let expected = total
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .map_or(0, |x| x as usize);
        if merged.len() != expected {
            return Err(bad(format!(
                "sweep {sweep} has {expected} variants but the files hold {}: {} missing",
                merged.len(),
                expected.saturating_sub(merged.len())
            )));
        }
    }
    let mut out = rows::header_line(format, &header);
    for (record, _) in merged.values() {
        out.extend(rows::line(format, &header, record));
    }
    match &args.out {
        Some(path) => crate::output::write_file(path, &out)?,
        None => {
            if print(&out)? == Printed::ReaderGone {
                return Ok(ExitCode::Success);
            }
        }
    }
    ui.note(&format!(
        "merged {} variants from {} files",
        merged.len(),
        args.files.len()
    ));
    Ok(ExitCode::Success)
}
