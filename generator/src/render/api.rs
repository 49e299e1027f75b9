//! The views of the operation groups' files and of the groups' module.

use super::example::{self, Argument, ExampleView};
use super::model::struct_fields;
use super::{cfg_of, doc_literals, doc_paragraphs, docs, md_docs, plain_docs, CLIPPY_MAX_ARGS};
use crate::features::Features;
use crate::ir::*;
use crate::markdown;
use crate::naming::{self, str_literal};
use crate::runtime::{Helper, Part, Parts};
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
        accessor_doc: str_literal(&format!(" The {} operations.", markdown::md_code(&g.tag))),
        cfg: cfg_of("any", &[feature]),
    }
}

#[derive(Template)]
#[template(path = "api.rs", escape = "none")]
pub(super) struct ApiRs {
    /// Whether an operation of the group names a security scheme.
    has_schemes: bool,
    /// Whether an operation of the group has path parameters.
    path_params: bool,
    type_name: String,
    docs: Vec<String>,
    operations: Vec<OperationView>,
    /// The group's rules in a `Mock`.
    mock_name: String,
    module: String,
    mocks: Vec<MockView>,
}

/// The rules of one operation in a `Mock`.
struct MockView {
    fn_name: String,
    /// The operationId as a string literal.
    id: String,
    /// The Rust type of the success body, its encoder and status.
    body: String,
    encode: &'static str,
    status: u16,
}

struct OperationView {
    /// The operationId as a string literal.
    id: String,
    /// The `Accept` header as a string literal, when it is not the
    /// runtime's `application/json`.
    accept: Option<String>,
    fn_name: String,
    builder_name: String,
    builder_doc: String,
    docs: Vec<String>,
    deprecated: bool,
    method: &'static str,
    /// The path as written in the spec, as a string literal.
    path_template: String,
    /// The schemes the operation accepts, by variant: alternatives, each
    /// sent whole; `None` when the API declares no scheme.
    security: Option<Vec<Vec<String>>>,
    /// Arguments of the group method: required parameters and body.
    required: Vec<FieldArg>,
    /// The group method takes more arguments than clippy's limit (`&self` counts).
    many_args: bool,
    /// Every field of the builder.
    fields: Vec<FieldArg>,
    path: Vec<PathPartView>,
    /// The whole path as a literal, when it has no parameters.
    static_path: Option<String>,
    /// Whether some operation of the API has a server of its own (the
    /// runtime then takes each operation's, or `None`).
    op_servers: bool,
    /// The operation's own server, as a literal.
    server_lit: Option<String>,
    /// The operation's own server as Markdown, when it has one.
    server_doc: Option<String>,
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
    /// The type holding the headers the responses declare.
    declared: Option<HeadersView>,
    /// How the operation pages, when it does.
    pages: Option<PagesView>,
    example: ExampleView,
}

struct BodyUse {
    /// The `Request` method: `json_body`, `form_body`, `text_body` or `bytes_body`.
    method: &'static str,
    /// `Option<&T>` expression of the body.
    expr: String,
    /// The `Content-Type` as a string literal.
    media_type: String,
    /// A multipart body's parts, one per field of its struct.
    parts: Option<Vec<PartView>>,
    /// The struct's member of unknown fields, each sent as a part too.
    unknown: &'static str,
}

/// A field of a multipart body, sent as one part per value.
struct PartView {
    /// The part's name, the field's JSON name, as a string literal.
    wire: String,
    ident: String,
    /// The field holds the value itself, not in an `Option` or a list.
    single: bool,
    /// How many `Option` and list layers are flattened to reach each value
    /// (0 to 2) when it does not.
    flattens: usize,
    /// A file part.
    file: bool,
    /// The media type the spec's `encoding` gives the part, as a string
    /// literal.
    content_type: Option<String>,
}

struct ResponseEnumView {
    name: String,
    doc: String,
    variants: Vec<ResponseVariantView>,
}

/// How a paged operation's pages are read.
struct PagesView {
    /// The items' Rust type.
    item: String,
    /// The page's list field, when the page is not the list itself.
    field: Option<String>,
    /// How many `Option`s the list field is in (0, 1 or 2).
    layers: usize,
    /// Where the next page is.
    next: NextView,
}

enum NextView {
    /// A link in the body, at this path of names (string literals).
    Link(Vec<String>),
    /// A cursor in the body, at this path, sent back in this builder field.
    Cursor(Vec<String>, String),
    /// The `Link` header's `rel="next"`.
    LinkHeader,
    /// A page number in this builder field, counted from this number.
    PageNumber(String, i64),
}

/// The headers an operation's responses declare, as a struct.
struct HeadersView {
    name: String,
    doc: String,
    fields: Vec<HeaderFieldView>,
    /// Some header is deprecated: reading it is allowed.
    any_deprecated: bool,
}

struct HeaderFieldView {
    ident: String,
    /// The header's name, as a string literal.
    wire: String,
    /// The value's Rust type (the field is an `Option` of it).
    ty: String,
    docs: Vec<String>,
    deprecated: bool,
}

struct ResponseVariantView {
    ident: String,
    docs: Vec<String>,
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
    let mut group_docs = md_docs(&format!("Operations tagged {}.", markdown::md_code(&g.tag)));
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
        group_docs.extend(shared.iter().flat_map(|e| error_line(e, error_model)));
    }
    let context = GroupContext {
        module: &g.module,
        shared: &shared,
        error_model,
        crate_ident,
        models: &api.models,
        schemes: &api.schemes,
        op_servers: (api.groups.iter())
            .flat_map(|g| &g.operations)
            .any(|op| op.server.is_some()),
    };
    ApiRs {
        has_schemes: (g.operations.iter())
            .any(|op| op.security.alternatives.iter().any(|all| !all.is_empty())),
        path_params: g.operations.iter().any(Operation::has_path_params),
        type_name: g.type_name.clone(),
        docs: group_docs,
        mock_name: g.mock_name.clone(),
        module: g.module.clone(),
        mocks: (g.operations.iter())
            .map(|op| {
                let (body, encode, status) = types::mock_success(op, "crate::models::");
                MockView {
                    fn_name: op.fn_name.clone(),
                    id: str_literal(&op.id),
                    body,
                    encode,
                    status,
                }
            })
            .collect(),
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
    /// The API's security schemes.
    schemes: &'a [SecurityScheme],
    /// Whether some operation of the API has a server of its own.
    op_servers: bool,
}

/// The line of an error status in a list of them, as a doc literal. The
/// error model is decoded into every `ApiError` already; other error body
/// types are named.
/// The doc lines of one error status: an item of the list of statuses.
fn error_line(e: &ErrorResponse, error_model: Option<&str>) -> Vec<String> {
    let body = match &e.ty {
        Some(TypeRef::Named(n)) if Some(n.as_str()) != error_model => {
            format!(
                ", with {} [`{n}`](crate::models::{n}) body (decode it with [`ApiError::body_as`](crate::ApiError::body_as))",
                naming::indefinite_article(n)
            )
        }
        _ => String::new(),
    };
    let label = format!("{}:", e.status);
    doc_literals(&markdown::list_item(&markdown::labelled(
        &label,
        &e.description,
        &body,
    )))
}

/// `Option<&T>` for a builder field.
/// Names as Markdown code spans, comma-separated.
fn code_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| markdown::md_code(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The runtime's wrapper that writes a date-time as RFC 3339.
const RFC3339: &str = "crate::client::Rfc3339";

/// Whether `ty` is a date-time, or a list of them: written through
/// [`RFC3339`], since chrono's `Display` is not RFC 3339.
fn is_date_time(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::DateTime => true,
        TypeRef::Vec(inner) => **inner == TypeRef::DateTime,
        _ => false,
    }
}

/// The argument a query, header or cookie parameter is passed to its
/// `Request` method as.
fn param_expr(p: &Param, slice: bool) -> String {
    let ident = &p.ident;
    match (&p.ty, p.required) {
        (TypeRef::DateTime, true) => format!("Some(&{RFC3339}(&self.{ident}))"),
        (TypeRef::DateTime, false) => format!("self.{ident}.as_ref().map({RFC3339}).as_ref()"),
        (ty, true) if is_date_time(ty) => {
            format!("Some(self.{ident}.iter().map({RFC3339}).collect::<Vec<_>>().as_slice())")
        }
        (ty, false) if is_date_time(ty) => format!(
            "self.{ident}.as_ref().map(|v| v.iter().map({RFC3339}).collect::<Vec<_>>()).as_deref()"
        ),
        _ => option_ref(ident, p.required, slice),
    }
}

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
                markdown::md_code(&p.name),
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
    let uses = |location: ParamLocation| -> Vec<ValueUse> {
        op.params
            .iter()
            .filter(|p| p.location == location)
            .filter_map(|p| {
                let helper = param_helper(p)?;
                let separator = match p.list_style {
                    ListStyle::Joined(c) if helper == Helper::QueryJoined => {
                        Some(str_literal(&c.to_string()))
                    }
                    _ => None,
                };
                Some(ValueUse {
                    method: helper.method(),
                    wire: str_literal(&p.name),
                    expr: param_expr(p, helper.takes_list()),
                    separator,
                })
            })
            .collect()
    };
    let query = uses(ParamLocation::Query);
    let mut headers = uses(ParamLocation::Header);
    headers.extend(uses(ParamLocation::Cookie));
    let path = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => PathPartView::Literal(str_literal(text)),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                PathPartView::Param {
                    wire: str_literal(&p.name),
                    expr: match p.ty {
                        TypeRef::DateTime => format!("&{RFC3339}(&self.{})", p.ident),
                        _ => format!("&self.{}", p.ident),
                    },
                }
            }
        })
        .collect();

    let mut sections = vec![
        plain_docs(op.summary.as_deref()),
        docs(op.description.as_deref()),
        md_docs(&format!(
            "{} (operation {})",
            markdown::md_code(&format!("{} {}", op.method.constant(), op.path)),
            markdown::md_code(&op.id)
        )),
    ];
    if let Some(url) = &op.server {
        sections.push(md_docs(&format!(
            "Sent to its own server, {}, not the client's base URL;\n[`server_url`]({}::server_url) sends it elsewhere.",
            markdown::md_code(url),
            op.builder_name
        )));
    }
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
    if let Some(line) = credentials_doc(op, group.schemes) {
        sections.push(md_docs(&line));
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
        lines.extend(own.iter().flat_map(|e| error_line(e, group.error_model)));
        sections.push(lines);
    }
    let body = op.body.as_ref().map(|b| BodyUse {
        method: body_helper(b.kind).method(),
        expr: option_ref(&b.ident, b.required, false),
        media_type: str_literal(&b.media_type),
        parts: match (&b.kind, &b.ty) {
            (MediaKind::Multipart, TypeRef::Named(name)) => {
                struct_fields(group.models, name).map(|fields| parts(fields, &b.part_types))
            }
            _ => None,
        },
        unknown: naming::UNKNOWN_FIELDS,
    });
    let response_enum = op.responses.as_ref().map(|r| ResponseEnumView {
        name: r.name.clone(),
        doc: str_literal(&format!(
            " The success responses of {}, by status.",
            markdown::md_code(&op.id)
        )),
        variants: r
            .variants
            .iter()
            .map(|v| ResponseVariantView {
                ident: v.ident.clone(),
                docs: doc_literals(&markdown::labelled(
                    &format!("{}:", v.status),
                    &v.description,
                    "",
                )),
                ty: v.ty.as_ref().map(|t| rust_type(t, MODELS)),
                pattern: match v.status.strip_suffix("XX") {
                    Some(d) => format!("{d}00..={d}99"),
                    None => v.status.clone(),
                },
                decode: decode_helper(v.ty.is_some(), v.kind).method(),
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
            markdown::md_code(&op.id),
            op.fn_name
        )),
        docs: doc_paragraphs(&sections),
        deprecated: op.deprecated,
        method: op.method.constant(),
        path_template: str_literal(&op.path),
        security: (!group.schemes.is_empty()).then(|| {
            (op.security.alternatives.iter())
                .map(|all| {
                    all.iter()
                        .map(|&i| group.schemes[i].variant.clone())
                        .collect()
                })
                .collect()
        }),
        required: fields
            .iter()
            .filter(|f| f.required)
            .map(clone_arg)
            .collect(),
        many_args: fields.iter().filter(|f| f.required).count() + 1 > CLIPPY_MAX_ARGS,
        fields,
        static_path: (!op.has_path_params()).then(|| str_literal(&op.path)),
        op_servers: group.op_servers,
        server_lit: op.server.as_deref().map(str_literal),
        server_doc: op.server.as_deref().map(markdown::md_code),
        path,
        query,
        headers,
        body,
        output: types::output_type(op, MODELS),
        decode: decode_helper(op.response.is_some(), op.response_kind).method(),
        accept: accept(op).as_deref().map(str_literal),
        streams: streams(op),
        response_enum,
        declared: op.response_headers.as_ref().map(|h| headers_view(op, h)),
        pages: op
            .pagination
            .as_ref()
            .map(|p| pages_view(op, p, group.models)),
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

/// How `op`'s pages are read: its items and its next page.
fn pages_view(op: &Operation, p: &Pagination, models: &[Model]) -> PagesView {
    let (field, layers) = match &p.items {
        PageItems::Body => (None, 0),
        PageItems::Field(name) => {
            let field = (op.response.as_ref())
                .and_then(|ty| match ty {
                    TypeRef::Named(model) => struct_fields(models, model),
                    _ => None,
                })
                .and_then(|fields| fields.iter().find(|f| f.name == *name));
            match field {
                Some(f) => (
                    Some(f.ident.clone()),
                    usize::from(!f.in_new()) + usize::from(f.tri_state()),
                ),
                None => (None, 0),
            }
        }
    };
    let path = |names: &[String]| names.iter().map(|n| str_literal(n)).collect();
    PagesView {
        item: rust_type(&p.item, "crate::models::"),
        field,
        layers,
        next: match &p.next {
            NextPage::Link(names) => NextView::Link(path(names)),
            NextPage::Cursor(names, param) => {
                NextView::Cursor(path(names), op.params[*param].ident.clone())
            }
            NextPage::LinkHeader => NextView::LinkHeader,
            NextPage::PageNumber { param, first } => {
                NextView::PageNumber(op.params[*param].ident.clone(), *first)
            }
        },
    }
}

/// The struct of the headers `op`'s responses declare.
fn headers_view(op: &Operation, headers: &ResponseHeaders) -> HeadersView {
    HeadersView {
        name: headers.name.clone(),
        doc: str_literal(&format!(
            " The headers the responses of {} declare, read by `send_with_meta`.",
            markdown::md_code(&op.id)
        )),
        fields: (headers.headers.iter())
            .map(|h| HeaderFieldView {
                ident: h.ident.clone(),
                wire: str_literal(&h.name),
                // Headers are scalars or lists of them: no model is named.
                ty: rust_type(&h.ty, ""),
                docs: doc_literals(&markdown::labelled(
                    &format!("{}:", markdown::md_code(&h.name)),
                    h.description.as_deref().unwrap_or("the header's value."),
                    "",
                )),
                deprecated: h.deprecated,
            })
            .collect(),
        any_deprecated: headers.headers.iter().any(|h| h.deprecated),
    }
}

/// The sentence saying which credentials an operation is sent with, when
/// the API declares schemes.
fn credentials_doc(op: &Operation, schemes: &[SecurityScheme]) -> Option<String> {
    if schemes.is_empty() {
        return None;
    }
    let all: Vec<String> = (op.security.alternatives.iter())
        .filter(|a| !a.is_empty())
        .map(|a| {
            let names: Vec<String> = a
                .iter()
                .map(|&i| markdown::md_code(&schemes[i].key))
                .collect();
            naming::all_of(&names)
        })
        .collect();
    Some(match (all.is_empty(), op.security.optional()) {
        (true, _) => "Sent without credentials.".to_owned(),
        (false, false) => format!("Credentials: {}.", naming::either_of(&all)),
        (false, true) => format!(
            "Credentials: {}, when the client has them.",
            naming::either_of(&all)
        ),
    })
}

/// The `Request` method that adds a query, header or cookie parameter;
/// `None` for path parameters.
fn param_helper(p: &Param) -> Option<Helper> {
    let list = matches!(p.ty, TypeRef::Vec(_));
    Some(match (p.location, list) {
        (ParamLocation::Path, _) => return None,
        (ParamLocation::Query, true) => match p.list_style {
            ListStyle::Joined(_) => Helper::QueryJoined,
            ListStyle::Repeated => Helper::QueryEach,
        },
        (ParamLocation::Query, false) => Helper::Query,
        (ParamLocation::Header, true) => Helper::HeaderList,
        (ParamLocation::Header, false) => Helper::Header,
        (ParamLocation::Cookie, true) => Helper::CookieList,
        (ParamLocation::Cookie, false) => Helper::Cookie,
    })
}

/// The `Request` method that sets a body.
fn body_helper(kind: MediaKind) -> Helper {
    match kind {
        MediaKind::Json => Helper::JsonBody,
        MediaKind::Form => Helper::FormBody,
        MediaKind::Multipart => Helper::MultipartBody,
        MediaKind::Text => Helper::TextBody,
        MediaKind::Binary => Helper::BytesBody,
    }
}

/// The parts of a multipart body of struct `fields`, with the media types
/// the spec's `encoding` gives some of them.
fn parts(fields: &[Field], part_types: &[(String, String)]) -> Vec<PartView> {
    fields
        .iter()
        .map(|f| {
            let (list, leaf) = match &f.ty {
                TypeRef::Vec(inner) => (true, &**inner),
                ty => (false, ty),
            };
            let layers = usize::from(!f.in_new()) + usize::from(f.tri_state());
            PartView {
                wire: str_literal(&f.name),
                ident: f.ident.clone(),
                single: layers == 0 && !list,
                flattens: if list {
                    layers
                } else {
                    layers.saturating_sub(1)
                },
                file: *leaf == TypeRef::File,
                content_type: (part_types.iter())
                    .find(|(name, _)| *name == f.name)
                    .map(|(_, media)| str_literal(media)),
            }
        })
        .collect()
}

/// The `Accept` header of an operation whose success bodies are not all
/// read as `application/json`: their media types.
fn accept(op: &Operation) -> Option<String> {
    match op.accept.as_slice() {
        [] => None,
        [one] if one == "application/json" => None,
        media => Some(media.join(", ")),
    }
}

/// Whether the operation also offers `send_streaming`.
fn streams(op: &Operation) -> bool {
    op.responses.is_none() && op.response.is_some() && op.response_kind == MediaKind::Binary
}

/// The parts of the runtime the operations use: the request and response
/// helpers they call, path parameters, servers of their own, date-times,
/// several success statuses and streamed bodies.
pub(super) fn runtime_uses(api: &Api) -> Parts {
    let mut parts = Parts::default();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        parts.extend(op.params.iter().filter_map(param_helper).map(Helper::part));
        parts.extend(op.body.as_ref().map(|b| body_helper(b.kind).part()));
        parts.set(Part::PathParams, op.has_path_params());
        parts.set(Part::Streaming, streams(op));
        parts.set(Part::ResponseHeaders, op.response_headers.is_some());
        if let Some(p) = &op.pagination {
            parts.insert(Part::Pagination);
            match p.next {
                NextPage::Link(_) => parts.extend([Part::PageLinks, Part::PageInBody]),
                NextPage::Cursor(..) => parts.insert(Part::PageInBody),
                NextPage::LinkHeader => parts.extend([Part::PageLinks, Part::PageLinkHeader]),
                NextPage::PageNumber { .. } => parts.insert(Part::PageNumbers),
            }
        }
        parts.set(Part::OperationServers, op.server.is_some());
        parts.set(Part::Accept, accept(op).is_some());
        parts.set(
            Part::DateTimes,
            op.params.iter().any(|p| is_date_time(&p.ty)),
        );
        match &op.responses {
            Some(r) => {
                parts.insert(Part::Statuses);
                parts.extend(
                    (r.variants.iter())
                        .filter(|v| v.ty.is_some())
                        .map(|v| decode_helper(true, v.kind).part()),
                );
            }
            None => parts.insert(decode_helper(op.response.is_some(), op.response_kind).part()),
        }
    }
    parts
}

/// The `Response` method that decodes a body.
fn decode_helper(has_body: bool, kind: MediaKind) -> Helper {
    match (has_body, kind) {
        (false, _) => Helper::Empty,
        (true, MediaKind::Json | MediaKind::Form) => Helper::Json,
        (true, MediaKind::Text) => Helper::Text,
        (true, MediaKind::Binary | MediaKind::Multipart) => Helper::Bytes,
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
