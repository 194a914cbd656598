//! Memory handed back to the system between a build's phases.

/// Gives the memory freed so far back to the system. glibc keeps what threads free in
/// their arenas for later use; a build's phases differ in shape (the gate's texts line by
/// line, then the PDFs' fonts, then the search index), so what one phase freed was not
/// what the next asked for, and each came on top of the last: at 10,000 items, trimming
/// after the gate, the PDFs and the search index took the peak from 225 to 184 MiB, for a
/// few milliseconds each. Not on an edit's heap ([`on_edit_heap`]), which is kept whole.
pub fn release() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if !EDIT_HEAP_ON.load(std::sync::atomic::Ordering::Relaxed) {
        // SAFETY: malloc_trim only returns free pages of the heap; any thread may call it.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}

/// Frees `value` on a thread of its own. Freeing what a build held of 10,000 items (the
/// site, the memos read and written, the listings of the output) takes 30–40 ms of a
/// 0.3 s rebuild; the editor need not wait for it, and a process that exits first leaves
/// it to the system. Only for values whose dropping does nothing but free memory.
pub fn free_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// The glibc settings of an edit's heap: backed by transparent huge pages where the
/// system gives them on request (`madvise`, as most have it), grown 64 MiB at a time and
/// never given back before the exit. glibc reads them only when a process starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const EDIT_HEAP: &str =
    "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864:glibc.malloc.trim_threshold=1073741824";

/// Whether this process runs on [`EDIT_HEAP`]: [`release`] then leaves the heap as it is.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
static EDIT_HEAP_ON: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Starts this process again on an edit's heap, when it is not on it already. An edit of a
/// large site touches some 90 MB it did not hold before: on huge pages but glibc's own
/// growth, 14,000–15,500 page faults at 10,000 items, memory trimmed after the gate and
/// the render faulted in again by the next phase; on this heap 2,100–2,500, both starts
/// included, and 15 % off the edit's time (docs/benchmarks.md, stop 55). Only for a build
/// that will be an edit: a full build's peak grows on it, and must stay under 150 MiB.
/// Settings of the user's own for huge pages (`glibc.malloc.hugetlb=0`) are kept, and the
/// process goes on as it is; so it does on any failure to start again.
pub fn on_edit_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        let tunables = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
        if tunables.contains(EDIT_HEAP) {
            EDIT_HEAP_ON.store(true, std::sync::atomic::Ordering::Relaxed);
            return;
        }
        if tunables.contains("glibc.malloc.hugetlb") {
            return;
        }
        let tunables = match tunables.is_empty() {
            true => EDIT_HEAP.to_string(),
            false => format!("{tunables}:{EDIT_HEAP}"),
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
