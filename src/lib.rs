//! forcegen: turns coalition offers and mission requirements into a linear program,
//! solves it lexicographically by priority, and reports a verified coverage plan.
#![deny(unsafe_code)]

pub mod analysis;
pub mod cli;
pub mod convert;
pub mod generate;
pub mod model;
pub mod num;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod scenario;
pub mod solve;
