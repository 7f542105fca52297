//! Small hand-built scenarios for unit tests.

use super::*;

/// One member offering six mechanised infantry battalions against one requirement for
/// four, in two phases (the first one surge).
pub(crate) fn tiny() -> Scenario {
    Scenario {
        name: "tiny".into(),
        description: String::new(),
        domains: vec!["land".into(), "sea".into(), "air".into()],
        phases: vec![
            Phase {
                id: "surge".into(),
                sustained: false,
            },
            Phase {
                id: "hold".into(),
                sustained: true,
            },
        ],
        members: vec![Member {
            id: "AAA".into(),
            name: "Alpha".into(),
            burden_key: Some(1.0),
            max_troops: None,
            max_cost: None,
            caveats: vec![],
            reliability: 1.0,
        }],
        offers: vec![Offer {
            id: "AAA/mech_inf_bn/1".into(),
            member: 0,
            capability: "mech_inf_bn".into(),
            domain: 0,
            units: 6.0,
            troops_per_unit: 600.0,
            cost_per_unit: 10.0,
            readiness_days: 0.0,
            rotation: 1.0,
            phases: vec![0, 1],
            equipment: vec![("ifv".into(), 44.0)],
        }],
        requirements: vec![Requirement {
            id: "land-1".into(),
            domain: 0,
            capability: CapabilityWanted::Named("mech_inf_bn".into()),
            phase: 0,
            measure: Measure::Units,
            target: 4.0,
            minimum: 0.0,
            priority: 1,
            max_readiness_days: None,
            max_share: 1.0,
            min_members: 1,
            excluded_caveats: vec![],
            lead: None,
            lead_share: 0.0,
            region: String::new(),
            description: String::new(),
        }],
        substitutions: vec![],
        fairness: None,
        solver: SolverSettings::default(),
        checks: Checks::default(),
    }
}
