//! Importers: other systems' histories as tierdesk tickets, so their incidents
//! can be replayed through tierdesk's clocks.
//!
//! Importers read text and return tickets; they do no IO of their own, so the
//! CLI (or the server) decides where text comes from and where tickets go.
#![deny(missing_docs)]

pub mod servicenow;
