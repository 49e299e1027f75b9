//! Helpers shared by the test suites.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// The whole Genesys Cloud public API as published on 2018-03-21 (Swagger
/// 2.0, 932 operations), relative to the workspace root: it sits beside the
/// repository (in CI, a clone reaches it through a symlink at the same place).
pub const GENESYS_2018: &str = "../shared/specs/genesys-publicapi-v2-2018-03-21.swagger.json";

/// The variable that turns a missing `../shared` from a skip into a failure
/// (`.ci/run` sets it: there the folder is always present).
pub const REQUIRE_SHARED: &str = "CODEGEN_REQUIRE_SHARED";

/// Whether the file at `relative` (to the workspace root) inside the
/// reference material beside the repository (`../shared`) is there. A test
/// that reads such a file asks first and, when it is not (a clone of the
/// project alone), says it is skipped and returns; with [`REQUIRE_SHARED`]
/// set, the missing file fails the test instead.
pub fn shared_present(relative: &str, test: &str) -> bool {
    let path = root().join(relative);
    if path.is_file() {
        return true;
    }
    assert!(
        std::env::var_os(REQUIRE_SHARED).is_none(),
        "{test}: {} is missing, and {REQUIRE_SHARED} is set",
        path.display()
    );
    eprintln!(
        "{test}: skipped: it reads {}, which is not there (the reference material beside the repository)",
        path.display()
    );
    false
}

/// The `operationId`s of the operations that `tag` is one of the tags of,
/// read straight from the JSON spec at `relative` (to the workspace root).
pub fn operations_tagged(relative: &str, tag: &str) -> std::collections::BTreeSet<String> {
    let path = root().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (see GENESYS_2018)", path.display()));
    let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
    let paths = spec["paths"].as_object().expect("the spec has paths");
    paths
        .values()
        .filter_map(|item| item.as_object())
        .flat_map(|item| item.values())
        .filter(|op| (op["tags"].as_array()).is_some_and(|tags| tags.iter().any(|t| t == tag)))
        .map(|op| {
            op["operationId"]
                .as_str()
                .expect("an operationId")
                .to_owned()
        })
        .collect()
}

/// Generates a crate in memory from a spec file given relative to the
/// workspace root (and reported under that relative name), with the
/// settings file beside it when there is one.
pub fn generate_from(relative: &str) -> Result<codegen::Generated, codegen::diag::Diagnostics> {
    let path = root().join(relative);
    let mut source = codegen::load::Source::read(&path)?;
    source.name = relative.to_owned();
    let settings = codegen::settings::Loaded::find(None, Some(&path))?;
    codegen::generate(&source, &codegen::Options::with_settings(settings))
}

/// Emits the spec at `relative` (to the workspace root) with `--out` as the
/// standalone crate `name` in a fresh temporary folder, which it returns, with
/// the workspace's `Cargo.lock` so that it resolves the same versions.
pub fn emit_crate(relative: &str, name: &str) -> PathBuf {
    emit_crate_with(relative, name, &[])
}

/// [`emit_crate`] with more options of the command line, e.g. `--tag`.
pub fn emit_crate_with(relative: &str, name: &str, options: &[&str]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-emitted-{name}-{}", std::process::id()));
    emit_into(&root().join(relative), name, &dir, options);
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

/// Emits the spec at `spec` with `--out` into `dir` (emptied first) as the
/// crate `name`, with the further command-line `options`; fails the test
/// unless it generates.
pub fn emit_into(spec: &Path, name: &str, dir: &Path, options: &[&str]) {
    let _ = std::fs::remove_dir_all(dir);
    let defaults = codegen::cli::Defaults {
        spec: None,
        out: dir.to_path_buf(),
        command: "test".into(),
    };
    let args: Vec<String> = ["--spec", spec.to_str().unwrap(), "--crate-name", name]
        .iter()
        .chain(options)
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        codegen::cli::run(&args, &defaults),
        0,
        "generating {}",
        spec.display()
    );
    assert!(dir.join("Cargo.toml").is_file());
}

/// Every file below `dir` with its bytes.
pub fn files_below(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Runs `cargo ARGS` in an emitted crate's folder with the extra environment
/// `env`, and fails the test with cargo's output when it fails.
pub fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.args(args)
        .current_dir(dir)
        // One target folder for every emitted crate, kept across runs; it is
        // not the workspace's, so the build never waits for the lock the
        // running test holds.
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

/// Fails when `dir` (relative to the workspace root) holds `.snap` files
/// that are not in `asserted`: snapshots no test checks any more.
pub fn assert_no_unreferenced_snapshots(dir: &str, asserted: &std::collections::BTreeSet<String>) {
    let unreferenced: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".snap") && !asserted.contains(name))
        .collect();
    assert!(
        unreferenced.is_empty(),
        "snapshot files no test asserts (delete them): {unreferenced:?}"
    );
}

/// The README's Rust examples compile against the generated crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
