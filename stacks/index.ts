/**
 * The Pulumi program (`Pulumi.yaml` main): `pulumi up` on a stack file runs this. The stack's config is
 * read through the same parser as every offline command.
 */
import { deployBulwark } from "./program";
import { readPulumiStackConfig } from "./pulumi-config";

export = deployBulwark(readPulumiStackConfig()).outputs;
