-- tierdesk schema, SQLite dialect. Instants are INTEGER nanoseconds since the
-- Unix epoch (UTC); booleans are 0/1; STRICT tables enforce the column types.

CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    account_manager TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
) STRICT;

CREATE TABLE services (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    assurance_level TEXT,
    scope TEXT NOT NULL,
    endpoints TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
) STRICT;
CREATE INDEX services_by_customer ON services (customer_id, id);

CREATE TABLE circuits (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    a_end TEXT NOT NULL,
    z_end TEXT NOT NULL,
    bandwidth TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
) STRICT;
CREATE INDEX circuits_by_service ON circuits (service_id, id);

CREATE TABLE departments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    leader_email TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    customer_id TEXT REFERENCES customers (id),
    department_id TEXT REFERENCES departments (id),
    email TEXT,
    password_hash TEXT,
    disabled INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
) STRICT;

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE policies (
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (name, version)
) STRICT;

-- A ticket: its fixed header, its version (number of events), and the
-- projection derived from its events (status, due, evaluation), kept in the
-- same row so lists need no join.
CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    service_id TEXT REFERENCES services (id),
    circuit_id TEXT REFERENCES circuits (id),
    customer_level TEXT NOT NULL,
    assurance_level TEXT NOT NULL,
    category TEXT,
    scope TEXT,
    change_type TEXT,
    work_start INTEGER,
    emergency INTEGER NOT NULL,
    terminal INTEGER NOT NULL,
    operator_equipment INTEGER NOT NULL,
    policy_name TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    green_channel INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    is_open INTEGER NOT NULL,
    next_due INTEGER,
    -- next_due, or the largest integer when none: the queue's sort key (soonest first, none last).
    due_sort INTEGER NOT NULL,
    breached INTEGER NOT NULL,
    departments TEXT NOT NULL,
    evaluation TEXT NOT NULL,
    evaluated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX tickets_queue ON tickets (due_sort, id);
CREATE INDEX tickets_by_customer ON tickets (customer_id, due_sort, id);

-- The append-only history. Each event's kind-specific data has its own column.
CREATE TABLE ticket_events (
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    to_party TEXT,
    reason TEXT,
    satisfied INTEGER,
    artifact TEXT,
    channel TEXT,
    work_start INTEGER,
    by_party TEXT,
    actor TEXT NOT NULL REFERENCES users (id),
    recorded_at INTEGER NOT NULL,
    note TEXT,
    PRIMARY KEY (ticket_id, seq)
) STRICT;

CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;

CREATE TABLE idempotency (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    ticket_id TEXT,
    status INTEGER,
    body TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT;

CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    callback TEXT NOT NULL,
    query TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
