//! `generated/` must be exactly what the generator emits for `spec/` now.

use codegen::output::{sync, Mode};
use codegen_tests::{generate_from, root};

#[test]
fn generated_crate_is_current() {
    let generated = generate_from("spec/tokens.yaml").expect("the spec generates");
    let report = sync(&root().join("generated"), &generated.files, Mode::Check)
        .expect("generated/ is readable");
    assert!(
        report.is_clean(),
        "generated/ is stale; run `cargo xtask generate`.\nstale: {:?}\nmissing: {:?}\nextra: {:?}",
        report.changed,
        report.added,
        report.removed
    );
    assert_eq!(report.unchanged, generated.files.len());
}

#[test]
fn embedded_spec_is_the_spec_file() {
    let on_disk = std::fs::read_to_string(root().join("spec/tokens.yaml")).unwrap();
    assert_eq!(codegen::EMBEDDED_SPEC, on_disk);
}

#[test]
fn generation_is_deterministic() {
    let a = generate_from("spec/tokens.yaml").unwrap().files;
    let b = generate_from("spec/tokens.yaml").unwrap().files;
    assert_eq!(a, b);
}

/// The runtime crate builds with the host API's generated files
/// (`runtime/src/host/`): they must be what the generator emits now.
#[test]
fn runtime_host_files_are_current() {
    let generated = generate_from("runtime/host/spec.yaml").expect("the host API generates");
    let files = codegen::runtime::host_files(&generated.files);
    let report = sync(&root().join("runtime/src/host"), &files, Mode::Check)
        .expect("runtime/src/host is readable");
    assert!(
        report.is_clean(),
        "runtime/src/host is stale; run `cargo xtask generate`.\nstale: {:?}\nmissing: {:?}\nextra: {:?}",
        report.changed,
        report.added,
        report.removed
    );
    assert!(
        files.iter().any(|f| f.path == "grants.rs") && files.iter().all(|f| f.path != "lib.rs")
    );
}
