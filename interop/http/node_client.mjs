// Node's http client against longpoll_server.
// Usage: node node_client.mjs http://127.0.0.1:PORT
// 1. GET /poll (ETag), 2. start GET /longpoll, 3. POST /publish with a chunked body,
// 4. the long poll answers with the event, 5. GET /poll with If-None-Match -> 200 new tag, then 304.
import http from 'node:http';

const base = new URL(process.argv[2]);
const agent = new http.Agent({ keepAlive: true });
setTimeout(() => { console.error('timeout'); process.exit(3); }, 15000);

function request(method, path, headers = {}, chunks = null) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers, agent }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts).toString() }));
    });
    req.on('error', reject);
    if (chunks) for (const c of chunks) req.write(c); // no Content-Length: Node sends chunked
    req.end();
  });
}

const first = await request('GET', '/poll');
const lp = request('GET', '/longpoll');
await new Promise((r) => setTimeout(r, 200));
const pub = await request('POST', '/publish', { 'content-type': 'application/json' }, ['{"from":', '"node"}']);
const held = await lp;
const changed = await request('GET', '/poll', { 'if-none-match': first.headers.etag });
const same = await request('GET', '/poll', { 'if-none-match': changed.headers.etag });
const out = { first: first.status, pub: pub.status, held: [held.status, held.body, held.headers['cache-control']],
  changed: [changed.status, changed.body], same: same.status };
console.log(JSON.stringify(out));
const ok = first.status === 200 && pub.status === 200 && held.status === 200 && held.body === '{"from":"node"}\n'
  && held.headers['cache-control'] === 'no-store' && changed.status === 200 && changed.body === '{"from":"node"}'
  && same.status === 304;
agent.destroy();
process.exit(ok ? 0 : 1);
