//! The `\\if` stack (`fe_utils/conditional.c`): the state of each open block, and what an inactive branch
//! must undo.

/// The state of one `\if` block (`ifState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IfState {
    /// Not in any block.
    None,
    /// This branch is taken; no branch taken before it.
    True,
    /// Not taken; a later `\elif` or `\else` may be.
    False,
    /// The `\else` branch, taken.
    ElseTrue,
    /// The `\else` branch, not taken.
    ElseFalse,
    /// Inside a block that is not taken at all, or after the taken branch.
    Ignored,
}

#[derive(Clone, Debug)]
struct Elem {
    state: IfState,
    /// The query buffer's length when the block (or branch) began, to drop what an inactive branch added.
    query_len: Option<usize>,
    paren_depth: Option<usize>,
}

/// `ConditionalStack`.
#[derive(Clone, Debug, Default)]
pub struct CondStack {
    stack: Vec<Elem>,
}

impl CondStack {
    pub fn new() -> CondStack {
        CondStack::default()
    }

    pub fn push(&mut self, state: IfState) {
        self.stack.push(Elem {
            state,
            query_len: None,
            paren_depth: None,
        });
    }

    pub fn pop(&mut self) -> bool {
        self.stack.pop().is_some()
    }

    pub fn peek(&self) -> IfState {
        self.stack.last().map_or(IfState::None, |e| e.state)
    }

    pub fn poke(&mut self, state: IfState) -> bool {
        match self.stack.last_mut() {
            Some(e) => {
                e.state = state;
                true
            }
            None => false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }

    #[cfg(test)]
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// `conditional_active`: input in the current branch is to be acted on.
    pub fn active(&self) -> bool {
        matches!(
            self.peek(),
            IfState::None | IfState::True | IfState::ElseTrue
        )
    }

    pub(super) fn set_query_len(&mut self, len: usize) {
        if let Some(e) = self.stack.last_mut() {
            e.query_len = Some(len);
        }
    }

    pub(super) fn set_paren_depth(&mut self, depth: usize) {
        if let Some(e) = self.stack.last_mut() {
            e.paren_depth = Some(depth);
        }
    }

    pub(super) fn query_len(&self) -> Option<usize> {
        self.stack.last().and_then(|e| e.query_len)
    }

    pub(super) fn paren_depth(&self) -> Option<usize> {
        self.stack.last().and_then(|e| e.paren_depth)
    }
}
