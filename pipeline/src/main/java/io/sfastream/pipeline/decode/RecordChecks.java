package io.sfastream.pipeline.decode;

import io.sfastream.pipeline.deadletter.Rejection;
import io.sfastream.schemas.WireFormatException;
import io.sfastream.time.EpochClock;
import java.time.Instant;
import java.util.Locale;

/**
 * The checks every input record gets, images or features: size before decoding, then id, labels and
 * event time. Each failure is a {@link Rejection} with a stable code. Pure Java.
 */
final class RecordChecks {
    private final int numClasses;
    private final int maxRecordBytes;
    private final EpochClock clock;

    RecordChecks(int numClasses, int maxRecordBytes, EpochClock clock) {
        this.numClasses = numClasses;
        this.maxRecordBytes = maxRecordBytes;
        this.clock = clock;
    }

    EpochClock clock() {
        return clock;
    }

    /** Null when the raw record may be decoded. */
    Rejection size(byte[] value) {
        if (value == null) {
            return new Rejection(
                    Rejection.DECODE,
                    "tombstone",
                    "record has no value (null or tombstone)",
                    null,
                    null);
        }
        if (value.length > maxRecordBytes) {
            return new Rejection(
                    Rejection.DECODE,
                    "oversize",
                    "record of "
                            + value.length
                            + " bytes exceeds the "
                            + maxRecordBytes
                            + "-byte limit (kafka.maxRecordBytes)",
                    null,
                    null);
        }
        return null;
    }

    static Rejection undecodable(WireFormatException e) {
        return new Rejection(
                Rejection.DECODE,
                e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                e.getMessage(),
                null,
                e.kind().name());
    }

    /** Null when id, label, true label and event time are usable. */
    Rejection labelsAndTime(String id, int label, Integer trueLabel, Long eventTime) {
        if (id == null || id.isBlank()) {
            return new Rejection(
                    Rejection.VALIDATE, "empty-id", "sample has an empty id", null, null);
        }
        if (label < 0 || label >= numClasses) {
            return new Rejection(
                    Rejection.VALIDATE,
                    "unknown-label",
                    "unknown label "
                            + label
                            + ": the model has "
                            + numClasses
                            + " classes (0.."
                            + (numClasses - 1)
                            + ")",
                    id,
                    null);
        }
        if (trueLabel != null && (trueLabel < 0 || trueLabel >= numClasses)) {
            return new Rejection(
                    Rejection.VALIDATE,
                    "unknown-label",
                    "unknown trueLabel " + trueLabel + ": the model has " + numClasses + " classes",
                    id,
                    null);
        }
        if (eventTime == null || !clock.covers(eventTime)) {
            return new Rejection(
                    Rejection.VALIDATE,
                    "before-epoch-start",
                    "eventTime "
                            + (eventTime == null ? "missing" : Instant.ofEpochMilli(eventTime))
                            + " is before the first virtual epoch (epoch.start "
                            + clock.start()
                            + ")",
                    id,
                    null);
        }
        return null;
    }
}
