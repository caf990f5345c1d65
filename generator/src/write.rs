//! Stage 6, write: one function for "regenerate" and one for "check that nothing drifted",
//! over the same in-memory file set (the rust-analyzer `ensure_file_contents` idea).
//!
//! Writing is all-or-nothing as far as the filesystem allows: every file that replaces one on
//! disk is first written beside its target as a temporary file, and only when all writes
//! succeeded are they renamed into place. A file that does not exist yet is written in place
//! (half as many directory changes as a temporary file and a rename), and removed again if the
//! run fails. Files the generator made before (they carry the marker) and no longer makes are
//! removed; files without the marker are never touched.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::templates::MARKER;

/// The generated crate: relative path (with `/`) → contents.
pub type Files = BTreeMap<String, String>;

/// One way the output directory differs from what the spec generates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    Changed {
        path: String,
        diff: String,
    },
    Missing {
        path: String,
    },
    /// Made by the generator earlier, not made now.
    Stale {
        path: String,
    },
}

impl Drift {
    pub fn path(&self) -> &str {
        match self {
            Drift::Changed { path, .. } | Drift::Missing { path } | Drift::Stale { path } => path,
        }
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub unchanged: usize,
    pub removed: Vec<String>,
}

/// Compares the files with the directory; writes nothing.
pub fn check(out: &Path, files: &Files) -> io::Result<Vec<Drift>> {
    let mut drift = Vec::new();
    for (rel, contents) in files {
        match fs::read_to_string(out.join(rel)) {
            Ok(existing) if existing == *contents => {}
            Ok(existing) => {
                drift.push(Drift::Changed { path: rel.clone(), diff: unified_diff(rel, &existing, contents) })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => drift.push(Drift::Missing { path: rel.clone() }),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                drift.push(Drift::Changed { path: rel.clone(), diff: format!("{rel}: existing file is not UTF-8\n") })
            }
            Err(e) => return Err(with_path(e, &out.join(rel))),
        }
    }
    for rel in generated_files(out)? {
        if !files.contains_key(&rel) {
            drift.push(Drift::Stale { path: rel });
        }
    }
    Ok(drift)
}

/// Writes what changed, removes what is stale; unchanged files keep their timestamps.
///
/// New contents of existing files are first written to temporary files beside their targets,
/// files that do not exist yet straight to their place; only when every write succeeded are the
/// temporary files renamed into place. If a write or rename fails, the new files are removed and
/// the files already replaced are put back, so a failed run leaves the directory as it was.
pub fn write(out: &Path, files: &Files) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    let stale: Vec<String> = generated_files(out)?.into_iter().filter(|rel| !files.contains_key(rel)).collect();
    let staging = stage_in_parallel(out, files);
    report.unchanged = staging.unchanged;
    let result = match staging.error {
        Some(e) => Err(e),
        None => commit(&staging.staged),
    };
    if let Err(e) = result {
        for s in &staging.staged {
            let _ = fs::remove_file(s.tmp.as_ref().unwrap_or(&s.target));
        }
        let mut dirs = staging.created_dirs;
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        dirs.dedup();
        for dir in &dirs {
            let _ = fs::remove_dir(dir);
        }
        return Err(e);
    }
    report.written = staging.staged.into_iter().map(|s| s.rel).collect();
    for rel in stale {
        fs::remove_file(out.join(&rel)).map_err(|e| with_path(e, &out.join(&rel)))?;
        report.removed.push(rel);
    }
    Ok(report)
}

/// What staging a run of files did: the temporary files written, the directories made, how many
/// files were unchanged, and the first error (after which that run stopped).
#[derive(Default)]
struct Staging {
    staged: Vec<Staged>,
    created_dirs: Vec<PathBuf>,
    unchanged: usize,
    error: Option<io::Error>,
}

/// Stages every file, in contiguous runs on the machine's cores: creating files is kernel time,
/// and the largest APIs make thousands of them (Microsoft Graph beta: 9,487 files in 3,273
/// directories). The results are merged in file order; the first error in that order is the one
/// reported.
fn stage_in_parallel(out: &Path, files: &Files) -> Staging {
    let files: Vec<(&String, &String)> = files.iter().collect();
    // At least 128 files a thread: a small crate is written on one.
    let threads = crate::worker_threads(files.len() / 128);
    let per_thread = files.len().div_ceil(threads).max(1);
    let runs: Vec<Staging> = std::thread::scope(|scope| {
        let handles: Vec<_> = files.chunks(per_thread).map(|run| scope.spawn(move || stage(out, run))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| Staging {
                    error: Some(io::Error::other("internal error: a thread writing files panicked")),
                    ..Staging::default()
                })
            })
            .collect()
    });
    let mut all = Staging::default();
    for run in runs {
        all.staged.extend(run.staged);
        all.created_dirs.extend(run.created_dirs);
        all.unchanged += run.unchanged;
        if all.error.is_none() {
            all.error = run.error;
        }
    }
    all
}

struct Staged {
    /// The temporary file to rename into place; `None` for a new file, written in place.
    tmp: Option<PathBuf>,
    target: PathBuf,
    rel: String,
    /// What the target held before, to put back if a later rename fails.
    old: Option<Vec<u8>>,
}

fn stage(out: &Path, files: &[(&String, &String)]) -> Staging {
    let mut staging = Staging::default();
    if let Err(e) = stage_into(out, files, &mut staging) {
        staging.error = Some(e);
    }
    staging
}

fn stage_into(out: &Path, files: &[(&String, &String)], staging: &mut Staging) -> io::Result<()> {
    // Directories already made or seen: thousands of files share a few hundred of them.
    let mut known_dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for &(rel, contents) in files {
        let target = out.join(rel);
        let old = match fs::read(&target) {
            Ok(old) => Some(old),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(_) if target.is_dir() => {
                let message = format!("{}: is a directory", target.display());
                return Err(io::Error::new(io::ErrorKind::IsADirectory, message));
            }
            Err(_) => None,
        };
        if old.as_deref() == Some(contents.as_bytes()) {
            staging.unchanged += 1;
            continue;
        }
        if let Some(parent) = target.parent().filter(|p| !known_dirs.contains(*p)) {
            // Another thread may make the same directory meanwhile: whichever saw it missing
            // records it, and `create_dir_all` accepts a directory made concurrently.
            let mut missing = Vec::new();
            let mut p = parent;
            while !p.exists() {
                missing.push(p.to_path_buf());
                match p.parent() {
                    Some(up) => p = up,
                    None => break,
                }
            }
            fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
            staging.created_dirs.extend(missing.into_iter().rev());
            known_dirs.insert(parent.to_path_buf());
        }
        let tmp = old.is_some().then(|| temp_name(&target));
        let written = tmp.as_ref().unwrap_or(&target);
        if let Err(e) = fs::write(written, contents) {
            let _ = fs::remove_file(written); // a partly written file, never a file that was there
            return Err(with_path(e, &target));
        }
        staging.staged.push(Staged { tmp, target, rel: rel.clone(), old });
    }
    Ok(())
}

fn commit(staged: &[Staged]) -> io::Result<()> {
    for (i, s) in staged.iter().enumerate() {
        let Some(tmp) = &s.tmp else { continue };
        if let Err(e) = fs::rename(tmp, &s.target) {
            for done in &staged[..i] {
                match &done.old {
                    Some(old) => {
                        let _ = fs::write(&done.target, old);
                    }
                    None => {
                        let _ = fs::remove_file(&done.target);
                    }
                }
            }
            return Err(with_path(e, &s.target));
        }
    }
    Ok(())
}

fn temp_name(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Files under `out` that carry the generator's marker (skipping `target/` and dot-dirs).
fn generated_files(out: &Path) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    if !out.exists() {
        return Ok(found);
    }
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| with_path(e, &dir))? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    stack.push(path);
                }
            } else if kind.is_file() && has_marker(&path) {
                let rel = path.strip_prefix(out).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                found.push(rel);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn has_marker(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 512];
    let n = fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    String::from_utf8_lossy(&head[..n]).contains(MARKER)
}

fn unified_diff(rel: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{rel}"), &format!("b/{rel}"))
        .to_string()
}
