//! The hand-written HTTP runtime that every generated client crate embeds verbatim: generated
//! operation methods only describe a request (`Prepared`) and pick a decoder; sending, auth,
//! retries, timeouts, errors and tracing live here, written and tested once.

// Layers, bottom first: each module uses only those declared above it (checked by
// tests/tests/runtime_layers.rs). Leaves:
mod error;
mod formats;
mod info;
mod policy;
mod secret;

#[doc(hidden)]
pub mod de;
#[doc(hidden)]
pub mod ser;

// What generated code builds, and its encoding and checks:
mod prepared;

pub mod encode;
pub mod validate;

// What a request adds to the operation (query pairs, body fields, parts), applied when it is sent:
mod extras;

// What comes back, and decoding it:
mod response;

pub mod decode;

pub mod events;

// Credentials and the client that holds them:
mod auth;

mod client;

// Sending: wire form, the attempt loop, the user-facing request, paging:
mod wire;

mod retry;

mod request;

mod pager;

pub use client::{AfterReceive, BeforeSend, Client, ClientBuilder};
pub use error::{ApiError, ApiMessage, Error};
pub use formats::Base64;
#[doc(hidden)]
pub use info::{ApiInfo, DefaultParamInfo, SchemeInfo, SchemeKind, ServerInfo};
pub use pager::{Cursors, Page, Pager, ResultInfo};
#[doc(hidden)]
pub use pager::PageStyle;
pub use events::{Event, EventStream};
pub use request::{Apply, Request, StreamDecoder, no_params};
pub use response::{ApiResponse, Coercion, Decoder, ResponseHead};
#[doc(hidden)]
pub use prepared::{Body, Prepared};
pub use prepared::{File, Part};
pub use secret::Secret;
