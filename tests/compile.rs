//! The emitted code compiles: a fixture spec is generated with `--out` into a
//! standalone crate outside the workspace, which must pass clippy with
//! warnings denied, rustdoc with warnings denied, and its doctests.

use codegen_tests::{cargo, emit_crate, root};

/// Emits `spec` as crate `name` outside the workspace and checks it with
/// clippy (warnings denied), rustdoc (warnings denied) and its doctests;
/// `behaviour`, a test file from `tests/fixtures/behaviour/`, runs inside it.
fn check_emitted_crate(spec: &str, name: &str, behaviour: Option<&str>) {
    let dir = emit_crate(spec, name);
    if let Some(file) = behaviour {
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::copy(
            root().join("tests/fixtures/behaviour").join(file),
            dir.join("tests").join(file),
        )
        .unwrap();
        // The behaviour tests use serde_json and serde_urlencoded, which the
        // crate has as dependencies only.
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let manifest = manifest.replace(
            "[dev-dependencies]\n",
            "[dev-dependencies]\nserde_json = \"1\"\nserde_urlencoded = \"0.7\"\n",
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    }

    cargo(
        &dir,
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"],
        &[],
    );
    cargo(
        &dir,
        &["doc", "--no-deps", "--quiet"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    cargo(&dir, &["test", "--quiet"], &[]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn feature_fixture_builds_cleanly_on_its_own() {
    check_emitted_crate("tests/fixtures/features.yaml", "feature-fixture", None);
}

#[test]
fn coverage_fixture_builds_cleanly_and_behaves() {
    check_emitted_crate(
        "tests/fixtures/coverage.yaml",
        "coverage-fixture",
        Some("coverage.rs"),
    );
}

#[test]
fn swagger2_fixture_builds_cleanly_on_its_own() {
    check_emitted_crate("tests/fixtures/swagger2.yaml", "swagger2-fixture", None);
}

#[test]
fn realworld_fixture_builds_cleanly_and_behaves() {
    check_emitted_crate(
        "tests/fixtures/realworld.yaml",
        "realworld-fixture",
        Some("realworld.rs"),
    );
}
