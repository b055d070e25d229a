/**
 * Prints the gzipped size of what the app loads at start-up: every script, module
 * preload and stylesheet that dist/index.html references. Lazy chunks (pdf.js and
 * its worker) are listed apart. Run after `npm run build`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const html = readFileSync(`${dist}index.html`, 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);

function sizes(file) {
  const bytes = readFileSync(`${dist}${file}`);
  return { file, raw: bytes.length, gzip: gzipSync(bytes).length };
}

const kb = (n) => (n / 1024).toFixed(1);
let total = 0;
console.log('start-up assets (raw KiB / gzip KiB):');
for (const entry of initial.map(sizes)) {
  total += entry.gzip;
  console.log(`  ${entry.file}  ${kb(entry.raw)} / ${kb(entry.gzip)}`);
}
console.log(`start-up total gzip: ${kb(total)} KiB`);

console.log('lazy assets (raw KiB / gzip KiB):');
for (const file of readdirSync(`${dist}assets`)) {
  const path = `assets/${file}`;
  if (initial.includes(path) || !/\.(m?js|css)$/.test(file)) continue;
  const entry = sizes(path);
  console.log(`  ${entry.file}  ${kb(entry.raw)} / ${kb(entry.gzip)}`);
}
