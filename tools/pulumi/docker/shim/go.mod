// The upstream provider's constructor lives in its internal/ package; Go lets only code under the upstream's own
// module path import it, so this one-function module takes a path below it.
module github.com/terraform-providers/terraform-provider-docker/shim

go 1.25.11

require github.com/terraform-providers/terraform-provider-docker v0.0.0
