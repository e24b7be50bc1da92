// An OTLP/HTTP receiver for tests: accepts POST /v1/traces and /v1/metrics in OTLP's JSON encoding
// and decodes each request with the OpenTelemetry project's own generated OTLP types
// (@opentelemetry/otlp-transformer's protobufjs root): an id that is not lowercase hex of the right
// length, a member the types do not know, or a value of the wrong type is a fault (answered 400).
// GET /received answers {"traces": [...], "metrics": [...], "faults": [...]}.
//
//   node tests/checkers/otlp_receiver.mjs    prints "listening <port>" once it listens
import { createServer } from "node:http";
import { createRequire } from "node:module";

const require = createRequire(process.env.BLOOP_CHECKERS + "/node_modules/");
const root = require("@opentelemetry/otlp-transformer/build/src/generated/root.js");
const types = {
  "/v1/traces": root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest,
  "/v1/metrics": root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest,
};
const received = { traces: [], metrics: [], faults: [] };

const ids = { traceId: 32, spanId: 16, parentSpanId: 16 };

// OTLP/JSON differs from protobuf's JSON mapping in one thing: ids are hex, not base64. Checks
// them and turns them into base64 for protobufjs.
function convertIds(value, path, faults) {
  if (Array.isArray(value)) return value.map((v, i) => convertIds(v, `${path}[${i}]`, faults));
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    if (key in ids && typeof v === "string") {
      if (v === "" && key === "parentSpanId") continue;
      if (!new RegExp(`^[0-9a-f]{${ids[key]}}$`).test(v)) faults.push(`${path}.${key}: ${JSON.stringify(v)} is not ${ids[key]} lowercase hex digits`);
      out[key] = Buffer.from(v, "hex").toString("base64");
    } else {
      out[key] = convertIds(v, `${path}.${key}`, faults);
    }
  }
  return out;
}

const isDefault = (v) =>
  v === 0 || v === "0" || v === "" || v === false || (Array.isArray(v) && v.length === 0) ||
  (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0);

// Every member sent must come back from a decode of the encoded message: one the types do not
// know is dropped by fromObject, so it is missing here.
function compare(sent, back, path, faults) {
  if (Array.isArray(sent)) {
    if (!Array.isArray(back) || back.length !== sent.length) {
      faults.push(`${path}: ${sent.length} elements sent, ${Array.isArray(back) ? back.length : "none"} decoded`);
      return;
    }
    sent.forEach((v, i) => compare(v, back[i], `${path}[${i}]`, faults));
    return;
  }
  if (sent !== null && typeof sent === "object") {
    for (const [key, v] of Object.entries(sent)) {
      if (back === undefined || back === null || !(key in back)) {
        if (!isDefault(v)) faults.push(`${path}.${key}: not a member of the OTLP message`);
        continue;
      }
      compare(v, back[key], `${path}.${key}`, faults);
    }
    return;
  }
  if (String(sent) !== String(back)) faults.push(`${path}: sent ${JSON.stringify(sent)}, decoded ${JSON.stringify(back)}`);
}

function check(type, body) {
  const faults = [];
  let doc;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    return [`not JSON: ${e.message}`];
  }
  const converted = convertIds(doc, "", faults);
  let back;
  try {
    const message = type.fromObject(converted);
    back = type.toObject(type.decode(type.encode(message).finish()),
                         { longs: String, enums: Number, bytes: String, arrays: true });
  } catch (e) {
    return [...faults, `not an OTLP message: ${e.message}`];
  }
  compare(converted, back, "", faults);
  return faults;
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    if (req.method === "GET" && req.url === "/received") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(received));
      return;
    }
    const type = types[req.url];
    if (req.method !== "POST" || type === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    const faults = (req.headers["content-type"] || "").startsWith("application/json")
      ? check(type, body)
      : [`Content-Type ${req.headers["content-type"]}`];
    if (faults.length > 0) {
      received.faults.push(...faults.map((f) => `${req.url}: ${f}`));
      res.writeHead(400, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ code: 3, message: faults.join("; ") }));
      return;
    }
    (req.url === "/v1/traces" ? received.traces : received.metrics).push(JSON.parse(body));
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end("{}");
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
