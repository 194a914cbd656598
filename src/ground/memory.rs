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

/// The glibc setting that backs its heap with transparent huge pages where the system
/// gives them on request (`madvise`, as most have it); glibc reads it only when a process
/// starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const HUGE_PAGES: &str = "glibc.malloc.hugetlb=1";

/// Starts this process again with glibc's heap on huge pages, when it is not already. An
/// edit of a large site touches some 85 MB it did not hold before, 21,000 pages each
/// faulted in on its own (a tenth of its CPU); on 2 MB pages, a third of them. Only for a
/// build that will be an edit: a full build's peak grows by a few megabytes on huge pages,
/// and it must stay under 150 MiB. On any failure to start again, the process goes on as
/// it is.
pub fn on_huge_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        let tunables = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
        if tunables.contains("glibc.malloc.hugetlb") {
            return;
        }
        let tunables = match tunables.is_empty() {
            true => HUGE_PAGES.to_string(),
            false => format!("{tunables}:{HUGE_PAGES}"),
        };
        let mut args = std::env::args_os();
        let (Some(name), Ok(program)) = (args.next(), std::env::current_exe()) else {
            return;
        };
        // By its own path, not /proc/self/exe: the process keeps its name (`ps`, `top`).
        // Only returns if the process could not be started again.
        let _ = std::process::Command::new(program)
            .arg0(name)
            .args(args)
            .env("GLIBC_TUNABLES", tunables)
            .exec();
    }
}
