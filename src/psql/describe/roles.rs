//! Roles: `\du` / `\dg` (describe.c's `describeRoles`, with `add_role_attribute`) and `\drds`
//! (`listDbRoleSettings`).

use crate::output::content::{Align, TableContent};
use crate::psql::ctx::Ctx;
use crate::psql::describe::table::atoi;
use crate::psql::describe::validate_sql_name_pattern;
use crate::psql::pattern::PatternQuery;

/// A pattern on one name column, without schema or visibility rule.
fn name_pattern(have_where: bool, namevar: &str) -> PatternQuery<'_> {
    PatternQuery {
        have_where,
        force_escape: false,
        schemavar: None,
        namevar: Some(namevar),
        altnamevar: None,
        visibilityrule: None,
        want_dbname: false,
    }
}

/// `describeRoles` (`\du[S+] [pattern]`, `\dg`): roles with their attributes and memberships. Without S
/// or a pattern, the predefined `pg_` roles are left out.
pub fn describe_roles(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    verbose: bool,
    show_system: bool,
) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(concat!(
        "SELECT r.rolname, r.rolsuper, r.rolinherit,\n",
        "  r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,\n",
        "  r.rolconnlimit, r.rolvaliduntil,\n",
        "  ARRAY(SELECT b.rolname\n",
        "        FROM pg_catalog.pg_auth_members m\n",
        "        JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid)\n",
        "        WHERE m.member = r.oid) as memberof"
    ));
    if verbose {
        buf.push_str("\n, pg_catalog.shobj_description(r.oid, 'pg_authid') AS description");
    }
    buf.push_str("\n, r.rolreplication");
    if sversion >= 90500 {
        buf.push_str("\n, r.rolbypassrls");
    }
    buf.push_str("\nFROM pg_catalog.pg_roles r\n");
    if !show_system && pattern.is_none() {
        buf.push_str("WHERE r.rolname !~ '^pg_'\n");
    }
    if validate_sql_name_pattern(ctx, &mut buf, pattern, name_pattern(false, "r.rolname"), 1)
        .is_err()
    {
        return false;
    }
    buf.push_str("ORDER BY 1;");

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let mut myopt = ctx.settings().popt.topt.clone();
    myopt.default_footer = false;

    let nrows = res.ntuples();
    let mut cont = TableContent::new(Some("List of roles"), nrows);
    cont.add_header("Role name", Align::Left);
    cont.add_header("Attributes", Align::Left);
    // Implicit memberships (of superusers, of pg_database_owner) are not shown.
    cont.add_header("Member of", Align::Left);
    if verbose {
        cont.add_header("Description", Align::Left);
    }
    // Columns after the optional description move by one.
    let shift = usize::from(verbose);
    for i in 0..nrows {
        let t = |col| res.get_value(i, col) == "t";
        cont.add_cell(res.get_value(i, 0));

        let mut attrs = String::new();
        if t(1) {
            add_role_attribute(&mut attrs, "Superuser");
        }
        if !t(2) {
            add_role_attribute(&mut attrs, "No inheritance");
        }
        if t(3) {
            add_role_attribute(&mut attrs, "Create role");
        }
        if t(4) {
            add_role_attribute(&mut attrs, "Create DB");
        }
        if !t(5) {
            add_role_attribute(&mut attrs, "Cannot login");
        }
        if t(9 + shift) {
            add_role_attribute(&mut attrs, "Replication");
        }
        if sversion >= 90500 && t(10 + shift) {
            add_role_attribute(&mut attrs, "Bypass RLS");
        }
        let conns = atoi(res.get_value(i, 6));
        if conns >= 0 {
            if !attrs.is_empty() {
                attrs.push('\n');
            }
            if conns == 0 {
                attrs.push_str("No connections");
            } else if conns == 1 {
                attrs.push_str("1 connection");
            } else {
                attrs.push_str(&format!("{conns} connections"));
            }
        }
        let valid_until = res.get_value(i, 7);
        if !valid_until.is_empty() {
            if !attrs.is_empty() {
                attrs.push('\n');
            }
            attrs.push_str("Password valid until ");
            attrs.push_str(valid_until);
        }
        cont.add_cell(&attrs);
        cont.add_cell(res.get_value(i, 8));
        if verbose {
            cont.add_cell(res.get_value(i, 9));
        }
    }
    ctx.print_table_opt(&cont, &myopt);
    true
}

/// `add_role_attribute`: append one attribute to a role's list, comma-separated.
pub fn add_role_attribute(buf: &mut String, attribute: &str) {
    if !buf.is_empty() {
        buf.push_str(", ");
    }
    buf.push_str(attribute);
}

/// `listDbRoleSettings` (`\drds [role-pattern [database-pattern]]`): per-role and per-database settings.
pub fn list_db_role_settings(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    pattern2: Option<&str>,
) -> bool {
    let mut buf = String::from(concat!(
        "SELECT rolname AS \"Role\", datname AS \"Database\",\n",
        "pg_catalog.array_to_string(setconfig, E'\\n') AS \"Settings\"\n",
        "FROM pg_catalog.pg_db_role_setting s\n",
        "LEFT JOIN pg_catalog.pg_database d ON d.oid = setdatabase\n",
        "LEFT JOIN pg_catalog.pg_roles r ON r.oid = setrole\n"
    ));
    let Ok(havewhere) =
        validate_sql_name_pattern(ctx, &mut buf, pattern, name_pattern(false, "r.rolname"), 1)
    else {
        return false;
    };
    if validate_sql_name_pattern(
        ctx,
        &mut buf,
        pattern2,
        name_pattern(havewhere, "d.datname"),
        1,
    )
    .is_err()
    {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    // Unlike most lists, an empty one is an error message (outside quiet mode): the user may have mixed
    // up which pattern is which.
    if res.ntuples() == 0 && !ctx.settings().quiet {
        match (pattern, pattern2) {
            (Some(p), Some(p2)) => ctx.error(&format!(
                "Did not find any settings for role \"{p}\" and database \"{p2}\"."
            )),
            (Some(p), None) => ctx.error(&format!("Did not find any settings for role \"{p}\".")),
            _ => ctx.error("Did not find any settings."),
        }
    } else {
        let mut myopt = ctx.settings().popt.clone();
        myopt.null_print = String::new();
        myopt.title = Some("List of settings".into());
        myopt.translate_header = true;
        ctx.print_query(&res, &myopt);
    }
    true
}
