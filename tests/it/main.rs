//! Integration tests: one binary, one module per topic.

mod asks;
#[cfg(feature = "highs")]
mod backends;
mod checker;
mod common;
mod compare;
mod determinism;
mod exit_codes;
mod export;
mod generate;
mod interop;
mod invalid_inputs;
mod loader_fuzz;
mod properties;
mod reliability;
mod report;
mod report_browser;
mod snapshots;
mod stress;
mod sweep;
mod tutorial;
