//! `cargo xtask conformance`: the generated client checked by tools this
//! project did not write.
//!
//! - Every operation is called, with arguments made from the spec, against
//!   Prism mocking the same spec: Prism must find no violation in the
//!   request, and the client must return the typed result of the answer.
//! - The spec's examples are validated against their schemas by
//!   openapi-schema-validator, and each valid one is decoded into the
//!   crate's type and written back: it must say what it said.
//!
//! One file per concern: `examples` (found in the spec and typed through the
//! IR), `values` (arguments made from schemas), `operations` (the calls and
//! their verdicts), `prism` (the mock server), `harness` (the program that
//! decodes and calls with the crate), `compare` (JSON equality as the check
//! counts it); `validate.py` and the harness's own sources sit in
//! `xtask/conformance/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod compare;
mod examples;
mod harness;
mod operations;
mod prism;
mod values;

use examples::{Example, Target};

pub const USAGE: &str = "\
options:
  --spec PATH        the OpenAPI 3.0 or Swagger 2.0 document (default: spec/tokens.yaml)
  --settings PATH    its settings (default: codegen.toml beside the spec, when there is one)
  --tag NAME         check only the crate of these tags (repeatable)
  --keep             keep the work folder and say where it is";

struct Options {
    spec: PathBuf,
    settings: Option<PathBuf>,
    tags: Vec<String>,
    keep: bool,
}

fn parse(args: &[String], root: &Path) -> Result<Options, String> {
    let mut options = Options {
        spec: root.join("spec/tokens.yaml"),
        settings: None,
        tags: Vec::new(),
        keep: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--spec" => options.spec = PathBuf::from(value("--spec")?),
            "--settings" => options.settings = Some(PathBuf::from(value("--settings")?)),
            "--tag" => options.tags.push(value("--tag")?),
            "--keep" => options.keep = true,
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(options)
}

/// The workspace root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

pub fn run(args: &[String]) -> i32 {
    let root = root();
    let options = match parse(args, &root) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}\n\nusage: cargo xtask conformance [options]\n\n{USAGE}");
            return 2;
        }
    };
    let work = std::env::temp_dir().join(format!("conformance-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let result = check(&options, &root, &work);
    if options.keep {
        eprintln!("conformance: work folder kept at {}", work.display());
    } else {
        let _ = std::fs::remove_dir_all(&work);
    }
    match result {
        Ok(tally) => {
            println!("{}", tally.summary());
            i32::from(!tally.passed())
        }
        Err(e) => {
            eprintln!("conformance: {e}");
            1
        }
    }
}

/// What the check counted.
#[derive(Debug, Default)]
struct Tally {
    operations_passed: usize,
    /// The operations called, less those excluded.
    operations: usize,
    excluded: usize,
    /// Examples that decode and are written back as they were, of the
    /// spec-valid examples of JSON payloads the crate has a type for.
    examples_passed: usize,
    examples: usize,
}

impl Tally {
    fn passed(&self) -> bool {
        self.operations_passed == self.operations && self.examples_passed == self.examples
    }

    fn summary(&self) -> String {
        format!(
            "conformance: {}/{} operations, {}/{} examples",
            self.operations_passed, self.operations, self.examples_passed, self.examples
        )
    }
}

fn check(options: &Options, root: &Path, work: &Path) -> Result<Tally, String> {
    let source = codegen::load::Source::read(&options.spec).map_err(|d| d.to_string())?;
    let settings =
        codegen::settings::Loaded::find(options.settings.as_deref(), Some(&options.spec))
            .map_err(|d| d.to_string())?;
    let mut generation = codegen::Options::with_settings(settings);
    generation.crate_name = Some(harness::CRATE.to_owned());
    generation.tags = options.tags.clone();
    let lowered = codegen::lower_selected(&source, &generation).map_err(|d| d.to_string())?;
    let generated = codegen::generate(&source, &generation).map_err(|d| d.to_string())?;
    let crate_dir = work.join(harness::CRATE);
    codegen::output::sync(&crate_dir, &generated.files, codegen::output::Mode::Write)
        .map_err(|e| format!("{}: {e}", crate_dir.display()))?;
    let doc = codegen::load::parse_tree(&source).map_err(|d| d.to_string())?;
    let openapi = codegen::load::load(&source)
        .map_err(|d| d.to_string())?
        .openapi;

    let found = examples::collect(&doc, &lowered.api);
    let typed: Vec<&Example> = found.iter().filter(|e| e.target.is_some()).collect();
    let verdicts = validate(&options.spec, &typed)?;
    let invalid = verdicts.iter().filter(|v| !v.is_empty()).count();
    let calls = operations::calls(&lowered.api, &openapi);
    eprintln!(
        "conformance: {} operations; {} examples, {} of them of JSON payloads the crate has a type for, {invalid} of those invalid against their schema",
        calls.len(),
        found.len(),
        typed.len(),
    );
    let mut tally = Tally {
        examples: typed.len() - invalid,
        ..Tally::default()
    };
    if typed.is_empty() && calls.is_empty() {
        return Ok(tally);
    }
    let mut targets: Vec<Target> = typed.iter().filter_map(|e| e.target.clone()).collect();
    targets.sort();
    targets.dedup();
    let target_dir = root.join("target/emitted-crates");
    let credentials = operations::credentials(&lowered.api);
    let harness = harness::Harness::build(work, &target_dir, targets, &calls, &credentials)?;

    if !calls.is_empty() {
        let bin = prism::install()?;
        let server = prism::start(&bin, &doc, work)?;
        let cases: Vec<(usize, &[String])> = calls
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.args.as_slice()))
            .collect();
        let outcomes = harness.call(work, &server.base_url, &cases)?;
        drop(server);
        let excluded = exclusions(&options.spec)?;
        for (call, outcome) in calls.iter().zip(&outcomes) {
            let mut judgement = operations::judge(call, outcome);
            if let Some(why) = excluded
                .iter()
                .find(|(id, _)| *id == call.id)
                .map(|(_, w)| w)
            {
                judgement = match judgement {
                    // Only what Prism found fault with: any other failure
                    // is the client's, and counts.
                    operations::Judgement::Failed(fault) if fault.starts_with("Prism: ") => {
                        operations::Judgement::Excluded(format!(
                            "{why} (xtask/conformance/exclusions.txt)"
                        ))
                    }
                    failed @ operations::Judgement::Failed(_) => failed,
                    other => {
                        println!(
                            "operation {} is excluded in xtask/conformance/exclusions.txt but no longer needs to be",
                            call.id
                        );
                        other
                    }
                };
            }
            match judgement {
                operations::Judgement::Passed => {
                    tally.operations += 1;
                    tally.operations_passed += 1;
                }
                operations::Judgement::Failed(why) => {
                    tally.operations += 1;
                    println!("operation {}: {why}", call.id);
                }
                operations::Judgement::Excluded(why) => {
                    tally.excluded += 1;
                    println!("excluded operation {}: {why}", call.id);
                }
            }
        }
        if tally.excluded > 0 {
            println!(
                "conformance: {} operations excluded, each for the reason given",
                tally.excluded
            );
        }
    }

    // Invalid examples are decoded too, to show what the crate makes of
    // them (servers send such payloads); they are not counted.
    let cases: Vec<(&Target, String)> = typed
        .iter()
        .filter_map(|e| Some((e.target.as_ref()?, e.value.to_string())))
        .collect();
    let results = if cases.is_empty() {
        Vec::new()
    } else {
        harness.run(work, &cases)?
    };
    for ((example, problems), result) in typed.iter().zip(&verdicts).zip(results) {
        let outcome = result.and_then(|written| compare::same(&example.value, &written));
        match (problems.is_empty(), outcome) {
            (true, Ok(())) => tally.examples_passed += 1,
            (true, Err(why)) => println!("example {}: {why}", example.pointer),
            (false, outcome) => println!(
                "invalid example (not counted) {}: {}; {}",
                example.pointer,
                problems.join("; "),
                match outcome {
                    Ok(()) => "the crate decodes it and writes it back as it was".to_owned(),
                    Err(why) => format!("the crate: {why}"),
                }
            ),
        }
    }
    Ok(tally)
}

/// The operations of the spec at `spec` that `xtask/conformance/exclusions.txt`
/// leaves uncounted, with why.
fn exclusions(spec: &Path) -> Result<Vec<(String, String)>, String> {
    let path = root().join("xtask/conformance/exclusions.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = spec
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or_default();
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.splitn(3, ' ');
        match (words.next(), words.next(), words.next()) {
            (Some(f), Some(id), Some(why)) if f == file => {
                out.push((id.to_owned(), why.to_owned()))
            }
            (Some(_), Some(_), Some(_)) => {}
            _ => {
                return Err(format!(
                    "{}: `{line}` is not `FILE OPERATION WHY`",
                    path.display()
                ))
            }
        }
    }
    Ok(out)
}

/// What openapi-schema-validator finds wrong with each example's value
/// against its schema (nothing, for a valid one).
fn validate(spec: &Path, examples: &[&Example]) -> Result<Vec<Vec<String>>, String> {
    if examples.is_empty() {
        return Ok(Vec::new());
    }
    let cases: Vec<serde_json::Value> = examples
        .iter()
        .map(|e| {
            serde_json::json!({
                "schema": e.schema,
                "direction": e.direction.word(),
                "value": e.value,
            })
        })
        .collect();
    let request = serde_json::json!({"spec": spec, "cases": cases});
    let script = root().join("xtask/conformance/validate.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("python3: {e} (the validator needs Python 3 with .ci/requirements.txt)")
        })?;
    let input = request.to_string();
    let mut stdin = child.stdin.take().ok_or("the validator's input")?;
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin.write_all(input.as_bytes())
    });
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(format!(
            "the validator failed (pip install -r .ci/requirements.txt?):\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let verdicts: Vec<Vec<String>> =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("the validator's output: {e}"))?;
    if verdicts.len() != examples.len() {
        return Err("the validator answered another number of cases".to_owned());
    }
    Ok(verdicts)
}
