//! Words: how the model spells a name from the spec (`ai-controls`, `aiControls`, `AI Controls`
//! → `ai_controls`), so that two spellings of one word group together. Words are not
//! identifiers: every Rust name, env var and crate name is decided by [`crate::naming`].

/// One name from the spec as lowercase words joined by `_`.
pub fn word(s: &str) -> String {
    heck::ToSnakeCase::to_snake_case(s)
}
