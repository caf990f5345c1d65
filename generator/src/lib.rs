//! A generator that turns an OpenAPI 3.0 description into a typed Rust client crate.
//!
//! Pipeline (one module per stage): [`load`] → [`model`] → [`naming`] → [`emit`] → [`render`]
//! → [`write`], with [`crate_text`] writing the crate's README, Cargo.toml, headers and
//! extensions from the named model. Every stage reports problems as [`diag::Diagnostic`]s; nothing is written unless
//! the whole run succeeded.

pub mod cli;
pub mod config;
pub mod crate_text;
pub mod diag;
pub mod emit;
pub mod load;
pub mod model;
pub mod naming;
pub mod pointer;
pub mod render;
pub mod templates;
pub mod words;
pub mod write;

use std::path::Path;

use config::Config;
use diag::Diagnostics;
use model::{Api, TypeKind};
use write::Files;

/// The hand-written runtime, copied verbatim into every generated crate (see build.rs).
const RUNTIME: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// A successful run: the crate's files, plus the warnings met on the way.
#[derive(Debug)]
pub struct Generated {
    pub files: Files,
    pub diagnostics: Diagnostics,
    pub operations: usize,
    pub types: usize,
}

/// Generates a crate from a spec file. `label` names the spec in headers and diagnostics.
pub fn generate_file(spec: &Path, config: &Config, label: &str) -> Result<Generated, Diagnostics> {
    let mut diags = Diagnostics::new(label);
    let started = std::time::Instant::now();
    let Some(spec) = load::load_file(spec, &mut diags) else { return Err(diags) };
    stage("load", started);
    generate_spec(spec, config, diags)
}

/// Generates a crate from spec text (`json` picks the parser); used by tests and fuzzing.
pub fn generate_str(text: &str, json: bool, config: &Config, label: &str) -> Result<Generated, Diagnostics> {
    let mut diags = Diagnostics::new(label);
    let Some(spec) = load::load_str(text, json, &mut diags) else { return Err(diags) };
    generate_spec(spec, config, diags)
}

fn generate_spec(spec: load::Spec, config: &Config, mut diags: Diagnostics) -> Result<Generated, Diagnostics> {
    let started = std::time::Instant::now();
    let mut lowered = model::lower(&spec, config, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    // From here on only the raw document and its name are read; the typed document is freed
    // while the work goes on.
    let load::Spec { api: typed, foreign, raw, file } = spec;
    free_in_background((typed, foreign));
    stage("lower", started);
    let started = std::time::Instant::now();
    model::dedupe_enums(&mut lowered);
    model::dedupe_shapes(&mut lowered);
    model::reach(&mut lowered, config.selects_operations());
    let mut api = naming::assign(lowered, config.wire_tests, &mut diags);
    model::share_params(&mut api);
    stage("reach and naming", started);
    let started = std::time::Instant::now();
    let header = crate_text::header(&file);
    let mut files = Files::new();
    let rendered = emit_and_render(&api, &emit::plan(&api, !config.extensions.is_empty()), &header);
    stage("emit and render", started);
    let started = std::time::Instant::now();
    for result in rendered {
        match result {
            Ok((path, text)) => {
                files.insert(path, text);
            }
            Err(message) => {
                diags.error("", message);
            }
        }
    }
    if config.wire_tests {
        let samples = model::samples(&api, &raw, &mut diags);
        match render::rust("tests/operations.rs", emit::wire_tests(&api, &samples), &header) {
            Ok(text) => {
                files.insert("tests/operations.rs".into(), text);
            }
            Err(message) => {
                diags.error("", message);
            }
        }
    }
    for (name, source) in RUNTIME {
        files.insert(format!("src/runtime/{name}"), render::with_header(&header, source));
    }
    crate_text::extensions(config, &header, &mut files, &mut diags);
    if let Err(message) = crate_text::text_files(&api, &raw, config, &header, &mut files) {
        diags.error("", message);
    }
    stage("crate text", started);
    if diags.has_errors() {
        return Err(diags);
    }
    let types = api.types.iter().filter(|t| !t.pruned && !matches!(t.kind, TypeKind::Pending)).count();
    let operations = api.operations.len();
    free_in_background((api, raw));
    Ok(Generated { files, diagnostics: diags, operations, types })
}

/// Frees a value on another thread. The document and model of the largest APIs (Microsoft
/// Graph: a 47 MB spec) take a few hundred milliseconds to free, which nothing needs to wait
/// for. If no thread can be started, the value is freed here.
fn free_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().name("free".into()).spawn(move || drop(value));
}

/// How many threads share `jobs` pieces of work: one per core, at most 8, never more than jobs.
pub(crate) fn worker_threads(jobs: usize) -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8).min(jobs.max(1))
}

/// With `GENERATOR_TIMINGS` set, prints how long a stage took (to stderr), for profiling.
pub(crate) fn stage(name: &str, started: std::time::Instant) {
    if std::env::var_os("GENERATOR_TIMINGS").is_some() {
        eprintln!("timing: {name}: {:.3} s", started.elapsed().as_secs_f64());
    }
}

/// Emits and renders every file, spread over the machine's cores. Each thread emits its own
/// tokens (they cannot cross threads) and returns text; results come back in job order, the
/// runs of one file joined.
/// A rendered file (path, text), or the internal error that stopped it.
type Rendered = Result<(String, String), String>;

fn emit_and_render(api: &Api, plan: &emit::Plan, header: &str) -> Vec<Rendered> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let jobs = plan.jobs();
    let threads = worker_threads(jobs.len());
    let next = AtomicUsize::new(0);
    let run = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let file = plan.emit(api, job);
            done.push((i, render::body(&file.path, file.tokens).map(|text| (file.path, text))));
        }
        done
    };
    let mut all: Vec<(usize, Rendered)> = if threads == 1 {
        run()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(run)).collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    h.join()
                        .unwrap_or_else(|_| vec![(usize::MAX, Err("internal error: a render thread panicked".into()))])
                })
                .collect()
        })
    };
    all.sort_by_key(|(i, _)| *i);
    let mut files: Vec<Rendered> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    let mut rendered = all.into_iter().map(|(_, r)| r).peekable();
    while let Some(result) = rendered.next() {
        let Ok((path, text)) = result else {
            files.push(result);
            continue;
        };
        parts.push(text);
        if !matches!(rendered.peek(), Some(Ok((next, _))) if *next == path) {
            files.push(Ok((path, render::with_header(header, &render::join(std::mem::take(&mut parts))))));
        }
    }
    files
}
