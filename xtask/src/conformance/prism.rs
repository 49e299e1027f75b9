//! Prism (`@stoplight/prism-cli`, pinned in `xtask/conformance/package.json`
//! and its lockfile): a mock server that validates each request against the
//! spec and answers from the spec's examples or schemas.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to read a spec and listen (the whole 2018
/// Genesys Cloud API takes about 25 s on two cores).
const START_TIMEOUT: Duration = Duration::from_secs(240);

/// A running Prism, stopped when dropped.
pub struct Prism {
    child: Child,
    pub base_url: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The folder holding Prism's `package.json`.
fn home() -> PathBuf {
    super::root().join("xtask/conformance")
}

/// Installs Prism from the lockfile unless it already is.
pub fn install() -> Result<PathBuf, String> {
    let home = home();
    let bin = home.join("node_modules/.bin/prism");
    if bin.exists() {
        return Ok(bin);
    }
    eprintln!(
        "conformance: installing Prism (npm ci in {})",
        home.display()
    );
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&home)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("npm: {e} (Prism needs Node.js and npm)"))?;
    if !status.success() || !bin.exists() {
        return Err(format!("`npm ci` in {} failed", home.display()));
    }
    Ok(bin)
}

/// Starts Prism on a free loopback port, mocking `doc`, with its output in
/// `work/prism.log`.
pub fn start(bin: &Path, doc: &Value, work: &Path) -> Result<Prism, String> {
    // External references cannot be fetched here, and Prism tries to fetch
    // even those inside example values (GitHub's SCIM examples): they are
    // renamed in the copy Prism reads.
    let mut doc = doc.clone();
    inert_external_refs(&mut doc);
    let spec = work.join("prism-spec.json");
    std::fs::write(&spec, doc.to_string()).map_err(|e| e.to_string())?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let log_path = work.join("prism.log");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let child = Command::new(bin)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(&spec)
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let mut prism = Prism {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = prism.child.try_wait() {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(15).collect();
            return Err(format!(
                "Prism stopped ({status}) before listening:\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            ));
        }
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        if std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(prism);
        }
        if started.elapsed() > START_TIMEOUT {
            return Err(format!(
                "Prism did not listen within {} s (see {})",
                START_TIMEOUT.as_secs(),
                log_path.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Renames every `$ref` whose target is not in the document.
fn inert_external_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| !r.starts_with('#'))
            {
                if let Some(target) = map.remove("$ref") {
                    map.insert("x-external-ref".to_owned(), target);
                }
            }
            map.values_mut().for_each(inert_external_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(inert_external_refs),
        _ => {}
    }
}

/// What Prism said of a request, from the `sl-violations` header values
/// the client received: the request's violations, and whether Prism found
/// its own response invalid against the spec.
#[derive(Debug, Default)]
pub struct Verdict {
    pub request: Vec<String>,
    pub response: Vec<String>,
}

pub fn verdict(headers: &[String]) -> Verdict {
    let mut verdict = Verdict::default();
    for header in headers {
        let Ok(Value::Array(entries)) = serde_json::from_str::<Value>(header) else {
            verdict
                .request
                .push(format!("unreadable sl-violations: {header}"));
            continue;
        };
        for entry in entries {
            let location: Vec<String> = entry["location"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|l| l.as_str().map_or_else(|| l.to_string(), str::to_owned))
                .collect();
            let text = format!(
                "{} at {}",
                entry["message"].as_str().unwrap_or("a violation"),
                location.join(".")
            );
            if location.first().map(String::as_str) == Some("response") {
                verdict.response.push(text);
            } else {
                verdict.request.push(text);
            }
        }
    }
    verdict
}

/// The error Prism made up itself (`https://stoplight.io/prism/errors#NAME`
/// in a problem body), if the body is one: its name and detail.
pub fn own_error(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    let kind = value["type"]
        .as_str()?
        .split_once("prism/errors#")?
        .1
        .to_owned();
    let mut text = kind;
    if let Some(title) = value["title"].as_str() {
        text.push_str(": ");
        text.push_str(title);
    }
    let details: Vec<String> = value["validation"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["message"].as_str().map(str::to_owned))
        .collect();
    if !details.is_empty() {
        text.push_str(" (");
        text.push_str(&details.join("; "));
        text.push(')');
    } else if let Some(detail) = value["detail"].as_str() {
        text.push_str(" (");
        text.push_str(detail);
        text.push(')');
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violations_are_the_requests_or_prisms_own_responses() {
        let header = r#"[{"location":["request","query","pagesize"],"severity":"Error","code":"type","message":"must be integer"},{"location":["response","body","count"],"severity":"Error","code":"type","message":"must be number"}]"#;
        let v = verdict(&[header.to_owned()]);
        assert_eq!(v.request, ["must be integer at request.query.pagesize"]);
        assert_eq!(v.response, ["must be number at response.body.count"]);
        let v = verdict(&["not json".to_owned()]);
        assert_eq!(
            v.request.len(),
            1,
            "an unreadable header counts against the request"
        );
    }

    #[test]
    fn prisms_own_errors_are_named() {
        let body = r#"{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422,"validation":[{"location":["query"],"severity":"Error","code":"required","message":"Request query must have required property 'limit'"}]}"#;
        assert_eq!(
            own_error(body).as_deref(),
            Some("UNPROCESSABLE_ENTITY: Invalid request (Request query must have required property 'limit')")
        );
        assert_eq!(own_error(r#"{"message":"Not Found"}"#), None);
        assert_eq!(own_error("<html>"), None);
    }

    #[test]
    fn only_references_outside_the_document_are_renamed() {
        let mut doc = serde_json::json!({
            "a": {"$ref": "#/components/schemas/A"},
            "examples": [{"$ref": "https://example.com/Users/1", "id": 1}]
        });
        inert_external_refs(&mut doc);
        assert_eq!(doc["a"]["$ref"], "#/components/schemas/A");
        assert_eq!(
            doc["examples"][0]["x-external-ref"],
            "https://example.com/Users/1"
        );
        assert!(doc["examples"][0].get("$ref").is_none());
    }
}
