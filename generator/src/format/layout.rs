//! Blank lines between items, where a careful hand-written crate has them:
//! `syn` keeps no blank line and `prettyplease` prints none, so they are put
//! back into the printed text.
//!
//! - In a module, an `impl` or a `trait`, a blank line separates every two
//!   items, except within a run of declarations (`use`, `mod name;`,
//!   `extern crate`), of one-line type aliases (`type Output = T;`), of
//!   inner docs or of inner attributes.
//! - In a function body, a blank line separates nested items from each
//!   other and from statements, and a run of `use` declarations from the
//!   statements after it.
//! - Nowhere else (struct fields, enum variants, match arms, expressions).
//!
//! The printed text is read line by line. `prettyplease` indents each block
//! by four spaces, starts every item and statement on a line of its own at
//! its block's indentation, and ends it on a line at that indentation ending
//! in `;` or `}`; doc comments and attributes come first, on lines of their
//! own. A line that starts deeper belongs to the item or statement above it.

const INDENT: usize = 4;

/// What a block holds, by what opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    /// A module, an `impl` or a `trait`: items.
    Items,
    /// A function's body: statements, and now and then an item.
    Body,
    /// Fields, variants, arms, expressions: left as printed.
    Other,
}

/// What an item or statement is, for spacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// A line of a file's or module's inner docs (`//!`, `#![doc = …]`).
    InnerDoc,
    /// One of its other inner attributes.
    InnerAttribute,
    /// `use`, `mod name;` or `extern crate`: kept together.
    Declaration,
    /// A type alias on one line (`type Output = T;`): kept together.
    Alias,
    /// Any other item.
    Item,
    /// A statement or expression.
    Statement,
}

#[derive(Debug, Clone, Copy)]
struct Level {
    block: Block,
    /// The lines of a statement or signature that spans several, deeper
    /// than its first: they belong to the unit of the level above.
    continuation: bool,
    /// The unit under way, from its first line to its last.
    current: Option<Unit>,
    /// What a block the unit under way opens holds.
    opens: Block,
    /// The last unit that ended.
    previous: Option<Unit>,
}

impl Level {
    fn new(block: Block) -> Self {
        Level {
            block,
            continuation: false,
            current: None,
            opens: Block::Other,
            previous: None,
        }
    }
}

/// Appends `printed` to `out` with blank lines between its items.
pub(super) fn space_items(printed: &str, out: &mut String) {
    out.reserve(printed.len() + printed.len() / 16);
    let lines: Vec<&str> = printed.lines().collect();
    let mut levels = vec![Level::new(Block::Items)];
    let mut string = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        // A line that starts inside a string literal is the literal's text.
        let in_string = string.is_some();
        string = string_after(line, string);
        if in_string || trimmed.is_empty() || indent % INDENT != 0 {
            push_line(out, line);
            if in_string && string.is_none() && trimmed.ends_with(';') {
                end_statement(&mut levels);
            }
            continue;
        }
        let depth = indent / INDENT;
        if trimmed.starts_with(['}', ')', ']']) {
            levels.truncate(depth + 1);
        }
        if depth >= levels.len() {
            let continuation = Level {
                continuation: true,
                ..Level::new(Block::Other)
            };
            levels.resize(depth + 1, continuation);
        }
        if levels[depth].continuation {
            push_line(out, line);
            if trimmed.ends_with(';') && !is_comment(trimmed) {
                end_statement(&mut levels);
            } else if trimmed.ends_with('{') && !is_comment(trimmed) {
                levels.truncate(depth + 1);
                levels.push(Level::new(Block::Other));
            }
            continue;
        }
        let level = &mut levels[depth];
        let unit = match level.current {
            Some(unit) => unit,
            None => {
                let (unit, opens) = unit_at(&lines[i..], indent);
                if level
                    .previous
                    .is_some_and(|previous| blank_between(level.block, previous, unit))
                {
                    out.push('\n');
                }
                level.current = Some(unit);
                level.opens = opens;
                unit
            }
        };
        push_line(out, line);
        let opens = level.opens;
        if ends_unit(trimmed, unit) {
            level.previous = Some(unit);
            level.current = None;
        }
        if trimmed.ends_with('{') && !is_comment(trimmed) {
            levels.truncate(depth + 1);
            levels.push(Level::new(opens));
        }
    }
}

/// Ends the statement that the line just read continues (from a line of
/// its own or a string literal's).
fn end_statement(levels: &mut Vec<Level>) {
    if let Some(owner) = levels.iter().rposition(|l| !l.continuation) {
        let level = &mut levels[owner];
        level.previous = level.current.take();
        levels.truncate(owner + 1);
    }
}

/// A string literal a line leaves open: a plain one, or a raw one closed
/// by a quote and this many `#`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenString {
    Plain,
    Raw(usize),
}

/// The string literal open after `line`, which starts inside `open`.
fn string_after(line: &str, mut open: Option<OpenString>) -> Option<OpenString> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match open {
            Some(OpenString::Plain) => match bytes[i] {
                b'\\' => i += 1,
                b'"' => open = None,
                _ => {}
            },
            Some(OpenString::Raw(hashes)) => {
                if bytes[i] == b'"'
                    && bytes[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&b| b == b'#')
                        .count()
                        == hashes
                {
                    open = None;
                    i += hashes;
                }
            }
            None => match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => return None,
                b'"' => open = Some(OpenString::Plain),
                b'r' if i == 0
                    || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')
                    || bytes[i - 1] == b'b' =>
                {
                    let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                    if bytes.get(i + 1 + hashes) == Some(&b'"') {
                        open = Some(OpenString::Raw(hashes));
                        i += 1 + hashes;
                    }
                }
                // A character literal (`'"'`, `'\\''`), not a lifetime.
                b'\'' => {
                    if bytes.get(i + 1) == Some(&b'\\') {
                        i += 2;
                        while i < bytes.len() && bytes[i] != b'\'' {
                            i += 1;
                        }
                    } else if let Some(c) = line[i + 1..].chars().next() {
                        if line[i + 1 + c.len_utf8()..].starts_with('\'') {
                            i += c.len_utf8() + 1;
                        }
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    open
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

fn blank_between(block: Block, previous: Unit, next: Unit) -> bool {
    match block {
        Block::Items => !matches!(
            (previous, next),
            (Unit::InnerDoc, Unit::InnerDoc)
                | (Unit::InnerAttribute, Unit::InnerAttribute)
                | (Unit::Declaration, Unit::Declaration)
                | (Unit::Alias, Unit::Alias)
        ),
        Block::Body => previous != next || !matches!(next, Unit::Declaration | Unit::Statement),
        Block::Other => false,
    }
}

fn is_comment(trimmed: &str) -> bool {
    trimmed.starts_with("//")
}

/// Does the line end the `unit` it belongs to? An inner doc comment is a
/// unit of a line; an inner attribute ends with `]`.
fn ends_unit(trimmed: &str, unit: Unit) -> bool {
    match unit {
        Unit::InnerDoc | Unit::InnerAttribute => {
            trimmed.starts_with("//!") || trimmed.ends_with(']')
        }
        _ => !is_comment(trimmed) && trimmed.ends_with([';', '}']),
    }
}

/// The first line of the unit starting at `lines[0]` (at `indent`) that is
/// neither a doc comment nor (a line of) an attribute.
fn head_line<'a>(lines: &[&'a str], indent: usize) -> &'a str {
    let mut in_attribute = false;
    for line in lines {
        let trimmed = line.trim_start();
        let deeper = line.len() - trimmed.len() > indent;
        if deeper {
            continue;
        }
        if in_attribute {
            // An attribute printed over several lines ends with `)]` or `]`.
            in_attribute = !trimmed.ends_with(']');
            continue;
        }
        if is_comment(trimmed) {
            continue;
        }
        if trimmed.starts_with("#[") {
            in_attribute = !trimmed.ends_with(']');
            continue;
        }
        return trimmed;
    }
    ""
}

/// What the unit starting at `lines[0]` (at `indent`) is, and what a
/// block it opens holds.
fn unit_at(lines: &[&str], indent: usize) -> (Unit, Block) {
    let first = lines[0].trim_start();
    if first.starts_with("//!") || first.starts_with("#![doc") {
        return (Unit::InnerDoc, Block::Other);
    }
    if first.starts_with("#![") {
        return (Unit::InnerAttribute, Block::Other);
    }
    let head = head_line(lines, indent);
    let unit = match keyword(head) {
        "use" => Unit::Declaration,
        "extern" if head.contains("extern crate ") => Unit::Declaration,
        "mod" if head.ends_with(';') => Unit::Declaration,
        "type" if head.ends_with(';') => Unit::Alias,
        "fn" | "impl" | "trait" | "struct" | "enum" | "union" | "type" | "const" | "static"
        | "mod" | "extern" | "macro_rules" => Unit::Item,
        _ => Unit::Statement,
    };
    let opens = match unit {
        Unit::Item => block_of(head),
        _ => Block::Other,
    };
    (unit, opens)
}

/// What a block opened on the item whose head line is `head` holds.
fn block_of(head: &str) -> Block {
    match keyword(head) {
        "impl" | "trait" | "mod" | "extern" => Block::Items,
        "fn" => Block::Body,
        _ => Block::Other,
    }
}

/// The word that says what an item is: after its visibility and the
/// qualifiers (`unsafe`, `async`, `const fn`, …) that may come first.
fn keyword(head: &str) -> &str {
    let mut rest = head;
    if let Some(after) = rest.strip_prefix("pub") {
        rest = match after.strip_prefix('(') {
            Some(scoped) => scoped.split_once(')').map_or("", |(_, r)| r),
            None => after,
        }
        .trim_start();
    }
    loop {
        let word_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_end);
        match word {
            "unsafe" | "async" | "default" | "auto" => rest = after.trim_start(),
            // `const fn` is a function; `const NAME` a constant.
            "const" if after.trim_start().starts_with("fn ") => rest = after.trim_start(),
            // `extern "C" fn` is a function; `extern crate` and blocks stay `extern`.
            "extern" if after.trim_start().starts_with('"') => {
                let quoted = after.trim_start();
                let close = quoted[1..].find('"').map_or(quoted.len(), |i| i + 2);
                let tail = quoted[close..].trim_start();
                if tail.starts_with("fn ") {
                    rest = tail;
                } else {
                    return word;
                }
            }
            _ => return word,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected` is printed text with the blank lines spacing puts in:
    /// spacing it without them gives it back.
    fn assert_spaced(expected: &str) {
        let printed: String = expected
            .lines()
            .filter(|line| !line.is_empty())
            .map(|line| format!("{line}\n"))
            .collect();
        let mut out = String::new();
        space_items(&printed, &mut out);
        assert_eq!(out, expected);
    }

    #[test]
    fn items_are_separated_and_declarations_kept_together() {
        assert_spaced(
            "\
//! Docs.
#![doc = \"More docs.\"]

#![allow(dead_code)]
#![cfg_attr(
    test,
    allow(unused)
)]

use a::B;
#[cfg(feature = \"x\")]
mod c;
pub use c::D;

/// A struct.
#[derive(Debug)]
pub struct S {
    /// A field.
    pub a: u8,
    pub b: u8,
}

impl S {
    /// New.
    pub fn new() -> Self {
        S { a: 0, b: 0 }
    }

    pub(crate) fn with_a(
        mut self,
        a: u8,
    ) -> Self {
        self.a = a;
        self
    }
}

pub const N: u8 = 1;

pub type T = u8;
pub type U = u16;

impl Iterator for S {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        None
    }
}
",
        );
    }

    #[test]
    fn bodies_separate_their_items_and_uses_from_statements() {
        assert_spaced(
            "\
fn f() -> u8 {
    use std::fmt;
    use std::io;

    let a = 1;
    let b = match a {
        1 => {
            let c = 2;
            c
        }
        _ => 0,
    };

    struct V;

    impl V {
        fn g(&self) {}

        fn h(&self) {}
    }

    if a == b {
        let d = 1;
        let e = 2;
    } else {
        let f = 3;
    }
    a + b
}
",
        );
    }

    #[test]
    fn attributes_over_several_lines_and_docs_belong_to_their_item() {
        assert_spaced(
            "\
pub struct A;

const C: &[u8] = &B
    .remove(1)
    .remove(2);

static D: u8 = f(
    |x| {
        x + 1
    },
)
    .g();

/// Docs ending like code;
#[cfg(
    any(feature = \"a\", feature = \"b\")
)]
pub mod m;
#[cfg(feature = \"a\")]
pub use m::X;

trait T {
    fn a(&self);

    fn b(&self);
}
",
        );
    }

    #[test]
    fn the_lines_of_a_string_literal_are_left_alone() {
        let printed = "const A: &str = \"one\n\npub struct Fake;\n\";\nconst B: &str = r#\"a \" quote\nfn fake() {}\n\"#;\nconst C: char = '\"';\nconst D: &str = \"\\\"\";\nconst E: u8 = 1;\n";
        let expected = "const A: &str = \"one\n\npub struct Fake;\n\";\n\nconst B: &str = r#\"a \" quote\nfn fake() {}\n\"#;\n\nconst C: char = '\"';\n\nconst D: &str = \"\\\"\";\n\nconst E: u8 = 1;\n";
        let mut out = String::new();
        space_items(printed, &mut out);
        assert_eq!(out, expected);
        assert_eq!(
            string_after("let s = \"open", None),
            Some(OpenString::Plain)
        );
        assert_eq!(string_after("closed\";", Some(OpenString::Plain)), None);
        assert_eq!(
            string_after("let s = br##\"raw", None),
            Some(OpenString::Raw(2))
        );
        assert_eq!(
            string_after("x\"# still\"##;", Some(OpenString::Raw(2))),
            None
        );
        assert_eq!(
            string_after("fn f<'a>(x: &'a str) -> char { '\\'' }", None),
            None
        );
        assert_eq!(string_after("// a \" in a comment", None), None);
    }

    #[test]
    fn keywords_are_read_past_visibility_and_qualifiers() {
        assert_eq!(keyword("pub(crate) unsafe fn f()"), "fn");
        assert_eq!(keyword("pub(in crate::a) const fn f()"), "fn");
        assert_eq!(keyword("const N: u8 = 1;"), "const");
        assert_eq!(keyword("pub extern \"C\" fn f();"), "fn");
        assert_eq!(keyword("extern crate alloc;"), "extern");
        assert_eq!(keyword("impl<'de> serde::Deserialize<'de> for A {"), "impl");
        assert_eq!(keyword("let x = 1;"), "let");
    }
}
