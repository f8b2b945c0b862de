//! Which completion candidates match the word being typed, and in what order they are offered: by kind
//! (columns in scope, then tables, then functions, then keywords), then by recent use in this session, then
//! by name; and how many an empty word may offer. Pure functions, so the order is unit-tested.

use std::collections::HashMap;

/// What a candidate is; the order of the variants is the order they are offered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Column,
    Table,
    Schema,
    Function,
    Keyword,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub text: String,
    pub kind: Kind,
}

impl Candidate {
    pub fn new(text: impl Into<String>, kind: Kind) -> Self {
        Candidate {
            text: text.into(),
            kind,
        }
    }
}

/// Words used in this session, each with when it was last used (a larger number is more recent).
#[derive(Clone, Debug, Default)]
pub struct Recent {
    last: HashMap<String, usize>,
}

impl Recent {
    /// From the entries typed in this session, oldest first.
    pub fn from_entries<'a>(entries: impl IntoIterator<Item = &'a str>) -> Recent {
        let mut last = HashMap::new();
        let mut n = 0;
        for entry in entries {
            for w in entry
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
            {
                n += 1;
                last.insert(w.to_lowercase(), n);
            }
        }
        Recent { last }
    }

    /// When `candidate` (or, for `a.b`, its last part) was last used.
    fn last_use(&self, candidate: &str) -> usize {
        let name = candidate.rsplit('.').next().unwrap_or(candidate);
        let name = name.trim_matches('"').to_lowercase();
        self.last.get(&name).copied().unwrap_or(0)
    }
}

/// At most this many candidates for an empty word (rustyline asks before showing more than 100).
pub const EMPTY_WORD_LIMIT: usize = 100;

/// `candidate` without the double quote that opens a quoted identifier, unless the word has one too.
fn comparable<'a>(candidate: &'a str, word: &str) -> &'a str {
    if word.starts_with('"') {
        candidate
    } else {
        candidate.strip_prefix('"').unwrap_or(candidate)
    }
}

fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// Whether `candidate` starts with `word`, ignoring case (and an opening quote the user has not typed).
pub fn prefix_match(candidate: &str, word: &str) -> bool {
    starts_with_ci(comparable(candidate, word), word)
}

/// Whether a part of `candidate` after an underscore starts with `word` (`price` in `unit_price`), with
/// the same qualifier when the word has one.
fn part_match(candidate: &str, word: &str) -> bool {
    let (qual, rest) = match word.rsplit_once('.') {
        Some((q, r)) => (Some(q), r),
        None => (None, word),
    };
    let name = match qual {
        Some(q) => match candidate.get(..q.len() + 1) {
            Some(head) if head.eq_ignore_ascii_case(&format!("{q}.")) => &candidate[q.len() + 1..],
            _ => return false,
        },
        None => candidate,
    };
    !rest.is_empty()
        && name
            .trim_matches('"')
            .split('_')
            .skip(1)
            .any(|part| starts_with_ci(part, rest))
}

/// A keyword in the case the user is typing in: upper case unless the word has lower-case letters.
fn keyword_case(keyword: &str, word: &str) -> String {
    if word.chars().any(char::is_lowercase) {
        keyword.to_lowercase()
    } else {
        keyword.to_uppercase()
    }
}

/// The candidates that match `word`, best first, each once. Prefix matches only; when nothing starts with
/// the word, names with a part that does (`price` offers `unit_price`). An empty word offers at most
/// [`EMPTY_WORD_LIMIT`].
pub fn rank(cands: Vec<Candidate>, word: &str, recent: &Recent) -> Vec<String> {
    let mut matched: Vec<Candidate> = cands
        .iter()
        .filter(|c| prefix_match(&c.text, word))
        .cloned()
        .collect();
    if matched.is_empty() && !word.is_empty() {
        matched = cands
            .into_iter()
            .filter(|c| c.kind != Kind::Keyword && part_match(&c.text, word))
            .collect();
    }
    for c in &mut matched {
        if c.kind == Kind::Keyword {
            c.text = keyword_case(&c.text, word);
        }
    }
    matched.sort_by_cached_key(|c| {
        (
            c.kind,
            !comparable(&c.text, word).eq_ignore_ascii_case(word),
            std::cmp::Reverse(recent.last_use(&c.text)),
            c.text.to_lowercase(),
        )
    });
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<String> = matched
        .into_iter()
        .filter(|c| seen.insert(c.text.to_lowercase()))
        .map(|c| c.text)
        .collect();
    if word.is_empty() {
        bounded(&mut out, EMPTY_WORD_LIMIT);
    }
    out
}

/// The longest prefix (in characters, ignoring case) every string shares.
fn common_prefix_len(items: &[String]) -> usize {
    let Some(first) = items.first() else {
        return 0;
    };
    let mut len = first.chars().count();
    for s in &items[1..] {
        len = first
            .chars()
            .zip(s.chars())
            .take(len)
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count();
    }
    len
}

/// Keep the first `limit` candidates, and enough of the rest that what is kept shares no longer common
/// prefix than the whole list: the line editor inserts that prefix, which must not assume a choice the
/// dropped candidates would contradict.
fn bounded(cands: &mut Vec<String>, limit: usize) {
    if cands.len() <= limit {
        return;
    }
    let whole = common_prefix_len(cands);
    let rest = cands.split_off(limit);
    for extra in rest {
        if common_prefix_len(cands) <= whole {
            break;
        }
        let shared = common_prefix_len(cands);
        let differs = extra
            .chars()
            .zip(cands[0].chars())
            .take(shared)
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count()
            < shared;
        if differs {
            cands.push(extra);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str, kind: Kind) -> Candidate {
        Candidate::new(text, kind)
    }

    fn chinookish() -> Vec<Candidate> {
        vec![
            c("milliseconds", Kind::Column),
            c("unit_price", Kind::Column),
            c("name", Kind::Column),
            c("track", Kind::Table),
            c("min", Kind::Function),
            c("mod", Kind::Function),
            c("unnest", Kind::Function),
            c("UNION", Kind::Keyword),
            c("UNIQUE", Kind::Keyword),
            c("NOT", Kind::Keyword),
        ]
    }

    #[test]
    fn columns_before_tables_functions_and_keywords() {
        let none = Recent::default();
        assert_eq!(rank(chinookish(), "mi", &none), vec!["milliseconds", "min"]);
        assert_eq!(
            rank(chinookish(), "un", &none),
            vec!["unit_price", "unnest", "union", "unique"]
        );
        assert_eq!(
            rank(chinookish(), "UN", &none),
            vec!["unit_price", "unnest", "UNION", "UNIQUE"]
        );
    }

    #[test]
    fn recent_use_ranks_first_within_a_kind() {
        let recent = Recent::from_entries(["SELECT mod(3, 2);", "SELECT min(x) FROM t;"]);
        let got = rank(
            vec![
                c("mod", Kind::Function),
                c("min", Kind::Function),
                c("max", Kind::Function),
                c("mi_col", Kind::Column),
            ],
            "m",
            &recent,
        );
        // min used last, then mod; the column stays first.
        assert_eq!(got, vec!["mi_col", "min", "mod", "max"]);
    }

    #[test]
    fn an_exact_match_comes_first_in_its_kind() {
        let got = rank(
            vec![c("name_id", Kind::Column), c("name", Kind::Column)],
            "name",
            &Recent::default(),
        );
        assert_eq!(got, vec!["name", "name_id"]);
    }

    #[test]
    fn parts_of_names_when_nothing_starts_with_the_word() {
        let got = rank(chinookish(), "price", &Recent::default());
        assert_eq!(got, vec!["unit_price"]);
        let got = rank(
            vec![c("t.unit_price", Kind::Column), c("t.name", Kind::Column)],
            "t.pri",
            &Recent::default(),
        );
        assert_eq!(got, vec!["t.unit_price"]);
    }

    #[test]
    fn quoted_names_match_without_the_quote() {
        let got = rank(vec![c("\"Track\"", Kind::Table)], "Tr", &Recent::default());
        assert_eq!(got, vec!["\"Track\""]);
    }

    #[test]
    fn duplicates_keep_the_better_kind() {
        let got = rank(
            vec![c("count", Kind::Function), c("COUNT", Kind::Keyword)],
            "co",
            &Recent::default(),
        );
        assert_eq!(got, vec!["count"]);
    }

    #[test]
    fn an_empty_word_is_bounded_without_a_wrong_common_prefix() {
        let mut cands: Vec<Candidate> = (0..150)
            .map(|i| c(&format!("t{i:03}"), Kind::Table))
            .collect();
        cands.push(c("zebra", Kind::Table));
        let got = rank(cands, "", &Recent::default());
        // At most one more for each character of the first ones' common prefix (`t0`).
        assert!(got.len() <= EMPTY_WORD_LIMIT + 2, "{}", got.len());
        // The first 100 all start with `t`, the whole list does not: one that does not is kept, so
        // the editor inserts nothing.
        assert!(got.contains(&"zebra".to_string()), "{got:?}");
        assert_eq!(common_prefix_len(&got), 0);
        let short: Vec<Candidate> = (0..5).map(|i| c(&format!("a{i}"), Kind::Column)).collect();
        assert_eq!(rank(short, "", &Recent::default()).len(), 5);
    }
}
