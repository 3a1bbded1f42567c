// The taskq dashboard's pages: plain JavaScript over the JSON API (docs/dashboard.md), no framework, no build step.
// Every value from the server goes into the page as text (textContent), never as HTML.
'use strict';

const state = { session: null, live: null, seen: 0, refreshTimer: null, page: null };

// ---------------------------------------------------------------- helpers

function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
    else if (k === 'cls') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  if (method !== 'GET' && state.session) opts.headers['X-Taskq-Csrf'] = state.session.csrf;
  const r = await fetch('api/' + path, opts);
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
  if (r.status === 401 && path !== 'login') { showLogin(); throw new Error('log in first'); }
  if (!r.ok) throw new Error((data && data.error) || ('HTTP ' + r.status));
  return data;
}

function q(params) {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') s.set(k, v);
  return s.toString();
}

function flash(text, bad) {
  const f = document.getElementById('flash');
  f.textContent = text;
  f.className = bad ? 'bad' : '';
  f.hidden = false;
  clearTimeout(flash.t);
  flash.t = setTimeout(() => { f.hidden = true; }, 6000);
}

async function act(what, fn) {
  try {
    const r = await fn();
    flash(what + ': done');
    route();
    return r;
  } catch (e) {
    flash(what + ': ' + e.message, true);
    return null;
  }
}

function ago(iso) {
  if (!iso) return '-';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  const a = Math.abs(s);
  const t = a < 60 ? a + 's' : a < 3600 ? Math.floor(a / 60) + 'm' : a < 86400 ? Math.floor(a / 3600) + 'h'
    : Math.floor(a / 86400) + 'd';
  return s >= 0 ? t + ' ago' : 'in ' + t;
}

function dur(iso) {
  if (!iso || iso === 'PT0S') return '-';
  const m = /PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?/.exec(iso);
  if (!m) return iso;
  const parts = [];
  if (m[1]) parts.push(m[1] + 'h');
  if (m[2]) parts.push(m[2] + 'm');
  if (m[3]) parts.push(Math.round(parseFloat(m[3])) + 's');
  return parts.join(' ') || '0s';
}

function when(iso) { return iso ? h('span', { title: iso }, ago(iso)) : '-'; }
function badge(text, cls) { return h('span', { cls: 'badge ' + (cls || text) }, text); }
function admin() { return state.session && state.session.role === 'ADMIN'; }

function table(headers, rows, empty) {
  const head = h('tr', {}, headers.map(x => h('th', { cls: /^(ready|delayed|running|dead|runs|conc|active|burst|most|#)/i.test(x) ? 'num' : null }, x)));
  const body = rows.length ? rows : [h('tr', {}, h('td', { colspan: headers.length, cls: 'muted' }, empty || 'nothing'))];
  return h('table', {}, h('thead', {}, head), h('tbody', {}, body));
}

function td(v, cls) { return h('td', { cls }, v); }
function link(href, text) { return h('a', { href }, text); }

async function queueNames() {
  try { return (await api('GET', 'queues')).map(s => s.queue); } catch (e) { return []; }
}

function queueSelect(names, selected, id) {
  return h('select', { name: 'queue', id }, names.map(n => h('option', { value: n, selected: n === selected }, n)));
}

// ---------------------------------------------------------------- login, session, live updates

function showLogin(message) {
  state.session = null;
  stopLive();
  document.getElementById('who').textContent = '';
  document.getElementById('logout').hidden = true;
  const err = h('p', { cls: 'error', id: 'login-error' }, message || '');
  const form = h('form', { cls: 'panel login', id: 'login-form' },
    h('h1', {}, 'Log in'),
    h('label', {}, 'User', h('input', { name: 'user', id: 'login-user', autocomplete: 'username', required: true })),
    h('label', {}, 'Password', h('input', { name: 'password', id: 'login-password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit', id: 'login-submit' }, 'Log in'), err);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      state.session = await api('POST', 'login', { user: form.user.value, password: form.password.value });
      started();
    } catch (e) { err.textContent = e.message; }
  });
  document.getElementById('main').replaceChildren(form);
}

function started() {
  const s = state.session;
  document.getElementById('who').textContent = s.user + ' (' + (s.role === 'ADMIN' ? 'admin' : 'read-only') + ')';
  document.getElementById('logout').hidden = !s.authenticated;
  startLive();
  route();
}

function startLive() {
  stopLive();
  const el = document.getElementById('live');
  const es = new EventSource('api/events/stream');
  es.onopen = () => { el.textContent = 'live'; el.className = 'live on'; };
  es.onerror = () => { el.textContent = 'reconnecting'; el.className = 'live off'; };
  es.addEventListener('tick', m => {
    const t = JSON.parse(m.data);
    state.seen = t.seen;
    el.textContent = 'live · ' + t.seen + ' events';
    if (['overview', 'workers', 'queues', 'dead', 'schedules'].includes(state.page) && !state.editing) {
      clearTimeout(state.refreshTimer);
      state.refreshTimer = setTimeout(() => route(true), 300);
    }
  });
  state.live = es;
}

function stopLive() { if (state.live) { state.live.close(); state.live = null; } }

// ---------------------------------------------------------------- pages

const pages = {};

pages.overview = async function () {
  const o = await api('GET', 'overview');
  const cards = h('div', { cls: 'cards' },
    [['Ready', o.totals.ready], ['Delayed', o.totals.delayed], ['Running', o.totals.running],
      ['Dead letters', o.totals.dead], ['Workers', o.workers], ['Concurrency', o.concurrency]]
      .map(([l, n]) => h('div', { cls: 'card' }, h('div', { cls: 'n' }, n), h('div', { cls: 'l' }, l))));
  const max = Math.max(1, ...o.queues.map(s => s.ready));
  const rows = o.queues.map(s => h('tr', {}, td(link('#/tasks?queue=' + encodeURIComponent(s.queue), s.queue)),
    td(s.ready, 'num'), h('td', {}, h('div', { cls: 'bar', 'data-w': s.ready / max })), td(s.inFlight, 'num'),
    td(s.dead, 'num'), td(dur(s.oldestReadyAge))));
  const t = table(['Queue', 'Ready', 'Depth', 'Running', 'Dead', 'Oldest ready'], rows, 'no queues yet');
  t.querySelectorAll('.bar').forEach(b => { b.style.width = Math.round(parseFloat(b.dataset.w) * 240) + 'px'; });
  const note = o.eventsAvailable ? 'Finished tasks per minute since the dashboard started (' + ago(o.since) + '), from the event stream.'
    : 'The broker keeps no event stream: no throughput chart.';
  return [h('h1', {}, 'Overview'), cards, h('h2', {}, 'Throughput'), chart(o.throughput), h('p', { cls: 'muted' }, note),
    h('h2', {}, 'Queues'), t];
};

function chart(points) {
  const W = 900, H = 200, L = 40, B = 20;
  const max = Math.max(1, ...points.map(p => Math.max(p.succeeded, p.failed, p.sent)));
  const x = i => L + (W - L - 10) * i / Math.max(1, points.length - 1);
  const y = v => H - B - (H - B - 10) * v / max;
  const s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', role: 'img', 'aria-label': 'throughput chart', id: 'chart' });
  for (let i = 0; i <= 4; i++) {
    const v = Math.round(max * i / 4);
    s.append(svg('line', { x1: L, x2: W - 10, y1: y(v), y2: y(v), stroke: '#e6eaf0' }));
    const t = svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#6b7785' });
    t.textContent = v;
    s.append(t);
  }
  [0, Math.floor(points.length / 2), points.length - 1].forEach(i => {
    if (!points[i]) return;
    const anchor = i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle';
    const t = svg('text', { x: x(i), y: H - 4, 'text-anchor': anchor, 'font-size': 10, fill: '#6b7785' });
    t.textContent = new Date(points[i].at).toISOString().substring(11, 16);
    s.append(t);
  });
  for (const [key, color] of [['sent', '#7aa6d6'], ['succeeded', '#2e8b57'], ['failed', '#c0392b']]) {
    s.append(svg('polyline', { points: points.map((p, i) => x(i) + ',' + y(p[key])).join(' '), fill: 'none', stroke: color, 'stroke-width': 2 }));
  }
  const legend = h('div', { cls: 'legend' }, h('span', {}, h('span', { cls: 'swatch ok' }), 'succeeded'),
    h('span', {}, h('span', { cls: 'swatch bad' }), 'failed / dead-lettered'), h('span', {}, h('span', { cls: 'swatch sent' }), 'submitted'));
  return h('div', { cls: 'chart' }, s, legend);
}

pages.workers = async function () {
  const workers = await api('GET', 'workers');
  const rows = workers.map(w => {
    const queues = w.queues.map(qn => h('span', {}, badge(qn, w.pausedQueues.includes(qn) ? 'paused' : 'q'), ' '));
    const actions = admin() ? h('td', {},
      w.queues.map(qn => w.pausedQueues.includes(qn)
        ? h('button', { cls: 'secondary', 'data-action': 'resume', onclick: () => control('resume', { queue: qn, destination: w.id }) }, 'resume ' + qn)
        : h('button', { cls: 'secondary', 'data-action': 'pause', onclick: () => control('pause', { queue: qn, destination: w.id }) }, 'pause ' + qn)),
      h('button', { cls: 'secondary', onclick: () => { const n = prompt('Concurrency of ' + w.nodeName, w.concurrency); if (n) control('concurrency', { n: parseInt(n, 10), destination: w.id }); } }, 'concurrency'),
      h('button', { cls: 'danger', onclick: () => { if (confirm('Shut down worker ' + w.nodeName + ' (' + w.id + ')?')) control('shutdown', { destination: w.id }); } }, 'shut down')) : td('');
    return h('tr', { 'data-worker': w.id }, td(w.nodeName), td(h('span', { cls: 'mono' }, w.id)), td(queues), td(w.concurrency, 'num'),
      td(w.active + ' / ' + w.held, 'num'), td(w.processed + ' / ' + w.failed, 'num'), td(when(w.lastHeartbeat)),
      td(badge(w.healthy ? 'healthy' : 'late', w.healthy ? 'ok' : 'no')), actions);
  });
  const out = [h('h1', {}, 'Workers'), table(['Node', 'Id', 'Queues', 'Conc', 'Active / held', 'Processed / failed', 'Heartbeat', 'Health', ''], rows, 'no live workers')];
  if (admin()) {
    const names = await queueNames();
    const sel = queueSelect(names, names[0], 'all-queue');
    out.push(h('h2', {}, 'Every worker'), h('div', { cls: 'toolbar' }, h('label', {}, 'Queue', sel),
      h('button', { id: 'pause-all', onclick: () => onConsumers(workers, 'pause', sel.value) }, 'Pause queue'),
      h('button', { cls: 'secondary', id: 'resume-all', onclick: () => onConsumers(workers, 'resume', sel.value) }, 'Resume queue')));
  }
  const activeBox = h('div', { id: 'active' });
  out.push(h('h2', {}, 'Active tasks'), h('button', { cls: 'secondary', onclick: () => showActive(activeBox) }, 'Ask the workers'), activeBox);
  return out;
};

async function showActive(box) {
  const replies = await api('GET', 'workers/active');
  const rows = [];
  for (const r of replies) {
    for (const t of r.tasks) rows.push(h('tr', {}, td(r.node), td(link('#/task/' + encodeURIComponent(t.id), t.id)), td(t.name), td(t.queue), td(dur(t.runtime)), td(t.args === null ? '' : t.args)));
    if (!r.ok) rows.push(h('tr', {}, td(r.node), h('td', { colspan: 5, cls: 'error' }, r.error)));
  }
  box.replaceChildren(table(['Node', 'Task id', 'Task', 'Queue', 'Runtime', 'Args'], rows, 'no task running'));
}

// Pause or resume a queue on every worker that consumes it (the others would only answer that they do not).
function onConsumers(workers, verb, queue) {
  const ids = workers.filter(w => w.queues.includes(queue)).map(w => w.id);
  if (!ids.length) { flash(verb + ': no live worker consumes queue ' + queue, true); return; }
  control(verb, { queue, destination: ids.join(',') });
}

async function control(verb, body) {
  const replies = await act(verb, () => api('POST', 'workers/' + verb, body));
  if (replies) {
    const bad = replies.filter(r => !r.ok);
    if (!replies.length) flash(verb + ': no worker replied', true);
    else if (bad.length) flash(verb + ': ' + bad.map(r => r.node + ': ' + r.error).join('; '), true);
  }
}

pages.queues = async function () {
  const stats = await api('GET', 'queues');
  const rows = stats.map(s => h('tr', { 'data-queue': s.queue }, td(link('#/tasks?queue=' + encodeURIComponent(s.queue), s.queue)),
    td(s.ready, 'num'), td(s.delayed, 'num'), td(s.inFlight, 'num'), td(link('#/dead?queue=' + encodeURIComponent(s.queue), String(s.dead)), 'num'),
    td(dur(s.oldestReadyAge)),
    admin() ? td(h('button', { cls: 'danger', onclick: () => purge(s) }, 'purge')) : td('')));
  return [h('h1', {}, 'Queues'), table(['Queue', 'Ready', 'Delayed', 'Running', 'Dead', 'Oldest ready', ''], rows, 'no queues yet'),
    h('p', { cls: 'muted' }, 'Purge deletes the ready tasks of a queue (not the delayed, running or dead ones); it asks for the queue\'s name first.')];
};

function purge(s) {
  const typed = prompt('Delete the ' + s.ready + ' ready task(s) of queue "' + s.queue + '"? Type the queue name to confirm:');
  if (typed === null) return;
  act('purge ' + s.queue, () => api('POST', 'queues/' + encodeURIComponent(s.queue) + '/purge', { confirm: typed }));
}

pages.tasks = async function (params) {
  if (params.get('root')) return workflowTasks(params.get('root'));
  const names = await queueNames();
  const queue = params.get('queue') || names[0] || '';
  const st = params.get('state') || 'queued';
  const form = h('form', { cls: 'filters', id: 'task-filters' },
    h('label', {}, 'Queue', queueSelect(names, queue)),
    h('label', {}, 'State', h('select', { name: 'state' }, ['queued', 'delayed', 'running', 'finished', 'success', 'failure', 'revoked', 'dead']
      .map(s => h('option', { value: s, selected: s === st }, s)))),
    h('label', {}, 'Task name', h('input', { name: 'name', value: params.get('name') || '', placeholder: 'any' })),
    h('label', {}, 'Order', h('select', { name: 'order' }, h('option', { value: 'oldest' }, 'oldest first'),
      h('option', { value: 'newest', selected: params.get('order') === 'newest' }, 'newest first'))),
    h('button', { type: 'submit' }, 'List'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    location.hash = '#/tasks?' + q({ queue: form.queue.value, state: form.state.value, name: form.name.value, order: form.order.value });
  });
  const find = h('form', { cls: 'filters', id: 'find-task' }, h('label', {}, 'Find a task by id', h('input', { name: 'id', id: 'find-id', size: 40 })),
    h('button', { type: 'submit', id: 'find-submit' }, 'Find'));
  find.addEventListener('submit', ev => { ev.preventDefault(); if (find.id.value) location.hash = '#/task/' + encodeURIComponent(find.id.value.trim()); });
  const out = [h('h1', {}, 'Tasks'), find, form];
  if (!queue) return out.concat(h('p', { cls: 'muted' }, 'No queues yet.'));
  const page = await api('GET', 'tasks?' + q({ queue, state: st, name: params.get('name'), order: params.get('order'), cursor: params.get('cursor') }));
  // The time a listing is ordered by says different things per place; a finished task shows when it finished.
  const finished = ['finished', 'success', 'failure', 'revoked'].includes(st);
  const atLabel = { queued: 'Queued', delayed: 'Due', running: 'Lease until', dead: 'Dead' }[st] || 'Finished';
  const atOf = t => finished ? (t.record ? t.record.updatedAt : null) : t.at;
  const rows = page.tasks.map(t => h('tr', {}, td(link('#/task/' + encodeURIComponent(t.id) + '?queue=' + encodeURIComponent(t.queue), t.id)),
    td(t.task || '?'), td(t.priority === null ? '' : t.priority), td(atOf(t) ? when(atOf(t)) : ''),
    td(t.record ? badge(t.record.state) : badge(t.place.toLowerCase())), td(t.record ? t.record.attempt : ''), td(t.record && t.record.worker ? t.record.worker : '')));
  out.push(table(['Id', 'Task', 'Priority', atLabel, 'State', 'Attempt', 'Worker'], rows, 'no tasks here'));
  const pager = h('div', { cls: 'pager muted' }, page.scanned + ' listed entries read');
  if (page.next) {
    const p = new URLSearchParams(params);
    p.set('cursor', page.next);
    pager.append(h('a', { href: '#/tasks?' + p.toString(), id: 'next-page' }, 'next page'));
  }
  out.push(pager);
  return out;
};

pages.task = async function (params, id) {
  const t = await api('GET', 'tasks/' + encodeURIComponent(id) + (params.get('queue') ? '?' + q({ queue: params.get('queue') }) : ''));
  const fields = h('dl', { cls: 'fields', id: 'task-fields' },
    ...[['Id', t.id], ['Task', t.task], ['Queue', t.queue], ['State', badge(t.state)], ['Attempts', t.attempt], ['Retries', t.retries],
      ['Worker', t.worker || '-'], ['Updated', t.updatedAt ? t.updatedAt + ' (' + ago(t.updatedAt) + ')' : '-'], ['Reason', t.reason || '-'],
      ['Dead letter', t.dead ? 'yes' : 'no']].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ...lineageFields(t));
  const out = [h('h1', {}, 'Task ' + t.id), fields];
  if (admin()) {
    const tools = h('div', { cls: 'toolbar' });
    if (t.dead) tools.append(h('button', { onclick: () => act('resubmit', () => api('POST', 'dead/' + encodeURIComponent(t.queue) + '/resubmit', { id: t.id })) }, 'Resubmit dead letter'));
    if (!['SUCCESS', 'FAILURE', 'REVOKED'].includes(t.state)) tools.append(h('button', { cls: 'danger', onclick: () => { if (confirm('Revoke ' + t.id + '?')) act('revoke', () => api('POST', 'tasks/' + encodeURIComponent(t.id) + '/revoke?' + q({ queue: t.queue }))); } }, 'Revoke'));
    tools.append(revokeWorkflowButton(t.rootId));
    out.push(tools);
  }
  out.push(h('h2', {}, 'Arguments'), t.argsHidden ? h('p', { cls: 'muted', id: 'args-hidden' }, 'Hidden from read-only users.')
    : t.args ? h('div', {}, h('p', { cls: 'muted' }, 'From the ' + t.args.source + '.'), h('pre', { id: 'task-args' }, typeof t.args.value === 'string' ? t.args.value : JSON.stringify(t.args.value, null, 2)))
      : h('p', { cls: 'muted' }, 'Not known: a finished task\'s message is not kept; its arguments are in the event stream only when the application publishes them (Taskq.Builder.argsRepr).'));
  if (t.result !== null && t.result !== undefined) out.push(h('h2', {}, 'Result'), h('pre', { id: 'task-result' }, JSON.stringify(t.result, null, 2)));
  if (t.progress) out.push(h('h2', {}, 'Progress'), h('pre', {}, JSON.stringify(t.progress, null, 2)));
  if (t.error) out.push(h('h2', {}, 'Error'), h('p', { cls: 'error' }, t.error.type + ': ' + (t.error.message || '')), h('pre', { id: 'task-stack' }, t.error.stackTrace || ''));
  const tl = t.timeline;
  const rows = tl.events.map(e => h('tr', {}, td(e.timestamp), td(badge(e.type, e.type === 'task-succeeded' ? 'SUCCESS' : e.type === 'task-failed' || e.type === 'task-dead-lettered' ? 'FAILURE' : 'q')),
    td(Object.entries(e.fields).filter(([k]) => !['id', 'name', 'queue'].includes(k)).map(([k, v]) => k + '=' + v).join('  '))));
  out.push(h('h2', {}, 'Timeline'), table(['Time', 'Event', 'Details'], rows, 'no events found'),
    h('p', { cls: 'muted' }, !tl.available ? 'The broker keeps no event stream.' : 'From the events seen since the dashboard started and the oldest ' + tl.scanned
      + ' events the stream keeps' + (tl.complete ? '' : ' (it holds more: a long stream\'s middle is not searched)') + '; the stream keeps a bounded history, so older events are gone.'));
  return out;
};

// ---------------------------------------------------------------- lineage (docs/workflows.md#lineage)

// The task's workflow root and parent, as links (the root to its workflow's listing).
function lineageFields(t) {
  const root = t.rootId || t.id;
  return [h('dt', {}, 'Workflow root'), h('dd', { id: 'task-root' }, root === t.id ? 'this task ' : link('#/task/' + encodeURIComponent(root), root), ' ',
    link('#/tasks?' + q({ root }), '(all its tasks)')),
    h('dt', {}, 'Parent'), h('dd', { id: 'task-parent' }, t.parentId ? link('#/task/' + encodeURIComponent(t.parentId), t.parentId) : '-')];
}

function revokeWorkflowButton(root) {
  return h('button', { cls: 'danger', id: 'revoke-workflow', onclick: () => {
    if (confirm('Revoke every queued, delayed or running task of workflow ' + root + '?')) {
      act('revoke workflow', () => api('POST', 'workflows/' + encodeURIComponent(root) + '/revoke'));
    }
  } }, 'Revoke workflow');
}

// The tasks page filtered by a workflow's root: every queue and place (Taskq.workflow).
async function workflowTasks(root) {
  const page = await api('GET', 'tasks?' + q({ root }));
  const rows = page.tasks.map(t => h('tr', {}, td(link('#/task/' + encodeURIComponent(t.id) + '?queue=' + encodeURIComponent(t.queue), t.id)),
    td(t.task || '?'), td(t.queue), td(t.record ? badge(t.record.state) : badge(t.place.toLowerCase())),
    td(t.record && t.record.parentId ? link('#/task/' + encodeURIComponent(t.record.parentId), t.record.parentId) : '')));
  return [h('h1', {}, 'Workflow ' + root), h('p', {}, link('#/tasks', 'all tasks')),
    table(['Id', 'Task', 'Queue', 'State', 'Parent'], rows, 'no task of this workflow is kept'),
    h('p', { cls: 'muted' }, 'Each queue\'s places are read up to ' + page.pages + ' pages; a task beyond them is not listed.')];
}

pages.dead = async function (params) {
  const names = await queueNames();
  const queue = params.get('queue') || names[0] || '';
  const f = { task: params.get('task'), errorType: params.get('errorType'), olderThan: params.get('olderThan'), newerThan: params.get('newerThan') };
  const form = h('form', { cls: 'filters', id: 'dead-filters' }, h('label', {}, 'Queue', queueSelect(names, queue)),
    h('label', {}, 'Task', h('input', { name: 'task', value: f.task || '', placeholder: 'any' })),
    h('label', {}, 'Error type', h('input', { name: 'errorType', value: f.errorType || '', placeholder: 'e.g. java.io.IOException' })),
    h('label', {}, 'Older than', h('input', { name: 'olderThan', value: f.olderThan || '', size: 6, placeholder: '1h' })),
    h('label', {}, 'Newer than', h('input', { name: 'newerThan', value: f.newerThan || '', size: 6, placeholder: '7d' })),
    h('button', { type: 'submit' }, 'List'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    location.hash = '#/dead?' + q({ queue: form.queue.value, task: form.task.value, errorType: form.errorType.value, olderThan: form.olderThan.value, newerThan: form.newerThan.value });
  });
  const out = [h('h1', {}, 'Dead letters'), form];
  if (!queue) return out.concat(h('p', { cls: 'muted' }, 'No queues yet.'));
  const page = await api('GET', 'dead?' + q(Object.assign({ queue, cursor: params.get('cursor') }, f)));
  const path = 'dead/' + encodeURIComponent(queue);
  const rows = page.deadLetters.map(d => h('tr', { 'data-dead': d.id }, td(link('#/task/' + encodeURIComponent(d.id) + '?queue=' + encodeURIComponent(queue), d.id)), td(d.task || '?'),
    td(when(d.deadAt)), td(d.attempt, 'num'), td(d.complete ? d.reason : '[incomplete: ' + d.incomplete + '] ' + (d.reason || '')),
    admin() ? td(h('span', { cls: 'row-actions' }, d.complete ? h('button', { 'data-action': 'resubmit', onclick: () => act('resubmit ' + d.id, () => api('POST', path + '/resubmit', { id: d.id })) }, 'resubmit') : '',
      h('button', { cls: 'danger', 'data-action': 'delete', onclick: () => { if (confirm('Delete dead letter ' + d.id + '?')) act('delete ' + d.id, () => api('POST', path + '/delete', { id: d.id })); } }, 'delete'))) : td('')));
  out.push(table(['Id', 'Task', 'Dead', '#', 'Reason', ''], rows, 'no dead letters' + (page.next ? ' in this step' : '')));
  if (page.next) {
    const p = new URLSearchParams(params);
    p.set('cursor', page.next);
    out.push(h('div', { cls: 'pager' }, h('a', { href: '#/dead?' + p.toString() }, 'more matches')));
  }
  if (admin()) {
    const anyFilter = Object.values(f).some(v => v);
    const body = anyFilter ? Object.assign({}, f) : { all: true };
    const what = anyFilter ? 'the dead letters that match the filter' : 'every dead letter';
    out.push(h('h2', {}, 'Many at once'), h('div', { cls: 'toolbar' },
      h('button', { onclick: () => { if (confirm('Resubmit ' + what + ' of "' + queue + '"?')) act('resubmit', () => api('POST', path + '/resubmit', body)); } }, 'Resubmit ' + (anyFilter ? 'matches' : 'all')),
      h('button', { cls: 'danger', onclick: () => { if (confirm('Delete ' + what + ' of "' + queue + '"?')) act('delete', () => api('POST', path + '/delete', body)); } }, 'Delete ' + (anyFilter ? 'matches' : 'all'))));
  }
  return out;
};

pages.schedules = async function () {
  if (!state.session.scheduler) return [h('h1', {}, 'Periodic tasks'), h('p', { cls: 'muted' }, 'This dashboard was built without a scheduler (TaskqDashboard.Builder.scheduler).')];
  const entries = await api('GET', 'schedules');
  const rows = entries.map(e => h('tr', { 'data-entry': e.name }, td(h('b', {}, e.name)), td(e.task), td(e.schedule), td(e.nextRunAt ? when(e.nextRunAt) : '-'),
    td(e.lastRunAt ? h('span', {}, when(e.lastRunAt), ' ', e.lastRunId ? link('#/task/' + encodeURIComponent(e.lastRunId), '→') : '') : 'never'),
    td(e.totalRunCount, 'num'), td(badge(e.enabled ? 'yes' : 'no')),
    admin() ? td([
      h('button', { cls: 'secondary', 'data-action': 'edit', onclick: () => editEntry(e) }, 'edit'),
      e.enabled ? h('button', { cls: 'secondary', onclick: () => act('disable', () => api('POST', 'schedules/' + encodeURIComponent(e.name) + '/disable')) }, 'disable')
        : h('button', { cls: 'secondary', onclick: () => act('enable', () => api('POST', 'schedules/' + encodeURIComponent(e.name) + '/enable')) }, 'enable'),
      h('button', { cls: 'secondary', onclick: () => act('run now', () => api('POST', 'schedules/' + encodeURIComponent(e.name) + '/run')) }, 'run now'),
      h('button', { cls: 'danger', onclick: () => { if (confirm('Delete periodic task ' + e.name + '?')) act('delete', () => api('DELETE', 'schedules/' + encodeURIComponent(e.name))); } }, 'delete')]) : td('')));
  const out = [h('h1', {}, 'Periodic tasks')];
  if (admin()) out.push(h('div', { cls: 'toolbar' }, h('button', { id: 'new-entry', onclick: () => editEntry(null) }, 'New periodic task')));
  out.push(h('div', { id: 'entry-form' }), table(['Name', 'Task', 'Schedule', 'Next run', 'Last run', 'Runs', 'Enabled', ''], rows, 'no periodic tasks'));
  const audit = await api('GET', 'schedules/audit?limit=30');
  out.push(h('h2', {}, 'Audit trail'), table(['When', 'Entry', 'Action', 'Who', 'What changed'], audit.map(a => h('tr', {}, td(when(a.at)), td(a.entry), td(a.action), td(a.actor),
    td([a.detail, ...(a.changes || [])].filter(x => x).map(x => h('div', { cls: 'mono' }, x))))), 'no changes yet'));
  return out;
};

// A rate as RateLimit.parse reads it, in the largest unit that divides its period: 20/s, 600/m, 5/10s.
function rateText(r) {
  for (const [size, unit] of [[86400000, 'd'], [3600000, 'h'], [60000, 'm'], [1000, 's'], [1, 'ms']]) {
    if (r.periodMillis % size === 0) {
      const n = r.periodMillis / size;
      return r.permits + '/' + (n === 1 ? '' : n) + unit;
    }
  }
  return r.permits + '/' + r.periodMillis + 'ms';
}

pages.limits = async function () {
  const l = await api('GET', 'limits');
  const out = [h('h1', {}, 'Limits'), h('p', { cls: 'muted' }, 'The run-time values every worker applies from its next claim, instead of the declared @Task(rateLimit, concurrencyLimit) or a queue\'s rate (docs/limits.md). A change adjusts a declared limit: a task declared without one gets none.')];
  if (!l.available) return out.concat(h('p', { cls: 'muted' }, 'The broker enforces no limits.'));
  const rows = l.overrides.map(o => h('tr', { 'data-limit': o.limit }, td(h('span', { cls: 'mono' }, o.limit)), td(badge(o.kind, 'q')), td(o.name),
    td(o.rate ? rateText(o.rate) : '-'), td(o.rate ? o.rate.burst : '-', 'num'), td(o.maxRunning === null ? '-' : o.maxRunning, 'num'),
    admin() ? td(h('button', { cls: 'danger', 'data-action': 'clear', onclick: () => { if (confirm('Clear the run-time values of ' + o.limit + '? Its declared limits apply again.')) act('clear ' + o.limit, () => api('POST', 'limits/clear', { [o.kind]: o.name })); } }, 'clear')) : td('')));
  out.push(table(['Limit', 'Kind', 'Name', 'Rate', 'Burst', 'Most running', ''], rows, 'no run-time values: the declared limits apply'));
  if (!admin()) return out.concat(h('p', { cls: 'muted', id: 'limits-read-only' }, 'Changing a limit needs the admin role.'));
  const kind = h('select', { name: 'kind', id: 'limit-kind' }, h('option', { value: 'task' }, 'task'), h('option', { value: 'queue' }, 'queue'));
  const rateForm = h('form', { cls: 'toolbar', id: 'limit-rate-form' }, field('Limit of', kind),
    field('Task or queue name', h('input', { name: 'target', id: 'limit-target', required: true, size: 24 })),
    field('Rate (20/s, 600/m, 5/10s)', h('input', { name: 'rate', id: 'limit-rate', required: true, size: 10 })),
    field('Burst (optional)', h('input', { name: 'burst', id: 'limit-burst', size: 5, placeholder: '1' })),
    h('button', { type: 'submit', id: 'limit-set-rate' }, 'Set rate'));
  rateForm.addEventListener('submit', ev => {
    ev.preventDefault();
    const e = rateForm.elements;
    act('rate of ' + e.kind.value + ' ' + e.target.value, () => api('POST', 'limits/rate', { [e.kind.value]: e.target.value, rate: e.rate.value, burst: e.burst.value || null }));
  });
  const maxForm = h('form', { cls: 'toolbar', id: 'limit-max-form' },
    field('Task name', h('input', { name: 'task', id: 'limit-max-task', required: true, size: 24 })),
    field('Most running at once', h('input', { name: 'max', id: 'limit-max', required: true, size: 5, type: 'number', min: 1 })),
    h('button', { type: 'submit', id: 'limit-set-max' }, 'Set concurrency'));
  maxForm.addEventListener('submit', ev => {
    ev.preventDefault();
    const e = maxForm.elements;
    act('concurrency of task ' + e.task.value, () => api('POST', 'limits/concurrency', { task: e.task.value, max: e.max.value }));
  });
  return out.concat(h('h2', {}, 'Set a rate'), rateForm, h('h2', {}, 'Set a concurrency maximum'), maxForm);
};

function field(label, input) { return h('label', {}, label, input); }

// The fields of each schedule kind; the form shows the chosen kind's only.
function scheduleFields(spec, inp) {
  const solarEvents = ['sunrise', 'sunset', 'solar_noon', 'dawn_civil', 'dawn_nautical', 'dawn_astronomical', 'dusk_civil', 'dusk_nautical', 'dusk_astronomical'];
  return {
    cron: h('div', { cls: 'row' }, field('Cron expression', inp('expression', spec.expression, { size: 22 })), field('Time zone', inp('zone', spec.zone || 'UTC'))),
    interval: h('div', { cls: 'row' }, field('Every (15m, 1h, PT30S)', inp('every', spec.every)), field('Anchor (ISO instant, optional)', inp('anchor', spec.anchor, { size: 24 }))),
    clocked: h('div', { cls: 'row' }, field('At (ISO instant)', inp('at', spec.at, { size: 24 }))),
    solar: h('div', { cls: 'row' }, field('Event', h('select', { name: 'event', id: 'f-event' }, solarEvents.map(s => h('option', { value: s, selected: s === spec.event }, s)))),
      field('Latitude', inp('latitude', spec.latitude)), field('Longitude', inp('longitude', spec.longitude))),
  };
}

// Creates (e null) or replaces an entry from the form; the server validates again and its error is shown.
async function saveEntry(form, e, spec) {
  const el = form.elements;
  const body = { name: el.name.value, task: el.task.value, spec, args: el.args.value, queue: el.queue.value || null,
    priority: el.priority.value === '' ? null : parseInt(el.priority.value, 10), expires: el.expires.value || null,
    description: el.description.value, enabled: el.enabled.checked, oneOff: el.oneOff.checked, missedRuns: el.missedRuns.value, overlap: el.overlap.value };
  try {
    if (e) await api('PUT', 'schedules/' + encodeURIComponent(e.name), body);
    else await api('POST', 'schedules', body);
    state.editing = false;
    flash('saved ' + body.name);
    route();
  } catch (err) { document.getElementById('entry-error').textContent = err.message; }
}

function editEntry(e) {
  state.editing = true;
  const spec = (e && e.spec) || { kind: 'cron', expression: '*/5 * * * *', zone: 'UTC' };
  const inp = (name, value, attrs) => h('input', Object.assign({ name, id: 'f-' + name, value: value === null || value === undefined ? '' : value }, attrs || {}));
  const kind = h('select', { name: 'kind', id: 'f-kind' }, ['cron', 'interval', 'clocked', 'solar'].map(k => h('option', { value: k, selected: k === spec.kind }, k)));
  const groups = scheduleFields(spec, inp);
  const previewZone = inp('previewZone', spec.zone || 'UTC');
  const preview = h('div', { cls: 'preview', id: 'preview' });
  const form = h('form', { cls: 'panel', id: 'entry' },
    h('h2', {}, e ? 'Edit ' + e.name : 'New periodic task'),
    h('div', { cls: 'row' }, field('Name', inp('name', e && e.name, { readonly: !!e, required: true })), field('Task', inp('task', e && e.task, { required: true, size: 28 })), field('Schedule kind', kind)),
    groups.cron, groups.interval, groups.clocked, groups.solar,
    h('div', { cls: 'row' }, field('Arguments (JSON array)', inp('args', e ? e.args : '[]', { size: 30 })), field('Queue', inp('queue', e && e.queue, { placeholder: "the task's" })),
      field('Priority', inp('priority', e && e.priority, { size: 3 })), field('Expires after', inp('expires', e && e.expires, { size: 8 })),
      field('Description', inp('description', e && e.description, { size: 30 }))),
    h('div', { cls: 'row' }, h('label', { cls: 'inline' }, h('input', { type: 'checkbox', name: 'enabled', id: 'f-enabled', checked: !e || e.enabled }), 'enabled'),
      h('label', { cls: 'inline' }, h('input', { type: 'checkbox', name: 'oneOff', checked: e && e.oneOff }), 'one-off'),
      field('Missed runs', h('select', { name: 'missedRuns' }, ['RUN_ONCE', 'SKIP', 'RUN_ALL'].map(m => h('option', { value: m, selected: e && e.missedRuns === m }, m)))),
      field('Overlap', h('select', { name: 'overlap' }, ['ALLOW', 'SKIP_IF_RUNNING'].map(m => h('option', { value: m, selected: e && e.overlap === m }, m)))),
      h('span', { id: 'preview-zone' }, field('Preview in zone', previewZone))),
    h('h3', {}, 'Next fire times'), preview,
    h('div', { cls: 'toolbar' }, h('button', { type: 'submit', id: 'save-entry' }, 'Save'),
      h('button', { type: 'button', cls: 'secondary', onclick: () => { state.editing = false; route(); } }, 'Cancel')),
    h('p', { cls: 'error', id: 'entry-error' }));
  const specOf = () => {
    const k = kind.value;
    const s = { kind: k };
    const names = { cron: ['expression', 'zone'], interval: ['every', 'anchor'], clocked: ['at'], solar: ['event', 'latitude', 'longitude'] }[k];
    for (const n of names) s[n] = form.elements[n].value;
    return s;
  };
  const show = () => {
    for (const [k, g] of Object.entries(groups)) g.hidden = k !== kind.value;
    document.getElementById('preview-zone').hidden = kind.value === 'cron';
  };
  const refresh = async () => {
    show();
    const s = specOf();
    const zone = s.kind === 'cron' ? s.zone : previewZone.value;
    try {
      const p = await api('GET', 'schedules/preview?' + q(Object.assign({}, s, { zone, count: 5 })));
      preview.replaceChildren(h('p', { cls: 'muted' }, p.describe + ' — shown in ' + p.zone),
        h('ol', {}, p.fires.length ? p.fires.map(f => h('li', {}, f.local)) : h('li', {}, 'never fires again')));
    } catch (err) { preview.replaceChildren(h('p', { cls: 'error', id: 'preview-error' }, err.message)); }
  };
  form.addEventListener('input', () => { clearTimeout(refresh.t); refresh.t = setTimeout(refresh, 250); });
  form.addEventListener('change', refresh);
  form.addEventListener('submit', ev => { ev.preventDefault(); saveEntry(form, e, specOf()); });
  document.getElementById('entry-form').replaceChildren(form);
  refresh();
}

// ---------------------------------------------------------------- routing

async function route(quiet) {
  if (!state.session) return;
  const hash = location.hash || '#/overview';
  const [path, query] = hash.substring(2).split('?');
  const [page, arg] = path.split('/');
  const params = new URLSearchParams(query || '');
  const render = pages[page] || pages.overview;
  // Only the newest call renders: a live refresh still loading when the user moves to another page must not
  // replace that page (nor re-render it under the user's hands).
  const seq = state.seq = (state.seq || 0) + 1;
  if (!quiet) { state.editing = false; clearTimeout(state.refreshTimer); }
  state.page = pages[page] ? page : 'overview';
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', a.dataset.page === state.page || (page === 'task' && a.dataset.page === 'tasks')));
  try {
    const content = await render(params, arg ? decodeURIComponent(arg) : null);
    if (seq !== state.seq || (quiet && state.editing)) return;
    const main = document.getElementById('main');
    // A live refresh keeps what the user chose in the page's fields (a queue picked, a filter typed).
    const kept = quiet ? Array.from(main.querySelectorAll('input[id], select[id]')).map(e => [e.id, e.value]) : [];
    main.replaceChildren(...content);
    for (const [id, value] of kept) {
      const e = document.getElementById(id);
      if (e && Array.from(e.options || [{ value }]).some(o => o.value === value)) e.value = value;
    }
    document.body.dataset.page = state.page;
  } catch (e) {
    if (state.session && seq === state.seq) document.getElementById('main').replaceChildren(h('h1', {}, 'Could not load the page'), h('p', { cls: 'error', id: 'page-error' }, e.message));
  }
}

window.addEventListener('hashchange', () => route());
document.getElementById('logout').addEventListener('click', async () => {
  try { await api('POST', 'logout'); } catch (e) { /* shown by the login form */ }
  showLogin();
});

(async function start() {
  try {
    state.session = await api('GET', 'session');
    started();
  } catch (e) {
    if (!state.session) showLogin();
  }
})();
