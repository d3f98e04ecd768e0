// A Go program that manages Fansly tracking links through Pulumi's Automation API: an inline program (no Pulumi.yaml,
// no language host), run by the `pulumi` CLI on PATH, on the provider plugin the pulumi-fansly npm package ships.
//
//	go run . up        # creates (or updates) the links below
//	go run . preview   # exits 1 when anything would change
//	go run . destroy   # deletes them and removes the stack
//
// Environment: FANSLY_API_KEY (a secret), FANSLY_ACCOUNT_ID, FANSLY_API_BASE_URL (optional: the real API by
// default), FANSLY_PLUGIN_DIR (default ./node_modules/pulumi-fansly/dist/plugin), FANSLY_STACK (default dev), and
// the backend as for any Pulumi command (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE).
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TrackingLink is fansly:index:TrackingLink, written by hand the way a generated Go SDK writes it.
type TrackingLink struct {
	pulumi.CustomResourceState

	TrackingLinkId pulumi.StringOutput `pulumi:"trackingLinkId"`
	AccountId      pulumi.StringOutput `pulumi:"accountId"`
	Label          pulumi.StringOutput `pulumi:"label"`
	Description    pulumi.StringOutput `pulumi:"description"`
}

type trackingLinkArgs struct {
	Label       string  `pulumi:"label"`
	Description *string `pulumi:"description"`
	AccountId   *string `pulumi:"accountId"`
}

// TrackingLinkArgs are the inputs: label (required), description, accountId (default: fansly:accountId).
type TrackingLinkArgs struct {
	Label       pulumi.StringInput
	Description pulumi.StringPtrInput
	AccountId   pulumi.StringPtrInput
}

func (TrackingLinkArgs) ElementType() reflect.Type { return reflect.TypeOf((*trackingLinkArgs)(nil)).Elem() }

func newTrackingLink(ctx *pulumi.Context, name string, args *TrackingLinkArgs) (*TrackingLink, error) {
	var link TrackingLink
	if err := ctx.RegisterResource("fansly:index:TrackingLink", name, args, &link); err != nil {
		return nil, err
	}
	return &link, nil
}

// program is the stack: the links, as a TypeScript or YAML program would declare them.
func program(ctx *pulumi.Context) error {
	bio, err := newTrackingLink(ctx, "twitter-bio", &TrackingLinkArgs{Label: pulumi.String("Twitter bio"), Description: pulumi.String("pinned profile link")})
	if err != nil {
		return err
	}
	if _, err := newTrackingLink(ctx, "reddit-post-3", &TrackingLinkArgs{Label: pulumi.String("Reddit post #3")}); err != nil {
		return err
	}
	ctx.Export("twitterBioId", bio.TrackingLinkId)
	return nil
}

func env(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

func run(command string) error {
	ctx := context.Background()
	pluginDir, err := filepath.Abs(env("FANSLY_PLUGIN_DIR", filepath.Join("node_modules", "pulumi-fansly", "dist", "plugin")))
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(pluginDir, "pulumi-resource-fansly")); err != nil {
		return fmt.Errorf("no pulumi-resource-fansly in %s: run `npm install pulumi-fansly` here, or set FANSLY_PLUGIN_DIR to its dist/plugin folder", pluginDir)
	}
	apiKey := os.Getenv("FANSLY_API_KEY")
	if apiKey == "" {
		return fmt.Errorf("FANSLY_API_KEY is not set: export your apifansly key (it is stored only as a Pulumi secret)")
	}
	// The plugin is found through the project's `plugins: providers:`, as in a Pulumi.yaml.
	project := workspace.Project{
		Name:    tokens.PackageName("fansly-go"),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Plugins: &workspace.Plugins{Providers: []workspace.PluginOptions{{Name: "fansly", Path: pluginDir}}},
	}
	stack, err := auto.UpsertStackInlineSource(ctx, env("FANSLY_STACK", "dev"), "fansly-go", program, auto.Project(project))
	if err != nil {
		return err
	}
	config := auto.ConfigMap{"fansly:apiKey": auto.ConfigValue{Value: apiKey, Secret: true}}
	if account := os.Getenv("FANSLY_ACCOUNT_ID"); account != "" {
		config["fansly:accountId"] = auto.ConfigValue{Value: account}
	}
	if baseURL := os.Getenv("FANSLY_API_BASE_URL"); baseURL != "" {
		config["fansly:baseUrl"] = auto.ConfigValue{Value: baseURL}
	}
	if err := stack.SetAllConfig(ctx, config); err != nil {
		return err
	}

	switch command {
	case "up":
		result, err := stack.Up(ctx, optup.ProgressStreams(os.Stdout))
		if err != nil {
			return err
		}
		fmt.Printf("twitterBioId: %v\n", result.Outputs["twitterBioId"].Value)
	case "preview":
		result, err := stack.Preview(ctx, optpreview.ProgressStreams(os.Stdout), optpreview.ExpectNoChanges())
		if err != nil {
			return err
		}
		fmt.Printf("changes: %v\n", result.ChangeSummary)
	case "destroy":
		if _, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout)); err != nil {
			return err
		}
		return stack.Workspace().RemoveStack(ctx, stack.Name())
	default:
		return fmt.Errorf("unknown command %q: up, preview or destroy", command)
	}
	return nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . up|preview|destroy")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
