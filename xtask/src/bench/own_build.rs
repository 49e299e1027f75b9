//! The `own` step: the emitted crate's own compilation, what users wait for
//! on every clean build of their project and in their editor (`cargo check`
//! is what rust-analyzer runs). Dependencies are built first; then, with
//! `CARGO_INCREMENTAL=0`, `src/lib.rs` is touched and `cargo build` (debug)
//! and `cargo check` time the crate alone. Ours and progenitor's crate with
//! the TLS stack ours carry, for the same spec, are measured in alternation,
//! `runs` times each, so that the machine's drift falls on both alike; with a
//! baseline generator, its crate is measured in the same rounds.
//!
//! Our operations are compiled in the crate that calls them, so a third
//! measure builds our crate together with a crate calling every operation
//! (each operation's doc example, in one library): what a program using the
//! whole API pays. progenitor compiles its operations in its own crate, so
//! its plain `cargo build` is the figure to set beside that one.

use super::{cargo, fmt_duration, median, progenitor_with_tls, ratio, MakeCommand};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

/// One crate measured: where it is, its own target folder, and for ours the
/// crate calling every operation (sharing that target folder).
struct Subject {
    name: String,
    dir: PathBuf,
    target: PathBuf,
    caller: Option<PathBuf>,
}

/// What is timed on a crate whose dependencies are built, indexed by
/// [`BUILD`], [`CHECK`] and [`WITH_CALLER`].
const MEASURES: [&str; 3] = [
    "`cargo build`",
    "`cargo check`",
    "`cargo build` with a crate calling every operation",
];
const BUILD: usize = 0;
const CHECK: usize = 1;
const WITH_CALLER: usize = 2;

/// The name of progenitor's crate among the subjects.
const PROGENITOR: &str = "progenitor + TLS";

/// Measures the crates emitted from each of `specs` (a label and a file):
/// ours with `generator`, the `baseline` generator's when given, and
/// progenitor's + TLS with `progenitor` when it is installed. Returns the
/// report's Markdown.
pub(super) fn own_builds(
    specs: &[(String, PathBuf)],
    generator: &Path,
    baseline: Option<&Path>,
    lock: &Path,
    progenitor: Option<&MakeCommand>,
    work: &Path,
    runs: usize,
) -> Result<String, String> {
    let mut report = String::new();
    let with_baseline = |column: &'static str| if baseline.is_some() { column } else { "" };
    let _ = writeln!(
        report,
        "### The crate's own compilation (dependencies built, `CARGO_INCREMENTAL=0`, `touch src/lib.rs`; alternated, {runs} runs each)\n\n\
         | spec | command | ours |{} {PROGENITOR} | ours ÷ progenitor |{}\n| --- | --- | --- |{} --- | ---: |{}",
        with_baseline(" baseline |"),
        with_baseline(" ours ÷ baseline |"),
        with_baseline(" --- |"),
        with_baseline(" ---: |"),
    );
    for (label, spec) in specs {
        let mut subjects = Vec::new();
        for (name, bin) in
            std::iter::once(("ours", generator)).chain(baseline.map(|b| ("baseline", b)))
        {
            let dir = work.join(format!("own-{label}-{name}"));
            let _ = std::fs::remove_dir_all(&dir);
            super::generate_once(bin, spec, &dir, false)?;
            let caller = work.join(format!("own-{label}-{name}-caller"));
            write_caller(&dir, &caller)?;
            for crate_dir in [&dir, &caller] {
                std::fs::copy(lock, crate_dir.join("Cargo.lock"))
                    .map_err(|e| format!("copying Cargo.lock into {}: {e}", crate_dir.display()))?;
            }
            subjects.push(Subject {
                name: name.into(),
                dir,
                target: work.join(format!("own-target-{label}-{name}")),
                caller: Some(caller),
            });
        }
        match progenitor {
            Some(make) => {
                let theirs = Subject {
                    name: PROGENITOR.into(),
                    dir: work.join(format!("own-{label}-progenitor")),
                    target: work.join(format!("own-target-{label}-progenitor")),
                    caller: None,
                };
                let _ = std::fs::remove_dir_all(&theirs.dir);
                let status = make(spec, &theirs.dir)
                    .stdout(Stdio::null())
                    .status()
                    .map_err(|e| format!("cannot run cargo-progenitor: {e}"))?;
                if !status.success() {
                    return Err(format!("cargo-progenitor failed on {}", spec.display()));
                }
                progenitor_with_tls(&theirs.dir)?;
                subjects.push(theirs);
            }
            None => eprintln!(
                "progenitor is not installed (`cargo install cargo-progenitor`): ours alone"
            ),
        }
        // Dependencies and a first build of each crate, untimed.
        for s in &subjects {
            let _ = std::fs::remove_dir_all(&s.target);
            for (m, measure) in MEASURES.iter().enumerate() {
                eprintln!("{label}, {}: first {measure} (untimed)…", s.name);
                timed(s, m)?;
            }
        }
        let mut times: Vec<[Vec<Duration>; 3]> =
            subjects.iter().map(|_| Default::default()).collect();
        for round in 1..=runs {
            for (i, s) in subjects.iter().enumerate() {
                for (m, measure) in MEASURES.iter().enumerate() {
                    let Some(took) = timed(s, m)? else { continue };
                    eprintln!(
                        "{label}, {}, {measure} (round {round}): {}",
                        s.name,
                        fmt_duration(took)
                    );
                    times[i][m].push(took);
                }
            }
        }
        let show = |v: &[Duration]| {
            v.iter()
                .map(|d| format!("{:.1}", d.as_secs_f64()))
                .collect::<Vec<_>>()
                .join(" / ")
                + " s"
        };
        let find = |name: &str| subjects.iter().position(|s| s.name == name);
        for (m, measure) in MEASURES.iter().enumerate() {
            let ours = &times[0][m];
            // progenitor's operations are in its own crate: its plain build
            // is what a program calling all of them waits for.
            let (theirs, versus) = match find(PROGENITOR) {
                Some(p) => {
                    let theirs = &times[p][if m == WITH_CALLER { BUILD } else { m }];
                    (
                        show(theirs),
                        ratio(median(ours.clone()), median(theirs.clone())),
                    )
                }
                None => ("not installed".to_owned(), String::new()),
            };
            let (base, versus_base) = match find("baseline") {
                Some(b) => (
                    format!(" {} |", show(&times[b][m])),
                    format!(
                        " {} |",
                        ratio(median(ours.clone()), median(times[b][m].clone()))
                    ),
                ),
                None => (String::new(), String::new()),
            };
            let row = format!(
                "| {label} | {measure} | {} |{base} {theirs} | {versus} |{versus_base}",
                show(ours)
            );
            // Shown as soon as it is known: a later spec that fails loses
            // the report, not this row.
            eprintln!("{row}");
            let _ = writeln!(report, "{row}");
        }
        for s in &subjects {
            let _ = std::fs::remove_dir_all(&s.dir);
            let _ = std::fs::remove_dir_all(&s.target);
            if let Some(caller) = &s.caller {
                let _ = std::fs::remove_dir_all(caller);
            }
        }
    }
    report.push('\n');
    Ok(report)
}

/// Writes, at `caller`, a library crate that depends on the crate at `client`
/// and calls each of its operations: every doc example of its `src/apis`
/// files, each made a function of its own.
fn write_caller(client: &Path, caller: &Path) -> Result<(), String> {
    fn io(what: &Path) -> impl Fn(std::io::Error) -> String + '_ {
        move |e| format!("{}: {e}", what.display())
    }
    let manifest = client.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(io(&manifest))?;
    let name = text
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .and_then(|l| l.strip_suffix('"'))
        .ok_or_else(|| format!("{}: no package name", manifest.display()))?;
    let mut lib = String::from(
        "//! Calls every operation of the client crate.\n#![allow(unused, deprecated)]\n",
    );
    let apis = client.join("src/apis");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&apis)
        .map_err(io(&apis))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut examples = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(io(file))?;
        let mut inside = false;
        for line in text.lines() {
            let Some(doc) = line.trim_start().strip_prefix("///") else {
                continue;
            };
            let doc = doc.strip_prefix(' ').unwrap_or(doc);
            if doc == "```no_run" {
                inside = true;
                examples += 1;
            } else if doc == "```" {
                inside = false;
            } else if inside {
                let code = doc.strip_prefix("# ").unwrap_or(doc);
                let code = code.replacen(
                    "async fn example(",
                    &format!("pub async fn example_{examples}("),
                    1,
                );
                lib.push_str(&code);
                lib.push('\n');
            }
        }
    }
    if examples == 0 {
        return Err(format!("{}: no operation examples", apis.display()));
    }
    let _ = std::fs::remove_dir_all(caller);
    std::fs::create_dir_all(caller.join("src")).map_err(io(caller))?;
    // The examples may name the client's own dependencies (chrono, serde_json),
    // as its doc tests can: the caller has them too, as the client has them.
    let deps: String = text
        .lines()
        .skip_while(|l| *l != "[dependencies]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.starts_with('#') && !l.contains("optional = true"))
        .map(|l| format!("{l}\n"))
        .collect();
    let manifest = format!(
        "[package]\nname = \"every-operation\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{name} = {{ path = {:?} }}\n{deps}\n[workspace]\n",
        client.display().to_string()
    );
    std::fs::write(caller.join("Cargo.toml"), manifest).map_err(io(caller))?;
    std::fs::write(caller.join("src/lib.rs"), lib).map_err(io(caller))
}

/// Touches the crate's root and times measure `m` of [`MEASURES`] on it:
/// `None` for the caller build of a crate that has no caller.
fn timed(s: &Subject, m: usize) -> Result<Option<Duration>, String> {
    touch(&s.dir.join("src/lib.rs"))?;
    let (command, dir) = match (m, &s.caller) {
        (BUILD, _) => ("build", &s.dir),
        (CHECK, _) => ("check", &s.dir),
        (_, Some(caller)) => {
            touch(&caller.join("src/lib.rs"))?;
            ("build", caller)
        }
        (_, None) => return Ok(None),
    };
    let start = Instant::now();
    let out = cargo()
        .args([command, "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &s.target)
        .env("CARGO_INCREMENTAL", "0")
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo {command}: {e}"))?;
    let took = start.elapsed();
    if !out.status.success() {
        let text = String::from_utf8_lossy(&out.stderr);
        let first = text
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("no error line");
        return Err(format!(
            "cargo {command} of {} failed: {first}",
            dir.display()
        ));
    }
    Ok(Some(took))
}

/// Sets `path`'s modification time to now, so that cargo rebuilds its crate.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("touching {}: {e}", path.display()))
}
