// drachtio-fsmrf flows run against the embedded media server by the media-server module's tests.
// Usage: node mrf.js <flow> [key=value...]
//   env: DRACHTIO_HOST, DRACHTIO_PORT (the embedded drachtio server's app port, secret cymru),
//        MS_PORT (the media server's event socket, secret MS_SECRET or ClueCon, on 127.0.0.1)
// Prints "ready <sip address>" once Srf and Mrf are connected, then one line per step; reads commands from
// stdin where a flow waits for the test (one per line).
'use strict';
const Srf = require('drachtio-srf');
const Mrf = require('drachtio-fsmrf');
const readline = require('readline');

const flow = process.argv[2];
const opts = Object.fromEntries(process.argv.slice(3).map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
const srf = new Srf();
const mrf = new Mrf(srf);
const log = (...a) => console.log(...a);
const fail = (what, err) => {
  log('failed', what, err && err.message ? err.message : err);
  process.exit(3);
};

const commands = [];
const waiters = [];
readline.createInterface({input: process.stdin}).on('line', (line) => {
  const w = waiters.shift();
  if (w) w(line.trim()); else commands.push(line.trim());
});
const next = () => commands.length ? Promise.resolve(commands.shift()) : new Promise((r) => waiters.push(r));

const sdp = (port) => [
  'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=test', 'c=IN IP4 127.0.0.1', 't=0 0',
  `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16', 'a=sendrecv', ''
].join('\r\n');

const flows = {
  // one endpoint whose media goes to the test's RTP port: play, playCollect, record, destroy
  async endpoint(ms) {
    const ep = await ms.createEndpoint({remoteSdp: sdp(Number(opts.rtp))});
    log('endpoint', ep.uuid, ep.local.mediaPort, ep.dtmfType);
    const played = await ep.play(opts.prompt);
    log('played', played.playbackMilliseconds);
    const list = await ep.play([opts.prompt, 'silence_stream://500']);
    log('played list', list.playbackMilliseconds);
    const seek = await ep.play({file: opts.prompt, seekOffset: 4000});
    log('played from 4000', seek.playbackMilliseconds);
    log('collecting');
    const got = await ep.playCollect({file: 'silence_stream://200', min: 1, max: 4, timeout: 5000, digitTimeout: 2000});
    log('collected', got.digits, got.terminatorUsed);
    log('recording');
    const rec = await ep.record(opts.file, {timeLimitSecs: 2});
    log('recorded', rec.recordMilliseconds);
    const vars = await ep.getChannelVariables(true);
    log('media stats', vars['variable_rtp_audio_in_packet_count'] > 0);
    await ep.destroy();
    log('destroyed');
  },
  // a 3pcc endpoint (no SDP), then modify() with the test's SDP; hold and unhold
  async modify(ms) {
    const ep = await ms.createEndpoint();
    log('endpoint', ep.uuid, ep.remote.sdp ? 'remote' : 'none');
    await ep.modify(sdp(Number(opts.rtp)));
    log('modified', ep.remote.mediaPort);
    await ep.modify('hold');
    await ep.modify('unhold');
    log('held and resumed');
    await ep.play(opts.prompt);
    log('played');
    await ep.speak({ttsEngine: 'flite', voice: 'slt', text: 'Thank you for calling'});
    log('spoke');
    await ep.destroy();
    log('destroyed');
  },
  // answers sipp: connectCaller, record what the caller says, playCollect its digit, then the caller hangs up
  caller(ms) {
    srf.invite(async(req, res) => {
      try {
        const {endpoint, dialog} = await ms.connectCaller(req, res);
        log('connected', endpoint.uuid);
        dialog.on('destroy', () => {
          log('caller hung up');
          endpoint.destroy().then(() => log('destroyed'));
        });
        const rec = await endpoint.record(opts.file, {timeLimitSecs: 3});
        log('recorded', rec.recordMilliseconds);
        await endpoint.play(opts.prompt);
        log('played');
        const got = await endpoint.playCollect({file: 'silence_stream://100', min: 1, max: 1, timeout: 10000});
        log('collected', got.digits);
      } catch (err) {
        log('caller failed', err.message);
      }
    });
  },
  // scripts/bench-ivr's Node app: each INVITE to bench-<prompt> is connected, hears <prompt>.wav (relative: the media
  // server's sounds folder) once and is hung up by the app; failures are counted, not fatal
  ivr(ms) {
    let failed = 0;
    srf.invite(async(req, res) => {
      try {
        const {endpoint, dialog} = await ms.connectCaller(req, res);
        await endpoint.play(`${req.uri.replace(/^sip:bench-([^@]*)@.*$/, '$1')}.wav`);
        dialog.destroy();
        endpoint.destroy();
      } catch (err) {
        if (failed++ < 10) log('ivr call failed', err.message);
      }
    });
  },
  // two endpoints (media at the test's ports) bridged, then unbridged on command
  async bridge(ms) {
    const ports = opts.rtp.split(',').map(Number);
    const a = await ms.createEndpoint({remoteSdp: sdp(ports[0])});
    const b = await ms.createEndpoint({remoteSdp: sdp(ports[1])});
    await a.bridge(b);
    log('bridged');
    await next();
    await a.unbridge();
    log('unbridged');
    await next();
    await a.destroy();
    await b.destroy();
  },
  // a conference with three endpoints (media at the test's ports); mute and kick on command
  async conference(ms) {
    const conf = await ms.createConference('demo');
    log('conference', conf.uuid);
    const ports = opts.rtp.split(',').map(Number);
    const eps = [];
    const ids = [];
    for (const port of ports) {
      const ep = await ms.createEndpoint({remoteSdp: sdp(port)});
      const {memberId} = await ep.join(conf);
      eps.push(ep);
      ids.push(memberId);
    }
    log('joined', ids.join(','), await conf.getSize());
    for (;;) {
      const [cmd, which] = (await next()).split(' ');
      const ep = eps[Number(which)];
      if (cmd === 'mute') {
        await ep.confMute();
        log('muted', which);
      } else if (cmd === 'kick') {
        await ep.confKick();
        log('kicked', which, await conf.getSize());
      } else if (cmd === 'end') {
        await conf.destroy();
        for (const e of eps) await e.destroy();
        log('ended');
        return;
      }
    }
  }
};

if (!flows[flow]) {
  console.error(`unknown flow ${flow}; flows: ${Object.keys(flows).join(', ')}`);
  process.exit(64);
}
srf.connect({host: process.env.DRACHTIO_HOST || '127.0.0.1', port: Number(process.env.DRACHTIO_PORT || 9022),
  secret: 'cymru'});
srf.on('error', (err) => log('srf error', err.message));
srf.on('connect', async() => {
  let ms;
  try {
    ms = await mrf.connect({address: '127.0.0.1', port: Number(process.env.MS_PORT || 8021),
      secret: process.env.MS_SECRET || 'ClueCon', listenAddress: '127.0.0.1'});
  } catch (err) {
    fail('mrf connect', err);
  }
  log('ready', ms.sip.ipv4.udp.address);
  try {
    await flows[flow](ms);
    if (flow !== 'caller' && flow !== 'ivr') {
      log('done');
      ms.disconnect();
      srf.disconnect();
      setTimeout(() => process.exit(0), 200);
    }
  } catch (err) {
    fail(flow, err);
  }
});
