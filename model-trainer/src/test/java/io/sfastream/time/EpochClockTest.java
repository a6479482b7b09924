package io.sfastream.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EpochClockTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final EpochClock clock = new EpochClock(START, Duration.ofSeconds(10));
    private final long t0 = START.toEpochMilli();

    @Test
    void epochsAreOneBasedHalfOpenIntervals() {
        assertThat(clock.epochOf(t0)).isEqualTo(1);
        assertThat(clock.epochOf(t0 + 9_999)).isEqualTo(1);
        assertThat(clock.epochOf(t0 + 10_000)).isEqualTo(2);
        assertThat(clock.startOf(2)).isEqualTo(t0 + 10_000);
        assertThat(clock.boundaryAfter(2)).isEqualTo(t0 + 20_000);
        assertThat(clock.lastMillisOf(2)).isEqualTo(t0 + 19_999);
        assertThat(clock.epochOf(clock.lastMillisOf(7))).isEqualTo(7);
        assertThat(clock.epochOf(clock.boundaryAfter(7))).isEqualTo(8);
    }

    @Test
    void aWatermarkClosesAnEpochAtItsLastMillisecond() {
        assertThat(clock.closedBy(Long.MIN_VALUE)).isZero();
        assertThat(clock.closedBy(t0 + 9_998)).isZero();
        assertThat(clock.closedBy(t0 + 9_999)).isEqualTo(1);
        assertThat(clock.closedBy(t0 + 29_999)).isEqualTo(3);
        assertThat(clock.closedBy(t0 + 30_000)).isEqualTo(3);
        assertThat(clock.closedBy(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void beforeTheStartThereIsNoEpoch() {
        assertThat(clock.covers(t0 - 1)).isFalse();
        assertThatThrownBy(() -> clock.epochOf(t0 - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before the first epoch's start 2026-01-01T00:00:00Z");
        assertThatThrownBy(() -> clock.startOf(0)).hasMessageContaining("1-based");
        assertThatThrownBy(() -> new EpochClock(START, Duration.ZERO))
                .hasMessageContaining("at least 1 ms");
    }

    @Test
    void aReplayPassFillsExactlyOneEpochInOrder() {
        int n = 7;
        long previous = Long.MIN_VALUE;
        for (int e = 1; e <= 3; e++) {
            for (int i = 0; i < n; i++) {
                long t = clock.replayTimestamp(e, i, n);
                assertThat(clock.epochOf(t)).isEqualTo(e);
                assertThat(t).isGreaterThan(previous);
                previous = t;
            }
        }
        assertThat(clock.replayTimestamp(2, 0, n)).isEqualTo(clock.startOf(2));
        assertThatThrownBy(() -> clock.replayTimestamp(1, n, n)).hasMessageContaining("outside");
    }

    @Test
    void progressIsTheFractionalEpoch() {
        assertThat(clock.progress(t0)).isEqualTo(1.0);
        assertThat(clock.progress(t0 + 25_000)).isEqualTo(3.5);
    }
}
