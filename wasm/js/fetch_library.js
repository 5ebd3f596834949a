// The JavaScript half of restbox::wasm::FetchTransport (linked with --js-library).
//
// C++ starts a request with restbox_fetch_start(id, ...); this code runs fetch() and reports back
// through the exported C functions restbox_fetch_complete / restbox_fetch_fail, with buffers
// allocated by restbox_fetch_alloc (C++ frees them). No ASYNCIFY: the browser event loop keeps
// running, and C++ continues in the completion callback. Timeouts and cancellations are decided in
// C++ (timers on the Scheduler), which calls restbox_fetch_abort(id) to stop the request.
//
// Failure kinds reported to C++: 1 = connection (network failure, CORS), 2 = protocol (anything
// else thrown by fetch or while reading the body, and a redirect the browser hid), 3 = invalid
// argument (no fetch() in this environment, a header value fetch() refuses).
//
// Redirects are never followed (redirect: "manual"), as with the native transport: following one
// would send the request's credentials (Authorization, X-API-Key/X-API-Secret, and on 307/308 a
// body holding wncms's api_token) to whatever URL the server names. Where fetch() shows the 3xx
// (node), it is a response like any other status, Location included; a browser hides it (an
// "opaqueredirect" answer: no status, no headers), so there it is a protocol error that says so.

mergeInto(LibraryManager.library, {
  $RestboxFetch: {
    controllers: {},
    // Request headers a browser sets itself or refuses (fetch() throws or drops them silently).
    // User-Agent is dropped too: browsers ignore it, and it would need a CORS preflight allowance.
    forbidden: ['accept-charset', 'accept-encoding', 'access-control-request-headers',
      'access-control-request-method', 'connection', 'content-length', 'cookie', 'cookie2',
      'date', 'dnt', 'expect', 'host', 'keep-alive', 'origin', 'referer', 'te', 'trailer',
      'transfer-encoding', 'upgrade', 'via', 'user-agent'],
    // Headers a page may send cross-origin without a preflight. Content-Type is safelisted only
    // for form and text/plain values, so a JSON body always needs it allowed.
    safelisted: ['accept', 'accept-language', 'content-language'],

    fetchFunction: function(index) {
      if (index > 0) {
        var table = Module['restboxFetchFunctions'];
        return table && table[index];
      }
      return typeof fetch == 'function' ? fetch : undefined;
    },

    pageOrigin: function() {
      return (typeof location == 'object' && location && location.origin &&
              location.origin != 'null') ? location.origin : '';
    },

    toWasm: function(bytes) {
      var ptr = _restbox_fetch_alloc(bytes.length);
      HEAPU8.set(bytes, ptr);  // after the allocation: memory growth replaces HEAPU8
      return ptr;
    },

    fail: function(id, kind, message) {
      var bytes = new TextEncoder().encode(String(message));
      _restbox_fetch_fail(id, kind, RestboxFetch.toWasm(bytes), bytes.length);
    },

    describeError: function(e) {
      var text = (e && e.message) ? e.message : String(e);
      // Node's fetch (undici) says only "fetch failed"; the cause has the socket error.
      var cause = e && e.cause;
      if (cause) text += ' (' + (cause.code ? cause.code + ': ' : '') + (cause.message || cause) + ')';
      return text;
    },

    // Why did fetch() throw a network error? Browsers hide the reason (CORS failures and
    // unreachable servers both give "TypeError: Failed to fetch"), so probe the URL:
    //  1. mode "no-cors" GET: fails only when the server cannot be reached at all;
    //  2. a plain CORS GET without custom headers (no preflight): succeeds only when the server
    //     sends Access-Control-Allow-Origin for this page, so the failure was the preflight.
    // Returns the explanation (a promise of a string). Probes are GETs to the request's URL.
    diagnose: function(fetchFn, url, method, headerNames, error) {
      var detail = RestboxFetch.describeError(error);
      var pageOrigin = RestboxFetch.pageOrigin();
      var target;
      try {
        target = new URL(url, (typeof location == 'object' && location && location.href) || undefined);
      } catch (e) {
        return Promise.resolve('invalid URL ' + url + ': ' + detail);
      }
      var unreachable = 'could not reach ' + target.origin +
        ' (server down, DNS failure, connection refused, or blocked by the browser or an extension): ' + detail;
      if (!pageOrigin || target.origin == pageOrigin) return Promise.resolve(unreachable);
      if (typeof location == 'object' && location.protocol == 'https:' && target.protocol == 'http:') {
        return Promise.resolve('blocked as mixed content: this https page (' + pageOrigin +
          ') may not call ' + target.origin + ' over plain http; use https or serve the page over http');
      }
      var probe = { method: 'GET', credentials: 'omit', cache: 'no-store', redirect: 'follow' };
      var noCors = Object.assign({ mode: 'no-cors' }, probe);
      return fetchFn(url, noCors).then(function() {
        return fetchFn(url, Object.assign({ mode: 'cors' }, probe)).then(function() {
          var needed = headerNames.filter(function(n) { return RestboxFetch.safelisted.indexOf(n) < 0; });
          var allow = [];
          // GET, HEAD and POST never need Access-Control-Allow-Methods.
          if (['GET', 'HEAD', 'POST'].indexOf(method) < 0) allow.push('the method ' + method + ' (Access-Control-Allow-Methods)');
          if (needed.length) allow.push('the request headers ' + needed.join(', ') + ' (Access-Control-Allow-Headers)');
          return 'CORS preflight refused by ' + target.origin + ' for origin ' + pageOrigin +
            ': its OPTIONS answer must allow ' + allow.join(' and ') +
            ', with Access-Control-Allow-Origin: ' + pageOrigin;
        }, function() {
          return 'CORS: ' + target.origin + ' answered but did not send Access-Control-Allow-Origin for origin ' +
            pageOrigin + ' (the server must add "Access-Control-Allow-Origin: ' + pageOrigin +
            '" or "*" to its answers, and answer preflight OPTIONS requests)';
        });
      }, function() {
        return unreachable;
      });
    },
  },

  restbox_fetch_start__deps: ['$RestboxFetch'],
  restbox_fetch_start: function(id, fnIndex, methodPtr, urlPtr, headersPtr, bodyPtr, bodyLen,
                                credentialsPtr, diagnose) {
    var method = UTF8ToString(methodPtr);
    var url = UTF8ToString(urlPtr);
    var fetchFn = RestboxFetch.fetchFunction(fnIndex);
    if (!fetchFn) {
      RestboxFetch.fail(id, 3, fnIndex > 0 ? 'the custom fetch function ' + fnIndex + ' is not registered'
        : 'this environment has no fetch() (node started with --no-experimental-fetch? pass a fetch option)');
      return;
    }
    var headers = new Headers();
    var names = [];
    try {
      UTF8ToString(headersPtr).split('\r\n').forEach(function(line) {
        var colon = line.indexOf(':');
        if (colon <= 0) return;
        var name = line.substring(0, colon).trim();
        var lower = name.toLowerCase();
        if (RestboxFetch.forbidden.indexOf(lower) >= 0 || lower.indexOf('proxy-') == 0 ||
            lower.indexOf('sec-') == 0) return;
        headers.append(name, line.substring(colon + 1).trim());
        names.push(lower);
      });
    } catch (e) {
      RestboxFetch.fail(id, 3, 'invalid request header: ' + RestboxFetch.describeError(e));
      return;
    }
    var controller = new AbortController();
    RestboxFetch.controllers[id] = controller;
    var init = { method: method, headers: headers, signal: controller.signal,
                 credentials: UTF8ToString(credentialsPtr), redirect: 'manual' };
    if (bodyLen > 0) init.body = HEAPU8.slice(bodyPtr, bodyPtr + bodyLen);
    var finished = function() { delete RestboxFetch.controllers[id]; };
    var response;
    var started;
    var hiddenRedirect = false;
    try {
      started = fetchFn(url, init);
    } catch (e) {
      started = Promise.reject(e);
    }
    Promise.resolve(started).then(function(r) {
      response = r;
      // A browser answers a manual redirect with an opaque response: nothing of it is readable.
      if (r && r.type == 'opaqueredirect') {
        hiddenRedirect = true;
        return new ArrayBuffer(0);
      }
      return r.arrayBuffer();
    }).then(function(buffer) {
      if (controller.signal.aborted) return finished();
      finished();
      if (hiddenRedirect) {
        RestboxFetch.fail(id, 2, method + ' ' + url + ' answered with a redirect, which restbox does not follow ' +
          '(it would send this request\'s credentials to the URL the server names); the browser hides its ' +
          'status and Location: call the final URL directly');
        return;
      }
      var lines = [];
      response.headers.forEach(function(value, name) { lines.push(name + ': ' + value); });
      var head = new TextEncoder().encode(lines.join('\r\n'));
      var body = new Uint8Array(buffer);
      _restbox_fetch_complete(id, response.status, RestboxFetch.toWasm(head), head.length,
                              RestboxFetch.toWasm(body), body.length);
    }, function(e) {
      if (controller.signal.aborted) return finished();  // C++ already completed the call
      finished();
      if (response || !(e instanceof TypeError)) {
        RestboxFetch.fail(id, 2, (response ? 'reading the response failed: ' : '') + RestboxFetch.describeError(e));
        return;
      }
      if (!diagnose) {
        RestboxFetch.fail(id, 1, RestboxFetch.describeError(e));
        return;
      }
      RestboxFetch.diagnose(fetchFn, url, method, names, e).then(function(message) {
        RestboxFetch.fail(id, 1, message);
      });
    });
  },

  restbox_fetch_abort__deps: ['$RestboxFetch'],
  restbox_fetch_abort: function(id) {
    var controller = RestboxFetch.controllers[id];
    if (!controller) return;
    delete RestboxFetch.controllers[id];
    controller.abort();
  },
});
