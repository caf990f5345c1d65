//! Command line: `cargo run -p generator` regenerates `generated/` from `spec/`;
//! `-- --check` reports drift instead of writing; `-- --spec FILE --out DIR` makes a crate for
//! any OpenAPI 3.0 document.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use generator::config::Config;
use generator::diag::{Diagnostics, Severity};
use generator::write::{self, Drift};

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
    /// Print only errors and the summary line.
    #[arg(long, short)]
    quiet: bool,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn main() -> ExitCode {
    let args = Args::parse();
    let default_mode = args.config.is_none() && args.spec.is_none();
    let root = repo_root();
    let config_path = match (&args.config, default_mode) {
        (Some(c), _) => Some(c.clone()),
        (None, true) => Some(root.join("spec/generator.yaml")),
        (None, false) => None,
    };
    let config = match &config_path {
        Some(path) => {
            let mut diags = Diagnostics::new(path.display().to_string());
            match Config::load(path, &mut diags) {
                Some(c) => c,
                None => return fail(&diags, "the generator config has errors"),
            }
        }
        None => Config::derived(),
    };
    let spec_path = match (&args.spec, &config.spec, &config_path) {
        (Some(s), _, _) => s.clone(),
        (None, Some(s), Some(cfg)) => cfg.parent().unwrap_or(Path::new(".")).join(s),
        _ => {
            eprintln!("error: no spec given\n  = hint: pass --spec FILE, or set `spec:` in the config");
            return ExitCode::from(2);
        }
    };
    let out = match (&args.out, default_mode) {
        (Some(o), _) => o.clone(),
        (None, true) => root.join("generated"),
        (None, false) => {
            eprintln!("error: --out DIR is required with --spec or --config\n  = hint: e.g. --out ./my-client");
            return ExitCode::from(2);
        }
    };
    let label = label_for(&spec_path, &root);
    let generated = match generator::generate_file(&spec_path, &config, &label) {
        Ok(g) => g,
        Err(diags) => return fail(&diags, "generation failed; nothing was written"),
    };
    print_diagnostics(&generated.diagnostics, args.quiet);
    if args.deny_warnings && generated.diagnostics.warning_count() > 0 {
        eprintln!(
            "error: {} warning(s) and --deny-warnings; nothing was written",
            generated.diagnostics.warning_count()
        );
        return ExitCode::from(2);
    }
    if args.check {
        return check(&out, &generated.files, &args);
    }
    match write::write(&out, &generated.files) {
        Ok(report) => {
            println!(
                "generated {} operation(s), {} type(s) into {}: {} file(s) written, {} unchanged, {} removed",
                generated.operations,
                generated.types,
                out.display(),
                report.written.len(),
                report.unchanged,
                report.removed.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: writing the crate failed: {e}\n  = hint: files already in {} were left as they were",
                out.display()
            );
            ExitCode::from(2)
        }
    }
}

fn check(out: &Path, files: &write::Files, args: &Args) -> ExitCode {
    let drift = match write::check(out, files) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: reading {} failed: {e}", out.display());
            return ExitCode::from(2);
        }
    };
    if drift.is_empty() {
        println!("{} is up to date ({} files)", out.display(), files.len());
        return ExitCode::SUCCESS;
    }
    for d in &drift {
        match d {
            Drift::Changed { diff, .. } => print!("{diff}"),
            Drift::Missing { path } => println!("missing: {path}"),
            Drift::Stale { path } => println!("stale: {path} (generated earlier, no longer produced)"),
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
    eprintln!(
        "error: {} file(s) in {} differ from the spec: {}\n  = hint: run `{cmd}` and commit the result",
        drift.len(),
        out.display(),
        drift.iter().map(Drift::path).collect::<Vec<_>>().join(", ")
    );
    ExitCode::from(1)
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

fn print_diagnostics(diags: &Diagnostics, quiet: bool) {
    for d in diags.sorted() {
        if quiet && d.severity == Severity::Warning {
            continue;
        }
        eprintln!("{d}");
    }
}

fn fail(diags: &Diagnostics, summary: &str) -> ExitCode {
    print_diagnostics(diags, false);
    eprintln!("error: {summary} ({} error(s), {} warning(s))", diags.error_count(), diags.warning_count());
    ExitCode::from(2)
}
