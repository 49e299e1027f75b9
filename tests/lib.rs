//! Helpers shared by the test suites.

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Generates a crate in memory from a spec file given relative to the
/// workspace root (and reported under that relative name).
pub fn generate_from(relative: &str) -> Result<codegen::Generated, codegen::diag::Diagnostics> {
    let mut source = codegen::load::Source::read(&root().join(relative))?;
    source.name = relative.to_owned();
    codegen::generate(&source, &codegen::Options::default())
}

/// The README's Rust examples compile against the generated crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
