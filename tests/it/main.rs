//! Integration tests: one binary, one module per topic.

#[cfg(feature = "highs")]
mod backends;
mod checker;
mod common;
mod determinism;
mod exit_codes;
mod invalid_inputs;
mod snapshots;
mod tutorial;
