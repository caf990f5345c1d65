//! Stage 5, render: tokens → formatted text, in one place. `syn` parses the tokens and
//! prettyplease prints them; a parse failure is a generator bug, reported with the file name.

use proc_macro2::TokenStream;

/// Renders one Rust file; the header goes first as `//` comment lines.
pub fn rust(path: &str, tokens: TokenStream, header: &str) -> Result<String, String> {
    Ok(with_header(header, &body(path, tokens)?))
}

/// Renders a Rust file without its header, or one run of its items (see [`join`]).
pub fn body(path: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        format!("internal error: generated code for {path} does not parse ({e}); please report this with the spec")
    })?;
    Ok(separate_items(&prettyplease::unparse(&file)))
}

/// The runs of one file's items, rendered apart (on several threads), joined into the text
/// [`body`] gives for all the items at once: a run starts after a hard line break, so
/// prettyplease lays each out alike, and the blank line between two runs is decided as
/// [`separate_items`] decides it inside one.
pub fn join(parts: Vec<String>) -> String {
    let mut parts = parts.into_iter().filter(|p| !p.is_empty());
    let mut out = parts.next().unwrap_or_default();
    for part in parts {
        let last = out.lines().next_back().unwrap_or_default();
        if blank_between(last, part.lines().next().unwrap_or_default()) {
            out.push('\n');
        }
        out.push_str(&part);
    }
    out
}

/// Statements formatted as they would be inside a function, without it: code for docs.
pub fn snippet(statements: TokenStream) -> Option<String> {
    let file: syn::File = syn::parse2(quote::quote! { async fn __snippet() { #statements } }).ok()?;
    let text = prettyplease::unparse(&file);
    let lines: Vec<&str> = text.lines().collect();
    let inner = lines.get(1..lines.len().checked_sub(1)?)?;
    Some(inner.iter().map(|l| l.strip_prefix("    ").unwrap_or(l)).collect::<Vec<_>>().join("\n"))
}

/// `body` after the header as `//` comment lines: the one place every Rust file (generated,
/// runtime or extension) gets its `@generated` marker.
pub fn with_header(header: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + header.len() + 8);
    for line in header.lines() {
        out.push_str("// ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(body);
    out
}

/// prettyplease puts items back to back; a blank line after each top-level item reads better.
fn separate_items(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 20);
    let mut lines = body.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        if lines.peek().is_some_and(|next| blank_between(line, next)) {
            out.push('\n');
        }
    }
    out
}

/// Whether a blank line goes between two consecutive lines of prettyplease's output: after a
/// top-level item, unless a blank line follows anyway or both are `mod`/`use` lines.
fn blank_between(line: &str, next: &str) -> bool {
    let ends_item =
        line == "}" || line == "};" || (!line.starts_with(' ') && line.ends_with(';') && !line.starts_with("//"));
    let grouped =
        |l: &str| ["mod ", "pub mod ", "use ", "pub use ", "#[rustfmt::skip]"].iter().any(|p| l.starts_with(p));
    ends_item && !(next.is_empty() || grouped(line) && grouped(next))
}
