// A non-interactive test of gatekit's chat example, which
// examples/chat/main_test.go runs against the server:
//
//   node twoclients.js ws://127.0.0.1:8081/chat
//
// It checks that a connect without a name is refused with HTTP 400, then
// opens alice and bob in a room of their own; alice says "hello bob",
// which bob (and alice) must receive; bob answers "hello alice", which
// alice must receive; bob leaves, and alice must be told. It exits 0 when
// every step passed, and 1 with a message on the first failure or after
// 10 seconds.
import WebSocket from 'ws';

const url = process.argv[2];
if (!url) {
  console.error('usage: node twoclients.js ws://127.0.0.1:8081/chat');
  process.exit(2);
}

function fail(msg) {
  console.error(`twoclients: FAIL: ${msg}`);
  process.exit(1);
}

function ok(msg) {
  console.log(`twoclients: ok: ${msg}`);
}

const timer = setTimeout(() => fail('timed out after 10 s'), 10_000);

// A room of its own, so that runs against a busy server do not meet.
const room = `twoclients-${process.pid}-${Date.now()}`;

function withQuery(params) {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u;
}

// refused resolves with the HTTP status and body of a refused handshake
// (the ws package's 'unexpected-response'), and rejects if it succeeds.
function refused(target) {
  return new Promise((resolve, reject) => {
    const sock = new WebSocket(target);
    sock.on('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => {
        req.destroy(); // the handshake is over: do not keep its socket
        resolve({ status: res.statusCode, body });
      });
    });
    sock.on('open', () => {
      sock.terminate();
      reject(new Error(`${target} was accepted`));
    });
    sock.on('error', reject);
  });
}

// Client is one chat connection: what it received, and a way to wait
// for a message.
class Client {
  constructor(name) {
    this.name = name;
    this.got = []; // messages not yet taken by next
    this.waiters = [];
    this.sock = new WebSocket(withQuery({ name, room }));
    this.sock.on('unexpected-response', (_req, res) => fail(`${name}: refused with ${res.statusCode}`));
    this.sock.on('error', (err) => fail(`${name}: ${err.message}`));
    this.sock.on('message', (data) => {
      let msg;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        msg = { raw: data.toString() };
      }
      this.got.push(msg);
      this.deliver();
    });
    this.opened = new Promise((resolve) => this.sock.once('open', resolve));
    this.closed = new Promise((resolve) => this.sock.once('close', resolve));
  }

  send(msg) {
    this.sock.send(JSON.stringify(msg));
  }

  // next resolves with the first message, received or to come, that
  // pred accepts, and takes it.
  next(pred) {
    return new Promise((resolve) => {
      this.waiters.push({ pred, resolve });
      this.deliver();
    });
  }

  deliver() {
    this.waiters = this.waiters.filter(({ pred, resolve }) => {
      const i = this.got.findIndex(pred);
      if (i < 0) return true;
      resolve(this.got.splice(i, 1)[0]);
      return false;
    });
  }
}

// chatMessage is a predicate matching exactly {from, room, text}.
function chatMessage(from, text) {
  const want = JSON.stringify({ from, room, text });
  return (m) => JSON.stringify(m) === want;
}

async function main() {
  const { status, body } = await refused(withQuery({ room }));
  let message;
  try {
    ({ message } = JSON.parse(body));
  } catch {
    // checked below
  }
  if (status !== 400 || typeof message !== 'string') {
    fail(`a connect without a name got ${status} ${body}; want 400 and a JSON message`);
  }
  ok(`a connect without a name is refused: ${status} ${body.trim()}`);

  const alice = new Client('alice');
  await alice.opened;
  const bob = new Client('bob');
  await bob.opened;
  await alice.next(chatMessage('chat', 'bob joined'));
  ok(`alice and bob are open in ${room}; alice was told bob joined`);

  alice.send({ action: 'sendmessage', text: 'hello bob' });
  await bob.next(chatMessage('alice', 'hello bob'));
  ok('bob received alice\'s "hello bob"');
  await alice.next(chatMessage('alice', 'hello bob'));
  ok('alice received her own message too');

  bob.send({ action: 'sendmessage', text: 'hello alice' });
  await alice.next(chatMessage('bob', 'hello alice'));
  ok('alice received bob\'s "hello alice"');

  bob.sock.close(1000, 'bye');
  await bob.closed;
  await alice.next(chatMessage('chat', 'bob left'));
  ok('alice was told bob left');

  alice.sock.close(1000, 'bye');
  await alice.closed;
  clearTimeout(timer);
  ok('done');
  process.exit(0);
}

main().catch((err) => fail(err.message));
