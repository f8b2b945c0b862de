//! What the parts of `\d` for one relation share: the relation kinds, the facts that decide what is
//! shown (describe.c's `tableinfo`), failing as psql's `goto error_return`, and the tablespace footer.

use crate::db::pgresult::PgResult;
use crate::output::content::TableContent;
use crate::psql::ctx::Ctx;

/// `pg_class.relkind` (`pg_class.h`), read from its one-letter code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RelKind {
    Relation,
    Index,
    Sequence,
    ToastValue,
    View,
    MatView,
    CompositeType,
    ForeignTable,
    PartitionedTable,
    PartitionedIndex,
    /// A code this psql does not know (a newer server's).
    Other(char),
}

impl RelKind {
    const CODES: [(char, RelKind); 10] = [
        ('r', RelKind::Relation),
        ('i', RelKind::Index),
        ('S', RelKind::Sequence),
        ('t', RelKind::ToastValue),
        ('v', RelKind::View),
        ('m', RelKind::MatView),
        ('c', RelKind::CompositeType),
        ('f', RelKind::ForeignTable),
        ('p', RelKind::PartitionedTable),
        ('I', RelKind::PartitionedIndex),
    ];

    pub fn of(code: char) -> RelKind {
        RelKind::CODES
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(RelKind::Other(code), |(_, k)| *k)
    }

    /// Relations whose columns have details (default, storage, …) and comments: tables, views, materialized
    /// views, composite types and foreign tables (describe.c's `show_column_details`; the server's
    /// `CommentObject()` allows column comments on the same kinds).
    pub fn has_column_details(self) -> bool {
        matches!(
            self,
            RelKind::Relation
                | RelKind::View
                | RelKind::MatView
                | RelKind::ForeignTable
                | RelKind::CompositeType
                | RelKind::PartitionedTable
        )
    }

    pub fn code(self) -> char {
        match self {
            RelKind::Other(c) => c,
            k => RelKind::CODES
                .iter()
                .find(|(_, x)| *x == k)
                .map_or('?', |(c, _)| *c),
        }
    }
}

/// A query failed (its error was reported by [`Ctx::exec`]) or gave an unexpected shape: psql's
/// `goto error_return`, which ends the command with failure.
pub(super) struct Failed;

/// `PSQLexec`, with a failure as [`Failed`].
pub(super) fn exec(ctx: &mut dyn Ctx, sql: &str) -> Result<PgResult, Failed> {
    ctx.exec(sql).ok_or(Failed)
}

/// The first character of a value (C's `*PQgetvalue(...)`), `'\0'` for an empty one.
pub(super) fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or('\0')
}

/// C's `atoi`: the leading (optionally signed) decimal digits, 0 when there are none.
pub(super) fn atoi(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut n: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    if neg {
        -n
    } else {
        n
    }
}

/// The facts about one relation that decide what `\d` shows (describe.c's `tableinfo`).
pub(super) struct TableInfo {
    pub checks: i64,
    pub relkind: RelKind,
    pub hasindex: bool,
    pub hasrules: bool,
    pub hastriggers: bool,
    pub rowsecurity: bool,
    pub forcerowsecurity: bool,
    pub hasoids: bool,
    pub ispartition: bool,
    pub tablespace: u32,
    pub reloptions: String,
    pub reloftype: Option<String>,
    pub relpersistence: char,
    pub relreplident: char,
    pub relam: Option<String>,
}

/// `add_tablespace_footer`: name the relation's tablespace (unless it is the database's default), as a
/// footer of its own (`newline`) or appended to the last footer (an index line).
pub(super) fn add_tablespace_footer(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    relkind: RelKind,
    tablespace: u32,
    newline: bool,
) {
    if ![
        RelKind::Relation,
        RelKind::MatView,
        RelKind::Index,
        RelKind::PartitionedTable,
        RelKind::PartitionedIndex,
        RelKind::ToastValue,
    ]
    .contains(&relkind)
    {
        return;
    }
    // The database's default tablespace is left out, so users not using tablespaces need not know them.
    if tablespace == 0 {
        return;
    }
    let sql = format!("SELECT spcname FROM pg_catalog.pg_tablespace\nWHERE oid = '{tablespace}';");
    let Some(res) = ctx.exec(&sql) else {
        return;
    };
    if res.ntuples() > 0 {
        let spcname = res.get_value(0, 0);
        if newline {
            cont.add_footer(&format!("Tablespace: \"{spcname}\""));
        } else {
            let last = cont
                .footers
                .as_ref()
                .and_then(|f| f.last())
                .cloned()
                .unwrap_or_default();
            cont.set_footer(&format!("{last}, tablespace \"{spcname}\""));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RelKind;

    #[test]
    fn relation_kinds_read_and_give_back_their_codes() {
        for code in ['r', 'i', 'S', 't', 'v', 'm', 'c', 'f', 'p', 'I'] {
            let kind = RelKind::of(code);
            assert!(!matches!(kind, RelKind::Other(_)), "{code}");
            assert_eq!(kind.code(), code);
        }
        assert_eq!(RelKind::of('x'), RelKind::Other('x'));
        assert_eq!(RelKind::of('x').code(), 'x');
    }
}
