//! `\dA` (access methods) and its operator-class family of commands: `\dAc` (operator classes), `\dAf`
//! (operator families), `\dAo` (their operators) and `\dAp` (their support functions) — psql's
//! `describeAccessMethods`, `listOperatorClasses`, `listOperatorFamilies`, `listOpFamilyOperators` and
//! `listOpFamilyFunctions`.

use crate::psql::ctx::Ctx;
use crate::psql::describe::listing::{not_supported, pq, query_opt};
use crate::psql::describe::validate_sql_name_pattern;

/// `\dA[+] [pattern]`: access methods (9.6 and later).
pub fn describe_access_methods(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    if ctx.settings().sversion < 90600 {
        return not_supported(ctx, "access methods");
    }
    let mut buf = String::from(
        "SELECT amname AS \"Name\",\n  CASE amtype WHEN 'i' THEN 'Index' WHEN 't' THEN 'Table' END AS \"Type\"",
    );
    if verbose {
        buf.push_str(
            ",\n  amhandler AS \"Handler\",\n  pg_catalog.obj_description(oid, 'pg_am') AS \"Description\"",
        );
    }
    buf.push_str("\nFROM pg_catalog.pg_am\n");
    let q = pq(false, false, None, "amname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of access methods", &[false, true, false, false]);
    ctx.print_query(&res, &opt);
    true
}

/// The access-method pattern of `\dAc`, `\dAf`, `\dAo` and `\dAp`: `Some(added a WHERE)`, `None` after an
/// error was reported.
fn access_method_clause(
    ctx: &mut dyn Ctx,
    buf: &mut String,
    pattern: Option<&str>,
) -> Option<bool> {
    match pattern {
        None => Some(false),
        Some(_) => {
            let q = pq(false, false, None, "am.amname", None, None);
            validate_sql_name_pattern(ctx, buf, pattern, q, 1).ok()
        }
    }
}

/// `\dAc[+] [access_method_pattern [input_type_pattern]]`.
pub fn list_operator_classes(
    ctx: &mut dyn Ctx,
    access_method_pattern: Option<&str>,
    type_pattern: Option<&str>,
    verbose: bool,
) -> bool {
    let mut buf = String::from(
        "SELECT\n\
         \x20 am.amname AS \"AM\",\n\
         \x20 pg_catalog.format_type(c.opcintype, NULL) AS \"Input type\",\n\
         \x20 CASE\n\
         \x20   WHEN c.opckeytype <> 0 AND c.opckeytype <> c.opcintype\n\
         \x20   THEN pg_catalog.format_type(c.opckeytype, NULL)\n\
         \x20   ELSE NULL\n\
         \x20 END AS \"Storage type\",\n\
         \x20 CASE\n\
         \x20   WHEN pg_catalog.pg_opclass_is_visible(c.oid)\n\
         \x20   THEN pg_catalog.format('%I', c.opcname)\n\
         \x20   ELSE pg_catalog.format('%I.%I', n.nspname, c.opcname)\n\
         \x20 END AS \"Operator class\",\n\
         \x20 (CASE WHEN c.opcdefault\n\
         \x20   THEN 'yes'\n\
         \x20   ELSE 'no'\n\
         \x20 END) AS \"Default?\"",
    );
    if verbose {
        buf.push_str(
            ",\n  CASE\n\
             \x20   WHEN pg_catalog.pg_opfamily_is_visible(of.oid)\n\
             \x20   THEN pg_catalog.format('%I', of.opfname)\n\
             \x20   ELSE pg_catalog.format('%I.%I', ofn.nspname, of.opfname)\n\
             \x20 END AS \"Operator family\",\n\
             \x20pg_catalog.pg_get_userbyid(c.opcowner) AS \"Owner\"\n",
        );
    }
    buf.push_str(
        "\nFROM pg_catalog.pg_opclass c\n\
         \x20 LEFT JOIN pg_catalog.pg_am am on am.oid = c.opcmethod\n\
         \x20 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace\n\
         \x20 LEFT JOIN pg_catalog.pg_type t ON t.oid = c.opcintype\n\
         \x20 LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace\n",
    );
    if verbose {
        buf.push_str(
            "  LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = c.opcfamily\n\
             \x20 LEFT JOIN pg_catalog.pg_namespace ofn ON ofn.oid = of.opfnamespace\n",
        );
    }
    let Some(have_where) = access_method_clause(ctx, &mut buf, access_method_pattern) else {
        return false;
    };
    if type_pattern.is_some() {
        // The type's internal or external name.
        let q = pq(
            have_where,
            false,
            Some("tn.nspname"),
            "t.typname",
            Some("pg_catalog.format_type(t.oid, NULL)"),
            Some("pg_catalog.pg_type_is_visible(t.oid)"),
        );
        if validate_sql_name_pattern(ctx, &mut buf, type_pattern, q, 3).is_err() {
            return false;
        }
    }
    buf.push_str("ORDER BY 1, 2, 4;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of operator classes", &[false; 7]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dAf[+] [access_method_pattern [input_type_pattern]]`.
pub fn list_operator_families(
    ctx: &mut dyn Ctx,
    access_method_pattern: Option<&str>,
    type_pattern: Option<&str>,
    verbose: bool,
) -> bool {
    let mut buf = String::from(
        "SELECT\n\
         \x20 am.amname AS \"AM\",\n\
         \x20 CASE\n\
         \x20   WHEN pg_catalog.pg_opfamily_is_visible(f.oid)\n\
         \x20   THEN pg_catalog.format('%I', f.opfname)\n\
         \x20   ELSE pg_catalog.format('%I.%I', n.nspname, f.opfname)\n\
         \x20 END AS \"Operator family\",\n\
         \x20 (SELECT\n\
         \x20    pg_catalog.string_agg(pg_catalog.format_type(oc.opcintype, NULL), ', ')\n\
         \x20  FROM pg_catalog.pg_opclass oc\n\
         \x20  WHERE oc.opcfamily = f.oid) \"Applicable types\"",
    );
    if verbose {
        buf.push_str(",\n  pg_catalog.pg_get_userbyid(f.opfowner) AS \"Owner\"\n");
    }
    buf.push_str(
        "\nFROM pg_catalog.pg_opfamily f\n\
         \x20 LEFT JOIN pg_catalog.pg_am am on am.oid = f.opfmethod\n\
         \x20 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace\n",
    );
    let Some(have_where) = access_method_clause(ctx, &mut buf, access_method_pattern) else {
        return false;
    };
    if type_pattern.is_some() {
        buf.push_str(&format!(
            "  {} EXISTS (\n\
             \x20   SELECT 1\n\
             \x20   FROM pg_catalog.pg_type t\n\
             \x20   JOIN pg_catalog.pg_opclass oc ON oc.opcintype = t.oid\n\
             \x20   LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace\n\
             \x20   WHERE oc.opcfamily = f.oid\n",
            if have_where { "AND" } else { "WHERE" }
        ));
        // The type's internal or external name.
        let q = pq(
            true,
            false,
            Some("tn.nspname"),
            "t.typname",
            Some("pg_catalog.format_type(t.oid, NULL)"),
            Some("pg_catalog.pg_type_is_visible(t.oid)"),
        );
        if validate_sql_name_pattern(ctx, &mut buf, type_pattern, q, 3).is_err() {
            return false;
        }
        buf.push_str("  )\n");
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of operator families", &[false; 4]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dAo[+] [access_method_pattern [operator_family_pattern]]`.
pub fn list_op_family_operators(
    ctx: &mut dyn Ctx,
    access_method_pattern: Option<&str>,
    family_pattern: Option<&str>,
    verbose: bool,
) -> bool {
    let mut buf = String::from(
        "SELECT\n\
         \x20 am.amname AS \"AM\",\n\
         \x20 CASE\n\
         \x20   WHEN pg_catalog.pg_opfamily_is_visible(of.oid)\n\
         \x20   THEN pg_catalog.format('%I', of.opfname)\n\
         \x20   ELSE pg_catalog.format('%I.%I', nsf.nspname, of.opfname)\n\
         \x20 END AS \"Operator family\",\n\
         \x20 o.amopopr::pg_catalog.regoperator AS \"Operator\"\n\
         ,  o.amopstrategy AS \"Strategy\",\n\
         \x20 CASE o.amoppurpose\n\
         \x20   WHEN 'o' THEN 'ordering'\n\
         \x20   WHEN 's' THEN 'search'\n\
         \x20 END AS \"Purpose\"\n",
    );
    if verbose {
        buf.push_str(", ofs.opfname AS \"Sort opfamily\"\n");
    }
    buf.push_str(
        "FROM pg_catalog.pg_amop o\n\
         \x20 LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = o.amopfamily\n\
         \x20 LEFT JOIN pg_catalog.pg_am am ON am.oid = of.opfmethod AND am.oid = o.amopmethod\n\
         \x20 LEFT JOIN pg_catalog.pg_namespace nsf ON of.opfnamespace = nsf.oid\n",
    );
    if verbose {
        buf.push_str("  LEFT JOIN pg_catalog.pg_opfamily ofs ON ofs.oid = o.amopsortfamily\n");
    }
    let Some(have_where) = access_method_clause(ctx, &mut buf, access_method_pattern) else {
        return false;
    };
    if family_pattern.is_some() {
        let q = pq(
            have_where,
            false,
            Some("nsf.nspname"),
            "of.opfname",
            None,
            None,
        );
        if validate_sql_name_pattern(ctx, &mut buf, family_pattern, q, 3).is_err() {
            return false;
        }
    }
    buf.push_str(
        "ORDER BY 1, 2,\n\
         \x20 o.amoplefttype = o.amoprighttype DESC,\n\
         \x20 pg_catalog.format_type(o.amoplefttype, NULL),\n\
         \x20 pg_catalog.format_type(o.amoprighttype, NULL),\n\
         \x20 o.amopstrategy;",
    );
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of operators of operator families", &[false; 6]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dAp[+] [access_method_pattern [operator_family_pattern]]`.
pub fn list_op_family_functions(
    ctx: &mut dyn Ctx,
    access_method_pattern: Option<&str>,
    family_pattern: Option<&str>,
    verbose: bool,
) -> bool {
    let mut buf = String::from(
        "SELECT\n\
         \x20 am.amname AS \"AM\",\n\
         \x20 CASE\n\
         \x20   WHEN pg_catalog.pg_opfamily_is_visible(of.oid)\n\
         \x20   THEN pg_catalog.format('%I', of.opfname)\n\
         \x20   ELSE pg_catalog.format('%I.%I', ns.nspname, of.opfname)\n\
         \x20 END AS \"Operator family\",\n\
         \x20 pg_catalog.format_type(ap.amproclefttype, NULL) AS \"Registered left type\",\n\
         \x20 pg_catalog.format_type(ap.amprocrighttype, NULL) AS \"Registered right type\",\n\
         \x20 ap.amprocnum AS \"Number\"\n",
    );
    if verbose {
        buf.push_str(", ap.amproc::pg_catalog.regprocedure AS \"Function\"\n");
    } else {
        buf.push_str(", p.proname AS \"Function\"\n");
    }
    buf.push_str(
        "FROM pg_catalog.pg_amproc ap\n\
         \x20 LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = ap.amprocfamily\n\
         \x20 LEFT JOIN pg_catalog.pg_am am ON am.oid = of.opfmethod\n\
         \x20 LEFT JOIN pg_catalog.pg_namespace ns ON of.opfnamespace = ns.oid\n\
         \x20 LEFT JOIN pg_catalog.pg_proc p ON ap.amproc = p.oid\n",
    );
    let Some(have_where) = access_method_clause(ctx, &mut buf, access_method_pattern) else {
        return false;
    };
    if family_pattern.is_some() {
        let q = pq(
            have_where,
            false,
            Some("ns.nspname"),
            "of.opfname",
            None,
            None,
        );
        if validate_sql_name_pattern(ctx, &mut buf, family_pattern, q, 3).is_err() {
            return false;
        }
    }
    buf.push_str(
        "ORDER BY 1, 2,\n\
         \x20 ap.amproclefttype = ap.amprocrighttype DESC,\n\
         \x20 3, 4, 5;",
    );
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(
        ctx,
        "List of support functions of operator families",
        &[false; 6],
    );
    ctx.print_query(&res, &opt);
    true
}
