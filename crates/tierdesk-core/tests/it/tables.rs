//! Every cell of every table of SPEC.md, transcribed here independently of
//! policies/default.toml, and checked through `evaluate` (not just read back).

use tierdesk_core::EventKind as E;
use tierdesk_core::*;

use crate::{bj, evaluate, ob, ticket};

const CUSTOMERS: [CustomerLevel; 4] = [
    CustomerLevel::Gold,
    CustomerLevel::Silver,
    CustomerLevel::Bronze,
    CustomerLevel::Standard,
];
const ASSURANCE: [AssuranceLevel; 4] = [
    AssuranceLevel::AAA,
    AssuranceLevel::AA,
    AssuranceLevel::A,
    AssuranceLevel::Ordinary,
];
const SCOPES: [Scope; 3] = [Scope::City, Scope::CrossCity, Scope::CrossProvince];

/// Tables 7-1 and 7-2 (hours): rows city / cross-city share one line, cross-province another.
fn hours_7_1_7_2(scope: Scope) -> [i64; 4] {
    match scope {
        Scope::City | Scope::CrossCity => [2, 4, 6, 8],
        Scope::CrossProvince => [4, 5, 6, 8],
    }
}

#[test]
fn table_7_2_restore_limit_for_every_scope_and_assurance_level() {
    for scope in SCOPES {
        for (i, level) in ASSURANCE.into_iter().enumerate() {
            let t = ticket(
                TicketKind::Fault,
                CustomerLevel::Standard,
                |s| {
                    s.scope = Some(scope);
                    s.assurance_level = Some(level);
                },
                &[("2025-06-03T10:00:00+08:00", E::Reported)],
            );
            let e = evaluate(&t, "2025-06-03T10:00:00+08:00");
            let restore = ob(&e, ObligationName::Restore);
            let due = restore.due.unwrap();
            assert_eq!(
                due.duration_since(restore.start.unwrap()).as_hours(),
                hours_7_1_7_2(scope)[i],
                "{scope} {level}"
            );
            assert_eq!(restore.state, ObligationState::Pending);
        }
    }
}

#[test]
fn table_7_1_complaint_limit_for_every_scope_and_assurance_level() {
    for scope in SCOPES {
        for (i, level) in ASSURANCE.into_iter().enumerate() {
            let t = ticket(
                TicketKind::Complaint,
                CustomerLevel::Gold,
                |s| {
                    s.scope = Some(scope);
                    s.assurance_level = Some(level);
                },
                &[("2025-06-03T10:00:00+08:00", E::Reported)],
            );
            let e = evaluate(&t, "2025-06-03T10:00:00+08:00");
            let resolve = ob(&e, ObligationName::Resolve);
            assert_eq!(
                resolve
                    .due
                    .unwrap()
                    .duration_since(resolve.start.unwrap())
                    .as_hours(),
                hours_7_1_7_2(scope)[i],
                "{scope} {level}"
            );
        }
    }
}

#[test]
fn default_assurance_level_follows_the_customer_level() {
    for (customer, level) in CUSTOMERS.into_iter().zip(ASSURANCE) {
        let spec = TicketSpec::new("x".parse().unwrap(), TicketKind::Fault, customer);
        assert_eq!(crate::engine().assurance_level(&spec), level);
    }
}

#[test]
fn table_7_3_progress_feedback_cadence_per_customer_level() {
    let expected = [Some(30), Some(60), None, None];
    for (customer, minutes) in CUSTOMERS.into_iter().zip(expected) {
        let t = ticket(
            TicketKind::Fault,
            customer,
            |s| s.scope = Some(Scope::City),
            &[("2025-06-03T10:00:00+08:00", E::Reported)],
        );
        let e = evaluate(&t, "2025-06-03T10:00:00+08:00");
        let pf = ob(&e, ObligationName::ProgressFeedback);
        match minutes {
            Some(m) => {
                assert_eq!(
                    pf.target,
                    Some(ObligationTarget::Every(jiff::SignedDuration::from_mins(m))),
                    "{customer}"
                );
                assert_eq!(
                    pf.due.unwrap().duration_since(pf.start.unwrap()).as_mins(),
                    m,
                    "{customer}"
                );
            }
            None => assert_eq!(pf.state, ObligationState::NotApplicable, "{customer}"),
        }
    }
}

#[test]
fn table_7_3_restoration_feedback_within_30_minutes_for_every_level() {
    for customer in CUSTOMERS {
        let t = ticket(
            TicketKind::Fault,
            customer,
            |s| s.scope = Some(Scope::City),
            &[
                ("2025-06-03T10:00:00+08:00", E::Reported),
                ("2025-06-03T11:00:00+08:00", E::Restored),
            ],
        );
        let e = evaluate(&t, "2025-06-03T11:00:00+08:00");
        let rf = ob(&e, ObligationName::RestorationFeedback);
        assert_eq!(bj(rf.due), "2025-06-03T11:30:00+08:00", "{customer}");
    }
}

#[test]
fn table_7_4_written_report_per_customer_level() {
    // Restored Thursday 2025-09-25 10:00; report requested at once.
    let events = [
        ("2025-09-25T08:00:00+08:00", E::Reported),
        ("2025-09-25T10:00:00+08:00", E::Restored),
        ("2025-09-25T10:00:00+08:00", E::ReportRequested),
    ];
    let due = |customer, requested: bool| {
        let evs: Vec<_> = events
            .iter()
            .take(if requested { 3 } else { 2 })
            .cloned()
            .collect();
        let t = ticket(
            TicketKind::Fault,
            customer,
            |s| s.scope = Some(Scope::City),
            &evs,
        );
        let e = evaluate(&t, "2025-09-25T12:00:00+08:00");

        ob(&e, ObligationName::WrittenReport).clone()
    };
    // Gold: proactive, 2 working days: Fri 26, Sun 28 (make-up day) -> 24:00 Sunday.
    let gold = due(CustomerLevel::Gold, false);
    assert_eq!(bj(gold.due), "2025-09-29T00:00:00+08:00");
    // Silver: on request, 7 days: Thu 2 Oct is a holiday -> 24:00 of Thu 9 Oct, the first working day after it.
    assert_eq!(
        due(CustomerLevel::Silver, false).state,
        ObligationState::NotApplicable
    );
    assert_eq!(
        bj(due(CustomerLevel::Silver, true).due),
        "2025-10-10T00:00:00+08:00"
    );
    // Bronze and standard: on request, no limit.
    for customer in [CustomerLevel::Bronze, CustomerLevel::Standard] {
        assert_eq!(due(customer, false).state, ObligationState::NotApplicable);
        let o = due(customer, true);
        assert_eq!(
            (o.state, o.due, o.target),
            (
                ObligationState::Pending,
                None,
                Some(ObligationTarget::NoLimit)
            )
        );
    }
    assert!(
        matches!(due(CustomerLevel::Standard, true).detail, Some(Detail::Note(n)) if n.contains("confirmation form"))
    );
}

#[test]
fn table_7_5_network_quality_limits_per_assurance_level() {
    let q = &Policy::default_policy().fault.network_quality;
    let expected = [(4, 6), (6, 12), (8, 24), (10, 48)];
    for (level, (faults, hours)) in ASSURANCE.into_iter().zip(expected) {
        assert_eq!(q.get(level).repeat_faults, faults, "{level}");
        assert_eq!(q.get(level).interruption.as_hours(), hours, "{level}");
    }
}

#[test]
fn dispatched_ticket_must_be_accepted_within_10_minutes() {
    let t = ticket(
        TicketKind::Complaint,
        CustomerLevel::Bronze,
        |s| s.scope = Some(Scope::City),
        &[
            ("2025-06-03T10:00:00+08:00", E::Reported),
            (
                "2025-06-03T10:01:00+08:00",
                E::Dispatched {
                    to: Some("ops".parse().unwrap()),
                },
            ),
        ],
    );
    let e = evaluate(&t, "2025-06-03T10:05:00+08:00");
    let a = ob(&e, ObligationName::Accept);
    assert_eq!(
        (bj(a.due), a.state),
        (
            "2025-06-03T10:11:00+08:00".to_owned(),
            ObligationState::Pending
        )
    );
    let e = evaluate(&t, "2025-06-03T10:11:01+08:00");
    assert_eq!(
        ob(&e, ObligationName::Accept).state,
        ObligationState::Breached
    );
}

/// Table 6-1 (working days) and the 3-working-day suspend and close.
#[test]
fn table_6_1_resume_and_suspend_close_limits() {
    // Issued Monday 2025-06-02 10:00; working days after: Tue 3 (1), Wed 4 (2), Thu 5 (3).
    let end_of = [
        "2025-06-04T00:00:00+08:00",
        "2025-06-05T00:00:00+08:00",
        "2025-06-06T00:00:00+08:00",
    ];
    let resume = |scope: Scope| match scope {
        Scope::City => [1, 1, 2, 2],
        Scope::CrossCity | Scope::CrossProvince => [2, 2, 3, 3],
    };
    for category in [Category::Overlay, Category::DedicatedLine] {
        for scope in SCOPES {
            for (i, customer) in CUSTOMERS.into_iter().enumerate() {
                let t = ticket(
                    TicketKind::Change,
                    customer,
                    |s| {
                        s.change_type = Some(ChangeType::Resume);
                        s.category = Some(category);
                        s.scope = Some(scope);
                    },
                    &[("2025-06-02T10:00:00+08:00", E::Opened)],
                );
                let e = evaluate(&t, "2025-06-02T10:00:00+08:00");
                let n = resume(scope)[i];
                assert_eq!(
                    bj(ob(&e, ObligationName::Complete).due),
                    end_of[n - 1],
                    "{category} {scope} {customer}"
                );
            }
        }
    }
    for change in [ChangeType::Suspend, ChangeType::Close] {
        for customer in CUSTOMERS {
            let t = ticket(
                TicketKind::Change,
                customer,
                |s| s.change_type = Some(change),
                &[("2025-06-02T10:00:00+08:00", E::Opened)],
            );
            let e = evaluate(&t, "2025-06-02T10:00:00+08:00");
            assert_eq!(
                bj(ob(&e, ObligationName::Complete).due),
                end_of[2],
                "{change} {customer}"
            );
        }
    }
}

#[test]
fn other_and_rebuild_changes_need_the_provisioning_limit_the_template_lacks() {
    for change in [ChangeType::Other, ChangeType::Rebuild] {
        let t = ticket(
            TicketKind::Change,
            CustomerLevel::Gold,
            |s| {
                s.change_type = Some(change);
                s.category = Some(Category::DedicatedLine);
                s.scope = Some(Scope::City);
            },
            &[("2025-06-02T10:00:00+08:00", E::Opened)],
        );
        let e = evaluate(&t, "2025-06-02T10:00:00+08:00");
        assert_eq!(
            ob(&e, ObligationName::Complete).state,
            ObligationState::NotApplicable
        );
    }
}

/// Table 5-6: progress feedbacks before construction completes.
#[test]
fn table_5_6_progress_feedback_counts_per_category_and_level() {
    let required = |c: Category| match c {
        Category::DedicatedLine => [3, 3, 2, 2],
        Category::Overlay => [1, 1, 1, 1],
    };
    for category in [Category::DedicatedLine, Category::Overlay] {
        for (i, customer) in CUSTOMERS.into_iter().enumerate() {
            let n = required(category)[i];
            for given in [n - 1, n] {
                let mut events = vec![("2025-06-02T09:00:00+08:00", E::Opened)];
                let times = [
                    "2025-06-03T09:00:00+08:00",
                    "2025-06-04T09:00:00+08:00",
                    "2025-06-05T09:00:00+08:00",
                ];
                events.extend(times.iter().take(given).map(|t| (*t, E::Feedback)));
                events.push(("2025-06-09T09:00:00+08:00", E::ConstructionCompleted));
                let t = ticket(
                    TicketKind::Provisioning,
                    customer,
                    |s| s.category = Some(category),
                    &events,
                );
                let e = evaluate(&t, "2025-06-09T10:00:00+08:00");
                let pf = ob(&e, ObligationName::ProgressFeedback);
                let expected = if given >= n {
                    ObligationState::Met
                } else {
                    ObligationState::Breached
                };
                assert_eq!(
                    pf.state, expected,
                    "{category} {customer} with {given} feedbacks"
                );
                assert_eq!(pf.target, Some(ObligationTarget::Count(n as u32)));
            }
        }
    }
}

#[test]
fn acceptance_within_10_or_15_working_days_and_final_within_3_months() {
    // Construction completed Monday 2025-09-15 18:00.
    // 10 working days: Sep 16,17,18,19,22,23,24,25,26,28(make-up Sunday) -> 24:00 Sep 28.
    // 15 working days: + Sep 29, 30, Oct 9, 10, 11 (make-up Saturday) -> 24:00 Oct 11.
    let expected = [
        "2025-09-29T00:00:00+08:00",
        "2025-09-29T00:00:00+08:00",
        "2025-10-12T00:00:00+08:00",
        "2025-10-12T00:00:00+08:00",
    ];
    for (customer, due) in CUSTOMERS.into_iter().zip(expected) {
        let t = ticket(
            TicketKind::Provisioning,
            customer,
            |s| s.category = Some(Category::Overlay),
            &[
                ("2025-09-15T18:00:00+08:00", E::ConstructionCompleted),
                ("2025-11-30T10:00:00+08:00", E::InitialAcceptance),
            ],
        );
        let e = evaluate(&t, "2025-12-01T00:00:00+08:00");
        let acc = ob(&e, ObligationName::Acceptance);
        assert_eq!(bj(acc.due), due, "{customer}");
        assert_eq!(acc.state, ObligationState::Breached);
        // Final acceptance: 3 months after 2025-11-30 is 2026-02-28 (no Feb 30th).
        assert_eq!(
            bj(ob(&e, ObligationName::FinalAcceptance).due),
            "2026-03-01T00:00:00+08:00"
        );
    }
}

/// Table 5-7: ● required, ○ optional, – not required.
#[test]
fn table_5_7_delivery_artifacts_per_level() {
    use Artifact::*;
    let required: [&[Artifact]; 4] = [
        &[
            DeliveryReport,
            DeliveryTestReport,
            MaintenanceStaff,
            SatisfactionSurvey,
        ],
        &[
            DeliveryReport,
            DeliveryTestReport,
            MaintenanceStaff,
            SatisfactionSurvey,
        ],
        &[DeliveryTestReport, MaintenanceStaff],
        &[DeliveryTestReport, MaintenanceStaff],
    ];
    for (customer, req) in CUSTOMERS.into_iter().zip(required) {
        let mut events: Vec<(&str, E)> = req
            .iter()
            .map(|&a| ("2025-06-02T09:00:00+08:00", E::Artifact { name: a }))
            .collect();
        events.push(("2025-06-03T09:00:00+08:00", E::Delivered));
        let t = ticket(
            TicketKind::Provisioning,
            customer,
            |s| s.category = Some(Category::Overlay),
            &events,
        );
        let e = evaluate(&t, "2025-06-03T10:00:00+08:00");
        let d = ob(&e, ObligationName::DeliveryArtifacts);
        assert_eq!(d.state, ObligationState::Met, "{customer}");
        assert_eq!(
            d.target,
            Some(ObligationTarget::Artifacts(req.to_vec())),
            "{customer}"
        );
        // Dropping any one required artefact breaches it at delivery.
        for skip in req {
            let evs: Vec<_> = events
                .iter()
                .filter(|(_, k)| *k != E::Artifact { name: *skip })
                .cloned()
                .collect();
            let t = ticket(
                TicketKind::Provisioning,
                customer,
                |s| s.category = Some(Category::Overlay),
                &evs,
            );
            let e = evaluate(&t, "2025-06-03T10:00:00+08:00");
            let d = ob(&e, ObligationName::DeliveryArtifacts);
            assert_eq!(
                d.state,
                ObligationState::Breached,
                "{customer} without {skip}"
            );
            assert_eq!(d.detail, Some(Detail::Missing(vec![*skip])));
        }
    }
}

/// Table 8-1 and the emergency rule.
#[test]
fn table_8_1_notice_rules_per_level() {
    // Work on Monday 2025-10-20 09:00.
    // 7 wd before: Fri 10 Oct (Sat 11 was a make-up day); 5 wd: Mon 13; 4 wd: Tue 14.
    let due = [
        "2025-10-11T00:00:00+08:00",
        "2025-10-14T00:00:00+08:00",
        "2025-10-15T00:00:00+08:00",
        "2025-10-15T00:00:00+08:00",
    ];
    let recipient = [
        NoticeRecipient::Customer,
        NoticeRecipient::Customer,
        NoticeRecipient::AccountManager,
        NoticeRecipient::AccountManager,
    ];
    let channels: [&[NoticeChannel]; 4] = [
        &[NoticeChannel::Letter],
        &[NoticeChannel::Ticket, NoticeChannel::Email],
        &[NoticeChannel::Ticket, NoticeChannel::Email],
        &[NoticeChannel::Ticket, NoticeChannel::Email],
    ];
    let confirm_before = [Some(true), Some(false), None, None];
    let confirm_after = [true, true, false, false];
    let reschedule = [true, false, false, false];
    for (i, customer) in CUSTOMERS.into_iter().enumerate() {
        let t = ticket(
            TicketKind::Notice,
            customer,
            |s| s.work_start = Some(crate::at("2025-10-20T09:00:00+08:00")),
            &[("2025-10-01T09:00:00+08:00", E::Opened)],
        );
        let e = evaluate(&t, "2025-10-01T09:00:00+08:00");
        let n = ob(&e, ObligationName::AdvanceNotice);
        assert_eq!(bj(n.due), due[i], "{customer}");
        assert_eq!(
            n.detail,
            Some(Detail::Notice {
                recipient: recipient[i],
                channels: channels[i].to_vec(),
                ignored: 0
            }),
            "{customer}"
        );
        let c = ob(&e, ObligationName::CustomerConfirmation);
        match confirm_before[i] {
            Some(written) => assert_eq!(
                c.detail,
                Some(Detail::Confirmation { written }),
                "{customer}"
            ),
            None => assert_eq!(c.state, ObligationState::NotApplicable, "{customer}"),
        }
        let p = ob(&e, ObligationName::PostWorkConfirmation);
        assert_eq!(
            p.state != ObligationState::NotApplicable,
            confirm_after[i],
            "{customer}"
        );
        assert_eq!(
            *Policy::default_policy()
                .notice
                .reschedule_on_request
                .get(customer),
            reschedule[i]
        );
    }
    let t = ticket(
        TicketKind::Notice,
        CustomerLevel::Gold,
        |s| {
            s.work_start = Some(crate::at("2025-10-20T09:00:00+08:00"));
            s.emergency = true;
        },
        &[],
    );
    let e = evaluate(&t, "2025-10-18T09:00:00+08:00");
    assert_eq!(
        bj(ob(&e, ObligationName::AdvanceNotice).due),
        "2025-10-20T00:00:00+08:00"
    );
}
