// The end of a drachtio-fsmrf test, over and over: an app on one server (uac) calls an app on another (sut), then
// the sut app hangs up while the uac app leaves, the departure moved from `spread` ms before the BYE to `spread` ms
// after it in 1 ms steps. The first server's clean-up BYE for the departed app's call then crosses the sut app's
// own BYE at the second server, the way it did when drachtio-fsmrf's suite died of ENODIALOG.
// Usage: node departures.js uac=host:port sut=host:port target=<sip uri> iterations=N spread=ms
// Prints "ready", then one line per call: "bye answered", "bye refused <code> <message>" or
// "call failed <reason>", then "done".
'use strict';
const Srf = require('drachtio-srf');

const opts = Object.fromEntries(process.argv.slice(2).map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
const log = (...a) => console.log(...a);
const sdp = (port) => [
  'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=departures', 'c=IN IP4 127.0.0.1', 't=0 0',
  `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''
].join('\r\n');
const after = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const within = (promise, ms, what) => Promise.race([promise, after(ms).then(() => `${what} timed out`)]);

const connected = (hostport) => new Promise((resolve, reject) => {
  const [host, port] = hostport.split(':');
  const srf = new Srf();
  srf.connect({host, port: Number(port), secret: 'cymru'});
  srf.once('connect', (err) => (err ? reject(err) : resolve(srf)));
  srf.on('error', (err) => log('srf error', err.message));
});

// an unhandled refusal is what killed the suite: report it as a line rather than dying
process.on('unhandledRejection', (err) => log('bye refused unhandled', err.code, err.message));

async function run() {
  const sut = await connected(opts.sut);
  let answer = null;
  sut.invite(async(req, res) => {
    const dialog = await sut.createUAS(req, res, {localSdp: sdp(40020)});
    answer(dialog);
  });
  log('ready');
  const spread = Number(opts.spread || 10);
  for (let i = 0; i < Number(opts.iterations || 100); i++) {
    const offset = (i % (2 * spread + 1)) - spread; // the uac app leaves `offset` ms after the sut app's BYE
    try {
      const uac = await connected(opts.uac);
      const answered = new Promise((resolve) => { answer = resolve; });
      await uac.createUAC(opts.target, {localSdp: sdp(40022)});
      const dialog = await within(answered, 10000, 'answer');
      if (offset < 0) {
        uac.disconnect();
        await after(-offset);
      } else {
        setTimeout(() => uac.disconnect(), offset);
      }
      const bye = dialog.destroy().then(() => 'bye answered',
        (err) => `bye refused ${err.code} ${err.message}`);
      log(await within(bye, 10000, 'bye'), `(call ${i}: the uac app left ${offset} ms after the BYE)`);
    } catch (err) {
      log('call failed', err.status || err.message);
    }
  }
  log('done');
  sut.disconnect();
}

run().catch((err) => {
  log('failed', err.message);
  process.exit(1);
});
