//! The members most over and most under their fair share of the burden: a short list for
//! planners, from the burden figures (docs/spec.md, "Objective", stage 2: a member's burden
//! against its share of the burden keys).

use serde::{Deserialize, Serialize};

use crate::num::Num;
use crate::plan::Figures;
use crate::scenario::{Fairness, Scenario};

/// How many members each side of the list shows.
pub const LISTED: usize = 3;

/// The short list; empty when no member has a burden key or nothing is deployed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FairShareDoc {
    /// What the burden counts: `troops`, or `cost` with `fairness = "cost"`.
    pub measure: String,
    /// Most over their fair share first (burden ratio > 1).
    pub over: Vec<FairShareEntry>,
    /// Most under their fair share first (burden ratio < 1).
    pub under: Vec<FairShareEntry>,
}

impl FairShareDoc {
    /// Whether neither list has a member.
    pub fn is_empty(&self) -> bool {
        self.over.is_empty() && self.under.is_empty()
    }
}

/// One member on the list, with its burden against its fair share.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FairShareEntry {
    /// The member's id.
    pub member: String,
    /// The member's name.
    pub name: String,
    /// The member's burden (troops or cost, over all phases).
    pub burden: Num,
    /// Its fair share: key share x the coalition's total burden.
    pub fair: Num,
    /// burden - fair: above (> 0) or below (< 0) the fair share.
    pub difference: Num,
    /// Burden over fair share: 1 is exactly the fair share.
    pub burden_ratio: Num,
}

/// Ranks the members with a burden key by burden ratio.
pub fn fair_share_doc(scenario: &Scenario, figures: &Figures) -> FairShareDoc {
    let cost = scenario.fairness == Some(Fairness::Cost);
    let total = if cost {
        figures.total_cost
    } else {
        figures.total_troops
    };
    let mut ranked: Vec<(usize, f64, f64, f64)> = Vec::new();
    for (m, f) in figures.members.iter().enumerate() {
        let (Some(ratio), Some(key_share)) = (f.burden_ratio, f.key_share) else {
            continue;
        };
        let burden = if cost { f.cost } else { f.troops };
        ranked.push((m, ratio, burden, key_share * total));
    }
    // Highest ratio first; ties by member order, so the list is stable.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let entry = |&(m, ratio, burden, fair): &(usize, f64, f64, f64)| FairShareEntry {
        member: scenario.members[m].id.clone(),
        name: scenario.members[m].name.clone(),
        burden: Num::new(burden),
        fair: Num::new(fair),
        difference: Num::new(burden - fair),
        burden_ratio: Num::new(ratio),
    };
    const EVEN: f64 = 1e-9;
    let over = ranked
        .iter()
        .filter(|r| r.1 > 1.0 + EVEN)
        .take(LISTED)
        .map(entry)
        .collect();
    let under = ranked
        .iter()
        .rev()
        .filter(|r| r.1 < 1.0 - EVEN)
        .take(LISTED)
        .map(entry)
        .collect();
    FairShareDoc {
        measure: if cost { "cost" } else { "troops" }.into(),
        over,
        under,
    }
}
