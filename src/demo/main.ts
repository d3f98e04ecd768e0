/** `npm run demo [-- --keep]` */
import { join } from "node:path";
import { runDemo } from "./index";

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--keep");
if (unknown.length > 0) {
  console.error(`unknown argument(s) ${unknown.join(" ")}: the demo takes only --keep (leave the links and the emulator up)`);
  process.exit(2);
}

runDemo({ root: join(__dirname, "..", ".."), keep: args.includes("--keep"), say: (line) => { console.log(`[demo] ${line}`); } }).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
