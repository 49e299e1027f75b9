//! Swagger 2.0 input: the document is rewritten into the OpenAPI 3.0 form the
//! rest of the pipeline reads, and every construct that cannot be carried
//! over is reported with its pointer into the Swagger document.
//!
//! Rewritten: `host`/`basePath`/`schemes` → `servers`; `definitions`,
//! `parameters`, `responses` and `securityDefinitions` → `components`; every
//! `$ref` into them; `body` and `formData` parameters → `requestBody` (media
//! types from `consumes`); the value keywords of other parameters and of
//! headers → `schema`, with `collectionFormat` → `style`/`explode`; response
//! `schema` → `content` for each type in `produces`; `type: file` → a binary
//! string; `x-nullable` → `nullable`; a `discriminator` name → an object.
//! A `$ref` with sibling keys in a schema becomes `allOf: [{$ref}]` beside
//! those keys, the form the rest of the pipeline reads descriptions and
//! `readOnly` of a reference from.
//!
//! The conversion also records where each reshaped part came from
//! ([`Origins`]), so that what later steps find in the converted document is
//! reported at its pointer into the Swagger file.

use crate::diag::{unescape_token, value_text, Diagnostic, Pointer};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Where the sections `$ref`s point into move.
const REF_PREFIXES: [(&str, &str); 3] = [
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
];

/// The operations of a path item.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Keys of a parameter, header or items object that describe its value; in
/// OpenAPI 3.0 they are the keys of its `schema`.
const VALUE_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// The media type of a body when neither the operation nor the document says.
const DEFAULT_MEDIA: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// Where the components of OpenAPI 3.0 are in a Swagger 2.0 document.
const SECTIONS: [(&str, &str); 4] = [
    ("/components/schemas", "/definitions"),
    ("/components/parameters", "/parameters"),
    ("/components/responses", "/responses"),
    ("/components/securitySchemes", "/securityDefinitions"),
];

/// A Swagger 2.0 document in OpenAPI 3.0 form.
#[derive(Debug, Clone)]
pub struct Upgraded {
    pub doc: Value,
    /// The warnings and errors, at their pointers into the Swagger document.
    pub diagnostics: Vec<Diagnostic>,
    pub origins: Origins,
}

/// Where each part of the converted document is in the Swagger document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origins {
    /// Parts whose shape changed (parameters and their schemas, bodies,
    /// response content, headers): converted pointer → Swagger pointer,
    /// both after the components are moved back to their Swagger sections.
    reshaped: HashMap<String, String>,
    /// The `allOf` made around a `$ref` with sibling keys: each member →
    /// the `$ref` or the `allOf` member it came from.
    wrapped: HashMap<String, String>,
}

impl Origins {
    /// The pointer into the Swagger document of `pointer` into the converted one.
    pub fn original(&self, pointer: &str) -> String {
        let moved = SECTIONS
            .iter()
            .find_map(|(to, from)| {
                let rest = pointer.strip_prefix(to)?;
                (rest.is_empty() || rest.starts_with('/')).then(|| format!("{from}{rest}"))
            })
            .unwrap_or_else(|| pointer.to_owned());
        replace_prefix(&self.wrapped, &replace_prefix(&self.reshaped, &moved))
    }
}

/// `pointer` with its longest prefix (whole tokens) that `map` holds replaced.
fn replace_prefix(map: &HashMap<String, String>, pointer: &str) -> String {
    let mut end = pointer.len();
    while !map.is_empty() {
        if let Some(to) = map.get(&pointer[..end]) {
            return format!("{to}{}", &pointer[end..]);
        }
        match pointer[..end].rfind('/') {
            Some(i) => end = i,
            None => break,
        }
    }
    pointer.to_owned()
}

/// Rewrites a Swagger 2.0 document into OpenAPI 3.0 form, with the warnings
/// and errors (constructs that cannot be carried over) found on the way.
pub fn upgrade(file: &str, doc: &Value) -> Upgraded {
    let empty = Map::new();
    let root = doc.as_object().unwrap_or(&empty);
    let mut cx = Converter {
        file,
        root,
        out: Vec::new(),
        origins: Origins::default(),
        consumes: Vec::new(),
        produces: Vec::new(),
    };
    cx.consumes = cx.document_media_types("consumes");
    cx.produces = cx.document_media_types("produces");
    let converted = cx.document();
    Upgraded {
        doc: Value::Object(converted),
        diagnostics: cx.out,
        origins: cx.origins,
    }
}

/// The `$ref` target in OpenAPI 3.0 form: references into `definitions`,
/// `parameters` and `responses` move under `components`; others are kept.
pub fn rewrite_ref(reference: &str) -> String {
    for (from, to) in REF_PREFIXES {
        if let Some(rest) = reference.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    reference.to_owned()
}

/// The server URLs of `scheme`s × `host` + `base_path`, HTTPS first; a
/// relative URL (the base path, or `/`) when there is no host.
pub fn server_urls(host: Option<&str>, base_path: Option<&str>, schemes: &[&str]) -> Vec<String> {
    let base = base_path.unwrap_or("");
    let Some(host) = host else {
        return vec![if base.is_empty() { "/" } else { base }.to_owned()];
    };
    let mut schemes: Vec<&str> = if schemes.is_empty() {
        vec!["https"]
    } else {
        schemes.to_vec()
    };
    // A stable sort: HTTPS first, the others in the document's order.
    schemes.sort_by_key(|s| !s.eq_ignore_ascii_case("https"));
    schemes.dedup();
    schemes
        .iter()
        .map(|scheme| format!("{scheme}://{host}{base}"))
        .collect()
}

/// How an array parameter is written, in OpenAPI 3.0 terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub style: &'static str,
    pub explode: bool,
}

struct Converter<'a> {
    file: &'a str,
    root: &'a Map<String, Value>,
    out: Vec<Diagnostic>,
    origins: Origins,
    /// The document's `consumes` and `produces`, `application/json` when it
    /// has none.
    consumes: Vec<String>,
    produces: Vec<String>,
}

/// A parameter as an operation sees it: its object (followed through a
/// `$ref` into the document's `parameters`) and where that object is.
struct Param<'a> {
    /// The parameter as written (possibly a `$ref`).
    written: &'a Value,
    /// The object the `$ref` points at, or the parameter itself.
    object: &'a Map<String, Value>,
    /// Where `object` is.
    at: Pointer,
    /// Where the parameter is written.
    written_at: Pointer,
}

impl Param<'_> {
    fn location(&self) -> &str {
        self.object.get("in").and_then(Value::as_str).unwrap_or("")
    }

    fn name(&self) -> &str {
        self.object
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    fn is_body(&self) -> bool {
        matches!(self.location(), "body" | "formData")
    }
}

impl<'a> Converter<'a> {
    fn error(&mut self, at: &Pointer, message: impl Into<String>, hint: impl Into<String>) {
        self.out
            .push(Diagnostic::error(self.file, at.as_str(), message).with_hint(hint));
    }

    fn warn(&mut self, at: &Pointer, message: impl Into<String>, hint: impl Into<String>) {
        self.out
            .push(Diagnostic::warning(self.file, at.as_str(), message).with_hint(hint));
    }

    /// Records that `converted` (with the components at their Swagger
    /// places) comes from `original`.
    fn reshaped(&mut self, converted: &Pointer, original: &Pointer) {
        if converted != original {
            self.origins
                .reshaped
                .insert(converted.as_str().to_owned(), original.as_str().to_owned());
        }
    }

    /// An error for a `what` that is not one of the known words (or is missing).
    fn unknown(&mut self, at: &Pointer, what: &str, word: Option<&str>, known: &str) {
        let word = word.map_or("(none)".to_owned(), |w| format!("`{w}`"));
        self.error(at, format!("unknown {what} {word}"), known);
    }

    fn document(&mut self) -> Map<String, Value> {
        let root = self.root;
        let at = Pointer::root();
        let mut out = Map::new();
        out.insert("openapi".into(), Value::String("3.0.3".into()));
        if let Some(info) = root.get("info") {
            out.insert("info".into(), info.clone());
        }
        if !root.contains_key("host") {
            self.warn(
                &at.push("host"),
                "no `host`: the server URL is relative (the base path), so the client has no usable default base URL",
                "add `host: api.example.com`, or users must set a base URL",
            );
        }
        out.insert("servers".into(), self.servers(root.get("schemes"), &at));
        for key in ["tags", "externalDocs", "security"] {
            if let Some(v) = root.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        let paths = match root.get("paths") {
            Some(Value::Object(paths)) => self.paths(paths, &at.push("paths")),
            Some(_) => {
                self.error(
                    &at.push("paths"),
                    "`paths` is not a mapping",
                    "`paths` maps each path to its operations",
                );
                Map::new()
            }
            None => Map::new(),
        };
        out.insert("paths".into(), Value::Object(paths));
        let components = self.components();
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        copy_extensions(root, &mut out);
        out
    }

    /// `servers` from `host`, `basePath` and the `schemes` of the document
    /// or operation at `at`.
    fn servers(&mut self, schemes: Option<&Value>, at: &Pointer) -> Value {
        let host = self.root.get("host").and_then(Value::as_str);
        let base = self.root.get("basePath").and_then(Value::as_str);
        let schemes = self.strings(schemes, &at.push("schemes"));
        let urls = server_urls(
            host,
            base,
            &schemes.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        Value::Array(urls.into_iter().map(|url| json!({ "url": url })).collect())
    }

    /// A list of strings (`schemes`, `consumes`, `produces`); empty when absent.
    fn strings(&mut self, value: Option<&Value>, at: &Pointer) -> Vec<String> {
        match value {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let strings: Vec<String> = items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                if strings.len() != items.len() {
                    self.error(
                        at,
                        "a list entry is not a string",
                        "write each entry as a string",
                    );
                }
                strings
            }
            Some(_) => {
                self.error(at, "not a list", "write a list of strings");
                Vec::new()
            }
        }
    }

    /// The media types an operation exchanges: its own `key` list, else the
    /// document's, else `application/json`.
    fn media_types(&mut self, op: &Map<String, Value>, op_at: &Pointer, key: &str) -> Vec<String> {
        let own = self.strings(op.get(key), &op_at.push(key));
        if !own.is_empty() {
            return own;
        }
        match key {
            "consumes" => self.consumes.clone(),
            _ => self.produces.clone(),
        }
    }

    /// The document's `key` list of media types, or `application/json`.
    fn document_media_types(&mut self, key: &str) -> Vec<String> {
        let listed = self.strings(self.root.get(key), &Pointer::root().push(key));
        if listed.is_empty() {
            vec![DEFAULT_MEDIA.to_owned()]
        } else {
            listed
        }
    }

    // ---------------------------------------------------------------- components

    fn components(&mut self) -> Map<String, Value> {
        let mut out = Map::new();
        self.component_section("definitions", "schemas", &mut out, |cx, s, at| {
            Some(cx.schema(s, at))
        });
        self.component_section("parameters", "parameters", &mut out, |cx, p, at| {
            let object = cx.object(p, at, "parameter")?;
            let param = Param {
                written: p,
                object,
                at: at.clone(),
                written_at: at.clone(),
            };
            // Body and form parameters become part of the request body of
            // each operation that uses them.
            (!param.is_body()).then(|| cx.parameter(&param, at))
        });
        let produces = self.produces.clone();
        self.component_section("responses", "responses", &mut out, |cx, r, at| {
            Some(cx.response(r, at, &produces))
        });
        self.component_section(
            "securityDefinitions",
            "securitySchemes",
            &mut out,
            Self::security_scheme,
        );
        out
    }

    /// Converts each entry of the document's section `key` with `convert`
    /// into `components/<into>`, leaving out those it returns `None` for.
    fn component_section(
        &mut self,
        key: &str,
        into: &str,
        out: &mut Map<String, Value>,
        mut convert: impl FnMut(&mut Self, &'a Value, &Pointer) -> Option<Value>,
    ) {
        let at = Pointer::root();
        let Some(entries) = self.section(self.root, key, &at) else {
            return;
        };
        let at = at.push(key);
        let converted: Map<String, Value> = entries
            .iter()
            .filter_map(|(name, v)| Some((name.clone(), convert(self, v, &at.push(name))?)))
            .collect();
        if !converted.is_empty() {
            out.insert(into.into(), Value::Object(converted));
        }
    }

    /// A mapping under `key` of `map`, or `None` (reported when it is not a mapping).
    fn section<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        key: &str,
        at: &Pointer,
    ) -> Option<&'v Map<String, Value>> {
        match map.get(key)? {
            Value::Object(m) => Some(m),
            _ => {
                self.error(
                    &at.push(key),
                    format!("`{key}` is not a mapping"),
                    format!("`{key}` maps names to their objects"),
                );
                None
            }
        }
    }

    /// `value` as a mapping, or `None` with an error naming `what` it should be.
    fn object<'v>(
        &mut self,
        value: &'v Value,
        at: &Pointer,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(m) => Some(m),
            _ => {
                self.error(
                    at,
                    format!("a {what} must be a mapping"),
                    format!("write the {what} as an object"),
                );
                None
            }
        }
    }

    fn security_scheme(&mut self, scheme: &'a Value, at: &Pointer) -> Option<Value> {
        let s = self.object(scheme, at, "security scheme")?;
        let mut out = Map::new();
        match s.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), "http".into());
                out.insert("scheme".into(), "basic".into());
            }
            Some("apiKey") => {
                out.insert("type".into(), "apiKey".into());
                for key in ["name", "in"] {
                    match s.get(key) {
                        Some(v) => {
                            out.insert(key.into(), v.clone());
                        }
                        None => self.error(
                            at,
                            format!("an apiKey security scheme has no `{key}`"),
                            "name the header or query parameter that carries the key (`name`, `in`)",
                        ),
                    }
                }
            }
            Some("oauth2") => {
                out.insert("type".into(), "oauth2".into());
                let flows = self.oauth_flow(s, at)?;
                out.insert("flows".into(), flows);
            }
            other => {
                self.unknown(
                    &at.push("type"),
                    "security scheme type",
                    other,
                    "Swagger 2.0 security schemes are `basic`, `apiKey` or `oauth2`",
                );
                return None;
            }
        }
        if let Some(d) = s.get("description") {
            out.insert("description".into(), d.clone());
        }
        copy_extensions(s, &mut out);
        Some(Value::Object(out))
    }

    /// The OAuth 2.0 `flows` object of a Swagger `oauth2` scheme's `flow`.
    fn oauth_flow(&mut self, s: &Map<String, Value>, at: &Pointer) -> Option<Value> {
        let flow = s.get("flow").and_then(Value::as_str);
        let (name, urls): (&str, &[&str]) = match flow {
            Some("implicit") => ("implicit", &["authorizationUrl"]),
            Some("password") => ("password", &["tokenUrl"]),
            Some("application") => ("clientCredentials", &["tokenUrl"]),
            Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            other => {
                self.unknown(
                    &at.push("flow"),
                    "OAuth 2.0 flow",
                    other,
                    "Swagger 2.0 flows are `implicit`, `password`, `application` or `accessCode`",
                );
                return None;
            }
        };
        let mut out = Map::new();
        for url in urls {
            match s.get(*url) {
                Some(v @ Value::String(_)) => {
                    out.insert((*url).into(), v.clone());
                }
                _ => self.error(
                    &at.push(url),
                    format!("the `{}` flow has no `{url}`", flow.unwrap_or_default()),
                    format!("add `{url}`: the URL the flow needs"),
                ),
            }
        }
        let scopes = s.get("scopes").cloned().unwrap_or_else(|| json!({}));
        out.insert("scopes".into(), scopes);
        Some(json!({ name: Value::Object(out) }))
    }

    // ---------------------------------------------------------------- paths

    fn paths(&mut self, paths: &'a Map<String, Value>, at: &Pointer) -> Map<String, Value> {
        let mut out = Map::new();
        for (path, item) in paths {
            if path.starts_with("x-") {
                out.insert(path.clone(), item.clone());
                continue;
            }
            let item_at = at.push(path);
            if let Some(item) = self.object(item, &item_at, "path item") {
                let converted = self.path_item(item, &item_at);
                out.insert(path.clone(), Value::Object(converted));
            }
        }
        out
    }

    fn path_item(&mut self, item: &'a Map<String, Value>, at: &Pointer) -> Map<String, Value> {
        let shared = self.parameter_list(item, at);
        let mut out = Map::new();
        for (key, value) in item {
            if key == "parameters" {
                self.kept_parameters(&shared, at, &mut out);
            } else if METHODS.contains(&key.as_str()) {
                let op_at = at.push(key);
                if let Some(op) = self.object(value, &op_at, "operation") {
                    let converted = self.operation(op, &op_at, &shared);
                    out.insert(key.clone(), Value::Object(converted));
                }
            } else if key == "$ref" {
                out.insert(key.clone(), Value::String(rewrite_ref_value(value)));
            } else {
                out.insert(key.clone(), value.clone());
            }
        }
        out
    }

    /// The `parameters` of a path item or operation, each followed through
    /// its `$ref`; the ones that cannot be are reported and left out.
    fn parameter_list(&mut self, owner: &'a Map<String, Value>, at: &Pointer) -> Vec<Param<'a>> {
        let list_at = at.push("parameters");
        let items = match owner.get("parameters") {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.error(
                    &list_at,
                    "`parameters` is not a list",
                    "write a list of parameters",
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, written) in items.iter().enumerate() {
            let written_at = list_at.push(i);
            let Some(map) = self.object(written, &written_at, "parameter") else {
                continue;
            };
            let Some(reference) = map.get("$ref") else {
                out.push(Param {
                    written,
                    object: map,
                    at: written_at.clone(),
                    written_at,
                });
                continue;
            };
            if map.len() > 1 {
                self.warn(
                    &written_at,
                    "keys beside a parameter's `$ref` are left out",
                    "move them into the parameter the `$ref` points at",
                );
            }
            let target = reference
                .as_str()
                .and_then(|r| r.strip_prefix("#/parameters/"))
                .map(unescape_token);
            let found = target.as_ref().and_then(|name| {
                self.root
                    .get("parameters")
                    .and_then(|p| p.get(name))
                    .and_then(Value::as_object)
                    .map(|object| (name, object))
            });
            match found {
                Some((name, object)) => out.push(Param {
                    written,
                    object,
                    at: Pointer::root().push("parameters").push(name),
                    written_at,
                }),
                None => self.error(
                    &written_at.push("$ref"),
                    format!("`{}` points at no parameter", value_text(reference)),
                    "define it under the document's `parameters` (names are case-sensitive)",
                ),
            }
        }
        out
    }

    /// The parameters of `list` that stay parameters (not body or form
    /// fields), as `out`'s `parameters`.
    fn kept_parameters(
        &mut self,
        list: &[Param<'_>],
        owner: &Pointer,
        out: &mut Map<String, Value>,
    ) {
        let kept: Vec<Value> = list
            .iter()
            .filter(|p| !p.is_body())
            .enumerate()
            .map(|(i, p)| {
                let converted = owner.push("parameters").push(i);
                self.reshaped(&converted, &p.written_at);
                self.parameter_use(p, &converted)
            })
            .collect();
        if !kept.is_empty() {
            out.insert("parameters".into(), Value::Array(kept));
        }
    }

    /// A non-body parameter where it is used: its `$ref`, rewritten, or the
    /// converted parameter.
    fn parameter_use(&mut self, p: &Param<'_>, converted: &Pointer) -> Value {
        match p.written.get("$ref") {
            Some(r) => json!({ "$ref": rewrite_ref_value(r) }),
            None => self.parameter(p, converted),
        }
    }

    fn operation(
        &mut self,
        op: &'a Map<String, Value>,
        at: &Pointer,
        shared: &[Param<'a>],
    ) -> Map<String, Value> {
        let own = self.parameter_list(op, at);
        // The path item's parameters, unless the operation has one of the
        // same name and location.
        let inherited = shared.iter().filter(|s| {
            !own.iter()
                .any(|o| o.name() == s.name() && o.location() == s.location())
        });
        let bodies: Vec<&Param<'_>> = inherited
            .filter(|p| p.is_body())
            .chain(own.iter().filter(|p| p.is_body()))
            .collect();
        let mut out = Map::new();
        for (key, value) in op {
            match key.as_str() {
                "parameters" => self.kept_parameters(&own, at, &mut out),
                "responses" => {
                    let produces = self.media_types(op, at, "produces");
                    let responses_at = at.push(key);
                    let converted = match self.object(value, &responses_at, "responses object") {
                        Some(responses) => self.responses(responses, &responses_at, &produces),
                        None => Map::new(),
                    };
                    out.insert(key.clone(), Value::Object(converted));
                }
                "schemes" => {
                    let servers = self.servers(Some(value), at);
                    out.insert("servers".into(), servers);
                }
                "consumes" | "produces" => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(body) = self.request_body(&bodies, op, at) {
            out.insert("requestBody".into(), body);
        }
        out
    }

    // ---------------------------------------------------------------- parameters

    /// A query, header or path parameter (to be at `converted`): its value
    /// keywords move into `schema`.
    fn parameter(&mut self, p: &Param<'_>, converted: &Pointer) -> Value {
        self.reshaped(&converted.push("schema"), &p.at);
        let location = p.location();
        let mut out = Map::new();
        for (key, value) in p.object {
            let key = key.as_str();
            if VALUE_KEYS.contains(&key) || key == "collectionFormat" {
                continue;
            }
            match key {
                "in" if !matches!(location, "query" | "header" | "path") => {
                    self.error(
                        &p.at.push("in"),
                        format!("unknown parameter location {}", value_text(value)),
                        "Swagger 2.0 parameters are in `query`, `header`, `path`, `formData` or `body`",
                    );
                }
                "allowEmptyValue" if location != "query" => {}
                _ => {
                    out.insert(key.to_owned(), value.clone());
                }
            }
        }
        if !p.object.contains_key("in") {
            self.error(
                &p.at,
                "a parameter has no `in`",
                "say where the parameter goes: `in: query`",
            );
        }
        if !p.object.get("name").is_some_and(Value::is_string) {
            self.error(
                &p.at,
                "a parameter has no `name`",
                "name the parameter as it is sent",
            );
        }
        let schema = self.value_schema(p.object, &p.at, "parameter");
        if let Some(style) = self.array_style(p.object, &p.at, location) {
            out.insert("style".into(), style.style.into());
            out.insert("explode".into(), style.explode.into());
        }
        out.insert("schema".into(), Value::Object(schema));
        Value::Object(out)
    }

    /// The schema of a parameter, header or items object: its value keywords,
    /// with `items` converted the same way and `type: file` a binary string.
    fn value_schema(
        &mut self,
        object: &Map<String, Value>,
        at: &Pointer,
        what: &str,
    ) -> Map<String, Value> {
        let mut schema = Map::new();
        for key in VALUE_KEYS {
            let Some(value) = object.get(*key) else {
                continue;
            };
            if *key == "items" {
                let items_at = at.push("items");
                let items = match value {
                    Value::Object(items) => {
                        if let Some(style) = self.array_style(items, &items_at, "items") {
                            if style != CSV {
                                self.warn(
                                    &items_at.push("collectionFormat"),
                                    "the collectionFormat of an array inside an array cannot be expressed in OpenAPI 3.0; it is read as csv",
                                    "nothing to do unless the API expects another separator",
                                );
                            }
                        }
                        let mut converted = self.value_schema(items, &items_at, what);
                        copy_extensions(items, &mut converted);
                        converted
                    }
                    _ => {
                        self.error(
                            &items_at,
                            "`items` is not a mapping",
                            "describe the array's items with one object",
                        );
                        Map::new()
                    }
                };
                schema.insert("items".into(), Value::Object(items));
            } else {
                schema.insert((*key).into(), value.clone());
            }
        }
        if is_file(object) {
            if what != "formData" {
                self.error(
                    &at.push("type"),
                    format!("`type: file` is only allowed for formData parameters and responses, not in a {what}"),
                    "send files as formData parameters (with `consumes: [multipart/form-data]`)",
                );
            }
            binary_string(&mut schema);
        }
        schema
    }

    /// The OpenAPI 3.0 `style` and `explode` of an array parameter from its
    /// `collectionFormat`; `None` when it is not an array.
    fn array_style(
        &mut self,
        object: &Map<String, Value>,
        at: &Pointer,
        location: &str,
    ) -> Option<Style> {
        if object.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let format_at = at.push("collectionFormat");
        let format = object.get("collectionFormat");
        let query_like = matches!(location, "query" | "formData");
        let csv = if query_like { CSV } else { SIMPLE };
        let style = match format.and_then(Value::as_str) {
            None if format.is_some() => {
                self.warn(
                    &format_at,
                    "`collectionFormat` is not a string; it is read as csv",
                    "write one of csv, ssv, tsv, pipes, multi",
                );
                csv
            }
            None | Some("csv") => csv,
            Some(f @ ("multi" | "ssv" | "pipes")) if !query_like => {
                self.warn(
                    &format_at,
                    format!("`collectionFormat: {f}` is only allowed in query and form parameters; it is read as csv"),
                    "use csv for path and header parameters",
                );
                csv
            }
            Some("multi") => Style {
                style: "form",
                explode: true,
            },
            Some("ssv") => Style {
                style: "spaceDelimited",
                explode: false,
            },
            Some("pipes") => Style {
                style: "pipeDelimited",
                explode: false,
            },
            Some("tsv") => {
                self.warn(
                    &format_at,
                    "tab-separated values (`collectionFormat: tsv`) cannot be expressed in OpenAPI 3.0; they are read as csv",
                    "check that the API also accepts comma-separated values",
                );
                csv
            }
            Some(other) => {
                self.warn(
                    &format_at,
                    format!("unknown collectionFormat `{other}`; it is read as csv"),
                    "write one of csv, ssv, tsv, pipes, multi",
                );
                csv
            }
        };
        Some(style)
    }

    // ---------------------------------------------------------------- bodies

    /// The `requestBody` made of an operation's `body` or `formData` parameters.
    fn request_body(
        &mut self,
        params: &[&Param<'_>],
        op: &Map<String, Value>,
        at: &Pointer,
    ) -> Option<Value> {
        if params.is_empty() {
            return None;
        }
        let consumes = self.media_types(op, at, "consumes");
        let (body, form): (Vec<&Param<'_>>, Vec<&Param<'_>>) =
            params.iter().partition(|p| p.location() == "body");
        if body.len() > 1 {
            self.error(
                &body[1].written_at,
                "an operation has more than one `body` parameter",
                "describe the whole body with one body parameter",
            );
        }
        if let (Some(b), false) = (body.first(), form.is_empty()) {
            self.error(
                &b.written_at,
                "an operation has both `body` and `formData` parameters",
                "send either a body or form fields",
            );
        }
        match body.first() {
            Some(b) => self.json_body(b, &consumes, at),
            None => Some(self.form_body(&form, &consumes, at)),
        }
    }

    /// A `body` parameter as a request body, in each type of `consumes`.
    fn json_body(&mut self, p: &Param<'_>, consumes: &[String], op_at: &Pointer) -> Option<Value> {
        let Some(schema) = p.object.get("schema") else {
            self.error(
                &p.at,
                "a body parameter has no `schema`",
                "describe the body with `schema`",
            );
            return None;
        };
        let schema_at = p.at.push("schema");
        let schema = self.schema(schema, &schema_at);
        let body_at = op_at.push("requestBody");
        self.reshaped(&body_at, &p.written_at);
        let content: Map<String, Value> = consumes
            .iter()
            .map(|media| {
                self.reshaped(
                    &body_at.push("content").push(media).push("schema"),
                    &schema_at,
                );
                (media.clone(), json!({ "schema": schema }))
            })
            .collect();
        let mut out = Map::new();
        if let Some(d) = p.object.get("description") {
            out.insert("description".into(), d.clone());
        }
        out.insert("content".into(), Value::Object(content));
        if let Some(r) = p.object.get("required") {
            out.insert("required".into(), r.clone());
        }
        copy_extensions(p.object, &mut out);
        Some(Value::Object(out))
    }

    /// `formData` parameters as an object schema, sent as a form, or as
    /// multipart when `consumes` says so or a parameter is a file.
    fn form_body(&mut self, params: &[&Param<'_>], consumes: &[String], op_at: &Pointer) -> Value {
        let body_at = op_at.push("requestBody");
        let params_at = op_at.push("parameters");
        self.reshaped(&body_at, &params_at);
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        let mut has_file = false;
        for p in params {
            let name = p.name().to_owned();
            if name.is_empty() {
                self.error(
                    &p.at,
                    "a formData parameter has no `name`",
                    "name the form field",
                );
                continue;
            }
            let mut schema = self.value_schema(p.object, &p.at, "formData");
            has_file |= is_file(p.object);
            if let Some(d) = p.object.get("description") {
                schema.insert("description".into(), d.clone());
            }
            copy_extensions(p.object, &mut schema);
            if p.object.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::String(name.clone()));
            }
            if let Some(style) = self.array_style(p.object, &p.at, "formData") {
                encoding.insert(
                    name.clone(),
                    json!({ "style": style.style, "explode": style.explode }),
                );
            }
            properties.insert(name, Value::Object(schema));
        }
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required.clone()));
        }
        let mut media: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|m| media_base(m) == FORM || media_base(m) == MULTIPART)
            .collect();
        if has_file {
            media.retain(|m| media_base(m) == MULTIPART);
            if media.is_empty() {
                media.push(MULTIPART);
            }
        } else if media.is_empty() {
            media.push(FORM);
        }
        let names: Vec<(String, Pointer)> = params
            .iter()
            .map(|p| (p.name().to_owned(), p.at.clone()))
            .collect();
        let content: Map<String, Value> = media
            .iter()
            .map(|m| {
                let schema_at = body_at.push("content").push(m).push("schema");
                self.reshaped(&schema_at, &params_at);
                for (name, at) in &names {
                    self.reshaped(&schema_at.push("properties").push(name), at);
                }
                let mut mt = Map::new();
                mt.insert("schema".into(), Value::Object(schema.clone()));
                // `style` and `explode` apply to form bodies only.
                if media_base(m) == FORM && !encoding.is_empty() {
                    mt.insert("encoding".into(), Value::Object(encoding.clone()));
                }
                ((*m).to_owned(), Value::Object(mt))
            })
            .collect();
        json!({ "content": content, "required": !required.is_empty() })
    }

    // ---------------------------------------------------------------- responses

    fn responses(
        &mut self,
        responses: &Map<String, Value>,
        at: &Pointer,
        produces: &[String],
    ) -> Map<String, Value> {
        responses
            .iter()
            .map(|(status, r)| {
                let converted = if status.starts_with("x-") {
                    r.clone()
                } else {
                    self.response(r, &at.push(status), produces)
                };
                (status.clone(), converted)
            })
            .collect()
    }

    fn response(&mut self, r: &Value, at: &Pointer, produces: &[String]) -> Value {
        let Some(r) = self.object(r, at, "response") else {
            return json!({ "description": "" });
        };
        if let Some(reference) = r.get("$ref") {
            if r.len() > 1 {
                self.warn(
                    at,
                    "keys beside a response's `$ref` are left out",
                    "move them into the response the `$ref` points at",
                );
            }
            return json!({ "$ref": rewrite_ref_value(reference) });
        }
        let mut out = Map::new();
        match r.get("description") {
            Some(d) => {
                out.insert("description".into(), d.clone());
            }
            None => {
                self.warn(
                    at,
                    "a response has no `description`",
                    "describe the response",
                );
                out.insert("description".into(), "".into());
            }
        }
        if let Some(headers) = self.section(r, "headers", at) {
            let headers_at = at.push("headers");
            let converted: Map<String, Value> = headers
                .iter()
                .filter_map(|(name, h)| {
                    let h_at = headers_at.push(name);
                    let h = self.object(h, &h_at, "header")?;
                    Some((name.clone(), self.header(h, &h_at)))
                })
                .collect();
            out.insert("headers".into(), Value::Object(converted));
        }
        if let Some(schema) = r.get("schema") {
            let schema_at = at.push("schema");
            let schema = self.schema(schema, &schema_at);
            let examples = r.get("examples").and_then(Value::as_object);
            let content: Map<String, Value> = produces
                .iter()
                .map(|media| {
                    self.reshaped(&at.push("content").push(media).push("schema"), &schema_at);
                    let mut mt = Map::new();
                    mt.insert("schema".into(), schema.clone());
                    if let Some(example) = examples.and_then(|e| e.get(media)) {
                        mt.insert("example".into(), example.clone());
                    }
                    (media.clone(), Value::Object(mt))
                })
                .collect();
            out.insert("content".into(), Value::Object(content));
        }
        copy_extensions(r, &mut out);
        Value::Object(out)
    }

    fn header(&mut self, h: &Map<String, Value>, at: &Pointer) -> Value {
        self.reshaped(&at.push("schema"), at);
        let mut out = Map::new();
        if let Some(d) = h.get("description") {
            out.insert("description".into(), d.clone());
        }
        if let Some(style) = self.array_style(h, at, "header") {
            out.insert("style".into(), style.style.into());
            out.insert("explode".into(), style.explode.into());
        }
        out.insert(
            "schema".into(),
            Value::Object(self.value_schema(h, at, "header")),
        );
        copy_extensions(h, &mut out);
        Value::Object(out)
    }

    // ---------------------------------------------------------------- schemas

    /// A schema in OpenAPI 3.0 form, its nested schemas too.
    fn schema(&mut self, schema: &Value, at: &Pointer) -> Value {
        let Some(map) = self.object(schema, at, "schema") else {
            return json!({});
        };
        let mut out = Map::new();
        let mut reference = None;
        for (key, value) in map {
            let key_at = at.push(key);
            let converted = match key.as_str() {
                "$ref" => {
                    reference = Some(rewrite_ref_value(value));
                    continue;
                }
                "properties" => match value {
                    Value::Object(props) => Value::Object(
                        props
                            .iter()
                            .map(|(name, s)| (name.clone(), self.schema(s, &key_at.push(name))))
                            .collect(),
                    ),
                    _ => {
                        self.error(
                            &key_at,
                            "`properties` is not a mapping",
                            "map each property name to its schema",
                        );
                        continue;
                    }
                },
                "items" if value.is_array() => {
                    self.error(
                        &key_at,
                        "`items` lists a schema per position (a tuple), which OpenAPI 3.0 cannot express",
                        "describe every item with one schema",
                    );
                    continue;
                }
                "items" | "not" => self.schema(value, &key_at),
                "additionalProperties" if value.is_object() => self.schema(value, &key_at),
                "allOf" | "anyOf" | "oneOf" => match value {
                    Value::Array(members) => Value::Array(
                        members
                            .iter()
                            .enumerate()
                            .map(|(i, s)| self.schema(s, &key_at.push(i)))
                            .collect(),
                    ),
                    _ => {
                        self.error(
                            &key_at,
                            format!("`{key}` is not a list"),
                            "write a list of schemas",
                        );
                        continue;
                    }
                },
                "x-nullable" => {
                    if value.as_bool() == Some(true) {
                        out.insert("nullable".into(), Value::Bool(true));
                    }
                    continue;
                }
                "discriminator" => match value {
                    Value::String(name) => json!({ "propertyName": name }),
                    other => other.clone(),
                },
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        if is_file(map) {
            binary_string(&mut out);
        }
        let Some(reference) = reference else {
            return Value::Object(out);
        };
        if out.is_empty() {
            return json!({ "$ref": reference });
        }
        // Keys beside a `$ref` describe the use of the referenced schema:
        // the reference becomes the first `allOf` member.
        let mut members = vec![json!({ "$ref": reference })];
        let all_of = at.push("allOf");
        let wrapped = &mut self.origins.wrapped;
        wrapped.insert(all_of.push(0).as_str().to_owned(), at.as_str().to_owned());
        if let Some(Value::Array(existing)) = out.remove("allOf") {
            for i in 0..existing.len() {
                wrapped.insert(
                    all_of.push(i + 1).as_str().to_owned(),
                    all_of.push(i).as_str().to_owned(),
                );
            }
            members.extend(existing);
        }
        let mut wrapped = Map::new();
        wrapped.insert("allOf".into(), Value::Array(members));
        wrapped.extend(out);
        Value::Object(wrapped)
    }
}

/// `csv` in a query or form parameter.
const CSV: Style = Style {
    style: "form",
    explode: false,
};
/// `csv` in a path or header parameter.
const SIMPLE: Style = Style {
    style: "simple",
    explode: false,
};

fn is_file(object: &Map<String, Value>) -> bool {
    object.get("type").and_then(Value::as_str) == Some("file")
}

/// Makes a schema of `type: file` a binary string.
fn binary_string(schema: &mut Map<String, Value>) {
    schema.insert("type".into(), "string".into());
    schema.insert("format".into(), "binary".into());
}

/// The media type without its parameters, in lower case.
fn media_base(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn rewrite_ref_value(value: &Value) -> String {
    match value {
        Value::String(s) => rewrite_ref(s),
        other => other.to_string(),
    }
}

fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from {
        if key.starts_with("x-") && key != "x-nullable" {
            to.insert(key.clone(), value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    fn up(doc: Value) -> (Value, Vec<Diagnostic>) {
        let upgraded = upgrade("s.json", &doc);
        (upgraded.doc, upgraded.diagnostics)
    }

    /// The converted document, which must have converted without a diagnostic.
    fn clean(doc: Value) -> Value {
        let (out, found) = up(doc);
        assert!(found.is_empty(), "{found:?}");
        out
    }

    fn at<'v>(v: &'v Value, pointer: &str) -> &'v Value {
        v.pointer(pointer)
            .unwrap_or_else(|| panic!("nothing at {pointer} in {v:#}"))
    }

    /// (severity, pointer) of every diagnostic.
    fn located(found: &[Diagnostic]) -> Vec<(Severity, &str)> {
        found
            .iter()
            .map(|d| (d.severity, d.pointer.as_str()))
            .collect()
    }

    /// A document with `host` and one operation `GET /a` made of `op`.
    fn with_op(op: Value) -> Value {
        json!({ "swagger": "2.0", "host": "h", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": op}} })
    }

    #[test]
    fn host_base_path_and_schemes_become_servers_https_first() {
        let out = clean(
            json!({"host": "api.example.com", "basePath": "/v2", "schemes": ["http", "wss", "https"]}),
        );
        assert_eq!(
            at(&out, "/servers"),
            &json!([{"url": "https://api.example.com/v2"}, {"url": "http://api.example.com/v2"}, {"url": "wss://api.example.com/v2"}])
        );
        assert_eq!(at(&out, "/openapi"), "3.0.3");
        let out = clean(json!({"host": "h"}));
        assert_eq!(at(&out, "/servers"), &json!([{"url": "https://h"}]));
    }

    #[test]
    fn the_schemes_of_an_operation_become_its_servers() {
        let mut doc = with_op(json!({"schemes": ["http"], "responses": {}}));
        doc["basePath"] = json!("/v1");
        let out = clean(doc);
        assert_eq!(
            at(&out, "/paths/~1a/get/servers"),
            &json!([{"url": "http://h/v1"}])
        );
        assert_eq!(at(&out, "/servers"), &json!([{"url": "https://h/v1"}]));
        assert!(out.pointer("/paths/~1a/get/schemes").is_none());
    }

    #[test]
    fn no_host_gives_a_relative_server_and_a_warning() {
        let (out, found) = up(json!({"basePath": "/api"}));
        assert_eq!(at(&out, "/servers"), &json!([{"url": "/api"}]));
        assert_eq!(located(&found), [(Severity::Warning, "/host")]);
        let (out, _) = up(json!({}));
        assert_eq!(at(&out, "/servers"), &json!([{"url": "/"}]));
    }

    #[test]
    fn definitions_become_component_schemas_and_refs_follow() {
        let out = clean(json!({"host": "h", "definitions": {
            "A": {"type": "object", "properties": {
                "b": {"$ref": "#/definitions/B"},
                "list": {"type": "array", "items": {"$ref": "#/definitions/B"}},
                "map": {"type": "object", "additionalProperties": {"$ref": "#/definitions/B"}},
                "deep": {"$ref": "#/definitions/B/properties/x"}
            }},
            "B": {"allOf": [{"$ref": "#/definitions/A"}], "properties": {"x": {"type": "string"}}},
            "E": {"$ref": "other.json#/definitions/X"}
        }}));
        for (pointer, target) in [
            ("A/properties/b", "#/components/schemas/B"),
            ("A/properties/list/items", "#/components/schemas/B"),
            (
                "A/properties/map/additionalProperties",
                "#/components/schemas/B",
            ),
            ("A/properties/deep", "#/components/schemas/B/properties/x"),
            ("B/allOf/0", "#/components/schemas/A"),
            // References into other documents are left for the resolver to report.
            ("E", "other.json#/definitions/X"),
        ] {
            let pointer = format!("/components/schemas/{pointer}/$ref");
            assert_eq!(at(&out, &pointer), target, "{pointer}");
        }
    }

    #[test]
    fn keys_beside_a_schema_ref_are_kept_beside_an_allof_of_it() {
        let out = clean(json!({"host": "h", "definitions": {"A": {"properties": {
            "b": {"$ref": "#/definitions/B", "description": "The b.", "readOnly": true, "x-k": 1},
            "c": {"$ref": "#/definitions/B", "allOf": [{"$ref": "#/definitions/C"}]}
        }}}}));
        assert_eq!(
            at(&out, "/components/schemas/A/properties/b"),
            &json!({"allOf": [{"$ref": "#/components/schemas/B"}], "description": "The b.", "readOnly": true, "x-k": 1})
        );
        assert_eq!(
            at(&out, "/components/schemas/A/properties/c"),
            &json!({"allOf": [{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/C"}]})
        );
    }

    #[test]
    fn schema_keywords_of_swagger_become_their_openapi_3_forms() {
        let out = clean(json!({"host": "h", "definitions": {
            "Pet": {"type": "object", "discriminator": "kind", "required": ["kind"], "properties": {
                "kind": {"type": "string", "readOnly": true},
                "photo": {"type": "file", "x-keep": true},
                "nick": {"type": "string", "x-nullable": true},
                "shown": {"type": "string", "x-nullable": false}
            }}
        }}));
        let pet = at(&out, "/components/schemas/Pet");
        assert_eq!(at(pet, "/discriminator"), &json!({"propertyName": "kind"}));
        assert_eq!(
            at(pet, "/properties/kind"),
            &json!({"type": "string", "readOnly": true})
        );
        assert_eq!(
            at(pet, "/properties/photo"),
            &json!({"type": "string", "x-keep": true, "format": "binary"})
        );
        assert_eq!(
            at(pet, "/properties/nick"),
            &json!({"type": "string", "nullable": true})
        );
        assert_eq!(at(pet, "/properties/shown"), &json!({"type": "string"}));
    }

    #[test]
    fn security_definitions_become_security_schemes() {
        let out = clean(json!({"host": "h", "securityDefinitions": {
            "basic": {"type": "basic", "description": "d"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header", "x-e": 1},
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a/authorize", "scopes": {"all": "All"}},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a/token", "scopes": {}},
            "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token"},
            "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/authorize", "tokenUrl": "https://a/token", "scopes": {"r": "Read"}}
        }}));
        let s = at(&out, "/components/securitySchemes");
        assert_eq!(
            at(s, "/basic"),
            &json!({"type": "http", "scheme": "basic", "description": "d"})
        );
        assert_eq!(
            at(s, "/key"),
            &json!({"type": "apiKey", "name": "X-Key", "in": "header", "x-e": 1})
        );
        assert_eq!(
            at(s, "/implicit/flows"),
            &json!({"implicit": {"authorizationUrl": "https://a/authorize", "scopes": {"all": "All"}}})
        );
        assert_eq!(
            at(s, "/password/flows"),
            &json!({"password": {"tokenUrl": "https://a/token", "scopes": {}}})
        );
        assert_eq!(
            at(s, "/app/flows"),
            &json!({"clientCredentials": {"tokenUrl": "https://a/token", "scopes": {}}})
        );
        assert_eq!(
            at(s, "/code/flows"),
            &json!({"authorizationCode": {"authorizationUrl": "https://a/authorize", "tokenUrl": "https://a/token", "scopes": {"r": "Read"}}})
        );
    }

    #[test]
    fn security_schemes_that_cannot_be_converted_are_located() {
        let (_, found) = up(json!({"host": "h", "securityDefinitions": {
            "a": {"type": "oauth2", "flow": "device"},
            "b": {"type": "oauth2", "flow": "accessCode", "tokenUrl": "https://t"},
            "c": {"type": "mutualTLS"},
            "d": {"type": "apiKey", "in": "header"}
        }}));
        assert_eq!(
            located(&found),
            [
                (Severity::Error, "/securityDefinitions/a/flow"),
                (Severity::Error, "/securityDefinitions/b/authorizationUrl"),
                (Severity::Error, "/securityDefinitions/c/type"),
                (Severity::Error, "/securityDefinitions/d"),
            ]
        );
    }

    #[test]
    fn a_body_parameter_becomes_a_request_body_in_each_consumed_type() {
        let body = json!({"name": "b", "in": "body", "required": true, "description": "The thing.", "x-e": 1,
                          "schema": {"$ref": "#/definitions/T"}});
        let out = clean(with_op(json!({"parameters": [body], "responses": {}})));
        assert_eq!(
            at(&out, "/paths/~1a/get/requestBody"),
            &json!({"description": "The thing.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/T"}}}, "required": true, "x-e": 1})
        );
        assert!(out.pointer("/paths/~1a/get/parameters").is_none());
        // The operation's `consumes` first, then the document's.
        let mut doc = with_op(
            json!({"consumes": ["application/xml", "text/json"], "parameters": [body], "responses": {}}),
        );
        let out = clean(doc.clone());
        let content = at(&out, "/paths/~1a/get/requestBody/content")
            .as_object()
            .unwrap();
        assert_eq!(
            content.keys().collect::<Vec<_>>(),
            ["application/xml", "text/json"]
        );
        doc["consumes"] = json!(["application/vnd.x+json"]);
        doc["paths"]["/a"]["get"]
            .as_object_mut()
            .unwrap()
            .remove("consumes");
        let out = clean(doc);
        let content = at(&out, "/paths/~1a/get/requestBody/content")
            .as_object()
            .unwrap();
        assert_eq!(
            content.keys().collect::<Vec<_>>(),
            ["application/vnd.x+json"]
        );
    }

    #[test]
    fn form_data_parameters_become_a_form_body() {
        let op = json!({"parameters": [
            {"name": "grant", "in": "formData", "type": "string", "required": true, "description": "Grant."},
            {"name": "ids", "in": "formData", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"},
            {"name": "q", "in": "query", "type": "string"}
        ], "responses": {}});
        let out = clean(with_op(op));
        let body = at(&out, "/paths/~1a/get/requestBody");
        assert_eq!(at(body, "/required"), true);
        let form = at(body, "/content/application~1x-www-form-urlencoded");
        assert_eq!(
            at(form, "/schema"),
            &json!({"type": "object", "properties": {
                "grant": {"type": "string", "description": "Grant."},
                "ids": {"type": "array", "items": {"type": "integer"}}
            }, "required": ["grant"]})
        );
        assert_eq!(
            at(form, "/encoding"),
            &json!({"ids": {"style": "form", "explode": true}})
        );
        assert_eq!(at(&out, "/paths/~1a/get/parameters/0/name"), "q");
    }

    #[test]
    fn a_file_or_multipart_consumes_makes_the_form_multipart() {
        let file = json!({"parameters": [{"name": "f", "in": "formData", "type": "file"}], "responses": {}});
        let out = clean(with_op(file));
        assert_eq!(
            at(&out, "/paths/~1a/get/requestBody/content"),
            &json!({"multipart/form-data": {"schema": {"type": "object", "properties": {"f": {"type": "string", "format": "binary"}}}}})
        );
        assert_eq!(at(&out, "/paths/~1a/get/requestBody/required"), false);
        let said = json!({"consumes": ["multipart/form-data"], "parameters": [{"name": "n", "in": "formData", "type": "string"}], "responses": {}});
        let out = clean(with_op(said));
        let content = at(&out, "/paths/~1a/get/requestBody/content")
            .as_object()
            .unwrap();
        assert_eq!(content.keys().collect::<Vec<_>>(), ["multipart/form-data"]);
    }

    #[test]
    fn parameter_value_keywords_move_into_the_schema() {
        let op = json!({"parameters": [{
            "name": "n", "in": "query", "description": "d", "required": false, "allowEmptyValue": true, "x-e": 1,
            "type": "integer", "format": "int64", "minimum": 1, "maximum": 9, "exclusiveMaximum": true,
            "default": 2, "enum": [1, 2], "multipleOf": 1
        }, {
            "name": "h", "in": "header", "type": "string", "allowEmptyValue": true, "pattern": "^a$", "maxLength": 3
        }], "responses": {}});
        let out = clean(with_op(op));
        assert_eq!(
            at(&out, "/paths/~1a/get/parameters/0"),
            &json!({"name": "n", "in": "query", "description": "d", "required": false, "allowEmptyValue": true, "x-e": 1,
                    "schema": {"type": "integer", "format": "int64", "default": 2, "maximum": 9, "exclusiveMaximum": true,
                               "minimum": 1, "enum": [1, 2], "multipleOf": 1}})
        );
        // `allowEmptyValue` is for query parameters only in OpenAPI 3.0.
        assert_eq!(
            at(&out, "/paths/~1a/get/parameters/1"),
            &json!({"name": "h", "in": "header", "schema": {"type": "string", "maxLength": 3, "pattern": "^a$"}})
        );
    }

    #[test]
    fn collection_formats_become_styles() {
        let param = |name: &str, location: &str, format: Option<&str>| {
            let mut p = json!({"name": name, "in": location, "required": true, "type": "array", "items": {"type": "string"}});
            if let Some(f) = format {
                p["collectionFormat"] = json!(f);
            }
            p
        };
        let op = json!({"parameters": [
            param("a", "query", None), param("b", "query", Some("csv")), param("c", "query", Some("multi")),
            param("d", "query", Some("ssv")), param("e", "query", Some("pipes")), param("f", "path", None),
            param("g", "header", Some("csv")), param("h", "query", Some("tsv")), param("i", "header", Some("multi"))
        ], "responses": {}});
        let (out, found) = up(with_op(op));
        let styles: Vec<(&Value, &Value)> = at(&out, "/paths/~1a/get/parameters")
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (at(p, "/style"), at(p, "/explode")))
            .collect();
        let expected = [
            ("form", false),
            ("form", false),
            ("form", true),
            ("spaceDelimited", false),
            ("pipeDelimited", false),
            ("simple", false),
            ("simple", false),
            ("form", false),
            ("simple", false),
        ];
        let expected: Vec<(Value, Value)> =
            expected.iter().map(|(s, e)| (json!(s), json!(e))).collect();
        assert_eq!(
            styles,
            expected.iter().map(|(s, e)| (s, e)).collect::<Vec<_>>()
        );
        assert_eq!(
            located(&found),
            [
                (
                    Severity::Warning,
                    "/paths/~1a/get/parameters/7/collectionFormat"
                ),
                (
                    Severity::Warning,
                    "/paths/~1a/get/parameters/8/collectionFormat"
                ),
            ]
        );
        assert!(found[0].message.contains("tsv"), "{}", found[0]);
    }

    #[test]
    fn parameters_of_the_document_become_components_and_body_ones_are_used_in_place() {
        let doc = json!({"swagger": "2.0", "host": "h",
            "parameters": {
                "Limit": {"name": "limit", "in": "query", "type": "integer"},
                "Thing": {"name": "thing", "in": "body", "schema": {"$ref": "#/definitions/T"}}
            },
            "paths": {"/a": {"post": {"parameters": [{"$ref": "#/parameters/Limit"}, {"$ref": "#/parameters/Thing"}], "responses": {}}}}
        });
        let out = clean(doc);
        assert_eq!(
            at(&out, "/components/parameters"),
            &json!({"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}})
        );
        let op = at(&out, "/paths/~1a/post");
        assert_eq!(
            at(op, "/parameters"),
            &json!([{"$ref": "#/components/parameters/Limit"}])
        );
        assert_eq!(
            at(op, "/requestBody/content/application~1json/schema/$ref"),
            "#/components/schemas/T"
        );
    }

    #[test]
    fn path_item_parameters_are_kept_and_their_body_goes_to_each_operation() {
        let doc = json!({"swagger": "2.0", "host": "h", "paths": {"/a/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": true, "type": "string"},
                {"name": "b", "in": "body", "schema": {"type": "string"}}
            ],
            "put": {"responses": {}},
            "post": {"parameters": [{"name": "b", "in": "body", "schema": {"type": "integer"}}], "responses": {}}
        }}});
        let out = clean(doc);
        let item = at(&out, "/paths/~1a~1{id}");
        assert_eq!(
            at(item, "/parameters"),
            &json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
        );
        assert_eq!(
            at(
                item,
                "/put/requestBody/content/application~1json/schema/type"
            ),
            "string"
        );
        assert_eq!(
            at(
                item,
                "/post/requestBody/content/application~1json/schema/type"
            ),
            "integer"
        );
    }

    #[test]
    fn responses_carry_their_schema_in_each_produced_type() {
        let op = json!({"produces": ["application/json", "text/plain"], "responses": {
            "200": {"description": "ok", "schema": {"$ref": "#/definitions/T"}, "examples": {"text/plain": "hi"}, "x-e": 1,
                    "headers": {"X-Rate": {"type": "integer", "description": "left"},
                                "X-Tags": {"type": "array", "items": {"type": "string"}}}},
            "404": {"$ref": "#/responses/NotFound"},
            "x-note": "kept"
        }});
        let out = clean(with_op(op));
        let responses = at(&out, "/paths/~1a/get/responses");
        assert_eq!(
            at(responses, "/200"),
            &json!({"description": "ok",
                    "headers": {"X-Rate": {"description": "left", "schema": {"type": "integer"}},
                                "X-Tags": {"style": "simple", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/T"}},
                                "text/plain": {"schema": {"$ref": "#/components/schemas/T"}, "example": "hi"}},
                    "x-e": 1})
        );
        assert_eq!(
            at(responses, "/404"),
            &json!({"$ref": "#/components/responses/NotFound"})
        );
        assert_eq!(at(responses, "/x-note"), "kept");
    }

    #[test]
    fn a_file_response_is_binary_and_the_default_type_is_json() {
        let op = json!({"responses": {"200": {"description": "ok", "schema": {"type": "file"}}}});
        let out = clean(with_op(op));
        assert_eq!(
            at(&out, "/paths/~1a/get/responses/200/content"),
            &json!({"application/json": {"schema": {"type": "string", "format": "binary"}}})
        );
        let doc = json!({"host": "h", "produces": ["application/octet-stream"],
                         "responses": {"File": {"description": "f", "schema": {"type": "file"}}}});
        let out = clean(doc);
        assert_eq!(
            at(&out, "/components/responses/File/content"),
            &json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
    }

    #[test]
    fn extensions_are_kept_everywhere() {
        let doc = json!({"swagger": "2.0", "host": "h", "x-root": 1, "paths": {"x-paths": 2, "/a": {"x-item": 3, "get": {
            "x-op": 4, "operationId": "a", "tags": ["T"], "deprecated": true, "security": [{"s": []}],
            "parameters": [{"name": "q", "in": "query", "type": "string", "x-param": 5}],
            "responses": {"200": {"description": "ok", "x-resp": 6}}
        }}}});
        let out = clean(doc);
        for (pointer, value) in [
            ("/x-root", 1),
            ("/paths/x-paths", 2),
            ("/paths/~1a/x-item", 3),
            ("/paths/~1a/get/x-op", 4),
            ("/paths/~1a/get/parameters/0/x-param", 5),
            ("/paths/~1a/get/responses/200/x-resp", 6),
        ] {
            assert_eq!(at(&out, pointer), value, "{pointer}");
        }
        assert_eq!(at(&out, "/paths/~1a/get/operationId"), "a");
        assert_eq!(at(&out, "/paths/~1a/get/security"), &json!([{"s": []}]));
        assert!(out.pointer("/swagger").is_none());
    }

    #[test]
    fn pointers_into_the_converted_document_lead_back_to_the_swagger_document() {
        let doc = json!({"swagger": "2.0", "host": "h", "consumes": ["application/json"],
            "securityDefinitions": {"S": {"type": "basic"}},
            "parameters": {"L": {"name": "l", "in": "query", "type": "integer", "maximum": 9}},
            "responses": {"NF": {"description": "n", "schema": {"type": "object"}, "headers": {"X": {"type": "string"}}}},
            "definitions": {"A": {"properties": {
                "b": {"$ref": "#/definitions/B", "readOnly": true},
                "c": {"$ref": "#/definitions/B", "allOf": [{"type": "object"}]}
            }}},
            "paths": {
                "/a": {
                    "post": {"parameters": [
                        {"name": "body", "in": "body", "schema": {"type": "object"}},
                        {"name": "q", "in": "query", "type": "array", "items": {"type": "string"}}
                    ], "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}},
                    "put": {"parameters": [{"name": "g", "in": "formData", "type": "string"}], "responses": {}}
                }
            }
        });
        let upgraded = upgrade("s.json", &doc);
        for (converted, original) in [
            ("/components/schemas/A/properties/b/allOf/0/$ref", "/definitions/A/properties/b/$ref"),
            ("/components/schemas/A/properties/b/readOnly", "/definitions/A/properties/b/readOnly"),
            ("/components/schemas/A/properties/c/allOf/1/type", "/definitions/A/properties/c/allOf/0/type"),
            ("/components/parameters/L/schema/maximum", "/parameters/L/maximum"),
            ("/components/responses/NF/content/application~1json/schema/type", "/responses/NF/schema/type"),
            ("/components/responses/NF/headers/X/schema/type", "/responses/NF/headers/X/type"),
            ("/paths/~1a/post/parameters/0/schema/items", "/paths/~1a/post/parameters/1/items"),
            ("/paths/~1a/post/parameters/0/name", "/paths/~1a/post/parameters/1/name"),
            ("/paths/~1a/post/requestBody/content/application~1json/schema", "/paths/~1a/post/parameters/0/schema"),
            ("/paths/~1a/post/requestBody", "/paths/~1a/post/parameters/0"),
            ("/paths/~1a/post/responses/200/content/application~1json/schema/type", "/paths/~1a/post/responses/200/schema/type"),
            (
                "/paths/~1a/put/requestBody/content/application~1x-www-form-urlencoded/schema/properties/g/type",
                "/paths/~1a/put/parameters/0/type",
            ),
            ("/paths/~1a/post/responses/200/description", "/paths/~1a/post/responses/200/description"),
            ("/components/securitySchemes/S/scheme", "/securityDefinitions/S/scheme"),
        ] {
            assert!(upgraded.doc.pointer(converted).is_some(), "{converted}");
            assert_eq!(upgraded.origins.original(converted), original, "{converted}");
        }
    }

    #[test]
    fn every_problem_is_reported_at_its_pointer_in_the_swagger_document() {
        let doc = json!({"swagger": "2.0", "host": "h",
            "parameters": {"Bad": {"name": "x", "in": "cookie", "type": "string"}},
            "definitions": {"Tuple": {"type": "array", "items": [{"type": "string"}]}},
            "paths": {
                "/a": {"get": {"parameters": [
                    {"name": "f", "in": "query", "type": "file"},
                    {"$ref": "#/parameters/Missing"},
                    {"name": "b1", "in": "body", "schema": {}},
                    {"name": "b2", "in": "body", "schema": {}}
                ], "responses": {}}},
                "/b": {"post": {"parameters": [
                    {"name": "b", "in": "body", "schema": {}},
                    {"name": "f", "in": "formData", "type": "string"}
                ], "responses": {}}},
                "/d": {"get": {"parameters": [{"in": "query", "type": "string"}], "responses": {}}},
                "/c": []
            }
        });
        let (_, found) = up(doc);
        let mut errors: Vec<&str> = found
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.pointer.as_str())
            .collect();
        errors.sort();
        assert_eq!(
            errors,
            [
                "/definitions/Tuple/items",
                "/parameters/Bad/in",
                "/paths/~1a/get/parameters/0/type",
                "/paths/~1a/get/parameters/1/$ref",
                "/paths/~1a/get/parameters/3",
                "/paths/~1b/post/parameters/0",
                "/paths/~1c",
                "/paths/~1d/get/parameters/0",
            ]
        );
        assert!(found.iter().all(|d| d.hint.is_some() && d.file == "s.json"));
    }

    #[test]
    fn a_problem_of_the_document_is_reported_once_whatever_uses_it() {
        let body = json!({"parameters": [{"name": "b", "in": "body", "schema": {}}],
                          "responses": {"200": {"description": "ok", "schema": {}}}});
        let (_, found) = up(
            json!({"host": "h", "consumes": "application/json", "produces": [1],
                                   "paths": {"/a": {"put": body, "post": body}}}),
        );
        assert_eq!(
            located(&found),
            [
                (Severity::Error, "/consumes"),
                (Severity::Error, "/produces")
            ]
        );
    }

    #[test]
    fn a_document_of_the_wrong_shape_is_reported_not_panicked_on() {
        for doc in [
            json!({"paths": 1, "definitions": [], "parameters": "x", "responses": 2, "securityDefinitions": true}),
            json!({"paths": {"/a": {"get": {"parameters": {}, "responses": [], "consumes": "x"}}}}),
            json!({"paths": {"/a": {"get": {"parameters": [1, {"$ref": 2}], "responses": {"200": 3}}}}}),
            json!({"definitions": {"A": {"properties": [], "allOf": {}, "items": 1, "$ref": 3}}}),
        ] {
            let (_, found) = up(doc.clone());
            assert!(
                found.iter().any(|d| d.severity == Severity::Error),
                "{doc}: {found:?}"
            );
        }
    }
}
