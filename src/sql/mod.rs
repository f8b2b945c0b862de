//! SQL text: finding statement boundaries as psql does, classifying statements, reading SQL files.

pub mod keywords;
pub mod quote;
pub mod scan;
pub mod sqlfile;
