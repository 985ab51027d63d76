-- Workflows, the SLA scheduler and notifications.

-- Event data of the new event types: rectification items and parent links
-- (subject), the promise an alert is about (obligation), and the instant an
-- agreed delay or an alert names (ref_at).
ALTER TABLE ticket_events ADD COLUMN subject TEXT;
ALTER TABLE ticket_events ADD COLUMN obligation TEXT;
ALTER TABLE ticket_events ADD COLUMN ref_at INTEGER;

ALTER TABLE tickets ADD COLUMN full_outage INTEGER NOT NULL DEFAULT 0;
-- Derived from the events: the workflow stage, the parent outage ticket.
ALTER TABLE tickets ADD COLUMN stage TEXT NOT NULL DEFAULT 'logged';
ALTER TABLE tickets ADD COLUMN parent_id TEXT;
-- AAA 0, AA 1, A 2, ordinary 3: the operations queue's first sort key.
ALTER TABLE tickets ADD COLUMN assurance_rank INTEGER NOT NULL DEFAULT 3;
UPDATE tickets SET assurance_rank = CASE assurance_level
    WHEN 'AAA' THEN 0 WHEN 'AA' THEN 1 WHEN 'A' THEN 2 ELSE 3 END;
CREATE INDEX tickets_operations ON tickets (assurance_rank, due_sort, id);
CREATE INDEX tickets_by_parent ON tickets (parent_id, due_sort, id);

-- What the scheduler must do, derived with each ticket's projection. A timer is
-- claimed by one instance for a while (lease); firing it appends an event to the
-- ticket, and the event's presence is what keeps it from firing twice.
CREATE TABLE timers (
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    key TEXT NOT NULL,
    fire_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    PRIMARY KEY (ticket_id, key)
) STRICT;
CREATE INDEX timers_due ON timers (fire_at);

CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT,
    secret TEXT,
    email_to TEXT NOT NULL,
    role TEXT,
    customer_id TEXT REFERENCES customers (id),
    topics TEXT NOT NULL,
    language TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- The transactional outbox: written with the ticket change that causes it.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    ticket_version INTEGER NOT NULL,
    event_seq INTEGER,
    topic TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel_id TEXT,
    target TEXT NOT NULL,
    language TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    last_error TEXT,
    lease_owner TEXT,
    lease_until INTEGER
) STRICT;
CREATE INDEX notifications_queue ON notifications (state, next_attempt_at);
CREATE INDEX notifications_by_ticket ON notifications (ticket_id, id);

-- The scheduler's actor: every event records who recorded it. It cannot log in.
INSERT INTO users (id, name, role, customer_id, department_id, email, password_hash, disabled, created_at, updated_at, version)
VALUES ('system', 'tierdesk scheduler', 'admin', NULL, NULL, NULL, NULL, 1, 0, 0, 1)
ON CONFLICT (id) DO NOTHING;
