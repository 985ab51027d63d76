//! TMF621 Trouble Ticket, as a TMF client that knows nothing of tierdesk would use it.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::*;

const TT: &str = "/tmf-api/troubleTicket/v5/troubleTicket";

/// A real HTTP listener on port 0 that hands every POSTed body to the test.
async fn listener() -> (String, mpsc::UnboundedReceiver<Value>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/events",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(body);
                StatusCode::CREATED
            }
        }),
    );
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/events", socket.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(socket, app).await });
    (url, rx)
}

/// The next hub event; the notifier's round runs first (these servers have no
/// background work, so the test delivers what is due itself).
async fn next_event(app: &TestApp, rx: &mut mpsc::UnboundedReceiver<Value>) -> Value {
    tierdesk_server::notify::worker::tick(&app.state, "test")
        .await
        .expect("the notifier's round");
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("a hub event arrives")
        .expect("the channel stays open")
}

async fn patch(app: &TestApp, id: &str, body: Value) -> Reply {
    app.call(
        Method::PATCH,
        &format!("{TT}/{id}"),
        Some(&app.admin),
        Some(body),
        &[("content-type", "application/merge-patch+json")],
    )
    .await
}

on_both_backends! {
    async fn a_tmf_client_opens_and_follows_a_fault_and_hears_about_it(app: TestApp) {
        app.seed().await;
        let (callback, mut events) = listener().await;
        let r = app.post("/tmf-api/troubleTicket/v5/hub", json!({"callback": callback})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

        let r = app.post(TT, json!({
            "@type": "TroubleTicket",
            "description": "No traffic on the Beijing leg since 09:40",
            "severity": "Critical",
            "ticketType": "fault",
            "relatedParty": [{"role": "customer", "partyOrPartyRole": {"id": "CUS-G", "@referredType": "Organization"}}],
            "relatedEntity": [{"role": "service", "entity": {"id": "SVC-CUS-G", "@referredType": "Service"}}],
        })).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.body["id"].as_str().expect("id").to_owned();
        assert_eq!(r.body["status"], "acknowledged");
        assert_eq!(r.body["severity"], "Critical");
        assert_eq!(r.body["href"], format!("{TT}/{id}"));
        assert!(r.body["expectedResolutionDate"].is_string(), "the restoration due date: {}", r.text);
        let names: Vec<&str> = r.body["troubleTicketCharacteristic"].as_array().expect("characteristics").iter().map(|c| c["name"].as_str().expect("name")).collect();
        assert!(names.contains(&"restore") && names.contains(&"progress_feedback"), "{names:?}");
        let created = next_event(&app, &mut events).await;
        assert_eq!(created["eventType"], "TroubleTicketCreateEvent");
        assert_eq!(created["event"]["troubleTicket"]["id"], id.as_str());

        let r = patch(&app, &id, json!({"status": "inProgress"})).await;
        assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("inProgress")), "{}", r.text);
        assert_eq!(next_event(&app, &mut events).await["eventType"], "TroubleTicketStatusChangeEvent");

        let r = patch(&app, &id, json!({"status": "pending"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a pause needs its reason: {}", r.text);
        let r = patch(&app, &id, json!({"status": "pending", "statusChangeReason": "Customer to power-cycle the CPE"})).await;
        assert_eq!(r.body["status"], "pending", "{}", r.text);
        assert_eq!(next_event(&app, &mut events).await["eventType"], "TroubleTicketStatusChangeEvent");

        let r = patch(&app, &id, json!({"status": "resolved", "statusChangeReason": "Card replaced"})).await;
        assert_eq!(r.body["status"], "resolved", "{}", r.text);
        assert!(r.body["resolutionDate"].is_string());
        let changes: Vec<&str> = r.body["statusChange"].as_array().expect("history").iter().map(|c| c["status"].as_str().expect("status")).collect();
        assert_eq!(changes, ["acknowledged", "inProgress", "pending", "inProgress", "resolved"]);
        let mut kinds = vec![next_event(&app, &mut events).await["eventType"].clone(), next_event(&app, &mut events).await["eventType"].clone()];
        kinds.sort_by_key(ToString::to_string);
        assert_eq!(kinds, [json!("TroubleTicketResolvedEvent"), json!("TroubleTicketStatusChangeEvent")]);

        // The same ticket through the REST API shows the audited events behind those statuses.
        let rest = app.get(&format!("/api/v1/tickets/{id}")).await;
        let types: Vec<&str> = rest.body["events"].as_array().expect("events").iter().map(|e| e["type"].as_str().expect("type")).collect();
        // inProgress put the logged fault to work: dispatched and accepted (gold: no pre-screening).
        assert_eq!(types, ["reported", "dispatched", "accepted", "paused", "resumed", "restored"]);

        let r = patch(&app, &id, json!({"description": "changed"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["errors"][0]["pointer"], "/description");
    }

    async fn the_tmf_list_pages_by_offset_and_selects_fields(app: TestApp) {
        app.seed().await;
        for n in 0..3 {
            let r = app.post(TT, json!({"description": format!("fault {n}"), "ticketType": "fault",
                "relatedParty": [{"role": "customer", "partyOrPartyRole": {"id": "CUS-B"}}],
                "relatedEntity": [{"role": "service", "entity": {"id": "SVC-CUS-B"}}]})).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }
        let r = app.get(&format!("{TT}?fields=status,severity&offset=1&limit=1")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.headers["x-total-count"], "3");
        assert_eq!(r.headers["x-result-count"], "1");
        let item = &r.body[0];
        let mut keys: Vec<&String> = item.as_object().expect("object").keys().collect();
        keys.sort();
        assert_eq!(keys, ["@type", "href", "id", "severity", "status"]);
        let r = app.get(&format!("{TT}?status=resolved")).await;
        assert_eq!(r.body.as_array().expect("list").len(), 0);
        let id = app.get(TT).await.body[0]["id"].as_str().expect("id").to_owned();
        let r = app.get(&format!("{TT}/{id}?fields=status")).await;
        assert_eq!(r.body["status"], "acknowledged");
        assert!(r.body.get("description").is_none());
        let r = app.post(TT, json!({"description": "x", "ticketType": "fault"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["errors"][0]["pointer"], "/relatedParty");
    }
}
