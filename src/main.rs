//! The `pgsh` binary: everything lives in the library.

/// mimalloc for small blocks, the system allocator for large ones (src/alloc.rs says why).
#[global_allocator]
static GLOBAL: pgsh::Allocator = pgsh::Allocator;

fn main() -> std::process::ExitCode {
    pgsh::run()
}
