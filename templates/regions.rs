//! The deployments of the API the client can be pointed at by name{% if rt.gateways %}, and
//! gateways in front of them{% endif %}.

{%- if r.login %}
use reqwest::Url;
{%- endif %}
use std::fmt;
use std::str::FromStr;

/// A region of the API. API calls go to {{ r.api_doc }}{% if r.login %}, logins to
/// {{ r.login_doc }}{% endif %}.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Region {
{%- for region in r.list %}
    /// {{ region.label }}`{{ region.domain }}`.
    {%- if region.default %}
    #[default]
    {%- endif %}
    {{ region.variant }},
{%- endfor %}
}

impl Region {
    /// Every region.
    pub const ALL: [Region; {{ r.list.len() }}] = [
    {%- for region in r.list %}
        Region::{{ region.variant }},
    {%- endfor %}
    ];

    /// The region's name, e.g. `{{ r.list[0].name }}`.
    pub fn name(self) -> &'static str {
        match self {
        {%- for region in r.list %}
            Region::{{ region.variant }} => {{ region.name_lit }},
        {%- endfor %}
        }
    }

    /// The region's domain, e.g. `{{ r.list[0].domain }}`.
    pub fn domain(self) -> &'static str {
        match self {
        {%- for region in r.list %}
            Region::{{ region.variant }} => {{ region.domain_lit }},
        {%- endfor %}
        }
    }

    /// {{ r.api_doc }}.
    pub fn api_url(self) -> String {
        [{{ r.api_prefix }}, self.domain(), {{ r.api_suffix }}].concat()
    }
{%- if r.login %}

    /// {{ r.login_doc }}.
    pub fn login_url(self) -> String {
        [{{ r.login_prefix }}, self.domain(), {{ r.login_suffix }}].concat()
    }

    /// The region whose API URL `url` is, to log in at its login host.
    pub(crate) fn of_api_url(url: &Url) -> Option<Region> {
        let url = url.as_str().trim_end_matches('/');
        Region::ALL.into_iter().find(|r| r.api_url().trim_end_matches('/') == url)
    }
{%- endif %}
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A region name, domain or host that is not one of [`Region::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRegion(pub String);

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a known region, domain or host", self.0)
    }
}

impl std::error::Error for UnknownRegion {}

impl FromStr for Region {
    type Err = UnknownRegion;

    /// Accepts a name (`{{ r.list[0].name }}`, or with `-` for `_`), a domain
    /// (`{{ r.list[0].domain }}`), or a region's API{% if r.login %} or login{% endif %} URL or host.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.trim_end_matches('/');
        let host = |url: String| url.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_owned();
        let name = t.replace('-', "_");
        let bare = host(t.to_owned());
        Region::ALL
            .into_iter()
            .find(|r| {
                r.name() == name
                    || r.domain() == t
                    || host(r.api_url()) == bare
                {%- if r.login %}
                    || host(r.login_url()) == bare
                {%- endif %}
            })
            .ok_or_else(|| UnknownRegion(s.to_owned()))
    }
}
{%- if rt.gateways %}

/// A gateway in front of the API: one host for API calls{% if r.login %} and logins{% endif %},
/// {% if r.login %}each{% else %}API calls{% endif %} under its own path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    /// `https` (default) or `http`.
    pub scheme: String,
    /// The gateway's host name or address.
    pub host: String,
    /// The port, if not the scheme's default.
    pub port: Option<u16>,
    /// The path prefix of API calls, e.g. `api`.
    pub api_path: String,
{%- if r.login %}
    /// The path prefix of login requests, e.g. `login`.
    pub login_path: String,
{%- endif %}
}

impl Gateway {
    /// A gateway at `https://host`, with no path prefixes.
    pub fn new(host: impl Into<String>) -> Self {
        Gateway {
            scheme: "https".to_owned(),
            host: host.into(),
            port: None,
            api_path: String::new(),
        {%- if r.login %}
            login_path: String::new(),
        {%- endif %}
        }
    }

    /// Sets the scheme (`http` or `https`).
    pub fn scheme(mut self, scheme: impl Into<String>) -> Self {
        self.scheme = scheme.into();
        self
    }

    /// Sets the port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Sets the path prefix of API calls.
    pub fn api_path(mut self, path: impl Into<String>) -> Self {
        self.api_path = path.into();
        self
    }
{%- if r.login %}

    /// Sets the path prefix of login requests.
    pub fn login_path(mut self, path: impl Into<String>) -> Self {
        self.login_path = path.into();
        self
    }
{%- endif %}

    pub(crate) fn url(&self, path: &str) -> String {
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        let path = path.trim_matches('/');
        let path = if path.is_empty() { String::new() } else { format!("/{path}") };
        format!("{}://{}{}{}", self.scheme, self.host, port, path)
    }
}
{%- endif %}
