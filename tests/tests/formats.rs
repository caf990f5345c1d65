//! Typed formats are a config choice: `typed_formats: false` keeps them strings and plain
//! numbers, and the crate then depends on neither chrono, uuid nor url.

use generator::config::Config;
use tests::repo;

fn generate(typed: bool) -> (String, String) {
    let config = Config { typed_formats: typed, ..Config::derived() };
    let generated = generator::generate_file(&repo().join("tests/fixtures/formats.yaml"), &config, "formats.yaml")
        .unwrap_or_else(|d| panic!("{:#?}", d.sorted()));
    let file = |name: &str| generated.files.get(name).cloned().unwrap_or_else(|| panic!("{name}"));
    (file("Cargo.toml"), file("src/types.rs"))
}

#[test]
fn formats_are_typed_by_default() {
    let (manifest, types) = generate(true);
    for dep in ["chrono =", "uuid =", "url ="] {
        assert!(manifest.contains(dep), "{dep} in {manifest}");
    }
    for ty in
        ["::chrono::DateTime<::chrono::Utc>", "::chrono::NaiveDate", "::uuid::Uuid", "::url::Url", "pub guests: i32"]
    {
        assert!(types.contains(ty), "{ty}");
    }
}

#[test]
fn typed_formats_false_keeps_strings_and_drops_the_crates() {
    let (manifest, types) = generate(false);
    for dep in ["chrono", "uuid", "url"] {
        assert!(!manifest.contains(dep), "{dep} in {manifest}");
    }
    assert!(!types.contains("chrono") && !types.contains("Uuid") && !types.contains("Base64"), "{types}");
    assert!(types.contains("pub starts_at: ::std::string::String") && types.contains("pub guests: i64"), "{types}");
}
