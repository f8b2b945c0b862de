//! psql's main loop (`mainloop.c`'s `MainLoop` and `command.c`'s `process_file`): read lines from an
//! input, scan them into statements and backslash commands, send each statement when it is complete, run
//! each command, honour `\if` branches, ON_ERROR_STOP, `-a` echo, single-line and single-step modes.

use crate::psql::command::{handle_slash_cmds, BackslashResult, CondStack, EngineCallbacks};
use crate::psql::engine::{Claimed, Engine};
use crate::psql::input::{Input, ReadLine};
use crate::psql::paths::canonicalize_path;
use crate::psql::scan::{PromptStatus, PsqlScanState, ScanResult};
use crate::psql::settings::Echo;

pub const EXIT_SUCCESS: i32 = 0;
pub const EXIT_FAILURE: i32 = 1;
pub const EXIT_BADCONN: i32 = 2;
pub const EXIT_USER: i32 = 3;

/// `MainLoop(source)`: run everything `input` holds; returns psql's exit code for it.
pub fn main_loop(e: &mut Engine, input: Box<dyn Input>) -> i32 {
    let interactive = input.is_terminal() && !e.set.notty;
    e.inputs.push(input);
    let prev_interactive = e.set.cur_cmd_interactive;
    let prev_lineno = e.set.lineno;
    e.set.cur_cmd_interactive = interactive;
    e.set.lineno = 0;
    e.set.stmt_lineno = 1;
    let code = run(e, interactive);
    e.inputs.pop();
    e.set.cur_cmd_interactive = prev_interactive;
    e.set.lineno = prev_lineno;
    code
}

fn read_line(e: &mut Engine, prompt: &str) -> ReadLine {
    match e.inputs.last_mut() {
        Some(i) => i.read_line(prompt),
        None => ReadLine::Eof,
    }
}

/// What the interactive-only words at the start of a line ask for (`help`, `exit`, `quit`, `\q`).
fn special_word(line: &str) -> Option<(&'static str, bool)> {
    let lower = line.get(..4).map(str::to_ascii_lowercase);
    let (word, rest) = match lower.as_deref() {
        Some("help") => ("help", &line[4..]),
        Some("exit") | Some("quit") => ("exit", &line[4..]),
        _ if line.starts_with("\\q") => ("\\q", &line[2..]),
        _ => return None,
    };
    // Only the word, optionally followed by `;`, counts.
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(';').unwrap_or(rest).trim_start();
    Some((word, rest.is_empty()))
}

fn run(e: &mut Engine, interactive: bool) -> i32 {
    let mut scan = PsqlScanState::new();
    let mut cstack = CondStack::new();
    let mut query_buf = String::new();
    let mut previous_buf = String::new();
    let mut history_buf = String::new();
    let mut result = EXIT_SUCCESS;
    let mut slash_status = BackslashResult::Unknown;
    let mut prompt_status = PromptStatus::Ready;
    let mut count_eof = 0;
    let mut die_on_error = false;
    let mut success;
    while result == EXIT_SUCCESS {
        if crate::interrupt::is_set() {
            if !interactive {
                result = EXIT_USER;
                break;
            }
            crate::interrupt::clear();
        }
        let _ = std::io::Write::flush(&mut e.out);
        let line = if interactive {
            if query_buf.is_empty() {
                prompt_status = PromptStatus::Ready;
            }
            e.extension_before_prompt(&query_buf, &previous_buf);
            let prompt = crate::psql::promptfacts::prompt(e, prompt_status, cstack.active());
            let prompt = e.extension_prompt(prompt);
            e.extension_waiting_for_input();
            match read_line(e, &prompt) {
                ReadLine::Interrupted => {
                    // Ctrl-C at the prompt: drop the statement being typed.
                    scan.finish();
                    scan.reset();
                    query_buf.clear();
                    history_buf.clear();
                    count_eof = 0;
                    slash_status = BackslashResult::Unknown;
                    prompt_status = PromptStatus::Ready;
                    e.set.stmt_lineno = 1;
                    crate::interrupt::clear();
                    e.stdout("\n");
                    if !cstack.is_empty() {
                        e.log_error("\\if: escaped");
                        cstack.pop();
                    }
                    continue;
                }
                other => other,
            }
        } else {
            read_line(e, "")
        };
        let mut line = match line {
            ReadLine::Line(l) => l,
            ReadLine::Invalid => {
                e.set.lineno += 1;
                e.log_error("invalid byte sequence for encoding \"UTF8\" in the input (pgsh reads SQL as UTF-8 text; convert the file, e.g. with iconv)");
                if !interactive && e.set.on_error_stop {
                    result = EXIT_USER;
                    break;
                }
                continue;
            }
            ReadLine::Interrupted | ReadLine::Eof => {
                if interactive {
                    count_eof += 1;
                    if count_eof < e.set.ignoreeof {
                        if !e.set.quiet {
                            let text = format!("Use \"\\q\" to leave {}.\n", e.set.progname);
                            e.stdout(&text);
                        }
                        continue;
                    }
                    if !e.extension_confirm_quit() {
                        count_eof = 0;
                        continue;
                    }
                    let text = if e.set.quiet { "\n" } else { "\\q\n" };
                    e.stdout(text);
                }
                break;
            }
        };
        count_eof = 0;
        e.set.lineno += 1;
        if e.set.lineno == 1 {
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                line = rest.to_string();
            }
            if !interactive && line.starts_with("PGDMP") {
                e.stdout("The input is a PostgreSQL custom-format dump.\nUse the pg_restore command-line client to restore this dump to a database.\n\n");
                result = EXIT_FAILURE;
                break;
            }
        }
        if line.is_empty() && !scan.in_quote() {
            continue;
        }
        if interactive {
            if let Some((word, alone)) = special_word(&line) {
                if alone {
                    match word {
                        "help" if query_buf.is_empty() => {
                            e.stdout("You are using psql, the command-line interface to PostgreSQL.\nType:  \\copyright for distribution terms\n       \\h for help with SQL commands\n       \\? for help with psql commands\n       \\g or terminate with semicolon to execute query\n       \\q to quit\n");
                            continue;
                        }
                        "help" => {
                            e.stdout(
                                "Use \\? for help or press control-C to clear the input buffer.\n",
                            );
                        }
                        "exit" if query_buf.is_empty() => {
                            if !e.extension_confirm_quit() {
                                continue;
                            }
                            result = EXIT_SUCCESS;
                            break;
                        }
                        "exit" => {
                            if matches!(
                                prompt_status,
                                PromptStatus::Ready | PromptStatus::Continue | PromptStatus::Paren
                            ) {
                                e.stdout("Use \\q to quit.\n");
                            } else {
                                e.stdout("Use control-D to quit.\n");
                            }
                        }
                        _ => {
                            if !query_buf.is_empty()
                                && !matches!(
                                    prompt_status,
                                    PromptStatus::Ready
                                        | PromptStatus::Continue
                                        | PromptStatus::Paren
                                )
                            {
                                e.stdout("Use control-D to quit.\n");
                            }
                        }
                    }
                }
            }
        }
        if e.set.echo == Echo::All && !interactive {
            e.stdout(&format!("{line}\n"));
        }
        // pgsh's REPL and piped stdin: a line that starts a statement may be Rhai, which the extension
        // reads to its end and runs itself.
        if query_buf.is_empty()
            && !scan.in_quote()
            && scan.paren_depth() == 0
            && cstack.active()
            && e.current_input_is_mixed()
        {
            match e.extension_claim(&line) {
                None => {}
                Some(Claimed::Ran(_)) => continue,
                Some(Claimed::Exit(code)) => {
                    result = code;
                    slash_status = BackslashResult::Terminate;
                    break;
                }
                Some(Claimed::Failed(code)) => {
                    if !interactive && e.set.on_error_stop {
                        result = code;
                        break;
                    }
                    continue;
                }
            }
        }
        let mut added_nl_pos: Option<usize> = None;
        if !query_buf.is_empty() {
            query_buf.push('\n');
            added_nl_pos = Some(query_buf.len());
        }
        die_on_error = e.set.on_error_stop;
        let std_strings = e.std_strings;
        scan.setup(&line, std_strings);
        success = true;
        let mut line_in_history = false;
        // The exit code `exit(n)` in Rhai that `\e` came back with asked for.
        let mut edited_exit = None;
        while success || !die_on_error {
            let pos = query_buf.len();
            let (scan_result, status) = {
                let active = cstack.active();
                let mut cb = EngineCallbacks { e: &mut *e, active };
                scan.scan(&mut query_buf, &mut cb)
            };
            prompt_status = status;
            e.set.stmt_lineno += query_buf[pos..].matches('\n').count() as u64;
            if scan_result == ScanResult::Eol {
                e.set.stmt_lineno += 1;
            }
            if scan_result == ScanResult::Semicolon
                || (scan_result == ScanResult::Eol && e.set.singleline)
            {
                if interactive && !line_in_history {
                    append_history(&mut history_buf, &line);
                    send_history(e, &mut history_buf);
                    line_in_history = true;
                }
                if cstack.active() {
                    success = crate::psql::exec::send_query(e, &query_buf);
                    if !success && e.current_input_is_mixed() {
                        e.extension_query_failed(&query_buf);
                    }
                    slash_status = if success {
                        BackslashResult::Send
                    } else {
                        BackslashResult::Error
                    };
                    e.set.stmt_lineno = 1;
                    std::mem::swap(&mut previous_buf, &mut query_buf);
                    query_buf.clear();
                    added_nl_pos = None;
                } else {
                    if interactive {
                        e.log_error(
                            "query ignored; use \\endif or Ctrl-C to exit current \\if block",
                        );
                    }
                    success = true;
                    slash_status = BackslashResult::Send;
                    e.set.stmt_lineno = 1;
                }
            } else if scan_result == ScanResult::Backslash {
                // A newline added just before the backslash command is not part of the query.
                if added_nl_pos == Some(query_buf.len()) {
                    query_buf.pop();
                    send_history(e, &mut history_buf);
                }
                added_nl_pos = None;
                if interactive && !line_in_history {
                    append_history(&mut history_buf, &line);
                    send_history(e, &mut history_buf);
                    line_in_history = true;
                }
                slash_status = handle_slash_cmds(
                    e,
                    &mut scan,
                    &mut cstack,
                    Some(&mut query_buf),
                    Some(&mut previous_buf),
                );
                success = slash_status != BackslashResult::Error;
                e.set.stmt_lineno = 1;
                match slash_status {
                    BackslashResult::Send => {
                        success = crate::psql::exec::send_query(e, &query_buf);
                        if !success && e.current_input_is_mixed() {
                            e.extension_query_failed(&query_buf);
                        }
                        std::mem::swap(&mut previous_buf, &mut query_buf);
                        query_buf.clear();
                        scan.reset();
                    }
                    BackslashResult::NewEdit => {
                        if !query_buf.is_empty() && !query_buf.ends_with('\n') {
                            query_buf.push('\n');
                        }
                        scan.finish();
                        // pgsh's REPL: edited Rhai runs as Rhai (and goes into the history there).
                        if e.current_input_is_mixed() && cstack.active() {
                            if let Some(claimed) = e.extension_claim_edited(&query_buf) {
                                query_buf.clear();
                                scan.reset();
                                line_in_history = true;
                                success = !matches!(claimed, Claimed::Failed(_));
                                if let Claimed::Exit(code) = claimed {
                                    edited_exit = Some(code);
                                    slash_status = BackslashResult::Terminate;
                                }
                                break;
                            }
                        }
                        line = std::mem::take(&mut query_buf);
                        scan.reset();
                        scan.setup(&line, e.std_strings);
                        line_in_history = false;
                        prompt_status = PromptStatus::Ready;
                    }
                    // pgsh asks before a quit would roll back an open transaction.
                    BackslashResult::Terminate if interactive && !e.extension_confirm_quit() => {
                        slash_status = BackslashResult::SkipLine;
                    }
                    BackslashResult::Terminate => break,
                    _ => {}
                }
            }
            if e.lost && !interactive {
                break;
            }
            if matches!(scan_result, ScanResult::Incomplete | ScanResult::Eol) {
                break;
            }
        }
        if interactive {
            if !line_in_history {
                append_history(&mut history_buf, &line);
            }
            if query_buf.is_empty() {
                send_history(e, &mut history_buf);
            }
        }
        scan.finish();
        if slash_status == BackslashResult::Terminate {
            result = edited_exit.unwrap_or(EXIT_SUCCESS);
            break;
        }
        if !interactive {
            if !success && die_on_error {
                result = EXIT_USER;
            } else if e.db.is_none() || e.lost {
                result = EXIT_BADCONN;
            }
        }
    }
    // A statement left unterminated at the end of a file is sent, as psql does.
    if !query_buf.is_empty() && !interactive && result == EXIT_SUCCESS {
        if cstack.active() {
            success = crate::psql::exec::send_query(e, &query_buf);
        } else {
            success = true;
        }
        if !success && die_on_error {
            result = EXIT_USER;
        } else if e.db.is_none() || e.lost {
            result = EXIT_BADCONN;
        }
    }
    if slash_status != BackslashResult::Terminate && result != EXIT_USER && !cstack.is_empty() {
        e.log_error("reached EOF without finding closing \\endif(s)");
        if die_on_error && !interactive {
            result = EXIT_USER;
        }
    }
    result
}

/// `pg_append_history`: the line joins the history entry being built.
fn append_history(history_buf: &mut String, line: &str) {
    history_buf.push_str(line);
    if !line.ends_with('\n') {
        history_buf.push('\n');
    }
}

/// `pg_send_history`: the entry goes into the line editor's history.
fn send_history(e: &mut Engine, history_buf: &mut String) {
    let entry = history_buf.trim_end_matches('\n').to_string();
    history_buf.clear();
    if !entry.is_empty() {
        e.add_history(&entry);
    }
}

/// `process_file`: run a file (`-f`, `\i`, `\ir`; `-` is stdin). Relative to the current file's
/// directory when `relative` (`\ir`) and a file is being read.
pub fn process_file(e: &mut Engine, filename: &str, relative: bool) -> i32 {
    let (input, name): (Box<dyn Input>, String) = if filename == "-" {
        let stdin = crate::psql::input::ReaderInput::new(std::io::BufReader::new(std::io::stdin()))
            .marked_stdin(false);
        (Box::new(stdin), "<stdin>".to_string())
    } else {
        let mut path = canonicalize_path(filename);
        if relative && !path.starts_with('/') {
            if let Some(current) = &e.set.inputfile {
                let dir = std::path::Path::new(current)
                    .parent()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if !dir.is_empty() {
                    path = canonicalize_path(&format!("{dir}/{path}"));
                }
            }
        }
        if let Some(ran) = e.extension_include(&path) {
            return ran;
        }
        match std::fs::File::open(&path) {
            Ok(f) => (
                Box::new(crate::psql::input::ReaderInput::new(
                    std::io::BufReader::with_capacity(256 * 1024, f),
                )),
                path,
            ),
            Err(err) => {
                e.log_error(&format!("{path}: {}", crate::psql::output::os_error(&err)));
                return EXIT_FAILURE;
            }
        }
    };
    let old = e.set.inputfile.replace(name);
    e.terse = false;
    let code = main_loop(e, input);
    e.set.inputfile = old;
    e.terse = e.set.inputfile.is_none();
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interactive_words() {
        assert_eq!(special_word("help"), Some(("help", true)));
        assert_eq!(special_word("QUIT ;"), Some(("exit", true)));
        assert_eq!(special_word("exit now"), Some(("exit", false)));
        assert_eq!(special_word("\\q"), Some(("\\q", true)));
        assert_eq!(special_word("select"), None);
    }
}
