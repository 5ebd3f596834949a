// First contact in the browser: every endpoint of every service (the list is the page's own
// catalogue, generated from the endpoint tables) answers its documented success on the first Send,
// to the in-process mock and to the HTTP mock (the page's origin, restbox-mock --static); and the
// console fits 1024x700, 1280x800 and 1920x1080: no widget of the test hook is cut by its region and
// no text is cut (the text probe: every glyph of the frame) in any tab, nor in the editor and the
// answer of any endpoint. Screenshots of each size land in $RESTBOX_E2E_OUT.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launchBrowser, openPage, state, command, waitFor, waitForConsole, frames, click,
  waitForExchange, screenshot, probeText,
} from '../lib/console_page.mjs';

describe('every endpoint, first Send, in the browser', () => {
  const ctx = {};
  before(async () => {
    ctx.browser = await launchBrowser();
    Object.assign(ctx, await openPage(ctx.browser, { width: 1280, height: 800 }));
    await ctx.page.goto(BASE_URL);
    await waitForConsole(ctx.page);
  });
  after(async () => { await ctx.browser?.close(); });

  test('each endpoint of the catalogue answers its success on both mock targets', async () => {
    const envs = (await command(ctx.page, { cmd: 'environments' })).environments;
    const targets = envs.map((e, i) => ({ ...e, index: i })).filter((e) => e.target !== 'live');
    assert.equal(targets.length, 2, JSON.stringify(envs));
    const endpoints = (await command(ctx.page, { cmd: 'endpoints' })).endpoints;
    assert.ok(endpoints.length >= 33, `${endpoints.length} endpoints`);
    const failures = [];
    for (const target of targets) {
      for (const e of endpoints) {
        await fetch(new URL('/__restbox/reset', BASE_URL), {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
        });
        await command(ctx.page, { cmd: 'resetMock' });
        await command(ctx.page, { cmd: 'select', service: e.service, endpoint: e.endpoint });
        await command(ctx.page, { cmd: 'target', environment: target.index });
        await frames(ctx.page, 2);
        const before = (await state(ctx.page)).model.last?.id;
        await click(ctx.page, 'editor/send');
        const last = await waitForExchange(ctx.page, before);
        if (!(last.ok && e.success.includes(last.status))) {
          failures.push(`${e.service}/${e.endpoint} on ${target.name}: ${last.status} ok=${last.ok}`);
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(ctx.errors, []);
  });
});

for (const [width, height] of [[1024, 700], [1280, 800], [1920, 1080]]) {
  describe(`layout at ${width}x${height}`, () => {
    const ctx = {};
    before(async () => {
      ctx.browser = await launchBrowser();
      Object.assign(ctx, await openPage(ctx.browser, { width, height }));
      await ctx.page.goto(BASE_URL);
      await waitForConsole(ctx.page);
    });
    after(async () => { await ctx.browser?.close(); });

    test('no widget and no text is cut in any tab', async () => {
      const problems = [];
      for (const tab of ['history', 'environments', 'mock', 'contract']) {
        await command(ctx.page, { cmd: 'showTab', tab });
        await frames(ctx.page, 6);
        const s = await state(ctx.page);
        for (const c of s.clipped) problems.push(`${tab}: ${c}`);
        for (const c of await probeText(ctx.page)) problems.push(`${tab}: text ${c}`);
        await screenshot(ctx.page, `layout-${width}x${height}-${tab}.png`);
      }
      assert.deepEqual(problems, []);
      const s = await state(ctx.page);
      assert.ok(s.widgets['layout/split_left'] && s.widgets['layout/split_right'], 'the splitters are drawn');
    });

    test('no text is cut in the editor or the answer of any endpoint', async () => {
      await command(ctx.page, { cmd: 'showTab', tab: 'history' });
      const endpoints = (await command(ctx.page, { cmd: 'endpoints' })).endpoints;
      const problems = [];
      for (const e of endpoints) {
        await command(ctx.page, { cmd: 'resetMock' });
        await command(ctx.page, { cmd: 'select', service: e.service, endpoint: e.endpoint });
        await command(ctx.page, { cmd: 'target', environment: 0 });
        const before = (await state(ctx.page)).model.last?.id;
        await command(ctx.page, { cmd: 'send' });
        await waitForExchange(ctx.page, before);
        await frames(ctx.page, 3);
        for (const c of await probeText(ctx.page)) problems.push(`${e.service}/${e.endpoint}: ${c}`);
      }
      await screenshot(ctx.page, `layout-${width}x${height}-last-endpoint.png`);
      assert.deepEqual(problems, []);
    });
  });
}

// The probe is not blind in the browser: in a window narrower than the console's minimum column
// widths (3 x 220 px), text must be cut, and the probe must say so.
describe('the text probe in the browser', () => {
  const ctx = {};
  before(async () => {
    ctx.browser = await launchBrowser();
    Object.assign(ctx, await openPage(ctx.browser, { width: 560, height: 500 }));
    await ctx.page.goto(BASE_URL);
    await waitForConsole(ctx.page);
  });
  after(async () => { await ctx.browser?.close(); });

  test('finds the text a too narrow window cuts', async () => {
    await frames(ctx.page, 4);
    const cut = await probeText(ctx.page);
    assert.ok(cut.length > 0, 'a 560 px window cuts text, and the probe found none');
    await frames(ctx.page, 2);
    assert.deepEqual(ctx.errors, []);
  });
});
