// tierdesk console: every UI string, in Simplified Chinese and English.
//
// One dictionary per language; the template's own terms are used for its
// vocabulary (恢复 for restore, 受理 for accept, 进度反馈, 书面报告, 提前通知,
// 客户确认, 金牌/银牌/铜牌/标准, …). The language is the one last chosen with the
// toggle (kept in localStorage), else the browser's. Elements with `data-i18n`
// get their text from here, which is how the server-rendered login page is
// translated; the console script calls `I18N.t` and `I18N.vocab`.
(function () {
  'use strict';

  var en = {
    'login.title': 'Log in · tierdesk',
    'login.heading': 'Service-level console',
    'login.subtitle': 'Faults, complaints, changes, provisioning and planned-work notices against the tiered SLA.',
    'login.user': 'User name',
    'login.password': 'Password',
    'login.submit': 'Log in',
    'login.failed': 'Wrong user name or password.',
    'login.crossSite': 'This login form was sent from another site. Open the console directly and try again.',
    'login.badForm': 'Enter a user name and a password.',
    'login.unavailable': 'The server cannot log you in right now. Try again in a moment.',

    'nav.queue': 'Queue',
    'nav.new': 'New ticket',
    'nav.customers': 'Customers',
    'nav.myServices': 'My services',
    'nav.logout': 'Log out',
    'nav.language': 'Language',
    'footer.text': 'tierdesk {version} · times at UTC{offset}, the SLA policy\'s zone',

    'common.loading': 'Loading…',
    'common.refresh': 'Refresh',
    'common.optional': '(optional)',
    'common.cancel': 'Cancel',
    'common.choose': '— choose —',
    'common.notRecorded': '— not recorded —',

    'error.generic': 'Something went wrong',
    'error.network': 'The server cannot be reached. Check the connection and try again.',
    'error.sessionEnded': 'Your session has ended; log in again.',
    'error.status.0': 'No connection',
    'error.status.400': 'Bad request',
    'error.status.401': 'Not logged in',
    'error.status.403': 'Not allowed',
    'error.status.404': 'Not found',
    'error.status.409': 'Conflict',
    'error.status.412': 'Changed meanwhile',
    'error.status.422': 'Check the input',
    'error.status.500': 'Server error',
    'error.status.503': 'Service unavailable',

    'notFound.title': 'Not found',
    'notFound.text': 'There is no such page in the console.',

    'time.today': 'today',
    'time.yesterday': 'yesterday',
    'time.tomorrow': 'tomorrow',
    'weekday.0': 'Sun', 'weekday.1': 'Mon', 'weekday.2': 'Tue', 'weekday.3': 'Wed',
    'weekday.4': 'Thu', 'weekday.5': 'Fri', 'weekday.6': 'Sat',
    'dur.dh': '{d}d {h}h',
    'dur.h': '{h} h',
    'dur.hm': '{h}h {m}m',
    'dur.m': '{m} min',
    'dur.s': '{s} s',
    'dur.days': '{n} days',
    'dur.months': '{n} months',
    'dur.years': '{n} years',
    'list.sep': ', ',
    'list.sep2': '; ',

    'target.every': 'every {d}',
    'target.workingDays': '{n} working days',
    'target.beforeWork': '{p} before the work',
    'target.beforeStart': 'before the work starts',
    'target.noLimit': 'no time limit',
    'target.feedbacks': '{n} feedbacks',
    'target.onSchedule': '{d} ({s})',
    'schedule.workingDays': 'working days',

    'field.id': 'ID',
    'field.kind': 'Kind',
    'field.status': 'Status',
    'field.customer': 'Customer',
    'field.customer_level': 'Customer level',
    'field.assurance_level': 'Assurance level',
    'field.service': 'Service',
    'field.circuit': 'Circuit',
    'field.category': 'Category',
    'field.scope': 'Scope',
    'field.change_type': 'Change type',
    'field.work_start': 'Planned work start',
    'field.title': 'Title',
    'field.description': 'Description',
    'field.next_due': 'Next due',
    'field.time_to_breach': 'Time to breach',
    'field.departments': 'Departments',
    'field.department': 'Department',
    'field.created': 'Opened',
    'field.policy': 'Policy',
    'field.name': 'Name',
    'field.account_manager': 'Account manager',
    'field.contact_email': 'Contact e-mail',
    'field.contact_phone': 'Contact phone',

    'filter.any': 'Any',
    'filter.openOnly': 'Open',
    'filter.allStatuses': 'All',
    'filter.finished': 'Finished',
    'filter.breached': 'SLA',
    'filter.breachedYes': 'Breached',
    'filter.breachedNo': 'Not breached',

    'queue.title': 'Ticket queue',
    'queue.shown': '{n} shown',
    'queue.breachedCount': '{n} breached',
    'queue.refreshedAt': 'updated {time}',
    'queue.autoRefresh': 'auto-refresh',
    'queue.sla': 'SLA',
    'queue.levels': 'Levels',
    'queue.breached': 'BREACHED',
    'queue.dueSoon': 'due < 1 h',
    'queue.overdueBy': 'overdue {d}',
    'queue.empty': 'No tickets match these filters.',
    'queue.loadMore': 'Load more',

    'flag.emergency': 'Emergency work',
    'flag.greenChannel': 'Green channel (back-fill)',
    'flag.terminal': 'Terminal complaint',
    'flag.notOperatorEquipment': 'Not operator equipment',

    'ob.title': 'Obligations',
    'ob.evaluatedAt': 'evaluated {time}',
    'ob.name': 'Obligation',
    'ob.state': 'State',
    'ob.target': 'Target',
    'ob.start': 'Start',
    'ob.due': 'Due',
    'ob.met_at': 'Met at',
    'ob.counted': 'Counted',
    'ob.paused': 'Paused',
    'ob.lateness': 'Late by',
    'ob.remaining': 'Remaining',
    'ob.detail': 'Detail',

    'detail.cadence': '{given} feedbacks, {missed} missed intervals',
    'detail.count': '{given} of {required} given',
    'detail.missing': 'missing: {list}',
    'detail.noneMissing': 'all handed over',
    'detail.notice': 'to the {recipient} by {channels}',
    'detail.ignoredNotices': '{n} notices by other channels ignored',
    'detail.written': 'written confirmation required',
    'detail.notWritten': 'confirmation need not be written',
    'detail.provisional': 'calendar provisional (no official data for that year)',

    'ev.title': 'History',
    'ev.count': '{n} events, newest first',
    'ev.at': 'Time',
    'ev.type': 'Event',
    'ev.details': 'Details',
    'ev.by': 'By',
    'ev.actor': 'Recorded by',
    'ev.note': 'Note',
    'ev.evidence': 'Evidence (required for a pause)',
    'ev.recorded': 'recorded {time}',
    'ev.to': 'Dispatched to',
    'ev.reason': 'Pause reason',
    'ev.satisfied': 'Callback answer',
    'ev.artifact': 'Artefact',
    'ev.channel': 'Channel',
    'ev.work_start': 'New work start',
    'event.satisfiedYes': 'satisfied',
    'event.satisfiedNo': 'not satisfied',
    'event.newStart': 'new start',

    'form.required': 'Required.',
    'form.event.title': 'Record an event',
    'form.event.submit': 'Record',
    'form.event.done': 'Recorded: {type}.',
    'form.event.none': 'Your role records no events on this kind of ticket.',
    'form.event.conflict': 'Someone changed this ticket meanwhile; it has been reloaded. Check it and record again.',
    'form.event.atHint': 'At UTC{offset}; empty means now.',
    'form.event.byHint': 'Department or person; your department when empty.',

    'new.title': 'New ticket',
    'new.notAllowed': 'Your role does not open tickets.',
    'new.submit': 'Open ticket',
    'new.chooseCustomerFirst': '— choose a customer first —',
    'new.noService': '— no particular service —',
    'new.noCircuit': '— no particular circuit —',
    'new.assuranceFromLevel': 'assurance level from the customer level',
    'new.emergency': 'Emergency work for a major safety risk (1 day\'s notice)',
    'new.terminal': 'Handset/terminal complaint, no line involved (ordinary level)',
    'new.operatorEquipment': 'Fault in equipment the operator manages (restoration limit applies)',
    'new.greenChannel': 'Green channel: urgent gold fault passed straight to operations support',
    'new.startType': 'Started by',
    'new.scopeHint': 'Needed when no service is chosen.',
    'new.at': 'Reported at',
    'new.atAlarm': 'Alarm raised at',
    'new.atOpened': 'Order issued at',
    'new.workStartHint': 'At UTC{offset}.',
    'new.atHint': 'At UTC{offset}; empty means now.',

    'customers.title': 'Customers',
    'customers.count': '{n} customers',
    'customers.new': 'New customer',
    'customers.create': 'Create customer',
    'customers.idHint': 'Generated when empty.',
    'customers.services': 'Services and circuits',
    'customers.noServices': 'No services.',
    'customers.noCircuits': 'No circuits.',
    'customers.endpoints': 'Endpoints',
    'customers.aEnd': 'A end',
    'customers.zEnd': 'Z end',
    'customers.bandwidth': 'Bandwidth',
    'customers.openTicket': 'Open a ticket',
    'customers.tickets': 'Tickets',
    'customers.notFound': 'No such customer (or not yours).',

    'kind.fault': 'Fault', 'kind.complaint': 'Complaint', 'kind.change': 'Change',
    'kind.provisioning': 'Provisioning', 'kind.notice': 'Notice',
    'status.acknowledged': 'Acknowledged', 'status.in_progress': 'In progress',
    'status.pending': 'Waiting for customer', 'status.held': 'Held', 'status.resolved': 'Resolved',
    'status.closed': 'Closed', 'status.cancelled': 'Cancelled', 'status.rejected': 'Rejected',
    'level.gold': 'Gold', 'level.silver': 'Silver', 'level.bronze': 'Bronze', 'level.standard': 'Standard',
    'assurance.AAA': 'AAA', 'assurance.AA': 'AA', 'assurance.A': 'A', 'assurance.ordinary': 'Ordinary',
    'state.met': 'met', 'state.breached': 'breached', 'state.pending': 'pending',
    'state.paused': 'paused', 'state.not_applicable': 'n/a',
    'obligation.accept': 'Accept', 'obligation.restore': 'Restore',
    'obligation.progress_feedback': 'Progress feedback', 'obligation.restoration_feedback': 'Cause and result feedback',
    'obligation.written_report': 'Written report', 'obligation.resolve': 'Resolve complaint',
    'obligation.complete': 'Complete change', 'obligation.provision': 'Provision',
    'obligation.resource_survey': 'Resource survey', 'obligation.acceptance': 'Acceptance',
    'obligation.final_acceptance': 'Final acceptance', 'obligation.delivery_artifacts': 'Delivery artefacts',
    'obligation.advance_notice': 'Advance notice', 'obligation.customer_confirmation': 'Customer confirmation',
    'obligation.post_work_confirmation': 'Post-work confirmation',
    'event.reported': 'Reported', 'event.alarm': 'Alarm', 'event.opened': 'Opened',
    'event.dispatched': 'Dispatched', 'event.accepted': 'Accepted', 'event.paused': 'Clock paused',
    'event.resumed': 'Clock resumed', 'event.feedback': 'Progress feedback', 'event.restored': 'Service restored',
    'event.resolved': 'Complaint resolved', 'event.completed': 'Change completed',
    'event.report_requested': 'Report requested', 'event.report_sent': 'Written report sent',
    'event.callback': 'Satisfaction callback', 'event.closed': 'Closed',
    'event.construction_completed': 'Construction completed', 'event.initial_acceptance': 'Initial acceptance',
    'event.final_acceptance': 'Final acceptance', 'event.artifact': 'Artefact handed over',
    'event.delivered': 'Delivered', 'event.survey_completed': 'Satisfaction survey done',
    'event.notice_sent': 'Notice sent', 'event.customer_confirmed': 'Customer confirmed',
    'event.rescheduled': 'Rescheduled', 'event.work_started': 'Work started',
    'event.work_finished': 'Work finished', 'event.post_work_confirmed': 'Confirmed after work',
    'event.cancelled': 'Cancelled', 'event.rejected': 'Rejected',
    'reason.customer': 'Customer cause', 'reason.interconnection': 'Interconnection', 'reason.other': 'Other cause',
    'category.dedicated_line': 'Dedicated line', 'category.overlay': 'Overlay',
    'scope.city': 'Within city', 'scope.cross_city': 'Cross-city', 'scope.cross_province': 'Cross-province',
    'change.suspend': 'Suspend', 'change.close': 'Close account', 'change.resume': 'Resume',
    'change.other': 'Other change', 'change.rebuild': 'Outside-plant rebuild',
    'artifact.delivery_report': 'Delivery report', 'artifact.delivery_test_report': 'Delivery test report',
    'artifact.maintenance_staff': 'Dedicated maintenance staff', 'artifact.satisfaction_survey': 'Satisfaction survey',
    'channel.letter': 'Notice letter', 'channel.ticket': 'Ticket', 'channel.email': 'E-mail',
    'recipient.customer': 'customer', 'recipient.account_manager': 'account manager',
    'role.admin': 'Admin', 'role.account_manager': 'Account manager', 'role.hotline': 'Hotline 10086',
    'role.operations': 'Operations support', 'role.construction': 'Construction',
    'role.maintenance': 'Maintenance', 'role.customer': 'Customer'
  };

  var zh = {
    'login.title': '登录 · tierdesk',
    'login.heading': '服务等级管理控制台',
    'login.subtitle': '故障、投诉、变更、开通与信息通告，按集团客户分级服务SLA管理。',
    'login.user': '用户名',
    'login.password': '密码',
    'login.submit': '登录',
    'login.failed': '用户名或密码错误。',
    'login.crossSite': '登录表单来自其他网站。请直接打开控制台后重试。',
    'login.badForm': '请输入用户名和密码。',
    'login.unavailable': '服务器暂时无法登录，请稍后再试。',

    'nav.queue': '工单队列',
    'nav.new': '新建工单',
    'nav.customers': '客户',
    'nav.myServices': '我的业务',
    'nav.logout': '退出',
    'nav.language': '语言',
    'footer.text': 'tierdesk {version} · 时间按 UTC{offset}（SLA 策略时区）显示',

    'common.loading': '加载中…',
    'common.refresh': '刷新',
    'common.optional': '（选填）',
    'common.cancel': '取消',
    'common.choose': '— 请选择 —',
    'common.notRecorded': '— 不记录 —',

    'error.generic': '出错了',
    'error.network': '无法连接服务器，请检查网络后重试。',
    'error.sessionEnded': '会话已结束，请重新登录。',
    'error.status.0': '无连接',
    'error.status.400': '请求有误',
    'error.status.401': '未登录',
    'error.status.403': '无权操作',
    'error.status.404': '未找到',
    'error.status.409': '冲突',
    'error.status.412': '工单已被修改',
    'error.status.422': '请检查输入',
    'error.status.500': '服务器错误',
    'error.status.503': '服务不可用',

    'notFound.title': '页面不存在',
    'notFound.text': '控制台中没有这个页面。',

    'time.today': '今天',
    'time.yesterday': '昨天',
    'time.tomorrow': '明天',
    'weekday.0': '周日', 'weekday.1': '周一', 'weekday.2': '周二', 'weekday.3': '周三',
    'weekday.4': '周四', 'weekday.5': '周五', 'weekday.6': '周六',
    'dur.dh': '{d}天{h}小时',
    'dur.h': '{h}小时',
    'dur.hm': '{h}小时{m}分',
    'dur.m': '{m}分钟',
    'dur.s': '{s}秒',
    'dur.days': '{n}天',
    'dur.months': '{n}个月',
    'dur.years': '{n}年',
    'list.sep': '、',
    'list.sep2': '；',

    'target.every': '每{d}',
    'target.workingDays': '{n}个工作日',
    'target.beforeWork': '作业前{p}',
    'target.beforeStart': '作业开始前',
    'target.noLimit': '无时限',
    'target.feedbacks': '{n}次反馈',
    'target.onSchedule': '{d}（{s}）',
    'schedule.workingDays': '工作日',

    'field.id': '编号',
    'field.kind': '类型',
    'field.status': '状态',
    'field.customer': '客户',
    'field.customer_level': '客户服务等级',
    'field.assurance_level': '业务保障等级',
    'field.service': '业务',
    'field.circuit': '电路',
    'field.category': '业务类别',
    'field.scope': '范围',
    'field.change_type': '变更类型',
    'field.work_start': '计划作业开始',
    'field.title': '标题',
    'field.description': '描述',
    'field.next_due': '下一时限',
    'field.time_to_breach': '距超时',
    'field.departments': '处理部门',
    'field.department': '部门',
    'field.created': '建单',
    'field.policy': 'SLA 策略',
    'field.name': '名称',
    'field.account_manager': '客户经理',
    'field.contact_email': '联系邮箱',
    'field.contact_phone': '联系电话',

    'filter.any': '全部',
    'filter.openOnly': '未结束',
    'filter.allStatuses': '全部',
    'filter.finished': '已结束',
    'filter.breached': 'SLA',
    'filter.breachedYes': '已超时',
    'filter.breachedNo': '未超时',

    'queue.title': '工单队列',
    'queue.shown': '显示 {n} 张',
    'queue.breachedCount': '{n} 张已超时',
    'queue.refreshedAt': '更新于 {time}',
    'queue.autoRefresh': '自动刷新',
    'queue.sla': 'SLA',
    'queue.levels': '等级',
    'queue.breached': '已超时',
    'queue.dueSoon': '1小时内到期',
    'queue.overdueBy': '已超 {d}',
    'queue.empty': '没有符合条件的工单。',
    'queue.loadMore': '加载更多',

    'flag.emergency': '紧急作业',
    'flag.greenChannel': '绿色通道（待补单）',
    'flag.terminal': '终端类投诉',
    'flag.notOperatorEquipment': '非我方管理设备',

    'ob.title': 'SLA 承诺',
    'ob.evaluatedAt': '计算于 {time}',
    'ob.name': '承诺项',
    'ob.state': '状态',
    'ob.target': '时限',
    'ob.start': '起算',
    'ob.due': '到期',
    'ob.met_at': '达成时间',
    'ob.counted': '已计时长',
    'ob.paused': '暂停（不计）',
    'ob.lateness': '超时',
    'ob.remaining': '剩余',
    'ob.detail': '说明',

    'detail.cadence': '已反馈 {given} 次，漏报 {missed} 个周期',
    'detail.count': '已反馈 {given} / 应反馈 {required} 次',
    'detail.missing': '缺少：{list}',
    'detail.noneMissing': '已全部交付',
    'detail.notice': '通知对象：{recipient}；方式：{channels}',
    'detail.ignoredNotices': '{n} 次其他方式的通知不计',
    'detail.written': '须书面确认',
    'detail.notWritten': '无须书面确认',
    'detail.provisional': '日历为推定（该年无官方数据）',

    'ev.title': '处理记录',
    'ev.count': '{n} 条，最新在上',
    'ev.at': '时间',
    'ev.type': '事件',
    'ev.details': '详情',
    'ev.by': '执行方',
    'ev.actor': '记录人',
    'ev.note': '备注',
    'ev.evidence': '依据（暂停必填）',
    'ev.recorded': '录入于 {time}',
    'ev.to': '派往',
    'ev.reason': '暂停原因',
    'ev.satisfied': '回访结果',
    'ev.artifact': '交付资料',
    'ev.channel': '通知方式',
    'ev.work_start': '新的作业开始时间',
    'event.satisfiedYes': '满意',
    'event.satisfiedNo': '不满意',
    'event.newStart': '新开始时间',

    'form.required': '必填。',
    'form.event.title': '记录事件',
    'form.event.submit': '提交',
    'form.event.done': '已记录：{type}。',
    'form.event.none': '您的角色不在此类工单上记录事件。',
    'form.event.conflict': '工单刚被他人修改，已重新加载。请核对后再提交。',
    'form.event.atHint': '按 UTC{offset}；留空为当前时间。',
    'form.event.byHint': '部门或人员；留空为您所在部门。',

    'new.title': '新建工单',
    'new.notAllowed': '您的角色不能新建工单。',
    'new.submit': '提交工单',
    'new.chooseCustomerFirst': '— 请先选择客户 —',
    'new.noService': '— 不指定业务 —',
    'new.noCircuit': '— 不指定电路 —',
    'new.assuranceFromLevel': '保障等级按客户等级默认',
    'new.emergency': '重大安全隐患紧急作业（提前1天通知）',
    'new.terminal': '手机终端类投诉，不涉及专线（按普通级）',
    'new.operatorEquipment': '故障在我方管理的设备（适用恢复时限）',
    'new.greenChannel': '绿色通道：金牌客户紧急故障直派运营支撑',
    'new.startType': '发起方式',
    'new.scopeHint': '未选业务时须填写。',
    'new.at': '申告时间',
    'new.atAlarm': '告警时间',
    'new.atOpened': '下单时间',
    'new.workStartHint': '按 UTC{offset}。',
    'new.atHint': '按 UTC{offset}；留空为当前时间。',

    'customers.title': '客户',
    'customers.count': '共 {n} 家',
    'customers.new': '新建客户',
    'customers.create': '创建客户',
    'customers.idHint': '留空自动生成。',
    'customers.services': '业务与电路',
    'customers.noServices': '暂无业务。',
    'customers.noCircuits': '暂无电路。',
    'customers.endpoints': '端点',
    'customers.aEnd': 'A 端',
    'customers.zEnd': 'Z 端',
    'customers.bandwidth': '带宽',
    'customers.openTicket': '新建工单',
    'customers.tickets': '工单',
    'customers.notFound': '没有此客户（或无权查看）。',

    'kind.fault': '故障', 'kind.complaint': '投诉', 'kind.change': '变更',
    'kind.provisioning': '开通', 'kind.notice': '信息通告',
    'status.acknowledged': '已受理', 'status.in_progress': '处理中',
    'status.pending': '等待客户', 'status.held': '挂起', 'status.resolved': '已解决',
    'status.closed': '已关闭', 'status.cancelled': '已撤销', 'status.rejected': '已驳回',
    'level.gold': '金牌', 'level.silver': '银牌', 'level.bronze': '铜牌', 'level.standard': '标准',
    'assurance.AAA': 'AAA', 'assurance.AA': 'AA', 'assurance.A': 'A', 'assurance.ordinary': '普通',
    'state.met': '达标', 'state.breached': '超时', 'state.pending': '进行中',
    'state.paused': '暂停', 'state.not_applicable': '不适用',
    'obligation.accept': '受理', 'obligation.restore': '恢复',
    'obligation.progress_feedback': '进度反馈', 'obligation.restoration_feedback': '恢复后原因及结果反馈',
    'obligation.written_report': '书面报告', 'obligation.resolve': '投诉处理',
    'obligation.complete': '变更完成', 'obligation.provision': '业务开通',
    'obligation.resource_survey': '资源勘查', 'obligation.acceptance': '验收',
    'obligation.final_acceptance': '终验', 'obligation.delivery_artifacts': '交付资料',
    'obligation.advance_notice': '提前通知', 'obligation.customer_confirmation': '客户确认',
    'obligation.post_work_confirmation': '作业后客户确认',
    'event.reported': '客户申告', 'event.alarm': '监控告警', 'event.opened': '建单',
    'event.dispatched': '派单', 'event.accepted': '受理', 'event.paused': '暂停计时',
    'event.resumed': '恢复计时', 'event.feedback': '进度反馈', 'event.restored': '业务恢复',
    'event.resolved': '投诉解决', 'event.completed': '变更完成',
    'event.report_requested': '客户索取报告', 'event.report_sent': '书面报告已提交',
    'event.callback': '满意度回访', 'event.closed': '关闭',
    'event.construction_completed': '施工完成', 'event.initial_acceptance': '初验',
    'event.final_acceptance': '终验', 'event.artifact': '交付资料',
    'event.delivered': '业务交付', 'event.survey_completed': '满意度调查完成',
    'event.notice_sent': '通知已发出', 'event.customer_confirmed': '客户确认',
    'event.rescheduled': '作业改期', 'event.work_started': '作业开始',
    'event.work_finished': '作业结束', 'event.post_work_confirmed': '作业后客户确认',
    'event.cancelled': '撤销', 'event.rejected': '驳回',
    'reason.customer': '客户自身原因', 'reason.interconnection': '互联互通原因', 'reason.other': '其他原因',
    'category.dedicated_line': '专线接入类', 'category.overlay': '叠加类',
    'scope.city': '地市内', 'scope.cross_city': '跨地市', 'scope.cross_province': '跨省',
    'change.suspend': '停机', 'change.close': '销户', 'change.resume': '复机',
    'change.other': '其他变更', 'change.rebuild': '外线资源改建',
    'artifact.delivery_report': '业务开通交付报告', 'artifact.delivery_test_report': '业务交付测试报告',
    'artifact.maintenance_staff': '专门维护人员', 'artifact.satisfaction_survey': '服务满意度调查',
    'channel.letter': '通知函', 'channel.ticket': '工单', 'channel.email': '电子邮件',
    'recipient.customer': '客户', 'recipient.account_manager': '客户经理',
    'role.admin': '管理员', 'role.account_manager': '客户经理', 'role.hotline': '10086 受理热线',
    'role.operations': '运营支撑', 'role.construction': '建设部门',
    'role.maintenance': '维护部门', 'role.customer': '集团客户'
  };

  // The evaluator's explanations (obligation `detail.note`), which the API sends in
  // English; unknown ones are shown as sent.
  var notesZh = {
    'starts with the report or alarm': '自客户申告或监控告警起算',
    'starts when the complaint is reported': '自投诉申告起算',
    'starts when the ticket is dispatched': '自派单起算',
    'starts when service is restored': '自业务恢复起算',
    'starts when the order is issued (opened)': '自工单下发（建单）起算',
    'starts when the order is opened': '自建单起算',
    'starts when construction completes': '自施工完成起算',
    'starts with the initial acceptance': '自初验起算',
    'starts when the work finishes': '自作业结束起算',
    'restoration limits apply only to faults of equipment the operator manages': '恢复时限仅适用于我方管理设备的故障',
    'on request for this customer level (table 7-3)': '该客户等级按需提供（表7-3）',
    'on request for this customer level (table 7-4), and not requested': '该客户等级按需提供（表7-4），客户未索取',
    'a fault-handling confirmation form (故障处理确认书) answers the request': '以故障处理确认书答复客户索取',
    'the ticket was cancelled before this was met': '工单在达成前已撤销',
    'the ticket was rejected before this was met': '工单在达成前已驳回',
    'no confirmation before the work for this customer level (table 8-1)': '该客户等级作业前无须确认（表8-1）',
    'no confirmation after the work for this customer level (table 8-1)': '该客户等级作业后无须确认（表8-1）',
    'the ticket has no scope': '工单未指定范围',
    'resource survey limits cover dedicated lines': '资源勘查时限仅适用于专线',
    'the policy sets no provisioning limit (not in the template fragment)': '策略未设开通时限（范本片段未给出）',
    'this change is limited by the provisioning limit, which the policy does not set (not in the template fragment)': '此变更以开通时限为限，策略未设置（范本片段未给出）',
    'no progress feedback is required (table 5-6)': '无须进度反馈（表5-6）',
    'no delivery artefact is required (table 5-7)': '无须交付资料（表5-7）'
  };

  var DICTS = { en: en, 'zh-CN': zh };
  var STORAGE_KEY = 'tierdesk.lang';

  function stored() {
    try { return window.localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }

  function detect() {
    var s = stored();
    if (s && DICTS[s]) return s;
    var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'zh-CN'];
    for (var i = 0; i < langs.length; i++) {
      var l = String(langs[i]).toLowerCase();
      if (l.indexOf('zh') === 0) return 'zh-CN';
      if (l.indexOf('en') === 0) return 'en';
    }
    // Neither: English is the likelier second language of a browser set to another.
    return 'en';
  }

  var lang = detect();

  // t('key', {name: value}, fallback): the string in the current language (English
  // when the key is missing there), with {name} placeholders filled.
  function t(key, params, fallback) {
    var s = DICTS[lang][key];
    if (s === undefined) s = en[key];
    if (s === undefined) return fallback !== undefined ? fallback : key;
    if (params) {
      s = s.replace(/\{(\w+)\}/g, function (m, name) {
        return params[name] !== undefined && params[name] !== null ? String(params[name]) : m;
      });
    }
    return s;
  }

  // A vocabulary value (`level`, `gold`) for display; unknown values as they are.
  function vocab(group, value) {
    if (value === null || value === undefined) return '—';
    return t(group + '.' + value, null, String(value));
  }

  function note(text) {
    return lang === 'zh-CN' && notesZh[text] ? notesZh[text] : text;
  }

  function apply(root) {
    var scope = root || document;
    scope.querySelectorAll('[data-i18n]').forEach(function (el) {
      el.textContent = t(el.getAttribute('data-i18n'));
    });
    scope.querySelectorAll('[data-lang]').forEach(function (el) {
      el.setAttribute('aria-pressed', el.getAttribute('data-lang') === lang ? 'true' : 'false');
    });
    document.documentElement.lang = lang;
  }

  function setLang(next) {
    if (!DICTS[next] || next === lang) return;
    lang = next;
    try { window.localStorage.setItem(STORAGE_KEY, next); } catch (e) { /* private mode: not remembered */ }
    apply(document);
    document.dispatchEvent(new CustomEvent('tierdesk:lang', { detail: next }));
  }

  document.addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('[data-lang]') : null;
    if (b) setLang(b.getAttribute('data-lang'));
  });

  window.I18N = {
    t: t,
    vocab: vocab,
    note: note,
    apply: apply,
    setLang: setLang,
    lang: function () { return lang; }
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { apply(document); });
  } else {
    apply(document);
  }
}());
