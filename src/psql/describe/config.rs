//! `\dconfig` (describe.c's `describeConfigurationParameters`): server parameters matching a pattern, or
//! those not at their defaults.

use crate::psql::ctx::Ctx;
use crate::psql::describe::print_acl_column;
use crate::psql::pattern::{process_sql_name_pattern, PatternQuery};

/// `describeConfigurationParameters` (`\dconfig[+] [pattern]`).
pub fn describe_configuration_parameters(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    verbose: bool,
    _show_system: bool,
) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(
        "SELECT s.name AS \"Parameter\", pg_catalog.current_setting(s.name) AS \"Value\"",
    );
    if verbose {
        buf.push_str(", s.vartype AS \"Type\", s.context AS \"Context\", ");
        if sversion >= 150000 {
            print_acl_column(&mut buf, "p.paracl");
        } else {
            buf.push_str("NULL AS \"Access privileges\"");
        }
    }
    buf.push_str("\nFROM pg_catalog.pg_settings s\n");
    if verbose && sversion >= 150000 {
        buf.push_str(concat!(
            "  LEFT JOIN pg_catalog.pg_parameter_acl p\n",
            "  ON pg_catalog.lower(s.name) = p.parname\n"
        ));
    }
    match pattern {
        Some(_) => {
            // No check of dotted parts: a dot belongs to names such as plpgsql.variable_conflict.
            let q = PatternQuery {
                have_where: false,
                force_escape: false,
                schemavar: None,
                namevar: Some("pg_catalog.lower(s.name)"),
                altnamevar: None,
                visibilityrule: None,
                want_dbname: false,
            };
            let std_strings = ctx.std_strings();
            process_sql_name_pattern(&mut buf, pattern, q, sversion, std_strings);
        }
        None => buf.push_str(concat!(
            "WHERE s.source <> 'default' AND\n",
            "      s.setting IS DISTINCT FROM s.boot_val\n"
        )),
    }
    buf.push_str("ORDER BY 1;");

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let mut myopt = ctx.settings().popt.clone();
    myopt.null_print = String::new();
    myopt.title = Some(
        if pattern.is_some() {
            "List of configuration parameters"
        } else {
            "List of non-default configuration parameters"
        }
        .into(),
    );
    myopt.translate_header = true;
    ctx.print_query(&res, &myopt);
    true
}
