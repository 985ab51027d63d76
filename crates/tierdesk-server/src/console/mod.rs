//! The web console: server-rendered pages over the same store and rules as the API.

use axum::Router;
use axum::response::Redirect;
use axum::routing::get;

use crate::state::AppState;

/// The console's routes.
pub fn router(_session_hours: i64) -> Router<AppState> {
    Router::new().route("/", get(|| async { Redirect::to("/api/docs") }))
}
