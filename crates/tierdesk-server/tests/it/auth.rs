//! Accounts, roles and what each may see and do.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::*;

async fn record(app: &TestApp, token: &str, ty: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/tickets/N-1/events",
        Some(token),
        Some(json!({"events": [{"type": ty}]})),
        &[],
    )
    .await
}

on_both_backends! {
    async fn everything_under_api_and_tmf_needs_a_token(app: TestApp) {
        for path in ["/api/v1/tickets", "/api/v1/customers", "/api/v1/me", "/tmf-api/troubleTicket/v5/troubleTicket"] {
            let r = app.call(Method::GET, path, None, None, &[]).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
            assert_eq!(r.headers["content-type"], "application/problem+json");
            let r = app.call(Method::GET, path, Some("tdk_wrong"), None, &[]).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
        }
    }

    async fn a_customer_user_sees_only_its_own_customer(app: TestApp) {
        app.seed().await;
        for (id, customer) in [("F-G", "CUS-G"), ("F-B", "CUS-B")] {
            let r = app.post("/api/v1/tickets", json!({"id": id, "kind": "fault", "customer_id": customer, "service_id": format!("SVC-{customer}"), "title": "x"})).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }
        let bank = app.user("bank", "customer", Some("CUS-G"), None).await;
        let get = |path: &'static str| app.call(Method::GET, path, Some(&bank), None, &[]);
        let r = get("/api/v1/tickets").await;
        let ids: Vec<&str> = r.body["items"].as_array().expect("items").iter().map(|t| t["id"].as_str().expect("id")).collect();
        assert_eq!(ids, ["F-G"]);
        assert_eq!(get("/api/v1/tickets/F-B").await.status, StatusCode::NOT_FOUND);
        assert_eq!(get("/api/v1/tickets?customer=CUS-B").await.body["items"].as_array().expect("items").len(), 0);
        assert_eq!(get("/api/v1/customers").await.body.as_array().expect("list").len(), 1);
        assert_eq!(get("/api/v1/services/SVC-CUS-B").await.status, StatusCode::NOT_FOUND);
        assert_eq!(get("/tmf-api/troubleTicket/v5/troubleTicket/F-B").await.status, StatusCode::NOT_FOUND);
        // And cannot write what is not a customer's to write.
        let r = app.call(Method::POST, "/api/v1/tickets/F-G/events", Some(&bank), Some(json!({"events": [{"type": "restored"}]})), &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        let r = app.call(Method::POST, "/api/v1/tickets", Some(&bank), Some(json!({"kind": "fault", "customer_id": "CUS-G", "title": "x"})), &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        let r = app.call(Method::POST, "/api/v1/customers", Some(&bank), Some(json!({"name": "x", "level": "gold"})), &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    }

    async fn each_role_may_append_only_its_own_events(app: TestApp) {
        app.seed().await;
        let ops = app.user("ops1", "operations", None, Some("ops")).await;
        let construction = app.user("cons1", "construction", None, None).await;
        let bank = app.user("bank", "customer", Some("CUS-G"), None).await;
        let r = app.post("/api/v1/tickets", json!({"id": "N-1", "kind": "notice", "customer_id": "CUS-G", "service_id": "SVC-CUS-G",
                                                    "title": "Router upgrade", "work_start": "2030-01-10T01:00:00Z"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        // Construction does not send notices; operations does.
        assert_eq!(record(&app, &construction, "notice_sent").await.status, StatusCode::FORBIDDEN);
        let r = record(&app, &ops, "notice_sent").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        // The customer confirms the planned work; operations may not do that for it.
        assert_eq!(record(&app, &ops, "customer_confirmed").await.status, StatusCode::FORBIDDEN);
        let r = record(&app, &bank, "customer_confirmed").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert!(r.body["events"].as_array().expect("events").iter().all(|e| e["actor"].is_string()), "every event records its actor");
    }

    async fn tokens_are_stored_hashed_and_can_be_revoked(app: TestApp) {
        let token = app.user("u1", "hotline", None, None).await;
        assert!(token.starts_with("tdk_") && token.len() > 60);
        let me = app.call(Method::GET, "/api/v1/me", Some(&token), None, &[]).await;
        assert_eq!(me.body["id"], "u1");
        let hash = tierdesk_server::auth::secret_hash(&token);
        let (record, _) = app.store().token_by_hash(&hash).await.expect("stored by hash");
        assert_ne!(record.hash, token, "the secret itself is not stored");
        let r = app.call(Method::DELETE, &format!("/api/v1/tokens/{}", record.id), Some(&app.admin), None, &[]).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(app.call(Method::GET, "/api/v1/me", Some(&token), None, &[]).await.status, StatusCode::UNAUTHORIZED);
    }
}
