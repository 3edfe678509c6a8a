// A browser-like SIP client for the WebSocket tests: JsSIP on Node with the ws package as its WebSocket.
// Usage: node jssip-client.js <ws[s]://host:port/path>; prints "ready" once connected, then for each
// "options <target>" line on stdin sends an OPTIONS and prints "options <status> <top Via of the response>".
// For wss, NODE_EXTRA_CA_CERTS names the test CA.
global.WebSocket = require('ws');
const JsSIP = require('jssip');
const readline = require('readline');

const [url] = process.argv.slice(2);
const socket = new JsSIP.WebSocketInterface(url);
const ua = new JsSIP.UA({sockets: [socket], uri: 'sip:alice@example.invalid', register: false});

ua.on('connected', () => console.log('ready connected to ' + url));
ua.on('disconnected', (e) => console.log('disconnected ' + (e && e.code)));
ua.start();

readline.createInterface({input: process.stdin}).on('line', (line) => {
  const [command, target] = line.trim().split(/\s+/);
  if (command === 'options') {
    ua.sendOptions(target, null, {
      eventHandlers: {
        succeeded: (e) => console.log('options ' + e.response.status_code + ' ' + e.response.getHeader('Via')),
        failed: (e) => console.log('options failed ' + e.cause + ' ' + (e.message ? e.message.status_code : '')),
      },
    });
  } else if (command === 'quit') {
    ua.stop();
    setTimeout(() => process.exit(0), 200);
  }
});
