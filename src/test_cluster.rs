//! The integration tests' throwaway native clusters (`tests/common`), compiled into the unit tests too, so a
//! unit test that needs a live server (the describe commands against their transcripts) makes its own
//! instead of needing one named from outside.
#![allow(dead_code)]

#[path = "../tests/common/cluster.rs"]
pub mod cluster;
#[path = "../tests/common/process.rs"]
mod process;
#[path = "../tests/common/setup.rs"]
mod setup;

pub use cluster::NativeCluster;
