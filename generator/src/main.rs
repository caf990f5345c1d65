//! Thin binary over [`generator::cli::run`].

/// Generation allocates many small token trees and strings; mimalloc does this faster than the
/// system allocator (see the README's generation figures). It is built without transparent huge
/// pages (`no_thp`): with them, a first touch of memory faults in and zeroes a whole 2 MiB page
/// (and where the kernel's THP `defrag` is `madvise`, as on this project's machine, may compact
/// memory first); once the page cache of a crate just written had fragmented memory, loading
/// Microsoft Graph beta took 1.6–1.9 s instead of 0.6–0.7 s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h, which libmimalloc-sys does not export: in v2 and v3
/// alike it is the option just before `mi_option_use_numa_nodes` (16).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = libmimalloc_sys::mi_option_use_numa_nodes - 1;

fn main() -> std::process::ExitCode {
    // A run is short and frees and reallocates hundreds of megabytes between stages (Microsoft
    // Graph: a 47 MB spec). By default mimalloc (v3) returns freed memory to the OS a second
    // later, and the kernel then zeroes it again when it is reused: up to 2 s of system time on
    // Graph beta. Keeping it costs about 100 MB of peak memory there.
    // SAFETY: sets a plain integer option; mimalloc reads options at any time, thread-safely.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    let code = generator::cli::run(std::env::args_os(), &mut std::io::stdout(), &mut std::io::stderr());
    std::process::ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    /// `MI_OPTION_PURGE_DELAY` still names the purge delay: its default is 1000 ms in mimalloc v3
    /// (the version libmimalloc-sys builds by default), and no other option's is. A
    /// libmimalloc-sys that reorders the options fails here rather than silently setting another.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads a plain integer option.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(default, 1000);
    }
}
