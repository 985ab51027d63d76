//! Per-call cost of the calendar's hot paths. Figures go to docs/PERFORMANCE.md.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::Date;
use tierdesk_calendar::{Calendar, Pause, Target, TimeRules};

/// Deterministic pseudo-random (date, n) pairs over 2004..2026, like the batch input.
fn inputs(count: usize) -> Vec<(Date, i32)> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let day = (x % 8400) as i64;
            let n = (x >> 32) % 61;
            let date = jiff::civil::date(2004, 1, 1)
                .checked_add(jiff::Span::new().days(day))
                .unwrap();
            (date, n as i32 - 30)
        })
        .collect()
}

fn add_working_days(c: &mut Criterion) {
    let cal = Calendar::chinese_statutory();
    let inputs = inputs(4096);
    // A batch of calls per iteration, reported per call: criterion's own per-iteration
    // overhead (several ns) would otherwise dominate a call this short.
    let mut group = c.benchmark_group("calendar");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("add_working_days_x4096", |b| {
        b.iter(|| {
            let mut last = jiff::civil::Date::MIN;
            for &(d, n) in black_box(&inputs) {
                if let Ok(r) = cal.add_working_days(d, n) {
                    last = last.max(r);
                }
            }
            black_box(last)
        })
    });
    group.finish();
}

fn deadlines(c: &mut Criterion) {
    let rules = TimeRules::with_schedules(&["09:00-18:00".parse().unwrap()]);
    let start: jiff::Timestamp = "2025-09-26T15:00:00+08:00".parse().unwrap();
    let pause = Pause {
        start: "2025-09-29T10:00:00+08:00".parse().unwrap(),
        end: Some("2025-09-30T10:00:00+08:00".parse().unwrap()),
    };
    c.bench_function("due_3_working_days_with_a_pause", |b| {
        b.iter(|| black_box(rules.due(&Target::WorkingDays(3), black_box(start), &[pause])))
    });
    let bh = Target::Clock {
        amount: jiff::SignedDuration::from_hours(30),
        schedule: "09:00-18:00".parse().unwrap(),
    };
    c.bench_function("due_30_business_hours", |b| {
        b.iter(|| black_box(rules.due(&bh, black_box(start), &[])))
    });
}

criterion_group!(benches, add_working_days, deadlines);
criterion_main!(benches);
