// Checks a file of CloudWatch EMF lines: each line one JSON document valid under the EMF
// specification's structure (emf.schema.json, by ajv), and every target member a directive names
// present on the root node — a dimension as a string of 1 to 1024 characters, a metric as a number
// or an array of at most 100 numbers. Prints "emf: N documents valid" or each fault, exiting 1.
//
//   node tests/checkers/emf_check.mjs FILE
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.env.BLOOP_CHECKERS + "/node_modules/");
const Ajv = require("ajv");
const schema = JSON.parse(readFileSync(new URL("./emf.schema.json", import.meta.url)));
const validate = new Ajv({ allErrors: true }).compile(schema);

const faults = [];
const lines = readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l.length > 0);
lines.forEach((line, i) => {
  const at = `line ${i + 1}`;
  let doc;
  try {
    doc = JSON.parse(line);
  } catch (e) {
    faults.push(`${at}: not JSON: ${e.message}`);
    return;
  }
  if (!validate(doc)) {
    faults.push(`${at}: ${JSON.stringify(validate.errors)}`);
    return;
  }
  for (const directive of doc._aws.CloudWatchMetrics) {
    for (const set of directive.Dimensions) {
      for (const name of set) {
        const v = doc[name];
        if (typeof v !== "string" || v.length < 1 || v.length > 1024 || v.trim() === "")
          faults.push(`${at}: dimension ${name} is ${JSON.stringify(v)}`);
      }
    }
    const names = new Set();
    for (const metric of directive.Metrics) {
      if (names.has(metric.Name)) faults.push(`${at}: metric ${metric.Name} twice`);
      names.add(metric.Name);
      const v = doc[metric.Name];
      const ok = typeof v === "number" ||
        (Array.isArray(v) && v.length <= 100 && v.every((x) => typeof x === "number"));
      if (!ok) faults.push(`${at}: metric ${metric.Name} is ${JSON.stringify(v)}`);
    }
  }
});
if (lines.length === 0) faults.push("no documents");
if (faults.length > 0) {
  for (const f of faults) console.error(f);
  process.exit(1);
}
console.log(`emf: ${lines.length} documents valid`);
