//! The program that decodes payloads with a generated crate and calls its
//! operations: written beside the crate, built in the emitted crates'
//! shared target folder, and run on a file of cases.

use super::examples::Target;
use super::operations::Call;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The harness's `main.rs`; `checks.rs` and `calls.rs` beside it are
/// written per crate.
const MAIN: &str = include_str!("../../conformance/harness.rs");

/// What `calls.rs` includes when the crate has operations.
const CALL_SUPPORT: &str = include_str!("../../conformance/call_support.rs");

/// The library name the checked crate is generated under.
pub const CRATE: &str = "api";

/// A built harness for the crate at `dir/api`.
pub struct Harness {
    binary: PathBuf,
    targets: Vec<Target>,
}

impl Harness {
    /// Writes and builds the harness for the crate in `work/api`, with one
    /// decoder for each of `targets` and the code of each of `calls`; the
    /// client is given the `credentials` (builder calls).
    pub fn build(
        work: &Path,
        target_dir: &Path,
        targets: Vec<Target>,
        calls: &[Call],
        credentials: &str,
    ) -> Result<Harness, String> {
        let dir = work.join("harness");
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        let manifest = format!(
            "[package]\nname = \"conformance-harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{CRATE} = {{ path = \"../{CRATE}\" }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
             tokio = {{ version = \"1\", features = [\"rt\", \"time\", \"net\"] }}\n\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\n\n[workspace]\n"
        );
        let checks: Vec<String> = targets
            .iter()
            .map(|t| {
                let ty = codegen::types::rust_type(&t.ty, &format!("{CRATE}::models::"));
                if t.nullable {
                    format!("    check::<Option<{ty}>>,")
                } else {
                    format!("    check::<{ty}>,")
                }
            })
            .collect();
        let checks = format!("const CHECKS: &[Check] = &[\n{}\n];\n", checks.join("\n"));
        let arms: Vec<String> = calls
            .iter()
            .enumerate()
            .map(|(i, c)| format!("        {i} => Box::pin(async move {{ {} }}),", c.code))
            .collect();
        let calls = if calls.is_empty() {
            "/// The crate has no operations.\npub fn run(_base: &str, _text: &str) -> String {\n    \"[]\".to_owned()\n}\n".to_owned()
        } else {
            format!(
            "include!(\"call_support.rs\");\n\n\
             fn client(base: &str) -> Result<{CRATE}::Client, {CRATE}::Error> {{\n    \
             {CRATE}::Client::builder()\n        .base_url(base)\n        .retry({CRATE}::RetryPolicy::none())\n        \
             {credentials}\n        .hooks(Recorder)\n        .build()\n}}\n\n\
             #[allow(unused_variables)]\n\
             fn call<'a>(client: &'a {CRATE}::Client, base: &'a str, index: usize, a: &'a [String]) -> Call<'a> {{\n    \
             match index {{\n{}\n        _ => Box::pin(async {{ Err(Outcome::default()) }}),\n    }}\n}}\n",
            arms.join("\n")
        )
        };
        for (file, text) in [
            ("Cargo.toml", manifest.as_str()),
            ("src/main.rs", MAIN),
            ("src/checks.rs", checks.as_str()),
            ("src/calls.rs", calls.as_str()),
            ("src/call_support.rs", CALL_SUPPORT),
        ] {
            std::fs::write(dir.join(file), text).map_err(|e| format!("{file}: {e}"))?;
        }
        if let Ok(lock) = std::fs::read(super::root().join("Cargo.lock")) {
            let _ = std::fs::write(dir.join("Cargo.lock"), lock);
        }
        let out = Command::new(cargo())
            .args(["build", "--quiet"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", target_dir)
            .output()
            .map_err(|e| format!("cargo: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "the harness does not build:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(Harness {
            binary: target_dir.join("debug/conformance-harness"),
            targets,
        })
    }

    /// Decodes each `(target, json)` and writes it back: the value written,
    /// or why it failed.
    pub fn run(
        &self,
        work: &Path,
        cases: &[(&Target, String)],
    ) -> Result<Vec<Result<serde_json::Value, String>>, String> {
        let indexed: Vec<(usize, &str)> = cases
            .iter()
            .map(|(t, json)| {
                let i = self
                    .targets
                    .binary_search(t)
                    .map_err(|_| "a target without a decoder")?;
                Ok((i, json.as_str()))
            })
            .collect::<Result<_, &str>>()?;
        let input = serde_json::to_string(&indexed).map_err(|e| e.to_string())?;
        let out = self.exec(work, &["decode"], "cases.json", input)?;
        let results: Vec<Result<serde_json::Value, String>> =
            serde_json::from_slice(&out).map_err(|e| format!("the harness's output: {e}"))?;
        if results.len() != cases.len() {
            return Err("the harness answered another number of cases".to_owned());
        }
        Ok(results)
    }

    /// Makes each call (an index into the calls the harness was built with,
    /// and its arguments) on the server at `base_url`.
    pub fn call(
        &self,
        work: &Path,
        base_url: &str,
        cases: &[(usize, &[String])],
    ) -> Result<Vec<CallOutcome>, String> {
        let input = serde_json::to_string(cases).map_err(|e| e.to_string())?;
        let out = self.exec(work, &["call", base_url], "calls.json", input)?;
        let results: Vec<serde_json::Value> =
            serde_json::from_slice(&out).map_err(|e| format!("the harness's output: {e}"))?;
        if results.len() != cases.len() {
            return Err("the harness answered another number of calls".to_owned());
        }
        Ok(results.iter().map(CallOutcome::read).collect())
    }
}

impl Harness {
    /// Runs the harness with `args` on the JSON `input`, written to
    /// `work/file`, and returns what it prints.
    fn exec(
        &self,
        work: &Path,
        args: &[&str],
        file: &str,
        input: String,
    ) -> Result<Vec<u8>, String> {
        let file = work.join(file);
        std::fs::write(&file, input).map_err(|e| e.to_string())?;
        let out = Command::new(&self.binary)
            .args(args)
            .arg(&file)
            .output()
            .map_err(|e| format!("{}: {e}", self.binary.display()))?;
        if !out.status.success() {
            return Err(format!(
                "the harness failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(out.stdout)
    }
}

/// How a call ended, as the harness reports it.
#[derive(Debug, Default)]
pub struct CallOutcome {
    /// Why it did not return its typed result; `None` when it did.
    pub error: Option<String>,
    pub status: Option<u16>,
    /// The error is a redirect the client did not follow.
    pub redirect: bool,
    pub body: Option<String>,
    /// The `sl-violations` headers the server sent.
    pub violations: Vec<String>,
}

impl CallOutcome {
    fn read(value: &serde_json::Value) -> CallOutcome {
        let text = |key: &str| value[key].as_str().map(str::to_owned);
        CallOutcome {
            error: text("error"),
            status: value["status"].as_u64().and_then(|s| u16::try_from(s).ok()),
            redirect: value["redirect"].as_bool().unwrap_or(false),
            body: text("body"),
            violations: value["violations"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
        }
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}
