//! The exporters on a result document written by hand (`testdata/two-members.json`): each
//! rendering is a snapshot (`snapshots/`), so that a change to any exporter shows as a diff
//! without a solver in the loop.

use super::html::scenario_page;
use super::{Format, ResultDoc, TableName, json, render};

fn doc() -> ResultDoc {
    serde_json::from_str(include_str!("testdata/two-members.json"))
        .expect("the hand-built document reads as a result document")
}

#[test]
fn the_json_reads_back_to_the_same_document() {
    let written = json(&doc());
    let again: ResultDoc = serde_json::from_slice(&written).unwrap();
    assert_eq!(json(&again), written);
    insta::assert_snapshot!("json", String::from_utf8(written).unwrap());
}

#[test]
fn table_rendering() {
    let text = String::from_utf8(render(&doc(), Format::Table, &[])).unwrap();
    insta::assert_snapshot!("table", text);
}

#[test]
fn markdown_rendering() {
    let text = String::from_utf8(render(&doc(), Format::Markdown, &[])).unwrap();
    insta::assert_snapshot!("markdown", text);
}

#[test]
fn csv_rendering_of_all_tables_and_of_one() {
    let all = String::from_utf8(render(&doc(), Format::Csv, &[])).unwrap();
    insta::assert_snapshot!("csv", all);
    let one = String::from_utf8(render(&doc(), Format::Csv, &[TableName::Members])).unwrap();
    insta::assert_snapshot!("csv_members", one);
}

#[test]
fn html_rendering() {
    let page = String::from_utf8(scenario_page(&doc(), None)).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..80]);
    insta::assert_snapshot!("html", page);
}
