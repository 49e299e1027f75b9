//! The HTTP client: configuration, request building, authentication,
//! retries, timeouts and tracing of every call.

use crate::auth::{Credentials, TokenManager, TokenSettings};
use crate::config::{login_url_for, parse_base_url, parse_retry_after, Gateway, Hooks, Region, RetryPolicy};
use crate::error::{ApiError, Error};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, USER_AGENT};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// The `User-Agent` sent with every request unless the client is given another.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The SDK version header, as the official Genesys SDKs send it.
const SDK_HEADER: &str = "purecloud-sdk";

/// How long one attempt may take unless configured otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(16);

/// How long connecting may take unless configured otherwise.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a whole call, retries included, may take unless configured otherwise.
const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(60);

/// Renew tokens this long before they expire unless configured otherwise.
const DEFAULT_RENEW_MARGIN: Duration = Duration::from_secs(60);

/// The response header carrying the server's id for the exchange.
pub(crate) const CORRELATION_ID: &str = "inin-correlation-id";

/// Characters left as they are in a path segment: RFC 3986 unreserved ones.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A client of the API. Cheap to clone: clones share one connection pool and
/// one token cache.
///
/// Make one with [`Client::new`] or [`Client::builder`]; the crate's
/// documentation has examples.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    login_url: Url,
    auth: Option<TokenManager>,
    retry: RetryPolicy,
    attempt_timeout: Duration,
    total_timeout: Duration,
    user_agent: HeaderValue,
    hooks: Option<Arc<dyn Hooks>>,
}

impl Client {
    /// A client for the default base URL, authenticated with a bearer access token.
    pub fn new(access_token: impl Into<String>) -> Result<Client, Error> {
        Client::builder().access_token(access_token).build()
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
    pub fn login_url(&self) -> &Url {
        &self.inner.login_url
    }

    /// The current access token, fetching or renewing it first if needed
    /// (within the total timeout); `None` for a client without credentials.
    pub async fn access_token(&self) -> Result<Option<SecretString>, Error> {
        let Some(auth) = &self.inner.auth else { return Ok(None) };
        match tokio::time::timeout(self.inner.total_timeout, auth.bearer()).await {
            Ok(Ok(bearer)) => Ok(Some(bearer.value)),
            Ok(Err(e)) => Err(Error::Auth(Box::new(e))),
            Err(_) => Err(Error::Timeout {
                operation: "access_token",
                after: self.inner.total_timeout,
            }),
        }
    }

    /// The refresh token of an authorization code login, to keep for the
    /// next session ([`Credentials::refresh_token`]).
    pub async fn refresh_token(&self) -> Option<SecretString> {
        match &self.inner.auth {
            Some(auth) => auth.refresh_token().await,
            None => None,
        }
    }

    pub(crate) fn request(
        &self,
        operation: &'static str,
        method: Method,
        path_template: &'static str,
        path: String,
        options: &CallOptions,
    ) -> Result<Request<'_>, Error> {
        if let Some(message) = &options.invalid {
            return Err(Error::InvalidRequest {
                operation,
                message: message.clone(),
            });
        }
        Ok(Request {
            client: self,
            operation,
            method,
            path_template,
            path,
            query: Vec::new(),
            headers: options.headers.clone(),
            body: None,
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &redacted_url(&self.inner.base_url))
            .field("login_url", &redacted_url(&self.inner.login_url))
            .field("credentials", &self.inner.auth.as_ref().map(|_| "[REDACTED]"))
            .field("retry", &self.inner.retry)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("total_timeout", &self.inner.total_timeout)
            .finish_non_exhaustive()
    }
}

/// A `reqwest::ClientBuilder` ready to be customised (proxies, root or
/// client certificates) and handed to [`ClientBuilder::http_client`], with
/// this crate's default connect timeout and TLS crypto provider in place.
///
/// Build custom `reqwest` clients through this function: `reqwest` is used
/// without a built-in crypto provider, and this installs one (ring) for the
/// process unless the application installed its own.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().connect_timeout(DEFAULT_CONNECT_TIMEOUT)
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
    login_url: Option<String>,
    gateway: Option<Gateway>,
    credentials: Option<Credentials>,
    http: Option<reqwest::Client>,
    retry: Option<RetryPolicy>,
    attempt_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    renew_margin: Option<Duration>,
    user_agent: Option<String>,
    hooks: Option<Arc<dyn Hooks>>,
}

impl ClientBuilder {
    /// Calls the API of a Genesys Cloud region: `https://api.<domain>`, with
    /// logins at `https://login.<domain>`. The default is
    /// [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL).
    pub fn region(mut self, region: Region) -> Self {
        self.base_url = Some(region.api_url());
        self.login_url = Some(region.login_url());
        self
    }

    /// The URL API requests go to, e.g. `https://api.mypurecloud.de` or a
    /// proxy such as `https://gateway.example.com/genesys`. Logins go to the
    /// same URL with `api.` replaced by `login.` unless
    /// [`login_url`](Self::login_url) says otherwise.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The URL logins go to (`{login_url}/oauth/token`).
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = Some(url.into());
        self
    }

    /// Sends API calls and logins through a gateway; overrides the region,
    /// base URL and login URL.
    pub fn gateway(mut self, gateway: Gateway) -> Self {
        self.gateway = Some(gateway);
        self
    }

    /// Authenticates with a bearer token obtained elsewhere. It never
    /// appears in `Debug` output.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::access_token(token));
        self
    }

    /// Authenticates with the client credentials grant.
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::client_credentials(client_id, client_secret));
        self
    }

    /// Authenticates with any [`Credentials`].
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sends requests through this `reqwest` client (for proxies, custom
    /// root certificates or client certificates). Make it from
    /// [`http_client_builder`](crate::http_client_builder). Its own timeouts
    /// then apply instead of [`connect_timeout`](Self::connect_timeout).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How failed calls are retried; see [`RetryPolicy`] for the default.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The longest one attempt may take, from sending to reading the last
    /// byte of the response. Default: 16 seconds.
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

    /// Renew tokens this long before they expire (at most half their
    /// lifetime). Default: 60 seconds.
    pub fn token_renew_margin(mut self, margin: Duration) -> Self {
        self.renew_margin = Some(margin);
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
        let (base_url, login_url) = match &self.gateway {
            Some(gateway) => (
                parse_base_url(&gateway.url(&gateway.api_path), "gateway API URL").map_err(config)?,
                parse_base_url(&gateway.url(&gateway.login_path), "gateway login URL").map_err(config)?,
            ),
            None => {
                let raw = self.base_url.as_deref().unwrap_or(crate::DEFAULT_BASE_URL);
                let base = parse_base_url(raw, "base URL").map_err(config)?;
                let login = match &self.login_url {
                    Some(raw) => parse_base_url(raw, "login URL").map_err(config)?,
                    None => login_url_for(&base),
                };
                (base, login)
            }
        };
        if let Some(Credentials::AccessToken(token)) = &self.credentials {
            if HeaderValue::from_str(token.expose_secret()).is_err() {
                return Err(config("the access token contains characters not allowed in a header".to_owned()));
            }
        }
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| config(format!("user agent `{user_agent}` is not a valid header value")))?;
        let http = match self.http {
            Some(http) => http,
            None => http_client_builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(|e| config(format!("the HTTP client cannot be created: {e}")))?,
        };
        let attempt_timeout = self.attempt_timeout.unwrap_or(DEFAULT_TIMEOUT);
        let auth = self.credentials.map(|credentials| {
            let settings = TokenSettings {
                renew_margin: self.renew_margin.unwrap_or(DEFAULT_RENEW_MARGIN),
                timeout: attempt_timeout,
                user_agent: user_agent.clone(),
            };
            TokenManager::new(credentials, login_url.clone(), http.clone(), settings)
        });
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                login_url,
                auth,
                retry: self.retry.unwrap_or_default(),
                attempt_timeout,
                total_timeout: self.total_timeout.unwrap_or(DEFAULT_TOTAL_TIMEOUT),
                user_agent,
                hooks: self.hooks,
            }),
        })
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
        f.debug_struct("ClientBuilder")
            .field("base_url", &shown(&self.base_url))
            .field("login_url", &shown(&self.login_url))
            .field("gateway", &self.gateway)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeout", &self.attempt_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("total_timeout", &self.total_timeout)
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
}

impl CallOptions {
    /// Adds a header to this call; an invalid name or value fails the call
    /// when it is sent.
    pub(crate) fn header(&mut self, name: &str, value: &str) {
        match header_pair(name, value) {
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
        f.debug_struct("CallOptions").field("headers", &names).finish_non_exhaustive()
    }
}

/// A checked header; secret ones are marked sensitive.
fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("`{name}` is not a valid header name"))?;
    let mut value = HeaderValue::from_str(value).map_err(|_| format!("the value of header `{name}` is not valid"))?;
    if is_secret_header(&name) {
        value.set_sensitive(true);
    }
    Ok((name, value))
}

fn is_secret_header(name: &HeaderName) -> bool {
    matches!(name.as_str(), "authorization" | "proxy-authorization" | "cookie" | "set-cookie")
}

/// Builds a request path, percent-encoding each parameter as one segment.
pub(crate) struct PathBuilder {
    operation: &'static str,
    path: String,
}

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
                message: format!("path parameter `{name}` must not be empty, `.` or `..` (got {value:?})"),
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
    body: Option<Vec<u8>>,
}

/// What one attempt produced.
enum Attempt {
    Done(Result<Response, Error>),
    /// Wait, then try again.
    Retry(Duration, Error),
    /// The token was refused: get a new one and try again at once.
    Reauthenticate(u64, Error),
}

// Which of these helpers an API uses depends on its operations.
#[allow(dead_code)]
impl Request<'_> {
    /// Adds a query parameter when it has a value.
    pub(crate) fn query<T: fmt::Display + ?Sized>(mut self, name: &'static str, value: Option<&T>) -> Self {
        if let Some(value) = value {
            self.query.push((name, value.to_string()));
        }
        self
    }

    /// Adds a query parameter once per value (`?id=a&id=b`).
    pub(crate) fn query_each<T: fmt::Display>(mut self, name: &'static str, values: Option<&[T]>) -> Self {
        for value in values.into_iter().flatten() {
            self.query.push((name, value.to_string()));
        }
        self
    }

    /// Adds a header when it has a value.
    pub(crate) fn header<T: fmt::Display + ?Sized>(mut self, name: &'static str, value: Option<&T>) -> Result<Self, Error> {
        if let Some(value) = value {
            let (name, value) = header_pair(name, &value.to_string()).map_err(|message| Error::InvalidRequest {
                operation: self.operation,
                message,
            })?;
            self.headers.append(name, value);
        }
        Ok(self)
    }

    /// Adds a cookie when it has a value.
    pub(crate) fn cookie<T: fmt::Display + ?Sized>(mut self, name: &'static str, value: Option<&T>) -> Result<Self, Error> {
        if let Some(value) = value {
            let pair = format!("{name}={value}");
            let combined = match self.headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                Some(existing) => format!("{existing}; {pair}"),
                None => pair,
            };
            let mut value = HeaderValue::from_str(&combined).map_err(|_| Error::InvalidRequest {
                operation: self.operation,
                message: format!("cookie `{name}`: the value is not valid in a header"),
            })?;
            value.set_sensitive(true);
            self.headers.insert(COOKIE, value);
        }
        Ok(self)
    }

    /// Sets a JSON body when there is one.
    pub(crate) fn json_body<T: serde::Serialize>(self, body: Option<&T>, content_type: &'static str) -> Result<Self, Error> {
        let operation = self.operation;
        self.encoded_body(body, content_type, |b| {
            serde_json::to_vec(b).map_err(|e| Error::InvalidRequest {
                operation,
                message: format!("the request body cannot be encoded as JSON: {e}"),
            })
        })
    }

    /// Sets a form (`application/x-www-form-urlencoded`) body when there is one.
    pub(crate) fn form_body<T: serde::Serialize>(self, body: Option<&T>, content_type: &'static str) -> Result<Self, Error> {
        let operation = self.operation;
        self.encoded_body(body, content_type, |b| {
            serde_urlencoded::to_string(b).map(String::into_bytes).map_err(|e| Error::InvalidRequest {
                operation,
                message: format!("the request body cannot be encoded as a form: {e}"),
            })
        })
    }

    /// Sets a text body when there is one.
    pub(crate) fn text_body(self, body: Option<&String>, content_type: &'static str) -> Result<Self, Error> {
        self.encoded_body(body, content_type, |b| Ok(b.clone().into_bytes()))
    }

    /// Sets a binary body when there is one.
    pub(crate) fn bytes_body(self, body: Option<&Vec<u8>>, content_type: &'static str) -> Result<Self, Error> {
        self.encoded_body(body, content_type, |b| Ok(b.clone()))
    }

    fn encoded_body<T: ?Sized>(
        mut self,
        body: Option<&T>,
        content_type: &'static str,
        encode: impl FnOnce(&T) -> Result<Vec<u8>, Error>,
    ) -> Result<Self, Error> {
        if let Some(body) = body {
            self.body = Some(encode(body)?);
            let value = HeaderValue::from_str(content_type).map_err(|_| Error::InvalidRequest {
                operation: self.operation,
                message: format!("`{content_type}` is not a valid content type"),
            })?;
            self.headers.insert(CONTENT_TYPE, value);
        }
        Ok(self)
    }

    /// Sends the request, retrying and re-authenticating as configured, within
    /// the total timeout. A non-success status becomes [`Error::Api`].
    pub(crate) async fn send(self) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "genesys_cloud.call",
            operation = self.operation,
            method = %self.method,
            path = self.path_template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            correlation_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let total = self.client.inner.total_timeout;
        let operation = self.operation;
        let mut sent = 0u32;
        let result = match tokio::time::timeout(total, self.send_with_retries(started, &mut sent).instrument(span.clone())).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                operation,
                after: started.elapsed(),
            }),
        };
        span.record("attempts", sent);
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(response) => {
                span.record("status", response.status);
                if let Some(id) = &response.correlation_id {
                    span.record("correlation_id", id.as_str());
                }
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status);
                }
                if let Some(id) = error.correlation_id() {
                    span.record("correlation_id", id);
                }
                span.in_scope(|| tracing::debug!(target: "genesys_cloud", error = %error, "call failed"));
            }
        }
        result
    }

    /// Tries until done; counts the requests sent in `sent`.
    async fn send_with_retries(&self, started: Instant, sent: &mut u32) -> Result<Response, Error> {
        let inner = &self.client.inner;
        let deadline = started + inner.total_timeout;
        let mut attempt = 0u32;
        let mut reauthenticated = false;
        loop {
            attempt += 1;
            *sent += 1;
            match self.attempt(attempt).await {
                Attempt::Done(result) => return result,
                Attempt::Reauthenticate(generation, error) => {
                    // At most once per call: a second 401 is returned as it is.
                    match (&inner.auth, reauthenticated) {
                        (Some(auth), false) if auth.can_renew() => {
                            reauthenticated = true;
                            tracing::info!(target: "genesys_cloud", attempt, "401: renewing the access token and trying once more");
                            auth.reject(generation).await;
                            attempt -= 1;
                        }
                        _ => return Err(error),
                    }
                }
                Attempt::Retry(delay, error) => {
                    if Instant::now() + delay >= deadline {
                        tracing::warn!(target: "genesys_cloud", attempt, delay_ms = delay.as_millis() as u64, "not retrying: the wait would pass the total timeout");
                        return Err(error);
                    }
                    tracing::warn!(target: "genesys_cloud", attempt, delay_ms = delay.as_millis() as u64, error = %error, "retrying");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    async fn attempt(&self, attempt: u32) -> Attempt {
        let inner = &self.client.inner;
        let operation = self.operation;
        let bearer = match &inner.auth {
            Some(auth) => match auth.bearer().await {
                Ok(bearer) => Some(bearer),
                Err(e) => return Attempt::Done(Err(Error::Auth(Box::new(e)))),
            },
            None => None,
        };

        let mut url = inner.base_url.clone();
        let full_path = format!("{}{}", url.path().trim_end_matches('/'), self.path);
        url.set_path(&full_path);
        if !self.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(self.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let mut headers = self.headers.clone();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, inner.user_agent.clone());
        headers.insert(SDK_HEADER, HeaderValue::from_static(env!("CARGO_PKG_VERSION")));
        if let Some(bearer) = &bearer {
            match HeaderValue::from_str(&format!("Bearer {}", bearer.value.expose_secret())) {
                Ok(mut value) => {
                    value.set_sensitive(true);
                    headers.insert(AUTHORIZATION, value);
                }
                Err(_) => {
                    return Attempt::Done(Err(Error::Config {
                        message: "the access token contains characters not allowed in a header".to_owned(),
                    }))
                }
            }
        }
        let mut builder = inner
            .http
            .request(self.method.clone(), url)
            .headers(headers)
            .timeout(inner.attempt_timeout);
        if let Some(body) = &self.body {
            builder = builder.body(body.clone());
        }
        let mut request = match builder.build() {
            Ok(request) => request,
            Err(source) => return Attempt::Done(Err(Error::Transport { operation, source })),
        };
        if let Some(hooks) = &inner.hooks {
            hooks.before_send(operation, &mut request);
        }

        let sent = Instant::now();
        let response = match inner.http.execute(request).await {
            Ok(response) => response,
            Err(source) => {
                let connect = source.is_connect();
                let error = Error::Transport { operation, source };
                tracing::debug!(target: "genesys_cloud", attempt, error = %error, "attempt failed");
                return match inner.retry.delay_after_connect_error(attempt) {
                    Some(delay) if connect => Attempt::Retry(delay, error),
                    _ => Attempt::Done(Err(error)),
                };
            }
        };
        let status = response.status().as_u16();
        if let Some(hooks) = &inner.hooks {
            hooks.after_receive(operation, status, response.headers());
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let correlation_id = header(CORRELATION_ID);
        let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v, SystemTime::now()));
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(source) => return Attempt::Done(Err(Error::Transport { operation, source })),
        };
        tracing::debug!(
            target: "genesys_cloud",
            attempt,
            status,
            correlation_id = correlation_id.as_deref(),
            latency_ms = sent.elapsed().as_millis() as u64,
            "response"
        );
        if (200..300).contains(&status) {
            return Attempt::Done(Ok(Response {
                operation,
                status,
                correlation_id,
                body,
            }));
        }
        let error = Error::Api(Box::new(ApiError::new(
            operation,
            status,
            &body,
            correlation_id,
            retry_after,
        )));
        if status == 401 {
            if let Some(bearer) = bearer {
                return Attempt::Reauthenticate(bearer.generation, error);
            }
        }
        match inner.retry.delay_after_status(status, retry_after, attempt) {
            Some(delay) => Attempt::Retry(delay, error),
            None => Attempt::Done(Err(error)),
        }
    }
}

/// How much of a JSON value a decoded `oneOf`/`anyOf` variant accounts for:
/// the number of the object's fields it keeps (1 for a value that is not an
/// object). Unknown fields are ignored when decoding, so a variant with few
/// fields would otherwise match almost any object.
#[allow(dead_code)]
pub(crate) fn union_score<T: serde::Serialize>(value: &serde_json::Value, decoded: &T) -> usize {
    match (value, serde_json::to_value(decoded)) {
        (serde_json::Value::Object(original), Ok(serde_json::Value::Object(kept))) => {
            original.keys().filter(|key| kept.contains_key(*key)).count()
        }
        _ => 1,
    }
}

/// Decodes an object key of a model into the index of its field in the
/// model's list of JSON names, or the list's length for a key the model does
/// not know (its value is skipped). One shared decoder keeps each model's
/// `Deserialize` impl small: the models of a large API compile markedly
/// faster than with derived impls. A key sent twice keeps its last value.
#[allow(dead_code)]
#[derive(Clone, Copy)]
pub(crate) struct FieldKey(pub(crate) &'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for FieldKey {
    type Value = usize;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl serde::de::Visitor<'_> for FieldKey {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.0.iter().position(|name| *name == key).unwrap_or(self.0.len()))
    }
}

/// Writes a model's optional field: left out when it is `None`.
pub(crate) trait SerializeOptional: serde::ser::SerializeMap {
    fn serialize_optional<T: serde::Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), Self::Error> {
        match value {
            Some(value) => self.serialize_entry(key, value),
            None => Ok(()),
        }
    }
}

impl<M: serde::ser::SerializeMap> SerializeOptional for M {}

/// A success response, not yet decoded.
pub(crate) struct Response {
    operation: &'static str,
    status: u16,
    correlation_id: Option<String>,
    body: bytes::Bytes,
}

impl Response {
    /// Decodes the JSON body.
    #[allow(dead_code)]
    pub(crate) fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            operation: self.operation,
            status: self.status,
            correlation_id: self.correlation_id,
            body: String::from_utf8_lossy(&self.body).into_owned(),
            source,
        })
    }

    /// A response whose body, if any, carries nothing the API describes.
    #[allow(dead_code)]
    pub(crate) fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// The HTTP status.
    #[allow(dead_code)]
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    /// The body as text (lossily decoded as UTF-8).
    #[allow(dead_code)]
    pub(crate) fn text(self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The body as bytes.
    #[allow(dead_code)]
    pub(crate) fn bytes(self) -> Result<Vec<u8>, Error> {
        Ok(self.body.to_vec())
    }

    /// The body as bytes, for statuses the API does not document.
    #[allow(dead_code)]
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.body.to_vec()
    }
}
