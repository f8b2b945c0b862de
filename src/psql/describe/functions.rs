//! `\da` (aggregates), `\df` (functions, with psql's kind letters and argument-type patterns) and `\do`
//! (operators, with argument-type patterns): `describeAggregates`, `describeFunctions` and
//! `describeOperators` of psql's describe.c.

use crate::psql::ctx::Ctx;
use crate::psql::describe::listing::{acl_column, pq, query_opt, PSQL17};
use crate::psql::describe::types::map_typename_pattern;
use crate::psql::describe::validate_sql_name_pattern;
use crate::psql::varsync::format_pg_version_number;

/// `\da[S+] [pattern]`.
pub fn describe_aggregates(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    _verbose: bool,
    show_system: bool,
) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(
        "SELECT n.nspname as \"Schema\",\n\
         \x20 p.proname AS \"Name\",\n\
         \x20 pg_catalog.format_type(p.prorettype, NULL) AS \"Result data type\",\n\
         \x20 CASE WHEN p.pronargs = 0\n\
         \x20   THEN CAST('*' AS pg_catalog.text)\n\
         \x20   ELSE pg_catalog.pg_get_function_arguments(p.oid)\n\
         \x20 END AS \"Argument data types\",\n",
    );
    buf.push_str(
        "  pg_catalog.obj_description(p.oid, 'pg_proc') as \"Description\"\n\
         FROM pg_catalog.pg_proc p\n\
         \x20    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n",
    );
    buf.push_str(if sversion >= 110000 {
        "WHERE p.prokind = 'a'\n"
    } else {
        "WHERE p.proisagg\n"
    });
    if !show_system && pattern.is_none() {
        buf.push_str(
            "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n",
        );
    }
    let q = pq(
        true,
        false,
        Some("n.nspname"),
        "p.proname",
        None,
        Some("pg_catalog.pg_function_is_visible(p.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2, 4;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of aggregate functions", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// Appends `WHERE ` or `      AND ` before one more condition on the function's kind.
fn kind_condition(buf: &mut String, have_where: &mut bool, condition: &str) {
    if *have_where {
        buf.push_str("      AND ");
    } else {
        buf.push_str("WHERE ");
        *have_where = true;
    }
    buf.push_str(condition);
}

/// The argument-type patterns of `\df` and `\do`, matched against the joined `t{i}`/`nt{i}` aliases like
/// `\dT` does (internal or external type name); `-` means "no such argument".
fn arg_type_patterns(ctx: &mut dyn Ctx, buf: &mut String, arg_patterns: &[&str]) -> bool {
    for (i, arg) in arg_patterns.iter().enumerate() {
        if *arg == "-" {
            buf.push_str(&format!("  AND t{i}.typname IS NULL\n"));
            continue;
        }
        let nspname = format!("nt{i}.nspname");
        let typname = format!("t{i}.typname");
        let ft = format!("pg_catalog.format_type(t{i}.oid, NULL)");
        let tiv = format!("pg_catalog.pg_type_is_visible(t{i}.oid)");
        let q = pq(true, false, Some(&nspname), &typname, Some(&ft), Some(&tiv));
        let pattern = map_typename_pattern(Some(arg));
        if validate_sql_name_pattern(ctx, buf, pattern, q, 3).is_err() {
            return false;
        }
    }
    true
}

/// `\df[anptwS+] [pattern [arg_pattern ...]]`. `functypes` is the text after `\df` (kind letters, `S`,
/// `+`); with no kind letter every kind is listed.
pub fn describe_functions(
    ctx: &mut dyn Ctx,
    functypes: &str,
    func_pattern: Option<&str>,
    arg_patterns: &[&str],
    verbose: bool,
    show_system: bool,
) -> bool {
    let sversion = ctx.settings().sversion;
    let mut show_aggregate = functypes.contains('a');
    let mut show_normal = functypes.contains('n');
    let mut show_procedure = functypes.contains('p');
    let mut show_trigger = functypes.contains('t');
    let mut show_window = functypes.contains('w');
    const TRANSLATE: [bool; 13] = [
        false, false, false, false, true, true, true, false, true, false, false, false, false,
    ];
    // No "Parallel" column before 9.6.
    const TRANSLATE_PRE_96: [bool; 12] = [
        false, false, false, false, true, true, false, true, false, false, false, false,
    ];

    if !functypes.chars().all(|c| "anptwS+".contains(c)) {
        ctx.error("\\df only takes [anptwS+] as options");
        return true;
    }
    if show_procedure && sversion < 110000 {
        let version = format_pg_version_number(sversion, false);
        ctx.error(&format!(
            "\\df does not take a \"p\" option with server version {version}"
        ));
        return true;
    }
    if !show_aggregate && !show_normal && !show_procedure && !show_trigger && !show_window {
        show_aggregate = true;
        show_normal = true;
        show_trigger = true;
        show_window = true;
        if sversion >= 110000 {
            show_procedure = true;
        }
    }

    let mut buf = String::from("SELECT n.nspname as \"Schema\",\n  p.proname as \"Name\",\n");
    if sversion >= 110000 {
        buf.push_str(
            "  pg_catalog.pg_get_function_result(p.oid) as \"Result data type\",\n\
             \x20 pg_catalog.pg_get_function_arguments(p.oid) as \"Argument data types\",\n\
             \x20CASE p.prokind\n\
             \x20 WHEN 'a' THEN 'agg'\n\
             \x20 WHEN 'w' THEN 'window'\n\
             \x20 WHEN 'p' THEN 'proc'\n\
             \x20 ELSE 'func'\n\
             \x20END as \"Type\"",
        );
    } else {
        buf.push_str(
            "  pg_catalog.pg_get_function_result(p.oid) as \"Result data type\",\n\
             \x20 pg_catalog.pg_get_function_arguments(p.oid) as \"Argument data types\",\n\
             \x20CASE\n\
             \x20 WHEN p.proisagg THEN 'agg'\n\
             \x20 WHEN p.proiswindow THEN 'window'\n\
             \x20 WHEN p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype THEN 'trigger'\n\
             \x20 ELSE 'func'\n\
             \x20END as \"Type\"",
        );
    }
    if verbose {
        buf.push_str(
            ",\n CASE\n\
             \x20 WHEN p.provolatile = 'i' THEN 'immutable'\n\
             \x20 WHEN p.provolatile = 's' THEN 'stable'\n\
             \x20 WHEN p.provolatile = 'v' THEN 'volatile'\n\
             \x20END as \"Volatility\"",
        );
        if sversion >= 90600 {
            buf.push_str(
                ",\n CASE\n\
                 \x20 WHEN p.proparallel = 'r' THEN 'restricted'\n\
                 \x20 WHEN p.proparallel = 's' THEN 'safe'\n\
                 \x20 WHEN p.proparallel = 'u' THEN 'unsafe'\n\
                 \x20END as \"Parallel\"",
            );
        }
        buf.push_str(
            ",\n pg_catalog.pg_get_userbyid(p.proowner) as \"Owner\"\
             ,\n CASE WHEN prosecdef THEN 'definer' ELSE 'invoker' END AS \"Security\"",
        );
        buf.push_str(",\n ");
        acl_column(&mut buf, "p.proacl", sversion);
        buf.push_str(",\n l.lanname as \"Language\"");
        if sversion >= PSQL17 {
            // psql 17 shows the internal name of C and internal functions instead of the source code.
            buf.push_str(
                ",\n CASE WHEN l.lanname IN ('internal', 'c') THEN p.prosrc END as \"Internal name\"",
            );
        } else if sversion >= 140000 {
            buf.push_str(
                ",\n COALESCE(pg_catalog.pg_get_function_sqlbody(p.oid), p.prosrc) as \"Source code\"",
            );
        } else {
            buf.push_str(",\n p.prosrc as \"Source code\"");
        }
        buf.push_str(",\n pg_catalog.obj_description(p.oid, 'pg_proc') as \"Description\"");
    }
    buf.push_str(
        "\nFROM pg_catalog.pg_proc p\
         \n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n",
    );
    for i in 0..arg_patterns.len() {
        buf.push_str(&format!(
            "     LEFT JOIN pg_catalog.pg_type t{i} ON t{i}.oid = p.proargtypes[{i}]\n\
             \x20    LEFT JOIN pg_catalog.pg_namespace nt{i} ON nt{i}.oid = t{i}.typnamespace\n"
        ));
    }
    if verbose {
        buf.push_str("     LEFT JOIN pg_catalog.pg_language l ON l.oid = p.prolang\n");
    }

    let mut have_where = false;
    if show_normal && show_aggregate && show_procedure && show_trigger && show_window {
        // Every kind: no filter.
    } else if show_normal {
        if !show_aggregate {
            let cond = if sversion >= 110000 {
                "p.prokind <> 'a'\n"
            } else {
                "NOT p.proisagg\n"
            };
            kind_condition(&mut buf, &mut have_where, cond);
        }
        if !show_procedure && sversion >= 110000 {
            kind_condition(&mut buf, &mut have_where, "p.prokind <> 'p'\n");
        }
        if !show_trigger {
            kind_condition(
                &mut buf,
                &mut have_where,
                "p.prorettype <> 'pg_catalog.trigger'::pg_catalog.regtype\n",
            );
        }
        if !show_window {
            let cond = if sversion >= 110000 {
                "p.prokind <> 'w'\n"
            } else {
                "NOT p.proiswindow\n"
            };
            kind_condition(&mut buf, &mut have_where, cond);
        }
    } else {
        let mut needs_or = false;
        buf.push_str("WHERE (\n       ");
        have_where = true;
        // At least one of these is asked for.
        if show_aggregate {
            buf.push_str(if sversion >= 110000 {
                "p.prokind = 'a'\n"
            } else {
                "p.proisagg\n"
            });
            needs_or = true;
        }
        if show_trigger {
            if needs_or {
                buf.push_str("       OR ");
            }
            buf.push_str("p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype\n");
            needs_or = true;
        }
        if show_procedure {
            if needs_or {
                buf.push_str("       OR ");
            }
            buf.push_str("p.prokind = 'p'\n");
            needs_or = true;
        }
        if show_window {
            if needs_or {
                buf.push_str("       OR ");
            }
            buf.push_str(if sversion >= 110000 {
                "p.prokind = 'w'\n"
            } else {
                "p.proiswindow\n"
            });
        }
        buf.push_str("      )\n");
    }

    let q = pq(
        have_where,
        false,
        Some("n.nspname"),
        "p.proname",
        None,
        Some("pg_catalog.pg_function_is_visible(p.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, func_pattern, q, 3).is_err() {
        return false;
    }
    if !arg_type_patterns(ctx, &mut buf, arg_patterns) {
        return false;
    }
    if !show_system && func_pattern.is_none() {
        buf.push_str(
            "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n",
        );
    }
    buf.push_str("ORDER BY 1, 2, 4;");

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let translate: &[bool] = if sversion >= 90600 {
        &TRANSLATE
    } else {
        &TRANSLATE_PRE_96
    };
    let opt = query_opt(ctx, "List of functions", translate);
    ctx.print_query(&res, &opt);
    true
}

/// `\do[S+] [pattern [arg_pattern [arg_pattern]]]`: one argument pattern matches a prefix operator's
/// right argument, two match left and right; more are ignored.
pub fn describe_operators(
    ctx: &mut dyn Ctx,
    oper_pattern: Option<&str>,
    arg_patterns: &[&str],
    verbose: bool,
    show_system: bool,
) -> bool {
    // The coalesce() falls back to the comment on the operator's function, the convention before 9.1 that
    // third-party modules may still follow; the postfix-operator cases serve pre-14 servers.
    let mut buf = String::from(
        "SELECT n.nspname as \"Schema\",\n\
         \x20 o.oprname AS \"Name\",\n\
         \x20 CASE WHEN o.oprkind='l' THEN NULL ELSE pg_catalog.format_type(o.oprleft, NULL) END AS \"Left arg type\",\n\
         \x20 CASE WHEN o.oprkind='r' THEN NULL ELSE pg_catalog.format_type(o.oprright, NULL) END AS \"Right arg type\",\n\
         \x20 pg_catalog.format_type(o.oprresult, NULL) AS \"Result type\",\n",
    );
    if verbose {
        buf.push_str("  o.oprcode AS \"Function\",\n");
    }
    buf.push_str(
        "  coalesce(pg_catalog.obj_description(o.oid, 'pg_operator'),\n\
         \x20          pg_catalog.obj_description(o.oprcode, 'pg_proc')) AS \"Description\"\n\
         FROM pg_catalog.pg_operator o\n\
         \x20    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace\n",
    );
    let arg_patterns = &arg_patterns[..arg_patterns.len().min(2)];
    if arg_patterns.len() == 2 {
        buf.push_str(
            "     LEFT JOIN pg_catalog.pg_type t0 ON t0.oid = o.oprleft\n\
             \x20    LEFT JOIN pg_catalog.pg_namespace nt0 ON nt0.oid = t0.typnamespace\n\
             \x20    LEFT JOIN pg_catalog.pg_type t1 ON t1.oid = o.oprright\n\
             \x20    LEFT JOIN pg_catalog.pg_namespace nt1 ON nt1.oid = t1.typnamespace\n",
        );
    } else if arg_patterns.len() == 1 {
        buf.push_str(
            "     LEFT JOIN pg_catalog.pg_type t0 ON t0.oid = o.oprright\n\
             \x20    LEFT JOIN pg_catalog.pg_namespace nt0 ON nt0.oid = t0.typnamespace\n",
        );
    }
    let hide_system = !show_system && oper_pattern.is_none();
    if hide_system {
        buf.push_str(
            "WHERE n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n",
        );
    }
    let q = pq(
        hide_system,
        true,
        Some("n.nspname"),
        "o.oprname",
        None,
        Some("pg_catalog.pg_operator_is_visible(o.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, oper_pattern, q, 3).is_err() {
        return false;
    }
    if arg_patterns.len() == 1 {
        buf.push_str("  AND o.oprleft = 0\n");
    }
    if !arg_type_patterns(ctx, &mut buf, arg_patterns) {
        return false;
    }
    buf.push_str("ORDER BY 1, 2, 3, 4;");

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of operators", &[]);
    ctx.print_query(&res, &opt);
    true
}
