//! Cargo features of the emitted crate: one per operation group (tag), each
//! compiling that group's operations and exactly the models they reach.
//!
//! A pure analysis of the [`ir`](crate::ir): [`plan`] walks the type graph from
//! every operation (parameters, body, success responses, typed error bodies)
//! through struct fields, aliases and union variants, so a model a feature
//! compiles only ever names models the same feature compiles — a build with any
//! set of features has no dangling `use` and nothing unused. The same walk
//! ([`reached`]) decides which models a tag selection keeps
//! ([`select`](crate::select)).
//!
//! Decisions:
//! - The error model ([`Api::error_model`], decoded by every `ApiError`) and
//!   what it reaches are compiled whatever the features.
//! - Models no operation reaches (and the error model does not either) are
//!   compiled by one more feature, [`UNREFERENCED_MODELS`], so that a build
//!   with one tag does not pay for schemas nothing uses.
//! - Feature names are the groups' module names (`snake_case`, unique, never
//!   `default`). They may equal a dependency's name (a tag `Serde` gives a
//!   feature `serde`): Cargo accepts a feature named like a non-optional
//!   dependency, and the emitted crate has no optional ones, so no renaming is
//!   needed. [`UNREFERENCED_MODELS`] holds a `-`, which no module name does.
//! - Every feature is on by default (see the `Cargo.toml` template).

use crate::ir::{Api, ModelKind, Operation, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// The feature that compiles the models no operation reaches.
pub const UNREFERENCED_MODELS: &str = "unreferenced-models";

/// The features of an emitted crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    /// One feature per group, in the order of [`Api::groups`].
    pub groups: Vec<Feature>,
    /// [`UNREFERENCED_MODELS`], when some model is reached by no operation.
    pub unreferenced: Option<Feature>,
    /// Models compiled whatever the features: the error model and what it reaches.
    pub always: BTreeSet<String>,
}

/// One Cargo feature and the models it compiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    pub name: String,
    /// Every model the feature reaches, transitively (models in
    /// [`Features::always`] included).
    pub models: BTreeSet<String>,
}

impl Features {
    /// Every feature, groups first, in a fixed order.
    pub fn all(&self) -> impl Iterator<Item = &Feature> {
        self.groups.iter().chain(self.unreferenced.iter())
    }

    /// For every model: the features that compile it, in the order of
    /// [`Features::all`]; an empty list for a model compiled always.
    pub fn by_model(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut out: BTreeMap<&str, Vec<&str>> = self
            .always
            .iter()
            .map(|m| (m.as_str(), Vec::new()))
            .collect();
        for feature in self.all() {
            for model in &feature.models {
                if !self.always.contains(model) {
                    out.entry(model.as_str())
                        .or_default()
                        .push(feature.name.as_str());
                }
            }
        }
        out
    }
}

/// The features of `api`: one per group, named after its module.
pub fn plan(api: &Api) -> Features {
    let graph = Graph::new(api);
    let groups: Vec<Feature> = api
        .groups
        .iter()
        .map(|g| {
            let mut roots = Vec::new();
            for op in &g.operations {
                operation_types(op, &mut roots);
            }
            Feature {
                name: g.module.clone(),
                models: graph.closure(roots),
            }
        })
        .collect();
    let mut error_roots = Vec::new();
    if let Some(name) = &api.error_model {
        error_roots.push(name.as_str());
    }
    let always = graph.closure(error_roots);
    let reached: BTreeSet<&str> = groups
        .iter()
        .flat_map(|f| f.models.iter())
        .chain(always.iter())
        .map(String::as_str)
        .collect();
    let orphans: Vec<&str> = api
        .models
        .iter()
        .map(|m| m.name.as_str())
        .filter(|m| !reached.contains(m))
        .collect();
    let unreferenced = (!orphans.is_empty()).then(|| Feature {
        name: UNREFERENCED_MODELS.to_owned(),
        models: graph.closure(orphans),
    });
    Features {
        groups,
        unreferenced,
        always,
    }
}

/// The models a crate holding only `operations` compiles: the models they
/// reach, as each feature's are found, with the error model and what it
/// reaches.
pub fn reached<'a>(
    api: &'a Api,
    operations: impl IntoIterator<Item = &'a Operation>,
) -> BTreeSet<String> {
    let mut roots = Vec::new();
    for op in operations {
        operation_types(op, &mut roots);
    }
    roots.extend(api.error_model.as_deref());
    Graph::new(api).closure(roots)
}

/// The named types an operation mentions (possibly more than once).
fn operation_types<'a>(op: &'a Operation, out: &mut Vec<&'a str>) {
    for p in &op.params {
        named(&p.ty, out);
    }
    if let Some(b) = &op.body {
        named(&b.ty, out);
    }
    if let Some(t) = &op.response {
        named(t, out);
    }
    if let Some(r) = &op.responses {
        for v in r.variants.iter().filter_map(|v| v.ty.as_ref()) {
            named(v, out);
        }
    }
    // Typed error bodies are linked from the operation's docs.
    for t in op.errors.iter().filter_map(|e| e.ty.as_ref()) {
        named(t, out);
    }
}

fn named<'a>(ty: &'a TypeRef, out: &mut Vec<&'a str>) {
    match ty {
        TypeRef::Named(n) => out.push(n),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => named(inner, out),
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Json
        | TypeRef::Bytes
        | TypeRef::File => {}
    }
}

/// The models and the models each one names directly, by index.
struct Graph<'a> {
    names: Vec<&'a str>,
    index: BTreeMap<&'a str, usize>,
    edges: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    fn new(api: &'a Api) -> Self {
        let names: Vec<&str> = api.models.iter().map(|m| m.name.as_str()).collect();
        let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let edges = api
            .models
            .iter()
            .map(|m| {
                let mut out = Vec::new();
                match &m.kind {
                    ModelKind::Struct(fields) => fields.iter().for_each(|f| named(&f.ty, &mut out)),
                    ModelKind::Alias(ty) => named(ty, &mut out),
                    ModelKind::Union(u) => u.variants.iter().for_each(|v| named(&v.ty, &mut out)),
                    ModelKind::Enum(_) => {}
                }
                let mut out: Vec<usize> =
                    out.iter().filter_map(|n| index.get(n).copied()).collect();
                out.sort_unstable();
                out.dedup();
                out
            })
            .collect();
        Graph {
            names,
            index,
            edges,
        }
    }

    /// The models reachable from `roots` (themselves included); names that
    /// are no model are ignored.
    fn closure(&self, roots: Vec<&str>) -> BTreeSet<String> {
        let mut seen = vec![false; self.names.len()];
        let mut stack: Vec<usize> = roots
            .iter()
            .filter_map(|r| self.index.get(r).copied())
            .collect();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            stack.extend(self.edges[i].iter().copied().filter(|j| !seen[*j]));
        }
        seen.iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(i, _)| self.names[i].to_owned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::sample::{field, group, model, named, operation};
    use crate::ir::*;

    fn op(id: &str, response: Option<TypeRef>, params: Vec<TypeRef>) -> Operation {
        let mut op = operation(id, response);
        op.params = params
            .into_iter()
            .enumerate()
            .map(|(i, ty)| Param {
                name: format!("p{i}"),
                ident: format!("p{i}"),
                location: ParamLocation::Query,
                required: false,
                ty,
                description: None,
                list_style: ListStyle::Repeated,
                deprecated: false,
            })
            .collect();
        op
    }

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn reachability_follows_fields_aliases_unions_and_operations() {
        let api = Api {
            title: "t".into(),
            version: "1".into(),
            description: None,
            default_base_url: "https://x".into(),
            servers: Vec::new(),
            schemes: Vec::new(),
            groups: vec![
                group(
                    "a",
                    vec![op("getA", Some(TypeRef::Vec(Box::new(named("A")))), vec![])],
                ),
                group("b", vec![op("getB", None, vec![named("Kind")])]),
            ],
            models: vec![
                model(
                    "A",
                    ModelKind::Struct(vec![field("inner", TypeRef::Map(Box::new(named("Inner"))))]),
                ),
                model("Inner", ModelKind::Alias(named("Leaf"))),
                model(
                    "Leaf",
                    ModelKind::Struct(vec![field("kind", named("Kind"))]),
                ),
                model("Kind", ModelKind::Enum(Vec::new())),
                model(
                    "Problem",
                    ModelKind::Struct(vec![field("detail", named("Detail"))]),
                ),
                model("Detail", ModelKind::Struct(Vec::new())),
                model(
                    "Orphan",
                    ModelKind::Union(Union {
                        discriminator: None,
                        variants: vec![UnionVariant {
                            ident: "Leaf".into(),
                            ty: named("Leaf"),
                            tags: Vec::new(),
                            boxed: false,
                        }],
                        scalar: false,
                    }),
                ),
            ],
            error_model: Some("Problem".into()),
        };
        let f = plan(&api);
        assert_eq!(f.groups[0].name, "a");
        assert_eq!(f.groups[0].models, set(&["A", "Inner", "Kind", "Leaf"]));
        assert_eq!(f.groups[1].models, set(&["Kind"]));
        assert_eq!(f.always, set(&["Detail", "Problem"]));
        let unreferenced = f
            .unreferenced
            .as_ref()
            .expect("Orphan is reached by nothing");
        assert_eq!(unreferenced.name, UNREFERENCED_MODELS);
        assert_eq!(unreferenced.models, set(&["Kind", "Leaf", "Orphan"]));
        let by_model = f.by_model();
        assert_eq!(by_model["Kind"], vec!["a", "b", UNREFERENCED_MODELS]);
        assert_eq!(by_model["Leaf"], vec!["a", UNREFERENCED_MODELS]);
        assert_eq!(by_model["Problem"], Vec::<&str>::new());
        assert_eq!(by_model.len(), api.models.len());
    }
}
