//! The views of the runtime: which of its parts a crate carries (OAuth, the
//! credentials of the other schemes, regions and gateways), decided from the
//! IR's security schemes and the settings, and the files made from them.

use super::api::runtime_uses;
use super::model::fields_uses;
use super::{docs, CrateInfo, RenderError, RenderedFile};
use crate::ir::*;
use crate::markdown::{self, md_code};
use crate::naming::{self, str_literal};
use crate::runtime::{Module, Part, Parts};
use crate::settings::Regions;
use crate::types;
use askama::Template;

/// What the runtime holds, shared by every runtime file.
#[derive(Debug, Clone, Default)]
pub(super) struct RuntimeView {
    /// The parts of the runtime the crate carries.
    pub parts: Parts,
    /// Whether the crate carries model helpers (`fields.rs`), multipart
    /// bodies and streamed responses.
    pub fields: bool,
    pub multipart: bool,
    pub streaming: bool,
    /// Some operation pages (`pages.rs`).
    pub pagination: bool,
    pub schemes: Vec<SchemeView>,
    /// The OAuth 2.0 scheme, when the API declares one.
    pub oauth: Option<OAuthView>,
    pub regions: Option<RegionsView>,
    pub gateways: bool,
    /// Whether credentials other than OAuth's are held, and of which kinds.
    pub held: bool,
    pub held_header: bool,
    pub held_basic: bool,
    pub held_query: bool,
    pub held_cookie: bool,
    /// Whether the API offers a choice of servers (`Server`).
    pub servers: bool,
    /// The builder method `Client::new` passes its token to, if any.
    pub token_setter: Option<String>,
    /// The scheme the docs' examples configure: the one most operations
    /// ask for first.
    pub example_scheme: Option<SchemeView>,
    /// The schemes, with the builder methods that configure them, as a
    /// Markdown list phrase.
    pub schemes_listed: String,
}

#[derive(Debug, Clone)]
pub(super) struct SchemeView {
    /// The spec's name for it, as a Markdown code span.
    pub key: String,
    pub variant: String,
    pub setter: String,
    /// What the scheme is, in a few words.
    pub summary: String,
    /// A literal naming the scheme and the builder methods that configure it.
    pub describe_lit: String,
    /// The spec's description of it, as doc literals.
    pub description: Vec<String>,
    pub kind: SchemeViewKind,
}

#[derive(Debug, Clone)]
pub(super) enum SchemeViewKind {
    Bearer,
    Basic,
    /// The header (its name in lower case), query parameter or cookie.
    Header(KeyName),
    Query(KeyName),
    Cookie(KeyName),
    OAuth,
}

/// Where an API key goes: the name as a literal, and for the docs.
#[derive(Debug, Clone)]
pub(super) struct KeyName {
    pub lit: String,
    pub doc: String,
}

#[derive(Debug, Clone)]
pub(super) struct OAuthView {
    pub variant: String,
    pub client_credentials: bool,
    pub authorization_code: bool,
    pub password: bool,
    /// Whether refresh tokens can be had (code or password logins).
    pub refresh: bool,
    pub grants: Vec<GrantView>,
    /// The ways to log in, as a Markdown list phrase.
    pub logins_listed: String,
    /// The token endpoint's path below the login URL, as a literal.
    pub token_path_lit: String,
    /// The refresh endpoint's path, when the flows give one other than the
    /// token endpoint's, as a literal.
    pub refresh_path_lit: Option<String>,
    pub authorize_path_lit: String,
    /// The spec's token URL is relative: logins go to the base URL.
    pub login_relative: bool,
    /// The login URL the spec's flows give, as a literal.
    pub default_login_lit: String,
}

#[derive(Debug, Clone)]
pub(super) struct GrantView {
    /// The constructor, `saml2_bearer`, and as a literal.
    pub name: String,
    pub name_lit: String,
    pub variant: String,
    pub grant_type_lit: String,
    pub docs: Vec<String>,
    pub params: Vec<GrantParamView>,
}

#[derive(Debug, Clone)]
pub(super) struct GrantParamView {
    pub arg: String,
    pub arg_lit: String,
    pub field_lit: String,
    pub secret: bool,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone)]
pub(super) struct RegionsView {
    pub list: Vec<RegionView>,
    /// The API and login URL templates, split around `{domain}`, as literals.
    pub api_prefix: String,
    pub api_suffix: String,
    pub api_doc: String,
    /// Whether regions have login URLs (the API has OAuth).
    pub login: bool,
    pub login_prefix: String,
    pub login_suffix: String,
    pub login_doc: String,
}

#[derive(Debug, Clone)]
pub(super) struct RegionView {
    pub variant: String,
    pub name: String,
    pub name_lit: String,
    pub domain: String,
    pub domain_lit: String,
    /// `Label: ` for the docs, or nothing.
    pub label: String,
    pub default: bool,
}

/// Splits a URL into its origin and the rest (`/` at least); `None` for a
/// relative one.
fn split_origin(url: &str) -> Option<(&str, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let scheme_len = url.len() - rest.len();
    match rest.find(['/', '?', '#']) {
        Some(at) => Some((&url[..scheme_len + at], &url[scheme_len + at..])),
        None => Some((url, "")),
    }
}

/// A path for the runtime to append: leading `/`, no query.
fn endpoint_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    format!("/{}", path.trim_start_matches('/'))
}

pub(super) fn runtime_view(api: &Api, info: &CrateInfo) -> RuntimeView {
    let oauth = api.schemes.iter().find_map(|s| match &s.kind {
        SchemeKind::OAuth2(flows) => Some(oauth_view(s, flows, info)),
        _ => None,
    });
    let schemes: Vec<SchemeView> = api.schemes.iter().map(scheme_view).collect();
    let any = |f: fn(&SchemeViewKind) -> bool| schemes.iter().any(|s| f(&s.kind));
    let held_basic = any(|k| matches!(k, SchemeViewKind::Basic));
    let held_header = any(|k| {
        matches!(
            k,
            SchemeViewKind::Bearer | SchemeViewKind::Basic | SchemeViewKind::Header(_)
        )
    });
    let held_query = any(|k| matches!(k, SchemeViewKind::Query(_)));
    let held_cookie = any(|k| matches!(k, SchemeViewKind::Cookie(_)));
    let held = held_header || held_query || held_cookie;
    let token_setter = if oauth.is_some() {
        Some("access_token".to_owned())
    } else {
        api.schemes
            .iter()
            .find(|s| matches!(s.kind, SchemeKind::Bearer { .. }))
            .map(|s| s.setter.clone())
    };
    let regions = regions_view(&info.regions, oauth.is_some());
    let mut asked = vec![0usize; schemes.len()];
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        if let Some(&first) = op.security.alternatives.iter().find_map(|all| all.first()) {
            asked[first] += 1;
        }
    }
    let example_scheme = (0..schemes.len())
        .max_by(|a, b| asked[*a].cmp(&asked[*b]).then(b.cmp(a)))
        .map(|i| schemes[i].clone());
    let listed: Vec<String> = (schemes.iter())
        .map(|s| format!("{} ({}, [`ClientBuilder::{}`])", s.summary, s.key, s.setter))
        .collect();
    let mut parts = runtime_uses(api);
    parts.extend(fields_uses(&api.models, oauth.is_some()).iter());
    if let Some(o) = &oauth {
        parts.insert(Part::OAuth);
        parts.set(Part::RelativeLogin, o.login_relative);
        parts.set(Part::ClientCredentials, o.client_credentials);
        parts.set(Part::AuthorizationCode, o.authorization_code);
        parts.set(Part::Password, o.password);
        parts.set(Part::Refresh, o.refresh);
        parts.set(Part::RefreshPath, o.refresh_path_lit.is_some());
        parts.set(Part::ExtensionGrants, !o.grants.is_empty());
    }
    parts.set(Part::Security, !schemes.is_empty());
    parts.set(Part::Held, held);
    parts.set(Part::TokenNew, token_setter.is_some());
    parts.set(Part::Regions, regions.is_some());
    parts.set(Part::Gateways, regions.is_some() && info.regions.gateways);
    parts.set(Part::Servers, !api.servers.is_empty());
    RuntimeView {
        example_scheme,
        schemes_listed: naming::either_of(&listed),
        fields: parts.any(Part::FIELDS),
        multipart: parts.has(Part::MultipartBody),
        streaming: parts.has(Part::Streaming),
        pagination: parts.has(Part::Pagination),
        parts,
        gateways: regions.is_some() && info.regions.gateways,
        regions,
        servers: !api.servers.is_empty(),
        oauth,
        schemes,
        held,
        held_header,
        held_basic,
        held_query,
        held_cookie,
        token_setter,
    }
}

fn scheme_view(s: &SecurityScheme) -> SchemeView {
    let key_name = |name: &str| KeyName {
        lit: str_literal(name),
        doc: md_code(name),
    };
    let (kind, methods) = match &s.kind {
        SchemeKind::Bearer { .. } => (SchemeViewKind::Bearer, vec![s.setter.as_str()]),
        SchemeKind::Basic => (SchemeViewKind::Basic, vec![s.setter.as_str()]),
        SchemeKind::ApiKey { location, name } => (
            match location {
                ParamLocation::Query => SchemeViewKind::Query(key_name(name)),
                ParamLocation::Cookie => SchemeViewKind::Cookie(key_name(name)),
                // Header names are sent in lower case (`HeaderName::from_static`).
                _ => SchemeViewKind::Header(KeyName {
                    lit: str_literal(&name.to_ascii_lowercase()),
                    doc: md_code(name),
                }),
            },
            vec![s.setter.as_str()],
        ),
        SchemeKind::OAuth2(flows) => {
            let mut methods = vec!["access_token"];
            if flows.client_credentials.is_some() {
                methods.push("client_credentials");
            }
            methods.push(s.setter.as_str());
            (SchemeViewKind::OAuth, methods)
        }
    };
    let methods: Vec<String> = methods
        .iter()
        .map(|m| format!("ClientBuilder::{m}"))
        .collect();
    SchemeView {
        describe_lit: str_literal(&format!("`{}` ({})", s.key, methods.join(", "))),
        key: md_code(&s.key),
        variant: s.variant.clone(),
        setter: s.setter.clone(),
        summary: types::scheme_summary(&s.kind),
        description: docs(s.description.as_deref()),
        kind,
    }
}

fn oauth_view(s: &SecurityScheme, flows: &OAuthFlows, info: &CrateInfo) -> OAuthView {
    let token_url = flows.token_url().unwrap_or("/oauth/token");
    let (origin, token_path) = match split_origin(token_url) {
        Some((origin, path)) => (Some(origin), endpoint_path(path)),
        None => (None, endpoint_path(token_url)),
    };
    let authorize_path = match flows.authorization_url() {
        Some(url) => endpoint_path(split_origin(url).map_or(url, |(_, path)| path)),
        None => "/oauth/authorize".to_owned(),
    };
    let grants: Vec<GrantView> = (info.oauth.extension_grants.iter())
        .map(|g| GrantView {
            name: g.name.clone(),
            name_lit: str_literal(&g.name),
            variant: naming::type_name(&g.name),
            grant_type_lit: str_literal(&g.grant_type),
            docs: docs(Some(
                g.description.as_deref().unwrap_or("An extension grant."),
            )),
            params: (g.params.iter())
                .map(|p| {
                    let arg = p.arg.clone().unwrap_or_else(|| naming::snake(&p.name));
                    GrantParamView {
                        arg_lit: str_literal(&arg),
                        arg,
                        field_lit: str_literal(&p.name),
                        secret: p.secret,
                        docs: docs(Some(
                            p.doc.as_deref().unwrap_or("A form parameter of the grant."),
                        )),
                    }
                })
                .collect(),
        })
        .collect();
    let mut logins: Vec<String> = Vec::new();
    if flows.client_credentials.is_some() {
        logins.push("client credentials".to_owned());
    }
    if flows.authorization_code.is_some() {
        logins.push("an authorization code (with or without PKCE)".to_owned());
    }
    if flows.password.is_some() {
        logins.push("a user's name and password".to_owned());
    }
    logins.extend(
        grants
            .iter()
            .map(|g| format!("[`Credentials::{}`]", g.name)),
    );
    if flows.authorization_code.is_some() || flows.password.is_some() {
        logins.push("a refresh token kept from an earlier session".to_owned());
    }
    let refresh_path = [
        &flows.authorization_code,
        &flows.password,
        &flows.client_credentials,
    ]
    .into_iter()
    .flatten()
    .find_map(|f| f.refresh_url.as_deref())
    .map(|url| endpoint_path(split_origin(url).map_or(url, |(_, path)| path)))
    .filter(|path| *path != token_path);
    OAuthView {
        refresh_path_lit: refresh_path.as_deref().map(str_literal),
        logins_listed: naming::either_of(&logins),
        variant: s.variant.clone(),
        client_credentials: flows.client_credentials.is_some(),
        authorization_code: flows.authorization_code.is_some(),
        password: flows.password.is_some(),
        refresh: flows.authorization_code.is_some() || flows.password.is_some(),
        grants,
        token_path_lit: str_literal(&token_path),
        authorize_path_lit: str_literal(&authorize_path),
        login_relative: origin.is_none(),
        default_login_lit: str_literal(origin.unwrap_or("")),
    }
}

fn regions_view(regions: &Regions, oauth: bool) -> Option<RegionsView> {
    if regions.list.is_empty() {
        return None;
    }
    let halves = |template: &str| -> (String, String) {
        let (a, b) = template.split_once("{domain}").unwrap_or((template, ""));
        (str_literal(a), str_literal(b))
    };
    let api = regions.api.clone().unwrap_or_default();
    let login = regions.login.clone().unwrap_or_else(|| api.clone());
    let (api_prefix, api_suffix) = halves(&api);
    let (login_prefix, login_suffix) = halves(&login);
    let default = regions
        .default
        .clone()
        .unwrap_or_else(|| regions.list[0].name.clone());
    let list: Vec<RegionView> = (regions.list.iter())
        .map(|r| RegionView {
            variant: naming::type_name(&r.name),
            name_lit: str_literal(&r.name),
            name: r.name.clone(),
            domain_lit: str_literal(&r.domain),
            // The settings allow letters, digits, `.` and `-` only.
            domain: r.domain.clone(),
            label: (r.label.as_deref())
                .map(|l| format!("{}: ", markdown::plain_lines(l).join(" ")))
                .unwrap_or_default(),
            default: r.name == default,
        })
        .collect();
    Some(RegionsView {
        list,
        api_prefix,
        api_suffix,
        api_doc: md_code(&api.replace("{domain}", "<domain>")),
        login: oauth,
        login_prefix,
        login_suffix,
        login_doc: md_code(&login.replace("{domain}", "<domain>")),
    })
}

#[derive(Template)]
#[template(path = "grants.rs", escape = "none")]
struct GrantsRs<'a> {
    o: &'a OAuthView,
}

#[derive(Template)]
#[template(path = "security.rs", escape = "none")]
struct SecurityRs<'a> {
    rt: &'a RuntimeView,
}

#[derive(Template)]
#[template(path = "regions.rs", escape = "none")]
struct RegionsRs<'a> {
    rt: &'a RuntimeView,
    r: &'a RegionsView,
}

/// A runtime module as this crate carries it.
fn module_file(module: Module, rt: &RuntimeView) -> Result<RenderedFile, RenderError> {
    Ok(RenderedFile {
        path: module.path().to_owned(),
        contents: module.specialized(&rt.parts).map_err(RenderError)?,
    })
}

/// The models' helpers, when the models use any.
pub(super) fn fields_file(rt: &RuntimeView) -> Result<Option<RenderedFile>, RenderError> {
    if !rt.fields {
        return Ok(None);
    }
    module_file(Module::Fields, rt).map(Some)
}

/// The runtime's files this crate carries, and the crate's own files the
/// runtime calls on.
pub(super) fn runtime_files(rt: &RuntimeView) -> Result<Vec<RenderedFile>, RenderError> {
    let mut files = vec![
        module_file(Module::Client, rt)?,
        module_file(Module::Config, rt)?,
        module_file(Module::Exchange, rt)?,
        module_file(Module::Tls, rt)?,
    ];
    files.extend(fields_file(rt)?);
    if let Some(o) = &rt.oauth {
        files.push(module_file(Module::Auth, rt)?);
        files.push(super::render_file(
            "src/grants.rs".to_owned(),
            &GrantsRs { o },
        )?);
    }
    if !rt.schemes.is_empty() {
        files.push(super::render_file(
            "src/security.rs".to_owned(),
            &SecurityRs { rt },
        )?);
    }
    if let Some(r) = &rt.regions {
        files.push(super::render_file(
            "src/regions.rs".to_owned(),
            &RegionsRs { rt, r },
        )?);
    }
    if rt.multipart {
        files.push(module_file(Module::Multipart, rt)?);
    }
    if rt.pagination {
        files.push(module_file(Module::Pages, rt)?);
    }
    files.push(module_file(Module::Mock, rt)?);
    Ok(files)
}
