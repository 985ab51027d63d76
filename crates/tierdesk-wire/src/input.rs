//! Reading a ticket from JSON.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use tierdesk_core::{
    AlertKind, Artifact, AssuranceLevel, Category, ChangeType, CustomerLevel, Event, EventKind,
    ItemName, NoticeChannel, ObligationName, Party, PauseReason, PolicyRef, Scope, Ticket,
    TicketId, TicketKind, TicketSpec,
};

/// A ticket that could not be read: where, which field, which ticket, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct WireError {
    /// The ticket's id, when it could be read.
    pub ticket_id: Option<String>,
    /// 1-based line within the given text.
    pub line: usize,
    /// 1-based column within the line.
    pub column: usize,
    /// Field path such as `events[3].reason`, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(id) = &self.ticket_id {
            write!(f, "ticket {id}, ")?;
        }
        write!(f, "line {} column {}", self.line, self.column)?;
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A value parsed with its `FromStr` while deserializing, so that a bad value is
/// reported by serde_json with its position.
struct Parsed<T>(T);

impl<'de, T> Deserialize<'de> for Parsed<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<T: FromStr> Visitor<'_> for V<T>
        where
            T::Err: fmt::Display,
        {
            type Value = Parsed<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                s.parse().map(Parsed).map_err(E::custom)
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

struct Instant(Timestamp);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Instant;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 instant")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Instant, E> {
                if let Some(t) = crate::fast::parse_instant(s) {
                    return Ok(Instant(t));
                }
                s.parse::<Timestamp>().map(Instant).map_err(|e| {
                    E::custom(format!(
                        "{s:?} is not an RFC 3339 instant such as \"2025-09-30T16:00:00+08:00\" ({e})"
                    ))
                })
            }
        }
        d.deserialize_str(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlatEvent {
    at: Instant,
    #[serde(rename = "type")]
    kind: Parsed<EventType>,
    to: Option<Parsed<Party>>,
    by: Option<Parsed<Party>>,
    reason: Option<Parsed<PauseReason>>,
    satisfied: Option<bool>,
    name: Option<Parsed<Artifact>>,
    channel: Option<Parsed<NoticeChannel>>,
    work_start: Option<Instant>,
    until: Option<Instant>,
    item: Option<Parsed<ItemName>>,
    parent: Option<Parsed<TicketId>>,
    obligation: Option<Parsed<ObligationName>>,
    due: Option<Instant>,
    /// Free text (evidence, a comment); kept by the server, ignored by evaluation.
    #[allow(dead_code)]
    note: Option<IgnoredAny>,
}

struct EventType(&'static str);

impl FromStr for EventType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        EventKind::NAMES
            .iter()
            .find(|n| **n == s)
            .map(|n| EventType(n))
            .ok_or_else(|| {
                format!(
                    "unknown event type {s:?}; expected one of: {}",
                    EventKind::NAMES.join(", ")
                )
            })
    }
}

struct EventIn(Event);

impl<'de> Deserialize<'de> for EventIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let flat = FlatEvent::deserialize(d)?;
        flat.into_event().map(EventIn).map_err(de::Error::custom)
    }
}

impl FlatEvent {
    fn into_event(self) -> Result<Event, String> {
        let fields = EventFields {
            to: self.to.map(|p| p.0),
            reason: self.reason.map(|r| r.0),
            satisfied: self.satisfied,
            name: self.name.map(|n| n.0),
            channel: self.channel.map(|c| c.0),
            work_start: self.work_start.map(|w| w.0),
            until: self.until.map(|w| w.0),
            item: self.item.map(|i| i.0),
            parent: self.parent.map(|p| p.0),
            obligation: self.obligation.map(|o| o.0),
            due: self.due.map(|w| w.0),
        };
        let kind = event_kind(self.kind.0.0, self.at.0, fields).map_err(|e| e.to_string())?;
        Ok(Event {
            at: self.at.0,
            kind,
            by: self.by.map(|p| p.0),
        })
    }
}

/// The kind-specific fields an event may carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFields {
    /// `to` of a dispatch.
    pub to: Option<Party>,
    /// `reason` of a pause.
    pub reason: Option<PauseReason>,
    /// `satisfied` of a callback.
    pub satisfied: Option<bool>,
    /// `name` of an artefact.
    pub name: Option<Artifact>,
    /// `channel` of a notice.
    pub channel: Option<NoticeChannel>,
    /// `work_start` of a reschedule.
    pub work_start: Option<Timestamp>,
    /// `until` of an agreed delay.
    pub until: Option<Timestamp>,
    /// `item` of a rectification.
    pub item: Option<ItemName>,
    /// `parent` of a link.
    pub parent: Option<TicketId>,
    /// `obligation` of an alert.
    pub obligation: Option<ObligationName>,
    /// `due` of an alert.
    pub due: Option<Timestamp>,
}

/// An event type and its fields that do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EventFieldError {
    /// The field at fault (`type` when the type itself is unknown).
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Builds an event kind from its type name and fields: each type requires the
/// fields it needs and refuses those it does not take. `at` is when the event
/// happened: the due instant of an escalation recorded without one.
///
/// # Errors
/// [`EventFieldError`] naming the field: unknown type, missing or unexpected field.
///
/// # Example
/// ```
/// use tierdesk_wire::{EventFields, event_kind};
/// let at = "2025-09-30T08:00:00Z".parse().unwrap();
/// assert!(event_kind("paused", at, EventFields::default()).unwrap_err().to_string().contains("needs a reason"));
/// let e = event_kind("resumed", at, EventFields { satisfied: Some(true), ..EventFields::default() }).unwrap_err();
/// assert_eq!((e.field, e.message.as_str()), ("satisfied", "a resumed event does not take `satisfied`"));
/// ```
pub fn event_kind(ty: &str, at: Timestamp, f: EventFields) -> Result<EventKind, EventFieldError> {
    let missing = |field: &'static str, message: &str| EventFieldError {
        field,
        message: message.to_owned(),
    };
    let present = [
        ("to", f.to.is_some()),
        ("reason", f.reason.is_some()),
        ("satisfied", f.satisfied.is_some()),
        ("name", f.name.is_some()),
        ("channel", f.channel.is_some()),
        ("work_start", f.work_start.is_some()),
        ("until", f.until.is_some()),
        ("item", f.item.is_some()),
        ("parent", f.parent.is_some()),
        ("obligation", f.obligation.is_some()),
        ("due", f.due.is_some()),
    ];
    let alert = |alert: AlertKind, f: EventFields| -> Result<EventKind, EventFieldError> {
        let due = match (f.due, alert) {
            (Some(due), _) => due,
            (None, AlertKind::Escalation) => at,
            (None, _) => {
                return Err(missing(
                    "due",
                    "an alert event needs due, the instant it is about (RFC 3339)",
                ));
            }
        };
        Ok(EventKind::Alert {
            alert,
            obligation: f.obligation,
            party: f.to,
            due,
        })
    };
    let item = |f: &EventFields, ty: &str| {
        f.item.clone().ok_or_else(|| {
            missing(
                "item",
                &format!("a {ty} event needs item, the name of the acceptance item"),
            )
        })
    };
    let (kind, takes): (EventKind, &[&str]) = match ty {
        "reported" => (EventKind::Reported, &[]),
        "alarm" => (EventKind::Alarm, &[]),
        "opened" => (EventKind::Opened, &[]),
        "dispatched" => (EventKind::Dispatched { to: f.to.clone() }, &["to"]),
        "accepted" => (EventKind::Accepted, &[]),
        "paused" => {
            let reason = f.reason.ok_or_else(|| {
                missing(
                    "reason",
                    "a paused event needs a reason: customer, interconnection or other",
                )
            })?;
            (EventKind::Paused { reason }, &["reason"])
        }
        "resumed" => (EventKind::Resumed, &[]),
        "feedback" => (EventKind::Feedback, &[]),
        "restored" => (EventKind::Restored, &[]),
        "resolved" => (EventKind::Resolved, &[]),
        "completed" => (EventKind::Completed, &[]),
        "report_requested" => (EventKind::ReportRequested, &[]),
        "report_sent" => (EventKind::ReportSent, &[]),
        "callback" => {
            let satisfied = f.satisfied.ok_or_else(|| {
                missing(
                    "satisfied",
                    "a callback event needs satisfied: true or false",
                )
            })?;
            (EventKind::Callback { satisfied }, &["satisfied"])
        }
        "closed" => (EventKind::Closed, &[]),
        "construction_completed" => (EventKind::ConstructionCompleted, &[]),
        "initial_acceptance" => (EventKind::InitialAcceptance, &[]),
        "final_acceptance" => (EventKind::FinalAcceptance, &[]),
        "artifact" => {
            let name = f.name.ok_or_else(|| {
                missing("name", "an artifact event needs a name: delivery_report, delivery_test_report, maintenance_staff or satisfaction_survey")
            })?;
            (EventKind::Artifact { name }, &["name"])
        }
        "delivered" => (EventKind::Delivered, &[]),
        "survey_completed" => (EventKind::SurveyCompleted, &[]),
        "notice_sent" => (EventKind::NoticeSent { channel: f.channel }, &["channel"]),
        "customer_confirmed" => (EventKind::CustomerConfirmed, &[]),
        "rescheduled" => {
            let work_start = f.work_start.ok_or_else(|| {
                missing(
                    "work_start",
                    "a rescheduled event needs work_start, the new start (RFC 3339)",
                )
            })?;
            (EventKind::Rescheduled { work_start }, &["work_start"])
        }
        "work_started" => (EventKind::WorkStarted, &[]),
        "work_finished" => (EventKind::WorkFinished, &[]),
        "post_work_confirmed" => (EventKind::PostWorkConfirmed, &[]),
        "cancelled" => (EventKind::Cancelled, &[]),
        "rejected" => (EventKind::Rejected, &[]),
        "prescreened" => (EventKind::Prescreened, &[]),
        "backfilled" => (EventKind::Backfilled, &[]),
        "objected" => (EventKind::Objected, &[]),
        "delay_agreed" => {
            let until = f.until.ok_or_else(|| {
                missing(
                    "until",
                    "a delay_agreed event needs until, the agreed date (RFC 3339)",
                )
            })?;
            (EventKind::DelayAgreed { until }, &["until"])
        }
        "rectification_required" => (
            EventKind::RectificationRequired {
                item: item(&f, ty)?,
            },
            &["item"],
        ),
        "rectified" => (
            EventKind::Rectified {
                item: item(&f, ty)?,
            },
            &["item"],
        ),
        "linked" => {
            let parent = f.parent.clone().ok_or_else(|| {
                missing(
                    "parent",
                    "a linked event needs parent, the parent ticket's id",
                )
            })?;
            (EventKind::Linked { parent }, &["parent"])
        }
        "sla_warning" => (
            alert(AlertKind::Warning, f.clone())?,
            &["to", "obligation", "due"],
        ),
        "sla_breached" => (
            alert(AlertKind::Breach, f.clone())?,
            &["to", "obligation", "due"],
        ),
        "sla_reminder" => (
            alert(AlertKind::Reminder, f.clone())?,
            &["to", "obligation", "due"],
        ),
        "escalated" => (alert(AlertKind::Escalation, f.clone())?, &["to", "due"]),
        other => {
            return Err(EventFieldError {
                field: "type",
                message: format!(
                    "unknown event type {other:?}; expected one of: {}",
                    EventKind::NAMES.join(", ")
                ),
            });
        }
    };
    if let Some((field, _)) = present
        .iter()
        .find(|(field, given)| *given && !takes.contains(field))
    {
        return Err(EventFieldError {
            field,
            message: format!("a {ty} event does not take `{field}`"),
        });
    }
    Ok(kind)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyIn {
    name: String,
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlatTicket {
    id: Parsed<TicketId>,
    kind: Parsed<TicketKind>,
    customer_level: Parsed<CustomerLevel>,
    assurance_level: Option<Parsed<AssuranceLevel>>,
    category: Option<Parsed<Category>>,
    scope: Option<Parsed<Scope>>,
    change_type: Option<Parsed<ChangeType>>,
    work_start: Option<Instant>,
    #[serde(default)]
    emergency: bool,
    #[serde(default)]
    terminal: bool,
    operator_equipment: Option<bool>,
    circuit: Option<String>,
    policy: Option<PolicyIn>,
    #[serde(default)]
    green_channel: bool,
    #[serde(default)]
    full_outage: bool,
    #[serde(default, deserialize_with = "events")]
    events: Vec<EventIn>,
}

/// Events into a vector sized for a typical history, rather than grown 1, 2, 4, 8.
fn events<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<EventIn>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<EventIn>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of events")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(16).min(1024));
            while let Some(e) = seq.next_element()? {
                out.push(e);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

/// Reads one ticket from JSON (one object).
///
/// # Errors
/// [`WireError`] naming the ticket id (when readable), the line and column, the field
/// and the problem: malformed JSON, an unknown level or event type, a malformed
/// instant, an event of the wrong kind, a resume without a pause, …
///
/// # Example
/// ```
/// let t = tierdesk_wire::parse_ticket(br#"{"id":"C-1","kind":"complaint","customer_level":"gold","scope":"city",
///   "events":[{"at":"2025-09-30T16:00:00+08:00","type":"reported"}]}"#).unwrap();
/// assert_eq!(t.spec().id.as_str(), "C-1");
///
/// let err = tierdesk_wire::parse_ticket(br#"{"id":"C-1","kind":"complaint","customer_level":"gold","scope":"city",
///   "events":[{"at":"2025-09-30T16:00:00+08:00","type":"restored"}]}"#).unwrap_err();
/// assert_eq!(err.field.as_deref(), Some("events[0].type"));
/// ```
pub fn parse_ticket(json: &[u8]) -> Result<Ticket, WireError> {
    // Tracking the field path costs time on every ticket; only a rejected one needs it.
    // Checking UTF-8 once for the whole line lets serde_json skip it string by string.
    let fast = std::str::from_utf8(json)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str::<FlatTicket>(text).map_err(|e| e.to_string()));
    let flat = match fast {
        Ok(flat) => Ok(flat),
        Err(_) => {
            let mut de = serde_json::Deserializer::from_slice(json);
            serde_path_to_error::deserialize::<_, FlatTicket>(&mut de)
                .and_then(|t| de.end().map(|()| t).map_err(path_error))
        }
    };
    let json_error = |path: Option<String>, inner: serde_json::Error| {
        let path = path.filter(|p| p != "." && !p.is_empty());
        // A whole event rejected after it was read: serde_json stands past its end by
        // then, so point at the event itself.
        let (line, column) = match path.as_deref() {
            Some(p) if p.starts_with("events[") && p.ends_with(']') => locate_field(json, p),
            _ => (inner.line(), inner.column()),
        };
        WireError {
            ticket_id: ticket_id_of(json),
            line,
            column,
            field: path,
            message: strip_position(&inner.to_string()),
        }
    };
    let flat = match flat {
        Ok(flat) => flat,
        Err(e) => {
            let path = e.path().to_string();
            return Err(json_error(Some(path), e.into_inner()));
        }
    };
    let id = flat.id.0.clone();
    let spec = TicketSpec {
        id: flat.id.0,
        kind: flat.kind.0,
        customer_level: flat.customer_level.0,
        assurance_level: flat.assurance_level.map(|p| p.0),
        category: flat.category.map(|p| p.0),
        scope: flat.scope.map(|p| p.0),
        change_type: flat.change_type.map(|p| p.0),
        work_start: flat.work_start.map(|i| i.0),
        emergency: flat.emergency,
        terminal: flat.terminal,
        operator_equipment: flat.operator_equipment.unwrap_or(true),
        circuit: flat.circuit,
        policy: flat.policy.map(|p| PolicyRef {
            name: p.name,
            version: p.version,
        }),
        green_channel: flat.green_channel,
        full_outage: flat.full_outage,
    };
    let events = flat.events.into_iter().map(|e| e.0).collect();
    Ticket::new(spec, events).map_err(|e| {
        let (line, column) = locate_field(json, &e.field);
        WireError {
            ticket_id: Some(id.to_string()),
            line,
            column,
            field: Some(e.field),
            message: e.message,
        }
    })
}

/// A trailing-garbage error carries no field path.
fn path_error(e: serde_json::Error) -> serde_path_to_error::Error<serde_json::Error> {
    serde_path_to_error::Error::new(serde_path_to_error::Track::new().path(), e)
}

/// serde_json appends " at line L column C"; the position has its own fields.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The id of a ticket that failed to parse, if the JSON is sound enough to find it.
fn ticket_id_of(json: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<IdOnly>(json).ok()?.id? {
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// Line and column of a field named by a core error (`scope`, `events[3].type`),
/// found by re-reading the JSON; the start of the text when it cannot be found.
fn locate_field(json: &[u8], field: &str) -> (usize, usize) {
    let text = String::from_utf8_lossy(json);
    let offset = locate_offset(&text, field).unwrap_or(0);
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn locate_offset(text: &str, field: &str) -> Option<usize> {
    if let Some(rest) = field.strip_prefix("events[") {
        let (index, _) = rest.split_once(']')?;
        let index: usize = index.parse().ok()?;
        let events_key = text.find("\"events\"")?;
        let mut depth = 0i32;
        let mut count = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in text[events_key..].char_indices() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '[' | '{' => {
                    depth += 1;
                    if c == '{' && depth == 2 {
                        if count == index {
                            return Some(events_key + i);
                        }
                        count += 1;
                    }
                }
                ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return None;
                    }
                }
                _ => {}
            }
        }
        None
    } else {
        text.find(&format!("\"{field}\""))
    }
}
