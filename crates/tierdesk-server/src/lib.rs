//! `tierdesk serve`: the REST API (`/api/v1`, OpenAPI at `/api/openapi.json`),
//! TMF621 Trouble Ticket (`/tmf-api/troubleTicket/v5`), accounts and roles, the
//! web console, health and metrics, over any `Store`.
//!
//! Edges only: evaluation lives in `tierdesk-core`, persistence behind
//! `tierdesk-store`. Start with [`Application::build`].
#![deny(missing_docs)]

mod api;
mod app;
pub mod auth;
mod background;
pub mod config;
mod console;
mod demo;
mod dto;
mod extract;
pub mod notify;
mod problem;
mod projection;
pub mod scheduler;
pub mod simulate;
pub mod state;
mod tickets;
mod tmf;

pub use api::users::{TokenOut, mint_token};
pub use app::{Application, BuildError, calendar, policies, rebuild};
pub use config::{Config, LogFormat};
pub use demo::{DEMO_PASSWORD, DEMO_USERS};
pub use problem::Problem;
pub use projection::project;
pub use state::Policies;
