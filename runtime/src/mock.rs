//! An in-memory stand-in for the API, for the tests of code that uses the
//! client (the `test-util` feature).
//!
//! A [`Mock`] replaces the transport only: a client built with
//! [`ClientBuilder::mock`](crate::ClientBuilder::mock) opens no socket, and
//! everything else runs as in production — authentication (token requests
//! go to the mock too), retries and their waits, redirects, time limits,
//! size limits and decoding. Under `tokio::time::pause` the waits take no
//! wall-clock time.
//!
//! Rules are set per operation, with the methods each operation group adds
//! (typed by the operation's success body) or with [`Mock::on`]; each rule
//! answers with its replies in turn, the last one again once they run out.
//! A request no rule matches is answered `501 Not Implemented`, naming the
//! operation.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};

/// Answers the requests of the clients built with it, in memory. Clones share
/// their rules and what they received.
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    received: Vec<MockRequest>,
}

type Matcher = Arc<dyn Fn(&MockRequest) -> bool + Send + Sync>;

struct Rule {
    operation: &'static str,
    matchers: Vec<Matcher>,
    replies: VecDeque<MockReply>,
    /// Answers again once `replies` run out.
    last: Option<MockReply>,
    /// How many requests it answered.
    hits: usize,
}

impl Mock {
    /// A mock without rules: every request is answered 501.
    pub fn new() -> Mock {
        Mock::default()
    }

    /// A rule for the operation with this `operationId`, its success body
    /// given as JSON.
    pub fn on(&self, operation: &'static str) -> MockRule<'_, serde_json::Value> {
        self.rule(operation, 200, json_body)
    }

    /// A rule for token requests (logins and renewals), answered with the
    /// token endpoint's JSON.
    #[cfg(feature = "oauth")]
    pub fn on_token(&self) -> MockRule<'_, serde_json::Value> {
        self.on(crate::auth::TOKEN_REQUEST)
    }

    /// A rule for `operation`, whose success status is `status` and whose
    /// success body `encode` writes; what the operation groups' typed
    /// methods call.
    #[doc(hidden)]
    pub fn rule<T>(
        &self,
        operation: &'static str,
        status: u16,
        encode: Encode<T>,
    ) -> MockRule<'_, T> {
        let mut state = self.state();
        state.rules.push(Rule {
            operation,
            matchers: Vec::new(),
            replies: VecDeque::new(),
            last: None,
            hits: 0,
        });
        MockRule {
            mock: self,
            index: state.rules.len() - 1,
            status,
            encode,
            body: PhantomData,
        }
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<MockRequest> {
        self.state().received.clone()
    }

    /// The requests received for `operation` (an `operationId`, or
    /// `"token request"` for logins), in order.
    pub fn requests_for(&self, operation: &str) -> Vec<MockRequest> {
        let state = self.state();
        state
            .received
            .iter()
            .filter(|r| r.operation == operation)
            .cloned()
            .collect()
    }

    /// How many requests `operation` received.
    pub fn calls(&self, operation: &str) -> usize {
        self.state()
            .received
            .iter()
            .filter(|r| r.operation == operation)
            .count()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panicking test thread leaves the state as consistent as it was.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Answers one request: the reply of the first rule of its operation
    /// whose matchers all accept it.
    pub(crate) async fn answer(
        &self,
        operation: &'static str,
        path_template: &'static str,
        mut request: reqwest::Request,
    ) -> Result<(reqwest::Response, Url), reqwest::Error> {
        let body = request
            .body_mut()
            .take()
            .and_then(|b| b.as_bytes().map(<[u8]>::to_vec))
            .unwrap_or_default();
        let received = MockRequest {
            operation,
            path_template,
            method: request.method().clone(),
            url: request.url().clone(),
            headers: request.headers().clone(),
            body,
        };
        let reply = {
            let mut state = self.state();
            state.received.push(received.clone());
            let rule = (state.rules.iter_mut()).find(|rule| {
                rule.operation == operation && rule.matchers.iter().all(|m| m(&received))
            });
            match rule {
                Some(rule) => {
                    rule.hits += 1;
                    rule.replies.pop_front().or_else(|| rule.last.clone())
                }
                None => None,
            }
        };
        let url = received.url.clone();
        match reply.unwrap_or_else(|| unmatched(&received)) {
            MockReply::Refused => refused(request).await,
            MockReply::Response {
                status,
                headers,
                body,
            } => {
                let mut response = http::Response::new(body);
                *response.status_mut() = http::StatusCode::from_u16(status)
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
                *response.headers_mut() = headers;
                Ok((reqwest::Response::from(response), url))
            }
        }
    }
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("Mock")
            .field("rules", &state.rules.len())
            .field("received", &state.received.len())
            .finish()
    }
}

/// The answer to a request no rule matches.
fn unmatched(request: &MockRequest) -> MockReply {
    MockReply::text(
        501,
        &format!(
            "the mock has no rule for {} {} (operation {})",
            request.method,
            request.url.path(),
            request.operation
        ),
    )
}

/// The outcome of a connection that is refused, from a client whose
/// connector refuses every connection: a real transport error, with no
/// socket opened.
async fn refused(request: reqwest::Request) -> Result<(reqwest::Response, Url), reqwest::Error> {
    let url = request.url().clone();
    let client = crate::http_client_builder()
        .connector_layer(Refuse)
        .build()?;
    let response = client.execute(request).await?;
    Ok((response, url))
}

/// A connector layer that refuses every connection.
#[derive(Clone)]
struct Refuse;

impl<S> tower_layer::Layer<S> for Refuse {
    type Service = Refusing<S>;

    fn layer(&self, _inner: S) -> Refusing<S> {
        Refusing(PhantomData)
    }
}

struct Refusing<S>(PhantomData<fn() -> S>);

impl<S> Clone for Refusing<S> {
    fn clone(&self) -> Self {
        Refusing(PhantomData)
    }
}

impl<S, R> tower_service::Service<R> for Refusing<S>
where
    S: tower_service::Service<R>,
    S::Error: From<std::io::Error>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = std::future::Ready<Result<S::Response, S::Error>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), S::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: R) -> Self::Future {
        let refused = std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "the mock refused the connection",
        );
        std::future::ready(Err(refused.into()))
    }
}

/// How a rule writes its operation's success body.
pub type Encode<T> = fn(&T) -> Result<(Vec<u8>, Option<&'static str>), String>;

/// A success body as JSON; `()` as no body.
pub fn json_body<T: serde::Serialize>(
    value: &T,
) -> Result<(Vec<u8>, Option<&'static str>), String> {
    match serde_json::to_value(value).map_err(|e| e.to_string())? {
        serde_json::Value::Null => Ok((Vec::new(), None)),
        json => Ok((json.to_string().into_bytes(), Some("application/json"))),
    }
}

/// A success body of text.
#[allow(clippy::ptr_arg)] // an `Encode<String>`: it takes the body type
pub fn text_body(value: &String) -> Result<(Vec<u8>, Option<&'static str>), String> {
    Ok((value.clone().into_bytes(), Some("text/plain")))
}

/// A success body of bytes.
#[allow(clippy::ptr_arg)] // an `Encode<Vec<u8>>`: it takes the body type
pub fn bytes_body(value: &Vec<u8>) -> Result<(Vec<u8>, Option<&'static str>), String> {
    Ok((value.clone(), Some("application/octet-stream")))
}

/// The replies of requests to one operation that its matchers accept.
pub struct MockRule<'m, T> {
    mock: &'m Mock,
    index: usize,
    status: u16,
    encode: Encode<T>,
    body: PhantomData<fn(&T)>,
}

impl<T> MockRule<'_, T> {
    /// Answers only the requests `matches` accepts (all of them, when given
    /// several); the first rule that accepts a request answers it.
    pub fn when(self, matches: impl Fn(&MockRequest) -> bool + Send + Sync + 'static) -> Self {
        self.edit(|rule| rule.matchers.push(Arc::new(matches)));
        self
    }

    /// Answers with the operation's success status and `body`.
    pub fn ok(self, body: T) -> Self {
        let reply = match (self.encode)(&body) {
            Ok((bytes, media)) => {
                let reply = MockReply::status(self.status).with_body(bytes);
                match media {
                    Some(media) => reply.with_header("content-type", media),
                    None => reply,
                }
            }
            Err(message) => MockReply::text(
                500,
                &format!("the mock could not encode the body: {message}"),
            ),
        };
        self.reply(reply)
    }

    /// Answers with `status` and the JSON of `body`, e.g. the API's error body.
    pub fn error<E: serde::Serialize>(self, status: u16, body: &E) -> Self {
        self.reply(MockReply::json(status, body))
    }

    /// Refuses the connection: nothing reaches the API, and the client sees
    /// a transport error it may retry.
    pub fn refuse(self) -> Self {
        self.reply(MockReply::Refused)
    }

    /// Answers with `reply`, after the replies given before.
    pub fn reply(self, reply: MockReply) -> Self {
        self.edit(|rule| {
            if let Some(last) = rule.last.replace(reply.clone()) {
                rule.replies.push_back(last);
            }
        });
        self
    }

    /// How many requests this rule answered.
    pub fn hits(&self) -> usize {
        self.mock
            .state()
            .rules
            .get(self.index)
            .map_or(0, |rule| rule.hits)
    }

    fn edit(&self, change: impl FnOnce(&mut Rule)) {
        if let Some(rule) = self.mock.state().rules.get_mut(self.index) {
            change(rule);
        }
    }
}

impl<T> fmt::Debug for MockRule<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockRule")
            .field("index", &self.index)
            .field("hits", &self.hits())
            .finish()
    }
}

/// What the mock answers a request with.
#[derive(Debug, Clone)]
pub enum MockReply {
    /// A response.
    #[non_exhaustive]
    Response {
        /// Its status.
        status: u16,
        /// Its headers.
        headers: HeaderMap,
        /// Its body.
        body: Vec<u8>,
    },
    /// A refused connection: a transport error.
    Refused,
}

impl MockReply {
    /// A response with `status`, no header and no body.
    pub fn status(status: u16) -> MockReply {
        MockReply::Response {
            status,
            headers: HeaderMap::new(),
            body: Vec::new(),
        }
    }

    /// A response with `status` and the JSON of `body`.
    pub fn json<T: serde::Serialize>(status: u16, body: &T) -> MockReply {
        match serde_json::to_vec(body) {
            Ok(bytes) => MockReply::status(status)
                .with_body(bytes)
                .with_header("content-type", "application/json"),
            Err(e) => MockReply::text(500, &format!("the mock could not encode the body: {e}")),
        }
    }

    /// A response with `status` and a text body.
    pub fn text(status: u16, text: &str) -> MockReply {
        MockReply::status(status)
            .with_body(text.as_bytes().to_vec())
            .with_header("content-type", "text/plain")
    }

    /// The reply with a header added (`Retry-After`, a correlation id, …);
    /// a name or value that is not valid in HTTP is left out.
    pub fn with_header(mut self, name: &str, value: &str) -> MockReply {
        if let MockReply::Response { headers, .. } = &mut self {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.append(name, value);
            }
        }
        self
    }

    /// The reply with `body` as its body.
    pub fn with_body(mut self, bytes: Vec<u8>) -> MockReply {
        if let MockReply::Response { body, .. } = &mut self {
            *body = bytes;
        }
        self
    }
}

/// A request the client sent, as the mock received it: after
/// authentication, with the client's headers.
#[derive(Clone)]
pub struct MockRequest {
    operation: &'static str,
    path_template: &'static str,
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl MockRequest {
    /// The `operationId` it was sent for, or `"token request"` for a login.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL, query included.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Every header sent.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header's value, when it is there and is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The first value of query parameter `name`.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query_all(name).into_iter().next()
    }

    /// Every value of query parameter `name`, in order.
    pub fn query_all(&self, name: &str) -> Vec<String> {
        (self.url.query_pairs())
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .collect()
    }

    /// The value of path parameter `name` (as in the operation's path,
    /// `{userId}`), decoded.
    pub fn path_param(&self, name: &str) -> Option<String> {
        let template: Vec<&str> = self.path_template.split('/').collect();
        let path: Vec<&str> = self.url.path().split('/').collect();
        // The URL's path ends with the operation's: the base URL may add a prefix.
        let offset = path.len().checked_sub(template.len())?;
        let at = template
            .iter()
            .position(|segment| *segment == format!("{{{name}}}"))?;
        let raw = path.get(offset + at)?;
        Some(
            percent_encoding::percent_decode_str(raw)
                .decode_utf8_lossy()
                .into_owned(),
        )
    }

    /// The body as sent.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body read as JSON into `T`, when it is.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The first value of form field `name`, for a form body.
    pub fn form(&self, name: &str) -> Option<String> {
        (form_urlencoded::parse(&self.body))
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }
}

impl fmt::Debug for MockRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be secrets: show only the names.
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("MockRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(template: &'static str, url: &str, body: &[u8]) -> MockRequest {
        MockRequest {
            operation: "op",
            path_template: template,
            method: Method::POST,
            url: Url::parse(url).unwrap(),
            headers: HeaderMap::new(),
            body: body.to_vec(),
        }
    }

    #[test]
    fn a_request_reads_back_its_parameters_and_body() {
        let r = request(
            "/users/{userId}/tokens",
            "https://api.example.com/v2/users/a%2Fb/tokens?x=1&x=2",
            b"a=1&b=two",
        );
        assert_eq!(r.path_param("userId").as_deref(), Some("a/b"));
        assert_eq!(r.path_param("other"), None);
        assert_eq!(r.query_all("x"), ["1", "2"]);
        assert_eq!(r.form("b").as_deref(), Some("two"));
        let json = request("/", "https://api.example.com/", br#"{"a":1}"#);
        assert_eq!(
            json.json::<serde_json::Value>(),
            Some(serde_json::json!({"a": 1}))
        );
    }

    #[tokio::test]
    async fn rules_answer_in_turn_then_repeat_their_last_reply() {
        let mock = Mock::new();
        let rule = mock
            .on("op")
            .reply(MockReply::status(429))
            .ok(serde_json::json!({"n": 1}));
        let send = || {
            mock.answer(
                "op",
                "/",
                reqwest::Request::new(Method::GET, Url::parse("https://x/").unwrap()),
            )
        };
        let statuses = [send().await, send().await, send().await]
            .map(|r| r.map(|(r, _)| r.status().as_u16()).ok());
        assert_eq!(statuses, [Some(429), Some(200), Some(200)]);
        assert_eq!(rule.hits(), 3);
        let other = mock.answer(
            "other",
            "/",
            reqwest::Request::new(Method::GET, Url::parse("https://x/").unwrap()),
        );
        let (response, _) = other.await.unwrap();
        assert_eq!(response.status().as_u16(), 501);
        assert!(response.text().await.unwrap().contains("operation other"));
        assert_eq!((mock.calls("op"), mock.requests().len()), (3, 4));
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_connect_error() {
        let mock = Mock::new();
        mock.on("op").refuse();
        let request =
            reqwest::Request::new(Method::GET, Url::parse("https://api.example.com/").unwrap());
        let error = mock.answer("op", "/", request).await.unwrap_err();
        assert!(error.is_connect(), "{error:?}");
    }
}
