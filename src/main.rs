//! The `forcegen` binary: parse arguments, run the command, map the outcome to an exit code.

use clap::Parser;
use forcegen::cli::{Cli, note_line, run};

fn main() {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(err) => {
            note_line(&err.to_string());
            err.exit_code()
        }
    };
    std::process::exit(code as i32);
}
