//! Every fixture's output is also compiled (the trybuild idea, at crate scale): all fixture
//! crates go into one temporary workspace and must `cargo check` with zero warnings. The
//! hostile-markdown crate must also document with zero rustdoc warnings. Each crate depends only
//! on crates.io, so this also proves `--out DIR` crates build standalone.

use std::process::Command;

use tests::{fixtures, generate_fixture, repo};

#[test]
fn fixture_crates_compile_without_warnings() {
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    let mut members = Vec::new();
    for (name, path) in fixtures() {
        let generated = generate_fixture(&path);
        let dir = root.join(&name);
        generator::write::write(&dir, &generated.files).expect("write fixture crate");
        members.push(format!("{name:?}"));
    }
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(root.join("Cargo.toml"), manifest).expect("write workspace manifest");
    // The project's lock file pins the same dependency versions the generated crate is tested with.
    std::fs::copy(repo().join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-target");

    let check = Command::new(&cargo)
        .args(["check", "--workspace", "--all-targets", "--quiet"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo check");
    assert!(
        check.status.success(),
        "fixture crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let doc = Command::new(&cargo)
        .args(["doc", "--no-deps", "--quiet", "-p", "markdown-client"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("run cargo doc");
    assert!(
        doc.status.success(),
        "hostile markdown produced rustdoc warnings:\n{}",
        String::from_utf8_lossy(&doc.stderr)
    );
}
