'use strict';

// A minimal gateway side of wx.session.v1 (docs/sessions.md) over `ws`, for SDK tests
// without the Java gateway: the welcome (new, resumed, refused), push framing with
// positions, replay of every unacknowledged push on a resume followed by `recovered`,
// `hb` answers, `bye`, 4400 for a bad first frame, 4409 for a socket resumed elsewhere.
// Like the demo echo backend, every `msg` comes back as a push to its session, text as
// text, binary as binary. Tests play the backend with push() and steer refusals with
// refuseNextResume() / incompleteNextReplay().

const http = require('node:http');
const crypto = require('node:crypto');
const WebSocket = require('ws');

const PROTOCOL = 'wx.session.v1';

/**
 * @param {{echoProtocol?: boolean}} [options] echoProtocol false: a gateway without sessions
 */
function startSessionServer(options) {
  const opts = Object.assign({ echoProtocol: true }, options);
  const sessions = new Map(); // id -> {id, secret, log: [{p, body, binary}], acked: Set, ws, ended}
  const frames = []; // every frame a client sent: {session, header, body}
  const offsets = new Map(); // partition -> next offset
  let refusal = null;
  let incomplete = null;
  const server = http.createServer((req, res) => res.writeHead(404).end());
  const wss = new WebSocket.Server({
    server,
    handleProtocols: (protocols) => (opts.echoProtocol && protocols.has(PROTOCOL) ? PROTOCOL : false)
  });

  wss.on('connection', (ws) => {
    let session = null;
    ws.on('message', (data, isBinary) => {
      const frame = decode(data, isBinary);
      frames.push({ session: session && session.id, header: frame && frame.header, body: frame && frame.body });
      if (!frame) return ws.close(4400, 'not a header line');
      const h = frame.header;
      if (!session) {
        if (h.t !== 'hello' || h.v !== 1) return ws.close(4400, 'hello must come first');
        session = hello(ws, h);
        return undefined;
      }
      if (h.t === 'msg') deliver(session, frame.body, isBinary, false);
      else if (h.t === 'ack') h.p.forEach((p) => session.acked.add(p));
      else if (h.t === 'hb') ws.send(JSON.stringify({ t: 'hb' }));
      else if (h.t === 'bye') {
        session.ended = true;
        ws.close(1000, 'bye');
      } else ws.close(4400, 'unknown t');
      return undefined;
    });
    ws.on('close', () => {
      if (session && session.ws === ws) session.ws = null; // suspended
    });
  });

  function hello(ws, h) {
    let reason = null;
    let session = null;
    if (h.resume !== undefined) {
      const [id, secret] = String(h.resume).split('.');
      const known = sessions.get(id);
      if (refusal) reason = refusal;
      else if (!secret) reason = 'token-malformed';
      else if (!known) reason = 'session-unknown';
      else if (known.secret !== secret) reason = 'token-invalid';
      else if (known.ended) reason = 'session-ended';
      else session = known;
      refusal = null;
    }
    const resumed = session !== null;
    if (!resumed) {
      session = { id: randomId(), log: [], acked: new Set(), ws: null, ended: false, connections: 0 };
      sessions.set(session.id, session);
    }
    if (session.ws) session.ws.close(4409, 'session resumed elsewhere');
    session.secret = randomId();
    session.connections++;
    const welcome = { t: 'welcome', v: 1, session: session.id, token: session.id + '.' + session.secret, connectionId: session.id + '-' + session.connections, resumed };
    if (reason) Object.assign(welcome, { recovered: false, reason });
    ws.send(JSON.stringify(welcome));
    session.ws = ws;
    if (resumed) replay(session);
    return session;
  }

  function replay(session) {
    const missed = session.log.filter((e) => !session.acked.has(e.p));
    const failed = incomplete;
    incomplete = null;
    const replayed = failed ? missed.slice(0, Math.floor(missed.length / 2)) : missed;
    replayed.forEach((e) => send(session.ws, e, true));
    const recovered = failed ? { t: 'recovered', recovered: false, reason: failed, replayed: replayed.length } : { t: 'recovered', recovered: true, replayed: replayed.length };
    session.ws.send(JSON.stringify(recovered));
  }

  /** A push to the session: written now when its socket is up, held (for the replay) otherwise. */
  function deliver(session, body, binary, _replay, partition) {
    const part = partition || 0;
    const offset = offsets.get(part) || 0;
    offsets.set(part, offset + 1);
    const entry = { p: part + ':' + offset, id: 'ce-' + part + '-' + offset, body, binary };
    session.log.push(entry);
    if (session.ws && session.ws.readyState === WebSocket.OPEN) send(session.ws, entry, false);
    return entry.p;
  }

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      resolve({
        port,
        url: 'ws://127.0.0.1:' + port + '/ws',
        sessions,
        frames,
        /** The only session (most tests have one). */
        get session() { return Array.from(sessions.values()).pop(); },
        /** A push to a session (default the last one); body string = text frame. Returns its position. */
        push: (body, where) => {
          const w = where || {};
          const session = w.session ? sessions.get(w.session) : Array.from(sessions.values()).pop();
          return deliver(session, body, typeof body !== 'string', false, w.partition);
        },
        refuseNextResume: (reason) => { refusal = reason; },
        incompleteNextReplay: (reason) => { incomplete = reason; },
        close: () => new Promise((done) => {
          wss.clients.forEach((ws) => ws.terminate());
          wss.close();
          server.close(() => done());
        })
      });
    });
  });
}

function send(ws, entry, replay) {
  const header = { t: 'push', p: entry.p, id: entry.id };
  if (replay) header.replay = true;
  const line = JSON.stringify(header) + '\n';
  if (entry.binary) ws.send(Buffer.concat([Buffer.from(line, 'utf8'), Buffer.from(entry.body)]), { binary: true });
  else ws.send(line + entry.body);
}

function decode(data, isBinary) {
  const buf = Buffer.from(data);
  const cut = buf.indexOf(0x0a);
  const line = (cut === -1 ? buf : buf.subarray(0, cut)).toString('utf8');
  let header;
  try {
    header = JSON.parse(line);
  } catch (err) {
    return null;
  }
  if (!header || typeof header.t !== 'string') return null;
  const rest = cut === -1 ? Buffer.alloc(0) : buf.subarray(cut + 1);
  return { header, body: isBinary ? rest : rest.toString('utf8') };
}

function randomId() {
  return crypto.randomBytes(12).toString('base64url');
}

module.exports = { startSessionServer, PROTOCOL };
