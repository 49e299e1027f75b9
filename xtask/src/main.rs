//! Project tasks: `cargo xtask generate [--spec PATH] [--out DIR] [--crate-name NAME] [--check]`.

use std::path::PathBuf;

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
            codegen::cli::run(&args[1..], &defaults)
        }
        _ => {
            eprintln!(
                "usage: cargo xtask generate [options]\n\n{}",
                codegen::cli::USAGE
            );
            2
        }
    };
    std::process::exit(code);
}
