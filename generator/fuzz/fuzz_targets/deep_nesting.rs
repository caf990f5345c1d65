//! Depth: a chain of up to 20,000 schemas, each wrapping a `$ref` to the next in one of the
//! constructs that lowering, reachability, naming, sampling and emission follow (alias,
//! property, items, map values, oneOf, anyOf, an allOf wrapper, an allOf merge, nullable), plus
//! inline nesting. Whatever the depth and mix: never a panic, never a stack overflow; either
//! output that parses or errors.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

#[derive(Arbitrary, Debug)]
struct Chain {
    /// The constructs, repeated until the chain is `length` long.
    links: Vec<u8>,
    length: u16,
    /// Inline nesting inside every link (0..=40 levels of `properties`).
    inline: u8,
    wire_tests: bool,
}

fn link(kind: u8, next: Value, inline: u8) -> Value {
    let mut inner = next;
    for _ in 0..inline % 41 {
        inner = json!({"type": "object", "properties": {"x": inner}});
    }
    match kind % 9 {
        0 => inner,
        1 => json!({"type": "object", "properties": {"next": inner}}),
        2 => json!({"type": "array", "items": inner}),
        3 => json!({"type": "object", "additionalProperties": inner}),
        4 => json!({"oneOf": [inner, {"type": "integer"}]}),
        5 => json!({"anyOf": [inner, {"type": "boolean"}]}),
        6 => json!({"type": "object", "properties": {"next": {"allOf": [inner, {"description": "d"}]}}}),
        7 => json!({"allOf": [inner, {"properties": {"extra": {"type": "string"}}}]}),
        _ => json!({"allOf": [inner], "nullable": true}),
    }
}

fuzz_target!(|chain: Chain| {
    let length = usize::from(chain.length % 20_000) + 1;
    let kinds = if chain.links.is_empty() { vec![0] } else { chain.links.clone() };
    let mut schemas = serde_json::Map::new();
    for i in 0..length {
        let next = json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        schemas.insert(format!("S{i}"), link(kinds[i % kinds.len()], next, chain.inline));
    }
    schemas.insert(format!("S{length}"), json!({"type": "string"}));
    let text = json!({
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
    .to_string();
    let mut config = generator::config::Config::derived();
    config.wire_tests = chain.wire_tests;
    if let Ok(generated) = generator::generate_str(&text, true, &config, "deep.json") {
        for (path, contents) in &generated.files {
            if path.ends_with(".rs") && !path.starts_with("src/runtime/") {
                if let Err(e) = syn::parse_file(contents) {
                    panic!("{path} does not parse: {e}");
                }
            }
        }
    }
});
