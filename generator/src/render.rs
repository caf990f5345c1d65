//! Stage 5, render: tokens → formatted text, in one place. `syn` parses the tokens and
//! prettyplease prints them; a parse failure is a generator bug, reported with the file name.

use proc_macro2::TokenStream;
use quote::quote;

/// Renders one Rust file; the header goes first as `//` comment lines.
pub fn rust(path: &str, tokens: TokenStream, header: &str) -> Result<String, String> {
    Ok(with_header(header, &body(path, tokens)?))
}

/// Renders a Rust file without its header, or one run of its items (see [`join`]).
pub fn body(path: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        format!("internal error: generated code for {path} does not parse ({e}); please report this with the spec")
    })?;
    fill(&separate_items(&prettyplease::unparse(&file)))
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

/// A doc comment of the given lines (already cleaned of line breaks and control characters).
///
/// The lines do not go into the tokens: syn would parse each as a string literal and
/// prettyplease print it back, which took about a seventh of the generator's time on the largest
/// specs. The item gets one `#[doc]` placeholder naming a slot of this thread's [`PENDING`]
/// table, and [`body`] writes the lines as `///` comments into the printed text. Tokens cannot
/// leave their thread, so a placeholder is always filled on the thread that made it.
pub fn doc(lines: Vec<String>) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    let slot = PENDING.with_borrow_mut(|pending| {
        pending.next += 1;
        pending.slots.insert(pending.next, lines);
        pending.next
    });
    let placeholder = format!("{PLACEHOLDER}{slot}");
    quote! { #[doc = #placeholder] }
}

/// Statements formatted as they would be inside a function, without it: code for docs.
pub fn snippet(statements: TokenStream) -> Option<String> {
    let file: syn::File = syn::parse2(quote! { async fn __snippet() { #statements } }).ok()?;
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

/// Starts a doc placeholder's text; `emit::docs::clean` keeps control characters out of real doc
/// text.
const PLACEHOLDER: char = '\u{1}';

#[derive(Default)]
struct Pending {
    next: u64,
    slots: std::collections::BTreeMap<u64, Vec<String>>,
}

thread_local! {
    /// Doc lines waiting for their placeholder to be rendered (see [`doc`]).
    static PENDING: std::cell::RefCell<Pending> = std::cell::RefCell::default();
}

/// Replaces the doc placeholders of rendered text (`///` followed by the placeholder, as
/// prettyplease prints a one-line doc attribute) with their lines, at the placeholder's indent,
/// and frees their slots. `Err` names a placeholder left anywhere else, or one without a slot:
/// both generator bugs.
fn fill(text: &str) -> Result<String, String> {
    PENDING.with_borrow_mut(|pending| {
        let mut out = String::with_capacity(text.len() * 2);
        let mut used = Vec::new();
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let slot = trimmed.strip_prefix("///").and_then(|rest| rest.trim_end().strip_prefix(PLACEHOLDER));
            let Some(slot) = slot else {
                if line.contains(PLACEHOLDER) || line.contains("doc = \"\\u{1}") {
                    return Err(format!("internal error: a doc comment ended up outside an item: {}", line.trim()));
                }
                out.push_str(line);
                continue;
            };
            let lines = slot.parse().ok().and_then(|slot: u64| {
                used.push(slot);
                pending.slots.get(&slot)
            });
            let Some(lines) = lines else {
                return Err(format!("internal error: doc comment {slot} was never recorded"));
            };
            for doc in lines {
                out.push_str(indent);
                out.push_str("///");
                if !doc.trim_end_matches(' ').is_empty() {
                    out.push(' ');
                    out.push_str(doc.trim_end_matches(' '));
                }
                out.push('\n');
            }
        }
        for slot in used {
            pending.slots.remove(&slot);
        }
        Ok(out)
    })
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
