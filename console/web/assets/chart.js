// Charts drawn as inline SVG: bars and lines over a row of slots (the
// minutes of the last hour, the days of a week), on a y axis from 0.

import { h } from './lib.js';

// The SVG namespace: a name for createElementNS, never fetched.
const SVG = 'http://www.w3.org/2000/svg';

// The drawing's height in viewBox units. It scales to the width of its
// box.
const H = 120;
const LEFT = 34; // room for the y labels
const RIGHT = 6;
const TOP = 8;
const BOTTOM = 16; // room for the x labels

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  if (text != null) el.textContent = text;
  return el;
}

// niceMax rounds v up to 1, 2 or 5 times a power of ten.
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v * (1 - 1e-9));
}

function fmtTick(v) {
  return v >= 1000 ? `${+(v / 1000).toPrecision(3)}k` : String(+v.toPrecision(3));
}

// chart returns a figure holding a chart:
//
//   title     its caption
//   slots     the number of slots along x
//   slotName  (i) => the name of slot i, for tooltips and x labels
//   xLabels   the slots to label under the x axis
//   series    [{name, cls, kind: 'bar' | 'line', values}]: one value per
//             slot, null for none (a gap in a line); bars are drawn over
//             each other, in order
//   max       the top of the y axis; if absent, fitted to the values
//   limit     an optional horizontal line {name, value}, such as a quota
//   width     the drawing's width, its height being 120 (default 320):
//             a narrower drawing has larger text on the same page width
export function chart({ title, slots, slotName, xLabels = [], series, max, limit, width = 320 }) {
  const W = width;
  const values = series.flatMap((s) => s.values.filter((v) => v != null));
  const top = max ?? niceMax(Math.max(0, limit?.value ?? 0, ...values));
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const slotW = plotW / slots;
  const x = (i) => LEFT + (i + 0.5) * slotW;
  const y = (v) => TOP + plotH * (1 - Math.min(v, top) / top);

  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': describe(title, series, limit) });
  for (const v of [0, top / 2, top]) {
    root.append(svg('line', { class: 'grid', x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v) }));
    root.append(svg('text', { class: 'tick', x: LEFT - 4, y: y(v) + 3, 'text-anchor': 'end' }, fmtTick(v)));
  }
  // Under narrow slots, the labels at the ends align with the plot's ends.
  const narrow = slotW < 20;
  for (const i of xLabels) {
    let at = x(i);
    let anchor = 'middle';
    if (narrow && i === 0) [at, anchor] = [LEFT, 'start'];
    if (narrow && i === slots - 1) [at, anchor] = [W - RIGHT, 'end'];
    root.append(svg('text', { class: 'tick', x: at, y: H - 3, 'text-anchor': anchor }, slotName(i)));
  }

  for (const s of series) {
    const g = svg('g', { class: `series ${s.kind} ${s.cls}` });
    if (s.kind === 'bar') {
      s.values.forEach((v, i) => {
        if (!v) return;
        const bar = svg('rect', { x: x(i) - slotW * 0.4, width: slotW * 0.8, y: y(v), height: y(0) - y(v) });
        bar.append(svg('title', {}, `${slotName(i)}: ${fmtValue(v)} ${s.name}`));
        g.append(bar);
      });
    } else {
      let d = '';
      s.values.forEach((v, i) => {
        if (v == null) return;
        d += `${s.values[i - 1] == null ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
        const dot = svg('circle', { cx: x(i), cy: y(v), r: 1.6 });
        dot.append(svg('title', {}, `${slotName(i)}: ${fmtValue(v)} ${s.name}`));
        g.append(dot);
      });
      g.prepend(svg('path', { d }));
    }
    root.append(g);
  }
  if (limit) {
    root.append(svg('line', { class: 'limit', x1: LEFT, x2: W - RIGHT, y1: y(limit.value), y2: y(limit.value) }));
  }

  const legend = [...series, ...(limit ? [{ name: limit.name, cls: 'limit' }] : [])];
  return h('figure', { class: 'chart' },
    h('figcaption', {}, title, ' ', legend.map((s) => h('span', { class: `key ${s.cls}` }, s.name))),
    root);
}

// describe is the text alternative of a chart: each series' latest and
// highest values.
function describe(title, series, limit) {
  const parts = series.map((s) => {
    const vs = s.values.filter((v) => v != null);
    if (vs.length === 0) return `${s.name}: none`;
    return `${s.name}: latest ${fmtValue(vs.at(-1))}, highest ${fmtValue(Math.max(...vs))}`;
  });
  if (limit) parts.push(`${limit.name}: ${fmtValue(limit.value)}`);
  return `${title}. ${parts.join('; ')}.`;
}

const fmtValue = (v) => (Number.isInteger(v) ? String(v) : String(+v.toPrecision(3)));
