//! Tags and operations: methods, request builders, parameters, bodies,
//! responses and documented errors.

use super::{
    common_orders, list_written, method_name, operation_index, output_type, param_location, rust,
    Area, Differ, Kind,
};
use crate::ir::{
    Body, ErrorResponse, Group, Operation, Pagination, Param, ResponseEnum, ResponseHeader,
    ResponseHeaders, ResponseVariant, TypeRef,
};
use std::collections::BTreeMap;

impl Differ<'_> {
    pub(super) fn groups(&mut self) {
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
                    let Group {
                        tag: _, // the key groups are matched by
                        description,
                        type_name,
                        mock_name,
                        module,
                        operations: _, // compared by `operations`, by id whatever their group
                    } = *g;
                    if *mock_name != n.mock_name {
                        self.push(
                            Kind::Breaking,
                            Area::Operations,
                            loc.clone(),
                            format!(
                                "tag `{tag}`'s mock rules renamed (`test-util`): `{mock_name}` → `{}`",
                                n.mock_name
                            ),
                        );
                    }
                    if *type_name != n.type_name || *module != n.module {
                        self.push(
                            Kind::Breaking,
                            Area::Operations,
                            loc.clone(),
                            format!(
                                "tag `{tag}` renamed in Rust: `Client::{module}()` / `{type_name}` → `Client::{}()` / `{}`",
                                n.module, n.type_name
                            ),
                        );
                    }
                    self.text(
                        Area::Docs,
                        &loc,
                        "tag description",
                        description,
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

    pub(super) fn operations(&mut self) {
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
        let Operation {
            id: _, // the key operations are matched by
            fn_name,
            builder_name,
            // The first is the group's, compared below; the others only
            // select the operation (`--tag`), on both sides alike.
            tags: _,
            method,
            path,
            path_parts: _, // made of `path` and `params`, both compared
            summary,
            description,
            deprecated,
            preview,
            permissions,
            scopes,
            security,
            server,
            params,
            body,
            // Compared by `response`: the output type, and how it is read.
            response: _,
            response_kind: _,
            responses: _,
            // Follows the success bodies' media types: how they are read is
            // compared (`response_kind`); the `Accept` header alone is not.
            accept: _,
            errors,
            response_headers,
            pagination,
        } = o;
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
        } else if *fn_name != n.fn_name {
            self.push(
                Kind::Breaking,
                Area::Operations,
                id,
                format!("method renamed: `{old_fn}` → `{new_fn}`"),
            );
        }
        if *builder_name != n.builder_name {
            self.push(
                Kind::Breaking,
                Area::Operations,
                id,
                format!(
                    "request builder type renamed: `{builder_name}` → `{}`",
                    n.builder_name
                ),
            );
        }
        if *method != n.method || *path != n.path {
            self.push(
                Kind::Additive,
                Area::Operations,
                id,
                format!(
                    "now sent as {} {} (was {} {}); the Rust signature is unchanged",
                    n.method.constant(),
                    n.path,
                    method.constant(),
                    path
                ),
            );
        }

        // Annotations.
        match (*deprecated, n.deprecated) {
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
        match (*preview, n.preview) {
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
        if *permissions != n.permissions {
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
                    show(permissions),
                    show(&n.permissions)
                ),
            );
        }
        let added: Vec<String> = n
            .scopes
            .iter()
            .filter(|s| !scopes.contains(s))
            .cloned()
            .collect();
        let removed: Vec<String> = scopes
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
        self.text(Area::Docs, id, "summary", summary, &n.summary);
        self.text(Area::Docs, id, "description", description, &n.description);

        self.params(id, &new_fn, params, &n.params);
        self.operation_security(id, security, &n.security);
        self.operation_server(id, server, &n.server);
        // Required parameters and a required body, in order.
        self.arguments(id, &new_fn, o, n);
        self.body(id, &new_fn, body.as_ref(), n.body.as_ref());
        self.response(id, o, n);
        self.response_headers(id, response_headers.as_ref(), n.response_headers.as_ref());
        self.pagination(id, &new_fn, pagination.as_ref(), n.pagination.as_ref());
        self.errors(id, errors, &n.errors);
    }

    /// How an operation pages: gaining it adds `pages()` and `items()`,
    /// losing it or a new item type breaks, a new way to the next page or
    /// to the items is a change of behaviour only.
    fn pagination(
        &mut self,
        id: &str,
        fn_name: &str,
        old: Option<&Pagination>,
        new: Option<&Pagination>,
    ) {
        let loc = format!("{id} pagination");
        match (old, new) {
            (None, None) => {}
            (None, Some(p)) => self.push(
                Kind::Additive,
                Area::Operations,
                loc,
                format!(
                    "now paged ({}): `{fn_name}`'s request builder gains `.pages()` and `.items()` of `{}`",
                    p.rule.describe(),
                    rust(&p.item)
                ),
            ),
            (Some(_), None) => self.push(
                Kind::Breaking,
                Area::Operations,
                loc,
                format!("no longer paged: `{fn_name}`'s request builder loses `.pages()` and `.items()`"),
            ),
            (Some(a), Some(b)) => {
                let Pagination {
                    rule: _, // what found it, not what it does
                    items,
                    item,
                    next,
                } = a;
                if *item != b.item {
                    self.push(
                        Kind::Breaking,
                        Area::Operations,
                        loc,
                        format!(
                            "paged items changed type: `{}` → `{}`",
                            rust(item),
                            rust(&b.item)
                        ),
                    );
                } else if *items != b.items || *next != b.next {
                    self.push(
                        Kind::Additive,
                        Area::Operations,
                        loc,
                        format!(
                            "pages now read as {} (was {}); the Rust types are unchanged",
                            b.rule.describe(),
                            a.rule.describe()
                        ),
                    );
                }
            }
        }
    }

    /// The headers type of an operation's responses: gaining or losing it
    /// changes `send_with_meta`'s return type; a header added is a field
    /// more of a `#[non_exhaustive]` struct, one removed or retyped breaks.
    fn response_headers(
        &mut self,
        id: &str,
        old: Option<&ResponseHeaders>,
        new: Option<&ResponseHeaders>,
    ) {
        let loc = format!("{id} response headers");
        let (a, b) = match (old, new) {
            (None, None) => return,
            (None, Some(b)) => {
                self.push(
                    Kind::Breaking,
                    Area::BodiesAndResponses,
                    loc,
                    format!(
                        "responses now declare headers: `send_with_meta` returns `Response<_, {}>` (code naming its type as `Response<T>` changes)",
                        b.name
                    ),
                );
                return;
            }
            (Some(a), None) => {
                self.push(
                    Kind::Breaking,
                    Area::BodiesAndResponses,
                    loc,
                    format!(
                        "responses declare no headers any more: `{}` is gone",
                        a.name
                    ),
                );
                return;
            }
            (Some(a), Some(b)) => (a, b),
        };
        let ResponseHeaders { name, headers } = a;
        if *name != b.name {
            self.push(
                Kind::Breaking,
                Area::BodiesAndResponses,
                loc.clone(),
                format!("headers type renamed: `{name}` → `{}`", b.name),
            );
        }
        let same = |x: &ResponseHeader, y: &ResponseHeader| x.name.eq_ignore_ascii_case(&y.name);
        for h in headers {
            let ResponseHeader {
                name: wire, // the key headers are matched by
                ident,
                ty,
                description,
                deprecated: _, // documented only
            } = h;
            let hloc = format!("{loc} {wire}");
            match b.headers.iter().find(|g| same(h, g)) {
                None => self.push(
                    Kind::Breaking,
                    Area::BodiesAndResponses,
                    hloc,
                    format!(
                        "header `{wire}` no longer declared: field `{}.{ident}` is gone",
                        b.name
                    ),
                ),
                Some(g) => {
                    if *ident != g.ident || *ty != g.ty {
                        self.push(
                            Kind::Breaking,
                            Area::BodiesAndResponses,
                            hloc.clone(),
                            format!(
                                "header `{wire}`: field `{ident}: Option<{}>` → `{}: Option<{}>`",
                                rust(ty),
                                g.ident,
                                rust(&g.ty)
                            ),
                        );
                    }
                    self.text(
                        Area::Docs,
                        &hloc,
                        "description",
                        description,
                        &g.description,
                    );
                }
            }
        }
        for g in b
            .headers
            .iter()
            .filter(|g| !headers.iter().any(|h| same(h, g)))
        {
            self.push(
                Kind::Additive,
                Area::BodiesAndResponses,
                format!("{loc} {}", g.name),
                format!(
                    "header `{}` declared: field `{}.{}: Option<{}>`",
                    g.name,
                    b.name,
                    g.ident,
                    rust(&g.ty)
                ),
            );
        }
    }

    fn params(&mut self, id: &str, fn_name: &str, old: &[Param], new: &[Param]) {
        let key = |p: &Param| (p.name.clone(), p.location.word());
        let mut old_left: Vec<&Param> = Vec::new();
        for p in old {
            match new.iter().find(|q| key(q) == key(p)) {
                Some(q) => self.param(id, fn_name, p, q),
                None => old_left.push(p),
            }
        }
        let mut new_left: Vec<&Param> = new
            .iter()
            .filter(|q| !old.iter().any(|p| key(p) == key(q)))
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
        let Param {
            // With `location`, the key parameters are matched by (a move is
            // reported by `params`).
            name: _,
            location: _,
            ident,
            required,
            ty,
            list_style,
            description,
            deprecated,
        } = p;
        let loc = param_location(id, q);
        match (*required, q.required) {
            (false, true) => self.push(
                Kind::Breaking,
                Area::Parameters,
                loc.clone(),
                format!(
                    "parameter `{}` is now required: builder method `.{ident}()` becomes an argument of `{fn_name}`",
                    q.name
                ),
            ),
            (true, false) => self.push(
                Kind::Breaking,
                Area::Parameters,
                loc.clone(),
                format!(
                    "parameter `{}` is no longer required: the argument `{ident}` of `{fn_name}` becomes builder method `.{}()`",
                    q.name, q.ident
                ),
            ),
            _ => {}
        }
        if *ty != q.ty {
            self.push(
                Kind::Breaking,
                Area::Parameters,
                loc.clone(),
                format!(
                    "parameter `{}` changed type: `{}` → `{}`",
                    q.name,
                    rust(ty),
                    rust(&q.ty)
                ),
            );
        }
        // Only lists read their style; another one changes what is sent,
        // not the Rust API.
        let lists = matches!(ty, TypeRef::Vec(_)) && matches!(q.ty, TypeRef::Vec(_));
        if lists && *list_style != q.list_style {
            self.push(
                Kind::Additive,
                Area::Parameters,
                loc.clone(),
                format!(
                    "list parameter `{}` now sent as `{}` (was `{}`){}",
                    q.name,
                    list_written(&q.name, q.list_style),
                    list_written(&q.name, *list_style),
                    if *ty == q.ty {
                        "; the Rust type is unchanged"
                    } else {
                        ""
                    }
                ),
            );
        }
        if !required && !q.required && *ident != q.ident {
            self.push(
                Kind::Breaking,
                Area::Parameters,
                loc.clone(),
                format!("builder method renamed: `.{ident}()` → `.{}()`", q.ident),
            );
        }
        match (*deprecated, q.deprecated) {
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
            description,
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
                let Body {
                    ident, // always `body`: named in messages, not compared
                    required,
                    ty,
                    media_type,
                    // Follows from `media_type`, but for a multipart body that
                    // is no object: sent as bytes, a change of `ty`.
                    kind: _,
                    // Not reported: the media types the spec's `encoding` gives
                    // a multipart body's parts (sent as their `Content-Type`).
                    part_types: _,
                    description,
                } = a;
                match (*required, b.required) {
                    (false, true) => self.push(
                        Kind::Breaking,
                        Area::BodiesAndResponses,
                        loc.clone(),
                        format!(
                            "request body is now required: builder method `.{ident}()` becomes an argument of `{fn_name}`"
                        ),
                    ),
                    (true, false) => self.push(
                        Kind::Breaking,
                        Area::BodiesAndResponses,
                        loc.clone(),
                        format!(
                            "request body is no longer required: the argument `{ident}` of `{fn_name}` becomes builder method `.{}()`",
                            b.ident
                        ),
                    ),
                    _ => {}
                }
                if *ty != b.ty {
                    self.push(
                        Kind::Breaking,
                        Area::BodiesAndResponses,
                        loc.clone(),
                        format!(
                            "request body changed type: `{}` → `{}`",
                            rust(ty),
                            rust(&b.ty)
                        ),
                    );
                }
                if *media_type != b.media_type {
                    self.push(
                        Kind::Additive,
                        Area::BodiesAndResponses,
                        loc.clone(),
                        format!(
                            "request body now sent as `{}` (was `{media_type}`); the Rust type is unchanged",
                            b.media_type
                        ),
                    );
                }
                self.text(
                    Area::Docs,
                    &loc,
                    "request body description",
                    description,
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
        let ResponseEnum {
            name: _, // compared by `response`, as the output type
            variants,
        } = a;
        let name = &b.name;
        for v in variants {
            let ResponseVariant {
                status, // the key variants are matched by
                ident,
                ty,
                kind,
                description,
            } = v;
            let vloc = format!("{loc} {status}");
            match b.variants.iter().find(|w| w.status == *status) {
                None => self.push(
                    Kind::Breaking,
                    Area::BodiesAndResponses,
                    vloc,
                    format!("success status {status} removed: variant `{name}::{ident}` is gone"),
                ),
                Some(w) => {
                    if *ident != w.ident {
                        self.push(
                            Kind::Breaking,
                            Area::BodiesAndResponses,
                            vloc.clone(),
                            format!("variant renamed: `{name}::{ident}` → `{name}::{}`", w.ident),
                        );
                    }
                    if *ty != w.ty {
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
                                show(ty),
                                show(&w.ty)
                            ),
                        );
                    } else if *kind != w.kind {
                        self.push(
                            Kind::Additive,
                            Area::BodiesAndResponses,
                            vloc.clone(),
                            format!(
                                "status {} body now decoded as {:?} (was {kind:?})",
                                w.status, w.kind
                            ),
                        );
                    }
                    if *description != w.description {
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
            if !variants.iter().any(|v| v.status == w.status) {
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

    fn errors(&mut self, id: &str, old: &[ErrorResponse], new: &[ErrorResponse]) {
        for e in old {
            let ErrorResponse {
                status, // the key errors are matched by
                description,
                ty,
            } = e;
            let loc = format!("{id} response {status}");
            match new.iter().find(|f| f.status == *status) {
                None => self.push(
                    Kind::Docs,
                    Area::BodiesAndResponses,
                    loc,
                    format!("error status {status} no longer documented"),
                ),
                Some(f) => {
                    if *ty != f.ty {
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
                                show(ty)
                            ),
                        );
                    }
                    if *description != f.description {
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
        for f in new {
            if !old.iter().any(|e| e.status == f.status) {
                self.push(
                    Kind::Docs,
                    Area::BodiesAndResponses,
                    format!("{id} response {}", f.status),
                    format!("error status {} documented", f.status),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::{diff, Area, Change, Kind};
    use crate::ir::sample::{group, operation};
    use crate::ir::*;

    /// An API of one operation, `listThings`, whose only parameter is `param`.
    fn api(param: Param) -> Api {
        let mut op = operation("listThings", None);
        op.params = vec![param];
        Api {
            title: "t".into(),
            version: "1".into(),
            description: None,
            default_base_url: "https://x".into(),
            servers: Vec::new(),
            schemes: Vec::new(),
            groups: vec![group("Things", vec![op])],
            models: Vec::new(),
            error_model: None,
        }
    }

    /// An optional query parameter `ids` of type `ty`, written in `style`.
    fn ids(ty: TypeRef, style: ListStyle) -> Param {
        Param {
            name: "ids".into(),
            ident: "ids".into(),
            location: ParamLocation::Query,
            required: false,
            ty,
            list_style: style,
            description: None,
            deprecated: false,
        }
    }

    fn list_of(ty: TypeRef) -> TypeRef {
        TypeRef::Vec(Box::new(ty))
    }

    /// Kind and message of every change from `old` to `new`.
    fn changes(old: Param, new: Param) -> Vec<(Kind, String)> {
        let report = diff(&api(old), &api(new));
        (report.changes.into_iter())
            .map(|c| (c.kind, c.message))
            .collect()
    }

    #[test]
    fn a_list_parameter_written_another_way_is_a_behaviour_change() {
        let strings = list_of(TypeRef::String);
        let old = api(ids(strings.clone(), ListStyle::Joined(',')));
        let new = api(ids(strings.clone(), ListStyle::Repeated));
        assert_eq!(
            diff(&old, &new).changes,
            [Change {
                area: Area::Parameters,
                kind: Kind::Additive,
                location: "listThings ?ids".into(),
                message: "list parameter `ids` now sent as `ids=a&ids=b` (was `ids=a,b`); the Rust type is unchanged".into(),
            }]
        );
        assert_eq!(
            changes(
                ids(strings.clone(), ListStyle::Repeated),
                ids(strings.clone(), ListStyle::Joined('|'))
            ),
            [(
                Kind::Additive,
                "list parameter `ids` now sent as `ids=a|b` (was `ids=a&ids=b`); the Rust type is unchanged".to_owned()
            )]
        );
        // Retyped too: the type change breaks, and the Rust type is not the same.
        let numbers = list_of(TypeRef::I64);
        assert_eq!(
            changes(
                ids(strings.clone(), ListStyle::Joined(' ')),
                ids(numbers, ListStyle::Repeated)
            ),
            [
                (
                    Kind::Breaking,
                    "parameter `ids` changed type: `Vec<String>` → `Vec<i64>`".to_owned()
                ),
                (
                    Kind::Additive,
                    "list parameter `ids` now sent as `ids=a&ids=b` (was `ids=a b`)".to_owned()
                ),
            ]
        );
        assert!(changes(
            ids(strings.clone(), ListStyle::Repeated),
            ids(strings, ListStyle::Repeated)
        )
        .is_empty());
    }

    #[test]
    fn only_lists_read_their_style() {
        let one = changes(
            ids(TypeRef::String, ListStyle::Joined(',')),
            ids(TypeRef::String, ListStyle::Repeated),
        );
        assert!(one.is_empty(), "{one:?}");
        // Becoming a list is a type change; how it was "written" before says nothing.
        let listed = changes(
            ids(TypeRef::String, ListStyle::Joined(',')),
            ids(list_of(TypeRef::String), ListStyle::Repeated),
        );
        assert_eq!(
            listed,
            [(
                Kind::Breaking,
                "parameter `ids` changed type: `String` → `Vec<String>`".to_owned()
            )]
        );
    }

    /// The API of [`api`] whose operation declares `headers`.
    fn with_headers(headers: Option<Vec<(&str, TypeRef)>>) -> Api {
        let mut api = api(ids(TypeRef::String, ListStyle::Repeated));
        api.groups[0].operations[0].response_headers = headers.map(|h| ResponseHeaders {
            name: "ListThingsHeaders".into(),
            headers: h
                .into_iter()
                .map(|(name, ty)| ResponseHeader {
                    name: name.into(),
                    ident: crate::naming::snake(name),
                    ty,
                    description: None,
                    deprecated: false,
                })
                .collect(),
        });
        api
    }

    fn header_changes(old: Api, new: Api) -> Vec<(Kind, String)> {
        (diff(&old, &new).changes.into_iter())
            .map(|c| (c.kind, c.message))
            .collect()
    }

    #[test]
    fn declared_headers_added_are_fields_more_and_removed_or_retyped_break() {
        let before = with_headers(Some(vec![("X-Total", TypeRef::I64)]));
        let after = with_headers(Some(vec![
            ("x-total", TypeRef::I64),
            ("Link", TypeRef::String),
        ]));
        assert_eq!(
            header_changes(before.clone(), after.clone()),
            [(
                Kind::Additive,
                "header `Link` declared: field `ListThingsHeaders.link: Option<String>`".to_owned()
            )]
        );
        assert_eq!(
            header_changes(after, before.clone()),
            [(
                Kind::Breaking,
                "header `Link` no longer declared: field `ListThingsHeaders.link` is gone"
                    .to_owned()
            )]
        );
        let retyped = with_headers(Some(vec![("X-Total", TypeRef::String)]));
        assert_eq!(
            header_changes(before.clone(), retyped),
            [(
                Kind::Breaking,
                "header `X-Total`: field `x_total: Option<i64>` → `x_total: Option<String>`"
                    .to_owned()
            )]
        );
        // Gaining or losing the type changes what `send_with_meta` returns.
        let none = with_headers(None);
        let gained = header_changes(none.clone(), before.clone());
        assert_eq!(gained.len(), 1);
        assert_eq!(gained[0].0, Kind::Breaking);
        assert!(
            gained[0].1.contains("`Response<_, ListThingsHeaders>`"),
            "{gained:?}"
        );
        assert_eq!(header_changes(before, none)[0].0, Kind::Breaking);
    }

    #[test]
    fn an_operation_that_starts_to_page_gains_streams_and_one_that_stops_breaks() {
        let plain = api(ids(TypeRef::String, ListStyle::Repeated));
        let mut paged = plain.clone();
        paged.groups[0].operations[0].pagination = Some(Pagination {
            rule: PageRule::LinkHeader,
            items: PageItems::Body,
            item: TypeRef::Named("Thing".into()),
            next: NextPage::LinkHeader,
        });
        let gained = header_changes(plain.clone(), paged.clone());
        assert_eq!(
            gained,
            [(
                Kind::Additive,
                "now paged (the Link header): `ThingsApi::listThings`'s request builder gains `.pages()` and `.items()` of `Thing`".to_owned()
            )]
        );
        assert_eq!(header_changes(paged.clone(), plain)[0].0, Kind::Breaking);
        let mut retyped = paged.clone();
        if let Some(p) = &mut retyped.groups[0].operations[0].pagination {
            p.item = TypeRef::String;
        }
        assert_eq!(header_changes(paged.clone(), retyped)[0].0, Kind::Breaking);
        let mut by_body = paged.clone();
        if let Some(p) = &mut by_body.groups[0].operations[0].pagination {
            p.rule = PageRule::BodyLink;
            p.next = NextPage::Link(vec!["next".into()]);
        }
        assert_eq!(header_changes(paged, by_body)[0].0, Kind::Additive);
    }
}
