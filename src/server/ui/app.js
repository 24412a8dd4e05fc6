// entente web UI: plain JavaScript, no build step. The engine runs in the server; this page keeps
// the loaded scenario and the user's edits, sends both with each request (docs/api.md), and shows
// the forecasts and the SVG charts the server draws. Scenario text is only ever put in the page
// with textContent, never as HTML.
'use strict';

const DEFAULT_MODELS = ['mean', 'median', 'compromise', 'nbs'];

const state = {
  name: null,        // file name of the scenario
  scenario: null,    // native scenario structure (JSON), as the server returned it
  view: null,        // flat view: issues, actors with stances (salience 0-1)
  models: [],        // model infos from GET /api/models
  selected: new Set(),
  edits: new Map(),  // key "actor|issue|field" -> {actor, issue, field, value}
  dropped: new Set(),
  issue: 0,          // index of the issue shown in the editor and charts
  seq: 0,            // request sequence: only the latest answer is shown
  timer: null,
  last: null,        // last forecast answer
};

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) e.append(c);
  return e;
}

// Numbers for people: 4 significant digits, like the server's charts and the report.
function show(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (Math.abs(v) < 5e-5) return '0';
  if (Math.abs(v) >= 1e4) return v.toFixed(0);
  return String(Number(v.toPrecision(4)));
}

function setStatus(text, kind = '') {
  const s = $('#status');
  s.textContent = text;
  s.className = kind;
}

async function api(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(path, opts);
  const type = res.headers.get('Content-Type') || '';
  const payload = type.startsWith('application/json') ? await res.json() : await res.text();
  if (!res.ok) {
    let msg = (payload && payload.error) || `HTTP ${res.status}`;
    if (payload && Array.isArray(payload.diagnostics) && payload.diagnostics.length > 1)
      msg += ' | ' + payload.diagnostics.slice(1, 4).map((d) => d.message).join(' | ');
    throw new Error(msg);
  }
  return payload;
}

// ---- Edits ----------------------------------------------------------------------------------

function editKey(actor, issue, field) { return `${actor}|${issue}|${field}`; }

function editsList() {
  const list = [];
  for (const e of state.edits.values())
    if (!state.dropped.has(e.actor)) list.push({ actor: e.actor, issue: e.issue, field: e.field, value: e.value });
  for (const a of state.dropped) list.push({ drop: a });
  return list;
}

function currentValue(actor, issueId, field) {
  const st = actor.stances[issueId];
  if (field === 'capability') {
    const own = st && st.own_capability;
    const e = state.edits.get(editKey(actor.id, own ? issueId : '', 'capability'));
    if (e) return e.value;
    return own ? st.capability : actor.capability;
  }
  const e = state.edits.get(editKey(actor.id, issueId, field));
  return e ? e.value : st[field];
}

function setEdit(actor, issueId, field, value) {
  if (!Number.isFinite(value)) return;
  const st = actor.stances[issueId];
  let original;
  let key;
  if (field === 'capability') {
    const own = st && st.own_capability;
    key = editKey(actor.id, own ? issueId : '', 'capability');
    original = own ? st.capability : actor.capability;
    issueId = own ? issueId : '';
  } else {
    key = editKey(actor.id, issueId, field);
    original = st[field];
  }
  if (value === original) state.edits.delete(key);
  else state.edits.set(key, { actor: actor.id, issue: issueId, field, value });
  scheduleForecast();
}

// ---- Rendering ------------------------------------------------------------------------------

function renderModels() {
  const box = $('#models');
  box.replaceChildren();
  for (const m of state.models) {
    const cb = el('input', { type: 'checkbox', value: m.name, checked: state.selected.has(m.name), 'data-model': m.name });
    cb.addEventListener('change', () => {
      if (cb.checked) state.selected.add(m.name);
      else state.selected.delete(m.name);
      scheduleForecast(0);
    });
    box.append(el('label', { title: m.title }, cb, ' ' + m.name));
  }
}

function renderTabs() {
  const nav = $('#issue-tabs');
  nav.replaceChildren();
  state.view.issues.forEach((is, k) => {
    nav.append(el('button', {
      type: 'button', class: k === state.issue ? 'active' : '', 'data-issue': is.id, text: is.name,
      onclick: () => { state.issue = k; renderEditor(); renderResults(); },
    }));
  });
}

function numberInput(actor, issueId, field, min, max, step) {
  const value = currentValue(actor, issueId, field);
  const attrs = { type: 'number', step, 'data-actor': actor.id, 'data-issue': issueId, 'data-field': field,
                  'aria-label': `${actor.name} ${field}` };
  if (min !== null) attrs.min = min;
  if (max !== null) attrs.max = max;
  const num = el('input', attrs);
  num.value = String(value);
  const cell = el('td', { class: 'num' });
  let range = null;
  if (min !== null && max !== null) {
    range = el('input', { type: 'range', min, max, step, tabindex: -1, 'aria-hidden': 'true' });
    range.value = String(value);
    range.addEventListener('input', () => {
      num.value = range.value;
      num.classList.add('changed');
      setEdit(actor, issueId, field, Number(range.value));
    });
    cell.append(range, ' ');
  }
  const onNumber = () => {
    if (num.value === '' || !Number.isFinite(Number(num.value))) return;
    const v = Number(num.value);
    if (range) range.value = String(v);
    num.classList.add('changed');
    setEdit(actor, issueId, field, v);
  };
  num.addEventListener('input', onNumber);
  num.addEventListener('change', onNumber);
  cell.append(num);
  return cell;
}

function renderEditor() {
  const v = state.view;
  const is = v.issues[state.issue];
  $('#title').textContent = v.title || state.name || 'Scenario';
  for (const b of document.querySelectorAll('#issue-tabs button'))
    b.classList.toggle('active', b.dataset.issue === is.id);
  const help = is.kind === 'numeric'
    ? `Scale ${show(is.min)} to ${show(is.max)}` + (is.points.length ? ': ' + is.points.map((p) => `${show(p.value)} = ${p.label}`).join('; ') : '')
    : `Options: ${is.options.join(', ')} (utilities are edited in the file)`;
  $('#issue-help').textContent = help;
  const body = $('#actors tbody');
  body.replaceChildren();
  const span = is.max - is.min;
  const step = span > 0 ? Math.min(1, Number((span / 100).toPrecision(1))) : 1;
  for (const actor of v.actors) {
    const st = actor.stances[is.id];
    const dropped = state.dropped.has(actor.id);
    const inBox = el('input', { type: 'checkbox', checked: !dropped, 'data-actor': actor.id, 'data-field': 'in',
                                'aria-label': `include ${actor.name}` });
    inBox.addEventListener('change', () => {
      if (inBox.checked) state.dropped.delete(actor.id);
      else state.dropped.add(actor.id);
      renderEditor();
      scheduleForecast(0);
    });
    const row = el('tr', { class: dropped ? 'dropped' : '', 'data-actor': actor.id },
      el('td', {}, inBox), el('td', { text: actor.name, title: actor.id }));
    if (!st) {
      row.append(el('td', { class: 'muted', colspan: 2, text: 'no stance on this issue' }),
                 numberInput(actor, is.id, 'capability', 0, null, 'any'));
    } else {
      row.append(is.kind === 'numeric' ? numberInput(actor, is.id, 'position', is.min, is.max, step) : el('td', { class: 'muted', text: '—' }),
                 numberInput(actor, is.id, 'salience', 0, 1, 0.01),
                 numberInput(actor, is.id, 'capability', 0, null, 'any'));
    }
    body.append(row);
  }
  $('#reset').disabled = state.edits.size === 0 && state.dropped.size === 0;
}

// The same words as the CLI's table: a forecast that has not settled says so.
function forecastText(issue, f) {
  if (!f || !f.defined) return '—';
  if (issue.kind === 'categorical') {
    const k = Math.round(f.value);
    const name = f.option || (k >= 0 && k < issue.options.length ? issue.options[k] : show(f.value));
    const p = f.option_probabilities ? f.option_probabilities[name] : undefined;
    return p === undefined || p === null ? name : `${name} (${Math.round(100 * p)}%)`;
  }
  const c = f.convergence;
  if (c && c.state === 'cycle') return `${show(f.value)}, cycles ${show(c.low)}↔${show(c.high)}, period ${c.period}`;
  if (c && c.state === 'drift') return `${show(f.value)}, still moving (${show(c.low)}–${show(c.high)})`;
  return show(f.value);
}

function renderResults() {
  const r = state.last;
  const head = $('#forecasts thead');
  const body = $('#forecasts tbody');
  if (!r) { head.replaceChildren(); body.replaceChildren(); $('#chart').replaceChildren(); $('#trajectories').replaceChildren(); return; }
  const models = r.models.map((x) => x.name);
  head.replaceChildren(el('tr', {}, el('th', { text: 'Issue' }), ...models.map((m) => el('th', { text: m }))));
  body.replaceChildren();
  r.issues.forEach((is, k) => {
    const viewIssue = state.view.issues.find((x) => x.id === is.id) || { kind: is.kind, options: [] };
    const row = el('tr', { class: k === state.issue ? 'current' : '' }, el('td', { text: is.name || is.id }));
    for (const m of models) {
      const f = is.forecasts[m];
      const td = el('td', { class: 'num forecast', 'data-issue': is.id, 'data-model': m,
                            'data-value': f && f.defined ? String(f.value) : '', 'data-settled': f && f.settled === false ? 'false' : 'true',
                            title: (f && f.in_words) || '' });
      td.textContent = forecastText(viewIssue, f);
      row.append(td);
    }
    body.append(row);
  });
  // The deal outlook (docs/models/deal.md): is each model's whole forecast acceptable to every veto
  // player? Only when the scenario names veto players (the forecast JSON then has models[].deal).
  if (r.models.some((x) => x.deal)) {
    const row = el('tr', { class: 'deal' }, el('td', { text: 'deal?' }));
    for (const m of r.models) {
      const d = m.deal;
      const text = !d ? '-' : d.acceptable ? 'yes' : `no (${d.blockers.join(', ')})`;
      const margins = d ? Object.entries(d.margins).map(([p, v]) => `${p}: ${v === null ? 'n/a' : v.toFixed(3)}`).join('; ') : '';
      row.append(el('td', { class: 'deal', 'data-model': m.name, 'data-acceptable': d ? String(d.acceptable) : '',
                            title: margins ? `margins (utility units): ${margins}` : '', text }));
    }
    body.append(row);
  }
  // Charts are SVG drawn (and escaped) by the server.
  const current = r.issues.find((x) => x.id === state.view.issues[state.issue].id);
  $('#chart').innerHTML = current && current.chart ? current.chart : '';
  const traj = $('#trajectories');
  traj.replaceChildren();
  if (current && current.trajectories) {
    for (const [model, svg] of Object.entries(current.trajectories)) {
      traj.append(el('h3', { text: `${model}: positions over rounds` }));
      const div = el('div');
      div.innerHTML = svg;
      traj.append(div);
    }
  }
}

// ---- Requests -------------------------------------------------------------------------------

function scheduleForecast(delay = 120) {
  clearTimeout(state.timer);
  $('#reset').disabled = state.edits.size === 0 && state.dropped.size === 0;
  state.timer = setTimeout(forecast, delay);
}

async function forecast() {
  if (!state.scenario) return;
  const models = state.models.map((m) => m.name).filter((n) => state.selected.has(n));
  if (models.length === 0) {
    state.last = null;
    renderResults();
    setStatus('Pick at least one model.');
    return;
  }
  const seq = ++state.seq;
  setStatus('Computing…', 'busy');
  try {
    const r = await api('POST', '/api/forecast', { scenario: state.scenario, edits: editsList(), models });
    if (seq !== state.seq) return;
    state.last = r;
    renderResults();
    const n = state.edits.size + state.dropped.size;
    setStatus(n ? `${n} change${n > 1 ? 's' : ''} from the file.` : 'Forecasts of the scenario as loaded.');
    document.body.dataset.forecastSeq = String(seq);
  } catch (err) {
    if (seq !== state.seq) return;
    setStatus(err.message, 'error');
  }
}

function loadScenario(payload) {
  state.name = payload.name || 'scenario';
  state.scenario = payload.scenario;
  state.view = payload.view;
  state.edits.clear();
  state.dropped.clear();
  state.issue = 0;
  state.last = null;
  $('#scenario-name').textContent = state.name;
  for (const id of ['#save', '#report']) $(id).disabled = false;
  $('#main').hidden = false;
  renderTabs();
  renderEditor();
  renderResults();
  const missing = (payload.missing_evidence || []).length;
  if (missing) setStatus(`${missing} number${missing > 1 ? 's' : ''} without evidence (see the report).`);
  scheduleForecast(0);
}

async function openFile(file) {
  if (file.size > 4 * 1024 * 1024) { setStatus('That file is larger than 4 MiB.', 'error'); return; }
  const text = await file.text();
  try {
    loadScenario(await api('POST', '/api/parse', { text, name: file.name }));
  } catch (err) {
    setStatus(`${file.name}: ${err.message}`, 'error');
  }
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function saveYaml() {
  try {
    const yaml = await api('POST', '/api/yaml', { scenario: state.scenario, edits: editsList() });
    const base = (state.name || 'scenario').replace(/\.[^.]*$/, '');
    download(`${base}-edited.yaml`, yaml, 'application/yaml');
    setStatus('Saved the edited scenario as YAML.');
  } catch (err) {
    setStatus(err.message, 'error');
  }
}

async function openReport() {
  const models = state.models.map((m) => m.name).filter((n) => state.selected.has(n));
  try {
    const html = await api('POST', '/api/report', { scenario: state.scenario, edits: editsList(), models });
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
  } catch (err) {
    setStatus(err.message, 'error');
  }
}

async function init() {
  $('#file').addEventListener('change', (e) => { if (e.target.files[0]) openFile(e.target.files[0]); });
  $('#save').addEventListener('click', saveYaml);
  $('#report').addEventListener('click', openReport);
  $('#reset').addEventListener('click', () => {
    state.edits.clear();
    state.dropped.clear();
    renderEditor();
    scheduleForecast(0);
  });
  try {
    state.models = (await api('GET', '/api/models')).models;
    const defaults = state.models.filter((m) => DEFAULT_MODELS.includes(m.name)).map((m) => m.name);
    for (const n of defaults.length ? defaults : state.models.slice(0, 1).map((m) => m.name)) state.selected.add(n);
    renderModels();
    const initial = await api('GET', '/api/scenario');
    if (initial.scenario) loadScenario(initial);
    else setStatus('Open a scenario file (YAML, JSON, or an importable table).');
  } catch (err) {
    setStatus(err.message, 'error');
  }
  document.body.dataset.ready = 'true';
}

init();
