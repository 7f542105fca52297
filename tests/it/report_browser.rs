//! `forcegen report` in a real browser: headless Chromium, driven over the DevTools protocol,
//! loads each page, which must render every chart with no console error (a blocked
//! external fetch, a script error, a CSP violation all count), and a full-page screenshot
//! is kept under the test's output directory.
//!
//! Chromium is found at `$FORCEGEN_CHROMIUM`, `/usr/bin/chromium` or on the PATH. Without
//! it the test is skipped with a notice, except under `CI`, where it fails.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use headless_chrome::protocol::cdp::Page;
use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::common::{AT_SCALE, code, forcegen, root, scenario, stderr};

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("FORCEGEN_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let default = PathBuf::from("/usr/bin/chromium");
    if default.is_file() {
        return Some(default);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
            .find(|p| p.is_file())
    })
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// Where screenshots are kept: under the target directory, kept after the test.
fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Console errors, uncaught exceptions and error log entries seen by a tab.
#[derive(Default)]
struct Errors(Mutex<Vec<String>>);

fn watch(tab: &Tab) -> Arc<Errors> {
    let errors = Arc::new(Errors::default());
    let seen = Arc::clone(&errors);
    tab.enable_log().unwrap();
    tab.enable_runtime().unwrap();
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let message = match event {
            Event::LogEntryAdded(e) if format!("{:?}", e.params.entry.level) == "Error" => {
                Some(format!("log: {}", e.params.entry.text))
            }
            Event::RuntimeConsoleAPICalled(e)
                if matches!(e.params.Type, ConsoleAPICalledEventTypeOption::Error) =>
            {
                Some(format!("console.error: {:?}", e.params.args))
            }
            Event::RuntimeExceptionThrown(e) => {
                Some(format!("exception: {}", e.params.exception_details.text))
            }
            _ => None,
        };
        if let Some(m) = message {
            seen.0.lock().unwrap().push(m);
        }
    }))
    .unwrap();
    errors
}

fn launch(user_data: &Path) -> Browser {
    let path = chromium().expect("checked by the caller");
    let flags = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ];
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .user_data_dir(Some(user_data.to_path_buf()))
        .window_size(Some((1100, 1000)))
        .idle_browser_timeout(Duration::from_secs(300))
        .args(flags.iter().map(OsStr::new).collect())
        .build()
        .expect("valid launch options");
    Browser::new(options).expect("headless chromium starts")
}

/// Loads `page` in a fresh tab: the console errors, and a check of each chart.
fn load(browser: &Browser, page: &Path) -> (Arc<Tab>, Vec<String>) {
    let tab = browser.new_tab().expect("a tab");
    tab.set_default_timeout(Duration::from_secs(60));
    let errors = watch(&tab);
    let url = format!("file://{}", page.display());
    tab.navigate_to(&url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    // Console events arrive asynchronously: let the page settle.
    std::thread::sleep(Duration::from_millis(500));
    let seen = errors.0.lock().unwrap().clone();
    (tab, seen)
}

/// Asserts that the chart `id` is rendered (a laid-out box) and shows `text`.
fn assert_chart(tab: &Tab, id: &str, text: &str) {
    let script = format!(
        "(() => {{ const e = document.getElementById({id:?}); if (!e) return 'missing';
           const r = e.getBoundingClientRect();
           if (e.tagName.toLowerCase() !== 'svg' || r.width < 200 || r.height < 40) return 'not laid out: ' + r.width + 'x' + r.height;
           if (e.querySelectorAll('rect, circle, line, polygon').length === 0) return 'empty';
           return e.textContent.includes({text:?}) ? 'ok' : 'lacks text'; }})()"
    );
    let result = tab.evaluate(&script, false).expect("evaluate").value;
    assert_eq!(
        result.and_then(|v| v.as_str().map(String::from)).as_deref(),
        Some("ok"),
        "chart {id} with {text:?}"
    );
}

/// Saves a screenshot of the whole page.
fn screenshot(tab: &Tab, name: &str) -> PathBuf {
    let height = tab
        .evaluate("document.documentElement.scrollHeight", false)
        .unwrap()
        .value
        .and_then(|v| v.as_f64())
        .unwrap_or(1000.0);
    let png = tab
        .call_method(Page::CaptureScreenshot {
            format: Some(Page::CaptureScreenshotFormatOption::Png),
            quality: None,
            clip: Some(Page::Viewport {
                x: 0.0,
                y: 0.0,
                width: 1100.0,
                height,
                scale: 1.0,
            }),
            from_surface: Some(true),
            capture_beyond_viewport: Some(true),
            optimize_for_speed: None,
        })
        .expect("a screenshot")
        .data;
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(png)
        .expect("base64 PNG");
    assert!(bytes.starts_with(b"\x89PNG"));
    let path = screenshot_dir().join(format!("{name}.png"));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn write_report(args: &[&str], out: &Path) {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(AT_SCALE);
    all.extend_from_slice(&["-o", out.to_str().unwrap(), "-q"]);
    let output = forcegen(&all);
    let expected = if args[0].contains("infeasible") { 3 } else { 0 };
    assert_eq!(code(&output), expected, "{}", stderr(&output));
}

#[test]
fn reports_render_in_headless_chromium_without_console_errors() {
    if chromium().is_none() {
        if in_ci() {
            panic!(
                "chromium is not installed, and CI is set: install it (apt-get install chromium)"
            );
        }
        eprintln!(
            "notice: skipping the browser test: chromium not found (install `chromium` or set FORCEGEN_CHROMIUM)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();

    let broken = dir.path().join("broken.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><html><body><script>console.error('deliberate'); undefined_function();</script></body></html>",
    )
    .unwrap();

    let flagship = scenario("paris-2026");
    let ci_sweep = root().join("scenarios/paris-2026/ci-sweep.toml");
    let infeasible = scenario("infeasible-floor");
    // (name, arguments, charts with a text each must show)
    type Page<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>);
    let pages: [Page; 3] = [
        (
            "paris-2026",
            vec![flagship.to_str().unwrap(), "--stress"],
            vec![
                ("chart-heatmap", "all phases"),
                ("chart-requirements", "Priority 1"),
                ("chart-burden", "vs fair"),
                ("chart-asks", "pts"),
                ("chart-tornado", "USA"),
            ],
        ),
        (
            "paris-2026-ci-sweep",
            vec![ci_sweep.to_str().unwrap()],
            vec![("chart-distribution", "median"), ("chart-axis-1", "USA")],
        ),
        (
            "infeasible-floor",
            vec![infeasible.to_str().unwrap()],
            vec![("chart-floors", "maritime-escort-1")],
        ),
    ];
    // The reports are written before the browser starts, so that a slow solve cannot
    // outlast the browser's idle timeout.
    for (name, args, _) in &pages {
        write_report(args, &dir.path().join(format!("{name}.html")));
    }
    let browser = launch(&dir.path().join("profile"));
    // The harness itself must see console errors, or its silence below would mean nothing.
    let (_, errors) = load(&browser, &broken);
    assert!(
        errors.iter().any(|e| e.contains("deliberate")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.contains("exception")), "{errors:?}");
    for (name, _, charts) in &pages {
        let out = dir.path().join(format!("{name}.html"));
        let (tab, errors) = load(&browser, &out);
        assert!(errors.is_empty(), "{name}: console errors: {errors:?}");
        for (id, text) in charts {
            assert_chart(&tab, id, text);
        }
        let shot = screenshot(&tab, name);
        eprintln!("screenshot: {}", shot.display());
    }
}
