//! One Cargo feature per tag: the reachability sets of a multi-tag fixture,
//! and the emitted crate checked with each feature alone, with none and with
//! all (warnings denied), outside the workspace.

use codegen::features::{self, UNREFERENCED_MODELS};
use codegen_tests::{cargo, emit_crate, root};
use std::collections::BTreeSet;

const SPEC: &str = "tests/fixtures/tags.yaml";

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

fn lowered() -> codegen::ir::Api {
    let source = codegen::load::Source::read(&root().join(SPEC)).expect("the fixture reads");
    let doc = codegen::load::load(&source).expect("the fixture parses");
    let (api, _) = codegen::lower::lower(&doc, &Default::default()).expect("the fixture lowers");
    api
}

#[test]
fn each_tag_reaches_exactly_its_models() {
    let api = lowered();
    let plan = features::plan(&api);
    let by_name = |name: &str| {
        plan.all()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no feature {name}"))
            .models
            .clone()
    };
    let names: Vec<&str> = plan.all().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["other", "pets", "serde", "stores", UNREFERENCED_MODELS]
    );
    // Through fields (Owner → Address) and arrays (Label).
    assert_eq!(
        by_name("pets"),
        set(&[
            "Address",
            "Label",
            "NewPet",
            "Owner",
            "Pet",
            "Problem",
            "ProblemDetail"
        ])
    );
    // Through a query parameter, a map of a union (StoreItem → Toy, Pet → …).
    assert_eq!(
        by_name("stores"),
        set(&[
            "Address",
            "Label",
            "Owner",
            "Pet",
            "Problem",
            "ProblemDetail",
            "Store",
            "StoreItem",
            "StoreStatus",
            "Toy"
        ])
    );
    // Through an alias (FormatList → Format) and a typed error body (Conflict).
    assert_eq!(
        by_name("serde"),
        set(&[
            "Conflict",
            "Format",
            "FormatList",
            "Problem",
            "ProblemDetail"
        ])
    );
    // The operation without a tag.
    assert_eq!(by_name("other"), set(&["Health"]));
    // The orphan, and what it reaches.
    assert_eq!(by_name(UNREFERENCED_MODELS), set(&["Label", "Orphan"]));
    // The error model (which operations' error responses reach too) is
    // compiled whatever the features.
    assert_eq!(api.error_model.as_deref(), Some("Problem"));
    assert_eq!(plan.always, set(&["Problem", "ProblemDetail"]));
    // Every model is compiled by some feature or always.
    let by_model = plan.by_model();
    assert_eq!(by_model.len(), api.models.len());
    assert_eq!(by_model["Label"], ["pets", "stores", UNREFERENCED_MODELS]);
    assert!(by_model["ProblemDetail"].is_empty());
}

#[test]
fn a_tag_selection_keeps_what_its_feature_compiles() {
    let api = lowered();
    let plan = features::plan(&api);
    for (group, feature) in api.groups.iter().zip(&plan.groups) {
        let mut selected = api.clone();
        let tags = vec![group.tag.clone()];
        codegen::select::Selection::from_run(&tags, &Default::default())
            .unwrap()
            .apply(&mut selected)
            .unwrap();
        let kept: BTreeSet<String> = selected.models.iter().map(|m| m.name.clone()).collect();
        let compiled: BTreeSet<String> = feature.models.union(&plan.always).cloned().collect();
        assert_eq!(kept, compiled, "{}", group.tag);
    }
}

#[test]
fn every_feature_builds_alone_and_together_without_warnings() {
    let dir = emit_crate(SPEC, "tags-fixture");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(
            "default = [\"rustls-ring\", \"other\", \"pets\", \"serde\", \"stores\", \"unreferenced-models\"]"
        ),
        "every feature is on by default:\n{manifest}"
    );

    // Each feature alone, and none: clippy with warnings denied (a dangling
    // `use`, an unused import or dead code would fail here).
    // `rustls-ring`, the TLS crypto provider, is one of the defaults too.
    let plan = features::plan(&lowered());
    let mut sets: Vec<String> = plan
        .all()
        .map(|f| format!("rustls-ring,{}", f.name))
        .collect();
    sets.push("rustls-ring".to_owned());
    for features in &sets {
        cargo(
            &dir,
            &[
                "clippy",
                "--quiet",
                "--no-default-features",
                "--features",
                features,
                "--",
                "-D",
                "warnings",
            ],
            &[],
        );
    }
    cargo(&dir, &["check", "--quiet", "--all-features"], &[]);
    // Without a TLS crypto provider the crate says which feature to turn on.
    let none = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args([
            "check",
            "--quiet",
            "--no-default-features",
            "--features",
            "pets",
        ])
        .current_dir(&dir)
        .env(
            "CARGO_TARGET_DIR",
            codegen_tests::root().join("target/emitted-crates"),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert!(!none.status.success());
    assert!(
        stderr.contains(
            "turn on this crate's `rustls-ring` (the default) or `rustls-aws-lc` feature"
        ),
        "{stderr}"
    );
    // Intra-doc links of a single feature (a typed error body) resolve.
    cargo(
        &dir,
        &[
            "doc",
            "--quiet",
            "--no-deps",
            "--no-default-features",
            "--features",
            "rustls-ring,serde",
        ],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
