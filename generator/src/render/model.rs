//! The views of the model files and of the models' module.

use super::{cfg_of, doc_paragraphs, docs, md_docs, plain_docs, CLIPPY_MAX_ARGS};
use crate::features::Features;
use crate::ir::*;
use crate::markdown;
use crate::naming::{self, str_literal};
use crate::runtime::{Part, Parts};
use crate::types::{self, rust_type};
use askama::Template;
#[derive(Template)]
#[template(path = "models_mod.rs", escape = "none")]
pub(super) struct ModelsMod<'a> {
    models: Vec<ModelRefView<'a>>,
}

struct ModelRefView<'a> {
    module: &'a str,
    name: &'a str,
    /// The `cfg` predicate of the features that compile the model; `None` when it always is.
    cfg: Option<String>,
}

pub(super) fn models_mod_view<'a>(api: &'a Api, features: &Features) -> ModelsMod<'a> {
    let by_model = features.by_model();
    ModelsMod {
        models: api
            .models
            .iter()
            .map(|m| ModelRefView {
                module: &m.module,
                name: &m.name,
                cfg: by_model
                    .get(m.name.as_str())
                    .filter(|fs| !fs.is_empty())
                    .map(|fs| cfg_of("any", fs)),
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "model.rs", escape = "none")]
pub(super) struct ModelRs {
    name: String,
    docs: Vec<String>,
    imports: Vec<String>,
    kind: ModelView,
}

enum ModelView {
    Struct(StructView),
    Enum(EnumView),
    Alias(String),
    Union(UnionView),
}

struct UnionView {
    /// The discriminator property as a string literal.
    discriminator: Option<String>,
    /// The struct models' member of unknown fields.
    unknown: &'static str,
    /// Every variant is a scalar: `Display` writes the value's text.
    display: bool,
    variants: Vec<UnionVariantView>,
}

struct UnionVariantView {
    ident: String,
    doc: String,
    /// The variant's field type (boxed when recursive).
    ty: String,
    /// The type decoded before wrapping.
    inner_ty: String,
    /// Wraps the decoded `inner` into the variant's field.
    wrap: String,
    /// Discriminator values as string literals.
    tags: Vec<String>,
    /// The variant holds a struct model, which keeps the keys it does not
    /// know: how well it fits is how many keys it knows.
    struct_type: bool,
    /// Writes the variant's `value` into the formatter `f`, as on the wire.
    write: String,
}

struct StructView {
    fields: Vec<FieldView>,
    /// How the decoder checks the required fields once every key is read.
    check: Check<CheckedView>,
    /// The member holding the fields the model does not know.
    unknown: &'static str,
    /// The setter that adds one.
    unknown_setter: String,
    /// The doc comment of `new`.
    new_doc: String,
    /// What the decoder says it expected when the input is not an object.
    expecting: String,
    /// Every field is optional, so `Default` is derived.
    default: bool,
    /// `new` takes more arguments than clippy's limit.
    many_args: bool,
    any_deprecated: bool,
}

/// How a decoder checks the required fields (`in_new`) once every key is
/// read: with none, it builds the value; with one, it matches on that
/// field; with more, it matches on all of them at once and names the first
/// missing one with the runtime's `missing` ([`Part::RequiredFields`]).
enum Check<T> {
    Nothing,
    One(T),
    All(Vec<T>),
}

impl<T> Check<T> {
    fn new(mut fields: Vec<T>) -> Check<T> {
        match fields.len() {
            0 => Check::Nothing,
            1 => fields.pop().map_or(Check::Nothing, Check::One),
            _ => Check::All(fields),
        }
    }

    /// The runtime part the check uses, if any.
    fn part(&self) -> Option<Part> {
        matches!(self, Check::All(_)).then_some(Part::RequiredFields)
    }
}

/// A required field the decoder checks.
struct CheckedView {
    /// Its local variable.
    local: String,
    /// Its JSON name, as a string literal.
    wire: String,
}

struct FieldView {
    ident: String,
    wire: String,
    docs: Vec<String>,
    /// The declared type.
    ty: String,
    /// What the constructor and setter accept through `impl Into<…>`.
    arg_ty: String,
    /// How the argument (named like the field) is stored.
    store: String,
    /// The method of the runtime's `Entries` (`fields.rs`) that writes it
    /// ([`encode_step`]).
    write: &'static str,
    /// The local variable the decoder puts it in.
    local: String,
    /// The method of the runtime's `NextField` (`fields.rs`) that decodes
    /// the value into the local ([`decode_step`]).
    step: &'static str,
    /// The local is named like the field, so the struct literal names it alone.
    shorthand: bool,
    setter: String,
    setter_doc: String,
    required: bool,
    deprecated: bool,
}

struct EnumView {
    variants: Vec<VariantView>,
}

struct VariantView {
    ident: String,
    wire: String,
    doc: String,
}

/// `models` are every model of the API, sorted by name.
pub(super) fn model_view(model: &Model, models: &[Model]) -> ModelRs {
    let mut imports = Vec::new();
    let mut doc = vec![docs(model.description.as_deref())];
    let kind = match &model.kind {
        ModelKind::Struct(fields) => {
            // Without required fields, `new` takes no argument and `Default`
            // is derived.
            let default = fields.iter().all(|f| !f.in_new());
            let fields = fields
                .iter()
                .map(|f| {
                    collect_named(&f.ty, &mut imports);
                    let inner = rust_type(&f.ty, "");
                    let value = if f.boxed {
                        format!("Box::new({}.into())", f.ident)
                    } else {
                        format!("{}.into()", f.ident)
                    };
                    let mut notes = Vec::new();
                    if f.read_only {
                        notes.push("Read-only: set by the server, ignored in requests.".to_owned());
                    }
                    if f.write_only {
                        notes.push("Write-only: sent in requests, never returned.".to_owned());
                    }
                    if f.nullable && !f.tri_state() {
                        notes.push("May be null.".to_owned());
                    }
                    notes.extend(f.constraints.iter().cloned());
                    let in_new = f.in_new();
                    let local = naming::decoded_field_local(&f.ident);
                    FieldView {
                        ident: f.ident.clone(),
                        wire: str_literal(&f.name),
                        docs: doc_paragraphs(&[
                            docs(f.description.as_deref()),
                            md_docs(&format!("JSON field {}.", markdown::md_code(&f.name))),
                            plain_docs(Some(&notes.join("\n"))),
                            if f.tri_state() {
                                md_docs("May be null: `Some(None)` sends an explicit `null`, `None` leaves the field out.")
                            } else {
                                Vec::new()
                            },
                        ]),
                        ty: types::field_type(f, ""),
                        arg_ty: inner,
                        store: if in_new {
                            value
                        } else if f.tri_state() {
                            format!("Some(Some({value}))")
                        } else {
                            format!("Some({value})")
                        },
                        step: decode_step(f).1,
                        write: encode_step(f).1,
                        shorthand: local == f.ident,
                        local,
                        setter: naming::setter(&f.ident),
                        setter_doc: str_literal(&format!(" Sets {}.", markdown::md_code(&f.name))),
                        required: in_new,
                        deprecated: f.deprecated,
                    }
                })
                .collect::<Vec<_>>();
            let required = fields.iter().filter(|f| f.required).count();
            ModelView::Struct(StructView {
                unknown: naming::UNKNOWN_FIELDS,
                unknown_setter: naming::setter(naming::UNKNOWN_FIELD),
                new_doc: str_literal(match (required, fields.len()) {
                    (0, 0) => " A value without fields: only unknown ones can be added.",
                    (0, _) => " A value with every field unset.",
                    (_, n) if n == required => " A value with the given fields.",
                    _ => " A value with the given required fields and no optional ones.",
                }),
                expecting: str_literal(&format!(
                    "{} `{}` object",
                    naming::indefinite_article(&model.name),
                    model.name
                )),
                default,
                many_args: required > CLIPPY_MAX_ARGS,
                check: Check::new(
                    fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| CheckedView {
                            local: f.local.clone(),
                            wire: f.wire.clone(),
                        })
                        .collect(),
                ),
                any_deprecated: fields.iter().any(|f| f.deprecated),
                fields,
            })
        }
        ModelKind::Enum(variants) => ModelView::Enum(EnumView {
            variants: variants
                .iter()
                .map(|v| VariantView {
                    ident: v.ident.clone(),
                    wire: str_literal(&v.value),
                    doc: str_literal(&format!(" {}", markdown::md_code(&v.value))),
                })
                .collect(),
        }),
        ModelKind::Alias(ty) => {
            collect_named(ty, &mut imports);
            ModelView::Alias(rust_type(ty, ""))
        }
        ModelKind::Union(union) => ModelView::Union(UnionView {
            discriminator: union.discriminator.as_deref().map(str_literal),
            unknown: naming::UNKNOWN_FIELDS,
            display: union.scalar,
            variants: union
                .variants
                .iter()
                .map(|v| {
                    collect_named(&v.ty, &mut imports);
                    let inner = rust_type(&v.ty, "");
                    UnionVariantView {
                        ident: v.ident.clone(),
                        doc: match &v.ty {
                            TypeRef::Named(n) => {
                                str_literal(&format!(" {} [`{n}`].", naming::sentence_article(n)))
                            }
                            _ => str_literal(&format!(
                                " {} `{inner}`.",
                                naming::sentence_article(&inner)
                            )),
                        },
                        struct_type: names_struct(models, &v.ty),
                        ty: types::variant_type(v, ""),
                        wrap: if v.boxed {
                            "Box::new(inner)".to_owned()
                        } else {
                            "inner".to_owned()
                        },
                        inner_ty: inner,
                        tags: v.tags.iter().map(|t| str_literal(t)).collect(),
                        write: match &v.ty {
                            // As serde writes it, not chrono's `Display`.
                            TypeRef::DateTime => "f.write_str(&value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true))".to_owned(),
                            _ => "std::fmt::Display::fmt(value, f)".to_owned(),
                        },
                    }
                })
                .collect(),
        }),
    };
    doc.push(md_docs(&format!(
        "Schema: {}",
        markdown::md_code(&format!("#{}", model.pointer))
    )));
    imports.sort();
    imports.dedup();
    imports.retain(|i| i != &model.name);
    ModelRs {
        name: model.name.clone(),
        docs: doc_paragraphs(&doc),
        imports,
        kind,
    }
}

/// Whether `ty` names a struct (through aliases): a `oneOf` variant that
/// keeps unknown fields of its own.
fn names_struct(models: &[Model], ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(n) if struct_fields(models, n).is_some())
}

/// The fields of the struct named `name` among `models` (sorted by name),
/// through aliases; `None` when it is no struct.
pub(super) fn struct_fields<'m>(models: &'m [Model], name: &str) -> Option<&'m [Field]> {
    let mut name = name;
    // An alias chain is at most as long as the list of models.
    for _ in 0..=models.len() {
        let i = models
            .binary_search_by(|m| m.name.as_str().cmp(name))
            .ok()?;
        match &models[i].kind {
            ModelKind::Struct(fields) => return Some(fields),
            ModelKind::Alias(TypeRef::Named(next)) => name = next,
            _ => return None,
        }
    }
    None
}

fn collect_named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => collect_named(inner, out),
        _ => {}
    }
}

/// How the decoder reads the field's value into its local: the runtime part
/// and its `NextField` method. The value is put in `Some` when the field is
/// required (checked once every key is read) or tells a `null` from its
/// absence; it is read through the runtime's `Loose`, which takes numbers
/// and booleans from strings too, when its type says so.
fn decode_step(field: &Field) -> (Part, &'static str) {
    let in_some = field.in_new() || field.tri_state();
    match (types::decodes_loosely(&field.ty), in_some) {
        (false, false) => (Part::NextSet, "next_set"),
        (false, true) => (Part::NextSome, "next_some"),
        (true, false) => (Part::LooseSet, "next_loose_set"),
        (true, true) => (Part::LooseSome, "next_loose_some"),
    }
}

/// The part of the runtime's encoder (`Entries`) that writes a field, and
/// its method: a field that is not required is left out when it is `None`
/// (a required field that may be null is sent as `null`).
fn encode_step(field: &Field) -> (Part, &'static str) {
    if field.required {
        (Part::PresentFields, "field")
    } else {
        (Part::OptionalFields, "optional")
    }
}

/// What the models of `models` use of `fields.rs`; `oauth` when the token
/// response decoder uses the key decoder too.
pub(super) fn fields_uses(models: &[Model], oauth: bool) -> Parts {
    let mut parts = Parts::default();
    for model in models {
        match &model.kind {
            ModelKind::Struct(fields) => {
                parts.insert(Part::KeyInto);
                parts.insert(Part::Entries);
                parts.set(Part::KeyAsStr, !fields.is_empty());
                parts.set(
                    Part::Loose,
                    fields.iter().any(|f| types::decodes_loosely(&f.ty)),
                );
                for f in fields {
                    parts.insert(encode_step(f).0);
                    parts.insert(decode_step(f).0);
                }
                let check = Check::new(fields.iter().filter(|f| f.in_new()).collect());
                if let Some(part) = check.part() {
                    parts.insert(part);
                }
            }
            ModelKind::Union(union) if union.discriminator.is_none() => {
                for v in &union.variants {
                    let is_struct = names_struct(models, &v.ty);
                    parts.set(Part::KnownKeys, is_struct);
                    parts.set(Part::UnionScore, !is_struct);
                }
            }
            _ => {}
        }
    }
    parts.set(Part::KeyAsStr, oauth);
    let keys = parts.any(&[Part::KeyInto, Part::KeyAsStr]);
    parts.set(Part::Keys, keys);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_are_checked_alone_or_all_at_once() {
        assert!(matches!(Check::<u8>::new(vec![]), Check::Nothing));
        assert!(matches!(Check::new(vec![7]), Check::One(7)));
        assert!(matches!(Check::new(vec![1, 2]), Check::All(v) if v == [1, 2]));
        assert_eq!(Check::new(vec![1]).part(), None);
        assert_eq!(Check::new(vec![1, 2]).part(), Some(Part::RequiredFields));
    }
}
