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

#[test]
fn fixture_crate_builds_cleanly_on_its_own() {
    let dir = std::env::temp_dir().join(format!("codegen-emitted-features-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let defaults = codegen::cli::Defaults {
        spec: None,
        out: dir.clone(),
        command: "test".into(),
    };
    let spec = root().join("tests/fixtures/features.yaml");
    let args: Vec<String> = [
        "--spec",
        spec.to_str().unwrap(),
        "--crate-name",
        "feature-fixture",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(codegen::cli::run(&args, &defaults), 0);
    assert!(dir.join("Cargo.toml").is_file());
    // Resolve the same dependency versions as the workspace.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

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
    cargo(&dir, &["test", "--doc", "--quiet"], &[]);
    std::fs::remove_dir_all(&dir).unwrap();
}
