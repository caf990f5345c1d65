//! The hand-written HTTP runtime that every generated client crate embeds verbatim: generated
//! operation methods only describe a request (`Prepared`) and pick a decoder; sending, auth,
//! retries, timeouts, errors and tracing live here, written and tested once.

mod auth;
mod client;
pub mod decode;
pub mod encode;
mod error;
mod info;
mod pager;
mod request;
mod retry;
mod secret;
pub mod validate;

pub use client::{Client, ClientBuilder};
pub use error::{ApiError, ApiMessage, Error};
#[doc(hidden)]
pub use info::{ApiInfo, DefaultParamInfo, SchemeInfo, SchemeKind};
pub use pager::{Cursors, Page, Pager, ResultInfo};
#[doc(hidden)]
pub use pager::PageStyle;
pub use decode::Coercion;
pub use request::{ApiResponse, Decoder, Request, ResponseHead};
#[doc(hidden)]
pub use request::{Body, Prepared};
pub use request::Part;
pub use secret::Secret;
