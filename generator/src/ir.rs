//! The generator's own model of an API: what the emitted crate contains, with
//! every name already decided. Lowering fills it; rendering only reads it.

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server URL of the spec, its variables at their defaults:
    /// the client's default base URL.
    pub default_base_url: String,
    /// The servers the spec lists, when there is a choice to make (several,
    /// or variables); empty otherwise.
    pub servers: Vec<Server>,
    /// The ways the API authenticates, in the spec's order.
    pub schemes: Vec<SecurityScheme>,
    /// One group of operations per tag, sorted by name.
    pub groups: Vec<Group>,
    /// Every named type, sorted by name.
    pub models: Vec<Model>,
    /// The model that most error responses carry, if any; the client's error type decodes it.
    pub error_model: Option<String>,
}

/// The operations sharing one tag, emitted as one `…Api` type.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The tag as written in the spec.
    pub tag: String,
    pub description: Option<String>,
    /// `TokensApi`.
    pub type_name: String,
    /// `TokensMock`: the group's rules in a `Mock` (the `test-util` feature).
    pub mock_name: String,
    /// `tokens`: both the module and the client's accessor method (and the
    /// mock's).
    pub module: String,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// The constant on `reqwest::Method`.
    pub fn constant(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: String,
    /// `get_tokens_me`: the method on the group type.
    pub fn_name: String,
    /// `GetTokensMe`: the request builder type.
    pub builder_name: String,
    /// Every tag the spec gives the operation, in its order; the operation
    /// sits in the group of the first (or of `Other` without any).
    pub tags: Vec<String>,
    pub method: Method,
    /// The path as written in the spec, e.g. `/api/v2/tokens/{userId}`.
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Marked as a preview that may change without notice (by the extension
    /// the settings name).
    pub preview: bool,
    pub permissions: Option<Permissions>,
    /// OAuth scopes, in spec order.
    pub scopes: Vec<String>,
    /// What the operation needs to be authenticated.
    pub security: Security,
    /// The operation's own server (its `servers`, or its path's), when it
    /// is not the document's: its URL, variables at their defaults.
    pub server: Option<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// The type of the (first) success response body; `None` when it has none.
    pub response: Option<TypeRef>,
    /// How that body is encoded.
    pub response_kind: MediaKind,
    /// The media types the success bodies are read in, in the spec's order
    /// (sent as `Accept`); empty when no success response has a body.
    pub accept: Vec<String>,
    /// Every documented success status, when they carry different bodies:
    /// the operation then returns an enum with one variant per status.
    pub responses: Option<ResponseEnum>,
    /// The status codes documented as errors, with their descriptions.
    pub errors: Vec<ErrorResponse>,
    /// The headers the success responses declare, read into a type of
    /// their own; `None` when they declare none.
    pub response_headers: Option<ResponseHeaders>,
    /// How the operation's answer pages, when it does.
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// Whether the path has parameters in it.
    pub fn has_path_params(&self) -> bool {
        self.path_parts
            .iter()
            .any(|p| matches!(p, PathPart::Param(_)))
    }
}

/// How a body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediaKind {
    /// `application/json` and `*+json`.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: each property of an object a part, its
    /// binary strings file parts.
    Multipart,
    /// `text/*`: a string.
    Text,
    /// Anything else: bytes.
    Binary,
}

/// The success responses of an operation whose statuses carry different bodies.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseEnum {
    /// The enum's name, e.g. `GetThingResponse`.
    pub name: String,
    pub variants: Vec<ResponseVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseVariant {
    /// The status code, e.g. `200`; `2XX` ranges are matched by their first digit.
    pub status: String,
    pub ident: String,
    pub ty: Option<TypeRef>,
    pub kind: MediaKind,
    pub description: String,
}

/// How a paged operation's pages follow each other, and where their items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// What found it.
    pub rule: PageRule,
    /// Where a page's items are.
    pub items: PageItems,
    /// The items' type.
    pub item: TypeRef,
    /// Where the next page is.
    pub next: NextPage,
}

/// What made an operation paged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageRule {
    /// A rule of the settings' `[pagination]`.
    Settings,
    /// A next page's URL in the body, under a name such links go by.
    BodyLink,
    /// A cursor in the body that a query parameter sends back.
    BodyCursor,
    /// A `Link` response header with `rel="next"`.
    LinkHeader,
    /// The `x-dropshot-pagination` extension.
    Dropshot,
    /// The `x-pagination` extension.
    XPagination,
}

impl PageRule {
    /// How the generator's summary and the API diff name the rule.
    pub fn describe(self) -> &'static str {
        match self {
            PageRule::Settings => "the settings' rule",
            PageRule::BodyLink => "a next link in the body",
            PageRule::BodyCursor => "a cursor in the body",
            PageRule::LinkHeader => "the Link header",
            PageRule::Dropshot => "x-dropshot-pagination",
            PageRule::XPagination => "x-pagination",
        }
    }
}

/// Where a page's items are.
#[derive(Debug, Clone, PartialEq)]
pub enum PageItems {
    /// The body is the list.
    Body,
    /// A list field of the body's struct, by its name on the wire.
    Field(String),
}

/// Where the next page is.
#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// Its URL (or a path on the API's origin), at this path of names into
    /// the body, followed with `GET` as it is.
    Link(Vec<String>),
    /// A cursor at this path of names into the body, sent back in the
    /// query parameter with this index in `Operation::params`.
    Cursor(Vec<String>, usize),
    /// The `Link` response header's `rel="next"` URL.
    LinkHeader,
    /// The page number in the integer query parameter with this index in
    /// `Operation::params`, counted from `first`; an empty page is the last.
    PageNumber { param: usize, first: i64 },
}

/// The headers an operation's success responses declare (the first
/// declaration of a name wins), read into one type.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeaders {
    /// The type's name, e.g. `GetThingHeaders`.
    pub name: String,
    pub headers: Vec<ResponseHeader>,
}

/// One declared response header.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The name as the spec writes it, e.g. `X-RateLimit-Remaining`.
    pub name: String,
    /// The field's identifier.
    pub ident: String,
    /// A scalar (`String`, `Bool`, an integer or float, `DateTime`, `Date`)
    /// or a list of them (comma-separated on the wire); anything else is
    /// read as its text, a `String`.
    pub ty: TypeRef,
    pub description: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    /// Literal text, sent as written.
    Literal(String),
    /// The parameter with this index in `Operation::params`, percent-encoded as one segment.
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Permissions {
    /// `ANY` or `ALL`.
    pub kind: String,
    pub names: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    /// The location as the spec spells it (`path`, `query`, …).
    pub fn word(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub name: String,
    /// The Rust identifier.
    pub ident: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    /// How the values of a list are written; only lists read it.
    pub list_style: ListStyle,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// How a parameter holding a list writes its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// The parameter once per value, `id=a&id=b`: a query parameter in the
    /// `form` style, exploded (OpenAPI's default; Swagger's `multi`).
    Repeated,
    /// One value, the values separated by this character: `id=a,b` (`form`
    /// not exploded, Swagger's `csv`; headers and cookies), `id=a%20b`
    /// (`spaceDelimited`, `ssv`) or `id=a|b` (`pipeDelimited`, `pipes`).
    Joined(char),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The Rust identifier of the builder's setter.
    pub ident: String,
    pub required: bool,
    pub ty: TypeRef,
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    pub kind: MediaKind,
    /// The media types the spec's `encoding` gives a multipart body's
    /// parts, by property.
    pub part_types: Vec<(String, String)>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    pub status: String,
    pub description: String,
    /// The body's type, when the response documents one.
    pub ty: Option<TypeRef>,
}

/// A reference to a type from a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    DateTime,
    Date,
    /// Any JSON value.
    Json,
    /// Raw bytes (`format: binary` outside JSON).
    Bytes,
    /// A file part of a multipart body (a `format: binary` property): its
    /// bytes, file name and media type.
    File,
    /// A model, by its Rust name.
    Named(String),
    Vec(Box<TypeRef>),
    /// A map from string keys.
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// Can values of this type be written as a query or path value?
    pub fn is_scalar(&self) -> bool {
        !matches!(
            self,
            TypeRef::Json | TypeRef::Bytes | TypeRef::File | TypeRef::Vec(_) | TypeRef::Map(_)
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: String,
    /// The module the type is defined in.
    pub module: String,
    pub description: Option<String>,
    /// Where the schema is, for diagnostics.
    pub pointer: String,
    pub kind: ModelKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModelKind {
    Struct(Vec<Field>),
    Enum(Vec<Variant>),
    Alias(TypeRef),
    /// `oneOf` / `anyOf`: a value of one of several types.
    Union(Union),
}

/// A value of one of several types.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The property that names the variant, when the spec declares a discriminator.
    pub discriminator: Option<String>,
    pub variants: Vec<UnionVariant>,
    /// Every variant is a scalar (a string, number, boolean, date, string
    /// enum or another such union): the value is written as its active
    /// variant's text, so it can be a parameter.
    pub scalar: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub ident: String,
    pub ty: TypeRef,
    /// The discriminator values that select this variant.
    pub tags: Vec<String>,
    /// Held in a `Box` to break a cycle of directly nested types.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON name.
    pub name: String,
    /// The Rust identifier.
    pub ident: String,
    pub ty: TypeRef,
    pub required: bool,
    /// `null` is a valid value.
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// Held in a `Box` to break a cycle of directly nested types.
    pub boxed: bool,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Constraints, format and default the spec states, for the docs.
    pub constraints: Vec<String>,
}

impl Field {
    /// Is the field an argument of its model's `new`, held as `T` rather than
    /// `Option<T>`? Required and not nullable: a required field that may be
    /// null is an `Option` that is always sent.
    pub fn in_new(&self) -> bool {
        self.required && !self.nullable
    }

    /// May the field be left out and be `null` too? Then it is held as
    /// `Option<Option<T>>`: `None` left out, `Some(None)` an explicit `null`.
    pub fn tri_state(&self) -> bool {
        !self.required && self.nullable
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The value on the wire.
    pub value: String,
    pub ident: String,
}

/// A server of the API.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL template as written, `{name}` for each variable.
    pub url: String,
    /// The runtime's name for it, `Production`.
    pub variant: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

/// A variable of a server URL.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// The name in the URL template.
    pub name: String,
    /// The Rust identifier of the field holding it.
    pub ident: String,
    pub default: String,
    /// The values it may take, when the spec lists them (`enum`): then a
    /// type of its own, named `type_name`.
    pub choices: Vec<Variant>,
    pub type_name: Option<String>,
    pub description: Option<String>,
}

/// One way of authenticating that the spec declares (`components.securitySchemes`).
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The key the spec names it by, as operations' requirements do.
    pub key: String,
    /// `PureCloudOAuth`: the runtime's name for it.
    pub variant: String,
    /// The client builder's method that sets its credentials
    /// (`credentials` for OAuth 2.0, beside `access_token`).
    pub setter: String,
    pub description: Option<String>,
    pub kind: SchemeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// HTTP `Authorization: Bearer <token>`.
    Bearer { format: Option<String> },
    /// HTTP `Authorization: Basic <user:password>`.
    Basic,
    /// A key sent as a header, query parameter or cookie.
    ApiKey {
        location: ParamLocation,
        name: String,
    },
    /// OAuth 2.0: tokens fetched from the flows' endpoints, sent as bearer tokens.
    OAuth2(Box<OAuthFlows>),
}

impl SchemeKind {
    /// The kind as the spec names it: `bearer`, `basic`, `api_key`, `oauth2`.
    pub fn word(&self) -> &'static str {
        match self {
            SchemeKind::Bearer { .. } => "bearer",
            SchemeKind::Basic => "basic",
            SchemeKind::ApiKey { .. } => "api_key",
            SchemeKind::OAuth2(_) => "oauth2",
        }
    }
}

/// The OAuth 2.0 flows a scheme declares.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OAuthFlows {
    pub client_credentials: Option<OAuthFlow>,
    pub authorization_code: Option<OAuthFlow>,
    pub password: Option<OAuthFlow>,
    pub implicit: Option<OAuthFlow>,
}

impl OAuthFlows {
    /// The URL tokens are requested from: that of the first flow with one.
    pub fn token_url(&self) -> Option<&str> {
        [
            &self.client_credentials,
            &self.authorization_code,
            &self.password,
        ]
        .into_iter()
        .flatten()
        .find_map(|f| f.token_url.as_deref())
    }

    /// The URL users are sent to to log in, for the code and implicit flows.
    pub fn authorization_url(&self) -> Option<&str> {
        [&self.authorization_code, &self.implicit]
            .into_iter()
            .flatten()
            .find_map(|f| f.authorization_url.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OAuthFlow {
    pub token_url: Option<String>,
    pub authorization_url: Option<String>,
    pub refresh_url: Option<String>,
    /// Scope names and their descriptions, in spec order.
    pub scopes: Vec<(String, String)>,
}

/// The credentials an operation needs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Security {
    /// Alternatives, in the spec's order: the client uses the first it has
    /// credentials for. Each names schemes by index in [`Api::schemes`], all of
    /// which are sent together; an empty one means no credentials are needed.
    /// No alternatives at all means the same.
    pub alternatives: Vec<Vec<usize>>,
}

impl Security {
    /// Whether the operation can be called without credentials.
    pub fn optional(&self) -> bool {
        self.alternatives.is_empty() || self.alternatives.iter().any(Vec::is_empty)
    }
}

/// Small IR values for the tests of the modules that read the IR.
#[cfg(test)]
pub(crate) mod sample {
    use super::*;

    /// A model named `name`, in the module its name gives.
    pub fn model(name: &str, kind: ModelKind) -> Model {
        Model {
            name: name.into(),
            module: crate::naming::module_name(name),
            description: None,
            pointer: format!("/components/schemas/{name}"),
            kind,
        }
    }

    /// An optional field whose JSON name is its identifier.
    pub fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: name.into(),
            ident: name.into(),
            ty,
            required: false,
            nullable: false,
            read_only: false,
            write_only: false,
            boxed: false,
            description: None,
            deprecated: false,
            constraints: Vec::new(),
        }
    }

    pub fn named(n: &str) -> TypeRef {
        TypeRef::Named(n.into())
    }

    /// The group of `tag`, named as lowering names it.
    pub fn group(tag: &str, operations: Vec<Operation>) -> Group {
        Group {
            tag: tag.into(),
            description: None,
            type_name: format!("{}Api", crate::naming::camel(tag)),
            mock_name: format!("{}Mock", crate::naming::camel(tag)),
            module: crate::naming::snake(tag),
            operations,
        }
    }

    /// A `GET /` operation named `id` in every way, without tags or parameters.
    pub fn operation(id: &str, response: Option<TypeRef>) -> Operation {
        Operation {
            id: id.into(),
            fn_name: id.into(),
            builder_name: id.into(),
            tags: Vec::new(),
            method: Method::Get,
            path: "/".into(),
            path_parts: Vec::new(),
            summary: None,
            description: None,
            deprecated: false,
            preview: false,
            permissions: None,
            scopes: Vec::new(),
            security: Security::default(),
            server: None,
            params: Vec::new(),
            body: None,
            response,
            response_kind: MediaKind::Json,
            accept: Vec::new(),
            responses: None,
            errors: Vec::new(),
            response_headers: None,
            pagination: None,
        }
    }
}
