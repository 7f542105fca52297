//! The documented exit codes, and the one error every command fails with: each kind of
//! failure is a variant, its exit code is chosen by [`CliError::exit_code`] and its text by
//! its `Display`, here and nowhere else.

use std::fmt;

use crate::output::WriteError;
use crate::scenario::{Diagnostic, LoadError};

/// The documented exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    Success = 0,
    CheckFailed = 1,
    Usage = 2,
    Infeasible = 3,
    DataError = 65,
    NoInput = 66,
    Internal = 70,
    CannotWrite = 74,
    /// A sweep stopped by SIGINT (128 + 2); its rows so far are written.
    Interrupted = 130,
    /// A sweep stopped by SIGTERM (128 + 15); its rows so far are written.
    Terminated = 143,
}

/// A signal that stops a sweep between variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Terminate,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        }
    }
}

/// Why a command failed. Messages are written without the `error: ` prefix, which the
/// rendering adds; `main` prints the rendering to stderr and exits with the code.
#[derive(Debug)]
pub enum CliError {
    /// The scenario does not load: its diagnostics.
    Load(LoadError),
    /// Warnings about the scenario under `--strict` (or `[checks] strict = true`).
    Strict(Vec<Diagnostic>),
    /// A located problem in a file other than the scenario (a sweep file).
    Diagnosed {
        diagnostic: Box<Diagnostic>,
        unreadable: bool,
    },
    /// Flags or arguments that do not go together, or a solver not in this build.
    Usage(String),
    /// An input file that is missing or cannot be read.
    NoInput(String),
    /// An input file that is read but cannot be used.
    Data(String),
    /// No plan meets the hard floors: the explanation.
    Infeasible(String),
    /// A coverage threshold or a sweep's variants failed.
    CheckFailed(String),
    /// An output that cannot be written.
    CannotWrite(String),
    /// A sweep stopped by a signal, its rows so far written.
    Interrupted { signal: Signal, message: String },
    /// A failure of forcegen or of its solver, not of the input.
    Internal(String),
}

impl CliError {
    /// The exit code of this failure (the documented table).
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Load(err) if err.is_unreadable() => ExitCode::NoInput,
            CliError::Load(_) => ExitCode::DataError,
            CliError::Strict(_) => ExitCode::DataError,
            CliError::Diagnosed {
                unreadable: true, ..
            } => ExitCode::NoInput,
            CliError::Diagnosed { .. } => ExitCode::DataError,
            CliError::Usage(_) => ExitCode::Usage,
            CliError::NoInput(_) => ExitCode::NoInput,
            CliError::Data(_) => ExitCode::DataError,
            CliError::Infeasible(_) => ExitCode::Infeasible,
            CliError::CheckFailed(_) => ExitCode::CheckFailed,
            CliError::CannotWrite(_) => ExitCode::CannotWrite,
            CliError::Interrupted {
                signal: Signal::Interrupt,
                ..
            } => ExitCode::Interrupted,
            CliError::Interrupted {
                signal: Signal::Terminate,
                ..
            } => ExitCode::Terminated,
            CliError::Internal(_) => ExitCode::Internal,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Load(err) => {
                let count = err.error_count();
                let plural = if count == 1 { "" } else { "s" };
                write!(
                    f,
                    "{err}\nerror: the scenario has {count} problem{plural}; nothing was solved"
                )
            }
            CliError::Strict(warnings) => {
                for warning in warnings {
                    let error = Diagnostic {
                        severity: crate::scenario::Severity::Error,
                        ..warning.clone()
                    };
                    writeln!(f, "{error}")?;
                }
                let count = warnings.len();
                let plural = if count == 1 { "" } else { "s" };
                write!(
                    f,
                    "error: the scenario has {count} warning{plural}, errors under --strict (or `[checks] strict = true`); nothing was solved"
                )
            }
            CliError::Diagnosed { diagnostic, .. } => write!(f, "{diagnostic}"),
            CliError::Usage(m)
            | CliError::NoInput(m)
            | CliError::Data(m)
            | CliError::Infeasible(m)
            | CliError::CheckFailed(m)
            | CliError::CannotWrite(m)
            | CliError::Interrupted { message: m, .. }
            | CliError::Internal(m) => write!(f, "error: {m}"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<LoadError> for CliError {
    fn from(err: LoadError) -> Self {
        CliError::Load(err)
    }
}

impl From<WriteError> for CliError {
    fn from(err: WriteError) -> Self {
        CliError::CannotWrite(err.to_string())
    }
}

impl From<crate::analysis::sweep::SweepError> for CliError {
    fn from(err: crate::analysis::sweep::SweepError) -> Self {
        use crate::analysis::sweep::SweepError;
        match err {
            SweepError::Base(load) => CliError::Load(load),
            SweepError::Unreadable(diagnostic) => CliError::Diagnosed {
                diagnostic,
                unreadable: true,
            },
            SweepError::Invalid(diagnostic) => CliError::Diagnosed {
                diagnostic,
                unreadable: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_documented_code_and_one_error_prefix() {
        let cases = [
            (CliError::Usage("u".into()), 2),
            (CliError::NoInput("n".into()), 66),
            (CliError::Data("d".into()), 65),
            (CliError::Infeasible("i".into()), 3),
            (CliError::CheckFailed("c".into()), 1),
            (CliError::CannotWrite("w".into()), 74),
            (CliError::Internal("x".into()), 70),
            (
                CliError::Interrupted {
                    signal: Signal::Interrupt,
                    message: "s".into(),
                },
                130,
            ),
            (
                CliError::Interrupted {
                    signal: Signal::Terminate,
                    message: "t".into(),
                },
                143,
            ),
        ];
        for (err, code) in cases {
            assert_eq!(err.exit_code() as i32, code, "{err:?}");
            let text = err.to_string();
            assert!(text.starts_with("error: "), "{text}");
            assert!(!text["error: ".len()..].starts_with("error: "), "{text}");
        }
    }
}
