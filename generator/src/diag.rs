//! Diagnostics: every stage reports problems here instead of panicking, each one located by a
//! JSON pointer into the spec (and a line/column for syntax errors), so users can find them.

use std::fmt;

/// How bad a diagnostic is. Errors stop generation before anything is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One located problem: where (file + JSON pointer, maybe line/column), what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file the problem is in (spec or config), as the user named it.
    pub file: String,
    /// JSON pointer into that file, e.g. `#/paths/~1zones/get/responses/200`.
    pub pointer: String,
    /// 1-based line and column, when the parser knows them (syntax errors).
    pub line_col: Option<(usize, usize)>,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}\n  --> {}", self.message, self.file)?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " at {}", self.pointer)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Where the nodes of a rewritten document came from (an OpenAPI 3.1 document is rewritten to
/// 3.0's shape): `(pointer in the rewritten document, pointer in the user's)`.
#[derive(Debug, Clone, Default)]
pub struct Origins(std::collections::BTreeMap<String, String>);

impl Origins {
    /// The user's pointer for a pointer into the rewritten document: the longest recorded
    /// prefix is replaced, the rest kept, until no recorded prefix is left (a node moved inside
    /// a moved node).
    pub fn original(&self, pointer: &str) -> Option<String> {
        let mut current = self.step(pointer)?;
        for _ in 0..64 {
            match self.step(&current) {
                Some(next) => current = next,
                None => break,
            }
        }
        Some(current)
    }

    fn step(&self, pointer: &str) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let mut end = pointer.len();
        loop {
            if let Some(from) = self.0.get(&pointer[..end]) {
                return Some(format!("{from}{}", &pointer[end..]));
            }
            end = pointer[..end].rfind('/')?;
        }
    }

    /// Records that the node now at `to` was written at `from`.
    pub fn moved(&mut self, to: String, from: &str) {
        self.0.insert(to, from.to_string());
    }
}

/// Collects diagnostics for one run; printed sorted so output is stable.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    file: String,
    items: Vec<Diagnostic>,
    /// Pointers into a rewritten document are reported as the user's.
    origins: Origins,
}

impl Diagnostics {
    pub fn new(file: impl Into<String>) -> Self {
        Diagnostics { file: file.into(), items: Vec::new(), origins: Origins::default() }
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Severity::Error, pointer.into(), message.into())
    }

    pub fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Severity::Warning, pointer.into(), message.into())
    }

    /// From now on, pointers into the rewritten document are reported as `origins` says.
    pub fn set_origins(&mut self, origins: Origins) {
        self.origins = origins;
    }

    fn push(&mut self, severity: Severity, pointer: String, message: String) -> &mut Diagnostic {
        let pointer = self.origins.original(&pointer).unwrap_or(pointer);
        self.items.push(Diagnostic { severity, file: self.file.clone(), pointer, line_col: None, message, hint: None });
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    /// Adds an already-built diagnostic (e.g. from another file, such as the config).
    pub fn push_diagnostic(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// How many diagnostics there are so far: a mark for [`Diagnostics::split_off`].
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Takes out the diagnostics after `mark`, to be added back with [`Diagnostics::extend`] or
    /// dropped.
    pub fn split_off(&mut self, mark: usize) -> Diagnostics {
        let items = self.items.split_off(mark.min(self.items.len()));
        Diagnostics { file: self.file.clone(), items, origins: Origins::default() }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// All diagnostics, errors first, then by file and pointer; duplicates removed.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort();
        items.dedup();
        items
    }
}

impl Diagnostic {
    pub fn with_hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn at_line(&mut self, line: usize, col: usize) -> &mut Self {
        self.line_col = Some((line, col));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_puts_errors_first_and_dedups() {
        let mut d = Diagnostics::new("spec.yaml");
        d.warning("#/b", "w");
        d.error("#/z", "e");
        d.error("#/z", "e");
        let s = d.sorted();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].severity, Severity::Error);
        assert!(d.has_errors());
    }
}
