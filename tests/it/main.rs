//! Integration tests: one binary, one module per topic.

mod api;
mod asks;
#[cfg(feature = "highs")]
mod backends;
mod checker;
mod cli_contract;
mod common;
mod compare;
mod completions;
mod determinism;
mod exit_codes;
mod export;
mod fair_share;
mod generate;
mod init;
mod invalid_inputs;
mod loader_fuzz;
mod markdown;
#[cfg(feature = "highs")]
mod peer;
mod properties;
mod relax;
mod reliability;
mod report;
mod report_browser;
mod schema;
// The snapshots name the solver that made them: HiGHS, the default build's.
#[cfg(feature = "highs")]
mod snapshots;
mod stress;
mod sweep;
mod tutorial;
mod vocabulary;
mod workbook;
