//! The command line: bad input is reported with where and why, exits non-zero
//! and leaves the output folder exactly as it was; `--check` finds every
//! stale, missing or extra file; writing touches only the generator's files.

use codegen::cli::{run, Defaults};
use codegen_tests::{files_below, root};
use std::path::{Path, PathBuf};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("codegen-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn defaults(out: &Path) -> Defaults {
    Defaults {
        spec: Some(root().join("spec/tokens.yaml")),
        out: out.to_path_buf(),
        command: "cargo xtask generate".into(),
    }
}

fn write_spec(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn diagnostics(name: &str, text: &str) -> String {
    let source = codegen::load::Source::new(name, text);
    match codegen::generate(&source, &codegen::Options::default()) {
        Ok(_) => panic!("{name} must be rejected"),
        Err(d) => d.to_string(),
    }
}

#[test]
fn write_then_check_then_detect_every_kind_of_drift() {
    let tmp = TempDir::new("drift");
    let out = tmp.0.join("crate");
    let d = defaults(&out);
    assert_eq!(run(&args(&["--check"]), &d), 1, "an empty folder is stale");
    assert_eq!(run(&args(&[]), &d), 0);
    assert_eq!(run(&args(&["--check"]), &d), 0);

    // A file the user added (no generator marker) is never touched.
    std::fs::write(out.join("src/notes.txt"), "mine").unwrap();
    // A stale generated file, a missing one and an extra one.
    let lib = out.join("src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).unwrap();
    text.push_str("// edited\n");
    std::fs::write(&lib, &text).unwrap();
    std::fs::remove_file(out.join("src/models/entity.rs")).unwrap();
    std::fs::write(
        out.join("src/models/old_model.rs"),
        format!("// {}. Do not edit by hand:\n", codegen::header::MARKER),
    )
    .unwrap();

    let before = files_below(&out);
    assert_eq!(run(&args(&["--check"]), &d), 1);
    assert_eq!(files_below(&out), before, "--check writes nothing");

    let generated = codegen_tests::generate_from("spec/tokens.yaml").unwrap();
    let report =
        codegen::output::sync(&out, &generated.files, codegen::output::Mode::Check).unwrap();
    assert_eq!(report.changed, vec!["src/lib.rs".to_owned()]);
    assert_eq!(report.added, vec!["src/models/entity.rs".to_owned()]);
    assert_eq!(report.removed, vec!["src/models/old_model.rs".to_owned()]);

    assert_eq!(run(&args(&[]), &d), 0);
    assert_eq!(run(&args(&["--check"]), &d), 0);
    assert!(!out.join("src/models/old_model.rs").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("src/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let tmp = TempDir::new("mtime");
    let out = tmp.0.join("crate");
    let d = defaults(&out);
    assert_eq!(run(&args(&[]), &d), 0);
    let lib = out.join("src/lib.rs");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    std::fs::File::options()
        .write(true)
        .open(&lib)
        .unwrap()
        .set_modified(old)
        .unwrap();
    assert_eq!(run(&args(&[]), &d), 0);
    assert_eq!(std::fs::metadata(&lib).unwrap().modified().unwrap(), old);
}

#[test]
fn a_bad_spec_leaves_the_output_exactly_as_it_was() {
    let tmp = TempDir::new("bad");
    let out = tmp.0.join("crate");
    let d = defaults(&out);
    assert_eq!(run(&args(&[]), &d), 0);
    let before = files_below(&out);
    let bad_specs = [
        ("broken.yaml", "openapi: 3.0.3\ninfo: [unclosed\n"),
        (
            "swagger.json",
            r#"{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {"/a": {"get": {"parameters": [{"name": "f", "in": "query", "type": "file"}], "responses": {}}}}}"#,
        ),
        (
            "badref.yaml",
            "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
        ),
    ];
    for (name, text) in bad_specs {
        let spec = write_spec(&tmp.0, name, text);
        assert_eq!(run(&args(&["--spec", &spec]), &d), 1, "{name}");
        assert_eq!(
            files_below(&out),
            before,
            "{name} must not change the output"
        );
    }
    let missing = tmp.0.join("no-such-spec.yaml");
    assert_eq!(run(&args(&["--spec", missing.to_str().unwrap()]), &d), 1);
    assert_eq!(files_below(&out), before);
}

#[test]
fn usage_errors_exit_2() {
    let tmp = TempDir::new("usage");
    let d = defaults(&tmp.0.join("crate"));
    assert_eq!(run(&args(&["--bogus"]), &d), 2);
    assert_eq!(run(&args(&["--spec"]), &d), 2);
    assert!(!tmp.0.join("crate").exists());
}

#[test]
fn errors_say_what_where_and_how_to_fix() {
    let text = diagnostics("broken.yaml", "openapi: 3.0.3\ninfo:\n  title: [x\n");
    assert!(text.contains("invalid YAML"), "{text}");
    assert!(
        text.contains("broken.yaml:"),
        "a YAML error has a line: {text}"
    );
    assert!(text.contains("hint:"), "{text}");

    // Swagger 2.0: every construct that cannot be converted, in one run, at
    // its pointer into the Swagger document.
    let text = diagnostics(
        "swagger.yaml",
        "swagger: '2.0'
info: {title: x, version: '1'}
host: api.example.com
paths:
  /a:
    post:
      parameters:
        - {name: f, in: query, type: file}
        - {name: b, in: body, schema: {type: string}}
        - {name: c, in: body, schema: {type: string}}
      responses: {}
securityDefinitions:
  login: {type: oauth2, flow: accessCode, tokenUrl: 'https://login.example.com/token'}
",
    );
    for at in [
        "swagger.yaml at #/paths/~1a/post/parameters/0/type",
        "swagger.yaml at #/paths/~1a/post/parameters/2",
        "swagger.yaml at #/securityDefinitions/login/authorizationUrl",
        "swagger.yaml at #/swagger",
    ] {
        assert!(text.contains(at), "{at}: {text}");
    }
    assert!(text.contains("4 error(s)"), "{text}");
    // What the resolver finds in a Swagger 2.0 document is located in it too.
    let text = diagnostics(
        "swagger.yaml",
        "swagger: '2.0'
info: {title: x, version: '1'}
host: api.example.com
paths: {}
definitions:
  A:
    properties:
      b: {$ref: '#/definitions/Missing', description: The b.}
",
    );
    assert!(
        text.contains("swagger.yaml at #/definitions/A/properties/b/$ref"),
        "{text}"
    );
    let text = diagnostics("swagger.json", r#"{"swagger": "1.2"}"#);
    assert!(text.contains("unsupported Swagger version 1.2"), "{text}");

    // OpenAPI 3.1: what 3.0 cannot express is named, with its pointer.
    let text = diagnostics(
        "v31.yaml",
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    T:\n      type: array\n      prefixItems: [{type: string}]\n    U:\n      type: [string, integer]\n",
    );
    assert!(
        text.contains("v31.yaml at #/components/schemas/T/prefixItems"),
        "{text}"
    );
    assert!(text.contains("`prefixItems` cannot be modelled"), "{text}");
    assert!(
        text.contains("v31.yaml at #/components/schemas/U/type"),
        "{text}"
    );

    // Every broken reference is reported in one run, each with its pointer.
    let text = diagnostics(
        "refs.yaml",
        "openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a/{id}:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Nope'}
components:
  schemas:
    A:
      type: object
      properties:
        b: {$ref: 'other.yaml#/B'}
",
    );
    assert!(
        text.contains("refs.yaml at #/components/schemas/A/properties/b/$ref"),
        "{text}"
    );
    assert!(text.contains("refers to another document"), "{text}");
    assert!(
        text.contains("refs.yaml at #/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/$ref"),
        "{text}"
    );
    assert!(
        text.contains("`#/components/schemas/Nope` points at no schema"),
        "{text}"
    );
    assert!(
        text.contains("uses `{id}` but the operation declares no such path parameter"),
        "{text}"
    );
    assert!(text.contains("3 error(s)"), "{text}");

    let text = diagnostics(
        "shape.yaml",
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: 7\n",
    );
    assert!(text.contains("shape.yaml at #/paths"), "{text}");

    let source = codegen::load::Source::new("spec.yaml", codegen::EMBEDDED_SPEC);
    let options = codegen::Options {
        crate_name: Some("not a name".into()),
        ..codegen::Options::default()
    };
    let text = codegen::generate(&source, &options)
        .unwrap_err()
        .to_string();
    assert!(text.contains("not a valid crate name"), "{text}");
}

#[test]
fn a_run_interrupted_between_the_renames_is_recovered() {
    let tmp = TempDir::new("recover");
    let out = tmp.0.join("crate");
    let d = defaults(&out);
    assert_eq!(run(&args(&[]), &d), 0);
    std::fs::write(out.join("mine.txt"), "kept").unwrap();
    // The old folder was moved aside and the new one never arrived.
    std::fs::rename(&out, tmp.0.join(".crate.codegen-old")).unwrap();
    std::fs::create_dir_all(tmp.0.join(".crate.codegen-new/src")).unwrap();
    std::fs::write(out.with_file_name(".crate.codegen-new/src/lib.rs"), "half").unwrap();
    // Make one file stale so that the run has to write.
    let lib = tmp.0.join(".crate.codegen-old/src/lib.rs");
    std::fs::write(&lib, "stale").unwrap();

    assert_eq!(run(&args(&[]), &d), 0);
    assert_eq!(
        std::fs::read_to_string(out.join("mine.txt")).unwrap(),
        "kept"
    );
    assert_eq!(run(&args(&["--check"]), &d), 0);
    assert!(!tmp.0.join(".crate.codegen-old").exists());
    assert!(!tmp.0.join(".crate.codegen-new").exists());
}

#[test]
fn deeply_nested_input_is_an_error_not_a_crash() {
    let depth = 2_000;
    let json = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "x", "version": "1"}}, "paths": {{}}, "x-deep": {}1{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let text = diagnostics("deep.json", &json);
    assert!(text.contains("recursion limit"), "{text}");
    let yaml = format!(
        "openapi: 3.0.3\ninfo: {{title: x, version: '1'}}\npaths: {{}}\nx-deep: {}1{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let text = diagnostics("deep.yaml", &yaml);
    assert!(text.contains("invalid YAML"), "{text}");
}

#[test]
fn openapi_31_is_read_when_30_can_express_it() {
    let spec = "openapi: 3.1.0
info: {title: x, version: '1'}
webhooks:
  ping: {post: {responses: {'200': {description: ok}}}}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: [string, 'null']}
        size: {type: integer, exclusiveMinimum: 0, examples: [1, 2]}
        kind: {const: box}
        const: {type: string}
";
    let source = codegen::load::Source::new("v31.yaml", spec);
    let generated = codegen::generate(&source, &codegen::Options::default())
        .expect("3.1 that 3.0 can express generates");
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("webhooks")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("OpenAPI 3.1 is read as 3.0")),
        "{warnings:?}"
    );
    let thing = generated
        .files
        .iter()
        .find(|f| f.path == "src/models/thing.rs")
        .expect("the Thing model");
    // Required but nullable: an Option that is always sent.
    assert!(
        thing.contents.contains("pub name: Option<String>"),
        "{}",
        thing.contents
    );
    assert!(
        thing.contents.contains("Minimum: 0 (exclusive)"),
        "{}",
        thing.contents
    );
    // A property named `const` is a property, not the keyword.
    assert!(
        thing.contents.contains("pub const_: Option<String>"),
        "{}",
        thing.contents
    );
    assert!(generated
        .files
        .iter()
        .any(|f| f.path == "src/models/thing_kind.rs"));
}

#[test]
fn the_settings_file_beside_the_spec_names_the_crate_and_a_bad_one_writes_nothing() {
    let tmp = TempDir::new("settings");
    let spec = write_spec(
        &tmp.0,
        "api.yaml",
        "openapi: 3.0.3\ninfo: {title: Acme Widgets, version: '2'}\npaths: {}\n",
    );
    let out = tmp.0.join("crate");
    let d = defaults(&out);

    // No settings: the crate is named after the spec's title.
    assert_eq!(run(&args(&["--spec", &spec]), &d), 0);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"acme-widgets\""), "{manifest}");

    // A codegen.toml beside the spec is read without being named.
    std::fs::write(
        tmp.0.join("codegen.toml"),
        "[package]\nname = \"acme\"\nversion = \"2.1.0\"\ndescription = \"Acme's widgets\"\n",
    )
    .unwrap();
    assert_eq!(run(&args(&["--spec", &spec]), &d), 0);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"acme\""), "{manifest}");
    assert!(manifest.contains("version = \"2.1.0\""), "{manifest}");
    assert!(
        manifest.contains("description = \"Acme's widgets\""),
        "{manifest}"
    );

    // --crate-name wins over the settings.
    assert_eq!(
        run(&args(&["--spec", &spec, "--crate-name", "other"]), &d),
        0
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"other\""), "{manifest}");

    // A settings file with an unknown key, named with --settings: exit 1,
    // the folder untouched.
    let before = files_below(&out);
    let bad = tmp.0.join("bad.toml");
    std::fs::write(&bad, "[package]\nname = \"acme\"\n\n[clinet]\n").unwrap();
    let bad = bad.to_string_lossy().into_owned();
    assert_eq!(run(&args(&["--spec", &spec, "--settings", &bad]), &d), 1);
    assert_eq!(files_below(&out), before);
    let missing = tmp.0.join("missing.toml").to_string_lossy().into_owned();
    assert_eq!(
        run(&args(&["--spec", &spec, "--settings", &missing]), &d),
        1
    );
    assert_eq!(files_below(&out), before);
}

/// Three tags, an operation with two of them, one without any, and a model
/// for each.
const TAGGED: &str = "openapi: 3.0.3
info: {title: Tagged, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /stores:
    get:
      operationId: listStores
      tags: [Stores, Pets]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Store'}}}}
  /admin:
    delete:
      operationId: purge
      tags: [Admin]
      responses:
        '204': {description: done}
  /health:
    get:
      operationId: getHealth
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Health'}}}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
    Store: {type: object, properties: {pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}
    Health: {type: object, properties: {ok: {type: boolean}}}
";

/// The emitted files below `src/apis` and `src/models`, without `mod.rs`.
fn emitted_modules(out: &Path) -> Vec<String> {
    let mut found: Vec<String> = files_below(out)
        .into_keys()
        .map(|p| p.strip_prefix(out).unwrap().to_string_lossy().into_owned())
        .filter(|p| p.starts_with("src/apis/") || p.starts_with("src/models/"))
        .filter(|p| !p.ends_with("mod.rs"))
        .collect();
    found.sort();
    found
}

#[test]
fn a_tag_selection_keeps_its_operations_and_an_unknown_tag_writes_nothing() {
    let tmp = TempDir::new("tags");
    let spec = write_spec(&tmp.0, "api.yaml", TAGGED);
    let out = tmp.0.join("crate");
    let d = defaults(&out);

    // listStores is tagged Stores first: it stays in the Stores group.
    assert_eq!(run(&args(&["--spec", &spec, "--tag", "Pets"]), &d), 0);
    assert_eq!(
        emitted_modules(&out),
        [
            "src/apis/pets.rs",
            "src/apis/stores.rs",
            "src/models/pet.rs",
            "src/models/store.rs"
        ]
    );
    // The settings select too, and `--tag` replaces their list.
    std::fs::write(tmp.0.join("codegen.toml"), "[select]\ntags = [\"Admin\"]\n").unwrap();
    assert_eq!(run(&args(&["--spec", &spec]), &d), 0);
    assert_eq!(emitted_modules(&out), ["src/apis/admin.rs"]);
    assert_eq!(
        run(
            &args(&["--spec", &spec, "--tag=Other", "--tag", "Admin"]),
            &d
        ),
        0
    );
    assert_eq!(
        emitted_modules(&out),
        [
            "src/apis/admin.rs",
            "src/apis/other.rs",
            "src/models/health.rs"
        ]
    );

    // A tag that selects nothing, on the command line or in the settings:
    // exit 1, the folder exactly as it was.
    let before = files_below(&out);
    assert_eq!(run(&args(&["--spec", &spec, "--tag", "pets"]), &d), 1);
    assert_eq!(files_below(&out), before);
    std::fs::write(
        tmp.0.join("codegen.toml"),
        "[select]\ntags = [\"Admin\", \"Users\"]\n",
    )
    .unwrap();
    assert_eq!(run(&args(&["--spec", &spec]), &d), 1);
    assert_eq!(files_below(&out), before);

    let source = codegen::load::Source::new("api.yaml", TAGGED);
    let options = codegen::Options {
        tags: vec!["pets".into()],
        ..codegen::Options::default()
    };
    let text = codegen::generate(&source, &options)
        .unwrap_err()
        .to_string();
    assert!(
        text.starts_with("error: no operation has the tag `pets`\n  --> --tag at #\n  hint: did you mean `Pets`?"),
        "{text}"
    );
    assert!(
        text.contains("the spec's tags: `Admin`, `Other`, `Pets`, `Stores`"),
        "{text}"
    );
    let settings = codegen::settings::Loaded::read(&tmp.0.join("codegen.toml")).unwrap();
    let text = codegen::generate(&source, &codegen::Options::with_settings(settings))
        .unwrap_err()
        .to_string();
    assert!(text.contains("codegen.toml at #/select/tags/1"), "{text}");
}
