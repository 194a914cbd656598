//! How the memos kept as JSON beside the output write what a build holds otherwise:
//! keys as hexadecimal text (JSON has no 128-bit numbers), and maps looked up by hash
//! as objects in the order of their names, so that the same memo is the same bytes. A
//! build reads and writes memos of every page and every text (12,000 of each at 10,000
//! items): numbers and hashes, not text and ordered maps, are what it looks them up in.

use std::fmt;

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ByName;
use super::digest::{Key, from_hex, hex as hex_of};

/// A key as its hexadecimal text (`#[serde(with = "kept_json::hex")]`).
pub mod hex {
    use super::*;

    pub fn serialize<S: Serializer>(key: &Key, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex_of(*key))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        d.deserialize_str(HexText)
    }
}

/// Two keys as a list of their texts (`#[serde(with = "kept_json::hex_pair")]`).
pub mod hex_pair {
    use super::*;

    pub fn serialize<S: Serializer>(keys: &[Key; 2], s: S) -> Result<S::Ok, S::Error> {
        [Hex(keys[0]), Hex(keys[1])].serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[Key; 2], D::Error> {
        let [a, b] = <[Hex; 2]>::deserialize(d)?;
        Ok([a.0, b.0])
    }
}

/// Reads a key from its text without keeping the text.
struct HexText;

impl Visitor<'_> for HexText {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key in hexadecimal")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
        from_hex(v).ok_or_else(|| E::custom("not a key"))
    }
}

/// A key kept as its text, inside a map.
struct Hex(Key);

impl Serialize for Hex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        hex::serialize(&self.0, s)
    }
}

impl<'de> Deserialize<'de> for Hex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        hex::deserialize(d).map(Hex)
    }
}

/// A map by name written in the order of its names (`#[serde(with = "kept_json::sorted")]`).
pub mod sorted {
    use super::*;

    pub fn serialize<V: Serialize, S: Serializer>(
        map: &ByName<V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        write_sorted(map.iter(), |v| v, s)
    }

    pub fn deserialize<'de, V: DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<ByName<V>, D::Error> {
        d.deserialize_map(Entries(|v| v, std::marker::PhantomData::<V>))
    }
}

/// A map of keys by name, written in the order of its names, the keys as text
/// (`#[serde(with = "kept_json::sorted_hex")]`).
pub mod sorted_hex {
    use super::*;

    pub fn serialize<S: Serializer>(map: &ByName<Key>, s: S) -> Result<S::Ok, S::Error> {
        write_sorted(map.iter(), |k| Hex(*k), s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ByName<Key>, D::Error> {
        d.deserialize_map(Entries(|h: Hex| h.0, std::marker::PhantomData::<Hex>))
    }
}

fn write_sorted<'a, V: 'a, T: Serialize, S: Serializer>(
    entries: impl Iterator<Item = (&'a String, &'a V)>,
    as_kept: impl Fn(&'a V) -> T,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut sorted: Vec<(&String, &V)> = entries.collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut map = s.serialize_map(Some(sorted.len()))?;
    for (name, value) in sorted {
        map.serialize_entry(name, &as_kept(value))?;
    }
    map.end()
}

/// Reads a map's entries as `T`, each kept as what the function it holds makes of it.
struct Entries<F, T>(F, std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>, V, F: Fn(T) -> V> Visitor<'de> for Entries<F, T> {
    type Value = ByName<V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map by name")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut map =
            ByName::with_capacity_and_hasher(access.size_hint().unwrap_or(0), Default::default());
        while let Some((name, value)) = access.next_entry::<String, T>()? {
            map.insert(name, (self.0)(value));
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Kept {
        #[serde(with = "hex")]
        key: Key,
        #[serde(with = "sorted")]
        texts: ByName<Vec<u32>>,
        #[serde(with = "sorted_hex")]
        pages: ByName<Key>,
        #[serde(with = "hex_pair")]
        bodies: [Key; 2],
    }

    /// The same memo is the same bytes, whatever order its maps were filled in, and reads
    /// back as it was; a key that is not hexadecimal does not read.
    #[test]
    fn maps_by_hash_are_written_in_order_and_keys_as_text() {
        let names = [
            "news/通知/",
            "index.html",
            "zwgk/公开信息00002/",
            "news/2024/",
        ];
        let kept = |order: &[usize]| Kept {
            key: 0xabc,
            texts: order
                .iter()
                .map(|&i| (names[i].to_string(), vec![i as u32]))
                .collect(),
            pages: order
                .iter()
                .map(|&i| (names[i].to_string(), (i as u128) << 120))
                .collect(),
            bodies: [u128::MAX, 7],
        };
        let one = serde_json::to_string(&kept(&[0, 1, 2, 3])).unwrap();
        let other = serde_json::to_string(&kept(&[3, 2, 1, 0])).unwrap();
        assert_eq!(one, other);
        assert!(one.starts_with(r#"{"key":"00000000000000000000000000000abc","texts":{"index.html":[1],"news/2024/":[3],"news/通知/":[0],"#));
        assert!(one.contains(r#""pages":{"index.html":"01000000000000000000000000000000","#));
        assert!(one.ends_with(
            r#""bodies":["ffffffffffffffffffffffffffffffff","00000000000000000000000000000007"]}"#
        ));
        let back: Kept = serde_json::from_str(&one).unwrap();
        assert_eq!(back, kept(&[0, 1, 2, 3]));
        assert!(serde_json::from_str::<Kept>(&one.replace("0abc", "0abz")).is_err());
    }
}
