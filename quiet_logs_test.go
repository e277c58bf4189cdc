package main

import (
	"slices"
	"testing"
)

func TestLoggersToSilence(t *testing.T) {
	all := []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_CERBY"}
	for name, tc := range map[string]struct {
		env  map[string]string
		want []string
	}{
		"no log settings: the CLI discards every line": {nil, all},
		"TF_LOG off":                      {map[string]string{"TF_LOG": "OFF"}, all},
		"TF_LOG empty":                    {map[string]string{"TF_LOG": ""}, all},
		"TF_LOG set":                      {map[string]string{"TF_LOG": "debug"}, nil},
		"TF_LOG=JSON (trace, as JSON)":    {map[string]string{"TF_LOG": "JSON"}, nil},
		"TF_LOG_PROVIDER set":             {map[string]string{"TF_LOG_PROVIDER": "trace"}, nil},
		"TF_LOG_PROVIDER set, TF_LOG off": {map[string]string{"TF_LOG": "off", "TF_LOG_PROVIDER": "info"}, nil},
		"a logger the user set is kept": {
			map[string]string{"TF_LOG_SDK_PROTO": "trace"},
			[]string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_CERBY"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			got := loggersToSilence(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if !slices.Equal(got, tc.want) {
				t.Errorf("loggersToSilence = %q, want %q", got, tc.want)
			}
		})
	}
}
