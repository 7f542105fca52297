//! `forcegen completions` and `forcegen man`: both come from the clap definitions, and
//! both must cover every command (a new command goes into [`COMMANDS`]).

use crate::common::{code, forcegen, forcegen_in, stderr, stdout};

const COMMANDS: [&str; 12] = [
    "validate",
    "solve",
    "check",
    "sweep",
    "merge",
    "stress",
    "compare",
    "export",
    "schema",
    "init",
    "completions",
    "man",
];

#[test]
fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = forcegen(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", stderr(&out));
        let text = stdout(&out);
        for command in COMMANDS {
            assert!(text.contains(command), "{shell}: no {command}");
        }
        assert!(text.contains("stage") && text.contains("mps"), "{shell}");
    }
    assert_eq!(code(&forcegen(&["completions", "tcsh"])), 2);
}

#[test]
fn man_pages_cover_every_command() {
    let out = forcegen(&["man"]);
    assert_eq!(code(&out), 0);
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH forcegen 1"),
        "{page}"
    );
    assert!(page.contains(".TH forcegen 1"));
    for command in COMMANDS {
        assert!(
            page.contains(command),
            "forcegen.1 does not mention {command}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = forcegen_in(dir.path(), &["man", "--out", "man"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for command in COMMANDS {
        let sub = std::fs::read_to_string(dir.path().join(format!("man/forcegen-{command}.1")))
            .unwrap_or_else(|_| panic!("no forcegen-{command}.1"));
        assert!(sub.contains(&format!(".TH forcegen-{command} 1")), "{sub}");
    }
    let export = std::fs::read_to_string(dir.path().join("man/forcegen-export.1")).unwrap();
    assert!(export.contains("mps") && export.contains("stage"));
}
