//! PostgreSQL's array and record text literals (`{1,"a b",NULL}`, `(1,"x y",)`), parsed the way the server's
//! array_in and record_in read them, for values pgsh can only fetch as text.

/// One element of an array literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Elem {
    Null,
    Text(String),
    Array(Vec<Elem>),
}

/// Parse an array literal: an optional `[lo:hi]…=` bounds prefix, then nested `{…}` with `delim` between
/// elements (`,` for every built-in type but box, which uses `;`). Elements may be double-quoted with
/// backslash escapes; an unquoted `NULL` (any case) is SQL NULL. The error says what was wrong and where.
pub fn parse_array(s: &str, delim: char) -> Result<Vec<Elem>, String> {
    let mut p = Parser {
        chars: s.char_indices().peekable(),
        src: s,
    };
    p.skip_ws();
    if p.peek() == Some('[') {
        // Bounds only say where indexes start; the elements come in the same order either way.
        while p.peek() == Some('[') {
            p.until(']')?;
            p.next();
        }
        p.skip_ws();
        p.expect('=')?;
        p.skip_ws();
    }
    let out = p.array(delim)?;
    p.skip_ws();
    if let Some((at, c)) = p.chars.next() {
        return Err(format!(
            "unexpected {c:?} after the array at byte {at} of {s:?}"
        ));
    }
    Ok(out)
}

/// Parse a record literal into its fields (`None` = NULL: nothing at all between the delimiters; `""` is an
/// empty string). Whitespace is part of a field, as in record_in.
pub fn parse_record(s: &str) -> Result<Vec<Option<String>>, String> {
    let mut p = Parser {
        chars: s.char_indices().peekable(),
        src: s,
    };
    p.skip_ws();
    p.expect('(')?;
    let mut fields = Vec::new();
    loop {
        let mut field = String::new();
        let mut present = false;
        loop {
            match p.next() {
                None => return Err(format!("unterminated record literal {s:?}")),
                Some(',') => break,
                Some(')') => {
                    fields.push(present.then_some(field));
                    p.skip_ws();
                    if let Some((at, c)) = p.chars.next() {
                        return Err(format!(
                            "unexpected {c:?} after the record at byte {at} of {s:?}"
                        ));
                    }
                    return Ok(fields);
                }
                Some('"') => {
                    present = true;
                    loop {
                        match p.next() {
                            None => return Err(format!("unterminated quoted field in {s:?}")),
                            Some('"') if p.peek() == Some('"') => {
                                p.next();
                                field.push('"');
                            }
                            Some('"') => break,
                            Some('\\') => field.push(p.escaped()?),
                            Some(c) => field.push(c),
                        }
                    }
                }
                Some('\\') => {
                    present = true;
                    field.push(p.escaped()?);
                }
                Some(c) => {
                    present = true;
                    field.push(c);
                }
            }
        }
        fields.push(present.then_some(field));
    }
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    src: &'a str,
}

impl Parser<'_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    fn next(&mut self) -> Option<char> {
        self.chars.next().map(|(_, c)| c)
    }

    fn at(&mut self) -> usize {
        self.chars.peek().map_or(self.src.len(), |&(i, _)| i)
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.next();
        }
    }

    fn expect(&mut self, want: char) -> Result<(), String> {
        let at = self.at();
        match self.next() {
            Some(c) if c == want => Ok(()),
            Some(c) => Err(format!(
                "expected {want:?} at byte {at} of {:?}, found {c:?}",
                self.src
            )),
            None => Err(format!("expected {want:?} at the end of {:?}", self.src)),
        }
    }

    fn until(&mut self, stop: char) -> Result<(), String> {
        while let Some(c) = self.peek() {
            if c == stop {
                return Ok(());
            }
            self.next();
        }
        Err(format!("expected {stop:?} in {:?}", self.src))
    }

    fn escaped(&mut self) -> Result<char, String> {
        self.next()
            .ok_or_else(|| format!("a backslash ends {:?}", self.src))
    }

    /// `{…}` starting at the current position.
    fn array(&mut self, delim: char) -> Result<Vec<Elem>, String> {
        self.expect('{')?;
        let mut out = Vec::new();
        self.skip_ws();
        if self.peek() == Some('}') {
            self.next();
            return Ok(out);
        }
        loop {
            self.skip_ws();
            let elem = match self.peek() {
                Some('{') => Elem::Array(self.array(delim)?),
                Some('"') => {
                    self.next();
                    let mut s = String::new();
                    loop {
                        match self.next() {
                            None => {
                                return Err(format!(
                                    "unterminated quoted element in {:?}",
                                    self.src
                                ))
                            }
                            Some('"') => break,
                            Some('\\') => s.push(self.escaped()?),
                            Some(c) => s.push(c),
                        }
                    }
                    Elem::Text(s)
                }
                _ => {
                    let mut s = String::new();
                    let mut escaped = false;
                    // Trailing blanks of an unquoted element are not part of it, escaped ones are.
                    let mut kept = 0;
                    loop {
                        match self.peek() {
                            None => {
                                return Err(format!("unterminated array literal {:?}", self.src))
                            }
                            Some(c) if c == delim || c == '}' => break,
                            Some('\\') => {
                                self.next();
                                s.push(self.escaped()?);
                                escaped = true;
                                kept = s.len();
                            }
                            Some(c) => {
                                self.next();
                                s.push(c);
                                if !c.is_whitespace() {
                                    kept = s.len();
                                }
                            }
                        }
                    }
                    s.truncate(kept);
                    if s.is_empty() && !escaped {
                        let at = self.at();
                        return Err(format!(
                            "empty array element at byte {at} of {:?}",
                            self.src
                        ));
                    }
                    if !escaped && s.eq_ignore_ascii_case("NULL") {
                        Elem::Null
                    } else {
                        Elem::Text(s)
                    }
                }
            };
            out.push(elem);
            self.skip_ws();
            let at = self.at();
            match self.next() {
                Some('}') => return Ok(out),
                Some(c) if c == delim => {}
                Some(c) => {
                    return Err(format!(
                        "expected {delim:?} or '}}' at byte {at} of {:?}, found {c:?}",
                        self.src
                    ))
                }
                None => return Err(format!("unterminated array literal {:?}", self.src)),
            }
        }
    }
}

/// The elements of a (possibly nested) array in row-major order, as PostgreSQL's binary format lists them.
pub fn flatten(elems: &[Elem]) -> Vec<Option<&str>> {
    let mut out = Vec::new();
    fn walk<'a>(elems: &'a [Elem], out: &mut Vec<Option<&'a str>>) {
        for e in elems {
            match e {
                Elem::Null => out.push(None),
                Elem::Text(s) => out.push(Some(s)),
                Elem::Array(inner) => walk(inner, out),
            }
        }
    }
    walk(elems, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Elem {
        Elem::Text(s.into())
    }

    #[test]
    fn arrays_parse_like_array_in() {
        assert_eq!(
            parse_array("{$1.00,NULL}", ',').unwrap(),
            vec![t("$1.00"), Elem::Null]
        );
        assert_eq!(parse_array("{}", ',').unwrap(), vec![]);
        assert_eq!(
            parse_array(r#"{"a b","","x\"y\\z","NULL",null}"#, ',').unwrap(),
            vec![t("a b"), t(""), t("x\"y\\z"), t("NULL"), Elem::Null]
        );
        assert_eq!(
            parse_array("{{1,2},{3,4}}", ',').unwrap(),
            vec![
                Elem::Array(vec![t("1"), t("2")]),
                Elem::Array(vec![t("3"), t("4")])
            ]
        );
        assert_eq!(
            parse_array("[0:1]={a,b}", ',').unwrap(),
            vec![t("a"), t("b")]
        );
        assert_eq!(
            parse_array("[1:1][2:3]={{a,b}}", ',').unwrap(),
            vec![Elem::Array(vec![t("a"), t("b")])]
        );
        assert_eq!(
            parse_array("{ a b , c\\ }", ',').unwrap(),
            vec![t("a b"), t("c ")]
        );
        assert_eq!(
            parse_array("{(1,1),(0,0);(2,2),(1,1)}", ';').unwrap(),
            vec![t("(1,1),(0,0)"), t("(2,2),(1,1)")]
        );
        assert_eq!(parse_array(r"{\NULL}", ',').unwrap(), vec![t("NULL")]);
    }

    #[test]
    fn bad_arrays_say_where() {
        let e = parse_array("{1,2", ',').unwrap_err();
        assert!(e.contains("unterminated"), "{e}");
        let e = parse_array("{1,,2}", ',').unwrap_err();
        assert!(e.contains("byte 3"), "{e}");
        let e = parse_array("{1} x", ',').unwrap_err();
        assert!(e.contains("byte 4"), "{e}");
        assert!(parse_array("1,2", ',').is_err());
        assert!(parse_array("{\"a}", ',').is_err());
    }

    #[test]
    fn records_parse_like_record_in() {
        assert_eq!(
            parse_record(r#"(1,"{1,2}","(3,x)")"#).unwrap(),
            vec![Some("1".into()), Some("{1,2}".into()), Some("(3,x)".into())]
        );
        assert_eq!(
            parse_record(r#"(,"",a b,"x""y\\z")"#).unwrap(),
            vec![
                None,
                Some(String::new()),
                Some("a b".into()),
                Some("x\"y\\z".into())
            ]
        );
        assert_eq!(parse_record("()").unwrap(), vec![None]);
        assert_eq!(
            parse_record(r#"("(1,""a b"")",2)"#).unwrap(),
            vec![Some("(1,\"a b\")".into()), Some("2".into())]
        );
        assert!(parse_record("(1,2").is_err());
        assert!(parse_record("1,2)").is_err());
        assert!(parse_record("(1)x").is_err());
    }

    #[test]
    fn flatten_is_row_major() {
        let a = parse_array("{{1,NULL},{3,4}}", ',').unwrap();
        assert_eq!(flatten(&a), vec![Some("1"), None, Some("3"), Some("4")]);
    }
}
