//! The web console as a browser meets it: login, the session cookie, the shell
//! page, CSRF on writes, logout and the static files.

use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::*;

const PASSWORD: &str = "correct horse battery";

/// A client that shows redirects instead of following them, as the tests check them.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// `application/x-www-form-urlencoded`, as a browser sends a form.
fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let enc = |s: &str| {
                s.bytes()
                    .map(|b| match b {
                        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                            char::from(b).to_string()
                        }
                        b' ' => "+".to_owned(),
                        other => format!("%{other:02X}"),
                    })
                    .collect::<String>()
            };
            format!("{}={}", enc(k), enc(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A console user with a password, made through the API as an admin would.
async fn user_with_password(app: &TestApp, id: &str, role: &str, customer: Option<&str>) {
    let r = app
        .post(
            "/api/v1/users",
            json!({"id": id, "name": format!("Duty desk {id} 值班台"), "role": role, "customer_id": customer, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

async fn post_login(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    browser()
        .post(format!("{}/console/login", app.base))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form(fields))
        .send()
        .await
        .expect("the server answers")
}

/// Logs in and returns the `name=value` pair to send back as `Cookie`.
async fn login(app: &TestApp, user: &str) -> String {
    let r = post_login(app, &[("user", user), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let set = r.headers()[header::SET_COOKIE].to_str().expect("ascii");
    set.split(';').next().expect("name=value").to_owned()
}

/// The session's CSRF token, from the store (where the cookie's hash finds it).
async fn csrf_of(app: &TestApp, cookie: &str) -> String {
    let secret = cookie.trim_start_matches("tierdesk_session=");
    let (session, _) = app
        .store()
        .session_by_hash(&tierdesk_server::auth::secret_hash(secret), app.state.now())
        .await
        .expect("the session is stored under the hash of the cookie");
    session.csrf
}

async fn get_page(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut req = browser().get(format!("{}{path}", app.base));
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.send().await.expect("the server answers")
}

async fn call_with_cookie(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: &str,
    body: Option<Value>,
    csrf: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = browser()
        .request(method, format!("{}{path}", app.base))
        .header(header::COOKIE, cookie);
    if let Some(b) = body {
        req = req
            .header(header::CONTENT_TYPE, "application/json")
            .body(b.to_string());
    }
    if let Some(token) = csrf {
        req = req.header("x-csrf-token", token);
    }
    let r = req.send().await.expect("the server answers");
    let status = r.status();
    let text = r.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn location(r: &reqwest::Response) -> &str {
    r.headers()[header::LOCATION].to_str().expect("ascii")
}

/// The JSON the shell hands to the script.
fn shell_session(html: &str) -> Value {
    let start = html
        .find(r#"<script type="application/json" id="tierdesk-session">"#)
        .expect("the session script");
    let rest = &html[start..];
    let open = rest.find('>').expect("tag end") + 1;
    let close = rest.find("</script>").expect("script end");
    serde_json::from_str(&rest[open..close]).expect("JSON")
}

/// A session of a console admin (the test's own admin has a token, not a password).
async fn app_admin_cookie(app: &TestApp) -> String {
    user_with_password(app, "console-admin", "admin", None).await;
    login(app, "console-admin").await
}

async fn shell_of(app: &TestApp, cookie: &str) -> Value {
    let r = get_page(app, "/console/", Some(cookie)).await;
    assert_eq!(r.status(), StatusCode::OK);
    shell_session(&r.text().await.expect("body"))
}

on_both_backends! {
    async fn a_wrong_password_is_refused_with_401_and_no_cookie(app: TestApp) {
        user_with_password(&app, "desk1", "hotline", None).await;
        let wrong_password = post_login(&app, &[("user", "desk1"), ("password", "not the password")]).await;
        let unknown_user = post_login(&app, &[("user", "nobody"), ("password", PASSWORD)]).await;
        let mut pages = Vec::new();
        for r in [wrong_password, unknown_user] {
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
            assert!(r.headers().get(header::SET_COOKIE).is_none(), "no session on failure");
            assert!(r.headers()[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("text/html"));
            let html = r.text().await.expect("body");
            assert!(html.contains(r#"<form method="post" action="/console/login""#), "the form again");
            assert!(html.contains("Wrong user name or password."));
            pages.push(html.replace("desk1", "nobody"));
        }
        assert_eq!(pages[0], pages[1], "the page does not tell a wrong name from a wrong password");
    }

    async fn a_user_without_a_password_or_disabled_cannot_log_in(app: TestApp) {
        app.user("tokenonly", "operations", None, None).await;
        let r = post_login(&app, &[("user", "tokenonly"), ("password", PASSWORD)]).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let r = app.post("/api/v1/users", json!({"id": "gone", "name": "Gone", "role": "hotline", "password": PASSWORD, "disabled": true})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = post_login(&app, &[("user", "gone"), ("password", PASSWORD)]).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }

    async fn the_right_password_starts_a_session_with_a_strict_http_only_cookie(app: TestApp) {
        user_with_password(&app, "desk1", "hotline", None).await;
        let r = post_login(&app, &[("user", "desk1"), ("password", PASSWORD)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/console/");
        let set = r.headers()[header::SET_COOKIE].to_str().expect("ascii").to_owned();
        let attributes: Vec<&str> = set.split(';').map(str::trim).collect();
        assert!(attributes[0].starts_with("tierdesk_session=tds_"), "{set}");
        for wanted in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(attributes.contains(&wanted), "{wanted} in {set}");
        }
        let secret = attributes[0].trim_start_matches("tierdesk_session=");
        let hash = tierdesk_server::auth::secret_hash(secret);
        assert_ne!(hash, secret);
        let (session, user) = app.store().session_by_hash(&hash, app.state.now()).await.expect("stored by its hash");
        assert_eq!(user.record.id.as_str(), "desk1");
        assert_ne!(session.csrf, secret, "the CSRF token is a secret of its own");
        let hours = (session.expires_at.as_second() - app.state.now().as_second()) as f64 / 3600.0;
        assert!((11.9..=12.0).contains(&hours), "expires after session_hours (12 by default): {hours}");
    }

    async fn login_returns_to_the_page_asked_for_and_never_elsewhere(app: TestApp) {
        user_with_password(&app, "desk1", "hotline", None).await;
        let r = get_page(&app, "/console/tickets/F-1", None).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/console/login?next=/console/tickets/F-1");
        let r = get_page(&app, "/console/login?next=/console/tickets/F-1", None).await;
        let html = r.text().await.expect("body");
        assert!(html.contains(r#"name="next" value="/console/tickets/F-1""#));
        let r = post_login(&app, &[("user", "desk1"), ("password", PASSWORD), ("next", "/console/tickets/F-1")]).await;
        assert_eq!(location(&r), "/console/tickets/F-1");
        for elsewhere in ["https://evil.example/", "//evil.example/console/", "/api/v1/tickets"] {
            let r = post_login(&app, &[("user", "desk1"), ("password", PASSWORD), ("next", elsewhere)]).await;
            assert_eq!(location(&r), "/console/", "{elsewhere}");
        }
    }

    async fn a_login_form_posted_from_another_site_is_refused(app: TestApp) {
        user_with_password(&app, "desk1", "hotline", None).await;
        let r = browser()
            .post(format!("{}/console/login", app.base))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(form(&[("user", "desk1"), ("password", PASSWORD)]))
            .send()
            .await
            .expect("answer");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.headers().get(header::SET_COOKIE).is_none());
    }

    async fn the_shell_carries_the_user_and_the_csrf_token(app: TestApp) {
        app.seed().await;
        user_with_password(&app, "bank", "customer", Some("CUS-G")).await;
        let cookie = login(&app, "bank").await;
        let csrf = csrf_of(&app, &cookie).await;
        for path in ["/console/", "/console/tickets/F-1", "/console/customers", "/console/new"] {
            let r = get_page(&app, path, Some(&cookie)).await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            assert_eq!(r.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
            assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store", "a page with a CSRF token is not cached");
            assert!(r.headers().contains_key(header::CONTENT_SECURITY_POLICY));
            let html = r.text().await.expect("body");
            assert!(html.contains(&format!(r#"<meta name="csrf-token" content="{csrf}">"#)), "{path}");
            assert!(html.contains(r#"<script src="/console/assets/console.js"></script>"#));
            let session = shell_session(&html);
            assert_eq!(session["user"]["id"], "bank");
            assert_eq!(session["user"]["name"], "Duty desk bank 值班台");
            assert_eq!(session["user"]["role"], "customer");
            assert_eq!(session["user"]["customer_id"], "CUS-G");
            assert_eq!(session["utc_offset"], "+08:00");
        }
    }

    async fn the_shell_offers_only_what_the_role_may_do(app: TestApp) {
        app.seed().await;
        user_with_password(&app, "bank", "customer", Some("CUS-G")).await;
        user_with_password(&app, "wang", "operations", None).await;
        let customer = shell_of(&app, &login(&app, "bank").await).await;
        let caps = &customer["capabilities"];
        assert_eq!(caps["may_open"], json!([]));
        assert_eq!(caps["staff"], false);
        assert_eq!(caps["events"][0], json!(["fault", ["report_requested"]]));
        let ops = shell_of(&app, &login(&app, "wang").await).await;
        assert_eq!(ops["capabilities"]["may_open"], json!(["fault", "notice"]));
        let fault = ops["capabilities"]["events"][0][1].as_array().expect("list");
        assert!(fault.contains(&json!("restored")) && !fault.contains(&json!("reported")));
    }

    async fn the_session_cookie_authenticates_the_api_and_writes_need_the_csrf_token(app: TestApp) {
        user_with_password(&app, "zhang", "account_manager", None).await;
        let cookie = login(&app, "zhang").await;
        let csrf = csrf_of(&app, &cookie).await;
        let (status, me) = call_with_cookie(&app, Method::GET, "/api/v1/me", &cookie, None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(me["id"], "zhang");
        let customer = json!({"id": "CUS-NEW", "name": "New bank", "level": "silver"});
        let (status, problem) = call_with_cookie(&app, Method::POST, "/api/v1/customers", &cookie, Some(customer.clone()), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a cookie alone does not write: {problem}");
        let (status, _) = call_with_cookie(&app, Method::POST, "/api/v1/customers", &cookie, Some(customer.clone()), Some("csrf_wrong")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, created) = call_with_cookie(&app, Method::POST, "/api/v1/customers", &cookie, Some(customer), Some(&csrf)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["id"], "CUS-NEW");
    }

    async fn logging_out_ends_the_session(app: TestApp) {
        user_with_password(&app, "desk1", "hotline", None).await;
        let cookie = login(&app, "desk1").await;
        let csrf = csrf_of(&app, &cookie).await;
        let logout = |fields: Vec<(&'static str, String)>| {
            let cookie = cookie.clone();
            let base = app.base.clone();
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                browser()
                    .post(format!("{base}/console/logout"))
                    .header(header::COOKIE, cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(form(&fields))
                    .send()
                    .await
                    .expect("answer")
            }
        };
        // Another site cannot log the user out: the form must carry the token.
        let r = logout(vec![]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(call_with_cookie(&app, Method::GET, "/api/v1/me", &cookie, None, None).await.0, StatusCode::OK);

        let r = logout(vec![("csrf", csrf)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/console/login");
        let cleared = r.headers()[header::SET_COOKIE].to_str().expect("ascii");
        assert!(cleared.starts_with("tierdesk_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
        assert_eq!(call_with_cookie(&app, Method::GET, "/api/v1/me", &cookie, None, None).await.0, StatusCode::UNAUTHORIZED);
        let r = get_page(&app, "/console/", Some(&cookie)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/console/login");
    }

    async fn pages_without_a_session_redirect_to_login(app: TestApp) {
        for cookie in [None, Some("tierdesk_session=tds_forged")] {
            for (path, login) in [
                ("/", "/console/login"),
                ("/console/", "/console/login"),
                ("/console/customers", "/console/login?next=/console/customers"),
            ] {
                let r = get_page(&app, path, cookie).await;
                assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
                assert_eq!(location(&r), login, "{path}");
            }
            let r = get_page(&app, "/console/login", cookie).await;
            assert_eq!(r.status(), StatusCode::OK);
        }
        user_with_password(&app, "desk1", "hotline", None).await;
        let cookie = login(&app, "desk1").await;
        for path in ["/", "/console/login"] {
            let r = get_page(&app, path, Some(&cookie)).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert_eq!(location(&r), "/console/", "logged in, {path} goes to the queue");
        }
    }

    async fn the_static_assets_are_served_with_their_content_types(app: TestApp) {
        for (name, content_type) in [
            ("console.js", "text/javascript; charset=utf-8"),
            ("i18n.js", "text/javascript; charset=utf-8"),
            ("console.css", "text/css; charset=utf-8"),
            ("favicon.svg", "image/svg+xml"),
        ] {
            let path = format!("/console/assets/{name}");
            let r = get_page(&app, &path, None).await;
            assert_eq!(r.status(), StatusCode::OK, "{name}: the login page needs them before any session");
            assert_eq!(r.headers()[header::CONTENT_TYPE], content_type, "{name}");
            assert_eq!(r.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            let etag = r.headers()[header::ETAG].to_str().expect("ascii").to_owned();
            assert!(!r.text().await.expect("body").is_empty());
            let again = browser()
                .get(format!("{}{path}", app.base))
                .header(header::IF_NONE_MATCH, &etag)
                .send()
                .await
                .expect("answer");
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{name}");
        }
        let r = get_page(&app, "/console/assets/../../Cargo.toml", None).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let r = get_page(&app, "/console/assets/nothing.js", None).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }

    async fn the_notifications_view_is_for_admins_and_operations(app: TestApp) {
        app.seed().await;
        user_with_password(&app, "root", "admin", None).await;
        user_with_password(&app, "wang", "operations", None).await;
        user_with_password(&app, "desk1", "hotline", None).await;
        user_with_password(&app, "bank", "customer", Some("CUS-G")).await;
        for (user, read, replay) in [("root", true, true), ("wang", true, false)] {
            let cookie = login(&app, user).await;
            let r = get_page(&app, "/console/notifications?state=dead", Some(&cookie)).await;
            assert_eq!(r.status(), StatusCode::OK, "{user}");
            assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
            let html = r.text().await.expect("body");
            assert!(html.contains(r#"<script src="/console/assets/console.js"></script>"#), "{user}: the shell");
            let session = shell_session(&html);
            assert_eq!(session["notifications"], json!({"read": read, "replay": replay, "channels": replay}), "{user}");
            // What the view shows, the API gives this user.
            let (status, list) = call_with_cookie(&app, Method::GET, "/api/v1/notifications?state=dead", &cookie, None, None).await;
            assert_eq!(status, StatusCode::OK, "{user}: {list}");
            let (status, _) = call_with_cookie(&app, Method::GET, "/api/v1/channels", &cookie, None, None).await;
            assert_eq!(status == StatusCode::OK, replay, "{user}: channels only for admins");
        }
        for user in ["desk1", "bank"] {
            let cookie = login(&app, user).await;
            let r = get_page(&app, "/console/notifications", Some(&cookie)).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{user}: refused, as the API refuses the data");
            assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
            let session = shell_session(&r.text().await.expect("body"));
            assert_eq!(session["notifications"]["read"], false, "{user}: the script says the page is not theirs");
            let (status, _) = call_with_cookie(&app, Method::GET, "/api/v1/notifications", &cookie, None, None).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{user}");
            // Their other views are still theirs.
            assert_eq!(get_page(&app, "/console/", Some(&cookie)).await.status(), StatusCode::OK);
            assert_eq!(shell_of(&app, &cookie).await["notifications"]["read"], false);
        }
        for cookie in [None, Some("tierdesk_session=tds_forged")] {
            let r = get_page(&app, "/console/notifications", cookie).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert_eq!(location(&r), "/console/login?next=/console/notifications");
        }
    }

    async fn the_shell_offers_the_workflow_events_to_the_roles_that_record_them(app: TestApp) {
        app.seed().await;
        let wanted: [(&str, &str, &[&str]); 7] = [
            ("wang", "fault", &["prescreened", "linked", "escalated", "restored"]),
            ("zhang", "fault", &["backfilled", "escalated"]),
            ("zhang", "provisioning", &["delay_agreed"]),
            ("li", "provisioning", &["rectification_required", "delay_agreed"]),
            ("zhao", "provisioning", &["rectified"]),
            ("desk1", "complaint", &["prescreened"]),
            ("bank", "notice", &["objected"]),
        ];
        let roles = [
            ("wang", "operations"),
            ("zhang", "account_manager"),
            ("li", "maintenance"),
            ("zhao", "construction"),
            ("desk1", "hotline"),
            ("bank", "customer"),
        ];
        for (user, role) in roles {
            let customer = (role == "customer").then_some("CUS-G");
            user_with_password(&app, user, role, customer).await;
        }
        for (user, kind, events) in wanted {
            let shell = shell_of(&app, &login(&app, user).await).await;
            let offered = shell["capabilities"]["events"]
                .as_array()
                .expect("list")
                .iter()
                .find(|pair| pair[0] == kind)
                .map(|pair| pair[1].clone())
                .expect("every ticket kind is listed");
            for event in events {
                assert!(offered.as_array().expect("list").contains(&json!(event)), "{user} on a {kind}: {event} in {offered}");
            }
            for system in ["sla_warning", "sla_breached", "sla_reminder"] {
                assert!(!offered.as_array().expect("list").contains(&json!(system)), "{user}: {system} is the scheduler's");
            }
        }
        // The operations shell, with what an operations user may now record on a fault.
        let ops = shell_of(&app, &login(&app, "wang").await).await;
        let fault = &ops["capabilities"]["events"][0];
        assert_eq!(fault[0], "fault");
        let fault: Vec<&str> = fault[1].as_array().expect("list").iter().filter_map(Value::as_str).collect();
        assert!(fault.iter().position(|e| *e == "prescreened") < fault.iter().position(|e| *e == "restored"), "{fault:?}: in the order of a ticket's life");
        assert!(!fault.contains(&"backfilled"), "back-filling is the account manager's");
        // An admin records every event a person can.
        let root = shell_of(&app, &app_admin_cookie(&app).await).await;
        let mut all: Vec<&str> = root["capabilities"]["events"]
            .as_array()
            .expect("list")
            .iter()
            .flat_map(|pair| pair[1].as_array().expect("list").iter().filter_map(Value::as_str))
            .collect();
        all.sort_unstable();
        all.dedup();
        let mut human: Vec<&str> = tierdesk_core::EventKind::NAMES
            .iter()
            .copied()
            .filter(|n| !n.starts_with("sla_"))
            .collect();
        human.sort_unstable();
        assert_eq!(all, human);
    }

    async fn the_dictionary_names_every_event_stage_and_alert_in_both_languages(app: TestApp) {
        let js = get_page(&app, "/console/assets/i18n.js", None).await.text().await.expect("body");
        let console = get_page(&app, "/console/assets/console.js", None).await.text().await.expect("body");
        let mut missing = Vec::new();
        let mut check = |group: &str, value: &str| {
            let key = format!("'{group}.{value}':");
            if js.matches(&key).count() != 2 {
                missing.push(key);
            }
        };
        for name in tierdesk_core::EventKind::NAMES {
            check("event", name);
        }
        for stage in tierdesk_core::Stage::ALL {
            check("stage", stage.as_str());
        }
        for alert in tierdesk_core::AlertKind::ALL {
            check("alert", alert.as_str());
        }
        for topic in tierdesk_store::Topic::ALL {
            check("topic", topic.as_str());
        }
        for state in tierdesk_store::DeliveryState::ALL {
            check("delivery", state.as_str());
        }
        for kind in tierdesk_store::ChannelKind::ALL {
            check("via", kind.as_str());
        }
        for language in tierdesk_store::Language::ALL {
            check("language", language.as_str());
        }
        assert!(missing.is_empty(), "not in English and Chinese: {missing:?}");
        // The Chinese words of the template, not English left in the other dictionary.
        for (key, zh) in [
            ("event.prescreened", "预审"),
            ("event.backfilled", "补单"),
            ("event.objected", "客户异议"),
            ("event.delay_agreed", "约定延期"),
            ("event.rectified", "整改完成"),
            ("event.linked", "关联主障"),
            ("event.sla_warning", "预警"),
            ("event.sla_breached", "超时"),
            ("event.sla_reminder", "提醒"),
            ("event.escalated", "升级"),
            ("stage.awaiting_acceptance", "待受理"),
            ("stage.in_progress", "处理中"),
            ("stage.rectification", "待整改"),
        ] {
            assert!(js.contains(&format!("'{key}': '{zh}'")), "{key}: {zh}");
        }
        // The queue's stage filter lists every stage.
        let stages = console.split("var STAGES = [").nth(1).and_then(|s| s.split("];").next()).expect("the list of stages");
        for stage in tierdesk_core::Stage::ALL {
            assert!(stages.contains(&format!("'{}'", stage.as_str())), "{stage}");
        }
    }

    async fn the_login_page_is_translated_by_the_shared_dictionary(app: TestApp) {
        let html = get_page(&app, "/console/login", None).await.text().await.expect("body");
        let js = get_page(&app, "/console/assets/i18n.js", None).await.text().await.expect("body");
        // Every text the server renders has a key, and each key has both languages.
        let mut keys: Vec<&str> = html.split("data-i18n=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
        assert!(keys.len() >= 5, "{keys:?}");
        keys.extend(["login.failed", "login.crossSite", "login.badForm", "login.unavailable"]);
        for key in keys {
            assert_eq!(js.matches(&format!("'{key}':")).count(), 2, "{key} in English and Chinese");
        }
        assert!(html.contains(r#"data-lang="zh-CN""#) && html.contains(r#"data-lang="en""#));
    }
}
