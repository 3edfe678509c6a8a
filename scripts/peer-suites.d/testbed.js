// Reads a peer suite's docker-compose testbed and prints it as a plan of processes, one per line:
//   subnet <cidr>
//   network <name>                      the name docker-compose gives the network (<project>_<network>)
//   host <ip> <name>...                 service and container names, as Docker's DNS would answer them
//   server <name> <ip> <admin-port> <flag>...   a drachtio-server container: its flags, '*' in --contact made
//                                       the container's address, the admin port the host publishes for 9022
//   sipp <name> <ip> <arg>...           a sipp container: its arguments, volume paths made host paths
//   media <name> <ip> <esl-port> <flag>...      a FreeSWITCH container as media-server flags: SIP on the container's
//                                       address and --sip-port, its RTP range, the sounds and recordings volumes,
//                                       the event socket on the host port published for 8021, TLS where its
//                                       profile has it
//   absent <name> <ip> <image>          a container nothing here stands in for: its address stays unanswered
// Usage: node testbed.js <compose.yaml> <js-yaml module dir> <folder for containers' private /tmp>
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require(process.argv[3]);

// FreeSWITCH images, the SIP profile each one's configuration defines (the custom image's name is the one
// drachtio-fsmrf's test configuration asks for) and whether that profile listens for TLS too (the suite expects
// the custom profile's "dtls" capability: a TLS line in its sofia status), on sofia's default TLS port
const FREESWITCH_PROFILES = {
  'drachtio/drachtio-freeswitch-mrf': { profile: 'drachtio_mrf', tls: false },
  'byoungdale/drachtio-freeswitch-custom-mrf-profile': { profile: 'custom_drachtio_mrf', tls: true },
};
const SOFIA_TLS_PORT = '5061';
// FreeSWITCH's default sound_prefix: relative sound names are looked up under <sounds_dir>/en/us/callie
const SOUND_PREFIX = 'en/us/callie';

const file = process.argv[2];
const privateTmp = process.argv[4];
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
  const volumes = (spec.volumes || []).map((v) => v.split(':'))
    .map(([host, inside]) => [path.resolve(dir, host), inside]);
  const published = (port) => {
    const found = (spec.ports || []).map(String)
      .map((p) => p.match(new RegExp(`^(?:[\\d.]+:)?(\\d+):${port}(?:/tcp)?$`))).filter(Boolean);
    if (found.length !== 1) throw new Error(`${service}: expected one published port for ${port}`);
    return found[0][1];
  };
  if (image === 'drachtio/drachtio-server') {
    if (argv[0] !== 'drachtio') throw new Error(`${service}: unexpected command ${spec.command}`);
    const flags = argv.slice(1).map((a) => a.replace(/^(sips?:)\*/, `$1${ip}`));
    out.push(['server', service, ip, published(9022), ...flags].join(' '));
  } else if (image === 'drachtio/sipp') {
    if (argv[0] !== 'sipp') throw new Error(`${service}: unexpected command ${spec.command}`);
    const args = argv.slice(1).map((a) => {
      for (const [host, inside] of volumes) {
        if (a === inside || a.startsWith(inside + '/')) return host + a.slice(inside.length);
      }
      return a;
    });
    out.push(['sipp', service, ip, ...args].join(' '));
  } else if (FREESWITCH_PROFILES[image]) {
    if (argv[0] !== 'freeswitch') throw new Error(`${service}: unexpected command ${spec.command}`);
    const flag = (name, fallback) => {
      const i = argv.indexOf(name);
      return i > 0 ? argv[i + 1] : fallback;
    };
    const mounted = (inside, fallback) => (volumes.find(([, at]) => at === inside) || [fallback])[0];
    out.push(['media', service, ip, published(8021),
      '--sip', `${ip}:${flag('--sip-port', '5060')}`, '--rtp-address', ip,
      '--rtp-ports', `${flag('--rtp-range-start', '16384')}-${flag('--rtp-range-end', '32768')}`,
      '--sounds', path.join(mounted('/usr/local/freeswitch/sounds', path.join(privateTmp, service, 'sounds')),
        SOUND_PREFIX),
      '--recordings', mounted('/tmp', path.join(privateTmp, service, 'tmp')),
      '--profile', FREESWITCH_PROFILES[image].profile,
      // the certificate folder is made by scripts/peer-suites (a fresh self-signed agent.pem per run)
      ...(FREESWITCH_PROFILES[image].tls ? ['--tls', '--tls-sip-port', SOFIA_TLS_PORT,
        '--tls-cert-dir', path.join(privateTmp, service, 'tls')] : [])].join(' '));
  } else {
    out.push(`absent ${service} ${ip} ${spec.image}`);
  }
}
process.stdout.write(out.join('\n') + '\n');
