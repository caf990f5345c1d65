//! Payloads of one operation: its request body (JSON, form, multipart, text or bytes), its
//! success response and its documented error responses with their body types.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, RequestBody as OaBody, Response as OaResponse, StatusCode};

use super::operation::{OpInput, may_be_null, resolved};
use super::schema::{Ctx, Lowerer, S};
use super::{BodyKind, Home, RequestBody, Response, StatusVariant, Statuses, Ty};
use crate::config::EnvelopeMode;
use crate::pointer::child;

pub(super) fn lower_body<'a>(l: &mut Lowerer<'a>, b: &'a ReferenceOr<OaBody>, ctx: &Ctx) -> Option<RequestBody> {
    let body = resolved(l, b, &ctx.pointer)?;
    let (content_type, media) = pick_media(body.content.iter())?;
    let kind = body_kind(content_type);
    let ctx = Ctx { pointer: child(&ctx.pointer, &["content", content_type, "schema"]), ..ctx.clone() };
    let ty = match (&media.schema, kind) {
        (Some(s), BodyKind::Json | BodyKind::Form | BodyKind::Multipart) => l.ty(S::from(s), &ctx),
        (_, BodyKind::Text) => Ty::String,
        _ => Ty::Any,
    };
    let indexed = media
        .encoding
        .iter()
        .filter(|(_, e)| matches!(e.style, Some(openapiv3::QueryStyle::DeepObject)))
        .map(|(name, _)| name.clone())
        .collect();
    let part_types = media
        .encoding
        .iter()
        .filter_map(|(name, e)| {
            let first = e.content_type.as_deref()?.split(',').next()?.trim();
            (!first.is_empty() && !first.contains('*')).then(|| (name.clone(), first.to_string()))
        })
        .collect();
    Some(RequestBody {
        kind,
        indexed,
        part_types,
        content_type: content_type.to_string(),
        ty,
        required: body.required,
        description: body.description.clone(),
    })
}

/// JSON first (it types best), then the first listed media type.
fn pick_media<'a>(
    content: impl Iterator<Item = (&'a String, &'a openapiv3::MediaType)> + Clone,
) -> Option<(&'a str, &'a openapiv3::MediaType)> {
    content
        .clone()
        .find(|(k, _)| body_kind(k) == BodyKind::Json)
        .or_else(|| content.clone().next())
        .map(|(k, v)| (k.as_str(), v))
}

fn body_kind(content_type: &str) -> BodyKind {
    let ct = content_type.to_ascii_lowercase();
    if ct == "application/json" || ct.ends_with("+json") || ct.starts_with("application/json;") {
        BodyKind::Json
    } else if ct.starts_with("application/x-www-form-urlencoded") {
        BodyKind::Form
    } else if ct.starts_with("multipart/") {
        BodyKind::Multipart
    } else if ct.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Bytes
    }
}

pub(super) fn lower_responses<'a>(
    l: &mut Lowerer<'a>,
    input: &OpInput<'a>,
    home: &Home,
    base_hint: &[String],
) -> (Response, Vec<super::ErrorResponse>, bool) {
    let responses = &input.op.responses;
    let mut errors = Vec::new();
    let mut success: Vec<(&'a OaResponse, String, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    for (code, r) in &responses.responses {
        let key = code.to_string();
        if !seen.insert(key.clone()) {
            continue;
        }
        let at = child(&input.pointer, &["responses", &key]);
        let Some(resp) = resolve_response(l, r, &at) else { continue };
        let is_success = match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        };
        if is_success {
            success.push((resp, at, key));
        } else {
            errors.push(error_response(l, resp, key, &at, home, base_hint));
        }
    }
    if let Some(r) = &responses.default {
        let at = child(&input.pointer, &["responses", "default"]);
        if success.is_empty() {
            success.extend(resolve_response(l, r, &at).map(|resp| (resp, at, "default".to_string())));
        } else if let Some(resp) = resolve_response(l, r, &at) {
            errors.push(error_response(l, resp, "default".into(), &at, home, base_hint));
        }
    }
    // One body shape (or only one success response): the body is the result, as most APIs mean.
    let mut shapes: Vec<String> = success.iter().map(|(resp, ..)| body_shape(resp)).collect();
    shapes.dedup();
    if shapes.len() <= 1 {
        return match success.first() {
            Some((resp, at, _)) => {
                let (response, paged) = success_body(l, input, resp, at, home, base_hint.to_vec());
                (response, errors, paged)
            }
            None => (Response::Empty, errors, false),
        };
    }
    let variants = success
        .iter()
        .map(|(resp, at, status)| {
            let words = if status == "default" { "other".to_string() } else { status_words(status) };
            let hint = [base_hint.to_vec(), vec![words.clone()]].concat();
            let (body, _) = success_body(l, input, resp, at, home, hint);
            let body = if matches!(body, Response::Events { .. }) { Response::Bytes } else { body };
            StatusVariant {
                status: status.clone(),
                words,
                ident: String::new(),
                description: resp.description.clone(),
                body,
            }
        })
        .collect();
    (Response::Statuses(Box::new(Statuses { name: String::new(), variants })), errors, false)
}

/// What tells two success bodies apart: the kind of the chosen media type and its schema.
fn body_shape(resp: &OaResponse) -> String {
    match pick_media(resp.content.iter()) {
        None => String::new(),
        Some((content_type, media)) => {
            let kind = if content_type.to_ascii_lowercase().starts_with("text/event-stream") {
                "events".to_string()
            } else {
                format!("{:?}", body_kind(content_type))
            };
            format!("{kind} {}", serde_json::to_string(&media.schema).unwrap_or_default())
        }
    }
}

/// One success response's body; also says whether an envelope carries paging info.
fn success_body<'a>(
    l: &mut Lowerer<'a>,
    input: &OpInput<'a>,
    resp: &'a OaResponse,
    at: &str,
    home: &Home,
    base_hint: Vec<String>,
) -> (Response, bool) {
    let Some((content_type, media)) = pick_media(resp.content.iter()) else {
        return (Response::Empty, false);
    };
    let mut paged = false;
    if content_type.to_ascii_lowercase().starts_with("text/event-stream") {
        let ctx = Ctx {
            hint: [base_hint.to_vec(), vec!["Event".into()]].concat(),
            home: home.clone(),
            pointer: child(at, &["content", content_type, "schema"]),
        };
        let ty = media.schema.as_ref().map_or(Ty::Any, |schema| l.ty(S::from(schema), &ctx));
        return (Response::Events { ty }, false);
    }
    let response = match body_kind(content_type) {
        BodyKind::Json => {
            let pointer = child(at, &["content", content_type, "schema"]);
            let ctx = Ctx {
                hint: [base_hint.to_vec(), vec!["Response".into()]].concat(),
                home: home.clone(),
                pointer: pointer.clone(),
            };
            match &media.schema {
                None => Response::Json { ty: Ty::Any, envelope: false },
                Some(schema) => {
                    let (response, has_info) = lower_json_response(l, S::from(schema), &ctx, input.envelope);
                    paged = has_info;
                    response
                }
            }
        }
        BodyKind::Text => Response::Text,
        BodyKind::Bytes | BodyKind::Form | BodyKind::Multipart => Response::Bytes,
    };
    (response, paged)
}

/// An error response, with the type of its JSON body (`ServerSyncNotFoundError`).
fn error_response<'a>(
    l: &mut Lowerer<'a>,
    resp: &'a OaResponse,
    status: String,
    at: &str,
    home: &Home,
    base_hint: &[String],
) -> super::ErrorResponse {
    let ty = pick_media(resp.content.iter())
        .filter(|(content_type, _)| body_kind(content_type) == BodyKind::Json)
        .and_then(|(content_type, media)| Some((content_type, media.schema.as_ref()?)))
        .map(|(content_type, schema)| {
            let ctx = Ctx {
                hint: [base_hint.to_vec(), vec![status_words(&status), "Error".into()]].concat(),
                home: home.clone(),
                pointer: child(at, &["content", content_type, "schema"]),
            };
            l.ty(S::from(schema), &ctx)
        });
    super::ErrorResponse { description: resp.description.clone(), status, ty }
}

/// Words for a status in a type name: its reason phrase (`404` → `not found`), `success` for
/// `2XX`, `client` for `4XX`, `server` for `5XX`, nothing for `default`.
fn status_words(status: &str) -> String {
    match status {
        "2XX" => "success".into(),
        "4XX" => "client".into(),
        "5XX" => "server".into(),
        "default" => String::new(),
        code => code
            .parse::<u16>()
            .ok()
            .and_then(|c| http_reason(c))
            .map_or_else(|| format!("status {code}"), str::to_string),
    }
}

fn http_reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "ok",
        201 => "created",
        202 => "accepted",
        203 => "non authoritative",
        204 => "no content",
        205 => "reset content",
        206 => "partial content",
        207 => "multi status",
        400 => "bad request",
        401 => "unauthorized",
        402 => "payment required",
        403 => "forbidden",
        404 => "not found",
        405 => "method not allowed",
        406 => "not acceptable",
        408 => "request timeout",
        409 => "conflict",
        410 => "gone",
        412 => "precondition failed",
        413 => "payload too large",
        415 => "unsupported media type",
        422 => "unprocessable entity",
        423 => "locked",
        429 => "too many requests",
        500 => "internal server error",
        501 => "not implemented",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        _ => return None,
    })
}

/// Unwraps `{success, errors, messages, result}` to `result` when the schema has that shape;
/// also says whether the envelope carries `result_info` (paging).
fn lower_json_response<'a>(l: &mut Lowerer<'a>, schema: S<'a>, ctx: &Ctx, mode: EnvelopeMode) -> (Response, bool) {
    if mode == EnvelopeMode::Auto
        && let Some(view) = l.object_view(schema, &ctx.pointer)
        && (view.property("success").is_some() || view.required.contains("success"))
        && let Some((_, result, ptr)) = view.property("result")
    {
        let (result, ptr) = (*result, ptr.clone());
        let has_info = view.property("result_info").is_some();
        let ty = l.ty(result, &Ctx { pointer: ptr, ..ctx.clone() });
        // An envelope that may omit `result` (or send it as null) gives `Option<T>`.
        let ty = if view.required.contains("result") { ty } else { may_be_null(l, ty) };
        return (Response::Json { ty, envelope: true }, has_info);
    }
    (Response::Json { ty: l.ty(schema, ctx), envelope: false }, false)
}

fn resolve_response<'a>(l: &mut Lowerer<'a>, r: &'a ReferenceOr<OaResponse>, at: &str) -> Option<&'a OaResponse> {
    resolved(l, r, at)
}
