//! Every operation of the crate, called with arguments made from the spec:
//! each call's Rust code for the harness, the JSON of its arguments, and
//! what an outcome means.

use super::harness::CRATE;
use super::values::Values;
use codegen::ir::{Api, Operation, ParamLocation, SchemeKind, TypeRef};
use codegen::types::rust_type;
use openapiv3 as oa;
use serde_json::Value;

/// One operation to call.
pub struct Call {
    pub id: String,
    /// The async block that makes the call, reading its arguments from `a`.
    pub code: String,
    /// The arguments as JSON, in the order `code` reads them.
    pub args: Vec<String>,
    /// The error statuses the operation documents: an answer with one of
    /// them is the typed outcome the spec describes.
    pub documented_errors: Vec<String>,
}

/// The calls of every operation of `api`, with values from `doc` (the
/// spec in its OpenAPI 3.0 form).
pub fn calls(api: &Api, doc: &oa::OpenAPI) -> Vec<Call> {
    let values = Values::new(doc);
    let mut out = Vec::new();
    for group in &api.groups {
        for op in &group.operations {
            out.push(call(&group.module, op, doc, &values));
        }
    }
    out
}

fn call(group: &str, op: &Operation, doc: &oa::OpenAPI, values: &Values<'_>) -> Call {
    let models = format!("{CRATE}::models::");
    let spec_op = find(doc, &op.path, op.method.constant());
    let mut args = Vec::new();
    let mut positional = Vec::new();
    let mut setters = Vec::new();
    let read = |ty: &TypeRef, value: Value, args: &mut Vec<String>| {
        let i = args.len();
        args.push(value.to_string());
        format!("arg::<{}>(&a[{i}])?", rust_type(ty, &models))
    };
    for param in &op.params {
        let value = spec_op
            .as_ref()
            .and_then(|(item, o)| parameter(doc, item, o, &param.name, param.location))
            .map_or(Value::Null, |p| parameter_value(&p, values));
        // A schema that only allows objects in a URL (Genesys writes
        // `items: {type: object}` for lists of ids) has no value to send:
        // an optional parameter of it is left out.
        if !param.required && holds_object(&value) {
            continue;
        }
        let value = for_type(&param.ty, value);
        let expr = read(&param.ty, value, &mut args);
        if param.required {
            positional.push(expr);
        } else {
            setters.push(format!(".{}({expr})", param.ident));
        }
    }
    if let Some(body) = &op.body {
        let value = spec_op
            .as_ref()
            .and_then(|(_, o)| o.request_body.as_ref())
            .and_then(|b| request_body(doc, b))
            .and_then(|b| b.content.get(&body.media_type).cloned())
            .map_or(Value::Null, |media| match (&media.example, &media.schema) {
                (Some(example), _) => example.clone(),
                (None, Some(schema)) => values.of(schema),
                (None, None) => Value::Null,
            });
        let value = for_type(&body.ty, value);
        let expr = read(&body.ty, value, &mut args);
        if body.required {
            positional.push(expr);
        } else {
            setters.push(format!(".{}({expr})", body.ident));
        }
    }
    if op.server.is_some() {
        // Prism serves every path at its own root.
        setters.push(".server_url(base)".to_owned());
    }
    let code = format!(
        "done(client.{group}().{}({}){}.await)",
        op.fn_name,
        positional.join(", "),
        setters.concat()
    );
    // Every status the spec documents other than successes: redirects
    // too, which the client returns as errors.
    let documented = spec_op.map_or_else(Vec::new, |(_, o)| {
        o.responses
            .responses
            .keys()
            .map(|s| s.to_string())
            .filter(|s| !s.starts_with('2'))
            .chain(o.responses.default.as_ref().map(|_| "default".to_owned()))
            .collect()
    });
    Call {
        id: op.id.clone(),
        code,
        args,
        documented_errors: documented,
    }
}

/// A value the crate's type takes, from one the spec gave: bytes as the
/// list of their values, numbers and booleans that specs write as strings
/// (a parameter's `example: "true"`) as themselves, a date given for a
/// date-time at its midnight, and nothing at all as the simplest value.
fn for_type(ty: &TypeRef, value: Value) -> Value {
    match (ty, value) {
        (TypeRef::Bytes, Value::String(text)) => Value::from(text.into_bytes()),
        (TypeRef::Bytes, _) => Value::from(b"bytes".to_vec()),
        (TypeRef::String, Value::Null) => Value::from("string"),
        (TypeRef::String, v @ (Value::Number(_) | Value::Bool(_))) => Value::from(v.to_string()),
        (TypeRef::Bool, Value::String(s)) if s.parse::<bool>().is_ok() => Value::Bool(s == "true"),
        (TypeRef::I32 | TypeRef::I64, Value::String(s)) if s.parse::<i64>().is_ok() => {
            Value::from(s.parse::<i64>().unwrap_or_default())
        }
        (TypeRef::F32 | TypeRef::F64, Value::String(s)) if s.parse::<f64>().is_ok() => {
            serde_json::Number::from_f64(s.parse().unwrap_or_default())
                .map_or(Value::Null, Value::Number)
        }
        (TypeRef::DateTime, Value::String(s))
            if chrono::DateTime::parse_from_rfc3339(&s).is_err()
                && chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").is_ok() =>
        {
            Value::from(format!("{s}T00:00:00Z"))
        }
        (TypeRef::Vec(inner), Value::Array(items)) => {
            Value::Array(items.into_iter().map(|v| for_type(inner, v)).collect())
        }
        (TypeRef::Vec(inner), v) if !v.is_null() => Value::Array(vec![for_type(inner, v)]),
        (_, value) => value,
    }
}

fn holds_object(value: &Value) -> bool {
    match value {
        Value::Object(_) => true,
        Value::Array(items) => items.iter().any(holds_object),
        _ => false,
    }
}

/// The path item and operation at `path` and `method`.
fn find<'d>(
    doc: &'d oa::OpenAPI,
    path: &str,
    method: &str,
) -> Option<(&'d oa::PathItem, &'d oa::Operation)> {
    let item = doc.paths.paths.get(path)?.as_item()?;
    let op = match method {
        "GET" => item.get.as_ref(),
        "PUT" => item.put.as_ref(),
        "POST" => item.post.as_ref(),
        "DELETE" => item.delete.as_ref(),
        "OPTIONS" => item.options.as_ref(),
        "HEAD" => item.head.as_ref(),
        "PATCH" => item.patch.as_ref(),
        "TRACE" => item.trace.as_ref(),
        _ => None,
    }?;
    Some((item, op))
}

/// The parameter `name` in `location`: the operation's, else its path's.
fn parameter(
    doc: &oa::OpenAPI,
    item: &oa::PathItem,
    op: &oa::Operation,
    name: &str,
    location: ParamLocation,
) -> Option<oa::ParameterData> {
    let resolve = |p: &oa::ReferenceOr<oa::Parameter>| -> Option<oa::Parameter> {
        match p {
            oa::ReferenceOr::Item(p) => Some(p.clone()),
            oa::ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/parameters/")?;
                let key = key.replace("~1", "/").replace("~0", "~");
                doc.components
                    .as_ref()?
                    .parameters
                    .get(&key)?
                    .as_item()
                    .cloned()
            }
        }
    };
    op.parameters
        .iter()
        .chain(&item.parameters)
        .filter_map(resolve)
        .find_map(|p| {
            let (data, at) = match p {
                oa::Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
                oa::Parameter::Query { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Query)
                }
                oa::Parameter::Header { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Header)
                }
                oa::Parameter::Cookie { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Cookie)
                }
            };
            (data.name == name && at == location).then_some(data)
        })
}

/// A parameter's value: its example, else one made from its schema.
fn parameter_value(data: &oa::ParameterData, values: &Values<'_>) -> Value {
    if let Some(example) = &data.example {
        return example.clone();
    }
    let first = data
        .examples
        .values()
        .find_map(|e| e.as_item()?.value.clone());
    if let Some(example) = first {
        return example;
    }
    match &data.format {
        oa::ParameterSchemaOrContent::Schema(schema) => values.of(schema),
        oa::ParameterSchemaOrContent::Content(_) => Value::Null,
    }
}

fn request_body(
    doc: &oa::OpenAPI,
    body: &oa::ReferenceOr<oa::RequestBody>,
) -> Option<oa::RequestBody> {
    match body {
        oa::ReferenceOr::Item(b) => Some(b.clone()),
        oa::ReferenceOr::Reference { reference } => {
            let key = reference.strip_prefix("#/components/requestBodies/")?;
            doc.components
                .as_ref()?
                .request_bodies
                .get(key)?
                .as_item()
                .cloned()
        }
    }
}

/// The builder calls that give the client a credential for every scheme
/// the API declares: Prism checks that one is present, not what it is.
pub fn credentials(api: &Api) -> String {
    api.schemes
        .iter()
        .map(|s| match &s.kind {
            SchemeKind::Bearer { .. } | SchemeKind::ApiKey { .. } => {
                format!(".{}(\"conformance-credential\")", s.setter)
            }
            SchemeKind::Basic => format!(
                ".{}(\"conformance-user\", \"conformance-password\")",
                s.setter
            ),
            // The first OAuth 2.0 scheme fetches tokens (`credentials`) and
            // takes one through `access_token`; later ones take a token.
            SchemeKind::OAuth2(_) if s.setter == "credentials" => {
                ".access_token(\"conformance-token\")".to_owned()
            }
            SchemeKind::OAuth2(_) => format!(".{}(\"conformance-token\")", s.setter),
        })
        .collect::<Vec<_>>()
        .concat()
}

/// What one call's outcome means.
#[derive(Debug, PartialEq, Eq)]
pub enum Judgement {
    Passed,
    Failed(String),
    /// Not counted: the mock server, not the client, is at fault. Why.
    Excluded(String),
}

/// The verdict on a call: Prism found no violation in the request the
/// client sent, and the client returned the typed result of Prism's answer
/// (a success, or an error status the spec documents).
pub fn judge(call: &Call, outcome: &super::harness::CallOutcome) -> Judgement {
    let verdict = super::prism::verdict(&outcome.violations);
    if !verdict.request.is_empty() {
        return Judgement::Failed(format!("Prism: {}", verdict.request.join("; ")));
    }
    let Some(error) = &outcome.error else {
        return Judgement::Passed;
    };
    if let Some(own) = outcome.body.as_deref().and_then(super::prism::own_error) {
        // Errors Prism makes up: about the request (the client's fault), or
        // about what it could not answer (Prism's).
        const CANNOT_ANSWER: &[&str] = &[
            "SCHEMA_TOO_COMPLEX",
            "NO_RESPONSE_RESPONSE_DEFINED",
            "NO_COMPLEX_OBJECT_TEXT",
        ];
        if CANNOT_ANSWER.iter().any(|kind| own.starts_with(kind)) {
            return Judgement::Excluded(format!("Prism cannot make a response: {own}"));
        }
        if own.starts_with("VIOLATIONS") && !verdict.response.is_empty() {
            return Judgement::Excluded(format!(
                "Prism's own response is invalid against the spec: {}",
                verdict.response.join("; ")
            ));
        }
        return Judgement::Failed(format!("Prism: {own}"));
    }
    // A documented error status, or a documented redirect the client
    // declined (to another origin, or turning a write into a `GET`), is
    // the typed outcome the spec describes.
    let typed = outcome.redirect || outcome.body.is_some();
    if let Some(status) = outcome.status.filter(|_| typed) {
        if call.documented_errors.iter().any(|s| documents(s, status)) {
            return Judgement::Passed;
        }
    }
    if !verdict.response.is_empty() {
        return Judgement::Excluded(format!(
            "Prism's response is invalid against the spec ({}), and the client says: {error}",
            verdict.response.join("; ")
        ));
    }
    let body = outcome.body.as_deref().unwrap_or("");
    Judgement::Failed(if body.is_empty() {
        error.clone()
    } else {
        format!("{error}: {}", body.chars().take(300).collect::<String>())
    })
}

/// Whether the documented status `documented` (`404`, `4XX`, `default`)
/// covers `status`.
fn documents(documented: &str, status: u16) -> bool {
    let status = status.to_string();
    documented == status
        || documented == "default"
        || (documented.len() == 3
            && documented.ends_with("XX")
            && documented.as_bytes()[0] == status.as_bytes()[0])
}

#[cfg(test)]
mod tests {
    use super::super::harness::CallOutcome;
    use super::*;

    fn call() -> Call {
        Call {
            id: "getThing".into(),
            code: String::new(),
            args: Vec::new(),
            documented_errors: vec!["404".into(), "5XX".into()],
        }
    }

    #[test]
    fn a_call_passes_when_prism_finds_nothing_and_the_client_returns_its_type() {
        assert_eq!(judge(&call(), &CallOutcome::default()), Judgement::Passed);
        // A documented error status is the typed outcome the spec describes.
        for status in [404, 503] {
            let outcome = CallOutcome {
                error: Some(format!("HTTP {status}")),
                status: Some(status),
                body: Some(String::new()),
                ..CallOutcome::default()
            };
            assert_eq!(judge(&call(), &outcome), Judgement::Passed);
        }
    }

    #[test]
    fn a_request_prism_finds_fault_with_fails() {
        let outcome = CallOutcome {
            violations: vec![r#"[{"location":["request","body"],"message":"must have required property 'name'"}]"#.into()],
            ..CallOutcome::default()
        };
        let Judgement::Failed(why) = judge(&call(), &outcome) else {
            panic!("a failure")
        };
        assert!(
            why.contains("required property 'name' at request.body"),
            "{why}"
        );
        let outcome = CallOutcome {
            error: Some("HTTP 422".into()),
            status: Some(422),
            body: Some(r#"{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request"}"#.into()),
            ..CallOutcome::default()
        };
        assert!(matches!(judge(&call(), &outcome), Judgement::Failed(_)));
        // A body the client cannot decode, or an undocumented status, fails.
        let outcome = CallOutcome {
            error: Some("the body does not decode".into()),
            ..CallOutcome::default()
        };
        assert_eq!(
            judge(&call(), &outcome),
            Judgement::Failed("the body does not decode".into())
        );
    }

    #[test]
    fn what_prism_cannot_answer_is_excluded_with_its_reason() {
        let outcome = CallOutcome {
            error: Some("HTTP 500".into()),
            status: Some(500),
            body: Some(r#"{"type":"https://stoplight.io/prism/errors#SCHEMA_TOO_COMPLEX","title":"Unable to generate body for response"}"#.into()),
            ..CallOutcome::default()
        };
        let Judgement::Excluded(why) = judge(
            &Call {
                documented_errors: Vec::new(),
                ..call()
            },
            &outcome,
        ) else {
            panic!("an exclusion")
        };
        assert!(why.contains("SCHEMA_TOO_COMPLEX"), "{why}");
        let outcome = CallOutcome {
            error: Some("the body does not decode".into()),
            violations: vec![
                r#"[{"location":["response","body","id"],"message":"must be integer"}]"#.into(),
            ],
            ..CallOutcome::default()
        };
        assert!(matches!(judge(&call(), &outcome), Judgement::Excluded(_)));
    }

    #[test]
    fn values_the_spec_writes_as_strings_become_the_types() {
        assert_eq!(
            for_type(&TypeRef::Bool, Value::from("true")),
            Value::Bool(true)
        );
        assert_eq!(for_type(&TypeRef::I64, Value::from("42")), Value::from(42));
        assert_eq!(
            for_type(&TypeRef::DateTime, Value::from("2008-01-02")),
            Value::from("2008-01-02T00:00:00Z")
        );
        assert_eq!(
            for_type(&TypeRef::Bytes, Value::from("ab")),
            serde_json::json!([97, 98])
        );
        assert_eq!(
            for_type(&TypeRef::Vec(Box::new(TypeRef::I32)), Value::from("7")),
            serde_json::json!([7])
        );
        assert_eq!(for_type(&TypeRef::String, Value::from(3)), Value::from("3"));
    }
}
