//! Behaviour of evaluate on realistic histories, one behaviour a test.

use jiff::SignedDuration;
use tierdesk_core::EventKind as E;
use tierdesk_core::*;

use crate::{at, bj, engine, evaluate, ob, ticket};

fn gold_fault(scope: Scope, events: &[(&str, E)]) -> Ticket {
    ticket(
        TicketKind::Fault,
        CustomerLevel::Gold,
        |s| s.scope = Some(scope),
        events,
    )
}

fn paused(reason: PauseReason) -> E {
    E::Paused { reason }
}

#[test]
fn gold_fault_restore_due_after_customer_pause() {
    let t = gold_fault(
        Scope::CrossProvince,
        &[
            ("2025-09-30T16:00:00+08:00", E::Reported),
            ("2025-09-30T17:00:00+08:00", paused(PauseReason::Customer)),
            ("2025-09-30T18:00:00+08:00", E::Resumed),
            ("2025-09-30T21:00:00+08:00", E::Restored),
        ],
    );
    let e = evaluate(&t, "2025-10-01T09:00:00+08:00");
    let r = ob(&e, ObligationName::Restore);
    assert_eq!(r.state, ObligationState::Met);
    assert_eq!(bj(r.due), "2025-09-30T21:00:00+08:00");
    assert_eq!(r.counted, Some(SignedDuration::from_hours(4)));
    assert_eq!(
        r.paused.get(PauseReason::Customer),
        SignedDuration::from_hours(1)
    );
    assert_eq!(r.lateness, None);
}

#[test]
fn gold_customer_on_an_a_service_gets_a_restore_limit_and_gold_feedback_cadence() {
    let t = ticket(
        TicketKind::Fault,
        CustomerLevel::Gold,
        |s| {
            s.scope = Some(Scope::City);
            s.assurance_level = Some(AssuranceLevel::A);
        },
        &[("2025-06-03T10:00:00+08:00", E::Reported)],
    );
    let e = evaluate(&t, "2025-06-03T10:10:00+08:00");
    assert_eq!(
        bj(ob(&e, ObligationName::Restore).due),
        "2025-06-03T16:00:00+08:00"
    );
    assert_eq!(
        bj(ob(&e, ObligationName::ProgressFeedback).due),
        "2025-06-03T10:30:00+08:00"
    );
    assert_eq!(e.assurance_level, AssuranceLevel::A);
}

#[test]
fn restore_clock_starts_at_the_alarm_when_it_precedes_the_report() {
    let t = gold_fault(
        Scope::City,
        &[
            ("2025-06-03T10:20:00+08:00", E::Reported),
            ("2025-06-03T10:00:00+08:00", E::Alarm),
        ],
    );
    let e = evaluate(&t, "2025-06-03T10:30:00+08:00");
    assert_eq!(
        bj(ob(&e, ObligationName::Restore).start),
        "2025-06-03T10:00:00+08:00"
    );
}

#[test]
fn open_customer_pause_shows_the_restore_clock_paused_with_its_remaining_time() {
    let t = gold_fault(
        Scope::City,
        &[
            ("2025-06-03T10:00:00+08:00", E::Reported),
            ("2025-06-03T10:30:00+08:00", paused(PauseReason::Customer)),
        ],
    );
    let e = evaluate(&t, "2025-06-03T20:00:00+08:00");
    let r = ob(&e, ObligationName::Restore);
    assert_eq!(r.state, ObligationState::Paused);
    assert_eq!(r.due, None);
    assert_eq!(r.remaining, Some(SignedDuration::from_mins(90)));
    assert_eq!(
        r.paused.get(PauseReason::Customer),
        SignedDuration::from_mins(570)
    );
    // Feedback cadence runs on the wall clock regardless of the pause.
    assert_eq!(
        ob(&e, ObligationName::ProgressFeedback).state,
        ObligationState::Breached
    );
}

#[test]
fn interconnection_time_is_excluded_but_an_other_pause_does_not_stop_the_restore_clock() {
    let base = [("2025-06-03T10:00:00+08:00", E::Reported)];
    let with = |reason| {
        let mut evs = base.to_vec();
        evs.push(("2025-06-03T10:30:00+08:00", paused(reason)));
        evs.push(("2025-06-03T11:30:00+08:00", E::Resumed));
        gold_fault(Scope::City, &evs)
    };
    let e = evaluate(
        &with(PauseReason::Interconnection),
        "2025-06-03T11:45:00+08:00",
    );
    assert_eq!(
        bj(ob(&e, ObligationName::Restore).due),
        "2025-06-03T13:00:00+08:00"
    );
    let e = evaluate(&with(PauseReason::Other), "2025-06-03T11:45:00+08:00");
    let r = ob(&e, ObligationName::Restore);
    assert_eq!(bj(r.due), "2025-06-03T12:00:00+08:00");
    assert!(r.paused.total().is_zero());
}

#[test]
fn a_late_restoration_stays_breached_and_keeps_its_lateness() {
    let t = gold_fault(
        Scope::City,
        &[
            ("2025-06-03T10:00:00+08:00", E::Reported),
            ("2025-06-03T12:45:00+08:00", E::Restored),
        ],
    );
    let e = evaluate(&t, "2025-06-05T00:00:00+08:00");
    let r = ob(&e, ObligationName::Restore);
    assert_eq!(r.state, ObligationState::Breached);
    assert_eq!(bj(r.met_at), "2025-06-03T12:45:00+08:00");
    assert_eq!(r.lateness, Some(SignedDuration::from_mins(45)));
}

#[test]
fn evaluating_at_an_earlier_instant_ignores_later_events() {
    let t = gold_fault(
        Scope::City,
        &[
            ("2025-06-03T10:00:00+08:00", E::Reported),
            ("2025-06-03T11:00:00+08:00", E::Restored),
        ],
    );
    let before = evaluate(&t, "2025-06-03T10:59:59+08:00");
    assert_eq!(
        ob(&before, ObligationName::Restore).state,
        ObligationState::Pending
    );
    assert_eq!(
        ob(&before, ObligationName::Restore).remaining,
        Some(SignedDuration::from_secs(3601))
    );
    let after = evaluate(&t, "2025-06-03T11:00:00+08:00");
    assert_eq!(
        ob(&after, ObligationName::Restore).state,
        ObligationState::Met
    );
}

#[test]
fn evaluating_the_same_input_twice_gives_the_same_output() {
    let t = gold_fault(
        Scope::CrossCity,
        &[
            ("2025-06-03T10:00:00+08:00", E::Reported),
            ("2025-06-03T10:10:00+08:00", E::Feedback),
            ("2025-06-03T10:20:00+08:00", paused(PauseReason::Customer)),
        ],
    );
    assert_eq!(
        evaluate(&t, "2025-06-03T12:00:00+08:00"),
        evaluate(&t, "2025-06-03T12:00:00+08:00")
    );
}

#[test]
fn terminal_complaint_without_a_line_is_handled_as_ordinary_level() {
    let t = ticket(
        TicketKind::Complaint,
        CustomerLevel::Gold,
        |s| {
            s.scope = Some(Scope::City);
            s.terminal = true;
        },
        &[("2025-06-03T10:00:00+08:00", E::Reported)],
    );
    let e = evaluate(&t, "2025-06-03T10:00:00+08:00");
    assert_eq!(e.assurance_level, AssuranceLevel::Ordinary);
    assert_eq!(
        bj(ob(&e, ObligationName::Resolve).due),
        "2025-06-03T18:00:00+08:00"
    );
}

#[test]
fn a_fault_outside_operator_equipment_has_no_restore_limit() {
    let t = ticket(
        TicketKind::Fault,
        CustomerLevel::Gold,
        |s| {
            s.scope = Some(Scope::City);
            s.operator_equipment = false;
        },
        &[("2025-06-03T10:00:00+08:00", E::Reported)],
    );
    let e = evaluate(&t, "2025-06-03T18:00:00+08:00");
    assert_eq!(
        ob(&e, ObligationName::Restore).state,
        ObligationState::NotApplicable
    );
}

#[test]
fn each_department_of_a_multi_department_dispatch_accepts_on_its_own_clock() {
    let dispatch = |to: &str| E::Dispatched {
        to: Some(to.parse().unwrap()),
    };
    let mut spec = TicketSpec::new(
        "F-9".parse().unwrap(),
        TicketKind::Fault,
        CustomerLevel::Gold,
    );
    spec.scope = Some(Scope::CrossCity);
    let ev = |t: &str, kind: E, by: Option<&str>| Event {
        at: at(t),
        kind,
        by: by.map(|b| b.parse().unwrap()),
    };
    let t = Ticket::new(
        spec,
        vec![
            ev("2025-06-03T10:00:00+08:00", E::Alarm, None),
            ev("2025-06-03T10:01:00+08:00", dispatch("ops-guangzhou"), None),
            ev("2025-06-03T10:01:00+08:00", dispatch("ops-shenzhen"), None),
            ev(
                "2025-06-03T10:05:00+08:00",
                E::Accepted,
                Some("ops-shenzhen"),
            ),
            ev(
                "2025-06-03T10:20:00+08:00",
                E::Accepted,
                Some("ops-guangzhou"),
            ),
        ],
    )
    .unwrap();
    let e = evaluate(&t, "2025-06-03T10:30:00+08:00");
    let accepts: Vec<_> = e
        .obligations
        .iter()
        .filter(|o| o.name == ObligationName::Accept)
        .collect();
    assert_eq!(accepts.len(), 2);
    assert_eq!(
        (
            accepts[0].party.as_ref().unwrap().as_str(),
            accepts[0].state
        ),
        ("ops-guangzhou", ObligationState::Breached)
    );
    assert_eq!(accepts[0].lateness, Some(SignedDuration::from_mins(9)));
    assert_eq!(
        (
            accepts[1].party.as_ref().unwrap().as_str(),
            accepts[1].state
        ),
        ("ops-shenzhen", ObligationState::Met)
    );
}

#[test]
fn silver_progress_feedback_is_breached_by_one_gap_over_an_hour() {
    let t = ticket(
        TicketKind::Fault,
        CustomerLevel::Silver,
        |s| s.scope = Some(Scope::City),
        &[
            ("2025-06-03T10:00:00+08:00", E::Reported),
            ("2025-06-03T10:50:00+08:00", E::Feedback),
            ("2025-06-03T11:40:00+08:00", E::Feedback),
        ],
    );
    let pending = evaluate(&t, "2025-06-03T12:00:00+08:00");
    let pf = ob(&pending, ObligationName::ProgressFeedback);
    assert_eq!(
        (pf.state, bj(pf.due)),
        (
            ObligationState::Pending,
            "2025-06-03T12:40:00+08:00".to_owned()
        )
    );
    let late = evaluate(&t, "2025-06-03T12:41:00+08:00");
    let pf = ob(&late, ObligationName::ProgressFeedback);
    assert_eq!(
        (pf.state, bj(pf.due)),
        (
            ObligationState::Breached,
            "2025-06-03T12:40:00+08:00".to_owned()
        )
    );
    assert_eq!(
        pf.detail,
        Some(Detail::Cadence {
            given: 2,
            missed: 1
        })
    );
}

#[test]
fn customer_pause_pushes_a_change_deadline_but_interconnection_does_not() {
    let events = |reason| {
        vec![
            ("2025-06-02T10:00:00+08:00", E::Opened),
            ("2025-06-03T00:00:00+08:00", paused(reason)),
            ("2025-06-04T00:00:00+08:00", E::Resumed),
        ]
    };
    let change = |reason| {
        ticket(
            TicketKind::Change,
            CustomerLevel::Gold,
            |s| s.change_type = Some(ChangeType::Suspend),
            &events(reason),
        )
    };
    let e = evaluate(&change(PauseReason::Customer), "2025-06-04T00:00:00+08:00");
    assert_eq!(
        bj(ob(&e, ObligationName::Complete).due),
        "2025-06-07T00:00:00+08:00"
    );
    let e = evaluate(
        &change(PauseReason::Interconnection),
        "2025-06-04T00:00:00+08:00",
    );
    assert_eq!(
        bj(ob(&e, ObligationName::Complete).due),
        "2025-06-06T00:00:00+08:00"
    );
}

#[test]
fn gold_notice_by_email_does_not_count_and_work_before_confirmation_is_a_breach() {
    let t = ticket(
        TicketKind::Notice,
        CustomerLevel::Gold,
        |s| s.work_start = Some(at("2025-10-20T09:00:00+08:00")),
        &[
            (
                "2025-10-09T09:00:00+08:00",
                E::NoticeSent {
                    channel: Some(NoticeChannel::Email),
                },
            ),
            ("2025-10-20T09:00:00+08:00", E::WorkStarted),
        ],
    );
    let e = evaluate(&t, "2025-10-20T10:00:00+08:00");
    let n = ob(&e, ObligationName::AdvanceNotice);
    assert_eq!(n.state, ObligationState::Breached);
    assert!(matches!(n.detail, Some(Detail::Notice { ignored: 1, .. })));
    assert_eq!(
        ob(&e, ObligationName::CustomerConfirmation).state,
        ObligationState::Breached
    );
}

#[test]
fn gold_notice_by_letter_in_time_and_confirmed_is_met_and_a_reschedule_moves_the_deadline() {
    let t = ticket(
        TicketKind::Notice,
        CustomerLevel::Gold,
        |s| s.work_start = Some(at("2025-10-20T09:00:00+08:00")),
        &[
            (
                "2025-10-09T09:00:00+08:00",
                E::NoticeSent {
                    channel: Some(NoticeChannel::Letter),
                },
            ),
            ("2025-10-10T09:00:00+08:00", E::CustomerConfirmed),
            (
                "2025-10-10T10:00:00+08:00",
                E::Rescheduled {
                    work_start: at("2025-10-27T09:00:00+08:00"),
                },
            ),
            ("2025-10-27T09:00:00+08:00", E::WorkStarted),
            ("2025-10-27T11:00:00+08:00", E::WorkFinished),
        ],
    );
    let e = evaluate(&t, "2025-10-27T12:00:00+08:00");
    let n = ob(&e, ObligationName::AdvanceNotice);
    assert_eq!(
        (n.state, bj(n.due)),
        (ObligationState::Met, "2025-10-17T00:00:00+08:00".to_owned())
    );
    assert_eq!(
        ob(&e, ObligationName::CustomerConfirmation).state,
        ObligationState::Met
    );
    let p = ob(&e, ObligationName::PostWorkConfirmation);
    assert_eq!(
        (p.state, bj(p.start)),
        (
            ObligationState::Pending,
            "2025-10-27T11:00:00+08:00".to_owned()
        )
    );
}

#[test]
fn a_deadline_in_a_year_without_official_data_is_flagged_provisional() {
    let t = ticket(
        TicketKind::Change,
        CustomerLevel::Gold,
        |s| s.change_type = Some(ChangeType::Close),
        &[("2026-12-30T10:00:00+08:00", E::Opened)],
    );
    let e = evaluate(&t, "2026-12-30T10:00:00+08:00");
    let c = ob(&e, ObligationName::Complete);
    assert!(c.provisional, "due {}", bj(c.due));
    let t = ticket(
        TicketKind::Change,
        CustomerLevel::Gold,
        |s| s.change_type = Some(ChangeType::Close),
        &[("2026-06-01T10:00:00+08:00", E::Opened)],
    );
    assert!(
        !ob(
            &evaluate(&t, "2026-06-01T10:00:00+08:00"),
            ObligationName::Complete
        )
        .provisional
    );
}

#[test]
fn a_ticket_naming_another_policy_version_is_refused() {
    let t = ticket(
        TicketKind::Fault,
        CustomerLevel::Gold,
        |s| {
            s.scope = Some(Scope::City);
            s.policy = Some(PolicyRef {
                name: "group-customer-sla-template".into(),
                version: "2024.9".into(),
            });
        },
        &[],
    );
    let err = engine()
        .evaluate(&t, at("2025-06-03T10:00:00+08:00"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the ticket was opened under policy group-customer-sla-template 2024.9, but this is group-customer-sla-template 2025.1"
    );
}

#[test]
fn inconsistent_histories_and_fields_are_rejected_with_the_field_named() {
    let spec = |kind| {
        let mut s = TicketSpec::new("X".parse().unwrap(), kind, CustomerLevel::Gold);
        s.scope = Some(Scope::City);
        s
    };
    let ev = |t: &str, kind| Event {
        at: at(t),
        kind,
        by: None,
    };
    let err = |s, events| Ticket::new(s, events).unwrap_err().to_string();
    assert_eq!(
        err(
            spec(TicketKind::Fault),
            vec![
                ev("2025-01-01T00:00:00Z", paused(PauseReason::Customer)),
                ev("2025-01-01T01:00:00Z", paused(PauseReason::Other))
            ]
        ),
        "events[1].type: paused while the pause of events[0] is still open; resume it first"
    );
    assert_eq!(
        err(
            spec(TicketKind::Complaint),
            vec![ev("2025-01-01T00:00:00Z", E::Restored)]
        ),
        "events[0].type: a complaint ticket does not take `restored` events"
    );
    let mut no_scope = spec(TicketKind::Fault);
    no_scope.scope = None;
    assert_eq!(
        err(no_scope, vec![]),
        "scope: a fault ticket needs a scope: city, cross_city or cross_province"
    );
    assert_eq!(
        err(spec(TicketKind::Notice), vec![]),
        "work_start: a notice ticket needs work_start, the planned start of the work (RFC 3339)"
    );
    // Out of order input is fine as long as, in time order, pauses pair up.
    let ok = Ticket::new(
        spec(TicketKind::Fault),
        vec![
            ev("2025-01-01T02:00:00Z", E::Resumed),
            ev("2025-01-01T01:00:00Z", paused(PauseReason::Customer)),
        ],
    );
    assert!(ok.is_ok());
}

#[test]
fn provisioning_customer_delay_pushes_acceptance_by_the_delayed_working_time() {
    let t = ticket(
        TicketKind::Provisioning,
        CustomerLevel::Gold,
        |s| s.category = Some(Category::DedicatedLine),
        &[
            ("2025-06-02T18:00:00+08:00", E::ConstructionCompleted),
            ("2025-06-03T00:00:00+08:00", paused(PauseReason::Customer)),
            ("2025-06-05T00:00:00+08:00", E::Resumed),
        ],
    );
    let e = evaluate(&t, "2025-06-05T00:00:00+08:00");
    // 10 working days from Tue 3 June would end Mon 16 June; two paused working days push it to Wed 18.
    assert_eq!(
        bj(ob(&e, ObligationName::Acceptance).due),
        "2025-06-19T00:00:00+08:00"
    );
}

#[test]
fn a_cancelled_complaint_has_no_open_promises_but_keeps_its_breaches() {
    let t = ticket(
        TicketKind::Complaint,
        CustomerLevel::Gold,
        |s| s.scope = Some(Scope::City),
        &[
            ("2025-06-03T10:00:00+08:00", E::Reported),
            (
                "2025-06-03T10:01:00+08:00",
                E::Dispatched {
                    to: Some("ops".parse().unwrap()),
                },
            ),
            ("2025-06-03T10:30:00+08:00", E::Cancelled),
        ],
    );
    let e = evaluate(&t, "2025-06-04T10:00:00+08:00");
    assert_eq!(
        ob(&e, ObligationName::Accept).state,
        ObligationState::Breached
    );
    let r = ob(&e, ObligationName::Resolve);
    assert_eq!(r.state, ObligationState::NotApplicable);
    assert!(matches!(r.detail, Some(Detail::Note(n)) if n.contains("cancelled")));
    assert_eq!(t.status(at("2025-06-04T10:00:00+08:00")), Status::Cancelled);
}

#[test]
fn status_follows_the_lifecycle() {
    let t = gold_fault(
        Scope::City,
        &[
            ("2025-06-03T10:00:00+08:00", E::Reported),
            ("2025-06-03T10:05:00+08:00", E::Dispatched { to: None }),
            (
                "2025-06-03T10:10:00+08:00",
                paused(PauseReason::Interconnection),
            ),
            ("2025-06-03T10:20:00+08:00", E::Resumed),
            ("2025-06-03T11:00:00+08:00", E::Restored),
            ("2025-06-03T11:10:00+08:00", E::Feedback),
            ("2025-06-04T11:00:00+08:00", E::Closed),
        ],
    );
    let status = |s: &str| t.status(at(s));
    assert_eq!(status("2025-06-03T10:01:00+08:00"), Status::Acknowledged);
    assert_eq!(status("2025-06-03T10:06:00+08:00"), Status::InProgress);
    assert_eq!(status("2025-06-03T10:15:00+08:00"), Status::Held);
    assert_eq!(status("2025-06-03T10:30:00+08:00"), Status::InProgress);
    assert_eq!(status("2025-06-03T11:30:00+08:00"), Status::Resolved);
    assert_eq!(status("2025-06-05T00:00:00+08:00"), Status::Closed);
}
