//! Integration tests: one binary, one module per topic.

mod asks;
#[cfg(feature = "highs")]
mod backends;
mod checker;
mod common;
mod compare;
mod determinism;
mod exit_codes;
mod generate;
mod invalid_inputs;
mod snapshots;
mod stress;
mod sweep;
mod tutorial;
