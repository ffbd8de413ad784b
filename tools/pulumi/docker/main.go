// pulumi-resource-docker for cloudlab's local stack, built from the upstream Terraform provider
// (kreuzwerker/terraform-provider-docker) through the Pulumi Terraform bridge, because the module proxy these
// machines reach does not serve pulumi-docker's own provider module. What differs from the released plugin, and
// why it does not touch the stack's resources: README.md "The real Pulumi engine".
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/terraform-providers/terraform-provider-docker/shim"
)

// version is the @pulumi/docker package's pulumi.version, set with -ldflags -X main.version=...
var version = "0.0.0-dev"

// The schema is what GetSchema answers (SDK generators, `pulumi package get-schema`); an up or a preview never asks
// for it, and pulumi-docker's generated one is not in any module these machines can fetch.
var schema = []byte("{}")

func providerInfo() tfbridge.ProviderInfo {
	info := tfbridge.ProviderInfo{
		P:       shimv2.NewProvider(shim.NewProvider(version)),
		Name:    "docker",
		Version: version,
		Resources: map[string]*tfbridge.ResourceInfo{
			// The tokens and field names the @pulumi/docker SDK sends (its generated container.ts, network.ts,
			// remoteImage.ts); the bridge maps the rest of the names by its own rules.
			"docker_container": {
				Tok: "docker:index/container:Container",
				// A container's name is unique on the host: the old one must go first (pulumi-docker does the same).
				DeleteBeforeReplace: true,
				Fields: map[string]*tfbridge.SchemaInfo{
					"command":           {Name: "command"},
					"networks_advanced": {Name: "networksAdvanced"},
				},
			},
			// An entry of its own keeps `name` out of autonaming, so a replaced image is created before the old one
			// is deleted, as with the released plugin.
			"docker_image":   {Tok: "docker:index/remoteImage:RemoteImage", Fields: map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}}},
			"docker_network": {Tok: "docker:index/network:Network"},
		},
	}
	info.MustComputeTokens(tokens.SingleModule("docker_", "index", tokens.MakeStandard("docker")))
	info.SetAutonaming(255, "-")
	return info
}

func main() {
	tfbridge.Main("docker", version, providerInfo(), schema)
}
