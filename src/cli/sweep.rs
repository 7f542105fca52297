//! `forcegen sweep`: many variants of a scenario in parallel, one row each, in variant
//! order, written as rows complete; a summary at the end.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use crate::analysis::rows::{self, Format, Record, RowFile};
use crate::analysis::sweep::{self as engine, RunOptions, Sweep};
use crate::report::sweep::summarize;

use super::common::{CliError, ExitCode, Ui, settings, strict_gate, worker_pool};
use super::interrupt::Interrupt;
use super::{RowFormat, SweepArgs};

fn load(path: &Path) -> Result<Sweep, CliError> {
    Ok(Sweep::load(path)?)
}

/// Where rows go: a file (appended to, flushed per row) or stdout.
enum Sink {
    File(std::fs::File),
    Stdout,
    Nowhere,
    /// Stdout, whose reader went away before the header.
    Closed,
}

fn write_error(path: Option<&Path>, e: std::io::Error) -> CliError {
    let what = path.map_or("stdout".to_string(), |p| p.display().to_string());
    CliError::CannotWrite(format!("cannot write {what}: {e}"))
}

/// Opens `--out`, reading back what a `--resume` keeps: the variants already done.
fn open_out(
    args: &SweepArgs,
    sweep: &Sweep,
    header: &[String],
    format: Format,
) -> Result<(Sink, Option<RowFile>), CliError> {
    let Some(path) = args.out.as_ref().filter(|p| !is_xlsx(p)) else {
        // Markdown prints the summary only; a workbook is written whole at the end.
        if args.format == Some(RowFormat::Markdown) || args.out.is_some() {
            return Ok((Sink::Nowhere, None));
        }
        let mut out = std::io::stdout().lock();
        return match out.write_all(&rows::header_line(format, header)) {
            // A reader that went away (`| head`) wants nothing more.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok((Sink::Closed, None)),
            Err(e) => Err(write_error(None, e)),
            Ok(()) => Ok((Sink::Stdout, None)),
        };
    };
    let existing = if args.resume && path.exists() {
        let file = rows::read(path, format).map_err(CliError::Data)?;
        if !file.records.is_empty() || format == Format::Csv {
            if file.header != header {
                return Err(CliError::Data(format!(
                    "{}: its columns are not this sweep's; cannot resume into it",
                    path.display()
                )));
            }
            let column = file.column("sweep").unwrap_or(0);
            if let Some(other) = file.records.iter().find(|r| r[column] != sweep.fingerprint) {
                return Err(CliError::Data(format!(
                    "{}: holds rows of another sweep (fingerprint {}, this one {}); cannot resume into it",
                    path.display(),
                    other[column],
                    sweep.fingerprint
                )));
            }
        }
        Some(file)
    } else {
        None
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(existing.is_none())
        .open(path)
        .map_err(|e| write_error(Some(path), e))?;
    match &existing {
        // Drop a line cut short by an interruption, then append.
        Some(kept) => {
            file.set_len(kept.complete_len)
                .map_err(|e| write_error(Some(path), e))?;
            if kept.complete_len == 0 {
                rows::append(&mut file, &rows::header_line(format, header))
                    .map_err(|e| write_error(Some(path), e))?;
            }
        }
        None => rows::append(&mut file, &rows::header_line(format, header))
            .map_err(|e| write_error(Some(path), e))?,
    }
    use std::io::Seek;
    file.seek(std::io::SeekFrom::End(0))
        .map_err(|e| write_error(Some(path), e))?;
    Ok((Sink::File(file), existing))
}

/// Whether `path` asks for a workbook (`--out FILE.xlsx`).
fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// The rows as a workbook: one sheet of rows (numbers as numeric cells) and one of the
/// summary's lines.
fn rows_workbook(
    header: &[String],
    records: &[Record],
    summary: &str,
) -> Result<Vec<u8>, CliError> {
    use crate::report::xlsx::{Sheet, SheetCell, workbook};
    let cell = |text: &String| match text.parse::<f64>() {
        _ if text.is_empty() => SheetCell::Empty,
        Ok(x) if x.is_finite() => SheetCell::Number(x),
        _ => SheetCell::Text(text.clone()),
    };
    let sheets = [
        Sheet {
            name: "rows".into(),
            headers: header.to_vec(),
            rows: records
                .iter()
                .map(|r| r.iter().map(cell).collect())
                .collect(),
        },
        Sheet {
            name: "summary".into(),
            headers: vec!["summary".into()],
            rows: summary
                .lines()
                .map(|l| vec![SheetCell::Text(l.to_string())])
                .collect(),
        },
    ];
    workbook(&sheets).map_err(CliError::Internal)
}

pub fn run(ui: &Ui, args: &SweepArgs) -> Result<ExitCode, CliError> {
    let xlsx = args.out.as_deref().is_some_and(is_xlsx);
    if xlsx && (args.resume || matches!(args.format, Some(RowFormat::Csv | RowFormat::Jsonl))) {
        return Err(CliError::Usage(
            "an .xlsx --out is written whole once the sweep ends: it takes neither --resume nor --format csv/jsonl (use a .csv or .jsonl --out for those)".into(),
        ));
    }
    let sweep = load(&args.sweep)?;
    strict_gate(
        ui,
        &sweep.base_warnings,
        args.strict || sweep.base.checks.strict,
    )?;
    let settings = settings(&sweep.base, &args.solver)?;
    let format = match (args.format, &args.out) {
        (Some(RowFormat::Jsonl), _) => Format::Jsonl,
        (Some(RowFormat::Csv), _) => Format::Csv,
        (_, Some(path)) => Format::of_path(path),
        (_, None) => Format::Csv,
    };
    let markdown = args.format == Some(RowFormat::Markdown);
    let header = rows::header(&sweep);
    let (mut sink, existing) = open_out(args, &sweep, &header, format)?;
    let done: HashSet<String> = existing
        .as_ref()
        .map(|f| {
            let column = f.column("variant").unwrap_or(2);
            f.records.iter().map(|r| r[column].clone()).collect()
        })
        .unwrap_or_default();
    let todo = sweep
        .variants
        .iter()
        .filter(|v| args.shard.is_none_or(|s| Sweep::in_shard(v, s)))
        .filter(|v| !done.contains(&v.id))
        .count();
    ui.detail(&format!(
        "sweep {}: {} variants, {} to solve",
        sweep.fingerprint,
        sweep.variants.len(),
        todo
    ));
    let bar = super::progress::Bar::new(ui.quiet, "");
    let interrupt = Interrupt::install()
        .map_err(|e| CliError::Internal(format!("cannot install the signal handlers: {e}")))?;
    if matches!(sink, Sink::Closed) {
        return Ok(ExitCode::Success);
    }
    let halt = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let options = RunOptions {
        fail_fast: args.fail_fast,
        shard: args.shard,
        skip: done,
        interrupt: Some(interrupt.flag()),
        halt: Some(halt.clone()),
    };
    let mut write_failure: Option<CliError> = None;
    let mut new_records: Vec<Record> = Vec::new();
    let mut emit = |row: &crate::analysis::sweep::Row| {
        let record = rows::record(&sweep, row);
        let bytes = rows::line(format, &header, &record);
        new_records.push(record);
        if write_failure.is_some() {
            return;
        }
        let result = match &mut sink {
            Sink::File(file) => append_whole(file, &bytes, args.out.as_deref()),
            Sink::Stdout => {
                let mut out = std::io::stdout().lock();
                match out.write_all(&bytes).and_then(|()| out.flush()) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                        halt.store(true, std::sync::atomic::Ordering::SeqCst);
                        Ok(())
                    }
                    other => other.map_err(|e| write_error(None, e)),
                }
            }
            Sink::Nowhere | Sink::Closed => Ok(()),
        };
        if let Err(e) = result {
            write_failure = Some(e);
        }
    };
    let pool = worker_pool(args.jobs)?;
    let tick = |d, t| bar.tell(d, t);
    pool.install(|| engine::run(&sweep, &settings, &options, &mut emit, &tick));
    drop(bar);
    if let Some(e) = write_failure {
        return Err(e);
    }
    // The reader of the rows went away (`| head`): it has what it wanted.
    if halt.load(std::sync::atomic::Ordering::SeqCst) {
        return Ok(ExitCode::Success);
    }
    let written = new_records.len();
    let mut all = existing.map(|f| f.records).unwrap_or_default();
    all.extend(new_records);
    if let Some(signal) = interrupt.received() {
        let whole = match &args.out {
            Some(path) => format!(
                "; {} has {} whole rows: run the same command with --resume to finish",
                path.display(),
                all.len()
            ),
            None => String::new(),
        };
        return Err(CliError::Interrupted {
            signal,
            message: format!(
                "interrupted by {}: {written} variant(s) solved in this run, {} of {} left{whole}",
                signal.name(),
                todo - written,
                todo
            ),
        });
    }
    if let (Sink::File(_), Some(path)) = (&sink, &args.out) {
        put_in_variant_order(&sweep, path, format, &header, &mut all)?;
    }
    let summary = summarize(&sweep, &header, &all);
    if let (true, Some(path)) = (xlsx, &args.out) {
        let bytes = rows_workbook(&header, &all, &summary.text)?;
        crate::output::write_file(path, &bytes)?;
    }
    // The summary once: as markdown on stdout when asked, else as text on stderr.
    if markdown {
        super::common::print(summary.markdown.as_bytes())?;
    } else {
        ui.note(&summary.text);
    }
    if summary.failed > 0 {
        return Err(CliError::CheckFailed(format!(
            "{} of {} variants failed",
            summary.failed,
            all.len()
        )));
    }
    Ok(ExitCode::Success)
}

/// Appends one whole row; if the write fails (a full disk), the file is cut back to the
/// rows before it, so that it never ends in a partial row.
fn append_whole(
    file: &mut std::fs::File,
    bytes: &[u8],
    path: Option<&Path>,
) -> Result<(), CliError> {
    use std::io::Seek;
    let before = file.stream_position().map_err(|e| write_error(path, e))?;
    rows::append(file, bytes).map_err(|e| {
        let _ = file.set_len(before);
        let _ = file.seek(std::io::SeekFrom::Start(before));
        write_error(path, e)
    })
}

/// A resumed run appends the variants an interrupted one left out after the rows it had:
/// the whole file is then rewritten in variant order (to a temporary file, renamed into
/// place), so that it ends exactly as an uninterrupted run would have written it.
fn put_in_variant_order(
    sweep: &Sweep,
    path: &Path,
    format: Format,
    header: &[String],
    records: &mut [Record],
) -> Result<(), CliError> {
    let column = header.iter().position(|h| h == "variant").unwrap_or(2);
    let order: std::collections::HashMap<&str, usize> = sweep
        .variants
        .iter()
        .map(|v| (v.id.as_str(), v.index))
        .collect();
    let rank = |r: &Record| order.get(r[column].as_str()).copied().unwrap_or(usize::MAX);
    if records.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])) {
        return Ok(());
    }
    records.sort_by_key(|r| rank(r));
    let mut bytes = rows::header_line(format, header);
    for record in records.iter() {
        bytes.extend(rows::line(format, header, record));
    }
    crate::output::write_file(path, &bytes)?;
    Ok(())
}
