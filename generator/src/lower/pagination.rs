//! Pagination: which `GET` operations answer a page of a longer list, where
//! the page's items are and where the next page is. The settings' rules
//! come first (`[pagination]`), then the extensions that say so
//! (`x-dropshot-pagination`, `x-pagination`), then what the spec's shapes
//! show: a `Link` header, a next link or a cursor in the body.

use super::Lowerer;
use crate::ir::*;
use crate::settings::PageRuleSettings;
use std::collections::BTreeMap;

/// Body properties that hold the next page's URL (or a path on the API's
/// origin), as APIs name them.
const NEXT_LINKS: &[&str] = &[
    "next_page_uri",
    "next_page_url",
    "nextPageUri",
    "nextPageUrl",
    "next_url",
    "nextUrl",
    "next_link",
    "nextLink",
    "@odata.nextLink",
    "next",
];

/// Body objects that hold such properties in turn (Twilio's `meta`).
const LINK_HOLDERS: &[&str] = &["meta", "links", "_links", "pagination", "paging"];

/// Body properties that hold the next page's cursor, and the query
/// parameters that take one back.
const NEXT_CURSORS: &[&str] = &[
    "next_page",
    "next_page_token",
    "nextPageToken",
    "next_cursor",
    "nextCursor",
];
const CURSOR_PARAMS: &[&str] = &[
    "page_token",
    "pageToken",
    "next_page_token",
    "nextPageToken",
    "cursor",
    "after",
];

/// What an operation's extensions say about its pages.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum PageExtension {
    /// `x-dropshot-pagination`: `page_token` in, `next_page` and `items` out.
    Dropshot,
    /// `x-pagination`: `cursorParam`, `cursorPath` and `resultsPath` (or
    /// page numbers or offsets, which are not followed).
    XPagination(serde_json::Value),
}

/// What a paged operation's body is: a list, or a struct with fields.
enum Shape<'m> {
    List(&'m TypeRef),
    Struct(&'m [Field]),
}

/// The models by name, to look fields up.
type Models<'m> = BTreeMap<&'m str, &'m Model>;

impl Lowerer<'_> {
    /// Marks the paged operations of `groups`, given the models they use.
    pub(super) fn paginate(&mut self, groups: &mut [Group], models: &[Model]) {
        let models: Models<'_> = models.iter().map(|m| (m.name.as_str(), m)).collect();
        for op in groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
            if op.method != Method::Get || self.paging.exclude.contains(&op.id) {
                continue;
            }
            let extension = self.page_extensions.get(&op.id).cloned();
            op.pagination = pagination(
                op,
                extension.as_ref(),
                &self.paging.rules,
                self.paging.detect,
                &models,
            );
        }
    }
}

/// How `op` pages, by the first rule that fits it.
fn pagination(
    op: &Operation,
    extension: Option<&PageExtension>,
    rules: &[PageRuleSettings],
    detect: bool,
    models: &Models<'_>,
) -> Option<Pagination> {
    if op.responses.is_some() {
        return None;
    }
    let shape = shape(op.response.as_ref()?, models)?;
    for rule in rules {
        if !rule.operations.is_empty() && !rule.operations.contains(&op.id) {
            continue;
        }
        if let Some(p) = settings_rule(op, rule, &shape, models) {
            return Some(p);
        }
    }
    match extension {
        Some(PageExtension::Dropshot) => {
            return cursor(
                op,
                &shape,
                Some("items"),
                &["next_page"],
                "page_token",
                models,
            )
            .map(|p| Pagination {
                rule: PageRule::Dropshot,
                ..p
            });
        }
        Some(PageExtension::XPagination(value)) => {
            let text = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
            let (Some(param), Some(path)) = (text("cursorParam"), text("cursorPath")) else {
                return None;
            };
            let path: Vec<&str> = path.split('.').collect();
            return cursor(op, &shape, text("resultsPath"), &path, param, models).map(|p| {
                Pagination {
                    rule: PageRule::XPagination,
                    ..p
                }
            });
        }
        None => {}
    }
    if !detect {
        return None;
    }
    let declares_link = (op.response_headers.iter())
        .flat_map(|h| &h.headers)
        .any(|h| h.name.eq_ignore_ascii_case("link"));
    if declares_link {
        if let Some((items, item)) = items_of(&shape, None) {
            return Some(Pagination {
                rule: PageRule::LinkHeader,
                items,
                item,
                next: NextPage::LinkHeader,
            });
        }
    }
    let Shape::Struct(fields) = &shape else {
        return None;
    };
    if let Some(path) = next_link(fields, models) {
        let (items, item) = items_of(&shape, None)?;
        return Some(Pagination {
            rule: PageRule::BodyLink,
            items,
            item,
            next: NextPage::Link(path),
        });
    }
    for name in NEXT_CURSORS {
        for param in CURSOR_PARAMS {
            if let Some(p) = cursor(op, &shape, None, &[name], param, models) {
                return Some(Pagination {
                    rule: PageRule::BodyCursor,
                    ..p
                });
            }
        }
    }
    None
}

/// `rule` applied to `op`, when it fits.
fn settings_rule(
    op: &Operation,
    rule: &PageRuleSettings,
    shape: &Shape<'_>,
    models: &Models<'_>,
) -> Option<Pagination> {
    let (items, item) = items_of(shape, Some(rule.items.as_deref()))?;
    let next = if let Some(link) = &rule.next_link {
        let path: Vec<&str> = link.split('.').collect();
        string_at(shape, &path, models)?;
        NextPage::Link(path.iter().map(|s| (*s).to_owned()).collect())
    } else if let (Some(cursor), Some(param)) = (&rule.next_cursor, &rule.cursor_param) {
        let path: Vec<&str> = cursor.split('.').collect();
        string_at(shape, &path, models)?;
        NextPage::Cursor(
            path.iter().map(|s| (*s).to_owned()).collect(),
            cursor_param(op, param)?,
        )
    } else if rule.link_header {
        NextPage::LinkHeader
    } else if let Some(param) = &rule.page_param {
        let param = optional_query(op, param, |ty| matches!(ty, TypeRef::I32 | TypeRef::I64))?;
        NextPage::PageNumber {
            param,
            first: rule.first_page.unwrap_or(1),
        }
    } else {
        return None;
    };
    Some(Pagination {
        rule: PageRule::Settings,
        items,
        item,
        next,
    })
}

/// A cursor rule: the items (`items`, or the body's one list), the cursor
/// at `path`, and the query parameter `param` that sends it back.
fn cursor(
    op: &Operation,
    shape: &Shape<'_>,
    items: Option<&str>,
    path: &[&str],
    param: &str,
    models: &Models<'_>,
) -> Option<Pagination> {
    let (items, item) = items_of(shape, Some(items))?;
    string_at(shape, path, models)?;
    let param = cursor_param(op, param)?;
    Some(Pagination {
        rule: PageRule::BodyCursor,
        items,
        item,
        next: NextPage::Cursor(path.iter().map(|s| (*s).to_owned()).collect(), param),
    })
}

/// The index of the optional string query parameter `name`.
fn cursor_param(op: &Operation, name: &str) -> Option<usize> {
    optional_query(op, name, |ty| *ty == TypeRef::String)
}

/// The index of the optional query parameter `name`, when its type `fits`:
/// each page's request sets it, so it must be the builder's to set.
fn optional_query(op: &Operation, name: &str, fits: fn(&TypeRef) -> bool) -> Option<usize> {
    op.params.iter().position(|p| {
        p.name == name && p.location == ParamLocation::Query && !p.required && fits(&p.ty)
    })
}

/// What the body of type `ty` is.
fn shape<'m>(ty: &'m TypeRef, models: &Models<'m>) -> Option<Shape<'m>> {
    match ty {
        TypeRef::Vec(item) => Some(Shape::List(item)),
        TypeRef::Named(name) => match &models.get(name.as_str())?.kind {
            ModelKind::Struct(fields) => Some(Shape::Struct(fields)),
            ModelKind::Alias(TypeRef::Vec(item)) => Some(Shape::List(item)),
            _ => None,
        },
        _ => None,
    }
}

/// Where the items are and their type: the field named `wanted` (when
/// `Some(Some(name))`), the body itself when it is a list, or the struct's
/// one list field (when `wanted` is `None` or `Some(None)`).
fn items_of(shape: &Shape<'_>, wanted: Option<Option<&str>>) -> Option<(PageItems, TypeRef)> {
    match (shape, wanted.flatten()) {
        (Shape::List(item), None) => Some((PageItems::Body, (*item).clone())),
        (Shape::List(_), Some(_)) => None,
        (Shape::Struct(fields), Some(name)) => fields.iter().find_map(|f| match &f.ty {
            TypeRef::Vec(item) if f.name == name => {
                Some((PageItems::Field(f.name.clone()), (**item).clone()))
            }
            _ => None,
        }),
        (Shape::Struct(fields), None) => {
            let mut lists = fields.iter().filter_map(|f| match &f.ty {
                TypeRef::Vec(item) => Some((f, item)),
                _ => None,
            });
            let (field, item) = lists.next()?;
            lists
                .next()
                .is_none()
                .then(|| (PageItems::Field(field.name.clone()), (**item).clone()))
        }
    }
}

/// A body property named as next links are, at the top or in one of the
/// objects that hold them.
fn next_link(fields: &[Field], models: &Models<'_>) -> Option<Vec<String>> {
    let shape = Shape::Struct(fields);
    for name in NEXT_LINKS {
        if string_at(&shape, &[name], models).is_some() {
            return Some(vec![(*name).to_owned()]);
        }
    }
    for holder in LINK_HOLDERS {
        for name in NEXT_LINKS {
            if string_at(&shape, &[holder, name], models).is_some() {
                return Some(vec![(*holder).to_owned(), (*name).to_owned()]);
            }
        }
    }
    None
}

/// Whether the property at `path` (names on the wire) is a string.
fn string_at(shape: &Shape<'_>, path: &[&str], models: &Models<'_>) -> Option<()> {
    let Shape::Struct(mut fields) = shape else {
        return None;
    };
    let (last, holders) = path.split_last()?;
    for holder in holders {
        let field = fields.iter().find(|f| f.name == *holder)?;
        match shape_of_field(&field.ty, models)? {
            Shape::Struct(inner) => fields = inner,
            Shape::List(_) => return None,
        }
    }
    let field = fields.iter().find(|f| f.name == *last)?;
    (field.ty == TypeRef::String).then_some(())
}

fn shape_of_field<'m>(ty: &'m TypeRef, models: &Models<'m>) -> Option<Shape<'m>> {
    match ty {
        TypeRef::Named(_) => shape(ty, models),
        _ => None,
    }
}

/// How many operations each rule pages, for the generator's summary.
pub fn summary(api: &Api) -> BTreeMap<PageRule, usize> {
    let mut counts = BTreeMap::new();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        if let Some(p) = &op.pagination {
            *counts.entry(p.rule).or_default() += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::sample::{field, operation};

    fn model(name: &str, fields: Vec<Field>) -> Model {
        crate::ir::sample::model(name, ModelKind::Struct(fields))
    }

    fn list(of: &str) -> TypeRef {
        TypeRef::Vec(Box::new(TypeRef::Named(of.into())))
    }

    fn query(name: &str) -> Param {
        Param {
            name: name.into(),
            ident: crate::naming::snake(name),
            location: ParamLocation::Query,
            required: false,
            ty: TypeRef::String,
            list_style: ListStyle::Repeated,
            description: None,
            deprecated: false,
        }
    }

    fn get(response: &str, params: Vec<Param>) -> Operation {
        let mut op = operation("listThings", None);
        op.method = Method::Get;
        op.response = Some(TypeRef::Named(response.into()));
        op.params = params;
        op
    }

    fn paged(
        op: &Operation,
        models: &[Model],
        rules: &[PageRuleSettings],
        ext: Option<PageExtension>,
    ) -> Option<Pagination> {
        let models: Models<'_> = models.iter().map(|m| (m.name.as_str(), m)).collect();
        pagination(op, ext.as_ref(), rules, true, &models)
    }

    #[test]
    fn a_next_link_in_the_body_or_its_meta_object_pages_the_one_list() {
        let models = [
            model(
                "Calls",
                vec![
                    field("calls", list("Call")),
                    field("next_page_uri", TypeRef::String),
                    field("page", TypeRef::I64),
                ],
            ),
            model("Meta", vec![field("next_page_url", TypeRef::String)]),
            model(
                "Conversations",
                vec![
                    field("conversations", list("Conversation")),
                    field("meta", TypeRef::Named("Meta".into())),
                ],
            ),
        ];
        let p = paged(&get("Calls", vec![]), &models, &[], None).unwrap();
        assert_eq!(p.rule, PageRule::BodyLink);
        assert_eq!(p.items, PageItems::Field("calls".into()));
        assert_eq!(p.item, TypeRef::Named("Call".into()));
        assert_eq!(p.next, NextPage::Link(vec!["next_page_uri".into()]));
        let p = paged(&get("Conversations", vec![]), &models, &[], None).unwrap();
        assert_eq!(
            p.next,
            NextPage::Link(vec!["meta".into(), "next_page_url".into()])
        );
        // Not a GET: a link is followed with GET, so it does not page.
        let mut post = get("Calls", vec![]);
        post.method = Method::Post;
        let mut groups = vec![crate::ir::sample::group("Things", vec![post])];
        let doc = crate::load::load(&crate::load::Source::new(
            "t.json",
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}"#.to_owned(),
        ))
        .unwrap();
        let settings = crate::settings::Settings::default();
        Lowerer::new(&doc, &settings).paginate(&mut groups, &models);
        assert_eq!(groups[0].operations[0].pagination, None);
    }

    #[test]
    fn a_cursor_pages_only_with_the_parameter_that_sends_it_back() {
        let models = [model(
            "Page",
            vec![
                field("items", list("Thing")),
                field("next_page", TypeRef::String),
            ],
        )];
        assert_eq!(paged(&get("Page", vec![]), &models, &[], None), None);
        let op = get("Page", vec![query("limit"), query("page_token")]);
        let p = paged(&op, &models, &[], None).unwrap();
        assert_eq!(p.rule, PageRule::BodyCursor);
        assert_eq!(p.next, NextPage::Cursor(vec!["next_page".into()], 1));
        let p = paged(&op, &models, &[], Some(PageExtension::Dropshot)).unwrap();
        assert_eq!(p.rule, PageRule::Dropshot);
    }

    #[test]
    fn the_link_header_pages_a_list_body_and_two_lists_are_no_page() {
        let mut op = operation("listRepos", None);
        op.method = Method::Get;
        op.response = Some(list("Repo"));
        op.response_headers = Some(ResponseHeaders {
            name: "ListReposHeaders".into(),
            headers: vec![ResponseHeader {
                name: "Link".into(),
                ident: "link".into(),
                ty: TypeRef::String,
                description: None,
                deprecated: false,
            }],
        });
        let p = paged(&op, &[], &[], None).unwrap();
        assert_eq!(
            (p.rule, p.items, p.next),
            (PageRule::LinkHeader, PageItems::Body, NextPage::LinkHeader)
        );
        let models = [model(
            "Two",
            vec![
                field("a", list("Thing")),
                field("b", list("Thing")),
                field("next", TypeRef::String),
            ],
        )];
        assert_eq!(paged(&get("Two", vec![]), &models, &[], None), None);
    }

    #[test]
    fn a_settings_rule_names_the_items_and_the_next_link() {
        let models = [model(
            "UserEntityListing",
            vec![
                field("entities", list("User")),
                field("nextUri", TypeRef::String),
                field("pageNumber", TypeRef::I32),
            ],
        )];
        let op = get("UserEntityListing", vec![]);
        // `nextUri` is no name the built-in rules know.
        assert_eq!(paged(&op, &models, &[], None), None);
        let rule = PageRuleSettings {
            items: Some("entities".into()),
            next_link: Some("nextUri".into()),
            ..Default::default()
        };
        let p = paged(&op, &models, std::slice::from_ref(&rule), None).unwrap();
        assert_eq!(p.rule, PageRule::Settings);
        assert_eq!(p.items, PageItems::Field("entities".into()));
        assert_eq!(p.next, NextPage::Link(vec!["nextUri".into()]));
        let elsewhere = PageRuleSettings {
            operations: vec!["other".into()],
            ..rule
        };
        assert_eq!(paged(&op, &models, &[elsewhere], None), None);
    }

    #[test]
    fn a_page_number_rule_needs_an_integer_query_parameter() {
        let mut op = operation("listThings", None);
        op.method = Method::Get;
        op.response = Some(list("Thing"));
        let rule = PageRuleSettings {
            page_param: Some("page".into()),
            first_page: Some(0),
            ..Default::default()
        };
        op.params = vec![query("page")];
        assert_eq!(paged(&op, &[], std::slice::from_ref(&rule), None), None);
        op.params[0].ty = TypeRef::I32;
        let p = paged(&op, &[], &[rule], None).unwrap();
        assert_eq!(p.next, NextPage::PageNumber { param: 0, first: 0 });
        assert_eq!(p.items, PageItems::Body);
    }
}
