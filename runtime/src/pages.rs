//! Paged operations: their pages and items as streams, one page in memory
//! at a time, each page requested through the client as any call is
//! (credentials, retries, time limits, size limits), and stopped with an
//! error when the server's next links or cursors would lead it astray.

use crate::client::Call;
use crate::error::Error;
use futures_core::Stream;
use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

/// How many pages one iteration reads unless told otherwise.
const DEFAULT_MAX_PAGES: u32 = 1_000;

/// How many empty pages in a row, each pointing to another, are followed
/// unless told otherwise.
const DEFAULT_MAX_EMPTY_PAGES: u32 = 10;

/// One page of a paged operation: the page as the API sent it, and where
/// the next one is.
#[derive(Debug, Clone)]
pub struct Page<P> {
    value: P,
    next: Option<String>,
    items: usize,
    /// A digest of the body, for pages by number.
    #[cfg(feature = "page-numbers")]
    fingerprint: Option<u64>,
}

impl<P> Page<P> {
    /// A page holding `items` items, whose successor is at `next`.
    pub(crate) fn new(value: P, next: Option<String>, items: usize) -> Page<P> {
        Page {
            value,
            next,
            items,
            #[cfg(feature = "page-numbers")]
            fingerprint: None,
        }
    }

    /// The page with a digest of its body: a page by number that has the
    /// same body as the one before is an API ignoring the page number.
    #[cfg(feature = "page-numbers")]
    pub(crate) fn with_fingerprint(mut self, fingerprint: u64) -> Page<P> {
        self.fingerprint = Some(fingerprint);
        self
    }

    /// The page, with its own fields (totals, counts) as the API sent them.
    pub fn value(&self) -> &P {
        &self.value
    }

    /// The page, without the rest.
    pub fn into_value(self) -> P {
        self.value
    }

    /// Where the next page is, as the API said (a URL or a cursor); `None`
    /// on the last page. [`Pages::resume_at`] goes on from there later.
    pub fn next_page(&self) -> Option<&str> {
        self.next.as_deref()
    }

    /// How many items the page holds.
    pub fn len(&self) -> usize {
        self.items
    }

    /// Whether the page holds no item.
    pub fn is_empty(&self) -> bool {
        self.items == 0
    }
}

/// A page being requested.
pub(crate) struct PageCall<'a, P> {
    call: Call<'a, Page<P>>,
    /// Pages by number: the next page's number, followed when this page
    /// holds items.
    #[cfg(feature = "page-numbers")]
    next_number: Option<String>,
}

impl<'a, P> PageCall<'a, P> {
    /// The request of a page that says itself where the next one is.
    #[cfg(any(
        feature = "page-links",
        feature = "page-in-body",
        feature = "page-link-header"
    ))]
    pub(crate) fn new(call: Call<'a, Page<P>>) -> Self {
        PageCall {
            call,
            #[cfg(feature = "page-numbers")]
            next_number: None,
        }
    }

    /// The request of a page by number, whose successor is `next_number`
    /// unless it is empty.
    #[cfg(feature = "page-numbers")]
    pub(crate) fn numbered(call: Call<'a, Page<P>>, next_number: String) -> Self {
        PageCall {
            call,
            next_number: Some(next_number),
        }
    }
}

/// Requests one page: the first (`None`) or the one a page pointed to; the
/// number is how many pages were read before it.
type Fetch<'a, P> = Box<dyn FnMut(Option<String>, u32) -> PageCall<'a, P> + Send + 'a>;

/// The pages of a paged operation, one at a time: a `Stream`, or
/// [`next_page`](Self::next_page) in a loop. Made by the operation's
/// request builder (`.pages()`).
///
/// Reading stops with [`Error::Pagination`] when a page points to one
/// already read, to another origin, past [`max_pages`](Self::max_pages)
/// pages, past [`max_empty_pages`](Self::max_empty_pages) empty pages in a
/// row, or after [`time_limit`](Self::time_limit); a page that fails to
/// arrive or to decode ends it with that error.
pub struct Pages<'a, P> {
    operation: &'static str,
    fetch: Fetch<'a, P>,
    /// Where the next page is; `None` before the first.
    next: Option<String>,
    /// Every link or cursor followed, to refuse one seen before.
    seen: HashSet<String>,
    read: u32,
    empty_in_a_row: u32,
    max_pages: u32,
    max_empty: u32,
    time_limit: Option<Duration>,
    deadline: Option<Instant>,
    in_flight: Option<PageCall<'a, P>>,
    /// What to report once the page before it has been handed over.
    stop: Option<Error>,
    /// The digest of the last page by number.
    #[cfg(feature = "page-numbers")]
    last_fingerprint: Option<u64>,
    done: bool,
}

// Nothing is pinned inside: a page's call boxes its request.
impl<P> Unpin for Pages<'_, P> {}

impl<P> fmt::Debug for Pages<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.operation)
            .field("read", &self.read)
            .field("max_pages", &self.max_pages)
            .field("max_empty_pages", &self.max_empty)
            .field("time_limit", &self.time_limit)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<'a, P> Pages<'a, P> {
    /// The pages of `operation`, each requested by `fetch`.
    pub(crate) fn new(
        operation: &'static str,
        fetch: impl FnMut(Option<String>, u32) -> PageCall<'a, P> + Send + 'a,
    ) -> Pages<'a, P> {
        Pages {
            operation,
            fetch: Box::new(fetch),
            next: None,
            seen: HashSet::new(),
            read: 0,
            empty_in_a_row: 0,
            max_pages: DEFAULT_MAX_PAGES,
            max_empty: DEFAULT_MAX_EMPTY_PAGES,
            time_limit: None,
            deadline: None,
            in_flight: None,
            stop: None,
            #[cfg(feature = "page-numbers")]
            last_fingerprint: None,
            done: false,
        }
    }

    /// Reads at most `pages` pages (default 1000); one more is an error
    /// saying where to resume.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages;
        self
    }

    /// Follows at most `pages` empty pages in a row (default 10).
    pub fn max_empty_pages(mut self, pages: u32) -> Self {
        self.max_empty = pages;
        self
    }

    /// Requests no page once `limit` has passed since the first was
    /// requested (each page has the call's own time limits besides).
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = Some(limit);
        self
    }

    /// Starts at the page `next` points to, as a page's
    /// [`next_page`](Page::next_page) gave it, instead of the first.
    pub fn resume_at(mut self, next: impl Into<String>) -> Self {
        self.next = Some(next.into());
        self
    }

    /// How many pages have been read.
    pub fn pages_read(&self) -> u32 {
        self.read
    }

    /// The next page; `None` after the last, or after an error.
    pub async fn next_page(&mut self) -> Option<Result<Page<P>, Error>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn stopped(&self, reason: String) -> Error {
        Error::Pagination {
            operation: self.operation,
            pages: self.read,
            reason,
        }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Page<P>, Error>>> {
        if self.in_flight.is_none() {
            if let Some(error) = self.stop.take() {
                self.done = true;
                return Poll::Ready(Some(Err(error)));
            }
            if self.done {
                return Poll::Ready(None);
            }
            let now = Instant::now();
            if let Some(limit) = self.time_limit {
                let deadline = *self.deadline.get_or_insert(now + limit);
                if now >= deadline {
                    self.done = true;
                    let reason = format!(
                        "its time limit of {} ms passed; resume at the last page's next_page()",
                        limit.as_millis()
                    );
                    return Poll::Ready(Some(Err(self.stopped(reason))));
                }
            }
            let next = self.next.take();
            let fetch = (self.fetch)(next, self.read);
            self.in_flight = Some(fetch);
        }
        let Some(fetch) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match Pin::new(&mut fetch.call).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        #[cfg(feature = "page-numbers")]
        let next_number = fetch.next_number.take();
        self.in_flight = None;
        let page = match result {
            Ok(page) => page,
            Err(error) => {
                self.done = true;
                return Poll::Ready(Some(Err(error)));
            }
        };
        // A page by number is followed by the next number unless it is empty.
        #[cfg(feature = "page-numbers")]
        let page = match next_number {
            Some(next) if !page.is_empty() => Page {
                next: Some(next),
                ..page
            },
            _ => page,
        };
        self.read += 1;
        #[cfg(feature = "page-numbers")]
        if let Some(fingerprint) = page.fingerprint {
            if self.last_fingerprint.replace(fingerprint) == Some(fingerprint) {
                self.done = true;
                let reason = format!(
                    "page {} is the page before it again: the API does not move on to the next number",
                    self.read
                );
                return Poll::Ready(Some(Err(self.stopped(reason))));
            }
        }
        self.empty_in_a_row = if page.is_empty() {
            self.empty_in_a_row + 1
        } else {
            0
        };
        match &page.next {
            None => self.done = true,
            Some(next) => {
                let shown = crate::exchange::clip(next, crate::exchange::ECHO_LIMIT);
                if !self.seen.insert(next.clone()) {
                    let reason = format!(
                        "page {} points back to `{shown}`, a page already read",
                        self.read
                    );
                    self.stop = Some(self.stopped(reason));
                } else if self.read >= self.max_pages {
                    let reason = format!(
                        "it read max_pages ({}) pages and there are more; resume at `{shown}`",
                        self.max_pages
                    );
                    self.stop = Some(self.stopped(reason));
                } else if self.empty_in_a_row > self.max_empty {
                    let reason = format!(
                        "{} empty pages in a row each pointed to another (max_empty_pages is {})",
                        self.empty_in_a_row, self.max_empty
                    );
                    self.stop = Some(self.stopped(reason));
                } else {
                    self.next = Some(next.clone());
                }
            }
        }
        Poll::Ready(Some(Ok(page)))
    }

    /// The items of every page, one at a time.
    pub(crate) fn into_items<T>(self, items_of: fn(P) -> Vec<T>) -> Items<'a, P, T> {
        Items {
            pages: self,
            items_of,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<P> Stream for Pages<'_, P> {
    type Item = Result<Page<P>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of a paged operation's pages, one at a time: a `Stream`, or
/// [`next_item`](Self::next_item) in a loop. Made by the operation's
/// request builder (`.items()`); ends as its [`Pages`] do.
pub struct Items<'a, P, T> {
    pages: Pages<'a, P>,
    items_of: fn(P) -> Vec<T>,
    buffer: std::vec::IntoIter<T>,
}

// Nothing is pinned inside: a page's call boxes its request.
impl<P, T> Unpin for Items<'_, P, T> {}

impl<P, T> fmt::Debug for Items<'_, P, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl<P, T> Items<'_, P, T> {
    /// Reads at most `pages` pages (see [`Pages::max_pages`]).
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.pages = self.pages.max_pages(pages);
        self
    }

    /// See [`Pages::max_empty_pages`].
    pub fn max_empty_pages(mut self, pages: u32) -> Self {
        self.pages = self.pages.max_empty_pages(pages);
        self
    }

    /// See [`Pages::time_limit`].
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.pages = self.pages.time_limit(limit);
        self
    }

    /// See [`Pages::resume_at`].
    pub fn resume_at(mut self, next: impl Into<String>) -> Self {
        self.pages = self.pages.resume_at(next);
        self
    }

    /// The next item; `None` after the last, or after an error.
    pub async fn next_item(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// At most `max` items, from as many pages as they take: no page is
    /// requested once `max` items are in.
    pub async fn collect_at_most(mut self, max: usize) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while items.len() < max {
            match self.next_item().await {
                Some(item) => items.push(item?),
                None => break,
            }
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => {
                    self.buffer = (self.items_of)(page.into_value()).into_iter();
                }
            }
        }
    }
}

impl<P, T> Stream for Items<'_, P, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

/// The string at `path` (names of nested objects) in the JSON `body`, when
/// it is there and not empty; a number is read as its text. Only the path
/// is read: the rest of the body is skipped, not built.
#[cfg(feature = "page-in-body")]
pub(crate) fn string_at(body: &[u8], path: &[&str]) -> Option<String> {
    use serde::de::DeserializeSeed;
    let mut reader = serde_json::Deserializer::from_slice(body);
    At(path).deserialize(&mut reader).ok().flatten()
}

/// Reads the value at a path of object keys, skipping everything else.
#[cfg(feature = "page-in-body")]
struct At<'p>(&'p [&'p str]);

#[cfg(feature = "page-in-body")]
impl<'de> serde::de::DeserializeSeed<'de> for At<'_> {
    type Value = Option<String>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

#[cfg(feature = "page-in-body")]
impl<'de> serde::de::Visitor<'de> for At<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match self.0.split_first() {
                Some((first, rest)) if *first == key && found.is_none() => {
                    found = map.next_value_seed(At(rest))?;
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((self.0.is_empty() && !v.is_empty()).then(|| v.to_owned()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.0.is_empty().then(|| v.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.0.is_empty().then(|| v.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// The `rel="next"` URL of one `Link` header value (RFC 8288:
/// `<url>; rel="next", <url>; rel="last"`).
#[cfg(feature = "page-link-header")]
pub(crate) fn next_link(value: &str) -> Option<String> {
    let mut rest = value;
    loop {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let url = &rest[start + 1..end];
        rest = &rest[end + 1..];
        // The parameters run to the next link, a `,` outside quotes.
        let mut quoted = false;
        let cut = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
            .map_or(rest.len(), |(i, _)| i);
        let params = &rest[..cut];
        rest = &rest[cut..];
        let is_next = params.split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if is_next && !url.is_empty() {
            return Some(url.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "page-link-header")]
    fn the_next_link_is_found_among_others_whatever_the_spacing() {
        let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            next_link(github).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        let last_first =
            r#"<https://x/?p=9>;rel="last",<https://x/?p=2,3>; title="a, b"; rel="prev next""#;
        assert_eq!(next_link(last_first).as_deref(), Some("https://x/?p=2,3"));
        assert_eq!(next_link(r#"<https://x/?p=1>; rel="prev""#), None);
        assert_eq!(next_link("garbage"), None);
        assert_eq!(next_link("<unclosed; rel=next"), None);
        assert_eq!(next_link("<>; rel=next"), None);
    }

    #[test]
    #[cfg(feature = "page-in-body")]
    fn only_the_path_is_read_from_the_body() {
        let body = br#"{"items":[{"next":"no"}],"meta":{"next_page_url":"https://x/2","n":1},"next_page":"c2","n":7,"empty":""}"#;
        assert_eq!(
            string_at(body, &["meta", "next_page_url"]).as_deref(),
            Some("https://x/2")
        );
        assert_eq!(string_at(body, &["next_page"]).as_deref(), Some("c2"));
        assert_eq!(string_at(body, &["n"]).as_deref(), Some("7"));
        assert_eq!(string_at(body, &["empty"]), None);
        assert_eq!(string_at(body, &["meta"]), None);
        assert_eq!(string_at(body, &["missing"]), None);
        assert_eq!(string_at(b"[1,2]", &["next"]), None);
        assert_eq!(string_at(br#"{"next":null}"#, &["next"]), None);
        assert_eq!(string_at(b"{broken", &["next"]), None);
    }
}
