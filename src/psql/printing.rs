//! Printing results and tables where psql prints them (`PrintQueryTuples`, `printTable` with
//! `PageOutput`): to the query output or a `\g` target, through the pager when the table is longer than the
//! terminal, and to the `-L` log.

use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};

use crate::db::pgresult::PgResult;
use crate::output::content::Table;
use crate::output::opts::{PrintQueryOpt, PrintTableOpt};
use crate::output::pager::{page_output, pager_command, pager_lines};
use crate::output::print::{print_table, PrintTarget};
use crate::output::query::QueryTable;
use crate::psql::engine::Engine;
use crate::psql::output::Out;

fn cancelled() -> bool {
    crate::interrupt::is_set()
}

/// What printing to `out` means (psql's `isatty`/`ioctl` on the stream).
pub fn target_for(out: &Out, is_pager: bool) -> PrintTarget {
    let is_terminal = out.is_terminal();
    PrintTarget {
        is_pager,
        is_terminal,
        term_columns: if is_terminal || is_pager {
            crate::term::size().map(|(cols, _)| cols as u32)
        } else {
            None
        },
        cancelled,
    }
}

/// Print `t` with `opt` to the query output (or `to`), paging when psql would.
fn print_paged(e: &mut Engine, t: &dyn Table, opt: &PrintTableOpt, to: Option<&mut Out>) {
    let mut log = e.log.take();
    let log_w = log.as_mut().map(|l| l as &mut dyn Write);
    match to {
        Some(out) => {
            let target = target_for(out, false);
            let _ = print_table(t, opt, out, &target, log_w);
            let _ = out.flush();
        }
        None => {
            let target = target_for(&e.out, false);
            let paged = pager_lines(t, opt, &target).is_some_and(|lines| {
                page_output(
                    lines,
                    opt,
                    std::io::stdin().is_terminal(),
                    std::io::stdout().is_terminal(),
                    crate::term::size().map(|(_, rows)| rows as u16),
                )
            });
            let mut done = false;
            if paged {
                if let Some(cmd) = pager_command(
                    std::env::var("PSQL_PAGER").ok().as_deref(),
                    std::env::var("PAGER").ok().as_deref(),
                ) {
                    let _ = e.out.flush();
                    if let Ok(mut child) = Command::new("/bin/sh")
                        .arg("-c")
                        .arg(&cmd)
                        .stdin(Stdio::piped())
                        .spawn()
                    {
                        if let Some(mut stdin) = child.stdin.take() {
                            let pager_target = PrintTarget {
                                is_pager: true,
                                ..target
                            };
                            let _ = print_table(t, opt, &mut stdin, &pager_target, log_w);
                            if crate::interrupt::is_set() {
                                let _ = stdin.write_all(b"Interrupted\n");
                            }
                        }
                        let _ = child.wait();
                        done = true;
                    }
                }
            }
            if !done {
                let mut log = log.as_mut().map(|l| l as &mut dyn Write);
                if paged {
                    // The pager could not be started: print as usual.
                    log = None;
                }
                let _ = print_table(t, opt, &mut e.out, &target, log);
                let _ = e.out.flush();
            }
        }
    }
    e.log = log;
}

/// `printQuery` of a result to the query output (or `to`), with these options.
pub fn print_query(e: &mut Engine, res: &PgResult, opt: &PrintQueryOpt, to: Option<&mut Out>) {
    let table = QueryTable::new(
        res,
        opt,
        &crate::output::numeric_locale::NumericLocale::default(),
    );
    print_paged(e, &table, &opt.topt, to);
}

/// `printTable` with these table options.
pub fn print_table_opt(e: &mut Engine, t: &dyn Table, opt: &PrintTableOpt) {
    print_paged(e, t, opt, None);
}

/// `PrintResultInCrosstab` (`\crosstabview`).
pub fn print_crosstab(e: &mut Engine, res: &PgResult) -> bool {
    let args: Vec<Option<String>> = e.once.ctv_args.to_vec();
    let refs: Vec<Option<&str>> = args.iter().map(|a| a.as_deref()).collect();
    let popt = e.set.popt.clone();
    match crate::psql::crosstab::crosstab_view(res, &refs, &popt) {
        Ok(t) => {
            print_paged(e, &t, &popt.topt, None);
            true
        }
        Err(msg) => {
            e.log_error(&msg);
            false
        }
    }
}
