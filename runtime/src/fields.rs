//! What the models' serde impls share: the decoder of an object's keys, the
//! measures of how well a `oneOf` variant fits an object, and the encoder of
//! their fields.

#[cfg(feature = "keys")]
use std::borrow::Cow;
#[cfg(any(feature = "keys", feature = "loose"))]
use std::fmt;

/// A key of a JSON object a model decodes, borrowed from the input when the
/// input allows it. Each model matches it against its JSON names and keeps
/// any other key, with its value, among its unknown fields.
#[cfg(feature = "keys")]
pub(crate) struct Key<'de>(Cow<'de, str>);

#[cfg(feature = "key-as-str")]
impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(feature = "key-into")]
impl From<Key<'_>> for String {
    fn from(key: Key<'_>) -> String {
        key.0.into_owned()
    }
}

#[cfg(feature = "keys")]
impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(feature = "keys")]
struct KeyVisitor;

#[cfg(feature = "keys")]
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
#[cfg(feature = "known-keys")]
pub(crate) fn known_keys(
    value: &serde_json::Value,
    unknown: &serde_json::Map<String, serde_json::Value>,
) -> usize {
    value
        .as_object()
        .map_or(0, |object| object.len().saturating_sub(unknown.len()))
}

/// How much of a JSON value a decoded `oneOf`/`anyOf` variant that is not a
/// struct (a map, an array, a scalar) accounts for: the number of the
/// object's fields its encoding keeps, 1 for a value that is not an object.
#[cfg(feature = "union-score")]
pub(crate) fn union_score<T: serde::Serialize>(value: &serde_json::Value, decoded: &T) -> usize {
    match (value, serde_json::to_value(decoded)) {
        (serde_json::Value::Object(original), Ok(serde_json::Value::Object(kept))) => original
            .keys()
            .filter(|key| kept.contains_key(*key))
            .count(),
        _ => 1,
    }
}

/// The decoders' steps, shared by every model so that each decodes its
/// entries with one call per field and one `?` per entry: each reads the
/// value of the entry the map is at.
#[cfg(feature = "key-into")]
pub(crate) trait NextField<'de>: serde::de::MapAccess<'de> {
    /// Decodes the value into `slot`.
    #[cfg(feature = "next-set")]
    fn next_set<T: serde::Deserialize<'de>>(&mut self, slot: &mut T) -> Result<(), Self::Error> {
        *slot = self.next_value()?;
        Ok(())
    }

    /// Decodes the value into `slot`, in `Some`: the field is required, or
    /// it tells a `null` from its absence.
    #[cfg(feature = "next-some")]
    fn next_some<T: serde::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
    ) -> Result<(), Self::Error> {
        *slot = Some(self.next_value()?);
        Ok(())
    }

    /// Decodes the value into `slot` as [`Loose`] decodes it.
    #[cfg(feature = "loose-set")]
    fn next_loose_set<T: DecodeLoose>(&mut self, slot: &mut T) -> Result<(), Self::Error> {
        *slot = self.next_value::<Loose<T>>()?.0;
        Ok(())
    }

    /// Decodes the value into `slot` as [`Loose`] decodes it, in `Some`.
    #[cfg(feature = "loose-some")]
    fn next_loose_some<T: DecodeLoose>(&mut self, slot: &mut Option<T>) -> Result<(), Self::Error> {
        *slot = Some(self.next_value::<Loose<T>>()?.0);
        Ok(())
    }

    /// Keeps the entry, whose key the model does not know, among `unknown`.
    fn next_unknown(
        &mut self,
        key: Key<'de>,
        unknown: &mut serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), Self::Error> {
        unknown.insert(key.into(), self.next_value()?);
        Ok(())
    }
}

#[cfg(feature = "key-into")]
impl<'de, A: serde::de::MapAccess<'de>> NextField<'de> for A {}

/// serde's missing-field error for the first of a model's required fields
/// (name, absent) that is absent: a model checks its required fields at
/// once, in one `match` on all of them, and names the missing one here.
#[cfg(feature = "required-fields")]
pub(crate) fn missing<E: serde::de::Error>(fields: &[(&'static str, bool)]) -> E {
    let name = fields
        .iter()
        .find(|(_, absent)| *absent)
        .map_or("", |(name, _)| name);
    E::missing_field(name)
}

/// A model's encoder: writes its fields as the entries of one map, one call
/// per field and no `?` between them. The first error stops the writing and
/// is kept for [`Entries::end`] to return.
#[cfg(feature = "entries")]
pub(crate) struct Entries<S: serde::Serializer> {
    map: Result<S::SerializeMap, S::Error>,
}

#[cfg(feature = "entries")]
impl<S: serde::Serializer> Entries<S> {
    /// Starts the map.
    #[inline]
    pub(crate) fn start(serializer: S) -> Self {
        Entries {
            map: serializer.serialize_map(None),
        }
    }

    /// Writes a field the model always sends.
    #[cfg(feature = "present-fields")]
    #[inline]
    pub(crate) fn field<T: serde::Serialize>(&mut self, key: &'static str, value: &T) {
        self.write(key, value);
    }

    /// Writes an optional field: left out when it is `None`.
    #[cfg(feature = "optional-fields")]
    #[inline]
    pub(crate) fn optional<T: serde::Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.write(key, value);
        }
    }

    #[cfg(any(feature = "present-fields", feature = "optional-fields"))]
    fn write<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        use serde::ser::SerializeMap as _;
        if let Ok(map) = &mut self.map {
            if let Err(error) = map.serialize_entry(key, value) {
                self.map = Err(error);
            }
        }
    }

    /// Writes the fields the model does not know, after the known ones, and
    /// ends the map; or gives the first error.
    #[inline]
    pub(crate) fn end(
        self,
        unknown: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = self.map?;
        for (key, value) in unknown {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A number or boolean decoded from what the spec says it is or from a JSON
/// string holding one (`"-0.0025"`, `"42"`, `"true"`), as some servers send
/// them; it is written back as a number or boolean. Lists, maps and `null`s
/// of them decode the same way.
#[cfg(feature = "loose")]
pub(crate) struct Loose<T>(pub(crate) T);

#[cfg(feature = "loose")]
impl<'de, T: DecodeLoose> serde::Deserialize<'de> for Loose<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode_loose(deserializer).map(Loose)
    }
}

/// What [`Loose`] decodes.
#[cfg(feature = "loose")]
pub(crate) trait DecodeLoose: Sized {
    fn decode_loose<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Reads a scalar of type `T` from a number, a boolean or a string.
#[cfg(feature = "loose")]
struct ScalarVisitor<T>(std::marker::PhantomData<T>);

/// The conversions [`ScalarVisitor`] makes into one scalar type.
#[cfg(feature = "loose")]
trait LooseScalar: Sized + std::str::FromStr {
    const EXPECTING: &'static str;
    fn from_i64(value: i64) -> Option<Self>;
    fn from_u64(value: u64) -> Option<Self>;
    /// A number written with a fraction or an exponent: one without a
    /// fractional part is an integer too, as JSON Schema counts them.
    fn from_f64(value: f64) -> Option<Self>;
    fn from_bool(_value: bool) -> Option<Self> {
        None
    }
    /// Whether a value parsed from a string is one JSON can hold.
    fn is_json(&self) -> bool {
        true
    }
}

#[cfg(feature = "loose")]
impl LooseScalar for i32 {
    const EXPECTING: &'static str = "a 32-bit integer, or a string holding one";
    fn from_i64(value: i64) -> Option<Self> {
        i32::try_from(value).ok()
    }
    fn from_u64(value: u64) -> Option<Self> {
        i32::try_from(value).ok()
    }
    fn from_f64(value: f64) -> Option<Self> {
        (value.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&value))
            .then_some(value as i32)
    }
}

#[cfg(feature = "loose")]
impl LooseScalar for i64 {
    const EXPECTING: &'static str = "a 64-bit integer, or a string holding one";
    fn from_i64(value: i64) -> Option<Self> {
        Some(value)
    }
    fn from_u64(value: u64) -> Option<Self> {
        i64::try_from(value).ok()
    }
    fn from_f64(value: f64) -> Option<Self> {
        // `i64::MAX as f64` is 2^63, the first value beyond the range.
        (value.fract() == 0.0 && value >= i64::MIN as f64 && value < i64::MAX as f64)
            .then_some(value as i64)
    }
}

#[cfg(feature = "loose")]
impl LooseScalar for f64 {
    const EXPECTING: &'static str = "a number, or a string holding one";
    fn from_i64(value: i64) -> Option<Self> {
        Some(value as f64)
    }
    fn from_u64(value: u64) -> Option<Self> {
        Some(value as f64)
    }
    fn from_f64(value: f64) -> Option<Self> {
        Some(value)
    }
    fn is_json(&self) -> bool {
        self.is_finite()
    }
}

#[cfg(feature = "loose")]
impl LooseScalar for f32 {
    const EXPECTING: &'static str = "a number, or a string holding one";
    fn from_i64(value: i64) -> Option<Self> {
        Some(value as f32)
    }
    fn from_u64(value: u64) -> Option<Self> {
        Some(value as f32)
    }
    fn from_f64(value: f64) -> Option<Self> {
        Some(value as f32)
    }
    fn is_json(&self) -> bool {
        self.is_finite()
    }
}

#[cfg(feature = "loose")]
impl LooseScalar for bool {
    const EXPECTING: &'static str = "a boolean, or a string holding one";
    fn from_i64(_value: i64) -> Option<Self> {
        None
    }
    fn from_u64(_value: u64) -> Option<Self> {
        None
    }
    fn from_f64(_value: f64) -> Option<Self> {
        None
    }
    fn from_bool(value: bool) -> Option<Self> {
        Some(value)
    }
}

#[cfg(feature = "loose")]
impl<'de, T: LooseScalar> serde::de::Visitor<'de> for ScalarVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<T, E> {
        T::from_bool(value)
            .ok_or_else(|| E::invalid_type(serde::de::Unexpected::Bool(value), &self))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
        T::from_i64(value)
            .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Signed(value), &self))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
        T::from_u64(value)
            .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Unsigned(value), &self))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<T, E> {
        T::from_f64(value)
            .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Float(value), &self))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        value
            .parse::<T>()
            .ok()
            .filter(T::is_json)
            .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(value), &self))
    }
}

#[cfg(feature = "loose")]
macro_rules! decode_scalar {
    ($($ty:ty),*) => {$(
        impl DecodeLoose for $ty {
            fn decode_loose<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(ScalarVisitor(std::marker::PhantomData))
            }
        }
    )*};
}

#[cfg(feature = "loose")]
decode_scalar!(i32, i64, f32, f64, bool);

#[cfg(feature = "loose")]
impl<T: DecodeLoose> DecodeLoose for Option<T> {
    fn decode_loose<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <Option<Loose<T>> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(value.map(|Loose(value)| value))
    }
}

#[cfg(feature = "loose")]
impl<T: DecodeLoose> DecodeLoose for Vec<T> {
    fn decode_loose<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = <Vec<Loose<T>> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(items.into_iter().map(|Loose(value)| value).collect())
    }
}

#[cfg(feature = "loose")]
impl<T: DecodeLoose> DecodeLoose for std::collections::BTreeMap<String, T> {
    fn decode_loose<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries =
            <std::collections::BTreeMap<String, Loose<T>> as serde::Deserialize>::deserialize(
                deserializer,
            )?;
        Ok(entries
            .into_iter()
            .map(|(key, Loose(value))| (key, value))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_booleans_decode_from_strings_too() {
        let decode = |json: &str| serde_json::from_str::<Loose<i64>>(json).map(|Loose(v)| v);
        assert_eq!(decode("42").unwrap(), 42);
        assert_eq!(decode("\"42\"").unwrap(), 42);
        assert!(decode("\"4.2\"").is_err());
        let float: Loose<f64> = serde_json::from_str("\"-0.0025\"").unwrap();
        assert_eq!(float.0, -0.0025);
        let flag: Loose<bool> = serde_json::from_str("\"true\"").unwrap();
        assert!(flag.0);
        let list: Loose<Vec<Option<i32>>> = serde_json::from_str(r#"["1", 2, null]"#).unwrap();
        assert_eq!(list.0, [Some(1), Some(2), None]);
        assert!(serde_json::from_str::<Loose<i32>>("\"NaN\"").is_err());
    }

    /// A value that fails to encode, counting the times it was asked to.
    struct Failing<'a>(&'a std::cell::Cell<u32>);

    impl serde::Serialize for Failing<'_> {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            self.0.set(self.0.get() + 1);
            Err(serde::ser::Error::custom("cannot encode"))
        }
    }

    #[test]
    fn entries_skip_none_and_keep_the_first_error() {
        let mut unknown = serde_json::Map::new();
        unknown.insert("extra".into(), serde_json::json!([1]));
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = Entries::start(&mut serializer);
        map.field("a", &1);
        map.optional::<i32>("b", &None);
        map.optional("c", &Some("x"));
        map.field("d", &None::<bool>);
        map.end(&unknown).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":1,"c":"x","d":null,"extra":[1]}"#
        );

        let calls = std::cell::Cell::new(0);
        let mut serializer = serde_json::Serializer::new(Vec::new());
        let mut map = Entries::start(&mut serializer);
        map.field("a", &Failing(&calls));
        map.optional("b", &Some(Failing(&calls)));
        let error = map.end(&unknown).unwrap_err();
        assert_eq!(error.to_string(), "cannot encode");
        assert_eq!(calls.get(), 1, "the writing stops at the first error");
    }

    #[test]
    fn the_first_missing_required_field_is_named() {
        use crate::models::ListThingsByCursorResponse as Listing;
        let decode = |json: &str| serde_json::from_str::<Listing>(json).map_err(|e| e.to_string());
        let listing = decode(r#"{"count":1,"items":[{"id":"a"}],"next_page":null}"#).unwrap();
        assert_eq!((listing.count, listing.items.len()), (1, 1));
        assert!(decode(r#"{"count":1}"#)
            .unwrap_err()
            .starts_with("missing field `items`"));
        assert!(decode(r#"{"items":[]}"#)
            .unwrap_err()
            .starts_with("missing field `count`"));
        assert!(decode("{}")
            .unwrap_err()
            .starts_with("missing field `items`"));
        let thing = serde_json::from_str::<crate::models::Thing>("{}").map_err(|e| e.to_string());
        assert!(thing.unwrap_err().starts_with("missing field `id`"));
    }

    #[test]
    fn keys_borrow_when_they_can() {
        let key: Key<'_> = serde_json::from_str("\"plain\"").unwrap();
        assert!(matches!(key.0, Cow::Borrowed("plain")));
        let escaped: Key<'_> = serde_json::from_str("\"a\\u0062\"").unwrap();
        assert_eq!(String::from(escaped), "ab");
    }

    #[test]
    fn union_scores_count_the_fields_a_variant_keeps() {
        let value = serde_json::json!({"a": 1, "b": 2, "c": 3});
        let unknown: serde_json::Map<String, serde_json::Value> =
            [("c".to_owned(), 3.into())].into_iter().collect();
        assert_eq!(known_keys(&value, &unknown), 2);
        assert_eq!(union_score(&value, &serde_json::json!({"a": 1})), 1);
        assert_eq!(union_score(&serde_json::json!([1]), &vec![1]), 1);
    }
}
