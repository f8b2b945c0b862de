//! Reaching a server: URLs and conninfo strings, credentials (PGPASSWORD, .pgpass, `password_env`),
//! profiles, multi-host targets, `\c` and `\conninfo`.

use std::time::{Duration, Instant};

use crate::common;
use crate::common::ClusterOptions;

#[test]
fn malformed_url_exits_2_without_the_password() {
    let (_dir, path) = common::script_file("print(query_value(\"SELECT 1\"));\n");
    let out = common::pgsh()
        .args(["-d", "postgres://u:s3cretpw@host:99999/db"])
        .arg(&path)
        .run();
    out.assert_code(2);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(out.stderr.starts_with("pgsh: "), "{out}");
    // It says what is wrong: the port.
    assert!(out.stderr.contains("\"99999\""), "{out}");
    assert!(out.stderr.contains("port"), "{out}");
    assert!(!out.stderr.contains("s3cretpw"), "{out}");
    assert!(!out.stdout.contains("s3cretpw"), "{out}");
}

#[test]
fn unreachable_server_exits_2_naming_the_host_not_the_password() {
    let (_dir, path) =
        common::script_file("print(\"start\");\nprint(query_value(\"SELECT 1\"));\n");
    let t = Instant::now();
    let out = common::pgsh()
        .args([
            "-d",
            "postgres://u:s3cretpw@127.0.0.1:1/db",
            "--retry-attempts",
            "1",
        ])
        .arg(&path)
        .run();
    out.assert_code(2);
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(out.stdout, "start\n", "{out}");
    assert!(out.stderr.contains("cannot connect to"), "{out}");
    assert!(out.stderr.contains("127.0.0.1:1"), "{out}");
    assert!(out.stderr.contains("1 attempt"), "{out}");
    assert!(!out.stderr.contains("s3cretpw"), "{out}");

    // The same from -e with connect(): still exit 2, still no password.
    let out = common::pgsh()
        .args([
            "-d",
            "postgres://u:s3cretpw@127.0.0.1:1/db",
            "--retry-attempts",
            "1",
            "--eval",
            "connect()",
        ])
        .run();
    out.assert_code(2);
    assert!(out.stderr.contains("127.0.0.1"), "{out}");
    assert!(!out.stderr.contains("s3cretpw"), "{out}");
}

#[test]
fn bad_credentials_and_unknown_database_fail_at_once() {
    let pg = require_native!(ClusterOptions {
        password_user: Some(("alice".into(), "Right-Pw-123".into())),
        ..ClusterOptions::default()
    });
    let started = Instant::now();
    let out = common::pgsh()
        .envs(pg.env())
        .env("PGUSER", "alice")
        .env("PGPASSWORD", "Wrong-Pw-987")
        .args(["--eval", "query_value(\"SELECT 1\")"])
        .run();
    out.assert_code(2);
    // Far less than the 30 s retry deadline: it was not retried (the lines below say so too).
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(out.stderr.contains("28P01"), "{}", out.stderr);
    assert!(!out.stderr.contains("retrying"), "{}", out.stderr);
    assert!(!out.stderr.contains("Wrong-Pw-987"), "{}", out.stderr);

    let out = common::pgsh()
        .envs(pg.env())
        .env("PGDATABASE", "no_such_db")
        .args(["--eval", "query_value(\"SELECT 1\")"])
        .run();
    out.assert_code(2);
    assert!(out.stderr.contains("3D000"), "{}", out.stderr);
    assert!(out.stderr.contains("no_such_db"), "{}", out.stderr);
    assert!(!out.stderr.contains("retrying"), "{}", out.stderr);

    // The right password works (from PGPASSWORD, and from the URL).
    let out = common::pgsh()
        .envs(pg.env())
        .env("PGUSER", "alice")
        .env("PGPASSWORD", "Right-Pw-123")
        .args(["--eval", "print(query_value(\"SELECT current_user\"))"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "alice");
}

#[test]
fn pgpass_is_used_when_private_and_ignored_with_a_warning_when_not() {
    let pg = require_native!(ClusterOptions {
        password_user: Some(("carol".into(), "Pgpass-Pw-42".into())),
        ..ClusterOptions::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pgpass");
    std::fs::write(&file, format!("*:{}:*:carol:Pgpass-Pw-42\n", pg.port())).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = || {
        common::pgsh()
            .envs(pg.env())
            .env("PGUSER", "carol")
            .env("PGPASSFILE", &file)
            .args(["--eval", "print(query_value(\"SELECT current_user\"))"])
            .run()
    };
    let out = run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "carol");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run();
    out.assert_code(2);
    assert!(
        out.stderr.contains("has group or world access"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("password"), "{}", out.stderr);
}

#[test]
fn passwords_from_named_environment_variables() {
    let pg = require_native!(ClusterOptions {
        password_user: Some(("alice".into(), "Env-Pw-4242".into())),
        ..ClusterOptions::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "[profiles.app]\nhost = \"{}\"\nport = {}\nuser = \"alice\"\ndbname = \"postgres\"\npassword_env = \"APP_PW\"\n",
            pg.socket_dir().display(),
            pg.port()
        ),
    )
    .unwrap();
    let script = format!(
        r#"print(connect(#{{host: "{}", port: {}, user: "alice", dbname: "postgres", password_env: "APP_PW"}}).query_value("SELECT current_user"));
        print(connect(#{{profile: "app"}}).query_value("SELECT current_user"));"#,
        pg.socket_dir().display(),
        pg.port()
    );
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .env("APP_PW", "Env-Pw-4242")
        .args(["--eval", &script])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "alice\nalice\n");
    // The variable named must be set; its value never shows.
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["--eval", &script])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("APP_PW"), "{}", out.stderr);
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .env("APP_PW", "Wrong-Pw-0000")
        .args(["--eval", &script])
        .run();
    out.assert_code(2);
    assert!(out.stderr.contains("28P01"), "{}", out.stderr);
    assert!(!out.stderr.contains("Wrong-Pw"), "{}", out.stderr);
}

#[test]
fn connect_with_a_profile_from_the_config_file() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "[profiles.local]\nhost = \"{}\"\nport = {}\nuser = \"postgres\"\ndbname = \"postgres\"\napplication_name = \"from-profile\"\n",
            pg.socket_dir().display(),
            pg.port()
        ),
    )
    .unwrap();
    // No PG* variables: only the profile says where the server is.
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["--eval", "print(connect(#{profile: \"local\"}).query_value(\"SELECT current_setting('application_name')\"))"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "from-profile");
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args([
            "--profile",
            "local",
            "--eval",
            "print(query_value(\"SELECT current_setting('application_name')\"))",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "from-profile");
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["--eval", "connect(#{profile: \"nope\"})"])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("no profile \"nope\""), "{}", out.stderr);
}

#[test]
fn multi_host_targets_skip_down_and_read_only_servers() {
    let down = require_native!(ClusterOptions {
        start: false,
        ..ClusterOptions::default()
    });
    let read_only = require_native!(ClusterOptions {
        extra_conf: vec!["default_transaction_read_only = on".into()],
        ..ClusterOptions::default()
    });
    let primary = require_native!();
    let hosts = [&down, &read_only, &primary]
        .iter()
        .map(|c| c.socket_dir().display().to_string())
        .collect::<Vec<_>>()
        .join(",");
    let ports = [&down, &read_only, &primary]
        .iter()
        .map(|c| c.port().to_string())
        .collect::<Vec<_>>()
        .join(",");
    let run = |attrs: &str| {
        common::pgsh()
            .args([
                "-d",
                &format!("host={hosts} port={ports} user=postgres dbname=postgres target_session_attrs={attrs}"),
                "--eval",
                "print(query_value(\"SELECT current_setting('port')\"))",
            ])
            .run()
    };
    let any = run("any");
    any.assert_ok();
    assert_eq!(any.stdout.trim(), read_only.port().to_string());
    let rw = run("read-write");
    rw.assert_ok();
    assert_eq!(rw.stdout.trim(), primary.port().to_string());
}

#[test]
fn each_host_gets_its_own_timeout_password_and_tls_rules() {
    let pg = require_native!(ClusterOptions {
        tcp: true,
        password_user: Some(("alice".into(), "Alice-Pw-77".into())),
        ..ClusterOptions::default()
    });
    let port = pg.tcp_port().expect("tcp port");
    // A host that accepts TCP connections and never answers: the kernel completes the handshakes.
    let hung = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let hung_port = hung.local_addr().expect("addr").port();
    // The hung host uses up its own timeout; the next host is still tried within the same attempt.
    let started = Instant::now();
    let out = common::pgsh()
        .args([
            "-d",
            &format!(
                "host=127.0.0.1,127.0.0.1 port={hung_port},{port} user=postgres dbname=postgres"
            ),
            "--connect-timeout",
            "2s",
            "--retry-deadline",
            "20s",
            "--eval",
            "print(query_value(\"SELECT current_setting('port')\"))",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), port.to_string());
    assert!(!out.stderr.contains("retrying"), "{}", out.stderr);
    assert!(started.elapsed() < Duration::from_secs(15));
    // connect_timeout inside a connection string counts (a libpq integer: seconds).
    let out = common::pgsh()
        .args([
            "-d",
            &format!("postgres://postgres@127.0.0.1:{hung_port}/postgres?connect_timeout=2"),
            "--retry-attempts",
            "1",
            "--eval",
            "query_value(\"SELECT 1\")",
        ])
        .run();
    out.assert_code(2);
    assert!(
        out.stderr.contains("timeout expired after 2s"),
        "{}",
        out.stderr
    );
    // .pgpass is looked up for the host actually tried, not only the first one.
    let home = common::pgsh();
    let pgpass = home.home().join(".pgpass");
    std::fs::write(&pgpass, format!("127.0.0.1:{port}:*:alice:Alice-Pw-77\n")).unwrap();
    std::fs::set_permissions(&pgpass, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let out = home
        .args([
            "-d",
            &format!("host=127.0.0.1,127.0.0.1 port=1,{port} user=alice dbname=postgres"),
            "--eval",
            "print(query_value(\"SELECT current_user\"))",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "alice");
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    // sslmode does not apply to unix sockets (libpq): a global PGSSLMODE=require still works there.
    let out = common::pgsh()
        .envs(pg.env())
        .env("PGSSLMODE", "require")
        .args(["--eval", "print(query_value(\"SELECT 'socket'\"))"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "socket");
    drop(hung);
}

#[test]
fn no_writable_host_is_retried_and_every_host_is_named() {
    let read_only = require_native!(ClusterOptions {
        extra_conf: vec!["default_transaction_read_only = on".into()],
        ..ClusterOptions::default()
    });
    let dir = read_only.socket_dir().display().to_string();
    let out = common::pgsh()
        .args([
            "-d",
            &format!(
                "host=127.0.0.1,{dir} port=1,{} user=postgres dbname=postgres target_session_attrs=read-write",
                read_only.port()
            ),
            "--retry-attempts",
            "2",
            "--retry-delay",
            "10ms",
            "--eval",
            "query_value(\"SELECT 1\")",
        ])
        .run();
    out.assert_code(2);
    // A standby may be promoted: waiting can help, so it is retried.
    assert_eq!(
        out.stderr.matches("retrying in").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("127.0.0.1:1: connection refused"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("does not allow writes"),
        "{}",
        out.stderr
    );
}

#[test]
fn switching_databases_is_safe() {
    // A URL given to \c is never echoed back with its password. The embedded database refuses one (it only
    // switches databases) and says why; the run stops there.
    let out = common::pgsh()
        .stdin_str("\\c postgres://postgres:hunter2@localhost/x\nSELECT 'not reached' AS r;\n")
        .run();
    assert!(matches!(out.status, Some(c) if c != 0), "{out}");
    out.assert_stderr_contains("\\c on the embedded database takes a database name");
    assert!(!out.stdout.contains("not reached"), "{out}");
    assert!(!out.stderr.contains("hunter2"), "{out}");
    assert!(!out.stdout.contains("hunter2"), "{out}");
    // The embedded database refuses to switch with a transaction open. As psql after a failed \c in a
    // script, the run has no connection left (so nothing of the transaction is kept): pgsh's status 2.
    let out = common::pgsh()
        .stdin_str("CREATE TABLE k (a int);\nBEGIN;\nINSERT INTO k VALUES (1);\n\\c other\n")
        .run();
    out.assert_code(2);
    assert!(
        out.stderr.contains("a transaction is open"),
        "{}",
        out.stderr
    );
    // A failed \c in a -c run ends it, with pgsh's status for a connection failure (psql's is 1).
    let out = common::pgsh()
        .args(["-c", "\\c nosuchdb", "-c", "SELECT 1"])
        .run();
    out.assert_code(2);
    assert!(out.stderr.contains("nosuchdb"), "{}", out.stderr);
    // On a server run the URL is tried: the failure names the target it could not reach in libpq's words
    // (without the password), and a failed \\c in a non-interactive run ends it with pgsh's status for a
    // lost connection, 2.
    let pg = require_native!();
    let out = common::pgsh()
        .args(["-d", &pg.url(), "--retry-attempts", "1"])
        .stdin_str("\\c postgres://postgres:hunter2@127.0.0.1:1/x\nSELECT 'not reached' AS r;\n")
        .run();
    out.assert_code(2);
    out.assert_stderr_contains("\\connect: connection to server at \"127.0.0.1\", port 1 failed");
    assert!(!out.stdout.contains("not reached"), "{out}");
    assert!(!out.stderr.contains("hunter2"), "{out}");
    assert!(!out.stdout.contains("hunter2"), "{out}");
}

/// A fake server on 127.0.0.1 that asks for a cleartext password and records what it gets.
fn password_catcher() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut c) = conn else { continue };
            let mut serve = || -> std::io::Result<()> {
                let read_msg = |c: &mut std::net::TcpStream,
                                len_only: bool|
                 -> std::io::Result<Vec<u8>> {
                    if !len_only {
                        let mut t = [0u8; 1];
                        c.read_exact(&mut t)?;
                    }
                    let mut len = [0u8; 4];
                    c.read_exact(&mut len)?;
                    let mut body = vec![0u8; (i32::from_be_bytes(len) as usize).saturating_sub(4)];
                    c.read_exact(&mut body)?;
                    Ok(body)
                };
                let mut startup = read_msg(&mut c, true)?;
                if startup.len() == 4 && startup == 80877103i32.to_be_bytes() {
                    c.write_all(b"N")?;
                    startup = read_msg(&mut c, true)?;
                }
                let _ = startup;
                c.write_all(&[b'R', 0, 0, 0, 8, 0, 0, 0, 3])?;
                let pw = read_msg(&mut c, false)?;
                seen.lock().unwrap().push(
                    String::from_utf8_lossy(&pw)
                        .trim_end_matches('\0')
                        .to_string(),
                );
                let fields = b"SFATAL\0C28P01\0Mno\0\0";
                let mut e = vec![b'E'];
                e.extend(((fields.len() + 4) as i32).to_be_bytes());
                e.extend(fields);
                c.write_all(&e)
            };
            let _ = serve();
        }
    });
    (port, got)
}

#[test]
fn backslash_c_never_sends_a_password_to_another_server() {
    let pg = require_native!(ClusterOptions {
        tcp: true,
        password_user: Some(("alice".into(), "Main-Pw-31".into())),
        ..ClusterOptions::default()
    });
    let tcp = pg.tcp_port().expect("tcp port");
    let (fake, got) = password_catcher();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgresql://alice:Main-Pw-31@127.0.0.1:{tcp}/postgres?sslmode=disable");
    // The same server: the password still applies.
    let same = dir.path().join("same.sql");
    std::fs::write(&same, "\\c postgres\nSELECT current_user;\n").unwrap();
    let out = common::pgsh().args(["-d", &url, "-f"]).arg(&same).run();
    out.assert_ok();
    assert!(out.stdout.contains("alice"), "{}", out.stdout);
    // Another port: the password is not sent there (psql drops it too).
    for line in [
        format!("\\c - - 127.0.0.1 {fake}"),
        format!("\\connect -reuse-previous=on \"host=127.0.0.1 port={fake}\""),
    ] {
        let other = dir.path().join("other.sql");
        std::fs::write(&other, format!("SELECT 1;\n{line}\n")).unwrap();
        let out = common::pgsh().args(["-d", &url, "-f"]).arg(&other).run();
        assert_ne!(out.status, Some(0), "{}", out.stderr);
        assert!(!out.stderr.contains("Main-Pw"), "{}", out.stderr);
    }
    // The catcher does catch passwords sent to it.
    let out = common::pgsh()
        .args([
            "--eval",
            &format!("connect(\"postgresql://x:Control-Pw@127.0.0.1:{fake}/db?sslmode=disable\")"),
        ])
        .run();
    out.assert_code(2);
    let got = got.lock().unwrap();
    assert!(got.iter().any(|p| p == "Control-Pw"), "{got:?}");
    assert!(got.iter().all(|p| !p.contains("Main-Pw")), "{got:?}");
}

/// `\conninfo` in pgsh's own mode (`-c` and the REPL) prints psql 15's one line for the same server:
/// `psql -c '\conninfo'` run here against the same cluster is the expected text.
#[test]
fn conninfo_in_pgsh_mode_is_psqls_line() {
    let pg = require_native!();
    let psql = pg
        .psql_command("postgres", "postgres")
        .args(["-c", "\\conninfo"])
        .output()
        .expect("psql");
    let expected = String::from_utf8_lossy(&psql.stdout).into_owned();
    assert!(
        expected.starts_with("You are connected to database \"postgres\""),
        "{expected}"
    );
    let ours = common::pgsh()
        .envs(pg.env())
        .args(["-c", "\\conninfo"])
        .run();
    ours.assert_ok();
    assert_eq!(ours.stdout, expected);
    let home = tempfile::tempdir().unwrap();
    let mut s = common::pty(home.path(), 200, &pg.env());
    common::expect(&mut s, "postgres=#");
    let said = common::cmd(&mut s, "\\conninfo");
    assert_eq!(said.trim_start_matches('\n'), expected, "{said:?}");
    s.send_line("\\q").unwrap();
}
