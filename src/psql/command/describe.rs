//! The describe family (`exec_command_d` and friends of `command.c`): `\d…`, `\l`, `\z`, `\sf`, `\sv` and
//! the large-object commands `\lo_…` (whose work is in [`super::large_obj`]). The catalog queries are
//! `crate::psql::describe`'s; this file reads each command's options as psql does and picks the query.

use std::io::Write;

use super::cmd::{BackslashResult, Cmd};
use crate::psql::describe as d;
use crate::psql::describe::source::SourceError;
use crate::psql::engine::Engine;
use crate::psql::scan::SlashOptionType;

/// Which describe function a `\d…` command runs (`exec_command_d`'s switch).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DCommand {
    /// `\d`, `\d+`, `\dS`: a table's details with a pattern, else `listTables("tvmsE")`.
    TableDetails,
    AccessMethods,
    OperatorClasses,
    OperatorFamilies,
    OpFamilyOperators,
    OpFamilyFunctions,
    Aggregates,
    Tablespaces,
    Config,
    Conversions,
    Casts,
    DefaultAcls,
    ObjectDescription,
    Domains,
    /// `\df…`: the letters after `df` go to `describeFunctions`.
    Functions(String),
    Operators,
    Roles,
    LargeObjects,
    Languages,
    Schemas,
    Collations,
    Permissions,
    /// `\dP…`: the letters after `dP`.
    PartitionedTables(String),
    Types,
    /// `\dt`, `\di`, …: the letters after `d`.
    Tables(String),
    DbRoleSettings,
    Publications,
    DescribePublications,
    Subscriptions,
    TsConfigs,
    TsParsers,
    TsDictionaries,
    TsTemplates,
    ForeignServers,
    UserMappings,
    ForeignDataWrappers,
    ForeignTables,
    Extensions,
    ExtensionContents,
    ExtendedStats,
    EventTriggers,
    /// Not a command psql knows (it still reads the options it would have read).
    Unknown,
}

/// The options a `\d…` command reads after its pattern (only when a pattern was given).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoreOptions {
    None,
    /// One more pattern (`\dA?`'s type or family pattern, `\drds`'s database pattern).
    One,
    /// Every remaining option: `\df` and `\do` argument-type patterns.
    All,
}

/// `exec_command_d`'s dispatch: what `\<cmd>` runs and which further options it reads. `cmd` is the
/// command name without the backslash, starting with `d`.
pub fn d_command(cmd: &str) -> (DCommand, MoreOptions) {
    use DCommand as D;
    let b = cmd.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let verbose = cmd.contains('+');
    let rest = |i: usize| cmd.get(i..).unwrap_or("").to_string();
    let one = |c: D| (c, MoreOptions::None);
    match at(1) {
        0 | b'+' | b'S' => one(D::TableDetails),
        b'A' => {
            // psql reads the second pattern before it looks at the letter (also for an unknown one).
            let more = if at(2) != 0 && at(2) != b'+' {
                MoreOptions::One
            } else {
                MoreOptions::None
            };
            let c = match at(2) {
                0 | b'+' => D::AccessMethods,
                b'c' => D::OperatorClasses,
                b'f' => D::OperatorFamilies,
                b'o' => D::OpFamilyOperators,
                b'p' => D::OpFamilyFunctions,
                _ => D::Unknown,
            };
            (c, more)
        }
        b'a' => one(D::Aggregates),
        b'b' => one(D::Tablespaces),
        b'c' if cmd.starts_with("dconfig") => one(D::Config),
        b'c' => one(D::Conversions),
        b'C' => one(D::Casts),
        b'd' if cmd.starts_with("ddp") => one(D::DefaultAcls),
        b'd' => one(D::ObjectDescription),
        b'D' => one(D::Domains),
        b'f' => match at(2) {
            0 | b'+' | b'S' | b'a' | b'n' | b'p' | b't' | b'w' => {
                (D::Functions(rest(2)), MoreOptions::All)
            }
            _ => one(D::Unknown),
        },
        b'g' | b'u' => one(D::Roles),
        b'l' => one(D::LargeObjects),
        b'L' => one(D::Languages),
        b'n' => one(D::Schemas),
        b'o' => (D::Operators, MoreOptions::All),
        b'O' => one(D::Collations),
        b'p' => one(D::Permissions),
        b'P' => match at(2) {
            0 | b'+' | b't' | b'i' | b'n' => one(D::PartitionedTables(rest(2))),
            _ => one(D::Unknown),
        },
        b'T' => one(D::Types),
        b't' | b'v' | b'm' | b'i' | b's' | b'E' => one(D::Tables(rest(1))),
        b'r' if at(2) == b'd' && at(3) == b's' => (D::DbRoleSettings, MoreOptions::One),
        b'r' => one(D::Unknown),
        b'R' => match at(2) {
            b'p' if verbose => one(D::DescribePublications),
            b'p' => one(D::Publications),
            b's' => one(D::Subscriptions),
            _ => one(D::Unknown),
        },
        b'F' => match at(2) {
            0 | b'+' => one(D::TsConfigs),
            b'p' => one(D::TsParsers),
            b'd' => one(D::TsDictionaries),
            b't' => one(D::TsTemplates),
            _ => one(D::Unknown),
        },
        b'e' => match at(2) {
            b's' => one(D::ForeignServers),
            b'u' => one(D::UserMappings),
            b'w' => one(D::ForeignDataWrappers),
            b't' => one(D::ForeignTables),
            _ => one(D::Unknown),
        },
        b'x' if verbose => one(D::ExtensionContents),
        b'x' => one(D::Extensions),
        b'X' => one(D::ExtendedStats),
        b'y' => one(D::EventTriggers),
        _ => one(D::Unknown),
    }
}

/// `\d…`.
pub fn exec_d(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let cmd = c.name.clone();
    // psql does no SQL-identifier reduction on the pattern.
    let pattern = c.opt(SlashOptionType::Normal, true);
    let verbose = cmd.contains('+');
    let system = cmd.contains('S');
    let (what, more) = d_command(&cmd);
    let mut extra: Vec<String> = Vec::new();
    if pattern.is_some() {
        match more {
            MoreOptions::None => {}
            MoreOptions::One => extra.extend(c.opt(SlashOptionType::Normal, true)),
            MoreOptions::All => {
                // FUNC_MAX_ARGS bounds psql's array; further options stay for HandleSlashCmds to warn about.
                while extra.len() < 100 {
                    match c.opt(SlashOptionType::Normal, true) {
                        Some(ap) => extra.push(ap),
                        None => break,
                    }
                }
            }
        }
    }
    let p = pattern.as_deref();
    let p2 = extra.first().map(String::as_str);
    let args: Vec<&str> = extra.iter().map(String::as_str).collect();
    let e: &mut Engine = c.e;
    use DCommand as D;
    let success = match what {
        D::TableDetails => match p {
            Some(_) => d::table::describe_table_details(e, p, verbose, system),
            None => d::list::list_tables(e, "tvmsE", None, verbose, system),
        },
        D::AccessMethods => d::access_methods::describe_access_methods(e, p, verbose),
        D::OperatorClasses => d::access_methods::list_operator_classes(e, p, p2, verbose),
        D::OperatorFamilies => d::access_methods::list_operator_families(e, p, p2, verbose),
        D::OpFamilyOperators => d::access_methods::list_op_family_operators(e, p, p2, verbose),
        D::OpFamilyFunctions => d::access_methods::list_op_family_functions(e, p, p2, verbose),
        D::Aggregates => d::functions::describe_aggregates(e, p, verbose, system),
        D::Tablespaces => d::databases::describe_tablespaces(e, p, verbose),
        D::Config => d::config::describe_configuration_parameters(e, p, verbose, system),
        D::Conversions => d::misc::list_conversions(e, p, verbose, system),
        D::Casts => d::types::list_casts(e, p, verbose),
        D::DefaultAcls => d::acl::list_default_acls(e, p),
        D::ObjectDescription => d::comments::object_description(e, p, system),
        D::Domains => d::types::list_domains(e, p, verbose, system),
        D::Functions(types) => {
            d::functions::describe_functions(e, &types, p, &args, verbose, system)
        }
        D::Operators => d::functions::describe_operators(e, p, &args, verbose, system),
        D::Roles => d::roles::describe_roles(e, p, verbose, system),
        D::LargeObjects => d::misc::list_large_objects(e, verbose),
        D::Languages => d::misc::list_languages(e, p, verbose, system),
        D::Schemas => d::databases::list_schemas(e, p, verbose, system),
        D::Collations => d::types::list_collations(e, p, verbose, system),
        D::Permissions => d::acl::permissions_list(e, p),
        D::PartitionedTables(types) => d::list::list_partitioned_tables(e, &types, p, verbose),
        D::Types => d::types::describe_types(e, p, verbose, system),
        D::Tables(types) => d::list::list_tables(e, &types, p, verbose, system),
        D::DbRoleSettings => d::roles::list_db_role_settings(e, p, p2),
        D::Publications => d::replication::list_publications(e, p),
        D::DescribePublications => d::replication::describe_publications(e, p),
        D::Subscriptions => d::replication::describe_subscriptions(e, p, verbose),
        D::TsConfigs => d::text_search::list_ts_configs(e, p, verbose),
        D::TsParsers => d::text_search::list_ts_parsers(e, p, verbose),
        D::TsDictionaries => d::text_search::list_ts_dictionaries(e, p, verbose),
        D::TsTemplates => d::text_search::list_ts_templates(e, p, verbose),
        D::ForeignServers => d::foreign::list_foreign_servers(e, p, verbose),
        D::UserMappings => d::foreign::list_user_mappings(e, p, verbose),
        D::ForeignDataWrappers => d::foreign::list_foreign_data_wrappers(e, p, verbose),
        D::ForeignTables => d::foreign::list_foreign_tables(e, p, verbose),
        D::Extensions => d::extensions::list_extensions(e, p),
        D::ExtensionContents => d::extensions::list_extension_contents(e, p),
        D::ExtendedStats => d::misc::list_extended_stats(e, p),
        D::EventTriggers => d::misc::list_event_triggers(e, p, verbose),
        D::Unknown => return BackslashResult::Unknown,
    };
    Cmd::status(success)
}

/// `\l[+] [pattern]`.
pub fn exec_list(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let pattern = c.opt(SlashOptionType::Normal, true);
    let verbose = c.name.contains('+');
    Cmd::status(d::databases::list_all_dbs(c.e, pattern.as_deref(), verbose))
}

/// `\z [pattern]`.
pub fn exec_z(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let pattern = c.opt(SlashOptionType::Normal, true);
    Cmd::status(d::acl::permissions_list(c.e, pattern.as_deref()))
}

/// `\lo_import file [comment]`, `\lo_export loid file`, `\lo_list[+]`, `\lo_unlink loid`.
pub fn exec_lo(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let opt1 = c.opt(SlashOptionType::Normal, true);
    let opt2 = c.opt(SlashOptionType::Normal, true);
    let cmd = c.name.clone();
    let success = match (&cmd[3..], opt1, opt2) {
        ("export", Some(loid), Some(file)) => {
            let file = crate::psql::paths::expand_tilde(&file);
            super::large_obj::do_lo_export(c.e, &loid, &file)
        }
        ("import", Some(file), comment) => {
            let file = crate::psql::paths::expand_tilde(&file);
            super::large_obj::do_lo_import(c.e, &file, comment.as_deref())
        }
        ("unlink", Some(loid), _) => super::large_obj::do_lo_unlink(c.e, &loid),
        ("export" | "import" | "unlink", _, _) => {
            return c.missing_argument();
        }
        ("list", _, _) => d::misc::list_large_objects(c.e, false),
        ("list+", _, _) => d::misc::list_large_objects(c.e, true),
        _ => return BackslashResult::Unknown,
    };
    Cmd::status(success)
}

/// `\sf[+] function`, `\sv[+] view`: the object's source, through the pager when psql would use it.
pub fn exec_sf_sv(c: &mut Cmd<'_>, is_func: bool) -> BackslashResult {
    if !c.active() {
        c.ignore_whole_line();
        return BackslashResult::SkipLine;
    }
    let show_linenumbers = c.name.contains('+');
    let obj_desc = c.opt(SlashOptionType::WholeLine, true);
    let kind = if is_func {
        d::source::EditableObject::Function
    } else {
        d::source::EditableObject::View
    };
    // Looked up before numbering, so the pager decision counts the definition's own lines.
    let text = match obj_desc {
        None => Err(SourceError::Message(
            if is_func {
                "function name is required"
            } else {
                "view name is required"
            }
            .to_string(),
        )),
        Some(desc) => d::source::lookup_object_oid(c.e, kind, &desc)
            .and_then(|oid| d::source::get_create_object_cmd(c.e, kind, oid)),
    };
    let text = match text {
        Ok(t) => t,
        Err(SourceError::Message(msg)) => {
            c.e.log_error(&msg);
            return BackslashResult::Error;
        }
        Err(SourceError::NotRun) => return BackslashResult::Error,
    };
    let lines = d::source::count_lines_in_buf(&text);
    let shown = if show_linenumbers {
        d::source::print_with_linenumbers(&text, is_func)
    } else {
        text
    };
    if c.e.out.is_stdout() {
        page_or_print(c.e, &shown, lines);
    } else {
        // A `\o` file or pipe: no pager.
        c.e.query_out(&shown);
    }
    BackslashResult::SkipLine
}

/// psql's `PageOutput(lines, &pset.popt.topt)` then `fputs` and `ClosePager`, for text psql writes to
/// stdout itself: through `$PSQL_PAGER`/`$PAGER` when stdin and stdout are terminals and the text is at
/// least a screenful (or the pager is `always`).
fn page_or_print(e: &mut Engine, text: &str, lines: usize) {
    use std::io::IsTerminal;
    let topt = &e.set.popt.topt;
    let paged = crate::output::pager::page_output(
        i64::try_from(lines).unwrap_or(i64::MAX),
        topt,
        std::io::stdin().is_terminal(),
        std::io::stdout().is_terminal(),
        crate::term::size().map(|(_, rows)| u16::try_from(rows).unwrap_or(u16::MAX)),
    );
    if paged {
        let cmd = crate::output::pager::pager_command(
            std::env::var("PSQL_PAGER").ok().as_deref(),
            std::env::var("PAGER").ok().as_deref(),
        );
        if let Some(cmd) = cmd {
            let _ = e.out.flush();
            if let Ok(mut child) = std::process::Command::new("/bin/sh")
                .arg("-c")
                .arg(&cmd)
                .stdin(std::process::Stdio::piped())
                .spawn()
            {
                if let Some(mut stdin) = child.stdin.take() {
                    let _ = stdin.write_all(text.as_bytes());
                }
                let _ = child.wait();
                return;
            }
        }
    }
    e.query_out(text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use DCommand as D;

    // The expected dispatch is command.c's `exec_command_d` switch, read case by case; which names are
    // unknown was checked against psql 15: `psql -X -c '\dQ'` → "invalid command \dQ", likewise for each
    // name marked Unknown below, while the others run a catalog query.
    #[test]
    fn d_letters_dispatch_as_psql_15() {
        let cases: &[(&str, DCommand, MoreOptions)] = &[
            ("d", D::TableDetails, MoreOptions::None),
            ("d+", D::TableDetails, MoreOptions::None),
            ("dS+", D::TableDetails, MoreOptions::None),
            ("dA", D::AccessMethods, MoreOptions::None),
            ("dA+", D::AccessMethods, MoreOptions::None),
            ("dAc", D::OperatorClasses, MoreOptions::One),
            ("dAf+", D::OperatorFamilies, MoreOptions::One),
            ("dAo", D::OpFamilyOperators, MoreOptions::One),
            ("dAp", D::OpFamilyFunctions, MoreOptions::One),
            ("dAx", D::Unknown, MoreOptions::One),
            ("da", D::Aggregates, MoreOptions::None),
            ("daS", D::Aggregates, MoreOptions::None),
            ("db+", D::Tablespaces, MoreOptions::None),
            ("dc", D::Conversions, MoreOptions::None),
            ("dconfig", D::Config, MoreOptions::None),
            ("dconfig+", D::Config, MoreOptions::None),
            ("dconf", D::Conversions, MoreOptions::None),
            ("dC", D::Casts, MoreOptions::None),
            ("dd", D::ObjectDescription, MoreOptions::None),
            ("ddp", D::DefaultAcls, MoreOptions::None),
            ("dD", D::Domains, MoreOptions::None),
            ("df", D::Functions(String::new()), MoreOptions::All),
            ("dfS+", D::Functions("S+".into()), MoreOptions::All),
            ("dfan", D::Functions("an".into()), MoreOptions::All),
            ("dfw", D::Functions("w".into()), MoreOptions::All),
            ("dfx", D::Unknown, MoreOptions::None),
            ("dg", D::Roles, MoreOptions::None),
            ("du+", D::Roles, MoreOptions::None),
            ("dl", D::LargeObjects, MoreOptions::None),
            ("dL", D::Languages, MoreOptions::None),
            ("dn", D::Schemas, MoreOptions::None),
            ("do", D::Operators, MoreOptions::All),
            ("doS", D::Operators, MoreOptions::All),
            ("dO", D::Collations, MoreOptions::None),
            ("dp", D::Permissions, MoreOptions::None),
            ("dP", D::PartitionedTables(String::new()), MoreOptions::None),
            ("dPt+", D::PartitionedTables("t+".into()), MoreOptions::None),
            ("dPin", D::PartitionedTables("in".into()), MoreOptions::None),
            ("dPS", D::Unknown, MoreOptions::None),
            ("dT", D::Types, MoreOptions::None),
            ("dt", D::Tables("t".into()), MoreOptions::None),
            ("dtvS+", D::Tables("tvS+".into()), MoreOptions::None),
            ("dE", D::Tables("E".into()), MoreOptions::None),
            ("dm", D::Tables("m".into()), MoreOptions::None),
            ("ds", D::Tables("s".into()), MoreOptions::None),
            ("di", D::Tables("i".into()), MoreOptions::None),
            ("dv", D::Tables("v".into()), MoreOptions::None),
            ("drds", D::DbRoleSettings, MoreOptions::One),
            ("dr", D::Unknown, MoreOptions::None),
            ("drd", D::Unknown, MoreOptions::None),
            ("dRp", D::Publications, MoreOptions::None),
            ("dRp+", D::DescribePublications, MoreOptions::None),
            ("dRs+", D::Subscriptions, MoreOptions::None),
            ("dR", D::Unknown, MoreOptions::None),
            ("dF", D::TsConfigs, MoreOptions::None),
            ("dF+", D::TsConfigs, MoreOptions::None),
            ("dFp", D::TsParsers, MoreOptions::None),
            ("dFd+", D::TsDictionaries, MoreOptions::None),
            ("dFt", D::TsTemplates, MoreOptions::None),
            ("dFx", D::Unknown, MoreOptions::None),
            ("des", D::ForeignServers, MoreOptions::None),
            ("deu+", D::UserMappings, MoreOptions::None),
            ("dew", D::ForeignDataWrappers, MoreOptions::None),
            ("det", D::ForeignTables, MoreOptions::None),
            ("de", D::Unknown, MoreOptions::None),
            ("dx", D::Extensions, MoreOptions::None),
            ("dx+", D::ExtensionContents, MoreOptions::None),
            ("dX", D::ExtendedStats, MoreOptions::None),
            ("dy+", D::EventTriggers, MoreOptions::None),
            ("dQ", D::Unknown, MoreOptions::None),
            ("dz", D::Unknown, MoreOptions::None),
        ];
        for (cmd, what, more) in cases {
            assert_eq!(d_command(cmd), (what.clone(), *more), "\\{cmd}");
        }
    }
}
