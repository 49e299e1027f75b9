//! The client runtime every generated crate carries: its modules, ordinary
//! Rust in the workspace's `runtime` crate (built, linted and unit-tested
//! there), and what one crate takes of them. [`parts`] names the parts a
//! crate can carry; [`specialize`] keeps a module's items for the parts a
//! crate carries. The crate's own files the runtime calls on (its security
//! schemes, grants, regions, conventions, errors) are rendered from
//! templates like the rest of the crate.

pub mod parts;
pub mod specialize;

pub use parts::{Helper, Part, Parts};

/// A module of the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    /// The client, its builder, requests, retries and responses.
    Client,
    /// Retry and redirect policies, hooks, URL and `Retry-After` parsing.
    Config,
    /// Reading responses within limits, redirects, error text.
    Exchange,
    /// TLS: the crypto provider and the certificates trusted and shown.
    Tls,
    /// What the models' serde impls share.
    Fields,
    /// OAuth 2.0 logins and the token cache.
    Auth,
    /// Multipart bodies.
    Multipart,
    /// Paged operations' pages and items.
    Pages,
    /// The in-memory stand-in for the API (the crate's `test-util` feature).
    Mock,
}

impl Module {
    pub const ALL: &[Module] = &[
        Module::Client,
        Module::Config,
        Module::Exchange,
        Module::Tls,
        Module::Fields,
        Module::Auth,
        Module::Multipart,
        Module::Pages,
        Module::Mock,
    ];

    /// Where a crate carries the module.
    pub fn path(self) -> &'static str {
        match self {
            Module::Client => "src/client.rs",
            Module::Config => "src/config.rs",
            Module::Exchange => "src/exchange.rs",
            Module::Tls => "src/tls.rs",
            Module::Fields => "src/fields.rs",
            Module::Auth => "src/auth.rs",
            Module::Multipart => "src/multipart.rs",
            Module::Pages => "src/pages.rs",
            Module::Mock => "src/mock.rs",
        }
    }

    /// The module's source in the runtime crate.
    pub fn source(self) -> &'static str {
        match self {
            Module::Client => include_str!("../../runtime/src/client.rs"),
            Module::Config => include_str!("../../runtime/src/config.rs"),
            Module::Exchange => include_str!("../../runtime/src/exchange.rs"),
            Module::Tls => include_str!("../../runtime/src/tls.rs"),
            Module::Fields => include_str!("../../runtime/src/fields.rs"),
            Module::Auth => include_str!("../../runtime/src/auth.rs"),
            Module::Multipart => include_str!("../../runtime/src/multipart.rs"),
            Module::Pages => include_str!("../../runtime/src/pages.rs"),
            Module::Mock => include_str!("../../runtime/src/mock.rs"),
        }
    }

    /// Whether every crate carrying the module gets the same text: it has
    /// no parts of its own.
    pub fn is_fixed(self) -> bool {
        features_named(self.source()).all(|f| parts::CRATE_FEATURES.contains(&f))
    }

    /// The module as a crate carrying `parts` has it.
    pub fn specialized(self, parts: &Parts) -> Result<String, String> {
        specialize::specialize(self.source(), parts).map_err(|e| {
            format!(
                "internal error: the runtime's {} cannot be specialized: {e}",
                self.path()
            )
        })
    }
}

/// The cargo features `source` names in `feature = "…"`.
fn features_named(source: &str) -> impl Iterator<Item = &str> {
    source
        .split("feature = \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
}

/// The files of the crate generated from the runtime's host API that the
/// runtime crate builds with, relative to its `src/host/`: every source file
/// but the root (the runtime crate has its own) and the runtime's modules
/// (their sources are the runtime's).
pub fn host_files(files: &[crate::format::OutputFile]) -> Vec<crate::format::OutputFile> {
    files
        .iter()
        .filter(|f| f.path != "src/lib.rs" && Module::ALL.iter().all(|m| m.path() != f.path))
        .filter_map(|f| {
            Some(crate::format::OutputFile {
                path: f.path.strip_prefix("src/")?.to_owned(),
                contents: f.contents.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runtime crate's features are the parts, each once.
    #[test]
    fn the_runtime_crate_declares_every_part() {
        let manifest: toml::Table =
            toml::from_str(include_str!("../../runtime/Cargo.toml")).unwrap();
        let features = manifest["features"].as_table().unwrap();
        let declared: std::collections::BTreeSet<&str> = features
            .keys()
            .map(String::as_str)
            .filter(|f| !matches!(*f, "default" | "host") && !parts::CRATE_FEATURES.contains(f))
            .collect();
        let parts: std::collections::BTreeSet<&str> =
            Part::ALL.iter().map(|p| p.feature()).collect();
        assert_eq!(declared, parts);
    }

    /// Every module specializes for every crate: with no part, and with all.
    #[test]
    fn every_module_specializes() {
        let all: Parts = Part::ALL.iter().copied().collect();
        for module in Module::ALL {
            for parts in [&Parts::default(), &all] {
                let text = module.specialized(parts).unwrap();
                let left: Vec<&str> = features_named(&text)
                    .filter(|f| !parts::CRATE_FEATURES.contains(f))
                    .collect();
                assert!(left.is_empty(), "{}: {left:?}", module.path());
                assert!(!text.contains("mod tests"), "{}", module.path());
            }
        }
        assert!(Module::Tls.is_fixed());
        assert!(!Module::Client.is_fixed());
        assert!(!Module::Exchange.is_fixed());
    }
}
