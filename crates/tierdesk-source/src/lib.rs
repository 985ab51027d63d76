//! Reading files that people write by hand (calendars, policies) so that every
//! mistake is reported with its line and column, all mistakes at once, and nothing
//! is accepted half-way.
//!
//! [`TomlSource`] wraps a parsed TOML document; its [`Node`]s are read with
//! methods that record an error and return `None` instead of failing on the first
//! problem. [`TomlSource::finish`] turns the recorded errors into a [`SourceErrors`].
#![deny(missing_docs)]

mod position;
mod toml;

pub use position::{LineIndex, SourceError, SourceErrors};
pub use toml::{Node, TableNode, TomlSource};
