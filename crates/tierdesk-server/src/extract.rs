//! Request extractors that reject bad input with problem+json naming the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::problem::{Problem, pointer};

/// A JSON body, deserialized with the path of the first bad field kept.
pub struct ApiJson<T>(pub T);

/// A JSON body and its raw bytes (for request fingerprints).
pub struct ApiJsonRaw<T>(pub T, pub Bytes);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ApiJsonRaw(value, _) = ApiJsonRaw::from_request(req, state).await?;
        Ok(ApiJson(value))
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJsonRaw<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| Problem::bad_request(format!("cannot read the body: {e}")))?;
        let value = parse(&bytes)?;
        Ok(ApiJsonRaw(value, bytes))
    }
}

/// Parses JSON; a syntax error is a 400, a wrong field a 422 naming it.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).and_then(|v| {
        de.end().map(|()| v).map_err(|e| {
            serde_path_to_error::Error::new(serde_path_to_error::Track::new().path(), e)
        })
    });
    value.map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.clone(), |i| message[..i].to_owned());
        match inner.classify() {
            serde_json::error::Category::Data => Problem::invalid(pointer(&path), message),
            _ => Problem::bad_request(format!(
                "the body is not valid JSON: {message} (line {}, column {})",
                inner.line(),
                inner.column()
            )),
        }
    })
}

/// The `If-Match` header as an expected version: `"7"` (or `W/"7"`); `*` means any.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let text = value.to_str().unwrap_or("").trim();
        if text == "*" {
            return Ok(IfMatch(None));
        }
        let tag = text.trim_start_matches("W/").trim_matches('"');
        tag.parse::<i64>().map(|v| IfMatch(Some(v))).map_err(|_| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "bad-if-match",
                format!("If-Match must be an ETag this server gave, such as \"3\", not {text:?}"),
            )
        })
    }
}

/// The `Idempotency-Key` header: 1 to 200 visible ASCII characters.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(IdempotencyKey(None));
        };
        match value.to_str() {
            Ok(key)
                if !key.is_empty()
                    && key.len() <= 200
                    && key.bytes().all(|b| b.is_ascii_graphic()) =>
            {
                Ok(IdempotencyKey(Some(key.to_owned())))
            }
            _ => Err(Problem::bad_request(
                "Idempotency-Key must be 1 to 200 visible ASCII characters",
            )),
        }
    }
}

/// An ETag header value for a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}
