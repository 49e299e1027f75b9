{%- macro credentials_line(rt) -%}
{%- if let Some(s) = rt.example_scheme -%}
{%- match s.kind -%}
{%- when SchemeViewKind::Basic %}
//!     .{{ s.setter }}("user", std::env::var("PASSWORD").unwrap_or_default())
{%- when SchemeViewKind::OAuth %}
//!     .access_token(std::env::var("ACCESS_TOKEN").unwrap_or_default())
{%- when SchemeViewKind::Bearer %}
//!     .{{ s.setter }}(std::env::var("TOKEN").unwrap_or_default())
{%- else %}
//!     .{{ s.setter }}(std::env::var("API_KEY").unwrap_or_default())
{%- endmatch -%}
{%- endif -%}
{%- endmacro -%}
{%- macro credentials_setter_line(rt) -%}
{%- if rt.example_scheme.is_some() %}
//!     {% call short_credentials(rt) %}{% endcall %}
{%- endif -%}
{%- endmacro -%}
{%- macro short_credentials(rt) -%}
{%- if let Some(s) = rt.example_scheme -%}
{%- match s.kind -%}
{%- when SchemeViewKind::Basic -%}
.{{ s.setter }}("user", "…")
{%- when SchemeViewKind::OAuth -%}
.access_token("…")
{%- else -%}
.{{ s.setter }}("…")
{%- endmatch -%}
{%- endif -%}
{%- endmacro -%}
{% for line in crate_docs %}#![doc = {{ line }}]
{% endfor %}
//!
//! # Example
//!
//! ```no_run
//! use {{ crate_ident }}::{Client, Error};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::builder()
{%- call credentials_line(rt) %}{% endcall %}
//!     .build()?;
{%- if let Some((group, operation)) = example %}
//! # #[cfg({{ example_cfg }})]
//! # {
//! match client.{{ group }}().{{ operation }}().await {
//!     Ok(value) => println!("{value:?}"),
//!     Err(Error::Api(e)) => eprintln!("HTTP {}, correlation id {:?}: {}", e.status, e.correlation_id, e.raw_body),
//!     Err(e) => return Err(e),
//! }
//! # }
{%- else %}
//! # let _ = client;
{%- endif %}
//! # Ok(())
//! # }
//! ```
//!
{%- if let Some(r) = rt.regions %}
//! # Regions{% if rt.gateways %} and gateways{% endif %}
//!
//! [`ClientBuilder::region`] picks one of the {{ r.list.len() }} regions: API calls
//! go to {{ r.api_doc }}{% if r.login %}, logins to {{ r.login_doc }}{% endif %}.
{%- if rt.gateways %} A
//! [`Gateway`] puts {% if r.login %}both{% else %}them{% endif %} behind one host with {% if r.login %}their own path prefixes{% else %}a path prefix{% endif %};
{%- else %}
//!
{%- endif %}
//! [`ClientBuilder::base_url`]{% if r.login %} and [`ClientBuilder::login_url`]{% endif %} set {% if r.login %}them{% else %}it{% endif %} freely.
//!
//! ```no_run
//! use {{ crate_ident }}::{Client,{% if rt.gateways %} Gateway,{% endif %} Region};
//!
//! # fn main() -> Result<(), {{ crate_ident }}::Error> {
//! let elsewhere = Client::builder().region(Region::{{ r.list[r.list.len() - 1].variant }}){% call short_credentials(rt) %}{% endcall %}.build()?;
//! let region: Region = {{ r.list[0].name_lit }}.parse().expect("a known region");
{%- if rt.gateways %}
//! let gateway = Gateway::new("gateway.example.com").port(8443).api_path("api"){% if r.login %}.login_path("login"){% endif %};
//! let behind_gateway = Client::builder().gateway(gateway){% call short_credentials(rt) %}{% endcall %}.build()?;
//! # let _ = (elsewhere, region, behind_gateway);
{%- else %}
//! # let _ = (elsewhere, region);
{%- endif %}
//! # Ok(())
//! # }
//! ```
//!
{%- endif %}
{%- if !rt.schemes.is_empty() %}
//! # Authentication
//!
{%- if rt.schemes.len() > 1 || rt.oauth.is_none() %}
{% filter doc_wrap -%}
The API accepts {{ rt.schemes_listed }}. Each operation is sent with the
credentials it accepts; an operation that needs credentials the client was
not given fails with [`Error::InvalidRequest`] before anything is sent.
Credentials never appear in `Debug` output, and are not sent on redirects to
another origin.
{%- endfilter %}
//!
{%- endif %}
{%- if let Some(o) = rt.oauth %}
{% filter doc_wrap -%}
Give the builder an access token, or [`Credentials`] for a login:
{{ o.logins_listed }}. Tokens are fetched on first use, cached, and renewed
shortly before they expire; a 401 gets one new token and one more try, never
more. While one task fetches a token, the others wait for it rather than
asking again, and share its outcome: a login that fails fails every call
waiting for it, and the next token request waits out a backoff that grows
with each failure in a row. An `expires_in` is read leniently (whole or
fractional seconds, a number or a string); one that is missing, under a
second or not a number leaves the token in use until the API refuses it. A
token that cannot be sent in a header fails the login and is not kept.
{%- endfilter %}
{%- if o.authorization_code %}
//!
//! ```no_run
//! use {{ crate_ident }}::{AuthorizeUrl, Client, Credentials, Pkce};
//!
//! # async fn run() -> Result<(), {{ crate_ident }}::Error> {
{%- if o.client_credentials %}
//! // A service: client credentials.
//! let service = Client::builder().client_credentials("client-id", "client-secret").build()?;
//!
{%- endif %}
//! // A public client: PKCE. Send the user to the authorize URL, then exchange the code.
//! let pkce = Pkce::new()?;
//! let login = Client::builder().build()?.login_url().clone();
//! let url = AuthorizeUrl::new(login.as_str(), "client-id", "https://app.example.com/callback")?
//!     .pkce(&pkce)
//!     .state("opaque");
//! println!("log in at {}", url.url());
//! let code = "…"; // from the redirect
//! let user = Client::builder()
//!     .credentials(Credentials::pkce("client-id", code, &pkce, "https://app.example.com/callback"))
//!     .build()?;
//!
//! // A web app: the authorization code grant; keep the refresh token for next time.
//! let web = Client::builder()
//!     .credentials(Credentials::authorization_code("client-id", "secret", "code", "https://app.example.com/callback"))
//!     .build()?;
//! let refresh = web.refresh_token().await;
//! # let _ = ({% if o.client_credentials %}service, {% endif %}user, refresh);
//! # Ok(())
//! # }
//! ```
{%- endif %}
//!
{%- endif %}
{%- endif %}
{%- if let Some(listed) = servers_listed %}
//! # Servers
//!
{% filter doc_wrap -%}
The API description lists {{ server_count }}: {{ listed }}. [`ClientBuilder::server`] picks one
{%- if server_variables %}, its variables filled in by [`Server`]'s fields; the default is the first, at its variables' defaults.
{%- else %}; the default is the first.
{%- endif %}
{%- endfilter %}
//!
{%- endif %}
//! # Retries and timeouts
//!
//! By default a call is tried up to 4 times when the answer is 429, 502, 503 or
//! 504, honouring `Retry-After` (seconds or an HTTP date), and gives up at once
//! when the server asks for a wait above 180 s. Each attempt may take 16 s, the
//! whole call 60 s. [`RetryPolicy`] documents every setting.
//!
//! ```no_run
//! use std::time::Duration;
//! use {{ crate_ident }}::{Client, RetryPolicy};
//!
//! # fn main() -> Result<(), {{ crate_ident }}::Error> {
//! let client = Client::builder()
{%- call credentials_setter_line(rt) %}{% endcall %}
//!     .retry(RetryPolicy::default().max_attempts(6).max_retry_after(Duration::from_secs(30)))
//!     .connect_timeout(Duration::from_secs(5))
//!     .timeout(Duration::from_secs(10))
//!     .total_timeout(Duration::from_secs(90))
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! # Limits and redirects
//!
//! A response body is read into memory up to 64 MiB
//! ([`ClientBuilder::max_response_size`]); a larger one fails the call with
//! [`Error::ResponseTooLarge`] as soon as it is announced or passes the limit.
{%- if rt.streaming %}
//! Operations with a binary response also have `send_streaming`, which hands the
//! body over unread as a [`ByteStream`].
{%- endif %}
//! Error bodies are kept up to 64 KiB
//! ([`ApiError::raw_body_truncated`] says when one was cut), and no error message
//! repeats more than a few hundred bytes of anything a server or caller sent.
//!
{%- if rt.oauth.is_some() %}
//! Token requests follow no redirects: codes, secrets and refresh tokens never
//! leave the login host.
//!
{%- endif %}
//! API calls follow redirects within the same origin
//! ([`RedirectPolicy`]); a redirect that would turn a write into a `GET`, or send
//! a body or credentials to another origin, is an [`Error::Redirect`].
//!
//! # Tracing, headers and hooks
//!
//! Every call runs in a `tracing` span {{ call_span }} with the operation
//! id, method, path template, status, number of attempts, latency and
//! correlation id; retries, renewals and token requests are events inside it.
//! Tokens, secrets, codes, verifiers and assertions never appear in spans, events
//! or `Debug` output. Each request builder takes extra headers with `.header(name,
//! value)`, except those that frame or route it (`Host`, `Content-Length`,
//! `Transfer-Encoding`, `Connection` and their kin); [`Hooks`] see every HTTP
//! exchange. Requests carry a `User-Agent` with this crate's name and version
{%- if header_docs.len() == 1 %}, and the {{ header_docs[0] }} header{% else if header_docs.len() > 1 %}, and the headers {{ header_docs|join(", ") }}{% endif %}.
//!
//! ```no_run
//! use {{ crate_ident }}::{Client, Hooks};
//!
//! struct Audit;
//!
//! impl Hooks for Audit {
//!     fn after_receive(&self, operation: &'static str, status: u16, _headers: &{{ crate_ident }}::reqwest::header::HeaderMap) {
//!         eprintln!("{operation}: {status}");
//!     }
//! }
//!
//! # fn main() -> Result<(), {{ crate_ident }}::Error> {
//! let client = Client::builder(){% call short_credentials(rt) %}{% endcall %}.hooks(Audit).build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! # Errors
//!
//! Every operation returns [`Error`]. A response with a non-success status is
//! [`Error::Api`], carrying the status, the decoded error body when there is one,
//! the raw body otherwise, and the server's correlation id. A time limit that
//! passes is [`Error::Timeout`], saying which limit, what was going on and in
//! which attempt (`attempt 2 of 4 timed out after 16 s waiting for the
//! response`){% if rt.oauth.is_some() %}; [`Error::is_timeout`] holds for login timeouts too{% endif %}.
//! [`Error::is_not_found`], [`Error::is_throttled`] and [`Error::is_retryable`]
//! say what kind of failure it is; `source()` leads to the cause.
//!
//! # One call
//!
//! An operation's request builder sets that call's own retry policy and time
//! limits (`.retry(…)`, `.timeout(…)`, `.total_timeout(…)`), and
//! `.send_with_meta()` returns a [`Response`] with the status, headers,
//! correlation id and attempts beside the value.
//!
{%- if rt.pagination %}
//! # Pages
//!
//! An operation whose answer is one page of a longer list has `.pages()` and
//! `.items()` on its request builder: [`Pages`] and [`Items`], streams that
//! request the next page when the last is used up, one page in memory at a
//! time, each through the client as any call (credentials, retries, limits).
//! A next link is followed on the API's origin only; a page pointing back to
//! one already read, or past `max_pages`, ends the reading with
//! [`Error::Pagination`], and [`Page::next_page`] says where to resume.
//!
{%- endif %}
//! # Testing code that uses the client
//!
//! The `test-util` feature adds `mock::Mock`: a client built with
//! `ClientBuilder::mock` sends nothing over the network, and everything
//! else (logins, retries and their waits, limits, decoding) runs as usual;
//! under `tokio::time::pause` the waits take no time.
{%- if let Some((group, operation)) = example %} Each operation group
//! has typed rules: `mock.{{ group }}().{{ operation }}().ok(…)`.
{%- endif %}
//!
//! # Requirements
//!
//! The client runs on [Tokio](https://tokio.rs): its timeouts and the waits
//! between retries use Tokio's timer, on any Tokio runtime (a current-thread
//! one too). TLS is rustls; server certificates are checked against the
//! operating system's certificate store, read on the first HTTPS connection.
//! The crypto provider is ring (the `rustls-ring` feature, on by default) or
//! aws-lc-rs (`rustls-aws-lc`, which wins when both are on), unless the
//! application installed a process-wide provider, which is then used
//! ([`crypto_provider`]). The crate never installs one itself. [`Tls`] adds
//! root certificates (a private authority, a TLS-inspecting proxy) and a client
//! certificate for mutual TLS:
//!
//! ```no_run
//! use {{ crate_ident }}::rustls::pki_types::CertificateDer;
//! use {{ crate_ident }}::{Client, Tls};
//!
//! # fn main() -> Result<(), {{ crate_ident }}::Error> {
//! # let private_root_der: Vec<u8> = Vec::new();
//! let tls = Tls::new().add_root_certificate(CertificateDer::from(private_root_der));
//! let client = Client::builder(){% call short_credentials(rt) %}{% endcall %}.tls(tls).build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
{% include "models_docs.rs" %}
//! # Features
//!
//! Each tag of the API is a Cargo feature that compiles the tag's operations and
//! exactly the models they use; all of them are on by default. To compile less,
//! turn the defaults off and name the tags you call:
//!
//! ```toml
//! [dependencies]
//! {{ crate_name }} = { version = "{{ crate_version }}", default-features = false, features = ["rustls-ring"{% if let Some(f) = example_feature %}, "{{ f }}"{% endif %}] }
//! ```
//!
{% for line in feature_docs %}#![doc = {{ line }}]
{% endfor -%}
//!
//! The operations' methods are `#[inline]`: the code that sends a request and
//! decodes its answer, with the JSON decoders of the models it returns, is
//! compiled in the crate that calls the operation. A program pays in build time
//! for the operations it calls, not for every operation of the API.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The modules are formatted by the generator (prettyplease), not rustfmt.
#[rustfmt::skip]
pub mod apis;
{%- if rt.oauth.is_some() %}
#[rustfmt::skip]
mod auth;
{%- endif %}
#[rustfmt::skip]
// Which runtime helpers the operations use depends on the tags compiled.
#[cfg_attr(not({{ all_groups_cfg }}), allow(dead_code))]
mod client;
#[rustfmt::skip]
mod config;
#[rustfmt::skip]
mod conventions;
#[rustfmt::skip]
mod error;
#[rustfmt::skip]
mod exchange;
{%- if rt.oauth.is_some() %}
#[rustfmt::skip]
mod grants;
{%- endif %}
{%- if rt.fields %}
#[rustfmt::skip]
// Which model helpers are used depends on the models compiled.
#[cfg_attr(not({{ all_features_cfg }}), allow(dead_code))]
mod fields;
{%- endif %}
#[rustfmt::skip]
#[cfg(feature = "test-util")]
pub mod mock;
#[rustfmt::skip]
pub mod models;
{%- if rt.multipart %}
#[rustfmt::skip]
// Which parts are used depends on the tags compiled.
#[cfg_attr(not({{ all_groups_cfg }}), allow(dead_code))]
mod multipart;
{%- endif %}
{%- if rt.pagination %}
#[rustfmt::skip]
mod pages;
{%- endif %}
{%- if rt.regions.is_some() %}
#[rustfmt::skip]
mod regions;
{%- endif %}
{%- if !rt.schemes.is_empty() %}
#[rustfmt::skip]
mod security;
{%- endif %}
{%- if rt.servers %}
#[rustfmt::skip]
mod servers;
{%- endif %}
#[rustfmt::skip]
mod tls;

#[cfg({{ apis_cfg }})]
pub use apis::*;
{%- if let Some(o) = rt.oauth %}
pub use auth::{AuthError{% if o.authorization_code %}, AuthorizeUrl, Pkce{% endif %}};
{%- endif %}
pub use client::{http_client_builder,{% if rt.streaming %} ByteStream,{% endif %} Call, Client, ClientBuilder, Response};
pub use config::{Hooks, RedirectPolicy, RetryPolicy};
{%- if rt.multipart %}
pub use multipart::FilePart;
{%- endif %}
{%- if rt.pagination %}
pub use pages::{Items, Page, Pages};
{%- endif %}

pub use error::{ApiError, Error, TimeoutKind};
{%- if rt.oauth.is_some() %}
pub use grants::Credentials;
{%- endif %}{%- if rt.regions.is_some() %}
pub use regions::{{ "{" }}{% if rt.gateways %}Gateway, {% endif %}Region, UnknownRegion};
{%- endif %}
pub use reqwest;
pub use rustls;
pub use secrecy;
{%- if rt.servers %}
pub use servers::{{ "{" }}{% for t in server_types %}{{ t }}, {% endfor %}Server};
{%- endif %}
pub use serde_json;
pub use tls::{crypto_provider, Tls};

/// The base URL requests go to unless the client is given another.
pub const DEFAULT_BASE_URL: &str = {{ default_base_url }};
