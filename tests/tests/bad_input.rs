//! Bad input: every case gives a clear, located error, a non-zero exit code, and leaves the
//! output directory byte-identical.

use std::fs;

use tests::cli;

/// Generates `spec_text` over an existing crate; asserts failure, the message and an untouched tree.
fn fails(file_name: &str, spec_text: Option<&str>, expected: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("crate");
    let good = tests::repo().join("tests/fixtures/optional.yaml");
    assert_eq!(cli(&["--spec", good.to_str().unwrap(), "--out", out.to_str().unwrap()]).0, 0);
    let before = tests::tree(&out);
    let spec = dir.path().join(file_name);
    if let Some(text) = spec_text {
        fs::write(&spec, text).expect("write spec");
    }
    let (code, stdout, stderr) = cli(&["--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2, "expected exit 2 for {file_name}; stdout:\n{stdout}\nstderr:\n{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(before, tests::tree(&out), "output directory changed after a failed run");
    stderr
}

const INFO: &str = "info: {title: T, version: '1'}\n";

#[test]
fn missing_file() {
    fails("absent.yaml", None, &["error: cannot read the spec file", "absent.yaml"]);
}

#[test]
fn empty_file() {
    fails("empty.yaml", Some("  \n"), &["the spec file is empty"]);
}

#[test]
fn malformed_yaml_has_line_and_column() {
    let e = fails("bad.yaml", Some("openapi: 3.0.3\ninfo: [unclosed\npaths: {}\n"), &["invalid YAML"]);
    assert!(e.contains("bad.yaml:"), "{e}");
}

#[test]
fn malformed_json_has_line_and_column() {
    fails("bad.json", Some("{\"openapi\": \"3.0.3\",\n \"info\": }"), &["invalid JSON", "bad.json:2:"]);
}

#[test]
fn neither_yaml_nor_json() {
    fails("binary.yaml", Some("\t{{{ not yaml: [\n"), &["invalid YAML"]);
}

#[test]
fn top_level_not_a_mapping() {
    fails("list.yaml", Some("- a\n- b\n"), &["top level of the document is a list, not a mapping"]);
}

#[test]
fn swagger_2() {
    fails(
        "swagger.yaml",
        Some("swagger: '2.0'\ninfo: {}\npaths: {}\n"),
        &["Swagger 2.0", "OpenAPI 3.0.x and 3.1.x are", "#/swagger", "swagger2openapi"],
    );
}

#[test]
fn openapi_3_2() {
    fails(
        "v32.yaml",
        Some(&format!("openapi: 3.2.0\n{INFO}paths: {{}}\n")),
        &["OpenAPI 3.2.0 is not supported: OpenAPI 3.0.x and 3.1.x are", "#/openapi"],
    );
}

#[test]
fn missing_info_and_paths() {
    fails("bare.yaml", Some("openapi: 3.0.3\n"), &["missing required field `info`", "missing required field `paths`"]);
}

#[test]
fn unresolved_ref_is_located() {
    let spec = format!(
        "openapi: 3.0.3\n{INFO}paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Nope'}}\n"
    );
    fails(
        "ref.yaml",
        Some(&spec),
        &[
            "unresolved `$ref`: `#/components/schemas/Nope`",
            "#/paths/~1a/get/responses/200/content/application~1json/schema",
        ],
    );
}

#[test]
fn ref_cycle_without_structure() {
    let spec = format!(
        "openapi: 3.0.3\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"
    );
    fails("cycle.yaml", Some(&spec), &["`$ref` cycle", "#/components/schemas/A"]);
}

#[test]
fn invalid_document_structure_is_located() {
    let spec = format!("openapi: 3.0.3\n{INFO}paths:\n  /a:\n    get:\n      responses: 7\n");
    fails("shape.yaml", Some(&spec), &["not a valid OpenAPI document", "#/paths/~1a/get/responses"]);
}

#[test]
fn unwritable_output_leaves_directory_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("crate");
    let good = tests::repo().join("tests/fixtures/optional.yaml");
    let other = tests::repo().join("tests/fixtures/nested.yaml");
    assert_eq!(cli(&["--spec", good.to_str().unwrap(), "--out", out.to_str().unwrap()]).0, 0);
    // A directory where a generated file must go makes that one write fail midway.
    let blocker = out.join("src/zones.rs");
    fs::create_dir_all(blocker.join("occupied")).expect("make blocker");
    let before = tests::tree(&out);
    let (code, _, stderr) = cli(&["--spec", other.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("writing the crate failed") && stderr.contains("zones.rs"), "{stderr}");
    assert_eq!(before, tests::tree(&out), "a failed write must leave every file as it was");
}

/// Integers beyond i64/u64 load from JSON as well as YAML (the YAML case is the odd_refs
/// fixture): they become floats, and the bound is reported rather than failing the parse.
#[test]
fn numbers_beyond_u64_in_json_are_warned_about() {
    let spec = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {
        "operationId": "a", "responses": {"200": {"description": "ok", "content": {"application/json": {
        "schema": {"type": "integer", "maximum": 340282366920938463463374607431768211455}}}}}}}}}"#;
    let generated = generator::generate_str(spec, true, &generator::config::Config::derived(), "big.json")
        .unwrap_or_else(|d| panic!("{:#?}", d.sorted()));
    let warnings: Vec<String> = generated.diagnostics.sorted().iter().map(|d| d.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("beyond i64") && w.contains("#/paths/~1a/get/responses/200")),
        "{warnings:?}"
    );
}

/// Fuzzing found a stack overflow: a schema whose `allOf` includes itself merged forever.
#[test]
fn all_of_including_itself() {
    let spec = format!(
        "openapi: 3.0.3\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n    B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - properties: {{x: {{type: string}}}}\n"
    );
    fails("self_all_of.yaml", Some(&spec), &["`allOf` includes itself", "#/components/schemas/"]);
}
