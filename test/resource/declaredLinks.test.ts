/**
 * One link, one owner in the program (src/declaredLinks.ts), under setMocks: a second resource declaring a link
 * fails before it is registered, whatever the face, naming both resources and the id.
 */
import { mockPulumi, valueOf } from "./pulumiMocks";

const registered = mockPulumi();

// Imported after setMocks, as Pulumi's testing guide says.
import { FanslyValidationError, TrackingLink, TrackingLinkSet } from "../../src";
import { TrackingLink as PluginTrackingLink } from "../../src/plugin";

/** Each test adopts links of its own: the tests of this file are one program run, which claims each link once. */
const IDS = { twice: "845759434926860001", faces: "845759434926860002", parents: "845759434926860003", imported: "845759434926860005" };

function names(): string[] {
  return registered.map((r) => r.name);
}

describe("two resources declaring one link", () => {
  test("a second TrackingLink adopting the same link fails at its constructor, naming both and the id, and is not registered", async () => {
    await valueOf(new TrackingLink("reddit", { label: "Reddit", trackingLinkId: IDS.twice }).urn);
    expect(() => new TrackingLink("reddit-copy", { label: "Reddit copy", trackingLinkId: IDS.twice })).toThrow(
      new FanslyValidationError(
        "FANSLY_VALIDATION",
        `trackingLinkId ${IDS.twice} is declared by both TrackingLink "reddit" and TrackingLink "reddit-copy": a link has one owner in a stack. ` +
          "Keep one of them (removing the other deletes nothing while the kept one holds the link), or give the other its own link",
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(names()).not.toContain("reddit-copy");
  });

  test("across faces: a TrackingLinkSet entry, then a plugin-face TrackingLink with its id", async () => {
    const set = new TrackingLinkSet("web", { links: { reddit: { label: "Reddit", trackingLinkId: IDS.faces } } });
    await valueOf(set.urn);
    expect(() => new PluginTrackingLink("reddit", { label: "Reddit", trackingLinkId: IDS.faces })).toThrow(
      `trackingLinkId ${IDS.faces} is declared by both TrackingLink "web-reddit" (in TrackingLinkSet "web") and TrackingLink (pulumi-fansly/plugin) "reddit"`,
    );
  });

  test("two resources of one name under different parents are two holders", () => {
    const first = new TrackingLinkSet("east", { links: {} });
    const second = new TrackingLinkSet("west", { links: {} });
    new TrackingLink("bio", { label: "Bio", trackingLinkId: IDS.parents }, { parent: first });
    expect(() => new TrackingLink("bio", { label: "Bio", trackingLinkId: IDS.parents }, { parent: second })).toThrow(
      `declared by both TrackingLink "bio" (in TrackingLinkSet "east") and TrackingLink "bio" (in TrackingLinkSet "west")`,
    );
  });

  test("the plugin face's import option adopts, so it claims the link too", () => {
    new PluginTrackingLink("imported", { label: "Imported" }, { import: `fansly_demo/${IDS.imported}` });
    expect(() => new PluginTrackingLink("adopter", { label: "Imported", trackingLinkId: IDS.imported })).toThrow(
      `trackingLinkId ${IDS.imported} is declared by both TrackingLink (pulumi-fansly/plugin) "imported" and TrackingLink (pulumi-fansly/plugin) "adopter"`,
    );
  });
});
