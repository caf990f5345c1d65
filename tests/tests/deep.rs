//! Depth never crashes the generator: chains of thousands of schemas that each `$ref` the next
//! through every construct (alias, property, items, map values, oneOf, an `allOf` wrapper, an
//! `allOf` merge), and inline nesting as deep as the parsers allow, either generate or fail
//! with a located error. This runs on a test thread (2 MiB of stack, debug build), a quarter of
//! what the binary's main thread has, so a recursion that survives here has room to spare.

use generator::config::Config;
use serde_json::{Value, json};

const CHAIN: usize = 3000;

/// How one schema of a chain wraps the `$ref` to the next.
type Link = fn(Value) -> Value;

fn document(schemas: serde_json::Map<String, Value>) -> String {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Deep", "version": "1"},
        "paths": {"/a": {"post": {
            "operationId": "a",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/S0"}}}}}
        }}},
        "components": {"schemas": schemas}
    })
    .to_string()
}

/// `S0 → S1 → … → S{CHAIN}` where each link is `link(ref to the next)`.
fn chain(link: impl Fn(Value) -> Value) -> String {
    let mut schemas = serde_json::Map::new();
    for i in 0..CHAIN {
        schemas.insert(format!("S{i}"), link(json!({"$ref": format!("#/components/schemas/S{}", i + 1)})));
    }
    schemas.insert(format!("S{CHAIN}"), json!({"type": "object", "properties": {"end": {"type": "string"}}}));
    document(schemas)
}

fn generate(text: &str) -> Result<usize, String> {
    let mut config = Config::derived();
    config.wire_tests = true;
    match generator::generate_str(text, true, &config, "deep.json") {
        Ok(g) => Ok(g.types),
        Err(d) => Err(d.sorted().iter().map(|d| format!("{d:?}")).collect::<Vec<_>>().join("\n")),
    }
}

#[test]
fn reference_chains_of_every_construct_generate() {
    let links: [(&str, Link); 6] = [
        ("alias", |r| r),
        ("property", |r| json!({"type": "object", "properties": {"next": r}})),
        ("items", |r| json!({"type": "array", "items": r})),
        ("map", |r| json!({"type": "object", "additionalProperties": r})),
        ("oneOf", |r| json!({"oneOf": [r, {"type": "integer"}]})),
        ("allOf wrapper", |r| json!({"type": "object", "properties": {"next": {"allOf": [r, {"description": "d"}]}}})),
    ];
    for (name, link) in links {
        let types = generate(&chain(link)).unwrap_or_else(|e| panic!("{name} chain: {e}"));
        assert!(types > CHAIN, "{name} chain: only {types} types");
    }
}

#[test]
fn an_all_of_merge_chain_is_a_located_error() {
    let text = chain(|r| json!({"allOf": [r, {"properties": {"x": {"type": "string"}}}]}));
    let error = generate(&text).expect_err("3000 allOf levels cannot be merged");
    assert!(error.contains("levels deep") && error.contains("#/components/schemas/S"), "{error}");
}

#[test]
fn inline_nesting_to_the_parser_limit_is_generated_or_refused_with_a_location() {
    for depth in [30, 60, 200] {
        let mut schema = json!({"type": "string"});
        for _ in 0..depth {
            schema = json!({"type": "object", "properties": {"x": schema}});
        }
        let mut schemas = serde_json::Map::new();
        schemas.insert("S0".into(), schema);
        match generate(&document(schemas)) {
            Ok(_) => assert!(depth < 64, "depth {depth} cannot even be parsed"),
            Err(e) => assert!(depth >= 60 && e.contains("line"), "depth {depth}: {e}"),
        }
    }
}
