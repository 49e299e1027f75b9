//! The view of `servers.rs`: the servers a crate offers to choose from, and
//! the types of their variables' values.

use super::{docs, md_docs, RenderError, RenderedFile};
use crate::ir::*;
use crate::markdown::md_code;
use crate::naming::str_literal;
use askama::Template;

#[derive(Template)]
#[template(path = "servers.rs", escape = "none")]
struct ServersRs {
    /// Whether the first server has no variables: `Default` is derived.
    derive_default: bool,
    servers: Vec<ServerView>,
    choices: Vec<ChoiceView>,
}

struct ServerView {
    variant: String,
    docs: Vec<String>,
    fields: Vec<FieldView>,
    /// The URL as a literal, for a server without variables.
    url_lit: String,
    parts: Vec<UrlPart>,
}

struct FieldView {
    ident: String,
    ty: String,
    docs: Vec<String>,
    /// The default value, as an expression of `ty`.
    default_expr: String,
}

/// A piece of a server URL template.
enum UrlPart {
    /// Literal text, as a literal.
    Literal(String),
    /// The field holding a variable.
    Variable(String),
}

struct ChoiceView {
    name: String,
    docs: Vec<String>,
    values: Vec<ValueView>,
}

struct ValueView {
    ident: String,
    lit: String,
    doc: String,
    default: bool,
}

/// The pieces of `url`: literal text and `{variable}`s, by field.
fn parts(url: &str, variables: &[ServerVariable]) -> Vec<UrlPart> {
    let mut out = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let name = &rest[open + 1..close];
        match variables.iter().find(|v| v.name == name) {
            Some(var) => {
                if open > 0 {
                    out.push(UrlPart::Literal(str_literal(&rest[..open])));
                }
                out.push(UrlPart::Variable(var.ident.clone()));
            }
            None => out.push(UrlPart::Literal(str_literal(&rest[..=close]))),
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(UrlPart::Literal(str_literal(rest)));
    }
    out
}

/// `src/servers.rs`, when the API offers a choice of servers.
pub(super) fn servers_file(api: &Api) -> Result<Option<RenderedFile>, RenderError> {
    if api.servers.is_empty() {
        return Ok(None);
    }
    let mut choices = Vec::new();
    let servers = (api.servers.iter())
        .map(|s| {
            let mut lines = md_docs(&md_code(&s.url));
            if let Some(d) = &s.description {
                lines.push(str_literal(""));
                lines.extend(docs(Some(d)));
            }
            let fields = (s.variables.iter())
                .map(|v| {
                    let mut field_docs = docs(v.description.as_deref());
                    if !field_docs.is_empty() {
                        field_docs.push(str_literal(""));
                    }
                    field_docs.extend(md_docs(&format!("Default: {}.", md_code(&v.default))));
                    let (ty, default_expr) = match &v.type_name {
                        Some(name) => {
                            let default = (v.choices.iter())
                                .find(|c| c.value == v.default)
                                .or(v.choices.first());
                            choices.push(ChoiceView {
                                name: name.clone(),
                                docs: md_docs(&format!(
                                    "The values of {} in {}.",
                                    md_code(&v.name),
                                    md_code(&s.url)
                                )),
                                values: (v.choices.iter())
                                    .map(|c| ValueView {
                                        ident: c.ident.clone(),
                                        lit: str_literal(&c.value),
                                        doc: str_literal(&format!(" {}", md_code(&c.value))),
                                        default: Some(c) == default,
                                    })
                                    .collect(),
                            });
                            (name.clone(), format!("{name}::default()"))
                        }
                        None => (
                            "String".to_owned(),
                            format!("{}.to_owned()", str_literal(&v.default)),
                        ),
                    };
                    FieldView {
                        ident: v.ident.clone(),
                        ty,
                        docs: field_docs,
                        default_expr,
                    }
                })
                .collect();
            ServerView {
                variant: s.variant.clone(),
                docs: lines,
                fields,
                url_lit: str_literal(s.url.trim_end_matches('/')),
                parts: parts(&s.url, &s.variables),
            }
        })
        .collect();
    let derive_default = api.servers[0].variables.is_empty();
    super::render_file(
        "src/servers.rs".to_owned(),
        &ServersRs {
            derive_default,
            servers,
            choices,
        },
    )
    .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_templates_split_into_literals_and_fields() {
        let var = |name: &str, ident: &str| ServerVariable {
            name: name.into(),
            ident: ident.into(),
            default: "d".into(),
            choices: Vec::new(),
            type_name: None,
            description: None,
        };
        let vars = [var("region", "region"), var("port", "port")];
        let shown: Vec<String> = parts("https://{region}.x.com:{port}/v1/{other}", &vars)
            .into_iter()
            .map(|p| match p {
                UrlPart::Literal(l) => l,
                UrlPart::Variable(v) => format!("<{v}>"),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "\"https://\"",
                "<region>",
                "\".x.com:\"",
                "<port>",
                "\"/v1/{other}\""
            ]
        );
    }
}
