//! Command-line options → a run configuration. Pure: the environment comes in as a function, nothing is read
//! or printed here. Each option is defined once; its doc comment is its help text ([`options`]); what a run
//! does with them, together with the environment and the configuration file, is [`configure`]'s.

mod configure;
#[cfg(test)]
mod fuzz_tests;
mod options;
#[cfg(test)]
mod tests;

pub use configure::{configure, Config, Mode};
pub use options::{help_text, parse_from};
