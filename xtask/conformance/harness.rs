//! The program `cargo xtask conformance` builds beside each crate it checks.
//!
//! - `harness decode CASES`: decodes payloads into the crate's types and
//!   writes them back (`checks.rs` lists one decoder per type);
//! - `harness call BASE_URL CASES`: calls operations on the server at
//!   `BASE_URL` with the arguments given (`calls.rs` holds one call per
//!   operation) and says how each ended and what the server's
//!   `sl-violations` headers said.

type Check = fn(&str) -> Result<serde_json::Value, String>;

/// Decodes `json` as a `T`, as the client decodes a body, and writes it back.
fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
    json: &str,
) -> Result<serde_json::Value, String> {
    let value: T = serde_json::from_str(json).map_err(|e| format!("does not decode: {e}"))?;
    serde_json::to_value(&value).map_err(|e| format!("does not encode: {e}"))
}

include!("checks.rs");

/// The calls of the crate's operations: `calls.rs` is written with them,
/// holding `call_support.rs`, or says the crate has none.
mod calls;

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
            "call" => calls::run(&base, &text),
            other => panic!("unknown mode `{other}`"),
        })
        .expect("a thread")
        .join()
        .expect("the harness does not panic");
    println!("{output}");
}
