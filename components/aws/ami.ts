import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export type Architecture = "x86_64" | "arm64";

/**
 * CPU architecture of an EC2 instance type: Graviton families carry a `g` after the generation digit (t4g,
 * m7gd, c6gn, im4gn) and a1 is the first Graviton. The AMI and the app image must match it, or the node boots
 * the wrong AMI or the container fails with "exec format error".
 */
export function architectureOf(instanceType: string): Architecture {
    const family = instanceType.split(".")[0];
    return family === "a1" || /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) ? "arm64" : "x86_64";
}

/** The `docker build --platform` of an architecture. */
export function dockerPlatform(arch: Architecture): string {
    return arch === "arm64" ? "linux/arm64" : "linux/amd64";
}

export interface NodeAmi {
    imageId: string;
    /** Where the root volume is attached (the launch template encrypts it by that name). */
    rootDeviceName: string;
}

/**
 * The nodes' AMI. Pinned (`nodeAmi` set): exactly that image, looked up by id (owner Amazon) for its root device;
 * an `up` moves the nodes only when the config changes, and a rollback of imageTag is a rollback. Floating
 * (`nodeAmi` empty): the newest Amazon Linux 2023 (standard, not minimal: it has the AWS CLI the boot script
 * uses) for the architecture, so an `up` after Amazon publishes a new one also rolls every node onto it; the
 * stack output `nodeAmi` says which one is running, to pin it (docs/aws.md).
 */
export function nodeAmi(arch: Architecture, pinned: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<NodeAmi> {
    const ami = aws.ec2.getAmiOutput(
        pinned
            ? {
                  owners: ["amazon"],
                  // Amazon deprecates its AMIs after a while, and DescribeImages leaves deprecated ones out unless
                  // asked (the image-id filter is not the ImageIds parameter, which would include them); the
                  // provider sends IncludeDeprecated = include_deprecated, false by default
                  // (terraform-provider-aws internal/service/ec2/ec2_ami_data_source.go). Without this a pinned
                  // AMI, still launchable once deprecated, fails every preview: "Your query returned no results".
                  includeDeprecated: true,
                  filters: [
                      { name: "image-id", values: [pinned] },
                      { name: "architecture", values: [arch] },
                  ],
              }
            : {
                  owners: ["amazon"],
                  mostRecent: true,
                  filters: [
                      { name: "name", values: [`al2023-ami-2023.*-kernel-*-${arch}`] },
                      { name: "architecture", values: [arch] },
                      { name: "state", values: ["available"] },
                  ],
              },
        opts,
    );
    return pulumi.output({ imageId: ami.imageId, rootDeviceName: ami.rootDeviceName });
}
