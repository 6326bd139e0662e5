// Real-client interop: the npm `eventsource` package (4.x) reads an SSE
// stream and prints one JSON line per event: {type, data, lastEventId}.
// Usage: node eventsource_client.mjs <url> <count> [timeoutMs]
// Exits 0 after <count> events, 1 on timeout or a closed source.
import { EventSource } from 'eventsource';

const [url, countArg, timeoutArg] = process.argv.slice(2);
const want = Number(countArg || 1);
const timer = setTimeout(() => {
  console.error(`timeout after ${got} of ${want} events`);
  process.exit(1);
}, Number(timeoutArg || 15000));

let got = 0;
const es = new EventSource(url);
const onEvent = (e) => {
  console.log(JSON.stringify({ type: e.type, data: e.data, lastEventId: e.lastEventId }));
  got += 1;
  if (got >= want) {
    es.close();
    clearTimeout(timer);
    process.exit(0);
  }
};
es.addEventListener('counter', onEvent);
es.addEventListener('message', onEvent);
es.onerror = () => {
  if (es.readyState === EventSource.CLOSED) {
    console.error('event source closed');
    process.exit(1);
  }
  console.error('reconnecting');
};
