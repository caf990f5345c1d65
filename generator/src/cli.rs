//! The command line, as a library function so tests drive it in-process: `cargo run -p
//! generator` regenerates `generated/` from `spec/`; `--check` reports drift instead of
//! writing; `--spec FILE --out DIR` makes a crate for any OpenAPI 3.0 document.
//!
//! Exit codes: 0 success, 1 drift found by `--check`, 2 errors (nothing written).

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::config::Config;
use crate::diag::{Diagnostics, Severity};
use crate::write::{self, Drift};

#[derive(Parser, Debug)]
#[command(version, about = "Generate a typed Rust client crate from an OpenAPI 3.0 description")]
struct Args {
    /// Generator config (YAML). Default: spec/generator.yaml of this repository.
    #[arg(long)]
    config: Option<PathBuf>,
    /// OpenAPI 3.0 document (YAML or JSON). Overrides the config's `spec:`; without --config,
    /// everything else is derived from the spec.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Output directory for the crate. Default: generated/ of this repository.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write nothing; exit 1 with a diff if the output directory differs from what would be generated.
    #[arg(long)]
    check: bool,
    /// Treat warnings as errors (for CI).
    #[arg(long)]
    deny_warnings: bool,
    /// Also write tests/operations.rs: a test per operation, to run against a mock server of the
    /// spec (e.g. `prism mock SPEC`) named by WIRE_BASE_URL.
    #[arg(long)]
    wire_tests: bool,
    /// Print only errors and the summary line.
    #[arg(long, short)]
    quiet: bool,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Runs the generator with command-line `args` (the first is the program name), printing to
/// `out` and `err`; returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let args = match Args::try_parse_from(args) {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let target: &mut dyn Write = if code == 0 { out } else { err };
            let _ = write!(target, "{}", e.render());
            return code;
        }
    };
    let mut io = Io { out, err };
    main_with(&args, &mut io)
}

struct Io<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
}

macro_rules! say {
    ($w:expr, $($t:tt)*) => {{ let _ = writeln!($w, $($t)*); }};
}

fn main_with(args: &Args, io: &mut Io<'_>) -> u8 {
    let default_mode = args.config.is_none() && args.spec.is_none();
    let root = repo_root();
    let config_path = match (&args.config, default_mode) {
        (Some(c), _) => Some(c.clone()),
        (None, true) => Some(root.join("spec/generator.yaml")),
        (None, false) => None,
    };
    let mut config = match &config_path {
        Some(path) => {
            let mut diags = Diagnostics::new(path.display().to_string());
            match Config::load(path, &mut diags) {
                Some(c) => c,
                None => return fail(io, &diags, "the generator config has errors"),
            }
        }
        None => Config::derived(),
    };
    config.wire_tests |= args.wire_tests;
    let spec_path = match (&args.spec, &config.spec, &config_path) {
        (Some(s), _, _) => s.clone(),
        (None, Some(s), Some(cfg)) => cfg.parent().unwrap_or(Path::new(".")).join(s),
        _ => {
            say!(io.err, "error: no spec given\n  = hint: pass --spec FILE, or set `spec:` in the config");
            return 2;
        }
    };
    let out = match (&args.out, default_mode) {
        (Some(o), _) => o.clone(),
        (None, true) => root.join("generated"),
        (None, false) => {
            say!(io.err, "error: --out DIR is required with --spec or --config\n  = hint: e.g. --out ./my-client");
            return 2;
        }
    };
    let label = label_for(&spec_path, &root);
    let generated = match crate::generate_file(&spec_path, &config, &label) {
        Ok(g) => g,
        Err(diags) => return fail(io, &diags, "generation failed; nothing was written"),
    };
    print_diagnostics(io, &generated.diagnostics, args.quiet);
    if args.deny_warnings && generated.diagnostics.warning_count() > 0 {
        say!(
            io.err,
            "error: {} warning(s) and --deny-warnings; nothing was written",
            generated.diagnostics.warning_count()
        );
        return 2;
    }
    if args.check {
        return check(io, &out, &generated.files, args);
    }
    let started = std::time::Instant::now();
    let written = write::write(&out, &generated.files);
    crate::stage("write", started);
    match written {
        Ok(report) => {
            say!(
                io.out,
                "generated {} operation(s), {} type(s) into {}: {} file(s) written, {} unchanged, {} removed",
                generated.operations,
                generated.types,
                out.display(),
                report.written.len(),
                report.unchanged,
                report.removed.len()
            );
            0
        }
        Err(e) => {
            say!(
                io.err,
                "error: writing the crate failed: {e}\n  = hint: files already in {} were left as they were",
                out.display()
            );
            2
        }
    }
}

fn check(io: &mut Io<'_>, out: &Path, files: &write::Files, args: &Args) -> u8 {
    let drift = match write::check(out, files) {
        Ok(d) => d,
        Err(e) => {
            say!(io.err, "error: reading {} failed: {e}", out.display());
            return 2;
        }
    };
    if drift.is_empty() {
        say!(io.out, "{} is up to date ({} files)", out.display(), files.len());
        return 0;
    }
    for d in &drift {
        match d {
            Drift::Changed { diff, .. } => {
                let _ = write!(io.out, "{diff}");
            }
            Drift::Missing { path } => say!(io.out, "missing: {path}"),
            Drift::Stale { path } => say!(io.out, "stale: {path} (generated earlier, no longer produced)"),
        }
    }
    let mut cmd = String::from("cargo run -p generator");
    let mut extra = Vec::new();
    if let Some(c) = &args.config {
        extra.push(format!("--config {}", c.display()));
    }
    if let Some(s) = &args.spec {
        extra.push(format!("--spec {}", s.display()));
    }
    if let Some(o) = &args.out {
        extra.push(format!("--out {}", o.display()));
    }
    if !extra.is_empty() {
        cmd = format!("{cmd} -- {}", extra.join(" "));
    }
    say!(
        io.err,
        "error: {} file(s) in {} differ from the spec: {}\n  = hint: run `{cmd}` and commit the result",
        drift.len(),
        out.display(),
        drift.iter().map(Drift::path).collect::<Vec<_>>().join(", ")
    );
    1
}

/// The spec as named in headers: relative to the repo when inside it, else the file name, so
/// output does not depend on where a temporary directory happens to be.
fn label_for(spec: &Path, root: &Path) -> String {
    let abs = std::fs::canonicalize(spec).unwrap_or_else(|_| spec.to_path_buf());
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    match abs.strip_prefix(&root) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => {
            spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| spec.display().to_string())
        }
    }
}

fn print_diagnostics(io: &mut Io<'_>, diags: &Diagnostics, quiet: bool) {
    for d in diags.sorted() {
        if quiet && d.severity == Severity::Warning {
            continue;
        }
        say!(io.err, "{d}");
    }
}

fn fail(io: &mut Io<'_>, diags: &Diagnostics, summary: &str) -> u8 {
    print_diagnostics(io, diags, false);
    say!(io.err, "error: {summary} ({} error(s), {} warning(s))", diags.error_count(), diags.warning_count());
    2
}
