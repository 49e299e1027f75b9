//! Schemas: component and inline schemas lowered into models and type
//! references, references resolved.

use super::{
    all_of_with_refinements, any_object, constraints, enum_of_members, integer_schema_type,
    integer_type, is_empty_any, is_one_word, merges_into_struct, non_empty, null_only,
    number_schema_type, pointer_from, string_enum, string_format_type, union_variant_name,
    untyped_array, variants, Lowerer, Site, MAX_DEPTH, MAX_REF_CHAIN, SCHEMA_PREFIX,
};
use crate::diag::{unescape_token, Pointer};
use crate::ir::*;
use crate::naming::{self, Scope};
use openapiv3 as oa;
use std::collections::{BTreeMap, BTreeSet};

impl Lowerer<'_> {
    pub(super) fn lower_component(
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
            let nullable = match schema {
                oa::ReferenceOr::Item(s) => self.nullable(s, 0),
                oa::ReferenceOr::Reference { reference } => self.ref_nullable(reference, 0),
            };
            fields.push(Field {
                name: prop.clone(),
                ident: scope.claim(naming::snake(prop)),
                ty,
                required: !self.optional_fields && obj.required.contains(prop),
                nullable,
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

    /// `lower` with binary strings lowered as file parts: the schema of a
    /// multipart body, written in place.
    pub(super) fn with_file_parts<T>(&mut self, lower: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.file_parts, true);
        let out = lower(self);
        self.file_parts = outer;
        out
    }

    /// Makes the binary-string fields of the component struct `ty` (a
    /// multipart body's `$ref`) file parts, as they would be written in place.
    pub(super) fn file_parts_of(&mut self, ty: &TypeRef) {
        let TypeRef::Named(name) = ty else { return };
        let Some(model) = self.models.iter().find(|m| &m.name == name) else {
            return;
        };
        let Some(key) = model.pointer.strip_prefix("/components/schemas/") else {
            return;
        };
        let reference = format!("{SCHEMA_PREFIX}{key}");
        let Some(oa::ReferenceOr::Item(schema)) = self.component_schema(&reference) else {
            return;
        };
        let Some(object) = self.object_of(schema, &Pointer::root(), 0) else {
            return;
        };
        let binary = |s: &oa::ReferenceOr<Box<oa::Schema>>| {
            matches!(s, oa::ReferenceOr::Item(s) if matches!(&s.schema_kind,
                oa::SchemaKind::Type(oa::Type::String(t))
                    if t.format == oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Binary)))
        };
        let files: Vec<(String, bool)> = object
            .properties
            .iter()
            .filter_map(|(prop, s)| {
                if binary(s) {
                    return Some((prop.clone(), false));
                }
                match s {
                    oa::ReferenceOr::Item(s) => match &s.schema_kind {
                        oa::SchemaKind::Type(oa::Type::Array(a))
                            if a.items.as_ref().is_some_and(binary) =>
                        {
                            Some((prop.clone(), true))
                        }
                        _ => None,
                    },
                    oa::ReferenceOr::Reference { .. } => None,
                }
            })
            .collect();
        if let Some(ModelKind::Struct(fields)) = self
            .models
            .iter_mut()
            .find(|m| &m.name == name)
            .map(|m| &mut m.kind)
        {
            for field in fields.iter_mut() {
                if let Some((_, list)) = files.iter().find(|(p, _)| *p == field.name) {
                    field.ty = if *list {
                        TypeRef::Vec(Box::new(TypeRef::File))
                    } else {
                        TypeRef::File
                    };
                }
            }
        }
    }

    /// Whether `null` is a valid value of `schema`: it says so, it says
    /// nothing of the value at all (`{}`, any JSON value), or it is an
    /// `allOf` whose members all allow `null` (a documented `$ref` to a
    /// nullable schema).
    fn nullable(&self, schema: &oa::Schema, depth: usize) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        match &schema.schema_kind {
            oa::SchemaKind::Any(any) if is_empty_any(any) => true,
            oa::SchemaKind::AllOf { all_of } if !all_of.is_empty() && depth <= MAX_REF_CHAIN => {
                all_of.iter().all(|member| match member {
                    oa::ReferenceOr::Item(s) => self.nullable(s, depth + 1),
                    oa::ReferenceOr::Reference { reference } => {
                        self.ref_nullable(reference, depth + 1)
                    }
                })
            }
            _ => false,
        }
    }

    /// Whether the component schema `reference` points at (through further
    /// references) allows `null`: a property that is a `$ref` to a schema
    /// marked `nullable` may be `null`.
    fn ref_nullable(&self, reference: &str, depth: usize) -> bool {
        if depth > MAX_REF_CHAIN {
            return false;
        }
        match self.component_schema(reference) {
            Some(oa::ReferenceOr::Item(s)) => self.nullable(s, depth + 1),
            Some(oa::ReferenceOr::Reference { reference }) => {
                self.ref_nullable(reference, depth + 1)
            }
            None => false,
        }
    }

    fn type_of_boxed(&mut self, schema: &oa::ReferenceOr<Box<oa::Schema>>, site: &Site) -> TypeRef {
        match schema {
            oa::ReferenceOr::Reference { reference } => self.schema_ref(reference, &site.pointer),
            oa::ReferenceOr::Item(s) => self.inline_type(s, site),
        }
    }

    pub(super) fn type_of(&mut self, schema: &oa::ReferenceOr<oa::Schema>, site: &Site) -> TypeRef {
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
                oa::Type::Integer(i) => integer_schema_type(i),
                oa::Type::Number(n) => number_schema_type(n),
                oa::Type::String(s) if !s.enumeration.is_empty() => self.nested_model(
                    schema,
                    site,
                    ModelKind::Enum(variants(s.enumeration.iter().flatten())),
                ),
                oa::Type::String(s) => match &s.format {
                    oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Binary)
                        if self.file_parts =>
                    {
                        TypeRef::File
                    }
                    _ => string_format_type(s).unwrap_or(TypeRef::String),
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
            oa::SchemaKind::Any(any) if any.properties.is_empty() && any.typ.is_some() => match any
                .typ
                .as_deref()
            {
                Some("boolean") => TypeRef::Bool,
                Some("integer") => integer_type(any.format.as_deref(), any.minimum, any.maximum),
                Some("number") if any.format.as_deref() == Some("float") => TypeRef::F32,
                Some("number") => TypeRef::F64,
                Some("string") => TypeRef::String,
                _ => TypeRef::Json,
            },
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
        // A discriminator that selects none of the variants (all of them
        // inline) cannot pick one: the value is matched by fit instead.
        let selects = variants.iter().any(|v| !v.tags.is_empty());
        Union {
            discriminator: discriminator
                .filter(|_| selects)
                .map(|d| d.property_name.clone()),
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
    pub(super) fn mark_boxed_fields(&mut self) {
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
}
