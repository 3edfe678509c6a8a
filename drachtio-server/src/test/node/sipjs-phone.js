// A browser-like SIP phone for the WebSocket tests: SIP.js on Node with the ws package as its WebSocket.
// Usage: node sipjs-phone.js <ws[s]://host:port/path> <aor> [password]; NODE_EXTRA_CA_CERTS names the test CA for
// wss. With a password it answers digest challenges as the AOR's user.
// Its Via and Contact carry a random ".invalid" host, as a browser's would (RFC 7118).
// Commands on stdin: "register", "unregister", "call <uri>", "hangup", "quit". Prints "ready" once connected, then one
// line per event: "registered <contact>", "unregistered", "incoming <from>", "established", "terminated",
// "call failed <status>".
//
// Node has no WebRTC, so the session description handler here offers and answers one fixed plain-RTP audio line: the
// signalling is SIP.js's own, only the media negotiation is not a browser's.
'use strict';
global.WebSocket = require('ws');
const {UserAgent, Registerer, Inviter, SessionState} = require('sip.js');
const readline = require('readline');

const [server, aor, password] = process.argv.slice(2);
const log = (...a) => console.log(...a);

const sdp = [
  'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=sipjs-phone', 'c=IN IP4 127.0.0.1', 't=0 0',
  'm=audio 40010 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''
].join('\r\n');

const plainAudio = () => {
  let remote;
  return {
    close() {},
    getDescription: async() => ({body: sdp, contentType: 'application/sdp'}),
    hasDescription: (contentType) => contentType === 'application/sdp',
    setDescription: async(description) => { remote = description; },
    sendDtmf: () => false,
    remote: () => remote,
  };
};

let session;
const watch = (s) => {
  session = s;
  s.stateChange.addListener((state) => {
    if (state === SessionState.Established) {
      log('established');
    } else if (state === SessionState.Terminated) {
      log('terminated');
    }
  });
};

const ua = new UserAgent({
  uri: UserAgent.makeURI(aor),
  transportOptions: {server},
  sessionDescriptionHandlerFactory: plainAudio,
  logBuiltinEnabled: false,
  ...(password ? {authorizationUsername: UserAgent.makeURI(aor).user, authorizationPassword: password} : {}),
  delegate: {
    onInvite(invitation) {
      log('incoming', invitation.remoteIdentity.uri.toString());
      watch(invitation);
      invitation.accept().catch((e) => log('accept failed', e.message));
    },
  },
});
const registerer = new Registerer(ua);

ua.start().then(() => log('ready', ua.contact.uri.toString()), (e) => {
  log('start failed', e.message);
  process.exit(2);
});

readline.createInterface({input: process.stdin}).on('line', (line) => {
  const [command, target] = line.trim().split(/\s+/);
  if (command === 'register') {
    registerer.register({
      requestDelegate: {
        onAccept: (r) => log('registered', r.message.getHeader('contact')),
        onReject: (r) => log('register failed', r.message.statusCode),
      },
    }).catch((e) => log('register failed', e.message));
  } else if (command === 'unregister') {
    registerer.unregister({
      requestDelegate: {
        onAccept: () => log('unregistered'),
        onReject: (r) => log('unregister failed', r.message.statusCode),
      },
    }).catch((e) => log('unregister failed', e.message));
  } else if (command === 'call') {
    const inviter = new Inviter(ua, UserAgent.makeURI(target));
    watch(inviter);
    inviter.invite({
      requestDelegate: {onReject: (r) => log('call failed', r.message.statusCode)},
    }).catch((e) => log('call failed', e.message));
  } else if (command === 'hangup' && session) {
    session.bye().catch((e) => log('hangup failed', e.message));
  } else if (command === 'quit') {
    ua.stop().finally(() => process.exit(0));
  }
});
