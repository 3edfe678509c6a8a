// Reads a peer suite's docker-compose testbed and prints it as a plan of processes, one per line:
//   subnet <cidr>
//   network <name>                      the name docker-compose gives the network (<project>_<network>)
//   host <ip> <name>...                 service and container names, as Docker's DNS would answer them
//   server <name> <ip> <admin-port> <flag>...   a drachtio-server container: its flags, '*' in --contact made
//                                       the container's address, the admin port the host publishes for 9022
//   sipp <name> <ip> <arg>...           a sipp container: its arguments, volume paths made host paths
// Usage: node testbed.js <compose.yaml> <js-yaml module dir>
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require(process.argv[3]);

const file = process.argv[2];
const dir = path.dirname(path.resolve(file));
const compose = yaml.load(fs.readFileSync(file, 'utf8'));
const project = path.basename(dir);
const out = [];

const networks = Object.entries(compose.networks || {});
if (networks.length !== 1) throw new Error(`expected one network in ${file}, found ${networks.length}`);
const [netName, net] = networks[0];
out.push(`subnet ${net.ipam.config[0].subnet}`);
out.push(`network ${project}_${netName}`);

// docker-compose's `command:` string, split as its shell-less parser does: on blanks, double quotes grouping
function words(command) {
  if (Array.isArray(command)) return command.map(String);
  return (String(command).match(/"[^"]*"|'[^']*'|\S+/g) || []).map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
}

for (const [service, spec] of Object.entries(compose.services)) {
  const ip = spec.networks && spec.networks[netName] && spec.networks[netName].ipv4_address;
  if (!ip) throw new Error(`service ${service} has no fixed address on ${netName}`);
  const names = [service, spec.container_name].filter((n, i, all) => n && all.indexOf(n) === i);
  out.push(`host ${ip} ${names.join(' ')}`);
  const argv = words(spec.command || '');
  const image = String(spec.image).split(':')[0];
  if (image === 'drachtio/drachtio-server') {
    if (argv[0] !== 'drachtio') throw new Error(`${service}: unexpected command ${spec.command}`);
    const published = (spec.ports || []).map(String).map((p) => p.match(/^(?:[\d.]+:)?(\d+):9022(?:\/tcp)?$/))
      .filter(Boolean);
    if (published.length !== 1) throw new Error(`${service}: expected one published admin port (…:9022)`);
    const flags = argv.slice(1).map((a) => a.replace(/^(sips?:)\*/, `$1${ip}`));
    out.push(['server', service, ip, published[0][1], ...flags].join(' '));
  } else if (image === 'drachtio/sipp') {
    if (argv[0] !== 'sipp') throw new Error(`${service}: unexpected command ${spec.command}`);
    const volumes = (spec.volumes || []).map((v) => v.split(':'))
      .map(([host, inside]) => [path.resolve(dir, host), inside]);
    const args = argv.slice(1).map((a) => {
      for (const [host, inside] of volumes) {
        if (a === inside || a.startsWith(inside + '/')) return host + a.slice(inside.length);
      }
      return a;
    });
    out.push(['sipp', service, ip, ...args].join(' '));
  } else {
    throw new Error(`${service}: no process stands in for image ${spec.image}`);
  }
}
process.stdout.write(out.join('\n') + '\n');
