/**
 * The AWS stack's fixed names, in one home: the node group needs the health alarms' names before monitoring
 * exists, and the boot script and IAM policy need the group's name before the group does. (The local stack's
 * names are in ../local/names.ts.)
 */
import { StackNames } from "../shared/naming";

/** The launch hook every node completes from its boot script once its app answers /health. */
export const LIFECYCLE_HOOK = "cloudlab-node-ready";

/**
 * The group's name is fixed (`<project>-<stack>-nodes`): the boot script and the nodes' IAM policy need it
 * before the group exists, and it reads well in the console and in alarm mails.
 */
export function nodeGroupName(names: StackNames): string {
    return `${names.prefix}-nodes`;
}

/** The CloudWatch Logs group of the nodes' output (streams `<instance id>/app` and `<instance id>/boot`). */
export function nodeLogGroupName(names: StackNames): string {
    return `/cloudlab/${names.prefix}`;
}

/** CloudWatch dashboard names allow letters, digits, '-' and '_'. */
export function dashboardName(names: StackNames): string {
    return names.prefix.replace(/[^A-Za-z0-9_-]/g, "-");
}

/**
 * The health alarms' names, fixed so that the group's instance refresh can watch them (alarm specification)
 * without waiting for them: a refresh during which either goes to ALARM fails (its auto rollback is off, docs/aws.md).
 */
export function healthAlarmNames(names: StackNames): { unhealthyNodes: string; errorRate: string } {
    return { unhealthyNodes: `${names.prefix}-unhealthy-nodes`, errorRate: `${names.prefix}-5xx-rate` };
}

/** Every node's Name tag (the group propagates it): how the nodes read in the EC2 console. */
export function nodeInstanceName(names: StackNames): string {
    return `${names.prefix}-node`;
}

/**
 * The stack's own repository: `<project>-<stack>/<appImage>`, so that two stacks in one account and region (or a
 * repository someone else made) never share or collide on a name.
 */
export function stackRepositoryName(names: StackNames, appImage: string): string {
    return `${names.prefix}/${appImage}`;
}
