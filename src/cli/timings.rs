//! The peak memory of this process, for `-v` / `--timings` (the breakdown itself is
//! `report::timings`).

/// The peak resident set size of this process (`VmHWM` in /proc/self/status, Linux).
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn peak_memory_is_read_on_linux() {
        assert!(peak_memory_bytes().is_some_and(|b| b > 0));
    }
}
