//! FNV-1a: a small hash that gives the same value on every run, Rust version and
//! platform (std's hasher does not), simple enough for search.js to compute the same
//! 32-bit value in the browser.

const OFFSET_32: u32 = 0x811c_9dc5;
const PRIME_32: u32 = 0x0100_0193;
const OFFSET_64: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME_64: u64 = 0x0000_0100_0000_01b3;

/// 32-bit FNV-1a of some bytes.
pub fn fnv32(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(OFFSET_32, |h, b| (h ^ u32::from(*b)).wrapping_mul(PRIME_32))
}

/// Mixes `value` into a running 32-bit FNV-style hash `h` (starting at [`fnv32`] of
/// nothing): for hashing a sequence of hashes.
pub fn mix32(h: u32, value: u32) -> u32 {
    (h ^ value).wrapping_mul(PRIME_32)
}

/// 64-bit FNV-1a of some bytes.
pub fn fnv64(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(OFFSET_64, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME_64))
}

/// A 64-bit FNV-1a hash of several fields, each followed by a separator so that
/// ("ab", "c") and ("a", "bc") differ.
#[derive(Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(OFFSET_64)
    }
}

impl Fnv64 {
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(PRIME_64);
        }
        self.0 = self.0.wrapping_mul(PRIME_64) ^ 0xff;
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_values() {
        assert_eq!(fnv32(b""), 0x811c9dc5);
        assert_eq!(fnv32(b"a"), 0xe40c292c);
        assert_eq!(
            fnv32("签证".as_bytes()),
            0xaf00_2893,
            "over the UTF-8 bytes"
        );
        assert_eq!(fnv64(b"a"), 0xaf63dc4c8601ec8c);
    }
}
