package client

import "testing"

// FuzzCerbyUsualPageMatchesEncodingJSON: on any body, the single-pass reader
// of Cerby API pages returns exactly what the fallback decodeAnyCerbyList
// (encoding/json) returns, items, total, links and warnings, for accounts
// and members, or leaves the page to it. Seeded with the simulator's pages
// and variants of what the reader must read exactly or give up.
//
//	go test -run '^$' -fuzz FuzzCerbyUsualPageMatchesEncodingJSON -fuzztime 30s ./internal/client/
func FuzzCerbyUsualPageMatchesEncodingJSON(f *testing.F) {
	for _, path := range []string{
		"/api/v1/accounts?page%5Bnumber%5D=1&page%5Bsize%5D=2",
		"/api/v1/accounts?page%5Bnumber%5D=7&page%5Bsize%5D=1",
		"/api/v1/accounts?page%5Bnumber%5D=34&page%5Bsize%5D=3", // the last page, of one
		"/api/v1/users?page%5Bnumber%5D=1&page%5Bsize%5D=2",
		"/api/v1/users?page%5Bnumber%5D=2&page%5Bsize%5D=1&mfaStatus=true",
	} {
		f.Add(simPage(f, path))
	}
	for _, seed := range []string{
		`{"data":[{"id":"a","type":"account","attributes":{"label":"A","createdBy":"u","createdByEmail":"e","mfaTypes":[]}},{"id":"b"}],` +
			`"links":{"self":"/api/v1/accounts?page%5Bnumber%5D=1","next":"/api/v1/accounts?page%5Bnumber%5D=2"},"meta":{"page":{"maxSize":100,"total":2}}}`,
		`{"data":{"id":"a","attributes":null}}`,
		`{"data":null,"links":{"next":null},"meta":{"page":{"total":0}}}`,
		`{"data":[],"links":{"next":{"href":"/n"}},"meta":{"page":{"total":"7"}}}`,
		`{"DATA":[{"ID":"a","Attributes":{"LABEL":"x","label":"y","CreatedByEmail":"e"}}],"Links":{"NEXT":"x"},"Meta":{"PAGE":{"Total":1}}}`,
		`{"data":[{"id":"a","attributes":{"createdBy":{"id":"u","Email":null,"email":"e"},"createdByEmail":"f"}}]}`,
		`{"data":[{"id":"a","attributes":{"status":1,"email":{"address":"x"},"label":"L"}}]}`,
		`{"data":[{"id":"a","attributes":{"label":5}}]}`,
		`{"data":[{"id":"a","attributes":{"mfaTypes":["a","b"]," mfaTypes":null,"mfaTypes":["c",null]}}]}`,
		`{"data":[{"id":"a","id":"","attributes":{},"attributes":null}],"data":null}`,
		`{"data":[{"id":"m","attributes":{"firstName":"A","isGuest":true,"mfaStatus":{"mfaEnabled":true},"meta":{"x":1}}}]}`,
		`{"data":[{"id":"a","attributes":{"label":"\u00e9\ud83d\ude00\ud83d","meta":{"x":[1,{"y":null}]},"ſtatus":"x"}}]}`,
		`{"data":[{"id":"m","attributes":{"MFASTATUS":{"MfaEnabled":false,"mfaenrollmentdate":"d"},"mfaStatus":{"x":1},"mfaStatus":null}}]}`,
		`{"data":[{"id":"m","attributes":{"mfaStatus":{"mfaEnabled":true},"mfaStatus":{"mfaEnrollmentDate":"d","mfaEnabled":null}}}]}`,
		`{"data":[],"errors":[{"detail":"partial"}]}`,
		`{"errors":[{"status":"400","detail":"bad"}]}`,
		`{"data":[null]}`, `{"data":"x"}`, `{"data":[{"id":7}]}`, `{"data":[{"id":"a","attributes":[]}]}`,
		`{}`, `[]`, `null`, ``, "\uFEFF {\"data\":[]} \n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		matchesCerbyOracle(t, body, decodeCerbyAccount)
		matchesCerbyOracle(t, body, decodeCerbyMember)
	})
}
