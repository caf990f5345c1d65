//! Stage 5, render: tokens → formatted text, in one place. `syn` parses the tokens and
//! prettyplease prints them; a parse failure is a generator bug, reported with the file name.

use proc_macro2::TokenStream;

/// Renders one Rust file; the header goes first as `//` comment lines.
pub fn rust(path: &str, tokens: TokenStream, header: &str) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        format!("internal error: generated code for {path} does not parse ({e}); please report this with the spec")
    })?;
    Ok(with_header(header, &separate_items(&prettyplease::unparse(&file))))
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
        let ends_item =
            line == "}" || line == "};" || (!line.starts_with(' ') && line.ends_with(';') && !line.starts_with("//"));
        let grouped =
            |l: &str| ["mod ", "pub mod ", "use ", "pub use ", "#[rustfmt::skip]"].iter().any(|p| l.starts_with(p));
        if ends_item && lines.peek().is_some_and(|next| !(next.is_empty() || grouped(line) && grouped(next))) {
            out.push('\n');
        }
    }
    out
}
