//! generated/ must be exactly what spec/ produces now; `--check` must say so, and must catch a
//! change to the spec, naming the file that would change.

use generator::write;
use tests::{cli, generate_project, repo};

#[test]
fn generated_crate_matches_spec() {
    let drift = write::check(&repo().join("generated"), &generate_project()).expect("generated/ is readable");
    let paths: Vec<&str> = drift.iter().map(|d| d.path()).collect();
    assert!(drift.is_empty(), "generated/ has drifted from spec/ in {paths:?}: run `cargo run -p generator`");
}

#[test]
fn check_flag_passes_on_a_clean_tree() {
    let (code, out, err) = cli(&["--check"]);
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.contains("up to date"), "{out}");
}

#[test]
fn check_flag_reports_a_new_enum_value_with_a_diff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = std::fs::read_to_string(repo().join("spec/openapi.yaml")).expect("spec readable");
    let changed = spec.replacen(
        "                              - error\n",
        "                              - error\n                              - paused\n",
        1,
    );
    assert_ne!(spec, changed, "the status enum moved in spec/openapi.yaml; update this test");
    std::fs::write(dir.path().join("openapi.yaml"), changed).expect("write spec");
    std::fs::copy(repo().join("spec/generator.yaml"), dir.path().join("generator.yaml")).expect("copy config");
    std::fs::create_dir(dir.path().join("extensions")).expect("mkdir");
    for e in std::fs::read_dir(repo().join("spec/extensions")).expect("spec/extensions").flatten() {
        std::fs::copy(e.path(), dir.path().join("extensions").join(e.file_name())).expect("copy extension");
    }
    let config = dir.path().join("generator.yaml");
    let out = repo().join("generated");
    let before = std::fs::read(out.join("src/zero_trust/access/ai_controls/mcp/servers.rs")).expect("generated file");
    let (code, stdout, stderr) =
        cli(&["--config", config.to_str().unwrap(), "--out", out.to_str().unwrap(), "--check"]);
    assert_eq!(code, 1, "stderr:\n{stderr}");
    assert!(stdout.contains("+++ b/src/zero_trust/access/ai_controls/mcp/servers.rs"), "{stdout}");
    assert!(stdout.contains("+    Paused,"), "{stdout}");
    assert!(
        stderr.contains("src/zero_trust/access/ai_controls/mcp/servers.rs")
            && stderr.contains("cargo run -p generator"),
        "{stderr}"
    );
    let after = std::fs::read(out.join("src/zero_trust/access/ai_controls/mcp/servers.rs")).expect("generated file");
    assert_eq!(before, after, "--check must not write");
}
