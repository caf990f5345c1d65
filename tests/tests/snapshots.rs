//! insta snapshots of the generator's output: one per fixture concern, plus spec/ itself.
//! Review changes with `cargo insta review` (or accept with INSTA_UPDATE=always).

use tests::{fixtures, generate_fixture, generate_project, snapshot_text};

#[test]
fn fixture_outputs_match_snapshots() {
    for (name, path) in fixtures() {
        let generated = generate_fixture(&path);
        insta::assert_snapshot!(name.as_str(), snapshot_text(&generated.files));
    }
}

#[test]
fn project_output_matches_snapshot() {
    insta::assert_snapshot!("cloudflare_sync", snapshot_text(&generate_project()));
}

#[test]
fn fixture_warnings_match_snapshots() {
    for (name, path) in fixtures() {
        let generated = generate_fixture(&path);
        let warnings: Vec<String> = generated.diagnostics.sorted().iter().map(|d| d.to_string()).collect();
        insta::assert_snapshot!(format!("{name}_diagnostics"), warnings.join("\n"));
    }
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generate_project(), generate_project(), "two runs over spec/ differ");
    for (name, path) in fixtures() {
        assert_eq!(generate_fixture(&path).files, generate_fixture(&path).files, "two runs over {name} differ");
    }
}
