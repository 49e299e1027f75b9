//! Tests of the generated client's runtime (`runtime/`, as a generated crate carries it:
//! hosts and regions, logins, the token cache, retries, timeouts, hooks and
//! tracing) against a real HTTP server on 127.0.0.1 (wiremock).
//!
//! Every delay is configured in tens of milliseconds; the file runs in a few
//! seconds. Login URLs carry a `/login` path prefix, so token requests go to
//! `/login/oauth/token`; a login URL without a path (every region's) is
//! covered by its own tests.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use genesys_cloud_tokens::models::IdleTokenTimeout;
use genesys_cloud_tokens::reqwest::header::{HeaderMap, HeaderValue};
use genesys_cloud_tokens::secrecy::ExposeSecret;
use genesys_cloud_tokens::{
    AuthorizeUrl, Client, ClientBuilder, Credentials, Error, Gateway, Hooks, Pkce, Region,
    RetryPolicy, TimeoutKind, UnknownRegion, DEFAULT_BASE_URL,
};
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The path prefix of the login URL the tests give the client.
const LOGIN: &str = "/login";
const TOKEN_PATH: &str = "/login/oauth/token";
const ME: &str = "/api/v2/tokens/me";
const TIMEOUT_PATH: &str = "/api/v2/tokens/timeout";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The generated crate's version, as its `Cargo.toml` says.
fn crate_version() -> &'static str {
    include_str!("../generated/Cargo.toml")
        .lines()
        .find_map(|line| {
            line.strip_prefix("version = \"")
                .and_then(|rest| rest.strip_suffix('"'))
        })
        .expect("generated/Cargo.toml has a version")
}

/// A retry policy whose waits are all tiny.
fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .default_delay(ms(10))
        .backoff(ms(10), ms(20))
        .max_retry_after(ms(1500))
}

/// A builder pointed at `server` for API calls and at `server` + [`LOGIN`]
/// for logins, with fast retries and short timeouts.
fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .login_url(format!("{}{LOGIN}", server.uri()))
        .retry(fast_retry())
        .timeout(ms(2000))
        .total_timeout(ms(4000))
}

fn client_credentials_client(server: &MockServer) -> Client {
    builder(server)
        .client_credentials("cid", "csecret")
        .build()
        .expect("the client builds")
}

fn access_token_client(server: &MockServer, token: &str) -> Client {
    builder(server)
        .access_token(token)
        .build()
        .expect("the client builds")
}

/// A token endpoint answer.
fn token_response(token: &str, expires_in: Option<u64>, refresh: Option<&str>) -> ResponseTemplate {
    let mut body = json!({ "access_token": token, "token_type": "bearer" });
    if let Some(expires_in) = expires_in {
        body["expires_in"] = json!(expires_in);
    }
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// How long [`short_lived`] tokens live (the shortest lifetime the client
/// takes at its word): they are stale after [`STALE`].
const SHORT_LIFE: f64 = 1.0;
const STALE: Duration = Duration::from_millis(1050);

/// A token endpoint answer whose token expires [`SHORT_LIFE`] seconds after
/// it is issued.
fn short_lived(token: &str, refresh: Option<&str>) -> ResponseTemplate {
    let mut body = json!({ "access_token": token, "expires_in": SHORT_LIFE });
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// `POST /login/oauth/token`, whatever the body.
fn token_endpoint() -> MockBuilder {
    Mock::given(method("POST")).and(path(TOKEN_PATH))
}

/// `POST /login/oauth/token` answering `token`, valid for an hour.
fn token_mock(token: &str) -> Mock {
    token_endpoint().respond_with(token_response(token, Some(3600), None))
}

/// `GET /api/v2/tokens/me` with `Bearer token` answering 200.
fn me_ok(token: &str) -> Mock {
    Mock::given(method("GET"))
        .and(path(ME))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
}

/// `GET /api/v2/tokens/me` with `Bearer token` answering 401.
fn me_unauthorized(token: &str) -> Mock {
    Mock::given(method("GET"))
        .and(path(ME))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "message": "Invalid login credentials.",
            "code": "bad.credentials",
            "status": 401
        })))
}

fn me_status(status: u16) -> Mock {
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({})))
}

async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is enabled")
}

async fn received_at(server: &MockServer, p: &str) -> Vec<Request> {
    received(server)
        .await
        .into_iter()
        .filter(|r| r.url.path() == p)
        .collect()
}

fn header_of<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("an ASCII header"))
}

fn body_text(request: &Request) -> String {
    String::from_utf8(request.body.clone()).expect("a UTF-8 body")
}

/// The form fields of a request body, each name once.
fn form(request: &Request) -> BTreeMap<String, String> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&request.body).into_owned().collect();
    let fields: BTreeMap<String, String> = pairs.iter().cloned().collect();
    assert_eq!(
        fields.len(),
        pairs.len(),
        "a form field appears twice: {pairs:?}"
    );
    fields
}

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// Checks a token request's method, headers and form fields.
fn assert_token_request(request: &Request, authorization: Option<&str>, expected: &[(&str, &str)]) {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), TOKEN_PATH);
    assert_eq!(request.url.query(), None);
    assert_eq!(header_of(request, "authorization"), authorization);
    assert_eq!(
        header_of(request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        form(request),
        fields(expected),
        "body: {}",
        body_text(request)
    );
}

/// A URL on 127.0.0.1 where nothing listens.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("an address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Hooks that record what they see and add `x-hooked: yes` to every request.
#[derive(Clone, Default)]
struct Recorder {
    sent: Arc<Mutex<Vec<&'static str>>>,
    received: Arc<Mutex<Vec<(&'static str, u16)>>>,
    header_dumps: Arc<Mutex<Vec<String>>>,
}

impl Hooks for Recorder {
    fn before_send(
        &self,
        operation: &'static str,
        request: &mut genesys_cloud_tokens::reqwest::Request,
    ) {
        self.sent.lock().unwrap().push(operation);
        self.header_dumps
            .lock()
            .unwrap()
            .push(format!("{:?}", request.headers()));
        request
            .headers_mut()
            .insert("x-hooked", HeaderValue::from_static("yes"));
    }

    fn after_receive(&self, operation: &'static str, status: u16, _headers: &HeaderMap) {
        self.received.lock().unwrap().push((operation, status));
    }
}

impl Recorder {
    fn sent(&self) -> Vec<&'static str> {
        self.sent.lock().unwrap().clone()
    }

    fn received(&self) -> Vec<(&'static str, u16)> {
        self.received.lock().unwrap().clone()
    }
}

fn api_status(error: &Error) -> u16 {
    match error {
        Error::Api(e) => e.status,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// 1. Hosts: regions, base and login URLs, gateways
// ---------------------------------------------------------------------------

const REGIONS: [(Region, &str, &str); 18] = [
    (Region::UsEast1, "us_east_1", "mypurecloud.com"),
    (Region::EuWest1, "eu_west_1", "mypurecloud.ie"),
    (Region::ApSoutheast2, "ap_southeast_2", "mypurecloud.com.au"),
    (Region::ApNortheast1, "ap_northeast_1", "mypurecloud.jp"),
    (Region::EuCentral1, "eu_central_1", "mypurecloud.de"),
    (Region::UsWest2, "us_west_2", "usw2.pure.cloud"),
    (Region::CaCentral1, "ca_central_1", "cac1.pure.cloud"),
    (Region::ApNortheast2, "ap_northeast_2", "apne2.pure.cloud"),
    (Region::EuWest2, "eu_west_2", "euw2.pure.cloud"),
    (Region::ApSouth1, "ap_south_1", "aps1.pure.cloud"),
    (Region::UsEast2, "us_east_2", "use2.us-gov-pure.cloud"),
    (Region::SaEast1, "sa_east_1", "sae1.pure.cloud"),
    (Region::MeCentral1, "me_central_1", "mec1.pure.cloud"),
    (Region::ApNortheast3, "ap_northeast_3", "apne3.pure.cloud"),
    (Region::EuCentral2, "eu_central_2", "euc2.pure.cloud"),
    (Region::MxCentral1, "mx_central_1", "mxc1.pure.cloud"),
    (Region::ApSoutheast1, "ap_southeast_1", "apse1.pure.cloud"),
    (
        Region::EuscDeEast1,
        "eusc_de_east_1",
        "edee1.eusc-pure.cloud",
    ),
];

#[test]
fn every_region_has_its_api_and_login_host() {
    assert_eq!(Region::ALL.len(), 18);
    let listed: Vec<Region> = REGIONS.iter().map(|(r, _, _)| *r).collect();
    assert_eq!(Region::ALL.to_vec(), listed, "Region::ALL order");
    for (region, name, domain) in REGIONS {
        assert_eq!(region.name(), name);
        assert_eq!(region.to_string(), name);
        assert_eq!(region.domain(), domain);
        assert_eq!(region.api_url(), format!("https://api.{domain}"));
        assert_eq!(region.login_url(), format!("https://login.{domain}"));
    }
    // Spot checks, spelled out.
    assert_eq!(Region::UsEast1.api_url(), "https://api.mypurecloud.com");
    assert_eq!(Region::UsEast1.login_url(), "https://login.mypurecloud.com");
    assert_eq!(Region::EuWest1.api_url(), "https://api.mypurecloud.ie");
    assert_eq!(
        Region::ApSoutheast2.login_url(),
        "https://login.mypurecloud.com.au"
    );
    assert_eq!(
        Region::UsEast2.api_url(),
        "https://api.use2.us-gov-pure.cloud"
    );
    assert_eq!(
        Region::EuscDeEast1.login_url(),
        "https://login.edee1.eusc-pure.cloud"
    );
    assert_eq!(Region::default(), Region::UsEast1);
}

#[test]
fn regions_parse_from_names_dashes_domains_and_hosts() {
    for (region, name, domain) in REGIONS {
        let dashed = name.replace('_', "-");
        let inputs = [
            name.to_owned(),
            dashed.clone(),
            name.to_uppercase(),
            format!("  {dashed}  "),
            domain.to_owned(),
            format!("api.{domain}"),
            format!("login.{domain}"),
            format!("https://api.{domain}"),
            format!("https://login.{domain}/"),
            format!("HTTP://API.{}", domain.to_uppercase()),
        ];
        for input in inputs {
            assert_eq!(input.parse::<Region>(), Ok(region), "parsing {input:?}");
        }
    }
    for unknown in [
        "",
        "us_east_9",
        "us-east",
        "mypurecloud.example",
        "api.example.com",
        "pure.cloud",
    ] {
        let err = unknown.parse::<Region>().expect_err(unknown);
        assert_eq!(err, UnknownRegion(unknown.to_owned()));
        assert!(err.to_string().contains("not a known region"), "{err}");
    }
}

#[test]
fn builder_region_sets_base_and_login_urls() {
    for (region, _, domain) in REGIONS {
        let client = Client::builder()
            .region(region)
            .access_token("t")
            .build()
            .unwrap();
        assert_eq!(client.base_url().as_str(), format!("https://api.{domain}/"));
        assert_eq!(
            client.login_url().as_str(),
            format!("https://login.{domain}/")
        );
    }
    // The default region.
    let client = Client::builder().access_token("t").build().unwrap();
    assert_eq!(client.base_url().as_str(), format!("{DEFAULT_BASE_URL}/"));
    assert_eq!(
        client.login_url().as_str(),
        "https://login.mypurecloud.com/"
    );
}

#[test]
fn login_url_is_derived_from_the_base_url_unless_given() {
    let client = Client::builder()
        .base_url("https://api.mypurecloud.de")
        .access_token("t")
        .build()
        .unwrap();
    assert_eq!(client.base_url().as_str(), "https://api.mypurecloud.de/");
    assert_eq!(client.login_url().as_str(), "https://login.mypurecloud.de/");

    // Only a leading `api.` is replaced; a path prefix is kept, its trailing `/` dropped.
    let client = Client::builder()
        .base_url("https://gateway.example.com/genesys/")
        .access_token("t")
        .build()
        .unwrap();
    assert_eq!(
        client.base_url().as_str(),
        "https://gateway.example.com/genesys"
    );
    assert_eq!(
        client.login_url().as_str(),
        "https://gateway.example.com/genesys"
    );

    // An explicit login URL wins; a later region overrides both.
    let client = Client::builder()
        .base_url("https://api.mypurecloud.de")
        .login_url("https://sso.example.com/auth/")
        .access_token("t")
        .build()
        .unwrap();
    assert_eq!(client.login_url().as_str(), "https://sso.example.com/auth");
    let client = Client::builder()
        .base_url("https://api.mypurecloud.de")
        .region(Region::EuWest2)
        .access_token("t")
        .build()
        .unwrap();
    assert_eq!(client.base_url().as_str(), "https://api.euw2.pure.cloud/");
    assert_eq!(
        client.login_url().as_str(),
        "https://login.euw2.pure.cloud/"
    );

    for bad in [
        "not a url",
        "ftp://api.mypurecloud.com",
        "https://api.mypurecloud.com/?x=1",
        "https://api.mypurecloud.com/#frag",
    ] {
        let err = Client::builder()
            .base_url(bad)
            .access_token("t")
            .build()
            .expect_err(bad);
        assert!(matches!(err, Error::Config { .. }), "{bad}: {err:?}");
        let err = Client::builder()
            .login_url(bad)
            .access_token("t")
            .build()
            .expect_err(bad);
        assert!(matches!(err, Error::Config { .. }), "{bad}: {err:?}");
    }
}

#[tokio::test]
async fn gateway_routes_api_calls_and_logins_to_their_prefixes() {
    let server = MockServer::start().await;
    let port = server.address().port();
    Mock::given(method("POST"))
        .and(path("/genesys/login/oauth/token"))
        .respond_with(token_response("gw-token", Some(3600), None))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/genesys/api/api/v2/tokens/me"))
        .and(header("authorization", "Bearer gw-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(2)
        .mount(&server)
        .await;

    let gateway = Gateway::new("127.0.0.1")
        .scheme("http")
        .port(port)
        .api_path("/genesys/api/")
        .login_path("genesys/login");
    let client = Client::builder()
        .region(Region::EuWest1) // overridden by the gateway
        .gateway(gateway)
        .client_credentials("cid", "csecret")
        .retry(fast_retry())
        .build()
        .unwrap();
    assert_eq!(
        client.base_url().as_str(),
        format!("http://127.0.0.1:{port}/genesys/api")
    );
    assert_eq!(
        client.login_url().as_str(),
        format!("http://127.0.0.1:{port}/genesys/login")
    );
    client.tokens().get_tokens_me().await.unwrap();
    client.tokens().get_tokens_me().await.unwrap();

    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/genesys/login/oauth/token",
            "/genesys/api/api/v2/tokens/me",
            "/genesys/api/api/v2/tokens/me"
        ]
    );
}

#[tokio::test]
async fn base_url_path_prefix_is_kept_for_api_calls() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/proxy/genesys/api/v2/tokens/timeout"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/proxy/genesys/", server.uri()))
        .access_token("t")
        .build()
        .unwrap();
    client.tokens().get_tokens_timeout().await.unwrap();
}

#[tokio::test]

async fn token_request_to_a_login_url_without_path_goes_to_oauth_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response("root-token", Some(3600), None))
        .expect(1)
        .mount(&server)
        .await;
    me_ok("root-token").expect(1).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .login_url(server.uri())
        .client_credentials("cid", "csecret")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let result = client.tokens().get_tokens_me().await;
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths[0], "/oauth/token", "all requests: {paths:?}");
    result.unwrap();
}

#[test]

fn authorize_url_for_a_region_has_a_single_slash() {
    let url = AuthorizeUrl::new(
        &Region::UsEast1.login_url(),
        "cid",
        "https://app.example.com/cb",
    )
    .unwrap()
    .state("s");
    assert_eq!(
        url.url().as_str(),
        "https://login.mypurecloud.com/oauth/authorize?response_type=code&client_id=cid\
         &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&state=s"
    );
}

// ---------------------------------------------------------------------------
// 2. The wire format of each login
// ---------------------------------------------------------------------------

#[tokio::test]
async fn client_credentials_login_wire_format() {
    let server = MockServer::start().await;
    token_mock("cc-token").expect(1).mount(&server).await;
    me_ok("cc-token").expect(1).mount(&server).await;
    let client = builder(&server)
        .client_credentials("my-client", "my-secret")
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let token = &requests[0];
    assert_token_request(
        token,
        Some(&basic("my-client", "my-secret")),
        &[("grant_type", "client_credentials")],
    );
    assert_eq!(body_text(token), "grant_type=client_credentials");
    assert_eq!(header_of(token, "accept"), Some("application/json"));
    assert_eq!(
        header_of(&requests[1], "authorization"),
        Some("Bearer cc-token")
    );
}

#[tokio::test]
async fn authorization_code_login_wire_format() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(token_response("ac-token", Some(3600), Some("ac-refresh")))
        .expect(1)
        .mount(&server)
        .await;
    me_ok("ac-token").expect(1).mount(&server).await;
    let redirect = "https://app.example.com/callback?x=1&y=2";
    let client = builder(&server)
        .credentials(Credentials::authorization_code(
            "web-client",
            "web-secret",
            "the-code/+=",
            redirect,
        ))
        .build()
        .unwrap();
    assert!(
        client.refresh_token().await.is_none(),
        "no refresh token before the login"
    );
    client.tokens().get_tokens_me().await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_token_request(
        &requests[0],
        Some(&basic("web-client", "web-secret")),
        &[
            ("grant_type", "authorization_code"),
            ("code", "the-code/+="),
            ("redirect_uri", redirect),
        ],
    );
    assert_eq!(
        header_of(&requests[1], "authorization"),
        Some("Bearer ac-token")
    );
    assert_eq!(
        client
            .refresh_token()
            .await
            .map(|t| t.expose_secret().to_owned()),
        Some("ac-refresh".to_owned())
    );
}

#[test]
fn pkce_verifier_and_challenge() {
    // RFC 7636, appendix B: the verifier is base64url of these 32 octets,
    // the challenge base64url(SHA-256(verifier)).
    let octets: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    assert_eq!(
        URL_SAFE_NO_PAD.encode(octets),
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
    let known = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    assert_eq!(
        known.challenge(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    assert_eq!(
        known.verifier().expose_secret(),
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );

    let a = Pkce::new().unwrap();
    let b = Pkce::new().unwrap();
    for pkce in [&a, &b] {
        let verifier = pkce.verifier().expose_secret();
        assert_eq!(verifier.len(), 43, "{verifier}");
        assert!(
            verifier
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'),
            "not base64url: {verifier}"
        );
        assert_eq!(URL_SAFE_NO_PAD.decode(verifier).unwrap().len(), 32);
        let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
        assert_eq!(pkce.challenge(), URL_SAFE_NO_PAD.encode(digest.as_ref()));
        assert_eq!(pkce.challenge().len(), 43);
    }
    assert_ne!(a.verifier().expose_secret(), b.verifier().expose_secret());
}

#[test]
fn authorize_url_is_exact() {
    let pkce = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    let url = AuthorizeUrl::new(
        "https://gateway.example.com/genesys/login/",
        "my client",
        "https://app.example.com/cb?a=1",
    )
    .unwrap()
    .pkce(&pkce)
    .state("s")
    .param("org", "acme");
    assert_eq!(
        url.url().as_str(),
        "https://gateway.example.com/genesys/login/oauth/authorize?response_type=code\
         &client_id=my+client&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fa%3D1\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
         &code_challenge_method=S256&state=s&org=acme"
    );
    let err = AuthorizeUrl::new("mailto:x@example.com", "c", "r").unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
}

#[tokio::test]
async fn pkce_login_wire_format() {
    let server = MockServer::start().await;
    token_mock("pkce-token").expect(1).mount(&server).await;
    me_ok("pkce-token").expect(1).mount(&server).await;
    let pkce = Pkce::new().unwrap();
    let verifier = pkce.verifier().expose_secret().to_owned();
    let client = builder(&server)
        .credentials(Credentials::pkce(
            "public-client",
            "pkce-code",
            &pkce,
            "http://localhost:8080/cb",
        ))
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_token_request(
        &requests[0],
        None,
        &[
            ("grant_type", "authorization_code"),
            ("code", "pkce-code"),
            ("code_verifier", &verifier),
            ("client_id", "public-client"),
            ("redirect_uri", "http://localhost:8080/cb"),
        ],
    );
    assert_eq!(
        header_of(&requests[1], "authorization"),
        Some("Bearer pkce-token")
    );
}

#[tokio::test]
async fn saml2_bearer_login_wire_format() {
    let server = MockServer::start().await;
    token_mock("saml-token").expect(1).mount(&server).await;
    me_ok("saml-token").expect(1).mount(&server).await;
    let assertion = "PHNhbWw+PC9zYW1sPg/+==";
    let client = builder(&server)
        .credentials(Credentials::saml2_bearer(
            "saml-client",
            "saml-secret",
            "Acme Org",
            assertion,
        ))
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_token_request(
        &requests[0],
        Some(&basic("saml-client", "saml-secret")),
        &[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:saml2-bearer",
            ),
            ("orgName", "Acme Org"),
            ("assertion", assertion),
        ],
    );
    let raw = body_text(&requests[0]);
    assert!(
        raw.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer"),
        "{raw}"
    );
    assert!(
        raw.contains("assertion=PHNhbWw%2BPC9zYW1sPg%2F%2B%3D%3D"),
        "{raw}"
    );
    assert_eq!(
        header_of(&requests[1], "authorization"),
        Some("Bearer saml-token")
    );
}

#[tokio::test]
async fn refresh_token_login_wire_format_and_rotation() {
    let server = MockServer::start().await;
    token_endpoint()
        .and(body_string_contains("refresh_token=rt-1"))
        .respond_with(token_response("rt-access-1", Some(3600), Some("rt-2")))
        .expect(1)
        .mount(&server)
        .await;
    token_endpoint()
        .and(body_string_contains("refresh_token=rt-2"))
        .respond_with(token_response("rt-access-2", Some(3600), None))
        .expect(1)
        .mount(&server)
        .await;
    me_unauthorized("rt-access-1")
        .expect(1)
        .mount(&server)
        .await;
    me_ok("rt-access-2").expect(1).mount(&server).await;

    let client = builder(&server)
        .credentials(Credentials::refresh_token("rt-client", "rt-secret", "rt-1"))
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();

    let tokens = received_at(&server, TOKEN_PATH).await;
    assert_eq!(tokens.len(), 2);
    assert_token_request(
        &tokens[0],
        Some(&basic("rt-client", "rt-secret")),
        &[("grant_type", "refresh_token"), ("refresh_token", "rt-1")],
    );
    // The rotated refresh token is used next, and kept when none comes back.
    assert_token_request(
        &tokens[1],
        Some(&basic("rt-client", "rt-secret")),
        &[("grant_type", "refresh_token"), ("refresh_token", "rt-2")],
    );
    assert_eq!(
        client
            .refresh_token()
            .await
            .map(|t| t.expose_secret().to_owned()),
        Some("rt-2".to_owned())
    );
}

// ---------------------------------------------------------------------------
// 3. The token cache and proactive renewal
// ---------------------------------------------------------------------------

#[tokio::test]
async fn token_is_fetched_once_for_many_calls_and_clones() {
    let server = MockServer::start().await;
    token_mock("cached").expect(1).mount(&server).await;
    me_ok("cached").expect(4).mount(&server).await;
    let client = client_credentials_client(&server);
    let clone = client.clone();
    client.tokens().get_tokens_me().await.unwrap();
    client.tokens().get_tokens_me().await.unwrap();
    clone.tokens().get_tokens_me().await.unwrap();
    clone.tokens().get_tokens_me().await.unwrap();
    let token = client.access_token().await.unwrap().unwrap();
    assert_eq!(token.expose_secret(), "cached");
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 1);
}

#[tokio::test]
async fn token_is_renewed_half_way_through_its_life_without_a_401() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(token_response("short-1", Some(1), None))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_endpoint()
        .respond_with(token_response("short-2", Some(3600), None))
        .expect(1)
        .mount(&server)
        .await;
    me_ok("short-1").expect(2).mount(&server).await;
    me_ok("short-2").expect(1).mount(&server).await;

    // The margin is larger than the lifetime: renewal comes half-way, at 0.5 s.
    let client = builder(&server)
        .client_credentials("cid", "csecret")
        .token_renew_margin(Duration::from_secs(10))
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();
    client.tokens().get_tokens_me().await.unwrap();
    assert_eq!(
        received_at(&server, TOKEN_PATH).await.len(),
        1,
        "renewed too early"
    );
    tokio::time::sleep(ms(600)).await;
    client.tokens().get_tokens_me().await.unwrap();

    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths, [TOKEN_PATH, ME, ME, TOKEN_PATH, ME]);
}

#[tokio::test]
async fn a_token_that_has_expired_is_renewed_for_the_next_call() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(short_lived("brief", None))
        .expect(3)
        .mount(&server)
        .await;
    me_ok("brief").expect(3).mount(&server).await;
    let client = client_credentials_client(&server);
    for _ in 0..3 {
        client.tokens().get_tokens_me().await.unwrap();
        tokio::time::sleep(STALE).await;
    }
}

#[tokio::test]
async fn token_without_expiry_is_kept() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(token_response("forever", None, None))
        .expect(1)
        .mount(&server)
        .await;
    me_ok("forever").expect(3).mount(&server).await;
    let client = builder(&server)
        .client_credentials("cid", "csecret")
        .token_renew_margin(Duration::ZERO)
        .build()
        .unwrap();
    for _ in 0..3 {
        client.tokens().get_tokens_me().await.unwrap();
    }
}

// ---------------------------------------------------------------------------
// 4. One renewal on 401
// ---------------------------------------------------------------------------

async fn mount_code_and_refresh(server: &MockServer, refresh_expect: u64) {
    token_endpoint()
        .and(body_string_contains("grant_type=authorization_code"))
        .respond_with(token_response(
            "code-access",
            Some(3600),
            Some("code-refresh"),
        ))
        .expect(1)
        .mount(server)
        .await;
    token_endpoint()
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(token_response("refreshed-access", Some(3600), None))
        .expect(refresh_expect)
        .mount(server)
        .await;
}

fn code_client(server: &MockServer) -> Client {
    builder(server)
        .credentials(Credentials::authorization_code(
            "web-client",
            "web-secret",
            "one-time-code",
            "https://app.example.com/cb",
        ))
        .build()
        .unwrap()
}

#[tokio::test]
async fn authorization_code_401_refreshes_once_and_retries() {
    let server = MockServer::start().await;
    mount_code_and_refresh(&server, 1).await;
    me_unauthorized("code-access")
        .expect(1)
        .mount(&server)
        .await;
    me_ok("refreshed-access").expect(2).mount(&server).await;
    let client = code_client(&server);
    client.tokens().get_tokens_me().await.unwrap();
    client.tokens().get_tokens_me().await.unwrap();

    let requests = received(&server).await;
    let seen: Vec<(String, Option<&str>)> = requests
        .iter()
        .map(|r| (r.url.path().to_owned(), header_of(r, "authorization")))
        .collect();
    let web = basic("web-client", "web-secret");
    assert_eq!(
        seen,
        [
            (TOKEN_PATH.to_owned(), Some(web.as_str())),
            (ME.to_owned(), Some("Bearer code-access")),
            (TOKEN_PATH.to_owned(), Some(web.as_str())),
            (ME.to_owned(), Some("Bearer refreshed-access")),
            (ME.to_owned(), Some("Bearer refreshed-access")),
        ]
    );
    assert_token_request(
        &requests[2],
        Some(&web),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "code-refresh"),
        ],
    );
}

#[tokio::test]
async fn second_401_is_returned_without_a_second_refresh() {
    let server = MockServer::start().await;
    mount_code_and_refresh(&server, 1).await;
    me_unauthorized("code-access")
        .expect(1)
        .mount(&server)
        .await;
    me_unauthorized("refreshed-access")
        .expect(1)
        .mount(&server)
        .await;
    let client = code_client(&server);
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert_eq!(api_status(&err), 401);
    let api = err.api_error().unwrap();
    assert_eq!(api.operation, "getTokensMe");
    assert_eq!(api.message(), Some("Invalid login credentials."));
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(received_at(&server, ME).await.len(), 2);
}

#[tokio::test]
async fn client_credentials_401_fetches_a_new_token_and_retries_once() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(token_response("stale", Some(3600), None))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_mock("fresh").expect(1).mount(&server).await;
    me_unauthorized("stale").expect(1).mount(&server).await;
    me_ok("fresh").expect(1).mount(&server).await;
    let client = client_credentials_client(&server);
    client.tokens().get_tokens_me().await.unwrap();
    for request in received_at(&server, TOKEN_PATH).await {
        assert_token_request(
            &request,
            Some(&basic("cid", "csecret")),
            &[("grant_type", "client_credentials")],
        );
    }
    assert_eq!(
        client
            .access_token()
            .await
            .unwrap()
            .unwrap()
            .expose_secret(),
        "fresh"
    );
}

#[tokio::test]
async fn client_credentials_two_401s_give_the_401_after_one_renewal() {
    let server = MockServer::start().await;
    token_mock("refused").expect(2).mount(&server).await;
    me_unauthorized("refused").expect(2).mount(&server).await;
    let client = client_credentials_client(&server);
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert_eq!(api_status(&err), 401);
}

#[tokio::test]
async fn static_access_token_401_is_returned_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    me_unauthorized("static-token")
        .expect(1)
        .mount(&server)
        .await;
    let client = access_token_client(&server, "static-token");
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert_eq!(api_status(&err), 401);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn client_without_credentials_sends_nothing_to_an_operation_needing_them() {
    let server = MockServer::start().await;
    me_status(401).expect(0).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(fast_retry())
        .build()
        .unwrap();
    assert!(client.access_token().await.unwrap().is_none());
    assert!(client.refresh_token().await.is_none());
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { operation: "getTokensMe", message, .. } if message.contains("PureCloud OAuth")),
        "{err:?}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn authorization_code_renews_an_expired_token_with_the_refresh_token() {
    let server = MockServer::start().await;
    token_endpoint()
        .and(body_string_contains("grant_type=authorization_code"))
        .respond_with(short_lived("expired-at-once", Some("keep-me")))
        .expect(1)
        .mount(&server)
        .await;
    token_endpoint()
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(token_response("renewed", Some(3600), None))
        .expect(1)
        .mount(&server)
        .await;
    me_ok("expired-at-once").expect(1).mount(&server).await;
    me_ok("renewed").expect(1).mount(&server).await;
    let client = code_client(&server);
    client.tokens().get_tokens_me().await.unwrap();
    tokio::time::sleep(STALE).await;
    client.tokens().get_tokens_me().await.unwrap();
    let tokens = received_at(&server, TOKEN_PATH).await;
    assert_token_request(
        &tokens[1],
        Some(&basic("web-client", "web-secret")),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "keep-me"),
        ],
    );
}

#[tokio::test]
async fn authorization_codes_are_exchanged_only_once() {
    let pkce = Pkce::new().unwrap();
    let cases = [
        (
            Credentials::authorization_code("cid", "csecret", "code-1", "https://app/cb"),
            "authorization_code",
        ),
        (
            Credentials::pkce("cid", "code-2", &pkce, "https://app/cb"),
            "pkce",
        ),
    ];
    for (credentials, grant) in cases {
        // A token that expires at once and no refresh token: the second call
        // cannot renew it, and must not send the used code again.
        let server = MockServer::start().await;
        token_endpoint()
            .respond_with(short_lived("once", None))
            .expect(1)
            .mount(&server)
            .await;
        me_ok("once").expect(1).mount(&server).await;
        let client = builder(&server).credentials(credentials).build().unwrap();
        client.tokens().get_tokens_me().await.unwrap();
        tokio::time::sleep(STALE).await;
        let err = client.tokens().get_tokens_me().await.unwrap_err();
        let Error::Auth(auth) = &err else {
            panic!("{grant}: expected Error::Auth, got {err:?}")
        };
        assert_eq!(auth.grant, grant);
        assert_eq!(auth.status, None);
        assert!(auth.message.contains("log in again"), "{}", auth.message);
    }
}

#[tokio::test]

async fn a_code_exchange_that_never_reached_the_server_is_tried_again() {
    // Nothing listens on the login port for the first call; then a server does.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let login = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let api = MockServer::start().await;
    me_ok("late-token").expect(1).mount(&api).await;
    let client = Client::builder()
        .base_url(api.uri())
        .login_url(format!("{login}{LOGIN}"))
        .credentials(Credentials::authorization_code(
            "cid",
            "csecret",
            "unused-code",
            "https://app/cb",
        ))
        .retry(fast_retry())
        .build()
        .unwrap();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert!(
        matches!(&err, Error::Auth(a) if a.status.is_none()),
        "{err:?}"
    );

    let listener = std::net::TcpListener::bind(login.trim_start_matches("http://")).unwrap();
    let server = MockServer::builder().listener(listener).start().await;
    token_endpoint()
        .and(body_string_contains("code=unused-code"))
        .respond_with(token_response("late-token", Some(3600), None))
        .expect(1)
        .mount(&server)
        .await;
    client.tokens().get_tokens_me().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_401s_share_one_renewal() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(token_response("old", Some(3600), None).set_delay(ms(50)))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_mock("new").expect(1).mount(&server).await;
    me_unauthorized("old").mount(&server).await;
    me_ok("new").mount(&server).await;
    let client = client_credentials_client(&server);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.tokens().get_tokens_me().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 2);
}

// ---------------------------------------------------------------------------
// 5. Concurrency
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_slow_token_fetch() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(token_response("shared", Some(3600), None).set_delay(ms(200)))
        .expect(1)
        .mount(&server)
        .await;
    me_ok("shared").expect(20).mount(&server).await;
    let client = client_credentials_client(&server);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.tokens().get_tokens_me().await })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        task.await.unwrap().unwrap();
        ok += 1;
    }
    assert_eq!(ok, 20);
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 1);
    assert_eq!(received_at(&server, ME).await.len(), 20);
}

// ---------------------------------------------------------------------------
// 6. Token endpoint errors
// ---------------------------------------------------------------------------

#[tokio::test]
async fn token_endpoint_oauth_errors_become_auth_errors() {
    for status in [400u16, 401] {
        let server = MockServer::start().await;
        token_endpoint()
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("ININ-Correlation-Id", "corr-auth-1")
                    .set_body_json(json!({
                        "error": "invalid_client",
                        "error_description": "client not found"
                    })),
            )
            .expect(1)
            .mount(&server)
            .await;
        me_status(200).expect(0).mount(&server).await;
        let client = client_credentials_client(&server);
        let err = client.tokens().get_tokens_me().await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.correlation_id(), Some("corr-auth-1"));
        let Error::Auth(auth) = &err else {
            panic!("expected Error::Auth, got {err:?}")
        };
        assert_eq!(auth.grant, "client_credentials");
        assert_eq!(auth.status, Some(status));
        assert_eq!(auth.error.as_deref(), Some("invalid_client"));
        assert_eq!(auth.error_description.as_deref(), Some("client not found"));
        assert_eq!(auth.correlation_id.as_deref(), Some("corr-auth-1"));
        assert_eq!(
            err.to_string(),
            format!(
                "client_credentials login failed with HTTP status {status}: invalid_client: \
                 client not found (correlation id corr-auth-1)"
            )
        );
    }
}

#[tokio::test]
async fn failed_login_is_not_cached() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_mock("second-try").expect(1).mount(&server).await;
    me_ok("second-try").expect(1).mount(&server).await;
    let client = client_credentials_client(&server);
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert!(
        matches!(&err, Error::Auth(a) if a.status == Some(503)),
        "{err:?}"
    );
    client.tokens().get_tokens_me().await.unwrap();
}

#[tokio::test]
async fn token_endpoint_error_that_is_not_json() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_credentials_client(&server);
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    let Error::Auth(auth) = &err else {
        panic!("expected Error::Auth, got {err:?}")
    };
    assert_eq!(auth.status, Some(502));
    assert_eq!(auth.error, None);
    assert_eq!(auth.error_description, None);
    assert!(auth.message.contains("502"), "{}", auth.message);
    assert!(err.to_string().contains("HTTP status 502"), "{err}");
}

#[tokio::test]
async fn token_response_that_is_not_a_token() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "token": "nope" })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_credentials_client(&server);
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    let Error::Auth(auth) = &err else {
        panic!("expected Error::Auth, got {err:?}")
    };
    assert_eq!(auth.status, Some(200));
    assert!(auth.message.contains("not a token"), "{}", auth.message);
}

#[tokio::test]
async fn unreachable_login_host() {
    let server = MockServer::start().await;
    me_status(200).expect(0).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .login_url(closed_port_url())
        .client_credentials("cid", "csecret")
        .retry(fast_retry())
        .total_timeout(ms(3000))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert!(started.elapsed() < ms(2500));
    let Error::Auth(auth) = &err else {
        panic!("expected Error::Auth, got {err:?}")
    };
    assert_eq!(auth.grant, "client_credentials");
    assert_eq!(auth.status, None);
    assert_eq!(err.status(), None);
    assert!(
        auth.message.contains("token request failed"),
        "{}",
        auth.message
    );
    // `Client::access_token` reports the same failure.
    assert!(matches!(client.access_token().await, Err(Error::Auth(_))));
}

// ---------------------------------------------------------------------------
// 7. Retries
// ---------------------------------------------------------------------------

fn timeout_body() -> IdleTokenTimeout {
    IdleTokenTimeout::new()
        .with_idle_token_timeout_seconds(900)
        .with_enable_idle_token_timeout(true)
}

#[tokio::test]
async fn status_429_with_retry_after_zero_is_retried_with_the_same_body() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(TIMEOUT_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(TIMEOUT_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "idleTokenTimeoutSeconds": 900,
            "enableIdleTokenTimeout": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    // Without honouring `Retry-After: 0`, the 3 s default delay would pass
    // the total timeout and the 429 would be returned.
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().default_delay(Duration::from_secs(3)))
        .total_timeout(ms(2000))
        .build()
        .unwrap();
    let started = Instant::now();
    let saved = client
        .tokens()
        .put_tokens_timeout()
        .body(timeout_body())
        .await
        .unwrap();
    assert!(started.elapsed() < ms(1000));
    assert_eq!(saved, timeout_body());

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the body is re-sent byte-identical"
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&requests[0].body).unwrap(),
        json!({ "idleTokenTimeoutSeconds": 900, "enableIdleTokenTimeout": true })
    );
    for request in &requests {
        assert_eq!(header_of(request, "content-type"), Some("application/json"));
        assert_eq!(header_of(request, "authorization"), Some("Bearer t"));
    }
}

#[tokio::test]
async fn status_429_without_retry_after_waits_the_default_delay() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    me_status(200).expect(1).mount(&server).await;
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().default_delay(ms(80)))
        .build()
        .unwrap();
    let started = Instant::now();
    client.tokens().get_tokens_me().await.unwrap();
    assert!(started.elapsed() >= ms(80), "{:?}", started.elapsed());
}

#[tokio::test]
async fn retry_after_as_an_http_date_in_the_past_retries_at_once() {
    let server = MockServer::start().await;
    let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", past.as_str()))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    me_status(200).expect(1).mount(&server).await;
    // Without the date, the 5xx backoff (≥ 2.5 s) would pass the total timeout.
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().backoff(Duration::from_secs(5), Duration::from_secs(5)))
        .total_timeout(ms(2000))
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();
}

#[tokio::test]
async fn retry_after_as_an_http_date_in_the_future_is_waited() {
    let server = MockServer::start().await;
    let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(1));
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", soon.as_str()))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    me_status(200).expect(1).mount(&server).await;
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().default_delay(Duration::from_secs(5)))
        .total_timeout(ms(3000))
        .build()
        .unwrap();
    let started = Instant::now();
    client.tokens().get_tokens_me().await.unwrap();
    assert!(started.elapsed() < ms(1500), "{:?}", started.elapsed());
}

#[tokio::test]
async fn retry_after_above_the_maximum_is_returned_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "5")
                .insert_header("ININ-Correlation-Id", "corr-429"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().max_retry_after(Duration::from_secs(2)))
        .total_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert!(started.elapsed() < ms(1000));
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status, 429);
    assert_eq!(api.retry_after, Some(Duration::from_secs(5)));
    assert_eq!(api.correlation_id.as_deref(), Some("corr-429"));

    // The same with an HTTP date.
    let server = MockServer::start().await;
    let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(4));
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", later.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().max_retry_after(Duration::from_secs(2)))
        .total_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status, 503);
    let wait = api.retry_after.expect("the date was parsed");
    assert!(
        wait > Duration::from_secs(2) && wait <= Duration::from_secs(4),
        "{wait:?}"
    );
}

#[tokio::test]
async fn status_503_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(
            ResponseTemplate::new(503).set_body_json(json!({ "message": "down", "status": 503 })),
        )
        .expect(4)
        .mount(&server)
        .await;
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().max_attempts(4).backoff(ms(10), ms(20)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    // Backoffs of at least 5 + 10 + 10 ms (half of 10, 20, 20 with jitter).
    assert!(started.elapsed() >= ms(25), "{:?}", started.elapsed());
    assert_eq!(api_status(&err), 503);
    assert_eq!(err.api_error().unwrap().message(), Some("down"));
    assert_eq!(received(&server).await.len(), 4);
}

#[tokio::test]
async fn status_502_then_200_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    me_status(200).expect(1).mount(&server).await;
    let client = access_token_client(&server, "t");
    client.tokens().get_tokens_me().await.unwrap();
}

#[tokio::test]
async fn status_504_is_retried_and_500_400_404_are_not() {
    let server = MockServer::start().await;
    me_status(504).expect(3).mount(&server).await;
    let client = access_token_client(&server, "t");
    assert_eq!(
        api_status(&client.tokens().get_tokens_me().await.unwrap_err()),
        504
    );

    for status in [500u16, 400, 404, 403] {
        let server = MockServer::start().await;
        me_status(status).expect(1).mount(&server).await;
        let client = access_token_client(&server, "t");
        let err = client.tokens().get_tokens_me().await.unwrap_err();
        assert_eq!(api_status(&err), status);
        assert_eq!(received(&server).await.len(), 1, "status {status}");
    }
}

#[tokio::test]
async fn retried_statuses_can_be_configured() {
    let server = MockServer::start().await;
    me_status(500).expect(2).mount(&server).await;
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().max_attempts(2).statuses([500]))
        .build()
        .unwrap();
    assert_eq!(
        api_status(&client.tokens().get_tokens_me().await.unwrap_err()),
        500
    );

    let server = MockServer::start().await;
    me_status(503).expect(1).mount(&server).await;
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().statuses([500]))
        .build()
        .unwrap();
    assert_eq!(
        api_status(&client.tokens().get_tokens_me().await.unwrap_err()),
        503
    );
}

#[tokio::test]
async fn retry_policy_none_sends_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .access_token("t")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(
        api_status(&client.tokens().get_tokens_me().await.unwrap_err()),
        429
    );
    assert_eq!(RetryPolicy::none().max_attempts, 1);
    assert_eq!(RetryPolicy::default().max_attempts(0).max_attempts, 1);
}

#[tokio::test]
async fn a_wait_past_the_total_timeout_is_not_waited() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().max_retry_after(Duration::from_secs(60)))
        .total_timeout(ms(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert!(started.elapsed() < ms(300), "{:?}", started.elapsed());
    assert_eq!(api_status(&err), 503);
    assert_eq!(
        err.api_error().unwrap().retry_after,
        Some(Duration::from_secs(1))
    );
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    let hooks = Recorder::default();
    let client = Client::builder()
        .base_url(closed_port_url())
        .access_token("t")
        .retry(fast_retry().max_attempts(3).backoff(ms(10), ms(20)))
        .connect_timeout(ms(500))
        .total_timeout(ms(3000))
        .hooks(hooks.clone())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert!(started.elapsed() < ms(2500), "{:?}", started.elapsed());
    let Error::Transport {
        operation,
        during,
        source,
        ..
    } = &err
    else {
        panic!("expected Error::Transport, got {err:?}")
    };
    assert_eq!(*operation, "getTokensMe");
    assert_eq!(*during, "connecting");
    assert!(source.is_connect(), "{source:?}");
    assert_eq!(
        hooks.sent(),
        ["getTokensMe"; 3],
        "one before_send per attempt"
    );
    assert!(hooks.received().is_empty());

    // Not retried when told so.
    let hooks = Recorder::default();
    let client = Client::builder()
        .base_url(closed_port_url())
        .access_token("t")
        .retry(fast_retry().retry_connect_errors(false))
        .hooks(hooks.clone())
        .build()
        .unwrap();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(hooks.sent().len(), 1);
}

// ---------------------------------------------------------------------------
// 8. Timeouts
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_attempt_that_takes_too_long_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(ms(500)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .access_token("t")
        .timeout(ms(100))
        .total_timeout(ms(3000))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert!(started.elapsed() < ms(500), "{:?}", started.elapsed());
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                attempt: 1,
                max_attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "getTokensMe: attempt 1 of 3 timed out after 100 ms waiting for the response"
    );
}

#[tokio::test]
async fn the_total_timeout_bounds_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(503).set_delay(ms(250)))
        .mount(&server)
        .await;
    // Attempt 1 ends at ~250 ms, attempt 2 is cut short by the deadline.
    let client = builder(&server)
        .access_token("t")
        .retry(fast_retry().max_attempts(10).backoff(ms(10), ms(10)))
        .timeout(ms(2000))
        .total_timeout(ms(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed >= ms(400) && elapsed < ms(1000), "{elapsed:?}");
    let Error::Timeout {
        operation,
        after,
        kind,
        attempt,
        ..
    } = &err
    else {
        panic!("expected Error::Timeout, got {err:?}")
    };
    assert_eq!(*operation, "getTokensMe");
    assert_eq!(*kind, TimeoutKind::Call);
    assert_eq!(*attempt, 2);
    assert!(*after >= ms(400), "{after:?}");
    assert_eq!(
        err.to_string(),
        "getTokensMe: gave up after 400 ms (the call's total timeout) while it ran, in attempt 2 of 10"
    );
    assert!(err.is_timeout());
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn the_total_timeout_includes_the_token_request() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(token_response("late", Some(3600), None).set_delay(ms(500)))
        .mount(&server)
        .await;
    me_status(200).expect(0).mount(&server).await;
    let client = builder(&server)
        .client_credentials("cid", "csecret")
        .total_timeout(ms(150))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.tokens().get_tokens_me().await.unwrap_err();
    assert!(started.elapsed() < ms(480), "{:?}", started.elapsed());
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}

// ---------------------------------------------------------------------------
// 9. Hooks and headers
// ---------------------------------------------------------------------------

#[tokio::test]
async fn hooks_see_every_attempt_and_can_change_requests() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .and(header("x-hooked", "yes"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ME))
        .and(header("x-hooked", "yes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(ME))
        .and(header("x-hooked", "yes"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let hooks = Recorder::default();
    let client = builder(&server)
        .access_token("hook-secret-token")
        .hooks(hooks.clone())
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();
    let err = client.tokens().delete_tokens_me().await.unwrap_err();
    assert_eq!(api_status(&err), 404);

    assert_eq!(
        hooks.sent(),
        ["getTokensMe", "getTokensMe", "deleteTokensMe"]
    );
    assert_eq!(
        hooks.received(),
        [
            ("getTokensMe", 503),
            ("getTokensMe", 200),
            ("deleteTokensMe", 404)
        ]
    );
    // The hook sees the Authorization header, marked sensitive.
    for dump in hooks.header_dumps.lock().unwrap().iter() {
        assert!(dump.contains("authorization"), "{dump}");
        assert!(dump.contains("Sensitive"), "{dump}");
        assert!(!dump.contains("hook-secret-token"), "{dump}");
    }
}

#[tokio::test]
async fn per_call_headers_reach_the_server_and_only_for_that_call() {
    let server = MockServer::start().await;
    me_status(200).expect(2).mount(&server).await;
    let client = access_token_client(&server, "t");
    client
        .tokens()
        .get_tokens_me()
        .header("X-Custom", "one")
        .header("x-custom", "two")
        .header("X-Request-Id", "req-42")
        .await
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();

    let requests = received(&server).await;
    let custom: Vec<&str> = requests[0]
        .headers
        .get_all("x-custom")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(custom, ["one", "two"]);
    assert_eq!(header_of(&requests[0], "x-request-id"), Some("req-42"));
    assert_eq!(header_of(&requests[1], "x-custom"), None);
    assert_eq!(header_of(&requests[1], "x-request-id"), None);
}

#[tokio::test]
async fn path_parameters_are_one_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = access_token_client(&server, "t");
    client.tokens().delete_token("user-1").await.unwrap();
    client.tokens().delete_token("a/b c?d#é%").await.unwrap();
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v2/tokens/user-1",
            "/api/v2/tokens/a%2Fb%20c%3Fd%23%C3%A9%25"
        ]
    );
    for bad in ["", ".", ".."] {
        let err = client.tokens().delete_token(bad).await.unwrap_err();
        assert!(
            matches!(
                &err,
                Error::InvalidRequest {
                    operation: "deleteToken",
                    ..
                }
            ),
            "{bad:?}: {err:?}"
        );
    }
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn invalid_headers_fail_without_sending_anything() {
    let server = MockServer::start().await;
    let client = client_credentials_client(&server);
    let err = client
        .tokens()
        .get_tokens_me()
        .header("bad header", "v")
        .await
        .unwrap_err();
    let Error::InvalidRequest {
        operation, message, ..
    } = &err
    else {
        panic!("expected Error::InvalidRequest, got {err:?}")
    };
    assert_eq!(*operation, "getTokensMe");
    assert!(message.contains("bad header"), "{message}");

    let err = client
        .tokens()
        .put_tokens_timeout()
        .body(timeout_body())
        .header("x-ok", "line\nbreak")
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidRequest {
                operation: "putTokensTimeout",
                ..
            }
        ),
        "{err:?}"
    );
    // Not even a token request was made.
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn user_agent_and_sdk_version_headers() {
    let server = MockServer::start().await;
    me_status(200).expect(2).mount(&server).await;
    let client = access_token_client(&server, "t");
    client.tokens().get_tokens_me().await.unwrap();
    let custom = builder(&server)
        .access_token("t")
        .user_agent("my-app/2.0")
        .build()
        .unwrap();
    custom.tokens().get_tokens_me().await.unwrap();

    let version = crate_version();
    let requests = received(&server).await;
    assert_eq!(
        header_of(&requests[0], "user-agent"),
        Some(format!("genesys-cloud-tokens/{version}").as_str())
    );
    assert_eq!(header_of(&requests[1], "user-agent"), Some("my-app/2.0"));
    for request in &requests {
        assert_eq!(header_of(request, "purecloud-sdk"), Some(version));
        assert_eq!(header_of(request, "accept"), Some("application/json"));
    }
    let err = Client::builder()
        .access_token("t")
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
}

#[tokio::test]

async fn token_requests_carry_the_user_agent() {
    let server = MockServer::start().await;
    token_mock("ua-token").expect(2).mount(&server).await;
    me_ok("ua-token").expect(2).mount(&server).await;
    let default = client_credentials_client(&server);
    default.tokens().get_tokens_me().await.unwrap();
    let custom = builder(&server)
        .client_credentials("cid", "csecret")
        .user_agent("my-app/2.0")
        .build()
        .unwrap();
    custom.tokens().get_tokens_me().await.unwrap();
    let tokens = received_at(&server, TOKEN_PATH).await;
    assert_eq!(
        header_of(&tokens[0], "user-agent"),
        Some(format!("genesys-cloud-tokens/{}", crate_version()).as_str())
    );
    assert_eq!(header_of(&tokens[1], "user-agent"), Some("my-app/2.0"));
}

// ---------------------------------------------------------------------------
// 10. Secrets never leak; tracing carries the call's fields
// ---------------------------------------------------------------------------

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl LogBuffer {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).expect("UTF-8 logs")
    }
}

const SECRET_CLIENT: &str = "PLANTED-client-secret-9f2c";
const SECRET_ACCESS_1: &str = "PLANTED-access-one-1a7d";
const SECRET_ACCESS_2: &str = "PLANTED-access-two-4e0b";
const SECRET_STATIC: &str = "PLANTED-static-token-77aa";
const SECRET_CODE: &str = "PLANTED-auth-code-3c3c";
const SECRET_CODE_ACCESS_1: &str = "PLANTED-code-access-one-8d8d";
const SECRET_CODE_ACCESS_2: &str = "PLANTED-code-access-two-9e9e";
const SECRET_REFRESH: &str = "PLANTED-refresh-token-5b5b";
const SECRET_PKCE_CODE: &str = "PLANTED-pkce-code-6a6a";
const SECRET_VERIFIER: &str = "PLANTED-pkce-verifier-0123456789abcdefghijklmn";
const SECRET_PKCE_ACCESS: &str = "PLANTED-pkce-access-2f2f";
const SECRET_ASSERTION: &str = "PLANTED-saml-assertion-PD94bWw";
const SECRET_SAML_ACCESS: &str = "PLANTED-saml-access-1b1b";
const SECRET_URL_PASSWORD: &str = "PLANTED-url-password-4d4d";

fn planted_secrets() -> Vec<String> {
    let mut secrets: Vec<String> = [
        SECRET_CLIENT,
        SECRET_ACCESS_1,
        SECRET_ACCESS_2,
        SECRET_STATIC,
        SECRET_CODE,
        SECRET_CODE_ACCESS_1,
        SECRET_CODE_ACCESS_2,
        SECRET_REFRESH,
        SECRET_PKCE_CODE,
        SECRET_VERIFIER,
        SECRET_PKCE_ACCESS,
        SECRET_ASSERTION,
        SECRET_SAML_ACCESS,
        SECRET_URL_PASSWORD,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    // The Basic credentials as sent, too.
    secrets.push(STANDARD.encode(format!("cid:{SECRET_CLIENT}")));
    secrets
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in planted_secrets() {
        assert!(
            !text.contains(&secret),
            "{what} contains the secret {secret:?}:\n{text}"
        );
    }
    assert!(
        !text.contains("PLANTED"),
        "{what} contains a planted secret:\n{text}"
    );
}

fn all_credentials() -> Vec<Credentials> {
    let pkce = Pkce::from_verifier(SECRET_VERIFIER);
    vec![
        Credentials::access_token(SECRET_STATIC),
        Credentials::client_credentials("cid", SECRET_CLIENT),
        Credentials::authorization_code("cid", SECRET_CLIENT, SECRET_CODE, "https://app/cb"),
        Credentials::pkce("cid", SECRET_PKCE_CODE, &pkce, "https://app/cb"),
        Credentials::saml2_bearer("cid", SECRET_CLIENT, "Acme", SECRET_ASSERTION),
        Credentials::refresh_token("cid", SECRET_CLIENT, SECRET_REFRESH),
    ]
}

/// Runs every login flow, a renewal on 401 and failures, collecting errors.
async fn run_every_flow(errors: &mut Vec<Error>) {
    // Client credentials: login, a call refused with 401, a new token, the retry.
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(token_response(SECRET_ACCESS_1, Some(3600), None))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_mock(SECRET_ACCESS_2).expect(1).mount(&server).await;
    me_unauthorized(SECRET_ACCESS_1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ME))
        .and(header(
            "authorization",
            format!("Bearer {SECRET_ACCESS_2}").as_str(),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ININ-Correlation-Id", "corr-trace-ok")
                .set_body_json(json!({})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .client_credentials("cid", SECRET_CLIENT)
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();
    assert_no_secret("Client Debug", &format!("{client:?}"));

    // A static token refused with 401 (with a correlation id).
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("ININ-Correlation-Id", "corr-trace-401")
                .set_body_json(json!({ "message": "no", "status": 401 })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .access_token(SECRET_STATIC)
        .build()
        .unwrap();
    errors.push(client.tokens().get_tokens_me().await.unwrap_err());
    assert_no_secret("Client Debug", &format!("{client:?}"));

    // The authorization code: exchange, 401, refresh, retry.
    let server = MockServer::start().await;
    token_endpoint()
        .and(body_string_contains("grant_type=authorization_code"))
        .respond_with(token_response(
            SECRET_CODE_ACCESS_1,
            Some(3600),
            Some(SECRET_REFRESH),
        ))
        .expect(1)
        .mount(&server)
        .await;
    token_endpoint()
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(token_response(
            SECRET_CODE_ACCESS_2,
            Some(3600),
            Some(SECRET_REFRESH),
        ))
        .expect(1)
        .mount(&server)
        .await;
    me_unauthorized(SECRET_CODE_ACCESS_1)
        .expect(1)
        .mount(&server)
        .await;
    me_ok(SECRET_CODE_ACCESS_2).expect(1).mount(&server).await;
    let client = builder(&server)
        .credentials(all_credentials().remove(2))
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();

    // PKCE, SAML2 bearer and refresh token logins.
    let logins = [
        (3usize, SECRET_PKCE_ACCESS),
        (4, SECRET_SAML_ACCESS),
        (5, SECRET_CODE_ACCESS_1),
    ];
    for (index, token) in logins {
        let server = MockServer::start().await;
        token_mock(token).expect(1).mount(&server).await;
        me_ok(token).expect(1).mount(&server).await;
        let client = builder(&server)
            .credentials(all_credentials().remove(index))
            .build()
            .unwrap();
        client.tokens().get_tokens_me().await.unwrap();
    }

    // A refused login and an unreachable login host.
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("ININ-Correlation-Id", "corr-trace-auth")
                .set_body_json(json!({ "error": "invalid_client", "error_description": "bad" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .client_credentials("cid", SECRET_CLIENT)
        .build()
        .unwrap();
    errors.push(client.tokens().get_tokens_me().await.unwrap_err());
    let client = Client::builder()
        .base_url(server.uri())
        .login_url(closed_port_url())
        .credentials(all_credentials().remove(2))
        .build()
        .unwrap();
    errors.push(client.tokens().get_tokens_me().await.unwrap_err());

    // A transport failure and a timeout.
    let client = Client::builder()
        .base_url(closed_port_url())
        .access_token(SECRET_STATIC)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(client.tokens().get_tokens_me().await.unwrap_err());
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(200).set_delay(ms(300)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .access_token(SECRET_STATIC)
        .total_timeout(ms(50))
        .build()
        .unwrap();
    errors.push(client.tokens().get_tokens_me().await.unwrap_err());
}

#[tokio::test(flavor = "current_thread")]
async fn logs_carry_call_fields_and_no_secrets() {
    let logs = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .finish();
    let mut errors = Vec::new();
    {
        // Other tests hit the same callsites on other threads, which have no
        // subscriber. With a single registered dispatcher, tracing-core
        // computes a callsite's cached interest from the default of whichever
        // thread registers it first, so a callsite first hit elsewhere would be
        // cached as "never" and vanish from this test's logs. A second (no-op)
        // dispatcher makes it consult every registered dispatcher instead.
        let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
        let _guard = tracing::subscriber::set_default(subscriber);
        tracing::callsite::rebuild_interest_cache();
        run_every_flow(&mut errors).await;
    }
    let text = logs.text();
    assert_no_secret("the logs", &text);

    // The call span and its fields.
    for expected in [
        "genesys_cloud.call",
        "getTokensMe",
        "method=GET",
        "/api/v2/tokens/me",
        "status=200",
        "status=401",
        "attempts=",
        "corr-trace-ok",
        "corr-trace-401",
        "corr-trace-auth",
        "latency_ms=",
        "token request",
        "client_credentials",
        "renewing the access token",
    ] {
        assert!(
            text.contains(expected),
            "the logs lack {expected:?}:\n{text}"
        );
    }
    // The successful call's span carries all its fields together.
    let closed = text
        .lines()
        .find(|line| line.contains("corr-trace-ok") && line.contains("close"))
        .unwrap_or_else(|| panic!("no closed span with the correlation id:\n{text}"));
    for field in [
        "operation=\"getTokensMe\"",
        "method=GET",
        "path=\"/api/v2/tokens/me\"",
        "status=200",
        "attempts=",
    ] {
        assert!(closed.contains(field), "{field} missing in {closed}");
    }

    assert_eq!(errors.len(), 5);
    for error in &errors {
        assert_no_secret("an error's Debug", &format!("{error:?}"));
        assert_no_secret("an error's Display", &error.to_string());
        if let Error::Auth(auth) = error {
            assert_no_secret("an AuthError's Debug", &format!("{auth:?}"));
        }
    }
}

#[test]
fn debug_output_has_no_secrets() {
    for credentials in all_credentials() {
        let debug = format!("{credentials:?}");
        assert_no_secret("Credentials Debug", &debug);
        assert!(debug.contains("[REDACTED]"), "{debug}");
        let builder = Client::builder()
            .base_url(format!(
                "https://user:{SECRET_URL_PASSWORD}@api.example.com"
            ))
            .login_url(format!(
                "https://user:{SECRET_URL_PASSWORD}@login.example.com"
            ))
            .credentials(credentials.clone());
        assert_no_secret("ClientBuilder Debug", &format!("{builder:?}"));
        let client = builder.build().unwrap();
        assert_no_secret("Client Debug", &format!("{client:?}"));
        assert_no_secret("Client Debug", &format!("{:#?}", client.clone()));
    }
    // The client id and org name are not secrets and help debugging.
    let saml = format!("{:?}", all_credentials()[4]);
    assert!(
        saml.contains("cid") && saml.contains("Acme") && saml.contains("saml2_bearer"),
        "{saml}"
    );

    let pkce = Pkce::from_verifier(SECRET_VERIFIER);
    let debug = format!("{pkce:?}");
    assert_no_secret("Pkce Debug", &debug);
    assert!(debug.contains(pkce.challenge()), "{debug}");
    assert_no_secret("secret Debug", &format!("{:?}", pkce.verifier()));

    let url = AuthorizeUrl::new("https://gw.example.com/login", "cid", "https://app/cb")
        .unwrap()
        .pkce(&pkce);
    assert_no_secret("AuthorizeUrl", &format!("{url:?} {}", url.url()));

    // A token that cannot be a header value is refused without echoing it.
    let err = Client::builder()
        .access_token(format!("{SECRET_STATIC}\n"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert_no_secret("Error Debug", &format!("{err:?} {err}"));
}

#[tokio::test]
async fn pkce_refreshes_as_a_public_client_after_a_401() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(token_response("pkce-1", Some(3600), Some("pkce-refresh")))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_endpoint()
        .respond_with(token_response("pkce-2", Some(3600), None))
        .expect(1)
        .mount(&server)
        .await;
    me_unauthorized("pkce-1").expect(1).mount(&server).await;
    me_ok("pkce-2").expect(1).mount(&server).await;
    let pkce = Pkce::new().unwrap();
    let client = builder(&server)
        .credentials(Credentials::pkce(
            "public-client",
            "code",
            &pkce,
            "http://localhost/cb",
        ))
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();

    let tokens = received_at(&server, TOKEN_PATH).await;
    assert_eq!(tokens.len(), 2);
    // No secret: no Basic header, the client id in the form.
    assert_token_request(
        &tokens[1],
        None,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "pkce-refresh"),
            ("client_id", "public-client"),
        ],
    );
}

#[tokio::test]
async fn a_failed_early_renewal_keeps_the_current_token_until_it_expires() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(token_response("still-good", Some(1), None))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_endpoint()
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    me_ok("still-good").expect(2).mount(&server).await;
    // Renewal is due half-way (0.5 s); the token expires at 1 s.
    let client = builder(&server)
        .client_credentials("cid", "csecret")
        .token_renew_margin(Duration::from_secs(10))
        .build()
        .unwrap();
    client.tokens().get_tokens_me().await.unwrap();
    tokio::time::sleep(ms(600)).await;
    client
        .tokens()
        .get_tokens_me()
        .await
        .expect("the renewal failed, but the token has not expired yet");
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 2);
}

#[tokio::test]
async fn one_call_overrides_the_clients_retries_and_time_limits() {
    let server = MockServer::start().await;
    me_status(503).mount(&server).await;
    // The client retries three times; this call not at all.
    let client = access_token_client(&server, "t");
    let err = client
        .tokens()
        .get_tokens_me()
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(api_status(&err), 503);
    assert_eq!(received(&server).await.len(), 1);
    // The next call on the same client retries as the client says.
    client.tokens().get_tokens_me().await.unwrap_err();
    assert_eq!(received(&server).await.len(), 4);

    let slow = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(200).set_delay(ms(400)))
        .mount(&slow)
        .await;
    let client = access_token_client(&slow, "t");
    let err = client
        .tokens()
        .get_tokens_me()
        .timeout(ms(50))
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { kind: TimeoutKind::Attempt, limit, max_attempts: 1, .. } if limit == ms(50)),
        "{err:?}"
    );
    let started = Instant::now();
    let err = client
        .tokens()
        .get_tokens_me()
        .total_timeout(ms(120))
        .await
        .unwrap_err();
    assert!(started.elapsed() < ms(390), "{:?}", started.elapsed());
    assert!(
        matches!(err, Error::Timeout { kind: TimeoutKind::Call, limit, .. } if limit == ms(120)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_success_comes_with_its_status_headers_correlation_id_and_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(TIMEOUT_PATH))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(TIMEOUT_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ININ-Correlation-Id", "corr-7")
                .insert_header("X-RateLimit-Remaining", "41")
                .set_body_json(json!({ "idleTokenTimeoutSeconds": 900 })),
        )
        .mount(&server)
        .await;
    let client = access_token_client(&server, "t");
    let response = client
        .tokens()
        .get_tokens_timeout()
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.attempts(), 2);
    assert_eq!(response.correlation_id(), Some("corr-7"));
    assert_eq!(response.header("x-ratelimit-remaining"), Some("41"));
    assert_eq!(response.value().idle_token_timeout_seconds, Some(900));
    let seconds = response.map(|t| t.idle_token_timeout_seconds).into_value();
    assert_eq!(seconds, Some(900));
    // A call without a body has its metadata too.
    Mock::given(method("DELETE"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let deleted = client
        .tokens()
        .delete_tokens_me()
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!((deleted.status(), deleted.attempts()), (204, 1));
}

#[tokio::test]
async fn errors_say_what_kind_they_are_and_where_they_come_from() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/tokens/gone"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    me_status(429).mount(&server).await;
    let client = access_token_client(&server, "t");
    let gone = client.tokens().delete_token("gone").await.unwrap_err();
    assert!(
        gone.is_not_found() && !gone.is_throttled() && !gone.is_retryable(),
        "{gone}"
    );
    let throttled = client
        .tokens()
        .get_tokens_me()
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    assert!(
        throttled.is_throttled() && throttled.is_retryable(),
        "{throttled}"
    );

    // A connection that fails is retryable, and keeps its cause.
    let closed = Client::builder()
        .base_url(closed_port_url())
        .access_token("t")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let refused = closed.tokens().get_tokens_me().await.unwrap_err();
    assert!(refused.is_retryable(), "{refused}");
    assert!(std::error::Error::source(&refused).is_some());
    // A login that cannot connect says why, down to the HTTP client's error.
    let login = Client::builder()
        .base_url(server.uri())
        .login_url(closed_port_url())
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    let failed = login.tokens().get_tokens_me().await.unwrap_err();
    let auth = std::error::Error::source(&failed).expect("the login's error");
    assert!(auth.to_string().contains("login failed"), "{auth}");
    assert!(auth.source().is_some(), "the transport error behind {auth}");
    assert!(!failed.is_retryable());
}
