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
//! - What is sent differently under the same signatures (another method or
//!   path, a body's media type, how a list parameter writes its values) is
//!   additive: a behaviour change.
//!
//! Each comparison destructures the IR struct it compares without `..`, so
//! that a field added to the IR does not compile until the diff decides
//! about it: compared, or bound to `_` with the reason it is not.
//!
//! [`run`] is the command line of `cargo xtask diff`; [`summary_against_head`]
//! is the one-line verdict `cargo xtask generate` ends with.
//!
//! One file per concern: `report` (changes, verdict, output formats),
//! `operations`, `models`, `access` (security and servers) and `cli`; this
//! one holds the inputs, the comparison's state and the helpers they share.

use crate::diag::Diagnostics;
use crate::ir::{
    Api, Field, Group, ListStyle, ModelKind, Operation, Param, ParamLocation, TypeRef,
};
use crate::load::{self, Source};
use crate::lower;
use crate::naming;
use crate::select::Selection;
use crate::settings::Settings;
use crate::types;
use std::collections::BTreeMap;

mod access;
mod cli;
mod models;
mod operations;
mod report;

pub use cli::{run, run_to, summary_against_head, Defaults, Format, USAGE};
pub use report::{Area, Change, Kind, Report, Verdict};

/// A lowered spec, with what the diff needs beyond the IR.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The name the spec is reported under.
    pub name: String,
    pub api: Api,
}

impl Spec {
    /// Parses and lowers a spec as `settings` say (the extensions the docs
    /// read, the rules for models).
    /// Warnings are dropped: the diff only needs the IR.
    pub fn load(source: &Source, settings: &Settings) -> Result<Spec, Diagnostics> {
        let doc = load::load(source)?;
        let (api, _warnings) =
            lower::lower(&doc, settings).map_err(|d| Diagnostics(doc.locate(d.0)))?;
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

/// Loads, lowers and compares two specs under the same `settings`;
/// the error holds the diagnostics of every spec that cannot be used.
pub fn diff_sources(
    old: &Source,
    new: &Source,
    settings: &Settings,
) -> Result<Report, Diagnostics> {
    diff_selected(old, new, settings, None)
}

/// [`diff_sources`] of the crates `selection` makes of the two specs: the
/// same tags kept on both sides. A tag is an error only when neither spec
/// has it, so that a tag added or removed between them reads as such.
pub fn diff_selected(
    old: &Source,
    new: &Source,
    settings: &Settings,
    selection: Option<&Selection>,
) -> Result<Report, Diagnostics> {
    let (mut old, mut new) = match (Spec::load(old, settings), Spec::load(new, settings)) {
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

/// How a list parameter named `name` writes two values, `ids=a&ids=b` or
/// `ids=a,b` (before percent-encoding).
fn list_written(name: &str, style: ListStyle) -> String {
    match style {
        ListStyle::Repeated => format!("{name}=a&{name}=b"),
        ListStyle::Joined(separator) => format!("{name}=a{separator}b"),
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
        let n = self.new;
        let Api {
            title,
            version,
            description,
            default_base_url,
            servers: _, // compared by `servers`
            schemes: _, // compared by `schemes`
            groups: _,  // compared by `groups` and `operations`
            models: _,  // compared by `models`
            error_model,
        } = self.old;
        if *title != n.title {
            self.push(
                Kind::Docs,
                Area::Docs,
                "info",
                format!("title changed: \"{title}\" → \"{}\"", n.title),
            );
        }
        if *version != n.version {
            self.push(
                Kind::Docs,
                Area::Docs,
                "info",
                format!("version changed: \"{version}\" → \"{}\"", n.version),
            );
        }
        self.text(
            Area::Docs,
            "info",
            "API description",
            description,
            &n.description,
        );
        if *default_base_url != n.default_base_url {
            self.push(
                Kind::Additive,
                Area::Operations,
                "servers",
                format!(
                    "default base URL changed: {default_base_url} → {} (`Client::builder` without `base_url` now talks to the new one)",
                    n.default_base_url
                ),
            );
        }
        if *error_model != n.error_model {
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
                    show(error_model),
                    show(&n.error_model)
                ),
            );
        }
    }
}
