// Mistakes the generated declarations must catch. ctest wasm_types_typos_fail runs
// `tsc --strict --noEmit` on this file and passes only when tsc FAILS with an error on exactly
// the lines marked `// error: <text>` (the text must appear in that line's error) and on no
// other line: a typo in a method name, a parameter, a value, an option, a fault rule member, a
// service id.

import loadRestbox from 'restbox-wasm';

const restbox = await loadRestbox();
const mock = restbox.createMock();
const findhelper = restbox.createClient('findhelper', { mock });
const chikage = restbox.createClient('chikage', { mock });
const wncms = restbox.createClient('wncms', { mock });
const market = restbox.createClient('market', { mock });

await findhelper.jobsLsit(); // error: jobsLsit
await chikage.get({ slug: 'orders', recordId: 'rec_1' }); // error: recordId
await findhelper.jobsGet({ id: '123' }); // error: number
await findhelper.jobsList({ status: 'open' }); // error: "open"
await chikage.call('gett', { slug: 'orders' }); // error: "gett"
await wncms.postsStore({ title: 'no content' }); // error: content
await market.callGet({ project: 'demo-shop' }); // error: slug
mock.addFault({ action: 'latency', latency_ms: 5 }); // error: latency_ms
mock.forceStatus(503, { path_prefix: '/api' }); // error: path_prefix
restbox.createClient('chikage', { baseURL: 'http://x' }); // error: baseURL
console.log(mock.journal()[0]?.request_headers); // error: request_headers
console.log(mock.fixtures().chikage.testKey.length, chikage.methods.gett); // error: gett
restbox.createClient('chikgae', { mock }); // error: chikgae
