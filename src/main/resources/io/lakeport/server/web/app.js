// The Lakeport scheduler's page: reads /api/jobs and /api/runs, draws tables and inline SVG charts
// on a time axis, counts down to each scheduled job's next run, switches scheduled jobs on and off,
// queues runs of any job (with params, a run date or a backfill range) with the bearer token, kept
// in this browser's local storage, and shows one run (#/runs/<id>): its error, attempts, export,
// quality results and the tail of its log. Times are shown in the viewer's zone, in one format.
'use strict';

const TOKEN_KEY = 'lakeport-token';
const SVG = 'http://www.w3.org/2000/svg';
const RUNS_SHOWN = 25;
const LOG_LINES = 200;
const REFRESH_MS = 15000;
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const formats = new Map();
let countdowns = [];
let jobsShown = [];

function token() { return localStorage.getItem(TOKEN_KEY) || ''; }

async function request(method, path, body, accept) {
  const headers = { 'Accept': accept || 'application/json' };
  if (token()) { headers['Authorization'] = 'Bearer ' + token(); }
  if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
  return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function call(method, path, body) {
  const response = await request(method, path, body);
  const answer = await response.json();
  if (!response.ok) { throw new Error(answer.error || (method + ' ' + path + ': ' + response.status)); }
  return answer;
}

function show(text, kind) {
  const message = document.getElementById('message');
  message.textContent = text;
  message.className = kind || '';
  message.hidden = !text;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) { node.textContent = text; }
  if (className) { node.className = className; }
  return node;
}

function number(value) { return value === null || value === undefined ? '-' : value.toLocaleString('en-US'); }

function bytes(value) {
  if (value === null || value === undefined) { return '-'; }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let size = value;
  let unit = 0;
  while (size >= 1000 && unit < units.length - 1) { size /= 1000; unit++; }
  return (unit === 0 ? size : size.toFixed(1)) + ' ' + units[unit];
}

// Days and hours, hours and minutes, minutes and seconds, or seconds: the two largest units.
function duration(seconds) {
  if (seconds === null || seconds === undefined) { return '-'; }
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (d > 0) { return d + 'd ' + h + 'h'; }
  if (h > 0) { return h + 'h ' + m + 'm'; }
  if (m > 0) { return m + 'm ' + String(rest).padStart(2, '0') + 's'; }
  return seconds < 10 ? seconds.toFixed(1) + 's' : rest + 's';
}

function parts(date, zone) {
  if (!formats.has(zone)) {
    formats.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }));
  }
  return Object.fromEntries(formats.get(zone).formatToParts(date).map(p => [p.type, p.value]));
}

// The one time format of the page: 2026-11-29 02:30, in the viewer's zone (or the zone given).
function when(iso, zone) {
  if (!iso) { return '-'; }
  const p = parts(new Date(iso), zone || ZONE);
  return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute;
}

function timeCell(iso, className) {
  const cell = element('td', when(iso), className);
  if (iso) { cell.title = iso; }
  return cell;
}

function day(ms) {
  const p = parts(new Date(ms), ZONE);
  return p.year + '-' + p.month + '-' + p.day;
}

function statusBadge(status) { return element('span', status, 'status ' + status); }

function waitingForRetry(run) { return run.status === 'queued' && run.next_attempt_at; }

function renderJobs(jobs) {
  const body = document.querySelector('#jobs tbody');
  body.replaceChildren();
  countdowns = [];
  jobsShown = jobs;
  const loadedAt = Date.now();
  for (const job of jobs) {
    const row = element('tr');
    row.dataset.job = job.name;
    row.append(element('td', job.name, 'job-name'));
    // a job without a schedule runs only when queued: no zone, no next run, no switch
    const scheduled = job.schedule !== null;
    const scheduleCell = scheduled ? element('td', job.schedule + ' (' + job.time_zone + ')') : element('td', 'none (run now only)', 'muted');
    if (scheduled && job.after.length > 0) {
      // the jobs whose window a run waits for (schedule.after)
      scheduleCell.append(element('div', 'after ' + job.after.join(', '), 'muted after'));
    }
    row.append(scheduleCell);
    row.append(nextRun(job));
    const countdown = element('td', '-', 'countdown number');
    if (job.seconds_until_next !== null) {
      countdowns.push({ cell: countdown, due: loadedAt + job.seconds_until_next * 1000 });
    }
    row.append(countdown);
    const last = element('td');
    if (job.last_run) {
      const link = element('a', null);
      link.href = '#/runs/' + encodeURIComponent(job.last_run.id);
      link.append(statusBadge(job.last_run.status));
      last.append(link, ' ', element('span', when(job.last_run.finished_at), 'muted nowrap'));
    } else {
      last.textContent = 'never';
    }
    row.append(last);
    const enabled = element('td', scheduled ? null : '-');
    if (scheduled) {
      const toggle = element('input', null, 'switch');
      toggle.type = 'checkbox';
      toggle.checked = job.enabled;
      toggle.title = job.enabled ? 'Enabled (' + job.enabled_by + '): click to disable' : 'Disabled (' + job.enabled_by + '): click to enable';
      toggle.addEventListener('change', () => switchJob(job.name, toggle));
      enabled.append(toggle);
    }
    row.append(enabled);
    const actions = element('td', null, 'actions');
    const runNow = element('button', 'Run now', 'run-now');
    runNow.type = 'button';
    runNow.addEventListener('click', () => openRunNow(job.name));
    actions.append(runNow);
    row.append(actions);
    body.append(row);
  }
  tick();
}

// The next run in the viewer's zone, and in the job's zone when that differs.
function nextRun(job) {
  const next = job.next_runs.length > 0 ? job.next_runs[0] : null;
  const cell = element('td', null, 'next-run');
  if (!next) { cell.textContent = '-'; return cell; }
  cell.append(element('span', when(next.at)));
  cell.title = next.at + ' (run_date ' + next.run_date + ')';
  if (job.time_zone && when(next.at, job.time_zone) !== when(next.at)) {
    cell.append(' ', element('span', when(next.at, job.time_zone).substring(11) + ' ' + job.time_zone, 'muted job-zone'));
  }
  return cell;
}

function tick() {
  const now = Date.now();
  for (const countdown of countdowns) {
    countdown.cell.textContent = duration(Math.max(0, (countdown.due - now) / 1000));
  }
}

function runLink(id) {
  const link = element('a', id);
  link.href = '#/runs/' + encodeURIComponent(id);
  return link;
}

function statusCell(run) {
  const status = element('td', null, 'status-cell');
  if (waitingForRetry(run)) {
    status.append(statusBadge('retrying'), ' ', element('span', 'next attempt ' + when(run.next_attempt_at), 'next-attempt'));
  } else {
    status.append(statusBadge(run.status));
  }
  if (run.error) { status.append(element('div', run.error, 'error-line')); }
  return status;
}

function renderRuns(runs) {
  const body = document.querySelector('#runs tbody');
  body.replaceChildren();
  for (const run of runs.slice(0, RUNS_SHOWN)) {
    const row = element('tr');
    row.dataset.run = run.id;
    const id = element('td', null, 'mono');
    id.append(runLink(run.id));
    row.append(id, element('td', run.job), element('td', run.trigger));
    row.append(statusCell(run), timeCell(run.started_at, 'time'), element('td', duration(run.duration_seconds), 'number'),
      element('td', number(run.rows), 'number'), element('td', bytes(run.bytes), 'number'));
    const manifest = element('td');
    if (run.manifest_url) {
      const open = element('a', 'manifest');
      open.href = run.manifest_url;
      open.title = run.manifest;
      manifest.append(open);
    } else {
      manifest.textContent = '-';
    }
    row.append(manifest);
    body.append(row);
  }
}

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) { node.setAttribute(name, value); }
  return node;
}

const CHART = { width: 260, height: 100, top: 14, bottom: 16 };

// A time axis under the plot: the first, middle and last day of the span, in the viewer's zone.
function timeAxis(chart, start, end) {
  const base = CHART.height - CHART.bottom;
  chart.append(svg('line', { x1: 0, y1: base + 0.5, x2: CHART.width, y2: base + 0.5, class: 'axis' }));
  const ticks = end - start < 86400000 ? [start] : [start, start + (end - start) / 2, end];
  const anchors = ticks.length === 1 ? ['start'] : ['start', 'middle', 'end'];
  ticks.forEach((t, i) => {
    const x = ticks.length === 1 ? 0 : CHART.width * i / 2;
    chart.append(svg('line', { x1: x, y1: base, x2: x, y2: base + 3, class: 'axis' }));
    const label = svg('text', { x, y: CHART.height - 3, 'text-anchor': anchors[i], class: 'tick' });
    label.textContent = day(t);
    chart.append(label);
  });
}

// One bar per point at its time, scaled to the largest value; the top label says the largest.
function timeChart(kind, title, points, format, span) {
  const chart = svg('svg', { viewBox: '0 0 ' + CHART.width + ' ' + CHART.height, class: 'chart', role: 'img', 'aria-label': title });
  chart.dataset.chart = kind;
  chart.dataset.axis = 'time';
  const max = Math.max(0, ...points.map(p => p.value));
  const label = svg('text', { x: 0, y: 10 });
  label.textContent = points.length === 0 ? 'no runs yet' : 'max ' + format(max);
  chart.append(label);
  if (points.length > 0) { timeAxis(chart, span.start, span.end); }
  const plot = CHART.height - CHART.bottom - CHART.top;
  const base = CHART.height - CHART.bottom;
  const width = Math.max(2, Math.min(14, CHART.width / Math.max(points.length, 1) * 0.6));
  const range = Math.max(1, span.end - span.start);
  for (const p of points) {
    const h = max === 0 ? 0 : Math.max(1, plot * p.value / max);
    const x = (CHART.width - width) * (p.time - span.start) / range;
    const bar = svg('rect', { x, y: base - h, width, height: h, class: p.className });
    const tip = svg('title');
    tip.textContent = when(new Date(p.time).toISOString()) + ': ' + format(p.value);
    bar.append(tip);
    chart.append(bar);
  }
  return chart;
}

// Per day (viewer's zone) of the runs' end: succeeded (and skipped) runs over those that ended so.
function successRate(runs) {
  const days = new Map();
  for (const run of runs) {
    if (!run.finished_at) { continue; }
    const key = day(Date.parse(run.finished_at));
    const counts = days.get(key) || { ok: 0, failed: 0, time: Date.parse(run.finished_at) };
    if (run.status === 'succeeded' || run.status === 'skipped') { counts.ok++; }
    if (failed(run)) { counts.failed++; }
    days.set(key, counts);
  }
  return [...days.entries()].sort().filter(([, c]) => c.ok + c.failed > 0)
    .map(([key, c]) => ({ day: key, time: c.time, rate: c.ok / (c.ok + c.failed) }));
}

function failed(run) { return run.status === 'failed' || run.status === 'interrupted' || run.status === 'lost'; }

function renderCharts(jobs, runs) {
  const charts = document.getElementById('charts');
  charts.replaceChildren();
  for (const job of jobs) {
    const mine = runs.filter(r => r.job === job.name && r.started_at).reverse();
    const times = mine.map(r => Date.parse(r.finished_at || r.started_at));
    const span = { start: Math.min(...times), end: Math.max(...times) };
    const at = r => Date.parse(r.finished_at || r.started_at);
    const published = mine.filter(r => r.status === 'succeeded');
    const ended = mine.filter(r => r.duration_seconds !== null && r.finished_at);
    const rates = successRate(mine);
    const box = element('div', null, 'job-charts');
    box.dataset.job = job.name;
    box.append(element('h3', job.name));
    const row = element('div', null, 'chart-row');
    const cell = (title, chart) => { const c = element('div'); c.append(element('div', title, 'chart-title'), chart); return c; };
    row.append(
      cell('Rows per published run', timeChart('rows', 'rows',
        published.map(r => ({ time: at(r), value: r.rows || 0, className: 'bar' })), number, span)),
      cell('Bytes per published run', timeChart('bytes', 'bytes',
        published.map(r => ({ time: at(r), value: r.bytes || 0, className: 'bar' })), bytes, span)),
      cell('Duration per run', timeChart('duration', 'duration',
        ended.map(r => ({ time: at(r), value: r.duration_seconds, className: failed(r) ? 'bar failed' : 'bar' })), duration, span)),
      cell('Success rate per day', timeChart('success-rate', 'success rate per day',
        rates.map(r => ({ time: r.time, value: r.rate, className: 'rate' })), v => Math.round(v * 100) + '%', span)));
    box.append(row);
    charts.append(box);
  }
}

// The jobs' open alerts, oldest first; the section is hidden when there are none.
function renderAlerts(jobs) {
  const alerts = jobs.flatMap(job => job.open_alerts || []).sort((a, b) => a.opened_at.localeCompare(b.opened_at));
  const body = document.querySelector('#alerts tbody');
  body.replaceChildren();
  for (const alert of alerts) {
    const row = element('tr');
    row.dataset.alert = alert.kind;
    row.append(element('td', alert.job, 'job-name'));
    const kind = element('td');
    kind.append(element('span', alert.kind, 'status alert ' + alert.level));
    row.append(kind, timeCell(alert.opened_at, 'time'));
    const run = element('td', alert.run_id ? null : '-', 'mono');
    if (alert.run_id) { run.append(runLink(alert.run_id)); }
    row.append(run, element('td', alert.detail, 'alert-detail'));
    body.append(row);
  }
  document.getElementById('alerts-section').hidden = alerts.length === 0;
}

async function loadOverview() {
  const [jobs, runs] = await Promise.all([call('GET', '/api/jobs'), call('GET', '/api/runs?limit=200')]);
  renderAlerts(jobs.jobs);
  renderJobs(jobs.jobs);
  renderRuns(runs.runs);
  renderCharts(jobs.jobs, runs.runs);
  document.getElementById('updated').textContent = 'as of ' + when(jobs.now);
}

function definitions(pairs) {
  const list = element('dl', null, 'facts');
  for (const [term, value] of pairs) {
    if (value === null || value === undefined) { continue; }
    const dt = element('dt', term);
    const dd = element('dd');
    if (value instanceof Node) { dd.append(value); } else { dd.textContent = value; }
    list.append(dt, dd);
  }
  return list;
}

function table(id, headers, rows) {
  const t = element('table');
  t.id = id;
  const head = element('tr');
  headers.forEach(h => head.append(element('th', h)));
  const thead = element('thead');
  thead.append(head);
  const tbody = element('tbody');
  for (const cells of rows) {
    const tr = element('tr');
    cells.forEach(c => tr.append(c instanceof Node ? c : element('td', c === null || c === undefined ? '-' : String(c))));
    tbody.append(tr);
  }
  t.append(thead, tbody);
  return t;
}

function renderRun(run) {
  document.getElementById('run-id').textContent = run.id;
  const detail = document.getElementById('run-detail');
  detail.replaceChildren();
  const status = element('span');
  status.append(statusBadge(waitingForRetry(run) ? 'retrying' : run.status));
  const params = Object.entries(run.params || {}).map(([k, v]) => k + '=' + v).join(', ') || 'none';
  detail.append(definitions([
    ['Job', run.job], ['Status', status], ['Trigger', run.trigger], ['Params', params],
    ['Queued', when(run.queued_at)], ['Started', when(run.started_at)], ['Finished', when(run.finished_at)],
    ['Duration', duration(run.duration_seconds)]]));
  if (run.status === 'queued' || (run.status === 'running' && run.progress && run.progress.launched_here)) {
    const cancel = element('button', 'Cancel run', 'cancel-run');
    cancel.type = 'button';
    cancel.addEventListener('click', () => cancelRun(run.id));
    detail.append(cancel);
  }
  if (waitingForRetry(run)) {
    const attempt = run.progress ? run.progress.attempt : null;
    const wait = (Date.parse(run.next_attempt_at) - Date.now()) / 1000;
    detail.append(element('p', 'Waiting for its retry: attempt ' + (attempt || '?') + ' starts at ' + when(run.next_attempt_at)
      + (wait > 0 ? ' (in ' + duration(wait) + ')' : '') + '. The last attempt failed with:', 'retry-note'));
  }
  if (run.error) {
    const error = element('section', null, 'run-error');
    error.append(element('h3', 'Error'), element('pre', run.error, 'error-text'));
    detail.append(error);
  }
  detail.append(exportSection(run));
  detail.append(qualitySection(run.quality));
  if (run.attempts && run.attempts.length > 0) {
    const section = element('section');
    section.append(element('h3', 'Attempts'), table('attempts', ['#', 'Started', 'Finished', 'Exit code', 'Host', 'Error'],
      run.attempts.map(a => [a.number, when(a.started_at), when(a.finished_at), a.exit_code, a.host + ' (pid ' + a.pid + ')', a.error])));
    detail.append(section);
  }
  if (run.notifications && run.notifications.length > 0) {
    const section = element('section');
    section.append(element('h3', 'Notifications'), table('notifications', ['Channel', 'Target', 'Delivery', 'Sent', 'Error'],
      run.notifications.map(n => [n.channel, n.target, n.delivery, when(n.sent_at), n.error])));
    detail.append(section);
  }
}

function exportSection(run) {
  const section = element('section', null, 'export');
  section.append(element('h3', 'Export'));
  if (!run.manifest) {
    section.append(element('p', 'No manifest: the run published nothing.', 'muted'));
    return section;
  }
  const exported = run.export || {};
  let raw = null;
  if (run.manifest_url) {
    raw = element('a', 'raw manifest');
    raw.href = run.manifest_url;
    raw.title = run.manifest;
  }
  section.append(definitions([
    ['Rows', number(run.rows)], ['Files', number(run.files)], ['Bytes', bytes(run.bytes)],
    ['Path', exported.path], ['Format', exported.format ? exported.format + ' (' + exported.mode + ')' : null],
    ['Partitions', exported.partitions === null || exported.partitions === undefined ? null : number(exported.partitions)],
    ['Window', exported.window_start ? exported.window_start + ' to ' + exported.window_end : null],
    ['Rows read', exported.rows_read === null || exported.rows_read === undefined ? null : number(exported.rows_read)],
    ['Manifest', raw || run.manifest]]));
  return section;
}

function qualitySection(quality) {
  const section = element('section', null, 'quality');
  section.append(element('h3', 'Quality'));
  if (!quality) {
    section.append(element('p', 'No quality results (no rules, or no manifest to read them from).', 'muted'));
    return section;
  }
  section.append(table('quality-rules', ['Rule', 'Kind', 'Action', 'Checked', 'Failed', 'Outcome'],
    (quality.rules || []).map(r => [r.rule, r.kind, r.action, number(r.checked), number(r.failed), r.outcome])));
  if (quality.rejected_rows) {
    section.append(element('p', number(quality.rejected_rows) + ' rows set aside' + (quality.rejects_path ? ' in ' + quality.rejects_path : ''), 'muted'));
  }
  return section;
}

// The log's last lines; a run without a log file (404) says so. The run's log_file, when the API
// names it, says where the whole log is.
async function loadLog(id, file) {
  const log = document.getElementById('log');
  const note = document.getElementById('log-note');
  const response = await request('GET', '/api/runs/' + encodeURIComponent(id) + '/log?tail=' + LOG_LINES, undefined, 'text/plain');
  if (response.status === 404) {
    log.hidden = true;
    note.textContent = 'no log for this run';
    return;
  }
  const text = await response.text();
  if (!response.ok) {
    log.hidden = true;
    let reason = text;
    try { reason = JSON.parse(text).error || text; } catch (e) { /* plain text */ }
    note.textContent = 'cannot show the log: ' + reason;
    return;
  }
  log.hidden = false;
  log.textContent = text;
  note.textContent = 'last ' + LOG_LINES + ' lines' + (file ? ' of ' + file : '');
}

async function loadRun(id) {
  const run = await call('GET', '/api/runs/' + encodeURIComponent(id));
  renderRun(run);
  await loadLog(id, run.log_file);
}

function route() {
  const match = location.hash.match(/^#\/runs\/(.+)$/);
  return match ? { view: 'run', id: decodeURIComponent(match[1]) } : { view: 'overview' };
}

async function load() {
  const current = route();
  document.getElementById('overview').hidden = current.view !== 'overview';
  document.getElementById('run-view').hidden = current.view !== 'run';
  try {
    if (current.view === 'run') { await loadRun(current.id); } else { await loadOverview(); }
    document.body.dataset.view = current.view;
    document.body.dataset.state = 'ready';
  } catch (e) {
    show(e.message);
    document.body.dataset.state = 'failed';
  }
}

async function switchJob(name, toggle) {
  try {
    await call('PUT', '/api/jobs/' + encodeURIComponent(name) + '/enabled', { enabled: toggle.checked });
    show('Job ' + name + (toggle.checked ? ' enabled' : ' disabled') + '.', 'info');
    await load();
  } catch (e) {
    toggle.checked = !toggle.checked;
    show(e.message);
  }
}

async function cancelRun(id) {
  try {
    const answer = await call('POST', '/api/runs/' + encodeURIComponent(id) + '/cancel');
    show(answer.cancellation === 'stopping' ? 'Stopping run ' + id + '; the scheduler records it cancelled at its next pass.'
      : 'Cancelled run ' + id + '.', 'info');
    await load();
  } catch (e) {
    show(e.message);
  }
}

function paramRow(name, value) {
  const row = element('div', null, 'param-row');
  const key = element('input', null, 'param-name');
  key.placeholder = 'name';
  key.value = name || '';
  key.setAttribute('aria-label', 'parameter name');
  const val = element('input', null, 'param-value');
  val.placeholder = 'value';
  val.value = value || '';
  val.setAttribute('aria-label', 'parameter value');
  const remove = element('button', 'Remove');
  remove.type = 'button';
  remove.addEventListener('click', () => row.remove());
  row.append(key, ' = ', val, ' ', remove);
  document.getElementById('param-rows').append(row);
}

function openRunNow(name) {
  const dialog = document.getElementById('run-now');
  const form = document.getElementById('run-now-form');
  form.reset();
  form.dataset.job = name;
  document.getElementById('run-now-job').textContent = name;
  document.getElementById('param-rows').replaceChildren();
  paramRow();
  formError('');
  dialog.showModal();
}

function formError(text) {
  const error = document.getElementById('run-now-error');
  error.textContent = text;
  error.hidden = !text;
}

// The body for POST /api/jobs/{name}/runs from the form; throws with what to fix.
function runNowBody(form) {
  const params = {};
  for (const row of form.querySelectorAll('.param-row')) {
    const name = row.querySelector('.param-name').value.trim();
    const value = row.querySelector('.param-value').value;
    if (!name && !value) { continue; }
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      throw new Error('Parameter name "' + name + '": use letters, digits and _ (as in the job\'s params block).');
    }
    if (name === 'run_date') { throw new Error('Give the run date below, not as a parameter.'); }
    if (Object.prototype.hasOwnProperty.call(params, name)) { throw new Error('Parameter ' + name + ' is given twice.'); }
    params[name] = value;
  }
  const choice = form.querySelector('input[name="when"]:checked').value;
  const body = { params };
  if (choice === 'date') {
    const date = document.getElementById('run-date').value;
    if (!date) { throw new Error('Pick the run date, or choose "As the job says".'); }
    params.run_date = date;
  } else if (choice === 'range') {
    body.from = document.getElementById('from').value;
    body.to = document.getElementById('to').value;
    if (!body.from || !body.to) { throw new Error('A backfill needs both dates, from and to.'); }
    if (body.to < body.from) { throw new Error('The backfill\'s "to" date is before its "from" date.'); }
  }
  return body;
}

async function submitRunNow(event) {
  event.preventDefault();
  const form = document.getElementById('run-now-form');
  const name = form.dataset.job;
  let body;
  try {
    body = runNowBody(form);
  } catch (e) {
    formError(e.message);
    return;
  }
  try {
    const answer = await call('POST', '/api/jobs/' + encodeURIComponent(name) + '/runs', body);
    document.getElementById('run-now').close();
    if (answer.runs) {
      show('Queued ' + answer.runs.length + ' backfill run(s) of ' + name + ' from ' + body.from + ' to ' + body.to
        + ': the scheduler starts them one at a time, oldest first.', 'info');
    } else {
      show('Queued run ' + answer.id + ' of ' + name + ': the scheduler starts it at its next pass.', 'info');
    }
    await load();
  } catch (e) {
    formError(e.message);
  }
}

document.getElementById('token').addEventListener('click', () => {
  const given = prompt('Bearer token (kept in this browser only; empty to forget it):', '');
  if (given === null) { return; }
  if (given.trim()) { localStorage.setItem(TOKEN_KEY, given.trim()); } else { localStorage.removeItem(TOKEN_KEY); }
  load();
});
document.getElementById('add-param').addEventListener('click', () => paramRow());
document.getElementById('run-now-cancel').addEventListener('click', () => document.getElementById('run-now').close());
document.getElementById('run-now-form').addEventListener('submit', submitRunNow);
document.getElementById('zone').textContent = 'times in ' + ZONE;
window.addEventListener('hashchange', () => { show(''); load(); });

load();
setInterval(tick, 1000);
setInterval(load, REFRESH_MS);
