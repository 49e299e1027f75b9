//! The API's OAuth 2.0 logins: the grants its description declares and
//! those the settings add, and where tokens are requested. The token cache
//! that uses them is in `auth`.

{%- if o.grants.is_empty() %}
use crate::auth::Grant;
{%- else %}
use crate::auth::{Grant, GrantParam, ParamValue};
{%- endif %}
{%- if o.authorization_code %}
use crate::auth::Pkce;
{%- endif %}
use secrecy::SecretString;

/// Where tokens are requested, below the login URL.
pub(crate) const TOKEN_PATH: &str = {{ o.token_path_lit }};
{%- if let Some(path) = o.refresh_path_lit %}

/// Where tokens are refreshed, below the login URL.
pub(crate) const REFRESH_PATH: &str = {{ path }};
{%- endif %}
{%- if o.authorization_code %}

/// Where users log in, below the login URL.
pub(crate) const AUTHORIZE_PATH: &str = {{ o.authorize_path_lit }};
{%- endif %}
{%- if !o.login_relative %}

/// Where logins go unless the client is told otherwise.
pub(crate) const DEFAULT_LOGIN_URL: &str = {{ o.default_login_lit }};
{%- endif %}

/// How to obtain access tokens.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// A bearer token obtained elsewhere; it is never renewed.
    AccessToken(SecretString),
{%- if o.client_credentials %}
    /// The client credentials grant: the token is fetched on first use and
    /// renewed shortly before it expires, or when the API answers 401.
    ClientCredentials {
        /// The OAuth client id.
        client_id: String,
        /// The OAuth client secret.
        client_secret: SecretString,
    },
{%- endif %}
{%- if o.authorization_code %}
    /// The authorization code grant: the code is exchanged on first use; the
    /// refresh token that comes back renews the access token when it expires
    /// or when the API answers 401.
    AuthorizationCode {
        /// The OAuth client id.
        client_id: String,
        /// The OAuth client secret.
        client_secret: SecretString,
        /// The code the login redirect delivered.
        code: SecretString,
        /// The redirect URI the code was issued for.
        redirect_uri: String,
    },
    /// The authorization code grant with PKCE, for public clients: no secret.
    Pkce {
        /// The OAuth client id.
        client_id: String,
        /// The code the login redirect delivered.
        code: SecretString,
        /// The verifier whose challenge went into the authorize URL.
        verifier: SecretString,
        /// The redirect URI the code was issued for.
        redirect_uri: String,
    },
{%- endif %}
{%- if o.password %}
    /// The resource owner password grant: a user's name and password.
    Password {
        /// The OAuth client id.
        client_id: String,
        /// The OAuth client secret.
        client_secret: SecretString,
        /// The user's name.
        username: String,
        /// The user's password.
        password: SecretString,
    },
{%- endif %}
{%- for g in o.grants %}
    {% for d in g.docs %}#[doc = {{ d }}]
    {% endfor -%}
    {{ g.variant }} {
        /// The OAuth client id.
        client_id: String,
        /// The OAuth client secret.
        client_secret: SecretString,
    {%- for p in g.params %}
        {% for d in p.docs %}#[doc = {{ d }}]
        {% endfor -%}
        {{ p.arg }}: {% if p.secret %}SecretString{% else %}String{% endif %},
    {%- endfor %}
    },
{%- endfor %}
{%- if o.refresh %}
    /// A refresh token from an earlier authorization code login.
    RefreshToken {
        /// The OAuth client id.
        client_id: String,
        /// The OAuth client secret.
        client_secret: SecretString,
        /// The refresh token.
        refresh_token: SecretString,
    },
{%- endif %}
}

impl Credentials {
    /// A bearer token obtained elsewhere.
    pub fn access_token(token: impl Into<String>) -> Self {
        Credentials::AccessToken(SecretString::from(token.into()))
    }
{%- if o.client_credentials %}

    /// The client credentials grant.
    pub fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Credentials::ClientCredentials {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        }
    }
{%- endif %}
{%- if o.authorization_code %}

    /// The authorization code grant.
    pub fn authorization_code(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        code: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Credentials::AuthorizationCode {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            code: SecretString::from(code.into()),
            redirect_uri: redirect_uri.into(),
        }
    }

    /// The authorization code grant with PKCE.
    pub fn pkce(client_id: impl Into<String>, code: impl Into<String>, pkce: &Pkce, redirect_uri: impl Into<String>) -> Self {
        Credentials::Pkce {
            client_id: client_id.into(),
            code: SecretString::from(code.into()),
            verifier: pkce.verifier().clone(),
            redirect_uri: redirect_uri.into(),
        }
    }
{%- endif %}
{%- if o.password %}

    /// The resource owner password grant.
    pub fn password(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Credentials::Password {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            username: username.into(),
            password: SecretString::from(password.into()),
        }
    }
{%- endif %}
{%- for g in o.grants %}

    {% for d in g.docs %}#[doc = {{ d }}]
    {% endfor -%}
    pub fn {{ g.name }}(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    {%- for p in g.params %}
        {{ p.arg }}: impl Into<String>,
    {%- endfor %}
    ) -> Self {
        Credentials::{{ g.variant }} {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        {%- for p in g.params %}
            {%- if p.secret %}
            {{ p.arg }}: SecretString::from({{ p.arg }}.into()),
            {%- else %}
            {{ p.arg }}: {{ p.arg }}.into(),
            {%- endif %}
        {%- endfor %}
        }
    }
{%- endfor %}
{%- if o.refresh %}

    /// A refresh token from an earlier login.
    pub fn refresh_token(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        Credentials::RefreshToken {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            refresh_token: SecretString::from(refresh_token.into()),
        }
    }
{%- endif %}

    /// What a login with these credentials sends.
    pub(crate) fn grant(&self) -> Grant<'_> {
        match self {
            Credentials::AccessToken(token) => Grant::AccessToken(token),
        {%- if o.client_credentials %}
            Credentials::ClientCredentials { client_id, client_secret } => Grant::ClientCredentials { client_id, client_secret },
        {%- endif %}
        {%- if o.authorization_code %}
            Credentials::AuthorizationCode { client_id, client_secret, code, redirect_uri } => Grant::AuthorizationCode { client_id, client_secret, code, redirect_uri },
            Credentials::Pkce { client_id, code, verifier, redirect_uri } => Grant::Pkce { client_id, code, verifier, redirect_uri },
        {%- endif %}
        {%- if o.password %}
            Credentials::Password { client_id, client_secret, username, password } => Grant::Password { client_id, client_secret, username, password },
        {%- endif %}
        {%- for g in o.grants %}
            Credentials::{{ g.variant }} {
                client_id,
                client_secret,
            {%- for p in g.params %}
                {{ p.arg }},
            {%- endfor %}
            } => Grant::Extension {
                name: {{ g.name_lit }},
                grant_type: {{ g.grant_type_lit }},
                client_id,
                client_secret,
                params: vec![
                {%- for p in g.params %}
                    GrantParam {
                        field: {{ p.field_lit }},
                        name: {{ p.arg_lit }},
                        value: ParamValue::{% if p.secret %}Secret{% else %}Plain{% endif %}({{ p.arg }}),
                    },
                {%- endfor %}
                ],
            },
        {%- endfor %}
        {%- if o.refresh %}
            Credentials::RefreshToken { client_id, client_secret, refresh_token } => Grant::RefreshToken { client_id, client_secret, refresh_token },
        {%- endif %}
        }
    }
}
