// The console page in Chromium, served by restbox-mock --static (tests/e2e/run.sh starts it):
// it loads and draws, a request built in the form reaches the in-process mock, a forced 429 shows
// the retry, the contract runner finishes green (in-process, over HTTP, and the Live target's
// restbox-check rows against the page's own restbox-mock), the page's origin is the HTTP mock target, and
// screenshots at device pixel ratio 1 and 2 land in $RESTBOX_E2E_OUT.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASE_URL, OUT_DIR, launchBrowser, openPage, state, command, waitFor, waitForConsole, frames,
  widget, click, fill, waitForExchange, screenshot,
} from '../lib/console_page.mjs';

const metrics = {};
function report(name, value) {
  metrics[name] = value;
  console.log(`metric ${name} = ${JSON.stringify(value)}`);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'metrics.json'), JSON.stringify(metrics, null, 2));
}

async function serverJson(path) {
  const response = await fetch(new URL(path, BASE_URL));
  assert.equal(response.status, 200, `${path}: HTTP ${response.status}`);
  return response.json();
}

// Runs the Contract tab against `target` (null: the tab's default, the in-process mock; else the
// widget id of a target entry), waits for the last row, records the time and row count under
// `name`, and takes `name`.png. Returns the final state.
async function runContract(page, name, target, timeout, what) {
  await click(page, 'tabs/contract');
  if (target) {
    await click(page, 'contract/target');
    await click(page, target);
  }
  await click(page, 'contract/run');
  const started = Date.now();
  const s = await waitFor(page, (st) => st.state['contract/running'] === false && st.state['contract/total'] > 0 &&
    st.state['contract/done'] === st.state['contract/total'], what, {
    timeout,
    describe: (st) => JSON.stringify({ running: st.state['contract/running'], done: st.state['contract/done'],
                                       total: st.state['contract/total'], failed: st.state['contract/failed'],
                                       error: st.state['contract/error'] }),
  });
  report(`${name}_ms`, Date.now() - started);
  report(`${name}_rows`, s.state['contract/total']);
  await screenshot(page, `console-${name.replaceAll('_', '-')}.png`);
  return s;
}

// The index of the page-origin environment in the target list.
async function localHttpMockIndex(page) {
  const envs = (await command(page, { cmd: 'environments' })).environments;
  const index = envs.findIndex((e) => e.name === 'Local HTTP mock');
  assert.ok(index >= 0, JSON.stringify(envs));
  return index;
}

// A browser and one page shared by the tests of a describe block (they run in order).
function pageFor(options) {
  const ctx = {};
  before(async () => {
    ctx.browser = await launchBrowser();
    Object.assign(ctx, await openPage(ctx.browser, options));
  });
  after(async () => { await ctx.browser?.close(); });
  return ctx;
}

describe('console at device pixel ratio 1', () => {
  const ctx = pageFor({ width: 1280, height: 800, dpr: 1 });
  let fixtures;
  // The in-process mock's demo data (after (a) loaded the page).
  async function chikage() {
    await waitForConsole(ctx.page);
    fixtures ??= (await command(ctx.page, { cmd: 'fixtures' })).fixtures;
    return fixtures.chikage;
  }

  test('(a) loads, draws its first frame, logs no error', async () => {
    const response = await ctx.page.goto(BASE_URL);
    assert.equal(response.status(), 200);
    await waitForConsole(ctx.page);
    const firstFrameMs = await ctx.page.evaluate(() => performance.now());
    const loadMs = await ctx.page.evaluate(() => window.restboxLoadMs ?? null);
    report('first_frame_ms', Math.round(firstFrameMs));
    report('runtime_ready_ms', loadMs === null ? null : Math.round(loadMs));
    assert.equal(await ctx.page.evaluate(() => window.restboxLoadError ?? null), null);
    assert.equal(await ctx.page.locator('#overlay').isHidden(), true, 'the loading overlay is gone');
    await frames(ctx.page, 5);  // tab bars and tables lay out over the first frames
    const s = await state(ctx.page);
    for (const id of ['tabs/history', 'tabs/environments', 'tabs/mock', 'tabs/contract', 'explorer/chikage/get', 'editor/send']) {
      assert.ok(s.widgets[id], `widget ${id} is drawn`);
    }
    assert.deepEqual(s.host.display, [1280, 800]);
    assert.equal(s.host.scale, 1);
    assert.deepEqual(ctx.errors, []);
  });

  test('(b) picks chikage/get, fills the form, sends to the in-process mock: 200', async () => {
    await click(ctx.page, 'explorer/chikage/get');
    await waitFor(ctx.page, (s) => s.model.service === 'chikage' && s.model.endpoint === 'get', 'chikage/get selected');
    const { slug, test_record_id: record } = await chikage();
    await fill(ctx.page, 'editor/field/slug', slug);
    await fill(ctx.page, 'editor/field/record_id', record);
    await waitFor(ctx.page, (s) => s.model.params.slug === slug && s.model.params.record_id === record,
      `the typed values in the draft (slug=${slug}, record_id=${record})`);
    const before = (await state(ctx.page)).model.last?.id;
    await click(ctx.page, 'editor/send');
    const last = await waitForExchange(ctx.page, before);
    assert.equal(last.status, 200, JSON.stringify(last));
    assert.equal(last.endpoint, 'chikage/get');
    assert.equal(last.ok, true);
    const shown = (await state(ctx.page)).state['response/status'];
    if (shown !== undefined) assert.equal(shown, 200, 'the response viewer shows the status');
    await screenshot(ctx.page, 'console-dpr1.png');
  });

  test('(c) a forced 429 is retried: two attempts on the timeline, then 200', async () => {
    await command(ctx.page, { cmd: 'select', service: 'chikage', endpoint: 'get' });
    const { slug, test_record_id: record } = await chikage();
    await command(ctx.page, { cmd: 'setParams', params: { slug, record_id: record } });
    await click(ctx.page, 'tabs/mock');
    await fill(ctx.page, 'mock/force/status', 429);
    await fill(ctx.page, 'mock/force/times', 1);
    await click(ctx.page, 'mock/force/apply');
    await frames(ctx.page, 5);  // the rule reaches the in-process mock through the UI queue
    const before = (await state(ctx.page)).model.last?.id;
    await click(ctx.page, 'editor/send');
    const last = await waitForExchange(ctx.page, before, 30000);  // Retry-After: 1 s
    assert.equal(last.attempts, 2, 'attempts: the one forced 429, then the retry');
    assert.equal(last.status, 200, JSON.stringify(last));
    // The attempts table (it may sit in a tab of the response viewer).
    if ((await state(ctx.page)).widgets['response/tab/timeline']) await click(ctx.page, 'response/tab/timeline');
    await widget(ctx.page, 'response/timeline');
    await screenshot(ctx.page, 'console-retry.png');
  });

  test('(d) the contract runner sweeps every row green', { timeout: 300000 }, async () => {
    const s = await runContract(ctx.page, 'contract', null, 280000,
      'the sweep to finish (contract/running false, done == total)');
    assert.equal(s.state['contract/failed'], 0, `${s.state['contract/failed']} red cells`);
  });

  test('(f) the page origin is the "Local HTTP mock" target and answers a send', async () => {
    const origin = new URL(BASE_URL).origin;
    const envs = (await command(ctx.page, { cmd: 'environments' })).environments;
    const http = envs.find((e) => e.name === 'Local HTTP mock');
    assert.ok(http, JSON.stringify(envs));
    assert.equal(http.base_url, origin);
    const served = (await serverJson('/__restbox/fixtures')).chikage;
    await command(ctx.page, { cmd: 'select', service: 'chikage', endpoint: 'get' });
    await command(ctx.page, { cmd: 'setParams', params: { slug: served.slug, record_id: served.test_record_id } });
    await command(ctx.page, { cmd: 'target', environment: 'Local HTTP mock' });
    const before = (await state(ctx.page)).model.last?.id;
    await click(ctx.page, 'editor/send');
    const last = await waitForExchange(ctx.page, before);
    assert.equal(last.status, 200, JSON.stringify(last));
    const journal = await serverJson('/__restbox/journal?limit=5');
    assert.ok(journal.some((e) => e.endpoint === 'get' && e.service === 'chikage' && e.status === 200),
      `restbox-mock saw the request: ${JSON.stringify(journal.map((e) => [e.service, e.endpoint, e.status]))}`);
    await command(ctx.page, { cmd: 'target', environment: 0 });
  });

  test('(g) the contract runner runs over HTTP in the browser, against the page\'s own restbox-mock', { timeout: 600000 }, async () => {
    // The sweep awaits each fetch (no blocking wait in the page): every row against the HTTP
    // target, which restbox-mock resets before each case.
    const index = await localHttpMockIndex(ctx.page);
    const s = await runContract(ctx.page, 'contract_http', `contract/target/${index + 1}`, 580000,
      'the HTTP sweep to finish');
    assert.ok(String(s.state['contract/target']).startsWith('Local HTTP mock'), s.state['contract/target']);
    assert.equal(s.state['contract/failed'], 0, `${s.state['contract/failed']} red cells over HTTP`);
    const journal = await serverJson('/__restbox/journal');
    assert.ok(journal.length > 0, 'the sweep reached the server');
  });

  test('(h) the Live target checks the page\'s own restbox-mock as a server it did not write, in the browser', { timeout: 300000 }, async () => {
    // restbox-check's realistic rows through check::Session (paced, every answer checked against
    // the tables, the environment's credentials as the only fixtures), each answer over fetch.
    const index = await localHttpMockIndex(ctx.page);
    const s = await runContract(ctx.page, 'contract_live', `contract/target/live/${index + 1}`, 280000,
      'the live check to finish');
    assert.equal(s.state['contract/live'], true);
    assert.equal(s.state['contract/error'], '', s.state['contract/error']);
    assert.equal(s.state['contract/failed'], 0, `${s.state['contract/failed']} red cells in the live check`);
    const passed = s.state['contract/total'] - s.state['contract/failed'] - s.state['contract/skipped'];
    assert.ok(passed > 0, `some rows pass: ${JSON.stringify(s.state['contract/live_summary'])}`);
    assert.ok(s.state['contract/skipped'] > 0, 'rows needing fixtures the environment lacks are skipped');
    assert.match(String(s.state['contract/live_summary']), /coverage \d+\//);
  });

  test('the canvas follows a window resize', async () => {
    await ctx.page.setViewportSize({ width: 1000, height: 700 });
    const s = await waitFor(ctx.page, (st) => st.host.display[0] === 1000 && st.host.display[1] === 700,
      'display 1000x700 after the resize', { describe: (st) => JSON.stringify(st.host) });
    assert.ok(s.widgets['tabs/history'][0] + s.widgets['tabs/history'][2] <= 1000);
    await ctx.page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe('console at device pixel ratio 2', () => {
  const ctx = pageFor({ width: 1280, height: 800, dpr: 2 });

  test('(e) sharp text at 2x, mouse in CSS pixels, screenshot', async () => {
    await ctx.page.goto(BASE_URL);
    const s = await waitForConsole(ctx.page);
    assert.equal(s.host.scale, 2);
    assert.deepEqual(s.host.display, [1280, 800], 'ImGui works in CSS pixels');
    assert.equal(s.host.font_pixels, 26, 'the font is rasterised at device size');
    const backing = await ctx.page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
    assert.deepEqual(backing, [2560, 1600]);
    // A click lands on the widget the hook placed there.
    await click(ctx.page, 'explorer/chikage/delete');
    await waitFor(ctx.page, (st) => st.model.endpoint === 'delete', 'chikage/delete selected by a click at dpr 2');
    await click(ctx.page, 'explorer/chikage/get');
    await waitFor(ctx.page, (st) => st.model.endpoint === 'get', 'chikage/get selected by a click at dpr 2');
    await screenshot(ctx.page, 'console-dpr2.png');
    assert.deepEqual(ctx.errors, []);
  });
});

describe('environments remembered on this device', () => {
  const ctx = pageFor({ width: 1280, height: 800, dpr: 1 });

  test('opt-in stores them in localStorage, a reload restores them, opting out deletes them', async () => {
    await ctx.page.goto(BASE_URL);
    await waitForConsole(ctx.page);
    const stored = () => ctx.page.evaluate(() => window.localStorage.getItem('restbox.console'));
    assert.equal(await stored(), null, 'nothing is stored before the user opts in');
    await click(ctx.page, 'tabs/environments');
    await click(ctx.page, 'environments/remember');
    await waitFor(ctx.page, (st) => st.state['environments/remember'] === true, 'Remember ticked');
    await fill(ctx.page, 'environments/name', 'Staging e2e');
    await frames(ctx.page, 3);
    const saved = JSON.parse(await stored());
    assert.ok(JSON.stringify(saved).includes('Staging e2e'), 'the edit is saved');

    await ctx.page.reload();
    await waitForConsole(ctx.page);
    const names = (await command(ctx.page, { cmd: 'environments' })).environments.map((e) => e.name);
    assert.ok(names.includes('Staging e2e'), `restored after reload: ${names}`);
    await click(ctx.page, 'tabs/environments');
    await waitFor(ctx.page, (st) => st.state['environments/remember'] === true, 'Remember still ticked after reload');
    await click(ctx.page, 'environments/remember');
    await waitFor(ctx.page, (st) => st.state['environments/remember'] === false, 'Remember unticked');
    assert.equal(await stored(), null, 'opting out deletes the stored copy');
  });

  test('Chinese text has glyphs (the page embeds a CJK subset)', async () => {
    const s = await state(ctx.page);
    assert.ok(s.host.font.cjk_glyphs > 1000, `CJK glyphs loaded: ${JSON.stringify(s.host.font)}`);
  });
});

describe('the page says what is wrong instead of a blank canvas', () => {
  test('no WebGL 2', async () => {
    const browser = await launchBrowser(['--disable-webgl', '--disable-3d-apis']);
    try {
      const { page } = await openPage(browser);
      await page.goto(BASE_URL);
      const text = await page.locator('#status').textContent();
      assert.match(text, /WebGL 2 is not available/);
      assert.equal(await page.locator('#overlay').isVisible(), true);
      await screenshot(page, 'no-webgl2.png');
    } finally {
      await browser.close();
    }
  });

  test('the wasm does not load', async () => {
    const browser = await launchBrowser();
    try {
      const { page } = await openPage(browser);
      await page.route('**/restbox-console.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
      await page.goto(BASE_URL);
      await page.waitForFunction(() => window.restboxLoadError, null, { timeout: 15000 });
      const text = await page.locator('#status').textContent();
      assert.match(text, /failed to load.*HTTP 404/);
    } finally {
      await browser.close();
    }
  });
});
