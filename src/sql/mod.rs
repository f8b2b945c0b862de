//! SQL text: its lexical rules, finding statement boundaries as psql does, classifying statements, reading
//! SQL files.

pub mod keywords;
pub mod lexer;
pub mod quote;
pub mod scan;
