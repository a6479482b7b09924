package io.sfastream.cli;

import io.sfastream.sfa.SfaParams;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of the SFA options of a command, read from {@link SfaParams} (the one place that
 * holds SFA's defaults), so that {@code --help} and an option left out show and use the same values
 * as the pipeline's {@code sfa:} block.
 */
final class SfaDefaults implements IDefaultValueProvider {
    private static final SfaParams D = SfaParams.defaults(2);

    private static final Map<String, String> BY_OPTION =
            Map.ofEntries(
                    Map.entry("--warm-up", Integer.toString(D.warmUpEpochs())),
                    Map.entry("--mode", D.momentMode().cliName()),
                    Map.entry("--seed", Long.toString(D.seed())),
                    Map.entry("--p-threshold", Double.toString(D.pThreshold())),
                    Map.entry("--beta", Double.toString(D.beta())),
                    Map.entry("--phi", Double.toString(D.phi())),
                    Map.entry("--min-sampled-count", Integer.toString(D.minSampledCount())),
                    Map.entry("--sample-rate", Integer.toString(D.sampleRate())),
                    Map.entry("--min-gmm-scores", Integer.toString(D.minScoresForGmm())),
                    Map.entry(
                            "--tiny-class-fallback",
                            D.tinyClassFallback()
                                    .name()
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .replace('_', '-')));

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec o ? BY_OPTION.get(o.longestName()) : null;
    }
}
