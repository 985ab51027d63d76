//! Writing evaluations as JSON: instants in RFC 3339 at the policy's offset,
//! durations in ISO 8601.

use std::fmt;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use tierdesk_core::{Detail, Evaluation, Obligation, Ticket};

/// An instant in RFC 3339 at the offset `tz` has then.
///
/// # Example
/// ```
/// let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
/// let t: jiff::Timestamp = "2025-09-30T08:00:00Z".parse().unwrap();
/// assert_eq!(tierdesk_wire::format_instant(t, &tz).to_string(), "2025-09-30T16:00:00+08:00");
/// ```
pub fn format_instant(t: Timestamp, tz: &TimeZone) -> impl fmt::Display + use<> {
    t.display_with_offset(tz.to_offset(t))
}

struct At<'a>(Option<Timestamp>, &'a TimeZone);

impl Serialize for At<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(t) => s.collect_str(&format_instant(t, self.1)),
            None => s.serialize_none(),
        }
    }
}

struct Iso(Option<SignedDuration>);

impl Serialize for Iso {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(d) => s.collect_str(&d),
            None => s.serialize_none(),
        }
    }
}

/// An evaluation as JSON: `{"id", "kind", "customer_level", "assurance_level",
/// "policy": {"name", "version"}, "evaluated_at", "obligations": [...]}`.
///
/// # Example
/// ```
/// let engine = tierdesk_core::Engine::default_engine();
/// let ticket = tierdesk_wire::parse_ticket(br#"{"id":"C-1","kind":"complaint","customer_level":"gold","scope":"city",
///   "events":[{"at":"2025-09-30T16:00:00+08:00","type":"reported"}]}"#).unwrap();
/// let eval = engine.evaluate(&ticket, "2025-09-30T17:00:00+08:00".parse().unwrap()).unwrap();
/// let json = serde_json::to_value(tierdesk_wire::EvaluationJson::new(&ticket, &eval, &engine.policy().time_zone)).unwrap();
/// assert_eq!(json["obligations"][1]["name"], "resolve");
/// assert_eq!(json["obligations"][1]["due"], "2025-09-30T18:00:00+08:00");
/// assert_eq!(json["obligations"][1]["remaining"], "PT1H");
/// ```
pub struct EvaluationJson<'a> {
    ticket: &'a Ticket,
    eval: &'a Evaluation,
    tz: &'a TimeZone,
}

impl<'a> EvaluationJson<'a> {
    /// Pairs an evaluation with its ticket, to be written in `tz` (the policy's zone).
    pub fn new(ticket: &'a Ticket, eval: &'a Evaluation, tz: &'a TimeZone) -> Self {
        EvaluationJson { ticket, eval, tz }
    }
}

impl Serialize for EvaluationJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let spec = self.ticket.spec();
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("id", spec.id.as_str())?;
        m.serialize_entry("kind", spec.kind.as_str())?;
        m.serialize_entry("customer_level", spec.customer_level.as_str())?;
        m.serialize_entry("assurance_level", self.eval.assurance_level.as_str())?;
        m.serialize_entry(
            "policy",
            &PolicyJson {
                name: &self.eval.policy.name,
                version: &self.eval.policy.version,
            },
        )?;
        m.serialize_entry("evaluated_at", &At(Some(self.eval.now), self.tz))?;
        m.serialize_entry("obligations", &Obligations(&self.eval.obligations, self.tz))?;
        m.end()
    }
}

#[derive(Serialize)]
struct PolicyJson<'a> {
    name: &'a str,
    version: &'a str,
}

struct Obligations<'a>(&'a [Obligation], &'a TimeZone);

impl Serialize for Obligations<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for o in self.0 {
            seq.serialize_element(&ObligationJson(o, self.1))?;
        }
        seq.end()
    }
}

struct ObligationJson<'a>(&'a Obligation, &'a TimeZone);

impl Serialize for ObligationJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (o, tz) = (self.0, self.1);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", o.name.as_str())?;
        if let Some(party) = &o.party {
            m.serialize_entry("party", party.as_str())?;
        }
        m.serialize_entry("state", o.state.as_str())?;
        match &o.target {
            Some(t) => m.serialize_entry("target", &Collect(t))?,
            None => m.serialize_entry("target", &None::<()>)?,
        }
        m.serialize_entry("start", &At(o.start, tz))?;
        m.serialize_entry("due", &At(o.due, tz))?;
        m.serialize_entry("met_at", &At(o.met_at, tz))?;
        m.serialize_entry("counted", &Iso(o.counted))?;
        m.serialize_entry("paused", &Paused(o))?;
        m.serialize_entry("lateness", &Iso(o.lateness))?;
        m.serialize_entry("remaining", &Iso(o.remaining))?;
        if o.provisional {
            m.serialize_entry("provisional_calendar", &true)?;
        }
        if let Some(d) = &o.detail {
            m.serialize_entry("detail", &DetailJson(d))?;
        }
        m.end()
    }
}

struct Collect<'a, T: fmt::Display>(&'a T);

impl<T: fmt::Display> Serialize for Collect<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

struct Paused<'a>(&'a Obligation);

impl Serialize for Paused<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let nonzero = self.0.paused.nonzero();
        let mut m = s.serialize_map(Some(nonzero.len()))?;
        for (reason, d) in nonzero {
            m.serialize_entry(reason.as_str(), &Collect(&d))?;
        }
        m.end()
    }
}

struct DetailJson<'a>(&'a Detail);

impl Serialize for DetailJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self.0 {
            Detail::Note(note) => m.serialize_entry("note", note)?,
            Detail::Cadence { given, missed } => {
                m.serialize_entry("feedbacks", given)?;
                m.serialize_entry("missed_intervals", missed)?;
            }
            Detail::Count { given, required } => {
                m.serialize_entry("given", given)?;
                m.serialize_entry("required", required)?;
            }
            Detail::Missing(list) => {
                let names: Vec<&str> = list.iter().map(|a| a.as_str()).collect();
                m.serialize_entry("missing", &names)?;
            }
            Detail::Notice {
                recipient,
                channels,
                ignored,
            } => {
                m.serialize_entry("recipient", recipient.as_str())?;
                let names: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
                m.serialize_entry("channels", &names)?;
                if *ignored > 0 {
                    m.serialize_entry("ignored_notices", ignored)?;
                }
            }
            Detail::Confirmation { written } => m.serialize_entry("written", written)?,
        }
        m.end()
    }
}
