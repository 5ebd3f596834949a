#pragma once
// Test-only actions on a Console that automated tests (the Playwright suite, the browser frame
// benchmark, null-host tests) cannot do quickly by clicking. Every ordinary interaction is done
// through the UI; these exist only to set up a scenario. The browser host exposes them as
// `Module.restboxConsoleCommand(json)`; nothing in the UI calls them.
//
// Commands ({"cmd": name, ...}); each answers {"ok": true, ...} or {"ok": false, "error": "..."}:
//   {"cmd":"showTab","tab":"history|environments|mock|contract"}  switch the right-hand tab
//   {"cmd":"select","service":"chikage","endpoint":"get"}  pick an endpoint (as the explorer does)
//   {"cmd":"target","environment":1 | "Local HTTP mock"}  per-request target of the draft
//   {"cmd":"setParams","params":{...}}  replace the draft's parameters
//   {"cmd":"send"}  send the draft -> {"id": N}
//   {"cmd":"fixtures"}  the in-process mock's fixtures
//   {"cmd":"environments"}  names, targets and base URLs
//   {"cmd":"resetMock"}  the in-process mock back to its fixtures (MockServer::Reset)
//   {"cmd":"endpoints"}  every endpoint of the catalogue with its success statuses
//   {"cmd":"largeResponse"[,"posts":100,"content_bytes":100000]}  the ~10 MB response scenario
//       (demo_data.hpp): fills the in-process mock, sends -> {"id"}
//   {"cmd":"probeText"}  the next frame is drawn with probe glyphs (text_probe.hpp) and not shown;
//       the state's "cut_text" then lists every text cut horizontally in that frame

#include "console.hpp"
#include "restbox/core/json_codec.hpp"

namespace restbox::console {

core::Json RunTestCommand(Console& console, const core::Json& command);

}  // namespace restbox::console
