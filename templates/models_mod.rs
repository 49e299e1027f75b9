//! The data types of the API.
{% for m in models %}
{%- if let Some(cfg) = m.cfg %}
#[cfg({{ cfg }})]
mod {{ m.module }};
#[cfg({{ cfg }})]
pub use {{ m.module }}::{{ m.name }};
{%- else %}
mod {{ m.module }};
pub use {{ m.module }}::{{ m.name }};
{%- endif %}
{%- endfor %}
