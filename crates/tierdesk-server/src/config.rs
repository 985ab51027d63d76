//! Server configuration. The binary layers it: the file (`tierdesk.toml`), then
//! environment variables (`TIERDESK_…`), then flags, each overriding the last.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use tierdesk_source::{SourceErrors, TomlSource};
use tierdesk_store_sql::Location;

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object a line.
    Json,
}

/// Everything `tierdesk serve` needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (port 0: any free port).
    pub listen: SocketAddr,
    /// Where the data lives.
    pub database: Location,
    /// Load the demo operator when the database has no customers.
    pub demo: bool,
    /// Policy files; the last is the one new tickets start under (the shipped
    /// template when none is given).
    pub policies: Vec<PathBuf>,
    /// Calendar files on top of the shipped statutory calendar.
    pub calendars: Vec<PathBuf>,
    /// Log format.
    pub log_format: LogFormat,
    /// How long a console session lasts, in hours.
    pub session_hours: i64,
    /// How many tickets to keep in memory for reads (0: none).
    pub ticket_cache: usize,
    /// Run the SLA scheduler and the notification worker in this instance.
    pub background: bool,
    /// The SMTP server e-mail goes through (`smtp://host:port`, `smtps://…`,
    /// `smtp://…?tls=required`); none: e-mail notifications are dead-lettered.
    pub smtp_url: Option<String>,
    /// The sender of e-mail notifications.
    pub mail_from: String,
    /// The language of built-in messages (escalations to leadership).
    pub language: tierdesk_store::Language,
    /// Delivery attempts of a notification before it goes to the dead-letter list.
    pub notify_attempts: u32,
    /// The wait after the first failed attempt; it doubles after each.
    pub notify_backoff: jiff::SignedDuration,
    /// The base URL people reach the console at, for links in messages.
    pub public_url: Option<String>,
}

impl Config {
    /// The defaults: `127.0.0.1:8080`, SQLite under `./tierdesk-data`.
    pub fn defaults() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: Location::Sqlite(PathBuf::from("tierdesk-data").join("tierdesk.db")),
            demo: false,
            policies: Vec::new(),
            calendars: Vec::new(),
            log_format: LogFormat::Text,
            session_hours: 12,
            ticket_cache: 100_000,
            background: true,
            smtp_url: None,
            mail_from: "tierdesk <tierdesk@localhost>".to_owned(),
            language: tierdesk_store::Language::Zh,
            notify_attempts: 8,
            notify_backoff: jiff::SignedDuration::from_secs(5),
            public_url: None,
        }
    }
}

/// What a configuration file says; unset keys leave the value below them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSettings {
    /// `listen`.
    pub listen: Option<SocketAddr>,
    /// `data_dir`.
    pub data_dir: Option<PathBuf>,
    /// `database_url`.
    pub database_url: Option<String>,
    /// `demo`.
    pub demo: Option<bool>,
    /// `policies`, relative to the file.
    pub policies: Option<Vec<PathBuf>>,
    /// `calendars`, relative to the file.
    pub calendars: Option<Vec<PathBuf>>,
    /// `log_format`.
    pub log_format: Option<LogFormat>,
    /// `session_hours`.
    pub session_hours: Option<i64>,
    /// `ticket_cache`.
    pub ticket_cache: Option<usize>,
    /// `background`.
    pub background: Option<bool>,
    /// `smtp_url`.
    pub smtp_url: Option<String>,
    /// `mail_from`.
    pub mail_from: Option<String>,
    /// `language`.
    pub language: Option<tierdesk_store::Language>,
    /// `notify_attempts`.
    pub notify_attempts: Option<u32>,
    /// `notify_backoff`.
    pub notify_backoff: Option<jiff::SignedDuration>,
    /// `public_url`.
    pub public_url: Option<String>,
}

/// Reads a configuration file; every mistake is reported with line and column.
///
/// # Errors
/// The mistakes, positioned.
pub fn read_file(path: &Path, text: &str) -> Result<FileSettings, SourceErrors> {
    let name = path.display().to_string();
    let src = TomlSource::parse(&name, text)?;
    let root = src.root();
    root.reject_unknown(&[
        "listen",
        "data_dir",
        "database_url",
        "demo",
        "policies",
        "calendars",
        "log_format",
        "session_hours",
        "ticket_cache",
        "background",
        "smtp_url",
        "mail_from",
        "language",
        "notify_attempts",
        "notify_backoff",
        "public_url",
    ]);
    let base = path.parent().unwrap_or(Path::new("."));
    let paths = |key: &str| {
        root.get(key).and_then(|n| n.as_array()).map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(|s| base.join(s)))
                .collect::<Vec<_>>()
        })
    };
    let settings = FileSettings {
        listen: root
            .get("listen")
            .and_then(|n| n.parse_str(|s| s.parse::<SocketAddr>())),
        data_dir: root
            .get("data_dir")
            .and_then(|n| n.as_str().map(|s| base.join(s))),
        database_url: root
            .get("database_url")
            .and_then(|n| n.as_str().map(str::to_owned)),
        demo: root.get("demo").and_then(|n| n.as_bool()),
        policies: paths("policies"),
        calendars: paths("calendars"),
        log_format: root.get("log_format").and_then(|n| {
            n.parse_str(|s| match s {
                "text" => Ok(LogFormat::Text),
                "json" => Ok(LogFormat::Json),
                other => Err(format!(
                    "unknown log format {other:?}; expected text or json"
                )),
            })
        }),
        session_hours: root
            .get("session_hours")
            .and_then(|n| n.as_int())
            .filter(|h| {
                let ok = (1..=24 * 30).contains(h);
                if !ok && let Some(n) = root.get("session_hours") {
                    n.error("`session_hours` must be between 1 and 720");
                }
                ok
            }),
        ticket_cache: root
            .get("ticket_cache")
            .and_then(|n| n.as_int())
            .and_then(|v| {
                let ok = usize::try_from(v).ok();
                if ok.is_none()
                    && let Some(n) = root.get("ticket_cache")
                {
                    n.error("`ticket_cache` must be zero or more");
                }
                ok
            }),
        background: root.get("background").and_then(|n| n.as_bool()),
        smtp_url: root.get("smtp_url").and_then(|n| {
            n.parse_str(|s| {
                if s.starts_with("smtp://") || s.starts_with("smtps://") {
                    Ok(s.to_owned())
                } else {
                    Err(format!("{s:?} is not an smtp:// or smtps:// URL"))
                }
            })
        }),
        mail_from: root
            .get("mail_from")
            .and_then(|n| n.as_str().map(str::to_owned)),
        language: root
            .get("language")
            .and_then(|n| n.parse_str(|s| s.parse::<tierdesk_store::Language>())),
        notify_attempts: root.get("notify_attempts").and_then(|n| {
            let v = n.as_int()?;
            match u32::try_from(v) {
                Ok(v @ 1..=100) => Some(v),
                _ => {
                    n.error("`notify_attempts` must be between 1 and 100");
                    None
                }
            }
        }),
        notify_backoff: root
            .get("notify_backoff")
            .and_then(|n| n.parse_str(|s| s.parse::<jiff::SignedDuration>())),
        public_url: root
            .get("public_url")
            .and_then(|n| n.as_str().map(|s| s.trim_end_matches('/').to_owned())),
    };
    src.finish()?;
    Ok(settings)
}
