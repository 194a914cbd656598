//! Memory handed back to the system between a build's phases.

/// Gives the memory freed so far back to the system. glibc keeps what threads free in
/// their arenas for later use; a build's phases differ in shape (the gate's texts line by
/// line, then the PDFs' fonts, then the search index), so what one phase freed was not
/// what the next asked for, and each came on top of the last: at 10,000 items, trimming
/// after the gate, the PDFs and the search index took the peak from 225 to 184 MiB, for a
/// few milliseconds each.
pub fn release() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the heap; any thread may call it.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Frees `value` on a thread of its own. Freeing what a build held of 10,000 items (the
/// site, the memos read and written, the listings of the output) takes 30–40 ms of a
/// 0.3 s rebuild; the editor need not wait for it, and a process that exits first leaves
/// it to the system. Only for values whose dropping does nothing but free memory.
pub fn free_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}
