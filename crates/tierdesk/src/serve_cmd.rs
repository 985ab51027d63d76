//! `tierdesk serve`, `migrate`, `rebuild`, `user add`: the server and its chores.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use tierdesk_server::{Application, Config, LogFormat, config};
use tierdesk_store::{Id, Store, User};
use tierdesk_store_sql::Location;

use crate::cli::{ServeArgs, ServerArgs, UserCommand};
use crate::input::bad;

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// The configuration: defaults, then the file, then environment and flags (clap
/// has already put the environment under the flags).
pub(crate) fn config(args: &ServerArgs) -> anyhow::Result<Config> {
    let mut c = Config::defaults();
    let path = args.config.clone().or_else(|| {
        Path::new("tierdesk.toml")
            .exists()
            .then(|| PathBuf::from("tierdesk.toml"))
    });
    let file = match &path {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            config::read_file(p, &text).map_err(|e| bad(e.to_string()))?
        }
        None => config::FileSettings::default(),
    };
    if let Some(v) = file.listen {
        c.listen = v;
    }
    if let Some(v) = file.demo {
        c.demo = v;
    }
    if let Some(v) = file.log_format {
        c.log_format = v;
    }
    if let Some(v) = file.session_hours {
        c.session_hours = v;
    }
    if let Some(v) = file.ticket_cache {
        c.ticket_cache = v;
    }
    if let Some(v) = file.background {
        c.background = v;
    }
    c.smtp_url = file.smtp_url.or(c.smtp_url);
    if let Some(v) = file.mail_from {
        c.mail_from = v;
    }
    if let Some(v) = file.language {
        c.language = v;
    }
    if let Some(v) = file.notify_attempts {
        c.notify_attempts = v;
    }
    if let Some(v) = file.notify_backoff {
        c.notify_backoff = v;
    }
    c.public_url = file.public_url.or(c.public_url);
    c.policies = if args.policies.is_empty() {
        file.policies.unwrap_or_default()
    } else {
        args.policies.clone()
    };
    c.calendars = if args.calendars.is_empty() {
        file.calendars.unwrap_or_default()
    } else {
        args.calendars.clone()
    };
    let url = args.database_url.clone().or(file.database_url);
    let data_dir = args
        .data_dir
        .clone()
        .or(file.data_dir)
        .unwrap_or_else(|| PathBuf::from("tierdesk-data"));
    c.database = match url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Location::Postgres(url)
        }
        Some(url) => {
            return Err(bad(format!(
                "--database-url: {url:?} is not a postgres:// URL (SQLite is the default: use --data-dir)"
            )));
        }
        None => {
            std::fs::create_dir_all(&data_dir)
                .with_context(|| format!("creating {}", data_dir.display()))?;
            Location::Sqlite(data_dir.join("tierdesk.db"))
        }
    };
    Ok(c)
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is
/// called, not when the future is first polled: a signal that comes right after
/// the banner (which tells a supervisor the server is up) must stop the server
/// gracefully, not kill it with the default action.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let (mut interrupt, mut term) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).context("installing the Ctrl-C handler")?,
            signal(SignalKind::terminate()).context("installing the SIGTERM handler")?,
        )
    };
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = term.recv() => {},
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing requests in flight");
    })
}

pub fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut c = config(&args.server)?;
    if let Some(listen) = &args.listen {
        c.listen = listen.parse().map_err(|e| {
            bad(format!(
                "--listen: {listen:?} is not an address such as 127.0.0.1:8080 ({e})"
            ))
        })?;
    }
    c.demo |= args.demo;
    if let Some(n) = args.ticket_cache {
        c.ticket_cache = n;
    }
    if let Some(url) = &args.smtp_url {
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            return Err(bad(format!(
                "--smtp-url: {url:?} is not an smtp:// or smtps:// URL"
            )));
        }
        c.smtp_url = Some(url.clone());
    }
    if let Some(from) = &args.mail_from {
        tierdesk_server::notify::deliver::check_mailbox(from)
            .map_err(|e| bad(format!("--mail-from: {e}")))?;
        c.mail_from = from.clone();
    }
    if let Some(url) = &args.public_url {
        c.public_url = Some(url.trim_end_matches('/').to_owned());
    }
    c.background &= !args.no_background;
    if let Some(f) = &args.log_format {
        c.log_format = match f.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(bad(format!(
                    "--log-format: {other:?}; expected text or json"
                )));
            }
        };
    }
    init_logging(c.log_format);
    let demo = c.demo;
    let location = c.database.clone();
    runtime()?.block_on(async move {
        let app = Application::build(c).await?;
        let shutdown = shutdown_signal()?;
        let addr = app.local_addr()?;
        let base = format!("http://{addr}");
        let backend = match &location {
            Location::Sqlite(p) => format!("SQLite at {}", p.display()),
            Location::Postgres(_) => "PostgreSQL".to_owned(),
        };
        let mut banner = format!(
            "tierdesk is running on {backend}\n  web console  {base}/\n  API docs     {base}/api/docs\n  OpenAPI      {base}/api/openapi.json\n  TMF621       {base}/tmf-api/troubleTicket/v5/troubleTicket\n  health       {base}/healthz  {base}/readyz  {base}/metrics\n"
        );
        if demo {
            let token = tierdesk_server::mint_token(app.state().store.as_ref(), &"admin".parse()?, "demo start", app.state().now())
                .await
                .map_err(|p| anyhow::anyhow!(p.detail))?;
            banner.push_str(&format!(
                "\nDemo operator loaded. Console users (password {:?}): {}\nAPI token of user admin (shown once):\n  curl -H 'Authorization: Bearer {}' {base}/api/v1/tickets\n",
                tierdesk_server::DEMO_PASSWORD,
                tierdesk_server::DEMO_USERS.iter().map(|u| format!("{} ({})", u.id, u.role)).collect::<Vec<_>>().join(", "),
                token.token,
            ));
        } else {
            banner.push_str("\nCreate the first admin with: tierdesk user add NAME --role admin\n");
        }
        println!("{banner}");
        std::io::stdout().flush()?;
        app.run_until(shutdown).await?;
        anyhow::Ok(ExitCode::SUCCESS)
    })
}

async fn open(args: &ServerArgs) -> anyhow::Result<Arc<dyn Store>> {
    let c = config(args)?;
    Ok(tierdesk_store_sql::open(&c.database).await?)
}

pub fn migrate(args: ServerArgs) -> anyhow::Result<ExitCode> {
    let c = config(&args)?;
    runtime()?.block_on(async move {
        tierdesk_store_sql::open(&c.database).await?;
        let location = match &c.database {
            Location::Sqlite(p) => format!("SQLite database {}", p.display()),
            Location::Postgres(_) => "PostgreSQL database".to_owned(),
        };
        println!("migrated: the {location} is at the current schema");
        Ok(ExitCode::SUCCESS)
    })
}

pub fn rebuild(args: ServerArgs) -> anyhow::Result<ExitCode> {
    let c = config(&args)?;
    runtime()?.block_on(async move {
        let store = tierdesk_store_sql::open(&c.database).await?;
        let calendar = tierdesk_server::calendar(&c)?;
        let now = jiff::Timestamp::now();
        let policies = tierdesk_server::policies(store.as_ref(), &c, calendar, now).await?;
        let started = std::time::Instant::now();
        let done = tierdesk_server::rebuild(store.as_ref(), &policies, now, |n| {
            eprint!("\rrebuilt {n} tickets");
        })
        .await?;
        eprintln!();
        println!(
            "rebuilt the projections of {done} tickets from their histories in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        Ok(ExitCode::SUCCESS)
    })
}

pub fn user(cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let UserCommand::Add {
        name,
        role,
        customer,
        department,
        display_name,
        password_stdin,
        server,
    } = cmd;
    let id: Id = name.parse().map_err(|e| bad(format!("NAME: {e}")))?;
    let role: tierdesk_core::Role = role.parse().map_err(|e| bad(format!("--role: {e}")))?;
    let customer: Option<Id> = customer
        .map(|c| c.parse().map_err(|e| bad(format!("--customer: {e}"))))
        .transpose()?;
    let department: Option<Id> = department
        .map(|d| d.parse().map_err(|e| bad(format!("--department: {e}"))))
        .transpose()?;
    if (role == tierdesk_core::Role::Customer) != customer.is_some() {
        return Err(bad(
            "a customer user needs --customer, and only customer users take it",
        ));
    }
    let password_hash = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let password = line.trim_end_matches(['\r', '\n']);
        if password.chars().count() < 10 {
            return Err(bad("the password must have at least 10 characters"));
        }
        Some(tierdesk_server::auth::hash_password(password).map_err(anyhow::Error::msg)?)
    } else {
        None
    };
    runtime()?.block_on(async move {
        let store = open(&server).await?;
        let now = jiff::Timestamp::now();
        let user = User {
            name: display_name.unwrap_or_else(|| id.to_string()),
            id: id.clone(),
            role,
            customer_id: customer,
            department_id: department,
            email: None,
            password_hash,
            disabled: false,
        };
        store.create_user(&user, now).await.map_err(|e| match e {
            tierdesk_store::StoreError::AlreadyExists { .. }
            | tierdesk_store::StoreError::Reference(_) => bad(e.to_string()),
            other => anyhow::Error::new(other),
        })?;
        let token = tierdesk_server::mint_token(store.as_ref(), &id, "tierdesk user add", now)
            .await
            .map_err(|p| anyhow::anyhow!(p.detail))?;
        println!(
            "created user {id} ({role}); its API token, shown this once:\n{}",
            token.token
        );
        Ok(ExitCode::SUCCESS)
    })
}
