//! Spelling identifiers: symbols spelled out, case converted with heck, keywords escaped,
//! lengths bounded, and [`Namespace`], one Rust scope in which a clash gets a word or a number
//! appended instead of overwriting a name.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers (`r#self` is invalid).
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Longest type name we emit; longer hints drop their middle words.
const MAX_TYPE_NAME: usize = 64;

/// Spells out symbols heck would drop, so `+1`/`-1` and `a*`/`a` stay distinct.
fn spell(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let word = match c {
            '+' => Some("plus"),
            '-' if i == 0 && chars.get(1).is_some_and(|n| n.is_ascii_digit() || *n == '.') => Some("minus"),
            '*' => Some("star"),
            '<' => Some("lt"),
            '>' => Some("gt"),
            '=' => Some("eq"),
            '!' => Some("not"),
            '@' => Some("at"),
            '#' => Some("hash"),
            '%' => Some("percent"),
            '&' => Some("and"),
            '.' if i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()) => {
                Some("dot")
            }
            _ => None,
        };
        if let Some(w) = word {
            out.push(' ');
            out.push_str(w);
            out.push(' ');
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            // Non-ASCII letters would make identifiers users cannot type; keep them distinct.
            out.push_str(&format!(" u{:x} ", c as u32));
        }
    }
    out
}

/// `UpperCamelCase` identifier for a type or variant; never empty, never a keyword.
pub fn pascal(s: &str) -> String {
    let mut name = spell(s).to_upper_camel_case();
    if name.is_empty() {
        name = if s.is_empty() { "Empty".into() } else { "Value".into() };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if name == "Self" {
        name = "SelfValue".into();
    }
    name
}

/// `snake_case` identifier for a field, method, argument or module; keywords escaped.
pub fn snake(s: &str) -> String {
    let mut name = spell(s).to_snake_case();
    if name.is_empty() {
        name = if s.is_empty() { "empty".into() } else { "value".into() };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "n_");
    }
    escape(name)
}

/// `r#type` for keywords that may be raw; `self_` for those that may not.
pub fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Module names are also file names, so keywords get a suffix instead of `r#`.
pub fn module(s: &str) -> String {
    let name = snake(s);
    match name.strip_prefix("r#") {
        Some(k) => format!("{k}_"),
        None => name,
    }
}

/// Builds a type name from hint words, bounded in length.
pub fn type_name(words: &[String]) -> String {
    let parts: Vec<String> = words.iter().map(|w| pascal(w)).collect();
    let mut name = parts.concat();
    if name.len() > MAX_TYPE_NAME && parts.len() > 2 {
        // Keep the first word (the owner) and as many trailing words as fit.
        let mut tail: Vec<&String> = Vec::new();
        let mut len = parts[0].len();
        for p in parts[1..].iter().rev() {
            if len + p.len() > MAX_TYPE_NAME && !tail.is_empty() {
                break;
            }
            len += p.len();
            tail.push(p);
        }
        tail.reverse();
        name = std::iter::once(&parts[0]).chain(tail).map(String::as_str).collect();
    }
    name
}

/// One scope of identifiers. Claims are first-come; a clash gets `2`, `3`, ... appended.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    used: BTreeSet<String>,
}

impl Namespace {
    pub fn with_reserved(names: &[&str]) -> Self {
        Namespace { used: names.iter().map(|s| s.to_string()).collect() }
    }

    /// Returns the name to use and whether it had to change.
    /// Whether `name` is taken in this scope.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// Takes `name` without checking: for names decided before the scope is filled.
    pub fn reserve(&mut self, name: String) {
        self.used.insert(name);
    }

    pub fn claim(&mut self, name: &str) -> (String, bool) {
        self.claim_with(name, "")
    }

    /// Like [`Namespace::claim`], but tries `name_word` before any number.
    pub fn claim_with(&mut self, name: &str, word: &str) -> (String, bool) {
        if self.used.insert(name.to_string()) {
            return (name.to_string(), false);
        }
        let with_word = format!("{}_{word}", name.strip_prefix("r#").unwrap_or(name).trim_end_matches('_'));
        if !word.is_empty() && self.used.insert(with_word.clone()) {
            return (with_word, true);
        }
        // A suffixed keyword is no longer a keyword: `r#type` clashes become `type_2`.
        let base = name.strip_prefix("r#").unwrap_or(name);
        for n in 2.. {
            let lower = base.chars().next().is_some_and(|c| c.is_lowercase() || c == '_');
            let digit = base.ends_with(|c: char| c.is_ascii_digit());
            let sep = if (digit || lower) && !base.ends_with('_') { "_" } else { "" };
            let candidate = format!("{base}{sep}{n}");
            if self.used.insert(candidate.clone()) {
                return (candidate, true);
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_keep_values_apart() {
        assert_eq!(pascal("+1"), "Plus1");
        assert_eq!(pascal("-1"), "Minus1");
        assert_eq!(pascal("200"), "N200");
        assert_eq!(pascal(""), "Empty");
        assert_eq!(pascal("Self"), "SelfValue");
        assert_eq!(pascal("1.5"), "N1Dot5");
        assert_ne!(pascal("é"), pascal("è"));
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(snake("super"), "super_");
        assert_eq!(snake("_"), "value");
        assert_eq!(module("type"), "type_");
    }

    #[test]
    fn clashes_get_suffixes() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim(&snake("user.name")), ("user_name".into(), false));
        assert_eq!(ns.claim(&snake("userName")), ("user_name_2".into(), true));
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("Foo").0, "Foo");
        assert_eq!(ns.claim("Foo").0, "Foo2");
        let mut ns = Namespace::default();
        ns.claim("r#type");
        assert_eq!(ns.claim("r#type").0, "type_2");
    }

    #[test]
    fn reserved_names_prefer_a_word_to_a_number() {
        let mut ns = Namespace::with_reserved(&["prelude", "full"]);
        assert_eq!(ns.claim_with("prelude", "api"), ("prelude_api".to_string(), true));
        assert_eq!(ns.claim_with("prelude", "api"), ("prelude_2".to_string(), true));
        assert_eq!(ns.claim_with("users", "api"), ("users".to_string(), false));
    }

    #[test]
    fn long_type_names_are_bounded() {
        let words: Vec<String> = (0..20).map(|i| format!("Word{i}")).collect();
        let name = type_name(&words);
        assert!(name.len() <= MAX_TYPE_NAME, "{name}");
        assert!(name.starts_with("Word0") && name.ends_with("Word19"));
    }
}
