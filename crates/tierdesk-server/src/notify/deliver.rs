//! Sending one notification: webhooks (JSON signed with HMAC-SHA256), e-mail
//! through SMTP, TMF621 hub listeners.

use std::time::Duration;

use hmac::{KeyInit, Mac};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sha2::Sha256;

use super::message::Message;

/// Why an attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Worth trying again later.
    Retry(String),
    /// Trying again cannot help (bad configuration, a receiver that says gone).
    Permanent(String),
}

impl Failure {
    /// The reason, for the dead-letter list.
    pub fn reason(&self) -> &str {
        match self {
            Failure::Retry(r) | Failure::Permanent(r) => r,
        }
    }
}

/// The header carrying a webhook's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256
/// of "<t>.<body>">`. A receiver recomputes it with the shared secret and rejects
/// old timestamps, so a captured request cannot be replayed later.
pub const SIGNATURE_HEADER: &str = "x-tierdesk-signature";

/// The signature of a webhook body sent at `unix_seconds`.
///
/// # Example
/// ```
/// let sig = tierdesk_server::notify::deliver::sign("secret", 1700000000, b"{}");
/// assert!(sig.starts_with("t=1700000000,v1=") && sig.len() == "t=1700000000,v1=".len() + 64);
/// ```
pub fn sign(secret: &str, unix_seconds: i64, body: &[u8]) -> String {
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(unix_seconds.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={unix_seconds},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Whether `text` is a mailbox such as `tierdesk <sla@operator.example>`.
///
/// # Errors
/// What is wrong with it.
///
/// # Example
/// ```
/// use tierdesk_server::notify::deliver::check_mailbox;
/// assert!(check_mailbox("tierdesk <sla@operator.example>").is_ok());
/// assert!(check_mailbox("not an address").is_err());
/// ```
pub fn check_mailbox(text: &str) -> Result<(), String> {
    text.parse::<Mailbox>()
        .map(|_| ())
        .map_err(|e| format!("{text:?} is not an e-mail address ({e})"))
}

/// Sends notifications; one per server, shared by the worker's tasks.
pub struct Sender {
    http: reqwest::Client,
    smtp: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
    smtp_error: Option<String>,
}

impl Sender {
    /// A sender over the configured SMTP server (if any).
    ///
    /// # Errors
    /// When no HTTP client can be built.
    pub fn new(smtp_url: Option<&str>, mail_from: &str) -> Result<Sender, String> {
        // https receivers need a TLS crypto provider; another component may have installed one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
        let (smtp, smtp_error) = match smtp_url {
            None => (
                None,
                Some("no SMTP server is configured (smtp_url)".to_owned()),
            ),
            Some(url) => match (
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url),
                mail_from.parse::<Mailbox>(),
            ) {
                (Ok(builder), Ok(from)) => (
                    Some((builder.timeout(Some(Duration::from_secs(10))).build(), from)),
                    None,
                ),
                (Err(e), _) => (None, Some(format!("smtp_url {url:?} is not usable: {e}"))),
                (_, Err(e)) => (
                    None,
                    Some(format!("mail_from {mail_from:?} is not an address: {e}")),
                ),
            },
        };
        Ok(Sender {
            http,
            smtp,
            smtp_error,
        })
    }

    /// POSTs a JSON body; `signature`, when given, goes in [`SIGNATURE_HEADER`].
    ///
    /// # Errors
    /// [`Failure::Permanent`] when the receiver answers 410 Gone; [`Failure::Retry`]
    /// for any other failure.
    pub async fn post(
        &self,
        url: &str,
        body: String,
        headers: &[(&str, String)],
    ) -> Result<(), Failure> {
        let mut request = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        match request.body(body).send().await {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) if r.status() == reqwest::StatusCode::GONE => Err(Failure::Permanent(format!(
                "{url} answered {}: the receiver is gone",
                r.status()
            ))),
            Ok(r) => Err(Failure::Retry(format!("{url} answered {}", r.status()))),
            Err(e) => Err(Failure::Retry(format!("cannot reach {url}: {e}"))),
        }
    }

    /// Sends an e-mail to `to`.
    ///
    /// # Errors
    /// [`Failure::Permanent`] without a usable SMTP server or with a malformed
    /// address; [`Failure::Retry`] when the server fails or refuses for now.
    pub async fn email(&self, to: &[String], message: &Message) -> Result<(), Failure> {
        let Some((transport, from)) = &self.smtp else {
            return Err(Failure::Permanent(
                self.smtp_error
                    .clone()
                    .unwrap_or_else(|| "no SMTP server".to_owned()),
            ));
        };
        let mut builder = lettre::Message::builder()
            .from(from.clone())
            .subject(message.subject.clone())
            .header(ContentType::TEXT_PLAIN);
        for address in to {
            let mailbox: Mailbox = address
                .parse()
                .map_err(|e| Failure::Permanent(format!("{address:?} is not an address: {e}")))?;
            builder = builder.to(mailbox);
        }
        let email = builder
            .body(message.body.clone())
            .map_err(|e| Failure::Permanent(format!("cannot build the message: {e}")))?;
        match transport.send(email).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(Failure::Permanent(format!(
                "the SMTP server refused the message: {e}"
            ))),
            Err(e) => Err(Failure::Retry(format!("SMTP: {e}"))),
        }
    }
}
