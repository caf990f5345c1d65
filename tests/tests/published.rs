//! spec/ is written by us, from the facts of the operation Cloudflare publishes
//! (../shared/cloudflare/sync-operation.json). This test lowers both and compares what matters
//! to a user: method, path, parameters and their rules, the result's fields and enum values,
//! error statuses, security, and the vendor extensions the docs show (accepted token permissions).

use generator::diag::Diagnostics;
use generator::model::{self, Api, Operation, Ty, TypeKind};
use serde_json::{Value, json};
use tests::{project_config, repo, shared_file};

/// A structural description of a type, independent of type names and module placement.
fn shape(api: &Api<model::Unnamed>, ty: &Ty, depth: usize) -> Value {
    if depth > 8 {
        return json!("…");
    }
    match ty {
        Ty::String => json!("string"),
        Ty::File => json!("file"),
        Ty::Integer => json!("integer"),
        Ty::Number => json!("number"),
        Ty::Boolean => json!("boolean"),
        Ty::Any => json!("any"),
        Ty::Format(f) => json!(f.name()),
        Ty::Array(t) => json!({ "array": shape(api, t, depth + 1) }),
        Ty::Tuple(items) => json!({ "tuple": items.iter().map(|t| shape(api, t, depth + 1)).collect::<Vec<_>>() }),
        Ty::Map(t) => json!({ "map": shape(api, t, depth + 1) }),
        Ty::Nullable(t) => json!({ "nullable": shape(api, t, depth + 1) }),
        Ty::Named(id) => match &api.types[*id].kind {
            TypeKind::Struct(s) => Value::Object(
                s.fields
                    .iter()
                    .map(|f| {
                        let key = format!("{}{}", f.wire, if f.required { "" } else { "?" });
                        (key, json!({ "type": shape(api, &f.ty, depth + 1), "doc": f.docs.description }))
                    })
                    .collect(),
            ),
            TypeKind::Enum(e) => json!({ "enum": e.variants.iter().map(|v| v.wire.clone()).collect::<Vec<_>>() }),
            TypeKind::Alias(t) => shape(api, t, depth + 1),
            TypeKind::Union(u) => {
                json!({ "one_of": u.variants.iter().map(|v| shape(api, &v.ty, depth + 1)).collect::<Vec<_>>() })
            }
            TypeKind::Pending => json!("pending"),
        },
    }
}

fn facts(api: &Api<model::Unnamed>, op: &Operation) -> Value {
    let params: Vec<Value> = op
        .params
        .iter()
        .map(|p| json!({ "name": p.wire, "in": format!("{:?}", p.location), "required": p.required, "rules": p.constraints.describe() }))
        .collect();
    let mut security: Vec<Vec<String>> = op
        .security
        .iter()
        .map(|alt| {
            let mut a = alt.clone();
            a.sort();
            a
        })
        .collect();
    security.sort();
    let response = match &op.response {
        model::Response::Json { ty, envelope } => json!({ "envelope": envelope, "result": shape(api, ty, 0) }),
        other => json!(format!("{other:?}")),
    };
    json!({
        "id": op.operation_id, "method": op.method, "path": op.path,
        "summary": op.summary, "description": op.description,
        "params": params, "response": response, "security": security,
        "errors": op.errors.iter().map(|e| e.status.clone()).collect::<Vec<_>>(),
        "extension_docs": op.extension_docs,
    })
}

fn lower(spec: &str, json: bool) -> Api<model::Unnamed> {
    let mut d = Diagnostics::new("t");
    let spec = generator::load::load_str(spec, json, &mut d).unwrap_or_else(|| panic!("{:#?}", d.sorted()));
    let api = model::lower(&spec, &project_config(), &mut d);
    assert!(!d.has_errors(), "{:#?}", d.sorted());
    api
}

#[test]
fn spec_states_the_published_facts() {
    let Some(path) = shared_file("cloudflare/sync-operation.json") else { return };
    let published: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON");
    let method = published["method"].as_str().expect("method");
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "published", "version": "1"},
        "paths": { published["path"].as_str().expect("path"): { method: published["operation"] } },
        "components": {"securitySchemes": {
            "api_token": {"type": "http", "scheme": "bearer"},
            "api_email": {"type": "apiKey", "in": "header", "name": "X-Auth-Email"},
            "api_key": {"type": "apiKey", "in": "header", "name": "X-Auth-Key"},
        }},
    });
    let theirs = lower(&doc.to_string(), true);
    let ours = lower(&std::fs::read_to_string(repo().join("spec/openapi.yaml")).expect("spec"), false);
    assert_eq!(facts(&ours, &ours.operations[0]), facts(&theirs, &theirs.operations[0]));
    assert_eq!(ours.operations[0].extension_docs.len(), 3, "token group, permissions and plans are shown");
}
