//! The crate's text beyond the emitted Rust: the `@generated` header, README.md and Cargo.toml
//! (rendered from `templates/` with the named model), and the config's hand-written extension
//! files copied into `src/ext/`.

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::model::{Api, Format, Param, Response};
use crate::write::Files;
use crate::{model, render, templates};

pub fn header(spec_label: &str) -> String {
    let env = templates::environment();
    templates::render(&env, "header", minijinja::context! { spec => spec_label })
        .map(|s| s.trim_end().to_string())
        .unwrap_or_else(|_| format!("{} from {spec_label}", templates::MARKER))
}

/// Copies the config's hand-written extension files into `src/ext/`, checking they parse.
pub fn extensions(config: &Config, header: &str, files: &mut Files, diags: &mut Diagnostics) {
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

pub fn text_files(api: &Api, config: &Config, header: &str, files: &mut Files) -> Result<(), String> {
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
            let how = s.kind.how();
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
            let call = format!("{}.{}(..)", api.accessor_chain(&op.resource), op.method_name);
            let summary = op.summary.clone().unwrap_or_default().replace(['\n', '\r'], " ").replace('|', "\\|");
            minijinja::context! { call => call, method => op.method.clone(), path => op.path.clone(), summary => summary }
        })
        .collect();
    let defaults: Vec<minijinja::Value> =
        api.client_defaults.iter().map(|(n, e)| minijinja::context! { name => n, env => e }).collect();
    let formats = api.formats();
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
        base_url_env => api.base_url_env.clone(),
        base_url => api.base_url.clone(),
        schemes => schemes,
        defaults => defaults,
        env_summary => env_summary,
        operations => operations,
        features => api.features.clone(),
        example => readme_example(api),
        chrono => formats.contains(&Format::DateTime) || formats.contains(&Format::Date),
        uuid => formats.contains(&Format::Uuid),
        url => formats.contains(&Format::Uri),
    };
    files.insert("Cargo.toml".into(), templates::render(&env, "Cargo.toml", ctx.clone())?);
    files.insert("README.md".into(), templates::render(&env, "README.md", ctx)?);
    Ok(())
}

/// A call to the first operation that needs only strings and no body.
fn readme_example(api: &Api) -> Option<String> {
    let op = api.operations.iter().find(|op| {
        op.body.is_none()
            && op
                .params
                .iter()
                .filter(|p| p.is_positional())
                .all(|p| model::resolve(&api.types, &p.ty) == &model::Ty::String)
            && !op.deprecated
    })?;
    let chain = format!(".{}", api.accessor_chain(&op.resource));
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.is_positional())
        .map(|p: &Param| format!("{:?}", p.example.clone().unwrap_or_else(|| p.wire.clone())))
        .collect();
    let binding = match op.response {
        Response::Empty => "let _ = ",
        _ => "let response = ",
    };
    Some(format!("{binding}client{chain}\n    .{}({})\n    .await?;", op.method_name, args.join(", ")))
}
