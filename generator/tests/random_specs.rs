//! Random specs, valid and not: the generator never panics, and whatever it
//! emits is Rust that parses. Failures it reports are the spec's, never its own.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Names that have broken generators: keywords, prelude types, digits,
/// punctuation, non-ASCII, case collisions, the empty string, template syntax.
const NAMES: &[&str] = &[
    "id",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "gen",
    "try",
    "async",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Client",
    "Error",
    "2fa",
    "",
    " ",
    "foo-bar",
    "fooBar",
    "foo_bar",
    "FooBar",
    "a",
    "A",
    "ünï",
    "日本",
    "{{ x }}",
    "{% if %}",
    "*/",
    "\"q\"",
    "back\\slash",
    "new",
    "default",
    "body",
    "send",
    "client",
    "header",
    "options",
    "Unknown",
    "value",
    "models",
    "apis",
    "mod",
    "r#type",
    "\u{202E}rtl",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(NAMES).prop_map(str::to_owned),
        1 => "[a-zA-Z0-9_ .$-]{0,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

/// Schema names, few so that references mostly resolve.
const SCHEMA_NAMES: &[&str] = &["A", "B", "Option", "self", "2x", "a-b", "A_b"];

fn schema_name() -> impl Strategy<Value = String> {
    proptest::sample::select(SCHEMA_NAMES).prop_map(str::to_owned)
}

fn text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        Just("```rust\npanic!()\n```".to_owned()),
        Just("a */ b /* c [link] <b> `x` \\ \"".to_owned()),
        any::<String>().prop_map(|s| s.chars().take(40).collect()),
    ])
}

/// A schema: leaves of every type and format, references (some dangling),
/// and objects, arrays, maps and compositions of those.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "string", "format": "date-time"})),
        Just(json!({"type": "string", "format": "date"})),
        Just(json!({"type": "string", "format": "binary"})),
        Just(json!({"type": "integer", "format": "int64"})),
        Just(json!({"type": "integer", "minimum": 3})),
        Just(json!({"type": "number", "format": "float"})),
        Just(json!({"type": "boolean"})),
        Just(json!({})),
        Just(json!({"type": "object"})),
        proptest::collection::vec(name(), 0..5)
            .prop_map(|values| json!({"type": "string", "enum": values})),
        schema_name().prop_map(|n| json!({"$ref": format!("#/components/schemas/{n}")})),
    ];
    let leaf = prop_oneof![
        30 => leaf,
        1 => Just(json!({"$ref": "#/components/schemas/Missing"})),
        1 => Just(json!({"$ref": "other.yaml#/X"})),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            (
                proptest::collection::btree_map(name(), inner.clone(), 0..5),
                proptest::collection::vec(name(), 0..3),
                text(),
                any::<bool>()
            )
                .prop_map(|(props, required, description, nullable)| {
                    json!({
                        "type": "object",
                        "properties": props,
                        "required": required,
                        "description": description,
                        "nullable": nullable,
                    })
                }),
            inner
                .clone()
                .prop_map(|items| json!({"type": "array", "items": items})),
            inner
                .clone()
                .prop_map(|v| json!({"type": "object", "additionalProperties": v})),
            proptest::collection::vec(inner.clone(), 1..4).prop_map(|all| json!({"allOf": all})),
            proptest::collection::vec(inner.clone(), 1..4).prop_map(|one| json!({"oneOf": one})),
            proptest::collection::vec(inner.clone(), 1..4).prop_map(|any| json!({"anyOf": any})),
            (proptest::collection::vec(inner, 1..3), name()).prop_map(
                |(one, prop)| json!({"oneOf": one, "discriminator": {"propertyName": prop}})
            ),
        ]
    })
}

fn parameter() -> impl Strategy<Value = Value> {
    (
        name(),
        proptest::sample::select(&["query", "header", "path", "cookie"][..]),
        any::<bool>(),
        schema(),
    )
        .prop_map(|(name, location, required, schema)| {
            json!({"name": name, "in": location, "required": required, "schema": schema})
        })
}

fn operation() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(name()),
        proptest::collection::vec(name(), 0..2),
        proptest::collection::vec(parameter(), 0..4),
        proptest::option::of((schema(), proptest::sample::select(&["application/json", "text/plain", "application/octet-stream", "application/x-www-form-urlencoded"][..]))),
        proptest::collection::btree_map(
            proptest::sample::select(&["200", "201", "204", "2XX", "400", "404", "500", "default"][..]),
            proptest::option::of(schema()),
            1..4,
        ),
        text(),
    )
        .prop_map(|(id, tags, parameters, body, responses, summary)| {
            let responses: Map<String, Value> = responses
                .into_iter()
                .map(|(status, schema)| {
                    let mut response = json!({"description": "r"});
                    if let Some(schema) = schema {
                        response["content"] = json!({"application/json": {"schema": schema}});
                    }
                    (status.to_owned(), response)
                })
                .collect();
            let mut op = json!({"tags": tags, "parameters": parameters, "responses": responses, "summary": summary});
            if let Some(id) = id {
                op["operationId"] = json!(id);
            }
            if let Some((schema, media)) = body {
                op["requestBody"] = json!({"content": {media: {"schema": schema}}});
            }
            op
        })
}

fn spec() -> impl Strategy<Value = Value> {
    (
        proptest::collection::btree_map(schema_name(), schema(), 0..6),
        proptest::collection::btree_map(
            ("/[a-z{}]{0,6}", proptest::option::of(name())).prop_map(|(p, n)| match n {
                Some(n) => format!("{p}/{{{n}}}"),
                None => p,
            }),
            proptest::collection::btree_map(
                proptest::sample::select(&["get", "put", "post", "delete", "head", "patch"][..]),
                operation(),
                1..3,
            ),
            0..4,
        ),
        text(),
    )
        .prop_map(|(schemas, paths, description)| {
            json!({
                "openapi": "3.0.3",
                "info": {"title": "random", "version": "1", "description": description},
                "servers": [{"url": "https://example.com"}],
                "paths": paths,
                "components": {"schemas": schemas},
            })
        })
}

/// 300 cases unless `PROPTEST_CASES` asks for another number (for longer runs by hand).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_emits_only_valid_rust(doc in spec()) {
        let text = serde_json::to_string(&doc).unwrap();
        let source = codegen::load::Source::new("random.json", text);
        let result = codegen::generate(&source, &codegen::Options::default());
        if std::env::var_os("RANDOM_SPECS_VERBOSE").is_some() {
            eprintln!("{}", if result.is_ok() { "generated" } else { "rejected" });
        }
        match result {
            Ok(generated) => {
                for file in generated.files.iter().filter(|f| f.path.ends_with(".rs")) {
                    prop_assert!(syn::parse_file(&file.contents).is_ok(), "{} does not parse", file.path);
                }
                // Spec text of every kind lands in doc comments: lifting them
                // out while formatting must print what printing them does.
                let doc = codegen::load::load(&source).unwrap();
                let (api, _) = codegen::lower::lower(&doc, &Default::default()).unwrap();
                let info = codegen::render::CrateInfo { name: "random".into(), version: "1.0.0".into(), description: None, ..Default::default() };
                for file in codegen::render::render(&api, &info).unwrap() {
                    let lifted = codegen::format::format_file(file.clone()).unwrap();
                    let plain = codegen::format::format_file_unlifted(file).unwrap();
                    prop_assert_eq!(lifted, plain);
                }
            }
            Err(diagnostics) => {
                let report = diagnostics.to_string();
                prop_assert!(!report.contains("internal error"), "{report}");
                prop_assert!(diagnostics.errors().all(|d| !d.message.is_empty()));
            }
        }
    }

    /// The direct reading of a 3.0 document and the reading through a JSON
    /// tree (which reports errors at their pointers) see the same document,
    /// in YAML as in JSON.
    #[test]
    fn both_readings_agree(doc in spec()) {
        let yaml = codegen::load::Source::new("random.yaml", serde_yaml::to_string(&doc).unwrap());
        let json = codegen::load::Source::new("random.json", serde_json::to_string_pretty(&doc).unwrap());
        let careful = codegen::load::load_through_tree(&json).map(|d| d.openapi);
        for source in [&yaml, &json] {
            let direct = codegen::load::load(source).map(|d| d.openapi);
            match (&direct, &careful) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "{}", source.name),
                (Err(_), Err(_)) => {}
                _ => prop_assert!(false, "{}: {:?} but {:?}", source.name, direct.is_ok(), careful.is_ok()),
            }
        }
        // Read in parts (as a large document is, on every core, where the
        // direct reading applies), the YAML is the same document. The YAML
        // writer uses block style, so every document with paths or schemas
        // can be cut.
        if let Ok(careful) = &careful {
            let parts = codegen::split::cut(&yaml.text, 3);
            let has_maps = !careful.paths.paths.is_empty()
                || careful.components.as_ref().is_some_and(|c| !c.schemas.is_empty());
            prop_assert_eq!(parts.is_some(), has_maps, "{}", yaml.text);
            if let (Some(parts), Some(_)) = (parts, codegen::load::read_direct(&yaml)) {
                let joined = codegen::load::read_parts(&parts, 2);
                prop_assert_eq!(joined.as_ref(), Some(careful), "{}", yaml.text);
            }
        }
    }
}
