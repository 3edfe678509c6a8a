// One call through drachtio-fsmrf's rebuilt testbed before its suite runs, the way the suite's first test makes
// one: an app on drachtio-uac asks freeswitch-uac for a 3pcc endpoint and calls sip:drachtio-sut with it; an app
// on drachtio-sut connects the caller to freeswitch-sut, the caller's endpoint is pointed at it (re-INVITE), a short
// silence is played, both hang up. The testbed's servers are JVMs: their first call runs code not yet loaded or
// compiled, and on a loaded machine that took longer than the 6 s the suite gives its first test
// (docs/peer-suites.md). Uses the suite's own drachtio-srf and drachtio-fsmrf and its config/test.json.
// Usage: node warm-up.js <drachtio-fsmrf package dir>; exit 0 when the call was made, 1 otherwise.
'use strict';
const fs = require('fs');
const path = require('path');

const pkg = process.argv[2];
const Srf = require(path.join(pkg, 'node_modules', 'drachtio-srf'));
const Mrf = require(pkg);
const cfg = JSON.parse(fs.readFileSync(path.join(pkg, 'config', 'test.json'), 'utf8'));

const connected = (srf, opts) => new Promise((resolve, reject) => {
  srf.once('connect', (err) => (err ? reject(err) : resolve()));
  srf.once('error', reject);
  srf.connect(opts);
});

async function call() {
  const caller = new Srf();
  const callee = new Srf();
  await Promise.all([connected(caller, cfg['call-generator'].drachtio), connected(callee, cfg['drachtio-sut'])]);
  const answered = new Promise((resolve, reject) => {
    callee.invite(async(req, res) => {
      try {
        const ms = await new Mrf(callee).connect(cfg['freeswitch-sut']);
        const { endpoint, dialog } = await ms.connectCaller(req, res);
        resolve({ ms, endpoint, dialog });
      } catch (err) {
        reject(err);
      }
    });
  });
  const callerMs = await new Mrf(caller).connect(cfg['call-generator'].freeswitch);
  const callerEp = await callerMs.createEndpoint();
  await caller.createUAC(cfg['call-generator'].uri, { localSdp: callerEp.local.sdp });
  const { ms, endpoint, dialog } = await answered;
  await callerEp.dialog.modify(endpoint.local.sdp);
  await endpoint.play({ file: 'silence_stream://200', timeoutSecs: 2 });
  endpoint.destroy();
  dialog.destroy();
  callerEp.destroy();
  ms.disconnect();
  callerMs.disconnect();
  caller.disconnect();
  callee.disconnect();
}

const deadline = setTimeout(() => {
  console.error('warm-up: no call within 60 s');
  process.exit(1);
}, 60000);
call().then(() => {
  clearTimeout(deadline);
  console.log('warm-up: one call made');
  process.exit(0);
}).catch((err) => {
  console.error(`warm-up: ${err.stack || err}`);
  process.exit(1);
});
