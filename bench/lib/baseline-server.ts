/**
 * A bare Node HTTP server answering one fixed JSON body: the floor any API over HTTP can reach.
 * Run as its own process: node baseline-server.js <port> <json>
 */
import { createServer } from 'node:http';

const [port, body] = process.argv.slice(2);
const payload = Buffer.from(body ?? '{}');
createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': payload.length });
  res.end(payload);
}).listen(Number(port), '127.0.0.1');
