// Type declarations for restbox-wasm (restbox.mjs).

/** Where a field of an endpoint lives in the HTTP request. */
export type FieldIn = 'path' | 'query' | 'header' | 'body';
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'any';
export type AuthScheme = 'bearer' | 'body_token' | 'key_and_secret';

export interface FieldSpec {
  name: string;
  in: FieldIn;
  type: FieldType;
  required: boolean;
  description: string;
  minimum?: number;
  maximum?: number;
  /** Strings: Unicode code points; arrays: items. */
  minLength?: number;
  maxLength?: number;
  enum?: string[];
  default?: unknown;
  example?: unknown;
  format?: string;
}

export interface StatusSpec {
  status: number;
  /** The service's own code ("NOT_FOUND", "1003") or "". */
  code: string;
  /** What causes this answer. */
  trigger: string;
}

export interface EndpointSpec {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
  /** Path template relative to the base URL: "/api/v1/data/{slug}". */
  path: string;
  summary: string;
  /** Documented success statuses. */
  success: number[];
  /** Every documented error of the endpoint. */
  errors: StatusSpec[];
  fields: FieldSpec[];
  /** Safe to retry (retries of non-idempotent calls only happen when the service says "busy"). */
  idempotent: boolean;
  exampleRequest?: unknown;
  exampleResponse?: unknown;
}

export interface ServiceSpec {
  id: string;
  title: string;
  description: string;
  auth: AuthScheme;
  /** The real service's base URL. */
  defaultBaseUrl: string;
  endpoints: EndpointSpec[];
}

export type ErrorKind =
  | 'connection' | 'timeout' | 'cancelled' | 'protocol'
  | 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'method_not_allowed'
  | 'payload_too_large' | 'unsupported_media_type' | 'unprocessable' | 'rate_limited'
  | 'server_error' | 'http_other' | 'service'
  | 'decode' | 'client_validation' | 'client_rate_limited' | 'invalid_argument';

export interface Attempt {
  number: number;
  /** 0 when the transport failed. */
  status: number;
  elapsedMs: number;
  /** Set when the transport failed ('connection', 'timeout', 'cancelled', 'protocol'). */
  transportError?: ErrorKind;
  /** Why the retry policy did (not) try again. */
  note: string;
  /** Backoff before the next attempt. */
  delayMs: number;
}

export interface CallError {
  kind: ErrorKind;
  /** HTTP status, 0 when no answer was received. */
  status: number;
  /** The service's own code ("NOT_FOUND", "1003", "422"...) or "". */
  code: string;
  /** Human readable; credentials are masked. */
  message: string;
  details: { field: string; message: string }[];
  /** Seconds, when the server said (Retry-After). */
  retryAfter?: number;
  requestId: string;
  /** The response body as received (credentials masked). */
  rawBody: string;
}

interface CallResultBase {
  /** HTTP status of the last answer, 0 when none was received. */
  status: number;
  /** Response headers (names as received; in a browser only the CORS-exposed ones). */
  headers: Record<string, string>;
  requestId: string;
  attempts: Attempt[];
}
export interface CallSuccess<T = any> extends CallResultBase {
  ok: true;
  /** The response data, as the service's typed client would see it, as plain JSON. */
  data: T;
}
export interface CallFailure extends CallResultBase {
  ok: false;
  error: CallError;
}
export type CallResult<T = any> = CallSuccess<T> | CallFailure;

export interface CallOptions {
  /** Per-attempt timeout (default: the client's timeoutMs). */
  timeoutMs?: number;
  /** Overrides the endpoint table's idempotency (retry a POST you know is safe). */
  idempotent?: boolean;
  /** Send this text as the body instead of JSON (e.g. invalid JSON); not validated client-side. */
  rawBody?: string;
  /** Cancels the call: it completes with error.kind 'cancelled'. */
  signal?: AbortSignal;
}

/**
 * Flat parameters: members named like the endpoint's fields go where the field lives; `path`,
 * `query`, `headers` (objects) and `body` (any JSON) can be given explicitly; other members go
 * to the body of POST/PUT/PATCH calls and to the query of the others.
 */
export type CallParams = Record<string, unknown> & {
  path?: Record<string, string | number>;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  body?: unknown;
};

export interface RetryOptions {
  /** Total tries including the first; 1 disables retries. Default 4. */
  maxAttempts?: number;
  /** Default 250. */
  initialBackoffMs?: number;
  /** Default 2. */
  multiplier?: number;
  /** Default 10000. */
  maxBackoffMs?: number;
  /** Random spread of each backoff, 0..1. Default 0.2. */
  jitter?: number;
  /** A longer Retry-After is not waited for. Default 60000. */
  maxRetryAfterMs?: number;
  /** Default [408, 429, 500, 502, 503, 504]. */
  retryableStatuses?: number[];
  /** Retry connection failures and timeouts. Default true. */
  retryTransportErrors?: boolean;
}

export interface ClientOptions {
  /** Send to this in-process mock (no network). */
  mock?: Mock;
  /** Send with fetch() to this base URL (required without `mock`; with a mock it only names the host in logs, default "http://mock"). */
  baseUrl?: string;
  /**
   * key: the Bearer key (bearer services), the api_token (body_token services) or X-API-Key
   * (key_and_secret services); secret: X-API-Secret. Omitted: no credential is sent.
   */
  credentials?: { key?: string; secret?: string };
  /** Per-attempt timeout. Default 30000. */
  timeoutMs?: number;
  /** Check fields against the endpoint table before sending. Default true. */
  clientValidation?: boolean;
  /** Default "restbox-cpp/0.1" (browsers do not send it). */
  userAgent?: string;
  retry?: RetryOptions;
  /** Receives masked log lines of every attempt. */
  onLog?: (level: 'debug' | 'info' | 'warning' | 'error', line: string) => void;
  /** fetch() implementation for `baseUrl` clients. Default: globalThis.fetch. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** fetch()'s credentials mode. Default 'same-origin'. */
  fetchCredentials?: 'omit' | 'same-origin' | 'include';
  /** Explain network failures (CORS, unreachable) with up to two probe GETs. Default true. */
  diagnoseFailures?: boolean;
}

export interface MockOptions {
  /** Time stands still until advanceClock(); retries and latency wait on it too. Default false. */
  manualClock?: boolean;
  /** Start of the manual clock (ISO 8601). Default 2026-01-01T00:00:00Z. */
  start?: string;
  seed?: number;
  /** Rate limits and quotas. Default true. */
  limits?: boolean;
  /** Latency added to every answer (async calls only). Default 0. */
  latencyMs?: number;
  journalCapacity?: number;
}

export interface FaultRule {
  id?: number;
  action: 'status' | 'latency' | 'fail_first' | 'drop';
  status?: number;
  latency_ms?: number;
  /** How many more requests it applies to; -1 = unlimited. */
  times?: number;
  service?: string;
  endpoint?: string;
  method?: string;
  path_prefix?: string;
}

export interface MockAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed, when it is JSON. */
  json?: any;
  /** A drop fault matched (a real transport would see a closed connection). */
  dropped: boolean;
  /** Latency a fault or the mock's setting would add. */
  delayMs: number;
}

export class Mock {
  /** One raw HTTP exchange with the mock, answered at once (service routes or /__restbox/...). */
  request(request: { method?: string; path: string; headers?: Record<string, string>; body?: unknown }): MockAnswer;
  /** An admin call under /__restbox/; throws Error with the mock's message on 4xx. */
  admin(method: string, path: string, body?: unknown): any;
  /** Demo credentials and ids per service (API-CONTRACT "Fixtures"). */
  fixtures(): Record<string, any>;
  /** Restores fixtures, settings, limits, faults, journal and clock offset. */
  reset(): void;
  settings(service: string): Record<string, unknown>;
  applySettings(service: string, patch: Record<string, unknown>): Record<string, unknown>;
  state(): Record<string, unknown>;
  faults(): FaultRule[];
  addFault(rule: FaultRule): FaultRule;
  removeFault(id: number): void;
  clearFaults(): void;
  /** The next `times` (default 1) matching requests answer `status` with the service's error body. */
  forceStatus(status: number, filter?: { service?: string; endpoint?: string; method?: string; pathPrefix?: string; times?: number }): FaultRule;
  /** Moves the mock's time forward and runs what falls due; returns the new time (ISO 8601). */
  advanceClock(ms: number): string;
  now(): string;
  /** Received requests, newest last (credentials masked). */
  journal(limit?: number): any[];
  clearJournal(): void;
  /** The OpenAPI 3.0.3 document of one service. */
  openapi(service: string): any;
  /** Releases the mock; clients over it fail with 'invalid_argument' afterwards. */
  close(): void;
}

export class Client {
  readonly service: ServiceSpec;
  readonly serviceId: string;
  readonly endpoints: EndpointSpec[];
  /**
   * Generated method name -> endpoint id, e.g. { postsIndex: 'posts.index' }. An id that would
   * shadow a member of the client gets the suffix "Endpoint" (market's 'call' -> callEndpoint).
   */
  readonly methods: Record<string, string>;
  endpoint(id: string): EndpointSpec | undefined;
  /** Calls an endpoint. Never rejects: failures resolve to {ok: false, error}. */
  call<T = any>(endpointId: string, params?: CallParams, options?: CallOptions): Promise<CallResult<T>>;
  /** Releases the client; calls under way still complete. */
  close(): void;
  /** One generated method per endpoint (see `methods`). */
  [method: string]: any;
}

export class Restbox {
  readonly services: ServiceSpec[];
  service(id: string): ServiceSpec | undefined;
  createMock(options?: MockOptions): Mock;
  /** Throws for an unknown service or a client with neither `mock` nor `baseUrl`. */
  createClient(serviceId: string, options?: ClientOptions): Client;
}

export interface LoadOptions {
  /** The .wasm bytes (skips fetching/reading the file). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where the .wasm is served, when not next to restbox.mjs. */
  locateFile?: (path: string, prefix: string) => string;
}

/** Loads the WebAssembly module once and returns the API. */
export function loadRestbox(options?: LoadOptions): Promise<Restbox>;
export default loadRestbox;
