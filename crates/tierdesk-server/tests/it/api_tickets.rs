//! Tickets through the REST API.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::*;

fn obligation<'a>(ticket: &'a Value, name: &str) -> &'a Value {
    ticket["evaluation"]["obligations"]
        .as_array()
        .expect("obligations")
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {ticket}"))
}

/// An instant `m` minutes before this process started, to the second: one base
/// for all the relative times of a test, so their differences are exact.
fn minutes_ago(m: i64) -> String {
    static BASE: std::sync::OnceLock<jiff::Timestamp> = std::sync::OnceLock::new();
    let base = *BASE.get_or_init(|| {
        jiff::Timestamp::from_second(jiff::Timestamp::now().as_second()).expect("instant")
    });
    base.checked_sub(jiff::SignedDuration::from_mins(m))
        .expect("instant")
        .to_string()
}

async fn open_gold_fault(app: &TestApp, token: &str) -> Value {
    let r = app
        .call(
            Method::POST,
            "/api/v1/tickets",
            Some(token),
            Some(json!({"id": "F-1", "kind": "fault", "customer_id": "CUS-G", "service_id": "SVC-CUS-G", "circuit_id": "CIR-CUS-G",
                        "title": "Line down", "events": [{"at": minutes_ago(100), "type": "reported"}]})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

async fn append(app: &TestApp, token: &str, events: Value) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/tickets/F-1/events",
        Some(token),
        Some(json!({"events": events})),
        &[],
    )
    .await
}

on_both_backends! {
    async fn a_fault_runs_its_whole_lifecycle_through_the_api(app: TestApp) {
        app.seed().await;
        let hotline = app.user("li", "hotline", None, None).await;
        let ops = app.user("wang", "operations", None, Some("ops")).await;
        let opened = open_gold_fault(&app, &hotline).await;
        assert_eq!(opened["assurance_level"], "AAA", "gold's default assurance level");
        assert_eq!(opened["scope"], "cross_province", "the service's scope");
        assert_eq!(obligation(&opened, "restore")["target"], "PT4H");
        assert_eq!(opened["status"], "acknowledged");

        let r = append(&app, &hotline, json!([{"at": minutes_ago(98), "type": "dispatched", "to": "ops"}])).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        // The accepting department defaults to the user's own.
        let r = append(&app, &ops, json!([{"at": minutes_ago(95), "type": "accepted"}])).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(obligation(&r.body, "accept")["state"], "met");
        assert_eq!(r.body["events"][2]["by"], "ops");
        assert_eq!(r.body["events"][2]["actor"], "wang");

        let r = append(&app, &ops, json!([
            {"at": minutes_ago(80), "type": "feedback"},
            {"at": minutes_ago(70), "type": "paused", "reason": "customer", "note": "site closed, call log #12"},
        ])).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.body["status"], "pending");
        assert_eq!(obligation(&r.body, "restore")["state"], "paused");

        let r = append(&app, &ops, json!([
            {"at": minutes_ago(40), "type": "resumed"},
            {"at": minutes_ago(30), "type": "feedback"},
            {"at": minutes_ago(10), "type": "restored"},
            {"at": minutes_ago(5), "type": "feedback"},
        ])).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let restore = obligation(&r.body, "restore");
        assert_eq!(restore["state"], "met");
        assert_eq!(restore["paused"]["customer"], "PT30M");
        assert_eq!(restore["counted"], "PT1H");
        assert_eq!(obligation(&r.body, "restoration_feedback")["state"], "met");
        assert_eq!(r.body["status"], "resolved");
        assert_eq!(r.headers["etag"], "\"9\"");

        let r = append(&app, &ops, json!([{"type": "report_sent"}])).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(obligation(&r.body, "written_report")["state"], "met");
        let r = append(&app, &hotline, json!([{"type": "callback", "satisfied": true}, {"type": "closed"}])).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.body["status"], "closed");

        let r = app.get("/api/v1/tickets/F-1").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body["version"], 12);
        assert_eq!(r.body["events"][4]["note"], "site closed, call log #12");
        let open = app.get("/api/v1/tickets?open=true").await;
        assert!(open.body["items"].as_array().expect("items").is_empty());
    }

    async fn a_stale_if_match_is_refused_with_412_and_writes_nothing(app: TestApp) {
        app.seed().await;
        open_gold_fault(&app, &app.admin).await;
        let feedback = Some(json!({"events": [{"type": "feedback"}]}));
        let r = app.call(Method::POST, "/api/v1/tickets/F-1/events", Some(&app.admin), feedback.clone(), &[("if-match", "\"1\"")]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = app.call(Method::POST, "/api/v1/tickets/F-1/events", Some(&app.admin), feedback, &[("if-match", "\"1\"")]).await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.text);
        assert_eq!(r.headers["content-type"], "application/problem+json");
        assert!(r.body["detail"].as_str().expect("detail").contains("is at version 2, not 1"), "{}", r.text);
        assert_eq!(app.get("/api/v1/tickets/F-1").await.body["version"], 2);
    }

    async fn an_idempotency_key_replays_the_first_response_and_refuses_another_request(app: TestApp) {
        app.seed().await;
        open_gold_fault(&app, &app.admin).await;
        let body = Some(json!({"events": [{"at": minutes_ago(5), "type": "feedback"}]}));
        let first = app.call(Method::POST, "/api/v1/tickets/F-1/events", Some(&app.admin), body.clone(), &[("idempotency-key", "k-1")]).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        let again = app.call(Method::POST, "/api/v1/tickets/F-1/events", Some(&app.admin), body, &[("idempotency-key", "k-1")]).await;
        assert_eq!(again.status, StatusCode::CREATED);
        assert_eq!(again.headers["idempotent-replayed"], "true");
        assert_eq!(again.text, first.text, "the same response, not a second write");
        assert_eq!(app.get("/api/v1/tickets/F-1").await.body["version"], 2);
        let other = app
            .call(Method::POST, "/api/v1/tickets/F-1/events", Some(&app.admin), Some(json!({"events": [{"type": "closed"}]})), &[("idempotency-key", "k-1")])
            .await;
        assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other.text);
        assert_eq!(app.get("/api/v1/tickets/F-1").await.body["version"], 2);
    }

    async fn bad_input_gets_a_clear_4xx_naming_the_field_and_writes_nothing(app: TestApp) {
        app.seed().await;
        open_gold_fault(&app, &app.admin).await;
        let checks: Vec<(&str, Value, u16, &str)> = vec![
            ("/api/v1/customers", json!({"name": "X", "level": "platinum"}), 422, "/level"),
            ("/api/v1/customers", json!({"name": "X", "level": "gold", "colour": "red"}), 422, ""),
            ("/api/v1/tickets", json!({"kind": "fault", "customer_id": "CUS-G", "title": " "}), 422, "/title"),
            ("/api/v1/tickets", json!({"kind": "fault", "customer_id": "NOPE", "title": "x"}), 422, "/customer_id"),
            ("/api/v1/tickets", json!({"kind": "fault", "customer_id": "CUS-G", "title": "x"}), 422, "/scope"),
            ("/api/v1/tickets", json!({"kind": "complaint", "customer_id": "CUS-G", "service_id": "SVC-CUS-B", "title": "x"}), 422, "/service_id"),
            ("/api/v1/tickets", json!({"kind": "complaint", "customer_id": "CUS-G", "service_id": "SVC-CUS-G", "title": "x", "events": [{"type": "restored"}]}), 422, "/events/0/type"),
            ("/api/v1/tickets/F-1/events", json!({"events": [{"at": "2025-09-30 17h", "type": "feedback"}]}), 422, "/events/0/at"),
            ("/api/v1/tickets/F-1/events", json!({"events": [{"type": "resumed"}]}), 422, "/events/0/type"),
            ("/api/v1/tickets/F-1/events", json!({"events": [{"type": "feedback"}, {"type": "paused", "reason": "customer"}]}), 422, "/events/1/note"),
            ("/api/v1/tickets/F-1/events", json!({"events": [{"type": "paused", "reason": "bored", "note": "x"}]}), 422, "/events/0/reason"),
            ("/api/v1/tickets/F-1/events", json!({"events": [{"type": "feedback", "reason": "customer"}]}), 422, "/events/0/reason"),
            ("/api/v1/tickets/F-1/events", json!({"events": [{"at": "2099-01-01T00:00:00Z", "type": "feedback"}]}), 422, "/events/0/at"),
            ("/api/v1/tickets/F-1/events", json!({"events": []}), 422, "/events"),
        ];
        for (path, body, status, pointer) in checks {
            let r = app.post(path, body.clone()).await;
            assert_eq!(r.status.as_u16(), status, "{path} {body}: {}", r.text);
            assert_eq!(r.headers["content-type"], "application/problem+json", "{path}");
            if !pointer.is_empty() {
                assert_eq!(r.body["errors"][0]["pointer"], pointer, "{path} {body}: {}", r.text);
            }
            assert!(r.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
        }
        // Nothing of those was written.
        assert_eq!(app.get("/api/v1/tickets/F-1").await.body["version"], 1);
        assert_eq!(app.get("/api/v1/tickets").await.body["items"].as_array().expect("items").len(), 1);
        assert_eq!(app.get("/api/v1/customers").await.body.as_array().expect("list").len(), 2);

        let syntax = app.client.post(format!("{}/api/v1/customers", app.base)).bearer_auth(&app.admin).header("content-type", "application/json").body("{\"name\": ").send().await.expect("answer");
        assert_eq!(syntax.status(), StatusCode::BAD_REQUEST);
        let form = app.client.post(format!("{}/api/v1/customers", app.base)).bearer_auth(&app.admin).body("name=x").send().await.expect("answer");
        assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(app.get("/api/v1/tickets/NOPE").await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/api/v1/tickets?limit=0").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get("/api/v1/tickets?cursor=zz").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get("/api/v1/tickets?state=lost").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get("/api/v1/nothing-here").await.status, StatusCode::NOT_FOUND);
    }

    async fn the_queue_is_ordered_by_time_to_breach_filtered_and_paged(app: TestApp) {
        app.seed().await;
        // AAA cross-province: 4 h from the report; bronze A: 6 h.
        for (id, customer, reported) in [("F-A", "CUS-G", 60), ("F-B", "CUS-B", 30), ("F-C", "CUS-G", 200), ("F-D", "CUS-B", 500)] {
            let r = app
                .post("/api/v1/tickets", json!({"id": id, "kind": "fault", "customer_id": customer, "service_id": format!("SVC-{customer}"),
                                                "title": id, "events": [{"at": minutes_ago(reported), "type": "reported"}]}))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }
        let r = app.get("/api/v1/tickets").await;
        let ids: Vec<&str> = r.body["items"].as_array().expect("items").iter().map(|t| t["id"].as_str().expect("id")).collect();
        // Gold's 30-minute feedback cadence is the soonest due of F-A and F-C; F-D (6 h since 500 min ago) is breached.
        assert_eq!(ids.len(), 4);
        let breached = app.get("/api/v1/tickets?breached=true").await;
        let breached: Vec<&str> = breached.body["items"].as_array().expect("items").iter().map(|t| t["id"].as_str().expect("id")).collect();
        assert!(breached.contains(&"F-C") && breached.contains(&"F-D"), "{breached:?}");
        assert!(!breached.contains(&"F-B"));
        let bronze = app.get("/api/v1/tickets?level=bronze").await;
        assert_eq!(bronze.body["items"].as_array().expect("items").len(), 2);
        let mut seen = Vec::new();
        let mut path = "/api/v1/tickets?limit=3".to_owned();
        loop {
            let page = app.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text);
            seen.extend(page.body["items"].as_array().expect("items").iter().map(|t| t["id"].as_str().expect("id").to_owned()));
            match page.body["next_cursor"].as_str() {
                Some(c) => path = format!("/api/v1/tickets?limit=3&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen, ids);
    }

    async fn health_readiness_metrics_and_openapi_need_no_token(app: TestApp) {
        let r = app.call(Method::GET, "/healthz", None, None, &[]).await;
        assert_eq!((r.status, r.text.as_str()), (StatusCode::OK, "ok\n"));
        let r = app.call(Method::GET, "/readyz", None, None, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.get("/api/v1/tickets").await;
        let r = app.call(Method::GET, "/metrics", None, None, &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("tierdesk_http_requests_total"), "{}", r.text);
        assert!(r.text.contains("tierdesk_open_tickets"), "{}", r.text);
        let r = app.call(Method::GET, "/api/openapi.json", None, None, &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body["openapi"].as_str().expect("version").starts_with("3.1"));
        for path in ["/api/v1/tickets", "/api/v1/tickets/{id}/events", "/api/v1/customers/{id}", "/api/v1/users/{id}/tokens"] {
            assert!(r.body["paths"][path].is_object(), "{path} missing from the OpenAPI document");
        }
        let r = app.call(Method::GET, "/api/docs", None, None, &[]).await;
        assert!(r.text.contains("tierdesk API"));
    }
}

/// Two instances on one PostgreSQL database, each with its ticket cache: a write
/// through one is read through the other once its change notification arrives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_changed_through_another_instance_is_read_fresh() {
    let Some(url) = tierdesk_store_sql::testing::postgres_url() else {
        return;
    };
    let db = tierdesk_store_sql::testing::fresh_postgres_database(&url)
        .await
        .expect("fresh database");
    let location = tierdesk_store_sql::Location::Postgres(db);
    let a = TestApp::start_at(location.clone(), |_| {}).await;
    let b = TestApp::start_at(location, |_| {}).await;
    a.seed().await;
    open_gold_fault(&a, &a.admin).await;
    // B reads (and caches) version 1.
    assert_eq!(
        b.call(
            Method::GET,
            "/api/v1/tickets/F-1",
            Some(&b.admin),
            None,
            &[]
        )
        .await
        .body["version"],
        1
    );
    let r = append(&a, &a.admin, json!([{"type": "feedback"}])).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let seen = b
            .call(
                Method::GET,
                "/api/v1/tickets/F-1",
                Some(&b.admin),
                None,
                &[],
            )
            .await
            .body["version"]
            .as_i64();
        if seen == Some(2) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "instance B still reads version {seen:?} of a ticket A changed"
        );
        tokio::task::yield_now().await;
    }
    // And B's own write onto that ticket builds on A's.
    let r = b
        .call(
            Method::POST,
            "/api/v1/tickets/F-1/events",
            Some(&b.admin),
            Some(json!({"events": [{"type": "feedback"}]})),
            &[("if-match", "\"2\"")],
        )
        .await;
    assert_eq!(
        (r.status, r.body["version"].as_i64()),
        (StatusCode::CREATED, Some(3)),
        "{}",
        r.text
    );
}
