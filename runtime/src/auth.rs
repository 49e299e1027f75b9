//! OAuth 2.0: the ways to log in and the token cache.
#![cfg_attr(
    feature = "authorization-code",
    doc = " PKCE and the authorize URL start authorization code logins."
)]
//!
//! Tokens, secrets, codes, verifiers and assertions are held as
//! [`SecretString`]s: they never appear in `Debug` output or logs.

use crate::client::Transport;
use crate::conventions::AUTH_TRACE_TARGET;
use crate::exchange::{
    causes, clip, correlation_id, is_redirect, read_limited, read_prefix, stage_of, BodyError,
    Human, ECHO_LIMIT, ERROR_BODY_LIMIT,
};
#[cfg(feature = "authorization-code")]
use crate::grants::AUTHORIZE_PATH;
#[cfg(feature = "refresh-path")]
use crate::grants::REFRESH_PATH;
use crate::grants::{Credentials, TOKEN_PATH};
use base64::engine::general_purpose::STANDARD;
#[cfg(feature = "authorization-code")]
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// The operation token requests are sent as, for hooks and mocks.
pub(crate) const TOKEN_REQUEST: &str = "token request";

/// The largest token response read: 256 KiB.
const TOKEN_BODY_LIMIT: u64 = 256 * 1024;

/// What a login sends, read from the crate's [`Credentials`]: the grant,
/// and the values it carries.
pub(crate) enum Grant<'a> {
    /// A bearer token obtained elsewhere; it is never renewed.
    AccessToken(&'a SecretString),
    #[cfg(feature = "client-credentials")]
    ClientCredentials {
        client_id: &'a str,
        client_secret: &'a SecretString,
    },
    #[cfg(feature = "authorization-code")]
    AuthorizationCode {
        client_id: &'a str,
        client_secret: &'a SecretString,
        code: &'a SecretString,
        redirect_uri: &'a str,
    },
    #[cfg(feature = "authorization-code")]
    Pkce {
        client_id: &'a str,
        code: &'a SecretString,
        verifier: &'a SecretString,
        redirect_uri: &'a str,
    },
    #[cfg(feature = "password")]
    Password {
        client_id: &'a str,
        client_secret: &'a SecretString,
        username: &'a str,
        password: &'a SecretString,
    },
    /// A grant the settings add: its name, its `grant_type`, and its form
    /// parameters besides the client's.
    #[cfg(feature = "extension-grants")]
    Extension {
        name: &'static str,
        grant_type: &'static str,
        client_id: &'a str,
        client_secret: &'a SecretString,
        params: Vec<GrantParam<'a>>,
    },
    #[cfg(feature = "refresh")]
    RefreshToken {
        client_id: &'a str,
        client_secret: &'a SecretString,
        refresh_token: &'a SecretString,
    },
}

/// A form parameter of an extension grant.
#[cfg(feature = "extension-grants")]
pub(crate) struct GrantParam<'a> {
    /// Its name in the form.
    pub(crate) field: &'static str,
    /// Its name in Rust, as `Debug` shows it.
    pub(crate) name: &'static str,
    pub(crate) value: ParamValue<'a>,
}

/// The value of an extension grant's parameter.
#[cfg(feature = "extension-grants")]
pub(crate) enum ParamValue<'a> {
    /// Shown by `Debug`.
    Plain(&'a str),
    /// Never shown.
    Secret(&'a SecretString),
}

#[cfg(feature = "extension-grants")]
impl ParamValue<'_> {
    fn expose(&self) -> &str {
        match self {
            ParamValue::Plain(value) => value,
            ParamValue::Secret(value) => value.expose_secret(),
        }
    }
}

impl Grant<'_> {
    /// The grant's name, for errors, logs and `Debug`.
    fn kind(&self) -> &'static str {
        match self {
            Grant::AccessToken(_) => "access_token",
            #[cfg(feature = "client-credentials")]
            Grant::ClientCredentials { .. } => "client_credentials",
            #[cfg(feature = "authorization-code")]
            Grant::AuthorizationCode { .. } => "authorization_code",
            #[cfg(feature = "authorization-code")]
            Grant::Pkce { .. } => "pkce",
            #[cfg(feature = "password")]
            Grant::Password { .. } => "password",
            #[cfg(feature = "extension-grants")]
            Grant::Extension { name, .. } => name,
            #[cfg(feature = "refresh")]
            Grant::RefreshToken { .. } => "refresh_token",
        }
    }

    fn client_id(&self) -> Option<&str> {
        match self {
            Grant::AccessToken(_) => None,
            #[cfg(feature = "client-credentials")]
            Grant::ClientCredentials { client_id, .. } => Some(client_id),
            #[cfg(feature = "authorization-code")]
            Grant::AuthorizationCode { client_id, .. } | Grant::Pkce { client_id, .. } => {
                Some(client_id)
            }
            #[cfg(feature = "password")]
            Grant::Password { client_id, .. } => Some(client_id),
            #[cfg(feature = "extension-grants")]
            Grant::Extension { client_id, .. } => Some(client_id),
            #[cfg(feature = "refresh")]
            Grant::RefreshToken { client_id, .. } => Some(client_id),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grant = self.grant();
        let mut s = f.debug_struct("Credentials");
        s.field("kind", &grant.kind());
        if let Some(id) = grant.client_id() {
            s.field("client_id", &id);
        }
        #[cfg(feature = "password")]
        if let Grant::Password { username, .. } = &grant {
            s.field("username", username);
        }
        #[cfg(feature = "extension-grants")]
        if let Grant::Extension { params, .. } = &grant {
            for param in params {
                if let ParamValue::Plain(value) = param.value {
                    s.field(param.name, &value);
                }
            }
        }
        s.field("secrets", &"[REDACTED]").finish()
    }
}

/// A failed login: the token endpoint's answer, or why there was none.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthError {
    /// The grant that was attempted, e.g. `client_credentials`.
    pub grant: &'static str,
    /// The token endpoint's HTTP status, if it answered.
    pub status: Option<u16>,
    /// The OAuth `error` code, e.g. `invalid_client`.
    pub error: Option<String>,
    /// The OAuth `error_description`.
    pub error_description: Option<String>,
    /// The token response's correlation id, if the API sends one.
    pub correlation_id: Option<String>,
    /// The time limit of the token request, when it passed.
    pub timeout: Option<Duration>,
    /// What went wrong, when the endpoint gave no OAuth error.
    pub message: String,
    /// The HTTP client's error, when the token request failed in transport.
    source: Option<std::sync::Arc<reqwest::Error>>,
}

impl AuthError {
    /// Did the token request time out?
    pub fn is_timeout(&self) -> bool {
        self.timeout.is_some()
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} login failed", self.grant)?;
        if let Some(status) = self.status {
            write!(f, " with HTTP status {status}")?;
        }
        match (&self.error, &self.error_description) {
            (Some(e), Some(d)) => write!(f, ": {e}: {d}")?,
            (Some(e), None) => write!(f, ": {e}")?,
            _ if !self.message.is_empty() => write!(f, ": {}", self.message)?,
            _ => {}
        }
        if let Some(id) = &self.correlation_id {
            write!(f, " (correlation id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(feature = "test-util")]
impl AuthError {
    /// A failed login as the client reports it when the token endpoint
    /// answers `status` with the OAuth `error` and `error_description`, for
    /// tests of the code that handles it.
    pub fn mock(
        grant: &'static str,
        status: u16,
        error: &str,
        error_description: Option<&str>,
    ) -> AuthError {
        AuthError {
            status: Some(status),
            error: Some(error.to_owned()),
            error_description: error_description.map(str::to_owned),
            ..failure(grant, &format!("the token endpoint answered {status}"))
        }
    }
}

/// A PKCE verifier (43 characters from a cryptographic random source) and
/// its S256 challenge.
#[cfg(feature = "authorization-code")]
#[derive(Clone)]
pub struct Pkce {
    verifier: SecretString,
    challenge: String,
}

#[cfg(feature = "authorization-code")]
impl Pkce {
    /// A new random verifier and its challenge.
    pub fn new() -> Result<Pkce, crate::Error> {
        let mut bytes = [0u8; 32];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).map_err(
            |_| crate::Error::Config {
                message: "the system random number generator failed".to_owned(),
            },
        )?;
        Ok(Pkce::from_verifier(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// The challenge of a verifier made elsewhere.
    pub fn from_verifier(verifier: impl Into<String>) -> Pkce {
        let verifier = verifier.into();
        let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
        Pkce {
            challenge: URL_SAFE_NO_PAD.encode(digest.as_ref()),
            verifier: SecretString::from(verifier),
        }
    }

    /// The `code_challenge` to put in the authorize URL.
    pub fn challenge(&self) -> &str {
        &self.challenge
    }

    /// The verifier, to keep until the code is exchanged.
    pub fn verifier(&self) -> &SecretString {
        &self.verifier
    }
}

#[cfg(feature = "authorization-code")]
impl fmt::Debug for Pkce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkce")
            .field("verifier", &"[REDACTED]")
            .field("challenge", &self.challenge)
            .finish()
    }
}

/// Builds the URL that starts an authorization code login in a browser.
#[cfg(feature = "authorization-code")]
#[derive(Debug, Clone)]
pub struct AuthorizeUrl {
    url: Url,
}

#[cfg(feature = "authorization-code")]
impl AuthorizeUrl {
    /// The authorize endpoint below `login`, with
    /// `?response_type=code&client_id=…&redirect_uri=…`. `login` is a login
    /// base URL such as [`Client::login_url`](crate::Client::login_url)'s.
    pub fn new(
        login: &str,
        client_id: &str,
        redirect_uri: &str,
    ) -> Result<AuthorizeUrl, crate::Error> {
        let base = crate::config::parse_base_url(login, "login URL")
            .map_err(|message| crate::Error::Config { message })?;
        let mut url = base.clone();
        url.set_path(&format!(
            "{}{AUTHORIZE_PATH}",
            base.path().trim_end_matches('/')
        ));
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri);
        Ok(AuthorizeUrl { url })
    }

    /// Adds the PKCE challenge (`code_challenge_method=S256`).
    pub fn pkce(mut self, pkce: &Pkce) -> Self {
        self.url
            .query_pairs_mut()
            .append_pair("code_challenge", pkce.challenge())
            .append_pair("code_challenge_method", "S256");
        self
    }

    /// Adds a `state` value, returned unchanged with the code.
    pub fn state(self, state: &str) -> Self {
        self.param("state", state)
    }

    /// Adds any other parameter (`org`, `provider`, `target`, `login_hint`, `prompt`).
    pub fn param(mut self, name: &str, value: &str) -> Self {
        self.url.query_pairs_mut().append_pair(name, value);
        self
    }

    /// The URL.
    pub fn url(&self) -> &Url {
        &self.url
    }
}

/// A token and when to stop using it.
struct CachedToken {
    token: SecretString,
    /// `Bearer <token>`, checked and marked sensitive.
    header: HeaderValue,
    /// When to renew: some time before the token expires; `None` for never.
    renew_at: Option<Instant>,
    /// When the token expires; `None` for never.
    expires_at: Option<Instant>,
    /// Bumped every time a new token is stored.
    generation: u64,
}

impl CachedToken {
    fn bearer(&self) -> Bearer {
        Bearer {
            value: self.token.clone(),
            header: self.header.clone(),
            generation: self.generation,
        }
    }
}

/// The `Authorization` value for `token`, marked sensitive; `None` when the
/// token holds characters a header cannot carry.
pub(crate) fn bearer_header(token: &SecretString) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// The last token request's failure, kept until one succeeds.
struct Failure {
    error: AuthError,
    /// No token request is made before this instant.
    retry_at: Instant,
    /// Failures in a row.
    consecutive: u32,
    /// Which token request failed (see [`TokenManager::fetches`]).
    fetch: u64,
}

struct TokenState {
    current: Option<CachedToken>,
    refresh_token: Option<SecretString>,
    /// The authorization code (or PKCE code), until it has been exchanged.
    #[cfg(feature = "authorization-code")]
    code_used: bool,
    generation: u64,
    failure: Option<Failure>,
}

/// Obtains, caches and renews access tokens. One task at a time talks to the
/// token endpoint; the others wait for its result, success or failure.
pub(crate) struct TokenManager {
    credentials: Credentials,
    login: Url,
    transport: Transport,
    settings: TokenSettings,
    state: Mutex<TokenState>,
    /// Token requests finished so far. A task reads it before waiting for
    /// the lock: a request that finished while it waited answers it too.
    fetches: AtomicU64,
}

/// How token requests are made.
pub(crate) struct TokenSettings {
    /// Renew this long before a token expires (at most half its lifetime).
    pub(crate) renew_margin: Duration,
    /// The longest one token request may take.
    pub(crate) timeout: Duration,
    /// The `User-Agent` header.
    pub(crate) user_agent: HeaderValue,
    /// The backoff between failed token requests.
    pub(crate) backoff: crate::RetryPolicy,
}

/// A token to send, and which stored token it was.
pub(crate) struct Bearer {
    pub(crate) value: SecretString,
    /// `Bearer <token>`, marked sensitive.
    pub(crate) header: HeaderValue,
    pub(crate) generation: u64,
}

struct TokenResponse {
    access_token: SecretString,
    expires_in: Lifetime,
    refresh_token: Option<SecretString>,
}

/// `expires_in` as token endpoints send it: whole or fractional seconds, as
/// a number or as a string holding one. Anything shorter than a second (0,
/// negative, or a vanishing fraction), and anything that is not a number
/// (null, other text), says nothing usable: the token is then used until the
/// API refuses it with a 401, rather than fetched again for every request.
#[derive(Default)]
struct Lifetime(Option<Duration>);

impl Lifetime {
    fn seconds(value: f64) -> Lifetime {
        match value {
            v if v.is_finite() && v >= 1.0 => Lifetime(Some(
                Duration::try_from_secs_f64(v).unwrap_or(Duration::MAX),
            )),
            v if v == f64::INFINITY => Lifetime(Some(Duration::MAX)),
            _ => Lifetime(None),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Lifetime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Seconds;

        impl<'de> serde::de::Visitor<'de> for Seconds {
            type Value = Lifetime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a token lifetime in seconds")
            }

            fn visit_u64<E>(self, v: u64) -> Result<Lifetime, E> {
                Ok(Lifetime((v > 0).then(|| Duration::from_secs(v))))
            }

            fn visit_i64<E>(self, v: i64) -> Result<Lifetime, E> {
                Ok(Lifetime(
                    u64::try_from(v)
                        .ok()
                        .filter(|v| *v > 0)
                        .map(Duration::from_secs),
                ))
            }

            fn visit_f64<E>(self, v: f64) -> Result<Lifetime, E> {
                Ok(Lifetime::seconds(v))
            }

            fn visit_str<E>(self, v: &str) -> Result<Lifetime, E> {
                Ok(v.trim()
                    .parse::<f64>()
                    .map(Lifetime::seconds)
                    .unwrap_or_default())
            }

            fn visit_bool<E>(self, _: bool) -> Result<Lifetime, E> {
                Ok(Lifetime(None))
            }

            fn visit_unit<E>(self) -> Result<Lifetime, E> {
                Ok(Lifetime(None))
            }

            fn visit_none<E>(self) -> Result<Lifetime, E> {
                Ok(Lifetime(None))
            }

            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Lifetime, D::Error> {
                d.deserialize_any(Seconds)
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Lifetime, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Lifetime(None))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Lifetime, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Lifetime(None))
            }
        }

        deserializer.deserialize_any(Seconds)
    }
}

impl<'de> serde::Deserialize<'de> for TokenResponse {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;

        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = TokenResponse;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an OAuth token response")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<TokenResponse, A::Error> {
                let (mut access_token, mut expires_in, mut refresh_token) =
                    (None, Lifetime(None), None);
                while let Some(key) = map.next_key::<crate::fields::Key<'de>>()? {
                    match key.as_str() {
                        "access_token" => access_token = Some(map.next_value()?),
                        "expires_in" => expires_in = map.next_value()?,
                        "refresh_token" => refresh_token = map.next_value()?,
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(TokenResponse {
                    access_token: access_token
                        .ok_or_else(|| serde::de::Error::missing_field("access_token"))?,
                    expires_in,
                    refresh_token,
                })
            }
        }

        deserializer.deserialize_map(Fields)
    }
}

impl TokenManager {
    /// Fails when a given access token cannot be sent in a header.
    pub(crate) fn new(
        credentials: Credentials,
        login: Url,
        transport: Transport,
        settings: TokenSettings,
    ) -> Result<Self, String> {
        let grant = credentials.grant();
        let current = match grant {
            Grant::AccessToken(token) => Some(CachedToken {
                header: bearer_header(token)
                    .ok_or("the access token contains characters not allowed in a header")?,
                token: token.clone(),
                renew_at: None,
                expires_at: None,
                generation: 1,
            }),
            _ => None,
        };
        let refresh_token = match grant {
            #[cfg(feature = "refresh")]
            Grant::RefreshToken { refresh_token, .. } => Some(refresh_token.clone()),
            _ => None,
        };
        Ok(TokenManager {
            credentials,
            login,
            transport,
            settings,
            state: Mutex::new(TokenState {
                current,
                refresh_token,
                #[cfg(feature = "authorization-code")]
                code_used: false,
                generation: 1,
                failure: None,
            }),
            fetches: AtomicU64::new(0),
        })
    }

    /// Can a 401 be answered by getting a new token?
    pub(crate) fn can_renew(&self) -> bool {
        !matches!(self.credentials.grant(), Grant::AccessToken(_))
    }

    /// A valid token, fetching or renewing it first if needed. A call that
    /// must be done by `deadline` gets the last failure at once rather than
    /// wait for a backoff that ends after it.
    pub(crate) async fn bearer(&self, deadline: Instant) -> Result<Bearer, AuthError> {
        let seen = self.fetches.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        let now = Instant::now();
        if let Some(current) = &state.current {
            if current.renew_at.is_none_or(|at| now < at) {
                return Ok(current.bearer());
            }
        }
        if let Some(failure) = &state.failure {
            // A token request finished while this call waited: its failure
            // is this call's too (a token that still works is used instead).
            if failure.fetch > seen {
                return usable(&state.current).ok_or_else(|| failure.error.clone());
            }
            if now < failure.retry_at {
                if let Some(bearer) = usable(&state.current) {
                    return Ok(bearer);
                }
                if failure.retry_at >= deadline {
                    return Err(failure.error.clone());
                }
                // The lock is held while waiting: the calls behind this one
                // get the answer of its token request.
                tokio::time::sleep_until(failure.retry_at).await;
            }
        }
        let result = self.obtain(&mut state).await;
        let fetch = self.fetches.fetch_add(1, Ordering::AcqRel) + 1;
        match result {
            Ok(bearer) => {
                state.failure = None;
                Ok(bearer)
            }
            Err(error) => {
                let consecutive = state
                    .failure
                    .as_ref()
                    .map_or(1, |f| f.consecutive.saturating_add(1));
                let wait = self.settings.backoff.backoff_delay(consecutive);
                state.failure = Some(Failure {
                    error: error.clone(),
                    retry_at: crate::exchange::later(Instant::now(), wait),
                    consecutive,
                    fetch,
                });
                // An early renewal that failed leaves a token that still works.
                match usable(&state.current) {
                    Some(bearer) => {
                        tracing::warn!(target: AUTH_TRACE_TARGET, error = %error, "renewing the token failed; using the current one until it expires");
                        Ok(bearer)
                    }
                    None => Err(error),
                }
            }
        }
    }

    /// Forgets the token `generation` after the API refused it, so that the
    /// next [`bearer`](Self::bearer) gets a new one. A token stored since
    /// (by another task) is kept.
    pub(crate) async fn reject(&self, generation: u64) {
        let mut state = self.state.lock().await;
        if state
            .current
            .as_ref()
            .is_some_and(|c| c.generation == generation)
        {
            state.current = None;
        }
    }

    /// The refresh token of the current login, if it has one.
    pub(crate) async fn refresh_token(&self) -> Option<SecretString> {
        self.state.lock().await.refresh_token.clone()
    }

    async fn obtain(&self, state: &mut TokenState) -> Result<Bearer, AuthError> {
        let login = self.credentials.grant();
        let TokenRequest { grant, basic, form } = match login {
            Grant::AccessToken(_) => {
                return Err(failure(
                    "access_token",
                    "the access token was refused and cannot be renewed",
                ));
            }
            #[cfg(feature = "client-credentials")]
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => TokenRequest {
                grant: "client_credentials",
                basic: Some((client_id, client_secret)),
                form: vec![("grant_type", "client_credentials".to_owned())],
            },
            #[cfg(feature = "authorization-code")]
            Grant::AuthorizationCode {
                client_id,
                client_secret,
                code,
                redirect_uri,
            } => match &state.refresh_token {
                Some(refresh) => refresh_form(client_id, client_secret, refresh),
                None if !state.code_used => TokenRequest {
                    grant: "authorization_code",
                    basic: Some((client_id, client_secret)),
                    form: vec![
                        ("grant_type", "authorization_code".to_owned()),
                        ("code", code.expose_secret().to_owned()),
                        ("redirect_uri", redirect_uri.to_owned()),
                    ],
                },
                None => {
                    return Err(failure(
                        "authorization_code",
                        "the code was used and no refresh token was issued; log in again",
                    ))
                }
            },
            #[cfg(feature = "authorization-code")]
            Grant::Pkce {
                client_id,
                code,
                verifier,
                redirect_uri,
            } => {
                if let Some(refresh) = &state.refresh_token {
                    // A public client: no secret, the client id in the form.
                    TokenRequest {
                        grant: "refresh_token",
                        basic: None,
                        form: vec![
                            ("grant_type", "refresh_token".to_owned()),
                            ("refresh_token", refresh.expose_secret().to_owned()),
                            ("client_id", client_id.to_owned()),
                        ],
                    }
                } else if state.code_used {
                    return Err(failure(
                        "pkce",
                        "the code was used and no refresh token was issued; log in again",
                    ));
                } else {
                    TokenRequest {
                        grant: "pkce",
                        basic: None,
                        form: vec![
                            ("grant_type", "authorization_code".to_owned()),
                            ("code", code.expose_secret().to_owned()),
                            ("code_verifier", verifier.expose_secret().to_owned()),
                            ("client_id", client_id.to_owned()),
                            ("redirect_uri", redirect_uri.to_owned()),
                        ],
                    }
                }
            }
            #[cfg(feature = "password")]
            Grant::Password {
                client_id,
                client_secret,
                username,
                password,
            } => match &state.refresh_token {
                Some(refresh) => refresh_form(client_id, client_secret, refresh),
                None => TokenRequest {
                    grant: "password",
                    basic: Some((client_id, client_secret)),
                    form: vec![
                        ("grant_type", "password".to_owned()),
                        ("username", username.to_owned()),
                        ("password", password.expose_secret().to_owned()),
                    ],
                },
            },
            #[cfg(feature = "extension-grants")]
            Grant::Extension {
                name,
                grant_type,
                client_id,
                client_secret,
                ref params,
            } => TokenRequest {
                grant: name,
                basic: Some((client_id, client_secret)),
                form: std::iter::once(("grant_type", grant_type.to_owned()))
                    .chain(
                        params
                            .iter()
                            .map(|p| (p.field, p.value.expose().to_owned())),
                    )
                    .collect(),
            },
            #[cfg(feature = "refresh")]
            Grant::RefreshToken {
                client_id,
                client_secret,
                ..
            } => match &state.refresh_token {
                Some(refresh) => refresh_form(client_id, client_secret, refresh),
                None => return Err(failure("refresh_token", "no refresh token")),
            },
        };
        // A code can be exchanged once: it counts as used as soon as the
        // server may have seen it.
        #[cfg(feature = "authorization-code")]
        let response = {
            let exchanges_code = matches!(grant, "authorization_code" | "pkce");
            let response = match self.post_token(grant, basic, &form).await {
                Ok(response) => response,
                Err((error, reached_server)) => {
                    if exchanges_code && reached_server {
                        state.code_used = true;
                    }
                    return Err(error);
                }
            };
            if exchanges_code {
                state.code_used = true;
            }
            response
        };
        #[cfg(not(feature = "authorization-code"))]
        let response = self
            .post_token(grant, basic, &form)
            .await
            .map_err(|(error, _)| error)?;
        if let Some(refresh) = response.refresh_token {
            state.refresh_token = Some(refresh);
        }
        if response.access_token.expose_secret().is_empty() {
            return Err(failure(
                grant,
                "the token endpoint returned an empty access token",
            ));
        }
        let Some(header) = bearer_header(&response.access_token) else {
            return Err(failure(
                grant,
                "the token endpoint returned an access token that cannot be sent in an HTTP header",
            ));
        };
        state.generation += 1;
        let now = Instant::now();
        let lifetime = response.expires_in.0;
        // Renew `margin` early, but never sooner than half-way through the token's life.
        let margin = self.settings.renew_margin;
        let renew_at = lifetime
            .map(|life| crate::exchange::later(now, life.saturating_sub(margin.min(life / 2))));
        let token = CachedToken {
            token: response.access_token,
            header,
            renew_at,
            expires_at: lifetime.map(|life| crate::exchange::later(now, life)),
            generation: state.generation,
        };
        let bearer = token.bearer();
        state.current = Some(token);
        Ok(bearer)
    }

    async fn post_token(
        &self,
        grant: &'static str,
        basic: Option<(&str, &SecretString)>,
        form: &[(&str, String)],
    ) -> Result<TokenResponse, (AuthError, bool)> {
        // The error, and whether the request may have reached the server.
        let before = |e: AuthError| (e, false);
        let after = |e: AuthError| (e, true);
        let mut url = self.login.clone();
        // Refresh tokens go where the flows say refreshing is done.
        #[cfg(feature = "refresh-path")]
        let path = if grant == "refresh_token" {
            REFRESH_PATH
        } else {
            TOKEN_PATH
        };
        #[cfg(not(feature = "refresh-path"))]
        let path = TOKEN_PATH;
        url.set_path(&format!(
            "{}{path}",
            self.login.path().trim_end_matches('/')
        ));
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        let mut request = reqwest::Request::new(reqwest::Method::POST, url.clone());
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        headers.insert(USER_AGENT, self.settings.user_agent.clone());
        *request.body_mut() = Some(body.into());
        if let Some((id, secret)) = basic {
            let encoded = STANDARD.encode(format!("{id}:{}", secret.expose_secret()));
            let mut value = HeaderValue::from_str(&format!("Basic {encoded}")).map_err(|_| {
                before(failure(
                    grant,
                    "the client id or secret is not valid in a header",
                ))
            })?;
            value.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, value);
        }
        let limit = self.settings.timeout;
        let started = Instant::now();
        let deadline = crate::exchange::later(started, limit);
        let timed_out = |during: &str| AuthError {
            timeout: Some(limit),
            ..failure(
                grant,
                &format!(
                    "the token request timed out after {} {during}",
                    Human(limit)
                ),
            )
        };
        let sent = self.transport.send(TOKEN_REQUEST, path, request);
        let (mut response, answered_from) = match tokio::time::timeout_at(deadline, sent).await {
            Err(_) => return Err(after(timed_out("waiting for the response"))),
            Ok(Err(e)) => {
                let (stage, cause) = (stage_of(&e), causes(&e));
                let connect = e.is_connect();
                let failed = AuthError {
                    source: Some(std::sync::Arc::new(e.without_url())),
                    ..failure(
                        grant,
                        &format!("the token request failed while {stage}: {cause}"),
                    )
                };
                return Err(if connect {
                    before(failed)
                } else {
                    after(failed)
                });
            }
            Ok(Ok(answer)) => answer,
        };
        let status = response.status().as_u16();
        let correlation_id = correlation_id(response.headers());
        let answered = |message: String| AuthError {
            status: Some(status),
            correlation_id: correlation_id.clone(),
            ..failure(grant, &message)
        };
        // Codes, secrets and refresh tokens stay with the login host.
        if is_redirect(status) {
            return Err(after(answered(format!(
                "the token endpoint answered {status} with a redirect, and token requests follow no redirects"
            ))));
        }
        if answered_from != url {
            return Err(after(answered(
                "the HTTP client followed a redirect away from the token endpoint; build custom clients from http_client_builder(), which follows none".to_owned(),
            )));
        }
        if !(200..300).contains(&status) {
            // An OAuth error body: `error` and `error_description` (or the
            // `description` some servers send instead).
            let (bytes, _) = read_prefix(&mut response, ERROR_BODY_LIMIT, deadline).await;
            let body: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
            let text = |key: &str| {
                Some(clip(body.as_ref()?.get(key)?.as_str()?, 4 * ECHO_LIMIT).into_owned())
            };
            return Err(after(AuthError {
                error: text("error"),
                error_description: text("error_description").or_else(|| text("description")),
                ..answered(format!("the token endpoint answered {status}"))
            }));
        }
        let bytes = match read_limited(&mut response, TOKEN_BODY_LIMIT, deadline).await {
            Ok(bytes) => bytes,
            Err(BodyError::TimedOut) => return Err(after(timed_out("reading the response body"))),
            Err(BodyError::TooLarge) => {
                return Err(after(answered(format!(
                    "the token response is larger than {} KiB",
                    TOKEN_BODY_LIMIT / 1024
                ))));
            }
            Err(BodyError::Transport(e)) => {
                let cause = causes(&e);
                return Err(after(answered(format!(
                    "the token response could not be read: {cause}"
                ))));
            }
        };
        tracing::debug!(
            target: AUTH_TRACE_TARGET,
            grant,
            status,
            correlation_id = correlation_id.as_deref(),
            latency_ms = started.elapsed().as_millis() as u64,
            "token request"
        );
        serde_json::from_slice(&bytes)
            .map_err(|e| after(answered(format!("the token response is not a token: {e}"))))
    }
}

/// The token to use while no new one can be had: the current one, if it has
/// not expired.
fn usable(current: &Option<CachedToken>) -> Option<Bearer> {
    current
        .as_ref()
        .filter(|c| c.expires_at.is_none_or(|at| Instant::now() < at))
        .map(CachedToken::bearer)
}

/// A failed login that got no answer from the token endpoint.
fn failure(grant: &'static str, message: &str) -> AuthError {
    AuthError {
        grant,
        status: None,
        error: None,
        error_description: None,
        correlation_id: None,
        timeout: None,
        message: message.to_owned(),
        source: None,
    }
}

/// What to send to the token endpoint.
struct TokenRequest<'a> {
    /// The grant's name, for errors and logs.
    grant: &'static str,
    /// Client id and secret for HTTP Basic authentication, if the grant uses it.
    basic: Option<(&'a str, &'a SecretString)>,
    /// The form fields.
    form: Vec<(&'static str, String)>,
}

#[cfg(feature = "refresh")]
fn refresh_form<'a>(
    client_id: &'a str,
    client_secret: &'a SecretString,
    refresh: &SecretString,
) -> TokenRequest<'a> {
    TokenRequest {
        grant: "refresh_token",
        basic: Some((client_id, client_secret)),
        form: vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", refresh.expose_secret().to_owned()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lifetime(json: &str) -> Option<Duration> {
        serde_json::from_str::<Lifetime>(json).unwrap().0
    }

    #[test]
    fn a_lifetime_is_read_leniently() {
        assert_eq!(lifetime("3600"), Some(Duration::from_secs(3600)));
        assert_eq!(lifetime("\"3600\""), Some(Duration::from_secs(3600)));
        assert_eq!(lifetime("1.5"), Some(Duration::from_millis(1500)));
        // Under a second, not a number, or not there: the token is used until refused.
        for unusable in [
            "0",
            "-5",
            "0.5",
            "\"soon\"",
            "null",
            "true",
            "[1]",
            "{\"s\": 1}",
        ] {
            assert_eq!(lifetime(unusable), None, "{unusable}");
        }
    }

    #[test]
    fn a_token_response_needs_an_access_token_and_keeps_what_else_it_knows() {
        let full: TokenResponse = serde_json::from_str(
            r#"{"access_token":"a","expires_in":"60","refresh_token":"r","scope":"x"}"#,
        )
        .unwrap();
        assert_eq!(full.access_token.expose_secret(), "a");
        assert_eq!(full.expires_in.0, Some(Duration::from_secs(60)));
        assert_eq!(
            full.refresh_token
                .as_ref()
                .map(|r| r.expose_secret().to_owned()),
            Some("r".to_owned())
        );
        let missing = serde_json::from_str::<TokenResponse>(r#"{"token_type":"bearer"}"#).err();
        assert!(missing.is_some_and(|e| e.to_string().contains("access_token")));
    }

    #[test]
    fn credentials_never_show_their_secrets() {
        let shown = format!(
            "{:?}",
            Credentials::password("id-1", "s3cret", "ann", "pa55")
        );
        assert!(shown.contains("id-1") && shown.contains("ann"), "{shown}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("pa55"),
            "{shown}"
        );
        let grant = Credentials::saml2_bearer("id-2", "s3cret", "acme", "PHNhbWw+");
        let shown = format!("{grant:?}");
        assert!(
            shown.contains("saml2_bearer") && shown.contains("org_name") && shown.contains("acme"),
            "{shown}"
        );
        assert!(
            !shown.contains("PHNhbWw+") && !shown.contains("s3cret"),
            "{shown}"
        );
    }

    #[test]
    fn an_extension_grant_sends_its_type_and_parameters() {
        let credentials = Credentials::saml2_bearer("id", "secret", "acme", "assertion");
        let Grant::Extension {
            grant_type, params, ..
        } = credentials.grant()
        else {
            panic!("an extension grant");
        };
        assert_eq!(grant_type, "urn:ietf:params:oauth:grant-type:saml2-bearer");
        let form: Vec<(&str, &str)> = params.iter().map(|p| (p.field, p.value.expose())).collect();
        assert_eq!(form, [("orgName", "acme"), ("assertion", "assertion")]);
    }

    #[test]
    fn a_refresh_sends_the_client_by_basic_authentication() {
        let secret = SecretString::from("s".to_owned());
        let request = refresh_form("id", &secret, &SecretString::from("r".to_owned()));
        assert_eq!(request.grant, "refresh_token");
        assert_eq!(request.basic.map(|(id, _)| id), Some("id"));
        assert_eq!(
            request.form,
            [
                ("grant_type", "refresh_token".to_owned()),
                ("refresh_token", "r".to_owned())
            ]
        );
    }

    #[test]
    fn pkce_uses_the_s256_challenge_of_its_verifier() {
        // The challenge computed independently (Python's hashlib) for this verifier.
        let pkce =
            Pkce::from_verifier("M25iVXpKU3puUjFaYWg3T1NDTDQtcW1ROUY5YXlwalNoc0hhakxifmZHag");
        assert_eq!(
            pkce.challenge(),
            "qjrzSW9gMiUgpUvqgEPE4_-8swvyCtfOVvg55o5S_es"
        );
        let fresh = Pkce::new().unwrap();
        assert_eq!(fresh.verifier().expose_secret().len(), 43);
        assert!(!format!("{fresh:?}").contains(fresh.verifier().expose_secret()));
    }

    #[test]
    fn the_authorize_url_carries_the_client_and_the_challenge() {
        let pkce = Pkce::from_verifier("v".repeat(43));
        let url = AuthorizeUrl::new(
            "https://login.example.com/",
            "id",
            "https://app.example.com/cb",
        )
        .unwrap()
        .pkce(&pkce)
        .state("xyz");
        let url = url.url();
        assert_eq!(url.path(), AUTHORIZE_PATH);
        let query: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str());
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("redirect_uri"), Some("https://app.example.com/cb"));
        assert_eq!(get("code_challenge"), Some(pkce.challenge()));
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("state"), Some("xyz"));
    }
}
