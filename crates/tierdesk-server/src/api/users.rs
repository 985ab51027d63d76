//! Users and their API tokens. Admins manage users; anyone may see themselves
//! and mint a token for themselves.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tierdesk_core::Role;
use tierdesk_store::{Id, TokenRecord, User};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{Auth, hash_password, new_secret, secret_hash};
use crate::dto::{Show, UserIn, UserOut};
use crate::extract::{ApiJson, IfMatch};
use crate::problem::Problem;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_user, list_users))
        .routes(routes!(get_user, replace_user))
        .routes(routes!(me))
        .routes(routes!(create_token))
        .routes(routes!(revoke_token))
}

/// Checks a user's links and password, and hashes the password.
pub(crate) fn user_record(
    input: UserIn,
    id: Id,
    previous_hash: Option<String>,
) -> Result<User, Problem> {
    let role = input.role.0;
    let customer_id = input.customer_id.map(|w| w.0);
    match (role, &customer_id) {
        (Role::Customer, None) => {
            return Err(Problem::invalid(
                "/customer_id",
                "a customer user needs its customer",
            ));
        }
        (r, Some(_)) if r != Role::Customer => {
            return Err(Problem::invalid(
                "/customer_id",
                "only customer users belong to a customer",
            ));
        }
        _ => {}
    }
    let password_hash = match input.password {
        Some(p) if p.chars().count() < 10 => {
            return Err(Problem::invalid(
                "/password",
                "must have at least 10 characters",
            ));
        }
        Some(p) => Some(hash_password(&p).map_err(Problem::internal)?),
        None => previous_hash,
    };
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        return Err(Problem::invalid("/name", "must not be empty"));
    }
    Ok(User {
        id,
        name,
        role,
        customer_id,
        department_id: input.department_id.map(|w| w.0),
        email: input.email.filter(|e| !e.trim().is_empty()),
        password_hash,
        disabled: input.disabled,
    })
}

/// Create a user (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserIn,
    responses((status = 201, body = UserOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_user(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<UserIn>,
) -> Result<Response, Problem> {
    auth.require(&[], "manage users")?;
    let id = input
        .id
        .clone()
        .map(|w| w.0)
        .ok_or_else(|| Problem::invalid("/id", "a user needs an id (the login name)"))?;
    let user = user_record(input, id, None)?;
    let stored = state.store.create_user(&user, state.now()).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(UserOut::from(
            &stored,
            &Show(state.policies.time_zone().clone()),
        )),
    )
        .into_response())
}

/// List users (admins).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", responses((status = 200, body = Vec<UserOut>), (status = 403, body = Problem)))]
async fn list_users(State(state): State<AppState>, auth: Auth) -> Result<Response, Problem> {
    auth.require(&[], "list users")?;
    let show = Show(state.policies.time_zone().clone());
    let users = state.store.users().await?;
    Ok(axum::Json(
        users
            .iter()
            .map(|u| UserOut::from(u, &show))
            .collect::<Vec<_>>(),
    )
    .into_response())
}

/// Read a user (admins, or the user).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = UserOut), (status = 404, body = Problem)))]
async fn get_user(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    if auth.user.role != Role::Admin && auth.user.id.as_str() != id {
        return Err(Problem::not_found(format!("user {id} not found")));
    }
    let id: Id = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    let stored = state.store.user(&id).await?;
    Ok(axum::Json(UserOut::from(
        &stored,
        &Show(state.policies.time_zone().clone()),
    ))
    .into_response())
}

/// Replace a user (admins). Without `password`, the current one stays.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", request_body = UserIn,
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = UserOut), (status = 404, body = Problem), (status = 412, body = Problem)))]
async fn replace_user(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
    ApiJson(input): ApiJson<UserIn>,
) -> Result<Response, Problem> {
    auth.require(&[], "manage users")?;
    let id: Id = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    let previous = state.store.user(&id).await?;
    let user = user_record(input, id, previous.record.password_hash)?;
    let stored = state
        .store
        .update_user(&user, expected, state.now())
        .await?;
    // A disabled user or changed role must not linger in the token cache.
    state.tokens.clear();
    Ok(axum::Json(UserOut::from(
        &stored,
        &Show(state.policies.time_zone().clone()),
    ))
    .into_response())
}

/// Who the caller is.
#[utoipa::path(get, path = "/api/v1/me", tag = "users", responses((status = 200, body = UserOut), (status = 401, body = Problem)))]
async fn me(State(state): State<AppState>, auth: Auth) -> Result<Response, Problem> {
    let stored = state.store.user(&auth.user.id).await?;
    Ok(axum::Json(UserOut::from(
        &stored,
        &Show(state.policies.time_zone().clone()),
    ))
    .into_response())
}

/// A token to mint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenIn {
    /// What the token is for (shown to admins).
    pub label: String,
}

/// A new token: the secret is shown once and never stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    /// Token id (for revoking).
    pub id: String,
    /// The secret: send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Label.
    pub label: String,
}

/// Mints an API token for a user: its secret, once. Used by the API and `tierdesk user add`.
pub async fn mint_token(
    store: &dyn tierdesk_store::Store,
    user: &Id,
    label: &str,
    now: jiff::Timestamp,
) -> Result<TokenOut, Problem> {
    let token = new_secret("tdk_")?;
    let id: Id = format!("tok-{}", &secret_hash(&token)[..12])
        .parse()
        .map_err(Problem::internal)?;
    store
        .create_token(&TokenRecord {
            id: id.clone(),
            user_id: user.clone(),
            hash: secret_hash(&token),
            label: label.to_owned(),
            created_at: now,
            revoked: false,
        })
        .await?;
    Ok(TokenOut {
        id: id.to_string(),
        token,
        label: label.to_owned(),
    })
}

/// Mint an API token (admins for anyone, users for themselves). The secret is in the response only.
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", tag = "users", request_body = TokenIn, params(("id" = String, Path)),
    responses((status = 201, body = TokenOut), (status = 404, body = Problem)))]
async fn create_token(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TokenIn>,
) -> Result<Response, Problem> {
    if auth.user.role != Role::Admin && auth.user.id.as_str() != id {
        return Err(Problem::not_found(format!("user {id} not found")));
    }
    let id: Id = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    state.store.user(&id).await?;
    let out = mint_token(state.store.as_ref(), &id, input.label.trim(), state.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(out)).into_response())
}

/// Revoke a token (admins).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn revoke_token(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    auth.require(&[], "revoke tokens")?;
    let id: Id = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    state.store.revoke_token(&id).await?;
    state.tokens.clear();
    Ok(StatusCode::NO_CONTENT)
}
