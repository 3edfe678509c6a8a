// Feeds a recorded event socket stream (the switch's side) through drachtio-modesl's Parser.
//   node modesl-parse.js <stream> dump           one JSON object per event: headers and _body, as modesl sees them
//   node modesl-parse.js <stream> bench <rounds> [warm-up seconds]  events per second decoded and emitted, 16 KiB
//                                                 reads, after feeding the stream for the warm-up time (default 3)
'use strict';
const fs = require('fs');
const EventEmitter = require('events');
const Parser = require('drachtio-modesl/lib/esl/Parser');

const [file, mode, roundsArg, warmUpArg] = process.argv.slice(2);
const stream = fs.readFileSync(file);
const CHUNK = 16 * 1024;

function feed(onEvent) {
  const socket = new EventEmitter();
  const parser = new Parser(socket);
  parser.on('esl::event', onEvent);
  for (let pos = 0; pos < stream.length; pos += CHUNK) {
    socket.emit('data', stream.subarray(pos, Math.min(pos + CHUNK, stream.length)));
  }
}

if (mode === 'dump') {
  feed((event, headers) => {
    const type = headers['Content-Type'] || '';
    if (!type.startsWith('text/event-')) return;
    const out = {};
    for (const h of event.headers) {
      if (h.name !== 'Content-Length') out[h.name] = h.value;
    }
    if (event.body) out._body = event.body;
    process.stdout.write(JSON.stringify(out) + '\n');
  });
} else {
  const rounds = parseInt(roundsArg || '20', 10);
  let events = 0;
  const warmUpEnd = process.hrtime.bigint() + BigInt(Math.round(parseFloat(warmUpArg || '3') * 1e9));
  do {
    feed(() => {}); // warm-up, as long as the Java side's
  } while (process.hrtime.bigint() < warmUpEnd);
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    feed((event, headers) => {
      if ((headers['Content-Type'] || '').startsWith('text/event-')) events++;
    });
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ events, seconds, eventsPerSecond: Math.round(events / seconds) }) + '\n');
}
