// Generates the per-service part of the npm package's TypeScript declarations, and the method
// table of its README, from the endpoint tables of the build: the services come from the built
// package itself (restbox.services, i.e. restbox::services::DescribeService of every registered
// service) and the method names from restbox.mjs's endpointMethods(), the function the clients
// use, so the types cannot drift from what runs.
//
//   node generate_types.mjs --npm <package dir> --template restbox.d.ts.in --out <dir>/restbox.d.ts
//                           [--readme README.md --readme-out <dir>/README.md]
//   node generate_types.mjs --npm <package dir> --check-readme wasm/npm/README.md   (exit 1 if stale)
//   node generate_types.mjs --npm <package dir> --update-readme wasm/npm/README.md  (rewrites it)
//
// The build (wasm/CMakeLists.txt) runs the first form after linking the module; ctest runs the
// second (wasm_js_readme_methods), so the table checked into the README is the generated one.

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const PLACEHOLDER = '@RESTBOX_SERVICE_TYPES@';
const KINDS_PLACEHOLDER = '@RESTBOX_ERROR_KINDS@';
const README_BEGIN = '<!-- methods:begin';
const README_END = '<!-- methods:end -->';
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const PARTS = ['path', 'query', 'headers', 'body'];

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) usage(`bad argument ${argv[i]}`);
    args[argv[i].slice(2)] = argv[i + 1];
  }
  if (!args.npm) usage('--npm is required');
  return args;
}

function usage(message) {
  console.error(`generate_types.mjs: ${message}\n` +
    'usage: node generate_types.mjs --npm DIR (--template IN --out OUT [--readme IN --readme-out OUT]' +
    ' | --check-readme README | --update-readme README)');
  process.exit(2);
}

const pascal = (name) => name.charAt(0).toUpperCase() + name.slice(1);
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propertyName = (name) => (identifier.test(name) ? name : JSON.stringify(name));
const comment = (text) => String(text).replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim();

function tsType(field) {
  if (field.type === 'string' && Array.isArray(field.enum) && field.enum.length > 0) {
    return field.enum.map((v) => JSON.stringify(v)).join(' | ');
  }
  switch (field.type) {
    case 'string': return 'string';
    case 'integer':
    case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'array': return 'unknown[]';
    case 'object': return 'Record<string, unknown>';
    default: return 'unknown';
  }
}

// Header fields are optional in the types: the client sends Authorization, X-API-Key/Secret and
// Content-Type itself (from `credentials`); a value given here overrides it.
const requiredInTypes = (field) => field.required && field.in !== 'header';

function fieldDoc(field) {
  const facts = [`${field.in}${field.required ? ', required' : ''}`];
  if (field.type === 'integer') facts.push('integer');
  if (field.format) facts.push(field.format);
  if (field.minimum !== undefined) facts.push(`min ${field.minimum}`);
  if (field.maximum !== undefined) facts.push(`max ${field.maximum}`);
  if (field.minLength !== undefined) facts.push(`min length ${field.minLength}`);
  if (field.maxLength !== undefined) facts.push(`max length ${field.maxLength}`);
  if (field.default !== undefined) facts.push(`default ${JSON.stringify(field.default)}`);
  let text = `(${facts.join(', ')})`;
  if (field.description) text += ` ${field.description}`;
  if (field.in === 'header' && field.required) text += '. Sent by the client; give it to override';
  if (field.example !== undefined && field.example !== '') text += `. Example: ${JSON.stringify(field.example)}`;
  return comment(text);
}

function statusList(endpoint) {
  const errors = [...new Set(endpoint.errors.map((e) => (e.code ? `${e.status} ${e.code}` : String(e.status))))];
  return `Success: ${endpoint.success.join(', ')}.` + (errors.length ? ` Errors: ${errors.join(', ')}.` : '');
}

// One service: a params interface per endpoint, the endpoint map, the client interface.
function serviceTypes(service, methods) {
  const S = pascal(service.id);
  const out = [];
  const byId = new Map(Object.entries(methods).map(([name, id]) => [id, name]));
  const entries = [];
  out.push(`// ---- ${service.id}: ${comment(service.title)} (auth: ${service.auth}) ----`, '');
  for (const endpoint of service.endpoints) {
    const name = byId.get(endpoint.id);
    if (!name) continue;
    const paramsType = `${S}${pascal(name)}Params`;
    const fieldNames = endpoint.fields.map((f) => f.name);
    const clashes = PARTS.filter((p) => fieldNames.includes(p));
    const base = clashes.length ? `Omit<RequestParts, ${clashes.map((c) => `'${c}'`).join(' | ')}>` : 'RequestParts';
    const freeBody = BODY_METHODS.has(endpoint.method) && !endpoint.fields.some((f) => f.in === 'body');
    // A free query (no query fields) takes other flat names at run time; the types ask for `query`
    // so that a misspelt field stays a compile error.
    const freeQuery = !BODY_METHODS.has(endpoint.method) && !endpoint.fields.some((f) => f.in === 'query');
    const hint = freeQuery && !clashes.includes('query') ? ' Query parameters the table does not list go in `query`.' : '';
    out.push(`/** ${service.id}.${endpoint.id} (${endpoint.method} ${endpoint.path}): ${comment(endpoint.summary)}.${hint} */`);
    out.push(`export interface ${paramsType} extends ${base} {`);
    for (const field of endpoint.fields) {
      out.push(`  /** ${fieldDoc(field)} */`);
      out.push(`  ${propertyName(field.name)}${requiredInTypes(field) ? '' : '?'}: ${tsType(field)};`);
    }
    if (freeBody) {
      out.push('  /** The table leaves the body free: other members go to the JSON body. */');
      out.push('  [member: string]: unknown;');
    }
    out.push('}', '');
    const required = endpoint.fields.some(requiredInTypes);
    entries.push({ endpoint, name, paramsType, required });
  }
  out.push(`/** ${service.id}: endpoint id -> params type (for call()). */`);
  out.push(`export interface ${S}Endpoints {`);
  for (const e of entries) out.push(`  ${JSON.stringify(e.endpoint.id)}: ${e.paramsType};`);
  out.push('}', '');
  out.push(`/** ${comment(service.title)}: ${comment(service.description)} */`);
  out.push(`export interface ${S}Client extends Client<${JSON.stringify(service.id)}, ${S}Endpoints> {`);
  out.push('  readonly methods: {');
  for (const e of entries) out.push(`    readonly ${e.name}: ${JSON.stringify(e.endpoint.id)};`);
  out.push('  };');
  for (const e of entries) {
    const ep = e.endpoint;
    out.push(`  /** ${ep.method} ${ep.path}: ${comment(ep.summary)}. ${statusList(ep)} (endpoint '${ep.id}') */`);
    out.push(`  ${e.name}(params${e.required ? '' : '?'}: ${e.paramsType}, options?: CallOptions): Promise<CallResult>;`);
  }
  out.push('}', '');
  return out.join('\n');
}

function declarations(services) {
  const out = [];
  out.push('// Written by wasm/tools/generate_types.mjs from the endpoint tables of this build.', '');
  out.push('/** The services of this build. */');
  out.push(`export type ServiceId = ${services.map((s) => JSON.stringify(s.spec.id)).join(' | ') || 'never'};`, '');
  out.push('/** The typed client of each service, by service id (createClient\'s result). */');
  out.push('export interface ServiceClients {');
  for (const s of services) out.push(`  ${propertyName(s.spec.id)}: ${pascal(s.spec.id)}Client;`);
  out.push('}', '');
  for (const s of services) out.push(serviceTypes(s.spec, s.methods));
  return out.join('\n');
}

function readmeTable(services) {
  const out = [];
  out.push('<!-- methods:begin (generated by wasm/tools/generate_types.mjs from the endpoint tables: ' +
    'the build writes it into the package\'s README, ctest wasm_js_readme_methods checks this copy) -->');
  for (const { spec, methods } of services) {
    out.push('', `**${spec.id}** (\`${pascal(spec.id)}Client\`, auth \`${spec.auth}\`)`, '');
    out.push('| method | endpoint id | request | required params |');
    out.push('|---|---|---|---|');
    for (const [name, id] of Object.entries(methods)) {
      const e = spec.endpoints.find((x) => x.id === id);
      const required = e.fields.filter(requiredInTypes).map((f) => `\`${f.name}\``).join(', ') || '—';
      out.push(`| \`${name}\` | \`${id}\` | \`${e.method} ${e.path}\` | ${required} |`);
    }
  }
  out.push('', README_END);
  return out.join('\n');
}

function replaceReadmeSection(text, table, file) {
  const begin = text.indexOf(README_BEGIN);
  const end = text.indexOf(README_END);
  if (begin < 0 || end < begin) {
    throw new Error(`${file}: no "${README_BEGIN} ... ${README_END}" section for the method table`);
  }
  return text.slice(0, begin) + table + text.slice(end + README_END.length);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const npm = path.resolve(args.npm);
  const api = await import(pathToFileURL(path.join(npm, 'restbox.mjs')).href);
  const restbox = await api.loadRestbox();
  const services = restbox.services.map((spec) => ({ spec, methods: api.endpointMethods(spec) }));
  for (const s of services) {
    if (Object.keys(s.methods).length !== s.spec.endpoints.length) {
      throw new Error(`${s.spec.id}: some endpoint ids give no method name`);
    }
  }
  const table = readmeTable(services);

  if (args['check-readme'] || args['update-readme']) {
    const file = args['check-readme'] || args['update-readme'];
    const text = await readFile(file, 'utf8');
    const wanted = replaceReadmeSection(text, table, file);
    if (args['update-readme']) {
      if (wanted !== text) await writeFile(file, wanted);
      console.log(`${file}: method table ${wanted === text ? 'already current' : 'updated'}`);
      return;
    }
    if (wanted !== text) {
      const have = text.split('\n');
      const want = wanted.split('\n');
      let line = 0;
      while (line < have.length && have[line] === want[line]) ++line;
      console.error(`${file}: the method table is stale (first difference at line ${line + 1}:\n` +
        `  have: ${have[line] ?? '(end)'}\n  want: ${want[line] ?? '(end)'})\n` +
        `refresh it: node wasm/tools/generate_types.mjs --npm ${args.npm} --update-readme ${file}`);
      process.exit(1);
    }
    console.log(`${file}: the method table matches the endpoint tables`);
    return;
  }

  if (!args.template || !args.out) usage('--template and --out are required');
  const template = await readFile(args.template, 'utf8');
  for (const p of [PLACEHOLDER, KINDS_PLACEHOLDER]) {
    if (template.split(p).length !== 2) throw new Error(`${args.template}: needs ${p} once`);
  }
  // error.kind: the SDK's own list (restbox.errorKinds), so a new kind cannot be missing here.
  const kinds = restbox.errorKinds.map((k) => `'${k}'`).join(' | ');
  await writeFile(args.out, template.replace(PLACEHOLDER, declarations(services))
    .replace(KINDS_PLACEHOLDER, kinds));
  if (args.readme) {
    if (!args['readme-out']) usage('--readme needs --readme-out');
    const text = await readFile(args.readme, 'utf8');
    await writeFile(args['readme-out'], replaceReadmeSection(text, table, args.readme));
  }
}

main().catch((e) => {
  console.error(`generate_types.mjs: ${e.stack || e}`);
  process.exit(1);
});
