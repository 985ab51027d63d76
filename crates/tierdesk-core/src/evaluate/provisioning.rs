//! Provisioning (chapter 5): progress feedbacks (table 5-6), acceptance, final
//! acceptance, delivery artefacts (table 5-7), and the operator's own limits.

use tierdesk_calendar::{CalendarError, Schedule};

use super::Ctx;
use super::clock::{Timed, timed};
use super::obligation::{Detail, Obligation, ObligationName, ObligationState, ObligationTarget};
use crate::level::{Artifact, Category};
use crate::policy::{PauseSet, Requirement};
use crate::ticket::EventKind;

pub(crate) fn evaluate(ctx: &Ctx<'_>) -> Result<Vec<Obligation>, CalendarError> {
    let policy = &ctx.policy().provisioning;
    let roll = ctx.policy().roll;
    let category = ctx.spec.category.unwrap_or(Category::DedicatedLine);
    let opened = ctx
        .first_at(|k| *k == EventKind::Opened)
        .or_else(|| ctx.events.first().map(|e| e.at));
    let construction = ctx.first_at(|k| *k == EventKind::ConstructionCompleted);
    let initial = ctx.first_at(|k| *k == EventKind::InitialAcceptance);
    let delivered = ctx.first_at(|k| *k == EventKind::Delivered);
    let mut out = Vec::new();

    if let Some(survey) = &policy.resource_survey {
        out.push(match (category, ctx.spec.scope) {
            (Category::DedicatedLine, Some(scope)) => timed(
                ctx,
                Timed {
                    name: ObligationName::ResourceSurvey,
                    target: survey
                        .get(scope)
                        .get(ctx.customer)
                        .target(Schedule::Always, roll),
                    start: opened,
                    met: ctx.first_at(|k| *k == EventKind::SurveyCompleted),
                    excluded: policy.excluded_pauses,
                    starts_when: "starts when the order is opened",
                },
            )?,
            (Category::DedicatedLine, None) => Obligation::not_applicable(
                ObligationName::ResourceSurvey,
                "the ticket has no scope",
            ),
            (Category::Overlay, _) => Obligation::not_applicable(
                ObligationName::ResourceSurvey,
                "resource survey limits cover dedicated lines",
            ),
        });
    }

    out.push(match (&policy.limit, ctx.spec.scope) {
        (Some(limit), Some(scope)) => timed(
            ctx,
            Timed {
                name: ObligationName::Provision,
                target: limit
                    .get(category)
                    .get(scope)
                    .get(ctx.customer)
                    .target(Schedule::Always, roll),
                start: opened,
                met: delivered,
                excluded: policy.excluded_pauses,
                starts_when: "starts when the order is opened",
            },
        )?,
        (Some(_), None) => {
            Obligation::not_applicable(ObligationName::Provision, "the ticket has no scope")
        }
        (None, _) => Obligation::not_applicable(
            ObligationName::Provision,
            "the policy sets no provisioning limit (not in the template fragment)",
        ),
    });

    out.push(progress_feedbacks(ctx, category, opened, construction));

    out.push(timed(
        ctx,
        Timed {
            name: ObligationName::Acceptance,
            target: policy
                .acceptance
                .get(ctx.customer)
                .target(Schedule::Always, roll),
            start: construction,
            met: initial,
            excluded: policy.excluded_pauses,
            starts_when: "starts when construction completes",
        },
    )?);

    out.push(timed(
        ctx,
        Timed {
            name: ObligationName::FinalAcceptance,
            target: policy.final_within.target(Schedule::Always, roll),
            start: initial,
            met: ctx.first_at(|k| *k == EventKind::FinalAcceptance),
            excluded: PauseSet::NONE,
            starts_when: "starts with the initial acceptance",
        },
    )?);

    out.push(artifacts(ctx, opened, delivered));
    Ok(out)
}

fn progress_feedbacks(
    ctx: &Ctx<'_>,
    category: Category,
    opened: Option<jiff::Timestamp>,
    construction: Option<jiff::Timestamp>,
) -> Obligation {
    let required = *ctx
        .policy()
        .provisioning
        .progress_feedbacks
        .get(category)
        .get(ctx.customer);
    let name = ObligationName::ProgressFeedback;
    if required == 0 {
        return Obligation::not_applicable(name, "no progress feedback is required (table 5-6)");
    }
    let horizon = construction.unwrap_or(ctx.now);
    let feedbacks: Vec<_> = ctx
        .all_at(|k| *k == EventKind::Feedback)
        .into_iter()
        .filter(|&t| t <= horizon)
        .collect();
    let given = u32::try_from(feedbacks.len()).unwrap_or(u32::MAX);
    let mut o = Obligation {
        target: Some(ObligationTarget::Count(required)),
        start: opened,
        due: construction,
        detail: Some(Detail::Count { given, required }),
        ..Obligation::new(name, ObligationState::Pending)
    };
    if given >= required {
        o.state = ObligationState::Met;
        o.met_at = feedbacks.get(required as usize - 1).copied();
    } else if construction.is_some() {
        o.state = ObligationState::Breached;
    }
    o
}

fn artifacts(
    ctx: &Ctx<'_>,
    opened: Option<jiff::Timestamp>,
    delivered: Option<jiff::Timestamp>,
) -> Obligation {
    let name = ObligationName::DeliveryArtifacts;
    let required: Vec<Artifact> = Artifact::ALL
        .iter()
        .copied()
        .filter(|&a| ctx.policy().artifact_requirement(a, ctx.customer) == Requirement::Required)
        .collect();
    if required.is_empty() {
        return Obligation::not_applicable(name, "no delivery artefact is required (table 5-7)");
    }
    let handed_over = |a: Artifact| ctx.first_at(|k| *k == EventKind::Artifact { name: a });
    let missing: Vec<Artifact> = required
        .iter()
        .copied()
        .filter(|&a| handed_over(a).is_none())
        .collect();
    let all_at = if missing.is_empty() {
        required.iter().filter_map(|&a| handed_over(a)).max()
    } else {
        None
    };
    let mut o = Obligation {
        target: Some(ObligationTarget::Artifacts(required)),
        start: opened,
        due: delivered,
        met_at: all_at,
        detail: (!missing.is_empty()).then_some(Detail::Missing(missing)),
        ..Obligation::new(name, ObligationState::Pending)
    };
    o.state = match (all_at, delivered) {
        (Some(m), Some(d)) if m > d => {
            o.lateness = Some(m.duration_since(d));
            ObligationState::Breached
        }
        (Some(_), _) => ObligationState::Met,
        (None, Some(_)) => ObligationState::Breached,
        (None, None) => ObligationState::Pending,
    };
    o
}
