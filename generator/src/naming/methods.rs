//! Operation method names, unique per resource. A resource's child accessors keep their words
//! (`buckets.sippy()`), so they are reserved first; an operation whose method word is taken,
//! by an accessor or by another operation, is told apart by words, never first by a number:
//! the HTTP verb for an accessor clash (`update_sippy`), else the words of its operationId the
//! holder's lacks (`update_route` beside `update`). Types lowered inside a renamed operation
//! take its new method word, so they do not end in numbers either.

use std::collections::BTreeMap;

use super::{Namespace, snake};
use crate::diag::Diagnostics;
use crate::model::{Api, Unnamed};

/// Words that say nothing about which of two operations is meant.
const FILLER: &[&str] = &["a", "an", "the", "of", "for", "to", "by", "in", "on", "and", "or", "with", "from"];

/// Words that say what an operation does; they lead a method name.
const VERBS: &[&str] = &["get", "list", "create", "update", "edit", "delete", "patch", "put", "post", "add", "remove"];

/// Decides `method_name` and the pager method of every operation; returns the accessor of
/// every resource below the root (by its words), decided first: its word, unless that is the
/// resource struct's own `new` or `client` (then `<word>_api`).
pub(super) fn name_methods(api: &mut Api<Unnamed>, diags: &mut Diagnostics) -> BTreeMap<Vec<String>, String> {
    let mut methods: BTreeMap<Vec<String>, Namespace> = BTreeMap::new();
    let fresh = || Namespace::with_reserved(&["new", "client"]);
    let mut accessors = BTreeMap::new();
    for op in &api.operations {
        for depth in 2..=op.resource.len() {
            let words = op.resource[..depth].to_vec();
            if accessors.contains_key(&words) {
                continue;
            }
            let ns = methods.entry(op.resource[..depth - 1].to_vec()).or_insert_with(fresh);
            let (accessor, renamed) = ns.claim_with(&snake(&op.resource[depth - 1]), "api");
            if renamed {
                diags.warning(&op.pointer, format!("resource `{}` is reached with `{accessor}()`", words.join(".")));
            }
            accessors.insert(words, accessor);
        }
    }
    // Who holds each method name, per resource: the operationId words tell a clash apart.
    let mut holders: BTreeMap<(Vec<String>, String), String> = BTreeMap::new();
    let mut renamed: Vec<(String, String, String)> = Vec::new();
    for op in &mut api.operations {
        let ns = methods.entry(op.resource.clone()).or_insert_with(fresh);
        let wanted = snake(&op.method_name);
        let (name, changed) = ns.claim(&wanted);
        let name = if changed {
            let holder = holders.get(&(op.resource.clone(), wanted.clone()));
            let alt = match holder {
                Some(holder) => clash_name(ns, &wanted, &op.operation_id, holder),
                None => accessor_clash_name(ns, &wanted, &op.method, &op.operation_id),
            };
            diags
                .warning(
                    &op.pointer,
                    format!(
                        "method `{}` already exists on resource `{}`; this operation is `{alt}`",
                        op.method_name,
                        op.resource.join(".")
                    ),
                )
                .with_hint("set `resource`/`method` for this operation in the generator config");
            renamed.push((op.pointer.clone(), op.method_name.clone(), alt.trim_start_matches("r#").to_string()));
            alt
        } else {
            name
        };
        holders.insert((op.resource.clone(), name.clone()), op.operation_id.clone());
        op.method_name = name;
        let plain = op.method_name.trim_start_matches("r#").to_string();
        op.prepare_fn = format!("prepare_{plain}");
        if let Some(pagination) = &mut op.pagination {
            // On the operation's request, beside its setters: `.list().per_page(50).pager()`.
            pagination.method = "pager".to_string();
        }
    }
    rename_hints(api, &renamed);
    accessors
}

/// Types lowered inside a renamed operation (under its pointer, hinted with its old method word)
/// take the new word.
fn rename_hints(api: &mut Api<Unnamed>, renamed: &[(String, String, String)]) {
    if renamed.is_empty() {
        return;
    }
    // A type is inside an operation when the operation's pointer is its own cut at a `/`: look
    // up each such cut (a few per type) rather than test every type against every rename.
    let mut by_pointer: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (pointer, _, _)) in renamed.iter().enumerate() {
        by_pointer.entry(pointer).or_default().push(i);
    }
    for t in &mut api.types {
        let cuts = t.pointer.match_indices('/').filter_map(|(at, _)| by_pointer.get(&t.pointer[..at]));
        let mut hits: Vec<usize> = cuts.flatten().copied().collect();
        hits.sort_unstable();
        for (_, old, new) in hits.into_iter().map(|i| &renamed[i]) {
            if let Some(word) = t.name_hint.get_mut(1).filter(|w| *w == old) {
                *word = new.clone();
            }
        }
    }
}

/// A method that clashes with a child accessor: the HTTP verb's word before it
/// (`PUT .../{bucket}/sippy` beside `buckets.sippy()` → `update_sippy`).
fn accessor_clash_name(ns: &mut Namespace, wanted: &str, http_method: &str, operation_id: &str) -> String {
    let verb = match http_method.to_ascii_lowercase().as_str() {
        "get" => "get",
        "post" => "create",
        "put" => "update",
        "patch" => "edit",
        "delete" => "delete",
        other => return clash_name(ns, wanted, operation_id, other),
    };
    let base = wanted.trim_start_matches("r#").trim_end_matches('_');
    if !VERBS.contains(&base) {
        let candidate = snake(&format!("{verb}_{base}"));
        if !ns.contains(&candidate) {
            ns.reserve(candidate.clone());
            return candidate;
        }
    }
    clash_name(ns, wanted, operation_id, "")
}

/// A method name for an operation whose wanted name `wanted` is taken on its resource: the
/// wanted name with the words of its operationId that the holder's operationId lacks
/// (`update` + `magic-routes-update-route` vs `magic-routes-update-many-routes` →
/// `update_route`), at most three, verbs first (`delete_items`; a verb replaces a wanted verb:
/// `list` → `get_usage`); else the operationId in full; a number only when every word is taken.
fn clash_name(ns: &mut Namespace, wanted: &str, operation_id: &str, holder: &str) -> String {
    let words = |id: &str| -> Vec<String> { snake(id).trim_start_matches("r#").split('_').map(String::from).collect() };
    let theirs = words(holder);
    let base = wanted.trim_start_matches("r#").trim_end_matches('_');
    let mut distinct: Vec<String> = Vec::new();
    for w in words(operation_id) {
        let known = theirs.contains(&w) || FILLER.contains(&w.as_str()) || base.split('_').any(|b| b == w);
        if !w.is_empty() && !known && !distinct.contains(&w) {
            distinct.push(w);
        }
    }
    distinct.truncate(3);
    if !distinct.is_empty() {
        let (verbs, others): (Vec<String>, Vec<String>) =
            distinct.into_iter().partition(|w| VERBS.contains(&w.as_str()));
        let mut parts = verbs.clone();
        if verbs.is_empty() || !VERBS.contains(&base) {
            parts.push(base.to_string());
        }
        parts.extend(others);
        let candidate = snake(&parts.join("_"));
        if !ns.contains(&candidate) {
            ns.reserve(candidate.clone());
            return candidate;
        }
    }
    ns.claim(&snake(operation_id)).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashes_are_told_apart_by_words() {
        let mut ns = Namespace::with_reserved(&["update", "items", "list"]);
        let holder = "magic-static-routes-update-many-routes";
        assert_eq!(clash_name(&mut ns, "update", "magic-static-routes-update-route", holder), "update_route");
        assert_eq!(clash_name(&mut ns, "items", "lists-delete-list-items", "lists-get-list-items"), "delete_items");
        // A verb of the operation's own replaces the wanted verb.
        assert_eq!(clash_name(&mut ns, "list", "usage-get-zone-usage", "usage-list-usage"), "get_zone");
        // No distinct word: the operationId in full.
        assert_eq!(clash_name(&mut ns, "update", "routes-update", "routes-update"), "routes_update");
    }

    #[test]
    fn an_action_beside_an_accessor_takes_its_http_verb() {
        let mut ns = Namespace::with_reserved(&["sippy"]);
        assert_eq!(accessor_clash_name(&mut ns, "sippy", "PUT", "r2-put-bucket-sippy-config"), "update_sippy");
        assert_eq!(accessor_clash_name(&mut ns, "sippy", "DELETE", "r2-delete-bucket-sippy-config"), "delete_sippy");
    }
}
