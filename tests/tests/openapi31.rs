//! OpenAPI 3.1 documents are rewritten to 3.0's shape when loaded; a diagnostic about a node the
//! rewrite moved must still point at the user's node, never at one only the rewritten document
//! has (`.../allOf/0`, `.../oneOf/1`).

use generator::config::Config;

/// The pointers of every diagnostic generating `schemas` (a 3.1 `components.schemas` block in
/// YAML, indented by four spaces) reports, with their messages.
fn diagnostics(schemas: &str) -> Vec<(String, String)> {
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Pet'}}\ncomponents:\n  schemas:\n{schemas}"
    );
    let diags = match generator::generate_str(&text, false, &Config::derived(), "v31.yaml") {
        Ok(generated) => generated.diagnostics,
        Err(diags) => diags,
    };
    diags.sorted().into_iter().map(|d| (d.pointer, d.message)).collect()
}

fn pointers(found: &[(String, String)]) -> Vec<&str> {
    found.iter().map(|(pointer, _)| pointer.as_str()).collect()
}

#[test]
fn a_ref_with_siblings_is_reported_where_the_user_wrote_it() {
    let found = diagnostics(
        "    Pet:\n      type: object\n      properties:\n        owner:\n          $ref: '#/components/schemas/Missing'\n          description: who\n",
    );
    assert!(pointers(&found).contains(&"#/components/schemas/Pet/properties/owner"), "{found:#?}");
    assert!(!found.iter().any(|(p, _)| p.contains("allOf")), "{found:#?}");
}

#[test]
fn a_keyword_moved_into_a_type_branch_is_reported_where_the_user_wrote_it() {
    let found =
        diagnostics("    Pet:\n      type: [array, string]\n      items: {$ref: '#/components/schemas/Missing'}\n");
    assert!(pointers(&found).contains(&"#/components/schemas/Pet/items"), "{found:#?}");
    assert!(!found.iter().any(|(p, _)| p.contains("oneOf")), "{found:#?}");
}

#[test]
fn the_branch_left_beside_a_null_branch_keeps_its_index() {
    let found = diagnostics(
        "    Pet:\n      anyOf:\n        - {type: 'null'}\n        - {$ref: '#/components/schemas/Missing'}\n",
    );
    assert!(pointers(&found).contains(&"#/components/schemas/Pet/anyOf/1"), "{found:#?}");
    assert!(!found.iter().any(|(p, _)| p.contains("allOf")), "{found:#?}");
}

#[test]
fn a_3_0_idiom_in_a_3_1_document_is_read_as_3_0_meant_it_with_a_warning() {
    let found =
        diagnostics("    Pet:\n      type: object\n      properties:\n        name: {type: string, nullable: true}\n");
    assert!(
        found
            .iter()
            .any(|(p, m)| p == "#/components/schemas/Pet/properties/name/nullable" && m.contains("OpenAPI 3.0")),
        "{found:#?}"
    );
}

#[test]
fn a_document_of_webhooks_and_components_only_generates_its_types() {
    let text = "openapi: 3.1.1\ninfo: {title: Hooks, version: '1'}\nwebhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Ping'}\ncomponents:\n  schemas:\n    Ping:\n      type: object\n      properties:\n        zen: {type: [string, 'null']}\n";
    let generated = generator::generate_str(text, false, &Config::derived(), "hooks.yaml")
        .unwrap_or_else(|d| panic!("a document without paths generates: {:#?}", d.sorted()));
    assert_eq!(generated.operations, 0);
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub struct Ping"), "{types}");
    assert!(types.contains("pub zen: ::std::option::Option<::std::string::String>"), "{types}");
    let warnings: Vec<String> = generated.diagnostics.sorted().iter().map(|d| d.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("webhook(s) are not generated") && w.contains("#/webhooks")),
        "{warnings:#?}"
    );
}
