//! Writing evaluations as JSON: instants in RFC 3339 at the policy's offset,
//! durations in ISO 8601.
//!
//! The writer puts bytes straight into a buffer: keys and the values tierdesk
//! formats itself (vocabulary words, instants, durations) need no escaping; text
//! that comes from users (ids, party names) goes through serde_json's escaping.

use std::fmt::{self, Write as _};

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Serialize, Serializer};
use tierdesk_calendar::{IsoDuration, Schedule, Target};
use tierdesk_core::{Detail, Evaluation, Event, EventKind, Obligation, ObligationTarget, Ticket};

use crate::fast;

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

    /// Appends the JSON object to `out`.
    ///
    /// # Example
    /// ```
    /// let engine = tierdesk_core::Engine::default_engine();
    /// let ticket = tierdesk_wire::parse_ticket(br#"{"id":"x\"y","kind":"complaint","customer_level":"gold","scope":"city"}"#).unwrap();
    /// let eval = engine.evaluate(&ticket, "2025-09-30T17:00:00+08:00".parse().unwrap()).unwrap();
    /// let mut out = Vec::new();
    /// tierdesk_wire::EvaluationJson::new(&ticket, &eval, &engine.policy().time_zone).write_to(&mut out);
    /// assert!(out.starts_with(br#"{"id":"x\"y","kind":"complaint""#));
    /// ```
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let spec = self.ticket.spec();
        let mut o = Obj::open(out);
        o.escaped("id", spec.id.as_str());
        o.raw_str("kind", spec.kind.as_str());
        o.raw_str("customer_level", spec.customer_level.as_str());
        o.raw_str("assurance_level", self.eval.assurance_level.as_str());
        o.key("policy");
        let mut p = Obj::open(o.out);
        p.escaped("name", &self.eval.policy.name);
        p.escaped("version", &self.eval.policy.version);
        p.close();
        o.instant("evaluated_at", Some(self.eval.now), self.tz);
        o.key("obligations");
        o.out.push(b'[');
        for (i, ob) in self.eval.obligations.iter().enumerate() {
            if i > 0 {
                o.out.push(b',');
            }
            write_obligation(o.out, ob, self.tz);
        }
        o.out.push(b']');
        o.close();
    }
}

impl Serialize for EvaluationJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(2048);
        self.write_to(&mut out);
        let text = String::from_utf8(out).map_err(serde::ser::Error::custom)?;
        serde_json::value::RawValue::from_string(text)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

fn write_obligation(out: &mut Vec<u8>, ob: &Obligation, tz: &TimeZone) {
    let mut o = Obj::open(out);
    o.raw_str("name", ob.name.as_str());
    if let Some(party) = &ob.party {
        o.escaped("party", party.as_str());
    }
    o.raw_str("state", ob.state.as_str());
    match &ob.target {
        Some(t) => {
            // Targets are tierdesk's own words, periods and schedules: nothing to escape.
            o.key("target");
            o.out.push(b'"');
            write_target(o.out, t);
            o.out.push(b'"');
        }
        None => o.null("target"),
    }
    o.instant("start", ob.start, tz);
    o.instant("due", ob.due, tz);
    o.instant("met_at", ob.met_at, tz);
    o.duration("counted", ob.counted);
    o.key("paused");
    let mut p = Obj::open(o.out);
    for reason in tierdesk_core::PauseReason::ALL {
        let d = ob.paused.get(reason);
        if !d.is_zero() {
            p.duration(reason.as_str(), Some(d));
        }
    }
    p.close();
    o.duration("lateness", ob.lateness);
    o.duration("remaining", ob.remaining);
    if ob.provisional {
        o.key("provisional_calendar");
        o.out.extend_from_slice(b"true");
    }
    if let Some(d) = &ob.detail {
        o.key("detail");
        write_detail(o.out, d);
    }
    o.close();
}

fn write_target(out: &mut Vec<u8>, target: &ObligationTarget) {
    // The two commonest targets skip the `fmt` machinery; the rest use Display.
    match target {
        ObligationTarget::Within(Target::Clock {
            amount,
            schedule: Schedule::Always,
        }) => {
            IsoDuration(*amount).write_to(out);
        }
        ObligationTarget::Every(d) => {
            out.extend_from_slice(b"every ");
            IsoDuration(*d).write_to(out);
        }
        other => {
            let _ = write!(Bytes(out), "{other}");
        }
    }
}

fn write_detail(out: &mut Vec<u8>, detail: &Detail) {
    let mut o = Obj::open(out);
    match detail {
        Detail::Note(note) => o.escaped("note", note),
        Detail::Cadence { given, missed } => {
            o.number("feedbacks", *given);
            o.number("missed_intervals", *missed);
        }
        Detail::Count { given, required } => {
            o.number("given", *given);
            o.number("required", *required);
        }
        Detail::Missing(list) => o.raw_list("missing", list.iter().map(|a| a.as_str())),
        Detail::Notice {
            recipient,
            channels,
            ignored,
        } => {
            o.raw_str("recipient", recipient.as_str());
            o.raw_list("channels", channels.iter().map(|c| c.as_str()));
            if *ignored > 0 {
                o.number("ignored_notices", *ignored);
            }
        }
        Detail::Confirmation { written } => {
            o.key("written");
            o.out
                .extend_from_slice(if *written { b"true" } else { b"false" });
        }
    }
    o.close();
}

/// `fmt::Write` straight into the output buffer.
struct Bytes<'a>(&'a mut Vec<u8>);

impl fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// A JSON object being written.
struct Obj<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    days: fast::DayCache,
}

impl<'a> Obj<'a> {
    fn open(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        Obj {
            out,
            first: true,
            days: fast::DayCache::default(),
        }
    }

    fn close(self) {
        self.out.push(b'}');
    }

    /// `"key":` — keys are tierdesk's own and need no escaping.
    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// A string tierdesk produced itself (vocabulary words, formatted instants).
    fn raw_str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.out.push(b'"');
        self.out.extend_from_slice(value.as_bytes());
        self.out.push(b'"');
    }

    /// A string that may need escaping.
    fn escaped(&mut self, key: &str, value: &str) {
        self.key(key);
        // Writing a &str into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *self.out, value);
    }

    fn null(&mut self, key: &str) {
        self.key(key);
        self.out.extend_from_slice(b"null");
    }

    fn number(&mut self, key: &str, n: u32) {
        self.key(key);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    fn raw_list<'s>(&mut self, key: &str, items: impl Iterator<Item = &'s str>) {
        self.key(key);
        self.out.push(b'[');
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.out.push(b'"');
            self.out.extend_from_slice(item.as_bytes());
            self.out.push(b'"');
        }
        self.out.push(b']');
    }

    fn instant(&mut self, key: &str, t: Option<Timestamp>, tz: &TimeZone) {
        match t {
            Some(t) => {
                self.key(key);
                self.out.push(b'"');
                fast::write_instant(t, tz.to_offset(t), &mut self.days, self.out);
                self.out.push(b'"');
            }
            None => self.null(key),
        }
    }

    fn duration(&mut self, key: &str, d: Option<SignedDuration>) {
        match d {
            Some(d) => {
                self.key(key);
                self.out.push(b'"');
                tierdesk_calendar::IsoDuration(d).write_to(self.out);
                self.out.push(b'"');
            }
            None => self.null(key),
        }
    }
}

/// A ticket as JSON, in the shape `parse_ticket` reads (events in time order,
/// instants at the offset `tz` has then).
///
/// # Example
/// ```
/// let text = br#"{"id":"C-1","kind":"complaint","customer_level":"gold","scope":"city","events":[{"at":"2025-09-30T16:00:00+08:00","type":"paused","reason":"customer"},{"at":"2025-09-30T17:00:00+08:00","type":"resumed"}]}"#;
/// let ticket = tierdesk_wire::parse_ticket(text).unwrap();
/// let mut out = Vec::new();
/// tierdesk_wire::TicketJson::new(&ticket, &jiff::tz::TimeZone::get("Asia/Shanghai").unwrap()).write_to(&mut out);
/// assert_eq!(tierdesk_wire::parse_ticket(&out).unwrap(), ticket);
/// ```
pub struct TicketJson<'a> {
    ticket: &'a Ticket,
    tz: &'a TimeZone,
}

impl<'a> TicketJson<'a> {
    /// A ticket to be written with instants in `tz`.
    pub fn new(ticket: &'a Ticket, tz: &'a TimeZone) -> Self {
        TicketJson { ticket, tz }
    }

    /// Appends the JSON object to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let spec = self.ticket.spec();
        let mut o = Obj::open(out);
        o.escaped("id", spec.id.as_str());
        o.raw_str("kind", spec.kind.as_str());
        o.raw_str("customer_level", spec.customer_level.as_str());
        if let Some(level) = spec.assurance_level {
            o.raw_str("assurance_level", level.as_str());
        }
        if let Some(category) = spec.category {
            o.raw_str("category", category.as_str());
        }
        if let Some(scope) = spec.scope {
            o.raw_str("scope", scope.as_str());
        }
        if let Some(change_type) = spec.change_type {
            o.raw_str("change_type", change_type.as_str());
        }
        if spec.work_start.is_some() {
            o.instant("work_start", spec.work_start, self.tz);
        }
        for (key, flag, default) in [
            ("emergency", spec.emergency, false),
            ("terminal", spec.terminal, false),
            ("operator_equipment", spec.operator_equipment, true),
            ("green_channel", spec.green_channel, false),
            ("full_outage", spec.full_outage, false),
        ] {
            if flag != default {
                o.key(key);
                o.out
                    .extend_from_slice(if flag { b"true" } else { b"false" });
            }
        }
        if let Some(circuit) = &spec.circuit {
            o.escaped("circuit", circuit);
        }
        if let Some(policy) = &spec.policy {
            o.key("policy");
            let mut p = Obj::open(o.out);
            p.escaped("name", &policy.name);
            p.escaped("version", &policy.version);
            p.close();
        }
        o.key("events");
        o.out.push(b'[');
        for (i, event) in self.ticket.events().iter().enumerate() {
            if i > 0 {
                o.out.push(b',');
            }
            write_event(o.out, event, self.tz);
        }
        o.out.push(b']');
        o.close();
    }
}

fn write_event(out: &mut Vec<u8>, event: &Event, tz: &TimeZone) {
    let mut o = Obj::open(out);
    o.instant("at", Some(event.at), tz);
    o.raw_str("type", event.kind.name());
    match &event.kind {
        EventKind::Dispatched { to: Some(to) } => o.escaped("to", to.as_str()),
        EventKind::Paused { reason } => o.raw_str("reason", reason.as_str()),
        EventKind::Callback { satisfied } => {
            o.key("satisfied");
            o.out
                .extend_from_slice(if *satisfied { b"true" } else { b"false" });
        }
        EventKind::Artifact { name } => o.raw_str("name", name.as_str()),
        EventKind::NoticeSent {
            channel: Some(channel),
        } => o.raw_str("channel", channel.as_str()),
        EventKind::Rescheduled { work_start } => o.instant("work_start", Some(*work_start), tz),
        EventKind::DelayAgreed { until } => o.instant("until", Some(*until), tz),
        EventKind::RectificationRequired { item } | EventKind::Rectified { item } => {
            o.escaped("item", item.as_str())
        }
        EventKind::Linked { parent } => o.escaped("parent", parent.as_str()),
        EventKind::Alert {
            obligation,
            party,
            due,
            ..
        } => {
            if let Some(obligation) = obligation {
                o.raw_str("obligation", obligation.as_str());
            }
            if let Some(party) = party {
                o.escaped("to", party.as_str());
            }
            o.instant("due", Some(*due), tz);
        }
        _ => {}
    }
    if let Some(by) = &event.by {
        o.escaped("by", by.as_str());
    }
    o.close();
}
