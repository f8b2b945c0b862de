//! pgsh's functions as documentation: read from the plugin modules' own doc comments (Rhai's metadata), and
//! shown by `\h` and in the generated reference (`docs/reference.md`), so both say the same thing and
//! cover every function.

use rhai::Engine;
use serde_json::Value;

use super::engine::groups;

/// One registered function (one overload) as a reader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnDoc {
    /// How it is called: `query`, `.year` (a property), `[]` (indexing), `+` (an operator).
    pub shown: String,
    /// The call as a script writes it: `db.query(sql: string, params: array) -> rows`.
    pub signature: String,
    /// The doc comment's lines, without `///`.
    pub docs: Vec<String>,
}

/// The functions of one topic.
#[derive(Clone, Debug)]
pub struct Section {
    pub title: &'static str,
    #[cfg(test)]
    pub about: &'static str,
    /// Sorted: functions by name, then properties, indexing and operators; overloads by arity.
    pub fns: Vec<FnDoc>,
}

impl FnDoc {
    /// The first sentence of the doc.
    pub fn summary(&self) -> String {
        let para: Vec<&str> = self
            .docs
            .iter()
            .map(|l| l.trim())
            .take_while(|l| !l.is_empty() && !l.starts_with("```"))
            .collect();
        let text = para.join(" ");
        // A sentence ends at a full stop before a capital (not in "e.g. a file").
        let end = text.match_indices(". ").find(|(i, _)| {
            text[i + 2..]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '`')
        });
        match end {
            Some((i, _)) => text[..=i].to_string(),
            None => text,
        }
    }

    /// The doc's ```rhai blocks: (is it run by the tests, its lines).
    #[cfg(test)]
    pub fn examples(&self) -> Vec<(bool, String)> {
        let mut out = Vec::new();
        let mut current: Option<(bool, String)> = None;
        for line in &self.docs {
            let t = line.trim();
            match current.take() {
                None => {
                    if let Some(info) = t.strip_prefix("```") {
                        if info.starts_with("rhai") {
                            current = Some((!info.contains("no_run"), String::new()));
                        }
                    }
                }
                Some((run, mut text)) => {
                    if t == "```" {
                        out.push((run, text));
                    } else {
                        text.push_str(line);
                        text.push('\n');
                        current = Some((run, text));
                    }
                }
            }
        }
        out
    }

    fn is_method(&self) -> bool {
        self.kind() == 0
            && self
                .signature
                .split('(')
                .next()
                .is_some_and(|c| c.contains('.'))
    }

    fn kind(&self) -> u8 {
        match self.shown.chars().next() {
            Some('.') => 1,
            Some('[') => 2,
            Some(c) if c.is_alphanumeric() || c == '_' => 0,
            _ => 3,
        }
    }
}

/// Every pgsh function by topic, from the plugin modules' metadata.
pub fn catalog() -> Vec<Section> {
    groups()
        .into_iter()
        .map(|g| {
            // An engine holding only this module: its metadata lists this topic's functions.
            let mut engine = Engine::new_raw();
            engine.register_global_module(g.module.into());
            let mut fns = functions(&engine);
            fns.sort_by_cached_key(|f| {
                (
                    f.kind(),
                    operator_rank(&f.shown),
                    f.shown.clone(),
                    // Overloads: the global form before the method, fewer arguments first, text first
                    // (the constructor most scripts use); `\h` sums a name up with the first.
                    f.is_method(),
                    arity(&f.signature),
                    !f.signature.contains(": string"),
                    f.signature.clone(),
                )
            });
            Section {
                title: g.title,
                #[cfg(test)]
                about: g.about,
                fns,
            }
        })
        .collect()
}

fn operator_rank(op: &str) -> usize {
    const ORDER: &[&str] = &["+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">="];
    ORDER.iter().position(|o| *o == op).unwrap_or(0)
}

fn arity(signature: &str) -> usize {
    signature.matches(':').count()
}

/// The functions an engine's non-standard modules register, as documented.
pub fn functions(engine: &Engine) -> Vec<FnDoc> {
    let Ok(json) = engine.gen_fn_metadata_to_json(false) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_str::<Value>(&json) else {
        return Vec::new();
    };
    value
        .get("functions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(describe)
        .collect()
}

fn describe(f: &Value) -> Option<FnDoc> {
    let name = f.get("name")?.as_str()?;
    let params: Vec<(String, String)> = f
        .get("params")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("_").to_string();
            (text("name"), rhai_type(&text("type")))
        })
        .collect();
    let ret = rhai_type(f.get("returnType").and_then(Value::as_str).unwrap_or(""));
    let docs = f
        .get("docComments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .flat_map(str::lines)
        .map(|l| {
            let l = l.trim_start_matches("///");
            l.strip_prefix(' ').unwrap_or(l).to_string()
        })
        .collect();
    let (shown, call) = call_form(name, &params);
    let signature = if ret.is_empty() {
        call
    } else {
        format!("{call} -> {ret}")
    };
    Some(FnDoc {
        shown,
        signature,
        docs,
    })
}

/// How a function is called, from its registered name and parameters: `(shown name, call)`.
fn call_form(name: &str, params: &[(String, String)]) -> (String, String) {
    let arg = |(n, t): &(String, String)| format!("{n}: {t}");
    let recv = params.first().map(|(n, _)| n.as_str()).unwrap_or("_");
    if let Some(prop) = name.strip_prefix("get$") {
        return (format!(".{prop}"), format!("{recv}.{prop}"));
    }
    if let Some(prop) = name.strip_prefix("set$") {
        let value = params.get(1).map(arg).unwrap_or_default();
        return (format!(".{prop}"), format!("{recv}.{prop} = {value}"));
    }
    if name == "index$get$" {
        let index = params.get(1).map(arg).unwrap_or_default();
        return ("[]".into(), format!("{recv}[{index}]"));
    }
    if name == "index$set$" {
        let index = params.get(1).map(arg).unwrap_or_default();
        let value = params.get(2).map(arg).unwrap_or_default();
        return ("[]".into(), format!("{recv}[{index}] = {value}"));
    }
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        let types: Vec<&str> = params.iter().map(|(_, t)| t.as_str()).collect();
        let call = match types.as_slice() {
            [a] => format!("{name}{a}"),
            [a, b] => format!("{a} {name} {b}"),
            _ => format!("{name}({})", types.join(", ")),
        };
        return (name.to_string(), call);
    }
    let all: Vec<String> = params.iter().map(arg).collect();
    // A method (its first parameter is the value it acts on) reads as `value.name(…)`.
    let call = match params.first() {
        Some((n, _)) if is_method_receiver(n) => {
            format!("{n}.{name}({})", all[1..].join(", "))
        }
        _ => format!("{name}({})", all.join(", ")),
    };
    (name.to_string(), call)
}

/// pgsh names the first parameter of every method after the value's type.
fn is_method_receiver(param: &str) -> bool {
    matches!(
        param,
        "db" | "rows"
            | "stream"
            | "plan"
            | "error"
            | "date"
            | "timestamp"
            | "timestamptz"
            | "time"
            | "timetz"
            | "interval"
            | "map"
            | "array"
            | "blob"
    )
}

/// A Rust type as the plugin source spells it → the name scripts know (`type_of`).
pub fn rhai_type(rust: &str) -> String {
    let t = rust.trim();
    let t = t
        .strip_prefix("&mut ")
        .or_else(|| t.strip_prefix('&'))
        .unwrap_or(t);
    // Fallible returns: the value a script gets.
    for wrapper in ["RhaiResult<", "RhaiRes<", "Result<"] {
        if let Some(inner) = t.strip_prefix(wrapper).and_then(|s| s.strip_suffix('>')) {
            let ok = inner.split(',').next().unwrap_or(inner);
            return rhai_type(ok);
        }
    }
    let last = t.rsplit("::").next().unwrap_or(t);
    match last {
        "()" | "" => "",
        "INT" | "i64" => "int",
        "FLOAT" | "f64" => "float",
        "bool" => "bool",
        "str" | "ImmutableString" | "String" => "string",
        "Map" => "map",
        "Array" => "array",
        "Blob" => "blob",
        "Dynamic" => "value",
        "FnPtr" => "Fn",
        "Decimal" => "decimal",
        "Range<INT>" => "range",
        "RangeInclusive<INT>" => "inclusive range",
        "Rows" => "rows",
        "Db" => "Db",
        "Stream" => "stream",
        "Plan" => "plan",
        "ScriptError" => "error",
        "Date" => "date",
        "Timestamp" => "timestamp",
        "TimestampTz" => "timestamptz",
        "Time" => "time",
        "TimeTz" => "timetz",
        "Interval" => "interval",
        other => other,
    }
    .to_string()
}

/// The functions called `name` (also `.name` or `name` for a property, `[]` for indexing).
pub fn lookup<'a>(catalog: &'a [Section], name: &str) -> Vec<(&'a Section, &'a FnDoc)> {
    let bare = name.trim().trim_start_matches('.');
    catalog
        .iter()
        .flat_map(|s| s.fns.iter().map(move |f| (s, f)))
        .filter(|(_, f)| f.shown == name.trim() || f.shown.trim_start_matches('.') == bare)
        .collect()
}

/// The distinct names of a section, in order, with their overloads.
fn by_name(section: &Section) -> Vec<(&str, Vec<&FnDoc>)> {
    let mut out: Vec<(&str, Vec<&FnDoc>)> = Vec::new();
    for f in &section.fns {
        match out.last_mut() {
            Some((name, fns)) if *name == f.shown => fns.push(f),
            _ => out.push((&f.shown, vec![f])),
        }
    }
    out
}

/// Each distinct doc text once (overloads often differ only in their arguments).
fn distinct_docs<'a>(fns: &[&'a FnDoc]) -> Vec<&'a Vec<String>> {
    let mut shown: Vec<&Vec<String>> = Vec::new();
    for f in fns {
        if !shown.contains(&&f.docs) {
            shown.push(&f.docs);
        }
    }
    shown
}

const WIDTH: usize = 100;

/// `  label     word word word…` with the words wrapped under the first one.
fn wrapped(label: &str, words: &[String]) -> String {
    let indent = 19;
    let mut out = format!("  {label:<width$}", width = indent - 2);
    let mut col = indent.max(label.len() + 2);
    if col > indent {
        out.push(' ');
        col += 1;
    }
    let mut first = true;
    for w in words {
        let len = w.chars().count();
        if !first && col + 1 + len > WIDTH {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            col = indent;
            first = true;
        }
        if !first {
            out.push(' ');
            col += 1;
        }
        out.push_str(w);
        col += len;
        first = false;
    }
    out.push('\n');
    out
}

/// `\h`: every function by topic, one line each (properties, indexing and operators grouped).
pub fn help_index(catalog: &[Section]) -> String {
    let mut s = String::from(
        "pgsh's functions by topic; \\h NAME shows one in full, docs/reference.md has them all.\n",
    );
    for section in catalog {
        s.push('\n');
        s.push_str(section.title);
        s.push('\n');
        let names = by_name(section);
        let mut others: [Vec<String>; 3] = Default::default();
        for (name, fns) in &names {
            match fns.first().map(|f| f.kind()) {
                Some(0) => {
                    let summary = fns.first().map(|f| f.summary()).unwrap_or_default();
                    let words: Vec<String> =
                        summary.split_whitespace().map(str::to_string).collect();
                    s.push_str(&wrapped(name, &words));
                }
                Some(k) => others[usize::from(k - 1)].push(name.to_string()),
                None => {}
            }
        }
        for (label, names) in ["properties", "indexing", "operators"].iter().zip(others) {
            if !names.is_empty() {
                s.push_str(&wrapped(label, &names));
            }
        }
    }
    s
}

/// `\h NAME`: every form of the function with its docs; examples indented.
pub fn help_on(catalog: &[Section], name: &str) -> String {
    let found = lookup(catalog, name);
    if found.is_empty() {
        let names: Vec<&str> = catalog
            .iter()
            .flat_map(|s| s.fns.iter().map(|f| f.shown.as_str()))
            .collect();
        let bare = name.trim_start_matches('.');
        let close = names
            .iter()
            .find(|d| {
                let d = d.trim_start_matches('.');
                !d.is_empty() && (d.starts_with(bare) || bare.starts_with(d))
            })
            .map(|d| format!(" Did you mean {d}?"))
            .unwrap_or_default();
        return format!("No help for \"{name}\".{close} \\h lists pgsh's functions.\n");
    }
    let mut s = String::new();
    for (_, f) in &found {
        s.push_str(&f.signature);
        s.push('\n');
    }
    let fns: Vec<&FnDoc> = found.iter().map(|(_, f)| *f).collect();
    for docs in distinct_docs(&fns) {
        s.push('\n');
        let mut in_code = false;
        for line in docs {
            if line.trim_start().starts_with("```") {
                if !in_code {
                    s.push_str("Example:\n");
                }
                in_code = !in_code;
                continue;
            }
            if in_code {
                s.push_str("    ");
            }
            s.push_str(line);
            s.push('\n');
        }
    }
    s
}

/// Names a script can call directly (for completion).
pub fn callable_names(catalog: &[Section]) -> Vec<String> {
    let mut names: Vec<String> = catalog
        .iter()
        .flat_map(|s| s.fns.iter())
        .filter(|f| f.kind() == 0)
        .map(|f| f.shown.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The reference, as `docs/reference.md` holds it.
#[cfg(test)]
pub fn reference(catalog: &[Section]) -> String {
    let mut s = String::from(
        "# pgsh's Rhai functions\n\n\
         <!-- Generated from the doc comments of pgsh's plugin modules (src/script/). Do not edit: \
         `cargo test` fails when this file is out of date, and \
         `PGSH_BLESS=1 cargo test --lib script::docs` rewrites it. -->\n\n\
         Every function pgsh adds to Rhai, by topic; `\\h NAME` at the prompt shows the same text. In the \
         examples, a line `expression  // result` shows what the expression gives, and the tests check it: \
         examples run against the embedded database, with a table `fruit (name text primary key, price \
         numeric)` holding apple 1.20, fig 3 and kiwi 1.5, and `account (id int primary key, balance \
         numeric)` holding 1: 100 and 2: 50. Rhai's own functions (strings, arrays, maps, maths) are in \
         [the Rhai book](https://rhai.rs/book/).\n\n",
    );
    for section in catalog {
        let names: Vec<String> = by_name(section)
            .iter()
            .map(|(n, _)| format!("`{n}`"))
            .collect();
        s.push_str(&format!(
            "- [{}](#{}): {}\n",
            section.title,
            anchor(section.title),
            names.join(", ")
        ));
    }
    for section in catalog {
        s.push_str(&format!("\n## {}\n\n{}\n", section.title, section.about));
        for (name, fns) in by_name(section) {
            s.push_str(&format!("\n### `{name}`\n\n```text\n"));
            for f in &fns {
                s.push_str(&f.signature);
                s.push('\n');
            }
            s.push_str("```\n");
            for docs in distinct_docs(&fns) {
                s.push('\n');
                for line in docs {
                    s.push_str(line);
                    s.push('\n');
                }
            }
        }
    }
    s
}

/// GitHub's anchor for a heading.
#[cfg(test)]
fn anchor(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
