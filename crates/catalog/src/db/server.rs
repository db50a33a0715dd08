//! Reaching a PostgreSQL catalogue from its URL, the way libpq's tools do, so that a password never
//! has to be on the command line: `postgres://user@host:port/db` (or libpq's `key=value` form), with
//! what the URL leaves out taken from libpq's environment (`PGHOST`, `PGPORT`, `PGUSER`,
//! `PGDATABASE`, `PGPASSWORD`) and the password file (`PGPASSFILE`, else `~/.pgpass`). An extra
//! `schema=NAME` parameter keeps the catalogue in its own schema (made if missing), so one database can
//! hold several. [`redacted`] is the URL as messages show it.
//!
//! Encryption follows libpq's `sslmode` (URL parameter, else `PGSSLMODE`): `prefer` (the default)
//! uses TLS whenever the server offers it, `require` insists on it — both without checking the
//! server's certificate, as libpq does —, `verify-full` insists and checks the certificate and host
//! name against `sslrootcert` (URL parameter, else `PGSSLROOTCERT`, else `~/.postgresql/root.crt`
//! when present, else the system's roots), and `disable` never encrypts. TLS is rustls's (with
//! ring); a Unix socket connection is never encrypted (it never leaves the machine).

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use postgres::config::{Host, SslMode};
use postgres::{Config, NoTls};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::{Error, Result};

/// How long to wait for the server before saying it cannot be reached.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A parsed catalogue URL: the connection settings, the schema the catalogue lives in, and how the
/// connection is encrypted.
pub struct Target {
    pub config: Config,
    pub schema: Option<String>,
    pub encryption: Encryption,
}

/// libpq's `sslmode`s Argus knows (`allow` is taken as `prefer`, `verify-ca` as `verify-full`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encryption {
    Disable,
    Prefer,
    Require,
    /// TLS with the server's certificate checked (against this root file, else the defaults).
    VerifyFull {
        root: Option<PathBuf>,
    },
}

/// Whether a catalogue location names a server rather than a file: `scheme://…`, the scheme being
/// a letter, then letters, digits, `+`, `-` or `.`. Such a value must never be taken as a path.
pub fn is_url(location: &str) -> bool {
    location.split_once("://").is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// `url` without its password: `scheme://user:secret@host/db` → `scheme://user@host/db`, a
/// `password=…` query parameter dropped; in libpq's `key=value` form, the `password` pair dropped.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url
            .split_whitespace()
            .filter(|pair| !pair.to_ascii_lowercase().starts_with("password="))
            .collect::<Vec<_>>()
            .join(" ");
    };
    let (authority_end, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority_end.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split_once(':').map_or(user_info, |(u, _)| u);
            format!("{user}@{host}")
        }
        None => authority_end.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|kv| !kv.to_ascii_lowercase().starts_with("password="))
                .collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// Reads `url`, filling what it leaves out from libpq's environment and password file.
pub fn target(url: &str) -> Result<Target> {
    let (url, mut own) = take_own_parameters(url, &["schema", "sslmode", "sslrootcert"]);
    let schema = own.remove("schema").filter(|s| !s.is_empty());
    let env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
    let mode = own.remove("sslmode").or_else(|| env("PGSSLMODE"));
    let root = own.remove("sslrootcert").or_else(|| env("PGSSLROOTCERT"));
    let encryption = match mode.as_deref().unwrap_or("prefer") {
        "disable" => Encryption::Disable,
        "allow" | "prefer" => Encryption::Prefer,
        "require" => Encryption::Require,
        "verify-ca" | "verify-full" => Encryption::VerifyFull {
            root: root.map(PathBuf::from).or_else(default_root_file),
        },
        other => {
            return Err(Error::Other(format!(
                "sslmode={other} in {}: use disable, prefer, require or verify-full",
                redacted(&url)
            )))
        }
    };
    let mut config = Config::from_str(&url).map_err(|e| {
        Error::Other(format!(
            "{} is not a PostgreSQL URL Argus can read ({e}); write postgres://USER@HOST:PORT/DATABASE",
            redacted(&url)
        ))
    })?;
    if config.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(host) => {
                config.host(&host);
            }
            None => {
                config.host_path("/var/run/postgresql");
            }
        }
    }
    if config.get_ports().is_empty() {
        if let Some(port) = env("PGPORT").and_then(|p| p.parse().ok()) {
            config.port(port);
        }
    }
    if config.get_user().is_none() {
        if let Some(user) = env("PGUSER").or_else(|| env("USER")) {
            config.user(&user);
        }
    }
    if config.get_dbname().is_none() {
        if let Some(db) = env("PGDATABASE") {
            config.dbname(&db);
        }
    }
    if config.get_password().is_none() {
        if let Some(password) = env("PGPASSWORD").or_else(|| password_from_file(&config)) {
            config.password(password);
        }
    }
    config.connect_timeout(CONNECT_TIMEOUT);
    config.application_name("argus");
    config.ssl_mode(match encryption {
        Encryption::Disable => SslMode::Disable,
        Encryption::Prefer => SslMode::Prefer,
        Encryption::Require | Encryption::VerifyFull { .. } => SslMode::Require,
    });
    Ok(Target {
        config,
        schema,
        encryption,
    })
}

/// libpq's root certificate file, `~/.postgresql/root.crt`, when there is one.
fn default_root_file() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let file = PathBuf::from(home).join(".postgresql").join("root.crt");
    file.is_file().then_some(file)
}

/// The TLS set-up for `encryption` (None: none).
fn tls(encryption: &Encryption) -> Result<Option<tokio_postgres_rustls::MakeRustlsConnect>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Other(format!("TLS: {e}")))?;
    let config = match encryption {
        Encryption::Disable => return Ok(None),
        Encryption::Prefer | Encryption::Require => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unverified(provider)))
            .with_no_client_auth(),
        Encryption::VerifyFull { root } => {
            let mut roots = rustls::RootCertStore::empty();
            match root {
                Some(file) => {
                    use rustls::pki_types::pem::PemObject;
                    let certificates = CertificateDer::pem_file_iter(file)
                        .and_then(|certs| certs.collect::<std::result::Result<Vec<_>, _>>())
                        .map_err(|e| {
                            Error::Other(format!(
                                "cannot read the root certificate {} (sslrootcert): {e}",
                                file.display()
                            ))
                        })?;
                    roots.add_parsable_certificates(certificates);
                }
                None => {
                    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
                }
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    };
    Ok(Some(tokio_postgres_rustls::MakeRustlsConnect::new(config)))
}

/// Accepts any server certificate (libpq's `prefer` and `require`: encrypted, not authenticated),
/// still checking that the handshake is signed by the certificate's key.
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
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
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
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

/// Connects to the catalogue's server and database, in its schema when the URL names one (from any
/// thread: see [`super::postgres::outside_async`]).
pub fn connect(url: &str) -> Result<postgres::Client> {
    super::postgres::outside_async(|| connect_here(url))
}

fn connect_here(url: &str) -> Result<postgres::Client> {
    let Target {
        config,
        schema,
        encryption,
    } = target(url)?;
    // A Unix socket never leaves the machine: no TLS there (the server offers none either).
    let socket_only = config
        .get_hosts()
        .iter()
        .all(|h| matches!(h, Host::Unix(_)));
    let encryption = if socket_only {
        Encryption::Disable
    } else {
        encryption
    };
    let connected = match tls(&encryption)? {
        Some(tls) => config.connect(tls),
        None => config.connect(NoTls),
    };
    let mut client = connected.map_err(|e| {
        let mut message = format!(
            "cannot reach the catalogue at {}: {}",
            redacted(url),
            super::postgres::describe(&e)
        );
        if message.contains("password") {
            message.push_str(
                " (give the password in PGPASSWORD or ~/.pgpass, never on the command line)",
            );
        }
        Error::Db(message)
    })?;
    if let Some(schema) = schema {
        let quoted = format!("\"{}\"", schema.replace('"', "\"\""));
        client
            .batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {quoted}; SET search_path TO {quoted}"
            ))
            .map_err(|e| {
                Error::Db(format!(
                    "cannot use the schema {schema} of {}: {}",
                    redacted(url),
                    super::postgres::describe(&e)
                ))
            })?;
    }
    Ok(client)
}

/// The URL without the query parameters Argus reads itself (`keys`), and their values.
fn take_own_parameters(
    url: &str,
    keys: &[&str],
) -> (String, std::collections::HashMap<String, String>) {
    let mut own = std::collections::HashMap::new();
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), own);
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if keys.contains(&key) {
                own.insert(key.to_string(), percent_decoded(value));
                false
            } else {
                true
            }
        })
        .collect();
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    (url, own)
}

/// `%XX` escapes decoded (a root certificate's path in a URL: `sslrootcert=%2Fetc%2Fca.crt`).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap() * 16 + hex(l).unwrap()) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The password for `config` in the password file (`PGPASSFILE`, else `~/.pgpass`): lines
/// `host:port:database:user:password`, `*` matching anything, `\` escaping `:` and `\`; a socket
/// path matches `localhost`, as in libpq. Ignored unless only its owner may read it.
fn password_from_file(config: &Config) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        _ => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default().to_string();
    let dbname = config.get_dbname().unwrap_or(&user).to_string();
    pgpass_lookup(&text, [&host, &port, &dbname, &user])
}

/// The password of the first line of a password file matching host, port, database and user.
fn pgpass_lookup(text: &str, wanted: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let fields = split_escaped(line);
        if fields.len() != 5 {
            continue;
        }
        let matches = fields[..4]
            .iter()
            .zip(wanted)
            .all(|(field, want)| field == "*" || field == want);
        if matches {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_escaped(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().unwrap().push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redacted("postgres://ana:s3cret@db.example:5432/argus?schema=team"),
            "postgres://ana@db.example:5432/argus?schema=team"
        );
        assert_eq!(
            redacted("postgresql:///argus?user=ana&password=x&sslmode=require"),
            "postgresql:///argus?user=ana&sslmode=require"
        );
        assert_eq!(
            redacted("postgres://ana@db.example/argus"),
            "postgres://ana@db.example/argus"
        );
        assert_eq!(
            redacted("host=/tmp user=ana password=s3cret dbname=x"),
            "host=/tmp user=ana dbname=x"
        );
    }

    #[test]
    fn argus_own_parameters_are_taken_out_of_the_url() {
        let (url, own) = take_own_parameters(
            "postgres://a@h/db?schema=team&connect_timeout=3&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.crt",
            &["schema", "sslmode", "sslrootcert"],
        );
        assert_eq!(url, "postgres://a@h/db?connect_timeout=3");
        assert_eq!(own["schema"], "team");
        assert_eq!(own["sslmode"], "verify-full");
        assert_eq!(own["sslrootcert"], "/etc/ca.crt");
        let (url, own) = take_own_parameters("postgres://a@h/db", &["schema"]);
        assert_eq!((url.as_str(), own.len()), ("postgres://a@h/db", 0));
    }

    #[test]
    fn sslmode_follows_libpq_and_prefers_tls() {
        let mode = |url: &str| target(url).map(|t| t.encryption);
        assert_eq!(mode("postgres://a@h/db").unwrap(), Encryption::Prefer);
        assert_eq!(
            mode("postgres://a@h/db?sslmode=disable").unwrap(),
            Encryption::Disable
        );
        assert_eq!(
            mode("postgres://a@h/db?sslmode=require").unwrap(),
            Encryption::Require
        );
        assert_eq!(
            mode("postgres://a@h/db?sslmode=verify-full&sslrootcert=/x/ca.crt").unwrap(),
            Encryption::VerifyFull {
                root: Some(PathBuf::from("/x/ca.crt"))
            }
        );
        let wrong = mode("postgres://a@h/db?sslmode=sometimes").err().unwrap();
        assert!(wrong.to_string().contains("sslmode=sometimes"), "{wrong}");
    }

    #[test]
    fn the_password_file_matches_like_libpq() {
        let file = "# comment\n\
                    other:5432:*:ana:wrong\n\
                    db.example:5432:argus:ana:right\\:colon\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(file, ["db.example", "5432", "argus", "ana"]).as_deref(),
            Some("right:colon")
        );
        assert_eq!(
            pgpass_lookup(file, ["elsewhere", "5433", "x", "bo"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("a:b:c:d:e\n", ["x", "b", "c", "d"]), None);
    }

    #[test]
    fn a_url_that_is_not_postgres_is_refused_with_its_password_hidden() {
        let error = target("postgres://ana:s3cret@host:notaport/db")
            .err()
            .unwrap();
        let message = error.to_string();
        assert!(
            message.contains("postgres://ana@host:notaport/db"),
            "{message}"
        );
        assert!(!message.contains("s3cret"), "{message}");
    }
}
