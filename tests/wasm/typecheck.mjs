// Type-checks TypeScript files against the npm package's generated declarations:
//   node typecheck.mjs --tsc TSC --npm DIR --work DIR [--expect-marked-errors] FILE.ts
// Writes WORK/tsconfig.json ('restbox-wasm' resolves to DIR/restbox.d.ts) and runs
// `tsc -p WORK/tsconfig.json --strict --noEmit --pretty false`.
// - By default the file must compile: exit 0 when tsc does.
// - With --expect-marked-errors the file must NOT compile, and the errors must be exactly on its
//   lines marked `// error: <text>`, each error message of such a line containing <text>; exit 0
//   then, 1 otherwise (an unmarked error, a marked line that compiled, a config error).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = { expect: false, files: [] };
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i];
  if (a === '--expect-marked-errors') args.expect = true;
  else if (a === '--tsc' || a === '--npm' || a === '--work') args[a.slice(2)] = process.argv[++i];
  else args.files.push(path.resolve(a));
}
if (!args.tsc || !args.npm || !args.work || args.files.length !== 1) {
  console.error('usage: node typecheck.mjs --tsc TSC --npm DIR --work DIR [--expect-marked-errors] FILE.ts');
  process.exit(2);
}
if (!existsSync(args.tsc)) {
  console.error(`no TypeScript compiler at ${args.tsc}: run scripts/setup.sh (it installs tests/wasm's npm tooling)`);
  process.exit(1);
}
const declarations = path.join(path.resolve(args.npm), 'restbox.d.ts');
if (!existsSync(declarations)) {
  console.error(`no ${declarations}: build the npm package first (cmake --build --preset wasm --target restbox_npm)`);
  process.exit(1);
}
const [file] = args.files;
mkdirSync(args.work, { recursive: true });
const config = path.join(args.work, `tsconfig.${path.basename(file, '.ts')}.json`);
writeFileSync(config, JSON.stringify({
  compilerOptions: {
    strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler',
    lib: ['es2022', 'dom'], types: [], skipLibCheck: false,
    paths: { 'restbox-wasm': [declarations] },
  },
  files: [file],
}, null, 2));

const run = spawnSync(args.tsc, ['-p', config, '--strict', '--noEmit', '--pretty', 'false'], { encoding: 'utf8' });
const output = `${run.stdout || ''}${run.stderr || ''}`;
if (run.error) {
  console.error(`could not run ${args.tsc}: ${run.error.message}`);
  process.exit(1);
}
if (!args.expect) {
  process.stdout.write(output);
  console.log(run.status === 0 ? `${path.basename(file)}: compiles (tsc --strict)` : `${path.basename(file)}: tsc failed`);
  process.exit(run.status === 0 ? 0 : 1);
}

// Errors by line of the checked file: "path(line,col): error TSxxxx: message".
// Indented lines after an error continue its message (overloads, elaborations).
const errors = new Map();
const others = [];
let last = null;
for (const line of output.split('\n')) {
  const m = line.match(/^(.*)\((\d+),(\d+)\): error (TS\d+): (.*)$/);
  if (!m) {
    if (last && /^\s/.test(line)) last.text += ` ${line.trim()}`;
    continue;
  }
  last = { text: `${m[4]}: ${m[5]}` };
  if (path.resolve(m[1]) !== file) {
    others.push(last);
    continue;
  }
  const n = Number(m[2]);
  if (!errors.has(n)) errors.set(n, []);
  errors.get(n).push(last);
}
for (const [n, list] of errors) errors.set(n, list.map((e) => e.text));
// Marked lines: code followed by `// error: <text>` (comment-only lines are not marks).
const marked = new Map();
readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
  const m = text.match(/^\s*[^\s/].*\/\/ error: (.+)$/);
  if (m) marked.set(i + 1, m[1].trim());
});
const problems = [...others.map((o) => `error outside the file: ${o.text}`)];
for (const [line, text] of marked) {
  const found = errors.get(line) || [];
  if (found.length === 0) problems.push(`line ${line}: compiled, but should fail (${text})`);
  else if (!found.some((e) => e.includes(text))) problems.push(`line ${line}: errors do not mention ${text}: ${found.join(' | ')}`);
  else console.log(`line ${line}: refused as expected: ${found[0]}`);
}
for (const [line, found] of errors) {
  if (!marked.has(line)) problems.push(`line ${line}: unexpected error: ${found.join(' | ')}`);
}
if (run.status === 0) problems.push('tsc exited 0: the mistakes compiled');
if (marked.size === 0) problems.push('no line is marked // error: <text>');
if (problems.length) {
  console.error(problems.join('\n'));
  console.error('--- tsc output ---\n' + output);
  process.exit(1);
}
console.log(`${path.basename(file)}: tsc refused all ${marked.size} mistakes, and nothing else`);
