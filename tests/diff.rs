//! `cargo xtask diff`: the semantic API diff and its semver verdict.
//!
//! Fixture pairs under `tests/fixtures/diff/` cover each kind of change; their
//! reports are snapshotted (text, Markdown, JSON) under `tests/snapshots/diff/`,
//! and the classifications that matter most are asserted explicitly, as is
//! the Tokens API's history from its 2018 publication (a `--tag Tokens`
//! selection of the whole API) to `spec/tokens.yaml`. A snapshot file there
//! that no test asserts fails the run.

use codegen::diff::{self, diff_sources, Area, Change, Defaults, Format, Kind, Report, Verdict};
use codegen::load::Source;
use codegen::select::{Origin, Selection};
use codegen_tests::{operations_tagged, root, shared_present, GENESYS_2018};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

const FIXTURES: &str = "tests/fixtures/diff";

/// A spec file, reported under its name relative to the workspace root.
fn source(relative: &str) -> Source {
    let mut s = Source::read(&root().join(relative)).unwrap_or_else(|d| panic!("{d}"));
    s.name = relative.to_owned();
    s
}

/// The Tokens crate's settings (the extensions they name for permissions and previews).
fn keys() -> codegen::settings::Settings {
    codegen::settings::Loaded::read(&root().join("spec/codegen.toml"))
        .unwrap_or_else(|d| panic!("{d}"))
        .settings
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}.yaml")
}

fn report(old: &str, new: &str) -> Report {
    diff_sources(&source(old), &source(new), &keys()).unwrap_or_else(|d| panic!("{d}"))
}

fn pair(name: &str) -> Report {
    report(
        &fixture(&format!("{name}-old")),
        &fixture(&format!("{name}-new")),
    )
}

/// The Tokens operations of the whole 2018 API against today's Tokens spec
/// (made once: the 2018 spec is large).
fn tokens_since_2018() -> Report {
    static REPORT: std::sync::OnceLock<Report> = std::sync::OnceLock::new();
    let report = REPORT.get_or_init(|| {
        let tokens = Selection {
            tags: vec!["Tokens".into()],
            origin: Origin::CommandLine,
        };
        let (old, new) = (source(GENESYS_2018), source("spec/tokens.yaml"));
        diff::diff_selected(&old, &new, &keys(), Some(&tokens)).unwrap_or_else(|d| panic!("{d}"))
    });
    report.clone()
}

/// The change at `location` whose message contains `text`.
fn find<'r>(report: &'r Report, location: &str, text: &str) -> &'r Change {
    report
        .changes
        .iter()
        .find(|c| c.location == location && c.message.contains(text))
        .unwrap_or_else(|| {
            panic!(
                "no change at `{location}` mentioning `{text}` in:\n{}",
                report.to_text()
            )
        })
}

fn assert_change(report: &Report, location: &str, text: &str, kind: Kind, area: Area) {
    let c = find(report, location, text);
    assert_eq!(
        (c.kind, c.area),
        (kind, area),
        "{location}: {}\n{}",
        c.message,
        report.to_text()
    );
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn defaults() -> Defaults {
    Defaults {
        root: root(),
        spec: "spec/tokens.yaml".into(),
        command: "cargo xtask diff".into(),
    }
}

/// Runs the command line; returns the exit code, stdout and stderr.
fn cli(list: &[&str]) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = diff::run_to(&args(list), &defaults(), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn path(relative: &str) -> String {
    root().join(relative).to_string_lossy().into_owned()
}

// ------------------------------------------------------------------ snapshots

#[test]
fn snapshots() {
    let mut asserted = BTreeSet::new();
    let cases = [
        (
            "tokens-2026-02",
            report(&fixture("tokens-2026-02"), "spec/tokens.yaml"),
        ),
        ("operations", pair("operations")),
        ("models", pair("models")),
        ("docs", pair("docs")),
        ("access", pair("access")),
        ("unchanged", report("spec/tokens.yaml", "spec/tokens.yaml")),
    ];
    let since_2018 = shared_present(GENESYS_2018, "diff snapshots tokens-since-2018")
        .then(|| ("tokens-since-2018", tokens_since_2018()));
    let cases: Vec<_> = cases.into_iter().chain(since_2018).collect();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/diff");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, report) in &cases {
            for (format, ext) in [
                (Format::Text, "text"),
                (Format::Markdown, "markdown"),
                (Format::Json, "json"),
            ] {
                let snapshot = format!("{name}__{ext}");
                asserted.insert(format!("{snapshot}.snap"));
                insta::assert_snapshot!(snapshot.as_str(), format.render(report));
            }
        }
    });

    if !cases.iter().any(|(name, _)| *name == "tokens-since-2018") {
        // Skipped, not unreferenced.
        for ext in ["text", "markdown", "json"] {
            asserted.insert(format!("tokens-since-2018__{ext}.snap"));
        }
    }
    codegen_tests::assert_no_unreferenced_snapshots("tests/snapshots/diff", &asserted);
}

// ------------------------------------------------------- the classifications

#[test]
fn the_real_history_of_the_tokens_api_is_minor() {
    let r = report(&fixture("tokens-2026-02"), "spec/tokens.yaml");
    assert_eq!(r.verdict(), Verdict::Minor, "{}", r.to_text());
    assert_eq!(r.count(Kind::Breaking), 0, "{}", r.to_text());
    for field in [
        "TokenInfo.dateTokenIdles",
        "IdleTokenTimeout.inactivityTimeoutUnit",
        "IdleTokenTimeout.inactivityTimeoutGroupsEnabled",
        "IdleTokenTimeout.inactivityTimeoutGroupBundles",
    ] {
        assert_change(&r, field, "optional field", Kind::Additive, Area::Fields);
    }
    assert_change(
        &r,
        "InactivityTimeoutGroupBundle",
        "struct `InactivityTimeoutGroupBundle` added",
        Kind::Additive,
        Area::Models,
    );
    let rust = find(&r, "TokenInfo.dateTokenIdles", "optional field");
    assert!(
        rust.message
            .contains("`TokenInfo::date_token_idles: Option<DateTime<Utc>>`"),
        "{}",
        rust.message
    );

    // Going back drops them all: every one is breaking.
    let back = report("spec/tokens.yaml", &fixture("tokens-2026-02"));
    assert_eq!(back.verdict(), Verdict::Major);
    assert_change(
        &back,
        "TokenInfo.dateTokenIdles",
        "removed",
        Kind::Breaking,
        Area::Fields,
    );
    assert_change(
        &back,
        "InactivityTimeoutGroupBundle",
        "removed",
        Kind::Breaking,
        Area::Models,
    );
}

#[test]
fn the_tokens_api_since_2018_reads_as_its_history() {
    if !shared_present(
        GENESYS_2018,
        "the_tokens_api_since_2018_reads_as_its_history",
    ) {
        return;
    }
    let r = tokens_since_2018();
    let then = operations_tagged(GENESYS_2018, "Tokens");
    let now = diff::Spec::load(&source("spec/tokens.yaml"), &keys()).unwrap();
    let now: BTreeSet<&str> = (now.api.groups.iter())
        .flat_map(|g| g.operations.iter().map(|o| o.id.as_str()))
        .collect();
    assert!(then.iter().all(|id| now.contains(id.as_str())), "{then:?}");
    for id in now.iter().filter(|id| !then.contains(**id)) {
        assert_change(&r, id, "added", Kind::Additive, Area::Operations);
    }
    assert_change(
        &r,
        "getTokensMe ?preserveIdleTTL",
        "optional query parameter",
        Kind::Additive,
        Area::Parameters,
    );
    for field in [
        "TokenInfo.dateTokenIdles",
        "OrgOAuthClient.roleDivisions",
        "ErrorBody.limit",
    ] {
        assert_change(&r, field, "optional field", Kind::Additive, Area::Fields);
    }
    // What breaks is what Genesys changed: the 2018 `UriReference` became
    // `DomainEntityRef` (the fields naming it follow), two grant types are
    // spelled anew, and the 2018 implicit-flow scheme `PureCloud Auth` (a
    // token obtained elsewhere) gave way to `PureCloud OAuth`, whose flows
    // the client runs itself.
    let breaking: Vec<&str> = r
        .of_kind(Kind::Breaking)
        .map(|c| c.location.as_str())
        .collect();
    assert_eq!(
        breaking,
        [
            "UriReference",
            "OrgOAuthClient.createdBy",
            "OrgOAuthClient.modifiedBy",
            "OrgOAuthClientAuthorizedGrantType \"CLIENT_CREDENTIALS\"",
            "OrgOAuthClientAuthorizedGrantType \"SAML2BEARER\"",
            "deleteTokensMe",
            "getTokensMe",
            "security scheme `PureCloud Auth`",
        ],
        "{}",
        r.to_text()
    );
    assert_change(
        &r,
        "UriReference",
        "renamed to `DomainEntityRef`",
        Kind::Breaking,
        Area::Models,
    );
    assert_change(
        &r,
        "OrgOAuthClientAuthorizedGrantType \"CLIENT_CREDENTIALS\"",
        "is now \"CLIENT-CREDENTIALS\"",
        Kind::Breaking,
        Area::EnumValues,
    );

    // The same from the command line, and a tag neither spec has.
    let (old, new) = (path(GENESYS_2018), path("spec/tokens.yaml"));
    let (code, out, _) = cli(&["--tag", "Tokens", &old, &new]);
    assert_eq!((code, out), (0, Format::Text.render(&r)));
    let (code, _, err) = cli(&["--tag=tokens", &new, &new]);
    assert_eq!(code, 2);
    assert!(err.contains("no operation has the tag `tokens`"), "{err}");
    assert!(err.contains("did you mean `Tokens`?"), "{err}");
}

#[test]
fn identical_specs_have_no_changes() {
    let r = report("spec/tokens.yaml", "spec/tokens.yaml");
    assert!(r.changes.is_empty(), "{}", r.to_text());
    assert_eq!(r.verdict(), Verdict::None);
    assert!(r.to_text().contains("verdict: none (no API changes)"));

    // The library entry point on two IRs agrees.
    let lower = |s: &Source| {
        let doc = codegen::load::load(s).unwrap();
        codegen::lower::lower(&doc, &keys()).unwrap().0
    };
    let api = lower(&source("spec/tokens.yaml"));
    assert_eq!(diff::diff(&api, &api).verdict(), Verdict::None);
    let old = lower(&source(&fixture("tokens-2026-02")));
    assert_eq!(diff::diff(&old, &api).verdict(), Verdict::Minor);
}

#[test]
fn a_description_only_change_is_a_patch() {
    let mut new = source("spec/tokens.yaml");
    let from = "description: The current organization";
    assert!(new.text.contains(from));
    new.text = new
        .text
        .replace(from, "description: The organization the token belongs to");
    new.name = "edited".into();
    let r = diff_sources(&source("spec/tokens.yaml"), &new, &keys()).unwrap();
    assert_eq!(r.verdict(), Verdict::Patch, "{}", r.to_text());
    assert_eq!(r.changes.len(), 1, "{}", r.to_text());
    assert_change(
        &r,
        "TokenInfo.organization",
        "field description changed",
        Kind::Docs,
        Area::Docs,
    );

    // Every documentation-only change of the docs pair is counted as docs.
    let r = pair("docs");
    assert_eq!(r.verdict(), Verdict::Patch, "{}", r.to_text());
    assert!(r.changes.iter().all(|c| c.kind == Kind::Docs));
    assert_change(&r, "getNote", "summary changed", Kind::Docs, Area::Docs);
    assert_change(
        &r,
        "getNote",
        "required permissions changed",
        Kind::Docs,
        Area::Annotations,
    );
    assert_change(
        &r,
        "getNote",
        "OAuth scopes added: notes:readonly",
        Kind::Docs,
        Area::Annotations,
    );
    assert_change(
        &r,
        "getNote response 429",
        "documented",
        Kind::Docs,
        Area::BodiesAndResponses,
    );
    assert_change(
        &r,
        "Note.text",
        "constraints changed",
        Kind::Docs,
        Area::Docs,
    );
    assert_change(&r, "Note.id", "read-only", Kind::Docs, Area::Docs);
}

#[test]
fn operation_changes_are_classified() {
    let r = pair("operations");
    assert_eq!(r.verdict(), Verdict::Major);
    let b = Kind::Breaking;
    let a = Kind::Additive;
    let d = Kind::Docs;
    assert_change(&r, "deleteThing", "removed", b, Area::Operations);
    assert_change(&r, "ping", "added", a, Area::Operations);
    assert_change(&r, "tag Health", "added", a, Area::Operations);
    assert_change(
        &r,
        "purge",
        "moved from tag `Things` to tag `Admin`",
        b,
        Area::Operations,
    );
    assert_change(
        &r,
        "purge",
        "now sent as POST /admin/purge-all",
        a,
        Area::Operations,
    );
    assert_change(
        &r,
        "getThing ?tenant",
        "required query parameter",
        b,
        Area::Parameters,
    );
    assert_change(
        &r,
        "listThings ?sort",
        "optional query parameter",
        a,
        Area::Parameters,
    );
    assert_change(
        &r,
        "listThings header:X-Trace",
        "removed",
        b,
        Area::Parameters,
    );
    assert_change(
        &r,
        "listThings ?limit",
        "`i32` → `i64`",
        b,
        Area::Parameters,
    );
    assert_change(
        &r,
        "listThings header:cursor",
        "moved from the query to the header",
        b,
        Area::Parameters,
    );
    assert_change(
        &r,
        "listThings ?region",
        "now required",
        b,
        Area::Parameters,
    );
    assert_change(
        &r,
        "getThing ?expand",
        "no longer required",
        b,
        Area::Parameters,
    );
    assert_change(&r, "replaceThing", "reordered", b, Area::Parameters);
    assert_change(
        &r,
        "createThing body",
        "now required",
        b,
        Area::BodiesAndResponses,
    );
    assert_change(
        &r,
        "archiveThing body",
        "required request body added",
        b,
        Area::BodiesAndResponses,
    );
    assert_change(
        &r,
        "getThingHistory body",
        "optional request body added",
        a,
        Area::BodiesAndResponses,
    );
    assert_change(
        &r,
        "replaceThing body",
        "`Thing` → `ThingDetail`",
        b,
        Area::BodiesAndResponses,
    );
    assert_change(
        &r,
        "getThing response",
        "`Thing` → `ThingDetail`",
        b,
        Area::BodiesAndResponses,
    );
    assert_change(
        &r,
        "getThingHistory response",
        "GetThingHistoryResponse",
        b,
        Area::BodiesAndResponses,
    );
    assert_change(&r, "listThings", "deprecated", a, Area::Annotations);
    assert_change(
        &r,
        "archiveThing",
        "now a preview operation",
        d,
        Area::Annotations,
    );
    assert_change(
        &r,
        "getThing",
        "no longer a preview operation",
        d,
        Area::Annotations,
    );
    assert_change(&r, "ping", "preview", d, Area::Annotations);
    assert_change(
        &r,
        "listThings response 404",
        "no longer documented",
        d,
        Area::BodiesAndResponses,
    );
}

#[test]
fn model_changes_are_classified() {
    let r = pair("models");
    assert_eq!(r.verdict(), Verdict::Major);
    let b = Kind::Breaking;
    let a = Kind::Additive;
    assert_change(
        &r,
        "Pet.microchipped",
        "required field `microchipped` added",
        b,
        Area::Fields,
    );
    assert_change(&r, "Pet.favouriteToy", "optional field", a, Area::Fields);
    assert_change(&r, "Pet.color", "removed", b, Area::Fields);
    assert_change(
        &r,
        "Pet.age",
        "`Option<i32>` → `Option<i64>`",
        b,
        Area::Fields,
    );
    assert_change(&r, "Pet.nickname", "now required", b, Area::Fields);
    assert_change(&r, "Pet.born", "no longer required", b, Area::Fields);
    assert_change(&r, "Pet.tag", "`None` is now left out", a, Area::Fields);
    assert_change(
        &r,
        "Pet.motto",
        "`Option<String>` → `Option<Option<String>>`",
        b,
        Area::Fields,
    );
    assert_change(
        &r,
        "Pet",
        "arguments of `Pet::new` reordered",
        b,
        Area::Fields,
    );
    assert_change(&r, "Pet.legacyId", "deprecated", a, Area::Annotations);
    assert_change(&r, "Species \"fish\"", "added", a, Area::EnumValues);
    assert_change(&r, "Species \"bird\"", "removed", b, Area::EnumValues);
    // Spelled anew on the wire, the same Rust variant: one change, not two.
    assert_change(
        &r,
        "Species \"sea_lion\"",
        "is now \"sea-lion\": `Species::SeaLion` keeps its name",
        b,
        Area::EnumValues,
    );
    assert!(
        !r.changes
            .iter()
            .any(|c| c.location == "Species \"sea-lion\""),
        "{}",
        r.to_text()
    );
    assert_change(&r, "PetId", "retyped", b, Area::Models);
    assert_change(&r, "Mode", "enum → struct", b, Area::Models);
    assert_change(&r, "Obsolete", "removed", b, Area::Models);
    assert_change(&r, "Toy", "renamed to `Plaything`", b, Area::Models);
    assert_change(&r, "Triangle", "added", a, Area::Models);
    assert_change(&r, "Shape::Triangle", "added", a, Area::Models);
    assert_change(
        &r,
        "error model",
        "`Problem` → `ApiProblem`",
        b,
        Area::Models,
    );
}

#[test]
fn reports_are_sorted_and_the_json_is_complete() {
    for name in ["operations", "models", "docs"] {
        let r = pair(name);
        let mut sorted = r.changes.clone();
        sorted.sort();
        assert_eq!(r.changes, sorted);
        let json = r.to_json();
        assert_eq!(json["verdict"], r.verdict().as_str());
        assert_eq!(json["changes"].as_array().unwrap().len(), r.changes.len());
        assert_eq!(
            json["counts"]["breaking"].as_u64().unwrap() as usize,
            r.count(Kind::Breaking)
        );
    }
}

// ------------------------------------------------------------ the command line

#[test]
fn deny_breaking_sets_the_exit_code() {
    let (old, new) = (path(&fixture("models-old")), path(&fixture("models-new")));
    let (code, out, err) = cli(&[&old, &new, "--deny-breaking"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("verdict: major"), "{out}");
    assert!(err.contains("breaking change(s)"), "{err}");

    // Without the flag, breaking changes are only reported.
    let (code, _, _) = cli(&[&old, &new]);
    assert_eq!(code, 0);

    // Additive and docs-only changes pass.
    let (code, out, err) = cli(&[
        "--deny-breaking",
        &path(&fixture("tokens-2026-02")),
        &path("spec/tokens.yaml"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("verdict: minor"), "{out}");
    let docs = [path(&fixture("docs-old")), path(&fixture("docs-new"))];
    let (code, out, _) = cli(&[&docs[0], &docs[1], "--deny-breaking", "--format=markdown"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("## API changes: **patch**"), "{out}");
}

#[test]
fn formats() {
    let (old, new) = (path(&fixture("docs-old")), path(&fixture("docs-new")));
    let (code, out, _) = cli(&[&old, &new, "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).expect("the JSON report parses");
    assert_eq!(json["verdict"], "patch");
    // Files below the workspace root are named relative to it.
    assert_eq!(json["old"], "tests/fixtures/diff/docs-old.yaml");
    let (_, text, _) = cli(&[&old, &new]);
    assert!(text.starts_with("API diff\n"), "{text}");
    let (_, md, _) = cli(&[&old, &new, "--format", "markdown"]);
    assert!(md.contains("| kind | where | change |"), "{md}");
}

#[test]
fn usage_errors_exit_2() {
    for bad in [
        &["--format", "yaml"][..],
        &["--format"][..],
        &["--bogus"][..],
        &["--deny-breaking=yes"][..],
        &["a.yaml", "b.yaml", "c.yaml"][..],
    ] {
        let (code, out, err) = cli(bad);
        assert_eq!(code, 2, "{bad:?}: {out}{err}");
        assert!(err.starts_with("error: "), "{bad:?}: {err}");
        assert!(out.is_empty());
    }
    let (code, out, _) = cli(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--deny-breaking"));
}

#[test]
fn unusable_specs_exit_2_with_diagnostics() {
    // Neither a file nor a revision.
    let (code, _, err) = cli(&["no/such/spec.yaml", &path("spec/tokens.yaml")]);
    assert_eq!(code, 2);
    assert!(err.contains("`no/such/spec.yaml` is not a file"), "{err}");

    // A spec that cannot be lowered: the diagnostics say file, pointer and hint.
    let (code, out, err) = cli(&[&path(&fixture("broken")), &path("spec/tokens.yaml")]);
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty());
    assert!(
        err.contains(
            "tests/fixtures/diff/broken.yaml at #/components/schemas/Thing/properties/owner/$ref"
        ),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
}

// ------------------------------------------------------------- git revisions

fn git_available() -> bool {
    Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(root())
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn git_revisions_are_read_with_git_show() {
    if !git_available() {
        eprintln!("skipped: the workspace is not a git work tree");
        return;
    }
    // The committed spec against itself, spelled both ways.
    let (code, out, err) = cli(&["HEAD:spec/tokens.yaml", "HEAD"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("old: HEAD:spec/tokens.yaml"), "{out}");
    assert!(out.contains("verdict: none (no API changes)"), "{out}");

    // A file against a revision.
    let (code, out, err) = cli(&[
        &path(&fixture("tokens-2026-02")),
        "HEAD:spec/tokens.yaml",
        "--format=json",
    ]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["new"], "HEAD:spec/tokens.yaml");
    assert!(
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["location"] == "TokenInfo.dateTokenIdles" && c["kind"] == "additive"),
        "{out}"
    );

    // The defaults: HEAD against the working tree (whatever others changed there).
    let (code, out, err) = cli(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("old: HEAD:spec/tokens.yaml\n  new: spec/tokens.yaml\n"),
        "{out}"
    );

    // An unknown revision is a usage error.
    let (code, _, err) = cli(&["no-such-revision-4d2c7c6"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("git show no-such-revision-4d2c7c6:spec/tokens.yaml"),
        "{err}"
    );
}

#[test]
fn generate_summary_against_head() {
    if !git_available() {
        eprintln!("skipped: the workspace is not a git work tree");
        return;
    }
    let spec = root().join("spec/tokens.yaml");
    let committed = Command::new("git")
        .args(["show", "HEAD:spec/tokens.yaml"])
        .current_dir(root())
        .output()
        .unwrap();
    let committed = Source::new(
        "spec/tokens.yaml",
        String::from_utf8(committed.stdout).unwrap(),
    );
    assert_eq!(
        diff::summary_against_head(&spec, &committed, &keys(), None).as_deref(),
        Some("API vs HEAD:spec/tokens.yaml: none (no API changes)")
    );
    let older = source(&fixture("tokens-2026-02"));
    let line = diff::summary_against_head(&spec, &older, &keys(), None).unwrap();
    assert!(
        line.starts_with("API vs HEAD:spec/tokens.yaml: major ("),
        "{line}"
    );

    // Outside a git work tree there is nothing to compare with.
    let dir: PathBuf = std::env::temp_dir().join(format!("codegen-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let outside = dir.join("tokens.yaml");
    std::fs::write(&outside, &committed.text).unwrap();
    let inside_git = Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(&dir)
        .output()
        .is_ok_and(|o| o.status.success());
    if !inside_git {
        assert_eq!(
            diff::summary_against_head(&outside, &committed, &keys(), None),
            None
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    // A path that does not exist is skipped too.
    assert_eq!(
        diff::summary_against_head(&root().join("spec/no-such.yaml"), &committed, &keys(), None),
        None
    );
}

#[test]
fn security_and_server_changes_are_classified() {
    let r = pair("access");
    let (b, a) = (Kind::Breaking, Kind::Additive);
    assert_change(&r, "security scheme `legacy`", "removed", b, Area::Security);
    assert_change(
        &r,
        "security scheme `key`",
        "now an API key in the query `key`",
        b,
        Area::Security,
    );
    assert_change(
        &r,
        "security scheme `oauth`",
        "added (OAuth 2.0)",
        a,
        Area::Security,
    );
    assert_change(&r, "narrowed", "no longer accepts `key`", b, Area::Security);
    assert_change(&r, "widened", "now accepts `oauth`", a, Area::Security);
    assert_change(
        &r,
        "nowSecured",
        "no longer accepts no credentials",
        b,
        Area::Security,
    );
    assert_change(
        &r,
        "upload",
        "now accepts no credentials, `token`; no longer accepts `legacy`",
        b,
        Area::Security,
    );
    assert_change(
        &r,
        "servers",
        "`https://old-sandbox.example.com` removed",
        b,
        Area::Operations,
    );
    assert_change(
        &r,
        "servers",
        "`https://eu.example.com` added: `Server::Europe`",
        a,
        Area::Operations,
    );
    assert_change(
        &r,
        "upload",
        "now sent to `https://uploads.example.com`",
        a,
        Area::Operations,
    );
    assert_eq!(r.verdict(), Verdict::Major);
}
