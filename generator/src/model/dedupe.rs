//! One type per distinct enum: enums with the same values (Microsoft Graph repeats one
//! `$select` list per operation thousands of times) become aliases of the first, which moves to
//! the shared `types` module (re-exported where it was) when its copies live in other resource
//! modules. Every name stays
//! usable (the copies are `type` aliases), and the crate compiles each enum once.

use std::collections::BTreeMap;

use super::{Api, Home, Ty, TypeId, TypeKind, Unnamed};

/// Turns every enum equal to an earlier one into an alias of it; returns how many.
pub fn dedupe_enums(api: &mut Api<Unnamed>) -> usize {
    let mut first: BTreeMap<Vec<&str>, TypeId> = BTreeMap::new();
    let mut copies: Vec<(TypeId, TypeId)> = Vec::new();
    for (id, t) in api.types.iter().enumerate() {
        if let TypeKind::Enum(e) = &t.kind {
            let values: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
            match first.get(&values) {
                Some(&original) => copies.push((id, original)),
                None => {
                    first.insert(values, id);
                }
            }
        }
    }
    for &(copy, original) in &copies {
        let copy_home = api.types[copy].home.clone();
        let t = &mut api.types[original];
        if copy_home != t.home && t.home != Home::Shared {
            t.moved_from = Some(std::mem::replace(&mut t.home, Home::Shared));
        }
    }
    for &(copy, original) in &copies {
        api.types[copy].kind = TypeKind::Alias(Ty::Named(original));
    }
    copies.len()
}
