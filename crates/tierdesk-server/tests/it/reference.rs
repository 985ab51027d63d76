//! Customers, services, circuits and departments.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::*;

async fn put(app: &TestApp, etag: &str) -> Reply {
    app.call(
        Method::PUT,
        "/api/v1/customers/CUS-G",
        Some(&app.admin),
        Some(json!({"name": "Renamed", "level": "silver"})),
        &[("if-match", etag)],
    )
    .await
}

on_both_backends! {
    async fn reference_records_round_trip_with_etags(app: TestApp) {
        app.seed().await;
        let r = app.get("/api/v1/customers/CUS-G").await;
        assert_eq!((r.status, r.headers["etag"].to_str().expect("etag")), (StatusCode::OK, "\"1\""));
        assert_eq!(r.body["level"], "gold");
        let r = put(&app, "\"1\"").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!((r.body["name"].as_str(), r.body["version"].as_i64()), (Some("Renamed"), Some(2)));
        assert_eq!(put(&app, "\"1\"").await.status, StatusCode::PRECONDITION_FAILED);
        let r = app.get("/api/v1/services?parent=CUS-G").await;
        assert_eq!(r.body.as_array().expect("list").len(), 1);
        let r = app.get("/api/v1/circuits/CIR-CUS-G").await;
        assert_eq!(r.body["customer_id"], "CUS-G", "a circuit's customer is its service's");
        // Still referred to by its service: refused; the circuit itself can go.
        assert_eq!(app.call(Method::DELETE, "/api/v1/customers/CUS-B", Some(&app.admin), None, &[]).await.status, StatusCode::CONFLICT);
        assert_eq!(app.call(Method::DELETE, "/api/v1/circuits/CIR-CUS-B", Some(&app.admin), None, &[]).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.get("/api/v1/circuits/CIR-CUS-B").await.status, StatusCode::NOT_FOUND);
        let r = app.post("/api/v1/customers", json!({"id": "CUS-G", "name": "dup", "level": "gold"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        let r = app.post("/api/v1/services", json!({"customer_id": "NOPE", "name": "x", "category": "overlay", "scope": "city"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    }

    async fn a_service_overrides_the_assurance_level_of_its_tickets(app: TestApp) {
        app.seed().await;
        let r = app.post("/api/v1/services", json!({"id": "SVC-A", "customer_id": "CUS-G", "name": "Branch", "category": "overlay", "scope": "city", "assurance_level": "A"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = app.post("/api/v1/tickets", json!({"kind": "fault", "customer_id": "CUS-G", "service_id": "SVC-A", "title": "x"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.body["assurance_level"], "A");
        assert_eq!(r.body["customer_level"], "gold");
        let restore = r.body["evaluation"]["obligations"].as_array().expect("obligations").iter().find(|o| o["name"] == "restore").cloned().expect("restore");
        assert_eq!(restore["target"], "PT6H", "A's restoration limit");
        assert!(r.body["id"].as_str().expect("id").starts_with("F-"), "generated id");
    }
}
