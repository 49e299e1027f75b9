{%- macro correlation_doc(advice) %}
{%- if let Some(h) = correlation_header %}The `{{ h }}` response header, if present.{{ advice }}{% else %}Always `None`: the API names no correlation-id header.{% endif %}
{%- endmacro %}
use crate::exchange::{causes, clip, Human, ECHO_LIMIT};
use std::fmt;
use std::time::Duration;

/// Everything that can go wrong when calling the API.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status that is not a success.
    Api(Box<ApiError>),
{%- if oauth %}
    /// Logging in failed: the token endpoint refused the credentials, or could not be reached.
    Auth(Box<crate::AuthError>),
{%- endif %}
    /// A time limit passed: one attempt's ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout))
    /// or the whole call's ([`ClientBuilder::total_timeout`](crate::ClientBuilder::total_timeout)).
    #[non_exhaustive]
    Timeout {
        /// The `operationId` of the call.
        operation: &'static str,
        /// Which limit passed.
        kind: TimeoutKind,
        /// The limit that passed.
        limit: Duration,
        /// How long the call, or the attempt, had taken.
        after: Duration,
        /// The attempt that was running (1 for the first).
        attempt: u32,
        /// How many attempts the retry policy allows.
        max_attempts: u32,
        /// What was going on, e.g. `waiting for the response`.
        during: &'static str,
    },
    /// The request could not be sent, or the response could not be read
    /// (connection refused, TLS failure, connection reset, broken framing …).
    #[non_exhaustive]
    Transport {
        /// The `operationId` of the call.
        operation: &'static str,
        /// What the exchange was doing, e.g. `connecting`.
        during: &'static str,
        /// What the HTTP client reported (without the URL).
        source: reqwest::Error,
    },
    /// A success response whose body is not what the API describes.
    #[non_exhaustive]
    Decode {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The HTTP status of the response.
        status: u16,
        /// {% call correlation_doc("") %}{% endcall %}
        correlation_id: Option<String>,
        /// The body as received (lossily decoded as UTF-8), up to 64 KiB.
        body: String,
        /// Whether `body` is only the first 64 KiB of the body.
        body_truncated: bool,
        /// Where and why decoding failed.
        source: serde_json::Error,
    },
    /// The response body is larger than the client's limit
    /// ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size));
    /// it was not read further.
    #[non_exhaustive]
    ResponseTooLarge {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The HTTP status of the response.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
        /// {% call correlation_doc("") %}{% endcall %}
        correlation_id: Option<String>,
    },
    /// The server redirected the call somewhere the client's
    /// [`RedirectPolicy`](crate::RedirectPolicy) does not follow.
    #[non_exhaustive]
    Redirect {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The redirect's HTTP status.
        status: u16,
        /// Where it led (cut to 200 bytes), as far as it could be read.
        location: String,
        /// Why it was not followed.
        reason: &'static str,
    },
    /// The arguments cannot be made into a request (e.g. an empty path
    /// parameter, or a per-call header that frames or routes the request).
    #[non_exhaustive]
    InvalidRequest {
        /// The `operationId` of the call.
        operation: &'static str,
        /// What is wrong with the arguments.
        message: String,
    },
{%- if pagination %}
    /// Reading a paged operation's pages stopped: a page pointed back to one
    /// already read, or to another origin, or a limit of the iteration
    /// passed (`Pages::max_pages`, `max_empty_pages`, `time_limit`).
    #[non_exhaustive]
    Pagination {
        /// The `operationId` of the call.
        operation: &'static str,
        /// How many pages had been read.
        pages: u32,
        /// Why it stopped, and where to resume if it can.
        reason: String,
    },
{%- endif %}
    /// The client's configuration is unusable (e.g. a malformed base URL).
    #[non_exhaustive]
    Config {
        /// What is wrong with the configuration.
        message: String,
    },
}

/// Which time limit a [`Error::Timeout`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt's limit: sending, redirects, waiting and reading the body.
    Attempt,
    /// The whole call's limit, token requests, retries and waits included.
    Call,
}

/// A response with a non-success status.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The `operationId` of the call.
    pub operation: &'static str,
    /// The HTTP status code.
    pub status: u16,
{%- if let Some(model) = error_model %}
    /// The error body, when the response carried one the API describes.
    pub body: Option<crate::models::{{ model }}>,
{%- endif %}
    /// The body as received (lossily decoded as UTF-8), up to 64 KiB; empty
    /// when there was none.
    pub raw_body: String,
    /// Whether `raw_body` is only the start of the body: it was longer than
    /// 64 KiB, or the connection failed while it was read.
    pub raw_body_truncated: bool,
    /// {% call correlation_doc(" Quote it when asking the API's support.") %}{% endcall %}
    pub correlation_id: Option<String>,
    /// The `Retry-After` response header (seconds or an HTTP date), when the server sent one.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: u16,
        raw: &[u8],
        raw_body_truncated: bool,
        correlation_id: Option<String>,
        retry_after: Option<Duration>,
    ) -> Self {
        ApiError {
            operation,
            status,
{%- if error_model.is_some() %}
            body: serde_json::from_slice(raw).ok(),
{%- endif %}
            raw_body: String::from_utf8_lossy(raw).into_owned(),
            raw_body_truncated,
            correlation_id,
            retry_after,
        }
    }

    /// The body decoded as `T`: for operations whose error statuses carry
    /// bodies of their own types (listed in each operation's documentation).
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&self.raw_body).ok()
    }

    /// The server's message, if the error body carried one.
    pub fn message(&self) -> Option<&str> {
{%- if error_message %}
        self.body.as_ref().and_then(|b| b.message.as_deref())
{%- else %}
        None
{%- endif %}
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP status {}", self.operation, self.status)?;
        match self.message() {
            Some(message) => {
                let message = clip(message, ECHO_LIMIT);
                write!(f, ": {message}")?;
            }
            None if !self.raw_body.is_empty() => {
                let body = clip(&self.raw_body, ECHO_LIMIT);
                write!(f, ": {body}")?;
            }
            None => {}
        }
        if let Some(id) = &self.correlation_id {
            write!(f, " (correlation id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(feature = "test-util")]
impl ApiError {
    /// The error `operation` returns when the API answers `status` with
    /// `body`, for tests of the code that handles it (the error body is
    /// decoded as from a response).
    pub fn mock(operation: &'static str, status: u16, body: &[u8]) -> ApiError {
        ApiError::new(operation, status, body, false, None, None)
    }
}

#[cfg(feature = "test-util")]
impl Error {
    /// The error a call to `operation` returns when `kind`'s limit, `limit`,
    /// passes in its only attempt while it waits for the response, for tests
    /// of the code that handles it. A mock rule's `refuse()` gives a real
    /// transport error.
    pub fn mock_timeout(operation: &'static str, kind: TimeoutKind, limit: Duration) -> Error {
        Error::Timeout {
            operation,
            kind,
            limit,
            after: limit,
            attempt: 1,
            max_attempts: 1,
            during: "waiting for the response",
        }
    }
}

impl Error {
    /// The HTTP status of the response, if one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } | Error::Redirect { status, .. } => {
                Some(*status)
            }
        {%- if oauth %}
            Error::Auth(e) => e.status,
        {%- endif %}
            _ => None,
        }
    }

    /// The response's correlation id, if one was received.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.correlation_id.as_deref(),
            Error::Decode { correlation_id, .. } | Error::ResponseTooLarge { correlation_id, .. } => correlation_id.as_deref(),
        {%- if oauth %}
            Error::Auth(e) => e.correlation_id.as_deref(),
        {%- endif %}
            _ => None,
        }
    }

    /// The API's error, if the server answered with a non-success status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Did the API answer 404 Not Found?
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Api(e) if e.status == 404)
    }

    /// Did the API answer 429 Too Many Requests? The client waited and
    /// retried as its [`RetryPolicy`](crate::RetryPolicy) allows, then gave up.
    pub fn is_throttled(&self) -> bool {
        matches!(self, Error::Api(e) if e.status == 429)
    }

    /// May the same call succeed when tried again later? By the rule the
    /// client retries by unless told otherwise ([`RetryPolicy::retries`](crate::RetryPolicy::retries)
    /// of the default policy): a status it retries (429, 502, 503, 504), or
    /// a connection that failed before anything was sent.
    pub fn is_retryable(&self) -> bool {
        crate::RetryPolicy::default().retries(self)
    }

    /// Did the call, or one of its attempts, time out?
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
        {%- if oauth %}
            Error::Auth(e) => e.is_timeout(),
        {%- endif %}
            Error::Transport { source, .. } => source.is_timeout(),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
        {%- if oauth %}
            Error::Auth(e) => e.fmt(f),
        {%- endif %}
            Error::Timeout {
                operation,
                kind,
                limit,
                attempt,
                max_attempts,
                during,
                ..
            } => {
                let limit = Human(*limit);
                match kind {
                    TimeoutKind::Attempt => {
                        write!(f, "{operation}: attempt {attempt} of {max_attempts} timed out after {limit} {during}")
                    }
                    TimeoutKind::Call => write!(
                        f,
                        "{operation}: gave up after {limit} (the call's total timeout) {during}, in attempt {attempt} of {max_attempts}"
                    ),
                }
            }
            Error::Transport { operation, during, source } => {
                write!(f, "{operation}: the HTTP exchange failed while {during}: {}", causes(source))
            }
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
                correlation_id,
            } => {
                write!(f, "{operation}: the HTTP {status} response body is larger than the limit of {limit} bytes")?;
                if let Some(id) = correlation_id {
                    write!(f, " (correlation id {id})")?;
                }
                Ok(())
            }
            Error::Redirect {
                operation,
                status,
                location,
                reason,
            } => write!(f, "{operation}: not following the HTTP {status} redirect to `{location}`: {reason}"),
            Error::Decode { operation, status, source, correlation_id, .. } => {
                write!(f, "{operation}: the HTTP {status} response body could not be decoded: {source}")?;
                if let Some(id) = correlation_id {
                    write!(f, " (correlation id {id})")?;
                }
                Ok(())
            }
            Error::InvalidRequest { operation, message } => write!(f, "{operation}: invalid request: {message}"),
{%- if pagination %}
            Error::Pagination { operation, pages, reason } => {
                write!(f, "{operation}: stopped reading pages after {pages}: {reason}")
            }
{%- endif %}
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(e.as_ref()),
        {%- if oauth %}
            Error::Auth(e) => Some(e.as_ref()),
        {%- endif %}
            Error::Transport { source, .. } => Some(source),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}
