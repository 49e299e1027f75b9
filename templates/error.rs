use std::fmt;
use std::time::Duration;

/// Everything that can go wrong when calling the API.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status that is not a success.
    Api(Box<ApiError>),
    /// Logging in failed: the token endpoint refused the credentials, or could not be reached.
    Auth(Box<crate::AuthError>),
    /// The call, retries and their waits included, took longer than the client's total timeout.
    Timeout {
        /// The `operationId` of the call.
        operation: &'static str,
        /// How long the call had taken.
        after: Duration,
    },
    /// The request could not be sent, or the response could not be read
    /// (connection refused, TLS failure, timeout, connection reset …).
    Transport {
        /// The `operationId` of the call.
        operation: &'static str,
        /// What the HTTP client reported.
        source: reqwest::Error,
    },
    /// A success response whose body is not what the API describes.
    Decode {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The HTTP status of the response.
        status: u16,
        /// The `ININ-Correlation-Id` response header, if present.
        correlation_id: Option<String>,
        /// The body as received (lossily decoded as UTF-8).
        body: String,
        /// Where and why decoding failed.
        source: serde_json::Error,
    },
    /// The arguments cannot be made into a request (e.g. an empty path parameter).
    InvalidRequest {
        /// The `operationId` of the call.
        operation: &'static str,
        /// What is wrong with the arguments.
        message: String,
    },
    /// The client's configuration is unusable (e.g. a malformed base URL).
    Config {
        /// What is wrong with the configuration.
        message: String,
    },
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
    /// The body as received (lossily decoded as UTF-8); empty when there was none.
    pub raw_body: String,
    /// The `ININ-Correlation-Id` response header: quote it when asking the API's support.
    pub correlation_id: Option<String>,
    /// The `Retry-After` response header (seconds or an HTTP date), when the server sent one.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: u16,
        raw: &[u8],
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
            Some(message) => write!(f, ": {message}")?,
            None if !self.raw_body.is_empty() => {
                let snippet: String = self.raw_body.chars().take(200).collect();
                write!(f, ": {snippet}")?;
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

impl Error {
    /// The HTTP status of the response, if one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Auth(e) => e.status,
            _ => None,
        }
    }

    /// The `ININ-Correlation-Id` of the response, if one was received.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.correlation_id.as_deref(),
            Error::Decode { correlation_id, .. } => correlation_id.as_deref(),
            Error::Auth(e) => e.correlation_id.as_deref(),
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

    /// Did the call, or one of its attempts, time out?
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Transport { source, .. } => source.is_timeout(),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Auth(e) => e.fmt(f),
            Error::Timeout { operation, after } => {
                write!(f, "{operation}: gave up after {} ms (the client's total timeout)", after.as_millis())
            }
            Error::Transport { operation, source } => write!(f, "{operation}: could not complete the HTTP exchange: {source}"),
            Error::Decode { operation, status, source, correlation_id, .. } => {
                write!(f, "{operation}: the HTTP {status} response body could not be decoded: {source}")?;
                if let Some(id) = correlation_id {
                    write!(f, " (correlation id {id})")?;
                }
                Ok(())
            }
            Error::InvalidRequest { operation, message } => write!(f, "{operation}: invalid request: {message}"),
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(e.as_ref()),
            Error::Auth(e) => Some(e.as_ref()),
            Error::Transport { source, .. } => Some(source),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}
