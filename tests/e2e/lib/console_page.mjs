// Driving the restbox console in Chromium. The console draws into a canvas, so nothing is read
// from the DOM: the page's test hook (Module.restboxConsoleState(), JSON of the widgets' rectangles
// in CSS pixels and of the model) says where each widget is, and Playwright's mouse and keyboard
// act there. Every wait has a deadline and fails with what was missing (which widget id, which
// state key) and what was there instead, rather than hanging.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE_URL = process.env.RESTBOX_URL ?? 'http://127.0.0.1:8080/';
// Screenshots and metrics (run.sh sets it; default: the wasm build's e2e folder).
export const OUT_DIR = process.env.RESTBOX_E2E_OUT ??
  resolve(dirname(fileURLToPath(import.meta.url)), '../../../build/wasm/e2e');

// ../shared/TOOLCHAIN.md: Debian's Chromium, software WebGL through ANGLE + SwiftShader.
export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

export async function launchBrowser(extraFlags = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraFlags],
  });
}

// A page of its own context (viewport and device pixel ratio), with its console errors collected.
export async function openPage(browser, { width = 1280, height = 800, dpr = 1 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: dpr });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

export async function state(page) {
  const text = await page.evaluate(() =>
    (typeof Module !== 'undefined' && typeof Module.restboxConsoleState === 'function')
      ? Module.restboxConsoleState() : null);
  return text ? JSON.parse(text) : null;
}

export async function command(page, cmd) {
  const text = await page.evaluate((json) => Module.restboxConsoleCommand(json), JSON.stringify(cmd));
  const answer = JSON.parse(text);
  if (!answer.ok) throw new Error(`console command ${JSON.stringify(cmd)} failed: ${answer.error}`);
  return answer;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls the hook until `predicate(state)` is truthy; returns that state. On timeout throws with
// `what` and the last state's summary (`describe(state)` adds detail).
export async function waitFor(page, predicate, what, { timeout = 15000, describe } = {}) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    last = await state(page);
    if (last && predicate(last)) return last;
    if (Date.now() > deadline) {
      const loadError = await page.evaluate(() => window.restboxLoadError ?? null);
      const detail = describe && last ? describe(last) : JSON.stringify(last?.model ?? null);
      throw new Error(`timed out after ${timeout} ms waiting for ${what}` +
        (loadError ? `; the page says: ${loadError}` : '') + `; last: ${detail}`);
    }
    await sleep(40);
  }
}

export async function waitForConsole(page, timeout = 45000) {
  return waitFor(page, (s) => s.frame > 0, 'the first frame of the console (hook frame > 0)', { timeout });
}

// Waits until `n` more frames were drawn (ImGui 1.86 reads input state once per frame, so a key or
// button must stay down across a frame to be seen).
export async function frames(page, n = 2) {
  const start = (await state(page)).frame;
  await waitFor(page, (s) => s.frame >= start + n, `${n} more frames`, { timeout: 10000 });
}

// Draws one frame with the text probe (sandbox-ui/src/text_probe.hpp) and returns what it found:
// every run of text cut horizontally in that frame, whichever widget drew it.
export async function probeText(page) {
  const { probe } = await command(page, { cmd: 'probeText' });
  const s = await waitFor(page, (st) => st.host?.text_probes >= probe, 'a frame drawn with the text probe');
  return s.cut_text;
}

// The ids drawn under the same panel as `id`, shortest first (a matrix of cells must not hide
// the button that is missing).
function widgetIds(s, id) {
  const prefix = id.split('/')[0] + '/';
  const all = Object.keys(s.widgets);
  const near = all.filter((k) => k.startsWith(prefix)).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  const list = near.length ? near : all;
  return `${list.length} ${near.length ? `under ${prefix}` : `(none under ${prefix})`}: ${list.slice(0, 30).join(', ')}`;
}

// The rectangle [x, y, w, h] (CSS pixels, canvas = page origin) of widget `id`.
export async function widget(page, id, timeout = 10000) {
  // The hook records visible widgets only: a missing id was not drawn, or was clipped away.
  const s = await waitFor(page, (st) => st.widgets && st.widgets[id], `widget '${id}' (not drawn, or outside its visible region)`, {
    timeout, describe: (st) => `widgets drawn: ${widgetIds(st, id)}`,
  });
  return s.widgets[id];
}

// Clicks widget `id`: at its centre, or with `{ at: 'left' }` just inside its left edge (an input's
// rectangle also covers its label and +/- buttons, which sit on the right). The button is held
// for one frame only: ImGui's +/- buttons repeat when held longer than 0.275 s.
export async function click(page, id, { at = 'centre' } = {}) {
  const [x, y, w, h] = await widget(page, id);
  await page.mouse.move(at === 'left' ? x + Math.min(12, w / 2) : x + w / 2, y + h / 2);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 1);
  await page.mouse.up();
  await frames(page, 2);
}

// Holds a key (or chord such as 'Control+a') across frames.
export async function press(page, chord) {
  const keys = chord.split('+');
  for (const k of keys) await page.keyboard.down(k);
  await frames(page, 2);
  for (const k of keys.reverse()) await page.keyboard.up(k);
  await frames(page, 1);
}

// Clicks a text/number input, selects what it holds and types `text` in its place.
export async function fill(page, id, text) {
  await click(page, id, { at: 'left' });
  await press(page, 'Control+a');
  await page.keyboard.type(String(text));
  await frames(page, 2);
  await press(page, 'Enter');
}

// The newest exchange once it is done (model.last), after `previousId`.
export async function waitForExchange(page, previousId, timeout = 20000) {
  const s = await waitFor(page, (st) => st.model?.last && st.model.last.id !== previousId && st.model.last.done,
    'a new exchange to complete', { timeout });
  return s.model.last;
}

export async function screenshot(page, name) {
  mkdirSync(OUT_DIR, { recursive: true });
  const path = join(OUT_DIR, name);
  await page.screenshot({ path });
  return path;
}
