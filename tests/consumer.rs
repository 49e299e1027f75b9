//! A crate outside the workspace that uses the Tokens crate, as its users
//! do, unit-tests its own logic against the crate's mock (`test-util`):
//! `tests/fixtures/consumer/`, built and tested here as its own package.

use codegen_tests::{cargo, root};

#[test]
fn a_consumer_tests_its_own_code_against_the_mock() {
    let dir = std::env::temp_dir().join(format!("codegen-consumer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let fixture = root().join("tests/fixtures/consumer");
    for file in ["src/lib.rs", "tests/service.rs"] {
        let to = dir.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(file), to).unwrap();
    }
    let manifest = format!(
        r#"[package]
name = "consumer"
version = "0.1.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
genesys-cloud-tokens = {{ path = {generated:?} }}

[dev-dependencies]
genesys-cloud-tokens = {{ path = {generated:?}, features = ["test-util"] }}
serde_json = "1"
tokio = {{ version = "1", features = ["macros", "rt", "test-util"] }}
"#,
        generated = root().join("generated").display().to_string(),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    cargo(
        &dir,
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"],
        &[],
    );
    cargo(&dir, &["test", "--quiet"], &[]);
    std::fs::remove_dir_all(&dir).unwrap();
}
