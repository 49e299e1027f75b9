//! Security schemes (`components.securitySchemes`) and the requirements
//! operations state (`security`), lowered into [`SecurityScheme`]s and a
//! [`Security`] per operation.
//!
//! Decisions:
//! - `http` schemes other than `bearer` and `basic` cannot be sent by the
//!   client: they are left out with a located warning, and so are the
//!   requirements naming them.
//! - `openIdConnect` is read as a bearer token the application obtains
//!   itself (the client does no discovery); a warning says so.
//! - An `oauth2` scheme with only the implicit flow is read as a bearer
//!   token: that flow delivers tokens to a browser, not to the client.
//! - Only the first `oauth2` scheme is offered: the client holds one token
//!   cache. Later ones are read as bearer tokens, with a warning.
//! - An operation whose spec states no requirement at all (neither its own
//!   `security` nor the document's) accepts any declared scheme, or none:
//!   the client sends whatever credentials it was given.

use super::{non_empty, Lowerer};
use crate::diag::Pointer;
use crate::ir::*;
use openapiv3 as oa;

impl Lowerer<'_> {
    /// Lowers every declared scheme, in the spec's order.
    pub(super) fn security_schemes(&mut self, components: &oa::Components) -> Vec<SecurityScheme> {
        let base = Pointer::root().push("components").push("securitySchemes");
        let mut schemes: Vec<SecurityScheme> = Vec::new();
        for (key, scheme) in &components.security_schemes {
            let at = base.push(key);
            let scheme = match scheme {
                oa::ReferenceOr::Item(scheme) => scheme,
                oa::ReferenceOr::Reference { reference } => {
                    let target = reference.strip_prefix("#/components/securitySchemes/");
                    match target.and_then(|t| components.security_schemes.get(t)) {
                        Some(oa::ReferenceOr::Item(scheme)) => scheme,
                        _ => {
                            self.warn(
                                &at,
                                format!("security scheme reference `{reference}` does not lead to a scheme"),
                                "point it at another entry of `components.securitySchemes`",
                            );
                            continue;
                        }
                    }
                }
            };
            let has_oauth = schemes
                .iter()
                .any(|s| matches!(s.kind, SchemeKind::OAuth2(_)));
            let Some((kind, description)) = self.scheme_kind(scheme, has_oauth, &at) else {
                continue;
            };
            schemes.push(SecurityScheme {
                key: key.clone(),
                variant: String::new(),
                setter: String::new(),
                description,
                kind,
            });
        }
        let names = crate::naming::scheme_names(
            &schemes
                .iter()
                .map(|s| (s.key.as_str(), s.kind.word()))
                .collect::<Vec<_>>(),
        );
        for (scheme, (variant, setter)) in schemes.iter_mut().zip(names) {
            scheme.variant = variant;
            scheme.setter = setter;
        }
        schemes
    }

    fn scheme_kind(
        &mut self,
        scheme: &oa::SecurityScheme,
        has_oauth: bool,
        at: &Pointer,
    ) -> Option<(SchemeKind, Option<String>)> {
        Some(match scheme {
            oa::SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            } => {
                let location = match location {
                    oa::APIKeyLocation::Header => ParamLocation::Header,
                    oa::APIKeyLocation::Query => ParamLocation::Query,
                    oa::APIKeyLocation::Cookie => ParamLocation::Cookie,
                };
                if location == ParamLocation::Header && !crate::naming::is_header_name(name) {
                    self.warn(
                        &at.push("name"),
                        format!("`{name}` cannot be a header name; the scheme is left out"),
                        "header names are letters, digits and `!#$%&'*+-.^_`|~`",
                    );
                    return None;
                }
                let kind = SchemeKind::ApiKey {
                    location,
                    name: name.clone(),
                };
                (kind, non_empty(description))
            }
            oa::SecurityScheme::HTTP {
                scheme: http,
                bearer_format,
                description,
                ..
            } => match http.to_ascii_lowercase().as_str() {
                "bearer" => (
                    SchemeKind::Bearer {
                        format: non_empty(bearer_format),
                    },
                    non_empty(description),
                ),
                "basic" => (SchemeKind::Basic, non_empty(description)),
                other => {
                    self.warn(
                        &at.push("scheme"),
                        format!("HTTP authentication scheme `{other}` is not supported; the scheme is left out"),
                        "the client sends `bearer` and `basic`; add the header with a hook for others",
                    );
                    return None;
                }
            },
            oa::SecurityScheme::OAuth2 {
                flows, description, ..
            } if !has_oauth => {
                let flow =
                    |token: Option<&String>,
                     authorize: Option<&String>,
                     refresh: &Option<String>,
                     scopes: &indexmap::IndexMap<String, String>| OAuthFlow {
                        token_url: token.cloned(),
                        authorization_url: authorize.cloned(),
                        refresh_url: refresh.clone(),
                        scopes: scopes.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                    };
                let flows = OAuthFlows {
                    client_credentials: flows
                        .client_credentials
                        .as_ref()
                        .map(|f| flow(Some(&f.token_url), None, &f.refresh_url, &f.scopes)),
                    authorization_code: flows.authorization_code.as_ref().map(|f| {
                        flow(
                            Some(&f.token_url),
                            Some(&f.authorization_url),
                            &f.refresh_url,
                            &f.scopes,
                        )
                    }),
                    password: (flows.password.as_ref())
                        .map(|f| flow(Some(&f.token_url), None, &f.refresh_url, &f.scopes)),
                    implicit: (flows.implicit.as_ref())
                        .map(|f| flow(None, Some(&f.authorization_url), &f.refresh_url, &f.scopes)),
                };
                let fetches = flows.client_credentials.is_some()
                    || flows.authorization_code.is_some()
                    || flows.password.is_some();
                if fetches {
                    (SchemeKind::OAuth2(Box::new(flows)), non_empty(description))
                } else {
                    // The implicit flow hands the token to a browser: the
                    // client can only be given it.
                    (SchemeKind::Bearer { format: None }, non_empty(description))
                }
            }
            oa::SecurityScheme::OAuth2 { description, .. } => {
                self.warn(
                    at,
                    "only the first OAuth 2.0 scheme fetches tokens; this one takes an access token obtained elsewhere",
                    "declare one `oauth2` scheme with several flows",
                );
                (SchemeKind::Bearer { format: None }, non_empty(description))
            }
            oa::SecurityScheme::OpenIDConnect { description, .. } => {
                self.warn(
                    at,
                    "OpenID Connect discovery is not done; the client takes an ID or access token obtained elsewhere",
                    "obtain the token with an OpenID Connect library and pass it to the builder",
                );
                (SchemeKind::Bearer { format: None }, non_empty(description))
            }
        })
    }

    /// The requirements of one operation: its own `security`, or the
    /// document's; each alternative names schemes by index in the declared
    /// schemes (lowered before the operations).
    pub(super) fn operation_security(&mut self, op: &oa::Operation, op_ptr: &Pointer) -> Security {
        let (stated, at) = match (&op.security, &self.doc.openapi.security) {
            (Some(own), _) => (own, op_ptr.push("security")),
            (None, Some(global)) => (global, Pointer::root().push("security")),
            (None, None) => {
                // Nothing stated: any scheme the client has, or none.
                let mut alternatives: Vec<Vec<usize>> =
                    (0..self.schemes.len()).map(|i| vec![i]).collect();
                alternatives.push(Vec::new());
                return Security { alternatives };
            }
        };
        let mut alternatives = Vec::new();
        'requirements: for (i, requirement) in stated.iter().enumerate() {
            let mut all = Vec::new();
            for key in requirement.keys() {
                match self.schemes.iter().position(|s| &s.key == key) {
                    Some(index) => all.push(index),
                    None => {
                        let declared = self
                            .doc
                            .openapi
                            .components
                            .as_ref()
                            .is_some_and(|c| c.security_schemes.contains_key(key));
                        if !declared {
                            self.warn(
                                &at.push(i.to_string()).push(key),
                                format!("security scheme `{key}` is not declared; this alternative is left out"),
                                "declare it under `components.securitySchemes`",
                            );
                        }
                        continue 'requirements;
                    }
                }
            }
            if !alternatives.contains(&all) {
                alternatives.push(all);
            }
        }
        if alternatives.is_empty() && !stated.is_empty() {
            self.warn(
                &at,
                "no requirement of this operation can be met by the client; it is sent without credentials",
                "declare a scheme the client supports",
            );
        }
        Security { alternatives }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Diagnostic;
    use crate::ir::*;
    use crate::load::{load, Source};

    fn lowered(components: &str, paths: &str, global: &str) -> (Api, Vec<Diagnostic>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\nservers: [{{url: 'https://x'}}]\n{global}\ncomponents:\n  securitySchemes:\n{components}\npaths:\n{paths}"
        );
        let source = Source {
            name: "t.yaml".into(),
            text,
        };
        let doc = load(&source).expect("the spec parses");
        super::super::lower(&doc, &Default::default()).expect("the spec lowers")
    }

    const OP: &str = "      responses: {'204': {description: done}}\n";

    fn op(path: &str, id: &str, security: &str) -> String {
        format!("  /{path}:\n    get:\n      operationId: {id}\n{security}{OP}")
    }

    fn security_of<'a>(api: &'a Api, id: &str) -> &'a Security {
        &api.groups
            .iter()
            .flat_map(|g| &g.operations)
            .find(|o| o.id == id)
            .unwrap()
            .security
    }

    const SCHEMES: &str = "    b: {type: http, scheme: bearer}\n    u: {type: http, scheme: basic}\n    k: {type: apiKey, in: header, name: X-Key}\n    q: {type: apiKey, in: query, name: key}\n";

    #[test]
    fn requirements_become_alternatives_of_schemes() {
        let paths = [
            op("a", "inherits", ""),
            op("b", "none", "      security: []\n"),
            op("c", "either", "      security: [{k: []}, {u: []}]\n"),
            op("d", "both", "      security: [{k: [], q: []}]\n"),
            op("e", "optional", "      security: [{b: []}, {}]\n"),
        ]
        .concat();
        let (api, warnings) = lowered(SCHEMES, &paths, "security: [{b: []}]");
        assert!(warnings.is_empty(), "{warnings:?}");
        let keys: Vec<&str> = api.schemes.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["b", "u", "k", "q"]);
        assert_eq!(security_of(&api, "inherits").alternatives, [vec![0]]);
        assert!(security_of(&api, "none").alternatives.is_empty());
        assert_eq!(security_of(&api, "either").alternatives, [vec![2], vec![1]]);
        assert_eq!(security_of(&api, "both").alternatives, [vec![2, 3]]);
        assert_eq!(
            security_of(&api, "optional").alternatives,
            [vec![0], vec![]]
        );
        assert!(security_of(&api, "optional").optional());
        assert!(!security_of(&api, "both").optional());
    }

    #[test]
    fn without_any_requirement_any_scheme_or_none_will_do() {
        let (api, _) = lowered(SCHEMES, &op("a", "free", ""), "");
        assert_eq!(
            security_of(&api, "free").alternatives,
            [vec![0], vec![1], vec![2], vec![3], vec![]]
        );
    }

    #[test]
    fn setters_are_named_for_the_kind_unless_it_is_declared_twice() {
        let (api, _) = lowered(SCHEMES, &op("a", "x", ""), "");
        let setters: Vec<&str> = api.schemes.iter().map(|s| s.setter.as_str()).collect();
        assert_eq!(setters, ["bearer_token", "basic_auth", "k", "q"]);
        let (api, _) = lowered(
            "    token: {type: apiKey, in: header, name: X-Key}\n",
            &op("a", "x", ""),
            "",
        );
        assert_eq!(api.schemes[0].setter, "api_key");
    }

    #[test]
    fn what_the_client_cannot_send_is_left_out_with_a_located_warning() {
        let schemes = "    d: {type: http, scheme: digest}\n    o: {type: openIdConnect, openIdConnectUrl: 'https://x/.well-known'}\n    bad: {type: apiKey, in: header, name: 'X Key'}\n";
        let (api, warnings) = lowered(
            schemes,
            &op(
                "a",
                "x",
                "      security: [{d: []}, {missing: []}, {o: []}]\n",
            ),
            "",
        );
        let kinds: Vec<&str> = api.schemes.iter().map(|s| s.kind.word()).collect();
        assert_eq!(kinds, ["bearer"], "OpenID Connect takes a token");
        assert_eq!(security_of(&api, "x").alternatives, [vec![0]]);
        let at: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            at,
            [
                "/components/securitySchemes/d/scheme",
                "/components/securitySchemes/o",
                "/components/securitySchemes/bad/name",
                "/paths/~1a/get/security/1/missing",
            ]
        );
    }

    #[test]
    fn oauth_flows_keep_their_urls_and_an_implicit_only_scheme_takes_a_token() {
        let schemes = "    o:\n      type: oauth2\n      flows:\n        clientCredentials: {tokenUrl: 'https://login.x/token', scopes: {a: A}}\n        password: {tokenUrl: 'https://login.x/token', refreshUrl: 'https://login.x/refresh', scopes: {}}\n    i:\n      type: oauth2\n      flows:\n        implicit: {authorizationUrl: 'https://login.x/authorize', scopes: {}}\n";
        let (api, _) = lowered(schemes, &op("a", "x", ""), "");
        let SchemeKind::OAuth2(flows) = &api.schemes[0].kind else {
            panic!("{:?}", api.schemes[0].kind)
        };
        assert_eq!(flows.token_url(), Some("https://login.x/token"));
        assert_eq!(
            flows.password.as_ref().unwrap().refresh_url.as_deref(),
            Some("https://login.x/refresh")
        );
        assert_eq!(
            flows.client_credentials.as_ref().unwrap().scopes,
            [("a".to_owned(), "A".to_owned())]
        );
        assert!(matches!(api.schemes[1].kind, SchemeKind::Bearer { .. }));
    }
}
