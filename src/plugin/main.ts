/**
 * `pulumi-resource-fansly`: the process the Pulumi engine starts for the `fansly` package. It serves the provider
 * protocol on 127.0.0.1 and prints the port on stdout, its first and only line there, which is how the engine finds
 * it. Anything for people goes to stderr (the engine shows it); the engine stops the process when it is done.
 */
import { reportCostsOnExit } from "../provider/costReport";
import { TrackingLinkImplementation } from "../provider/implementation";
import { startProviderServer } from "./server";
import { messageOf } from "../thrown";

export async function main(): Promise<void> {
  try {
    const implementation = new TrackingLinkImplementation();
    // Leave the update's cost line when the engine stops the plugin (src/provider/costReport.ts).
    reportCostsOnExit("plugin", () => implementation.costs());
    const server = await startProviderServer({ implementation });
    process.stdout.write(`${server.port}\n`);
  } catch (error) {
    process.stderr.write(`pulumi-resource-fansly could not start: ${messageOf(error)}\n`);
    process.exitCode = 1;
  }
}
