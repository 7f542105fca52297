//! The command line: clap definitions and one handler per subcommand, nothing else.

mod check;
mod common;
mod compare;
mod completions;
mod convert;
mod error;
mod export;
mod generate;
mod init;
mod interrupt;
mod merge;
mod progress;
mod report;
mod schema;
mod solve;
mod stress;
mod sweep;
mod timings;
mod validate;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use common::note_line;
pub use error::{CliError, ExitCode, Signal};
pub use timings::peak_memory_bytes;

use crate::report::{Format, TableName};
use crate::scenario::Backend;

#[derive(Debug, Parser)]
#[command(
    name = "forcegen",
    version,
    about = "Force-generation planning: coalition offers and mission requirements in, a verified coverage plan out",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    /// Print nothing but results and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print solver details to stderr (`solve`: each stage as it ends, and the timings).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a scenario's files and list every problem.
    Validate(ValidateArgs),
    /// Solve a scenario: coverage by domain and phase, shortfalls, assignments, burden.
    Solve(SolveArgs),
    /// Solve and fail (exit 1) when coverage is below thresholds.
    Check(CheckArgs),
    /// Solve many variants of a scenario in parallel, one result row each.
    Sweep(SweepArgs),
    /// Join sweep shard outputs into one, checking none is missing or doubled.
    Merge(MergeArgs),
    /// Withdraw every combination of k members and rank the coverage lost.
    Stress(StressArgs),
    /// Compare two scenarios or two saved result.json files.
    Compare(CompareArgs),
    /// Write one self-contained HTML page with charts for a scenario or a sweep.
    Report(ReportArgs),
    /// Write one stage's model (earlier stages held) as MPS or CPLEX LP for other solvers.
    Export(ExportArgs),
    /// Print the JSON Schema of the scenario TOML (or of sweep files), for editors.
    Schema(SchemaArgs),
    /// Write a small, commented starter scenario into a directory.
    Init(InitArgs),
    /// Write a scenario in the other form: its tables as CSV files or as one workbook.
    Convert(ConvertArgs),
    /// Print shell completions for bash, zsh, fish, powershell or elvish.
    Completions(CompletionsArgs),
    /// Print the man page, or write one page per command into a directory.
    Man(ManArgs),
    /// Write a synthetic scenario of a given size and seed (for benchmarks).
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema of sweep files instead of scenarios.
    #[arg(long)]
    pub sweep: bool,
    /// Write the schema to this file (default: stdout).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The directory to write into (created if missing).
    pub dir: PathBuf,
    /// Overwrite the starter's files where they exist.
    #[arg(long)]
    pub force: bool,
    /// Write the tables as one workbook (scenario.xlsx) instead of CSV files.
    #[arg(long)]
    pub xlsx: bool,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The scenario TOML file.
    pub scenario: PathBuf,
    /// The form to write: xlsx (one workbook) or csv (one file per table).
    #[arg(long, value_enum)]
    pub to: ConvertForm,
    /// The directory to write scenario.toml and the tables into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Overwrite files where they exist.
    #[arg(long)]
    pub force: bool,
}

/// The forms `convert` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ConvertForm {
    Xlsx,
    Csv,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write forcegen.1 and forcegen-COMMAND.1 for every command into this directory
    /// (default: print forcegen.1 to stdout).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("file").required(true).multiple(true).args(["mps", "lp"])))]
pub struct ExportArgs {
    /// The scenario TOML file.
    pub scenario: PathBuf,
    /// Write the model in free MPS form to this file.
    #[arg(long, value_name = "FILE")]
    pub mps: Option<PathBuf>,
    /// Write the model in CPLEX LP form to this file.
    #[arg(long, value_name = "FILE")]
    pub lp: Option<PathBuf>,
    /// The stage to export, by name (priority-1, ..., burden, cost); default: the first.
    /// Earlier stages are solved first and held at their optima.
    #[arg(long, value_name = "NAME")]
    pub stage: Option<String>,
    #[command(flatten)]
    pub solver: SolverArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A scenario TOML, or a sweep TOML (told apart by content: a sweep file has `base`).
    pub input: PathBuf,
    /// The HTML file to write (atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Scenario: also run the stress test and add its tornado chart.
    #[arg(long)]
    pub stress: bool,
    /// With --stress: how many members withdraw together.
    #[arg(long, default_value_t = 1, requires = "stress", value_parser = clap::value_parser!(u32).range(1..=2))]
    pub k: u32,
    /// Scenario: skip the asks list.
    #[arg(long)]
    pub no_asks: bool,
    /// Sweep: chart the rows of an earlier `forcegen sweep --out FILE` run instead of solving.
    #[arg(long, value_name = "FILE")]
    pub rows: Option<PathBuf>,
    /// Parallel solves (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
    /// Treat every warning about the scenario as an error (exit 65, nothing solved).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub solver: SolverArgs,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Member states.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub members: u32,
    /// Offers of each member.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub offers_per_member: u32,
    /// Requirements.
    #[arg(long, value_name = "R", value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub requirements: u32,
    /// Phases (the later half sustained).
    #[arg(long, value_name = "P", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub phases: u32,
    /// Seed: the same seed and sizes give the same files, byte for byte.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// About how many offers share one capability (more: more eligible pairs per requirement).
    #[arg(long, value_name = "C", default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..))]
    pub offers_per_capability: u32,
    /// A pure LP: no `min_members` (the only source of binaries) and `integer = false`
    /// (fractions of units allowed).
    #[arg(long)]
    pub lp: bool,
    /// Directory to write scenario.toml and its CSV tables into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The sweep TOML file.
    pub sweep: PathBuf,
    /// Parallel solves (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
    /// Run only shard I of N (1-based), a stable subset by hash of the variant id.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
    /// Stop at the first failed variant.
    #[arg(long)]
    pub fail_fast: bool,
    /// Skip variants already in --out and append the rest.
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Row format (default: by the --out file's extension, else csv). `markdown` prints
    /// only the summary, on stdout; rows then go to --out alone.
    #[arg(long, value_enum)]
    pub format: Option<RowFormat>,
    /// Write rows to this file as they complete (default: stdout); a `.xlsx` file is a
    /// workbook, written whole once the sweep ends.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Treat every warning about the scenario as an error (exit 65, nothing solved).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub solver: SolverArgs,
}

/// Formats of sweep, stress and merge rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RowFormat {
    Csv,
    Jsonl,
    Markdown,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard outputs (all CSV or all JSONL).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Write the merged rows here (default: stdout).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StressArgs {
    /// The scenario TOML file.
    pub scenario: PathBuf,
    /// How many members withdraw together.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=2))]
    pub k: u32,
    /// Parallel solves (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
    /// Treat every warning about the scenario as an error (exit 65, nothing solved).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub solver: SolverArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The baseline: a scenario TOML or a saved result.json.
    pub a: PathBuf,
    /// The alternative: a scenario TOML or a saved result.json.
    pub b: PathBuf,
    /// Print only these tables (repeatable).
    #[arg(long = "table", value_name = "NAME", value_parser = compare_table())]
    pub tables: Vec<TableName>,
    #[command(flatten)]
    pub solver: SolverArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let err = || format!("`{s}` must be I/N with 1 <= I <= N, e.g. 2/8");
    let (i, n) = s.split_once('/').ok_or_else(err)?;
    let (i, n): (u32, u32) = (
        i.trim().parse().map_err(|_| err())?,
        n.trim().parse().map_err(|_| err())?,
    );
    if i == 0 || n == 0 || i > n {
        return Err(err());
    }
    Ok((i, n))
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The scenario TOML file.
    pub scenario: PathBuf,
    /// Treat every warning about the scenario as an error (exit 65, nothing solved).
    #[arg(long)]
    pub strict: bool,
}

/// Solver choices that override the scenario's `[solver]` section.
#[derive(Debug, Args, Clone, Default)]
pub struct SolverArgs {
    /// The solver backend (default: the scenario's `[solver] backend`, else highs).
    #[arg(long, value_name = "NAME", value_parser = backend())]
    pub solver: Option<Backend>,
    /// Whole units only (the default).
    #[arg(long, conflicts_with = "relax")]
    pub integer: bool,
    /// Solve the LP relaxation: fractions of units allowed.
    #[arg(long)]
    pub relax: bool,
    /// Time limit for the whole solve, in seconds.
    #[arg(long, value_name = "SECS", value_parser = parse_positive)]
    pub time_limit: Option<f64>,
    /// Relative MIP gap.
    #[arg(long, value_name = "GAP", value_parser = parse_non_negative)]
    pub mip_gap: Option<f64>,
    /// HiGHS: build each stage's model from scratch instead of keeping one model through
    /// the stages.
    #[arg(long)]
    pub cold: bool,
}

/// Where and how results are written.
#[derive(Debug, Args, Clone, Default)]
pub struct OutputArgs {
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also write every table as CSV and the JSON result into this directory (`solve`: and
    /// result.xlsx).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Add the solve time to the JSON result, and print each step's time and the peak
    /// memory to stderr.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct SolveArgs {
    /// The scenario TOML file.
    pub scenario: PathBuf,
    /// Skip the asks list (one re-solve per eligible offer; seconds on large scenarios).
    #[arg(long)]
    pub no_asks: bool,
    /// Print only these tables (repeatable).
    #[arg(long = "table", value_name = "NAME", value_enum)]
    pub tables: Vec<TableName>,
    /// Treat every warning about the scenario as an error (exit 65, nothing solved).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub solver: SolverArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The scenario TOML file.
    pub scenario: PathBuf,
    /// Least overall coverage, in [0, 1].
    #[arg(long, value_name = "F", value_parser = parse_fraction)]
    pub min_coverage: Option<f64>,
    /// Least coverage of a domain, as DOMAIN=F (repeatable).
    #[arg(long, value_name = "DOMAIN=F", value_parser = parse_threshold)]
    pub min_domain_coverage: Vec<(String, f64)>,
    /// Least coverage of a phase, as PHASE=F (repeatable).
    #[arg(long, value_name = "PHASE=F", value_parser = parse_threshold)]
    pub min_phase_coverage: Vec<(String, f64)>,
    /// Least coverage of a priority level, as LEVEL=F (repeatable).
    #[arg(long, value_name = "LEVEL=F", value_parser = parse_threshold)]
    pub min_priority_coverage: Vec<(String, f64)>,
    /// Treat every warning about the scenario as an error (exit 65, nothing solved).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub solver: SolverArgs,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// A table of `compare`: its possible values are exactly the tables it prints.
fn compare_table() -> impl clap::builder::TypedValueParser<Value = TableName> {
    use clap::builder::TypedValueParser;
    let names = crate::report::compare::COMPARE_TABLES
        .iter()
        .map(|t| t.name());
    clap::builder::PossibleValuesParser::new(names)
        .map(|name| TableName::from_name(&name).expect("a possible value is a table name"))
}

/// A solver backend: its possible values are every backend forcegen knows (one not
/// compiled into this build is refused when the solve starts, with exit 2).
fn backend() -> impl clap::builder::TypedValueParser<Value = Backend> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Backend::ALL.map(Backend::name))
        .map(|name| Backend::from_name(&name).expect("a possible value is a backend"))
}

fn parse_number(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => match crate::scenario::limits::magnitude_problem(x) {
            Some(problem) => Err(format!("`{s}` {problem}")),
            None => Ok(x),
        },
        _ => Err(format!("`{s}` is not a finite number")),
    }
}

fn parse_positive(s: &str) -> Result<f64, String> {
    parse_number(s).and_then(|x| {
        if x > 0.0 {
            Ok(x)
        } else {
            Err(format!("`{s}` must be greater than 0"))
        }
    })
}

fn parse_non_negative(s: &str) -> Result<f64, String> {
    parse_number(s).and_then(|x| {
        if x >= 0.0 {
            Ok(x)
        } else {
            Err(format!("`{s}` must not be negative"))
        }
    })
}

fn parse_fraction(s: &str) -> Result<f64, String> {
    parse_number(s).and_then(|x| {
        if (0.0..=1.0).contains(&x) {
            Ok(x)
        } else {
            Err(format!("`{s}` must be in [0, 1]"))
        }
    })
}

fn parse_threshold(s: &str) -> Result<(String, f64), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` must be NAME=F, e.g. land=0.9"))?;
    Ok((name.trim().to_string(), parse_fraction(value.trim())?))
}

impl clap::ValueEnum for TableName {
    fn value_variants<'a>() -> &'a [Self] {
        &TableName::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Table, Format::Json, Format::Csv, Format::Markdown]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }))
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let ui = common::Ui {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Validate(args) => validate::run(&ui, &args),
        Command::Solve(args) => solve::run(&ui, &args),
        Command::Check(args) => check::run(&ui, &args),
        Command::Sweep(args) => sweep::run(&ui, &args),
        Command::Merge(args) => merge::run(&ui, &args),
        Command::Stress(args) => stress::run(&ui, &args),
        Command::Compare(args) => compare::run(&ui, &args),
        Command::Report(args) => report::run(&ui, &args),
        Command::Export(args) => export::run(&ui, &args),
        Command::Schema(args) => schema::run(&ui, &args),
        Command::Init(args) => init::run(&ui, &args),
        Command::Convert(args) => convert::run(&ui, &args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => completions::man(&ui, &args),
        Command::Generate(args) => generate::run(&ui, &args),
    }
}
