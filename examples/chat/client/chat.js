// An interactive client of gatekit's chat example:
//
//   node chat.js ws://127.0.0.1:8081/chat NAME [ROOM]
//
// Each line read from stdin is sent to the room as
// {"action":"sendmessage","text":LINE}; a line starting with "/" is sent
// as {"action":WORD} instead ("/help" reaches the $default route). What
// arrives is printed. At the end of stdin (Ctrl-D, or the end of a pipe)
// the client waits a moment for the last answers, then leaves.
import readline from 'node:readline';
import WebSocket from 'ws';

const [url, name, room] = process.argv.slice(2);
if (!url || !name) {
  console.error('usage: node chat.js ws://127.0.0.1:8081/chat NAME [ROOM]');
  process.exit(2);
}

const target = new URL(url);
target.searchParams.set('name', name);
if (room) target.searchParams.set('room', room);

const sock = new WebSocket(target);

// A refused $connect is an HTTP answer, not a WebSocket close.
sock.on('unexpected-response', (_req, res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => { body += chunk; });
  res.on('end', () => {
    console.error(`refused: ${res.statusCode} ${body.trim()}`);
    process.exit(1);
  });
});

sock.on('open', () => {
  // The $default route answers with the actions and the connection id.
  sock.send(JSON.stringify({ action: 'help' }));
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    const msg = line.startsWith('/')
      ? { action: line.slice(1).trim() }
      : { action: 'sendmessage', text: line };
    sock.send(JSON.stringify(msg));
  });
  lines.on('close', () => setTimeout(() => sock.close(1000, 'bye'), 500));
});

sock.on('message', (data) => {
  const text = data.toString();
  let msg;
  try {
    msg = JSON.parse(text);
  } catch {
    console.log(text); // e.g. a POST to the connections API
    return;
  }
  if (msg && typeof msg.from === 'string' && typeof msg.text === 'string') {
    console.log(`[${msg.room}] ${msg.from}: ${msg.text}`);
  } else if (msg && msg.connectionId && msg.actions) {
    console.log(`* ${msg.name} in ${msg.room}, connection id ${msg.connectionId}; actions: ${msg.actions.join(', ')}`);
  } else {
    console.log(`* ${text}`);
  }
});

sock.on('close', (code, reason) => {
  console.error(`closed: ${code} ${reason.toString()}`.trim());
  process.exit(code === 1000 || code === 1001 ? 0 : 1);
});

sock.on('error', (err) => {
  console.error(`error: ${err.message}`);
  process.exit(1);
});
