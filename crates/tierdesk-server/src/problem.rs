//! Errors as RFC 9457 problem details (`application/problem+json`), each naming
//! what was wrong and, for bad input, the field (as a JSON Pointer).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tierdesk_store::StoreError;

/// One invalid field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    /// JSON Pointer to the field in the request body (RFC 6901), e.g. `/events/2/reason`.
    pub pointer: String,
    /// What is wrong with it.
    pub detail: String,
}

/// An RFC 9457 problem.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// Invalid fields, for input errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    /// A problem with a status, a kind slug and a detail.
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("https://tierdesk.dev/problems/{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// 409: the event does not fit where the ticket stands in its workflow; the
    /// pointer names the event.
    pub fn transition(pointer: impl Into<String>, detail: impl Into<String>) -> Problem {
        let detail = detail.into();
        let pointer = pointer.into();
        Problem {
            errors: vec![FieldError {
                pointer: pointer.clone(),
                detail: detail.clone(),
            }],
            ..Problem::new(
                StatusCode::CONFLICT,
                "invalid-transition",
                format!("{pointer}: {detail}"),
            )
        }
    }

    /// 422: the request is well-formed JSON but a field is wrong.
    pub fn invalid(pointer: impl Into<String>, detail: impl Into<String>) -> Problem {
        let detail = detail.into();
        let pointer = pointer.into();
        Problem {
            errors: vec![FieldError {
                pointer: pointer.clone(),
                detail: detail.clone(),
            }],
            ..Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-field",
                format!("{pointer}: {detail}"),
            )
        }
    }

    /// 400: the body is not the JSON expected.
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    /// 401.
    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    /// 403.
    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    /// 409: the request conflicts with the current state.
    pub fn conflict(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::CONFLICT, "conflict", detail)
    }

    /// 500, without leaking internals beyond a short message (logged in full).
    pub fn internal(detail: impl std::fmt::Display) -> Problem {
        tracing::error!(error = %detail, "internal error");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; see the server log",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        match &e {
            StoreError::NotFound { .. } => Problem::not_found(e.to_string()),
            StoreError::AlreadyExists { .. } => Problem::conflict(e.to_string()),
            StoreError::VersionMismatch { .. } => Problem::new(
                StatusCode::PRECONDITION_FAILED,
                "version-mismatch",
                format!("{e}; read it again and retry with its current ETag"),
            ),
            StoreError::Reference(m) => Problem::new(StatusCode::CONFLICT, "reference", m.clone()),
            StoreError::Rejected(m) => Problem::new(StatusCode::CONFLICT, "rejected", m.clone()),
            StoreError::IdempotencyKeyTaken(_) => Problem::conflict(e.to_string()),
            StoreError::Database(_) | StoreError::Corrupt { .. } => Problem::internal(e),
        }
    }
}

/// A serde_path_to_error path (`events[2].reason`) as a JSON Pointer (`/events/2/reason`).
pub fn pointer(path: &str) -> String {
    if path == "." || path.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for segment in path.split('.') {
        let (name, indices) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !name.is_empty() {
            out.push('/');
            out.push_str(&name.replace('~', "~0").replace('/', "~1"));
        }
        for index in indices.split(['[', ']']).filter(|s| !s.is_empty()) {
            out.push('/');
            out.push_str(index);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_paths_become_json_pointers() {
        assert_eq!(pointer("events[2].reason"), "/events/2/reason");
        assert_eq!(pointer("customer_level"), "/customer_level");
        assert_eq!(pointer("."), "");
    }
}
