{%- macro build_request(op) %}
    {%- if let Some(path) = op.static_path %}
        let path = {{ path }}.to_owned();
    {%- else %}
        let path = PathBuilder::new({{ op.id }})
        {%- for part in op.path %}
            {%- match part %}
            {%- when PathPartView::Literal with (text) %}
            .literal({{ text }})
            {%- when PathPartView::Param with { wire, expr } %}
            .param({{ wire }}, {{ expr }})?
            {%- endmatch %}
        {%- endfor %}
            .finish();
    {%- endif %}
        let request = self
            .client
            .request(
                {{ op.id }},
                reqwest::Method::{{ op.method }},
                {{ op.path_template }},
                path,
                &self.options,
            {%- if let Some(alternatives) = op.security %}
                &[{% for all in alternatives %}&[{% for v in all %}Scheme::{{ v }}, {% endfor %}], {% endfor %}],
            {%- endif %}
            {%- if op.op_servers %}
                {% if let Some(url) = op.server_lit %}Some({{ url }}){% else %}None{% endif %},
            {%- endif %}
            )?
        {%- if let Some(accept) = op.accept %}
            .accept({{ accept }})
        {%- endif %}
        {%- for q in op.query %}
            .{{ q.method }}({{ q.wire }}, {{ q.expr }}{% if let Some(sep) = q.separator %}, {{ sep }}{% endif %})
        {%- endfor %}
        {%- for h in op.headers %}
            .{{ h.method }}({{ h.wire }}, {{ h.expr }})?
        {%- endfor %}
        {%- if let Some(body) = op.body %}
        {%- if let Some(parts) = body.parts %}
            .multipart_body({{ body.expr }}.map(|body| -> Result<crate::multipart::Form, String> {
                let mut form = crate::multipart::Form::new();
            {%- for p in parts %}
            {%- if p.single %}
                form.{% if p.file %}file{% else %}value{% endif %}({{ p.wire }}, &body.{{ p.ident }}, {% if let Some(t) = p.content_type %}Some({{ t }}){% else %}None{% endif %})?;
            {%- else %}
                for value in body.{{ p.ident }}.iter(){% if p.flattens > 0 %}.flatten(){% endif %}{% if p.flattens > 1 %}.flatten(){% endif %} {
                    form.{% if p.file %}file{% else %}value{% endif %}({{ p.wire }}, value, {% if let Some(t) = p.content_type %}Some({{ t }}){% else %}None{% endif %})?;
                }
            {%- endif %}
            {%- endfor %}
                for (name, value) in &body.{{ body.unknown }} {
                    form.value(name, value, None)?;
                }
                Ok(form)
            }).transpose(), {{ body.media_type }})?
        {%- else %}
            .{{ body.method }}({{ body.expr }}, {{ body.media_type }})?
        {%- endif %}
        {%- endif %};
{%- endmacro %}
use crate::client::{CallOptions,{% if path_params %} PathBuilder,{% endif %} Received};
{%- if has_schemes %}
use crate::security::Scheme;
{%- endif %}
use crate::{Client, Error};
use std::future::IntoFuture;

{% for d in docs %}#[doc = {{ d }}]
{% endfor -%}
#[derive(Debug, Clone, Copy)]
pub struct {{ type_name }}<'a> {
    client: &'a Client,
}

impl<'a> {{ type_name }}<'a> {
    /// The operations of this group, sent through `client`.
    pub fn new(client: &'a Client) -> Self {
        {{ type_name }} { client }
    }
{% for op in operations %}
    {% for d in op.docs %}#[doc = {{ d }}]
    {% endfor -%}
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn example(client: &{{ op.example.crate_ident }}::Client) -> Result<(), {{ op.example.crate_ident }}::Error> {
    {%- for u in op.example.uses %}
    /// use {{ u }};
    {%- endfor %}
    ///
    /// let result = client
    ///     .{{ op.example.group }}()
    ///     .{{ op.example.fn_name }}({{ op.example.args }})
    {%- if let Some(o) = op.example.optional %}
    ///     .{{ o.setter }}({{ o.value }})
    {%- endif %}
    ///     .await;
    /// match result {
    {%- if op.example.unit %}
    ///     Ok(()) => println!("done"),
    {%- else %}
    ///     Ok(value) => println!("{value:?}"),
    {%- endif %}
    {%- if let Some(arm) = op.example.status %}
    ///     Err(Error::Api(e)) if e.status == {{ arm.status }} => eprintln!("HTTP {}: {:?}", e.status, {{ arm.body }}),
    {%- endif %}
    ///     Err(e) => return Err(e),
    /// }
    {%- if op.pages.is_some() %}
    ///
    /// // Every item of every page, one page in memory at a time.
    /// let mut items = client
    ///     .{{ op.example.group }}()
    ///     .{{ op.example.fn_name }}({{ op.example.args }})
    ///     .items();
    /// while let Some(item) = items.next_item().await {
    ///     println!("{:?}", item?);
    /// }
    {%- endif %}
    /// # Ok(())
    /// # }
    /// ```
    {%- if op.deprecated %}
    #[deprecated]
    {%- endif %}
    {%- if op.many_args %}
    #[allow(clippy::too_many_arguments)]
    {%- endif %}
    #[inline]
    pub fn {{ op.fn_name }}(&self{% for p in op.required %}, {{ p.ident }}: impl Into<{{ p.arg_ty }}>{% endfor %}) -> {{ op.builder_name }}<'a> {
        {{ op.builder_name }} {
            client: self.client,
            options: CallOptions::default(),
        {%- for p in op.fields %}
            {{ p.ident }}: {% if p.required %}{{ p.ident }}.into(){% else %}None{% endif %},
        {%- endfor %}
        }
    }
{% endfor %}
}
{% for op in operations %}
#[doc = {{ op.builder_doc }}]
///
/// Send it with `.send().await`, or simply `.await` it.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent with `.send().await` or `.await`"]
pub struct {{ op.builder_name }}<'a> {
    client: &'a Client,
    options: CallOptions,
{%- for p in op.fields %}
    {{ p.ident }}: {{ p.ty }},
{%- endfor %}
}

impl<'a> {{ op.builder_name }}<'a> {
{%- for p in op.fields %}
{%- if !p.required %}
    {% for d in p.docs %}#[doc = {{ d }}]
    {% endfor -%}
    #[inline]
    pub fn {{ p.ident }}(mut self, {{ p.ident }}: impl Into<{{ p.arg_ty }}>) -> Self {
        self.{{ p.ident }} = Some({{ p.ident }}.into());
        self
    }
{% endif %}
{%- endfor %}
{%- if let Some(server) = op.server_doc %}
    /// Sends this call to `url` instead of the operation's own server,
    /// {{ server }}.
    #[inline]
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.options.base_url(url.into());
        self
    }

{% endif -%}
    /// Adds a header to this call only. An invalid name or value makes the
    /// call fail with [`Error::InvalidRequest`] when it is sent. `Accept`,
    /// `User-Agent` and `Authorization` are the client's to set.
    #[inline]
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.options.header(name.as_ref(), value.as_ref());
        self
    }

    /// Retries this call as `policy` says instead of as the client does
    /// ([`RetryPolicy::none`](crate::RetryPolicy::none) for no retry).
    #[inline]
    pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
        self.options.retry(policy);
        self
    }

    /// The longest one attempt of this call may take, instead of the
    /// client's [`timeout`](crate::ClientBuilder::timeout).
    #[inline]
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options.attempt_timeout(timeout);
        self
    }

    /// The longest this call may take in all, retries included, instead of
    /// the client's [`total_timeout`](crate::ClientBuilder::total_timeout).
    #[inline]
    pub fn total_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options.total_timeout(timeout);
        self
    }

    /// Sends the request: the [`Call`](crate::Call) it returns resolves to the
    /// decoded body.
    #[inline]
    pub fn send(self) -> crate::Call<'a, {{ op.output }}> {
        crate::Call::new({{ op.id }}, self.prepare(), Self::decode)
    }

    /// Like [`send`](Self::send), with the response's status, headers and
    /// correlation id, and the attempts the call took.
{%- if let Some(h) = op.declared %}
    /// The headers the API declares are read into [`{{ h.name }}`]
    /// ([`declared_headers`](crate::Response::declared_headers)).
{%- endif %}
    #[inline]
    pub fn send_with_meta(self) -> crate::Call<'a, crate::Response<{{ op.output }}{% if let Some(h) = op.declared %}, {{ h.name }}{% endif %}>> {
        crate::Call::new({{ op.id }}, self.prepare(), |response| response.decode(Self::decode){% if let Some(h) = op.declared %}.map(|r| r.with_declared({{ h.name }}::read)){% endif %})
    }

    /// Decodes a success response.
    #[inline]
    fn decode(response: Received) -> Result<{{ op.output }}, Error> {
    {%- if let Some(r) = op.response_enum %}
        match response.status() {
        {%- for v in r.variants %}
            {{ v.pattern }} => {% if v.ty.is_some() %}response.{{ v.decode }}().map({{ r.name }}::{{ v.ident }}){% else %}Ok({{ r.name }}::{{ v.ident }}){% endif %},
        {%- endfor %}
            status => Ok({{ r.name }}::Other {
                status,
                body: response.into_bytes(),
            }),
        }
    {%- else %}
        response.{{ op.decode }}()
    {%- endif %}
    }

    /// The request as the builder's values make it{% if op.pages.is_some() %}, for the first page and
    /// the ones after{% endif %}.
    #[inline]
    fn prepare(&self) -> Result<crate::client::Request<'a>, Error> {
        {%- call build_request(op) %}{% endcall %}
        Ok(request)
    }
{%- if let Some(p) = op.pages %}

    /// Every page of the answer, one at a time: the first is this request's,
    /// {% match p.next %}{% when NextView::Cursor with (_, _) %}each next one this request with the cursor the page before gave{% when NextView::PageNumber with (_, _) %}each next one this request with the next page number, until an empty page{% when _ %}each next one the link the page before gave, on the API's origin only{% endmatch %}.
    /// A [`Stream`](futures_core::Stream) of [`Page`](crate::Page)s, or
    /// [`next_page`](crate::Pages::next_page) in a loop.
    #[inline]
    pub fn pages(mut self) -> crate::Pages<'a, {{ op.output }}> {
        crate::Pages::new({{ op.id }}, move |next, read| self.fetch_page(next, read))
    }

    /// Every item of every page, one at a time (see [`pages`](Self::pages)):
    /// a [`Stream`](futures_core::Stream), or
    /// [`next_item`](crate::Items::next_item) in a loop.
    #[inline]
    pub fn items(self) -> crate::Items<'a, {{ op.output }}, {{ p.item }}> {
        self.pages().into_items(|page| page{% if let Some(f) = p.field %}.{{ f }}{% if p.layers == 2 %}.flatten(){% endif %}{% if p.layers > 0 %}.unwrap_or_default(){% endif %}{% endif %})
    }

    /// The call of one page: the first (`next` is `None`) or the one `next`
    /// points to, `read` pages after the first.
    #[inline]
    fn fetch_page(&mut self, next: Option<String>, read: u32) -> crate::pages::PageCall<'a, {{ op.output }}> {
    {%- match p.next %}
    {%- when NextView::Cursor with (_, field) %}
        let _ = read;
        if let Some(cursor) = next {
            self.{{ field }} = Some(cursor);
        }
        crate::pages::PageCall::new(crate::Call::new({{ op.id }}, self.prepare(), Self::read_page))
    {%- when NextView::PageNumber with (field, first) %}
        let _ = read;
        if let Some(number) = next.as_deref().and_then(|n| n.parse().ok()) {
            self.{{ field }} = Some(number);
        }
        let number = self.{{ field }}.map_or({{ first }}_i64, i64::from);
        crate::pages::PageCall::numbered(
            crate::Call::new({{ op.id }}, self.prepare(), Self::read_page),
            (number + 1).to_string(),
        )
    {%- when _ %}
        let request = match (self.prepare(), next) {
            (Ok(request), Some(link)) => request.follow(&link, read),
            (request, _) => request,
        };
        crate::pages::PageCall::new(crate::Call::new({{ op.id }}, request, Self::read_page))
    {%- endmatch %}
    }

    /// Decodes a page and finds where the next one is.
    #[inline]
    fn read_page(response: Received) -> Result<crate::Page<{{ op.output }}>, Error> {
    {%- match p.next %}
    {%- when NextView::Link with (path) %}
        let next = response.next_in_body(&[{% for n in path %}{{ n }}, {% endfor %}]);
    {%- when NextView::Cursor with (path, _) %}
        let next = response.next_in_body(&[{% for n in path %}{{ n }}, {% endfor %}]);
    {%- when NextView::LinkHeader %}
        let next = response.next_in_link_header();
    {%- when NextView::PageNumber with (_, _) %}
        let fingerprint = response.fingerprint();
    {%- endmatch %}
        let page: {{ op.output }} = response.{{ op.decode }}()?;
        let items = page{% if let Some(f) = p.field %}.{{ f }}{% if p.layers == 2 %}.as_ref().and_then(Option::as_ref).map_or(0, Vec::len){% else if p.layers == 1 %}.as_ref().map_or(0, Vec::len){% else %}.len(){% endif %}{% else %}.len(){% endif %};
    {%- match p.next %}
    {%- when NextView::PageNumber with (_, _) %}
        // The next number is the page's successor unless it is empty.
        Ok(crate::Page::new(page, None, items).with_fingerprint(fingerprint))
    {%- when _ %}
        Ok(crate::Page::new(page, next, items))
    {%- endmatch %}
    }
{%- endif %}
{%- if op.streams %}

    /// Sends the request and hands over the success body unread, to be read
    /// piece by piece with [`ByteStream::chunk`](crate::ByteStream::chunk):
    /// for bodies too large to hold in memory, to which the client's
    /// response size limit does not apply.
    #[inline]
    pub async fn send_streaming(self) -> Result<crate::ByteStream, Error> {
        self.prepare()?.send_streaming().await
    }
{%- endif %}
}
{%- if let Some(r) = op.response_enum %}

#[doc = {{ r.doc }}]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum {{ r.name }} {
{%- for v in r.variants %}
    {% for d in v.docs %}#[doc = {{ d }}]
    {% endfor -%}
    {{ v.ident }}{% if let Some(ty) = v.ty %}({{ ty }}){% endif %},
{%- endfor %}
    /// A success status the API does not document, with its raw body.
    Other {
        /// The HTTP status.
        status: u16,
        /// The body as received.
        body: Vec<u8>,
    },
}
{%- endif %}

{%- if let Some(h) = op.declared %}

#[doc = {{ h.doc }}]
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct {{ h.name }} {
{%- for f in h.fields %}
    {% for d in f.docs %}#[doc = {{ d }}]
    {% endfor -%}
    {% if f.deprecated %}#[deprecated]
    {% endif -%}
    pub {{ f.ident }}: Option<{{ f.ty }}>,
{%- endfor %}
}

impl {{ h.name }} {
    /// Reads each declared header: `None` when it is missing or not of its type.
    {% if h.any_deprecated %}#[allow(deprecated)]
    {% endif -%}
    #[inline]
    fn read(headers: &reqwest::header::HeaderMap) -> Self {
        {{ h.name }} {
        {%- for f in h.fields %}
            {{ f.ident }}: crate::exchange::declared_header(headers, {{ f.wire }}),
        {%- endfor %}
        }
    }
}
{%- endif %}

impl<'a> IntoFuture for {{ op.builder_name }}<'a> {
    type Output = Result<{{ op.output }}, Error>;
    type IntoFuture = crate::Call<'a, {{ op.output }}>;

    #[inline]
    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}
{% endfor %}

/// The rules for the operations of [`{{ type_name }}`] in a
/// [`Mock`](crate::mock::Mock): each method starts a rule for its operation,
/// whose [`ok`](crate::mock::MockRule::ok) takes the operation's success body.
#[cfg(feature = "test-util")]
#[derive(Debug, Clone, Copy)]
pub struct {{ mock_name }}<'m> {
    mock: &'m crate::mock::Mock,
}

#[cfg(feature = "test-util")]
impl crate::mock::Mock {
    /// The rules for the operations of [`{{ type_name }}`].
    pub fn {{ module }}(&self) -> {{ mock_name }}<'_> {
        {{ mock_name }} { mock: self }
    }
}

#[cfg(feature = "test-util")]
impl<'m> {{ mock_name }}<'m> {
{%- for m in mocks %}
    /// A rule for [`{{ type_name }}::{{ m.fn_name }}`].
    #[inline]
    pub fn {{ m.fn_name }}(&self) -> crate::mock::MockRule<'m, {{ m.body }}> {
        self.mock.rule({{ m.id }}, {{ m.status }}, crate::mock::{{ m.encode }})
    }
{%- endfor %}
}
