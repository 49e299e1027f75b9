//! The program `cargo xtask conformance` builds beside each crate it checks.
//!
//! - `harness decode CASES`: decodes payloads into the crate's types and
//!   writes them back (`checks.rs` lists one decoder per type);
//! - `harness call BASE_URL CASES`: calls operations on the server at
//!   `BASE_URL` with the arguments given (`calls.rs` holds one call per
//!   operation) and says how each ended and what the server's
//!   `sl-violations` headers said.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

type Check = fn(&str) -> Result<serde_json::Value, String>;

/// Decodes `json` as a `T`, as the client decodes a body, and writes it back.
fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
    json: &str,
) -> Result<serde_json::Value, String> {
    let value: T = serde_json::from_str(json).map_err(|e| format!("does not decode: {e}"))?;
    serde_json::to_value(&value).map_err(|e| format!("does not encode: {e}"))
}

/// An argument of a call, from its JSON.
fn arg<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Outcome> {
    serde_json::from_str(json).map_err(|e| Outcome {
        error: Some(format!("the argument {json} is no value of its type: {e}")),
        ..Outcome::default()
    })
}

/// How a call ended.
#[derive(Default, serde::Serialize)]
struct Outcome {
    /// Why it failed; `None` when it returned its typed result.
    error: Option<String>,
    /// The status of an error response, or of a redirect not followed.
    status: Option<u16>,
    /// The error is a redirect the client did not follow.
    redirect: bool,
    /// The body of an error response.
    body: Option<String>,
    /// The `sl-violations` headers of every response of the call.
    violations: Vec<String>,
}

fn done<T>(result: Result<T, api::Error>) -> Result<Outcome, Outcome> {
    match result {
        Ok(_) => Ok(Outcome::default()),
        Err(api::Error::Api(e)) => Err(Outcome {
            error: Some(format!("HTTP {}", e.status)),
            status: Some(e.status),
            body: Some(e.raw_body.clone()),
            ..Outcome::default()
        }),
        Err(e) => Err(Outcome {
            error: Some(e.to_string()),
            status: e.status(),
            redirect: matches!(e, api::Error::Redirect { .. }),
            ..Outcome::default()
        }),
    }
}

/// The `sl-violations` headers received since the last call began.
static VIOLATIONS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Recorder;

impl api::Hooks for Recorder {
    fn after_receive(
        &self,
        _operation: &'static str,
        _status: u16,
        headers: &api::reqwest::header::HeaderMap,
    ) {
        let mut seen = VIOLATIONS.lock().unwrap_or_else(|e| e.into_inner());
        for value in headers.get_all("sl-violations") {
            seen.push(String::from_utf8_lossy(value.as_bytes()).into_owned());
        }
    }
}

type Call<'a> = Pin<Box<dyn Future<Output = Result<Outcome, Outcome>> + 'a>>;

include!("checks.rs");
include!("calls.rs");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, rest) = args.split_first().expect("a mode: decode or call");
    let file = rest.last().expect("the cases file");
    let text = std::fs::read_to_string(file).expect("the cases file is readable");
    let mode = mode.clone();
    let base = rest.first().cloned().unwrap_or_default();
    // Deeply nested models decode deeply: room for them off the main stack.
    let output = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || match mode.as_str() {
            "decode" => {
                let cases: Vec<(usize, String)> = serde_json::from_str(&text).expect("cases");
                let results: Vec<_> = cases.iter().map(|(i, json)| CHECKS[*i](json)).collect();
                serde_json::to_string(&results).expect("results")
            }
            "call" => {
                let cases: Vec<(usize, Vec<String>)> = serde_json::from_str(&text).expect("cases");
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                let client = client(&base).expect("the client builds");
                let results: Vec<Outcome> = cases
                    .iter()
                    .map(|(i, a)| {
                        VIOLATIONS.lock().unwrap_or_else(|e| e.into_inner()).clear();
                        let mut outcome = match runtime.block_on(call(&client, &base, *i, a)) {
                            Ok(o) | Err(o) => o,
                        };
                        outcome.violations =
                            std::mem::take(&mut *VIOLATIONS.lock().unwrap_or_else(|e| e.into_inner()));
                        outcome
                    })
                    .collect();
                serde_json::to_string(&results).expect("results")
            }
            other => panic!("unknown mode `{other}`"),
        })
        .expect("a thread")
        .join()
        .expect("the harness does not panic");
    println!("{output}");
}
