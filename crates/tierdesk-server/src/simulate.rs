//! What another policy would have meant: every stored ticket's history replayed
//! under a candidate policy, compared obligation by obligation with the policy
//! the ticket actually runs under. Reads only; writes nothing.

use jiff::Timestamp;
use tierdesk_core::{Engine, ObligationChange, PolicyRef, TicketId, compare};
use tierdesk_store::{ListOrder, Store, StoreError, TicketFilter, TicketHeader, Viewer};

use crate::state::Policies;

/// Which tickets to replay, and as of when.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Tickets opened at or after this instant.
    pub from: Option<Timestamp>,
    /// Tickets opened before this instant.
    pub to: Option<Timestamp>,
    /// The instant both policies are evaluated at.
    pub at: Timestamp,
}

/// One ticket whose obligations would change.
#[derive(Debug, Clone)]
pub struct TicketChanges {
    /// The ticket.
    pub header: TicketHeader,
    /// The policy it runs under.
    pub policy: PolicyRef,
    /// What would differ.
    pub changes: Vec<ObligationChange>,
}

/// The outcome of a simulation.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The candidate policy.
    pub candidate: PolicyRef,
    /// Tickets replayed.
    pub tickets: usize,
    /// Obligations compared (under the tickets' own policies).
    pub obligations: usize,
    /// Tickets whose obligations would change.
    pub changed: Vec<TicketChanges>,
    /// Tickets that could not be replayed, and why.
    pub errors: Vec<(TicketId, String)>,
}

/// Replays every ticket in `scope` under `candidate`; `progress(done)` after each page.
///
/// # Errors
/// The first store failure.
pub async fn simulate(
    store: &dyn Store,
    policies: &Policies,
    candidate: &Engine,
    scope: &Scope,
    mut progress: impl FnMut(usize),
) -> Result<Simulation, StoreError> {
    let filter = TicketFilter {
        opened_after: scope.from,
        opened_before: scope.to,
        order: ListOrder::Due,
        ..TicketFilter::default()
    };
    let mut out = Simulation {
        candidate: candidate.policy().id.clone(),
        tickets: 0,
        obligations: 0,
        changed: Vec::new(),
        errors: Vec::new(),
    };
    let mut pages = tierdesk_store::Pages::new(store, &filter, &Viewer::Staff, scope.at, 500);
    while let Some(page) = pages.next().await? {
        for summary in &page {
            let record = store.ticket(&summary.header.id, &Viewer::Staff).await?;
            out.tickets += 1;
            match replay(policies, candidate, &record, scope.at) {
                Ok((compared, changes)) => {
                    out.obligations += compared;
                    if !changes.is_empty() {
                        out.changed.push(TicketChanges {
                            policy: record.header.policy.clone(),
                            header: record.header,
                            changes,
                        });
                    }
                }
                Err(e) => out.errors.push((record.header.id, e)),
            }
        }
        progress(out.tickets);
    }
    out.changed.sort_by(|a, b| a.header.id.cmp(&b.header.id));
    Ok(out)
}

fn replay(
    policies: &Policies,
    candidate: &Engine,
    record: &tierdesk_store::TicketRecord,
    at: Timestamp,
) -> Result<(usize, Vec<ObligationChange>), String> {
    let (ticket, before) =
        crate::projection::evaluate(policies, &record.header, &record.events, at)?;
    let mut spec = ticket.spec().clone();
    spec.policy = Some(candidate.policy().id.clone());
    let under =
        tierdesk_core::Ticket::new(spec, ticket.events().to_vec()).map_err(|e| e.to_string())?;
    let after = candidate.evaluate(&under, at).map_err(|e| e.to_string())?;
    Ok((before.obligations.len(), compare(&before, &after)))
}
