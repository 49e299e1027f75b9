//! OpenAPI 3.1 input: what 3.0 can express is rewritten into 3.0 form, and
//! every construct it cannot is reported with its pointer.
//!
//! Rewritten: `type: [T, "null"]` → `type: T` + `nullable: true`; numeric
//! `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` + the 3.0
//! boolean; `examples` arrays in schemas → `example`; a single `const` →
//! a one-value `enum`. Left out with a warning: `webhooks`. Refused:
//! several non-null types, and JSON Schema keywords the IR cannot carry.

use crate::diag::{Diagnostic, Pointer};
use serde_json::{Map, Value};

/// Keywords of JSON Schema 2020-12 the generator cannot model.
const UNSUPPORTED: &[&str] = &[
    "prefixItems",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "patternProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "$dynamicRef",
    "$defs",
];

/// Keys whose values are maps from names to schemas.
const SCHEMA_MAPS: &[&str] = &["properties", "schemas"];

/// Keys whose values are data, not schemas or spec objects.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Rewrites a 3.1 document into 3.0 form in place; returns the warnings and
/// the errors (constructs that cannot be carried over).
pub fn downgrade(file: &str, doc: &mut Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(root) = doc.as_object_mut() {
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        if root.remove("webhooks").is_some() {
            out.push(
                Diagnostic::warning(file, "/webhooks", "webhooks are requests the API sends, not calls a client makes; they are left out")
                    .with_hint("nothing to do"),
            );
        }
        root.remove("jsonSchemaDialect");
        if let Some(Value::Object(license)) =
            root.get_mut("info").and_then(|i| i.get_mut("license"))
        {
            license.remove("identifier");
        }
    }
    walk(file, doc, &Pointer::root(), &mut out, 0);
    out
}

fn walk(file: &str, value: &mut Value, at: &Pointer, out: &mut Vec<Diagnostic>, depth: usize) {
    if depth > 256 {
        return;
    }
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (i, item) in items.iter_mut().enumerate() {
                walk(file, item, &at.push(i), out, depth + 1);
            }
        }
        return;
    };
    rewrite_schema_keywords(file, map, at, out);
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        if DATA.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let child_at = at.push(&key);
        let Some(child) = map.get_mut(&key) else {
            continue;
        };
        if SCHEMA_MAPS.contains(&key.as_str()) {
            if let Value::Object(named) = child {
                for (name, schema) in named.iter_mut() {
                    walk(file, schema, &child_at.push(name), out, depth + 1);
                }
            }
        } else {
            walk(file, child, &child_at, out, depth + 1);
        }
    }
}

/// Rewrites the 3.1 forms of one object (if it is a schema) into 3.0 forms.
fn rewrite_schema_keywords(
    file: &str,
    map: &mut Map<String, Value>,
    at: &Pointer,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let nullable = types.iter().any(|t| t == "null");
        let others: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
        match others.as_slice() {
            [single] => {
                map.insert("type".into(), (*single).clone());
            }
            [] => {
                map.remove("type");
            }
            _ => {
                out.push(
                    Diagnostic::error(
                        file,
                        at.push("type").as_str(),
                        "a value of several types (`type` lists more than one) cannot be modelled",
                    )
                    .with_hint("use `oneOf` with one schema per type"),
                );
                map.remove("type");
            }
        }
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }
    for (bound, exclusive) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        if let Some(n @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some(Value::Array(examples)) = map.get("examples").cloned() {
        if map.contains_key("type") || map.contains_key("properties") || map.contains_key("$ref") {
            map.remove("examples");
            if let Some(first) = examples.into_iter().next() {
                map.entry("example").or_insert(first);
            }
        }
    }
    if let Some(value) = map.remove("const") {
        if !map.contains_key("type") {
            let ty = match &value {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Value::Number(_) => Some("number"),
                _ => None,
            };
            if let Some(ty) = ty {
                map.insert("type".into(), Value::String(ty.into()));
            }
        }
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    for keyword in UNSUPPORTED {
        if map.contains_key(*keyword) {
            out.push(
                Diagnostic::error(
                    file,
                    at.push(keyword).as_str(),
                    format!("the JSON Schema keyword `{keyword}` cannot be modelled"),
                )
                .with_hint("describe the value without it (OpenAPI 3.0 schema keywords only)"),
            );
        }
    }
}
