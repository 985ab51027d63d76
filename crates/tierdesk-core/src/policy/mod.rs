//! The service-level policy: the template's tables as data, versioned.

mod model;
mod parse;

use std::sync::OnceLock;

pub use model::*;
use tierdesk_source::SourceErrors;

/// The shipped default policy's text: the template as published.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../../../../policies/default.toml");

impl Policy {
    /// Reads a policy file; with `extends = "default"` it starts from the shipped template.
    ///
    /// # Errors
    /// Every problem in the file, each with line and column.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{AssuranceLevel, Policy, Scope};
    /// let p = Policy::parse("mine.toml", r#"
    ///     [policy]
    ///     name = "acme"
    ///     version = "2"
    ///     extends = "default"
    ///     [fault.restore.city]
    ///     AAA = "PT1H"
    /// "#).unwrap();
    /// assert_eq!(p.fault.restore.get(Scope::City).get(AssuranceLevel::AAA).to_string(), "PT1H");
    /// assert_eq!(p.fault.restore.get(Scope::City).get(AssuranceLevel::AA).to_string(), "PT4H");
    ///
    /// let err = Policy::parse("bad.toml", "[policy]\nname = \"x\"\nversion = \"1\"\nextends = \"default\"\n[dispatch]\naccept = \"P1D\"\n").unwrap_err();
    /// assert_eq!(err.to_string(), "bad.toml:6:10: `dispatch.accept`: P1D is not allowed here; expected clock time such as \"PT30M\"");
    /// ```
    pub fn parse(source_name: &str, text: &str) -> Result<Policy, SourceErrors> {
        parse::parse(source_name, text, Some(Policy::default_policy()))
    }

    /// The shipped default policy (the template), parsed once.
    ///
    /// # Panics
    /// Never: the shipped file is checked by the tests.
    ///
    /// # Example
    /// ```
    /// let p = tierdesk_core::Policy::default_policy();
    /// assert_eq!(p.id.name, "group-customer-sla-template");
    /// ```
    pub fn default_policy() -> &'static Policy {
        static DEFAULT: OnceLock<Policy> = OnceLock::new();
        DEFAULT.get_or_init(|| {
            match parse::parse("policies/default.toml", DEFAULT_POLICY_TOML, None) {
                Ok(p) => p,
                Err(e) => panic!("the shipped default policy is invalid:\n{e}"),
            }
        })
    }

    /// Parses a policy that must stand alone (no `extends`), as the shipped one does.
    ///
    /// # Errors
    /// Every problem in the file, each with line and column.
    ///
    /// # Example
    /// ```
    /// let text = tierdesk_core::DEFAULT_POLICY_TOML;
    /// assert!(tierdesk_core::Policy::parse_standalone("default.toml", text).is_ok());
    /// ```
    pub fn parse_standalone(source_name: &str, text: &str) -> Result<Policy, SourceErrors> {
        parse::parse(source_name, text, None)
    }
}
