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
  params: new Map(), // "model.key" -> value the user set (differs from the declared default)
  edits: new Map(),  // key "actor|issue|field" -> {actor, issue, field, value}
  dropped: new Set(),
  issue: 0,          // index of the issue shown in the editor and charts
  seq: 0,            // request sequence: only the latest answer is shown
  timer: null,
  last: null,        // last forecast answer
  sim: null,         // last simulation answer (cleared when the scenario or its edits change)
  sens: null,        // last sensitivity answer (idem)
  other: null,       // the scenario shown side by side: {name, scenario, label}
  gen: 0,            // bumped on every change of the scenario or its edits: late answers are dropped
  done: 0,           // count of finished simulations/sensitivities/comparisons (for tests)
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
  return e ? e.value : original(st, field);
}

// The file's value of a stance field; "utility:OPTION" is a categorical stance's utility of an option.
function original(st, field) {
  if (field.startsWith('utility:')) return (st.utilities || {})[field.slice(8)] ?? 0;
  return st[field];
}

function isEdited(actor, issueId, field) {
  const st = actor.stances[issueId];
  if (field === 'capability') return state.edits.has(editKey(actor.id, st && st.own_capability ? issueId : '', 'capability'));
  return state.edits.has(editKey(actor.id, issueId, field));
}

function setEdit(actor, issueId, field, value) {
  if (!Number.isFinite(value)) return;
  const st = actor.stances[issueId];
  let before;
  let key;
  if (field === 'capability') {
    const own = st && st.own_capability;
    key = editKey(actor.id, own ? issueId : '', 'capability');
    before = own ? st.capability : actor.capability;
    issueId = own ? issueId : '';
  } else {
    key = editKey(actor.id, issueId, field);
    before = original(st, field);
  }
  if (value === before) state.edits.delete(key);
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
      renderSensModels();
      scheduleForecast(0);
    });
    box.append(el('label', { title: m.title }, cb, ' ' + m.name));
    if (m.params && m.params.length) box.append(modelOptions(m));
  }
}

// A model's options, drawn from its declarations (GET /api/models: name, type, default, range or
// choices, description), so the UI offers exactly what `entente models` documents. Only values
// that differ from the default are sent ("params": {model: {key: value}}), as -p MODEL.KEY=VALUE.
function modelOptions(m) {
  const changed = () => [...state.params.keys()].filter((k) => k.startsWith(`${m.name}.`)).length;
  const summary = el('summary', { text: 'options' });
  const label = () => { const n = changed(); summary.textContent = n ? `options (${n} changed)` : 'options'; };
  const rows = m.params.map((p) => {
    const key = `${m.name}.${p.name}`;
    const current = state.params.has(key) ? state.params.get(key) : p.default;
    const attrs = { 'data-param': key, 'aria-label': `${m.name} ${p.name}` };
    let input;
    if (p.type === 'choice') {
      input = el('select', attrs, ...p.choices.map((c) => el('option', { value: c, text: c, selected: c === current })));
    } else if (p.type === 'boolean') {
      input = el('input', { ...attrs, type: 'checkbox', checked: current === 'true' });
    } else if (p.type === 'integer' || p.type === 'real') {
      input = el('input', { ...attrs, type: 'number', step: p.type === 'integer' ? 1 : 'any',
        min: p.min ?? null, max: p.max ?? null });
      input.value = current;
    } else {
      input = el('input', { ...attrs, type: 'text' });
      input.value = current;
    }
    const onChange = () => {
      const v = input.type === 'checkbox' ? String(input.checked) : input.value;
      if (v === '' || v === p.default || (input.type === 'number' && Number(v) === Number(p.default))) state.params.delete(key);
      else state.params.set(key, v);
      input.classList.toggle('changed', state.params.has(key));
      label();
      if (state.selected.has(m.name)) scheduleForecast(0);
    };
    input.addEventListener('change', onChange);
    if (state.params.has(key)) input.classList.add('changed');
    return el('tr', {}, el('th', { text: p.name, title: p.description }), el('td', {}, input),
      el('td', { class: 'muted', text: `default ${p.default}${p.min !== undefined && p.max !== undefined ? `; ${p.min}–${p.max}` : ''}. ${p.description}` }));
  });
  label();
  return el('details', { class: 'model-options', 'data-model-options': m.name }, summary,
    el('table', {}, el('tbody', {}, ...rows)));
}

// The changed options of the given models, as the API's "params" object.
function paramsFor(models) {
  const out = {};
  for (const [key, v] of state.params) {
    const dot = key.indexOf('.');
    const model = key.slice(0, dot);
    if (!models.includes(model)) continue;
    (out[model] ||= {})[key.slice(dot + 1)] = v;
  }
  return out;
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
  // An edited field stays marked when the table is drawn again (another tab, another issue).
  if (isEdited(actor, issueId, field)) num.classList.add('changed');
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

// A categorical stance: one utility input (0-1) per option, edited like any other number.
function utilityInputs(actor, is) {
  const cell = el('td', { class: 'utilities' });
  for (const o of is.options) {
    const inner = numberInput(actor, is.id, `utility:${o}`, 0, 1, 0.05);
    const input = inner.querySelector('input[type=number]');
    input.setAttribute('aria-label', `${actor.name} utility of ${o}`);
    cell.append(el('label', { class: 'utility' }, `${o} `, input));
  }
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
    : `Options: ${is.options.join(', ')}. Each actor's utility of each option is in 0–1 (1 = its first choice).`;
  $('#issue-help').textContent = help;
  $('#actors thead th:nth-child(3)').textContent = is.kind === 'numeric' ? 'Position' : 'Utilities (0–1)';
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
      row.append(is.kind === 'numeric' ? numberInput(actor, is.id, 'position', is.min, is.max, step) : utilityInputs(actor, is),
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
      if (f && f.defined && f.settled === false) {
        // Not settled: the value is the last round's; the mark says so next to the number.
        const c = f.convergence || {};
        td.classList.add('unsettled');
        td.prepend(el('span', { class: 'warn', title: 'this dynamic model has not settled by its last round', text: '⚠ ' }));
        for (const k of ['state', 'period', 'low', 'high']) if (c[k] !== undefined) td.dataset[k === 'state' ? 'convergence' : k] = String(c[k]);
      }
      const range = simRange(m, is.id);
      if (range) td.append(el('br'), el('small', { class: 'range', text: range.text, 'data-q05': range.q05, 'data-q95': range.q95 }));
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
  renderSimulation();
  renderSensitivity();
}

// ---- Simulation, sensitivity, side by side ------------------------------------------------------

function simulations() {
  if (!state.sim) return [];
  return state.sim.simulations || [state.sim];
}

// The simulated range of a model's forecast on an issue: 90% of draws (numeric), or the
// likeliest option's share of draws (categorical).
function simRange(model, issueId) {
  const sim = simulations().find((x) => x.model === model);
  const is = sim && sim.issues.find((x) => x.id === issueId);
  if (!is || !is.draws) return null;
  if (is.kind === 'categorical') {
    const best = [...is.options].sort((a, b) => b.share - a.share)[0];
    return { text: `draws: ${best.option} ${Math.round(100 * best.share)}%`, q05: '', q95: '' };
  }
  const q = is.forecast.quantiles;
  return { text: `90%: ${show(q['5'])}–${show(q['95'])}`, q05: String(q['5']), q95: String(q['95']) };
}

const SVGNS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// A histogram of one model's forecast on a numeric issue (the simulate JSON's bins), or the share
// of draws forecasting each option of a categorical issue (never a histogram of option numbers).
function histogram(is, model) {
  const W = 520, H = is.kind === 'categorical' ? 24 + 22 * is.options.length : 150;
  const box = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart histogram', role: 'img',
                           'data-model': model, 'data-issue': is.id, 'aria-label': `${model}: distribution on ${is.name || is.id}` });
  if (is.kind === 'categorical') {
    box.append(svg('text', { x: 4, y: 14, 'font-size': 12 }, `${model}: share of ${is.draws} draws`));
    is.options.forEach((o, k) => {
      const y = 22 + 22 * k;
      box.append(svg('text', { x: 150, y: y + 14, 'text-anchor': 'end', 'font-size': 12 }, o.option));
      box.append(svg('rect', { x: 158, y: y + 3, width: Math.max(0.5, 300 * o.share), height: 15, fill: '#6b8fb5' }));
      box.append(svg('text', { x: 164 + 300 * o.share, y: y + 14, 'font-size': 12 }, `${Math.round(100 * o.share)}%`));
    });
    return box;
  }
  const { edges, counts } = is.histogram;
  const max = Math.max(1, ...counts);
  const x0 = 40, x1 = W - 10, top = 22, bottom = 120;
  const lo = edges[0], hi = edges[edges.length - 1];
  const at = (v) => (hi > lo ? x0 + (x1 - x0) * (v - lo) / (hi - lo) : (x0 + x1) / 2);
  counts.forEach((c, b) => {
    if (!c) return;
    const h = (bottom - top) * c / max;
    const r = svg('rect', { x: at(edges[b]) + 0.5, y: bottom - h, width: Math.max(1, at(edges[b + 1]) - at(edges[b]) - 1), height: h, fill: '#6b8fb5' });
    r.append(svg('title', {}, `[${show(edges[b])}, ${show(edges[b + 1])}): ${c}`));
    box.append(r);
  });
  box.append(svg('line', { x1: x0, y1: bottom, x2: x1, y2: bottom, stroke: '#333' }));
  box.append(svg('text', { x: x0, y: bottom + 16, 'font-size': 11 }, show(lo)));
  box.append(svg('text', { x: x1, y: bottom + 16, 'font-size': 11, 'text-anchor': 'end' }, show(hi)));
  const q = is.forecast.quantiles;
  box.append(svg('rect', { x: at(q['5']), y: bottom + 22, width: Math.max(1, at(q['95']) - at(q['5'])), height: 4, fill: '#e0a030' }));
  const c = is.convergence;
  const unsettled = c && c.settled < 1 ? `; settled in ${Math.round(100 * c.settled)}% of draws` : '';
  box.append(svg('text', { x: 4, y: 14, 'font-size': 12 },
    `${model}: ${is.draws} draws, mean ${show(is.forecast.mean)}, 90% ${show(q['5'])}–${show(q['95'])}${unsettled}`));
  return box;
}

function renderSimulation() {
  const box = $('#simulation');
  box.replaceChildren();
  if (!state.sim) return;
  const issueId = state.view.issues[state.issue].id;
  box.append(el('h3', { text: `Simulation: ${simulations()[0].draws_completed} draws, seed ${simulations()[0].seed}` }));
  for (const sim of simulations()) {
    const is = sim.issues.find((x) => x.id === issueId);
    if (!is || !is.draws) { box.append(el('p', { class: 'muted', text: `${sim.model}: no forecast on this issue` })); continue; }
    box.append(histogram(is, sim.model));
  }
  if (!simulations().some((x) => x.uncertain_inputs > 0))
    box.append(el('p', { class: 'muted', text: 'No number of the scenario has an uncertainty: every draw is the same.' }));
}

function renderSensitivity() {
  const box = $('#sensitivity');
  box.replaceChildren();
  if (!state.sens) return;
  const r = state.sens;
  const is = r.issues.find((x) => x.id === state.view.issues[state.issue].id);
  box.append(el('h3', { text: `What moves the ${r.model} forecast` }));
  if (!is) return;
  const fig = is.figure === 'forecast' ? show(is.base) : `${Math.round(100 * is.base)}%`;
  box.append(el('p', { class: 'muted', text: `Base ${is.figure}: ${fig}. The inputs that move it most, each from its low to its high value (or the actor dropped).` }));
  if (!is.ranking.length) { box.append(el('p', { class: 'muted', text: 'No input moves it.' })); return; }
  const pct = is.figure !== 'forecast';
  const v = (x) => (x === undefined || x === null ? '—' : pct ? `${Math.round(100 * x)}%` : show(x));
  const t = el('table', { id: 'sensitivity-table' }, el('thead', {}, el('tr', {}, ...['Input', 'Low → high', `${is.figure} at low`, `${is.figure} at high`, 'Swing'].map((h) => el('th', { text: h })))));
  const body = el('tbody');
  for (const e of is.ranking) {
    const input = e.kind === 'input';
    body.append(el('tr', { 'data-label': e.label, 'data-swing': String(e.swing) },
      el('td', { text: input ? e.label : `drop ${e.label}` }),
      el('td', { class: 'num', text: input ? `${show(e.low)} → ${show(e.high)}` : '—' }),
      el('td', { class: 'num', text: input ? v(e.forecast_low) : '—' }),
      el('td', { class: 'num', text: v(input ? e.forecast_high : e.forecast) }),
      el('td', { class: 'num', text: v(e.swing) })));
  }
  t.append(body);
  box.append(t);
}

async function runSimulation() {
  const models = selectedModels();
  if (!models.length) return;
  const draws = Number($('#draws').value) || 500;
  setStatus('Simulating…', 'busy');
  const gen = state.gen;
  try {
    const sim = await api('POST', '/api/simulate', { scenario: state.scenario, edits: editsList(), models, params: paramsFor(models), draws });
    if (gen !== state.gen) return;
    state.sim = sim;
    renderResults();
    setStatus(`Simulated ${draws} draws of the uncertain inputs.`);
    document.body.dataset.simulated = String(++state.done);
  } catch (err) {
    setStatus(err.message, 'error');
  }
}

async function runSensitivity() {
  const model = $('#sens-model').value;
  if (!model) return;
  setStatus('Sensitivity…', 'busy');
  const gen = state.gen;
  try {
    const sens = await api('POST', '/api/sensitivity', { scenario: state.scenario, edits: editsList(), models: [model], params: paramsFor([model]), top: 5 });
    if (gen !== state.gen) return;
    state.sens = sens;
    renderResults();
    setStatus(`Sensitivity of ${model}: the five inputs that move each issue most.`);
    document.body.dataset.sensitivity = String(++state.done);
  } catch (err) {
    setStatus(err.message, 'error');
  }
}

function renderSensModels() {
  const sel = $('#sens-model');
  const was = sel.value;
  sel.replaceChildren(...selectedModels().map((m) => el('option', { value: m, text: m })));
  if (selectedModels().includes(was)) sel.value = was;
}

// Side by side: the scenario as loaded (or a second file) next to the edited one.
async function compareWith(other) {
  state.other = other;
  await refreshCompare();
}

async function refreshCompare() {
  const box = $('#compare');
  box.replaceChildren();
  if (!state.other || !state.last) return;
  const models = selectedModels();
  try {
    const o = state.other;
    const r = await api('POST', '/api/forecast', { scenario: o.scenario, edits: [], models, params: paramsFor(models), charts: false });
    const base = (n) => String(n || 'scenario').split('/').pop();
    const labelA = o.label;
    const labelB = editsList().length ? `${base(state.name)} with ${editsList().length} change(s)` : base(state.name);
    box.append(el('h3', { text: `Side by side: ${labelA} | ${labelB}` }));
    const t = el('table', { id: 'compare-table' });
    t.append(el('thead', {}, el('tr', {}, el('th', { text: 'Issue' }), el('th', { text: 'Model' }),
      el('th', { text: labelA }), el('th', { text: labelB }), el('th', { text: 'Change' }))));
    const body = el('tbody');
    for (const is of state.last.issues) {
      const other = r.issues.find((x) => x.id === is.id);
      const viewIssue = state.view.issues.find((x) => x.id === is.id) || { kind: is.kind, options: [] };
      for (const m of models) {
        const b = is.forecasts[m];
        const a = other && other.forecasts[m];
        let change = '';
        if (a && b && a.defined && b.defined && is.kind === 'numeric') change = show(b.value - a.value);
        else if (a && b && a.defined && b.defined && is.kind === 'categorical') change = a.option === b.option ? 'same option' : 'other option';
        body.append(el('tr', { 'data-issue': is.id, 'data-model': m, 'data-a': a && a.defined ? String(a.value) : '',
                               'data-b': b && b.defined ? String(b.value) : '' },
          el('td', { text: is.name || is.id }), el('td', { text: m }),
          el('td', { class: 'num', text: a ? forecastText(viewIssue, a) : 'no such issue' }),
          el('td', { class: 'num', text: forecastText(viewIssue, b) }), el('td', { class: 'num', text: change })));
      }
    }
    t.append(body);
    box.append(t);
    document.body.dataset.compared = String(++state.done);
  } catch (err) {
    box.append(el('p', { class: 'error', text: `${state.other.label}: ${err.message}` }));
  }
}

async function openOther(file) {
  const text = await file.text();
  try {
    const p = await api('POST', '/api/parse', { text, name: file.name });
    await compareWith({ name: file.name, scenario: p.scenario, label: file.name });
  } catch (err) {
    setStatus(`${file.name}: ${err.message}`, 'error');
  }
}

function selectedModels() { return state.models.map((m) => m.name).filter((n) => state.selected.has(n)); }

// ---- Requests -------------------------------------------------------------------------------

function scheduleForecast(delay = 120) {
  clearTimeout(state.timer);
  // A simulation or sensitivity of other numbers would mislead: drop them; the buttons run them again.
  state.sim = null;
  state.sens = null;
  state.gen++;
  $('#reset').disabled = state.edits.size === 0 && state.dropped.size === 0;
  state.timer = setTimeout(forecast, delay);
}

async function forecast() {
  if (!state.scenario) return;
  const models = selectedModels();
  if (models.length === 0) {
    state.last = null;
    renderResults();
    setStatus('Pick at least one model.');
    return;
  }
  const seq = ++state.seq;
  setStatus('Computing…', 'busy');
  try {
    const r = await api('POST', '/api/forecast', { scenario: state.scenario, edits: editsList(), models, params: paramsFor(models) });
    if (seq !== state.seq) return;
    state.last = r;
    renderResults();
    refreshCompare();
    const n = state.edits.size + state.dropped.size;
    const done = n ? `${n} change${n > 1 ? 's' : ''} from the file.` : 'Forecasts of the scenario as loaded.';
    // The file's notes (importer warnings, missing evidence) stay in view after each forecast.
    setStatus(state.notes ? `${done} ${state.notes}` : done, state.notesKind || '');
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
  state.sim = null;
  state.sens = null;
  state.gen++;
  state.other = null;
  $('#scenario-name').textContent = state.name;
  for (const id of ['#save', '#report', '#simulate', '#sens-run', '#compare-file', '#file-b-label']) $(id).disabled = false;
  $('#main').hidden = false;
  renderTabs();
  renderEditor();
  renderResults();
  // Shown for as long as the scenario is open (the status line is overwritten by every forecast).
  const missing = (payload.missing_evidence || []).length;
  const warnings = payload.warnings || [];
  const notes = [];
  // The importer's warnings (an ignored column, a scale taken from the data): the first in full.
  if (warnings.length) notes.push(warnings[0].message + (warnings.length > 1 ? ` (and ${warnings.length - 1} more warnings)` : ''));
  if (missing) notes.push(`${missing} number${missing > 1 ? 's' : ''} without evidence (see the report).`);
  state.notes = notes.join(' ');
  state.notesKind = warnings.length ? 'warning' : '';
  if (notes.length) setStatus(state.notes, state.notesKind);
  const count = $('#evidence-count');
  count.textContent = missing ? `· ${missing} number${missing > 1 ? 's' : ''} without evidence` : '· every number has evidence';
  count.dataset.missing = String(missing);
  scheduleForecast(0);
}

// Spreadsheets are binary: sent as base64 (JSON strings must be UTF-8), 3 MiB at most so the
// request stays under the server's 4 MiB.
function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function openFile(file) {
  const binary = /\.(xlsx|ods)$/i.test(file.name);
  const limit = binary ? 3 : 4;
  if (file.size > limit * 1024 * 1024) { setStatus(`That file is larger than ${limit} MiB.`, 'error'); return; }
  const body = binary
    ? { text: base64(new Uint8Array(await file.arrayBuffer())), base64: true, name: file.name }
    : { text: await file.text(), name: file.name };
  try {
    loadScenario(await api('POST', '/api/parse', body));
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
    // The report carries the Monte Carlo section when the draws box asks for it (as `entente report --draws`).
    const draws = Math.max(0, Math.min(2000, Number($('#draws').value) || 0));
    const html = await api('POST', '/api/report', { scenario: state.scenario, edits: editsList(), models, params: paramsFor(models), draws });
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
  } catch (err) {
    setStatus(err.message, 'error');
  }
}

// The forecast ledger's timeline: one chart per issue, made by the server (charts::timeline_chart).
async function showLedger() {
  try {
    const t = await api('GET', '/api/ledger/timeline');
    const box = $('#ledger-charts');
    box.textContent = '';
    if (!t.points.length) {
      box.textContent = 'The ledger is empty: seal a forecast with `entente ledger add FILE`.';
      return;
    }
    const h = document.createElement('h2');
    h.textContent = 'Forecast timeline: ' + t.title;
    box.appendChild(h);
    for (const [issue, svg] of Object.entries(t.charts)) {
      const title = document.createElement('h3');
      title.textContent = issue;
      const div = document.createElement('div');
      div.innerHTML = svg;  // SVG made by the server with every text escaped
      box.append(title, div);
    }
  } catch (err) {
    setStatus(err.message, 'error');
  }
}

async function init() {
  $('#ledger-show').addEventListener('click', showLedger);
  $('#file').addEventListener('change', (e) => { if (e.target.files[0]) openFile(e.target.files[0]); });
  $('#save').addEventListener('click', saveYaml);
  $('#report').addEventListener('click', openReport);
  $('#simulate').addEventListener('click', runSimulation);
  $('#sens-run').addEventListener('click', runSensitivity);
  $('#compare-file').addEventListener('click', () => compareWith({ name: state.name, scenario: state.scenario, label: `${String(state.name).split('/').pop()} as loaded` }));
  $('#file-b').addEventListener('change', (e) => { if (e.target.files[0]) openOther(e.target.files[0]); });
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
    renderSensModels();
    const initial = await api('GET', '/api/scenario');
    if (initial.scenario) loadScenario(initial);
    else setStatus('Open a scenario file (YAML, JSON, or an importable table).');
  } catch (err) {
    setStatus(err.message, 'error');
  }
  document.body.dataset.ready = 'true';
}

init();
