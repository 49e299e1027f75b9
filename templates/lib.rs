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
//!     .access_token(std::env::var("ACCESS_TOKEN").unwrap_or_default())
//!     .build()?;
{%- if let Some((group, operation)) = example %}
//! match client.{{ group }}().{{ operation }}().await {
//!     Ok(value) => println!("{value:?}"),
//!     Err(Error::Api(e)) => eprintln!("HTTP {}, correlation id {:?}: {}", e.status, e.correlation_id, e.raw_body),
//!     Err(e) => return Err(e),
//! }
{%- else %}
//! # let _ = client;
{%- endif %}
//! # Ok(())
//! # }
//! ```
//!
//! # Errors
//!
//! Every operation returns [`Error`]. A response with a non-success status is
//! [`Error::Api`], carrying the status, the decoded error body when there is one,
//! the raw body otherwise, and the server's correlation id.
//!
//! # Models
//!
//! Models in [`models`] are `#[non_exhaustive]`: a later version of the API may add
//! optional fields without breaking code that builds them. Build a model with its
//! `new` function (taking the required fields) or `Default`, then the `with_*`
//! setters; read fields directly. Enums keep values they do not know in an
//! `Unknown` variant instead of failing to decode.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The modules are formatted by the generator (prettyplease), not rustfmt.
#[rustfmt::skip]
pub mod apis;
#[rustfmt::skip]
mod client;
#[rustfmt::skip]
mod error;
#[rustfmt::skip]
pub mod models;

pub use apis::*;
pub use client::{http_client_builder, Client, ClientBuilder};
pub use error::{ApiError, Error};
pub use reqwest;

/// The base URL requests go to unless the client is given another.
pub const DEFAULT_BASE_URL: &str = {{ default_base_url }};
