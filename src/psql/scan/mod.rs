//! psql's input lexers (`fe_utils/psqlscan.l`, `psql/psqlscanslash.l`): the scan state shared by the SQL
//! lexer and the backslash-command lexer, its input stack (the line plus variable values being expanded),
//! and the callbacks through which the engine supplies variables, backquote commands and messages.
//!
//! The engine drives this exactly as `mainloop.c` and `command.c` drive the flex scanners:
//! [`PsqlScanState::setup`] with one line (or chunk), [`PsqlScanState::scan`] until it reports the end of
//! the line, with [`PsqlScanState::slash_command`], [`PsqlScanState::slash_option`] and
//! [`PsqlScanState::slash_command_end`] in between whenever it returns [`ScanResult::Backslash`], then
//! [`PsqlScanState::finish`]. The lexer never prints and never spawns anything: everything the flex code
//! did through `pg_log_*`, `popen` or `psql_get_variable` goes through [`ScanCallbacks`].
//!
//! Input is UTF-8 text. psql scans bytes in the client encoding; for UTF-8 its rules put every byte of a
//! multibyte character in the same token, so scanning by bytes and cutting only at ASCII bytes never splits
//! a character.

mod quote;
mod slash;
mod sql;
mod state;
mod strtokx;

#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod slash_tests;
#[cfg(test)]
mod sql_tests;
#[cfg(test)]
mod test_driver;

pub use quote::{quote_value, QuoteType};
#[cfg(test)]
pub use state::NoCallbacks;
pub use state::{PromptStatus, PsqlScanState, ScanCallbacks, ScanResult, SlashOptionType};
pub use strtokx::{strip_quotes, Strtokx};
