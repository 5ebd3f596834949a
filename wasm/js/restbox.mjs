// restbox for JavaScript: the C++ SDK and the in-process mock, compiled to WebAssembly.
//
//   import { loadRestbox } from 'restbox-wasm';
//   const restbox = await loadRestbox();
//   const mock = restbox.createMock();
//   const key = mock.fixtures().chikage.testKey;
//   const client = restbox.createClient('chikage', { mock, credentials: { key } });
//   const r = await client.create({ slug: 'orders', order_id: 'A-1' });
//   if (r.ok) console.log(r.status, r.data); else console.log(r.error.kind, r.error.message);
//
// Nothing here needs .delete(): mocks and clients are plain objects holding an integer handle;
// close() releases the C++ side. See restbox.d.ts for every type.
//
// Names at this boundary (one rule, applied here in both directions):
// - every member name the JS API takes or returns is camelCase (latencyMs, pathPrefix,
//   requestHeaders, testKey, queueDelayMs); the mock's admin API spells them snake_case on the
//   wire, and Mock converts them. A snake_case name given to the JS API is refused with its
//   camelCase spelling.
// - wire names stay as the services define them: endpoint fields (record_id, page_size,
//   X-API-Key), bodies and data, the WNCMS setting names (wncms_api_posts_index), the ids inside
//   dotted setting names (endpoint.demo-shop/product-info.busyNext), the mock's raw state dump,
//   admin() and request() (raw HTTP) and the OpenAPI documents.
// - string values are not names and keep their spelling (error kinds 'not_found', fault
//   actions 'fail_first', auth schemes 'body_token').
// - header names in results are lower-case, whatever the transport (lowerCaseHeaders).

import createRestboxModule from './restbox_wasm.mjs';

const isNode = typeof process === 'object' && !!(process.versions && process.versions.node);
const LOG_LEVELS = ['debug', 'info', 'warning', 'error'];
// Names a generated endpoint method may not take (they are the client's own members).
const RESERVED = new Set(['call', 'close', 'closed', 'endpoint', 'endpoints', 'methods', 'service',
  'serviceId', 'constructor', 'then']);
// Flat call parameters that are not fields: the request's parts, given explicitly.
const PARTS = ['path', 'query', 'headers', 'body'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

const CLIENT_OPTIONS = ['mock', 'baseUrl', 'credentials', 'timeoutMs', 'clientValidation', 'userAgent',
  'retry', 'onLog', 'fetch', 'fetchCredentials', 'diagnoseFailures', 'record', 'replay'];
const CREDENTIALS = ['key', 'secret'];
const RETRY_OPTIONS = ['maxAttempts', 'initialBackoffMs', 'multiplier', 'maxBackoffMs', 'jitter',
  'maxRetryAfterMs', 'retryableStatuses', 'retryTransportErrors'];
const MOCK_OPTIONS = ['manualClock', 'start', 'seed', 'limits', 'latencyMs', 'journalCapacity'];
const CALL_OPTIONS = ['timeoutMs', 'idempotent', 'rawBody', 'signal'];
const FAULT_MEMBERS = ['id', 'action', 'status', 'latencyMs', 'times', 'service', 'endpoint', 'method',
  'pathPrefix', 'message'];
const FORCE_FILTER = ['service', 'endpoint', 'method', 'pathPrefix', 'times', 'message'];
// Setting names that are the real service's own (wire names), kept as they are.
const WIRE_SETTING_NAMES = { wncms: /^wncms_api_/ };

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
  checkMembers('load options', 'load option', options, ['wasmBinary', 'locateFile']);
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

// ---- names ----

/** 'latency_ms' -> 'latencyMs': the JS API's spelling of a snake_case name. */
function camelName(name) {
  return name.replace(/(?<=[A-Za-z0-9])_+([A-Za-z0-9])/g, (_, c) => c.toUpperCase());
}

/** 'latencyMs' -> 'latency_ms': the admin API's spelling of a camelCase name. */
function snakeName(name) {
  return name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

/** An endpoint id as a method name: 'posts.index' -> 'postsIndex', 'call_get' -> 'callGet'. */
function methodName(endpointId) {
  return endpointId.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
}

/**
 * The generated methods of a service's client, {method name: endpoint id}, in the endpoint
 * table's order. An id whose name would shadow one of the client's own members (call, close,
 * endpoint, service, ...) or an earlier method gets the suffix "Endpoint": market's 'call' is
 * callEndpoint. restbox.d.ts's per-service types are generated from this function.
 */
export function endpointMethods(spec) {
  const methods = {};
  const taken = (name) => !name || RESERVED.has(name) || name in Client.prototype ||
    Object.prototype.hasOwnProperty.call(methods, name);
  for (const endpoint of spec.endpoints) {
    let name = methodName(endpoint.id);
    if (taken(name)) name += 'Endpoint';
    if (taken(name)) continue;
    methods[name] = endpoint.id;
  }
  return methods;
}

/** Header names lower-cased (the spelling of fetch() and HTTP/2); repeated names joined by ", ". */
export function lowerCaseHeaders(headers) {
  const out = {};
  if (!headers || typeof headers !== 'object') return out;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[lower] = Object.prototype.hasOwnProperty.call(out, lower) ? `${out[lower]}, ${value}` : value;
  }
  return out;
}

// Letters and digits only, lower-case: recordId, record_id and Record-ID all squash to recordid.
function squash(name) {
  return String(name).toLowerCase().replace(/[^a-z0-9]/g, '');
}

function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; ++i) {
    const row = [i];
    for (let j = 1; j <= b.length; ++j) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}

/**
 * The candidate `name` was probably meant to be: the same letters ignoring case, '_' and '-'
 * (recordId -> record_id), else the closest by edit distance (at most 1 for names of up to 4
 * letters, 2 for longer ones); undefined when none is that close.
 */
function closestName(name, candidates) {
  const key = squash(name);
  const same = candidates.find((c) => squash(c) === key);
  if (same !== undefined) return same;
  const limit = key.length <= 4 ? 1 : 2;
  let best;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(key, squash(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

// "unknown <kind> <name> (did you mean <closest>?)" or "...; valid <kind>s: a, b, c".
function unknownName(kind, name, candidates, plural = `${kind}s`) {
  const closest = closestName(name, candidates);
  if (closest !== undefined) return `unknown ${kind} ${name} (did you mean ${closest}?)`;
  return `unknown ${kind} ${name}; valid ${plural}: ${candidates.join(', ') || '(none)'}`;
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Throws a TypeError naming the first member of `object` that is not in `known`: `what` names
// the object ("client options"), `kind` one member ("client option").
function checkMembers(what, kind, object, known) {
  if (object === undefined || object === null) return;
  if (!isPlainObject(object)) throw new TypeError(`${what} must be an object`);
  for (const name of Object.keys(object)) {
    if (!known.includes(name)) throw new TypeError(unknownName(kind, name, known));
  }
}

// A shallow copy with every key renamed.
function renameKeys(object, rename) {
  if (!isPlainObject(object)) return object;
  const out = {};
  for (const [k, v] of Object.entries(object)) out[rename(k)] = v;
  return out;
}

// A call result made in JS (the call was not sent): the same shape as the native ones.
function failure(kind, message, details = []) {
  return {
    ok: false, status: 0, headers: {}, requestId: '', attempts: [],
    error: { kind, status: 0, code: '', message, details, requestId: '', rawBody: '' },
  };
}

/** Thrown by Mock methods when the mock refuses an input (HTTP 4xx of its admin API). */
export class MockError extends Error {
  constructor(message, { status = 0, field, valid, expected } = {}) {
    super(message);
    this.name = 'MockError';
    this.status = status;
    if (field !== undefined) this.field = field;
    if (valid !== undefined) this.valid = valid;
    if (expected !== undefined) this.expected = expected;
  }
}

// Replaces whole-name occurrences of the keys of `names` (a Map wire name -> JS name) in `text`.
function renameInText(text, names) {
  let out = String(text);
  for (const [wire, js] of names) {
    if (wire === js || !wire) continue;
    const escaped = wire.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    out = out.replace(new RegExp(`(?<![\\w@/-])${escaped}(?![\\w@/-]|\\.\\w)`, 'g'), js);
  }
  return out;
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
      const result = JSON.parse(json);
      result.headers = lowerCaseHeaders(result.headers);
      pending.resolve(result);
    };
    wasm.restboxLog = (client, level, line) => {
      const sink = this._logSinks.get(client);
      if (sink) sink(LOG_LEVELS[level] || 'info', line);
    };
    /** Every service of this build with its endpoint table (plain JSON). */
    this.services = JSON.parse(wasm.services());
    /** Every value error.kind can take (the SDK's ErrorKind names). */
    this.errorKinds = JSON.parse(wasm.errorKinds());
  }

  /** The description of one service, or undefined. */
  service(id) {
    return this.services.find((s) => s.id === id);
  }

  /** A new in-process mock server with every service of this build, fixtures loaded. */
  createMock(options = {}) {
    checkMembers('mock options', 'mock option', options, MOCK_OPTIONS);
    return new Mock(this, check(this._wasm.createMock(JSON.stringify(options))));
  }

  /** A client for one service, over a mock (`mock`) or over fetch() (`baseUrl`). */
  createClient(serviceId, options = {}) {
    const spec = this.service(serviceId);
    if (!spec) {
      const closest = closestName(String(serviceId), this.services.map((s) => s.id));
      throw new Error(`this build has no service '${serviceId}'` +
        (closest !== undefined ? ` (did you mean ${closest}?)` : ''));
    }
    checkMembers('client options', 'client option', options, CLIENT_OPTIONS);
    checkMembers('credentials', 'credential', options.credentials, CREDENTIALS);
    checkMembers('retry options', 'retry option', options.retry, RETRY_OPTIONS);
    const { mock, fetch: fetchFn, onLog, replay, ...rest } = options;
    const native = { ...rest, log: typeof onLog === 'function' };
    if (replay !== undefined) {
      // A cassette as text (a .har file, cassette()) or as the parsed HAR object.
      if (typeof replay !== 'string' && !isPlainObject(replay)) {
        throw new TypeError('replay must be a HAR 1.2 document (text or object)');
      }
      if (mock) throw new Error('a client replays a cassette or sends to a mock, not both');
      native.replay = typeof replay === 'string' ? replay : JSON.stringify(replay);
    }
    if (mock) {
      if (!(mock instanceof Mock)) throw new TypeError('mock must come from createMock()');
      if (mock.closed) throw new Error('this mock was closed (mock.close()): create another one');
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
    return new Client(this, spec, handle, fetchIndex, mock || null);
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
    this._closed = false;
  }

  /** True once close() was called. */
  get closed() { return this._closed; }

  /**
   * One raw HTTP exchange with the mock, answered at once: a service route or the admin API.
   * Latency and drop faults are reported (delayMs, dropped), not applied. Header names of the
   * answer are lower-case; paths and bodies are the wire's (admin bodies in snake_case).
   */
  request({ method = 'GET', path, headers = {}, body } = {}) {
    const text = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
    const answer = check(this._restbox._wasm.mockRequest(this._handle,
      JSON.stringify({ method, path, headers, body: text })));
    answer.headers = lowerCaseHeaders(answer.headers);
    return answer;
  }

  /** An admin call (/__restbox/...), wire names as they are; throws MockError when it refuses. */
  admin(method, path, body) {
    return this._admin(method, path, body);
  }

  // `names`: Map of wire name -> JS name, for the refusal's message and members.
  _admin(method, path, body, names = new Map()) {
    const answer = this.request({ method, path: '/__restbox/' + path, body });
    if (answer.status >= 400) {
      const json = answer.json || {};
      const rename = (n) => (names.has(n) ? names.get(n) : n);
      const message = json.restbox_error || `${method} /__restbox/${path} answered ${answer.status}`;
      throw new MockError(renameInText(message, names), {
        status: answer.status,
        field: json.field === undefined ? undefined : rename(json.field),
        valid: Array.isArray(json.valid) ? json.valid.map(rename) : undefined,
        expected: json.expected,
      });
    }
    return answer.json;
  }

  /** Demo credentials and ids per service (API-CONTRACT "Fixtures"), role names in camelCase. */
  fixtures() {
    const out = {};
    for (const [service, roles] of Object.entries(this.admin('GET', 'fixtures'))) {
      out[service] = renameKeys(roles, camelName);
    }
    return out;
  }
  reset() { this.admin('POST', 'reset'); }

  _settingNames(service) {
    const wire = WIRE_SETTING_NAMES[service];
    const toJs = (key) => {
      if (wire && wire.test(key)) return key;
      const dot = key.lastIndexOf('.');
      return key.slice(0, dot + 1) + camelName(key.slice(dot + 1));
    };
    const toWire = (key) => {
      const dot = key.lastIndexOf('.');
      return key.slice(0, dot + 1) + snakeName(key.slice(dot + 1));
    };
    return { toJs, toWire };
  }

  /** The service's settings, names in camelCase (ids inside dotted names and WNCMS's own kept). */
  settings(service) {
    const { toJs } = this._settingNames(service);
    return renameKeys(this.admin('GET', 'settings/' + encodeURIComponent(service)), toJs);
  }

  /** Applies a settings patch (camelCase names, as settings() returns them); all or nothing. */
  applySettings(service, patch) {
    const path = 'settings/' + encodeURIComponent(service);
    const { toJs, toWire } = this._settingNames(service);
    if (!isPlainObject(patch)) throw new TypeError('a settings patch must be an object');
    const names = new Map();
    const wirePatch = {};
    for (const [key, value] of Object.entries(patch)) {
      const wire = toWire(key);
      if (toJs(wire) !== key) {
        throw new MockError(`setting ${key} is spelt ${toJs(wire)} in the JS API (camelCase)`,
          { field: key });
      }
      names.set(wire, key);
      wirePatch[wire] = value;
    }
    let current = {};
    try {
      current = this.admin('GET', path);
    } catch {
      // an unknown service: the POST below says so
    }
    for (const wire of Object.keys(current)) if (!names.has(wire)) names.set(wire, toJs(wire));
    return renameKeys(this._admin('POST', path, wirePatch, names), toJs);
  }

  /** The mock's state as it stores it (records in the services' wire format): not renamed. */
  state() { return this.admin('GET', 'state'); }

  /** The fault rules in force. */
  faults() { return this.admin('GET', 'faults').map((rule) => renameKeys(rule, camelName)); }

  /** Adds a fault rule ({action, status, latencyMs, times, service, endpoint, method, pathPrefix, message}). */
  addFault(rule) {
    checkMembers('a fault rule', 'fault rule member', rule, FAULT_MEMBERS);
    const names = new Map(FAULT_MEMBERS.map((m) => [snakeName(m), m]));
    return renameKeys(this._admin('POST', 'faults', renameKeys(rule, snakeName), names), camelName);
  }
  removeFault(id) { this.admin('DELETE', 'faults/' + encodeURIComponent(id)); }
  clearFaults() { this.admin('DELETE', 'faults'); }

  /** The next `times` (default 1) requests matching the filter answer `status`. */
  forceStatus(status, filter = {}) {
    checkMembers("forceStatus's filter", 'forceStatus filter member', filter, FORCE_FILTER);
    return this.addFault({ action: 'status', status, times: 1, ...filter });
  }

  /** Moves the mock's time forward (and runs what falls due: queues, expiries, retries). */
  advanceClock(ms) { return this.admin('POST', 'clock/advance', { ms }).now; }
  now() { return this.admin('GET', 'clock').now; }

  /** Received requests, newest last: {seq, time, service, endpoint, method, url, requestHeaders, requestBody, status, responseBody, fault}. */
  journal(limit) {
    const entries = this.admin('GET', 'journal' + (limit ? '?limit=' + limit : ''));
    return entries.map((entry) => {
      const out = renameKeys(entry, camelName);
      out.requestHeaders = lowerCaseHeaders(out.requestHeaders);
      return out;
    });
  }
  clearJournal() { this.admin('DELETE', 'journal'); }
  openapi(service) { return this.admin('GET', 'openapi/' + encodeURIComponent(service) + '.json'); }

  /**
   * Releases the mock. Calls under way on its clients end with error.kind 'cancelled'; later calls
   * on them resolve to error.kind 'invalid_argument'; the mock's own methods throw.
   */
  close() {
    if (this._closed) return;
    this._closed = true;
    this._restbox._wasm.closeMock(this._handle);
  }
}

export class Client {
  constructor(restbox, spec, handle, fetchIndex, mock) {
    this._restbox = restbox;
    this._handle = handle;
    this._fetchIndex = fetchIndex;
    this._mock = mock;
    this._closed = false;
    this.service = spec;
    this.serviceId = spec.id;
    this.endpoints = spec.endpoints;
    /** Generated method name -> endpoint id ('posts.index' -> postsIndex, 'call' -> callEndpoint). */
    this.methods = endpointMethods(spec);
    for (const [name, id] of Object.entries(this.methods)) {
      this[name] = (params, options) => this.call(id, params, options);
    }
  }

  /** True once close() was called on the client or on its mock. */
  get closed() { return this._closed || (this._mock !== null && this._mock.closed); }

  /** The description of one endpoint, or undefined. */
  endpoint(id) {
    return this.endpoints.find((e) => e.id === id);
  }

  /**
   * Calls an endpoint. `params` is flat: members named like the endpoint's fields go where the
   * field lives (path, query, header, body); `path`, `query`, `headers` and `body` may also be
   * given explicitly. Any other name is refused (invalid_argument, "unknown parameter x (did you
   * mean y?)"), except where the endpoint table leaves the destination free: a POST/PUT/PATCH
   * without body fields takes it into its body, another method without query fields into its
   * query, unless it is a field's name spelt differently (recordId for record_id).
   * options: {timeoutMs, idempotent, rawBody, signal}. Never rejects: failures are {ok: false}.
   */
  call(endpointId, params = {}, options = {}) {
    const problem = this._problem(endpointId, params ?? {}, options ?? {});
    if (problem) return Promise.resolve(problem);
    return this._restbox._call(this._handle, endpointId, params, options);
  }

  // The invalid_argument result for a call that must not be sent, or null.
  _problem(endpointId, params, options) {
    if (!isPlainObject(options)) return failure('invalid_argument', 'call options must be an object');
    const badOption = Object.keys(options).find((k) => !CALL_OPTIONS.includes(k));
    if (badOption !== undefined) {
      return failure('invalid_argument', unknownName('call option', badOption, CALL_OPTIONS));
    }
    const endpoint = this.endpoint(endpointId);
    if (!endpoint) {
      const ids = this.endpoints.map((e) => e.id);
      return failure('invalid_argument', unknownName(`${this.serviceId} endpoint`, String(endpointId), ids,
        'endpoints'));
    }
    if (!isPlainObject(params)) return failure('invalid_argument', 'params must be an object');
    const fields = endpoint.fields.map((f) => f.name);
    const partsHere = PARTS.filter((p) => !fields.includes(p));
    const where = BODY_METHODS.has(endpoint.method) ? 'body' : 'query';
    const free = !endpoint.fields.some((f) => f.in === where);
    const details = [];
    for (const name of Object.keys(params)) {
      if (fields.includes(name) || partsHere.includes(name)) continue;
      const closest = closestName(name, fields);
      const respelt = closest !== undefined && squash(closest) === squash(name);
      if (free && !respelt) continue;
      details.push({
        field: name,
        message: closest !== undefined ? `unknown parameter ${name} (did you mean ${closest}?)`
          : `unknown parameter ${name}; ${this.serviceId}.${endpoint.id} takes ` +
            `${[...fields, ...partsHere].join(', ')}`,
      });
    }
    if (details.length === 0) return null;
    return failure('invalid_argument', details.map((d) => d.message).join('; '), details);
  }

  /**
   * What a client created with {record: true} has recorded: a HAR 1.2 document as text, secrets
   * redacted at capture (save it as a .har file; createClient(id, {replay}) answers from it).
   */
  cassette() {
    if (this._closed) throw new Error('this client was closed');
    return check(this._restbox._wasm.clientCassette(this._handle));
  }

  /** A {replay} client: the indexes of the recordings no call has been answered with yet. */
  unusedRecordings() {
    if (this._closed) throw new Error('this client was closed');
    return check(this._restbox._wasm.clientUnusedRecordings(this._handle));
  }

  close() {
    if (this._closed) return;
    this._closed = true;
    this._restbox._wasm.closeClient(this._handle);
    this._restbox._logSinks.delete(this._handle);
    if (this._fetchIndex) this._restbox._fetchFunctions[this._fetchIndex] = null;
  }
}

export default loadRestbox;
