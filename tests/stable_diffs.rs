//! A spec change touches only the lines of what changed: adding, removing or
//! moving one property of a model leaves every other line of the crate as it
//! was (no positional numbering, no line that lists every field).

use codegen_tests::{emit_into, files_below, root};
use std::collections::BTreeMap;
use std::path::Path;

const MODEL: &str = "OrgOAuthClient";

/// The crate `generated/` holds.
const CRATE: &str = "genesys-cloud-tokens";

/// A property the Tokens spec's `OrgOAuthClient` does not have.
const NEW_PROPERTY: &str = "        description:
          type: string
          description: What the client is for.
";

/// The Tokens spec with `block` (a property in the spec's indentation)
/// inserted into `schema`'s properties just before `before` (a property of
/// it), or at the start of its properties when `before` is `None`.
fn insert_property(spec: &str, schema: &str, before: Option<&str>, block: &str) -> String {
    let start = spec
        .find(&format!("\n    {schema}:\n"))
        .unwrap_or_else(|| panic!("{schema} is in the spec"));
    const PROPERTIES: &str = "      properties:\n";
    let properties = start + spec[start..].find(PROPERTIES).unwrap() + PROPERTIES.len();
    let at = match before {
        None => properties,
        Some(name) => {
            properties
                + spec[properties..]
                    .find(&format!("\n        {name}:\n"))
                    .unwrap()
                + 1
        }
    };
    let mut out = spec.to_owned();
    out.insert_str(at, block);
    out
}

/// The property `name` of `schema` (its whole block) taken out of the spec,
/// and the block.
fn remove_property(spec: &str, schema: &str, name: &str) -> (String, String) {
    let start = spec.find(&format!("\n    {schema}:\n")).unwrap();
    let from = start + spec[start..].find(&format!("\n        {name}:\n")).unwrap() + 1;
    // The block ends at the next line indented as a property, or less.
    let mut end = from + spec[from..].find('\n').unwrap() + 1;
    while let Some(line) = spec[end..].split_inclusive('\n').next() {
        let indent = line.len() - line.trim_start().len();
        if indent <= 8 {
            break;
        }
        end += line.len();
    }
    let mut out = spec.to_owned();
    let block = out[from..end].to_owned();
    out.replace_range(from..end, "");
    (out, block)
}

/// Every file the generator emits for `spec` (the text of a spec), written
/// with `--out` into a temporary folder and read back, by path.
fn emit(spec: &str, tag: &str) -> BTreeMap<String, String> {
    let dir = std::env::temp_dir().join(format!("codegen-stable-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, spec).unwrap();
    // The Tokens crate's settings go beside the spec, as in spec/.
    std::fs::copy(root().join("spec/codegen.toml"), dir.join("codegen.toml")).unwrap();
    let out = dir.join("crate");
    emit_into(&spec_path, CRATE, &out, &[]);
    let files = read_tree(&out);
    let _ = std::fs::remove_dir_all(&dir);
    files
}

/// The text of every file below `dir`, by its path relative to `dir`.
fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    files_below(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, String::from_utf8(bytes).unwrap())
        })
        .collect()
}

/// The lines of `old` that a line diff to `new` deletes: those left over
/// when `old` is matched, in order, as a subsequence of `new`. None exactly
/// when the smallest diff from `old` to `new` only adds lines.
fn deleted_lines(old: &str, new: &str) -> Vec<String> {
    // Matching each line at its first occurrence finds a subsequence
    // whenever there is one; a line that has no match left is deleted.
    let new_lines: Vec<&str> = new.lines().collect();
    let mut next = 0;
    let mut deleted = Vec::new();
    for line in old.lines() {
        match new_lines[next..].iter().position(|n| *n == line) {
            Some(at) => next += at + 1,
            None => deleted.push(line.to_owned()),
        }
    }
    deleted
}

/// Every line `new` deletes from `old`, file by file (a file `new` lacks
/// counts whole); files only `new` has delete nothing.
fn deletions(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> BTreeMap<String, Vec<String>> {
    old.iter()
        .filter_map(|(path, old_text)| {
            let deleted = match new.get(path) {
                Some(new_text) => deleted_lines(old_text, new_text),
                None => old_text.lines().map(str::to_owned).collect(),
            };
            (!deleted.is_empty()).then(|| (path.clone(), deleted))
        })
        .collect()
}

fn added_count(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> usize {
    let lines =
        |files: &BTreeMap<String, String>| files.values().map(|t| t.lines().count()).sum::<usize>();
    lines(new) - lines(old)
}

fn tokens_spec() -> String {
    std::fs::read_to_string(root().join("spec/tokens.yaml")).unwrap()
}

#[test]
fn the_subsequence_check_sees_deleted_lines() {
    assert!(deleted_lines("a\nb\nc\n", "a\nx\nb\ny\nc\n").is_empty());
    assert_eq!(deleted_lines("a\nb\nc\n", "a\nc\nb\n"), vec!["c"]);
    assert_eq!(
        deleted_lines("0 => a\n1 => b\n", "0 => a\n1 => x\n2 => b\n"),
        vec!["1 => b"]
    );
}

#[test]
fn inserting_a_property_deletes_no_line_of_the_generated_crate() {
    let generated = read_tree(&root().join("generated"));
    let spec = insert_property(&tokens_spec(), MODEL, Some("name"), NEW_PROPERTY);
    let changed = emit(&spec, "insert");
    let deleted = deletions(&generated, &changed);
    assert!(
        deleted.is_empty(),
        "inserting a property deletes lines: {deleted:#?}"
    );
    let model = &changed["src/models/org_oauth_client.rs"];
    assert!(
        model.contains("pub description: Option<String>,"),
        "{model}"
    );
    let added = added_count(&generated, &changed);
    assert!(
        added > 0 && added < 40,
        "{added} lines added for one optional property"
    );
}

#[test]
fn inserting_a_property_into_a_model_without_required_fields_deletes_no_line() {
    let generated = read_tree(&root().join("generated"));
    let block = "        idleTokenTimeoutPolicy:\n          type: string\n";
    let spec = insert_property(
        &tokens_spec(),
        "IdleTokenTimeout",
        Some("enableIdleTokenTimeout"),
        block,
    );
    let changed = emit(&spec, "insert-optional-only");
    let deleted = deletions(&generated, &changed);
    assert!(
        deleted.is_empty(),
        "inserting a property deletes lines: {deleted:#?}"
    );
    assert!(changed["src/models/idle_token_timeout.rs"]
        .contains("pub idle_token_timeout_policy: Option<String>,"));
}

#[test]
fn removing_a_property_adds_no_line() {
    let before = emit(&tokens_spec(), "before-removal");
    let (spec, _) = remove_property(&tokens_spec(), MODEL, "dateCreated");
    let after = emit(&spec, "removal");
    let added = deletions(&after, &before);
    assert!(
        added.is_empty(),
        "removing a property adds lines: {added:#?}"
    );
    assert!(!after["src/models/org_oauth_client.rs"].contains("date_created"));
}

#[test]
fn moving_a_property_changes_only_its_own_lines() {
    // Whatever differs between the crate before and after the move must be
    // lines of the moved property: the crate without it is part of both.
    let spec = tokens_spec();
    let (without, block) = remove_property(&spec, MODEL, "scope");
    let moved = insert_property(&without, MODEL, None, &block);
    let base = emit(&without, "move-base");
    let before = emit(&spec, "move-before");
    let after = emit(&moved, "move-after");
    assert_ne!(before, after, "the property moved");
    for (name, crate_files) in [("before", &before), ("after", &after)] {
        let deleted = deletions(&base, crate_files);
        assert!(deleted.is_empty(), "{name} the move: {deleted:#?}");
    }
}
