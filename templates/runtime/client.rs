//! The HTTP client: configuration, request building and response handling.

use crate::error::{ApiError, Error};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The `User-Agent` sent with every request unless the client is given another.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// How long a whole request may take unless configured otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(16);

/// How long connecting may take unless configured otherwise.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The response header carrying the server's id for the exchange.
const CORRELATION_ID: &str = "inin-correlation-id";

/// Characters left as they are in a path segment: RFC 3986 unreserved ones.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A client of the API. Cheap to clone: clones share one connection pool.
///
/// Make one with [`Client::new`] or [`Client::builder`]; the crate's
/// documentation has an example.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    access_token: Option<SecretString>,
    user_agent: HeaderValue,
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

    pub(crate) fn request(&self, operation: &'static str, method: Method, path: String) -> Request<'_> {
        Request {
            client: self,
            operation,
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
        }
    }
}

/// A `reqwest::ClientBuilder` ready to be customised (proxies, root or
/// client certificates) and handed to [`ClientBuilder::http_client`], with
/// this crate's default timeouts and TLS crypto provider in place.
///
/// Build custom `reqwest` clients through this function: `reqwest` is used
/// without a built-in crypto provider, and this installs one (ring) for the
/// process unless the application installed its own.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(DEFAULT_TIMEOUT)
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
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

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &redacted_url(&self.inner.base_url))
            .field("access_token", &self.inner.access_token.as_ref().map(|_| "[REDACTED]"))
            .finish_non_exhaustive()
    }
}

/// Settings for a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    access_token: Option<SecretString>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
}

impl ClientBuilder {
    /// The URL requests go to, e.g. `https://api.mypurecloud.de` or a gateway
    /// such as `https://gateway.example.com/genesys`; defaults to
    /// [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The OAuth access token sent as `Authorization: Bearer …`. It never
    /// appears in `Debug` output.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(SecretString::from(token.into()));
        self
    }

    /// Sends requests through this `reqwest` client (for proxies, custom
    /// root certificates or client certificates). Make it from
    /// [`http_client_builder`](crate::http_client_builder). The timeouts set
    /// here are then not applied: configure them on that client.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The longest a whole request may take, from connecting to reading the
    /// last byte of the body. Default: 16 seconds.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest connecting may take. Default: 10 seconds.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header; defaults to this crate's name and version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Checks the settings and makes the client.
    pub fn build(self) -> Result<Client, Error> {
        let raw = self.base_url.as_deref().unwrap_or(crate::DEFAULT_BASE_URL);
        let mut base_url = Url::parse(raw).map_err(|e| Error::Config {
            message: format!("base URL `{raw}` is not a valid URL: {e}"),
        })?;
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(Error::Config {
                message: format!("base URL `{raw}` must use http or https"),
            });
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::Config {
                message: format!("base URL `{raw}` must not have a query or fragment"),
            });
        }
        // Paths are appended to the base path, which therefore never ends in `/`.
        let trimmed = base_url.path().trim_end_matches('/').to_owned();
        base_url.set_path(&trimmed);

        if let Some(token) = &self.access_token {
            if HeaderValue::from_str(token.expose_secret()).is_err() {
                return Err(Error::Config {
                    message: "the access token contains characters not allowed in a header".to_owned(),
                });
            }
        }
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| Error::Config {
            message: format!("user agent `{user_agent}` is not a valid header value"),
        })?;

        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = http_client_builder();
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder
                    .build()
                    .map_err(|e| Error::Config {
                        message: format!("the HTTP client cannot be created: {e}"),
                    })?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                access_token: self.access_token,
                user_agent,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(|u| match Url::parse(u) {
                Ok(url) => redacted_url(&url),
                Err(_) => u.to_owned(),
            }))
            .field("access_token", &self.access_token.as_ref().map(|_| "[REDACTED]"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
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
    path: String,
    query: Vec<(&'static str, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
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
            let invalid = |what: &str| Error::InvalidRequest {
                operation: self.operation,
                message: format!("header `{name}`: {what}"),
            };
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("not a valid header name"))?;
            let value = HeaderValue::from_str(&value.to_string()).map_err(|_| invalid("the value is not a valid header value"))?;
            self.headers.append(header, value);
        }
        Ok(self)
    }

    /// Sets a JSON body when there is one.
    pub(crate) fn json_body<T: serde::Serialize>(mut self, body: Option<&T>) -> Result<Self, Error> {
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body).map_err(|e| Error::InvalidRequest {
                operation: self.operation,
                message: format!("the request body cannot be encoded as JSON: {e}"),
            })?;
            self.body = Some(bytes);
        }
        Ok(self)
    }

    /// Sends the request. A non-success status becomes [`Error::Api`].
    pub(crate) async fn send(self) -> Result<Response, Error> {
        let inner = &self.client.inner;
        let operation = self.operation;
        let mut url = inner.base_url.clone();
        let full_path = format!("{}{}", url.path().trim_end_matches('/'), self.path);
        url.set_path(&full_path);
        if !self.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(self.query.iter().map(|(k, v)| (*k, v.as_str())));
        }

        let mut headers = self.headers;
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, inner.user_agent.clone());
        if let Some(token) = &inner.access_token {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).map_err(|_| Error::Config {
                message: "the access token contains characters not allowed in a header".to_owned(),
            })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        let mut request = inner.http.request(self.method, url).headers(headers);
        if let Some(body) = self.body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body);
        }

        let response = request
            .send()
            .await
            .map_err(|source| Error::Transport { operation, source })?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let correlation_id = header(CORRELATION_ID);
        let retry_after = header("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
        let body = response
            .bytes()
            .await
            .map_err(|source| Error::Transport { operation, source })?;
        if (200..300).contains(&status) {
            Ok(Response {
                operation,
                status,
                correlation_id,
                body,
            })
        } else {
            Err(Error::Api(Box::new(ApiError::new(
                operation,
                status,
                &body,
                correlation_id,
                retry_after,
            ))))
        }
    }
}

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
}
