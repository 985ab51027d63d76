//! The words of notifications, in Chinese and English: a subject line and a
//! plain-text body, from the ticket as it stood when the news happened.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tierdesk_core::{
    AlertKind, Evaluation, EventKind, ObligationName, ObligationState, Status, TicketKind,
};
use tierdesk_store::{Language, StoredEvent, TicketHeader, Topic};

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// One line.
    pub subject: String,
    /// Plain text.
    pub body: String,
}

/// What a message is about.
pub struct About<'a> {
    /// The news.
    pub topic: Topic,
    /// The ticket.
    pub header: &'a TicketHeader,
    /// Its status then.
    pub status: Status,
    /// The event that caused the news, if one did.
    pub event: Option<&'a StoredEvent>,
    /// The evaluation then.
    pub evaluation: &'a Evaluation,
    /// Where instants are shown.
    pub tz: &'a TimeZone,
    /// A link to the ticket, if the server knows its public address.
    pub link: Option<String>,
}

fn obligation_zh(o: ObligationName) -> &'static str {
    match o {
        ObligationName::Accept => "受理",
        ObligationName::Restore => "业务恢复",
        ObligationName::ProgressFeedback => "进展反馈",
        ObligationName::RestorationFeedback => "恢复后反馈",
        ObligationName::WrittenReport => "书面报告",
        ObligationName::Resolve => "投诉处理",
        ObligationName::Complete => "变更完成",
        ObligationName::Provision => "业务开通",
        ObligationName::ResourceSurvey => "资源勘查",
        ObligationName::Acceptance => "验收",
        ObligationName::FinalAcceptance => "终验",
        ObligationName::DeliveryArtifacts => "交付资料",
        ObligationName::AdvanceNotice => "提前通告",
        ObligationName::CustomerConfirmation => "作业前客户确认",
        ObligationName::PostWorkConfirmation => "作业后客户确认",
    }
}

fn obligation_en(o: ObligationName) -> String {
    o.as_str().replace('_', " ")
}

fn kind_zh(k: TicketKind) -> &'static str {
    match k {
        TicketKind::Fault => "故障",
        TicketKind::Complaint => "投诉",
        TicketKind::Change => "变更",
        TicketKind::Provisioning => "开通",
        TicketKind::Notice => "通告",
    }
}

fn status_zh(s: Status) -> &'static str {
    match s {
        Status::Acknowledged => "已受理",
        Status::InProgress => "处理中",
        Status::Pending => "等待客户",
        Status::Held => "挂起",
        Status::Resolved => "已解决",
        Status::Closed => "已关闭",
        Status::Cancelled => "已撤销",
        Status::Rejected => "已驳回",
    }
}

fn state_zh(s: ObligationState) -> &'static str {
    match s {
        ObligationState::Met => "已达成",
        ObligationState::Breached => "已超时",
        ObligationState::Pending => "进行中",
        ObligationState::Paused => "已暂停",
        ObligationState::NotApplicable => "不适用",
    }
}

fn level_zh(l: tierdesk_core::CustomerLevel) -> &'static str {
    match l {
        tierdesk_core::CustomerLevel::Gold => "金牌",
        tierdesk_core::CustomerLevel::Silver => "银牌",
        tierdesk_core::CustomerLevel::Bronze => "铜牌",
        tierdesk_core::CustomerLevel::Standard => "标准",
    }
}

fn show(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The alert of the event, if it is one: kind, promise, due instant.
fn alert(about: &About<'_>) -> Option<(AlertKind, Option<ObligationName>, Timestamp)> {
    match about.event.map(|e| &e.kind) {
        Some(EventKind::Alert {
            alert,
            obligation,
            due,
            ..
        }) => Some((*alert, *obligation, *due)),
        _ => None,
    }
}

/// Renders a message in `language`.
///
/// # Example
/// The templates are exercised through the notification tests; each topic has a
/// subject naming the ticket in both languages.
pub fn render(language: Language, about: &About<'_>) -> Message {
    match language {
        Language::Zh => render_zh(about),
        Language::En => render_en(about),
    }
}

fn render_zh(a: &About<'_>) -> Message {
    let h = a.header;
    let id = h.id.as_str();
    let what = match alert(a) {
        Some((AlertKind::Warning, Some(o), due)) => {
            format!(
                "预警：{}{id}的{}将于{}到期",
                kind_zh(h.kind),
                obligation_zh(o),
                show(due, a.tz)
            )
        }
        Some((AlertKind::Breach, Some(o), due)) => {
            format!(
                "超时：{}{id}的{}已于{}超时",
                kind_zh(h.kind),
                obligation_zh(o),
                show(due, a.tz)
            )
        }
        Some((AlertKind::Reminder, Some(o), due)) => {
            format!(
                "提醒：{}{id}应于{}前{}",
                kind_zh(h.kind),
                show(due, a.tz),
                obligation_zh(o)
            )
        }
        Some((AlertKind::Reminder, None, due)) => {
            format!(
                "提醒：{}{id}约定的延期日期{}已到，请恢复处理",
                kind_zh(h.kind),
                show(due, a.tz)
            )
        }
        Some((AlertKind::Escalation, _, _)) => format!(
            "升级：{}业务全阻，故障{id}已升级至部门领导",
            h.assurance_level
        ),
        Some((_, None, _)) | None => match a.topic {
            Topic::Opened => format!("新{}工单：{id}", kind_zh(h.kind)),
            Topic::Resolved => format!("{}{id}已解决", kind_zh(h.kind)),
            _ => format!("{}{id}状态变为{}", kind_zh(h.kind), status_zh(a.status)),
        },
    };
    let mut body = format!(
        "{what}\n\n工单：{id}（{}）\n标题：{}\n客户：{}（{}客户，{}级业务保障）\n状态：{}\n",
        kind_zh(h.kind),
        h.title,
        h.customer_id,
        level_zh(h.customer_level),
        h.assurance_level,
        status_zh(a.status),
    );
    body.push_str("\n服务承诺：\n");
    for o in &a.evaluation.obligations {
        if o.state == ObligationState::NotApplicable {
            continue;
        }
        let party = o
            .party
            .as_ref()
            .map(|p| format!("（{p}）"))
            .unwrap_or_default();
        let due = o
            .due
            .map(|d| format!("，时限 {}", show(d, a.tz)))
            .unwrap_or_default();
        body.push_str(&format!(
            "- {}{party}：{}{due}\n",
            obligation_zh(o.name),
            state_zh(o.state)
        ));
    }
    if let Some(link) = &a.link {
        body.push_str(&format!("\n查看：{link}\n"));
    }
    body.push_str("\n—— tierdesk 服务等级管理系统\n");
    Message {
        subject: format!("[tierdesk] {what}"),
        body,
    }
}

fn render_en(a: &About<'_>) -> Message {
    let h = a.header;
    let id = h.id.as_str();
    let what = match alert(a) {
        Some((AlertKind::Warning, Some(o), due)) => format!(
            "Warning: {} of {} {id} is due at {}",
            obligation_en(o),
            h.kind,
            show(due, a.tz)
        ),
        Some((AlertKind::Breach, Some(o), due)) => format!(
            "Breached: {} of {} {id} was due at {}",
            obligation_en(o),
            h.kind,
            show(due, a.tz)
        ),
        Some((AlertKind::Reminder, Some(o), due)) => format!(
            "Reminder: {} of {} {id} is due at {}",
            obligation_en(o),
            h.kind,
            show(due, a.tz)
        ),
        Some((AlertKind::Reminder, None, due)) => format!(
            "Reminder: the agreed delay of {} {id} ended at {}; resume the work",
            h.kind,
            show(due, a.tz)
        ),
        Some((AlertKind::Escalation, _, _)) => format!(
            "Escalated: full outage of an {} service, fault {id}, to the department's leadership",
            h.assurance_level
        ),
        Some((_, None, _)) | None => match a.topic {
            Topic::Opened => format!("New {} ticket {id}", h.kind),
            Topic::Resolved => format!("{} {id} resolved", capitalise(h.kind.as_str())),
            _ => format!("{} {id} is now {}", capitalise(h.kind.as_str()), a.status),
        },
    };
    let mut body = format!(
        "{what}\n\nTicket: {id} ({})\nTitle: {}\nCustomer: {} ({} customer, {} assurance)\nStatus: {}\n",
        h.kind, h.title, h.customer_id, h.customer_level, h.assurance_level, a.status,
    );
    body.push_str("\nPromises:\n");
    for o in &a.evaluation.obligations {
        if o.state == ObligationState::NotApplicable {
            continue;
        }
        let party = o
            .party
            .as_ref()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        let due = o
            .due
            .map(|d| format!(", due {}", show(d, a.tz)))
            .unwrap_or_default();
        body.push_str(&format!(
            "- {}{party}: {}{due}\n",
            obligation_en(o.name),
            o.state
        ));
    }
    if let Some(link) = &a.link {
        body.push_str(&format!("\nOpen: {link}\n"));
    }
    body.push_str("\n-- tierdesk service-level management\n");
    Message {
        subject: format!("[tierdesk] {what}"),
        body,
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
