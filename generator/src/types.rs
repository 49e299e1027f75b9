//! The Rust types the emitted crate declares for the IR's: of a type
//! reference, of a struct's field, of a `oneOf` variant and of what an
//! operation returns, and what a security scheme takes. Rendering writes
//! them; the API diff reports them.

use crate::ir::{Field, Operation, SchemeKind, TypeRef, UnionVariant};
use crate::markdown::md_code;

/// A Rust type for a type reference; models are named through `models_path`.
pub fn rust_type(ty: &TypeRef, models_path: &str) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "::chrono::DateTime<::chrono::Utc>".into(),
        TypeRef::Date => "::chrono::NaiveDate".into(),
        TypeRef::Json => "::serde_json::Value".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        // The runtime's, at the crate's root beside `models`.
        TypeRef::File => match models_path.strip_suffix("models::") {
            Some(root) if !root.is_empty() => format!("{root}FilePart"),
            _ => "crate::FilePart".into(),
        },
        TypeRef::Named(n) => format!("{models_path}{n}"),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust_type(inner, models_path)),
        TypeRef::Map(inner) => format!(
            "::std::collections::BTreeMap<String, {}>",
            rust_type(inner, models_path)
        ),
    }
}

/// `inner`, boxed when `boxed`.
fn held(inner: String, boxed: bool) -> String {
    if boxed {
        format!("Box<{inner}>")
    } else {
        inner
    }
}

/// The type a struct declares its field with: the value's type, boxed to
/// break a cycle, in an `Option` unless [`Field::in_new`], and in two when
/// the field may be left out and may be `null` ([`Field::tri_state`]).
pub fn field_type(f: &Field, models_path: &str) -> String {
    let decoded = decoded_type(f, models_path);
    if f.tri_state() {
        format!("Option<{decoded}>")
    } else {
        decoded
    }
}

/// The type of a field's JSON value, as its model's decoder reads it:
/// the value's type, in an `Option` when it may be `null` or absent.
fn decoded_type(f: &Field, models_path: &str) -> String {
    let held = held(rust_type(&f.ty, models_path), f.boxed);
    if f.in_new() {
        held
    } else {
        format!("Option<{held}>")
    }
}

/// Whether values of `ty` are decoded from strings that hold them too: the
/// numbers and booleans (and lists and maps of them) some servers send as
/// JSON strings.
pub fn decodes_loosely(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) => decodes_loosely(inner),
        _ => false,
    }
}

/// The type a `oneOf` enum's variant holds.
pub fn variant_type(v: &UnionVariant, models_path: &str) -> String {
    held(rust_type(&v.ty, models_path), v.boxed)
}

/// What an operation's call resolves to: its response enum, its success
/// body's type, or `()`.
pub fn output_type(op: &Operation, models_path: &str) -> String {
    match (&op.responses, &op.response) {
        (Some(r), _) => r.name.clone(),
        (None, Some(t)) => rust_type(t, models_path),
        (None, None) => "()".into(),
    }
}

/// How a mock answers an operation's success: the Rust type of the body a
/// rule's `ok` takes, the runtime's `mock` function that writes it, and the
/// status. Several documented successes are answered as JSON with the
/// first status; a body of text or bytes is written as it is.
pub fn mock_success(op: &Operation, models_path: &str) -> (String, &'static str, u16) {
    match (&op.responses, &op.response) {
        (Some(r), _) => {
            let status = (r.variants.first())
                .map(|v| v.status.replace(['X', 'x'], "0"))
                .and_then(|s| s.parse().ok())
                .unwrap_or(200);
            ("serde_json::Value".to_owned(), "json_body", status)
        }
        (None, None) => ("()".to_owned(), "json_body", 204),
        (None, Some(t)) => match op.response_kind {
            crate::ir::MediaKind::Text => (rust_type(t, models_path), "text_body", 200),
            crate::ir::MediaKind::Binary | crate::ir::MediaKind::Multipart => {
                ("Vec<u8>".to_owned(), "bytes_body", 200)
            }
            crate::ir::MediaKind::Json | crate::ir::MediaKind::Form => {
                (rust_type(t, models_path), "json_body", 200)
            }
        },
    }
}

/// What a security scheme takes, in a few words of Markdown: `a bearer
/// token`, `an API key in the header `X-Key``, `OAuth 2.0`.
pub fn scheme_summary(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::Bearer { format: Some(f) } => format!("a {} bearer token", md_code(f)),
        SchemeKind::Bearer { format: None } => "a bearer token".to_owned(),
        SchemeKind::Basic => "HTTP basic authentication".to_owned(),
        SchemeKind::ApiKey { location, name } => {
            format!("an API key in the {} {}", location.word(), md_code(name))
        }
        SchemeKind::OAuth2(_) => "OAuth 2.0".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::sample;

    fn field(ty: TypeRef, required: bool, nullable: bool, boxed: bool) -> Field {
        Field {
            required,
            nullable,
            boxed,
            ..sample::field("f", ty)
        }
    }

    #[test]
    fn fields_are_options_unless_required_and_not_nullable() {
        let node = || TypeRef::Named("Node".into());
        assert_eq!(
            field_type(&field(TypeRef::String, true, false, false), ""),
            "String"
        );
        assert_eq!(
            field_type(&field(TypeRef::String, true, true, false), ""),
            "Option<String>"
        );
        assert_eq!(
            field_type(&field(node(), false, false, true), "m::"),
            "Option<Box<m::Node>>"
        );
        assert_eq!(
            field_type(
                &field(TypeRef::Map(Box::new(TypeRef::I64)), true, false, false),
                ""
            ),
            "::std::collections::BTreeMap<String, i64>"
        );
        // Left out, `null` or a value: three states.
        assert_eq!(
            field_type(&field(TypeRef::String, false, true, false), ""),
            "Option<Option<String>>"
        );
        assert_eq!(
            decoded_type(&field(TypeRef::String, false, true, false), ""),
            "Option<String>"
        );
    }

    #[test]
    fn numbers_and_booleans_decode_loosely_and_nothing_else() {
        assert!(decodes_loosely(&TypeRef::F64));
        assert!(decodes_loosely(&TypeRef::Vec(Box::new(TypeRef::Bool))));
        assert!(decodes_loosely(&TypeRef::Map(Box::new(TypeRef::I32))));
        assert!(!decodes_loosely(&TypeRef::String));
        assert!(!decodes_loosely(&TypeRef::Named("Price".into())));
        assert!(!decodes_loosely(&TypeRef::Vec(Box::new(TypeRef::Json))));
    }
}
