//! What the generator's integration tests share.

use std::path::{Path, PathBuf};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every spec in the repository: `spec/tokens.yaml` and each YAML or JSON
/// file under `tests/fixtures`, in a fixed order.
pub fn repository_specs() -> Vec<PathBuf> {
    let root = root();
    let mut files = vec![root.join("spec/tokens.yaml")];
    specs(&root.join("tests/fixtures"), &mut files);
    files
}

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
