//! Analyses built on solving many scenarios: variants, sweeps, stress tests, comparisons
//! and the asks list. All parallel (rayon), all through `pipeline::solve_scenario`.

pub mod asks;
pub mod progress;
pub mod rows;
pub mod stress;
pub mod sweep;
pub mod sweep_schema;
pub mod variant;
