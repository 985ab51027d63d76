//! The JSON shapes of tierdesk: tickets as `tierdesk sla evaluate` reads them, and
//! evaluations as it writes them. Core types stay free of serde; this crate maps.
//!
//! Bad input is rejected with the field path, the ticket id and the position:
//!
//! ```
//! let err = tierdesk_wire::parse_ticket(br#"{"id":"F-1","kind":"fault","customer_level":"platinum"}"#).unwrap_err();
//! assert_eq!(err.to_string(),
//!     "ticket F-1, line 1 column 54, field customer_level: unknown customer level \"platinum\"; expected one of: gold, silver, bronze, standard");
//! ```
#![deny(missing_docs)]

mod fast;
mod input;
mod output;

pub use input::{EventFieldError, EventFields, WireError, event_kind, parse_ticket};
pub use output::{EvaluationJson, TicketJson, format_instant};
