//! The HTTP client: configuration, request building, authentication,
//! retries, redirects, timeouts and tracing of every call.

#[cfg(feature = "oauth")]
use crate::auth::{TokenManager, TokenSettings};
use crate::config::{parse_base_url, parse_retry_after, Hooks, RedirectPolicy, RetryPolicy};
use crate::conventions::{CALL_SPAN, HEADERS, TRACE_TARGET};
use crate::error::{ApiError, Error, TimeoutKind};
use crate::exchange::{
    clip, correlation_id, decide_hop, header_text, is_redirect, later, read_limited, read_prefix,
    redirect_target, stage_of, strip_credentials, BodyError, Hop, DEFAULT_MAX_RESPONSE_BYTES,
    ECHO_LIMIT, ERROR_BODY_LIMIT,
};
#[cfg(feature = "oauth")]
use crate::grants::Credentials;
#[cfg(all(feature = "oauth", not(feature = "relative-login")))]
use crate::grants::DEFAULT_LOGIN_URL;
#[cfg(feature = "gateways")]
use crate::regions::Gateway;
#[cfg(feature = "regions")]
use crate::regions::Region;
#[cfg(feature = "held")]
use crate::security::Held;
#[cfg(feature = "security")]
use crate::security::Scheme;
#[cfg(feature = "servers")]
use crate::servers::Server;
use crate::tls::Tls;
#[cfg(feature = "path-params")]
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
#[cfg(feature = "oauth")]
use reqwest::header::AUTHORIZATION;
#[cfg(any(
    feature = "json-body",
    feature = "form-body",
    feature = "multipart-body",
    feature = "text-body",
    feature = "bytes-body"
))]
use reqwest::header::CONTENT_TYPE;
#[cfg(any(feature = "cookie", feature = "cookie-list"))]
use reqwest::header::COOKIE;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, USER_AGENT};
use reqwest::{Method, Url};
#[cfg(feature = "oauth")]
use secrecy::SecretString;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;
use tracing::Instrument;

/// The `User-Agent` sent with every request unless the client is given another.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// How long one attempt may take unless configured otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(16);

/// How long connecting may take unless configured otherwise.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a whole call, retries included, may take unless configured otherwise.
const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(60);

/// Renew tokens this long before they expire unless configured otherwise.
#[cfg(feature = "oauth")]
const DEFAULT_RENEW_MARGIN: Duration = Duration::from_secs(60);

/// Characters left as they are in a path segment: RFC 3986 unreserved ones.
#[cfg(feature = "path-params")]
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Headers that frame or route a request: the client sets them, a call cannot.
const RESERVED_HEADERS: &[&str] = &[
    "connection",
    "content-length",
    "expect",
    "host",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// A client of the API. Cheap to clone: clones share one connection pool.
#[cfg_attr(feature = "oauth", doc = " They share one token cache too.")]
///
/// Make one with [`Client::new`] or [`Client::builder`]; the crate's
/// documentation has examples.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    base_url: Url,
    #[cfg(feature = "oauth")]
    login_url: Url,
    #[cfg(feature = "oauth")]
    auth: Option<TokenManager>,
    #[cfg(feature = "held")]
    held: Vec<(Scheme, Held)>,
    retry: RetryPolicy,
    redirects: RedirectPolicy,
    attempt_timeout: Duration,
    total_timeout: Duration,
    max_response_bytes: u64,
    user_agent: HeaderValue,
    hooks: Option<Arc<dyn Hooks>>,
}

impl Client {
    /// A client for the default base URL, authenticated with a bearer token.
    #[cfg(feature = "token-new")]
    pub fn new(token: impl Into<String>) -> Result<Client, Error> {
        crate::security::with_token(Client::builder(), token.into()).build()
    }

    /// A client for the default base URL.
    #[cfg_attr(feature = "security", doc = " It has no credentials.")]
    #[cfg(not(feature = "token-new"))]
    pub fn new() -> Result<Client, Error> {
        Client::builder().build()
    }

    /// Configures a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL every request path is appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The URL logins go to.
    #[cfg(feature = "oauth")]
    pub fn login_url(&self) -> &Url {
        &self.inner.login_url
    }

    /// The current access token, fetching or renewing it first if needed
    /// (within the total timeout); `None` for a client without credentials.
    #[cfg(feature = "oauth")]
    pub async fn access_token(&self) -> Result<Option<SecretString>, Error> {
        let Some(auth) = &self.inner.auth else {
            return Ok(None);
        };
        let total = self.inner.total_timeout;
        let started = Instant::now();
        match tokio::time::timeout_at(later(started, total), auth.bearer(later(started, total)))
            .await
        {
            Ok(Ok(bearer)) => Ok(Some(bearer.value)),
            Ok(Err(e)) => Err(Error::Auth(Box::new(e))),
            Err(_) => Err(Error::Timeout {
                operation: "access_token",
                kind: TimeoutKind::Call,
                limit: total,
                after: started.elapsed(),
                attempt: 1,
                max_attempts: 1,
                during: "waiting for a token",
            }),
        }
    }

    /// The refresh token of an authorization code login, to keep for the
    /// next session.
    #[cfg_attr(feature = "refresh", doc = "")]
    #[cfg_attr(
        feature = "refresh",
        doc = " [`Credentials::refresh_token`] logs in with it."
    )]
    #[cfg(feature = "oauth")]
    pub async fn refresh_token(&self) -> Option<SecretString> {
        match &self.inner.auth {
            Some(auth) => auth.refresh_token().await,
            None => None,
        }
    }

    #[cfg_attr(
        all(feature = "security", feature = "operation-servers"),
        allow(clippy::too_many_arguments)
    )]
    pub(crate) fn request(
        &self,
        operation: &'static str,
        method: Method,
        path_template: &'static str,
        path: String,
        options: &CallOptions,
        #[cfg(feature = "security")] security: &'static [&'static [Scheme]],
        #[cfg(feature = "operation-servers")] server: Option<&'static str>,
    ) -> Result<Request<'_>, Error> {
        if let Some(message) = &options.invalid {
            return Err(Error::InvalidRequest {
                operation,
                message: message.clone(),
            });
        }
        // The operation's own server, or the URL the call was given instead.
        #[cfg(feature = "operation-servers")]
        let base = match options.base_url.as_deref().or(server) {
            Some(raw) => Some(
                parse_base_url(raw, "operation URL")
                    .map_err(|message| Error::InvalidRequest { operation, message })?,
            ),
            None => None,
        };
        Ok(Request {
            client: self,
            operation,
            method,
            path_template,
            path,
            query: Vec::new(),
            headers: options.headers.clone(),
            accept: "application/json",
            body: None,
            retry: options
                .retry
                .clone()
                .unwrap_or_else(|| self.inner.retry.clone()),
            attempt_timeout: options
                .attempt_timeout
                .unwrap_or(self.inner.attempt_timeout),
            total_timeout: options.total_timeout.unwrap_or(self.inner.total_timeout),
            #[cfg(feature = "security")]
            security,
            #[cfg(feature = "operation-servers")]
            base,
            #[cfg(feature = "page-links")]
            link: None,
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Client");
        s.field("base_url", &redacted_url(&self.inner.base_url));
        #[cfg(feature = "oauth")]
        s.field("login_url", &redacted_url(&self.inner.login_url))
            .field("oauth", &self.inner.auth.as_ref().map(|_| "[REDACTED]"));
        #[cfg(feature = "held")]
        s.field(
            "credentials",
            &self
                .inner
                .held
                .iter()
                .map(|(scheme, _)| scheme)
                .collect::<Vec<_>>(),
        );
        s.field("retry", &self.inner.retry)
            .field("redirects", &self.inner.redirects)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("total_timeout", &self.inner.total_timeout)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// A `reqwest::ClientBuilder` ready to be customised (proxies, headers,
/// pools) and handed to [`ClientBuilder::http_client`], with this crate's
/// default connect timeout and TLS configuration in place: the operating
/// system's root certificates and the crate's [`crypto_provider`](crate::crypto_provider)
/// (no process-wide provider is installed).
///
/// Set root and client certificates with [`Tls`] instead of `reqwest`'s
/// certificate methods, which do not apply to a preconfigured TLS backend:
/// `http_client_builder().tls_backend_preconfigured(tls.rustls_config()?)`.
/// It also turns off `reqwest`'s own redirect following: the client follows
/// redirects itself, as its [`RedirectPolicy`] says, keeping credentials and
/// bodies on their origin. Do not set another redirect policy on it.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder()
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none());
    match Tls::new().rustls_config() {
        Ok(config) => builder.tls_backend_preconfigured(config),
        Err(error) => {
            // Only a process-wide provider the application installed that
            // supports neither TLS 1.2 nor 1.3 gets here; `build` then fails
            // (an unknown TLS backend) instead of connecting without TLS.
            tracing::error!(target: TRACE_TARGET, error = %error, "the TLS crypto provider cannot be used");
            builder.tls_backend_preconfigured(error)
        }
    }
}

/// The URL with any password in it hidden, for `Debug` output.
fn redacted_url(url: &Url) -> String {
    if url.password().is_none() {
        return url.as_str().to_owned();
    }
    let mut shown = url.clone();
    let _ = shown.set_password(Some("REDACTED"));
    shown.to_string()
}

/// Settings for a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    #[cfg(feature = "oauth")]
    login_url: Option<String>,
    #[cfg(feature = "oauth")]
    credentials: Option<Credentials>,
    #[cfg(feature = "oauth")]
    renew_margin: Option<Duration>,
    #[cfg(feature = "gateways")]
    gateway: Option<Gateway>,
    #[cfg(feature = "held")]
    held: Vec<(Scheme, Result<Held, String>)>,
    http: Option<reqwest::Client>,
    tls: Option<Tls>,
    #[cfg(feature = "test-util")]
    mock: Option<crate::mock::Mock>,
    retry: Option<RetryPolicy>,
    redirects: Option<RedirectPolicy>,
    attempt_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
    user_agent: Option<String>,
    hooks: Option<Arc<dyn Hooks>>,
}

impl ClientBuilder {
    /// Calls the API in a region, at its [`api_url`](Region::api_url).
    #[cfg_attr(
        feature = "oauth",
        doc = " Logins go to its [`login_url`](Region::login_url)."
    )]
    /// The default is [`Region::default`].
    #[cfg(feature = "regions")]
    pub fn region(mut self, region: Region) -> Self {
        self.base_url = Some(region.api_url());
        #[cfg(feature = "oauth")]
        {
            self.login_url = Some(region.login_url());
        }
        self
    }

    /// The URL API requests go to, or a proxy such as
    /// `https://gateway.example.com/api`.
    #[cfg_attr(
        all(feature = "oauth", feature = "regions"),
        doc = " Logins go to the matching region's login host when the URL is a"
    )]
    #[cfg_attr(
        all(feature = "oauth", feature = "regions"),
        doc = " region's, and to the same URL otherwise, unless"
    )]
    #[cfg_attr(
        all(
            feature = "oauth",
            not(feature = "regions"),
            feature = "relative-login"
        ),
        doc = " Logins go to the same URL unless"
    )]
    #[cfg_attr(
        all(
            feature = "oauth",
            not(feature = "regions"),
            not(feature = "relative-login")
        ),
        doc = " Logins still go to the login URL the API's description gives unless"
    )]
    #[cfg_attr(
        feature = "oauth",
        doc = " [`login_url`](Self::login_url) says otherwise."
    )]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Calls the API at one of the servers its description lists; the
    /// default is [`Server::default`].
    #[cfg(feature = "servers")]
    pub fn server(mut self, server: Server) -> Self {
        self.base_url = Some(server.url());
        self
    }

    /// The URL logins go to, in place of the one the API's description
    /// gives: tokens are requested from the token endpoint's path below it.
    #[cfg(feature = "oauth")]
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = Some(url.into());
        self
    }

    /// Renew tokens this long before they expire (at most half their
    /// lifetime). Default: 60 seconds.
    #[cfg(feature = "oauth")]
    pub fn token_renew_margin(mut self, margin: Duration) -> Self {
        self.renew_margin = Some(margin);
        self
    }

    /// Logs in with `credentials`, replacing earlier ones.
    #[cfg(feature = "oauth")]
    pub(crate) fn oauth(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sends API calls through a gateway; overrides the region and the base URL.
    #[cfg_attr(
        feature = "oauth",
        doc = " Logins go through it too, in place of the login URL."
    )]
    #[cfg(feature = "gateways")]
    pub fn gateway(mut self, gateway: Gateway) -> Self {
        self.gateway = Some(gateway);
        self
    }

    /// Keeps a credential for `scheme`, replacing an earlier one; a bad one
    /// fails [`build`](Self::build).
    #[cfg(feature = "held")]
    pub(crate) fn hold(mut self, scheme: Scheme, held: Result<Held, String>) -> Self {
        self.held.retain(|(s, _)| *s != scheme);
        self.held.push((scheme, held));
        self
    }

    /// Sends requests through this `reqwest` client (for proxies, custom
    /// root certificates or client certificates). Make it from
    /// [`http_client_builder`](crate::http_client_builder), which leaves
    /// redirects to this client. Its own timeouts then apply instead of
    /// [`connect_timeout`](Self::connect_timeout).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The certificates the client trusts and shows (see [`Tls`]); by
    /// default the operating system's roots and no client certificate. Not
    /// used with [`http_client`](Self::http_client), whose own TLS settings
    /// apply.
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Sends every request, token requests too, to `mock` instead of the
    /// network: nothing else changes (see [`Mock`](crate::mock::Mock)).
    #[cfg(feature = "test-util")]
    pub fn mock(mut self, mock: &crate::mock::Mock) -> Self {
        self.mock = Some(mock.clone());
        self
    }

    /// How failed calls are retried; see [`RetryPolicy`] for the default.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Which redirects API calls follow; see [`RedirectPolicy`] for the
    /// default (the same origin only). Token requests follow none.
    pub fn redirects(mut self, policy: RedirectPolicy) -> Self {
        self.redirects = Some(policy);
        self
    }

    /// The longest one attempt may take, from sending to reading the last
    /// byte of the response, redirects included. Default: 16 seconds.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The longest connecting may take. Default: 10 seconds.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The longest a whole call may take, token requests, retries and their
    /// waits included. Default: 60 seconds.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// The largest response body read into memory, in bytes. A larger body
    /// fails the call with [`Error::ResponseTooLarge`] as soon as it is
    /// announced or passes the limit, without being read further.
    #[cfg_attr(
        feature = "streaming",
        doc = " Bodies streamed with an operation's `send_streaming` are not limited."
    )]
    /// Default: 64 MiB.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// The `User-Agent` header; defaults to this crate's name and version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Hooks called around every HTTP exchange.
    pub fn hooks(mut self, hooks: impl Hooks) -> Self {
        self.hooks = Some(Arc::new(hooks));
        self
    }

    /// Checks the settings and makes the client.
    pub fn build(self) -> Result<Client, Error> {
        let config = |message: String| Error::Config { message };
        #[cfg(all(feature = "oauth", feature = "gateways"))]
        let (base_url, login_url) = match &self.gateway {
            Some(gateway) => (
                parse_base_url(&gateway.url(&gateway.api_path), "gateway API URL")
                    .map_err(config)?,
                parse_base_url(&gateway.url(&gateway.login_path), "gateway login URL")
                    .map_err(config)?,
            ),
            None => self.hosts()?,
        };
        #[cfg(all(feature = "oauth", not(feature = "gateways")))]
        let (base_url, login_url) = self.hosts()?;
        #[cfg(all(not(feature = "oauth"), feature = "gateways"))]
        let base_url = match &self.gateway {
            Some(gateway) => parse_base_url(&gateway.url(&gateway.api_path), "gateway API URL")
                .map_err(config)?,
            None => parse_base_url(
                self.base_url.as_deref().unwrap_or(crate::DEFAULT_BASE_URL),
                "base URL",
            )
            .map_err(config)?,
        };
        #[cfg(all(not(feature = "oauth"), not(feature = "gateways")))]
        let base_url = parse_base_url(
            self.base_url.as_deref().unwrap_or(crate::DEFAULT_BASE_URL),
            "base URL",
        )
        .map_err(config)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            config(format!(
                "user agent `{}` is not a valid header value",
                clip(user_agent, ECHO_LIMIT)
            ))
        })?;
        #[cfg(feature = "test-util")]
        let mocked = self.mock.map(Transport::Mock);
        #[cfg(not(feature = "test-util"))]
        let mocked = None;
        let transport = match (mocked, self.http) {
            (Some(mock), _) => mock,
            (None, Some(http)) => Transport::Http(http),
            (None, None) => {
                let tls = self
                    .tls
                    .unwrap_or_default()
                    .rustls_config()
                    .map_err(|e| config(format!("the TLS settings cannot be used: {e}")))?;
                Transport::Http(
                    http_client_builder()
                        .tls_backend_preconfigured(tls)
                        .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                        .build()
                        .map_err(|e| config(format!("the HTTP client cannot be created: {e}")))?,
                )
            }
        };
        let attempt_timeout = self.attempt_timeout.unwrap_or(DEFAULT_TIMEOUT);
        let retry = self.retry.unwrap_or_default();
        #[cfg(feature = "held")]
        let mut held = Vec::with_capacity(self.held.len());
        #[cfg(feature = "held")]
        for (scheme, credential) in self.held {
            held.push((scheme, credential.map_err(config)?));
        }
        #[cfg(feature = "oauth")]
        let auth = match self.credentials {
            Some(credentials) => {
                let settings = TokenSettings {
                    renew_margin: self.renew_margin.unwrap_or(DEFAULT_RENEW_MARGIN),
                    timeout: attempt_timeout,
                    user_agent: user_agent.clone(),
                    backoff: retry.clone(),
                };
                Some(
                    TokenManager::new(credentials, login_url.clone(), transport.clone(), settings)
                        .map_err(|m| config(m.to_owned()))?,
                )
            }
            None => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                base_url,
                #[cfg(feature = "oauth")]
                login_url,
                #[cfg(feature = "oauth")]
                auth,
                #[cfg(feature = "held")]
                held,
                retry,
                redirects: self.redirects.unwrap_or_default(),
                attempt_timeout,
                total_timeout: self.total_timeout.unwrap_or(DEFAULT_TOTAL_TIMEOUT),
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                user_agent,
                hooks: self.hooks,
            }),
        })
    }

    /// The base URL and the login URL, from the settings or the defaults:
    /// a region's API URL logs in at the region's login host, any other URL
    /// at itself, and without either the login URL the API's description
    /// gives is used (the base URL when that is relative).
    #[cfg(feature = "oauth")]
    fn hosts(&self) -> Result<(Url, Url), Error> {
        let config = |message: String| Error::Config { message };
        let base = parse_base_url(
            self.base_url.as_deref().unwrap_or(crate::DEFAULT_BASE_URL),
            "base URL",
        )
        .map_err(config)?;
        let login = match (&self.login_url, &self.base_url) {
            (Some(raw), _) => parse_base_url(raw, "login URL").map_err(config)?,
            #[cfg(feature = "regions")]
            (None, Some(_)) => Region::of_api_url(&base)
                .map_or_else(
                    || Ok(base.clone()),
                    |r| parse_base_url(&r.login_url(), "login URL"),
                )
                .map_err(config)?,
            #[cfg(all(not(feature = "regions"), feature = "relative-login"))]
            (None, Some(_)) => base.clone(),
            #[cfg(feature = "relative-login")]
            (None, None) => base.clone(),
            #[cfg(not(feature = "relative-login"))]
            (None, _) => parse_base_url(DEFAULT_LOGIN_URL, "login URL").map_err(config)?,
        };
        Ok((base, login))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |u: &Option<String>| {
            u.as_deref().map(|u| match Url::parse(u) {
                Ok(url) => redacted_url(&url),
                Err(_) => u.to_owned(),
            })
        };
        let mut s = f.debug_struct("ClientBuilder");
        s.field("base_url", &shown(&self.base_url));
        #[cfg(feature = "oauth")]
        s.field("login_url", &shown(&self.login_url))
            .field("oauth", &self.credentials);
        #[cfg(feature = "gateways")]
        s.field("gateway", &self.gateway);
        #[cfg(feature = "held")]
        s.field(
            "credentials",
            &self
                .held
                .iter()
                .map(|(scheme, _)| scheme)
                .collect::<Vec<_>>(),
        );
        s.field("retry", &self.retry)
            .field("redirects", &self.redirects)
            .field("timeout", &self.attempt_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_response_size", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

/// Settings of one call, set through the request builders.
#[derive(Clone, Default)]
pub(crate) struct CallOptions {
    headers: HeaderMap,
    /// The first invalid header given, reported when the call is sent.
    invalid: Option<String>,
    /// The client's settings this call overrides.
    retry: Option<RetryPolicy>,
    attempt_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    /// Where to send the call instead of the operation's own server.
    #[cfg(feature = "operation-servers")]
    base_url: Option<String>,
}

impl CallOptions {
    /// Retries this call as `policy` says instead of the client's policy.
    pub(crate) fn retry(&mut self, policy: RetryPolicy) {
        self.retry = Some(policy);
    }

    /// Gives each attempt of this call `timeout` instead of the client's.
    pub(crate) fn attempt_timeout(&mut self, timeout: Duration) {
        self.attempt_timeout = Some(timeout);
    }

    /// Gives this call `timeout` in all instead of the client's total timeout.
    pub(crate) fn total_timeout(&mut self, timeout: Duration) {
        self.total_timeout = Some(timeout);
    }

    /// Sends the call to `url` instead of the operation's own server.
    #[cfg(feature = "operation-servers")]
    pub(crate) fn base_url(&mut self, url: String) {
        self.base_url = Some(url);
    }

    /// Adds a header to this call; an invalid name or value, or a header
    /// that frames or routes the request, fails the call when it is sent.
    pub(crate) fn header(&mut self, name: &str, value: &str) {
        match header_pair(name, value) {
            Ok((name, _)) if RESERVED_HEADERS.contains(&name.as_str()) => {
                self.invalid.get_or_insert(format!(
                    "header `{name}` frames or routes the request and is set by the client; \
                     a call cannot set Host, Content-Length, Transfer-Encoding, Connection or their kin"
                ));
            }
            Ok((name, value)) => {
                self.headers.append(name, value);
            }
            Err(message) => {
                self.invalid.get_or_insert(message);
            }
        }
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be secrets: show only the names.
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("CallOptions")
            .field("headers", &names)
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("total_timeout", &self.total_timeout)
            .finish_non_exhaustive()
    }
}

/// A checked header; secret ones are marked sensitive.
fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{}` is not a valid header name", clip(name, ECHO_LIMIT)))?;
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        format!(
            "the value of header `{}` is not valid",
            clip(name.as_str(), ECHO_LIMIT)
        )
    })?;
    if is_secret_header(&name) {
        value.set_sensitive(true);
    }
    Ok((name, value))
}

fn is_secret_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    )
}

/// Builds a request path, percent-encoding each parameter as one segment.
#[cfg(feature = "path-params")]
pub(crate) struct PathBuilder {
    operation: &'static str,
    path: String,
}

#[cfg(feature = "path-params")]
impl PathBuilder {
    pub(crate) fn new(operation: &'static str) -> Self {
        PathBuilder {
            operation,
            path: String::new(),
        }
    }

    pub(crate) fn literal(mut self, text: &str) -> Self {
        self.path.push_str(text);
        self
    }

    /// Appends a parameter as exactly one path segment: `/`, `?`, `#`, `%`,
    /// spaces and non-ASCII are percent-encoded. Values that would name
    /// another resource (empty, `.` or `..`) are refused.
    pub(crate) fn param(mut self, name: &str, value: &dyn fmt::Display) -> Result<Self, Error> {
        let value = value.to_string();
        if value.is_empty() || value == "." || value == ".." {
            return Err(Error::InvalidRequest {
                operation: self.operation,
                message: format!(
                    "path parameter `{name}` must not be empty, `.` or `..` (got {value:?})"
                ),
            });
        }
        self.path.extend(utf8_percent_encode(&value, PATH_SEGMENT));
        Ok(self)
    }

    pub(crate) fn finish(self) -> String {
        self.path
    }
}

/// One request being put together.
pub(crate) struct Request<'a> {
    client: &'a Client,
    operation: &'static str,
    method: Method,
    path_template: &'static str,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: HeaderMap,
    /// The media types the response may be read in.
    accept: &'static str,
    body: Option<bytes::Bytes>,
    /// The retry policy and time limits of this call: the client's unless
    /// the call set its own.
    retry: RetryPolicy,
    attempt_timeout: Duration,
    total_timeout: Duration,
    /// The schemes the operation accepts: alternatives, each sent whole.
    #[cfg(feature = "security")]
    security: &'static [&'static [Scheme]],
    /// The operation's own base URL, when it is not the client's.
    #[cfg(feature = "operation-servers")]
    base: Option<Url>,
    /// The next page's URL, sent instead of the path and query.
    #[cfg(feature = "page-links")]
    link: Option<Url>,
}

/// Where requests go: the HTTP client, or a mock.
#[derive(Clone)]
pub(crate) enum Transport {
    Http(reqwest::Client),
    #[cfg(feature = "test-util")]
    Mock(crate::mock::Mock),
}

impl Transport {
    /// Sends `request`, made for `operation` (whose path is
    /// `path_template`): the response and the URL it came from.
    pub(crate) async fn send(
        &self,
        operation: &'static str,
        path_template: &'static str,
        request: reqwest::Request,
    ) -> Result<(reqwest::Response, Url), reqwest::Error> {
        match self {
            Transport::Http(http) => {
                let _ = (operation, path_template);
                let response = http.execute(request).await?;
                let url = response.url().clone();
                Ok((response, url))
            }
            #[cfg(feature = "test-util")]
            Transport::Mock(mock) => mock.answer(operation, path_template, request).await,
        }
    }
}

/// What one attempt produced.
enum Attempt {
    Done(Result<Exchange, Error>),
    /// Wait, then try again.
    Retry(Duration, Error),
    /// The token was refused: get a new one and try again at once.
    #[cfg(feature = "oauth")]
    Reauthenticate(u64, Error),
}

/// A success response whose body is still to be read.
struct Exchange {
    response: reqwest::Response,
    status: u16,
    correlation_id: Option<String>,
    /// When the attempt's time is up.
    deadline: Instant,
    limit: AttemptLimit,
}

/// One attempt's time limit, and where the attempt stands among those allowed.
#[derive(Clone, Copy)]
struct AttemptLimit {
    operation: &'static str,
    timeout: Duration,
    /// The attempt (1 for the first) and how many are allowed.
    attempt: u32,
    max_attempts: u32,
}

impl AttemptLimit {
    /// The error for the attempt's time running out while `during`.
    fn timed_out(&self, during: &'static str) -> Error {
        Error::Timeout {
            operation: self.operation,
            kind: TimeoutKind::Attempt,
            limit: self.timeout,
            after: self.timeout,
            attempt: self.attempt,
            max_attempts: self.max_attempts,
            during,
        }
    }
}

impl Request<'_> {
    /// Adds a query parameter when it has a value.
    #[cfg(any(feature = "query", feature = "query-joined"))]
    pub(crate) fn query<T: fmt::Display + ?Sized>(
        mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Self {
        if let Some(value) = value {
            self.query.push((name, value.to_string()));
        }
        self
    }

    /// Adds a query parameter once per value (`?id=a&id=b`).
    #[cfg(feature = "query-each")]
    pub(crate) fn query_each<T: fmt::Display>(
        mut self,
        name: &'static str,
        values: Option<&[T]>,
    ) -> Self {
        for value in values.into_iter().flatten() {
            self.query.push((name, value.to_string()));
        }
        self
    }

    /// Adds a query parameter whose values are joined into one with
    /// `separator` (`?id=a,b`), when it has values.
    #[cfg(feature = "query-joined")]
    pub(crate) fn query_joined<T: fmt::Display>(
        self,
        name: &'static str,
        values: Option<&[T]>,
        separator: &str,
    ) -> Self {
        let joined = values.map(|values| {
            values
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(separator)
        });
        self.query(name, joined.as_deref())
    }

    /// Adds a header when it has a value.
    #[cfg(any(feature = "header", feature = "header-list"))]
    pub(crate) fn header<T: fmt::Display + ?Sized>(
        mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Result<Self, Error> {
        if let Some(value) = value {
            let (name, value) =
                header_pair(name, &value.to_string()).map_err(|message| Error::InvalidRequest {
                    operation: self.operation,
                    message,
                })?;
            self.headers.append(name, value);
        }
        Ok(self)
    }

    /// Adds a header whose value is a list, comma-separated (OpenAPI's
    /// `simple` style), when it has values.
    #[cfg(feature = "header-list")]
    pub(crate) fn header_list<T: fmt::Display>(
        self,
        name: &'static str,
        values: Option<&[T]>,
    ) -> Result<Self, Error> {
        let joined = values.map(comma_separated);
        self.header(name, joined.as_deref())
    }

    /// Adds a cookie whose value is a list, comma-separated, when it has values.
    #[cfg(feature = "cookie-list")]
    pub(crate) fn cookie_list<T: fmt::Display>(
        self,
        name: &'static str,
        values: Option<&[T]>,
    ) -> Result<Self, Error> {
        let joined = values.map(comma_separated);
        self.cookie(name, joined.as_deref())
    }

    /// Adds a cookie when it has a value.
    #[cfg(any(feature = "cookie", feature = "cookie-list"))]
    pub(crate) fn cookie<T: fmt::Display + ?Sized>(
        mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Result<Self, Error> {
        if let Some(value) = value {
            let pair = format!("{name}={value}");
            let combined = match self.headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                Some(existing) => format!("{existing}; {pair}"),
                None => pair,
            };
            let mut value =
                HeaderValue::from_str(&combined).map_err(|_| Error::InvalidRequest {
                    operation: self.operation,
                    message: format!("cookie `{name}`: the value is not valid in a header"),
                })?;
            value.set_sensitive(true);
            self.headers.insert(COOKIE, value);
        }
        Ok(self)
    }

    /// Asks for the response in these media types instead of JSON.
    #[cfg(feature = "accept")]
    pub(crate) fn accept(mut self, media: &'static str) -> Self {
        self.accept = media;
        self
    }

    /// Sets a JSON body when there is one.
    #[cfg(feature = "json-body")]
    pub(crate) fn json_body<T: serde::Serialize>(
        self,
        body: Option<&T>,
        content_type: &'static str,
    ) -> Result<Self, Error> {
        let operation = self.operation;
        self.encoded_body(body, content_type, |b| {
            serde_json::to_vec(b).map_err(|e| Error::InvalidRequest {
                operation,
                message: format!("the request body cannot be encoded as JSON: {e}"),
            })
        })
    }

    /// Sets a form (`application/x-www-form-urlencoded`) body when there is one.
    #[cfg(feature = "form-body")]
    pub(crate) fn form_body<T: serde::Serialize>(
        self,
        body: Option<&T>,
        content_type: &'static str,
    ) -> Result<Self, Error> {
        let operation = self.operation;
        self.encoded_body(body, content_type, |b| {
            form_encoded(b)
                .map(String::into_bytes)
                .map_err(|e| Error::InvalidRequest {
                    operation,
                    message: format!("the request body cannot be encoded as a form: {e}"),
                })
        })
    }

    /// Sets a multipart body when there is one: its parts, between a
    /// boundary none of them contains.
    #[cfg(feature = "multipart-body")]
    pub(crate) fn multipart_body(
        mut self,
        form: Result<Option<crate::multipart::Form>, String>,
        media_type: &'static str,
    ) -> Result<Self, Error> {
        let operation = self.operation;
        let invalid = |message: String| Error::InvalidRequest {
            operation,
            message: format!("the multipart body cannot be encoded: {message}"),
        };
        if let Some(form) = form.map_err(invalid)? {
            let (boundary, body) = form.encode().map_err(invalid)?;
            let value = HeaderValue::from_str(&format!("{media_type}; boundary={boundary}"))
                .map_err(|_| invalid(format!("`{media_type}` is not a valid content type")))?;
            self.body = Some(body.into());
            self.headers.insert(CONTENT_TYPE, value);
        }
        Ok(self)
    }

    /// Sets a text body when there is one.
    #[cfg(feature = "text-body")]
    pub(crate) fn text_body(
        self,
        body: Option<&String>,
        content_type: &'static str,
    ) -> Result<Self, Error> {
        self.encoded_body(body, content_type, |b| Ok(b.clone().into_bytes()))
    }

    /// Sets a binary body when there is one.
    #[cfg(feature = "bytes-body")]
    pub(crate) fn bytes_body(
        self,
        body: Option<&Vec<u8>>,
        content_type: &'static str,
    ) -> Result<Self, Error> {
        self.encoded_body(body, content_type, |b| Ok(b.clone()))
    }

    #[cfg(any(
        feature = "json-body",
        feature = "form-body",
        feature = "text-body",
        feature = "bytes-body"
    ))]
    fn encoded_body<T: ?Sized>(
        mut self,
        body: Option<&T>,
        content_type: &'static str,
        encode: impl FnOnce(&T) -> Result<Vec<u8>, Error>,
    ) -> Result<Self, Error> {
        if let Some(body) = body {
            self.body = Some(encode(body)?.into());
            let value = HeaderValue::from_str(content_type).map_err(|_| Error::InvalidRequest {
                operation: self.operation,
                message: format!("`{content_type}` is not a valid content type"),
            })?;
            self.headers.insert(CONTENT_TYPE, value);
        }
        Ok(self)
    }

    /// The URL the path is appended to: the operation's own server, or the
    /// client's base URL.
    fn base_url(&self) -> Url {
        #[cfg(feature = "operation-servers")]
        if let Some(base) = &self.base {
            return base.clone();
        }
        self.client.inner.base_url.clone()
    }

    /// Sends the request to `link`, a next page's URL as the previous page
    /// gave it (absolute, or relative to the operation's base URL), instead
    /// of its path and query. A link to another origin is refused: the
    /// request would carry the client's credentials there.
    #[cfg(feature = "page-links")]
    pub(crate) fn follow(mut self, link: &str, pages: u32) -> Result<Self, Error> {
        let base = self.base_url();
        let refuse = |reason: String| Error::Pagination {
            operation: self.operation,
            pages,
            reason,
        };
        let shown = clip(link, ECHO_LIMIT);
        let url = base
            .join(link)
            .map_err(|e| refuse(format!("the next page's link `{shown}` is no URL ({e})")))?;
        if url.origin() != base.origin() {
            return Err(refuse(format!(
                "the next page's link `{shown}` leads to another origin than {}; it is not followed, so that credentials stay on the API's",
                base.origin().ascii_serialization()
            )));
        }
        self.link = Some(url);
        Ok(self)
    }

    /// Sends the request, retrying and re-authenticating as configured, within
    /// the total timeout, and reads the whole body (at most the client's
    /// response size limit). A non-success status becomes [`Error::Api`].
    pub(crate) async fn send(self) -> Result<Received, Error> {
        let limit = self.client.inner.max_response_bytes;
        self.traced(move |mut exchange: Exchange| async move {
            #[cfg(any(
                feature = "statuses",
                feature = "json",
                feature = "text",
                feature = "bytes"
            ))]
            let body = match read_limited(&mut exchange.response, limit, exchange.deadline).await {
                Ok(body) => body,
                Err(error) => return Err(body_error(error, &exchange, limit)),
            };
            // Nothing of the body is used; it is read (within the limit) all the same.
            #[cfg(not(any(
                feature = "statuses",
                feature = "json",
                feature = "text",
                feature = "bytes"
            )))]
            if let Err(error) = read_limited(&mut exchange.response, limit, exchange.deadline).await
            {
                return Err(body_error(error, &exchange, limit));
            }
            Ok(Received {
                #[cfg(feature = "json")]
                operation: exchange.limit.operation,
                headers: std::mem::take(exchange.response.headers_mut()),
                attempts: exchange.limit.attempt,
                status: exchange.status,
                correlation_id: exchange.correlation_id,
                #[cfg(any(
                    feature = "statuses",
                    feature = "json",
                    feature = "text",
                    feature = "bytes"
                ))]
                body,
            })
        })
        .await
    }

    /// Like [`send`](Self::send), but hands over the success body unread, to
    /// be streamed; each chunk must arrive within the attempt timeout.
    #[cfg(feature = "streaming")]
    pub(crate) async fn send_streaming(self) -> Result<ByteStream, Error> {
        self.traced(|exchange: Exchange| async move { Ok(ByteStream { exchange }) })
            .await
    }

    /// Runs the call in its tracing span within the total timeout; `finish`
    /// turns the success exchange into the call's result.
    async fn traced<T, F, Fut>(self, finish: F) -> Result<T, Error>
    where
        F: FnOnce(Exchange) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
        T: Traced,
    {
        let span = tracing::info_span!(
            CALL_SPAN,
            operation = self.operation,
            method = %self.method,
            path = self.path_template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            correlation_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let (total, max_attempts) = (self.total_timeout, self.retry.max_attempts);
        let deadline = later(started, total);
        let operation = self.operation;
        let mut sent = 0u32;
        let work = async {
            let exchange = self.send_with_retries(deadline, &mut sent).await?;
            finish(exchange).await
        };
        let result = match tokio::time::timeout_at(deadline, work.instrument(span.clone())).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                operation,
                kind: TimeoutKind::Call,
                limit: total,
                after: started.elapsed(),
                attempt: sent.max(1),
                max_attempts,
                during: "while it ran",
            }),
        };
        span.record("attempts", sent);
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(value) => {
                let (status, correlation_id) = value.trace();
                span.record("status", status);
                if let Some(id) = correlation_id {
                    span.record("correlation_id", id);
                }
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status);
                }
                if let Some(id) = error.correlation_id() {
                    span.record("correlation_id", id);
                }
                span.in_scope(
                    || tracing::debug!(target: TRACE_TARGET, error = %error, "call failed"),
                );
            }
        }
        result
    }

    /// The schemes to send credentials for: the first alternative the
    /// client has credentials for.
    #[cfg(feature = "security")]
    fn schemes(&self) -> Result<&'static [Scheme], Error> {
        let inner = &self.client.inner;
        let has = |scheme: &Scheme| {
            #[cfg(feature = "oauth")]
            if *scheme == crate::security::OAUTH && inner.auth.is_some() {
                return true;
            }
            #[cfg(feature = "held")]
            if inner.held.iter().any(|(s, _)| s == scheme) {
                return true;
            }
            false
        };
        if self.security.is_empty() {
            return Ok(&[]);
        }
        if let Some(chosen) = self.security.iter().find(|all| all.iter().all(has)) {
            return Ok(chosen);
        }
        let needed: Vec<String> = (self.security.iter())
            .map(|all| {
                all.iter()
                    .map(|s| s.describe())
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        Err(Error::InvalidRequest {
            operation: self.operation,
            message: format!(
                "the client has no credentials this operation accepts: it needs {}",
                needed.join(", or ")
            ),
        })
    }

    /// Tries until done or `deadline`; counts the requests sent in `sent`.
    async fn send_with_retries(
        &self,
        deadline: Instant,
        sent: &mut u32,
    ) -> Result<Exchange, Error> {
        #[cfg(feature = "oauth")]
        let inner = &self.client.inner;
        let mut attempt = 0u32;
        #[cfg(feature = "oauth")]
        let mut reauthenticated = false;
        loop {
            attempt += 1;
            *sent += 1;
            #[cfg(feature = "oauth")]
            let outcome = self.attempt(attempt, deadline).await;
            #[cfg(not(feature = "oauth"))]
            let outcome = self.attempt(attempt).await;
            match outcome {
                Attempt::Done(result) => return result,
                #[cfg(feature = "oauth")]
                Attempt::Reauthenticate(generation, error) => {
                    // At most once per call: a second 401 is returned as it is.
                    match (&inner.auth, reauthenticated) {
                        (Some(auth), false) if auth.can_renew() => {
                            reauthenticated = true;
                            tracing::info!(target: TRACE_TARGET, attempt, "401: renewing the access token and trying once more");
                            auth.reject(generation).await;
                            attempt -= 1;
                        }
                        _ => return Err(error),
                    }
                }
                Attempt::Retry(delay, error) => {
                    if delay >= deadline.saturating_duration_since(Instant::now()) {
                        tracing::warn!(target: TRACE_TARGET, attempt, delay_ms = delay.as_millis() as u64, "not retrying: the wait would pass the total timeout");
                        return Err(error);
                    }
                    tracing::warn!(target: TRACE_TARGET, attempt, delay_ms = delay.as_millis() as u64, error = %error, "retrying");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    /// One attempt: the request and the redirects it follows, up to the
    /// response head of a success, or the (capped) body of an error.
    async fn attempt(
        &self,
        attempt: u32,
        #[cfg(feature = "oauth")] call_deadline: Instant,
    ) -> Attempt {
        let inner = &self.client.inner;
        let operation = self.operation;
        let timeout = self.attempt_timeout;
        let limit = AttemptLimit {
            operation,
            timeout,
            attempt,
            max_attempts: self.retry.max_attempts,
        };
        #[cfg(feature = "security")]
        let schemes = match self.schemes() {
            Ok(schemes) => schemes,
            Err(error) => return Attempt::Done(Err(error)),
        };
        // A token request has its own time limit, and waiting for another
        // call's is bounded by the call's total timeout.
        #[cfg(feature = "oauth")]
        let bearer = match &inner.auth {
            Some(auth) if schemes.contains(&crate::security::OAUTH) => {
                match auth.bearer(call_deadline).await {
                    Ok(bearer) => Some(bearer),
                    Err(e) => return Attempt::Done(Err(Error::Auth(Box::new(e)))),
                }
            }
            _ => None,
        };
        #[cfg(feature = "held")]
        let held: Vec<&Held> = (inner.held.iter())
            .filter(|(scheme, _)| schemes.contains(scheme))
            .map(|(_, held)| held)
            .collect();
        let deadline = later(Instant::now(), timeout);
        let mut url = self.base_url();
        let full_path = format!("{}{}", url.path().trim_end_matches('/'), self.path);
        url.set_path(&full_path);
        if !self.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(self.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        #[cfg(feature = "page-links")]
        if let Some(link) = &self.link {
            url = link.clone();
        }
        let mut headers = self.headers.clone();
        headers.insert(ACCEPT, HeaderValue::from_static(self.accept));
        headers.insert(USER_AGENT, inner.user_agent.clone());
        for (name, value) in HEADERS {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        #[cfg(feature = "oauth")]
        if let Some(bearer) = &bearer {
            headers.insert(AUTHORIZATION, bearer.header.clone());
        }

        let mut method = self.method.clone();
        let mut hops = 0u32;
        #[cfg(any(feature = "oauth", feature = "held"))]
        let mut with_credentials = true;
        let started = Instant::now();
        let response = loop {
            let mut request = reqwest::Request::new(method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            *request.body_mut() = self.body.clone().map(reqwest::Body::from);
            // Credentials go to the origin they are for, never further.
            #[cfg(feature = "held")]
            if with_credentials {
                for credential in &held {
                    if let Err(message) = credential.apply(&mut request) {
                        return Attempt::Done(Err(Error::InvalidRequest { operation, message }));
                    }
                }
            }
            if let Some(hooks) = &inner.hooks {
                hooks.before_send(operation, &mut request);
            }
            let sent = inner.transport.send(operation, self.path_template, request);
            let response = match tokio::time::timeout_at(deadline, sent).await {
                Err(_) => return Attempt::Done(Err(limit.timed_out("waiting for the response"))),
                Ok(Ok((response, _))) => response,
                Ok(Err(source)) => {
                    let error = Error::Transport {
                        operation,
                        during: stage_of(&source),
                        source: source.without_url(),
                    };
                    tracing::debug!(target: TRACE_TARGET, attempt, error = %error, "attempt failed");
                    return match self.retry.delay_after_connect_error(attempt) {
                        Some(delay) if self.retry.retries(&error) => Attempt::Retry(delay, error),
                        _ => Attempt::Done(Err(error)),
                    };
                }
            };
            let status = response.status().as_u16();
            if let Some(hooks) = &inner.hooks {
                hooks.after_receive(operation, status, response.headers());
            }
            if !is_redirect(status) || !response.headers().contains_key(reqwest::header::LOCATION) {
                break response;
            }
            let refuse = |reason: &'static str, location: String| {
                Attempt::Done(Err(Error::Redirect {
                    operation,
                    status,
                    location,
                    reason,
                }))
            };
            let target = match redirect_target(&url, response.headers()) {
                Ok(target) => target,
                Err(reason) => {
                    return refuse(
                        reason,
                        header_text(response.headers(), "location").unwrap_or_default(),
                    )
                }
            };
            let shown = clip(target.as_str(), ECHO_LIMIT).into_owned();
            match decide_hop(
                &inner.redirects,
                &method,
                status,
                self.body.is_some(),
                hops,
                &url,
                &target,
            ) {
                Hop::Refuse(reason) => return refuse(reason, shown),
                Hop::Follow {
                    method: next,
                    cross_origin,
                } => {
                    tracing::debug!(target: TRACE_TARGET, attempt, status, cross_origin, "following a redirect");
                    if cross_origin {
                        strip_credentials(&mut headers);
                        #[cfg(any(feature = "oauth", feature = "held"))]
                        {
                            with_credentials = false;
                        }
                    }
                    method = next;
                    url = target;
                    hops += 1;
                }
            }
        };

        let status = response.status().as_u16();
        let correlation_id = correlation_id(response.headers());
        tracing::debug!(
            target: TRACE_TARGET,
            attempt,
            status,
            correlation_id = correlation_id.as_deref(),
            latency_ms = started.elapsed().as_millis() as u64,
            "response"
        );
        if (200..300).contains(&status) {
            return Attempt::Done(Ok(Exchange {
                response,
                status,
                correlation_id,
                deadline,
                limit,
            }));
        }
        let retry_after = header_text(response.headers(), "retry-after")
            .and_then(|v| parse_retry_after(&v, SystemTime::now()));
        let mut response = response;
        let (body, complete) = read_prefix(&mut response, ERROR_BODY_LIMIT, deadline).await;
        let error = Error::Api(Box::new(ApiError::new(
            operation,
            status,
            &body,
            !complete,
            correlation_id,
            retry_after,
        )));
        #[cfg(feature = "oauth")]
        if status == 401 && with_credentials {
            if let Some(bearer) = bearer {
                return Attempt::Reauthenticate(bearer.generation, error);
            }
        }
        match self.retry.delay_after_status(status, retry_after, attempt) {
            Some(delay) => Attempt::Retry(delay, error),
            None => Attempt::Done(Err(error)),
        }
    }
}

/// A model as a form body, its fields in order: a list as the field once
/// per item (the `form` style, exploded, as OpenAPI encodes a form's
/// arrays), an object or a list inside a list as its JSON text, `null`s
/// left out.
#[cfg(feature = "form-body")]
fn form_encoded<T: serde::Serialize>(body: &T) -> Result<String, String> {
    let json = serde_json::to_vec(body).map_err(|e| e.to_string())?;
    let fields: FormFields = serde_json::from_slice(&json).map_err(|e| e.to_string())?;
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (name, value) in &fields.0 {
        match value {
            serde_json::Value::Array(items) => {
                for item in items {
                    append_form_value(&mut form, name, item);
                }
            }
            value => append_form_value(&mut form, name, value),
        }
    }
    Ok(form.finish())
}

#[cfg(feature = "form-body")]
fn append_form_value(
    form: &mut form_urlencoded::Serializer<'_, String>,
    name: &str,
    value: &serde_json::Value,
) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::String(text) => {
            form.append_pair(name, text);
        }
        other => {
            form.append_pair(name, &other.to_string());
        }
    }
}

/// The fields of a JSON object in the order they were written.
#[cfg(feature = "form-body")]
struct FormFields(Vec<(String, serde_json::Value)>);

#[cfg(feature = "form-body")]
impl<'de> serde::Deserialize<'de> for FormFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = FormFields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FormFields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry::<String, serde_json::Value>()? {
                    fields.push(entry);
                }
                Ok(FormFields(fields))
            }
        }

        deserializer.deserialize_map(Visitor)
    }
}

/// Values joined with commas, as the `simple` and non-exploded `form`
/// styles write lists.
#[cfg(any(feature = "header-list", feature = "cookie-list"))]
fn comma_separated<T: fmt::Display>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A date-time parameter as URLs and headers carry it: RFC 3339, in UTC
/// (`2026-12-01T11:20:50Z`, fractions of a second when there are some).
#[cfg(feature = "date-times")]
pub(crate) struct Rfc3339<'a>(pub(crate) &'a chrono::DateTime<chrono::Utc>);

#[cfg(feature = "date-times")]
impl fmt::Display for Rfc3339<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

/// The error for a success body that could not be read whole.
fn body_error(error: BodyError, exchange: &Exchange, limit: u64) -> Error {
    let operation = exchange.limit.operation;
    match error {
        BodyError::TooLarge => Error::ResponseTooLarge {
            operation,
            status: exchange.status,
            limit,
            correlation_id: exchange.correlation_id.clone(),
        },
        BodyError::TimedOut => exchange.limit.timed_out("reading the response body"),
        BodyError::Transport(source) => Error::Transport {
            operation,
            during: "reading the response body",
            source,
        },
    }
}

/// What a call's span records of its result.
trait Traced {
    fn trace(&self) -> (u16, Option<&str>);
}

/// A success, with what came with it: the response's status, headers and
/// correlation id, and the attempts it took. An operation's
/// `send_with_meta` returns it; `send` (or `.await`) returns the value alone.
#[cfg_attr(
    feature = "response-headers",
    doc = "\n\nFor an operation whose responses declare headers, `H` is a type \
           holding them, read with [`declared_headers`](Self::declared_headers)."
)]
#[derive(Debug, Clone)]
pub struct Response<T, H = ()> {
    value: T,
    status: u16,
    headers: HeaderMap,
    correlation_id: Option<String>,
    attempts: u32,
    declared: H,
}

impl<T, H> Response<T, H> {
    /// The decoded body (or the operation's result).
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded body, without the rest.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A response header's value, when it is there and is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The response's correlation id, if the API sends one.
    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// The attempts the call took: 1 unless it was retried (a renewed token
    /// does not count).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The headers the API declares for this response, typed. Each is
    /// `None` when the response lacks it or its value is not of the declared
    /// type; its text is still in [`headers`](Self::headers).
    #[cfg(feature = "response-headers")]
    pub fn declared_headers(&self) -> &H {
        &self.declared
    }

    /// The same response with its value changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U, H> {
        Response {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
            correlation_id: self.correlation_id,
            attempts: self.attempts,
            declared: self.declared,
        }
    }
}

#[cfg(feature = "response-headers")]
impl<T> Response<T> {
    /// The same response with the headers its operation declares read by
    /// `read`.
    pub(crate) fn with_declared<H>(self, read: impl FnOnce(&HeaderMap) -> H) -> Response<T, H> {
        let declared = read(&self.headers);
        Response {
            value: self.value,
            status: self.status,
            headers: self.headers,
            correlation_id: self.correlation_id,
            attempts: self.attempts,
            declared,
        }
    }
}

/// A call on its way: what an operation's `send` and `send_with_meta`
/// return, and what awaiting its request builder runs. Nothing is sent
/// until it is first polled; dropping it cancels the call.
///
/// It is a plain [`Future`], `Send` and `Unpin`: it can be stored, selected
/// on or spawned (with a `'static` client) like any other.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T> {
    operation: &'static str,
    sending: Sending<'a>,
    finish: fn(Received) -> Result<T, Error>,
}

/// Where a [`Call`] is: its request in flight, or an error to report.
enum Sending<'a> {
    /// The request is in flight.
    Started(Pin<Box<dyn Future<Output = Result<Received, Error>> + Send + 'a>>),
    /// The arguments could not be made into a request.
    Invalid(Error),
    /// The call has completed.
    Done,
}

impl<'a, T> Call<'a, T> {
    /// The call of `request`, whose success `finish` decodes.
    #[inline]
    pub(crate) fn new(
        operation: &'static str,
        request: Result<Request<'a>, Error>,
        finish: fn(Received) -> Result<T, Error>,
    ) -> Self {
        Call {
            operation,
            sending: Sending::start(request),
            finish,
        }
    }
}

impl<'a> Sending<'a> {
    fn start(request: Result<Request<'a>, Error>) -> Self {
        match request {
            Ok(request) => Sending::Started(Box::pin(request.send())),
            Err(error) => Sending::Invalid(error),
        }
    }

    /// Polls the request; once it is ready, the call is done.
    fn poll(
        &mut self,
        operation: &'static str,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Received, Error>> {
        let ready = match std::mem::replace(self, Sending::Done) {
            Sending::Started(mut future) => match future.as_mut().poll(cx) {
                Poll::Ready(ready) => ready,
                Poll::Pending => {
                    *self = Sending::Started(future);
                    return Poll::Pending;
                }
            },
            Sending::Invalid(error) => Err(error),
            Sending::Done => Err(Error::InvalidRequest {
                operation,
                message: "the call was polled again after it completed".to_owned(),
            }),
        };
        Poll::Ready(ready)
    }
}

impl<T> Future for Call<'_, T> {
    type Output = Result<T, Error>;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let operation = self.operation;
        let finish = self.finish;
        self.sending
            .poll(operation, cx)
            .map(|received| received.and_then(finish))
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.sending {
            Sending::Started(_) => "sending",
            Sending::Invalid(_) => "invalid",
            Sending::Done => "done",
        };
        f.debug_struct("Call")
            .field("operation", &self.operation)
            .field("state", &state)
            .finish()
    }
}

/// A success response, not yet decoded.
pub(crate) struct Received {
    #[cfg(feature = "json")]
    operation: &'static str,
    headers: HeaderMap,
    attempts: u32,
    status: u16,
    correlation_id: Option<String>,
    #[cfg(any(
        feature = "statuses",
        feature = "json",
        feature = "text",
        feature = "bytes"
    ))]
    body: bytes::Bytes,
}

impl Traced for Received {
    fn trace(&self) -> (u16, Option<&str>) {
        (self.status, self.correlation_id.as_deref())
    }
}

impl Received {
    /// Decodes the body with `read`, keeping what came with it.
    pub(crate) fn decode<T>(
        mut self,
        read: impl FnOnce(Received) -> Result<T, Error>,
    ) -> Result<Response<T>, Error> {
        let headers = std::mem::take(&mut self.headers);
        let (status, correlation_id, attempts) =
            (self.status, self.correlation_id.clone(), self.attempts);
        Ok(Response {
            value: read(self)?,
            status,
            headers,
            correlation_id,
            attempts,
            declared: (),
        })
    }

    /// The next page's link or cursor at `path` (names into the JSON body),
    /// when it is there and not empty.
    #[cfg(feature = "page-in-body")]
    pub(crate) fn next_in_body(&self, path: &[&str]) -> Option<String> {
        crate::pages::string_at(&self.body, path)
    }

    /// A digest of the body, to tell a page from the one before.
    #[cfg(feature = "page-numbers")]
    pub(crate) fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.body.hash(&mut hasher);
        hasher.finish()
    }

    /// The `rel="next"` URL of the `Link` header, when there is one.
    #[cfg(feature = "page-link-header")]
    pub(crate) fn next_in_link_header(&self) -> Option<String> {
        (self.headers.get_all("link").iter())
            .filter_map(|value| value.to_str().ok())
            .find_map(crate::pages::next_link)
    }

    /// Decodes the JSON body.
    #[cfg(feature = "json")]
    pub(crate) fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|source| {
            let cut = self.body.len().min(ERROR_BODY_LIMIT);
            Error::Decode {
                operation: self.operation,
                status: self.status,
                correlation_id: self.correlation_id,
                body: String::from_utf8_lossy(&self.body[..cut]).into_owned(),
                body_truncated: cut < self.body.len(),
                source,
            }
        })
    }

    /// A response whose body, if any, carries nothing the API describes.
    #[cfg(feature = "empty")]
    pub(crate) fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// The HTTP status.
    #[cfg(feature = "statuses")]
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    /// The body as text (lossily decoded as UTF-8).
    #[cfg(feature = "text")]
    pub(crate) fn text(self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The body as bytes.
    #[cfg(feature = "bytes")]
    pub(crate) fn bytes(self) -> Result<Vec<u8>, Error> {
        Ok(self.body.into())
    }

    /// The body as bytes, for statuses the API does not document.
    #[cfg(feature = "statuses")]
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.body.into()
    }
}

/// A success response whose body is read as it arrives, for downloads too
/// large to hold in memory: call [`chunk`](Self::chunk) until it returns
/// `None`. The client's response size limit does not apply; each chunk must
/// arrive within the client's attempt timeout.
#[cfg(feature = "streaming")]
pub struct ByteStream {
    exchange: Exchange,
}

#[cfg(feature = "streaming")]
impl ByteStream {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.exchange.status
    }

    /// The response's correlation id, if the API sends one.
    pub fn correlation_id(&self) -> Option<&str> {
        self.exchange.correlation_id.as_deref()
    }

    /// The body's length, when the server announced it.
    pub fn content_length(&self) -> Option<u64> {
        self.exchange.response.content_length()
    }

    /// The next piece of the body, or `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        let limit = self.exchange.limit;
        match tokio::time::timeout(limit.timeout, self.exchange.response.chunk()).await {
            Ok(Ok(chunk)) => Ok(chunk),
            Ok(Err(source)) => Err(Error::Transport {
                operation: limit.operation,
                during: "reading the response body",
                source: source.without_url(),
            }),
            Err(_) => Err(limit.timed_out("waiting for the next piece of the response body")),
        }
    }
}

#[cfg(feature = "streaming")]
impl Traced for ByteStream {
    fn trace(&self) -> (u16, Option<&str>) {
        (
            self.exchange.status,
            self.exchange.correlation_id.as_deref(),
        )
    }
}

#[cfg(feature = "streaming")]
impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.exchange.limit.operation)
            .field("status", &self.exchange.status)
            .field("correlation_id", &self.exchange.correlation_id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_is_a_plain_send_unpin_future() {
        fn check<F: Future + Send + Unpin>() {}
        check::<Call<'static, ()>>();
    }

    #[test]
    fn a_call_reports_an_invalid_request_once_then_that_it_completed() {
        let invalid = Error::InvalidRequest {
            operation: "getThing",
            message: "empty path parameter `id`".to_owned(),
        };
        let mut call: Call<'_, ()> = Call::new("getThing", Err(invalid), |_| Ok(()));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let first = Pin::new(&mut call).poll(&mut cx);
        assert!(matches!(
            first,
            Poll::Ready(Err(Error::InvalidRequest { ref message, .. })) if message.contains("empty path")
        ));
        assert!(format!("{call:?}").contains("done"));
        let again = Pin::new(&mut call).poll(&mut cx);
        assert!(matches!(
            again,
            Poll::Ready(Err(Error::InvalidRequest { operation: "getThing", ref message }))
                if message.contains("polled again")
        ));
    }

    #[test]
    fn secret_headers_are_sensitive_and_reserved_ones_refused() {
        let (_, value) = header_pair("Authorization", "Bearer t").unwrap();
        assert!(value.is_sensitive());
        let (_, value) = header_pair("X-Trace", "1").unwrap();
        assert!(!value.is_sensitive());
        assert!(header_pair("bad name", "1").is_err());
        assert!(header_pair("x-ok", "line\nbreak").is_err());
        let mut options = CallOptions::default();
        options.header("X-Trace", "1");
        options.header("Host", "elsewhere.example.com");
        options.header("X-Late", "2");
        assert!(options
            .invalid
            .as_deref()
            .is_some_and(|m| m.contains("header `host`")));
        assert_eq!(options.headers.len(), 2);
        assert!(!format!("{options:?}").contains('1'));
    }

    #[test]
    fn a_call_overrides_the_clients_retries_and_time_limits() {
        let client = Client::builder()
            .timeout(Duration::from_secs(9))
            .total_timeout(Duration::from_secs(90))
            .build()
            .unwrap();
        let plain = client
            .request(
                "op",
                Method::GET,
                "/",
                "/".to_owned(),
                &CallOptions::default(),
                &[],
                None,
            )
            .unwrap();
        assert_eq!(
            (plain.attempt_timeout, plain.total_timeout),
            (Duration::from_secs(9), Duration::from_secs(90))
        );
        assert_eq!(plain.retry, RetryPolicy::default());
        let mut options = CallOptions::default();
        options.retry(RetryPolicy::none());
        options.attempt_timeout(Duration::from_secs(2));
        options.total_timeout(Duration::from_secs(3));
        let tuned = client
            .request("op", Method::GET, "/", "/".to_owned(), &options, &[], None)
            .unwrap();
        assert_eq!(
            (tuned.attempt_timeout, tuned.total_timeout),
            (Duration::from_secs(2), Duration::from_secs(3))
        );
        assert_eq!(tuned.retry.max_attempts, 1);
    }

    #[test]
    fn a_path_parameter_is_one_segment() {
        let path = PathBuilder::new("op")
            .literal("/users/")
            .param("id", &"a/b c?")
            .unwrap()
            .finish();
        assert_eq!(path, "/users/a%2Fb%20c%3F");
        for bad in ["", ".", ".."] {
            assert!(PathBuilder::new("op").param("id", &bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_form_lists_a_list_once_per_item_in_field_order() {
        /// A model's body: its fields in the order it writes them.
        struct Body;
        impl serde::Serialize for Body {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let mut s = serializer.serialize_struct("Body", 4)?;
                s.serialize_field("b", &["x", "y z"])?;
                s.serialize_field("a", &1)?;
                s.serialize_field("skip", &())?;
                s.serialize_field("o", &serde_json::json!({"k": true}))?;
                s.end()
            }
        }
        assert_eq!(
            form_encoded(&Body).unwrap(),
            "b=x&b=y+z&a=1&o=%7B%22k%22%3Atrue%7D"
        );
        assert!(form_encoded(&[1, 2]).is_err());
    }

    #[test]
    fn lists_and_date_times_are_written_as_parameters_carry_them() {
        assert_eq!(comma_separated(&["a", "b"]), "a,b");
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T12:20:50.5+01:00")
            .unwrap()
            .to_utc();
        assert_eq!(Rfc3339(&at).to_string(), "2026-12-01T11:20:50.500Z");
    }

    #[test]
    fn a_password_in_a_url_is_hidden() {
        let url = Url::parse("https://user:hunter2@api.example.com/").unwrap();
        assert_eq!(redacted_url(&url), "https://user:REDACTED@api.example.com/");
    }

    #[test]
    fn logins_go_to_the_region_the_api_url_is_in() {
        let login = |builder: ClientBuilder| builder.hosts().map(|(_, login)| login.to_string());
        let south = Region::default().login_url().replace("north", "south");
        assert_eq!(
            login(Client::builder().region("south".parse().unwrap())).unwrap(),
            format!("{south}/")
        );
        assert_eq!(
            login(Client::builder().base_url("https://proxy.example.com/api")).unwrap(),
            "https://proxy.example.com/api"
        );
        assert_eq!(
            login(Client::builder()).unwrap(),
            format!("{DEFAULT_LOGIN_URL}/")
        );
        assert!(login(Client::builder().login_url("ftp://x")).is_err());
    }

    #[test]
    fn bad_settings_fail_the_build() {
        let error = Client::builder()
            .user_agent("bad\nagent")
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("user agent"), "{error}");
        let error = Client::builder().base_url("not a url").build().unwrap_err();
        assert!(error.to_string().contains("base URL"), "{error}");
    }
}
