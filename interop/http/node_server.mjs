// A Node http server whose chunked responses the Rust decoder reads.
// Prints the port on stdout, serves: /chunked (several chunks + trailers), /length (Content-Length),
// and reads POSTed chunked bodies on /echo (answers with the body as it got it). Exits after 20 s.
import http from 'node:http';

const server = http.createServer((req, res) => {
  if (req.url === '/chunked') {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Trailer': 'X-Count' });
    let n = 0;
    const tick = setInterval(() => {
      res.write(JSON.stringify({ n }) + '\n');
      n += 1;
      if (n === 3) {
        clearInterval(tick);
        res.addTrailers({ 'X-Count': String(n) });
        res.end();
      }
    }, 20);
  } else if (req.url === '/echo') {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      res.writeHead(200, { 'Content-Length': body.length, 'X-Got-TE': String(req.headers['transfer-encoding']) });
      res.end(body);
    });
  } else {
    res.writeHead(200, { 'Content-Length': 5 });
    res.end('hello');
  }
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
setTimeout(() => process.exit(0), 20000).unref();
