//! The server's TLS identity: a certificate chain and key from PEM files the operator
//! names, or a self-signed certificate made on first start and kept in a directory so that
//! it (and its fingerprint, which users are told to check) stays the same across restarts.
//! rustls on the `ring` provider; HTTP/1.1 only, as the router speaks nothing else.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

/// The file names of a self-signed certificate and its key in their directory.
pub const SELF_SIGNED_CERT: &str = "hawkari-cert.pem";
pub const SELF_SIGNED_KEY: &str = "hawkari-key.pem";

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TlsError(String);

/// A certificate chain (leaf first) and its private key.
pub struct TlsIdentity {
    certs: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    /// Where the certificate is kept.
    pub cert_path: PathBuf,
    /// Made by this start (a self-signed certificate that did not exist yet).
    pub created: bool,
}

/// The key is a secret: never printed.
impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("cert_path", &self.cert_path)
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// A certificate chain and key from PEM files.
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let certs = CertificateDer::pem_file_iter(cert)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| {
                TlsError(format!(
                    "cannot read certificates from {}: {e}",
                    cert.display()
                ))
            })?;
        if certs.is_empty() {
            return Err(TlsError(format!("{} holds no certificate", cert.display())));
        }
        let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
            TlsError(format!(
                "cannot read a private key from {}: {e}",
                key.display()
            ))
        })?;
        Ok(Self {
            certs,
            key,
            cert_path: cert.to_owned(),
            created: false,
        })
    }

    /// The self-signed certificate kept in `dir`, made (for `names`: host names and IP
    /// addresses) if there is none yet.
    pub fn self_signed_in(dir: &Path, names: &[String]) -> Result<Self, TlsError> {
        let cert_path = dir.join(SELF_SIGNED_CERT);
        let key_path = dir.join(SELF_SIGNED_KEY);
        match (cert_path.exists(), key_path.exists()) {
            (true, true) => return Self::from_pem_files(&cert_path, &key_path),
            (false, false) => {}
            _ => {
                return Err(TlsError(format!(
                    "only one of {} and {} exists: remove it to have a new certificate made, \
                     or restore the other",
                    cert_path.display(),
                    key_path.display()
                )));
            }
        }
        let mut params = rcgen::CertificateParams::new(names.to_vec())
            .map_err(|e| TlsError(format!("cannot make a certificate for {names:?}: {e}")))?;
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Hawkari (self-signed)");
        let key_pair =
            rcgen::KeyPair::generate().map_err(|e| TlsError(format!("cannot make a key: {e}")))?;
        let cert = params
            .self_signed(&key_pair)
            .map_err(|e| TlsError(format!("cannot sign the certificate: {e}")))?;
        std::fs::create_dir_all(dir)
            .map_err(|e| TlsError(format!("cannot create {}: {e}", dir.display())))?;
        write_private(&key_path, key_pair.serialize_pem().as_bytes())?;
        std::fs::write(&cert_path, cert.pem())
            .map_err(|e| TlsError(format!("cannot write {}: {e}", cert_path.display())))?;
        Ok(Self {
            certs: vec![cert.der().clone()],
            key: PrivateKeyDer::try_from(key_pair.serialize_der())
                .map_err(|e| TlsError(format!("cannot use the new key: {e}")))?,
            cert_path,
            created: true,
        })
    }

    /// The SHA-256 fingerprint of the certificate, as browsers show it (`AB:CD:…`).
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(&self.certs[0]);
        let hex: Vec<String> = digest.iter().map(|b| format!("{b:02X}")).collect();
        hex.join(":")
    }

    /// The rustls configuration serving this identity.
    pub fn server_config(&self) -> Result<Arc<rustls::ServerConfig>, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError(format!("TLS versions: {e}")))?
            .with_no_client_auth()
            .with_single_cert(self.certs.clone(), self.key.clone_key())
            .map_err(|e| {
                TlsError(format!(
                    "the key does not fit the certificate in {}: {e}",
                    self.cert_path.display()
                ))
            })?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

/// Writes a file only its owner may read.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| TlsError(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_signed_certificate_is_kept_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = TlsIdentity::self_signed_in(dir.path(), &["localhost".into()]).unwrap();
        assert!(first.created);
        let again = TlsIdentity::self_signed_in(dir.path(), &["other".into()]).unwrap();
        assert!(!again.created);
        assert_eq!(first.fingerprint(), again.fingerprint());
        assert_eq!(first.fingerprint().len(), 32 * 3 - 1);
        again.server_config().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SELF_SIGNED_KEY))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "the key is readable by its owner only");
        }
    }

    #[test]
    fn a_lone_certificate_without_its_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SELF_SIGNED_CERT), "x").unwrap();
        let e = TlsIdentity::self_signed_in(dir.path(), &["localhost".into()]).unwrap_err();
        assert!(e.to_string().contains(SELF_SIGNED_KEY), "{e}");
    }
}
