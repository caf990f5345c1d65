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

/// One type per distinct shape within a resource group: a struct or union with the same
/// properties (names, types, requiredness) or alternatives as another one of the same group
/// becomes an alias of the first, as typify does. Shapes are compared through the types they
/// refer to (two structs whose `meta` fields have equal shapes are equal), by partition
/// refinement, so recursive shapes compare too. Copies stay in their own group: a group's
/// feature then compiles only its own types. Returns how many types became aliases.
pub fn dedupe_shapes(api: &mut Api<Unnamed>) -> usize {
    let types = &api.types;
    let target: Vec<TypeId> = (0..types.len()).map(|id| alias_target(types, id)).collect();
    let mut class = vec![0usize; types.len()];
    let mut classes = 1;
    loop {
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        let next: Vec<usize> = (0..types.len())
            .map(|id| {
                let signature = signature(types, id, &|r: TypeId| class[target[r]]);
                let fresh = index.len();
                *index.entry(format!("{}|{signature}", class[id])).or_insert(fresh)
            })
            .collect();
        let stable = index.len() == classes;
        classes = index.len();
        class = next;
        if stable {
            break;
        }
    }
    let mut first: BTreeMap<usize, TypeId> = BTreeMap::new();
    let mut copies = Vec::new();
    for (id, t) in types.iter().enumerate() {
        if matches!(t.kind, TypeKind::Struct(_) | TypeKind::Union(_)) {
            match first.get(&class[id]) {
                Some(&original) => copies.push((id, original)),
                None => {
                    first.insert(class[id], id);
                }
            }
        }
    }
    for &(copy, original) in &copies {
        api.types[copy].kind = TypeKind::Alias(Ty::Named(original));
    }
    copies.len()
}

/// The type an alias chain ends at (itself when `id` is no alias).
fn alias_target(types: &[super::TypeDef], id: TypeId) -> TypeId {
    let mut at = id;
    for _ in 0..64 {
        match &types[at].kind {
            TypeKind::Alias(Ty::Named(next)) => at = *next,
            _ => return at,
        }
    }
    at
}

/// What makes a type's shape, with every type it refers to written as its class (`class`).
/// Enums, aliases and placeholders are their own shape: enums were merged by `dedupe_enums`.
fn signature(types: &[super::TypeDef], id: TypeId, class: &dyn Fn(TypeId) -> usize) -> String {
    let t = &types[id];
    let group = match &t.home {
        Home::Shared => "",
        Home::Resource(words) => words.first().map_or("", String::as_str),
    };
    match &t.kind {
        TypeKind::Struct(s) => {
            let mut out =
                format!("{group}|struct|{}", s.additional.as_ref().map(|a| ty_key(a, class)).unwrap_or_default());
            for f in &s.fields {
                out.push_str(&format!(
                    "|{:?}:{}:{}:{}:{}",
                    f.wire,
                    f.required,
                    f.boxed,
                    f.flatten,
                    ty_key(&f.ty, class)
                ));
            }
            out
        }
        TypeKind::Union(u) => {
            let mut out = format!("{group}|union|{:?}|{}", u.tag, u.one_of);
            for v in &u.variants {
                out.push_str(&format!("|{:?}:{}:{:?}:{}", v.name_hint, v.boxed, v.tag_value, ty_key(&v.ty, class)));
            }
            out
        }
        TypeKind::Enum(_) | TypeKind::Alias(_) | TypeKind::Pending => format!("#{id}"),
    }
}

/// `ty` as text, with each named type written as its class.
fn ty_key(ty: &Ty, class: &dyn Fn(TypeId) -> usize) -> String {
    match ty {
        Ty::Named(id) => format!("@{}", class(*id)),
        Ty::Array(t) => format!("[{}]", ty_key(t, class)),
        Ty::Map(t) => format!("{{{}}}", ty_key(t, class)),
        Ty::Nullable(t) => format!("?{}", ty_key(t, class)),
        Ty::Tuple(items) => format!("({})", items.iter().map(|t| ty_key(t, class)).collect::<Vec<_>>().join(",")),
        other => format!("{other:?}"),
    }
}

/// One params struct per distinct set of optional parameters within a resource group: most
/// operations of a large API take only the client's default account or zone id. An operation
/// whose params struct would equal an earlier one's (names, setters, wire names, styles, rules,
/// types, docs) gets an alias of it, so the crate compiles one struct, one impl of setters and
/// one `encode` (which puts them on the wire) instead of hundreds. Paged
/// lists keep their own struct: their `pager()` setter names the item type.
pub fn share_params(api: &mut Api) -> usize {
    let target = |id: TypeId| alias_target(&api.types, id);
    let mut first: BTreeMap<String, usize> = BTreeMap::new();
    let mut aliases = Vec::new();
    for (i, op) in api.operations.iter().enumerate() {
        if op.params_struct.is_empty() || op.pagination.is_some() {
            continue;
        }
        let mut key = op.resource.first().cloned().unwrap_or_default();
        for p in op.params.iter().filter(|p| !p.is_positional()) {
            key.push_str(&format!(
                "|{:?}:{:?}:{:?}:{:?}:{:?}:{}:{:?}:{}:{}:{:?}",
                p.ident,
                p.setter,
                p.wire,
                p.location,
                p.style,
                p.explode,
                p.constraints,
                p.client_default,
                ty_key(&p.ty, &target),
                p.docs
            ));
        }
        match first.get(&key) {
            Some(&original) => aliases.push((i, original)),
            None => {
                first.insert(key, i);
            }
        }
    }
    for &(copy, original) in &aliases {
        api.operations[copy].params_alias_of = Some(original);
        api.operations[original].params_shared_by += 1;
    }
    aliases.len()
}
