//! Operations: grouped by tag, with their parameters, bodies, responses
//! and documented errors.

use super::{
    list_style, media_kind, non_empty, null_only, parse_method, success_variant_name,
    synthesized_id, Lowerer, Site, MAX_REF_CHAIN, UNTAGGED,
};
use crate::diag::{unescape_token, Pointer, Severity};
use crate::ir::*;
use crate::naming::{self, Scope};
use openapiv3 as oa;
use std::collections::{BTreeMap, BTreeSet};

impl Lowerer<'_> {
    pub(super) fn operations(
        &mut self,
        components: &oa::Components,
    ) -> (Vec<Group>, Option<String>) {
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
            let (kind, ty) = match kind {
                // Parts are an object's properties, its binary strings files.
                MediaKind::Multipart => {
                    let ty = self.with_file_parts(|cx| cx.body_type(kind, schema, &site));
                    if self.is_struct(&ty) {
                        self.file_parts_of(&ty);
                        (kind, ty)
                    } else {
                        (MediaKind::Binary, TypeRef::Bytes)
                    }
                }
                _ => (kind, self.body_type(kind, schema, &site)),
            };
            let part_types = match kind {
                MediaKind::Multipart => rb.content[media]
                    .encoding
                    .iter()
                    .filter_map(|(name, e)| Some((name.clone(), e.content_type.clone()?)))
                    .collect(),
                _ => Vec::new(),
            };
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
                part_types,
                description: non_empty(&rb.description),
            })
        });

        let responses_ptr = op_ptr.push("responses");
        let mut successes: Vec<ResponseVariant> = Vec::new();
        let mut accept: Vec<String> = Vec::new();
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
                match self
                    .pick_media(&resp.content, &ptr.push("content"), what)
                    .map(
                        // A multipart answer is read as it came.
                        |(media, kind, schema)| match kind {
                            MediaKind::Multipart => (media, MediaKind::Binary, schema),
                            kind => (media, kind, schema),
                        },
                    ) {
                    // A body that can only be `null` carries nothing.
                    Some((_, MediaKind::Json, Some(schema))) if self.null_body(schema) => {
                        (None, MediaKind::Json)
                    }
                    Some((media, kind, schema)) => {
                        if is_success && !accept.iter().any(|m| m == media) {
                            accept.push(media.to_owned());
                        }
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
        // Without a documented success body, what the `default` response may
        // carry is what the server may answer in.
        if accept.is_empty() {
            let default = op.responses.default.as_ref();
            let media = default
                .and_then(|r| self.resolve_response(components, r, &responses_ptr.push("default")))
                .and_then(|r| {
                    self.pick_media(&r.content, &responses_ptr.push("default"), "response")
                        .map(|(media, _, _)| media.to_owned())
                });
            accept.extend(media);
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
            accept,
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
            MediaKind::Multipart => 2,
            MediaKind::Text => 3,
            MediaKind::Binary => 4,
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
            oa::ReferenceOr::Reference { reference } => {
                self.component_schema(reference).and_then(|s| s.as_item())
            }
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
    pub(super) fn mark_scalar_unions(&mut self) {
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
