//! The emitted code compiles: a fixture spec is generated with `--out` into a
//! standalone crate outside the workspace, which must pass clippy with
//! warnings denied, rustdoc with warnings denied, and its doctests; and the
//! Tokens crate selected from the whole 2018 Genesys Cloud API passes clippy.

use codegen_tests::{
    cargo, emit_crate, emit_crate_with, operations_tagged, root, shared_present, GENESYS_2018,
};
use std::collections::BTreeSet;

/// Emits `spec` as crate `name` outside the workspace and checks it with
/// clippy (warnings denied), rustdoc (warnings denied) and its doctests;
/// `behaviour`, a test file from `tests/fixtures/behaviour/`, runs inside it.
fn check_emitted_crate(spec: &str, name: &str, behaviour: Option<&str>) {
    let dir = emit_crate(spec, name);
    assert_names_no_vendor(&dir);
    if let Some(file) = behaviour {
        // The behaviour tests use serde_json, serde_urlencoded and (to read
        // the payloads fixture's uploads) a multipart parser.
        add_test(
            &dir,
            file,
            &[(
                "[dev-dependencies]\n",
                "[dev-dependencies]\nserde_json = \"1\"\nserde_urlencoded = \"0.7\"\n\
                  multer = { version = \"3.1\", features = [\"tokio-io\"] }\n",
            )],
        );
    }

    cargo(
        &dir,
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"],
        &[],
    );
    // With every feature, the mock (`test-util`) too.
    cargo(
        &dir,
        &[
            "clippy",
            "--all-targets",
            "--all-features",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
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

/// Emits the spec at `spec` as `name`, and runs the mock test `file` (in
/// `tests/fixtures/behaviour/`) against it with the `test-util` feature,
/// after clippy of every target with it.
fn check_mocked_crate(spec: &str, name: &str, file: &str) {
    let dir = emit_crate(spec, name);
    // The mock tests use serde_json, and tokio's paused clock.
    add_test(
        &dir,
        file,
        &[
            (
                "[dev-dependencies]\n",
                "[dev-dependencies]\nserde_json = \"1\"\n",
            ),
            (
                "features = [\"macros\", \"rt-multi-thread\"]",
                "features = [\"macros\", \"rt-multi-thread\", \"test-util\"]",
            ),
        ],
    );
    cargo(
        &dir,
        &[
            "clippy",
            "--all-targets",
            "--features",
            "test-util",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    );
    cargo(
        &dir,
        &[
            "test",
            "--features",
            "test-util",
            "--quiet",
            "--test",
            file.trim_end_matches(".rs"),
        ],
        &[],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_mock_of_a_basic_auth_api_answers_as_the_api_would() {
    let spec = "../shared/specs/corpus/twilio-twilio_accounts_v1.json";
    if !shared_present(spec, "the_mock_of_a_basic_auth_api") {
        return;
    }
    check_mocked_crate(spec, "twilio-accounts", "mock_twilio_accounts.rs");
}

#[test]
fn the_mock_of_an_api_key_api_gets_each_key_where_its_scheme_says() {
    check_mocked_crate(
        "tests/fixtures/security.yaml",
        "security-mocked",
        "mock_security.rs",
    );
}

/// Copies the test `file` (in `tests/fixtures/behaviour/`) into the emitted
/// crate at `dir`, with `edits` (text and replacement) of its manifest.
fn add_test(dir: &std::path::Path, file: &str, edits: &[(&str, &str)]) {
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/behaviour").join(file),
        dir.join("tests").join(file),
    )
    .unwrap();
    let mut manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    for (text, replacement) in edits {
        assert!(manifest.contains(text), "the manifest has no {text:?}");
        manifest = manifest.replace(text, replacement);
    }
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
}

/// The words that would show the Genesys profile leaking into a crate made
/// without its settings.
const VENDOR_WORDS: &[&str] = &["genesys", "purecloud", "mypurecloud", "inin", "pure.cloud"];

/// No file of a crate emitted without settings names a vendor.
fn assert_names_no_vendor(dir: &std::path::Path) {
    let mut stack = vec![dir.to_path_buf()];
    let mut files = 0;
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.file_name().is_some_and(|n| n == "Cargo.lock") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).unwrap().to_ascii_lowercase();
        for word in VENDOR_WORDS {
            let found = text.match_indices(word).any(|(at, _)| {
                // `inin` inside a word (`joining`) is not the vendor.
                let before = text[..at].chars().next_back();
                let after = text[at + word.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            });
            assert!(!found, "{} names `{word}`", path.display());
        }
    }
    assert!(files > 3, "the crate at {} has files", dir.display());
}

#[test]
fn security_fixture_sends_what_each_scheme_says() {
    check_emitted_crate(
        "tests/fixtures/security.yaml",
        "security-fixture",
        Some("security.rs"),
    );
}

#[test]
fn servers_fixture_builds_each_servers_url() {
    check_emitted_crate(
        "tests/fixtures/servers.yaml",
        "served-things",
        Some("servers.rs"),
    );
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
fn the_2018_api_with_tag_tokens_is_its_tokens_operations_and_builds_cleanly() {
    if !shared_present(GENESYS_2018, "the_2018_api_with_tag_tokens") {
        return;
    }
    let dir = emit_crate_with(GENESYS_2018, "genesys-2018-tokens", &["--tag", "Tokens"]);
    // Every operation's docs name it: `GET /api/v2/tokens/me` (operation `getTokensMe`).
    let mut emitted = BTreeSet::new();
    for entry in std::fs::read_dir(dir.join("src/apis")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for piece in text.split("(operation `").skip(1) {
            emitted.insert(piece[..piece.find('`').unwrap()].to_owned());
        }
    }
    let tagged = operations_tagged(GENESYS_2018, "Tokens");
    assert!(!tagged.is_empty());
    assert_eq!(emitted, tagged);
    // Every model is used by an operation or the error model.
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("unreferenced-models"), "{manifest}");

    cargo(
        &dir,
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"],
        &[],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn realworld_fixture_builds_cleanly_and_behaves() {
    check_emitted_crate(
        "tests/fixtures/realworld.yaml",
        "realworld-fixture",
        Some("realworld.rs"),
    );
}

#[test]
fn payloads_fixture_decodes_and_writes_back_what_servers_send() {
    check_emitted_crate(
        "tests/fixtures/payloads.yaml",
        "payloads-fixture",
        Some("payloads.rs"),
    );
}

#[test]
fn edge_shapes_build_cleanly() {
    check_emitted_crate("tests/fixtures/edges.yaml", "edges-fixture", None);
}

#[test]
fn a_spec_without_operations_is_a_crate_of_models_and_builds_cleanly() {
    let dir = emit_crate("tests/fixtures/models-only.yaml", "models-only");
    assert!(
        !dir.join("src/client.rs").exists(),
        "no client without operations"
    );
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("reqwest"), "{manifest}");
    drop(dir);
    check_emitted_crate("tests/fixtures/models-only.yaml", "models-only", None);
}

/// The TLS tests (`tests/tls.rs`) pass again with aws-lc-rs as the crate's
/// only provider: the Tokens crate emitted with `rustls-aws-lc` instead of
/// the default `rustls-ring` connects, verifies and shows its certificate
/// the same way, and installs no process-wide provider either.
#[test]
fn the_aws_lc_provider_makes_the_same_tls_connections() {
    let dir = emit_crate("spec/tokens.yaml", "genesys-cloud-tokens");
    std::fs::create_dir_all(dir.join("tests/fixtures/tls")).unwrap();
    std::fs::copy(root().join("tests/tls.rs"), dir.join("tests/tls.rs")).unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/tls")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            dir.join("tests/fixtures/tls")
                .join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let mut manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let dev = "[dev-dependencies]\n";
    assert!(manifest.contains(dev), "{manifest}");
    // The test's server uses ring; the crate's client does not.
    manifest = manifest.replace(
        dev,
        "[dev-dependencies]\n\
         tokio-rustls = { version = \"0.26\", default-features = false, features = [\"ring\", \"tls12\"] }\n",
    );
    manifest = manifest.replace(
        "features = [\"macros\", \"rt-multi-thread\"]",
        "features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\", \"time\"]",
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    cargo(
        &dir,
        &[
            "test",
            "--quiet",
            "--no-default-features",
            "--features",
            "rustls-aws-lc,tokens",
            "--test",
            "tls",
        ],
        &[],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn paging_fixture_pages_every_way_and_stops_where_servers_lie() {
    check_emitted_crate(
        "tests/fixtures/paging/spec.yaml",
        "paging-fixture",
        Some("paging.rs"),
    );
}

#[test]
fn the_mock_of_a_paged_api_answers_page_by_page() {
    check_mocked_crate(
        "tests/fixtures/paging/spec.yaml",
        "paging-mocked",
        "mock_paging.rs",
    );
}
