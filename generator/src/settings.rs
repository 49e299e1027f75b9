//! Settings: what the spec cannot say, read from a TOML file beside it
//! (`codegen.toml` by default): the crate's name, version and description,
//! the client's vendor conventions (a correlation-id header, extra request
//! headers, the tracing target), which `x-` keys of the spec carry
//! permissions and preview flags for the docs, and which of the spec's tags
//! the crate holds.
//!
//! ```toml
//! [package]
//! name = "genesys-cloud-tokens"
//!
//! [client]
//! correlation-id-header = "ININ-Correlation-Id"
//!
//! [docs]
//! permissions = "x-inin-requires-permissions"
//!
//! [select]
//! # Only these tags' operations and the models they use; spelled as in the
//! # spec, case included. `--tag` on the command line replaces the list.
//! tags = ["Tokens"]
//! ```
//!
//! The spec stays as the vendor publishes it; everything this project adds
//! to it lives here. Without a settings file nothing in the emitted crate
//! names a vendor.

use crate::diag::{Diagnostic, Diagnostics, Pointer};
use crate::naming;
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The settings file looked for beside a spec when none is named.
pub const DEFAULT_FILE_NAME: &str = "codegen.toml";

/// The settings of the embedded Tokens spec.
pub const EMBEDDED_SETTINGS: &str = include_str!("../../spec/codegen.toml");

/// The name the embedded settings are reported under.
pub const EMBEDDED_SETTINGS_NAME: &str = "spec/codegen.toml";

/// Everything a settings file can hold; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// The emitted crate's `[package]`.
    #[serde(default)]
    pub package: Package,
    /// How the emitted client talks to the API beyond what the spec says.
    #[serde(default)]
    pub client: ClientSettings,
    /// Which extensions of the spec the docs read.
    #[serde(default)]
    pub docs: DocKeys,
    /// Which parts of the spec the crate holds.
    #[serde(default)]
    pub select: Select,
    /// Named deployments of the API, each with its own hosts.
    #[serde(default)]
    pub regions: Regions,
    /// OAuth 2.0 beyond the flows the spec declares.
    #[serde(default)]
    pub oauth: OAuthSettings,
    /// How models are made of the spec's schemas.
    #[serde(default)]
    pub models: ModelSettings,
    /// Which operations page, and how.
    #[serde(default)]
    pub pagination: PaginationSettings,
}

/// Which operations page and how (see [`crate::lower`]'s pagination rules).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PaginationSettings {
    /// Whether the built-in rules look for paged operations; the
    /// settings' own rules apply either way.
    #[serde(default = "yes")]
    pub detect: bool,
    /// Operations (by `operationId`) that never page.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rules tried before the built-in ones, in order.
    #[serde(default)]
    pub rules: Vec<PageRuleSettings>,
}

impl Default for PaginationSettings {
    fn default() -> Self {
        PaginationSettings {
            detect: true,
            exclude: Vec::new(),
            rules: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

/// One way an API's operations page: where the items are and where the
/// next page is (exactly one of `next-link`, `next-cursor` and
/// `link-header`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PageRuleSettings {
    /// The list property of the response body holding the items, by its
    /// name on the wire; without it, the body itself must be a list.
    pub items: Option<String>,
    /// The body property holding the next page's URL (dots for nested
    /// properties: `meta.next_page_url`).
    pub next_link: Option<String>,
    /// The body property holding the next page's cursor, sent back in
    /// `cursor-param`.
    pub next_cursor: Option<String>,
    /// The query parameter that takes the cursor.
    pub cursor_param: Option<String>,
    /// The next page's URL is the `Link` header's `rel="next"`.
    #[serde(default)]
    pub link_header: bool,
    /// The integer query parameter that takes the page number: each next
    /// page is the number after, and an empty page is the last.
    pub page_param: Option<String>,
    /// The number of the first page when `page-param` is not set (1 by default).
    pub first_page: Option<i64>,
    /// Only these operations (by `operationId`); every one that fits when empty.
    #[serde(default)]
    pub operations: Vec<String>,
}

/// Rules for the models, for APIs whose servers do not keep to their own
/// schemas.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModelSettings {
    /// Every field of every model is optional, whatever the spec requires:
    /// a response that leaves out a required field, or sends `null` for one
    /// the spec does not mark nullable, still decodes (the field is `None`).
    /// Fields are `Option`s, and `new` takes no arguments.
    #[serde(default)]
    pub optional_fields: bool,
}

/// Deployments of the API the client can be pointed at by name: the
/// emitted crate gets a `Region` type (and a `Gateway` type when asked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Regions {
    /// The API's base URL in a region, with `{domain}` for its domain.
    pub api: Option<String>,
    /// Where a region's logins go, with `{domain}` for its domain.
    pub login: Option<String>,
    /// The region used unless another is chosen; the first by default.
    pub default: Option<String>,
    /// Whether the crate offers a `Gateway`: one host for API calls and
    /// logins, each under its own path prefix.
    #[serde(default)]
    pub gateways: bool,
    /// Every region, in the order the crate lists them.
    #[serde(default)]
    pub list: Vec<Region>,
}

/// One deployment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Region {
    /// Its name in `snake_case`, e.g. `us_east_1`.
    pub name: String,
    /// Its domain, put in place of `{domain}`.
    pub domain: String,
    /// What users call it, e.g. `Americas (US East)`.
    pub label: Option<String>,
}

/// OAuth 2.0 grants the spec cannot declare.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OAuthSettings {
    /// Extension grants (RFC 6749 §4.5), each a `Credentials` constructor.
    #[serde(default)]
    pub extension_grants: Vec<ExtensionGrant>,
}

/// A grant sent to the token endpoint with the client's id and secret and
/// form parameters of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExtensionGrant {
    /// The constructor's name in `snake_case`, e.g. `saml2_bearer`.
    pub name: String,
    /// The `grant_type` sent, usually a URN.
    pub grant_type: String,
    /// What the grant is, for the docs.
    pub description: Option<String>,
    /// The form parameters after `grant_type`, each an argument.
    #[serde(default)]
    pub params: Vec<GrantParam>,
}

/// A form parameter of an extension grant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GrantParam {
    /// The form field's name, e.g. `orgName`.
    pub name: String,
    /// The argument's name; the field's name in `snake_case` by default.
    pub arg: Option<String>,
    /// Whether the value is a secret, kept out of `Debug` output.
    #[serde(default)]
    pub secret: bool,
    /// What the value is, for the docs.
    pub doc: Option<String>,
}

/// The emitted crate's name, version and description.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    pub name: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
}

/// Vendor conventions of the runtime.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClientSettings {
    /// The response header carrying the server's id for an exchange, kept
    /// in errors and traces (e.g. `ININ-Correlation-Id`).
    pub correlation_id_header: Option<String>,
    /// Headers sent with every request; `{version}` in a value stands for
    /// the crate's version.
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    /// The `tracing` target of the client's spans and events; the crate's
    /// name in snake case by default.
    pub tracing_target: Option<String>,
}

/// The `x-` keys of operations the docs read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocKeys {
    /// An object `{type: ANY|ALL, permissions: [..]}` listing the
    /// permissions an operation requires.
    pub permissions: Option<String>,
    /// A boolean marking an operation as a preview that may change.
    pub preview: Option<String>,
}

/// Which parts of the spec the crate holds (see [`crate::select`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Select {
    /// Only the operations with one of these tags (as the spec spells them)
    /// and the models they use; every tag when `None`.
    pub tags: Option<Vec<String>>,
}

/// Settings and the file they came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    /// The file, as the user named it; empty when there was none.
    pub file: String,
    pub settings: Settings,
}

impl Loaded {
    /// Reads and checks `text`, reported as `file`.
    pub fn parse(file: &str, text: &str) -> Result<Loaded, Diagnostics> {
        let settings: Settings = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error(
                file,
                pointer_at(text, e.span()),
                e.message().trim_end().to_owned(),
            )
            .with_hint(hint_for(e.message()));
            if let Some(span) = e.span() {
                let (line, column) = line_col(text, span.start);
                d = d.at_line(line, column);
            }
            Diagnostics(vec![d])
        })?;
        let loaded = Loaded {
            file: file.to_owned(),
            settings,
        };
        let problems = loaded.check(text);
        if problems.is_empty() {
            Ok(loaded)
        } else {
            Err(Diagnostics(problems))
        }
    }

    /// Reads the settings file at `path`.
    pub fn read(path: &Path) -> Result<Loaded, Diagnostics> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostics(vec![Diagnostic::error(
                &file,
                "",
                format!("cannot read the settings file: {e}"),
            )
            .with_hint("check the path given with --settings")])
        })?;
        Loaded::parse(&file, &text)
    }

    /// The settings for a run: the file named with `--settings`; else the
    /// `codegen.toml` beside `spec`, when there is one; else the embedded
    /// settings for the embedded spec (`spec` is `None`); else none.
    pub fn find(named: Option<&Path>, spec: Option<&Path>) -> Result<Loaded, Diagnostics> {
        match (named, spec) {
            (Some(path), _) => Loaded::read(path),
            (None, Some(spec)) => match beside(spec) {
                Some(path) => Loaded::read(&path),
                None => Ok(Loaded::default()),
            },
            (None, None) => Loaded::parse(EMBEDDED_SETTINGS_NAME, EMBEDDED_SETTINGS),
        }
    }

    /// Everything wrong with values that parsed, each located in `text`.
    fn check(&self, text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut problem = |path: &[&str], message: String, hint: &str| {
            let mut d = Diagnostic::error(&self.file, key_pointer(path), message).with_hint(hint);
            if let Some((line, column)) = find_key(text, path) {
                d = d.at_line(line, column);
            }
            problems.push(d);
        };
        let s = &self.settings;
        if let Some(name) = &s.package.name {
            if !naming::is_valid_crate_name(name) {
                problem(
                    &["package", "name"],
                    format!("`{name}` is not a valid crate name"),
                    "use ASCII letters, digits, `-` and `_`, starting with a letter",
                );
            }
        }
        if let Some(version) = &s.package.version {
            if !is_version(version) {
                problem(
                    &["package", "version"],
                    format!("`{version}` is not a version"),
                    "write MAJOR.MINOR.PATCH, e.g. `0.1.0`",
                );
            }
        }
        if let Some(header) = &s.client.correlation_id_header {
            if !naming::is_header_name(header) {
                problem(
                    &["client", "correlation-id-header"],
                    format!("`{header}` is not a valid header name"),
                    HEADER_NAME_HINT,
                );
            }
        }
        for (name, value) in &s.client.headers {
            if !naming::is_header_name(name) {
                problem(
                    &["client", "headers", name],
                    format!("`{name}` is not a valid header name"),
                    HEADER_NAME_HINT,
                );
            } else if !value
                .bytes()
                .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
            {
                problem(
                    &["client", "headers", name],
                    format!("the value of header `{name}` holds characters a header cannot carry"),
                    "use visible ASCII characters and spaces",
                );
            }
        }
        if let Some(target) = &s.client.tracing_target {
            if !is_tracing_target(target) {
                problem(
                    &["client", "tracing-target"],
                    format!("`{target}` is not a tracing target"),
                    "use a Rust module path such as `my_api` or `my_api::client`",
                );
            }
        }
        self.check_regions(&mut problem);
        self.check_grants(&mut problem);
        self.check_pagination(&mut problem);
        for (key, value) in [
            ("permissions", &s.docs.permissions),
            ("preview", &s.docs.preview),
        ] {
            if let Some(value) = value {
                if !value.starts_with("x-") {
                    problem(
                        &["docs", key],
                        format!("`{value}` is not an extension key"),
                        "name a key of the spec's operations starting with `x-`",
                    );
                }
            }
        }
        match &s.select.tags {
            Some(tags) if tags.is_empty() => problem(
                &["select", "tags"],
                "the tag list is empty, which selects nothing".to_owned(),
                "list the tags to generate, or remove the key to generate every tag",
            ),
            Some(tags) if tags.iter().any(|t| t.trim().is_empty()) => problem(
                &["select", "tags"],
                "the tag list holds an empty tag".to_owned(),
                "write each tag as the spec spells it, e.g. `tags = [\"Tokens\"]`",
            ),
            _ => {}
        }
        problems
    }
}

impl Loaded {
    fn check_regions(&self, problem: &mut impl FnMut(&[&str], String, &str)) {
        let r = &self.settings.regions;
        let stated = r.api.is_some() || r.login.is_some() || r.default.is_some() || r.gateways;
        if r.list.is_empty() {
            if stated {
                problem(
                    &["regions", "list"],
                    "the regions table lists no region".to_owned(),
                    "add `list = [{ name = \"us_east_1\", domain = \"example.com\" }]`, or remove `[regions]`",
                );
            }
            return;
        }
        for key in ["api", "login"] {
            let template = if key == "api" { &r.api } else { &r.login };
            match template {
                None => problem(
                    &["regions", key],
                    format!("the regions table has no `{key}` URL"),
                    "write it with `{domain}` for the region's domain, e.g. `https://api.{domain}`",
                ),
                Some(t) if !t.starts_with("https://") && !t.starts_with("http://") => problem(
                    &["regions", key],
                    format!("`{t}` is not an http or https URL"),
                    "write it with `{domain}` for the region's domain, e.g. `https://api.{domain}`",
                ),
                Some(_) => {}
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for region in &r.list {
            if naming::snake(&region.name) != region.name || region.name.is_empty() {
                problem(
                    &["regions", "list"],
                    format!("region name `{}` is not in snake_case", region.name),
                    "write names like `us_east_1`",
                );
            }
            if !seen.insert(region.name.as_str()) {
                problem(
                    &["regions", "list"],
                    format!("region `{}` is listed twice", region.name),
                    "give each region one entry",
                );
            }
            let domain_ok = !region.domain.is_empty()
                && region
                    .domain
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
            if !domain_ok {
                problem(
                    &["regions", "list"],
                    format!("`{}` is not a domain name", region.domain),
                    "use letters, digits, `.` and `-`",
                );
            }
        }
        if let Some(default) = &r.default {
            if !r.list.iter().any(|x| &x.name == default) {
                problem(
                    &["regions", "default"],
                    format!("the default region `{default}` is not listed"),
                    "name one of the regions in `list`",
                );
            }
        }
    }

    fn check_pagination(&self, problem: &mut impl FnMut(&[&str], String, &str)) {
        let at = ["pagination", "rules"];
        for (i, rule) in self.settings.pagination.rules.iter().enumerate() {
            let ways = [
                rule.next_link.is_some(),
                rule.next_cursor.is_some(),
                rule.link_header,
                rule.page_param.is_some(),
            ];
            if ways.iter().filter(|w| **w).count() != 1 {
                problem(
                    &at,
                    format!("rule {} must say where the next page is in one way", i + 1),
                    "give exactly one of `next-link`, `next-cursor` (with `cursor-param`), `link-header = true` and `page-param`",
                );
            }
            if rule.next_cursor.is_some() != rule.cursor_param.is_some() {
                problem(
                    &at,
                    format!("rule {} has a cursor without its parameter, or a parameter without its cursor", i + 1),
                    "`next-cursor` names the body property, `cursor-param` the query parameter that sends it back; give both",
                );
            }
            let paths = [&rule.items, &rule.next_link, &rule.next_cursor];
            if paths
                .into_iter()
                .flatten()
                .any(|p| p.split('.').any(str::is_empty))
            {
                problem(
                    &at,
                    format!("rule {} names an empty property", i + 1),
                    "write property names as the body spells them, nested ones joined with dots",
                );
            }
        }
    }

    fn check_grants(&self, problem: &mut impl FnMut(&[&str], String, &str)) {
        for grant in &self.settings.oauth.extension_grants {
            let at = ["oauth", "extension-grants"];
            if naming::snake(&grant.name) != grant.name || grant.name.is_empty() {
                problem(
                    &at,
                    format!("grant name `{}` is not in snake_case", grant.name),
                    "write names like `saml2_bearer`; it becomes `Credentials::saml2_bearer`",
                );
            }
            if grant.grant_type.trim().is_empty() {
                problem(
                    &at,
                    format!("grant `{}` has an empty `grant-type`", grant.name),
                    "write the grant type URN, e.g. `urn:ietf:params:oauth:grant-type:saml2-bearer`",
                );
            }
            for param in &grant.params {
                let arg = param
                    .arg
                    .clone()
                    .unwrap_or_else(|| naming::snake(&param.name));
                if param.name.is_empty() || naming::snake(&arg) != arg {
                    problem(
                        &at,
                        format!(
                            "parameter `{}` of grant `{}` has no usable argument name",
                            param.name, grant.name
                        ),
                        "give it an `arg` in snake_case",
                    );
                }
            }
        }
    }
}

/// What a valid header name is made of.
const HEADER_NAME_HINT: &str = "header names are letters, digits and `!#$%&'*+-.^_`|~`";

/// `dir/codegen.toml` for a spec in `dir`, if that file exists.
fn beside(spec: &Path) -> Option<PathBuf> {
    let path = spec
        .parent()
        .unwrap_or(Path::new(""))
        .join(DEFAULT_FILE_NAME);
    path.is_file().then_some(path)
}

/// `MAJOR.MINOR.PATCH`, with an optional `-pre` or `+build` suffix of
/// ASCII letters, digits, `.` and `-`.
fn is_version(text: &str) -> bool {
    let (core, suffix) = match text.find(['-', '+']) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && suffix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
}

/// A `tracing` target: `::`-separated Rust identifiers.
fn is_tracing_target(text: &str) -> bool {
    !text.is_empty()
        && text.split("::").all(|part| {
            let mut bytes = part.bytes();
            bytes
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

/// The JSON pointer of a key path (`["client", "headers", "x-a"]`).
fn key_pointer(path: &[&str]) -> String {
    path.iter()
        .fold(Pointer::root(), |p, key| p.push(key))
        .to_string()
}

/// The key path of the table a byte offset lies in, as a JSON pointer:
/// the nearest `[table]` header above it, then the key on its line.
fn pointer_at(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else {
        return String::new();
    };
    let before = &text[..span.start.min(text.len())];
    let mut path: Vec<String> = before
        .lines()
        .rev()
        .find_map(|line| {
            let line = line.trim();
            let inner = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]"));
            let inner =
                inner.or_else(|| line.strip_prefix('[').and_then(|l| l.strip_suffix(']')))?;
            Some(
                inner
                    .split('.')
                    .map(|k| k.trim().trim_matches('"').to_owned())
                    .collect(),
            )
        })
        .unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    if let Some((key, _)) = line.split_once('=') {
        let key = key.trim().trim_matches('"');
        if !key.is_empty() && !key.starts_with('[') {
            path.push(key.to_owned());
        }
    }
    let keys: Vec<&str> = path.iter().map(String::as_str).collect();
    key_pointer(&keys)
}

/// The line and column (1-based) of `key_path`'s last key in `text`: found
/// under the header of its table, or as a dotted key.
fn find_key(text: &str, key_path: &[&str]) -> Option<(usize, usize)> {
    let (last, tables) = key_path.split_last()?;
    let header = format!("[{}]", tables.join("."));
    let mut in_table = tables.is_empty();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_table = trimmed.trim_end() == header;
            continue;
        }
        if !in_table {
            continue;
        }
        let Some((key, _)) = trimmed.split_once('=') else {
            continue;
        };
        if key.trim().trim_matches('"') == *last {
            return Some((index + 1, line.len() - trimmed.len() + 1));
        }
    }
    None
}

/// The 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, column)
}

/// What to do about a TOML reading error.
fn hint_for(message: &str) -> &'static str {
    if message.contains("unknown field") {
        "remove the key or fix its spelling; the README's settings section lists every key"
    } else if message.contains("invalid type") {
        "give the key a value of the type the README's settings section lists"
    } else if message.contains("duplicate") {
        "give each key once"
    } else {
        "fix the TOML syntax"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, Diagnostics> {
        Loaded::parse("codegen.toml", text).map(|l| l.settings)
    }

    fn only_error(text: &str) -> Diagnostic {
        let d = parse(text).expect_err("the settings are refused");
        assert_eq!(d.0.len(), 1, "{d}");
        d.0[0].clone()
    }

    #[test]
    fn every_part_is_optional() {
        assert_eq!(parse("").unwrap(), Settings::default());
    }

    #[test]
    fn reads_every_key() {
        let s = parse(
            r#"
[package]
name = "acme-client"
version = "1.2.3"
description = "Acme's API"

[client]
correlation-id-header = "X-Request-Id"
tracing-target = "acme::client"

[client.headers]
x-sdk = "acme-rust/{version}"

[docs]
permissions = "x-acme-permissions"
preview = "x-acme-preview"

[select]
tags = ["Widgets", "Gadget Admin"]
"#,
        )
        .unwrap();
        assert_eq!(s.package.name.as_deref(), Some("acme-client"));
        assert_eq!(s.package.version.as_deref(), Some("1.2.3"));
        assert_eq!(
            s.client.correlation_id_header.as_deref(),
            Some("X-Request-Id")
        );
        assert_eq!(s.client.headers["x-sdk"], "acme-rust/{version}");
        assert_eq!(s.client.tracing_target.as_deref(), Some("acme::client"));
        assert_eq!(s.docs.preview.as_deref(), Some("x-acme-preview"));
        assert_eq!(
            s.select.tags.as_deref(),
            Some(&["Widgets".to_owned(), "Gadget Admin".to_owned()][..])
        );
    }

    #[test]
    fn a_tag_list_is_checked_where_it_is_written() {
        let d = only_error("[select]\ntag = [\"Tokens\"]\n");
        assert!(d.message.contains("unknown field `tag`"), "{d}");
        assert_eq!(
            (d.pointer.as_str(), d.line_col),
            ("/select/tag", Some((2, 1)))
        );
        let d = only_error("[select]\ntags = \"Tokens\"\n");
        assert!(d.message.contains("invalid type"), "{d}");
        assert_eq!(d.pointer, "/select/tags");
        assert_eq!(d.line_col.map(|(l, _)| l), Some(2));
        let d = only_error("[package]\nname = \"a\"\n\n[select]\ntags = []\n");
        assert!(d.message.contains("selects nothing"), "{d}");
        assert_eq!(
            (d.pointer.as_str(), d.line_col),
            ("/select/tags", Some((5, 1)))
        );
        assert!(d.hint.as_deref().unwrap().contains("remove the key"), "{d}");
        let d = only_error("[select]\ntags = [\"Tokens\", \"\"]\n");
        assert!(d.message.contains("empty tag"), "{d}");
        assert_eq!(d.line_col.map(|(l, _)| l), Some(2));
    }

    #[test]
    fn an_unknown_key_is_located_and_named() {
        let d = only_error("[package]\nname = \"a\"\nnmae = \"b\"\n");
        assert!(d.message.contains("unknown field `nmae`"), "{d}");
        assert_eq!(d.line_col, Some((3, 1)));
        assert_eq!(d.pointer, "/package/nmae");
        assert!(d.hint.as_deref().unwrap().contains("spelling"), "{d}");
    }

    #[test]
    fn an_unknown_table_is_located() {
        let d = only_error("[package]\nname = \"a\"\n\n[clients]\nx = 1\n");
        assert!(d.message.contains("unknown field `clients`"), "{d}");
        assert_eq!(d.line_col.map(|(l, _)| l), Some(4));
    }

    #[test]
    fn a_wrong_type_is_located() {
        let d = only_error("[package]\nversion = 3\n");
        assert!(d.message.contains("invalid type"), "{d}");
        assert_eq!(d.line_col.map(|(l, _)| l), Some(2));
        assert_eq!(d.pointer, "/package/version");
        assert!(d.hint.as_deref().unwrap().contains("type"), "{d}");
    }

    #[test]
    fn broken_toml_is_a_syntax_error() {
        let d = only_error("[package\nname = 1\n");
        assert_eq!(d.line_col.map(|(l, _)| l), Some(1));
        assert_eq!(d.hint.as_deref(), Some("fix the TOML syntax"));
    }

    #[test]
    fn bad_values_are_each_reported_at_their_line() {
        let d = parse(
            "[package]\nname = \"9lives\"\nversion = \"1.0\"\n\n[client]\ncorrelation-id-header = \"bad header\"\ntracing-target = \"no-dashes\"\n\n[client.headers]\n\"x ok\" = \"v\"\nx-line = \"a\\nb\"\n\n[docs]\npreview = \"preview\"\n",
        )
        .expect_err("the settings are refused");
        let found: Vec<(String, Option<usize>)> =
            d.0.iter()
                .map(|d| (d.pointer.clone(), d.line_col.map(|(l, _)| l)))
                .collect();
        assert_eq!(
            found,
            [
                ("/package/name".to_owned(), Some(2)),
                ("/package/version".to_owned(), Some(3)),
                ("/client/correlation-id-header".to_owned(), Some(6)),
                ("/client/headers/x ok".to_owned(), Some(10)),
                ("/client/headers/x-line".to_owned(), Some(11)),
                ("/client/tracing-target".to_owned(), Some(7)),
                ("/docs/preview".to_owned(), Some(14)),
            ]
        );
    }

    #[test]
    fn regions_and_grants_are_read_and_checked() {
        let s = parse(
            "[regions]\napi = \"https://api.{domain}\"\nlogin = \"https://login.{domain}\"\ndefault = \"b_1\"\ngateways = true\nlist = [{ name = \"a_1\", domain = \"a.example\" }, { name = \"b_1\", domain = \"b.example\", label = \"B\" }]\n\n[[oauth.extension-grants]]\nname = \"saml2_bearer\"\ngrant-type = \"urn:x\"\nparams = [{ name = \"orgName\", arg = \"org_name\" }, { name = \"assertion\", secret = true }]\n",
        )
        .expect("the settings parse");
        assert_eq!(s.regions.list.len(), 2);
        assert_eq!(s.regions.default.as_deref(), Some("b_1"));
        assert!(s.regions.gateways);
        let grant = &s.oauth.extension_grants[0];
        assert_eq!(grant.params[1].name, "assertion");
        assert!(grant.params[1].secret);

        let bad = |text: &str| only_error(text).pointer;
        assert_eq!(bad("[regions]\ngateways = true\n"), "/regions/list");
        assert_eq!(
            bad("[regions]\napi = \"ftp://{domain}\"\nlogin = \"https://l.{domain}\"\nlist = [{ name = \"a\", domain = \"a.example\" }]\n"),
            "/regions/api"
        );
        assert_eq!(
            bad("[regions]\napi = \"https://{domain}\"\nlogin = \"https://l.{domain}\"\ndefault = \"z\"\nlist = [{ name = \"a\", domain = \"a.example\" }]\n"),
            "/regions/default"
        );
        assert_eq!(
            bad("[[oauth.extension-grants]]\nname = \"Saml\"\ngrant-type = \"urn:x\"\n"),
            "/oauth/extension-grants"
        );
    }

    #[test]
    fn versions() {
        for good in [
            "0.1.0",
            "10.20.30",
            "1.0.0-beta.1",
            "1.0.0+build-5",
            "1.0.0-rc.1+sha.abc",
        ] {
            assert!(is_version(good), "{good}");
        }
        for bad in [
            "1.0",
            "1.0.0.0",
            "v1.0.0",
            "1.0.x",
            "1.0.0-\n",
            "1.0.0-a b",
            "",
        ] {
            assert!(!is_version(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_embedded_settings_are_valid() {
        let loaded = Loaded::find(None, None).unwrap();
        assert_eq!(loaded.file, EMBEDDED_SETTINGS_NAME);
        assert!(loaded.settings.package.name.is_some());
    }

    #[test]
    fn a_spec_without_a_settings_file_beside_it_has_none() {
        let dir = std::env::temp_dir().join(format!("codegen-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("api.yaml");
        assert_eq!(Loaded::find(None, Some(&spec)).unwrap(), Loaded::default());
        std::fs::write(
            dir.join(DEFAULT_FILE_NAME),
            "[package]\nname = \"beside\"\n",
        )
        .unwrap();
        let found = Loaded::find(None, Some(&spec)).unwrap();
        assert_eq!(found.settings.package.name.as_deref(), Some("beside"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_pagination_rule_says_where_the_next_page_is_in_one_way() {
        let ok = Loaded::parse(
            "codegen.toml",
            "[[pagination.rules]]\nitems = \"entities\"\nnext-link = \"nextUri\"\n",
        )
        .unwrap();
        assert_eq!(
            ok.settings.pagination.rules[0].next_link.as_deref(),
            Some("nextUri")
        );
        assert!(ok.settings.pagination.detect);
        for bad in [
            "[[pagination.rules]]\nitems = \"entities\"\n",
            "[[pagination.rules]]\nnext-link = \"a\"\nlink-header = true\n",
            "[[pagination.rules]]\nnext-cursor = \"next\"\n",
            "[[pagination.rules]]\nnext-link = \"meta..next\"\n",
        ] {
            let err = Loaded::parse("codegen.toml", bad).unwrap_err().to_string();
            assert!(err.contains("pagination"), "{bad}: {err}");
        }
    }
}
