//! Client overhead: `get_tokens_me` through the generated client against the
//! same call made with plain reqwest + serde_json into a hand-written struct,
//! both against one tiny keep-alive HTTP/1.1 server on 127.0.0.1 that answers
//! every request with the same realistic `TokenInfo` body.
//!
//! `cargo bench -p codegen-tests --bench client [-- --calls N --rounds R]`
//! prints the median time per call of each and their ratio. Rounds alternate
//! between the two clients (after a warm-up of each), so drift on a shared
//! machine hits both alike. Without `--bench` (as `cargo test --benches` runs
//! it) it makes a few calls only, as a smoke test.

use genesys_cloud_tokens::{reqwest, Client};
use serde::Deserialize;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// A `TokenInfo` as the API returns it for a cloned user of an OAuth client.
const BODY: &str = r#"{
  "organization": {"id": "6cdc8f1e-0a2d-4a7e-9a0e-7f2d3f4b5c6d", "name": "Example Org", "selfUri": "/api/v2/organizations/6cdc8f1e-0a2d-4a7e-9a0e-7f2d3f4b5c6d"},
  "homeOrganization": {"id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "name": "Home Org", "selfUri": "/api/v2/organizations/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"},
  "authorizedScope": ["analytics", "authorization", "conversations", "routing:readonly", "users", "tokens", "oauth:readonly", "presence"],
  "clonedUser": {"id": "f0e1d2c3-b4a5-4968-8776-655443322110", "organization": {"id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"}},
  "dateTokenIdles": "2024-05-17T10:21:42.123Z",
  "OAuthClient": {
    "id": "0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b",
    "name": "Integration client",
    "dateCreated": "2023-01-12T08:00:00Z",
    "dateModified": "2024-04-30T16:45:10.500Z",
    "createdBy": {"id": "11111111-2222-4333-8444-555555555555", "selfUri": "/api/v2/users/11111111-2222-4333-8444-555555555555"},
    "modifiedBy": {"id": "66666666-7777-4888-9999-000000000000", "selfUri": "/api/v2/users/66666666-7777-4888-9999-000000000000"},
    "authorizedGrantType": "CLIENT-CREDENTIALS",
    "scope": ["analytics", "routing", "users"],
    "roleDivisions": [
      {"roleId": "9a8b7c6d-5e4f-4321-8765-43210fedcba9", "divisionId": "*"},
      {"roleId": "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b", "divisionId": "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6"}
    ],
    "state": "active",
    "organization": {"id": "6cdc8f1e-0a2d-4a7e-9a0e-7f2d3f4b5c6d", "name": "Example Org", "selfUri": "/api/v2/organizations/6cdc8f1e-0a2d-4a7e-9a0e-7f2d3f4b5c6d"}
  }
}"#;

// The hand-written equivalent of the generated models: the same fields, the
// same optionality and the same date parsing; enums are plain strings.

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct TokenInfo {
    organization: Option<NamedEntity>,
    #[serde(rename = "homeOrganization")]
    home_organization: Option<NamedEntity>,
    #[serde(rename = "authorizedScope")]
    authorized_scope: Option<Vec<String>>,
    #[serde(rename = "clonedUser")]
    cloned_user: Option<ClonedUser>,
    #[serde(rename = "dateTokenIdles")]
    date_token_idles: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(rename = "OAuthClient")]
    oauth_client: Option<OAuthClient>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct NamedEntity {
    id: Option<String>,
    name: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct ClonedUser {
    id: Option<String>,
    organization: Option<EntityRef>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct EntityRef {
    id: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct DomainEntityRef {
    id: Option<String>,
    name: Option<String>,
    #[serde(rename = "selfUri")]
    self_uri: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct RoleDivision {
    #[serde(rename = "roleId")]
    role_id: String,
    #[serde(rename = "divisionId")]
    division_id: String,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct OAuthClient {
    id: Option<String>,
    name: String,
    #[serde(rename = "dateCreated")]
    date_created: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(rename = "dateModified")]
    date_modified: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(rename = "createdBy")]
    created_by: Option<DomainEntityRef>,
    #[serde(rename = "modifiedBy")]
    modified_by: Option<DomainEntityRef>,
    #[serde(rename = "authorizedGrantType")]
    authorized_grant_type: String,
    scope: Option<Vec<String>>,
    #[serde(rename = "roleDivisions")]
    role_divisions: Option<Vec<RoleDivision>>,
    state: Option<String>,
    #[serde(rename = "dateToDelete")]
    date_to_delete: Option<chrono::DateTime<chrono::Utc>>,
    organization: Option<NamedEntity>,
}

/// Serves `BODY` to every request, on keep-alive connections, one thread each.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().unwrap();
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\ninin-correlation-id: bench\r\n\r\n{BODY}",
        BODY.len()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let response = response.clone();
            std::thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let mut writer = stream.try_clone().expect("clone the stream");
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                loop {
                    // The requests are GETs: headers only, up to a blank line.
                    loop {
                        line.clear();
                        match reader.read_line(&mut line) {
                            Ok(0) | Err(_) => return,
                            Ok(_) if line == "\r\n" => break,
                            Ok(_) => {}
                        }
                    }
                    if writer.write_all(response.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn median_f64(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bench = args.iter().any(|a| a == "--bench");
    let calls = arg(&args, "--calls", if bench { 1000 } else { 20 });
    let rounds = arg(&args, "--rounds", if bench { 31 } else { 1 });
    let base = serve();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let generated = Client::builder()
            .base_url(&base)
            .access_token("bench-token")
            .build()
            .expect("a client");
        let plain = reqwest::Client::builder().build().expect("a reqwest client");
        let url = format!("{base}/api/v2/tokens/me");

        let generated_call = || async {
            let info = generated.tokens().get_tokens_me().await.expect("the call");
            assert!(info.oauth_client.is_some());
        };
        let plain_call = || async {
            let response = plain
                .get(&url)
                .bearer_auth("bench-token")
                .send()
                .await
                .expect("the call");
            assert!(response.status().is_success());
            let bytes = response.bytes().await.expect("the body");
            let info: TokenInfo = serde_json::from_slice(&bytes).expect("a TokenInfo");
            assert!(info.oauth_client.is_some());
        };

        // Warm-up: connections, pools, caches.
        for _ in 0..calls.min(500) {
            generated_call().await;
            plain_call().await;
        }
        let (mut gen_times, mut plain_times) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            // Alternate which goes first, so neither always follows the other.
            for which in [round % 2, 1 - round % 2] {
                let start = Instant::now();
                for _ in 0..calls {
                    if which == 0 {
                        generated_call().await;
                    } else {
                        plain_call().await;
                    }
                }
                let per_call = start.elapsed() / calls as u32;
                if which == 0 {
                    gen_times.push(per_call);
                } else {
                    plain_times.push(per_call);
                }
            }
        }
        // Each round's ratio compares calls made moments apart; their median
        // is steadier than the ratio of the medians on a shared machine.
        let ratios: Vec<f64> = gen_times
            .iter()
            .zip(&plain_times)
            .map(|(g, p)| g.as_secs_f64() / p.as_secs_f64())
            .collect();
        let ratio = median_f64(ratios);
        let (g, p) = (median(gen_times), median(plain_times));
        println!(
            "client overhead: {rounds} rounds x {calls} calls of get_tokens_me ({} byte TokenInfo) on 127.0.0.1",
            BODY.len()
        );
        println!("generated client: {:.1} µs/call (median)", g.as_secs_f64() * 1e6);
        println!("plain reqwest + serde_json: {:.1} µs/call (median)", p.as_secs_f64() * 1e6);
        println!("ratio: {ratio:.3} (median of the rounds' ratios)");
    });
}
