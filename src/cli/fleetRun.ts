/**
 * Runs one operation over the stacks of a project, a few at a time, through Pulumi's Automation API: a thin driver
 * of Pulumi's own engine (each stack is `pulumi up` / `preview` / `destroy` as the CLI runs it), not an engine of
 * its own. The stacks share one requests-per-minute budget (src/client/internal/rateCoordinator.ts). A stack that
 * fails is reported and the others run on.
 */
import { availableParallelism } from "node:os";
import { LocalWorkspace, PulumiCommand, Stack, type EngineEvent, type OpMap } from "@pulumi/pulumi/automation";
import { RATE_COORDINATOR_ENV, type RateCoordinator } from "../client/internal/rateCoordinator";
import { isTrackingLinkType } from "../plugin/tokens";
import type { FleetOperation } from "./fleetLayout";
import { messageOf } from "../thrown";
import { scheduleStacks } from "./fleetSchedule";


/** How one stack's run ended: `drift` only for the drift check, when the stack differs from its program. */
type StackResult = "succeeded" | "failed" | "drift";

export interface StackOutcome {
  stack: string;
  result: StackResult;
  /** Tracking links the engine stepped through (created, updated, deleted, or unchanged). */
  links: number;
  /** API requests its providers sent (retries included), as the shared budget counted them. */
  requests: number;
  ms: number;
  /** What changed, by Pulumi's operation names (`create`, `update`, `delete`, `same`…). */
  changes: OpMap;
  /** For a failed stack: the last lines of what Pulumi said. */
  message?: string;
}

export interface FleetRunOptions {
  projectDir: string;
  stacks: readonly string[];
  operation: FleetOperation;
  concurrency: number;
  coordinator: RateCoordinator;
  /** Called as each stack starts and ends (progress lines). */
  onStart?: (stack: string) => void;
  onDone?: (outcome: StackOutcome, done: number) => void;
}

/** Default stacks at once: one per core, since each runs a Pulumi engine, a language host and a provider. */
export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism());
}

/** A failed stack's message: Pulumi's own `error:` lines when there are some, else the last lines it printed. */
const MESSAGE_LINES = 6;

/** Operations other than these in a drift check's preview mean the stack differs from its program. */
const NOT_DRIFT = new Set(["same", "read", "refresh"]);

/** Runs `operation` over every stack (fleetSchedule.ts says how many at once); one outcome per stack, in stack order. */
export async function runFleet(options: FleetRunOptions): Promise<StackOutcome[]> {
  // One CLI lookup for the fleet, not one `pulumi version` per stack.
  const pulumiCommand = await PulumiCommand.get();
  let done = 0;
  return scheduleStacks({
    stacks: options.stacks,
    concurrency: options.concurrency,
    budgetBound: () => options.coordinator.waiting > 0,
    run: async (stack) => {
      options.onStart?.(stack);
      const outcome = await runOne(stack, options, pulumiCommand);
      options.onDone?.(outcome, ++done);
      return outcome;
    },
  });
}

async function runOne(stackName: string, options: FleetRunOptions, pulumiCommand: PulumiCommand): Promise<StackOutcome> {
  const started = Date.now();
  const links = new Set<string>();
  const onEvent = (event: EngineEvent): void => {
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata !== undefined && isTrackingLinkType(metadata.type)) links.add(metadata.urn);
  };
  let output = "";
  const onOutput = (text: string): void => {
    output = (output + text).slice(-16_384);
  };
  const outcome = (result: StackResult, changes: OpMap, message?: string): StackOutcome => ({
    stack: stackName,
    result,
    links: links.size,
    requests: options.coordinator.requestsOf(stackName),
    ms: Date.now() - started,
    changes,
    ...(message === undefined ? {} : { message }),
  });
  try {
    const workspace = await LocalWorkspace.create({
      workDir: options.projectDir,
      pulumiCommand,
      envVars: { [RATE_COORDINATOR_ENV]: options.coordinator.urlFor(stackName) },
    });
    const stack = await Stack.createOrSelect(stackName, workspace);
    const common = { onEvent, onOutput, onError: onOutput, color: "never" as const };
    switch (options.operation) {
      case "up": {
        const result = await stack.up(common);
        return outcome("succeeded", result.summary.resourceChanges ?? {});
      }
      case "destroy": {
        const result = await stack.destroy(common);
        return outcome("succeeded", result.summary.resourceChanges ?? {});
      }
      case "preview": {
        const result = await stack.preview(common);
        return outcome("succeeded", result.changeSummary);
      }
      case "drift": {
        // `preview --refresh --expect-no-changes`, told apart from a failure: CLIs disagree on the exit code for
        // "changes" (255, or 7 since pulumi/pulumi#22176), so the change summary decides, not the exit code.
        const result = await stack.preview({ ...common, refresh: true });
        const drifted = Object.entries(result.changeSummary).some(([op, count]) => !NOT_DRIFT.has(op) && count > 0);
        return outcome(drifted ? "drift" : "succeeded", result.changeSummary);
      }
    }
  } catch (error) {
    return outcome("failed", {}, lastWords(messageOf(error), output));
  }
}

/** What to show of a failure: Pulumi's `error:` lines, else the last lines of its output. */
function lastWords(message: string, output: string): string {
  const lines = `${message}\n${output}`.split("\n").map((line) => line.trimEnd()).filter((line) => line.trim() !== "");
  const errors = [...new Set(lines.filter((line) => /^\s*error:/.test(line)).map((line) => line.trim()))];
  return (errors.length > 0 ? errors : lines).slice(-MESSAGE_LINES).join("\n");
}
