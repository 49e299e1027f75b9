//! Every spec in the repository reads the same through the direct path and
//! through the JSON tree: the direct path is a faster way to the same model.

use std::path::{Path, PathBuf};

fn specs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            specs(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

#[test]
fn direct_and_tree_readings_agree_on_every_spec_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = vec![root.join("spec/tokens.yaml")];
    specs(&root.join("tests/fixtures"), &mut files);
    let mut direct = Vec::new();
    for file in &files {
        let source = codegen::load::Source::read(file).unwrap();
        if codegen::load::read_direct(&source).is_some() {
            direct.push(file.strip_prefix(&root).unwrap().display().to_string());
        }
        let direct = codegen::load::load(&source);
        let careful = codegen::load::load_through_tree(&source);
        match (direct, careful) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.openapi, b.openapi, "{}", file.display());
                assert_eq!(a.warnings.len(), b.warnings.len(), "{}", file.display());
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", file.display()),
            (a, b) => panic!(
                "{}: direct {}, through the tree {}",
                file.display(),
                a.is_ok(),
                b.is_ok()
            ),
        }
    }
    // The direct path is taken for the plain 3.0 documents, in YAML and JSON.
    for expected in [
        "spec/tokens.yaml",
        "tests/fixtures/coverage.yaml",
        "tests/fixtures/diff/tokens-2026-02.yaml",
    ] {
        assert!(
            direct.iter().any(|d| d == expected),
            "{expected} not read directly: {direct:?}"
        );
    }
    assert!(direct.len() * 2 > files.len(), "{direct:?} of {files:?}");
}

#[test]
fn yaml_11_line_breaks_are_read_by_the_tree_path() {
    // U+2028 is a line break to YAML 1.1 (`serde_yaml`) and a character to
    // YAML 1.2: inside a quoted scalar, the two read different text.
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /:\n    get:\n      parameters:\n      - name: '\u{2028}\n          '\n        in: query\n        schema: {type: string}\n      responses:\n        '200': {description: r}\n";
    let source = codegen::load::Source::new("ls.yaml", text);
    assert!(codegen::load::read_direct(&source).is_none());
    let direct = codegen::load::load(&source).unwrap();
    let careful = codegen::load::load_through_tree(&source).unwrap();
    assert_eq!(direct.openapi, careful.openapi);
}
