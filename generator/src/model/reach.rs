//! Which resource groups (top-level resources, one Cargo feature each) use which types, and
//! which types nothing selected uses (pruned when the config selects operations).

use std::collections::BTreeSet;

use super::{Api, Response, Ty, TypeId, TypeKind};

/// Fills `Api::features`, `TypeDef::groups` and `TypeDef::pruned`.
///
/// A type used by no operation is either pruned (`prune`) or compiled always; anything an
/// always-compiled type refers to is then compiled always too, so a feature subset never leaves
/// a reference dangling.
pub fn reach(api: &mut Api, prune: bool) {
    let edges: Vec<Vec<TypeId>> = api.types.iter().map(|t| refs_of_kind(&t.kind)).collect();
    let mut groups: Vec<BTreeSet<String>> = vec![BTreeSet::new(); api.types.len()];
    let mut features = BTreeSet::new();
    for op in &api.operations {
        let Some(group) = op.resource.first() else { continue };
        features.insert(group.clone());
        let mut roots = Vec::new();
        for p in &op.params {
            refs_of(&p.ty, &mut roots);
        }
        if let Some(b) = &op.body {
            refs_of(&b.ty, &mut roots);
        }
        if let Response::Json { ty, .. } = &op.response {
            refs_of(ty, &mut roots);
        }
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            if groups[id].insert(group.clone()) {
                stack.extend(edges[id].iter().copied());
            }
        }
    }
    let mut always = vec![false; api.types.len()];
    if !prune {
        let mut stack: Vec<TypeId> = (0..api.types.len()).filter(|&i| groups[i].is_empty()).collect();
        while let Some(id) = stack.pop() {
            if !always[id] {
                always[id] = true;
                stack.extend(edges[id].iter().copied());
            }
        }
    }
    for (id, t) in api.types.iter_mut().enumerate() {
        t.pruned = prune && groups[id].is_empty();
        t.groups = if always[id] { BTreeSet::new() } else { std::mem::take(&mut groups[id]) };
    }
    api.features = features.into_iter().collect();
}

fn refs_of_kind(kind: &TypeKind) -> Vec<TypeId> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                refs_of(&f.ty, &mut out);
            }
            if let Some(a) = &s.additional {
                refs_of(a, &mut out);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| refs_of(&v.ty, &mut out)),
        TypeKind::Alias(ty) => refs_of(ty, &mut out),
        TypeKind::Enum(_) | TypeKind::Pending => {}
    }
    out
}

fn refs_of(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Array(t) | Ty::Map(t) | Ty::Nullable(t) => refs_of(t, out),
        Ty::String | Ty::Integer | Ty::Number | Ty::Boolean | Ty::Any => {}
    }
}
