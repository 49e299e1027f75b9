//! The examples a spec ships, found in the document as written, each with
//! the schema it illustrates and the Rust type of the crate it decodes into.

use codegen::ir::{Api, Field, MediaKind, ModelKind, Operation, TypeRef};
use serde_json::Value;

/// Whether a payload travels to the server or back from it: validated as
/// the one or the other (`readOnly` and `writeOnly` properties).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
    /// A schema's own example, which may be either.
    Either,
}

impl Direction {
    pub fn word(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
            Direction::Either => "either",
        }
    }
}

/// One example.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where the example's value is, as a JSON pointer into the file.
    pub pointer: String,
    /// The schema it must be valid against.
    pub schema: String,
    pub direction: Direction,
    pub value: Value,
    /// The type it decodes into; `None` when the crate has none for it (a
    /// media type other than JSON, a schema the selection left out).
    pub target: Option<Target>,
}

/// A Rust type of the crate an example decodes into.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub ty: TypeRef,
    /// Held in an `Option`: a nullable field's value alone.
    pub nullable: bool,
}

impl Target {
    fn of(ty: TypeRef) -> Target {
        Target {
            ty,
            nullable: false,
        }
    }

    /// What a field's JSON value alone decodes as.
    fn field(field: &Field) -> Target {
        Target {
            ty: field.ty.clone(),
            nullable: field.nullable,
        }
    }
}

/// Every example of `doc` (the spec as written: OpenAPI 3 or Swagger 2.0),
/// in document order, typed through `api`, the crate's IR.
pub fn collect(doc: &Value, api: &Api) -> Vec<Example> {
    let mut out = Vec::new();
    let swagger = doc.get("swagger").is_some();
    let (schemas_ptr, schemas) = if swagger {
        ("/definitions".to_owned(), doc.get("definitions"))
    } else {
        (
            "/components/schemas".to_owned(),
            doc.pointer("/components/schemas"),
        )
    };
    for (key, schema) in schemas.and_then(Value::as_object).into_iter().flatten() {
        let at = format!("{schemas_ptr}/{}", escape(key));
        let model = api.models.iter().find(|m| m.pointer == at);
        if let Some(value) = schema.get("example") {
            out.push(Example {
                pointer: format!("{at}/example"),
                schema: at.clone(),
                direction: Direction::Either,
                value: value.clone(),
                target: model.map(|m| Target::of(TypeRef::Named(m.name.clone()))),
            });
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            let Some(value) = property.get("example") else {
                continue;
            };
            let field = model.and_then(|m| match &m.kind {
                ModelKind::Struct(fields) => fields.iter().find(|f| &f.name == name),
                _ => None,
            });
            let property_ptr = format!("{at}/properties/{}", escape(name));
            out.push(Example {
                pointer: format!("{property_ptr}/example"),
                schema: property_ptr,
                direction: Direction::Either,
                value: value.clone(),
                target: field.map(Target::field),
            });
        }
    }

    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(operation) = find_operation(api, path, method) else {
                continue;
            };
            let op_ptr = format!("/paths/{}/{method}", escape(path));
            if let Some(body) = op.get("requestBody") {
                let (body, at) = resolve(doc, body, &format!("{op_ptr}/requestBody"));
                let ty = operation.body.as_ref().map(|b| Target::of(b.ty.clone()));
                media_examples(doc, body, &at, Direction::Request, ty, &mut out);
            }
            let responses = op.get("responses").and_then(Value::as_object);
            for (status, response) in responses.into_iter().flatten() {
                let at = format!("{op_ptr}/responses/{}", escape(status));
                let (response, at) = resolve(doc, response, &at);
                let ty = response_type(operation, status).map(Target::of);
                if swagger {
                    swagger_examples(response, &at, ty, &mut out);
                } else {
                    media_examples(doc, response, &at, Direction::Response, ty, &mut out);
                }
            }
        }
    }
    // A shared response or body is reached from every operation using it:
    // each example counts once.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|e| seen.insert(e.pointer.clone()));
    out
}

/// The examples of an OpenAPI 3 request body or response: `content.*.example`
/// and `content.*.examples.*` (their `value`, through `$ref`s into
/// `components/examples`), JSON media types only being typed.
fn media_examples(
    doc: &Value,
    holder: &Value,
    at: &str,
    direction: Direction,
    ty: Option<Target>,
    out: &mut Vec<Example>,
) {
    let content = holder.get("content").and_then(Value::as_object);
    // The crate's type is that of the first JSON media type, as lowering
    // picks it; the examples of others are another schema's.
    let typed = content.and_then(|c| c.keys().find(|m| is_json(m)));
    for (media, body) in content.into_iter().flatten() {
        let media_ptr = format!("{at}/content/{}", escape(media));
        let ty = ty.clone().filter(|_| Some(media) == typed);
        let schema = format!("{media_ptr}/schema");
        if let Some(value) = body.get("example") {
            out.push(Example {
                pointer: format!("{media_ptr}/example"),
                schema: schema.clone(),
                direction,
                value: value.clone(),
                target: ty.clone(),
            });
        }
        let examples = body.get("examples").and_then(Value::as_object);
        for (name, example) in examples.into_iter().flatten() {
            let (example, example_ptr) = resolve(
                doc,
                example,
                &format!("{media_ptr}/examples/{}", escape(name)),
            );
            if let Some(value) = example.get("value") {
                out.push(Example {
                    pointer: format!("{example_ptr}/value"),
                    schema: schema.clone(),
                    direction,
                    value: value.clone(),
                    target: ty.clone(),
                });
            }
        }
    }
}

/// The examples of a Swagger 2.0 response: `examples.{mime type}`.
fn swagger_examples(response: &Value, at: &str, ty: Option<Target>, out: &mut Vec<Example>) {
    let examples = response.get("examples").and_then(Value::as_object);
    for (media, value) in examples.into_iter().flatten() {
        out.push(Example {
            pointer: format!("{at}/examples/{}", escape(media)),
            schema: format!("{at}/schema"),
            direction: Direction::Response,
            value: value.clone(),
            target: ty.clone().filter(|_| is_json(media)),
        });
    }
}

/// The type of the body the operation's response `status` carries.
fn response_type(op: &Operation, status: &str) -> Option<TypeRef> {
    if let Some(error) = op.errors.iter().find(|e| e.status == status) {
        return error.ty.clone();
    }
    match &op.responses {
        Some(variants) => variants
            .variants
            .iter()
            .find(|v| v.status == status)
            .and_then(|v| v.ty.clone()),
        None if status.starts_with('2') => op.response.clone(),
        None => None,
    }
}

fn find_operation<'a>(api: &'a Api, path: &str, method: &str) -> Option<&'a Operation> {
    api.groups
        .iter()
        .flat_map(|g| &g.operations)
        .find(|op| op.path == path && op.method.constant().eq_ignore_ascii_case(method))
}

/// `value`, or what its `$ref` (a pointer into `doc`) leads to, with the
/// pointer of what is returned. At most a few references are followed.
fn resolve<'a>(doc: &'a Value, value: &'a Value, at: &str) -> (&'a Value, String) {
    let (mut current, mut pointer) = (value, at.to_owned());
    for _ in 0..16 {
        let Some(target) = current.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(next) = target.strip_prefix('#').and_then(|p| doc.pointer(p)) else {
            break;
        };
        current = next;
        pointer = target[1..].to_owned();
    }
    (current, pointer)
}

fn is_json(media: &str) -> bool {
    codegen::lower::media_kind(media) == MediaKind::Json
}

/// A key as a JSON pointer token.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lowered(doc: &Value) -> Api {
        let source = codegen::load::Source::new("t.json", doc.to_string());
        let options = codegen::Options::default();
        codegen::lower_selected(&source, &options)
            .unwrap_or_else(|d| panic!("{d}"))
            .api
    }

    #[test]
    fn openapi_examples_are_found_where_they_are_and_typed() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/pets/{id}": {"get": {
                "operationId": "getPet",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "ok", "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Pet"},
                            "examples": {"rex": {"$ref": "#/components/examples/rex"}}
                        },
                        "application/vnd.other+json": {
                            "schema": {"type": "string"},
                            "example": "other"
                        }
                    }},
                    "404": {"description": "no", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Problem"},
                        "example": {"message": "gone"}
                    }}}
                }
            }}},
            "components": {
                "schemas": {
                    "Pet": {"type": "object", "example": {"name": "Tom"}, "properties": {
                        "name": {"type": "string", "example": "Rex"},
                        "tag": {"type": "string", "nullable": true, "example": null}
                    }},
                    "Problem": {"type": "object", "properties": {"message": {"type": "string"}}}
                },
                "examples": {"rex": {"value": {"name": "Rex"}}}
            }
        });
        let found = collect(&doc, &lowered(&doc));
        let seen: Vec<(&str, &str, Option<String>)> = found
            .iter()
            .map(|e| {
                let target = e
                    .target
                    .as_ref()
                    .map(|t| format!("{:?}{}", t.ty, if t.nullable { "?" } else { "" }));
                (e.pointer.as_str(), e.schema.as_str(), target)
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("/components/schemas/Pet/example", "/components/schemas/Pet", Some("Named(\"Pet\")".into())),
                ("/components/schemas/Pet/properties/name/example", "/components/schemas/Pet/properties/name", Some("String".into())),
                ("/components/schemas/Pet/properties/tag/example", "/components/schemas/Pet/properties/tag", Some("String?".into())),
                ("/components/examples/rex/value", "/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema", Some("Named(\"Pet\")".into())),
                // Not the media type the crate decodes.
                ("/paths/~1pets~1{id}/get/responses/200/content/application~1vnd.other+json/example", "/paths/~1pets~1{id}/get/responses/200/content/application~1vnd.other+json/schema", None),
                ("/paths/~1pets~1{id}/get/responses/404/content/application~1json/example", "/paths/~1pets~1{id}/get/responses/404/content/application~1json/schema", Some("Named(\"Problem\")".into())),
            ]
        );
    }

    #[test]
    fn swagger_response_examples_are_found() {
        let doc = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "x.example.com",
            "produces": ["application/json"],
            "paths": {"/pets": {"get": {
                "operationId": "listPets",
                "responses": {"200": {
                    "description": "ok",
                    "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                    "examples": {"application/json": [{"name": "Rex"}]}
                }}
            }}},
            "definitions": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}
        });
        let found = collect(&doc, &lowered(&doc));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].pointer,
            "/paths/~1pets/get/responses/200/examples/application~1json"
        );
        assert_eq!(found[0].schema, "/paths/~1pets/get/responses/200/schema");
        assert_eq!(
            found[0].target.as_ref().map(|t| &t.ty),
            Some(&TypeRef::Vec(Box::new(TypeRef::Named("Pet".into()))))
        );
    }
}
