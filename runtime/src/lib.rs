//! The client runtime that generated crates carry, as ordinary Rust.
//!
//! Each module here is copied into the crates the generator emits:
//! `client` (the client, its builder, requests, retries, redirects,
//! timeouts and responses), `config` (retry and redirect policies, hooks),
//! `exchange` (reading responses within limits, redirect rules, error
//! text), `tls` (the crypto provider and certificates), `auth` (OAuth 2.0 logins and the token cache), `fields` (what
//! models' serde impls share) and `multipart` (multipart bodies).
//!
//! Items that only some crates need sit under `#[cfg(feature = "…")]`, one
//! feature per part of the runtime (the generator's `Part`). A generated
//! crate gets each module with the items of the parts it uses and without
//! the `cfg`s, so that it carries nothing it does not use.
//!
//! What the runtime calls on that differs from API to API — the security
//! schemes, the OAuth grants and endpoints, regions, servers, conventions,
//! the error type — is generated for each crate from templates. Here those
//! files come from `host/spec.yaml` (with `host/codegen.toml`), the smallest
//! API that uses every part; `cargo xtask generate` writes them to
//! `src/host/`, so that the runtime builds, is linted and is tested as a
//! generated crate would have it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod client;
mod config;
mod exchange;
mod fields;
#[cfg(feature = "test-util")]
pub mod mock;
mod multipart;
mod pages;
mod tls;

#[rustfmt::skip]
#[path = "host/apis/mod.rs"]
pub mod apis;
#[rustfmt::skip]
#[path = "host/conventions.rs"]
mod conventions;
#[rustfmt::skip]
#[path = "host/error.rs"]
mod error;
#[rustfmt::skip]
#[path = "host/grants.rs"]
mod grants;
#[rustfmt::skip]
#[path = "host/models/mod.rs"]
pub mod models;
#[rustfmt::skip]
#[path = "host/regions.rs"]
mod regions;
#[rustfmt::skip]
#[path = "host/security.rs"]
mod security;
#[rustfmt::skip]
#[path = "host/servers.rs"]
mod servers;

pub use apis::*;
pub use auth::{AuthError, AuthorizeUrl, Pkce};
pub use client::{http_client_builder, ByteStream, Call, Client, ClientBuilder, Response};
pub use config::{Hooks, RedirectPolicy, RetryPolicy};
pub use error::{ApiError, Error, TimeoutKind};
pub use grants::Credentials;
pub use multipart::FilePart;
pub use pages::{Items, Page, Pages};
pub use regions::{Gateway, Region, UnknownRegion};
pub use servers::Server;
pub use tls::{crypto_provider, Tls};

/// The base URL requests go to unless the client is given another.
pub const DEFAULT_BASE_URL: &str = "https://api.north.example.com";
