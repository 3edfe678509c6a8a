// The console: the live counters and charts (one server-sent event a second for everyone), the calls (a page at a time,
// fetched again when the counters moved or a `change` event says calls moved in between), a call's ladder, the
// deployments, the media servers with their conferences and channels (fetched each second while shown) and the settings.
// Tables that follow live data are brought up to date row by row (`sync`): a row is made once per call, channel or
// member and only its changed cells are touched.
'use strict';
(() => {
  const PAGE = 50, HISTORY = 120;
  const $ = s => document.querySelector(s);
  const state = {view: 'calls', which: 'live', offset: 0, open: null, last: null, history: [], lateness: [], dirty: true};

  async function api(path, options) {
    const r = await fetch(path, Object.assign({credentials: 'same-origin'}, options));
    if (r.status === 401) { location.reload(); throw new Error('token'); }
    return r.json();
  }

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function fill(table, rows, build) {
    const body = $(table + ' tbody');
    const fragment = document.createDocumentFragment();
    rows.forEach(r => { const tr = document.createElement('tr'); build(tr, r); fragment.appendChild(tr); });
    body.replaceChildren(fragment);
  }

  // Brings `parent`'s children to `items`, one element per key(item): made once by make(item), brought up to date by
  // update(element, item) each time, moved only when out of order, removed when its item is gone.
  function sync(parent, items, key, make, update) {
    const old = new Map([...parent.children].map(e => [e.dataset.key, e]));
    let at = parent.firstElementChild;
    for (const item of items) {
      const k = String(key(item));
      let e = old.get(k);
      if (e) old.delete(k); else { e = make(item); e.dataset.key = k; }
      update(e, item);
      if (e === at) at = at.nextElementSibling; else parent.insertBefore(e, at);
    }
    old.forEach(e => e.remove());
  }

  // Sets a row's cells to `values` (text, or {text, cls}), touching only those that changed; makes missing cells.
  function cells(tr, values) {
    values.forEach((v, i) => {
      const td = tr.children[i] || tr.appendChild(document.createElement('td'));
      const text = v !== null && typeof v === 'object' ? v.text : v, cls = v !== null && typeof v === 'object' ? v.cls || '' : '';
      if (td.firstElementChild) return; // a cell with a control of its own (a button, a link) keeps it
      if (td.textContent !== String(text)) td.textContent = text;
      if (td.className !== cls) td.className = cls;
    });
  }

  function row(build) {
    return () => { const tr = document.createElement('tr'); if (build) build(tr); return tr; };
  }

  // A cell holding a link to a call's ladder; update sets its Call-ID (none: a dash).
  function callCell(tr) {
    const td = tr.appendChild(document.createElement('td'));
    const a = td.appendChild(document.createElement('a'));
    a.className = 'call-link';
    a.href = '#calls';
    a.textContent = '—';
    a.addEventListener('click', ev => { ev.preventDefault(); if (a.dataset.callId) showCall(a.dataset.callId); });
  }

  function setCall(td, callId) {
    const a = td.firstElementChild;
    if ((a.dataset.callId || '') === (callId || '')) return;
    a.dataset.callId = callId || '';
    a.textContent = callId || '—';
    a.title = callId || '';
  }

  // ---- calls ----
  async function loadCalls() {
    const data = state.which === 'live'
        ? await api(`/api/calls?offset=${state.offset}&limit=${PAGE}`)
        : await api('/api/calls/ended');
    const total = state.which === 'live' ? data.total : data.calls.length;
    $('#page-info').textContent = total === 0 ? 'none'
        : `${Math.min(state.offset + 1, total)}–${Math.min(state.offset + data.calls.length, total)} of ${total}`;
    const live = state.which === 'live';
    sync($('#calls tbody'), data.calls, c => c.callId, row(tr => {
      for (let i = 0; i < 6; i++) tr.appendChild(document.createElement('td'));
      const hang = tr.appendChild(document.createElement('td'));
      if (live) {
        const b = hang.appendChild(document.createElement('button'));
        b.textContent = 'hang up';
        b.className = 'hangup';
        b.addEventListener('click', ev => { ev.stopPropagation(); hangUp(tr.dataset.key); });
      }
      tr.addEventListener('click', () => openLadder(tr.dataset.key));
    }), (tr, c) => {
      tr.classList.toggle('open', state.open === c.callId);
      cells(tr, [new Date(c.started).toLocaleTimeString(), {text: c.callId, cls: 'callid'},
        {text: c.state, cls: 'state-' + c.state}, c.application || '—',
        c.legs.length ? c.legs.length + (c.legs.length > 1 ? ' legs' : ' leg') : '', c.messages]);
      tr.children[1].title = c.callId;
    });
  }

  async function hangUp(callId) {
    await api('/api/calls/' + encodeURIComponent(callId), {method: 'DELETE'});
    state.dirty = true;
  }

  // ---- ladder ----
  async function openLadder(callId) {
    if (state.open !== callId) $('#message').textContent = 'Click an arrow to read the whole message.';
    state.open = callId;
    document.querySelectorAll('#calls tr.open').forEach(t => t.classList.remove('open'));
    const open = [...document.querySelectorAll('#calls tbody tr')].find(t => t.dataset.key === callId);
    if (open) open.classList.add('open');
    $('#ladder-panel').hidden = false;
    $('#ladder-title').textContent = callId;
    await loadLadder();
  }

  async function loadLadder() {
    if (!state.open) return;
    const call = await api('/api/calls/' + encodeURIComponent(state.open));
    if (call.error) { $('#message').textContent = call.error; return; }
    const legs = [{callId: call.callId, events: call.events}];
    for (const leg of call.legs || []) {
      const other = await api('/api/calls/' + encodeURIComponent(leg));
      if (!other.error) legs.push({callId: other.callId, events: other.events});
    }
    Ladder.render($('#ladder'), legs, row => {
      const e = row.e;
      $('#message').textContent = `${e.at}  ${e.kind}  ${e.peer}  Call-ID ${row.callId}\n\n${e.text}`;
    });
  }

  // ---- the other views ----
  async function loadDeployments() {
    const data = await api('/api/deployments');
    fill('#deployments', data.deployments, (tr, d) => {
      cell(tr, d.name); cell(tr, d.version); cell(tr, d.state, 'state-' + d.state); cell(tr, d.calls); cell(tr, d.routing);
    });
  }

  function duration(seconds) {
    const h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, sec = seconds % 60;
    return (h ? h + ':' + String(m).padStart(2, '0') : m) + ':' + String(sec).padStart(2, '0');
  }

  function ms(v) {
    return v === undefined ? '—' : v.toFixed(1) + ' ms';
  }

  function clockStatus(s) {
    if (!s.connected) return 'not connected';
    if (!s.clock) return 'clock: asking';
    if (!s.clock.reported) return 'clock: n/a (the switch does not report it)';
    return s.clock.packets ? `clock: ${s.clock.packets} packets in the last second` : 'clock: idle (no packet sent)';
  }

  async function loadMedia() {
    const data = await api('/api/media');
    sync($('#media tbody'), data.servers, s => s.address, row(), (tr, s) => {
      const c = s.clock && s.clock.reported ? s.clock : {};
      const na = s.clock && !s.clock.reported ? 'n/a' : undefined;
      // the channels listed now when the switch answered, else its last heartbeat's count
      cells(tr, [s.address, s.connected ? 'yes' : 'no', s.channelsTotal ?? s.sessions, s.maxSessions, s.sessionsPerSecond,
        na || ms(c.p50), na || ms(c.p99), na || ms(c.max),
        [clockStatus(s), s.conferencesError, s.channelsError].filter(x => x).join('; ')]);
    });
    const conferences = data.servers.flatMap(s => (s.conferences || []).map(c => Object.assign({server: s.address}, c)));
    $('#conferences-info').textContent = conferences.length ? `${conferences.length} running` : 'none';
    sync($('#conferences'), conferences, c => c.server + ' ' + c.uuid, conferenceView, (div, c) => {
      const title = `${c.name} on ${c.server}: ${c.memberCount} member${c.memberCount === 1 ? '' : 's'}, up ${duration(c.uptimeSeconds)}`
          + (c.locked ? ', locked' : '') + (c.recording ? ', recording' : '');
      const h = div.firstElementChild;
      if (h.textContent !== title) h.textContent = title;
      sync(div.querySelector('tbody'), c.members, m => m.uuid, row(tr => {
        for (let i = 0; i < 5; i++) tr.appendChild(document.createElement('td'));
        callCell(tr);
      }), (tr, m) => {
        cells(tr, [m.id, [m.callerIdName, m.callerIdNumber].filter(x => x).join(' ') || '—', {text: m.uuid, cls: 'uuid'},
          m.endConference ? 'control leg' : m.moderator ? 'moderator' : 'member', m.application || '—', null,
          {text: m.muted ? 'muted' : '', cls: m.muted ? 'flag-on muted' : 'muted'},
          {text: m.deaf ? 'deaf' : '', cls: m.deaf ? 'flag-on deaf' : 'deaf'},
          {text: m.talking ? 'talking' : '', cls: m.talking ? 'talking' : 'silent'}, duration(m.inConferenceSeconds)]);
        setCall(tr.children[5], m.callId);
      });
    });
    const channels = data.servers.flatMap(s => (s.channels || []).map(c => Object.assign({server: s.address}, c)));
    const total = data.servers.reduce((n, s) => n + (s.channelsTotal || 0), 0);
    $('#channels-info').textContent = total === 0 ? 'none' : total > channels.length ? `${channels.length} of ${total}` : `${total}`;
    const now = Date.now();
    sync($('#channels tbody'), channels, c => c.server + ' ' + c.uuid, row(tr => {
      for (let i = 0; i < 9; i++) tr.appendChild(document.createElement('td'));
      callCell(tr);
    }), (tr, c) => {
      cells(tr, [c.server, {text: c.uuid, cls: 'uuid'}, c.name, c.callState || c.state, c.codec, c.callerIdNumber || '—',
        c.destination || '—', c.created ? duration(Math.max(0, Math.round((now - Date.parse(c.created)) / 1000))) : '—',
        c.application || '—']);
      setCall(tr.children[9], c.callId);
    });
  }

  // One conference: its title and its members' table (the call cell is the sixth).
  function conferenceView() {
    const div = document.createElement('div');
    div.className = 'conference';
    div.appendChild(document.createElement('h3'));
    const table = div.appendChild(document.createElement('table'));
    table.className = 'members';
    table.innerHTML = '<thead><tr><th>Member</th><th>Caller</th><th>Endpoint</th><th>Role</th><th>Application</th>'
        + '<th>Call</th><th>Muted</th><th>Deaf</th><th>Talking</th><th>In for</th></tr></thead><tbody></tbody>';
    return div;
  }

  function showCall(callId) {
    state.which = 'live';
    document.querySelector('input[name=which][value=live]').checked = true;
    show('calls');
    openLadder(callId);
  }

  async function loadSettings() {
    const data = await api('/api/settings');
    fill('#settings', Object.entries(data.settings), (tr, [k, v]) => { cell(tr, k); cell(tr, v); });
  }

  function refresh() {
    state.dirty = false;
    const load = {calls: loadCalls, deployments: loadDeployments, media: loadMedia, settings: loadSettings}[state.view];
    return load().then(() => state.view === 'calls' ? loadLadder() : null).catch(e => console.warn(e));
  }

  // ---- live counters and charts ----
  function onStats(s) {
    const prev = state.last;
    state.last = s;
    $('#n-calls').textContent = s.calls;
    if (prev) {
      const secs = Math.max(0.001, (s.time - prev.time) / 1000);
      const point = {rate: (s.invites - prev.invites) / secs, failures: (s.failures - prev.failures) / secs, calls: s.calls};
      state.history.push(point);
      if (state.history.length > HISTORY) state.history.shift();
      $('#n-rate').textContent = point.rate.toFixed(1);
      $('#n-failures').textContent = point.failures.toFixed(1);
      chart('#chart-rate', [{field: 'rate'}]); chart('#chart-failures', [{field: 'failures'}]);
      chart('#chart-calls', [{field: 'calls'}]);
      if (s.entries !== prev.entries || s.calls !== prev.calls || s.deployments !== prev.deployments) state.dirty = true;
    }
    // the lateness of the last second, a point of its own (none when no media clock sent a packet)
    const l = s.lateness;
    state.lateness.push(l ? {p50: l.p50, p99: l.p99, max: l.max} : {});
    if (state.lateness.length > HISTORY) state.lateness.shift();
    $('#n-lateness').textContent = l ? l.p99.toFixed(1) + ' ms' : s.clocks ? 'idle' : 'n/a';
    chart('#chart-lateness', [{field: 'p50', cls: 'p50'}, {field: 'p99', cls: 'p99'}, {field: 'max', cls: 'max'}],
        state.lateness, s.clocks ? 'idle' : 'n/a');
    if (state.view === 'media') state.dirty = true; // what the switches run is read again each second while shown
    if (state.dirty) refresh();
  }

  // Draws `series` (fields of the points) over the last HISTORY points, the newest at the right edge; a point without
  // a series' field leaves it out. The svg's data-points says how many points had a value.
  function chart(id, series, history, empty) {
    const svg = $(id), points = history || state.history;
    const values = series.flatMap(s => points.map(p => p[s.field]).filter(v => v !== undefined));
    const max = Math.max(1, ...values);
    const first = HISTORY - points.length; // the history growing to the left
    const lines = series.map(s => {
      const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
      line.setAttribute('points', points.map((p, i) => p[s.field] === undefined ? null
          : `${((first + i) / (HISTORY - 1)) * 300},${58 - (p[s.field] / max) * 54}`).filter(x => x).join(' '));
      if (s.cls) line.setAttribute('class', s.cls);
      return line;
    });
    const label = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    label.setAttribute('x', 2); label.setAttribute('y', 10);
    label.textContent = values.length === 0 && empty ? empty : 'max ' + (Number.isInteger(max) ? max : max.toFixed(1));
    svg.dataset.points = points.filter(p => series.some(s => p[s.field] !== undefined)).length;
    svg.replaceChildren(...lines, label);
  }

  function connect() {
    const events = new EventSource('/api/events');
    events.addEventListener('stats', m => onStats(JSON.parse(m.data)));
    // calls began, ended or moved since the last event: the calls and the open ladder are fetched now, not at the tick
    events.addEventListener('change', () => { if (state.view === 'calls') refresh(); });
    events.onopen = () => { $('#live').className = 'live on'; };
    events.onerror = () => { $('#live').className = 'live off'; }; // EventSource reconnects by itself
  }

  // ---- navigation ----
  function show(view) {
    state.view = view;
    document.querySelectorAll('.view').forEach(v => { v.hidden = v.id !== 'view-' + view; });
    document.querySelectorAll('nav a').forEach(a => a.classList.toggle('current', a.dataset.view === view));
    refresh();
  }

  document.querySelectorAll('nav a').forEach(a => a.addEventListener('click', () => show(a.dataset.view)));
  document.querySelectorAll('input[name=which]').forEach(r => r.addEventListener('change', () => {
    state.which = r.value; state.offset = 0; $('#calls tbody').replaceChildren(); refresh();
  }));
  $('#prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); refresh(); });
  $('#next').addEventListener('click', () => {
    if (state.last && state.offset + PAGE < state.last.calls) { state.offset += PAGE; refresh(); }
  });
  $('#ladder-close').addEventListener('click', () => { state.open = null; $('#ladder-panel').hidden = true; });
  const wanted = (location.hash || '#calls').slice(1);
  show(['calls', 'deployments', 'media', 'settings'].includes(wanted) ? wanted : 'calls');
  connect();
})();
