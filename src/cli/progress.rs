//! The one progress bar of the CLI: on stderr with count, rate and ETA, hidden when stderr
//! is not a terminal, under CI, or when asked to be quiet. The analyses tell it their
//! steps through [`Bar::tell`].

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar drawn from an analysis's (done, total) calls.
pub struct Bar(ProgressBar);

impl Bar {
    /// A bar labelled `message`; hidden when `quiet`, in CI, or off a terminal.
    pub fn new(quiet: bool, message: &str) -> Bar {
        let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        if quiet || in_ci || !std::io::stderr().is_terminal() {
            return Bar(ProgressBar::hidden());
        }
        let bar = ProgressBar::new(0);
        let style = ProgressStyle::with_template(
            "{bar:40.cyan/blue} {pos}/{len} solves, {per_sec}, ETA {eta} {msg}",
        )
        .expect("the progress template is valid");
        bar.set_style(style);
        bar.set_message(message.to_string());
        Bar(bar)
    }

    /// Takes one call of an analysis's progress callback.
    pub fn tell(&self, done: u64, total: u64) {
        if self.0.length() != Some(total) {
            self.0.set_length(total);
        }
        self.0.set_position(done);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
