//! Multipart (`multipart/form-data`) bodies: the files callers send as
//! parts, and the encoding of a body's parts with a boundary.

use std::fmt;

/// A file sent as a part of a multipart body: its bytes, and the file name
/// and media type its part gives. Without them, the part is named after its
/// property and sent as `application/octet-stream` (or the type the API
/// description gives the part).
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    bytes: bytes::Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file of these bytes, without a file name or media type.
    pub fn new(bytes: impl Into<bytes::Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name the part gives.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the media type of the part (`image/png`).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file name, if one was set.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The media type, if one was set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        FilePart::new(bytes)
    }
}

impl From<bytes::Bytes> for FilePart {
    fn from(bytes: bytes::Bytes) -> Self {
        FilePart::new(bytes)
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// As a JSON string, as JSON writes a `format: binary` value.
impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| FilePart::new(text.into_bytes()))
    }
}

/// The parts of a multipart body, in order.
pub(crate) struct Form {
    parts: Vec<Part>,
}

struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    body: bytes::Bytes,
}

impl Form {
    pub(crate) fn new() -> Self {
        Form { parts: Vec::new() }
    }

    /// Adds a part holding `value`: a string as its text, a number or a
    /// boolean as written in JSON, anything else as JSON (`application/json`
    /// unless `content_type` says otherwise); `null` adds nothing.
    pub(crate) fn value<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        content_type: Option<&'static str>,
    ) -> Result<(), String> {
        let json = serde_json::to_value(value).map_err(|e| format!("part `{name}`: {e}"))?;
        let (body, default) = match json {
            serde_json::Value::Null => return Ok(()),
            serde_json::Value::String(text) => (text, None),
            scalar @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => {
                (scalar.to_string(), None)
            }
            other => (other.to_string(), Some("application/json")),
        };
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            content_type: content_type.or(default).map(str::to_owned),
            body: body.into(),
        });
        Ok(())
    }

    /// Adds a file part: its own file name (else the part's name) and media
    /// type (else `content_type`, else `application/octet-stream`).
    pub(crate) fn file(
        &mut self,
        name: &str,
        file: &FilePart,
        content_type: Option<&'static str>,
    ) -> Result<(), String> {
        let media = (file.content_type.as_deref())
            .or(content_type)
            .unwrap_or("application/octet-stream");
        if media.contains(['\r', '\n']) {
            return Err(format!(
                "the media type of file part `{name}` holds a line break"
            ));
        }
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(file.file_name.clone().unwrap_or_else(|| name.to_owned())),
            content_type: Some(media.to_owned()),
            body: file.bytes.clone(),
        });
        Ok(())
    }

    /// The body and the boundary between its parts, one no part contains.
    pub(crate) fn encode(&self) -> Result<(String, Vec<u8>), String> {
        let boundary = (0..8)
            .map(|_| random_boundary())
            .find(|b| !self.parts.iter().any(|p| contains(&p.body, b.as_bytes())))
            .ok_or("no boundary could be found that no part contains")?;
        let mut out = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(b"--");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            out.extend_from_slice(quoted(&part.name).as_bytes());
            out.push(b'"');
            if let Some(file_name) = &part.file_name {
                out.extend_from_slice(b"; filename=\"");
                out.extend_from_slice(quoted(file_name).as_bytes());
                out.push(b'"');
            }
            out.extend_from_slice(b"\r\n");
            if let Some(media) = &part.content_type {
                out.extend_from_slice(b"Content-Type: ");
                out.extend_from_slice(media.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.body);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"--\r\n");
        Ok((boundary, out))
    }
}

/// A name in a `Content-Disposition` header: quotes and line breaks
/// percent-encoded, as browsers write them.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// 24 hex digits of randomness after a run of dashes.
fn random_boundary() -> String {
    let mut bytes = [0u8; 12];
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("------------------------{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(form: &Form) -> (String, String) {
        let (boundary, body) = form.encode().unwrap();
        (boundary, String::from_utf8(body).unwrap())
    }

    #[test]
    fn parts_are_written_in_order_between_one_boundary() {
        let mut form = Form::new();
        form.value("name", "report", None).unwrap();
        form.value("count", &3, None).unwrap();
        form.value("meta", &serde_json::json!({"a": 1}), None)
            .unwrap();
        form.value("skipped", &Option::<u8>::None, None).unwrap();
        let file = FilePart::new(b"%PDF".to_vec()).with_file_name("a\"b.pdf");
        form.file("file", &file, Some("application/pdf")).unwrap();
        let (boundary, body) = text(&form);
        let want = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nreport\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n3\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"a\":1}}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(body, want);
    }

    #[test]
    fn the_boundary_is_in_no_part_and_a_media_type_holds_no_line_break() {
        let mut form = Form::new();
        form.value("a", "x", None).unwrap();
        let (boundary, _) = text(&form);
        assert!(
            boundary.len() >= 16
                && boundary
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        );
        let bad = FilePart::new(Vec::new()).with_content_type("text/plain\r\nX-Evil: 1");
        assert!(form
            .file("f", &bad, None)
            .unwrap_err()
            .contains("line break"));
    }
}
