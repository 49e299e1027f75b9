//! The parts of the runtime a crate can carry. Each is a cargo feature of
//! the runtime crate (`runtime/Cargo.toml`) and a `#[cfg(feature = "…")]`
//! in its sources; a generated crate carries the items of the parts its
//! operations, models and security schemes use, and nothing else.

use std::collections::BTreeSet;

/// The generated crate's own cargo features that the runtime's sources test
/// (`#[cfg(feature = "test-util")]`, the TLS crypto providers): these
/// `cfg`s stay in the crate.
pub const CRATE_FEATURES: &[&str] = &["test-util", "rustls-ring", "rustls-aws-lc"];

/// One part of the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// OAuth 2.0: the token cache and the ways to log in.
    OAuth,
    /// OAuth 2.0 whose token URL is relative: logins go to the base URL.
    RelativeLogin,
    /// The client credentials grant.
    ClientCredentials,
    /// The authorization code grant, with PKCE and the authorize URL.
    AuthorizationCode,
    /// The resource owner password grant.
    Password,
    /// Refresh tokens (code or password logins).
    Refresh,
    /// A refresh endpoint other than the token endpoint.
    RefreshPath,
    /// Grants the settings add to the spec's.
    ExtensionGrants,
    /// Security schemes: operations say which credentials they accept.
    Security,
    /// Credentials other than OAuth's: keys, bearer tokens, basic.
    Held,
    /// `Client::new` takes a bearer token.
    TokenNew,
    /// The settings' regions.
    Regions,
    /// Gateways in front of the regions.
    Gateways,
    /// The spec's list of servers.
    Servers,
    /// Operations with servers of their own.
    OperationServers,
    /// Path parameters.
    PathParams,
    /// Query parameters of one value.
    Query,
    /// Query parameters sent once per value.
    QueryEach,
    /// Query parameters joined into one value.
    QueryJoined,
    /// Header parameters of one value.
    Header,
    /// Header parameters of several values.
    HeaderList,
    /// Cookie parameters of one value.
    Cookie,
    /// Cookie parameters of several values.
    CookieList,
    /// Date-time parameters.
    DateTimes,
    /// An `Accept` other than JSON.
    Accept,
    /// Request bodies: JSON, form, multipart, text, bytes.
    JsonBody,
    FormBody,
    MultipartBody,
    TextBody,
    BytesBody,
    /// Response bodies: JSON, none, text, bytes.
    Json,
    Empty,
    Text,
    Bytes,
    /// Operations with several documented statuses.
    Statuses,
    /// Typed response headers (`Response::declared_headers`).
    ResponseHeaders,
    /// Paged operations: `pages()` and `items()` (`pages.rs`).
    Pagination,
    /// Pages that point to the next by a link, followed on the same origin.
    PageLinks,
    /// Pages whose next link or cursor is in the body.
    PageInBody,
    /// Pages whose next link is the `Link` header's `rel="next"`.
    PageLinkHeader,
    /// Pages by number, each told from the one before by its body.
    PageNumbers,
    /// Streamed response bodies (`ByteStream`).
    Streaming,
    /// Model helpers: the object-key decoder and its uses.
    Keys,
    KeyAsStr,
    KeyInto,
    /// Scores of `oneOf` variants: of structs, and of anything else.
    KnownKeys,
    UnionScore,
    /// The models' encoder (`Entries`), its writer of fields always sent,
    /// and its writer of optional fields.
    Entries,
    PresentFields,
    OptionalFields,
    /// Numbers and booleans sent as strings.
    Loose,
    /// The decoders' steps: a field's value put in its local as it is, or
    /// in `Some`, plainly or as [`Part::Loose`] reads it, and the error
    /// naming the missing one of several required fields.
    NextSet,
    NextSome,
    LooseSet,
    LooseSome,
    RequiredFields,
}

impl Part {
    /// Every part, in order.
    pub const ALL: &[Part] = &[
        Part::OAuth,
        Part::RelativeLogin,
        Part::ClientCredentials,
        Part::AuthorizationCode,
        Part::Password,
        Part::Refresh,
        Part::RefreshPath,
        Part::ExtensionGrants,
        Part::Security,
        Part::Held,
        Part::TokenNew,
        Part::Regions,
        Part::Gateways,
        Part::Servers,
        Part::OperationServers,
        Part::PathParams,
        Part::Query,
        Part::QueryEach,
        Part::QueryJoined,
        Part::Header,
        Part::HeaderList,
        Part::Cookie,
        Part::CookieList,
        Part::DateTimes,
        Part::Accept,
        Part::JsonBody,
        Part::FormBody,
        Part::MultipartBody,
        Part::TextBody,
        Part::BytesBody,
        Part::Json,
        Part::Empty,
        Part::Text,
        Part::Bytes,
        Part::Statuses,
        Part::ResponseHeaders,
        Part::Pagination,
        Part::PageLinks,
        Part::PageInBody,
        Part::PageLinkHeader,
        Part::PageNumbers,
        Part::Streaming,
        Part::Keys,
        Part::KeyAsStr,
        Part::KeyInto,
        Part::KnownKeys,
        Part::UnionScore,
        Part::Entries,
        Part::PresentFields,
        Part::OptionalFields,
        Part::Loose,
        Part::NextSet,
        Part::NextSome,
        Part::LooseSet,
        Part::LooseSome,
        Part::RequiredFields,
    ];

    /// The parts of the model helpers (`fields.rs`).
    pub const FIELDS: &[Part] = &[
        Part::Keys,
        Part::KeyAsStr,
        Part::KeyInto,
        Part::KnownKeys,
        Part::UnionScore,
        Part::Entries,
        Part::PresentFields,
        Part::OptionalFields,
        Part::Loose,
        Part::NextSet,
        Part::NextSome,
        Part::LooseSet,
        Part::LooseSome,
        Part::RequiredFields,
    ];

    /// The runtime crate's feature for the part.
    pub fn feature(self) -> &'static str {
        match self {
            Part::OAuth => "oauth",
            Part::RelativeLogin => "relative-login",
            Part::ClientCredentials => "client-credentials",
            Part::AuthorizationCode => "authorization-code",
            Part::Password => "password",
            Part::Refresh => "refresh",
            Part::RefreshPath => "refresh-path",
            Part::ExtensionGrants => "extension-grants",
            Part::Security => "security",
            Part::Held => "held",
            Part::TokenNew => "token-new",
            Part::Regions => "regions",
            Part::Gateways => "gateways",
            Part::Servers => "servers",
            Part::OperationServers => "operation-servers",
            Part::PathParams => "path-params",
            Part::Query => "query",
            Part::QueryEach => "query-each",
            Part::QueryJoined => "query-joined",
            Part::Header => "header",
            Part::HeaderList => "header-list",
            Part::Cookie => "cookie",
            Part::CookieList => "cookie-list",
            Part::DateTimes => "date-times",
            Part::Accept => "accept",
            Part::JsonBody => "json-body",
            Part::FormBody => "form-body",
            Part::MultipartBody => "multipart-body",
            Part::TextBody => "text-body",
            Part::BytesBody => "bytes-body",
            Part::Json => "json",
            Part::Empty => "empty",
            Part::Text => "text",
            Part::Bytes => "bytes",
            Part::Statuses => "statuses",
            Part::ResponseHeaders => "response-headers",
            Part::Pagination => "pagination",
            Part::PageLinks => "page-links",
            Part::PageInBody => "page-in-body",
            Part::PageLinkHeader => "page-link-header",
            Part::PageNumbers => "page-numbers",
            Part::Streaming => "streaming",
            Part::Keys => "keys",
            Part::KeyAsStr => "key-as-str",
            Part::KeyInto => "key-into",
            Part::KnownKeys => "known-keys",
            Part::UnionScore => "union-score",
            Part::Entries => "entries",
            Part::PresentFields => "present-fields",
            Part::OptionalFields => "optional-fields",
            Part::Loose => "loose",
            Part::NextSet => "next-set",
            Part::NextSome => "next-some",
            Part::LooseSet => "loose-set",
            Part::LooseSome => "loose-some",
            Part::RequiredFields => "required-fields",
        }
    }

    /// The part a runtime feature names.
    pub fn from_feature(feature: &str) -> Option<Part> {
        Part::ALL.iter().copied().find(|p| p.feature() == feature)
    }
}

/// A `Request` or `Response` method the operations call: each is a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Helper {
    Query,
    QueryEach,
    QueryJoined,
    Header,
    HeaderList,
    Cookie,
    CookieList,
    Accept,
    JsonBody,
    FormBody,
    MultipartBody,
    TextBody,
    BytesBody,
    Json,
    Empty,
    Text,
    Bytes,
}

impl Helper {
    /// The method's name.
    pub fn method(self) -> &'static str {
        match self {
            Helper::Query => "query",
            Helper::QueryEach => "query_each",
            Helper::QueryJoined => "query_joined",
            Helper::Header => "header",
            Helper::HeaderList => "header_list",
            Helper::Cookie => "cookie",
            Helper::CookieList => "cookie_list",
            Helper::Accept => "accept",
            Helper::JsonBody => "json_body",
            Helper::FormBody => "form_body",
            Helper::MultipartBody => "multipart_body",
            Helper::TextBody => "text_body",
            Helper::BytesBody => "bytes_body",
            Helper::Json => "json",
            Helper::Empty => "empty",
            Helper::Text => "text",
            Helper::Bytes => "bytes",
        }
    }

    /// The part that holds the method.
    pub fn part(self) -> Part {
        match self {
            Helper::Query => Part::Query,
            Helper::QueryEach => Part::QueryEach,
            Helper::QueryJoined => Part::QueryJoined,
            Helper::Header => Part::Header,
            Helper::HeaderList => Part::HeaderList,
            Helper::Cookie => Part::Cookie,
            Helper::CookieList => Part::CookieList,
            Helper::Accept => Part::Accept,
            Helper::JsonBody => Part::JsonBody,
            Helper::FormBody => Part::FormBody,
            Helper::MultipartBody => Part::MultipartBody,
            Helper::TextBody => Part::TextBody,
            Helper::BytesBody => Part::BytesBody,
            Helper::Json => Part::Json,
            Helper::Empty => Part::Empty,
            Helper::Text => Part::Text,
            Helper::Bytes => Part::Bytes,
        }
    }

    /// Whether the method takes a parameter's values as a slice.
    pub fn takes_list(self) -> bool {
        matches!(
            self,
            Helper::QueryEach | Helper::QueryJoined | Helper::HeaderList | Helper::CookieList
        )
    }
}

/// The parts one crate carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts(BTreeSet<Part>);

impl Parts {
    pub fn insert(&mut self, part: Part) {
        self.0.insert(part);
    }

    /// Adds `part` when `used`.
    pub fn set(&mut self, part: Part, used: bool) {
        if used {
            self.0.insert(part);
        }
    }

    pub fn extend(&mut self, parts: impl IntoIterator<Item = Part>) {
        self.0.extend(parts);
    }

    pub fn has(&self, part: Part) -> bool {
        self.0.contains(&part)
    }

    /// Whether any of `parts` is carried.
    pub fn any(&self, parts: &[Part]) -> bool {
        parts.iter().any(|p| self.has(*p))
    }

    pub fn iter(&self) -> impl Iterator<Item = Part> + '_ {
        self.0.iter().copied()
    }
}

impl FromIterator<Part> for Parts {
    fn from_iter<I: IntoIterator<Item = Part>>(iter: I) -> Self {
        Parts(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_name_one_part_each() {
        for part in Part::ALL {
            assert_eq!(Part::from_feature(part.feature()), Some(*part));
        }
        let names: BTreeSet<&str> = Part::ALL.iter().map(|p| p.feature()).collect();
        assert_eq!(names.len(), Part::ALL.len());
    }

    #[test]
    fn helpers_are_parts_named_as_their_methods() {
        assert_eq!(Helper::QueryJoined.method(), "query_joined");
        assert_eq!(Helper::QueryJoined.part().feature(), "query-joined");
        assert_eq!(Helper::Bytes.part(), Part::Bytes);
        assert!(Helper::CookieList.takes_list() && !Helper::Cookie.takes_list());
    }
}
