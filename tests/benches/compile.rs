//! What the whole generated Cloudflare crate costs to compile (issue #13, "measure first").
//!
//! `cargo bench -p tests --bench compile` generates the crate from ../shared/cloudflare/openapi.json
//! into `target/compile-bench/`, builds its dependencies once, then measures the crate alone:
//! `cargo check` of every resource group (the default features), the same with `serde-all` (every
//! type deriving both serde traits, as before they were derived where used), a debug `cargo build`,
//! `cargo check` of a typical resource group (`dns_records`) and of the largest (by generated
//! lines), each with the wall time and the peak RSS of the largest process (rustc). It also counts generated lines and items.
//! The figures go to stdout and `target/compile-bench/report.md`. Expect 10–20 minutes on 2 cores.
//! Words after `--` keep only the measurements whose label contains one of them
//! (`cargo bench -p tests --bench compile -- "check, all"`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tests::corpus::run_measured;

const TIMEOUT: Duration = Duration::from_secs(3600);

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` runs bench targets with --test: nothing to do then.
    }
    let Some(spec) = tests::shared_file("cloudflare/openapi.json") else {
        eprintln!("../shared/cloudflare/openapi.json not found: the benchmark needs ../shared beside the checkout");
        std::process::exit(2);
    };
    let root = tests::repo().join("target/compile-bench");
    let dir = root.join("crate");
    let generated = generator::generate_file(&spec, &generator::config::Config::derived(), "openapi.json")
        .unwrap_or_else(|d| panic!("the Cloudflare spec must generate: {:#?}", d.sorted()));
    let _ = std::fs::remove_dir_all(&dir);
    generator::write::write(&dir, &generated.files).expect("write the crate");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
    std::fs::write(dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n")).expect("manifest");
    std::fs::copy(tests::repo().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
    let package = manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("the manifest names its package")
        .to_string();
    let target = root.join("target");
    let (lines, items, groups) = census(&dir);
    let largest = groups.iter().max_by_key(|(_, n)| **n).map(|(g, _)| g.clone()).expect("resource groups");

    // Dependencies first, for check and for build, so the runs below measure the crate alone.
    for step in ["check", "build"] {
        let deps = tests::cargo(&dir, &target).args([step, "--quiet", "--no-default-features"]).status();
        assert!(deps.is_ok_and(|s| s.success()), "the dependencies do not {step}");
    }
    let runs: Vec<(String, Vec<String>)> = vec![
        ("check, every group (the default features)".into(), vec!["check".into()]),
        ("check, all features (every group and `serde-all`)".into(), vec!["check".into(), "--all-features".into()]),
        ("build (debug), every group".into(), vec!["build".into()]),
        (
            "check, `dns_records` only".into(),
            vec!["check".into(), "--no-default-features".into(), "--features".into(), "dns_records".into()],
        ),
        (
            format!("check, `{largest}` only (the largest group)"),
            vec!["check".into(), "--no-default-features".into(), "--features".into(), largest.clone()],
        ),
    ];
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let runs: Vec<(String, Vec<String>)> = runs
        .into_iter()
        .filter(|(what, _)| wanted.is_empty() || wanted.iter().any(|w| what.contains(w.as_str())))
        .collect();
    let mut report = String::new();
    let _ = writeln!(
        report,
        "Whole Cloudflare crate: {} operations, {lines} generated lines ({:.0} per operation), {}.\n",
        generated.operations,
        lines as f64 / generated.operations.max(1) as f64,
        items.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", ")
    );
    report.push_str("| what | wall | rustc peak RSS |\n| --- | ---: | ---: |\n");
    for (what, args) in runs {
        let clean = tests::cargo(&dir, &target).args(["clean", "--quiet", "-p", &package]).status();
        assert!(clean.is_ok_and(|s| s.success()), "cargo clean -p {package}");
        let mut command = tests::cargo(&dir, &target);
        command.args(&args).arg("--quiet");
        let run = run_measured(command, TIMEOUT);
        assert_eq!(run.code, Some(0), "{what} failed:\n{}", run.stderr);
        let row = format!(
            "| {what} | {:.1} s | {:.2} GiB |",
            run.wall.as_secs_f64(),
            run.peak_kib as f64 / (1024.0 * 1024.0)
        );
        println!("{row}");
        let _ = writeln!(report, "{row}");
    }
    std::fs::write(root.join("report.md"), &report).expect("write the report");
    println!("\n{report}");
}

/// Generated lines (Rust files outside the runtime), item counts, and lines per resource group.
fn census(dir: &Path) -> (usize, BTreeMap<&'static str, usize>, BTreeMap<String, usize>) {
    let mut lines = 0;
    let mut items: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut groups: BTreeMap<String, usize> = BTreeMap::new();
    let src = dir.join("src");
    let mut stack: Vec<PathBuf> = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read the crate").flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(&src).unwrap_or(&path).to_string_lossy().into_owned();
            if rel.starts_with("runtime") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let n = text.lines().count();
            lines += n;
            let group = rel.split(['/', '.']).next().unwrap_or_default().to_string();
            *groups.entry(group).or_default() += n;
            for line in text.lines() {
                let kind = match line.trim_start() {
                    l if l.starts_with("pub struct ") => "structs",
                    l if l.starts_with("pub enum ") => "enums",
                    l if l.starts_with("pub type ") => "type aliases",
                    l if l.starts_with("impl") => "impl blocks",
                    l if l.starts_with("pub fn ") || l.starts_with("fn ") || l.starts_with("pub(crate) fn ") => {
                        "functions"
                    }
                    _ => continue,
                };
                *items.entry(kind).or_default() += 1;
            }
        }
    }
    for shared in ["types", "lib", "api_info", "ext"] {
        groups.remove(shared);
    }
    (lines, items, groups)
}
