//! Every naming and escaping rule of the generator: Rust identifiers from spec
//! names (case, keywords, leading digits, non-ASCII, collisions), and spec text
//! made safe as Rust string literals and rustdoc.
//!
//! Nothing else in the generator turns spec text into code.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words that cannot be used as identifiers in any edition, plus the weak and
/// reserved ones that are unsafe in some position.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the emitted code itself uses unqualified: a model with one of
/// these names would shadow them.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Value",
    "HashMap",
    "BTreeMap",
    "DateTime",
    "Utc",
    "NaiveDate",
    "Into",
    "From",
    "Display",
    "FromStr",
    "Infallible",
    "Error",
    "Client",
    "Future",
    "IntoFuture",
    "Pin",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "ToString",
    "AsRef",
    // The visitor each model's `Deserialize` impl declares.
    "Fields",
];

/// Word fragments that case conversion would split wrongly.
const COMPOUND_WORDS: &[(&str, &str)] = &[("OAuth", "Oauth")];

fn keep_compounds(raw: &str) -> String {
    COMPOUND_WORDS
        .iter()
        .fold(raw.to_owned(), |s, (from, to)| s.replace(from, to))
}

/// ASCII letters, digits and `_` only; everything else separates words. A
/// name without letters but with symbols reads as words first (`+1` →
/// `plus one`).
fn ascii_words(raw: &str) -> String {
    spelled(raw)
        .as_deref()
        .unwrap_or(raw)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Symbols as words, for names made of symbols and digits alone.
const SYMBOL_WORDS: &[(char, &str)] = &[
    ('+', "plus"),
    ('-', "minus"),
    ('*', "star"),
    ('/', "slash"),
    ('=', "equals"),
    ('<', "less than"),
    ('>', "greater than"),
    ('!', "not"),
    ('@', "at"),
    ('#', "hash"),
    ('$', "dollar"),
    ('%', "percent"),
    ('&', "and"),
    ('|', "or"),
    ('^', "caret"),
    ('~', "tilde"),
    ('.', "dot"),
    ('?', "question"),
];

/// Numbers up to twenty as words; larger ones stay digits.
const NUMBER_WORDS: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// A name that has symbols but no letters, read as words (`+1` → `plus one`,
/// `<=` → `less than equals`); `None` for any other name.
fn spelled(raw: &str) -> Option<String> {
    let word = |c: char| SYMBOL_WORDS.iter().find(|(s, _)| *s == c).map(|(_, w)| *w);
    if raw.chars().any(char::is_alphabetic) || !raw.chars().any(|c| word(c).is_some()) {
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    let mut digits = String::new();
    let flush = |digits: &mut String, words: &mut Vec<String>| {
        if !digits.is_empty() {
            let spelled = digits
                .parse::<usize>()
                .ok()
                .and_then(|n| NUMBER_WORDS.get(n));
            words.push(spelled.map_or_else(|| digits.clone(), |w| (*w).to_owned()));
            digits.clear();
        }
    };
    for c in raw.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        flush(&mut digits, &mut words);
        if let Some(w) = word(c) {
            words.push(w.to_owned());
        }
    }
    flush(&mut digits, &mut words);
    Some(words.join(" "))
}

/// `snake_case` for fields, parameters, functions and modules.
pub fn snake(raw: &str) -> String {
    let mut s = ascii_words(&keep_compounds(raw)).to_snake_case();
    if s.is_empty() {
        s = "value".to_owned();
    }
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        // `_1` would be all underscores and digits, which clippy flags.
        s.insert(0, 'v');
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `UpperCamelCase` for types and enum variants.
pub fn camel(raw: &str) -> String {
    let mut s = ascii_words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = "Value".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// A type name for a schema: camel case, never one of the names the emitted
/// code relies on.
pub fn type_name(raw: &str) -> String {
    let s = camel(raw);
    if RESERVED_TYPES.contains(&s.as_str()) {
        format!("{s}Model")
    } else {
        s
    }
}

/// The type holding the headers an operation's responses declare, named
/// after its request builder: `GetThing` → `GetThingHeaders`.
pub fn headers_type(builder_name: &str) -> String {
    format!("{builder_name}Headers")
}

/// The name of an inline schema, from its parent's and its property's names.
pub fn nested_type_name(parent: &str, property: &str) -> String {
    type_name(&format!("{parent}_{}", camel(property)))
}

/// The module a type is defined in.
pub fn module_name(type_name: &str) -> String {
    snake(type_name)
}

/// The builder-style setter of a model's field: `with_` and the field's
/// identifier without the underscores that keep it off a keyword.
pub fn setter(field_ident: &str) -> String {
    format!(
        "with_{}",
        field_ident.trim_start_matches('_').trim_end_matches('_')
    )
}

/// The member of every struct model that keeps the JSON fields its schema
/// does not declare. Lowering reserves it, so no property is named so.
pub const UNKNOWN_FIELDS: &str = "unknown_fields";

/// What one of those fields is called in the name of the setter that adds
/// one ([`setter`] of it). Reserved like [`UNKNOWN_FIELDS`].
pub const UNKNOWN_FIELD: &str = "unknown_field";

/// The names a model's `Deserialize` impl binds besides its fields' locals.
const DECODER_LOCALS: &[&str] = &["map", "key", UNKNOWN_FIELDS];

/// The local variable a model's `Deserialize` impl decodes the field
/// `field_ident` into: the field's own name, unless that is one of the
/// impl's own variables (then with a `_`, which no field identifier ends
/// with but a keyword's). Depends on the field alone, so adding or removing
/// another field renames nothing.
pub fn decoded_field_local(field_ident: &str) -> String {
    if DECODER_LOCALS.contains(&field_ident) {
        format!("{field_ident}_")
    } else {
        field_ident.to_owned()
    }
}

/// `a` or `an`, whichever reads right before `word` (a name, often in
/// camel case or an acronym): by its first sound, as far as spelling tells.
pub fn indefinite_article(word: &str) -> &'static str {
    let word = word.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let lower = word.to_ascii_lowercase();
    // A leading run of capitals is read letter by letter (`SMS`, `URL`,
    // `HTTPRequest`), except `OAuth`, which is read as a word.
    let initials = word.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let spelled = initials >= 2 && !lower.starts_with("oauth");
    let first = lower.chars().next();
    let an = if spelled {
        matches!(
            first,
            Some('a' | 'e' | 'f' | 'h' | 'i' | 'l' | 'm' | 'n' | 'o' | 'r' | 's' | 'x')
        )
    } else if first.is_some_and(|c| c.is_ascii_digit()) {
        // Numbers read aloud: eight, eleven, eighteen, eighty…
        lower.starts_with('8') || lower.starts_with("11") || lower.starts_with("18")
    } else {
        const A_BEFORE: &[&str] = &[
            "uni", "use", "usa", "usu", "ura", "eu", "one", "once", "ubi",
        ];
        const AN_BEFORE: &[&str] = &["hour", "honest", "honor", "honour", "heir"];
        if AN_BEFORE.iter().any(|p| lower.starts_with(p)) {
            true
        } else if A_BEFORE.iter().any(|p| lower.starts_with(p)) {
            false
        } else {
            matches!(first, Some('a' | 'e' | 'i' | 'o' | 'u'))
        }
    };
    if an {
        "an"
    } else {
        "a"
    }
}

/// [`indefinite_article`] starting a sentence: `A` or `An`.
pub fn sentence_article(word: &str) -> &'static str {
    match indefinite_article(word) {
        "an" => "An",
        _ => "A",
    }
}

/// `n` and the noun that agrees with it: `1 model`, `3 models`.
pub fn counted(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// The name of a server of the API: from its description when that is a
/// short name (`Production`, `EU sandbox`), else from its host
/// (`api.example.com` → `ApiExampleCom`, `ApiExampleComHttp` over plain
/// HTTP), else `Server<n>` (1-based).
pub fn server_variant(description: Option<&str>, url: &str, index: usize) -> String {
    let short = description
        .map(str::trim)
        .filter(|d| !d.is_empty() && d.split_whitespace().count() <= 4 && d.len() <= 40);
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|h| !h.is_empty() && !h.contains('{'));
    let name = match (short, host) {
        (Some(d), _) => type_name(d),
        // Plain HTTP beside HTTPS at the same host: say which.
        (None, Some(h)) if url.starts_with("http://") => type_name(&format!("{h} http")),
        (None, Some(h)) => type_name(h),
        (None, None) => String::new(),
    };
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) || name.starts_with('_') {
        format!("Server{}", index + 1)
    } else {
        name
    }
}

/// Items as English alternatives: `a`, `a or b`, `a, b, or c`.
pub fn either_of(items: &[String]) -> String {
    listed(items, "or")
}

/// Items as an English list: `a`, `a and b`, `a, b, and c`.
pub fn all_of(items: &[String]) -> String {
    listed(items, "and")
}

fn listed(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} {conjunction} {b}"),
        [rest @ .., last] => format!("{}, {conjunction} {last}", rest.join(", ")),
    }
}

/// Placeholder text for a string in a generated example, from the
/// identifier it is passed as: `user_id` → `user-id`.
pub fn example_text(ident: &str) -> String {
    let text = ident.trim_matches('_').replace('_', "-");
    if text.is_empty() {
        "value".to_owned()
    } else {
        text
    }
}

/// A Rust package name made into the crate's identifier.
pub fn crate_ident(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// The crate name for an API without one in its settings: its title in
/// kebab case, ASCII letters and digits only (`Swagger Petstore` →
/// `swagger-petstore`), or `api-client` when that is not a valid name.
pub fn crate_name_for_title(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let mut name = words.join("-");
    name.truncate(64);
    let name = name.trim_end_matches('-').to_owned();
    if is_valid_crate_name(&name) {
        name
    } else {
        "api-client".to_owned()
    }
}

/// Is this a valid name for a Cargo package?
pub fn is_valid_crate_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !KEYWORDS.contains(&crate_ident(name).as_str())
}

/// An HTTP header name: one or more RFC 9110 token characters.
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Hands out distinct names within one scope. Names are taken in the order
/// they are asked for; a taken name gets the smallest free numeric suffix, so
/// the result depends only on the input order.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Scope::default()
    }

    /// A scope in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `base`, or `base2`, `base3`, … if taken (`base_2` for snake case names).
    pub fn claim(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let sep = if base.contains('_') || base.starts_with(|c: char| c.is_ascii_lowercase()) {
            "_"
        } else {
            ""
        };
        let stem = base.trim_end_matches('_');
        let name = (2..)
            .map(|n| format!("{stem}{sep}{n}"))
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or(base);
        self.taken.insert(name.clone());
        name
    }
}

/// What a group's module may not be called: it doubles as a method of
/// `Client` and of `Mock`, which have their own.
pub const GROUP_ACCESSOR_RESERVED: &[&str] = &[
    "client",
    "error",
    "models",
    "apis",
    "mod",
    "new",
    "builder",
    "base_url",
    "request",
    "default",
    "clone",
    "fmt",
    "mock",
    "on",
    "on_token",
    "rule",
    "requests",
    "requests_for",
    "calls",
];

/// A request builder's own fields and methods, which no parameter's setter
/// may take.
pub const REQUEST_BUILDER_MEMBERS: &[&str] = &[
    "client",
    "options",
    "header",
    "cookie",
    "send",
    "send_with_meta",
    "decode",
    "send_streaming",
    "pages",
    "items",
    "fetch_page",
    "read_page",
    "prepare",
    "into_future",
    "body",
    "server_url",
    "retry",
    "timeout",
    "total_timeout",
];

/// The client builder's own methods, which no credential setter may take.
const BUILDER_METHODS: &[&str] = &[
    "access_token",
    "base_url",
    "build",
    "client_credentials",
    "connect_timeout",
    "credentials",
    "gateway",
    "hooks",
    "http_client",
    "login_url",
    "max_response_size",
    "redirects",
    "region",
    "retry",
    "server",
    "timeout",
    "token_renew_margin",
    "total_timeout",
    "user_agent",
];

/// For each security scheme (its spec key and [`SchemeKind::word`](crate::ir::SchemeKind::word)):
/// the runtime's variant name for it, and the client builder's method that
/// sets its credentials. A kind declared once gets the kind's method
/// (`basic_auth`, `bearer_token`, `api_key`); kinds declared several times
/// take the schemes' own names. OAuth 2.0's setter is `credentials` (beside
/// `access_token` and, with that flow, `client_credentials`).
pub fn scheme_names(schemes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut variants = Scope::new();
    let mut setters = Scope::with_reserved(BUILDER_METHODS);
    schemes
        .iter()
        .map(|(key, kind)| {
            let variant = variants.claim(type_name(key));
            let shared = schemes.iter().filter(|(_, k)| k == kind).count() > 1;
            let setter = match *kind {
                "oauth2" => "credentials".to_owned(),
                _ if shared => setters.claim(snake(key)),
                "bearer" => setters.claim("bearer_token".to_owned()),
                "basic" => setters.claim("basic_auth".to_owned()),
                _ => setters.claim("api_key".to_owned()),
            };
            (variant, setter)
        })
        .collect()
}

/// A Rust string literal holding exactly `text`, whatever it contains.
pub fn str_literal(text: &str) -> String {
    format!("{text:?}")
}

/// `text` as a TOML basic string: quoted, with `"`, `\\` and every control
/// or non-printing character escaped the way TOML spells escapes.
pub fn toml_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\'' => out.push(c),
            c if (c as u32) > 0xFFFF && c.escape_debug().len() > 1 => {
                out.push_str(&format!("\\U{:08X}", c as u32));
            }
            c if c.is_control() || c.escape_debug().len() > 1 => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_from_titles() {
        assert_eq!(crate_name_for_title("Swagger Petstore"), "swagger-petstore");
        assert_eq!(crate_name_for_title("Oxide Region API"), "oxide-region-api");
        assert_eq!(crate_name_for_title("Twilio - Api"), "twilio-api");
        assert_eq!(crate_name_for_title("  Ünïcode API v2  "), "n-code-api-v2");
        assert_eq!(crate_name_for_title("2048 Game"), "api-client");
        assert_eq!(crate_name_for_title(""), "api-client");
        assert_eq!(crate_name_for_title("self"), "api-client");
        assert_eq!(crate_name_for_title(&"long ".repeat(40)).len(), 64);
    }

    #[test]
    fn toml_literals_read_back_as_the_text() {
        for text in [
            "Rust client for Genesys Cloud — Tokens v2",
            "quotes \" and ' and \\ backslashes",
            "lines\nand\ttabs\r",
            "combining e\u{301}, bidi \u{202E}, nul \u{0}, del \u{7f}",
            "tag \u{E0041} and emoji \u{1F600}",
        ] {
            let literal = toml_literal(text);
            let table: toml::Table = toml::from_str(&format!("d = {literal}"))
                .unwrap_or_else(|e| panic!("{literal}: {e}"));
            assert_eq!(table["d"].as_str(), Some(text), "{literal}");
        }
    }

    #[test]
    fn names_of_symbols_read_as_words() {
        assert_eq!(snake("+1"), "plus_one");
        assert_eq!(snake("-1"), "minus_one");
        assert_eq!(camel("+1"), "PlusOne");
        assert_eq!(camel("-1"), "MinusOne");
        assert_eq!(snake("<="), "less_than_equals");
        assert_eq!(snake("+100"), "plus_100");
        assert_eq!(snake("*"), "star");
        assert_eq!(snake("+12"), "plus_twelve");
        // Names with letters keep treating symbols as separators.
        assert_eq!(snake("x-rate-limit"), "x_rate_limit");
        assert_eq!(snake("a+b"), "a_b");
        // No symbol, no spelling.
        assert_eq!(snake("2024"), "v2024");
    }

    #[test]
    fn header_names() {
        assert!(is_header_name("ININ-Correlation-Id"));
        assert!(is_header_name("x_a.b~c"));
        assert!(!is_header_name(""));
        assert!(!is_header_name("two words"));
        assert!(!is_header_name("colon:"));
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake("OAuthClient"), "oauth_client");
        assert_eq!(snake("preserveIdleTTL"), "preserve_idle_ttl");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("200"), "v200");
        assert_eq!(snake("1.5"), "one_dot_five");
        assert_eq!(snake(""), "value");
        assert_eq!(snake("héllo wörld"), "h_llo_w_rld");
        assert_eq!(snake("userId"), "user_id");
    }

    #[test]
    fn camel_names() {
        assert_eq!(camel("SAML2-BEARER"), "Saml2Bearer");
        assert_eq!(camel("users.rules"), "UsersRules");
        assert_eq!(camel("123"), "V123");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(type_name("Option"), "OptionModel");
        assert_eq!(type_name("fields"), "FieldsModel");
        assert_eq!(type_name("OrgOAuthClient"), "OrgOAuthClient");
        assert_eq!(module_name("OrgOAuthClient"), "org_oauth_client");
    }

    #[test]
    fn scope_dedups_deterministically() {
        let mut s = Scope::with_reserved(&["Unknown"]);
        assert_eq!(s.claim("Analytics".into()), "Analytics");
        assert_eq!(s.claim("Analytics".into()), "Analytics2");
        assert_eq!(s.claim("Unknown".into()), "Unknown2");
        let mut s = Scope::new();
        assert_eq!(s.claim("foo_bar".into()), "foo_bar");
        assert_eq!(s.claim("foo_bar".into()), "foo_bar_2");
    }

    #[test]
    fn articles_follow_the_first_sound() {
        for (word, article) in [
            ("IdleTokenTimeout", "an"),
            ("OrgOAuthClient", "an"),
            ("OAuthClient", "an"),
            ("TokenInfo", "a"),
            ("User", "a"),
            ("UniqueId", "a"),
            ("Entity", "an"),
            ("European", "a"),
            ("HourlyLimit", "an"),
            ("Host", "a"),
            ("SMS", "an"),
            ("SmsMessage", "a"),
            ("URLList", "a"),
            ("HTTPRequest", "an"),
            ("8Ball", "an"),
            ("2fa", "a"),
            ("`getTokensMe`", "a"),
            ("updateThing", "an"),
        ] {
            assert_eq!(indefinite_article(word), article, "{word}");
        }
    }

    #[test]
    fn decoder_locals_are_the_fields_names_unless_taken() {
        assert_eq!(decoded_field_local("name"), "name");
        assert_eq!(decoded_field_local("map"), "map_");
        assert_eq!(decoded_field_local("key"), "key_");
        assert_eq!(decoded_field_local("type_"), "type_");
    }

    #[test]
    fn alternatives_read_as_english() {
        let items = |n: usize| (1..=n).map(|i| format!("x{i}")).collect::<Vec<_>>();
        assert_eq!(either_of(&items(0)), "");
        assert_eq!(either_of(&items(1)), "x1");
        assert_eq!(either_of(&items(2)), "x1 or x2");
        assert_eq!(either_of(&items(3)), "x1, x2, or x3");
        assert_eq!(all_of(&items(2)), "x1 and x2");
        assert_eq!(all_of(&items(3)), "x1, x2, and x3");
    }
}
