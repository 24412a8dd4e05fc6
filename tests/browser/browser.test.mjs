// Headless Chromium (Debian's) drives the HTML report and the web UI. Run by CTest
// (tests/browser/extra.cmake):
//   node browser.test.mjs --entente BIN --scenario FILE --out DIR [--only ui|report]
// Exits 77 (CTest SKIP) when Chromium or node_modules/playwright-core is missing.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const SKIP = 77;
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function arg(name, fallback) {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}
const entente = arg('entente');
const scenario = arg('scenario');
const out = resolve(arg('out', 'browser-out'));
const only = arg('only', 'all');
if (!entente || !scenario) {
  console.error('usage: node browser.test.mjs --entente BIN --scenario FILE --out DIR [--only ui|report]');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} not found (apt-get install chromium)`);
  process.exit(SKIP);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.log('SKIP: playwright-core not installed (run `npm ci` in tests/browser/)');
  process.exit(SKIP);
}
mkdirSync(out, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}
// Same formatting as the UI and the report: 4 significant digits.
function show(v) {
  if (!Number.isFinite(v)) return '—';
  if (Math.abs(v) < 5e-5) return '0';
  if (Math.abs(v) >= 1e4) return v.toFixed(0);
  return String(Number(v.toPrecision(4)));
}

function cliForecast(models, sets) {
  const args = ['forecast', scenario, '--format', 'json'];
  for (const m of models) args.push('-m', m);
  for (const s of sets) args.push('--set', s);
  return JSON.parse(execFileSync(entente, args, { encoding: 'utf8' }));
}
function cliValue(json, issue, model) {
  const is = json.issues.find((x) => x.id === issue);
  return is.forecasts[model].value;
}

// A fresh profile per run; the browser never talks to anything but the local server and files.
const profile = mkdtempSync(join(tmpdir(), 'entente-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: FLAGS,
  viewport: { width: 1300, height: 900 },
  acceptDownloads: true,
});

function watch(page, label) {
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`${label} console: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`${label} page error: ${err.message}`));
  page.on('requestfailed', (req) => errors.push(`${label} request failed: ${req.url()}`));
  return errors;
}

let server = null;
try {
  if (only === 'all' || only === 'report') {
    // ---- The HTML report -------------------------------------------------------------------
    const reportFile = join(out, 'report.html');
    execFileSync(entente, ['report', scenario, '-o', reportFile, '-m', 'compromise', '-m', 'median', '-m', 'mean'],
      { stdio: 'inherit' });
    const page = await context.newPage();
    const errors = watch(page, 'report');
    const external = [];
    page.on('request', (req) => { if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) external.push(req.url()); });
    await page.goto(pathToFileURL(reportFile).href);
    const title = await page.textContent('h1');
    check(title && title.length > 0, `report has a title: ${title}`);
    const charts = await page.locator('svg.chart').count();
    check(charts >= 2, `report has SVG charts (${charts})`);
    check(await page.locator('#evidence table tr').count() > 1, 'report has the evidence table');
    check(await page.locator('#sources ol li').count() >= 1, 'report lists the sources');
    const cli = cliForecast(['compromise'], []);
    const text = await page.textContent('#forecasts');
    check(text.includes(show(cliValue(cli, cli.issues[0].id, 'compromise'))), 'report shows the CLI forecast');
    await page.screenshot({ path: join(out, 'report-talks.png'), fullPage: true });
    check(external.length === 0, `report fetches nothing (${external.join(', ')})`);
    check(errors.length === 0, `report: no console errors ${errors.join(' | ')}`);
    await page.close();

    // The Istanbul scenario with every model: a one-page summary, the details behind it.
    const istanbul = resolve('scenarios/istanbul-2025.yaml');
    const big = join(out, 'report-istanbul.html');
    const t0 = Date.now();
    execFileSync(entente, ['report', istanbul, '-o', big, '--draws', '200'], { stdio: 'inherit' });
    console.log(`     (report on istanbul-2025.yaml with every model, 200 draws: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const p2 = await context.newPage();
    const errors2 = watch(p2, 'report-istanbul');
    await p2.goto(pathToFileURL(big).href);
    const height = await p2.evaluate(() => document.documentElement.scrollHeight);
    const summaryBottom = await p2.evaluate(() => document.querySelector('#forecasts').getBoundingClientRect().bottom + window.scrollY);
    await p2.screenshot({ path: join(out, 'report.png'), fullPage: true });
    console.log(`     (istanbul report: page ${height} px tall, summary table ends at ${Math.round(summaryBottom)} px)`);
    check(height < 4000, `the report is short with details closed (${height} px; was 35,000 px for 5 issues)`);
    check(summaryBottom < 2000, `the summary fits about a page (${Math.round(summaryBottom)} px)`);
    // bdm's regions forecast cycles (the CLI says so too): the summary marks it.
    const cliBdm = JSON.parse(execFileSync(entente, ['forecast', istanbul, '-m', 'bdm', '--format', 'json'], { encoding: 'utf8' }));
    const regions = cliBdm.issues.find((x) => x.id === 'regions').forecasts.bdm;
    const cellSel = '#forecasts tr[data-issue="regions"] td[data-model="bdm"]';
    const cellText = (await p2.textContent(cellSel)).trim();
    const cellClass = await p2.getAttribute(cellSel, 'class');
    check(regions.convergence && regions.convergence.state === 'cycle', `CLI: bdm regions cycles (period ${regions.convergence && regions.convergence.period})`);
    check(cellClass.includes('unsettled') && cellText.includes('⚠') && cellText.includes(`period ${regions.convergence.period}`),
      `report marks bdm regions as not settled: "${cellText.slice(0, 80)}"`);
    check(cellText.includes(show(regions.value)), `report shows bdm regions as the CLI's ${show(regions.value)}`);
    // The summary's ranges are `entente simulate`'s for the same seed and draws.
    const cliSimIst = JSON.parse(execFileSync(entente, ['simulate', istanbul, '-m', 'compromise', '--draws', '200', '--format', 'json'], { encoding: 'utf8' }));
    for (const is of cliSimIst.issues.filter((x) => x.kind === 'numeric')) {
      const q = is.forecast.quantiles;
      const t = await p2.textContent(`#forecasts tr[data-issue="${is.id}"] td[data-model="compromise"]`);
      check(t.includes(`90%: ${show(q['5'])}–${show(q['95'])}`), `report compromise ${is.id} range = CLI simulate (${show(q['5'])}–${show(q['95'])})`);
    }
    // Categorical issues: option names with probabilities, never a number.
    const cliAll = JSON.parse(execFileSync(entente, ['forecast', istanbul, '--format', 'json', '-m', 'smp', '-m', 'compromise'], { encoding: 'utf8' }));
    for (const c of cliAll.issues.filter((x) => x.kind === 'categorical')) {
      for (const [m, f] of Object.entries(c.forecasts)) {
        const t = (await p2.textContent(`#forecasts tr[data-issue="${c.id}"] td[data-model="${m}"]`)).trim();
        if (!f.defined) { check(t.startsWith('—'), `categorical ${c.id}, ${m}: no forecast, shown as "${t}"`); continue; }
        const p = Math.round(100 * f.option_probabilities[f.option]);
        check(t.startsWith(`${f.option} ${p}%`) && !/^\d/.test(t), `categorical ${c.id}, ${m}: "${t.slice(0, 70)}" starts with the CLI's ${f.option} ${p}%`);
      }
    }
    // The three inputs that matter most, per issue.
    const tops = await p2.$$eval('#forecasts tr[data-issue]', (rows) => rows.map((r) => r.querySelectorAll('ol.top li').length));
    check(tops.length === cliBdm.issues.length && tops.every((n) => n <= 3) && tops.some((n) => n > 0),
      `at most three inputs per issue (${tops.join(', ')})`);
    // Tornadoes: every bar drawn moves the forecast (no zero-width pairs).
    const zero = await p2.$$eval('details.issue svg.chart[aria-label^="Sensitivity"]', (svgs) => svgs.filter((s) => {
      const rects = [...s.querySelectorAll('rect')];
      for (let k = 0; k + 1 < rects.length; k += 2)
        if (Number(rects[k].getAttribute('width')) <= 1 && Number(rects[k + 1].getAttribute('width')) <= 1) return true;
      return false;
    }).length);
    check(zero === 0, `no tornado has a bar that does not move (${zero} charts with one)`);
    // Open every detail: the whole report, for the record.
    await p2.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    const full = await p2.evaluate(() => document.documentElement.scrollHeight);
    console.log(`     (istanbul report with every detail open: ${full} px; not screenshotted)`);
    check(errors2.length === 0, `istanbul report: no console errors ${errors2.join(' | ')}`);
    await p2.close();
  }

  if (only === 'all' || only === 'ui') {
    // ---- The web UI ------------------------------------------------------------------------
    server = spawn(entente, ['serve', '--port', '0', scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise((ok, fail) => {
      let buf = '';
      const timer = setTimeout(() => fail(new Error('server did not start')), 20000);
      server.stdout.on('data', (d) => {
        buf += d;
        const m = buf.match(/http:\/\/127\.0\.0\.1:\d+\//);
        if (m) { clearTimeout(timer); ok(m[0]); }
      });
      server.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
    });
    const page = await context.newPage();
    const errors = watch(page, 'ui');
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    const cell = 'td.forecast[data-issue="budget"][data-model="compromise"]';
    await page.waitForSelector(cell);
    const models = await page.$$eval('td.forecast[data-issue="budget"]', (tds) => tds.map((t) => t.dataset.model));
    check(models.length >= 1, `UI shows forecasts of ${models.join(', ')}`);
    const before = Number(await page.getAttribute(cell, 'data-value'));
    const cliBefore = cliForecast(models, []);
    for (const m of models) {
      const v = Number(await page.getAttribute(`td.forecast[data-issue="budget"][data-model="${m}"]`, 'data-value'));
      check(Math.abs(v - cliValue(cliBefore, 'budget', m)) <= 1e-9 * Math.max(1, Math.abs(v)),
        `UI ${m} = CLI ${m} before the change (${v})`);
    }
    await page.screenshot({ path: join(out, 'ui-before.png'), fullPage: true });
    // The count of numbers without evidence stays on screen (issue 12): the CLI's count.
    // (validate --evidence exits 3 when numbers lack evidence; its JSON is on stdout either way.)
    const validated = spawnSync(entente, ['validate', scenario, '--evidence', '--format', 'json'], { encoding: 'utf8' });
    const cliMissing = JSON.parse(validated.stdout).missing_evidence.length;
    const uiMissing = Number(await page.getAttribute('#evidence-count', 'data-missing'));
    check(uiMissing === cliMissing && (await page.textContent('#evidence-count')).includes(String(cliMissing)),
      `UI shows ${uiMissing} numbers without evidence = CLI validate --evidence (${cliMissing})`);

    // Change South's salience on the budget, as a user typing in the table.
    const input = 'input[data-actor="south"][data-issue="budget"][data-field="salience"]';
    await page.fill(input, '0.3');
    await page.waitForFunction(([sel, old]) => {
      const td = document.querySelector(sel);
      return td && td.dataset.value !== '' && Number(td.dataset.value) !== old;
    }, [cell, before], { timeout: 15000 });
    await page.waitForFunction(() => !document.querySelector('#status').classList.contains('busy'));
    const cliAfter = cliForecast(models, ['south.budget.salience=0.3']);
    for (const m of models) {
      const sel = `td.forecast[data-issue="budget"][data-model="${m}"]`;
      const v = Number(await page.getAttribute(sel, 'data-value'));
      const shown = (await page.textContent(sel)).trim();
      const expected = cliValue(cliAfter, 'budget', m);
      check(Math.abs(v - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `UI ${m} = CLI ${m} after the change (${v} vs ${expected})`);
      check(shown === show(expected), `UI shows ${m} as ${shown}, CLI value ${expected} reads ${show(expected)}`);
    }
    const after = Number(await page.getAttribute(cell, 'data-value'));
    check(after !== before, `the compromise forecast changed (${before} -> ${after})`);
    check(await page.locator('#chart svg').count() === 1, 'UI shows the issue chart');

    // Drop an actor with the checkbox; the forecast follows the CLI's --drop.
    await page.uncheck('input[data-actor="east"][data-field="in"]');
    await page.waitForFunction(([sel, old]) => {
      const td = document.querySelector(sel);
      return td && Number(td.dataset.value) !== old;
    }, [cell, after], { timeout: 15000 });
    const dropped = JSON.parse(execFileSync(entente, ['forecast', scenario, '--format', 'json', '-m', 'compromise',
      '--set', 'south.budget.salience=0.3', '--drop', 'east'], { encoding: 'utf8' }));
    const vDrop = Number(await page.getAttribute(cell, 'data-value'));
    check(Math.abs(vDrop - cliValue(dropped, 'budget', 'compromise')) <= 1e-9 * Math.max(1, Math.abs(vDrop)),
      `after dropping east: UI ${vDrop} = CLI ${cliValue(dropped, 'budget', 'compromise')}`);
    await page.screenshot({ path: join(out, 'ui-after.png'), fullPage: true });

    const edits = ['--set', 'south.budget.salience=0.3', '--drop', 'east'];
    const cliJson = (args) => JSON.parse(execFileSync(entente, [...args, '--format', 'json'], { encoding: 'utf8' }));

    // Simulate: the histograms and the 90% ranges are the CLI's `simulate` of the same edits.
    await page.fill('#draws', '200');
    await page.click('#simulate');
    await page.waitForSelector('body[data-simulated]', { timeout: 30000 });
    const simArgs = ['simulate', scenario, '--draws', '200', ...edits];
    for (const m of models) simArgs.push('-m', m);
    const cliSim = cliJson(simArgs);
    const sims = cliSim.simulations || [cliSim];
    for (const m of models) {
      const q = sims.find((x) => x.model === m).issues.find((x) => x.id === 'budget').forecast.quantiles;
      const sel = `td.forecast[data-issue="budget"][data-model="${m}"] small.range`;
      const q05 = Number(await page.getAttribute(sel, 'data-q05'));
      const q95 = Number(await page.getAttribute(sel, 'data-q95'));
      check(q05 === q['5'] && q95 === q['95'], `UI ${m} 90% range [${q05}, ${q95}] = CLI simulate [${q['5']}, ${q['95']}]`);
    }
    const hists = await page.locator('#simulation svg.histogram').count();
    check(hists === models.length, `one histogram per model (${hists})`);
    await page.screenshot({ path: join(out, 'ui-simulate.png'), fullPage: true });

    // Sensitivity on demand: the top inputs are the CLI's, in the same order with the same swings.
    await page.selectOption('#sens-model', 'compromise');
    await page.click('#sens-run');
    await page.waitForSelector('body[data-sensitivity]', { timeout: 30000 });
    const cliSens = cliJson(['sensitivity', scenario, '-m', 'compromise', '--top', '5', ...edits]);
    const want = cliSens.issues.find((x) => x.id === 'budget').ranking;
    const got = await page.$$eval('#sensitivity-table tbody tr', (rows) => rows.map((r) => [r.dataset.label, Number(r.dataset.swing)]));
    check(got.length === want.length && got.every(([l, sw], k) => l === want[k].label && sw === want[k].swing),
      `UI sensitivity = CLI sensitivity --top 5 (${got.map(([l]) => l).join(', ')})`);

    // Side by side: the file as loaded next to the edited scenario.
    await page.click('#compare-file');
    await page.waitForSelector('body[data-compared]', { timeout: 15000 });
    const row = '#compare-table tr[data-issue="budget"][data-model="compromise"]';
    const a = Number(await page.getAttribute(row, 'data-a'));
    const b = Number(await page.getAttribute(row, 'data-b'));
    const cliA = cliValue(cliForecast(['compromise'], []), 'budget', 'compromise');
    const cliB = cliValue(cliJson(['forecast', scenario, '-m', 'compromise', ...edits]), 'budget', 'compromise');
    check(a === cliA && b === cliB, `side by side: file ${a} = CLI ${cliA}, edited ${b} = CLI ${cliB}`);
    await page.screenshot({ path: join(out, 'ui-tools.png'), fullPage: true });

    // Categorical utilities are editable: North's utility of Vienna to 0.9 gives the CLI's
    // forecast with --set north.venue.utility:Vienna=0.9.
    // smp forecasts categorical issues (the baselines do not).
    await page.click('#issue-tabs button[data-issue="venue"]');
    await page.check('input[data-model="smp"]');
    await page.waitForSelector('td.forecast[data-issue="venue"][data-model="smp"]', { timeout: 15000 });
    await page.waitForFunction(() => !document.querySelector('#status').classList.contains('busy'));
    const seqBefore = await page.evaluate(() => document.body.dataset.forecastSeq);
    await page.fill('input[data-actor="north"][data-issue="venue"][data-field="utility:Vienna"]', '0.9');
    await page.waitForFunction((old) => document.body.dataset.forecastSeq !== old &&
      !document.querySelector('#status').classList.contains('busy'), seqBefore, { timeout: 15000 });
    const venueModels = [...models, 'smp'];
    const cliVenue = cliJson(['forecast', scenario, ...edits, '--set', 'north.venue.utility:Vienna=0.9', ...venueModels.flatMap((m) => ['-m', m])]);
    const fileVenue = cliJson(['forecast', scenario, ...edits, ...venueModels.flatMap((m) => ['-m', m])]);
    let changed = false;
    for (const m of venueModels) {
      const f = cliVenue.issues.find((x) => x.id === 'venue').forecasts[m];
      const g = fileVenue.issues.find((x) => x.id === 'venue').forecasts[m];
      if (!f || !f.defined) continue;
      const p = f.option_probabilities ? f.option_probabilities[f.option] : undefined;
      const expected = p === undefined || p === null ? f.option : `${f.option} (${Math.round(100 * p)}%)`;
      const shown = (await page.textContent(`td.forecast[data-issue="venue"][data-model="${m}"]`)).trim();
      check(shown === expected, `UI venue ${m} after the utility edit "${shown}" = CLI "${expected}"`);
      if (JSON.stringify(f) !== JSON.stringify(g)) changed = true;
    }
    check(changed, 'the utility edit changes some venue forecast (CLI)');
    await page.screenshot({ path: join(out, 'ui-utilities.png'), fullPage: true });
    await page.uncheck('input[data-model="smp"]');
    await page.click('#issue-tabs button[data-issue="budget"]');
    check(await page.getAttribute(input, 'class').then((c) => (c || '').includes('changed')),
      'an edited field is still marked after switching tabs');

    // Save as YAML: the download is a scenario the CLI reads, with the edit in it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    const saved = join(out, 'edited.yaml');
    await download.saveAs(saved);
    const fromSaved = JSON.parse(execFileSync(entente, ['forecast', saved, '--format', 'json', '-m', 'compromise'], { encoding: 'utf8' }));
    check(Math.abs(cliValue(fromSaved, 'budget', 'compromise') - vDrop) <= 1e-9 * Math.max(1, Math.abs(vDrop)),
      'the saved YAML forecasts what the UI shows');
    // Upload the saved file with "Open scenario…": the edits are now part of the scenario.
    await page.setInputFiles('#file', saved);
    await page.waitForFunction(() => document.querySelector('#scenario-name').textContent === 'edited.yaml');
    await page.waitForFunction(([sel, v]) => {
      const td = document.querySelector(sel);
      return td && Math.abs(Number(td.dataset.value) - v) <= 1e-9 * Math.max(1, Math.abs(v));
    }, [cell, vDrop], { timeout: 15000 }).then(() => check(true, 'the uploaded YAML shows the same forecast'),
      () => check(false, 'the uploaded YAML shows the same forecast'));
    check(await page.locator('input[data-actor="east"]').count() === 0, 'the uploaded scenario has no east');
    // An XLSX upload (sent as base64): the long-format JCPOA sheet is 2 issues x 7 actors.
    await page.setInputFiles('#file', join(process.cwd(), 'tests/data/import/jcpoa_long.xlsx'));
    await page.waitForFunction(() => document.querySelector('#scenario-name').textContent === 'jcpoa_long.xlsx',
      null, { timeout: 15000 }).then(() => check(true, 'the XLSX upload loads'), () => check(false, 'the XLSX upload loads'));
    check(await page.locator('#issue-tabs button').count() === 2, 'the XLSX scenario has 2 issues');
    check(await page.locator('input[data-field="in"]').count() === 7, 'the XLSX scenario has 7 actors');
    check(await page.locator('input[data-actor="iran"][data-field="in"]').count() === 1, 'the XLSX scenario has Iran');
    // No scale in the sheet: the importer's warnings (scales taken from the data) are shown.
    await page.waitForFunction(() => document.querySelector('#status').className === 'warning'
      && /scale/i.test(document.querySelector('#status').textContent), null, { timeout: 15000 })
      .then(() => check(true, 'the XLSX upload shows the importer warnings'),
        () => check(false, 'the XLSX upload shows the importer warnings'));
    // A dynamic model that does not settle: bdm on the Istanbul regions cycles; the UI says so
    // next to the number, with the CLI's period and range.
    const istanbul = resolve('scenarios/istanbul-2025.yaml');
    await page.setInputFiles('#file', istanbul);
    await page.waitForFunction(() => document.querySelector('#scenario-name').textContent === 'istanbul-2025.yaml');
    await page.check('input[data-model="bdm"]');
    const bdmCell = 'td.forecast[data-issue="regions"][data-model="bdm"]';
    await page.waitForSelector(bdmCell, { timeout: 30000 });
    const cliBdm = JSON.parse(execFileSync(entente, ['forecast', istanbul, '-m', 'bdm', '--format', 'json'], { encoding: 'utf8' }));
    const conv = cliBdm.issues.find((x) => x.id === 'regions').forecasts.bdm.convergence;
    const ds = await page.$eval(bdmCell, (td) => ({ ...td.dataset, text: td.textContent, cls: td.className }));
    check(ds.convergence === conv.state && Number(ds.period) === conv.period && Number(ds.low) === conv.low &&
      Number(ds.high) === conv.high, `UI bdm regions: ${ds.convergence}, period ${ds.period}, ${ds.low}..${ds.high} (CLI: ${conv.state}, ${conv.period}, ${conv.low}..${conv.high})`);
    check(ds.cls.includes('unsettled') && ds.text.includes('⚠') && ds.text.includes('cycles'), `UI marks it: "${ds.text}"`);
    await page.screenshot({ path: join(out, 'ui-istanbul.png'), fullPage: true });
    // Model options come from the declarations (GET /api/models): bdm with 3 rounds in the UI is
    // the CLI's `-p bdm.rounds=3`, and a choice option is a select with the declared choices.
    await page.click('details[data-model-options="bdm"] > summary');
    const choices = await page.$$eval('select[data-param="bdm.probability"] option', (os) => os.map((o) => o.value));
    check(choices.join(',') === 'global,pairwise', `bdm's probability option offers ${choices.join(', ')}`);
    const seqOpt = await page.evaluate(() => document.body.dataset.forecastSeq);
    await page.fill('input[data-param="bdm.rounds"]', '3');
    await page.dispatchEvent('input[data-param="bdm.rounds"]', 'change');
    await page.waitForFunction((old) => document.body.dataset.forecastSeq !== old &&
      !document.querySelector('#status').classList.contains('busy'), seqOpt, { timeout: 30000 });
    const cliRounds = JSON.parse(execFileSync(entente, ['forecast', istanbul, '-m', 'bdm', '-p', 'bdm.rounds=3', '--format', 'json'], { encoding: 'utf8' }));
    for (const is of cliRounds.issues) {
      const f = is.forecasts.bdm;
      if (!f || !f.defined || f.value === undefined) continue;
      const v = Number(await page.getAttribute(`td.forecast[data-issue="${is.id}"][data-model="bdm"]`, 'data-value'));
      check(Math.abs(v - f.value) <= 1e-9 * Math.max(1, Math.abs(f.value)), `UI bdm ${is.id} with rounds=3: ${v} = CLI -p bdm.rounds=3 ${f.value}`);
    }
    check((await page.textContent('details[data-model-options="bdm"] > summary')).includes('1 changed'), 'the options summary counts the change');
    await page.screenshot({ path: join(out, 'ui-options.png'), fullPage: true });
    check(errors.length === 0, `UI: no console errors ${errors.join(' | ')}`);
    await page.close();
  }
} catch (err) {
  console.log(`FAIL ${err.stack || err}`);
  failures++;
} finally {
  await context.close();
  if (server) server.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
}
console.log(failures ? `${failures} check(s) failed; screenshots in ${out}` : `all checks passed; screenshots in ${out}`);
process.exit(failures ? 1 : 0);
