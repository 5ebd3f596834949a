// restbox for JavaScript: the C++ SDK and the in-process mock, compiled to WebAssembly.
//
//   import { loadRestbox } from 'restbox-wasm';
//   const restbox = await loadRestbox();
//   const mock = restbox.createMock();
//   const key = mock.fixtures().chikage.test_key;
//   const client = restbox.createClient('chikage', { mock, credentials: { key } });
//   const r = await client.create({ slug: 'orders', order_id: 'A-1' });
//   if (r.ok) console.log(r.status, r.data); else console.log(r.error.kind, r.error.message);
//
// Nothing here needs .delete(): mocks and clients are plain objects holding an integer handle;
// close() releases the C++ side (calls under way still complete). See restbox.d.ts for every type.

import createRestboxModule from './restbox_wasm.mjs';

const isNode = typeof process === 'object' && !!(process.versions && process.versions.node);
const LOG_LEVELS = ['debug', 'info', 'warning', 'error'];
// Names a generated endpoint method may not take (they are the client's own members).
const RESERVED = new Set(['call', 'close', 'closed', 'endpoint', 'endpoints', 'methods', 'service',
  'serviceId', 'constructor', 'then']);

let loading = null;

/** Loads and instantiates the WebAssembly module once; later calls return the same instance. */
export function loadRestbox(options = {}) {
  if (!loading) {
    loading = instantiate(options).catch((e) => {
      loading = null;
      throw e;
    });
  }
  return loading;
}

async function instantiate(options) {
  const moduleArgs = {};
  if (options.wasmBinary) {
    moduleArgs.wasmBinary = options.wasmBinary;
  } else if (options.locateFile) {
    moduleArgs.locateFile = options.locateFile;
  } else if (isNode) {
    // The module is built for browsers (no node-specific loader); node reads the file here.
    const fsName = 'node:fs/promises';
    const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ fsName);
    moduleArgs.wasmBinary = await readFile(new URL('./restbox_wasm.wasm', import.meta.url));
  }
  const wasm = await createRestboxModule(moduleArgs);
  return new Restbox(wasm);
}

function check(replyText) {
  const reply = JSON.parse(replyText);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

function camelCase(id) {
  return id.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
}

export class Restbox {
  constructor(wasm) {
    this._wasm = wasm;
    this._pending = new Map();
    this._nextCall = 1;
    this._logSinks = new Map();
    this._fetchFunctions = [null];
    wasm.restboxFetchFunctions = this._fetchFunctions;
    wasm.restboxCallDone = (id, json) => {
      const pending = this._pending.get(id);
      if (!pending) return;
      this._pending.delete(id);
      pending.cleanup();
      pending.resolve(JSON.parse(json));
    };
    wasm.restboxLog = (client, level, line) => {
      const sink = this._logSinks.get(client);
      if (sink) sink(LOG_LEVELS[level] || 'info', line);
    };
    /** Every service of this build with its endpoint table (plain JSON). */
    this.services = JSON.parse(wasm.services());
  }

  /** The description of one service, or undefined. */
  service(id) {
    return this.services.find((s) => s.id === id);
  }

  /** A new in-process mock server with every service of this build, fixtures loaded. */
  createMock(options = {}) {
    return new Mock(this, check(this._wasm.createMock(JSON.stringify(options))));
  }

  /** A client for one service, over a mock (`mock`) or over fetch() (`baseUrl`). */
  createClient(serviceId, options = {}) {
    const spec = this.service(serviceId);
    if (!spec) throw new Error(`this build has no service '${serviceId}'`);
    const { mock, fetch: fetchFn, onLog, ...rest } = options;
    const native = { ...rest, log: typeof onLog === 'function' };
    if (mock) {
      if (!(mock instanceof Mock)) throw new TypeError('mock must come from createMock()');
      native.mock = mock._handle;
    }
    let fetchIndex = 0;
    if (fetchFn) {
      if (typeof fetchFn !== 'function') throw new TypeError('fetch must be a function');
      fetchIndex = this._fetchFunctions.length;
      this._fetchFunctions.push(fetchFn);
      native.fetchFunction = fetchIndex;
    }
    const handle = check(this._wasm.createClient(serviceId, JSON.stringify(native)));
    if (onLog) this._logSinks.set(handle, onLog);
    return new Client(this, spec, handle, fetchIndex);
  }

  _call(handle, endpointId, params, options) {
    const { signal, ...rest } = options || {};
    const id = this._nextCall++;
    return new Promise((resolve) => {
      let onAbort = null;
      const cleanup = () => {
        if (onAbort) signal.removeEventListener('abort', onAbort);
      };
      this._pending.set(id, { resolve, cleanup });
      if (signal) {
        onAbort = () => this._wasm.cancelCall(id);
        signal.addEventListener('abort', onAbort, { once: true });
      }
      this._wasm.startCall(handle, id, String(endpointId), JSON.stringify(params ?? {}),
        JSON.stringify(rest));
      // Cancelling before the call started is the same as cancelling it now.
      if (signal && signal.aborted && this._pending.has(id)) this._wasm.cancelCall(id);
    });
  }
}

export class Mock {
  constructor(restbox, handle) {
    this._restbox = restbox;
    this._handle = handle;
  }

  /**
   * One raw HTTP exchange with the mock, answered at once: a service route or the admin API.
   * Latency and drop faults are reported (delayMs, dropped), not applied.
   */
  request({ method = 'GET', path, headers = {}, body } = {}) {
    const text = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
    return check(this._restbox._wasm.mockRequest(this._handle,
      JSON.stringify({ method, path, headers, body: text })));
  }

  /** An admin call (/__restbox/...); throws with the mock's message when it refuses. */
  admin(method, path, body) {
    const answer = this.request({ method, path: '/__restbox/' + path, body });
    if (answer.status >= 400) {
      const message = answer.json && answer.json.restbox_error;
      throw new Error(message || `${method} /__restbox/${path} answered ${answer.status}`);
    }
    return answer.json;
  }

  fixtures() { return this.admin('GET', 'fixtures'); }
  reset() { this.admin('POST', 'reset'); }
  settings(service) { return this.admin('GET', 'settings/' + encodeURIComponent(service)); }
  applySettings(service, patch) {
    return this.admin('POST', 'settings/' + encodeURIComponent(service), patch);
  }
  state() { return this.admin('GET', 'state'); }
  faults() { return this.admin('GET', 'faults'); }
  /** Adds a fault rule ({action, status, latency_ms, times, service, endpoint, method, path_prefix}). */
  addFault(rule) { return this.admin('POST', 'faults', rule); }
  removeFault(id) { this.admin('DELETE', 'faults/' + encodeURIComponent(id)); }
  clearFaults() { this.admin('DELETE', 'faults'); }
  /** The next `times` (default 1) requests matching the filter answer `status`. */
  forceStatus(status, { service, endpoint, method, pathPrefix, times = 1 } = {}) {
    const rule = { action: 'status', status, times };
    if (service) rule.service = service;
    if (endpoint) rule.endpoint = endpoint;
    if (method) rule.method = method;
    if (pathPrefix) rule.path_prefix = pathPrefix;
    return this.addFault(rule);
  }
  /** Moves the mock's time forward (and runs what falls due: queues, expiries, retries). */
  advanceClock(ms) { return this.admin('POST', 'clock/advance', { ms }).now; }
  now() { return this.admin('GET', 'clock').now; }
  journal(limit) { return this.admin('GET', 'journal' + (limit ? '?limit=' + limit : '')); }
  clearJournal() { this.admin('DELETE', 'journal'); }
  openapi(service) { return this.admin('GET', 'openapi/' + encodeURIComponent(service) + '.json'); }

  close() {
    this._restbox._wasm.closeMock(this._handle);
  }
}

export class Client {
  constructor(restbox, spec, handle, fetchIndex) {
    this._restbox = restbox;
    this._handle = handle;
    this._fetchIndex = fetchIndex;
    this.service = spec;
    this.serviceId = spec.id;
    this.endpoints = spec.endpoints;
    /** Generated method name -> endpoint id ('posts.index' -> postsIndex, 'call' -> callEndpoint). */
    this.methods = {};
    const free = (name) => name && !RESERVED.has(name) && !(name in this);
    for (const endpoint of spec.endpoints) {
      // An id that names one of the client's own members gets a suffix: market's 'call' is
      // callEndpoint().
      let name = camelCase(endpoint.id);
      if (!free(name)) name += 'Endpoint';
      if (!free(name)) continue;
      this.methods[name] = endpoint.id;
      this[name] = (params, options) => this.call(endpoint.id, params, options);
    }
  }

  /** The description of one endpoint, or undefined. */
  endpoint(id) {
    return this.endpoints.find((e) => e.id === id);
  }

  /**
   * Calls an endpoint. `params` is flat: members named like the endpoint's fields go where the
   * field lives (path, query, header, body); `path`, `query`, `headers` and `body` may also be
   * given explicitly; other members go to the body (POST/PUT/PATCH) or the query (others).
   * options: {timeoutMs, idempotent, rawBody, signal}. Never rejects: failures are {ok: false}.
   */
  call(endpointId, params = {}, options = {}) {
    return this._restbox._call(this._handle, endpointId, params, options);
  }

  close() {
    this._restbox._wasm.closeClient(this._handle);
    this._restbox._logSinks.delete(this._handle);
    if (this._fetchIndex) this._restbox._fetchFunctions[this._fetchIndex] = null;
  }
}

export default loadRestbox;
