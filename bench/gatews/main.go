// Command gatews writes a generated workspace that passes every policy of
// examples/policy (and of examples/policy-ephemeral, the same three), for
// the bench's policy gates: a gate that fails stops the plan before the plan
// file is written, and a pipeline's usual run is the one that passes. It is
// cerbysim's generated workspace of the same seed and size with what the
// policies look for taken out: every account has MFA, no account was
// created by a guest (the workspace owner created those instead), the
// disabled members keep their place in the listing but reach no account,
// and, for the Cerby API's two policies, every live member has enrolled MFA
// and every vault a customer-managed key.
// The guests stay: a gate that lists them must find some, as on a real
// workspace (and an empty cerby_users has users = null, which a for
// expression cannot iterate). The gate still reads everything it would read
// on a violating workspace, the disabled members' accounts included; only
// its conditions hold.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

func main() {
	var size cerbysim.Size
	seed := flag.Int64("seed", 1, "seed of the generated workspace, as cerbysim's -seed")
	flag.IntVar(&size.Accounts, "accounts", 10000, "accounts to generate")
	flag.IntVar(&size.Members, "members", 10000, "workspace members to generate")
	flag.IntVar(&size.AccessPerMember, "access", 10, "accounts each generated member reaches")
	out := flag.String("out", "", "the workspace file to write, for cerbysim -workspace-file")
	flag.Parse()
	if *out == "" || size.Accounts < 0 || size.Members < 0 || size.AccessPerMember < 0 {
		fmt.Fprintln(os.Stderr, "gatews: -out is required and the sizes must not be negative")
		os.Exit(2)
	}
	ws := cerbysim.Generate(*seed, size)
	if err := clean(ws); err != nil {
		fmt.Fprintln(os.Stderr, "gatews:", err)
		os.Exit(1)
	}
	if err := ws.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "gatews:", err)
		os.Exit(1)
	}
	if err := ws.WriteFile(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gatews:", err)
		os.Exit(1)
	}
}

// clean takes out of ws what the three policies find.
func clean(ws *cerbysim.Workspace) error {
	guests := map[string]bool{}
	var owner *cerbysim.Object
	for j := range ws.Members {
		m := &ws.Members[j]
		if m.Bool("isGuest") {
			guests[m.String("id")] = true
		} else if owner == nil && m.String("status") == "live" {
			owner = m
		}
		if m.String("status") == "disabled" {
			ws.Access[m.String("id")] = []string{}
		}
	}
	if owner == nil && len(ws.Accounts) > 0 {
		return errors.New("no live member who is not a guest to have created the accounts")
	}
	for i := range ws.Accounts {
		a := &ws.Accounts[i]
		if err := a.Set("mfaEnabled", true); err != nil {
			return err
		}
		if err := notByAGuest(a, guests, owner); err != nil {
			return err
		}
	}
	// The Cerby API may leave any attribute out, mfaEnabled and isGuest
	// included: it serves them here, so that both APIs see a clean workspace.
	if ws.CerbyAPI != nil {
		for id, x := range ws.CerbyAPI.Accounts {
			x.Omit = without(x.Omit, "mfaEnabled")
			ws.CerbyAPI.Accounts[id] = x
		}
		for id, x := range ws.CerbyAPI.Members {
			x.Omit = without(x.Omit, "isGuest")
			ws.CerbyAPI.Members[id] = x
		}
	}
	return cleanCerbyOnly(ws)
}

// cleanCerbyOnly takes out what the Cerby API's two policies find: every
// live member has enrolled MFA, and every vault's key is the customer's.
func cleanCerbyOnly(ws *cerbysim.Workspace) error {
	for i := range ws.Vaults {
		v := &ws.Vaults[i]
		v.Omit = without(v.Omit, "scheme")
		if v.Attributes.String("scheme") != "kms_byo" && v.Attributes.String("scheme") != "akv" {
			if err := v.Attributes.Set("scheme", "kms_byo"); err != nil {
				return err
			}
		}
	}
	for _, m := range ws.Members {
		if m.String("status") != "live" {
			continue
		}
		if ws.CerbyAPI == nil {
			ws.CerbyAPI = &cerbysim.CerbyAPIData{}
		}
		if ws.CerbyAPI.Members == nil {
			ws.CerbyAPI.Members = map[string]cerbysim.CerbyExtras{}
		}
		id := m.String("id")
		x := ws.CerbyAPI.Members[id]
		x.Omit = without(x.Omit, "mfaStatus")
		if err := x.Attributes.Set("mfaStatus", map[string]any{"mfaEnabled": true, "mfaEnrollmentDate": "2026-01-05T09:00:00+00:00"}); err != nil {
			return err
		}
		ws.CerbyAPI.Members[id] = x
	}
	return nil
}

// notByAGuest makes owner the creator of an account a guest created, in the
// same shape: createdBy is a member's id or an object describing the member.
func notByAGuest(a *cerbysim.Object, guests map[string]bool, owner *cerbysim.Object) error {
	raw, ok := a.Get("createdBy")
	if !ok {
		return nil
	}
	var creator any
	if err := json.Unmarshal(raw, &creator); err != nil {
		return fmt.Errorf("account %s: createdBy: %w", a.String("id"), err)
	}
	switch c := creator.(type) {
	case string:
		if guests[c] {
			return a.Set("createdBy", owner.String("id"))
		}
	case map[string]any:
		if id, _ := c["id"].(string); guests[id] {
			for _, key := range []string{"id", "firstName", "lastName", "email"} {
				c[key] = owner.String(key)
			}
			return a.Set("createdBy", c)
		}
	}
	return nil // null, or a member who is not a guest
}

func without(list []string, name string) []string {
	out := list[:0]
	for _, s := range list {
		if s != name {
			out = append(out, s)
		}
	}
	return out
}
