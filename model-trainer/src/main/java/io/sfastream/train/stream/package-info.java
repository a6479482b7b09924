/**
 * The training half of SFA on a stream, in plain Java (no Flink types): {@link
 * io.sfastream.train.stream.StreamingTrainer} consumes scored samples in event-time order, trains
 * one or two networks with the reference's warm-up and SSL steps on virtual epochs, and recomputes
 * the centring mean that ships with each version. A stream processor holds it as a thin adapter.
 */
package io.sfastream.train.stream;
