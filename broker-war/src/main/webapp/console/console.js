// The LogQueue console. It reads the broker's public API every 2 s and changes it only through the
// same API. A message is untrusted data: every text from the broker reaches the page as a text
// node (never as HTML), and the page's content security policy runs no script but this one.

const API = new URL('../', window.location.href);
const REFRESH_MS = 2000;
const TOKEN_KEY = 'logqueue.token';

const state = {
  details: [],
  previous: null, // {at, topics: Map(name -> {end, consumed})}
  rates: new Map(), // name -> {in, out}
  producers: new Map(), // topic -> producer id registered by this page
  browse: null, // the last browse asked for: {topic, from, offset, timestamp, max}
  refreshing: null,
};

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.error = body && body.error;
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  const response = await fetch(new URL(path, API), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  let json = null;
  try {
    json = await response.json();
  } catch {
    // not JSON: said below
  }
  if (response.status === 401) {
    askForToken();
  }
  if (!response.ok || !json || json.status !== 'success') {
    throw new ApiError(response.status, json);
  }
  return json;
}

const topicPath = (name) => `topics/${encodeURIComponent(name)}`;

// ---------------------------------------------------------------- building the page

/** An element; children that are not nodes become text nodes, whatever they hold. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key === 'class') {
      node.className = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

const $ = (selector) => document.querySelector(selector);

const count = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'));

function bytes(n) {
  if (n < 1024) {
    return `${n} B`;
  }
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function duration(ms) {
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const steps = [
    [86400000, 'd'],
    [3600000, 'h'],
    [60000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of steps) {
    if (ms >= size) {
      const value = ms / size;
      return `${value < 10 && unit !== 's' ? value.toFixed(1).replace(/\.0$/, '') : Math.floor(value)} ${unit}`;
    }
  }
  return `${ms} ms`;
}

function rate(value) {
  if (value === undefined) {
    return '–';
  }
  return value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
}

function time(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
  );
}

function retention(topic) {
  const parts = [];
  if (topic.retention_ms > 0) {
    parts.push(duration(topic.retention_ms));
  }
  if (topic.retention_bytes > 0) {
    parts.push(bytes(topic.retention_bytes));
  }
  return parts.length ? parts.join(', ') : 'forever';
}

// ---------------------------------------------------------------- notices, state of the broker

let noticeTimer = null;

function notice(text, ok = false) {
  const box = $('#notice');
  box.textContent = text;
  box.classList.toggle('ok', ok);
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    box.hidden = true;
  }, ok ? 4000 : 8000);
}

function broker(up, text) {
  const line = $('#broker');
  line.classList.toggle('up', up);
  line.classList.toggle('down', !up);
  line.textContent = text;
}

// ---------------------------------------------------------------- refresh

/** Messages a topic's consumers have read or settled, all together: what left it. */
const consumed = (topic) => topic.consumers.reduce((sum, c) => sum + Math.max(0, topic.end_offset - c.lag), 0);

function measureRates(details, at) {
  const now = new Map(details.map((t) => [t.name, { end: t.end_offset, consumed: consumed(t) }]));
  const before = state.previous;
  state.rates = new Map();
  if (before) {
    const seconds = (at - before.at) / 1000;
    for (const [name, current] of now) {
      const old = before.topics.get(name);
      if (old && seconds > 0) {
        state.rates.set(name, {
          in: Math.max(0, current.end - old.end) / seconds,
          out: Math.max(0, current.consumed - old.consumed) / seconds,
        });
      }
    }
  }
  state.previous = { at, topics: now };
}

async function refresh() {
  try {
    const answer = await api('GET', 'topics?details=true');
    measureRates(answer.details, performance.now());
    state.details = answer.details;
    broker(true, `up · ${answer.details.length} topic${answer.details.length === 1 ? '' : 's'} · ${time(Date.now()).slice(11, 19)}`);
    renderTopics();
    renderConsumers();
    renderTopicChoices();
    if (!$('#messages').hidden && state.browse && state.browse.from === 'newest') {
      await browse(state.browse, true);
    }
  } catch (e) {
    broker(false, e instanceof ApiError ? `refused: ${e.message}` : 'unreachable');
  }
}

function refreshNow() {
  clearTimeout(state.refreshing);
  return refresh().finally(schedule);
}

function schedule() {
  clearTimeout(state.refreshing);
  state.refreshing = setTimeout(refreshNow, REFRESH_MS);
}

// ---------------------------------------------------------------- topics

function renderTopics() {
  const body = $('#topics-table tbody');
  const rows = state.details.map((topic) => {
    const r = state.rates.get(topic.name) || {};
    const maxLag = topic.consumers.reduce((max, c) => Math.max(max, c.lag), 0);
    const age = topic.oldest_timestamp === null ? null : Date.now() - topic.oldest_timestamp;
    return el(
      'tr',
      { dataset: { topic: topic.name } },
      el('th', { scope: 'row' }, topic.name),
      el('td', { class: 'n', dataset: { field: 'messages' } }, count(topic.messages)),
      el('td', { class: 'n', title: `${count(topic.bytes)} bytes` }, bytes(topic.bytes)),
      el('td', { class: 'n' }, rate(r.in)),
      el('td', { class: 'n' }, rate(r.out)),
      el('td', { class: 'n', title: topic.oldest_timestamp === null ? null : time(topic.oldest_timestamp) }, age === null ? '–' : duration(Math.max(0, age))),
      el('td', {}, retention(topic)),
      el('td', { class: 'n' }, count(topic.producers)),
      el('td', { class: 'n' }, count(topic.consumers.length)),
      el('td', { class: maxLag > 0 ? 'n lagging' : 'n' }, count(maxLag)),
      el(
        'td',
        { class: 'actions' },
        el('button', { type: 'button', class: 'link', onclick: () => showMessages(topic.name) }, 'Browse'),
        el('button', { type: 'button', class: 'link danger', 'aria-label': `Delete ${topic.name}`, onclick: () => deleteTopic(topic.name) }, 'Delete'),
      ),
    );
  });
  body.replaceChildren(...rows);
  $('#topics-empty').hidden = rows.length > 0;
  const total = state.details.reduce((sum, t) => sum + t.messages, 0);
  const size = state.details.reduce((sum, t) => sum + t.bytes, 0);
  $('#topics-summary').textContent = `${count(total)} messages, ${bytes(size)} retained`;
}

/** "7d", "12h", "30min", "15m", "45s", "500ms", "0"; empty: the broker's default (undefined). */
function parseDuration(text) {
  const value = text.trim();
  if (!value) {
    return undefined;
  }
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d|w)?$/i.exec(value);
  if (!match) {
    throw new Error(`"${value}" is not a duration (500ms, 30s, 15m, 12h, 7d, or 0)`);
  }
  const factor = { ms: 1, s: 1000, m: 60000, min: 60000, h: 3600000, d: 86400000, w: 604800000 }[(match[2] || 'ms').toLowerCase()];
  return Math.round(Number(match[1]) * factor);
}

/** "1048576", "512MiB", "10GB", "0"; empty: the broker's default (undefined). */
function parseBytes(text) {
  const value = text.trim();
  if (!value) {
    return undefined;
  }
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?$/i.exec(value);
  if (!match) {
    throw new Error(`"${value}" is not a size (1048576, 512MiB, 10GB, or 0)`);
  }
  const unit = (match[2] || 'b').toLowerCase();
  const factor = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 }[unit];
  return Math.round(Number(match[1]) * factor);
}

async function createTopic(event) {
  event.preventDefault();
  const form = event.target;
  try {
    const body = { name: form.elements.namedItem('name').value.trim() };
    const ms = parseDuration(form.retention.value);
    const size = parseBytes(form.bytes.value);
    if (ms !== undefined) {
      body.retention_ms = ms;
    }
    if (size !== undefined) {
      body.retention_bytes = size;
    }
    await api('POST', 'topics', body);
    notice(`Topic ${body.name} created`, true);
    form.reset();
    await refreshNow();
  } catch (e) {
    notice(e.message);
  }
}

/** Asks, in the page's own dialog, to type a word before a deletion; resolves true if so. */
function confirmDeletion(title, text, word) {
  const dialog = $('#confirm');
  const input = dialog.querySelector('input[name="word"]');
  const ok = $('#confirm-ok');
  $('#confirm-title').textContent = title;
  $('#confirm-text').textContent = text;
  $('#confirm-word').textContent = word;
  input.value = '';
  ok.disabled = true;
  input.oninput = () => {
    ok.disabled = input.value !== word;
  };
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.onclose = () => resolve(dialog.returnValue === 'ok' && input.value === word);
    dialog.showModal();
    input.focus();
  });
}

async function deleteTopic(name) {
  const sure = await confirmDeletion(
    `Delete topic ${name}?`,
    'Its messages, producers and consumers are gone for good. A topic of the same name can be created again later, as a new topic.',
    name,
  );
  if (!sure) {
    return;
  }
  try {
    await api('DELETE', topicPath(name));
    state.producers.delete(name);
    notice(`Topic ${name} deleted`, true);
    await refreshNow();
  } catch (e) {
    notice(e.message);
  }
}

// ---------------------------------------------------------------- consumers

function renderConsumers() {
  const consumers = state.details
    .flatMap((topic) => topic.consumers.map((c) => ({ topic: topic.name, ...c })))
    .sort((a, b) => b.lag - a.lag || b.lag_ms - a.lag_ms || a.topic.localeCompare(b.topic) || a.consumer_id - b.consumer_id);
  const rows = consumers.map((c) =>
    el(
      'tr',
      { dataset: { topic: c.topic, consumer: c.consumer_id } },
      el('td', {}, c.topic),
      el('td', { class: 'n' }, c.consumer_id),
      el('td', {}, c.name === null ? '' : c.name),
      el('td', {}, el('span', { class: `tag ${c.ack}` }, c.ack)),
      el('td', { class: 'n' }, count(c.offset)),
      el('td', { class: c.lag > 0 ? 'n lagging' : 'n', dataset: { field: 'lag' } }, count(c.lag)),
      el('td', { class: 'n' }, c.lag_ms > 0 ? duration(c.lag_ms) : '–'),
      el('td', { class: 'n' }, count(c.leased)),
      el('td', { class: 'n' }, count(c.acked)),
      el('td', { class: 'n' }, count(c.redelivered)),
      el('td', { class: c.dead_lettered > 0 ? 'n lagging' : 'n' }, count(c.dead_lettered)),
      el(
        'td',
        { class: 'actions' },
        el('button', { type: 'button', class: 'link danger', 'aria-label': `Delete consumer ${c.consumer_id}`, onclick: () => deleteConsumer(c.topic, c.consumer_id) }, 'Delete'),
      ),
    ),
  );
  $('#consumers-table tbody').replaceChildren(...rows);
  $('#consumers-empty').hidden = rows.length > 0;
  const behind = consumers.filter((c) => c.lag > 0).length;
  $('#consumers-summary').textContent = `${consumers.length} consumer${consumers.length === 1 ? '' : 's'}, ${behind} behind`;
}

async function deleteConsumer(topic, id) {
  const sure = await confirmDeletion(
    `Delete consumer ${id} of ${topic}?`,
    'Its position and acknowledgements are gone; a client still using its id is refused.',
    String(id),
  );
  if (!sure) {
    return;
  }
  try {
    await api('DELETE', `${topicPath(topic)}/consumers/${id}`);
    notice(`Consumer ${id} deleted`, true);
    await refreshNow();
  } catch (e) {
    notice(e.message);
  }
}

// ---------------------------------------------------------------- messages

function renderTopicChoices() {
  const select = $('#browse-form select[name="topic"]');
  const chosen = select.value;
  const names = state.details.map((t) => t.name);
  const current = Array.from(select.options, (o) => o.value);
  if (names.join('\n') !== current.join('\n')) {
    select.replaceChildren(...names.map((name) => el('option', { value: name }, name)));
    if (names.includes(chosen)) {
      select.value = chosen;
    }
  }
}

function showMessages(topic) {
  window.location.hash = '#messages';
  renderTopicChoices();
  const form = $('#browse-form');
  form.topic.value = topic;
  form.from.value = 'newest';
  browse(readBrowseForm(), false);
}

function readBrowseForm() {
  const form = $('#browse-form');
  const request = { topic: form.topic.value, from: form.from.value, max: Number(form.max.value) || 100 };
  if (request.from === 'offset') {
    if (form.offset.value === '') {
      throw new Error('Give an offset');
    }
    request.offset = Number(form.offset.value);
  } else if (request.from === 'time') {
    const at = Date.parse(form.time.value);
    if (Number.isNaN(at)) {
      throw new Error('Give a time');
    }
    request.timestamp = at;
  }
  return request;
}

async function browse(request, quiet) {
  if (!request.topic) {
    return;
  }
  const query = new URLSearchParams({ max: String(request.max) });
  if (request.offset !== undefined) {
    query.set('offset', String(request.offset));
  }
  if (request.timestamp !== undefined) {
    query.set('timestamp', String(request.timestamp));
  }
  try {
    const answer = await api('GET', `${topicPath(request.topic)}/messages?${query}`);
    state.browse = request;
    renderMessages(request, answer);
  } catch (e) {
    if (!quiet) {
      notice(e.message);
    }
  }
}

function renderMessages(request, answer) {
  const records = answer.records.slice().reverse(); // newest first
  const rows = records.map((record) =>
    el(
      'tr',
      { dataset: { offset: record.offset } },
      el('td', { class: 'n' }, count(record.offset)),
      el('td', { class: 'time' }, time(record.timestamp)),
      el(
        'td',
        { class: 'text' },
        record.message,
        record.origin
          ? el('span', { class: 'origin' }, `dead letter of ${record.origin.topic} at ${count(record.origin.offset)}, after ${record.origin.deliveries} deliveries`)
          : null,
      ),
    ),
  );
  $('#messages-table tbody').replaceChildren(...rows);
  $('#messages-empty').hidden = rows.length > 0;
  const lowest = answer.records.length ? answer.records[0].offset : null;
  $('#messages-summary').textContent =
    `${request.topic}: offsets ${count(answer.start_offset)} to ${count(Math.max(answer.start_offset, answer.end_offset - 1))} retained` +
    (lowest === null ? '' : `; showing ${count(lowest)} to ${count(answer.records[answer.records.length - 1].offset)}`);
  const older = $('#older');
  older.disabled = lowest === null || lowest <= answer.start_offset;
  older.onclick = () => {
    const max = Math.min(request.max, lowest - answer.start_offset);
    const form = $('#browse-form');
    form.from.value = 'offset';
    form.offset.value = String(lowest - max);
    browse({ topic: request.topic, from: 'offset', offset: lowest - max, max }, false);
  };
}

async function produce(event) {
  event.preventDefault();
  const form = event.target;
  const topic = $('#browse-form').topic.value;
  if (!topic) {
    notice('Choose a topic first');
    return;
  }
  try {
    const answer = await sendTo(topic, form.message.value);
    notice(`Sent to ${topic} at offset ${answer.offset}`, true);
    form.reset();
    await refreshNow();
    if (state.browse && state.browse.topic === topic) {
      await browse(state.browse, true);
    }
  } catch (e) {
    notice(e.message);
  }
}

/** Produces one message with an id of its own, through a producer this page registered. */
async function sendTo(topic, message) {
  const body = { topic, message, message_id: `console-${crypto.randomUUID()}` };
  for (let attempt = 0; ; attempt++) {
    if (!state.producers.has(topic)) {
      const registered = await api('POST', 'producer/register', { topic });
      state.producers.set(topic, registered.producer_id);
    }
    try {
      return await api('POST', 'producer/produce', { ...body, producer_id: state.producers.get(topic) });
    } catch (e) {
      // the topic was deleted and made again since: register anew, once
      if (attempt === 0 && (e.error === 'producer_not_found' || e.error === 'producer_topic_mismatch')) {
        state.producers.delete(topic);
        continue;
      }
      throw e;
    }
  }
}

// ---------------------------------------------------------------- token (when the broker asks)

function askForToken() {
  const dialog = $('#token');
  $('#token-button').hidden = false;
  if (dialog.open) {
    return;
  }
  dialog.returnValue = '';
  dialog.onclose = () => {
    const token = dialog.querySelector('textarea').value.trim();
    if (dialog.returnValue === 'ok' && token) {
      sessionStorage.setItem(TOKEN_KEY, token);
      refreshNow();
    }
  };
  dialog.showModal();
}

// ---------------------------------------------------------------- views

function showView() {
  const view = (window.location.hash || '#topics').slice(1);
  const known = ['topics', 'consumers', 'messages'].includes(view) ? view : 'topics';
  for (const section of document.querySelectorAll('.view')) {
    section.hidden = section.id !== known;
  }
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === known) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
}

function start() {
  window.addEventListener('hashchange', showView);
  showView();
  $('#create-form').addEventListener('submit', createTopic);
  $('#produce-form').addEventListener('submit', produce);
  $('#browse-form').addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      browse(readBrowseForm(), false);
    } catch (e) {
      notice(e.message);
    }
  });
  $('#token-button').addEventListener('click', askForToken);
  refreshNow();
}

start();
