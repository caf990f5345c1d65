//! Synthesised scalars: strings that satisfy a format, a pattern (a walk over regex-syntax's
//! HIR) and lengths; numbers within bounds and multiples.

use serde_json::Value;

use super::hints::Hints;

/// A string satisfying the format, pattern and length rules (in that order of preference).
pub(super) fn string_value(h: &Hints) -> String {
    let by_format = match h.format.as_deref() {
        Some("date-time") => Some("2024-01-01T00:00:00Z"),
        Some("date") => Some("2024-01-01"),
        Some("time") => Some("12:00:00Z"),
        Some("uuid") => Some("123e4567-e89b-12d3-a456-426614174000"),
        Some("email") => Some("user@example.com"),
        Some("uri" | "url") => Some("https://example.com/"),
        Some("hostname") => Some("example.com"),
        Some("ipv4") => Some("192.0.2.1"),
        Some("ipv6") => Some("2001:db8::1"),
        Some("byte") => Some("aGVsbG8="),
        _ => None,
    };
    let mut s = match (by_format, &h.pattern) {
        (Some(f), _) => f.to_string(),
        (None, Some(p)) => pattern_value(p).unwrap_or_else(|| "example".into()),
        (None, None) => "example".into(),
    };
    let min = h.min_length.unwrap_or(0) as usize;
    while s.chars().count() < min {
        s.push('a');
    }
    if let Some(max) = h.max_length {
        s = s.chars().take(max as usize).collect();
    }
    s
}

/// The shortest simple string a regular expression matches: first alternatives, first class
/// members (letters and digits preferred), minimum repetitions.
fn pattern_value(pattern: &str) -> Option<String> {
    use regex_syntax::hir::{Class, Hir, HirKind};
    fn walk(h: &Hir, out: &mut String) {
        match h.kind() {
            HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
            HirKind::Class(Class::Unicode(c)) => {
                let pick = c
                    .iter()
                    .flat_map(|r| [r.start(), r.end()])
                    .find(|ch| ch.is_ascii_alphanumeric())
                    .or_else(|| c.iter().next().map(|r| r.start()));
                if let Some(ch) = pick {
                    out.push(ch);
                }
            }
            HirKind::Class(Class::Bytes(c)) => {
                if let Some(r) = c.iter().next() {
                    out.push(r.start() as char);
                }
            }
            HirKind::Repetition(r) => {
                for _ in 0..r.min.clamp(1, 64) {
                    walk(&r.sub, out);
                }
            }
            HirKind::Capture(c) => walk(&c.sub, out),
            HirKind::Concat(parts) => parts.iter().for_each(|p| walk(p, out)),
            HirKind::Alternation(parts) => {
                if let Some(p) = parts.first() {
                    walk(p, out);
                }
            }
            HirKind::Empty | HirKind::Look(_) => {}
        }
    }
    let hir = regex_syntax::parse(pattern).ok()?;
    let mut out = String::new();
    walk(&hir, &mut out);
    let re = regex::Regex::new(pattern).ok()?;
    re.is_match(&out).then_some(out)
}

pub(super) fn number_value(h: &Hints, integer: bool) -> Option<Value> {
    let step = h.multiple_of.unwrap_or(1.0);
    let mut n = match (h.minimum, h.maximum) {
        (Some((m, excl)), _) => {
            let mut n = (m / step).ceil() * step;
            if excl && n <= m {
                n += step;
            }
            n
        }
        (None, Some((m, excl))) if m < 1.0 => {
            let mut n = (m / step).floor() * step;
            if excl && n >= m {
                n -= step;
            }
            n
        }
        _ => step.max(1.0),
    };
    if integer {
        n = n.ceil();
        return Some(Value::from(n as i64));
    }
    serde_json::Number::from_f64(n).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample::check::format_ok;

    #[test]
    fn patterns_give_matching_strings() {
        for p in ["^[a-z0-9_]+(?:-[a-z0-9_]+)*$", "^[0-9a-f]{32}$", r"^\d{3}-\d{4}$", "^(foo|bar)baz$"] {
            let s = pattern_value(p).unwrap_or_else(|| panic!("{p}"));
            assert!(regex::Regex::new(p).unwrap().is_match(&s), "{p} → {s}");
        }
    }

    #[test]
    fn strings_respect_lengths_and_formats() {
        let h = Hints { min_length: Some(12), max_length: Some(12), ..Hints::default() };
        assert_eq!(string_value(&h).len(), 12);
        let h = Hints { format: Some("uuid".into()), ..Hints::default() };
        assert!(format_ok("uuid", &string_value(&h)));
        assert!(!format_ok("date-time", "yesterday"));
    }

    #[test]
    fn numbers_respect_bounds() {
        let h = Hints { minimum: Some((5.0, true)), multiple_of: Some(5.0), ..Hints::default() };
        assert_eq!(number_value(&h, true), Some(Value::from(10)));
        let h = Hints { maximum: Some((-3.0, false)), ..Hints::default() };
        assert_eq!(number_value(&h, true), Some(Value::from(-3)));
    }
}
