//! Notifications: which news of a ticket goes where (channels configured per
//! role and customer, TMF621 hub listeners, department leadership), enqueued in
//! the same transaction as the ticket change (the outbox), then delivered by
//! [`worker`] with retries, backoff and a dead-letter list.

pub mod deliver;
pub mod message;
pub mod worker;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tierdesk_core::{AlertKind, EventKind, Status, TicketKind};
use tierdesk_store::{
    Channel, ChannelKind, Id, NewEvent, NewNotification, Store, StoreError, Subscription,
    TicketHeader, Topic,
};

use crate::state::AppState;

/// Channels and hub subscriptions, read from the store at most every [`Directory::TTL`]:
/// every ticket write consults them. A change on this instance clears it at once;
/// other instances sharing the database see it within the TTL.
#[derive(Default)]
pub struct Directory {
    cached: Mutex<Option<(Instant, Listeners)>>,
}

/// Where news can go.
#[derive(Debug, Clone, Default)]
pub struct Listeners {
    /// Notification channels.
    pub channels: Vec<Channel>,
    /// TMF621 hub subscriptions.
    pub subscriptions: Vec<Subscription>,
}

impl Directory {
    /// How long a read is trusted.
    pub const TTL: Duration = Duration::from_secs(10);

    /// The listeners, from memory when read recently.
    ///
    /// # Errors
    /// The store's, when it must be read and cannot be.
    pub async fn listeners(&self, store: &dyn Store) -> Result<Listeners, StoreError> {
        if let Ok(cached) = self.cached.lock()
            && let Some((at, listeners)) = cached.as_ref()
            && at.elapsed() < Self::TTL
        {
            return Ok(listeners.clone());
        }
        let listeners = Listeners {
            channels: store.channels().await?,
            subscriptions: store.subscriptions().await?,
        };
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some((Instant::now(), listeners.clone()));
        }
        Ok(listeners)
    }

    /// Forgets what was read (after a change on this instance).
    pub fn clear(&self) {
        if let Ok(mut cached) = self.cached.lock() {
            *cached = None;
        }
    }
}

/// A fresh notification id: sortable by creation (time first), unique across instances.
pub fn new_id(now: jiff::Timestamp) -> Result<Id, crate::problem::Problem> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes)
        .map_err(|e| crate::problem::Problem::internal(format!("no randomness: {e}")))?;
    format!("n-{:013x}-{}", now.as_millisecond(), hex::encode(bytes))
        .parse()
        .map_err(crate::problem::Problem::internal)
}

/// The TMF621 event type of a topic, if the hub carries it.
pub fn hub_event_type(topic: Topic) -> Option<&'static str> {
    match topic {
        Topic::Opened => Some("TroubleTicketCreateEvent"),
        Topic::StatusChanged => Some("TroubleTicketStatusChangeEvent"),
        Topic::Resolved => Some("TroubleTicketResolvedEvent"),
        _ => None,
    }
}

/// Whether a hub subscription's query (e.g. `eventType=TroubleTicketResolvedEvent`)
/// wants an event type.
pub fn hub_wants(sub: &Subscription, event_type: &str) -> bool {
    let Some(query) = &sub.query else { return true };
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(k, _)| *k == "eventType")
        .all(|(_, v)| v.split(',').any(|t| t.trim() == event_type))
}

/// What a write changed, as far as notifications care.
pub struct Change<'a> {
    /// The ticket.
    pub header: &'a TicketHeader,
    /// Its status before the write (`None`: the write opened it).
    pub before: Option<Status>,
    /// Its status after.
    pub after: Status,
    /// The events written.
    pub events: &'a [NewEvent],
}

/// The topics of a change, each with the written event that caused it.
fn topics(change: &Change<'_>) -> Vec<(Topic, Option<usize>)> {
    let mut out = Vec::new();
    match change.before {
        None => out.push((Topic::Opened, None)),
        Some(before) if before != change.after => {
            out.push((Topic::StatusChanged, None));
            if change.after == Status::Resolved {
                out.push((Topic::Resolved, None));
            }
        }
        Some(_) => {}
    }
    for (i, e) in change.events.iter().enumerate() {
        if let EventKind::Alert { alert, .. } = e.kind {
            let topic = match alert {
                AlertKind::Warning => Topic::Warning,
                AlertKind::Breach => Topic::Breach,
                AlertKind::Reminder => Topic::Reminder,
                AlertKind::Escalation => Topic::Escalation,
            };
            out.push((topic, Some(i)));
        }
    }
    out
}

/// The notifications a change causes: one per interested channel and hub
/// listener, and an e-mail to the leadership of the departments concerned for
/// each escalation (when an SMTP server is configured).
///
/// # Errors
/// When the listeners cannot be read, or no id can be made.
pub async fn outbox(
    state: &AppState,
    change: &Change<'_>,
) -> Result<Vec<NewNotification>, crate::problem::Problem> {
    let topics = topics(change);
    if topics.is_empty() {
        return Ok(Vec::new());
    }
    let listeners = state.directory.listeners(state.store.as_ref()).await?;
    let now = state.now();
    let mut out = Vec::new();
    let customer = &change.header.customer_id;
    let tmf = matches!(
        change.header.kind,
        TicketKind::Fault | TicketKind::Complaint
    );
    for (topic, event_index) in topics {
        for c in listeners
            .channels
            .iter()
            .filter(|c| c.wants(customer, topic))
        {
            let target = match c.kind {
                ChannelKind::Webhook | ChannelKind::Hub => c.url.clone().unwrap_or_default(),
                ChannelKind::Email => {
                    let mut to = c.email_to.clone();
                    if let Some(role) = c.role {
                        to.push(format!("role:{role}"));
                    }
                    to.join(",")
                }
            };
            out.push(NewNotification {
                id: new_id(now)?,
                topic,
                kind: c.kind,
                channel_id: Some(c.id.clone()),
                target,
                language: c.language,
                event_index,
            });
        }
        if tmf && let Some(event_type) = hub_event_type(topic) {
            for sub in listeners
                .subscriptions
                .iter()
                .filter(|s| hub_wants(s, event_type))
            {
                out.push(NewNotification {
                    id: new_id(now)?,
                    topic,
                    kind: ChannelKind::Hub,
                    channel_id: Some(sub.id.clone()),
                    target: sub.callback.clone(),
                    language: state.settings.language,
                    event_index,
                });
            }
        }
        if topic == Topic::Escalation && state.settings.smtp_url.is_some() {
            out.push(NewNotification {
                id: new_id(now)?,
                topic,
                kind: ChannelKind::Email,
                channel_id: None,
                target: "leaders".to_owned(),
                language: state.settings.language,
                event_index,
            });
        }
    }
    Ok(out)
}
