//! Tests of connection parameters: parsing, merging, the environment, and what errors and displays show.

use std::error::Error;
use std::time::Duration;

use super::*;

impl ConnParams {
    /// A URL form with the password replaced by `****`; `parse` gives back the same parameters
    /// apart from that.
    fn to_redacted_url(&self) -> String {
        let mut url = String::from("postgresql://");
        if self.user.is_some() || self.password.is_some() {
            if let Some(user) = &self.user {
                url.push_str(&encode(user, ""));
            }
            if self.password.is_some() {
                url.push_str(":****");
            }
            url.push('@');
        }
        let inline_ports = !self.ports.is_empty() && self.ports.len() == self.hosts.len();
        for (i, host) in self.hosts.iter().enumerate() {
            if i > 0 {
                url.push(',');
            }
            if host.contains(':') {
                url.push('[');
                url.push_str(&encode(host, ":"));
                url.push(']');
            } else {
                url.push_str(&encode(host, ""));
            }
            if inline_ports {
                if let Some(port) = self.ports.get(i) {
                    url.push(':');
                    url.push_str(&port.to_string());
                }
            }
        }
        if let Some(db) = &self.dbname {
            url.push('/');
            url.push_str(&encode(db, "/"));
        }

        let mut query: Vec<(&str, String)> = Vec::new();
        let join = |items: &[String]| {
            items
                .iter()
                .map(|s| encode(s, QUERY_SAFE))
                .collect::<Vec<_>>()
                .join(",")
        };
        if !self.hostaddrs.is_empty() {
            query.push(("hostaddr", join(&self.hostaddrs)));
        }
        if !self.ports.is_empty() && !inline_ports {
            let ports: Vec<String> = self.ports.iter().map(u16::to_string).collect();
            query.push(("port", ports.join(",")));
        }
        let text_fields: [(&str, &Option<String>); 5] = [
            ("sslrootcert", &self.sslrootcert),
            ("application_name", &self.application_name),
            ("options", &self.options),
            ("passfile", &self.passfile),
            ("service", &self.service),
        ];
        if let Some(mode) = self.sslmode {
            query.push(("sslmode", mode.as_str().to_string()));
        }
        if let Some(t) = self.connect_timeout {
            query.push(("connect_timeout", t.as_secs().to_string()));
        }
        if let Some(attrs) = self.target_session_attrs {
            query.push(("target_session_attrs", attrs.as_str().to_string()));
        }
        if let Some(t) = self.keepalives_idle {
            query.push(("keepalives_idle", t.as_secs().to_string()));
        }
        for (key, value) in text_fields {
            if let Some(v) = value {
                query.push((key, encode(v, QUERY_SAFE)));
            }
        }
        for (key, value) in &self.extra {
            query.push((key.as_str(), encode(value, QUERY_SAFE)));
        }
        for (i, (key, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode(key, ""));
            url.push('=');
            url.push_str(value);
        }
        url
    }
}

const QUERY_SAFE: &str = "/:,";

/// Percent-encode all but RFC 3986 unreserved characters and `keep`.
fn encode(s: &str, keep: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.as_bytes().contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn p(s: &str) -> ConnParams {
    match ConnParams::parse(s) {
        Ok(p) => p,
        Err(e) => panic!("parse({s:?}) failed: {e}"),
    }
}

fn err(s: &str) -> String {
    match ConnParams::parse(s) {
        Ok(p) => panic!("parse({s:?}) succeeded: {p:?}"),
        Err(e) => e.to_string(),
    }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |k| {
        pairs
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    }
}

// ---- Secret and enums

#[test]
fn secret_never_formats_its_text() {
    let s = Secret::new("hunter2");
    assert_eq!(format!("{s}"), "********");
    assert_eq!(format!("{s:?}"), "********");
    assert_eq!(s.expose(), "hunter2");
}

#[test]
fn sslmode_parses_libpq_names_and_round_trips() {
    for mode in SslMode::ALL {
        assert_eq!(mode.to_string().parse::<SslMode>().unwrap(), mode);
    }
    assert_eq!(
        "verify-full".parse::<SslMode>().unwrap(),
        SslMode::VerifyFull
    );
    assert!("Require".parse::<SslMode>().is_err());
    assert!("verify_full".parse::<SslMode>().is_err());
    assert!(err("sslmode=strict").contains("\"strict\""));
}

#[test]
fn session_attrs_parse_libpq_names() {
    for attrs in SessionAttrs::ALL {
        assert_eq!(attrs.as_str().parse::<SessionAttrs>().unwrap(), attrs);
    }
    assert_eq!(
        p("target_session_attrs=prefer-standby").target_session_attrs,
        Some(SessionAttrs::PreferStandby)
    );
    assert!(err("target_session_attrs=readwrite").contains("target_session_attrs"));
}

// ---- key=value strings

#[test]
fn keyword_value_basic() {
    let c = p("host=localhost port=5432 dbname=app user=alice password=pw sslmode=require");
    assert_eq!(c.hosts, strs(&["localhost"]));
    assert_eq!(c.ports, vec![5432]);
    assert_eq!(c.dbname.as_deref(), Some("app"));
    assert_eq!(c.user.as_deref(), Some("alice"));
    assert_eq!(c.password, Some(Secret::new("pw")));
    assert_eq!(c.sslmode, Some(SslMode::Require));
}

#[test]
fn keyword_value_quoting_and_escapes() {
    let c = p(r"dbname='my db' password='it\'s' user=a\ b application_name='back\\slash'");
    assert_eq!(c.dbname.as_deref(), Some("my db"));
    assert_eq!(c.password.unwrap().expose(), "it's");
    assert_eq!(c.user.as_deref(), Some("a b"));
    assert_eq!(c.application_name.as_deref(), Some(r"back\slash"));
}

#[test]
fn keyword_value_doubled_quote_and_empty_quotes() {
    let c = p("password='it''s' dbname='' user=bob");
    assert_eq!(c.password.unwrap().expose(), "it's");
    assert_eq!(c.dbname, None);
    assert_eq!(c.user.as_deref(), Some("bob"));
}

#[test]
fn keyword_value_whitespace_around_equals() {
    let c = p("  host = db1 \t port=\n6000  ");
    assert_eq!(c.hosts, strs(&["db1"]));
    assert_eq!(c.ports, vec![6000]);
}

#[test]
fn keyword_value_later_key_wins_and_empty_unsets() {
    let c = p("host=a host=b user=x user=");
    assert_eq!(c.hosts, strs(&["b"]));
    assert_eq!(c.user, None);
    assert_eq!(p(""), ConnParams::default());
}

#[test]
fn keyword_value_missing_equals() {
    let e = err("host=a dbname");
    assert!(e.contains("missing \"=\" after \"dbname\""), "{e}");
    assert!(e.contains("position 8"), "{e}");
}

#[test]
fn keyword_value_unterminated_quote_does_not_echo_password() {
    let e = err("host=a password='s3cr3t");
    assert!(e.contains("unterminated quoted string"), "{e}");
    assert!(!e.contains("s3cr3t"), "{e}");
}

#[test]
fn keyword_value_unquoted_password_with_space_is_not_echoed() {
    let e = err("host=a password=abc defghi");
    assert!(!e.contains("defghi"), "{e}");
    assert!(e.contains("quote"), "{e}");
    let e = err("password=abc defghi=x");
    assert!(!e.contains("defghi"), "{e}");
}

#[test]
fn unknown_key_is_invalid_option() {
    assert_eq!(
        err("host=a colour=blue"),
        "invalid connection option \"colour\""
    );
    assert_eq!(
        err("postgresql://h/db?colour=blue"),
        "invalid connection option \"colour\""
    );
}

#[test]
fn ignored_keys_go_to_extra_and_unsupported_keys_fail() {
    let c = p("gssencmode=disable channel_binding=prefer gssencmode=prefer");
    assert_eq!(
        c.extra,
        vec![
            ("channel_binding".to_string(), "prefer".to_string()),
            ("gssencmode".to_string(), "prefer".to_string())
        ]
    );
    let e = err("sslpassword=topsecret");
    assert!(e.contains("not supported"), "{e}");
    assert!(!e.contains("topsecret"), "{e}");
}

#[test]
fn ports_are_checked() {
    assert!(err("port=0").contains("\"0\""));
    assert!(err("port=65536").contains("\"65536\""));
    assert!(err("port=abc").contains("\"abc\""));
    assert!(err("port=-5").contains("1 to 65535"));
    assert_eq!(p("port=65535").ports, vec![65535]);
    assert_eq!(p("port=' 6543 '").ports, vec![6543]);
}

#[test]
fn connect_timeout_is_integer_seconds() {
    assert_eq!(
        p("connect_timeout=10").connect_timeout,
        Some(Duration::from_secs(10))
    );
    assert_eq!(p("connect_timeout=0").connect_timeout, Some(Duration::ZERO));
    assert_eq!(
        p("connect_timeout=-3").connect_timeout,
        Some(Duration::ZERO)
    );
    assert!(err("connect_timeout=2s").contains("\"2s\""));
    assert!(err("connect_timeout=1.5").contains("connect_timeout"));
    assert_eq!(
        p("keepalives_idle=30").keepalives_idle,
        Some(Duration::from_secs(30))
    );
}

#[test]
fn port_count_must_match_hosts() {
    assert_eq!(
        err("host=a,b port=1,2,3"),
        "could not match 3 port numbers to 2 hosts"
    );
    let c = p("host=a,b,c port=6000");
    assert_eq!(c.ports, vec![6000]);
    assert_eq!(p("host=a,b port=1,").ports, vec![1, 5432]);
    assert!(err("host=a,b hostaddr=1.2.3.4").contains("hostaddr"));
    // Ports alone may still meet their hosts after merging.
    assert_eq!(p("port=1,2").ports, vec![1, 2]);
}

#[test]
fn validate_checks_merged_counts() {
    let flags = p("port=1,2");
    assert!(flags.validate().is_err());
    let merged = flags.or(&p("host=a,b"));
    assert!(merged.validate().is_ok());
    let merged = p("host=x,y,z").or(&p("host=a,b port=1,2"));
    assert_eq!(
        merged.validate(),
        Err(ParamsError::PortCount { ports: 2, hosts: 3 })
    );
}

// ---- URIs

#[test]
fn uri_full() {
    let c = p("postgresql://alice:pw@db.example.com:6543/sales?sslmode=verify-full&application_name=pgsh&connect_timeout=5");
    assert_eq!(c.user.as_deref(), Some("alice"));
    assert_eq!(c.password.as_ref().map(Secret::expose), Some("pw"));
    assert_eq!(c.hosts, strs(&["db.example.com"]));
    assert_eq!(c.ports, vec![6543]);
    assert_eq!(c.dbname.as_deref(), Some("sales"));
    assert_eq!(c.sslmode, Some(SslMode::VerifyFull));
    assert_eq!(c.application_name.as_deref(), Some("pgsh"));
    assert_eq!(c.connect_timeout, Some(Duration::from_secs(5)));
}

#[test]
fn uri_short_scheme_and_bare_forms() {
    let c = p("postgres://host");
    assert_eq!(c.hosts, strs(&["host"]));
    assert_eq!(c.ports, Vec::<u16>::new());
    assert_eq!(p("postgresql://"), ConnParams::default());
    assert_eq!(p("postgresql://host/").dbname, None);
    assert_eq!(p("postgresql://u@").user.as_deref(), Some("u"));
    assert_eq!(p("postgresql://h:/db").ports, Vec::<u16>::new());
}

#[test]
fn uri_multi_host_with_mixed_ports() {
    let c = p("postgresql://a:5433,b,c:5434/db?target_session_attrs=read-write");
    assert_eq!(c.hosts, strs(&["a", "b", "c"]));
    assert_eq!(c.ports, vec![5433, 5432, 5434]);
    assert_eq!(c.target_session_attrs, Some(SessionAttrs::ReadWrite));
    let c = p("postgresql://a,b/db");
    assert_eq!(c.hosts, strs(&["a", "b"]));
    assert!(c.ports.is_empty());
}

#[test]
fn uri_ipv6() {
    let c = p("postgresql://[::1]:5432,[2001:db8::2]/db");
    assert_eq!(c.hosts, strs(&["::1", "2001:db8::2"]));
    assert_eq!(c.ports, vec![5432, 5432]);
    assert_eq!(
        p("postgresql://[fe80::1%25eth0]").hosts,
        strs(&["fe80::1%eth0"])
    );
    assert!(err("postgresql://[::1").contains("\"]\""));
    assert!(err("postgresql://[]/db").contains("may not be empty"));
    assert!(err("postgresql://[::1]x/db").contains("\"x\""));
}

#[test]
fn uri_percent_decoding_everywhere() {
    let c = p("postgresql://us%40er:p%40ss%3Aw%2Fd@h/my%20db?application_name=a%26b");
    assert_eq!(c.user.as_deref(), Some("us@er"));
    assert_eq!(c.password.unwrap().expose(), "p@ss:w/d");
    assert_eq!(c.dbname.as_deref(), Some("my db"));
    assert_eq!(c.application_name.as_deref(), Some("a&b"));
    assert!(err("postgresql://h/db%zz").contains("\"%zz\""));
    assert!(err("postgresql://h/db%00").contains("%00"));
    assert!(err("postgresql://h/db%ff").contains("UTF-8"));
}

#[test]
fn uri_socket_dirs() {
    let c = p("postgresql://%2Fvar%2Frun%2Fpostgresql/db");
    assert_eq!(c.hosts, strs(&["/var/run/postgresql"]));
    let c = p("postgresql:///mydb?host=/tmp");
    assert_eq!(c.hosts, strs(&["/tmp"]));
    assert_eq!(c.dbname.as_deref(), Some("mydb"));
    let c = p("postgresql://user@%2Ftmp:5433/db");
    assert_eq!(c.hosts, strs(&["/tmp"]));
    assert_eq!(c.ports, vec![5433]);
}

#[test]
fn uri_query_overrides_earlier_parts() {
    let c = p("postgresql://u:pw@a:1/db?host=b&port=2&user=v&dbname=other&password=");
    assert_eq!(c.hosts, strs(&["b"]));
    assert_eq!(c.ports, vec![2]);
    assert_eq!(c.user.as_deref(), Some("v"));
    assert_eq!(c.dbname.as_deref(), Some("other"));
    assert_eq!(c.password, None);
}

#[test]
fn uri_ssl_true_means_require() {
    assert_eq!(p("postgresql://h?ssl=true").sslmode, Some(SslMode::Require));
    assert!(err("postgresql://h?ssl=false").contains("\"ssl\""));
}

#[test]
fn uri_query_syntax() {
    assert!(err("postgresql://h/db?sslmode").contains("missing key/value separator"));
    assert!(err("postgresql://h/db?&sslmode=disable").contains("missing key/value separator"));
    assert_eq!(
        p("postgresql://h/db?sslmode=disable&").sslmode,
        Some(SslMode::Disable)
    );
    assert_eq!(
        p("postgresql://h/db?options=-c%20a=b").options.as_deref(),
        Some("-c a=b")
    );
}

#[test]
fn uri_user_part_ends_at_last_at_sign() {
    let c = p("postgresql://me@corp.com@h/db");
    assert_eq!(c.user.as_deref(), Some("me@corp.com"));
    assert_eq!(c.hosts, strs(&["h"]));
    let c = p("postgresql://u:p@ss@h/db?application_name=x@y");
    assert_eq!(c.password.unwrap().expose(), "p@ss");
    assert_eq!(c.application_name.as_deref(), Some("x@y"));
    let c = p("postgresql://h/db?user=a@b");
    assert_eq!(c.user.as_deref(), Some("a@b"));
    assert!(c.password.is_none());
}

#[test]
fn uri_port_errors_name_the_value() {
    assert!(err("postgresql://h:0/db").contains("\"0\""));
    assert!(err("postgresql://h:70000/db").contains("\"70000\""));
    assert!(err("postgresql://h:http/db").contains("\"http\""));
    assert_eq!(
        err("postgresql://a:1,b:2/db?host=c"),
        "could not match 2 port numbers to 1 hosts"
    );
}

#[test]
fn malformed_uris_never_echo_the_password() {
    let cases = [
        // An unencoded '/' in the password hides the '@': the password looks like a port.
        "postgresql://bob:s3cr3t/x@db:5432/app",
        "postgresql://bob:s3cr3t@db:notaport/app",
        "postgresql://bob:s3c%zzr3t@db/app",
        "postgresql://bob:s3c%00r3t@db/app",
        "postgresql://bob:s3cr3t@[db/app",
        "postgresql://bob:s3cr3t?x@db/app",
        "postgresql://db/app?password=s3cr3t&r3t=1",
        "postgresql://db/app?password=s3cr3t&r3t",
        "postgresql://db/app?password=s3c%zzr3t",
        "postgresql://bob:s3cr3t@db/app?port=99999",
    ];
    for case in cases {
        let e = err(case);
        for fragment in ["s3c", "r3t", "cr3"] {
            assert!(!e.contains(fragment), "{case:?} gave {e:?}");
        }
        let dbg = format!("{:?}", ConnParams::parse(case));
        assert!(!dbg.contains("r3t"), "{case:?} gave {dbg}");
    }
}

#[test]
fn debug_output_hides_password() {
    let c = p("postgresql://u:topsecret@h/db");
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("topsecret"), "{dbg}");
    assert!(dbg.contains("********"));
}

#[test]
fn looks_like_conninfo_like_psql() {
    assert!(ConnParams::looks_like_conninfo("postgresql://h/db"));
    assert!(ConnParams::looks_like_conninfo("postgres://h"));
    assert!(ConnParams::looks_like_conninfo("host=a"));
    assert!(!ConnParams::looks_like_conninfo("mydb"));
    assert!(!ConnParams::looks_like_conninfo("postgresql:/h"));
    assert!(!ConnParams::looks_like_conninfo(""));
}

// ---- environment and merging

#[test]
fn from_env_reads_every_variable() {
    static ENV: &[(&str, &str)] = &[
        ("PGHOST", "a,b"),
        ("PGHOSTADDR", "10.0.0.1,10.0.0.2"),
        ("PGPORT", "6000"),
        ("PGUSER", "alice"),
        ("PGPASSWORD", "pw"),
        ("PGDATABASE", "app"),
        ("PGSSLMODE", "verify-ca"),
        ("PGSSLROOTCERT", "/etc/ca.pem"),
        ("PGAPPNAME", "tool"),
        ("PGCONNECT_TIMEOUT", "7"),
        ("PGOPTIONS", "-c search_path=x"),
        ("PGTARGETSESSIONATTRS", "standby"),
        ("PGPASSFILE", "/home/a/.pgpass"),
        ("PGSERVICE", "svc"),
    ];
    let c = ConnParams::from_env(&env_of(ENV)).unwrap();
    assert_eq!(c.hosts, strs(&["a", "b"]));
    assert_eq!(c.hostaddrs, strs(&["10.0.0.1", "10.0.0.2"]));
    assert_eq!(c.ports, vec![6000]);
    assert_eq!(c.user.as_deref(), Some("alice"));
    assert_eq!(
        c.password.as_ref().map(Secret::expose).unwrap_or_default(),
        "pw"
    );
    assert_eq!(c.dbname.as_deref(), Some("app"));
    assert_eq!(c.sslmode, Some(SslMode::VerifyCa));
    assert_eq!(c.sslrootcert.as_deref(), Some("/etc/ca.pem"));
    assert_eq!(c.application_name.as_deref(), Some("tool"));
    assert_eq!(c.connect_timeout, Some(Duration::from_secs(7)));
    assert_eq!(c.options.as_deref(), Some("-c search_path=x"));
    assert_eq!(c.target_session_attrs, Some(SessionAttrs::Standby));
    assert_eq!(c.passfile.as_deref(), Some("/home/a/.pgpass"));
    assert_eq!(c.service.as_deref(), Some("svc"));
    assert!(c.validate().is_ok());
}

#[test]
fn from_env_errors_name_the_variable_and_empty_means_unset() {
    static BAD: &[(&str, &str)] = &[("PGPORT", "99999")];
    let e = ConnParams::from_env(&env_of(BAD)).unwrap_err();
    assert!(
        e.to_string().starts_with("environment variable PGPORT:"),
        "{e}"
    );
    assert!(e.source().is_some());
    static EMPTY: &[(&str, &str)] = &[("PGHOST", ""), ("PGUSER", "")];
    assert_eq!(
        ConnParams::from_env(&env_of(EMPTY)).unwrap(),
        ConnParams::default()
    );
    assert_eq!(
        ConnParams::from_env(&|_| None).unwrap(),
        ConnParams::default()
    );
}

#[test]
fn or_merges_by_precedence() {
    let flags = p("user=flaguser port=7000");
    let url = p("postgresql://urluser:urlpw@urlhost:6000/urldb?gssencmode=disable");
    static ENV: &[(&str, &str)] = &[
        ("PGHOST", "envhost"),
        ("PGDATABASE", "envdb"),
        ("PGSSLMODE", "require"),
        ("PGAPPNAME", "envapp"),
    ];
    let env = ConnParams::from_env(&env_of(ENV)).unwrap();
    let merged = flags.or(&url).or(&env);
    assert_eq!(merged.user.as_deref(), Some("flaguser"));
    assert_eq!(merged.ports, vec![7000]);
    assert_eq!(merged.hosts, strs(&["urlhost"]));
    assert_eq!(merged.dbname.as_deref(), Some("urldb"));
    assert_eq!(merged.password.as_ref().map(Secret::expose), Some("urlpw"));
    assert_eq!(merged.sslmode, Some(SslMode::Require));
    assert_eq!(merged.application_name.as_deref(), Some("envapp"));
    assert_eq!(merged.extra.len(), 1);
    let extras = p("gssencmode=require")
        .or(&p("gssencmode=disable sslsni=0"))
        .extra;
    assert_eq!(
        extras,
        vec![
            ("gssencmode".to_string(), "require".to_string()),
            ("sslsni".to_string(), "0".to_string())
        ]
    );
}

#[test]
fn names_server() {
    assert!(!ConnParams::default().names_server());
    assert!(!p("dbname=x user=y password=z").names_server());
    assert!(p("host=h").names_server());
    assert!(p("hostaddr=127.0.0.1").names_server());
    assert!(p("port=5433").names_server());
    assert!(p("service=prod").names_server());
}

// ---- output forms

#[test]
fn display_redacted_forms() {
    assert_eq!(
        p("postgresql://alice:pw@db:5433/app").display_redacted(),
        "alice@db:5433/app"
    );
    assert_eq!(p("host=/tmp dbname=x").display_redacted(), "/tmp/x");
    assert_eq!(
        p("postgresql://a:1,b:2/db").display_redacted(),
        "a:1,b:2/db"
    );
    assert_eq!(p("host=a,b port=6000").display_redacted(), "a,b:6000");
    assert_eq!(p("host=::1 port=5432").display_redacted(), "[::1]:5432");
    assert_eq!(p("password=pw").display_redacted(), "(defaults)");
    let shown = p("user=u password=hunter2 dbname='password=hunter3'").display_redacted();
    assert!(!shown.contains("hunter"), "{shown}");
}

#[test]
fn redacted_url_round_trips() {
    let inputs = [
        "postgresql://alice:pw@db.example.com:6543/sales?sslmode=verify-full",
        "host=/var/run/postgresql,db2 port=5432,6000 user='a b@c' dbname='x/y?z' password=q",
        "host=::1,fe80::1%eth0 hostaddr=::1,fe80::1 port=1 connect_timeout=0 keepalives_idle=9",
        "options='-c statement_timeout=5s' application_name='a&b=c' passfile=/p service=s target_session_attrs=any sslrootcert=/ca gssencmode=disable",
        "port=5433",
        "password=onlypw",
        "host=a,,b",
        "",
    ];
    for input in inputs {
        let orig = p(input);
        let url = orig.to_redacted_url();
        if let Some(pw) = &orig.password {
            assert!(!url.contains(&format!(":{}@", pw.expose())), "{url}");
        }
        let mut back = p(&url);
        if orig.password.is_some() {
            assert_eq!(
                back.password.as_ref().map(Secret::expose),
                Some("****"),
                "{url}"
            );
            back.password = orig.password.clone();
        }
        assert_eq!(back, orig, "{input} -> {url}");
    }
    assert_eq!(
        p("postgresql://alice:pw@/app?host=/tmp").to_redacted_url(),
        "postgresql://alice:****@%2Ftmp/app"
    );
    assert_eq!(ConnParams::default().to_redacted_url(), "postgresql://");
}

#[test]
fn redaction_is_idempotent_and_scrubs_errors() {
    use crate::redact::redact_secrets;
    let line = "x = db.connect(\"host=db password='a b'\"); y = \"postgresql://u:v@h\"";
    let once = redact_secrets(line);
    assert!(!once.contains("a b") && !once.contains(":v@"), "{once}");
    assert_eq!(redact_secrets(&once), once);
    let e = err("host=a password='abc");
    assert_eq!(redact_secrets(&e), e);
}

#[test]
fn every_keyword_and_variable_is_read() {
    // FIELD_KEYS is the one list of libpq keywords pgsh acts on: each must reach a field, and each PG*
    // variable must name one of them.
    for key in FIELD_KEYS {
        let mut p = ConnParams::default();
        assert!(p.set(key, "", true).is_ok(), "{key}");
    }
    for (var, key) in ENV_VARS {
        assert!(FIELD_KEYS.contains(key), "{var} names {key}");
    }
    assert!(!is_known_key("hots"));
}

#[test]
fn no_fields_keep_the_string() {
    let base = ConnParams::parse("host=a,b port=1,2 user=u dbname=d sslmode=require").unwrap();
    assert_eq!(base.clone().with_fields(ConnFields::default()), base);
}

#[test]
fn fields_override_the_string_one_by_one() {
    let base = ConnParams::parse(
        "postgres://u:pw@a:1/d?application_name=x&options=-cx%3D1&hostaddr=10.0.0.1&service=s",
    )
    .unwrap();
    let p = base.with_fields(ConnFields {
        host: Some("h1,,/tmp".into()),
        ports: Some(vec![5, 6, 7]),
        user: Some("v".into()),
        dbname: Some("e".into()),
        sslmode: Some(SslMode::VerifyFull),
        target_session_attrs: Some(SessionAttrs::ReadOnly),
        connect_timeout: Some(Duration::from_secs(3)),
        ..ConnFields::default()
    });
    // The host list is split as -h splits it, an empty entry kept (libpq's default host for that slot).
    assert_eq!(
        p.hosts,
        vec!["h1".to_string(), String::new(), "/tmp".into()]
    );
    assert_eq!(p.ports, vec![5, 6, 7]);
    assert_eq!(p.user.as_deref(), Some("v"));
    assert_eq!(p.dbname.as_deref(), Some("e"));
    assert_eq!(p.sslmode, Some(SslMode::VerifyFull));
    assert_eq!(p.target_session_attrs, Some(SessionAttrs::ReadOnly));
    assert_eq!(p.connect_timeout, Some(Duration::from_secs(3)));
    // What the fields leave unsaid is the string's.
    assert_eq!(p.password.as_ref().map(Secret::expose), Some("pw"));
    assert_eq!(p.application_name.as_deref(), Some("x"));
    assert_eq!(p.options.as_deref(), Some("-cx=1"));
    assert_eq!(p.hostaddrs, vec!["10.0.0.1".to_string()]);
    assert_eq!(p.service.as_deref(), Some("s"));
}

#[test]
fn every_field_reaches_its_parameter() {
    let p = ConnParams::default().with_fields(ConnFields {
        host: Some("h".into()),
        ports: Some(vec![9]),
        user: Some("u".into()),
        password: Some(Secret::new("s3cret")),
        dbname: Some("d".into()),
        sslmode: Some(SslMode::Disable),
        sslrootcert: Some("/ca.pem".into()),
        application_name: Some("app".into()),
        options: Some("-c a=b".into()),
        target_session_attrs: Some(SessionAttrs::Primary),
        connect_timeout: Some(Duration::ZERO),
    });
    let expected = ConnParams::parse(
        "host=h port=9 user=u password=s3cret dbname=d sslmode=disable sslrootcert=/ca.pem \
         application_name=app options='-c a=b' target_session_attrs=primary connect_timeout=0",
    )
    .unwrap();
    assert_eq!(p, expected);
}
