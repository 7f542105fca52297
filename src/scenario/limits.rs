//! Sizes and magnitudes beyond which input is refused (exit 65) rather than allowed to
//! exhaust memory or break the arithmetic. Documented in the README under "Reliability".

/// The largest input file (TOML or CSV), in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The most rows in one table (members, offers, requirements, substitutions).
pub const MAX_ROWS: usize = 100_000;

/// The most eligible offer-requirement pairs (columns of the model): about 1.6 KiB of peak
/// memory each with HiGHS (1.49 GiB for 978,615 pairs), so some 16 GiB at the limit.
pub const MAX_PAIRS: usize = 10_000_000;

/// The largest magnitude of any number (units, troops, costs, targets, keys...): beyond it,
/// products of such numbers lose the precision the solver and the checker rely on.
pub const MAX_MAGNITUDE: f64 = 1e12;

/// The smallest magnitude of a non-zero number: below it, a value is round-off to the
/// solver (whose tolerances are about 1e-7 to 1e-9).
pub const MIN_MAGNITUDE: f64 = 1e-9;

/// Why a finite number in range is still refused, if it is.
pub(crate) fn magnitude_problem(x: f64) -> Option<String> {
    if x.abs() > MAX_MAGNITUDE {
        Some("is too large: numbers must be at most 1e12".to_string())
    } else if x != 0.0 && x.abs() < MIN_MAGNITUDE {
        Some("is too small: a non-zero number must be at least 1e-9".to_string())
    } else {
        None
    }
}
