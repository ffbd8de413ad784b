// Package shim hands the upstream Terraform provider (kreuzwerker/terraform-provider-docker) to the bridge.
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewProvider is the upstream's SDKv2 provider; the version string only shows in the upstream's user agent.
func NewProvider(version string) *schema.Provider {
	return provider.New(version)()
}
