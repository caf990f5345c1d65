//! Checks generated from the spec's constraints (length, pattern, bounds, enum), run before a
//! request is built so a bad value fails locally with the rule it broke instead of as an opaque
//! 400 from the server, or worse, as a request to an unintended path.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use regex::Regex;

use super::error::Error;

/// How much of an offending value a rule message echoes: enough to recognise it, short enough
/// that a pasted document does not flood the message.
const ECHO_CHARS: usize = 64;

/// Fails when `value` has fewer than `min` characters (Unicode scalar values, as JSON Schema
/// counts them).
#[doc(hidden)]
pub fn min_length(name: &'static str, value: &str, min: usize) -> Result<(), Error> {
    let len = value.chars().count();
    if len < min {
        return Err(invalid(name, format!("must be at least {min} character{} (got {len})", plural(min))));
    }
    Ok(())
}

/// Fails when `value` has more than `max` characters.
#[doc(hidden)]
pub fn max_length(name: &'static str, value: &str, max: usize) -> Result<(), Error> {
    let len = value.chars().count();
    if len > max {
        return Err(invalid(name, format!("must be at most {max} character{} (got {len})", plural(max))));
    }
    Ok(())
}

/// Fails when `value` does not match `pattern` (searched anywhere, as JSON Schema does; the
/// spec's patterns carry their own `^...$` anchors when they need them).
#[doc(hidden)]
pub fn pattern(name: &'static str, value: &str, pattern: &'static str) -> Result<(), Error> {
    let regex = cached_regex(pattern).map_err(|message| Error::Config {
        message: format!("the pattern for {name} does not compile ({message}); this is a generator bug"),
    })?;
    if !regex.is_match(value) {
        return Err(invalid(name, format!("must match {pattern} (got {})", echo(value))));
    }
    Ok(())
}

/// Fails when `value` is below `min` (or equal to it when `exclusive`).
#[doc(hidden)]
pub fn minimum(name: &'static str, value: f64, min: f64, exclusive: bool) -> Result<(), Error> {
    if exclusive && value <= min {
        return Err(invalid(name, format!("must be greater than {min} (got {value})")));
    }
    if value < min || value.is_nan() {
        return Err(invalid(name, format!("must be at least {min} (got {value})")));
    }
    Ok(())
}

/// Fails when `value` is above `max` (or equal to it when `exclusive`).
#[doc(hidden)]
pub fn maximum(name: &'static str, value: f64, max: f64, exclusive: bool) -> Result<(), Error> {
    if exclusive && value >= max {
        return Err(invalid(name, format!("must be less than {max} (got {value})")));
    }
    if value > max || value.is_nan() {
        return Err(invalid(name, format!("must be at most {max} (got {value})")));
    }
    Ok(())
}

/// Fails when a list has fewer than `min` items.
#[doc(hidden)]
pub fn min_items(name: &'static str, len: usize, min: usize) -> Result<(), Error> {
    if len < min {
        return Err(invalid(name, format!("must have at least {min} item{} (got {len})", plural(min))));
    }
    Ok(())
}

/// Fails when a list has more than `max` items.
#[doc(hidden)]
pub fn max_items(name: &'static str, len: usize, max: usize) -> Result<(), Error> {
    if len > max {
        return Err(invalid(name, format!("must have at most {max} item{} (got {len})", plural(max))));
    }
    Ok(())
}

/// Fails when `value` is not one of `allowed` (for string parameters whose enum is not a Rust
/// enum, such as free-form strings with a documented set of values).
#[doc(hidden)]
pub fn one_of(name: &'static str, value: &str, allowed: &'static [&'static str]) -> Result<(), Error> {
    if !allowed.contains(&value) {
        let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
        return Err(invalid(name, format!("must be one of {} (got {})", list.join(", "), echo(value))));
    }
    Ok(())
}

fn invalid(name: &'static str, rule: String) -> Error {
    Error::InvalidParameter { name, rule }
}

/// The value quoted and escaped (so control characters stay visible), cut to [`ECHO_CHARS`].
fn echo(value: &str) -> String {
    match value.char_indices().nth(ECHO_CHARS) {
        Some((at, _)) => format!("{:?}…", &value[..at]),
        None => format!("{value:?}"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Compiles each pattern once per process. Patterns are `&'static str` from generated code, so
/// the map is bounded by the spec; a `BTreeMap` keeps the crate free of hash-order effects.
/// The map hands out one shared `Arc<Regex>` per pattern: a cloned `Regex` would start with an
/// empty match cache and rebuild it on every call.
fn cached_regex(pattern: &'static str) -> Result<Arc<Regex>, String> {
    static CACHE: OnceLock<Mutex<BTreeMap<&'static str, Arc<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    // A poisoned lock only means another thread panicked mid-insert; the map is still valid.
    let mut map = cache.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(regex) = map.get(pattern) {
        return Ok(Arc::clone(regex));
    }
    let regex = Arc::new(Regex::new(pattern).map_err(|e| e.to_string())?);
    map.insert(pattern, Arc::clone(&regex));
    Ok(regex)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(result: Result<(), Error>) -> String {
        match result {
            Err(Error::InvalidParameter { rule, .. }) => rule,
            other => format!("unexpected: {other:?}"),
        }
    }

    #[test]
    fn messages_name_the_rule_and_value() {
        let p = "^[a-z0-9_]+(?:-[a-z0-9_]+)*$";
        assert_eq!(rule(pattern("id", "../x", p)), format!("must match {p} (got \"../x\")"));
        assert_eq!(rule(max_length("id", &"a".repeat(40), 32)), "must be at most 32 characters (got 40)");
        assert_eq!(rule(min_length("id", "", 1)), "must be at least 1 character (got 0)");
        assert_eq!(rule(minimum("n", 0.0, 1.0, false)), "must be at least 1 (got 0)");
        assert_eq!(rule(maximum("n", 5.0, 5.0, true)), "must be less than 5 (got 5)");
        assert_eq!(rule(one_of("k", "x", &["a", "b"])), "must be one of \"a\", \"b\" (got \"x\")");
        assert!(pattern("id", "my-mcp-portal", p).is_ok());
        assert!(max_length("id", "ééé", 3).is_ok());
    }

    #[test]
    fn echo_is_truncated() {
        let shown = rule(pattern("id", &"A".repeat(200), "^a$"));
        assert!(shown.ends_with(&format!("{}\"…)", "A".repeat(64))), "{shown}");
    }
}
