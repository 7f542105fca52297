//! A solver-neutral linear model: columns with bounds, rows with ranges, linear objectives.
//! Backends translate it; exporters can write it; nothing here knows the domain.

/// A column's or row's name: fixed text, or a kind with one or two of the model's labels
/// (`x[FRA-1,q-7]`), spelt out only when asked for ([`LinearModel::name`]). A large model is
/// then built without formatting and allocating a string for every column and row.
#[derive(Clone, Debug, PartialEq)]
pub enum Name {
    Text(String),
    Labelled(&'static str, Label, Option<Label>),
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::Text(text)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::Text(text.to_string())
    }
}

/// One of a model's labels (see [`LinearModel::add_labels`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(u32);

/// A run of labels added together: the i-th is `at(i)`.
#[derive(Clone, Copy, Debug)]
pub struct Labels(u32);

impl Labels {
    pub fn at(self, i: usize) -> Label {
        Label(self.0 + i as u32)
    }
}

/// A decision variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: Name,
    pub lower: f64,
    pub upper: f64,
    pub integer: bool,
}

/// A constraint `lower <= sum(coef * column) <= upper`; either side may be infinite.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: Name,
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
    /// The labels' text, end to end, and where each ends.
    label_text: String,
    label_ends: Vec<usize>,
}

impl LinearModel {
    /// Adds labels (ids of the scenario, say) for names to refer to.
    pub fn add_labels<'s>(&mut self, labels: impl Iterator<Item = &'s str>) -> Labels {
        let first = Labels(self.label_ends.len() as u32);
        for label in labels {
            self.label_text.push_str(label);
            self.label_ends.push(self.label_text.len());
        }
        first
    }

    fn label(&self, label: Label) -> &str {
        let i = label.0 as usize;
        let start = if i == 0 { 0 } else { self.label_ends[i - 1] };
        &self.label_text[start..self.label_ends[i]]
    }

    /// A name spelt out: the text, or `kind[first]` / `kind[first,second]`.
    pub fn name(&self, name: &Name) -> String {
        match name {
            Name::Text(text) => text.clone(),
            Name::Labelled(kind, first, None) => format!("{kind}[{}]", self.label(*first)),
            Name::Labelled(kind, first, Some(second)) => {
                format!("{kind}[{},{}]", self.label(*first), self.label(*second))
            }
        }
    }

    pub fn add_column(
        &mut self,
        name: impl Into<Name>,
        lower: f64,
        upper: f64,
        integer: bool,
    ) -> usize {
        self.columns.push(Column {
            name: name.into(),
            lower,
            upper,
            integer,
        });
        self.columns.len() - 1
    }

    pub fn add_row(
        &mut self,
        name: impl Into<Name>,
        terms: Linear,
        lower: f64,
        upper: f64,
    ) -> usize {
        self.rows.push(Row {
            name: name.into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_spell_out_their_labels() {
        let mut lp = LinearModel::default();
        let a = lp.add_labels(["FRA-1", "", "GBR-2"].into_iter());
        let b = lp.add_labels(["q-7"].into_iter());
        let x = lp.add_column(Name::Labelled("x", a.at(2), Some(b.at(0))), 0.0, 1.0, false);
        let s = lp.add_column(Name::Labelled("s", a.at(1), None), 0.0, 1.0, false);
        let r = lp.add_row("fixed", vec![(x, 1.0)], 0.0, 1.0);
        assert_eq!(lp.name(&lp.columns[x].name), "x[GBR-2,q-7]");
        assert_eq!(lp.name(&lp.columns[s].name), "s[]");
        assert_eq!(lp.name(&Name::Labelled("c", a.at(0), None)), "c[FRA-1]");
        assert_eq!(lp.name(&lp.rows[r].name), "fixed");
    }
}
