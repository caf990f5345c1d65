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
use std::process::Command;

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
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cloudflare-wire-target");
    let cargo_test = |extra: &[&str], url: Option<&str>| {
        let mut c = Command::new(&cargo);
        c.args(["test", "--test", "operations"]).args(extra).current_dir(&root).env("CARGO_TARGET_DIR", &target);
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
        let out = cargo_test(&["--", "--test-threads", "8"], Some(&prism.url));
        outcomes(&String::from_utf8_lossy(&out.stdout))
    };
    let prism = Prism::start(&spec);
    let static_run = run(&prism);
    drop(prism);
    report("static mode (answers from the spec's examples)", operations, &static_run);

    let rounds: usize = std::env::var("WIRE_DYNAMIC_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut decoded = 0;
    let mut total = 0;
    let mut causes: BTreeMap<String, usize> = BTreeMap::new();
    for round in 1..=rounds {
        let prism = Prism::start_dynamic(&spec);
        let outcome = run(&prism);
        total += outcome.len();
        decoded += outcome.values().filter(|o| o.is_none()).count();
        for cause in outcome.values().flatten() {
            *causes.entry(cause_of(cause)).or_default() += 1;
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
        for (cause, n) in &causes {
            eprintln!("  {n:5} × {cause}");
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
    if let Some(start) = message.find("\"message\":\"") {
        let rest = &message[start + 11..];
        let end = rest.find('"').unwrap_or(rest.len());
        return format!("flagged by Prism: {}", &rest[..end]);
    }
    let cut: String = message.chars().take(140).collect();
    cut.split(" the body starts with").next().unwrap_or_default().to_string()
}

fn report(title: &str, operations: usize, outcome: &BTreeMap<String, Option<String>>) {
    let failed: Vec<(&String, &String)> = outcome.iter().filter_map(|(n, o)| o.as_ref().map(|m| (n, m))).collect();
    eprintln!(
        "{title}: {} of {} tests passed ({operations} operations, one test per security alternative)",
        outcome.len() - failed.len(),
        outcome.len()
    );
    for (name, message) in failed {
        eprintln!("  FAILED {name}: {message}");
    }
}
