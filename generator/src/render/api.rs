//! The views of the operation groups' files and of the groups' module.

use super::example::{self, Argument, ExampleView};
use super::{cfg_of, doc_paragraphs, docs, md_docs, CLIPPY_MAX_ARGS};
use crate::features::Features;
use crate::ir::*;
use crate::naming::{self, str_literal};
use crate::types::{self, rust_type};
use askama::Template;
#[derive(Template)]
#[template(path = "apis_mod.rs", escape = "none")]
pub(super) struct ApisMod {
    groups: Vec<GroupRefView>,
}

struct GroupRefView {
    module: String,
    type_name: String,
    accessor_doc: String,
    /// The `cfg` predicate of the group's feature.
    cfg: String,
}

/// The view of `src/apis/mod.rs`.
pub(super) fn apis_mod_view(api: &Api, features: &Features) -> ApisMod {
    ApisMod {
        groups: api
            .groups
            .iter()
            .zip(&features.groups)
            .map(|(g, f)| group_ref_view(g, &f.name))
            .collect(),
    }
}

fn group_ref_view(g: &Group, feature: &str) -> GroupRefView {
    GroupRefView {
        module: g.module.clone(),
        type_name: g.type_name.clone(),
        accessor_doc: str_literal(&format!(" The {} operations.", naming::md_code(&g.tag))),
        cfg: cfg_of("any", &[feature]),
    }
}

#[derive(Template)]
#[template(path = "api.rs", escape = "none")]
pub(super) struct ApiRs {
    type_name: String,
    docs: Vec<String>,
    operations: Vec<OperationView>,
}

struct OperationView {
    /// The operationId as a string literal.
    id: String,
    fn_name: String,
    builder_name: String,
    builder_doc: String,
    docs: Vec<String>,
    deprecated: bool,
    method: &'static str,
    /// The path as written in the spec, as a string literal.
    path_template: String,
    /// Arguments of the group method: required parameters and body.
    required: Vec<FieldArg>,
    /// The group method takes more arguments than clippy's limit (`&self` counts).
    many_args: bool,
    /// Every field of the builder.
    fields: Vec<FieldArg>,
    path: Vec<PathPartView>,
    query: Vec<ValueUse>,
    headers: Vec<ValueUse>,
    /// How the body, if the operation has one, is set.
    body: Option<BodyUse>,
    output: String,
    /// The `Response` method that decodes the body: `json`, `text`, `bytes` or `empty`.
    decode: &'static str,
    /// The success body is binary and can be streamed instead of buffered.
    streams: bool,
    /// The enum returned when success statuses carry different bodies.
    response_enum: Option<ResponseEnumView>,
    example: ExampleView,
}

struct BodyUse {
    /// The `Request` method: `json_body`, `form_body`, `text_body` or `bytes_body`.
    method: &'static str,
    /// `Option<&T>` expression of the body.
    expr: String,
    /// The `Content-Type` as a string literal.
    media_type: String,
}

struct ResponseEnumView {
    name: String,
    doc: String,
    variants: Vec<ResponseVariantView>,
}

struct ResponseVariantView {
    ident: String,
    doc: String,
    ty: Option<String>,
    /// The match pattern of the status: `201` or `200..=299`.
    pattern: String,
    decode: &'static str,
}

struct FieldArg {
    ident: String,
    ty: String,
    arg_ty: String,
    required: bool,
    docs: Vec<String>,
}

enum PathPartView {
    Literal(String),
    Param { wire: String, expr: String },
}

struct ValueUse {
    method: &'static str,
    wire: String,
    expr: String,
    /// The string literal `query_joined` joins the values with.
    separator: Option<String>,
}

pub(super) fn group_view(g: &Group, api: &Api, crate_ident: &str) -> ApiRs {
    let error_model = api.error_model.as_deref();
    let mut group_docs = md_docs(&format!("Operations tagged {}.", naming::md_code(&g.tag)));
    if let Some(d) = &g.description {
        group_docs.push(str_literal(""));
        group_docs.extend(docs(Some(d)));
    }
    // The error statuses every operation documents alike are listed here
    // once; each operation lists those it adds.
    let shared: Vec<&ErrorResponse> = match g.operations.split_first() {
        Some((first, rest)) if !rest.is_empty() => first
            .errors
            .iter()
            .filter(|e| rest.iter().all(|op| op.errors.contains(e)))
            .collect(),
        _ => Vec::new(),
    };
    if !shared.is_empty() {
        group_docs.push(str_literal(""));
        group_docs.extend(md_docs(
            "# Errors\n\nEvery operation of the group fails with [`Error::Api`](crate::Error::Api) with these statuses, and with those it lists itself:",
        ));
        group_docs.extend(shared.iter().map(|e| error_line(e, error_model)));
    }
    let context = GroupContext {
        module: &g.module,
        shared: &shared,
        error_model,
        crate_ident,
        models: &api.models,
    };
    ApiRs {
        type_name: g.type_name.clone(),
        docs: group_docs,
        operations: g
            .operations
            .iter()
            .map(|op| operation_view(op, &context))
            .collect(),
    }
}

/// What the docs of an operation depend on besides the operation.
struct GroupContext<'a> {
    /// The client's accessor of the group.
    module: &'a str,
    /// The error statuses the group's docs list for every operation.
    shared: &'a [&'a ErrorResponse],
    /// The model decoded into every `ApiError`, if any.
    error_model: Option<&'a str>,
    crate_ident: &'a str,
    models: &'a [Model],
}

/// The line of an error status in a list of them, as a doc literal. The
/// error model is decoded into every `ApiError` already; other error body
/// types are named.
fn error_line(e: &ErrorResponse, error_model: Option<&str>) -> String {
    let body = match &e.ty {
        Some(TypeRef::Named(n)) if Some(n.as_str()) != error_model => {
            format!(
                ", with {} [`{n}`](crate::models::{n}) body (decode it with [`ApiError::body_as`](crate::ApiError::body_as))",
                naming::indefinite_article(n)
            )
        }
        _ => String::new(),
    };
    str_literal(&format!(
        " - {}: {}{body}",
        e.status,
        naming::doc_lines(&e.description).join(" ")
    ))
}

/// `Option<&T>` for a builder field.
/// Names as Markdown code spans, comma-separated.
fn code_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| naming::md_code(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `Request` methods that take a parameter's values as a slice.
const LIST_METHODS: &[&str] = &["query_each", "query_joined", "header_list", "cookie_list"];

fn option_ref(ident: &str, required: bool, slice: bool) -> String {
    match (required, slice) {
        (true, false) => format!("Some(&self.{ident})"),
        (true, true) => format!("Some(self.{ident}.as_slice())"),
        (false, false) => format!("self.{ident}.as_ref()"),
        (false, true) => format!("self.{ident}.as_deref()"),
    }
}

fn operation_view(op: &Operation, group: &GroupContext<'_>) -> OperationView {
    const MODELS: &str = "crate::models::";
    // The builder's fields: the parameters, then the body; with what their
    // docs say besides the spec's description.
    let described: Vec<(Argument<'_>, Option<&str>, String)> = op
        .params
        .iter()
        .map(|p| {
            let argument = Argument {
                ident: &p.ident,
                ty: &p.ty,
                required: p.required,
            };
            let note = format!(
                "The {} {} parameter.",
                naming::md_code(&p.name),
                p.location.word()
            );
            (argument, p.description.as_deref(), note)
        })
        .chain(op.body.iter().map(|b| {
            let argument = Argument {
                ident: &b.ident,
                ty: &b.ty,
                required: b.required,
            };
            (
                argument,
                b.description.as_deref(),
                "The request body.".to_owned(),
            )
        }))
        .collect();
    let fields: Vec<FieldArg> = described
        .iter()
        .map(|(a, description, note)| {
            let ty = rust_type(a.ty, MODELS);
            FieldArg {
                ident: a.ident.to_owned(),
                ty: if a.required {
                    ty.clone()
                } else {
                    format!("Option<{ty}>")
                },
                arg_ty: ty,
                required: a.required,
                docs: doc_paragraphs(&[docs(*description), md_docs(note)]),
            }
        })
        .collect();
    let arguments: Vec<Argument<'_>> = described.into_iter().map(|(a, ..)| a).collect();
    let uses =
        |location: ParamLocation, method_for: fn(&TypeRef) -> &'static str| -> Vec<ValueUse> {
            op.params
                .iter()
                .filter(|p| p.location == location)
                .map(|p| {
                    let mut method = method_for(&p.ty);
                    let mut separator = None;
                    if let ("query_each", ListStyle::Joined(c)) = (method, p.list_style) {
                        method = "query_joined";
                        separator = Some(str_literal(&c.to_string()));
                    }
                    ValueUse {
                        method,
                        wire: str_literal(&p.name),
                        expr: option_ref(&p.ident, p.required, LIST_METHODS.contains(&method)),
                        separator,
                    }
                })
                .collect()
        };
    let query = uses(ParamLocation::Query, |ty| match ty {
        TypeRef::Vec(_) => "query_each",
        _ => "query",
    });
    let mut headers = uses(ParamLocation::Header, |ty| match ty {
        TypeRef::Vec(_) => "header_list",
        _ => "header",
    });
    headers.extend(uses(ParamLocation::Cookie, |ty| match ty {
        TypeRef::Vec(_) => "cookie_list",
        _ => "cookie",
    }));
    let path = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => PathPartView::Literal(str_literal(text)),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                PathPartView::Param {
                    wire: str_literal(&p.name),
                    expr: format!("&self.{}", p.ident),
                }
            }
        })
        .collect();

    let mut sections = vec![
        docs(op.summary.as_deref()),
        docs(op.description.as_deref()),
        md_docs(&format!(
            "{} (operation {})",
            naming::md_code(&format!("{} {}", op.method.constant(), op.path)),
            naming::md_code(&op.id)
        )),
    ];
    if op.preview {
        sections.push(md_docs(
            "**Preview:** the API may change or remove this operation without notice.",
        ));
    }
    if let Some(perm) = &op.permissions {
        let list = code_list(&perm.names);
        let which = if perm.kind.eq_ignore_ascii_case("ALL") {
            "all"
        } else {
            "any"
        };
        match perm.names.len() {
            0 => {}
            1 => sections.push(md_docs(&format!("Requires the permission {list}."))),
            _ => sections.push(md_docs(&format!(
                "Requires {which} of the permissions {list}."
            ))),
        }
    }
    if !op.scopes.is_empty() {
        let list = code_list(&op.scopes);
        sections.push(md_docs(&format!("OAuth scopes: {list}.")));
    }
    let own: Vec<&ErrorResponse> = op
        .errors
        .iter()
        .filter(|e| !group.shared.contains(e))
        .collect();
    if !op.errors.is_empty() {
        let mut lines = if group.shared.is_empty() {
            md_docs("# Errors\n\n[`Error::Api`](crate::Error::Api) with status:")
        } else if own.is_empty() {
            md_docs("# Errors\n\n[`Error::Api`](crate::Error::Api) with the statuses [every operation of the group](Self) documents.")
        } else {
            md_docs("# Errors\n\n[`Error::Api`](crate::Error::Api) with the statuses [every operation of the group](Self) documents, and with status:")
        };
        lines.extend(own.iter().map(|e| error_line(e, group.error_model)));
        sections.push(lines);
    }
    let body = op.body.as_ref().map(|b| BodyUse {
        method: match b.kind {
            MediaKind::Json => "json_body",
            MediaKind::Form => "form_body",
            MediaKind::Text => "text_body",
            MediaKind::Binary => "bytes_body",
        },
        expr: option_ref(&b.ident, b.required, false),
        media_type: str_literal(&b.media_type),
    });
    let response_enum = op.responses.as_ref().map(|r| ResponseEnumView {
        name: r.name.clone(),
        doc: str_literal(&format!(
            " The success responses of {}, by status.",
            naming::md_code(&op.id)
        )),
        variants: r
            .variants
            .iter()
            .map(|v| ResponseVariantView {
                ident: v.ident.clone(),
                doc: str_literal(&format!(
                    " {}: {}",
                    v.status,
                    naming::doc_lines(&v.description).join(" ")
                )),
                ty: v.ty.as_ref().map(|t| rust_type(t, MODELS)),
                pattern: match v.status.strip_suffix("XX") {
                    Some(d) => format!("{d}00..={d}99"),
                    None => v.status.clone(),
                },
                decode: decode_method(v.ty.is_some(), v.kind),
            })
            .collect(),
    });
    OperationView {
        id: str_literal(&op.id),
        fn_name: op.fn_name.clone(),
        builder_name: op.builder_name.clone(),
        builder_doc: str_literal(&format!(
            " {} {} request, made by `{}`.",
            naming::sentence_article(&op.id),
            naming::md_code(&op.id),
            op.fn_name
        )),
        docs: doc_paragraphs(&sections),
        deprecated: op.deprecated,
        method: op.method.constant(),
        path_template: str_literal(&op.path),
        required: fields
            .iter()
            .filter(|f| f.required)
            .map(clone_arg)
            .collect(),
        many_args: fields.iter().filter(|f| f.required).count() + 1 > CLIPPY_MAX_ARGS,
        fields,
        path,
        query,
        headers,
        body,
        output: types::output_type(op, MODELS),
        decode: decode_method(op.response.is_some(), op.response_kind),
        streams: op.responses.is_none()
            && op.response.is_some()
            && op.response_kind == MediaKind::Binary,
        response_enum,
        example: example::example(
            op,
            &arguments,
            group.module,
            group.crate_ident,
            group.error_model,
            group.models,
        ),
    }
}

/// The `Response` method that decodes a body.
fn decode_method(has_body: bool, kind: MediaKind) -> &'static str {
    match (has_body, kind) {
        (false, _) => "empty",
        (true, MediaKind::Json | MediaKind::Form) => "json",
        (true, MediaKind::Text) => "text",
        (true, MediaKind::Binary) => "bytes",
    }
}

fn clone_arg(f: &FieldArg) -> FieldArg {
    FieldArg {
        ident: f.ident.clone(),
        ty: f.ty.clone(),
        arg_ty: f.arg_ty.clone(),
        required: f.required,
        docs: f.docs.clone(),
    }
}
