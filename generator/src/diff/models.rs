//! Models: structs and their fields, enums and their values, unions and
//! their variants.

use super::{common_orders, field_type, kind_word, list, rust, setter, short, Area, Differ, Kind};
use crate::ir::{Field, Model, ModelKind, Union, UnionVariant, Variant};
use crate::{naming, types};
use std::collections::BTreeMap;

impl Differ<'_> {
    pub(super) fn models(&mut self) {
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
        let Model {
            name: old_name, // the key models are matched by (a rename is found by `models`)
            module: _,      // private: the type is re-exported from `models`
            description,
            pointer,
            kind,
        } = m;
        let name = n.name.as_str();
        self.text(
            Area::Docs,
            name,
            "model description",
            description,
            &n.description,
        );
        if *pointer != n.pointer && old_name == name {
            self.push(
                Kind::Docs,
                Area::Docs,
                name,
                format!("now made from schema #{} (was #{pointer})", n.pointer),
            );
        }
        match (kind, &n.kind) {
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
        let Field {
            name: _, // the key fields are matched by
            ident,
            // Compared as the type the field is declared with (`field_type`).
            ty: _,
            boxed: _,
            required,
            nullable,
            read_only,
            write_only,
            description,
            deprecated,
            constraints,
        } = f;
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
            _ if *required != g.required => self.push(
                Kind::Additive,
                Area::Fields,
                loc,
                format!(
                    "field `{}` is {} required; it stays `{gt}`, but `None` is now {}",
                    g.name,
                    if g.required { "now" } else { "no longer" },
                    if g.required { "sent as `null`" } else { "left out" }
                ),
            ),
            _ => {}
        }
        if *ident != g.ident {
            self.push(
                Kind::Breaking,
                Area::Fields,
                loc,
                format!(
                    "field `{}` renamed in Rust: `{model}::{ident}` / `{}` → `{model}::{}` / `{}`",
                    g.name,
                    setter(f),
                    g.ident,
                    setter(g)
                ),
            );
        }
        match (*deprecated, g.deprecated) {
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
            (*read_only, g.read_only, "read-only"),
            (*write_only, g.write_only, "write-only"),
            (
                *nullable && f.in_new() == g.in_new(),
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
            description,
            &g.description,
        );
        if *constraints != g.constraints {
            self.push(
                Kind::Docs,
                Area::Docs,
                loc,
                format!(
                    "constraints changed: [{}] → [{}]",
                    list(constraints),
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
            let Variant {
                value, // the key values are matched by
                ident,
            } = v;
            let loc = format!("{model} \"{value}\"");
            let message = match new.iter().find(|w| w.value == *value) {
                None => match respelled.iter().find(|(o, _)| o.value == *value) {
                    Some((_, w)) => format!(
                        "value \"{value}\" is now \"{}\": `{model}::{ident}` keeps its name and sends the new spelling (the old one now decodes as `{model}::Unknown`)",
                        w.value
                    ),
                    None => format!(
                        "value \"{value}\" removed: `{model}::{ident}` is gone (the value now decodes as `{model}::Unknown`)"
                    ),
                },
                Some(w) if w.ident != *ident => format!(
                    "value \"{value}\" renamed in Rust: `{model}::{ident}` → `{model}::{}`",
                    w.ident
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
        let Union {
            discriminator,
            variants,
            // Follows from the variants' types: whether the value is written
            // as its text (`Display`), so it can be a parameter.
            scalar: _,
        } = a;
        if *discriminator != b.discriminator {
            let show =
                |d: &Option<String>| d.as_deref().map_or("none".to_owned(), |d| format!("`{d}`"));
            self.push(
                Kind::Breaking,
                Area::Models,
                model,
                format!(
                    "discriminator of `{model}` changed: {} → {}",
                    show(discriminator),
                    show(&b.discriminator)
                ),
            );
        }
        for v in variants {
            let UnionVariant {
                ident, // the key variants are matched by
                ty,
                tags,
                boxed,
            } = v;
            let loc = format!("{model}::{ident}");
            let Some(w) = b.variants.iter().find(|w| w.ident == *ident) else {
                self.push(
                    Kind::Breaking,
                    Area::Models,
                    loc,
                    format!("variant `{model}::{ident}({})` removed", rust(ty)),
                );
                continue;
            };
            if *ty != w.ty || *boxed != w.boxed {
                let show = |x: &UnionVariant| short(&types::variant_type(x, ""));
                self.push(
                    Kind::Breaking,
                    Area::Models,
                    loc.clone(),
                    format!(
                        "variant `{model}::{ident}` changed type: `{}` → `{}`",
                        show(v),
                        show(w)
                    ),
                );
            }
            let gone: Vec<String> = tags
                .iter()
                .filter(|t| !w.tags.contains(t))
                .cloned()
                .collect();
            let new_tags: Vec<String> = w
                .tags
                .iter()
                .filter(|t| !tags.contains(t))
                .cloned()
                .collect();
            if !gone.is_empty() {
                self.push(
                    Kind::Breaking,
                    Area::Models,
                    loc.clone(),
                    format!(
                        "discriminator values no longer selecting `{model}::{ident}`: {}",
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
                        "discriminator values now selecting `{model}::{ident}`: {}",
                        new_tags.join(", ")
                    ),
                );
            }
        }
        for w in &b.variants {
            if !variants.iter().any(|v| v.ident == w.ident) {
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
