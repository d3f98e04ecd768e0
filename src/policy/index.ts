/**
 * The pulumi-fansly policy pack (house rules for tracking links), as the CLI starts it:
 *
 *   pulumi preview --policy-pack node_modules/pulumi-fansly/dist/policy --policy-pack-config house-rules.json
 *
 * The CLI runs this folder through the Node.js language host (`@pulumi/pulumi/cmd/run-policy-pack`, working
 * directory = this folder, which `npm run build` gives the PulumiPolicy.yaml and package.json a pack needs:
 * src/policy/packFolder.ts). Loading this file starts the analyzer's gRPC server, so it is no module to import:
 * package.json exports nothing of src/policy.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME } from "./packFolder";
import { policies } from "./policies";

new PolicyPack(POLICY_PACK_NAME, { policies });
