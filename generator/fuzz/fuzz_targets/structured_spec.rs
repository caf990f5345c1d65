//! Structured specs: arbitrary (but well-formed) documents built from schemas, references,
//! unions, enums with odd values and operations with odd names. Reaches much deeper into
//! lowering, naming and emission than raw text does. Never a panic; output always parses.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

#[derive(Arbitrary, Debug)]
struct Spec {
    schemas: Vec<(String, Schema)>,
    ops: Vec<Op>,
}

#[derive(Arbitrary, Debug)]
enum Schema {
    Str { values: Vec<String>, nullable: bool, pattern: Option<String>, max_len: Option<u8> },
    Int { max: Option<i64>, min: Option<i64> },
    Num,
    Bool,
    Any,
    Array(Box<Schema>),
    Map(Box<Schema>),
    Object(Vec<(String, Schema, bool)>),
    Ref(u8),
    BadRef(String),
    AllOf(Vec<Schema>),
    OneOf(Vec<Schema>),
    Nullable(Box<Schema>),
    Described(String, Box<Schema>),
}

#[derive(Arbitrary, Debug)]
struct Op {
    words: Vec<String>,
    method: u8,
    id: Option<String>,
    params: Vec<(String, u8, Schema)>,
    body: Option<Schema>,
    response: Option<Schema>,
    deprecated: bool,
}

fn schema(s: &Schema, names: &[String], depth: usize) -> Value {
    if depth > 6 {
        return json!({});
    }
    match s {
        Schema::Str { values, nullable, pattern, max_len } => {
            let mut m = Map::new();
            m.insert("type".into(), json!("string"));
            if !values.is_empty() {
                m.insert("enum".into(), json!(values));
            }
            if *nullable {
                m.insert("nullable".into(), json!(true));
            }
            if let Some(p) = pattern {
                m.insert("pattern".into(), json!(p));
            }
            if let Some(n) = max_len {
                m.insert("maxLength".into(), json!(n));
            }
            Value::Object(m)
        }
        Schema::Int { max, min } => json!({"type": "integer", "maximum": max, "minimum": min}),
        Schema::Num => json!({"type": "number"}),
        Schema::Bool => json!({"type": "boolean"}),
        Schema::Any => json!({}),
        Schema::Array(i) => json!({"type": "array", "items": schema(i, names, depth + 1)}),
        Schema::Map(v) => json!({"type": "object", "additionalProperties": schema(v, names, depth + 1)}),
        Schema::Object(props) => {
            let mut p = Map::new();
            let mut required = Vec::new();
            for (name, s, req) in props {
                p.insert(name.clone(), schema(s, names, depth + 1));
                if *req {
                    required.push(name.clone());
                }
            }
            json!({"type": "object", "properties": p, "required": required})
        }
        Schema::Ref(i) if !names.is_empty() => {
            let name = &names[*i as usize % names.len()];
            json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))})
        }
        Schema::Ref(_) => json!({"type": "string"}),
        Schema::BadRef(r) => json!({"$ref": r}),
        Schema::AllOf(parts) => json!({"allOf": parts.iter().map(|p| schema(p, names, depth + 1)).collect::<Vec<_>>()}),
        Schema::OneOf(parts) => json!({"oneOf": parts.iter().map(|p| schema(p, names, depth + 1)).collect::<Vec<_>>()}),
        Schema::Nullable(inner) => {
            let mut v = schema(inner, names, depth + 1);
            if let Some(m) = v.as_object_mut() {
                m.insert("nullable".into(), json!(true));
            }
            v
        }
        Schema::Described(d, inner) => {
            let mut v = schema(inner, names, depth + 1);
            if let Some(m) = v.as_object_mut() {
                m.insert("description".into(), json!(d));
            }
            v
        }
    }
}

fn document(spec: &Spec) -> Value {
    let names: Vec<String> = spec.schemas.iter().map(|(n, _)| n.clone()).collect();
    let schemas: Map<String, Value> = spec.schemas.iter().map(|(n, s)| (n.clone(), schema(s, &names, 0))).collect();
    let mut paths = Map::new();
    for op in &spec.ops {
        let path = format!("/{}", op.words.join("/"));
        let method = ["get", "post", "put", "patch", "delete"][op.method as usize % 5];
        let mut params = Vec::new();
        for (name, loc, s) in &op.params {
            let location = ["query", "header", "path"][*loc as usize % 3];
            params.push(json!({"name": name, "in": location, "required": location == "path", "schema": schema(s, &names, 0)}));
        }
        let mut o = Map::new();
        if let Some(id) = &op.id {
            o.insert("operationId".into(), json!(id));
        }
        o.insert("parameters".into(), Value::Array(params));
        o.insert("deprecated".into(), json!(op.deprecated));
        if let Some(b) = &op.body {
            o.insert("requestBody".into(), json!({"content": {"application/json": {"schema": schema(b, &names, 0)}}}));
        }
        let response = match &op.response {
            Some(r) => json!({"description": "ok", "content": {"application/json": {"schema": schema(r, &names, 0)}}}),
            None => json!({"description": "none"}),
        };
        o.insert("responses".into(), json!({"200": response}));
        let item = paths.entry(path).or_insert_with(|| json!({}));
        if let Some(m) = item.as_object_mut() {
            m.insert(method.into(), Value::Object(o));
        }
    }
    json!({"openapi": "3.0.3", "info": {"title": "Fuzz", "version": "1"}, "paths": paths, "components": {"schemas": schemas}})
}

fuzz_target!(|spec: Spec| {
    let text = document(&spec).to_string();
    let config = generator::config::Config::derived();
    if let Ok(generated) = generator::generate_str(&text, true, &config, "fuzz.json") {
        for (path, contents) in &generated.files {
            if path.ends_with(".rs") && !path.starts_with("src/runtime/") {
                if let Err(e) = syn::parse_file(contents) {
                    panic!("{path} does not parse: {e}\n{contents}");
                }
            }
        }
    }
});
