// Helpers shared by the console's views.

// api calls the console's JSON API and returns its answer, or null when
// it has none. path is relative ("api/apis"), so the console works
// wherever it is mounted. A failure throws an Error with the API's
// message.
export async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: an error page from something in front of the console.
  }
  if (!res.ok) {
    const why = data?.message ?? data?.Message ?? (text.trim() || res.statusText);
    throw new Error(`${method} ${path}: ${res.status} ${why}`);
  }
  return data;
}

// seg escapes a value for a path segment.
export const seg = encodeURIComponent;

// h makes an element: h('button', { type: 'button', onclick: f }, 'Deploy').
// Attributes that are null, undefined or false are left out; children are
// nodes or text (never parsed as HTML), and may be nested in arrays.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false));
  return el;
}

// The error banner and the status line, shared by every view.

let errorSource = null;

// showError shows err in the banner. source names who showed it, so that
// it can take it back with clearError.
export function showError(err, source = null) {
  console.error(err);
  errorSource = source;
  document.getElementById('error').hidden = false; // first, so the alert is announced
  document.getElementById('error-text').textContent = err.message ?? String(err);
}

// clearError hides the banner if source showed what it shows (any
// error, without a source).
export function clearError(source = null) {
  if (source === null || source === errorSource) {
    document.getElementById('error').hidden = true;
    errorSource = null;
  }
}

// say puts a message in the status line, which screen readers announce.
export function say(msg) {
  document.getElementById('status').textContent = msg;
}

// action runs fn for a button or a form, disabling control while it
// runs, and shows what fails. If fn redraws the view, the focus moves to
// the control's successor: the element with its id.
export async function action(control, fn) {
  control.disabled = true;
  try {
    clearError();
    await fn();
  } catch (err) {
    showError(err);
  } finally {
    control.disabled = false;
    if (control.id && !control.isConnected) document.getElementById(control.id)?.focus();
  }
}

// Formatting.

const integer = new Intl.NumberFormat();

export const fmtInt = (n) => integer.format(n);

export function fmtMs(ms) {
  if (!ms) return '–';
  return ms < 10 ? `${+ms.toPrecision(2)} ms` : `${integer.format(Math.round(ms))} ms`;
}

// pct formats part of whole as a percentage, or '–' without a whole.
export function pct(part, whole) {
  if (!whole) return '–';
  const p = (100 * part) / whole;
  return `${p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}

export const fmtTime = (s) => new Date(s).toLocaleString();

// fmtDuration formats a Go time.Duration (nanoseconds in JSON).
export function fmtDuration(ns) {
  if (!ns) return '';
  const s = ns / 1e9;
  return s < 1 ? `${ns / 1e6} ms` : `${s} s`;
}

export function fmtRate(r) {
  if (!r) return '';
  return r.PerSecond >= Number.MAX_VALUE ? 'unlimited' : `${r.PerSecond}/s, burst ${r.Burst}`; // throttle.Inf
}
