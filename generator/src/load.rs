//! Parse: read a spec (YAML or JSON), check which OpenAPI version it claims, and
//! deserialise it into `openapiv3`'s document model.
//!
//! All YAML handling lives here, so the YAML crate can be swapped in one place.

use crate::diag::{value_text, Diagnostic, Diagnostics, Pointer};
use serde_json::Value;
use std::cell::RefCell;

/// A spec's text and the name to report it under.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file name shown in diagnostics.
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Reads a spec from disk.
    pub fn read(path: &std::path::Path) -> Result<Self, Diagnostics> {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(Source { name, text }),
                Err(e) => Err(Diagnostics(vec![Diagnostic::error(
                    &name,
                    "",
                    format!(
                        "the file is not UTF-8 text (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                )
                .with_hint("OpenAPI documents must be UTF-8 encoded YAML or JSON")])),
            },
            Err(e) => Err(Diagnostics(vec![Diagnostic::error(
                &name,
                "",
                format!("cannot read the spec: {e}"),
            )
            .with_hint("check the path given with --spec")])),
        }
    }
}

/// A parsed document: the typed model of an OpenAPI 3.0 document.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: String,
    pub openapi: openapiv3::OpenAPI,
    /// What reading the document found worth saying.
    pub warnings: Vec<Diagnostic>,
    /// For a Swagger 2.0 document, where the parts of its OpenAPI 3.0 form
    /// are in the file.
    pub origins: Option<crate::swagger2::Origins>,
}

impl Document {
    /// Where `pointer` into [`Document::openapi`] is in the file: itself,
    /// unless the file is a Swagger 2.0 document.
    pub fn original_pointer(&self, pointer: &str) -> String {
        match &self.origins {
            Some(origins) => origins.original(pointer),
            None => pointer.to_owned(),
        }
    }

    /// `diags` (found in [`Document::openapi`]) at their pointers into the
    /// file; the document's own warnings are there already.
    pub fn locate(&self, mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        if self.origins.is_some() {
            for d in diags.iter_mut() {
                if d.file == self.file && !self.warnings.contains(d) {
                    d.pointer = self.original_pointer(&d.pointer);
                }
            }
        }
        diags
    }
}

/// Parses YAML or JSON text into a JSON tree. YAML keys that are not strings
/// (e.g. an unquoted `200:` response code) become their string form.
pub fn parse_tree(source: &Source) -> Result<Value, Diagnostics> {
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let trimmed = source.text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed)
            .map_err(|e| {
                Diagnostic::error(&source.name, "", format!("invalid JSON: {e}"))
                    .at_line(e.line(), e.column())
                    .with_hint("fix the JSON syntax; a document starting with `{` is read as JSON")
            })
            .map_err(one);
    }
    let problem = RefCell::new(None);
    let seed = YamlTree {
        at: Pointer::root(),
        problem: &problem,
    };
    let read = serde_yaml::Deserializer::from_str(trimmed);
    serde::de::DeserializeSeed::deserialize(seed, read).map_err(|e| {
        let d = match problem.into_inner() {
            // The YAML is fine; what it holds is not JSON-compatible data.
            Some((pointer, message)) => Diagnostic::error(&source.name, pointer.as_str(), message)
                .with_hint("OpenAPI documents must be plain JSON-compatible data"),
            None => Diagnostic::error(&source.name, "", format!("invalid YAML: {e}"))
                .with_hint("fix the YAML syntax (indentation, quoting of `:` and `#`)"),
        };
        let d = match e.location() {
            Some(loc) => d.at_line(loc.line(), loc.column()),
            None => d,
        };
        one(d)
    })
}

/// Reads a YAML node into a JSON tree, as JSON readers do: integers beyond
/// 64 bits become floating point, keys that are numbers, booleans or null
/// become their text, tags are dropped. The first problem a node has that
/// JSON cannot hold is kept in `problem` with the node's pointer.
struct YamlTree<'a> {
    at: Pointer,
    problem: &'a RefCell<Option<(Pointer, String)>>,
}

impl YamlTree<'_> {
    fn child(&self, token: impl std::fmt::Display) -> Self {
        YamlTree {
            at: self.at.push(token),
            problem: self.problem,
        }
    }

    fn fail<E: serde::de::Error>(&self, message: String) -> E {
        self.problem
            .borrow_mut()
            .get_or_insert_with(|| (self.at.clone(), message.clone()));
        E::custom(message)
    }

    fn float<E: serde::de::Error>(&self, f: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| self.fail(format!("the number {f} cannot be represented in JSON")))
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for YamlTree<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for YamlTree<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        self.float(v as f64)
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        self.float(v as f64)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.float(v)
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child(items.len()))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key_seed(YamlKey(&self))? {
            let value = map.next_value_seed(self.child(&key))?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged node (`!tag value`): the value, without its tag.
        let (_, variant) = data.variant::<serde::de::IgnoredAny>()?;
        serde::de::VariantAccess::newtype_variant_seed(variant, self)
    }
}

/// A mapping key read as text.
struct YamlKey<'a, 'b>(&'a YamlTree<'b>);

impl<'de> serde::de::DeserializeSeed<'de> for YamlKey<'_, '_> {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for YamlKey<'_, '_> {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_none<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self
            .0
            .fail("a mapping key is itself a list or mapping".to_owned()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self
            .0
            .fail("a mapping key is itself a list or mapping".to_owned()))
    }
}

/// Parses a spec and checks that it is an OpenAPI 3.0 document.
///
/// A well-formed 3.0 document is read straight into the typed model; anything
/// else (3.1, Swagger 2.0, a syntax or shape error, YAML the typed model
/// cannot take as is) goes through a JSON tree first, which converts 3.1 and
/// places every error at its JSON pointer.
pub fn load(source: &Source) -> Result<Document, Diagnostics> {
    if let Some(openapi) = read_direct(source) {
        return Ok(Document {
            file: source.name.clone(),
            openapi,
            warnings: Vec::new(),
            origins: None,
        });
    }
    load_through_tree(source)
}

/// The typed model of an OpenAPI 3.0 document, with no tree in between:
/// on a large spec, the tree costs more time and memory than all the rest of
/// reading. `None` when the careful path has something to say.
pub fn read_direct(source: &Source) -> Option<openapiv3::OpenAPI> {
    let text = source.text.trim_start_matches('\u{feff}').trim_start();
    let doc: openapiv3::OpenAPI = if text.starts_with('{') {
        serde_json::from_str(text).ok()?
    } else if text.contains(YAML_11_BREAKS) {
        // The two YAML readers disagree on these: `serde_yaml` takes them
        // as line breaks (YAML 1.1), the streaming reader as text (1.2).
        return None;
    } else if let Some(doc) = read_parallel(text) {
        doc
    } else {
        // A streaming YAML reader: `serde_yaml` holds every event of the
        // document at once (~12 bytes of memory per byte of YAML).
        read_yaml(text)?
    };
    doc.openapi.starts_with("3.0").then_some(doc)
}

fn read_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_saphyr::from_str_with_options(text, streaming_options(text.len())).ok()
}

/// A large YAML document read on every core (see [`split`](crate::split)),
/// or `None` when it is small, cannot be cut, or a part does not read.
fn read_parallel(text: &str) -> Option<openapiv3::OpenAPI> {
    let threads = crate::parallel::threads_for(text.len());
    if threads < 2 {
        return None;
    }
    read_parts(&crate::split::cut(text, 2 * threads)?, threads)
}

/// Reads the parts of a cut document on `threads` threads and joins them;
/// `None` if a part does not read or a key is in two parts.
pub fn read_parts(parts: &crate::split::Parts<'_>, threads: usize) -> Option<openapiv3::OpenAPI> {
    use openapiv3::{OpenAPI, Paths, ReferenceOr, Schema};
    /// A part of the document, by what it reads as.
    enum Part<'a> {
        Rest(&'a str),
        Paths(&'a str),
        Schemas(&'a str),
    }
    enum Read {
        Rest(Box<OpenAPI>),
        Paths(Paths),
        Schemas(indexmap::IndexMap<String, ReferenceOr<Schema>>),
    }
    let jobs: Vec<Part<'_>> = std::iter::once(Part::Rest(&parts.rest))
        .chain(parts.paths.iter().map(|text| Part::Paths(text)))
        .chain(parts.schemas.iter().map(|text| Part::Schemas(text)))
        .collect();
    let size = |part: &Part<'_>| match part {
        Part::Rest(text) | Part::Paths(text) | Part::Schemas(text) => text.len(),
    };
    let read = |part: Part<'_>| match part {
        Part::Rest(text) => read_yaml(text).map(Read::Rest),
        Part::Paths(text) => read_yaml(text).map(Read::Paths),
        Part::Schemas(text) => read_yaml(text).map(Read::Schemas),
    };
    let read: Vec<Read> = crate::parallel::map(jobs, threads, size, read)
        .into_iter()
        .collect::<Option<_>>()?;
    let mut read = read.into_iter();
    let Some(Read::Rest(doc)) = read.next() else {
        return None;
    };
    let mut doc = *doc;
    for part in read {
        match part {
            Read::Paths(paths) => {
                for (key, item) in paths.paths {
                    if doc.paths.paths.insert(key, item).is_some() {
                        return None;
                    }
                }
                for (key, value) in paths.extensions {
                    if doc.paths.extensions.insert(key, value).is_some() {
                        return None;
                    }
                }
            }
            Read::Schemas(schemas) => {
                let into = &mut doc.components.as_mut()?.schemas;
                for (key, schema) in schemas {
                    if into.insert(key, schema).is_some() {
                        return None;
                    }
                }
            }
            Read::Rest(_) => return None,
        }
    }
    Some(doc)
}

/// The characters YAML 1.1 counts as line breaks and YAML 1.2 does not:
/// next line, line separator, paragraph separator.
const YAML_11_BREAKS: [char; 3] = ['\u{85}', '\u{2028}', '\u{2029}'];

/// Options under which the streaming reader takes a document as the careful
/// path's `serde_yaml` does (YAML 1.2 booleans, `1_000` and `0755` as strings,
/// no tags, no duplicate keys, merge keys declined),
/// with limits on nodes and events that grow with the input, and its default
/// limits on aliases (so that a small document cannot expand into a huge one).
pub fn streaming_options(len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = budget.max_events.max(len);
    budget.max_nodes = budget.max_nodes.max(len);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    // Numbers spelt with underscores or leading zeros stay strings, and
    // merge keys are left to the careful path, as `serde_yaml` reads them.
    options.underscored_numbers_as_strings = true;
    options.leading_zero_numbers_as_strings = true;
    options.merge_keys = serde_saphyr::MergeKeyPolicy::Error;
    options.reject_unsupported_tags = true;
    options.with_snippet = false;
    options
}

/// [`load`] through a JSON tree: converts Swagger 2.0 and OpenAPI 3.1 and reports errors
/// with their JSON pointers.
pub fn load_through_tree(source: &Source) -> Result<Document, Diagnostics> {
    let raw = parse_tree(source)?;
    let file = source.name.as_str();
    let fail = |d: Diagnostic| Err(Diagnostics(vec![d]));
    let Some(root) = raw.as_object() else {
        return fail(
            Diagnostic::error(file, "", "the document is not a mapping")
                .with_hint("an OpenAPI document is an object with `openapi`, `info` and `paths`"),
        );
    };
    if let Some(swagger) = root.get("swagger") {
        if swagger.as_str() != Some("2.0") {
            return fail(
                Diagnostic::error(
                    file,
                    "/swagger",
                    format!("unsupported Swagger version {}", value_text(swagger)),
                )
                .with_hint(
                    "this generator reads Swagger 2.0 (`swagger: \"2.0\"`) and OpenAPI 3.0.x",
                ),
            );
        }
        let upgraded = crate::swagger2::upgrade(file, &raw);
        let warnings = read_as(file, upgraded.diagnostics, "Swagger 2.0", "/swagger")?;
        return deserialize(file, upgraded.doc, warnings, Some(upgraded.origins));
    }
    match root.get("openapi") {
        None => {
            return fail(
                Diagnostic::error(file, "", "no `openapi` version field")
                    .with_hint("add `openapi: 3.0.3` at the top of the document"),
            )
        }
        Some(Value::String(v)) if v.starts_with("3.0") => {}
        Some(Value::String(v)) if v.starts_with("3.1") => {}
        Some(other) => {
            return fail(
                Diagnostic::error(
                    file,
                    "/openapi",
                    format!("unsupported OpenAPI version {}", value_text(other)),
                )
                .with_hint("this generator reads OpenAPI 3.0.x documents (`openapi: 3.0.3`)"),
            )
        }
    }
    let mut raw = raw;
    let mut warnings = Vec::new();
    if raw
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"))
    {
        let found = crate::openapi31::downgrade(file, &mut raw);
        warnings = read_as(file, found, "OpenAPI 3.1", "/openapi")?;
        warnings.push(
            Diagnostic::warning(file, "/openapi", "OpenAPI 3.1 is read as 3.0 (type lists with null, numeric exclusive bounds, `const` and `examples` are converted)")
                .with_hint("nothing to do unless the output surprises you"),
        );
    }
    deserialize(file, raw, warnings, None)
}

/// What converting a `what` document into OpenAPI 3.0 found: its warnings,
/// or every problem, closed by an error at `version` (the version field)
/// when one of them is an error.
fn read_as(
    file: &str,
    mut found: Vec<Diagnostic>,
    what: &str,
    version: &str,
) -> Result<Vec<Diagnostic>, Diagnostics> {
    if found
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error)
    {
        found.push(
            Diagnostic::error(
                file,
                version,
                format!("this {what} document uses what the generator cannot model (see above)"),
            )
            .with_hint(format!(
                "{what} is read when it uses what OpenAPI 3.0 can express"
            )),
        );
        return Err(Diagnostics(found));
    }
    Ok(found)
}

/// The typed model of a document in OpenAPI 3.0 form (converted from a
/// Swagger 2.0 document when there are `origins`).
fn deserialize(
    file: &str,
    raw: Value,
    warnings: Vec<Diagnostic>,
    origins: Option<crate::swagger2::Origins>,
) -> Result<Document, Diagnostics> {
    let openapi: openapiv3::OpenAPI = match serde_path_to_error::deserialize(raw) {
        Ok(doc) => doc,
        Err(e) => {
            let pointer = path_to_pointer(e.path());
            let pointer = match &origins {
                Some(origins) => origins.original(&pointer),
                None => pointer,
            };
            let message = e.inner().to_string();
            let mut all = warnings;
            all.push(
                Diagnostic::error(
                    file,
                    pointer,
                    format!("not a valid OpenAPI 3.0 document: {message}"),
                )
                .with_hint("compare this part of the document with the OpenAPI 3.0 specification"),
            );
            return Err(Diagnostics(all));
        }
    };
    Ok(Document {
        file: file.to_owned(),
        openapi,
        warnings,
        origins,
    })
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut p = Pointer::root();
    for seg in path.iter() {
        p = match seg {
            Segment::Seq { index } => p.push(index),
            Segment::Map { key } => p.push(key),
            Segment::Enum { variant } => p.push(variant),
            Segment::Unknown => p.push("?"),
        };
    }
    p.as_str().to_owned()
}

#[cfg(test)]
mod yaml_tests {
    use super::*;

    fn tree(text: &str) -> Result<Value, Diagnostics> {
        parse_tree(&Source::new("t.yaml", text))
    }

    fn problem(text: &str) -> Diagnostic {
        tree(text).expect_err("the document is refused").0.remove(0)
    }

    #[test]
    fn integers_beyond_64_bits_are_read_as_floating_point() {
        let t = tree("a: -9223372036854776000\nb: 18446744073709551616\nc: 7\n").unwrap();
        assert_eq!(t["a"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(t["b"].as_f64(), Some(18446744073709551616.0));
        assert_eq!(t["c"].as_i64(), Some(7));
    }

    #[test]
    fn keys_tags_and_nulls_become_json() {
        let t = tree("200: ok\ntrue: yes\n~: none\nx: !custom [1, 2]\n").unwrap();
        assert_eq!(t["200"], "ok");
        assert_eq!(t["true"], "yes");
        assert_eq!(t["null"], "none");
        assert_eq!(t["x"], serde_json::json!([1, 2]));
    }

    #[test]
    fn what_json_cannot_hold_is_located_and_not_blamed_on_the_syntax() {
        let d = problem("paths:\n  /x:\n    bad: .nan\n");
        assert_eq!(d.pointer, "/paths/~1x/bad");
        assert!(d.message.contains("cannot be represented in JSON"), "{d}");
        assert!(!d.message.contains("invalid YAML"), "{d}");
        let d = problem("a:\n  [1, 2]: x\n");
        assert_eq!(d.pointer, "/a");
        assert!(d.message.contains("a mapping key is itself"), "{d}");
        let d = problem("a: [1, 2\n");
        assert!(d.message.starts_with("invalid YAML"), "{d}");
        assert!(d.line_col.is_some(), "{d}");
    }
}
