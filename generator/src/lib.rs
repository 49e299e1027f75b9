//! Generates a typed async Rust client crate from an OpenAPI 3.0 description.
//!
//! The pipeline, one module per step:
//! [`load`] (parse; large YAML on every core through [`split`]; Swagger 2.0
//! and OpenAPI 3.1 brought into 3.0 form by [`swagger2`] and [`openapi31`]) → [`lower`] (resolve, validate, lower into the [`ir`]) →
//! [`select`] (keep the selected tags, when some are) →
//! [`render`] (askama templates) → [`format`](mod@format) (syn + prettyplease; each model and
//! operation file is rendered on the thread that formats it) → [`output`] (write or check).
//! All naming rules live in [`naming`], the Markdown written from spec text in [`markdown`], the Rust types of the IR's in [`types`]; problems are reported as [`diag::Diagnostic`]s.

pub mod cli;
pub mod diag;
pub mod diff;
pub mod features;
pub mod format;
pub mod header;
pub mod ir;
pub mod load;
pub mod lower;
pub mod markdown;
pub mod naming;
pub mod openapi31;
pub mod output;
pub mod parallel;
pub mod render;
pub mod runtime;
pub mod select;
pub mod settings;
pub mod split;
pub mod swagger2;
pub mod types;

/// The allocator the generator's binaries use: the pipeline allocates and
/// frees millions of small strings and trees, which it makes markedly faster
/// than the system allocator (see `BENCHMARKS.md`).
pub use mimalloc::MiMalloc;

use diag::{Diagnostic, Diagnostics};
use format::OutputFile;

/// The Tokens API description this generator ships with and uses when no spec is given.
pub const EMBEDDED_SPEC: &str = include_str!("../../spec/tokens.yaml");
/// The name the embedded spec is reported under.
pub const EMBEDDED_SPEC_NAME: &str = "spec/tokens.yaml";
/// The version of an emitted crate whose settings give none.
pub const DEFAULT_CRATE_VERSION: &str = "0.1.0";

/// Settings of one generation run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The crate's name from the command line (`--crate-name`), which wins
    /// over the settings' `package.name`; without either, the name comes
    /// from the spec's title.
    pub crate_name: Option<String>,
    /// The tags from the command line (`--tag`), which replace the settings'
    /// `select.tags`; with neither, the crate holds every tag.
    pub tags: Vec<String>,
    /// The settings file's contents, if there is one.
    pub settings: settings::Loaded,
}

impl Options {
    /// Options with the settings in `loaded`.
    pub fn with_settings(loaded: settings::Loaded) -> Options {
        Options {
            crate_name: None,
            tags: Vec::new(),
            settings: loaded,
        }
    }
}

/// The files of a generated crate and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    /// How many operations page, by the rule that found them.
    pub paged: std::collections::BTreeMap<ir::PageRule, usize>,
}

/// What a spec becomes before it is rendered: the IR of the crate (the
/// selected tags only, the models' pointers into the file as written) and
/// the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub api: ir::Api,
    pub warnings: Vec<Diagnostic>,
}

/// Parses, lowers and selects: the pipeline up to rendering, for tools that
/// need the crate's IR (the conformance check maps the spec's examples to
/// the types they decode into).
pub fn lower_selected(source: &load::Source, options: &Options) -> Result<Lowered, Diagnostics> {
    let doc = load::load(source)?;
    let (mut api, mut warnings) =
        lower::lower(&doc, &options.settings.settings).map_err(|d| Diagnostics(doc.locate(d.0)))?;
    if let Some(selection) = select::Selection::from_run(&options.tags, &options.settings) {
        let left_out = selection.apply(&mut api)?;
        warnings.retain(|w| !left_out.covers(&w.pointer));
    }
    // Diagnostics and the schemas named in the docs point into the file as written.
    let warnings = doc.locate(warnings);
    for model in &mut api.models {
        model.pointer = doc.original_pointer(&model.pointer);
    }
    Ok(Lowered { api, warnings })
}

/// Runs the whole pipeline in memory. Nothing is written: on error the
/// caller's output folder is untouched.
pub fn generate(source: &load::Source, options: &Options) -> Result<Generated, Diagnostics> {
    if let Some(name) = &options.crate_name {
        if !naming::is_valid_crate_name(name) {
            return Err(Diagnostics(vec![Diagnostic::error(
                "--crate-name",
                "",
                format!("`{name}` is not a valid crate name"),
            )
            .with_hint(
                "use ASCII letters, digits, `-` and `_`, starting with a letter",
            )]));
        }
    }
    let settings = &options.settings.settings;
    let Lowered { api, warnings } = lower_selected(source, options)?;
    let internal = |message: String| {
        let mut all = warnings.clone();
        all.push(
            Diagnostic::error(&source.name, "", message)
                .with_hint("this is a bug in the generator; please report it with the spec"),
        );
        Diagnostics(all)
    };
    let package = &settings.package;
    let info = render::CrateInfo {
        name: (options.crate_name.clone())
            .or_else(|| package.name.clone())
            .unwrap_or_else(|| naming::crate_name_for_title(&api.title)),
        version: (package.version.clone()).unwrap_or_else(|| DEFAULT_CRATE_VERSION.to_owned()),
        description: package.description.clone(),
        client: settings.client.clone(),
        regions: settings.regions.clone(),
        oauth: settings.oauth.clone(),
    };
    let paged = lower::pagination_summary(&api);
    let pending = render::pending(&api, &info).map_err(|e| internal(e.0))?;
    let files = format::render_and_format(pending).map_err(internal)?;
    drop(api);
    Ok(Generated {
        files,
        warnings,
        paged,
    })
}
