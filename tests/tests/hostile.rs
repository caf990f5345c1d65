//! Strings from the spec cannot inject code: the hostile fixture (tests/fixtures/markdown.yaml)
//! carries `*/`, quotes, `#[doc]`, fake functions and `panic!` in descriptions, names, enum
//! values and defaults. Its output must contain only the items the generator itself makes.

use syn::visit::Visit;
use tests::{generate_fixture, repo};

#[derive(Default)]
struct Items {
    functions: Vec<String>,
    macros: Vec<String>,
}

impl<'ast> Visit<'ast> for Items {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.functions.push(f.sig.ident.to_string());
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.functions.push(f.sig.ident.to_string());
        syn::visit::visit_impl_item_fn(self, f);
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let path = m.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::");
        if SERDE_MACROS.contains(&path.as_str()) {
            assert_table(m.tokens.clone(), &path);
        }
        self.macros.push(path);
        syn::visit::visit_macro(self, m);
    }
}

/// The runtime's serde macros, whose input is a table: `Name { "wire" => field how, .. }`.
const SERDE_MACROS: [&str; 2] = ["crate::runtime::ser::serialize_object", "crate::runtime::de::deserialize_object"];

/// A serde macro's input holds only names, string literals, `=>`, commas and one brace group:
/// nothing a spec string could turn into code.
fn assert_table(tokens: proc_macro2::TokenStream, path: &str) {
    use proc_macro2::{Delimiter, TokenTree};
    for token in tokens {
        match token {
            TokenTree::Ident(_) => {}
            TokenTree::Literal(l) => {
                assert!(l.to_string().starts_with('"'), "{path}!: a literal that is no string: {l}")
            }
            TokenTree::Punct(p) => assert!("=>,;".contains(p.as_char()), "{path}!: punctuation `{}`", p.as_char()),
            TokenTree::Group(g) => {
                assert_eq!(g.delimiter(), Delimiter::Brace, "{path}!: a group {g}");
                assert_table(g.stream(), path);
            }
        }
    }
}

#[test]
fn hostile_strings_stay_data() {
    let generated = generate_fixture(&repo().join("tests/fixtures/markdown.yaml"));
    let mut items = Items::default();
    for (path, text) in &generated.files {
        if path.ends_with(".rs") && !path.starts_with("src/runtime/") {
            let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            items.visit_file(&file);
        }
    }
    let allowed_fns =
        ["new", "docs", "get", "prepare_get", "as_str", "from", "fmt", "serialize", "deserialize", "default", "apply"];
    for f in &items.functions {
        assert!(allowed_fns.contains(&f.as_str()), "unexpected function `{f}` in the output");
    }
    for m in &items.macros {
        assert!(
            ["std::format", "std::concat", "std::env", "include_str"].contains(&m.as_str())
                || SERDE_MACROS.contains(&m.as_str()),
            "unexpected macro `{m}!`"
        );
    }
    // The smuggled text is still there, as data: in docs and string literals.
    let all: String = generated.files.values().cloned().collect();
    assert!(all.contains("fn evil()") && all.contains("injected"), "descriptions are kept as documentation");
}

/// Fuzzing found a schema named "+\r": the bare carriage return reached a `///` comment, which
/// Rust rejects. Control characters anywhere in spec strings must never break the output.
#[test]
fn control_characters_in_names_and_values_keep_output_parseable() {
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "T\r", "version": "1"},
        "paths": {"/a\r/{id}": {"get": {
            "operationId": "get\ra",
            "summary": "s\u{2028}t\u{0}",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                           {"name": "q\r", "in": "query", "schema": {"type": "string", "enum": ["x\ry", "\u{85}"]}}],
            "responses": {"200": {"description": "ok\r", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/+\r"}}}}}
        }}},
        "components": {"schemas": {"+\r": {"type": "string", "enum": ["a\rb", "c\u{b}"], "description": "d\re"}}}
    });
    let generated = generator::generate_str(&spec.to_string(), true, &generator::config::Config::derived(), "cr.json")
        .unwrap_or_else(|d| panic!("{:#?}", d.sorted()));
    for (path, text) in &generated.files {
        if path.ends_with(".rs") {
            syn::parse_file(text).unwrap_or_else(|e| panic!("{path} does not parse: {e}\n{text}"));
        }
    }
}
