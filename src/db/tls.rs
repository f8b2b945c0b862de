//! TLS with rustls, following libpq's `sslmode` meanings (the postgres crate itself knows only three of them).
//!
//! | sslmode      | encrypts        | checks the chain | checks the host name |
//! |--------------|-----------------|------------------|----------------------|
//! | disable      | no              | –                | –                    |
//! | allow/prefer | if the server can | no             | no                   |
//! | require      | yes             | only when a root cert file exists (as libpq) | no |
//! | verify-ca    | yes             | yes              | no                   |
//! | verify-full  | yes             | yes              | yes                  |

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::target::SslMode;

/// The postgres crate's own mode for a libpq mode (the verification part is done by our rustls config).
pub fn crate_mode(mode: SslMode) -> postgres::config::SslMode {
    match mode {
        SslMode::Disable => postgres::config::SslMode::Disable,
        SslMode::Allow | SslMode::Prefer => postgres::config::SslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            postgres::config::SslMode::Require
        }
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Build the connector for a mode. `rootcert` is libpq's `sslrootcert`: a PEM file, or `system` for the
/// platform's trusted roots; when absent, `~/.postgresql/root.crt` as libpq does.
pub fn connector(
    mode: SslMode,
    rootcert: Option<&str>,
    home: Option<&Path>,
) -> Result<MakeRustlsConnect, String> {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?;
    // libpq: "if a root CA file exists, the behavior of sslmode=require will be the same as that of
    // verify-ca".
    let mode = match mode {
        SslMode::Require if root_file_exists(rootcert, home) => SslMode::VerifyCa,
        other => other,
    };
    let config = match mode {
        SslMode::Disable | SslMode::Allow | SslMode::Prefer | SslMode::Require => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAny(provider)))
            .with_no_client_auth(),
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let roots = load_roots(rootcert, home)?;
            let webpki = rustls::client::WebPkiServerVerifier::builder_with_provider(
                Arc::new(roots),
                provider,
            )
            .build()
            .map_err(|e| format!("TLS setup failed: {e}"))?;
            let verifier: Arc<dyn ServerCertVerifier> = if mode == SslMode::VerifyFull {
                webpki
            } else {
                Arc::new(ChainOnly(webpki))
            };
            builder
                .dangerous()
                .with_custom_certificate_verifier(verifier)
                .with_no_client_auth()
        }
    };
    Ok(MakeRustlsConnect::new(config))
}

/// Is there a root certificate file for `require` to check against (sslrootcert, or ~/.postgresql/root.crt)?
fn root_file_exists(rootcert: Option<&str>, home: Option<&Path>) -> bool {
    match rootcert {
        Some("system") => false,
        Some(p) => Path::new(p).is_file(),
        None => home.is_some_and(|h| h.join(".postgresql/root.crt").is_file()),
    }
}

fn load_roots(rootcert: Option<&str>, home: Option<&Path>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    if rootcert == Some("system") {
        let found = rustls_native_certs::load_native_certs();
        let (added, _) = roots.add_parsable_certificates(found.certs);
        if added == 0 {
            return Err(
                "sslrootcert=system: no trusted root certificates found on this system".into(),
            );
        }
        return Ok(roots);
    }
    let path: PathBuf = match rootcert {
        Some(p) => PathBuf::from(p),
        None => home
            .map(|h| h.join(".postgresql/root.crt"))
            .ok_or("no sslrootcert given and no home directory to find ~/.postgresql/root.crt")?,
    };
    let pem = std::fs::read(&path).map_err(|e| {
        format!(
            "root certificate file \"{}\" cannot be read ({e}); either provide the file, use the system's \
             trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification",
            path.display()
        )
    })?;
    let mut reader = std::io::BufReader::new(pem.as_slice());
    for cert in rustls_pemfile::certs(&mut reader) {
        let cert = cert.map_err(|e| format!("bad certificate in \"{}\": {e}", path.display()))?;
        roots
            .add(cert)
            .map_err(|e| format!("bad certificate in \"{}\": {e}", path.display()))?;
    }
    if roots.is_empty() {
        return Err(format!("no certificates found in \"{}\"", path.display()));
    }
    Ok(roots)
}

/// `require` and below: encryption without authentication of the server, as libpq does.
#[derive(Debug)]
struct AcceptAny(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
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
            &self.0.signature_verification_algorithms,
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
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted root, the name in the certificate is not checked.
#[derive(Debug)]
struct ChainOnly(Arc<rustls::client::WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
