//! Stress test: every combination of k members withdrawn, each variant solved in full
//! (docs/spec.md, "Stress tests"), plus the single points of failure: requirements that some
//! member or pair of members alone can leave without any eligible offer.
//!
//! The variants are solved in parallel on a rayon pool chosen by the caller; results come
//! back in combination order, and each solve is deterministic, so the outcome is the same
//! whatever the number of threads.

use rayon::prelude::*;

use crate::analysis::variant::{Change, apply};
use crate::num::round9;
use crate::pipeline::{PlanError, Planned, solve_scenario};
use crate::scenario::{Scenario, SolverSettings};
use crate::solve::Status;

use super::progress::{Counter, Progress};

/// What one solve gave, in the figures a stress test compares.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub status: Status,
    pub overall: f64,
    /// By domain index; `None` for a domain without requirements.
    pub by_domain: Vec<Option<f64>>,
    pub troops: f64,
    pub cost: f64,
}

impl Summary {
    pub fn of(planned: &Planned) -> Summary {
        let f = &planned.figures;
        Summary {
            status: planned.plan.status,
            overall: f.coverage.overall,
            by_domain: f.coverage.by_domain.clone(),
            troops: f.total_troops,
            cost: f.total_cost,
        }
    }
}

/// How the solve of one withdrawal ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A verified plan (optimal, or the best found within the time limit).
    Solved(Summary),
    /// Hard floors cannot be met without the withdrawn members: their requirement indices.
    Infeasible(Vec<usize>),
    /// The solve failed (solver failure, or a plan that failed verification).
    Error(String),
}

impl Outcome {
    /// `optimal`, `time_limit`, `infeasible` or `error`.
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Solved(s) => s.status.name(),
            Outcome::Infeasible(_) => "infeasible",
            Outcome::Error(_) => "error",
        }
    }

    pub fn summary(&self) -> Option<&Summary> {
        match self {
            Outcome::Solved(s) => Some(s),
            _ => None,
        }
    }
}

/// One combination of members withdrawn and what the coalition covers without them.
#[derive(Clone, Debug, PartialEq)]
pub struct Withdrawal {
    /// Indices into the base scenario's members, ascending.
    pub members: Vec<usize>,
    pub outcome: Outcome,
}

/// A requirement with eligible supply in the base that a withdrawal leaves with none.
#[derive(Clone, Debug, PartialEq)]
pub struct SinglePoint {
    pub requirement: usize,
    /// The smallest withdrawals (base member indices, ascending) that leave the requirement
    /// without any eligible offer: exactly the members holding all of its eligible supply.
    /// Any withdrawal that contains one of these does so too.
    pub withdrawn: Vec<Vec<usize>>,
}

/// The result of a stress test.
#[derive(Clone, Debug)]
pub struct Stress {
    pub k: usize,
    pub base: Summary,
    /// In combination order (lexicographic in member order).
    pub withdrawals: Vec<Withdrawal>,
    /// By priority, then requirement order.
    pub single_points: Vec<SinglePoint>,
}

/// Every combination of `k` of `n` indices, ascending within and in lexicographic order.
pub fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn extend(
        start: usize,
        n: usize,
        k: usize,
        current: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if current.len() == k {
            out.push(current.clone());
            return;
        }
        for i in start..n {
            current.push(i);
            extend(i + 1, n, k, current, out);
            current.pop();
        }
    }
    let mut out = Vec::new();
    if k <= n {
        extend(0, n, k, &mut Vec::with_capacity(k), &mut out);
    }
    out
}

fn member_ids(scenario: &Scenario, members: &[usize]) -> Vec<String> {
    members
        .iter()
        .map(|&m| scenario.members[m].id.clone())
        .collect()
}

/// Solves `scenario` without `members` (base indices).
pub fn solve_withdrawal(
    scenario: &Scenario,
    settings: &SolverSettings,
    members: &[usize],
) -> Outcome {
    let variant = apply(
        scenario,
        &[Change::RemoveMembers(member_ids(scenario, members))],
        settings.integer,
    );
    match solve_scenario(&variant, settings) {
        Ok(planned) => Outcome::Solved(Summary::of(&planned)),
        // Withdrawing members keeps every requirement, in order, so indices still hold.
        Err(PlanError::Infeasible(floors)) => {
            Outcome::Infeasible(floors.iter().map(|f| f.requirement).collect())
        }
        Err(err) => Outcome::Error(err.to_string()),
    }
}

/// Runs the stress test: every combination of `k` members withdrawn from `scenario`, solved
/// on `pool` against the already solved `base`; `progress` advances once per withdrawal.
pub fn stress(
    scenario: &Scenario,
    settings: &SolverSettings,
    base: &Planned,
    k: usize,
    pool: &rayon::ThreadPool,
    progress: Progress<'_>,
) -> Stress {
    let combos = combinations(scenario.members.len(), k);
    let counter = Counter::new(combos.len() as u64, progress);
    let withdrawals = pool.install(|| {
        // One withdrawal per task: some solve a hundred times slower than others.
        combos
            .into_par_iter()
            .with_max_len(1)
            .map(|members| {
                let outcome = solve_withdrawal(scenario, settings, &members);
                counter.advance(1);
                Withdrawal { members, outcome }
            })
            .collect()
    });
    Stress {
        k,
        base: Summary::of(base),
        withdrawals,
        single_points: single_points_of_failure(scenario, k),
    }
}

/// Requirements with eligible supply in `scenario` that withdrawing at most `k` members
/// leaves with no eligible offer at all: those whose eligible offers belong to `k` members or
/// fewer. Checked on the variant itself with [`Scenario::coefficient`].
pub fn single_points_of_failure(scenario: &Scenario, k: usize) -> Vec<SinglePoint> {
    let mut out = Vec::new();
    for (q, requirement) in scenario.requirements.iter().enumerate() {
        let mut holders: Vec<usize> = scenario
            .offers
            .iter()
            .filter(|o| scenario.coefficient(o, requirement).is_some())
            .map(|o| o.member)
            .collect();
        holders.sort_unstable();
        holders.dedup();
        if holders.is_empty() || holders.len() > k {
            continue;
        }
        let variant = apply(
            scenario,
            &[Change::RemoveMembers(member_ids(scenario, &holders))],
            true,
        );
        let r = &variant.requirements[q];
        if variant
            .offers
            .iter()
            .all(|o| variant.coefficient(o, r).is_none())
        {
            out.push(SinglePoint {
                requirement: q,
                withdrawn: vec![holders],
            });
        }
    }
    out.sort_by_key(|p| (scenario.requirements[p.requirement].priority, p.requirement));
    out
}

impl Stress {
    /// Overall coverage lost by a withdrawal (base minus variant), where it solved.
    pub fn loss(&self, w: &Withdrawal) -> Option<f64> {
        w.outcome.summary().map(|s| self.base.overall - s.overall)
    }

    /// Coverage lost in domain `d`, where it solved and the domain has requirements.
    pub fn domain_loss(&self, w: &Withdrawal, d: usize) -> Option<f64> {
        let s = w.outcome.summary()?;
        Some(self.base.by_domain[d]? - s.by_domain[d]?)
    }

    /// Indices into `withdrawals`, worst first: infeasible withdrawals (a hard floor can no
    /// longer be met), then by overall coverage lost (rounded to 1e-9, largest first), then
    /// failed solves; ties by the withdrawn members' ids.
    pub fn ranking(&self, scenario: &Scenario) -> Vec<usize> {
        let key = |i: usize| {
            let w = &self.withdrawals[i];
            let class = match w.outcome {
                Outcome::Infeasible(_) => 0,
                Outcome::Solved(_) => 1,
                Outcome::Error(_) => 2,
            };
            (class, -round9(self.loss(w).unwrap_or(0.0)))
        };
        let mut order: Vec<usize> = (0..self.withdrawals.len()).collect();
        order.sort_by(|&a, &b| {
            let (ca, la) = key(a);
            let (cb, lb) = key(b);
            ca.cmp(&cb).then(la.total_cmp(&lb)).then_with(|| {
                member_ids(scenario, &self.withdrawals[a].members)
                    .cmp(&member_ids(scenario, &self.withdrawals[b].members))
            })
        });
        order
    }

    /// The (at most `n`) withdrawals that cost domain `d` the most coverage, worst first;
    /// only those that solved and lost some (more than 1e-9), ties by the members' ids.
    pub fn worst_in_domain(&self, scenario: &Scenario, d: usize, n: usize) -> Vec<(usize, f64)> {
        let mut rows: Vec<(usize, f64)> = self
            .withdrawals
            .iter()
            .enumerate()
            .filter_map(|(i, w)| {
                let loss = round9(self.domain_loss(w, d)?);
                (loss > 0.0).then_some((i, loss))
            })
            .collect();
        rows.sort_by(|a, b| {
            b.1.total_cmp(&a.1).then_with(|| {
                member_ids(scenario, &self.withdrawals[a.0].members)
                    .cmp(&member_ids(scenario, &self.withdrawals[b.0].members))
            })
        });
        rows.truncate(n);
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Member;
    use crate::scenario::tests_support::tiny;

    fn summary(overall: f64) -> Summary {
        Summary {
            status: Status::Optimal,
            overall,
            by_domain: vec![Some(overall), None, None],
            troops: 0.0,
            cost: 0.0,
        }
    }

    #[test]
    fn ranking_puts_infeasible_first_then_losses_then_errors_ties_by_id() {
        let mut s = tiny();
        // Members in file order E, D, C, B, A: ties must follow ids, not file order.
        s.members = ["EEE", "DDD", "CCC", "BBB", "AAA"]
            .iter()
            .map(|id| Member {
                id: id.to_string(),
                ..s.members[0].clone()
            })
            .collect();
        let withdrawal = |m: usize, outcome: Outcome| Withdrawal {
            members: vec![m],
            outcome,
        };
        let result = Stress {
            k: 1,
            base: summary(0.9),
            withdrawals: vec![
                withdrawal(0, Outcome::Solved(summary(0.8))),
                withdrawal(1, Outcome::Error("boom".into())),
                withdrawal(2, Outcome::Solved(summary(0.7))),
                withdrawal(3, Outcome::Infeasible(vec![0])),
                withdrawal(4, Outcome::Solved(summary(0.8 + 1e-12))),
            ],
            single_points: Vec::new(),
        };
        let ranked: Vec<&str> = result
            .ranking(&s)
            .into_iter()
            .map(|i| s.members[result.withdrawals[i].members[0]].id.as_str())
            .collect();
        // AAA and EEE lose the same (to 1e-9): by id.
        assert_eq!(ranked, ["BBB", "CCC", "AAA", "EEE", "DDD"]);
        let worst: Vec<usize> = result
            .worst_in_domain(&s, 0, 2)
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        assert_eq!(worst, [2, 4]);
        assert_eq!(result.domain_loss(&result.withdrawals[0], 1), None);
    }

    #[test]
    fn combinations_are_lexicographic_and_complete() {
        assert_eq!(combinations(3, 1), vec![vec![0], vec![1], vec![2]]);
        assert_eq!(
            combinations(4, 2),
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
        assert_eq!(combinations(33, 2).len(), 528);
        assert!(combinations(1, 2).is_empty());
    }
}
