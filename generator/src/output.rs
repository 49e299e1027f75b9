//! Write: put the generated files in place, or check that they are there.
//!
//! One function serves both (as in rust-analyzer's `ensure_file_contents`):
//! only files whose contents differ are written; files that carry the
//! generator's marker but are no longer emitted are removed; nothing outside
//! the output folder, and no file without the marker, is ever touched.
//! Writing builds the new folder beside the old one (unchanged files are hard
//! links, so they keep their timestamps) and swaps the two with renames: a
//! failure or an interruption leaves the previous output in place. A folder
//! holding a `.git` is updated file by file instead (each file written to a
//! temporary name and renamed), as it cannot be moved safely.

use crate::format::OutputFile;
use crate::header::MARKER;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// What a run changed (or, in check mode, would change).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Files whose contents differ.
    pub changed: Vec<String>,
    /// Files that did not exist.
    pub added: Vec<String>,
    /// Generated files no longer emitted.
    pub removed: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }

    /// The files to write: changed and added (a set: thousands of files on a large spec).
    fn to_write(&self) -> std::collections::HashSet<&str> {
        self.changed
            .iter()
            .chain(&self.added)
            .map(String::as_str)
            .collect()
    }
}

/// Brings `root` in line with `files` (or, in check mode, reports how it differs).
pub fn sync(root: &Path, files: &[OutputFile], mode: Mode) -> io::Result<Report> {
    let mut report = Report::default();
    let mut emitted = std::collections::BTreeSet::new();
    for file in files {
        let path = root.join(&file.path);
        emitted.insert(path.clone());
        match fs::read(&path) {
            Ok(existing) if existing == file.contents.as_bytes() => report.unchanged += 1,
            Ok(_) => report.changed.push(file.path.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => report.added.push(file.path.clone()),
            Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
        }
    }
    for path in generated_files_in(root, &emitted)? {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        report.removed.push(rel);
    }
    if mode == Mode::Write && !report.is_clean() {
        if root.join(".git").exists() {
            write_in_place(root, files, &report)?;
        } else {
            swap_in(root, files, &report)?;
        }
    }
    Ok(report)
}

/// The paths of the staging and backup folders beside `root`.
fn siblings(root: &Path) -> io::Result<(PathBuf, PathBuf)> {
    let name = root
        .file_name()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{}: not a folder name", root.display()),
            )
        })?
        .to_string_lossy()
        .into_owned();
    let parent = root.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((
        parent.join(format!(".{name}.codegen-new")),
        parent.join(format!(".{name}.codegen-old")),
    ))
}

/// Builds the new folder beside `root` and swaps it in.
fn swap_in(root: &Path, files: &[OutputFile], report: &Report) -> io::Result<()> {
    let ctx = |path: &Path| {
        let shown = path.display().to_string();
        move |e: io::Error| io::Error::new(e.kind(), format!("{shown}: {e}"))
    };
    let (staging, backup) = siblings(root)?;
    // A run interrupted between the two renames left the old folder as backup.
    if !root.exists() && backup.exists() {
        fs::rename(&backup, root).map_err(ctx(&backup))?;
    }
    for leftover in [&staging, &backup] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(ctx(leftover))?;
        }
    }
    let rewritten: std::collections::BTreeSet<&str> = report
        .changed
        .iter()
        .chain(&report.added)
        .chain(&report.removed)
        .map(String::as_str)
        .collect();
    let to_write = report.to_write();
    let built = (|| -> io::Result<()> {
        fs::create_dir_all(&staging).map_err(ctx(&staging))?;
        if root.exists() {
            link_tree(root, root, &staging, &rewritten)?;
        }
        for file in files {
            if to_write.contains(file.path.as_str()) {
                let path = staging.join(&file.path);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(ctx(parent))?;
                }
                fs::write(&path, file.contents.as_bytes()).map_err(ctx(&path))?;
            }
        }
        Ok(())
    })();
    if let Err(e) = built {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if root.exists() {
        fs::rename(root, &backup).map_err(ctx(root))?;
    }
    if let Err(e) = fs::rename(&staging, root) {
        let _ = fs::rename(&backup, root);
        let _ = fs::remove_dir_all(&staging);
        return Err(ctx(root)(e));
    }
    if backup.exists() {
        fs::remove_dir_all(&backup).map_err(ctx(&backup))?;
    }
    Ok(())
}

/// Recreates the tree below `dir` inside `staging` as hard links (copies where
/// links fail), leaving out the files in `skip`.
fn link_tree(
    root: &Path,
    dir: &Path,
    staging: &Path,
    skip: &std::collections::BTreeSet<&str>,
) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let rel_text = rel.to_string_lossy().replace('\\', "/");
        let target = staging.join(rel);
        let kind = entry.file_type()?;
        if kind.is_dir() {
            fs::create_dir_all(&target)?;
            link_tree(root, &path, staging, skip)?;
        } else if !skip.contains(rel_text.as_str()) {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            if fs::hard_link(&path, &target).is_err() {
                fs::copy(&path, &target)
                    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            }
        }
    }
    Ok(())
}

/// Updates `root` file by file, each through a temporary file and a rename.
fn write_in_place(root: &Path, files: &[OutputFile], report: &Report) -> io::Result<()> {
    let to_write = report.to_write();
    for file in files {
        if to_write.contains(file.path.as_str()) {
            write_atomically(&root.join(&file.path), file.contents.as_bytes())?;
        }
    }
    for rel in &report.removed {
        let path = root.join(rel);
        fs::remove_file(&path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        remove_empty_parents(root, &path);
    }
    Ok(())
}

fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let with_path = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(with_path)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".codegen-tmp");
    let tmp = PathBuf::from(tmp);
    fs::write(&tmp, contents).map_err(with_path)?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        with_path(e)
    })
}

/// Every file below `root` that carries the generator's marker in its first
/// lines and is not in `emitted` (files being emitted are not opened: on a
/// large API, that is thousands of reads saved).
fn generated_files_in(
    root: &Path,
    emitted: &std::collections::BTreeSet<PathBuf>,
) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !root.exists() {
        return Ok(out);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                // Build output and VCS data are never the generator's.
                let name = entry.file_name();
                if name != "target" && name != ".git" {
                    stack.push(path);
                }
            } else if kind.is_file() && !emitted.contains(&path) && has_marker(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn has_marker(path: &Path) -> bool {
    use io::Read;
    let mut head = [0u8; 256];
    let Ok(mut f) = fs::File::open(path) else {
        return false;
    };
    let n = f.read(&mut head).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    head.lines()
        .next()
        .is_some_and(|first| first.contains(MARKER))
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
