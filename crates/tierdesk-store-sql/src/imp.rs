//! The one implementation of `Store`, instantiated for each backend by
//! [`impl_store!`]: the SQL is portable (`$n` parameters, `ON CONFLICT`,
//! `RETURNING`, row values), and what differs is passed in (row locking).

/// Implements `Store` for `$store`, whose `read` and `write` fields are pools of `$db`.
/// `$lock` follows the query that reads a ticket before appending to it
/// (`FOR UPDATE` where the database has row locks); `$skip_locked` follows the
/// query that picks queue rows to claim (`FOR UPDATE SKIP LOCKED`, so that
/// instances claiming at once take different rows); `$announce` tells other
/// instances that a ticket changed, once the change is committed; `$direct`
/// commits a prepared write (group commit on SQLite, one statement on PostgreSQL).
macro_rules! impl_store {
    ($store:ty, $db:ty, $name:literal, $lock:literal, $skip_locked:literal, $announce:path, $direct:path $(, $extra:item)*) => {
        #[async_trait::async_trait]
        impl tierdesk_store::Store for $store {
            fn backend(&self) -> &'static str {
                $name
            }

            $($extra)*

            async fn ping(&self) -> Result<()> {
                sqlx::query::<$db>("SELECT 1").execute(&self.read).await.map_err(db)?;
                Ok(())
            }

            // Customers ----------------------------------------------------------

            async fn create_customer(&self, c: &Customer, now: Timestamp) -> Result<Stored<Customer>> {
                sqlx::query::<$db>(
                    "INSERT INTO customers (id, name, level, account_manager, contact_email, contact_phone, created_at, updated_at, version)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)",
                )
                .bind(c.id.as_str())
                .bind(&c.name)
                .bind(c.level.as_str())
                .bind(c.account_manager.as_ref().map(Id::as_str))
                .bind(&c.contact_email)
                .bind(&c.contact_phone)
                .bind(ns(now))
                .execute(&self.write)
                .await
                .map_err(|e| error::write("customer", c.id.as_str(), e))?;
                Ok(Stored { record: c.clone(), stamps: Stamps { created_at: now, updated_at: now, version: 1 } })
            }

            async fn update_customer(&self, c: &Customer, expected: Option<i64>, now: Timestamp) -> Result<Stored<Customer>> {
                let row = sqlx::query::<$db>(
                    "UPDATE customers SET name = $2, level = $3, account_manager = $4, contact_email = $5, contact_phone = $6,
                            updated_at = $7, version = version + 1
                     WHERE id = $1 AND ($8 IS NULL OR version = $8) RETURNING created_at, version",
                )
                .bind(c.id.as_str())
                .bind(&c.name)
                .bind(c.level.as_str())
                .bind(c.account_manager.as_ref().map(Id::as_str))
                .bind(&c.contact_email)
                .bind(&c.contact_phone)
                .bind(ns(now))
                .bind(expected)
                .fetch_optional(&self.write)
                .await
                .map_err(|e| error::write("customer", c.id.as_str(), e))?;
                let Some(row) = row else {
                    return Err(self.why_not_updated("customers", "customer", c.id.as_str(), expected).await);
                };
                Ok(Stored { record: c.clone(), stamps: self.updated_stamps(&row, "customer", c.id.as_str(), now)? })
            }

            async fn customer(&self, id: &Id, viewer: &Viewer) -> Result<Stored<Customer>> {
                let row = sqlx::query::<$db>("SELECT * FROM customers WHERE id = $1 AND ($2 IS NULL OR id = $2)")
                    .bind(id.as_str())
                    .bind(viewer.customer().map(Id::as_str))
                    .fetch_optional(&self.read)
                    .await
                    .map_err(db)?;
                rows::customer(&row.ok_or_else(|| not_found("customer", id.as_str()))?)
            }

            async fn customers(&self, viewer: &Viewer) -> Result<Vec<Stored<Customer>>> {
                sqlx::query::<$db>("SELECT * FROM customers WHERE ($1 IS NULL OR id = $1) ORDER BY id")
                    .bind(viewer.customer().map(Id::as_str))
                    .fetch_all(&self.read)
                    .await
                    .map_err(db)?
                    .iter()
                    .map(rows::customer)
                    .collect()
            }

            async fn delete_customer(&self, id: &Id, expected: Option<i64>) -> Result<()> {
                self.delete_row("customers", "customer", id, expected).await
            }

            // Services ----------------------------------------------------------------

            async fn create_service(&self, s: &Service, now: Timestamp) -> Result<Stored<Service>> {
                sqlx::query::<$db>(
                    "INSERT INTO services (id, customer_id, name, category, assurance_level, scope, endpoints, created_at, updated_at, version)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1)",
                )
                .bind(s.id.as_str())
                .bind(s.customer_id.as_str())
                .bind(&s.name)
                .bind(s.category.as_str())
                .bind(s.assurance_level.map(|l| l.as_str()))
                .bind(s.scope.as_str())
                .bind(s.endpoints.join("\n"))
                .bind(ns(now))
                .execute(&self.write)
                .await
                .map_err(|e| error::write("service", s.id.as_str(), e))?;
                Ok(Stored { record: s.clone(), stamps: Stamps { created_at: now, updated_at: now, version: 1 } })
            }

            async fn update_service(&self, s: &Service, expected: Option<i64>, now: Timestamp) -> Result<Stored<Service>> {
                let row = sqlx::query::<$db>(
                    "UPDATE services SET customer_id = $2, name = $3, category = $4, assurance_level = $5, scope = $6, endpoints = $7,
                            updated_at = $8, version = version + 1
                     WHERE id = $1 AND ($9 IS NULL OR version = $9) RETURNING created_at, version",
                )
                .bind(s.id.as_str())
                .bind(s.customer_id.as_str())
                .bind(&s.name)
                .bind(s.category.as_str())
                .bind(s.assurance_level.map(|l| l.as_str()))
                .bind(s.scope.as_str())
                .bind(s.endpoints.join("\n"))
                .bind(ns(now))
                .bind(expected)
                .fetch_optional(&self.write)
                .await
                .map_err(|e| error::write("service", s.id.as_str(), e))?;
                let Some(row) = row else {
                    return Err(self.why_not_updated("services", "service", s.id.as_str(), expected).await);
                };
                Ok(Stored { record: s.clone(), stamps: self.updated_stamps(&row, "service", s.id.as_str(), now)? })
            }

            async fn service(&self, id: &Id, viewer: &Viewer) -> Result<Stored<Service>> {
                let row = sqlx::query::<$db>("SELECT * FROM services WHERE id = $1 AND ($2 IS NULL OR customer_id = $2)")
                    .bind(id.as_str())
                    .bind(viewer.customer().map(Id::as_str))
                    .fetch_optional(&self.read)
                    .await
                    .map_err(db)?;
                rows::service(&row.ok_or_else(|| not_found("service", id.as_str()))?)
            }

            async fn services(&self, viewer: &Viewer, customer: Option<&Id>) -> Result<Vec<Stored<Service>>> {
                sqlx::query::<$db>(
                    "SELECT * FROM services WHERE ($1 IS NULL OR customer_id = $1) AND ($2 IS NULL OR customer_id = $2) ORDER BY id",
                )
                .bind(viewer.customer().map(Id::as_str))
                .bind(customer.map(Id::as_str))
                .fetch_all(&self.read)
                .await
                .map_err(db)?
                .iter()
                .map(rows::service)
                .collect()
            }

            async fn delete_service(&self, id: &Id, expected: Option<i64>) -> Result<()> {
                self.delete_row("services", "service", id, expected).await
            }

            // Circuits ----------------------------------------------------------------

            async fn create_circuit(&self, c: &Circuit, now: Timestamp) -> Result<Stored<Circuit>> {
                let mut tx = self.write.begin().await.map_err(db)?;
                let customer = self.service_customer(&mut *tx, &c.service_id).await?;
                sqlx::query::<$db>(
                    "INSERT INTO circuits (id, service_id, customer_id, a_end, z_end, bandwidth, created_at, updated_at, version)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)",
                )
                .bind(c.id.as_str())
                .bind(c.service_id.as_str())
                .bind(customer.as_str())
                .bind(&c.a_end)
                .bind(&c.z_end)
                .bind(&c.bandwidth)
                .bind(ns(now))
                .execute(&mut *tx)
                .await
                .map_err(|e| error::write("circuit", c.id.as_str(), e))?;
                tx.commit().await.map_err(db)?;
                let record = Circuit { customer_id: customer, ..c.clone() };
                Ok(Stored { record, stamps: Stamps { created_at: now, updated_at: now, version: 1 } })
            }

            async fn update_circuit(&self, c: &Circuit, expected: Option<i64>, now: Timestamp) -> Result<Stored<Circuit>> {
                let mut tx = self.write.begin().await.map_err(db)?;
                let customer = self.service_customer(&mut *tx, &c.service_id).await?;
                let row = sqlx::query::<$db>(
                    "UPDATE circuits SET service_id = $2, customer_id = $3, a_end = $4, z_end = $5, bandwidth = $6,
                            updated_at = $7, version = version + 1
                     WHERE id = $1 AND ($8 IS NULL OR version = $8) RETURNING created_at, version",
                )
                .bind(c.id.as_str())
                .bind(c.service_id.as_str())
                .bind(customer.as_str())
                .bind(&c.a_end)
                .bind(&c.z_end)
                .bind(&c.bandwidth)
                .bind(ns(now))
                .bind(expected)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| error::write("circuit", c.id.as_str(), e))?;
                let Some(row) = row else {
                    drop(tx);
                    return Err(self.why_not_updated("circuits", "circuit", c.id.as_str(), expected).await);
                };
                let stamps = self.updated_stamps(&row, "circuit", c.id.as_str(), now)?;
                tx.commit().await.map_err(db)?;
                Ok(Stored { record: Circuit { customer_id: customer, ..c.clone() }, stamps })
            }

            async fn circuit(&self, id: &Id, viewer: &Viewer) -> Result<Stored<Circuit>> {
                let row = sqlx::query::<$db>("SELECT * FROM circuits WHERE id = $1 AND ($2 IS NULL OR customer_id = $2)")
                    .bind(id.as_str())
                    .bind(viewer.customer().map(Id::as_str))
                    .fetch_optional(&self.read)
                    .await
                    .map_err(db)?;
                rows::circuit(&row.ok_or_else(|| not_found("circuit", id.as_str()))?)
            }

            async fn circuits(&self, viewer: &Viewer, service: Option<&Id>) -> Result<Vec<Stored<Circuit>>> {
                sqlx::query::<$db>(
                    "SELECT * FROM circuits WHERE ($1 IS NULL OR customer_id = $1) AND ($2 IS NULL OR service_id = $2) ORDER BY id",
                )
                .bind(viewer.customer().map(Id::as_str))
                .bind(service.map(Id::as_str))
                .fetch_all(&self.read)
                .await
                .map_err(db)?
                .iter()
                .map(rows::circuit)
                .collect()
            }

            async fn delete_circuit(&self, id: &Id, expected: Option<i64>) -> Result<()> {
                self.delete_row("circuits", "circuit", id, expected).await
            }

            // Departments ------------------------------------------------------------

            async fn create_department(&self, d: &Department, now: Timestamp) -> Result<Stored<Department>> {
                sqlx::query::<$db>(
                    "INSERT INTO departments (id, name, kind, leader_email, created_at, updated_at, version)
                     VALUES ($1, $2, $3, $4, $5, $5, 1)",
                )
                .bind(d.id.as_str())
                .bind(&d.name)
                .bind(d.kind.as_str())
                .bind(&d.leader_email)
                .bind(ns(now))
                .execute(&self.write)
                .await
                .map_err(|e| error::write("department", d.id.as_str(), e))?;
                Ok(Stored { record: d.clone(), stamps: Stamps { created_at: now, updated_at: now, version: 1 } })
            }

            async fn update_department(&self, d: &Department, expected: Option<i64>, now: Timestamp) -> Result<Stored<Department>> {
                let row = sqlx::query::<$db>(
                    "UPDATE departments SET name = $2, kind = $3, leader_email = $4, updated_at = $5, version = version + 1
                     WHERE id = $1 AND ($6 IS NULL OR version = $6) RETURNING created_at, version",
                )
                .bind(d.id.as_str())
                .bind(&d.name)
                .bind(d.kind.as_str())
                .bind(&d.leader_email)
                .bind(ns(now))
                .bind(expected)
                .fetch_optional(&self.write)
                .await
                .map_err(|e| error::write("department", d.id.as_str(), e))?;
                let Some(row) = row else {
                    return Err(self.why_not_updated("departments", "department", d.id.as_str(), expected).await);
                };
                Ok(Stored { record: d.clone(), stamps: self.updated_stamps(&row, "department", d.id.as_str(), now)? })
            }

            async fn department(&self, id: &Id) -> Result<Stored<Department>> {
                let row = sqlx::query::<$db>("SELECT * FROM departments WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_optional(&self.read)
                    .await
                    .map_err(db)?;
                rows::department(&row.ok_or_else(|| not_found("department", id.as_str()))?)
            }

            async fn departments(&self) -> Result<Vec<Stored<Department>>> {
                sqlx::query::<$db>("SELECT * FROM departments ORDER BY id")
                    .fetch_all(&self.read)
                    .await
                    .map_err(db)?
                    .iter()
                    .map(rows::department)
                    .collect()
            }

            async fn delete_department(&self, id: &Id, expected: Option<i64>) -> Result<()> {
                self.delete_row("departments", "department", id, expected).await
            }

            // Users, tokens, sessions ---------------------------------------------------

            async fn create_user(&self, u: &User, now: Timestamp) -> Result<Stored<User>> {
                sqlx::query::<$db>(
                    "INSERT INTO users (id, name, role, customer_id, department_id, email, password_hash, disabled, created_at, updated_at, version)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1)",
                )
                .bind(u.id.as_str())
                .bind(&u.name)
                .bind(u.role.as_str())
                .bind(u.customer_id.as_ref().map(Id::as_str))
                .bind(u.department_id.as_ref().map(Id::as_str))
                .bind(&u.email)
                .bind(&u.password_hash)
                .bind(u.disabled)
                .bind(ns(now))
                .execute(&self.write)
                .await
                .map_err(|e| error::write("user", u.id.as_str(), e))?;
                Ok(Stored { record: u.clone(), stamps: Stamps { created_at: now, updated_at: now, version: 1 } })
            }

            async fn update_user(&self, u: &User, expected: Option<i64>, now: Timestamp) -> Result<Stored<User>> {
                let row = sqlx::query::<$db>(
                    "UPDATE users SET name = $2, role = $3, customer_id = $4, department_id = $5, email = $6, password_hash = $7,
                            disabled = $8, updated_at = $9, version = version + 1
                     WHERE id = $1 AND ($10 IS NULL OR version = $10) RETURNING created_at, version",
                )
                .bind(u.id.as_str())
                .bind(&u.name)
                .bind(u.role.as_str())
                .bind(u.customer_id.as_ref().map(Id::as_str))
                .bind(u.department_id.as_ref().map(Id::as_str))
                .bind(&u.email)
                .bind(&u.password_hash)
                .bind(u.disabled)
                .bind(ns(now))
                .bind(expected)
                .fetch_optional(&self.write)
                .await
                .map_err(|e| error::write("user", u.id.as_str(), e))?;
                let Some(row) = row else {
                    return Err(self.why_not_updated("users", "user", u.id.as_str(), expected).await);
                };
                Ok(Stored { record: u.clone(), stamps: self.updated_stamps(&row, "user", u.id.as_str(), now)? })
            }

            async fn user(&self, id: &Id) -> Result<Stored<User>> {
                let row = sqlx::query::<$db>("SELECT * FROM users WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_optional(&self.read)
                    .await
                    .map_err(db)?;
                rows::user(&row.ok_or_else(|| not_found("user", id.as_str()))?)
            }

            async fn users(&self) -> Result<Vec<Stored<User>>> {
                sqlx::query::<$db>("SELECT * FROM users ORDER BY id")
                    .fetch_all(&self.read)
                    .await
                    .map_err(db)?
                    .iter()
                    .map(rows::user)
                    .collect()
            }

            async fn create_token(&self, t: &TokenRecord) -> Result<()> {
                sqlx::query::<$db>(
                    "INSERT INTO tokens (id, user_id, hash, label, created_at, revoked) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(t.id.as_str())
                .bind(t.user_id.as_str())
                .bind(&t.hash)
                .bind(&t.label)
                .bind(ns(t.created_at))
                .bind(t.revoked)
                .execute(&self.write)
                .await
                .map_err(|e| error::write("token", t.id.as_str(), e))?;
                Ok(())
            }

            async fn token_by_hash(&self, hash: &str) -> Result<(TokenRecord, Stored<User>)> {
                let row = sqlx::query::<$db>(concat!(
                    "SELECT t.*, ",
                    user_columns!(),
                    " FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1 AND NOT t.revoked AND NOT u.disabled"
                ))
                .bind(hash)
                .fetch_optional(&self.read)
                .await
                .map_err(db)?
                .ok_or_else(|| not_found("token", "(given)"))?;
                Ok((rows::token(&row)?, rows::joined_user(&row)?))
            }

            async fn revoke_token(&self, id: &Id) -> Result<()> {
                let done = sqlx::query::<$db>("UPDATE tokens SET revoked = $2 WHERE id = $1")
                    .bind(id.as_str())
                    .bind(true)
                    .execute(&self.write)
                    .await
                    .map_err(db)?;
                if done.rows_affected() == 0 {
                    return Err(not_found("token", id.as_str()));
                }
                Ok(())
            }

            async fn create_session(&self, s: &SessionRecord) -> Result<()> {
                sqlx::query::<$db>("INSERT INTO sessions (hash, user_id, csrf, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(&s.hash)
                    .bind(s.user_id.as_str())
                    .bind(&s.csrf)
                    .bind(ns(s.expires_at))
                    .execute(&self.write)
                    .await
                    .map_err(|e| error::write("session", "(new)", e))?;
                Ok(())
            }

            async fn session_by_hash(&self, hash: &str, now: Timestamp) -> Result<(SessionRecord, Stored<User>)> {
                let row = sqlx::query::<$db>(concat!(
                    "SELECT s.*, ",
                    user_columns!(),
                    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1 AND s.expires_at > $2 AND NOT u.disabled"
                ))
                .bind(hash)
                .bind(ns(now))
                .fetch_optional(&self.read)
                .await
                .map_err(db)?
                .ok_or_else(|| not_found("session", "(given)"))?;
                Ok((rows::session(&row)?, rows::joined_user(&row)?))
            }

            async fn delete_session(&self, hash: &str) -> Result<()> {
                sqlx::query::<$db>("DELETE FROM sessions WHERE hash = $1")
                    .bind(hash)
                    .execute(&self.write)
                    .await
                    .map_err(db)?;
                Ok(())
            }

            // Policies -----------------------------------------------------------------

            async fn put_policy(&self, p: &PolicyRecord) -> Result<()> {
                let mut tx = self.write.begin().await.map_err(db)?;
                let existing = sqlx::query::<$db>("SELECT text FROM policies WHERE name = $1 AND version = $2")
                    .bind(&p.id.name)
                    .bind(&p.id.version)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                match existing {
                    Some(row) if rows::Col::text(&row, "text")? == p.text => return Ok(()),
                    Some(_) => {
                        return Err(StoreError::Rejected(format!(
                            "policy {} is already stored with a different text: give the changed policy a new version",
                            p.id
                        )));
                    }
                    None => {}
                }
                sqlx::query::<$db>("INSERT INTO policies (name, version, text, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(&p.id.name)
                    .bind(&p.id.version)
                    .bind(&p.text)
                    .bind(ns(p.created_at))
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| error::write("policy", &p.id.to_string(), e))?;
                tx.commit().await.map_err(db)?;
                Ok(())
            }

            async fn policies(&self) -> Result<Vec<PolicyRecord>> {
                sqlx::query::<$db>("SELECT * FROM policies ORDER BY created_at, name, version")
                    .fetch_all(&self.read)
                    .await
                    .map_err(db)?
                    .iter()
                    .map(rows::policy)
                    .collect()
            }

            // Tickets ------------------------------------------------------------------------

            async fn open_ticket(&self, request: OpenRequest<'_>, project: Project<'_>) -> Result<TicketRecord> {
                let stored = tierdesk_store::NewEvent::record(request.events, 0, request.actor, request.now);
                let projection = project(request.header, &stored).map_err(StoreError::Rejected)?;
                self.commit(Work::Open {
                    header: Box::new(request.header.clone()),
                    events: stored.clone(),
                    projection: projection.clone(),
                    idempotency: request.idempotency.cloned(),
                    outbox: request.outbox.to_vec(),
                    now: request.now,
                }).await?;
                Ok(TicketRecord { header: request.header.clone(), version: stored.len() as i64, events: stored, projection })
            }

            async fn open_tickets(&self, requests: &[OpenRequest<'_>], project: Project<'_>) -> Result<usize> {
                let mut prepared = Vec::with_capacity(requests.len());
                for request in requests {
                    let stored = tierdesk_store::NewEvent::record(request.events, 0, request.actor, request.now);
                    let projection = project(request.header, &stored).map_err(StoreError::Rejected)?;
                    prepared.push((stored, projection));
                }
                let mut tx = self.write.begin().await.map_err(db)?;
                for (request, (stored, projection)) in requests.iter().zip(&prepared) {
                    insert_opened(&mut tx, request.header, stored, projection, request.idempotency, request.outbox, request.now).await?;
                }
                tx.commit().await.map_err(db)?;
                for request in requests {
                    $announce(self, request.header.id.as_str());
                }
                Ok(requests.len())
            }

            async fn append_many(&self, requests: &[AppendRequest<'_>], project: Project<'_>) -> Result<Vec<TicketRecord>> {
                let mut tx = self.write.begin().await.map_err(db)?;
                let mut out = Vec::with_capacity(requests.len());
                for request in requests {
                    out.push(self.append_locked(&mut tx, request, project).await?);
                }
                tx.commit().await.map_err(db)?;
                for r in &out {
                    $announce(self, r.header.id.as_str());
                }
                Ok(out)
            }

            async fn append_events(&self, request: AppendRequest<'_>, project: Project<'_>) -> Result<TicketRecord> {
                if let Some(done) = self.append_if_unchanged(&request, project).await? {
                    return Ok(done);
                }
                let mut tx = self.write.begin().await.map_err(db)?;
                let record = self.append_locked(&mut tx, &request, project).await?;
                tx.commit().await.map_err(db)?;
                $announce(self, request.id.as_str());
                Ok(record)
            }

            async fn ticket(&self, id: &TicketId, viewer: &Viewer) -> Result<TicketRecord> {
                // One round trip: the ticket row joined with its events (a ticket without
                // events yields one row whose event columns are NULL).
                let rows = sqlx::query::<$db>(concat!(
                    "SELECT t.*, ",
                    event_columns!(),
                    " FROM tickets t LEFT JOIN ticket_events e ON e.ticket_id = t.id
                     WHERE t.id = $1 AND ($2 IS NULL OR t.customer_id = $2) ORDER BY e.seq"
                ))
                .bind(id.as_str())
                .bind(viewer.customer().map(Id::as_str))
                .fetch_all(&self.read)
                .await
                .map_err(db)?;
                let first = rows.first().ok_or_else(|| not_found("ticket", id.as_str()))?;
                let mut events = Vec::with_capacity(rows.len());
                for row in &rows {
                    if rows::Col::opt_int(row, "e_seq")?.is_some() {
                        events.push(rows::prefixed_event(id.as_str(), row)?);
                    }
                }
                Ok(TicketRecord {
                    header: rows::header(first)?,
                    version: rows::Col::int(first, "version")?,
                    projection: rows::projection(first)?,
                    events,
                })
            }

            async fn tickets(
                &self,
                filter: &TicketFilter,
                viewer: &Viewer,
                now: Timestamp,
                cursor: Option<&TicketCursor>,
                limit: u32,
            ) -> Result<Vec<TicketSummary>> {
                let statuses = (!filter.statuses.is_empty())
                    .then(|| format!(",{},", filter.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")));
                let department = filter.department.as_ref().map(|d| format!("%,{d},%"));
                let (order, after) = match filter.order {
                    ListOrder::Due => ("due_sort, id", "($14 IS NULL OR (due_sort, id) > ($14, $15))"),
                    ListOrder::Assurance => (
                        "assurance_rank, due_sort, id",
                        "($14 IS NULL OR (assurance_rank, due_sort, id) > ($19, $14, $15))",
                    ),
                };
                let sql = format!(
                    "SELECT * FROM tickets
                     WHERE ($1 IS NULL OR customer_id = $1)
                       AND ($2 IS NULL OR kind = $2)
                       AND ($3 IS NULL OR $3 LIKE '%,' || status || ',%')
                       AND ($4 IS NULL OR is_open = $4)
                       AND ($5 IS NULL OR customer_level = $5)
                       AND ($6 IS NULL OR assurance_level = $6)
                       AND ($7 IS NULL OR customer_id = $7)
                       AND ($8 IS NULL OR departments LIKE $8)
                       AND ($9 IS NULL OR (breached OR (next_due IS NOT NULL AND next_due < $10)) = $9)
                       AND ($11 IS NULL OR (next_due IS NOT NULL AND next_due < $11))
                       AND ($12 IS NULL OR created_at >= $12)
                       AND ($13 IS NULL OR created_at < $13)
                       AND ($17 IS NULL OR parent_id = $17)
                       AND ($18 IS NULL OR stage = $18)
                       AND (CAST($19 AS BIGINT) IS NULL OR 1 = 1)
                       AND {after}
                     ORDER BY {order}
                     LIMIT $16"
                );
                let rows = sqlx::query::<$db>(sqlx::AssertSqlSafe(sql))
                .bind(viewer.customer().map(Id::as_str))
                .bind(filter.kind.map(|k| k.as_str()))
                .bind(statuses)
                .bind(filter.open)
                .bind(filter.customer_level.map(|l| l.as_str()))
                .bind(filter.assurance_level.map(|l| l.as_str()))
                .bind(filter.customer_id.as_ref().map(Id::as_str))
                .bind(department)
                .bind(filter.breached)
                .bind(ns(now))
                .bind(filter.due_before.map(ns))
                .bind(filter.opened_after.map(ns))
                .bind(filter.opened_before.map(ns))
                .bind(cursor.map(|c| c.next_due.map_or(i64::MAX, ns)))
                .bind(cursor.map(|c| c.id.clone()))
                .bind(i64::from(limit))
                .bind(filter.parent.as_ref().map(|p| p.as_str().to_owned()))
                .bind(filter.stage.map(|s| s.as_str()))
                .bind(cursor.and_then(|c| c.rank))
                .fetch_all(&self.read)
                .await
                .map_err(db)?;
                rows.iter()
                    .map(|row| {
                        Ok(TicketSummary {
                            header: rows::header(row)?,
                            version: rows::Col::int(row, "version")?,
                            projection: rows::projection(row)?,
                        })
                    })
                    .collect()
            }

            async fn ticket_ids(&self, after: Option<&str>, limit: u32) -> Result<Vec<TicketId>> {
                sqlx::query::<$db>("SELECT id FROM tickets WHERE ($1 IS NULL OR id > $1) ORDER BY id LIMIT $2")
                    .bind(after)
                    .bind(i64::from(limit))
                    .fetch_all(&self.read)
                    .await
                    .map_err(db)?
                    .iter()
                    .map(|row| {
                        let id = rows::Col::text(row, "id")?;
                        rows::parse("ticket", &id, &id)
                    })
                    .collect()
            }

            async fn reproject(&self, id: &TicketId, project: Project<'_>) -> Result<Projection> {
                let mut tx = self.write.begin().await.map_err(db)?;
                let row = sqlx::query::<$db>(concat!("SELECT * FROM tickets WHERE id = $1", $lock))
                    .bind(id.as_str())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?
                    .ok_or_else(|| not_found("ticket", id.as_str()))?;
                let header = rows::header(&row)?;
                let history = load_events(&mut *tx, id.as_str()).await?;
                let projection = project(&header, &history).map_err(StoreError::Rejected)?;
                write_projection(&mut *tx, id.as_str(), None, &projection).await?;
                write_timers(&mut tx, id.as_str(), &projection.timers).await?;
                tx.commit().await.map_err(db)?;
                $announce(self, id.as_str());
                Ok(projection)
            }

            async fn ticket_counts(&self, now: Timestamp) -> Result<(Vec<(Status, i64)>, i64)> {
                let rows = sqlx::query::<$db>("SELECT status, COUNT(*) AS n FROM tickets WHERE is_open GROUP BY status ORDER BY status")
                    .fetch_all(&self.read)
                    .await
                    .map_err(db)?;
                let mut counts = Vec::new();
                for row in &rows {
                    let status = rows::Col::text(row, "status")?;
                    counts.push((rows::parse("ticket status", &status, &status)?, rows::Col::int(row, "n")?));
                }
                let breached = sqlx::query::<$db>(
                    "SELECT COUNT(*) AS n FROM tickets WHERE is_open AND (breached OR (next_due IS NOT NULL AND next_due < $1))",
                )
                .bind(ns(now))
                .fetch_one(&self.read)
                .await
                .map_err(db)?;
                Ok((counts, rows::Col::int(&breached, "n")?))
            }

            // Scheduler ----------------------------------------------------------------------

            async fn claim_timers(&self, now: Timestamp, owner: &str, lease: jiff::SignedDuration, limit: u32) -> Result<Vec<DueTimer>> {
                let until = now.checked_add(lease).unwrap_or(now);
                let rows = sqlx::query::<$db>(concat!(
                    "UPDATE timers SET lease_owner = $1, lease_until = $2
                     WHERE (ticket_id, key) IN (
                        SELECT ticket_id, key FROM timers
                        WHERE fire_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
                        ORDER BY fire_at LIMIT $4", $skip_locked, ")
                     RETURNING ticket_id, key, fire_at"
                ))
                .bind(owner)
                .bind(ns(until))
                .bind(ns(now))
                .bind(i64::from(limit))
                .fetch_all(&self.write)
                .await
                .map_err(db)?;
                let mut out = Vec::with_capacity(rows.len());
                for row in &rows {
                    let ticket = rows::Col::text(row, "ticket_id")?;
                    out.push(DueTimer {
                        ticket_id: rows::parse("timer", &ticket, &ticket)?,
                        key: rows::Col::text(row, "key")?,
                        fire_at: rows::instant("timer", &ticket, rows::Col::int(row, "fire_at")?)?,
                    });
                }
                out.sort_by(|a, b| a.fire_at.cmp(&b.fire_at));
                Ok(out)
            }

            async fn next_timer(&self, now: Timestamp) -> Result<Option<Timestamp>> {
                let row = sqlx::query::<$db>(
                    "SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > $1 AND lease_until > fire_at
                                     THEN lease_until ELSE fire_at END) AS next
                     FROM timers",
                )
                    .bind(ns(now))
                    .fetch_one(&self.read)
                    .await
                    .map_err(db)?;
                rows::Col::opt_int(&row, "next")?.map(|n| rows::instant("timer", "(next)", n)).transpose()
            }

            async fn timer_count(&self) -> Result<i64> {
                let row = sqlx::query::<$db>("SELECT COUNT(*) AS n FROM timers").fetch_one(&self.read).await.map_err(db)?;
                rows::Col::int(&row, "n")
            }

            // Notifications --------------------------------------------------------------------

            async fn create_channel(&self, c: &Channel) -> Result<()> {
                sqlx::query::<$db>(
                    "INSERT INTO channels (id, name, kind, url, secret, email_to, role, customer_id, topics, language, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(c.id.as_str())
                .bind(&c.name)
                .bind(c.kind.as_str())
                .bind(&c.url)
                .bind(&c.secret)
                .bind(rows::lines_column(&c.email_to))
                .bind(c.role.map(|r| r.as_str()))
                .bind(c.customer_id.as_ref().map(Id::as_str))
                .bind(rows::lines_column(&c.topics))
                .bind(c.language.as_str())
                .bind(ns(c.created_at))
                .execute(&self.write)
                .await
                .map_err(|e| error::write("channel", c.id.as_str(), e))?;
                Ok(())
            }

            async fn channels(&self) -> Result<Vec<Channel>> {
                sqlx::query::<$db>("SELECT * FROM channels ORDER BY id")
                    .fetch_all(&self.read)
                    .await
                    .map_err(db)?
                    .iter()
                    .map(rows::channel)
                    .collect()
            }

            async fn channel(&self, id: &Id) -> Result<Channel> {
                let row = sqlx::query::<$db>("SELECT * FROM channels WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_optional(&self.read)
                    .await
                    .map_err(db)?;
                rows::channel(&row.ok_or_else(|| not_found("channel", id.as_str()))?)
            }

            async fn delete_channel(&self, id: &Id) -> Result<()> {
                let done = sqlx::query::<$db>("DELETE FROM channels WHERE id = $1")
                    .bind(id.as_str())
                    .execute(&self.write)
                    .await
                    .map_err(db)?;
                if done.rows_affected() == 0 {
                    return Err(not_found("channel", id.as_str()));
                }
                Ok(())
            }

            async fn claim_notifications(&self, now: Timestamp, owner: &str, lease: jiff::SignedDuration, limit: u32) -> Result<Vec<Notification>> {
                let until = now.checked_add(lease).unwrap_or(now);
                let rows = sqlx::query::<$db>(concat!(
                    "UPDATE notifications SET lease_owner = $1, lease_until = $2
                     WHERE id IN (
                        SELECT id FROM notifications
                        WHERE state = 'pending' AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
                        ORDER BY next_attempt_at LIMIT $4", $skip_locked, ")
                     RETURNING *"
                ))
                .bind(owner)
                .bind(ns(until))
                .bind(ns(now))
                .bind(i64::from(limit))
                .fetch_all(&self.write)
                .await
                .map_err(db)?;
                let mut out: Vec<Notification> = rows.iter().map(rows::notification).collect::<Result<_>>()?;
                out.sort_by(|a, b| (a.next_attempt_at, a.id.as_str()).cmp(&(b.next_attempt_at, b.id.as_str())));
                Ok(out)
            }

            async fn finish_notification(&self, id: &Id, outcome: &Delivery) -> Result<()> {
                let (state, sent_at, next, error) = match outcome {
                    Delivery::Sent(at) => ("sent", Some(ns(*at)), None, None),
                    Delivery::Retry { at, error } => ("pending", None, Some(ns(*at)), Some(error.as_str())),
                    Delivery::Dead { error } => ("dead", None, None, Some(error.as_str())),
                };
                let done = sqlx::query::<$db>(
                    "UPDATE notifications SET state = $2, sent_at = COALESCE($3, sent_at),
                        next_attempt_at = COALESCE($4, next_attempt_at), last_error = COALESCE($5, last_error),
                        attempts = attempts + 1, lease_owner = NULL, lease_until = NULL
                     WHERE id = $1",
                )
                .bind(id.as_str())
                .bind(state)
                .bind(sent_at)
                .bind(next)
                .bind(error)
                .execute(&self.write)
                .await
                .map_err(db)?;
                if done.rows_affected() == 0 {
                    return Err(not_found("notification", id.as_str()));
                }
                Ok(())
            }

            async fn next_notification(&self, now: Timestamp) -> Result<Option<Timestamp>> {
                let row = sqlx::query::<$db>(
                    "SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > $1 AND lease_until > next_attempt_at
                                     THEN lease_until ELSE next_attempt_at END) AS next
                     FROM notifications WHERE state = 'pending'",
                )
                    .bind(ns(now))
                    .fetch_one(&self.read)
                    .await
                    .map_err(db)?;
                rows::Col::opt_int(&row, "next")?.map(|n| rows::instant("notification", "(next)", n)).transpose()
            }

            async fn notifications(&self, filter: &NotificationFilter, limit: u32) -> Result<Vec<Notification>> {
                sqlx::query::<$db>(
                    "SELECT * FROM notifications
                     WHERE ($1 IS NULL OR state = $1) AND ($2 IS NULL OR ticket_id = $2) AND ($3 IS NULL OR id > $3)
                     ORDER BY id LIMIT $4",
                )
                .bind(filter.state.map(|s| s.as_str()))
                .bind(filter.ticket_id.as_ref().map(|t| t.as_str().to_owned()))
                .bind(filter.after.as_ref().map(Id::as_str))
                .bind(i64::from(limit))
                .fetch_all(&self.read)
                .await
                .map_err(db)?
                .iter()
                .map(rows::notification)
                .collect()
            }

            async fn notification(&self, id: &Id) -> Result<Notification> {
                let row = sqlx::query::<$db>("SELECT * FROM notifications WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_optional(&self.read)
                    .await
                    .map_err(db)?;
                rows::notification(&row.ok_or_else(|| not_found("notification", id.as_str()))?)
            }

            async fn replay_notification(&self, id: &Id, now: Timestamp) -> Result<Notification> {
                let row = sqlx::query::<$db>(
                    "UPDATE notifications SET state = 'pending', attempts = 0, next_attempt_at = $2, lease_owner = NULL, lease_until = NULL
                     WHERE id = $1 RETURNING *",
                )
                .bind(id.as_str())
                .bind(ns(now))
                .fetch_optional(&self.write)
                .await
                .map_err(db)?;
                rows::notification(&row.ok_or_else(|| not_found("notification", id.as_str()))?)
            }

            // Idempotency ----------------------------------------------------------------------

            async fn idempotency(&self, user: &Id, key: &str) -> Result<Option<Idempotency>> {
                sqlx::query::<$db>("SELECT * FROM idempotency WHERE user_id = $1 AND key = $2")
                    .bind(user.as_str())
                    .bind(key)
                    .fetch_optional(&self.read)
                    .await
                    .map_err(db)?
                    .as_ref()
                    .map(rows::idempotency)
                    .transpose()
            }

            async fn complete_idempotency(&self, user: &Id, key: &str, status: u16, body: &str) -> Result<()> {
                sqlx::query::<$db>("UPDATE idempotency SET status = $3, body = $4 WHERE user_id = $1 AND key = $2")
                    .bind(user.as_str())
                    .bind(key)
                    .bind(i64::from(status))
                    .bind(body)
                    .execute(&self.write)
                    .await
                    .map_err(db)?;
                Ok(())
            }

            // Hub -----------------------------------------------------------------------------------

            async fn create_subscription(&self, s: &Subscription) -> Result<()> {
                sqlx::query::<$db>("INSERT INTO subscriptions (id, callback, query, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(s.id.as_str())
                    .bind(&s.callback)
                    .bind(&s.query)
                    .bind(s.created_by.as_str())
                    .bind(ns(s.created_at))
                    .execute(&self.write)
                    .await
                    .map_err(|e| error::write("subscription", s.id.as_str(), e))?;
                Ok(())
            }

            async fn subscriptions(&self) -> Result<Vec<Subscription>> {
                sqlx::query::<$db>("SELECT * FROM subscriptions ORDER BY created_at, id")
                    .fetch_all(&self.read)
                    .await
                    .map_err(db)?
                    .iter()
                    .map(rows::subscription)
                    .collect()
            }

            async fn delete_subscription(&self, id: &Id) -> Result<()> {
                let done = sqlx::query::<$db>("DELETE FROM subscriptions WHERE id = $1")
                    .bind(id.as_str())
                    .execute(&self.write)
                    .await
                    .map_err(db)?;
                if done.rows_affected() == 0 {
                    return Err(not_found("subscription", id.as_str()));
                }
                Ok(())
            }
        }

        impl $store {
            /// The short path of an append: the caller read the ticket at version `v`;
            /// derive the projection now, outside the transaction, and apply it only
            /// if the ticket is still at `v`. `None`: another write came first (or the
            /// caller read nothing); take the locking path.
            async fn append_if_unchanged(&self, request: &AppendRequest<'_>, project: Project<'_>) -> Result<Option<TicketRecord>> {
                let Some(read) = request.read else { return Ok(None) };
                if let Some(expected) = request.expected {
                    if expected != read.version {
                        return Ok(None);
                    }
                }
                let new = tierdesk_store::NewEvent::record(request.events, read.version, request.actor, request.now);
                let mut history = read.events.clone();
                history.extend(new.iter().cloned());
                let projection = project(&read.header, &history).map_err(StoreError::Rejected)?;
                let version = history.len() as i64;
                let applied = self.commit(Work::Append {
                    id: request.id.to_string(),
                    read_version: read.version,
                    events: new,
                    projection: projection.clone(),
                    idempotency: request.idempotency.cloned(),
                    outbox: request.outbox.to_vec(),
                    now: request.now,
                }).await?;
                if !applied {
                    return Ok(None);
                }
                Ok(Some(TicketRecord { header: read.header.clone(), version, events: history, projection }))
            }

            /// Commits a prepared write (the backend's way: `$direct`); `true` when
            /// written, `false` when an append found the ticket changed meanwhile.
            async fn commit(&self, work: Work) -> Result<bool> {
                let id = match &work {
                    Work::Open { header, .. } => header.id.to_string(),
                    Work::Append { id, .. } => id.clone(),
                };
                let written = $direct(self, work).await?;
                if written {
                    $announce(self, &id);
                }
                Ok(written)
            }

            /// The long path of an append, inside the caller's transaction: lock the
            /// ticket, read it, derive the projection from the whole history, write.
            async fn append_locked(
                &self,
                tx: &mut sqlx::Transaction<'_, $db>,
                request: &AppendRequest<'_>,
                project: Project<'_>,
            ) -> Result<TicketRecord> {
                let AppendRequest { id, expected, events, actor, now, idempotency, outbox, read: _ } = *request;
                let row = sqlx::query::<$db>(concat!("SELECT * FROM tickets WHERE id = $1", $lock))
                    .bind(id.as_str())
                    .fetch_optional(&mut **tx)
                    .await
                    .map_err(db)?
                    .ok_or_else(|| not_found("ticket", id.as_str()))?;
                let header = rows::header(&row)?;
                let version = rows::Col::int(&row, "version")?;
                if let Some(expected) = expected {
                    if expected != version {
                        return Err(StoreError::VersionMismatch { what: "ticket", id: id.to_string(), expected, actual: version });
                    }
                }
                let mut history = load_events(&mut **tx, id.as_str()).await?;
                let new = tierdesk_store::NewEvent::record(events, version, actor, now);
                history.extend(new.iter().cloned());
                let projection = project(&header, &history).map_err(StoreError::Rejected)?;
                if let Some(key) = idempotency {
                    remember(&mut **tx, key, id.as_str(), now).await?;
                }
                insert_events(tx, id.as_str(), &new).await?;
                let new_version = history.len() as i64;
                write_projection(&mut **tx, id.as_str(), Some(new_version), &projection).await?;
                write_timers(tx, id.as_str(), &projection.timers).await?;
                insert_outbox(tx, id.as_str(), version, new.len() as i64, outbox, now).await?;
                Ok(TicketRecord { header, version: new_version, events: history, projection })
            }

            /// Why an `UPDATE … WHERE id AND version` changed nothing.
            async fn why_not_updated(&self, table: &str, what: &'static str, id: &str, expected: Option<i64>) -> StoreError {
                let sql = format!("SELECT version FROM {table} WHERE id = $1");
                let row = sqlx::query::<$db>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.write).await;
                match (row, expected) {
                    (Ok(Some(row)), Some(expected)) => match rows::Col::int(&row, "version") {
                        Ok(actual) => StoreError::VersionMismatch { what, id: id.to_owned(), expected, actual },
                        Err(e) => e,
                    },
                    (Ok(_), _) => not_found(what, id),
                    (Err(e), _) => db(e),
                }
            }

            fn updated_stamps(&self, row: &<$db as sqlx::Database>::Row, what: &'static str, id: &str, now: Timestamp) -> Result<Stamps> {
                Ok(Stamps {
                    created_at: rows::instant(what, id, rows::Col::int(row, "created_at")?)?,
                    updated_at: now,
                    version: rows::Col::int(row, "version")?,
                })
            }

            async fn delete_row(&self, table: &str, what: &'static str, id: &Id, expected: Option<i64>) -> Result<()> {
                let sql = format!("DELETE FROM {table} WHERE id = $1 AND ($2 IS NULL OR version = $2)");
                let done = sqlx::query::<$db>(sqlx::AssertSqlSafe(sql))
                    .bind(id.as_str())
                    .bind(expected)
                    .execute(&self.write)
                    .await
                    .map_err(|e| error::write(what, id.as_str(), e))?;
                if done.rows_affected() == 0 {
                    return Err(self.why_not_updated(table, what, id.as_str(), expected).await);
                }
                Ok(())
            }

            async fn service_customer<'c, E>(&self, conn: E, service: &Id) -> Result<Id>
            where
                E: sqlx::Executor<'c, Database = $db>,
            {
                let row = sqlx::query::<$db>("SELECT customer_id FROM services WHERE id = $1")
                    .bind(service.as_str())
                    .fetch_optional(conn)
                    .await
                    .map_err(db)?
                    .ok_or_else(|| StoreError::Reference(format!("service {service} does not exist")))?;
                let customer = rows::Col::text(&row, "customer_id")?;
                rows::parse("service", service.as_str(), &customer)
            }

        }

        async fn remember<'c, E>(conn: E, key: &Idempotency, ticket: &str, now: Timestamp) -> Result<()>
        where
            E: sqlx::Executor<'c, Database = $db>,
        {
            sqlx::query::<$db>(
                "INSERT INTO idempotency (user_id, key, request_hash, ticket_id, status, body, created_at)
                 VALUES ($1, $2, $3, $4, NULL, NULL, $5)",
            )
            .bind(key.user_id.as_str())
            .bind(&key.key)
            .bind(&key.request_hash)
            .bind(ticket)
            .bind(ns(now))
            .execute(conn)
            .await
            .map_err(|e| match error::write("idempotency key", &key.key, e) {
                StoreError::AlreadyExists { .. } => StoreError::IdempotencyKeyTaken(key.key.clone()),
                other => other,
            })?;
            Ok(())
        }

        /// Writes a new ticket, its first events, timers and notifications.
        async fn insert_opened(
            tx: &mut sqlx::Transaction<'_, $db>,
            header: &TicketHeader,
            stored: &[StoredEvent],
            projection: &Projection,
            idempotency: Option<&Idempotency>,
            outbox: &[tierdesk_store::NewNotification],
            now: Timestamp,
        ) -> Result<()> {
            let id = header.id.as_str();
            if let Some(key) = idempotency {
                remember(&mut **tx, key, id, now).await?;
            }
            sqlx::query::<$db>(
                "INSERT INTO tickets (id, kind, customer_id, service_id, circuit_id, customer_level, assurance_level, category,
                    scope, change_type, work_start, emergency, terminal, operator_equipment, policy_name, policy_version,
                    title, description, green_channel, created_by, created_at, version,
                    status, is_open, next_due, due_sort, breached, departments, evaluation, evaluated_at,
                    full_outage, stage, parent_id, assurance_rank)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
                    $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)",
            )
            .bind(id)
            .bind(header.kind.as_str())
            .bind(header.customer_id.as_str())
            .bind(header.service_id.as_ref().map(Id::as_str))
            .bind(header.circuit_id.as_ref().map(Id::as_str))
            .bind(header.customer_level.as_str())
            .bind(header.assurance_level.as_str())
            .bind(header.category.map(|c| c.as_str()))
            .bind(header.scope.map(|s| s.as_str()))
            .bind(header.change_type.map(|c| c.as_str()))
            .bind(header.work_start.map(ns))
            .bind(header.emergency)
            .bind(header.terminal)
            .bind(header.operator_equipment)
            .bind(&header.policy.name)
            .bind(&header.policy.version)
            .bind(&header.title)
            .bind(&header.description)
            .bind(header.green_channel)
            .bind(header.created_by.as_str())
            .bind(ns(header.created_at))
            .bind(stored.len() as i64)
            .bind(projection.status.as_str())
            .bind(!projection.status.is_final())
            .bind(projection.next_due.map(ns))
            .bind(projection.next_due.map_or(i64::MAX, ns))
            .bind(projection.breached)
            .bind(rows::departments_column(&projection.departments))
            .bind(&projection.evaluation_json)
            .bind(ns(projection.evaluated_at))
            .bind(header.full_outage)
            .bind(projection.stage.as_str())
            .bind(projection.parent.as_ref().map(|p| p.as_str()))
            .bind(tierdesk_store::assurance_rank(header.assurance_level))
            .execute(&mut **tx)
            .await
            .map_err(|e| error::write("ticket", id, e))?;
            insert_events(tx, id, stored).await?;
            insert_timers(tx, id, &projection.timers).await?;
            insert_outbox(tx, id, 0, stored.len() as i64, outbox, now).await?;
            Ok(())
        }


        /// A write whose projection is already derived, waiting for the group
        /// committer: everything it needs is owned, so it can wait in a queue.
        pub(crate) enum Work {
            Open {
                header: Box<TicketHeader>,
                events: Vec<StoredEvent>,
                projection: Projection,
                idempotency: Option<Idempotency>,
                outbox: Vec<tierdesk_store::NewNotification>,
                now: Timestamp,
            },
            Append {
                id: String,
                read_version: i64,
                events: Vec<StoredEvent>,
                projection: Projection,
                idempotency: Option<Idempotency>,
                outbox: Vec<tierdesk_store::NewNotification>,
                now: Timestamp,
            },
        }

        async fn apply(tx: &mut sqlx::Transaction<'_, $db>, work: &Work) -> Result<bool> {
            match work {
                Work::Open { header, events, projection, idempotency, outbox, now } => {
                    insert_opened(tx, header, events, projection, idempotency.as_ref(), outbox, *now).await?;
                    Ok(true)
                }
                Work::Append { id, read_version, events, projection, idempotency, outbox, now } => {
                    apply_append(tx, id, *read_version, events, projection, idempotency.as_ref(), outbox, *now).await
                }
            }
        }

        /// One write in a transaction of its own.
        async fn commit_alone(pool: &sqlx::Pool<$db>, work: &Work) -> Result<bool> {
            let mut tx = pool.begin().await.map_err(db)?;
            let written = apply(&mut tx, work).await?;
            tx.commit().await.map_err(db)?;
            Ok(written)
        }

        /// The short path of an append: applies the derived projection if the
        /// ticket is still at the version it was derived from (`false` if not:
        /// another write came first, nothing was written).
        #[allow(clippy::too_many_arguments)]
        async fn apply_append(
            tx: &mut sqlx::Transaction<'_, $db>,
            id: &str,
            read_version: i64,
            new: &[StoredEvent],
            projection: &Projection,
            idempotency: Option<&Idempotency>,
            outbox: &[tierdesk_store::NewNotification],
            now: Timestamp,
        ) -> Result<bool> {
            let version = read_version + new.len() as i64;
            let updated = sqlx::query::<$db>(
                "UPDATE tickets SET version = $2, status = $3, is_open = $4, next_due = $5, due_sort = $6,
                        breached = $7, departments = $8, evaluation = $9, evaluated_at = $10, stage = $12, parent_id = $13
                 WHERE id = $1 AND version = $11",
            )
            .bind(id)
            .bind(version)
            .bind(projection.status.as_str())
            .bind(!projection.status.is_final())
            .bind(projection.next_due.map(ns))
            .bind(projection.next_due.map_or(i64::MAX, ns))
            .bind(projection.breached)
            .bind(rows::departments_column(&projection.departments))
            .bind(&projection.evaluation_json)
            .bind(ns(projection.evaluated_at))
            .bind(read_version)
            .bind(projection.stage.as_str())
            .bind(projection.parent.as_ref().map(|p| p.as_str()))
            .execute(&mut **tx)
            .await
            .map_err(db)?;
            if updated.rows_affected() == 0 {
                return Ok(false);
            }
            if let Some(key) = idempotency {
                remember(&mut **tx, key, id, now).await?;
            }
            insert_events(tx, id, new).await?;
            write_timers(tx, id, &projection.timers).await?;
            insert_outbox(tx, id, read_version, new.len() as i64, outbox, now).await?;
            Ok(true)
        }

        async fn load_events<'c, E>(conn: E, ticket: &str) -> Result<Vec<StoredEvent>>
        where
            E: sqlx::Executor<'c, Database = $db>,
        {
            sqlx::query::<$db>("SELECT * FROM ticket_events WHERE ticket_id = $1 ORDER BY seq")
                .bind(ticket)
                .fetch_all(conn)
                .await
                .map_err(db)?
                .iter()
                .map(|row| rows::event(ticket, row))
                .collect()
        }

        /// Inserts events, one statement for all of them.
        async fn insert_events(tx: &mut sqlx::Transaction<'_, $db>, ticket: &str, events: &[StoredEvent]) -> Result<()> {
            // 17 parameters a row; SQLite takes at most 32766 in one statement.
            for chunk in events.chunks(1000) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO ticket_events (ticket_id, seq, at, type, to_party, reason, satisfied, artifact, channel, work_start,
                        by_party, actor, recorded_at, note, subject, obligation, ref_at) ",
                );
                q.push_values(chunk, |mut row, e| {
                    let c = rows::event_columns(&e.kind);
                    row.push_bind(ticket.to_owned())
                        .push_bind(e.seq)
                        .push_bind(ns(e.at))
                        .push_bind(e.kind.name())
                        .push_bind(c.to_party)
                        .push_bind(c.reason)
                        .push_bind(c.satisfied)
                        .push_bind(c.artifact)
                        .push_bind(c.channel)
                        .push_bind(c.work_start)
                        .push_bind(e.by.as_ref().map(|p| p.as_str().to_owned()))
                        .push_bind(e.actor.as_str().to_owned())
                        .push_bind(ns(e.recorded_at))
                        .push_bind(e.note.clone())
                        .push_bind(c.subject)
                        .push_bind(c.obligation)
                        .push_bind(c.ref_at);
                });
                q.build()
                    .execute(&mut **tx)
                    .await
                    .map_err(|err| error::write("ticket event", ticket, err))?;
            }
            Ok(())
        }

        async fn write_projection<'c, E>(conn: E, ticket: &str, version: Option<i64>, p: &Projection) -> Result<()>
        where
            E: sqlx::Executor<'c, Database = $db>,
        {
            sqlx::query::<$db>(
                "UPDATE tickets SET version = COALESCE($2, version), status = $3, is_open = $4, next_due = $5, due_sort = $6,
                        breached = $7, departments = $8, evaluation = $9, evaluated_at = $10, stage = $11, parent_id = $12
                 WHERE id = $1",
            )
            .bind(ticket)
            .bind(version)
            .bind(p.status.as_str())
            .bind(!p.status.is_final())
            .bind(p.next_due.map(ns))
            .bind(p.next_due.map_or(i64::MAX, ns))
            .bind(p.breached)
            .bind(rows::departments_column(&p.departments))
            .bind(&p.evaluation_json)
            .bind(ns(p.evaluated_at))
            .bind(p.stage.as_str())
            .bind(p.parent.as_ref().map(|id| id.as_str()))
            .execute(conn)
            .await
            .map_err(db)?;
            Ok(())
        }

        /// Replaces a ticket's timers with those of its new projection.
        async fn write_timers(tx: &mut sqlx::Transaction<'_, $db>, ticket: &str, timers: &[tierdesk_core::Timer]) -> Result<()> {
            sqlx::query::<$db>("DELETE FROM timers WHERE ticket_id = $1")
                .bind(ticket)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
            insert_timers(tx, ticket, timers).await
        }

        /// Adds timers (a new ticket has none to replace), one statement for all.
        async fn insert_timers(tx: &mut sqlx::Transaction<'_, $db>, ticket: &str, timers: &[tierdesk_core::Timer]) -> Result<()> {
            if timers.is_empty() {
                return Ok(());
            }
            let mut q = sqlx::QueryBuilder::<$db>::new("INSERT INTO timers (ticket_id, key, fire_at) ");
            q.push_values(timers, |mut row, t| {
                row.push_bind(ticket.to_owned()).push_bind(t.key()).push_bind(ns(t.fire_at));
            });
            q.push(" ON CONFLICT (ticket_id, key) DO UPDATE SET fire_at = excluded.fire_at");
            q.build().execute(&mut **tx).await.map_err(db)?;
            Ok(())
        }

        /// Enqueues the notifications of a write; `version` is the ticket's version
        /// before it, `added` the number of events it wrote.
        async fn insert_outbox(
            tx: &mut sqlx::Transaction<'_, $db>,
            ticket: &str,
            version: i64,
            added: i64,
            outbox: &[tierdesk_store::NewNotification],
            now: Timestamp,
        ) -> Result<()> {
            for n in outbox {
                let seq = n.event_index.map(|i| version + 1 + i as i64);
                sqlx::query::<$db>(
                    "INSERT INTO notifications (id, ticket_id, ticket_version, event_seq, topic, kind, channel_id, target, language,
                        state, attempts, created_at, next_attempt_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10)",
                )
                .bind(n.id.as_str())
                .bind(ticket)
                .bind(version + added)
                .bind(seq)
                .bind(n.topic.as_str())
                .bind(n.kind.as_str())
                .bind(n.channel_id.as_ref().map(Id::as_str))
                .bind(&n.target)
                .bind(n.language.as_str())
                .bind(ns(now))
                .execute(&mut **tx)
                .await
                .map_err(|e| error::write("notification", n.id.as_str(), e))?;
            }
            Ok(())
        }
    };
}

/// A joined event's columns, prefixed `e_` (see `rows::prefixed_event`).
macro_rules! event_columns {
    () => {
        "e.seq AS e_seq, e.at AS e_at, e.type AS e_type, e.to_party AS e_to_party, e.reason AS e_reason, \
         e.satisfied AS e_satisfied, e.artifact AS e_artifact, e.channel AS e_channel, e.work_start AS e_work_start, \
         e.by_party AS e_by_party, e.actor AS e_actor, e.recorded_at AS e_recorded_at, e.note AS e_note, \
         e.subject AS e_subject, e.obligation AS e_obligation, e.ref_at AS e_ref_at"
    };
}

/// The joined user's columns, prefixed `u_` (see `rows::joined_user`).
macro_rules! user_columns {
    () => {
        "u.id AS u_id, u.name AS u_name, u.role AS u_role, u.customer_id AS u_customer_id, \
         u.department_id AS u_department_id, u.email AS u_email, u.password_hash AS u_password_hash, \
         u.disabled AS u_disabled, u.created_at AS u_created_at, u.updated_at AS u_updated_at, u.version AS u_version"
    };
}

pub(crate) use {event_columns, impl_store, user_columns};
