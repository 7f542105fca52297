//! Pure exporters: a result document in, bytes out (table, markdown, CSV, JSON, HTML).
//!
//! The documents (`document`: a solve's result, typed, and how it reads back; `compare`,
//! `stress`, `check`, `sweep`: the other commands'), the named tables a result is cut into
//! (`tables`, `fair_share`), their renderings (`render`) and the HTML pages (`html`). The
//! modules import one another in one direction only: renderings use tables, tables use
//! documents, documents use the numbers of `crate::num`.

pub mod check;
pub mod compare;
pub mod document;
pub mod fair_share;
pub mod html;
mod render;
pub mod stress;
pub mod sweep;
mod tables;
#[cfg(test)]
mod tests;
pub mod timings;
pub mod xlsx;

pub use crate::num::{Named, Num, round9};
pub use document::{ResultDoc, infeasible_doc, result_doc};
pub use render::{Format, csv, csv_sections, heading, json, markdown, render, text};
pub use tables::{Cell, Table, TableName, readable, tables};
