// The console: the live counters and charts (one server-sent event a second for everyone), the calls (a page at a time,
// fetched again only when the counters moved), a call's ladder, the deployments, the media servers and the settings.
'use strict';
(() => {
  const PAGE = 50, HISTORY = 120;
  const $ = s => document.querySelector(s);
  const state = {view: 'calls', which: 'live', offset: 0, open: null, last: null, history: [], dirty: true};

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

  // ---- calls ----
  async function loadCalls() {
    const data = state.which === 'live'
        ? await api(`/api/calls?offset=${state.offset}&limit=${PAGE}`)
        : await api('/api/calls/ended');
    const total = state.which === 'live' ? data.total : data.calls.length;
    $('#page-info').textContent = total === 0 ? 'none'
        : `${Math.min(state.offset + 1, total)}–${Math.min(state.offset + data.calls.length, total)} of ${total}`;
    fill('#calls', data.calls, (tr, c) => {
      tr.dataset.callId = c.callId;
      if (state.open === c.callId) tr.classList.add('open');
      cell(tr, new Date(c.started).toLocaleTimeString());
      cell(tr, c.callId, 'callid').title = c.callId;
      cell(tr, c.state, 'state-' + c.state);
      cell(tr, c.application || '—');
      cell(tr, c.legs.length ? c.legs.length + (c.legs.length > 1 ? ' legs' : ' leg') : '');
      cell(tr, c.messages);
      const hang = cell(tr, '');
      if (state.which === 'live') {
        const b = document.createElement('button');
        b.textContent = 'hang up';
        b.className = 'hangup';
        b.addEventListener('click', ev => { ev.stopPropagation(); hangUp(c.callId); });
        hang.appendChild(b);
      }
      tr.addEventListener('click', () => openLadder(c.callId));
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
    const row = [...document.querySelectorAll('#calls tbody tr')].find(t => t.dataset.callId === callId);
    if (row) row.classList.add('open');
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

  async function loadMedia() {
    const data = await api('/api/media');
    fill('#media', data.servers, (tr, s) => {
      cell(tr, s.address); cell(tr, s.connected ? 'yes' : 'no'); cell(tr, s.sessions); cell(tr, s.maxSessions);
      cell(tr, s.sessionsPerSecond);
    });
    const details = document.createDocumentFragment();
    data.servers.filter(s => s.connected).forEach(s => {
      for (const [title, text] of [['Channels', s.channels], ['Conferences', s.conferences]]) {
        const h = document.createElement('h3');
        h.textContent = `${title} on ${s.address}`;
        const pre = document.createElement('pre');
        pre.className = 'message';
        pre.textContent = text && text.trim() ? text : '(none)';
        details.append(h, pre);
      }
    });
    $('#media-details').replaceChildren(details);
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
      chart('#chart-rate', 'rate'); chart('#chart-failures', 'failures'); chart('#chart-calls', 'calls');
      if (s.entries !== prev.entries || s.calls !== prev.calls || s.deployments !== prev.deployments) state.dirty = true;
    }
    if (state.dirty) refresh();
  }

  function chart(id, field) {
    const svg = $(id), values = state.history.map(p => p[field]);
    const max = Math.max(1, ...values);
    const first = HISTORY - values.length; // the newest point at the right edge, the history growing to the left
    const points = values.map((v, i) => `${((first + i) / (HISTORY - 1)) * 300},${58 - (v / max) * 54}`).join(' ');
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', points);
    const label = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    label.setAttribute('x', 2); label.setAttribute('y', 10);
    label.textContent = 'max ' + (Number.isInteger(max) ? max : max.toFixed(1));
    svg.replaceChildren(line, label);
  }

  function connect() {
    const events = new EventSource('/api/events');
    events.addEventListener('stats', m => onStats(JSON.parse(m.data)));
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
    state.which = r.value; state.offset = 0; refresh();
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
