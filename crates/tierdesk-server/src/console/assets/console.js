// tierdesk console: a single-page app over the REST API (/api/v1).
//
// Plain JavaScript, no build step and nothing fetched from elsewhere, so it runs on
// an isolated network. The server hands over the logged-in user, what the role may
// do and the session's CSRF token in the shell page; every read and write goes
// through the same API as other clients, which enforces roles and visibility.
// Text comes from i18n.js; markup is built with DOM calls (never innerHTML with
// data), so names and notes from the database cannot inject markup.
(function () {
  'use strict';

  var I = window.I18N;
  var t = I.t;
  var v = I.vocab;

  var SESSION = JSON.parse(document.getElementById('tierdesk-session').textContent);
  var CSRF_META = document.querySelector('meta[name="csrf-token"]');
  var CSRF = CSRF_META ? CSRF_META.getAttribute('content') : '';
  var USER = SESSION.user;
  var CAN = SESSION.capabilities;
  var OFFSET = SESSION.utc_offset || '+08:00';

  var TICKET_KINDS = ['fault', 'complaint', 'change', 'provisioning', 'notice'];
  var STATUSES = ['acknowledged', 'in_progress', 'pending', 'held', 'resolved', 'closed', 'cancelled', 'rejected'];
  var CUSTOMER_LEVELS = ['gold', 'silver', 'bronze', 'standard'];
  var ASSURANCE_LEVELS = ['AAA', 'AA', 'A', 'ordinary'];
  var PAUSE_REASONS = ['customer', 'interconnection', 'other'];
  var ARTIFACTS = ['delivery_report', 'delivery_test_report', 'maintenance_staff', 'satisfaction_survey'];
  var CHANNELS = ['letter', 'ticket', 'email'];
  var CHANGE_TYPES = ['suspend', 'close', 'resume', 'other', 'rebuild'];
  var SCOPES = ['city', 'cross_city', 'cross_province'];
  var CATEGORIES = ['dedicated_line', 'overlay'];
  // Workflow stages (tierdesk_core::Stage), in the order tickets pass them.
  var STAGES = ['logged', 'prescreened', 'awaiting_acceptance', 'in_progress', 'paused', 'handled',
    'awaiting_acceptance_test', 'rectification', 'awaiting_final_acceptance', 'awaiting_delivery',
    'draft', 'awaiting_confirmation', 'objected', 'ready', 'work_in_progress', 'closed', 'cancelled', 'rejected'];
  // Events the SLA scheduler records (escalations may also be recorded by people).
  var ALERT_EVENTS = ['sla_warning', 'sla_breached', 'sla_reminder', 'escalated'];
  // Statuses of a fault that needs no restoring any more.
  var FINISHED = ['resolved', 'closed', 'cancelled', 'rejected'];
  var DELIVERY_STATES = ['pending', 'sent', 'dead'];
  // What the role may do with the notification outbox (the server decides, as the API does).
  var OUTBOX = SESSION.notifications || { read: false, replay: false, channels: false };

  // ---------------------------------------------------------------- DOM helpers

  // h('tag.class', {attrs}, children...): an element. Properties that are state
  // (value, checked, …) are set as properties; `on*` attach listeners.
  var PROPS = ['value', 'checked', 'selected', 'disabled', 'required', 'hidden', 'multiple'];
  function h(spec, attrs) {
    var parts = spec.split('.');
    var el = document.createElement(parts[0] || 'div');
    if (parts.length > 1) el.className = parts.slice(1).join(' ');
    var children = Array.prototype.slice.call(arguments, 2);
    if (attrs && (typeof attrs !== 'object' || attrs.nodeType || Array.isArray(attrs))) {
      children.unshift(attrs);
      attrs = null;
    }
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var val = attrs[k];
        if (val === undefined || val === null || val === false) return;
        if (k === 'class') el.className = (el.className ? el.className + ' ' : '') + val;
        else if (k === 'text') el.textContent = val;
        else if (k === 'dataset') Object.keys(val).forEach(function (d) { el.dataset[d] = val[d]; });
        else if (k.slice(0, 2) === 'on' && typeof val === 'function') el.addEventListener(k.slice(2), val);
        else if (PROPS.indexOf(k) >= 0) el[k] = val;
        else el.setAttribute(k, val === true ? '' : String(val));
      });
    }
    append(el, children);
    return el;
  }

  // Appends a node, a string, or a (nested) list of them; empty values are skipped.
  function append(el, children) {
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined || c === false || c === '') return;
      if (Array.isArray(c)) append(el, c);
      else if (c.nodeType) el.appendChild(c);
      else el.appendChild(document.createTextNode(String(c)));
    });
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  function option(value, label, selected) {
    return h('option', { value: value, selected: !!selected }, label);
  }

  function badge(cls, text, title) {
    return h('span.badge.' + cls, { title: title || null }, text);
  }

  function link(href, text, cls) {
    return h('a' + (cls ? '.' + cls : ''), { href: href, dataset: { nav: '1' } }, text);
  }

  // ---------------------------------------------------------------- API

  function ApiError(status, problem) {
    this.status = status;
    this.problem = problem || {};
    this.message = (problem && (problem.detail || problem.title)) || ('HTTP ' + status);
  }

  function randomKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  // fetch with the session cookie; writes carry the CSRF token. A 401 means the
  // session ended: back to the login page, returning here afterwards.
  function api(method, path, body, headers) {
    var init = { method: method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method !== 'GET') init.headers['X-CSRF-Token'] = CSRF;
    Object.keys(headers || {}).forEach(function (k) { init.headers[k] = headers[k]; });
    return fetch(path, init).then(function (res) {
      if (res.status === 401) {
        window.location.href = '/console/login?next=' + encodeURIComponent(window.location.pathname + window.location.search);
        throw new ApiError(401, { detail: t('error.sessionEnded') });
      }
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!res.ok) throw new ApiError(res.status, data || { detail: text });
        return { data: data, etag: res.headers.get('ETag') };
      });
    }, function () {
      throw new ApiError(0, { detail: t('error.network') });
    });
  }

  function get(path) {
    return api('GET', path).then(function (r) { return r.data; });
  }

  function query(params) {
    var q = Object.keys(params).filter(function (k) {
      return params[k] !== undefined && params[k] !== null && params[k] !== '';
    }).map(function (k) {
      return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
    }).join('&');
    return q ? '?' + q : '';
  }

  // ---------------------------------------------------------------- reference data

  var ref = { customers: null, departments: null };

  function loadReference(force) {
    var jobs = [];
    if (force || !ref.customers) {
      jobs.push(get('/api/v1/customers').then(function (list) {
        ref.customers = {};
        list.forEach(function (c) { ref.customers[c.id] = c; });
      }));
    }
    // Departments are the staff's own organisation; customers have no use for them.
    if (CAN.staff && (force || !ref.departments)) {
      jobs.push(get('/api/v1/departments').then(function (list) {
        ref.departments = {};
        list.forEach(function (d) { ref.departments[d.id] = d; });
      }));
    }
    return Promise.all(jobs).catch(function () {
      ref.customers = ref.customers || {};
      ref.departments = ref.departments || {};
    });
  }

  function customerName(id) {
    var c = ref.customers && ref.customers[id];
    return c ? c.name : id;
  }

  function departmentName(id) {
    var d = ref.departments && ref.departments[id];
    return d ? d.name : id;
  }

  // ---------------------------------------------------------------- formatting

  var INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;

  function offsetMinutes(text) {
    var m = /([+-])(\d{2}):(\d{2})$/.exec(text);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  }

  // The calendar date now at the server's offset: what "today" means on the desk.
  function todayAtOffset(dayDelta) {
    var ms = Date.now() + offsetMinutes(OFFSET) * 60000 + (dayDelta || 0) * 86400000;
    return new Date(ms).toISOString().slice(0, 10);
  }

  // Instants are shown at the offset the API wrote them in (the policy's zone), not
  // converted to the browser's: everyone on the desk reads the same clock.
  function fmtTime(text, opts) {
    if (!text) return '—';
    var m = INSTANT.exec(text);
    if (!m) return text;
    var date = m[1] + '-' + m[2] + '-' + m[3];
    var clock = m[4] + ':' + m[5];
    if (opts && opts.seconds && m[6]) clock += ':' + m[6];
    var day;
    if (date === todayAtOffset(0)) day = t('time.today');
    else if (date === todayAtOffset(-1)) day = t('time.yesterday');
    else if (date === todayAtOffset(1)) day = t('time.tomorrow');
    else {
      var weekday = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
      var md = m[1] === todayAtOffset(0).slice(0, 4) ? m[2] + '-' + m[3] : date;
      day = md + ' ' + t('weekday.' + weekday);
    }
    return day + ' ' + clock;
  }

  // HH:MM:SS of a browser Date at the server's offset.
  function clockAtOffset(date) {
    return new Date(date.getTime() + offsetMinutes(OFFSET) * 60000).toISOString().slice(11, 19);
  }

  function timeCell(text, opts) {
    return h('span.time', { title: text || null }, fmtTime(text, opts));
  }

  var ISO_DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

  // Seconds of an ISO 8601 duration (negative allowed); null when it has years or
  // months, which have no fixed length.
  function durationSeconds(text) {
    var m = ISO_DURATION.exec(text || '');
    if (!m || m[2] || m[3]) return null;
    var s = ((Number(m[4] || 0) * 7 + Number(m[5] || 0)) * 24 + Number(m[6] || 0)) * 3600 +
      Number(m[7] || 0) * 60 + Number(m[8] || 0);
    return m[1] ? -s : s;
  }

  function fmtSeconds(total) {
    var s = Math.round(Math.abs(total));
    var d = Math.floor(s / 86400);
    var hh = Math.floor((s % 86400) / 3600);
    var mm = Math.floor((s % 3600) / 60);
    var text;
    if (d > 0) text = t('dur.dh', { d: d, h: hh });
    else if (hh > 0 && mm === 0) text = t('dur.h', { h: hh });
    else if (hh > 0) text = t('dur.hm', { h: hh, m: (mm < 10 ? '0' : '') + mm });
    else if (mm > 0) text = t('dur.m', { m: mm });
    else text = t('dur.s', { s: s });
    return total < 0 ? '−' + text : text;
  }

  function fmtDuration(text) {
    if (!text) return '—';
    var m = ISO_DURATION.exec(text);
    if (m && (m[2] || m[3]) && !m[4] && !m[5] && !m[6] && !m[7] && !m[8]) {
      if (m[2] && !m[3]) return t('dur.years', { n: Number(m[2]) });
      if (m[3] && !m[2]) return t('dur.months', { n: Number(m[3]) });
    }
    var s = durationSeconds(text);
    return s === null ? text : fmtSeconds(s);
  }

  // An obligation's target as the API words it ("PT4H", "every PT30M",
  // "2 working days", "7 working days before the work", …), in the reader's language.
  function fmtTarget(text) {
    if (text === null || text === undefined) return '—';
    var m;
    if ((m = /^every (\S+)$/.exec(text))) return t('target.every', { d: fmtDuration(m[1]) });
    if ((m = /^(\d+) working days?$/.exec(text))) return t('target.workingDays', { n: m[1] });
    if ((m = /^(.+) before the work$/.exec(text))) return t('target.beforeWork', { p: fmtTarget(m[1]) });
    if (text === 'before the work starts') return t('target.beforeStart');
    if (text === 'no time limit') return t('target.noLimit');
    if ((m = /^(\d+) feedbacks?$/.exec(text))) return t('target.feedbacks', { n: m[1] });
    if ((m = /^P(\d+)D$/.exec(text))) return t('dur.days', { n: m[1] });
    if ((m = /^(-?P[0-9WDTHMS.]+) \((.+)\)$/.exec(text))) {
      var schedule = m[2] === 'working_days' ? t('schedule.workingDays') : m[2];
      return t('target.onSchedule', { d: fmtDuration(m[1]), s: schedule });
    }
    if (ISO_DURATION.test(text)) return fmtDuration(text);
    var names = text.split(', ');
    if (names.every(function (n) { return ARTIFACTS.indexOf(n) >= 0; })) {
      return names.map(function (n) { return v('artifact', n); }).join(t('list.sep'));
    }
    return text;
  }

  function fmtList(group, list) {
    return (list || []).map(function (x) { return v(group, x); }).join(t('list.sep'));
  }

  function levelBadges(customerLevel, assurance) {
    return h('span.levels',
      badge('level-' + customerLevel, v('level', customerLevel)),
      assurance ? badge('assurance', v('assurance', assurance), t('field.assurance_level')) : null);
  }

  function statusBadge(status) {
    return badge('status-' + status, v('status', status));
  }

  function stateBadge(state) {
    return badge('state-' + state, v('state', state));
  }

  function stageBadge(stage) {
    return stage ? badge('stage.stage-' + stage, v('stage', stage), t('field.stage')) : null;
  }

  function ticketLink(id, cls) {
    return link('/console/tickets/' + encodeURIComponent(id), id, cls || 'mono');
  }

  // Time to breach of a ticket in a list: red when past, amber within the hour.
  function ttbCell(item) {
    if (!item.time_to_breach) return h('td.num.muted', '—');
    var s = durationSeconds(item.time_to_breach);
    var cls = s === null ? '' : s < 0 ? '.overdue' : s < 3600 ? '.soon' : '';
    var text = s === null ? item.time_to_breach : s < 0 ? t('queue.overdueBy', { d: fmtSeconds(-s) }) : fmtSeconds(s);
    return h('td.num.ttb' + cls, { title: item.time_to_breach }, text);
  }

  // ---------------------------------------------------------------- page chrome

  var app = document.getElementById('app');
  var chrome = { nav: null, view: null, status: null };
  var current = null; // the current view: {render(), leave()}

  function navLink(href, key, active) {
    return h('a.nav-link' + (active ? '.active' : ''), { href: href, dataset: { nav: '1' } }, t(key));
  }

  function renderChrome() {
    clear(app);
    var path = window.location.pathname;
    var onQueue = path === '/console/' || path.indexOf('/console/tickets') === 0;
    var logout = h('form.logout', { method: 'post', action: '/console/logout' },
      h('input', { type: 'hidden', name: 'csrf', value: CSRF }),
      h('button.link-button', { type: 'submit' }, t('nav.logout')));
    var who = [h('span.user-name', USER.name)];
    who.push(badge('role', v('role', USER.role)));
    if (USER.customer_id) who.push(h('span.user-customer', customerName(USER.customer_id)));
    chrome.nav = h('header.topbar',
      h('a.brand', { href: '/console/', dataset: { nav: '1' } }, h('span.brand-mark'), 'tierdesk'),
      h('nav.nav',
        navLink('/console/', 'nav.queue', onQueue),
        CAN.may_open.length ? navLink('/console/new', 'nav.new', path === '/console/new') : null,
        navLink('/console/customers', CAN.staff ? 'nav.customers' : 'nav.myServices', path.indexOf('/console/customers') === 0),
        OUTBOX.read ? navLink('/console/notifications', 'nav.notifications', path === '/console/notifications') : null),
      h('div.spacer'),
      h('div.who', who),
      h('div.lang-switch', { role: 'group', 'aria-label': t('nav.language') },
        h('button', { type: 'button', dataset: { lang: 'zh-CN' } }, '中文'),
        h('button', { type: 'button', dataset: { lang: 'en' } }, 'EN')),
      logout);
    chrome.view = h('main.view');
    var footer = h('footer.footer', t('footer.text', { version: SESSION.version, offset: OFFSET }));
    append(app, [chrome.nav, chrome.view, footer]);
    I.apply(app);
    document.documentElement.lang = I.lang();
  }

  function setTitle(text) {
    document.title = text ? text + ' · tierdesk' : 'tierdesk';
  }

  // A 409 from the workflow: the event does not fit where the ticket stands.
  function isTransition(err) {
    var type = err && err.problem && err.problem.type;
    return !!err && err.status === 409 && typeof type === 'string' && /\/invalid-transition$/.test(type);
  }

  // An API problem for people; `extra` (nodes) is added below the message.
  function errorBox(err, extra) {
    var problem = err && err.problem ? err.problem : {};
    if (isTransition(err)) {
      // The detail repeats the pointer ("/events/0: …"); the field error alone reads
      // better, with the ticket it is about when several were written together
      // ("/tickets/F-2/0", a mass outage's restoration).
      var first = problem.errors && problem.errors[0];
      var m = first && /^\/tickets\/([^/]+)\//.exec(first.pointer || '');
      var which = m ? m[1].replace(/~1/g, '/').replace(/~0/g, '~') : null;
      return h('div.alert.error.transition', { role: 'alert' },
        h('strong', t('error.invalidTransition') + ' (409)'), ' ',
        which ? [ticketLink(which), ': '] : null,
        (first && first.detail) || problem.detail || err.message,
        extra ? h('div.transition-context', extra) : null);
    }
    var head = err && err.status ? t('error.status.' + err.status, null, t('error.generic')) + ' (' + err.status + ')' : t('error.generic');
    return h('div.alert.error', { role: 'alert' }, h('strong', head), ' ', problem.detail || (err && err.message) || '', extra ? h('div', extra) : null);
  }

  function loading() {
    return h('div.loading', t('common.loading'));
  }

  // ---------------------------------------------------------------- routing

  function go(url, replace) {
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    route();
  }

  function route() {
    if (current && current.leave) current.leave();
    current = null;
    renderChrome();
    var path = window.location.pathname;
    var m;
    if (path === '/console/' || path === '/console/tickets') return showQueue();
    if ((m = /^\/console\/tickets\/([^/]+)$/.exec(path))) return showTicket(decodeURIComponent(m[1]));
    if (path === '/console/new') return showNew();
    if (path === '/console/customers') return showCustomers(null);
    if ((m = /^\/console\/customers\/([^/]+)$/.exec(path))) return showCustomers(decodeURIComponent(m[1]));
    if (path === '/console/notifications') return OUTBOX.read ? showNotifications() : showMessage('forbidden');
    showMessage('notFound');
  }

  // A page that only says something (`notFound`, `forbidden`), with the way back.
  function showMessage(key) {
    function render() {
      if (current !== view) return;
      setTitle(t(key + '.title'));
      append(clear(chrome.view), h('div.empty', h('p', t(key + '.text')), link('/console/', t('nav.queue'))));
    }
    var view = { render: render };
    current = view;
    render();
  }

  document.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a[data-nav]') : null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go(a.getAttribute('href'));
  });
  window.addEventListener('popstate', route);
  document.addEventListener('tierdesk:lang', function () {
    // Redraw from what is already loaded: no refetch, same view.
    var view = current;
    renderChrome();
    current = view;
    if (view && view.render) view.render();
  });

  // ---------------------------------------------------------------- queue

  var PAGE = 50;

  function readFilters() {
    var p = new URLSearchParams(window.location.search);
    return {
      kind: p.get('kind') || '',
      status: p.get('status') || 'open',
      level: p.get('level') || '',
      assurance: p.get('assurance') || '',
      customer: p.get('customer') || '',
      department: p.get('department') || '',
      breached: p.get('breached') || '',
      stage: p.get('stage') || '',
      // `assurance`: the operations queue (AAA first, then by time to breach).
      order: p.get('order') === 'assurance' ? 'assurance' : ''
    };
  }

  function apiParams(f, limit, cursor) {
    var p = {
      kind: f.kind,
      level: f.level,
      assurance_level: f.assurance,
      customer: f.customer,
      department: f.department,
      breached: f.breached,
      stage: f.stage,
      order: f.order,
      limit: limit,
      cursor: cursor
    };
    if (f.status === 'open') p.open = 'true';
    else if (f.status === 'finished') p.open = 'false';
    else if (f.status !== 'all') p.state = f.status;
    return p;
  }

  function showQueue() {
    var filters = readFilters();
    setTitle(t(filters.order ? 'queue.opsTitle' : 'queue.title'));
    var state = { items: [], cursor: null, loading: true, error: null, refreshedAt: null, auto: true };
    var timer = null;

    function fetchPage(limit, cursor) {
      return get('/api/v1/tickets' + query(apiParams(filters, limit, cursor)));
    }

    function reload() {
      // Keep as many rows as are shown, so a refresh does not fold "load more" back.
      var limit = Math.min(500, Math.max(PAGE, state.items.length));
      state.loading = true;
      render();
      return Promise.all([loadReference(false), fetchPage(limit, null)]).then(function (r) {
        state.items = r[1].items;
        state.cursor = r[1].next_cursor || null;
        state.error = null;
        state.refreshedAt = new Date();
      }, function (err) {
        state.error = err;
      }).then(function () {
        state.loading = false;
        render();
      });
    }

    function more() {
      if (!state.cursor) return;
      state.loading = true;
      render();
      fetchPage(PAGE, state.cursor).then(function (page) {
        state.items = state.items.concat(page.items);
        state.cursor = page.next_cursor || null;
        state.error = null;
      }, function (err) {
        state.error = err;
      }).then(function () {
        state.loading = false;
        render();
      });
    }

    function setFilter(name, value) {
      filters[name] = value;
      var url = {};
      Object.keys(filters).forEach(function (k) {
        var d = k === 'status' ? 'open' : '';
        if (filters[k] !== d) url[k] = filters[k];
      });
      window.history.replaceState(null, '', '/console/' + query(url));
      state.items = [];
      state.cursor = null;
      reload();
    }

    function select(name, label, values, group, allLabel) {
      var s = h('select', { id: 'filter-' + name, onchange: function () { setFilter(name, s.value); } },
        allLabel === null ? null : option('', allLabel || t('filter.any'), filters[name] === ''),
        values.map(function (x) {
          var val = typeof x === 'string' ? x : x[0];
          var text = typeof x === 'string' ? v(group, x) : x[1];
          return option(val, text, filters[name] === val);
        }));
      return h('label.filter', h('span', label), s);
    }

    function filterBar() {
      var statusValues = [['open', t('filter.openOnly')], ['all', t('filter.allStatuses')], ['finished', t('filter.finished')]]
        .concat(STATUSES.map(function (s) { return [s, v('status', s)]; }));
      var bar = h('div.filters',
        select('kind', t('field.kind'), TICKET_KINDS, 'kind'),
        select('status', t('field.status'), statusValues, null, null),
        // A customer has one level: the filter would only ever match all or nothing.
        CAN.staff ? select('level', t('field.customer_level'), CUSTOMER_LEVELS, 'level') : null,
        select('assurance', t('field.assurance_level'), ASSURANCE_LEVELS, 'assurance'),
        select('breached', t('filter.breached'), [['true', t('filter.breachedYes')], ['false', t('filter.breachedNo')]]),
        select('stage', t('field.stage'), STAGES, 'stage'));
      if (CAN.staff) {
        var customers = Object.keys(ref.customers || {}).sort().map(function (id) { return [id, customerName(id)]; });
        var departments = Object.keys(ref.departments || {}).sort().map(function (id) { return [id, departmentName(id)]; });
        var opsOrder = h('input', {
          type: 'checkbox', id: 'filter-order', checked: filters.order === 'assurance',
          onchange: function (e) {
            setTitle(t(e.target.checked ? 'queue.opsTitle' : 'queue.title'));
            setFilter('order', e.target.checked ? 'assurance' : '');
          }
        });
        append(bar, [
          select('customer', t('field.customer'), customers),
          select('department', t('field.department'), departments),
          h('label.check.filter.ops-order', { title: t('queue.opsOrderHint') }, opsOrder, t('queue.opsOrder'))
        ]);
      }
      return bar;
    }

    function slaCell(item) {
      if (item.breached) return h('td.sla', badge('breached', t('queue.breached')));
      var s = durationSeconds(item.time_to_breach);
      if (s !== null && s < 3600) return h('td.sla', badge('soon', t('queue.dueSoon')));
      return h('td.sla');
    }

    function row(item) {
      var href = '/console/tickets/' + encodeURIComponent(item.id);
      var tr = h('tr' + (item.breached ? '.row-breached' : ''), {
        onclick: function (e) {
          if (e.target.closest('a')) return;
          go(href);
        }
      },
      slaCell(item),
      h('td.mono', link(href, item.id),
        item.parent ? h('div.small.parent-ref', { title: t('field.parent') }, '↳ ', ticketLink(item.parent)) : null),
      h('td', v('kind', item.kind)),
      CAN.staff ? h('td', h('div.clip.customer', { title: item.customer_id }, customerName(item.customer_id))) : null,
      h('td', levelBadges(item.customer_level, item.assurance_level)),
      h('td.title-cell', h('div.clip', { title: item.title }, item.title)),
      h('td', statusBadge(item.status)),
      h('td', stageBadge(item.stage)),
      h('td', timeCell(item.next_due)),
      ttbCell(item),
      CAN.staff ? h('td.departments', item.departments.map(function (d) {
        return h('span.dept', { title: departmentName(d) }, d);
      })) : null);
      return tr;
    }

    function render() {
      if (current !== view) return;
      var view_ = clear(chrome.view);
      var breached = state.items.filter(function (i) { return i.breached; }).length;
      var auto = h('input', {
        type: 'checkbox', checked: state.auto, id: 'auto-refresh',
        onchange: function (e) { state.auto = e.target.checked; }
      });
      append(view_, [
        h('div.page-head',
          h('h1', t(filters.order ? 'queue.opsTitle' : 'queue.title')),
          h('div.counts',
            h('span', t('queue.shown', { n: state.items.length })),
            breached ? h('span.count-breached', t('queue.breachedCount', { n: breached })) : null),
          h('div.spacer'),
          state.refreshedAt ? h('span.muted.small', t('queue.refreshedAt', { time: clockAtOffset(state.refreshedAt) })) : null,
          h('label.check.small', auto, t('queue.autoRefresh')),
          h('button', { type: 'button', onclick: reload, disabled: state.loading }, t('common.refresh'))),
        filterBar(),
        state.error ? errorBox(state.error) : null
      ]);
      var table = h('table.grid.queue',
        h('thead', h('tr',
          h('th.sla', t('queue.sla')),
          h('th', t('field.id')),
          h('th', t('field.kind')),
          CAN.staff ? h('th', t('field.customer')) : null,
          h('th', t('queue.levels')),
          h('th', t('field.title')),
          h('th', t('field.status')),
          h('th', t('field.stage')),
          h('th', t('field.next_due')),
          h('th.num', t('field.time_to_breach')),
          CAN.staff ? h('th', t('field.departments')) : null)),
        h('tbody', state.items.map(row)));
      append(view_, h('div.table-wrap.queue-wrap', table));
      if (!state.items.length && !state.loading && !state.error) {
        append(view_, h('div.empty', t('queue.empty')));
      }
      if (state.loading) append(view_, loading());
      if (state.cursor && !state.loading) {
        append(view_, h('div.more', h('button', { type: 'button', onclick: more }, t('queue.loadMore'))));
      }
    }

    var view = {
      render: render,
      leave: function () { if (timer) window.clearInterval(timer); }
    };
    current = view;
    // Time to breach moves by the minute: refresh while the queue is on screen.
    timer = window.setInterval(function () {
      if (state.auto && !state.loading && document.visibilityState === 'visible') reload();
    }, 60000);
    reload();
  }

  // ---------------------------------------------------------------- ticket detail

  // Fields each event type needs, beyond time, actor and note.
  var EVENT_FIELDS = {
    dispatched: ['to'],
    paused: ['reason'],
    callback: ['satisfied'],
    artifact: ['name'],
    notice_sent: ['channel'],
    rescheduled: ['work_start'],
    delay_agreed: ['until'],
    rectification_required: ['item'],
    rectified: ['item'],
    linked: ['parent'],
    escalated: ['to']
  };

  // A datetime-local value read at the server's offset, as RFC 3339.
  function localToInstant(value) {
    if (!value) return null;
    return (value.length === 16 ? value + ':00' : value) + OFFSET;
  }

  // The event types this user may record on a ticket of `kind`.
  function eventTypesFor(kind) {
    for (var i = 0; i < CAN.events.length; i++) {
      if (CAN.events[i][0] === kind) return CAN.events[i][1];
    }
    return [];
  }

  // The control of a field that is shown (a field may hold several, one per event type).
  function visibleControl(f) {
    var list = f.querySelectorAll('input, select, textarea');
    for (var i = 0; i < list.length; i++) {
      if (!list[i].hidden && list[i].type !== 'hidden') return list[i];
    }
    return null;
  }

  // Shows an API problem next to the field its first error points at
  // (`/events/0/reason` → the `reason` field), or at the top of the form; `extra`
  // (nodes) goes with a problem shown at the top.
  function showProblem(form, err, extra) {
    form.querySelectorAll('.field-error').forEach(function (e) { e.remove(); });
    form.querySelectorAll('.invalid').forEach(function (e) { e.classList.remove('invalid'); });
    var top = form.querySelector('.form-problem');
    if (top) clear(top);
    var problem = err.problem || {};
    var pointer = problem.errors && problem.errors[0] && problem.errors[0].pointer;
    var detail = (problem.errors && problem.errors[0] && problem.errors[0].detail) || problem.detail || err.message;
    if (pointer) {
      var name = pointer.split('/').filter(Boolean).filter(function (s) { return !/^\d+$/.test(s) && s !== 'events'; }).pop();
      // Only field names (a ticket id in the pointer names no field).
      var field = name && /^[a-z_]+$/.test(name) && form.querySelector('[data-field="' + name + '"]');
      if (field && !field.hidden) {
        var input = visibleControl(field);
        if (input) {
          input.classList.add('invalid');
          input.focus();
        }
        field.appendChild(h('div.field-error', { role: 'alert' }, detail));
        return;
      }
    }
    if (top) append(top, errorBox(err, extra));
  }

  function clearProblem(form) {
    form.querySelectorAll('.field-error').forEach(function (e) { e.remove(); });
    form.querySelectorAll('.invalid').forEach(function (e) { e.classList.remove('invalid'); });
    clear(form.querySelector('.form-problem'));
  }

  // Marks empty required fields before sending, in the reader's language; the API
  // checks the same and more, and its answer is shown the same way.
  function missingRequired(form, checks) {
    clearProblem(form);
    var first = null;
    checks.forEach(function (c) {
      if (c[1] !== '' && c[1] !== null && c[1] !== undefined) return;
      var f = form.querySelector('[data-field="' + c[0] + '"]');
      if (!f || f.hidden) return;
      var input = visibleControl(f);
      if (input) input.classList.add('invalid');
      f.appendChild(h('div.field-error', { role: 'alert' }, t('form.required')));
      first = first || input;
    });
    if (first) first.focus();
    return !!first;
  }

  function field(name, label, control, opts) {
    return h('div.field' + (opts && opts.wide ? '.wide' : ''), { dataset: { field: name } },
      h('label', { for: control.id || null }, label, opts && opts.optional ? h('span.optional', ' ' + t('common.optional')) : null),
      control,
      opts && opts.hint ? h('div.hint', opts.hint) : null);
  }

  function detailText(o) {
    var d = o.detail || {};
    var parts = [];
    if (d.note) parts.push(I.note(d.note));
    if (d.feedbacks !== undefined) parts.push(t('detail.cadence', { given: d.feedbacks, missed: d.missed_intervals }));
    if (d.given !== undefined) parts.push(t('detail.count', { given: d.given, required: d.required }));
    if (d.missing) parts.push(d.missing.length ? t('detail.missing', { list: fmtList('artifact', d.missing) }) : t('detail.noneMissing'));
    if (d.recipient) {
      parts.push(t('detail.notice', { recipient: v('recipient', d.recipient), channels: fmtList('channel', d.channels) }));
      if (d.ignored_notices) parts.push(t('detail.ignoredNotices', { n: d.ignored_notices }));
    }
    if (d.written !== undefined) parts.push(t(d.written ? 'detail.written' : 'detail.notWritten'));
    if (o.provisional_calendar) parts.push(t('detail.provisional'));
    return parts.join(t('list.sep2'));
  }

  function pausedText(paused) {
    var keys = Object.keys(paused || {});
    if (!keys.length) return '—';
    return keys.map(function (k) { return v('reason', k) + ' ' + fmtDuration(paused[k]); }).join(t('list.sep'));
  }

  // The data of an event, for the history: the department it went to (or the one an
  // alert concerns), the promise and due instant of an alert, the agreed date of a
  // delay, the acceptance item, the parent outage, …
  function eventDetails(e) {
    var out = [];
    var system = ALERT_EVENTS.indexOf(e.type) >= 0 && e.type !== 'escalated';
    if (e.obligation) out.push(h('strong.ev-obligation', v('obligation', e.obligation)));
    if (e.to) {
      var dept = h('span.dept', { title: departmentName(e.to) }, e.to);
      out.push(system ? h('span', t('event.party'), ' ', dept) : h('span', '→ ', dept));
    }
    if (e.reason) out.push(badge('reason', v('reason', e.reason)));
    if (e.satisfied !== undefined) out.push(badge(e.satisfied ? 'state-met' : 'state-breached', t(e.satisfied ? 'event.satisfiedYes' : 'event.satisfiedNo')));
    if (e.name) out.push(h('span', v('artifact', e.name)));
    if (e.channel) out.push(h('span', v('channel', e.channel)));
    if (e.work_start) out.push(h('span', t('event.newStart'), ' ', timeCell(e.work_start)));
    if (e.until) out.push(h('span', t('event.until'), ' ', timeCell(e.until)));
    if (e.item) out.push(h('span.item', { title: t('ev.item') }, e.item));
    if (e.parent) out.push(h('span', t('event.parent'), ' ', ticketLink(e.parent)));
    if (e.due) out.push(h('span', t('event.due'), ' ', timeCell(e.due)));
    return out;
  }

  // Acceptance items awaiting rectification: required and not rectified since, in
  // the order they were found (as the workflow keeps them).
  function openItems(tk) {
    var open = [];
    (tk.events || []).forEach(function (e) {
      if (e.type === 'rectification_required' && e.item && open.indexOf(e.item) < 0) open.push(e.item);
      if (e.type === 'rectified') open = open.filter(function (x) { return x !== e.item; });
    });
    return open;
  }

  function showTicket(id) {
    setTitle(id);
    var state = {
      ticket: null, error: null, flash: null, service: null, circuit: null, loading: true,
      children: null, // faults linked to this one (a mass outage), when it is a fault
      formError: null, // a problem to show on the event form once the ticket is reloaded
      loadedAt: 0,
      outageNote: ''
    };
    var formState = null; // values typed into the event form, kept across redraws

    function load() {
      state.loading = true;
      render();
      return Promise.all([loadReference(false), api('GET', '/api/v1/tickets/' + encodeURIComponent(id))]).then(function (r) {
        state.ticket = r[1].data;
        state.loadedAt = Date.now();
        state.error = null;
        loadLinked();
        loadChildren();
      }, function (err) {
        state.error = err;
      }).then(function () {
        state.loading = false;
        render();
      });
    }

    // The service's and circuit's names, for the header; the ticket works without them.
    function loadLinked() {
      var tk = state.ticket;
      if (tk.service_id && (!state.service || state.service.id !== tk.service_id)) {
        get('/api/v1/services/' + encodeURIComponent(tk.service_id)).then(function (s) { state.service = s; render(); }, function () {});
      }
      if (tk.circuit_id && (!state.circuit || state.circuit.id !== tk.circuit_id)) {
        get('/api/v1/circuits/' + encodeURIComponent(tk.circuit_id)).then(function (c) { state.circuit = c; render(); }, function () {});
      }
    }

    // The faults linked to this one: a mass outage's parent lists its children.
    function loadChildren() {
      var tk = state.ticket;
      if (!tk || tk.kind !== 'fault') {
        state.children = null;
        return;
      }
      get('/api/v1/tickets' + query({ parent: tk.id, limit: 500 })).then(function (page) {
        state.children = page.items;
        render();
      }, function () {
        state.children = null;
      });
    }

    // The server's clock now, as far as the browser can tell: the instant the
    // ticket was evaluated plus the time since it was loaded.
    function serverNow() {
      var evaluated = Date.parse(state.ticket && state.ticket.evaluation && state.ticket.evaluation.evaluated_at);
      return isNaN(evaluated) ? Date.now() : evaluated + (Date.now() - state.loadedAt);
    }

    function headerFields(tk) {
      var rows = [];
      function add(key, value) {
        if (value === null || value === undefined || value === '' || value === false) return;
        rows.push(h('div.kv', h('dt', t(key)), h('dd', value)));
      }
      add('field.customer', h('span', customerName(tk.customer_id), ' ', h('span.muted.mono', tk.customer_id)));
      add('field.service', tk.service_id ? h('span', state.service ? state.service.name + ' ' : '', h('span.muted.mono', tk.service_id)) : null);
      add('field.circuit', tk.circuit_id ? h('span', h('span.mono', tk.circuit_id),
        state.circuit ? ' ' + state.circuit.a_end + ' ⇄ ' + state.circuit.z_end + (state.circuit.bandwidth ? ' · ' + state.circuit.bandwidth : '') : '') : null);
      add('field.category', tk.category ? v('category', tk.category) : null);
      add('field.scope', tk.scope ? v('scope', tk.scope) : null);
      add('field.change_type', tk.change_type ? v('change', tk.change_type) : null);
      add('field.work_start', tk.work_start ? timeCell(tk.work_start) : null);
      add('field.parent', tk.parent ? ticketLink(tk.parent) : null);
      add('field.next_due', timeCell(tk.next_due));
      add('field.created', h('span', timeCell(tk.created_at), ' · ', tk.created_by));
      add('field.policy', tk.policy.name + ' ' + tk.policy.version);
      return h('dl.kvs', rows);
    }

    function flags(tk) {
      return [
        tk.full_outage ? badge('flag-red', t('flag.fullOutage')) : null,
        tk.emergency ? badge('flag-warn', t('flag.emergency')) : null,
        tk.green_channel ? badge('flag-green', t('flag.greenChannel')) : null,
        tk.needs_backfill ? badge('flag-warn', t('flag.needsBackfill')) : null,
        tk.terminal ? badge('flag', t('flag.terminal')) : null,
        tk.operator_equipment === false ? badge('flag', t('flag.notOperatorEquipment')) : null
      ];
    }

    function obligationsTable(tk) {
      var obs = (tk.evaluation && tk.evaluation.obligations) || [];
      return h('div.table-wrap', h('table.grid.obligations',
        h('thead', h('tr',
          h('th', t('ob.name')), h('th', t('ob.state')), h('th', t('ob.target')), h('th', t('ob.start')),
          h('th', t('ob.due')), h('th', t('ob.met_at')), h('th.num', t('ob.counted')), h('th', t('ob.paused')),
          h('th.num', t('ob.lateness')), h('th.num', t('ob.remaining')), h('th', t('ob.detail')))),
        h('tbody', obs.map(function (o) {
          var remaining = durationSeconds(o.remaining);
          return h('tr.ob-' + o.state,
            h('td', h('strong', v('obligation', o.name)), o.party ? h('span.muted.small', ' · ' + o.party) : null),
            h('td', stateBadge(o.state)),
            h('td', { title: o.target || null }, fmtTarget(o.target)),
            h('td', timeCell(o.start)),
            h('td', timeCell(o.due)),
            h('td', timeCell(o.met_at)),
            h('td.num', { title: o.counted || null }, fmtDuration(o.counted)),
            h('td', pausedText(o.paused)),
            h('td.num' + (o.lateness ? '.overdue' : ''), { title: o.lateness || null }, fmtDuration(o.lateness)),
            h('td.num' + (remaining !== null && remaining < 3600 ? '.soon' : ''), { title: o.remaining || null }, fmtDuration(o.remaining)),
            h('td.detail-cell', detailText(o)));
        }))));
    }

    // What the SLA scheduler will record on this ticket, soonest first.
    function alertsTable(tk) {
      var alerts = (tk.alerts || []).slice().sort(function (a, b) { return Date.parse(a.fire_at) - Date.parse(b.fire_at); });
      if (!alerts.length) return h('div.panel.muted.small', t('alerts.none'));
      var now = serverNow();
      return h('div.table-wrap', h('table.grid.alerts',
        h('thead', h('tr',
          h('th.num', t('alerts.in')), h('th', t('alerts.fireAt')), h('th', t('alerts.what')),
          h('th', t('ob.name')), h('th', t('field.department')), h('th', t('ob.due')))),
        h('tbody', alerts.map(function (a) {
          var seconds = (Date.parse(a.fire_at) - now) / 1000;
          var inText = isNaN(seconds) ? '—' : seconds > 0 ? fmtSeconds(seconds) : t('alerts.now');
          return h('tr.alert-row.alert-' + a.alert,
            h('td.num' + (seconds < 3600 ? '.soon' : ''), inText),
            h('td', timeCell(a.fire_at)),
            h('td', badge('alert-kind.alert-' + a.alert, v('alert', a.alert))),
            h('td', a.obligation ? v('obligation', a.obligation) : '—'),
            h('td', a.party ? h('span.dept', { title: departmentName(a.party) }, a.party) : '—'),
            h('td', timeCell(a.due)));
        }))));
    }

    function historyTable(tk) {
      var events = tk.events.slice().reverse(); // newest first: what just happened is on top
      return h('div.table-wrap', h('table.grid.history',
        h('thead', h('tr',
          h('th.num', '#'), h('th', t('ev.at')), h('th', t('ev.type')), h('th', t('ev.details')),
          h('th', t('ev.by')), h('th', t('ev.actor')), h('th', t('ev.note')))),
        h('tbody', events.map(function (e) {
          var alert = ALERT_EVENTS.indexOf(e.type) >= 0;
          return h('tr' + (alert ? '.ev-alert.ev-' + e.type : ''),
            h('td.num.muted', e.seq),
            h('td', timeCell(e.at), e.recorded_at && e.recorded_at !== e.at ? h('div.muted.small', { title: e.recorded_at }, t('ev.recorded', { time: fmtTime(e.recorded_at) })) : null),
            h('td', h('strong', v('event', e.type))),
            h('td', h('div.ev-details', eventDetails(e))),
            h('td', e.by ? h('span.dept', { title: departmentName(e.by) }, e.by) : '—'),
            h('td.mono.small', e.actor),
            h('td.note', e.note || ''));
        }))));
    }

    // A mass outage: the faults linked to this one and, for whoever restores
    // faults, restoring them all with the parent at one instant.
    function outagePanel(tk) {
      var children = state.children || [];
      if (!children.length) return null;
      var open = children.filter(function (c) { return FINISHED.indexOf(c.status) < 0; });
      var mayRestore = eventTypesFor('fault').indexOf('restored') >= 0;
      var parentOpen = (tk.next_events || []).indexOf('restored') >= 0;
      var list = h('div.table-wrap', h('table.grid.compact.children',
        h('thead', h('tr',
          h('th', t('field.id')), CAN.staff ? h('th', t('field.customer')) : null, h('th', t('queue.levels')),
          h('th', t('field.title')), h('th', t('field.status')), h('th', t('field.stage')),
          h('th', t('field.next_due')), h('th.num', t('field.time_to_breach')))),
        h('tbody', children.map(function (c) {
          return h('tr' + (c.breached ? '.row-breached' : ''),
            h('td', ticketLink(c.id)),
            CAN.staff ? h('td', h('div.clip.customer', { title: c.customer_id }, customerName(c.customer_id))) : null,
            h('td', levelBadges(c.customer_level, c.assurance_level)),
            h('td', h('div.clip.child-title', { title: c.title }, c.title)),
            h('td', statusBadge(c.status)),
            h('td', stageBadge(c.stage)),
            h('td', timeCell(c.next_due)),
            ttbCell(c));
        }))));
      var form = null;
      if (mayRestore && (open.length || parentOpen)) {
        var note = h('textarea', {
          id: 'outage-note', rows: 2, value: state.outageNote,
          oninput: function () { state.outageNote = note.value; }
        });
        var button = h('button.primary', { type: 'submit' }, t('outage.restore'));
        form = h('form.outage-form', {
          novalidate: true,
          onsubmit: function (e) {
            e.preventDefault();
            if (!window.confirm(t('outage.confirm', { id: tk.id, n: open.length }))) return;
            clearProblem(form);
            button.disabled = true;
            var body = {};
            if (note.value.trim()) body.note = note.value.trim();
            api('POST', '/api/v1/tickets/' + encodeURIComponent(tk.id) + '/restore-outage', body).then(function (r) {
              var ids = (r.data && r.data.restored) || [];
              state.flash = ids.length ? t('outage.done', { n: ids.length, list: ids.join(t('list.sep')) }) : t('outage.nothing');
              state.outageNote = '';
              formState = null;
              load();
            }, function (err) {
              button.disabled = false;
              showProblem(form, err);
            });
          }
        },
        h('div.form-problem'),
        field('note', t('outage.note'), note, { optional: true, wide: true }),
        h('div.actions', button, h('span.hint', t('outage.hint'))));
      }
      return h('section.panel.outage',
        h('h2', t('outage.title'), h('span.muted.small', ' ' + t('outage.count', { n: children.length, open: open.length }))),
        list,
        form);
    }

    function eventForm(tk) {
      var allowed = eventTypesFor(tk.kind);
      if (!allowed.length) {
        return h('div.panel.muted', t('form.event.none'));
      }
      // What the workflow takes now and the role may record, in the workflow's order.
      var next = tk.next_events || [];
      var types = next.filter(function (x) { return allowed.indexOf(x) >= 0; });
      var others = next.filter(function (x) { return allowed.indexOf(x) < 0; });
      var othersHint = others.length ? h('div.hint.others-next', t('form.event.othersNext', { list: fmtList('event', others) })) : null;
      if (!types.length) {
        return h('div.panel.event-form.nothing-now',
          h('h2', t('form.event.title')),
          h('div.form-problem'),
          h('p.muted', t('form.event.noneNow', { stage: v('stage', tk.stage) })),
          othersHint);
      }
      // The events that start a ticket are rarely recorded again, and links and
      // escalations are asides: offer the first of the others (the list follows a
      // ticket's usual life).
      var rare = ['reported', 'alarm', 'opened', 'linked', 'escalated'];
      var usual = types.filter(function (x) { return rare.indexOf(x) < 0; })[0] || types[0];
      var fs = formState || { type: usual };
      if (types.indexOf(fs.type) < 0) fs.type = usual;
      formState = fs;

      var typeSelect = h('select', { id: 'ev-type' }, types.map(function (x) { return option(x, v('event', x), x === fs.type); }));
      var departments = Object.keys(ref.departments || {}).sort();
      var toInput = h('input', { id: 'ev-to', list: 'ev-departments', value: fs.to || '', autocomplete: 'off' });
      var reason = h('select', { id: 'ev-reason' }, PAUSE_REASONS.map(function (x) { return option(x, v('reason', x), x === fs.reason); }));
      var satisfied = h('select', { id: 'ev-satisfied' },
        option('true', t('event.satisfiedYes'), fs.satisfied !== 'false'),
        option('false', t('event.satisfiedNo'), fs.satisfied === 'false'));
      var artifact = h('select', { id: 'ev-name' }, ARTIFACTS.map(function (x) { return option(x, v('artifact', x), x === fs.name); }));
      var channel = h('select', { id: 'ev-channel' }, option('', t('common.notRecorded'), !fs.channel),
        CHANNELS.map(function (x) { return option(x, v('channel', x), x === fs.channel); }));
      var workStart = h('input', { id: 'ev-work-start', type: 'datetime-local', value: fs.work_start || '' });
      var until = h('input', { id: 'ev-until', type: 'datetime-local', value: fs.until || '' });
      // A new item is typed; a rectified one is chosen among the open ones.
      var open = openItems(tk);
      var itemText = h('input', { id: 'ev-item', value: fs.item || '', maxlength: 200, autocomplete: 'off' });
      var itemSelect = h('select', { id: 'ev-item-open' }, open.map(function (x) { return option(x, x, x === fs.item_open); }));
      var noOpenItems = h('div.hint', t('ev.noOpenItems'));
      var parentInput = h('input', { id: 'ev-parent', value: fs.parent || '', autocomplete: 'off', placeholder: 'F-…' });
      var at = h('input', { id: 'ev-at', type: 'datetime-local', value: fs.at || '', step: 60 });
      var by = h('input', { id: 'ev-by', value: fs.by || '', placeholder: USER.department_id || '', list: 'ev-departments', autocomplete: 'off' });
      var note = h('textarea', { id: 'ev-note', rows: 3, value: fs.note || '' });
      var submit = h('button.primary', { type: 'submit' }, t('form.event.submit'));

      var itemLabel = h('label', { for: 'ev-item' }, t('ev.item'));
      var extra = {
        to: field('to', t('ev.to'), toInput, { optional: true }),
        reason: field('reason', t('ev.reason'), reason),
        satisfied: field('satisfied', t('ev.satisfied'), satisfied),
        name: field('name', t('ev.artifact'), artifact),
        channel: field('channel', t('ev.channel'), channel, { optional: true }),
        work_start: field('work_start', t('ev.work_start'), workStart),
        until: field('until', t('ev.until'), until, { hint: t('form.event.untilHint', { offset: OFFSET }) }),
        item: h('div.field', { dataset: { field: 'item' } }, itemLabel, itemText, itemSelect, noOpenItems),
        parent: field('parent', t('ev.parent'), parentInput, { hint: t('ev.parentHint') })
      };
      var noteField = field('note', t('ev.note'), note, { optional: true, wide: true });

      function syncFields() {
        var type = typeSelect.value;
        var needs = EVENT_FIELDS[type] || [];
        Object.keys(extra).forEach(function (k) { extra[k].hidden = needs.indexOf(k) < 0; });
        // `to` is where a dispatch goes, or whom an escalation went to.
        extra.to.querySelector('label').firstChild.textContent = type === 'escalated' ? t('ev.escalatedTo') : t('ev.to');
        itemText.hidden = type !== 'rectification_required';
        itemSelect.hidden = type !== 'rectified';
        noOpenItems.hidden = type !== 'rectified' || open.length > 0;
        itemLabel.setAttribute('for', type === 'rectified' ? 'ev-item-open' : 'ev-item');
        // A pause needs its evidence, so that the exclusion can be audited.
        var paused = type === 'paused';
        note.required = paused;
        noteField.querySelector('label').firstChild.textContent = paused ? t('ev.evidence') : t('ev.note');
        noteField.querySelector('.optional').hidden = paused;
        workStart.required = type === 'rescheduled';
        until.required = type === 'delay_agreed';
        itemText.required = type === 'rectification_required';
        parentInput.required = type === 'linked';
      }

      function remember() {
        formState = {
          type: typeSelect.value, to: toInput.value, reason: reason.value, satisfied: satisfied.value,
          name: artifact.value, channel: channel.value, work_start: workStart.value, until: until.value,
          item: itemText.value, item_open: itemSelect.value, parent: parentInput.value, at: at.value,
          by: by.value, note: note.value
        };
      }

      var form = h('form.panel.event-form', {
        novalidate: true,
        oninput: remember,
        onchange: remember,
        onsubmit: function (e) {
          e.preventDefault();
          remember();
          var type = typeSelect.value;
          var ev = { type: type };
          var needs = EVENT_FIELDS[type] || [];
          var item = type === 'rectified' ? itemSelect.value : itemText.value.trim();
          if (needs.indexOf('to') >= 0 && toInput.value.trim()) ev.to = toInput.value.trim();
          if (needs.indexOf('reason') >= 0) ev.reason = reason.value;
          if (needs.indexOf('satisfied') >= 0) ev.satisfied = satisfied.value === 'true';
          if (needs.indexOf('name') >= 0) ev.name = artifact.value;
          if (needs.indexOf('channel') >= 0 && channel.value) ev.channel = channel.value;
          if (needs.indexOf('work_start') >= 0) ev.work_start = localToInstant(workStart.value);
          if (needs.indexOf('until') >= 0) ev.until = localToInstant(until.value);
          if (needs.indexOf('item') >= 0) ev.item = item;
          if (needs.indexOf('parent') >= 0) ev.parent = parentInput.value.trim();
          if (at.value) ev.at = localToInstant(at.value);
          if (by.value.trim()) ev.by = by.value.trim();
          if (note.value.trim()) ev.note = note.value.trim();
          if (missingRequired(form, [
            ['note', type === 'paused' ? note.value.trim() : 'n/a'],
            ['work_start', type === 'rescheduled' ? workStart.value : 'n/a'],
            ['until', type === 'delay_agreed' ? until.value : 'n/a'],
            ['item', needs.indexOf('item') >= 0 ? item : 'n/a'],
            ['parent', type === 'linked' ? parentInput.value.trim() : 'n/a']
          ])) return;
          submit.disabled = true;
          api('POST', '/api/v1/tickets/' + encodeURIComponent(tk.id) + '/events', { events: [ev] }, {
            'If-Match': '"' + tk.version + '"',
            'Idempotency-Key': randomKey()
          }).then(function (r) {
            state.ticket = r.data;
            state.loadedAt = Date.now();
            state.flash = t('form.event.done', { type: v('event', type) });
            formState = { type: type };
            loadChildren();
            render();
          }, function (err) {
            submit.disabled = false;
            if (err.status === 412) {
              state.flash = null;
              state.conflict = true;
              load();
              return;
            }
            if (isTransition(err)) {
              // The ticket moved on (or the event comes too early): reload it, so
              // that the form offers what fits now, and say why this did not.
              state.flash = null;
              state.formError = err;
              load();
              return;
            }
            showProblem(form, err);
          });
        }
      },
      h('h2', t('form.event.title')),
      h('div.form-problem'),
      state.conflict ? h('div.alert.warn', t('form.event.conflict')) : null,
      h('div.form-grid',
        field('type', t('ev.type'), typeSelect),
        extra.to, extra.reason, extra.satisfied, extra.name, extra.channel, extra.work_start,
        extra.until, extra.item, extra.parent,
        field('at', t('ev.at'), at, { optional: true, hint: t('form.event.atHint', { offset: OFFSET }) }),
        CAN.staff ? field('by', t('ev.by'), by, { optional: true, hint: t('form.event.byHint') }) : null,
        noteField),
      othersHint,
      h('datalist', { id: 'ev-departments' }, departments.map(function (d) { return option(d, departmentName(d)); })),
      h('div.actions', submit));
      typeSelect.addEventListener('change', syncFields);
      syncFields();
      return form;
    }

    // Where the ticket stands now, to go with a refused transition.
    function transitionContext(tk) {
      var allowed = eventTypesFor(tk.kind);
      var mine = (tk.next_events || []).filter(function (x) { return allowed.indexOf(x) >= 0; });
      return [
        h('span', t('error.stageNow', { stage: v('stage', tk.stage) })), ' ',
        h('span', mine.length ? t('error.allowedNow', { list: fmtList('event', mine) }) : t('error.nothingNow'))
      ];
    }

    function render() {
      if (current !== view) return;
      var el = clear(chrome.view);
      var tk = state.ticket;
      append(el, h('div.crumbs', link('/console/', '← ' + t('nav.queue'))));
      if (state.error) {
        append(el, errorBox(state.error));
        return;
      }
      if (!tk) {
        append(el, loading());
        return;
      }
      setTitle(tk.id);
      var overdue = tk.breached;
      var alertCount = (tk.alerts || []).length;
      var formPanel = eventForm(tk);
      append(el, [
        h('section.ticket-head' + (overdue ? '.breached' : ''),
          h('div.ticket-title',
            h('span.ticket-id.mono', tk.id),
            h('h1', tk.title),
            h('div.spacer'),
            h('button', { type: 'button', onclick: load, disabled: state.loading }, t('common.refresh'))),
          h('div.ticket-badges',
            badge('kind', v('kind', tk.kind)),
            statusBadge(tk.status),
            stageBadge(tk.stage),
            levelBadges(tk.customer_level, tk.assurance_level),
            overdue ? badge('breached', t('queue.breached')) : null,
            flags(tk)),
          headerFields(tk),
          tk.description ? h('p.description', tk.description) : null),
        state.flash ? h('div.alert.ok', { role: 'status' }, state.flash) : null,
        outagePanel(tk),
        h('section',
          h('h2', t('ob.title'), h('span.muted.small', ' ' + t('ob.evaluatedAt', { time: fmtTime(tk.evaluation && tk.evaluation.evaluated_at, { seconds: true }) }))),
          obligationsTable(tk)),
        h('section.alerts-section',
          h('h2', t('alerts.title'), alertCount ? h('span.muted.small', ' ' + t('alerts.count', { n: alertCount })) : null),
          alertsTable(tk)),
        h('div.split',
          h('section.history-col', h('h2', t('ev.title'), h('span.muted.small', ' ' + t('ev.count', { n: tk.events.length }))), historyTable(tk)),
          h('section.form-col', formPanel))
      ]);
      state.conflict = false;
      if (state.formError && !state.loading) {
        showProblem(formPanel, state.formError, transitionContext(tk));
        state.formError = null;
      }
    }

    var view = { render: render };
    current = view;
    load();
  }

  // ---------------------------------------------------------------- new ticket

  function showNew() {
    setTitle(t('new.title'));
    var params = new URLSearchParams(window.location.search);
    var fs = {
      kind: CAN.may_open[0] || '',
      customer: params.get('customer') || '',
      service: '', circuit: '', title: '', description: '', change_type: 'other',
      work_start: '', emergency: false, terminal: false, operator_equipment: true,
      green_channel: false, full_outage: false, start_type: '', at: '', scope: '', category: ''
    };
    var cache = { services: {}, circuits: {} };
    var busy = false;
    var lastError = null;

    function servicesOf(customer) {
      if (!customer) return Promise.resolve([]);
      if (cache.services[customer]) return Promise.resolve(cache.services[customer]);
      return get('/api/v1/services?parent=' + encodeURIComponent(customer)).then(function (list) {
        cache.services[customer] = list;
        return list;
      });
    }

    function circuitsOf(service) {
      if (!service) return Promise.resolve([]);
      if (cache.circuits[service]) return Promise.resolve(cache.circuits[service]);
      return get('/api/v1/circuits?parent=' + encodeURIComponent(service)).then(function (list) {
        cache.circuits[service] = list;
        return list;
      });
    }

    // The first event's possible types: a fault starts with the customer's report or
    // a monitoring alarm, a complaint with the report, other orders when opened.
    function startTypes(kind) {
      var allowed = eventTypesFor(kind);
      var wanted = kind === 'fault' ? ['reported', 'alarm'] : kind === 'complaint' ? ['reported'] : ['opened'];
      return wanted.filter(function (x) { return allowed.indexOf(x) >= 0; });
    }

    function render() {
      if (current !== view) return;
      var el = clear(chrome.view);
      append(el, h('div.page-head', h('h1', t('new.title'))));
      if (!CAN.may_open.length) {
        append(el, h('div.empty', t('new.notAllowed')));
        return;
      }
      var customers = Object.keys(ref.customers || {}).sort();
      if (!fs.customer && customers.length === 1) fs.customer = customers[0];
      var services = cache.services[fs.customer] || [];
      var circuits = cache.circuits[fs.service] || [];
      var customer = ref.customers && ref.customers[fs.customer];
      var service = services.filter(function (s) { return s.id === fs.service; })[0];

      function bind(input, key, prop) {
        input.addEventListener(input.tagName === 'SELECT' || input.type === 'checkbox' ? 'change' : 'input', function () {
          fs[key] = prop === 'checked' ? input.checked : input.value;
        });
        return input;
      }

      var kind = h('select', { id: 'new-kind', onchange: function () { fs.kind = kind.value; fs.start_type = ''; render(); } },
        CAN.may_open.map(function (k) { return option(k, v('kind', k), k === fs.kind); }));
      var customerSel = h('select', {
        id: 'new-customer',
        onchange: function () {
          fs.customer = customerSel.value; fs.service = ''; fs.circuit = '';
          servicesOf(fs.customer).then(render, render);
        }
      }, option('', t('common.choose'), !fs.customer), customers.map(function (id) {
        return option(id, customerName(id) + ' · ' + v('level', ref.customers[id].level), id === fs.customer);
      }));
      var serviceSel = h('select', {
        id: 'new-service', disabled: !fs.customer,
        onchange: function () {
          fs.service = serviceSel.value; fs.circuit = '';
          circuitsOf(fs.service).then(render, render);
        }
      }, option('', fs.customer ? t('new.noService') : t('new.chooseCustomerFirst'), !fs.service), services.map(function (s) {
        return option(s.id, s.name + ' (' + s.id + ')', s.id === fs.service);
      }));
      var circuitSel = bind(h('select', { id: 'new-circuit', disabled: !fs.service },
        option('', t('new.noCircuit'), !fs.circuit), circuits.map(function (c) {
          return option(c.id, c.id + ' · ' + c.a_end + ' ⇄ ' + c.z_end + (c.bandwidth ? ' · ' + c.bandwidth : ''), c.id === fs.circuit);
        })), 'circuit');
      // Without a service its scope and category are not known: they are asked here.
      var scopeSel = bind(h('select', { id: 'new-scope' }, option('', t('common.choose'), !fs.scope),
        SCOPES.map(function (x) { return option(x, v('scope', x), x === fs.scope); })), 'scope');
      var categorySel = bind(h('select', { id: 'new-category' }, option('', t('common.choose'), !fs.category),
        CATEGORIES.map(function (x) { return option(x, v('category', x), x === fs.category); })), 'category');
      var title = bind(h('input', { id: 'new-title', value: fs.title, required: true, maxlength: 200 }), 'title');
      var description = bind(h('textarea', { id: 'new-description', rows: 4, value: fs.description }), 'description');
      var changeType = bind(h('select', { id: 'new-change-type' }, CHANGE_TYPES.map(function (c) { return option(c, v('change', c), c === fs.change_type); })), 'change_type');
      var workStart = bind(h('input', { id: 'new-work-start', type: 'datetime-local', value: fs.work_start }), 'work_start');
      var emergency = bind(h('input', { id: 'new-emergency', type: 'checkbox', checked: fs.emergency }), 'emergency', 'checked');
      var terminal = bind(h('input', { id: 'new-terminal', type: 'checkbox', checked: fs.terminal }), 'terminal', 'checked');
      var operatorEquipment = bind(h('input', { id: 'new-operator-equipment', type: 'checkbox', checked: fs.operator_equipment }), 'operator_equipment', 'checked');
      var greenChannel = bind(h('input', { id: 'new-green-channel', type: 'checkbox', checked: fs.green_channel }), 'green_channel', 'checked');
      var fullOutage = bind(h('input', { id: 'new-full-outage', type: 'checkbox', checked: fs.full_outage }), 'full_outage', 'checked');
      var starts = startTypes(fs.kind);
      if (starts.indexOf(fs.start_type) < 0) fs.start_type = starts[0] || '';
      var startType = h('select', {
        id: 'new-start-type', disabled: starts.length < 2,
        onchange: function () { fs.start_type = startType.value; render(); }
      }, starts.map(function (x) { return option(x, v('event', x), x === fs.start_type); }));
      // What the server records first when the request names no event.
      var serverFirst = fs.kind === 'fault' || fs.kind === 'complaint' ? 'reported' : 'opened';
      var atLabel = fs.start_type === 'alarm' ? 'new.atAlarm' : fs.start_type === 'opened' ? 'new.atOpened' : 'new.at';
      var at = bind(h('input', { id: 'new-at', type: 'datetime-local', value: fs.at }), 'at');
      var submit = h('button.primary', { type: 'submit', disabled: busy }, t('new.submit'));

      var serviceInfo = service ? h('div.hint',
        v('category', service.category), ' · ', v('scope', service.scope), ' · ',
        service.assurance_level ? v('assurance', service.assurance_level) : t('new.assuranceFromLevel')) : null;
      var mayGreen = fs.kind === 'fault' && (USER.role === 'account_manager' || USER.role === 'admin') && customer && customer.level === 'gold';

      var form = h('form.panel.new-form', {
        novalidate: true,
        onsubmit: function (e) {
          e.preventDefault();
          var body = { kind: fs.kind, customer_id: fs.customer, title: fs.title };
          if (fs.service) body.service_id = fs.service;
          if (fs.circuit) body.circuit_id = fs.circuit;
          if (!fs.service && fs.scope) body.scope = fs.scope;
          if (!fs.service && fs.category) body.category = fs.category;
          if (fs.description.trim()) body.description = fs.description;
          if (fs.kind === 'change') body.change_type = fs.change_type;
          if (fs.kind === 'notice') {
            body.work_start = localToInstant(fs.work_start);
            body.emergency = fs.emergency;
          }
          if (fs.kind === 'complaint' && fs.terminal) body.terminal = true;
          if (fs.kind === 'fault' && !fs.operator_equipment) body.operator_equipment = false;
          if (fs.kind === 'fault' && fs.full_outage) body.full_outage = true;
          if (mayGreen && fs.green_channel) body.green_channel = true;
          // Without events the server starts the ticket now with its usual first event;
          // another first event (an alarm) or another time is sent explicitly.
          if (starts.length && (fs.at || fs.start_type !== serverFirst)) {
            var first = { type: fs.start_type };
            if (fs.at) first.at = localToInstant(fs.at);
            body.events = [first];
          }
          if (missingRequired(form, [
            ['customer_id', fs.customer],
            ['title', fs.title.trim()],
            ['work_start', fs.kind === 'notice' ? fs.work_start : 'n/a']
          ])) return;
          busy = true;
          submit.disabled = true;
          api('POST', '/api/v1/tickets', body, { 'Idempotency-Key': randomKey() }).then(function (r) {
            busy = false;
            go('/console/tickets/' + encodeURIComponent(r.data.id));
          }, function (err) {
            busy = false;
            submit.disabled = false;
            lastError = err;
            showProblem(form, err);
          });
        }
      },
      h('div.form-problem'),
      h('div.form-grid',
        field('kind', t('field.kind'), kind),
        field('customer_id', t('field.customer'), customerSel),
        h('div.field', { dataset: { field: 'service_id' } },
          h('label', { for: 'new-service' }, t('field.service'), h('span.optional', ' ' + t('common.optional'))), serviceSel, serviceInfo),
        field('circuit_id', t('field.circuit'), circuitSel, { optional: true }),
        fs.service ? null : field('scope', t('field.scope'), scopeSel, { hint: t('new.scopeHint') }),
        fs.service ? null : field('category', t('field.category'), categorySel, { optional: true }),
        fs.kind === 'change' ? field('change_type', t('field.change_type'), changeType) : null,
        fs.kind === 'notice' ? field('work_start', t('field.work_start'), workStart, { hint: t('new.workStartHint', { offset: OFFSET }) }) : null,
        fs.kind === 'notice' ? h('div.field.checks', { dataset: { field: 'emergency' } }, h('label.check', emergency, t('new.emergency'))) : null,
        fs.kind === 'complaint' ? h('div.field.checks', { dataset: { field: 'terminal' } }, h('label.check', terminal, t('new.terminal'))) : null,
        fs.kind === 'fault' ? h('div.field.checks', { dataset: { field: 'operator_equipment' } }, h('label.check', operatorEquipment, t('new.operatorEquipment'))) : null,
        fs.kind === 'fault' ? h('div.field.checks', { dataset: { field: 'full_outage' } }, h('label.check', fullOutage, t('new.fullOutage'))) : null,
        mayGreen ? h('div.field.checks', { dataset: { field: 'green_channel' } }, h('label.check', greenChannel, t('new.greenChannel'))) : null,
        field('title', t('field.title'), title, { wide: true }),
        field('description', t('field.description'), description, { wide: true, optional: true }),
        starts.length ? field('type', t('new.startType'), startType) : null,
        starts.length ? field('at', t(atLabel), at, { optional: true, hint: t('new.atHint', { offset: OFFSET }) }) : null),
      h('div.actions', submit, ' ', link('/console/', t('common.cancel'))));
      append(el, form);
      if (lastError) {
        showProblem(form, lastError);
        lastError = null;
      }
    }

    var view = { render: render };
    current = view;
    append(chrome.view, loading());
    loadReference(false).then(function () {
      return fs.customer ? servicesOf(fs.customer) : null;
    }).then(render, function (err) {
      clear(chrome.view);
      append(chrome.view, errorBox(err));
    });
  }

  // ---------------------------------------------------------------- customers

  function showCustomers(selected) {
    setTitle(t(CAN.staff ? 'customers.title' : 'nav.myServices'));
    var state = { services: null, circuits: null, error: null, creating: false, loaded: false };
    var draft = { id: '', name: '', level: 'gold', contact_email: '', contact_phone: '', account_manager: USER.role === 'account_manager' ? USER.id : '' };

    function loadSelected() {
      if (!selected) return Promise.resolve();
      return get('/api/v1/services?parent=' + encodeURIComponent(selected)).then(function (services) {
        state.services = services;
        return Promise.all(services.map(function (s) {
          return get('/api/v1/circuits?parent=' + encodeURIComponent(s.id));
        }));
      }).then(function (lists) {
        state.circuits = [].concat.apply([], lists);
      });
    }

    function createForm() {
      function input(key, attrs) {
        var el = h('input', Object.assign({ id: 'cust-' + key, value: draft[key] }, attrs || {}));
        el.addEventListener('input', function () { draft[key] = el.value; });
        return el;
      }
      var level = h('select', { id: 'cust-level', onchange: function () { draft.level = level.value; } },
        CUSTOMER_LEVELS.map(function (l) { return option(l, v('level', l), l === draft.level); }));
      var submit = h('button.primary', { type: 'submit' }, t('customers.create'));
      var form = h('form.panel.customer-form', {
        novalidate: true,
        onsubmit: function (e) {
          e.preventDefault();
          var body = { name: draft.name, level: draft.level };
          if (draft.id.trim()) body.id = draft.id.trim();
          if (draft.account_manager.trim()) body.account_manager = draft.account_manager.trim();
          if (draft.contact_email.trim()) body.contact_email = draft.contact_email.trim();
          if (draft.contact_phone.trim()) body.contact_phone = draft.contact_phone.trim();
          if (missingRequired(form, [['name', draft.name.trim()]])) return;
          submit.disabled = true;
          api('POST', '/api/v1/customers', body).then(function (r) {
            state.creating = false;
            return loadReference(true).then(function () { go('/console/customers/' + encodeURIComponent(r.data.id)); });
          }, function (err) {
            submit.disabled = false;
            showProblem(form, err);
          });
        }
      },
      h('h2', t('customers.new')),
      h('div.form-problem'),
      h('div.form-grid',
        field('id', t('field.id'), input('id', { placeholder: 'CUS-…' }), { optional: true, hint: t('customers.idHint') }),
        field('name', t('field.name'), input('name', { required: true })),
        field('level', t('field.customer_level'), level),
        field('account_manager', t('field.account_manager'), input('account_manager'), { optional: true }),
        field('contact_email', t('field.contact_email'), input('contact_email', { type: 'email' }), { optional: true }),
        field('contact_phone', t('field.contact_phone'), input('contact_phone'), { optional: true })),
      h('div.actions', submit, ' ', h('button.link-button', { type: 'button', onclick: function () { state.creating = false; render(); } }, t('common.cancel'))));
      return form;
    }

    function detail(c) {
      var services = state.services || [];
      return h('section.panel.customer-detail',
        h('div.ticket-title',
          h('h2', c.name),
          h('span.muted.mono', c.id),
          badge('level-' + c.level, v('level', c.level)),
          h('div.spacer'),
          CAN.may_open.length ? link('/console/new?customer=' + encodeURIComponent(c.id), t('customers.openTicket'), 'button-link') : null,
          link('/console/?customer=' + encodeURIComponent(c.id) + '&status=all', t('customers.tickets'), 'button-link')),
        h('dl.kvs',
          h('div.kv', h('dt', t('field.account_manager')), h('dd', c.account_manager || '—')),
          h('div.kv', h('dt', t('field.contact_email')), h('dd', c.contact_email || '—')),
          h('div.kv', h('dt', t('field.contact_phone')), h('dd', c.contact_phone || '—'))),
        h('h3', t('customers.services')),
        state.services === null ? loading() : services.length ? services.map(function (s) {
          var circuits = (state.circuits || []).filter(function (x) { return x.service_id === s.id; });
          return h('div.service',
            h('div.service-head',
              h('strong', s.name), ' ', h('span.muted.mono', s.id), ' ',
              badge('kind', v('category', s.category)), ' ', badge('kind', v('scope', s.scope)), ' ',
              s.assurance_level ? badge('assurance', v('assurance', s.assurance_level)) : h('span.muted.small', t('new.assuranceFromLevel'))),
            s.endpoints.length ? h('div.small', t('customers.endpoints'), ': ', s.endpoints.join(' ⇄ ')) : null,
            circuits.length ? h('table.grid.compact',
              h('thead', h('tr', h('th', t('field.circuit')), h('th', t('customers.aEnd')), h('th', t('customers.zEnd')), h('th', t('customers.bandwidth')))),
              h('tbody', circuits.map(function (x) {
                return h('tr', h('td.mono', x.id), h('td', x.a_end), h('td', x.z_end), h('td', x.bandwidth || '—'));
              }))) : h('div.muted.small', t('customers.noCircuits')));
        }) : h('div.muted', t('customers.noServices')));
    }

    function render() {
      if (current !== view) return;
      var el = clear(chrome.view);
      var ids = Object.keys(ref.customers || {}).sort();
      append(el, h('div.page-head',
        h('h1', t(CAN.staff ? 'customers.title' : 'nav.myServices')),
        h('span.muted', t('customers.count', { n: ids.length })),
        h('div.spacer'),
        CAN.may_create_customers && !state.creating ? h('button', { type: 'button', onclick: function () { state.creating = true; render(); } }, t('customers.new')) : null));
      if (state.error) append(el, errorBox(state.error));
      if (state.creating) append(el, createForm());
      if (!state.loaded) {
        append(el, loading());
        return;
      }
      var list = h('div.table-wrap', h('table.grid.customers',
        h('thead', h('tr', h('th', t('field.id')), h('th', t('field.name')), h('th', t('field.customer_level')),
          h('th', t('field.account_manager')), h('th', t('field.contact_email')), h('th', t('field.contact_phone')))),
        h('tbody', ids.map(function (id) {
          var c = ref.customers[id];
          var href = '/console/customers/' + encodeURIComponent(id);
          return h('tr' + (id === selected ? '.selected' : ''), { onclick: function (e) { if (!e.target.closest('a')) go(href); } },
            h('td.mono', link(href, id)), h('td', c.name), h('td', badge('level-' + c.level, v('level', c.level))),
            h('td', c.account_manager || '—'), h('td', c.contact_email || '—'), h('td', c.contact_phone || '—'));
        }))));
      var c = selected && ref.customers[selected];
      append(el, h('div.split.customers-split', h('section', list), c ? detail(c) : selected ? h('div.alert.error', t('customers.notFound')) : null));
    }

    var view = { render: render };
    current = view;
    render();
    // A customer user has one customer: show it straight away.
    loadReference(true).then(function () {
      var ids = Object.keys(ref.customers || {});
      if (!selected && !CAN.staff && ids.length === 1) {
        window.history.replaceState(null, '', '/console/customers/' + encodeURIComponent(ids[0]));
        selected = ids[0];
      }
      state.loaded = true;
      render();
      return loadSelected();
    }).then(render, function (err) {
      state.error = err;
      state.loaded = true;
      render();
    });
  }

  // ---------------------------------------------------------------- notifications

  // The notification outbox (admins and operations support): what waits, what went,
  // and the dead letters, which admins can send again; and, for admins, the channels.
  function showNotifications() {
    setTitle(t('notif.title'));
    var params = new URLSearchParams(window.location.search);
    var filters = {
      state: DELIVERY_STATES.indexOf(params.get('state')) >= 0 ? params.get('state') : 'pending',
      ticket: params.get('ticket') || ''
    };
    var LIMIT = 100;
    var state = { items: [], more: false, loading: true, error: null, flash: null, channels: null, channelsError: null };

    function fetchPage(after) {
      return get('/api/v1/notifications' + query({ state: filters.state, ticket: filters.ticket, after: after, limit: LIMIT }));
    }

    function reload() {
      state.loading = true;
      render();
      return fetchPage(null).then(function (list) {
        state.items = list;
        state.more = list.length === LIMIT;
        state.error = null;
      }, function (err) {
        state.items = [];
        state.more = false;
        state.error = err;
      }).then(function () {
        state.loading = false;
        render();
      });
    }

    function more() {
      var last = state.items[state.items.length - 1];
      if (!last) return;
      state.loading = true;
      render();
      fetchPage(last.id).then(function (list) {
        state.items = state.items.concat(list);
        state.more = list.length === LIMIT;
        state.error = null;
      }, function (err) {
        state.error = err;
      }).then(function () {
        state.loading = false;
        render();
      });
    }

    function loadChannels() {
      if (!OUTBOX.channels) return;
      get('/api/v1/channels').then(function (list) {
        state.channels = list;
        state.channelsError = null;
        render();
      }, function (err) {
        state.channelsError = err;
        render();
      });
    }

    function setFilter(name, value) {
      if (filters[name] === value) return;
      filters[name] = value;
      var url = {};
      if (filters.state !== 'pending') url.state = filters.state;
      if (filters.ticket) url.ticket = filters.ticket;
      window.history.replaceState(null, '', '/console/notifications' + query(url));
      state.items = [];
      state.flash = null;
      reload();
    }

    function replay(n, button) {
      if (!window.confirm(t('notif.replayConfirm', { id: n.id, target: n.target }))) return;
      button.disabled = true;
      api('POST', '/api/v1/notifications/' + encodeURIComponent(n.id) + '/replay').then(function (r) {
        state.flash = t('notif.replayed', { id: n.id });
        state.error = null;
        // Back in the queue: it now belongs to the pending list.
        if (filters.state === 'pending') {
          state.items = state.items.map(function (x) { return x.id === n.id ? r.data : x; });
        } else {
          state.items = state.items.filter(function (x) { return x.id !== n.id; });
        }
        render();
      }, function (err) {
        button.disabled = false;
        state.flash = null;
        state.error = err;
        render();
      });
    }

    function tabs() {
      return h('div.tabs', { role: 'tablist' }, DELIVERY_STATES.map(function (s) {
        return h('button.tab' + (filters.state === s ? '.active' : ''), {
          type: 'button', role: 'tab', 'aria-selected': filters.state === s ? 'true' : 'false',
          dataset: { state: s },
          onclick: function () { setFilter('state', s); }
        }, v('delivery', s));
      }));
    }

    function ticketFilter() {
      var input = h('input', {
        id: 'notif-ticket', value: filters.ticket, placeholder: 'F-…', autocomplete: 'off',
        onchange: function () { setFilter('ticket', input.value.trim()); }
      });
      return h('label.filter', h('span', t('notif.ticket')), input);
    }

    // When the next attempt is due (pending) or when it went (sent); dead ones have neither.
    function timeColumn() {
      if (filters.state === 'pending') return { head: t('notif.nextAttempt'), value: function (n) { return n.next_attempt_at; } };
      if (filters.state === 'sent') return { head: t('notif.sentAt'), value: function (n) { return n.sent_at; } };
      return null;
    }

    function row(n, when) {
      var canReplay = OUTBOX.replay && n.state !== 'pending';
      return h('tr.notif-' + n.state,
        h('td', ticketLink(n.ticket_id), n.event_seq ? h('span.muted.small', ' #' + n.event_seq) : null),
        h('td', badge('topic.topic-' + n.topic, v('topic', n.topic))),
        h('td', v('via', n.kind)),
        h('td', h('div.clip.target', { title: n.target }, n.target),
          n.channel_id ? h('div.muted.small.mono', n.channel_id) : null),
        h('td.num', n.attempts),
        h('td.error-cell', n.last_error ? h('div.last-error', { title: n.last_error }, n.last_error) : h('span.muted', '—')),
        h('td', timeCell(n.created_at)),
        when ? h('td', timeCell(when.value(n))) : null,
        OUTBOX.replay ? h('td', canReplay ? h('button.small', {
          type: 'button', dataset: { replay: n.id },
          onclick: function (e) { replay(n, e.currentTarget); }
        }, t('notif.replay')) : null) : null);
    }

    function channelsPanel() {
      if (!OUTBOX.channels) return null;
      var body;
      if (state.channelsError) body = errorBox(state.channelsError);
      else if (state.channels === null) body = loading();
      else if (!state.channels.length) body = h('div.empty', t('channels.none'));
      else {
        body = h('div.table-wrap', h('table.grid.channels',
          h('thead', h('tr',
            h('th', t('field.id')), h('th', t('field.name')), h('th', t('notif.kind')), h('th', t('channels.where')),
            h('th', t('field.customer')), h('th', t('channels.topics')), h('th', t('channels.language')),
            h('th', t('channels.signed')), h('th', t('channels.created')))),
          h('tbody', state.channels.map(function (c) {
            var where = [];
            if (c.url) where.push(h('div.clip.target.mono', { title: c.url }, c.url));
            if (c.email_to && c.email_to.length) where.push(h('div', c.email_to.join(t('list.sep'))));
            if (c.role) where.push(h('div.small', t('channels.roleUsers', { role: v('role', c.role) })));
            return h('tr',
              h('td.mono', c.id),
              h('td', c.name),
              h('td', v('via', c.kind)),
              h('td', where.length ? where : '—'),
              h('td', c.customer_id ? customerName(c.customer_id) : t('channels.allCustomers')),
              h('td', c.topics.length ? c.topics.map(function (x) { return badge('topic.topic-' + x, v('topic', x)); }) : t('channels.allTopics')),
              h('td', v('language', c.language)),
              h('td', c.kind === 'webhook' ? t(c.signed ? 'common.yes' : 'common.no') : '—'),
              h('td', timeCell(c.created_at)));
          }))));
      }
      return h('section.channels-section',
        h('h2', t('channels.title'), state.channels ? h('span.muted.small', ' ' + t('channels.count', { n: state.channels.length })) : null),
        h('p.hint', t('channels.hint')),
        body);
    }

    function render() {
      if (current !== view) return;
      var el = clear(chrome.view);
      var when = timeColumn();
      append(el, [
        h('div.page-head',
          h('h1', t('notif.title')),
          h('div.counts', h('span', t('notif.shown', { n: state.items.length }))),
          h('div.spacer'),
          h('button', { type: 'button', onclick: reload, disabled: state.loading }, t('common.refresh'))),
        h('div.filters.notif-filters', tabs(), ticketFilter()),
        h('p.hint', t('notif.hint.' + filters.state)),
        state.flash ? h('div.alert.ok', { role: 'status' }, state.flash) : null,
        state.error ? errorBox(state.error) : null
      ]);
      append(el, h('div.table-wrap', h('table.grid.notifications',
        h('thead', h('tr',
          h('th', t('notif.ticket')), h('th', t('notif.topic')), h('th', t('notif.kind')), h('th', t('notif.target')),
          h('th.num', t('notif.attempts')), h('th', t('notif.lastError')), h('th', t('notif.created')),
          when ? h('th', when.head) : null,
          OUTBOX.replay ? h('th', t('notif.actions')) : null)),
        h('tbody', state.items.map(function (n) { return row(n, when); })))));
      if (!state.items.length && !state.loading && !state.error) append(el, h('div.empty', t('notif.empty')));
      if (state.loading) append(el, loading());
      if (state.more && !state.loading) {
        append(el, h('div.more', h('button', { type: 'button', onclick: more }, t('queue.loadMore'))));
      }
      append(el, channelsPanel());
    }

    var view = { render: render };
    current = view;
    reload();
    loadChannels();
  }

  // ---------------------------------------------------------------- start

  loadReference(false).then(route, route);
}());
