//! Snapshots of every file the generator emits, for the Tokens spec and the
//! focused fixtures. A snapshot file that no test asserts fails the run.

use codegen_tests::generate_from;
use std::collections::BTreeSet;
use std::sync::Mutex;

/// Snapshot names asserted so far, to find unreferenced snapshot files.
static ASSERTED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// The runtime modules without parts whose snapshot is kept already.
static FIXED_SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

fn snapshot_crate(prefix: &str, spec: &str) {
    let generated = generate_from(spec).unwrap_or_else(|d| panic!("{spec} must generate:\n{d}"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(spec);
    settings.bind(|| {
        for file in &generated.files {
            // A runtime module every crate carries alike is kept once, with
            // the first crate that has it.
            let fixed = (codegen::runtime::Module::ALL.iter())
                .any(|m| m.is_fixed() && m.path() == file.path);
            if fixed && !FIXED_SEEN.lock().unwrap().insert(file.path.clone()) {
                continue;
            }
            let name = format!("{prefix}__{}", file.path.replace(['/', '.'], "_"));
            ASSERTED.lock().unwrap().insert(format!("{name}.snap"));
            insta::assert_snapshot!(name.as_str(), file.contents);
        }
    });
    if !generated.warnings.is_empty() {
        let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
        let name = format!("{prefix}__warnings");
        ASSERTED.lock().unwrap().insert(format!("{name}.snap"));
        settings.bind(|| insta::assert_snapshot!(name.as_str(), warnings.join("\n")));
    }
}

#[test]
fn snapshots() {
    snapshot_crate("tokens", "spec/tokens.yaml");
    snapshot_crate("features", "tests/fixtures/features.yaml");
    snapshot_crate("coverage", "tests/fixtures/coverage.yaml");
    snapshot_crate("swagger2", "tests/fixtures/swagger2.yaml");
    snapshot_crate("security", "tests/fixtures/security.yaml");
    snapshot_crate("servers", "tests/fixtures/servers.yaml");
    snapshot_crate("realworld", "tests/fixtures/realworld.yaml");
    snapshot_crate("payloads", "tests/fixtures/payloads.yaml");
    snapshot_crate("edges", "tests/fixtures/edges.yaml");
    snapshot_crate("paging", "tests/fixtures/paging/spec.yaml");
    snapshot_crate("models_only", "tests/fixtures/models-only.yaml");

    codegen_tests::assert_no_unreferenced_snapshots("tests/snapshots", &ASSERTED.lock().unwrap());
}
