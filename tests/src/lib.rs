//! Helpers shared by the integration tests in `tests/tests/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::config::Config;
use generator::diag::Diagnostics;
use generator::write::Files;

pub mod corpus;
pub mod prism;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the repository").to_path_buf()
}

/// `cargo` for building a generated crate in its own target directory: no incremental cache and
/// no debug info, which are most of the disk a debug build takes (the whole Cloudflare crate's
/// tests were 19 GB with them) and which a one-off build never reuses.
pub fn cargo(dir: &Path, target: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_PROFILE_TEST_DEBUG", "0");
    command
}

/// Builds the generator binary of the checkout at `src` (release, as users run it) with
/// `target` as its target directory, and returns the binary's path.
pub fn build_generator(src: &Path, target: &Path) -> PathBuf {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "-p", "generator"])
        .current_dir(src)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .expect("run cargo build");
    assert!(status.success(), "the generator in {} does not build", src.display());
    target.join("release/generator")
}

/// This checkout's generator binary, in the workspace's target directory.
pub fn this_generator() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo().join("target"));
    build_generator(&repo(), &target)
}

/// The generator binary of commit `rev`, for measuring against a baseline in the same run:
/// built from a git worktree under `work` (removed again) with its own target directory, and
/// kept as `work/generator-<rev>`.
pub fn generator_at(rev: &str, work: &Path) -> PathBuf {
    let kept = work.join(format!("generator-{rev}"));
    let src = work.join("baseline-src");
    let git = |args: &[&str]| {
        Command::new("git").args(args).arg(&src).current_dir(repo()).stderr(std::process::Stdio::null()).status()
    };
    let _ = git(&["worktree", "remove", "--force"]);
    let _ = std::fs::remove_dir_all(&src);
    let added =
        Command::new("git").args(["worktree", "add", "--detach"]).arg(&src).arg(rev).current_dir(repo()).status();
    assert!(added.is_ok_and(|s| s.success()), "git worktree add {rev}");
    let built = build_generator(&src, &work.join("baseline-target"));
    std::fs::copy(&built, &kept).unwrap_or_else(|e| panic!("keep the generator of {rev}: {e}"));
    let _ = git(&["worktree", "remove", "--force"]);
    kept
}

/// Every file (with its bytes) and directory (ending in `/`, no bytes) under `dir`, sorted: for
/// checking that a failed run left a directory exactly as it was.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable").flatten() {
            let p = e.path();
            if p.is_dir() {
                out.push((format!("{}/", p.display()), Vec::new()));
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).expect("readable")));
            }
        }
    }
    out.sort();
    out
}

/// The project's own config and spec, as `cargo run -p generator` uses them.
pub fn project_config() -> Config {
    let mut d = Diagnostics::new("spec/generator.yaml");
    Config::load(&repo().join("spec/generator.yaml"), &mut d).expect("spec/generator.yaml is valid")
}

/// Generates the project's crate in memory, exactly as the binary's default run does.
pub fn generate_project() -> Files {
    generator::generate_file(&repo().join("spec/openapi.yaml"), &project_config(), "spec/openapi.yaml")
        .unwrap_or_else(|d| panic!("spec/ must generate: {:#?}", d.sorted()))
        .files
}

/// Every fixture spec under tests/fixtures, sorted by name.
pub fn fixtures() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(repo().join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .map(|p| (p.file_stem().unwrap_or_default().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// The config a fixture is generated with: `tests/fixtures/config/<name>.yaml` when there is
/// one (for options a spec cannot carry), else the one derived from the spec alone (as
/// `--spec FILE` does).
pub fn fixture_config(path: &Path) -> Config {
    let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    let file = repo().join("tests/fixtures/config").join(format!("{name}.yaml"));
    if !file.exists() {
        return Config::derived();
    }
    let mut d = generator::diag::Diagnostics::new(file.display().to_string());
    Config::load(&file, &mut d).unwrap_or_else(|| panic!("{} is not a valid config: {:#?}", file.display(), d.sorted()))
}

/// Generates a fixture with its config (see [`fixture_config`]).
pub fn generate_fixture(path: &Path) -> generator::Generated {
    let label = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    generator::generate_file(path, &fixture_config(path), &label)
        .unwrap_or_else(|d| panic!("{label} must generate: {:#?}", d.sorted()))
}

/// The files worth reading in a snapshot: everything but the runtime (identical in every
/// crate and tested on the wire) and the README's operation table.
pub fn snapshot_text(files: &Files) -> String {
    let mut out = String::new();
    for (path, text) in files {
        if path.starts_with("src/runtime/") || path == "README.md" {
            continue;
        }
        out.push_str(&format!("=== {path} ===\n{text}\n"));
    }
    out
}

/// Runs the CLI in-process; returns (exit code, stdout, stderr).
pub fn cli(args: &[&str]) -> (u8, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once("generator").chain(args.iter().copied()).map(std::ffi::OsString::from);
    let code = generator::cli::run(argv, &mut out, &mut err);
    (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned())
}

/// A file in ../shared, which CI and every session have beside the checkout. Missing with `CI`
/// set is a hard failure; locally the caller is told to skip.
pub fn shared_file(rel: &str) -> Option<PathBuf> {
    let path = repo().parent().map(|p| p.join("shared").join(rel)).unwrap_or_default();
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{} is missing: CI must have ../shared beside the checkout", path.display());
    }
    eprintln!("skipping: {} not found (set CI to make this a failure)", path.display());
    None
}
