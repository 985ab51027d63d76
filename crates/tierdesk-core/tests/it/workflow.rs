//! The workflow state machines, one kind at a time: the stages a ticket goes
//! through when recorded the way the template works, and every refusal with
//! the substance of what it tells the person recording.

use jiff::SignedDuration;
use tierdesk_core::EventKind as E;
use tierdesk_core::*;

use crate::at;

const LEVELS: [CustomerLevel; 4] = [
    CustomerLevel::Gold,
    CustomerLevel::Silver,
    CustomerLevel::Bronze,
    CustomerLevel::Standard,
];

fn party(s: &str) -> Party {
    s.parse().unwrap()
}

fn item(s: &str) -> ItemName {
    s.parse().unwrap()
}

/// A spec with the fields its kind needs: a city-scope fault or complaint, a
/// suspend change, a dedicated-line provisioning order, a notice of work on
/// Monday 2025-06-30 09:00 Beijing time.
fn spec(kind: TicketKind, level: CustomerLevel, setup: impl FnOnce(&mut TicketSpec)) -> TicketSpec {
    let mut s = TicketSpec::new("W-1".parse().unwrap(), kind, level);
    match kind {
        TicketKind::Fault | TicketKind::Complaint => s.scope = Some(Scope::City),
        TicketKind::Change => s.change_type = Some(ChangeType::Suspend),
        TicketKind::Provisioning => s.category = Some(Category::DedicatedLine),
        TicketKind::Notice => s.work_start = Some(at("2025-06-30T09:00:00+08:00")),
    }
    setup(&mut s);
    s
}

/// An event by nobody in particular; the instant is set when it is recorded.
fn ev(kind: E) -> Event {
    Event {
        at: at("2025-06-09T09:00:00+08:00"),
        kind,
        by: None,
    }
}

/// An event by a named department.
fn by(kind: E, who: &str) -> Event {
    Event {
        by: Some(party(who)),
        ..ev(kind)
    }
}

fn dispatched(to: &str) -> Event {
    ev(E::Dispatched {
        to: Some(party(to)),
    })
}

fn accepted(who: &str) -> Event {
    by(E::Accepted, who)
}

fn paused(reason: PauseReason) -> Event {
    ev(E::Paused { reason })
}

fn callback() -> Event {
    ev(E::Callback { satisfied: true })
}

/// A ticket being recorded: each event goes through the workflow first, as the
/// server does, one minute after the previous one.
struct Desk {
    spec: TicketSpec,
    recorded: Vec<Event>,
}

impl Desk {
    fn new(kind: TicketKind, level: CustomerLevel) -> Desk {
        Desk::with(spec(kind, level, |_| {}))
    }

    fn with(spec: TicketSpec) -> Desk {
        Desk {
            spec,
            recorded: Vec::new(),
        }
    }

    fn workflow(&self) -> Workflow<'_> {
        Workflow::replay(Policy::default_policy(), &self.spec, &self.recorded)
    }

    fn stage(&self) -> Stage {
        self.workflow().stage()
    }

    fn stamp(&self, mut e: Event) -> Event {
        let mins = i64::try_from(self.recorded.len()).unwrap();
        e.at = at("2025-06-09T09:00:00+08:00")
            .checked_add(SignedDuration::from_mins(mins))
            .unwrap();
        e
    }

    /// Records `e`, which the workflow must allow; returns the stage it leads to.
    #[track_caller]
    fn record(&mut self, e: Event) -> Stage {
        let e = self.stamp(e);
        if let Err(why) = self.workflow().check(&e) {
            panic!(
                "`{}` refused after {:?}: {why}",
                e.kind.name(),
                self.names()
            );
        }
        self.recorded.push(e);
        self.stage()
    }

    /// Records each event and checks the stage it leads to.
    #[track_caller]
    fn walk(&mut self, steps: Vec<(Event, Stage)>) {
        for (e, want) in steps {
            let name = e.kind.name();
            assert_eq!(self.record(e), want, "stage after `{name}`");
        }
    }

    /// Appends without judgement (a history recorded elsewhere).
    fn replayed(mut self, events: Vec<Event>) -> Desk {
        for e in events {
            let e = self.stamp(e);
            self.recorded.push(e);
        }
        self
    }

    /// The workflow's refusal of `e`, which must be refused; the stage stays.
    #[track_caller]
    fn refused(&self, e: Event) -> String {
        let before = self.stage();
        let name = e.kind.name();
        let why = self
            .workflow()
            .check(&self.stamp(e))
            .expect_err(&format!("`{name}` allowed after {:?}", self.names()));
        assert_eq!(self.stage(), before);
        why
    }

    #[track_caller]
    fn allows(&self, e: Event) -> bool {
        self.workflow().check(&self.stamp(e)).is_ok()
    }

    fn names(&self) -> Vec<&'static str> {
        self.recorded.iter().map(|e| e.kind.name()).collect()
    }
}

#[track_caller]
fn assert_says(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            message.contains(part),
            "{part:?} missing from the message {message:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Faults

#[test]
fn a_bronze_fault_goes_from_report_to_close_through_every_stage() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Bronze);
    assert_eq!(d.stage(), Stage::Logged);
    d.walk(vec![
        (ev(E::Reported), Stage::Logged),
        (ev(E::Prescreened), Stage::Prescreened),
        (dispatched("ops"), Stage::AwaitingAcceptance),
        (accepted("ops"), Stage::InProgress),
        (paused(PauseReason::Customer), Stage::Paused),
        (ev(E::Feedback), Stage::Paused),
        (ev(E::Resumed), Stage::InProgress),
        (ev(E::Feedback), Stage::InProgress),
        (ev(E::Restored), Stage::Handled),
        (ev(E::Feedback), Stage::Handled),
        (ev(E::ReportRequested), Stage::Handled),
        (ev(E::ReportSent), Stage::Handled),
        (callback(), Stage::Handled),
        (ev(E::Closed), Stage::Closed),
    ]);
    assert!(d.workflow().is_ended());
}

#[test]
fn a_gold_fault_is_dispatched_without_prescreening_and_closes_after_its_proactive_report() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
    d.walk(vec![
        (ev(E::Alarm), Stage::Logged),
        (ev(E::Reported), Stage::Logged),
        (dispatched("ops"), Stage::AwaitingAcceptance),
        (accepted("ops"), Stage::InProgress),
        (ev(E::Feedback), Stage::InProgress),
        (ev(E::Restored), Stage::Handled),
        (ev(E::Feedback), Stage::Handled),
        (callback(), Stage::Handled),
    ]);
    let why = d.refused(ev(E::Closed));
    assert_says(&why, &["send the written report first", "`report_sent`"]);
    d.walk(vec![
        (ev(E::ReportSent), Stage::Handled),
        (ev(E::Closed), Stage::Closed),
    ]);
}

#[test]
fn an_aaa_fault_is_dispatched_to_every_department_at_once_and_in_progress_once_all_accept() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
    d.walk(vec![
        (ev(E::Reported), Stage::Logged),
        (dispatched("ops"), Stage::AwaitingAcceptance),
        (dispatched("transmission"), Stage::AwaitingAcceptance),
        (dispatched("city-b"), Stage::AwaitingAcceptance),
        (accepted("city-b"), Stage::AwaitingAcceptance),
        (accepted("ops"), Stage::AwaitingAcceptance),
        (accepted("transmission"), Stage::InProgress),
    ]);
    assert_says(
        &d.refused(accepted("ops")),
        &["every dispatch is already accepted"],
    );
}

#[test]
fn dispatch_before_prescreening_is_refused_for_bronze_silver_and_standard() {
    for kind in [TicketKind::Fault, TicketKind::Complaint] {
        for level in [
            CustomerLevel::Silver,
            CustomerLevel::Bronze,
            CustomerLevel::Standard,
        ] {
            let mut d = Desk::new(kind, level);
            d.record(ev(E::Reported));
            let why = d.refused(dispatched("ops"));
            assert_says(
                &why,
                &[
                    "pre-screen it first (`prescreened`)",
                    "only gold customers, AAA services and green-channel faults skip pre-screening",
                ],
            );
            assert_says(&d.refused(ev(E::Dispatched { to: None })), &["pre-screen"]);
            assert_eq!(d.record(ev(E::Prescreened)), Stage::Prescreened);
            assert_eq!(d.record(dispatched("ops")), Stage::AwaitingAcceptance);
        }
    }
}

#[test]
fn gold_customers_aaa_services_and_green_channel_faults_skip_prescreening() {
    let cases = [
        ("gold", spec(TicketKind::Fault, CustomerLevel::Gold, |_| {})),
        (
            "gold customer on an A service",
            spec(TicketKind::Fault, CustomerLevel::Gold, |s| {
                s.assurance_level = Some(AssuranceLevel::A)
            }),
        ),
        (
            "bronze customer on an AAA service",
            spec(TicketKind::Fault, CustomerLevel::Bronze, |s| {
                s.assurance_level = Some(AssuranceLevel::AAA)
            }),
        ),
        (
            "silver complaint on an AAA service",
            spec(TicketKind::Complaint, CustomerLevel::Silver, |s| {
                s.assurance_level = Some(AssuranceLevel::AAA)
            }),
        ),
        (
            "gold complaint",
            spec(TicketKind::Complaint, CustomerLevel::Gold, |_| {}),
        ),
        (
            "silver green channel",
            spec(TicketKind::Fault, CustomerLevel::Silver, |s| {
                s.green_channel = true
            }),
        ),
    ];
    for (what, s) in cases {
        let mut d = Desk::with(s);
        d.record(ev(E::Reported));
        assert!(d.allows(dispatched("ops")), "{what}");
        assert_eq!(
            d.record(dispatched("ops")),
            Stage::AwaitingAcceptance,
            "{what}"
        );
    }
}

#[test]
fn a_terminal_complaint_is_ordinary_level_and_is_prescreened_even_on_an_aaa_service() {
    let d = Desk::with(spec(TicketKind::Complaint, CustomerLevel::Silver, |s| {
        s.assurance_level = Some(AssuranceLevel::AAA);
        s.terminal = true;
    }))
    .replayed(vec![ev(E::Reported)]);
    assert_says(&d.refused(dispatched("ops")), &["pre-screen it first"]);
}

#[test]
fn prescreening_twice_or_after_dispatch_is_refused() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Bronze);
    d.record(ev(E::Reported));
    d.record(ev(E::Prescreened));
    assert_says(
        &d.refused(ev(E::Prescreened)),
        &["it is already pre-screened"],
    );

    let mut gold = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
    gold.record(ev(E::Reported));
    gold.record(dispatched("ops"));
    assert_says(
        &gold.refused(ev(E::Prescreened)),
        &[
            "it is already dispatched",
            "pre-screening comes before dispatch",
        ],
    );
}

#[test]
fn accept_without_a_dispatch_is_refused() {
    for kind in [TicketKind::Fault, TicketKind::Complaint, TicketKind::Change] {
        let mut d = Desk::new(kind, CustomerLevel::Gold);
        d.record(ev(if kind == TicketKind::Change {
            E::Opened
        } else {
            E::Reported
        }));
        for e in [accepted("ops"), ev(E::Accepted)] {
            assert_says(
                &d.refused(e),
                &["nothing awaits acceptance: dispatch it to a department first"],
            );
        }
    }
}

#[test]
fn accept_by_a_department_no_dispatch_awaits_is_refused_and_names_those_awaited() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
    d.record(ev(E::Reported));
    d.record(dispatched("ops"));
    d.record(dispatched("field"));
    assert_eq!(
        d.refused(accepted("noc")),
        "no dispatch to noc awaits acceptance; awaiting: ops, field"
    );
    assert_eq!(d.record(accepted("field")), Stage::AwaitingAcceptance);
    assert_eq!(
        d.refused(accepted("field")),
        "no dispatch to field awaits acceptance; awaiting: ops"
    );
    assert_eq!(d.record(accepted("ops")), Stage::InProgress);
}

#[test]
fn an_undirected_dispatch_may_be_accepted_by_any_department() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
    d.record(ev(E::Reported));
    d.record(ev(E::Dispatched { to: None }));
    assert_eq!(d.record(accepted("whoever")), Stage::InProgress);
}

#[test]
fn an_acceptance_that_names_nobody_answers_every_open_dispatch() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
    d.record(ev(E::Reported));
    d.record(dispatched("ops"));
    d.record(dispatched("field"));
    assert_eq!(d.record(ev(E::Accepted)), Stage::InProgress);
}

#[test]
fn a_second_dispatch_to_a_department_still_to_accept_is_refused_but_a_redispatch_after_acceptance_is_not()
 {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
    d.record(ev(E::Reported));
    d.record(dispatched("ops"));
    assert_eq!(
        d.refused(dispatched("ops")),
        "it is already dispatched to ops and awaits that department's acceptance"
    );
    d.record(accepted("ops"));
    assert_eq!(d.record(dispatched("ops")), Stage::AwaitingAcceptance);
}

#[test]
fn restore_before_acceptance_is_refused_unless_linked_to_a_parent_outage() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
    d.record(ev(E::Reported));
    let why = d.refused(ev(E::Restored));
    assert_says(
        &why,
        &[
            "no department has accepted it yet",
            "accepted (or linked to an outage being handled) before it is restored",
        ],
    );
    d.record(dispatched("ops"));
    assert_says(
        &d.refused(ev(E::Restored)),
        &["no department has accepted it yet"],
    );

    let mut child = Desk::new(TicketKind::Fault, CustomerLevel::Bronze);
    child.walk(vec![
        (ev(E::Reported), Stage::Logged),
        (
            ev(E::Linked {
                parent: "F-OUTAGE".parse().unwrap(),
            }),
            Stage::Logged,
        ),
        (ev(E::Restored), Stage::Handled),
        (callback(), Stage::Handled),
        (ev(E::Closed), Stage::Closed),
    ]);
}

#[test]
fn restore_while_a_pause_is_open_is_refused() {
    for reason in PauseReason::ALL {
        let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
        d.record(ev(E::Reported));
        d.record(dispatched("ops"));
        d.record(accepted("ops"));
        assert_eq!(d.record(paused(reason)), Stage::Paused);
        assert_eq!(
            d.refused(ev(E::Restored)),
            format!("a {reason} pause is open: resume it before it is restored")
        );
        assert_eq!(d.record(ev(E::Resumed)), Stage::InProgress);
        assert_eq!(d.record(ev(E::Restored)), Stage::Handled);
    }
}

#[test]
fn restoring_twice_pausing_after_restoration_or_a_new_report_are_refused() {
    let d = Desk::new(TicketKind::Fault, CustomerLevel::Gold).replayed(vec![
        ev(E::Reported),
        dispatched("ops"),
        accepted("ops"),
        ev(E::Restored),
    ]);
    assert_says(&d.refused(ev(E::Restored)), &["it is already restored"]);
    assert_says(
        &d.refused(paused(PauseReason::Customer)),
        &["it is already restored: there is no clock left to pause"],
    );
    for e in [ev(E::Reported), ev(E::Alarm)] {
        assert_says(
            &d.refused(e),
            &["it is already restored: a new problem is a new ticket"],
        );
    }
    assert_says(&d.refused(dispatched("field")), &["it is already restored"]);
}

#[test]
fn a_handled_fault_is_closed_not_cancelled_or_rejected() {
    let d = Desk::new(TicketKind::Fault, CustomerLevel::Gold).replayed(vec![
        ev(E::Reported),
        dispatched("ops"),
        accepted("ops"),
        ev(E::Restored),
    ]);
    for e in [ev(E::Cancelled), ev(E::Rejected)] {
        assert_eq!(d.refused(e), "it is already restored: close it instead");
    }
    let complaint = Desk::new(TicketKind::Complaint, CustomerLevel::Gold).replayed(vec![
        ev(E::Reported),
        dispatched("ops"),
        accepted("ops"),
        ev(E::Resolved),
    ]);
    assert_eq!(
        complaint.refused(ev(E::Cancelled)),
        "it is already resolved: close it instead"
    );
}

#[test]
fn an_open_fault_may_be_cancelled_or_rejected_at_any_stage() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Bronze);
    d.record(ev(E::Reported));
    assert!(d.allows(ev(E::Rejected)));
    d.record(ev(E::Prescreened));
    d.record(dispatched("ops"));
    d.record(paused(PauseReason::Interconnection));
    assert!(d.allows(ev(E::Rejected)));
    assert_eq!(d.record(ev(E::Cancelled)), Stage::Cancelled);
}

#[test]
fn closing_a_fault_before_restoration_is_refused() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
    d.record(ev(E::Reported));
    d.record(dispatched("ops"));
    d.record(accepted("ops"));
    assert_eq!(
        d.refused(ev(E::Closed)),
        "it is closed once it is restored; cancel or reject it otherwise"
    );
}

#[test]
fn closing_before_the_satisfaction_callback_is_refused_and_the_callback_follows_restoration() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Silver);
    d.record(ev(E::Reported));
    d.record(ev(E::Prescreened));
    d.record(dispatched("ops"));
    d.record(accepted("ops"));
    assert_eq!(
        d.refused(callback()),
        "the satisfaction callback follows once it is restored"
    );
    d.record(ev(E::Restored));
    assert_says(
        &d.refused(ev(E::Closed)),
        &["make the satisfaction callback first (`callback`)"],
    );
    d.record(ev(E::Callback { satisfied: false }));
    assert_says(
        &d.refused(callback()),
        &["the satisfaction callback is already recorded"],
    );
    // Silver reports only on request, and none was asked for.
    assert_eq!(d.record(ev(E::Closed)), Stage::Closed);
}

#[test]
fn the_written_report_is_due_before_close_for_gold_and_otherwise_only_when_requested() {
    let handled = vec![
        ev(E::Reported),
        ev(E::Prescreened),
        dispatched("ops"),
        accepted("ops"),
        ev(E::Restored),
        callback(),
    ];
    for level in LEVELS {
        let d = Desk::new(TicketKind::Fault, level).replayed(handled.clone());
        let proactive = level == CustomerLevel::Gold;
        assert_eq!(
            d.allows(ev(E::Closed)),
            !proactive,
            "{level}, not requested"
        );

        let mut requested = Desk::new(TicketKind::Fault, level).replayed(handled.clone());
        requested.record(ev(E::ReportRequested));
        assert_eq!(
            requested.refused(ev(E::Closed)),
            "send the written report first (`report_sent`)",
            "{level}, requested"
        );
        requested.record(ev(E::ReportSent));
        assert_eq!(requested.record(ev(E::Closed)), Stage::Closed, "{level}");
    }
}

#[test]
fn a_report_requested_before_restoration_is_still_due_before_close() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Bronze);
    d.record(ev(E::Reported));
    d.record(ev(E::ReportRequested));
    assert_eq!(
        d.refused(ev(E::ReportSent)),
        "the written report follows restoration"
    );
    d.record(ev(E::Prescreened));
    d.record(dispatched("ops"));
    d.record(accepted("ops"));
    d.record(ev(E::Restored));
    d.record(callback());
    assert_says(
        &d.refused(ev(E::Closed)),
        &["send the written report first"],
    );
}

#[test]
fn a_green_channel_fault_closes_only_once_back_filled() {
    let mut d = Desk::with(spec(TicketKind::Fault, CustomerLevel::Gold, |s| {
        s.green_channel = true
    }));
    d.walk(vec![
        (ev(E::Reported), Stage::Logged),
        (dispatched("ops"), Stage::AwaitingAcceptance),
        (accepted("ops"), Stage::InProgress),
        (ev(E::Restored), Stage::Handled),
        (callback(), Stage::Handled),
        (ev(E::ReportSent), Stage::Handled),
    ]);
    assert_eq!(
        d.refused(ev(E::Closed)),
        "back-fill the green-channel ticket first (`backfilled`)"
    );
    assert_eq!(d.record(ev(E::Backfilled)), Stage::Handled);
    assert_eq!(d.refused(ev(E::Backfilled)), "it is already back-filled");
    assert_eq!(d.record(ev(E::Closed)), Stage::Closed);
}

#[test]
fn a_green_channel_ticket_may_be_back_filled_while_the_fault_is_being_handled() {
    let mut d = Desk::with(spec(TicketKind::Fault, CustomerLevel::Gold, |s| {
        s.green_channel = true
    }));
    d.record(ev(E::Reported));
    d.record(dispatched("ops"));
    assert_eq!(d.record(ev(E::Backfilled)), Stage::AwaitingAcceptance);
}

#[test]
fn only_green_channel_faults_are_back_filled() {
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Gold);
    d.record(ev(E::Reported));
    assert_eq!(
        d.refused(ev(E::Backfilled)),
        "only green-channel faults are back-filled"
    );
}

#[test]
fn nothing_is_recorded_after_a_ticket_is_closed_cancelled_or_rejected() {
    let closed = Desk::new(TicketKind::Fault, CustomerLevel::Silver).replayed(vec![
        ev(E::Reported),
        ev(E::Prescreened),
        dispatched("ops"),
        accepted("ops"),
        ev(E::Restored),
        callback(),
        ev(E::Closed),
    ]);
    let cancelled = Desk::new(TicketKind::Fault, CustomerLevel::Silver)
        .replayed(vec![ev(E::Reported), ev(E::Cancelled)]);
    let rejected = Desk::new(TicketKind::Complaint, CustomerLevel::Bronze)
        .replayed(vec![ev(E::Reported), ev(E::Rejected)]);
    let notice = Desk::new(TicketKind::Notice, CustomerLevel::Bronze)
        .replayed(vec![ev(E::Opened), ev(E::Cancelled)]);
    for (d, stage, word) in [
        (&closed, Stage::Closed, "closed"),
        (&cancelled, Stage::Cancelled, "cancelled"),
        (&rejected, Stage::Rejected, "rejected"),
        (&notice, Stage::Cancelled, "cancelled"),
    ] {
        assert_eq!(d.stage(), stage);
        assert!(d.workflow().is_ended());
        let message = format!("the ticket is {word}: nothing more can be recorded on it");
        for e in [
            ev(E::Feedback),
            ev(E::Reported),
            ev(E::Closed),
            ev(E::Cancelled),
            ev(E::Rejected),
            ev(E::Opened),
            ev(E::Linked {
                parent: "F-9".parse().unwrap(),
            }),
            ev(E::Alert {
                alert: AlertKind::Breach,
                obligation: Some(ObligationName::Restore),
                party: None,
                due: at("2025-06-09T15:00:00+08:00"),
            }),
        ] {
            assert_eq!(d.refused(e), message);
        }
        assert!(
            d.workflow()
                .next_events(at("2025-06-10T09:00:00Z"))
                .is_empty()
        );
    }
}

#[test]
fn annotations_are_recorded_at_any_open_stage() {
    let alert = ev(E::Alert {
        alert: AlertKind::Warning,
        obligation: Some(ObligationName::Restore),
        party: None,
        due: at("2025-06-09T15:00:00+08:00"),
    });
    let mut d = Desk::new(TicketKind::Fault, CustomerLevel::Bronze);
    for step in [
        ev(E::Reported),
        ev(E::Prescreened),
        dispatched("ops"),
        accepted("ops"),
        ev(E::Restored),
    ] {
        for e in [
            alert.clone(),
            ev(E::Feedback),
            ev(E::ReportRequested),
            ev(E::Linked {
                parent: "F-9".parse().unwrap(),
            }),
        ] {
            assert!(d.allows(e), "after {:?}", d.names());
        }
        d.record(step);
    }
}

#[test]
fn events_of_another_kind_of_ticket_are_refused_by_name() {
    let d = Desk::new(TicketKind::Fault, CustomerLevel::Gold).replayed(vec![ev(E::Reported)]);
    assert_eq!(
        d.refused(ev(E::WorkStarted)),
        "a fault ticket does not take `work_started` events"
    );
    let c = Desk::new(TicketKind::Change, CustomerLevel::Gold).replayed(vec![ev(E::Opened)]);
    assert_eq!(
        c.refused(ev(E::Delivered)),
        "a change ticket does not take `delivered` events"
    );
    let p = Desk::new(TicketKind::Provisioning, CustomerLevel::Gold);
    assert_eq!(
        p.refused(ev(E::Restored)),
        "a provisioning ticket does not take `restored` events"
    );
    let n = Desk::new(TicketKind::Notice, CustomerLevel::Gold);
    assert_eq!(
        n.refused(ev(E::Completed)),
        "a notice ticket does not take `completed` events"
    );
}

// ---------------------------------------------------------------------------
// Complaints

#[test]
fn a_bronze_complaint_is_prescreened_before_dispatch() {
    let mut d = Desk::new(TicketKind::Complaint, CustomerLevel::Bronze);
    d.record(ev(E::Reported));
    assert_says(&d.refused(dispatched("ops")), &["pre-screen it first"]);
    d.walk(vec![
        (ev(E::Prescreened), Stage::Prescreened),
        (dispatched("ops"), Stage::AwaitingAcceptance),
        (accepted("ops"), Stage::InProgress),
        (paused(PauseReason::Interconnection), Stage::Paused),
        (ev(E::Resumed), Stage::InProgress),
    ]);
    assert_eq!(
        d.refused(ev(E::Closed)),
        "it is closed once it is resolved; cancel or reject it otherwise"
    );
    d.walk(vec![
        (ev(E::Resolved), Stage::Handled),
        (callback(), Stage::Handled),
        // A complaint has no written report to wait for.
        (ev(E::Closed), Stage::Closed),
    ]);
}

#[test]
fn a_gold_complaint_goes_straight_to_operations_support() {
    let mut d = Desk::new(TicketKind::Complaint, CustomerLevel::Gold);
    d.walk(vec![
        (ev(E::Reported), Stage::Logged),
        (dispatched("ops"), Stage::AwaitingAcceptance),
        (accepted("ops"), Stage::InProgress),
        (ev(E::Resolved), Stage::Handled),
    ]);
    assert_says(
        &d.refused(ev(E::Closed)),
        &["make the satisfaction callback first"],
    );
    assert_eq!(d.record(callback()), Stage::Handled);
    assert_eq!(d.record(ev(E::Closed)), Stage::Closed);
}

#[test]
fn a_complaint_is_not_resolved_before_acceptance_nor_while_paused() {
    let mut d = Desk::new(TicketKind::Complaint, CustomerLevel::Gold);
    d.record(ev(E::Reported));
    assert_says(
        &d.refused(ev(E::Resolved)),
        &["no department has accepted it yet", "before it is resolved"],
    );
    d.record(dispatched("ops"));
    d.record(accepted("ops"));
    d.record(paused(PauseReason::Customer));
    assert_eq!(
        d.refused(ev(E::Resolved)),
        "a customer pause is open: resume it before it is resolved"
    );
}

// ---------------------------------------------------------------------------
// Changes

#[test]
fn a_change_order_is_dispatched_accepted_and_completed_before_it_closes() {
    let mut d = Desk::new(TicketKind::Change, CustomerLevel::Silver);
    d.walk(vec![
        (ev(E::Opened), Stage::Logged),
        (dispatched("maintenance"), Stage::AwaitingAcceptance),
        (accepted("maintenance"), Stage::InProgress),
        (paused(PauseReason::Customer), Stage::Paused),
        (
            ev(E::DelayAgreed {
                until: at("2025-06-12T09:00:00+08:00"),
            }),
            Stage::Paused,
        ),
        (ev(E::Resumed), Stage::InProgress),
    ]);
    assert_eq!(
        d.refused(ev(E::Closed)),
        "it is closed once it is completed; cancel or reject it otherwise"
    );
    d.walk(vec![
        (ev(E::Completed), Stage::Handled),
        // A change has no callback or report to wait for.
        (ev(E::Closed), Stage::Closed),
    ]);
}

#[test]
fn a_change_is_not_completed_while_paused_nor_twice() {
    let mut d = Desk::new(TicketKind::Change, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    d.record(paused(PauseReason::Customer));
    assert_eq!(
        d.refused(ev(E::Completed)),
        "a customer pause is open: resume it before it is completed"
    );
    d.record(ev(E::Resumed));
    assert_eq!(d.record(ev(E::Completed)), Stage::Handled);
    assert_eq!(d.refused(ev(E::Completed)), "it is already completed");
    assert_eq!(
        d.refused(paused(PauseReason::Customer)),
        "it is already completed: there is no clock left to pause"
    );
}

#[test]
fn an_agreed_delay_needs_an_open_customer_pause() {
    let until = || {
        ev(E::DelayAgreed {
            until: at("2025-06-20T09:00:00+08:00"),
        })
    };
    for kind in [TicketKind::Change, TicketKind::Provisioning] {
        let mut d = Desk::new(kind, CustomerLevel::Gold);
        d.record(ev(E::Opened));
        let message = "an agreed delay goes with the customer's pause: record `paused` with reason customer first";
        assert_eq!(d.refused(until()), message, "{kind}, not paused");
        d.record(paused(PauseReason::Other));
        assert_eq!(d.refused(until()), message, "{kind}, other pause");
        d.record(ev(E::Resumed));
        d.record(paused(PauseReason::Customer));
        assert_eq!(d.record(until()), Stage::Paused, "{kind}");
        d.record(ev(E::Resumed));
        assert_eq!(d.refused(until()), message, "{kind}, resumed");
    }
}

// ---------------------------------------------------------------------------
// Provisioning

#[test]
fn a_dedicated_line_passes_initial_and_final_acceptance_before_delivery() {
    let mut d = Desk::new(TicketKind::Provisioning, CustomerLevel::Gold);
    assert_eq!(d.stage(), Stage::InProgress);
    d.walk(vec![
        (ev(E::Opened), Stage::InProgress),
        (ev(E::SurveyCompleted), Stage::InProgress),
        (ev(E::Feedback), Stage::InProgress),
        (paused(PauseReason::Customer), Stage::Paused),
        (
            ev(E::DelayAgreed {
                until: at("2025-06-20T09:00:00+08:00"),
            }),
            Stage::Paused,
        ),
        (ev(E::Resumed), Stage::InProgress),
        (ev(E::Feedback), Stage::InProgress),
        (ev(E::Feedback), Stage::InProgress),
        (ev(E::ConstructionCompleted), Stage::AwaitingAcceptanceTest),
        (ev(E::InitialAcceptance), Stage::AwaitingFinalAcceptance),
        (
            ev(E::RectificationRequired {
                item: item("fibre splice at site A"),
            }),
            Stage::Rectification,
        ),
        (
            ev(E::Rectified {
                item: item("fibre splice at site A"),
            }),
            Stage::AwaitingFinalAcceptance,
        ),
        (ev(E::FinalAcceptance), Stage::AwaitingDelivery),
        (
            ev(E::Artifact {
                name: Artifact::DeliveryReport,
            }),
            Stage::AwaitingDelivery,
        ),
        (
            ev(E::Artifact {
                name: Artifact::DeliveryTestReport,
            }),
            Stage::AwaitingDelivery,
        ),
        (ev(E::Delivered), Stage::Handled),
        (
            ev(E::Artifact {
                name: Artifact::SatisfactionSurvey,
            }),
            Stage::Handled,
        ),
        (ev(E::Closed), Stage::Closed),
    ]);
}

#[test]
fn an_overlay_service_is_delivered_after_its_activation_test() {
    let mut d = Desk::with(spec(TicketKind::Provisioning, CustomerLevel::Bronze, |s| {
        s.category = Some(Category::Overlay)
    }));
    d.walk(vec![
        (ev(E::Opened), Stage::InProgress),
        (ev(E::Feedback), Stage::InProgress),
        (ev(E::ConstructionCompleted), Stage::AwaitingAcceptanceTest),
    ]);
    assert_eq!(
        d.refused(ev(E::Delivered)),
        "the service must pass its activation test (initial acceptance) before delivery"
    );
    d.walk(vec![
        // An overlay service is delivered once it passes the activation test.
        (ev(E::InitialAcceptance), Stage::AwaitingDelivery),
        (ev(E::Delivered), Stage::Handled),
        (ev(E::Closed), Stage::Closed),
    ]);
}

#[test]
fn a_dedicated_line_is_delivered_only_after_final_acceptance() {
    let mut d = Desk::new(TicketKind::Provisioning, CustomerLevel::Silver);
    d.record(ev(E::Opened));
    let message = "a dedicated line is delivered after it passes final acceptance";
    assert_eq!(d.refused(ev(E::Delivered)), message);
    d.record(ev(E::ConstructionCompleted));
    d.record(ev(E::InitialAcceptance));
    assert_eq!(d.refused(ev(E::Delivered)), message);
    assert_eq!(d.record(ev(E::FinalAcceptance)), Stage::AwaitingDelivery);
    assert_eq!(d.record(ev(E::Delivered)), Stage::Handled);
    assert_eq!(d.refused(ev(E::Delivered)), "it is already delivered");
}

#[test]
fn initial_acceptance_before_construction_completes_is_refused() {
    let mut d = Desk::new(TicketKind::Provisioning, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    assert_eq!(
        d.refused(ev(E::InitialAcceptance)),
        "acceptance follows construction: record `construction_completed` first"
    );
    assert_eq!(
        d.refused(ev(E::RectificationRequired { item: item("port") })),
        "rectification items come out of acceptance, after construction completes"
    );
    assert_eq!(
        d.refused(ev(E::FinalAcceptance)),
        "final acceptance follows the initial acceptance"
    );
    d.record(ev(E::ConstructionCompleted));
    assert_eq!(
        d.refused(ev(E::ConstructionCompleted)),
        "construction is already completed"
    );
    assert_eq!(
        d.refused(ev(E::SurveyCompleted)),
        "construction already finished: the resource survey comes before it"
    );
    assert_eq!(
        d.refused(ev(E::FinalAcceptance)),
        "final acceptance follows the initial acceptance"
    );
    d.record(ev(E::InitialAcceptance));
    assert_eq!(
        d.refused(ev(E::InitialAcceptance)),
        "initial acceptance already passed"
    );
}

#[test]
fn construction_does_not_complete_nor_the_line_get_delivered_while_paused() {
    let mut d = Desk::with(spec(TicketKind::Provisioning, CustomerLevel::Gold, |s| {
        s.category = Some(Category::Overlay)
    }));
    d.record(ev(E::Opened));
    d.record(paused(PauseReason::Customer));
    assert_eq!(
        d.refused(ev(E::ConstructionCompleted)),
        "a customer pause is open: resume it before construction completes"
    );
    d.record(ev(E::Resumed));
    d.record(ev(E::ConstructionCompleted));
    d.record(ev(E::InitialAcceptance));
    d.record(paused(PauseReason::Other));
    assert_eq!(
        d.refused(ev(E::Delivered)),
        "a other pause is open: resume it before it is delivered"
    );
}

#[test]
fn final_acceptance_waits_for_every_rectification_item() {
    let mut d = Desk::new(TicketKind::Provisioning, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    d.record(ev(E::ConstructionCompleted));
    d.record(ev(E::InitialAcceptance));
    d.record(ev(E::RectificationRequired {
        item: item("splice A"),
    }));
    assert_eq!(
        d.record(ev(E::RectificationRequired {
            item: item("label B")
        })),
        Stage::Rectification
    );
    assert_eq!(
        d.refused(ev(E::RectificationRequired {
            item: item("splice A")
        })),
        "splice A already awaits rectification"
    );
    assert_eq!(
        d.refused(ev(E::FinalAcceptance)),
        "every rectification item must be closed by the final acceptance; open: splice A, label B"
    );
    assert_eq!(
        d.record(ev(E::Rectified {
            item: item("splice A")
        })),
        Stage::Rectification
    );
    assert_eq!(
        d.refused(ev(E::FinalAcceptance)),
        "every rectification item must be closed by the final acceptance; open: label B"
    );
    assert_eq!(
        d.record(ev(E::Rectified {
            item: item("label B")
        })),
        Stage::AwaitingFinalAcceptance
    );
    assert_eq!(d.record(ev(E::FinalAcceptance)), Stage::AwaitingDelivery);
    assert_eq!(
        d.refused(ev(E::FinalAcceptance)),
        "final acceptance already passed"
    );
    assert_eq!(
        d.refused(ev(E::RectificationRequired {
            item: item("late find")
        })),
        "final acceptance already passed"
    );
}

#[test]
fn rectifying_an_item_that_is_not_open_is_refused() {
    let mut d = Desk::new(TicketKind::Provisioning, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    d.record(ev(E::ConstructionCompleted));
    let why = d.refused(ev(E::Rectified {
        item: item("splice A"),
    }));
    assert_says(&why, &["no rectification of", "splice A", "is open"]);
    assert!(!why.contains("; open:"), "{why}");
    d.record(ev(E::RectificationRequired {
        item: item("label B"),
    }));
    let why = d.refused(ev(E::Rectified {
        item: item("splice A"),
    }));
    assert_says(
        &why,
        &["no rectification of", "splice A", "is open; open: label B"],
    );
}

#[test]
fn the_refusal_of_a_rectification_names_the_item_as_written() {
    let mut d = Desk::new(TicketKind::Provisioning, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    d.record(ev(E::ConstructionCompleted));
    let why = d.refused(ev(E::Rectified {
        item: item("splice A"),
    }));
    assert!(!why.contains("ItemName"), "{why}");
}

// ---------------------------------------------------------------------------
// Notices

#[test]
fn a_gold_notice_waits_for_written_confirmation_and_closes_after_the_post_work_confirmation() {
    let mut d = Desk::new(TicketKind::Notice, CustomerLevel::Gold);
    assert_eq!(d.stage(), Stage::Draft);
    d.walk(vec![
        (ev(E::Opened), Stage::Draft),
        (
            ev(E::NoticeSent {
                channel: Some(NoticeChannel::Letter),
            }),
            Stage::AwaitingConfirmation,
        ),
    ]);
    assert_says(
        &d.refused(ev(E::WorkStarted)),
        &[
            "the work may not start until the customer confirms it",
            "gold customers confirm before the work, table 8-1",
        ],
    );
    d.walk(vec![
        (ev(E::CustomerConfirmed), Stage::Ready),
        (ev(E::WorkStarted), Stage::WorkInProgress),
    ]);
    assert_eq!(
        d.refused(ev(E::PostWorkConfirmed)),
        "the customer confirms after the work finishes"
    );
    d.walk(vec![(ev(E::WorkFinished), Stage::Handled)]);
    assert_eq!(
        d.refused(ev(E::Closed)),
        "the customer confirms service is back first (`post_work_confirmed`)"
    );
    d.walk(vec![
        (ev(E::PostWorkConfirmed), Stage::Handled),
        (ev(E::Closed), Stage::Closed),
    ]);
}

#[test]
fn a_bronze_notice_goes_from_draft_to_close_without_confirmations() {
    let mut d = Desk::new(TicketKind::Notice, CustomerLevel::Bronze);
    d.walk(vec![
        (ev(E::Opened), Stage::Draft),
        (
            ev(E::NoticeSent {
                channel: Some(NoticeChannel::Ticket),
            }),
            Stage::Ready,
        ),
        (ev(E::WorkStarted), Stage::WorkInProgress),
        (ev(E::WorkFinished), Stage::Handled),
        (ev(E::Closed), Stage::Closed),
    ]);
}

#[test]
fn work_does_not_start_before_the_notice_is_sent() {
    for level in LEVELS {
        for emergency in [false, true] {
            let mut d = Desk::with(spec(TicketKind::Notice, level, |s| s.emergency = emergency));
            d.record(ev(E::Opened));
            assert_eq!(
                d.refused(ev(E::WorkStarted)),
                "send the advance notice first (`notice_sent`)",
                "{level}, emergency {emergency}"
            );
            for e in [ev(E::CustomerConfirmed), ev(E::Objected)] {
                assert_eq!(d.refused(e), "send the notice first (`notice_sent`)");
            }
            assert_eq!(d.refused(ev(E::WorkFinished)), "the work has not started");
            assert_eq!(
                d.refused(ev(E::Closed)),
                "it is closed once it is finished; cancel or reject it otherwise"
            );
        }
    }
}

#[test]
fn gold_and_silver_work_waits_for_the_customers_confirmation_but_bronze_and_standard_do_not() {
    for level in LEVELS {
        let mut d = Desk::new(TicketKind::Notice, level);
        d.record(ev(E::Opened));
        let stage = d.record(ev(E::NoticeSent { channel: None }));
        let confirms = matches!(level, CustomerLevel::Gold | CustomerLevel::Silver);
        if confirms {
            assert_eq!(stage, Stage::AwaitingConfirmation, "{level}");
            assert_eq!(
                d.refused(ev(E::WorkStarted)),
                format!(
                    "the work may not start until the customer confirms it ({level} customers confirm before the work, table 8-1)"
                )
            );
            assert_eq!(d.record(ev(E::CustomerConfirmed)), Stage::Ready);
        } else {
            assert_eq!(stage, Stage::Ready, "{level}");
        }
        assert_eq!(
            d.record(ev(E::WorkStarted)),
            Stage::WorkInProgress,
            "{level}"
        );
        assert_eq!(d.refused(ev(E::WorkStarted)), "the work already started");
    }
}

#[test]
fn emergency_work_needs_no_confirmation_before_it_starts() {
    for level in LEVELS {
        let mut d = Desk::with(spec(TicketKind::Notice, level, |s| s.emergency = true));
        d.record(ev(E::Opened));
        assert_eq!(d.record(ev(E::NoticeSent { channel: None })), Stage::Ready);
        assert_eq!(
            d.record(ev(E::WorkStarted)),
            Stage::WorkInProgress,
            "{level}"
        );
    }
}

#[test]
fn after_an_objection_the_work_waits_for_a_new_time_and_its_confirmation() {
    let mut d = Desk::new(TicketKind::Notice, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    d.record(ev(E::NoticeSent { channel: None }));
    d.record(ev(E::CustomerConfirmed));
    assert_eq!(d.record(ev(E::Objected)), Stage::Objected);
    assert_eq!(
        d.refused(ev(E::WorkStarted)),
        "the customer objected: agree a new time (`rescheduled`) and have it confirmed before the work starts"
    );
    assert_eq!(
        d.record(ev(E::Rescheduled {
            work_start: at("2025-07-07T09:00:00+08:00"),
        })),
        Stage::AwaitingConfirmation
    );
    // The confirmation of the old time does not cover the new one.
    assert_says(
        &d.refused(ev(E::WorkStarted)),
        &["the work may not start until the customer confirms it"],
    );
    assert_eq!(d.record(ev(E::CustomerConfirmed)), Stage::Ready);
    assert_eq!(d.record(ev(E::WorkStarted)), Stage::WorkInProgress);
}

#[test]
fn a_rescheduled_time_is_asked_again_even_without_an_objection() {
    let mut d = Desk::new(TicketKind::Notice, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    d.record(ev(E::NoticeSent { channel: None }));
    d.record(ev(E::CustomerConfirmed));
    assert_eq!(
        d.record(ev(E::Rescheduled {
            work_start: at("2025-07-07T09:00:00+08:00"),
        })),
        Stage::AwaitingConfirmation
    );
}

#[test]
fn an_objection_of_a_bronze_customer_does_not_hold_the_work() {
    let mut d = Desk::new(TicketKind::Notice, CustomerLevel::Bronze);
    d.record(ev(E::Opened));
    d.record(ev(E::NoticeSent { channel: None }));
    assert_eq!(d.record(ev(E::Objected)), Stage::Objected);
    assert_eq!(d.record(ev(E::WorkStarted)), Stage::WorkInProgress);
}

#[test]
fn only_gold_customers_may_move_the_time_of_the_work() {
    for level in LEVELS {
        let mut d = Desk::new(TicketKind::Notice, level);
        d.record(ev(E::Opened));
        d.record(ev(E::NoticeSent { channel: None }));
        d.record(ev(E::Objected));
        let e = ev(E::Rescheduled {
            work_start: at("2025-07-07T09:00:00+08:00"),
        });
        if level == CustomerLevel::Gold {
            assert!(d.allows(e));
        } else {
            assert_eq!(
                d.refused(e),
                format!(
                    "the time of the work moves at the customer's request only for customer levels that allow it (table 8-1), not {level}"
                )
            );
        }
    }
}

#[test]
fn a_silver_objection_holds_the_work_until_the_customer_confirms() {
    let mut d = Desk::new(TicketKind::Notice, CustomerLevel::Silver);
    d.record(ev(E::Opened));
    d.record(ev(E::NoticeSent { channel: None }));
    d.record(ev(E::Objected));
    assert_says(&d.refused(ev(E::WorkStarted)), &["the customer objected"]);
    assert_eq!(d.record(ev(E::CustomerConfirmed)), Stage::Ready);
    assert_eq!(d.record(ev(E::WorkStarted)), Stage::WorkInProgress);
}

#[test]
fn nothing_about_the_time_of_the_work_is_recorded_once_it_started() {
    let mut d = Desk::new(TicketKind::Notice, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    d.record(ev(E::NoticeSent { channel: None }));
    d.record(ev(E::CustomerConfirmed));
    d.record(ev(E::WorkStarted));
    assert_eq!(
        d.refused(ev(E::NoticeSent { channel: None })),
        "the work already started: the notice comes before it"
    );
    assert_eq!(
        d.refused(ev(E::CustomerConfirmed)),
        "the work already started: the customer's confirmation comes before it"
    );
    assert_eq!(
        d.refused(ev(E::Objected)),
        "the work already started: an objection comes before it"
    );
    assert_eq!(
        d.refused(ev(E::Rescheduled {
            work_start: at("2025-07-07T09:00:00+08:00")
        })),
        "the work already started: moving the time comes before it"
    );
}

#[test]
fn gold_and_silver_notices_close_only_after_the_post_work_confirmation() {
    for level in LEVELS {
        let mut d = Desk::with(spec(TicketKind::Notice, level, |s| s.emergency = true));
        d.record(ev(E::Opened));
        d.record(ev(E::NoticeSent { channel: None }));
        d.record(ev(E::WorkStarted));
        d.record(ev(E::WorkFinished));
        assert_eq!(d.refused(ev(E::WorkFinished)), "the work already finished");
        let confirms = matches!(level, CustomerLevel::Gold | CustomerLevel::Silver);
        if confirms {
            assert_eq!(
                d.refused(ev(E::Closed)),
                "the customer confirms service is back first (`post_work_confirmed`)",
                "{level}"
            );
            d.record(ev(E::PostWorkConfirmed));
            assert_eq!(
                d.refused(ev(E::PostWorkConfirmed)),
                "the customer already confirmed after the work"
            );
        }
        assert_eq!(d.record(ev(E::Closed)), Stage::Closed, "{level}");
    }
}

#[test]
fn a_notice_is_cancelled_before_the_work_but_closed_after_it() {
    let mut d = Desk::new(TicketKind::Notice, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    d.record(ev(E::NoticeSent { channel: None }));
    assert!(d.allows(ev(E::Cancelled)));
    d.record(ev(E::CustomerConfirmed));
    d.record(ev(E::WorkStarted));
    d.record(ev(E::WorkFinished));
    assert_eq!(
        d.refused(ev(E::Cancelled)),
        "it is already finished: close it instead"
    );
}

// ---------------------------------------------------------------------------
// check_all and replay

#[test]
fn check_all_names_the_first_refused_event_among_the_new_ones() {
    let s = spec(TicketKind::Fault, CustomerLevel::Bronze, |_| {});
    let recorded = vec![ev(E::Reported)];
    let new = [
        ev(E::Prescreened),
        dispatched("ops"),
        ev(E::Restored),
        ev(E::Closed),
    ];
    let err = Workflow::replay(Policy::default_policy(), &s, &recorded)
        .check_all(&new)
        .unwrap_err();
    assert_eq!(err.index, 2);
    assert_says(&err.message, &["no department has accepted it yet"]);
    assert!(
        err.to_string()
            .starts_with("events[2]: no department has accepted"),
        "{err}"
    );

    let err = Workflow::replay(Policy::default_policy(), &s, &recorded)
        .check_all(&[dispatched("ops"), ev(E::Prescreened)])
        .unwrap_err();
    assert_eq!(err.index, 0);
    assert_says(&err.message, &["pre-screen it first"]);
}

#[test]
fn check_all_applies_each_new_event_before_checking_the_next() {
    let s = spec(TicketKind::Fault, CustomerLevel::Gold, |_| {});
    let recorded = vec![ev(E::Reported)];
    let w = Workflow::replay(Policy::default_policy(), &s, &recorded)
        .check_all(&[dispatched("ops"), accepted("ops"), ev(E::Restored)])
        .unwrap();
    assert_eq!(w.stage(), Stage::Handled);
    let w = w
        .check_all(&[callback(), ev(E::ReportSent), ev(E::Closed)])
        .unwrap();
    assert_eq!(w.stage(), Stage::Closed);

    let none = Workflow::replay(Policy::default_policy(), &s, &recorded)
        .check_all(&[])
        .unwrap();
    assert_eq!(none.stage(), Stage::Logged);
}

#[test]
fn a_history_recorded_elsewhere_is_replayed_without_judgement_and_only_new_events_are_checked() {
    // Dispatched without pre-screening and restored without acceptance: an import.
    let s = spec(TicketKind::Fault, CustomerLevel::Bronze, |_| {});
    let recorded = vec![ev(E::Reported), dispatched("ops"), ev(E::Restored)];
    let w = Workflow::replay(Policy::default_policy(), &s, &recorded);
    assert_eq!(w.stage(), Stage::Handled);
    let err = w.clone().check_all(&[ev(E::Closed)]).unwrap_err();
    assert_says(&err.message, &["make the satisfaction callback first"]);
    assert!(w.check_all(&[callback(), ev(E::Closed)]).is_ok());
}

#[test]
fn the_order_of_recording_counts_not_the_instants_the_events_name() {
    let s = spec(TicketKind::Fault, CustomerLevel::Gold, |_| {});
    let late = |kind, when| Event {
        at: at(when),
        kind,
        by: Some(party("ops")),
    };
    // Recorded in this order, though the acceptance names an earlier instant.
    let recorded = vec![
        late(E::Reported, "2025-06-09T09:00:00+08:00"),
        late(
            E::Dispatched {
                to: Some(party("ops")),
            },
            "2025-06-09T09:05:00+08:00",
        ),
    ];
    let w = Workflow::replay(Policy::default_policy(), &s, &recorded);
    assert!(
        w.check(&late(E::Accepted, "2025-06-09T08:00:00+08:00"))
            .is_ok()
    );
}

// ---------------------------------------------------------------------------
// next_events

fn next(d: &Desk) -> Vec<&'static str> {
    d.workflow().next_events(at("2025-06-09T10:00:00+08:00"))
}

#[test]
fn next_events_offers_prescreening_first_for_bronze_and_dispatch_straight_away_for_gold() {
    let bronze =
        Desk::new(TicketKind::Fault, CustomerLevel::Bronze).replayed(vec![ev(E::Reported)]);
    assert_eq!(
        next(&bronze),
        [
            "reported",
            "alarm",
            "opened",
            "prescreened",
            "linked",
            "paused",
            "feedback",
            "report_requested",
            "escalated",
            "cancelled",
            "rejected",
        ]
    );
    let gold = Desk::new(TicketKind::Fault, CustomerLevel::Gold).replayed(vec![ev(E::Reported)]);
    let offered = next(&gold);
    assert!(offered.contains(&"dispatched"), "{offered:?}");
    for absent in ["accepted", "restored", "callback", "closed", "resumed"] {
        assert!(!offered.contains(&absent), "{absent} in {offered:?}");
    }
}

#[test]
fn next_events_offers_resume_but_not_restore_while_paused() {
    let d = Desk::new(TicketKind::Fault, CustomerLevel::Gold).replayed(vec![
        ev(E::Reported),
        dispatched("ops"),
        accepted("ops"),
        paused(PauseReason::Customer),
    ]);
    let offered = next(&d);
    assert!(offered.contains(&"resumed"), "{offered:?}");
    for absent in ["paused", "restored", "delay_agreed"] {
        assert!(!offered.contains(&absent), "{absent} in {offered:?}");
    }
}

#[test]
fn next_events_offers_the_agreed_delay_only_while_a_change_is_paused_for_the_customer() {
    let mut d = Desk::new(TicketKind::Change, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    assert!(!next(&d).contains(&"delay_agreed"));
    d.record(paused(PauseReason::Customer));
    assert!(next(&d).contains(&"delay_agreed"));
    d.record(ev(E::Resumed));
    assert!(!next(&d).contains(&"delay_agreed"));
}

#[test]
fn next_events_offers_the_open_rectification_and_not_the_final_acceptance() {
    let d = Desk::new(TicketKind::Provisioning, CustomerLevel::Gold).replayed(vec![
        ev(E::Opened),
        ev(E::ConstructionCompleted),
        ev(E::InitialAcceptance),
        ev(E::RectificationRequired {
            item: item("splice A"),
        }),
    ]);
    let offered = next(&d);
    assert!(offered.contains(&"rectified"), "{offered:?}");
    assert!(!offered.contains(&"final_acceptance"), "{offered:?}");
    assert!(!offered.contains(&"delivered"), "{offered:?}");
}

#[test]
fn next_events_offers_work_start_to_a_gold_notice_only_once_confirmed() {
    let mut d = Desk::new(TicketKind::Notice, CustomerLevel::Gold);
    d.record(ev(E::Opened));
    d.record(ev(E::NoticeSent { channel: None }));
    assert!(!next(&d).contains(&"work_started"));
    assert!(next(&d).contains(&"rescheduled"));
    d.record(ev(E::CustomerConfirmed));
    assert!(next(&d).contains(&"work_started"));
}

#[test]
fn next_events_never_offers_what_only_the_scheduler_records_nor_events_of_another_kind() {
    let histories: Vec<Desk> = vec![
        Desk::new(TicketKind::Fault, CustomerLevel::Gold).replayed(vec![ev(E::Reported)]),
        Desk::new(TicketKind::Complaint, CustomerLevel::Gold).replayed(vec![ev(E::Reported)]),
        Desk::new(TicketKind::Change, CustomerLevel::Gold).replayed(vec![ev(E::Opened)]),
        Desk::new(TicketKind::Provisioning, CustomerLevel::Gold).replayed(vec![ev(E::Opened)]),
        Desk::new(TicketKind::Notice, CustomerLevel::Gold).replayed(vec![ev(E::Opened)]),
    ];
    for d in &histories {
        let offered = next(d);
        for system in ["sla_warning", "sla_breached", "sla_reminder"] {
            assert!(!offered.contains(&system), "{system} in {offered:?}");
        }
        for kind in EventKind::one_of_each(at("2025-06-09T10:00:00+08:00")) {
            if offered.contains(&kind.name()) {
                assert!(
                    kind.allowed_for(d.spec.kind),
                    "{} for {}",
                    kind.name(),
                    d.spec.kind
                );
            }
        }
    }
    // The complaint may not be escalated as a full outage (faults only).
    assert!(!next(&histories[1]).contains(&"escalated"));
}

#[test]
fn every_offered_event_passes_the_check() {
    let now = at("2025-06-09T10:00:00+08:00");
    let desks = [
        Desk::new(TicketKind::Fault, CustomerLevel::Bronze).replayed(vec![ev(E::Reported)]),
        Desk::new(TicketKind::Fault, CustomerLevel::Gold).replayed(vec![
            ev(E::Reported),
            dispatched("ops"),
            accepted("ops"),
            ev(E::Restored),
        ]),
        Desk::new(TicketKind::Change, CustomerLevel::Gold)
            .replayed(vec![ev(E::Opened), paused(PauseReason::Customer)]),
        Desk::new(TicketKind::Provisioning, CustomerLevel::Gold).replayed(vec![
            ev(E::Opened),
            ev(E::ConstructionCompleted),
            ev(E::RectificationRequired {
                item: item("splice A"),
            }),
        ]),
        Desk::new(TicketKind::Notice, CustomerLevel::Gold)
            .replayed(vec![ev(E::Opened), ev(E::NoticeSent { channel: None })]),
    ];
    for d in &desks {
        let w = d.workflow();
        let offered = w.next_events(now);
        assert!(!offered.is_empty());
        let mut candidates = EventKind::one_of_each(now);
        candidates.push(E::Rectified {
            item: item("splice A"),
        });
        for name in &offered {
            let passes = candidates.iter().filter(|k| k.name() == *name).any(|k| {
                w.check(&Event {
                    at: now,
                    kind: k.clone(),
                    by: None,
                })
                .is_ok()
            });
            assert!(passes, "{name} offered but refused after {:?}", d.names());
        }
    }
}
