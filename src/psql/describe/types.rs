//! Data types and what hangs on them: `\dT` (types), `\dD` (domains), `\dC` (casts) and `\dO` (collations),
//! with psql's `map_typename_pattern` that `\df` and `\do` share — psql's `describeTypes`, `listDomains`,
//! `listCasts` and `listCollations`.

use crate::psql::ctx::Ctx;
use crate::psql::describe::listing::{acl_column, pq, query_opt, PSQL17};
use crate::psql::describe::validate_sql_name_pattern;

/// `map_typename_pattern`: the spellings the grammar accepts for a type that are neither its pg_type name
/// nor what `format_type` prints, mapped to the latter (`int` → `integer`, `float8[]` → `double
/// precision[]`), so that such a type-name pattern finds its type. `dec*` still won't find `numeric`.
pub fn map_typename_pattern(pattern: Option<&str>) -> Option<&str> {
    const TYPENAME_MAP: &[(&str, &str)] = &[
        // Accepted by the grammar, yet neither the pg_type name nor format_type's.
        ("decimal", "numeric"),
        ("float", "double precision"),
        ("int", "integer"),
        // Array names whose canonical spelling differs from pg_type's.
        ("bool[]", "boolean[]"),
        ("decimal[]", "numeric[]"),
        ("float[]", "double precision[]"),
        ("float4[]", "real[]"),
        ("float8[]", "double precision[]"),
        ("int[]", "integer[]"),
        ("int2[]", "smallint[]"),
        ("int4[]", "integer[]"),
        ("int8[]", "bigint[]"),
        ("time[]", "time without time zone[]"),
        ("timetz[]", "time with time zone[]"),
        ("timestamp[]", "timestamp without time zone[]"),
        ("timestamptz[]", "timestamp with time zone[]"),
        ("varbit[]", "bit varying[]"),
        ("varchar[]", "character varying[]"),
    ];
    let pattern = pattern?;
    Some(
        TYPENAME_MAP
            .iter()
            .find(|(from, _)| from.eq_ignore_ascii_case(pattern))
            .map_or(pattern, |(_, to)| to),
    )
}

/// `\dT[S+] [pattern]`.
pub fn describe_types(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    verbose: bool,
    show_system: bool,
) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(concat!(
        "SELECT n.nspname as \"Schema\",\n",
        "  pg_catalog.format_type(t.oid, NULL) AS \"Name\",\n",
    ));
    if verbose {
        buf.push_str(concat!(
            "  t.typname AS \"Internal name\",\n",
            "  CASE WHEN t.typrelid != 0\n",
            "      THEN CAST('tuple' AS pg_catalog.text)\n",
            "    WHEN t.typlen < 0\n",
            "      THEN CAST('var' AS pg_catalog.text)\n",
            "    ELSE CAST(t.typlen AS pg_catalog.text)\n",
            "  END AS \"Size\",\n",
            "  pg_catalog.array_to_string(\n",
            "      ARRAY(\n",
            "          SELECT e.enumlabel\n",
            "          FROM pg_catalog.pg_enum e\n",
            "          WHERE e.enumtypid = t.oid\n",
            "          ORDER BY e.enumsortorder\n",
            "      ),\n",
            "      E'\\n'\n",
            "  ) AS \"Elements\",\n",
            "  pg_catalog.pg_get_userbyid(t.typowner) AS \"Owner\",\n",
        ));
        acl_column(&mut buf, "t.typacl", sversion);
        buf.push_str(",\n  ");
    }
    buf.push_str(concat!(
        "  pg_catalog.obj_description(t.oid, 'pg_type') as \"Description\"\n",
        "FROM pg_catalog.pg_type t\n",
        "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n",
    ));
    // Composite types only when they stand alone (not a table's row type).
    buf.push_str(concat!(
        "WHERE (t.typrelid = 0 ",
        "OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid))\n",
    ));
    // Array types only when the pattern asks for one.
    if !pattern.is_some_and(|p| p.contains("[]")) {
        buf.push_str("  AND NOT EXISTS(SELECT 1 FROM pg_catalog.pg_type el WHERE el.oid = t.typelem AND el.typarray = t.oid)\n");
    }
    if !show_system && pattern.is_none() {
        buf.push_str(concat!(
            "      AND n.nspname <> 'pg_catalog'\n",
            "      AND n.nspname <> 'information_schema'\n",
        ));
    }
    // The internal or the external name.
    let q = pq(
        true,
        false,
        Some("n.nspname"),
        "t.typname",
        Some("pg_catalog.format_type(t.oid, NULL)"),
        Some("pg_catalog.pg_type_is_visible(t.oid)"),
    );
    let pattern = map_typename_pattern(pattern);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of data types", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dD[S+] [pattern]`.
pub fn list_domains(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    verbose: bool,
    show_system: bool,
) -> bool {
    let sversion = ctx.settings().sversion;
    // From 17 the server keeps a domain's NOT NULL in pg_constraint too; psql 17 lists only the checks.
    let check_filter = if sversion >= PSQL17 {
        " AND r.contype = 'c' ORDER BY r.conname"
    } else {
        ""
    };
    let mut buf = String::from(concat!(
        "SELECT n.nspname as \"Schema\",\n",
        "       t.typname as \"Name\",\n",
        "       pg_catalog.format_type(t.typbasetype, t.typtypmod) as \"Type\",\n",
        "       (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type bt\n",
        "        WHERE c.oid = t.typcollation AND bt.oid = t.typbasetype AND t.typcollation <> bt.typcollation) as \"Collation\",\n",
        "       CASE WHEN t.typnotnull THEN 'not null' END as \"Nullable\",\n",
        "       t.typdefault as \"Default\",\n",
        "       pg_catalog.array_to_string(ARRAY(\n",
        "         SELECT pg_catalog.pg_get_constraintdef(r.oid, true) FROM pg_catalog.pg_constraint r WHERE t.oid = r.contypid",
    ));
    buf.push_str(check_filter);
    buf.push_str("\n       ), ' ') as \"Check\"");
    if verbose {
        buf.push_str(",\n  ");
        acl_column(&mut buf, "t.typacl", sversion);
        buf.push_str(",\n       d.description as \"Description\"");
    }
    buf.push_str(concat!(
        "\nFROM pg_catalog.pg_type t\n",
        "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n",
    ));
    if verbose {
        buf.push_str(concat!(
            "     LEFT JOIN pg_catalog.pg_description d ",
            "ON d.classoid = t.tableoid AND d.objoid = t.oid ",
            "AND d.objsubid = 0\n",
        ));
    }
    buf.push_str("WHERE t.typtype = 'd'\n");
    if !show_system && pattern.is_none() {
        buf.push_str(concat!(
            "      AND n.nspname <> 'pg_catalog'\n",
            "      AND n.nspname <> 'information_schema'\n",
        ));
    }
    let q = pq(
        true,
        false,
        Some("n.nspname"),
        "t.typname",
        None,
        Some("pg_catalog.pg_type_is_visible(t.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of domains", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dC[+] [pattern]`: casts whose source or target type matches.
pub fn list_casts(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    let mut buf = String::from(concat!(
        "SELECT pg_catalog.format_type(castsource, NULL) AS \"Source type\",\n",
        "       pg_catalog.format_type(casttarget, NULL) AS \"Target type\",\n",
    ));
    // '(binary coercible)' and '(with inout)' stay untranslated in psql, lest gettext translate a function
    // name that happens to match.
    buf.push_str(concat!(
        "       CASE WHEN c.castmethod = 'b' THEN '(binary coercible)'\n",
        "            WHEN c.castmethod = 'i' THEN '(with inout)'\n",
        "            ELSE p.proname\n",
        "       END AS \"Function\",\n",
        "       CASE WHEN c.castcontext = 'e' THEN 'no'\n",
        "            WHEN c.castcontext = 'a' THEN 'in assignment'\n",
        "            ELSE 'yes'\n",
        "       END AS \"Implicit?\"",
    ));
    if verbose {
        buf.push_str(",\n       d.description AS \"Description\"");
    }
    // A left join to pg_proc for the binary casts; the others are paranoia.
    buf.push_str(concat!(
        "\nFROM pg_catalog.pg_cast c LEFT JOIN pg_catalog.pg_proc p\n",
        "     ON c.castfunc = p.oid\n",
        "     LEFT JOIN pg_catalog.pg_type ts\n",
        "     ON c.castsource = ts.oid\n",
        "     LEFT JOIN pg_catalog.pg_namespace ns\n",
        "     ON ns.oid = ts.typnamespace\n",
        "     LEFT JOIN pg_catalog.pg_type tt\n",
        "     ON c.casttarget = tt.oid\n",
        "     LEFT JOIN pg_catalog.pg_namespace nt\n",
        "     ON nt.oid = tt.typnamespace\n",
    ));
    if verbose {
        buf.push_str(concat!(
            "     LEFT JOIN pg_catalog.pg_description d\n",
            "     ON d.classoid = c.tableoid AND d.objoid = ",
            "c.oid AND d.objsubid = 0\n",
        ));
    }
    buf.push_str("WHERE ( (true");
    // The internal or external name of the source type, or of the target type.
    let source = pq(
        true,
        false,
        Some("ns.nspname"),
        "ts.typname",
        Some("pg_catalog.format_type(ts.oid, NULL)"),
        Some("pg_catalog.pg_type_is_visible(ts.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, source, 3).is_err() {
        return false;
    }
    buf.push_str(") OR (true");
    let target = pq(
        true,
        false,
        Some("nt.nspname"),
        "tt.typname",
        Some("pg_catalog.format_type(tt.oid, NULL)"),
        Some("pg_catalog.pg_type_is_visible(tt.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, target, 3).is_err() {
        return false;
    }
    buf.push_str(") )\nORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of casts", &[false, false, false, true, false]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dO[S+] [pattern]`: collations usable in the database's encoding.
pub fn list_collations(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    verbose: bool,
    show_system: bool,
) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::new();
    if sversion >= PSQL17 {
        // psql 17: the provider first, then the locale columns of 17's catalog.
        buf.push_str(concat!(
            "SELECT\n",
            "  n.nspname AS \"Schema\",\n",
            "  c.collname AS \"Name\",\n",
            "  CASE c.collprovider WHEN 'd' THEN 'default' WHEN 'b' THEN 'builtin' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Provider\",\n",
            "  c.collcollate AS \"Collate\",\n",
            "  c.collctype AS \"Ctype\",\n",
            "  c.colllocale AS \"Locale\",\n",
            "  c.collicurules AS \"ICU Rules\",\n",
            "  CASE WHEN c.collisdeterministic THEN 'yes' ELSE 'no' END AS \"Deterministic?\"",
        ));
        if verbose {
            buf.push_str(
                ",\n  pg_catalog.obj_description(c.oid, 'pg_collation') AS \"Description\"",
            );
        }
    } else {
        buf.push_str(concat!(
            "SELECT n.nspname AS \"Schema\",\n",
            "       c.collname AS \"Name\",\n",
            "       c.collcollate AS \"Collate\",\n",
            "       c.collctype AS \"Ctype\"",
        ));
        if sversion >= 150000 {
            buf.push_str(",\n       c.colliculocale AS \"ICU Locale\"");
        } else {
            buf.push_str(",\n       c.collcollate AS \"ICU Locale\"");
        }
        if sversion >= 100000 {
            buf.push_str(",\n       CASE c.collprovider WHEN 'd' THEN 'default' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Provider\"");
        } else {
            buf.push_str(",\n       'libc' AS \"Provider\"");
        }
        if sversion >= 120000 {
            buf.push_str(",\n       CASE WHEN c.collisdeterministic THEN 'yes' ELSE 'no' END AS \"Deterministic?\"");
        } else {
            buf.push_str(",\n       'yes' AS \"Deterministic?\"");
        }
        if verbose {
            buf.push_str(
                ",\n       pg_catalog.obj_description(c.oid, 'pg_collation') AS \"Description\"",
            );
        }
    }
    buf.push_str(concat!(
        "\nFROM pg_catalog.pg_collation c, pg_catalog.pg_namespace n\n",
        "WHERE n.oid = c.collnamespace\n",
    ));
    if !show_system && pattern.is_none() {
        buf.push_str(concat!(
            "      AND n.nspname <> 'pg_catalog'\n",
            "      AND n.nspname <> 'information_schema'\n",
        ));
    }
    // Collations unusable in the database's encoding stay hidden (pg_collation_is_visible rejects them, so
    // the name patterns agree).
    buf.push_str("      AND c.collencoding IN (-1, pg_catalog.pg_char_to_encoding(pg_catalog.getdatabaseencoding()))\n");
    let q = pq(
        true,
        false,
        Some("n.nspname"),
        "c.collname",
        None,
        Some("pg_catalog.pg_collation_is_visible(c.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let translate: &[bool] = if sversion >= PSQL17 {
        &[false, false, false, false, false, false, false, true, false]
    } else {
        &[false, false, false, false, false, false, true, false]
    };
    let opt = query_opt(ctx, "List of collations", translate);
    ctx.print_query(&res, &opt);
    true
}
