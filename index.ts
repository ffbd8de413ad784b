// cloudlab: application nodes behind a load balancer, a controller and monitoring, on Docker (stack `local`)
// or AWS (stack `dev`). Everything is in components/; this file only names what `pulumi stack output` shows
// (an output one platform does not have is absent from the other's stack).
import { defineStack } from "./components/stack";

const stack = defineStack();

export const platform = stack.platform;
export const balancerUrl = stack.balancerUrl;
export const statsUrl = stack.statsUrl;
export const metricsUrl = stack.metricsUrl;
export const imageTag = stack.imageTag;
export const nodes = stack.nodes;
export const nodeUrls = stack.nodeUrls;
export const controller = stack.controller;
export const monitoring = stack.monitoring;
export const groupName = stack.groupName;
export const dashboardUrl = stack.dashboardUrl;
export const repositoryUrl = stack.repositoryUrl;
