//! The `own` step: the emitted crate's own compilation, what users wait for
//! on every clean build of their project and in their editor (`cargo check`
//! is what rust-analyzer runs). Dependencies are built first; then, with
//! `CARGO_INCREMENTAL=0`, `src/lib.rs` is touched and `cargo build` (debug)
//! and `cargo check` time the crate alone. Ours and progenitor's crate with
//! the TLS stack ours carry, for the same spec, are measured in alternation,
//! `runs` times each, so that the machine's drift falls on both alike.

use super::{cargo, fmt_duration, median, progenitor_with_tls, ratio, MakeCommand};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

/// One crate measured: where it is and its own target folder.
struct Subject {
    name: String,
    dir: PathBuf,
    target: PathBuf,
}

/// The two cargo commands timed on a crate whose dependencies are built.
const COMMANDS: [&str; 2] = ["build", "check"];

/// Measures the crates emitted from each of `specs` (a label and a file):
/// ours with `generator`, and progenitor's + TLS with `progenitor` when it
/// is installed. Returns the report's Markdown.
pub(super) fn own_builds(
    specs: &[(String, PathBuf)],
    generator: &Path,
    lock: &Path,
    progenitor: Option<&MakeCommand>,
    work: &Path,
    runs: usize,
) -> Result<String, String> {
    let mut report = String::new();
    let _ = writeln!(
        report,
        "### The crate's own compilation (dependencies built, `CARGO_INCREMENTAL=0`, `touch src/lib.rs`; alternated, {runs} runs each)\n\n\
         | spec | command | ours | progenitor + TLS | ratio (medians) |\n| --- | --- | --- | --- | ---: |"
    );
    for (label, spec) in specs {
        let ours = Subject {
            name: "ours".into(),
            dir: work.join(format!("own-{label}-ours")),
            target: work.join(format!("own-target-{label}-ours")),
        };
        let _ = std::fs::remove_dir_all(&ours.dir);
        super::generate_once(generator, spec, &ours.dir, false)?;
        std::fs::copy(lock, ours.dir.join("Cargo.lock"))
            .map_err(|e| format!("copying Cargo.lock into {}: {e}", ours.dir.display()))?;
        let mut subjects = vec![ours];
        match progenitor {
            Some(make) => {
                let theirs = Subject {
                    name: "progenitor + TLS".into(),
                    dir: work.join(format!("own-{label}-progenitor")),
                    target: work.join(format!("own-target-{label}-progenitor")),
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
            for command in COMMANDS {
                eprintln!("{label}, {}: first `cargo {command}` (untimed)…", s.name);
                timed(s, command)?;
            }
        }
        let mut times: Vec<[Vec<Duration>; 2]> =
            subjects.iter().map(|_| Default::default()).collect();
        for round in 1..=runs {
            for (i, s) in subjects.iter().enumerate() {
                for (c, command) in COMMANDS.iter().enumerate() {
                    let took = timed(s, command)?;
                    eprintln!(
                        "{label}, {}, cargo {command} (round {round}): {}",
                        s.name,
                        fmt_duration(took)
                    );
                    times[i][c].push(took);
                }
            }
        }
        for (c, command) in COMMANDS.iter().enumerate() {
            let show = |v: &[Duration]| {
                v.iter()
                    .map(|d| format!("{:.1}", d.as_secs_f64()))
                    .collect::<Vec<_>>()
                    .join(" / ")
                    + " s"
            };
            let ours = &times[0][c];
            let (theirs, verdict) = match times.get(1) {
                Some(theirs) => (
                    show(&theirs[c]),
                    ratio(median(ours.clone()), median(theirs[c].clone())),
                ),
                None => ("not installed".to_owned(), String::new()),
            };
            let _ = writeln!(
                report,
                "| {label} | `cargo {command}` | {} | {theirs} | {verdict} |",
                show(ours)
            );
        }
        for s in &subjects {
            let _ = std::fs::remove_dir_all(&s.dir);
            let _ = std::fs::remove_dir_all(&s.target);
        }
    }
    report.push('\n');
    Ok(report)
}

/// Touches the crate's root and times `cargo COMMAND` in it.
fn timed(s: &Subject, command: &str) -> Result<Duration, String> {
    touch(&s.dir.join("src/lib.rs"))?;
    let start = Instant::now();
    let out = cargo()
        .args([command, "--quiet"])
        .current_dir(&s.dir)
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
            s.dir.display()
        ));
    }
    Ok(took)
}

/// Sets `path`'s modification time to now, so that cargo rebuilds its crate.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("touching {}: {e}", path.display()))
}
