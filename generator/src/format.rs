//! Format: parse every emitted Rust file with `syn`, print it with
//! `prettyplease`, separate its items with blank lines (`layout`), and put
//! the generated-file header on every file.

use std::borrow::Cow;

use crate::header::header_lines;
use crate::render::{Pending, RenderedFile};

mod layout;

/// A file ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the crate root, with `/` separators.
    pub path: String,
    pub contents: String,
}

/// Renders and formats every file, on as many threads as the machine has
/// cores, each file rendered on the thread that formats it (the files are
/// independent; this is most of the generator's time on a large spec). The
/// result is in the order of `files`; on failure, the error of the first
/// file in that order that fails.
pub fn render_and_format(files: Vec<Pending<'_>>) -> Result<Vec<OutputFile>, String> {
    let threads = crate::parallel::threads_for(files.iter().map(Pending::size).sum());
    crate::parallel::map(files, threads, Pending::size, |file| {
        format_file(file.render().map_err(|e| e.0)?)
    })
    .into_iter()
    .collect()
}

/// Formats a rendered file. A Rust file that does not parse is a bug in the
/// generator: the error names the file and shows the first item that does
/// not parse.
pub fn format_file(file: RenderedFile) -> Result<OutputFile, String> {
    format_with(file, true)
}

/// Formats a rendered file without lifting its doc comments: the reference
/// that lifting must match, for tests.
#[doc(hidden)]
pub fn format_file_unlifted(file: RenderedFile) -> Result<OutputFile, String> {
    format_with(file, false)
}

fn format_with(file: RenderedFile, lift: bool) -> Result<OutputFile, String> {
    if !file.path.ends_with(".rs") {
        // Non-Rust files carry their header from their templates.
        return Ok(OutputFile {
            path: file.path,
            contents: normalize_newlines(file.contents),
        });
    }
    let lifted = if lift {
        lift_docs(&file.contents)
    } else {
        None
    };
    // The lifted text is valid Rust whenever the rendered one is; should the
    // placeholders not come back as they went, the file is printed with its
    // comments in place instead.
    let mut printed = String::new();
    let restored = lifted.is_some_and(|lifted| {
        print(&lifted.text).is_ok_and(|text| lifted.restore(&text, &mut printed))
    });
    if !restored {
        printed = print(&file.contents).map_err(|e| parse_error(&file, &e))?;
    }
    let mut contents = header_lines("//").join("\n");
    contents.push_str("\n\n");
    layout::space_items(&printed, &mut contents);
    Ok(OutputFile {
        path: file.path,
        contents: normalize_newlines(contents),
    })
}

/// `text` parsed by `syn` and printed by `prettyplease`.
fn print(text: &str) -> Result<String, syn::Error> {
    Ok(prettyplease::unparse(&syn::parse_file(text)?))
}

/// The error for a rendered Rust file that does not parse: a bug in the
/// generator. It names the file and shows the start of the first top-level
/// item that does not parse. (Tokens carry no line numbers: keeping them
/// costs every file a tenth of its formatting time, for this one message.)
fn parse_error(file: &RenderedFile, e: &syn::Error) -> String {
    format!(
        "internal error: the generated file {} is not valid Rust ({e}); the first item that does not parse:\n{}",
        file.path,
        first_bad_item(&file.contents)
    )
}

/// The first tokens of the first top-level item of `text` that does not
/// parse, or what keeps `text` from being read as tokens at all.
fn first_bad_item(text: &str) -> String {
    use syn::parse::discouraged::Speculative;
    use syn::parse::{ParseStream, Parser};
    const SHOWN: usize = 400;
    let tokens: proc_macro2::TokenStream = match text.parse() {
        Ok(tokens) => tokens,
        Err(e) => return format!("(the text is not a sequence of tokens: {e})"),
    };
    let find = |input: ParseStream| -> syn::Result<String> {
        input.call(syn::Attribute::parse_inner)?;
        while !input.is_empty() {
            // Each item is tried on a fork: a failed parse leaves its stream
            // unusable.
            let item = input.fork();
            if item.parse::<syn::Item>().is_err() {
                let rest: proc_macro2::TokenStream = input.parse()?;
                return Ok(rest.to_string());
            }
            input.advance_to(&item);
        }
        Ok("(every item parses on its own)".to_owned())
    };
    let mut shown = find.parse2(tokens).unwrap_or_else(|e| format!("({e})"));
    if let Some((cut, _)) = shown.char_indices().nth(SHOWN) {
        shown.truncate(cut);
        shown.push_str(" …");
    }
    shown
}

/// A rendered file whose doc comments wait outside it while it is formatted.
///
/// Doc comments are about a fifth of what a spec's crate holds, and the
/// costliest text to parse and print (each line is an attribute whose string
/// literal is lexed, parsed and unescaped), yet `prettyplease` prints a
/// one-line doc attribute as `///` and its text, trailing spaces trimmed, on
/// a line of its own at the item's indentation: the same whatever the other
/// lines around it. So each run of doc lines is replaced by one placeholder
/// doc line, numbered, and after printing each placeholder gives way to its
/// run at the placeholder's indentation — the text printing the comments
/// themselves gives, at a fraction of the cost.
struct LiftedDocs<'a> {
    /// The rendered text with a placeholder for each run.
    text: String,
    /// Each run's doc texts, as printed after `///`.
    runs: Vec<Vec<Cow<'a, str>>>,
}

/// Starts each placeholder's line: no doc line of a rendered file holds the
/// mark (files holding it are not lifted).
const PLACEHOLDER: &str = "///\u{1}";

/// `text` with its doc-comment runs lifted, or `None` when it has none or
/// holds a carriage return (which the lexer refuses in a doc comment) or the
/// placeholders' mark.
///
/// A doc line is a line holding only a `///` comment or a `#[doc = "…"]`
/// attribute whose text `prettyplease` prints after `///` (one line, not
/// starting with `/`, no control character). Such a line is a doc comment
/// unless it sits inside a block comment or a string literal. In a block
/// comment its placeholder is dropped by the lexer, so it is missed when
/// restoring and the file is printed as it is; the templates write no string
/// literal over several lines (spec text in a literal is escaped).
fn lift_docs(text: &str) -> Option<LiftedDocs<'_>> {
    if text.contains('\r') || text.contains('\u{1}') {
        return None;
    }
    let mut lifted = LiftedDocs {
        text: String::with_capacity(text.len() / 2),
        runs: Vec::new(),
    };
    let mut in_run = false;
    for line in text.split_inclusive('\n') {
        let Some(doc) = doc_line(line.trim()) else {
            in_run = false;
            lifted.text.push_str(line);
            continue;
        };
        match lifted.runs.last_mut() {
            Some(run) if in_run => run.push(doc),
            _ => {
                in_run = true;
                lifted.text.push_str(PLACEHOLDER);
                lifted.text.push_str(&lifted.runs.len().to_string());
                lifted.text.push('\n');
                lifted.runs.push(vec![doc]);
            }
        }
    }
    (!lifted.runs.is_empty()).then_some(lifted)
}

/// The text `prettyplease` prints after `///` for a line holding only an
/// outer doc comment, if the line is one it prints that way.
fn doc_line(line: &str) -> Option<Cow<'_, str>> {
    if let Some(text) = line.strip_prefix("///") {
        return (!text.starts_with('/')).then(|| Cow::Borrowed(text.trim_end_matches(' ')));
    }
    let literal = line.strip_prefix("#[doc = \"")?.strip_suffix("\"]")?;
    let text = unescape(literal)?;
    let printable = !text.starts_with('/') && !text.chars().any(char::is_control);
    printable.then(|| match text {
        Cow::Borrowed(t) => Cow::Borrowed(t.trim_end_matches(' ')),
        Cow::Owned(t) => Cow::Owned(t.trim_end_matches(' ').to_owned()),
    })
}

/// The text of a string literal's body as written by `{:?}`, or `None` if
/// it holds an unescaped quote or an escape other than those `{:?}` writes.
fn unescape(body: &str) -> Option<Cow<'_, str>> {
    if !body.contains(['\\', '"']) {
        return Some(Cow::Borrowed(body));
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => out.push(match chars.next()? {
                '\\' => '\\',
                '"' => '"',
                '\'' => '\'',
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                '0' => '\0',
                'u' => {
                    let rest = chars.as_str().strip_prefix('{')?;
                    let (hex, after) = rest.split_once('}')?;
                    chars = after.chars();
                    char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                }
                _ => return None,
            }),
            c => out.push(c),
        }
    }
    Some(Cow::Owned(out))
}

impl LiftedDocs<'_> {
    /// Appends the printed text to `out` with every placeholder line
    /// replaced by its run; false (with `out` part-written) unless every
    /// placeholder comes back once, in order, on a line of its own.
    fn restore(&self, printed: &str, out: &mut String) -> bool {
        if printed.bytes().filter(|&b| b == 1).count() != self.runs.len() {
            return false;
        }
        let extra: usize = self
            .runs
            .iter()
            .flat_map(|run| run.iter().map(|doc| doc.len() + 16))
            .sum();
        out.reserve(printed.len() + extra);
        let mut next = 0;
        for line in printed.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            let trimmed = body.trim_start();
            let Some(number) = trimmed.strip_prefix(PLACEHOLDER) else {
                out.push_str(line);
                continue;
            };
            if number.parse() != Ok(next) {
                return false;
            }
            let indent = &body[..body.len() - trimmed.len()];
            for doc in &self.runs[next] {
                out.push_str(indent);
                out.push_str("///");
                out.push_str(doc);
                out.push('\n');
            }
            next += 1;
        }
        next == self.runs.len()
    }
}

/// `text` with `\r\n` line ends as `\n` and exactly one newline at the end.
fn normalize_newlines(mut text: String) -> String {
    if text.contains('\r') {
        text = text.replace("\r\n", "\n");
    }
    text.truncate(text.trim_end_matches('\n').len());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(contents: &str) -> RenderedFile {
        RenderedFile {
            path: "src/lib.rs".into(),
            contents: contents.into(),
        }
    }

    /// Formats `text` both ways, checks they agree and returns whether the
    /// doc comments were lifted.
    fn agree(text: &str) -> bool {
        let lifted = format_file(rendered(text)).unwrap();
        let plain = format_file_unlifted(rendered(text)).unwrap();
        assert_eq!(lifted.contents, plain.contents, "for:\n{text}");
        lift_docs(text)
            .is_some_and(|l| print(&l.text).is_ok_and(|p| l.restore(&p, &mut String::new())))
    }

    #[test]
    fn lifting_prints_what_printing_the_comments_prints() {
        let long = "a doc line far longer than the printer's margin ".repeat(4);
        let text = format!(
            r#"//! Crate docs stay where they are.
#[doc = "A model."]
#[doc = ""]
#[doc = "With \"quotes\", a backslash \\ and trailing spaces   "]
#[derive(Debug)]
/// Between attributes.
pub struct Model {{
    #[doc = "Combining: e\u{{301}} and \u{{1F600}}."]
        pub field: Option<std::collections::BTreeMap<String, Vec<Option<String>>>>,
  ///   indented oddly, trailing spaces  
    /// {long}
    pub other_field_with_a_long_name: ::std::collections::HashMap<String, ::std::vec::Vec<u8>>,
}}
impl Model {{
    #[doc = "{long}"]
    pub fn method_with_a_long_name(&self, first_argument: impl Into<String>, second: u8) -> u8 {{
        second
    }}
}}
/// A variant list.
pub enum E {{
    /// One.
    A,
    #[doc = "Two."]
    B(
        /// In a tuple field.
        String,
    ),
}}
pub mod nested {{
    ///
    /// Empty lines above and below.
    ///
    pub trait T {{
        /// A trait item.
        fn f(&self);
    }}
}}
"#
        );
        assert!(agree(&text), "the docs are lifted");
    }

    #[test]
    fn lines_printed_otherwise_stay_in_the_text() {
        // Text starting with `/`, a line break, a control character, an
        // escape `{:?}` does not write: printed as attributes or block
        // comments, so not lifted (the rest of the file still is).
        let text = r#"/// Lifted.
#[doc = "/starts with a slash"]
#[doc = "two\nlines"]
#[doc = "a\ttab"]
#[doc = "\x41"]
//// Not a doc comment.
pub struct S;
"#;
        let lifted = lift_docs(text).unwrap();
        assert_eq!(lifted.runs, vec![vec![Cow::Borrowed(" Lifted.")]]);
        assert!(agree(text));
    }

    #[test]
    fn a_placeholder_lost_in_a_block_comment_prints_the_file_as_it_is() {
        let text = "/* a block comment\n/// that holds a doc line\n*/\n/// Real.\npub struct S;\n";
        assert!(
            !agree(text),
            "restoring fails; the file is printed unlifted"
        );
    }

    #[test]
    fn files_with_carriage_returns_or_the_mark_are_not_lifted() {
        assert!(lift_docs("/// a\r\npub struct S;\n").is_none());
        assert!(lift_docs("/// a\npub const C: &str = \"\u{1}\";\n").is_none());
        assert!(lift_docs("pub struct S;\n").is_none());
    }

    #[test]
    fn a_file_that_does_not_parse_is_an_internal_error_showing_the_bad_item() {
        let text =
            "/// Fine.\npub struct A;\nimpl A {\n    fn f(&self) { let = 1; }\n}\npub struct B;\n";
        let e = format_file(rendered(text)).unwrap_err();
        assert!(
            e.starts_with("internal error: the generated file src/lib.rs is not valid Rust ("),
            "{e}"
        );
        assert!(
            e.ends_with("impl A { fn f (& self) { let = 1 ; } } pub struct B ;"),
            "{e}"
        );
        let e = format_file(rendered("pub struct A {\n")).unwrap_err();
        assert!(e.contains("the text is not a sequence of tokens"), "{e}");
    }

    #[test]
    fn unescape_reads_what_debug_writes() {
        for text in [
            "plain",
            "q\"uote",
            "back\\slash",
            "t\tab",
            "nl\n",
            "\u{301}x",
            "\0",
            "'",
        ] {
            let written = format!("{text:?}");
            let body = &written[1..written.len() - 1];
            assert_eq!(unescape(body).as_deref(), Some(text), "{written}");
        }
        assert_eq!(unescape(r#"an "unescaped" quote"#), None);
        assert_eq!(unescape(r"\x41"), None);
        assert_eq!(unescape(r"\u{110000}"), None);
        assert_eq!(unescape("\\"), None);
    }
}
