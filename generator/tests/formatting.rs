//! Formatting with the doc comments lifted out of the text gives exactly what
//! formatting them in place gives, for every file of every spec in the
//! repository.

mod common;

#[test]
fn lifted_docs_format_as_docs_in_place_on_every_spec_in_the_repository() {
    let files = common::repository_specs();
    let info = codegen::render::CrateInfo {
        name: "formatting".into(),
        version: "0.1.0".into(),
        description: None,
        ..Default::default()
    };
    let mut compared = 0;
    for spec in &files {
        let source = codegen::load::Source::read(spec).unwrap();
        // Some fixtures are invalid on purpose.
        let Ok(doc) = codegen::load::load(&source) else {
            continue;
        };
        let Ok((api, _)) = codegen::lower::lower(&doc, &Default::default()) else {
            continue;
        };
        for file in codegen::render::render(&api, &info).unwrap() {
            let lifted = codegen::format::format_file(file.clone()).unwrap();
            let plain = codegen::format::format_file_unlifted(file).unwrap();
            assert_eq!(lifted, plain, "{} of {}", lifted.path, spec.display());
            compared += 1;
        }
    }
    assert!(compared > 100, "only {compared} files compared");
}
