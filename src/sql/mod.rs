//! SQL text: its lexical rules, finding statement boundaries as psql does, classifying statements, reading
//! SQL files.

#[allow(dead_code)] // wired in by the psql engine
pub mod keywords;
pub mod lexer;
#[allow(dead_code)] // wired in by the psql engine
pub mod quote;
pub mod scan;
