// check.js parses every .swift file under the directories it is given with
// tree-sitter's Swift grammar (tree-sitter-wasms' build of
// tree-sitter-swift) and fails on any ERROR or MISSING node: usage
// `node check.js DIR...`. It prints "ok FILE" for each file that parses
// cleanly, and the place of each syntax error.
'use strict';

const fs = require('fs');
const path = require('path');
const Parser = require('web-tree-sitter');

function swiftFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...swiftFiles(p));
    else if (e.name.endsWith('.swift')) out.push(p);
  }
  return out;
}

// problems lists the ERROR and MISSING nodes of a tree.
function problems(node, out = []) {
  if (node.type === 'ERROR' || node.isMissing()) {
    const where = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
    out.push(`${where}: ${node.isMissing() ? 'missing ' + node.type : 'syntax error near ' + JSON.stringify(node.text.slice(0, 60))}`);
  }
  if (node.hasError()) {
    for (const c of node.children) problems(c, out);
  }
  return out;
}

async function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) throw new Error('usage: node check.js DIR...');
  await Parser.init();
  const wasm = require.resolve('tree-sitter-wasms/out/tree-sitter-swift.wasm');
  const parser = new Parser();
  parser.setLanguage(await Parser.Language.load(wasm));
  let failed = false;
  for (const dir of dirs) {
    const files = swiftFiles(dir);
    if (files.length === 0) throw new Error(`no .swift files under ${dir}`);
    for (const f of files) {
      const tree = parser.parse(fs.readFileSync(f, 'utf8'));
      const errs = problems(tree.rootNode);
      const rel = path.join(path.basename(dir), path.relative(dir, f));
      if (errs.length) {
        failed = true;
        for (const e of errs) console.log(`${rel}:${e}`);
      } else {
        console.log(`ok ${rel}`);
      }
    }
  }
  if (failed) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
