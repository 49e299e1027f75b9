//! The emitted code compiles: a fixture spec is generated with `--out` into a
//! standalone crate outside the workspace, which must pass clippy with
//! warnings denied, rustdoc with warnings denied, and its doctests.

use codegen_tests::root;
use std::path::Path;
use std::process::Command;

fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.args(args)
        .current_dir(dir)
        // Reuse one target folder across runs; it is not the workspace's, so
        // the build here never waits for the lock the running test holds.
        .env("CARGO_TARGET_DIR", root().join("target/emitted-crates"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo {} failed in {}:\n{}{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Emits `spec` as crate `name` outside the workspace and checks it with
/// clippy (warnings denied), rustdoc (warnings denied) and its doctests;
/// `behaviour`, a test file from `tests/fixtures/behaviour/`, runs inside it.
fn check_emitted_crate(spec: &str, name: &str, behaviour: Option<&str>) {
    let dir = std::env::temp_dir().join(format!("codegen-emitted-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let defaults = codegen::cli::Defaults {
        spec: None,
        out: dir.clone(),
        command: "test".into(),
    };
    let spec = root().join(spec);
    let args: Vec<String> = ["--spec", spec.to_str().unwrap(), "--crate-name", name]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(codegen::cli::run(&args, &defaults), 0);
    assert!(dir.join("Cargo.toml").is_file());
    // Resolve the same dependency versions as the workspace.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    if let Some(file) = behaviour {
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::copy(
            root().join("tests/fixtures/behaviour").join(file),
            dir.join("tests").join(file),
        )
        .unwrap();
        // The behaviour tests use serde_json, which the crate has as a dependency only.
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let manifest = manifest.replace(
            "[dev-dependencies]\n",
            "[dev-dependencies]\nserde_json = \"1\"\n",
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
