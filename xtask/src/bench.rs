//! `cargo xtask bench`: how the generator and what it emits scale.
//!
//! Makes synthetic specs of three sizes with the shared `make_spec.py`, then
//! measures (each step can be left out):
//! - `generate`: wall time and peak RSS of the release generator binary, a
//!   whole process per run (`/usr/bin/time -v` for the RSS), median of runs;
//! - `stages`: time per pipeline step (the `pipeline` bench of `tests/`);
//! - `build`: cold `cargo build` of emitted crates, each in a fresh target
//!   folder: small and medium with every feature, large with one tag feature
//!   and with every feature, each stopped after a time limit;
//! - `client`: the generated client's overhead (the `client` bench of `tests/`);
//! - `own`: the crate's own `cargo build` and `cargo check`, dependencies
//!   built, against progenitor's crate + TLS for the same spec, alternated
//!   (the medium spec and Oxide's nexus API; see `own_build`);
//! - `peers`: the same for progenitor and openapi-generator where installed;
//!   progenitor's crates are built as emitted (no TLS) and with the TLS stack
//!   ours carry; each of their builds right after a build of ours for the
//!   same spec, which its ratio is taken against.
//!
//! It prints Markdown tables. Run it under `nice -n 19` on a shared machine.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod own_build;

const USAGE: &str = "\
usage: cargo xtask bench [options]

Options:
  --sizes LIST         spec sizes, from small,medium,large (default: all three)
  --steps LIST         steps, from generate,stages,build,own,client,peers
                       (default: all; peers only where installed)
  --skip-build         leave out the build step (same for --skip-generate,
                       --skip-stages, --skip-client)
  --runs N             generator runs per size, and alternated runs of the
                       own step; the median is shown (default 5)
  --build-limit SECS   stop a cold build after this long (default 600)
  --feature NAME       the one tag feature of the large crate's partial build
                       (default tokens)
  --baseline BIN       another generator binary (say, built from an earlier
                       commit): the build and own steps build its crates too,
                       alternated with ours, for before/after figures
  --work DIR           where specs, outputs and target folders go, outside
                       any Cargo workspace (default: $TMPDIR/openapi-rust-codegen-bench)";

const SIZES: [&str; 3] = ["small", "medium", "large"];
const STEPS: [&str; 6] = ["generate", "stages", "build", "own", "client", "peers"];

struct Options {
    sizes: Vec<String>,
    steps: Vec<String>,
    runs: usize,
    build_limit: Duration,
    feature: String,
    work: Option<PathBuf>,
    baseline: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        sizes: SIZES.iter().map(|s| s.to_string()).collect(),
        steps: STEPS.iter().map(|s| s.to_string()).collect(),
        runs: 5,
        build_limit: Duration::from_secs(600),
        feature: "tokens".into(),
        work: None,
        baseline: None,
    };
    let list = |v: &str, allowed: &[&str], what: &str| -> Result<Vec<String>, String> {
        v.split(',')
            .filter(|s| !s.is_empty())
            .map(|s| {
                if allowed.contains(&s) {
                    Ok(s.to_owned())
                } else {
                    Err(format!(
                        "unknown {what} `{s}` (one of {})",
                        allowed.join(", ")
                    ))
                }
            })
            .collect()
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag {
            "--sizes" => o.sizes = list(&value()?, &SIZES, "size")?,
            "--steps" => o.steps = list(&value()?, &STEPS, "step")?,
            "--runs" => {
                o.runs = value()?
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("--runs needs a positive number")?
            }
            "--build-limit" => {
                o.build_limit = Duration::from_secs(
                    value()?
                        .parse()
                        .map_err(|_| "--build-limit needs seconds")?,
                )
            }
            "--feature" => o.feature = value()?,
            "--work" => o.work = Some(PathBuf::from(value()?)),
            "--baseline" => o.baseline = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(String::new()),
            skip if skip.starts_with("--skip-") => {
                let step = &skip["--skip-".len()..];
                if !STEPS.contains(&step) {
                    return Err(format!("unknown argument `{skip}`"));
                }
                o.steps.retain(|s| s != step);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(o)
}

/// Runs the benchmark; returns the process exit code.
pub fn run(args: &[String]) -> i32 {
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return 0;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return 2;
        }
    };
    match bench(&o) {
        Ok(report) => {
            println!("\n{report}");
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Runs a command to completion; its output goes to the terminal.
fn run_visible(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// The workspace's target folder, as cargo sees it (honouring `CARGO_TARGET_DIR`).
fn target_dir(root: &Path) -> Result<PathBuf, String> {
    let out = cargo()
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let key = "\"target_directory\":\"";
    let start = text
        .find(key)
        .ok_or("cargo metadata names no target folder")?
        + key.len();
    let end = text[start..]
        .find('"')
        .ok_or("cargo metadata output is cut")?;
    Ok(PathBuf::from(
        text[start..start + end].replace("\\\\", "\\"),
    ))
}

fn bench(o: &Options) -> Result<String, String> {
    let root = root();
    let script = root.join("../shared/bench/make_spec.py");
    if !script.is_file() {
        return Err(format!(
            "no spec maker at {}: the benchmark needs the shared `bench/make_spec.py` beside the repository",
            script.display()
        ));
    }
    let python_ok = Command::new("python3")
        .args(["-c", "import yaml"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match python_ok {
        Err(_) => return Err("python3 is not on PATH: install Python 3 (the spec maker is a Python script)".into()),
        Ok(s) if !s.success() => {
            return Err("python3 cannot import yaml: install PyYAML (`python3 -m pip install pyyaml` or `apt-get install python3-yaml`)".into())
        }
        Ok(_) => {}
    }
    let gnu_time = Path::new("/usr/bin/time").is_file();
    if !gnu_time && o.steps.iter().any(|s| s == "generate") {
        eprintln!(
            "warning: /usr/bin/time is missing, so peak memory is not measured; \
             install it with `apt-get install time` (Debian's `time` package)"
        );
    }
    // Outside the workspace: cargo would take the emitted crates for members.
    let work = o
        .work
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("openapi-rust-codegen-bench"));
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let work = work
        .canonicalize()
        .map_err(|e| format!("{}: {e}", work.display()))?;

    let mut report = String::new();
    let mut ours = Ours::default();
    let _ = writeln!(
        report,
        "## Benchmark ({} cores, {})\n",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        tool_version("rustc")
    );

    eprintln!("==> specs");
    let mut specs = Vec::new();
    for size in &o.sizes {
        let spec = work.join(format!("{size}.yaml"));
        let out = Command::new("python3")
            .arg(&script)
            .args(["--size", size, "--stats", "-o"])
            .arg(&spec)
            .output()
            .map_err(|e| format!("cannot run python3: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "make_spec.py --size {size} failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let stats = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        eprintln!("{size}: {stats}");
        specs.push((size.clone(), spec, stats));
    }

    let step = |name: &str| o.steps.iter().any(|s| s == name);
    if step("generate") || step("build") || step("own") || step("peers") {
        eprintln!("==> building the generator (release)");
        run_visible(
            cargo()
                .args([
                    "build",
                    "--release",
                    "--quiet",
                    "-p",
                    "openapi-rust-codegen",
                ])
                .current_dir(&root),
            "cargo build --release",
        )?;
    }
    let generator = target_dir(&root)?.join("release/openapi-rust-codegen");

    // One emitted crate per size, kept for the build step, and the
    // baseline's beside it.
    let mut crates = Vec::new();
    for (size, spec, _) in &specs {
        let dir = work.join(format!("crate-{size}"));
        let _ = std::fs::remove_dir_all(&dir);
        let baseline = o
            .baseline
            .as_ref()
            .map(|_| work.join(format!("crate-{size}-baseline")));
        if step("build") {
            generate_once(&generator, spec, &dir, false)?;
            if let (Some(bin), Some(out)) = (&o.baseline, &baseline) {
                let _ = std::fs::remove_dir_all(out);
                generate_once(bin, spec, out, false)?;
            }
        }
        crates.push((size.clone(), spec.clone(), dir, baseline));
    }

    if step("generate") {
        eprintln!("==> generation");
        let _ = writeln!(
            report,
            "### Generation (release binary, whole process, median of {} runs)\n\n\
             | size | spec | emitted | wall | peak RSS |\n| --- | --- | --- | ---: | ---: |",
            o.runs
        );
        // Outputs are kept until every run of every size is done: on ext4,
        // creating thousands of files soon after deleting as many is several
        // times slower (the allocator avoids recently freed inodes; with
        // `discard`, freed blocks are trimmed), which would be measured as
        // generation time.
        let mut outs = Vec::new();
        for (size, spec, stats) in &specs {
            let mut walls = Vec::new();
            let mut rss = Vec::new();
            let mut emitted = String::new();
            for i in 0..o.runs {
                let out = work.join(format!("gen-{size}-{i}"));
                let _ = std::fs::remove_dir_all(&out);
                let (wall, kib) = generate_once(&generator, spec, &out, gnu_time)?;
                eprintln!(
                    "{size} run {}: {:.3} s, {}",
                    i + 1,
                    wall.as_secs_f64(),
                    kib.map_or("-".into(), |k| format!("{} MiB", k / 1024))
                );
                walls.push(wall);
                rss.extend(kib);
                if emitted.is_empty() {
                    let (files, bytes) = dir_size(&out);
                    emitted = format!("{files} files, {:.1} MB", bytes as f64 / 1e6);
                }
                outs.push(out);
            }
            let spec_bytes = std::fs::metadata(spec).map(|m| m.len()).unwrap_or(0);
            let _ = writeln!(
                report,
                "| {size} | {} ({:.1} MB) | {emitted} | {} | {} |",
                stats_summary(stats),
                spec_bytes as f64 / 1e6,
                fmt_duration(ours.generation(size, median(walls), median_opt(&rss))),
                if rss.is_empty() {
                    "n/a".to_owned()
                } else {
                    format!("{} MiB", median(rss) / 1024)
                },
            );
        }
        for out in outs {
            let _ = std::fs::remove_dir_all(out);
        }
        report.push('\n');
    }

    if step("stages") {
        eprintln!("==> time per pipeline step (cargo bench --bench pipeline)");
        let _ = writeln!(report, "### Time per pipeline step (one run each)\n");
        let mut header_done = false;
        for (_, spec, _) in &specs {
            let out = cargo_bench(&root, "pipeline", &[spec.as_os_str()])?;
            for line in out.lines() {
                let header = line.starts_with("| spec") || line.starts_with("| ---");
                if line.starts_with('|') && (!header || !header_done) {
                    let _ = writeln!(report, "{line}");
                }
            }
            header_done = true;
        }
        report.push('\n');
    }

    if step("build") {
        eprintln!("==> cold builds (cargo build, fresh target folder each)");
        let _ = writeln!(
            report,
            "### Cold `cargo build` of the emitted crates (debug, fresh target folder, limit {} s)\n\n\
             | crate | features | models compiled | build |{}\n| --- | --- | ---: | ---: |{}",
            o.build_limit.as_secs(),
            if o.baseline.is_some() { " baseline (alternated) | ratio |" } else { "" },
            if o.baseline.is_some() { " ---: | ---: |" } else { "" },
        );
        let lock = root.join("Cargo.lock");
        for (size, spec, dir, baseline) in &crates {
            for dir in std::iter::once(dir).chain(baseline) {
                std::fs::copy(&lock, dir.join("Cargo.lock"))
                    .map_err(|e| format!("copying Cargo.lock into {}: {e}", dir.display()))?;
            }
            let mut builds: Vec<(String, Vec<String>)> = Vec::new();
            if size == "large" {
                builds.push((
                    format!("`{}` only", o.feature),
                    // The one tag, and the default TLS provider without
                    // which the crate does not compile.
                    vec![
                        "--no-default-features".into(),
                        "--features".into(),
                        format!("{},rustls-ring", o.feature),
                    ],
                ));
            }
            builds.push(("all (default)".into(), Vec::new()));
            for (label, args) in builds {
                let models = models_compiled(spec, args.last().filter(|_| !args.is_empty()));
                let target = work.join(format!("target-{size}-{}", args.len()));
                let _ = std::fs::remove_dir_all(&target);
                let Some(baseline) = baseline else {
                    eprintln!("{size}, {label}: building…");
                    let outcome = cold_build(dir, &target, &args, o.build_limit)?;
                    eprintln!("{size}, {label}: {outcome}");
                    let _ = writeln!(report, "| {size} | {label} | {models} | {outcome} |");
                    let _ = std::fs::remove_dir_all(&target);
                    continue;
                };
                // Baseline, ours, baseline, ours: the machine's speed drifts
                // over minutes, so each pair is taken close together.
                let mut times: [Vec<Built>; 2] = [Vec::new(), Vec::new()];
                for round in 1..=2 {
                    for (which, crate_dir) in [(1, baseline), (0, dir)] {
                        let name = ["ours", "baseline"][which];
                        eprintln!("{size}, {label}, {name} (round {round}): building…");
                        let _ = std::fs::remove_dir_all(&target);
                        let outcome = cold_build(crate_dir, &target, &args, o.build_limit)?;
                        eprintln!("{size}, {label}, {name} (round {round}): {outcome}");
                        times[which].push(outcome);
                    }
                }
                let _ = std::fs::remove_dir_all(&target);
                let show = |builds: &[Built]| {
                    builds
                        .iter()
                        .map(|b| b.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let total =
                    |builds: &[Built]| -> Option<Duration> { builds.iter().map(Built::time).sum() };
                let ratio = match (total(&times[0]), total(&times[1])) {
                    (Some(ours), Some(theirs)) => ratio(ours, theirs),
                    _ => "n/a".into(),
                };
                let _ = writeln!(
                    report,
                    "| {size} | {label} | {models} | {} | {} | {ratio} |",
                    show(&times[0]),
                    show(&times[1])
                );
            }
        }
        report.push('\n');
    }
    for (_, _, dir, baseline) in &crates {
        for dir in std::iter::once(dir).chain(baseline) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    if step("own") {
        eprintln!("==> the crates' own compilation, against progenitor's");
        let mut own = Vec::new();
        own.extend(
            (specs.iter())
                .filter(|(size, _, _)| size == "medium")
                .map(|(size, spec, _)| (size.clone(), spec.clone())),
        );
        let nexus = root.join("../shared/specs/corpus/progenitor-nexus.json");
        if nexus.is_file() {
            own.push(("nexus".to_owned(), nexus));
        }
        let peers = find_peers();
        let progenitor = peers
            .iter()
            .find(|p| p.name == "progenitor")
            .and_then(|p| p.command.as_ref());
        report.push_str(&own_build::own_builds(
            &own,
            &generator,
            o.baseline.as_deref(),
            &root.join("Cargo.lock"),
            progenitor,
            &work,
            o.runs,
        )?);
    }

    if step("client") {
        eprintln!("==> client overhead (cargo bench --bench client)");
        let out = cargo_bench(&root, "client", &[])?;
        let _ = writeln!(report, "### Client overhead\n");
        for line in out.lines() {
            let _ = writeln!(report, "- {line}");
        }
    }
    if step("peers") {
        let mine = Generator {
            binary: &generator,
            lock: &root.join("Cargo.lock"),
        };
        peers(o, &work, &specs, &ours, &mine, gnu_time, &mut report)?;
    }
    Ok(report)
}

/// Our figures, for the ratios of the peers' table.
#[derive(Default)]
struct Ours {
    /// Median wall time and peak RSS (KiB) of generation, by size.
    generation: std::collections::BTreeMap<String, (Duration, Option<u64>)>,
}

/// Our generator, to emit the crates built beside the peers'.
struct Generator<'a> {
    binary: &'a Path,
    /// The lock file our emitted crates are built with.
    lock: &'a Path,
}

impl Ours {
    fn generation(&mut self, size: &str, wall: Duration, kib: Option<u64>) -> Duration {
        self.generation.insert(size.to_owned(), (wall, kib));
        wall
    }
}

/// Makes the command that generates a crate from a spec (first) into a folder.
type MakeCommand = Box<dyn Fn(&Path, &Path) -> Command>;

/// A peer generator, found on this machine or not.
struct Peer {
    name: &'static str,
    /// How to install it.
    install: &'static str,
    /// The command that generates a crate from `spec` into `out`, if installed.
    command: Option<MakeCommand>,
    /// Adds the TLS stack an HTTPS API needs to an emitted crate that has
    /// none, for a second build beside ours on equal terms.
    add_tls: Option<EditCrate>,
}

/// Changes an emitted crate in its folder.
type EditCrate = fn(&Path) -> Result<(), String>;

fn found(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn find_peers() -> Vec<Peer> {
    let progenitor = found("cargo-progenitor", &["progenitor", "--help"]).then(|| {
        Box::new(|spec: &Path, out: &Path| {
            let mut c = Command::new("cargo-progenitor");
            c.args(["progenitor", "-i"])
                .arg(spec)
                .arg("-o")
                .arg(out)
                .args(["-n", "bench-peer", "-v", "0.1.0"]);
            c
        }) as MakeCommand
    });
    let generator_cli =
        std::env::var("OPENAPI_GENERATOR_CLI").unwrap_or_else(|_| "openapi-generator-cli".into());
    let openapi_generator = found(&generator_cli, &["version"]).then(|| {
        Box::new(move |spec: &Path, out: &Path| {
            let mut c = Command::new(&generator_cli);
            c.args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
                .arg(spec)
                .arg("-o")
                .arg(out)
                .arg("--additional-properties=packageName=bench_peer");
            c
        }) as MakeCommand
    });
    vec![
        Peer {
            name: "progenitor",
            install: "cargo install cargo-progenitor",
            command: progenitor,
            add_tls: Some(progenitor_with_tls),
        },
        Peer {
            name: "openapi-generator `rust`",
            install: "pip install openapi-generator-cli (needs a Java runtime), or set OPENAPI_GENERATOR_CLI",
            command: openapi_generator,
            add_tls: None,
        },
    ]
}

/// Gives a crate progenitor emitted the TLS stack ours carry (reqwest's
/// rustls, with ring): as emitted, its reqwest has no TLS and can only reach
/// `http://` URLs, while the Genesys Cloud API is HTTPS only.
fn progenitor_with_tls(dir: &Path) -> Result<(), String> {
    const FEATURES: &str = "features = [";
    const TLS_FEATURE: &str = "\"rustls-no-provider\", ";
    const RUSTLS: &str = "rustls = { version = \"0.23\", default-features = false, features = [\"ring\", \"std\", \"tls12\"] }";
    let path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut patched = String::new();
    let mut found = false;
    for line in text.lines() {
        match line.find(FEATURES) {
            Some(at) if line.starts_with("reqwest =") && !found => {
                found = true;
                let at = at + FEATURES.len();
                let _ = writeln!(patched, "{}{TLS_FEATURE}{}", &line[..at], &line[at..]);
                let _ = writeln!(patched, "{RUSTLS}");
            }
            _ => {
                let _ = writeln!(patched, "{line}");
            }
        }
    }
    if !found {
        return Err(format!(
            "{}: no `reqwest = {{ … features = [ … ] }}` line to add TLS to",
            path.display()
        ));
    }
    std::fs::write(&path, patched).map_err(|e| format!("{}: {e}", path.display()))
}

/// The peers' generation (one run each, stopped after the build limit) and,
/// for the small and medium specs, the cold builds of what they emit; each
/// beside our figure as a ratio (ours ÷ theirs: below 1 is faster). Each of
/// their builds is paired with a build of our crate for the same spec just
/// before it: this machine's speed drifts over minutes, and a ratio of
/// builds made far apart measures the drift as much as the crates.
fn peers(
    o: &Options,
    work: &Path,
    specs: &[(String, PathBuf, String)],
    ours: &Ours,
    mine: &Generator<'_>,
    gnu_time: bool,
    report: &mut String,
) -> Result<(), String> {
    eprintln!("==> peers");
    let peers = find_peers();
    let _ = writeln!(
        report,
        "### Peers, same machine and specs (one run each; ratio = ours ÷ theirs)\n\n\
         | peer | size | generate | peak RSS | ratio (time) | cold build (ours just before) | ratio (build) |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: |"
    );
    // Our crate for each spec whose peers' crates are built.
    let mut mine_dirs = std::collections::BTreeMap::new();
    if peers.iter().any(|p| p.command.is_some()) {
        for (size, spec, _) in specs.iter().filter(|(size, _, _)| size != "large") {
            let dir = work.join(format!("paired-{size}"));
            let _ = std::fs::remove_dir_all(&dir);
            generate_once(mine.binary, spec, &dir, false)?;
            std::fs::copy(mine.lock, dir.join("Cargo.lock"))
                .map_err(|e| format!("copying Cargo.lock into {}: {e}", dir.display()))?;
            mine_dirs.insert(size.clone(), dir);
        }
    }
    for peer in &peers {
        let Some(command) = &peer.command else {
            eprintln!("{}: not installed ({})", peer.name, peer.install);
            let _ = writeln!(
                report,
                "| {} | — | not installed (`{}`) | | | | |",
                peer.name, peer.install
            );
            continue;
        };
        for (size, spec, _) in specs {
            let out = work.join(format!("peer-{size}"));
            let _ = std::fs::remove_dir_all(&out);
            eprintln!("{} {size}: generating…", peer.name);
            let mut cmd = Command::new("timeout");
            let generate = command(spec, &out);
            cmd.args(["-s", "KILL", &o.build_limit.as_secs().to_string()])
                .arg(generate.get_program())
                .args(generate.get_args());
            let (gen, rss, gen_ratio) = match timed(cmd, gnu_time) {
                Ok((wall, kib)) => (
                    fmt_duration(wall),
                    kib.map_or("n/a".into(), |k| format!("{} MiB", k / 1024)),
                    ours.generation
                        .get(size)
                        .map_or(String::new(), |(w, _)| ratio(*w, wall)),
                ),
                Err(e) => {
                    let last = e.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
                    eprintln!("{} {size}: failed: {last}", peer.name);
                    (
                        format!(
                            "failed: {}",
                            last.trim().chars().take(80).collect::<String>()
                        ),
                        String::new(),
                        String::new(),
                    )
                }
            };
            let mine_dir = mine_dirs.get(size);
            let buildable = out.join("Cargo.toml").is_file() && mine_dir.is_some();
            // Ours, then theirs, each in a fresh target folder.
            let build = |what: &str| -> Result<Option<(Built, Built)>, String> {
                let Some(mine_dir) = mine_dir.filter(|_| buildable) else {
                    return Ok(None);
                };
                let target = work.join(format!("target-peer-{size}"));
                let _ = std::fs::remove_dir_all(&target);
                eprintln!("ours {size} (beside {what}): building…");
                let mine_built = cold_build(mine_dir, &target, &[], o.build_limit)?;
                let _ = std::fs::remove_dir_all(&target);
                // Dependencies are fetched first: only compiling is timed.
                let _ = cargo()
                    .arg("fetch")
                    .arg("--quiet")
                    .current_dir(&out)
                    .status();
                eprintln!("{what} {size}: building…");
                let theirs = cold_build(&out, &target, &[], o.build_limit)?;
                let _ = std::fs::remove_dir_all(&target);
                eprintln!("{what} {size}: {theirs} (ours {mine_built})");
                Ok(Some((mine_built, theirs)))
            };
            let row = |report: &mut String,
                       name: &str,
                       gen: &str,
                       rss: &str,
                       gen_ratio: &str,
                       built: Option<(Built, Built)>| {
                let (build, build_ratio) = match built {
                    Some((mine, theirs)) => (
                        format!("{theirs} ({mine})"),
                        match (mine.time(), theirs.time()) {
                            (Some(mine), Some(theirs)) => ratio(mine, theirs),
                            _ => String::new(),
                        },
                    ),
                    None => ("—".into(), String::new()),
                };
                let _ = writeln!(
                    report,
                    "| {name} | {size} | {gen} | {rss} | {gen_ratio} | {build} | {build_ratio} |",
                );
            };
            let built = build(peer.name)?;
            row(report, peer.name, &gen, &rss, &gen_ratio, built);
            if let (Some(add_tls), true) = (peer.add_tls, buildable) {
                add_tls(&out)?;
                let name = format!("{} + TLS", peer.name);
                let built = build(&name)?;
                row(report, &name, "", "", "", built);
            }
            let _ = std::fs::remove_dir_all(&out);
        }
    }
    for dir in mine_dirs.values() {
        let _ = std::fs::remove_dir_all(dir);
    }
    report.push('\n');
    Ok(())
}

fn ratio(ours: Duration, theirs: Duration) -> String {
    format!(
        "{:.2}×",
        ours.as_secs_f64() / theirs.as_secs_f64().max(1e-9)
    )
}

/// Runs `cargo bench --bench NAME -- ARGS` of the `tests` package; returns its
/// standard output (its standard error goes to the terminal).
fn cargo_bench(root: &Path, name: &str, args: &[&std::ffi::OsStr]) -> Result<String, String> {
    let out = cargo()
        .args([
            "bench",
            "--quiet",
            "-p",
            "codegen-tests",
            "--bench",
            name,
            "--",
        ])
        .args(args)
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("the {name} bench failed ({})", out.status))
    }
}

/// Runs the generator once; returns its wall time and, with GNU time, its peak RSS in KiB.
fn generate_once(
    generator: &Path,
    spec: &Path,
    out: &Path,
    gnu_time: bool,
) -> Result<(Duration, Option<u64>), String> {
    let mut cmd = Command::new(generator);
    cmd.arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .arg("--crate-name")
        .arg("bench-client");
    timed(cmd, gnu_time).map_err(|e| format!("the generator failed on {}:\n{e}", spec.display()))
}

/// Runs `cmd` to completion (its standard output discarded), under GNU time
/// when `gnu_time`; returns its wall time and peak RSS in KiB, or its
/// standard error when it fails.
fn timed(cmd: Command, gnu_time: bool) -> Result<(Duration, Option<u64>), String> {
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-v").arg(cmd.get_program()).args(cmd.get_args());
        if let Some(dir) = cmd.get_current_dir() {
            c.current_dir(dir);
        }
        c
    } else {
        cmd
    };
    let start = Instant::now();
    let result = cmd
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cmd.get_program().to_string_lossy()))?;
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&result.stderr);
    if !result.status.success() {
        // Without GNU time's report.
        let own = stderr.split("\tCommand being timed:").next().unwrap_or("");
        let own = own
            .split("Command exited with non-zero status")
            .next()
            .unwrap_or("");
        return Err(own.to_owned());
    }
    let kib = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok());
    Ok((wall, kib))
}

/// How a cold build ended.
enum Built {
    Done(Duration),
    Failed(Duration, String),
    Stopped(Duration),
}

impl Built {
    fn time(&self) -> Option<Duration> {
        match self {
            Built::Done(d) => Some(*d),
            _ => None,
        }
    }
}

impl std::fmt::Display for Built {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Built::Done(d) => f.write_str(&fmt_duration(*d)),
            Built::Failed(d, first) => write!(f, "failed after {}: {first}", fmt_duration(*d)),
            Built::Stopped(limit) => write!(f, "stopped at {} s (unfinished)", limit.as_secs()),
        }
    }
}

/// A cold `cargo build` in `dir` with a fresh target folder, stopped after `limit`.
fn cold_build(
    dir: &Path,
    target: &Path,
    args: &[String],
    limit: Duration,
) -> Result<Built, String> {
    use std::os::unix::process::CommandExt;
    let mut child = cargo()
        .arg("build")
        .arg("--quiet")
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        // Its own process group, so that stopping it stops every rustc too.
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    // Read stderr on a thread, so a chatty failure cannot block the child.
    let mut stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let elapsed = start.elapsed();
            let text = reader.join().unwrap_or_default();
            return Ok(if status.success() {
                Built::Done(elapsed)
            } else {
                let first = text
                    .lines()
                    .find(|l| l.starts_with("error"))
                    .unwrap_or("no error line")
                    .to_owned();
                Built::Failed(elapsed, first)
            });
        }
        if start.elapsed() > limit {
            // The child's process group (`--`: procps `kill` reads `-PID`
            // after a signal name as an option, and signals far more).
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            return Ok(Built::Stopped(limit));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// How many models a build of the crate emitted from `spec` compiles: those
/// `feature` reaches and those compiled whatever the features (every model,
/// without a feature), as the generator's feature plan says.
fn models_compiled(spec: &Path, feature: Option<&String>) -> String {
    let lowered = codegen::load::Source::read(spec)
        .and_then(|source| codegen::load::load(&source))
        .and_then(|doc| codegen::lower::lower(&doc, &Default::default()));
    let Ok((api, _)) = lowered else {
        return "?".into();
    };
    let Some(feature) = feature else {
        return api.models.len().to_string();
    };
    let plan = codegen::features::plan(&api);
    let count = plan
        .all()
        .find(|f| &f.name == feature)
        .map(|f| f.models.union(&plan.always).count());
    count.map_or("?".into(), |n| n.to_string())
}

fn dir_size(dir: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match entry.metadata() {
                Ok(m) if m.is_dir() => stack.push(entry.path()),
                Ok(m) => {
                    files += 1;
                    bytes += m.len();
                }
                Err(_) => {}
            }
        }
    }
    (files, bytes)
}

/// `operations=300 paths=160 schemas=400 …` → `300 ops, 400 schemas`.
fn stats_summary(stats: &str) -> String {
    let get = |key: &str| {
        stats
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(key))
            .unwrap_or("?")
            .to_owned()
    };
    format!("{} ops, {} schemas", get("operations="), get("schemas="))
}

fn median_opt(v: &[u64]) -> Option<u64> {
    (!v.is_empty()).then(|| median(v.to_vec()))
}

fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

fn fmt_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{:.0} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

fn tool_version(tool: &str) -> String {
    Command::new(tool)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| format!("{tool} ?"))
}
