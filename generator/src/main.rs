//! Thin binary over [`generator::cli::run`].

fn main() -> std::process::ExitCode {
    let code = generator::cli::run(std::env::args_os(), &mut std::io::stdout(), &mut std::io::stderr());
    std::process::ExitCode::from(code)
}
