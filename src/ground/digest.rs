//! What a thing was made from, as one 128-bit number (xxh3): a build keeps the key of
//! each page, each gate finding and each PDF it made, and makes again only what has a new
//! key. [`program`] goes into every key: another gongkai may make things otherwise.

use std::fs;
use std::sync::OnceLock;
use std::time::UNIX_EPOCH;

use xxhash_rust::xxh3::Xxh3;

mod serialized;
pub use serialized::hash_serialized;

/// A 128-bit hash of something's inputs.
pub type Key = u128;

/// The hasher of inputs.
#[derive(Default, Clone)]
pub struct Hasher(Xxh3);

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Adds a piece whose end must be told from the next one's start.
    pub fn piece(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub fn finish(&self) -> Key {
        self.0.digest128()
    }
}

impl std::io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A key as text (JSON has no 128-bit numbers).
pub fn hex(key: Key) -> String {
    format!("{key:032x}")
}

/// A key read back from [`hex`].
pub fn from_hex(text: &str) -> Option<Key> {
    Key::from_str_radix(text, 16).ok()
}

/// A file's size and modification time (nanoseconds since 1970), which change when it is
/// saved.
pub type Stamp = (u64, u64);

pub fn stamp_of(meta: &fs::Metadata) -> Stamp {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    (meta.len(), mtime)
}

/// The running gongkai binary's stamp: another binary may build otherwise. Taken once
/// per process: a binary replaced on disk while it runs is not the one running.
pub fn program_stamp() -> Option<Stamp> {
    static STAMP: OnceLock<Option<Stamp>> = OnceLock::new();
    *STAMP.get_or_init(|| {
        let exe = std::env::current_exe().ok()?;
        fs::metadata(exe).ok().map(|m| stamp_of(&m))
    })
}

/// The running program, as its size, time and version.
pub fn program() -> &'static str {
    static PROGRAM: OnceLock<String> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        let (len, time) = program_stamp().unwrap_or_default();
        format!("{}:{len}:{time}", env!("CARGO_PKG_VERSION"))
    })
}
