//! Doc comments from spec text. Every line is cut at line breaks and cleaned of control
//! characters ([`clean`]), so a description can never break out of its `///` comment; on top,
//! markdown is made safe for rustdoc: code fences without a
//! language become `text` (never doc tests), indented blocks are flattened, stray brackets and
//! angle brackets are escaped, bare URLs become autolinks.

use proc_macro2::TokenStream;

use crate::model::Docs;
use crate::render;

/// The doc comment of one item, read as `///` lines. Every line passes through [`clean`], the
/// single gate for spec text entering a comment; [`render::doc`] keeps the text itself out of
/// the tokens.
pub fn doc_lines(lines: &[String]) -> TokenStream {
    render::doc(lines.iter().flat_map(|l| clean(l)).collect())
}

/// One doc attribute for a line built from spec strings.
pub fn doc_line(line: &str) -> TokenStream {
    doc_lines(&[line.trim_start().to_string()])
}

/// Splits on every line break a `///` comment cannot hold (a bare `\r` is an error there) and
/// replaces other control characters with spaces.
pub fn clean(line: &str) -> Vec<String> {
    line.split(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}', '\u{b}', '\u{c}'])
        .map(|part| part.chars().map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect())
        .collect()
}

/// Doc attributes for a type or field from its spec docs.
pub fn docs(d: &Docs) -> TokenStream {
    doc_lines(&docs_text(d))
}

pub fn docs_text(d: &Docs) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = &d.title {
        out.extend(markdown(t));
    }
    if let Some(desc) = &d.description {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(markdown(desc));
    }
    if !d.constraints.is_empty() {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(format!("Constraints: {}.", escape_inline(&d.constraints.join("; "))));
    }
    if d.read_only {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push("Read-only: set by the server.".into());
    }
    if d.deprecated {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push("Deprecated in the API description.".into());
    }
    out
}

/// Spec markdown → rustdoc-safe lines.
pub fn markdown(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) && trimmed.trim_start_matches(marker.as_str()).trim().is_empty() {
                out.push(marker.clone());
                fence = None;
            } else {
                out.push(line.to_string());
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect();
            // Whatever language the spec says, the block is shown, never compiled or run.
            out.push(format!("{marker}text"));
            fence = Some(marker);
            continue;
        }
        // Four spaces of indentation make an indented code block, which rustdoc would test.
        let indent = line.len() - trimmed.len();
        let kept = if indent >= 4 { format!("   {trimmed}") } else { line.to_string() };
        out.push(escape_inline(&kept));
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out
}

/// Escapes one line of prose outside code spans.
pub fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => match link_end(&chars, i) {
                Some(end) => {
                    out.extend(&chars[i..end]);
                    i = end;
                    continue;
                }
                None => out.push_str("\\["),
            },
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            'h' if starts_url(&chars, i)
                && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(')
                && !prev_is_paren(&chars, i) =>
            {
                let end = (i..chars.len())
                    .find(|&j| chars[j].is_whitespace() || chars[j] == ')' || chars[j] == '>')
                    .unwrap_or(chars.len());
                let mut url: String = chars[i..end].iter().collect();
                let mut trailing = String::new();
                while url.ends_with(['.', ',', ';', ':']) {
                    trailing.insert(0, url.pop().unwrap_or_default());
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&trailing);
                i = end;
                continue;
            }
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
        i += 1;
    }
    if in_code {
        // An unclosed backtick would swallow following lines into a code span.
        out.push('`');
    }
    out
}

fn prev_is_paren(chars: &[char], i: usize) -> bool {
    i > 0 && chars[i - 1] == '('
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
    rest.starts_with("https://") || rest.starts_with("http://")
}

/// For `[text](url)` starting at `start`, the index just past `)`.
fn link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = (start + 1..chars.len()).find(|&j| chars[j] == ']')?;
    if chars.get(close + 1) != Some(&'(') || chars[start + 1..close].contains(&'[') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    Some(end + 1)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn control_characters_never_reach_a_comment() {
        let doc = doc_lines(&["a\rb\u{2028}c\u{0}d  ".to_string(), String::new()]);
        let text = render::body("x.rs", quote! { #doc struct S; }).unwrap();
        assert_eq!(text, "/// a\n/// b\n/// c d\n///\nstruct S;\n");
        assert_eq!(clean("x\ry"), vec!["x".to_string(), "y".to_string()]);
    }

    #[test]
    fn doc_comments_keep_their_indent_and_can_repeat() {
        let doc = doc_lines(&["Field.".to_string(), "  indented".to_string()]);
        let text = render::body("x.rs", quote! { struct S { #doc a: u8, } #doc struct T; }).unwrap();
        assert_eq!(
            text,
            "struct S {\n    /// Field.\n    ///   indented\n    a: u8,\n}\n\n/// Field.\n///   indented\nstruct T;\n"
        );
        let stray = doc_lines(&["x".to_string()]);
        assert!(render::body("x.rs", quote! { const X: &str = stringify!(#stray); }).is_err());
    }

    #[test]
    fn fences_become_text_and_indents_flatten() {
        let lines = markdown("Example:\n```\nfn main() { panic!() }\n```\n\n    let x = 1;\nend");
        assert_eq!(lines[1], "```text");
        assert_eq!(lines[3], "```");
        assert_eq!(lines[5], "   let x = 1;");
    }

    #[test]
    fn brackets_urls_and_tags_are_escaped() {
        assert_eq!(escape_inline("see [docs](https://x.y/z) or [1,2]"), "see [docs](https://x.y/z) or \\[1,2\\]");
        assert_eq!(escape_inline("go to https://x.y/a."), "go to <https://x.y/a>.");
        assert_eq!(escape_inline("use <id> here"), "use &lt;id&gt; here");
        assert_eq!(escape_inline("`<id>` stays"), "`<id>` stays");
        assert_eq!(escape_inline("open `code"), "open `code`");
    }
}
