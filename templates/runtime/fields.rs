//! What the models' serde impls share: the decoder of an object's keys, the
//! measures of how well a `oneOf` variant fits an object, and the writer of
//! optional fields.
{%- if f.keys %}

use std::borrow::Cow;
use std::fmt;
{%- endif %}

{%- if f.keys %}
/// A key of a JSON object a model decodes, borrowed from the input when the
/// input allows it. Each model matches it against its JSON names and keeps
/// any other key, with its value, among its unknown fields.
pub(crate) struct Key<'de>(Cow<'de, str>);

{%- if f.key_as_str %}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}
{%- endif %}
{%- if f.key_into %}

impl From<Key<'_>> for String {
    fn from(key: Key<'_>) -> String {
        key.0.into_owned()
    }
}
{%- endif %}

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
{%- endif %}

{%- if f.known_keys %}
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
{%- endif %}

{%- if f.union_score %}
/// How much of a JSON value a decoded `oneOf`/`anyOf` variant that is not a
/// struct (a map, an array, a scalar) accounts for: the number of the
/// object's fields its encoding keeps, 1 for a value that is not an object.
pub(crate) fn union_score<T: serde::Serialize>(value: &serde_json::Value, decoded: &T) -> usize {
    match (value, serde_json::to_value(decoded)) {
        (serde_json::Value::Object(original), Ok(serde_json::Value::Object(kept))) => {
            original.keys().filter(|key| kept.contains_key(*key)).count()
        }
        _ => 1,
    }
}
{%- endif %}

{%- if f.optional %}
/// Writes a model's optional field: left out when it is `None`.
pub(crate) trait SerializeOptional: serde::ser::SerializeMap {
    fn serialize_optional<T: serde::Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), Self::Error> {
        match value {
            Some(value) => self.serialize_entry(key, value),
            None => Ok(()),
        }
    }
}

impl<M: serde::ser::SerializeMap> SerializeOptional for M {}
{%- endif %}
