//! Resolve, validate and lower: turn an `openapiv3` document into the IR.
//!
//! References are resolved here, every problem is collected (not just the
//! first), and every name is decided through [`crate::naming`].
//!
//! One file per concern: `schemas` (models and type references),
//! `operations` (groups, parameters, bodies, responses), `security`
//! (schemes and requirements) and `servers`; this one holds the lowering's
//! state, the entry point and the small rules they share.

use crate::diag::{unescape_token, Diagnostic, Diagnostics, Pointer, Severity};
use crate::ir::*;
use crate::load::Document;
use crate::naming::{self, Scope};
use crate::settings::{DocKeys, Settings};
use openapiv3 as oa;
use std::collections::{BTreeMap, BTreeSet};

mod headers;
mod operations;
mod pagination;
mod schemas;
mod security;
mod servers;

const SCHEMA_PREFIX: &str = "#/components/schemas/";
/// How many `$ref`s in a row may point at another `$ref`.
const MAX_REF_CHAIN: usize = 32;
/// The group of operations that have no tag.
const UNTAGGED: &str = "Other";
/// How deeply inline schemas may nest.
const MAX_DEPTH: usize = 64;

/// Lowers a parsed document into the IR, or reports every error found.
/// Warnings come back alongside the IR. `settings` name the extensions that
/// carry permissions and preview flags, and the rules models follow.
pub use pagination::summary as pagination_summary;

pub fn lower(doc: &Document, settings: &Settings) -> Result<(Api, Vec<Diagnostic>), Diagnostics> {
    let mut cx = Lowerer::new(doc, settings);
    let api = cx.api();
    if cx.diags.iter().any(|d| d.severity == Severity::Error) {
        Err(Diagnostics(cx.diags))
    } else {
        Ok((api, cx.diags))
    }
}

struct Lowerer<'a> {
    doc: &'a Document,
    keys: &'a DocKeys,
    /// Every field is optional, whatever the spec requires (the settings'
    /// `models.optional-fields`).
    optional_fields: bool,
    /// Lowering a multipart body's schema: binary strings are file parts.
    file_parts: bool,
    file: &'a str,
    diags: Vec<Diagnostic>,
    /// Component schema key → Rust type name.
    names: BTreeMap<String, String>,
    type_scope: Scope,
    module_scope: Scope,
    models: Vec<Model>,
    /// The declared security schemes, lowered before the operations.
    schemes: Vec<SecurityScheme>,
    /// The document's first server, for operations' own servers.
    default_base_url: String,
    /// Which operations page, and how (the settings' `[pagination]`).
    paging: &'a crate::settings::PaginationSettings,
    /// What operations' extensions say about their pages, by `operationId`.
    page_extensions: BTreeMap<String, pagination::PageExtension>,
}

/// Where an inline schema sits, to name the type made from it.
#[derive(Clone)]
struct Site {
    parent: String,
    property: String,
    pointer: Pointer,
    depth: usize,
}

impl Site {
    fn new(parent: &str, property: &str, pointer: Pointer, depth: usize) -> Site {
        Site {
            parent: parent.to_owned(),
            property: property.to_owned(),
            pointer,
            depth,
        }
    }

    /// A site one level down, e.g. the items of an array.
    fn child(&self, property: String, pointer: Pointer) -> Site {
        Site {
            parent: self.parent.clone(),
            property,
            pointer,
            depth: self.depth + 1,
        }
    }
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a Document, settings: &'a Settings) -> Self {
        Lowerer {
            doc,
            keys: &settings.docs,
            optional_fields: settings.models.optional_fields,
            file_parts: false,
            file: &doc.file,
            diags: doc.warnings.clone(),
            names: BTreeMap::new(),
            type_scope: Scope::new(),
            module_scope: Scope::with_reserved(&["mod", "models"]),
            models: Vec::new(),
            schemes: Vec::new(),
            default_base_url: String::new(),
            paging: &settings.pagination,
            page_extensions: BTreeMap::new(),
        }
    }

    /// The component schema a `#/components/schemas/…` reference names, one
    /// step: what it holds may be a reference again.
    fn component_schema(&self, reference: &str) -> Option<&'a oa::ReferenceOr<oa::Schema>> {
        let key = unescape_token(reference.strip_prefix(SCHEMA_PREFIX)?);
        self.doc.openapi.components.as_ref()?.schemas.get(&key)
    }

    fn error(&mut self, pointer: &Pointer, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.file, pointer.as_str(), message).with_hint(hint));
    }

    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(self.file, pointer.as_str(), message).with_hint(hint));
    }

    fn api(&mut self) -> Api {
        let oa = &self.doc.openapi;
        let empty = oa::Components::default();
        let components = oa.components.as_ref().unwrap_or(&empty);

        // Name every component schema first, in sorted order, so references
        // resolve whatever order the schemas are lowered in.
        let keys: BTreeSet<&String> = components.schemas.keys().collect();
        for key in keys {
            let name = self.type_scope.claim(naming::type_name(key));
            self.names.insert(key.clone(), name);
        }
        let schemas_ptr = Pointer::root().push("components").push("schemas");
        for (key, schema) in &components.schemas {
            let name = self.names[key].clone();
            self.lower_component(&name, schema, schemas_ptr.push(key));
        }

        self.schemes = self.security_schemes(components);
        let (default_base_url, servers) = self.servers();
        self.default_base_url = default_base_url.clone();
        let (mut groups, error_model) = self.operations(components);
        self.mark_boxed_fields();
        self.mark_scalar_unions();
        let mut models = std::mem::take(&mut self.models);
        models.sort_by(|a, b| a.name.cmp(&b.name));
        self.paginate(&mut groups, &models);

        Api {
            title: oa.info.title.clone(),
            version: oa.info.version.clone(),
            description: non_empty(&oa.info.description),
            default_base_url,
            servers,
            schemes: std::mem::take(&mut self.schemes),
            groups,
            models,
            error_model,
        }
    }
}

fn variants<'v>(values: impl Iterator<Item = &'v String>) -> Vec<Variant> {
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut seen = BTreeSet::new();
    values
        .filter(|v| seen.insert(v.as_str()))
        .map(|v| Variant {
            value: v.clone(),
            ident: scope.claim(naming::camel(v)),
        })
        .collect()
}

fn constraints(schema: &oa::Schema) -> Vec<String> {
    let mut out = Vec::new();
    match &schema.schema_kind {
        oa::SchemaKind::Type(oa::Type::Integer(i)) => {
            if let Some(min) = i.minimum {
                out.push(format!(
                    "Minimum: {min}{}",
                    if i.exclusive_minimum {
                        " (exclusive)"
                    } else {
                        ""
                    }
                ));
            }
            if let Some(max) = i.maximum {
                out.push(format!(
                    "Maximum: {max}{}",
                    if i.exclusive_maximum {
                        " (exclusive)"
                    } else {
                        ""
                    }
                ));
            }
        }
        oa::SchemaKind::Type(oa::Type::Number(n)) => {
            if let Some(min) = n.minimum {
                out.push(format!("Minimum: {min}"));
            }
            if let Some(max) = n.maximum {
                out.push(format!("Maximum: {max}"));
            }
        }
        oa::SchemaKind::Type(oa::Type::String(s)) => {
            match &s.format {
                oa::VariantOrUnknownOrEmpty::Item(
                    f @ (oa::StringFormat::Byte
                    | oa::StringFormat::Binary
                    | oa::StringFormat::Password),
                ) => {
                    out.push(format!("Format: {}", format!("{f:?}").to_lowercase()));
                }
                oa::VariantOrUnknownOrEmpty::Unknown(f) => out.push(format!("Format: {f}")),
                _ => {}
            }
            if let Some(min) = s.min_length {
                out.push(format!("Minimum length: {min}"));
            }
            if let Some(max) = s.max_length {
                out.push(format!("Maximum length: {max}"));
            }
            if let Some(p) = &s.pattern {
                out.push(format!("Pattern: {p}"));
            }
        }
        _ => {}
    }
    if let Some(default) = &schema.schema_data.default {
        out.push(format!("Default: {default}"));
    }
    out
}

/// The Rust integer of an integer schema ([`integer_type`] of its format
/// and bounds).
fn integer_schema_type(i: &oa::IntegerType) -> TypeRef {
    let format = match &i.format {
        oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int32) => Some("int32"),
        oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int64) => Some("int64"),
        oa::VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
        oa::VariantOrUnknownOrEmpty::Empty => None,
    };
    integer_type(
        format,
        i.minimum.map(|m| m as f64),
        i.maximum.map(|m| m as f64),
    )
}

/// The Rust float of a number schema: `f32` for `format: float`.
fn number_schema_type(n: &oa::NumberType) -> TypeRef {
    match n.format {
        oa::VariantOrUnknownOrEmpty::Item(oa::NumberFormat::Float) => TypeRef::F32,
        _ => TypeRef::F64,
    }
}

/// The type a string schema's format gives it, where one does: `date-time`
/// and `date`.
fn string_format_type(s: &oa::StringType) -> Option<TypeRef> {
    match s.format {
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::DateTime) => Some(TypeRef::DateTime),
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Date) => Some(TypeRef::Date),
        _ => None,
    }
}

/// The Rust integer for `type: integer`: what the format says, and without a
/// format (JSON Schema's unbounded integer) `i64` unless the bounds the spec
/// states both fit in `i32`.
fn integer_type(format: Option<&str>, minimum: Option<f64>, maximum: Option<f64>) -> TypeRef {
    let fits_i32 = |bound: Option<f64>| {
        bound.is_some_and(|b| (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&b))
    };
    match format {
        Some("int32" | "int16" | "int8" | "uint16" | "uint8") => TypeRef::I32,
        Some("int64" | "uint32" | "uint64") => TypeRef::I64,
        _ if fits_i32(minimum) && fits_i32(maximum) => TypeRef::I32,
        _ => TypeRef::I64,
    }
}

fn is_empty_any(any: &oa::AnySchema) -> bool {
    any.typ.is_none()
        && any.properties.is_empty()
        && any.items.is_none()
        && !composes(any)
        && any.enumeration.is_empty()
}

/// Does an untyped schema combine others (`oneOf`, `anyOf`, `allOf`, `not`)?
fn composes(any: &oa::AnySchema) -> bool {
    !any.one_of.is_empty() || !any.any_of.is_empty() || !any.all_of.is_empty() || any.not.is_some()
}

fn parse_method(m: &str) -> Option<Method> {
    Some(match m {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        "trace" => Method::Trace,
        _ => return None,
    })
}

/// A stable name for an operation without an `operationId`: method and path words.
fn synthesized_id(method: Method, path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("{}_{}", method.constant().to_lowercase(), words.join("_"))
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The object an untyped schema with properties (or `type: object` spelled
/// with other keywords) describes.
fn any_object(any: &oa::AnySchema) -> Option<oa::ObjectType> {
    let object_like = matches!(any.typ.as_deref(), None | Some("object"))
        && (!any.properties.is_empty() || any.additional_properties.is_some())
        && refinements_only(&any.one_of, &any.properties)
        && refinements_only(&any.any_of, &any.properties)
        && any.all_of.is_empty();
    object_like.then(|| oa::ObjectType {
        properties: any.properties.clone(),
        required: any.required.clone(),
        additional_properties: any.additional_properties.clone(),
        min_properties: any.min_properties,
        max_properties: any.max_properties,
    })
}

/// Are these `oneOf`/`anyOf` members rules about an object's own
/// `properties` — which are required, narrower values for them — rather
/// than types of their own (as GitHub writes "at least one of these")? The
/// object then holds every alternative; `required` in only some of them
/// leaves the fields optional. No members are no rules.
fn refinements_only(
    members: &[oa::ReferenceOr<oa::Schema>],
    properties: &indexmap::IndexMap<String, oa::ReferenceOr<Box<oa::Schema>>>,
) -> bool {
    members.iter().all(|member| {
        let Some(schema) = member.as_item() else {
            return false;
        };
        let declared = match &schema.schema_kind {
            oa::SchemaKind::Type(oa::Type::Object(obj)) => &obj.properties,
            oa::SchemaKind::Any(any)
                if matches!(any.typ.as_deref(), None | Some("object"))
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && !composes(any) =>
            {
                &any.properties
            }
            _ => return false,
        };
        declared.keys().all(|name| properties.contains_key(name))
    })
}

/// An `allOf` with `oneOf`/`anyOf` alternatives beside it that only state
/// rules ([`refinements_only`]), and nothing else: the allOf is the type.
fn all_of_with_refinements(any: &oa::AnySchema) -> bool {
    let no_properties = indexmap::IndexMap::new();
    !any.all_of.is_empty()
        && (!any.one_of.is_empty() || !any.any_of.is_empty())
        && any.typ.is_none()
        && any.properties.is_empty()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.not.is_none()
        && refinements_only(&any.one_of, &no_properties)
        && refinements_only(&any.any_of, &no_properties)
}

/// A list written with `items` but without `type: array`.
fn untyped_array(any: &oa::AnySchema) -> bool {
    matches!(any.typ.as_deref(), None | Some("array"))
        && any.items.is_some()
        && any.properties.is_empty()
        && any.additional_properties.is_none()
        && any.enumeration.is_empty()
        && !composes(any)
}

/// Is an `allOf` merged into one struct? Several members are, and a lone
/// member written in place that is an object; a lone `$ref`, string, number
/// or enum is the member's own type.
fn merges_into_struct(all_of: &[oa::ReferenceOr<oa::Schema>]) -> bool {
    match all_of {
        [] | [oa::ReferenceOr::Reference { .. }] => false,
        [oa::ReferenceOr::Item(member)] => match &member.schema_kind {
            oa::SchemaKind::Type(oa::Type::Object(_)) | oa::SchemaKind::AllOf { .. } => true,
            oa::SchemaKind::Any(any) => any_object(any).is_some(),
            _ => false,
        },
        _ => true,
    }
}

/// Does the schema allow nothing but `null` (`enum: [null]`, how Dropshot
/// writes `()`)?
fn null_only(schema: &oa::Schema) -> bool {
    fn all_none<T>(values: &[Option<T>]) -> bool {
        !values.is_empty() && values.iter().all(Option::is_none)
    }
    match &schema.schema_kind {
        oa::SchemaKind::Type(oa::Type::String(s)) => all_none(&s.enumeration),
        oa::SchemaKind::Type(oa::Type::Integer(i)) => all_none(&i.enumeration),
        oa::SchemaKind::Type(oa::Type::Number(n)) => all_none(&n.enumeration),
        oa::SchemaKind::Type(oa::Type::Boolean(b)) => all_none(&b.enumeration),
        oa::SchemaKind::Any(any) => {
            !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_null())
        }
        _ => false,
    }
}

/// How a parameter writes a list: query parameters by their `style` and
/// `explode` (exploded by default only in the `form` style); headers and
/// cookies comma-separated.
fn list_style(param: &oa::Parameter) -> ListStyle {
    let oa::Parameter::Query {
        style,
        parameter_data,
        ..
    } = param
    else {
        return ListStyle::Joined(',');
    };
    match (style, parameter_data.explode) {
        (oa::QueryStyle::Form | oa::QueryStyle::DeepObject, None | Some(true)) => {
            ListStyle::Repeated
        }
        (oa::QueryStyle::SpaceDelimited | oa::QueryStyle::PipeDelimited, Some(true)) => {
            ListStyle::Repeated
        }
        (oa::QueryStyle::Form | oa::QueryStyle::DeepObject, Some(false)) => ListStyle::Joined(','),
        (oa::QueryStyle::SpaceDelimited, _) => ListStyle::Joined(' '),
        (oa::QueryStyle::PipeDelimited, _) => ListStyle::Joined('|'),
    }
}

/// Is a title one short word (`id`, `v4`), fit to name a `oneOf` variant?
fn is_one_word(title: &str) -> bool {
    (1..=32).contains(&title.len())
        && title.starts_with(|c: char| c.is_ascii_alphabetic())
        && title
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The name of a `oneOf` variant holding a value of type `ty`.
fn union_variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Bool".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::File => "File".into(),
        TypeRef::Vec(_) => "List".into(),
        TypeRef::Map(_) => "Map".into(),
    }
}

/// A pointer from its string form (as kept in the IR).
fn pointer_from(text: &str) -> Pointer {
    text.split('/')
        .skip(1)
        .fold(Pointer::root(), |p, token| p.push(unescape_token(token)))
}

/// How a media type is encoded.
/// How a body in the media type `media` is encoded (parameters after `;`
/// ignored, case-insensitive).
pub fn media_kind(media: &str) -> MediaKind {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if m == "application/json" || m.ends_with("+json") || m == "*/*" {
        MediaKind::Json
    } else if m == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if m == "multipart/form-data" {
        MediaKind::Multipart
    } else if m.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// The variant name of a success status in a response enum.
fn success_variant_name(status: &oa::StatusCode) -> String {
    match status {
        oa::StatusCode::Code(200) => "Ok".into(),
        oa::StatusCode::Code(201) => "Created".into(),
        oa::StatusCode::Code(202) => "Accepted".into(),
        oa::StatusCode::Code(203) => "NonAuthoritative".into(),
        oa::StatusCode::Code(204) => "NoContent".into(),
        oa::StatusCode::Code(206) => "PartialContent".into(),
        oa::StatusCode::Code(code) => format!("Status{code}"),
        oa::StatusCode::Range(_) => "OtherSuccess".into(),
    }
}

/// The values of an enum written without `type` whose values are all strings.
/// The values of a `oneOf`/`anyOf` whose every member is an inline string
/// enum (how Dropshot writes an enum whose values have descriptions of
/// their own): one string enum of them all.
fn enum_of_members(members: &[oa::ReferenceOr<oa::Schema>]) -> Option<Vec<String>> {
    let mut values = Vec::new();
    for member in members {
        let oa::ReferenceOr::Item(schema) = member else {
            return None;
        };
        match &schema.schema_kind {
            oa::SchemaKind::Type(oa::Type::String(s)) if !s.enumeration.is_empty() => {
                values.extend(s.enumeration.iter().flatten().cloned());
            }
            oa::SchemaKind::Any(any) => values.extend(string_enum(any)?),
            _ => return None,
        }
    }
    (!values.is_empty()).then_some(values)
}

fn string_enum(any: &oa::AnySchema) -> Option<Vec<String>> {
    if any.enumeration.is_empty() || !matches!(any.typ.as_deref(), None | Some("string")) {
        return None;
    }
    any.enumeration
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load, Source};
    use serde_json::{json, Value};

    /// Lowers a document with these `components/schemas` and one
    /// operation, `GET /things/{id}`, that takes `params` after the path
    /// parameter `id` and answers `null`.
    fn lowered(schemas: Value, params: Value) -> (Api, Vec<Diagnostic>) {
        lowered_with(schemas, params, &Settings::default())
    }

    fn lowered_with(schemas: Value, params: Value, settings: &Settings) -> (Api, Vec<Diagnostic>) {
        let mut all = vec![
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}),
        ];
        all.extend(params.as_array().cloned().unwrap_or_default());
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://x"}],
            "paths": {"/things/{id}": {"get": {
                "operationId": "getThing",
                "parameters": all,
                "responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"enum": [null]}}}
                }}
            }}},
            "components": {"schemas": schemas}
        });
        let doc = load(&Source::new("t.json", doc.to_string())).unwrap_or_else(|d| panic!("{d}"));
        lower(&doc, settings).unwrap_or_else(|d| panic!("{d}"))
    }

    fn model<'a>(api: &'a Api, name: &str) -> &'a Model {
        let found = api.models.iter().find(|m| m.name == name);
        found.unwrap_or_else(|| panic!("no model {name}"))
    }

    fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
        match &model(api, name).kind {
            ModelKind::Struct(fields) => fields,
            other => panic!("{name} is {other:?}"),
        }
    }

    fn union<'a>(api: &'a Api, name: &str) -> &'a Union {
        match &model(api, name).kind {
            ModelKind::Union(u) => u,
            other => panic!("{name} is {other:?}"),
        }
    }

    fn params(api: &Api) -> &[Param] {
        &api.groups[0].operations[0].params[1..]
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.into())
    }

    #[test]
    fn unions_of_scalars_are_parameters_and_others_are_not() {
        let schemas = json!({
            "Name": {"type": "string", "pattern": "^[a-z]+$"},
            "NameOrId": {"oneOf": [
                {"title": "id", "allOf": [{"type": "string", "format": "uuid"}]},
                {"title": "name", "allOf": [{"$ref": "#/components/schemas/Name"}]}
            ]},
            "Either": {"oneOf": [{"type": "integer"}, {"$ref": "#/components/schemas/NameOrId"}]},
            "Mixed": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
        });
        let (api, warnings) = lowered(
            schemas,
            json!([
                {"name": "a", "in": "query", "schema": {"$ref": "#/components/schemas/Either"}},
                {"name": "b", "in": "query", "schema": {"$ref": "#/components/schemas/Mixed"}}
            ]),
        );
        let name_or_id = union(&api, "NameOrId");
        let idents: Vec<&str> = name_or_id
            .variants
            .iter()
            .map(|v| v.ident.as_str())
            .collect();
        assert_eq!(idents, ["Id", "Name"]);
        assert_eq!(name_or_id.variants[0].ty, TypeRef::String);
        assert!(name_or_id.scalar);
        assert!(union(&api, "Either").scalar);
        assert!(!union(&api, "Mixed").scalar);
        assert_eq!(params(&api)[0].ty, named("Either"));
        assert_eq!(params(&api)[1].ty, TypeRef::String);
        let messages: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(messages[0].contains("parameter `b`"), "{messages:#?}");
    }

    #[test]
    fn a_lone_all_of_member_that_is_no_object_is_the_type_itself() {
        let schemas = json!({
            "State": {"description": "Documented.", "allOf": [{"type": "string", "enum": ["on", "off"]}]},
            "Holder": {"properties": {
                "state": {"description": "Beside.", "allOf": [{"$ref": "#/components/schemas/State"}]},
                "count": {"allOf": [{"type": "integer", "format": "int64"}]}
            }}
        });
        let (api, warnings) = lowered(schemas, json!([]));
        assert!(warnings.is_empty(), "{warnings:?}");
        let state = model(&api, "State");
        assert!(
            matches!(&state.kind, ModelKind::Enum(v) if v.len() == 2),
            "{state:?}"
        );
        assert_eq!(state.description.as_deref(), Some("Documented."));
        let holder = fields(&api, "Holder");
        assert_eq!(holder[0].ty, named("State"));
        assert_eq!(holder[0].description.as_deref(), Some("Beside."));
        assert_eq!(holder[1].ty, TypeRef::I64);
    }

    #[test]
    fn rules_beside_a_type_and_lists_without_type_keep_their_types() {
        let schemas = json!({
            "Body": {
                "type": "object",
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                "anyOf": [{"required": ["a"]}, {"required": ["b"]}, {"type": "object", "maxProperties": 0}]
            },
            "Wrapper": {"properties": {
                "list": {"items": {"$ref": "#/components/schemas/Body"}},
                "runs": {"type": "array", "items": {
                    "nullable": true,
                    "allOf": [{"$ref": "#/components/schemas/Body"}],
                    "oneOf": [{}]
                }}
            }},
            "Other": {
                "type": "object",
                "properties": {"a": {"type": "string"}},
                "oneOf": [{"properties": {"c": {"type": "string"}}}]
            }
        });
        let (api, warnings) = lowered(schemas, json!([]));
        assert!(fields(&api, "Body").iter().all(|f| !f.required));
        let list_of_bodies = TypeRef::Vec(Box::new(named("Body")));
        let wrapper = fields(&api, "Wrapper");
        assert_eq!(wrapper[0].ty, list_of_bodies);
        assert_eq!(wrapper[1].ty, list_of_bodies);
        // A member with a property of its own is a type, not a rule.
        assert_eq!(model(&api, "Other").kind, ModelKind::Alias(TypeRef::Json));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn a_value_that_can_only_be_null_holds_nothing() {
        let schemas = json!({
            "Unit": {"type": "string", "enum": [null]},
            "Holder": {"properties": {"u": {"enum": [null]}}}
        });
        let (api, warnings) = lowered(schemas, json!([]));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(model(&api, "Unit").kind, ModelKind::Alias(TypeRef::Json));
        assert_eq!(fields(&api, "Holder")[0].ty, TypeRef::Json);
        assert_eq!(api.groups[0].operations[0].response, None);
    }

    #[test]
    fn array_query_parameters_read_style_and_explode() {
        let list = |name: &str, style: Value| {
            let mut p = json!({"name": name, "in": "query", "schema": {"type": "array", "items": {"type": "string"}}});
            if let (Some(p), Some(style)) = (p.as_object_mut(), style.as_object()) {
                p.extend(style.clone());
            }
            p
        };
        let (api, _) = lowered(
            json!({}),
            json!([
                list("plain", json!({})),
                list("csv", json!({"explode": false})),
                list("ssv", json!({"style": "spaceDelimited"})),
                list("pipes", json!({"style": "pipeDelimited", "explode": false})),
                list("exploded_pipes", json!({"style": "pipeDelimited", "explode": true})),
                {"name": "h", "in": "header", "schema": {"type": "array", "items": {"type": "string"}}}
            ]),
        );
        let styles: Vec<(&str, ListStyle)> = params(&api)
            .iter()
            .map(|p| (p.name.as_str(), p.list_style))
            .collect();
        assert_eq!(
            styles,
            [
                ("plain", ListStyle::Repeated),
                ("csv", ListStyle::Joined(',')),
                ("ssv", ListStyle::Joined(' ')),
                ("pipes", ListStyle::Joined('|')),
                ("exploded_pipes", ListStyle::Repeated),
                ("h", ListStyle::Joined(',')),
            ]
        );
    }

    #[test]
    fn integers_without_a_format_are_64_bits_unless_their_bounds_fit_in_32() {
        let (api, _) = lowered(
            json!({"Counts": {"type": "object", "properties": {
                "plain": {"type": "integer"},
                "int32": {"type": "integer", "format": "int32"},
                "int64": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 10},
                "bounded": {"type": "integer", "minimum": 1, "maximum": 100},
                "half_bounded": {"type": "integer", "minimum": 0},
                "too_large": {"type": "integer", "minimum": 0, "maximum": 4294967295_u64},
                "uint8": {"type": "integer", "format": "uint8"}
            }}}),
            json!([]),
        );
        let types: Vec<(&str, &TypeRef)> = fields(&api, "Counts")
            .iter()
            .map(|f| (f.name.as_str(), &f.ty))
            .collect();
        assert_eq!(
            types,
            [
                ("plain", &TypeRef::I64),
                ("int32", &TypeRef::I32),
                ("int64", &TypeRef::I64),
                ("bounded", &TypeRef::I32),
                ("half_bounded", &TypeRef::I64),
                ("too_large", &TypeRef::I64),
                ("uint8", &TypeRef::I32),
            ]
        );
    }

    #[test]
    fn null_reaches_a_field_through_a_ref_and_an_all_of() {
        let (api, _) = lowered(
            json!({
                "User": {"type": "object", "nullable": true, "properties": {"login": {"type": "string"}}},
                "Alias": {"$ref": "#/components/schemas/User"},
                "Pull": {"type": "object", "required": ["assignee"], "properties": {
                    "assignee": {"$ref": "#/components/schemas/User"},
                    "through_alias": {"$ref": "#/components/schemas/Alias"},
                    "documented": {"description": "d", "allOf": [{"$ref": "#/components/schemas/User"}]},
                    "mixed": {"allOf": [
                        {"$ref": "#/components/schemas/User"},
                        {"type": "object", "properties": {"id": {"type": "string"}}}
                    ]},
                    "plain": {"type": "string"}
                }}
            }),
            json!([]),
        );
        let nullable: Vec<(&str, bool, bool)> = fields(&api, "Pull")
            .iter()
            .map(|f| (f.name.as_str(), f.nullable, f.tri_state()))
            .collect();
        assert_eq!(
            nullable,
            [
                ("assignee", true, false),
                ("through_alias", true, true),
                ("documented", true, true),
                // Only some members allow null: the value must satisfy all.
                ("mixed", false, false),
                ("plain", false, false),
            ]
        );
    }

    #[test]
    fn optional_fields_make_every_field_optional() {
        let schemas = json!({"Pull": {"type": "object", "required": ["id", "note"], "properties": {
            "id": {"type": "string"},
            "note": {"type": "string", "nullable": true}
        }}});
        let (strict, _) = lowered(schemas.clone(), json!([]));
        assert!(fields(&strict, "Pull").iter().all(|f| f.required));
        let mut settings = Settings::default();
        settings.models.optional_fields = true;
        let (tolerant, _) = lowered_with(schemas, json!([]), &settings);
        let fields = fields(&tolerant, "Pull");
        assert!(fields.iter().all(|f| !f.required && !f.in_new()));
        // A nullable one tells `null` from absence still.
        assert!(fields[1].tri_state());
    }
}
