//! The server driven over HTTP, as a client would: a fresh server on port 0 and a
//! fresh database for every test, on SQLite and on PostgreSQL.

mod api_tickets;
mod auth;
mod console;
mod harness;
mod reference;
mod tmf621;
mod workflows;

pub use harness::*;
