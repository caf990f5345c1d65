//! Auto-paging for list operations whose envelope carries `result_info`. Pages are fetched one
//! at a time; the pager stops after the last page (`total_pages`), on an empty or short page,
//! and when a cursor is missing or repeats, so it can never loop forever. `pages` and `items`
//! offer the same walk as a `Stream`.

use std::collections::BTreeSet;
use std::marker::PhantomData;

use futures_core::Stream;
use futures_util::{TryStreamExt as _, stream};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::client::Client;
use super::decode;
use super::error::Error;
use super::prepared::Prepared;
use super::request::Request;

/// A hard stop far beyond any real listing: a server that never says "last page" still ends.
const MAX_PAGES: u64 = 100_000;

/// How a list operation pages: by page number or by cursor, and the query parameter for it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum PageStyle {
    /// `?page=N`, counted from 1.
    Number(&'static str),
    /// `?cursor=...`, taken from `result_info.cursor` (or `result_info.cursors.after`).
    Cursor(&'static str),
}

/// One page of results with the server's paging information.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The page's items (the envelope's `result`).
    pub items: Vec<T>,
    /// The envelope's `result_info`.
    pub info: ResultInfo,
}

/// An envelope's `result_info`; every field optional and read leniently (numbers may be strings).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ResultInfo {
    /// Current page number.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub page: Option<u64>,
    /// Items per page.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub per_page: Option<u64>,
    /// Number of pages.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub total_pages: Option<u64>,
    /// Items on this page.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub count: Option<u64>,
    /// Items in all pages.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub total_count: Option<u64>,
    /// Cursor of the next page, for cursor-paged lists.
    #[serde(default, deserialize_with = "lenient_string")]
    pub cursor: Option<String>,
    /// `{"after": ...}` form of the next cursor, used by some APIs' lists.
    #[serde(default)]
    pub cursors: Option<Cursors>,
}

/// Cursors of a cursor-paged list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Cursors {
    /// Cursor of the next page.
    #[serde(default, deserialize_with = "lenient_string")]
    pub after: Option<String>,
}

impl ResultInfo {
    /// The next page's cursor, if the server gave a non-empty one.
    pub fn next_cursor(&self) -> Option<&str> {
        self.cursor
            .as_deref()
            .or_else(|| self.cursors.as_ref().and_then(|c| c.after.as_deref()))
            .filter(|c| !c.is_empty())
    }
}

fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

enum Next {
    First,
    Number(u64),
    Cursor(String),
    Done,
}

/// Fetches a list page by page: `while let Some(items) = pager.next_page().await? { .. }`,
/// everything at once with [`all`](Pager::all), or as a `Stream` of items
/// ([`items`](Pager::items)) or pages ([`pages`](Pager::pages)).
pub struct Pager<'c, T> {
    client: &'c Client,
    template: Option<Result<Prepared, Error>>,
    style: PageStyle,
    next: Next,
    cursors: BTreeSet<String>,
    pages: u64,
    item: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Pager<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager").field("style", &self.style).field("pages_fetched", &self.pages).finish_non_exhaustive()
    }
}

impl<'c, T: DeserializeOwned> Pager<'c, T> {
    /// Used by generated `*_pages` methods.
    #[doc(hidden)]
    pub fn new(client: &'c Client, prepared: Result<Prepared, Error>, style: PageStyle) -> Self {
        Pager { client, template: Some(prepared), style, next: Next::First, cursors: BTreeSet::new(), pages: 0, item: PhantomData }
    }

    /// The next page's items, or `None` after the last page.
    pub async fn next_page(&mut self) -> Result<Option<Vec<T>>, Error> {
        Ok(self.next_page_with_info().await?.map(|page| page.items))
    }

    /// Like [`next_page`](Self::next_page), with the server's `result_info`.
    pub async fn next_page_with_info(&mut self) -> Result<Option<Page<T>>, Error> {
        if matches!(self.next, Next::Done) {
            return Ok(None);
        }
        let template = match self.template.as_ref() {
            Some(Ok(t)) => t,
            Some(Err(_)) | None => {
                self.next = Next::Done;
                return match self.template.take() {
                    Some(Err(e)) => Err(e),
                    _ => Ok(None),
                };
            }
        };
        let Some(mut prepared) = template.try_clone() else {
            self.next = Next::Done;
            return Err(Error::Config { message: format!("{} has a body that cannot be re-sent for each page", template.operation_id) });
        };
        let (name, value) = match (&self.next, self.style) {
            (Next::Number(n), PageStyle::Number(name)) => (name, Some(n.to_string())),
            (Next::Cursor(c), PageStyle::Cursor(name)) => (name, Some(c.clone())),
            (_, PageStyle::Number(name) | PageStyle::Cursor(name)) => (name, None),
        };
        if let Some(value) = value {
            prepared.query.retain(|(k, _)| *k != name);
            prepared.query.push((name, value));
        }
        let requested = match self.style {
            PageStyle::Number(name) => {
                prepared.query.iter().find(|(k, _)| *k == name).and_then(|(_, v)| v.parse::<u64>().ok())
            }
            PageStyle::Cursor(_) => None,
        };
        let page = match Request::new(self.client, Ok(prepared), decode::envelope_page::<T>).send().await {
            Ok(page) => page,
            Err(e) => {
                self.next = Next::Done;
                return Err(e);
            }
        };
        self.pages += 1;
        self.next = self.after(&page, requested);
        Ok(Some(page))
    }

    /// Decides what comes after `page`; every branch that cannot prove progress stops.
    fn after(&mut self, page: &Page<T>, requested: Option<u64>) -> Next {
        if page.items.is_empty() || self.pages >= MAX_PAGES {
            return Next::Done;
        }
        match self.style {
            PageStyle::Number(_) => {
                let current = page.info.page.or(requested).unwrap_or(1);
                let last = page.info.total_pages.is_some_and(|total| current >= total);
                let short = page.info.per_page.is_some_and(|per| (page.items.len() as u64) < per);
                if last || short { Next::Done } else { Next::Number(current + 1) }
            }
            PageStyle::Cursor(_) => match page.info.next_cursor() {
                Some(cursor) if self.cursors.insert(cursor.to_owned()) => Next::Cursor(cursor.to_owned()),
                _ => Next::Done,
            },
        }
    }

    /// Every item of every page, in order.
    pub async fn all(mut self) -> Result<Vec<T>, Error> {
        let mut out = Vec::new();
        while let Some(items) = self.next_page().await? {
            out.extend(items);
        }
        Ok(out)
    }
    /// Every page as a `Stream`, fetched only as the stream is polled, with the same stopping
    /// rules as [`next_page`](Self::next_page). An error is the stream's last item.
    ///
    /// The stream is not `Unpin`: `TryStreamExt::try_collect` takes it as it is; to call
    /// `StreamExt::next` on it, pin it first (`std::pin::pin!(pager.pages())`).
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + 'c
    where
        T: 'c,
    {
        stream::unfold(self, |mut pager| async move {
            // Every error path of `next_page_with_info` sets `Next::Done`, so the call after an
            // error returns `Ok(None)` and the stream ends.
            match pager.next_page_with_info().await {
                Ok(Some(page)) => Some((Ok(page), pager)),
                Ok(None) => None,
                Err(e) => Some((Err(e), pager)),
            }
        })
    }

    /// Every item of every page, in order, as a `Stream` (see [`pages`](Self::pages)); the next
    /// page is requested only when the items of the one before have been taken.
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + 'c
    where
        T: 'c,
    {
        self.pages().map_ok(|page| stream::iter(page.items.into_iter().map(Ok))).try_flatten()
    }
}

impl<'c, T, P> Request<'c, T, P> {
    /// Used by generated `pages` methods: this request, with its parameters as set, sent once
    /// per page.
    #[doc(hidden)]
    pub fn into_pager<I: DeserializeOwned>(self, style: PageStyle) -> Pager<'c, I> {
        let (client, prepared) = self.into_prepared();
        Pager::new(client, prepared, style)
    }
}
