// drachtio-modesl's inbound connection against the embedded media server's event socket.
// Usage: node esl.js; env MS_PORT (127.0.0.1), MS_SECRET (default ClueCon). Prints one line per step.
'use strict';
const esl = require('drachtio-modesl');

const log = (...a) => console.log(...a);
const conn = new esl.Connection('127.0.0.1', Number(process.env.MS_PORT || 8021), process.env.MS_SECRET || 'ClueCon',
  () => {
    log('ready');
    conn.api('sofia status', (res) => {
      log('sofia', /drachtio_mrf\s+profile\s+sip:mod_sofia@(\S+)/.exec(res.getBody())[1]);
      conn.events('json', 'HEARTBEAT BACKGROUND_JOB', () => {
        conn.on('esl::event::HEARTBEAT::*', (evt) => {
          log('heartbeat', evt.getHeader('Event-Info'), evt.getHeader('Session-Count'));
        });
        conn.bgapi('status', (evt) => {
          log('bgapi', evt.getHeader('Job-Command'), /is ready/.test(evt.getBody()));
          conn.show('channels', 'json', (err, data) => {
            if (err) return log('failed show', err.message);
            log('show', data.row_count);
          });
        });
      });
    });
  });
conn.on('error', (err) => log('failed', err.message));
conn.on('esl::end', () => log('end'));
process.stdin.on('data', () => {
  conn.disconnect();
  setTimeout(() => process.exit(0), 100);
});
