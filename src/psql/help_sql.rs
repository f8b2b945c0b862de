//! `\h` (`help.c`'s `helpSQL`): the SQL commands in columns, or a command's synopsis, byte for byte as
//! psql 15 prints them, from the table generated from PostgreSQL's reference pages ([`sql_help`](super::sql_help)).

use std::fmt::Write as _;

use crate::psql::sql_help::{QL_HELP, QL_HELP_COUNT, QL_MAX_CMD_LEN};
use crate::psql::varsync::PSQL_MAJOR_VERSION;

/// What `\h` does with its argument before looking it up: trailing white space and semicolons go.
#[cfg(test)]
pub fn help_topic(arg: &str) -> &str {
    // C's isspace: also vertical tab, which `char::is_ascii_whitespace` leaves out.
    arg.trim_end_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b' || c == ';')
}

/// `helpSQL()`: `\h`. With no topic (or an empty one), every command in as many columns as fit
/// `screen_width` (psql asks the terminal and assumes 80 when stdout is not one). Otherwise the
/// commands matching the topic: an exact name, else the commands starting with it (any case), else those
/// starting with its first two words, else its first word; `*` shows every command.
pub fn help_sql(topic: Option<&str>, screen_width: usize) -> String {
    match topic {
        Some(t) if !t.is_empty() => help_sql_topic(t),
        _ => help_sql_list(screen_width),
    }
}

fn help_sql_list(screen_width: usize) -> String {
    let ncolumns = (screen_width.saturating_sub(3) / (QL_MAX_CMD_LEN + 1)).max(1);
    let nrows = QL_HELP_COUNT.div_ceil(ncolumns);
    let cmd = |i: usize| QL_HELP.get(i).map_or("", |h| h.cmd);
    let mut s = String::from("Available help:\n");
    for i in 0..nrows {
        s.push_str("  ");
        for j in 0..ncolumns - 1 {
            let _ = write!(
                s,
                "{:<width$}",
                cmd(i + j * nrows),
                width = QL_MAX_CMD_LEN + 1
            );
        }
        let last = i + (ncolumns - 1) * nrows;
        if last < QL_HELP_COUNT {
            s.push_str(cmd(last));
        }
        s.push('\n');
    }
    s
}

fn help_sql_topic(topic: &str) -> String {
    let t = topic.as_bytes();
    let mut len = t.len();
    let mut out = String::new();
    for pass in 1..=3 {
        if pass > 1 {
            // The length of the topic's first word (pass 3) or first two words (pass 2), measured as
            // psql measures them.
            let mut wordlen = 1;
            let mut j = 1;
            while j < len {
                j += 1;
                if t[j - 1] == b' ' {
                    break;
                }
                wordlen += 1;
            }
            if pass == 2 && j < len {
                wordlen += 1;
                while j < len {
                    j += 1;
                    if t[j - 1] == b' ' {
                        break;
                    }
                    wordlen += 1;
                }
            }
            if wordlen >= len {
                continue;
            }
            len = wordlen;
        }
        for h in QL_HELP.iter() {
            let prefix_match =
                h.cmd.len() >= len && h.cmd.as_bytes()[..len].eq_ignore_ascii_case(&t[..len]);
            if prefix_match || topic == "*" {
                let _ = write!(
                    out,
                    "Command:     {}\nDescription: {}\nSyntax:\n{}\n\nURL: https://www.postgresql.org/docs/{PSQL_MAJOR_VERSION}/{}.html\n\n",
                    h.cmd, h.help, h.syntax, h.docbook_id
                );
                // An exact match ends the search (so `\h SELECT` is not followed by SELECT INTO).
                if topic.eq_ignore_ascii_case(h.cmd) {
                    break;
                }
            }
        }
        if !out.is_empty() {
            return out;
        }
    }
    format!(
        "No help available for \"{topic}\".\nTry \\h with no arguments to see available help.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // The fixtures in testdata/help/ are psql 15.18's output (Debian 12's package), captured as each test
    // says. Larger outputs are checked by length and FNV-1a hash, computed on psql's captured bytes.

    fn fnv1a(s: &str) -> u64 {
        s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    #[test]
    fn help_list_in_columns() {
        // `psql -X -c '\h'` with stdout a pipe (psql then assumes 80 columns).
        assert_eq!(
            help_sql(None, 80),
            include_str!("testdata/help/h_all80.txt")
        );
        assert_eq!(
            help_sql(Some(""), 80),
            include_str!("testdata/help/h_all80.txt")
        );
        // `\h` typed into psql in a pty of 200, 120 and 30 columns.
        assert_eq!(
            help_sql(None, 200),
            include_str!("testdata/help/h_all200.txt")
        );
        let w120 = help_sql(None, 120);
        assert_eq!((w120.len(), fnv1a(&w120)), (4981, 0x06f4_876c_5fbd_a8fd));
        let w30 = help_sql(None, 30);
        assert_eq!((w30.len(), fnv1a(&w30)), (3105, 0x77b3_dd92_5af0_ac5f));
        assert_eq!(
            help_sql(None, 0),
            w30,
            "a tiny screen still gets one column"
        );
    }

    #[test]
    fn help_on_topics() {
        // `psql -X -c '\h SELECT'`.
        assert_eq!(
            help_sql(Some("SELECT"), 80),
            include_str!("testdata/help/h_select.txt")
        );
        assert_eq!(
            help_sql(Some("select"), 80),
            include_str!("testdata/help/h_select.txt")
        );
        // `psql -X -c '\h TOPIC'` for each topic: the commands shown, the output's length and hash.
        let cases: [(&str, usize, usize, u64); 8] = [
            ("*", 185, 103_599, 0xf184_85ee_2361_7f60),
            ("alter table foo", 2, 5971, 0xaca8_c411_e1f3_14fb),
            ("create", 42, 25_426, 0x21eb_477f_bb2b_02a1),
            ("ALTER  TABLE", 42, 34_369, 0x7d8a_1c9d_f284_9174),
            ("sel", 2, 3530, 0xa636_a542_163b_c652),
            ("drop tab", 2, 353, 0x9626_d783_62ec_7035),
            ("create  user mapping", 42, 25_426, 0x21eb_477f_bb2b_02a1),
            ("SELECT INTO", 1, 0, 0),
        ];
        for (topic, commands, len, hash) in cases {
            let text = help_sql(Some(topic), 80);
            assert_eq!(text.matches("Command:     ").count(), commands, "{topic}");
            if len > 0 {
                assert_eq!((text.len(), fnv1a(&text)), (len, hash), "{topic}");
            }
        }
        assert!(help_sql(Some("alter table foo"), 80).starts_with("Command:     ALTER TABLE\n"));
        assert_eq!(
            help_sql(Some("nothing here"), 80),
            "No help available for \"nothing here\".\nTry \\h with no arguments to see available help.\n"
        );
        assert_eq!(help_topic("select ; ;\t\x0b"), "select");
        assert_eq!(help_topic("  "), "");
    }

    #[test]
    fn generated_data_is_consistent() {
        assert_eq!(QL_HELP.len(), QL_HELP_COUNT);
        assert_eq!(
            QL_HELP.iter().map(|h| h.cmd.len()).max(),
            Some(QL_MAX_CMD_LEN)
        );
        assert!(QL_HELP.windows(2).all(|w| w[0].cmd < w[1].cmd));
        for h in QL_HELP.iter() {
            assert!(!h.syntax.contains("%s"), "{}", h.cmd);
        }
    }
}
