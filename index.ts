// cloudlab: application nodes behind a load balancer, a controller and monitoring, on Docker (stack `local`)
// or AWS (stack `dev`). Everything is in components/. The stack outputs are the keys of the object the program
// exports: LocalStackOutputs (components/local/stack.ts) or AwsStackOutputs (components/aws/stack.ts), so an
// output a platform lacks is not there at all (Pulumi exports a module's `module.exports` as its outputs).
import { defineStack } from "./components/stack";

export = defineStack();
