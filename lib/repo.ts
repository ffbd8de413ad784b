import * as path from "path";

/** The repository's root directory (where Pulumi.yaml is): scripts and tests resolve their paths from here. */
export const REPO = path.resolve(__dirname, "..");
