//! The `pgsh` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    pgsh::run()
}
