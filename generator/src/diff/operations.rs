//! Tags and operations: methods, request builders, parameters, bodies,
//! responses and documented errors.

use super::{
    common_orders, method_name, operation_index, output_type, param_location, rust, Area, Differ,
    Kind,
};
use crate::ir::{Body, Group, Operation, Param, ResponseEnum, TypeRef};
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
}
