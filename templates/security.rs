{%- macro sent_and_described(s) %}
    /// It is sent to the operations that accept it, and never appears in
    /// `Debug` output.
    {%- if !s.description.is_empty() %}
    ///
    {%- for d in s.description %}
    #[doc = {{ d }}]
    {%- endfor %}
    {%- endif %}
{%- endmacro %}
//! The ways the API authenticates, as its description declares them: the
//! client builder's methods for each, and which credentials each operation
//! sends.

use crate::client::ClientBuilder;
{%- if rt.oauth.is_some() %}
use crate::grants::Credentials;
{%- endif %}
{%- if rt.held %}
{%- if rt.held_basic %}
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
{%- endif %}
{%- if rt.held_header || rt.held_cookie %}
use reqwest::header::{{ "{" }}{% if rt.held_cookie %}COOKIE, {% endif %}{% if rt.held_header %}HeaderName, {% endif %}HeaderValue};
{%- endif %}
{%- if rt.held_query || rt.held_cookie %}
use secrecy::{ExposeSecret, SecretString};
{%- endif %}
{%- endif %}

{%- if let Some(setter) = rt.token_setter %}
/// `builder` sending `token` as a bearer token: what `Client::new` does.
pub(crate) fn with_token(builder: ClientBuilder, token: String) -> ClientBuilder {
    builder.{{ setter }}(token)
}

{% endif -%}
{%- if let Some(oauth) = rt.oauth %}
/// The scheme whose tokens the client fetches and renews.
pub(crate) const OAUTH: Scheme = Scheme::{{ oauth.variant }};

{% endif -%}
/// A security scheme of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
{%- for s in rt.schemes %}
    /// {{ s.key }}: {{ s.summary }}.
    {{ s.variant }},
{%- endfor %}
}

impl Scheme {
    /// The scheme as the API description names it, and how to configure it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
        {%- for s in rt.schemes %}
            Scheme::{{ s.variant }} => {{ s.describe_lit }},
        {%- endfor %}
        }
    }
}
{%- if rt.held %}

/// A credential the client sends as it is, for one scheme.
pub(crate) enum Held {
{%- if rt.held_header %}
    /// A header, marked sensitive.
    Header(HeaderName, HeaderValue),
{%- endif %}
{%- if rt.held_query %}
    /// A query parameter.
    Query(&'static str, SecretString),
{%- endif %}
{%- if rt.held_cookie %}
    /// A cookie.
    Cookie(&'static str, SecretString),
{%- endif %}
}

impl Held {
{%- if rt.held_header %}
    /// A header carrying `value`; fails when a header cannot carry it.
    fn header(name: &'static str, value: String) -> Result<Held, String> {
        let mut value = HeaderValue::from_str(&value).map_err(|_| format!("the credential for header `{name}` holds characters a header cannot carry"))?;
        value.set_sensitive(true);
        Ok(Held::Header(HeaderName::from_static(name), value))
    }
{%- endif %}

    /// Adds the credential to a request.
    pub(crate) fn apply(&self, request: &mut reqwest::Request) -> Result<(), String> {
        match self {
        {%- if rt.held_header %}
            Held::Header(name, value) => {
                request.headers_mut().insert(name.clone(), value.clone());
            }
        {%- endif %}
        {%- if rt.held_query %}
            Held::Query(name, value) => {
                request.url_mut().query_pairs_mut().append_pair(name, value.expose_secret());
            }
        {%- endif %}
        {%- if rt.held_cookie %}
            Held::Cookie(name, value) => {
                let pair = format!("{name}={}", value.expose_secret());
                let headers = request.headers_mut();
                let combined = match headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                    Some(existing) => format!("{existing}; {pair}"),
                    None => pair,
                };
                let mut value = HeaderValue::from_str(&combined)
                    .map_err(|_| format!("the credential for cookie `{name}` holds characters a header cannot carry"))?;
                value.set_sensitive(true);
                headers.insert(COOKIE, value);
            }
        {%- endif %}
        }
        Ok(())
    }
}
{%- endif %}

/// The credentials of the client builder.
impl ClientBuilder {
{%- for s in rt.schemes %}
{%- match s.kind %}
{%- when SchemeViewKind::Bearer %}
    /// Authenticates with a bearer token, sent as `Authorization: Bearer <token>`
    /// ({{ s.key }}).
    {%- call sent_and_described(s) %}{% endcall %}
    pub fn {{ s.setter }}(self, token: impl Into<String>) -> Self {
        let token: String = token.into();
        self.hold(Scheme::{{ s.variant }}, Held::header("authorization", format!("Bearer {token}")))
    }
{%- when SchemeViewKind::Basic %}
    /// Authenticates with HTTP basic authentication: a user name and password
    /// ({{ s.key }}).
    {%- call sent_and_described(s) %}{% endcall %}
    pub fn {{ s.setter }}(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        let (username, password): (String, String) = (username.into(), password.into());
        let encoded = STANDARD.encode(format!("{username}:{password}"));
        self.hold(Scheme::{{ s.variant }}, Held::header("authorization", format!("Basic {encoded}")))
    }
{%- when SchemeViewKind::Header with (name) %}
    /// Authenticates with an API key, sent as the header {{ name.doc }}
    /// ({{ s.key }}).
    {%- call sent_and_described(s) %}{% endcall %}
    pub fn {{ s.setter }}(self, key: impl Into<String>) -> Self {
        self.hold(Scheme::{{ s.variant }}, Held::header({{ name.lit }}, key.into()))
    }
{%- when SchemeViewKind::Query with (name) %}
    /// Authenticates with an API key, sent as the query parameter {{ name.doc }}
    /// ({{ s.key }}).
    {%- call sent_and_described(s) %}{% endcall %}
    pub fn {{ s.setter }}(self, key: impl Into<String>) -> Self {
        self.hold(Scheme::{{ s.variant }}, Ok(Held::Query({{ name.lit }}, SecretString::from(key.into()))))
    }
{%- when SchemeViewKind::Cookie with (name) %}
    /// Authenticates with an API key, sent as the cookie {{ name.doc }}
    /// ({{ s.key }}).
    {%- call sent_and_described(s) %}{% endcall %}
    pub fn {{ s.setter }}(self, key: impl Into<String>) -> Self {
        self.hold(Scheme::{{ s.variant }}, Ok(Held::Cookie({{ name.lit }}, SecretString::from(key.into()))))
    }
{%- when SchemeViewKind::OAuth %}

    /// Authenticates with an OAuth access token obtained elsewhere
    /// ({{ s.key }}). It is never renewed and never appears in `Debug` output.
    pub fn access_token(self, token: impl Into<String>) -> Self {
        self.credentials(Credentials::access_token(token))
    }
{%- if let Some(oauth) = rt.oauth %}
{%- if oauth.client_credentials %}

    /// Authenticates with the OAuth client credentials grant ({{ s.key }}).
    pub fn client_credentials(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.credentials(Credentials::client_credentials(client_id, client_secret))
    }
{%- endif %}
{%- endif %}

    /// Authenticates with any OAuth [`Credentials`] ({{ s.key }}).
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.oauth(credentials)
    }
{%- endmatch %}
{% endfor %}
}
