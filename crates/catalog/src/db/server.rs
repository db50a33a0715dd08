//! Reaching a PostgreSQL catalogue from its URL, the way libpq's tools do, so that a password never
//! has to be on the command line: `postgres://user@host:port/db` (or libpq's `key=value` form), with
//! what the URL leaves out taken from libpq's environment (`PGHOST`, `PGPORT`, `PGUSER`,
//! `PGDATABASE`, `PGPASSWORD`) and the password file (`PGPASSFILE`, else `~/.pgpass`). An extra
//! `schema=NAME` parameter keeps the catalogue in its own schema (made if missing), so one database can
//! hold several. [`redacted`] is the URL as messages show it.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;
use postgres::{Config, NoTls};

use crate::{Error, Result};

/// How long to wait for the server before saying it cannot be reached.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A parsed catalogue URL: the connection settings and the schema the catalogue lives in.
pub struct Target {
    pub config: Config,
    pub schema: Option<String>,
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
    let (url, schema) = take_schema(url);
    let mut config = Config::from_str(&url).map_err(|e| {
        Error::Other(format!(
            "{} is not a PostgreSQL URL Argus can read ({e}); write postgres://USER@HOST:PORT/DATABASE",
            redacted(&url)
        ))
    })?;
    let env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
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
    Ok(Target { config, schema })
}

/// Connects to the catalogue's server and database, in its schema when the URL names one.
pub fn connect(url: &str) -> Result<postgres::Client> {
    let Target { config, schema } = target(url)?;
    let mut client = config.connect(NoTls).map_err(|e| {
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

/// The URL without a `schema=NAME` query parameter, and the name.
fn take_schema(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut schema = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.strip_prefix("schema=") {
            Some(name) if !name.is_empty() => {
                schema = Some(name.to_string());
                false
            }
            _ => true,
        })
        .collect();
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    (url, schema)
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
    fn a_schema_parameter_is_taken_out_of_the_url() {
        assert_eq!(
            take_schema("postgres://a@h/db?schema=team&sslmode=disable"),
            (
                "postgres://a@h/db?sslmode=disable".to_string(),
                Some("team".to_string())
            )
        );
        assert_eq!(
            take_schema("postgres://a@h/db?schema=team"),
            ("postgres://a@h/db".to_string(), Some("team".to_string()))
        );
        assert_eq!(
            take_schema("postgres://a@h/db"),
            ("postgres://a@h/db".to_string(), None)
        );
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
