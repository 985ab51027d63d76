//! The demo operator behind `tierdesk serve --demo`: customers at every level,
//! services and circuits, departments, one user per role, and tickets in every
//! state, placed relative to the moment it is loaded so that their clocks mean
//! something. Loaded only into an empty database.

use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use tierdesk_core::Role;
use tierdesk_store::{Circuit, Customer, Department, DepartmentKind, Id, Service, User, Viewer};

use crate::auth::{Auth, hash_password};
use crate::dto::TicketIn;
use crate::problem::Problem;
use crate::state::AppState;
use crate::tickets;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "tierdesk-demo";

/// A demo user.
#[derive(Debug, Clone, Copy)]
pub struct DemoUser {
    /// Login name.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Role.
    pub role: Role,
    /// Customer, for the customer user.
    pub customer: Option<&'static str>,
    /// Department, for staff.
    pub department: Option<&'static str>,
}

const fn user(
    id: &'static str,
    name: &'static str,
    role: Role,
    customer: Option<&'static str>,
    department: Option<&'static str>,
) -> DemoUser {
    DemoUser {
        id,
        name,
        role,
        customer,
        department,
    }
}

/// The demo users, one a role.
pub const DEMO_USERS: &[DemoUser] = &[
    user("admin", "Administrator 管理员", Role::Admin, None, None),
    user(
        "am.zhang",
        "Zhang Wei 张伟 (account manager)",
        Role::AccountManager,
        None,
        Some("cust-dept"),
    ),
    user(
        "hotline.li",
        "Li Na 李娜 (10086 hotline)",
        Role::Hotline,
        None,
        Some("hotline"),
    ),
    user(
        "ops.wang",
        "Wang Fang 王芳 (operations support)",
        Role::Operations,
        None,
        Some("ops-gz"),
    ),
    user(
        "cons.chen",
        "Chen Jie 陈杰 (construction)",
        Role::Construction,
        None,
        Some("cons-gz"),
    ),
    user(
        "maint.zhao",
        "Zhao Lei 赵磊 (maintenance)",
        Role::Maintenance,
        None,
        Some("maint-gz"),
    ),
    user(
        "cust.huanan",
        "Huanan Bank IT 华南银行",
        Role::Customer,
        Some("CUS-GOLD"),
        None,
    ),
];

fn id(s: &str) -> Result<Id, Problem> {
    s.parse().map_err(Problem::internal)
}

fn ago(now: Timestamp, minutes: i64) -> String {
    now.checked_sub(SignedDuration::from_mins(minutes))
        .unwrap_or(now)
        .to_string()
}

fn ahead(now: Timestamp, minutes: i64) -> String {
    now.checked_add(SignedDuration::from_mins(minutes))
        .unwrap_or(now)
        .to_string()
}

/// Loads the demo operator if the database has no customers yet.
///
/// # Errors
/// The first problem writing it.
pub async fn load(state: &AppState) -> Result<bool, Problem> {
    let store = &state.store;
    if !store.customers(&Viewer::Staff).await?.is_empty() {
        return Ok(false);
    }
    let now = state.now();
    for (did, name, kind) in [
        (
            "ops-gz",
            "Guangzhou operations support 广州运营支撑中心",
            DepartmentKind::Operations,
        ),
        (
            "ops-sz",
            "Shenzhen operations support 深圳运营支撑中心",
            DepartmentKind::Operations,
        ),
        (
            "cons-gz",
            "Guangzhou construction 广州建设部",
            DepartmentKind::Construction,
        ),
        (
            "maint-gz",
            "Guangzhou maintenance 广州维护部",
            DepartmentKind::Maintenance,
        ),
        (
            "hotline",
            "Group customer hotline 10086",
            DepartmentKind::Hotline,
        ),
        (
            "cust-dept",
            "Group customer department 集团客户部",
            DepartmentKind::CustomerDepartment,
        ),
    ] {
        store
            .create_department(
                &Department {
                    id: id(did)?,
                    name: name.into(),
                    kind,
                    leader_email: Some(format!("leader.{did}@operator.example")),
                },
                now,
            )
            .await?;
    }
    let customers = [
        (
            "CUS-GOLD",
            "Huanan Bank 华南银行",
            tierdesk_core::CustomerLevel::Gold,
        ),
        (
            "CUS-SILVER",
            "Pearl River Logistics 珠江物流",
            tierdesk_core::CustomerLevel::Silver,
        ),
        (
            "CUS-BRONZE",
            "Lingnan University 岭南大学",
            tierdesk_core::CustomerLevel::Bronze,
        ),
        (
            "CUS-STD",
            "Baiyun Hotel 白云酒店",
            tierdesk_core::CustomerLevel::Standard,
        ),
    ];
    for (cid, name, level) in customers {
        store
            .create_customer(
                &Customer {
                    id: id(cid)?,
                    name: name.into(),
                    level,
                    account_manager: Some(id("am.zhang")?),
                    contact_email: Some(format!("noc@{}.example", cid.to_lowercase())),
                    contact_phone: Some("+86 20 8888 0000".into()),
                },
                now,
            )
            .await?;
    }
    for demo in DEMO_USERS {
        let user = User {
            id: id(demo.id)?,
            name: demo.name.into(),
            role: demo.role,
            customer_id: demo.customer.map(id).transpose()?,
            department_id: demo.department.map(id).transpose()?,
            email: Some(format!("{}@operator.example", demo.id)),
            password_hash: Some(hash_password(DEMO_PASSWORD).map_err(Problem::internal)?),
            disabled: false,
        };
        store.create_user(&user, now).await?;
    }
    use tierdesk_core::{AssuranceLevel as A, Category as C, Scope as S};
    let services = [
        (
            "SVC-GOLD-DL",
            "CUS-GOLD",
            "Core banking line 核心业务专线",
            C::DedicatedLine,
            None,
            S::CrossProvince,
        ),
        (
            "SVC-GOLD-OV",
            "CUS-GOLD",
            "Branch SD-WAN 网点SD-WAN",
            C::Overlay,
            Some(A::A),
            S::City,
        ),
        (
            "SVC-SILVER-DL",
            "CUS-SILVER",
            "Warehouse interconnect 仓库互联专线",
            C::DedicatedLine,
            None,
            S::CrossCity,
        ),
        (
            "SVC-BRONZE-DL",
            "CUS-BRONZE",
            "Campus internet 校园互联网专线",
            C::DedicatedLine,
            None,
            S::City,
        ),
        (
            "SVC-STD-OV",
            "CUS-STD",
            "Guest Wi-Fi uplink 宾客无线上联",
            C::Overlay,
            None,
            S::City,
        ),
    ];
    for (sid, customer, name, category, assurance, scope) in services {
        store
            .create_service(
                &Service {
                    id: id(sid)?,
                    customer_id: id(customer)?,
                    name: name.into(),
                    category,
                    assurance_level: assurance,
                    scope,
                    endpoints: vec![
                        "Guangzhou Tianhe 广州天河".into(),
                        "Beijing Xicheng 北京西城".into(),
                    ],
                },
                now,
            )
            .await?;
    }
    for (cid, sid, a, z) in [
        ("CIR-GOLD-1", "SVC-GOLD-DL", "Guangzhou DC", "Beijing DC"),
        ("CIR-GOLD-2", "SVC-GOLD-DL", "Guangzhou DC", "Shanghai DC"),
        (
            "CIR-SILVER-1",
            "SVC-SILVER-DL",
            "Huangpu port",
            "Dongguan hub",
        ),
        ("CIR-BRONZE-1", "SVC-BRONZE-DL", "Campus core", "Tianhe POP"),
    ] {
        store
            .create_circuit(
                &Circuit {
                    id: id(cid)?,
                    service_id: id(sid)?,
                    customer_id: id("pending")?,
                    a_end: a.into(),
                    z_end: z.into(),
                    bandwidth: Some("1G".into()),
                },
                now,
            )
            .await?;
    }
    let admin = Auth {
        user: store.user(&id("admin")?).await?.record,
        viewer: Viewer::Staff,
    };
    for ticket in demo_tickets(now) {
        let input: TicketIn = serde_json::from_value(ticket).map_err(Problem::internal)?;
        tickets::open(
            state,
            &admin,
            input,
            tickets::RequestKey {
                key: None,
                hash: String::new(),
            },
        )
        .await?;
    }
    tracing::info!("demo operator loaded");
    Ok(true)
}

/// Tickets in every state, relative to `now`.
fn demo_tickets(now: Timestamp) -> Vec<serde_json::Value> {
    let work_in = |days: i64| ahead(now, days * 24 * 60);
    vec![
        // Gold, AAA, cross-province: restore due 4 h after the alarm, 1 h in: pending, feedback given.
        json!({"id": "F-DEMO-GOLD", "kind": "fault", "customer_id": "CUS-GOLD", "service_id": "SVC-GOLD-DL", "circuit_id": "CIR-GOLD-1",
               "title": "Core banking line down 核心业务专线中断",
               "events": [{"at": ago(now, 60), "type": "alarm"}, {"at": ago(now, 58), "type": "dispatched", "to": "ops-gz"},
                          {"at": ago(now, 55), "type": "accepted", "by": "ops-gz"}, {"at": ago(now, 30), "type": "feedback"},
                          {"at": ago(now, 5), "type": "feedback"}]}),
        // Silver, AA, cross-city: reported 6 h ago, not restored: breached.
        json!({"id": "F-DEMO-SILVER", "kind": "fault", "customer_id": "CUS-SILVER", "service_id": "SVC-SILVER-DL", "circuit_id": "CIR-SILVER-1",
               "title": "Packet loss on warehouse line 仓库专线丢包",
               "events": [{"at": ago(now, 360), "type": "reported"}, {"at": ago(now, 358), "type": "prescreened"}, {"at": ago(now, 355), "type": "dispatched", "to": "ops-sz"},
                          {"at": ago(now, 340), "type": "accepted", "by": "ops-sz"}]}),
        // Bronze: waiting for the customer to grant site access: paused.
        json!({"id": "F-DEMO-BRONZE", "kind": "fault", "customer_id": "CUS-BRONZE", "service_id": "SVC-BRONZE-DL", "circuit_id": "CIR-BRONZE-1",
               "title": "Campus line flapping 校园专线闪断",
               "events": [{"at": ago(now, 120), "type": "reported"}, {"at": ago(now, 119), "type": "prescreened"}, {"at": ago(now, 118), "type": "dispatched", "to": "ops-gz"},
                          {"at": ago(now, 110), "type": "accepted", "by": "ops-gz"},
                          {"at": ago(now, 90), "type": "paused", "reason": "customer", "note": "Customer machine room locked until the campus guard arrives (call log 10:12)"}]}),
        // Gold fault restored in time, fed back, reported, callback, closed.
        json!({"id": "F-DEMO-CLOSED", "kind": "fault", "customer_id": "CUS-GOLD", "service_id": "SVC-GOLD-DL", "circuit_id": "CIR-GOLD-2",
               "title": "Shanghai leg degraded 上海方向劣化",
               "events": [{"at": ago(now, 3 * 24 * 60), "type": "reported"}, {"at": ago(now, 3 * 24 * 60 - 3), "type": "dispatched", "to": "ops-gz"},
                          {"at": ago(now, 3 * 24 * 60 - 8), "type": "accepted", "by": "ops-gz"}, {"at": ago(now, 3 * 24 * 60 - 30), "type": "feedback"},
                          {"at": ago(now, 3 * 24 * 60 - 55), "type": "feedback"}, {"at": ago(now, 3 * 24 * 60 - 80), "type": "restored"},
                          {"at": ago(now, 3 * 24 * 60 - 95), "type": "feedback"}, {"at": ago(now, 2 * 24 * 60), "type": "report_sent"},
                          {"at": ago(now, 2 * 24 * 60 - 60), "type": "callback", "satisfied": true}, {"at": ago(now, 2 * 24 * 60 - 50), "type": "closed"}]}),
        // Standard: a complaint, resolved late.
        json!({"id": "C-DEMO-STD", "kind": "complaint", "customer_id": "CUS-STD", "service_id": "SVC-STD-OV",
               "title": "Slow guest Wi-Fi uplink 宾客无线慢",
               "events": [{"at": ago(now, 26 * 60), "type": "reported"}, {"at": ago(now, 26 * 60 - 5), "type": "prescreened"}, {"at": ago(now, 26 * 60 - 10), "type": "dispatched", "to": "ops-gz"},
                          {"at": ago(now, 26 * 60 - 15), "type": "accepted", "by": "ops-gz"}, {"at": ago(now, 15 * 60), "type": "resolved"}]}),
        // Silver: resume order, 2 working days cross-city, just issued.
        json!({"id": "CH-DEMO-RESUME", "kind": "change", "change_type": "resume", "customer_id": "CUS-SILVER", "service_id": "SVC-SILVER-DL",
               "title": "Resume warehouse line after payment 缴费后复机",
               "events": [{"at": ago(now, 30), "type": "opened"}]}),
        // Gold provisioning: construction with two of three feedbacks so far.
        json!({"id": "P-DEMO-GOLD", "kind": "provisioning", "customer_id": "CUS-GOLD", "service_id": "SVC-GOLD-OV",
               "title": "New branch SD-WAN sites 新增网点SD-WAN",
               "events": [{"at": ago(now, 10 * 24 * 60), "type": "opened"}, {"at": ago(now, 7 * 24 * 60), "type": "feedback"},
                          {"at": ago(now, 3 * 24 * 60), "type": "feedback"}]}),
        // Bronze provisioning: construction done 3 days ago, awaiting acceptance (15 working days).
        json!({"id": "P-DEMO-BRONZE", "kind": "provisioning", "customer_id": "CUS-BRONZE", "service_id": "SVC-BRONZE-DL",
               "title": "Second campus line 第二条校园专线",
               "events": [{"at": ago(now, 20 * 24 * 60), "type": "opened"}, {"at": ago(now, 12 * 24 * 60), "type": "feedback"},
                          {"at": ago(now, 6 * 24 * 60), "type": "feedback"}, {"at": ago(now, 3 * 24 * 60), "type": "construction_completed"}]}),
        // Gold planned work in 10 days: the 7-working-day notice is still to be sent.
        json!({"id": "N-DEMO-GOLD", "kind": "notice", "customer_id": "CUS-GOLD", "service_id": "SVC-GOLD-DL", "work_start": work_in(10),
               "title": "Core router upgrade 核心路由器升级",
               "events": [{"at": ago(now, 60), "type": "opened"}]}),
        // Silver planned work in 8 days: notice sent, awaiting the customer's confirmation.
        json!({"id": "N-DEMO-SILVER", "kind": "notice", "customer_id": "CUS-SILVER", "service_id": "SVC-SILVER-DL", "work_start": work_in(8),
               "title": "Aggregation switch replacement 汇聚交换机更换",
               "events": [{"at": ago(now, 2 * 24 * 60), "type": "opened"}, {"at": ago(now, 2 * 24 * 60 - 30), "type": "notice_sent", "channel": "email"}]}),
        // Gold AAA full outage (全阻): escalated to the leadership at once; the parent of a mass outage.
        json!({"id": "F-DEMO-OUTAGE", "kind": "fault", "customer_id": "CUS-GOLD", "service_id": "SVC-GOLD-DL", "circuit_id": "CIR-GOLD-1",
               "full_outage": true, "title": "Fibre cut on the Guangzhou ring 广州环网光缆中断",
               "events": [{"at": ago(now, 40), "type": "alarm"}, {"at": ago(now, 39), "type": "dispatched", "to": "ops-gz"},
                          {"at": ago(now, 39), "type": "dispatched", "to": "maint-gz"}, {"at": ago(now, 35), "type": "accepted", "by": "ops-gz"}]}),
        // The same cut behind a bronze customer's fault: linked to the outage.
        json!({"id": "F-DEMO-LINKED", "kind": "fault", "customer_id": "CUS-BRONZE", "service_id": "SVC-BRONZE-DL", "circuit_id": "CIR-BRONZE-1",
               "title": "Campus line down since the ring cut 环网中断导致校园专线中断",
               "events": [{"at": ago(now, 30), "type": "reported"}, {"at": ago(now, 29), "type": "prescreened"},
                          {"at": ago(now, 28), "type": "linked", "parent": "F-DEMO-OUTAGE"}, {"at": ago(now, 27), "type": "dispatched", "to": "ops-gz"},
                          {"at": ago(now, 25), "type": "accepted", "by": "ops-gz"}]}),
        // Standard emergency work tomorrow, notice sent.
        json!({"id": "N-DEMO-EMERGENCY", "kind": "notice", "customer_id": "CUS-STD", "service_id": "SVC-STD-OV", "work_start": work_in(1), "emergency": true,
               "title": "Emergency fibre repair 紧急光缆抢修",
               "events": [{"at": ago(now, 20), "type": "opened"}, {"at": ago(now, 10), "type": "notice_sent", "channel": "email"}]}),
    ]
}
