# Shared by the call-rate benchmarks (sourced, not run): one sipp run of scripts/bench-uac.xml per rate and the
# report row beside it. A row is "clean" only with 0 failed calls, 0 retransmissions and 0 calls refused (503).
# Columns: requested and achieved calls/s (sipp's own rate, refused calls included), calls placed, failed,
# refused with 503 (load shed), sipp's retransmissions, UDP datagrams the kernel dropped for full receive buffers
# (as "server/all": the server's SIP sockets, on the target port, and all sockets of the machine, sipp's among them), setup time (INVITE to 200, sipp's response time, 1 ms resolution) at p50, p99 and
# p99.9 over the answered calls, the CPU the server-side processes used in total and per call placed.
# Settings (environment): BENCH_SECONDS (15) of calls per rate; BENCH_SIPP_CPUS, a CPU list (taskset -c) for sipp,
# and in the scripts that start servers BENCH_SERVER_CPUS for those: with both, the servers cannot take sipp's core
# and an overload is the servers' own, not the load generator's.

bench_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
bench_udp_drops() {
  awk '/^Udp:/ && !h {split($0, n); h = 1; next} /^Udp:/ {for (i = 1; i <= NF; i++) if (n[i] == "RcvbufErrors") print $i}' /proc/net/snmp
}
# bench_port_drops PORT: what the kernel dropped so far on the UDP sockets bound to PORT (the last column of
# /proc/net/udp and udp6, per socket since it opened)
bench_port_drops() {
  local hex; hex=$(printf '%04X' "$1")
  cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk -v p=":$hex" 'NR > 1 && substr($2, length($2) - 4) == p {d += $NF} END {print d + 0}'
}
bench_machine() {
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(java -version 2>&1 | head -1), sipp $(sipp -v 2>&1 | sed -n 's/.*SIPp \(v[0-9.]*\).*/\1/p'), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
}
bench_header() {
  printf '%-10s %-9s %-8s %-7s %-7s %-8s %-8s %-11s %-6s %-7s %-7s %-8s %-11s %s\n' stack requested achieved calls failed \
    refused retrans drops p50-ms p99-ms p999-ms cpu-s cpu-ms/call verdict
}

# bench_rate LABEL WORK HOST:PORT SERVICE LOCAL_PORT RATE PID...: one run at RATE; PIDs are the server-side processes
bench_rate() {
  local label=$1 work=$2 target=$3 service=$4 lport=$5 rate=$6; shift 6
  local pids=("$@") seconds=${BENCH_SECONDS:-15} c0=0 c1=0 p d0 code run="$work/run-$label-$rate"
  local scenario; scenario=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench-uac.xml
  mkdir -p "$run"
  for p in "${pids[@]}"; do c0=$((c0 + $(bench_ticks "$p"))); done
  d0=$(bench_udp_drops)
  local s0; s0=$(bench_port_drops "${target##*:}")
  set +e
  (cd "$run" && exec ${BENCH_SIPP_CPUS:+taskset -c "$BENCH_SIPP_CPUS"} sipp -sf "$scenario" -s "$service" "$target" -i 127.0.0.1 -p "$lport" -r "$rate" -m $((rate * seconds)) \
     -l $((rate * 10)) -nostdin -nd -timeout $((seconds + 75))s -timeout_error -trace_stat -stf "$run/stat.csv" -fd 1 \
     -trace_rtt -rtt_freq 1 -trace_counts > "$run/screen.log" 2>&1)
  code=$?
  set -e
  for p in "${pids[@]}"; do c1=$((c1 + $(bench_ticks "$p"))); done
  local drops="$(( $(bench_port_drops "${target##*:}") - s0 ))/$(( $(bench_udp_drops) - d0 ))" hz; hz=$(getconf CLK_TCK)
  # the refused step's Recv count: the counts file names each step's columns <index>_<message>_<what>
  local refused; refused=$(awk -F';' 'NR == 1 {for (i = 1; i <= NF; i++) if ($i ~ /_503_Recv$/) c = i; next}
      {last = $0} END {split(last, v, ";"); print (c ? v[c] + 0 : 0)}' "$run"/bench-uac_*_counts.csv 2>/dev/null || echo 0)
  local pct; pct=$( (cat "$run"/bench-uac_*_rtt.csv 2>/dev/null || true) | awk -F';' '$3 == 1 {print $2}' | sort -n \
      | awk '{v[NR] = $1} END {if (NR) {i50 = int(NR * 0.5 + 0.999); i99 = int(NR * 0.99 + 0.999); i999 = int(NR * 0.999 + 0.999);
             printf "%.0f %.0f %.0f", v[i50], v[i99], v[i999]} else print "- - -"}')
  awk -F';' -v l="$label" -v r="$rate" -v cpu=$(( c1 - c0 )) -v hz="$hz" -v e=$code -v pct="$pct" -v rf="$refused" -v dr="$drops" \
    'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i; next} {last = $0}
     END {split(last, v, ";"); split(pct, q, " ");
          ok = v[col["SuccessfulCall(C)"]]; failed = v[col["FailedCall(C)"]]; rt = v[col["Retransmissions(C)"]];
          placed = ok + failed; cs = cpu / hz;
          verdict = (failed == 0 && rt == 0 && rf == 0 && e == 0) ? "clean" : "NOT clean";
          printf "%-10s %-9s %-8.1f %-7d %-7d %-8d %-8d %-11s %-6s %-7s %-7s %-8.1f %-11.3f %s\n", l, r, v[col["CallRate(C)"]], placed,
                 failed, rf, rt, dr, q[1], q[2], q[3], cs, placed ? cs * 1000 / placed : 0, verdict}' "$run/stat.csv"
}
