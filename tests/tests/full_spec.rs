//! The whole Cloudflare API (../shared/cloudflare/openapi.json, 1,533 operations) generates
//! without errors and the crate `cargo check`s with zero errors and zero warnings, with a user's
//! example beside it: a DNS A record created in three lines.

use generator::config::Config;
use tests::{repo, shared_file};

#[test]
fn full_cloudflare_spec_generates_and_compiles_cleanly() {
    let Some(spec) = shared_file("cloudflare/openapi.json") else { return };
    let generated = generator::generate_file(&spec, &Config::derived(), "openapi.json")
        .unwrap_or_else(|d| panic!("the full spec must generate: {:#?}", &d.sorted()[..d.sorted().len().min(20)]));
    assert_eq!(generated.operations, 1533, "every operation gets a method");
    assert!(generated.types >= 3716, "every component schema gets a type ({} types)", generated.types);
    let errors = generated.diagnostics.error_count();
    assert_eq!(errors, 0);

    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join("cloudflare-full");
    generator::write::write(&dir, &generated.files).expect("write the crate");
    // Standalone: its own (empty) workspace, the project's lock file for the same versions.
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
    if !manifest.contains("[workspace]") {
        std::fs::write(dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n")).expect("manifest");
    }
    std::fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
    std::fs::create_dir_all(dir.join("examples")).expect("examples dir");
    std::fs::write(dir.join("examples/dns_a_record.rs"), DNS_A_RECORD).expect("write the example");
    // Every group (each type deriving only the serde traits it is used with), then one group
    // alone with `serde-all`: feature gating must leave nothing dangling and nothing unused.
    for features in [&[][..], &["--no-default-features", "--features", "zones,serde-all,rustls-ring"][..]] {
        let check = tests::cargo(&dir, &tmp.join("fixture-target"))
            .args(["check", "--quiet"])
            .args(features)
            .args(if features.is_empty() { &["--examples"][..] } else { &[][..] })
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("run cargo check");
        assert!(
            check.status.success(),
            "the full Cloudflare crate does not compile cleanly with {features:?}:\n{}",
            String::from_utf8_lossy(&check.stderr).lines().take(80).collect::<Vec<_>>().join("\n")
        );
    }
}

/// What a user writes to create a DNS A record (the three lines of `run` before `println!`).
const DNS_A_RECORD: &str = r#"//! Creates a DNS A record in the zone of CLOUDFLARE_ZONE_ID.
use std::net::Ipv4Addr;

use cloudflare_api_client::types::DnsRecordsARecord;

async fn run() -> Result<(), cloudflare_api_client::Error> {
    let client = cloudflare_api_client::Client::from_env()?;
    let record = DnsRecordsARecord::new(Ipv4Addr::new(198, 51, 100, 4), "www.example.com").ttl(3600).proxied(true);
    let created = client.dns_records().create(record.into()).await?;
    println!("{created:?}");
    Ok(())
}

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("{error}");
    }
}
"#;
