//! Tag selection: a crate of some of the spec's tags, e.g. the Tokens client
//! generated straight from the vendor's whole published API.
//!
//! Applied to the [`ir`](crate::ir) right after lowering, so everything is
//! named as in the crate of the whole spec: an operation, model or group has
//! the same Rust name whichever tags are selected, and selecting more tags
//! never renames what a smaller selection held.
//!
//! Decisions:
//! - A tag is matched exactly as the spec spells it, case included (`OAuth`,
//!   not `oauth`); a near miss is suggested. `Other` names the group of
//!   operations without a tag, as in the emitted crate.
//! - An operation with several tags is kept when any of them is selected, and
//!   stays in the group of its first tag, as without a selection.
//! - The models kept are those the kept operations reach, and the error model
//!   with what it reaches: the one walk [`features::reached`] makes.
//! - A tag that selects no operation is an error listing the spec's tags;
//!   nothing is written.
//! - Warnings about what was left out are dropped ([`LeftOut`]).
//! - Tags on the command line (`--tag`) replace the settings' `select.tags`.

use crate::diag::{unescape_token, Diagnostic, Diagnostics, Pointer};
use crate::features;
use crate::ir::{Api, Group, Operation};
use crate::settings::Loaded;
use std::collections::BTreeSet;

/// Where a selection came from, for its diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--tag` on the command line.
    CommandLine,
    /// `select.tags` in this settings file.
    Settings(String),
}

/// The tags a crate is generated for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub tags: Vec<String>,
    pub origin: Origin,
}

impl Selection {
    /// The tags given on the command line, or else those of the settings;
    /// `None` selects everything.
    pub fn from_run(command_line: &[String], settings: &Loaded) -> Option<Selection> {
        if !command_line.is_empty() {
            return Some(Selection {
                tags: command_line.to_vec(),
                origin: Origin::CommandLine,
            });
        }
        let tags = settings.settings.select.tags.clone()?;
        Some(Selection {
            tags,
            origin: Origin::Settings(settings.file.clone()),
        })
    }

    /// Keeps in `api` only the selected operations and the models they reach,
    /// or reports every tag that selects nothing (`api` is then unchanged).
    pub fn apply(&self, api: &mut Api) -> Result<LeftOut, Diagnostics> {
        let problems = self.unmatched(&[api]);
        if !problems.is_empty() {
            return Err(Diagnostics(problems));
        }
        Ok(self.retain(api))
    }

    /// An error for every tag that selects no operation in any of `apis`.
    pub fn unmatched(&self, apis: &[&Api]) -> Vec<Diagnostic> {
        let known: BTreeSet<&str> = apis.iter().flat_map(|api| tags_of(api)).collect();
        let mut problems = Vec::new();
        for (i, tag) in self.tags.iter().enumerate() {
            if known.contains(tag.as_str()) {
                continue;
            }
            let (file, pointer) = match &self.origin {
                Origin::CommandLine => ("--tag", String::new()),
                Origin::Settings(file) => (
                    file.as_str(),
                    Pointer::root()
                        .push("select")
                        .push("tags")
                        .push(i)
                        .to_string(),
                ),
            };
            problems.push(
                Diagnostic::error(file, pointer, format!("no operation has the tag `{tag}`"))
                    .with_hint(hint(tag, &known)),
            );
        }
        problems
    }

    /// Keeps the operations with a selected tag, the groups still holding
    /// one, and the models they reach (see [`features::reached`]); returns
    /// where what it removed is.
    pub fn retain(&self, api: &mut Api) -> LeftOut {
        let mut left_out = BTreeSet::new();
        let mut kept_paths = BTreeSet::new();
        for group in &mut api.groups {
            let tag = group.tag.clone();
            group.operations.retain(|op| {
                let keep = self.tags.iter().any(|t| has_tag(&tag, op, t));
                if keep {
                    kept_paths.insert(op.path.clone());
                } else {
                    left_out.insert(operation_pointer(op));
                }
                keep
            });
        }
        api.groups.retain(|g| !g.operations.is_empty());
        let keep = features::reached(api, api.groups.iter().flat_map(|g| &g.operations));
        api.models.retain(|m| {
            let kept = keep.contains(&m.name);
            if !kept {
                left_out.insert(m.pointer.clone());
            }
            kept
        });
        // A path none of whose operations is kept, with its shared parameters.
        let emptied: Vec<String> = (left_out.iter())
            .filter_map(|p| p.strip_prefix("/paths/")?.split('/').next())
            .filter(|path| !kept_paths.contains(&unescape_token(path)))
            .map(|path| format!("/paths/{path}"))
            .collect();
        left_out.extend(emptied);
        LeftOut(left_out)
    }
}

/// Where in the (OpenAPI 3.0 form of the) spec the operations and schemas a
/// selection left out are, as JSON pointers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeftOut(BTreeSet<String>);

impl LeftOut {
    /// Is `pointer` in something left out? Diagnostics about it are not
    /// about the crate.
    pub fn covers(&self, pointer: &str) -> bool {
        let mut prefix = pointer;
        loop {
            if self.0.contains(prefix) {
                return true;
            }
            match prefix.rfind('/') {
                Some(end) if end > 0 => prefix = &prefix[..end],
                _ => return false,
            }
        }
    }
}

/// `/paths/~1tokens~1me/get`.
fn operation_pointer(op: &Operation) -> String {
    Pointer::root()
        .push("paths")
        .push(&op.path)
        .push(op.method.constant().to_ascii_lowercase())
        .to_string()
}

/// Does `op`, in the group with the tag `group`, carry `tag`?
fn has_tag(group: &str, op: &Operation, tag: &str) -> bool {
    group == tag || op.tags.iter().any(|t| t == tag)
}

/// Every tag of `api`'s operations, and the group names of untagged ones.
fn tags_of(api: &Api) -> impl Iterator<Item = &str> {
    api.groups.iter().flat_map(|g: &Group| {
        std::iter::once(g.tag.as_str()).chain(
            g.operations
                .iter()
                .flat_map(|op| op.tags.iter().map(String::as_str)),
        )
    })
}

/// What to do about `tag`: the closest tag when there is one, and the list.
fn hint(tag: &str, known: &BTreeSet<&str>) -> String {
    if known.is_empty() {
        return "the spec has no operations; remove the tag selection".to_owned();
    }
    let list = known
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let closest = known
        .iter()
        .map(|k| (distance(&tag.to_lowercase(), &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(1))
        .min();
    match closest {
        Some((_, near)) => format!(
            "did you mean `{near}`? tags are matched as the spec spells them, case included; the spec's tags: {list}"
        ),
        None => format!("tags are matched as the spec spells them, case included; the spec's tags: {list}"),
    }
}

/// The Levenshtein distance between `a` and `b`, in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substituted = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::sample::{field, group, model, named, operation};
    use crate::ir::*;

    fn tagged(id: &str, tags: &[&str], response: Option<TypeRef>) -> Operation {
        let mut op = operation(id, response);
        op.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        op
    }

    /// Tokens and Users, one operation tagged with both, one untagged, and
    /// an error model with a detail.
    fn api() -> Api {
        Api {
            title: "t".into(),
            version: "1".into(),
            description: None,
            default_base_url: "https://x".into(),
            servers: Vec::new(),
            schemes: Vec::new(),
            groups: vec![
                group("Other", vec![tagged("ping", &[], Some(named("Pong")))]),
                group(
                    "Tokens",
                    vec![tagged("getToken", &["Tokens"], Some(named("Token")))],
                ),
                group(
                    "Users",
                    vec![
                        tagged("getUser", &["Users"], Some(named("User"))),
                        tagged("getUserToken", &["Users", "Tokens"], Some(named("Owner"))),
                    ],
                ),
            ],
            models: vec![
                model("Detail", ModelKind::Struct(Vec::new())),
                model("Owner", ModelKind::Alias(named("User"))),
                model("Pong", ModelKind::Struct(Vec::new())),
                model(
                    "Problem",
                    ModelKind::Struct(vec![field("detail", named("Detail"))]),
                ),
                model("Scope", ModelKind::Enum(Vec::new())),
                model(
                    "Token",
                    ModelKind::Struct(vec![field("scope", named("Scope"))]),
                ),
                model("User", ModelKind::Struct(Vec::new())),
            ],
            error_model: Some("Problem".into()),
        }
    }

    fn select(tags: &[&str]) -> Selection {
        Selection {
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            origin: Origin::CommandLine,
        }
    }

    fn ids(api: &Api) -> Vec<(&str, &str)> {
        api.groups
            .iter()
            .flat_map(|g| {
                g.operations
                    .iter()
                    .map(move |o| (g.tag.as_str(), o.id.as_str()))
            })
            .collect()
    }

    fn models(api: &Api) -> Vec<&str> {
        api.models.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn keeps_the_tagged_operations_in_their_own_groups_and_what_they_reach() {
        let mut a = api();
        select(&["Tokens"]).apply(&mut a).unwrap();
        // getUserToken is tagged Users first: it stays in the Users group.
        assert_eq!(ids(&a), [("Tokens", "getToken"), ("Users", "getUserToken")]);
        assert_eq!(a.groups[1].type_name, "UsersApi");
        // Through a field and an alias, and the error model with its detail.
        assert_eq!(
            models(&a),
            ["Detail", "Owner", "Problem", "Scope", "Token", "User"]
        );
        assert_eq!(a.error_model.as_deref(), Some("Problem"));
    }

    #[test]
    fn what_is_left_out_is_located() {
        let mut a = api();
        a.groups[2].operations[0].path = "/users/{id}".into();
        a.groups[2].operations[1].path = "/users/{id}".into();
        a.groups[2].operations[1].method = Method::Put;
        a.groups[0].operations[0].path = "/ping".into();
        let left_out = select(&["Tokens"]).apply(&mut a).unwrap();
        for pointer in [
            "/paths/~1users~1{id}/get/responses/200",
            "/paths/~1ping",
            "/paths/~1ping/parameters/0",
            "/components/schemas/Pong/properties/a",
        ] {
            assert!(left_out.covers(pointer), "{pointer}");
        }
        for pointer in [
            "/paths/~1users~1{id}/put/responses/200",
            // Shared by a kept operation.
            "/paths/~1users~1{id}/parameters/0",
            "/components/schemas/Token",
            "/components/schemas/Pongo",
            "/servers",
            "",
        ] {
            assert!(!left_out.covers(pointer), "{pointer}");
        }
    }

    #[test]
    fn untagged_operations_are_the_other_group() {
        let mut a = api();
        select(&["Other", "Users"]).apply(&mut a).unwrap();
        assert_eq!(
            ids(&a),
            [
                ("Other", "ping"),
                ("Users", "getUser"),
                ("Users", "getUserToken")
            ]
        );
        assert_eq!(models(&a), ["Detail", "Owner", "Pong", "Problem", "User"]);
    }

    #[test]
    fn selecting_every_tag_changes_nothing() {
        let mut a = api();
        select(&["Users", "Tokens", "Other"]).apply(&mut a).unwrap();
        assert_eq!(a, api());
    }

    #[test]
    fn a_tag_that_selects_nothing_is_an_error_with_a_suggestion() {
        let mut a = api();
        let d = select(&["tokens", "Users", "Nope"])
            .apply(&mut a)
            .unwrap_err();
        assert_eq!(a, api(), "nothing is removed");
        assert_eq!(d.0.len(), 2, "{d}");
        assert_eq!(d.0[0].message, "no operation has the tag `tokens`");
        assert_eq!(d.0[0].file, "--tag");
        let hint = d.0[0].hint.as_deref().unwrap();
        assert!(hint.starts_with("did you mean `Tokens`?"), "{hint}");
        assert!(hint.ends_with("`Other`, `Tokens`, `Users`"), "{hint}");
        let hint = d.0[1].hint.as_deref().unwrap();
        assert!(!hint.contains("did you mean"), "{hint}");
    }

    #[test]
    fn a_tag_from_the_settings_is_located_there() {
        let mut loaded = Loaded {
            file: "codegen.toml".into(),
            ..Loaded::default()
        };
        assert_eq!(Selection::from_run(&[], &loaded), None);
        loaded.settings.select.tags = Some(vec!["Tokens".into(), "Toknes".into()]);
        let from_settings = Selection::from_run(&[], &loaded).unwrap();
        let d = from_settings.unmatched(&[&api()]);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].file.as_str(), d[0].pointer.as_str()),
            ("codegen.toml", "/select/tags/1")
        );
        assert!(d[0]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `Tokens`?"));
        // The command line replaces the settings' list.
        let cli = Selection::from_run(&["Users".into()], &loaded).unwrap();
        assert_eq!(
            (cli.tags, cli.origin),
            (vec!["Users".to_owned()], Origin::CommandLine)
        );
    }

    #[test]
    fn a_tag_is_known_when_either_spec_has_it() {
        let mut old = api();
        old.groups.remove(1);
        old.groups[1].operations.pop();
        let s = select(&["Tokens"]);
        assert_eq!(s.unmatched(&[&old]).len(), 1);
        assert!(s.unmatched(&[&old, &api()]).is_empty());
    }

    #[test]
    fn distances() {
        assert_eq!(distance("tokens", "tokens"), 0);
        assert_eq!(distance("toknes", "tokens"), 2);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("oauth", "outh"), 1);
    }
}
