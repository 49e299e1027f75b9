//! Values the spec allows, made from its schemas: the arguments and bodies
//! the conformance program sends. A schema's own `example` or `default`
//! comes first, then its first `enum` value, then a value of its type that
//! keeps to its format, pattern, length and bounds.

use openapiv3 as oa;
use serde_json::{json, Map, Value};

/// How deeply nested schemas are followed before a value stops growing.
const MAX_DEPTH: usize = 8;

pub struct Values<'a> {
    schemas: &'a indexmap::IndexMap<String, oa::ReferenceOr<oa::Schema>>,
}

impl<'a> Values<'a> {
    pub fn new(doc: &'a oa::OpenAPI) -> Values<'a> {
        static EMPTY: std::sync::OnceLock<indexmap::IndexMap<String, oa::ReferenceOr<oa::Schema>>> =
            std::sync::OnceLock::new();
        let schemas = match &doc.components {
            Some(c) => &c.schemas,
            None => EMPTY.get_or_init(indexmap::IndexMap::new),
        };
        Values { schemas }
    }

    /// A value of `schema` for a request: read-only properties left out.
    pub fn of(&self, schema: &oa::ReferenceOr<oa::Schema>) -> Value {
        self.reference(schema, 0)
    }

    fn reference(&self, schema: &oa::ReferenceOr<oa::Schema>, depth: usize) -> Value {
        match self.resolve(schema) {
            Some(s) => self.schema(s, depth),
            None => Value::Null,
        }
    }

    fn boxed(&self, schema: &oa::ReferenceOr<Box<oa::Schema>>, depth: usize) -> Value {
        match schema {
            oa::ReferenceOr::Item(s) => self.schema(s, depth),
            oa::ReferenceOr::Reference { reference } => self.reference(
                &oa::ReferenceOr::Reference {
                    reference: reference.clone(),
                },
                depth,
            ),
        }
    }

    /// The schema a reference leads to, through further references.
    pub fn resolve<'s>(
        &'s self,
        schema: &'s oa::ReferenceOr<oa::Schema>,
    ) -> Option<&'s oa::Schema> {
        let mut current = schema;
        for _ in 0..32 {
            match current {
                oa::ReferenceOr::Item(s) => return Some(s),
                oa::ReferenceOr::Reference { reference } => {
                    let key = reference.strip_prefix("#/components/schemas/")?;
                    let key = key.replace("~1", "/").replace("~0", "~");
                    current = self.schemas.get(&key)?;
                }
            }
        }
        None
    }

    fn schema(&self, schema: &oa::Schema, depth: usize) -> Value {
        let data = &schema.schema_data;
        if let Some(example) = data.example.as_ref().filter(|e| !e.is_null()) {
            return example.clone();
        }
        if let Some(default) = data.default.as_ref().filter(|d| !d.is_null()) {
            return default.clone();
        }
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        match &schema.schema_kind {
            oa::SchemaKind::Type(oa::Type::String(s)) => {
                match s.enumeration.iter().flatten().next() {
                    Some(first) => json!(first),
                    None => Value::String(string(s)),
                }
            }
            oa::SchemaKind::Type(oa::Type::Integer(i)) => {
                match i.enumeration.iter().flatten().next() {
                    Some(first) => json!(first),
                    None => json!(integer(i)),
                }
            }
            oa::SchemaKind::Type(oa::Type::Number(n)) => {
                match n.enumeration.iter().flatten().next() {
                    Some(first) => json!(first),
                    None => json!(number(n)),
                }
            }
            oa::SchemaKind::Type(oa::Type::Boolean(_)) => json!(true),
            oa::SchemaKind::Type(oa::Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.boxed(items, depth + 1),
                    None => json!("item"),
                };
                let count = a.min_items.unwrap_or(1).max(1);
                Value::Array(vec![item; count.min(8)])
            }
            oa::SchemaKind::Type(oa::Type::Object(o)) => self.object(o, depth),
            oa::SchemaKind::AllOf { all_of } => {
                let mut merged = Map::new();
                for member in all_of {
                    match self.reference(member, depth + 1) {
                        Value::Object(fields) => merged.extend(fields),
                        other if all_of.len() == 1 => return other,
                        _ => {}
                    }
                }
                Value::Object(merged)
            }
            oa::SchemaKind::OneOf { one_of: members }
            | oa::SchemaKind::AnyOf { any_of: members } => self.member(members, depth),
            oa::SchemaKind::Not { .. } => Value::Null,
            oa::SchemaKind::Any(any) => self.any(any, depth),
        }
    }

    /// A value of one of `members`: the first that only it accepts, where a
    /// value can tell (`"main.yml"` is no integer, `"1"` could be either,
    /// and a path parameter is text), else the first member's.
    fn member(&self, members: &[oa::ReferenceOr<oa::Schema>], depth: usize) -> Value {
        let values: Vec<Value> = members
            .iter()
            .map(|m| self.reference(m, depth + 1))
            .collect();
        let ambiguous = |v: &Value| match v {
            Value::String(s) => s.parse::<f64>().is_ok() || s.parse::<bool>().is_ok(),
            _ => true,
        };
        let scalars = values.iter().all(|v| !v.is_object() && !v.is_array());
        let pick = values
            .iter()
            .find(|v| scalars && !ambiguous(v))
            .or(values.first());
        pick.cloned().unwrap_or(Value::Null)
    }

    fn object(&self, object: &oa::ObjectType, depth: usize) -> Value {
        let mut fields = Map::new();
        // A required name without a property still has to be there.
        for name in &object.required {
            if !object.properties.contains_key(name) {
                fields.insert(name.clone(), json!("string"));
            }
        }
        for (name, property) in &object.properties {
            if !object.required.contains(name) {
                continue;
            }
            let read_only = match property {
                oa::ReferenceOr::Item(s) => s.schema_data.read_only,
                oa::ReferenceOr::Reference { .. } => false,
            };
            if !read_only {
                fields.insert(name.clone(), self.boxed(property, depth + 1));
            }
        }
        Value::Object(fields)
    }

    /// A schema without one `type`: what its keywords describe. Properties
    /// beside `oneOf`/`anyOf`/`allOf` are one object with what the first
    /// alternative (and every `allOf` member) adds or requires.
    fn any(&self, any: &oa::AnySchema, depth: usize) -> Value {
        if let Some(first) = any.enumeration.first() {
            return first.clone();
        }
        let alternative = any.one_of.first().or(any.any_of.first());
        if any.properties.is_empty() && any.all_of.is_empty() {
            let members = if any.one_of.is_empty() {
                &any.any_of
            } else {
                &any.one_of
            };
            if !members.is_empty() {
                return self.member(members, depth);
            }
        }
        if !any.properties.is_empty() || !any.all_of.is_empty() {
            let mut required = any.required.clone();
            let mut merged = Map::new();
            for member in any.all_of.iter().chain(alternative) {
                let Some(schema) = self.resolve(member) else {
                    continue;
                };
                // An alternative that only names required properties.
                if let oa::SchemaKind::Any(a) = &schema.schema_kind {
                    required.extend(a.required.iter().cloned());
                }
                if let Value::Object(fields) = self.schema(schema, depth + 1) {
                    merged.extend(fields);
                }
            }
            let object = oa::ObjectType {
                properties: any.properties.clone(),
                required,
                ..oa::ObjectType::default()
            };
            if let Value::Object(fields) = self.object(&object, depth) {
                // Names an alternative requires but only the parent declares
                // are the parent's properties, not placeholders.
                for (name, value) in fields {
                    merged.insert(name, value);
                }
            }
            return Value::Object(merged);
        }
        match any.typ.as_deref() {
            Some("string") => json!("string"),
            Some("integer") => json!(any.minimum.map_or(1, |m| m.ceil() as i64)),
            Some("number") => json!(any.minimum.unwrap_or(1.0)),
            Some("boolean") => json!(true),
            Some("array") => {
                let item = match &any.items {
                    Some(items) => self.boxed(items, depth + 1),
                    None => json!("item"),
                };
                json!([item])
            }
            _ => json!({}),
        }
    }
}

fn integer(i: &oa::IntegerType) -> i64 {
    let low = i
        .minimum
        .map(|m| if i.exclusive_minimum { m + 1 } else { m });
    let high = i
        .maximum
        .map(|m| if i.exclusive_maximum { m - 1 } else { m });
    let mut value = low.unwrap_or(1).max(1);
    if let Some(high) = high {
        value = value.min(high);
    }
    if let Some(step) = i.multiple_of.filter(|s| *s > 0) {
        value = (value / step).max(1) * step;
    }
    value
}

fn number(n: &oa::NumberType) -> f64 {
    let low = n
        .minimum
        .map(|m| if n.exclusive_minimum { m + 1.0 } else { m });
    let high = n
        .maximum
        .map(|m| if n.exclusive_maximum { m - 1.0 } else { m });
    let mut value = low.unwrap_or(1.0).max(1.0);
    if let Some(high) = high {
        value = value.min(high);
    }
    value
}

fn string(s: &oa::StringType) -> String {
    let by_format = match &s.format {
        oa::VariantOrUnknownOrEmpty::Item(f) => match f {
            oa::StringFormat::Date => Some("2024-01-02"),
            oa::StringFormat::DateTime => Some("2024-01-02T03:04:05Z"),
            oa::StringFormat::Password => Some("secret"),
            oa::StringFormat::Byte => Some("AAAA"),
            oa::StringFormat::Binary => Some("bytes"),
        },
        oa::VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "uuid" => Some("123e4567-e89b-12d3-a456-426614174000"),
            "email" => Some("user@example.com"),
            "uri" | "url" => Some("https://example.com/"),
            "hostname" => Some("example.com"),
            "ipv4" => Some("192.0.2.1"),
            "ipv6" => Some("2001:db8::1"),
            "time" => Some("03:04:05Z"),
            _ => None,
        },
        oa::VariantOrUnknownOrEmpty::Empty => None,
    };
    let mut text = match (by_format, &s.pattern) {
        (Some(text), _) => text.to_owned(),
        (None, Some(pattern)) => matching(pattern).unwrap_or_else(|| "string".to_owned()),
        (None, None) => "string".to_owned(),
    };
    let chars = text.chars().count();
    if let Some(min) = s.min_length.filter(|m| *m > chars) {
        text.extend(std::iter::repeat_n('a', min - chars));
    }
    if let Some(max) = s.max_length {
        text = text.chars().take(max).collect();
    }
    text
}

/// The shortest string a regular expression matches, for the patterns specs
/// write (literals, classes, escapes, groups and counted repeats); `None`
/// for constructs it does not know.
fn matching(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let end = sequence(&chars, 0, &mut out)?;
    (end == chars.len()).then_some(out)
}

/// Writes what the sequence from `at` matches, up to `)` or `|` at its
/// level; returns where it stopped. An alternation keeps its first branch.
fn sequence(chars: &[char], mut at: usize, out: &mut String) -> Option<usize> {
    while at < chars.len() {
        let (piece, next) = match chars[at] {
            '^' | '$' => (String::new(), at + 1),
            ')' => return Some(at),
            '|' => {
                // Skip the other branches of this level.
                let mut depth = 0;
                let mut i = at;
                while i < chars.len() {
                    match chars[i] {
                        '\\' => i += 1,
                        '(' => depth += 1,
                        ')' if depth == 0 => return Some(i),
                        ')' => depth -= 1,
                        _ => {}
                    }
                    i += 1;
                }
                return Some(i);
            }
            '(' => {
                let mut start = at + 1;
                if chars.get(start) == Some(&'?') {
                    // `(?:…)`, the only group flag kept.
                    if chars.get(start + 1) != Some(&':') {
                        return None;
                    }
                    start += 2;
                }
                let mut inner = String::new();
                let close = sequence(chars, start, &mut inner)?;
                if chars.get(close) != Some(&')') {
                    return None;
                }
                (inner, close + 1)
            }
            '[' => {
                let (c, next) = class(chars, at + 1)?;
                (c.to_string(), next)
            }
            '\\' => {
                let c = match chars.get(at + 1)? {
                    'd' => '0',
                    'w' => 'a',
                    's' => ' ',
                    'D' | 'W' | 'S' => 'x',
                    c if c.is_ascii_alphanumeric() => return None,
                    c => *c,
                };
                (c.to_string(), at + 2)
            }
            '.' => ("a".to_owned(), at + 1),
            '*' | '+' | '?' | '{' => return None,
            c => (c.to_string(), at + 1),
        };
        let (count, next) = repeat(chars, next)?;
        for _ in 0..count {
            out.push_str(&piece);
        }
        at = next;
    }
    Some(at)
}

/// A character of the class whose body starts at `at`, and where it ends.
fn class(chars: &[char], at: usize) -> Option<(char, usize)> {
    let negated = chars.get(at) == Some(&'^');
    let mut i = if negated { at + 1 } else { at };
    let mut first = None;
    let mut excluded = Vec::new();
    while i < chars.len() && (chars[i] != ']' || i == at + usize::from(negated)) {
        let c = if chars[i] == '\\' {
            i += 1;
            match chars.get(i)? {
                'd' => '0',
                'w' => 'a',
                's' => ' ',
                c => *c,
            }
        } else {
            chars[i]
        };
        first.get_or_insert(c);
        excluded.push(c);
        i += 1;
    }
    if i >= chars.len() {
        return None;
    }
    let c = if negated {
        ['a', 'x', '0', 'Z']
            .into_iter()
            .find(|c| !excluded.contains(c))?
    } else {
        first?
    };
    Some((c, i + 1))
}

/// The fewest repeats the quantifier at `at` allows (1 without one), and
/// where it ends.
fn repeat(chars: &[char], at: usize) -> Option<(usize, usize)> {
    let (count, mut next) = match chars.get(at) {
        Some('*') | Some('?') => (0, at + 1),
        Some('+') => (1, at + 1),
        Some('{') => {
            let close = at + chars[at..].iter().position(|c| *c == '}')?;
            let body: String = chars[at + 1..close].iter().collect();
            let low = body.split(',').next()?.trim().parse().ok()?;
            (low, close + 1)
        }
        _ => (1, at),
    };
    // Lazy and possessive forms repeat as often.
    if matches!(chars.get(next), Some('?') | Some('+')) && next > at {
        next += 1;
    }
    Some((count, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_specs_write_give_matching_text() {
        assert_eq!(
            matching("^AC[0-9a-fA-F]{32}$").unwrap(),
            format!("AC{}", "0".repeat(32))
        );
        assert_eq!(matching("^[a-z]+(-[a-z0-9]+)*$").unwrap(), "a");
        assert_eq!(matching(r"^\d{3}-\d{2}$").unwrap(), "000-00");
        assert_eq!(matching("^(sha256|sha1):[^/]+$").unwrap(), "sha256:a");
        assert_eq!(matching(r"^v\.[0-9]{1,3}$").unwrap(), "v.0");
        assert_eq!(matching("^(?=x)").as_deref(), None);
        assert_eq!(matching(r"^\p{L}$").as_deref(), None);
    }
}
