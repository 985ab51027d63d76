//! Loops the JSON writer for profiling (valgrind --tool=callgrind).
fn main() {
    let line = br#"{"id":"F-000001","kind":"fault","customer_level":"gold","assurance_level":"AAA","category":"dedicated_line","scope":"cross_province","events":[{"at":"2025-09-30T16:00:00+08:00","type":"reported"},{"at":"2025-09-30T16:03:00+08:00","type":"dispatched","to":"ops"},{"at":"2025-09-30T16:09:00+08:00","type":"accepted","by":"ops"},{"at":"2025-09-30T16:30:00+08:00","type":"feedback"},{"at":"2025-09-30T17:00:00+08:00","type":"paused","reason":"customer"},{"at":"2025-09-30T18:00:00+08:00","type":"resumed"},{"at":"2025-09-30T21:00:00+08:00","type":"restored"}]}"#;
    let engine = tierdesk_core::Engine::default_engine();
    let now: jiff::Timestamp = "2025-10-01T12:00:00+08:00".parse().unwrap();
    let tz = engine.policy().time_zone.clone();
    let mut out = Vec::new();
    let mut total = 0;
    for _ in 0..20_000 {
        let t = tierdesk_wire::parse_ticket(line).unwrap();
        let e = engine.evaluate(&t, now).unwrap();
        out.clear();
        tierdesk_wire::EvaluationJson::new(&t, &e, &tz).write_to(&mut out);
        total += out.len();
    }
    println!("{total}");
}
