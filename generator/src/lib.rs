//! A generator that turns an OpenAPI 3.0 description into a typed Rust client crate.
//!
//! Pipeline (one module per stage): [`load`] → [`model`] → [`naming`] → [`emit`] → [`render`]
//! → [`write`]. Every stage reports problems as [`diag::Diagnostic`]s; nothing is written unless
//! the whole run succeeded.

pub mod cli;
pub mod config;
pub mod diag;
pub mod emit;
pub mod load;
pub mod model;
pub mod naming;
pub mod pointer;
pub mod render;
pub mod templates;
pub mod write;

use std::path::Path;

use config::Config;
use diag::Diagnostics;
use model::{Api, Param, Response, TypeKind};
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
    let Some(spec) = load::load_file(spec, &mut diags) else { return Err(diags) };
    generate_spec(&spec, config, diags)
}

/// Generates a crate from spec text (`json` picks the parser); used by tests and fuzzing.
pub fn generate_str(text: &str, json: bool, config: &Config, label: &str) -> Result<Generated, Diagnostics> {
    let mut diags = Diagnostics::new(label);
    let Some(spec) = load::load_str(text, json, &mut diags) else { return Err(diags) };
    generate_spec(&spec, config, diags)
}

fn generate_spec(spec: &load::Spec, config: &Config, mut diags: Diagnostics) -> Result<Generated, Diagnostics> {
    let mut api = model::lower(spec, config, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    model::reach(&mut api, config.selects_operations());
    naming::assign(&mut api, &mut diags);
    let header = header(&spec.file);
    let mut files = Files::new();
    let rendered = emit_and_render(&api, &emit::plan(&api, !config.extensions.is_empty()), &header);
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
        let samples = model::samples(&api, &spec.raw, &mut diags);
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
    extensions(config, &header, &mut files, &mut diags);
    if let Err(message) = text_files(&api, config, &header, &mut files) {
        diags.error("", message);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let types = api.types.iter().filter(|t| !t.pruned && !matches!(t.kind, TypeKind::Pending)).count();
    Ok(Generated { files, diagnostics: diags, operations: api.operations.len(), types })
}

/// Copies the config's hand-written extension files into `src/ext/`, checking they parse.
fn extensions(config: &Config, header: &str, files: &mut Files, diags: &mut Diagnostics) {
    if config.extensions.is_empty() {
        return;
    }
    let mut mods = String::new();
    for (i, rel) in config.extensions.iter().enumerate() {
        let path = config.base_dir.join(rel);
        let at = format!("#/extensions/{i}");
        let source = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => {
                diags.error(at, format!("cannot read extension file {}: {e}", path.display()));
                continue;
            }
        };
        if let Err(e) = syn::parse_file(&source) {
            let start = e.span().start();
            diags
                .error(at, format!("extension file {} is not valid Rust: {e}", path.display()))
                .at_line(start.line, start.column + 1);
            continue;
        }
        let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("ext");
        mods.push_str(&format!("mod {stem};\n"));
        files.insert(format!("src/ext/{stem}.rs"), render::with_header(header, &source));
    }
    let doc = "//! Hand-written additions to generated types, listed under `extensions:` in the generator config.\n\n";
    files.insert("src/ext/mod.rs".into(), render::with_header(header, &format!("{doc}{mods}")));
}

/// Emits and renders every file, spread over the machine's cores. Each thread emits its own
/// tokens (they cannot cross threads) and returns text; results come back in job order.
/// A rendered file (path, text), or the internal error that stopped it.
type Rendered = Result<(String, String), String>;

fn emit_and_render(api: &Api, plan: &emit::Plan, header: &str) -> Vec<Rendered> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let jobs = plan.jobs();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8).min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let run = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let file = plan.emit(api, job);
            done.push((i, render::rust(&file.path, file.tokens, header).map(|text| (file.path, text))));
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
    all.into_iter().map(|(_, r)| r).collect()
}

fn header(spec_label: &str) -> String {
    let env = templates::environment();
    templates::render(&env, "header", minijinja::context! { spec => spec_label })
        .map(|s| s.trim_end().to_string())
        .unwrap_or_else(|_| format!("{} from {spec_label}", templates::MARKER))
}

fn text_files(api: &Api, config: &Config, header: &str, files: &mut Files) -> Result<(), String> {
    let env = templates::environment();
    let lib_name = api.crate_name.replace('-', "_");
    let description = config
        .krate
        .description
        .clone()
        .unwrap_or_else(|| format!("Typed Rust client for {}, generated from its OpenAPI description.", api.title));
    // Bearer first: it is what most APIs recommend and what the README example shows.
    let mut ordered: Vec<&model::Scheme> = api.schemes.iter().collect();
    ordered.sort_by_key(|s| !matches!(s.kind, model::SchemeKind::Bearer));
    let schemes: Vec<minijinja::Value> = ordered
        .into_iter()
        .map(|s| {
            let how = emit::scheme_how(&s.kind);
            minijinja::context! { name => s.name.clone(), env => s.env.clone(), ident => s.ident.trim_start_matches("r#"), how => how }
        })
        .collect();
    let env_summary = if api.schemes.is_empty() {
        "none needed".to_string()
    } else {
        api.schemes.iter().map(|s| format!("`{}`", s.env)).collect::<Vec<_>>().join(", ")
    };
    let operations: Vec<minijinja::Value> = api
        .operations
        .iter()
        .map(|op| {
            let call = format!("{}.{}(..)", accessor_chain(api, &op.resource), op.method_name);
            let summary = op.summary.clone().unwrap_or_default().replace(['\n', '\r'], " ").replace('|', "\\|");
            minijinja::context! { call => call, method => op.method.clone(), path => op.path.clone(), summary => summary }
        })
        .collect();
    let defaults: Vec<minijinja::Value> =
        api.client_defaults.iter().map(|(n, e)| minijinja::context! { name => n, env => e }).collect();
    let ctx = minijinja::context! {
        header => header.lines().next().unwrap_or_default(),
        crate_name => api.crate_name.clone(),
        lib_name => lib_name.clone(),
        version => config.krate.version.clone().unwrap_or_else(|| "0.1.0".into()),
        description => description.clone(),
        description_toml => serde_json::to_string(&description).unwrap_or_else(|_| "\"\"".into()),
        title => api.title.clone(),
        api_version => api.spec_version.clone(),
        operation_count => api.operations.len(),
        env_prefix => api.env_prefix.clone(),
        base_url => api.base_url.clone(),
        schemes => schemes,
        defaults => defaults,
        env_summary => env_summary,
        operations => operations,
        features => api.features.clone(),
        example => readme_example(api, &lib_name),
    };
    files.insert("Cargo.toml".into(), templates::render(&env, "Cargo.toml", ctx.clone())?);
    files.insert("README.md".into(), templates::render(&env, "README.md", ctx)?);
    Ok(())
}

/// A call to the first operation that needs only strings and a default params struct.
fn readme_example(api: &Api, lib_name: &str) -> Option<String> {
    let op = api.operations.iter().find(|op| {
        op.body.is_none()
            && op
                .params
                .iter()
                .filter(|p| p.is_positional())
                .all(|p| emit::types::resolve(api, &p.ty) == &model::Ty::String)
            && op.params.iter().filter(|p| !p.is_positional()).all(|p| p.client_default || !p.required)
            && !op.deprecated
    })?;
    let chain = format!(".{}", accessor_chain(api, &op.resource));
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.is_positional())
        .map(|p: &Param| format!("{:?}", p.example.clone().unwrap_or_else(|| p.wire.clone())))
        .collect();
    let mut args = args;
    if !op.params_struct.is_empty() {
        let module = emit::types::module_names(api, &model::Home::Resource(op.resource.clone()));
        args.push(format!("{lib_name}::{}::{}::default()", module.join("::"), op.params_struct));
    }
    let binding = match op.response {
        Response::Empty => "let _ = ",
        _ => "let response = ",
    };
    Some(format!("{binding}client{chain}\n    .{}({})\n    .await?;", op.method_name, args.join(", ")))
}

/// `zero_trust().access().servers()`: the accessors from the client down to a resource, as
/// naming decided them.
pub fn accessor_chain(api: &Api, resource: &[String]) -> String {
    (1..=resource.len())
        .map(|d| format!("{}()", emit::names(api, &resource[..d]).accessor))
        .collect::<Vec<_>>()
        .join(".")
}
