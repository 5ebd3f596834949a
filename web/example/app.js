// The example page: the npm package without the console. Pick a service and an endpoint, send to
// the in-process mock, read the JSON result. Served from the build folder, where the package sits
// at ../../npm/ (see the README: serve build/wasm and open /web/example/).

import { loadRestbox } from '../../npm/restbox.mjs';

const $ = (id) => document.getElementById(id);
const restbox = await loadRestbox();
const mock = restbox.createMock();
const clients = new Map();  // by service id and credential

// The demo credential of a service from its fixtures (API-CONTRACT "Fixtures" roles, camelCase
// in the JS API).
function demoCredentials(service) {
  const f = mock.fixtures()[service.id] || {};
  if (service.auth === 'body_token') return { key: f.apiToken || '', secret: '' };
  if (service.auth === 'key_and_secret') return { key: f.apiKey || '', secret: f.apiSecret || '' };
  return { key: f.testKey || f.apiKey || f.consumerKey || '', secret: '' };
}

// A fixture role named like the field (fields keep their wire names, roles are camelCase).
function exampleValue(field, fixtures) {
  const role = field.name.replace(/_+([a-z0-9])/g, (_, c) => c.toUpperCase());
  if (fixtures && typeof fixtures[role] !== 'undefined' && typeof fixtures[role] !== 'object') {
    return fixtures[role];
  }
  if (typeof field.example !== 'undefined') return field.example;
  if (typeof field.default !== 'undefined') return field.default;
  return undefined;
}

// Parameters that make a plausible request: field examples (fixture values where a fixture role
// has the field's name), plus the endpoint's example body.
function exampleParams(service, endpoint) {
  const fixtures = mock.fixtures()[service.id];
  const params = {};
  for (const field of endpoint.fields) {
    if (field.in === 'header') continue;
    const value = exampleValue(field, fixtures);
    if (typeof value !== 'undefined') params[field.name] = value;
  }
  if (endpoint.exampleRequest && typeof endpoint.exampleRequest === 'object') {
    params.body = { ...endpoint.exampleRequest, ...(params.body || {}) };
  }
  return params;
}

function client(service) {
  const credentials = { key: $('key').value, secret: $('secret').value };
  const id = `${service.id}\n${credentials.key}\n${credentials.secret}`;
  if (!clients.has(id)) clients.set(id, restbox.createClient(service.id, { mock, credentials }));
  return clients.get(id);
}

const currentService = () => restbox.service($('service').value);
const currentEndpoint = () => currentService().endpoints.find((e) => e.id === $('endpoint').value);

function show(value, status) {
  $('result').textContent = JSON.stringify(value, null, 2);
  $('status').textContent = status ? status.text : '';
  $('status').className = status ? status.cls : '';
  $('now').textContent = mock.now();
}

function fillEndpoints() {
  const service = currentService();
  $('endpoint').replaceChildren(...service.endpoints.map((e) => new Option(`${e.method} ${e.path} (${e.id})`, e.id)));
  const credentials = demoCredentials(service);
  $('key').value = credentials.key;
  $('secret').value = credentials.secret;
  $('secret').disabled = service.auth !== 'key_and_secret';
  fillEndpoint();
}

function fillEndpoint() {
  const service = currentService();
  const endpoint = currentEndpoint();
  $('endpoint-summary').textContent =
    `${endpoint.summary}. Success: ${endpoint.success.join(', ')}. Documented errors: ` +
    [...new Set(endpoint.errors.map((e) => e.code ? `${e.status} ${e.code}` : e.status))].join(', ');
  $('params').value = JSON.stringify(exampleParams(service, endpoint), null, 2);
  const statuses = [...new Set(endpoint.errors.map((e) => e.status))];
  $('force').replaceChildren(new Option('(no forced status)', ''), ...statuses.map((s) => new Option(String(s), String(s))));
}

$('service').replaceChildren(...restbox.services.map((s) => new Option(`${s.id}: ${s.title}`, s.id)));
$('service').addEventListener('change', fillEndpoints);
$('endpoint').addEventListener('change', fillEndpoint);
$('reset-params').addEventListener('click', fillEndpoint);

$('send').addEventListener('click', async () => {
  let params;
  try {
    params = JSON.parse($('params').value || '{}');
  } catch (e) {
    show({ error: `the parameters are not JSON: ${e.message}` }, { text: 'invalid JSON', cls: 'fail' });
    return;
  }
  const result = await client(currentService()).call(currentEndpoint().id, params);
  show(result, result.ok ? { text: `${result.status} ok`, cls: 'ok' }
    : { text: `${result.status || ''} ${result.error.kind}`, cls: 'fail' });
});

$('apply-force').addEventListener('click', () => {
  const status = Number($('force').value);
  if (!status) return;
  const rule = mock.forceStatus(status, { service: currentService().id, endpoint: currentEndpoint().id });
  show({ forced: rule });
});
$('advance-clock').addEventListener('click', () => {
  show({ now: mock.advanceClock(Number($('advance').value || 0) * 1000) });
});
$('journal').addEventListener('click', () => show(mock.journal(20)));
$('fixtures').addEventListener('click', () => show(mock.fixtures()));
$('reset-mock').addEventListener('click', () => {
  mock.reset();
  show({ reset: true });
});

fillEndpoints();
show({ ready: true, services: restbox.services.map((s) => s.id) });
