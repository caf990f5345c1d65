//! Generation speed and memory.
//!
//! `cargo bench -p tests --bench generation` prints two tables.
//! - The full Cloudflare spec (../shared/cloudflare/openapi.json): for the parse alone (the
//!   floor) and for the whole generation in memory (parse, lower, name, emit, render; no disk
//!   writes), the median and minimum wall time over several runs and the peak resident memory of
//!   a process doing just that. Each measurement runs in a fresh child process so peaks do not mix.
//! - Microsoft Graph beta from the development corpus (47 MB, 22,361 operations; issue #10's
//!   scale target: 10 s and 4 GiB): the release generator binary, as users run it, writing the
//!   crate to disk and (where there is one) to `/dev/shm`, alternating with the binary of a
//!   baseline commit in the same run (`GENERATION_BENCH_BASELINE`, default the commit at which
//!   issue #10 measured 22.6 s; `none` skips it): median and minimum wall time, peak RSS, every
//!   run's time (sorted) and the stage times of this checkout's last run (`GENERATOR_TIMINGS`).
//!   Words after `--` pick one table: `cloudflare` or `graph`.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 7;
/// Runs of each binary on Graph beta; one takes 5–25 s.
const GRAPH_RUNS: usize = 5;
/// The last commit before issue #10's work; the issue measured Graph beta at 22.6 s with it.
const GRAPH_BASELINE: &str = "c39e267";
const GRAPH_BASELINE_ISSUE_SECS: f64 = 22.6;

fn spec() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/cloudflare/openapi.json");
    if !path.exists() {
        eprintln!("{} not found: the benchmark needs ../shared beside the checkout", path.display());
        std::process::exit(2);
    }
    path
}

/// Peak resident set size of this process, from /proc (Linux).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn child(mode: &str) {
    let spec = spec();
    let start = Instant::now();
    match mode {
        "parse" => {
            let mut d = generator::diag::Diagnostics::new("openapi.json");
            let loaded = generator::load::load_file(&spec, &mut d);
            assert!(loaded.is_some(), "the spec parses");
        }
        _ => {
            let generated = generator::generate_file(&spec, &generator::config::Config::derived(), "openapi.json");
            assert!(generated.is_ok(), "the spec generates");
        }
    }
    println!("{} {}", start.elapsed().as_secs_f64(), peak_rss_mib());
}

fn measure(mode: &str) -> (Duration, Duration, f64) {
    let exe = std::env::current_exe().expect("own path");
    let mut times = Vec::new();
    let mut peak: f64 = 0.0;
    for _ in 0..RUNS {
        let out = Command::new(&exe).args(["--child", mode]).output().expect("run child");
        let text = String::from_utf8_lossy(&out.stdout);
        let mut parts = text.split_whitespace();
        let secs: f64 = parts.next().and_then(|s| s.parse().ok()).expect("child prints its time");
        let rss: f64 = parts.next().and_then(|s| s.parse().ok()).expect("child prints its peak");
        times.push(Duration::from_secs_f64(secs));
        peak = peak.max(rss);
    }
    times.sort();
    (times[RUNS / 2], times[0], peak)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(args.get(i + 1).map(String::as_str).unwrap_or("generate"));
        return;
    }
    if args.iter().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` runs bench targets with --test: nothing to do then.
    }
    let wanted: Vec<&String> = args.iter().skip(1).filter(|a| !a.starts_with("--")).collect();
    let keep = |what: &str| wanted.is_empty() || wanted.iter().any(|w| w.as_str() == what);
    if keep("cloudflare") {
        cloudflare();
    }
    if keep("graph") {
        graph_beta();
    }
}

fn cloudflare() {
    spec();
    println!("full Cloudflare spec, {RUNS} runs each, one process per run");
    for (label, mode) in [("parse only (floor)", "parse"), ("full generation", "generate")] {
        let (median, min, peak) = measure(mode);
        println!(
            "{label:<20} median {:>7.3} s   min {:>7.3} s   peak RSS {:>6.1} MiB",
            median.as_secs_f64(),
            min.as_secs_f64(),
            peak
        );
    }
}

/// Graph beta through the release binaries of this checkout and of the baseline, alternating,
/// writing the crate to disk (`target/`) and, where there is one, to memory (`/dev/shm`).
///
/// Every run writes into a directory of its own, and all are removed at the end: ext4 skips
/// inodes deleted in the last minute or so when it allocates new ones, so deleting the last
/// run's 12,760 files and directories before the next made writing them take 2–3 s instead of
/// 0.2–0.3 s, which no user who generates a crate sees.
fn graph_beta() {
    let repo = tests::repo();
    let spec = tests::corpus::fetch(&repo.join("target/corpus")).join("microsoft.com/graph-beta.json");
    let work = repo.join("target/generation-bench");
    std::fs::create_dir_all(&work).expect("create target/generation-bench");
    let rev = std::env::var("GENERATION_BENCH_BASELINE").unwrap_or_else(|_| GRAPH_BASELINE.to_owned());
    let mut binaries = vec![("this checkout".to_owned(), tests::this_generator())];
    if rev != "none" {
        binaries.push((format!("baseline {rev}"), tests::generator_at(&rev, &work)));
    }
    let shm = std::path::Path::new("/dev/shm");
    let mut outs = vec![("disk", work.join("graph-beta"))];
    if shm.is_dir() {
        outs.push(("memory", shm.join(format!("generation-bench-{}", std::process::id()))));
    }
    println!("Microsoft Graph beta (47 MB), {GRAPH_RUNS} runs of each binary, alternating");
    for (place, out) in &outs {
        let mut walls: Vec<Vec<f64>> = vec![Vec::new(); binaries.len()];
        let mut peaks = vec![0_i64; binaries.len()];
        let mut stages = String::new();
        let _ = std::fs::remove_dir_all(out);
        for run in 0..GRAPH_RUNS {
            for (i, (label, binary)) in binaries.iter().enumerate() {
                let dir = out.join(format!("{run}-{i}"));
                // SAFETY: sync(2) takes no arguments and cannot fail; each run starts without the
                // last one's writes still being flushed.
                unsafe { libc::sync() };
                let mut command = Command::new(binary);
                command.arg("--spec").arg(&spec).arg("--out").arg(&dir).env("GENERATOR_TIMINGS", "1");
                let measured = tests::corpus::run_measured(command, Duration::from_secs(300));
                assert_eq!(measured.code, Some(0), "{label} must generate Graph beta:\n{}", measured.stderr);
                walls[i].push(measured.wall.as_secs_f64());
                peaks[i] = peaks[i].max(measured.peak_kib);
                if i == 0 {
                    stages =
                        measured.stderr.lines().filter(|l| l.starts_with("timing: ")).collect::<Vec<_>>().join("; ");
                }
            }
        }
        let _ = std::fs::remove_dir_all(out);
        println!("writing the crate to {place} ({})", out.display());
        let medians: Vec<f64> = walls.iter_mut().map(|w| median(w)).collect();
        for (i, (label, _)) in binaries.iter().enumerate() {
            let min = walls[i].iter().copied().fold(f64::INFINITY, f64::min);
            let runs: Vec<String> = walls[i].iter().map(|w| format!("{w:.2}")).collect();
            println!(
                "  {label:<18} median {:>7.3} s   min {min:>7.3} s   peak RSS {:>6.0} MiB   runs (sorted) {}",
                medians[i],
                peaks[i] as f64 / 1024.0,
                runs.join(" / ")
            );
        }
        if let (&[ours, baseline], true) = (&medians[..], rev == GRAPH_BASELINE) {
            println!(
                "  the issue measured the baseline at {GRAPH_BASELINE_ISSUE_SECS} s: on that machine this checkout \
                 would take about {:.1} s",
                ours * GRAPH_BASELINE_ISSUE_SECS / baseline
            );
        }
        println!("  stages of this checkout's last run: {stages}");
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
