//! `forcegen check`: solve, then compare coverage with thresholds; exit 1 below any.

use std::collections::BTreeMap;

use crate::num::round9;
use crate::pipeline::solve_scenario;
use crate::plan::Coverage;
use crate::report::check::{CheckDoc, CheckResult, render};
use crate::scenario::Scenario;

use super::CheckArgs;
use super::common::{
    CliError, ExitCode, Ui, format_or_default, load_scenario, plan_failure, print, settings,
};

/// Thresholds from `[checks]`, with the flags added (a flag overrides the same key).
fn thresholds(
    scenario: &Scenario,
    args: &CheckArgs,
) -> Result<Vec<(String, String, f64)>, CliError> {
    let mut domain: BTreeMap<String, f64> = scenario.checks.min_domain_coverage.clone();
    let mut phase: BTreeMap<String, f64> = scenario.checks.min_phase_coverage.clone();
    let mut priority: BTreeMap<String, f64> = scenario
        .checks
        .min_priority_coverage
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    let unknown = |what: &str, name: &str, known: Vec<String>| {
        CliError::Usage(format!(
            "unknown {what} `{name}` (known: {})",
            known.join(", ")
        ))
    };
    for (name, value) in &args.min_domain_coverage {
        if scenario.domain_index(name).is_none() {
            return Err(unknown("domain", name, scenario.domains.clone()));
        }
        domain.insert(name.clone(), *value);
    }
    for (name, value) in &args.min_phase_coverage {
        if scenario.phase_index(name).is_none() {
            let known = scenario.phases.iter().map(|p| p.id.clone()).collect();
            return Err(unknown("phase", name, known));
        }
        phase.insert(name.clone(), *value);
    }
    for (name, value) in &args.min_priority_coverage {
        if !matches!(name.as_str(), "1" | "2" | "3" | "4" | "5") {
            return Err(unknown(
                "priority",
                name,
                (1..=5).map(|l: u8| l.to_string()).collect(),
            ));
        }
        priority.insert(name.clone(), *value);
    }
    let mut out = Vec::new();
    if let Some(min) = args.min_coverage.or(scenario.checks.min_coverage) {
        out.push(("overall".to_string(), String::new(), min));
    }
    out.extend(
        domain
            .into_iter()
            .map(|(k, v)| ("domain".to_string(), k, v)),
    );
    out.extend(phase.into_iter().map(|(k, v)| ("phase".to_string(), k, v)));
    out.extend(
        priority
            .into_iter()
            .map(|(k, v)| ("priority".to_string(), k, v)),
    );
    if out.is_empty() {
        return Err(CliError::Usage(
            "no thresholds: give --min-coverage, --min-domain-coverage, --min-phase-coverage or --min-priority-coverage, or a [checks] section in the scenario".into(),
        ));
    }
    Ok(out)
}

fn evaluate(
    scenario: &Scenario,
    coverage: &Coverage,
    thresholds: &[(String, String, f64)],
) -> Vec<CheckResult> {
    thresholds
        .iter()
        .map(|(kind, name, min)| {
            let value = match kind.as_str() {
                "overall" => Some(coverage.overall),
                "domain" => scenario
                    .domain_index(name)
                    .and_then(|d| coverage.by_domain[d]),
                "phase" => scenario
                    .phase_index(name)
                    .and_then(|p| coverage.by_phase[p]),
                _ => coverage
                    .by_priority
                    .iter()
                    .find(|(level, _)| level.to_string() == *name)
                    .map(|(_, c)| *c),
            };
            // A group without requirements has nothing to fall short on.
            let value = round9(value.unwrap_or(1.0));
            let check = if kind == "overall" {
                "overall coverage".to_string()
            } else {
                format!("{kind} {name} coverage")
            };
            CheckResult {
                check,
                threshold: *min,
                coverage: value,
                // A tolerance of 1e-6: 99.99995% meets a 100% threshold.
                passed: value + 1e-6 >= *min,
            }
        })
        .collect()
}

pub fn run(ui: &Ui, args: &CheckArgs) -> Result<ExitCode, CliError> {
    let scenario = load_scenario(ui, &args.scenario, args.strict)?;
    let thresholds = thresholds(&scenario, args)?;
    let settings = settings(&scenario, &args.solver)?;
    let planned = solve_scenario(&scenario, &settings)
        .map_err(|e| plan_failure(&scenario, settings.backend, e))?;
    let results = evaluate(&scenario, &planned.figures.coverage, &thresholds);
    let passed = results.iter().all(|r| r.passed);
    let doc = CheckDoc {
        scenario: scenario.name.clone(),
        status: planned.plan.status.name().to_string(),
        passed,
        checks: results,
    };
    let bytes = render(&doc, format_or_default(args.format));
    let results = doc.checks;
    print(&bytes)?;
    if passed {
        Ok(ExitCode::Success)
    } else {
        let failed: Vec<String> = results
            .iter()
            .filter(|r| !r.passed)
            .map(|r| {
                format!(
                    "\n  {}: {:.1}% < {:.1}%",
                    r.check,
                    r.coverage * 100.0,
                    r.threshold * 100.0
                )
            })
            .collect();
        Err(CliError::CheckFailed(format!(
            "coverage is below a threshold:{}",
            failed.concat()
        )))
    }
}
