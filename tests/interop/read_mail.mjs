// Reads .eml files with postal-mime (a mail parser as web mail clients use): one JSON object per file, in order,
// with the addresses, subject and text it found.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [modules, ...files] = process.argv.slice(2);
const require = createRequire(path.join(modules, "package.json"));
const PostalMime = (await import(require.resolve("postal-mime"))).default;
const read = [];
for (const file of files) {
  const email = await PostalMime.parse(fs.readFileSync(file));
  read.push({
    from: email.from ? email.from.address : null,
    to: (email.to || []).map((one) => one.address),
    subject: email.subject ?? null,
    text: email.text ?? null,
  });
}
console.log(JSON.stringify(read));
