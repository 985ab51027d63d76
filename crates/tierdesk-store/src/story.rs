//! The story every backend must tell the same way: each function is one
//! behaviour, run by each backend's tests on a fresh, empty store
//! (see [`crate::story_tests`]).
//!
//! The projection function here is a stand-in that counts events and takes the
//! status from the last one: the store must run whatever function it is given,
//! inside the write's transaction; evaluation itself is tested elsewhere.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use tierdesk_core::{
    AlertKind, AssuranceLevel, Category, CustomerLevel, EventKind, ObligationName, PauseReason,
    PolicyRef, Role, Scope, Stage, Status, TicketKind, Timer,
};

use crate::*;

fn t(s: &str) -> Timestamp {
    s.parse().expect("test instant")
}

fn id(s: &str) -> Id {
    s.parse().expect("test id")
}

const NOW: &str = "2025-06-03T02:00:00Z";

/// A projection that depends on the whole history, so a test can see it ran.
pub fn count_project(_: &TicketHeader, events: &[StoredEvent]) -> Result<Projection, String> {
    if events.iter().any(|e| e.note.as_deref() == Some("refuse")) {
        return Err("refused by the projection".to_owned());
    }
    let status = match events.last().map(|e| &e.kind) {
        Some(EventKind::Closed) => Status::Closed,
        Some(EventKind::Restored) => Status::Resolved,
        Some(EventKind::Paused { .. }) => Status::Pending,
        Some(_) if events.len() > 1 => Status::InProgress,
        _ => Status::Acknowledged,
    };
    let first = events.first().map(|e| e.at);
    Ok(Projection {
        status,
        next_due: first.map(|f| {
            f.checked_add(SignedDuration::from_hours(events.len() as i64))
                .unwrap_or(f)
        }),
        breached: events.iter().any(|e| e.note.as_deref() == Some("breach")),
        departments: events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Dispatched { to: Some(to) } => Some(to.to_string()),
                _ => None,
            })
            .collect(),
        evaluation_json: format!("{{\"events\":{}}}", events.len()),
        evaluated_at: t(NOW),
        stage: if status == Status::Closed {
            Stage::Closed
        } else {
            Stage::InProgress
        },
        parent: events.iter().rev().find_map(|e| match &e.kind {
            EventKind::Linked { parent } => Some(parent.clone()),
            _ => None,
        }),
        // One breach timer an hour per event after the first, until one fires.
        timers: first
            .filter(|_| {
                !events
                    .iter()
                    .any(|e| matches!(e.kind, EventKind::Alert { .. }))
            })
            .map(|f| {
                let at = f
                    .checked_add(SignedDuration::from_hours(events.len() as i64))
                    .unwrap_or(f);
                vec![Timer {
                    alert: AlertKind::Breach,
                    obligation: Some(ObligationName::Restore),
                    party: None,
                    due: at,
                    fire_at: at,
                }]
            })
            .unwrap_or_default(),
    })
}

/// Reference data every ticket story needs: two customers, a service each, a
/// department and two users.
pub async fn seed(store: &Arc<dyn Store>) {
    let now = t(NOW);
    for (cid, level) in [
        ("CUS-A", CustomerLevel::Gold),
        ("CUS-B", CustomerLevel::Bronze),
    ] {
        store
            .create_customer(
                &Customer {
                    id: id(cid),
                    name: format!("Customer {cid}"),
                    level,
                    account_manager: None,
                    contact_email: Some(format!("{cid}@example.com")),
                    contact_phone: None,
                },
                now,
            )
            .await
            .expect("customer");
        store
            .create_service(
                &Service {
                    id: id(&format!("SVC-{cid}")),
                    customer_id: id(cid),
                    name: "Internet line".into(),
                    category: Category::DedicatedLine,
                    assurance_level: None,
                    scope: Scope::City,
                    endpoints: vec!["Site 1".into(), "Site 2".into()],
                },
                now,
            )
            .await
            .expect("service");
    }
    store
        .create_department(
            &Department {
                id: id("ops"),
                name: "Operations".into(),
                kind: DepartmentKind::Operations,
                leader_email: None,
            },
            now,
        )
        .await
        .expect("department");
    for (uid, role, customer) in [
        ("alice", Role::Operations, None),
        ("bob", Role::Customer, Some(id("CUS-A"))),
    ] {
        store
            .create_user(
                &User {
                    id: id(uid),
                    name: uid.into(),
                    role,
                    customer_id: customer,
                    department_id: None,
                    email: None,
                    password_hash: None,
                    disabled: false,
                },
                now,
            )
            .await
            .expect("user");
    }
}

fn header(ticket: &str, customer: &str) -> TicketHeader {
    TicketHeader {
        id: ticket.parse().expect("ticket id"),
        kind: TicketKind::Fault,
        customer_id: id(customer),
        service_id: Some(id(&format!("SVC-{customer}"))),
        circuit_id: None,
        customer_level: CustomerLevel::Gold,
        assurance_level: AssuranceLevel::AAA,
        category: Some(Category::DedicatedLine),
        scope: Some(Scope::City),
        change_type: None,
        work_start: None,
        emergency: false,
        terminal: false,
        operator_equipment: true,
        full_outage: false,
        policy: PolicyRef {
            name: "p".into(),
            version: "1".into(),
        },
        title: "Line down".into(),
        description: String::new(),
        green_channel: false,
        created_by: id("alice"),
        created_at: t(NOW),
    }
}

fn event(at: &str, kind: EventKind) -> NewEvent {
    NewEvent {
        at: t(at),
        kind,
        by: None,
        note: None,
    }
}

async fn open(
    store: &Arc<dyn Store>,
    ticket: &str,
    customer: &str,
    reported: &str,
) -> TicketRecord {
    store
        .open_ticket(
            OpenRequest {
                header: &header(ticket, customer),
                events: &[event(reported, EventKind::Reported)],
                actor: &id("alice"),
                now: t(NOW),
                idempotency: None,
                outbox: &[],
            },
            &count_project,
        )
        .await
        .expect("open ticket")
}

/// Reference records round-trip, update with version checks, and refuse dangling references.
pub async fn reference_data_round_trips_with_versions(store: Arc<dyn Store>) {
    seed(&store).await;
    let staff = Viewer::Staff;
    let got = store
        .customer(&id("CUS-A"), &staff)
        .await
        .expect("read back");
    assert_eq!(got.record.level, CustomerLevel::Gold);
    assert_eq!(got.stamps.version, 1);

    let mut changed = got.record.clone();
    changed.name = "Renamed".into();
    let later = t("2025-06-04T00:00:00Z");
    let updated = store
        .update_customer(&changed, Some(1), later)
        .await
        .expect("update at version 1");
    assert_eq!(
        (updated.stamps.version, updated.stamps.updated_at),
        (2, later)
    );
    let stale = store
        .update_customer(&changed, Some(1), later)
        .await
        .unwrap_err();
    assert!(
        matches!(
            stale,
            StoreError::VersionMismatch {
                expected: 1,
                actual: 2,
                ..
            }
        ),
        "{stale}"
    );
    assert!(matches!(
        store
            .update_customer(
                &Customer {
                    id: id("NOPE"),
                    ..changed.clone()
                },
                None,
                later
            )
            .await,
        Err(StoreError::NotFound { .. })
    ));

    let services = store
        .services(&staff, Some(&id("CUS-A")))
        .await
        .expect("services");
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].record.endpoints, ["Site 1", "Site 2"]);

    let dangling = Service {
        id: id("SVC-X"),
        customer_id: id("NOPE"),
        ..services[0].record.clone()
    };
    assert!(matches!(
        store.create_service(&dangling, later).await,
        Err(StoreError::Reference(_))
    ));
    let duplicate = store.create_customer(&changed, later).await.unwrap_err();
    assert!(
        matches!(duplicate, StoreError::AlreadyExists { .. }),
        "{duplicate}"
    );

    let circuit = Circuit {
        id: id("CIR-1"),
        service_id: id("SVC-CUS-A"),
        customer_id: id("ignored"),
        a_end: "A".into(),
        z_end: "Z".into(),
        bandwidth: Some("100M".into()),
    };
    let created = store
        .create_circuit(&circuit, later)
        .await
        .expect("circuit");
    assert_eq!(
        created.record.customer_id,
        id("CUS-A"),
        "a circuit's customer is its service's"
    );

    // A customer still referred to cannot be deleted; one with nothing attached can.
    assert!(matches!(
        store.delete_customer(&id("CUS-A"), None).await,
        Err(StoreError::Reference(_))
    ));
    store
        .delete_circuit(&id("CIR-1"), Some(1))
        .await
        .expect("delete circuit");
    assert!(matches!(
        store.circuit(&id("CIR-1"), &staff).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// A customer viewer sees only its own customer, services and tickets.
pub async fn customer_viewers_see_only_their_own_data(store: Arc<dyn Store>) {
    seed(&store).await;
    open(&store, "T-A", "CUS-A", "2025-06-03T01:00:00Z").await;
    open(&store, "T-B", "CUS-B", "2025-06-03T01:00:00Z").await;
    let a = Viewer::Customer(id("CUS-A"));
    assert_eq!(store.customers(&a).await.expect("customers").len(), 1);
    assert!(matches!(
        store.customer(&id("CUS-B"), &a).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.service(&id("SVC-CUS-B"), &a).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.services(&a, None).await.expect("services").len(), 1);
    assert!(store.ticket(&"T-A".parse().expect("id"), &a).await.is_ok());
    assert!(matches!(
        store.ticket(&"T-B".parse().expect("id"), &a).await,
        Err(StoreError::NotFound { .. })
    ));
    let listed = store
        .tickets(&TicketFilter::default(), &a, t(NOW), None, 100)
        .await
        .expect("list");
    assert_eq!(
        listed
            .iter()
            .map(|s| s.header.id.as_str())
            .collect::<Vec<_>>(),
        ["T-A"]
    );
    // Even asking for the other customer explicitly returns nothing.
    let other = TicketFilter {
        customer_id: Some(id("CUS-B")),
        ..TicketFilter::default()
    };
    assert!(
        store
            .tickets(&other, &a, t(NOW), None, 100)
            .await
            .expect("list")
            .is_empty()
    );
}

/// Events append in order with the caller's projection; a stale version or a
/// refused projection writes nothing.
pub async fn appending_events_is_versioned_and_all_or_nothing(store: Arc<dyn Store>) {
    seed(&store).await;
    let opened = open(&store, "T-1", "CUS-A", "2025-06-03T01:00:00Z").await;
    assert_eq!(opened.version, 1);
    assert_eq!(opened.projection.evaluation_json, "{\"events\":1}");
    let tid = "T-1".parse().expect("id");
    let two = [
        event(
            "2025-06-03T01:05:00Z",
            EventKind::Dispatched {
                to: Some("ops".parse().expect("party")),
            },
        ),
        NewEvent {
            note: Some("evidence: call log".into()),
            ..event(
                "2025-06-03T01:10:00Z",
                EventKind::Paused {
                    reason: PauseReason::Customer,
                },
            )
        },
    ];
    let appended = store
        .append_events(
            AppendRequest {
                id: &tid,
                expected: Some(1),
                events: &two,
                actor: &id("alice"),
                now: t(NOW),
                idempotency: None,
                outbox: &[],
                read: None,
            },
            &count_project,
        )
        .await
        .expect("append");
    assert_eq!(appended.version, 3);
    assert_eq!(
        appended.events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(appended.projection.status, Status::Pending);
    assert_eq!(appended.projection.departments, ["ops"]);

    let stale = store
        .append_events(
            AppendRequest {
                id: &tid,
                expected: Some(1),
                events: &two,
                actor: &id("alice"),
                now: t(NOW),
                idempotency: None,
                outbox: &[],
                read: None,
            },
            &count_project,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            stale,
            StoreError::VersionMismatch {
                expected: 1,
                actual: 3,
                ..
            }
        ),
        "{stale}"
    );
    let refused = [NewEvent {
        note: Some("refuse".into()),
        ..event("2025-06-03T01:20:00Z", EventKind::Resumed)
    }];
    let err = store
        .append_events(
            AppendRequest {
                id: &tid,
                expected: None,
                events: &refused,
                actor: &id("alice"),
                now: t(NOW),
                idempotency: None,
                outbox: &[],
                read: None,
            },
            &count_project,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Rejected(ref m) if m == "refused by the projection"),
        "{err}"
    );

    let read = store.ticket(&tid, &Viewer::Staff).await.expect("read");
    assert_eq!(read.version, 3, "nothing of the refused append was written");
    assert_eq!(read.events, appended.events);
    assert_eq!(
        read.events[2].kind,
        EventKind::Paused {
            reason: PauseReason::Customer
        }
    );
    assert_eq!(read.events[2].note.as_deref(), Some("evidence: call log"));
    assert_eq!(read.events[1].actor, id("alice"));
    // Timers go to the scheduler's queue and are not read back with the ticket.
    let mut written = appended.projection.clone();
    written.timers.clear();
    assert_eq!(read.projection, written);
}

/// An append that carries a stale read (another write came in between) still
/// writes the whole history: the store notices and derives from the current one.
pub async fn a_stale_read_still_appends_onto_the_current_history(store: Arc<dyn Store>) {
    seed(&store).await;
    open(&store, "T-1", "CUS-A", "2025-06-03T01:00:00Z").await;
    let tid = "T-1".parse().expect("id");
    let stale = store.ticket(&tid, &Viewer::Staff).await.expect("read");
    let first = [event("2025-06-03T01:10:00Z", EventKind::Feedback)];
    let fresh = AppendRequest {
        id: &tid,
        expected: None,
        events: &first,
        actor: &id("alice"),
        now: t(NOW),
        idempotency: None,
        outbox: &[],
        read: Some(&stale),
    };
    assert_eq!(
        store
            .append_events(fresh, &count_project)
            .await
            .expect("append")
            .version,
        2
    );
    let second = [event("2025-06-03T01:20:00Z", EventKind::Restored)];
    let late = AppendRequest {
        id: &tid,
        expected: None,
        events: &second,
        actor: &id("alice"),
        now: t(NOW),
        idempotency: None,
        outbox: &[],
        read: Some(&stale),
    };
    let done = store
        .append_events(late, &count_project)
        .await
        .expect("append with a stale read");
    assert_eq!(done.version, 3);
    assert_eq!(
        done.events
            .iter()
            .map(|e| e.kind.clone())
            .collect::<Vec<_>>(),
        [
            EventKind::Reported,
            EventKind::Feedback,
            EventKind::Restored
        ]
    );
    assert_eq!(
        done.projection.evaluation_json, "{\"events\":3}",
        "derived from the whole current history"
    );
    let read = store.ticket(&tid, &Viewer::Staff).await.expect("read");
    assert_eq!(
        (read.version, read.projection.status),
        (3, Status::Resolved)
    );
    // A stale read with If-Match of that stale version is refused.
    let third = [event("2025-06-03T01:30:00Z", EventKind::Closed)];
    let refused = AppendRequest {
        id: &tid,
        expected: Some(1),
        events: &third,
        actor: &id("alice"),
        now: t(NOW),
        idempotency: None,
        outbox: &[],
        read: Some(&stale),
    };
    assert!(matches!(
        store.append_events(refused, &count_project).await,
        Err(StoreError::VersionMismatch {
            expected: 1,
            actual: 3,
            ..
        })
    ));
}

/// Every event kind and its data survives storage.
pub async fn every_event_kind_round_trips(store: Arc<dyn Store>) {
    seed(&store).await;
    open(&store, "T-ALL", "CUS-A", "2025-06-03T01:00:00Z").await;
    use tierdesk_core::{Artifact, NoticeChannel};
    let kinds = [
        EventKind::Alarm,
        EventKind::Opened,
        EventKind::Dispatched { to: None },
        EventKind::Accepted,
        EventKind::Paused {
            reason: PauseReason::Interconnection,
        },
        EventKind::Resumed,
        EventKind::Feedback,
        EventKind::Restored,
        EventKind::Resolved,
        EventKind::Completed,
        EventKind::ReportRequested,
        EventKind::ReportSent,
        EventKind::Callback { satisfied: false },
        EventKind::ConstructionCompleted,
        EventKind::InitialAcceptance,
        EventKind::FinalAcceptance,
        EventKind::Artifact {
            name: Artifact::SatisfactionSurvey,
        },
        EventKind::Delivered,
        EventKind::SurveyCompleted,
        EventKind::NoticeSent {
            channel: Some(NoticeChannel::Letter),
        },
        EventKind::NoticeSent { channel: None },
        EventKind::CustomerConfirmed,
        EventKind::Rescheduled {
            work_start: t("2025-07-01T01:30:00.5Z"),
        },
        EventKind::WorkStarted,
        EventKind::WorkFinished,
        EventKind::PostWorkConfirmed,
        EventKind::Cancelled,
        EventKind::Rejected,
        EventKind::Prescreened,
        EventKind::Backfilled,
        EventKind::Objected,
        EventKind::DelayAgreed {
            until: t("2025-06-20T00:00:00Z"),
        },
        EventKind::RectificationRequired {
            item: "splice at site A".parse().expect("item"),
        },
        EventKind::Rectified {
            item: "splice at site A".parse().expect("item"),
        },
        EventKind::Linked {
            parent: "T-PARENT".parse().expect("id"),
        },
        EventKind::Alert {
            alert: AlertKind::Breach,
            obligation: Some(ObligationName::Accept),
            party: Some("ops".parse().expect("party")),
            due: t("2025-06-03T01:10:00.000000001Z"),
        },
        EventKind::Alert {
            alert: AlertKind::Escalation,
            obligation: None,
            party: None,
            due: t("2025-06-03T01:00:00Z"),
        },
        EventKind::Closed,
    ];
    let events: Vec<NewEvent> = kinds
        .iter()
        .map(|k| NewEvent {
            by: Some("someone".parse().expect("party")),
            ..event("2025-06-03T01:30:00.123456789Z", k.clone())
        })
        .collect();
    let tid = "T-ALL".parse().expect("id");
    store
        .append_events(
            AppendRequest {
                id: &tid,
                expected: None,
                events: &events,
                actor: &id("alice"),
                now: t(NOW),
                idempotency: None,
                outbox: &[],
                read: None,
            },
            &count_project,
        )
        .await
        .expect("append");
    let read = store.ticket(&tid, &Viewer::Staff).await.expect("read");
    let back: Vec<EventKind> = read.events.iter().skip(1).map(|e| e.kind.clone()).collect();
    assert_eq!(back, kinds);
    assert_eq!(
        read.events[1].at,
        t("2025-06-03T01:30:00.123456789Z"),
        "nanoseconds survive"
    );
    assert_eq!(
        read.events[1].by.as_ref().map(|p| p.as_str()),
        Some("someone")
    );
}

/// Lists are ordered by next due (none last), paged by keyset, and filtered.
pub async fn ticket_lists_are_ordered_filtered_and_paged(store: Arc<dyn Store>) {
    seed(&store).await;
    // next_due = first event + number of events hours (count_project).
    for (n, reported) in [
        "2025-06-03T05:00:00Z",
        "2025-06-03T01:00:00Z",
        "2025-06-03T03:00:00Z",
        "2025-06-03T02:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        open(
            &store,
            &format!("T-{n}"),
            if n % 2 == 0 { "CUS-A" } else { "CUS-B" },
            reported,
        )
        .await;
    }
    let staff = Viewer::Staff;
    let now = t(NOW);
    let all = store
        .tickets(&TicketFilter::default(), &staff, now, None, 100)
        .await
        .expect("list");
    let order: Vec<&str> = all.iter().map(|s| s.header.id.as_str()).collect();
    assert_eq!(order, ["T-1", "T-3", "T-2", "T-0"]);

    let mut seen = Vec::new();
    let mut cursor: Option<TicketCursor> = None;
    loop {
        let page = store
            .tickets(&TicketFilter::default(), &staff, now, cursor.as_ref(), 3)
            .await
            .expect("page");
        if page.is_empty() {
            break;
        }
        seen.extend(page.iter().map(|s| s.header.id.to_string()));
        let last = page.last().expect("non-empty");
        cursor = Some(TicketCursor {
            rank: None,
            next_due: last.projection.next_due,
            id: last.header.id.to_string(),
        });
    }
    assert_eq!(seen, order);

    // Breached as of now: T-1's next due (02:00) is not before 02:00; later it is.
    let breached = TicketFilter {
        breached: Some(true),
        ..TicketFilter::default()
    };
    assert!(
        store
            .tickets(&breached, &staff, now, None, 100)
            .await
            .expect("list")
            .is_empty()
    );
    let later = t("2025-06-03T03:30:00Z");
    let ids: Vec<String> = store
        .tickets(&breached, &staff, later, None, 100)
        .await
        .expect("list")
        .iter()
        .map(|s| s.header.id.to_string())
        .collect();
    assert_eq!(ids, ["T-1", "T-3"]);
    let not_breached = TicketFilter {
        breached: Some(false),
        ..TicketFilter::default()
    };
    assert_eq!(
        store
            .tickets(&not_breached, &staff, later, None, 100)
            .await
            .expect("list")
            .len(),
        2
    );

    let due_before = TicketFilter {
        due_before: Some(t("2025-06-03T04:30:00Z")),
        ..TicketFilter::default()
    };
    assert_eq!(
        store
            .tickets(&due_before, &staff, now, None, 100)
            .await
            .expect("list")
            .len(),
        3
    );
    let by_customer = TicketFilter {
        customer_id: Some(id("CUS-B")),
        ..TicketFilter::default()
    };
    assert_eq!(
        store
            .tickets(&by_customer, &staff, now, None, 100)
            .await
            .expect("list")
            .len(),
        2
    );

    let tid = "T-2".parse().expect("id");
    store
        .append_events(
            AppendRequest {
                id: &tid,
                expected: None,
                events: &[event(
                    "2025-06-03T03:10:00Z",
                    EventKind::Dispatched {
                        to: Some("ops".parse().expect("party")),
                    },
                )],
                actor: &id("alice"),
                now,
                idempotency: None,
                outbox: &[],
                read: None,
            },
            &count_project,
        )
        .await
        .expect("dispatch");
    store
        .append_events(
            AppendRequest {
                id: &tid,
                expected: None,
                events: &[event("2025-06-03T04:00:00Z", EventKind::Closed)],
                actor: &id("alice"),
                now,
                idempotency: None,
                outbox: &[],
                read: None,
            },
            &count_project,
        )
        .await
        .expect("close");
    let dept = TicketFilter {
        department: Some("ops".into()),
        ..TicketFilter::default()
    };
    assert_eq!(
        store
            .tickets(&dept, &staff, now, None, 100)
            .await
            .expect("list")
            .len(),
        1
    );
    let open_only = TicketFilter {
        open: Some(true),
        ..TicketFilter::default()
    };
    assert_eq!(
        store
            .tickets(&open_only, &staff, now, None, 100)
            .await
            .expect("list")
            .len(),
        3
    );
    let closed = TicketFilter {
        statuses: vec![Status::Closed, Status::Cancelled],
        ..TicketFilter::default()
    };
    assert_eq!(
        store
            .tickets(&closed, &staff, now, None, 100)
            .await
            .expect("list")
            .len(),
        1
    );
    let (counts, breached_now) = store.ticket_counts(later).await.expect("counts");
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<i64>(), 3);
    assert_eq!(breached_now, 2);
}

/// An idempotency key is recorded with the write it belongs to; a second write
/// with the same key is refused and writes nothing.
pub async fn idempotency_keys_are_recorded_with_their_write(store: Arc<dyn Store>) {
    seed(&store).await;
    open(&store, "T-1", "CUS-A", "2025-06-03T01:00:00Z").await;
    let tid = "T-1".parse().expect("id");
    let key = Idempotency {
        user_id: id("alice"),
        key: "k-1".into(),
        request_hash: "h".into(),
        ticket_id: None,
        status: None,
        body: None,
    };
    let feedback = [event("2025-06-03T01:30:00Z", EventKind::Feedback)];
    store
        .append_events(
            AppendRequest {
                id: &tid,
                expected: None,
                events: &feedback,
                actor: &id("alice"),
                now: t(NOW),
                idempotency: Some(&key),
                outbox: &[],
                read: None,
            },
            &count_project,
        )
        .await
        .expect("first");
    let again = store
        .append_events(
            AppendRequest {
                id: &tid,
                expected: None,
                events: &feedback,
                actor: &id("alice"),
                now: t(NOW),
                idempotency: Some(&key),
                outbox: &[],
                read: None,
            },
            &count_project,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(again, StoreError::IdempotencyKeyTaken(_)),
        "{again}"
    );
    assert_eq!(
        store
            .ticket(&tid, &Viewer::Staff)
            .await
            .expect("read")
            .version,
        2
    );
    let stored = store
        .idempotency(&id("alice"), "k-1")
        .await
        .expect("lookup")
        .expect("recorded");
    assert_eq!(
        (stored.ticket_id.as_deref(), stored.body),
        (Some("T-1"), None)
    );
    store
        .complete_idempotency(&id("alice"), "k-1", 201, "{}")
        .await
        .expect("complete");
    let stored = store
        .idempotency(&id("alice"), "k-1")
        .await
        .expect("lookup")
        .expect("recorded");
    assert_eq!(
        (stored.status, stored.body.as_deref()),
        (Some(201), Some("{}"))
    );
    assert!(
        store
            .idempotency(&id("bob"), "k-1")
            .await
            .expect("lookup")
            .is_none(),
        "keys are per user"
    );
}

/// Tokens and sessions authenticate their user until revoked, expired or disabled.
pub async fn tokens_and_sessions_find_their_user(store: Arc<dyn Store>) {
    seed(&store).await;
    let token = TokenRecord {
        id: id("tok-1"),
        user_id: id("bob"),
        hash: "abc".into(),
        label: "cli".into(),
        created_at: t(NOW),
        revoked: false,
    };
    store.create_token(&token).await.expect("token");
    let (found, user) = store.token_by_hash("abc").await.expect("by hash");
    assert_eq!(
        (found.id, user.record.role, user.record.customer_id),
        (id("tok-1"), Role::Customer, Some(id("CUS-A")))
    );
    store.revoke_token(&id("tok-1")).await.expect("revoke");
    assert!(matches!(
        store.token_by_hash("abc").await,
        Err(StoreError::NotFound { .. })
    ));

    let session = SessionRecord {
        hash: "s".into(),
        user_id: id("alice"),
        csrf: "c".into(),
        expires_at: t("2025-06-04T00:00:00Z"),
    };
    store.create_session(&session).await.expect("session");
    assert!(store.session_by_hash("s", t(NOW)).await.is_ok());
    assert!(
        store
            .session_by_hash("s", t("2025-06-05T00:00:00Z"))
            .await
            .is_err(),
        "expired"
    );
    let mut alice = store.user(&id("alice")).await.expect("user").record;
    alice.disabled = true;
    store
        .update_user(&alice, None, t(NOW))
        .await
        .expect("disable");
    assert!(
        store.session_by_hash("s", t(NOW)).await.is_err(),
        "disabled users do not authenticate"
    );
    store.delete_session("s").await.expect("logout");
}

/// Policies are stored once per version; the same version with other text is refused.
pub async fn policy_versions_are_immutable(store: Arc<dyn Store>) {
    let p = PolicyRecord {
        id: PolicyRef {
            name: "p".into(),
            version: "1".into(),
        },
        text: "a".into(),
        created_at: t(NOW),
    };
    store.put_policy(&p).await.expect("store");
    store.put_policy(&p).await.expect("same text again is fine");
    let changed = PolicyRecord {
        text: "b".into(),
        ..p.clone()
    };
    assert!(matches!(
        store.put_policy(&changed).await,
        Err(StoreError::Rejected(_))
    ));
    assert_eq!(store.policies().await.expect("list"), [p]);
}

/// Rebuilding a projection recomputes it from the stored history.
pub async fn projections_rebuild_from_history(store: Arc<dyn Store>) {
    seed(&store).await;
    open(&store, "T-1", "CUS-A", "2025-06-03T01:00:00Z").await;
    open(&store, "T-2", "CUS-A", "2025-06-03T01:00:00Z").await;
    assert_eq!(store.ticket_ids(None, 1).await.expect("ids").len(), 1);
    let ids = store.ticket_ids(None, 10).await.expect("ids");
    assert_eq!(ids.len(), 2);
    assert_eq!(
        store
            .ticket_ids(Some(ids[0].as_str()), 10)
            .await
            .expect("ids"),
        [ids[1].clone()]
    );
    let doubled = |h: &TicketHeader, e: &[StoredEvent]| {
        let mut p = count_project(h, e)?;
        p.evaluation_json = "{\"rebuilt\":true}".into();
        Ok(p)
    };
    let p = store.reproject(&ids[0], &doubled).await.expect("reproject");
    assert_eq!(p.evaluation_json, "{\"rebuilt\":true}");
    assert_eq!(
        store
            .ticket(&ids[0], &Viewer::Staff)
            .await
            .expect("read")
            .projection
            .evaluation_json,
        "{\"rebuilt\":true}"
    );
}

/// Hub subscriptions are kept until deleted.
pub async fn hub_subscriptions_are_kept(store: Arc<dyn Store>) {
    seed(&store).await;
    let s = Subscription {
        id: id("sub-1"),
        callback: "http://127.0.0.1:9/cb".into(),
        query: None,
        created_by: id("alice"),
        created_at: t(NOW),
    };
    store.create_subscription(&s).await.expect("create");
    assert_eq!(store.subscriptions().await.expect("list"), [s]);
    store
        .delete_subscription(&id("sub-1"))
        .await
        .expect("delete");
    assert!(matches!(
        store.delete_subscription(&id("sub-1")).await,
        Err(StoreError::NotFound { .. })
    ));
}

fn append<'a>(
    tid: &'a tierdesk_core::TicketId,
    events: &'a [NewEvent],
    actor: &'a Id,
) -> AppendRequest<'a> {
    AppendRequest {
        id: tid,
        expected: None,
        events,
        actor,
        now: t(NOW),
        idempotency: None,
        outbox: &[],
        read: None,
    }
}

/// Timers are written with the projection, claimed by one owner at a time for a
/// lease, and replaced when the ticket changes.
pub async fn timers_are_claimed_once_and_replaced_with_the_projection(store: Arc<dyn Store>) {
    seed(&store).await;
    open(&store, "T-1", "CUS-A", "2025-06-03T01:00:00Z").await;
    let due = t("2025-06-03T02:00:00Z");
    assert_eq!(store.next_timer(t(NOW)).await.expect("next"), Some(due));
    assert_eq!(store.timer_count().await.expect("count"), 1);
    let lease = SignedDuration::from_secs(60);
    let early = store
        .claim_timers(t("2025-06-03T01:59:59Z"), "a", lease, 10)
        .await
        .expect("claim");
    assert!(early.is_empty(), "not due yet: {early:?}");
    let claimed = store
        .claim_timers(due, "a", lease, 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].key, "breach:restore");
    assert_eq!(claimed[0].fire_at, due);
    assert_eq!(claimed[0].ticket_id.as_str(), "T-1");
    let other = store
        .claim_timers(t("2025-06-03T02:00:30Z"), "b", lease, 10)
        .await
        .expect("claim");
    assert!(other.is_empty(), "held by a's lease: {other:?}");
    let after_lease = store
        .claim_timers(t("2025-06-03T02:01:01Z"), "b", lease, 10)
        .await
        .expect("claim");
    assert_eq!(after_lease.len(), 1, "a's lease ran out");

    // A ticket change replaces its timers: one more event, the timer moves an hour.
    let tid = "T-1".parse().expect("id");
    let actor = id("alice");
    let fed = [event("2025-06-03T01:30:00Z", EventKind::Feedback)];
    store
        .append_events(append(&tid, &fed, &actor), &count_project)
        .await
        .expect("append");
    assert_eq!(
        store.next_timer(t(NOW)).await.expect("next"),
        Some(t("2025-06-03T03:00:00Z"))
    );
    // Firing records an event; the projection then has no timer left.
    let fired = [event(
        "2025-06-03T03:00:00Z",
        EventKind::Alert {
            alert: AlertKind::Breach,
            obligation: Some(ObligationName::Restore),
            party: None,
            due: t("2025-06-03T03:00:00Z"),
        },
    )];
    store
        .append_events(append(&tid, &fired, &actor), &count_project)
        .await
        .expect("append");
    assert_eq!(store.next_timer(t(NOW)).await.expect("next"), None);
    assert_eq!(store.timer_count().await.expect("count"), 0);
}

fn notification(n: &str, topic: Topic, event_index: Option<usize>) -> NewNotification {
    NewNotification {
        id: id(n),
        topic,
        kind: ChannelKind::Webhook,
        channel_id: Some(id("hooks")),
        target: "http://127.0.0.1:9/hook".into(),
        language: Language::Zh,
        event_index,
    }
}

/// Notifications are enqueued in the write's transaction, claimed for a lease,
/// retried, dead-lettered and replayed.
pub async fn the_outbox_is_written_with_the_ticket_and_dead_letters_replay(store: Arc<dyn Store>) {
    seed(&store).await;
    let actor = id("alice");
    store
        .open_ticket(
            OpenRequest {
                header: &header("T-1", "CUS-A"),
                events: &[event("2025-06-03T01:00:00Z", EventKind::Reported)],
                actor: &actor,
                now: t(NOW),
                idempotency: None,
                outbox: &[notification("n-1", Topic::Opened, None)],
            },
            &count_project,
        )
        .await
        .expect("open");
    let tid = "T-1".parse().expect("id");
    let two = [
        event("2025-06-03T01:10:00Z", EventKind::Feedback),
        event("2025-06-03T01:20:00Z", EventKind::Restored),
    ];
    let outbox = [notification("n-2", Topic::Resolved, Some(1))];
    store
        .append_events(
            AppendRequest {
                outbox: &outbox,
                ..append(&tid, &two, &actor)
            },
            &count_project,
        )
        .await
        .expect("append");
    // A refused write enqueues nothing.
    let refused = [NewEvent {
        note: Some("refuse".into()),
        ..event("2025-06-03T01:30:00Z", EventKind::Feedback)
    }];
    let lost = [notification("n-3", Topic::StatusChanged, None)];
    store
        .append_events(
            AppendRequest {
                outbox: &lost,
                ..append(&tid, &refused, &actor)
            },
            &count_project,
        )
        .await
        .unwrap_err();
    let all = store
        .notifications(&NotificationFilter::default(), 10)
        .await
        .expect("list");
    assert_eq!(
        all.iter()
            .map(|n| (n.id.as_str(), n.ticket_version, n.event_seq))
            .collect::<Vec<_>>(),
        [("n-1", 1, None), ("n-2", 3, Some(3))]
    );
    assert!(
        all.iter().all(|n| n.state == DeliveryState::Pending
            && n.attempts == 0
            && n.created_at == t(NOW))
    );
    assert_eq!(
        store.next_notification(t(NOW)).await.expect("next"),
        Some(t(NOW))
    );

    let lease = SignedDuration::from_secs(30);
    let claimed = store
        .claim_notifications(t(NOW), "a", lease, 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 2);
    assert!(
        store
            .claim_notifications(t(NOW), "b", lease, 10)
            .await
            .expect("claim")
            .is_empty(),
        "both are leased to a"
    );
    store
        .finish_notification(&id("n-1"), &Delivery::Sent(t(NOW)))
        .await
        .expect("sent");
    let retry_at = t("2025-06-03T02:01:00Z");
    store
        .finish_notification(
            &id("n-2"),
            &Delivery::Retry {
                at: retry_at,
                error: "HTTP 500".into(),
            },
        )
        .await
        .expect("retry");
    let n2 = store.notification(&id("n-2")).await.expect("read");
    assert_eq!(
        (
            n2.state,
            n2.attempts,
            n2.next_attempt_at,
            n2.last_error.as_deref()
        ),
        (DeliveryState::Pending, 1, retry_at, Some("HTTP 500"))
    );
    assert!(
        store
            .claim_notifications(t("2025-06-03T02:00:59Z"), "b", lease, 10)
            .await
            .expect("claim")
            .is_empty(),
        "not due again yet"
    );
    let again = store
        .claim_notifications(retry_at, "b", lease, 10)
        .await
        .expect("claim");
    assert_eq!(again.len(), 1);
    store
        .finish_notification(
            &id("n-2"),
            &Delivery::Dead {
                error: "HTTP 500 again".into(),
            },
        )
        .await
        .expect("dead");
    let dead = store
        .notifications(
            &NotificationFilter {
                state: Some(DeliveryState::Dead),
                ..NotificationFilter::default()
            },
            10,
        )
        .await
        .expect("dead letters");
    assert_eq!(dead.len(), 1);
    assert_eq!(
        (dead[0].attempts, dead[0].last_error.as_deref()),
        (2, Some("HTTP 500 again"))
    );
    assert_eq!(store.next_notification(t(NOW)).await.expect("next"), None);
    let replayed = store
        .replay_notification(&id("n-2"), retry_at)
        .await
        .expect("replay");
    assert_eq!(
        (replayed.state, replayed.attempts),
        (DeliveryState::Pending, 0)
    );
    assert_eq!(
        store.notification(&id("n-1")).await.expect("n-1").sent_at,
        Some(t(NOW))
    );
    assert!(matches!(
        store.replay_notification(&id("nope"), retry_at).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// Notification channels are kept, with every field, until deleted.
pub async fn channels_are_kept_until_deleted(store: Arc<dyn Store>) {
    seed(&store).await;
    let c = Channel {
        id: id("ops-mail"),
        name: "Operations leadership".into(),
        kind: ChannelKind::Email,
        url: None,
        secret: None,
        email_to: vec!["a@example.com".into(), "b@example.com".into()],
        role: Some(Role::AccountManager),
        customer_id: Some(id("CUS-A")),
        topics: vec![Topic::Breach, Topic::Escalation],
        language: Language::En,
        created_at: t(NOW),
    };
    store.create_channel(&c).await.expect("create");
    assert!(matches!(
        store.create_channel(&c).await,
        Err(StoreError::AlreadyExists { .. })
    ));
    assert_eq!(
        store.channels().await.expect("list"),
        std::slice::from_ref(&c)
    );
    assert_eq!(store.channel(&id("ops-mail")).await.expect("one"), c);
    store.delete_channel(&id("ops-mail")).await.expect("delete");
    assert!(matches!(
        store.channel(&id("ops-mail")).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// Many writers at once: every append lands exactly once on the history it was
/// derived from (or is re-derived on the current one), and a write refused inside
/// a shared commit (an idempotency key already taken) undoes only itself.
pub async fn concurrent_appends_land_once_and_a_refused_one_undoes_only_itself(
    store: Arc<dyn Store>,
) {
    seed(&store).await;
    for t in ["C-1", "C-2", "C-3"] {
        open(&store, t, "CUS-A", "2025-06-03T01:00:00Z").await;
    }
    let mut tasks = Vec::new();
    for i in 0..60u32 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let tid: tierdesk_core::TicketId = format!("C-{}", i % 3 + 1).parse().expect("id");
            let read = store.ticket(&tid, &Viewer::Staff).await.expect("read");
            let events = [event("2025-06-03T01:30:00Z", EventKind::Feedback)];
            // Two requests share one key: the second one must be refused, alone.
            let key = Idempotency {
                user_id: id("alice"),
                key: format!("k-{}", i.min(58)),
                request_hash: format!("h-{i}"),
                ticket_id: None,
                status: None,
                body: None,
            };
            store
                .append_events(
                    AppendRequest {
                        id: &tid,
                        expected: None,
                        events: &events,
                        actor: &id("alice"),
                        now: t(NOW),
                        idempotency: Some(&key),
                        outbox: &[],
                        read: Some(&read),
                    },
                    &count_project,
                )
                .await
        }));
    }
    let mut ok = 0;
    let mut taken = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => ok += 1,
            Err(StoreError::IdempotencyKeyTaken(k)) => {
                assert_eq!(k, "k-58");
                taken += 1;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((ok, taken), (59, 1));
    let mut total = 0;
    for t in ["C-1", "C-2", "C-3"] {
        let r = store
            .ticket(&t.parse().expect("id"), &Viewer::Staff)
            .await
            .expect("read");
        assert_eq!(r.version, r.events.len() as i64);
        let seqs: Vec<i64> = r.events.iter().map(|e| e.seq).collect();
        assert_eq!(
            seqs,
            (1..=r.version).collect::<Vec<_>>(),
            "no gaps, no duplicates"
        );
        assert_eq!(
            r.projection.evaluation_json,
            format!("{{\"events\":{}}}", r.version)
        );
        total += r.version - 1;
    }
    assert_eq!(total, 59, "every accepted append is in a history once");
}

/// Several tickets are opened together or not at all.
pub async fn opening_many_tickets_is_all_or_nothing(store: Arc<dyn Store>) {
    seed(&store).await;
    let actor = id("alice");
    let (h1, h2) = (header("M-1", "CUS-A"), header("M-2", "CUS-B"));
    let good = [event("2025-06-03T01:00:00Z", EventKind::Reported)];
    let refused = [NewEvent {
        note: Some("refuse".into()),
        ..event("2025-06-03T01:00:00Z", EventKind::Reported)
    }];
    let request = |header, events| OpenRequest {
        header,
        events,
        actor: &actor,
        now: t(NOW),
        idempotency: None,
        outbox: &[],
    };
    let err = store
        .open_tickets(
            &[request(&h1, &good), request(&h2, &refused)],
            &count_project,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected(_)), "{err}");
    assert!(store.ticket_ids(None, 10).await.expect("ids").is_empty());
    let n = store
        .open_tickets(&[request(&h1, &good), request(&h2, &good)], &count_project)
        .await
        .expect("together");
    assert_eq!(n, 2);
    assert_eq!(store.ticket_ids(None, 10).await.expect("ids").len(), 2);
    assert_eq!(store.timer_count().await.expect("timers"), 2);
}

/// Several tickets change together or not at all.
pub async fn appending_to_many_tickets_is_all_or_nothing(store: Arc<dyn Store>) {
    seed(&store).await;
    open(&store, "T-1", "CUS-A", "2025-06-03T01:00:00Z").await;
    open(&store, "T-2", "CUS-B", "2025-06-03T01:00:00Z").await;
    let (t1, t2) = ("T-1".parse().expect("id"), "T-2".parse().expect("id"));
    let actor = id("alice");
    let restored = [event("2025-06-03T01:40:00Z", EventKind::Restored)];
    let refused = [NewEvent {
        note: Some("refuse".into()),
        ..event("2025-06-03T01:40:00Z", EventKind::Restored)
    }];
    let err = store
        .append_many(
            &[
                append(&t1, &restored, &actor),
                append(&t2, &refused, &actor),
            ],
            &count_project,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected(_)), "{err}");
    assert_eq!(
        store.ticket(&t1, &Viewer::Staff).await.expect("t1").version,
        1
    );
    let done = store
        .append_many(
            &[
                append(&t1, &restored, &actor),
                append(&t2, &restored, &actor),
            ],
            &count_project,
        )
        .await
        .expect("together");
    assert!(
        done.iter()
            .all(|r| r.version == 2 && r.projection.status == Status::Resolved)
    );
    assert_eq!(
        store
            .ticket(&t2, &Viewer::Staff)
            .await
            .expect("t2")
            .projection
            .status,
        Status::Resolved
    );
}

/// The operations queue puts higher assurance levels first, then the soonest due;
/// lists filter by parent ticket and stage.
pub async fn the_operations_queue_orders_by_assurance_then_due(store: Arc<dyn Store>) {
    seed(&store).await;
    let actor = id("alice");
    // count_project: due one hour per event after the report (two with the link).
    for (tid, level, reported, link) in [
        ("Q-A", AssuranceLevel::A, "2025-06-03T00:00:00Z", true), // due 02:00
        (
            "Q-AAA-1",
            AssuranceLevel::AAA,
            "2025-06-03T01:00:00Z",
            false,
        ), // due 02:00
        ("Q-AA", AssuranceLevel::AA, "2025-06-03T00:10:00Z", true), // due 02:10
        ("Q-AAA-2", AssuranceLevel::AAA, "2025-06-03T00:30:00Z", true), // due 02:30
    ] {
        let mut h = header(tid, "CUS-A");
        h.assurance_level = level;
        let linked = [
            event(reported, EventKind::Reported),
            event(
                reported,
                EventKind::Linked {
                    parent: "OUTAGE-1".parse().expect("id"),
                },
            ),
        ];
        let events: &[NewEvent] = if link { &linked } else { &linked[..1] };
        store
            .open_ticket(
                OpenRequest {
                    header: &h,
                    events,
                    actor: &actor,
                    now: t(NOW),
                    idempotency: None,
                    outbox: &[],
                },
                &count_project,
            )
            .await
            .expect("open");
    }
    let list = |filter: TicketFilter, cursor: Option<TicketCursor>, limit| {
        let store = store.clone();
        async move {
            store
                .tickets(&filter, &Viewer::Staff, t(NOW), cursor.as_ref(), limit)
                .await
                .expect("list")
                .into_iter()
                .map(|s| {
                    (
                        s.header.id.to_string(),
                        s.header.assurance_level,
                        s.projection.next_due,
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let operations = TicketFilter {
        order: ListOrder::Assurance,
        ..TicketFilter::default()
    };
    let all = list(operations.clone(), None, 10).await;
    assert_eq!(
        all.iter().map(|(id, _, _)| id.as_str()).collect::<Vec<_>>(),
        ["Q-AAA-1", "Q-AAA-2", "Q-AA", "Q-A"]
    );
    // Keyset pages in that order.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = list(operations.clone(), cursor.clone(), 1).await;
        let Some((id, level, due)) = page.into_iter().next() else {
            break;
        };
        cursor = Some(TicketCursor {
            rank: Some(assurance_rank(level)),
            next_due: due,
            id: id.clone(),
        });
        seen.push(id);
    }
    assert_eq!(
        seen,
        all.iter().map(|(id, _, _)| id.clone()).collect::<Vec<_>>()
    );
    let children = list(
        TicketFilter {
            parent: Some("OUTAGE-1".parse().expect("id")),
            ..TicketFilter::default()
        },
        None,
        10,
    )
    .await;
    assert_eq!(
        children
            .iter()
            .map(|(id, _, _)| id.as_str())
            .collect::<Vec<_>>(),
        ["Q-A", "Q-AA", "Q-AAA-2"]
    );
    let closed = list(
        TicketFilter {
            stage: Some(Stage::Closed),
            ..TicketFilter::default()
        },
        None,
        10,
    )
    .await;
    assert!(closed.is_empty());
}

/// Generates one `#[tokio::test]` per story for a backend; `$store` is an async
/// expression giving a fresh `Option<Arc<dyn Store>>` (`None`: backend unavailable
/// here, test skipped; the backend decides when that is allowed).
#[macro_export]
macro_rules! story_tests {
    ($store:expr) => {
        $crate::story_tests!(@ $store;
            reference_data_round_trips_with_versions,
            customer_viewers_see_only_their_own_data,
            appending_events_is_versioned_and_all_or_nothing,
            a_stale_read_still_appends_onto_the_current_history,
            every_event_kind_round_trips,
            ticket_lists_are_ordered_filtered_and_paged,
            idempotency_keys_are_recorded_with_their_write,
            tokens_and_sessions_find_their_user,
            policy_versions_are_immutable,
            projections_rebuild_from_history,
            hub_subscriptions_are_kept,
            timers_are_claimed_once_and_replaced_with_the_projection,
            the_outbox_is_written_with_the_ticket_and_dead_letters_replay,
            channels_are_kept_until_deleted,
            appending_to_many_tickets_is_all_or_nothing,
            opening_many_tickets_is_all_or_nothing,
            concurrent_appends_land_once_and_a_refused_one_undoes_only_itself,
            the_operations_queue_orders_by_assurance_then_due
        );
    };
    (@ $store:expr; $($story:ident),+) => {
        $(
            #[tokio::test]
            async fn $story() {
                if let Some(store) = $store {
                    $crate::story::$story(store).await;
                }
            }
        )+
    };
}
