//! The server's background work: the SLA scheduler and the notification worker,
//! each a loop that does what is due, then sleeps until the next thing is due,
//! a write wakes it, or a second passes (another instance may have queued work).

use std::future::Future;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::state::AppState;

/// The longest a loop sleeps without looking at the queue again: work queued by
/// another instance is picked up within this.
pub const POLL: SignedDuration = SignedDuration::from_millis(500);

/// Wakes a loop early: a write on this instance queued work it must not wait
/// for. Work queued elsewhere (another instance) is found within [`POLL`].
#[derive(Debug)]
pub struct Wake {
    scheduler: watch::Sender<u64>,
    notifier: watch::Sender<u64>,
}

impl Default for Wake {
    fn default() -> Self {
        Wake {
            scheduler: watch::Sender::new(0),
            notifier: watch::Sender::new(0),
        }
    }
}

fn bump(tx: &watch::Sender<u64>) {
    tx.send_modify(|n| *n = n.wrapping_add(1));
}

impl Wake {
    /// Wakes the notifier: notifications were queued.
    pub fn notifications(&self) {
        bump(&self.notifier);
    }

    /// Wakes the scheduler if any of `timers` fires before its next look at the
    /// queue would find it (within [`POLL`] of `now`).
    fn timers(&self, timers: &[tierdesk_core::Timer], now: Timestamp) {
        let soon = now.checked_add(POLL).unwrap_or(now);
        if timers.iter().any(|t| t.fire_at <= soon) {
            bump(&self.scheduler);
        }
    }

    /// What a write queued: the scheduler and the notifier look at once if needed.
    pub fn written(&self, timers: &[tierdesk_core::Timer], notified: bool, now: Timestamp) {
        self.timers(timers, now);
        if notified {
            self.notifications();
        }
    }
}

/// The running loops; [`Background::stop`] ends them after their current round.
pub struct Background {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Background {
    /// Starts the scheduler and the notification worker on `state`.
    pub fn start(state: &AppState) -> Background {
        let (stop, _) = watch::channel(false);
        let owner = instance_name();
        let scheduler = {
            let (tick_state, next_state, owner) = (state.clone(), state.clone(), owner.clone());
            run(
                state.clone(),
                "scheduler",
                state.wake.scheduler.subscribe(),
                stop.subscribe(),
                move || {
                    let (state, owner) = (tick_state.clone(), owner.clone());
                    async move { crate::scheduler::tick(&state, &owner).await.map(|_| ()) }
                },
                move || {
                    let state = next_state.clone();
                    async move { state.store.next_timer(state.clock.precise_now()).await }
                },
            )
        };
        let notifier = {
            let (tick_state, next_state) = (state.clone(), state.clone());
            run(
                state.clone(),
                "notifier",
                state.wake.notifier.subscribe(),
                stop.subscribe(),
                move || {
                    let (state, owner) = (tick_state.clone(), owner.clone());
                    async move {
                        crate::notify::worker::tick(&state, &owner)
                            .await
                            .map(|_| ())
                    }
                },
                move || {
                    let state = next_state.clone();
                    async move {
                        state
                            .store
                            .next_notification(state.clock.precise_now())
                            .await
                    }
                },
            )
        };
        Background {
            stop,
            tasks: vec![scheduler, notifier],
        }
    }

    /// Stops the loops and waits for them to finish their current round.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// A name for this instance's leases: host and process.
fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "host".to_owned());
    let mut bytes = [0u8; 4];
    let _ = getrandom::fill(&mut bytes);
    format!("{host}:{}:{}", std::process::id(), hex::encode(bytes))
}

fn run<T, N, TF, NF>(
    state: AppState,
    name: &'static str,
    mut woken: watch::Receiver<u64>,
    mut stop: watch::Receiver<bool>,
    tick: T,
    next: N,
) -> JoinHandle<()>
where
    T: Fn() -> TF + Send + 'static,
    TF: Future<Output = Result<(), tierdesk_store::StoreError>> + Send,
    N: Fn() -> NF + Send + 'static,
    NF: Future<Output = Result<Option<Timestamp>, tierdesk_store::StoreError>> + Send,
{
    tokio::spawn(async move {
        loop {
            if *stop.borrow() {
                return;
            }
            woken.mark_unchanged();
            if let Err(e) = tick().await {
                tracing::warn!(task = name, error = %e, "background round failed; trying again");
            }
            let next = next().await;
            // The precise clock: `now()` rounds down to the second, and a poll computed
            // from it could lie in the past and spin the loop.
            let now = state.clock.precise_now();
            let poll = now.checked_add(POLL).unwrap_or(now);
            let wake_at = match next {
                // Came due while the round ran (or the clock moved): another round.
                Ok(Some(at)) if at <= now => continue,
                Ok(Some(at)) => at.min(poll),
                Ok(None) | Err(_) => poll,
            };
            tokio::select! {
                () = state.clock.sleep_until(wake_at) => {}
                _ = woken.changed() => {}
                _ = stop.changed() => return,
            }
        }
    })
}
