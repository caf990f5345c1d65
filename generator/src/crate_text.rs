//! The crate's text beyond the emitted Rust: the `@generated` header, README.md and Cargo.toml
//! (rendered from `templates/` with the named model), and the config's hand-written extension
//! files copied into `src/ext/`.

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::model::{Api, Format, Response};
use crate::write::Files;
use crate::{emit, model, render, templates};

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

pub fn text_files(
    api: &Api,
    raw: &serde_json::Value,
    config: &Config,
    header: &str,
    files: &mut Files,
) -> Result<(), String> {
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
    let examples = examples(api, raw);
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
        example => examples.call,
        errors_example => examples.errors,
        body_example => examples.body,
        paging_example => examples.paging,
        chrono => formats.contains(&Format::DateTime) || formats.contains(&Format::Date),
        uuid => formats.contains(&Format::Uuid),
        url => formats.contains(&Format::Uri),
    };
    files.insert("Cargo.toml".into(), templates::render(&env, "Cargo.toml", ctx.clone())?);
    files.insert("README.md".into(), templates::render(&env, "README.md", ctx)?);
    Ok(())
}

/// Code for the README (and so the crate docs, where each block is a doctest): a call, a call
/// with a body, handling an API error, and paging, each with the first operation that shows it
/// and a sample its parameters and body accept.
struct Examples {
    call: Option<String>,
    errors: Option<String>,
    body: Option<String>,
    paging: Option<String>,
}

/// A snippet as a user writes it: prelude names without their `::std::` paths.
fn readable(statements: proc_macro2::TokenStream) -> Option<String> {
    let text = render::snippet(statements)?;
    Some(
        [
            ("::std::string::String::from(", "String::from("),
            ("::std::vec!", "vec!"),
            ("::std::option::Option::Some(", "Some("),
            ("::std::option::Option::None", "None"),
            ("::std::boxed::Box::new(", "Box::new("),
            ("::std::collections::", "std::collections::"),
        ]
        .iter()
        .fold(text, |text, (from, to)| text.replace(from, to)),
    )
    // Printed again, as its shorter lines now fit.
    .and_then(|text| render::snippet(text.parse().ok()?))
}

fn examples(api: &Api, raw: &serde_json::Value) -> Examples {
    use quote::quote;
    // Sampled on demand: the first few usable operations usually serve (Graph has 22,361).
    let mut diags = crate::diag::Diagnostics::new("examples");
    let mut sampler = model::Samples::new(api, raw, &mut diags);
    let mut samples: Vec<Option<Option<model::OperationSample>>> = vec![None; api.operations.len()];
    let mut with_sample = |pick: &dyn Fn(&model::Operation) -> bool| {
        let usable = api.operations.iter().zip(&mut samples).filter(|(op, _)| !op.deprecated && pick(op));
        usable.into_iter().find_map(|(op, sample)| {
            let sample = sample.get_or_insert_with(|| sampler.operation(op));
            Some((op, emit::example_call(api, op, sample.as_ref()?)))
        })
    };
    let lib = quote::format_ident!("{}", api.crate_name.replace('-', "_"));
    let simple = with_sample(&|op| op.body.is_none());
    let call = simple.as_ref().and_then(|(op, call)| {
        let binding = if matches!(op.response, Response::Empty) {
            quote! { let _ = }
        } else {
            quote! { let response = }
        };
        readable(quote! { #binding #call.await?; })
    });
    let errors = simple.as_ref().and_then(|(_, call)| {
        readable(quote! {
            match #call.await {
                Ok(response) => println!("{response:?}"),
                // The status, the API's own error codes and messages, and the request id.
                Err(#lib::Error::Api(error)) => eprintln!("the API refused: {error}"),
                Err(error) => eprintln!("{error}"),
            }
        })
    });
    let body = with_sample(&|op| {
        op.body.as_ref().is_some_and(|b| matches!(b.kind, model::BodyKind::Json | model::BodyKind::Form) && b.required)
    })
    .and_then(|(_, call)| readable(quote! { let created = #call.await?; }));
    let paging = with_sample(&|op| op.pagination.is_some()).and_then(|(_, call)| {
        readable(quote! {
            use futures_util::TryStreamExt as _;
            let items: Vec<_> = #call.pager().items().try_collect().await?;
        })
    });
    Examples { call, errors, body, paging }
}
