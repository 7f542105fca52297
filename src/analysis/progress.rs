//! The one progress-bar factory: a bar on stderr with count, rate and ETA, hidden when
//! stderr is not a terminal, under CI, or when asked to be quiet.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar for `len` steps; hidden when `quiet`, in CI, or off a terminal.
pub fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    if quiet || in_ci || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(
        "{bar:40.cyan/blue} {pos}/{len} solves, {per_sec}, ETA {eta} {msg}",
    )
    .expect("the progress template is valid");
    bar.set_style(style);
    bar
}
