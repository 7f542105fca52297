//! A solver-neutral linear model: columns with bounds, rows with ranges, linear objectives.
//! Backends translate it; exporters can write it; nothing here knows the domain.

/// A decision variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: String,
    pub lower: f64,
    pub upper: f64,
    pub integer: bool,
}

/// A constraint `lower <= sum(coef * column) <= upper`; either side may be infinite.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: String,
    pub terms: Vec<(usize, f64)>,
    pub lower: f64,
    pub upper: f64,
}

/// A linear expression over columns, as (column, coefficient) pairs.
pub type Linear = Vec<(usize, f64)>;

/// Evaluates a linear expression at `values`.
pub fn evaluate(terms: &[(usize, f64)], values: &[f64]) -> f64 {
    terms.iter().map(|&(c, a)| a * values[c]).sum()
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinearModel {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl LinearModel {
    pub fn add_column(&mut self, name: String, lower: f64, upper: f64, integer: bool) -> usize {
        self.columns.push(Column {
            name,
            lower,
            upper,
            integer,
        });
        self.columns.len() - 1
    }

    pub fn add_row(&mut self, name: String, terms: Linear, lower: f64, upper: f64) -> usize {
        self.rows.push(Row {
            name,
            terms,
            lower,
            upper,
        });
        self.rows.len() - 1
    }

    pub fn has_integers(&self) -> bool {
        self.columns.iter().any(|c| c.integer)
    }
}
