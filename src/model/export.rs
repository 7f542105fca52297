//! Writing one stage's model in the two formats other solvers read: free MPS and CPLEX LP.
//! Pure functions from a [`LinearModel`] and an objective to bytes.
//!
//! Names are the model's own (`x[FRA/mech_inf_bn/1,land-reassurance-1]`) made legal for
//! both formats by one mapping, so that an MPS and an LP file of the same model agree:
//! `[` and `]` become `(` and `)`, `/` becomes `.`, `-` and every other character outside
//! `A-Z a-z 0-9 _ . ( ) , # @ ! ? $ % & { } | ~` becomes `_`; a name that would start with a
//! digit or `.` gets a leading `_`; names are cut to 255 characters; a name taken already
//! gets `~2`, `~3`... appended.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::linear::{Linear, LinearModel, Row};

/// A model to write: the rows and columns, extra rows (earlier stages held), the objective
/// to minimise, and comment lines for the file's header.
pub struct ExportModel<'a> {
    pub lp: &'a LinearModel,
    pub extra_rows: &'a [Row],
    pub objective: &'a Linear,
    /// The objective row's name (made legal like every other name).
    pub objective_name: &'a str,
    pub comments: Vec<String>,
}

/// The longest name written (CPLEX's limit for LP files).
const MAX_NAME: usize = 255;

/// The legal, unique names of the objective, the columns and the rows, in that order.
struct Names {
    objective: String,
    columns: Vec<String>,
    rows: Vec<String>,
}

fn names(model: &ExportModel<'_>) -> Names {
    let mut taken = HashSet::new();
    let objective = unique(legal(model.objective_name), &mut taken);
    let columns = model
        .lp
        .columns
        .iter()
        .map(|c| unique(legal(&model.lp.name(&c.name)), &mut taken))
        .collect();
    let rows = rows(model)
        .map(|r| unique(legal(&model.lp.name(&r.name)), &mut taken))
        .collect();
    Names {
        objective,
        columns,
        rows,
    }
}

fn rows<'a>(model: &'a ExportModel<'a>) -> impl Iterator<Item = &'a Row> {
    model.lp.rows.iter().chain(model.extra_rows)
}

/// A name legal in free MPS and CPLEX LP files (see the module docs).
pub fn legal(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| match c {
            '[' => '(',
            ']' => ')',
            '/' => '.',
            c if c.is_ascii_alphanumeric() || "_.(),#@!?$%&{}|~".contains(c) => c,
            _ => '_',
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        out.insert(0, '_');
    }
    out.truncate(MAX_NAME);
    out
}

fn unique(name: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    for n in 2.. {
        let suffix = format!("~{n}");
        let mut candidate = name.clone();
        candidate.truncate(MAX_NAME - suffix.len());
        candidate.push_str(&suffix);
        if taken.insert(candidate.clone()) {
            return candidate;
        }
    }
    unreachable!("some suffix is free")
}

/// A comment kept on its line: a line break in a scenario name would end the comment.
fn one_line(comment: &str) -> String {
    comment.replace(['\n', '\r'], " ")
}

/// A number both formats read back exactly: Rust's shortest round-trip form, with an
/// exponent for very large or small magnitudes.
pub fn number(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(1e-5..1e15).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The model in free MPS: integer columns between `MARKER INTORG` / `INTEND` lines, ranged
/// rows in `RANGES`, explicit bounds for every integer column.
pub fn mps(model: &ExportModel<'_>) -> Vec<u8> {
    let names = names(model);
    let all_rows: Vec<&Row> = rows(model).collect();
    let mut out = String::new();
    for line in model.comments.iter().map(|l| one_line(l)) {
        let _ = writeln!(out, "* {line}");
    }
    out.push_str("NAME forcegen\nROWS\n");
    let _ = writeln!(out, " N {}", names.objective);
    for (row, name) in all_rows.iter().zip(&names.rows) {
        let kind = match (row.lower.is_finite(), row.upper.is_finite()) {
            _ if row.lower == row.upper => "E",
            (true, _) => "G",
            (false, true) => "L",
            // A row bounded on neither side constrains nothing; it is written as a free
            // row so that its name survives (readers drop or ignore extra N rows).
            (false, false) => "N",
        };
        let _ = writeln!(out, " {kind} {name}");
    }
    // Column-wise entries: the objective first, then the rows in order.
    let mut entries: Vec<Vec<(usize, f64)>> = vec![Vec::new(); model.lp.columns.len()];
    for &(c, a) in model.objective {
        entries[c].push((usize::MAX, a));
    }
    for (r, row) in all_rows.iter().enumerate() {
        for &(c, a) in &row.terms {
            entries[c].push((r, a));
        }
    }
    out.push_str("COLUMNS\n");
    let mut in_integers = false;
    let mut markers = 0;
    for (c, column) in model.lp.columns.iter().enumerate() {
        if column.integer != in_integers {
            markers += 1;
            let which = if column.integer { "INTORG" } else { "INTEND" };
            let _ = writeln!(out, "    MARKER{markers} 'MARKER' '{which}'");
            in_integers = column.integer;
        }
        let name = &names.columns[c];
        if entries[c].is_empty() {
            // Declares a column that appears in no row.
            let _ = writeln!(out, "    {name} {} 0", names.objective);
        }
        for &(r, a) in &entries[c] {
            let row = if r == usize::MAX {
                &names.objective
            } else {
                &names.rows[r]
            };
            let _ = writeln!(out, "    {name} {row} {}", number(a));
        }
    }
    if in_integers {
        let _ = writeln!(out, "    MARKER{} 'MARKER' 'INTEND'", markers + 1);
    }
    out.push_str("RHS\n");
    for (row, name) in all_rows.iter().zip(&names.rows) {
        let rhs = if row.lower.is_finite() {
            row.lower
        } else if row.upper.is_finite() {
            row.upper
        } else {
            0.0
        };
        if rhs != 0.0 {
            let _ = writeln!(out, "    RHS {name} {}", number(rhs));
        }
    }
    let ranged: Vec<(&&Row, &String)> = all_rows
        .iter()
        .zip(&names.rows)
        .filter(|(r, _)| r.lower.is_finite() && r.upper.is_finite() && r.lower != r.upper)
        .collect();
    if !ranged.is_empty() {
        out.push_str("RANGES\n");
        for (row, name) in ranged {
            let _ = writeln!(out, "    RNG {name} {}", number(row.upper - row.lower));
        }
    }
    out.push_str("BOUNDS\n");
    for (column, name) in model.lp.columns.iter().zip(&names.columns) {
        let (lo, up) = (column.lower, column.upper);
        if lo == up {
            let _ = writeln!(out, " FX BND {name} {}", number(lo));
            continue;
        }
        if lo == f64::NEG_INFINITY && up == f64::INFINITY {
            let _ = writeln!(out, " FR BND {name}");
            continue;
        }
        if lo == f64::NEG_INFINITY {
            let _ = writeln!(out, " MI BND {name}");
        } else if lo != 0.0 {
            let _ = writeln!(out, " LO BND {name} {}", number(lo));
        }
        if up.is_finite() {
            let _ = writeln!(out, " UP BND {name} {}", number(up));
        } else if column.integer {
            // Some readers give integer columns without bounds an upper bound of 1.
            let _ = writeln!(out, " PL BND {name}");
        }
    }
    out.push_str("ENDATA\n");
    out.into_bytes()
}

/// The model in CPLEX LP form. A ranged row is written as two rows, `NAME.lo` (>=) and
/// `NAME.hi` (<=), as the format has no ranges; integer columns with bounds [0, 1] are
/// listed under `Binary`, other integer columns under `General`.
pub fn lp(model: &ExportModel<'_>) -> Vec<u8> {
    let names = names(model);
    let mut out = String::new();
    for line in model.comments.iter().map(|l| one_line(l)) {
        let _ = writeln!(out, "\\ {line}");
    }
    out.push_str("Minimize\n");
    expression(&mut out, &names.objective, model.objective, &names.columns);
    out.push('\n');
    out.push_str("Subject To\n");
    let mut taken: HashSet<String> = names
        .rows
        .iter()
        .chain(&names.columns)
        .chain([&names.objective])
        .cloned()
        .collect();
    for (row, name) in rows(model).zip(&names.rows) {
        let (lo, up) = (row.lower, row.upper);
        if lo == up {
            expression(&mut out, name, &row.terms, &names.columns);
            let _ = writeln!(out, " = {}", number(lo));
        } else if lo.is_finite() && up.is_finite() {
            let low = unique(legal(&format!("{name}.lo")), &mut taken);
            expression(&mut out, &low, &row.terms, &names.columns);
            let _ = writeln!(out, " >= {}", number(lo));
            let high = unique(legal(&format!("{name}.hi")), &mut taken);
            expression(&mut out, &high, &row.terms, &names.columns);
            let _ = writeln!(out, " <= {}", number(up));
        } else if lo.is_finite() {
            expression(&mut out, name, &row.terms, &names.columns);
            let _ = writeln!(out, " >= {}", number(lo));
        } else if up.is_finite() {
            expression(&mut out, name, &row.terms, &names.columns);
            let _ = writeln!(out, " <= {}", number(up));
        }
        // A row bounded on neither side constrains nothing and has no LP form.
    }
    out.push_str("Bounds\n");
    for (column, name) in model.lp.columns.iter().zip(&names.columns) {
        let (lo, up) = (column.lower, column.upper);
        if binary(column.integer, lo, up) {
            continue;
        }
        if lo == up {
            let _ = writeln!(out, " {name} = {}", number(lo));
        } else if lo == f64::NEG_INFINITY && up == f64::INFINITY {
            let _ = writeln!(out, " {name} free");
        } else if lo != 0.0 || up != f64::INFINITY {
            let _ = writeln!(out, " {} <= {name} <= {}", bound(lo), bound(up));
        }
    }
    let general: Vec<&String> = model
        .lp
        .columns
        .iter()
        .zip(&names.columns)
        .filter(|(c, _)| c.integer && !binary(true, c.lower, c.upper))
        .map(|(_, n)| n)
        .collect();
    let binaries: Vec<&String> = model
        .lp
        .columns
        .iter()
        .zip(&names.columns)
        .filter(|(c, _)| binary(c.integer, c.lower, c.upper))
        .map(|(_, n)| n)
        .collect();
    for (section, list) in [("General", general), ("Binary", binaries)] {
        if !list.is_empty() {
            let _ = writeln!(out, "{section}");
            for name in list {
                let _ = writeln!(out, " {name}");
            }
        }
    }
    out.push_str("End\n");
    out.into_bytes()
}

fn binary(integer: bool, lower: f64, upper: f64) -> bool {
    integer && lower == 0.0 && upper == 1.0
}

fn bound(x: f64) -> String {
    if x == f64::INFINITY {
        "+infinity".into()
    } else if x == f64::NEG_INFINITY {
        "-infinity".into()
    } else {
        number(x)
    }
}

/// Where LP lines are broken: CPLEX reads lines of up to 510 characters, and a term is at
/// most a sign, a number and a 255-character name.
const LINE: usize = 200;

/// ` name: a x + b y ...`, broken into lines of about [`LINE`] characters. An empty
/// expression is written as `0 x` with the first column, since the format needs a term.
fn expression(out: &mut String, name: &str, terms: &[(usize, f64)], columns: &[String]) {
    let _ = write!(out, " {name}:");
    if terms.is_empty() {
        if let Some(first) = columns.first() {
            let _ = write!(out, " 0 {first}");
        }
        return;
    }
    let mut line_start = out.rfind('\n').map_or(0, |i| i + 1);
    for &(c, a) in terms {
        if out.len() - line_start > LINE {
            out.push_str("\n   ");
            line_start = out.len() - 3;
        }
        let sign = if a < 0.0 || (a == 0.0 && a.is_sign_negative()) {
            '-'
        } else {
            '+'
        };
        let _ = write!(out, " {sign} {} {}", number(a.abs()), columns[c]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// min x + 2 y  s.t.  c1: x + y >= 2,  c2: 1 <= x - y <= 3 (ranged),  y integer in [0, 5],
    /// b binary, x free above.
    fn tiny() -> LinearModel {
        let mut lp = LinearModel::default();
        let x = lp.add_column("x[FRA/a b,q-1]", 0.0, f64::INFINITY, false);
        let y = lp.add_column("y[q-1]", 0.0, 5.0, true);
        let b = lp.add_column("b", 0.0, 1.0, true);
        lp.add_row("c1", vec![(x, 1.0), (y, 1.0)], 2.0, f64::INFINITY);
        lp.add_row("c2", vec![(x, 1.0), (y, -1.0)], 1.0, 3.0);
        lp.add_row("c3", vec![(b, 1.0)], f64::NEG_INFINITY, 1.0);
        lp
    }

    fn model<'a>(lp: &'a LinearModel, objective: &'a Linear, extra: &'a [Row]) -> ExportModel<'a> {
        ExportModel {
            lp,
            extra_rows: extra,
            objective,
            objective_name: "stage[cost]",
            comments: vec!["ti\nny".into()],
        }
    }

    #[test]
    fn names_are_made_legal_and_unique() {
        assert_eq!(
            legal("x[FRA/mech_inf_bn/1,land-reassurance-1]"),
            "x(FRA.mech_inf_bn.1,land_reassurance_1)"
        );
        assert_eq!(legal("s[a b:c+d*e]"), "s(a_b_c_d_e)");
        assert_eq!(legal("1abc"), "_1abc");
        assert_eq!(legal(".5"), "_.5");
        assert_eq!(legal("é"), "_");
        assert_eq!(legal(&"n".repeat(300)).len(), 255);
        let mut taken = HashSet::new();
        assert_eq!(unique(legal("a-b"), &mut taken), "a_b");
        assert_eq!(unique(legal("a_b"), &mut taken), "a_b~2");
        assert_eq!(unique(legal("a+b"), &mut taken), "a_b~3");
    }

    #[test]
    fn tiny_model_in_mps() {
        let lp = tiny();
        let objective = vec![(0, 1.0), (1, 2.0)];
        let hold = [Row {
            name: "hold[priority-1]".into(),
            terms: vec![(0, 1.0)],
            lower: f64::NEG_INFINITY,
            upper: 1e-7,
        }];
        let text = String::from_utf8(mps(&model(&lp, &objective, &hold))).unwrap();
        let expected = "\
* ti ny
NAME forcegen
ROWS
 N stage(cost)
 G c1
 G c2
 L c3
 L hold(priority_1)
COLUMNS
    x(FRA.a_b,q_1) stage(cost) 1
    x(FRA.a_b,q_1) c1 1
    x(FRA.a_b,q_1) c2 1
    x(FRA.a_b,q_1) hold(priority_1) 1
    MARKER1 'MARKER' 'INTORG'
    y(q_1) stage(cost) 2
    y(q_1) c1 1
    y(q_1) c2 -1
    b c3 1
    MARKER2 'MARKER' 'INTEND'
RHS
    RHS c1 2
    RHS c2 1
    RHS c3 1
    RHS hold(priority_1) 1e-7
RANGES
    RNG c2 2
BOUNDS
 UP BND y(q_1) 5
 UP BND b 1
ENDATA
";
        assert_eq!(text, expected);
    }

    #[test]
    fn tiny_model_in_lp() {
        let lp = tiny();
        let objective = vec![(0, 1.0), (1, 2.0)];
        let text = String::from_utf8(super::lp(&model(&lp, &objective, &[]))).unwrap();
        let expected = "\
\\ ti ny
Minimize
 stage(cost): + 1 x(FRA.a_b,q_1) + 2 y(q_1)
Subject To
 c1: + 1 x(FRA.a_b,q_1) + 1 y(q_1) >= 2
 c2.lo: + 1 x(FRA.a_b,q_1) - 1 y(q_1) >= 1
 c2.hi: + 1 x(FRA.a_b,q_1) - 1 y(q_1) <= 3
 c3: + 1 b <= 1
Bounds
 0 <= y(q_1) <= 5
General
 y(q_1)
Binary
 b
End
";
        assert_eq!(text, expected);
    }

    #[test]
    fn long_expressions_are_wrapped_and_numbers_round_trip() {
        let mut lp = LinearModel::default();
        for i in 0..13 {
            lp.add_column(
                format!("c{i}{}", "n".repeat(250)),
                0.0,
                f64::INFINITY,
                false,
            );
        }
        let objective: Linear = (0..13).map(|i| (i, 0.1 * i as f64 + 1e-9)).collect();
        let text = String::from_utf8(super::lp(&model(&lp, &objective, &[]))).unwrap();
        assert!(text.lines().count() > 5, "{text}");
        assert!(text.lines().all(|l| l.len() < 510));
        for &(_, a) in &objective {
            assert_eq!(number(a).parse::<f64>().unwrap(), a);
        }
        assert_eq!(number(1e20), "1e20");
        assert_eq!(number(-2.5e-9), "-2.5e-9");
    }
}
