//! Render: turn the IR into file contents through the askama templates in
//! `templates/`. The views here hold every string a template prints, already
//! decided and escaped; templates only lay them out.

use crate::features::{self, Features};
use crate::ir::*;
use crate::naming::{self, str_literal};
use crate::types::{self, rust_type};
use askama::Template;
use example::{Argument, ExampleView};

mod example;

/// The runtime that ships verbatim inside every generated crate.
pub const RUNTIME: &[(&str, &str)] = &[
    (
        "src/auth.rs",
        include_str!("../../templates/runtime/auth.rs"),
    ),
    (
        "src/client.rs",
        include_str!("../../templates/runtime/client.rs"),
    ),
    (
        "src/config.rs",
        include_str!("../../templates/runtime/config.rs"),
    ),
    (
        "src/fields.rs",
        include_str!("../../templates/runtime/fields.rs"),
    ),
];

/// Clippy's `too_many_arguments` limit; functions over it are allowed explicitly.
const CLIPPY_MAX_ARGS: usize = 7;

/// What the emitted crate is called and versioned as.
#[derive(Debug, Clone)]
pub struct CrateInfo {
    pub name: String,
    pub version: String,
}

/// A rendered file, before formatting: a path relative to the crate root.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    pub path: String,
    pub contents: String,
}

#[derive(Debug)]
pub struct RenderError(pub String);

/// The file at `path` (relative to the crate root), rendered from `t`.
fn render_file(path: String, t: &impl Template) -> Result<RenderedFile, RenderError> {
    match t.render() {
        Ok(contents) => Ok(RenderedFile { path, contents }),
        Err(e) => Err(RenderError(format!("rendering {path}: {e}"))),
    }
}

/// Renders every file of the crate.
pub fn render(api: &Api, info: &CrateInfo) -> Result<Vec<RenderedFile>, RenderError> {
    pending(api, info)?
        .into_iter()
        .map(Pending::render)
        .collect()
}

/// A file of the crate, rendered or waiting to be. A large crate is mostly
/// model and operation files: handing those out unrendered lets each be
/// rendered on the thread that formats it.
pub enum Pending<'a> {
    Rendered(RenderedFile),
    Model {
        model: &'a Model,
        /// Every model of the API.
        models: &'a [Model],
    },
    Group {
        group: &'a Group,
        api: &'a Api,
        /// The crate's identifier, for the examples.
        crate_ident: String,
    },
}

impl Pending<'_> {
    pub fn render(self) -> Result<RenderedFile, RenderError> {
        match self {
            Pending::Rendered(file) => Ok(file),
            Pending::Model { model, models } => render_file(
                format!("src/models/{}.rs", model.module),
                &model_view(model, models),
            ),
            Pending::Group {
                group,
                api,
                crate_ident,
            } => render_file(
                format!("src/apis/{}.rs", group.module),
                &group_view(group, api, &crate_ident),
            ),
        }
    }

    /// Roughly how many bytes the file will hold, to share out the work.
    pub fn size(&self) -> usize {
        match self {
            Pending::Rendered(file) => file.contents.len(),
            Pending::Model { model, .. } => match &model.kind {
                ModelKind::Struct(fields) => 1500 + 1000 * fields.len(),
                ModelKind::Enum(variants) => 1500 + 150 * variants.len(),
                ModelKind::Union(union) => 1000 + 400 * union.variants.len(),
                ModelKind::Alias(_) => 200,
            },
            Pending::Group { group, .. } => 500 + 4000 * group.operations.len(),
        }
    }
}

/// A small file of the crate, rendered at once.
fn rendered(path: &str, t: &impl Template) -> Result<Pending<'static>, RenderError> {
    render_file(path.to_owned(), t).map(Pending::Rendered)
}

/// Every file of the crate: the few small ones rendered, the models and
/// operation groups waiting.
pub fn pending<'a>(api: &'a Api, info: &CrateInfo) -> Result<Vec<Pending<'a>>, RenderError> {
    let features = features::plan(api);
    let mut files = vec![
        rendered(
            "Cargo.toml",
            &CargoToml {
                header_toml: crate::header::header_lines("#").join("\n"),
                crate_name: &info.name,
                crate_version: &info.version,
                description_lit: str_literal(&format!(
                    "Rust client for {} {}",
                    api.title, api.version
                )),
                features: features.all().map(|f| f.name.as_str()).collect(),
            },
        )?,
        rendered("src/lib.rs", &lib_view(api, info, &features))?,
    ];
    files.extend(RUNTIME.iter().map(|(path, contents)| {
        Pending::Rendered(RenderedFile {
            path: (*path).to_owned(),
            contents: (*contents).to_owned(),
        })
    }));
    files.push(rendered(
        "src/error.rs",
        &ErrorRs {
            error_model: api.error_model.clone(),
            error_message: error_has_message(api),
        },
    )?);
    files.push(rendered(
        "src/models/mod.rs",
        &models_mod_view(api, &features),
    )?);
    files.extend(api.models.iter().map(|model| Pending::Model {
        model,
        models: &api.models,
    }));
    files.push(rendered(
        "src/apis/mod.rs",
        &ApisMod {
            groups: api
                .groups
                .iter()
                .zip(&features.groups)
                .map(|(g, f)| group_ref_view(g, &f.name))
                .collect(),
        },
    )?);
    files.extend(api.groups.iter().map(|group| Pending::Group {
        group,
        api,
        crate_ident: naming::crate_ident(&info.name),
    }));
    Ok(files)
}

fn error_has_message(api: &Api) -> bool {
    let Some(name) = &api.error_model else {
        return false;
    };
    api.models.iter().any(|m| {
        &m.name == name
            && matches!(&m.kind, ModelKind::Struct(fields)
                if fields.iter().any(|f| f.ident == "message" && f.ty == TypeRef::String && !f.required))
    })
}

/// Doc attributes' string literals, one per line, with the leading space
/// rustdoc conventionally has.
fn docs(text: Option<&str>) -> Vec<String> {
    text.map(naming::doc_lines)
        .unwrap_or_default()
        .iter()
        .map(|line| {
            str_literal(&if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            })
        })
        .collect()
}

/// Doc attribute literals for Markdown the generator wrote itself (spec text
/// inside it already went through [`naming::md_code`] or [`naming::doc_lines`]).
fn md_docs(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .map(|line| {
            str_literal(&if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            })
        })
        .collect()
}

fn doc_paragraphs(paragraphs: &[Vec<String>]) -> Vec<String> {
    let mut out = Vec::new();
    for p in paragraphs.iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(str_literal(""));
        }
        out.extend(p.iter().cloned());
    }
    out
}

// ------------------------------------------------------------------ crate files

#[derive(Template)]
#[template(path = "Cargo.toml", escape = "none")]
struct CargoToml<'a> {
    header_toml: String,
    crate_name: &'a str,
    crate_version: &'a str,
    description_lit: String,
    /// Every feature (names are `snake_case` or `kebab-case`: bare TOML keys); all are default.
    features: Vec<&'a str>,
}

/// A `cfg` predicate that holds when any (`combine` = `any`) or all
/// (`all`) of `features` are on. For none, `any()` never holds and `all()`
/// always does.
fn cfg_of(combine: &str, features: &[&str]) -> String {
    let one = |f: &&str| format!("feature = {}", str_literal(f));
    match features {
        [f] => one(f),
        _ => format!(
            "{combine}({})",
            features.iter().map(one).collect::<Vec<_>>().join(", ")
        ),
    }
}

#[derive(Template)]
#[template(path = "lib.rs", escape = "none")]
struct LibRs {
    crate_docs: Vec<String>,
    crate_ident: String,
    /// The group accessor and operation the crate example calls.
    example: Option<(String, String)>,
    /// The `cfg` predicate of the example's group.
    example_cfg: String,
    crate_name: String,
    crate_version: String,
    /// The feature the Features section's dependency line names.
    example_feature: Option<String>,
    /// The list of features, as doc literals.
    feature_docs: Vec<String>,
    /// The `cfg` predicate under which `apis` exports anything.
    apis_cfg: String,
    /// The `cfg` predicate under which every group is compiled.
    all_groups_cfg: String,
    default_base_url: String,
}

fn feature_docs(api: &Api, features: &Features) -> Vec<String> {
    let mut lines: Vec<String> = api
        .groups
        .iter()
        .zip(&features.groups)
        .map(|(g, f)| {
            format!(
                "- {}: the operations tagged {}.",
                naming::md_code(&f.name),
                naming::md_code(&g.tag)
            )
        })
        .collect();
    if let Some(f) = &features.unreferenced {
        let own = features
            .by_model()
            .values()
            .filter(|fs| fs.as_slice() == [f.name.as_str()])
            .count();
        lines.push(format!(
            "- {}: the {} no operation uses, kept for completeness.",
            naming::md_code(&f.name),
            naming::counted(own, "model", "models")
        ));
    }
    if let Some(error) = &api.error_model {
        lines.push(String::new());
        // `always` holds the error model and the models it uses.
        lines.push(match features.always.len().saturating_sub(1) {
            0 => format!(
                "The error model {} is compiled whatever the features.",
                naming::md_code(error)
            ),
            uses => format!(
                "The error model {} and the {} it uses are compiled whatever the features.",
                naming::md_code(error),
                naming::counted(uses, "model", "models")
            ),
        });
    }
    md_docs(&lines.join("\n"))
}

fn lib_view(api: &Api, info: &CrateInfo, features: &Features) -> LibRs {
    let title = format!("{} ({})", api.title, api.version);
    let mut crate_docs = docs(Some(&title));
    crate_docs.push(str_literal(""));
    crate_docs.extend(docs(api.description.as_deref()));
    crate_docs.push(str_literal(""));
    crate_docs.extend(md_docs(&format!(
        "Generated from the API's OpenAPI description by openapi-rust-codegen. Default base URL: {}.",
        naming::md_code(&api.default_base_url)
    )));
    let ident = naming::crate_ident(&info.name);
    // The example calls an operation that needs no arguments, a GET if there is one.
    let callable: Vec<(&Group, &Operation)> = api
        .groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |o| (g, o)))
        .filter(|(_, o)| {
            o.params.iter().all(|p| !p.required) && o.body.as_ref().is_none_or(|b| !b.required)
        })
        .collect();
    let chosen = callable
        .iter()
        .find(|(_, o)| o.method == Method::Get)
        .or(callable.first());
    let feature_of = |module: &str| {
        api.groups
            .iter()
            .zip(&features.groups)
            .find(|(g, _)| g.module == module)
            .map(|(_, f)| f.name.as_str())
    };
    let example_feature = chosen
        .and_then(|(g, _)| feature_of(&g.module))
        .or(features.groups.first().map(|f| f.name.as_str()));
    let group_features: Vec<&str> = features.groups.iter().map(|f| f.name.as_str()).collect();
    LibRs {
        crate_docs,
        example: chosen.map(|(g, o)| (g.module.clone(), o.fn_name.clone())),
        example_cfg: cfg_of("any", example_feature.as_slice()),
        crate_name: info.name.clone(),
        crate_version: info.version.clone(),
        example_feature: example_feature.map(str::to_owned),
        feature_docs: feature_docs(api, features),
        apis_cfg: cfg_of("any", &group_features),
        all_groups_cfg: cfg_of("all", &group_features),
        crate_ident: ident,
        default_base_url: str_literal(&api.default_base_url),
    }
}

#[derive(Template)]
#[template(path = "error.rs", escape = "none")]
struct ErrorRs {
    error_model: Option<String>,
    error_message: bool,
}

// ----------------------------------------------------------------------- models

#[derive(Template)]
#[template(path = "models_mod.rs", escape = "none")]
struct ModelsMod<'a> {
    models: Vec<ModelRefView<'a>>,
}

struct ModelRefView<'a> {
    module: &'a str,
    name: &'a str,
    /// The `cfg` predicate of the features that compile the model; `None` when it always is.
    cfg: Option<String>,
}

fn models_mod_view<'a>(api: &'a Api, features: &Features) -> ModelsMod<'a> {
    let by_model = features.by_model();
    ModelsMod {
        models: api
            .models
            .iter()
            .map(|m| ModelRefView {
                module: &m.module,
                name: &m.name,
                cfg: by_model
                    .get(m.name.as_str())
                    .filter(|fs| !fs.is_empty())
                    .map(|fs| cfg_of("any", fs)),
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "model.rs", escape = "none")]
struct ModelRs {
    name: String,
    docs: Vec<String>,
    imports: Vec<String>,
    kind: ModelView,
}

enum ModelView {
    Struct(StructView),
    Enum(EnumView),
    Alias(String),
    Union(UnionView),
}

struct UnionView {
    /// The discriminator property as a string literal.
    discriminator: Option<String>,
    /// The struct models' member of unknown fields.
    unknown: &'static str,
    variants: Vec<UnionVariantView>,
}

struct UnionVariantView {
    ident: String,
    doc: String,
    /// The variant's field type (boxed when recursive).
    ty: String,
    /// The type decoded before wrapping.
    inner_ty: String,
    /// Wraps the decoded `inner` into the variant's field.
    wrap: String,
    /// Discriminator values as string literals.
    tags: Vec<String>,
    /// The variant holds a struct model, which keeps the keys it does not
    /// know: how well it fits is how many keys it knows.
    struct_type: bool,
}

struct StructView {
    fields: Vec<FieldView>,
    /// The member holding the fields the model does not know.
    unknown: &'static str,
    /// Where the decoder puts those: in the value being built or a local.
    unknown_target: String,
    /// The setter that adds one.
    unknown_setter: String,
    /// The doc comment of `new`.
    new_doc: String,
    /// What the decoder says it expected when the input is not an object.
    expecting: String,
    /// Every field is optional, so `Default` is derived.
    default: bool,
    /// `new` takes more arguments than clippy's limit.
    many_args: bool,
    /// Some field is left out of the JSON when it is `None`.
    optional_entries: bool,
    any_deprecated: bool,
}

struct FieldView {
    ident: String,
    wire: String,
    docs: Vec<String>,
    /// The declared type.
    ty: String,
    /// What the constructor and setter accept through `impl Into<…>`.
    arg_ty: String,
    /// How the argument (named like the field) is stored.
    store: String,
    /// Left out of the JSON when `None`: not required. (A required field
    /// that may be null is sent as `null`.)
    optional_entry: bool,
    /// Where the decoder puts it: a field of the value being built (a model
    /// without required fields starts from its default) or a local variable.
    target: String,
    /// That local variable (unused when the value is built in place).
    local: String,
    /// The local is named like the field, so the struct literal names it alone.
    shorthand: bool,
    setter: String,
    setter_doc: String,
    required: bool,
    deprecated: bool,
}

struct EnumView {
    variants: Vec<VariantView>,
}

struct VariantView {
    ident: String,
    wire: String,
    doc: String,
}

/// `models` are every model of the API, sorted by name.
fn model_view(model: &Model, models: &[Model]) -> ModelRs {
    let mut imports = Vec::new();
    let mut doc = vec![docs(model.description.as_deref())];
    let kind = match &model.kind {
        ModelKind::Struct(fields) => {
            // Without required fields, `new` takes no argument, `Default` is
            // derived, and the decoder fills a default value in place.
            let default = fields.iter().all(|f| !f.in_new());
            let fields = fields
                .iter()
                .map(|f| {
                    collect_named(&f.ty, &mut imports);
                    let inner = rust_type(&f.ty, "");
                    let value = if f.boxed {
                        format!("Box::new({}.into())", f.ident)
                    } else {
                        format!("{}.into()", f.ident)
                    };
                    let mut notes = Vec::new();
                    if f.read_only {
                        notes.push("Read-only: set by the server, ignored in requests.".to_owned());
                    }
                    if f.write_only {
                        notes.push("Write-only: sent in requests, never returned.".to_owned());
                    }
                    if f.nullable {
                        notes.push("May be null.".to_owned());
                    }
                    notes.extend(f.constraints.iter().cloned());
                    let in_new = f.in_new();
                    let local = naming::decoded_field_local(&f.ident);
                    FieldView {
                        ident: f.ident.clone(),
                        wire: str_literal(&f.name),
                        docs: doc_paragraphs(&[
                            docs(f.description.as_deref()),
                            md_docs(&format!("JSON field {}.", naming::md_code(&f.name))),
                            docs(Some(&notes.join("\n"))),
                        ]),
                        ty: types::field_type(f, ""),
                        arg_ty: inner,
                        store: if in_new {
                            value
                        } else {
                            format!("Some({value})")
                        },
                        optional_entry: !f.required,
                        target: if default {
                            format!("value.{}", f.ident)
                        } else {
                            local.clone()
                        },
                        shorthand: local == f.ident,
                        local,
                        setter: naming::setter(&f.ident),
                        setter_doc: str_literal(&format!(" Sets {}.", naming::md_code(&f.name))),
                        required: in_new,
                        deprecated: f.deprecated,
                    }
                })
                .collect::<Vec<_>>();
            let required = fields.iter().filter(|f| f.required).count();
            ModelView::Struct(StructView {
                unknown: naming::UNKNOWN_FIELDS,
                unknown_setter: naming::setter(naming::UNKNOWN_FIELD),
                unknown_target: if default {
                    format!("value.{}", naming::UNKNOWN_FIELDS)
                } else {
                    naming::UNKNOWN_FIELDS.to_owned()
                },
                new_doc: str_literal(match (required, fields.len()) {
                    (0, 0) => " A value without fields: only unknown ones can be added.",
                    (0, _) => " A value with every field unset.",
                    (_, n) if n == required => " A value with the given fields.",
                    _ => " A value with the given required fields and no optional ones.",
                }),
                expecting: str_literal(&format!(
                    "{} `{}` object",
                    naming::indefinite_article(&model.name),
                    model.name
                )),
                default,
                many_args: required > CLIPPY_MAX_ARGS,
                optional_entries: fields.iter().any(|f| f.optional_entry),
                any_deprecated: fields.iter().any(|f| f.deprecated),
                fields,
            })
        }
        ModelKind::Enum(variants) => ModelView::Enum(EnumView {
            variants: variants
                .iter()
                .map(|v| VariantView {
                    ident: v.ident.clone(),
                    wire: str_literal(&v.value),
                    doc: str_literal(&format!(" {}", naming::md_code(&v.value))),
                })
                .collect(),
        }),
        ModelKind::Alias(ty) => {
            collect_named(ty, &mut imports);
            ModelView::Alias(rust_type(ty, ""))
        }
        ModelKind::Union(union) => ModelView::Union(UnionView {
            discriminator: union.discriminator.as_deref().map(str_literal),
            unknown: naming::UNKNOWN_FIELDS,
            variants: union
                .variants
                .iter()
                .map(|v| {
                    collect_named(&v.ty, &mut imports);
                    let inner = rust_type(&v.ty, "");
                    UnionVariantView {
                        ident: v.ident.clone(),
                        doc: match &v.ty {
                            TypeRef::Named(n) => {
                                str_literal(&format!(" {} [`{n}`].", naming::sentence_article(n)))
                            }
                            _ => str_literal(&format!(
                                " {} `{inner}`.",
                                naming::sentence_article(&inner)
                            )),
                        },
                        struct_type: matches!(&v.ty, TypeRef::Named(n) if is_struct(models, n)),
                        ty: types::variant_type(v, ""),
                        wrap: if v.boxed {
                            "Box::new(inner)".to_owned()
                        } else {
                            "inner".to_owned()
                        },
                        inner_ty: inner,
                        tags: v.tags.iter().map(|t| str_literal(t)).collect(),
                    }
                })
                .collect(),
        }),
    };
    doc.push(md_docs(&format!(
        "Schema: {}",
        naming::md_code(&format!("#{}", model.pointer))
    )));
    imports.sort();
    imports.dedup();
    imports.retain(|i| i != &model.name);
    ModelRs {
        name: model.name.clone(),
        docs: doc_paragraphs(&doc),
        imports,
        kind,
    }
}

/// Is the type named `name` among `models` (sorted by name) a struct, or an
/// alias of one?
fn is_struct(models: &[Model], name: &str) -> bool {
    let mut name = name;
    // An alias chain is at most as long as the list of models.
    for _ in 0..=models.len() {
        let Ok(i) = models.binary_search_by(|m| m.name.as_str().cmp(name)) else {
            return false;
        };
        match &models[i].kind {
            ModelKind::Struct(_) => return true,
            ModelKind::Alias(TypeRef::Named(next)) => name = next,
            _ => return false,
        }
    }
    false
}

fn collect_named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => collect_named(inner, out),
        _ => {}
    }
}

// ------------------------------------------------------------------------- apis

#[derive(Template)]
#[template(path = "apis_mod.rs", escape = "none")]
struct ApisMod {
    groups: Vec<GroupRefView>,
}

struct GroupRefView {
    module: String,
    type_name: String,
    accessor_doc: String,
    /// The `cfg` predicate of the group's feature.
    cfg: String,
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
struct ApiRs {
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
}

fn group_view(g: &Group, api: &Api, crate_ident: &str) -> ApiRs {
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
    let mut arguments: Vec<Argument<'_>> = op
        .params
        .iter()
        .map(|p| Argument {
            ident: &p.ident,
            ty: &p.ty,
            required: p.required,
        })
        .collect();
    arguments.extend(op.body.iter().map(|b| Argument {
        ident: &b.ident,
        ty: &b.ty,
        required: b.required,
    }));
    let mut fields: Vec<FieldArg> = op
        .params
        .iter()
        .map(|p| {
            let ty = rust_type(&p.ty, MODELS);
            FieldArg {
                ident: p.ident.clone(),
                ty: if p.required {
                    ty.clone()
                } else {
                    format!("Option<{ty}>")
                },
                arg_ty: ty,
                required: p.required,
                docs: doc_paragraphs(&[
                    docs(p.description.as_deref()),
                    md_docs(&format!(
                        "The {} {} parameter.",
                        naming::md_code(&p.name),
                        p.location.word()
                    )),
                ]),
            }
        })
        .collect();
    if let Some(body) = &op.body {
        let ty = rust_type(&body.ty, MODELS);
        fields.push(FieldArg {
            ident: body.ident.clone(),
            ty: if body.required {
                ty.clone()
            } else {
                format!("Option<{ty}>")
            },
            arg_ty: ty,
            required: body.required,
            docs: doc_paragraphs(&[
                docs(body.description.as_deref()),
                md_docs("The request body."),
            ]),
        });
    }
    let uses =
        |location: ParamLocation, method_for: fn(&TypeRef) -> &'static str| -> Vec<ValueUse> {
            op.params
                .iter()
                .filter(|p| p.location == location)
                .map(|p| {
                    let method = method_for(&p.ty);
                    ValueUse {
                        method,
                        wire: str_literal(&p.name),
                        expr: option_ref(&p.ident, p.required, method == "query_each"),
                    }
                })
                .collect()
        };
    let query = uses(ParamLocation::Query, |ty| match ty {
        TypeRef::Vec(_) => "query_each",
        _ => "query",
    });
    let mut headers = uses(ParamLocation::Header, |_| "header");
    headers.extend(uses(ParamLocation::Cookie, |_| "cookie"));
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
    if let Some(perm) = &op.permissions {
        let list = perm
            .names
            .iter()
            .map(|n| naming::md_code(n))
            .collect::<Vec<_>>()
            .join(", ");
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
        let list = op
            .scopes
            .iter()
            .map(|n| naming::md_code(n))
            .collect::<Vec<_>>()
            .join(", ");
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
