package main

import "strings"

// loggersToSilence lists the logger settings (each to be set to OFF) that
// stop the provider writing logs the CLI would throw away. terraform and tofu
// keep a provider's log lines only when TF_LOG or TF_LOG_PROVIDER is set, but
// terraform-plugin-go logs every RPC at TRACE unless told otherwise: in a plan
// with 1,000 for_each reads, writing those lines took a fifth of the
// provider's CPU, and the CLI spent more parsing them. A setting the user gave
// is kept.
func loggersToSilence(lookupEnv func(string) (string, bool)) []string {
	for _, cliLevel := range []string{"TF_LOG", "TF_LOG_PROVIDER"} {
		if v, _ := lookupEnv(cliLevel); v != "" && !strings.EqualFold(v, "off") {
			return nil
		}
	}
	var silence []string
	for _, logger := range []string{
		"TF_LOG_SDK",            // terraform-plugin-go's root logger
		"TF_LOG_SDK_PROTO",      // its protocol subsystem
		"TF_LOG_SDK_FRAMEWORK",  // terraform-plugin-framework
		"TF_LOG_PROVIDER_CERBY", // the provider's own logger (tflog)
	} {
		if _, set := lookupEnv(logger); !set {
			silence = append(silence, logger)
		}
	}
	return silence
}
