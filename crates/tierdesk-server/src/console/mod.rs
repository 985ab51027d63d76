//! The web console: a login form, and a single-page app in plain JavaScript
//! (`assets/`) that draws the queue, tickets, forms and customers from the REST API.
//!
//! The server's part is small on purpose: sessions (a cookie holding a random
//! secret, stored only as its SHA-256 hash, with a CSRF token for writes), the shell
//! page that hands the logged-in user and the token to the script, and the embedded
//! static files. All reading and writing goes through `/api/v1`, which checks roles
//! and customer visibility the same way for the console as for API clients.

mod assets;
mod capabilities;
mod html;

use std::sync::LazyLock;

use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};
use tierdesk_core::Role;
use tierdesk_store::{Id, SessionRecord, StoreError, User};

use crate::auth::{SESSION_COOKIE, hash_password, new_secret, secret_hash, verify_password};
use crate::state::AppState;
use capabilities::Capabilities;
use html::LoginError;

/// Where a logged-in user lands.
const HOME: &str = "/console/";
/// The login page.
const LOGIN: &str = "/console/login";

/// The console's routes. Sessions last `session_hours`.
pub fn router(session_hours: i64) -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route("/console", get(|| async { Redirect::permanent(HOME) }))
        .route(
            LOGIN,
            get(login_page).post(
                move |state: State<AppState>,
                      headers: HeaderMap,
                      form: Result<Form<LoginForm>, FormRejection>| {
                    login(state, headers, form, session_hours)
                },
            ),
        )
        .route("/console/logout", axum::routing::post(logout))
        // The views of the single-page app; each serves the same shell so that a
        // reload or a shared link opens the same view.
        .route(HOME, get(shell))
        .route("/console/tickets", get(shell))
        .route("/console/tickets/{id}", get(shell))
        .route("/console/new", get(shell))
        .route("/console/customers", get(shell))
        .route("/console/customers/{id}", get(shell))
        .route("/console/notifications", get(notifications_shell))
        .route("/console/assets/{name}", get(assets::asset))
}

/// Headers of every console page: no framing (clickjacking), scripts and styles
/// only from this server, and pages that carry a CSRF token are never cached.
fn page(status: StatusCode, body: String) -> Response {
    let mut response = (status, Html(body)).into_response();
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
             object-src 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// A 303 to `location` that also sets or clears the session cookie.
fn see_other_with_cookie(location: &str, cookie: &str) -> Response {
    let mut response = Redirect::to(location).into_response();
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Percent-encodes a path for a query value: only unreserved characters and `/` stay.
fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where to go after logging in: a console page named by `next`, else the queue.
/// Anything else (another site, the login page itself) is ignored, so the login
/// form cannot be used to send people elsewhere.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with(HOME)
                && !n.starts_with(LOGIN)
                && !n.contains("//")
                && !n.contains('\\')
                && n.len() <= 512
                && n.chars().all(|c| c.is_ascii_graphic()) =>
        {
            n.to_owned()
        }
        _ => HOME.to_owned(),
    }
}

/// The login page, remembering which page was asked for.
fn to_login(parts: &Parts) -> Response {
    let asked = parts.uri.path_and_query().map_or(HOME, |p| p.as_str());
    if safe_next(Some(asked)) == HOME {
        Redirect::to(LOGIN).into_response()
    } else {
        Redirect::to(&format!("{LOGIN}?next={}", encode_component(asked))).into_response()
    }
}

/// `GET /`: the queue when logged in, else the login page.
async fn root(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if crate::auth::session_user(&parts, &state).await.is_some() {
        Redirect::to(HOME).into_response()
    } else {
        Redirect::to(LOGIN).into_response()
    }
}

#[derive(Debug, Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

/// `GET /console/login`: the form, or straight on when already logged in.
async fn login_page(
    State(state): State<AppState>,
    query: Result<Query<LoginQuery>, axum::extract::rejection::QueryRejection>,
    request: Request,
) -> Response {
    let next = safe_next(query.as_ref().ok().and_then(|Query(q)| q.next.as_deref()));
    let (parts, _) = request.into_parts();
    if crate::auth::session_user(&parts, &state).await.is_some() {
        return Redirect::to(&next).into_response();
    }
    page(StatusCode::OK, html::login_page(&next, "", None))
}

/// The fields of the login form.
#[derive(Debug, Deserialize)]
struct LoginForm {
    user: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// An Argon2 hash that matches no password anyone sends: checked against when the
/// user does not exist, so that a wrong name costs as long as a wrong password and
/// the response time does not tell which user names exist.
static DECOY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| hash_password("tierdesk decoy: no user has this").ok());

/// Passwords longer than this are refused without hashing (nobody types them, and
/// hashing megabytes is a cheap way to load the server).
const MAX_PASSWORD: usize = 1024;

/// Whether the request comes from another site's page. Browsers send
/// `Sec-Fetch-Site`; a cross-site login would log the victim into the attacker's
/// account (login CSRF). Clients that send no such header (curl, tests) are not browsers.
fn cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"))
}

/// The value of a request cookie.
fn request_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// `; Secure` when the request reached a TLS-terminating proxy over HTTPS: the
/// console also runs over plain HTTP on isolated networks, where a Secure cookie
/// would never be sent back.
fn secure_attribute(headers: &HeaderMap) -> &'static str {
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    if https { "; Secure" } else { "" }
}

/// Checks a user name and password; `Ok(None)` for any wrong combination.
async fn check_credentials(
    state: &AppState,
    name: &str,
    password: &str,
) -> Result<Option<User>, LoginError> {
    let user = match name.parse::<Id>() {
        Ok(id) => match state.store.user(&id).await {
            Ok(stored) => Some(stored.record),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => {
                tracing::error!(error = %e, "console login: cannot read the user");
                return Err(LoginError::Unavailable);
            }
        },
        Err(_) => None,
    };
    let usable = user
        .as_ref()
        .filter(|u| !u.disabled)
        .and_then(|u| u.password_hash.clone());
    let hash = usable.clone().or_else(|| DECOY_HASH.clone());
    let Some(hash) = hash else {
        return Err(LoginError::Unavailable);
    };
    let password = password.to_owned();
    // Argon2 takes tens of milliseconds of CPU on purpose: off the async workers.
    let verified = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "console login: the password check failed");
            LoginError::Unavailable
        })?;
    Ok(user.filter(|_| verified && usable.is_some()))
}

/// `POST /console/login`.
async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
    session_hours: i64,
) -> Response {
    let Ok(Form(form)) = form else {
        return page(
            StatusCode::BAD_REQUEST,
            html::login_page(HOME, "", Some(LoginError::BadForm)),
        );
    };
    let next = safe_next(form.next.as_deref());
    let name = form.user.trim();
    if cross_site(&headers) {
        return page(
            StatusCode::FORBIDDEN,
            html::login_page(&next, name, Some(LoginError::CrossSite)),
        );
    }
    if name.is_empty() || form.password.is_empty() {
        return page(
            StatusCode::BAD_REQUEST,
            html::login_page(&next, name, Some(LoginError::BadForm)),
        );
    }
    let checked = if form.password.len() > MAX_PASSWORD {
        Ok(None)
    } else {
        check_credentials(&state, name, &form.password).await
    };
    let user = match checked {
        Ok(Some(user)) => user,
        Ok(None) => {
            tracing::warn!(user = %name, "console login refused");
            return page(
                StatusCode::UNAUTHORIZED,
                html::login_page(&next, name, Some(LoginError::Failed)),
            );
        }
        Err(e) => {
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                html::login_page(&next, name, Some(e)),
            );
        }
    };
    match start_session(&state, &headers, &user, session_hours).await {
        Ok(cookie) => {
            tracing::info!(user = %user.id, "console login");
            see_other_with_cookie(&next, &cookie)
        }
        Err(e) => {
            tracing::error!(error = %e.detail, "console login: cannot start a session");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                html::login_page(&next, name, Some(LoginError::Unavailable)),
            )
        }
    }
}

/// Stores a new session for `user` and returns its `Set-Cookie` value. A session
/// the browser already had is ended: one login, one live session per browser.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    user: &User,
    session_hours: i64,
) -> Result<String, crate::Problem> {
    if let Some(old) = request_cookie(headers, SESSION_COOKIE) {
        // Best effort: an unknown or expired old session is already gone.
        let _ = state.store.delete_session(&secret_hash(&old)).await;
    }
    let secret = new_secret("tds_")?;
    let csrf = new_secret("csrf_")?;
    let hours = session_hours.clamp(1, 720);
    let now = state.now();
    let expires_at = now
        .checked_add(SignedDuration::from_hours(hours))
        .map_err(crate::Problem::internal)?;
    state
        .store
        .create_session(&SessionRecord {
            hash: secret_hash(&secret),
            user_id: user.id.clone(),
            csrf,
            expires_at,
        })
        .await?;
    Ok(format!(
        "{SESSION_COOKIE}={secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
        hours * 3600,
        secure_attribute(headers)
    ))
}

/// The logout form's field.
#[derive(Debug, Deserialize)]
struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /console/logout`: ends the session (it must echo its CSRF token, as a form
/// field or the `X-CSRF-Token` header) and clears the cookie.
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Response {
    let clear = format!(
        "{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
        secure_attribute(&headers)
    );
    let Some(secret) = request_cookie(&headers, SESSION_COOKIE) else {
        return see_other_with_cookie(LOGIN, &clear);
    };
    let hash = secret_hash(&secret);
    let session = match state.store.session_by_hash(&hash, state.now()).await {
        Ok((session, _)) => session,
        // Unknown or expired: nothing to end but the cookie.
        Err(StoreError::NotFound { .. }) => return see_other_with_cookie(LOGIN, &clear),
        Err(e) => return crate::Problem::from(e).into_response(),
    };
    let sent = form
        .as_ref()
        .ok()
        .map(|Form(f)| f.csrf.clone())
        .filter(|c| !c.is_empty())
        .or_else(|| {
            headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
    if sent.as_deref() != Some(session.csrf.as_str()) {
        return crate::Problem::forbidden("logging out needs the session's CSRF token")
            .into_response();
    }
    if let Err(e) = state.store.delete_session(&hash).await {
        return crate::Problem::from(e).into_response();
    }
    see_other_with_cookie(LOGIN, &clear)
}

/// The logged-in user, as the console script reads it.
#[derive(Debug, Serialize)]
struct ShellUser<'a> {
    id: &'a str,
    name: &'a str,
    role: &'a str,
    customer_id: Option<&'a str>,
    department_id: Option<&'a str>,
}

/// Everything the console script needs before its first API call.
#[derive(Debug, Serialize)]
struct ShellSession<'a> {
    user: ShellUser<'a>,
    capabilities: Capabilities,
    /// The offset instants are shown at (e.g. `+08:00`): times typed into forms are
    /// read at this offset, the one the API answers in.
    utc_offset: String,
    /// The server's version, shown in the footer.
    version: &'static str,
    /// What the user may do with the notification outbox.
    notifications: Outbox,
}

/// The notification outbox as the console offers it, following the API: admins and
/// operations support read it; only admins replay notifications and see channels.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
struct Outbox {
    /// The Notifications view (`GET /api/v1/notifications`).
    read: bool,
    /// `POST /api/v1/notifications/{id}/replay`.
    replay: bool,
    /// `GET /api/v1/channels`.
    channels: bool,
}

impl Outbox {
    fn of(role: Role) -> Outbox {
        Outbox {
            read: reads_outbox(role),
            replay: role == Role::Admin,
            channels: role == Role::Admin,
        }
    }
}

/// Whether `role` may open the Notifications view.
fn reads_outbox(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Operations)
}

/// `+08:00` for 28800 seconds.
fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", s / 3600, s % 3600 / 60)
}

/// `GET /console/…`: the shell, or the login page without a session.
async fn shell(State(state): State<AppState>, request: Request) -> Response {
    shell_for(&state, request, |_| true).await
}

/// `GET /console/notifications`: the shell for the roles that read the outbox.
/// Others get it with `403 Forbidden`: the script then says the page is not
/// theirs, inside the console they know, and the API refuses the data anyway.
async fn notifications_shell(State(state): State<AppState>, request: Request) -> Response {
    shell_for(&state, request, reads_outbox).await
}

/// The shell, `200` when `allowed` accepts the user's role and `403` otherwise;
/// the login page without a session.
async fn shell_for(state: &AppState, request: Request, allowed: fn(Role) -> bool) -> Response {
    let (parts, _) = request.into_parts();
    let Some((user, csrf)) = crate::auth::session_user(&parts, state).await else {
        return to_login(&parts);
    };
    let status = if allowed(user.role) {
        StatusCode::OK
    } else {
        StatusCode::FORBIDDEN
    };
    let offset = state.policies.time_zone().to_offset(state.now()).seconds();
    let session = ShellSession {
        user: ShellUser {
            id: user.id.as_str(),
            name: &user.name,
            role: user.role.as_str(),
            customer_id: user.customer_id.as_ref().map(Id::as_str),
            department_id: user.department_id.as_ref().map(Id::as_str),
        },
        capabilities: Capabilities::of(user.role),
        utc_offset: format_offset(offset),
        version: env!("CARGO_PKG_VERSION"),
        notifications: Outbox::of(user.role),
    };
    match html::script_json(&session) {
        Ok(json) => page(status, html::shell(&json, &csrf)),
        Err(e) => crate::Problem::internal(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_console_pages_are_followed_after_login() {
        assert_eq!(
            safe_next(Some("/console/tickets/F-1")),
            "/console/tickets/F-1"
        );
        assert_eq!(
            safe_next(Some("/console/?kind=fault")),
            "/console/?kind=fault"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/console/",
            "/console//evil",
            "/console/login",
            "/api/v1/tickets",
            "/console/\\evil",
        ] {
            assert_eq!(safe_next(Some(bad)), HOME, "{bad}");
        }
        assert_eq!(safe_next(None), HOME);
    }

    #[test]
    fn the_outbox_is_for_admins_and_operations_and_replay_for_admins() {
        for role in Role::ALL {
            let o = Outbox::of(role);
            assert_eq!(
                o.read,
                matches!(role, Role::Admin | Role::Operations),
                "{role}"
            );
            assert_eq!(o.replay, role == Role::Admin, "{role}");
            assert!(!o.replay || o.read, "{role}: replaying needs the list");
        }
    }

    #[test]
    fn offsets_read_like_the_api_instants() {
        assert_eq!(format_offset(28_800), "+08:00");
        assert_eq!(format_offset(-12_600), "-03:30");
        assert_eq!(format_offset(0), "+00:00");
    }

    #[test]
    fn a_path_survives_as_a_query_value() {
        assert_eq!(
            encode_component("/console/?kind=fault&x=1"),
            "/console/%3Fkind%3Dfault%26x%3D1"
        );
    }
}
