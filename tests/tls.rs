//! TLS as the generated client does it, against a real TLS server on
//! 127.0.0.1 (tokio-rustls, with certificates from `fixtures/tls/`): the
//! roots it trusts, the certificate it shows for mutual TLS, and that no
//! process-wide crypto provider is installed behind the application's back.
//!
//! This file is a test binary of its own, so that nothing else in the
//! process installs a provider before the checks that none was.

use std::sync::{Arc, Mutex};

use genesys_cloud_tokens::rustls::crypto::CryptoProvider;
use genesys_cloud_tokens::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use genesys_cloud_tokens::{http_client_builder, Client, Error, Tls};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{RootCertStore, ServerConfig};
use tokio_rustls::TlsAcceptor;

const CA: &[u8] = include_bytes!("fixtures/tls/ca.der");
const SERVER: &[u8] = include_bytes!("fixtures/tls/server.der");
const SERVER_KEY: &[u8] = include_bytes!("fixtures/tls/server.key.der");
const CLIENT: &[u8] = include_bytes!("fixtures/tls/client.der");
const CLIENT_KEY: &[u8] = include_bytes!("fixtures/tls/client.key.der");

fn cert(der: &[u8]) -> CertificateDer<'static> {
    CertificateDer::from(der.to_vec())
}

fn key(der: &[u8]) -> PrivateKeyDer<'static> {
    PrivateKeyDer::from(PrivatePkcs8KeyDer::from(der.to_vec()))
}

fn ring() -> Arc<CryptoProvider> {
    Arc::new(tokio_rustls::rustls::crypto::ring::default_provider())
}

/// What the server saw of one connection.
#[derive(Debug, Default, Clone)]
struct Seen {
    /// The request line, when the handshake succeeded and a request came.
    request: Option<String>,
    /// The subject of the certificate the client showed, as DER length.
    client_certificate: Option<usize>,
    /// The handshake's error, when it failed.
    handshake_error: Option<String>,
}

/// A TLS server on 127.0.0.1 answering every request with the Tokens API's
/// idle timeout, requiring a client certificate from the test authority
/// when `mutual`. Returns its base URL and what it saw, connection by
/// connection.
async fn serve(mutual: bool) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let builder = ServerConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = if mutual {
        let mut roots = RootCertStore::empty();
        roots.add(cert(CA)).unwrap();
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), ring())
            .build()
            .unwrap();
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let config = builder
        .with_single_cert(vec![cert(SERVER), cert(CA)], key(SERVER_KEY))
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let mut seen = Seen::default();
                match acceptor.accept(tcp).await {
                    Err(e) => seen.handshake_error = Some(e.to_string()),
                    Ok(mut stream) => {
                        seen.client_certificate = stream
                            .get_ref()
                            .1
                            .peer_certificates()
                            .and_then(|c| c.first())
                            .map(|c| c.len());
                        let mut head = Vec::new();
                        let mut buf = [0u8; 1024];
                        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                            match stream.read(&mut buf).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => head.extend_from_slice(&buf[..n]),
                            }
                        }
                        let text = String::from_utf8_lossy(&head);
                        seen.request = text.lines().next().map(str::to_owned);
                        let body =
                            r#"{"enableIdleTokenTimeout":true,"idleTokenTimeoutSeconds":900}"#;
                        let response = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = stream.write_all(response.as_bytes()).await;
                        let _ = stream.shutdown().await;
                    }
                }
                log.lock().unwrap().push(seen);
            });
        }
    });
    (url, seen)
}

fn client(url: &str, tls: Tls) -> Client {
    Client::builder()
        .base_url(url)
        .access_token("t")
        .tls(tls)
        .build()
        .expect("the client builds")
}

/// The test authority's root, and no other.
fn test_roots() -> Tls {
    Tls::new()
        .without_platform_roots()
        .add_root_certificate(cert(CA))
}

/// The error's message and its sources, joined.
fn chain(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        text.push_str(" / ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The error of one call that must fail before any response: a transport
/// error, not retried.
async fn transport_error(client: &Client) -> Error {
    let error = client
        .tokens()
        .get_tokens_timeout()
        .retry(genesys_cloud_tokens::RetryPolicy::none())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    error
}

#[tokio::test]
async fn trusts_an_added_root_and_installs_no_process_wide_provider() {
    let (url, seen) = serve(false).await;
    let timeout = client(&url, test_roots())
        .tokens()
        .get_tokens_timeout()
        .await
        .unwrap();
    assert_eq!(timeout.idle_token_timeout_seconds, Some(900));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0].request.as_deref(),
        Some("GET /api/v2/tokens/timeout HTTP/1.1")
    );
    assert_eq!(seen[0].client_certificate, None);
    assert!(
        CryptoProvider::get_default().is_none(),
        "the client installed a process-wide crypto provider"
    );

    // A reqwest client of one's own, with the same settings.
    let http = http_client_builder()
        .tls_backend_preconfigured(test_roots().rustls_config().unwrap())
        .build()
        .unwrap();
    let own = Client::builder()
        .base_url(&url)
        .access_token("t")
        .http_client(http)
        .build()
        .unwrap();
    own.tokens().get_tokens_timeout().await.unwrap();
    assert!(CryptoProvider::get_default().is_none());
}

#[tokio::test]
async fn refuses_a_server_its_roots_do_not_vouch_for() {
    let (url, seen) = serve(false).await;
    // The operating system's roots do not include the test authority.
    let error = transport_error(&client(&url, Tls::new())).await;
    let text = chain(&error);
    assert!(
        text.contains("certificate") || text.contains("CA certificates"),
        "{text}"
    );
    // Another authority's root alone does not vouch for it either.
    let other = Tls::new()
        .without_platform_roots()
        .add_root_certificate(cert(CLIENT));
    let error = Client::builder()
        .base_url(&url)
        .access_token("t")
        .tls(other)
        .build();
    // The client's certificate is no authority: either the settings are
    // refused or the handshake is.
    if let Ok(c) = error {
        let e = transport_error(&c).await;
        assert!(chain(&e).contains("certificate"), "{}", chain(&e));
    }
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(seen.lock().unwrap().iter().all(|s| s.request.is_none()));
}

#[tokio::test]
async fn shows_its_certificate_for_mutual_tls() {
    let (url, seen) = serve(true).await;
    let with_identity = test_roots().client_identity(vec![cert(CLIENT)], key(CLIENT_KEY));
    assert!(!format!("{with_identity:?}").contains(&format!("{:?}", &CLIENT_KEY[..8])));
    client(&url, with_identity)
        .tokens()
        .get_tokens_timeout()
        .await
        .unwrap();
    assert_eq!(
        seen.lock().unwrap()[0].client_certificate,
        Some(CLIENT.len())
    );

    // Without one, the server ends the handshake.
    transport_error(&client(&url, test_roots())).await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[1].request.is_none(), "{seen:?}");
    assert!(seen[1].handshake_error.is_some(), "{seen:?}");
}

#[test]
fn settings_that_cannot_work_are_refused_when_the_client_is_built() {
    let error = Client::builder()
        .access_token("t")
        .tls(Tls::new().without_platform_roots())
        .build()
        .unwrap_err();
    assert!(
        error.to_string().contains("no root certificate is trusted"),
        "{error}"
    );
    let error = Client::builder()
        .access_token("t")
        .tls(test_roots().client_identity(vec![cert(CLIENT)], key(b"not a key")))
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("TLS settings"), "{error}");
}
