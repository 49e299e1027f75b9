//! Operations: grouped by tag, with their parameters, bodies, responses
//! and documented errors.
//!
//! One operation is lowered in steps that share an [`OperationContext`]:
//! [`Lowerer::parameters`], [`Lowerer::request_body`],
//! [`Lowerer::responses`] and [`Lowerer::annotations`], then its security
//! and server (in `security` and `servers`).

use super::headers::Declared;
use super::pagination::PageExtension;
use super::{
    list_style, media_kind, non_empty, null_only, parse_method, success_variant_name,
    synthesized_id, Lowerer, Site, MAX_REF_CHAIN, UNTAGGED,
};
use crate::diag::{unescape_token, Pointer, Severity};
use crate::ir::*;
use crate::naming::{self, Scope};
use openapiv3 as oa;
use std::collections::{BTreeMap, BTreeSet};

/// One operation of the spec, where it is, and what every step of lowering
/// it reads.
struct OperationContext<'s> {
    components: &'s oa::Components,
    /// The `operationId`, or the one made up for it.
    id: &'s str,
    method: Method,
    /// The path as written in the spec.
    path: &'s str,
    /// The path's item, whose parameters and servers the operation inherits.
    item: &'s oa::PathItem,
    op: &'s oa::Operation,
    path_ptr: &'s Pointer,
    op_ptr: &'s Pointer,
    /// `GetThing`: the request builder's name, which names the operation's
    /// inline types.
    builder_name: String,
}

/// A parameter as the spec declares it, before it is typed.
struct DeclaredParam {
    data: oa::ParameterData,
    location: ParamLocation,
    list_style: ListStyle,
    ptr: Pointer,
}

/// What an operation answers: the [`Operation`] fields of the same names.
struct Responses {
    response: Option<TypeRef>,
    response_kind: MediaKind,
    accept: Vec<String>,
    responses: Option<ResponseEnum>,
    errors: Vec<ErrorResponse>,
    response_headers: Option<ResponseHeaders>,
}

/// What an operation's extensions and security requirements say about it,
/// for its docs: the [`Operation`] fields of the same names.
#[derive(Debug, PartialEq)]
struct Annotations {
    preview: bool,
    permissions: Option<Permissions>,
    scopes: Vec<String>,
}

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
                let ctx = OperationContext {
                    components,
                    id: &id,
                    method,
                    path,
                    item,
                    op,
                    path_ptr: &path_ptr,
                    op_ptr: &op_ptr,
                    builder_name: naming::type_name(&id),
                };
                if let Some(op) = self.operation(&ctx) {
                    count_error_models(&op, &mut error_models);
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
        // Modules double as `Client` and `Mock` methods: keep clear of their own.
        let mut module_scope = Scope::with_reserved(naming::GROUP_ACCESSOR_RESERVED);
        let mut groups = Vec::new();
        for (tag, mut ops) in by_tag {
            ops.sort_by(|a, b| a.1.cmp(&b.1));
            let type_name = group_scope.claim(format!("{}Api", naming::camel(&tag)));
            let mock_name = group_scope.claim(format!("{}Mock", naming::camel(&tag)));
            let module = module_scope.claim(naming::snake(&tag));
            // Method and builder names must be distinct within the group.
            let mut fn_scope = Scope::with_reserved(&["new", "client"]);
            let mut builder_scope = Scope::with_reserved(&[
                type_name.as_str(),
                mock_name.as_str(),
                "Client",
                "Error",
                "Response",
            ]);
            let mut operations: Vec<Operation> = ops
                .into_iter()
                .map(|(mut op, _)| {
                    op.fn_name = fn_scope.claim(op.fn_name);
                    op.builder_name = builder_scope.claim(op.builder_name);
                    op
                })
                .collect();
            // The headers types after every builder, named after the builder.
            for op in &mut operations {
                if let Some(headers) = &mut op.response_headers {
                    headers.name = builder_scope.claim(naming::headers_type(&op.builder_name));
                }
            }
            let description = oa
                .tags
                .iter()
                .find(|t| t.name == tag)
                .and_then(|t| non_empty(&t.description));
            groups.push(Group {
                tag,
                description,
                type_name,
                mock_name,
                module,
                operations,
            });
        }
        (groups, error_model)
    }

    /// Lowers one operation, step by step; `None` when a step found an error.
    fn operation(&mut self, ctx: &OperationContext) -> Option<Operation> {
        let errors_before = self.error_count();
        let params = self.parameters(ctx);
        let path_parts = self.path_parts(ctx.path, &params, ctx.op_ptr);
        let body = self.request_body(ctx);
        let Responses {
            response,
            response_kind,
            accept,
            responses,
            errors,
            response_headers,
        } = self.responses(ctx);
        let Annotations {
            preview,
            permissions,
            scopes,
        } = self.annotations(ctx.op);
        if ctx.op.extensions.contains_key("x-dropshot-pagination") {
            (self.page_extensions).insert(ctx.id.to_owned(), PageExtension::Dropshot);
        } else if let Some(value) = ctx.op.extensions.get("x-pagination") {
            (self.page_extensions)
                .insert(ctx.id.to_owned(), PageExtension::XPagination(value.clone()));
        }
        let security = self.operation_security(ctx.op, ctx.op_ptr);
        let server = self.operation_server(ctx.item, ctx.op, ctx.path_ptr, ctx.op_ptr);

        if self.error_count() > errors_before {
            return None;
        }
        let op = ctx.op;
        Some(Operation {
            id: ctx.id.to_owned(),
            fn_name: naming::snake(ctx.id),
            builder_name: ctx.builder_name.clone(),
            tags: op.tags.clone(),
            method: ctx.method,
            path: ctx.path.to_owned(),
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
            response_headers,
            // Marked once every model is lowered (`paginate`).
            pagination: None,
        })
    }

    // ------------------------------------------------------------ parameters

    /// The operation's parameters ([`Self::declared_params`]), each typed,
    /// without the path parameters its path does not use.
    fn parameters(&mut self, ctx: &OperationContext) -> Vec<Param> {
        let declared = self.declared_params(ctx);
        let mut idents = Scope::with_reserved(naming::REQUEST_BUILDER_MEMBERS);
        let mut params = Vec::new();
        for declared in &declared {
            params.extend(self.param(ctx, declared, &mut idents));
        }

        // A path parameter the path does not use cannot be sent anywhere.
        let mut unused = Vec::new();
        params.retain(|p| {
            let keep =
                p.location != ParamLocation::Path || ctx.path.contains(&format!("{{{}}}", p.name));
            if !keep {
                unused.push(p.name.clone());
            }
            keep
        });
        for name in unused {
            self.warn(
                &ctx.op_ptr.push("parameters"),
                format!(
                    "path parameter `{name}` does not appear in the path `{}`; it is left out",
                    ctx.path
                ),
                format!("put it in the path as `{{{name}}}` or remove it"),
            );
        }
        params
    }

    /// The path's parameters, then the operation's own: one of the
    /// operation's replaces the path's of the same name and location, and
    /// comes after the path's.
    fn declared_params(&mut self, ctx: &OperationContext) -> Vec<DeclaredParam> {
        let mut declared: Vec<DeclaredParam> = Vec::new();
        let sources = [
            (&ctx.item.parameters, ctx.path_ptr.push("parameters")),
            (&ctx.op.parameters, ctx.op_ptr.push("parameters")),
        ];
        for (list, list_ptr) in sources {
            for (i, p) in list.iter().enumerate() {
                let ptr = list_ptr.push(i);
                let Some(param) = self.resolve_param(ctx.components, p, &ptr) else {
                    continue;
                };
                let location = match &param {
                    oa::Parameter::Path { .. } => ParamLocation::Path,
                    oa::Parameter::Query { .. } => ParamLocation::Query,
                    oa::Parameter::Header { .. } => ParamLocation::Header,
                    oa::Parameter::Cookie { .. } => ParamLocation::Cookie,
                };
                let list_style = list_style(&param);
                let data = param.parameter_data();
                declared.retain(|d| !(d.data.name == data.name && d.location == location));
                declared.push(DeclaredParam {
                    data,
                    location,
                    list_style,
                    ptr,
                });
            }
        }
        declared
    }

    /// One declared parameter, typed and named in `idents`; `None` (with an
    /// error) when it is described with `content`.
    fn param(
        &mut self,
        ctx: &OperationContext,
        declared: &DeclaredParam,
        idents: &mut Scope,
    ) -> Option<Param> {
        let DeclaredParam {
            data,
            location,
            list_style,
            ptr,
        } = declared;
        let ty = match &data.format {
            oa::ParameterSchemaOrContent::Schema(schema) => {
                let site = Site::new(&ctx.builder_name, &data.name, ptr.push("schema"), 1);
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
                return None;
            }
        };
        let ty = self.sendable(ty, *location, &data.name, ptr);
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
        Some(Param {
            name: data.name.clone(),
            ident: idents.claim(naming::snake(&data.name)),
            location: *location,
            required,
            ty,
            list_style: *list_style,
            description: non_empty(&data.description),
            deprecated: data.deprecated.unwrap_or(false),
        })
    }

    /// A parameter's type if it can be written into a URL, header or cookie
    /// (outside the path, a list of such values too); otherwise, with a
    /// warning, a string or a list of strings.
    fn sendable(
        &mut self,
        ty: TypeRef,
        location: ParamLocation,
        name: &str,
        ptr: &Pointer,
    ) -> TypeRef {
        let outside_path = location != ParamLocation::Path;
        let ok = match &ty {
            TypeRef::Vec(inner) if outside_path => self.is_scalar(inner),
            ty => self.is_scalar(ty),
        };
        if ok {
            return ty;
        }
        let (ty, taken_as) = match ty {
            TypeRef::Vec(_) if outside_path => {
                (TypeRef::Vec(Box::new(TypeRef::String)), "a list of strings")
            }
            _ => (TypeRef::String, "a string"),
        };
        self.warn(
            &ptr.push("schema"),
            format!("parameter `{name}` has a type that cannot be written into a URL or header; it is taken as {taken_as}"),
            "use a string, number, boolean, enum or a oneOf of them (or, outside the path, an array of them)",
        );
        ty
    }

    // ------------------------------------------------------------ request body

    /// The request body: sent in the media type [`Self::pick_media`] picks,
    /// as the Rust type of its schema in that encoding.
    fn request_body(&mut self, ctx: &OperationContext) -> Option<Body> {
        let ptr = ctx.op_ptr.push("requestBody");
        let rb = self.resolve_body(ctx.components, ctx.op.request_body.as_ref()?, &ptr)?;
        let (media, kind, schema) =
            self.pick_media(&rb.content, &ptr.push("content"), "request body")?;
        let site = Site::new(
            &ctx.builder_name,
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
    }

    // ------------------------------------------------------------ responses

    /// The responses: the 2XX ones make what the operation returns
    /// ([`success_type`]), the 4XX and 5XX ones its documented errors;
    /// others (1XX, 3XX) are left to the client.
    fn responses(&mut self, ctx: &OperationContext) -> Responses {
        let responses_ptr = ctx.op_ptr.push("responses");
        let mut successes: Vec<ResponseVariant> = Vec::new();
        let mut accept: Vec<String> = Vec::new();
        let mut errors = Vec::new();
        let mut declared = Vec::new();
        for (status, resp) in &ctx.op.responses.responses {
            let ptr = responses_ptr.push(status);
            let Some(resp) = self.resolve_response(ctx.components, resp, &ptr) else {
                continue;
            };
            let code = match status {
                oa::StatusCode::Code(c) => *c,
                oa::StatusCode::Range(r) => r * 100,
            };
            let is_success = (200..300).contains(&code);
            let (ty, kind) = match self.response_body(ctx, status, &resp, &ptr, is_success) {
                Some((media, kind, ty)) => {
                    if is_success && !accept.iter().any(|m| m == media) {
                        accept.push(media.to_owned());
                    }
                    (Some(ty), kind)
                }
                None => (None, MediaKind::Json),
            };
            if is_success {
                declared.push(Declared {
                    headers: resp.headers.clone(),
                    ptr: ptr.clone(),
                });
                successes.push(ResponseVariant {
                    status: status.to_string(),
                    ident: success_variant_name(status),
                    ty,
                    kind,
                    description: resp.description.trim().to_owned(),
                });
            } else if code >= 400 {
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
            accept.extend(self.default_media(ctx, &responses_ptr));
        }
        let (response, response_kind, responses) = success_type(ctx.id, successes);
        let response_headers = self.response_headers(ctx.components, &ctx.builder_name, &declared);
        Responses {
            response,
            response_kind,
            accept,
            responses,
            errors,
            response_headers,
        }
    }

    /// The media type one response is read in, how, and its body's type;
    /// `None` when it has no body, or one that can only be `null`.
    fn response_body<'r>(
        &mut self,
        ctx: &OperationContext,
        status: &oa::StatusCode,
        resp: &'r oa::Response,
        ptr: &Pointer,
        is_success: bool,
    ) -> Option<(&'r str, MediaKind, TypeRef)> {
        let what = if is_success {
            "response"
        } else {
            "error response"
        };
        let (media, kind, schema) = self.pick_media(&resp.content, &ptr.push("content"), what)?;
        // A multipart answer is read as it came.
        let kind = match kind {
            MediaKind::Multipart => MediaKind::Binary,
            kind => kind,
        };
        // A body that can only be `null` carries nothing.
        if let (MediaKind::Json, Some(schema)) = (kind, schema) {
            if self.null_body(schema) {
                return None;
            }
        }
        let property = if is_success {
            "Response".to_owned()
        } else {
            format!("Error{status}")
        };
        let site = Site::new(
            &ctx.builder_name,
            &property,
            ptr.push("content").push(media).push("schema"),
            1,
        );
        Some((media, kind, self.body_type(kind, schema, &site)))
    }

    /// The media type the `default` response is read in, if it has a body.
    fn default_media(&mut self, ctx: &OperationContext, responses_ptr: &Pointer) -> Option<String> {
        let ptr = responses_ptr.push("default");
        let default = ctx.op.responses.default.as_ref()?;
        let default = self.resolve_response(ctx.components, default, &ptr)?;
        self.pick_media(&default.content, &ptr, "response")
            .map(|(media, _, _)| media.to_owned())
    }

    // ------------------------------------------------------------ annotations

    /// The preview flag and permissions the extensions named by the settings
    /// state, and the OAuth scopes of the operation's (or the document's)
    /// security requirements.
    fn annotations(&self, op: &oa::Operation) -> Annotations {
        let extension = |key: &Option<String>| key.as_ref().and_then(|k| op.extensions.get(k));
        let preview = extension(&self.keys.preview) == Some(&serde_json::Value::Bool(true));
        let permissions = extension(&self.keys.permissions).and_then(permissions);
        let requirements = op.security.as_ref().or(self.doc.openapi.security.as_ref());
        Annotations {
            preview,
            permissions,
            scopes: scopes(requirements.into_iter().flatten()),
        }
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
    pub(super) fn resolve<T: Clone>(
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

/// Counts the models `op`'s error responses carry in JSON, for the API's
/// error model.
fn count_error_models(op: &Operation, counts: &mut BTreeMap<String, usize>) {
    for error in &op.errors {
        // An error's type is kept only for JSON bodies.
        if let Some(TypeRef::Named(name)) = &error.ty {
            *counts.entry(name.clone()).or_default() += 1;
        }
    }
}

/// What an operation returns, given its success responses: nothing without
/// any; the body type when every one has the same (and is read the same
/// way); otherwise that of the first, and an enum by status.
fn success_type(
    id: &str,
    successes: Vec<ResponseVariant>,
) -> (Option<TypeRef>, MediaKind, Option<ResponseEnum>) {
    let Some(first) = successes.first() else {
        return (None, MediaKind::Json, None);
    };
    let (ty, kind) = (first.ty.clone(), first.kind);
    if successes.iter().all(|r| r.ty == ty && r.kind == kind) {
        return (ty, kind, None);
    }
    let mut scope = Scope::with_reserved(&["Other"]);
    let variants = successes
        .into_iter()
        .map(|mut v| {
            v.ident = scope.claim(v.ident);
            v
        })
        .collect();
    let name = naming::type_name(&format!("{id}_Response"));
    (ty, kind, Some(ResponseEnum { name, variants }))
}

/// The permissions an extension value `{type: ANY|ALL, permissions: [..]}`
/// lists (`ANY` when it names no type); `None` when it lists none.
fn permissions(value: &serde_json::Value) -> Option<Permissions> {
    let kind = value
        .get("type")
        .and_then(|t| t.as_str())
        .unwrap_or("ANY")
        .to_owned();
    let names: Vec<String> = value
        .get("permissions")
        .and_then(|p| p.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    (!names.is_empty()).then_some(Permissions { kind, names })
}

/// Every scope the security requirements name, once, in their order.
fn scopes<'r>(requirements: impl IntoIterator<Item = &'r oa::SecurityRequirement>) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for requirement in requirements {
        for s in requirement.values().flatten() {
            if !scopes.contains(s) {
                scopes.push(s.clone());
            }
        }
    }
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;
    use crate::load::{load, Document, Source};
    use crate::settings::Settings;
    use serde_json::{json, Value};

    /// A document with `paths` (JSON) and `components`.
    fn document(paths: Value, components: Value) -> Document {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://x"}],
            "paths": paths,
            "components": components
        });
        load(&Source::new("t.json", doc.to_string())).unwrap_or_else(|d| panic!("{d}"))
    }

    /// A document whose only path, `/things/{id}`, holds `item`.
    fn thing(item: Value) -> Document {
        document(json!({ "/things/{id}": item }), json!({}))
    }

    /// Runs `step` on the first operation of the document's first path, as
    /// lowering does; what it returns and every diagnostic so far.
    fn step<T>(
        doc: &Document,
        settings: &Settings,
        step: impl FnOnce(&mut Lowerer, &OperationContext) -> T,
    ) -> (T, Vec<Diagnostic>) {
        let mut cx = Lowerer::new(doc, settings);
        let empty = oa::Components::default();
        let components = doc.openapi.components.as_ref().unwrap_or(&empty);
        let (path, item) = doc.openapi.paths.iter().next().expect("a path");
        let item = item.as_item().expect("a path item in place");
        let (method, op) = item.iter().next().expect("an operation");
        let path_ptr = Pointer::root().push("paths").push(path);
        let op_ptr = path_ptr.push(method);
        let id = op.operation_id.as_deref().expect("an operationId");
        let ctx = OperationContext {
            components,
            id,
            method: parse_method(method).expect("a method"),
            path,
            item,
            op,
            path_ptr: &path_ptr,
            op_ptr: &op_ptr,
            builder_name: naming::type_name(id),
        };
        let out = step(&mut cx, &ctx);
        (out, cx.diags)
    }

    /// Each diagnostic as its pointer and the start of its message.
    fn located(diags: &[Diagnostic]) -> Vec<(&str, &str)> {
        diags
            .iter()
            .map(|d| (d.pointer.as_str(), d.message.as_str()))
            .collect()
    }

    /// Responses of an operation that answers without a body.
    fn done() -> Value {
        json!({"204": {"description": "done"}})
    }

    // ------------------------------------------------------------ parameters

    #[test]
    fn an_operations_parameter_replaces_its_paths_of_the_same_name_and_location() {
        let doc = thing(json!({
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "q", "in": "query", "description": "The path's.", "schema": {"type": "string"}},
                {"name": "trace", "in": "header", "schema": {"type": "string"}}
            ],
            "get": {
                "operationId": "getThing",
                "parameters": [
                    {"name": "q", "in": "query", "required": true, "description": "Its own.",
                     "schema": {"type": "integer", "format": "int32"}},
                    {"name": "q", "in": "header", "deprecated": true, "schema": {"type": "string"}},
                    {"name": "tags", "in": "query", "explode": false,
                     "schema": {"type": "array", "items": {"type": "string"}}}
                ],
                "responses": done()
            }
        }));
        let (params, diags) = step(&doc, &Settings::default(), |cx, ctx| cx.parameters(ctx));
        assert!(diags.is_empty(), "{diags:?}");
        let seen: Vec<_> = params
            .iter()
            .map(|p| {
                let description = p.description.as_deref();
                (
                    p.name.as_str(),
                    p.ident.as_str(),
                    p.location,
                    &p.ty,
                    p.required,
                    description,
                )
            })
            .collect();
        let strings = TypeRef::Vec(Box::new(TypeRef::String));
        assert_eq!(
            seen,
            [
                (
                    "id",
                    "id",
                    ParamLocation::Path,
                    &TypeRef::String,
                    true,
                    None
                ),
                (
                    "trace",
                    "trace",
                    ParamLocation::Header,
                    &TypeRef::String,
                    false,
                    None
                ),
                (
                    "q",
                    "q",
                    ParamLocation::Query,
                    &TypeRef::I32,
                    true,
                    Some("Its own.")
                ),
                (
                    "q",
                    "q_2",
                    ParamLocation::Header,
                    &TypeRef::String,
                    false,
                    None
                ),
                ("tags", "tags", ParamLocation::Query, &strings, false, None),
            ]
        );
        assert!(params[3].deprecated && !params[2].deprecated);
        assert_eq!(params[4].list_style, ListStyle::Joined(','));
    }

    #[test]
    fn parameters_that_cannot_be_sent_as_declared_are_mended_or_left_out() {
        let doc = thing(json!({"get": {
            "operationId": "getThing",
            "parameters": [
                {"name": "id", "in": "path", "schema": {"type": "string"}},
                {"name": "ghost", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "grid", "in": "query",
                 "schema": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}},
                {"name": "raw", "in": "query", "content": {"application/json": {"schema": {}}}}
            ],
            "responses": done()
        }}));
        let (params, diags) = step(&doc, &Settings::default(), |cx, ctx| cx.parameters(ctx));
        let kept: Vec<(&str, bool, &TypeRef)> = params
            .iter()
            .map(|p| (p.name.as_str(), p.required, &p.ty))
            .collect();
        let strings = TypeRef::Vec(Box::new(TypeRef::String));
        assert_eq!(
            kept,
            [("id", true, &TypeRef::String), ("grid", false, &strings)]
        );
        let severities: Vec<Severity> = diags.iter().map(|d| d.severity).collect();
        assert_eq!(
            severities,
            [
                Severity::Warning,
                Severity::Warning,
                Severity::Error,
                Severity::Warning
            ]
        );
        let at = located(&diags);
        assert_eq!(at[0].0, "/paths/~1things~1{id}/get/parameters/0/required");
        assert!(at[0].1.contains("`id` must be required"), "{at:?}");
        assert_eq!(at[1].0, "/paths/~1things~1{id}/get/parameters/2/schema");
        assert!(at[1].1.ends_with("taken as a list of strings"), "{at:?}");
        assert_eq!(at[2].0, "/paths/~1things~1{id}/get/parameters/3/content");
        assert_eq!(at[3].0, "/paths/~1things~1{id}/get/parameters");
        assert!(at[3].1.contains("`ghost` does not appear"), "{at:?}");
    }

    // ------------------------------------------------------------ request body

    /// The request body of an operation whose body has this `content`.
    fn body_of(content: Value) -> (Option<Body>, Vec<Diagnostic>) {
        let doc = thing(json!({"post": {
            "operationId": "postThing",
            "requestBody": {"required": true, "description": " The thing. ", "content": content},
            "responses": done()
        }}));
        step(&doc, &Settings::default(), |cx, ctx| cx.request_body(ctx))
    }

    #[test]
    fn a_body_is_sent_as_json_first_then_a_form_then_text_then_bytes() {
        let string = json!({"schema": {"type": "string"}});
        let object = json!({"schema": {"type": "object", "properties": {"a": {"type": "string"}}}});
        let (body, diags) = body_of(json!({
            "application/octet-stream": string,
            "text/plain": string,
            "application/x-www-form-urlencoded": object,
            "application/merge-patch+json": string
        }));
        assert!(diags.is_empty(), "{diags:?}");
        let body = body.expect("a body");
        assert_eq!(
            (body.media_type.as_str(), body.kind, &body.ty),
            (
                "application/merge-patch+json",
                MediaKind::Json,
                &TypeRef::String
            )
        );
        assert!(body.required);
        assert_eq!(body.description.as_deref(), Some("The thing."));
        assert_eq!(body.ident, "body");

        let (body, _) = body_of(json!({"application/octet-stream": string, "text/plain": string}));
        let body = body.expect("a body");
        assert_eq!((body.kind, &body.ty), (MediaKind::Text, &TypeRef::String));
        assert_eq!(body.media_type, "text/plain");

        let (body, _) = body_of(json!({"image/png": string}));
        let body = body.expect("a body");
        assert_eq!((body.kind, &body.ty), (MediaKind::Binary, &TypeRef::Bytes));

        let (body, _) = body_of(json!({
            "multipart/form-data": object,
            "text/plain": string
        }));
        let body = body.expect("a body");
        assert_eq!(body.kind, MediaKind::Multipart);
        assert_eq!(body.ty, TypeRef::Named("PostThingBody".into()));
    }

    #[test]
    fn a_multipart_body_that_is_no_object_is_bytes_and_a_form_must_be_one() {
        let (body, diags) = body_of(json!({"multipart/form-data": {"schema": {"type": "string"}}}));
        assert!(diags.is_empty(), "{diags:?}");
        let body = body.expect("a body");
        assert_eq!((body.kind, &body.ty), (MediaKind::Binary, &TypeRef::Bytes));
        assert_eq!(body.media_type, "multipart/form-data");

        let (_, diags) = body_of(json!({
            "application/x-www-form-urlencoded": {"schema": {"type": "string"}}
        }));
        assert_eq!(
            located(&diags),
            [(
                "/paths/~1things~1{id}/post/requestBody/content/application~1x-www-form-urlencoded/schema",
                "a form body must be an object"
            )]
        );
        assert_eq!(diags[0].severity, Severity::Error);

        let (body, diags) = body_of(json!({}));
        assert!(body.is_none() && diags.is_empty(), "{body:?} {diags:?}");
    }

    // ------------------------------------------------------------ responses

    /// The responses of an operation that answers these `responses`.
    fn responses_of(responses: Value) -> (Responses, Vec<Diagnostic>) {
        let doc = thing(json!({"get": {"operationId": "getThing", "responses": responses}}));
        step(&doc, &Settings::default(), |cx, ctx| cx.responses(ctx))
    }

    fn json_of(schema: Value) -> Value {
        json!({"application/json": {"schema": schema}})
    }

    #[test]
    fn successes_make_what_is_returned_and_4xx_and_5xx_the_documented_errors() {
        let (r, diags) = responses_of(json!({
            "200": {"description": "ok", "content": json_of(json!({"type": "string"}))},
            "202": {"description": " accepted ", "content": {"text/plain": {"schema": {"type": "string"}}}},
            "204": {"description": "done"},
            "304": {"description": "not modified"},
            "404": {"description": "missing", "content": json_of(json!({"type": "integer", "format": "int64"}))},
            "503": {"description": "down", "content": {"text/html": {"schema": {"type": "string"}}}}
        }));
        assert!(diags.is_empty(), "{diags:?}");
        // Several bodies: the first's type, and an enum by status.
        assert_eq!(r.response, Some(TypeRef::String));
        assert_eq!(r.response_kind, MediaKind::Json);
        assert_eq!(r.accept, ["application/json", "text/plain"]);
        let responses = r.responses.expect("an enum of the successes");
        assert_eq!(responses.name, "GetThingResponse");
        let variants: Vec<_> = responses
            .variants
            .iter()
            .map(|v| {
                (
                    v.status.as_str(),
                    v.ident.as_str(),
                    v.ty.clone(),
                    v.kind,
                    v.description.as_str(),
                )
            })
            .collect();
        assert_eq!(
            variants,
            [
                ("200", "Ok", Some(TypeRef::String), MediaKind::Json, "ok"),
                (
                    "202",
                    "Accepted",
                    Some(TypeRef::String),
                    MediaKind::Text,
                    "accepted"
                ),
                ("204", "NoContent", None, MediaKind::Json, "done"),
            ]
        );
        // 3XX is neither; an error's type is kept for JSON only.
        assert_eq!(
            r.errors,
            [
                ErrorResponse {
                    status: "404".into(),
                    description: "missing".into(),
                    ty: Some(TypeRef::I64)
                },
                ErrorResponse {
                    status: "503".into(),
                    description: "down".into(),
                    ty: None
                },
            ]
        );
    }

    #[test]
    fn one_body_type_is_returned_itself_and_the_default_response_says_what_to_accept() {
        let (r, _) = responses_of(json!({
            "200": {"description": "ok", "content": json_of(json!({"type": "boolean"}))},
            "2XX": {"description": "other", "content": {"application/vnd.x+json": {"schema": {"type": "boolean"}}}}
        }));
        assert_eq!(
            (r.response, r.response_kind),
            (Some(TypeRef::Bool), MediaKind::Json)
        );
        assert!(r.responses.is_none());
        assert_eq!(r.accept, ["application/json", "application/vnd.x+json"]);

        // A body that can only be `null` is none; `default` names the media type then.
        let (r, _) = responses_of(json!({
            "200": {"description": "ok", "content": json_of(json!({"enum": [null]}))},
            "default": {"description": "problem", "content": {"application/problem+json": {"schema": {}}}}
        }));
        assert_eq!((r.response, r.responses), (None, None));
        assert_eq!(r.accept, ["application/problem+json"]);
        assert!(r.errors.is_empty());

        let (r, _) = responses_of(json!({"204": {"description": "done"}}));
        assert!(r.response.is_none() && r.accept.is_empty());
    }

    #[test]
    fn the_error_model_is_the_one_most_json_error_responses_carry() {
        let error = |model: &str| json!({"description": "e", "content": json_of(json!({"$ref": format!("#/components/schemas/{model}")}))});
        let op = |id: &str, errors: Value| {
            let mut responses = done();
            responses
                .as_object_mut()
                .unwrap()
                .extend(errors.as_object().unwrap().clone());
            json!({"get": {"operationId": id, "responses": responses}})
        };
        let schemas = json!({"schemas": {
            "Alpha": {"type": "object"},
            "Beta": {"type": "object"},
            "Gamma": {"type": "object"}
        }});
        let lowered = |paths: Value| {
            let doc = document(paths, schemas.clone());
            let (api, _) =
                crate::lower::lower(&doc, &Settings::default()).unwrap_or_else(|d| panic!("{d}"));
            api.error_model
        };
        let text_gamma = json!({"description": "e", "content": {"text/plain": {"schema": {"$ref": "#/components/schemas/Gamma"}}}});
        let model = lowered(json!({
            "/a": op("a", json!({"400": error("Beta"), "404": error("Alpha"), "500": text_gamma})),
            "/b": op("b", json!({"400": error("Beta"), "409": text_gamma, "410": text_gamma}))
        }));
        assert_eq!(model.as_deref(), Some("Beta"));
        // A tie goes to the name that sorts first.
        let model = lowered(json!({
            "/a": op("a", json!({"400": error("Beta")})),
            "/b": op("b", json!({"400": error("Alpha")}))
        }));
        assert_eq!(model.as_deref(), Some("Alpha"));
        assert_eq!(lowered(json!({"/a": op("a", json!({}))})), None);
    }

    // ------------------------------------------------------------ annotations

    #[test]
    fn preview_and_permissions_are_read_from_the_extensions_the_settings_name() {
        let doc = thing(json!({"get": {
            "operationId": "getThing",
            "x-perms": {"type": "ALL", "permissions": ["things:read", 7, "things:view"]},
            "x-preview": true,
            "security": [{"o": ["read", "write"]}, {"o": ["write", "admin"], "k": []}],
            "responses": done()
        }}));
        let mut settings = Settings::default();
        settings.docs.permissions = Some("x-perms".into());
        settings.docs.preview = Some("x-preview".into());
        let (annotations, _) = step(&doc, &settings, |cx, ctx| cx.annotations(ctx.op));
        assert_eq!(
            annotations,
            Annotations {
                preview: true,
                permissions: Some(Permissions {
                    kind: "ALL".into(),
                    names: vec!["things:read".into(), "things:view".into()],
                }),
                scopes: vec!["read".into(), "write".into(), "admin".into()],
            }
        );
        // Extensions the settings do not name are not read.
        let (annotations, _) = step(&doc, &Settings::default(), |cx, ctx| cx.annotations(ctx.op));
        assert!(!annotations.preview && annotations.permissions.is_none());
        // Only `true` marks a preview.
        let doc = thing(json!({"get": {
            "operationId": "getThing",
            "x-preview": "true",
            "responses": done()
        }}));
        let (annotations, _) = step(&doc, &settings, |cx, ctx| cx.annotations(ctx.op));
        assert!(!annotations.preview);
    }

    #[test]
    fn permissions_default_to_any_and_an_empty_list_is_none() {
        let any = permissions(&json!({"permissions": ["a"]}));
        assert_eq!(
            any,
            Some(Permissions {
                kind: "ANY".into(),
                names: vec!["a".into()]
            })
        );
        assert_eq!(
            permissions(&json!({"type": "ALL", "permissions": []})),
            None
        );
        assert_eq!(permissions(&json!({"type": "ALL"})), None);
        assert_eq!(permissions(&json!(true)), None);
    }

    #[test]
    fn scopes_come_from_the_documents_requirements_when_the_operation_states_none() {
        let scopes_of = |op: Value| {
            let mut doc = document(json!({"/a": {"get": op}}), json!({}));
            let global = [("o".to_owned(), vec!["global".to_owned()])];
            doc.openapi.security = Some(vec![global.into_iter().collect()]);
            let (annotations, _) =
                step(&doc, &Settings::default(), |cx, ctx| cx.annotations(ctx.op));
            annotations.scopes
        };
        let inherits = scopes_of(json!({"operationId": "a", "responses": done()}));
        assert_eq!(inherits, ["global"]);
        let own = scopes_of(
            json!({"operationId": "a", "security": [{"o": ["own"]}], "responses": done()}),
        );
        assert_eq!(own, ["own"]);
        let none = scopes_of(json!({"operationId": "a", "security": [], "responses": done()}));
        assert!(none.is_empty(), "{none:?}");
    }
}
