//! psql's prompts (`prompt.c`'s `get_prompt`): `PROMPT1`/`PROMPT2`/`PROMPT3` with their `%` escapes
//! expanded from facts the engine supplies.
//!
//! The escapes of psql 15: `%M` host (`[local]` for the default socket directory, `[local:/dir]` for
//! another), `%m` host up to the first dot (`[local]` for any socket), `%>` port, `%n` session user,
//! `%/` database, `%~` database or `~` when it is the user's (or `PGDATABASE`'s), `%#` `#` for a superuser
//! else `>`, `%p` backend PID, `%R` the input state (`=`, `^` single-line, `!` no connection, `@` inside a
//! false `\if`; `-` `*` `'` `"` `$` `(` when continuing), `%x` transaction status (empty, `*`, `!`, `?`),
//! `%l` line number in the statement, `%w` spaces as wide as the last `PROMPT1`, `%?` nothing (reserved),
//! `%0`–`%7…` the byte with that octal code (psql's code reads octal for every digit form, whatever its
//! comment says), `%:name:` a variable's value, `` %`cmd` `` the first line of a shell command's output,
//! `%[` `%]` invisible-text markers, `%%` and any other `%c` the character itself (psql 15 has no `%P`; it
//! came in 16). Substituted text is not rescanned. Like psql, the result is cut at 256 bytes and each
//! substitution at 256 bytes.
//!
//! `%[` and `%]` become readline's markers [`PROMPT_START_IGNORE`] (`\x01`) and [`PROMPT_END_IGNORE`]
//! (`\x02`) around text that takes no room on screen (terminal escape sequences). A line editor writes
//! [`strip_ignore_markers`] of the prompt to the terminal and counts the width of [`visible_text`].

use unicode_width::UnicodeWidthChar;

use crate::psql::settings::Settings;

/// Marks the start of prompt text that occupies no columns (readline's `RL_PROMPT_START_IGNORE`).
pub const PROMPT_START_IGNORE: char = '\x01';
/// Marks its end (`RL_PROMPT_END_IGNORE`).
pub const PROMPT_END_IGNORE: char = '\x02';

/// psql's `MAX_PROMPT_SIZE`: the prompt, and each substitution, is cut to this many bytes.
const MAX_PROMPT_SIZE: usize = 256;

/// The socket directory that shows as plain `[local]` in `%M` (`DEFAULT_PGSOCKET_DIR` of the psql 15 pgsh
/// replaces: Debian's, which is also pgsh's first default socket directory). Checked: that psql, connected
/// through a socket in /var/run/postgresql, expands `[%M|%m]` to `[[local]|[local]]`.
pub const DEFAULT_PGSOCKET_DIR: &str = "/var/run/postgresql";

/// What the lexer says about the input so far (`promptStatus_t`); it picks the prompt and `%R`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptStatus {
    /// A new statement: `PROMPT1`.
    Ready,
    /// Inside a statement (`PROMPT2` from here to `Paren`).
    Continue,
    Comment,
    SingleQuote,
    DoubleQuote,
    DollarQuote,
    Paren,
    /// Reading `COPY … FROM STDIN` data: `PROMPT3`.
    Copy,
}

/// libpq's `PGTransactionStatusType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxStatus {
    Idle,
    /// A command is running (as during `COPY FROM STDIN`).
    Active,
    InTrans,
    InError,
    Unknown,
}

/// The connection as the prompt sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PromptConn<'a> {
    /// `PQdb`.
    pub dbname: &'a str,
    /// `PQuser`: the user connected as (`%~` compares the database name with it).
    pub user: &'a str,
    /// psql's `session_username()`: the `session_authorization` parameter, else `PQuser` (`%n`).
    pub session_user: &'a str,
    /// `PQhost`: host name, address, or socket directory (an absolute path or `@abstract`).
    pub host: Option<&'a str>,
    /// `PQport`.
    pub port: Option<&'a str>,
    /// `PQbackendPID`; 0 prints nothing.
    pub backend_pid: i32,
    /// The `is_superuser` parameter is `on`.
    pub superuser: bool,
    pub tx: TxStatus,
}

/// Everything `get_prompt` reads besides the prompt variables in [`Settings`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PromptFacts<'a> {
    /// `None` when there is no connection.
    pub conn: Option<PromptConn<'a>>,
    pub status: PromptStatus,
    /// False inside an `\if` branch that is not taken (`%R` shows `@`).
    pub conditional_active: bool,
    /// The `PGDATABASE` environment variable (`%~` shows `~` when it names the current database).
    pub pgdatabase_env: Option<&'a str>,
}

/// What the prompt needs the engine to do: read a variable (`%:name:`) and run a shell command
/// (`` %`cmd` ``; only the engine spawns processes).
pub trait PromptEnv {
    /// A psql variable's value.
    fn var(&self, name: &str) -> Option<String>;
    /// Run `cmd` with `/bin/sh -c` (psql's `popen`) and return its standard output, `None` if it could
    /// not be started.
    fn run_command(&mut self, cmd: &str) -> Option<Vec<u8>>;
}

/// What one prompt leaves for the next: the width of the last `PROMPT1`, for `%w` (a static in psql).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PromptState {
    pub last_prompt1_width: usize,
}

/// `get_prompt`: the prompt for `facts.status`, with its escapes expanded; `%[`/`%]` become
/// [`PROMPT_START_IGNORE`]/[`PROMPT_END_IGNORE`]. Expanding `PROMPT1` records its width in `state`.
pub fn get_prompt(
    settings: &Settings,
    facts: &PromptFacts,
    env: &mut dyn PromptEnv,
    state: &mut PromptState,
) -> String {
    let prompt = match facts.status {
        PromptStatus::Ready => &settings.prompt1,
        PromptStatus::Copy => &settings.prompt3,
        _ => &settings.prompt2,
    };
    let src = prompt.as_bytes();
    let mut dest: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < src.len() && dest.len() < MAX_PROMPT_SIZE {
        let piece: Vec<u8> = if src[i] != b'%' {
            i += 1;
            vec![src[i - 1]]
        } else if i + 1 == src.len() {
            // A lone `%` at the end adds nothing.
            break;
        } else {
            let (piece, next) = escape(src, i + 1, settings, facts, env, state);
            i = next;
            piece
        };
        let room = MAX_PROMPT_SIZE - dest.len();
        dest.extend_from_slice(&piece[..piece.len().min(room)]);
    }
    let text = String::from_utf8_lossy(&dest).into_owned();
    if facts.status == PromptStatus::Ready {
        state.last_prompt1_width = prompt_width(&text);
    }
    text
}

/// Expand the escape whose letter is `src[at]`; returns its text (at most `MAX_PROMPT_SIZE` bytes) and
/// where scanning resumes.
fn escape(
    src: &[u8],
    at: usize,
    settings: &Settings,
    facts: &PromptFacts,
    env: &mut dyn PromptEnv,
    state: &PromptState,
) -> (Vec<u8>, usize) {
    let conn = facts.conn.as_ref();
    let text = |s: Option<&str>| s.map_or_else(Vec::new, |s| s.as_bytes().to_vec());
    let mut next = at + 1;
    let mut piece = match src[at] {
        b'/' => text(conn.map(|c| c.dbname)),
        b'~' => text(conn.map(|c| {
            if c.dbname == c.user || facts.pgdatabase_env == Some(c.dbname) {
                "~"
            } else {
                c.dbname
            }
        })),
        b'w' => match conn {
            Some(_) => vec![b' '; state.last_prompt1_width.min(MAX_PROMPT_SIZE)],
            None => Vec::new(),
        },
        letter @ (b'M' | b'm') => conn.map_or_else(Vec::new, |c| host_text(c.host, letter == b'm')),
        b'>' => text(conn.and_then(|c| c.port)),
        b'n' => text(conn.map(|c| c.session_user)),
        b'p' => match conn {
            Some(c) if c.backend_pid != 0 => c.backend_pid.to_string().into_bytes(),
            _ => Vec::new(),
        },
        b'0'..=b'7' => {
            // strtol(p, &p, 8): every following octal digit; the value is cast to a char.
            let end = src[at..]
                .iter()
                .position(|b| !(b'0'..=b'7').contains(b))
                .map_or(src.len(), |n| at + n);
            next = end;
            let value = src[at..end].iter().fold(0u64, |acc, d| {
                // strtol saturates at LONG_MAX, whose low byte is 0xff.
                acc.checked_mul(8)
                    .and_then(|a| a.checked_add(u64::from(d - b'0')))
                    .filter(|&a| a <= i64::MAX as u64)
                    .unwrap_or(i64::MAX as u64)
            });
            match (value & 0xff) as u8 {
                0 => Vec::new(),
                byte => vec![byte],
            }
        }
        b'R' => status_char(facts, settings.singleline)
            .map(|c| vec![c])
            .unwrap_or_default(),
        b'x' => match conn.map(|c| c.tx) {
            None | Some(TxStatus::Unknown) => b"?".to_vec(),
            Some(TxStatus::Idle) => Vec::new(),
            Some(TxStatus::Active | TxStatus::InTrans) => b"*".to_vec(),
            Some(TxStatus::InError) => b"!".to_vec(),
        },
        b'l' => settings.stmt_lineno.to_string().into_bytes(),
        b'?' => Vec::new(),
        b'#' => {
            if conn.is_some_and(|c| c.superuser) {
                b"#".to_vec()
            } else {
                b">".to_vec()
            }
        }
        b'`' => {
            let (cmd, after) = delimited(src, at + 1, b'`');
            next = after;
            let output = env
                .run_command(&String::from_utf8_lossy(cmd))
                .unwrap_or_default();
            first_line(&output)
        }
        b':' => {
            let (name, after) = delimited(src, at + 1, b':');
            next = after;
            text(env.var(&String::from_utf8_lossy(name)).as_deref())
        }
        b'[' => PROMPT_START_IGNORE.to_string().into_bytes(),
        b']' => PROMPT_END_IGNORE.to_string().into_bytes(),
        other => vec![other],
    };
    piece.truncate(MAX_PROMPT_SIZE);
    (piece, next)
}

/// `%M`/`%m`: the host for TCP (up to the first dot for `%m`), `[local]` or `[local:dir]` for a socket.
fn host_text(host: Option<&str>, short: bool) -> Vec<u8> {
    let text = match host {
        Some(h) if !h.is_empty() && !is_unixsock_path(h) => {
            if short {
                h.split('.').next().unwrap_or(h).to_owned()
            } else {
                h.to_owned()
            }
        }
        Some(h) if !short && h != DEFAULT_PGSOCKET_DIR => format!("[local:{h}]"),
        _ => "[local]".to_owned(),
    };
    text.into_bytes()
}

/// libpq's `is_unixsock_path`: an absolute path, or an abstract socket name (`@name`).
fn is_unixsock_path(host: &str) -> bool {
    host.starts_with('/') || host.starts_with('@')
}

/// `%R`.
fn status_char(facts: &PromptFacts, singleline: bool) -> Option<u8> {
    Some(match facts.status {
        PromptStatus::Ready if !facts.conditional_active => b'@',
        PromptStatus::Ready if facts.conn.is_none() => b'!',
        PromptStatus::Ready if singleline => b'^',
        PromptStatus::Ready => b'=',
        PromptStatus::Continue => b'-',
        PromptStatus::SingleQuote => b'\'',
        PromptStatus::DoubleQuote => b'"',
        PromptStatus::DollarQuote => b'$',
        PromptStatus::Comment => b'*',
        PromptStatus::Paren => b'(',
        PromptStatus::Copy => return None,
    })
}

/// The text from `start` to the next `delim`, and the index after that delimiter. Without a closing
/// delimiter the rest of the prompt is taken (psql then reads past its string's end; here it just ends).
fn delimited(src: &[u8], start: usize, delim: u8) -> (&[u8], usize) {
    match src[start..].iter().position(|&b| b == delim) {
        Some(n) => (&src[start..start + n], start + n + 1),
        None => (&src[start..], src.len()),
    }
}

/// What psql's `fgets` + `pg_strip_crlf` keep of a command's output: the first line, at most 256 bytes,
/// without its line ending.
fn first_line(output: &[u8]) -> Vec<u8> {
    let limit = output.len().min(MAX_PROMPT_SIZE);
    let end = output[..limit]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(limit, |n| n + 1);
    let mut line = output[..end].to_vec();
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    line
}

/// The columns a prompt takes on screen, as psql measures `PROMPT1` for `%w`: text between the ignore
/// markers does not count, a newline starts over, control characters take no room.
pub fn prompt_width(prompt: &str) -> usize {
    visible_text(prompt).chars().fold(0, |w, c| {
        if c == '\n' {
            0
        } else {
            w + c.width().unwrap_or(0)
        }
    })
}

/// The prompt without the ignore markers: what to write to the terminal.
#[cfg(test)]
pub fn strip_ignore_markers(prompt: &str) -> String {
    prompt
        .chars()
        .filter(|&c| c != PROMPT_START_IGNORE && c != PROMPT_END_IGNORE)
        .collect()
}

/// The prompt without the marked invisible text (and the markers): what occupies the screen.
pub fn visible_text(prompt: &str) -> String {
    let mut visible = true;
    let mut out = String::new();
    for c in prompt.chars() {
        match c {
            PROMPT_START_IGNORE => visible = false,
            PROMPT_END_IGNORE => visible = true,
            c if visible => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Env {
        commands: Vec<String>,
    }

    impl PromptEnv for Env {
        fn var(&self, name: &str) -> Option<String> {
            match name {
                "DBNAME" => Some("postgres".into()),
                "LONG" => Some("x".repeat(300)),
                _ => None,
            }
        }
        fn run_command(&mut self, cmd: &str) -> Option<Vec<u8>> {
            self.commands.push(cmd.to_owned());
            match cmd {
                "echo hi; echo there" => Some(b"hi\nthere\n".to_vec()),
                "printf 'a\\r\\r\\n'" => Some(b"a\r\r\n".to_vec()),
                _ => None,
            }
        }
    }

    /// The dev server as psql saw it: `psql -X -h /tmp/devpg -p 5499 -U postgres`.
    fn dev_conn() -> PromptConn<'static> {
        PromptConn {
            dbname: "postgres",
            user: "postgres",
            session_user: "postgres",
            host: Some("/tmp/devpg"),
            port: Some("5499"),
            backend_pid: 343,
            superuser: true,
            tx: TxStatus::Idle,
        }
    }

    fn facts(conn: Option<PromptConn<'static>>, status: PromptStatus) -> PromptFacts<'static> {
        PromptFacts {
            conn,
            status,
            conditional_active: true,
            pgdatabase_env: None,
        }
    }

    fn expand(settings: &Settings, facts: &PromptFacts, state: &mut PromptState) -> String {
        get_prompt(
            settings,
            facts,
            &mut Env {
                commands: Vec::new(),
            },
            state,
        )
    }

    #[test]
    fn every_escape_as_psql_expands_it() {
        // psql 15 in a pty (a Python pty driver): `psql -X -h /tmp/devpg -p 5499 -U postgres -v
        // 'PROMPT1=…'`, then `select 1;`. The terminal showed the prompt with readline's markers
        // removed; psql's own output has them around the `X`.
        let s = Settings {
            prompt1: "<%M|%m|%>|%n|%/|%~|%#|%R|%x|%l|%%|%101%0102%9%08|%:DBNAME:|%:NOPE:|%`echo hi; echo there`|%[X%]|%w|%?|%q|>".into(),
            stmt_lineno: 1,
            ..Settings::default()
        };
        let f = facts(Some(dev_conn()), PromptStatus::Ready);
        let mut state = PromptState::default();
        let mut env = Env {
            commands: Vec::new(),
        };
        let first = get_prompt(&s, &f, &mut env, &mut state);
        assert_eq!(
            first,
            "<[local:/tmp/devpg]|[local]|5499|postgres|postgres|~|#|=||1|%|AB98|postgres||hi|\x01X\x02|||q|>"
        );
        assert_eq!(env.commands, ["echo hi; echo there"]);
        assert_eq!(
            strip_ignore_markers(&first),
            "<[local:/tmp/devpg]|[local]|5499|postgres|postgres|~|#|=||1|%|AB98|postgres||hi|X|||q|>"
        );
        // The second prompt's %w was 86 spaces: the first prompt's width without the invisible X.
        assert_eq!(state.last_prompt1_width, 86);
        let second = get_prompt(&s, &f, &mut env, &mut state);
        assert!(
            second.contains(&format!("|\x01X\x02|{}||q|>", " ".repeat(86))),
            "{second:?}"
        );
    }

    #[test]
    fn continuation_states_line_numbers_and_w() {
        // psql 15 in a pty with -v 'PROMPT1=[1%R%x%l%w]' -v 'PROMPT2=[2%R%x%l%w]', typing: `select (`,
        // `1);`, `select '`, `';`, `select "`, `";`, `select $$`, `$$;`, `/*`, `*/`, `select`, `1;`,
        // `begin;`, `select x;`, `rollback;`, `\if false`, `\endif`, `\set SINGLELINE on`, `select 2`.
        // Each prompt psql showed, with the state the lexer and the server were in.
        use PromptStatus::*;
        use TxStatus::*;
        let shown: [(&str, PromptStatus, u64, TxStatus, bool, bool); 20] = [
            ("[1=1]", Ready, 1, Idle, true, false),
            ("[2(1     ]", Paren, 1, Idle, true, false),
            ("[1=1     ]", Ready, 1, Idle, true, false),
            ("[2'1          ]", SingleQuote, 1, Idle, true, false),
            ("[1=1          ]", Ready, 1, Idle, true, false),
            ("[2\"1               ]", DoubleQuote, 1, Idle, true, false),
            ("[1=1               ]", Ready, 1, Idle, true, false),
            (
                "[2$1                    ]",
                DollarQuote,
                1,
                Idle,
                true,
                false,
            ),
            ("[1=1                    ]", Ready, 1, Idle, true, false),
            (
                "[2*1                         ]",
                Comment,
                1,
                Idle,
                true,
                false,
            ),
            (
                "[2-2                         ]",
                Continue,
                2,
                Idle,
                true,
                false,
            ),
            (
                "[2-3                         ]",
                Continue,
                3,
                Idle,
                true,
                false,
            ),
            (
                "[1=1                         ]",
                Ready,
                1,
                Idle,
                true,
                false,
            ),
            (
                "[1=*1                              ]",
                Ready,
                1,
                InTrans,
                true,
                false,
            ),
            (
                "[1=!1                                    ]",
                Ready,
                1,
                InError,
                true,
                false,
            ),
            (
                "[1=1                                          ]",
                Ready,
                1,
                Idle,
                true,
                false,
            ),
            (
                "[1@1                                               ]",
                Ready,
                1,
                Idle,
                false,
                false,
            ),
            (
                "[1=1                                                    ]",
                Ready,
                1,
                Idle,
                true,
                false,
            ),
            (
                "[1^1                                                         ]",
                Ready,
                1,
                Idle,
                true,
                true,
            ),
            (
                "[1^1                                                              ]",
                Ready,
                1,
                Idle,
                true,
                true,
            ),
        ];
        let mut s = Settings {
            prompt1: "[1%R%x%l%w]".into(),
            prompt2: "[2%R%x%l%w]".into(),
            ..Settings::default()
        };
        let mut state = PromptState::default();
        for (expected, status, line, tx, active, singleline) in shown {
            s.stmt_lineno = line;
            s.singleline = singleline;
            let mut f = facts(Some(PromptConn { tx, ..dev_conn() }), status);
            f.conditional_active = active;
            assert_eq!(expand(&s, &f, &mut state), expected);
        }
    }

    #[test]
    fn users_databases_and_copy() {
        // psql 15 in a pty, -d vars -v 'PROMPT1=[%n|%~|%/|%#|%p]': `[postgres|vars|vars|#|343]`, then after
        // `set session authorization vars_r` (a plain role): `[vars_r|vars|vars|>|343]`.
        let mut s = Settings {
            prompt1: "[%n|%~|%/|%#|%p]".into(),
            ..Settings::default()
        };
        let vars = PromptConn {
            dbname: "vars",
            ..dev_conn()
        };
        let mut state = PromptState::default();
        let f = facts(Some(vars), PromptStatus::Ready);
        assert_eq!(expand(&s, &f, &mut state), "[postgres|vars|vars|#|343]");
        let as_role = PromptConn {
            session_user: "vars_r",
            superuser: false,
            ..vars
        };
        let f = facts(Some(as_role), PromptStatus::Ready);
        assert_eq!(expand(&s, &f, &mut state), "[vars_r|vars|vars|>|343]");
        // With PGDATABASE=vars in the environment: `[postgres|~|vars|#]`.
        s.prompt1 = "[%n|%~|%/|%#]".into();
        let mut f = facts(Some(vars), PromptStatus::Ready);
        f.pgdatabase_env = Some("vars");
        assert_eq!(expand(&s, &f, &mut state), "[postgres|~|vars|#]");
        // During `copy t from stdin` with -v 'PROMPT3=[3%R%x%l|%/]': `[3*1|vars]`, `[3*2|vars]`.
        s.prompt3 = "[3%R%x%l|%/]".into();
        let copying = PromptConn {
            tx: TxStatus::Active,
            ..vars
        };
        for line in [1, 2] {
            s.stmt_lineno = line;
            let f = facts(Some(copying), PromptStatus::Copy);
            assert_eq!(expand(&s, &f, &mut state), format!("[3*{line}|vars]"));
        }
        assert_eq!(
            state.last_prompt1_width,
            "[postgres|~|vars|#]".len(),
            "PROMPT3 leaves %w alone"
        );
    }

    #[test]
    fn hosts_and_no_connection() {
        // From prompt.c: TCP hosts print as given (%m up to the first dot); the default socket directory
        // and %m of any socket print [local].
        let mut s = Settings {
            prompt1: "%M %m".into(),
            ..Settings::default()
        };
        let mut state = PromptState::default();
        for (host, expected) in [
            (Some("db.example.com"), "db.example.com db"),
            (Some("127.0.0.1"), "127.0.0.1 127"),
            (Some(DEFAULT_PGSOCKET_DIR), "[local] [local]"),
            (Some("/tmp"), "[local:/tmp] [local]"),
            (Some("@abstract"), "[local:@abstract] [local]"),
            (None, "[local] [local]"),
        ] {
            let f = facts(Some(PromptConn { host, ..dev_conn() }), PromptStatus::Ready);
            assert_eq!(expand(&s, &f, &mut state), expected, "{host:?}");
        }
        // Without a connection: the connection escapes are empty, %R is `!`, %x `?`, %# `>`.
        s.prompt1 = "%M%m%>%n%/%~%p%w|%R%x%#|%l".into();
        s.stmt_lineno = 4;
        let f = facts(None, PromptStatus::Ready);
        assert_eq!(expand(&s, &f, &mut state), "|!?>|4");
        let f = facts(
            Some(PromptConn {
                backend_pid: 0,
                tx: TxStatus::Unknown,
                ..dev_conn()
            }),
            PromptStatus::Ready,
        );
        s.prompt1 = "%p%x".into();
        assert_eq!(expand(&s, &f, &mut state), "?");
    }

    #[test]
    fn bytes_commands_and_limits() {
        let mut s = Settings::default();
        let f = facts(Some(dev_conn()), PromptStatus::Ready);
        let mut state = PromptState::default();
        // Octal escapes build bytes, including a UTF-8 sequence; %0 alone and %8 are literal-ish.
        s.prompt1 = "%303%251|%0|%8|%033[1m%]%".into();
        assert_eq!(expand(&s, &f, &mut state), "é||8|\x1b[1m\x02");
        // psql 15 has no %P (16's pipeline status): like any unknown letter, it stands for itself.
        s.prompt1 = "%P%q".into();
        assert_eq!(expand(&s, &f, &mut state), "Pq");
        // A command's output is its first line without CR/LF; an unstartable command gives nothing; an
        // unterminated name or command takes the rest of the prompt.
        s.prompt1 = "%`printf 'a\\r\\r\\n'`|%`nope`|%:DBNAME".into();
        assert_eq!(expand(&s, &f, &mut state), "a||postgres");
        // Substitutions and the whole prompt stop at 256 bytes.
        s.prompt1 = "%:LONG:".into();
        assert_eq!(expand(&s, &f, &mut state), "x".repeat(256));
        s.prompt1 = format!("{}%:LONG:", "ab".repeat(100));
        assert_eq!(expand(&s, &f, &mut state).len(), 256);
        // The width skips invisible text and restarts at a newline; wide characters count two.
        assert_eq!(prompt_width("\x01\x1b[1m\x02ab\x01\x1b[0m\x02"), 2);
        assert_eq!(prompt_width("long line\n日本> "), 6);
        assert_eq!(visible_text("a\x01hidden\x02b"), "ab");
    }
}
