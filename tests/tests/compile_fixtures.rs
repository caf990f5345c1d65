//! Every fixture's output (and the project's spec/) is compiled and then proven on the wire:
//! all crates go into one temporary workspace, generated with their per-operation wire tests
//! (`tests/operations.rs`), and must build with zero warnings; each crate's tests then run
//! against Prism, a third-party mock server that validates every request against that crate's
//! spec, so a request it flags or a response that does not decode fails here. Hand-written
//! recorded-wire tests (tests/recorded/*.rs, against wiremock) check the exact bytes where a
//! validator cannot (no JSON-quoted ids, multipart parts and boundary). Each crate depends only
//! on crates.io, so this also proves `--out DIR` crates build standalone.

use std::path::{Path, PathBuf};

use generator::config::Config;
use tests::prism::Prism;
use tests::{fixtures, project_config, repo};

/// Operations Prism refuses although our request is what the spec means; each must keep
/// failing (so the list cannot rot), with the reason.
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "odd_refs",
        "get_things_id",
        "the spec declares path parameter `ghost` that is not in the path template; the generator \
         leaves it out with a warning, Prism demands it (422 \"must have required property 'ghost'\")",
    ),
    (
        "request_shapes",
        "verify",
        "query parameter `retry` has `enum: [true]` and no `type`: the client sends `retry=true`, the \
         only spelling a query string has, but without a type Prism does not read it as a boolean \
         (422 \"must be equal to one of the allowed values: true\"); the spec should say `type: boolean`",
    ),
    (
        "openapi31",
        "put_pet",
        "OpenAPI 3.1 lets an operation declare no responses; Prism validates the request and then \
         answers 500 \"No response defined for the selected operation\"",
    ),
    (
        "path_styles",
        "get_cell",
        "Prism 5.14 crashes on a non-exploded array or a matrix scalar in the path (\"value.split is \
         not a function\" in its simple-style deserializer); tests/recorded/path_styles.rs checks the bytes",
    ),
];

struct Crate {
    name: String,
    package: String,
    spec: PathBuf,
}

#[test]
fn fixture_crates_compile_and_pass_their_wire_tests_against_prism() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    let crates = write_workspace(&root);
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-target");
    let run = |args: &[&str], envs: &[(&str, &str)]| {
        let mut c = tests::cargo(&root, &target);
        c.args(args).env("RUSTFLAGS", "-D warnings");
        for (k, v) in envs {
            c.env(k, v);
        }
        c.output().expect("run cargo")
    };

    let build = run(&["test", "--workspace", "--no-run", "--quiet"], &[]);
    assert!(
        build.status.success(),
        "fixture crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let doc = tests::cargo(&root, &target)
        .args(["doc", "--no-deps", "--quiet", "-p", "markdown-client"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("run cargo doc");
    assert!(
        doc.status.success(),
        "hostile markdown produced rustdoc warnings:\n{}",
        String::from_utf8_lossy(&doc.stderr)
    );

    // Each crate's README is its crate docs: its examples (a call, a call with a body, handling
    // an API error, paging) are doctests that must compile.
    let doctests = run(&["test", "--workspace", "--doc", "--quiet"], &[]);
    assert!(
        doctests.status.success(),
        "doc examples of the generated crates do not compile:\n{}{}",
        String::from_utf8_lossy(&doctests.stdout),
        String::from_utf8_lossy(&doctests.stderr)
    );

    let mut problems = Vec::new();
    let mut passed = 0;
    for c in &crates {
        let prism = Prism::start(&c.spec);
        let args = ["test", "-p", &c.package, "--test", "operations", "--", "--test-threads", "4"];
        let out = run(&args, &[("WIRE_BASE_URL", &prism.url)]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let results = test_results(&stdout);
        assert!(!results.is_empty(), "{}: no wire tests ran:\n{stdout}", c.name);
        let mut unexpected = false;
        for (test, ok) in &results {
            let known = KNOWN.iter().find(|(krate, t, _)| *krate == c.name && test.starts_with(t));
            match (ok, known) {
                (true, None) => passed += 1,
                (false, Some(_)) => {}
                (true, Some((_, _, why))) => {
                    problems.push(format!("{}::{test} passes now; remove it from KNOWN ({why})", c.name))
                }
                (false, None) => {
                    unexpected = true;
                    problems.push(format!("{}::{test} failed", c.name))
                }
            }
        }
        if unexpected {
            problems.push(format!("--- {} test output:\n{stdout}\n--- Prism log:\n{}", c.name, prism.log()));
        }
    }
    eprintln!("wire tests against Prism: {passed} passed, {} known exceptions failed as expected", KNOWN.len());
    assert!(problems.is_empty(), "wire tests against Prism ({passed} passed):\n{}", problems.join("\n"));

    let recorded = run(&["test", "--workspace", "--quiet", "--test", "recorded"], &[]);
    assert!(
        recorded.status.success(),
        "recorded-wire tests failed:\n{}{}",
        String::from_utf8_lossy(&recorded.stdout),
        String::from_utf8_lossy(&recorded.stderr)
    );
}

/// Generates every fixture and spec/ (with wire tests) into a workspace at `root`, adding the
/// hand-written recorded-wire tests where a fixture has them.
fn write_workspace(root: &Path) -> Vec<Crate> {
    let mut specs: Vec<(String, PathBuf, Config)> =
        fixtures().into_iter().map(|(name, path)| (name.clone(), path.clone(), tests::fixture_config(&path))).collect();
    specs.push(("spec".into(), repo().join("spec/openapi.yaml"), project_config()));
    let mut crates = Vec::new();
    let mut members = Vec::new();
    for (name, path, mut config) in specs {
        config.wire_tests = true;
        let label = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let generated = generator::generate_file(&path, &config, &label)
            .unwrap_or_else(|d| panic!("{label} must generate: {:#?}", d.sorted()));
        let mut files = generated.files;
        let recorded = repo().join("tests/recorded").join(format!("{name}.rs"));
        if recorded.exists() {
            let text = std::fs::read_to_string(&recorded).expect("read recorded test");
            files.insert("tests/recorded.rs".into(), format!("// {}\n{text}", generator::templates::MARKER));
            let manifest = files.get_mut("Cargo.toml").expect("a manifest");
            manifest.push_str("wiremock = \"0.6\"\n");
        } else {
            files.insert(
                "tests/recorded.rs".into(),
                format!("// {}\n//! No recorded-wire tests for this fixture.\n", generator::templates::MARKER),
            );
        }
        let package = package_name(&files["Cargo.toml"]);
        let dir = root.join(&name);
        generator::write::write(&dir, &files).expect("write fixture crate");
        members.push(format!("{name:?}"));
        crates.push(Crate { name, package, spec: path });
    }
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(root.join("Cargo.toml"), manifest).expect("write workspace manifest");
    // The project's lock file pins the same dependency versions the generated crate is tested with.
    std::fs::copy(repo().join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");
    crates
}

fn package_name(manifest: &str) -> String {
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("the manifest names its package")
        .to_string()
}

/// `(test name, passed)` for every `test NAME ... ok|FAILED` line of libtest's output.
fn test_results(stdout: &str) -> Vec<(String, bool)> {
    stdout
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("test ")?;
            let (name, verdict) = rest.rsplit_once(" ... ")?;
            Some((name.to_string(), verdict.trim() == "ok"))
        })
        .collect()
}
