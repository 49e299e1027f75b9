//! Response headers: what an operation's success responses declare, typed
//! for reading.

use super::{
    integer_schema_type, non_empty, number_schema_type, string_format_type, Lowerer, MAX_REF_CHAIN,
};
use crate::diag::Pointer;
use crate::ir::*;
use crate::naming::{self, Scope};
use openapiv3 as oa;
use std::collections::BTreeSet;

/// The headers one of the operation's success responses declares.
pub(super) struct Declared {
    pub(super) headers: indexmap::IndexMap<String, oa::ReferenceOr<oa::Header>>,
    /// The response's pointer.
    pub(super) ptr: Pointer,
}

impl Lowerer<'_> {
    /// The headers `declared` name, each once (names are case-insensitive;
    /// the first declaration wins), without `Content-Type`, which OpenAPI
    /// says to ignore; `None` when there are none.
    pub(super) fn response_headers(
        &mut self,
        components: &oa::Components,
        builder_name: &str,
        declared: &[Declared],
    ) -> Option<ResponseHeaders> {
        let mut seen = BTreeSet::new();
        let mut idents = Scope::new();
        let mut headers = Vec::new();
        for Declared { headers: map, ptr } in declared {
            for (name, header) in map {
                let lower = name.to_ascii_lowercase();
                if lower == "content-type" || !seen.insert(lower) {
                    continue;
                }
                let at = ptr.push("headers").push(name);
                if !naming::is_header_name(name) {
                    self.warn(
                        &at,
                        format!("response header `{name}` is no valid header name; it is not read"),
                        "name it with letters, digits and `-`",
                    );
                    continue;
                }
                let Some(header) =
                    self.resolve(header, &components.headers, "#/components/headers/", &at)
                else {
                    continue;
                };
                let ty = match &header.format {
                    oa::ParameterSchemaOrContent::Schema(schema) => self.header_type(schema),
                    oa::ParameterSchemaOrContent::Content(_) => TypeRef::String,
                };
                headers.push(ResponseHeader {
                    name: name.clone(),
                    ident: idents.claim(naming::snake(name)),
                    ty,
                    description: non_empty(&header.description),
                    deprecated: header.deprecated.unwrap_or(false),
                });
            }
        }
        (!headers.is_empty()).then(|| ResponseHeaders {
            name: naming::headers_type(builder_name),
            headers,
        })
    }

    /// A header's type: a scalar, or a list of scalars; anything else is
    /// read as its text.
    fn header_type(&self, schema: &oa::ReferenceOr<oa::Schema>) -> TypeRef {
        let schema = match schema {
            oa::ReferenceOr::Item(s) => Some(s),
            oa::ReferenceOr::Reference { reference } => self.schema_at(reference),
        };
        let Some(schema) = schema else {
            return TypeRef::String;
        };
        match &schema.schema_kind {
            oa::SchemaKind::Type(oa::Type::Array(array)) => {
                let items = match &array.items {
                    Some(oa::ReferenceOr::Item(s)) => scalar(s),
                    Some(oa::ReferenceOr::Reference { reference }) => {
                        self.schema_at(reference).and_then(scalar)
                    }
                    None => None,
                };
                TypeRef::Vec(Box::new(items.unwrap_or(TypeRef::String)))
            }
            _ => scalar(schema).unwrap_or(TypeRef::String),
        }
    }

    /// The component schema `reference` names, through further references.
    fn schema_at(&self, reference: &str) -> Option<&oa::Schema> {
        let mut reference = reference;
        for _ in 0..MAX_REF_CHAIN {
            match self.component_schema(reference)? {
                oa::ReferenceOr::Item(s) => return Some(s),
                oa::ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }
}

/// The scalar type a header of this schema reads as, if it is one, by the
/// rules the models' fields follow.
fn scalar(schema: &oa::Schema) -> Option<TypeRef> {
    Some(match &schema.schema_kind {
        oa::SchemaKind::Type(oa::Type::String(s)) => {
            string_format_type(s).unwrap_or(TypeRef::String)
        }
        oa::SchemaKind::Type(oa::Type::Integer(i)) => integer_schema_type(i),
        oa::SchemaKind::Type(oa::Type::Number(n)) => number_schema_type(n),
        oa::SchemaKind::Type(oa::Type::Boolean(_)) => TypeRef::Bool,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::diag::Pointer;
    use crate::ir::*;
    use crate::load::{load, Source};
    use crate::lower::Lowerer;
    use crate::settings::Settings;
    use openapiv3 as oa;
    use serde_json::json;

    /// The headers type of an operation `getThing` with these responses.
    fn lowered(
        responses: serde_json::Value,
        components: serde_json::Value,
    ) -> Option<ResponseHeaders> {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": components,
        });
        let doc = load(&Source::new("t.json", doc.to_string())).unwrap_or_else(|d| panic!("{d}"));
        let settings = Settings::default();
        let mut lowerer = Lowerer::new(&doc, &settings);
        let components = doc.openapi.components.clone().unwrap_or_default();
        let responses: indexmap::IndexMap<String, oa::Response> =
            serde_json::from_value(responses).unwrap();
        let declared: Vec<super::Declared> = responses
            .iter()
            .map(|(status, r)| super::Declared {
                headers: r.headers.clone(),
                ptr: Pointer::root().push("responses").push(status),
            })
            .collect();
        let got = lowerer.response_headers(&components, "GetThing", &declared);
        assert!(lowerer.diags.is_empty(), "{:?}", lowerer.diags);
        got
    }

    #[test]
    fn each_declared_header_once_with_its_type() {
        let got = lowered(
            json!({
                "200": {"description": "ok", "headers": {
                    "X-RateLimit-Remaining": {"schema": {"type": "integer"}, "description": "Calls left."},
                    "X-Ids": {"schema": {"type": "array", "items": {"type": "integer", "format": "int32"}}},
                    "Expires": {"schema": {"$ref": "#/components/schemas/When"}},
                    "Link": {"$ref": "#/components/headers/Link"},
                    "Content-Type": {"schema": {"type": "string"}},
                    "X-Object": {"schema": {"type": "object"}},
                }},
                "201": {"description": "ok", "headers": {
                    "x-ratelimit-remaining": {"schema": {"type": "string"}},
                    "X-Done": {"schema": {"type": "boolean"}, "deprecated": true},
                }},
            }),
            json!({
                "schemas": {"When": {"type": "string", "format": "date-time"}},
                "headers": {"Link": {"schema": {"type": "string"}, "description": "Pages."}},
            }),
        )
        .unwrap();
        assert_eq!(got.name, "GetThingHeaders");
        let seen: Vec<(&str, &str, &TypeRef, bool)> = got
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.ident.as_str(), &h.ty, h.deprecated))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "X-RateLimit-Remaining",
                    "x_rate_limit_remaining",
                    &TypeRef::I64,
                    false
                ),
                (
                    "X-Ids",
                    "x_ids",
                    &TypeRef::Vec(Box::new(TypeRef::I32)),
                    false
                ),
                ("Expires", "expires", &TypeRef::DateTime, false),
                ("Link", "link", &TypeRef::String, false),
                ("X-Object", "x_object", &TypeRef::String, false),
                ("X-Done", "x_done", &TypeRef::Bool, true),
            ]
        );
        assert_eq!(got.headers[0].description.as_deref(), Some("Calls left."));
        assert_eq!(got.headers[3].description.as_deref(), Some("Pages."));
    }

    #[test]
    fn no_declared_header_is_no_type() {
        assert_eq!(
            lowered(json!({"200": {"description": "ok"}}), json!({})),
            None
        );
    }
}
