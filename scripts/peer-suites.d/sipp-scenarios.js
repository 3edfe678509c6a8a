// Copies a suite's sipp scenario folder for Debian's sipp: the suites' images carry a sipp whose XML parser takes
// a raw '<' inside an attribute value (regexp="<sip:(.*)>"); Debian's sipp 3.6 refuses the file ("Invalid XML in
// scenario"). The copy writes that '<' as &lt;, which sipp reads back as '<': the same scenario, valid XML.
// CDATA sections (the SIP messages) are copied as they are. Prints the files it had to change.
// Usage: node sipp-scenarios.js <from dir> <to dir>
'use strict';
const fs = require('fs');
const path = require('path');

function escapeAttributes(xml) {
  return xml.split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/).map((part, i) => (i % 2 === 1 ? part
    : part.replace(/(\s[\w:.-]+\s*=\s*)"([^"]*)"/g, (_, name, value) => `${name}"${value.replace(/</g, '&lt;')}"`)))
    .join('');
}

function copy(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) { copy(source, target); continue; }
    if (!entry.name.endsWith('.xml')) { fs.copyFileSync(source, target); continue; }
    const xml = fs.readFileSync(source, 'latin1');
    const fixed = escapeAttributes(xml);
    if (fixed !== xml) console.log(path.relative(process.argv[2], source));
    fs.writeFileSync(target, fixed, 'latin1');
  }
}

copy(process.argv[2], process.argv[3]);
