//! The semantic API diff: what changed between two specs for people who depend
//! on the generated crate, and the semver bump that follows.
//!
//! Two specs are compared after lowering, as [`ir::Api`](crate::ir::Api)s, so
//! the verdict follows how the crate encodes things rather than the YAML:
//!
//! - Models are `#[non_exhaustive]` structs with `Option<T>` fields for
//!   optional properties, a `new(required…)` constructor and `with_*` setters:
//!   a new optional field is additive, a new required field (a new `new`
//!   argument) is breaking, and so is a removed or retyped field or a field
//!   moving between `T` and `Option<T>`. Every struct keeps the JSON fields
//!   it does not declare in `unknown_fields`: a removed field's values go
//!   there, and an added field's values no longer do (the report says so).
//! - Enums are `#[non_exhaustive]` with an `Unknown(String)` fallback: a new
//!   value is additive, a removed one breaking.
//! - Operations are methods of a per-tag `…Api` type returning a request
//!   builder; required parameters (and a required body) are arguments, optional
//!   ones builder methods. Adding an optional one is additive; adding a
//!   required one, or removing, retyping, moving or changing the required-ness
//!   of one, is breaking.
//! - Text (summaries, descriptions), permissions, OAuth scopes, documented
//!   error statuses, field notes and constraints only change the docs.
//!
//! [`run`] is the command line of `cargo xtask diff`; [`summary_against_head`]
//! is the one-line verdict `cargo xtask generate` ends with.

use crate::diag::Diagnostics;
use crate::ir::{
    Api, Body, Field, Group, Model, ModelKind, Operation, Param, ParamLocation, ResponseEnum,
    TypeRef, Union, Variant,
};
use crate::load::{self, Source};
use crate::lower;
use crate::markdown;
use crate::naming;
use crate::select::Selection;
use crate::settings::{DocKeys, Loaded};
use crate::types;
use serde_json::{json, Value};

mod access;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

// ------------------------------------------------------------------- the report

/// How a change affects code that depends on the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Code that compiled against the old crate may not compile (or may
    /// silently mean something else) against the new one: a major bump.
    Breaking,
    /// Something new (or a behaviour change that keeps every signature): a minor bump.
    Additive,
    /// Only the documentation changes: a patch.
    Docs,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Breaking => "breaking",
            Kind::Additive => "additive",
            Kind::Docs => "docs",
        }
    }
}

/// What part of the API a change is about; reports are grouped by it, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Operations,
    Parameters,
    BodiesAndResponses,
    Models,
    Fields,
    EnumValues,
    /// Security schemes and the credentials operations need.
    Security,
    /// Permissions, OAuth scopes, deprecation and preview status.
    Annotations,
    /// Summaries, descriptions, field notes and constraints.
    Docs,
}

impl Area {
    /// The key used in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Area::Operations => "operations",
            Area::Parameters => "parameters",
            Area::BodiesAndResponses => "bodies-and-responses",
            Area::Models => "models",
            Area::Fields => "fields",
            Area::EnumValues => "enum-values",
            Area::Security => "security",
            Area::Annotations => "permissions-deprecation-preview",
            Area::Docs => "docs",
        }
    }

    /// The heading used in text and Markdown.
    pub fn title(self) -> &'static str {
        match self {
            Area::Operations => "Operations",
            Area::Parameters => "Parameters",
            Area::BodiesAndResponses => "Bodies & responses",
            Area::Models => "Models",
            Area::Fields => "Fields",
            Area::EnumValues => "Enum values",
            Area::Security => "Security",
            Area::Annotations => "Permissions, deprecation & preview",
            Area::Docs => "Docs",
        }
    }
}

/// One change between the two specs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub area: Area,
    pub kind: Kind,
    /// Where, in spec names: `TokenInfo.dateTokenIdles`, `getTokensMe ?preserveIdleTTL`.
    pub location: String,
    /// What happened, naming the spec's and (where useful) the Rust names.
    pub message: String,
}

/// The semver bump a report calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    None,
    Patch,
    Minor,
    Major,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::None => "none",
            Verdict::Patch => "patch",
            Verdict::Minor => "minor",
            Verdict::Major => "major",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every change between two specs, sorted by area, kind, location and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The old spec's name, as the user gave it.
    pub old: String,
    /// The new spec's name.
    pub new: String,
    pub changes: Vec<Change>,
}

impl Report {
    pub fn verdict(&self) -> Verdict {
        if self.count(Kind::Breaking) > 0 {
            Verdict::Major
        } else if self.count(Kind::Additive) > 0 {
            Verdict::Minor
        } else if self.count(Kind::Docs) > 0 {
            Verdict::Patch
        } else {
            Verdict::None
        }
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }

    pub fn is_breaking(&self) -> bool {
        self.count(Kind::Breaking) > 0
    }

    /// The changes of one kind.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }

    /// `minor (0 breaking, 6 additive, 0 docs-only)` or `none (no API changes)`.
    pub fn summary(&self) -> String {
        match self.verdict() {
            Verdict::None => "none (no API changes)".to_owned(),
            v => format!(
                "{v} ({} breaking, {} additive, {} docs-only)",
                self.count(Kind::Breaking),
                self.count(Kind::Additive),
                self.count(Kind::Docs)
            ),
        }
    }

    fn by_area(&self) -> BTreeMap<Area, Vec<&Change>> {
        let mut out: BTreeMap<Area, Vec<&Change>> = BTreeMap::new();
        for c in &self.changes {
            out.entry(c.area).or_default().push(c);
        }
        out
    }

    /// The report for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "API diff");
        let _ = writeln!(out, "  old: {}", self.old);
        let _ = writeln!(out, "  new: {}", self.new);
        let _ = writeln!(out, "verdict: {}", self.summary());
        for (area, changes) in self.by_area() {
            let _ = writeln!(out, "\n{}", area.title());
            for c in changes {
                let _ = writeln!(out, "  {:<8}  {}", c.kind.as_str(), c.location);
                let _ = writeln!(out, "            {}", c.message);
            }
        }
        out
    }

    /// The report for a pull-request description.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "## API changes: **{}**\n", self.verdict());
        let _ = writeln!(
            out,
            "{} → {}: {}.",
            markdown::md_code(&self.old),
            markdown::md_code(&self.new),
            match self.verdict() {
                Verdict::None => "no API changes".to_owned(),
                _ => format!(
                    "{} breaking, {} additive, {} docs-only",
                    self.count(Kind::Breaking),
                    self.count(Kind::Additive),
                    self.count(Kind::Docs)
                ),
            }
        );
        for (area, changes) in self.by_area() {
            let _ = writeln!(out, "\n### {}\n", area.title());
            let _ = writeln!(out, "| kind | where | change |");
            let _ = writeln!(out, "| --- | --- | --- |");
            for c in changes {
                let kind = match c.kind {
                    Kind::Breaking => "**breaking**",
                    Kind::Additive => "additive",
                    Kind::Docs => "docs",
                };
                let _ = writeln!(
                    out,
                    "| {kind} | {} | {} |",
                    md_cell(&markdown::md_code(&c.location)),
                    md_cell(&c.message)
                );
            }
        }
        out
    }

    /// The report for tools.
    pub fn to_json(&self) -> Value {
        json!({
            "old": self.old,
            "new": self.new,
            "verdict": self.verdict().as_str(),
            "counts": {
                "breaking": self.count(Kind::Breaking),
                "additive": self.count(Kind::Additive),
                "docs": self.count(Kind::Docs),
            },
            "changes": self.changes.iter().map(|c| json!({
                "kind": c.kind.as_str(),
                "group": c.area.key(),
                "location": c.location,
                "message": c.message,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Text that is put in a Markdown table cell.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

// ------------------------------------------------------------------ the inputs

/// A lowered spec, with what the diff needs beyond the IR.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The name the spec is reported under.
    pub name: String,
    pub api: Api,
}

impl Spec {
    /// Parses and lowers a spec, with the extensions `keys` names.
    /// Warnings are dropped: the diff only needs the IR.
    pub fn load(source: &Source, keys: &DocKeys) -> Result<Spec, Diagnostics> {
        let doc = load::load(source)?;
        let (api, _warnings) =
            lower::lower(&doc, keys).map_err(|d| Diagnostics(doc.locate(d.0)))?;
        Ok(Spec {
            name: source.name.clone(),
            api,
        })
    }

    /// A spec from an IR alone.
    pub fn from_api(name: impl Into<String>, api: Api) -> Spec {
        Spec {
            name: name.into(),
            api,
        }
    }
}

/// Compares two lowered APIs.
pub fn diff(old: &Api, new: &Api) -> Report {
    compare(("old", old), ("new", new))
}

/// Compares two lowered specs.
pub fn diff_specs(old: &Spec, new: &Spec) -> Report {
    compare((&old.name, &old.api), (&new.name, &new.api))
}

fn compare((old_name, old): (&str, &Api), (new_name, new): (&str, &Api)) -> Report {
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
    };
    d.api();
    d.schemes();
    d.servers();
    d.groups();
    d.operations();
    d.models();
    let mut changes = d.changes;
    changes.sort();
    changes.dedup();
    Report {
        old: old_name.to_owned(),
        new: new_name.to_owned(),
        changes,
    }
}

/// Loads, lowers and compares two specs with the extensions `keys` names;
/// the error holds the diagnostics of every spec that cannot be used.
pub fn diff_sources(old: &Source, new: &Source, keys: &DocKeys) -> Result<Report, Diagnostics> {
    diff_selected(old, new, keys, None)
}

/// [`diff_sources`] of the crates `selection` makes of the two specs: the
/// same tags kept on both sides. A tag is an error only when neither spec
/// has it, so that a tag added or removed between them reads as such.
pub fn diff_selected(
    old: &Source,
    new: &Source,
    keys: &DocKeys,
    selection: Option<&Selection>,
) -> Result<Report, Diagnostics> {
    let (mut old, mut new) = match (Spec::load(old, keys), Spec::load(new, keys)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(a), Err(b)) => return Err(Diagnostics(a.0.into_iter().chain(b.0).collect())),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    if let Some(selection) = selection {
        let problems = selection.unmatched(&[&old.api, &new.api]);
        if !problems.is_empty() {
            return Err(Diagnostics(problems));
        }
        selection.retain(&mut old.api);
        selection.retain(&mut new.api);
    }
    Ok(diff_specs(&old, &new))
}

// ---------------------------------------------------------------- the comparison

struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    changes: Vec<Change>,
}

/// Every operation by `operationId`, with its group.
fn operation_index(api: &Api) -> BTreeMap<&str, (&Group, &Operation)> {
    api.groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |o| (o.id.as_str(), (g, o))))
        .collect()
}

/// A short Rust spelling of a type.
fn rust(ty: &TypeRef) -> String {
    short(&types::rust_type(ty, ""))
}

/// A type as the emitted crate writes it, without the paths of `std`'s
/// collections and `chrono`.
fn short(ty: &str) -> String {
    ty.replace("::std::collections::", "")
        .replace("::chrono::", "")
        .replace("::serde_json::", "serde_json::")
}

/// `getTokensMe ?preserveIdleTTL`, `deleteToken {userId}`, `op header:If-Match`.
fn param_location(op: &str, p: &Param) -> String {
    match p.location {
        ParamLocation::Path => format!("{op} {{{}}}", p.name),
        ParamLocation::Query => format!("{op} ?{}", p.name),
        l => format!("{op} {}:{}", l.word(), p.name),
    }
}

/// The operation's method, as `TokensApi::get_tokens_me`.
fn method_name(g: &Group, op: &Operation) -> String {
    format!("{}::{}", g.type_name, op.fn_name)
}

/// What the operation's future resolves to.
fn output_type(op: &Operation) -> String {
    short(&types::output_type(op, ""))
}

fn kind_word(k: &ModelKind) -> &'static str {
    match k {
        ModelKind::Struct(_) => "struct",
        ModelKind::Enum(_) => "enum",
        ModelKind::Alias(_) => "type alias",
        ModelKind::Union(_) => "oneOf enum",
    }
}

/// The field's Rust type as declared in the struct.
fn field_type(f: &Field) -> String {
    short(&types::field_type(f, ""))
}

fn setter(f: &Field) -> String {
    naming::setter(&f.ident)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// The items of `old` that are also in `new`, in `old`'s order, and the other way round.
fn common_orders(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let o: Vec<String> = old.iter().filter(|x| new.contains(x)).cloned().collect();
    let n: Vec<String> = new.iter().filter(|x| old.contains(x)).cloned().collect();
    (o, n)
}

impl Differ<'_> {
    fn push(&mut self, kind: Kind, area: Area, location: impl Into<String>, message: String) {
        self.changes.push(Change {
            area,
            kind,
            location: location.into(),
            message,
        });
    }

    fn text(
        &mut self,
        area: Area,
        location: &str,
        what: &str,
        old: &Option<String>,
        new: &Option<String>,
    ) {
        let message = match (old, new) {
            (a, b) if a == b => return,
            (None, Some(_)) => format!("{what} added"),
            (Some(_), None) => format!("{what} removed"),
            _ => format!("{what} changed"),
        };
        self.push(Kind::Docs, area, location, message);
    }

    fn api(&mut self) {
        let (o, n) = (self.old, self.new);
        if o.title != n.title {
            self.push(
                Kind::Docs,
                Area::Docs,
                "info",
                format!("title changed: \"{}\" → \"{}\"", o.title, n.title),
            );
        }
        if o.version != n.version {
            self.push(
                Kind::Docs,
                Area::Docs,
                "info",
                format!("version changed: \"{}\" → \"{}\"", o.version, n.version),
            );
        }
        self.text(
            Area::Docs,
            "info",
            "API description",
            &o.description,
            &n.description,
        );
        if o.default_base_url != n.default_base_url {
            self.push(
                Kind::Additive,
                Area::Operations,
                "servers",
                format!(
                    "default base URL changed: {} → {} (`Client::builder` without `base_url` now talks to the new one)",
                    o.default_base_url, n.default_base_url
                ),
            );
        }
        if o.error_model != n.error_model {
            let show = |m: &Option<String>| {
                m.as_deref()
                    .map_or("none (raw body only)".to_owned(), |m| format!("`{m}`"))
            };
            self.push(
                Kind::Breaking,
                Area::Models,
                "error model",
                format!(
                    "the error model (the type `ApiError::body` decodes) changed: {} → {}",
                    show(&o.error_model),
                    show(&n.error_model)
                ),
            );
        }
    }

    // ------------------------------------------------------------------ groups

    fn groups(&mut self) {
        let old: BTreeMap<&str, &Group> = self
            .old
            .groups
            .iter()
            .map(|g| (g.tag.as_str(), g))
            .collect();
        let new: BTreeMap<&str, &Group> = self
            .new
            .groups
            .iter()
            .map(|g| (g.tag.as_str(), g))
            .collect();
        for (tag, g) in &old {
            let loc = format!("tag {tag}");
            match new.get(tag) {
                None => self.push(
                    Kind::Breaking,
                    Area::Operations,
                    loc,
                    format!(
                        "tag `{tag}` removed: `Client::{}()` and `{}` are gone",
                        g.module, g.type_name
                    ),
                ),
                Some(n) => {
                    if g.type_name != n.type_name || g.module != n.module {
                        self.push(
                            Kind::Breaking,
                            Area::Operations,
                            loc.clone(),
                            format!(
                                "tag `{tag}` renamed in Rust: `Client::{}()` / `{}` → `Client::{}()` / `{}`",
                                g.module, g.type_name, n.module, n.type_name
                            ),
                        );
                    }
                    self.text(
                        Area::Docs,
                        &loc,
                        "tag description",
                        &g.description,
                        &n.description,
                    );
                }
            }
        }
        for (tag, g) in &new {
            if !old.contains_key(tag) {
                self.push(
                    Kind::Additive,
                    Area::Operations,
                    format!("tag {tag}"),
                    format!(
                        "tag `{tag}` added: `Client::{}()` returns the new `{}`",
                        g.module, g.type_name
                    ),
                );
            }
        }
    }

    // -------------------------------------------------------------- operations

    fn operations(&mut self) {
        let old = operation_index(self.old);
        let new = operation_index(self.new);
        for (id, (g, op)) in &old {
            match new.get(id) {
                None => self.push(
                    Kind::Breaking,
                    Area::Operations,
                    *id,
                    format!(
                        "operation `{id}` ({} {}) removed: `{}` is gone",
                        op.method.constant(),
                        op.path,
                        method_name(g, op)
                    ),
                ),
                Some((ng, nop)) => self.operation(id, (g, op), (ng, nop)),
            }
        }
        for (id, (g, op)) in &new {
            if old.contains_key(id) {
                continue;
            }
            self.push(
                Kind::Additive,
                Area::Operations,
                *id,
                format!(
                    "operation `{id}` ({} {}) added: `{}`",
                    op.method.constant(),
                    op.path,
                    method_name(g, op)
                ),
            );
            if op.preview {
                self.push(
                    Kind::Docs,
                    Area::Annotations,
                    *id,
                    "added as a preview operation: it may change without notice".to_owned(),
                );
            }
        }
    }

    fn operation(
        &mut self,
        id: &str,
        (og, o): (&Group, &Operation),
        (ng, n): (&Group, &Operation),
    ) {
        let (old_fn, new_fn) = (method_name(og, o), method_name(ng, n));
        if og.tag != ng.tag {
            self.push(
                Kind::Breaking,
                Area::Operations,
                id,
                format!(
                    "moved from tag `{}` to tag `{}`: `{old_fn}` → `{new_fn}` (`Client::{}()` → `Client::{}()`)",
                    og.tag, ng.tag, og.module, ng.module
                ),
            );
        } else if o.fn_name != n.fn_name {
            self.push(
                Kind::Breaking,
                Area::Operations,
                id,
                format!("method renamed: `{old_fn}` → `{new_fn}`"),
            );
        }
        if o.builder_name != n.builder_name {
            self.push(
                Kind::Breaking,
                Area::Operations,
                id,
                format!(
                    "request builder type renamed: `{}` → `{}`",
                    o.builder_name, n.builder_name
                ),
            );
        }
        if o.method != n.method || o.path != n.path {
            self.push(
                Kind::Additive,
                Area::Operations,
                id,
                format!(
                    "now sent as {} {} (was {} {}); the Rust signature is unchanged",
                    n.method.constant(),
                    n.path,
                    o.method.constant(),
                    o.path
                ),
            );
        }

        // Annotations.
        match (o.deprecated, n.deprecated) {
            (false, true) => self.push(
                Kind::Additive,
                Area::Annotations,
                id,
                format!("deprecated: `{new_fn}` is now `#[deprecated]` (calls warn)"),
            ),
            (true, false) => self.push(
                Kind::Docs,
                Area::Annotations,
                id,
                format!("no longer deprecated: `{new_fn}` loses `#[deprecated]`"),
            ),
            _ => {}
        }
        match (o.preview, n.preview) {
            (false, true) => self.push(
                Kind::Docs,
                Area::Annotations,
                id,
                "now a preview operation: it may change without notice".to_owned(),
            ),
            (true, false) => self.push(
                Kind::Docs,
                Area::Annotations,
                id,
                "no longer a preview operation".to_owned(),
            ),
            _ => {}
        }
        if o.permissions != n.permissions {
            let show = |p: &Option<crate::ir::Permissions>| match p {
                None => "none".to_owned(),
                Some(p) => format!("{} of {}", p.kind, p.names.join(", ")),
            };
            self.push(
                Kind::Docs,
                Area::Annotations,
                id,
                format!(
                    "required permissions changed: {} → {}",
                    show(&o.permissions),
                    show(&n.permissions)
                ),
            );
        }
        let added: Vec<String> = n
            .scopes
            .iter()
            .filter(|s| !o.scopes.contains(s))
            .cloned()
            .collect();
        let removed: Vec<String> = o
            .scopes
            .iter()
            .filter(|s| !n.scopes.contains(s))
            .cloned()
            .collect();
        if !added.is_empty() {
            self.push(
                Kind::Docs,
                Area::Annotations,
                id,
                format!("OAuth scopes added: {}", added.join(", ")),
            );
        }
        if !removed.is_empty() {
            self.push(
                Kind::Docs,
                Area::Annotations,
                id,
                format!("OAuth scopes removed: {}", removed.join(", ")),
            );
        }
        self.text(Area::Docs, id, "summary", &o.summary, &n.summary);
        self.text(
            Area::Docs,
            id,
            "description",
            &o.description,
            &n.description,
        );

        self.params(id, &new_fn, o, n);
        self.operation_security(id, o, n);
        self.operation_server(id, o, n);
        self.arguments(id, &new_fn, o, n);
        self.body(id, &new_fn, o.body.as_ref(), n.body.as_ref());
        self.response(id, o, n);
        self.errors(id, o, n);
    }

    fn params(&mut self, id: &str, fn_name: &str, o: &Operation, n: &Operation) {
        let key = |p: &Param| (p.name.clone(), p.location.word());
        let mut old_left: Vec<&Param> = Vec::new();
        for p in &o.params {
            match n.params.iter().find(|q| key(q) == key(p)) {
                Some(q) => self.param(id, fn_name, p, q),
                None => old_left.push(p),
            }
        }
        let mut new_left: Vec<&Param> = n
            .params
            .iter()
            .filter(|q| !o.params.iter().any(|p| key(p) == key(q)))
            .collect();
        // The same name in another place: a move.
        old_left.retain(|p| match new_left.iter().position(|q| q.name == p.name) {
            Some(i) => {
                let q = new_left.remove(i);
                self.push(
                    Kind::Breaking,
                    Area::Parameters,
                    param_location(id, q),
                    format!(
                        "parameter `{}` moved from the {} to the {}",
                        p.name,
                        p.location.word(),
                        q.location.word()
                    ),
                );
                self.param(id, fn_name, p, q);
                false
            }
            None => true,
        });
        for p in old_left {
            let how = if p.required {
                format!("`{fn_name}` loses its argument `{}`", p.ident)
            } else {
                format!("builder method `.{}()` is gone", p.ident)
            };
            self.push(
                Kind::Breaking,
                Area::Parameters,
                param_location(id, p),
                format!(
                    "{} parameter `{}` removed: {how}",
                    p.location.word(),
                    p.name
                ),
            );
        }
        for q in new_left {
            if q.required {
                self.push(
                    Kind::Breaking,
                    Area::Parameters,
                    param_location(id, q),
                    format!(
                        "required {} parameter `{}` added: `{fn_name}` takes a new argument `{}: {}`",
                        q.location.word(),
                        q.name,
                        q.ident,
                        rust(&q.ty)
                    ),
                );
            } else {
                self.push(
                    Kind::Additive,
                    Area::Parameters,
                    param_location(id, q),
                    format!(
                        "optional {} parameter `{}` added: builder method `.{}({})`",
                        q.location.word(),
                        q.name,
                        q.ident,
                        rust(&q.ty)
                    ),
                );
            }
        }
    }

    fn param(&mut self, id: &str, fn_name: &str, p: &Param, q: &Param) {
        let loc = param_location(id, q);
        match (p.required, q.required) {
            (false, true) => self.push(
                Kind::Breaking,
                Area::Parameters,
                loc.clone(),
                format!(
                    "parameter `{}` is now required: builder method `.{}()` becomes an argument of `{fn_name}`",
                    q.name, p.ident
                ),
            ),
            (true, false) => self.push(
                Kind::Breaking,
                Area::Parameters,
                loc.clone(),
                format!(
                    "parameter `{}` is no longer required: the argument `{}` of `{fn_name}` becomes builder method `.{}()`",
                    q.name, p.ident, q.ident
                ),
            ),
            _ => {}
        }
        if p.ty != q.ty {
            self.push(
                Kind::Breaking,
                Area::Parameters,
                loc.clone(),
                format!(
                    "parameter `{}` changed type: `{}` → `{}`",
                    q.name,
                    rust(&p.ty),
                    rust(&q.ty)
                ),
            );
        }
        if !p.required && !q.required && p.ident != q.ident {
            self.push(
                Kind::Breaking,
                Area::Parameters,
                loc.clone(),
                format!(
                    "builder method renamed: `.{}()` → `.{}()`",
                    p.ident, q.ident
                ),
            );
        }
        match (p.deprecated, q.deprecated) {
            (false, true) => self.push(
                Kind::Docs,
                Area::Annotations,
                loc.clone(),
                format!("parameter `{}` deprecated", q.name),
            ),
            (true, false) => self.push(
                Kind::Docs,
                Area::Annotations,
                loc.clone(),
                format!("parameter `{}` no longer deprecated", q.name),
            ),
            _ => {}
        }
        self.text(
            Area::Docs,
            &loc,
            "parameter description",
            &p.description,
            &q.description,
        );
    }

    /// The arguments of the method, in order: reordering them breaks callers
    /// (silently when the types agree).
    fn arguments(&mut self, id: &str, fn_name: &str, o: &Operation, n: &Operation) {
        let args = |op: &Operation| -> Vec<String> {
            let mut a: Vec<String> = op
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| p.name.clone())
                .collect();
            if op.body.as_ref().is_some_and(|b| b.required) {
                a.push("(body)".to_owned());
            }
            a
        };
        let (old, new) = common_orders(&args(o), &args(n));
        if old != new {
            self.push(
                Kind::Breaking,
                Area::Parameters,
                id,
                format!(
                    "arguments of `{fn_name}` reordered: ({}) → ({})",
                    old.join(", "),
                    new.join(", ")
                ),
            );
        }
    }

    fn body(&mut self, id: &str, fn_name: &str, o: Option<&Body>, n: Option<&Body>) {
        let loc = format!("{id} body");
        match (o, n) {
            (None, None) => {}
            (None, Some(b)) if b.required => self.push(
                Kind::Breaking,
                Area::BodiesAndResponses,
                loc,
                format!(
                    "required request body added: `{fn_name}` takes a new argument `{}: {}`",
                    b.ident,
                    rust(&b.ty)
                ),
            ),
            (None, Some(b)) => self.push(
                Kind::Additive,
                Area::BodiesAndResponses,
                loc,
                format!(
                    "optional request body added: builder method `.{}({})`",
                    b.ident,
                    rust(&b.ty)
                ),
            ),
            (Some(b), None) => self.push(
                Kind::Breaking,
                Area::BodiesAndResponses,
                loc,
                format!(
                    "request body removed: {}",
                    if b.required {
                        format!("`{fn_name}` loses its argument `{}`", b.ident)
                    } else {
                        format!("builder method `.{}()` is gone", b.ident)
                    }
                ),
            ),
            (Some(a), Some(b)) => {
                match (a.required, b.required) {
                    (false, true) => self.push(
                        Kind::Breaking,
                        Area::BodiesAndResponses,
                        loc.clone(),
                        format!(
                            "request body is now required: builder method `.{}()` becomes an argument of `{fn_name}`",
                            a.ident
                        ),
                    ),
                    (true, false) => self.push(
                        Kind::Breaking,
                        Area::BodiesAndResponses,
                        loc.clone(),
                        format!(
                            "request body is no longer required: the argument `{}` of `{fn_name}` becomes builder method `.{}()`",
                            a.ident, b.ident
                        ),
                    ),
                    _ => {}
                }
                if a.ty != b.ty {
                    self.push(
                        Kind::Breaking,
                        Area::BodiesAndResponses,
                        loc.clone(),
                        format!(
                            "request body changed type: `{}` → `{}`",
                            rust(&a.ty),
                            rust(&b.ty)
                        ),
                    );
                }
                if a.media_type != b.media_type {
                    self.push(
                        Kind::Additive,
                        Area::BodiesAndResponses,
                        loc.clone(),
                        format!(
                            "request body now sent as `{}` (was `{}`); the Rust type is unchanged",
                            b.media_type, a.media_type
                        ),
                    );
                }
                self.text(
                    Area::Docs,
                    &loc,
                    "request body description",
                    &a.description,
                    &b.description,
                );
            }
        }
    }

    fn response(&mut self, id: &str, o: &Operation, n: &Operation) {
        let loc = format!("{id} response");
        let (ot, nt) = (output_type(o), output_type(n));
        if ot != nt {
            self.push(
                Kind::Breaking,
                Area::BodiesAndResponses,
                loc,
                format!("success response type changed: `{ot}` → `{nt}`"),
            );
            return;
        }
        if o.response_kind != n.response_kind && n.responses.is_none() && n.response.is_some() {
            self.push(
                Kind::Additive,
                Area::BodiesAndResponses,
                loc.clone(),
                format!(
                    "success body now decoded as {:?} (was {:?}); the Rust type is unchanged",
                    n.response_kind, o.response_kind
                ),
            );
        }
        if let (Some(a), Some(b)) = (&o.responses, &n.responses) {
            self.response_enum(&loc, a, b);
        }
    }

    fn response_enum(&mut self, loc: &str, a: &ResponseEnum, b: &ResponseEnum) {
        let name = &b.name;
        for v in &a.variants {
            let vloc = format!("{loc} {}", v.status);
            match b.variants.iter().find(|w| w.status == v.status) {
                None => self.push(
                    Kind::Breaking,
                    Area::BodiesAndResponses,
                    vloc,
                    format!(
                        "success status {} removed: variant `{name}::{}` is gone",
                        v.status, v.ident
                    ),
                ),
                Some(w) => {
                    if v.ident != w.ident {
                        self.push(
                            Kind::Breaking,
                            Area::BodiesAndResponses,
                            vloc.clone(),
                            format!(
                                "variant renamed: `{name}::{}` → `{name}::{}`",
                                v.ident, w.ident
                            ),
                        );
                    }
                    if v.ty != w.ty {
                        let show = |t: &Option<TypeRef>| {
                            t.as_ref()
                                .map_or("no body".to_owned(), |t| format!("`{}`", rust(t)))
                        };
                        self.push(
                            Kind::Breaking,
                            Area::BodiesAndResponses,
                            vloc.clone(),
                            format!(
                                "status {} body changed: {} → {}",
                                w.status,
                                show(&v.ty),
                                show(&w.ty)
                            ),
                        );
                    } else if v.kind != w.kind {
                        self.push(
                            Kind::Additive,
                            Area::BodiesAndResponses,
                            vloc.clone(),
                            format!(
                                "status {} body now decoded as {:?} (was {:?})",
                                w.status, w.kind, v.kind
                            ),
                        );
                    }
                    if v.description != w.description {
                        self.push(
                            Kind::Docs,
                            Area::Docs,
                            vloc,
                            format!("status {} description changed", w.status),
                        );
                    }
                }
            }
        }
        for w in &b.variants {
            if !a.variants.iter().any(|v| v.status == w.status) {
                self.push(
                    Kind::Additive,
                    Area::BodiesAndResponses,
                    format!("{loc} {}", w.status),
                    format!(
                        "success status {} added: variant `{name}::{}` (the enum is `#[non_exhaustive]`)",
                        w.status, w.ident
                    ),
                );
            }
        }
    }

    fn errors(&mut self, id: &str, o: &Operation, n: &Operation) {
        for e in &o.errors {
            let loc = format!("{id} response {}", e.status);
            match n.errors.iter().find(|f| f.status == e.status) {
                None => self.push(
                    Kind::Docs,
                    Area::BodiesAndResponses,
                    loc,
                    format!("error status {} no longer documented", e.status),
                ),
                Some(f) => {
                    if e.ty != f.ty {
                        let show = |t: &Option<TypeRef>| {
                            t.as_ref()
                                .map_or("none".to_owned(), |t| format!("`{}`", rust(t)))
                        };
                        self.push(
                            Kind::Docs,
                            Area::BodiesAndResponses,
                            loc.clone(),
                            format!(
                                "error status {} body documented as {} (was {})",
                                f.status,
                                show(&f.ty),
                                show(&e.ty)
                            ),
                        );
                    }
                    if e.description != f.description {
                        self.push(
                            Kind::Docs,
                            Area::Docs,
                            loc,
                            format!("error status {} description changed", f.status),
                        );
                    }
                }
            }
        }
        for f in &n.errors {
            if !o.errors.iter().any(|e| e.status == f.status) {
                self.push(
                    Kind::Docs,
                    Area::BodiesAndResponses,
                    format!("{id} response {}", f.status),
                    format!("error status {} documented", f.status),
                );
            }
        }
    }

    // ------------------------------------------------------------------ models

    fn models(&mut self) {
        let old: BTreeMap<&str, &Model> = self
            .old
            .models
            .iter()
            .map(|m| (m.name.as_str(), m))
            .collect();
        let new: BTreeMap<&str, &Model> = self
            .new
            .models
            .iter()
            .map(|m| (m.name.as_str(), m))
            .collect();
        let mut removed: Vec<&Model> = Vec::new();
        for (name, m) in &old {
            match new.get(name) {
                Some(n) => self.model(m, n),
                None => removed.push(m),
            }
        }
        let mut added: Vec<&Model> = new
            .iter()
            .filter(|(name, _)| !old.contains_key(*name))
            .map(|(_, m)| *m)
            .collect();
        // A removed and an added model at the same place, or of the same
        // (non-trivial) shape, are one rename.
        removed.retain(|m| {
            let same = |n: &&Model| {
                n.pointer == m.pointer
                    || (n.kind == m.kind
                        && match &m.kind {
                            ModelKind::Struct(f) => !f.is_empty(),
                            ModelKind::Enum(v) => !v.is_empty(),
                            ModelKind::Union(u) => !u.variants.is_empty(),
                            ModelKind::Alias(_) => false,
                        })
            };
            match added.iter().position(same) {
                Some(i) => {
                    let n = added.remove(i);
                    self.push(
                        Kind::Breaking,
                        Area::Models,
                        m.name.clone(),
                        format!(
                            "{} `{}` renamed to `{}` (schema #{} → #{})",
                            kind_word(&m.kind),
                            m.name,
                            n.name,
                            m.pointer,
                            n.pointer
                        ),
                    );
                    if n.kind != m.kind {
                        self.model(m, n);
                    }
                    false
                }
                None => true,
            }
        });
        for m in removed {
            self.push(
                Kind::Breaking,
                Area::Models,
                m.name.clone(),
                format!(
                    "{} `{}` removed (schema #{})",
                    kind_word(&m.kind),
                    m.name,
                    m.pointer
                ),
            );
        }
        for n in added {
            self.push(
                Kind::Additive,
                Area::Models,
                n.name.clone(),
                format!(
                    "{} `{}` added (schema #{})",
                    kind_word(&n.kind),
                    n.name,
                    n.pointer
                ),
            );
        }
    }

    fn model(&mut self, m: &Model, n: &Model) {
        let name = n.name.as_str();
        self.text(
            Area::Docs,
            name,
            "model description",
            &m.description,
            &n.description,
        );
        if m.pointer != n.pointer && m.name == n.name {
            self.push(
                Kind::Docs,
                Area::Docs,
                name,
                format!("now made from schema #{} (was #{})", n.pointer, m.pointer),
            );
        }
        match (&m.kind, &n.kind) {
            (ModelKind::Struct(a), ModelKind::Struct(b)) => self.fields(name, a, b),
            (ModelKind::Enum(a), ModelKind::Enum(b)) => self.enum_values(name, a, b),
            (ModelKind::Alias(a), ModelKind::Alias(b)) => {
                if a != b {
                    self.push(
                        Kind::Breaking,
                        Area::Models,
                        name,
                        format!("type alias `{name}` retyped: `{}` → `{}`", rust(a), rust(b)),
                    );
                }
            }
            (ModelKind::Union(a), ModelKind::Union(b)) => self.union(name, a, b),
            (a, b) => self.push(
                Kind::Breaking,
                Area::Models,
                name,
                format!("`{name}` changed kind: {} → {}", kind_word(a), kind_word(b)),
            ),
        }
    }

    fn fields(&mut self, model: &str, old: &[Field], new: &[Field]) {
        for f in old {
            let loc = format!("{model}.{}", f.name);
            let Some(g) = new.iter().find(|g| g.name == f.name) else {
                self.push(
                    Kind::Breaking,
                    Area::Fields,
                    loc,
                    format!(
                        "field `{}` removed: `{model}::{}` and `{}` are gone{}; a `{}` the API still sends is kept in `{}`",
                        f.name,
                        f.ident,
                        setter(f),
                        if f.in_new() {
                            format!(", and `{model}::new` loses an argument")
                        } else {
                            String::new()
                        },
                        f.name,
                        naming::UNKNOWN_FIELDS
                    ),
                );
                continue;
            };
            self.field(model, &loc, f, g);
        }
        for g in new {
            if old.iter().any(|f| f.name == g.name) {
                continue;
            }
            let loc = format!("{model}.{}", g.name);
            if g.in_new() {
                self.push(
                    Kind::Breaking,
                    Area::Fields,
                    loc,
                    format!(
                        "required field `{}` added: `{model}::new` takes a new argument `{}: {}`",
                        g.name,
                        g.ident,
                        field_type(g)
                    ),
                );
            } else {
                self.push(
                    Kind::Additive,
                    Area::Fields,
                    loc,
                    format!(
                        "optional field `{}` added: `{model}::{}: {}`, set with `{}`; decoded there, no longer kept in `{}`",
                        g.name,
                        g.ident,
                        field_type(g),
                        setter(g),
                        naming::UNKNOWN_FIELDS
                    ),
                );
            }
        }
        let args = |fields: &[Field]| -> Vec<String> {
            fields
                .iter()
                .filter(|f| f.in_new())
                .map(|f| f.name.clone())
                .collect()
        };
        let (o, n) = common_orders(&args(old), &args(new));
        if o != n {
            self.push(
                Kind::Breaking,
                Area::Fields,
                model,
                format!(
                    "arguments of `{model}::new` reordered: ({}) → ({})",
                    o.join(", "),
                    n.join(", ")
                ),
            );
        }
    }

    fn field(&mut self, model: &str, loc: &str, f: &Field, g: &Field) {
        let (ft, gt) = (field_type(f), field_type(g));
        match (f.in_new(), g.in_new()) {
            (false, true) => self.push(
                Kind::Breaking,
                Area::Fields,
                loc,
                format!(
                    "field `{}` is now required: `{ft}` → `{gt}`, and `{model}::new` takes it",
                    g.name
                ),
            ),
            (true, false) => self.push(
                Kind::Breaking,
                Area::Fields,
                loc,
                format!(
                    "field `{}` is no longer required: `{ft}` → `{gt}`, and `{model}::new` no longer takes it",
                    g.name
                ),
            ),
            _ if ft != gt => self.push(
                Kind::Breaking,
                Area::Fields,
                loc,
                format!("field `{}` changed type: `{ft}` → `{gt}`", g.name),
            ),
            _ if f.required != g.required => self.push(
                Kind::Additive,
                Area::Fields,
                loc,
                format!(
                    "field `{}` is {} required; it is nullable, so it stays `{gt}`, but `None` is now {}",
                    g.name,
                    if g.required { "now" } else { "no longer" },
                    if g.required { "sent as `null`" } else { "left out" }
                ),
            ),
            _ => {}
        }
        if f.ident != g.ident {
            self.push(
                Kind::Breaking,
                Area::Fields,
                loc,
                format!(
                    "field `{}` renamed in Rust: `{model}::{}` / `{}` → `{model}::{}` / `{}`",
                    g.name,
                    f.ident,
                    setter(f),
                    g.ident,
                    setter(g)
                ),
            );
        }
        match (f.deprecated, g.deprecated) {
            (false, true) => self.push(
                Kind::Additive,
                Area::Annotations,
                loc,
                format!(
                    "field `{}` deprecated: `{model}::{}` is now `#[deprecated]`",
                    g.name, g.ident
                ),
            ),
            (true, false) => self.push(
                Kind::Docs,
                Area::Annotations,
                loc,
                format!("field `{}` no longer deprecated", g.name),
            ),
            _ => {}
        }
        let flags = [
            (f.read_only, g.read_only, "read-only"),
            (f.write_only, g.write_only, "write-only"),
            (
                f.nullable && f.in_new() == g.in_new(),
                g.nullable && f.in_new() == g.in_new(),
                "nullable",
            ),
        ];
        for (was, is, what) in flags {
            if was != is {
                self.push(
                    Kind::Docs,
                    Area::Docs,
                    loc,
                    format!(
                        "field `{}` is {} {what}",
                        g.name,
                        if is { "now" } else { "no longer" }
                    ),
                );
            }
        }
        self.text(
            Area::Docs,
            loc,
            "field description",
            &f.description,
            &g.description,
        );
        if f.constraints != g.constraints {
            self.push(
                Kind::Docs,
                Area::Docs,
                loc,
                format!(
                    "constraints changed: [{}] → [{}]",
                    list(&f.constraints),
                    list(&g.constraints)
                ),
            );
        }
    }

    fn enum_values(&mut self, model: &str, old: &[Variant], new: &[Variant]) {
        let gone = |v: &&Variant| !new.iter().any(|w| w.value == v.value);
        let fresh = |w: &&Variant| !old.iter().any(|v| v.value == w.value);
        // A value spelled anew on the wire under the same Rust name
        // (`CLIENT_CREDENTIALS` → `CLIENT-CREDENTIALS`) is one change.
        let respelled: Vec<(&Variant, &Variant)> = (old.iter().filter(gone))
            .filter_map(|v| Some((v, new.iter().filter(fresh).find(|w| w.ident == v.ident)?)))
            .collect();
        for v in old {
            let loc = format!("{model} \"{}\"", v.value);
            let message = match new.iter().find(|w| w.value == v.value) {
                None => match respelled.iter().find(|(o, _)| o.value == v.value) {
                    Some((_, w)) => format!(
                        "value \"{}\" is now \"{}\": `{model}::{}` keeps its name and sends the new spelling (the old one now decodes as `{model}::Unknown`)",
                        v.value, w.value, v.ident
                    ),
                    None => format!(
                        "value \"{}\" removed: `{model}::{}` is gone (the value now decodes as `{model}::Unknown`)",
                        v.value, v.ident
                    ),
                },
                Some(w) if w.ident != v.ident => format!(
                    "value \"{}\" renamed in Rust: `{model}::{}` → `{model}::{}`",
                    v.value, v.ident, w.ident
                ),
                Some(_) => continue,
            };
            self.push(Kind::Breaking, Area::EnumValues, loc, message);
        }
        for w in new.iter().filter(fresh) {
            if respelled.iter().any(|(_, n)| n.value == w.value) {
                continue;
            }
            self.push(
                Kind::Additive,
                Area::EnumValues,
                format!("{model} \"{}\"", w.value),
                format!(
                    "value \"{}\" added: `{model}::{}` (the enum is `#[non_exhaustive]`)",
                    w.value, w.ident
                ),
            );
        }
    }

    fn union(&mut self, model: &str, a: &Union, b: &Union) {
        if a.discriminator != b.discriminator {
            let show =
                |d: &Option<String>| d.as_deref().map_or("none".to_owned(), |d| format!("`{d}`"));
            self.push(
                Kind::Breaking,
                Area::Models,
                model,
                format!(
                    "discriminator of `{model}` changed: {} → {}",
                    show(&a.discriminator),
                    show(&b.discriminator)
                ),
            );
        }
        for v in &a.variants {
            let loc = format!("{model}::{}", v.ident);
            let Some(w) = b.variants.iter().find(|w| w.ident == v.ident) else {
                self.push(
                    Kind::Breaking,
                    Area::Models,
                    loc,
                    format!("variant `{model}::{}({})` removed", v.ident, rust(&v.ty)),
                );
                continue;
            };
            if v.ty != w.ty || v.boxed != w.boxed {
                let show = |x: &crate::ir::UnionVariant| short(&types::variant_type(x, ""));
                self.push(
                    Kind::Breaking,
                    Area::Models,
                    loc.clone(),
                    format!(
                        "variant `{model}::{}` changed type: `{}` → `{}`",
                        v.ident,
                        show(v),
                        show(w)
                    ),
                );
            }
            let gone: Vec<String> = v
                .tags
                .iter()
                .filter(|t| !w.tags.contains(t))
                .cloned()
                .collect();
            let new_tags: Vec<String> = w
                .tags
                .iter()
                .filter(|t| !v.tags.contains(t))
                .cloned()
                .collect();
            if !gone.is_empty() {
                self.push(
                    Kind::Breaking,
                    Area::Models,
                    loc.clone(),
                    format!(
                        "discriminator values no longer selecting `{model}::{}`: {}",
                        v.ident,
                        gone.join(", ")
                    ),
                );
            }
            if !new_tags.is_empty() {
                self.push(
                    Kind::Additive,
                    Area::Models,
                    loc,
                    format!(
                        "discriminator values now selecting `{model}::{}`: {}",
                        v.ident,
                        new_tags.join(", ")
                    ),
                );
            }
        }
        for w in &b.variants {
            if !a.variants.iter().any(|v| v.ident == w.ident) {
                self.push(
                    Kind::Additive,
                    Area::Models,
                    format!("{model}::{}", w.ident),
                    format!(
                        "variant `{model}::{}({})` added (the enum is `#[non_exhaustive]`)",
                        w.ident,
                        rust(&w.ty)
                    ),
                );
            }
        }
    }
}

// ------------------------------------------------------------ the command line

/// Where things are for `cargo xtask diff`.
#[derive(Debug, Clone)]
pub struct Defaults {
    /// The workspace root: git runs here, and names of files below it are shown relative to it.
    pub root: PathBuf,
    /// The spec, relative to `root` (`spec/tokens.yaml`): the working-tree file
    /// is the default NEW, its committed version at `HEAD` the default OLD, and
    /// a bare revision `REV` means `REV:<spec>`.
    pub spec: String,
    /// How to name the command in messages, e.g. `cargo xtask diff`.
    pub command: String,
}

pub const USAGE: &str = "\
Arguments:
  [OLD]                  the old spec (default: HEAD, the committed spec)
  [NEW]                  the new spec (default: the working-tree spec)
                         each is a file (YAML or JSON), a git revision REV
                         (that revision of the default spec) or REV:path
Options:
  --format FORMAT        text (default), markdown or json
  --settings PATH        the settings file naming the spec's permission and
                         preview extensions and its tag selection
                         (default: codegen.toml beside NEW)
  --tag NAME             compare only the operations with this tag and the
                         models they use, on both sides; repeat for more
                         tags; replaces the settings' select.tags
  --deny-breaking        exit 1 when any change is breaking
  -h, --help             show this help
Exit status: 0 done, 1 breaking changes with --deny-breaking, 2 usage error or unusable spec";

/// How to print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

impl Format {
    pub fn render(self, report: &Report) -> String {
        match self {
            Format::Text => report.to_text(),
            Format::Markdown => report.to_markdown(),
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
                s.push('\n');
                s
            }
        }
    }
}

#[derive(Debug)]
struct Args {
    old: Option<String>,
    new: Option<String>,
    format: Format,
    settings: Option<PathBuf>,
    tags: Vec<String>,
    deny_breaking: bool,
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        old: None,
        new: None,
        format: Format::Text,
        settings: None,
        tags: Vec::new(),
        deny_breaking: false,
    };
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--format" => {
                let value = inline
                    .or_else(|| it.next().cloned())
                    .ok_or("--format needs a value: text, markdown or json")?;
                parsed.format = match value.as_str() {
                    "text" => Format::Text,
                    "markdown" | "md" => Format::Markdown,
                    "json" => Format::Json,
                    other => {
                        return Err(format!(
                            "unknown format `{other}`: use text, markdown or json"
                        ))
                    }
                };
            }
            "--settings" => {
                let value = inline
                    .or_else(|| it.next().cloned())
                    .filter(|v| !v.is_empty())
                    .ok_or("--settings needs a value")?;
                parsed.settings = Some(PathBuf::from(value));
            }
            "--tag" => {
                let value = inline
                    .or_else(|| it.next().cloned())
                    .filter(|v| !v.is_empty())
                    .ok_or("--tag needs a value")?;
                parsed.tags.push(value);
            }
            "--deny-breaking" if inline.is_none() => parsed.deny_breaking = true,
            "-h" | "--help" => return Ok(None),
            "--" => positional.extend(it.by_ref().cloned()),
            other if other.starts_with('-') && other.len() > 1 => {
                return Err(format!("unknown argument `{arg}`"))
            }
            _ => positional.push(arg.clone()),
        }
    }
    if positional.len() > 2 {
        return Err(format!(
            "at most two specs (OLD and NEW), got {}",
            positional.len()
        ));
    }
    let mut positional = positional.into_iter();
    parsed.old = positional.next();
    parsed.new = positional.next();
    Ok(Some(parsed))
}

/// A file's name as shown: relative to the workspace root when below it.
fn shown_path(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if path.is_absolute() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// Reads a spec given as a file, `REV` or `REV:path`.
fn read_input(arg: &str, defaults: &Defaults) -> Result<Source, String> {
    let path = Path::new(arg);
    if path.is_file() {
        let mut source = Source::read(path).map_err(|d| d.to_string())?;
        source.name = shown_path(path, &defaults.root);
        return Ok(source);
    }
    let object = if arg.contains(':') {
        arg.to_owned()
    } else {
        format!("{arg}:{}", defaults.spec)
    };
    match git_show(&defaults.root, &object) {
        Ok(text) => Ok(Source::new(object, text)),
        Err(e) => Err(format!(
            "`{arg}` is not a file, and `git show {object}` failed: {e}"
        )),
    }
}

/// `git show OBJECT`, run in `dir`.
fn git_show(dir: &Path, object: &str) -> Result<String, String> {
    let out = Command::new("git")
        .arg("show")
        .arg(object)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    String::from_utf8(out.stdout).map_err(|_| format!("`{object}` is not UTF-8 text"))
}

/// Runs `cargo xtask diff`, printing to stdout and stderr; returns the exit code.
pub fn run(args: &[String], defaults: &Defaults) -> i32 {
    let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
    run_to(args, defaults, &mut stdout.lock(), &mut stderr.lock())
}

/// Runs `cargo xtask diff` writing to `out` and `err`; returns the exit code
/// (0 done, 1 breaking changes with `--deny-breaking`, 2 usage error or unusable spec).
pub fn run_to(
    args: &[String],
    defaults: &Defaults,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let args = match parse_args(args) {
        Ok(Some(a)) => a,
        Ok(None) => {
            let _ = writeln!(out, "{} [OLD] [NEW] [options]\n\n{USAGE}", defaults.command);
            return 0;
        }
        Err(e) => {
            let _ = writeln!(
                err,
                "error: {e}\n\nusage: {} [OLD] [NEW] [options]\n{USAGE}",
                defaults.command
            );
            return 2;
        }
    };
    let old = read_input(args.old.as_deref().unwrap_or("HEAD"), defaults);
    let new = match args.new.as_deref() {
        Some(arg) => read_input(arg, defaults),
        None => {
            let path = defaults.root.join(&defaults.spec);
            Source::read(&path)
                .map(|mut s| {
                    s.name = defaults.spec.clone();
                    s
                })
                .map_err(|d| d.to_string())
        }
    };
    let (old, new) = match (old, new) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            for e in [o.err(), n.err()].into_iter().flatten() {
                let _ = writeln!(err, "error: {e}");
            }
            return 2;
        }
    };
    // The settings beside the new spec, or beside the default spec when NEW
    // is a revision.
    let new_file = args
        .new
        .as_deref()
        .map(Path::new)
        .filter(|p| p.is_file())
        .map_or_else(|| defaults.root.join(&defaults.spec), Path::to_path_buf);
    let settings = match Loaded::find(args.settings.as_deref(), Some(&new_file)) {
        Ok(loaded) => loaded,
        Err(d) => {
            let _ = writeln!(err, "{d}");
            return 2;
        }
    };
    let selection = Selection::from_run(&args.tags, &settings);
    let keys = settings.settings.docs;
    let report = match diff_selected(&old, &new, &keys, selection.as_ref()) {
        Ok(r) => r,
        Err(d) => {
            let _ = writeln!(err, "{d}");
            let _ = writeln!(err, "the specs cannot be compared");
            return 2;
        }
    };
    let _ = write!(out, "{}", args.format.render(&report));
    if args.deny_breaking && report.is_breaking() {
        let _ = writeln!(
            err,
            "error: {} breaking change(s) (--deny-breaking)",
            report.count(Kind::Breaking)
        );
        return 1;
    }
    0
}

/// The one line `generate` ends with: the verdict of the spec at `spec_path`
/// (whose current text is `new`) against its version at `HEAD`. `None` when
/// the file is not in a git work tree, not committed, or anything else fails.
/// Both sides are the crates `selection` makes, as the generated one is.
pub fn summary_against_head(
    spec_path: &Path,
    new: &Source,
    keys: &DocKeys,
    selection: Option<&Selection>,
) -> Option<String> {
    let abs = spec_path.canonicalize().ok()?;
    let dir = abs.parent()?;
    let out = Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let top = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim())
        .canonicalize()
        .ok()?;
    let rel = abs.strip_prefix(&top).ok()?;
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<_>>>()?
        .join("/");
    let object = format!("HEAD:{rel}");
    let old = git_show(&top, &object).ok()?;
    let report = diff_selected(&Source::new(object.clone(), old), new, keys, selection).ok()?;
    Some(format!("API vs {object}: {}", report.summary()))
}
