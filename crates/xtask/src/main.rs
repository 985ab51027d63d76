//! `cargo xtask`: chores that are code, not shell: benchmark inputs and baselines.

use std::io::{BufWriter, Read, Write};
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};

mod seed;

#[derive(Parser)]
#[command(about = "tierdesk project chores")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write N lines `DATE,N` (dates 2004..2026, N in -30..=30) to stdout.
    GenDates {
        n: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write N varied fault tickets as JSON Lines to stdout.
    GenTickets {
        n: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Parse every line of FILE with serde_json into a Value and nothing else: the
    /// ceiling the evaluator is compared with. Prints lines/s on stderr.
    ParseOnly { file: String },
    /// Store N gold planned-work notices in a tierdesk database (SQLite under
    /// --data-dir, or --database-url): two open obligations each (advance notice,
    /// confirmation), due weeks ahead, with their scheduler timers: the standing
    /// load of the scheduler benchmark.
    SeedNotices {
        n: usize,
        #[arg(long)]
        data_dir: Option<std::path::PathBuf>,
        #[arg(long)]
        database_url: Option<String>,
    },
}

/// xorshift64*: deterministic inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn civil(days_since_2004: i64) -> (i64, i64, i64) {
    // Howard Hinnant's civil_from_days, from 2004-01-01 (epoch day 12418).
    let z = days_since_2004 + 12_418 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn instant(minutes_since_2004: i64) -> String {
    let (y, m, d) = civil(minutes_since_2004.div_euclid(1440));
    let mins = minutes_since_2004.rem_euclid(1440);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:00+08:00",
        mins / 60,
        mins % 60
    )
}

fn gen_tickets(n: usize, seed: u64, out: &mut impl Write) -> anyhow::Result<()> {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let levels = ["gold", "silver", "bronze", "standard"];
    let assurance = ["AAA", "AA", "A", "ordinary"];
    let scopes = ["city", "cross_city", "cross_province"];
    let reasons = ["customer", "interconnection", "other"];
    for i in 0..n {
        let level = rng.below(4) as usize;
        let service = if rng.below(5) == 0 {
            rng.below(4) as usize
        } else {
            level
        };
        let scope = scopes[rng.below(3) as usize];
        // Reports spread over 2024-2025, in minutes since 2004-01-01.
        let mut t = (20 * 365 + rng.below(2 * 365) as i64) * 1440 + rng.below(1440) as i64;
        let mut events = vec![format!(
            r#"{{"at":"{}","type":"{}"}}"#,
            instant(t),
            if rng.below(3) == 0 {
                "alarm"
            } else {
                "reported"
            }
        )];
        t += 1 + rng.below(5) as i64;
        let department = rng.below(20);
        events.push(format!(
            r#"{{"at":"{}","type":"dispatched","to":"ops-{department}"}}"#,
            instant(t)
        ));
        t += 1 + rng.below(14) as i64;
        events.push(format!(
            r#"{{"at":"{}","type":"accepted","by":"ops-{department}"}}"#,
            instant(t)
        ));
        for _ in 0..rng.below(4) {
            t += 10 + rng.below(50) as i64;
            events.push(format!(r#"{{"at":"{}","type":"feedback"}}"#, instant(t)));
        }
        if rng.below(3) == 0 {
            t += 5 + rng.below(60) as i64;
            let reason = reasons[rng.below(3) as usize];
            events.push(format!(
                r#"{{"at":"{}","type":"paused","reason":"{reason}"}}"#,
                instant(t)
            ));
            t += 10 + rng.below(120) as i64;
            events.push(format!(r#"{{"at":"{}","type":"resumed"}}"#, instant(t)));
        }
        if rng.below(10) != 0 {
            t += 10 + rng.below(400) as i64;
            events.push(format!(r#"{{"at":"{}","type":"restored"}}"#, instant(t)));
            t += 5 + rng.below(40) as i64;
            events.push(format!(r#"{{"at":"{}","type":"feedback"}}"#, instant(t)));
        }
        writeln!(
            out,
            r#"{{"id":"F-{i:07}","kind":"fault","customer_level":"{}","assurance_level":"{}","category":"dedicated_line","scope":"{scope}","events":[{}]}}"#,
            levels[level],
            assurance[service],
            events.join(",")
        )?;
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    match Cli::parse().command {
        Command::GenDates { n, seed } => {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            for _ in 0..n {
                let (y, m, d) = civil(rng.below(8401) as i64);
                writeln!(out, "{y:04}-{m:02}-{d:02},{}", rng.below(61) as i64 - 30)?;
            }
        }
        Command::GenTickets { n, seed } => gen_tickets(n, seed, &mut out)?,
        Command::SeedNotices {
            n,
            data_dir,
            database_url,
        } => {
            let location = match (data_dir, database_url) {
                (_, Some(url)) => tierdesk_store_sql::Location::Postgres(url),
                (Some(dir), None) => {
                    std::fs::create_dir_all(&dir)?;
                    tierdesk_store_sql::Location::Sqlite(dir.join("tierdesk.db"))
                }
                (None, None) => anyhow::bail!("give --data-dir or --database-url"),
            };
            tokio::runtime::Runtime::new()?.block_on(seed::notices(location, n))?;
        }
        Command::ParseOnly { file } => {
            let mut data = Vec::new();
            std::fs::File::open(&file)
                .with_context(|| format!("opening {file}"))?
                .read_to_end(&mut data)?;
            let start = Instant::now();
            let mut lines = 0usize;
            let mut fields = 0usize;
            for line in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let v: serde_json::Value = serde_json::from_slice(line)?;
                fields += v.as_object().map_or(0, |o| o.len());
                lines += 1;
            }
            let secs = start.elapsed().as_secs_f64();
            eprintln!(
                "parse-only: {lines} lines ({fields} top-level fields) in {secs:.3} s = {:.0} lines/s",
                lines as f64 / secs
            );
        }
    }
    out.flush()?;
    Ok(())
}
