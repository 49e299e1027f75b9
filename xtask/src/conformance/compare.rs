//! Whether a value written back equals the example it was decoded from, as
//! JSON: numbers by value, date-times by instant, and a number or boolean
//! the example held in a string equal to the number or boolean written.

use serde_json::Value;

/// `Ok` when `written` says what `example` said; otherwise the JSON pointer
/// of the first difference and what differs.
pub fn same(example: &Value, written: &Value) -> Result<(), String> {
    let mut at = String::new();
    walk(example, written, &mut at)
}

fn walk(example: &Value, written: &Value, at: &mut String) -> Result<(), String> {
    let differ = |what: &str, at: &str| {
        Err(format!(
            "{} {what}: {} in the example, {} written back",
            if at.is_empty() { "/" } else { at },
            shown(example),
            shown(written)
        ))
    };
    match (example, written) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                match b.get(key) {
                    Some(other) => walk(value, other, at)?,
                    None => return Err(format!("{at} left out when written back")),
                }
                at.truncate(len);
            }
            match b.keys().find(|k| !a.contains_key(*k)) {
                Some(extra) => Err(format!("{at}/{extra} written back, not in the example")),
                None => Ok(()),
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return differ("has another length", at);
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                walk(x, y, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        (Value::Number(a), Value::Number(b)) if same_number(a.as_f64(), b.as_f64()) => Ok(()),
        // Sent as a string holding a number or boolean, written as one.
        (Value::String(s), Value::Number(n)) if same_number(s.trim().parse().ok(), n.as_f64()) => {
            Ok(())
        }
        (Value::String(s), Value::Bool(b)) if s.parse::<bool>().ok() == Some(*b) => Ok(()),
        (Value::String(a), Value::String(b)) if a == b || same_instant(a, b) => Ok(()),
        (a, b) if a == b => Ok(()),
        _ => differ("differs", at),
    }
}

/// Equal numbers, allowing for what an `f32` keeps of a decimal.
fn same_number(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || (a - b).abs() <= 1e-6 * a.abs().max(b.abs()),
        _ => false,
    }
}

/// Two RFC 3339 date-times naming the same instant (`…Z` and `…+00:00`,
/// with or without zero fractions).
fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A value as a failure line shows it: at most 80 characters.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_by_value_and_instants_by_time() {
        assert!(same(&json!({"a": 1}), &json!({"a": 1.0})).is_ok());
        assert!(same(
            &json!({"t": "2020-01-01T00:00:00Z"}),
            &json!({"t": "2020-01-01T00:00:00+00:00"})
        )
        .is_ok());
        assert!(same(
            &json!({"p": "-0.0025", "b": "true"}),
            &json!({"p": -0.0025, "b": true})
        )
        .is_ok());
        assert!(same(&json!(0.1), &json!(0.10000000149011612)).is_ok());
    }

    #[test]
    fn a_difference_names_its_pointer() {
        let err = same(&json!({"a": [1, {"b": null}]}), &json!({"a": [1, {}]})).unwrap_err();
        assert_eq!(err, "/a/1/b left out when written back");
        let err = same(&json!({"a": 1}), &json!({"a": 2})).unwrap_err();
        assert!(
            err.starts_with("/a differs: 1 in the example, 2 written back"),
            "{err}"
        );
        let err = same(&json!({}), &json!({"x": null})).unwrap_err();
        assert_eq!(err, "/x written back, not in the example");
        assert!(same(&json!("2020-01-01"), &json!("2020-01-02")).is_err());
        assert!(same(&json!("1"), &json!("1.0")).is_err());
    }
}
