//! The operations of the API, one type per tag.
{% for g in groups %}
#[cfg({{ g.cfg }})]
mod {{ g.module }};
#[cfg({{ g.cfg }})]
pub use {{ g.module }}::*;
{%- endfor %}

impl crate::Client {
{%- for g in groups %}
    #[doc = {{ g.accessor_doc }}]
    #[cfg({{ g.cfg }})]
    pub fn {{ g.module }}(&self) -> {{ g.type_name }}<'_> {
        {{ g.type_name }}::new(self)
    }
{%- endfor %}
}
