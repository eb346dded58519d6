//! Memory given back after a big answer (issue #14). A 10,000-element basket is a 17 MB answer decoded
//! into a model, then into the grid's view: once those are dropped, glibc keeps the freed pages in its
//! arenas for reuse, and the process stays that much bigger for the rest of its life. `malloc_trim`
//! hands them back to the system. A few milliseconds on a blocking thread; other allocators (macOS,
//! Windows, musl) return memory their own way, and there it does nothing.

/// Returns the heap's free pages to the system, in the background.
pub(crate) fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn_blocking(|| {
            // SAFETY: malloc_trim only walks glibc's own arenas; it takes their locks like malloc does.
            unsafe { libc::malloc_trim(0) };
        });
    }
}
