//! Stage 4, emit: the named model → one `TokenStream` per Rust file of the generated crate.
//! One small function per construct; method bodies stay thin and call the runtime.

mod builders;
pub mod docs;
mod method_docs;
mod operation;
mod params;
mod payload;
mod serde_impls;
pub mod types;
mod wire_tests;

pub use wire_tests::{example_call, wire_tests};

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use self::docs::doc_lines;
use self::operation::emit_operation;
use self::types::{emit_type, ident};
use crate::model::{Api, Home, SchemeKind};

/// A Rust file to render: its path inside the crate and its tokens.
pub struct RustFile {
    pub path: String,
    pub tokens: TokenStream,
}

/// A node of the resource tree (`zero_trust` → `access` → ...).
#[derive(Default)]
pub struct Node {
    children: BTreeMap<String, Node>,
    /// Indices into `api.operations`.
    operations: Vec<usize>,
    /// Indices into `api.types`: the types that live in this resource's module.
    types: Vec<usize>,
    /// Shared types first lowered here, re-exported under their old path.
    moved: Vec<usize>,
}

impl Node {
    /// The node at `words` below this one, created on the way.
    fn at(&mut self, words: &[String]) -> &mut Node {
        words.iter().fold(self, |node, word| node.children.entry(word.clone()).or_default())
    }
}

/// What to emit: the resource tree, walked once; each file is then one independent [`Job`], so
/// files can be emitted and rendered on several threads (tokens are not `Send`, jobs are).
pub struct Plan {
    root: Node,
    has_extensions: bool,
    /// Indices into `api.types`: the shared types of `src/types.rs`, in order.
    shared: Vec<usize>,
}

/// Shared types per [`Job::Types`]: `src/types.rs` can hold most of a large API (30 MB of Graph),
/// so it is emitted in runs that spread over the threads and keep each token tree small.
const TYPES_PER_JOB: usize = 256;

/// One file of the generated crate, or one part of `src/types.rs`.
pub enum Job<'a> {
    /// A run of `Plan::shared`; the first one (start 0) opens the file with its module doc.
    Types(std::ops::Range<usize>),
    Lib,
    ApiInfo,
    Resource(Vec<String>, &'a Node),
}

pub fn plan(api: &Api, has_extensions: bool) -> Plan {
    let mut root = Node::default();
    for (i, op) in api.operations.iter().enumerate() {
        root.at(&op.resource).operations.push(i);
    }
    for (i, t) in api.types.iter().enumerate().filter(|(_, t)| !t.pruned) {
        let (words, moved) = match (&t.home, &t.moved_from) {
            (Home::Resource(words), _) => (words, false),
            (Home::Shared, Some(Home::Resource(words))) => (words, true),
            _ => continue,
        };
        let node = root.at(words);
        if moved { node.moved.push(i) } else { node.types.push(i) }
    }
    let shared = api.types.iter().enumerate().filter(|(_, t)| t.home == Home::Shared && !t.pruned).map(|(i, _)| i);
    Plan { root, has_extensions, shared: shared.collect() }
}

impl Plan {
    /// Every file (or part of `src/types.rs`) to emit, the parts of a file next to each other
    /// and in order; the shared types first, so threads finish together.
    pub fn jobs(&self) -> Vec<Job<'_>> {
        let runs = self.shared.len().div_ceil(TYPES_PER_JOB).max(1);
        let mut jobs: Vec<Job<'_>> = (0..runs)
            .map(|r| Job::Types(r * TYPES_PER_JOB..((r + 1) * TYPES_PER_JOB).min(self.shared.len())))
            .collect();
        jobs.extend([Job::Lib, Job::ApiInfo]);
        let mut stack: Vec<(Vec<String>, &Node)> =
            self.root.children.iter().rev().map(|(w, n)| (vec![w.clone()], n)).collect();
        while let Some((words, node)) = stack.pop() {
            for (w, child) in node.children.iter().rev() {
                let mut path = words.clone();
                path.push(w.clone());
                stack.push((path, child));
            }
            jobs.push(Job::Resource(words, node));
        }
        jobs
    }

    pub fn emit(&self, api: &Api, job: &Job<'_>) -> RustFile {
        match job {
            Job::Types(run) => types_module(api, &self.shared[run.clone()], run.start == 0),
            Job::Lib => lib_rs(api, &self.root, self.has_extensions),
            Job::ApiInfo => api_info(api),
            Job::Resource(words, node) => emit_node(api, words, node),
        }
    }
}

/// `src/a/b.rs` for a leaf, `src/a/b/mod.rs` for a node with children.
fn node_path(api: &Api, words: &[String], has_children: bool) -> String {
    let dirs: Vec<&str> = (1..=words.len()).map(|d| api.resource_names(&words[..d]).module.as_str()).collect();
    if has_children { format!("src/{}/mod.rs", dirs.join("/")) } else { format!("src/{}.rs", dirs.join("/")) }
}

/// The accessor method returning a child resource, on the client or on its parent resource.
fn accessor(api: &Api, words: &[String], receiver: TokenStream) -> TokenStream {
    let n = api.resource_names(words);
    let (m, s, accessor) = (ident(&n.module), ident(&n.struct_name), ident(&n.accessor));
    let doc = format!(" The `{}` resource.", words.join("."));
    let gate = (words.len() == 1).then(|| feature_cfg(quote! { all }, [&n.feature]));
    let lifetime = if words.len() == 1 {
        quote! { '_ }
    } else {
        quote! { 'c }
    };
    quote! {
        #[doc = #doc]
        #gate
        pub fn #accessor(&self) -> #m::#s<#lifetime> {
            #m::#s::new(#receiver)
        }
    }
}

fn emit_node(api: &Api, words: &[String], node: &Node) -> RustFile {
    let name = ident(&api.resource_names(words).struct_name);
    let child = |w: &String| [words, std::slice::from_ref(w)].concat();
    let child_mods: Vec<_> = node.children.keys().map(|w| ident(&api.resource_names(&child(w)).module)).collect();
    let accessors = node.children.keys().map(|w| accessor(api, &child(w), quote! { self.client }));
    let ops: Vec<_> = node.operations.iter().map(|&i| emit_operation(api, &api.operations[i])).collect();
    let op_methods = ops.iter().map(|o| &o.method);
    let op_items = ops.iter().map(|o| &o.items);
    let types = node.types.iter().map(|&i| emit_type(api, &api.types[i], &TokenStream::new()));
    let moved = node.moved.iter().map(|&i| {
        let name = ident(&api.types[i].name);
        quote! { pub use crate::types::#name; }
    });
    let chain = api.accessor_chain(words);
    let module_doc = format!(" The operations of `client.{chain}` and their types.");
    let struct_doc = docs::doc_line(&format!("The operations of `client.{chain}`; borrow it from the client."));
    let tokens = quote! {
        #![doc = #module_doc]

        #( #[rustfmt::skip] pub mod #child_mods; )*

        #struct_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'c> {
            client: &'c crate::Client,
        }

        impl<'c> #name<'c> {
            pub(crate) fn new(client: &'c crate::Client) -> Self {
                Self { client }
            }

            #( #accessors )*
            #( #op_methods )*
        }

        #( #op_items )*
        #( #moved )*
        #( #types )*
    };
    RustFile { path: node_path(api, words, !node.children.is_empty()), tokens }
}

fn lib_rs(api: &Api, root: &Node, has_extensions: bool) -> RustFile {
    let top = |w: &String| vec![w.clone()];
    let mods: Vec<_> = root.children.keys().map(|w| ident(&api.resource_names(&top(w)).module)).collect();
    let gates: Vec<_> = root.children.keys().map(|w| feature_cfg(quote! { all }, [api.feature(w)])).collect();
    let features = &api.features;
    let ext_cfg = feature_cfg(quote! { all }, features);
    let ext = has_extensions.then(|| quote! { #ext_cfg #[rustfmt::skip] mod ext; });
    let accessors: Vec<TokenStream> = root.children.keys().map(|w| accessor(api, &top(w), quote! { self })).collect();
    let scheme_methods = api.schemes.iter().map(|s| {
        let m = ident(&s.ident);
        let name = &s.name;
        let mut lines = vec![format!(
            "Credential for the `{}` security scheme ({}); also read from `{}`.",
            s.name,
            s.kind.how(),
            s.env
        )];
        if let Some(d) = &s.description {
            lines.push(String::new());
            lines.extend(docs::markdown(d));
        }
        let doc = doc_lines(&lines);
        quote! {
            #doc
            pub fn #m(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.credential(#name, value)
            }
        }
    });
    let default_methods = api.client_defaults.iter().map(|(param, env)| {
        let m = ident(api.default_methods.get(param).map_or(param.as_str(), String::as_str));
        let doc = docs::doc_line(&format!("Default `{param}` for operations that take it; also read from `{env}`."));
        quote! {
            #doc
            pub fn #m(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.default_param(#param, value)
            }
        }
    });
    let tokens = quote! {
        #![doc = include_str!("../README.md")]
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![forbid(unsafe_code)]
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant, clippy::module_inception)]

        // Generated code is formatted by prettyplease; rustfmt would only churn it.
        #[rustfmt::skip]
        mod api_info;
        #[rustfmt::skip]
        pub mod runtime;
        #[rustfmt::skip]
        pub mod types;
        #ext
        #( #gates #[rustfmt::skip] pub mod #mods; )*

        pub use runtime::{ApiError, ApiMessage, ApiResponse, Client, ClientBuilder, Error, Request, Secret};

        impl Client {
            #( #accessors )*
        }

        impl ClientBuilder {
            #( #scheme_methods )*
            #( #default_methods )*
        }
    };
    RustFile { path: "src/lib.rs".into(), tokens }
}

fn api_info(api: &Api) -> RustFile {
    let base_url = &api.base_url;
    let base_url_env = &api.base_url_env;
    let schemes = api.schemes.iter().map(|s| {
        let name = &s.name;
        let env = &s.env;
        let kind = match &s.kind {
            SchemeKind::Bearer => quote! { crate::runtime::SchemeKind::Bearer },
            SchemeKind::Basic => quote! { crate::runtime::SchemeKind::Basic },
            SchemeKind::Header(h) => quote! { crate::runtime::SchemeKind::Header(#h) },
            SchemeKind::Query(q) => quote! { crate::runtime::SchemeKind::Query(#q) },
            SchemeKind::Cookie(c) => quote! { crate::runtime::SchemeKind::Cookie(#c) },
        };
        quote! { crate::runtime::SchemeInfo { name: #name, kind: #kind, env: #env }, }
    });
    let defaults = api
        .client_defaults
        .iter()
        .map(|(name, env)| quote! { crate::runtime::DefaultParamInfo { name: #name, env: #env }, });
    let user_agent = format!("{}-rust", api.crate_name);
    let request_id = match &api.request_id_header {
        Some(h) => quote! { ::std::option::Option::Some(#h) },
        None => quote! { ::std::option::Option::None },
    };
    // Bearer-like alternatives first: the one most users should pick is named first.
    let mut alternatives: Vec<&Vec<String>> = api.security.iter().collect();
    alternatives.sort_by_key(|alt| {
        !alt.iter().any(|n| api.schemes.iter().any(|s| &s.name == n && matches!(s.kind, SchemeKind::Bearer)))
    });
    let security = alternatives.iter().map(|alt| quote! { &[ #( #alt ),* ] });
    let servers = api.servers.iter().map(|s| {
        let url = &s.url;
        let description = match &s.description {
            Some(d) => quote! { ::std::option::Option::Some(#d) },
            None => quote! { ::std::option::Option::None },
        };
        let variables = s.variables.iter().map(|(name, default, allowed)| quote! { (#name, #default, &[ #( #allowed ),* ]) });
        quote! { crate::runtime::ServerInfo { url: #url, description: #description, variables: &[ #( #variables ),* ] }, }
    });
    let tokens = quote! {
        //! What the runtime needs to know about this API: server, credentials, client defaults.

        pub(crate) static API: crate::runtime::ApiInfo = crate::runtime::ApiInfo {
            default_base_url: #base_url,
            base_url_env: #base_url_env,
            servers: &[ #( #servers )* ],
            user_agent: ::std::concat!(#user_agent, "/", ::std::env!("CARGO_PKG_VERSION")),
            schemes: &[ #( #schemes )* ],
            default_params: &[ #( #defaults )* ],
            security: &[ #( #security ),* ],
            request_id_header: #request_id,
        };
    };
    RustFile { path: "src/api_info.rs".into(), tokens }
}

/// A run of the shared types (indices into `api.types`); the first run carries the module doc.
fn types_module(api: &Api, run: &[usize], first: bool) -> RustFile {
    let all = &api.features;
    let types = run.iter().map(|&i| {
        let t = &api.types[i];
        // Gate a shared type on the features of the groups that use it; one used by every group
        // (or by none: reachable only from other schemas) is always compiled.
        let cfg = if t.groups.is_empty() {
            feature_cfg(quote! { any }, [crate::model::FULL])
        } else if t.groups.len() == all.len() {
            TokenStream::new()
        } else {
            feature_cfg(quote! { any }, t.groups.iter().map(|g| api.feature(g)))
        };
        emit_type(api, t, &cfg)
    });
    let module_doc = first
        .then(|| quote! { #![doc = " Types shared between operations (the API description's `components.schemas`)."] });
    let tokens = quote! {
        #module_doc
        #( #types )*
    };
    RustFile { path: "src/types.rs".into(), tokens }
}

/// `#[cfg(feature = "a")]` for one feature, `#[cfg(any(..))]`/`#[cfg(all(..))]` for several.
fn feature_cfg<S: AsRef<str>>(combine: TokenStream, features: impl IntoIterator<Item = S>) -> TokenStream {
    let features: Vec<String> = features.into_iter().map(|f| f.as_ref().to_string()).collect();
    match features.as_slice() {
        [] => TokenStream::new(),
        [one] => quote! { #[cfg(feature = #one)] },
        many => quote! { #[cfg(#combine( #( feature = #many ),* ))] },
    }
}
