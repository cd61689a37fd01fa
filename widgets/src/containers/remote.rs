//! Remote LXD and Incus servers over HTTPS, authenticated the way `lxc remote add` does it:
//! our client certificate (`~/.config/lxc/client.crt` and `.key`) and the server's own
//! certificate pinned (`~/.config/lxc/servercerts/<remote>.crt`), since LXD servers present
//! self-signed certificates that no CA vouches for. TLS is rustls (ring provider).

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};

use super::http::Conn;

/// A remote server: where it is and how to talk TLS to it.
#[derive(Debug)]
pub struct Remote {
    /// `host:port`.
    pub addr: String,
    host: String,
    config: Arc<ClientConfig>,
}

/// The files a remote needs (defaults as `lxc remote add` leaves them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFiles {
    /// `https://host[:port]` (port 8443 when absent).
    pub url: String,
    /// Our certificate (PEM).
    pub cert: PathBuf,
    /// Our private key (PEM).
    pub key: PathBuf,
    /// The server's certificate (PEM), pinned.
    pub server_cert: PathBuf,
}

impl RemoteFiles {
    /// The files for remote `name` of a client whose config lives in `~/.config/<client>`
    /// ("lxc" for LXD, "incus" for Incus), overridden by what is given.
    pub fn resolve(
        url: &str,
        name: &str,
        client: &str,
        cert: Option<&str>,
        key: Option<&str>,
        server_cert: Option<&str>,
    ) -> RemoteFiles {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default();
        let dir = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".config"))
            .join(client);
        let or = |given: Option<&str>, default: PathBuf| given.map_or(default, PathBuf::from);
        RemoteFiles {
            url: url.to_string(),
            cert: or(cert, dir.join("client.crt")),
            key: or(key, dir.join("client.key")),
            server_cert: or(
                server_cert,
                dir.join("servercerts").join(format!("{name}.crt")),
            ),
        }
    }
}

/// `host:port` and the host alone from an `https://` URL.
pub fn parse_url(url: &str) -> Result<(String, String), String> {
    let rest = url
        .strip_prefix("https://")
        .ok_or_else(|| format!("{url}: a remote's url must start with https://"))?;
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() {
        return Err(format!("{url}: no host"));
    }
    // "[::1]:8443", "[::1]", "host:8443", "host".
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| format!("{url}: bad IPv6 host"))?;
        (
            h.to_string(),
            after.strip_prefix(':').unwrap_or("8443").to_string(),
        )
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.to_string()),
            None => (authority.to_string(), "8443".into()),
        }
    };
    if port.parse::<u16>().is_err() {
        return Err(format!("{url}: bad port '{port}'"));
    }
    let addr = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    Ok((addr, host))
}

fn read(what: &str, path: &Path) -> String {
    format!("cannot read {what} {}", path.display())
}

impl Remote {
    /// Load the certificates and key and build the TLS configuration.
    pub fn load(files: &RemoteFiles) -> Result<Remote, String> {
        let (addr, host) = parse_url(&files.url)?;
        let ours: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
            .and_then(|it| it.collect())
            .map_err(|e| format!("{}: {e}", read("the client certificate", &files.cert)))?;
        let key = PrivateKeyDer::from_pem_file(&files.key)
            .map_err(|e| format!("{}: {e}", read("the client key", &files.key)))?;
        let pinned = CertificateDer::from_pem_file(&files.server_cert).map_err(|e| {
            format!(
                "{}: {e}",
                read("the server certificate", &files.server_cert)
            )
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Pinned { pinned, provider }))
            .with_client_auth_cert(ours, key)
            .map_err(|e| format!("the client certificate and key do not go together: {e}"))?;
        Ok(Remote {
            addr,
            host,
            config: Arc::new(config),
        })
    }

    /// The host name or address (for the Host header).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Connect (TCP, then TLS on first use) with `timeout` for connecting and each read.
    pub fn connect(&self, timeout: Duration) -> io::Result<Box<dyn Conn>> {
        let addrs: Vec<_> = self.addr.to_socket_addrs()?.collect();
        let mut last = io::Error::new(
            io::ErrorKind::NotFound,
            format!("{}: no address", self.addr),
        );
        for a in addrs {
            match TcpStream::connect_timeout(&a, timeout) {
                Ok(tcp) => {
                    tcp.set_read_timeout(Some(timeout))?;
                    tcp.set_write_timeout(Some(timeout))?;
                    let name = ServerName::try_from(self.host.clone())
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
                    let tls = ClientConnection::new(self.config.clone(), name)
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                    return Ok(Box::new(Tls(StreamOwned::new(tls, tcp))));
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

/// A TLS stream the HTTP code can use.
struct Tls(StreamOwned<ClientConnection, TcpStream>);

impl Read for Tls {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Write for Tls {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl Conn for Tls {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.0.sock.set_read_timeout(timeout)
    }
}

/// Trust exactly one server certificate (what `lxc remote add` pinned), whatever its
/// name or issuer; handshake signatures are still checked against it.
#[derive(Debug)]
struct Pinned {
    pinned: CertificateDer<'static>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.pinned.as_ref() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "the server's certificate is not the pinned one".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
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
        verify_tls13_signature(
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
    fn urls_give_an_address_with_the_default_port() {
        assert_eq!(
            parse_url("https://127.0.0.1:8443"),
            Ok(("127.0.0.1:8443".into(), "127.0.0.1".into()))
        );
        assert_eq!(
            parse_url("https://lxd.example/"),
            Ok(("lxd.example:8443".into(), "lxd.example".into()))
        );
        assert_eq!(
            parse_url("https://[::1]"),
            Ok(("[::1]:8443".into(), "::1".into()))
        );
        assert!(parse_url("http://host").is_err());
        assert!(parse_url("https://host:port").is_err());
        assert!(parse_url("https://").is_err());
    }

    #[test]
    fn default_files_are_where_lxc_remote_add_puts_them() {
        let f = RemoteFiles::resolve("https://h", "lab", "lxc", None, Some("/k.pem"), None);
        assert!(f.cert.ends_with("lxc/client.crt"), "{:?}", f.cert);
        assert_eq!(f.key, PathBuf::from("/k.pem"));
        assert!(
            f.server_cert.ends_with("lxc/servercerts/lab.crt"),
            "{:?}",
            f.server_cert
        );
    }

    #[test]
    fn missing_files_are_an_error_naming_the_file() {
        let f = RemoteFiles::resolve(
            "https://127.0.0.1:8443",
            "lab",
            "lxc",
            Some("/nonexistent/client.crt"),
            None,
            None,
        );
        let e = Remote::load(&f).expect_err("no files");
        assert!(e.contains("/nonexistent/client.crt"), "{e}");
    }
}
