//! How calls are retried and redirected, base URLs, and the hooks
//! applications can attach.

use reqwest::Url;
use std::time::Duration;

/// When and how often failed calls are tried again.
///
/// The default retries responses with status 429, 502, 503 and 504, at most
/// 3 times (4 attempts in all), within the client's total timeout:
///
/// - a `Retry-After` header (seconds or an HTTP date) is honoured;
/// - without one, a 429 waits [`default_delay`](Self::default_delay) (3 s) and a
///   5xx backs off exponentially from [`initial_backoff`](Self::initial_backoff)
///   (1 s, doubling up to [`max_backoff`](Self::max_backoff), 30 s) with jitter;
/// - a wait longer than [`max_retry_after`](Self::max_retry_after) (180 s), or
///   one that would end after the total timeout, is not waited: the response
///   is returned as an error at once;
/// - connection failures (nothing was sent) are retried like a 5xx.
///
/// The request, body included, is sent again unchanged.
#[cfg_attr(feature = "oauth", doc = "")]
#[cfg_attr(
    feature = "oauth",
    doc = " Token requests are not retried within a call: a login that fails is"
)]
#[cfg_attr(
    feature = "oauth",
    doc = " reported as [`Error::Auth`](crate::Error::Auth) to every call waiting"
)]
#[cfg_attr(
    feature = "oauth",
    doc = " for it (an early renewal that fails keeps using the current token until"
)]
#[cfg_attr(
    feature = "oauth",
    doc = " it expires). The next token request waits out the same backoff as a"
)]
#[cfg_attr(
    feature = "oauth",
    doc = " 5xx, growing with each failure in a row, so a failing login host is"
)]
#[cfg_attr(feature = "oauth", doc = " never asked more often.")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first one included; 1 turns retrying off.
    pub max_attempts: u32,
    /// Statuses that are retried.
    pub statuses: Vec<u16>,
    /// The wait after a 429 without `Retry-After`.
    pub default_delay: Duration,
    /// The first backoff after a 5xx without `Retry-After`.
    pub initial_backoff: Duration,
    /// The longest backoff after a 5xx.
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not waited for.
    pub max_retry_after: Duration,
    /// Whether connection failures are retried.
    pub retry_connect_errors: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            statuses: vec![429, 502, 503, 504],
            default_delay: Duration::from_secs(3),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(180),
            retry_connect_errors: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts in all (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the statuses that are retried.
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// Sets the wait after a 429 without `Retry-After`.
    pub fn default_delay(mut self, delay: Duration) -> Self {
        self.default_delay = delay;
        self
    }

    /// Sets the first and the longest backoff after a 5xx.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the longest `Retry-After` that is waited for.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Sets whether connection failures are retried.
    pub fn retry_connect_errors(mut self, retry: bool) -> Self {
        self.retry_connect_errors = retry;
        self
    }

    /// Whether the policy retries a call that failed with `error` (when
    /// attempts are left): a status it retries, or a connection that failed
    /// before anything was sent (when it retries those). Timeouts, decode
    /// errors and the rest are returned as they are.
    pub fn retries(&self, error: &crate::Error) -> bool {
        match error {
            crate::Error::Api(e) => self.retries_status(e.status),
            crate::Error::Transport { source, .. } => {
                self.retry_connect_errors && source.is_connect()
            }
            _ => false,
        }
    }

    fn retries_status(&self, status: u16) -> bool {
        self.statuses.contains(&status)
    }

    /// The wait before attempt `attempt + 1` after a retryable status, or
    /// `None` when the response is to be returned as it is.
    pub(crate) fn delay_after_status(
        &self,
        status: u16,
        retry_after: Option<Duration>,
        attempt: u32,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts || !self.retries_status(status) {
            return None;
        }
        let delay = match retry_after {
            Some(wait) => wait,
            None if status == 429 => self.default_delay,
            None => self.backoff_delay(attempt),
        };
        (delay <= self.max_retry_after).then_some(delay)
    }

    /// The wait after a failed connection, or `None` when not retried.
    pub(crate) fn delay_after_connect_error(&self, attempt: u32) -> Option<Duration> {
        (self.retry_connect_errors && attempt < self.max_attempts)
            .then(|| self.backoff_delay(attempt))
    }

    /// Exponential backoff with jitter: a random wait between half and all of
    /// `initial * 2^(attempt-1)`, capped at `max_backoff`.
    pub(crate) fn backoff_delay(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(
                1u32.checked_shl(attempt.saturating_sub(1))
                    .unwrap_or(u32::MAX),
            )
            .min(self.max_backoff);
        let half = exp / 2;
        half + half.mul_f64(random_unit())
    }
}

/// Which redirects API calls follow.
#[cfg_attr(feature = "oauth", doc = "")]
#[cfg_attr(
    feature = "oauth",
    doc = " Token requests follow none: a token endpoint that redirects fails the"
)]
#[cfg_attr(
    feature = "oauth",
    doc = " login, so that codes, secrets and refresh tokens never leave the login"
)]
#[cfg_attr(feature = "oauth", doc = " host.")]
///
/// The default follows up to 5 redirects within the same origin (scheme,
/// host and port):
///
/// - `GET` and `HEAD` follow 301, 302, 303, 307 and 308;
/// - other methods follow 307 and 308 with the same method and body; a 301,
///   302 or 303 would turn them into a `GET` that never delivers the change,
///   so it is an error ([`Error::Redirect`](crate::Error::Redirect));
/// - with [`any_origin`](Self::any_origin), redirects to another origin are
///   followed too, but never with credentials (`Authorization`, cookies and
///   every header marked sensitive are dropped for the rest of the call) and
///   never with a request body (a redirected write is an error).
///
/// A redirect that is not followed is returned as
/// [`Error::Redirect`](crate::Error::Redirect), with its status and target.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedirectPolicy {
    /// The most redirects one attempt follows; 0 follows none.
    pub max_redirects: u32,
    /// Whether redirects to another origin are followed (without
    /// credentials or body).
    pub cross_origin: bool,
}

impl Default for RedirectPolicy {
    fn default() -> Self {
        RedirectPolicy::same_origin(5)
    }
}

impl RedirectPolicy {
    /// Follow no redirect: each one is an [`Error::Redirect`](crate::Error::Redirect).
    pub fn none() -> Self {
        RedirectPolicy {
            max_redirects: 0,
            cross_origin: false,
        }
    }

    /// Follow up to `max` redirects within the same origin.
    pub fn same_origin(max: u32) -> Self {
        RedirectPolicy {
            max_redirects: max,
            cross_origin: false,
        }
    }

    /// Follow up to `max` redirects, to other origins too, dropping
    /// credentials when the origin changes; bodies are never sent elsewhere.
    pub fn any_origin(max: u32) -> Self {
        RedirectPolicy {
            max_redirects: max,
            cross_origin: true,
        }
    }
}

/// Parses a `Retry-After` value: whole seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Hooks around every API call's HTTP exchange (each attempt), for
/// middleware the client lacks.
#[cfg_attr(feature = "oauth", doc = "")]
#[cfg_attr(
    feature = "oauth",
    doc = " Token requests are not shown to hooks: their bodies carry secrets."
)]
///
/// `before_send` sees the request after authentication was added: the
/// `Authorization` header is marked sensitive (its `Debug` shows `Sensitive`),
/// and a hook must not log its value.
pub trait Hooks: Send + Sync + 'static {
    /// Called before each attempt is sent; may change the request.
    fn before_send(&self, operation: &'static str, request: &mut reqwest::Request) {
        let _ = (operation, request);
    }

    /// Called after each response is received.
    fn after_receive(
        &self,
        operation: &'static str,
        status: u16,
        headers: &reqwest::header::HeaderMap,
    ) {
        let _ = (operation, status, headers);
    }
}

/// Checks a base URL and strips its trailing `/`.
pub(crate) fn parse_base_url(raw: &str, what: &str) -> Result<Url, String> {
    let mut url = Url::parse(raw).map_err(|e| format!("{what} `{raw}` is not a valid URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{what} `{raw}` must use http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{what} `{raw}` must not have a query or fragment"));
    }
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

/// A random number in `[0, 1)`, for jitter.
pub(crate) fn random_unit() -> f64 {
    let mut bytes = [0u8; 4];
    match ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        // A date in the past means now.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", SystemTime::now()), None);
        assert_eq!(parse_retry_after("-1", SystemTime::now()), None);
    }

    #[test]
    fn a_retry_waits_for_retry_after_within_the_policy() {
        let policy = RetryPolicy::default()
            .max_attempts(3)
            .max_retry_after(Duration::from_secs(30));
        assert_eq!(
            policy.delay_after_status(429, Some(Duration::from_secs(7)), 1),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            policy.delay_after_status(429, None, 1),
            Some(policy.default_delay)
        );
        // Too long a wait, the last attempt, or a status that is not retried: no retry.
        assert_eq!(
            policy.delay_after_status(429, Some(Duration::from_secs(31)), 1),
            None
        );
        assert_eq!(policy.delay_after_status(503, None, 3), None);
        assert_eq!(policy.delay_after_status(404, None, 1), None);
        assert_eq!(RetryPolicy::none().delay_after_status(503, None, 1), None);
    }

    #[test]
    fn backoff_grows_within_its_bounds() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(350));
        for attempt in 1..40 {
            let exp = Duration::from_millis(100)
                .saturating_mul(1 << (attempt - 1).min(20))
                .min(Duration::from_millis(350));
            let delay = policy.backoff_delay(attempt);
            assert!(
                delay >= exp / 2 && delay <= exp,
                "attempt {attempt}: {delay:?}"
            );
        }
    }

    #[test]
    fn base_urls_are_http_without_query_or_trailing_slash() {
        assert_eq!(
            parse_base_url("https://api.example.com/v2/", "base URL")
                .unwrap()
                .as_str(),
            "https://api.example.com/v2"
        );
        assert!(parse_base_url("ftp://api.example.com", "base URL")
            .unwrap_err()
            .contains("http or https"));
        assert!(parse_base_url("https://api.example.com/?a=1", "base URL").is_err());
        assert!(parse_base_url("not a url", "base URL")
            .unwrap_err()
            .starts_with("base URL `not a url`"));
    }

    #[test]
    fn jitter_is_in_the_unit_interval() {
        for _ in 0..100 {
            let x = random_unit();
            assert!((0.0..1.0).contains(&x));
        }
    }
}
