//! Project tasks:
//! - `cargo xtask generate [--spec PATH] [--settings PATH] [--out DIR] [--crate-name NAME] [--tag NAME]… [--check]`;
//!   without options it also writes the runtime crate's host files (`runtime/src/host/`)
//! - `cargo xtask diff [OLD] [NEW] [--format text|markdown|json] [--settings PATH] [--tag NAME]… [--deny-breaking]`
//! - `cargo xtask bench [--sizes …] [--steps …]`: see `BENCHMARKS.md`
//! - `cargo xtask conformance [--spec PATH] [--settings PATH] [--tag NAME]…`: see the README

use std::path::PathBuf;

mod bench;
mod conformance;
mod host;

#[global_allocator]
static GLOBAL: codegen::MiMalloc = codegen::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let code = match args.first().map(String::as_str) {
        Some("generate") => {
            let defaults = codegen::cli::Defaults {
                spec: Some(root.join("spec/tokens.yaml")),
                out: root.join("generated"),
                command: "cargo xtask generate".into(),
            };
            let code = codegen::cli::run(&args[1..], &defaults);
            // The default run also keeps the runtime crate's host files current.
            let mode = match &args[1..] {
                [] => Some(codegen::output::Mode::Write),
                [check] if check == "--check" => Some(codegen::output::Mode::Check),
                _ => None,
            };
            match mode {
                Some(mode) if code == 0 || mode == codegen::output::Mode::Check => {
                    code.max(host::run(&root, mode))
                }
                _ => code,
            }
        }
        Some("diff") => {
            let defaults = codegen::diff::Defaults {
                root,
                spec: "spec/tokens.yaml".into(),
                command: "cargo xtask diff".into(),
            };
            codegen::diff::run(&args[1..], &defaults)
        }
        Some("bench") => bench::run(&args[1..]),
        Some("conformance") => conformance::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask generate [options]\n\n{}\n\n\
                 usage: cargo xtask diff [OLD] [NEW] [options]\n\n{}",
                codegen::cli::USAGE,
                codegen::diff::USAGE
            );
            2
        }
    };
    std::process::exit(code);
}
