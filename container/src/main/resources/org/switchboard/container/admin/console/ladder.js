// The SIP ladder of a call and its legs: one column per party, the node in the middle; the call's first leg's parties to
// its left, the other legs' to its right, media events in their own column; one row per message or event in time order.
// Everything from the wire is put in the page as text (never as markup): SIP messages come from anyone.
'use strict';
const Ladder = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const COL = 210, ROW = 30, TOP = 46, LEFT = 110, NODE = 'switchboard', MEDIA = 'media';

  function el(name, attrs, text) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // legs: [{callId, events: [{micros, kind, peer, label, text}]}], the call itself first
  function render(svg, legs, onSelect) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const left = [], right = [];
    let hasMedia = false;
    legs.forEach((leg, i) => leg.events.forEach(e => {
      if (e.kind === 'media') { hasMedia = true; return; }
      if (!left.includes(e.peer) && !right.includes(e.peer)) (i === 0 ? left : right).push(e.peer);
    }));
    const columns = [...left, NODE, ...right, ...(hasMedia ? [MEDIA] : [])];
    const x = p => LEFT + columns.indexOf(p) * COL + COL / 2;
    const rows = [];
    legs.forEach((leg, i) => leg.events.forEach(e => rows.push({leg: i, callId: leg.callId, e})));
    rows.sort((a, b) => a.e.micros - b.e.micros);
    const width = LEFT + columns.length * COL, height = TOP + rows.length * ROW + 20;
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    columns.forEach(c => {
      svg.appendChild(el('text', {x: x(c), y: 18, 'text-anchor': 'middle', class: 'party'}, c));
      svg.appendChild(el('line', {x1: x(c), y1: 26, x2: x(c), y2: height - 6, class: 'lifeline'}));
    });
    const t0 = rows.length ? rows[0].e.micros : 0;
    rows.forEach((r, i) => {
      const y = TOP + i * ROW + ROW / 2, e = r.e;
      const ms = ((e.micros - t0) / 1000).toFixed(1);
      svg.appendChild(el('text', {x: 6, y: y + 4, class: 'time'}, '+' + ms + ' ms'));
      if (e.kind === 'media') {
        const g = el('g', {class: 'media arrow', 'data-label': e.label});
        g.appendChild(el('circle', {cx: x(MEDIA), cy: y, r: 5}));
        g.appendChild(el('text', {x: x(MEDIA) + 9, y: y + 4}, e.label));
        g.addEventListener('click', () => select(svg, g, r, onSelect));
        svg.appendChild(g);
        return;
      }
      const from = e.kind === 'received' ? x(e.peer) : x(NODE), to = e.kind === 'received' ? x(NODE) : x(e.peer);
      const dir = to > from ? 1 : -1;
      const g = el('g', {class: 'arrow ' + e.kind, 'data-label': e.label, 'data-leg': r.leg});
      g.appendChild(el('rect', {x: Math.min(from, to), y: y - ROW / 2, width: Math.abs(to - from), height: ROW}));
      g.appendChild(el('line', {x1: from, y1: y, x2: to - dir * 8, y2: y}));
      g.appendChild(el('polygon', {points: `${to},${y} ${to - dir * 9},${y - 4} ${to - dir * 9},${y + 4}`}));
      g.appendChild(el('text', {x: (from + to) / 2, y: y - 5, 'text-anchor': 'middle'},
          e.label + (legs.length > 1 ? ' [' + (r.leg === 0 ? 'A' : String.fromCharCode(65 + r.leg)) + ']' : '')));
      g.addEventListener('click', () => select(svg, g, r, onSelect));
      svg.appendChild(g);
    });
  }

  function select(svg, g, row, onSelect) {
    svg.querySelectorAll('.selected').forEach(s => s.classList.remove('selected'));
    g.classList.add('selected');
    onSelect(row);
  }

  return {render};
})();
