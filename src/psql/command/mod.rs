//! Backslash commands (`command.c`): the ONE dispatcher every input source uses (`HandleSlashCmds` and
//! `exec_command`), reading each command's options with psql's lexer. Commands live in files by family;
//! to add one, see `docs/ARCHITECTURE.md`.

pub mod basic;
mod cmd;
pub mod cond;
mod condstack;
pub mod conn;
pub mod describe;
pub mod edit;
pub mod large_obj;
mod password;
pub mod query;

use crate::psql::engine::Engine;
use crate::psql::scan::{PsqlScanState, SlashOptionType};
pub use cmd::{BackslashResult, Cmd, EngineCallbacks};
pub use condstack::{CondStack, IfState};

fn is_branching_command(cmd: &str) -> bool {
    matches!(cmd, "if" | "elif" | "else" | "endif")
}

/// `HandleSlashCmds`: read the command name after the backslash, run it, then deal with the rest of its
/// arguments (extra ones are warned about; after an error the rest of the line is dropped).
pub fn handle_slash_cmds(
    e: &mut Engine,
    scan: &mut PsqlScanState,
    cstack: &mut CondStack,
    query_buf: Option<&mut String>,
    previous_buf: Option<&mut String>,
) -> BackslashResult {
    let name = scan.slash_command();
    let mut c = Cmd {
        e,
        scan,
        cstack,
        query_buf,
        previous_buf,
        name: name.clone(),
    };
    let mut status = if c.e.restricted && name != "unrestrict" {
        c.e.log_error("backslash commands are restricted; only \\unrestrict is allowed");
        BackslashResult::Error
    } else {
        exec_command(&mut c)
    };
    if status == BackslashResult::Unknown {
        c.e.log_error(&format!("invalid command \\{name}"));
        if c.e.set.cur_cmd_interactive {
            c.e.log_info("Try \\? for help.");
        }
        status = BackslashResult::Error;
    }
    if status != BackslashResult::Error {
        // Eat the remaining arguments, without running backquoted commands in them.
        let active = c.cstack.active();
        c.cstack.push(IfState::Ignored);
        while let Some((arg, _)) = c.option(SlashOptionType::Normal, false) {
            if active {
                c.e.log_warning(&format!("\\{name}: extra argument \"{arg}\" ignored"));
            }
        }
        c.cstack.pop();
    } else {
        // Silently throw away the rest of the line after a failed command.
        while c.option(SlashOptionType::WholeLine, false).is_some() {}
    }
    c.scan.slash_command_end();
    let _ = std::io::Write::flush(&mut c.e.out);
    status
}

/// `exec_command`: run the command named `c.name`. Every command that sends the query buffer sends the
/// previous query when the buffer is empty (`\g` after a query re-runs it).
fn exec_command(c: &mut Cmd<'_>) -> BackslashResult {
    let status = dispatch(c);
    if status == BackslashResult::Send {
        c.copy_previous_query();
    }
    status
}

fn dispatch(c: &mut Cmd<'_>) -> BackslashResult {
    let active = c.active();
    let cmd = c.name.clone();
    if c.e.set.cur_cmd_interactive && !active && !is_branching_command(&cmd) {
        c.e.log_warning(&format!(
            "\\{cmd} command ignored; use \\endif or Ctrl-C to exit current \\if block"
        ));
    }
    match cmd.as_str() {
        "a" | "C" | "f" | "H" | "html" | "t" | "T" | "x" => basic::exec_pset_shortcut(c),
        "c" | "connect" => conn::exec_connect(c),
        "cd" => basic::exec_cd(c),
        "conninfo" => conn::exec_conninfo(c),
        s if s.eq_ignore_ascii_case("copy") => query::exec_copy(c),
        "copyright" => basic::exec_copyright(c),
        "crosstabview" => query::exec_crosstabview(c),
        s if s.starts_with('d') => describe::exec_d(c),
        "e" | "edit" => edit::exec_edit(c),
        "ef" => edit::exec_ef_ev(c, true),
        "ev" => edit::exec_ef_ev(c, false),
        "echo" | "qecho" | "warn" => basic::exec_echo(c),
        "elif" => cond::exec_elif(c),
        "else" => cond::exec_else(c),
        "endif" => cond::exec_endif(c),
        "encoding" => basic::exec_encoding(c),
        "errverbose" => basic::exec_errverbose(c),
        "g" | "gx" => query::exec_g(c),
        "bind" => query::exec_bind(c),
        "gdesc" => query::exec_gdesc(c),
        "getenv" => basic::exec_getenv(c),
        "gexec" => query::exec_gexec(c),
        "gset" => query::exec_gset(c),
        "h" | "help" => basic::exec_help(c),
        "i" | "include" | "ir" | "include_relative" => basic::exec_include(c),
        "if" => cond::exec_if(c),
        "l" | "list" | "l+" | "list+" => describe::exec_list(c),
        s if s.starts_with("lo_") => describe::exec_lo(c),
        "o" | "out" => basic::exec_out(c),
        "p" | "print" => basic::exec_print(c),
        "password" => password::exec_password(c),
        "prompt" => basic::exec_prompt(c),
        "pset" => basic::exec_pset(c),
        "q" | "quit" => basic::exec_quit(c),
        "r" | "reset" => basic::exec_reset(c),
        "restrict" => basic::exec_restrict(c),
        "s" => basic::exec_s(c),
        "set" => basic::exec_set(c),
        "setenv" => basic::exec_setenv(c),
        "sf" | "sf+" => describe::exec_sf_sv(c, true),
        "sv" | "sv+" => describe::exec_sf_sv(c, false),
        "timing" => basic::exec_timing(c),
        "unrestrict" => basic::exec_unrestrict(c),
        "unset" => basic::exec_unset(c),
        "w" | "write" => basic::exec_write(c),
        "watch" => query::exec_watch(c),
        "z" => describe::exec_z(c),
        "!" => basic::exec_shell_escape(c),
        "?" => basic::exec_slash_help(c),
        _ => {
            // pgsh's own commands (the extension lives in the engine: take it out while it runs).
            match c.e.ext.take() {
                Some(mut ext) if ext.has_command(&c.name) => {
                    let args = if c.active() {
                        c.opt(SlashOptionType::WholeLine, false).unwrap_or_default()
                    } else {
                        c.ignore_options();
                        String::new()
                    };
                    let ok = !c.active() || ext.command(c.e, &c.name, &args);
                    c.e.ext = Some(ext);
                    Cmd::status(ok)
                }
                ext => {
                    c.e.ext = ext;
                    BackslashResult::Unknown
                }
            }
        }
    }
}
