// Command floor is the benchmarks' lower bound: it fetches the same pages as
// the provider (same page size, serially or with a few requests in flight once
// the total is known) and decodes them into plain structs, nothing else. It
// prints one JSON line with what it read and its own CPU time, so that the
// client and the provider can be compared with it in the same run.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"syscall"
	"time"
)

// account is the API's account object in plain Go types; values of several
// shapes stay raw.
type account struct {
	ID                       string                                         `json:"id"`
	Name                     string                                         `json:"name"`
	Username                 string                                         `json:"username"`
	Provider                 string                                         `json:"provider"`
	VaultID                  string                                         `json:"vaultId"`
	IdekID                   string                                         `json:"idekID"`
	Permissions              json.RawMessage                                `json:"permissions"`
	Workspace                string                                         `json:"workspace"`
	MfaEnabled               bool                                           `json:"mfaEnabled"`
	AutofillMfa              bool                                           `json:"autofillMfa"`
	PasswordSet              bool                                           `json:"passwordSet"`
	PasswordVisible          bool                                           `json:"passwordVisible"`
	CreatedBy                json.RawMessage                                `json:"createdBy"`
	CreatedAt                string                                         `json:"createdAt"`
	UpdatedAt                string                                         `json:"updatedAt"`
	Role                     string                                         `json:"role"`
	AvatarURL                string                                         `json:"avatar_url"`
	Email                    string                                         `json:"email"`
	Type                     string                                         `json:"type"`
	URL                      string                                         `json:"url"`
	Domain                   string                                         `json:"domain"`
	Meta                     json.RawMessage                                `json:"meta"`
	Status                   string                                         `json:"status"`
	Phone                    string                                         `json:"phone"`
	RotatedBy                string                                         `json:"rotatedBy"`
	RotatedAt                string                                         `json:"rotatedAt"`
	SyncedAt                 string                                         `json:"syncedAt"`
	HasBackupCode            bool                                           `json:"hasBackupCode"`
	RotatedByID              string                                         `json:"rotatedById"`
	Domains                  json.RawMessage                                `json:"domains"`
	LastLoginDate            string                                         `json:"lastLoginDate"`
	LastLoginUserName        string                                         `json:"lastLoginUserName"`
	IsEmailManaged           bool                                           `json:"isEmailManaged"`
	IsPhoneManaged           bool                                           `json:"isPhoneManaged"`
	OriginalEmail            string                                         `json:"originalEmail"`
	OriginalPhone            string                                         `json:"originalPhone"`
	BusinessID               string                                         `json:"businessId"`
	MfaTypes                 []string                                       `json:"mfaTypes"`
	RotatedByUser            string                                         `json:"rotatedByUser"`
	HasTotpVirtualDevice     bool                                           `json:"hasTotpVirtualDevice"`
	WorkspacePolicyResult    struct{ MfaValidation, PasswordRotation bool } `json:"workspacePolicyResult"`
	WorkspacePolicyCheckDate string                                         `json:"workspacePolicyCheckDate"`
}

type member struct {
	ID           string          `json:"id"`
	FirstName    string          `json:"firstName"`
	LastName     string          `json:"lastName"`
	Email        string          `json:"email"`
	Status       string          `json:"status"`
	Role         string          `json:"role"`
	IsGuest      bool            `json:"isGuest"`
	CreatedAt    string          `json:"createdAt"`
	UpdatedAt    string          `json:"updatedAt"`
	LastActivity string          `json:"lastActivity"`
	Meta         json.RawMessage `json:"meta"`
}

// listing says how one endpoint pages.
type listing struct {
	path, sizeParam string
	decode          func([]byte) (items, total int, err error)
}

var listings = map[string]listing{
	"accounts": {"/v1/accounts", "limit", func(body []byte) (int, int, error) {
		var page struct {
			Accounts     []account `json:"accounts"`
			TotalResults int       `json:"totalResults"`
		}
		err := json.Unmarshal(body, &page)
		return len(page.Accounts), page.TotalResults, err
	}},
	"users": {"/v1/admin/users", "count", func(body []byte) (int, int, error) {
		var page struct {
			Resources    []member `json:"resources"`
			TotalResults int      `json:"totalResults"`
		}
		err := json.Unmarshal(body, &page)
		return len(page.Resources), page.TotalResults, err
	}},
}

type result struct {
	Kind        string `json:"kind"`
	Concurrency int    `json:"concurrency"`
	Items       int    `json:"items"`
	Pages       int    `json:"pages"`
	Bytes       int64  `json:"bytes"`
	WallNS      int64  `json:"wall_ns"`
	CPUNS       int64  `json:"cpu_ns"` // user+sys of this process during the fetch
}

func main() {
	kind := flag.String("kind", "accounts", "accounts or users")
	concurrency := flag.Int("concurrency", 1, "requests in flight once the first page gave the total")
	pageSize := flag.Int("page-size", 100, "items per page")
	flag.Parse()
	l, ok := listings[*kind]
	if !ok || *concurrency < 1 {
		fmt.Fprintln(os.Stderr, "floor: -kind must be accounts or users and -concurrency at least 1")
		os.Exit(2)
	}
	// One idle connection per request in flight, so none is reopened.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = *concurrency
	f := fetcher{base: os.Getenv("CERBY_ENDPOINT"), key: os.Getenv("CERBY_API_KEY"), l: l, pageSize: *pageSize, http: &http.Client{Transport: transport}}
	cpu0, start := cpuTime(), time.Now()
	r, err := f.fetchAll(*concurrency)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	r.Kind, r.Concurrency = *kind, *concurrency
	r.WallNS, r.CPUNS = time.Since(start).Nanoseconds(), (cpuTime() - cpu0).Nanoseconds()
	_ = json.NewEncoder(os.Stdout).Encode(r)
}

type fetcher struct {
	base, key string
	l         listing
	pageSize  int
	http      *http.Client
}

// fetchAll reads the first page, then the others by startIndex with at most
// concurrency requests in flight.
func (f fetcher) fetchAll(concurrency int) (result, error) {
	var (
		mu  sync.Mutex
		r   result
		err error
	)
	add := func(items int, n int64, e error) {
		mu.Lock()
		defer mu.Unlock()
		r.Items, r.Pages, r.Bytes = r.Items+items, r.Pages+1, r.Bytes+n
		if e != nil && err == nil {
			err = e
		}
	}
	items, total, n, e := f.page(1)
	add(items, n, e)
	if err != nil {
		return r, err
	}
	starts := make(chan int)
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for start := range starts {
				items, _, n, e := f.page(start)
				add(items, n, e)
			}
		})
	}
	for start := 1 + f.pageSize; start <= total; start += f.pageSize {
		starts <- start
	}
	close(starts)
	wg.Wait()
	return r, err
}

func (f fetcher) page(start int) (items, total int, n int64, err error) {
	url := fmt.Sprintf("%s%s?startIndex=%d&%s=%d", f.base, f.l.path, start, f.l.sizeParam, f.pageSize)
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, 0, 0, err
	}
	req.Header.Set("X-API-Key", f.key)
	resp, err := f.http.Do(req)
	if err != nil {
		return 0, 0, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, 0, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, 0, 0, fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	items, total, err = f.l.decode(body)
	return items, total, int64(len(body)), err
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
