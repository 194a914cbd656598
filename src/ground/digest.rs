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

/// The hasher of inputs. A page's key is fed in thousands of pieces of a few bytes (a
/// tag, a length, a word); they are gathered here and handed to xxh3 a buffer at a time,
/// since its own update costs a call and a copy for each (3.7 % of a full build's samples
/// at 10,000 items). The bytes hashed, and so every key, are the same.
#[derive(Clone)]
pub struct Hasher {
    state: Xxh3,
    buf: [u8; BUFFER],
    len: usize,
}

const BUFFER: usize = 256;

impl Default for Hasher {
    fn default() -> Self {
        Hasher {
            state: Xxh3::default(),
            buf: [0; BUFFER],
            len: 0,
        }
    }
}

impl Hasher {
    #[inline]
    pub fn update(&mut self, bytes: &[u8]) {
        if bytes.len() > BUFFER - self.len {
            self.state.update(&self.buf[..self.len]);
            self.len = 0;
            if bytes.len() > BUFFER {
                self.state.update(bytes);
                return;
            }
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// Adds a piece whose end must be told from the next one's start.
    #[inline]
    pub fn piece(&mut self, bytes: &[u8]) {
        self.update(&(bytes.len() as u64).to_le_bytes());
        self.update(bytes);
    }

    pub fn finish(&self) -> Key {
        let mut state = self.state.clone();
        state.update(&self.buf[..self.len]);
        state.digest128()
    }
}

impl std::io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The key of a file's bytes, as the gate reads an attachment and the copy checks it.
pub fn of_bytes(bytes: &[u8]) -> Key {
    let mut h = Hasher::default();
    h.update(bytes);
    h.finish()
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

/// The stamp of the file at `path` (links followed); none when it is not a file.
pub fn file_stamp(path: &std::path::Path) -> Option<Stamp> {
    fs::metadata(path)
        .ok()
        .filter(fs::Metadata::is_file)
        .map(|m| stamp_of(&m))
}

/// How long before a build a file must have been saved for its stamp to stand for its
/// bytes (nanoseconds): a clock coarser than the saves could give a second save the
/// first one's stamp.
pub const SETTLED: u64 = 2_000_000_000;

/// Now, in nanoseconds since 1970, as a build's start.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// Whether a file of `stamp` was saved more than [`SETTLED`] before `started`, so that
/// the next build may take its stamp for its bytes.
pub fn settled(stamp: &Stamp, started: u64) -> bool {
    stamp.1.saturating_add(SETTLED) < started
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Gathered into a buffer or not, the key is xxh3's of the bytes as one run: pieces
    /// that fill it exactly, overflow it, or are longer than it.
    #[test]
    fn a_key_is_that_of_its_bytes_however_they_were_fed() {
        let pieces: Vec<Vec<u8>> = [1, 8, 255, 0, 256, 3, 257, 600, 1, 1, 100, 156, 7]
            .iter()
            .enumerate()
            .map(|(i, &n)| "公开".bytes().cycle().skip(i).take(n).collect())
            .collect();
        let mut h = Hasher::default();
        for p in &pieces {
            h.update(p);
        }
        let whole = pieces.concat();
        assert_eq!(h.finish(), xxhash_rust::xxh3::xxh3_128(&whole));
        // Taking the key leaves the hasher as it was.
        h.update(b"x");
        assert_eq!(
            h.finish(),
            xxhash_rust::xxh3::xxh3_128(&[&whole[..], b"x"].concat())
        );
    }
}
