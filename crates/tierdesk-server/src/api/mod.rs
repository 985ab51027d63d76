//! The REST API under `/api/v1`, its OpenAPI document and browsable page.

mod notifications;
mod ops;
mod policies;
mod reference;
pub(crate) mod tickets;
pub(crate) mod users;

use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

pub use ops::track;

use crate::problem::{FieldError, Problem};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tierdesk",
        description = "Service-level management for operators selling network services to enterprises: \
            tickets as event histories, SLA obligations on the Chinese working-day calendar, \
            the tiered SLA template as policy. Errors are RFC 9457 problem+json. \
            TMF621 Trouble Ticket lives at /tmf-api/troubleTicket/v5.",
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "tickets", description = "Faults, complaints, changes, provisioning orders and planned-work notices"),
        (name = "customers"), (name = "services"), (name = "circuits"), (name = "departments"),
        (name = "users", description = "Users and API tokens"),
        (name = "policies", description = "SLA policy versions"),
        (name = "notifications", description = "Where warnings, breaches, reminders and escalations go; the outbox and its dead-letter list"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The API routes and the OpenAPI document generated from them.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (api, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(tickets::router())
        .merge(reference::router())
        .merge(users::router())
        .merge(policies::router())
        .merge(notifications::router())
        .split_for_parts();
    let json = doc.to_pretty_json().unwrap_or_else(|_| "{}".to_owned());
    let docs = Router::new()
        .route(
            "/api/openapi.json",
            get(move || async move {
                ([(header::CONTENT_TYPE, "application/json")], json).into_response()
            }),
        )
        .route(
            "/api/docs",
            get(|| async { Html(include_str!("docs.html")) }),
        );
    (api.merge(docs).merge(ops::router()), doc)
}
