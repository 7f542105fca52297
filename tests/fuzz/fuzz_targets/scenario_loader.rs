//! Fuzzes the scenario loader (TOML and CSV). The first byte of the input picks the file
//! to replace (the scenario TOML or one of its four CSV tables); the rest is its content.
//! The other files are the tutorial scenario's. The loader must not panic, and every
//! error must name a file of the scenario and, unless the whole file is at fault, a line.
#![no_main]

use forcegen::scenario::{ProblemKind, Severity, load};
use libfuzzer_sys::fuzz_target;

const FILES: [(&str, &[u8]); 5] = [
    (
        "scenario.toml",
        include_bytes!("../../../scenarios/tutorial/scenario.toml"),
    ),
    (
        "members.csv",
        include_bytes!("../../../scenarios/tutorial/members.csv"),
    ),
    (
        "offers.csv",
        include_bytes!("../../../scenarios/tutorial/offers.csv"),
    ),
    (
        "requirements.csv",
        include_bytes!("../../../scenarios/tutorial/requirements.csv"),
    ),
    (
        "substitutions.csv",
        include_bytes!("../../../scenarios/tutorial/substitutions.csv"),
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let target = usize::from(pick) % FILES.len();
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (i, (name, original)) in FILES.iter().enumerate() {
        let bytes = if i == target { content } else { original };
        std::fs::write(dir.path().join(name), bytes).expect("a writable temporary directory");
    }
    if let Err(err) = load(&dir.path().join("scenario.toml")) {
        assert!(err.error_count() > 0, "a load error without an error");
        for d in err
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            assert!(
                d.location.file.parent() == Some(dir.path()),
                "no file of the scenario in: {d}"
            );
            let whole_file =
                d.kind == ProblemKind::Unreadable || d.message.contains("larger than the limit");
            assert!(d.location.line.is_some() || whole_file, "no line in: {d}");
        }
    }
});
