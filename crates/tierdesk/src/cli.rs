//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// tierdesk: service-level management for operators selling network services to enterprises.
///
/// Exit status: 0 on success, 2 when input was rejected (with a message naming
/// the file, line and field), 1 on any other failure.
#[derive(Debug, Parser)]
#[command(name = "tierdesk", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Working-day calendars: list days, add working days.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Evaluate SLA obligations of tickets.
    #[command(subcommand)]
    Sla(SlaCommand),
    /// Check and show SLA policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Turn another system's ticket history into tierdesk tickets (JSON Lines on stdout).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Run the server: REST and TMF621 API, web console, metrics.
    Serve(ServeArgs),
    /// Apply database migrations and exit (serve also migrates on start).
    Migrate(ServerArgs),
    /// Recompute every ticket's derived state (projection) from its history.
    Rebuild(ServerArgs),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Replay the stored tickets' histories under another policy and report which
    /// obligations would change state or due instant (writes nothing).
    Simulate(SimulateArgs),
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The database, configuration and calendars, as for `serve`; `--policy FILE`
    /// is the candidate policy the tickets are replayed under (required).
    #[command(flatten)]
    pub server: ServerArgs,
    /// Only tickets opened on or after this day (YYYY-MM-DD, in the policy's time zone) or instant (RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only tickets opened before this day (YYYY-MM-DD: before its start) or instant.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Evaluate both policies as of this instant (RFC 3339). Default: now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// JSON on stdout instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Where the server's data and configuration are. Each setting comes from the
/// flag, else the environment variable, else the configuration file, else the default.
#[derive(Debug, Args, Clone)]
pub struct ServerArgs {
    /// Configuration file (TOML). Default: ./tierdesk.toml when it exists.
    #[arg(long, env = "TIERDESK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory of the embedded SQLite database. Default: ./tierdesk-data.
    #[arg(long, env = "TIERDESK_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Use PostgreSQL instead of SQLite (several instances may share it).
    #[arg(long, env = "TIERDESK_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Policy file; repeatable; the last is the one new tickets start under. Default: the shipped template.
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<PathBuf>,
    /// Calendar file on top of the statutory calendar; repeatable.
    #[arg(long = "calendar", value_name = "FILE")]
    pub calendars: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub server: ServerArgs,
    /// Address to listen on. Default: 127.0.0.1:8080.
    #[arg(long, env = "TIERDESK_LISTEN", value_name = "ADDR")]
    pub listen: Option<String>,
    /// Load a demo operator (customers at every level, services, tickets in every state) into an empty database.
    #[arg(long, env = "TIERDESK_DEMO")]
    pub demo: bool,
    /// Log format: text or json.
    #[arg(long, env = "TIERDESK_LOG_FORMAT", value_name = "FORMAT")]
    pub log_format: Option<String>,
    /// Tickets kept in memory for reads (0 turns the cache off). Default: 100000.
    #[arg(long, env = "TIERDESK_TICKET_CACHE", value_name = "N")]
    pub ticket_cache: Option<usize>,
    /// SMTP server for e-mail notifications: smtp://host:port, smtps://user:pass@host, smtp://host?tls=required.
    #[arg(long, env = "TIERDESK_SMTP_URL", value_name = "URL")]
    pub smtp_url: Option<String>,
    /// Sender of e-mail notifications, e.g. "tierdesk <sla@operator.example>".
    #[arg(long, env = "TIERDESK_MAIL_FROM", value_name = "ADDRESS")]
    pub mail_from: Option<String>,
    /// Where people reach this server, for links in notifications (e.g. https://sla.operator.example).
    #[arg(long, env = "TIERDESK_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Do not run the SLA scheduler and the notifier in this instance (another one does).
    #[arg(long, env = "TIERDESK_NO_BACKGROUND")]
    pub no_background: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user and print a new API token for it, once.
    Add {
        /// Login name (letters, digits, '.', '_', ':', '-').
        name: String,
        /// admin, account_manager, hotline, operations, construction, maintenance or customer.
        #[arg(long)]
        role: String,
        /// For a customer user: the customer's id.
        #[arg(long)]
        customer: Option<String>,
        /// For staff: the department's id.
        #[arg(long)]
        department: Option<String>,
        /// Display name (default: the login name).
        #[arg(long)]
        display_name: Option<String>,
        /// Read a console password from stdin (first line).
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        server: ServerArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A ServiceNow incident audit log (CSV, one row per update): one fault ticket per incident.
    ///
    /// "Awaiting User Info" becomes a customer pause, "Awaiting Vendor" an
    /// interconnection pause, other "Awaiting" states an `other` pause; the first
    /// "Resolved" is the restoration; priority 1-4 maps to gold/AAA .. standard/ordinary.
    Servicenow {
        /// The CSV file, or `-` for stdin.
        file: PathBuf,
        /// Time zone of the log's local times.
        #[arg(long, default_value = "Asia/Shanghai")]
        time_zone: String,
        /// Scope given to every ticket.
        #[arg(long, default_value = "city")]
        scope: String,
    },
}

/// Calendar files on top of the shipped statutory calendar.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Extra calendar file (statutory year TOML, operator days TOML, or .ics), applied in order; repeatable.
    #[arg(long = "calendar", value_name = "FILE")]
    pub calendars: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// List the days from FROM to TO (both included) with their working-day status.
    Days {
        /// First day, YYYY-MM-DD.
        from: String,
        /// Last day, YYYY-MM-DD.
        to: String,
        /// JSON array on stdout instead of a table.
        #[arg(long)]
        json: bool,
        /// Only days that are not ordinary weekdays or weekends (holidays, make-up and operator days).
        #[arg(long)]
        special: bool,
        #[command(flatten)]
        calendar: CalendarArgs,
    },
    /// The N-th working day after DATE (before it when N is negative); DATE itself never counts.
    AddWorkingDays {
        /// Start date, YYYY-MM-DD (not with --batch).
        #[arg(required_unless_present = "batch", allow_hyphen_values = true)]
        date: Option<String>,
        /// Number of working days; negative counts backwards (not with --batch).
        #[arg(required_unless_present = "batch", allow_hyphen_values = true)]
        n: Option<i32>,
        /// Read lines `DATE,N` from FILE (`-` for stdin) and write one result a line.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["date", "n"])]
        batch: Option<PathBuf>,
        #[command(flatten)]
        calendar: CalendarArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum SlaCommand {
    /// Evaluate the obligations of a ticket (or, with --batch, of JSON Lines of tickets).
    Evaluate {
        /// Ticket JSON file, or `-` for stdin.
        file: PathBuf,
        /// Evaluate as of this instant (RFC 3339); events after it are ignored. Default: now.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
        /// JSON on stdout instead of a table.
        #[arg(long)]
        json: bool,
        /// FILE holds JSON Lines, one ticket a line; bad lines are reported and the rest evaluated.
        #[arg(long)]
        batch: bool,
        /// Policy file; repeatable: a ticket naming a policy version uses that one, others the last given.
        /// Default: the shipped template.
        #[arg(long = "policy", value_name = "FILE")]
        policies: Vec<PathBuf>,
        #[command(flatten)]
        calendar: CalendarArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Check a policy file; every error is reported with line and column.
    Check {
        /// Policy TOML file.
        file: PathBuf,
    },
    /// Print the shipped default policy (the template) as TOML.
    Default,
}
