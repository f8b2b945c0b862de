//! The Rhai side: the engine, pgsh's functions, the rows type, running code and reporting its errors.

pub mod api;
pub mod data;
pub mod datetime;
pub mod diag;
pub mod engine;
pub mod explain;
pub mod modules;
pub mod numeric;
pub mod rows;
pub mod runner;
pub mod sys;
pub mod tx;
