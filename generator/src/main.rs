//! Thin binary over [`generator::cli::run`].

/// Generation allocates many small token trees and strings; mimalloc does this faster than the
/// system allocator (see the README's generation figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let code = generator::cli::run(std::env::args_os(), &mut std::io::stdout(), &mut std::io::stderr());
    std::process::ExitCode::from(code)
}
