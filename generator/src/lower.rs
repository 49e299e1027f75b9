//! Resolve, validate and lower: turn an `openapiv3` document into the IR.
//!
//! References are resolved here, every problem is collected (not just the
//! first), and every name is decided through [`crate::naming`].

use crate::diag::{unescape_token, Diagnostic, Diagnostics, Pointer, Severity};
use crate::ir::*;
use crate::load::Document;
use crate::naming::{self, Scope};
use crate::settings::DocKeys;
use openapiv3 as oa;
use std::collections::{BTreeMap, BTreeSet};

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
/// Warnings come back alongside the IR. `keys` names the extensions that
/// carry permissions and preview flags.
pub fn lower(doc: &Document, keys: &DocKeys) -> Result<(Api, Vec<Diagnostic>), Diagnostics> {
    let mut cx = Lowerer::new(doc, keys);
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
    fn new(doc: &'a Document, keys: &'a DocKeys) -> Self {
        Lowerer {
            doc,
            keys,
            file: &doc.file,
            diags: doc.warnings.clone(),
            names: BTreeMap::new(),
            type_scope: Scope::new(),
            module_scope: Scope::with_reserved(&["mod", "models"]),
            models: Vec::new(),
            schemes: Vec::new(),
            default_base_url: String::new(),
        }
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
        let (groups, error_model) = self.operations(components);
        self.mark_boxed_fields();
        self.mark_scalar_unions();
        let mut models = std::mem::take(&mut self.models);
        models.sort_by(|a, b| a.name.cmp(&b.name));

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

    // ---------------------------------------------------------------- schemas

    fn lower_component(
        &mut self,
        name: &str,
        schema: &oa::ReferenceOr<oa::Schema>,
        pointer: Pointer,
    ) {
        let module = self.module_scope.claim(naming::module_name(name));
        let (description, kind) = match schema {
            oa::ReferenceOr::Reference { reference } => {
                let target = self.schema_ref(reference, &pointer);
                (None, ModelKind::Alias(target))
            }
            oa::ReferenceOr::Item(schema) => {
                let site = Site::new(name, "", pointer.clone(), 0);
                let kind = self.model_kind(name, schema, &site);
                (non_empty(&schema.schema_data.description), kind)
            }
        };
        self.models.push(Model {
            name: name.to_owned(),
            module,
            description,
            pointer: pointer.to_string(),
            kind,
        });
    }

    /// The shape of a named type made from `schema`.
    fn model_kind(&mut self, name: &str, schema: &oa::Schema, site: &Site) -> ModelKind {
        if null_only(schema) {
            return ModelKind::Alias(TypeRef::Json);
        }
        if let oa::SchemaKind::AllOf { all_of } = &schema.schema_kind {
            if let [oa::ReferenceOr::Item(member)] = all_of.as_slice() {
                if !merges_into_struct(all_of) {
                    // A lone string, number or enum in an allOf (how schemars
                    // puts a description beside it) is the type itself.
                    let site =
                        site.child(site.property.clone(), site.pointer.push("allOf").push(0));
                    return self.model_kind(name, member, &site);
                }
            }
        }
        if let Some(obj) = self.object_of(schema, &site.pointer, site.depth) {
            if !obj.properties.is_empty() {
                return ModelKind::Struct(self.fields(name, &obj, site));
            }
        }
        match &schema.schema_kind {
            oa::SchemaKind::Type(oa::Type::String(s)) if !s.enumeration.is_empty() => {
                ModelKind::Enum(variants(s.enumeration.iter().flatten()))
            }
            oa::SchemaKind::Any(any) if string_enum(any).is_some() => {
                ModelKind::Enum(variants(string_enum(any).unwrap_or_default().iter()))
            }
            oa::SchemaKind::OneOf { one_of: members }
            | oa::SchemaKind::AnyOf { any_of: members }
                if enum_of_members(members).is_some() =>
            {
                ModelKind::Enum(variants(
                    enum_of_members(members).unwrap_or_default().iter(),
                ))
            }
            oa::SchemaKind::OneOf { one_of: members }
            | oa::SchemaKind::AnyOf { any_of: members } => ModelKind::Union(self.union(
                name,
                members,
                schema.schema_data.discriminator.as_ref(),
                site,
            )),
            _ => {
                // Anything else is an alias of the type it describes; inline
                // parts of it are named after this type.
                let site = Site::new(name, "Item", site.pointer.clone(), site.depth);
                ModelKind::Alias(self.inline_type(schema, &site))
            }
        }
    }

    fn fields(&mut self, parent: &str, obj: &oa::ObjectType, site: &Site) -> Vec<Field> {
        // The struct keeps the fields it does not know in a member of its
        // own, with a setter of its own.
        let mut scope = Scope::with_reserved(&[naming::UNKNOWN_FIELDS, naming::UNKNOWN_FIELD]);
        let props_ptr = site.pointer.push("properties");
        for required in &obj.required {
            if !obj.properties.contains_key(required) {
                self.warn(
                    &site.pointer.push("required"),
                    format!("`{required}` is required but is not a property"),
                    "add the property or remove it from `required`",
                );
            }
        }
        let mut fields = Vec::new();
        for (prop, schema) in &obj.properties {
            let pointer = props_ptr.push(prop);
            let child = Site::new(parent, prop, pointer.clone(), site.depth + 1);
            let ty = self.type_of_boxed(schema, &child);
            let data = match schema {
                oa::ReferenceOr::Item(s) => Some(&s.schema_data),
                oa::ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                name: prop.clone(),
                ident: scope.claim(naming::snake(prop)),
                ty,
                required: obj.required.contains(prop),
                nullable: data.is_some_and(|d| d.nullable),
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                boxed: false,
                description: data.and_then(|d| non_empty(&d.description)),
                deprecated: data.is_some_and(|d| d.deprecated),
                constraints: match schema {
                    oa::ReferenceOr::Item(s) => constraints(s),
                    oa::ReferenceOr::Reference { .. } => Vec::new(),
                },
            });
        }
        fields
    }

    fn type_of_boxed(&mut self, schema: &oa::ReferenceOr<Box<oa::Schema>>, site: &Site) -> TypeRef {
        match schema {
            oa::ReferenceOr::Reference { reference } => self.schema_ref(reference, &site.pointer),
            oa::ReferenceOr::Item(s) => self.inline_type(s, site),
        }
    }

    fn type_of(&mut self, schema: &oa::ReferenceOr<oa::Schema>, site: &Site) -> TypeRef {
        match schema {
            oa::ReferenceOr::Reference { reference } => self.schema_ref(reference, &site.pointer),
            oa::ReferenceOr::Item(s) => self.inline_type(s, site),
        }
    }

    /// The type of a schema written in place; inline enums and objects become
    /// named models.
    fn inline_type(&mut self, schema: &oa::Schema, site: &Site) -> TypeRef {
        if site.depth > MAX_DEPTH {
            self.error(
                &site.pointer,
                format!("schemas nest more than {MAX_DEPTH} levels deep"),
                "move nested schemas into `components/schemas` and refer to them with `$ref`",
            );
            return TypeRef::Json;
        }
        if null_only(schema) {
            // Always `null`: nothing to hold but the value itself.
            return TypeRef::Json;
        }
        match &schema.schema_kind {
            oa::SchemaKind::AllOf { all_of } if merges_into_struct(all_of) => {
                match self.object_of(schema, &site.pointer, site.depth) {
                    Some(obj) => self.nested_struct(schema, &obj, site),
                    None => TypeRef::Json,
                }
            }
            oa::SchemaKind::Any(any) if any_object(any).is_some() => {
                let obj = any_object(any).unwrap_or_default();
                if obj.properties.is_empty() {
                    self.map_of(&obj, site)
                } else {
                    self.nested_struct(schema, &obj, site)
                }
            }
            oa::SchemaKind::Any(any) if string_enum(any).is_some() => {
                let values = string_enum(any).unwrap_or_default();
                self.nested_model(schema, site, ModelKind::Enum(variants(values.iter())))
            }
            oa::SchemaKind::Any(any) if untyped_array(any) => {
                self.array_of(any.items.as_ref(), site)
            }
            oa::SchemaKind::Any(any) if all_of_with_refinements(any) => {
                // The alternatives beside the allOf restrict nothing it holds.
                let merged = oa::Schema {
                    schema_data: schema.schema_data.clone(),
                    schema_kind: oa::SchemaKind::AllOf {
                        all_of: any.all_of.clone(),
                    },
                };
                self.inline_type(&merged, site)
            }
            oa::SchemaKind::OneOf { one_of: members }
            | oa::SchemaKind::AnyOf { any_of: members }
                if enum_of_members(members).is_some() =>
            {
                let values = enum_of_members(members).unwrap_or_default();
                self.nested_model(schema, site, ModelKind::Enum(variants(values.iter())))
            }
            oa::SchemaKind::OneOf { one_of: members }
            | oa::SchemaKind::AnyOf { any_of: members } => {
                let ty = self.nested_model(schema, site, ModelKind::Alias(TypeRef::Json));
                let TypeRef::Named(name) = &ty else { return ty };
                let union = self.union(
                    &name.clone(),
                    members,
                    schema.schema_data.discriminator.as_ref(),
                    site,
                );
                if let Some(model) = self.models.iter_mut().find(|m| &m.name == name) {
                    model.kind = ModelKind::Union(union);
                }
                ty
            }
            oa::SchemaKind::Type(t) => match t {
                oa::Type::Boolean(_) => TypeRef::Bool,
                oa::Type::Integer(i) => match i.format {
                    oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int64) => TypeRef::I64,
                    _ => TypeRef::I32,
                },
                oa::Type::Number(n) => match n.format {
                    oa::VariantOrUnknownOrEmpty::Item(oa::NumberFormat::Float) => TypeRef::F32,
                    _ => TypeRef::F64,
                },
                oa::Type::String(s) if !s.enumeration.is_empty() => self.nested_model(
                    schema,
                    site,
                    ModelKind::Enum(variants(s.enumeration.iter().flatten())),
                ),
                oa::Type::String(s) => match &s.format {
                    oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::DateTime) => {
                        TypeRef::DateTime
                    }
                    oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Date) => TypeRef::Date,
                    _ => TypeRef::String,
                },
                oa::Type::Array(a) => self.array_of(a.items.as_ref(), site),
                oa::Type::Object(obj) if !obj.properties.is_empty() => {
                    self.nested_struct(schema, obj, site)
                }
                oa::Type::Object(obj) => self.map_of(obj, site),
            },
            oa::SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                // The usual way to put a description or readOnly next to a `$ref`.
                let child = site.child(site.property.clone(), site.pointer.push("allOf").push(0));
                self.type_of(&all_of[0], &child)
            }
            oa::SchemaKind::Any(any) if is_empty_any(any) => TypeRef::Json,
            // A declared type with keywords of another (e.g. `type: boolean`
            // with string enum values): the declared type decides.
            oa::SchemaKind::Any(any) if any.properties.is_empty() && any.typ.is_some() => {
                match any.typ.as_deref() {
                    Some("boolean") => TypeRef::Bool,
                    Some("integer") if any.format.as_deref() == Some("int64") => TypeRef::I64,
                    Some("integer") => TypeRef::I32,
                    Some("number") if any.format.as_deref() == Some("float") => TypeRef::F32,
                    Some("number") => TypeRef::F64,
                    Some("string") => TypeRef::String,
                    _ => TypeRef::Json,
                }
            }
            other => {
                let what = match other {
                    oa::SchemaKind::AllOf { .. } => "allOf with several schemas",
                    oa::SchemaKind::OneOf { .. } => "oneOf",
                    oa::SchemaKind::AnyOf { .. } => "anyOf",
                    oa::SchemaKind::Not { .. } => "not",
                    _ => "a schema mixing several types",
                };
                self.warn(
                    &site.pointer,
                    format!("{what} is not modelled yet; the value is kept as untyped JSON (serde_json::Value)"),
                    "describe the value with a single `type`, or `$ref` one schema",
                );
                TypeRef::Json
            }
        }
    }

    /// A list of `items`.
    fn array_of(
        &mut self,
        items: Option<&oa::ReferenceOr<Box<oa::Schema>>>,
        site: &Site,
    ) -> TypeRef {
        let item = match items {
            Some(items) => {
                let name = format!("{}Item", naming::camel(&site.property));
                let child = site.child(name, site.pointer.push("items"));
                self.type_of_boxed(items, &child)
            }
            None => TypeRef::Json,
        };
        TypeRef::Vec(Box::new(item))
    }

    /// A struct model for an inline object.
    fn nested_struct(&mut self, schema: &oa::Schema, obj: &oa::ObjectType, site: &Site) -> TypeRef {
        let ty = self.nested_model(schema, site, ModelKind::Struct(Vec::new()));
        let TypeRef::Named(name) = &ty else { return ty };
        let fields = self.fields(&name.clone(), obj, site);
        if let Some(model) = self.models.iter_mut().find(|m| &m.name == name) {
            model.kind = ModelKind::Struct(fields);
        }
        ty
    }

    /// A map for an object without properties.
    fn map_of(&mut self, obj: &oa::ObjectType, site: &Site) -> TypeRef {
        match &obj.additional_properties {
            Some(oa::AdditionalProperties::Schema(value)) => {
                let name = format!("{}Value", naming::camel(&site.property));
                let child = site.child(name, site.pointer.push("additionalProperties"));
                TypeRef::Map(Box::new(self.type_of(value, &child)))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Json)),
        }
    }

    /// The object a schema describes: an object type, properties without
    /// `type`, or an `allOf` of objects merged into one (properties in order,
    /// `required` united). `None` (with a warning for `allOf`) otherwise.
    fn object_of(
        &mut self,
        schema: &oa::Schema,
        pointer: &Pointer,
        depth: usize,
    ) -> Option<oa::ObjectType> {
        match &schema.schema_kind {
            oa::SchemaKind::Type(oa::Type::Object(obj)) => Some(obj.clone()),
            oa::SchemaKind::Any(any) => any_object(any),
            oa::SchemaKind::AllOf { all_of } if merges_into_struct(all_of) => {
                match self.merge_all_of(all_of, pointer, depth) {
                    Ok(obj) => Some(obj),
                    Err((at, why)) => {
                        self.warn(
                            &at,
                            format!("allOf cannot be merged into one struct ({why}); the value is kept as untyped JSON"),
                            "make every allOf member an object (or a `$ref` to one)",
                        );
                        None
                    }
                }
            }
            _ => None,
        }
    }

    fn merge_all_of(
        &self,
        members: &[oa::ReferenceOr<oa::Schema>],
        pointer: &Pointer,
        depth: usize,
    ) -> Result<oa::ObjectType, (Pointer, String)> {
        if depth > MAX_DEPTH {
            return Err((
                pointer.clone(),
                format!("allOf nests more than {MAX_DEPTH} levels deep"),
            ));
        }
        let mut merged = oa::ObjectType::default();
        for (i, member) in members.iter().enumerate() {
            let at = pointer.push("allOf").push(i);
            let (schema, at) = match member {
                oa::ReferenceOr::Item(schema) => (schema, at),
                oa::ReferenceOr::Reference { reference } => {
                    let key = reference
                        .strip_prefix(SCHEMA_PREFIX)
                        .map(unescape_token)
                        .ok_or_else(|| {
                            (
                                at.clone(),
                                format!("`{reference}` is not a component schema"),
                            )
                        })?;
                    let target = self
                        .doc
                        .openapi
                        .components
                        .as_ref()
                        .and_then(|c| c.schemas.get(&key))
                        .and_then(|s| s.as_item())
                        .ok_or_else(|| (at.clone(), format!("`{reference}` cannot be resolved")))?;
                    (
                        target,
                        Pointer::root()
                            .push("components")
                            .push("schemas")
                            .push(&key),
                    )
                }
            };
            let part = match &schema.schema_kind {
                oa::SchemaKind::Type(oa::Type::Object(obj)) => obj.clone(),
                oa::SchemaKind::Any(any) => any_object(any)
                    .ok_or_else(|| (at.clone(), "a member is not an object".to_owned()))?,
                oa::SchemaKind::AllOf { all_of } => self.merge_all_of(all_of, &at, depth + 1)?,
                _ => return Err((at, "a member is not an object".to_owned())),
            };
            for (name, prop) in part.properties {
                merged.properties.insert(name, prop);
            }
            for name in part.required {
                if !merged.required.contains(&name) {
                    merged.required.push(name);
                }
            }
            if merged.additional_properties.is_none() {
                merged.additional_properties = part.additional_properties;
            }
        }
        Ok(merged)
    }

    /// The variants of a `oneOf`/`anyOf`.
    fn union(
        &mut self,
        name: &str,
        members: &[oa::ReferenceOr<oa::Schema>],
        discriminator: Option<&oa::Discriminator>,
        site: &Site,
    ) -> Union {
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let child = Site::new(
                name,
                &format!("Variant{}", i + 1),
                site.pointer.push(i),
                site.depth + 1,
            );
            let ty = self.type_of(member, &child);
            let title = member
                .as_item()
                .and_then(|m| m.schema_data.title.as_deref());
            let ident = scope.claim(match title.filter(|t| is_one_word(t)) {
                // How schemars names the members of an untagged enum.
                Some(title) => naming::camel(title),
                None => union_variant_name(&ty),
            });
            let tags = match (discriminator, member) {
                (Some(d), oa::ReferenceOr::Reference { reference }) => {
                    let key = reference.strip_prefix(SCHEMA_PREFIX).map(unescape_token);
                    let mapped: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, target)| {
                            *target == reference || key.as_deref() == Some(target.as_str())
                        })
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if mapped.is_empty() {
                        key.into_iter().collect()
                    } else {
                        mapped
                    }
                }
                (Some(_), oa::ReferenceOr::Item(_)) => {
                    self.warn(
                        &child.pointer,
                        "an inline oneOf/anyOf member cannot be selected by the discriminator",
                        "move the member into `components/schemas` and `$ref` it",
                    );
                    Vec::new()
                }
                (None, _) => Vec::new(),
            };
            variants.push(UnionVariant {
                ident,
                ty,
                tags,
                boxed: false,
            });
        }
        Union {
            discriminator: discriminator.map(|d| d.property_name.clone()),
            variants,
            // Known once every model is: see `mark_scalar_unions`.
            scalar: false,
        }
    }

    /// Adds a model for an inline schema, named from where it sits.
    fn nested_model(&mut self, schema: &oa::Schema, site: &Site, kind: ModelKind) -> TypeRef {
        let name = self
            .type_scope
            .claim(naming::nested_type_name(&site.parent, &site.property));
        let module = self.module_scope.claim(naming::module_name(&name));
        self.models.push(Model {
            name: name.clone(),
            module,
            description: non_empty(&schema.schema_data.description),
            pointer: site.pointer.to_string(),
            kind,
        });
        TypeRef::Named(name)
    }

    fn schema_ref(&mut self, reference: &str, at: &Pointer) -> TypeRef {
        let at = at.push("$ref");
        if let Some(key) = reference.strip_prefix(SCHEMA_PREFIX) {
            let key = unescape_token(key);
            if let Some(name) = self.names.get(&key) {
                return TypeRef::Named(name.clone());
            }
            self.error(
                &at,
                format!("`{reference}` points at no schema"),
                "define it under `components/schemas` or fix the name (names are case-sensitive)",
            );
        } else if !reference.starts_with('#') {
            self.error(
                &at,
                format!("`{reference}` refers to another document"),
                "external references are not followed; bundle the spec into one file (e.g. `npx @redocly/cli bundle`)",
            );
        } else {
            self.error(
                &at,
                format!("`{reference}` does not point at a schema under `#/components/schemas/`"),
                "move the schema into `components/schemas` and refer to it there",
            );
        }
        TypeRef::Json
    }

    /// Puts a `Box` around fields whose type contains the struct itself
    /// without a `Vec` or map in between.
    fn mark_boxed_fields(&mut self) {
        let direct: BTreeMap<String, Vec<String>> = self
            .models
            .iter()
            .map(|m| {
                let refs = match &m.kind {
                    ModelKind::Struct(fields) => fields
                        .iter()
                        .filter_map(|f| match &f.ty {
                            TypeRef::Named(n) => Some(n.clone()),
                            _ => None,
                        })
                        .collect(),
                    ModelKind::Alias(TypeRef::Named(n)) => vec![n.clone()],
                    ModelKind::Union(u) => u
                        .variants
                        .iter()
                        .filter_map(|v| match &v.ty {
                            TypeRef::Named(n) => Some(n.clone()),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                (m.name.clone(), refs)
            })
            .collect();
        let reaches = |from: &str, to: &str| -> bool {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from.to_owned()];
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if seen.insert(n.clone()) {
                    stack.extend(direct.get(&n).into_iter().flatten().cloned());
                }
            }
            false
        };
        for model in &mut self.models {
            match &mut model.kind {
                ModelKind::Struct(fields) => {
                    for field in fields {
                        if let TypeRef::Named(n) = &field.ty {
                            field.boxed = reaches(n, &model.name);
                        }
                    }
                }
                ModelKind::Union(union) => {
                    for variant in &mut union.variants {
                        if let TypeRef::Named(n) = &variant.ty {
                            variant.boxed = reaches(n, &model.name);
                        }
                    }
                }
                _ => {}
            }
        }
        // A type alias that leads back to itself names no type at all.
        let aliases: Vec<(String, String, String)> = self
            .models
            .iter()
            .filter_map(|m| match &m.kind {
                ModelKind::Alias(TypeRef::Named(n)) => {
                    Some((m.name.clone(), n.clone(), m.pointer.clone()))
                }
                _ => None,
            })
            .collect();
        for (name, target, pointer) in aliases {
            let mut seen = BTreeSet::from([name.clone()]);
            let mut next = Some(target);
            while let Some(current) = next.take() {
                if !seen.insert(current.clone()) {
                    if current == name {
                        self.warn(
                            &pointer_from(&pointer),
                            format!("`{name}` is defined only by references that lead back to itself; it is kept as untyped JSON"),
                            "give one schema of the cycle a real type",
                        );
                        if let Some(m) = self.models.iter_mut().find(|m| m.name == name) {
                            m.kind = ModelKind::Alias(TypeRef::Json);
                        }
                    }
                    break;
                }
                next = self
                    .models
                    .iter()
                    .find(|m| m.name == current)
                    .and_then(|m| match &m.kind {
                        ModelKind::Alias(TypeRef::Named(n)) => Some(n.clone()),
                        _ => None,
                    });
            }
        }
    }

    // ------------------------------------------------------------- operations

    fn operations(&mut self, components: &oa::Components) -> (Vec<Group>, Option<String>) {
        let oa = &self.doc.openapi;
        let mut by_tag: BTreeMap<String, Vec<(Operation, String)>> = BTreeMap::new();
        let mut error_models: BTreeMap<String, usize> = BTreeMap::new();
        let mut seen_ids: BTreeMap<String, Pointer> = BTreeMap::new();
        let paths_ptr = Pointer::root().push("paths");
        for (path, item) in oa.paths.iter() {
            let path_ptr = paths_ptr.push(path);
            let item = match item {
                oa::ReferenceOr::Item(item) => item,
                oa::ReferenceOr::Reference { reference } => {
                    self.error(
                        &path_ptr.push("$ref"),
                        format!("path item reference `{reference}` is not supported"),
                        "write the path item in place",
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let op_ptr = path_ptr.push(method);
                let Some(method) = parse_method(method) else {
                    continue;
                };
                let id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => {
                        let id = synthesized_id(method, path);
                        self.warn(
                            &op_ptr,
                            format!("operation has no operationId; it is named `{id}`"),
                            "add an `operationId` so the method name stays stable",
                        );
                        id
                    }
                };
                if let Some(first) = seen_ids.get(&id) {
                    let first = first.to_string();
                    self.error(
                        &op_ptr.push("operationId"),
                        format!("operationId `{id}` is used twice (first at #{first})"),
                        "operationIds must be unique in a document",
                    );
                    continue;
                }
                seen_ids.insert(id.clone(), op_ptr.clone());
                let tag = op
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| UNTAGGED.to_owned());
                if let Some(op) = self.operation(
                    components,
                    &id,
                    method,
                    path,
                    item,
                    op,
                    &path_ptr,
                    &op_ptr,
                    &mut error_models,
                ) {
                    by_tag.entry(tag).or_default().push((op, id));
                }
            }
        }

        // The error model is the one most error responses carry.
        let error_model = error_models
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(name, _)| name);

        let mut group_scope = Scope::with_reserved(&["Client", "Error", "ApiError", "Config"]);
        // Modules double as `Client` methods: keep clear of its own.
        let mut module_scope = Scope::with_reserved(&[
            "client", "error", "models", "apis", "mod", "new", "builder", "base_url", "request",
            "default", "clone", "fmt",
        ]);
        let mut groups = Vec::new();
        for (tag, mut ops) in by_tag {
            ops.sort_by(|a, b| a.1.cmp(&b.1));
            let type_name = group_scope.claim(format!("{}Api", naming::camel(&tag)));
            let module = module_scope.claim(naming::snake(&tag));
            // Method and builder names must be distinct within the group.
            let mut fn_scope = Scope::with_reserved(&["new", "client"]);
            let mut builder_scope = Scope::with_reserved(&[type_name.as_str(), "Client", "Error"]);
            let operations = ops
                .into_iter()
                .map(|(mut op, _)| {
                    op.fn_name = fn_scope.claim(op.fn_name);
                    op.builder_name = builder_scope.claim(op.builder_name);
                    op
                })
                .collect();
            let description = oa
                .tags
                .iter()
                .find(|t| t.name == tag)
                .and_then(|t| non_empty(&t.description));
            groups.push(Group {
                tag,
                description,
                type_name,
                module,
                operations,
            });
        }
        (groups, error_model)
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        components: &oa::Components,
        id: &str,
        method: Method,
        path: &str,
        item: &oa::PathItem,
        op: &oa::Operation,
        path_ptr: &Pointer,
        op_ptr: &Pointer,
        error_models: &mut BTreeMap<String, usize>,
    ) -> Option<Operation> {
        let builder_name = naming::type_name(id);
        let errors_before = self.error_count();

        // Path-level parameters, overridden by the operation's own.
        let mut raw_params: Vec<(oa::ParameterData, ParamLocation, ListStyle, Pointer)> =
            Vec::new();
        let sources = [
            (&item.parameters, path_ptr.push("parameters")),
            (&op.parameters, op_ptr.push("parameters")),
        ];
        for (list, list_ptr) in sources {
            for (i, p) in list.iter().enumerate() {
                let ptr = list_ptr.push(i);
                let Some(param) = self.resolve_param(components, p, &ptr) else {
                    continue;
                };
                let location = match &param {
                    oa::Parameter::Path { .. } => ParamLocation::Path,
                    oa::Parameter::Query { .. } => ParamLocation::Query,
                    oa::Parameter::Header { .. } => ParamLocation::Header,
                    oa::Parameter::Cookie { .. } => ParamLocation::Cookie,
                };
                let style = list_style(&param);
                let data = param.parameter_data();
                raw_params.retain(|(d, l, ..)| !(d.name == data.name && *l == location));
                raw_params.push((data, location, style, ptr));
            }
        }

        // The builder's own fields and methods.
        let mut ident_scope = Scope::with_reserved(&[
            "client",
            "options",
            "header",
            "cookie",
            "send",
            "into_future",
            "body",
        ]);
        let mut params = Vec::new();
        for (data, location, list_style, ptr) in &raw_params {
            let ty = match &data.format {
                oa::ParameterSchemaOrContent::Schema(schema) => {
                    let site = Site::new(&builder_name, &data.name, ptr.push("schema"), 1);
                    self.type_of(schema, &site)
                }
                oa::ParameterSchemaOrContent::Content(_) => {
                    self.error(
                        &ptr.push("content"),
                        format!(
                            "parameter `{}` is described with `content`, which is not supported",
                            data.name
                        ),
                        "describe the parameter with `schema` instead",
                    );
                    continue;
                }
            };
            let ok_type = match (&ty, location) {
                (
                    TypeRef::Vec(inner),
                    ParamLocation::Query | ParamLocation::Header | ParamLocation::Cookie,
                ) => self.is_scalar(inner),
                (ty, _) => self.is_scalar(ty),
            };
            let ty = if ok_type {
                ty
            } else {
                let (ty, taken_as) = match (ty, location) {
                    (
                        TypeRef::Vec(_),
                        ParamLocation::Query | ParamLocation::Header | ParamLocation::Cookie,
                    ) => (TypeRef::Vec(Box::new(TypeRef::String)), "a list of strings"),
                    _ => (TypeRef::String, "a string"),
                };
                self.warn(
                    &ptr.push("schema"),
                    format!("parameter `{}` has a type that cannot be written into a URL or header; it is taken as {taken_as}", data.name),
                    "use a string, number, boolean, enum or a oneOf of them (or, outside the path, an array of them)",
                );
                ty
            };
            let required = data.required || *location == ParamLocation::Path;
            if *location == ParamLocation::Path && !data.required {
                self.warn(
                    &ptr.push("required"),
                    format!(
                        "path parameter `{}` must be required; it is treated as required",
                        data.name
                    ),
                    "add `required: true`",
                );
            }
            params.push(Param {
                name: data.name.clone(),
                ident: ident_scope.claim(naming::snake(&data.name)),
                location: *location,
                required,
                ty,
                list_style: *list_style,
                description: non_empty(&data.description),
                deprecated: data.deprecated.unwrap_or(false),
            });
        }

        // A path parameter the path does not use cannot be sent anywhere.
        let mut unused = Vec::new();
        params.retain(|p| {
            let keep =
                p.location != ParamLocation::Path || path.contains(&format!("{{{}}}", p.name));
            if !keep {
                unused.push(p.name.clone());
            }
            keep
        });
        for name in unused {
            self.warn(
                &op_ptr.push("parameters"),
                format!(
                    "path parameter `{name}` does not appear in the path `{path}`; it is left out"
                ),
                format!("put it in the path as `{{{name}}}` or remove it"),
            );
        }
        let path_parts = self.path_parts(path, &params, op_ptr);

        let body = op.request_body.as_ref().and_then(|rb| {
            let ptr = op_ptr.push("requestBody");
            let rb = self.resolve_body(components, rb, &ptr)?;
            let (media, kind, schema) =
                self.pick_media(&rb.content, &ptr.push("content"), "request body")?;
            let site = Site::new(
                &builder_name,
                "Body",
                ptr.push("content").push(media).push("schema"),
                1,
            );
            let ty = self.body_type(kind, schema, &site);
            if kind == MediaKind::Form && !self.is_struct(&ty) {
                self.error(
                    &site.pointer,
                    "a form body must be an object",
                    "describe `application/x-www-form-urlencoded` bodies with an object schema",
                );
            }
            Some(Body {
                ident: "body".to_owned(),
                required: rb.required,
                ty,
                media_type: media.to_owned(),
                kind,
                description: non_empty(&rb.description),
            })
        });

        let responses_ptr = op_ptr.push("responses");
        let mut successes: Vec<ResponseVariant> = Vec::new();
        let mut errors = Vec::new();
        for (status, resp) in &op.responses.responses {
            let ptr = responses_ptr.push(status);
            let Some(resp) = self.resolve_response(components, resp, &ptr) else {
                continue;
            };
            let code = match status {
                oa::StatusCode::Code(c) => *c,
                oa::StatusCode::Range(r) => r * 100,
            };
            let is_success = (200..300).contains(&code);
            let (ty, kind) = if resp.content.is_empty() {
                (None, MediaKind::Json)
            } else {
                let what = if is_success {
                    "response"
                } else {
                    "error response"
                };
                match self.pick_media(&resp.content, &ptr.push("content"), what) {
                    // A body that can only be `null` carries nothing.
                    Some((_, MediaKind::Json, Some(schema))) if self.null_body(schema) => {
                        (None, MediaKind::Json)
                    }
                    Some((media, kind, schema)) => {
                        let property = if is_success {
                            "Response".to_owned()
                        } else {
                            format!("Error{status}")
                        };
                        let site = Site::new(
                            &builder_name,
                            &property,
                            ptr.push("content").push(media).push("schema"),
                            1,
                        );
                        (Some(self.body_type(kind, schema, &site)), kind)
                    }
                    None => (None, MediaKind::Json),
                }
            };
            if is_success {
                successes.push(ResponseVariant {
                    status: status.to_string(),
                    ident: success_variant_name(status),
                    ty,
                    kind,
                    description: resp.description.trim().to_owned(),
                });
            } else if code >= 400 {
                if let (Some(TypeRef::Named(name)), MediaKind::Json) = (&ty, kind) {
                    *error_models.entry(name.clone()).or_default() += 1;
                }
                errors.push(ErrorResponse {
                    status: status.to_string(),
                    description: resp.description.trim().to_owned(),
                    ty: if kind == MediaKind::Json { ty } else { None },
                });
            }
        }
        // One success body type: the operation returns it. Several: an enum by status.
        let (response, response_kind, responses) = match successes.as_slice() {
            [] => (None, MediaKind::Json, None),
            [first, rest @ ..]
                if rest
                    .iter()
                    .all(|r| r.ty == first.ty && r.kind == first.kind) =>
            {
                (first.ty.clone(), first.kind, None)
            }
            [first, ..] => {
                let (ty, kind) = (first.ty.clone(), first.kind);
                let mut scope = Scope::with_reserved(&["Other"]);
                for v in &mut successes {
                    v.ident = scope.claim(std::mem::take(&mut v.ident));
                }
                let name = naming::type_name(&format!("{id}_Response"));
                (
                    ty,
                    kind,
                    Some(ResponseEnum {
                        name,
                        variants: successes,
                    }),
                )
            }
        };

        let extension = |key: &Option<String>| key.as_ref().and_then(|k| op.extensions.get(k));
        let preview = extension(&self.keys.preview) == Some(&serde_json::Value::Bool(true));
        let permissions = extension(&self.keys.permissions).and_then(|v| {
            let kind = v
                .get("type")
                .and_then(|t| t.as_str())
                .unwrap_or("ANY")
                .to_owned();
            let names: Vec<String> = v
                .get("permissions")
                .and_then(|p| p.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (!names.is_empty()).then_some(Permissions { kind, names })
        });
        let mut scopes: Vec<String> = Vec::new();
        for req in op
            .security
            .as_ref()
            .or(self.doc.openapi.security.as_ref())
            .into_iter()
            .flatten()
        {
            for s in req.values().flatten() {
                if !scopes.contains(s) {
                    scopes.push(s.clone());
                }
            }
        }

        let schemes = std::mem::take(&mut self.schemes);
        let security = self.operation_security(&schemes, op, op_ptr);
        self.schemes = schemes;
        let document = self.default_base_url.clone();
        let server = self.operation_server(item, op, path_ptr, op_ptr, &document);

        if self.error_count() > errors_before {
            return None;
        }
        Some(Operation {
            id: id.to_owned(),
            fn_name: naming::snake(id),
            builder_name,
            tags: op.tags.clone(),
            method,
            path: path.to_owned(),
            path_parts,
            summary: non_empty(&op.summary),
            description: non_empty(&op.description),
            deprecated: op.deprecated,
            preview,
            permissions,
            scopes,
            security,
            server,
            params,
            body,
            response,
            response_kind,
            responses,
            errors,
        })
    }

    fn error_count(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Splits a path template into literal text and parameters.
    fn path_parts(&mut self, path: &str, params: &[Param], op_ptr: &Pointer) -> Vec<PathPart> {
        let mut parts = Vec::new();
        let mut used = BTreeSet::new();
        let mut rest = path;
        if !path.starts_with('/') {
            self.error(
                op_ptr,
                format!("path `{path}` does not start with `/`"),
                "paths are written `/things/{id}`",
            );
        }
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                self.error(
                    op_ptr,
                    format!("path `{path}` has an unclosed `{{`"),
                    "close the parameter with `}`",
                );
                return parts;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..open + close];
            match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.name == name)
            {
                Some(i) => {
                    used.insert(i);
                    parts.push(PathPart::Param(i));
                }
                None => self.error(
                    op_ptr,
                    format!("path `{path}` uses `{{{name}}}` but the operation declares no such path parameter"),
                    format!("add a parameter `{name}` with `in: path` and `required: true`"),
                ),
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for (i, p) in params.iter().enumerate() {
            if p.location == ParamLocation::Path && !used.contains(&i) {
                self.error(
                    &op_ptr.push("parameters"),
                    format!(
                        "path parameter `{}` cannot be placed in the path `{path}`",
                        p.name
                    ),
                    "write the path as `/things/{name}`, one pair of braces per parameter",
                );
            }
        }
        parts
    }

    /// The media type a body is exchanged in — JSON first, then a form,
    /// then text, then anything else as bytes — how it is encoded, and its schema.
    fn pick_media<'c>(
        &mut self,
        content: &'c indexmap::IndexMap<String, oa::MediaType>,
        _ptr: &Pointer,
        _what: &str,
    ) -> Option<(&'c str, MediaKind, Option<&'c oa::ReferenceOr<oa::Schema>>)> {
        let rank = |media: &str| match media_kind(media) {
            MediaKind::Json => 0,
            MediaKind::Form => 1,
            MediaKind::Text => 2,
            MediaKind::Binary => 3,
        };
        content
            .iter()
            .min_by_key(|(media, _)| rank(media))
            .map(|(media, mt)| (media.as_str(), media_kind(media), mt.schema.as_ref()))
    }

    /// The Rust type of a body in a given encoding.
    fn body_type(
        &mut self,
        kind: MediaKind,
        schema: Option<&oa::ReferenceOr<oa::Schema>>,
        site: &Site,
    ) -> TypeRef {
        match (kind, schema) {
            (MediaKind::Text, _) => TypeRef::String,
            (MediaKind::Binary, _) => TypeRef::Bytes,
            (_, Some(schema)) => self.type_of(schema, site),
            (_, None) => TypeRef::Json,
        }
    }

    /// Does a body's schema, or the component schema it refers to, allow
    /// nothing but `null`?
    fn null_body(&self, schema: &oa::ReferenceOr<oa::Schema>) -> bool {
        let schema = match schema {
            oa::ReferenceOr::Item(s) => Some(s),
            oa::ReferenceOr::Reference { reference } => reference
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|key| {
                    let components = self.doc.openapi.components.as_ref()?;
                    components.schemas.get(&unescape_token(key))
                })
                .and_then(|s| s.as_item()),
        };
        schema.is_some_and(null_only)
    }

    /// Is this a struct model (directly or through aliases)?
    fn is_struct(&self, ty: &TypeRef) -> bool {
        let mut current = ty.clone();
        for _ in 0..MAX_REF_CHAIN {
            let TypeRef::Named(name) = &current else {
                return false;
            };
            match self
                .models
                .iter()
                .find(|m| &m.name == name)
                .map(|m| &m.kind)
            {
                Some(ModelKind::Struct(_)) => return true,
                Some(ModelKind::Alias(next)) => current = next.clone(),
                _ => return false,
            }
        }
        false
    }

    /// Can values of this type be written into a URL, header or cookie?
    /// Strings, numbers, booleans, dates, string enums, and unions of them.
    fn is_scalar(&self, ty: &TypeRef) -> bool {
        self.scalar_on_path(ty, &mut Vec::new())
    }

    /// [`Self::is_scalar`], through the models named on `path` so far: a
    /// model that contains itself is not a scalar.
    fn scalar_on_path<'m>(&'m self, ty: &TypeRef, path: &mut Vec<&'m str>) -> bool {
        let TypeRef::Named(name) = ty else {
            return ty.is_scalar();
        };
        let Some(model) = self.models.iter().find(|m| &m.name == name) else {
            return false;
        };
        if path.contains(&model.name.as_str()) || path.len() > MAX_REF_CHAIN {
            return false;
        }
        path.push(&model.name);
        let scalar = match &model.kind {
            ModelKind::Enum(_) => true,
            ModelKind::Alias(next) => self.scalar_on_path(next, path),
            ModelKind::Union(u) => {
                !u.variants.is_empty()
                    && u.variants.iter().all(|v| self.scalar_on_path(&v.ty, path))
            }
            ModelKind::Struct(_) => false,
        };
        path.pop();
        scalar
    }

    /// Marks the unions whose every variant is a scalar, once every model is known.
    fn mark_scalar_unions(&mut self) {
        let scalar: BTreeSet<String> = self
            .models
            .iter()
            .filter(|m| matches!(m.kind, ModelKind::Union(_)))
            .filter(|m| self.is_scalar(&TypeRef::Named(m.name.clone())))
            .map(|m| m.name.clone())
            .collect();
        for model in &mut self.models {
            if let ModelKind::Union(u) = &mut model.kind {
                u.scalar = scalar.contains(&model.name);
            }
        }
    }

    fn resolve_param(
        &mut self,
        components: &oa::Components,
        p: &oa::ReferenceOr<oa::Parameter>,
        ptr: &Pointer,
    ) -> Option<oa::Parameter> {
        self.resolve(p, &components.parameters, "#/components/parameters/", ptr)
    }

    fn resolve_body(
        &mut self,
        components: &oa::Components,
        b: &oa::ReferenceOr<oa::RequestBody>,
        ptr: &Pointer,
    ) -> Option<oa::RequestBody> {
        self.resolve(
            b,
            &components.request_bodies,
            "#/components/requestBodies/",
            ptr,
        )
    }

    fn resolve_response(
        &mut self,
        components: &oa::Components,
        r: &oa::ReferenceOr<oa::Response>,
        ptr: &Pointer,
    ) -> Option<oa::Response> {
        self.resolve(r, &components.responses, "#/components/responses/", ptr)
    }

    /// Follows `$ref`s into one section of `components`.
    fn resolve<T: Clone>(
        &mut self,
        item: &oa::ReferenceOr<T>,
        section: &indexmap::IndexMap<String, oa::ReferenceOr<T>>,
        prefix: &str,
        ptr: &Pointer,
    ) -> Option<T> {
        let mut current = item;
        for _ in 0..MAX_REF_CHAIN {
            match current {
                oa::ReferenceOr::Item(t) => return Some(t.clone()),
                oa::ReferenceOr::Reference { reference } => {
                    let found = reference
                        .strip_prefix(prefix)
                        .and_then(|k| section.get(&unescape_token(k)));
                    match found {
                        Some(next) => current = next,
                        None => {
                            let hint = if reference.starts_with('#') {
                                format!(
                                    "define it under `{}`",
                                    prefix.trim_start_matches("#/").trim_end_matches('/')
                                )
                            } else {
                                "external references are not followed; bundle the spec into one file".to_owned()
                            };
                            self.error(
                                &ptr.push("$ref"),
                                format!("`{reference}` cannot be resolved"),
                                hint,
                            );
                            return None;
                        }
                    }
                }
            }
        }
        self.error(
            &ptr.push("$ref"),
            format!("more than {MAX_REF_CHAIN} references in a row (a reference cycle?)"),
            "make the reference point at a definition",
        );
        None
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
fn media_kind(media: &str) -> MediaKind {
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
        lower(&doc, &DocKeys::default()).unwrap_or_else(|d| panic!("{d}"))
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
}
