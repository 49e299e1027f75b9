{%- macro literal(name, s) %}
{{ name }} {
{%- for f in s.fields %}
{%- if f.shorthand %}
    {{ f.ident }},
{%- else %}
    {{ f.ident }}: {{ f.local }},
{%- endif %}
{%- endfor %}
    {{ s.unknown }},
}
{%- endmacro %}
{%- if !imports.is_empty() %}
use super::{ {%- for i in imports %}{{ i }},{% endfor -%} };
{%- endif %}
{% match kind %}
{%- when ModelView::Struct with (s) %}
{% for d in docs %}#[doc = {{ d }}]
{% endfor -%}
#[derive(Debug, Clone, PartialEq{% if s.default %}, Default{% endif %})]
#[non_exhaustive]
pub struct {{ name }} {
{%- for f in s.fields %}
    {% for d in f.docs %}#[doc = {{ d }}]
    {% endfor -%}
    {%- if f.deprecated %}
    #[deprecated]
    {%- endif %}
    pub {{ f.ident }}: {{ f.ty }},
{%- endfor %}
    /// The fields of the JSON object that this version of the crate does not
    /// know, kept as received and sent back when the value is serialized.
    pub {{ s.unknown }}: ::serde_json::Map<String, ::serde_json::Value>,
}

impl {{ name }} {
    #[doc = {{ s.new_doc }}]
    {%- if s.any_deprecated %}
    #[allow(deprecated)]
    {%- endif %}
    {%- if s.many_args %}
    #[allow(clippy::too_many_arguments)]
    {%- endif %}
    #[inline]
    pub fn new({% for f in s.fields %}{% if f.required %}{{ f.ident }}: impl Into<{{ f.arg_ty }}>, {% endif %}{% endfor %}) -> Self {
    {%- if s.default %}
        Self::default()
    {%- else %}
        {{ name }} {
        {%- for f in s.fields %}
            {{ f.ident }}: {% if f.required %}{{ f.store }}{% else %}None{% endif %},
        {%- endfor %}
            {{ s.unknown }}: ::serde_json::Map::new(),
        }
    {%- endif %}
    }
{% for f in s.fields %}
    #[doc = {{ f.setter_doc }}]
    {%- if f.deprecated %}
    #[deprecated]
    #[allow(deprecated)]
    {%- endif %}
    pub fn {{ f.setter }}(mut self, {{ f.ident }}: impl Into<{{ f.arg_ty }}>) -> Self {
        self.{{ f.ident }} = {{ f.store }};
        self
    }
{% endfor %}
    /// Adds a field this version of the crate does not know, sent as given
    /// (after the known fields; one with a known field's JSON name is sent
    /// twice).
    pub fn {{ s.unknown_setter }}(mut self, name: impl Into<String>, value: impl Into<::serde_json::Value>) -> Self {
        self.{{ s.unknown }}.insert(name.into(), value.into());
        self
    }
}

impl serde::Serialize for {{ name }} {
    {%- if s.any_deprecated %}
    #[allow(deprecated)]
    {%- endif %}
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = crate::fields::Entries::start(serializer);
    {%- for f in s.fields %}
        map.{{ f.write }}({{ f.wire }}, &self.{{ f.ident }});
    {%- endfor %}
        map.end(&self.{{ s.unknown }})
    }
}

impl<'de> serde::Deserialize<'de> for {{ name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;

        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = {{ name }};

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str({{ s.expecting }})
            }

            {%- if s.any_deprecated %}
            #[allow(deprecated)]
            {%- endif %}
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                use crate::fields::NextField as _;

            {%- for f in s.fields %}
                let mut {{ f.local }}: {% if f.required %}Option<{{ f.ty }}>{% else %}{{ f.ty }}{% endif %} = None;
            {%- endfor %}
                let mut {{ s.unknown }} = ::serde_json::Map::new();
                while let Some(key) = map.next_key::<crate::fields::Key<'de>>()? {
            {%- if s.fields.is_empty() %}
                    map.next_unknown(key, &mut {{ s.unknown }})?;
            {%- else %}
                    match key.as_str() {
                    {%- for f in s.fields %}
                        {{ f.wire }} => map.{{ f.step }}(&mut {{ f.local }}),
                    {%- endfor %}
                        _ => map.next_unknown(key, &mut {{ s.unknown }}),
                    }?;
            {%- endif %}
                }
            {%- match s.check %}
            {%- when Check::Nothing %}
                Ok({% call literal(name, s) %}{% endcall %})
            {%- when Check::One with (c) %}
                match {{ c.local }} {
                    Some({{ c.local }}) => Ok({% call literal(name, s) %}{% endcall %}),
                    None => Err(serde::de::Error::missing_field({{ c.wire }})),
                }
            {%- when Check::All with (all) %}
                match ({% for c in all %}{{ c.local }}, {% endfor %}) {
                    ({% for c in all %}Some({{ c.local }}), {% endfor %}) => Ok({% call literal(name, s) %}{% endcall %}),
                    ({% for c in all %}{{ c.local }}, {% endfor %}) => Err(crate::fields::missing(&[
                    {%- for c in all %}
                        ({{ c.wire }}, {{ c.local }}.is_none()),
                    {%- endfor %}
                    ])),
                }
            {%- endmatch %}
            }
        }

        deserializer.deserialize_map(Fields)
    }
}
{%- when ModelView::Enum with (e) %}
{% for d in docs %}#[doc = {{ d }}]
{% endfor -%}
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum {{ name }} {
{%- for v in e.variants %}
    #[doc = {{ v.doc }}]
    {{ v.ident }},
{%- endfor %}
    /// A value this version of the crate does not know, kept as received.
    Unknown(String),
}

impl {{ name }} {
    /// Every value the API documents, in its order.
    pub const KNOWN: &'static [{{ name }}] = &[
    {%- for v in e.variants %}
        {{ name }}::{{ v.ident }},
    {%- endfor %}
    ];

    /// The value as it is sent on the wire.
    #[inline]
    pub fn as_str(&self) -> &str {
        match self {
        {%- for v in e.variants %}
            {{ name }}::{{ v.ident }} => {{ v.wire }},
        {%- endfor %}
            {{ name }}::Unknown(value) => value,
        }
    }
}

impl From<&str> for {{ name }} {
    #[inline]
    fn from(value: &str) -> Self {
        match value {
        {%- for v in e.variants %}
            {{ v.wire }} => {{ name }}::{{ v.ident }},
        {%- endfor %}
            other => {{ name }}::Unknown(other.to_owned()),
        }
    }
}

impl From<String> for {{ name }} {
    #[inline]
    fn from(value: String) -> Self {
        match {{ name }}::from(value.as_str()) {
            {{ name }}::Unknown(_) => {{ name }}::Unknown(value),
            known => known,
        }
    }
}

impl std::str::FromStr for {{ name }} {
    type Err = std::convert::Infallible;

    #[inline]
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok({{ name }}::from(value))
    }
}

impl std::fmt::Display for {{ name }} {
    #[inline]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for {{ name }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for {{ name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map({{ name }}::from)
    }
}
{%- when ModelView::Union with (u) %}
{% for d in docs %}#[doc = {{ d }}]
{% endfor -%}
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum {{ name }} {
{%- for v in u.variants %}
    #[doc = {{ v.doc }}]
    {{ v.ident }}({{ v.ty }}),
{%- endfor %}
    /// A value matching none of the documented variants, kept as received.
    Unknown(::serde_json::Value),
}

impl serde::Serialize for {{ name }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
        {%- for v in u.variants %}
            {{ name }}::{{ v.ident }}(value) => serde::Serialize::serialize(value, serializer),
        {%- endfor %}
            {{ name }}::Unknown(value) => serde::Serialize::serialize(value, serializer),
        }
    }
}

impl<'de> serde::Deserialize<'de> for {{ name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <::serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
{%- if let Some(tag) = u.discriminator %}
        // The discriminator picks the variant; an unknown one is kept as received.
        let tag = value.get({{ tag }}).and_then(|t| t.as_str()).map(str::to_owned);
        match tag.as_deref() {
        {%- for v in u.variants %}
        {%- if !v.tags.is_empty() %}
            {% for t in v.tags %}{% if !loop.first %} | {% endif %}Some({{ t }}){% endfor %} => {
                let inner = ::serde_json::from_value::<{{ v.inner_ty }}>(value).map_err(serde::de::Error::custom)?;
                Ok({{ name }}::{{ v.ident }}({{ v.wrap }}))
            }
        {%- endif %}
        {%- endfor %}
            _ => Ok({{ name }}::Unknown(value)),
        }
{%- else %}
        // Of the variants the value decodes as, the one that keeps most of its
        // fields wins; on a tie, the first in the spec's order.
        let mut best: Option<(usize, {{ name }})> = None;
    {%- for v in u.variants %}
        if let Ok(inner) = ::serde_json::from_value::<{{ v.inner_ty }}>(value.clone()) {
        {%- if v.struct_type %}
            let score = crate::fields::known_keys(&value, &inner.{{ u.unknown }});
        {%- else %}
            let score = crate::fields::union_score(&value, &inner);
        {%- endif %}
            if best.as_ref().is_none_or(|(best, _)| score > *best) {
                best = Some((score, {{ name }}::{{ v.ident }}({{ v.wrap }})));
            }
        }
    {%- endfor %}
        Ok(best.map_or({{ name }}::Unknown(value), |(_, variant)| variant))
{%- endif %}
    }
}
{%- if u.display %}

/// The active variant's value as it is sent in a URL or header.
impl std::fmt::Display for {{ name }} {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
        {%- for v in u.variants %}
            {{ name }}::{{ v.ident }}(value) => {{ v.write }},
        {%- endfor %}
            {{ name }}::Unknown(::serde_json::Value::String(text)) => f.write_str(text),
            {{ name }}::Unknown(value) => std::fmt::Display::fmt(value, f),
        }
    }
}
{%- endif %}
{%- when ModelView::Alias with (ty) %}
{% for d in docs %}#[doc = {{ d }}]
{% endfor -%}
pub type {{ name }} = {{ ty }};
{%- endmatch %}
