//! The start of every model: the labels that names refer to, then a column x(o, q) for each
//! eligible (offer, requirement) pair, bounded by what the offer holds in the requirement's
//! phase. These are the model's first columns, in pair order.

use super::{Build, FormulationOptions, Ids, LinearModel, Pair, named};
use crate::scenario::{OfferIndex, Scenario};

impl<'a> Build<'a> {
    /// The labels and the columns x(o, q), with nothing else in the model yet.
    pub(super) fn new(scenario: &'a Scenario, options: FormulationOptions) -> Build<'a> {
        let mut lp = LinearModel::default();
        let offers = &scenario.offers;
        let requirements = &scenario.requirements;
        // The ids that names refer to.
        let ids = Ids {
            offer: lp.add_labels(offers.iter().map(|o| o.id.as_str())),
            requirement: lp.add_labels(requirements.iter().map(|r| r.id.as_str())),
            member: lp.add_labels(scenario.members.iter().map(|m| m.id.as_str())),
            phase: lp.add_labels(scenario.phases.iter().map(|p| p.id.as_str())),
        };

        // Variables x(o, q) for eligible pairs, bounded by what the offer holds in that phase.
        let mut pairs = Vec::new();
        let index = OfferIndex::new(scenario);
        for (q, requirement) in requirements.iter().enumerate() {
            let sustained = scenario.phases[requirement.phase].sustained;
            for (o, coefficient) in index.eligible(scenario, requirement) {
                let offer = &offers[o];
                let rotation = if sustained { offer.rotation } else { 1.0 };
                let mut upper = offer.units / rotation;
                if options.integer {
                    upper = (upper + 1e-9).floor();
                }
                let column = lp.add_column(
                    named("x", ids.offer.at(o), ids.requirement.at(q)),
                    0.0,
                    upper,
                    options.integer,
                );
                pairs.push(Pair {
                    offer: o,
                    requirement: q,
                    coefficient,
                    column,
                });
            }
        }
        // The pairs' columns come first, in pair order: pair i is column i, which the rows
        // use instead of looking the pair up.
        debug_assert!(pairs.iter().enumerate().all(|(i, pair)| pair.column == i));
        let mut pairs_of_requirement: Vec<Vec<usize>> = vec![Vec::new(); requirements.len()];
        for (i, pair) in pairs.iter().enumerate() {
            pairs_of_requirement[pair.requirement].push(i);
        }
        Build {
            scenario,
            options,
            lp,
            ids,
            pairs,
            pairs_of_requirement,
        }
    }
}
