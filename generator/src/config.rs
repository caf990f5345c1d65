//! The generator's configuration: crate identity, environment variable names, and which
//! operations to generate under which resource path. Read from YAML (`spec/generator.yaml`), or
//! derived from the spec alone when a user runs `--spec FILE` without a config.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostics;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The spec file, relative to the config file.
    #[serde(default)]
    pub spec: Option<PathBuf>,
    #[serde(rename = "crate", default)]
    pub krate: CrateConfig,
    /// Prefix of every environment variable the client reads (`CLOUDFLARE` → `CLOUDFLARE_BASE_URL`).
    #[serde(default)]
    pub env_prefix: Option<String>,
    /// Overrides `servers[0].url`.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Environment variable per security scheme name; default `{PREFIX}_{SCHEME}`.
    #[serde(default)]
    pub auth_env: BTreeMap<String, String>,
    /// Path parameters the client can hold a default for, with the env var that supplies it.
    #[serde(default)]
    pub client_defaults: BTreeMap<String, String>,
    /// Header that identifies a request on the server side (surfaced in errors).
    #[serde(default)]
    pub request_id_header: Option<String>,
    /// Whether `{success, errors, messages, result}` envelopes are unwrapped.
    #[serde(default)]
    pub envelope: EnvelopeMode,
    /// When present, only these operations are generated (by operationId), with overrides.
    #[serde(default)]
    pub operations: Option<BTreeMap<String, OperationConfig>>,
    /// Selects operations by operationId, tag or path glob (`*` matches anything); with
    /// `operations`, an operation is generated when either selects it. Schemas no selected
    /// operation uses are then left out.
    #[serde(default)]
    pub select: Option<Selection>,
    /// Hand-written Rust files (relative to the config file) copied into the crate's `ext`
    /// module: extra `impl` blocks on generated types, kept across regeneration.
    #[serde(default)]
    pub extensions: Vec<PathBuf>,
    /// Operation-level `x-` extensions shown in each method's docs, in this order, each under
    /// its heading (`x-api-token-group` → "Accepted permissions (at least one required)").
    #[serde(default)]
    pub doc_extensions: Vec<DocExtension>,
    /// Typed formats (`date-time` → `chrono::DateTime<Utc>`, `uuid` → `uuid::Uuid`, `int32` →
    /// `i32`, ...). `false` keeps them strings and plain numbers, with no extra dependencies.
    #[serde(default = "yes")]
    pub typed_formats: bool,
    /// Every object type keeps the properties the description does not list in a map
    /// (`#[serde(flatten)] additional_properties`), readable on what is received and sent with
    /// what is sent; unless its schema says `additionalProperties: false`.
    #[serde(default)]
    pub extra_fields: bool,
    /// Also emit `tests/operations.rs`: one test per operation, run against a mock server of
    /// the spec (`WIRE_BASE_URL`). Off by default; `--wire-tests` turns it on.
    #[serde(default)]
    pub wire_tests: bool,
    /// The directory relative paths in the config are resolved against.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct CrateConfig {
    pub name: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeMode {
    /// Unwrap a 2xx JSON body whose schema has `success` and `result` properties.
    #[default]
    Auto,
    Off,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    #[serde(default)]
    pub operations: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
}

impl Selection {
    pub fn selects(&self, operation_id: &str, tags: &[String], path: &str) -> bool {
        self.operations.iter().any(|o| o == operation_id)
            || self.tags.iter().any(|t| tags.contains(t))
            || self.paths.iter().any(|g| glob(g, path))
    }
}

/// `*` matches any run of characters (slashes included); everything else matches itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// One vendor extension a method's docs show.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DocExtension {
    /// The extension's key on the operation, `x-` included.
    pub key: String,
    /// The docs section it goes under.
    pub heading: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct OperationConfig {
    /// Dotted resource path, e.g. `zero_trust.access.ai_controls.mcp.servers`.
    pub resource: Option<String>,
    /// Method name on that resource, e.g. `sync`.
    pub method: Option<String>,
}

impl Config {
    /// The config used for `--spec FILE` without `--config`: everything derived from the spec.
    /// Whether the config narrows the operations (and so prunes unused schemas).
    pub fn selects_operations(&self) -> bool {
        self.operations.is_some() || self.select.is_some()
    }

    pub fn derived() -> Config {
        Config {
            spec: None,
            krate: CrateConfig::default(),
            env_prefix: None,
            base_url: None,
            auth_env: BTreeMap::new(),
            client_defaults: BTreeMap::new(),
            request_id_header: None,
            envelope: EnvelopeMode::Auto,
            operations: None,
            select: None,
            extensions: Vec::new(),
            doc_extensions: Vec::new(),
            typed_formats: true,
            extra_fields: false,
            wire_tests: false,
            base_dir: PathBuf::from("."),
        }
    }

    /// Reads a config file; problems are reported against that file with line and column.
    pub fn load(path: &Path, diags: &mut Diagnostics) -> Option<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                diags
                    .error("", format!("cannot read the config file: {e}"))
                    .with_hint("pass --config FILE, or --spec FILE alone to derive everything from the spec");
                return None;
            }
        };
        let mut config = Self::parse(&text, diags)?;
        config.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Some(config)
    }

    pub fn parse(text: &str, diags: &mut Diagnostics) -> Option<Config> {
        match serde_yaml::from_str::<Config>(text) {
            Ok(c) => {
                c.validate(diags);
                (!diags.has_errors()).then_some(c)
            }
            Err(e) => {
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                let d = diags.error("", format!("invalid generator config: {msg}"));
                if let Some(loc) = e.location() {
                    d.at_line(loc.line(), loc.column());
                }
                d.with_hint("see spec/generator.yaml in the generator's repository for every key");
                None
            }
        }
    }

    fn validate(&self, diags: &mut Diagnostics) {
        if let Some(name) = &self.krate.name
            && (name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            diags
                .error("#/crate/name", format!("`{name}` is not a valid crate name"))
                .with_hint("use ASCII letters, digits, `-` and `_`");
        }
        if let Some(prefix) = &self.env_prefix
            && !is_env_name(prefix)
        {
            diags.error("#/env_prefix", format!("`{prefix}` is not a valid environment variable prefix"));
        }
        for (key, var) in self.auth_env.iter().chain(&self.client_defaults) {
            if !is_env_name(var) {
                diags
                    .error(format!("#/{key}"), format!("`{var}` is not a valid environment variable name"))
                    .with_hint("use upper-case ASCII letters, digits and `_`");
            }
        }
        for (i, ext) in self.extensions.iter().enumerate() {
            let stem = ext.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let valid = ext.extension().is_some_and(|e| e == "rs")
                && !stem.is_empty()
                && stem.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !stem.starts_with(|c: char| c.is_ascii_digit())
                && stem != "mod";
            if !valid {
                diags
                    .error(
                        format!("#/extensions/{i}"),
                        format!("`{}` is not a usable extension file name", ext.display()),
                    )
                    .with_hint("use a snake_case `.rs` file name; it becomes a module name");
            }
        }
        for (id, op) in self.operations.iter().flatten() {
            if let Some(resource) = &op.resource
                && (resource.is_empty() || resource.split('.').any(|s| s.is_empty()))
            {
                diags
                    .error(format!("#/operations/{id}/resource"), format!("`{resource}` is not a dotted resource path"))
                    .with_hint("write it like `zero_trust.access.servers`");
            }
        }
    }
}

fn is_env_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn yes() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_located_errors() {
        let mut d = Diagnostics::new("generator.yaml");
        assert!(Config::parse("crate:\n  name: x\nbogus: 1\n", &mut d).is_none());
        let e = &d.sorted()[0];
        assert!(e.message.contains("bogus"), "{e}");
        assert_eq!(e.line_col.map(|l| l.0), Some(3));
    }

    #[test]
    fn globs() {
        assert!(glob("/zones/*/dns_records*", "/zones/{zone_id}/dns_records/{id}"));
        assert!(glob("*", "/a"));
        assert!(!glob("/zones/*", "/accounts/x"));
        assert!(glob("/a", "/a") && !glob("/a", "/ab"));
        assert!(!glob("/a*a", "/a"));
    }

    #[test]
    fn bad_env_names_are_rejected() {
        let mut d = Diagnostics::new("generator.yaml");
        assert!(Config::parse("client_defaults:\n  account_id: lower\n", &mut d).is_none());
    }
}
