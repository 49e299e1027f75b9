//! The servers the API can be reached at, as its description lists them.

use std::fmt;

/// A server of the API. [`ClientBuilder::server`](crate::ClientBuilder::server)
/// sends calls to one; the default is the first, its variables at their
/// defaults.
#[derive(Debug, Clone, PartialEq, Eq{% if derive_default %}, Default{% endif %})]
#[non_exhaustive]
pub enum Server {
{%- for s in servers %}
    {% for d in s.docs %}#[doc = {{ d }}]
    {% endfor -%}
    {%- if s.fields.is_empty() %}
    {%- if loop.first && derive_default %}
    #[default]
    {%- endif %}
    {{ s.variant }},
    {%- else %}
    {{ s.variant }} {
    {%- for f in s.fields %}
        {% for d in f.docs %}#[doc = {{ d }}]
        {% endfor -%}
        {{ f.ident }}: {{ f.ty }},
    {%- endfor %}
    },
    {%- endif %}
{%- endfor %}
}

{%- if !derive_default %}
{%- if let Some(s) = servers.first() %}
impl Default for Server {
    fn default() -> Self {
        Server::{{ s.variant }} {
        {%- for f in s.fields %}
            {{ f.ident }}: {{ f.default_expr }},
        {%- endfor %}
        }
    }
}
{%- endif %}
{%- endif %}

impl Server {
    /// The server's URL, its variables filled in.
    pub fn url(&self) -> String {
        match self {
        {%- for s in servers %}
            {%- if s.fields.is_empty() %}
            Server::{{ s.variant }} => {{ s.url_lit }}.to_owned(),
            {%- else %}
            Server::{{ s.variant }} { {% for f in s.fields %}{{ f.ident }}, {% endfor %} } => [{% for p in s.parts %}{% match p %}{% when UrlPart::Literal with (lit) %}{{ lit }}{% when UrlPart::Variable with (ident) %}{{ ident }}.as_ref(){% endmatch %}, {% endfor %}].concat(),
            {%- endif %}
        {%- endfor %}
        }
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}
{%- for c in choices %}

{% for d in c.docs %}#[doc = {{ d }}]
{% endfor -%}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum {{ c.name }} {
{%- for v in c.values %}
    #[doc = {{ v.doc }}]
    {%- if v.default %}
    #[default]
    {%- endif %}
    {{ v.ident }},
{%- endfor %}
}

impl {{ c.name }} {
    /// The value as the URL holds it.
    pub fn as_str(self) -> &'static str {
        match self {
        {%- for v in c.values %}
            {{ c.name }}::{{ v.ident }} => {{ v.lit }},
        {%- endfor %}
        }
    }
}

impl AsRef<str> for {{ c.name }} {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for {{ c.name }} {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
{%- endfor %}
