//! Render: turn the IR into file contents through the askama templates in
//! `templates/`. The views hold every string a template prints, already
//! decided and escaped; templates only lay them out. This module has the
//! crate's own files (manifest, `lib.rs`, `error.rs`) and the list of every
//! file; `model` the views of the models, `api` those of the operation
//! groups, and `example` the example in each operation's docs.

use crate::features::{self, Features};
use crate::ir::*;
use crate::markdown;
use crate::naming::{self, str_literal};
use crate::settings::{ClientSettings, OAuthSettings, Regions};
use api::{apis_mod_view, group_view};
use askama::Template;
use model::{model_view, models_mod_view};
use runtime::{RuntimeView, SchemeViewKind};

mod api;
mod example;
mod model;
mod runtime;
mod servers;

/// Clippy's `too_many_arguments` limit; functions over it are allowed explicitly.
const CLIPPY_MAX_ARGS: usize = 7;

/// What the emitted crate is called and versioned as.
#[derive(Debug, Clone, Default)]
pub struct CrateInfo {
    pub name: String,
    pub version: String,
    /// The package description; by default one made from the API's title.
    pub description: Option<String>,
    /// The vendor conventions the settings give the runtime.
    pub client: ClientSettings,
    /// The API's regions, from the settings.
    pub regions: Regions,
    /// OAuth grants beyond the spec's, from the settings.
    pub oauth: OAuthSettings,
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
    let rt = runtime::runtime_view(api, info);
    let client = !api.groups.is_empty();
    let manifest = rendered(
        "Cargo.toml",
        &CargoToml {
            header_toml: crate::header::header_lines("#").join("\n"),
            crate_name: &info.name,
            crate_version: &info.version,
            description_lit: naming::toml_literal(
                &info
                    .description
                    .clone()
                    .unwrap_or_else(|| format!("Rust client for {} {}", api.title, api.version)),
            ),
            features: features.all().map(|f| f.name.as_str()).collect(),
            client,
            pagination: rt.pagination,
        },
    )?;
    if !client {
        return models_only(api, manifest, &features, &rt);
    }
    let conventions = conventions_view(info, rt.oauth.is_some());
    let mut files = vec![
        manifest,
        rendered(
            "src/lib.rs",
            &lib_view(api, info, &features, &conventions, &rt),
        )?,
    ];
    files.extend(
        runtime::runtime_files(&rt)?
            .into_iter()
            .map(Pending::Rendered),
    );
    files.extend(servers::servers_file(api)?.map(Pending::Rendered));
    files.push(rendered(
        "src/error.rs",
        &ErrorRs {
            error_model: api.error_model.clone(),
            error_message: error_has_message(api),
            correlation_header: conventions.correlation_header.clone(),
            oauth: rt.oauth.is_some(),
            pagination: rt.pagination,
        },
    )?);
    files.push(rendered("src/conventions.rs", &conventions)?);
    files.push(rendered(
        "src/models/mod.rs",
        &models_mod_view(api, &features),
    )?);
    files.extend(api.models.iter().map(|model| Pending::Model {
        model,
        models: &api.models,
    }));
    files.push(rendered("src/apis/mod.rs", &apis_mod_view(api, &features))?);
    files.extend(api.groups.iter().map(|group| Pending::Group {
        group,
        api,
        crate_ident: naming::crate_ident(&info.name),
    }));
    Ok(files)
}

/// The files of a crate of models alone, for an API without operations:
/// no client and none of the runtime but the models' helpers.
fn models_only<'a>(
    api: &'a Api,
    manifest: Pending<'a>,
    features: &Features,
    rt: &runtime::RuntimeView,
) -> Result<Vec<Pending<'a>>, RenderError> {
    let title = format!("{} ({})", api.title, api.version);
    let mut crate_docs = plain_docs(Some(&title));
    crate_docs.push(str_literal(""));
    crate_docs.extend(docs(api.description.as_deref()));
    crate_docs.push(str_literal(""));
    crate_docs.extend(md_docs(
        "Generated from the API's OpenAPI description by openapi-rust-codegen.",
    ));
    let mut files = vec![
        manifest,
        rendered(
            "src/lib.rs",
            &LibModelsRs {
                crate_docs,
                fields: rt.fields,
                all_features_cfg: cfg_of(
                    "all",
                    &features.all().map(|f| f.name.as_str()).collect::<Vec<_>>(),
                ),
            },
        )?,
    ];
    if let Some(fields) = runtime::fields_file(rt)? {
        files.push(Pending::Rendered(fields));
    }
    files.push(rendered(
        "src/models/mod.rs",
        &models_mod_view(api, features),
    )?);
    files.extend(api.models.iter().map(|model| Pending::Model {
        model,
        models: &api.models,
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

/// Doc attributes' string literals for spec text in CommonMark, one per
/// line.
fn docs(text: Option<&str>) -> Vec<String> {
    doc_literals(&text.map(markdown::doc_lines).unwrap_or_default())
}

/// Doc attributes' string literals for spec text that is not Markdown (a
/// title, a summary), or generator text holding such text.
fn plain_docs(text: Option<&str>) -> Vec<String> {
    doc_literals(&text.map(markdown::plain_lines).unwrap_or_default())
}

/// Doc attribute literals for Markdown the generator wrote itself (spec text
/// inside it already went through [`markdown`]).
fn md_docs(markdown: &str) -> Vec<String> {
    doc_literals(&markdown.lines().collect::<Vec<_>>())
}

/// One string literal per line of Markdown, with the leading space rustdoc
/// conventionally has.
fn doc_literals(lines: &[impl AsRef<str>]) -> Vec<String> {
    lines
        .iter()
        .map(|line| match line.as_ref() {
            "" => str_literal(""),
            line => str_literal(&format!(" {line}")),
        })
        .collect()
}

/// The templates' own filters.
mod filters {
    /// Generator-written prose as `//!` lines of at most 80 characters.
    #[askama::filter_fn]
    pub fn doc_wrap(
        text: impl std::fmt::Display,
        _: &dyn askama::Values,
    ) -> askama::Result<String> {
        Ok(wrap(&text.to_string(), 76)
            .iter()
            .map(|line| format!("//! {line}"))
            .collect::<Vec<_>>()
            .join("\n"))
    }

    /// Generator-written prose broken into lines of at most `width` characters
    /// (a longer word gets a line of its own).
    fn wrap(text: &str, width: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn prose_wraps_at_the_width_and_a_longer_word_stands_alone() {
            assert_eq!(super::wrap("aa bb cc", 5), ["aa bb", "cc"]);
            assert_eq!(super::wrap("a ccccccc b", 3), ["a", "ccccccc", "b"]);
            assert!(super::wrap("  \n ", 10).is_empty());
        }
    }
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

#[derive(Template)]
#[template(path = "Cargo.toml", escape = "none")]
struct CargoToml<'a> {
    header_toml: String,
    crate_name: &'a str,
    crate_version: &'a str,
    description_lit: String,
    /// Every feature (names are `snake_case` or `kebab-case`: bare TOML keys); all are default.
    features: Vec<&'a str>,
    /// The crate has a client: the API declares operations.
    client: bool,
    /// Some operation pages: the crate's streams need `futures-core`.
    pagination: bool,
}

#[derive(Template)]
#[template(path = "lib_models.rs", escape = "none")]
struct LibModelsRs {
    crate_docs: Vec<String>,
    /// The models use the runtime's model helpers.
    fields: bool,
    /// A `cfg` predicate that holds when every feature is on.
    all_features_cfg: String,
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
    rt: RuntimeView,
    /// The types of the servers' variables, sorted.
    server_types: Vec<String>,
    /// The servers to choose from, as a Markdown list phrase, and how many.
    servers_listed: Option<String>,
    server_count: String,
    /// Whether some server has variables.
    server_variables: bool,
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
    /// The `cfg` predicate under which every model is compiled.
    all_features_cfg: String,
    default_base_url: String,
    /// The name of a call's span, as a Markdown code span.
    call_span: String,
    /// The headers sent with every request, as Markdown code spans.
    header_docs: Vec<String>,
}

fn feature_docs(api: &Api, features: &Features) -> Vec<String> {
    let mut lines: Vec<String> = api
        .groups
        .iter()
        .zip(&features.groups)
        .map(|(g, f)| {
            format!(
                "- {}: the operations tagged {}.",
                markdown::md_code(&f.name),
                markdown::md_code(&g.tag)
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
            markdown::md_code(&f.name),
            naming::counted(own, "model", "models")
        ));
    }
    if let Some(error) = &api.error_model {
        lines.push(String::new());
        // `always` holds the error model and the models it uses.
        lines.push(match features.always.len().saturating_sub(1) {
            0 => format!(
                "The error model {} is compiled whatever the features.",
                markdown::md_code(error)
            ),
            uses => format!(
                "The error model {} and the {} it uses are compiled whatever the features.",
                markdown::md_code(error),
                naming::counted(uses, "model", "models")
            ),
        });
    }
    md_docs(&lines.join("\n"))
}

fn lib_view(
    api: &Api,
    info: &CrateInfo,
    features: &Features,
    conventions: &ConventionsRs,
    rt: &RuntimeView,
) -> LibRs {
    let title = format!("{} ({})", api.title, api.version);
    let mut crate_docs = plain_docs(Some(&title));
    crate_docs.push(str_literal(""));
    crate_docs.extend(docs(api.description.as_deref()));
    crate_docs.push(str_literal(""));
    crate_docs.extend(md_docs(&format!(
        "Generated from the API's OpenAPI description by openapi-rust-codegen. Default base URL: {}.",
        markdown::md_code(&api.default_base_url)
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
    // The examples configure what the crate example's operation asks for.
    let mut rt = rt.clone();
    if let Some(&first) =
        chosen.and_then(|(_, op)| op.security.alternatives.iter().find_map(|a| a.first()))
    {
        rt.example_scheme = rt.schemes.get(first).cloned();
    }
    let mut server_types: Vec<String> = (api.servers.iter())
        .flat_map(|s| &s.variables)
        .filter_map(|v| v.type_name.clone())
        .collect();
    server_types.sort();
    let servers_listed = (!api.servers.is_empty()).then(|| {
        naming::all_of(
            &(api.servers.iter())
                .map(|s| format!("[`Server::{}`] ({})", s.variant, markdown::md_code(&s.url)))
                .collect::<Vec<_>>(),
        )
    });
    LibRs {
        server_types,
        server_count: naming::counted(api.servers.len(), "server", "servers"),
        servers_listed,
        server_variables: api.servers.iter().any(|s| !s.variables.is_empty()),
        rt,
        crate_docs,
        example: chosen.map(|(g, o)| (g.module.clone(), o.fn_name.clone())),
        example_cfg: cfg_of("any", example_feature.as_slice()),
        crate_name: info.name.clone(),
        crate_version: info.version.clone(),
        example_feature: example_feature.map(str::to_owned),
        feature_docs: feature_docs(api, features),
        apis_cfg: cfg_of("any", &group_features),
        all_groups_cfg: cfg_of("all", &group_features),
        all_features_cfg: cfg_of(
            "all",
            &features.all().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        ),
        crate_ident: ident,
        default_base_url: str_literal(&api.default_base_url),
        call_span: markdown::md_code(&conventions.call_span),
        header_docs: conventions.header_docs.clone(),
    }
}

#[derive(Template)]
#[template(path = "error.rs", escape = "none")]
struct ErrorRs {
    error_model: Option<String>,
    error_message: bool,
    /// The correlation-id header's name as the settings spell it.
    correlation_header: Option<String>,
    /// Whether the crate logs in with OAuth.
    oauth: bool,
    /// Whether some operation pages.
    pagination: bool,
}

/// What the settings' `[client]` table makes of the runtime.
#[derive(Template)]
#[template(path = "conventions.rs", escape = "none")]
struct ConventionsRs {
    /// The correlation-id header's name as the settings spell it.
    correlation_header: Option<String>,
    /// That name in lower case, as a literal.
    correlation_lit: Option<String>,
    /// Headers sent with every request: lower-case name and value literals.
    headers: Vec<(String, String)>,
    /// Their names as the settings spell them, as Markdown code spans.
    header_docs: Vec<String>,
    /// Whether the crate logs in with OAuth.
    oauth: bool,
    /// The tracing target of calls, and of logins, as literals.
    target_lit: String,
    auth_target_lit: String,
    /// The name of a call's span, and as a literal.
    call_span: String,
    call_span_lit: String,
}

fn conventions_view(info: &CrateInfo, oauth: bool) -> ConventionsRs {
    let client = &info.client;
    let target = (client.tracing_target.clone()).unwrap_or_else(|| naming::crate_ident(&info.name));
    let call_span = format!("{target}.call");
    ConventionsRs {
        correlation_header: client.correlation_id_header.clone(),
        correlation_lit: (client.correlation_id_header.as_ref())
            .map(|h| str_literal(&h.to_ascii_lowercase())),
        headers: (client.headers.iter())
            .map(|(name, value)| {
                (
                    str_literal(&name.to_ascii_lowercase()),
                    str_literal(&value.replace("{version}", &info.version)),
                )
            })
            .collect(),
        header_docs: client
            .headers
            .keys()
            .map(|name| markdown::md_code(name))
            .collect(),
        oauth,
        target_lit: str_literal(&target),
        auth_target_lit: str_literal(&format!("{target}::auth")),
        call_span_lit: str_literal(&call_span),
        call_span,
    }
}
