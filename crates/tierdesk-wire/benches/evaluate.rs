//! One fault ticket through the whole pipeline (parse, evaluate, write JSON),
//! next to merely parsing the same line with serde_json (the ceiling).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tierdesk_core::Engine;
use tierdesk_wire::{EvaluationJson, parse_ticket};

const LINE: &[u8] = br#"{"id":"F-000001","kind":"fault","customer_level":"gold","assurance_level":"AAA","category":"dedicated_line","scope":"cross_province","events":[{"at":"2025-09-30T16:00:00+08:00","type":"reported"},{"at":"2025-09-30T16:03:00+08:00","type":"dispatched","to":"ops"},{"at":"2025-09-30T16:09:00+08:00","type":"accepted","by":"ops"},{"at":"2025-09-30T16:30:00+08:00","type":"feedback"},{"at":"2025-09-30T17:00:00+08:00","type":"paused","reason":"customer"},{"at":"2025-09-30T18:00:00+08:00","type":"resumed"},{"at":"2025-09-30T21:00:00+08:00","type":"restored"}]}"#;

fn pipeline(c: &mut Criterion) {
    let engine = Engine::default_engine();
    let now: jiff::Timestamp = "2025-10-01T12:00:00+08:00".parse().unwrap();
    let tz = engine.policy().time_zone.clone();
    let mut out = Vec::with_capacity(4096);
    c.bench_function("serde_json_parse_only", |b| {
        b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(black_box(LINE)).unwrap()))
    });
    c.bench_function("parse_ticket", |b| {
        b.iter(|| black_box(parse_ticket(black_box(LINE)).unwrap()))
    });
    let ticket = parse_ticket(LINE).unwrap();
    c.bench_function("evaluate", |b| {
        b.iter(|| black_box(engine.evaluate(black_box(&ticket), now).unwrap()))
    });
    let eval = engine.evaluate(&ticket, now).unwrap();
    c.bench_function("write_json", |b| {
        b.iter(|| {
            out.clear();
            EvaluationJson::new(&ticket, &eval, &tz).write_to(&mut out);
            black_box(out.len())
        })
    });
    c.bench_function("parse_evaluate_write", |b| {
        b.iter(|| {
            let t = parse_ticket(black_box(LINE)).unwrap();
            let e = engine.evaluate(&t, now).unwrap();
            out.clear();
            EvaluationJson::new(&t, &e, &tz).write_to(&mut out);
            black_box(out.len())
        })
    });
}

criterion_group!(benches, pipeline);
criterion_main!(benches, tz);

fn offsets(c: &mut Criterion) {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let t: jiff::Timestamp = "2025-10-01T12:00:00+08:00".parse().unwrap();
    c.bench_function("tz_to_offset", |b| {
        b.iter(|| black_box(tz.to_offset(black_box(t))))
    });
}

criterion_group!(tz, offsets);
