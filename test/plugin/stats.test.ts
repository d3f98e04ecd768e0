/**
 * The plugin face's program side of `getTrackingLinkStats`, under Pulumi's mocks: the function a program calls sends
 * the engine the plugin's function token with the link's id once the link has one, and hands back its answer.
 */
import * as pulumi from "@pulumi/pulumi";
import { valueOf } from "../resource/pulumiMocks";

const LINK_ID = "845759434926862336";
const invokes: pulumi.runtime.MockCallArgs[] = [];
const registered: pulumi.runtime.MockResourceArgs[] = [];

void pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args);
      return { id: LINK_ID, state: { ...(args.inputs as object), trackingLinkId: LINK_ID, adopted: false } };
    },
    call(args) {
      invokes.push(args);
      return { trackingLinkId: LINK_ID, accountId: "fansly_demo", label: "Twitter bio", clicks: 120, totalNet: 31968 };
    },
  },
  "project",
  "stack",
  false,
);

test("getTrackingLinkStats asks the plugin for a TrackingLink's counters by its id, and answers them", async () => {
  const { TrackingLink, getTrackingLinkStats } = await import("../../src/plugin");
  const link = new TrackingLink("twitter-bio", { label: "Twitter bio" });
  const stats = getTrackingLinkStats({ trackingLinkId: link.trackingLinkId });
  expect(await valueOf(stats.apply((s) => [s.clicks, s.totalNet]))).toEqual([120, 31968]);
  expect(invokes.map((i) => ({ token: i.token, inputs: i.inputs as unknown }))).toEqual([
    { token: "fansly:index:getTrackingLinkStats", inputs: { trackingLinkId: LINK_ID } },
  ]);
  // The plugin face's TrackingLink registers no counter outputs: they are not kept in its state.
  expect(Object.keys(registered[0]?.inputs as object).filter((name) => /clicks|claims|follows|subscriptions|total/.test(name))).toEqual([]);
});
