//! The describe commands against psql 15 itself. `testdata/cases.txt` lists commands run on the object
//! zoo of `testdata/zoo.sql`; for each, `testdata/cases/NAME.out` is psql's stdout with `-X -E -A` (every
//! hidden query echoed, tables unaligned) and `NAME.json` the command, psql's stderr, and the result each
//! of those queries got from the server. The replay test runs the command through the ported code with
//! those results and compares what it sends and prints with psql's bytes.
//!
//! To capture them again (from the repository root, with a PostgreSQL 15 server and psql 15):
//! ```sh
//! export PGHOST=/tmp/devpg PGPORT=5499 PGUSER=postgres PGDATABASE=desc1zoo
//! createdb desc1zoo && psql -X -q -f src/psql/describe/testdata/zoo.sql
//! PGSH_DESCRIBE_CAPTURE=1 cargo test --release --lib psql::describe::fixtures::capture
//! dropdb desc1zoo && psql -X -q -d postgres -f src/psql/describe/testdata/reset.sql
//! ```
//! (zoo.sql puts a tablespace in /tmp/desc1_ts, which must exist and belong to the server's user.) The
//! capture also runs every command through the ported code against the live server and fails on any
//! difference from psql.

use super::testkit::{result_from_json, result_to_json, run_simple, Answers, TestCtx};
use super::{acl, comments, config, list, roles, source, table};
use crate::psql::ctx::Ctx;
use crate::psql::settings::EchoHidden;
use serde_json::{json, Value};
use std::path::PathBuf;

const ECHO_START: &str = "********* QUERY **********\n";
const ECHO_END: &str = "\n**************************\n\n";

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/psql/describe/testdata")
}

/// One case: its name, the command, and psql variables set for it (`NAME=value`).
struct Case {
    name: String,
    command: String,
    vars: Vec<String>,
}

/// The cases of `cases.txt`.
fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(testdata().join("cases.txt")).expect("cases.txt");
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut fields = l.split('\t');
            let name = fields.next().unwrap_or_default().to_string();
            let command = fields.next().expect("NAME<tab>COMMAND").to_string();
            let vars = fields
                .next()
                .map(|v| v.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default();
            Case {
                name,
                command,
                vars,
            }
        })
        .collect()
}

/// libpq's reading of `server_version` (`14.0` → 140000, `9.6.0` → 90600).
fn version_number(text: &str) -> i32 {
    let parts: Vec<i32> = text.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    let part = |i: usize| parts.get(i).copied().unwrap_or(0);
    if part(0) >= 10 {
        part(0) * 10000 + part(1)
    } else {
        part(0) * 10000 + part(1) * 100 + part(2)
    }
}

/// The server version a case pretends to (`SERVER_VERSION=…`), if any.
fn fake_version(vars: &[String]) -> Option<&str> {
    vars.iter().find_map(|v| v.strip_prefix("SERVER_VERSION="))
}

/// A proxy in front of the server that reports `version` as its `server_version`, so psql 15 sends
/// the queries it has for that version (to the real server, where those of old versions may fail).
/// Returns its TCP port on 127.0.0.1.
fn version_proxy(version: &str) -> u16 {
    use std::io::{Read, Write};
    let socket = format!(
        "{}/.s.PGSQL.{}",
        std::env::var("PGHOST").expect("PGHOST (a socket directory)"),
        std::env::var("PGPORT").unwrap_or_else(|_| "5432".into())
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let version = version.to_string();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            let Ok(mut server) = std::os::unix::net::UnixStream::connect(&socket) else {
                continue;
            };
            let (Ok(mut client_in), Ok(mut server_in)) = (client.try_clone(), server.try_clone())
            else {
                continue;
            };
            // Client to server: bytes as they come.
            std::thread::spawn(move || std::io::copy(&mut client_in, &mut server).ok());
            // Server to client: message by message, rewriting the server_version report.
            let version = version.clone();
            std::thread::spawn(move || loop {
                let mut head = [0u8; 5];
                if server_in.read_exact(&mut head).is_err() {
                    break;
                }
                let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
                let mut body = vec![0u8; len.saturating_sub(4)];
                if server_in.read_exact(&mut body).is_err() {
                    break;
                }
                if head[0] == b'S' && body.starts_with(b"server_version\0") {
                    body = format!("server_version\0{version}\0").into_bytes();
                    head[1..5].copy_from_slice(&(body.len() as u32 + 4).to_be_bytes());
                }
                if client.write_all(&head).is_err() || client.write_all(&body).is_err() {
                    break;
                }
            });
        }
    });
    port
}

/// Set the psql variables of a case, as their hooks set psql's settings.
fn apply_vars(ctx: &mut TestCtx, vars: &[String]) {
    for var in vars {
        match var.as_str() {
            "ECHO_HIDDEN=noexec" => ctx.settings.echo_hidden = EchoHidden::NoExec,
            "HIDE_TABLEAM=on" => ctx.settings.hide_tableam = true,
            "HIDE_TOAST_COMPRESSION=on" => ctx.settings.hide_compression = true,
            "QUIET=on" => ctx.settings.quiet = true,
            v if v.starts_with("SERVER_VERSION=") => {
                ctx.settings.sversion = version_number(&v["SERVER_VERSION=".len()..]);
            }
            other => panic!("variable {other} is not supported by the test"),
        }
    }
}

/// A backslash command's arguments as `OT_NORMAL` reads them: split at whitespace outside double
/// quotes, quotes kept (the pattern code interprets them).
fn split_args(rest: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in rest.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c.is_whitespace() && !quoted {
            if !cur.is_empty() {
                args.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        args.push(cur);
    }
    args
}

/// Run one command the way command.c dispatches it; `None` for a command this port does not own.
fn dispatch(ctx: &mut dyn Ctx, line: &str) -> Option<bool> {
    let line = line.strip_prefix('\\')?;
    let (cmd, rest) = line.split_once(' ').unwrap_or((line, ""));
    let args = split_args(rest);
    let pattern = args.first().map(String::as_str);
    let verbose = cmd.contains('+');
    let system = cmd.contains('S');
    if cmd == "sf" || cmd == "sf+" || cmd == "sv" || cmd == "sv+" {
        let desc = rest.trim_end();
        let desc = (!desc.is_empty()).then_some(desc);
        return Some(
            match source::show_source(ctx, desc, cmd.starts_with("sf"), verbose) {
                Ok(text) => {
                    ctx.out(&text);
                    true
                }
                Err(source::SourceError::Message(m)) => {
                    ctx.error(&m);
                    false
                }
                Err(source::SourceError::NotRun) => false,
            },
        );
    }
    if cmd == "z" {
        return Some(acl::permissions_list(ctx, pattern));
    }
    let sub = cmd.strip_prefix('d')?;
    Some(match sub.chars().next() {
        None | Some('+') | Some('S') => match pattern {
            Some(_) => table::describe_table_details(ctx, pattern, verbose, system),
            None => list::list_tables(ctx, "tvmsE", None, verbose, system),
        },
        Some('t' | 'v' | 'm' | 'i' | 's' | 'E') => {
            list::list_tables(ctx, sub, pattern, verbose, system)
        }
        Some('P') => list::list_partitioned_tables(ctx, &sub[1..], pattern, verbose),
        Some('p') => acl::permissions_list(ctx, pattern),
        Some('d') if sub.starts_with("dp") => acl::list_default_acls(ctx, pattern),
        Some('d') => comments::object_description(ctx, pattern, system),
        Some('u' | 'g') => roles::describe_roles(ctx, pattern, verbose, system),
        Some('r') if sub.starts_with("rds") => {
            roles::list_db_role_settings(ctx, pattern, args.get(1).map(String::as_str))
        }
        Some('c') if sub.starts_with("config") => {
            config::describe_configuration_parameters(ctx, pattern, verbose, system)
        }
        _ => return None,
    })
}

/// The hidden queries in a psql `-E` transcript, in order.
fn echoed_queries(stdout: &str) -> Vec<String> {
    let mut queries = Vec::new();
    let mut rest = stdout;
    while let Some(start) = rest.find(ECHO_START) {
        let after = &rest[start + ECHO_START.len()..];
        let Some(end) = after.find(ECHO_END) else {
            break;
        };
        queries.push(after[..end].to_string());
        rest = &after[end + ECHO_END.len()..];
    }
    queries
}

/// What a run of the ported code produced, as psql's stdout and stderr.
fn outputs(ctx: &TestCtx) -> (String, String) {
    let stderr: String = ctx.stderr.iter().map(|m| format!("{m}\n")).collect();
    (ctx.stdout.clone(), stderr)
}

/// A readable first difference between two texts.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    for i in 0..e.len().max(a.len()) {
        if e.get(i) != a.get(i) {
            return format!(
                "line {}:\n  psql: {:?}\n  pgsh: {:?}",
                i + 1,
                e.get(i),
                a.get(i)
            );
        }
    }
    "(differ only in trailing newlines)".into()
}

/// Whether one of a fixture's queries failed: the queries psql has for old servers may not run on the
/// capture's server, and psql then prints the server's whole error report, which is the engine's to
/// format, so only what was sent and printed before is compared.
fn query_failed(fixture: &Value) -> bool {
    fixture["results"]
        .as_array()
        .is_some_and(|rs| rs.iter().any(|r| r["status"] == "error"))
        && fake_version_of(fixture)
}

fn fake_version_of(fixture: &Value) -> bool {
    fixture["vars"].as_array().is_some_and(|vs| {
        vs.iter()
            .any(|v| v.as_str().is_some_and(|v| v.starts_with("SERVER_VERSION=")))
    })
}

#[test]
fn describe_commands_match_psql_15() {
    let dir = testdata().join("cases");
    let mut checked = 0;
    let mut failures = Vec::new();
    for Case { name, vars, .. } in cases() {
        let out_path = dir.join(format!("{name}.out"));
        let json_path = dir.join(format!("{name}.json"));
        let expected_stdout = std::fs::read_to_string(&out_path)
            .unwrap_or_else(|e| panic!("{}: {e}", out_path.display()));
        let fixture: Value = serde_json::from_str(
            &std::fs::read_to_string(&json_path)
                .unwrap_or_else(|e| panic!("{}: {e}", json_path.display())),
        )
        .expect("fixture JSON");
        let results = fixture["results"]
            .as_array()
            .map(|rs| rs.iter().map(result_from_json).collect())
            .unwrap_or_default();
        let mut ctx = TestCtx::canned(results);
        apply_vars(&mut ctx, &vars);
        let command = fixture["command"].as_str().unwrap_or_default();
        let ok = dispatch(&mut ctx, command);
        assert!(ok.is_some(), "{name}: {command} is not dispatched");
        let (stdout, stderr) = outputs(&ctx);
        let leftover = match &ctx.answers {
            Answers::Canned(r) => r.len(),
            Answers::Live(_) => 0,
        };
        if stdout != expected_stdout {
            failures.push(format!(
                "{name} ({command}) stdout: {}",
                first_difference(&expected_stdout, &stdout)
            ));
        } else if !query_failed(&fixture)
            && stderr != fixture["stderr"].as_str().unwrap_or_default()
        {
            failures.push(format!(
                "{name} ({command}) stderr: {stderr:?} vs psql's {:?}",
                fixture["stderr"]
            ));
        } else if leftover != 0 || ctx.unanswered != 0 {
            failures.push(format!(
                "{name}: {leftover} results unused, {} queries unanswered",
                ctx.unanswered
            ));
        } else if ok != Some(fixture["ok"].as_bool().unwrap_or(true)) {
            failures.push(format!("{name}: success {ok:?}, psql's {}", fixture["ok"]));
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The connection string for the capture's client, from psql's environment variables.
fn conninfo() -> String {
    let mut parts = vec!["application_name=psql".to_string()];
    for (var, key) in [
        ("PGHOST", "host"),
        ("PGPORT", "port"),
        ("PGUSER", "user"),
        ("PGDATABASE", "dbname"),
    ] {
        if let Ok(v) = std::env::var(var) {
            parts.push(format!("{key}={v}"));
        }
    }
    parts.join(" ")
}

/// Capture the fixtures (see the module documentation); does nothing unless `PGSH_DESCRIBE_CAPTURE`
/// is set, since it needs psql and a server holding the zoo.
#[test]
fn capture() {
    if std::env::var_os("PGSH_DESCRIBE_CAPTURE").is_none() {
        return;
    }
    let mut client =
        postgres::Client::connect(&conninfo(), postgres::NoTls).expect("connect to the zoo");
    let dir = testdata().join("cases");
    std::fs::create_dir_all(&dir).expect("cases dir");
    let mut failures = Vec::new();
    for Case {
        name,
        command: template,
        vars,
    } in cases()
    {
        let mut command = template.clone();
        if let Some(start) = command.find("{toast:") {
            let end = start + command[start..].find('}').expect("closing brace");
            let rel = &command[start + 7..end];
            let toast = client
                .query_one(
                    "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = $1::text::regclass",
                    &[&rel],
                )
                .expect("toast table")
                .get::<_, String>(0);
            command.replace_range(start..=end, &toast);
        }
        // psql's client encoding as the capture client's, or \\dconfig would differ.
        let mut psql = std::process::Command::new("psql");
        psql.env("PGCLIENTENCODING", "UTF8")
            .args(["-X", "-E", "-A"]);
        for var in vars.iter().filter(|v| !v.starts_with("SERVER_VERSION=")) {
            psql.args(["-v", var]);
        }
        if let Some(version) = fake_version(&vars) {
            let port = version_proxy(version);
            psql.env("PGHOST", "127.0.0.1")
                .env("PGPORT", port.to_string())
                .env("PGSSLMODE", "disable")
                .env("PGGSSENCMODE", "disable");
        }
        let out = psql.args(["-c", &command]).output().expect("run psql");
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 stdout");
        let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
        // With ECHO_HIDDEN=noexec psql ran nothing.
        let noexec = vars.iter().any(|v| v == "ECHO_HIDDEN=noexec");
        let results: Vec<Value> = echoed_queries(&stdout)
            .iter()
            .filter(|_| !noexec)
            .map(|q| result_to_json(&run_simple(&mut client, q)))
            .collect();
        let failed_query =
            fake_version(&vars).is_some() && results.iter().any(|r| r["status"] == "error");
        let fixture = json!({
            "command": command,
            "vars": vars,
            "ok": out.status.success(),
            "stderr": stderr,
            "results": results,
        });
        std::fs::write(dir.join(format!("{name}.out")), &stdout).expect("write .out");
        std::fs::write(
            dir.join(format!("{name}.json")),
            serde_json::to_string_pretty(&fixture).expect("JSON") + "\n",
        )
        .expect("write .json");

        // The same command through the ported code, live.
        let live = postgres::Client::connect(&conninfo(), postgres::NoTls).expect("connect");
        let mut ctx = TestCtx::new(Answers::Live(Box::new(live)));
        apply_vars(&mut ctx, &vars);
        dispatch(&mut ctx, &command);
        let (my_stdout, my_stderr) = outputs(&ctx);
        if my_stdout != stdout || (!failed_query && my_stderr != stderr) {
            failures.push(format!(
                "{name} ({command}): {}\nstderr {my_stderr:?} vs {stderr:?}",
                first_difference(&stdout, &my_stdout)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
