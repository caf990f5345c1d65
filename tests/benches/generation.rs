//! Generation speed and memory on the full Cloudflare spec (../shared/cloudflare/openapi.json).
//!
//! `cargo bench -p tests --bench generation` prints, for the parse alone (the floor) and for
//! the whole generation in memory (parse, lower, name, emit, render; no disk writes): the median
//! and minimum wall time over several runs, and the peak resident memory of a process doing just
//! that. Each measurement runs in a fresh child process so peaks do not mix.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 7;

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
