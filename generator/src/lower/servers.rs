//! Servers (`servers` of the document, of a path, of an operation) lowered
//! into the client's default base URL, the [`Server`] choices the crate
//! offers, and each operation's own server.
//!
//! Decisions:
//! - A variable is substituted by its default wherever one URL is needed
//!   (the default base URL, an operation's own server).
//! - The crate offers a choice of servers only when there is one to make:
//!   several servers, or a server with variables.
//! - A variable's `enum` becomes a type of its own; a default outside it is
//!   reported and the first value used instead.
//! - An operation's (or its path's) first server is its own only when it
//!   differs from the document's first; a relative one is resolved against
//!   the document's.

use super::{non_empty, Lowerer};
use crate::diag::Pointer;
use crate::ir::*;
use crate::naming::{self, Scope};
use openapiv3 as oa;

impl Lowerer<'_> {
    /// The default base URL and the servers to choose from.
    pub(super) fn servers(&mut self) -> (String, Vec<Server>) {
        let oa = &self.doc.openapi;
        let at = Pointer::root().push("servers");
        let Some(first) = oa.servers.first() else {
            self.warn(
                &at,
                "no server URL: the client has no default base URL",
                "add `servers: [{url: https://api.example.com}]`, or users must set a base URL",
            );
            return ("http://localhost".to_owned(), Vec::new());
        };
        let default = self.resolved(first, &at.push("0"));
        let choice = oa.servers.len() > 1
            || oa
                .servers
                .iter()
                .any(|s| s.variables.as_ref().is_some_and(|v| !v.is_empty()));
        if !choice {
            return (default, Vec::new());
        }
        let mut variants = Scope::new();
        let mut types = Scope::with_reserved(&["Server"]);
        let servers = (oa.servers.iter().enumerate())
            .map(|(i, server)| {
                let at = at.push(i.to_string());
                let variant = variants.claim(naming::server_variant(
                    server.description.as_deref(),
                    &server.url,
                    i,
                ));
                let mut fields = Scope::new();
                let variables = (server.variables.iter().flatten())
                    .map(|(name, var)| {
                        let choices = super::variants(var.enumeration.iter());
                        if !choices.is_empty() && !var.enumeration.contains(&var.default) {
                            self.warn(
                                &at.push("variables").push(name).push("default"),
                                format!(
                                    "the default `{}` is not one of the variable's values",
                                    var.default
                                ),
                                "make the default one of `enum`",
                            );
                        }
                        ServerVariable {
                            name: name.clone(),
                            ident: fields.claim(naming::snake(name)),
                            default: var.default.clone(),
                            type_name: (!choices.is_empty()).then(|| {
                                types.claim(format!("{variant}{}", naming::type_name(name)))
                            }),
                            choices,
                            description: non_empty(&var.description),
                        }
                    })
                    .collect();
                Server {
                    url: server.url.clone(),
                    variant,
                    description: non_empty(&server.description),
                    variables,
                }
            })
            .collect();
        (default, servers)
    }

    /// The URL of `server`, variables at their defaults, without a trailing `/`.
    fn resolved(&mut self, server: &oa::Server, at: &Pointer) -> String {
        let mut url = server.url.clone();
        for (name, var) in server.variables.iter().flatten() {
            let value = match var.enumeration.first() {
                Some(first) if !var.enumeration.contains(&var.default) => first,
                _ => &var.default,
            };
            url = url.replace(&format!("{{{name}}}"), value);
        }
        if url.contains('{') {
            self.warn(
                &at.push("url"),
                format!(
                    "server URL `{}` has a variable with no definition",
                    server.url
                ),
                "define each `{name}` of the URL under `variables`",
            );
        }
        url.trim_end_matches('/').to_owned()
    }

    /// The operation's own server, when it is not the document's (its
    /// first, lowered before the operations).
    pub(super) fn operation_server(
        &mut self,
        item: &oa::PathItem,
        op: &oa::Operation,
        path_ptr: &Pointer,
        op_ptr: &Pointer,
    ) -> Option<String> {
        let (server, at) = match (op.servers.first(), item.servers.first()) {
            (Some(s), _) => (s, op_ptr.push("servers").push("0")),
            (None, Some(s)) => (s, path_ptr.push("servers").push("0")),
            (None, None) => return None,
        };
        let url = self.resolved(server, &at);
        let document = &self.default_base_url;
        let url = if url.starts_with("http://") || url.starts_with("https://") {
            url
        } else {
            format!("{document}/{}", url.trim_start_matches('/'))
                .trim_end_matches('/')
                .to_owned()
        };
        (url != *document).then_some(url)
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Diagnostic;
    use crate::ir::*;
    use crate::load::{load, Source};

    fn lowered(servers: &str, paths: &str) -> (Api, Vec<Diagnostic>) {
        let text =
            format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{servers}\npaths:\n{paths}");
        let doc = load(&Source {
            name: "t.yaml".into(),
            text,
        })
        .expect("the spec parses");
        super::super::lower(&doc, &Default::default()).expect("the spec lowers")
    }

    fn op(path: &str, id: &str, servers: &str) -> String {
        format!("  /{path}:\n{servers}    get:\n      operationId: {id}\n      responses: {{'204': {{description: done}}}}\n")
    }

    fn server_of<'a>(api: &'a Api, id: &str) -> Option<&'a str> {
        api.groups
            .iter()
            .flat_map(|g| &g.operations)
            .find(|o| o.id == id)?
            .server
            .as_deref()
    }

    #[test]
    fn one_plain_server_is_the_default_and_offers_no_choice() {
        let (api, warnings) = lowered(
            "servers: [{url: 'https://x.example/v1/'}]",
            &op("a", "a", ""),
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(api.default_base_url, "https://x.example/v1");
        assert!(api.servers.is_empty());
    }

    #[test]
    fn variables_take_their_defaults_and_enums_get_types() {
        let servers = "servers:\n  - url: 'https://{region}.x.example/{v}'\n    description: Production\n    variables:\n      region: {enum: [us, eu], default: eu}\n      v: {default: v2}\n  - url: 'https://sandbox.x.example'\n";
        let (api, _) = lowered(servers, &op("a", "a", ""));
        assert_eq!(api.default_base_url, "https://eu.x.example/v2");
        let variants: Vec<&str> = api.servers.iter().map(|s| s.variant.as_str()).collect();
        assert_eq!(variants, ["Production", "SandboxXExample"]);
        let region = &api.servers[0].variables[0];
        assert_eq!(region.type_name.as_deref(), Some("ProductionRegion"));
        assert_eq!(
            region
                .choices
                .iter()
                .map(|c| c.ident.as_str())
                .collect::<Vec<_>>(),
            ["Us", "Eu"]
        );
        assert_eq!(api.servers[0].variables[1].type_name, None);
    }

    #[test]
    fn a_default_outside_the_enum_is_reported_and_the_first_value_used() {
        let servers = "servers:\n  - url: 'https://{region}.x.example'\n    variables:\n      region: {enum: [us, eu], default: mars}\n";
        let (api, warnings) = lowered(servers, &op("a", "a", ""));
        assert_eq!(api.default_base_url, "https://us.x.example");
        assert_eq!(warnings[0].pointer, "/servers/0/variables/region/default");
    }

    #[test]
    fn operations_keep_a_server_only_when_it_is_not_the_documents() {
        let paths = [
            op(
                "same",
                "same",
                "    servers: [{url: 'https://x.example'}]\n",
            ),
            op(
                "own",
                "own",
                "    servers: [{url: 'https://uploads.x.example/'}]\n",
            ),
            op("relative", "relative", "    servers: [{url: '/v2'}]\n"),
            op("plain", "plain", ""),
        ]
        .concat();
        let (api, _) = lowered("servers: [{url: 'https://x.example'}]", &paths);
        assert_eq!(server_of(&api, "same"), None);
        assert_eq!(server_of(&api, "own"), Some("https://uploads.x.example"));
        assert_eq!(server_of(&api, "relative"), Some("https://x.example/v2"));
        assert_eq!(server_of(&api, "plain"), None);
    }
}
