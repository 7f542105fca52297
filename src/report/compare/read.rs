//! One side of a comparison: what it reads of a result document, built just now or read
//! back from a saved `result.json` (typed, with the path of any field that does not read).

use std::fmt;

use serde_json::Value;

use crate::num::{Named, Num};
use crate::report::document::{ResultDoc, SCHEMA_VERSION};

/// What a comparison reads from one result document.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    pub name: String,
    /// `optimal`, `time_limit` or `infeasible`.
    pub status: String,
    /// The scenario's domains and phases in its own order (empty when the document does
    /// not list them; the coverage keys are used then).
    pub domains: Vec<String>,
    pub phases: Vec<String>,
    /// `None` when there is no plan (infeasible).
    pub coverage: Option<SideCoverage>,
    pub requirements: Vec<SideRequirement>,
    pub members: Vec<SideMember>,
    pub stages: Vec<SideStage>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SideCoverage {
    pub overall: f64,
    pub by_domain: Vec<(String, f64)>,
    pub by_phase: Vec<(String, f64)>,
    pub by_domain_phase: Vec<(String, Vec<(String, f64)>)>,
    pub by_priority: Vec<(String, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SideRequirement {
    pub id: String,
    pub domain: String,
    pub phase: String,
    pub priority: u64,
    pub target: f64,
    pub covered: f64,
    pub shortfall: f64,
    pub coverage: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SideMember {
    pub id: String,
    pub troops: f64,
    pub cost: f64,
    pub burden_ratio: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SideStage {
    pub name: String,
    pub value: Option<f64>,
}

/// Why a JSON document cannot be read as a result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SideError {
    Missing(String),
    WrongType { field: String, expected: String },
    Invalid { field: String, message: String },
    SchemaVersion { found: String },
}

impl SideError {
    /// A deserialisation error `message` at `path` (`members[1]`, `.` for the top level),
    /// with the field it names joined to the path.
    fn at(path: &str, message: &str) -> SideError {
        let join = |field: &str| {
            if path == "." || path.is_empty() {
                field.to_string()
            } else {
                format!("{path}.{field}")
            }
        };
        // serde_json appends " at line L column C"; the path says where.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message, |(head, _)| head);
        if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            return SideError::Missing(join(field));
        }
        if let Some((_, expected)) = message
            .strip_prefix("invalid type: ")
            .and_then(|rest| rest.split_once(", expected "))
        {
            return SideError::WrongType {
                field: path.to_string(),
                expected: expected.to_string(),
            };
        }
        SideError::Invalid {
            field: path.to_string(),
            message: message.to_string(),
        }
    }
}

impl fmt::Display for SideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SideError::Missing(field) => write!(f, "missing field `{field}`"),
            SideError::WrongType { field, expected } => {
                write!(f, "field `{field}` must be {expected}")
            }
            SideError::Invalid { field, message } => write!(f, "field `{field}`: {message}"),
            SideError::SchemaVersion { found } => write!(
                f,
                "schema_version {found} is not supported (this forcegen reads schema_version {SCHEMA_VERSION})"
            ),
        }
    }
}

impl Side {
    /// Reads a result document (the JSON of `forcegen solve`). Its `schema_version` must
    /// be the one this build writes.
    pub fn from_json(doc: &Value) -> Result<Side, SideError> {
        if !doc.is_object() {
            return Err(SideError::WrongType {
                field: "(top level)".into(),
                expected: "an object".into(),
            });
        }
        match doc.get("schema_version") {
            None => return Err(SideError::Missing("schema_version".into())),
            Some(v) if v.as_u64() != Some(u64::from(SCHEMA_VERSION)) => {
                return Err(SideError::SchemaVersion {
                    found: v.to_string(),
                });
            }
            Some(_) => {}
        }
        let doc: ResultDoc = serde_path_to_error::deserialize(doc).map_err(|e| {
            let path = e.path().to_string();
            SideError::at(&path, &e.into_inner().to_string())
        })?;
        Ok(Side::from_doc(&doc))
    }

    /// What a comparison reads of a result document.
    pub fn from_doc(doc: &ResultDoc) -> Side {
        let numbers = |named: &Named<Num>| -> Vec<(String, f64)> {
            named.iter().map(|(k, v)| (k.clone(), v.raw())).collect()
        };
        Side {
            name: doc.scenario.name.clone(),
            status: doc.status.clone(),
            domains: doc.scenario.domains.clone(),
            phases: doc.scenario.phases.clone(),
            coverage: doc.coverage.as_ref().map(|c| SideCoverage {
                overall: c.overall.raw(),
                by_domain: numbers(&c.by_domain),
                by_phase: numbers(&c.by_phase),
                by_domain_phase: c
                    .by_domain_phase
                    .iter()
                    .map(|(d, cells)| (d.clone(), numbers(cells)))
                    .collect(),
                by_priority: numbers(&c.by_priority),
            }),
            requirements: doc
                .requirements
                .iter()
                .map(|r| SideRequirement {
                    id: r.id.clone(),
                    domain: r.domain.clone(),
                    phase: r.phase.clone(),
                    priority: u64::from(r.priority),
                    target: r.target.raw(),
                    covered: r.covered.raw(),
                    shortfall: r.shortfall.raw(),
                    coverage: r.coverage.raw(),
                })
                .collect(),
            members: doc
                .members
                .iter()
                .map(|m| SideMember {
                    id: m.id.clone(),
                    troops: m.troops.raw(),
                    cost: m.cost.raw(),
                    burden_ratio: m.burden_ratio.and_then(|b| b.as_f64()),
                })
                .collect(),
            stages: doc
                .stages
                .iter()
                .map(|s| SideStage {
                    name: s.name.clone(),
                    value: s.value.as_f64(),
                })
                .collect(),
        }
    }

    pub(super) fn has_plan(&self) -> bool {
        self.coverage.is_some()
    }
}
