'use strict';
// The demo page's client: plain browser JavaScript, no build step. It opens one WebSocket to the
// gateway, shows everything sent and received and how the socket closed, and polls /demo/records
// for this connection's records in Kafka. Its first message carries a random marker,
// "[demo <marker>]", by which the management port finds the connection id of this page.

const $ = (id) => document.getElementById(id);
const POLL_MS = 1000;
const POLL_AFTER_CLOSE_MS = 10000;
let ws = null;
let marker = null;
let connectionId = null;
let pollTimer = null;

function log(kind, text) {
  const item = document.createElement('li');
  item.className = kind;
  item.textContent = new Date().toLocaleTimeString() + '  ' + text;
  $('log').appendChild(item);
}

function hex(bytes) {
  return Array.from(bytes.slice(0, 64), (b) => b.toString(16).padStart(2, '0')).join(' ') + (bytes.length > 64 ? ' …' : '');
}

function randomMarker() {
  const bytes = crypto.getRandomValues(new Uint8Array(15));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

function setOpen(open) {
  for (const id of ['send-text', 'send-binary', 'close']) $(id).disabled = !open;
  $('connect').disabled = open;
}

function connect() {
  let url;
  try {
    url = new URL($('url').value);
  } catch (err) {
    log('error', 'not a URL: ' + $('url').value);
    return;
  }
  if ($('token').value.trim()) url.searchParams.set('token', $('token').value.trim());
  const protocols = $('protocols').value.split(',').map((p) => p.trim()).filter((p) => p);
  marker = randomMarker();
  connectionId = null;
  $('connection').textContent = '-';
  $('records').tBodies[0].replaceChildren();
  $('status').textContent = 'connecting';
  try {
    ws = new WebSocket(url.toString(), protocols);
  } catch (err) {
    log('error', String(err));
    $('status').textContent = 'not connected';
    return;
  }
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    $('status').textContent = 'open' + (ws.protocol ? ' (subprotocol ' + ws.protocol + ')' : '');
    setOpen(true);
    sendText('hello from the demo page [demo ' + marker + ']');
    startPolling();
  };
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') log('received', '← text: ' + event.data);
    else log('received', '← binary (' + event.data.byteLength + ' bytes): ' + hex(new Uint8Array(event.data)));
  };
  ws.onerror = () => log('error', 'socket error (a refused handshake shows here: the browser hides its HTTP status)');
  ws.onclose = (event) => {
    log('closed', 'closed: code ' + event.code + ', reason "' + event.reason + '"' + (event.wasClean ? '' : ' (not clean)'));
    $('status').textContent = 'closed ' + event.code;
    setOpen(false);
    setTimeout(stopPolling, POLL_AFTER_CLOSE_MS);
  };
}

function sendText(text) {
  ws.send(text);
  log('sent', '→ text: ' + text);
}

function sendBinary() {
  const bytes = new TextEncoder().encode($('text').value);
  ws.send(bytes.buffer);
  log('sent', '→ binary (' + bytes.length + ' bytes): ' + hex(bytes));
}

function close() {
  const code = Number($('close-code').value);
  const reason = $('close-reason').value;
  if (!(code === 1000 || (code >= 3000 && code <= 4999))) {
    log('error', 'a client may close with 1000 or 3000-4999 only, not ' + $('close-code').value);
    return;
  }
  if (new TextEncoder().encode(reason).length > 123) {
    log('error', 'the reason is over 123 UTF-8 bytes');
    return;
  }
  ws.close(code, reason);
  log('sent', '→ close: code ' + code + ', reason "' + reason + '"');
}

function startPolling() {
  stopPolling();
  pollTimer = setInterval(poll, POLL_MS);
}

function stopPolling() {
  if (pollTimer) clearInterval(pollTimer);
  pollTimer = null;
}

async function poll() {
  const query = connectionId ? 'connection=' + encodeURIComponent(connectionId) : 'marker=' + encodeURIComponent(marker);
  try {
    const res = await fetch('/demo/records?' + query);
    const body = await res.json();
    if (body.connectionId && !connectionId) {
      connectionId = body.connectionId;
      $('connection').textContent = connectionId;
    }
    renderRecords(body.records || []);
  } catch (err) {
    // the node may be restarting; the next poll tries again
  }
}

function renderRecords(records) {
  const rows = records.map((r) => {
    const row = document.createElement('tr');
    row.className = r.topic;
    const h = r.headers || {};
    const value = r.text ? r.value : 'base64 ' + r.value;
    const cells = [r.topic, h.ce_type || '(send)', h.ce_seq || '', h['content-type'] || '',
      value + (r.truncated ? ' …' : '') + ' (' + r.bytes + ' B)', h.ce_deliveryerror || ''];
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.appendChild(cell);
    }
    row.cells[4].className = 'value';
    row.title = JSON.stringify(h, null, 1);
    return row;
  });
  $('records').tBodies[0].replaceChildren(...rows);
}

async function prefill() {
  try {
    const config = await (await fetch('/demo/config')).json();
    $('url').value = (config.tls ? 'wss' : 'ws') + '://' + location.hostname + ':' + config.gatewayPort + config.gatewayPath;
    $('mode').textContent = config.echo ? 'The echo backend answers every message through Kafka.'
      : 'No echo backend runs: your own backend answers (try one of examples/, e.g. /echo hi).';
  } catch (err) {
    $('url').value = 'ws://' + location.hostname + ':8080/ws';
  }
  document.body.dataset.ready = 'true';
}

$('connect').onclick = connect;
$('send-text').onclick = () => sendText($('text').value);
$('send-binary').onclick = sendBinary;
$('close').onclick = close;
prefill();
