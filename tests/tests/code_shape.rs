//! The generator stays readable: no source file over 600 lines, no function over 80 (a
//! function's length is counted from its `fn` line to the closing brace at its indentation).

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `(name, lines)` of every function in `text`.
fn functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let rest = trimmed.strip_prefix("pub(crate) ").or(trimmed.strip_prefix("pub(super) ")).unwrap_or(trimmed);
        let rest = rest.strip_prefix("pub ").unwrap_or(rest);
        let Some(sig) = rest.strip_prefix("fn ") else { continue };
        if line.trim_end().ends_with(';') {
            continue;
        }
        let name: String = sig.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let close = format!("{}}}", " ".repeat(indent));
        if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
            out.push((name, end + 2));
        }
    }
    out
}

#[test]
fn generator_files_and_functions_stay_short() {
    let mut files = Vec::new();
    rust_files(&tests::repo().join("generator/src"), &mut files);
    assert!(files.len() > 20, "found only {} files", files.len());
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        let rel = file.strip_prefix(tests::repo()).unwrap_or(&file).display().to_string();
        let count = text.lines().count();
        if count > 600 {
            problems.push(format!("{rel}: {count} lines (at most 600)"));
        }
        for (name, len) in functions(&text) {
            if len > 80 {
                problems.push(format!("{rel}: fn {name} is {len} lines (at most 80)"));
            }
        }
    }
    assert!(problems.is_empty(), "split these by construct:\n{}", problems.join("\n"));
}

#[test]
fn long_functions_are_measured() {
    let long = format!("fn big() {{\n{}}}\n", "    let x = 1;\n".repeat(90));
    assert_eq!(functions(&long), vec![("big".to_string(), 92)]);
}
