//! A scenario built from data a program already holds (here a pledge table as CSV text in
//! memory, as it might come from a database or a web form), solved in whole units, with
//! who covers what and where the shortfalls are.
//!
//! `cargo run --release --example in_memory_table`

use forcegen::{MemberSpec, OfferSpec, Outcome, RequirementSpec, ScenarioBuilder, SolveOptions};

/// member, capability, domain, units, troops per unit
const PLEDGES: &str = "\
member,capability,domain,units,troops_per_unit
FRA,mech_inf_bn,land,2,600
FRA,fighter_sqn,air,1,150
POL,mech_inf_bn,land,3,650
POL,sam_battery,air,1,120
NOR,frigate,sea,1,180
NOR,fighter_sqn,air,1,140
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut scenario = ScenarioBuilder::new("eastern flank reassurance (illustrative)");
    for (id, name) in [("FRA", "France"), ("POL", "Poland"), ("NOR", "Norway")] {
        scenario = scenario.member(MemberSpec {
            name: Some(name.into()),
            ..MemberSpec::new(id)
        });
    }
    let mut table = csv::Reader::from_reader(PLEDGES.as_bytes());
    for record in table.records() {
        let record = record?;
        let mut offer = OfferSpec::new(&record[0], &record[1], &record[2], record[3].parse()?);
        offer.troops_per_unit = Some(record[4].parse()?);
        scenario = scenario.offer(offer);
    }
    scenario = scenario
        .requirement(RequirementSpec {
            priority: Some(1),
            max_share: Some(0.6), // no nation holds more than 60% of the land force
            ..RequirementSpec::new("land-1", "land", "mech_inf_bn", 4.0)
        })
        .requirement(RequirementSpec {
            priority: Some(1),
            ..RequirementSpec::new("air-defence-1", "air", "sam_battery", 2.0)
        })
        .requirement(RequirementSpec {
            priority: Some(2),
            min_members: Some(2), // air policing shared by two nations at least
            ..RequirementSpec::new("air-policing-1", "air", "fighter_sqn", 2.0)
        })
        .requirement(RequirementSpec::new("maritime-1", "sea", "frigate", 2.0));

    // Every problem at once, each located by its field path (e.g. `offers[3].units`).
    let loaded = match scenario.build() {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(65);
        }
    };
    for warning in &loaded.warnings {
        eprintln!("{warning}");
    }

    let options = SolveOptions {
        asks: false,
        ..SolveOptions::default()
    };
    let plan = match forcegen::solve(&loaded.scenario, &options)? {
        Outcome::Plan(plan) => plan,
        Outcome::Infeasible(doc) => {
            eprintln!("no plan meets the hard floors: {:?}", doc.unmet_floors);
            std::process::exit(1);
        }
    };
    let coverage = plan.coverage.as_ref().expect("a plan has coverage");
    println!(
        "{}: overall coverage {:.1}%",
        plan.scenario.name,
        100.0 * coverage.overall.raw()
    );
    println!("\nwho covers what (whole units):");
    for a in &plan.assignments {
        println!(
            "  {:<15} {:<4} {:>3} units",
            a.requirement,
            a.member,
            a.units.raw()
        );
    }
    println!("\nshortfalls:");
    for r in plan.requirements.iter().filter(|r| r.shortfall.raw() > 0.0) {
        println!(
            "  {:<15} priority {}: {} of {} {} ({:.0}% covered)",
            r.id,
            r.priority,
            r.covered.raw(),
            r.target.raw(),
            r.measure,
            100.0 * r.coverage.raw()
        );
    }
    Ok(())
}
