// The Lakeport scheduler's status page: reads /api/jobs and /api/runs, draws tables and inline SVG
// charts, counts down to each scheduled job's next run, switches scheduled jobs on and off and
// queues runs of any job (with the bearer token, kept in this browser's local storage).
'use strict';

const TOKEN_KEY = 'lakeport-token';
const SVG = 'http://www.w3.org/2000/svg';
const RUNS_SHOWN = 25;
const REFRESH_MS = 15000;
let countdowns = [];

function token() { return localStorage.getItem(TOKEN_KEY) || ''; }

async function call(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (token()) { headers['Authorization'] = 'Bearer ' + token(); }
  if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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

function duration(seconds) {
  if (seconds === null || seconds === undefined) { return '-'; }
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) { return h + 'h ' + String(m).padStart(2, '0') + 'm ' + String(rest).padStart(2, '0') + 's'; }
  if (m > 0) { return m + 'm ' + String(rest).padStart(2, '0') + 's'; }
  return seconds < 10 ? seconds.toFixed(1) + 's' : rest + 's';
}

function time(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/:00Z$/, 'Z') : '-'; }

function statusBadge(status) { return element('span', status, 'status ' + status); }

function renderJobs(jobs) {
  const body = document.querySelector('#jobs tbody');
  body.replaceChildren();
  countdowns = [];
  const loadedAt = Date.now();
  for (const job of jobs) {
    const row = element('tr');
    row.dataset.job = job.name;
    row.append(element('td', job.name, 'job-name'));
    // a job without a schedule runs only when queued: no zone, no next run, no switch
    const scheduled = job.schedule !== null;
    row.append(scheduled ? element('td', job.schedule + ' (' + job.time_zone + ')') : element('td', 'none (run now only)', 'muted'));
    const next = job.next_runs.length > 0 ? job.next_runs[0] : null;
    row.append(element('td', next ? next.local.replace('T', ' ') : '-'));
    const countdown = element('td', '-', 'countdown number');
    if (job.seconds_until_next !== null) {
      countdowns.push({ cell: countdown, due: loadedAt + job.seconds_until_next * 1000 });
    }
    row.append(countdown);
    const last = element('td');
    if (job.last_run) {
      last.append(statusBadge(job.last_run.status), ' ', element('span', time(job.last_run.finished_at), 'muted'));
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
    const actions = element('td');
    const runNow = element('button', 'Run now');
    runNow.type = 'button';
    runNow.addEventListener('click', () => queueRun(job.name));
    actions.append(runNow);
    row.append(actions);
    body.append(row);
  }
  tick();
}

function tick() {
  const now = Date.now();
  for (const countdown of countdowns) {
    countdown.cell.textContent = duration(Math.max(0, (countdown.due - now) / 1000));
  }
}

function renderRuns(runs) {
  const body = document.querySelector('#runs tbody');
  body.replaceChildren();
  for (const run of runs.slice(0, RUNS_SHOWN)) {
    const row = element('tr');
    row.dataset.run = run.id;
    const id = element('td', null, 'mono');
    const link = element('a', run.id);
    link.href = '/api/runs/' + encodeURIComponent(run.id);
    id.append(link);
    row.append(id, element('td', run.job), element('td', run.trigger));
    const status = element('td');
    status.append(statusBadge(run.status));
    if (run.error) { status.title = run.error; }
    row.append(status, element('td', time(run.started_at)), element('td', duration(run.duration_seconds), 'number'),
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

// One bar per value, scaled to the largest; the top label says the largest value.
function barChart(kind, title, values, format, classes) {
  const width = 260;
  const height = 90;
  const top = 14;
  const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, class: 'chart', role: 'img', 'aria-label': title });
  chart.dataset.chart = kind;
  chart.append(svg('line', { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: 'axis' }));
  const max = Math.max(0, ...values);
  const label = svg('text', { x: 0, y: 10 });
  label.textContent = values.length === 0 ? 'no runs yet' : 'max ' + format(max);
  chart.append(label);
  const step = values.length === 0 ? 0 : width / values.length;
  values.forEach((value, i) => {
    const h = max === 0 ? 0 : Math.max(1, (height - top) * value / max);
    const bar = svg('rect', { x: i * step + step * 0.1, y: height - h, width: Math.max(1, step * 0.8), height: h,
      class: 'bar' + (classes ? ' ' + classes[i] : '') });
    const tip = svg('title');
    tip.textContent = format(value);
    bar.append(tip);
    chart.append(bar);
  });
  return chart;
}

// Per day (UTC) of the runs' end: succeeded (and skipped) runs over those that succeeded or failed.
function successRate(runs) {
  const days = new Map();
  for (const run of runs) {
    if (!run.finished_at) { continue; }
    const day = run.finished_at.substring(0, 10);
    const counts = days.get(day) || { ok: 0, failed: 0 };
    if (run.status === 'succeeded' || run.status === 'skipped') { counts.ok++; }
    if (run.status === 'failed' || run.status === 'interrupted' || run.status === 'lost') { counts.failed++; }
    days.set(day, counts);
  }
  return [...days.entries()].sort().filter(([, c]) => c.ok + c.failed > 0)
    .map(([day, c]) => ({ day, rate: c.ok / (c.ok + c.failed) }));
}

function rateChart(rates) {
  const width = 260;
  const height = 90;
  const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, class: 'chart', role: 'img', 'aria-label': 'success rate per day' });
  chart.dataset.chart = 'success-rate';
  chart.append(svg('line', { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: 'axis' }));
  const label = svg('text', { x: 0, y: 10 });
  const last = rates[rates.length - 1];
  label.textContent = last ? Math.round(last.rate * 100) + '% on ' + last.day : 'no ended runs yet';
  chart.append(label);
  const step = rates.length === 0 ? 0 : width / rates.length;
  rates.forEach((r, i) => {
    const h = Math.max(1, (height - 14) * r.rate);
    const bar = svg('rect', { x: i * step + step * 0.1, y: height - h, width: Math.max(1, step * 0.8), height: h, class: 'rate' });
    const tip = svg('title');
    tip.textContent = r.day + ': ' + Math.round(r.rate * 100) + '%';
    bar.append(tip);
    chart.append(bar);
  });
  return chart;
}

function renderCharts(jobs, runs) {
  const charts = document.getElementById('charts');
  charts.replaceChildren();
  for (const job of jobs) {
    const mine = runs.filter(r => r.job === job.name).reverse();
    const published = mine.filter(r => r.status === 'succeeded');
    const ended = mine.filter(r => r.duration_seconds !== null && r.finished_at);
    const box = element('div', null, 'job-charts');
    box.dataset.job = job.name;
    box.append(element('h3', job.name));
    const row = element('div', null, 'chart-row');
    const cell = (title, chart) => { const c = element('div'); c.append(element('div', title, 'chart-title'), chart); return c; };
    row.append(
      cell('Rows per published run', barChart('rows', 'rows', published.map(r => r.rows || 0), number)),
      cell('Bytes per published run', barChart('bytes', 'bytes', published.map(r => r.bytes || 0), bytes)),
      cell('Duration per run', barChart('duration', 'duration', ended.map(r => r.duration_seconds), duration,
        ended.map(r => r.status === 'failed' || r.status === 'interrupted' || r.status === 'lost' ? 'failed' : ''))),
      cell('Success rate per day', rateChart(successRate(mine))));
    box.append(row);
    charts.append(box);
  }
}

async function load() {
  try {
    const [jobs, runs] = await Promise.all([call('GET', '/api/jobs'), call('GET', '/api/runs?limit=200')]);
    renderJobs(jobs.jobs);
    renderRuns(runs.runs);
    renderCharts(jobs.jobs, runs.runs);
    document.getElementById('updated').textContent = 'as of ' + time(jobs.now);
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

async function queueRun(name) {
  try {
    const run = await call('POST', '/api/jobs/' + encodeURIComponent(name) + '/runs', {});
    show('Queued run ' + run.id + ' of ' + name + ': the scheduler starts it at its next pass.', 'info');
    await load();
  } catch (e) {
    show(e.message);
  }
}

document.getElementById('token').addEventListener('click', () => {
  const given = prompt('Bearer token (kept in this browser only; empty to forget it):', '');
  if (given === null) { return; }
  if (given.trim()) { localStorage.setItem(TOKEN_KEY, given.trim()); } else { localStorage.removeItem(TOKEN_KEY); }
  load();
});

load();
setInterval(tick, 1000);
setInterval(load, REFRESH_MS);
