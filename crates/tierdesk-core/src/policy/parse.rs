//! Reading a policy file: every error with line and column, all at once.
//!
//! A policy may start from the shipped template with `extends = "default"` in
//! `[policy]`; then every key it leaves out keeps the template's value, down to a
//! single level of a single table.

use std::str::FromStr;

use jiff::SignedDuration;
use jiff::tz::TimeZone;
use tierdesk_calendar::{Period, Roll, Schedule};
use tierdesk_source::{Node, SourceErrors, TomlSource};

use super::model::*;
use crate::level::{
    Artifact, AssuranceLevel, Category, CustomerLevel, NoticeChannel, NoticeRecipient, PauseReason,
    PerAssurance, PerCategory, PerCustomer, PerScope, Scope,
};

/// A place in the document that may or may not hold a value.
#[derive(Clone)]
struct Slot<'s> {
    src: &'s TomlSource<'s>,
    node: Option<Node<'s>>,
    /// Where to report the value missing: the nearest enclosing table that exists.
    at: usize,
    path: String,
}

impl<'s> Slot<'s> {
    fn child(&self, key: &str) -> Slot<'s> {
        let path = if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        };
        match self.node.as_ref().and_then(Node::as_table) {
            Some(table) => {
                let node = table.get(key);
                let at = node.as_ref().map_or(self.at, Node::offset);
                Slot {
                    src: self.src,
                    node,
                    at,
                    path,
                }
            }
            None => Slot {
                src: self.src,
                node: None,
                at: self.at,
                path,
            },
        }
    }

    fn allow(&self, keys: &[&str]) {
        if let Some(table) = self.node.as_ref().and_then(|n| n.as_table()) {
            table.reject_unknown(keys);
        }
    }

    fn missing(&self) {
        self.src
            .error_at(self.at, format!("missing `{}`", self.path));
    }

    /// The value here, read by `read`; else the base value; else "missing".
    fn leaf<T: Clone>(
        &self,
        base: Option<&T>,
        read: impl FnOnce(&Node<'s>) -> Option<T>,
    ) -> Option<T> {
        match &self.node {
            Some(node) => read(node),
            None => match base {
                Some(b) => Some(b.clone()),
                None => {
                    self.missing();
                    None
                }
            },
        }
    }

    /// An optional section: read when present, else the base's (possibly absent) value.
    fn optional<T: Clone>(
        &self,
        base: Option<&Option<T>>,
        read: impl FnOnce(&Slot<'s>, Option<&T>) -> Option<T>,
    ) -> Option<Option<T>> {
        let inner = base.and_then(Option::as_ref);
        match self.node {
            Some(_) => read(self, inner).map(Some),
            None => Some(base.cloned().flatten()),
        }
    }
}

fn parse_value<T: FromStr>(node: &Node<'_>) -> Option<T>
where
    T::Err: std::fmt::Display,
{
    node.parse_str(T::from_str)
}

fn levels<'s, T: Clone, const N: usize>(
    slot: &Slot<'s>,
    base: Option<&[T; N]>,
    keys: [&str; N],
    read: impl Fn(&Slot<'s>, Option<&T>) -> Option<T>,
) -> Option<[T; N]> {
    if slot.node.is_none() && base.is_some() {
        return base.cloned();
    }
    if slot.node.is_none() {
        slot.missing();
        return None;
    }
    slot.node.as_ref()?.as_table()?;
    slot.allow(&keys);
    let values: Vec<Option<T>> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| read(&slot.child(key), base.map(|b| &b[i])))
        .collect();
    let values: Option<Vec<T>> = values.into_iter().collect();
    values.and_then(|v| v.try_into().ok())
}

fn per_customer<'s, T: Clone>(
    slot: &Slot<'s>,
    base: Option<&PerCustomer<T>>,
    read: impl Fn(&Slot<'s>, Option<&T>) -> Option<T>,
) -> Option<PerCustomer<T>> {
    let keys = CustomerLevel::ALL.map(CustomerLevel::as_str);
    levels(slot, base.map(|b| &b.0), keys, read).map(PerCustomer)
}

fn per_assurance<'s, T: Clone>(
    slot: &Slot<'s>,
    base: Option<&PerAssurance<T>>,
    read: impl Fn(&Slot<'s>, Option<&T>) -> Option<T>,
) -> Option<PerAssurance<T>> {
    let keys = AssuranceLevel::ALL.map(AssuranceLevel::as_str);
    levels(slot, base.map(|b| &b.0), keys, read).map(PerAssurance)
}

fn per_scope<'s, T: Clone>(
    slot: &Slot<'s>,
    base: Option<&PerScope<T>>,
    read: impl Fn(&Slot<'s>, Option<&T>) -> Option<T>,
) -> Option<PerScope<T>> {
    let keys = Scope::ALL.map(Scope::as_str);
    levels(slot, base.map(|b| &b.0), keys, read).map(PerScope)
}

fn per_category<'s, T: Clone>(
    slot: &Slot<'s>,
    base: Option<&PerCategory<T>>,
    read: impl Fn(&Slot<'s>, Option<&T>) -> Option<T>,
) -> Option<PerCategory<T>> {
    let keys = Category::ALL.map(Category::as_str);
    levels(slot, base.map(|b| &b.0), keys, read).map(PerCategory)
}

/// What kinds of period a table accepts.
#[derive(Clone, Copy)]
enum Allowed {
    /// Clock durations only.
    Clock,
    /// Working days or calendar days.
    Days,
    /// Working days only.
    WorkingDays,
    /// Anything a clock that may be paused can use: clock time or working days.
    Pausable,
    /// Any period.
    Any,
}

fn period(slot: &Slot<'_>, base: Option<&Period>, allowed: Allowed) -> Option<Period> {
    slot.leaf(base, |node| {
        let p: Period = parse_value(node)?;
        let ok = match (allowed, p) {
            (_, Period::Clock(d)) if d <= SignedDuration::ZERO => {
                node.error(format!("`{}`: a time limit must be longer than zero", node.path()));
                return None;
            }
            (Allowed::Clock, Period::Clock(_)) => true,
            (Allowed::Days, Period::WorkingDays(_) | Period::Days(_)) => true,
            (Allowed::WorkingDays, Period::WorkingDays(_)) => true,
            (Allowed::Pausable, Period::Clock(_) | Period::WorkingDays(_)) => true,
            (Allowed::Any, _) => true,
            _ => false,
        };
        if !ok {
            let expected = match allowed {
                Allowed::Clock => "clock time such as \"PT30M\"",
                Allowed::Days => "working days (\"4 working days\") or calendar days (\"P1D\")",
                Allowed::WorkingDays => "working days, such as \"3 working days\"",
                Allowed::Pausable => "clock time (\"PT2H\") or working days: pauses cannot stop calendar days or months",
                Allowed::Any => "a period",
            };
            node.error(format!("`{}`: {p} is not allowed here; expected {expected}", node.path()));
            return None;
        }
        Some(p)
    })
}

fn pause_set(slot: &Slot<'_>, base: Option<&PauseSet>) -> Option<PauseSet> {
    slot.leaf(base, |node| {
        let items = node.as_array()?;
        let mut set = PauseSet::NONE;
        let mut ok = true;
        for item in items {
            match parse_value::<PauseReason>(&item) {
                Some(r) => set = set.with(r),
                None => ok = false,
            }
        }
        ok.then_some(set)
    })
}

fn clock_rules(slot: &Slot<'_>, base: Option<&ClockRules>) -> Option<ClockRules> {
    let schedule = slot.child("schedule").leaf(
        Some(&base.map_or(Schedule::Always, |b| b.schedule)),
        parse_value,
    );
    let excluded = pause_set(
        &slot.child("excluded_pauses"),
        base.map(|b| &b.excluded_pauses),
    );
    Some(ClockRules {
        schedule: schedule?,
        excluded_pauses: excluded?,
    })
}

fn hours_table(
    slot: &Slot<'_>,
    base: Option<&PerScope<PerAssurance<Period>>>,
) -> Option<PerScope<PerAssurance<Period>>> {
    per_scope(slot, base, |s, b| {
        per_assurance(s, b, |s, b| period(s, b, Allowed::Pausable))
    })
}

fn read_fault(slot: &Slot<'_>, base: Option<&FaultPolicy>) -> Option<FaultPolicy> {
    slot.allow(&[
        "schedule",
        "excluded_pauses",
        "restore",
        "progress_feedback",
        "restoration_feedback",
        "written_report",
        "network_quality",
    ]);
    let clock = clock_rules(slot, base.map(|b| &b.clock));
    let restore = hours_table(&slot.child("restore"), base.map(|b| &b.restore));
    let progress = per_customer(
        &slot.child("progress_feedback"),
        base.map(|b| &b.progress_feedback),
        |s, b| {
            s.leaf(b, |node| {
            let text = node.as_str()?;
            if text == "on_request" {
                return Some(None);
            }
            match text.parse::<Period>() {
                Ok(Period::Clock(d)) if d > SignedDuration::ZERO => Some(Some(d)),
                _ => {
                    node.error(format!("`{}`: expected a cadence such as \"PT30M\" or \"on_request\", not {text:?}", node.path()));
                    None
                }
            }
        })
        },
    );
    let rf = slot.child("restoration_feedback");
    rf.allow(&["within"]);
    let restoration_feedback = period(
        &rf.child("within"),
        base.map(|b| &b.restoration_feedback),
        Allowed::Clock,
    );
    let written = per_customer(
        &slot.child("written_report"),
        base.map(|b| &b.written_report),
        |s, b| {
            s.allow(&["mode", "within", "document"]);
            let mode = s
                .child("mode")
                .leaf(b.map(|b| &b.mode), |n| match n.as_str()? {
                    "proactive" => Some(ReportMode::Proactive),
                    "on_request" => Some(ReportMode::OnRequest),
                    other => {
                        n.error(format!(
                            "`{}`: unknown mode {other:?}; expected proactive or on_request",
                            n.path()
                        ));
                        None
                    }
                });
            let within_slot = s.child("within");
            let within = if within_slot.node.is_some() {
                period(&within_slot, None, Allowed::Any).map(Some)
            } else if s.node.is_some() {
                Some(None)
            } else {
                b.map(|b| b.within)
            };
            let document = s.child("document").leaf(Some(&b.map_or(ReportDocument::Report, |b| b.document)), |n| match n.as_str()? {
            "report" => Some(ReportDocument::Report),
            "confirmation_form" => Some(ReportDocument::ConfirmationForm),
            other => {
                n.error(format!("`{}`: unknown document {other:?}; expected report or confirmation_form", n.path()));
                None
            }
        });
            let mode = mode?;
            if mode == ReportMode::Proactive && within == Some(None) {
                s.src.error_at(
                    s.at,
                    format!("`{}`: a proactive report needs `within`", s.path),
                );
                return None;
            }
            Some(WrittenReport {
                mode,
                within: within?,
                document: document?,
            })
        },
    );
    let nq = slot.child("network_quality");
    nq.allow(&["repeat_faults", "interruption"]);
    let base_repeat = base.map(|b| PerAssurance(b.network_quality.0.map(|q| q.repeat_faults)));
    let base_interruption = base.map(|b| PerAssurance(b.network_quality.0.map(|q| q.interruption)));
    let repeat = per_assurance(&nq.child("repeat_faults"), base_repeat.as_ref(), |s, b| {
        s.leaf(b, |n| {
            let v = n.as_int()?;
            u32::try_from(v).ok().or_else(|| {
                n.error(format!("`{}` must be a count of faults, not {v}", n.path()));
                None
            })
        })
    });
    let interruption = per_assurance(
        &nq.child("interruption"),
        base_interruption.as_ref(),
        |s, b| {
            s.leaf(b, |n| match parse_value::<Period>(n)? {
                Period::Clock(d) => Some(d),
                other => {
                    n.error(format!(
                        "`{}`: {other} is not allowed here; expected hours such as \"PT6H\"",
                        n.path()
                    ));
                    None
                }
            })
        },
    );
    let network_quality = match (repeat, interruption) {
        (Some(r), Some(i)) => Some(PerAssurance(std::array::from_fn(|k| NetworkQuality {
            repeat_faults: r.0[k],
            interruption: i.0[k],
        }))),
        _ => None,
    };
    Some(FaultPolicy {
        clock: clock?,
        restore: restore?,
        progress_feedback: progress?,
        restoration_feedback: restoration_feedback?,
        written_report: written?,
        network_quality: network_quality?,
    })
}

fn read_complaint(slot: &Slot<'_>, base: Option<&ComplaintPolicy>) -> Option<ComplaintPolicy> {
    slot.allow(&["schedule", "excluded_pauses", "resolve"]);
    let clock = clock_rules(slot, base.map(|b| &b.clock));
    let resolve = hours_table(&slot.child("resolve"), base.map(|b| &b.resolve));
    Some(ComplaintPolicy {
        clock: clock?,
        resolve: resolve?,
    })
}

fn limit_table(
    slot: &Slot<'_>,
    base: Option<&PerScope<PerCustomer<Period>>>,
) -> Option<PerScope<PerCustomer<Period>>> {
    per_scope(slot, base, |s, b| {
        per_customer(s, b, |s, b| period(s, b, Allowed::WorkingDays))
    })
}

fn read_provisioning(
    slot: &Slot<'_>,
    base: Option<&ProvisioningPolicy>,
) -> Option<ProvisioningPolicy> {
    slot.allow(&[
        "excluded_pauses",
        "progress_feedbacks",
        "acceptance",
        "delivery_artifacts",
        "limit",
        "resource_survey",
    ]);
    let excluded = pause_set(
        &slot.child("excluded_pauses"),
        base.map(|b| &b.excluded_pauses),
    );
    let feedbacks = per_category(
        &slot.child("progress_feedbacks"),
        base.map(|b| &b.progress_feedbacks),
        |s, b| {
            per_customer(s, b, |s, b| {
                s.leaf(b, |n| {
                    let v = n.as_int()?;
                    u32::try_from(v).ok().or_else(|| {
                        n.error(format!(
                            "`{}` must be a count of feedbacks, not {v}",
                            n.path()
                        ));
                        None
                    })
                })
            })
        },
    );
    let acc = slot.child("acceptance");
    acc.allow(&["after_construction", "final_within"]);
    let acceptance = per_customer(
        &acc.child("after_construction"),
        base.map(|b| &b.acceptance),
        |s, b| period(s, b, Allowed::Days),
    );
    let final_within = period(
        &acc.child("final_within"),
        base.map(|b| &b.final_within),
        Allowed::Any,
    );
    let arts = slot.child("delivery_artifacts");
    arts.allow(&Artifact::ALL.map(Artifact::as_str));
    let artifacts: Vec<Option<PerCustomer<Requirement>>> = Artifact::ALL
        .iter()
        .map(|a| {
            per_customer(&arts.child(a.as_str()), base.map(|b| &b.artifacts[a.index()]), |s, b| {
                s.leaf(b, |n| match n.as_str()? {
                    "required" => Some(Requirement::Required),
                    "optional" => Some(Requirement::Optional),
                    "not_required" => Some(Requirement::NotRequired),
                    other => {
                        n.error(format!("`{}`: unknown mark {other:?}; expected required, optional or not_required", n.path()));
                        None
                    }
                })
            })
        })
        .collect();
    let limit = slot
        .child("limit")
        .optional(base.map(|b| &b.limit), |s, b| {
            per_category(s, b, limit_table)
        });
    let survey = slot
        .child("resource_survey")
        .optional(base.map(|b| &b.resource_survey), limit_table);
    let artifacts: Option<Vec<_>> = artifacts.into_iter().collect();
    Some(ProvisioningPolicy {
        excluded_pauses: excluded?,
        progress_feedbacks: feedbacks?,
        acceptance: acceptance?,
        final_within: final_within?,
        artifacts: artifacts?.try_into().ok()?,
        limit: limit?,
        resource_survey: survey?,
    })
}

fn read_change(slot: &Slot<'_>, base: Option<&ChangePolicy>) -> Option<ChangePolicy> {
    slot.allow(&[
        "excluded_pauses",
        "suspend",
        "close",
        "rebuild_cutover",
        "resume",
    ]);
    let excluded = pause_set(
        &slot.child("excluded_pauses"),
        base.map(|b| &b.excluded_pauses),
    );
    let suspend = period(
        &slot.child("suspend"),
        base.map(|b| &b.suspend),
        Allowed::WorkingDays,
    );
    let close = period(
        &slot.child("close"),
        base.map(|b| &b.close),
        Allowed::Pausable,
    );
    let cutover = period(
        &slot.child("rebuild_cutover"),
        base.map(|b| &b.rebuild_cutover),
        Allowed::WorkingDays,
    );
    let resume = per_category(&slot.child("resume"), base.map(|b| &b.resume), |s, b| {
        per_scope(s, b, |s, b| {
            per_customer(s, b, |s, b| period(s, b, Allowed::Pausable))
        })
    });
    Some(ChangePolicy {
        excluded_pauses: excluded?,
        suspend: suspend?,
        close: close?,
        resume: resume?,
        rebuild_cutover: cutover?,
    })
}

fn read_notice(slot: &Slot<'_>, base: Option<&NoticePolicy>) -> Option<NoticePolicy> {
    slot.allow(&[
        "advance",
        "recipient",
        "channels",
        "confirm_before",
        "reschedule_on_request",
        "confirm_after",
        "emergency",
    ]);
    let advance = per_customer(&slot.child("advance"), base.map(|b| &b.advance), |s, b| {
        period(s, b, Allowed::Days)
    });
    let recipient = per_customer(
        &slot.child("recipient"),
        base.map(|b| &b.recipient),
        |s, b| s.leaf(b, parse_value::<NoticeRecipient>),
    );
    let channels = per_customer(
        &slot.child("channels"),
        base.map(|b| &b.channels),
        |s, b| {
            s.leaf(b, |n| {
                let items = n.as_array()?;
                if items.is_empty() {
                    n.error(format!("`{}` needs at least one channel", n.path()));
                    return None;
                }
                items
                    .iter()
                    .map(parse_value::<NoticeChannel>)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .collect()
            })
        },
    );
    let confirm_before = per_customer(
        &slot.child("confirm_before"),
        base.map(|b| &b.confirm_before),
        |s, b| {
            s.leaf(b, |n| match n.as_str()? {
                "written" => Some(Confirmation::Written),
                "yes" => Some(Confirmation::Yes),
                "no" => Some(Confirmation::No),
                other => {
                    n.error(format!(
                        "`{}`: unknown value {other:?}; expected written, yes or no",
                        n.path()
                    ));
                    None
                }
            })
        },
    );
    let reschedule = per_customer(
        &slot.child("reschedule_on_request"),
        base.map(|b| &b.reschedule_on_request),
        |s, b| s.leaf(b, Node::as_bool),
    );
    let confirm_after = per_customer(
        &slot.child("confirm_after"),
        base.map(|b| &b.confirm_after),
        |s, b| s.leaf(b, Node::as_bool),
    );
    let emergency = period(
        &slot.child("emergency"),
        base.map(|b| &b.emergency),
        Allowed::Days,
    );
    Some(NoticePolicy {
        advance: advance?,
        recipient: recipient?,
        channels: channels?,
        confirm_before: confirm_before?,
        reschedule_on_request: reschedule?,
        confirm_after: confirm_after?,
        emergency: emergency?,
    })
}

fn read_maintenance(
    slot: &Slot<'_>,
    base: Option<&Vec<(String, PerCustomer<Period>)>>,
) -> Option<Vec<(String, PerCustomer<Period>)>> {
    let mut out: Vec<(String, PerCustomer<Period>)> = base.cloned().unwrap_or_default();
    slot.allow(MAINTENANCE_SERVICES);
    let mut ok = true;
    for service in MAINTENANCE_SERVICES {
        let child = slot.child(service);
        if child.node.is_none() {
            continue;
        }
        let previous = out.iter().position(|(s, _)| s == service);
        match per_customer(&child, previous.map(|i| &out[i].1), |s, b| {
            period(s, b, Allowed::Any)
        }) {
            Some(freq) => match previous {
                Some(i) => out[i].1 = freq,
                None => out.push(((*service).to_owned(), freq)),
            },
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn read_alerts(slot: &Slot<'_>, base: Option<&AlertPolicy>) -> Option<AlertPolicy> {
    let fallback = AlertPolicy::default();
    let base = base.unwrap_or(&fallback);
    slot.allow(&[
        "warning_at",
        "reminder_before",
        "escalate_full_outage",
        "escalate_after",
    ]);
    let warning = slot
        .child("warning_at")
        .leaf(Some(&base.warning_at_percent), |node| {
            let n = node.as_int()?;
            match u8::try_from(n) {
                Ok(p @ 1..=99) => Some(p),
                _ => {
                    node.error(format!(
                        "`{}`: {n} is not a percentage between 1 and 99",
                        node.path()
                    ));
                    None
                }
            }
        });
    let duration = |key: &str, base: &SignedDuration| {
        slot.child(key).leaf(Some(base), |node| {
            let d: SignedDuration = node.parse_str(|text| {
                text.parse::<SignedDuration>().map_err(|_| {
                    format!("{text:?} is not a clock duration; expected ISO 8601 such as \"PT5M\"")
                })
            })?;
            if d.is_negative() {
                node.error(format!("`{}`: must not be negative", node.path()));
                return None;
            }
            Some(d)
        })
    };
    let reminder = duration("reminder_before", &base.reminder_before);
    let after = duration("escalate_after", &base.escalate_after);
    let escalate =
        slot.child("escalate_full_outage")
            .leaf(Some(&base.escalate_full_outage), |node| {
                let items = node.as_array()?;
                let mut out = Vec::new();
                let mut ok = true;
                for item in items {
                    match parse_value::<AssuranceLevel>(&item) {
                        Some(l) if !out.contains(&l) => out.push(l),
                        Some(_) => {}
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            });
    Some(AlertPolicy {
        warning_at_percent: warning?,
        reminder_before: reminder?,
        escalate_full_outage: escalate?,
        escalate_after: after?,
    })
}

/// Parses a policy file. `default` is the shipped template, used when the file says
/// `extends = "default"`.
pub(crate) fn parse(
    source_name: &str,
    text: &str,
    default: Option<&Policy>,
) -> Result<Policy, SourceErrors> {
    let src = TomlSource::parse(source_name, text)?;
    let root = Slot {
        src: &src,
        node: None,
        at: 0,
        path: String::new(),
    };
    src.root().reject_unknown(&[
        "policy",
        "levels",
        "dispatch",
        "complaint",
        "fault",
        "provisioning",
        "change",
        "notice",
        "maintenance",
        "alerts",
    ]);
    let top = |key: &str| {
        let node = src.root().get(key);
        let at = node.as_ref().map_or(0, Node::offset);
        Slot {
            src: &src,
            node,
            at,
            path: key.to_owned(),
        }
    };
    let _ = root;
    let meta = top("policy");
    meta.allow(&[
        "name",
        "version",
        "description",
        "time_zone",
        "calendar",
        "calendar_day_roll",
        "extends",
    ]);
    let base: Option<&Policy> = match meta.child("extends").node {
        None => None,
        Some(node) => match node.as_str() {
            Some("default") => default,
            Some(other) => {
                node.error(format!("`policy.extends`: only \"default\" (the shipped template) can be extended, not {other:?}"));
                None
            }
            None => None,
        },
    };
    let name = meta.child("name").leaf(None, |n| non_empty(n));
    let version = meta.child("version").leaf(None, |n| non_empty(n));
    let description = meta.child("description").leaf(
        Some(&base.map(|b| b.description.clone()).unwrap_or_default()),
        |n| n.as_str().map(str::to_owned),
    );
    let tz_slot = meta.child("time_zone");
    let time_zone_name = tz_slot.leaf(
        Some(&base.map_or_else(|| "Asia/Shanghai".to_owned(), |b| b.time_zone_name.clone())),
        |n| n.as_str().map(str::to_owned),
    );
    let time_zone = time_zone_name.as_ref().and_then(|name| match TimeZone::get(name) {
        Ok(tz) => Some(tz),
        Err(_) => {
            src.error_at(tz_slot.at, format!("`policy.time_zone`: unknown time zone {name:?}; expected an IANA name such as \"Asia/Shanghai\""));
            None
        }
    });
    let calendar = meta.child("calendar").leaf(
        Some(&base.map_or_else(|| "cn-statutory".to_owned(), |b| b.calendar.clone())),
        |n| n.as_str().map(str::to_owned),
    );
    let roll = meta.child("calendar_day_roll").leaf(
        Some(&base.map_or(Roll::default(), |b| b.roll)),
        parse_value::<Roll>,
    );
    let lv = top("levels");
    lv.allow(&["default_assurance"]);
    let default_assurance = per_customer(
        &lv.child("default_assurance"),
        base.map(|b| &b.default_assurance),
        |s, b| s.leaf(b, parse_value::<AssuranceLevel>),
    );
    let dispatch = top("dispatch");
    dispatch.allow(&["accept"]);
    let dispatch_accept = period(
        &dispatch.child("accept"),
        base.map(|b| &b.dispatch_accept),
        Allowed::Clock,
    );
    let complaint = read_complaint(&top("complaint"), base.map(|b| &b.complaint));
    let fault = read_fault(&top("fault"), base.map(|b| &b.fault));
    let provisioning = read_provisioning(&top("provisioning"), base.map(|b| &b.provisioning));
    let change = read_change(&top("change"), base.map(|b| &b.change));
    let notice = read_notice(&top("notice"), base.map(|b| &b.notice));
    let maintenance = read_maintenance(&top("maintenance"), base.map(|b| &b.maintenance));
    let alerts = read_alerts(&top("alerts"), base.map(|b| &b.alerts));
    let policy = (|| {
        Some(Policy {
            id: PolicyRef {
                name: name?,
                version: version?,
            },
            description: description?,
            time_zone_name: time_zone_name?,
            time_zone: time_zone?,
            calendar: calendar?,
            roll: roll?,
            default_assurance: default_assurance?,
            dispatch_accept: dispatch_accept?,
            complaint: complaint?,
            fault: fault?,
            provisioning: provisioning?,
            change: change?,
            notice: notice?,
            maintenance: maintenance?,
            alerts: alerts?,
        })
    })();
    src.finish()?;
    policy.ok_or_else(|| SourceErrors(Vec::new()))
}

fn non_empty(node: &Node<'_>) -> Option<String> {
    let s = node.as_str()?.trim();
    if s.is_empty() {
        node.error(format!("`{}` must not be empty", node.path()));
        return None;
    }
    Some(s.to_owned())
}
