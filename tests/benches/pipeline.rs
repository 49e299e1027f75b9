//! Time per pipeline step of the generator, in one process, for the specs
//! given (default: spec/tokens.yaml):
//!
//! `cargo bench -p codegen-tests --bench pipeline -- SPEC.yaml [SPEC.yaml …]`
//!
//! Prints a Markdown table: the wall time of each step (parse, lower, render
//! and format — each file rendered on the thread that formats it —, write):
//! those of `codegen::generate` and `codegen::cli::run`, called one by one;
//! and the peak resident memory once the spec is parsed
//! and lowered (Linux `VmHWM`; give one spec per run for that figure). The
//! whole process's peak is what `cargo xtask bench` measures.
//!
//! One more column is not a step: syn's parse and prettyplease's printing of
//! the emitted Rust files alone, on as many threads as the generator uses —
//! close to the floor of "render + format" for any generator that formats
//! its output with them (the files are parsed with their doc comments, which
//! the generator lifts out while formatting).

use std::path::PathBuf;
use std::time::Instant;

// The allocator of the generator's binaries, so that the figures are theirs.
#[global_allocator]
static GLOBAL: codegen::MiMalloc = codegen::MiMalloc;

/// Peak resident memory so far, in MiB (Linux only).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let root = codegen_tests::root();
    let specs: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let specs = if specs.is_empty() {
        vec![root.join("spec/tokens.yaml")]
    } else {
        specs
    };
    println!(
        "| spec | parse | lower | render + format | write | total | files | peak RSS after lower | syn + prettyplease alone |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for spec in specs {
        let out = std::env::temp_dir().join(format!(
            "codegen-pipeline-bench-{}-{}",
            std::process::id(),
            spec.file_stem().unwrap_or_default().to_string_lossy()
        ));
        let _ = std::fs::remove_dir_all(&out);
        let mut steps = Vec::new();
        let all = Instant::now();
        let mut t = Instant::now();
        let mut step = |name: &'static str| {
            steps.push((name, t.elapsed()));
            t = Instant::now();
        };
        let source = codegen::load::Source::read(&spec).expect("the spec reads");
        let doc = codegen::load::load(&source).expect("the spec parses");
        step("parse");
        let (api, _warnings) =
            codegen::lower::lower(&doc, &Default::default()).expect("the spec lowers");
        drop(doc);
        step("lower");
        let peak = peak_mib();
        let info = codegen::render::CrateInfo {
            name: "bench".into(),
            version: "0.1.0".into(),
            description: None,
            ..Default::default()
        };
        let pending = codegen::render::pending(&api, &info).expect("the crate renders");
        let files = codegen::format::render_and_format(pending).expect("the crate formats");
        drop(api);
        step("render + format");
        codegen::output::sync(&out, &files, codegen::output::Mode::Write)
            .expect("the crate writes");
        step("write");
        let count = files.len();
        let total = all.elapsed();
        let rust = files
            .into_iter()
            .filter(|f| f.path.ends_with(".rs"))
            .map(|f| f.contents);
        let floor = syn_and_prettyplease(rust.collect());
        let ms = |d: std::time::Duration| format!("{:.0} ms", d.as_secs_f64() * 1e3);
        println!(
            "| {} | {} | {:.1} s | {} | {} | {} |",
            spec.file_name().unwrap_or_default().to_string_lossy(),
            steps
                .iter()
                .map(|(_, d)| ms(*d))
                .collect::<Vec<_>>()
                .join(" | "),
            total.as_secs_f64(),
            count,
            peak.map_or("n/a".into(), |m| format!("{m:.0} MiB")),
            ms(floor),
        );
        let _ = std::fs::remove_dir_all(&out);
    }
}

/// The wall time of parsing every Rust file with syn and printing it with
/// prettyplease, nothing else, spread over threads as the generator spreads
/// its formatting.
fn syn_and_prettyplease(files: Vec<String>) -> std::time::Duration {
    let threads = codegen::parallel::threads_for(files.iter().map(String::len).sum());
    let start = Instant::now();
    let printed = codegen::parallel::map(files, threads, String::len, |text| {
        prettyplease::unparse(&syn::parse_file(&text).expect("emitted Rust parses"))
    });
    let elapsed = start.elapsed();
    drop(printed);
    elapsed
}
