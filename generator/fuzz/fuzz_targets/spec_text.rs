//! Arbitrary spec text (YAML or JSON): the generator must never panic, and whenever it
//! succeeds every Rust file it produced must parse.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let json = text.trim_start().starts_with('{');
    let config = generator::config::Config::derived();
    if let Ok(generated) = generator::generate_str(text, json, &config, "fuzz.yaml") {
        check_output(&generated.files);
    }
});

fn check_output(files: &generator::write::Files) {
    for (path, contents) in files {
        // The runtime is copied verbatim and checked by the main test suite.
        if path.ends_with(".rs") && !path.starts_with("src/runtime/") {
            if let Err(e) = syn::parse_file(contents) {
                panic!("{path} does not parse: {e}\n{contents}");
            }
        }
    }
}
