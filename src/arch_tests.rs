//! Rules about the layout, checked on the source itself: no import circle between files under `src/`, and
//! arrows between top-level modules that point down (app/cli/config → repl → script → psql engine → shell →
//! db/output/sql/value → error). A file depends on another when it names it in a `use` or a path
//! (`crate::…`, `super::…`, `self::…`, a child module's name); comments and string literals do not count.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// A module path (`["db", "session"]`); the crate root is empty.
type ModPath = Vec<String>;

/// The module a file defines: `db/session.rs` and `db/session/mod.rs` are `db::session`, `lib.rs` the root.
fn module_of(rel: &Path) -> ModPath {
    let mut parts: ModPath = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" {
            parts.push(stem.to_string());
        }
    }
    parts
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The source with comments removed and every string and character literal emptied, so that only code
/// is read (a doc comment or a message may well mention `crate::something`).
fn code_only(src: &str) -> String {
    let s: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let at = |i: usize| s.get(i).copied().unwrap_or('\0');
    while i < s.len() {
        let c = s[i];
        let prev_ident = i > 0 && is_ident_char(s[i - 1]);
        if c == '/' && at(i + 1) == '/' {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            // Block comments nest in Rust.
            let mut depth = 0;
            while i < s.len() {
                if s[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if s[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if !prev_ident && (c == 'r' || (c == 'b' && at(i + 1) == 'r')) && {
            // A raw string: r"…", r#"…"#, br"…".
            let mut j = i + if c == 'b' { 2 } else { 1 };
            while at(j) == '#' {
                j += 1;
            }
            at(j) == '"'
        } {
            let mut j = i + if c == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= s.len() {
                    break;
                }
                if s[j] == '"' && (1..=hashes).all(|k| at(j + k) == '#') {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            let mut j = i + 1;
            while j < s.len() && s[j] != '"' {
                j += if s[j] == '\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = j + 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}', b'x') or a lifetime ('a, which is kept).
            if at(i + 1) == '\\' {
                let mut j = i + 2;
                while j < s.len() && s[j] != '\'' {
                    j += 1;
                }
                out.push_str("' '");
                i = j + 1;
            } else if at(i + 2) == '\'' {
                out.push_str("' '");
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Identifiers, `::`, and single punctuation characters.
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if is_ident_char(c) {
            let start = i;
            while i < chars.len() && is_ident_char(chars[i]) {
                i += 1;
            }
            toks.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            toks.push("::".into());
            i += 2;
        } else {
            toks.push(c.to_string());
            i += 1;
        }
    }
    toks
}

/// The paths a use tree names (`a::{b, c::d as e, self}` → `a::b`, `a::c::d`, `a`), starting at `*pos`.
fn use_tree(toks: &[String], pos: &mut usize, prefix: &ModPath, out: &mut Vec<ModPath>) {
    let mut cur = prefix.clone();
    while let Some(t) = toks.get(*pos) {
        match t.as_str() {
            "::" => *pos += 1,
            "{" => {
                *pos += 1;
                while let Some(t) = toks.get(*pos) {
                    match t.as_str() {
                        "}" => {
                            *pos += 1;
                            break;
                        }
                        "," => *pos += 1,
                        _ => use_tree(toks, pos, &cur, out),
                    }
                }
                return;
            }
            "*" => {
                *pos += 1;
                out.push(cur);
                return;
            }
            "as" => *pos += 2,
            "," | "}" | ";" => {
                out.push(cur);
                return;
            }
            "self" if cur == *prefix && !prefix.is_empty() => *pos += 1,
            ident => {
                cur.push(ident.to_string());
                *pos += 1;
            }
        }
    }
    out.push(cur);
}

/// The files (as module paths) that the file of module `me` depends on. `modules` are the modules that
/// have a file of their own; a path resolves to the longest of them that it starts with.
fn dependencies(me: &ModPath, src: &str, modules: &BTreeSet<ModPath>) -> BTreeSet<ModPath> {
    let toks = tokens(&without_tests(&code_only(src)).0);
    // Child modules this file declares with `mod x;`: their names start relative paths.
    let children: BTreeSet<&str> = toks
        .windows(3)
        .filter(|w| w[0] == "mod" && w[2] == ";")
        .map(|w| w[1].as_str())
        .collect();
    let mut paths: Vec<(ModPath, ModPath)> = Vec::new(); // (path as written, module it was written in)
                                                         // Inline modules (`mod tests { … }`) change what `super` and `self` mean.
    let mut scopes: Vec<(ModPath, usize)> = vec![(me.clone(), 0)];
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i].as_str();
        let scope = scopes.last().map(|s| s.0.clone()).unwrap_or_default();
        let prev = if i > 0 { toks[i - 1].as_str() } else { "" };
        match t {
            "{" => depth += 1,
            "}" => {
                if scopes.len() > 1 && scopes.last().is_some_and(|s| s.1 == depth) {
                    scopes.pop();
                }
                depth = depth.saturating_sub(1);
            }
            "mod" if toks.get(i + 2).is_some_and(|t| t == "{") => {
                let mut inner = scope.clone();
                inner.push(toks[i + 1].clone());
                scopes.push((inner, depth + 1));
                i += 2;
                continue;
            }
            // A use declaration (not `impl Trait + use<'a>`).
            "use" if matches!(prev, "" | ";" | "{" | "}" | "]" | ")" | "pub") => {
                let mut pos = i + 1;
                let mut found = Vec::new();
                use_tree(&toks, &mut pos, &Vec::new(), &mut found);
                paths.extend(found.into_iter().map(|p| (p, scope.clone())));
                i = pos;
                continue;
            }
            // Not `x.parse::<T>()` (a method with a turbofish), nor `pub(in crate::x)`.
            _ if !matches!(prev, "::" | "." | "in")
                && toks.get(i + 1).is_some_and(|n| n == "::")
                && (matches!(t, "crate" | "super" | "self")
                    || (children.contains(t) && scope == *me)) =>
            {
                let mut path = vec![t.to_string()];
                let mut j = i + 1;
                while toks.get(j).is_some_and(|s| s == "::")
                    && toks
                        .get(j + 1)
                        .is_some_and(|s| s.chars().next().is_some_and(is_ident_char))
                {
                    path.push(toks[j + 1].clone());
                    j += 2;
                }
                paths.push((path, scope.clone()));
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut deps = BTreeSet::new();
    for (path, scope) in paths {
        let Some(first) = path.first() else { continue };
        let absolute: ModPath = match first.as_str() {
            "crate" => path[1..].to_vec(),
            "super" | "self" => {
                let mut base = scope.clone();
                let mut k = 0;
                while let Some(seg) = path.get(k).filter(|s| *s == "super" || *s == "self") {
                    if seg == "super" {
                        base.pop();
                    }
                    k += 1;
                }
                base.extend(path[k..].iter().cloned());
                base
            }
            name if children.contains(name) && scope == *me => {
                me.iter().chain(path.iter()).cloned().collect()
            }
            _ => continue,
        };
        let target = (0..=absolute.len())
            .rev()
            .map(|n| absolute[..n].to_vec())
            .find(|m| modules.contains(m));
        if let Some(target) = target.filter(|t| t != me) {
            deps.insert(target);
        }
    }
    deps
}

/// Every `.rs` file under `src/` but the binary's `main.rs`, by module, with its text.
fn crate_files() -> BTreeMap<ModPath, (PathBuf, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<ModPath, (PathBuf, String)>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| {
                e.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                    .path()
            })
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                if rel == Path::new("main.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                out.insert(module_of(&rel), (rel, text));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The code without its test-only items (`#[cfg(test)]` and what follows it: a `mod x;` whose file is then
/// test scaffolding, or an inline `mod tests { … }`), and the names of the test-only child modules. Tests
/// may use fixtures that depend on the code they test; only what ships has to point one way.
fn without_tests(code: &str) -> (String, Vec<String>) {
    const ATTR: &str = "#[cfg(test)]";
    let mut out = String::with_capacity(code.len());
    let mut children = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(ATTR) {
        out.push_str(&rest[..at]);
        let after = &rest[at + ATTR.len()..];
        let item_end = after.find([';', '{']).unwrap_or(after.len());
        let head: Vec<&str> = after[..item_end].split_whitespace().collect();
        match after.as_bytes().get(item_end) {
            Some(b';') => {
                if let Some(i) = head.iter().position(|w| *w == "mod") {
                    if let Some(name) = head.get(i + 1) {
                        children.push(name.to_string());
                    }
                }
                rest = &after[item_end + 1..];
            }
            Some(b'{') => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after[item_end..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = item_end + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => rest = "",
        }
    }
    out.push_str(rest);
    (out, children)
}

/// The file graph: for each file (relative to `src/`), the files it depends on.
fn file_graph(
    files: &BTreeMap<ModPath, (PathBuf, String)>,
) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    // Files compiled only for tests (declared under `#[cfg(test)]`), and everything below them.
    let test_only: BTreeSet<ModPath> = files
        .iter()
        .flat_map(|(m, (_, text))| {
            without_tests(&code_only(text)).1.into_iter().map(|c| {
                let mut p = m.clone();
                p.push(c);
                p
            })
        })
        .collect();
    let files: BTreeMap<&ModPath, &(PathBuf, String)> = files
        .iter()
        .filter(|(m, _)| !test_only.iter().any(|t| m.starts_with(t)))
        .collect();
    let modules: BTreeSet<ModPath> = files.keys().map(|m| (*m).clone()).collect();
    files
        .iter()
        .map(|(m, (path, text))| {
            let deps = dependencies(m, text, &modules)
                .iter()
                .filter_map(|d| files.get(d).map(|f| f.0.clone()))
                .collect();
            (path.clone(), deps)
        })
        .collect()
}

/// The circles of a graph, one per strongly connected component of more than one file, each written as
/// a path that returns to where it started (`a.rs → b.rs → a.rs`).
fn cycles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    // Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
    let nodes: Vec<&PathBuf> = graph.keys().collect();
    let index_of: BTreeMap<&PathBuf, usize> =
        nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let succ: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            graph[*n]
                .iter()
                .filter_map(|d| index_of.get(d).copied())
                .collect()
        })
        .collect();
    let n = nodes.len();
    let (mut index, mut low) = (vec![usize::MAX; n], vec![0; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut components) = (Vec::new(), Vec::new());
    let mut next = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            if *k == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = succ[v].get(*k) {
                *k += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    components.push(component);
                }
            }
        }
    }
    // In each component, the shortest way from its first file back to itself.
    components
        .into_iter()
        .map(|component| {
            let inside: BTreeSet<usize> = component.iter().copied().collect();
            let Some(&start) = component.iter().min() else {
                return Vec::new();
            };
            let mut came_from: BTreeMap<usize, usize> = BTreeMap::new();
            let mut queue = VecDeque::from([start]);
            let mut end = None;
            'search: while let Some(v) = queue.pop_front() {
                for &w in &succ[v] {
                    if w == start {
                        end = Some(v);
                        break 'search;
                    }
                    if inside.contains(&w) && !came_from.contains_key(&w) {
                        came_from.insert(w, v);
                        queue.push_back(w);
                    }
                }
            }
            // Walk back from the last file before `start` to the first one after it.
            let mut between = Vec::new();
            let mut v = end.unwrap_or(start);
            while v != start {
                between.push(v);
                v = came_from.get(&v).copied().unwrap_or(start);
            }
            between.reverse();
            let path: Vec<usize> = std::iter::once(start)
                .chain(between)
                .chain(std::iter::once(start))
                .collect();
            // The shortest circle first, then every other file of the component.
            let mut out: Vec<PathBuf> = path.iter().map(|&i| nodes[i].clone()).collect();
            let rest: Vec<PathBuf> = component
                .iter()
                .filter(|i| !path.contains(i))
                .map(|&i| nodes[i].clone())
                .collect();
            if !rest.is_empty() {
                out.push(PathBuf::from(format!(
                    "(and {})",
                    rest.iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            out
        })
        .collect()
}

fn show(cycle: &[PathBuf]) -> String {
    cycle
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" → ")
}

/// Layers from the top; a file may depend on files of its own top-level module, of its layer, or below.
/// An entry is a top-level module or a file under one (`sql/lexer`); the most specific entry decides.
const LAYERS: &[&[&str]] = &[
    &["lib", "app", "cli", "config", "arch_tests", "embed"],
    &["repl"],
    &["script"],
    &["psql"],
    &["shell"],
    &["db", "output", "sql", "value", "term", "lessons"],
    &["error", "interrupt"],
    // SQL's lexical rules are a leaf: redaction reads SQL string constants with them.
    // fuzz_input (tests only): hostile inputs for the fuzzing property tests of every layer; it uses nothing.
    // alloc: the binary's memory allocator, which uses nothing of pgsh's.
    &["redact", "sql/lexer", "fuzz_input", "alloc"],
];

/// Upward arrows allowed: test scaffolding compiled only for tests. The printer's fixtures apply `\pset`
/// commands captured with psql through psql's own `\pset` (test code may reach up; the printer itself
/// does not).
const KNOWN_UPWARD: &[(&str, &str)] = &[("output/fixtures.rs", "psql/pset.rs")];

fn top_module(path: &Path) -> String {
    let first = path
        .iter()
        .next()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

fn layer(path: &Path) -> Option<usize> {
    let key = path.to_string_lossy();
    let key = key.trim_end_matches(".rs").trim_end_matches("/mod");
    let matches = |entry: &str| key == entry || key.starts_with(&format!("{entry}/"));
    LAYERS
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.iter().map(move |e| (i, *e)))
        .filter(|(_, e)| matches(e))
        .max_by_key(|(_, e)| e.len())
        .map(|(i, _)| i)
}

/// No file holds more than ~800 lines of code (blank lines, comments and test-only items aside), so each can
/// be read whole. Generated data is the exception: `psql/sql_help.rs` is psql's SQL syntax help, a table.
#[test]
fn no_file_over_800_lines_of_code() {
    const LIMIT: usize = 800;
    let mut sizes: Vec<(usize, PathBuf)> = crate_files()
        .into_values()
        .filter(|(path, _)| path != Path::new("psql/sql_help.rs"))
        .map(|(path, text)| {
            let (code, _) = without_tests(&code_only(&text));
            (code.lines().filter(|l| !l.trim().is_empty()).count(), path)
        })
        .collect();
    sizes.sort();
    // The count must see real code, or the check proves nothing.
    assert!(sizes.last().is_some_and(|(n, _)| *n > 400), "{sizes:?}");
    let long: Vec<String> = sizes
        .iter()
        .filter(|(n, _)| *n > LIMIT)
        .map(|(n, p)| format!("{}: {n} lines of code", p.display()))
        .collect();
    assert!(
        long.is_empty(),
        "files over {LIMIT} lines of code (split them by concept):\n{}",
        long.join("\n")
    );
}

#[test]
fn no_import_circle_between_files() {
    let graph = file_graph(&crate_files());
    // The reader must see real dependencies, or the check proves nothing.
    let app = &graph[Path::new("app.rs")];
    assert!(
        app.contains(Path::new("cli/mod.rs")),
        "app.rs → cli/mod.rs not seen: {app:?}"
    );
    assert!(graph.values().map(BTreeSet::len).sum::<usize>() > 100);
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "import circles between files under src/ (move the shared item down to the lowest module that \
         owns it):\n{}",
        found.iter().map(|c| show(c)).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn arrows_between_top_level_modules_point_down() {
    let graph = file_graph(&crate_files());
    let mut wrong = Vec::new();
    for (from, deps) in &graph {
        let Some(lf) = layer(from) else {
            wrong.push(format!(
                "{}: a top-level module missing from LAYERS",
                from.display()
            ));
            continue;
        };
        for to in deps {
            let known = KNOWN_UPWARD
                .iter()
                .any(|(f, t)| from == Path::new(f) && to == Path::new(t));
            let up = layer(to).is_some_and(|lt| lt < lf);
            if up && top_module(from) != top_module(to) && !known {
                wrong.push(format!("{} → {}", from.display(), to.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows pointing up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn dependencies_come_from_code_not_from_comments_or_strings() {
    let modules: BTreeSet<ModPath> = [
        vec![],
        vec!["a".to_string()],
        vec!["a".to_string(), "kid".to_string()],
        vec!["a".to_string(), "parse".to_string()],
        vec!["b".to_string()],
        vec!["b".to_string(), "c".to_string()],
        vec!["d".to_string()],
        vec!["e".to_string()],
        vec!["f".to_string()],
        vec!["g".to_string()],
        vec!["h".to_string()],
    ]
    .into_iter()
    .collect();
    let src = r##"
        //! Mentions crate::h in a doc comment.
        mod kid;
        mod parse;
        use crate::b::{self, c::{Thing as Other, *}};
        use kid::Helper;
        /* crate::h in a /* nested */ block comment */
        fn f() {
            let s = "crate::h::x in a string";
            let r = r#"crate::h "quoted" inside"#;
            let q = '"';
            let life: &'static str = "";
            crate::d::call();
            x::crate_like::y();
            let n = "1".parse::<u8>();
        }
        pub(in crate::h) fn g() {}
        mod tests {
            use super::*;
            use super::super::e::E;
            fn t() { self::inner(); crate::f::F; }
        }
        fn after() -> crate::g::G { todo!() }
    "##;
    let me = vec!["a".to_string()];
    let got: Vec<String> = dependencies(&me, src, &modules)
        .into_iter()
        .map(|m| m.join("::"))
        .collect();
    assert_eq!(got, ["a::kid", "b", "b::c", "d", "e", "f", "g"]);
}

#[test]
fn a_circle_is_found_and_named() {
    let p = |s: &str| PathBuf::from(s);
    let graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = [
        ("a.rs", vec!["b.rs"]),
        ("b.rs", vec!["c.rs", "d.rs"]),
        ("c.rs", vec!["a.rs"]),
        ("d.rs", vec![]),
        ("e.rs", vec!["f.rs"]),
        ("f.rs", vec!["e.rs"]),
    ]
    .into_iter()
    .map(|(k, v)| (p(k), v.into_iter().map(p).collect()))
    .collect();
    let mut found: Vec<String> = cycles(&graph).iter().map(|c| show(c)).collect();
    found.sort();
    assert_eq!(found, ["a.rs → b.rs → c.rs → a.rs", "e.rs → f.rs → e.rs"]);
    let acyclic: BTreeMap<PathBuf, BTreeSet<PathBuf>> = [
        (p("a.rs"), [p("b.rs")].into()),
        (p("b.rs"), BTreeSet::new()),
    ]
    .into();
    assert!(cycles(&acyclic).is_empty());
}

#[test]
fn a_file_takes_the_layer_of_its_most_specific_entry() {
    let bottom = LAYERS.len() - 1;
    assert_eq!(layer(Path::new("sql/lexer.rs")), Some(bottom));
    assert_eq!(
        layer(Path::new("sql/scan/split.rs")),
        layer(Path::new("sql/mod.rs"))
    );
    assert_eq!(
        layer(Path::new("db/session/mod.rs")),
        layer(Path::new("db/pool.rs"))
    );
    assert_eq!(layer(Path::new("lib.rs")), Some(0));
    assert_eq!(layer(Path::new("nowhere.rs")), None);
}
