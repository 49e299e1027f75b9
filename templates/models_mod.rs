//! The data types of the API.
{% for m in models %}
mod {{ m.module }};
pub use {{ m.module }}::{{ m.name }};
{%- endfor %}
