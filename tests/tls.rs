//! TLS: `sslmode` against servers with and without TLS, and certificate checks (chain and host name).

use std::path::Path;

use crate::common;
use crate::common::{ClusterOptions, SslFiles};

#[test]
fn require_against_a_server_without_tls_fails_clearly() {
    let pg = require_native!(ClusterOptions {
        tcp: true,
        ..ClusterOptions::default()
    });
    let url = pg.tcp_url_for("postgres", "postgres").unwrap();
    let out = common::pgsh()
        .args([
            "-d",
            &format!("{url}?sslmode=require"),
            "--eval",
            "query_value(\"SELECT 1\")",
        ])
        .run();
    out.assert_code(2);
    let err = out.stderr.to_lowercase();
    assert!(err.contains("tls") || err.contains("ssl"), "{}", out.stderr);
    assert!(!err.contains("retrying"), "{}", out.stderr);
    // prefer falls back to plain text.
    let out = common::pgsh()
        .args([
            "-d",
            &format!("{url}?sslmode=prefer"),
            "--eval",
            "print(query_value(\"SELECT 1\"))",
        ])
        .run();
    out.assert_ok();
}

struct Pki {
    _dir: tempfile::TempDir,
    ca: std::path::PathBuf,
    other_ca: std::path::PathBuf,
    files: SslFiles,
}

/// A CA, a server certificate for "localhost" signed by it, and an unrelated CA.
fn make_pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let dir = tempfile::tempdir().unwrap();
    let ca = |name: &str| {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let cert = params.self_signed(&key).unwrap();
        (cert, Issuer::new(params, key))
    };
    let (ca_cert, issuer) = ca("pgsh test CA");
    let (other_cert, _) = ca("someone else's CA");
    let server_key = KeyPair::generate().unwrap();
    let mut server_params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    server_params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    let server_cert = server_params.signed_by(&server_key, &issuer).unwrap();
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let files = SslFiles {
        cert: write("server.crt", server_cert.pem()),
        key: write("server.key", server_key.serialize_pem()),
        root_cert: None,
    };
    Pki {
        ca: write("root.crt", ca_cert.pem()),
        other_ca: write("other.crt", other_cert.pem()),
        files,
        _dir: dir,
    }
}

#[test]
fn tls_verify_full_checks_the_chain_and_the_host_name() {
    let pki = make_pki();
    let pg = require_native!(ClusterOptions {
        tcp: true,
        ssl: Some(pki.files.clone()),
        ..ClusterOptions::default()
    });
    let port = pg.tcp_port().unwrap();
    let check = |host: &str, mode: &str, root: &Path| {
        common::pgsh()
            .args([
                "-d",
                &format!(
                    "host={host} port={port} user=postgres dbname=postgres sslmode={mode} sslrootcert={}",
                    root.display()
                ),
                "--retry-attempts",
                "1",
                "--eval",
                "print(query_value(\"SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()\"))",
            ])
            .run()
    };
    let ok = check("localhost", "verify-full", &pki.ca);
    ok.assert_ok();
    assert_eq!(ok.stdout.trim(), "true");
    // Right CA, wrong name: verify-full refuses, verify-ca accepts.
    let wrong_name = check("127.0.0.1", "verify-full", &pki.ca);
    wrong_name.assert_code(2);
    assert!(
        wrong_name.stderr.to_lowercase().contains("tls")
            || wrong_name.stderr.contains("certificate"),
        "{}",
        wrong_name.stderr
    );
    check("127.0.0.1", "verify-ca", &pki.ca).assert_ok();
    // Another CA: refused in both verifying modes, and by require too, since a root file exists (libpq:
    // require then behaves as verify-ca); without a root file require encrypts without checking.
    check("localhost", "verify-ca", &pki.other_ca).assert_code(2);
    check("127.0.0.1", "require", &pki.other_ca).assert_code(2);
    let req = check("127.0.0.1", "require", Path::new("/nonexistent/root.crt"));
    req.assert_ok();
    assert_eq!(req.stdout.trim(), "true");
    // A missing root file is explained.
    let missing = check(
        "localhost",
        "verify-full",
        Path::new("/nonexistent/root.crt"),
    );
    missing.assert_code(2);
    assert!(
        missing.stderr.contains("root certificate file"),
        "{}",
        missing.stderr
    );
}

/// Where the root certificates come from when none is named by file: `sslrootcert=system` takes the
/// platform's trusted roots (`SSL_CERT_FILE` stands in for them here: rustls-native-certs reads it instead of
/// the system store), and without `sslrootcert` the file is `~/.postgresql/root.crt`, as libpq's default. With
/// that file present, `require` checks the chain too (libpq: it then behaves as verify-ca).
#[test]
fn tls_roots_from_the_system_and_from_the_default_root_file() {
    let pki = make_pki();
    let pg = require_native!(ClusterOptions {
        tcp: true,
        ssl: Some(pki.files.clone()),
        ..ClusterOptions::default()
    });
    let port = pg.tcp_port().unwrap();
    // (output, the root file pgsh looks for by default)
    let run = |params: &str, home_root: Option<&Path>, system: Option<&Path>| {
        let mut run = common::pgsh().env_remove("SSL_CERT_DIR");
        let default_root = run.home().join(".postgresql/root.crt");
        if let Some(root) = home_root {
            std::fs::create_dir_all(default_root.parent().unwrap()).unwrap();
            std::fs::copy(root, &default_root).unwrap();
        }
        run = match system {
            Some(file) => run.env("SSL_CERT_FILE", file),
            None => run.env_remove("SSL_CERT_FILE"),
        };
        let out = run
            .args([
                "-d",
                &format!("host=localhost port={port} user=postgres dbname=postgres {params}"),
                "--retry-attempts",
                "1",
                "--eval",
                "print(query_value(\"SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()\"))",
            ])
            .run();
        (out, default_root.display().to_string())
    };
    let encrypted = |out: &common::Output| {
        out.assert_ok();
        assert_eq!(out.stdout.trim(), "true", "{out}");
    };
    // sslrootcert=system: the trusted roots decide.
    encrypted(
        &run(
            "sslmode=verify-full sslrootcert=system",
            None,
            Some(&pki.ca),
        )
        .0,
    );
    let (out, _) = run(
        "sslmode=verify-full sslrootcert=system",
        None,
        Some(&pki.other_ca),
    );
    out.assert_code(2);
    assert!(out.stderr.contains("certificate"), "{out}");
    // No sslrootcert: ~/.postgresql/root.crt.
    encrypted(&run("sslmode=verify-full", Some(&pki.ca), None).0);
    let (out, _) = run("sslmode=verify-full", Some(&pki.other_ca), None);
    out.assert_code(2);
    assert!(out.stderr.contains("certificate"), "{out}");
    let (out, _) = run("sslmode=require", Some(&pki.other_ca), None);
    out.assert_code(2);
    encrypted(&run("sslmode=require", None, None).0);
    // Missing, it is named, with the other choices.
    let (out, default_root) = run("sslmode=verify-full", None, None);
    out.assert_code(2);
    assert!(
        out.stderr.contains(&format!(
            "root certificate file \"{default_root}\" cannot be read"
        )),
        "{out}"
    );
    assert!(out.stderr.contains("sslrootcert=system"), "{out}");
}
