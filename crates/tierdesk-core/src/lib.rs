//! The pure SLA core of tierdesk: the template's vocabulary, the policy as data,
//! tickets as event histories, and [`Engine::evaluate`], which says for a ticket
//! at a given instant which promises are met, pending, paused or breached, when
//! each is due and why.
//!
//! No IO, no async, no clock reads: `now` is always passed in, and evaluating the
//! same input twice gives the same output.
#![deny(missing_docs)]

mod evaluate;
mod level;
mod policy;
mod role;
mod status;
mod ticket;

pub use evaluate::*;
pub use level::*;
pub use policy::*;
pub use role::Role;
pub use status::Status;
pub use ticket::*;
