// Frame times of the console in Chromium while a 10 MB response is shown and scrolled (issue 6:
// "no frame over 33 ms after the body has been received"). A benchmark, not a test: it prints a
// JSON report and exits 0 whatever the numbers; 1 when it cannot run the scenario.
//
//   node bench/console/browser_frame_bench.mjs [--web build/wasm/web] [--mock build/native/bin/restbox-mock]
//                                              [--dpr 1] [--seconds 5]
//
// It starts restbox-mock --static on a free port, opens the page (Debian's Chromium, software
// WebGL), measures an idle stretch, then triggers the scenario through the test hook
// (restboxConsoleCommand({"cmd":"largeResponse"})), waits for the exchange, and scrolls the
// response with the mouse wheel. Two clocks: requestAnimationFrame intervals in the page (what the
// user sees; includes the browser's own work and swiftshader's rendering) and the host's CPU time
// per frame (ImGui layout + draw-list build + GL calls, from the hook's frame_ms).
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// playwright-core is installed in tests/e2e (scripts/setup.sh); the helpers resolve it from there.
const lib = await import(join(ROOT, 'tests/e2e/lib/console_page.mjs'));

const { values: opts } = parseArgs({
  options: {
    web: { type: 'string', default: join(ROOT, 'build/wasm/web') },
    mock: { type: 'string', default: join(ROOT, 'build/native/bin/restbox-mock') },
    dpr: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '5' },
  },
});
const seconds = Number(opts.seconds);

function startMock() {
  return new Promise((resolveUrl, reject) => {
    const child = spawn(opts.mock, ['--static', opts.web, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`restbox-mock exited (${code}) before listening`)));
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const m = text.match(/listening on (http:\S+)/);
      if (m) resolveUrl({ child, url: `${m[1]}/` });
    });
  });
}

// Records requestAnimationFrame timestamps in the page until stopped.
async function startRafProbe(page) {
  await page.evaluate(() => {
    window.__rafTimes = [];
    window.__rafRun = true;
    const tick = (t) => { window.__rafTimes.push(t); if (window.__rafRun) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
}
async function stopRafProbe(page) {
  const times = await page.evaluate(() => { window.__rafRun = false; return window.__rafTimes; });
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  return summarize(gaps);
}
function summarize(values) {
  if (!values.length) return { frames: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const round = (x) => Math.round(x * 100) / 100;
  return { frames: values.length, mean_ms: round(mean), p95_ms: round(sorted[Math.floor(0.95 * (sorted.length - 1))]),
           max_ms: round(sorted[sorted.length - 1]), over_33ms: values.filter((v) => v > 33).length };
}
async function hostFrames(page) {
  const s = await lib.state(page);
  const f = s.host.frame_ms;
  return { frames: f.samples, mean_ms: Math.round(f.mean * 100) / 100, max_ms: Math.round(f.max * 100) / 100 };
}

async function measure(page, label, action) {
  await lib.command(page, { cmd: 'resetFrameStats' });
  await startRafProbe(page);
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) await action();
  const raf = await stopRafProbe(page);
  return { label, raf, host_cpu: await hostFrames(page) };
}

const { child, url } = await startMock();
const browser = await lib.launchBrowser();
const report = { url, dpr: Number(opts.dpr), seconds, chromium: browser.version() };
let exitCode = 0;
try {
  const { page } = await lib.openPage(browser, { width: 1280, height: 800, dpr: Number(opts.dpr) });
  await page.goto(url);
  await lib.waitForConsole(page);
  report.first_frame_ms = Math.round(await page.evaluate(() => performance.now()));
  report.idle = await measure(page, 'idle', () => new Promise((r) => setTimeout(r, 100)));

  const before = (await lib.state(page)).model.last?.id;
  const started = Date.now();
  await lib.command(page, { cmd: 'largeResponse' });
  const last = await lib.waitForExchange(page, before, 60000);
  report.large_response = { status: last.status, received_ms: Date.now() - started };
  await lib.frames(page, 3);
  report.large_shown = await measure(page, 'large response shown', () => new Promise((r) => setTimeout(r, 100)));

  // Scroll the response: the mouse over the response region (below its status line), wheel steps.
  const [x, y, w] = await lib.widget(page, 'response/status');
  await page.mouse.move(x + Math.max(w, 200) / 2, y + 200);
  let direction = 1;
  let steps = 0;
  report.large_scrolled = await measure(page, 'large response scrolled', async () => {
    await page.mouse.wheel(0, 600 * direction);
    if (++steps % 40 === 0) direction = -direction;
    await new Promise((r) => setTimeout(r, 30));
  });
  report.target = 'no frame over 33 ms after the body has been received';
  report.met = report.large_shown.raf.over_33ms === 0 && report.large_scrolled.raf.over_33ms === 0;
} catch (e) {
  report.error = String(e.message ?? e);
  exitCode = 1;
} finally {
  await browser.close();
  child.kill();
}
console.log(JSON.stringify(report, null, 2));
process.exit(exitCode);
