//! `/healthz`, `/readyz` and `/metrics`: no token needed.

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// Ready when the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            format!("ready ({})\n", state.store.backend()),
        )
            .into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {e}\n")).into_response(),
    }
}

/// Prometheus text format; ticket gauges are read from the store at scrape time,
/// so every instance reports the shared database's numbers.
async fn metrics(State(state): State<AppState>) -> Response {
    match state.store.ticket_counts(state.now()).await {
        Ok((counts, breached)) => {
            for status in tierdesk_core::Status::ALL {
                let n = counts
                    .iter()
                    .find(|(s, _)| *s == status)
                    .map_or(0, |(_, n)| *n);
                metrics::gauge!("tierdesk_open_tickets", "status" => status.as_str()).set(n as f64);
            }
            metrics::gauge!("tierdesk_breached_open_tickets").set(breached as f64);
        }
        Err(e) => tracing::warn!(error = %e, "metrics: cannot count tickets"),
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// Counts requests and their latency by method, route and status.
pub async fn track(request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("tierdesk_http_requests_total", &labels).increment(1);
    metrics::histogram!("tierdesk_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}
