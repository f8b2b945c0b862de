//! The `pgsh` binary: everything lives in the library.

/// mimalloc rather than glibc's malloc: a stream makes and frees a row map, its texts and timestamps for every
/// row, and mimalloc's thread-local free lists do that faster (1M rows 0.50 → 0.40 s). Results held in memory
/// are kept by column in a few large vectors, so its copying reallocation of huge blocks (why it was once
/// rejected) no longer matters. Measurements: docs/benchmark.md. The library leaves the choice of allocator to
/// whoever embeds it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    pgsh::run()
}
