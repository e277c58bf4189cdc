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

// rateLimiter is a token bucket of size one: requests go out at least
// interval apart, whoever sends them, one waiting for its turn at a time.
// Each interval counts from when the previous request really went out: when
// turns were booked ahead, a request that woke up late on a busy machine went
// out just before the next one's turn, and the server saw 11 requests in one
// second at requests_per_second = 10.
type rateLimiter struct {
	turn     chan struct{} // one token, held by the request waiting to go out
	interval time.Duration
	last     time.Time // when the previous request went out; under turn
	clock    *clock
}

// rateLimitMargin stretches the interval a little, so that network jitter
// between two requests cannot make the server count one more per second
// than the limit.
const rateLimitMargin = 1.01

func newRateLimiter(perSecond float64, c *clock) *rateLimiter {
	l := &rateLimiter{
		turn:     make(chan struct{}, 1),
		interval: time.Duration(rateLimitMargin * float64(time.Second) / perSecond),
		clock:    c,
	}
	l.turn <- struct{}{}
	return l
}

// wait returns when the request may go out, or with ctx's error.
func (l *rateLimiter) wait(ctx context.Context) error {
	select {
	case <-l.turn:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { l.turn <- struct{}{} }()
	if !l.last.IsZero() {
		if err := l.clock.sleep(ctx, l.last.Add(l.interval).Sub(l.clock.now())); err != nil {
			return err
		}
	}
	l.last = l.clock.now()
	return nil
}
