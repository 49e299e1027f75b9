//! The runtime crate's host files: what the generator emits for the
//! runtime's host API (`runtime/host/spec.yaml`), which the runtime crate
//! builds with (see `runtime/src/lib.rs`). `cargo xtask generate` writes
//! them to `runtime/src/host/`; with `--check` it fails when they are stale.

use std::path::Path;

use codegen::output::{sync, Mode};

/// The host API's spec, relative to the workspace root.
pub const SPEC: &str = "runtime/host/spec.yaml";

/// Writes or checks the host files; the exit status.
pub fn run(root: &Path, mode: Mode) -> i32 {
    let files = match files(root) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("{message}");
            eprintln!("runtime/src/host was not written");
            return 1;
        }
    };
    let out = root.join("runtime/src/host");
    let report = match sync(&out, &files, mode) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: cannot update runtime/src/host: {e}");
            return 1;
        }
    };
    match mode {
        Mode::Check => {
            codegen::cli::report_check(&"runtime/src/host", &report, "cargo xtask generate")
        }
        Mode::Write => {
            codegen::cli::report_written(&"runtime/src/host", &report, "");
            0
        }
    }
}

/// The host files as the generator emits them now.
pub fn files(root: &Path) -> Result<Vec<codegen::format::OutputFile>, String> {
    let spec = root.join(SPEC);
    let mut source = codegen::load::Source::read(&spec).map_err(|d| d.to_string())?;
    source.name = SPEC.to_owned();
    let settings = codegen::settings::Loaded::find(None, Some(&spec)).map_err(|d| d.to_string())?;
    let generated = codegen::generate(&source, &codegen::Options::with_settings(settings))
        .map_err(|d| d.to_string())?;
    Ok(codegen::runtime::host_files(&generated.files))
}
