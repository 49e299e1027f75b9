//! The command line of `cargo xtask diff`, and the one-line summary
//! `cargo xtask generate` ends with.

use super::{diff_selected, Kind, Report};
use crate::load::Source;
use crate::select::Selection;
use crate::settings::{Loaded, Settings};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where things are for `cargo xtask diff`.
#[derive(Debug, Clone)]
pub struct Defaults {
    /// The workspace root: git runs here, and names of files below it are shown relative to it.
    pub root: PathBuf,
    /// The spec, relative to `root` (`spec/tokens.yaml`): the working-tree file
    /// is the default NEW, its committed version at `HEAD` the default OLD, and
    /// a bare revision `REV` means `REV:<spec>`.
    pub spec: String,
    /// How to name the command in messages, e.g. `cargo xtask diff`.
    pub command: String,
}

pub const USAGE: &str = "\
Arguments:
  [OLD]                  the old spec (default: HEAD, the committed spec)
  [NEW]                  the new spec (default: the working-tree spec)
                         each is a file (YAML or JSON), a git revision REV
                         (that revision of the default spec) or REV:path
Options:
  --format FORMAT        text (default), markdown or json
  --settings PATH        the settings file naming the spec's permission and
                         preview extensions and its tag selection
                         (default: codegen.toml beside NEW)
  --tag NAME             compare only the operations with this tag and the
                         models they use, on both sides; repeat for more
                         tags; replaces the settings' select.tags
  --deny-breaking        exit 1 when any change is breaking
  -h, --help             show this help
Exit status: 0 done, 1 breaking changes with --deny-breaking, 2 usage error or unusable spec";

/// How to print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

impl Format {
    pub fn render(self, report: &Report) -> String {
        match self {
            Format::Text => report.to_text(),
            Format::Markdown => report.to_markdown(),
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
                s.push('\n');
                s
            }
        }
    }
}

#[derive(Debug)]
struct Args {
    old: Option<String>,
    new: Option<String>,
    format: Format,
    settings: Option<PathBuf>,
    tags: Vec<String>,
    deny_breaking: bool,
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        old: None,
        new: None,
        format: Format::Text,
        settings: None,
        tags: Vec::new(),
        deny_breaking: false,
    };
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--format" => {
                let value = inline
                    .or_else(|| it.next().cloned())
                    .ok_or("--format needs a value: text, markdown or json")?;
                parsed.format = match value.as_str() {
                    "text" => Format::Text,
                    "markdown" | "md" => Format::Markdown,
                    "json" => Format::Json,
                    other => {
                        return Err(format!(
                            "unknown format `{other}`: use text, markdown or json"
                        ))
                    }
                };
            }
            "--settings" => {
                let value = inline
                    .or_else(|| it.next().cloned())
                    .filter(|v| !v.is_empty())
                    .ok_or("--settings needs a value")?;
                parsed.settings = Some(PathBuf::from(value));
            }
            "--tag" => {
                let value = inline
                    .or_else(|| it.next().cloned())
                    .filter(|v| !v.is_empty())
                    .ok_or("--tag needs a value")?;
                parsed.tags.push(value);
            }
            "--deny-breaking" if inline.is_none() => parsed.deny_breaking = true,
            "-h" | "--help" => return Ok(None),
            "--" => positional.extend(it.by_ref().cloned()),
            other if other.starts_with('-') && other.len() > 1 => {
                return Err(format!("unknown argument `{arg}`"))
            }
            _ => positional.push(arg.clone()),
        }
    }
    if positional.len() > 2 {
        return Err(format!(
            "at most two specs (OLD and NEW), got {}",
            positional.len()
        ));
    }
    let mut positional = positional.into_iter();
    parsed.old = positional.next();
    parsed.new = positional.next();
    Ok(Some(parsed))
}

/// A file's name as shown: relative to the workspace root when below it.
fn shown_path(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if path.is_absolute() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// Reads a spec given as a file, `REV` or `REV:path`.
fn read_input(arg: &str, defaults: &Defaults) -> Result<Source, String> {
    let path = Path::new(arg);
    if path.is_file() {
        let mut source = Source::read(path).map_err(|d| d.to_string())?;
        source.name = shown_path(path, &defaults.root);
        return Ok(source);
    }
    let object = if arg.contains(':') {
        arg.to_owned()
    } else {
        format!("{arg}:{}", defaults.spec)
    };
    match git_show(&defaults.root, &object) {
        Ok(text) => Ok(Source::new(object, text)),
        Err(e) => Err(format!(
            "`{arg}` is not a file, and `git show {object}` failed: {e}"
        )),
    }
}

/// `git show OBJECT`, run in `dir`.
fn git_show(dir: &Path, object: &str) -> Result<String, String> {
    let out = Command::new("git")
        .arg("show")
        .arg(object)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    String::from_utf8(out.stdout).map_err(|_| format!("`{object}` is not UTF-8 text"))
}

/// Runs `cargo xtask diff`, printing to stdout and stderr; returns the exit code.
pub fn run(args: &[String], defaults: &Defaults) -> i32 {
    let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
    run_to(args, defaults, &mut stdout.lock(), &mut stderr.lock())
}

/// Runs `cargo xtask diff` writing to `out` and `err`; returns the exit code
/// (0 done, 1 breaking changes with `--deny-breaking`, 2 usage error or unusable spec).
pub fn run_to(
    args: &[String],
    defaults: &Defaults,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let args = match parse_args(args) {
        Ok(Some(a)) => a,
        Ok(None) => {
            let _ = writeln!(out, "{} [OLD] [NEW] [options]\n\n{USAGE}", defaults.command);
            return 0;
        }
        Err(e) => {
            let _ = writeln!(
                err,
                "error: {e}\n\nusage: {} [OLD] [NEW] [options]\n{USAGE}",
                defaults.command
            );
            return 2;
        }
    };
    let old = read_input(args.old.as_deref().unwrap_or("HEAD"), defaults);
    let new = match args.new.as_deref() {
        Some(arg) => read_input(arg, defaults),
        None => {
            let path = defaults.root.join(&defaults.spec);
            Source::read(&path)
                .map(|mut s| {
                    s.name = defaults.spec.clone();
                    s
                })
                .map_err(|d| d.to_string())
        }
    };
    let (old, new) = match (old, new) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            for e in [o.err(), n.err()].into_iter().flatten() {
                let _ = writeln!(err, "error: {e}");
            }
            return 2;
        }
    };
    // The settings beside the new spec, or beside the default spec when NEW
    // is a revision.
    let new_file = args
        .new
        .as_deref()
        .map(Path::new)
        .filter(|p| p.is_file())
        .map_or_else(|| defaults.root.join(&defaults.spec), Path::to_path_buf);
    let settings = match Loaded::find(args.settings.as_deref(), Some(&new_file)) {
        Ok(loaded) => loaded,
        Err(d) => {
            let _ = writeln!(err, "{d}");
            return 2;
        }
    };
    let selection = Selection::from_run(&args.tags, &settings);
    let report = match diff_selected(&old, &new, &settings.settings, selection.as_ref()) {
        Ok(r) => r,
        Err(d) => {
            let _ = writeln!(err, "{d}");
            let _ = writeln!(err, "the specs cannot be compared");
            return 2;
        }
    };
    let _ = write!(out, "{}", args.format.render(&report));
    if args.deny_breaking && report.is_breaking() {
        let _ = writeln!(
            err,
            "error: {} breaking change(s) (--deny-breaking)",
            report.count(Kind::Breaking)
        );
        return 1;
    }
    0
}

/// The one line `generate` ends with: the verdict of the spec at `spec_path`
/// (whose current text is `new`) against its version at `HEAD`. `None` when
/// the file is not in a git work tree, not committed, or anything else fails.
/// Both sides are the crates `selection` makes, as the generated one is.
pub fn summary_against_head(
    spec_path: &Path,
    new: &Source,
    settings: &Settings,
    selection: Option<&Selection>,
) -> Option<String> {
    let abs = spec_path.canonicalize().ok()?;
    let dir = abs.parent()?;
    let out = Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let top = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim())
        .canonicalize()
        .ok()?;
    let rel = abs.strip_prefix(&top).ok()?;
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<_>>>()?
        .join("/");
    let object = format!("HEAD:{rel}");
    let old = git_show(&top, &object).ok()?;
    let report = diff_selected(&Source::new(object.clone(), old), new, settings, selection).ok()?;
    Some(format!("API vs {object}: {}", report.summary()))
}
