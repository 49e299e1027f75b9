//! The command line shared by the generator binary and `cargo xtask generate`.

use crate::load::Source;
use crate::output::{self, Mode};
use crate::select::Selection;
use crate::settings::Loaded;
use crate::{generate, Options, EMBEDDED_SPEC, EMBEDDED_SPEC_NAME};
use std::path::PathBuf;

/// Where things are when no option says otherwise.
#[derive(Debug, Clone)]
pub struct Defaults {
    /// The spec read when `--spec` is not given; `None` means the embedded one.
    pub spec: Option<PathBuf>,
    /// The folder written when `--out` is not given.
    pub out: PathBuf,
    /// How to name the command in messages, e.g. `cargo xtask generate`.
    pub command: String,
}

pub const USAGE: &str = "\
Options:
  --spec PATH        the OpenAPI 3.0 or Swagger 2.0 description (YAML or JSON)
  --settings PATH    the settings file (default: codegen.toml beside the spec)
  --out DIR          the folder of the generated crate
  --crate-name NAME  the name of the generated crate (overrides the settings)
  --tag NAME         generate only the operations with this tag (as the spec
                     spells it, case included) and the models they use;
                     repeat for more tags; replaces the settings' select.tags
  --check            write nothing; fail if the folder is not up to date
  -h, --help         show this help";

#[derive(Debug)]
struct Args {
    spec: Option<PathBuf>,
    settings: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
    tags: Vec<String>,
    check: bool,
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        spec: None,
        settings: None,
        out: None,
        crate_name: None,
        tags: Vec::new(),
        check: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag {
            "--spec" => parsed.spec = Some(PathBuf::from(value("--spec")?)),
            "--settings" => parsed.settings = Some(PathBuf::from(value("--settings")?)),
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => parsed.crate_name = Some(value("--crate-name")?),
            "--tag" => parsed.tags.push(value("--tag")?),
            "--check" => parsed.check = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(parsed))
}

/// Runs the command; returns the process exit code (0 ok, 1 failed, 2 usage).
pub fn run(args: &[String], defaults: &Defaults) -> i32 {
    let args = match parse_args(args) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{}\n\n{USAGE}", defaults.command);
            return 0;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return 2;
        }
    };
    let spec_path = args.spec.as_ref().or(defaults.spec.as_ref());
    let source = match spec_path {
        Some(path) => match Source::read(path) {
            Ok(s) => s,
            Err(d) => {
                eprintln!("{d}");
                return 1;
            }
        },
        None => Source::new(EMBEDDED_SPEC_NAME, EMBEDDED_SPEC),
    };
    let settings = match Loaded::find(args.settings.as_deref(), spec_path.map(PathBuf::as_path)) {
        Ok(loaded) => loaded,
        Err(d) => {
            eprintln!("{d}");
            eprintln!("nothing was written");
            return 1;
        }
    };
    let lowering = settings.settings.clone();
    let selection = Selection::from_run(&args.tags, &settings);
    let mut options = Options::with_settings(settings);
    options.crate_name = args.crate_name;
    options.tags = args.tags;
    let generated = match generate(&source, &options) {
        Ok(g) => g,
        Err(d) => {
            eprintln!("{d}");
            eprintln!("nothing was written");
            return 1;
        }
    };
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    if let Some(line) = paged_summary(&generated.paged) {
        eprintln!("{line}");
    }
    let out = args.out.unwrap_or_else(|| defaults.out.clone());
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let report = match output::sync(&out, &generated.files, mode) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot update {}: {e}", out.display());
            return 1;
        }
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = out.strip_prefix(&cwd).unwrap_or(&out).display();
    if mode == Mode::Check {
        return report_check(&shown, &report, &defaults.command);
    }
    // The API verdict against the committed spec; never a reason to fail.
    let api = spec_path
        .and_then(|path| {
            crate::diff::summary_against_head(path, &source, &lowering, selection.as_ref())
        })
        .map(|s| format!("; {s}"))
        .unwrap_or_default();
    report_written(&shown, &report, &api);
    0
}

/// Says whether the files at `shown` are what the generator emits, listing
/// those that are not and how to update them (`command`); the exit status.
/// The line saying how many operations page, and by which rules:
/// `paged: 7 operations (the settings' rule 1, the Link header 2, …)`.
fn paged_summary(paged: &std::collections::BTreeMap<crate::ir::PageRule, usize>) -> Option<String> {
    let total: usize = paged.values().sum();
    if total == 0 {
        return None;
    }
    let rules: Vec<String> = paged
        .iter()
        .map(|(rule, n)| format!("{} {n}", rule.describe()))
        .collect();
    Some(format!(
        "paged: {} ({})",
        crate::naming::counted(total, "operation", "operations"),
        rules.join(", ")
    ))
}

pub fn report_check(shown: &dyn std::fmt::Display, report: &output::Report, command: &str) -> i32 {
    if report.is_clean() {
        println!("{shown} is up to date ({} files)", report.unchanged);
        return 0;
    }
    eprintln!("{shown} is not what the generator emits now:");
    for f in &report.changed {
        eprintln!("  stale:   {f}");
    }
    for f in &report.added {
        eprintln!("  missing: {f}");
    }
    for f in &report.removed {
        eprintln!("  extra:   {f}");
    }
    eprintln!("run `{command}` to update it");
    1
}

/// Says what writing the files at `shown` changed, with `tail` after it.
pub fn report_written(shown: &dyn std::fmt::Display, report: &output::Report, tail: &str) {
    println!(
        "{shown}: {} written, {} added, {} removed, {} unchanged{tail}",
        report.changed.len(),
        report.added.len(),
        report.removed.len(),
        report.unchanged
    );
}
