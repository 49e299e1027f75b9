//! Spec text as rustdoc Markdown.
//!
//! OpenAPI descriptions are CommonMark. [`doc_lines`] parses one with
//! `pulldown-cmark` (tables and strikethrough on, nothing else) and writes
//! the Markdown back out from the events, keeping what reads well and is safe
//! in rustdoc and turning everything else into text:
//!
//! - paragraphs keep their line breaks (a one-line description stays one
//!   line); hard breaks become a trailing `\`;
//! - lists are written with `-` or `1.` and their continuation lines
//!   indented exactly to the item's text, so no line continues lazily and
//!   none is indented further than it needs;
//! - headings become bold paragraphs: the item's own sections (`# Errors`)
//!   are the only headings of its docs;
//! - code blocks, fenced or indented, become ```` ```text ```` fences longer
//!   than any backtick run inside, so nothing runs as a doctest;
//! - raw HTML, block or inline, is shown as escaped text;
//! - links keep their target when it is `http`, `https` or `mailto`;
//!   another target (relative, `javascript:`, …) is shown as code after
//!   the link's text, and an image becomes a link to it (or its alt text);
//! - brackets are escaped, so nothing reads as an intra-doc link, and a bare
//!   URL is wrapped in `<>`;
//! - Unicode bidi controls are shown as `\u{…}`, other control characters
//!   as spaces, tabs as spaces up to the next multiple of four.
//!
//! Literal text is escaped only where a character would otherwise change the
//! meaning. The lines go into `#[doc = "…"]` string literals, so no text can
//! end a doc comment.

use pulldown_cmark::{Alignment, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeStream};
use std::iter::Peekable;

/// Lines of rustdoc Markdown made from spec text in CommonMark, without
/// leading or trailing blank lines.
pub fn doc_lines(text: &str) -> Vec<String> {
    join(&render(text), false)
}

/// Lines of rustdoc Markdown showing `text` as written: it is not Markdown
/// (a spec's title or summary, or a note holding a schema's pattern).
pub fn plain_lines(text: &str) -> Vec<String> {
    let text = normalize_newlines(text);
    let mut lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut w = Inline::new(InlineMode::Normal);
            w.text(line);
            w.finish().concat()
        })
        .collect();
    trim_blank_ends(&mut lines);
    lines
}

/// Lines of Markdown reading `label` then the CommonMark `text` then
/// `tail`: `label text tail` on one line when `text` is one paragraph; a
/// block that cannot follow the label on its line starts a paragraph of its
/// own, and `tail` (without its leading `, `) does so when the text does not
/// end with a paragraph.
pub fn labelled(label: &str, text: &str, tail: &str) -> Vec<String> {
    let blocks = render(text);
    let mut lines = Vec::new();
    match blocks.first() {
        Some(first) if first.kind.is_paragraph() => {
            let mut rest = first.lines.iter();
            lines.push(format!(
                "{label} {}",
                rest.next().map_or("", String::as_str)
            ));
            lines.extend(rest.cloned());
            if blocks.len() > 1 {
                lines.push(String::new());
                lines.extend(join(&blocks[1..], false));
            }
        }
        Some(_) => {
            lines.push(label.to_owned());
            lines.push(String::new());
            lines.extend(join(&blocks, false));
        }
        None => lines.push(label.to_owned()),
    }
    if !tail.is_empty() {
        match blocks.last() {
            Some(last) if !last.kind.is_paragraph() => {
                lines.push(String::new());
                lines.push(tail.trim_start_matches([',', ' ']).to_owned());
            }
            _ => {
                if let Some(line) = lines.last_mut() {
                    line.push_str(tail);
                }
            }
        }
    }
    lines
}

/// `lines` as one bullet item: `- ` before the first, the others indented
/// to its text.
pub fn list_item(lines: &[String]) -> Vec<String> {
    indent(lines, "- ", "  ")
}

/// Spec text as a Markdown code span inside generator-written docs: shown
/// verbatim, on one line, with nothing rustdoc would act on.
pub fn md_code(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() || is_bidi_control(c) => ' ',
            c => c,
        })
        .collect();
    match clean.trim() {
        "" => "(empty)".to_owned(),
        text => format!("`{text}`"),
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Tab stops of the text written from tabs.
const TAB_WIDTH: usize = 4;

type Events<'a> = Peekable<TextMergeStream<'a, Parser<'a>>>;

/// What a rendered block is, for how it is joined to its neighbours.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A paragraph (in a loose list item, one the parser marked).
    Paragraph,
    /// The text of a tight list item.
    Tight,
    /// A list; `alt` lists use the other marker, so two lists of a kind in a
    /// row stay two.
    List {
        ordered: bool,
        alt: bool,
    },
    Code,
    Other,
}

impl Kind {
    fn is_paragraph(self) -> bool {
        matches!(self, Kind::Paragraph | Kind::Tight)
    }
}

struct Block {
    kind: Kind,
    lines: Vec<String>,
}

fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn render(text: &str) -> Vec<Block> {
    let text = normalize_newlines(text);
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut events = TextMergeStream::new(Parser::new_ext(&text, options)).peekable();
    blocks(&mut events, None)
}

/// Blocks in `blocks`, with a blank line between two (in a tight list item,
/// not before a nested list or a code block).
fn join(blocks: &[Block], tight: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for block in blocks {
        let close = tight && matches!(block.kind, Kind::List { .. } | Kind::Code);
        if !lines.is_empty() && !close {
            lines.push(String::new());
        }
        lines.extend(block.lines.iter().cloned());
    }
    trim_blank_ends(&mut lines);
    lines
}

fn trim_blank_ends(lines: &mut Vec<String>) {
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let blank = lines.iter().take_while(|l| l.is_empty()).count();
    lines.drain(..blank);
}

/// `first` before the first line, `rest` before each other non-empty one.
fn indent(lines: &[String], first: &str, rest: &str) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| match (i, line.is_empty()) {
            (0, _) => format!("{first}{line}").trim_end().to_owned(),
            (_, true) => String::new(),
            _ => format!("{rest}{line}"),
        })
        .collect();
    if out.is_empty() {
        out.push(first.trim_end().to_owned());
    }
    out
}

/// The blocks up to the end of `until` (consumed), or of the text.
fn blocks(events: &mut Events<'_>, until: Option<TagEnd>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    while let Some(event) = events.peek() {
        if is_inline(event) {
            let lines = inline(events, None, InlineMode::Normal);
            push_block(&mut out, Kind::Tight, lines);
            continue;
        }
        let Some(event) = events.next() else { break };
        match event {
            Event::End(end) if Some(end) == until => break,
            Event::Start(Tag::Paragraph) => {
                let lines = inline(events, Some(TagEnd::Paragraph), InlineMode::Normal);
                push_block(&mut out, Kind::Paragraph, lines);
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let text = inline(events, Some(TagEnd::Heading(level)), InlineMode::Heading);
                let text = text.join(" ");
                if !text.is_empty() {
                    out.push(Block {
                        kind: Kind::Other,
                        lines: vec![format!("**{text}**")],
                    });
                }
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                let inner = join(&blocks(events, Some(TagEnd::BlockQuote(kind))), false);
                if !inner.is_empty() {
                    let lines = inner
                        .iter()
                        .map(|l| {
                            if l.is_empty() {
                                ">".to_owned()
                            } else {
                                format!("> {l}")
                            }
                        })
                        .collect();
                    out.push(Block {
                        kind: Kind::Other,
                        lines,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(_)) => out.push(Block {
                kind: Kind::Code,
                lines: code_block(&raw_text(events, TagEnd::CodeBlock)),
            }),
            Event::Start(Tag::HtmlBlock) => {
                let html = raw_text(events, TagEnd::HtmlBlock);
                push_block(&mut out, Kind::Paragraph, html_lines(&html));
            }
            Event::Html(html) => push_block(&mut out, Kind::Paragraph, html_lines(&html)),
            Event::Start(Tag::List(start)) => {
                let alt = matches!(out.last(),
                    Some(Block { kind: Kind::List { ordered, alt }, .. }) if !alt && *ordered == start.is_some());
                out.push(list(events, start, alt));
            }
            Event::Start(Tag::Table(alignments)) => out.push(Block {
                kind: Kind::Other,
                lines: table(events, &alignments),
            }),
            Event::Rule => out.push(Block {
                kind: Kind::Other,
                lines: vec!["---".to_owned()],
            }),
            // Containers of extensions left off: their contents as blocks.
            Event::Start(tag) => {
                let inner = blocks(events, Some(tag.to_end()));
                out.extend(inner);
            }
            _ => {}
        }
    }
    out
}

fn push_block(out: &mut Vec<Block>, kind: Kind, lines: Vec<String>) {
    if !lines.is_empty() {
        out.push(Block { kind, lines });
    }
}

fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_) => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        _ => false,
    }
}

fn is_inline_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The text of the events up to the end of `until` (consumed).
fn raw_text(events: &mut Events<'_>, until: TagEnd) -> String {
    let mut text = String::new();
    for event in events.by_ref() {
        match event {
            Event::End(end) if end == until => break,
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => text.push_str(&t),
            _ => {}
        }
    }
    text
}

/// A code block as a `text` fence longer than any run of backticks in it.
fn code_block(code: &str) -> Vec<String> {
    let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
    let mut lines = vec![format!("{fence}text")];
    for line in code.lines() {
        let mut out = String::with_capacity(line.len());
        for c in line.chars() {
            match c {
                '\t' => push_tab(&mut out),
                c if is_bidi_control(c) => push_bidi(&mut out, c),
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
        lines.push(out.trim_end().to_owned());
    }
    lines.push(fence);
    lines
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for d in text.chars() {
        run = if d == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

fn push_tab(out: &mut String) {
    let column = out.chars().count();
    out.extend(std::iter::repeat_n(' ', TAB_WIDTH - column % TAB_WIDTH));
}

fn push_bidi(out: &mut String, c: char) {
    out.push_str(&format!("\\u{{{:04X}}}", c as u32));
}

/// Raw HTML as text, line by line.
fn html_lines(html: &str) -> Vec<String> {
    let mut w = Inline::new(InlineMode::Normal);
    for (i, line) in html.trim_end().lines().enumerate() {
        if i > 0 {
            w.newline();
        }
        w.text(line);
    }
    let mut lines = w.finish();
    trim_blank_ends(&mut lines);
    lines
}

fn list(events: &mut Events<'_>, start: Option<u64>, alt: bool) -> Block {
    let mut items: Vec<Vec<Block>> = Vec::new();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Item) => items.push(blocks(events, Some(TagEnd::Item))),
            Event::End(TagEnd::List(_)) => break,
            _ => {}
        }
    }
    let loose = items.iter().flatten().any(|b| b.kind == Kind::Paragraph);
    let mut lines = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let marker = match start {
            Some(n) => format!(
                "{}{}",
                n.saturating_add(i as u64),
                if alt { ')' } else { '.' }
            ),
            None => (if alt { "*" } else { "-" }).to_owned(),
        };
        if loose && i > 0 {
            lines.push(String::new());
        }
        let rest = " ".repeat(marker.len() + 1);
        lines.extend(indent(&join(item, !loose), &format!("{marker} "), &rest));
    }
    Block {
        kind: Kind::List {
            ordered: start.is_some(),
            alt,
        },
        lines,
    }
}

fn table(events: &mut Events<'_>, alignments: &[Alignment]) -> Vec<String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(event) = events.next() {
        match event {
            Event::End(TagEnd::Table) => break,
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => {
                let cell = inline(events, Some(TagEnd::TableCell), InlineMode::Cell).join(" ");
                if let Some(row) = rows.last_mut() {
                    row.push(cell);
                }
            }
            _ => {}
        }
    }
    let columns = alignments.len().max(1);
    let row_line = |cells: &[String]| {
        let mut line = String::from("|");
        for i in 0..columns {
            match cells.get(i).map(String::as_str) {
                Some(cell) if !cell.is_empty() => line.push_str(&format!(" {cell} |")),
                _ => line.push_str("  |"),
            }
        }
        line
    };
    let mut lines = Vec::with_capacity(rows.len() + 1);
    let mut rows = rows.iter();
    lines.push(row_line(rows.next().map_or(&[][..], Vec::as_slice)));
    let rule: Vec<String> = (0..columns)
        .map(|i| {
            match alignments.get(i) {
                Some(Alignment::Left) => ":--",
                Some(Alignment::Center) => ":-:",
                Some(Alignment::Right) => "--:",
                _ => "---",
            }
            .to_owned()
        })
        .collect();
    lines.push(row_line(&rule));
    lines.extend(rows.map(|r| row_line(r)));
    lines
}

/// Where inline text is written, for what it must escape.
#[derive(Clone, Copy, PartialEq)]
enum InlineMode {
    Normal,
    /// In a heading written as a bold paragraph: strong emphasis is dropped.
    Heading,
    /// In a table cell: `|` is escaped in code spans too.
    Cell,
}

/// A link being written: whether it keeps its target, and what to show
/// after its text when it does not.
struct OpenLink {
    kept: bool,
    dest: String,
    shown_after: bool,
    /// Where its text starts: the line's number and the byte in it.
    from: (usize, usize),
    /// An autolink kept: its text is the target, already written.
    auto: bool,
}

/// Writes inline Markdown line by line.
struct Inline {
    mode: InlineMode,
    lines: Vec<String>,
    line: String,
    /// Nothing but link openers written on the line yet.
    at_start: bool,
    links: Vec<OpenLink>,
}

/// Inline content up to the end of `until` (consumed) or, with `None`, up
/// to the first event that is not inline (not consumed).
fn inline(events: &mut Events<'_>, until: Option<TagEnd>, mode: InlineMode) -> Vec<String> {
    let mut w = Inline::new(mode);
    while let Some(event) = events.peek() {
        match (event, until) {
            (Event::End(end), Some(until)) if *end == until => {
                events.next();
                break;
            }
            (Event::End(end), None) if !is_inline_end(*end) => break,
            (event, None) if !is_inline(event) && !matches!(event, Event::End(_)) => break,
            _ => {}
        }
        let Some(event) = events.next() else { break };
        w.event(event);
    }
    let mut lines = w.finish();
    trim_blank_ends(&mut lines);
    lines
}

impl Inline {
    fn new(mode: InlineMode) -> Inline {
        Inline {
            mode,
            lines: Vec::new(),
            line: String::new(),
            at_start: true,
            links: Vec::new(),
        }
    }

    fn finish(mut self) -> Vec<String> {
        if !self.line.is_empty() || !self.lines.is_empty() {
            self.newline();
        }
        self.lines
    }

    fn newline(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.lines.push(line.trim_end().to_owned());
        self.at_start = true;
    }

    fn raw(&mut self, s: &str) {
        self.line.push_str(s);
        self.at_start = false;
    }

    /// Whether the text written since `from` is `text`.
    fn wrote_since(&self, from: (usize, usize), text: &str) -> bool {
        from.0 == self.lines.len() && self.line.get(from.1..) == Some(text)
    }

    fn in_kept_link(&self) -> bool {
        self.links.iter().any(|l| l.kept)
    }

    fn event(&mut self, event: Event<'_>) {
        if self.links.last().is_some_and(|l| l.auto) && !matches!(event, Event::End(TagEnd::Link)) {
            return;
        }
        match event {
            Event::Text(t) | Event::InlineHtml(t) | Event::Html(t) | Event::InlineMath(t) => {
                self.text(&t);
            }
            Event::Code(code) => self.code(&code),
            Event::SoftBreak => self.newline(),
            Event::HardBreak => {
                if self.mode == InlineMode::Normal {
                    self.raw("\\");
                    self.newline();
                } else {
                    self.raw(" ");
                }
            }
            Event::FootnoteReference(name) => self.text(&format!("[^{name}]")),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => self.raw("*"),
            // A heading is bold already.
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong)
                if self.mode != InlineMode::Heading =>
            {
                self.raw("**");
            }
            Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => {
                self.raw("~~");
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let email = link_type == LinkType::Email;
                let kept = !self.in_kept_link() && (email || is_safe_url(&dest_url));
                let auto = kept && matches!(link_type, LinkType::Autolink | LinkType::Email);
                if auto {
                    let url = escape_url(&dest_url);
                    self.raw(&format!("<{url}>"));
                } else if kept {
                    // Not `raw`: text at the start of a line is escaped as such.
                    self.line.push('[');
                }
                let shown_after = !kept
                    && !self.in_kept_link()
                    && !dest_url.is_empty()
                    && !matches!(link_type, LinkType::Autolink);
                self.links.push(OpenLink {
                    kept,
                    dest: dest_url.into_string(),
                    shown_after,
                    from: (self.lines.len(), self.line.len()),
                    auto,
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let kept = !self.in_kept_link() && is_safe_url(&dest_url);
                if kept {
                    self.line.push('[');
                }
                self.links.push(OpenLink {
                    kept,
                    dest: dest_url.into_string(),
                    shown_after: false,
                    from: (self.lines.len(), self.line.len()),
                    auto: false,
                });
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let Some(link) = self.links.pop() else {
                    return;
                };
                if link.auto {
                    // Written whole at its start.
                } else if link.kept {
                    if self.wrote_since(link.from, "") {
                        // No text: the target is the text.
                        self.line.pop();
                        self.raw(&format!("<{}>", escape_url(&link.dest)));
                    } else {
                        self.raw(&format!("]({})", escape_url(&link.dest)));
                    }
                } else if link.shown_after && !self.wrote_since(link.from, &link.dest) {
                    self.raw(" (");
                    self.code(&link.dest);
                    self.raw(")");
                }
            }
            _ => {}
        }
    }

    /// A code span of `code` exactly; with a run of two or more backticks
    /// inside (a delimiter of three could open a fence at the start of a
    /// line), escaped text instead.
    fn code(&mut self, code: &str) {
        let mut clean = String::with_capacity(code.len());
        for c in code.chars() {
            match c {
                '|' if self.mode == InlineMode::Cell => clean.push_str("\\|"),
                c if is_bidi_control(c) => push_bidi(&mut clean, c),
                c if c.is_control() => clean.push(' '),
                c => clean.push(c),
            }
        }
        let run = longest_run(&clean, '`');
        if run >= 2 {
            self.text(code);
            return;
        }
        let delimiter = "`".repeat(run + 1);
        let pad = clean.starts_with('`')
            || clean.ends_with('`')
            || (clean.starts_with(' ') && clean.ends_with(' ') && !clean.trim().is_empty());
        let pad = if pad { " " } else { "" };
        self.raw(&format!("{delimiter}{pad}{clean}{pad}{delimiter}"));
    }

    /// Literal text, escaped where it would otherwise be read as Markdown.
    fn text(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            let prev = if self.at_start {
                None
            } else {
                self.line.chars().next_back()
            };
            i += 1;
            if self.at_start {
                if c != '\n' && (c.is_whitespace() || c.is_control()) {
                    continue;
                }
                if let Some(skip) = self.line_start(&chars[i - 1..]) {
                    i += skip - 1;
                    continue;
                }
            }
            match c {
                '\n' => {
                    self.newline();
                    continue;
                }
                '\t' => push_tab(&mut self.line),
                c if is_bidi_control(c) => push_bidi(&mut self.line, c),
                c if c.is_control() => self.line.push(' '),
                'h' | 'H' if !self.in_kept_link() && starts_url(&chars[i - 1..]) => {
                    let len = url_len(&chars[i - 1..]);
                    let url: String = chars[i - 1..i - 1 + len].iter().collect();
                    self.line.push_str(&format!("<{url}>"));
                    i += len - 1;
                }
                '\\' if !next.is_some_and(char::is_alphanumeric) => self.line.push_str("\\\\"),
                '`' | '[' | ']' | '|' => {
                    self.line.push('\\');
                    self.line.push(c);
                }
                '*' | '_' | '~' => {
                    let spaced = prev.is_some_and(char::is_whitespace)
                        && next.is_some_and(char::is_whitespace);
                    let in_word = c == '_'
                        && prev.is_some_and(char::is_alphanumeric)
                        && next.is_some_and(char::is_alphanumeric);
                    if !spaced && !in_word {
                        self.line.push('\\');
                    }
                    self.line.push(c);
                }
                '<' if next
                    .is_none_or(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
                {
                    self.line.push_str("\\<");
                }
                '&' if is_entity(&chars[i..]) => self.line.push_str("\\&"),
                // A printf placeholder the server fills in (`Maximum bytes:
                // %s`) reads as an ellipsis.
                '%' if matches!(next, Some('s' | 'd'))
                    && prev != Some('%')
                    && !chars.get(i + 1).is_some_and(|c| c.is_alphanumeric()) =>
                {
                    self.line.push('…');
                    i += 1;
                }
                c => self.line.push(c),
            }
            self.at_start = false;
        }
    }

    /// Writes what starts the line in `rest` escaped, if it would start a
    /// block, and returns how many characters it took.
    fn line_start(&mut self, rest: &[char]) -> Option<usize> {
        let next = rest.get(1).copied();
        let ends = |c: Option<char>| c.is_none_or(char::is_whitespace);
        let taken = match rest[0] {
            '#' => {
                let hashes = rest.iter().take_while(|&&c| c == '#').count();
                if !ends(rest.get(hashes).copied()) {
                    return None;
                }
                self.line.push('\\');
                self.line.extend(&rest[..hashes]);
                hashes
            }
            '>' => {
                self.line.push_str("\\>");
                1
            }
            c @ ('-' | '+' | '=') if ends(next) || next == Some(c) => {
                self.line.push('\\');
                self.line.push(c);
                1
            }
            '0'..='9' => {
                let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
                let marker = rest.get(digits).copied();
                if digits > 9
                    || !matches!(marker, Some('.' | ')'))
                    || !ends(rest.get(digits + 1).copied())
                {
                    return None;
                }
                self.line.extend(&rest[..digits]);
                self.line.push('\\');
                self.line.extend(marker);
                digits + 1
            }
            _ => return None,
        };
        self.at_start = false;
        Some(taken)
    }
}

fn is_safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.len() > scheme.len() && lower.starts_with(scheme))
}

/// `url` with every character that could end or break a link target (or
/// hide what it says) percent-encoded.
fn escape_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let chars: Vec<char> = url.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let encode = c.is_whitespace()
            || c.is_control()
            || is_bidi_control(c)
            || matches!(c, '<' | '>' | '(' | ')' | '\\' | '|' | '`' | '"')
            || (c == '&' && is_entity(&chars[i + 1..]));
        if encode {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `rest` (after a `&`) would make an entity or numeric character reference.
fn is_entity(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && rest.get(name) == Some(&';')
}

fn starts_url(rest: &[char]) -> bool {
    let head: String = rest.iter().take(8).collect::<String>().to_ascii_lowercase();
    (head.starts_with("http://") || head.starts_with("https://"))
        && url_len(rest) > head.find("//").map_or(0, |p| p + 2)
}

/// The length of the bare URL starting `rest`: up to a space or a character
/// that cannot be in an autolink, without trailing punctuation or an
/// unbalanced `)`.
fn url_len(rest: &[char]) -> usize {
    let mut len = rest
        .iter()
        .take_while(|&&c| {
            !(c.is_whitespace()
                || c.is_control()
                || is_bidi_control(c)
                || matches!(c, '<' | '>' | '"' | '`' | '|' | '\\' | '[' | ']'))
        })
        .count();
    loop {
        match rest[..len].last() {
            Some('.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~') => len -= 1,
            Some(')') => {
                let open = rest[..len].iter().filter(|&&c| c == '(').count();
                let close = rest[..len].iter().filter(|&&c| c == ')').count();
                if close > open {
                    len -= 1;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn md(text: &str) -> String {
        doc_lines(text).join("\n")
    }

    /// What rustdoc would make of `doc`, checked: no HTML, no code block
    /// other than a `text` fence, no link rustdoc would resolve as an
    /// intra-doc link, no raw bidi control or tab.
    fn assert_inert(doc: &str) {
        let mut options = Options::empty();
        options.insert(Options::ENABLE_TABLES);
        options.insert(Options::ENABLE_STRIKETHROUGH);
        options.insert(Options::ENABLE_FOOTNOTES);
        options.insert(Options::ENABLE_TASKLISTS);
        let mut broken = Vec::new();
        let mut callback = |link: pulldown_cmark::BrokenLink<'_>| {
            broken.push(link.reference.to_string());
            None
        };
        let parser = Parser::new_with_broken_link_callback(doc, options, Some(&mut callback));
        for event in parser {
            match event {
                Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in {doc:?}"),
                Event::Start(Tag::CodeBlock(kind)) => assert_eq!(
                    kind,
                    pulldown_cmark::CodeBlockKind::Fenced("text".into()),
                    "{doc:?}"
                ),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => assert!(
                    link_type == LinkType::Email || is_safe_url(&dest_url),
                    "link to {dest_url:?} in {doc:?}"
                ),
                Event::FootnoteReference(f) => panic!("footnote {f:?} in {doc:?}"),
                Event::TaskListMarker(_) => panic!("task list in {doc:?}"),
                _ => {}
            }
        }
        assert!(broken.is_empty(), "intra-doc links {broken:?} in {doc:?}");
        assert!(
            !doc.chars().any(|c| c == '\t' || is_bidi_control(c)),
            "{doc:?}"
        );
        let mut fence: Option<&str> = None;
        for line in doc.lines() {
            let line =
                line.trim_start_matches(|c: char| " >-*.)".contains(c) || c.is_ascii_digit());
            match fence {
                Some(f) if line.trim_start() == f => fence = None,
                Some(_) => {}
                None if line.starts_with("```") => {
                    let f = line.trim_end_matches("text");
                    assert!(
                        f.chars().all(|c| c == '`') && line.ends_with("text"),
                        "{line:?} in {doc:?}"
                    );
                    fence = Some(f);
                }
                None => assert!(!line.starts_with("~~~"), "{line:?} in {doc:?}"),
            }
        }
        assert!(fence.is_none(), "unclosed fence in {doc:?}");
    }

    #[test]
    fn plain_text_stays_as_written() {
        assert_eq!(doc_lines("The user's name."), vec!["The user's name."]);
        assert_eq!(md("user_id, 2 * 3 and a ~ b"), "user_id, 2 * 3 and a ~ b");
        assert_eq!(md("first line\nsecond line"), "first line\nsecond line");
        assert_eq!(md("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(md("one\r\n\r\ntwo"), "one\n\ntwo");
        assert!(doc_lines("").is_empty());
        assert!(doc_lines(" \n\n ").is_empty());
    }

    #[test]
    fn tables_are_kept() {
        let doc = md("Values:\n\n| name | meaning |\n|:--|--:|\n| `a\\|b` | x \\| y |\n| c |");
        assert_eq!(
            doc,
            "Values:\n\n| name | meaning |\n| :-- | --: |\n| `a\\|b` | x \\| y |\n| c |  |"
        );
        assert_inert(&doc);
    }

    #[test]
    fn lists_indent_their_continuation_lines() {
        let doc =
            md("- one\nlazy\n  - nested\n    more\n- two\n\n1. first\n   continued\n10. tenth");
        assert_eq!(
            doc,
            "- one\n  lazy\n  - nested\n    more\n- two\n\n1. first\n   continued\n2. tenth"
        );
        let loose = md("- a\n\n  b\n- c");
        assert_eq!(loose, "- a\n\n  b\n\n- c");
        // Two lists in a row stay two.
        assert_eq!(md("- a\n\n* b"), "- a\n\n* b");
        assert_inert(&doc);
    }

    #[test]
    fn code_blocks_become_text() {
        let doc = md("Example:\n\n```rust\nfn main() {}\n```");
        assert_eq!(doc, "Example:\n\n```text\nfn main() {}\n```");
        assert_eq!(md("    let x = 1;\n    x"), "```text\nlet x = 1;\nx\n```");
        assert_eq!(md("~~~\n```\n~~~"), "````text\n```\n````");
        assert_eq!(md("```\n\tindented\n```"), "```text\n    indented\n```");
        assert_eq!(
            md("- item\n\n  ```json\n  {}\n  ```"),
            "- item\n\n  ```text\n  {}\n  ```"
        );
        assert_inert(&doc);
    }

    #[test]
    fn html_is_shown_as_text() {
        assert_eq!(md("a <b>bold</b> c"), "a \\<b>bold\\</b> c");
        assert_eq!(
            md("<div>\n<script>x()</script>\n</div>"),
            "\\<div>\n\\<script>x()\\</script>\n\\</div>"
        );
        assert_eq!(md("1 < 2 & 3 > 2, &amp;copy;"), "1 < 2 & 3 > 2, \\&copy;");
        assert_inert(&md("<!-- c -->\n\n<a href=\"https://x.y\">x</a>"));
    }

    #[test]
    fn links() {
        assert_eq!(md("[text](https://x.y/a_b)"), "[text](https://x.y/a_b)");
        assert_eq!(
            md("[text][r]\n\n[r]: https://x.y \"title\""),
            "[text](https://x.y)"
        );
        assert_eq!(md("<https://x.y> and <a@b.c>"), "<https://x.y> and <a@b.c>");
        assert_eq!(md("[text](mailto:a@b.c)"), "[text](mailto:a@b.c)");
        assert_eq!(
            md("[a (b)](<https://x.y/(c) d>)"),
            "[a (b)](https://x.y/%28c%29%20d)"
        );
        assert_eq!(
            md("[run](javascript:alert(1))"),
            "run (`javascript:alert(1)`)"
        );
        assert_eq!(md("[guide](/docs/guide)"), "guide (`/docs/guide`)");
        assert_eq!(md("[/docs](/docs)"), "/docs");
        assert_eq!(md("[](https://x.y)"), "<https://x.y>");
        assert_eq!(md("[\\[](https://x.y)"), "[\\[](https://x.y)");
        assert_eq!(
            md("![logo](https://x.y/l.png)"),
            "[logo](https://x.y/l.png)"
        );
        assert_eq!(md("![logo](l.png)"), "logo");
        assert_eq!(
            md("[![logo](https://x.y/l.png)](https://x.y)"),
            "[logo](https://x.y)"
        );
        assert_inert(&md(
            "[run](javascript:alert(1)) [x](https://a.b) <ftp://a.b>",
        ));
    }

    #[test]
    fn brackets_never_make_intra_doc_links() {
        assert_eq!(
            md("see [Foo] and [foo][bar]"),
            "see \\[Foo\\] and \\[foo\\]\\[bar\\]"
        );
        assert_eq!(md("[`x`]"), "\\[`x`\\]");
        assert_eq!(md("- [ ] task [^1]"), "- \\[ \\] task \\[^1\\]");
        assert_inert(&md("[Foo] [`x`] [a][b] [a]: <b>"));
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(md("see https://x.y/z."), "see <https://x.y/z>.");
        assert_eq!(md("(at https://x.y/a_(b))"), "(at <https://x.y/a_(b)>)");
        assert_eq!(md("`https://x.y`"), "`https://x.y`");
        assert_eq!(md("http:// alone"), "http:// alone");
    }

    #[test]
    fn emphasis_and_code_are_kept() {
        assert_eq!(md("*a* **b** ~~c~~ _d_ `e`"), "*a* **b** ~~c~~ *d* `e`");
        assert_eq!(md("`` a`b ``"), "``a`b``");
        assert_eq!(md("`` `a ``"), "`` `a ``");
        assert_eq!(md("``` a``b ```"), "a\\`\\`b");
        assert_eq!(md("2\\*3 and \\_x\\_"), "2\\*3 and \\_x\\_");
        assert_eq!(md("line  \nbreak"), "line\\\nbreak");
        assert_eq!(md("C:\\Users and a \\ b"), "C:\\Users and a \\\\ b");
    }

    #[test]
    fn headings_become_bold_paragraphs() {
        assert_eq!(md("# Title\ntext"), "**Title**\n\ntext");
        assert_eq!(
            md("Setext\n===\n\n## With **strong** and *em*"),
            "**Setext**\n\n**With strong and *em***"
        );
    }

    #[test]
    fn line_starts_that_would_make_blocks_are_escaped() {
        assert_eq!(md("\\# not a heading"), "\\# not a heading");
        assert_eq!(
            md("\\- not a list\n\\+ nor\n\\> quote"),
            "\\- not a list\n\\+ nor\n\\> quote"
        );
        assert_eq!(md("2024\\. a year"), "2024\\. a year");
        assert_eq!(md("a\n\\===\n\\---"), "a\n\\===\n\\---");
        assert_eq!(md("#hashtag -1 +1"), "#hashtag -1 +1");
        assert_eq!(md("> quoted\n> more"), "> quoted\n> more");
        assert_eq!(
            plain_lines("    Pattern: ^[a-z]*$"),
            vec!["Pattern: ^\\[a-z\\]\\*$"]
        );
    }

    #[test]
    fn bidi_and_control_characters_are_inert() {
        assert_eq!(md("a\u{202E}b\u{1}c"), "a\\u{202E}b c");
        assert_eq!(md("`x\u{2066}`"), "`x\\u{2066}`");
        assert_eq!(md("a\tb"), "a   b");
        assert_inert(&md("\u{202E}\t```rust\n\u{2067}"));
    }

    #[test]
    fn printf_placeholders_read_as_an_ellipsis() {
        assert_eq!(doc_lines("Maximum bytes: %s"), ["Maximum bytes: …"]);
        assert_eq!(
            doc_lines("Retry the request in [%s] seconds, %d times"),
            ["Retry the request in \\[…\\] seconds, … times"]
        );
        // Not a placeholder: an escaped percent sign, a word, code.
        assert_eq!(doc_lines("100%%s, 5%sure, `%s`"), ["100%%s, 5%sure, `%s`"]);
    }

    #[test]
    fn labelled_text() {
        assert_eq!(
            labelled("400:", "Bad request", ", with a body"),
            vec!["400: Bad request, with a body"]
        );
        assert_eq!(
            labelled("400:", "", ", with a body"),
            vec!["400:, with a body"]
        );
        assert_eq!(
            list_item(&labelled("400:", "Bad\n\n```\nx\n```", ", with a body")),
            vec![
                "- 400: Bad",
                "",
                "  ```text",
                "  x",
                "  ```",
                "",
                "  with a body"
            ]
        );
        assert_eq!(
            list_item(&labelled("400:", "| a |\n|---|", "")),
            vec!["- 400:", "", "  | a |", "  | --- |"]
        );
    }

    #[test]
    fn generator_code_spans() {
        assert_eq!(md_code("a`b\u{202E}"), "`a'b`");
        assert_eq!(md_code(" "), "(empty)");
    }

    proptest! {
        #[test]
        fn any_text_renders_inert(text in "(\\PC|[\\t\\n\\r\u{202E}\u{2066}`~*_\\[\\]<>|#-]){0,80}") {
            assert_inert(&md(&text));
            assert_inert(&plain_lines(&text).join("\n"));
            assert_inert(&list_item(&labelled("200:", &text, ", tail")).join("\n"));
        }

        #[test]
        fn markdown_like_text_renders_inert(
            parts in proptest::collection::vec(
                prop::sample::select(vec![
                    "```", "```rust", "~~~", "    ", "\t", "\n", "\n\n", "- ", "1. ", "> ", "# ", "|", "| --- |",
                    "[", "]", "(", ")", "[a]", "[a]: b", "<", ">", "<b>", "</b>", "`", "``", "*", "_", "~~",
                    "\\", "&amp;", "https://x.y", "javascript:x", "![i](", "a", " ", "\u{202E}", "\r\n", "=",
                ]),
                0..40,
            )
        ) {
            let text = parts.concat();
            assert_inert(&md(&text));
            assert_inert(&list_item(&labelled("200:", &text, ", tail")).join("\n"));
        }
    }
}
