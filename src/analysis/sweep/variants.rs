//! The variants of a sweep: every combination of axis values in order (grid or zip), each
//! repeated per Monte Carlo sample, with stable ids; the sweep's fingerprint; and the
//! scenario of one variant, its Monte Carlo draw included. The hash and the generator never
//! change with a crate upgrade, so ids, shards and draws stay reproducible.

use std::path::Path;

use super::{Axis, Mode, MonteCarlo, Sweep, Variant};
use crate::analysis::variant::{Change, apply, remove_members};
use crate::scenario::Scenario;

/// FNV-1a, 64 bits: stable across platforms and versions, for fingerprints and shards.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The fingerprint of a sweep: the hash of its file's text and its base scenario's file.
pub(super) fn fingerprint(text: &str, base_path: &Path) -> String {
    let base_bytes = std::fs::read(base_path).unwrap_or_default();
    format!(
        "{:016x}",
        fnv1a(&[text.as_bytes(), b"\0", &base_bytes].concat())
    )
}

/// Value indices of every variant, first axis outermost (grid) or side by side (zip).
pub(super) fn combinations(mode: Mode, axes: &[Axis]) -> Vec<Vec<usize>> {
    if axes.is_empty() {
        return vec![Vec::new()];
    }
    match mode {
        Mode::Zip => (0..axes[0].values.len())
            .map(|i| vec![i; axes.len()])
            .collect(),
        Mode::Grid => {
            let mut out = vec![Vec::new()];
            for axis in axes {
                out = out
                    .into_iter()
                    .flat_map(|prefix| {
                        (0..axis.values.len()).map(move |v| {
                            let mut next = prefix.clone();
                            next.push(v);
                            next
                        })
                    })
                    .collect();
            }
            out
        }
    }
}

/// The variants of `combinations`, in order, each once or once per Monte Carlo sample: ids
/// `v001` or `v001-s001`, zero-padded to at least three digits.
pub(super) fn variants(
    combinations: Vec<Vec<usize>>,
    monte_carlo: Option<MonteCarlo>,
) -> Vec<Variant> {
    let samples = monte_carlo.map_or(1, |m| m.samples as usize);
    let width = combinations.len().to_string().len().max(3);
    let sample_width = samples.to_string().len().max(3);
    let mut variants = Vec::with_capacity(combinations.len() * samples);
    for (i, values) in combinations.into_iter().enumerate() {
        match monte_carlo {
            None => variants.push(Variant {
                id: format!("v{:0width$}", i + 1),
                index: variants.len(),
                values,
                sample: None,
            }),
            Some(mc) => {
                for s in 1..=mc.samples {
                    variants.push(Variant {
                        id: format!("v{:0width$}-s{:0sample_width$}", i + 1, s),
                        index: variants.len(),
                        values: values.clone(),
                        sample: Some(s),
                    });
                }
            }
        }
    }
    variants
}

impl Sweep {
    /// The scenario of one variant, planned in whole units or not (`whole_units`: see
    /// [`Change::ScaleOffers`]).
    pub fn scenario(&self, variant: &Variant, whole_units: bool) -> (Scenario, Vec<String>) {
        let changes: Vec<Change> = variant
            .values
            .iter()
            .zip(&self.axes)
            .map(|(&v, axis)| axis.values[v].change.clone())
            .collect();
        let mut scenario = apply(&self.base, &changes, whole_units);
        let mut dropped = Vec::new();
        if let (Some(mc), Some(sample)) = (self.monte_carlo, variant.sample) {
            let mut rng =
                SplitMix64::new(mc.seed ^ fnv1a(variant.id.as_bytes()) ^ (u64::from(sample) << 32));
            for member in &scenario.members {
                if rng.next_f64() >= member.reliability {
                    dropped.push(member.id.clone());
                }
            }
            remove_members(&mut scenario, &dropped);
        }
        (scenario, dropped)
    }
}

/// SplitMix64: a small, well-mixed generator whose output never changes with a crate
/// upgrade, so Monte Carlo samples stay reproducible.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}
