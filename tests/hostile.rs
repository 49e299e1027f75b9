//! The generated client against broken and hostile servers: raw TCP
//! listeners on 127.0.0.1 that answer byte by byte as each test says (never
//! sending headers, trickling bodies, lying about framing, redirecting to a
//! second listener, flooding, handing out unusable tokens).
//!
//! What must hold whatever a server sends: no panic; credentials and bodies
//! stay on their origin; memory stays bounded; one token request serves
//! every call waiting for it; errors say what happened without repeating
//! unbounded input. Every server stops when its test ends, every loop is
//! bounded, and memory is measured with a counting allocator on the test's
//! own thread (the client runs on a current-thread runtime).

#[path = "hostile/memory.rs"]
mod memory;
#[path = "hostile/raw.rs"]
mod raw;

use std::sync::Arc;
use std::time::{Duration, Instant};

use genesys_cloud_tokens::models::IdleTokenTimeout;
use genesys_cloud_tokens::{
    Client, ClientBuilder, Credentials, Error, RedirectPolicy, RetryPolicy, TimeoutKind,
};
use memory::{peak_during, MIB};
use raw::{After, Conn, RawServer, Received};
use serde_json::{json, Value};

#[global_allocator]
static ALLOCATOR: memory::Counting = memory::Counting;

const TOKEN_PATH: &str = "/login/oauth/token";
const ME: &str = "/api/v2/tokens/me";
const TIMEOUT_PATH: &str = "/api/v2/tokens/timeout";
const GIB: u64 = 1024 * MIB;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A current-thread runtime: everything the client allocates is counted on
/// the calling thread.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// A client pointed at `server` (logins under `/login`), with tiny waits.
fn builder(server: &RawServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.url())
        .login_url(format!("{}/login", server.url()))
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .default_delay(ms(10))
                .backoff(ms(10), ms(20)),
        )
        .timeout(ms(2000))
        .total_timeout(ms(5000))
}

fn token_json(token: &str, expires_in: Value) -> Value {
    json!({ "access_token": token, "token_type": "bearer", "expires_in": expires_in })
}

/// A server whose token endpoint answers `token` and whose API answers `{}`.
fn login_server(token: Value) -> RawServer {
    RawServer::start(move |request, conn| {
        if request.path() == TOKEN_PATH {
            conn.json(200, &token)
        } else {
            conn.json(200, &json!({}))
        }
    })
}

fn timeout_body() -> IdleTokenTimeout {
    IdleTokenTimeout::new()
        .with_enable_idle_token_timeout(true)
        .with_idle_token_timeout_seconds(900)
}

fn put_timeout(client: &Client) -> Result<IdleTokenTimeout, Error> {
    block_on(
        client
            .tokens()
            .put_tokens_timeout()
            .body(timeout_body())
            .send(),
    )
}

fn get_me(client: &Client) -> Result<(), Error> {
    block_on(async { client.tokens().get_tokens_me().await.map(drop) })
}

/// A second origin that records what reaches it and hands out a token.
fn elsewhere() -> Arc<RawServer> {
    Arc::new(RawServer::start(|_, conn| {
        conn.json(200, &token_json("stolen-origin-token", json!(3600)))
    }))
}

/// A server whose token endpoint redirects with `status` to the token
/// endpoint of `evil`, and whose API answers `{}`.
fn redirecting_login(status: u16, evil: &RawServer) -> RawServer {
    let target = format!("{}/oauth/token", evil.url());
    RawServer::start(move |request, conn| {
        if request.path() == TOKEN_PATH {
            conn.respond(status, &[("Location", &target)], b"")
        } else {
            conn.json(200, &json!({}))
        }
    })
}

// ---------------------------------------------------------------------------
// Durations and counts from the wire saturate
// ---------------------------------------------------------------------------

#[test]
fn huge_token_lifetimes_do_not_panic_later_calls() {
    for expires_in in [
        json!(i64::MAX),
        json!(u64::MAX),
        json!(1e300),
        json!("1e400"),
        json!("18446744073709551615000"),
    ] {
        let server = login_server(token_json("long", expires_in.clone()));
        let client = builder(&server)
            .client_credentials("id", "secret")
            .build()
            .unwrap();
        for _ in 0..3 {
            get_me(&client).unwrap_or_else(|e| panic!("expires_in {expires_in}: {e}"));
        }
        assert_eq!(server.received_at(TOKEN_PATH).len(), 1, "{expires_in}");
    }
}

#[test]
fn huge_retry_after_values_are_not_waited_and_do_not_panic() {
    for retry_after in [
        "18446744073709551615",
        "9223372036854775808",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let server = RawServer::start(move |_, conn| {
            conn.respond(429, &[("Retry-After", retry_after)], b"{}")
        });
        let client = builder(&server)
            .access_token("t")
            .retry(RetryPolicy::default().max_retry_after(Duration::MAX))
            .total_timeout(Duration::MAX)
            .timeout(Duration::MAX)
            .build()
            .unwrap();
        let started = Instant::now();
        let err = get_me(&client).unwrap_err();
        assert_eq!(err.status(), Some(429), "{retry_after}: {err}");
        assert!(started.elapsed() < ms(2000), "{retry_after}: waited");
        assert_eq!(server.received().len(), 1, "{retry_after}");
        let api = err.api_error().unwrap();
        assert!(api.retry_after.is_some(), "{retry_after}");
    }
}

// ---------------------------------------------------------------------------
// Credentials never leave their origin
// ---------------------------------------------------------------------------

#[test]
fn token_requests_follow_no_redirect() {
    for status in [301u16, 302, 303, 307, 308] {
        for credentials in [
            Credentials::authorization_code("id", "secret", "the-code", "https://app/cb"),
            Credentials::refresh_token("id", "secret", "the-refresh-token"),
            Credentials::client_credentials("id", "the-secret"),
        ] {
            let evil = elsewhere();
            let server = redirecting_login(status, &evil);
            let client = builder(&server).credentials(credentials).build().unwrap();
            let err = get_me(&client).unwrap_err();
            let Error::Auth(auth) = &err else {
                panic!("{status}: expected Error::Auth, got {err:?}")
            };
            assert_eq!(auth.status, Some(status));
            assert!(auth.message.contains("follow no redirects"), "{err}");
            assert!(
                evil.received().is_empty(),
                "{status}: the redirect was followed"
            );
            assert!(
                server.received_at(ME).is_empty(),
                "no API call without a token"
            );
        }
    }
}

#[test]
fn a_custom_http_client_that_follows_redirects_cannot_bring_back_a_foreign_token() {
    let evil = elsewhere();
    let server = redirecting_login(307, &evil);
    // A client whose reqwest follows redirects itself (the default of reqwest).
    let http = genesys_cloud_tokens::http_client_builder()
        .redirect(genesys_cloud_tokens::reqwest::redirect::Policy::limited(5))
        .build()
        .unwrap();
    let client = builder(&server)
        .http_client(http)
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    let err = get_me(&client).unwrap_err();
    assert!(
        matches!(&err, Error::Auth(a) if a.message.contains("http_client_builder")),
        "{err:?}"
    );
    assert!(
        server.received_at(ME).is_empty(),
        "the foreign token was used"
    );
}

#[test]
fn a_write_redirected_into_a_get_is_an_error() {
    for status in [301u16, 302, 303] {
        let server = RawServer::start(move |request, conn| {
            if request.method == "PUT" {
                conn.respond(status, &[("Location", ME)], b"")
            } else {
                conn.json(200, &json!({}))
            }
        });
        let client = builder(&server).access_token("t").build().unwrap();
        let err = put_timeout(&client).unwrap_err();
        let Error::Redirect {
            status: got,
            reason,
            ..
        } = &err
        else {
            panic!("{status}: expected Error::Redirect, got {err:?}")
        };
        assert_eq!(*got, status);
        assert!(reason.contains("GET"), "{err}");
        let methods: Vec<String> = server.received().into_iter().map(|r| r.method).collect();
        assert_eq!(methods, ["PUT"], "{status}");
    }
}

#[test]
fn bodies_are_never_sent_to_another_origin() {
    for status in [307u16, 308] {
        for policy in [RedirectPolicy::default(), RedirectPolicy::any_origin(5)] {
            let other = elsewhere();
            let target = format!("{}{TIMEOUT_PATH}", other.url());
            let server = RawServer::start(move |_, conn| {
                conn.respond(status, &[("Location", &target)], b"")
            });
            let client = builder(&server)
                .access_token("t")
                .redirects(policy.clone())
                .build()
                .unwrap();
            let err = put_timeout(&client).unwrap_err();
            assert!(
                matches!(&err, Error::Redirect { reason, .. } if reason.contains("another origin")),
                "{status} {policy:?}: {err:?}"
            );
            assert!(other.received().is_empty(), "{status} {policy:?}");
        }
    }
}

#[test]
fn reads_follow_other_origins_only_when_allowed_and_then_without_credentials() {
    let other = Arc::new(RawServer::start(|_, conn| conn.json(200, &json!({}))));
    let target = format!("{}{ME}", other.url());
    let server = RawServer::start(move |_, conn| conn.respond(302, &[("Location", &target)], b""));

    let client = builder(&server)
        .access_token("secret-token")
        .build()
        .unwrap();
    let err = get_me(&client).unwrap_err();
    assert!(
        matches!(err, Error::Redirect { status: 302, .. }),
        "{err:?}"
    );
    assert!(other.received().is_empty());

    let client = builder(&server)
        .access_token("secret-token")
        .redirects(RedirectPolicy::any_origin(5))
        .build()
        .unwrap();
    block_on(
        client
            .tokens()
            .get_tokens_me()
            .header("Cookie", "session=secret-cookie")
            .header("X-Trace", "kept")
            .send(),
    )
    .unwrap();
    let arrived = other.received();
    assert_eq!(arrived.len(), 1);
    assert_eq!(arrived[0].header("authorization"), None);
    assert_eq!(arrived[0].header("cookie"), None);
    assert_eq!(arrived[0].header("x-trace"), Some("kept"));
    assert_eq!(
        server.received()[0].header("authorization"),
        Some("Bearer secret-token")
    );
}

#[test]
fn same_origin_redirects_keep_method_body_and_credentials() {
    let server = RawServer::start(|request, conn| match request.path() {
        TIMEOUT_PATH => conn.respond(307, &[("Location", "/moved/timeout")], b""),
        _ => conn.json(200, &json!({"enableIdleTokenTimeout": true})),
    });
    let client = builder(&server).access_token("t").build().unwrap();
    put_timeout(&client).unwrap();
    let requests = server.received();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "PUT");
    assert_eq!(requests[1].path(), "/moved/timeout");
    assert_eq!(requests[1].body, requests[0].body);
    assert_eq!(requests[1].header("authorization"), Some("Bearer t"));
}

#[test]
fn redirect_loops_end() {
    let server = RawServer::start(|request, conn| {
        let next = format!("/loop/{}", request.target.len());
        conn.respond(302, &[("Location", &next)], b"")
    });
    let client = builder(&server).access_token("t").build().unwrap();
    let err = get_me(&client).unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { reason, .. } if reason.contains("too many")),
        "{err:?}"
    );
    assert_eq!(server.received().len(), 6, "the request and 5 redirects");
}

// ---------------------------------------------------------------------------
// Bounded memory
// ---------------------------------------------------------------------------

/// A server answering every request with `status` and a 1 GiB body, with a
/// `Content-Length` or chunked.
fn flood_server(status: u16, announced: bool) -> RawServer {
    RawServer::start(move |_, conn| {
        conn.flood(status, announced.then_some(GIB), GIB);
        After::Close
    })
}

#[test]
fn a_body_over_the_limit_is_refused_while_it_is_read() {
    for (announced, limit) in [(true, None), (false, None), (false, Some(MIB))] {
        let server = flood_server(200, announced);
        let mut builder = builder(&server)
            .access_token("t")
            .retry(RetryPolicy::none());
        if let Some(limit) = limit {
            builder = builder.max_response_size(limit);
        }
        let client = builder.build().unwrap();
        let (result, peak) = peak_during(|| get_me(&client));
        let err = result.unwrap_err();
        let expected = limit.unwrap_or(64 * MIB);
        assert!(
            matches!(&err, Error::ResponseTooLarge { status: 200, limit: got, .. } if *got == expected),
            "{err:?}"
        );
        assert!(
            peak < expected + 8 * MIB,
            "announced {announced}, limit {expected}: peak {} MiB",
            peak / MIB
        );
        assert!(err.to_string().contains("larger than the limit"), "{err}");
    }
}

#[test]
fn a_huge_error_body_is_kept_up_to_64_kib() {
    for announced in [true, false] {
        let server = flood_server(500, announced);
        let client = builder(&server).access_token("t").build().unwrap();
        let (result, peak) = peak_during(|| get_me(&client));
        let err = result.unwrap_err();
        let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(api.status, 500);
        assert_eq!(api.raw_body.len(), 64 * 1024);
        assert!(api.raw_body_truncated);
        assert!(peak < 4 * MIB, "peak {} KiB", peak / 1024);
        assert!(err.to_string().len() < 600, "{}", err.to_string().len());
    }
}

#[test]
fn a_huge_token_response_is_refused() {
    let server = RawServer::start(|request, conn| {
        if request.path() == TOKEN_PATH {
            conn.flood(200, None, GIB);
            After::Close
        } else {
            conn.json(200, &json!({}))
        }
    });
    let client = builder(&server)
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    let (result, peak) = peak_during(|| get_me(&client));
    let err = result.unwrap_err();
    assert!(
        matches!(&err, Error::Auth(a) if a.message.contains("larger than 256 KiB")),
        "{err:?}"
    );
    assert!(peak < 4 * MIB, "peak {} KiB", peak / 1024);
}

// ---------------------------------------------------------------------------
// One token request per renewal
// ---------------------------------------------------------------------------

fn multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

#[test]
fn calls_waiting_for_a_failing_login_share_its_one_token_request() {
    let server = RawServer::start(|request, conn| {
        if request.path() == TOKEN_PATH {
            conn.pause(ms(100));
            conn.json(400, &json!({"error": "invalid_client"}))
        } else {
            conn.json(200, &json!({}))
        }
    });
    let client = builder(&server)
        .client_credentials("id", "secret")
        .retry(RetryPolicy::default().backoff(ms(300), ms(300)))
        .build()
        .unwrap();
    let started = Instant::now();
    let errors = multi_thread().block_on(async {
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { client.tokens().get_tokens_me().await.unwrap_err() })
            })
            .collect();
        let mut errors = Vec::new();
        for task in tasks {
            errors.push(task.await.unwrap());
        }
        errors
    });
    assert_eq!(server.received_at(TOKEN_PATH).len(), 1);
    assert!(started.elapsed() < ms(1000), "{:?}", started.elapsed());
    for err in errors {
        assert!(
            matches!(&err, Error::Auth(a) if a.error.as_deref() == Some("invalid_client")),
            "{err:?}"
        );
    }
    assert!(server.received_at(ME).is_empty());
}

#[test]
fn after_a_failed_login_the_next_token_request_waits_its_backoff() {
    let server = RawServer::start(|request, conn| {
        if request.path() == TOKEN_PATH && conn.index == 0 {
            conn.json(503, &json!({}))
        } else if request.path() == TOKEN_PATH {
            conn.json(200, &token_json("second", json!(3600)))
        } else {
            conn.json(200, &json!({}))
        }
    });
    // Backoff between 100 and 200 ms (jittered).
    let client = builder(&server)
        .client_credentials("id", "secret")
        .retry(RetryPolicy::default().backoff(ms(200), ms(200)))
        .build()
        .unwrap();
    assert!(get_me(&client).is_err());
    get_me(&client).unwrap();
    let tokens = server.received_at(TOKEN_PATH);
    assert_eq!(tokens.len(), 2);
    let gap = tokens[1].at.duration_since(tokens[0].at);
    assert!(
        gap >= ms(95),
        "the second token request came {gap:?} after the first"
    );
    assert_eq!(server.received_at(ME).len(), 1);
}

#[test]
fn a_call_that_cannot_outwait_the_backoff_gets_the_failure_at_once() {
    let server = RawServer::start(|request, conn| {
        if request.path() == TOKEN_PATH {
            conn.json(503, &json!({}))
        } else {
            conn.json(200, &json!({}))
        }
    });
    let client = builder(&server)
        .client_credentials("id", "secret")
        .retry(RetryPolicy::default().backoff(ms(10_000), ms(10_000)))
        .total_timeout(ms(1000))
        .build()
        .unwrap();
    for _ in 0..5 {
        let err = get_me(&client).unwrap_err();
        assert!(
            matches!(&err, Error::Auth(a) if a.status == Some(503)),
            "{err:?}"
        );
    }
    assert_eq!(server.received_at(TOKEN_PATH).len(), 1);
}

#[test]
fn a_failing_early_renewal_is_not_retried_on_every_call() {
    let server = RawServer::start(|request, conn| {
        if request.path() == TOKEN_PATH && conn.index == 0 {
            // Renewed half-way through: after 500 ms.
            conn.json(200, &token_json("first", json!(1.0)))
        } else if request.path() == TOKEN_PATH {
            conn.json(503, &json!({}))
        } else {
            conn.json(200, &json!({}))
        }
    });
    let client = builder(&server)
        .client_credentials("id", "secret")
        .retry(RetryPolicy::default().backoff(ms(5_000), ms(5_000)))
        .build()
        .unwrap();
    get_me(&client).unwrap();
    std::thread::sleep(ms(550));
    for _ in 0..10 {
        get_me(&client).unwrap();
    }
    assert_eq!(server.received_at(TOKEN_PATH).len(), 2);
    assert_eq!(server.received_at(ME).len(), 11);
}

// ---------------------------------------------------------------------------
// Token responses: lenient lifetimes, unusable tokens
// ---------------------------------------------------------------------------

#[test]
fn expires_in_is_read_leniently() {
    for expires_in in [
        json!(-1),
        json!(0),
        json!(0.25),
        json!(3.7e-264),
        json!(3600.5),
        json!("3600"),
        json!(" 3600 "),
        json!("soon"),
        json!(null),
        json!(true),
        json!({"seconds": 3600}),
        json!([3600]),
    ] {
        let server = login_server(token_json("tok", expires_in.clone()));
        let client = builder(&server)
            .client_credentials("id", "secret")
            .build()
            .unwrap();
        for _ in 0..3 {
            get_me(&client).unwrap_or_else(|e| panic!("expires_in {expires_in}: {e}"));
        }
        assert_eq!(
            server.received_at(TOKEN_PATH).len(),
            1,
            "expires_in {expires_in}: one login for three calls"
        );
    }
}

#[test]
fn a_token_that_cannot_be_sent_is_an_auth_error_and_is_not_kept() {
    for bad in ["line\r\nbreak", "", "nul\0byte"] {
        let server = RawServer::start(move |request, conn| {
            if request.path() == TOKEN_PATH && conn.index == 0 {
                conn.json(200, &token_json(bad, json!(3600)))
            } else if request.path() == TOKEN_PATH {
                conn.json(200, &token_json("good", json!(3600)))
            } else {
                conn.json(200, &json!({}))
            }
        });
        let client = builder(&server)
            .client_credentials("id", "secret")
            .build()
            .unwrap();
        let err = get_me(&client).unwrap_err();
        let Error::Auth(auth) = &err else {
            panic!("{bad:?}: expected Error::Auth, got {err:?}")
        };
        assert!(auth.message.contains("access token"), "{err}");
        assert!(!err.to_string().contains(bad) || bad.is_empty(), "{err}");
        get_me(&client).unwrap();
        assert_eq!(server.received_at(TOKEN_PATH).len(), 2, "{bad:?}");
        assert_eq!(
            server.received_at(ME)[0].header("authorization"),
            Some("Bearer good")
        );
    }
}

// ---------------------------------------------------------------------------
// Per-call headers cannot frame or route the request
// ---------------------------------------------------------------------------

#[test]
fn framing_and_routing_headers_are_refused_per_call() {
    let server = RawServer::start(|_, conn| conn.respond(204, &[], b""));
    let client = builder(&server).access_token("t").build().unwrap();
    for (name, value) in [
        ("Host", "evil.example"),
        ("Content-Length", "100"),
        ("transfer-encoding", "chunked"),
        ("Connection", "close"),
        ("Keep-Alive", "timeout=5"),
        ("Upgrade", "websocket"),
        ("TE", "trailers"),
        ("Trailer", "X-Sum"),
        ("Expect", "100-continue"),
        ("Proxy-Connection", "keep-alive"),
    ] {
        let started = Instant::now();
        let err = block_on(
            client
                .tokens()
                .delete_tokens_me()
                .header(name, value)
                .send(),
        )
        .unwrap_err();
        assert!(started.elapsed() < ms(500), "{name}");
        let Error::InvalidRequest { message, .. } = &err else {
            panic!("{name}: expected Error::InvalidRequest, got {err:?}")
        };
        assert!(
            message.contains(&name.to_ascii_lowercase()),
            "{name}: {message}"
        );
    }
    assert!(server.received().is_empty());
    let long_name = "X".repeat(1 << 20) + " ";
    let err = block_on(
        client
            .tokens()
            .delete_tokens_me()
            .header(&long_name, "v")
            .send(),
    )
    .unwrap_err();
    assert!(err.to_string().len() < 600, "{}", err.to_string().len());
}

// ---------------------------------------------------------------------------
// Errors say what happened
// ---------------------------------------------------------------------------

#[test]
fn attempt_timeouts_say_what_was_going_on() {
    let server = RawServer::start(|request, conn| {
        if request.path() == TIMEOUT_PATH {
            // The head, then one byte of the body every 50 ms.
            if conn
                .write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                .is_ok()
            {
                for _ in 0..100 {
                    conn.pause(ms(50));
                    if conn.write(b" ").is_err() {
                        break;
                    }
                }
            }
        } else {
            // No head at all.
            conn.pause(ms(3000));
        }
        After::Close
    });
    let client = builder(&server)
        .access_token("t")
        .timeout(ms(300))
        .build()
        .unwrap();
    let err = get_me(&client).unwrap_err();
    assert!(err.is_timeout());
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                during: "waiting for the response",
                attempt: 1,
                max_attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "getTokensMe: attempt 1 of 3 timed out after 300 ms waiting for the response"
    );

    let err = block_on(client.tokens().get_tokens_timeout().send()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "getTokensTimeout: attempt 1 of 3 timed out after 300 ms reading the response body"
    );

    let login = builder(&server)
        .client_credentials("id", "secret")
        .timeout(ms(300))
        .build()
        .unwrap();
    let err = get_me(&login).unwrap_err();
    assert!(err.is_timeout(), "a login timeout is a timeout: {err:?}");
    assert!(
        matches!(&err, Error::Auth(a) if a.timeout == Some(ms(300))),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "client_credentials login failed: the token request timed out after 300 ms waiting for the response"
    );
}

#[test]
fn broken_framing_is_a_transport_error_that_says_so() {
    let server = RawServer::start(|request, conn| {
        if request.path() == ME {
            // Promises 100 bytes, sends 10, hangs up.
            let _ = conn.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":1234}");
        } else {
            let _ = conn.write(b"HTTP/1.1 twohundred OK\r\n\r\n");
        }
        After::Close
    });
    let client = builder(&server).access_token("t").build().unwrap();
    let err = get_me(&client).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                during: "reading the response body",
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(!text.contains("127.0.0.1"), "{text}");

    let err = block_on(client.tokens().get_tokens_timeout().send()).unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.to_string().contains("127.0.0.1"), "{err}");
}

#[test]
fn no_message_repeats_unbounded_input() {
    let huge = "x".repeat(1 << 20);
    let server = {
        let huge = huge.clone();
        RawServer::start(move |request, conn| {
            if request.path() == TOKEN_PATH {
                conn.json(
                    400,
                    &json!({"error": huge.clone(), "error_description": huge.clone()}),
                )
            } else if request.path() == ME {
                conn.respond(
                    500,
                    &[("ININ-Correlation-Id", &huge[..60_000])],
                    json!({"message": huge.clone()}).to_string().as_bytes(),
                )
            } else {
                After::Close
            }
        })
    };
    let client = builder(&server).access_token("t").build().unwrap();

    // A 1 MiB path parameter: the server hangs up on it.
    let err = block_on(client.tokens().delete_token(huge.clone()).send()).unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.to_string().len() < 1000, "{}", err.to_string().len());

    let err = get_me(&client).unwrap_err();
    assert!(err.to_string().len() < 1000, "{}", err.to_string().len());
    assert!(err.correlation_id().is_some_and(|id| id.len() <= 256));

    let login = builder(&server)
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    let err = get_me(&login).unwrap_err();
    assert!(err.to_string().len() < 2000, "{}", err.to_string().len());
}

// ---------------------------------------------------------------------------
// Any answer at all
// ---------------------------------------------------------------------------

mod any_answer {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::FileFailurePersistence;

    /// What the API answers.
    #[derive(Debug, Clone)]
    struct Answer {
        status: u16,
        retry_after: Option<String>,
        location: Option<String>,
        body: Vec<u8>,
    }

    fn header_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<u64>().prop_map(|n| n.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_map(|n| n.to_string()),
            Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
            Just("Thu, 01 Jan 1970 00:00:00 GMT".to_owned()),
            Just("0".to_owned()),
            "[ -~]{0,40}",
        ]
    }

    fn answer() -> impl Strategy<Value = Answer> {
        (
            prop_oneof![
                3 => prop::sample::select(vec![200u16, 204, 301, 302, 303, 307, 308, 401, 429, 500, 503]),
                1 => 100u16..1000,
            ],
            prop::option::of(header_text()),
            prop::option::of(prop_oneof![
                Just(ME.to_owned()),
                Just("http://127.0.0.1:1/elsewhere".to_owned()),
                Just("//evil.example/x".to_owned()),
                "[ -~]{0,30}",
            ]),
            prop_oneof![
                Just(b"{}".to_vec()),
                Just(Vec::new()),
                prop::collection::vec(any::<u8>(), 0..512),
            ],
        )
            .prop_map(|(status, retry_after, location, body)| Answer {
                status,
                retry_after,
                location,
                body,
            })
    }

    fn token_answer() -> impl Strategy<Value = Value> {
        let expires_in = prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            header_text().prop_map(Value::from),
            Just(Value::Null),
            Just(json!({})),
        ];
        let token = prop_oneof![Just("tok".to_owned()), "[\\x00-\\x7f]{0,20}", "\\PC{0,10}",];
        (token, expires_in, any::<bool>()).prop_map(|(token, expires_in, refresh)| {
            let mut body = token_json(&token, expires_in);
            if refresh {
                body["refresh_token"] = json!("r");
            }
            body
        })
    }

    /// 48 random answers, or `PROPTEST_CASES`.
    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(48)
    }

    fn respond(conn: &mut Conn, answer: &Answer) -> After {
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(v) = &answer.retry_after {
            headers.push(("Retry-After", v));
        }
        if let Some(v) = &answer.location {
            headers.push(("Location", v));
        }
        conn.respond(answer.status, &headers, &answer.body)
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: cases(),
            // Beside this file: tests/hostile.proptest-regressions.
            failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
            ..ProptestConfig::default()
        })]

        #[test]
        fn no_answer_panics_the_client_or_escapes_its_bounds(
            answer in answer(),
            token in token_answer(),
            login in any::<bool>(),
        ) {
            let server = {
                let answer = answer.clone();
                let token = token.clone();
                RawServer::start(move |request: &Received, conn| {
                    if request.path() == TOKEN_PATH {
                        conn.json(200, &token)
                    } else {
                        respond(conn, &answer)
                    }
                })
            };
            let builder = builder(&server)
                .retry(RetryPolicy::default().max_attempts(3).default_delay(ms(5)).backoff(ms(5), ms(10)).max_retry_after(Duration::MAX))
                .timeout(ms(400))
                .total_timeout(ms(600));
            let builder = if login { builder.client_credentials("id", "secret") } else { builder.access_token("t") };
            let client = builder.build().unwrap();
            let started = Instant::now();
            let (result, peak) = peak_during(|| {
                block_on(async {
                    let first = client.tokens().get_tokens_me().await.map(drop);
                    let second = client.tokens().put_tokens_timeout().body(timeout_body()).await.map(drop);
                    (first, second)
                })
            });
            let _ = result;
            prop_assert!(started.elapsed() < ms(2500), "took {:?}", started.elapsed());
            prop_assert!(peak < 4 * MIB, "peak {} KiB", peak / 1024);
            let api = server.received().iter().filter(|r| r.path() != TOKEN_PATH).count();
            let tokens = server.received_at(TOKEN_PATH).len();
            // Two calls: 3 attempts, one renewal, 5 redirects per attempt.
            prop_assert!(api <= 2 * 4 * 6, "{} API requests", api);
            prop_assert!(tokens <= 2 * 2, "{} token requests", tokens);
        }
    }
}
