-- tierdesk schema, PostgreSQL dialect. Instants are BIGINT nanoseconds since
-- the Unix epoch (UTC), as in the SQLite schema, so both backends share queries.

CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    account_manager TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE services (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    assurance_level TEXT,
    scope TEXT NOT NULL,
    endpoints TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX services_by_customer ON services (customer_id, id);

CREATE TABLE circuits (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    a_end TEXT NOT NULL,
    z_end TEXT NOT NULL,
    bandwidth TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX circuits_by_service ON circuits (service_id, id);

CREATE TABLE departments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    leader_email TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    customer_id TEXT REFERENCES customers (id),
    department_id TEXT REFERENCES departments (id),
    email TEXT,
    password_hash TEXT,
    disabled BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked BOOLEAN NOT NULL
);

CREATE TABLE sessions (
    hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE policies (
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (name, version)
);

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
    work_start BIGINT,
    emergency BOOLEAN NOT NULL,
    terminal BOOLEAN NOT NULL,
    operator_equipment BOOLEAN NOT NULL,
    policy_name TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    green_channel BOOLEAN NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    is_open BOOLEAN NOT NULL,
    next_due BIGINT,
    -- next_due, or the largest integer when none: the queue's sort key (soonest first, none last).
    due_sort BIGINT NOT NULL,
    breached BOOLEAN NOT NULL,
    departments TEXT NOT NULL,
    evaluation TEXT NOT NULL,
    evaluated_at BIGINT NOT NULL
);
CREATE INDEX tickets_queue ON tickets (due_sort, id);
CREATE INDEX tickets_by_customer ON tickets (customer_id, due_sort, id);

-- The append-only history. Each event's kind-specific data has its own column.
CREATE TABLE ticket_events (
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    type TEXT NOT NULL,
    to_party TEXT,
    reason TEXT,
    satisfied BOOLEAN,
    artifact TEXT,
    channel TEXT,
    work_start BIGINT,
    by_party TEXT,
    actor TEXT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    note TEXT,
    PRIMARY KEY (ticket_id, seq)
);

CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ticket_events is append-only';
END;
$$;
CREATE TRIGGER ticket_events_no_change BEFORE UPDATE OR DELETE ON ticket_events
FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();

CREATE TABLE idempotency (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    ticket_id TEXT,
    status BIGINT,
    body TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    callback TEXT NOT NULL,
    query TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
