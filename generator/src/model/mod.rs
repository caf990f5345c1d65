//! Stage 2, model: what the spec *means*, as plain data. No `quote`/`proc_macro2` here, so the
//! model can be built and tested alone. `lower` fills it from the spec; `naming` then assigns
//! every Rust identifier (the `name`/`ident` fields are empty until then).

mod dedupe;
mod format;
mod lower;
mod operation;
mod payload;
mod reach;
mod resource;
mod sample;
mod schema;

pub use dedupe::{dedupe_enums, dedupe_shapes, share_params};
pub use format::Format;
pub use lower::lower;
pub use reach::{FULL, reach};
pub use resource::derive_resource;
pub use sample::{OperationSample, Samples, samples};

/// Follows aliases (`type Id = String;`) to the type underneath; stops at anything else, and
/// after 64 steps (alias cycles are reported by lowering).
pub fn resolve<'a>(types: &'a [TypeDef], ty: &'a Ty) -> &'a Ty {
    let mut cur = ty;
    for _ in 0..64 {
        match cur {
            Ty::Named(id) => match &types[*id].kind {
                TypeKind::Alias(inner) => cur = inner,
                _ => return cur,
            },
            _ => return cur,
        }
    }
    cur
}

/// The fields of a `multipart/form-data` body whose schema is a plain object: each becomes a
/// part. `None` when the body is anything else (the caller then builds the parts).
pub fn form_fields<'a>(types: &'a [TypeDef], ty: &'a Ty) -> Option<&'a [Field]> {
    let Ty::Named(id) = resolve(types, ty) else { return None };
    match &types[*id].kind {
        TypeKind::Struct(s) if s.additional.is_none() && !s.fields.iter().any(|f| f.flatten) => Some(&s.fields),
        _ => None,
    }
}

/// Index into [`Api::types`]. Ids are handed out before any schema is converted, so forward and
/// circular references resolve (the typify approach).
pub type TypeId = usize;

/// The model before naming: raw words (resource segments, verbs, name hints), no Rust
/// identifiers. Only `naming::assign` turns it into an [`Api`] (`Api<Named>`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unnamed;

/// The model after naming: every identifier, module, accessor and env var decided. Emit, the
/// wire tests and the crate text take only this.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Named;

/// The whole API after lowering; `S` says whether naming has run.
#[derive(Debug, Clone, Default)]
pub struct Api<S = Named> {
    pub title: String,
    /// Name of the generated crate (kebab-case): the config's, else decided by naming.
    pub crate_name: String,
    /// Prefix of the environment variables the client reads: the config's, else decided by naming.
    pub env_prefix: String,
    /// The environment variable that overrides the base URL (`PREFIX_BASE_URL`); set by naming.
    pub base_url_env: String,
    pub description: Option<String>,
    pub spec_version: String,
    pub base_url: String,
    /// The spec's servers, in order (`ClientBuilder::server` picks one).
    pub servers: Vec<Server>,
    pub schemes: Vec<Scheme>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// The spec's top-level security alternatives (OR of ANDs of scheme names).
    pub security: Vec<Vec<String>>,
    /// Path parameters the client can fill from its defaults, with their env vars (the config's,
    /// else empty until naming decides them).
    pub client_defaults: Vec<(String, String)>,
    /// Response header naming the request on the server side (`cf-ray`, `x-request-id`), shown
    /// in errors; from the config, else the request-id header the spec's responses declare.
    pub request_id_header: Option<String>,
    /// One Cargo feature per top-level resource group, in the groups' order; set by naming.
    pub features: Vec<String>,
    /// Every node of the resource tree (by its words, e.g. `["zero_trust", "access"]`) with its
    /// Rust names, set by naming. Emit, the README and the wire tests all read these.
    pub resources: std::collections::BTreeMap<Vec<String>, ResourceNames>,
    /// Builder methods for client defaults (`account_id`), by parameter name; set by naming.
    pub default_methods: std::collections::BTreeMap<String, String>,
    pub state: std::marker::PhantomData<S>,
}

impl Api<Unnamed> {
    /// The same model, marked named: for `naming::assign` once it has decided every name.
    pub(crate) fn named(self) -> Api<Named> {
        Api {
            title: self.title,
            crate_name: self.crate_name,
            env_prefix: self.env_prefix,
            base_url_env: self.base_url_env,
            description: self.description,
            spec_version: self.spec_version,
            base_url: self.base_url,
            servers: self.servers,
            schemes: self.schemes,
            types: self.types,
            operations: self.operations,
            security: self.security,
            client_defaults: self.client_defaults,
            request_id_header: self.request_id_header,
            features: self.features,
            resources: self.resources,
            default_methods: self.default_methods,
            state: std::marker::PhantomData,
        }
    }
}

impl Api<Named> {
    /// The Rust names naming decided for a resource node (`["zero_trust", "access"]`).
    /// The Cargo feature of a top-level resource group, by its word.
    pub fn feature(&self, group: &str) -> &str {
        &self.resource_names(&[group.to_string()]).feature
    }

    pub fn resource_names(&self, words: &[String]) -> &ResourceNames {
        static NONE: std::sync::OnceLock<ResourceNames> = std::sync::OnceLock::new();
        self.resources.get(words).unwrap_or_else(|| NONE.get_or_init(ResourceNames::default))
    }

    /// `zero_trust().access().servers()`: the accessors from the client down to a resource, as
    /// naming decided them.
    pub fn accessor_chain(&self, resource: &[String]) -> String {
        (1..=resource.len())
            .map(|d| format!("{}()", self.resource_names(&resource[..d]).accessor))
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The modules (under the crate root) of a home: `["types"]` or `["zero_trust", "access"]`.
    pub fn module_path(&self, home: &Home) -> Vec<String> {
        match home {
            Home::Shared => vec!["types".into()],
            Home::Resource(words) => {
                (1..=words.len()).map(|d| self.resource_names(&words[..d]).module.clone()).collect()
            }
        }
    }
}

/// The Rust names of one resource node, decided once by naming.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceNames {
    /// Module (and file) name, unique among its siblings.
    pub module: String,
    /// The resource struct in that module (`Servers`).
    pub struct_name: String,
    /// The method on the parent (the client, or the parent resource) that returns it.
    pub accessor: String,
    /// The Cargo feature of a top-level group (empty below the top level).
    pub feature: String,
}

/// One of the spec's servers: a URL template (`https://{region}.example.com/{version}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    /// `(name, default, allowed values)`; an empty list allows any value.
    pub variables: Vec<(String, String, Vec<String>)>,
}

/// A security scheme the client can hold a credential for.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheme {
    /// The scheme's key in `components.securitySchemes` (also the runtime's id for it).
    pub name: String,
    pub kind: SchemeKind,
    /// Environment variable of the credential: from the config, else set by naming.
    pub env: String,
    pub description: Option<String>,
    /// Builder method name (set by naming).
    pub ident: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    Bearer,
    Basic,
    Header(String),
    Query(String),
    Cookie(String),
}

impl SchemeKind {
    /// How the credential travels, for docs: "sent in the `X-Auth-Key` header".
    pub fn how(&self) -> String {
        match self {
            SchemeKind::Bearer => "sent as `Authorization: Bearer`".into(),
            SchemeKind::Basic => "`user:password`, sent as HTTP Basic auth".into(),
            SchemeKind::Header(h) => format!("sent in the `{h}` header"),
            SchemeKind::Query(q) => format!("sent as the `{q}` query parameter"),
            SchemeKind::Cookie(c) => format!("sent as the `{c}` cookie"),
        }
    }
}

/// A Rust type as used in a field, parameter or response.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    String,
    /// `format: binary`: a file's bytes (`runtime::File`, with an optional file name and content
    /// type): a file part in a multipart form, its text in JSON.
    File,
    Integer,
    Number,
    Boolean,
    /// Anything: `serde_json::Value`.
    Any,
    Array(Box<Ty>),
    /// A fixed-length list with a type per position (3.1 `prefixItems`): a Rust tuple.
    Tuple(Vec<Ty>),
    /// `additionalProperties` only: a string-keyed map.
    Map(Box<Ty>),
    /// May be JSON `null`.
    Nullable(Box<Ty>),
    Named(TypeId),
    /// A value with a typed `format` (`date-time` → `chrono::DateTime<Utc>`, ...), unless the
    /// config keeps formats as strings.
    Format(Format),
}

/// Where a named type is emitted: the shared `types` module, or an operation's resource module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Home {
    Shared,
    Resource(Vec<String>),
}

/// Documentation carried from the spec to rustdoc.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Human-readable constraints ("at most 32 characters", "matches `^a$`").
    pub constraints: Vec<String>,
    pub deprecated: bool,
    pub read_only: bool,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Words the name is built from (e.g. `["Server", "Sync", "Response"]`).
    pub name_hint: Vec<String>,
    /// The Rust type name, set by naming.
    pub name: String,
    pub home: Home,
    pub docs: Docs,
    /// Where the schema is in the spec.
    pub pointer: String,
    pub kind: TypeKind,
    /// Top-level resource groups (their words) whose operations use this type; empty for a type
    /// no operation uses, which compiles with the `full` feature only.
    pub groups: std::collections::BTreeSet<String>,
    /// Used by no selected operation and left out (only when the config selects operations).
    pub pruned: bool,
    /// The resource module a shared enum was first lowered in (see `dedupe_enums`); it is
    /// re-exported there so its old path keeps working.
    pub moved_from: Option<Home>,
    /// Which way the type travels (set by `reach`): sent types need `Serialize`, received ones
    /// `Deserialize`; each trait is derived only where it is used (the `serde-all` feature
    /// derives both everywhere).
    pub serde: Serde,
    /// A request body (or a variant of a body union): its struct gets a setter per optional
    /// field besides `new`. Other sent structs get `new` only, to keep the crate small.
    pub setters: bool,
}

/// The serde traits a type needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Serde {
    pub serialize: bool,
    pub deserialize: bool,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    /// Placeholder for an id handed out but not yet filled (never survives lowering).
    Pending,
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
    /// `pub type Name = Ty;` for component schemas that are not objects or enums.
    Alias(Ty),
}

#[derive(Debug, Clone, Default)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// Type of `additionalProperties` (kept in a flattened map), if any.
    pub additional: Option<Ty>,
    /// The map's field name (`additional_properties` unless a property takes it), set by naming.
    pub extra_ident: String,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The JSON property name.
    pub wire: String,
    /// The Rust field name, set by naming.
    pub ident: String,
    /// Its builder method on a struct that is sent (`.ttl(3600)`), set by naming: the field
    /// name, unless that is the constructor's (`new`).
    pub setter: String,
    pub ty: Ty,
    pub required: bool,
    /// Set when the field's type contains its parent by value (recursion), so it must be boxed.
    pub boxed: bool,
    /// The `oneOf`/`anyOf` member of an `allOf`: its properties sit beside the struct's own on
    /// the wire (`#[serde(flatten)]`); `wire` is then only a name.
    pub flatten: bool,
    pub docs: Docs,
    pub pointer: String,
}

/// A string enum. Always *open*: an `Unknown(String)` variant keeps values the spec does not list,
/// so a server adding a value never breaks parsing.
#[derive(Debug, Clone)]
pub struct EnumDef {
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub wire: String,
    pub ident: String,
}

/// `oneOf`/`anyOf`: an untagged enum tried in order, or tagged when a discriminator names the tag.
#[derive(Debug, Clone)]
pub struct UnionDef {
    pub variants: Vec<UnionVariant>,
    pub tag: Option<String>,
    /// A `oneOf`: a value must fit exactly one variant (an `anyOf` value may fit several).
    pub one_of: bool,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub boxed: bool,
    pub name_hint: String,
    pub ident: String,
    pub ty: Ty,
    /// For tagged unions: the tag value selecting this variant.
    pub tag_value: Option<String>,
}

/// Validation rules for a parameter, checked by the client before any request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// Human-readable lines for docs.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(n) = self.min_length {
            out.push(format!("at least {n} characters"));
        }
        if let Some(n) = self.max_length {
            out.push(format!("at most {n} characters"));
        }
        if let Some(p) = &self.pattern {
            out.push(format!("matches `{p}`"));
        }
        if let Some((n, excl)) = self.minimum {
            out.push(format!("{} {n}", if excl { "greater than" } else { "at least" }));
        }
        if let Some((n, excl)) = self.maximum {
            out.push(format!("{} {n}", if excl { "less than" } else { "at most" }));
        }
        if let Some(n) = self.min_items {
            out.push(format!("at least {n} items"));
        }
        if let Some(n) = self.max_items {
            out.push(format!("at most {n} items"));
        }
        out
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub operation_id: String,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub pointer: String,
    /// Resource path (snake_case words), e.g. `["zero_trust", "access", "servers"]`.
    pub resource: Vec<String>,
    /// Method name on the resource (snake_case word), e.g. `sync`.
    pub method_name: String,
    /// Singular noun used to prefix this operation's type names (e.g. `Server`).
    pub type_prefix: String,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub response: Response,
    /// Documented non-success responses, in the spec's order.
    pub errors: Vec<ErrorResponse>,
    /// OR of ANDs of scheme names; empty = no auth.
    pub security: Vec<Vec<String>>,
    /// Name of the generated params struct, set by naming (empty when there is none).
    pub params_struct: String,
    /// An operation of the same group with the same params struct, which this one aliases, and
    /// how many alias this one's (both set by `share_params`).
    pub params_alias_of: Option<usize>,
    pub params_shared_by: usize,
    /// Name of the module-level function that prepares the request, set by naming.
    pub prepare_fn: String,
    /// The wire tests of `--wire-tests`: each security alternative (none for a public
    /// operation) and its test function's name, set by naming.
    pub wire_tests: Vec<(Vec<String>, String)>,
    /// Set for list operations the client can page through automatically.
    pub pagination: Option<Pagination>,
    /// Vendor extensions the config shows in the docs: (heading, one line per value).
    pub extension_docs: Vec<(String, Vec<String>)>,
}

/// How a list operation pages (detected from `result_info` in its envelope and a `page` or
/// `cursor` query parameter).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub by_cursor: bool,
    /// The query parameter's wire name.
    pub param: String,
    /// The type of one item of `result`.
    pub item: Ty,
    /// The auto-paging method (`list_pages`), set by naming.
    pub method: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// How an array or object parameter is written (OpenAPI `style`; `explode` beside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// Query and cookie default: `tag=a&tag=b` exploded, `tag=a,b` not.
    Form,
    /// `tag=a%20b`.
    SpaceDelimited,
    /// `tag=a|b`.
    PipeDelimited,
    /// `filter[status]=open`.
    DeepObject,
    /// Path and header default: `a,b`.
    Simple,
    /// Path: `.a,b` (`.a.b` exploded).
    Label,
    /// Path: `;id=a,b` (`;id=a;id=b` exploded).
    Matrix,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    pub ident: String,
    /// The method that sets it on the operation's `Request` (`.per_page(50)`), for parameters
    /// that are not positional; set by naming.
    pub setter: String,
    pub location: ParamLocation,
    pub style: ParamStyle,
    pub explode: bool,
    pub ty: Ty,
    pub required: bool,
    /// A path parameter the client can default (e.g. `account_id`): goes in the params struct.
    pub client_default: bool,
    pub docs: Docs,
    pub constraints: Constraints,
    /// Allowed values, when the parameter is an enum (documented).
    pub allowed: Vec<String>,
    /// An example value from the spec (used in generated docs).
    pub example: Option<String>,
    pub pointer: String,
}

impl Param {
    /// Positional arguments of the method: path parameters the client cannot default, and
    /// required parameters. The rest are optional, set by name on the request.
    pub fn is_positional(&self) -> bool {
        !self.client_default && (self.location == ParamLocation::Path || self.required)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    /// `application/x-www-form-urlencoded`: a typed value, written as form pairs.
    Form,
    Multipart,
    Bytes,
    Text,
}

/// A documented non-success response (`404`, `4XX`, `default`) and the type of its JSON body,
/// which `ApiError::body` decodes.
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    pub status: String,
    pub description: String,
    pub ty: Option<Ty>,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub kind: BodyKind,
    /// Form bodies: properties whose arrays are written indexed (`encoding` style `deepObject`).
    pub indexed: Vec<String>,
    /// Multipart bodies: the content type the description declares per part (`encoding`
    /// `contentType`; the first of a list), by property name.
    pub part_types: std::collections::BTreeMap<String, String>,
    pub content_type: String,
    pub ty: Ty,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// JSON body; `envelope` means `{success, errors, messages, result}` is unwrapped to `result`.
    Json {
        ty: Ty,
        envelope: bool,
    },
    Text,
    Bytes,
    Empty,
    /// `text/event-stream`: a stream of events whose data has this type.
    Events {
        ty: Ty,
    },
    /// Several success responses with different bodies (`200` a resource, `202` a job, `204`
    /// nothing): an enum with a variant per status, chosen by the status received.
    Statuses(Box<Statuses>),
}

impl Response {
    /// The types a response body may have (none for text, bytes and no body).
    pub fn types(&self) -> Vec<&Ty> {
        match self {
            Response::Json { ty, .. } | Response::Events { ty } => vec![ty],
            Response::Statuses(s) => s.variants.iter().flat_map(|v| v.body.types()).collect(),
            Response::Text | Response::Bytes | Response::Empty => Vec::new(),
        }
    }
}

/// The success responses of one operation, when their bodies differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Statuses {
    /// The enum's name (set by naming).
    pub name: String,
    pub variants: Vec<StatusVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// `200`, `2XX` or `default`, as the spec writes it.
    pub status: String,
    /// Words for the variant (`created`); naming spells them as `ident`.
    pub words: String,
    pub ident: String,
    pub description: String,
    /// JSON, text, bytes or no body: never events or another set of statuses.
    pub body: Response,
}
