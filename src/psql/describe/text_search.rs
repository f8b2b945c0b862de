//! Full-text search objects: `\dF` (configurations), `\dFp` (parsers), `\dFd` (dictionaries) and `\dFt`
//! (templates) — psql's `listTSConfigs`, `listTSParsers`, `listTSDictionaries` and `listTSTemplates`, with
//! the `+` forms that describe each configuration or parser in its own tables.

use crate::psql::ctx::Ctx;
use crate::psql::describe::listing::{cancel_pressed, pq, query_opt};
use crate::psql::describe::validate_sql_name_pattern;

/// `\dFp[+] [pattern]`.
pub fn list_ts_parsers(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    if verbose {
        return list_ts_parsers_verbose(ctx, pattern);
    }
    let mut buf = String::from(concat!(
        "SELECT\n",
        "  n.nspname as \"Schema\",\n",
        "  p.prsname as \"Name\",\n",
        "  pg_catalog.obj_description(p.oid, 'pg_ts_parser') as \"Description\"\n",
        "FROM pg_catalog.pg_ts_parser p\n",
        "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace\n",
    ));
    let q = pq(
        false,
        false,
        Some("n.nspname"),
        "p.prsname",
        None,
        Some("pg_catalog.pg_ts_parser_is_visible(p.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of text search parsers", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dFp+`: each matching parser described in full.
fn list_ts_parsers_verbose(ctx: &mut dyn Ctx, pattern: Option<&str>) -> bool {
    let mut buf = String::from(concat!(
        "SELECT p.oid,\n",
        "  n.nspname,\n",
        "  p.prsname\n",
        "FROM pg_catalog.pg_ts_parser p\n",
        "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace\n",
    ));
    let q = pq(
        false,
        false,
        Some("n.nspname"),
        "p.prsname",
        None,
        Some("pg_catalog.pg_ts_parser_is_visible(p.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    if res.ntuples() == 0 {
        if !ctx.settings().quiet {
            match pattern {
                Some(p) => ctx.error(&format!(
                    "Did not find any text search parser named \"{p}\"."
                )),
                None => ctx.error("Did not find any text search parsers."),
            }
        }
        return false;
    }
    for i in 0..res.ntuples() {
        let oid = res.get_value(i, 0);
        let nspname = res.get(i, 1);
        let prsname = res.get_value(i, 2);
        if !describe_one_ts_parser(ctx, oid, nspname, prsname) || cancel_pressed() {
            return false;
        }
    }
    true
}

/// One parser: its methods, then its token types.
fn describe_one_ts_parser(
    ctx: &mut dyn Ctx,
    oid: &str,
    nspname: Option<&str>,
    prsname: &str,
) -> bool {
    let methods = [
        ("prstoken", "Get next token"),
        ("prsend", "End parse"),
        ("prsheadline", "Get headline"),
        ("prslextype", "Get token types"),
    ];
    let mut buf = format!(
        "SELECT 'Start parse' AS \"Method\",\n\
         \x20  p.prsstart::pg_catalog.regproc AS \"Function\",\n\
         \x20  pg_catalog.obj_description(p.prsstart, 'pg_proc') as \"Description\"\n\
         \x20FROM pg_catalog.pg_ts_parser p\n\
         \x20WHERE p.oid = '{oid}'\n"
    );
    for (i, (column, method)) in methods.iter().enumerate() {
        buf.push_str(&format!(
            "UNION ALL\n\
             SELECT '{method}',\n\
             \x20  p.{column}::pg_catalog.regproc,\n\
             \x20  pg_catalog.obj_description(p.{column}, 'pg_proc')\n\
             \x20FROM pg_catalog.pg_ts_parser p\n\
             \x20WHERE p.oid = '{oid}'"
        ));
        buf.push_str(if i + 1 < methods.len() { "\n" } else { ";" });
    }
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let title = match nspname {
        Some(nsp) => format!("Text search parser \"{nsp}.{prsname}\""),
        None => format!("Text search parser \"{prsname}\""),
    };
    let mut opt = query_opt(ctx, &title, &[true, false, false]);
    opt.footers = None;
    opt.topt.default_footer = false;
    ctx.print_query(&res, &opt);

    let buf = format!(
        "SELECT t.alias as \"Token name\",\n\
         \x20 t.description as \"Description\"\n\
         FROM pg_catalog.ts_token_type( '{oid}'::pg_catalog.oid ) as t\n\
         ORDER BY 1;"
    );
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let title = match nspname {
        Some(nsp) => format!("Token types for parser \"{nsp}.{prsname}\""),
        None => format!("Token types for parser \"{prsname}\""),
    };
    let mut opt = query_opt(ctx, &title, &[]);
    opt.footers = None;
    // psql turns the default footer back on here, whatever `\pset footer` says.
    opt.topt.default_footer = true;
    ctx.print_query(&res, &opt);
    true
}

/// `\dFd[+] [pattern]`.
pub fn list_ts_dictionaries(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    let mut buf = String::from(concat!(
        "SELECT\n",
        "  n.nspname as \"Schema\",\n",
        "  d.dictname as \"Name\",\n",
    ));
    if verbose {
        buf.push_str(concat!(
            "  ( SELECT COALESCE(nt.nspname, '(null)')::pg_catalog.text || '.' || t.tmplname FROM\n",
            "    pg_catalog.pg_ts_template t\n",
            "    LEFT JOIN pg_catalog.pg_namespace nt ON nt.oid = t.tmplnamespace\n",
            "    WHERE d.dicttemplate = t.oid ) AS  \"Template\",\n",
            "  d.dictinitoption as \"Init options\",\n",
        ));
    }
    buf.push_str(concat!(
        "  pg_catalog.obj_description(d.oid, 'pg_ts_dict') as \"Description\"\n",
        "FROM pg_catalog.pg_ts_dict d\n",
        "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace\n",
    ));
    let q = pq(
        false,
        false,
        Some("n.nspname"),
        "d.dictname",
        None,
        Some("pg_catalog.pg_ts_dict_is_visible(d.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of text search dictionaries", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dFt[+] [pattern]`.
pub fn list_ts_templates(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    let mut buf = String::from(if verbose {
        concat!(
            "SELECT\n",
            "  n.nspname AS \"Schema\",\n",
            "  t.tmplname AS \"Name\",\n",
            "  t.tmplinit::pg_catalog.regproc AS \"Init\",\n",
            "  t.tmpllexize::pg_catalog.regproc AS \"Lexize\",\n",
            "  pg_catalog.obj_description(t.oid, 'pg_ts_template') AS \"Description\"\n",
        )
    } else {
        concat!(
            "SELECT\n",
            "  n.nspname AS \"Schema\",\n",
            "  t.tmplname AS \"Name\",\n",
            "  pg_catalog.obj_description(t.oid, 'pg_ts_template') AS \"Description\"\n",
        )
    });
    buf.push_str(concat!(
        "FROM pg_catalog.pg_ts_template t\n",
        "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace\n",
    ));
    let q = pq(
        false,
        false,
        Some("n.nspname"),
        "t.tmplname",
        None,
        Some("pg_catalog.pg_ts_template_is_visible(t.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of text search templates", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dF[+] [pattern]`.
pub fn list_ts_configs(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    if verbose {
        return list_ts_configs_verbose(ctx, pattern);
    }
    let mut buf = String::from(concat!(
        "SELECT\n",
        "   n.nspname as \"Schema\",\n",
        "   c.cfgname as \"Name\",\n",
        "   pg_catalog.obj_description(c.oid, 'pg_ts_config') as \"Description\"\n",
        "FROM pg_catalog.pg_ts_config c\n",
        "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace\n",
    ));
    let q = pq(
        false,
        false,
        Some("n.nspname"),
        "c.cfgname",
        None,
        Some("pg_catalog.pg_ts_config_is_visible(c.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of text search configurations", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dF+`: each matching configuration with its token-to-dictionary mapping.
fn list_ts_configs_verbose(ctx: &mut dyn Ctx, pattern: Option<&str>) -> bool {
    let mut buf = String::from(concat!(
        "SELECT c.oid, c.cfgname,\n",
        "   n.nspname,\n",
        "   p.prsname,\n",
        "   np.nspname as pnspname\n",
        "FROM pg_catalog.pg_ts_config c\n",
        "   LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace,\n",
        " pg_catalog.pg_ts_parser p\n",
        "   LEFT JOIN pg_catalog.pg_namespace np ON np.oid = p.prsnamespace\n",
        "WHERE  p.oid = c.cfgparser\n",
    ));
    let q = pq(
        true,
        false,
        Some("n.nspname"),
        "c.cfgname",
        None,
        Some("pg_catalog.pg_ts_config_is_visible(c.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 3, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    if res.ntuples() == 0 {
        if !ctx.settings().quiet {
            match pattern {
                Some(p) => ctx.error(&format!(
                    "Did not find any text search configuration named \"{p}\"."
                )),
                None => ctx.error("Did not find any text search configurations."),
            }
        }
        return false;
    }
    for i in 0..res.ntuples() {
        let config = TsConfig {
            oid: res.get_value(i, 0),
            cfgname: res.get_value(i, 1),
            nspname: res.get(i, 2),
            prsname: res.get_value(i, 3),
            pnspname: res.get(i, 4),
        };
        if !describe_one_ts_config(ctx, &config) || cancel_pressed() {
            return false;
        }
    }
    true
}

/// A configuration and its parser, as `\dF+` lists them.
struct TsConfig<'a> {
    oid: &'a str,
    cfgname: &'a str,
    nspname: Option<&'a str>,
    prsname: &'a str,
    pnspname: Option<&'a str>,
}

/// One configuration: which dictionaries each token type goes through.
fn describe_one_ts_config(ctx: &mut dyn Ctx, config: &TsConfig<'_>) -> bool {
    let buf = format!(
        "SELECT\n\
         \x20 ( SELECT t.alias FROM\n\
         \x20   pg_catalog.ts_token_type(c.cfgparser) AS t\n\
         \x20   WHERE t.tokid = m.maptokentype ) AS \"Token\",\n\
         \x20 pg_catalog.btrim(\n\
         \x20   ARRAY( SELECT mm.mapdict::pg_catalog.regdictionary\n\
         \x20          FROM pg_catalog.pg_ts_config_map AS mm\n\
         \x20          WHERE mm.mapcfg = m.mapcfg AND mm.maptokentype = m.maptokentype\n\
         \x20          ORDER BY mapcfg, maptokentype, mapseqno\n\
         \x20   ) :: pg_catalog.text,\n\
         \x20 '{{}}') AS \"Dictionaries\"\n\
         FROM pg_catalog.pg_ts_config AS c, pg_catalog.pg_ts_config_map AS m\n\
         WHERE c.oid = '{oid}' AND m.mapcfg = c.oid\n\
         GROUP BY m.mapcfg, m.maptokentype, c.cfgparser\n\
         ORDER BY 1;",
        oid = config.oid
    );
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let mut title = match config.nspname {
        Some(nsp) => format!("Text search configuration \"{nsp}.{}\"", config.cfgname),
        None => format!("Text search configuration \"{}\"", config.cfgname),
    };
    match config.pnspname {
        Some(pnsp) => title.push_str(&format!("\nParser: \"{pnsp}.{}\"", config.prsname)),
        None => title.push_str(&format!("\nParser: \"{}\"", config.prsname)),
    }
    let mut opt = query_opt(ctx, &title, &[]);
    opt.footers = None;
    opt.topt.default_footer = false;
    ctx.print_query(&res, &opt);
    true
}
