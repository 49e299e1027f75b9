//! Specializing a runtime module for one crate: the items, fields,
//! variants, statements, match arms, parameters and attributes under a
//! `#[cfg(…)]` of the runtime's features are kept when the crate carries the
//! parts they name, left out when it does not, and lose the `cfg` either way;
//! `#[cfg_attr(…)]` becomes its attributes or nothing. `cfg(test)` is never
//! true: the runtime's unit tests stay in the runtime. A `cfg` of one of the
//! generated crate's own features ([`CRATE_FEATURES`]) stays as it is, for
//! the crate's build to decide.

use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Meta, Token};

use super::parts::{Part, Parts, CRATE_FEATURES};

/// `source`, a runtime module, with what `parts` leaves out taken away,
/// printed. An error names what the runtime's source does wrong: a feature
/// that is no part, a `cfg` the specializer does not read, or one where it
/// does not look.
pub fn specialize(source: &str, parts: &Parts) -> Result<String, String> {
    let mut file = syn::parse_file(source).map_err(|e| format!("not valid Rust: {e}"))?;
    let mut specializer = Specializer { parts, error: None };
    specializer.visit_file_mut(&mut file);
    match specializer.error {
        Some(error) => Err(error),
        None => Ok(prettyplease::unparse(&file)),
    }
}

/// Whether `predicate`, a `cfg` predicate of the runtime, holds for `parts`.
pub fn holds(predicate: &Meta, parts: &Parts) -> Result<bool, String> {
    match predicate {
        Meta::Path(path) if path.is_ident("test") => Ok(false),
        Meta::NameValue(nv) if nv.path.is_ident("feature") => {
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            }) = &nv.value
            else {
                return Err("a feature's name must be a string".to_owned());
            };
            let name = name.value();
            let part = Part::from_feature(&name)
                .ok_or_else(|| format!("`{name}` is not a part of the runtime (see `Part`)"))?;
            Ok(parts.has(part))
        }
        Meta::List(list) => {
            let nested = list
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .map_err(|e| format!("unreadable cfg predicate: {e}"))?;
            let values = (nested.iter())
                .map(|p| holds(p, parts))
                .collect::<Result<Vec<bool>, String>>()?;
            if list.path.is_ident("all") {
                Ok(values.iter().all(|v| *v))
            } else if list.path.is_ident("any") {
                Ok(values.iter().any(|v| *v))
            } else if list.path.is_ident("not") && values.len() == 1 {
                Ok(!values[0])
            } else {
                Err(
                    "a cfg predicate is `feature = \"…\"`, `test`, `all`, `any` or `not`"
                        .to_owned(),
                )
            }
        }
        _ => Err("a cfg predicate is `feature = \"…\"`, `test`, `all`, `any` or `not`".to_owned()),
    }
}

struct Specializer<'a> {
    parts: &'a Parts,
    error: Option<String>,
}

impl Specializer<'_> {
    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// Whether what carries `attrs` stays; its `cfg`s are removed and its
    /// `cfg_attr`s replaced by their attributes when they hold.
    fn keep(&mut self, attrs: &mut Vec<Attribute>) -> bool {
        let mut kept = Vec::with_capacity(attrs.len());
        let mut stays = true;
        for attr in std::mem::take(attrs) {
            if is_crate_cfg(&attr) {
                kept.push(attr);
            } else if attr.path().is_ident("cfg") {
                match attr.parse_args::<Meta>().map_err(|e| e.to_string()) {
                    Ok(predicate) => match holds(&predicate, self.parts) {
                        Ok(value) => stays &= value,
                        Err(e) => self.fail(e),
                    },
                    Err(e) => self.fail(format!("unreadable cfg: {e}")),
                }
            } else if attr.path().is_ident("cfg_attr") {
                let args = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated);
                let Ok(args) = args else {
                    self.fail("unreadable cfg_attr".to_owned());
                    continue;
                };
                let mut args = args.into_iter();
                let Some(predicate) = args.next() else {
                    self.fail("cfg_attr without a predicate".to_owned());
                    continue;
                };
                match holds(&predicate, self.parts) {
                    Ok(true) => {
                        let inner = matches!(attr.style, syn::AttrStyle::Inner(_));
                        kept.extend(args.map(|meta| Attribute {
                            pound_token: Default::default(),
                            style: match inner {
                                true => syn::AttrStyle::Inner(Default::default()),
                                false => syn::AttrStyle::Outer,
                            },
                            bracket_token: Default::default(),
                            meta,
                        }))
                    }
                    Ok(false) => {}
                    Err(e) => self.fail(e),
                }
            } else {
                kept.push(attr);
            }
        }
        *attrs = kept;
        stays
    }

    /// The values whose attributes keep them, their `cfg`s resolved.
    fn retain<T>(
        &mut self,
        values: Vec<T>,
        attrs: fn(&mut T) -> Option<&mut Vec<Attribute>>,
    ) -> Vec<T> {
        let mut kept = Vec::with_capacity(values.len());
        for mut value in values {
            if attrs(&mut value).is_none_or(|a| self.keep(a)) {
                kept.push(value);
            }
        }
        kept
    }

    fn retain_punctuated<T, P: Default>(
        &mut self,
        values: &mut Punctuated<T, P>,
        attrs: fn(&mut T) -> Option<&mut Vec<Attribute>>,
    ) {
        let taken: Vec<T> = std::mem::take(values).into_iter().collect();
        *values = self.retain(taken, attrs).into_iter().collect();
    }
}

/// Whether `attr` is a `cfg` (or `cfg_attr`) of the generated crate's own
/// features only: `feature = "test-util"`, or `not`, `any` or `all` of such.
fn is_crate_cfg(attr: &Attribute) -> bool {
    fn crate_feature(meta: &Meta) -> bool {
        match meta {
            Meta::NameValue(nv) if nv.path.is_ident("feature") => matches!(
                &nv.value,
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. })
                    if CRATE_FEATURES.contains(&name.value().as_str())
            ),
            Meta::List(list) if list.path.is_ident("not") => list
                .parse_args::<Meta>()
                .is_ok_and(|inner| crate_feature(&inner)),
            Meta::List(list) if list.path.is_ident("any") || list.path.is_ident("all") => list
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .is_ok_and(|inner| !inner.is_empty() && inner.iter().all(crate_feature)),
            _ => false,
        }
    }
    if attr.path().is_ident("cfg") {
        return attr.parse_args::<Meta>().is_ok_and(|p| crate_feature(&p));
    }
    if attr.path().is_ident("cfg_attr") {
        let args = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated);
        return args.is_ok_and(|args| args.first().is_some_and(crate_feature));
    }
    false
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn impl_item_attrs(item: &mut syn::ImplItem) -> Option<&mut Vec<Attribute>> {
    use syn::ImplItem;
    Some(match item {
        ImplItem::Const(i) => &mut i.attrs,
        ImplItem::Fn(i) => &mut i.attrs,
        ImplItem::Type(i) => &mut i.attrs,
        ImplItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

fn trait_item_attrs(item: &mut syn::TraitItem) -> Option<&mut Vec<Attribute>> {
    use syn::TraitItem;
    Some(match item {
        TraitItem::Const(i) => &mut i.attrs,
        TraitItem::Fn(i) => &mut i.attrs,
        TraitItem::Type(i) => &mut i.attrs,
        TraitItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

fn stmt_attrs(stmt: &mut syn::Stmt) -> Option<&mut Vec<Attribute>> {
    match stmt {
        syn::Stmt::Local(local) => Some(&mut local.attrs),
        syn::Stmt::Item(item) => item_attrs(item),
        syn::Stmt::Macro(mac) => Some(&mut mac.attrs),
        syn::Stmt::Expr(expr, _) => expr_attrs(expr),
    }
}

/// The outer attributes of an expression statement, where Rust reads a
/// `cfg` on it.
fn expr_attrs(expr: &mut syn::Expr) -> Option<&mut Vec<Attribute>> {
    use syn::Expr;
    Some(match expr {
        Expr::Assign(e) => &mut e.attrs,
        Expr::Call(e) => &mut e.attrs,
        Expr::MethodCall(e) => &mut e.attrs,
        Expr::If(e) => &mut e.attrs,
        Expr::Match(e) => &mut e.attrs,
        Expr::ForLoop(e) => &mut e.attrs,
        Expr::Block(e) => &mut e.attrs,
        Expr::Macro(e) => &mut e.attrs,
        Expr::Return(e) => &mut e.attrs,
        Expr::Path(e) => &mut e.attrs,
        Expr::Struct(e) => &mut e.attrs,
        _ => return None,
    })
}

impl VisitMut for Specializer<'_> {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        if !self.keep(&mut file.attrs) {
            self.fail(
                "a module is carried whole or not at all: its inner attributes take no `cfg`"
                    .to_owned(),
            );
        }
        file.items = self.retain(std::mem::take(&mut file.items), item_attrs);
        visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            *items = self.retain(std::mem::take(items), item_attrs);
        }
        visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        item.items = self.retain(std::mem::take(&mut item.items), impl_item_attrs);
        visit_mut::visit_item_impl_mut(self, item);
    }

    fn visit_item_trait_mut(&mut self, item: &mut syn::ItemTrait) {
        item.items = self.retain(std::mem::take(&mut item.items), trait_item_attrs);
        visit_mut::visit_item_trait_mut(self, item);
    }

    /// A block statement under a `cfg`, once kept, gives its statements to
    /// the enclosing block when it declares nothing (as it reads in a
    /// hand-written crate without the part).
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let mut stmts = Vec::with_capacity(block.stmts.len());
        for mut stmt in std::mem::take(&mut block.stmts) {
            let gated = stmt_attrs(&mut stmt)
                .is_some_and(|attrs| attrs.iter().any(|a| a.path().is_ident("cfg")));
            if !stmt_attrs(&mut stmt).is_none_or(|attrs| self.keep(attrs)) {
                continue;
            }
            match stmt {
                syn::Stmt::Expr(syn::Expr::Block(inner), _)
                    if gated
                        && inner.attrs.is_empty()
                        && inner.label.is_none()
                        && !inner
                            .block
                            .stmts
                            .iter()
                            .any(|s| matches!(s, syn::Stmt::Local(_) | syn::Stmt::Item(_))) =>
                {
                    stmts.extend(inner.block.stmts);
                }
                stmt => stmts.push(stmt),
            }
        }
        block.stmts = stmts;
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_fields_named_mut(&mut self, fields: &mut syn::FieldsNamed) {
        self.retain_punctuated(&mut fields.named, |f| Some(&mut f.attrs));
        visit_mut::visit_fields_named_mut(self, fields);
    }

    fn visit_fields_unnamed_mut(&mut self, fields: &mut syn::FieldsUnnamed) {
        self.retain_punctuated(&mut fields.unnamed, |f| Some(&mut f.attrs));
        visit_mut::visit_fields_unnamed_mut(self, fields);
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        self.retain_punctuated(&mut item.variants, |v| Some(&mut v.attrs));
        visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        self.retain_punctuated(&mut expr.fields, |f| Some(&mut f.attrs));
        visit_mut::visit_expr_struct_mut(self, expr);
    }

    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        expr.arms = self.retain(std::mem::take(&mut expr.arms), |a| Some(&mut a.attrs));
        visit_mut::visit_expr_match_mut(self, expr);
    }

    fn visit_signature_mut(&mut self, signature: &mut syn::Signature) {
        self.retain_punctuated(&mut signature.inputs, |arg| {
            Some(match arg {
                syn::FnArg::Receiver(r) => &mut r.attrs,
                syn::FnArg::Typed(t) => &mut t.attrs,
            })
        });
        visit_mut::visit_signature_mut(self, signature);
    }

    fn visit_attribute_mut(&mut self, attr: &mut Attribute) {
        // Every place a `cfg` is read has resolved its own already.
        if (attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr")) && !is_crate_cfg(attr)
        {
            self.fail(format!(
                "a `{}` where the generator does not read one: put it on an item, field, variant, statement, match arm or parameter",
                attr.path().get_ident().map(ToString::to_string).unwrap_or_default()
            ));
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("cfg") {
            self.fail("`cfg!` cannot be specialized: use `#[cfg]` on a statement".to_owned());
        }
        visit_mut::visit_macro_mut(self, mac);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(list: &[Part]) -> Parts {
        list.iter().copied().collect()
    }

    fn tidy(text: &str) -> String {
        prettyplease::unparse(&syn::parse_file(text).unwrap())
    }

    #[test]
    fn keeps_what_the_parts_carry_and_drops_the_rest() {
        let source = r#"
            #[cfg(feature = "oauth")]
            use a::Token;
            /// Docs.
            #[cfg_attr(feature = "oauth", doc = "With OAuth.")]
            struct Inner {
                base: String,
                #[cfg(feature = "oauth")]
                token: Token,
                #[cfg(not(feature = "oauth"))]
                plain: bool,
            }
            enum Attempt {
                Done,
                #[cfg(any(feature = "oauth", feature = "held"))]
                Again,
            }
            fn call(a: u32, #[cfg(all(feature = "oauth", feature = "held"))] b: u32) -> u32 {
                #[cfg(feature = "oauth")]
                let a = a + 1;
                match a {
                    #[cfg(feature = "held")]
                    1 => 2,
                    _ => Inner { base: String::new(), #[cfg(feature = "oauth")] token: Token }.len(),
                }
            }
            #[cfg(test)]
            mod tests {}
        "#;
        let got = specialize(source, &parts(&[Part::OAuth])).unwrap();
        let want = r#"
            use a::Token;
            /// Docs.
            #[doc = "With OAuth."]
            struct Inner { base: String, token: Token }
            enum Attempt { Done, Again }
            fn call(a: u32) -> u32 {
                let a = a + 1;
                match a {
                    _ => Inner { base: String::new(), token: Token }.len(),
                }
            }
        "#;
        assert_eq!(got, tidy(want));
        let none = specialize(source, &parts(&[])).unwrap();
        assert!(
            none.contains("plain: bool") && !none.contains("Token") && !none.contains("Again"),
            "{none}"
        );
    }

    #[test]
    fn a_kept_block_gives_its_statements_to_the_enclosing_one() {
        let source = r#"
            fn f(mut a: u32) -> u32 {
                #[cfg(feature = "oauth")]
                {
                    a += 1;
                }
                #[cfg(feature = "oauth")]
                {
                    let b = 2;
                    a += b;
                }
                a
            }
        "#;
        let got = specialize(source, &parts(&[Part::OAuth])).unwrap();
        assert_eq!(
            got,
            tidy("fn f(mut a: u32) -> u32 { a += 1; { let b = 2; a += b; } a }")
        );
    }

    #[test]
    fn the_crates_own_features_are_left_to_its_build() {
        let source = r#"
            #[cfg(feature = "test-util")]
            pub mod mock;
            struct S {
                #[cfg(not(feature = "test-util"))]
                a: u8,
                #[cfg(feature = "oauth")]
                b: u8,
            }
            #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
            fn ring() {}
            #[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc")))]
            compile_error!("no provider");
        "#;
        let got = specialize(source, &parts(&[])).unwrap();
        let want = r#"
            #[cfg(feature = "test-util")]
            pub mod mock;
            struct S {
                #[cfg(not(feature = "test-util"))]
                a: u8,
            }
            #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
            fn ring() {}
            #[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc")))]
            compile_error!("no provider");
        "#;
        assert_eq!(got, tidy(want));
    }

    #[test]
    fn refuses_what_it_cannot_specialize() {
        let unknown = specialize(r#"#[cfg(feature = "oath")] fn f() {}"#, &Parts::default());
        assert!(unknown.unwrap_err().contains("`oath` is not a part"));
        let nested = specialize(
            r#"fn f() -> u8 { 1 + #[cfg(feature = "oauth")] 2 }"#,
            &Parts::default(),
        );
        assert!(nested.is_err());
        let other = specialize(r#"#[cfg(unix)] fn f() {}"#, &Parts::default());
        assert!(other.unwrap_err().contains("a cfg predicate is"));
        let macro_cfg = specialize(
            r#"fn f() -> bool { cfg!(feature = "oauth") }"#,
            &Parts::default(),
        );
        assert!(macro_cfg.unwrap_err().contains("cfg!"));
    }
}
