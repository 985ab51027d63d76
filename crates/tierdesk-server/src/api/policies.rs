//! The policy versions the server knows.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Auth;
use crate::problem::Problem;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_policies))
        .routes(routes!(get_policy))
}

/// A policy version.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyOut {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Whether new tickets start under it.
    pub current: bool,
    /// Time zone days are judged in.
    pub time_zone: String,
    /// Description.
    pub description: String,
}

/// List the policy versions tickets may reference.
#[utoipa::path(get, path = "/api/v1/policies", tag = "policies", responses((status = 200, body = Vec<PolicyOut>)))]
async fn list_policies(State(state): State<AppState>, _auth: Auth) -> Response {
    let current = &state.policies.current().policy().id;
    let list: Vec<PolicyOut> = state
        .policies
        .all()
        .iter()
        .map(|e| {
            let p = e.policy();
            PolicyOut {
                name: p.id.name.clone(),
                version: p.id.version.clone(),
                current: p.id == *current,
                time_zone: p.time_zone_name.clone(),
                description: p.description.clone(),
            }
        })
        .collect();
    axum::Json(list).into_response()
}

/// A policy version's TOML text, as stored.
#[utoipa::path(get, path = "/api/v1/policies/{name}/{version}", tag = "policies",
    params(("name" = String, Path), ("version" = String, Path)),
    responses((status = 200, description = "The TOML text", content_type = "application/toml", body = String), (status = 404, body = Problem)))]
async fn get_policy(
    State(state): State<AppState>,
    _auth: Auth,
    Path((name, version)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let stored = state.store.policies().await?;
    let found = stored
        .into_iter()
        .find(|p| p.id.name == name && p.id.version == version)
        .ok_or_else(|| Problem::not_found(format!("policy {name} {version} not found")))?;
    Ok((
        [(header::CONTENT_TYPE, "application/toml; charset=utf-8")],
        found.text,
    )
        .into_response())
}
