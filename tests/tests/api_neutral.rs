//! The generator and its runtime are not Cloudflare's: a crate generated from a spec that never
//! mentions Cloudflare must not mention it either (no `cf-ray`, no `CLOUDFLARE_*` variables).

use tests::{fixtures, generate_fixture};

#[test]
fn crates_of_other_apis_never_speak_of_cloudflare() {
    let mut checked = 0;
    for (name, path) in fixtures() {
        let spec = std::fs::read_to_string(&path).expect("read fixture").to_lowercase();
        if spec.contains("cloudflare") || spec.contains("cf-ray") {
            continue;
        }
        checked += 1;
        for (file, text) in generate_fixture(&path).files {
            let lower = text.to_lowercase();
            for word in ["cloudflare", "cf-ray"] {
                if let Some(at) = lower.find(word) {
                    let line = lower[..at].lines().count();
                    panic!("fixture {name}: {file} line {line} says `{word}`");
                }
            }
        }
    }
    assert!(checked >= 5, "only {checked} fixtures were free of Cloudflare; the check means nothing");
}
