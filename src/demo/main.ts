/** `npm run demo [-- --keep]` */
import { join } from "node:path";
import { runDemoCommand } from "./index";
import { messageOf } from "../thrown";

const io = { out: (line: string) => { console.log(line); }, err: (line: string) => { console.error(line); } };
runDemoCommand(process.argv.slice(2), io, join(__dirname, "..", "..")).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[demo] failed: ${messageOf(error)}`);
    process.exit(1);
  },
);
