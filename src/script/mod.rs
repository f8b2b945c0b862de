//! The Rhai side: the engine, pgsh's functions as plugin modules (each documented where it is defined),
//! the rows type, running code and reporting its errors.

pub mod api;
pub mod batch;
pub mod data;
pub mod datetime;
pub mod diag;
pub mod docs;
pub mod engine;
pub mod explain;
pub mod fan_out;
pub mod handle;
pub mod hints;
pub mod limits;
pub mod modules;
pub mod notify;
pub mod numeric;
pub mod psql_vars;
pub mod rows;
pub mod runner;
pub mod script_error;
pub mod show;
pub mod sql_file;
pub mod sys;
pub mod tx;
