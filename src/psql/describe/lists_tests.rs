//! The list commands (`\da` … `\dl`) against what real psql did for the same commands on the same objects:
//! the transcripts in `testdata/` hold, per command of `testdata/lists_commands.txt`, psql's output with
//! ECHO_HIDDEN (the exact hidden queries, then the printed tables), its errors, and each hidden query's
//! result with its column types. The ported code runs against a context that answers each query with that
//! recorded result and prints through pgsh's printer; it must send byte-identical queries, report the same
//! errors, succeed or fail as psql did, and print byte for byte what psql printed (titles, headers,
//! footers and cells are also compared one by one, for clearer failures).
//!
//! How the transcripts were made (see `testdata/lists_capture.py`): a database built from
//! `testdata/lists_fixture.sql`, then `lists_capture.py psql HOST PORT desc2zoo >
//! testdata/lists_psql15_pg15.txt` with psql 15.18 on a PostgreSQL 15.18 server, and the same with psql
//! 17.11 on a PostgreSQL 17.11 server for `lists_psql17_pg17.txt`.

use crate::db::pgresult::{ExecStatus, Field, PgResult};
use crate::output::content::Table;
use crate::output::opts::{PrintQueryOpt, PrintTableOpt};
use crate::output::print::{print_table, PrintTarget};
use crate::psql::ctx::Ctx;
use crate::psql::describe::{
    access_methods, databases, extensions, foreign, functions, misc, replication, text_search,
    types,
};
use crate::psql::settings::Settings;

/// One command of a transcript.
#[derive(Debug)]
pub(super) struct Captured {
    pub(super) command: String,
    /// Run with ECHO_HIDDEN noexec: queries are shown, none runs.
    pub(super) noexec: bool,
    /// psql's exit status: 0 when the command succeeded.
    pub(super) status: i32,
    /// The hidden queries psql echoed, in order.
    pub(super) queries: Vec<String>,
    /// What psql printed besides the queries.
    pub(super) printed: String,
    pub(super) stderr: String,
    /// Each query's result (CSV, NULL as `\N`) and its column types (psql's `\gdesc`, as CSV).
    pub(super) results: Vec<(String, String)>,
}

const MARKERS: [(&str, &str); 2] = [
    (
        "********* QUERY **********\n",
        "\n**************************\n\n",
    ),
    (
        "/******** QUERY *********/\n",
        "\n/************************/\n\n",
    ),
];

/// Split psql's ECHO_HIDDEN output into the queries and the rest.
fn split_queries(stdout: &str) -> (Vec<String>, String) {
    let mut queries = Vec::new();
    let mut printed = String::new();
    let mut rest = stdout;
    loop {
        let next = MARKERS
            .iter()
            .filter_map(|(open, close)| rest.find(open).map(|i| (i, *open, *close)))
            .min_by_key(|(i, _, _)| *i);
        let Some((i, open, close)) = next else {
            printed.push_str(rest);
            return (queries, printed);
        };
        printed.push_str(&rest[..i]);
        let body = &rest[i + open.len()..];
        let end = body
            .find(close)
            .expect("an echoed query ends with its marker");
        queries.push(body[..end].to_string());
        rest = &body[end + close.len()..];
    }
}

fn section<'a>(block: &'a str, name: &str) -> &'a str {
    let start = block
        .find(&format!("==== {name}\n"))
        .map(|i| i + name.len() + 6)
        .unwrap_or(block.len());
    let end = block[start..]
        .find("==== ")
        .map_or(block.len(), |i| start + i);
    &block[start..end]
}

/// The server version and the commands of a transcript.
pub(super) fn parse_transcript(text: &str) -> (i32, Vec<Captured>) {
    let server = text
        .lines()
        .find_map(|l| l.strip_prefix("==== SERVER "))
        .and_then(|v| v.trim().parse().ok())
        .expect("the transcript names its server version");
    let mut out = Vec::new();
    for block in text.split("==== COMMAND ").skip(1) {
        let (command, rest) = block.split_once('\n').expect("a command line");
        let mode = rest
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("==== MODE "))
            .expect("a mode line");
        let (mode, status) = mode.split_once(' ').expect("mode and status");
        let (queries, printed) = split_queries(section(rest, "STDOUT"));
        let results = rest
            .split("==== RESULT ")
            .skip(1)
            .map(|r| {
                let body = r.split_once('\n').map_or("", |(_, b)| b);
                let (csv, types) = body.split_once("==== TYPES\n").unwrap_or((body, ""));
                let types = types.split("==== ").next().unwrap_or("");
                (csv.to_string(), types.to_string())
            })
            .collect();
        out.push(Captured {
            command: command.to_string(),
            noexec: mode == "noexec",
            status: status.parse().expect("a status"),
            queries,
            printed,
            stderr: section(rest, "STDERR").to_string(),
            results,
        });
    }
    (server, out)
}

/// The records of psql's CSV output, NULL (`\N`) as `None`.
fn csv_records(text: &str) -> Vec<Vec<Option<String>>> {
    let mut records: Vec<Vec<Option<String>>> = Vec::new();
    let mut record: Vec<Option<String>> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars().peekable();
    let end_field =
        |field: &mut String, was_quoted: &mut bool, record: &mut Vec<Option<String>>| {
            let value = if !*was_quoted && field == "\\N" {
                None
            } else {
                Some(std::mem::take(field))
            };
            field.clear();
            *was_quoted = false;
            record.push(value);
        };
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => {
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => end_field(&mut field, &mut was_quoted, &mut record),
            (false, '\n') => {
                end_field(&mut field, &mut was_quoted, &mut record);
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

/// The type OID behind a `\gdesc` type name, for the types whose alignment differs (psql right-aligns
/// numbers); every other type is as good as `text` here.
fn type_oid(name: &str) -> u32 {
    match name {
        "smallint" => 21,
        "integer" => 23,
        "bigint" => 20,
        "oid" => 26,
        "real" => 700,
        "double precision" => 701,
        "numeric" => 1700,
        "xid" => 28,
        "cid" => 29,
        "money" => 790,
        _ => 25,
    }
}

/// psql's CSV output of a result (header line first, NULL as `\N`) and `\gdesc` of it, as the result.
pub(super) fn csv_result(text: &str, types: &str) -> PgResult {
    let mut records = csv_records(text).into_iter();
    let header = records.next().unwrap_or_default();
    let types: Vec<u32> = csv_records(types)
        .into_iter()
        .skip(1)
        .map(|r| type_oid(r.get(1).and_then(|t| t.as_deref()).unwrap_or("")))
        .collect();
    let fields = header
        .into_iter()
        .enumerate()
        .map(|(i, name)| Field {
            name: name.unwrap_or_default(),
            table_oid: 0,
            column_id: 0,
            type_oid: types.get(i).copied().unwrap_or(25),
            type_size: -1,
            type_modifier: -1,
            format: 0,
        })
        .collect();
    let mut res = PgResult::new(ExecStatus::TuplesOk, fields);
    for row in records {
        res.push_row(row.iter().map(|v| v.as_deref().map(str::as_bytes)));
    }
    res.command_tag = format!("SELECT {}", res.ntuples());
    res
}

/// What a command printed.
#[derive(Debug)]
enum Printed {
    Query {
        result: usize,
        opt: PrintQueryOpt,
        ntuples: usize,
        fnames: Vec<String>,
    },
    Table {
        title: Option<String>,
        headers: Vec<String>,
        cells: Vec<String>,
        footers: Option<Vec<String>>,
    },
}

/// A context answering each query with the next recorded result, and recording everything.
struct ReplayCtx {
    settings: Settings,
    noexec: bool,
    /// Answer every query with no rows (for servers no transcript covers).
    answer_empty: bool,
    results: Vec<PgResult>,
    sent: Vec<String>,
    printed: Vec<Printed>,
    /// What the printer made of the print calls, as psql writes it to a pipe.
    rendered: Vec<u8>,
    errors: Vec<String>,
}

impl ReplayCtx {
    fn new(sversion: i32, captured: &Captured) -> ReplayCtx {
        let settings = Settings {
            sversion,
            ..Settings::default()
        };
        ReplayCtx {
            settings,
            noexec: captured.noexec,
            answer_empty: false,
            results: captured
                .results
                .iter()
                .map(|(csv, types)| csv_result(csv, types))
                .collect(),
            sent: Vec::new(),
            printed: Vec::new(),
            rendered: Vec::new(),
            errors: Vec::new(),
        }
    }
}

impl Ctx for ReplayCtx {
    fn settings(&self) -> &Settings {
        &self.settings
    }

    fn dbname(&self) -> Option<&str> {
        Some("desc2zoo")
    }

    fn std_strings(&self) -> bool {
        true
    }

    fn exec(&mut self, sql: &str) -> Option<PgResult> {
        self.sent.push(sql.to_string());
        if self.noexec {
            return None;
        }
        if self.answer_empty {
            return Some(PgResult::new(ExecStatus::TuplesOk, Vec::new()));
        }
        self.results.get(self.sent.len() - 1).cloned()
    }

    fn exec_unchecked(&mut self, sql: &str) -> Option<PgResult> {
        self.exec(sql)
    }

    fn print_query(&mut self, res: &PgResult, opt: &PrintQueryOpt) {
        let target = PrintTarget::default();
        let written =
            crate::output::query::print_query(res, opt, &mut self.rendered, &target, None);
        assert!(written.is_ok(), "printing to memory");
        let result = self
            .results
            .iter()
            .position(|r| r == res)
            .unwrap_or(usize::MAX);
        self.printed.push(Printed::Query {
            result,
            opt: opt.clone(),
            ntuples: res.ntuples(),
            fnames: (0..res.nfields())
                .map(|c| res.fname(c).to_string())
                .collect(),
        });
    }

    fn print_table(&mut self, table: &dyn Table) {
        let opt = self.settings.popt.topt.clone();
        self.print_table_opt(table, &opt);
    }

    fn print_table_opt(&mut self, table: &dyn Table, opt: &PrintTableOpt) {
        let target = PrintTarget::default();
        let written = print_table(table, opt, &mut self.rendered, &target, None);
        assert!(written.is_ok(), "printing to memory");
        let headers: Vec<String> = (0..table.ncolumns())
            .map(|c| table.header(c).to_string())
            .collect();
        let cells = (0..table.nrows())
            .flat_map(|r| (0..table.ncolumns()).map(move |c| (r, c)))
            .map(|(r, c)| table.cell(r, c).to_string())
            .collect();
        self.printed.push(Printed::Table {
            title: table.title().map(str::to_string),
            headers,
            cells,
            footers: table.footers().map(<[String]>::to_vec),
        });
    }

    fn error(&mut self, message: &str) {
        self.errors.push(message.to_string());
    }

    fn out(&mut self, _text: &str) {}
}

/// Split a slash command's arguments as psql's `OT_NORMAL` does for these patterns: at white space outside
/// double quotes, the quotes kept.
fn split_args(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in args.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c.is_whitespace() && !quoted {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// psql's `exec_command_d` (and `\l`, `\lo_list`) for the commands of this half of describe.c.
pub(super) fn dispatch(ctx: &mut dyn Ctx, line: &str) -> bool {
    let line = line.strip_prefix('\\').expect("a slash command");
    let (cmd, args) = line.split_once(' ').unwrap_or((line, ""));
    let args = split_args(args);
    let pattern = args.first().map(String::as_str);
    let rest: Vec<&str> = if pattern.is_some() {
        args[1..].iter().map(String::as_str).collect()
    } else {
        Vec::new()
    };
    let verbose = cmd.contains('+');
    let system = cmd.contains('S');
    let b = cmd.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    match cmd {
        "l" | "l+" => return databases::list_all_dbs(ctx, pattern, verbose),
        "lo_list" | "lo_list+" => return misc::list_large_objects(ctx, verbose),
        _ => {}
    }
    let pattern2 = rest.first().copied();
    match at(1) {
        b'A' => match at(2) {
            0 | b'+' => access_methods::describe_access_methods(ctx, pattern, verbose),
            b'c' => access_methods::list_operator_classes(ctx, pattern, pattern2, verbose),
            b'f' => access_methods::list_operator_families(ctx, pattern, pattern2, verbose),
            b'o' => access_methods::list_op_family_operators(ctx, pattern, pattern2, verbose),
            b'p' => access_methods::list_op_family_functions(ctx, pattern, pattern2, verbose),
            _ => panic!("not a command of this half: {line}"),
        },
        b'a' => functions::describe_aggregates(ctx, pattern, verbose, system),
        b'b' => databases::describe_tablespaces(ctx, pattern, verbose),
        b'c' => misc::list_conversions(ctx, pattern, verbose, system),
        b'C' => types::list_casts(ctx, pattern, verbose),
        b'D' => types::list_domains(ctx, pattern, verbose, system),
        b'f' => functions::describe_functions(ctx, &cmd[2..], pattern, &rest, verbose, system),
        b'l' => misc::list_large_objects(ctx, verbose),
        b'L' => misc::list_languages(ctx, pattern, verbose, system),
        b'n' => databases::list_schemas(ctx, pattern, verbose, system),
        b'o' => functions::describe_operators(ctx, pattern, &rest, verbose, system),
        b'O' => types::list_collations(ctx, pattern, verbose, system),
        b'T' => types::describe_types(ctx, pattern, verbose, system),
        b'R' if at(2) == b'p' && verbose => replication::describe_publications(ctx, pattern),
        b'R' if at(2) == b'p' => replication::list_publications(ctx, pattern),
        b'R' if at(2) == b's' => replication::describe_subscriptions(ctx, pattern, verbose),
        b'F' => match at(2) {
            0 | b'+' => text_search::list_ts_configs(ctx, pattern, verbose),
            b'p' => text_search::list_ts_parsers(ctx, pattern, verbose),
            b'd' => text_search::list_ts_dictionaries(ctx, pattern, verbose),
            b't' => text_search::list_ts_templates(ctx, pattern, verbose),
            _ => panic!("not a command of this half: {line}"),
        },
        b'e' => match at(2) {
            b's' => foreign::list_foreign_servers(ctx, pattern, verbose),
            b'u' => foreign::list_user_mappings(ctx, pattern, verbose),
            b'w' => foreign::list_foreign_data_wrappers(ctx, pattern, verbose),
            b't' => foreign::list_foreign_tables(ctx, pattern, verbose),
            _ => panic!("not a command of this half: {line}"),
        },
        b'x' if verbose => extensions::list_extension_contents(ctx, pattern),
        b'x' => extensions::list_extensions(ctx, pattern),
        b'X' => misc::list_extended_stats(ctx, pattern),
        b'y' => misc::list_event_triggers(ctx, pattern, verbose),
        _ => panic!("not a command of this half: {line}"),
    }
}

fn cell_texts(line: &str) -> Vec<String> {
    line.split('|').map(|c| c.trim().to_string()).collect()
}

/// Check one print call against the table block psql printed for it; `Err` says what differs.
fn check_block(printed: &Printed, block: &str, results: &[PgResult]) -> Result<(), String> {
    let lines: Vec<&str> = block.lines().collect();
    let (title, headers, footers, default_footer, ntuples) = match printed {
        Printed::Query {
            result,
            opt,
            ntuples,
            fnames,
        } => {
            if results.get(*result).map(PgResult::ntuples) != Some(*ntuples) {
                return Err(format!("printed a result that is not a query's: {result}"));
            }
            if !opt.null_print.is_empty() {
                return Err("psql prints NULL as empty here".into());
            }
            (
                opt.title.clone(),
                fnames.clone(),
                opt.footers.clone(),
                opt.topt.default_footer,
                *ntuples,
            )
        }
        Printed::Table {
            title,
            headers,
            cells,
            footers,
        } => {
            let data = lines
                .iter()
                .position(|l| l.contains("-+-"))
                .and_then(|i| lines.get(i + 1))
                .ok_or("no data row")?;
            if cell_texts(data) != *cells {
                return Err(format!("cells {cells:?}, psql printed {data:?}"));
            }
            (title.clone(), headers.clone(), footers.clone(), true, 1)
        }
    };
    let title = title.ok_or("no title")?;
    let title_lines: Vec<&str> = title.lines().collect();
    let printed_title: Vec<&str> = lines
        .iter()
        .take(title_lines.len())
        .map(|l| l.trim())
        .collect();
    if printed_title != title_lines {
        return Err(format!("title {title:?}, psql printed {printed_title:?}"));
    }
    let header_line = lines.get(title_lines.len()).ok_or("no header line")?;
    if cell_texts(header_line) != headers {
        return Err(format!("headers {headers:?}, psql printed {header_line:?}"));
    }
    let last = lines.last().copied().unwrap_or("");
    match footers {
        Some(footers) => {
            let tail = &lines[lines.len().saturating_sub(footers.len())..];
            if tail != footers.iter().map(String::as_str).collect::<Vec<_>>() {
                return Err(format!("footers {footers:?}, psql printed {tail:?}"));
            }
        }
        None if default_footer => {
            let expected = if ntuples == 1 {
                "(1 row)".to_string()
            } else {
                format!("({ntuples} rows)")
            };
            if last != expected {
                return Err(format!(
                    "default footer {expected:?}, psql printed {last:?}"
                ));
            }
        }
        None => {
            if last.starts_with('(') && last.ends_with(")") && last.contains(" row") {
                return Err(format!("no footer, psql printed {last:?}"));
            }
        }
    }
    Ok(())
}

/// Commands whose output holds sizes that may change between psql's run and the capture of its queries'
/// results (their titles, headers and footers are still compared).
const VOLATILE: [&str; 3] = ["\\l+", "\\l+ desc2zoo", "\\db+"];

/// Run every command of a transcript; the mismatches, one line each.
fn replay(transcript: &str) -> (usize, Vec<String>) {
    let (sversion, commands) = parse_transcript(transcript);
    let mut failures = Vec::new();
    for captured in &commands {
        let mut ctx = ReplayCtx::new(sversion, captured);
        let ok = dispatch(&mut ctx, &captured.command);
        let c = &captured.command;
        if ctx.sent != captured.queries {
            let first = ctx
                .sent
                .iter()
                .zip(&captured.queries)
                .position(|(a, b)| a != b)
                .unwrap_or(ctx.sent.len().min(captured.queries.len()));
            failures.push(format!(
                "{c}: query {first} differs:\n--- pgsh\n{:?}\n--- psql\n{:?}",
                ctx.sent.get(first),
                captured.queries.get(first)
            ));
            continue;
        }
        if ok != (captured.status == 0) {
            failures.push(format!(
                "{c}: returned {ok}, psql exited {}",
                captured.status
            ));
        }
        let errors: String = ctx.errors.iter().map(|e| format!("{e}\n")).collect();
        if errors != captured.stderr {
            failures.push(format!(
                "{c}: errors {errors:?}, psql: {:?}",
                captured.stderr
            ));
        }
        let rendered = String::from_utf8_lossy(&ctx.rendered);
        if rendered != captured.printed && !VOLATILE.contains(&c.as_str()) {
            failures.push(format!(
                "{c}: printed\n{rendered}--- psql printed\n{}",
                captured.printed
            ));
        }
        let blocks: Vec<&str> = captured
            .printed
            .split("\n\n")
            .filter(|b| !b.trim().is_empty())
            .collect();
        if blocks.len() != ctx.printed.len() {
            failures.push(format!(
                "{c}: printed {} tables, psql {}",
                ctx.printed.len(),
                blocks.len()
            ));
            continue;
        }
        for (printed, block) in ctx.printed.iter().zip(&blocks) {
            if let Err(e) = check_block(printed, block, &ctx.results) {
                failures.push(format!("{c}: {e}"));
            }
        }
    }
    (commands.len(), failures)
}

#[test]
fn psql15_on_a_15_server() {
    let (n, failures) = replay(include_str!("testdata/lists_psql15_pg15.txt"));
    assert!(n > 150, "the transcript holds every command ({n})");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn psql17_on_a_17_server() {
    let (n, failures) = replay(include_str!("testdata/lists_psql17_pg17.txt"));
    assert!(n > 150, "the transcript holds every command ({n})");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A context for servers no transcript covers: every query answers with no rows.
fn empty_ctx(sversion: i32) -> ReplayCtx {
    ReplayCtx {
        settings: Settings {
            sversion,
            ..Settings::default()
        },
        noexec: false,
        answer_empty: true,
        results: Vec::new(),
        sent: Vec::new(),
        printed: Vec::new(),
        rendered: Vec::new(),
        errors: Vec::new(),
    }
}

/// For the older servers the expectations come from psql 15's describe.c itself (no older server here):
/// the branch each version takes, and the messages it prints.
mod older_servers {
    use super::*;

    fn run(sversion: i32, command: &str) -> (bool, Vec<String>, Vec<String>) {
        let mut ctx = empty_ctx(sversion);
        let ok = dispatch(&mut ctx, command);
        (ok, ctx.sent, ctx.errors)
    }

    #[test]
    fn features_a_server_lacks_are_reported_and_not_queried() {
        for (version, command, message) in [
            (
                90500,
                "\\dA",
                "The server (version 9.5) does not support access methods.",
            ),
            (
                90600,
                "\\dX",
                "The server (version 9.6) does not support extended statistics.",
            ),
            (
                90600,
                "\\dRp",
                "The server (version 9.6) does not support publications.",
            ),
            (
                90600,
                "\\dRp+",
                "The server (version 9.6) does not support publications.",
            ),
            (
                90600,
                "\\dRs",
                "The server (version 9.6) does not support subscriptions.",
            ),
            (
                90200,
                "\\dy",
                "The server (version 9.2) does not support event triggers.",
            ),
            (
                100000,
                "\\dfp",
                "\\df does not take a \"p\" option with server version 10",
            ),
        ] {
            let (ok, sent, errors) = run(version, command);
            assert!(ok, "{command} succeeds as in psql");
            assert!(sent.is_empty(), "{command} sends nothing");
            assert_eq!(errors, vec![message.to_string()], "{command}");
        }
    }

    #[test]
    fn pre_11_functions_use_proisagg_and_proiswindow() {
        let (ok, sent, _) = run(100000, "\\dfa");
        assert!(ok);
        assert!(
            sent[0].contains("  WHEN p.proisagg THEN 'agg'\n"),
            "{}",
            sent[0]
        );
        assert!(
            sent[0].contains("WHERE (\n       p.proisagg\n      )\n"),
            "{}",
            sent[0]
        );
        let (_, sent, _) = run(100000, "\\dfn");
        assert!(
            sent[0].contains("WHERE NOT p.proisagg\n      AND p.prorettype <> 'pg_catalog.trigger'::pg_catalog.regtype\n      AND NOT p.proiswindow\n"),
            "{}",
            sent[0]
        );
        // Without a "p" letter a pre-11 server has no procedures to show.
        let (_, sent, _) = run(100000, "\\df");
        assert!(!sent[0].contains("prokind"), "{}", sent[0]);
        let (_, sent, _) = run(90500, "\\df+");
        assert!(!sent[0].contains("Parallel"), "{}", sent[0]);
        assert!(
            sent[0].contains(",\n p.prosrc as \"Source code\""),
            "{}",
            sent[0]
        );
        let (_, sent, _) = run(100000, "\\da");
        assert!(sent[0].contains("WHERE p.proisagg\n"), "{}", sent[0]);
    }

    #[test]
    fn pre_15_locale_columns() {
        let (_, sent, _) = run(140000, "\\l");
        assert!(
            sent[0].contains(
                "       NULL as \"ICU Locale\",\n       'libc' AS \"Locale Provider\",\n"
            ),
            "{}",
            sent[0]
        );
        let (_, sent, _) = run(110000, "\\dO");
        assert!(
            sent[0].contains(",\n       c.collcollate AS \"ICU Locale\",\n       CASE c.collprovider WHEN 'd' THEN 'default' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Provider\",\n       'yes' AS \"Deterministic?\""),
            "{}",
            sent[0]
        );
        let (_, sent, _) = run(90600, "\\dO");
        assert!(
            sent[0].contains(",\n       'libc' AS \"Provider\""),
            "{}",
            sent[0]
        );
    }

    #[test]
    fn pre_15_schemas_have_no_publication_footers() {
        let (ok, sent, _) = run(140000, "\\dn zoo");
        assert!(ok);
        assert_eq!(sent.len(), 1, "{sent:?}");
    }

    #[test]
    fn older_publications_and_subscriptions() {
        let (_, sent, _) = run(100000, "\\dRp");
        assert!(!sent[0].contains("pubtruncate") && !sent[0].contains("pubviaroot"));
        let (_, sent, _) = run(120000, "\\dRp");
        assert!(sent[0].contains("pubtruncate") && !sent[0].contains("pubviaroot"));
        let (_, sent, _) = run(130000, "\\dRs+");
        assert!(
            sent[0].contains(",  subpublications AS \"Publication\"\n,  subsynccommit AS \"Synchronous commit\"\n,  subconninfo AS \"Conninfo\"\nFROM"),
            "{}",
            sent[0]
        );
        let (_, sent, _) = run(140000, "\\dRs+");
        assert!(
            sent[0].contains(
                ", subbinary AS \"Binary\"\n, substream AS \"Streaming\"\n,  subsynccommit"
            ),
            "{}",
            sent[0]
        );
    }

    #[test]
    fn older_extended_statistics_list_the_columns_themselves() {
        let (_, sent, _) = run(110000, "\\dX");
        assert!(
            sent[0].contains("pg_catalog.unnest(es.stxkeys)"),
            "{}",
            sent[0]
        );
        assert!(!sent[0].contains("MCV"), "{}", sent[0]);
        let (_, sent, _) = run(130000, "\\dX");
        assert!(sent[0].contains("END AS \"MCV\" "), "{}", sent[0]);
    }
}

#[test]
fn null_display_applies_from_psql_17_on() {
    for (version, shown) in [(150018, ""), (170011, "(null)")] {
        let mut ctx = empty_ctx(version);
        ctx.settings.popt.null_print = "(null)".into();
        let opt = crate::psql::describe::listing::query_opt(&ctx, "t", &[]);
        assert_eq!(opt.null_print, shown, "server {version}");
    }
}

#[test]
fn quiet_hides_not_found_messages() {
    let text = include_str!("testdata/lists_psql15_pg15.txt");
    let (sversion, commands) = parse_transcript(text);
    for command in [
        "\\dF+ nothing",
        "\\dFp+ nothing",
        "\\dx+ nothing",
        "\\dRp+ nothing",
    ] {
        let captured = commands
            .iter()
            .find(|c| c.command == command)
            .expect("in the transcript");
        let mut ctx = ReplayCtx::new(sversion, captured);
        ctx.settings.quiet = true;
        assert!(!dispatch(&mut ctx, command), "{command} fails");
        assert!(ctx.errors.is_empty(), "{command}: {:?}", ctx.errors);
        assert!(!captured.stderr.is_empty(), "psql did report {command}");
    }
}
