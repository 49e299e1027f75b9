//! Conventions of the API that its OpenAPI description does not state,
//! from the generator's settings.

/// The response header carrying the server's id for an exchange, if the API
/// has one{% if let Some(h) = correlation_header %} (`{{ h }}`){% endif %}.
pub(crate) const CORRELATION_ID: Option<&str> = {% if let Some(lit) = correlation_lit %}Some({{ lit }}){% else %}None{% endif %};

/// Headers sent with every request, name and value{% if !header_docs.is_empty() %}: {% for h in header_docs %}{{ h }}{% if !loop.last %}, {% endif %}{% endfor %}{% endif %}.
pub(crate) const HEADERS: &[(&str, &str)] = &[{% for (name, value) in headers %}({{ name }}, {{ value }}), {% endfor %}];

/// The `tracing` target of calls' events.
pub(crate) const TRACE_TARGET: &str = {{ target_lit }};

{%- if oauth %}

/// The `tracing` target of logins' events.
pub(crate) const AUTH_TRACE_TARGET: &str = {{ auth_target_lit }};
{%- endif %}

/// The name of every call's `tracing` span.
pub(crate) const CALL_SPAN: &str = {{ call_span_lit }};
