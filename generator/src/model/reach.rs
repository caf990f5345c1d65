//! Which resource groups (top-level resources, one Cargo feature each) use which types, and
//! which types nothing selected uses (pruned when the config selects operations).

use std::collections::BTreeSet;

use super::{Api, Ty, TypeId, TypeKind};

/// The feature that enables every group (and the types no operation uses).
pub const FULL: &str = "full";

/// Fills `TypeDef::groups` and `TypeDef::pruned`.
///
/// A type is gated on the groups whose operations reach it; one no operation reaches is pruned
/// (`prune`) or left without groups (gated on `full`). References only ever point at types with a superset of the
/// referrer's groups, so a feature subset never leaves a reference dangling.
pub fn reach(api: &mut Api<super::Unnamed>, prune: bool) {
    let edges: Vec<Vec<TypeId>> = api.types.iter().map(|t| refs_of_kind(&t.kind)).collect();
    let mut groups: Vec<BTreeSet<String>> = vec![BTreeSet::new(); api.types.len()];
    for op in &api.operations {
        let Some(group) = op.resource.first() else { continue };
        let mut roots = Vec::new();
        for p in &op.params {
            refs_of(&p.ty, &mut roots);
        }
        if let Some(b) = &op.body {
            refs_of(&b.ty, &mut roots);
        }
        for ty in op.response.types() {
            refs_of(ty, &mut roots);
        }
        for ty in op.errors.iter().filter_map(|e| e.ty.as_ref()) {
            refs_of(ty, &mut roots);
        }
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            if groups[id].insert(group.clone()) {
                stack.extend(edges[id].iter().copied());
            }
        }
    }
    // A type no operation uses is there for the user's own code: both traits, and so for
    // everything it refers to.
    let unused: Vec<Ty> = (0..api.types.len()).filter(|id| groups[*id].is_empty()).map(Ty::Named).collect();
    let sent = reached(
        &edges,
        api.operations
            .iter()
            .flat_map(|op| op.params.iter().map(|p| &p.ty).chain(op.body.as_ref().map(|b| &b.ty)))
            .chain(&unused),
    );
    let received = reached(
        &edges,
        api.operations
            .iter()
            .flat_map(|op| op.response.types().into_iter().chain(op.errors.iter().filter_map(|e| e.ty.as_ref())))
            .chain(&unused),
    );
    let mut bodies = vec![false; api.types.len()];
    for b in api.operations.iter().filter_map(|op| op.body.as_ref()) {
        if let Ty::Named(id) = super::resolve(&api.types, &b.ty) {
            bodies[*id] = true;
            if let TypeKind::Union(u) = &api.types[*id].kind {
                for v in &u.variants {
                    if let Ty::Named(variant) = super::resolve(&api.types, &v.ty) {
                        bodies[*variant] = true;
                    }
                }
            }
        }
    }
    for (id, t) in api.types.iter_mut().enumerate() {
        t.serde = super::Serde { serialize: sent[id], deserialize: received[id] };
        t.setters = bodies[id];
        t.pruned = prune && groups[id].is_empty();
        // Empty for a type no operation uses: compiled with `full` only. Anything it refers to
        // is either also unused (same gate) or used by some group (enabled by `full` as well).
        t.groups = std::mem::take(&mut groups[id]);
    }
}

/// Which types the given roots reach, through any reference.
fn reached<'t>(edges: &[Vec<TypeId>], roots: impl Iterator<Item = &'t Ty>) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut stack = Vec::new();
    for ty in roots {
        refs_of(ty, &mut stack);
    }
    while let Some(id) = stack.pop() {
        if !std::mem::replace(&mut seen[id], true) {
            stack.extend(edges[id].iter().copied());
        }
    }
    seen
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
        Ty::Tuple(items) => items.iter().for_each(|t| refs_of(t, out)),
        Ty::String | Ty::File | Ty::Integer | Ty::Number | Ty::Boolean | Ty::Any | Ty::Format(_) => {}
    }
}
