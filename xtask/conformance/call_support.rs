// How the conformance harness calls operations: their arguments, the
// outcome of each call, and the `sl-violations` headers Prism answers with.
// `calls.rs` includes it with the calls of one crate (`client` and `call`
// there).

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

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

/// Makes each call of `text` (`[[call, [argument, …]], …]`) on the server
/// at `base`, and says how each ended, as a JSON list.
pub fn run(base: &str, text: &str) -> String {
    let cases: Vec<(usize, Vec<String>)> = serde_json::from_str(text).expect("cases");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = client(base).expect("the client builds");
    let results: Vec<Outcome> = cases
        .iter()
        .map(|(i, a)| {
            VIOLATIONS.lock().unwrap_or_else(|e| e.into_inner()).clear();
            let mut outcome = match runtime.block_on(call(&client, base, *i, a)) {
                Ok(o) | Err(o) => o,
            };
            outcome.violations =
                std::mem::take(&mut *VIOLATIONS.lock().unwrap_or_else(|e| e.into_inner()));
            outcome
        })
        .collect();
    serde_json::to_string(&results).expect("results")
}
