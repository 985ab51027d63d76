//! Who is asking: API tokens (`Authorization: Bearer …`) and console sessions
//! (a cookie, with a CSRF token for writes). Secrets are stored only as hashes:
//! SHA-256 for high-entropy tokens, Argon2 for passwords people choose.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use sha2::{Digest, Sha256};
use tierdesk_core::Role;
use tierdesk_store::{Id, StoreError, User, Viewer};

use crate::problem::Problem;
use crate::state::AppState;

/// The console session cookie.
pub const SESSION_COOKIE: &str = "tierdesk_session";

/// An authenticated request.
#[derive(Debug, Clone)]
pub struct Auth {
    /// The user.
    pub user: User,
    /// What the user may see.
    pub viewer: Viewer,
}

impl Auth {
    /// Refuses unless the user has one of `roles` (admins always may).
    pub fn require(&self, roles: &[Role], doing: &str) -> Result<(), Problem> {
        if self.user.role == Role::Admin || roles.contains(&self.user.role) {
            Ok(())
        } else {
            Err(Problem::forbidden(format!(
                "a {} may not {doing}",
                self.user.role
            )))
        }
    }

    /// Refuses customer users (staff-only actions).
    pub fn require_staff(&self, doing: &str) -> Result<(), Problem> {
        if self.user.role.is_staff() {
            Ok(())
        } else {
            Err(Problem::forbidden(format!("customers may not {doing}")))
        }
    }
}

/// A new random secret: `prefix` and 32 random bytes in hex.
pub fn new_secret(prefix: &str) -> Result<String, Problem> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Problem::internal(format!("no randomness: {e}")))?;
    Ok(format!("{prefix}{}", hex::encode(bytes)))
}

/// SHA-256 of a secret, hex: how tokens and sessions are stored and looked up.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// An Argon2 hash (PHC string) of a password.
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// Whether `password` matches the stored Argon2 hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn viewer(user: &User) -> Result<Viewer, Problem> {
    match (user.role, &user.customer_id) {
        (Role::Customer, Some(c)) => Ok(Viewer::Customer(c.clone())),
        (Role::Customer, None) => Err(Problem::forbidden(
            "this customer user is not linked to a customer",
        )),
        _ => Ok(Viewer::Staff),
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim);
        let lookup_failed = |e: StoreError| match e {
            StoreError::NotFound { .. } => Problem::unauthorized(
                "the token or session is not valid (unknown, revoked, expired, or its user is disabled)",
            ),
            other => other.into(),
        };
        let user = if let Some(token) = bearer {
            let hash = secret_hash(token);
            match state.tokens.get(&hash) {
                Some(user) => user,
                None => {
                    let (_, user) = state
                        .store
                        .token_by_hash(&hash)
                        .await
                        .map_err(lookup_failed)?;
                    state.tokens.put(hash, user.record.clone());
                    user.record
                }
            }
        } else if let Some(secret) = cookie(parts, SESSION_COOKIE) {
            let (session, user) = state
                .store
                .session_by_hash(&secret_hash(&secret), state.now())
                .await
                .map_err(lookup_failed)?;
            // Writes through a session must echo its CSRF token: a cookie alone is sent
            // by the browser to any site's forms.
            let unsafe_method =
                !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            if unsafe_method {
                let sent = parts
                    .headers
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok());
                if sent != Some(session.csrf.as_str()) {
                    return Err(Problem::forbidden(
                        "console writes need the X-CSRF-Token header of the session",
                    ));
                }
            }
            user.record
        } else {
            return Err(Problem::unauthorized(
                "authenticate with Authorization: Bearer <token> (tierdesk user add prints one) or log in to the console",
            ));
        };
        let viewer = viewer(&user)?;
        Ok(Auth { user, viewer })
    }
}

/// The user a session cookie belongs to, if any (for console pages that redirect to login).
pub async fn session_user(parts: &Parts, state: &AppState) -> Option<(User, String)> {
    let secret = cookie(parts, SESSION_COOKIE)?;
    let (session, user) = state
        .store
        .session_by_hash(&secret_hash(&secret), state.now())
        .await
        .ok()?;
    Some((user.record, session.csrf))
}

/// The id of an authenticated user, for records that name their actor.
pub fn actor(auth: &Auth) -> Id {
    auth.user.id.clone()
}
