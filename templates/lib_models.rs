{% for line in crate_docs %}#![doc = {{ line }}]
{% endfor -%}
//!
//! The API description declares no operations: this crate holds its models
//! alone, with no client.
//!
{% include "models_docs.rs" %}
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The modules are formatted by the generator (prettyplease), not rustfmt.
{%- if fields %}
#[rustfmt::skip]
// Which model helpers are used depends on the models compiled.
#[cfg_attr(not({{ all_features_cfg }}), allow(dead_code))]
mod fields;
{%- endif %}
#[rustfmt::skip]
pub mod models;

pub use serde_json;
