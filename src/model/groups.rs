//! The pairs grouped by (offer, phase) and by (member, phase), in index order, so that the
//! rows summing over a phase (capacity, member caps) and over a member (burden) are built
//! in one pass each. Grouping adds nothing to the model.

use super::Build;

/// The pairs' groups that the rows use.
pub(super) struct PairGroups {
    /// By (offer, phase of the requirement).
    pub(super) by_offer_phase: Groups,
    /// By (member of the offer, phase of the requirement).
    pub(super) by_member_phase: Groups,
}

impl Build<'_> {
    /// The pairs grouped by (offer, phase) and (member, phase).
    pub(super) fn groups(&self) -> PairGroups {
        let scenario = self.scenario;
        let requirements = &scenario.requirements;
        let offers = &scenario.offers;
        let phases = scenario.phases.len();
        let by_offer_phase = Groups::new(
            self.pairs
                .iter()
                .map(|pair| (pair.offer, requirements[pair.requirement].phase)),
            offers.len(),
            phases,
        );
        let by_member_phase = Groups::new(
            self.pairs.iter().map(|pair| {
                (
                    offers[pair.offer].member,
                    requirements[pair.requirement].phase,
                )
            }),
            scenario.members.len(),
            phases,
        );
        PairGroups {
            by_offer_phase,
            by_member_phase,
        }
    }
}

/// Indices grouped by a (usize, usize) key, keys ascending and indices ascending within a
/// group: one counting sort of a flat vector (linear time) instead of a map of small vectors.
pub(super) struct Groups {
    /// Indices, ordered by (key, index).
    order: Vec<usize>,
    /// Each key and its range in `order`.
    groups: Vec<((usize, usize), std::ops::Range<usize>)>,
}

impl Groups {
    /// Groups the indices of `keys`, whose first parts are below `first` and second parts
    /// below `second`.
    fn new(keys: impl Iterator<Item = (usize, usize)>, first: usize, second: usize) -> Groups {
        let flat: Vec<usize> = keys.map(|(a, b)| a * second + b).collect();
        // Where each key's run starts in `order`: counts, then their running sums.
        let mut starts = vec![0usize; first * second + 1];
        for &k in &flat {
            starts[k + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut groups = Vec::new();
        for k in 0..first * second {
            if starts[k] < starts[k + 1] {
                groups.push(((k / second, k % second), starts[k]..starts[k + 1]));
            }
        }
        let mut order = vec![0; flat.len()];
        for (i, &k) in flat.iter().enumerate() {
            order[starts[k]] = i;
            starts[k] += 1;
        }
        Groups { order, groups }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = ((usize, usize), &[usize])> {
        self.groups
            .iter()
            .map(|(key, range)| (*key, &self.order[range.clone()]))
    }

    /// The indices of every group whose key starts with `first`, in order.
    pub(super) fn of_first(&self, first: usize) -> impl Iterator<Item = usize> + '_ {
        let start = self.groups.partition_point(|(key, _)| key.0 < first);
        let end = self.groups.partition_point(|(key, _)| key.0 <= first);
        let from = self.groups.get(start).map_or(0, |g| g.1.start);
        let to = if end > start {
            self.groups[end - 1].1.end
        } else {
            from
        };
        self.order[from..to].iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::Groups;

    #[test]
    fn groups_keep_keys_ascending_and_indices_in_order() {
        let keys = [(1, 0), (0, 2), (1, 0), (0, 0), (2, 1), (0, 2)];
        let g = Groups::new(keys.into_iter(), 3, 3);
        let groups: Vec<((usize, usize), Vec<usize>)> =
            g.iter().map(|(k, ix)| (k, ix.to_vec())).collect();
        assert_eq!(
            groups,
            [
                ((0, 0), vec![3]),
                ((0, 2), vec![1, 5]),
                ((1, 0), vec![0, 2]),
                ((2, 1), vec![4])
            ]
        );
        assert_eq!(g.of_first(0).collect::<Vec<_>>(), [3, 1, 5]);
        assert_eq!(g.of_first(1).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(g.of_first(2).collect::<Vec<_>>(), [4]);
    }
}
