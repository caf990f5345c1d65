//! Thin binary over [`generator::cli::run`].

/// Generation allocates many small token trees and strings; mimalloc does this faster than the
/// system allocator (see the README's generation figures). It is built without transparent huge
/// pages (`no_thp`): on a machine whose memory is fragmented (by the page cache of a crate just
/// written, say), every 2 MiB page fault compacts memory first, which made loading Microsoft
/// Graph beta take 1.6–1.9 s instead of 0.6–0.7 s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h, which libmimalloc-sys does not export: in v2 and v3
/// alike it is the option just before `mi_option_use_numa_nodes` (16).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = libmimalloc_sys::mi_option_use_numa_nodes - 1;

fn main() -> std::process::ExitCode {
    // A run is short and frees and reallocates hundreds of megabytes between stages (Microsoft
    // Graph: a 47 MB spec). By default mimalloc returns freed memory to the OS after 10 ms, and the
    // kernel then zeroes it again (in 2 MiB huge pages) when it is reused: up to 2 s of system
    // time on Graph beta. Keeping it costs about 100 MB of peak memory there.
    // SAFETY: sets a plain integer option; mimalloc reads options at any time, thread-safely.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    let code = generator::cli::run(std::env::args_os(), &mut std::io::stdout(), &mut std::io::stderr());
    std::process::ExitCode::from(code)
}
