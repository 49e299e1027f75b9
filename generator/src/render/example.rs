//! The example in each operation's docs: the call with a value for every
//! required argument, one optional parameter where there is one, and a
//! match on the typed error. The template lays it out as a `no_run` doctest;
//! this module picks the values, as Rust expressions of the emitted crate.
//!
//! Values come from types alone (names of parameters become placeholder
//! text through their identifiers), so no spec text becomes example code.

use crate::ir::{ErrorResponse, Model, ModelKind, Operation, TypeRef};
use crate::naming::{self, str_literal};
use std::collections::BTreeSet;

/// The documented error statuses an example matches, best first: those a
/// caller most often handles on their own.
const PREFERRED_STATUSES: &[&str] = &["404", "409", "412", "422", "400", "403"];

/// How deep the example values of nested required fields go before an
/// empty list stands in (only a list can end a cycle of required fields).
const MAX_DEPTH: usize = 6;

pub(super) struct ExampleView {
    /// `use` paths the example needs, sorted.
    pub uses: Vec<String>,
    /// The crate's identifier.
    pub crate_ident: String,
    /// The client's accessor of the operation's group.
    pub group: String,
    pub fn_name: String,
    /// One expression per argument of the group method.
    pub args: String,
    /// An optional parameter set on the builder.
    pub optional: Option<OptionalArgument>,
    /// The call returns `()`.
    pub unit: bool,
    /// The error status matched on its own, and how its body is shown.
    pub status: Option<StatusArm>,
}

pub(super) struct OptionalArgument {
    pub setter: String,
    pub value: String,
}

pub(super) struct StatusArm {
    pub status: String,
    /// An expression of the `ApiError` `e` that shows the body.
    pub body: String,
}

/// A builder argument of the operation: a parameter or the body.
pub(super) struct Argument<'a> {
    pub ident: &'a str,
    pub ty: &'a TypeRef,
    pub required: bool,
}

/// The example of `op`, whose arguments (parameters, then the body) are
/// `arguments`. `models` are every model of the API, sorted by name.
pub(super) fn example(
    op: &Operation,
    arguments: &[Argument<'_>],
    group: &str,
    crate_ident: &str,
    error_model: Option<&str>,
    models: &[Model],
) -> ExampleView {
    let mut values = Values {
        models,
        uses: BTreeSet::new(),
        crate_ident,
    };
    values.uses.insert(format!("{crate_ident}::Error"));
    let args = arguments
        .iter()
        .filter(|a| a.required)
        .map(|a| values.argument(a.ident, a.ty))
        .collect::<Vec<_>>()
        .join(", ");
    // The first optional parameter, or else an optional body (the last).
    let optional = arguments
        .iter()
        .find(|a| !a.required)
        .map(|a| OptionalArgument {
            setter: a.ident.to_owned(),
            value: values.argument(a.ident, a.ty),
        });
    let status = matched_status(&op.errors).map(|e| StatusArm {
        status: e.status.clone(),
        body: match &e.ty {
            Some(TypeRef::Named(n)) if Some(n.as_str()) != error_model => {
                values.uses.insert(format!("{crate_ident}::models::{n}"));
                format!("e.body_as::<{n}>()")
            }
            _ if error_model.is_some() => "e.body".to_owned(),
            _ => "e.raw_body".to_owned(),
        },
    });
    ExampleView {
        uses: values.uses.into_iter().collect(),
        crate_ident: crate_ident.to_owned(),
        group: group.to_owned(),
        fn_name: op.fn_name.clone(),
        args,
        optional,
        unit: op.response.is_none() && op.responses.is_none(),
        status,
    }
}

/// The error status the example handles by itself, if any is documented.
fn matched_status(errors: &[ErrorResponse]) -> Option<&ErrorResponse> {
    PREFERRED_STATUSES
        .iter()
        .find_map(|s| errors.iter().find(|e| e.status == *s))
        .or_else(|| {
            errors
                .iter()
                .find(|e| e.status.len() == 3 && e.status.bytes().all(|b| b.is_ascii_digit()))
        })
}

struct Values<'a> {
    models: &'a [Model],
    /// The models the values name, as `use` paths.
    uses: BTreeSet<String>,
    crate_ident: &'a str,
}

impl Values<'_> {
    /// A value for an argument taken as `impl Into<T>`, named `ident`.
    fn argument(&mut self, ident: &str, ty: &TypeRef) -> String {
        match ty {
            TypeRef::String => placeholder(ident),
            _ => self.value(ident, ty, 0),
        }
    }

    /// A value of exactly `ty`.
    fn value(&mut self, ident: &str, ty: &TypeRef, depth: usize) -> String {
        match ty {
            TypeRef::String => format!("{}.to_owned()", placeholder(ident)),
            TypeRef::Bool => "true".to_owned(),
            TypeRef::I32 | TypeRef::I64 => "1".to_owned(),
            TypeRef::F32 | TypeRef::F64 => "1.0".to_owned(),
            // Constants: the crate's chrono has no clock (`Utc::now`).
            TypeRef::DateTime => "::chrono::DateTime::<::chrono::Utc>::UNIX_EPOCH".to_owned(),
            TypeRef::Date => "::chrono::NaiveDate::MIN".to_owned(),
            TypeRef::Json => format!("{}::serde_json::json!({{}})", self.crate_ident),
            TypeRef::Bytes => "b\"bytes\".to_vec()".to_owned(),
            TypeRef::File => format!("{}::FilePart::new(b\"bytes\".to_vec())", self.crate_ident),
            TypeRef::Map(_) => "::std::collections::BTreeMap::new()".to_owned(),
            TypeRef::Vec(inner) if depth < MAX_DEPTH => {
                format!("vec![{}]", self.value(ident, inner, depth + 1))
            }
            TypeRef::Vec(_) => "Vec::new()".to_owned(),
            TypeRef::Named(name) => self.model(ident, name, depth),
        }
    }

    fn model(&mut self, ident: &str, name: &str, depth: usize) -> String {
        let found = self.models.binary_search_by(|m| m.name.as_str().cmp(name));
        let (Ok(i), true) = (found, depth <= MAX_DEPTH) else {
            // Not a model, or a cycle of required fields no value ends.
            return "Default::default()".to_owned();
        };
        let kind = &self.models[i].kind;
        if let ModelKind::Alias(ty) = kind {
            return self.value(ident, ty, depth + 1);
        }
        self.uses
            .insert(format!("{}::models::{name}", self.crate_ident));
        match kind {
            ModelKind::Struct(fields) => {
                let args = fields
                    .iter()
                    .filter(|f| f.in_new())
                    .map(|f| match &f.ty {
                        TypeRef::String => placeholder(&f.ident),
                        ty => self.value(&f.ident, ty, depth + 1),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("{name}::new({args})")
            }
            ModelKind::Enum(variants) => match variants.first() {
                Some(v) => format!("{name}::{}", v.ident),
                None => format!("{name}::from({})", str_literal("value")),
            },
            ModelKind::Union(union) => match union.variants.first() {
                Some(v) => {
                    let inner = self.value(ident, &v.ty, depth + 1);
                    if v.boxed {
                        format!("{name}::{}(Box::new({inner}))", v.ident)
                    } else {
                        format!("{name}::{}({inner})", v.ident)
                    }
                }
                None => format!(
                    "{name}::Unknown({}::serde_json::Value::Null)",
                    self.crate_ident
                ),
            },
            ModelKind::Alias(ty) => self.value(ident, ty, depth + 1),
        }
    }
}

/// Placeholder text for a string named `ident`: `user_id` → `"user-id"`.
fn placeholder(ident: &str) -> String {
    str_literal(&naming::example_text(ident))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::sample::{field, model, named};
    use crate::ir::{Field, Union, UnionVariant, Variant};

    fn required(name: &str, ty: TypeRef) -> Field {
        Field {
            required: true,
            ..field(name, ty)
        }
    }

    /// Sorted by name, as in the IR.
    fn models() -> Vec<Model> {
        vec![
            model(
                "Alias",
                ModelKind::Alias(TypeRef::Vec(Box::new(named("Color")))),
            ),
            model(
                "Color",
                ModelKind::Enum(vec![Variant {
                    value: "red".into(),
                    ident: "Red".into(),
                }]),
            ),
            model(
                "Shape",
                ModelKind::Union(Union {
                    discriminator: None,
                    variants: vec![UnionVariant {
                        ident: "Thing".into(),
                        ty: named("Thing"),
                        tags: Vec::new(),
                        boxed: true,
                    }],
                    scalar: false,
                }),
            ),
            model(
                "Thing",
                ModelKind::Struct(vec![
                    required("thing_id", TypeRef::String),
                    field("note", TypeRef::String),
                    required("color", named("Color")),
                    required("tags", TypeRef::Vec(Box::new(TypeRef::String))),
                ]),
            ),
        ]
    }

    fn values(models: &[Model]) -> Values<'_> {
        Values {
            models,
            uses: BTreeSet::new(),
            crate_ident: "api",
        }
    }

    #[test]
    fn values_build_models_from_their_required_fields() {
        let models = models();
        let mut v = values(&models);
        assert_eq!(
            v.argument("thing", &named("Thing")),
            r#"Thing::new("thing-id", Color::Red, vec!["tags".to_owned()])"#
        );
        assert_eq!(
            v.argument("shape", &named("Shape")),
            r#"Shape::Thing(Box::new(Thing::new("thing-id", Color::Red, vec!["tags".to_owned()])))"#
        );
        assert_eq!(v.argument("colors", &named("Alias")), "vec![Color::Red]");
        assert_eq!(
            v.uses.iter().map(String::as_str).collect::<Vec<_>>(),
            [
                "api::models::Color",
                "api::models::Shape",
                "api::models::Thing"
            ]
        );
        assert_eq!(v.argument("user_id", &TypeRef::String), r#""user-id""#);
        assert_eq!(v.argument("n", &TypeRef::I64), "1");
        assert_eq!(
            v.argument("j", &TypeRef::Json),
            "api::serde_json::json!({})"
        );
    }

    #[test]
    fn a_cycle_of_required_fields_ends() {
        let models = vec![model(
            "Node",
            ModelKind::Struct(vec![required("next", named("Node"))]),
        )];
        let value = values(&models).argument("node", &named("Node"));
        let levels = MAX_DEPTH + 1;
        let expected = format!(
            "{}Default::default(){}",
            "Node::new(".repeat(levels),
            ")".repeat(levels)
        );
        assert_eq!(value, expected);
    }

    #[test]
    fn the_matched_status_is_one_callers_handle() {
        let error = |status: &str| ErrorResponse {
            status: status.into(),
            description: String::new(),
            ty: None,
        };
        let statuses = |list: &[&str]| list.iter().map(|s| error(s)).collect::<Vec<_>>();
        let pick = |list: &[&str]| matched_status(&statuses(list)).map(|e| e.status.clone());
        assert_eq!(pick(&["400", "404", "500"]).as_deref(), Some("404"));
        assert_eq!(pick(&["401", "409"]).as_deref(), Some("409"));
        assert_eq!(pick(&["4XX", "503"]).as_deref(), Some("503"));
        assert_eq!(pick(&["default"]), None);
    }
}
