//! One HTTP exchange on the wire (an API call's, or a token request's):
//! how much of a body is read, where a redirect may lead, how failures are
//! described, and how much of what a server or caller sent an error repeats.

use reqwest::header::{HeaderMap, AUTHORIZATION, COOKIE, LOCATION, PROXY_AUTHORIZATION};
use reqwest::{Method, Url};
use std::borrow::Cow;
use std::fmt;
use std::time::Duration;
use tokio::time::Instant;

/// The most of an error body kept, in [`ApiError::raw_body`](crate::ApiError::raw_body)
/// and decode errors: 64 KiB.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The largest response body read unless configured otherwise: 64 MiB.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// The most bytes of a header value (such as a correlation id) kept.
const HEADER_TEXT_LIMIT: usize = 256;

/// The most bytes of anything a server or caller sent that a message repeats.
pub(crate) const ECHO_LIMIT: usize = 200;

/// The longest wait any deadline is set to; longer ones are cut to it, so
/// that no instant arithmetic can overflow.
const FAR: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// `start + wait`, or a century later when `wait` is longer than that.
pub(crate) fn later(start: Instant, wait: Duration) -> Instant {
    start.checked_add(wait.min(FAR)).unwrap_or(start)
}

/// The longest start of `text` of at most `max` bytes that ends at a
/// character boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `text` cut to at most `max` bytes at a character boundary, with `…` when cut.
pub(crate) fn clip(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    let kept = prefix(text, max);
    Cow::Owned(format!("{kept}… ({} bytes in all)", text.len()))
}

/// A response header as text, cut to a sane length; `None` when absent or
/// not visible ASCII.
pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?;
    Some(prefix(value, HEADER_TEXT_LIMIT).to_owned())
}

/// The response's correlation id, when the API has a header for it and the
/// response carries one.
pub(crate) fn correlation_id(headers: &HeaderMap) -> Option<String> {
    crate::conventions::CORRELATION_ID.and_then(|name| header_text(headers, name))
}

/// A duration the way a person reads it: `250 ms`, `16 s`, `1.5 s`.
pub(crate) struct Human(pub(crate) Duration);

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d < Duration::from_secs(1) {
            write!(f, "{} ms", d.as_millis())
        } else if d.subsec_millis() == 0 {
            write!(f, "{} s", d.as_secs())
        } else {
            write!(f, "{:.1} s", d.as_secs_f64())
        }
    }
}

/// What the exchange was doing when it failed.
pub(crate) fn stage_of(error: &reqwest::Error) -> &'static str {
    if error.is_connect() {
        "connecting"
    } else if error.is_body() || error.is_decode() {
        "reading the response body"
    } else {
        "sending the request or waiting for the response"
    }
}

/// The causes of a transport failure, innermost last, without any URL.
pub(crate) fn causes(error: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = std::error::Error::source(error);
    while let Some(cause) = next {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = cause.source();
    }
    if parts.is_empty() {
        parts.push(error.to_string());
    }
    clip(&parts.join(": "), 4 * ECHO_LIMIT).into_owned()
}

/// Why a body was not read whole.
pub(crate) enum BodyError {
    /// It is, or announced itself as, larger than the limit.
    TooLarge,
    /// The connection failed while reading it.
    Transport(reqwest::Error),
    /// The deadline passed while reading it.
    TimedOut,
}

/// Reads a whole body of at most `limit` bytes before `deadline`. A body
/// that announces more is refused before it is read; one that sends more is
/// dropped as soon as it passes the limit.
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    limit: u64,
    deadline: Instant,
) -> Result<bytes::Bytes, BodyError> {
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    let expected = response
        .content_length()
        .unwrap_or(0)
        .min(limit)
        .min(1024 * 1024);
    let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    loop {
        let chunk = match tokio::time::timeout_at(deadline, response.chunk()).await {
            Err(_) => return Err(BodyError::TimedOut),
            Ok(Err(e)) => return Err(BodyError::Transport(e.without_url())),
            Ok(Ok(None)) => return Ok(body.into()),
            Ok(Ok(Some(chunk))) => chunk,
        };
        let needed = body.len() + chunk.len();
        if needed as u64 > limit {
            return Err(BodyError::TooLarge);
        }
        if needed > body.capacity() {
            // Grow as a `Vec` does, but never past the limit.
            let ceiling = usize::try_from(limit).unwrap_or(usize::MAX);
            let grown = body.capacity().saturating_mul(2).max(needed).min(ceiling);
            body.reserve_exact(grown - body.len());
        }
        body.extend_from_slice(&chunk);
    }
}

/// Reads at most `cap` bytes of a body before `deadline`, for an error
/// response: what arrived is kept even when the rest fails to. Returns the
/// bytes and whether they are the whole body.
pub(crate) async fn read_prefix(
    response: &mut reqwest::Response,
    cap: usize,
    deadline: Instant,
) -> (Vec<u8>, bool) {
    let mut body = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                let room = cap - body.len();
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    return (body, false);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Ok(None)) => return (body, true),
            Ok(Err(_)) | Err(_) => return (body, false),
        }
    }
}

/// Is `status` a redirect that names where to go?
pub(crate) fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// Where a redirect leads, resolved against the URL that was asked for.
pub(crate) fn redirect_target(from: &Url, headers: &HeaderMap) -> Result<Url, &'static str> {
    let location = headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or("the redirect has no usable Location header")?;
    let target = from
        .join(location)
        .map_err(|_| "the redirect's Location is not a URL")?;
    if !matches!(target.scheme(), "http" | "https") {
        return Err("the redirect leads to a URL that is neither http nor https");
    }
    Ok(target)
}

/// The decision on one redirect of an API call.
pub(crate) enum Hop {
    /// Follow it with this method; `cross_origin` says the target is on
    /// another origin (credentials are then dropped for good).
    Follow { method: Method, cross_origin: bool },
    /// Do not follow it, for this reason.
    Refuse(&'static str),
}

/// Decides whether an API call follows a redirect. `hops` is the number
/// already followed; `has_body` says the request carries a body.
pub(crate) fn decide_hop(
    policy: &crate::RedirectPolicy,
    method: &Method,
    status: u16,
    has_body: bool,
    hops: u32,
    from: &Url,
    to: &Url,
) -> Hop {
    if policy.max_redirects == 0 {
        return Hop::Refuse("the client follows no redirects");
    }
    if hops >= policy.max_redirects {
        return Hop::Refuse("too many redirects");
    }
    let read_only = [Method::GET, Method::HEAD].contains(method);
    if !read_only && matches!(status, 301..=303) {
        return Hop::Refuse("following it would turn the request into a GET, so the change would never reach the API");
    }
    let cross_origin = from.origin() != to.origin();
    if cross_origin && !policy.cross_origin {
        return Hop::Refuse("it leads to another origin, and the client follows redirects within the same origin only");
    }
    if cross_origin && has_body {
        return Hop::Refuse(
            "it leads to another origin, and a request body is never sent to another origin",
        );
    }
    Hop::Follow {
        method: method.clone(),
        cross_origin,
    }
}

/// Removes every header that carries a credential: for requests that go to
/// another origin than the one the credentials are for.
pub(crate) fn strip_credentials(headers: &mut HeaderMap) {
    for name in [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION] {
        headers.remove(name);
    }
    let sensitive: Vec<_> = headers
        .iter()
        .filter(|(_, value)| value.is_sensitive())
        .map(|(name, _)| name.clone())
        .collect();
    for name in sensitive {
        headers.remove(name);
    }
}

/// A value of a declared response header, read from its text.
#[cfg(feature = "response-headers")]
pub(crate) trait FromHeader: Sized {
    fn from_header(text: &str) -> Option<Self>;
}

#[cfg(feature = "response-headers")]
impl FromHeader for String {
    fn from_header(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

#[cfg(feature = "response-headers")]
impl FromHeader for bool {
    fn from_header(text: &str) -> Option<Self> {
        match text {
            t if t.eq_ignore_ascii_case("true") => Some(true),
            t if t.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
}

#[cfg(feature = "response-headers")]
macro_rules! from_header_by_parse {
    ($($t:ty),*) => {$(
        impl FromHeader for $t {
            fn from_header(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}

#[cfg(feature = "response-headers")]
from_header_by_parse!(i32, i64, f32, f64, chrono::NaiveDate);

#[cfg(feature = "response-headers")]
impl FromHeader for chrono::DateTime<chrono::Utc> {
    /// RFC 3339, or the HTTP date format (`Wed, 21 Oct 2015 07:28:00 GMT`)
    /// headers such as `Expires` and `Last-Modified` use.
    fn from_header(text: &str) -> Option<Self> {
        chrono::DateTime::parse_from_rfc3339(text)
            .or_else(|_| chrono::DateTime::parse_from_rfc2822(text))
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    }
}

#[cfg(feature = "response-headers")]
impl<T: FromHeader> FromHeader for Vec<T> {
    /// Comma-separated values (the `simple` style); one that does not read
    /// makes the whole list unread.
    fn from_header(text: &str) -> Option<Self> {
        if text.trim().is_empty() {
            return Some(Vec::new());
        }
        text.split(',').map(|v| T::from_header(v.trim())).collect()
    }
}

/// The value of the declared header `name`: `None` when it is missing, is
/// not text, or does not read as a `T`. A header sent more than once is
/// read as its values joined with commas, as HTTP allows.
#[cfg(feature = "response-headers")]
pub(crate) fn declared_header<T: FromHeader>(headers: &HeaderMap, name: &str) -> Option<T> {
    let mut values = headers.get_all(name).iter();
    let first = values.next()?.to_str().ok()?;
    let mut text = Cow::Borrowed(first.trim());
    for more in values {
        let more = more.to_str().ok()?;
        text.to_mut().push_str(", ");
        text.to_mut().push_str(more.trim());
    }
    T::from_header(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "response-headers")]
    fn declared_headers_read_as_their_type_or_not_at_all() {
        use reqwest::header::HeaderValue;
        let mut headers = HeaderMap::new();
        headers.insert("x-remaining", HeaderValue::from_static(" 42 "));
        headers.insert("x-flag", HeaderValue::from_static("TRUE"));
        headers.insert("x-ids", HeaderValue::from_static("1, 2,3"));
        headers.append("link", HeaderValue::from_static("<a>; rel=\"next\""));
        headers.append("link", HeaderValue::from_static("<b>; rel=\"last\""));
        headers.insert(
            "expires",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        headers.insert("x-at", HeaderValue::from_static("2026-12-01T11:20:50Z"));
        headers.insert("x-bad", HeaderValue::from_bytes(b"\xff").unwrap());
        assert_eq!(declared_header::<i64>(&headers, "X-Remaining"), Some(42));
        assert_eq!(declared_header::<i32>(&headers, "x-flag"), None);
        assert_eq!(declared_header::<bool>(&headers, "x-flag"), Some(true));
        assert_eq!(
            declared_header::<Vec<i64>>(&headers, "x-ids"),
            Some(vec![1, 2, 3])
        );
        assert_eq!(declared_header::<Vec<i64>>(&headers, "x-flag"), None);
        assert_eq!(
            declared_header::<String>(&headers, "link").as_deref(),
            Some("<a>; rel=\"next\", <b>; rel=\"last\"")
        );
        let expires = declared_header::<chrono::DateTime<chrono::Utc>>(&headers, "expires");
        assert_eq!(
            expires.map(|t| t.to_rfc3339()).as_deref(),
            Some("2015-10-21T07:28:00+00:00")
        );
        let at = declared_header::<chrono::DateTime<chrono::Utc>>(&headers, "x-at");
        assert_eq!(at.map(|t| t.timestamp()), Some(1_796_124_050));
        assert_eq!(declared_header::<String>(&headers, "x-bad"), None);
        assert_eq!(declared_header::<String>(&headers, "x-missing"), None);
    }

    #[test]
    fn clip_cuts_at_a_character_boundary_and_says_how_long_the_text_was() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("héllo wörld", 2), "h… (13 bytes in all)");
        assert_eq!(prefix("é", 1), "");
    }

    #[test]
    fn later_never_overflows() {
        let now = Instant::now();
        assert_eq!(
            later(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
        assert_eq!(later(now, Duration::MAX), now + FAR);
    }

    #[test]
    fn a_redirect_resolves_against_the_url_asked_for_and_stays_on_http() {
        let from = Url::parse("https://api.example.com/v2/things").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, "/v2/other?x=1".parse().unwrap());
        assert_eq!(
            redirect_target(&from, &headers).unwrap().as_str(),
            "https://api.example.com/v2/other?x=1"
        );
        headers.insert(LOCATION, "file:///etc/passwd".parse().unwrap());
        assert!(redirect_target(&from, &headers).is_err());
        assert!(redirect_target(&from, &HeaderMap::new()).is_err());
        assert!(is_redirect(307) && !is_redirect(304) && !is_redirect(300));
    }

    fn hop(
        policy: &crate::RedirectPolicy,
        method: Method,
        status: u16,
        body: bool,
        to: &str,
    ) -> Result<bool, &'static str> {
        let from = Url::parse("https://api.example.com/a").unwrap();
        match decide_hop(
            policy,
            &method,
            status,
            body,
            0,
            &from,
            &Url::parse(to).unwrap(),
        ) {
            Hop::Follow { cross_origin, .. } => Ok(cross_origin),
            Hop::Refuse(reason) => Err(reason),
        }
    }

    #[test]
    fn redirects_stay_on_the_origin_unless_the_policy_allows_more() {
        let same = crate::RedirectPolicy::default();
        assert_eq!(
            hop(&same, Method::GET, 302, false, "https://api.example.com/b"),
            Ok(false)
        );
        assert!(hop(
            &same,
            Method::GET,
            302,
            false,
            "https://elsewhere.example.com/b"
        )
        .is_err());
        let any = crate::RedirectPolicy::any_origin(5);
        assert_eq!(
            hop(
                &any,
                Method::GET,
                302,
                false,
                "https://elsewhere.example.com/b"
            ),
            Ok(true)
        );
        // A body never goes to another origin, and a POST is never turned into a GET.
        assert!(hop(
            &any,
            Method::PUT,
            307,
            true,
            "https://elsewhere.example.com/b"
        )
        .is_err());
        assert!(hop(&same, Method::POST, 303, true, "https://api.example.com/b").is_err());
        assert_eq!(
            hop(&same, Method::POST, 307, true, "https://api.example.com/b"),
            Ok(false)
        );
        assert!(hop(
            &crate::RedirectPolicy::none(),
            Method::GET,
            302,
            false,
            "https://api.example.com/b"
        )
        .is_err());
    }

    #[test]
    fn credentials_are_stripped_with_every_sensitive_header() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, "Bearer t".parse().unwrap());
        headers.insert(COOKIE, "session=s".parse().unwrap());
        let mut key: reqwest::header::HeaderValue = "k".parse().unwrap();
        key.set_sensitive(true);
        headers.insert("x-api-key", key);
        headers.insert("x-trace", "kept".parse().unwrap());
        strip_credentials(&mut headers);
        assert_eq!(headers.len(), 1);
        assert_eq!(headers["x-trace"], "kept");
    }

    #[test]
    fn header_text_is_visible_ascii_and_bounded() {
        let mut headers = HeaderMap::new();
        headers.insert("x-long", "a".repeat(HEADER_TEXT_LIMIT * 2).parse().unwrap());
        assert_eq!(
            header_text(&headers, "x-long").map(|t| t.len()),
            Some(HEADER_TEXT_LIMIT)
        );
        assert_eq!(header_text(&headers, "x-missing"), None);
    }
}
