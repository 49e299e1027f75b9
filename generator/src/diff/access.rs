//! What a spec change means for how the client reaches the API: its
//! security schemes, each operation's requirements, and its servers.
//!
//! Verdicts:
//! - a scheme removed, or its kind or where its key goes changed, is
//!   breaking (the builder method goes or sends differently); a scheme
//!   added is additive;
//! - an operation needing credentials it could do without, or a scheme it
//!   did not accept before while losing none it did, is breaking (clients
//!   configured for the old requirement fail); accepting more, or needing
//!   less, is additive;
//! - servers added, removed or renamed in the `Server` choice: added is
//!   additive, removed or renamed breaking; an operation moving to a server
//!   of its own, or back, is additive (its Rust signature keeps working).

use super::{list, Area, Differ, Kind};
use crate::ir::*;
use crate::types::scheme_summary;
use std::collections::{BTreeMap, BTreeSet};

/// Whether two schemes take the same credential, sent the same way (a
/// bearer token's format is only documentation).
fn same_kind(a: &SchemeKind, b: &SchemeKind) -> bool {
    match (a, b) {
        (SchemeKind::Bearer { .. }, SchemeKind::Bearer { .. }) => true,
        (
            SchemeKind::ApiKey { location, name },
            SchemeKind::ApiKey {
                location: l,
                name: n,
            },
        ) => location == l && name == n,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// The alternatives of an operation as sets of scheme keys; `None` stands
/// for "no credentials needed".
fn requirement(api: &Api, security: &Security) -> BTreeSet<Option<BTreeSet<String>>> {
    let Security { alternatives } = security;
    alternatives
        .iter()
        .map(|all| {
            (!all.is_empty()).then(|| all.iter().map(|&i| api.schemes[i].key.clone()).collect())
        })
        .chain(alternatives.is_empty().then_some(None))
        .collect()
}

fn shown(alternative: &Option<BTreeSet<String>>) -> String {
    match alternative {
        None => "no credentials".to_owned(),
        Some(keys) => keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" and "),
    }
}

impl Differ<'_> {
    /// The declared schemes and the builder methods they give.
    pub(super) fn schemes(&mut self) {
        let old: BTreeMap<&str, &SecurityScheme> = self
            .old
            .schemes
            .iter()
            .map(|s| (s.key.as_str(), s))
            .collect();
        let new: BTreeMap<&str, &SecurityScheme> = self
            .new
            .schemes
            .iter()
            .map(|s| (s.key.as_str(), s))
            .collect();
        for (key, s) in &old {
            let location = format!("security scheme `{key}`");
            let SecurityScheme {
                key: _,     // the key schemes are matched by
                variant: _, // of the crate-private `Scheme` enum
                setter,
                description: _, // not reported: the builder method's docs
                kind,
            } = *s;
            match new.get(key) {
                None => self.push(
                    Kind::Breaking,
                    Area::Security,
                    location,
                    format!(
                        "removed ({}); `ClientBuilder::{setter}` is gone",
                        scheme_summary(kind)
                    ),
                ),
                Some(n) if !same_kind(kind, &n.kind) => self.push(
                    Kind::Breaking,
                    Area::Security,
                    location,
                    format!(
                        "now {} (was {})",
                        scheme_summary(&n.kind),
                        scheme_summary(kind)
                    ),
                ),
                Some(n) if *setter != n.setter => self.push(
                    Kind::Breaking,
                    Area::Security,
                    location,
                    format!("builder method renamed: `{setter}` → `{}`", n.setter),
                ),
                Some(n) => self.oauth_flows(&location, kind, &n.kind),
            }
        }
        for (key, n) in &new {
            if !old.contains_key(key) {
                self.push(
                    Kind::Additive,
                    Area::Security,
                    format!("security scheme `{key}`"),
                    format!(
                        "added ({}): `ClientBuilder::{}`",
                        scheme_summary(&n.kind),
                        n.setter
                    ),
                );
            }
        }
    }

    fn oauth_flows(&mut self, location: &str, old: &SchemeKind, new: &SchemeKind) {
        let (SchemeKind::OAuth2(a), SchemeKind::OAuth2(b)) = (old, new) else {
            return;
        };
        // The flows the client runs, and (below) where it fetches tokens:
        // the first of their token URLs.
        let flows = |f: &OAuthFlows| -> Vec<&'static str> {
            let OAuthFlows {
                client_credentials,
                authorization_code,
                password,
                implicit: _, // not run by the client
            } = f;
            [
                ("client credentials", client_credentials.is_some()),
                ("authorization code", authorization_code.is_some()),
                ("password", password.is_some()),
            ]
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(name, _)| name)
            .collect()
        };
        let (was, now) = (flows(a), flows(b));
        for flow in was.iter().filter(|f| !now.contains(f)) {
            self.push(
                Kind::Breaking,
                Area::Security,
                location.to_owned(),
                format!(
                    "the {flow} flow is no longer declared; its `Credentials` constructor is gone"
                ),
            );
        }
        for flow in now.iter().filter(|f| !was.contains(f)) {
            self.push(
                Kind::Additive,
                Area::Security,
                location.to_owned(),
                format!("the {flow} flow is now declared"),
            );
        }
        if a.token_url() != b.token_url() {
            self.push(
                Kind::Additive,
                Area::Security,
                location.to_owned(),
                format!(
                    "token URL changed: {} → {}",
                    a.token_url().unwrap_or("none"),
                    b.token_url().unwrap_or("none")
                ),
            );
        }
    }

    /// An operation's requirement.
    pub(super) fn operation_security(&mut self, id: &str, old: &Security, new: &Security) {
        let was = requirement(self.old, old);
        let now = requirement(self.new, new);
        if was == now {
            return;
        }
        let lost: Vec<String> = was.difference(&now).map(shown).collect();
        let gained: Vec<String> = now.difference(&was).map(shown).collect();
        // Every old alternative still accepted: clients keep working.
        let kind = if lost.is_empty() {
            Kind::Additive
        } else {
            Kind::Breaking
        };
        let mut parts = Vec::new();
        if !gained.is_empty() {
            parts.push(format!("now accepts {}", list(&gained)));
        }
        if !lost.is_empty() {
            parts.push(format!("no longer accepts {}", list(&lost)));
        }
        self.push(
            kind,
            Area::Security,
            id.to_owned(),
            format!("credentials: {}", parts.join("; ")),
        );
    }

    /// The servers offered as `Server` variants.
    pub(super) fn servers(&mut self) {
        let old: BTreeMap<&str, &Server> = self
            .old
            .servers
            .iter()
            .map(|s| (s.url.as_str(), s))
            .collect();
        let new: BTreeMap<&str, &Server> = self
            .new
            .servers
            .iter()
            .map(|s| (s.url.as_str(), s))
            .collect();
        for (url, s) in &old {
            match new.get(url) {
                None => self.push(
                    Kind::Breaking,
                    Area::Operations,
                    "servers",
                    format!("server `{url}` removed: `Server::{}` is gone", s.variant),
                ),
                Some(n) if n.variant != s.variant => self.push(
                    Kind::Breaking,
                    Area::Operations,
                    "servers",
                    format!(
                        "server `{url}` renamed: `Server::{}` → `Server::{}`",
                        s.variant, n.variant
                    ),
                ),
                Some(n) => {
                    let Server {
                        url: _,         // the key servers are matched by
                        variant: _,     // compared above
                        description: _, // not reported: the docs of the `Server` variant
                        variables,
                    } = *s;
                    let names = |variables: &[ServerVariable]| {
                        (variables.iter())
                            .map(|v| {
                                let ServerVariable {
                                    name,
                                    ident: _, // follows from the name
                                    // Compared by `server_variable` when the
                                    // names match.
                                    default: _,
                                    choices: _,
                                    type_name: _,
                                    description: _, // docs only
                                } = v;
                                name.clone()
                            })
                            .collect::<Vec<_>>()
                    };
                    let (was, now) = (names(variables), names(&n.variables));
                    if was != now {
                        self.push(
                            Kind::Breaking,
                            Area::Operations,
                            "servers",
                            format!(
                                "server `{url}` has other variables: {} → {}",
                                list(&was),
                                list(&now)
                            ),
                        );
                    } else {
                        for (o, n) in variables.iter().zip(&n.variables) {
                            self.server_variable(url, o, n);
                        }
                    }
                }
            }
        }
        for (url, n) in &new {
            if !old.contains_key(url) {
                self.push(
                    Kind::Additive,
                    Area::Operations,
                    "servers",
                    format!("server `{url}` added: `Server::{}`", n.variant),
                );
            }
        }
    }

    /// A variable of a server on both sides: its type, the values it may
    /// take, and its default.
    fn server_variable(&mut self, url: &str, o: &ServerVariable, n: &ServerVariable) {
        let name = &o.name;
        let shown = |t: &Option<String>| t.clone().unwrap_or_else(|| "String".to_owned());
        if o.type_name != n.type_name {
            self.push(
                Kind::Breaking,
                Area::Operations,
                "servers",
                format!(
                    "server `{url}`: variable `{name}` is now a `{}` (was `{}`)",
                    shown(&n.type_name),
                    shown(&o.type_name)
                ),
            );
        } else if let Some(type_name) = &o.type_name {
            let values = |v: &ServerVariable| -> BTreeMap<String, String> {
                (v.choices.iter())
                    .map(|c| (c.value.clone(), c.ident.clone()))
                    .collect()
            };
            let (was, now) = (values(o), values(n));
            for (value, ident) in &was {
                if !now.contains_key(value) {
                    self.push(
                        Kind::Breaking,
                        Area::Operations,
                        "servers",
                        format!("server `{url}`: variable `{name}` can no longer be `{value}`: `{type_name}::{ident}` is gone"),
                    );
                }
            }
            for (value, ident) in &now {
                if !was.contains_key(value) {
                    self.push(
                        Kind::Additive,
                        Area::Operations,
                        "servers",
                        format!("server `{url}`: variable `{name}` can be `{value}` too: `{type_name}::{ident}`"),
                    );
                }
            }
        }
        if o.default != n.default {
            self.push(
                Kind::Additive,
                Area::Operations,
                "servers",
                format!(
                    "server `{url}`: variable `{name}` defaults to `{}` (was `{}`)",
                    n.default, o.default
                ),
            );
        }
    }

    /// An operation's own server.
    pub(super) fn operation_server(
        &mut self,
        id: &str,
        old: &Option<String>,
        new: &Option<String>,
    ) {
        if old == new {
            return;
        }
        let show = |s: &Option<String>| {
            s.as_deref()
                .map_or("the client's base URL".to_owned(), |u| format!("`{u}`"))
        };
        self.push(
            Kind::Additive,
            Area::Operations,
            id.to_owned(),
            format!("now sent to {} (was {})", show(new), show(old)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::{diff, Kind};
    use crate::ir::*;

    /// An API whose one server has a variable `region` that may take `choices`.
    fn api(default: &str, type_name: Option<&str>, choices: &[&str]) -> Api {
        Api {
            title: "t".into(),
            version: "1".into(),
            description: None,
            default_base_url: "https://x".into(),
            servers: vec![Server {
                url: "https://{region}.example.com".into(),
                variant: "Production".into(),
                description: None,
                variables: vec![ServerVariable {
                    name: "region".into(),
                    ident: "region".into(),
                    default: default.into(),
                    choices: (choices.iter())
                        .map(|c| Variant {
                            value: (*c).into(),
                            ident: crate::naming::type_name(c),
                        })
                        .collect(),
                    type_name: type_name.map(str::to_owned),
                    description: None,
                }],
            }],
            schemes: Vec::new(),
            groups: Vec::new(),
            models: Vec::new(),
            error_model: None,
        }
    }

    fn changes(old: &Api, new: &Api) -> Vec<(Kind, String)> {
        (diff(old, new).changes.into_iter())
            .map(|c| (c.kind, c.message))
            .collect()
    }

    #[test]
    fn a_server_variable_losing_a_value_breaks_and_gaining_one_adds() {
        let old = api("eu", Some("Region"), &["eu", "us"]);
        let new = api("us", Some("Region"), &["us", "ap"]);
        assert_eq!(
            changes(&old, &new),
            [
                (
                    Kind::Breaking,
                    "server `https://{region}.example.com`: variable `region` can no longer be `eu`: `Region::Eu` is gone".to_owned()
                ),
                (
                    Kind::Additive,
                    "server `https://{region}.example.com`: variable `region` can be `ap` too: `Region::Ap`".to_owned()
                ),
                (
                    Kind::Additive,
                    "server `https://{region}.example.com`: variable `region` defaults to `us` (was `eu`)".to_owned()
                ),
            ]
        );
        let free = api("eu", None, &[]);
        assert_eq!(
            changes(&free, &old),
            [(
                Kind::Breaking,
                "server `https://{region}.example.com`: variable `region` is now a `Region` (was `String`)".to_owned()
            )]
        );
        assert!(changes(&old, &old).is_empty());
    }
}
