//! Each workflow end to end through the API, with the scheduler and the notifier
//! running in the server on a manual clock: warnings, breaches, reminders and
//! escalations fire when the clock passes them, once, are recorded on the
//! ticket, and reach a real webhook receiver and a real SMTP server.

use std::sync::Arc;

use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tierdesk_server::state::ManualClock;

use crate::*;

/// A server on a fresh database of `backend` whose clock stands at
/// [`monday_morning`]; `None` when the backend is not available here.
async fn clocked(
    backend: Backend,
    adjust: impl FnOnce(&mut tierdesk_server::Config),
) -> Option<(TestApp, Arc<ManualClock>)> {
    let (location, dir) = fresh_location(backend).await?;
    let clock = manual_clock();
    let mut app = TestApp::start_clocked(location, clock.clone(), adjust).await;
    if let Some(dir) = dir {
        app.keep_dir(dir);
    }
    Some((app, clock))
}

fn minutes(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

async fn as_user(app: &TestApp, token: &str, method: Method, path: &str, body: Value) -> Reply {
    app.call(method, path, Some(token), Some(body), &[]).await
}

async fn record(app: &TestApp, token: &str, ticket: &str, events: Value) -> Reply {
    as_user(
        app,
        token,
        Method::POST,
        &format!("/api/v1/tickets/{ticket}/events"),
        json!({ "events": events }),
    )
    .await
}

#[track_caller]
fn created(r: &Reply) {
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

/// A refused transition: 409, naming the event and saying why.
#[track_caller]
fn refused(r: &Reply, pointer: &str, why: &str) {
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(
        r.body["type"],
        "https://tierdesk.dev/problems/invalid-transition"
    );
    assert_eq!(r.body["errors"][0]["pointer"], pointer, "{}", r.text);
    assert!(
        r.body["detail"].as_str().unwrap_or_default().contains(why),
        "{}",
        r.text
    );
}

async fn ticket(app: &TestApp, id: &str) -> Value {
    let r = app.get(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body
}

fn events_of<'a>(ticket: &'a Value, ty: &str) -> Vec<&'a Value> {
    ticket["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"] == ty)
        .collect()
}

/// Waits until the ticket carries `n` events of type `ty` (fired by the scheduler).
async fn until_recorded(app: &TestApp, id: &str, ty: &str, n: usize) -> Value {
    eventually(&format!("{n} {ty} on {id}"), || async {
        let t = ticket(app, id).await;
        (events_of(&t, ty).len() >= n).then_some(t)
    })
    .await
}

fn obligation<'a>(ticket: &'a Value, name: &str) -> &'a Value {
    ticket["evaluation"]["obligations"]
        .as_array()
        .expect("obligations")
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {ticket}"))
}

async fn open(app: &TestApp, token: &str, body: Value) -> Value {
    let r = as_user(app, token, Method::POST, "/api/v1/tickets", body).await;
    created(&r);
    r.body
}

async fn channel(app: &TestApp, body: Value) {
    let r = app.post("/api/v1/channels", body).await;
    created(&r);
}

/// Checks a webhook's `X-Tierdesk-Signature` against the shared secret.
#[track_caller]
fn signed_with(received: &Received, secret: &str) {
    let header = received.header("x-tierdesk-signature");
    let t: i64 = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split(',').next())
        .and_then(|t| t.parse().ok())
        .expect("t=<seconds>");
    assert_eq!(
        header,
        tierdesk_server::notify::deliver::sign(secret, t, received.body.as_bytes())
    );
    assert_ne!(
        header,
        tierdesk_server::notify::deliver::sign("another secret!!", t, received.body.as_bytes())
    );
}

const SECRET: &str = "0123456789abcdef-noc";

async fn fault_workflow_with_warning_breach_webhook_and_email(backend: Backend) {
    let mut smtp = SmtpSink::start().await;
    let mut hook = Receiver::start().await;
    let smtp_url = smtp.url.clone();
    let Some((app, clock)) = clocked(backend, move |c| c.smtp_url = Some(smtp_url)).await else {
        return;
    };
    app.seed().await;
    channel(
        &app,
        json!({"id": "noc", "name": "NOC", "kind": "webhook", "url": hook.url, "secret": SECRET,
                         "topics": ["warning", "breach"]}),
    )
    .await;
    channel(&app, json!({"id": "duty", "name": "Duty officer", "kind": "email", "email_to": ["duty@example.com"],
                         "topics": ["breach"], "language": "en"})).await;
    let hotline = app.user("li", "hotline", None, None).await;
    let ops = app.user("wang", "operations", None, Some("ops")).await;

    // Bronze → A, across provinces: restored within 6 hours.
    open(
        &app,
        &hotline,
        json!({"id": "F-B", "kind": "fault", "customer_id": "CUS-B", "service_id": "SVC-CUS-B",
                                "title": "Line down"}),
    )
    .await;
    let r = record(
        &app,
        &hotline,
        "F-B",
        json!([{"type": "dispatched", "to": "ops"}]),
    )
    .await;
    refused(&r, "/events/0", "pre-screen it first");
    created(
        &record(
            &app,
            &hotline,
            "F-B",
            json!([{"type": "prescreened"}, {"type": "dispatched", "to": "ops"}]),
        )
        .await,
    );
    let r = record(&app, &ops, "F-B", json!([{"type": "restored"}])).await;
    refused(&r, "/events/0", "no department has accepted it yet");
    let r = record(&app, &ops, "F-B", json!([{"type": "accepted"}])).await;
    created(&r);
    assert_eq!(r.body["stage"], "in_progress");
    let alerts: Vec<(String, String)> = r.body["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .map(|a| {
            (
                a["alert"].as_str().unwrap_or_default().to_owned(),
                a["fire_at"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        alerts.contains(&("warning".into(), "2025-06-09T13:30:00+08:00".into())),
        "{alerts:?}"
    );
    assert!(
        alerts.contains(&("breach".into(), "2025-06-09T15:00:00+08:00".into())),
        "{alerts:?}"
    );

    // 75% of six hours: the warning.
    clock.advance(minutes(4 * 60 + 31));
    let t = until_recorded(&app, "F-B", "sla_warning", 1).await;
    let warning = events_of(&t, "sla_warning")[0];
    assert_eq!(
        (warning["obligation"].as_str(), warning["actor"].as_str()),
        (Some("restore"), Some("system"))
    );
    assert_eq!(warning["due"], "2025-06-09T15:00:00+08:00");
    let received = hook.next_topic("warning").await;
    signed_with(&received, SECRET);
    let body = received.json();
    assert_eq!(body["ticket"]["id"], "F-B");
    assert_eq!(body["event"]["type"], "sla_warning");
    assert!(
        body["message"]["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("预警"),
        "{body}"
    );
    assert_eq!(received.header("x-tierdesk-topic"), "warning");

    // Six hours: the breach, to the webhook and by e-mail.
    clock.advance(minutes(90));
    let t = until_recorded(&app, "F-B", "sla_breached", 1).await;
    assert_eq!(obligation(&t, "restore")["state"], "breached");
    let received = hook.next_topic("breach").await;
    signed_with(&received, SECRET);
    let mail = smtp.next().await;
    assert_eq!(mail.rcpt_tos, ["duty@example.com"]);
    assert!(
        mail.subject().contains("Breached: restore of fault F-B"),
        "{}",
        mail.subject()
    );
    assert!(
        mail.body()
            .contains("Customer: CUS-B (bronze customer, A assurance)"),
        "{}",
        mail.body()
    );

    // Restored late; closed only after the satisfaction callback.
    created(&record(&app, &ops, "F-B", json!([{"type": "restored"}])).await);
    let r = record(&app, &hotline, "F-B", json!([{"type": "closed"}])).await;
    refused(&r, "/events/0", "satisfaction callback");
    created(
        &record(
            &app,
            &hotline,
            "F-B",
            json!([{"type": "callback", "satisfied": false}]),
        )
        .await,
    );
    let r = record(&app, &hotline, "F-B", json!([{"type": "closed"}])).await;
    created(&r);
    assert_eq!(
        (r.body["status"].as_str(), r.body["stage"].as_str()),
        (Some("closed"), Some("closed"))
    );
    assert!(
        r.body["alerts"].as_array().expect("alerts").is_empty(),
        "a closed ticket has nothing left to fire"
    );
    let r = record(&app, &ops, "F-B", json!([{"type": "feedback"}])).await;
    refused(&r, "/events/0", "the ticket is closed");

    // Each alert fired once, whatever the clock does next.
    clock.advance(minutes(24 * 60));
    tierdesk_server::scheduler::tick(&app.state, "test")
        .await
        .expect("tick");
    let t = ticket(&app, "F-B").await;
    assert_eq!(events_of(&t, "sla_warning").len(), 1);
    assert_eq!(events_of(&t, "sla_breached").len(), 1);
    let sent = eventually("every notification sent", || async {
        let r = app.get("/api/v1/notifications?ticket=F-B").await;
        let list = r.body.as_array().cloned().unwrap_or_default();
        list.iter().all(|n| n["state"] == "sent").then_some(list)
    })
    .await;
    let topics: Vec<&str> = sent.iter().filter_map(|n| n["topic"].as_str()).collect();
    assert_eq!(
        topics,
        ["warning", "breach", "breach"],
        "webhook warning, webhook and e-mail breach"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_is_warned_of_and_breached_once_by_webhook_and_email_on_sqlite() {
    fault_workflow_with_warning_breach_webhook_and_email(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_is_warned_of_and_breached_once_by_webhook_and_email_on_postgres() {
    fault_workflow_with_warning_breach_webhook_and_email(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gold_full_outage_is_escalated_to_leadership_and_feedback_is_reminded() {
    let mut smtp = SmtpSink::start().await;
    let smtp_url = smtp.url.clone();
    let (app, clock) = clocked(Backend::Sqlite, move |c| c.smtp_url = Some(smtp_url))
        .await
        .expect("sqlite");
    app.seed().await;
    let r = app
        .post(
            "/api/v1/departments",
            json!({"id": "noc", "name": "Network operations centre", "kind": "operations",
                                            "leader_email": "noc-lead@example.com"}),
        )
        .await;
    created(&r);
    let ops = app.user("wang", "operations", None, Some("noc")).await;
    // Gold → AAA: no pre-screening; a full outage goes to the leadership at once.
    open(
        &app,
        &ops,
        json!({"id": "F-G", "kind": "fault", "customer_id": "CUS-G", "service_id": "SVC-CUS-G",
                            "full_outage": true, "title": "Ring cut",
                            "events": [{"type": "alarm"}, {"type": "dispatched", "to": "noc"}]}),
    )
    .await;
    let t = until_recorded(&app, "F-G", "escalated", 1).await;
    assert_eq!(events_of(&t, "escalated")[0]["actor"], "system");
    let mail = smtp.next().await;
    assert_eq!(mail.rcpt_tos, ["noc-lead@example.com"]);
    assert!(mail.subject().contains("升级"), "{}", mail.subject());
    assert!(mail.body().contains("F-G"), "{}", mail.body());
    created(&record(&app, &ops, "F-G", json!([{"type": "accepted"}])).await);

    // Gold: progress feedback every 30 minutes, reminded 5 minutes ahead.
    clock.advance(minutes(26));
    let t = until_recorded(&app, "F-G", "sla_reminder", 1).await;
    let reminder = events_of(&t, "sla_reminder")[0];
    assert_eq!(reminder["obligation"], "progress_feedback");
    assert_eq!(reminder["due"], "2025-06-09T09:30:00+08:00");
    created(&record(&app, &ops, "F-G", json!([{"type": "feedback"}])).await);
    // The next one is due 30 minutes after that feedback; reminded at 09:51, and
    // nobody gives it.
    clock.advance(minutes(26));
    until_recorded(&app, "F-G", "sla_reminder", 2).await;
    clock.advance(minutes(5));
    let t = until_recorded(&app, "F-G", "sla_breached", 1).await;
    let breach = events_of(&t, "sla_breached")[0];
    assert_eq!(breach["obligation"], "progress_feedback");
    assert_eq!(breach["due"], "2025-06-09T09:56:00+08:00");
    assert_eq!(
        events_of(&t, "sla_reminder").len(),
        2,
        "reminded before the second one too"
    );
    assert_eq!(events_of(&t, "escalated").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_runs_its_workflow_and_a_timely_resolution_fires_nothing() {
    let (app, clock) = clocked(Backend::Sqlite, |_| {}).await.expect("sqlite");
    app.seed().await;
    let hotline = app.user("li", "hotline", None, None).await;
    let ops = app.user("wang", "operations", None, Some("ops")).await;
    open(
        &app,
        &hotline,
        json!({"id": "C-B", "kind": "complaint", "customer_id": "CUS-B", "service_id": "SVC-CUS-B",
                                "title": "Slow line"}),
    )
    .await;
    let r = record(&app, &ops, "C-B", json!([{"type": "accepted"}])).await;
    refused(&r, "/events/0", "dispatch it to a department first");
    created(
        &record(
            &app,
            &hotline,
            "C-B",
            json!([{"type": "prescreened"}, {"type": "dispatched", "to": "ops"}]),
        )
        .await,
    );
    created(&record(&app, &ops, "C-B", json!([{"type": "accepted"}])).await);
    clock.advance(minutes(120));
    let r = record(&app, &ops, "C-B", json!([{"type": "resolved"}])).await;
    created(&r);
    assert_eq!(obligation(&r.body, "resolve")["state"], "met");
    assert!(
        r.body["alerts"].as_array().expect("alerts").is_empty(),
        "{}",
        r.body["alerts"]
    );
    assert_eq!(
        r.body["next_events"],
        json!(["feedback", "callback"]),
        "closing waits for the callback"
    );
    created(
        &record(
            &app,
            &hotline,
            "C-B",
            json!([{"type": "callback", "satisfied": true}, {"type": "closed"}]),
        )
        .await,
    );
    clock.advance(minutes(10 * 60));
    tierdesk_server::scheduler::tick(&app.state, "test")
        .await
        .expect("tick");
    let t = ticket(&app, "C-B").await;
    assert!(
        events_of(&t, "sla_warning").is_empty() && events_of(&t, "sla_breached").is_empty(),
        "{t}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provisioning_goes_through_construction_rectification_acceptance_and_delivery() {
    let (app, clock) = clocked(Backend::Sqlite, |_| {}).await.expect("sqlite");
    app.seed().await;
    let am = app.user("zhang", "account_manager", None, None).await;
    let cons = app.user("chen", "construction", None, None).await;
    let maint = app.user("zhao", "maintenance", None, None).await;
    open(&app, &am, json!({"id": "P-G", "kind": "provisioning", "customer_id": "CUS-G", "service_id": "SVC-CUS-G",
                           "title": "New branch line"})).await;
    created(
        &record(
            &app,
            &cons,
            "P-G",
            json!([{"type": "feedback", "note": "survey done, fibre route booked"}]),
        )
        .await,
    );
    // The customer asks to wait for their machine room: a delay with an agreed date.
    let r = record(
        &app,
        &am,
        "P-G",
        json!([{"type": "delay_agreed", "until": at_minute(2 * 24 * 60)}]),
    )
    .await;
    refused(
        &r,
        "/events/0",
        "record `paused` with reason customer first",
    );
    created(&record(&app, &am, "P-G", json!([
        {"type": "paused", "reason": "customer", "note": "machine room not ready, letter of 9 June"},
        {"type": "delay_agreed", "until": at_minute(2 * 24 * 60)}])).await);
    clock.advance(minutes(2 * 24 * 60 + 1));
    let t = until_recorded(&app, "P-G", "sla_reminder", 1).await;
    assert_eq!(events_of(&t, "sla_reminder")[0]["obligation"], Value::Null);
    created(&record(&app, &am, "P-G", json!([{"type": "resumed"}])).await);

    let r = record(&app, &maint, "P-G", json!([{"type": "initial_acceptance"}])).await;
    refused(&r, "/events/0", "record `construction_completed` first");
    created(
        &record(
            &app,
            &cons,
            "P-G",
            json!([{"type": "feedback"}, {"type": "feedback"}, {"type": "construction_completed"}]),
        )
        .await,
    );
    let t = ticket(&app, "P-G").await;
    assert_eq!(t["stage"], "awaiting_acceptance_test");
    assert_eq!(
        obligation(&t, "progress_feedback")["state"],
        "met",
        "gold dedicated line: 3 feedbacks"
    );
    created(
        &record(
            &app,
            &maint,
            "P-G",
            json!([{"type": "initial_acceptance"},
        {"type": "rectification_required", "item": "OTDR trace of span 3"}]),
        )
        .await,
    );
    assert_eq!(ticket(&app, "P-G").await["stage"], "rectification");
    let r = record(&app, &maint, "P-G", json!([{"type": "final_acceptance"}])).await;
    refused(&r, "/events/0", "OTDR trace of span 3");
    let r = record(
        &app,
        &cons,
        "P-G",
        json!([{"type": "rectified", "item": "something else"}]),
    )
    .await;
    refused(&r, "/events/0", "no rectification of");
    created(
        &record(
            &app,
            &cons,
            "P-G",
            json!([{"type": "rectified", "item": "OTDR trace of span 3"}]),
        )
        .await,
    );
    created(&record(&app, &maint, "P-G", json!([{"type": "final_acceptance"}])).await);
    created(&record(&app, &am, "P-G", json!([
        {"type": "artifact", "name": "delivery_report"}, {"type": "artifact", "name": "delivery_test_report"},
        {"type": "artifact", "name": "maintenance_staff"}, {"type": "artifact", "name": "satisfaction_survey"},
        {"type": "delivered"}])).await);
    let t = ticket(&app, "P-G").await;
    assert_eq!(obligation(&t, "delivery_artifacts")["state"], "met");
    assert_eq!(obligation(&t, "acceptance")["state"], "met");
    created(&record(&app, &am, "P-G", json!([{"type": "closed"}])).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspend_order_breaches_after_three_working_days() {
    let (app, clock) = clocked(Backend::Sqlite, |_| {}).await.expect("sqlite");
    app.seed().await;
    let r = app
        .post(
            "/api/v1/departments",
            json!({"id": "maint", "name": "Maintenance", "kind": "maintenance"}),
        )
        .await;
    created(&r);
    let am = app.user("zhang", "account_manager", None, None).await;
    let maint = app.user("zhao", "maintenance", None, Some("maint")).await;
    let r = open(&app, &am, json!({"id": "CH-1", "kind": "change", "change_type": "suspend", "customer_id": "CUS-B",
                                   "title": "Suspend for non-payment", "events": [{"type": "opened"}, {"type": "dispatched", "to": "maint"}]})).await;
    // Monday 09:00 + 3 working days: due at the end of Thursday.
    assert_eq!(
        obligation(&r, "complete")["due"],
        "2025-06-13T00:00:00+08:00"
    );
    let r = record(&app, &maint, "CH-1", json!([{"type": "closed"}])).await;
    refused(&r, "/events/0", "it is closed once it is completed");
    created(&record(&app, &maint, "CH-1", json!([{"type": "accepted"}])).await);
    // Warned at 75% of the 87 hours from the order to the due instant.
    let r = ticket(&app, "CH-1").await;
    let warning = r["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .find(|a| a["alert"] == "warning")
        .expect("a warning");
    assert_eq!(warning["fire_at"], "2025-06-12T02:15:00+08:00");
    clock.set("2025-06-12T02:15:00+08:00".parse().expect("instant"));
    until_recorded(&app, "CH-1", "sla_warning", 1).await;
    clock.set("2025-06-13T00:00:01+08:00".parse().expect("instant"));
    let t = until_recorded(&app, "CH-1", "sla_breached", 1).await;
    assert_eq!(events_of(&t, "sla_warning").len(), 1);
    assert_eq!(events_of(&t, "sla_breached")[0]["obligation"], "complete");
    created(
        &record(
            &app,
            &maint,
            "CH-1",
            json!([{"type": "completed"}, {"type": "closed"}]),
        )
        .await,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn planned_work_waits_for_the_customers_confirmation_and_gold_may_move_it() {
    let (app, _clock) = clocked(Backend::Sqlite, |_| {}).await.expect("sqlite");
    app.seed().await;
    let am = app.user("zhang", "account_manager", None, None).await;
    let maint = app.user("zhao", "maintenance", None, None).await;
    let customer = app.user("gold-it", "customer", Some("CUS-G"), None).await;
    open(
        &app,
        &maint,
        json!({"id": "N-G", "kind": "notice", "customer_id": "CUS-G", "service_id": "SVC-CUS-G",
                              "work_start": at_minute(14 * 24 * 60), "title": "Router upgrade"}),
    )
    .await;
    let r = record(&app, &maint, "N-G", json!([{"type": "work_started"}])).await;
    refused(&r, "/events/0", "send the advance notice first");
    created(
        &record(
            &app,
            &am,
            "N-G",
            json!([{"type": "notice_sent", "channel": "letter"}]),
        )
        .await,
    );
    created(
        &record(
            &app,
            &customer,
            "N-G",
            json!([{"type": "objected", "note": "quarter-end close that night"}]),
        )
        .await,
    );
    let r = record(&app, &maint, "N-G", json!([{"type": "work_started"}])).await;
    refused(&r, "/events/0", "the customer objected");
    created(
        &record(
            &app,
            &am,
            "N-G",
            json!([{"type": "rescheduled", "work_start": at_minute(15 * 24 * 60)}]),
        )
        .await,
    );
    let r = record(&app, &maint, "N-G", json!([{"type": "work_started"}])).await;
    refused(&r, "/events/0", "may not start until the customer confirms");
    created(
        &record(
            &app,
            &customer,
            "N-G",
            json!([{"type": "customer_confirmed", "note": "signed letter"}]),
        )
        .await,
    );
    assert_eq!(ticket(&app, "N-G").await["stage"], "ready");
    created(
        &record(
            &app,
            &maint,
            "N-G",
            json!([{"type": "work_started"}, {"type": "work_finished"}]),
        )
        .await,
    );
    let r = record(&app, &maint, "N-G", json!([{"type": "closed"}])).await;
    refused(&r, "/events/0", "post_work_confirmed");
    created(
        &record(
            &app,
            &customer,
            "N-G",
            json!([{"type": "post_work_confirmed"}]),
        )
        .await,
    );
    created(&record(&app, &maint, "N-G", json!([{"type": "closed"}])).await);

    // Only gold moves the time at its request (table 8-1).
    open(
        &app,
        &maint,
        json!({"id": "N-B", "kind": "notice", "customer_id": "CUS-B", "service_id": "SVC-CUS-B",
                              "work_start": at_minute(14 * 24 * 60), "title": "Router upgrade",
                              "events": [{"type": "opened"}, {"type": "notice_sent"}]}),
    )
    .await;
    let r = record(
        &app,
        &am,
        "N-B",
        json!([{"type": "rescheduled", "work_start": at_minute(15 * 24 * 60)}]),
    )
    .await;
    refused(&r, "/events/0", "not bronze");
    // Bronze customers are told, not asked: the work may start.
    created(&record(&app, &maint, "N-B", json!([{"type": "work_started"}])).await);
}

/// Opens a bronze fault that is pre-screened and dispatched but not accepted: its
/// `accept` promise falls due 10 minutes later.
async fn dispatched_fault(app: &TestApp, id: &str) {
    let r = app
        .post("/api/v1/tickets", json!({"id": id, "kind": "fault", "customer_id": "CUS-B", "service_id": "SVC-CUS-B",
                                         "title": "Line down", "events": [{"type": "reported"}, {"type": "prescreened"},
                                         {"type": "dispatched", "to": "ops"}]}))
        .await;
    created(&r);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_fire_each_alert_exactly_once() {
    let Some((location, _)) = fresh_location(Backend::Postgres).await else {
        return;
    };
    let mut hook = Receiver::start().await;
    let clock = manual_clock();
    let a = TestApp::start_clocked(location.clone(), clock.clone(), |_| {}).await;
    let b = TestApp::start_clocked(location, clock.clone(), |_| {}).await;
    a.seed().await;
    channel(&a, json!({"id": "noc", "name": "NOC", "kind": "webhook", "url": hook.url, "topics": ["breach"]})).await;
    let ids: Vec<String> = (0..24).map(|i| format!("F-{i:02}")).collect();
    for (i, id) in ids.iter().enumerate() {
        // Half through each instance.
        dispatched_fault(if i % 2 == 0 { &a } else { &b }, id).await;
    }
    // The warnings (at 7 min 30 s), then the breaches (at 10 min). Both instances'
    // schedulers run in the background; two more rounds race them each time.
    for (step, ty) in [(8, "sla_warning"), (3, "sla_breached")] {
        clock.advance(minutes(step));
        let (x, y) = tokio::join!(
            tierdesk_server::scheduler::tick(&a.state, "extra-a"),
            tierdesk_server::scheduler::tick(&b.state, "extra-b")
        );
        x.expect("tick a");
        y.expect("tick b");
        for id in &ids {
            until_recorded(&a, id, ty, 1).await;
        }
    }
    for id in &ids {
        let t = ticket(&b, id).await;
        assert_eq!(events_of(&t, "sla_breached").len(), 1, "{id}: one breach");
        assert_eq!(events_of(&t, "sla_warning").len(), 1, "{id}: one warning");
    }
    let mut delivered: Vec<String> = Vec::new();
    for _ in &ids {
        let r = hook.next().await;
        delivered.push(r.json()["ticket"]["id"].as_str().expect("id").to_owned());
    }
    delivered.sort();
    assert_eq!(delivered, ids, "one breach notification per ticket");
    let r = a.get("/api/v1/notifications?state=pending").await;
    assert_eq!(r.body, json!([]), "nothing left to send");
}

async fn a_restart_fires_what_came_due_while_down_once(backend: Backend) {
    let Some((location, dir)) = fresh_location(backend).await else {
        return;
    };
    let clock = manual_clock();
    let first = TestApp::start_clocked(location.clone(), clock.clone(), |_| {}).await;
    first.seed().await;
    dispatched_fault(&first, "F-R").await;
    first.shutdown().await;
    // Down for half an hour: the acceptance was due after ten minutes.
    clock.advance(minutes(30));
    let second = TestApp::start_clocked(location.clone(), clock.clone(), |_| {}).await;
    let t = until_recorded(&second, "F-R", "sla_breached", 1).await;
    assert!(
        events_of(&t, "sla_warning").is_empty(),
        "a warning that comes after the due instant would warn of nothing: only the breach is told"
    );
    second.shutdown().await;
    let third = TestApp::start_clocked(location, clock.clone(), |_| {}).await;
    assert_eq!(
        tierdesk_server::scheduler::tick(&third.state, "again")
            .await
            .expect("tick"),
        0
    );
    let t = ticket(&third, "F-R").await;
    assert_eq!(
        events_of(&t, "sla_breached").len(),
        1,
        "fired once across restarts"
    );
    drop(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_fires_what_came_due_while_down_once_on_sqlite() {
    a_restart_fires_what_came_due_while_down_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_fires_what_came_due_while_down_once_on_postgres() {
    a_restart_fires_what_came_due_while_down_once(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_webhook_is_retried_then_dead_lettered_and_replayed() {
    let mut hook = Receiver::start().await;
    let (app, clock) = clocked(Backend::Sqlite, |c| {
        c.notify_attempts = 3;
        c.notify_backoff = SignedDuration::from_secs(60);
    })
    .await
    .expect("sqlite");
    app.seed().await;
    channel(&app, json!({"id": "noc", "name": "NOC", "kind": "webhook", "url": hook.url, "topics": ["opened"]})).await;
    hook.answer(500);
    dispatched_fault(&app, "F-W").await;
    let first = hook.next().await;
    let delivery = first.header("x-tierdesk-delivery").to_owned();
    let path = format!("/api/v1/notifications/{delivery}");
    // Retried after 1 minute, then 2 minutes: each wait is on the server's clock.
    for (attempts, wait) in [(1, 60), (2, 120)] {
        eventually("the failure recorded", || async {
            let n = app.get(&path).await.body;
            (n["attempts"] == attempts).then_some(n)
        })
        .await;
        clock.advance(SignedDuration::from_secs(wait));
        assert_eq!(hook.next().await.header("x-tierdesk-delivery"), delivery);
    }
    let dead = eventually("the dead letter", || async {
        let r = app.get("/api/v1/notifications?state=dead").await;
        r.body.as_array().filter(|l| !l.is_empty()).cloned()
    })
    .await;
    assert_eq!(dead[0]["id"], delivery.as_str());
    assert_eq!(dead[0]["attempts"], 3);
    assert!(
        dead[0]["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("500"),
        "{}",
        dead[0]
    );

    hook.answer(200);
    let r = app.post(&format!("{path}/replay"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["state"], "pending");
    let again = hook.next().await;
    assert_eq!(
        again.header("x-tierdesk-delivery"),
        delivery,
        "the same notification, for the receiver to de-duplicate"
    );
    assert_eq!(again.json()["topic"], "opened");
    eventually("sent after the replay", || async {
        (app.get(&path).await.body["state"] == "sent").then_some(())
    })
    .await;
}

on_both_backends! {
    async fn a_mass_outage_is_queued_by_assurance_level_and_restored_together(app: TestApp) {
        app.seed().await;
        let ops = app.user("wang", "operations", None, Some("ops")).await;
        // Gold feedback is due every 30 minutes: the cut's next one 25 minutes from now.
        open(&app, &ops, json!({"id": "F-CUT", "kind": "fault", "customer_id": "CUS-G", "service_id": "SVC-CUS-G",
                                "full_outage": true, "title": "Ring cut",
                                "events": [{"at": minutes_ago_utc(30), "type": "alarm"}, {"at": minutes_ago_utc(29), "type": "dispatched", "to": "ops"},
                                           {"at": minutes_ago_utc(28), "type": "accepted"}, {"at": minutes_ago_utc(5), "type": "feedback"}]})).await;
        // The hotline logs the customers' reports (admin here); ops links them to the cut.
        for (id, customer, reported) in [("F-B1", "CUS-B", 20), ("F-B2", "CUS-B", 25), ("F-G1", "CUS-G", 10)] {
            open(&app, &app.admin, json!({"id": id, "kind": "fault", "customer_id": customer, "service_id": format!("SVC-{customer}"),
                                    "title": "Line down behind the cut",
                                    "events": [{"at": minutes_ago_utc(reported), "type": "reported"},
                                               {"at": minutes_ago_utc(reported), "type": "linked", "parent": "F-CUT"}]})).await;
        }
        let r = record(&app, &ops, "F-B2", json!([{"type": "paused", "reason": "customer", "note": "no site access"}])).await;
        created(&r);
        let r = record(&app, &ops, "F-B1", json!([{"type": "linked", "parent": "P-NONE"}])).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(r.body["errors"][0]["pointer"], "/events/0/parent");

        // The operations queue: AAA before A, each by time to breach (F-G1's first
        // feedback is due in 20 minutes, the cut's next in 25).
        let r = app.get("/api/v1/tickets?kind=fault&open=true&order=assurance&limit=2").await;
        let first: Vec<&str> = r.body["items"].as_array().expect("items").iter().filter_map(|t| t["id"].as_str()).collect();
        assert_eq!(first, ["F-G1", "F-CUT"]);
        let cursor = r.body["next_cursor"].as_str().expect("another page").to_owned();
        let r = app.get(&format!("/api/v1/tickets?kind=fault&open=true&order=assurance&limit=2&cursor={cursor}")).await;
        let rest: Vec<&str> = r.body["items"].as_array().expect("items").iter().filter_map(|t| t["id"].as_str()).collect();
        assert_eq!(rest, ["F-B1", "F-B2"], "within A, the soonest due first; the paused one has nothing due");
        let r = app.get("/api/v1/tickets?parent=F-CUT").await;
        assert_eq!(r.body["items"].as_array().expect("items").len(), 3);

        let r = as_user(&app, &ops, Method::POST, "/api/v1/tickets/F-CUT/restore-outage", json!({"note": "splice done"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let mut restored: Vec<&str> = r.body["restored"].as_array().expect("restored").iter().filter_map(|t| t.as_str()).collect();
        restored.sort_unstable();
        assert_eq!(restored, ["F-B1", "F-B2", "F-CUT", "F-G1"]);
        for id in restored {
            let t = ticket(&app, id).await;
            assert_eq!(t["status"], "resolved", "{id}");
            let at: Vec<&Value> = events_of(&t, "restored");
            assert_eq!(at.len(), 1, "{id}");
        }
        let b2 = ticket(&app, "F-B2").await;
        assert_eq!(events_of(&b2, "resumed").len(), 1, "the pause ended with the restoration");
        let r = as_user(&app, &ops, Method::POST, "/api/v1/tickets/F-CUT/restore-outage", json!({})).await;
        assert_eq!(r.body["restored"], json!([]), "nothing left to restore");
    }
}

/// An instant `m` minutes before now (the system clock of the test servers).
fn minutes_ago_utc(m: i64) -> String {
    let now = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second()).expect("instant");
    now.checked_sub(minutes(m)).expect("instant").to_string()
}
