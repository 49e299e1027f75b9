//! What the models' serde impls share: the decoder of an object's keys and
//! the measure of how well a struct fits an object.
// Not every API has structs or `oneOf`s without a discriminator.
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt;

/// A key of a JSON object a model decodes, borrowed from the input when the
/// input allows it. Each model matches it against its JSON names and keeps
/// any other key, with its value, among its unknown fields.
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Key<'_>> for String {
    fn from(key: Key<'_>) -> String {
        key.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> serde::de::Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// How many of the keys of `value` (a JSON object) a struct decoded from it
/// knows: those not kept among its unknown fields. The measure by which a
/// `oneOf` without a discriminator picks the variant that fits best.
pub(crate) fn known_keys(
    value: &serde_json::Value,
    unknown: &serde_json::Map<String, serde_json::Value>,
) -> usize {
    value
        .as_object()
        .map_or(0, |object| object.len().saturating_sub(unknown.len()))
}
