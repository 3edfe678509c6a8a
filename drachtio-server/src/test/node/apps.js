// drachtio-srf apps run against the embedded server by the drachtio module's tests.
// Usage: node apps.js <role> [key=value...]; connects to DRACHTIO_HOST:DRACHTIO_PORT (secret DRACHTIO_SECRET,
// over TLS when DRACHTIO_TLS_CA names the CA to trust),
// prints "ready" once connected and its routes are sent, and logs one line per call event.
'use strict';
const Srf = require('drachtio-srf');

const role = process.argv[2];
const opts = Object.fromEntries(process.argv.slice(3).map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
// DRACHTIO_TAGS: comma-separated tags presented in authenticate (HTTP tag routing)
const srf = new Srf(process.env.DRACHTIO_TAGS ? process.env.DRACHTIO_TAGS.split(',') : undefined);
const log = (...a) => console.log(...a);
// A BYE read in the same chunk as the answer's confirmation ends the dialog before the awaiting code runs:
// run the handler at once for a dialog already over, else on its 'destroy'.
const onEnd = (dialog, fn) => (dialog.connected ? dialog.on('destroy', fn) : fn());

const sdp = (port) => [
  'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=drachtio-srf-test', 'c=IN IP4 127.0.0.1', 't=0 0',
  `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''
].join('\r\n');

const roles = {
  // answers every INVITE with SDP; logs the BYE
  uas() {
    srf.invite(async(req, res) => {
      try {
        const dialog = await srf.createUAS(req, res, {localSdp: sdp(40000), headers: {'X-App': 'srf-uas'}});
        log('answered', dialog.id);
        onEnd(dialog, () => log('destroyed', dialog.id));
      } catch (err) {
        log('uas failed', err.message);
      }
    });
  },
  // rejects every INVITE with the status given (default 486)
  reject() {
    srf.invite((req, res) => res.send(Number(opts.status || 486)));
  },
  // places calls to a sipp UAS and hangs up after hold ms
  async uac() {
    const calls = Number(opts.calls || 1);
    let ok = 0;
    for (let i = 0; i < calls; i++) {
      try {
        const dialog = await srf.createUAC(opts.target, {localSdp: sdp(40002), headers: {'X-App': 'srf-uac'}});
        log('connected', dialog.id);
        await new Promise((r) => setTimeout(r, Number(opts.hold || 100)));
        await dialog.destroy();
        ok++;
      } catch (err) {
        log('uac failed', err.status || err.message);
      }
    }
    log(`uac done ${ok}/${calls}`);
  },
  // bridges every INVITE to opts.target, passing failures (and CANCEL) through
  b2bua() {
    srf.invite(async(req, res) => {
      try {
        const {uas, uac} = await srf.createB2BUA(req, res, opts.target, {localSdpB: req.body});
        log('bridged', uas.id, uac.id);
        let over = false;
        onEnd(uas, () => { if (!over) { over = true; log('a hung up'); uac.destroy(); } });
        onEnd(uac, () => { if (!over) { over = true; log('b hung up'); uas.destroy(); } });
      } catch (err) {
        log('b2bua failed', err.status || err.message);
      }
    });
  },
  // answers REGISTER and OPTIONS itself
  registrar() {
    srf.register((req, res) => {
      log('register', req.get('Contact'));
      res.send(200, {headers: {Contact: req.get('Contact'), Expires: '3600'}});
    });
    srf.options((req, res) => res.send(200, {headers: {Allow: 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO'}}));
  },
  // answers INVITEs; answers re-INVITEs (modify) and INFO in the dialog
  indialog() {
    srf.invite(async(req, res) => {
      const dialog = await srf.createUAS(req, res, {localSdp: sdp(40004)});
      log('answered', dialog.id);
      dialog.on('modify', (req2, res2) => { log('reinvite'); res2.send(200, {body: sdp(40006)}); });
      dialog.on('info', (req2, res2) => { log('info', req2.body.trim()); res2.send(200); });
      onEnd(dialog, () => log('destroyed'));
    });
  },
  // proxies every INVITE to opts.targets (comma-separated) with Record-Route
  proxy() {
    srf.invite(async(req, res) => {
      try {
        const r = await srf.proxyRequest(req, opts.targets.split(','),
          {recordRoute: true, forking: opts.forking || 'serial', followRedirects: true});
        log('proxied', r.finalStatus, r.responses.length);
      } catch (err) {
        log('proxy failed', err.message || err);
      }
    });
  },
  // a registrar and record-routing proxy for WebSocket phones: an INVITE to a registered user is proxied to the
  // Contact it registered (a ".invalid" host, reachable only over the phone's own connection); any other INVITE is
  // answered, and hung up after opts.hold ms when given
  wsproxy() {
    const contacts = new Map();
    srf.register((req, res) => {
      const contact = req.getParsedHeader('Contact')[0].uri;
      contacts.set(req.getParsedHeader('To').uri.replace(/^sips?:([^@]*)@.*/, '$1'), contact);
      log('register', contact, req.protocol);
      res.send(200, {headers: {Contact: req.get('Contact'), Expires: '3600'}});
    });
    srf.invite(async(req, res) => {
      const contact = contacts.get(req.uri.replace(/^sips?:([^@]*)@.*/, '$1'));
      if (contact) {
        const r = await srf.proxyRequest(req, contact, {recordRoute: true});
        log('proxied', r.finalStatus);
        return;
      }
      try {
        const dialog = await srf.createUAS(req, res, {localSdp: sdp(40012)});
        log('answered', dialog.id);
        onEnd(dialog, () => log('destroyed', dialog.id));
        if (opts.hold) {
          setTimeout(() => dialog.connected && dialog.destroy().then(() => log('hung up', dialog.id)), Number(opts.hold));
        }
      } catch (err) {
        log('uas failed', err.message);
      }
    });
  },
  // sends a reliable 180 first and answers once its PRACK came
  prack() {
    srf.invite((req, res) => {
      res.send(180, {headers: {Require: '100rel'}}, (err) => err && log('180 failed', err.message), async() => {
        log('prack');
        const dialog = await srf.createUAS(req, res, {localSdp: sdp(40008)});
        log('answered', dialog.id);
        onEnd(dialog, () => log('destroyed'));
      });
    });
  },
};

if (!roles[role]) {
  console.error(`unknown role ${role}; roles: ${Object.keys(roles).join(', ')}`);
  process.exit(64);
}
if (process.env.DRACHTIO_LISTEN) {
  // outbound mode: the server connects to us, once per call its request handler routes here
  srf.listen({host: '127.0.0.1', port: Number(process.env.DRACHTIO_LISTEN), secret: process.env.DRACHTIO_SECRET || 'cymru'});
  srf.on('listening', () => log('ready listening'));
} else {
  // DRACHTIO_TLS_CA: connect over TLS (the server's --tls-port), trusting that PEM CA and checking the host name
  const tls = process.env.DRACHTIO_TLS_CA ? {tls: {ca: require('fs').readFileSync(process.env.DRACHTIO_TLS_CA)}} : {};
  srf.connect({host: process.env.DRACHTIO_HOST || '127.0.0.1', port: Number(process.env.DRACHTIO_PORT || 9022),
    secret: process.env.DRACHTIO_SECRET || 'cymru', ...tls});
}
srf.on('connect', (err, hostport) => {
  if (err) {
    console.error('connect failed', err.message);
    process.exit(2);
  }
  log('ready', hostport);
  if (role === 'uac') {
    roles.uac().then(() => process.exit(0));
  }
});
srf.on('error', (err) => log('srf error', err.message));
if (role !== 'uac') {
  roles[role]();
}
