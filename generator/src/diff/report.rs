//! The report: each change, its kind and area, the semver verdict, and the
//! report as text, Markdown and JSON.

use crate::markdown;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// How a change affects code that depends on the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Code that compiled against the old crate may not compile (or may
    /// silently mean something else) against the new one: a major bump.
    Breaking,
    /// Something new (or a behaviour change that keeps every signature): a minor bump.
    Additive,
    /// Only the documentation changes: a patch.
    Docs,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Breaking => "breaking",
            Kind::Additive => "additive",
            Kind::Docs => "docs",
        }
    }
}

/// What part of the API a change is about; reports are grouped by it, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Operations,
    Parameters,
    BodiesAndResponses,
    Models,
    Fields,
    EnumValues,
    /// Security schemes and the credentials operations need.
    Security,
    /// Permissions, OAuth scopes, deprecation and preview status.
    Annotations,
    /// Summaries, descriptions, field notes and constraints.
    Docs,
}

impl Area {
    /// The key used in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Area::Operations => "operations",
            Area::Parameters => "parameters",
            Area::BodiesAndResponses => "bodies-and-responses",
            Area::Models => "models",
            Area::Fields => "fields",
            Area::EnumValues => "enum-values",
            Area::Security => "security",
            Area::Annotations => "permissions-deprecation-preview",
            Area::Docs => "docs",
        }
    }

    /// The heading used in text and Markdown.
    pub fn title(self) -> &'static str {
        match self {
            Area::Operations => "Operations",
            Area::Parameters => "Parameters",
            Area::BodiesAndResponses => "Bodies & responses",
            Area::Models => "Models",
            Area::Fields => "Fields",
            Area::EnumValues => "Enum values",
            Area::Security => "Security",
            Area::Annotations => "Permissions, deprecation & preview",
            Area::Docs => "Docs",
        }
    }
}

/// One change between the two specs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub area: Area,
    pub kind: Kind,
    /// Where, in spec names: `TokenInfo.dateTokenIdles`, `getTokensMe ?preserveIdleTTL`.
    pub location: String,
    /// What happened, naming the spec's and (where useful) the Rust names.
    pub message: String,
}

/// The semver bump a report calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    None,
    Patch,
    Minor,
    Major,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::None => "none",
            Verdict::Patch => "patch",
            Verdict::Minor => "minor",
            Verdict::Major => "major",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every change between two specs, sorted by area, kind, location and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The old spec's name, as the user gave it.
    pub old: String,
    /// The new spec's name.
    pub new: String,
    pub changes: Vec<Change>,
}

impl Report {
    pub fn verdict(&self) -> Verdict {
        if self.count(Kind::Breaking) > 0 {
            Verdict::Major
        } else if self.count(Kind::Additive) > 0 {
            Verdict::Minor
        } else if self.count(Kind::Docs) > 0 {
            Verdict::Patch
        } else {
            Verdict::None
        }
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }

    pub fn is_breaking(&self) -> bool {
        self.count(Kind::Breaking) > 0
    }

    /// The changes of one kind.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }

    /// `minor (0 breaking, 6 additive, 0 docs-only)` or `none (no API changes)`.
    pub fn summary(&self) -> String {
        match self.verdict() {
            Verdict::None => "none (no API changes)".to_owned(),
            v => format!(
                "{v} ({} breaking, {} additive, {} docs-only)",
                self.count(Kind::Breaking),
                self.count(Kind::Additive),
                self.count(Kind::Docs)
            ),
        }
    }

    fn by_area(&self) -> BTreeMap<Area, Vec<&Change>> {
        let mut out: BTreeMap<Area, Vec<&Change>> = BTreeMap::new();
        for c in &self.changes {
            out.entry(c.area).or_default().push(c);
        }
        out
    }

    /// The report for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "API diff");
        let _ = writeln!(out, "  old: {}", self.old);
        let _ = writeln!(out, "  new: {}", self.new);
        let _ = writeln!(out, "verdict: {}", self.summary());
        for (area, changes) in self.by_area() {
            let _ = writeln!(out, "\n{}", area.title());
            for c in changes {
                let _ = writeln!(out, "  {:<8}  {}", c.kind.as_str(), c.location);
                let _ = writeln!(out, "            {}", c.message);
            }
        }
        out
    }

    /// The report for a pull-request description.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "## API changes: **{}**\n", self.verdict());
        let _ = writeln!(
            out,
            "{} → {}: {}.",
            markdown::md_code(&self.old),
            markdown::md_code(&self.new),
            match self.verdict() {
                Verdict::None => "no API changes".to_owned(),
                _ => format!(
                    "{} breaking, {} additive, {} docs-only",
                    self.count(Kind::Breaking),
                    self.count(Kind::Additive),
                    self.count(Kind::Docs)
                ),
            }
        );
        for (area, changes) in self.by_area() {
            let _ = writeln!(out, "\n### {}\n", area.title());
            let _ = writeln!(out, "| kind | where | change |");
            let _ = writeln!(out, "| --- | --- | --- |");
            for c in changes {
                let kind = match c.kind {
                    Kind::Breaking => "**breaking**",
                    Kind::Additive => "additive",
                    Kind::Docs => "docs",
                };
                let _ = writeln!(
                    out,
                    "| {kind} | {} | {} |",
                    md_cell(&markdown::md_code(&c.location)),
                    md_cell(&c.message)
                );
            }
        }
        out
    }

    /// The report for tools.
    pub fn to_json(&self) -> Value {
        json!({
            "old": self.old,
            "new": self.new,
            "verdict": self.verdict().as_str(),
            "counts": {
                "breaking": self.count(Kind::Breaking),
                "additive": self.count(Kind::Additive),
                "docs": self.count(Kind::Docs),
            },
            "changes": self.changes.iter().map(|c| json!({
                "kind": c.kind.as_str(),
                "group": c.area.key(),
                "location": c.location,
                "message": c.message,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Text that is put in a Markdown table cell.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}
