//! `openapi-rust-codegen [--spec PATH] [--settings PATH] [--out DIR] [--crate-name NAME] [--tag NAME]… [--check]`

#[global_allocator]
static GLOBAL: codegen::MiMalloc = codegen::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let defaults = codegen::cli::Defaults {
        spec: None,
        out: "generated".into(),
        command: "openapi-rust-codegen".into(),
    };
    std::process::exit(codegen::cli::run(&args, &defaults));
}
