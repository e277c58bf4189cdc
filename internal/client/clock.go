package client

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// clock is every source of time the client uses, so that tests can replace
// it and never really wait.
type clock struct {
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(ceiling time.Duration) time.Duration // a value in [0, ceiling]
}

func realClock() *clock {
	return &clock{now: time.Now, sleep: sleepContext, jitter: fullJitter}
}

// sleepContext waits d, or less when ctx ends first.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func fullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

// pauseGate holds the moment until which no request may start, set by a 429.
type pauseGate struct {
	mu    sync.Mutex
	until time.Time
}

func (p *pauseGate) extendTo(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.After(p.until) {
		p.until = t
	}
}

func (p *pauseGate) remaining(now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.until.Sub(now)
}

// rateLimiter is a token bucket of size one: requests start at least
// interval apart, whoever sends them.
type rateLimiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
	clock    *clock
}

func newRateLimiter(perSecond float64, c *clock) *rateLimiter {
	return &rateLimiter{interval: time.Duration(float64(time.Second) / perSecond), clock: c}
}

func (l *rateLimiter) wait(ctx context.Context) error {
	return l.clock.sleep(ctx, l.reserve())
}

// reserve books the next free slot and says how long until it.
func (l *rateLimiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.now()
	slot := now
	if l.next.After(now) {
		slot = l.next
	}
	l.next = slot.Add(l.interval)
	return slot.Sub(now)
}
