//! What the whole generated Cloudflare crate costs to compile (issue #13), before and after, in
//! the same run on the same machine.
//!
//! `cargo bench -p tests --bench compile` generates the crate from ../shared/cloudflare/openapi.json
//! twice into `target/compile-bench/`: with this checkout's generator ("after") and with the
//! generator of a baseline commit ("before"; `COMPILE_BENCH_BASELINE`, default the last commit
//! before issue #13's work; `none` skips it), built from a git worktree. For each crate it builds
//! the dependencies once, then measures the crate alone: `cargo check --all-features`, `cargo
//! check` (default features), a debug `cargo build --all-features` (without debuginfo, as the
//! test suite builds, and with it, as cargo's default dev profile does; the baseline's is left
//! out), `cargo check` of a typical resource group (`dns_records`) and of the largest
//! (by generated lines); each with the wall time and the peak RSS of the largest process
//! (rustc). It also counts generated lines and items, and times a clean build of the
//! dependencies alone for each TLS backend feature. Expect 30–40 minutes on 2 cores.
//! The figures go to stdout and `target/compile-bench/report.md`. Words after `--` keep only the
//! measurements whose label contains one of them (`cargo bench -p tests --bench compile -- "check, all"`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tests::corpus::{Run, run_measured};

const TIMEOUT: Duration = Duration::from_secs(3600);
/// The last commit before issue #13's changes to the generated code.
const BASELINE: &str = "b006a84";

struct Crate {
    dir: PathBuf,
    package: String,
    lines: usize,
    operations: usize,
    items: BTreeMap<&'static str, usize>,
    largest: String,
    /// The Cargo features its manifest declares (the baseline has no TLS features).
    features: std::collections::BTreeSet<String>,
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` runs bench targets with --test: nothing to do then.
    }
    let Some(spec) = tests::shared_file("cloudflare/openapi.json") else {
        eprintln!("../shared/cloudflare/openapi.json not found: the benchmark needs ../shared beside the checkout");
        std::process::exit(2);
    };
    let root = tests::repo().join("target/compile-bench");
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let keep = |what: &str| wanted.is_empty() || wanted.iter().any(|w| what.contains(w.as_str()));

    let after = {
        let generated = generator::generate_file(&spec, &generator::config::Config::derived(), "openapi.json")
            .unwrap_or_else(|d| panic!("the Cloudflare spec must generate: {:#?}", d.sorted()));
        let dir = root.join("crate");
        let _ = std::fs::remove_dir_all(&dir);
        generator::write::write(&dir, &generated.files).expect("write the crate");
        prepare(dir, generated.operations)
    };
    let baseline = std::env::var("COMPILE_BENCH_BASELINE").unwrap_or_else(|_| BASELINE.to_owned());
    let before = (baseline != "none").then(|| baseline_crate(&root, &baseline, &spec, after.operations));

    let target = root.join("target");
    let mut rows: Vec<(String, Option<Run>, Run)> = Vec::new();
    for (what, args, tls, debuginfo) in runs(&after) {
        if !keep(&what) {
            continue;
        }
        // The baseline's debuginfo build (over 11 GiB and 7 minutes without debuginfo) is left out.
        let old = before.as_ref().filter(|_| !debuginfo).map(|b| {
            let args =
                args.iter().map(|a| a.replace(&format!("{},", after.largest), &format!("{},", b.largest))).collect();
            measure(b, &target.join("before"), &what, args, tls, false)
        });
        let new = measure(&after, &target.join("after"), &what, args, tls, debuginfo);
        println!("{what}: {} (before: {})", cell(&new), old.as_ref().map_or("-".into(), cell));
        rows.push((what, old, new));
    }

    let mut report = String::new();
    for (label, c) in [("before", before.as_ref()), ("after", Some(&after))] {
        let Some(c) = c else { continue };
        let _ = writeln!(
            report,
            "{label}: {} operations, {} generated lines ({:.0} per operation), {}; largest group `{}`.",
            c.operations,
            c.lines,
            c.lines as f64 / c.operations.max(1) as f64,
            c.items.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", "),
            c.largest
        );
    }
    report.push_str("\n| what | before | after |\n| --- | ---: | ---: |\n");
    for (what, old, new) in &rows {
        let _ = writeln!(report, "| {what} | {} | {} |", old.as_ref().map_or("-".into(), cell), cell(new));
    }
    let tls: Vec<&str> = ["rustls-ring", "rustls-aws-lc", "native-tls"].into_iter().filter(|f| keep(f)).collect();
    if !tls.is_empty() {
        report.push_str("\n| dependencies only, clean debug build | crates | wall |\n| --- | ---: | ---: |\n");
    }
    for feature in tls {
        let (crates, run) = dependency_build(&after, &root.join(format!("deps-{feature}")), feature);
        let row = format!("| `{feature}` | {crates} | {:.1} s |", run.wall.as_secs_f64());
        println!("{row}");
        let _ = writeln!(report, "{row}");
    }
    std::fs::write(root.join("report.md"), &report).expect("write the report");
    println!("\n{report}");
}

/// The rows: label, cargo arguments, the TLS features the same dependencies are built with,
/// and whether with debuginfo (cargo's default dev profile; the others build without, as the
/// test suite does).
fn runs(c: &Crate) -> Vec<(String, Vec<String>, &'static str, bool)> {
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let group = |g: &str| words(&["check", "--no-default-features", "--features", &format!("{g},rustls-ring")]);
    vec![
        ("check, all features".into(), words(&["check", "--all-features"]), ALL_TLS, false),
        ("check, default features (every group)".into(), words(&["check"]), "rustls-ring", false),
        ("build (debug), all features".into(), words(&["build", "--all-features"]), ALL_TLS, false),
        ("build (debug, with debuginfo), all features".into(), words(&["build", "--all-features"]), ALL_TLS, true),
        ("check, `dns_records` only".into(), group("dns_records"), "rustls-ring", false),
        ("check, the largest group only".into(), group(&c.largest), "rustls-ring", false),
    ]
}

/// Every TLS backend feature (what `--all-features` enables besides groups and `serde-all`).
const ALL_TLS: &str = "rustls-ring,rustls-aws-lc,native-tls";

fn cell(run: &Run) -> String {
    format!("{:.1} s, {:.2} GiB", run.wall.as_secs_f64(), run.peak_kib as f64 / (1024.0 * 1024.0))
}

/// Builds the dependencies as `args` needs them (the same TLS features, no resource group),
/// cleans the crate, then runs `args` on the crate alone; with cargo's debuginfo when `debuginfo`.
fn measure(c: &Crate, target: &Path, what: &str, args: Vec<String>, tls: &str, debuginfo: bool) -> Run {
    let step = args[0].clone();
    let debug = if debuginfo { "true" } else { "0" };
    let cargo = || {
        let mut command = tests::cargo(&c.dir, target);
        command.env("CARGO_PROFILE_DEV_DEBUG", debug);
        command
    };
    let deps =
        known(c, vec![step.clone(), "--quiet".into(), "--no-default-features".into(), "--features".into(), tls.into()]);
    let built = cargo().args(&deps).status();
    assert!(built.is_ok_and(|s| s.success()), "{}: the dependencies do not {step}", c.dir.display());
    let clean = cargo().args(["clean", "--quiet", "-p", &c.package]).status();
    assert!(clean.is_ok_and(|s| s.success()), "cargo clean -p {}", c.package);
    let args = known(c, args);
    let mut command = cargo();
    command.args(&args).arg("--quiet");
    let run = run_measured(command, TIMEOUT);
    assert_eq!(run.code, Some(0), "{what} failed in {}:\n{}", c.dir.display(), run.stderr);
    run
}

/// `args` without the features this crate does not declare (the baseline has no TLS features).
fn known(c: &Crate, args: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg != "--features" {
            out.push(arg);
            continue;
        }
        let list = args.next().unwrap_or_default();
        let kept: Vec<&str> = list.split(',').filter(|f| c.features.contains(*f)).collect();
        if !kept.is_empty() {
            out.extend(["--features".to_owned(), kept.join(",")]);
        }
    }
    out
}

/// A clean debug build of the crate's dependencies with one TLS feature and no resource group,
/// in its own target directory; and how many crates that compiles.
fn dependency_build(c: &Crate, target: &Path, feature: &str) -> (usize, Run) {
    let _ = std::fs::remove_dir_all(target);
    let features = ["build", "--quiet", "--no-default-features", "--features", feature];
    let mut command = tests::cargo(&c.dir, target);
    command.args(features);
    let run = run_measured(command, TIMEOUT);
    assert_eq!(run.code, Some(0), "dependencies with {feature} failed:\n{}", run.stderr);
    let tree = tests::cargo(&c.dir, target)
        .args(["tree", "--quiet", "--prefix", "none", "--edges", "normal,build", "--no-default-features", "--features"])
        .arg(feature)
        .output()
        .expect("cargo tree");
    let crates: std::collections::BTreeSet<String> =
        String::from_utf8_lossy(&tree.stdout).lines().map(|l| l.trim_end_matches(" (*)").to_owned()).collect();
    (crates.len(), run)
}

/// The crate made a workspace of its own, with the repository's lock file, and counted.
fn prepare(dir: PathBuf, operations: usize) -> Crate {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
    std::fs::write(dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n")).expect("manifest");
    std::fs::copy(tests::repo().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
    let package = manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("the manifest names its package")
        .to_string();
    let (lines, items, groups) = census(&dir);
    let largest = groups.iter().max_by_key(|(_, n)| **n).map(|(g, _)| g.clone()).expect("resource groups");
    let features = manifest
        .split("[features]")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name.trim().to_owned()))
        .collect();
    Crate { dir, package, lines, operations, items, largest, features }
}

/// The crate the baseline commit's generator makes (built from a git worktree of that commit).
fn baseline_crate(root: &Path, rev: &str, spec: &Path, operations: usize) -> Crate {
    let generator = tests::generator_at(rev, root);
    let dir = root.join("before");
    let _ = std::fs::remove_dir_all(&dir);
    let generated = Command::new(generator).arg("--spec").arg(spec).arg("--out").arg(&dir).status();
    assert!(generated.is_ok_and(|s| s.success()), "the baseline generator ({rev}) must generate the crate");
    prepare(dir, operations)
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
                    l if l.contains("_object! {") => "serde macro calls",
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
