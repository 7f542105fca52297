//! Workbooks in and out: every shipped scenario converted to a workbook (and back) solves to
//! the same bytes, `result.xlsx` read back equals the CSV outputs cell for cell, and each
//! kind of workbook fault is located by workbook, sheet and cell.

use std::fs;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use rust_xlsxwriter::{Formula, Workbook};

use crate::common::{AT_SCALE, assert_code, forcegen, scenario, stderr, stdout};

fn solve_json(scenario: &Path) -> (i32, Vec<u8>) {
    let path = scenario.display().to_string();
    let mut args = vec!["solve", path.as_str(), "--no-asks", "--format", "json"];
    args.extend(AT_SCALE);
    let out = forcegen(&args);
    (out.status.code().unwrap(), out.stdout)
}

fn validate_summary(scenario: &Path) -> String {
    let out = forcegen(&["validate", scenario.to_str().unwrap()]);
    assert_code(&out, 0);
    // The summary names the file: compare what follows it.
    stdout(&out)
        .split_once(": ")
        .unwrap()
        .1
        .split_once(": ")
        .unwrap()
        .1
        .to_string()
}

/// `forcegen convert SCENARIO --to FORM --out DIR`; the scenario file it wrote.
fn convert(scenario: &Path, form: &str, dir: &Path) -> std::path::PathBuf {
    let out = forcegen(&[
        "convert",
        scenario.to_str().unwrap(),
        "--to",
        form,
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_code(&out, 0);
    dir.join("scenario.toml")
}

/// Asserts that `sheet` holds the CSV file at `csv_path` cell for cell: text as text, a
/// number as the same number, an empty cell as an empty field.
fn assert_sheet_is_csv(range: &calamine::Range<Data>, csv_path: &Path, what: &str) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(csv_path)
        .unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(range.height(), records.len(), "{what}: rows");
    for (r, record) in records.iter().enumerate() {
        for (c, text) in record.iter().enumerate() {
            let cell = range.get((r, c)).cloned().unwrap_or(Data::Empty);
            let same = match &cell {
                Data::Empty => text.is_empty(),
                Data::String(s) => s == text,
                Data::Float(x) => text.parse::<f64>().is_ok_and(|y| y == *x),
                Data::Int(i) => text.parse::<f64>().is_ok_and(|y| y == *i as f64),
                other => panic!("{what} ({r}, {c}): unexpected cell {other:?}"),
            };
            assert!(
                same,
                "{what} row {r} column {c}: csv `{text}`, xlsx {cell:?}"
            );
        }
    }
}

#[test]
fn every_shipped_scenario_as_a_workbook_and_back_solves_to_the_same_bytes() {
    for name in ["tutorial", "infeasible-floor", "paris-2026"] {
        let dir = tempfile::tempdir().unwrap();
        let original = scenario(name);
        let converted = convert(&original, "xlsx", &dir.path().join("xlsx"));
        assert!(dir.path().join("xlsx/scenario.xlsx").is_file());
        let toml = fs::read_to_string(&converted).unwrap();
        assert!(toml.contains("workbook = \"scenario.xlsx\""), "{toml}");
        let back = convert(&converted, "csv", &dir.path().join("csv"));

        let summary = validate_summary(&original);
        assert_eq!(
            validate_summary(&converted),
            summary,
            "{name}: as a workbook"
        );
        assert_eq!(validate_summary(&back), summary, "{name}: and back to CSV");
        let (code, json) = solve_json(&original);
        assert!(code == 0 || code == 3, "{name}: exit {code}");
        assert_eq!(
            solve_json(&converted),
            (code, json.clone()),
            "{name}: as a workbook"
        );
        assert_eq!(solve_json(&back), (code, json), "{name}: and back to CSV");
    }
}

#[test]
fn result_xlsx_read_back_equals_the_csv_outputs_cell_for_cell() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = forcegen(&[
        "solve",
        scenario("tutorial").to_str().unwrap(),
        "--format",
        "json",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_code(&out, 0);
    let mut book = open_workbook_auto(out_dir.join("result.xlsx")).unwrap();
    let names = book.sheet_names();
    assert_eq!(names[0], "summary");
    let mut csv_files: Vec<String> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    csv_files.sort();
    assert!(csv_files.len() >= 6, "{csv_files:?}");
    for file in &csv_files {
        let sheet = file.trim_end_matches(".csv");
        assert!(
            names.iter().any(|n| n == sheet),
            "no sheet {sheet} in {names:?}"
        );
        let range = book.worksheet_range(sheet).unwrap();
        assert_sheet_is_csv(&range, &out_dir.join(file), sheet);
    }
}

/// A scenario whose tables are the sheets of `pledges.xlsx`, made by `build`.
fn workbook_scenario(dir: &Path, build: impl FnOnce(&mut Workbook)) -> String {
    let mut book = Workbook::new();
    build(&mut book);
    book.save(dir.join("pledges.xlsx")).unwrap();
    fs::write(
        dir.join("scenario.toml"),
        "[scenario]\nname = \"workbook\"\n\n[[phase]]\nid = \"deployment\"\n\n[tables]\nworkbook = \"pledges.xlsx\"\n",
    )
    .unwrap();
    dir.join("scenario.toml").display().to_string()
}

fn sheet(book: &mut Workbook, name: &str, rows: &[&[&str]]) {
    let ws = book.add_worksheet();
    ws.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if value.is_empty() {
                continue;
            }
            match value.parse::<f64>() {
                Ok(x) => ws.write_number(r as u32, c as u16, x).unwrap(),
                Err(_) => ws.write_string(r as u32, c as u16, *value).unwrap(),
            };
        }
    }
}

const MEMBERS: &[&[&str]] = &[
    &["id", "name"],
    &["FRA", "France"],
    &["GBR", "United Kingdom"],
];
const OFFERS: &[&[&str]] = &[
    &["id", "member", "capability", "domain", "units"],
    &["FRA/frigate/1", "FRA", "frigate", "sea", "2"],
    &["GBR/frigate/1", "GBR", "frigate", "sea", "1"],
];
const REQUIREMENTS: &[&[&str]] = &[
    &["id", "domain", "capability", "target"],
    &["maritime-security-1", "sea", "frigate", "2"],
];

fn valid(book: &mut Workbook) {
    sheet(book, "members", MEMBERS);
    sheet(book, "offers", OFFERS);
    sheet(book, "requirements", REQUIREMENTS);
}

#[test]
fn a_workbook_scenario_with_numeric_and_text_cells_and_formulas_solves() {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook_scenario(dir.path(), |book| {
        sheet(book, "members", MEMBERS);
        // Units as a text cell and as a formula with its saved result.
        sheet(
            book,
            "offers",
            &[
                &["id", "member", "capability", "domain", "units"],
                &["FRA/frigate/1", "FRA", "frigate", "sea", ""],
                &["GBR/frigate/1", "GBR", "frigate", "sea", ""],
            ],
        );
        let offers = book.worksheet_from_name("offers").unwrap();
        offers.write_string(1, 4, "1").unwrap();
        offers
            .write_formula(2, 4, Formula::new("=1+0").set_result("1"))
            .unwrap();
        sheet(book, "requirements", REQUIREMENTS);
    });
    let out = forcegen(&["solve", &path, "--format", "csv", "--table", "requirements"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out)
            .contains("maritime-security-1,3,sea,deployment,frigate,units,2.0,0.0,2.0,0.0,1.0"),
        "{}",
        stdout(&out)
    );
}

/// Each workbook fault, with the message it gives (exit 65).
#[test]
fn each_workbook_fault_is_located_by_sheet_and_cell() {
    type Build = fn(&mut Workbook);
    let cases: [(&str, Build, &str); 6] = [
        (
            "text in a number cell",
            |book| {
                sheet(book, "members", MEMBERS);
                sheet(
                    book,
                    "offers",
                    &[
                        &["id", "member", "capability", "domain", "units"],
                        &["FRA/frigate/1", "FRA", "frigate", "sea", "two"],
                    ],
                );
                sheet(book, "requirements", REQUIREMENTS);
            },
            "error: pledges.xlsx: sheet offers, cell E2: field `units`, value `two`: expected a number",
        ),
        (
            "a missing sheet",
            |book| {
                sheet(book, "members", MEMBERS);
                sheet(book, "Offers 2026", OFFERS);
                sheet(book, "requirements", REQUIREMENTS);
            },
            "field `tables.workbook`: `pledges.xlsx` has no sheet `offers`\n  hint: did you mean `Offers 2026`?",
        ),
        (
            "a missing column",
            |book| {
                sheet(book, "members", MEMBERS);
                sheet(
                    book,
                    "offers",
                    &[
                        &["id", "member", "capability", "units"],
                        &["FRA/frigate/1", "FRA", "frigate", "2"],
                    ],
                );
                sheet(book, "requirements", REQUIREMENTS);
            },
            "error: pledges.xlsx: sheet offers, row 1: field `domain`: missing required column in the header",
        ),
        (
            "an empty sheet",
            |book| {
                sheet(book, "members", MEMBERS);
                sheet(book, "offers", &[]);
                sheet(book, "requirements", REQUIREMENTS);
            },
            "error: pledges.xlsx: sheet offers: the sheet is empty",
        ),
        (
            "a merged header cell",
            |book| {
                sheet(book, "members", MEMBERS);
                sheet(
                    book,
                    "offers",
                    &[&[], &["FRA/frigate/1", "FRA", "frigate", "sea", "2"]],
                );
                let offers = book.worksheet_from_name("offers").unwrap();
                offers
                    .merge_range(0, 0, 0, 1, "id", &rust_xlsxwriter::Format::new())
                    .unwrap();
                sheet(book, "requirements", REQUIREMENTS);
            },
            "error: pledges.xlsx: sheet offers, cell A1: a merged cell in the header (A1:B1)",
        ),
        (
            "a formula error cell",
            |book| {
                valid(book);
                let offers = book.worksheet_from_name("offers").unwrap();
                offers
                    .write_formula(1, 4, Formula::new("=1/0").set_result("#DIV/0!"))
                    .unwrap();
            },
            "error: pledges.xlsx: sheet offers, cell E2: field `units`: the cell holds the error #DIV/0!",
        ),
    ];
    for (what, build, wanted) in cases {
        let dir = tempfile::tempdir().unwrap();
        workbook_scenario(dir.path(), build);
        let out = crate::common::forcegen_in(dir.path(), &["validate", "scenario.toml"]);
        assert_code(&out, 65);
        let err = stderr(&out);
        assert!(err.contains(wanted), "{what}: wanted\n{wanted}\nin\n{err}");
    }
}

#[test]
fn a_table_may_name_one_sheet_of_any_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    sheet(&mut book, "Offers 2026", OFFERS);
    book.save(dir.path().join("pledges.xlsx")).unwrap();
    fs::write(
        dir.path().join("members.csv"),
        "id,name\nFRA,France\nGBR,United Kingdom\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("requirements.csv"),
        "id,domain,capability,target\nmaritime-security-1,sea,frigate,2\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("scenario.toml"),
        "[scenario]\nname = \"one sheet\"\n\n[[phase]]\nid = \"deployment\"\n\n[tables]\nmembers = \"members.csv\"\noffers = \"pledges.xlsx#Offers 2026\"\nrequirements = \"requirements.csv\"\n",
    )
    .unwrap();
    let out = crate::common::forcegen_in(dir.path(), &["validate", "scenario.toml"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("2 members, 2 offers, 1 requirement"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn init_xlsx_writes_a_starter_workbook_that_solves() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("starter");
    let out = forcegen(&["init", "--xlsx", target.to_str().unwrap()]);
    assert_code(&out, 0);
    assert!(target.join("scenario.xlsx").is_file());
    assert!(!target.join("offers.csv").exists());
    let toml = fs::read_to_string(target.join("scenario.toml")).unwrap();
    assert!(toml.contains("workbook = \"scenario.xlsx\""), "{toml}");
    assert!(toml.starts_with("#:schema"), "the comments are kept");
    assert!(
        !toml.contains(".csv") && !toml.contains("The CSV tables"),
        "{toml}"
    );
    let csv_starter = dir.path().join("csv");
    assert_code(&forcegen(&["init", csv_starter.to_str().unwrap()]), 0);
    assert_eq!(
        validate_summary(&target.join("scenario.toml")),
        validate_summary(&csv_starter.join("scenario.toml"))
    );
    assert_eq!(
        solve_json(&target.join("scenario.toml")),
        solve_json(&csv_starter.join("scenario.toml"))
    );
}

#[test]
fn a_sweep_writes_a_workbook_when_out_ends_in_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = crate::common::root().join("scenarios/tutorial/sweep.toml");
    let sweep = sweep.to_str().unwrap();
    let csv_path = dir.path().join("rows.csv");
    let xlsx_path = dir.path().join("rows.xlsx");
    assert_code(
        &forcegen(&["sweep", sweep, "--out", csv_path.to_str().unwrap()]),
        0,
    );
    assert_code(
        &forcegen(&["sweep", sweep, "--out", xlsx_path.to_str().unwrap()]),
        0,
    );
    let mut book = open_workbook_auto(&xlsx_path).unwrap();
    assert_eq!(book.sheet_names(), ["rows", "summary"]);
    let range = book.worksheet_range("rows").unwrap();
    assert_sheet_is_csv(&range, &csv_path, "rows");
    // Written whole at the end: no --resume into a workbook.
    let out = forcegen(&[
        "sweep",
        sweep,
        "--resume",
        "--out",
        xlsx_path.to_str().unwrap(),
    ]);
    assert_code(&out, 2);
}
