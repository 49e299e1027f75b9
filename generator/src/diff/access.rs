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
    security
        .alternatives
        .iter()
        .map(|all| {
            (!all.is_empty()).then(|| all.iter().map(|&i| api.schemes[i].key.clone()).collect())
        })
        .chain(security.alternatives.is_empty().then_some(None))
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
            match new.get(key) {
                None => self.push(
                    Kind::Breaking,
                    Area::Security,
                    location,
                    format!(
                        "removed ({}); `ClientBuilder::{}` is gone",
                        scheme_summary(&s.kind),
                        s.setter
                    ),
                ),
                Some(n) if !same_kind(&s.kind, &n.kind) => self.push(
                    Kind::Breaking,
                    Area::Security,
                    location,
                    format!(
                        "now {} (was {})",
                        scheme_summary(&n.kind),
                        scheme_summary(&s.kind)
                    ),
                ),
                Some(n) if s.setter != n.setter => self.push(
                    Kind::Breaking,
                    Area::Security,
                    location,
                    format!("builder method renamed: `{}` → `{}`", s.setter, n.setter),
                ),
                Some(n) => self.oauth_flows(&location, s, n),
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

    fn oauth_flows(&mut self, location: &str, s: &SecurityScheme, n: &SecurityScheme) {
        let (SchemeKind::OAuth2(a), SchemeKind::OAuth2(b)) = (&s.kind, &n.kind) else {
            return;
        };
        let flows = |f: &OAuthFlows| -> Vec<&'static str> {
            [
                ("client credentials", f.client_credentials.is_some()),
                ("authorization code", f.authorization_code.is_some()),
                ("password", f.password.is_some()),
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
    pub(super) fn operation_security(&mut self, id: &str, o: &Operation, n: &Operation) {
        let was = requirement(self.old, &o.security);
        let now = requirement(self.new, &n.security);
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
                    let names = |s: &Server| {
                        s.variables
                            .iter()
                            .map(|v| v.name.clone())
                            .collect::<Vec<_>>()
                    };
                    if names(s) != names(n) {
                        self.push(
                            Kind::Breaking,
                            Area::Operations,
                            "servers",
                            format!(
                                "server `{url}` has other variables: {} → {}",
                                list(&names(s)),
                                list(&names(n))
                            ),
                        );
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

    /// An operation's own server.
    pub(super) fn operation_server(&mut self, id: &str, o: &Operation, n: &Operation) {
        if o.server == n.server {
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
            format!("now sent to {} (was {})", show(&n.server), show(&o.server)),
        );
    }
}
