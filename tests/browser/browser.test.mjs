// Headless Chromium (Debian's) drives the HTML report and the web UI. Run by CTest
// (tests/browser/extra.cmake):
//   node browser.test.mjs --entente BIN --scenario FILE --out DIR [--only ui|report]
// Exits 77 (CTest SKIP) when Chromium or node_modules/playwright-core is missing.
import { spawn, execFileSync } from 'node:child_process';
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
    check(await page.locator('#evidence ~ table tr').count() > 1, 'report has the evidence table');
    check(await page.locator('#sources + ol li').count() >= 1, 'report lists the sources');
    const cli = cliForecast(['compromise'], []);
    const text = await page.textContent('#forecasts + table');
    check(text.includes(show(cliValue(cli, cli.issues[0].id, 'compromise'))), 'report shows the CLI forecast');
    await page.screenshot({ path: join(out, 'report.png'), fullPage: true });
    check(external.length === 0, `report fetches nothing (${external.join(', ')})`);
    check(errors.length === 0, `report: no console errors ${errors.join(' | ')}`);
    await page.close();
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
