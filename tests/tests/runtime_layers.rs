//! The runtime is layered: `generator/runtime/mod.rs` declares its modules bottom first, and
//! each module may use only modules declared above it, so there is no import circle and each
//! layer can be read (and tested) without the ones above.

use std::collections::BTreeSet;

fn without_comments(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// Sibling modules a runtime file names: `super::x` anywhere, and `use super::{x, y::z}`.
fn uses(text: &str, modules: &[String]) -> BTreeSet<String> {
    let text = without_comments(text);
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("super::") {
        let rest = &text[i + "super::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|p| p.trim().split("::").next().unwrap_or_default().to_string()));
        } else {
            out.insert(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    out.retain(|m| modules.contains(m));
    out
}

#[test]
fn runtime_modules_use_only_the_layers_below() {
    let dir = tests::repo().join("generator/runtime");
    let root = std::fs::read_to_string(dir.join("mod.rs")).expect("runtime mod.rs");
    let order: Vec<String> = without_comments(&root)
        .lines()
        .filter_map(|l| l.trim().trim_start_matches("pub ").strip_prefix("mod ")?.strip_suffix(';').map(String::from))
        .collect();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("runtime dir")
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(String::from))
        .filter(|n| n != "mod" && n != "README")
        .collect();
    files.sort();
    let mut declared = order.clone();
    declared.sort();
    assert_eq!(files, declared, "every runtime file is declared in mod.rs, once");
    let mut problems = Vec::new();
    for (i, module) in order.iter().enumerate() {
        let text = std::fs::read_to_string(dir.join(format!("{module}.rs"))).expect("module file");
        for used in uses(&text, &order) {
            if used != *module && !order[..i].contains(&used) {
                problems.push(format!("{module} uses {used}, which is not below it"));
            }
        }
    }
    assert!(problems.is_empty(), "runtime layering broken (order: {}):\n{}", order.join(" < "), problems.join("\n"));
}
