//! The SLA scheduler's timers: warnings, breaches, reminders and escalations,
//! at instants computed by hand from the template and the `[alerts]` settings
//! (warn at 75% of the way from a promise's start to its due instant, remind
//! 5 minutes ahead, escalate AAA and AA full outages at once).

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use tierdesk_core::EventKind as E;
use tierdesk_core::*;

use crate::{at, bj, engine};

/// An instant on Monday 2025-06-09, Beijing time ("13:30" or "09:09:30").
fn mon(hm: &str) -> Timestamp {
    let hms = if hm.len() == 5 {
        format!("{hm}:00")
    } else {
        hm.to_owned()
    };
    at(&format!("2025-06-09T{hms}+08:00"))
}

fn ev(t: Timestamp, kind: E) -> Event {
    Event {
        at: t,
        kind,
        by: None,
    }
}

fn ev_by(t: Timestamp, kind: E, who: &str) -> Event {
    Event {
        at: t,
        kind,
        by: Some(who.parse().unwrap()),
    }
}

fn dispatched(t: Timestamp, to: &str) -> Event {
    ev(
        t,
        E::Dispatched {
            to: Some(to.parse().unwrap()),
        },
    )
}

/// The event the scheduler records when an alert fires.
fn alert(
    t: Timestamp,
    kind: AlertKind,
    obligation: Option<ObligationName>,
    party: Option<&str>,
    due: Timestamp,
) -> Event {
    ev(
        t,
        E::Alert {
            alert: kind,
            obligation,
            party: party.map(|p| p.parse().unwrap()),
            due,
        },
    )
}

fn ticket(
    kind: TicketKind,
    level: CustomerLevel,
    setup: impl FnOnce(&mut TicketSpec),
    events: Vec<Event>,
) -> Ticket {
    let mut spec = TicketSpec::new("A-1".parse().unwrap(), kind, level);
    setup(&mut spec);
    Ticket::new(spec, events).unwrap_or_else(|e| panic!("test ticket rejected: {e}"))
}

fn fault(level: CustomerLevel, scope: Scope, events: Vec<Event>) -> Ticket {
    ticket(TicketKind::Fault, level, |s| s.scope = Some(scope), events)
}

fn timers_with(engine: &Engine, t: &Ticket, now: Timestamp) -> Vec<Timer> {
    let evaluation = engine.evaluate(t, now).unwrap();
    timers(engine, t, &evaluation)
}

fn timers_at(t: &Ticket, now: Timestamp) -> Vec<Timer> {
    timers_with(engine(), t, now)
}

/// One line a timer: what, about which promise (and department), due when, fires when.
fn show(t: &Timer) -> String {
    let what = match (&t.obligation, &t.party) {
        (Some(o), Some(p)) => format!("{} {o}:{p}", t.alert),
        (Some(o), None) => format!("{} {o}", t.alert),
        (None, _) => t.alert.to_string(),
    };
    format!(
        "{what} due {} fires {}",
        bj(Some(t.due)),
        bj(Some(t.fire_at))
    )
}

fn shown(ts: &[Timer]) -> Vec<String> {
    ts.iter().map(show).collect()
}

fn about(ts: &[Timer], name: ObligationName) -> Vec<String> {
    ts.iter()
        .filter(|t| t.obligation == Some(name))
        .map(show)
        .collect()
}

fn engine_with(policy_text: &str) -> Engine {
    let policy = Policy::parse("alerts.toml", policy_text).unwrap_or_else(|e| panic!("{e}"));
    Engine::new(policy, Arc::new(engine().rules().calendar().clone())).unwrap()
}

fn policy_text(alerts: &str) -> String {
    format!(
        "[policy]\nname = \"acme\"\nversion = \"1\"\nextends = \"default\"\n\n[alerts]\n{alerts}\n"
    )
}

// ---------------------------------------------------------------------------
// Warnings and breaches of promises with a time limit

#[test]
fn a_bronze_fault_is_warned_of_at_three_quarters_of_its_six_hours_and_breached_at_the_sixth() {
    // Bronze → A; cross-province A restores within 6 h: due 15:00, warned at 09:00 + 4 h 30 min.
    let t = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![ev(mon("09:00"), E::Reported)],
    );
    let ts = timers_at(&t, mon("09:00"));
    assert_eq!(
        shown(&ts),
        [
            "warning restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T13:30:00+08:00",
            "breach restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T15:00:00+08:00",
        ]
    );
    assert_eq!(ts[0].key(), "warning:restore");
    assert_eq!(ts[1].key(), "breach:restore");
    assert_eq!(ts[0].party, None);
    // The same plan at any instant before the warning fires.
    assert_eq!(timers_at(&t, mon("13:29")), ts);
    // The warning's instant has come: it is still to fire (the scheduler fires what is due).
    assert_eq!(timers_at(&t, mon("13:30")), ts);
}

#[test]
fn a_customer_pause_pushes_the_warning_and_the_breach() {
    // One hour of customer pause: due 16:00; the warning is 75% of the 7 h from
    // the report to the new due instant, 09:00 + 5 h 15 min.
    for reason in [PauseReason::Customer, PauseReason::Interconnection] {
        let t = fault(
            CustomerLevel::Bronze,
            Scope::CrossProvince,
            vec![
                ev(mon("09:00"), E::Reported),
                ev(mon("10:00"), E::Paused { reason }),
                ev(mon("11:00"), E::Resumed),
            ],
        );
        assert_eq!(
            shown(&timers_at(&t, mon("11:00"))),
            [
                "warning restore due 2025-06-09T16:00:00+08:00 fires 2025-06-09T14:15:00+08:00",
                "breach restore due 2025-06-09T16:00:00+08:00 fires 2025-06-09T16:00:00+08:00",
            ],
            "{reason}"
        );
    }
}

#[test]
fn a_pause_that_does_not_stop_the_clock_moves_no_timer() {
    let t = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![
            ev(mon("09:00"), E::Reported),
            ev(
                mon("10:00"),
                E::Paused {
                    reason: PauseReason::Other,
                },
            ),
            ev(mon("11:00"), E::Resumed),
        ],
    );
    assert_eq!(
        shown(&timers_at(&t, mon("10:30"))),
        [
            "warning restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T13:30:00+08:00",
            "breach restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T15:00:00+08:00",
        ]
    );
}

#[test]
fn while_a_customer_pause_is_open_the_stopped_clock_has_no_timers() {
    let t = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![
            ev(mon("09:00"), E::Reported),
            ev(
                mon("10:00"),
                E::Paused {
                    reason: PauseReason::Customer,
                },
            ),
        ],
    );
    assert_eq!(timers_at(&t, mon("10:30")), []);
    // Even once the unpaused due instant (15:00) has gone by.
    assert_eq!(timers_at(&t, mon("20:00")), []);
}

#[test]
fn the_warning_is_not_planned_once_the_promise_is_breached() {
    let t = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![ev(mon("09:00"), E::Reported)],
    );
    // Past 15:00 and not restored: only the breach, due at once.
    assert_eq!(
        shown(&timers_at(&t, mon("15:01"))),
        ["breach restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T15:00:00+08:00"]
    );
    // Exactly at the due instant the promise is still pending: warning and breach.
    assert_eq!(timers_at(&t, mon("15:00")).len(), 2);
}

#[test]
fn a_promise_met_on_time_or_late_has_no_timers() {
    let on_time = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![ev(mon("09:00"), E::Reported), ev(mon("14:00"), E::Restored)],
    );
    assert_eq!(
        about(&timers_at(&on_time, mon("14:00")), ObligationName::Restore),
        Vec::<String>::new()
    );
    let late = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![ev(mon("09:00"), E::Reported), ev(mon("16:00"), E::Restored)],
    );
    assert_eq!(
        about(&timers_at(&late, mon("16:00")), ObligationName::Restore),
        Vec::<String>::new()
    );
}

#[test]
fn restoration_feedback_and_the_gold_written_report_are_warned_of_after_restoration() {
    // Gold city fault restored at 09:40: cause and result within 30 min (due
    // 10:10, warned at 10:02:30); the written report within 2 working days, due
    // 24:00 on Wednesday 2025-06-11, warned 75% of the 62 h 20 min later: 46 h 45 min.
    let t = fault(
        CustomerLevel::Gold,
        Scope::City,
        vec![
            ev(mon("09:00"), E::Reported),
            dispatched(mon("09:01"), "ops"),
            ev_by(mon("09:02"), E::Accepted, "ops"),
            ev(mon("09:20"), E::Feedback),
            ev(mon("09:40"), E::Restored),
        ],
    );
    assert_eq!(
        shown(&timers_at(&t, mon("09:45"))),
        [
            "warning restoration_feedback due 2025-06-09T10:10:00+08:00 fires 2025-06-09T10:02:30+08:00",
            "breach restoration_feedback due 2025-06-09T10:10:00+08:00 fires 2025-06-09T10:10:00+08:00",
            "warning written_report due 2025-06-12T00:00:00+08:00 fires 2025-06-11T08:25:00+08:00",
            "breach written_report due 2025-06-12T00:00:00+08:00 fires 2025-06-12T00:00:00+08:00",
        ]
    );
}

#[test]
fn a_written_report_without_a_time_limit_has_no_timers() {
    // Bronze: on request, no limit (table 7-4).
    let t = fault(
        CustomerLevel::Bronze,
        Scope::City,
        vec![
            ev(mon("09:00"), E::Reported),
            ev(mon("09:30"), E::ReportRequested),
            ev(mon("10:00"), E::Restored),
        ],
    );
    assert_eq!(
        about(&timers_at(&t, mon("10:00")), ObligationName::WrittenReport),
        Vec::<String>::new()
    );
}

// ---------------------------------------------------------------------------
// Progress feedback reminders

#[test]
fn gold_progress_feedback_is_reminded_five_minutes_before_each_feedback_falls_due() {
    // Gold → AAA city: restore within 2 h (due 11:00, warned 10:30); feedback every 30 min.
    let t = fault(
        CustomerLevel::Gold,
        Scope::City,
        vec![ev(mon("09:00"), E::Reported)],
    );
    let ts = timers_at(&t, mon("09:00"));
    assert_eq!(
        shown(&ts),
        [
            "reminder progress_feedback due 2025-06-09T09:30:00+08:00 fires 2025-06-09T09:25:00+08:00",
            "breach progress_feedback due 2025-06-09T09:30:00+08:00 fires 2025-06-09T09:30:00+08:00",
            "warning restore due 2025-06-09T11:00:00+08:00 fires 2025-06-09T10:30:00+08:00",
            "breach restore due 2025-06-09T11:00:00+08:00 fires 2025-06-09T11:00:00+08:00",
        ]
    );
    // A reminder's key carries its due instant (Unix seconds): one a feedback.
    assert_eq!(
        ts[0].key(),
        format!("reminder:progress_feedback@{}", mon("09:30").as_second())
    );
    assert_eq!(ts[1].key(), "breach:progress_feedback");

    // A feedback at 09:20 moves the next one to 09:50.
    let t = fault(
        CustomerLevel::Gold,
        Scope::City,
        vec![ev(mon("09:00"), E::Reported), ev(mon("09:20"), E::Feedback)],
    );
    assert_eq!(
        about(
            &timers_at(&t, mon("09:20")),
            ObligationName::ProgressFeedback
        ),
        [
            "reminder progress_feedback due 2025-06-09T09:50:00+08:00 fires 2025-06-09T09:45:00+08:00",
            "breach progress_feedback due 2025-06-09T09:50:00+08:00 fires 2025-06-09T09:50:00+08:00",
        ]
    );
}

#[test]
fn silver_progress_feedback_is_reminded_five_minutes_before_the_hour() {
    // Silver → AA city: restore within 4 h; feedback every hour.
    let t = fault(
        CustomerLevel::Silver,
        Scope::City,
        vec![ev(mon("09:00"), E::Reported)],
    );
    assert_eq!(
        about(
            &timers_at(&t, mon("09:00")),
            ObligationName::ProgressFeedback
        ),
        [
            "reminder progress_feedback due 2025-06-09T10:00:00+08:00 fires 2025-06-09T09:55:00+08:00",
            "breach progress_feedback due 2025-06-09T10:00:00+08:00 fires 2025-06-09T10:00:00+08:00",
        ]
    );
}

#[test]
fn each_feedback_due_instant_is_reminded_once() {
    let reminded = vec![
        ev(mon("09:00"), E::Reported),
        alert(
            mon("09:25"),
            AlertKind::Reminder,
            Some(ObligationName::ProgressFeedback),
            None,
            mon("09:30"),
        ),
    ];
    let t = fault(CustomerLevel::Gold, Scope::City, reminded.clone());
    assert_eq!(
        about(
            &timers_at(&t, mon("09:26")),
            ObligationName::ProgressFeedback
        ),
        ["breach progress_feedback due 2025-06-09T09:30:00+08:00 fires 2025-06-09T09:30:00+08:00"]
    );
    // The feedback comes at 09:28: the next one, due 09:58, has a reminder of its own.
    let mut events = reminded;
    events.push(ev(mon("09:28"), E::Feedback));
    let t = fault(CustomerLevel::Gold, Scope::City, events);
    assert_eq!(
        about(
            &timers_at(&t, mon("09:28")),
            ObligationName::ProgressFeedback
        ),
        [
            "reminder progress_feedback due 2025-06-09T09:58:00+08:00 fires 2025-06-09T09:53:00+08:00",
            "breach progress_feedback due 2025-06-09T09:58:00+08:00 fires 2025-06-09T09:58:00+08:00",
        ]
    );
}

#[test]
fn a_reminder_recorded_for_another_due_instant_does_not_silence_this_one() {
    let t = fault(
        CustomerLevel::Gold,
        Scope::City,
        vec![
            ev(mon("09:00"), E::Reported),
            alert(
                mon("08:00"),
                AlertKind::Reminder,
                Some(ObligationName::ProgressFeedback),
                None,
                mon("08:30"),
            ),
        ],
    );
    assert_eq!(
        about(
            &timers_at(&t, mon("09:00")),
            ObligationName::ProgressFeedback
        )
        .len(),
        2
    );
}

#[test]
fn a_missed_feedback_is_breached_once() {
    let missed = vec![ev(mon("09:00"), E::Reported)];
    let t = fault(CustomerLevel::Gold, Scope::City, missed.clone());
    // 09:31, no feedback yet: the breach of 09:30 is still to be told; no reminder.
    assert_eq!(
        about(
            &timers_at(&t, mon("09:31")),
            ObligationName::ProgressFeedback
        ),
        ["breach progress_feedback due 2025-06-09T09:30:00+08:00 fires 2025-06-09T09:30:00+08:00"]
    );
    // Told at 09:31; the feedback comes at 09:40 and the next lapses at 10:10:
    // the promise was already breached and that was told.
    let mut events = missed;
    events.push(alert(
        mon("09:31"),
        AlertKind::Breach,
        Some(ObligationName::ProgressFeedback),
        None,
        mon("09:30"),
    ));
    events.push(ev(mon("09:40"), E::Feedback));
    let t = fault(CustomerLevel::Gold, Scope::City, events);
    for now in ["09:40", "10:15"] {
        let ts = timers_at(&t, mon(now));
        assert!(
            !ts.iter().any(|t| t.alert == AlertKind::Breach
                && t.obligation == Some(ObligationName::ProgressFeedback)),
            "at {now}: {:?}",
            shown(&ts)
        );
    }
}

#[test]
fn no_progress_feedback_timers_for_bronze_and_standard_faults() {
    for level in [CustomerLevel::Bronze, CustomerLevel::Standard] {
        let t = fault(level, Scope::City, vec![ev(mon("09:00"), E::Reported)]);
        let ts = timers_at(&t, mon("09:00"));
        assert!(
            !ts.iter().any(|t| t.alert == AlertKind::Reminder),
            "{level}: {:?}",
            shown(&ts)
        );
        assert_eq!(
            about(&ts, ObligationName::ProgressFeedback),
            Vec::<String>::new()
        );
    }
}

// ---------------------------------------------------------------------------
// Acceptance of dispatches

#[test]
fn each_dispatched_department_has_its_own_accept_timers() {
    // Accept within 10 minutes of each dispatch: ops due 09:12 (warned 09:09:30),
    // field due 09:13 (warned 09:10:30).
    let events = vec![
        ev(mon("09:00"), E::Reported),
        dispatched(mon("09:02"), "ops"),
        dispatched(mon("09:03"), "field"),
    ];
    let t = fault(CustomerLevel::Gold, Scope::City, events.clone());
    let ts = timers_at(&t, mon("09:03"));
    assert_eq!(
        about(&ts, ObligationName::Accept),
        [
            "warning accept:ops due 2025-06-09T09:12:00+08:00 fires 2025-06-09T09:09:30+08:00",
            "warning accept:field due 2025-06-09T09:13:00+08:00 fires 2025-06-09T09:10:30+08:00",
            "breach accept:ops due 2025-06-09T09:12:00+08:00 fires 2025-06-09T09:12:00+08:00",
            "breach accept:field due 2025-06-09T09:13:00+08:00 fires 2025-06-09T09:13:00+08:00",
        ]
    );
    let keys: Vec<String> = ts
        .iter()
        .filter(|t| t.obligation == Some(ObligationName::Accept))
        .map(Timer::key)
        .collect();
    assert_eq!(
        keys,
        // Each dispatch is its own promise: its due instant (Unix seconds) is in the key.
        [
            "warning:accept:ops@1749431520",
            "warning:accept:field@1749431580",
            "breach:accept:ops@1749431520",
            "breach:accept:field@1749431580",
        ]
    );

    // Ops accepts at 09:05: only field's timers are left.
    let mut events = events;
    events.push(ev_by(mon("09:05"), E::Accepted, "ops"));
    let t = fault(CustomerLevel::Gold, Scope::City, events);
    assert_eq!(
        about(&timers_at(&t, mon("09:05")), ObligationName::Accept),
        [
            "warning accept:field due 2025-06-09T09:13:00+08:00 fires 2025-06-09T09:10:30+08:00",
            "breach accept:field due 2025-06-09T09:13:00+08:00 fires 2025-06-09T09:13:00+08:00",
        ]
    );
}

#[test]
fn an_undirected_dispatch_has_accept_timers_without_a_party() {
    let t = fault(
        CustomerLevel::Bronze,
        Scope::City,
        vec![
            ev(mon("09:00"), E::Reported),
            ev(mon("09:01"), E::Prescreened),
            ev(mon("09:02"), E::Dispatched { to: None }),
        ],
    );
    let ts = timers_at(&t, mon("09:02"));
    let accept: Vec<&Timer> = ts
        .iter()
        .filter(|t| t.obligation == Some(ObligationName::Accept))
        .collect();
    assert_eq!(accept.len(), 2);
    assert_eq!(accept[0].key(), "warning:accept@1749431520");
    assert_eq!(accept[1].key(), "breach:accept@1749431520");
    assert_eq!(bj(Some(accept[0].fire_at)), "2025-06-09T09:09:30+08:00");
    assert_eq!(bj(Some(accept[1].fire_at)), "2025-06-09T09:12:00+08:00");
}

#[test]
fn an_unaccepted_dispatch_past_ten_minutes_is_only_breached() {
    let t = fault(
        CustomerLevel::Gold,
        Scope::City,
        vec![
            ev(mon("09:00"), E::Reported),
            dispatched(mon("09:00"), "ops"),
        ],
    );
    assert_eq!(
        about(&timers_at(&t, mon("09:11")), ObligationName::Accept),
        ["breach accept:ops due 2025-06-09T09:10:00+08:00 fires 2025-06-09T09:10:00+08:00"]
    );
}

#[test]
fn a_redispatch_to_the_same_department_is_warned_of_and_breached_again() {
    let t = fault(
        CustomerLevel::Gold,
        Scope::City,
        vec![
            ev(mon("09:00"), E::Reported),
            dispatched(mon("09:01"), "ops"),
            alert(
                mon("09:08:30"),
                AlertKind::Warning,
                Some(ObligationName::Accept),
                Some("ops"),
                mon("09:11"),
            ),
            alert(
                mon("09:11"),
                AlertKind::Breach,
                Some(ObligationName::Accept),
                Some("ops"),
                mon("09:11"),
            ),
            ev_by(mon("09:12"), E::Accepted, "ops"),
            // Handed back and sent to ops again: a new 10-minute promise.
            dispatched(mon("10:00"), "ops"),
        ],
    );
    assert_eq!(
        about(&timers_at(&t, mon("10:00")), ObligationName::Accept),
        [
            "warning accept:ops due 2025-06-09T10:10:00+08:00 fires 2025-06-09T10:07:30+08:00",
            "breach accept:ops due 2025-06-09T10:10:00+08:00 fires 2025-06-09T10:10:00+08:00",
        ]
    );
}

// ---------------------------------------------------------------------------
// Alerts already recorded

#[test]
fn alerts_already_in_the_history_are_not_planned_again() {
    let reported = ev(mon("09:00"), E::Reported);
    let warned = alert(
        mon("13:30"),
        AlertKind::Warning,
        Some(ObligationName::Restore),
        None,
        mon("15:00"),
    );
    let t = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![reported.clone(), warned.clone()],
    );
    assert_eq!(
        shown(&timers_at(&t, mon("13:31"))),
        ["breach restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T15:00:00+08:00"]
    );
    let breached = alert(
        mon("15:00"),
        AlertKind::Breach,
        Some(ObligationName::Restore),
        None,
        mon("15:00"),
    );
    let t = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![reported, warned, breached],
    );
    assert_eq!(timers_at(&t, mon("15:30")), []);
    // The alert events do not move the lifecycle either.
    assert_eq!(t.status(mon("15:30")), Status::Acknowledged);
}

#[test]
fn an_alert_recorded_after_the_evaluation_instant_does_not_count_yet() {
    let t = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![
            ev(mon("09:00"), E::Reported),
            alert(
                mon("13:30"),
                AlertKind::Warning,
                Some(ObligationName::Restore),
                None,
                mon("15:00"),
            ),
        ],
    );
    // As of 12:00 the warning had not fired: it was still planned.
    assert_eq!(
        shown(&timers_at(&t, mon("12:00"))),
        [
            "warning restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T13:30:00+08:00",
            "breach restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T15:00:00+08:00",
        ]
    );
}

#[test]
fn an_alert_about_another_promise_or_department_does_not_silence_this_one() {
    let t = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![
            ev(mon("09:00"), E::Reported),
            alert(
                mon("09:30"),
                AlertKind::Warning,
                Some(ObligationName::Accept),
                None,
                mon("15:00"),
            ),
            alert(
                mon("09:31"),
                AlertKind::Warning,
                Some(ObligationName::Restore),
                Some("ops"),
                mon("15:00"),
            ),
            alert(mon("09:32"), AlertKind::Breach, None, None, mon("15:00")),
        ],
    );
    assert_eq!(
        shown(&timers_at(&t, mon("09:40"))),
        [
            "warning restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T13:30:00+08:00",
            "breach restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T15:00:00+08:00",
        ]
    );
}

#[test]
fn a_timer_is_recognised_by_the_key_of_its_own_event() {
    let t = fault(
        CustomerLevel::Gold,
        Scope::City,
        vec![
            ev(mon("09:00"), E::Reported),
            dispatched(mon("09:01"), "ops"),
        ],
    );
    let ts = timers_at(&t, mon("09:01"));
    assert!(!ts.is_empty());
    for timer in &ts {
        let e = timer.event();
        assert_eq!(alert_key(&e), Some(timer.key()));
        assert_eq!(e.name(), timer.alert.event_name());
        assert!(e.allowed_for(TicketKind::Fault));
    }
    assert_eq!(alert_key(&E::Feedback), None);
}

// ---------------------------------------------------------------------------
// Escalation of full outages

fn outage(level: CustomerLevel, assurance: Option<AssuranceLevel>, events: Vec<Event>) -> Ticket {
    ticket(
        TicketKind::Fault,
        level,
        |s| {
            s.scope = Some(Scope::City);
            s.full_outage = true;
            s.assurance_level = assurance;
        },
        events,
    )
}

fn escalations(ts: &[Timer]) -> Vec<String> {
    ts.iter()
        .filter(|t| t.alert == AlertKind::Escalation)
        .map(show)
        .collect()
}

#[test]
fn a_full_outage_of_an_aaa_or_aa_service_is_escalated_at_once() {
    for (level, assurance) in [
        (CustomerLevel::Gold, None),
        (CustomerLevel::Silver, None),
        (CustomerLevel::Bronze, Some(AssuranceLevel::AA)),
        (CustomerLevel::Standard, Some(AssuranceLevel::AAA)),
    ] {
        let t = outage(level, assurance, vec![ev(mon("09:00"), E::Reported)]);
        let ts = timers_at(&t, mon("09:00"));
        assert_eq!(
            escalations(&ts),
            ["escalation due 2025-06-09T09:00:00+08:00 fires 2025-06-09T09:00:00+08:00"],
            "{level} {assurance:?}"
        );
        let e = ts
            .iter()
            .find(|t| t.alert == AlertKind::Escalation)
            .unwrap();
        assert_eq!(e.key(), "escalation:-");
        assert_eq!((e.obligation, &e.party), (None, &None));
    }
}

#[test]
fn a_full_outage_of_an_a_or_ordinary_service_is_not_escalated() {
    for (level, assurance) in [
        (CustomerLevel::Bronze, None),
        (CustomerLevel::Standard, None),
        // The service's level decides, not the customer's.
        (CustomerLevel::Gold, Some(AssuranceLevel::A)),
        (CustomerLevel::Silver, Some(AssuranceLevel::Ordinary)),
    ] {
        let t = outage(level, assurance, vec![ev(mon("09:00"), E::Reported)]);
        assert_eq!(
            escalations(&timers_at(&t, mon("09:00"))),
            Vec::<String>::new(),
            "{level} {assurance:?}"
        );
    }
}

#[test]
fn a_fault_that_is_not_a_full_outage_is_not_escalated() {
    let t = fault(
        CustomerLevel::Gold,
        Scope::City,
        vec![ev(mon("09:00"), E::Reported)],
    );
    assert_eq!(
        escalations(&timers_at(&t, mon("09:00"))),
        Vec::<String>::new()
    );
}

#[test]
fn escalation_counts_from_the_alarm_when_it_precedes_the_report() {
    let t = outage(
        CustomerLevel::Gold,
        None,
        vec![ev(mon("08:50"), E::Alarm), ev(mon("09:00"), E::Reported)],
    );
    assert_eq!(
        escalations(&timers_at(&t, mon("09:00"))),
        ["escalation due 2025-06-09T08:50:00+08:00 fires 2025-06-09T08:50:00+08:00"]
    );
}

#[test]
fn a_full_outage_is_escalated_after_the_policys_delay() {
    let engine = engine_with(&policy_text("escalate_after = \"PT15M\""));
    let t = outage(
        CustomerLevel::Silver,
        None,
        vec![ev(mon("09:00"), E::Reported)],
    );
    assert_eq!(
        escalations(&timers_with(&engine, &t, mon("09:00"))),
        ["escalation due 2025-06-09T09:15:00+08:00 fires 2025-06-09T09:15:00+08:00"]
    );
}

#[test]
fn the_policy_chooses_which_assurance_levels_are_escalated() {
    let engine = engine_with(&policy_text("escalate_full_outage = [\"AAA\"]"));
    let silver = outage(
        CustomerLevel::Silver,
        None,
        vec![ev(mon("09:00"), E::Reported)],
    );
    assert_eq!(
        escalations(&timers_with(&engine, &silver, mon("09:00"))),
        Vec::<String>::new()
    );
    let gold = outage(
        CustomerLevel::Gold,
        None,
        vec![ev(mon("09:00"), E::Reported)],
    );
    assert_eq!(
        escalations(&timers_with(&engine, &gold, mon("09:00"))).len(),
        1
    );
}

#[test]
fn a_full_outage_is_not_escalated_after_restoration_nor_twice() {
    let restored = outage(
        CustomerLevel::Gold,
        None,
        vec![
            ev(mon("09:00"), E::Reported),
            dispatched(mon("09:01"), "ops"),
            ev_by(mon("09:02"), E::Accepted, "ops"),
            ev(mon("09:30"), E::Restored),
        ],
    );
    assert_eq!(
        escalations(&timers_at(&restored, mon("09:30"))),
        Vec::<String>::new()
    );
    // Before the restoration it was still to be escalated.
    assert_eq!(escalations(&timers_at(&restored, mon("09:10"))).len(), 1);

    let escalated = outage(
        CustomerLevel::Gold,
        None,
        vec![
            ev(mon("09:00"), E::Reported),
            alert(
                mon("09:00"),
                AlertKind::Escalation,
                None,
                None,
                mon("09:00"),
            ),
        ],
    );
    for now in ["09:00", "09:01", "12:00"] {
        assert_eq!(
            escalations(&timers_at(&escalated, mon(now))),
            Vec::<String>::new(),
            "at {now}"
        );
    }
}

// ---------------------------------------------------------------------------
// Agreed delays

fn suspend(events: Vec<Event>) -> Ticket {
    ticket(
        TicketKind::Change,
        CustomerLevel::Silver,
        |s| s.change_type = Some(ChangeType::Suspend),
        events,
    )
}

#[test]
fn an_agreed_delay_is_reminded_at_its_date_while_the_customer_pause_is_open() {
    let until = at("2025-06-12T09:00:00+08:00");
    let paused = vec![
        ev(mon("09:00"), E::Opened),
        ev(
            mon("10:00"),
            E::Paused {
                reason: PauseReason::Customer,
            },
        ),
        ev(mon("10:05"), E::DelayAgreed { until }),
    ];
    let t = suspend(paused.clone());
    // The suspend clock is stopped; only the agreed date is left to remind of.
    let ts = timers_at(&t, mon("10:05"));
    assert_eq!(
        shown(&ts),
        ["reminder due 2025-06-12T09:00:00+08:00 fires 2025-06-12T09:00:00+08:00"]
    );
    assert_eq!(ts[0].key(), format!("reminder:-@{}", until.as_second()));
    assert_eq!((ts[0].obligation, &ts[0].party), (None, &None));
    // Before the delay is agreed there is nothing to remind of.
    assert_eq!(timers_at(&t, mon("10:01")), []);
    // The date passes with the pause still open: still to fire, until recorded.
    let late = at("2025-06-12T09:30:00+08:00");
    assert_eq!(shown(&timers_at(&t, late)), shown(&ts));
    let mut events = paused;
    events.push(alert(until, AlertKind::Reminder, None, None, until));
    assert_eq!(timers_at(&suspend(events), late), []);
}

#[test]
fn the_latest_agreed_date_is_the_one_reminded() {
    let t = suspend(vec![
        ev(mon("09:00"), E::Opened),
        ev(
            mon("10:00"),
            E::Paused {
                reason: PauseReason::Customer,
            },
        ),
        ev(
            mon("10:05"),
            E::DelayAgreed {
                until: at("2025-06-12T09:00:00+08:00"),
            },
        ),
        ev(
            mon("11:00"),
            E::DelayAgreed {
                until: at("2025-06-13T09:00:00+08:00"),
            },
        ),
    ]);
    assert_eq!(
        shown(&timers_at(&t, mon("11:00"))),
        ["reminder due 2025-06-13T09:00:00+08:00 fires 2025-06-13T09:00:00+08:00"]
    );
}

#[test]
fn the_agreed_delay_reminder_is_gone_once_the_work_resumes() {
    // Suspend within 3 working days of Monday 09:00: 24:00 on Thursday 06-12,
    // pushed by the paused working time from Tuesday 00:00 to Wednesday 14:00
    // (38 h): Friday's 24 h, then 14 h of Monday 06-16. Warned at 75% of the
    // 173 h from the order to 14:00 on 06-16: 129 h 45 min, Saturday 18:45.
    let t = suspend(vec![
        ev(mon("09:00"), E::Opened),
        ev(
            mon("10:00"),
            E::Paused {
                reason: PauseReason::Customer,
            },
        ),
        ev(
            mon("10:05"),
            E::DelayAgreed {
                until: at("2025-06-12T09:00:00+08:00"),
            },
        ),
        ev(at("2025-06-11T14:00:00+08:00"), E::Resumed),
    ]);
    assert_eq!(
        shown(&timers_at(&t, at("2025-06-11T14:00:00+08:00"))),
        [
            "warning complete due 2025-06-16T14:00:00+08:00 fires 2025-06-14T18:45:00+08:00",
            "breach complete due 2025-06-16T14:00:00+08:00 fires 2025-06-16T14:00:00+08:00",
        ]
    );
}

// ---------------------------------------------------------------------------
// Notices

#[test]
fn a_gold_notice_is_warned_of_before_its_deadline_and_before_the_unconfirmed_work() {
    // Work on Monday 2025-06-30 09:00 with 7 working days' notice: by 24:00 on
    // Thursday 06-19. From the opening (Monday 06-09 09:00) that is 255 h, warned
    // after 191 h 15 min: Tuesday 06-17 08:15. The written confirmation is due
    // before the work (504 h away), warned after 378 h: Wednesday 06-25 03:00,
    // and has no breach timer: starting the work unconfirmed is the breach.
    let t = ticket(
        TicketKind::Notice,
        CustomerLevel::Gold,
        |s| s.work_start = Some(at("2025-06-30T09:00:00+08:00")),
        vec![ev(mon("09:00"), E::Opened)],
    );
    assert_eq!(
        shown(&timers_at(&t, mon("09:00"))),
        [
            "warning advance_notice due 2025-06-20T00:00:00+08:00 fires 2025-06-17T08:15:00+08:00",
            "breach advance_notice due 2025-06-20T00:00:00+08:00 fires 2025-06-20T00:00:00+08:00",
            "warning customer_confirmation due 2025-06-30T09:00:00+08:00 fires 2025-06-25T03:00:00+08:00",
        ]
    );
}

#[test]
fn a_bronze_notice_has_no_confirmation_timer() {
    // 4 working days before Monday 06-30: by 24:00 on Tuesday 06-24; 375 h from
    // the opening, warned after 281 h 15 min: Saturday 06-21 02:15.
    let t = ticket(
        TicketKind::Notice,
        CustomerLevel::Bronze,
        |s| s.work_start = Some(at("2025-06-30T09:00:00+08:00")),
        vec![ev(mon("09:00"), E::Opened)],
    );
    assert_eq!(
        shown(&timers_at(&t, mon("09:00"))),
        [
            "warning advance_notice due 2025-06-25T00:00:00+08:00 fires 2025-06-21T02:15:00+08:00",
            "breach advance_notice due 2025-06-25T00:00:00+08:00 fires 2025-06-25T00:00:00+08:00",
        ]
    );
}

// ---------------------------------------------------------------------------
// Finished tickets

#[test]
fn no_timers_once_the_ticket_is_closed_cancelled_or_rejected() {
    let handled = vec![
        ev(mon("09:00"), E::Reported),
        dispatched(mon("09:01"), "ops"),
        ev_by(mon("09:02"), E::Accepted, "ops"),
        ev(mon("09:20"), E::Feedback),
        ev(mon("09:40"), E::Restored),
    ];
    let open = fault(CustomerLevel::Gold, Scope::City, handled.clone());
    assert_eq!(timers_at(&open, mon("09:50")).len(), 4);
    for end in [E::Closed, E::Cancelled, E::Rejected] {
        let mut events = handled.clone();
        events.push(ev(mon("09:50"), end.clone()));
        let t = fault(CustomerLevel::Gold, Scope::City, events);
        assert_eq!(timers_at(&t, mon("09:50")), [], "{}", end.name());
        assert_eq!(timers_at(&t, mon("11:00")), [], "{}", end.name());
        // Before it ended, the follow-ups were still to be warned of.
        assert_eq!(timers_at(&t, mon("09:49")).len(), 4, "{}", end.name());
    }
    for end in [E::Cancelled, E::Rejected] {
        let t = fault(
            CustomerLevel::Gold,
            Scope::City,
            vec![ev(mon("09:00"), E::Reported), ev(mon("09:05"), end.clone())],
        );
        assert_eq!(timers_at(&t, mon("09:05")), [], "{}", end.name());
        let full_outage = outage(
            CustomerLevel::Gold,
            None,
            vec![ev(mon("09:00"), E::Reported), ev(mon("09:05"), end.clone())],
        );
        assert_eq!(timers_at(&full_outage, mon("09:05")), [], "{}", end.name());
    }
}

// ---------------------------------------------------------------------------
// The [alerts] policy

#[test]
fn a_policy_warning_at_fifty_percent_moves_the_warning_to_half_way() {
    let engine = engine_with(&policy_text("warning_at = 50"));
    assert_eq!(engine.policy().alerts.warning_at_percent, 50);
    let t = fault(
        CustomerLevel::Bronze,
        Scope::CrossProvince,
        vec![ev(mon("09:00"), E::Reported)],
    );
    assert_eq!(
        shown(&timers_with(&engine, &t, mon("09:00"))),
        [
            "warning restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T12:00:00+08:00",
            "breach restore due 2025-06-09T15:00:00+08:00 fires 2025-06-09T15:00:00+08:00",
        ]
    );
}

#[test]
fn a_policy_reminder_before_moves_the_feedback_reminder() {
    let engine = engine_with(&policy_text("reminder_before = \"PT10M\""));
    let t = fault(
        CustomerLevel::Gold,
        Scope::City,
        vec![ev(mon("09:00"), E::Reported)],
    );
    assert_eq!(
        about(
            &timers_with(&engine, &t, mon("09:00")),
            ObligationName::ProgressFeedback
        )[0],
        "reminder progress_feedback due 2025-06-09T09:30:00+08:00 fires 2025-06-09T09:20:00+08:00"
    );
    // A reminder longer than the whole interval fires at the report.
    let engine = engine_with(&policy_text("reminder_before = \"PT2H\""));
    assert_eq!(
        about(
            &timers_with(&engine, &t, mon("09:00")),
            ObligationName::ProgressFeedback
        )[0],
        "reminder progress_feedback due 2025-06-09T09:30:00+08:00 fires 2025-06-09T09:00:00+08:00"
    );
}

#[test]
fn the_default_alert_settings_are_the_documented_ones() {
    let alerts = &Policy::default_policy().alerts;
    assert_eq!(*alerts, AlertPolicy::default());
    assert_eq!(alerts.warning_at_percent, 75);
    assert_eq!(alerts.reminder_before, SignedDuration::from_mins(5));
    assert_eq!(
        alerts.escalate_full_outage,
        [AssuranceLevel::AAA, AssuranceLevel::AA]
    );
    assert_eq!(alerts.escalate_after, SignedDuration::ZERO);
}

#[test]
fn invalid_alert_settings_are_rejected_with_line_and_column() {
    let cases = [
        (
            "warning_at = 0",
            "alerts.toml:7:14: `alerts.warning_at`: 0 is not a percentage between 1 and 99",
        ),
        (
            "warning_at = 100",
            "alerts.toml:7:14: `alerts.warning_at`: 100 is not a percentage between 1 and 99",
        ),
        (
            "warning_at = -5",
            "alerts.toml:7:14: `alerts.warning_at`: -5 is not a percentage between 1 and 99",
        ),
        (
            "warning_at = \"75\"",
            "alerts.toml:7:14: `alerts.warning_at` must be an integer",
        ),
        (
            "reminder_before = \"-PT5M\"",
            "alerts.toml:7:19: `alerts.reminder_before`: must not be negative",
        ),
        (
            "escalate_after = \"-PT1M\"",
            "alerts.toml:7:18: `alerts.escalate_after`: must not be negative",
        ),
        (
            "escalate_full_outage = [\"AAA\", \"AAAA\"]",
            "alerts.toml:7:32: `alerts.escalate_full_outage[1]`: unknown assurance level \"AAAA\"; expected one of: AAA, AA, A, ordinary",
        ),
        (
            "warning = 50",
            "alerts.toml:7:1: unknown key `warning` in `alerts`; expected one of: warning_at, reminder_before, escalate_full_outage, escalate_after",
        ),
    ];
    for (body, want) in cases {
        let err = Policy::parse("alerts.toml", &policy_text(body)).unwrap_err();
        assert_eq!(err.to_string(), want, "{body}");
    }
}

#[test]
fn every_invalid_alert_setting_is_reported_at_once() {
    let text = policy_text(
        "warning_at = 100\nreminder_before = \"-PT5M\"\nescalate_full_outage = [\"AAAA\"]\nescalate_after = \"-PT1M\"",
    );
    let err = Policy::parse("alerts.toml", &text).unwrap_err();
    let lines: Vec<String> = err.0.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(
        lines[0].starts_with("alerts.toml:7:14: `alerts.warning_at`"),
        "{}",
        lines[0]
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("alerts.toml:8:19: `alerts.reminder_before`")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("alerts.toml:9:25: `alerts.escalate_full_outage[0]`")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("alerts.toml:10:18: `alerts.escalate_after`")),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Properties over random fault histories

fn base() -> Timestamp {
    mon("09:00")
}

fn plus(mins: i64) -> Timestamp {
    base().checked_add(SignedDuration::from_mins(mins)).unwrap()
}

const PARTIES: [Option<&str>; 3] = [Some("ops"), Some("field"), None];
const OBLIGATIONS: [Option<ObligationName>; 4] = [
    None,
    Some(ObligationName::Restore),
    Some(ObligationName::Accept),
    Some(ObligationName::ProgressFeedback),
];

/// A fault reported at `base()`, then random steps `(gap in minutes, op, arg)`:
/// feedbacks, dispatches, acceptances, pauses and resumes, a restoration, a
/// report request, and alerts the scheduler might have recorded.
fn random_fault(
    level: u8,
    assurance: Option<u8>,
    full_outage: bool,
    steps: &[(i64, u8, u8)],
) -> Ticket {
    let mut spec = TicketSpec::new(
        "P".parse().unwrap(),
        TicketKind::Fault,
        CustomerLevel::ALL[level as usize % 4],
    );
    spec.scope = Some(Scope::ALL[level as usize % 3]);
    spec.assurance_level = assurance.map(|a| AssuranceLevel::ALL[a as usize % 4]);
    spec.full_outage = full_outage;
    let mut events = vec![ev(base(), E::Reported)];
    let (mut t, mut paused, mut restored) = (0, false, false);
    for &(gap, op, arg) in steps {
        t += gap;
        let who = PARTIES[arg as usize % 3];
        let kind = match op {
            0 | 1 => E::Feedback,
            2 => E::Dispatched {
                to: who.map(|p| p.parse().unwrap()),
            },
            3 => {
                events.push(Event {
                    at: plus(t),
                    kind: E::Accepted,
                    by: who.map(|p| p.parse().unwrap()),
                });
                continue;
            }
            4 if paused => {
                paused = false;
                E::Resumed
            }
            4 => {
                paused = true;
                E::Paused {
                    reason: PauseReason::ALL[arg as usize % 3],
                }
            }
            5 if !restored => {
                restored = true;
                E::Restored
            }
            5 => E::Feedback,
            6 => E::ReportRequested,
            _ => E::Alert {
                alert: AlertKind::ALL[arg as usize % 4],
                obligation: OBLIGATIONS[(arg as usize / 4) % 4],
                party: PARTIES[(arg as usize / 2) % 3].map(|p| p.parse().unwrap()),
                due: plus(i64::from(arg) * 10),
            },
        };
        events.push(ev(plus(t), kind));
    }
    Ticket::new(spec, events).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn timers_fire_by_their_due_instant_in_order_with_unique_keys_and_one_alert_removes_one_timer(
        level in 0u8..12,
        assurance in proptest::option::of(0u8..4),
        full_outage in any::<bool>(),
        steps in proptest::collection::vec((0i64..50, 0u8..8, 0u8..24), 0..14),
        now in -10i64..900,
    ) {
        let t = random_fault(level, assurance, full_outage, &steps);
        let now = plus(now);
        let before = timers_at(&t, now);
        // Alerts recorded after the instant evaluated do not count yet.
        let fired: Vec<String> = t
            .events()
            .iter()
            .take_while(|e| e.at <= now)
            .filter_map(|e| alert_key(&e.kind))
            .collect();
        for (i, timer) in before.iter().enumerate() {
            prop_assert!(timer.fire_at <= timer.due, "{}", show(timer));
            if i > 0 {
                prop_assert!(before[i - 1].fire_at <= timer.fire_at, "{:?}", shown(&before));
            }
            prop_assert!(!before[..i].iter().any(|o| o.key() == timer.key()), "{:?}", shown(&before));
            prop_assert!(!fired.contains(&timer.key()), "{} already fired", timer.key());
            prop_assert_eq!(alert_key(&timer.event()), Some(timer.key()));
        }
        for timer in &before {
            let mut events = t.events().to_vec();
            events.push(Event { at: now, kind: timer.event(), by: None });
            let after_firing = Ticket::new(t.spec().clone(), events).unwrap();
            let after = timers_at(&after_firing, now);
            let expected: Vec<Timer> = before.iter().filter(|o| o.key() != timer.key()).cloned().collect();
            prop_assert_eq!(after, expected, "after firing {}", timer.key());
        }
    }

    #[test]
    fn a_closed_or_withdrawn_fault_has_no_timers(
        level in 0u8..12,
        full_outage in any::<bool>(),
        steps in proptest::collection::vec((0i64..50, 0u8..8, 0u8..24), 0..14),
        end in 0u8..3,
        later in 0i64..600,
    ) {
        let t = random_fault(level, None, full_outage, &steps);
        let last = t.events().last().map_or(base(), |e| e.at);
        let mut events = t.events().to_vec();
        let kind = [E::Closed, E::Cancelled, E::Rejected][end as usize].clone();
        events.push(ev(last, kind));
        let ended = Ticket::new(t.spec().clone(), events).unwrap();
        let now = last.checked_add(SignedDuration::from_mins(later)).unwrap();
        prop_assert_eq!(timers_at(&ended, now), Vec::<Timer>::new());
    }
}
