// A TypeScript program against the npm package's declarations (the build's generated
// restbox.d.ts): every service's typed client, the mock, faults. ctest wasm_types_sample runs
// `tsc --strict --noEmit` on it (tests/wasm/typecheck.mjs); it must compile without an error.
// It is not run: tests/wasm/js_api_test.mjs drives the same calls at run time.

import loadRestbox, {
  type CallResult, type ChikageClient, type Client, type FaultRule, type FindhelperJobsListParams,
  type JournalEntry, type ServiceId, Mock, MockError, endpointMethods, lowerCaseHeaders,
} from 'restbox-wasm';

const restbox = await loadRestbox();
const mock: Mock = restbox.createMock({ manualClock: true, latencyMs: 0 });
const fixtures = mock.fixtures();

function show(label: string, r: CallResult): void {
  if (r.ok) {
    const status: number = r.status;
    const contentType: string | undefined = r.headers['content-type'];
    console.log(label, status, contentType, r.data);
  } else {
    const kind: string = r.error.kind;
    console.log(label, r.status, kind, r.error.message, r.error.details.map((d) => d.field));
  }
}

// A service id known only at run time: the generic client (a literal typo is an error instead).
const someId: string = String('chikage');
const generic = restbox.createClient(someId, { mock, credentials: { key: fixtures.chikage.testKey } });
generic.close();

// chikage: bearer key; create's body is free (record data), get needs slug and record_id.
const chikage: ChikageClient = restbox.createClient('chikage', { mock, credentials: { key: fixtures.chikage.testKey } });
const created = await chikage.create({ slug: 'orders', order_id: 'ORD-TS-1', amount: 3, items: ['a'] });
show('chikage.create', created);
if (created.ok) show('chikage.get', await chikage.get({ slug: 'orders', record_id: created.data.id }));
show('chikage.call', await chikage.call('get', { slug: 'orders', record_id: 'rec_demo000001' }, { timeoutMs: 500 }));
show('chikage.delete', await chikage.delete({ slug: 'orders', record_id: 'rec_demo000001' }));
const chikageMethods: 'create' | 'get' | 'replace' | 'delete' = chikage.methods.replace;
console.log(chikageMethods, chikage.serviceId satisfies 'chikage', chikage.closed);

// findhelper: key and secret; jobs.list takes typed, optional query fields.
const findhelper = restbox.createClient('findhelper', {
  mock, credentials: { key: fixtures.findhelper.apiKey, secret: fixtures.findhelper.apiSecret },
});
const filter: FindhelperJobsListParams = { city: '台北市', status: 'published', page: 1, pageSize: 10 };
show('findhelper.jobsList', await findhelper.jobsList(filter));
show('findhelper.jobsList()', await findhelper.jobsList());
show('findhelper.jobsGet', await findhelper.jobsGet({ id: fixtures.findhelper.jobId }));
show('findhelper.jobsCreate', await findhelper.jobsCreate({ title: '居家清潔', jobType: 'cleaning', city: '台北市', estimatedAmount: 3000 }));

// inventory: bearer; path tokens and typed bodies.
const inventory = restbox.createClient('inventory', { mock, credentials: { key: fixtures.inventory.apiKey } });
show('inventory.itemsList', await inventory.itemsList({ page: 1, status: 'active', type: 'paper' }));
show('inventory.templatesGet', await inventory.templatesGet({ token: fixtures.inventory.templateToken }));
show('inventory.templatesShare', await inventory.templatesShare({ token: fixtures.inventory.templateToken, durationMinutes: 60, tags: ['x'] }));
show('inventory.templatesCheckOwnership', await inventory.templatesCheckOwnership({ token: 'tpl_x', email: 'user@example.com' }));
show('inventory.userStats', await inventory.userStats());

// market: the endpoint id 'call' is callEndpoint (call() is the client's own); its body is free.
const market = restbox.createClient('market', {
  mock, credentials: { key: fixtures.market.consumerKey }, retry: { maxAttempts: 3, initialBackoffMs: 10, jitter: 0 },
});
show('market.callEndpoint', await market.callEndpoint({ project: 'demo-shop', slug: 'product-info', bindId: '123', productId: '123456' }));
show('market.callGet', await market.callGet({ project: 'demo-shop', slug: 'product-info', query: { bindId: '123', productId: '123456' } }));
const marketCall: 'call' = market.methods.callEndpoint;
console.log(marketCall);

// wncms: the token travels in the body (body_token); explicit parts next to the fields.
const wncms = restbox.createClient('wncms', { mock, credentials: { key: fixtures.wncms.apiToken } });
show('wncms.postsIndex', await wncms.postsIndex({ page: 1, page_size: 5, sort: 'created_at', direction: 'desc', tags: ['news'] }));
show('wncms.postsStore', await wncms.postsStore({ title: 'Hello', content: '<p>hi</p>', status: 'published', check_title: true }));
show('wncms.tagsExist', await wncms.tagsExist({ tagIds: [1, 2] }, { idempotent: true }));
show('wncms.menusShow', await wncms.menusShow({ id: '1', headers: { 'Accept-Language': 'en' } }));

// A service id known only at run time gives the untyped Client: call() by endpoint id.
for (const service of restbox.services) {
  const any: Client = restbox.createClient(service.id, { mock });
  const first = service.endpoints[0];
  if (first) show(`${service.id}.${first.id}`, await any.call(first.id, {}));
  const names: Record<string, string> = endpointMethods(service);
  console.log(Object.keys(names).length === Object.keys(any.methods).length);
  any.close();
}
const ids: ServiceId[] = ['chikage', 'findhelper', 'inventory', 'market', 'wncms'];
console.log(ids);

// The mock: faults (camelCase members), forced statuses, settings, the journal, the clock.
const rule: FaultRule = mock.addFault({ action: 'latency', latencyMs: 250, service: 'chikage', pathPrefix: '/api/v1', times: 2 });
const again: FaultRule = mock.forceStatus(503, { service: 'chikage', endpoint: 'get', times: 1, message: 'maintenance' });
console.log(rule.id, rule.latencyMs, again.pathPrefix, mock.faults().length);
mock.removeFault(rule.id ?? 0);
mock.clearFaults();
mock.applySettings('chikage', { queueDelayMs: 1000 });
mock.applySettings('market', { 'endpoint.demo-shop/product-info.busyNext': 1 });
console.log(mock.settings('chikage').queueDelayMs, mock.now(), mock.advanceClock(1000));
const entries: JournalEntry[] = mock.journal(5);
for (const e of entries) console.log(e.seq, e.method, e.url, e.requestHeaders['user-agent'], e.status, e.fault);
try {
  mock.applySettings('chikage', { queueDelyMs: 1 });
} catch (e) {
  if (e instanceof MockError) console.log(e.status, e.field, e.valid, e.message);
}
const answer = mock.request({ method: 'GET', path: '/__restbox/health' });
console.log(answer.status, answer.headers['content-type'], answer.json, lowerCaseHeaders({ 'X-A': '1' }));
console.log(mock.openapi('chikage'), mock.state(), mock.closed);

const controller = new AbortController();
const pending = chikage.get({ slug: 'orders', record_id: 'rec_demo000001' }, { signal: controller.signal });
controller.abort();
show('cancelled', await pending);

chikage.close();
mock.close();
show('after close', await findhelper.jobsList());
