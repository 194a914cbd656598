//! Any serde value fed to a [`Hasher`] as it serializes, without being built first: a
//! rebuild keys every page from what its template would be given, and building those
//! values (tera's, with a copy of each item's body) only to hash them cost more than the
//! pages it then rendered.
//!
//! Each part is tagged with its kind and each string, name and byte string is length
//! prefixed, and a sequence or map ends with a tag no part starts with: two values feed
//! the same bytes only when they serialize alike.

use serde::Serialize;
use serde::ser::{self, SerializeMap, SerializeSeq, SerializeStruct};

use super::Hasher;

/// Feeds `value` to `h`.
pub fn hash_serialized<T: Serialize + ?Sized>(h: &mut Hasher, value: &T) {
    // The sink never fails; a value's own `Serialize` may, and then says so in the key.
    if let Err(e) = value.serialize(Sink(h)) {
        h.update(b"!");
        h.piece(e.0.as_bytes());
    }
}

/// A value that failed to serialize.
#[derive(Debug)]
pub struct Failed(String);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Failed(msg.to_string())
    }
}

struct Sink<'h>(&'h mut Hasher);

impl Sink<'_> {
    fn tagged(self, tag: &[u8], bytes: &[u8]) -> Result<(), Failed> {
        self.0.update(tag);
        self.0.update(bytes);
        Ok(())
    }

    fn named(self, tag: &[u8], bytes: &[u8]) -> Result<(), Failed> {
        self.0.update(tag);
        self.0.piece(bytes);
        Ok(())
    }

    fn open(self, tag: &[u8]) -> Result<Self, Failed> {
        self.0.update(tag);
        Ok(self)
    }
}

impl<'h> ser::Serializer for Sink<'h> {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = Sink<'h>;
    type SerializeTuple = Sink<'h>;
    type SerializeTupleStruct = Sink<'h>;
    type SerializeTupleVariant = Sink<'h>;
    type SerializeMap = Sink<'h>;
    type SerializeStruct = Sink<'h>;
    type SerializeStructVariant = Sink<'h>;

    fn serialize_bool(self, v: bool) -> Result<(), Failed> {
        self.tagged(b"b", &[u8::from(v)])
    }
    fn serialize_i8(self, v: i8) -> Result<(), Failed> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Failed> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Failed> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Failed> {
        self.tagged(b"i", &v.to_le_bytes())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Failed> {
        self.tagged(b"I", &v.to_le_bytes())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Failed> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Failed> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Failed> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Failed> {
        self.tagged(b"u", &v.to_le_bytes())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Failed> {
        self.tagged(b"U", &v.to_le_bytes())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Failed> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Failed> {
        self.tagged(b"f", &v.to_bits().to_le_bytes())
    }
    fn serialize_char(self, v: char) -> Result<(), Failed> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Failed> {
        self.named(b"s", v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Failed> {
        self.named(b"y", v)
    }
    fn serialize_none(self) -> Result<(), Failed> {
        self.tagged(b"n", &[])
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Failed> {
        self.0.update(b"o");
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Failed> {
        self.tagged(b"0", &[])
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Failed> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Failed> {
        self.named(b"v", variant.as_bytes())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.0.update(b"V");
        self.0.piece(variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Failed> {
        self.open(b"[")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Failed> {
        self.open(b"[")
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Failed> {
        self.open(b"[")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Failed> {
        self.0.update(b"V");
        self.0.piece(variant.as_bytes());
        self.open(b"[")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Failed> {
        self.open(b"{")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Failed> {
        self.open(b"{")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Failed> {
        self.0.update(b"V");
        self.0.piece(variant.as_bytes());
        self.open(b"{")
    }
}

impl SerializeSeq for Sink<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        value.serialize(Sink(self.0))
    }
    fn end(self) -> Result<(), Failed> {
        self.tagged(b"]", &[])
    }
}

impl ser::SerializeTuple for Sink<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Failed> {
        SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Sink<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Failed> {
        SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Sink<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Failed> {
        SerializeSeq::end(self)
    }
}

impl SerializeMap for Sink<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Failed> {
        key.serialize(Sink(self.0))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        value.serialize(Sink(self.0))
    }
    fn end(self) -> Result<(), Failed> {
        self.tagged(b"}", &[])
    }
}

impl SerializeStruct for Sink<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.0.update(b"k");
        self.0.piece(name.as_bytes());
        value.serialize(Sink(self.0))
    }
    fn skip_field(&mut self, _: &'static str) -> Result<(), Failed> {
        Ok(())
    }
    fn end(self) -> Result<(), Failed> {
        SerializeMap::end(self)
    }
}

impl ser::SerializeStructVariant for Sink<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        SerializeStruct::serialize_field(self, name, value)
    }
    fn end(self) -> Result<(), Failed> {
        SerializeMap::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn key<T: Serialize + ?Sized>(value: &T) -> crate::ground::digest::Key {
        let mut h = Hasher::default();
        hash_serialized(&mut h, value);
        h.finish()
    }

    #[derive(Serialize)]
    struct Item<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
        summary: Option<&'a str>,
    }

    #[test]
    fn values_that_differ_anywhere_feed_different_bytes() {
        let item = |title, tags, summary| {
            key(&Item {
                title,
                tags,
                summary,
            })
        };
        let base = item("关于开展安全生产检查的通知", vec!["通知公告"], None);
        assert_eq!(
            base,
            item("关于开展安全生产检查的通知", vec!["通知公告"], None)
        );
        // A string's end is told from the next part's start, a list's end from another
        // element, nothing from an empty string.
        assert_ne!(
            base,
            item("关于开展安全生产检查的通", vec!["知通知公告"], None)
        );
        assert_ne!(
            base,
            item("关于开展安全生产检查的通知", vec!["通知", "公告"], None)
        );
        assert_ne!(
            base,
            item("关于开展安全生产检查的通知", vec!["通知公告"], Some(""))
        );
        assert_ne!(key(&vec![vec!["a"], vec![]]), key(&vec![vec![], vec!["a"]]));
        let map = |pairs: &[(&str, &str)]| key(&pairs.iter().copied().collect::<BTreeMap<_, _>>());
        assert_ne!(map(&[("标题", "通知")]), map(&[("标题通", "知")]));
        assert_ne!(key(&1u32), key(&1.0f64));
        assert_ne!(key(&true), key(&1u8));
    }
}
