//! `\if`, `\elif`, `\else`, `\endif` (`fe_utils/conditional.c` and the branching commands of `command.c`):
//! a stack of branch states; text read in a branch not taken is scanned but dropped.

use super::cmd::{BackslashResult, Cmd};
use super::condstack::IfState;
use crate::psql::scan::SlashOptionType;

/// `save_query_text_state`.
fn save_query_text_state(c: &mut Cmd<'_>) {
    if let Some(q) = c.query_buf.as_deref() {
        let len = q.len();
        c.cstack.set_query_len(len);
    }
    let depth = c.scan.paren_depth();
    c.cstack.set_paren_depth(depth);
}

/// `discard_query_text`.
fn discard_query_text(c: &mut Cmd<'_>) {
    if let (Some(q), Some(len)) = (c.query_buf.as_deref_mut(), c.cstack.query_len()) {
        q.truncate(len);
    }
    if let Some(d) = c.cstack.paren_depth() {
        c.scan.set_paren_depth(d);
    }
}

/// `gather_boolean_expression`: all remaining options, space-separated.
fn gather_boolean_expression(c: &mut Cmd<'_>) -> String {
    let mut words = Vec::new();
    while let Some((w, _)) = c.option(SlashOptionType::Normal, false) {
        words.push(w);
    }
    words.join(" ")
}

/// `is_true_boolean_expression`: the options read as a psql boolean (an error reported if they are not
/// one, and then false).
fn is_true_boolean_expression(c: &mut Cmd<'_>, name: &str) -> bool {
    let expr = gather_boolean_expression(c);
    match crate::psql::boolean::parse_bool(&expr) {
        Some(v) => v,
        None => {
            c.e.log_error(&crate::psql::boolean::bool_error(&expr, name));
            false
        }
    }
}

pub fn exec_if(c: &mut Cmd<'_>) -> BackslashResult {
    if c.cstack.active() {
        c.cstack.push(IfState::True);
        save_query_text_state(c);
        if !is_true_boolean_expression(c, "\\if expression") {
            c.cstack.poke(IfState::False);
        }
    } else {
        // A block inside an inactive branch is ignored whatever it says.
        c.cstack.push(IfState::Ignored);
        save_query_text_state(c);
        gather_boolean_expression(c);
    }
    BackslashResult::SkipLine
}

pub fn exec_elif(c: &mut Cmd<'_>) -> BackslashResult {
    match c.cstack.peek() {
        IfState::True => {
            // Just finished the taken branch: ignore the rest of the block.
            save_query_text_state(c);
            c.cstack.poke(IfState::Ignored);
            gather_boolean_expression(c);
        }
        IfState::False => {
            // Not taken so far: drop what the branch added, then evaluate this one.
            discard_query_text(c);
            c.cstack.poke(IfState::True);
            if !is_true_boolean_expression(c, "\\elif expression") {
                c.cstack.poke(IfState::False);
            }
        }
        IfState::Ignored => {
            discard_query_text(c);
            gather_boolean_expression(c);
        }
        IfState::ElseTrue | IfState::ElseFalse => {
            c.e.log_error("\\elif: cannot occur after \\else");
            return BackslashResult::Error;
        }
        IfState::None => {
            c.e.log_error("\\elif: no matching \\if");
            return BackslashResult::Error;
        }
    }
    BackslashResult::SkipLine
}

pub fn exec_else(c: &mut Cmd<'_>) -> BackslashResult {
    match c.cstack.peek() {
        IfState::True => {
            save_query_text_state(c);
            c.cstack.poke(IfState::ElseFalse);
        }
        IfState::False => {
            discard_query_text(c);
            c.cstack.poke(IfState::ElseTrue);
        }
        IfState::Ignored => {
            discard_query_text(c);
            c.cstack.poke(IfState::ElseFalse);
        }
        IfState::ElseTrue | IfState::ElseFalse => {
            c.e.log_error("\\else: cannot occur after \\else");
            return BackslashResult::Error;
        }
        IfState::None => {
            c.e.log_error("\\else: no matching \\if");
            return BackslashResult::Error;
        }
    }
    BackslashResult::SkipLine
}

pub fn exec_endif(c: &mut Cmd<'_>) -> BackslashResult {
    match c.cstack.peek() {
        IfState::True | IfState::ElseTrue => {
            c.cstack.pop();
        }
        IfState::False | IfState::Ignored | IfState::ElseFalse => {
            discard_query_text(c);
            c.cstack.pop();
        }
        IfState::None => {
            c.e.log_error("\\endif: no matching \\if");
            return BackslashResult::Error;
        }
    }
    BackslashResult::SkipLine
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::condstack::CondStack;

    #[test]
    fn activity_follows_the_top_state() {
        let mut s = CondStack::new();
        assert!(s.active());
        s.push(IfState::False);
        assert!(!s.active());
        s.poke(IfState::ElseTrue);
        assert!(s.active());
        s.push(IfState::Ignored);
        assert!(!s.active());
        assert_eq!(s.depth(), 2);
        assert!(s.pop() && s.pop() && !s.pop());
        assert_eq!(s.peek(), IfState::None);
    }
}
