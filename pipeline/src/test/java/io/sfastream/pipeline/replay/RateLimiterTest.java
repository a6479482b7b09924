package io.sfastream.pipeline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    /** A clock that only moves when the limiter sleeps (an infinitely fast producer). */
    static final class FakeTicker implements RateLimiter.Ticker {
        long now = 1_000;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }
    }

    @Test
    void sampleKWaitsUntilKOverRate() throws Exception {
        FakeTicker t = new FakeTicker();
        RateLimiter limiter = new RateLimiter(100, t);
        for (int k = 0; k < 50; k++) {
            limiter.acquire();
            assertThat(t.now - 1_000).isEqualTo(k * 10_000_000L);
        }
        assertThat(limiter.sleeps()).isEqualTo(49);
        assertThat(limiter.sleptNanos()).isEqualTo(490_000_000L);
    }

    @Test
    void aSlowProducerIsNotHeldBackFurther() throws Exception {
        FakeTicker t = new FakeTicker();
        RateLimiter limiter = new RateLimiter(10, t);
        limiter.acquire();
        t.now += 1_000_000_000L; // one second of slow work: ten samples' worth
        for (int k = 0; k < 10; k++) {
            limiter.acquire();
        }
        assertThat(limiter.sleeps()).isZero();
        limiter.acquire(); // the 12th is due at 1.1 s
        assertThat(limiter.sleeps()).isEqualTo(1);
        assertThat(limiter.sleptNanos()).isEqualTo(100_000_000L);
    }

    @Test
    void zeroIsUnlimited() throws Exception {
        FakeTicker t = new FakeTicker();
        RateLimiter limiter = new RateLimiter(0, t);
        for (int k = 0; k < 1000; k++) {
            limiter.acquire();
        }
        assertThat(limiter.unlimited()).isTrue();
        assertThat(limiter.sleeps()).isZero();
        assertThat(t.now).isEqualTo(1_000);
    }
}
