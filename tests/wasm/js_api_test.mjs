// The JavaScript API of the npm package (build/<dir>/npm), under node:
//   node tests/wasm/js_api_test.mjs <npm folder>
// Part 1 drives the in-process mock; part 2 drives the fetch() transport against a local node
// HTTP server (timeouts, cancellation, unreachable servers, and CORS failures through a fetch
// wrapper that enforces CORS the way a browser does). Part 2 is skipped, with the reason, when
// node runs without a global fetch (--no-experimental-fetch); part 1 must pass either way.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const npmDir = process.argv[2];
if (!npmDir) {
  console.error('usage: node js_api_test.mjs <npm package folder>');
  process.exit(2);
}
const api = await import(pathToFileURL(path.join(path.resolve(npmDir), 'restbox.mjs')).href);
const { loadRestbox, endpointMethods, MockError } = api;
const restbox = await loadRestbox();
const hasChikage = !!restbox.service('chikage');

describe('catalogue', () => {
  test('lists every service of the build with endpoint tables', () => {
    assert.ok(restbox.services.length >= 1);
    for (const s of restbox.services) {
      assert.equal(typeof s.id, 'string');
      assert.ok(['bearer', 'body_token', 'key_and_secret'].includes(s.auth), s.auth);
      assert.ok(s.endpoints.length > 0, s.id);
      for (const e of s.endpoints) {
        assert.ok(e.path.startsWith('/'), e.path);
        assert.ok(e.success.length > 0, `${s.id}.${e.id} has success statuses`);
        for (const f of e.fields) assert.ok(['path', 'query', 'header', 'body'].includes(f.in));
      }
    }
  });

  test('every service gets a client with one method per endpoint', () => {
    const mock = restbox.createMock();
    for (const s of restbox.services) {
      const client = restbox.createClient(s.id, { mock });
      assert.equal(Object.keys(client.methods).length, s.endpoints.length, s.id);
      for (const [name, id] of Object.entries(client.methods)) {
        assert.equal(typeof client[name], 'function');
        assert.ok(client.endpoint(id));
      }
      client.close();
    }
    mock.close();
  });

  test('unknown services and clients without a destination are refused', () => {
    assert.throws(() => restbox.createClient('nope', {}), /no service 'nope'/);
    if (hasChikage) {
      assert.throws(() => restbox.createClient('chikage', {}), /mock or a baseUrl/);
      assert.throws(() => restbox.createClient('chikgae', {}), /no service 'chikgae' \(did you mean chikage\?\)/);
    }
  });

  test('unknown option names are refused with the closest one', () => {
    if (!hasChikage) return;
    assert.throws(() => restbox.createClient('chikage', { baseURL: 'http://x' }),
      { name: 'TypeError', message: 'unknown client option baseURL (did you mean baseUrl?)' });
    assert.throws(() => restbox.createClient('chikage', { baseUrl: 'http://x', retry: { max_attempts: 2 } }),
      /unknown retry option max_attempts \(did you mean maxAttempts\?\)/);
    assert.throws(() => restbox.createClient('chikage', { baseUrl: 'http://x', credentials: { token: 'x' } }),
      /unknown credential token; valid credentials: key, secret/);
    assert.throws(() => restbox.createMock({ manual_clock: true }), /did you mean manualClock\?/);
  });

  test('method names come from endpointMethods(), and the generated .d.ts declares each', () => {
    const dts = readFileSync(path.join(npmDir, 'restbox.d.ts'), 'utf8');
    const mock = restbox.createMock();
    for (const s of restbox.services) {
      const client = restbox.createClient(s.id, { mock });
      assert.deepEqual(client.methods, endpointMethods(s), s.id);
      const type = s.id.charAt(0).toUpperCase() + s.id.slice(1) + 'Client';
      const start = dts.indexOf(`export interface ${type} extends Client<"${s.id}"`);
      assert.ok(start >= 0, `restbox.d.ts declares ${type}`);
      const body = dts.slice(start, dts.indexOf('\n}\n', start));
      for (const [name, id] of Object.entries(client.methods)) {
        assert.ok(body.includes(`\n  ${name}(params`), `${type}.${name} (${id}) is declared`);
        assert.ok(body.includes(`readonly ${name}: ${JSON.stringify(id)};`), `${type}.methods.${name}`);
      }
      assert.ok(dts.includes(`  ${s.id}: ${type};`), `ServiceClients.${s.id}`);
      client.close();
    }
    assert.ok(!/\[method: string\]/.test(dts), 'no index signature hides typos');
    mock.close();
  });
});

describe('in-process mock', { skip: !hasChikage && 'chikage is not in this build' }, () => {
  let mock;
  let fixtures;
  let client;
  before(() => {
    mock = restbox.createMock({ manualClock: true });
    fixtures = mock.fixtures().chikage;
    client = restbox.createClient('chikage', { mock, credentials: { key: fixtures.testKey } });
  });
  after(() => {
    client.close();
    mock.close();
  });

  test('create then get through generated methods', async () => {
    const created = await client.create({ slug: fixtures.slug, order_id: 'ORD-JS-1', amount: 12 });
    assert.equal(created.ok, true, JSON.stringify(created.error));
    assert.equal(created.status, 202);
    assert.match(created.data.id, /^rec_/);
    assert.equal(created.attempts.length, 1);
    assert.ok(created.requestId.length > 0);

    const read = await client.call('get', { slug: fixtures.slug, record_id: created.data.id });
    assert.equal(read.ok, true, JSON.stringify(read.error));
    assert.equal(read.status, 200);
    assert.equal(read.data.data.order_id, 'ORD-JS-1');
    assert.equal(read.data.data.amount, 12);
  });

  test('error kinds', async () => {
    const missing = await client.get({ slug: 'orders', record_id: 'rec_does_not_exist' });
    assert.equal(missing.ok, false);
    assert.equal(missing.status, 404);
    assert.equal(missing.error.kind, 'not_found');
    assert.equal(missing.error.status, 404);

    const other = restbox.createClient('chikage', { mock, credentials: { key: 'tm_test_unknown_key_0000' } });
    const denied = await other.get({ slug: 'orders', record_id: fixtures.testRecordId });
    assert.equal(denied.error.kind, 'unauthorized');
    assert.ok(!denied.error.message.includes('tm_test_unknown_key_0000'), denied.error.message);
    other.close();

    const invalid = await client.create({ order_id: 'no slug' });
    assert.equal(invalid.error.kind, 'client_validation');
    assert.deepEqual(invalid.error.details.map((d) => d.field), ['slug']);
    assert.equal(invalid.attempts.length, 0);

    const unknown = await client.call('nope', {});
    assert.equal(unknown.error.kind, 'invalid_argument');

    const badJson = await client.create({ slug: 'orders' }, { rawBody: '{"order_id":' });
    assert.equal(badJson.error.kind, 'bad_request');
    assert.equal(badJson.status, 400);

    // restbox.errorKinds is the SDK's list, which the .d.ts's ErrorKind is generated from.
    for (const seen of [missing, denied, invalid, unknown, badJson]) {
      assert.ok(restbox.errorKinds.includes(seen.error.kind), seen.error.kind);
    }
    for (const k of ['continuation', 'no_recording', 'client_rate_limited']) {
      assert.ok(restbox.errorKinds.includes(k), k);
    }
    const dts = readFileSync(path.join(npmDir, 'restbox.d.ts'), 'utf8');
    const union = dts.match(/export type ErrorKind = ([^;]+);/);
    assert.ok(union, 'restbox.d.ts declares ErrorKind');
    assert.deepEqual(union[1].split('|').map((k) => k.trim().replace(/'/g, '')), restbox.errorKinds);
  });

  test('forced statuses, retries and the manual clock', async () => {
    mock.forceStatus(503, { service: 'chikage', endpoint: 'create' });
    const refused = await client.create({ slug: 'orders', order_id: 'ORD-JS-2' });
    assert.equal(refused.error.kind, 'server_error');
    assert.equal(refused.status, 503);
    assert.equal(refused.attempts.length, 1, 'a POST is not retried');

    mock.forceStatus(503, { service: 'chikage', endpoint: 'get', times: 1 });
    let settled = false;
    const pending = client.get({ slug: 'orders', record_id: fixtures.testRecordId })
      .then((r) => { settled = true; return r; });
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'the retry waits for the manual clock');
    const before = Date.parse(mock.now());
    const now = mock.advanceClock(2000);
    assert.equal(Date.parse(now) - before, 2000);
    const retried = await pending;
    assert.equal(retried.ok, true, JSON.stringify(retried.error));
    assert.deepEqual(retried.attempts.map((a) => a.status), [503, 200]);
    assert.ok(retried.attempts[0].delayMs > 0);
  });

  test('queued writes become readable when the clock reaches them', async () => {
    mock.applySettings('chikage', { queueDelayMs: 60000 });
    assert.equal(mock.settings('chikage').queueDelayMs, 60000);
    const created = await client.create({ slug: 'orders', order_id: 'ORD-JS-3' });
    assert.equal(created.status, 202);
    const early = await client.get({ slug: 'orders', record_id: created.data.id });
    assert.equal(early.error.kind, 'not_found');
    mock.advanceClock(60000);
    const late = await client.get({ slug: 'orders', record_id: created.data.id });
    assert.equal(late.ok, true, JSON.stringify(late.error));
    assert.ok(JSON.stringify(mock.state()).includes(created.data.id));
    mock.applySettings('chikage', { queueDelayMs: 0 });
    assert.throws(() => mock.applySettings('chikage', { noSuchSetting: true }),
      (e) => e instanceof MockError && /unknown setting/.test(e.message) && e.message.includes('noSuchSetting') &&
        !e.message.includes('no_such_setting'));
  });

  test('journal records requests with credentials masked', async () => {
    mock.clearJournal();
    await client.get({ slug: 'orders', record_id: fixtures.testRecordId });
    const journal = mock.journal();
    assert.equal(journal.length, 1);
    const text = JSON.stringify(journal[0]);
    assert.ok(text.includes('/api/v1/data/orders/'), text);
    assert.ok(!text.includes(fixtures.testKey), 'the key is masked in the journal');
    assert.equal(mock.journal(1).length, 1);
    const [entry] = journal;
    assert.deepEqual(Object.keys(entry).sort(), ['endpoint', 'fault', 'method', 'requestBody', 'requestHeaders',
      'responseBody', 'seq', 'service', 'status', 'time', 'url']);
    assert.equal(entry.endpoint, 'get');
    assert.match(entry.requestHeaders['x-request-id'], /^[0-9a-f]{32}$/);
    assert.ok(Object.keys(entry.requestHeaders).every((n) => n === n.toLowerCase()), 'lower-case header names');
  });

  test('latency faults: timeouts and cancellation', async () => {
    mock.addFault({ action: 'latency', latencyMs: 5000, service: 'chikage' });
    const slow = client.get({ slug: 'orders', record_id: fixtures.testRecordId },
      { timeoutMs: 100 });
    mock.advanceClock(60000);  // every retry also times out on the manual clock
    const timedOut = await slow;
    assert.equal(timedOut.error.kind, 'timeout');
    assert.ok(timedOut.attempts.length >= 2, 'timeouts of a GET are retried');

    const controller = new AbortController();
    const cancelled = client.get({ slug: 'orders', record_id: fixtures.testRecordId },
      { signal: controller.signal });
    controller.abort();
    const result = await cancelled;
    assert.equal(result.error.kind, 'cancelled');
    mock.clearFaults();
    assert.deepEqual(mock.faults(), []);
  });

  test('raw requests, reset and logs', async () => {
    const health = mock.request({ path: '/__restbox/health' });
    assert.equal(health.status, 200);
    assert.ok(health.json.services.includes('chikage'));
    assert.throws(() => mock.removeFault(12345), /no fault rule/);

    const lines = [];
    const logged = restbox.createClient('chikage', {
      mock, credentials: { key: fixtures.testKey }, onLog: (level, line) => lines.push([level, line]),
    });
    await logged.get({ slug: 'orders', record_id: fixtures.testRecordId });
    assert.ok(lines.length >= 2, JSON.stringify(lines));
    assert.ok(lines.some(([, l]) => l.startsWith('-> GET')));
    assert.ok(lines.every(([, l]) => !l.includes(fixtures.testKey)), 'log lines are masked');
    logged.close();

    mock.reset();
    assert.equal(mock.journal().length, 0);
    const closed = restbox.createClient('chikage', { mock });
    closed.close();
    assert.equal((await closed.get({ slug: 'orders', record_id: 'x' })).error.kind, 'invalid_argument');
  });
});

describe('JS names: camelCase at the boundary, wire names kept', { skip: !hasChikage && 'chikage is not in this build' }, () => {
  let mock;
  before(() => { mock = restbox.createMock({ manualClock: true }); });
  after(() => mock.close());
  const camel = /^[a-z][A-Za-z0-9]*$/;

  test('fixtures: role names in camelCase', () => {
    const fixtures = mock.fixtures();
    for (const [service, roles] of Object.entries(fixtures)) {
      for (const name of Object.keys(roles)) assert.match(name, camel, `${service}.${name}`);
    }
    assert.match(fixtures.chikage.testKey, /^tm_test_/);
    assert.equal(fixtures.chikage.testRecordId, 'rec_demo000001');
  });

  test('fault rules: camelCase in and out, the wire spelling refused', () => {
    mock.clearFaults();
    const rule = mock.addFault({ action: 'latency', latencyMs: 10, service: 'chikage', pathPrefix: '/api/v1/data', times: 2 });
    assert.equal(rule.latencyMs, 10);
    assert.equal(rule.pathPrefix, '/api/v1/data');
    assert.equal(rule.times, 2);
    for (const name of Object.keys(rule)) assert.match(name, camel);
    assert.deepEqual(mock.faults(), [rule]);
    const forced = mock.forceStatus(503, { service: 'chikage', endpoint: 'get', pathPrefix: '/api' });
    assert.equal(forced.pathPrefix, '/api');
    assert.equal(forced.times, 1);
    assert.throws(() => mock.addFault({ action: 'latency', latency_ms: 10 }),
      { name: 'TypeError', message: 'unknown fault rule member latency_ms (did you mean latencyMs?)' });
    assert.throws(() => mock.forceStatus(503, { path_prefix: '/api' }), /did you mean pathPrefix\?/);
    assert.throws(() => mock.addFault({ action: 'status', servce: 'chikage' }), /did you mean service\?/);
    assert.throws(() => mock.addFault({ action: 'latency', latencyMs: 'slow' }),
      (e) => e instanceof MockError && e.status === 400 && e.message.includes('latencyMs') && !e.message.includes('latency_ms'));
    mock.clearFaults();
  });

  test('settings: camelCase names; ids inside dotted names and WNCMS names kept', () => {
    const chikage = mock.settings('chikage');
    assert.equal(chikage.queueDelayMs, 0);
    assert.equal(chikage['endpoint.orders.subscriptionActive'], true);
    assert.ok(!Object.keys(chikage).some((k) => k.includes('_') && !k.startsWith('key.')), JSON.stringify(chikage));
    if (restbox.service('market')) {
      assert.equal(mock.settings('market')['endpoint.demo-shop/product-info.busyNext'], 0);
    }
    if (restbox.service('wncms')) {
      const wncms = mock.settings('wncms');
      assert.equal(wncms.wncms_api_posts_index, true, 'a WNCMS setting name is a wire name');
      mock.applySettings('wncms', { wncms_api_posts_index: false });
      assert.equal(mock.settings('wncms').wncms_api_posts_index, false);
      mock.applySettings('wncms', { wncms_api_posts_index: true });
    }
    const applied = mock.applySettings('chikage', { queueDelayMs: 5, 'endpoint.orders.subscriptionActive': true });
    assert.equal(applied.queueDelayMs, 5);
    assert.throws(() => mock.applySettings('chikage', { queue_delay_ms: 5 }),
      (e) => e instanceof MockError && e.message === 'setting queue_delay_ms is spelt queueDelayMs in the JS API (camelCase)');
    assert.throws(() => mock.applySettings('chikage', { queueDelyMs: 5 }),
      (e) => e instanceof MockError && e.message.includes('queueDelyMs') && !e.message.includes('queue_'));
    mock.applySettings('chikage', { queueDelayMs: 0 });
  });

  test('header names are lower-case in results and mock answers', async () => {
    const key = mock.fixtures().chikage.testKey;
    const client = restbox.createClient('chikage', { mock, credentials: { key } });
    const r = await client.get({ slug: 'orders', record_id: 'rec_demo000001' });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.ok(Object.keys(r.headers).length > 0);
    assert.ok(Object.keys(r.headers).every((n) => n === n.toLowerCase()), JSON.stringify(r.headers));
    assert.match(r.headers['content-type'], /application\/json/);
    assert.equal(r.headers['x-request-id'], r.requestId);
    const missing = await client.get({ slug: 'orders', record_id: 'rec_nope' });
    assert.ok(Object.keys(missing.headers).every((n) => n === n.toLowerCase()), JSON.stringify(missing.headers));
    const answer = mock.request({ path: '/__restbox/health' });
    assert.ok(Object.keys(answer.headers).every((n) => n === n.toLowerCase()), JSON.stringify(answer.headers));
    assert.match(answer.headers['content-type'], /application\/json/);
    assert.deepEqual(api.lowerCaseHeaders({ 'Set-Cookie': 'a', 'set-cookie': 'b', Vary: 'x' }), { 'set-cookie': 'a, b', vary: 'x' });
    client.close();
  });
});

describe('unknown parameters are refused before sending', { skip: !hasChikage && 'chikage is not in this build' }, () => {
  let mock;
  let client;
  before(() => {
    mock = restbox.createMock({ manualClock: true });
    client = restbox.createClient('chikage', { mock, credentials: { key: mock.fixtures().chikage.testKey } });
  });
  after(() => {
    client.close();
    mock.close();
  });

  test('a field spelt differently: did you mean', async () => {
    mock.clearJournal();
    const r = await client.call('get', { slug: 'orders', recordId: 'x' });
    assert.equal(r.ok, false);
    assert.equal(r.error.kind, 'invalid_argument');
    assert.equal(r.error.message, 'unknown parameter recordId (did you mean record_id?)');
    assert.deepEqual(r.error.details, [{ field: 'recordId', message: r.error.message }]);
    assert.equal(r.attempts.length, 0);
    assert.equal(mock.journal().length, 0, 'nothing was sent');
    // Even into a free body (create's body is the record), a field's name respelt is refused.
    const create = await client.create({ Slug: 'orders', order_id: 'X' });
    assert.equal(create.error.message, 'unknown parameter Slug (did you mean slug?)');
  });

  test('free bodies and the explicit parts still take other names', async () => {
    const created = await client.create({ slug: 'orders', order_id: 'ORD-FREE', amount: 1, paid: false });
    assert.equal(created.status, 202, JSON.stringify(created.error));
    const explicit = await client.get({ path: { slug: 'orders', record_id: 'rec_demo000001' }, query: { x: '1' }, headers: { 'X-Trace': 't' } });
    assert.equal(explicit.ok, true, JSON.stringify(explicit.error));
  });

  test('tables with fields at the destination refuse every other name', { skip: !restbox.service('findhelper') && 'no findhelper' }, async () => {
    const f = mock.fixtures().findhelper;
    const jobs = restbox.createClient('findhelper', { mock, credentials: { key: f.apiKey, secret: f.apiSecret } });
    assert.equal((await jobs.jobsList({ pagesize: 5 })).error.message, 'unknown parameter pagesize (did you mean pageSize?)');
    assert.equal((await jobs.jobsList({ citty: '台北市' })).error.message, 'unknown parameter citty (did you mean city?)');
    const none = await jobs.jobsList({ zzz: 1, page: 1 });
    assert.equal(none.error.kind, 'invalid_argument');
    assert.match(none.error.message, /^unknown parameter zzz; findhelper\.jobs\.list takes .*\bcity\b.*\bpageSize\b.*, path, query, headers, body$/);
    const two = await jobs.jobsList({ Page: 1, pagesize: 2 });
    assert.deepEqual(two.error.details.map((d) => d.field), ['Page', 'pagesize']);
    assert.equal((await jobs.jobsList({ page: 1, pageSize: 2 })).ok, true);
    jobs.close();
  });

  test('unknown endpoints and call options', async () => {
    assert.equal((await client.call('gett', {})).error.message, 'unknown chikage endpoint gett (did you mean get?)');
    const r = await client.get({ slug: 'orders', record_id: 'rec_demo000001' }, { timeout: 5 });
    assert.equal(r.error.kind, 'invalid_argument');
    assert.equal(r.error.message, 'unknown call option timeout (did you mean timeoutMs?)');
  });
});

describe('close()', { skip: !hasChikage && 'chikage is not in this build' }, () => {
  test('closing a mock ends its clients: calls under way cancelled, later calls refused', async () => {
    const mock = restbox.createMock({ manualClock: true });
    const f = mock.fixtures().chikage;
    const client = restbox.createClient('chikage', { mock, credentials: { key: f.testKey } });
    assert.equal((await client.get({ slug: 'orders', record_id: f.testRecordId })).ok, true);
    assert.equal(client.closed, false);
    mock.addFault({ action: 'latency', latencyMs: 5000, service: 'chikage' });
    const pending = client.get({ slug: 'orders', record_id: f.testRecordId });  // waits for the clock
    mock.close();
    const cancelled = await pending;
    assert.equal(cancelled.error.kind, 'cancelled');
    assert.equal(mock.closed, true);
    assert.equal(client.closed, true);
    const after = await client.get({ slug: 'orders', record_id: f.testRecordId });
    assert.equal(after.ok, false);
    assert.equal(after.error.kind, 'invalid_argument');
    assert.match(after.error.message, /the mock of this client was closed/);
    assert.throws(() => mock.fixtures(), /this mock was closed/);
    assert.throws(() => restbox.createClient('chikage', { mock }), /this mock was closed/);
    mock.close();  // twice is fine
    client.close();
    assert.equal((await client.get({ slug: 'orders', record_id: 'x' })).error.message, 'this client was closed');
  });

  test('closing a client leaves its mock and the other clients working', async () => {
    const mock = restbox.createMock();
    const f = mock.fixtures().chikage;
    const a = restbox.createClient('chikage', { mock, credentials: { key: f.testKey } });
    const b = restbox.createClient('chikage', { mock, credentials: { key: f.testKey } });
    a.close();
    assert.equal(a.closed, true);
    assert.equal(b.closed, false);
    assert.equal((await b.get({ slug: 'orders', record_id: f.testRecordId })).ok, true);
    assert.equal((await a.get({ slug: 'orders', record_id: f.testRecordId })).error.kind, 'invalid_argument');
    b.close();
    mock.close();
  });
});

// Record against the mock, replay with no mock: the same answers, offline; the cassette is HAR 1.2
// with every secret of the fixtures redacted; a request without a recording is no_recording.
describe('record and replay', { skip: !hasChikage && 'chikage is not in this build' }, () => {
  test('a recorded session replays without the mock, and keeps no secret', async () => {
    const mock = restbox.createMock();
    const f = mock.fixtures().chikage;
    const recorder = restbox.createClient('chikage', { mock, credentials: { key: f.testKey }, record: true });
    const read = await recorder.get({ slug: f.slug, record_id: f.testRecordId });
    assert.equal(read.ok, true, JSON.stringify(read.error));
    const missing = await recorder.get({ slug: f.slug, record_id: 'rec_nope' });
    assert.equal(missing.status, 404);
    const har = recorder.cassette();
    assert.ok(har.includes('Bearer ') && !har.includes(f.testKey), 'the key is redacted, the header kept');
    assert.equal(JSON.parse(har).log.version, '1.2');
    assert.equal(JSON.parse(har).log.entries.length, 2);
    for (const [role, secret] of Object.entries(mock.fixtures()).flatMap(([, roles]) => Object.entries(roles))) {
      if (typeof secret === 'string' && /key|token|secret/i.test(role) && secret.length >= 8) {
        assert.ok(!har.includes(secret), `the cassette holds ${role}`);
      }
    }
    recorder.close();
    mock.close();

    for (const replay of [har, JSON.parse(har)]) {
      const player = restbox.createClient('chikage', { replay, credentials: { key: 'any-key' } });
      assert.deepEqual(player.unusedRecordings(), [0, 1]);
      const again = await player.get({ slug: f.slug, record_id: f.testRecordId });
      assert.equal(again.ok, true, JSON.stringify(again.error));
      assert.deepEqual(again.data, read.data);
      const notFound = await player.get({ slug: f.slug, record_id: 'rec_nope' });
      assert.equal(notFound.status, 404);
      assert.equal(notFound.error.kind, missing.error.kind);
      assert.deepEqual(player.unusedRecordings(), []);
      const unknown = await player.get({ slug: f.slug, record_id: 'rec_never_recorded' });
      assert.equal(unknown.ok, false);
      assert.equal(unknown.error.kind, 'no_recording');
      assert.match(unknown.error.message, /no recording matches GET .*rec_never_recorded/);
      assert.throws(() => player.cassette(), /does not record/);
      player.close();
    }
  });

  test('bad cassettes and bad combinations are refused clearly', () => {
    assert.throws(() => restbox.createClient('chikage', { replay: '{"log": {}}' }), /not a HAR cassette/);
    assert.throws(() => restbox.createClient('chikage', { replay: 42 }), /HAR 1.2 document/);
    const mock = restbox.createMock();
    assert.throws(() => restbox.createClient('chikage', { mock, replay: '{}' }), /not both/);
    const plain = restbox.createClient('chikage', { mock });
    assert.throws(() => plain.cassette(), /record: true/);
    assert.throws(() => plain.unusedRecordings(), /replay/);
    plain.close();
    mock.close();
  });
});

// Code 1003 (busy: the request was not processed) is retried by every client of market, as the
// service table says (ServiceSpec::retry_if), so the JS client does what the C++ one does.
test('market: code 1003 (busy) is retried like the C++ market client does', { skip: !restbox.service('market') && 'no market' }, async () => {
  const mock = restbox.createMock();
  const f = mock.fixtures().market;
  const market = restbox.createClient('market', {
    mock, credentials: { key: f.consumerKey }, retry: { maxAttempts: 3, initialBackoffMs: 1, jitter: 0 },
  });
  mock.applySettings('market', { [`endpoint.${f.project}/${f.slug}.busyNext`]: 1 });
  const r = await market.callEndpoint({ project: f.project, slug: f.slug, ...f.params });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.equal(r.data.code, 0);
  assert.equal(r.attempts.length, 2, JSON.stringify(r.attempts));
  market.close();
  mock.close();
});

// The pre-send check is the service's (ServiceSpec::check_request), so the JS client refuses a
// bad call with the platform's own 1001 (code, msg, details) as the C++ market client does.
test('market: a refused call is the platform\'s 1001, unsent', { skip: !restbox.service('market') && 'no market' }, async () => {
  const mock = restbox.createMock();
  const f = mock.fixtures().market;
  const market = restbox.createClient('market', { mock, credentials: { key: f.consumerKey } });
  const r = await market.callEndpoint({ project: f.project, ...f.params });
  assert.equal(r.ok, false);
  assert.equal(r.error.kind, 'client_validation');
  assert.equal(r.error.code, '1001');
  assert.deepEqual(r.error.details.map((d) => d.field), ['slug']);
  assert.equal(r.attempts.length, 0);
  market.close();
  mock.close();
});

// ---------------------------------------------------------------------------------------------
// The fetch transport against a local server.

const noFetch = typeof fetch !== 'function' && 'node runs without a global fetch (--no-experimental-fetch)';

function startServer() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      const send = (status, json, headers = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      const cors = { 'Access-Control-Allow-Origin': 'http://page.test' };
      const [, , , , slug] = url.pathname.split('/');  // /api/v1/data/<slug>/...
      if (slug === 'slow') return setTimeout(() => send(200, { success: true }), 1500);
      if (slug === 'missing') return send(404, { success: false, error: 'no such record' });
      if (slug === 'nocors') return send(200, { success: true, id: 'rec_1', data: {} });
      if (slug === 'preflight') {
        // CORS for simple requests only: the preflight allows no custom header.
        if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
        return send(200, { success: true, id: 'rec_1', data: {} }, cors);
      }
      if (slug === 'cors' && req.method === 'OPTIONS') {
        return res.writeHead(204, {
          ...cors,
          'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || '',
        }).end();
      }
      const echo = { method: req.method, authorization: req.headers.authorization,
        contentType: req.headers['content-type'], requestId: req.headers['x-request-id'], body };
      if (req.method === 'POST') return send(202, { success: true, id: 'rec_2', message: 'Request queued', echo }, cors);
      return send(200, { success: true, id: 'rec_1', data: { order_id: 'ORD-1' }, echo },
        { ...cors, 'X-Request-Id': 'srv-1' });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// A fetch() that enforces CORS like a browser on the page http://page.test: preflight for
// non-simple requests, Access-Control-Allow-Origin checks, opaque no-cors answers; every refusal
// is the browser's bare TypeError.
function browserLikeFetch(pageOrigin) {
  const safelisted = ['accept', 'accept-language', 'content-language'];
  return async (url, init = {}) => {
    const target = new URL(url);
    if (init.mode === 'no-cors') {
      await fetch(url, { method: 'GET' });
      return new Response(null, { status: 200 });
    }
    const method = (init.method || 'GET').toUpperCase();
    const headers = new Headers(init.headers || {});
    const custom = [...headers.keys()].filter((n) => !safelisted.includes(n));
    const simple = ['GET', 'HEAD', 'POST'].includes(method) && custom.length === 0;
    const allowed = (r) => [pageOrigin, '*'].includes(r.headers.get('access-control-allow-origin'));
    if (!simple) {
      const pre = await fetch(url, { method: 'OPTIONS', headers: {
        'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': custom.join(','),
      } }).catch(() => { throw new TypeError('Failed to fetch'); });
      const allowHeaders = (pre.headers.get('access-control-allow-headers') || '')
        .toLowerCase().split(/\s*,\s*/);
      if (!allowed(pre) || custom.some((n) => !allowHeaders.includes(n))) throw new TypeError('Failed to fetch');
    }
    const { mode, ...rest } = init;
    const r = await fetch(target, { ...rest, headers }).catch(() => { throw new TypeError('Failed to fetch'); });
    if (!allowed(r)) throw new TypeError('Failed to fetch');
    return r;
  };
}

describe('fetch transport', { skip: noFetch || (!hasChikage && 'chikage is not in this build') }, () => {
  let server;
  let base;
  const key = 'tm_test_fetch_key_123456';
  const noRetry = { maxAttempts: 1 };
  before(async () => {
    server = await startServer();
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => server.close());

  test('GET: status, data, response headers, request id', async () => {
    const client = restbox.createClient('chikage', { baseUrl: base, credentials: { key } });
    const r = await client.get({ slug: 'orders', record_id: 'rec_1' });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.status, 200);
    assert.equal(r.data.data.order_id, 'ORD-1');
    assert.equal(r.requestId, 'srv-1');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['x-request-id'], 'srv-1');
    assert.ok(Object.keys(r.headers).every((n) => n === n.toLowerCase()), JSON.stringify(r.headers));
    assert.equal(r.data.echo.authorization, `Bearer ${key}`);
    assert.match(r.data.echo.requestId, /^[0-9a-f]{32}$/);
    client.close();
  });

  test('POST: JSON body and headers reach the server', async () => {
    const client = restbox.createClient('chikage', { baseUrl: base, credentials: { key } });
    const r = await client.create({ slug: 'orders', order_id: 'ORD-9', items: ['a', 'b'] });
    assert.equal(r.status, 202, JSON.stringify(r.error));
    assert.equal(r.data.echo.contentType, 'application/json');
    assert.deepEqual(JSON.parse(r.data.echo.body), { order_id: 'ORD-9', items: ['a', 'b'] });
    client.close();
  });

  test('non-2xx answers are values interpreted by the service', async () => {
    const client = restbox.createClient('chikage', { baseUrl: base, credentials: { key } });
    const r = await client.get({ slug: 'missing', record_id: 'rec_x' });
    assert.equal(r.error.kind, 'not_found');
    assert.equal(r.error.message, 'no such record');
    client.close();
  });

  test('timeout', async () => {
    const client = restbox.createClient('chikage', { baseUrl: base, credentials: { key }, retry: noRetry });
    const r = await client.get({ slug: 'slow', record_id: 'rec_1' }, { timeoutMs: 150 });
    assert.equal(r.error.kind, 'timeout');
    assert.match(r.error.message, /150 ms/);
    client.close();
  });

  test('cancellation', async () => {
    const client = restbox.createClient('chikage', { baseUrl: base, credentials: { key } });
    const controller = new AbortController();
    const pending = client.get({ slug: 'slow', record_id: 'rec_1' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const r = await pending;
    assert.equal(r.error.kind, 'cancelled');
    client.close();
  });

  test('unreachable server: connection error with the reason', async () => {
    const closed = http.createServer();
    await new Promise((r) => closed.listen(0, '127.0.0.1', r));
    const port = closed.address().port;
    await new Promise((r) => closed.close(r));
    const client = restbox.createClient('chikage', { baseUrl: `http://127.0.0.1:${port}`, credentials: { key }, retry: noRetry });
    const r = await client.get({ slug: 'orders', record_id: 'rec_1' });
    assert.equal(r.error.kind, 'connection');
    assert.match(r.error.message, /could not reach http:\/\/127\.0\.0\.1/);
    assert.match(r.error.message, /ECONNREFUSED/);
    client.close();
  });

  describe('CORS, with browser rules emulated for the page http://page.test', () => {
    before(() => { globalThis.location = new URL('http://page.test/app/'); });
    after(() => { delete globalThis.location; });
    const browserClient = () => restbox.createClient('chikage', {
      baseUrl: base, credentials: { key }, retry: noRetry, fetch: browserLikeFetch('http://page.test'),
    });

    test('a server that allows the origin works', async () => {
      const client = browserClient();
      const r = await client.create({ slug: 'cors', order_id: 'ORD-1' });
      assert.equal(r.ok, true, JSON.stringify(r.error));
      client.close();
    });

    test('missing Access-Control-Allow-Origin is named', async () => {
      const client = browserClient();
      const r = await client.get({ slug: 'nocors', record_id: 'rec_1' });
      assert.equal(r.error.kind, 'connection');
      assert.match(r.error.message, /did not send Access-Control-Allow-Origin for origin http:\/\/page\.test/);
      client.close();
    });

    test('a refused preflight names the method and headers to allow', async () => {
      const client = browserClient();
      const r = await client.replace({ slug: 'preflight', record_id: 'rec_1', order_id: 'ORD-1' });
      assert.equal(r.error.kind, 'connection');
      assert.match(r.error.message, /preflight refused/);
      assert.match(r.error.message, /method PUT/);
      assert.match(r.error.message, /authorization/);
      assert.match(r.error.message, /content-type/);
      client.close();
    });

    test('without diagnosis the browser message stays', async () => {
      const client = restbox.createClient('chikage', {
        baseUrl: base, credentials: { key }, retry: noRetry, diagnoseFailures: false,
        fetch: browserLikeFetch('http://page.test'),
      });
      const r = await client.get({ slug: 'nocors', record_id: 'rec_1' });
      assert.equal(r.error.kind, 'connection');
      assert.equal(r.error.message, 'Failed to fetch');
      client.close();
    });
  });
});

test('fetch clients without any fetch() fail clearly', { skip: !noFetch && 'this node has fetch' }, async () => {
  if (!hasChikage) return;
  const client = restbox.createClient('chikage', { baseUrl: 'http://127.0.0.1:9', retry: { maxAttempts: 1 } });
  const r = await client.get({ slug: 'orders', record_id: 'rec_1' });
  assert.equal(r.error.kind, 'invalid_argument');
  assert.match(r.error.message, /no fetch\(\)/);
  client.close();
});
