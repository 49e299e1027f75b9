//! # Models
//!
//! Models in [`models`] are `#[non_exhaustive]`: a later version of the API may add
//! optional fields without breaking code that builds them. Build a model with its
//! `new` function (taking the required fields) or `Default`, then the `with_*`
//! setters; read fields directly. Enums keep values they do not know in an
//! `Unknown` variant instead of failing to decode.
//!
//! Models lose nothing: the JSON fields a struct does not declare (those the
//! API added after this crate was generated) are kept in its `unknown_fields`
//! map, as [`serde_json::Value`]s, and sent back when it is serialized. A value
//! read, changed and written back keeps them; read one with
//! `value.unknown_fields.get("name")`, add one with
//! `.with_unknown_field("name", value)`.
//!