//! The pure SLA core of tierdesk: the template's vocabulary, the policy as data,
//! tickets as event histories, and [`Engine::evaluate`], which says for a ticket
//! at a given instant which promises are met, pending, paused or breached, when
//! each is due and why.
//!
//! No IO, no async, no clock reads: `now` is always passed in, and evaluating the
//! same input twice gives the same output.
#![deny(missing_docs)]

mod alerts;
mod evaluate;
mod level;
mod policy;
mod role;
mod status;
mod ticket;
mod workflow;

pub use alerts::{Timer, alert_key, timers};
pub use evaluate::*;
pub use level::*;
pub use policy::*;
pub use role::Role;
pub use status::Status;
pub use ticket::*;
pub use workflow::{Stage, Workflow, WorkflowError};
