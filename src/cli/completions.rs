//! `forcegen completions` and `forcegen man`: shell completions and man pages, generated
//! from the clap definitions so that they always match the commands.

use clap::CommandFactory;
use clap_mangen::Man;

use crate::output::write_all;

use super::common::{CliError, ExitCode, Ui, print};
use super::{Cli, CompletionsArgs, ManArgs};

pub fn completions(args: &CompletionsArgs) -> Result<ExitCode, CliError> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "forcegen", &mut out);
    print(&out)?;
    Ok(ExitCode::Success)
}

/// Every man page: `forcegen.1` and `forcegen-COMMAND.1` for each command, as
/// (file name, roff bytes).
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(page(Man::new(sub.clone())));
    }
    pages.insert(0, page(Man::new(cmd)));
    pages
}

fn page(man: Man) -> (String, Vec<u8>) {
    let mut bytes = Vec::new();
    man.render(&mut bytes).expect("writing to memory succeeds");
    (man.get_filename(), bytes)
}

pub fn man(ui: &Ui, args: &ManArgs) -> Result<ExitCode, CliError> {
    let pages = man_pages();
    match &args.out {
        Some(dir) => {
            write_all(dir, &pages)?;
            ui.note(&format!(
                "wrote {} man pages to {}",
                pages.len(),
                dir.display()
            ));
        }
        None => {
            print(&pages[0].1)?;
        }
    }
    Ok(ExitCode::Success)
}
