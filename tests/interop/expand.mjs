// Expands every VEVENT of an .ics file with ical.js (Thunderbird's engine): "YYYY-MM-DD<TAB>SUMMARY" lines.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [modules, file, from, until] = process.argv.slice(2);
const require = createRequire(path.join(modules, "package.json"));
const ICAL = (await import(require.resolve("ical.js"))).default;
const root = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
const end = ICAL.Time.fromDateString(until);
for (const component of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(component);
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.compare(end) <= 0; next = iterator.next()) {
    const day = next.toString().slice(0, 10);
    if (day >= from) console.log(`${day}\t${event.summary}`);
  }
}
