//! The whole Cloudflare API on the wire: the crate generated from ../shared/cloudflare/openapi.json
//! with a test per operation (and per security alternative), run against Prism in static mode
//! (answers from the spec's examples) and then for `WIRE_DYNAMIC_ROUNDS` rounds (default 3) in
//! dynamic mode (random valid answers). Prints a table of what was accepted and decoded, and
//! every failure grouped by its cause. Slow (a full build of the 330k-line crate), so ignored by
//! default; run it with:
//!
//! ```text
//! cargo test --release -p tests --test cloudflare_wire -- --ignored --nocapture
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use generator::config::Config;
use tests::prism::Prism;

#[test]
#[ignore = "builds the whole Cloudflare crate (minutes); see the module docs"]
fn every_cloudflare_operation_against_prism() {
    let Some(spec) = tests::shared_file("cloudflare/openapi.json") else { return };
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cloudflare-wire");
    let mut config = Config::derived();
    config.wire_tests = true;
    let generated = generator::generate_file(&spec, &config, "openapi.json")
        .unwrap_or_else(|d| panic!("the Cloudflare spec must generate: {:#?}", d.sorted()));
    let operations = generated.operations;
    let mut files = generated.files;
    let manifest = files.get_mut("Cargo.toml").expect("a manifest");
    manifest.push_str("\n[workspace]\n");
    generator::write::write(&root, &files).expect("write the crate");
    std::fs::copy(tests::repo().join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cloudflare-wire-target");
    let cargo_test = |extra: &[&str], url: Option<&str>| {
        let mut c = tests::cargo(&root, &target);
        c.args(["test", "--test", "operations"]).args(extra);
        if let Some(url) = url {
            c.env("WIRE_BASE_URL", url);
        }
        c.output().expect("run cargo test")
    };
    let started = std::time::Instant::now();
    let build = cargo_test(&["--no-run"], None);
    assert!(build.status.success(), "the crate's tests do not build:\n{}", String::from_utf8_lossy(&build.stderr));
    eprintln!("built the crate and its tests in {:.0} s", started.elapsed().as_secs_f64());

    let run = |prism: &Prism| {
        let out = cargo_test(&["--", "--test-threads", "8", "--show-output"], Some(&prism.url));
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let coerced: Vec<String> = stdout.lines().filter(|l| l.starts_with("coerced ")).map(String::from).collect();
        (outcomes(&stdout), coerced)
    };
    let prism = Prism::start(&spec);
    let (static_run, coerced) = run(&prism);
    drop(prism);
    report("static mode (answers from the spec's examples)", operations, &static_run);
    let coerced_ops: std::collections::BTreeSet<&str> =
        coerced.iter().filter_map(|l| l.strip_prefix("coerced ")?.split(':').next()).collect();
    eprintln!(
        "{} passing operations needed lenient decoding ({} values of the wrong JSON type in the spec's examples):",
        coerced_ops.len(),
        coerced.len()
    );
    for line in &coerced {
        eprintln!("  {line}");
    }

    let rounds: usize = std::env::var("WIRE_DYNAMIC_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut decoded = 0;
    let mut total = 0;
    let mut causes: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for round in 1..=rounds {
        let prism = Prism::start_dynamic(&spec);
        let (outcome, _) = run(&prism);
        total += outcome.len();
        decoded += outcome.values().filter(|o| o.is_none()).count();
        for (test, message) in outcome.iter().filter_map(|(t, m)| Some((t, m.as_ref()?))) {
            let entry = causes.entry(cause_of(message)).or_default();
            entry.0 += 1;
            if entry.1.is_empty() {
                entry.1 = format!("{test}: {}", message.chars().take(300).collect::<String>());
            }
        }
        eprintln!(
            "dynamic round {round}: {} of {} calls decoded",
            outcome.values().filter(|o| o.is_none()).count(),
            outcome.len()
        );
    }
    if total > 0 {
        eprintln!(
            "dynamic mode, {rounds} rounds: {decoded}/{total} calls accepted and decoded ({:.2}%)",
            100.0 * decoded as f64 / total as f64
        );
        let mut by_count: Vec<_> = causes.iter().collect();
        by_count.sort_by_key(|b| std::cmp::Reverse(b.1.0));
        for (cause, (n, example)) in by_count {
            eprintln!("  {n:5} × {cause}\n          e.g. {example}");
        }
    }
}

/// Test name → `None` when it passed, or its failure message.
fn outcomes(stdout: &str) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    for line in stdout.lines() {
        if let Some((name, verdict)) = line.strip_prefix("test ").and_then(|l| l.rsplit_once(" ... ")) {
            out.insert(name.to_string(), (verdict.trim() != "ok").then(String::new));
        }
    }
    // Failure messages: the line after `thread 'NAME' ... panicked at FILE:`.
    let lines: Vec<&str> = stdout.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if let Some(rest) = line.strip_prefix("thread '")
            && let Some((name, _)) = rest.split_once('\'')
            && let Some(Some(message)) = out.get_mut(name)
        {
            *message = lines.get(i + 1).unwrap_or(&"").to_string();
        }
    }
    out
}

/// A failure message without its operation, ids and values, so alike failures group together.
fn cause_of(message: &str) -> String {
    let message = message.split_once(": ").map_or(message, |(_, m)| m);
    if message.starts_with("HTTP 2") {
        return "the envelope says `success: false` under a 2xx (Prism's random boolean): Error::Api, by design".into();
    }
    if let Some(rest) = message.strip_prefix("HTTP ") {
        let status = rest.split(" from ").next().unwrap_or_default();
        let title = rest.split("\"title\":\"").nth(1).and_then(|t| t.split('"').next()).unwrap_or("");
        let said = if message.contains("the mock server says") { "request refused (sl-violations)" } else { title };
        return format!("HTTP {status}: {said}");
    }
    if message.starts_with("could not decode") {
        let kind = message.split("`: ").nth(1).unwrap_or(message);
        let kind = kind.split(" at line").next().unwrap_or(kind).split("; the body").next().unwrap_or(kind);
        return format!("decode: {}", without_values(kind));
    }
    without_values(&message.chars().take(120).collect::<String>())
}

/// Quoted strings become `"…"` and numbers `N`, so messages about different values group together.
fn without_values(text: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut last_digit = false;
    for c in text.chars() {
        match c {
            '"' if !quoted => {
                quoted = true;
                out.push_str("\"…");
            }
            '"' => {
                quoted = false;
                out.push('"');
            }
            _ if quoted => {}
            '0'..='9' => {
                if !last_digit {
                    out.push('N');
                }
                last_digit = true;
                continue;
            }
            _ => out.push(c),
        }
        last_digit = false;
    }
    out
}

fn report(title: &str, operations: usize, outcome: &BTreeMap<String, Option<String>>) {
    let failed: Vec<(&String, &String)> = outcome.iter().filter_map(|(n, o)| o.as_ref().map(|m| (n, m))).collect();
    // A failure message starts with the operationId; an operation fails when any of its tests do.
    let failed_ops: std::collections::BTreeSet<&str> =
        failed.iter().filter_map(|(_, m)| m.split(": ").next()).collect();
    eprintln!(
        "{title}: {} of {} tests passed ({operations} operations, one test per security alternative); \
         {} of {operations} operations accepted and decoded",
        outcome.len() - failed.len(),
        outcome.len(),
        operations - failed_ops.len()
    );
    for (name, message) in failed {
        eprintln!("  FAILED {name}: {message}");
    }
}
