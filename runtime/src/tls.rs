//! TLS for the client's connections: which crypto provider does the
//! cryptography, which certificates are trusted, and which one the client
//! shows. The crate never installs a process-wide crypto provider: it hands
//! its own configuration to the HTTP client.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::fmt;
use std::sync::{Arc, OnceLock};

#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc")))]
compile_error!(
    "TLS needs a crypto provider: turn on this crate's `rustls-ring` (the default) or `rustls-aws-lc` feature"
);

/// The crypto provider TLS connections use: the process-wide default when
/// the application installed one (`CryptoProvider::install_default`),
/// otherwise the one this crate's features choose — aws-lc-rs with the
/// `rustls-aws-lc` feature, else ring (`rustls-ring`, the default).
pub fn crypto_provider() -> Arc<CryptoProvider> {
    match CryptoProvider::get_default() {
        Some(provider) => Arc::clone(provider),
        None => crate_provider(),
    }
}

/// The provider this crate's features choose.
#[cfg(feature = "rustls-aws-lc")]
fn crate_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// The provider this crate's features choose.
#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
fn crate_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// What the client's TLS connections trust and show: by default the
/// operating system's root certificates (read on the first HTTPS
/// connection), and no client certificate.
///
/// `Tls::new().add_root_certificate(CertificateDer::from(der))` also
/// trusts a private certificate authority; hand it to
/// [`ClientBuilder::tls`](crate::ClientBuilder::tls).
#[derive(Clone)]
pub struct Tls {
    roots: Vec<CertificateDer<'static>>,
    platform_roots: bool,
    identity: Option<(Vec<CertificateDer<'static>>, Arc<PrivateKeyDer<'static>>)>,
}

impl Default for Tls {
    fn default() -> Self {
        Tls::new()
    }
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls")
            .field("added_roots", &self.roots.len())
            .field("platform_roots", &self.platform_roots)
            .field(
                "identity",
                &self.identity.as_ref().map(|(chain, _)| {
                    format!("{} certificate(s), private key REDACTED", chain.len())
                }),
            )
            .finish()
    }
}

impl Tls {
    /// The operating system's root certificates, no client certificate.
    pub fn new() -> Self {
        Tls {
            roots: Vec::new(),
            platform_roots: true,
            identity: None,
        }
    }

    /// Also trusts this root certificate (DER), for a private certificate
    /// authority or a TLS-inspecting proxy.
    pub fn add_root_certificate(mut self, certificate: CertificateDer<'static>) -> Self {
        self.roots.push(certificate);
        self
    }

    /// Trusts only the root certificates added with
    /// [`add_root_certificate`](Self::add_root_certificate), not the
    /// operating system's.
    pub fn without_platform_roots(mut self) -> Self {
        self.platform_roots = false;
        self
    }

    /// Shows this certificate chain (the client's own certificate first) and
    /// its private key to servers that ask for one (mutual TLS). The key
    /// never appears in `Debug` output.
    pub fn client_identity(
        mut self,
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Self {
        self.identity = Some((chain, Arc::new(key)));
        self
    }

    /// The rustls configuration these settings make, with
    /// [`crypto_provider`]: what
    /// [`ClientBuilder::tls`](crate::ClientBuilder::tls) gives its HTTP
    /// client, for a `reqwest` client of your own
    /// (`reqwest::ClientBuilder::tls_backend_preconfigured`).
    ///
    /// Fails when an added certificate or the client's key cannot be used,
    /// when no root would be trusted, or when the provider supports none of
    /// the TLS versions the crate allows (1.2 and 1.3).
    pub fn rustls_config(&self) -> Result<ClientConfig, rustls::Error> {
        self.config_with(crypto_provider())
    }

    fn config_with(&self, provider: Arc<CryptoProvider>) -> Result<ClientConfig, rustls::Error> {
        let verifier: Arc<dyn ServerCertVerifier> = if self.platform_roots {
            Arc::new(PlatformVerifier {
                extra_roots: self.roots.clone(),
                provider: Arc::clone(&provider),
                verifier: OnceLock::new(),
            })
        } else {
            let mut store = RootCertStore::empty();
            for root in &self.roots {
                store.add(root.clone())?;
            }
            if store.is_empty() {
                return Err(rustls::Error::General(
                    "no root certificate is trusted: add one, or keep the platform's".to_owned(),
                ));
            }
            WebPkiServerVerifier::builder_with_provider(Arc::new(store), Arc::clone(&provider))
                .build()
                .map_err(|e| rustls::Error::General(e.to_string()))?
        };
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        match &self.identity {
            Some((chain, key)) => builder.with_client_auth_cert(chain.clone(), key.clone_key()),
            None => Ok(builder.with_no_client_auth()),
        }
    }
}

/// The operating system's verifier (`rustls-platform-verifier`), made on
/// the first certificate it checks: reading the system's roots costs a
/// client that never connects over TLS nothing, and a system without roots
/// fails that connection with the reason instead of failing every client.
struct PlatformVerifier {
    extra_roots: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
    verifier: OnceLock<Result<rustls_platform_verifier::Verifier, rustls::Error>>,
}

impl fmt::Debug for PlatformVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlatformVerifier")
            .field("extra_roots", &self.extra_roots.len())
            .finish_non_exhaustive()
    }
}

impl PlatformVerifier {
    fn verifier(&self) -> Result<&rustls_platform_verifier::Verifier, rustls::Error> {
        let made = self.verifier.get_or_init(|| {
            if self.extra_roots.is_empty() {
                rustls_platform_verifier::Verifier::new(Arc::clone(&self.provider))
            } else {
                rustls_platform_verifier::Verifier::new_with_extra_roots(
                    self.extra_roots.iter().cloned(),
                    Arc::clone(&self.provider),
                )
            }
        });
        made.as_ref().map_err(Clone::clone)
    }
}

impl ServerCertVerifier for PlatformVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_config_trusts_the_platform_lazily_and_shows_no_certificate() {
        let config = Tls::new().config_with(crate_provider()).unwrap();
        assert!(!config.client_auth_cert_resolver.has_certs());
        // The system's roots are not read until a certificate is checked.
        let verifier = PlatformVerifier {
            extra_roots: Vec::new(),
            provider: crate_provider(),
            verifier: OnceLock::new(),
        };
        assert!(!verifier.supported_verify_schemes().is_empty());
        assert!(verifier.verifier.get().is_none());
    }

    #[test]
    fn only_added_roots_need_one_that_parses() {
        let error = Tls::new()
            .without_platform_roots()
            .config_with(crate_provider())
            .unwrap_err();
        assert!(error.to_string().contains("no root certificate"), "{error}");
        let error = Tls::new()
            .without_platform_roots()
            .add_root_certificate(CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x01]))
            .config_with(crate_provider())
            .unwrap_err();
        assert!(!error.to_string().is_empty());
    }

    #[test]
    fn debug_never_shows_the_key() {
        let tls = Tls::new().client_identity(
            vec![CertificateDer::from(vec![1, 2, 3])],
            PrivateKeyDer::from(rustls::pki_types::PrivatePkcs8KeyDer::from(vec![
                0x53, 0x45, 0x43, 0x52, 0x45, 0x54,
            ])),
        );
        let shown = format!("{tls:?}");
        assert!(shown.contains("REDACTED"), "{shown}");
        assert!(!shown.contains("83, 69"), "{shown}");
    }
}
