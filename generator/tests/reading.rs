//! Every spec in the repository reads the same through the direct path and
//! through the JSON tree: the direct path is a faster way to the same model.

mod common;

#[test]
fn direct_and_tree_readings_agree_on_every_spec_in_the_repository() {
    let root = common::root();
    let files = common::repository_specs();
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
    assert_left_to_the_tree(text);
}

/// `text` is not read directly, and `load` reads what the tree path reads.
fn assert_left_to_the_tree(text: &str) {
    let source = codegen::load::Source::new("t.yaml", text);
    assert!(codegen::load::read_direct(&source).is_none());
    let direct = codegen::load::load(&source).unwrap();
    let careful = codegen::load::load_through_tree(&source).unwrap();
    assert_eq!(direct.openapi, careful.openapi);
}

#[test]
fn numbers_with_underscores_or_leading_zeros_read_the_same_both_ways() {
    // `1_0` was 10 to the streaming reader and "1_0" to `serde_yaml` (found
    // by the readings-agree property); `0755` likewise.
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /:\n    get:\n      parameters:\n      - name: id\n        in: query\n        schema:\n          type: string\n          enum: [1_0, 0755, 0x1F, 12]\n      responses:\n        '200': {description: r}\n";
    let source = codegen::load::Source::new("n.yaml", text);
    let direct = codegen::load::read_direct(&source).expect("read directly");
    let careful = codegen::load::load_through_tree(&source).unwrap();
    assert_eq!(direct, careful.openapi);
    let schema = format!("{:?}", direct.paths.paths["/"]);
    assert!(
        schema.contains(r#"String("1_0"), String("0755")"#),
        "{schema}"
    );
}

#[test]
fn merge_keys_are_left_to_the_tree_path() {
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: &a\n      type: object\n      properties:\n        id: {type: string}\n    B:\n      <<: *a\n      description: b\n";
    assert_left_to_the_tree(text);
}

/// The whole-document reading of a YAML text, for comparison.
fn whole(text: &str) -> openapiv3::OpenAPI {
    codegen::load::load_through_tree(&codegen::load::Source::new("t.yaml", text))
        .unwrap()
        .openapi
}

/// Reads `text` in parts; `None` when it cannot be cut or the parts decline.
fn in_parts(text: &str, per_map: usize) -> Option<openapiv3::OpenAPI> {
    codegen::load::read_parts(&codegen::split::cut(text, per_map)?, 2)
}

#[test]
fn every_yaml_spec_in_the_repository_reads_the_same_in_parts() {
    let files = common::repository_specs();
    let mut cut = 0;
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e != "json"))
    {
        let source = codegen::load::Source::read(file).unwrap();
        let Ok(careful) = codegen::load::load_through_tree(&source) else {
            continue;
        };
        // Only OpenAPI 3.0 text is read in parts; 3.1 and Swagger 2.0 are
        // converted on the tree.
        let tree = codegen::load::parse_tree(&source).unwrap();
        if !tree
            .get("openapi")
            .and_then(|v| v.as_str())
            .is_some_and(|v| v.starts_with("3.0"))
        {
            continue;
        }
        for per_map in [1, 2, 5, 1000] {
            if let Some(parts) = codegen::split::cut(&source.text, per_map) {
                let joined = codegen::load::read_parts(&parts, 2);
                assert_eq!(
                    joined.as_ref(),
                    Some(&careful.openapi),
                    "{}",
                    file.display()
                );
                cut += 1;
            }
        }
    }
    assert!(cut >= 8, "only {cut} cuts");
}

const TRICKY: &str = "\
openapi: 3.0.3
info: {title: t, version: '1'}
# a comment at the top level
paths:   # the paths
  /a:
    get:
      description: |
        A block scalar

        with a blank line, and a line that looks like a key:
        /b: no
      responses:
        '200': {description: ok}

# a comment between entries, at column 0
  '/b':
    get:
      description: a plain scalar
        continued on the next line
      responses: {'200': {description: ok}}
  x-extension: [1, 2]
components:
  parameters:
    p: {name: p, in: query, schema: {type: string}}
  schemas:
    A:
      type: object
      properties:
        b: {$ref: '#/components/schemas/B'}
    B:
      type: string
      enum: [x, y]
    C:
      type: array
      items:
        type: integer
  responses: {}
";

#[test]
fn comments_blank_lines_block_scalars_and_extensions_read_the_same_in_parts() {
    let whole = whole(TRICKY);
    assert_eq!(whole.paths.paths.len(), 2);
    assert_eq!(whole.components.as_ref().unwrap().schemas.len(), 3);
    for per_map in 1..6 {
        let parts = codegen::split::cut(TRICKY, per_map).expect("cut");
        if per_map >= 3 {
            assert!(
                parts.paths.len() >= 2 && parts.schemas.len() >= 2,
                "{per_map}"
            );
        }
        assert_eq!(
            in_parts(TRICKY, per_map).as_ref(),
            Some(&whole),
            "{per_map}"
        );
    }
}

#[test]
fn parts_decline_what_only_the_whole_document_can_read() {
    // An alias of an anchor in another part.
    let alias = TRICKY.replace(
        "      type: string\n      enum: [x, y]",
        "      type: string\n      enum: &values [x, y]",
    ) + "x-values: *values\n";
    assert!(codegen::split::cut(&alias, 5).is_some());
    assert_eq!(in_parts(&alias, 5), None);
    // A key in two parts: the whole document refuses it, so do the parts.
    let twice = TRICKY.replace("    C:\n", "    A:\n");
    assert_eq!(in_parts(&twice, 5), None);
    // Shapes the cutter does not take: tabs, several documents.
    for text in [
        TRICKY.replace("    B:\n      type", "    B:\n\t  type"),
        format!("---\n{TRICKY}"),
    ] {
        assert!(codegen::split::cut(&text, 5).is_none(), "{text}");
    }
    // A map with a node property or in flow style stays in the rest.
    for text in [
        TRICKY.replace("paths:   # the paths", "paths: &p"),
        TRICKY.replace("components:\n", "components: {schemas: {}}\nx-c:\n"),
    ] {
        let parts = codegen::split::cut(&text, 5).expect("the other map is cut");
        assert!(parts.paths.is_empty() != parts.schemas.is_empty(), "{text}");
        assert_eq!(in_parts(&text, 5), Some(whole(&text)), "{text}");
    }
}
