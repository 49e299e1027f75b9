//! Parse on every core: cut a large block-style YAML document into parts that
//! read on their own ([`load`](crate::load) reads them in parallel and joins
//! the results).
//!
//! A large API is mostly its `paths` and `components/schemas` maps. In block
//! style, an entry of such a map starts on a line indented exactly as deep as
//! the map's first key: anything nested deeper (values, block scalars,
//! continuation lines of multi-line scalars) must be indented further, so a
//! run of whole entries is itself a YAML mapping. The rest of the document,
//! with those two maps emptied, is read as the document.
//!
//! Anything this module is not sure of (tabs in indentation, directives,
//! several documents, flow style or a node property on the map's line, keys at
//! the entry indentation that do not look like keys) makes it decline, and the
//! document is read whole. A part that fails to read (say, an alias of an
//! anchor in another part) or a key found in two parts also declines: the
//! caller then reads the whole document, which reports errors as usual.

use std::ops::Range;

/// One line: where it starts and ends (newline excluded) and its
/// indentation. Offsets are `u32`: a document has close to a million lines.
#[derive(Clone, Copy)]
struct Line {
    start: u32,
    end: u32,
    indent: u32,
}

/// The lines of a document.
struct Lines<'a> {
    text: &'a str,
    lines: Vec<Line>,
}

impl Lines<'_> {
    /// The line's text after its indentation, without trailing spaces.
    fn content(&self, i: usize) -> &str {
        let l = self.lines[i];
        self.text[(l.start + l.indent) as usize..l.end as usize].trim_end()
    }

    /// Blank or only a comment: belongs to no node.
    fn is_filler(&self, i: usize) -> bool {
        let content = self.content(i);
        content.is_empty() || content.starts_with('#')
    }

    /// Is this line exactly `key:` (with an optional comment)?
    fn is_block_key(&self, i: usize, key: &str) -> bool {
        self.content(i)
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.is_empty() || rest.starts_with('#')
            })
    }

    fn indent(&self, i: usize) -> u32 {
        self.lines[i].indent
    }

    fn start(&self, i: usize) -> usize {
        self.lines[i].start as usize
    }
}

/// The lines of `text`; `None` if a line is indented with a tab, the text
/// holds a directive or a document marker, or it is over 4 GiB.
fn lines(text: &str) -> Option<Lines<'_>> {
    u32::try_from(text.len()).ok()?;
    let mut lines = Vec::with_capacity(text.len() / 32);
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let end = start + raw.trim_end_matches(['\n', '\r']).len();
        let line = &text[start..end];
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('\t')
            || (indent == 0
                && (line.starts_with('%') || line.starts_with("---") || line.starts_with("...")))
        {
            return None;
        }
        // In range: the text's length fits in `u32`.
        lines.push(Line {
            start: start as u32,
            end: end as u32,
            indent: indent as u32,
        });
        start += raw.len();
    }
    Some(Lines { text, lines })
}

/// A block mapping found in the document: the line holding its key, and the
/// start of each of its entries (line indexes), up to the line after its last.
struct Section {
    key_line: usize,
    entries: Vec<usize>,
    end: usize,
}

/// The block mapping under the key line `key_line`, whose parent mapping is
/// indented `parent` deep, or `None` if it is not a plain block mapping.
fn section(lines: &Lines<'_>, key_line: usize, parent: u32) -> Option<Section> {
    let mut entries = Vec::new();
    let mut indent = None;
    let mut end = lines.lines.len();
    for i in key_line + 1..lines.lines.len() {
        if lines.is_filler(i) {
            continue;
        }
        let line_indent = lines.indent(i);
        if line_indent <= parent {
            end = i;
            break;
        }
        let entry_indent = *indent.get_or_insert(line_indent);
        if line_indent < entry_indent {
            return None;
        }
        if line_indent == entry_indent {
            // A key of the mapping: not a sequence item, complex key, flow
            // collection, alias, anchor or tag.
            let content = lines.content(i);
            let first = content.chars().next()?;
            if "-?[]{},&*!|>%@`".contains(first) || !content.contains(':') {
                return None;
            }
            entries.push(i);
        }
    }
    // Trailing filler lines stay with the rest of the document.
    while end > key_line + 1 && lines.is_filler(end - 1) {
        end -= 1;
    }
    Some(Section {
        key_line,
        entries,
        end,
    })
}

/// The top-level block mapping under `key`, if there is one.
fn top_level(lines: &Lines<'_>, key: &str) -> Option<Section> {
    let at =
        (0..lines.lines.len()).find(|&i| lines.indent(i) == 0 && lines.is_block_key(i, key))?;
    section(lines, at, 0)
}

/// `components/schemas`, if written as a block mapping in a block mapping.
fn schemas(lines: &Lines<'_>) -> Option<Section> {
    let components = top_level(lines, "components")?;
    let indent = lines.indent(*components.entries.first()?);
    let at = components
        .entries
        .iter()
        .copied()
        .find(|&i| lines.is_block_key(i, "schemas"))?;
    section(lines, at, indent)
}

/// What is read in parallel: the rest of the document, and runs of entries.
pub struct Parts<'a> {
    /// The document with `paths` and `components/schemas` as `{}`.
    pub rest: String,
    /// Runs of whole entries of `paths`, in order; each a YAML mapping.
    pub paths: Vec<&'a str>,
    /// Runs of whole entries of `components/schemas`, in order.
    pub schemas: Vec<&'a str>,
}

/// Cuts `text` into the document without its two big maps and runs of
/// entries of those maps, about `per_map` runs per map. `None` when the
/// document does not have the expected shape.
pub fn cut(text: &str, per_map: usize) -> Option<Parts<'_>> {
    let lines = lines(text)?;
    let mut sections: Vec<(Section, bool)> = Vec::new();
    if let Some(paths) = top_level(&lines, "paths") {
        sections.push((paths, true));
    }
    if let Some(schemas) = schemas(&lines) {
        sections.push((schemas, false));
    }
    sections.retain(|(s, _)| !s.entries.is_empty());
    if sections.is_empty() {
        return None;
    }
    sections.sort_by_key(|(s, _)| s.key_line);
    let mut parts = Parts {
        rest: String::new(),
        paths: Vec::new(),
        schemas: Vec::new(),
    };
    let mut copied = 0;
    for (section, is_paths) in &sections {
        let first = lines.start(section.entries[0]);
        let last = lines.lines[section.end - 1].end as usize;
        // The key line becomes `key: {}`; its comment, if any, is dropped.
        let key = section.key_line;
        let colon = lines.start(key) + lines.indent(key) as usize + lines.content(key).find(':')?;
        parts.rest.push_str(&text[copied..=colon]);
        parts.rest.push_str(" {}\n");
        copied = last;
        let runs = runs(&lines, &section.entries, first..last, per_map);
        let target = if *is_paths {
            &mut parts.paths
        } else {
            &mut parts.schemas
        };
        target.extend(runs.into_iter().map(|r| &text[r]));
    }
    parts.rest.push_str(&text[copied..]);
    Some(parts)
}

/// Byte ranges of about `count` runs of whole entries, of similar sizes.
fn runs(
    lines: &Lines<'_>,
    entries: &[usize],
    all: Range<usize>,
    count: usize,
) -> Vec<Range<usize>> {
    let size = (all.end - all.start).div_ceil(count.max(1));
    let mut out = Vec::new();
    let mut start = all.start;
    for &entry in entries.iter().skip(1) {
        let at = lines.start(entry);
        if at - start >= size {
            out.push(start..at);
            start = at;
        }
    }
    out.push(start..all.end);
    out
}
