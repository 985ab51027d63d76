//! Benchmark data written straight into a store, in large transactions.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use tierdesk_core::{CustomerLevel, EventKind, Role, Scope, TicketKind};
use tierdesk_store::{
    Customer, Department, DepartmentKind, Id, NewEvent, OpenRequest, Service, StoreError,
    TicketHeader, User,
};

fn id(s: &str) -> anyhow::Result<Id> {
    Ok(s.parse()?)
}

/// `n` gold planned-work notices opened now, the work 30 to 60 days ahead.
pub async fn notices(location: tierdesk_store_sql::Location, n: usize) -> anyhow::Result<()> {
    let store = tierdesk_store_sql::open(&location).await?;
    let now = Timestamp::from_second(Timestamp::now().as_second())?;
    let mut config = tierdesk_server::Config::defaults();
    config.database = location;
    let calendar = tierdesk_server::calendar(&config)?;
    let policies = tierdesk_server::policies(store.as_ref(), &config, calendar, now).await?;
    let ignore_existing = |r: Result<(), StoreError>| match r {
        Ok(()) | Err(StoreError::AlreadyExists { .. }) => Ok(()),
        Err(e) => Err(e),
    };
    ignore_existing(
        store
            .create_customer(
                &Customer {
                    id: id("CUS-BENCH")?,
                    name: "Benchmark Bank".into(),
                    level: CustomerLevel::Gold,
                    account_manager: None,
                    contact_email: None,
                    contact_phone: None,
                },
                now,
            )
            .await
            .map(|_| ()),
    )?;
    ignore_existing(
        store
            .create_service(
                &Service {
                    id: id("SVC-BENCH")?,
                    customer_id: id("CUS-BENCH")?,
                    name: "Core line".into(),
                    category: tierdesk_core::Category::DedicatedLine,
                    assurance_level: None,
                    scope: Scope::City,
                    endpoints: Vec::new(),
                },
                now,
            )
            .await
            .map(|_| ()),
    )?;
    ignore_existing(
        store
            .create_department(
                &Department {
                    id: id("maint-bench")?,
                    name: "Maintenance".into(),
                    kind: DepartmentKind::Maintenance,
                    leader_email: None,
                },
                now,
            )
            .await
            .map(|_| ()),
    )?;
    ignore_existing(
        store
            .create_user(
                &User {
                    id: id("bench-seed")?,
                    name: "Benchmark seeding".into(),
                    role: Role::Admin,
                    customer_id: None,
                    department_id: None,
                    email: None,
                    password_hash: None,
                    disabled: false,
                },
                now,
            )
            .await
            .map(|_| ()),
    )?;
    let actor = id("bench-seed")?;
    let policy = policies.current().policy().id.clone();
    let project = |h: &TicketHeader, e: &[tierdesk_store::StoredEvent]| {
        tierdesk_server::project(&policies, h, e, now)
    };
    let events = [NewEvent {
        at: now,
        kind: EventKind::Opened,
        by: None,
        note: None,
    }];
    let started = Instant::now();
    let batch = 2_000;
    let mut done = 0;
    while done < n {
        let count = batch.min(n - done);
        let headers: Vec<TicketHeader> = (done..done + count)
            .map(|i| -> anyhow::Result<TicketHeader> {
                let ahead = SignedDuration::from_mins(30 * 24 * 60 + (i % (30 * 24 * 60)) as i64);
                Ok(TicketHeader {
                    id: format!("N-BENCH-{i:07}").parse()?,
                    kind: TicketKind::Notice,
                    customer_id: id("CUS-BENCH")?,
                    service_id: Some(id("SVC-BENCH")?),
                    circuit_id: None,
                    customer_level: CustomerLevel::Gold,
                    assurance_level: tierdesk_core::AssuranceLevel::AAA,
                    category: Some(tierdesk_core::Category::DedicatedLine),
                    scope: Some(Scope::City),
                    change_type: None,
                    work_start: Some(now.checked_add(ahead)?),
                    emergency: false,
                    terminal: false,
                    operator_equipment: true,
                    full_outage: false,
                    policy: policy.clone(),
                    title: "Planned router upgrade".into(),
                    description: String::new(),
                    green_channel: false,
                    created_by: actor.clone(),
                    created_at: now,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let requests: Vec<OpenRequest<'_>> = headers
            .iter()
            .map(|header| OpenRequest {
                header,
                events: &events,
                actor: &actor,
                now,
                idempotency: None,
                outbox: &[],
            })
            .collect();
        store.open_tickets(&requests, &project).await?;
        done += count;
        eprint!(
            "\rseeded {done}/{n} notices ({:.0}/s)",
            done as f64 / started.elapsed().as_secs_f64()
        );
    }
    eprintln!();
    println!(
        "seeded {n} notices ({} open obligations, {} timers) in {:.1} s",
        2 * n,
        store.timer_count().await?,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
